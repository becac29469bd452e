import fc from 'fast-check';
import {
  REDACTED,
  redactBody,
  redactHeaders,
  redactQuery,
  redactUrl,
  redactValue,
} from './redact.js';

describe(redactValue.name, () => {
  it('redacts passwords and secrets at any depth', () => {
    const input = { a: { b: [{ password: 'hunter2', keep: 1 }] }, client_secret: 's', apiKey: 'k' };
    expect(redactValue(input)).toEqual({
      a: { b: [{ password: REDACTED, keep: 1 }] },
      client_secret: REDACTED,
      apiKey: REDACTED,
    });
  });

  it('never leaves a sensitive value anywhere (property)', () => {
    const secret = 'S3CR3T-VALUE';
    const sensitiveKey = fc.constantFrom(
      'password',
      'newPassword',
      'api_key',
      'client_secret',
      'access_token',
      'Authorization',
    );
    const tree: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.string(),
        fc.integer(),
        fc.array(tie('node'), { maxLength: 3 }),
        fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), tie('node'), { maxKeys: 3 }),
        sensitiveKey.map((key) => ({ [key]: secret })),
      ),
    })).node;
    fc.assert(
      fc.property(tree, (value) => {
        expect(JSON.stringify(redactValue(value))).not.toContain(secret);
      }),
    );
  });
});

/** Past misses and near misses, kept as fixed cases. */
const SEED_CORPUS: readonly { input: Record<string, unknown>; hidden: string }[] = [
  { input: { 'X-Api-Key': 'k-1' }, hidden: 'k-1' },
  { input: { user: { newPassword: 'p-2', password_confirmation: 'p-2' } }, hidden: 'p-2' },
  { input: { refresh_token: 't-3', id: 'visible' }, hidden: 't-3' },
  { input: { list: [{ client_secret: 's-4' }, { note: 'ok' }] }, hidden: 's-4' },
  { input: { 'Proxy-Authorization': 'Basic s-5' }, hidden: 's-5' },
  { input: { 'X-Antavo-Signature': 'sig-6' }, hidden: 'sig-6' },
];

describe('redaction seed corpus', () => {
  it.each(SEED_CORPUS)('hides $hidden', ({ input, hidden }) => {
    expect(JSON.stringify(redactValue(input))).not.toContain(hidden);
    expect(JSON.stringify(redactHeaders(input as Record<string, string>))).not.toContain(hidden);
  });
});

describe(redactQuery.name, () => {
  it('redacts sensitive parameters and keeps the rest', () => {
    expect(redactQuery('api_key=abc&customer=1&customer%5Bpassword%5D=x')).toBe(
      `api_key=${REDACTED}&customer=1&customer%5Bpassword%5D=${REDACTED}`,
    );
  });

  it('redacts secrets behind a # in a request target', () => {
    expect(redactUrl('/events?a=1#&api_key=lek_A&password=hunter2')).toBe(
      `/events?a=1#&api_key=${REDACTED}&password=${REDACTED}`,
    );
  });

  it('redacts a URL query and keeps the path', () => {
    expect(redactUrl('/events?api_key=abc&x=1')).toBe(`/events?api_key=${REDACTED}&x=1`);
    expect(redactUrl('/events')).toBe('/events');
  });
});

describe(redactHeaders.name, () => {
  it('redacts credentials and cookies', () => {
    expect(
      redactHeaders({
        Authorization: 'Basic x',
        cookie: 'sid=1',
        'x-request-id': 'r1',
        'set-cookie': ['a', 'b'],
      }),
    ).toEqual({
      Authorization: REDACTED,
      cookie: REDACTED,
      'x-request-id': 'r1',
      'set-cookie': REDACTED,
    });
  });
});

describe(redactBody.name, () => {
  it('redacts JSON and form bodies', () => {
    expect(redactBody('application/json', '{"x":{"password":"hunter2"}}')).toBe(
      `{"x":{"password":"${REDACTED}"}}`,
    );
    expect(redactBody('application/x-www-form-urlencoded', 'password=hunter2&a=b')).toBe(
      `password=${REDACTED}&a=b`,
    );
  });

  it('redacts every sensitive key of truncated JSON, whatever its value', () => {
    const truncated = `{"pwd":"hunter2","password":["hunter2b"],"privateKey":"PK-1","pin":4,"kek":{"a":1},"note":"${'x'.repeat(50)}`;
    const out = redactBody('application/json', truncated);
    for (const secret of ['hunter2', 'hunter2b', 'PK-1', '"a":1'])
      expect(out).not.toContain(secret);
    expect(out).toContain('"pin":4');
  });

  it('redacts malformed JSON by pattern', () => {
    const out = redactBody('application/json', '{"password": "hunter2", ');
    expect(out).not.toContain('hunter2');
  });

  it('replaces binary bodies by a size note', () => {
    expect(redactBody('application/octet-stream', 'abc')).toBe(
      '[3 bytes of application/octet-stream]',
    );
  });
});
