import { AppError } from './app-error.js';
import { envelopeForStatus, errorForStatus, toEnvelope } from './http-envelope.js';
import { fromWire, toWire } from './wire.js';

describe('wire errors', () => {
  it('round-trips an AppError with its details', () => {
    const error = new AppError('invalid', 100400, 'Validation failed', {
      fields: [{ field: 'entries[1]', message: 'bad octet' }],
    });
    const back = fromWire(JSON.parse(JSON.stringify(toWire(error))));
    expect(back).toBeInstanceOf(AppError);
    expect(back.kind).toBe('invalid');
    expect(back.details?.fields?.[0]?.field).toBe('entries[1]');
  });

  it('hides anything that is not an AppError', () => {
    const wire = toWire(new Error('password=hunter2 leaked'));
    expect(wire).toEqual({ kind: 'internal', code: 100500, message: 'Internal error' });
  });

  it('turns malformed wire values into internal errors', () => {
    expect(fromWire({ kind: 'nope', code: 1, message: 'x' }).kind).toBe('internal');
    expect(fromWire(null).kind).toBe('internal');
  });
});

describe(toEnvelope.name, () => {
  it('uses the exception type name of the kind', () => {
    expect(toEnvelope(new AppError('forbidden', 100403, 'IP address not allowed'))).toEqual({
      error: { type: 'ForbiddenException', code: 100403, message: 'IP address not allowed' },
    });
  });

  it('maps bare statuses to kinds', () => {
    expect(errorForStatus(404, 'Not Found').kind).toBe('not_found');
    expect(errorForStatus(413, 'too large').kind).toBe('invalid');
    expect(errorForStatus(502, 'bad gateway').kind).toBe('internal');
  });
});

describe(envelopeForStatus.name, () => {
  it('names the type after the status and derives the code unless one is given', () => {
    expect(envelopeForStatus(502, 'The upstream is unavailable')).toEqual({
      error: { type: 'BadGatewayException', code: 100502, message: 'The upstream is unavailable' },
    });
    expect(envelopeForStatus(429, 'Too many requests', 110429).error).toEqual({
      type: 'TooManyRequestsException',
      code: 110429,
      message: 'Too many requests',
    });
    expect(envelopeForStatus(418, 'odd').error.type).toBe('HttpException');
  });
});
