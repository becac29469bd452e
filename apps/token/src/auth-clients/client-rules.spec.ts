import { checkNewClient, parseIsoInstant, statusOf, type NewClientInput } from './client-rules.js';

const rules = {
  scopes: ['loyalty.async_events', 'loyalty.other'],
  audiences: ['https://gw.example.com/v1/async/events'],
  maxExpiryDays: 30,
};
const now = new Date('2026-12-01T12:00:00Z');
const input = (overrides: Partial<NewClientInput> = {}): NewClientInput => ({
  name: 'Checkout',
  purpose: 'Sends purchase events',
  expiresAt: '2026-12-20T00:00:00Z',
  scopes: ['loyalty.async_events'],
  audience: 'https://gw.example.com/v1/async/events',
  ...overrides,
});
const fields = (overrides: Partial<NewClientInput>): string[] => {
  const checked = checkNewClient(input(overrides), rules, now);
  return checked.ok ? [] : checked.problems.map((problem) => problem.field);
};

describe(checkNewClient.name, () => {
  it('accepts a valid client, trimming its name and purpose', () => {
    const checked = checkNewClient(input({ name: '  Checkout ', purpose: ' x ' }), rules, now);
    expect(checked).toEqual({
      ok: true,
      client: {
        name: 'Checkout',
        purpose: 'x',
        expiresAt: new Date('2026-12-20T00:00:00Z'),
        scopes: ['loyalty.async_events'],
        audience: 'https://gw.example.com/v1/async/events',
      },
    });
  });

  it('lists every bad field at once', () => {
    expect(
      fields({
        name: ' ',
        purpose: 'p'.repeat(501),
        expiresAt: 'tomorrow',
        scopes: ['loyalty.admin'],
        audience: 'https://elsewhere.example.com',
      }),
    ).toEqual(['name', 'purpose', 'expiresAt', 'scopes[0]', 'audience']);
  });

  it('bounds name and purpose lengths in characters', () => {
    expect(fields({ name: 'n'.repeat(100), purpose: 'p'.repeat(500) })).toEqual([]);
    expect(fields({ name: '😀'.repeat(100) })).toEqual([]);
    expect(fields({ name: 'n'.repeat(101) })).toEqual(['name']);
    expect(fields({ purpose: '' })).toEqual(['purpose']);
  });

  it('needs an expiry in the future and within the maximum', () => {
    expect(fields({ expiresAt: '2026-12-01T12:00:00Z' })).toEqual(['expiresAt']);
    expect(fields({ expiresAt: '2026-11-30T00:00:00Z' })).toEqual(['expiresAt']);
    expect(fields({ expiresAt: '2026-12-31T12:00:00Z' })).toEqual([]);
    expect(fields({ expiresAt: '2026-12-31T12:00:01Z' })).toEqual(['expiresAt']);
    const late = checkNewClient(input({ expiresAt: '2027-06-01' }), rules, now);
    expect(late.ok ? '' : late.problems[0]?.message).toBe('must be at most 30 days ahead');
  });

  it('needs one or more distinct scopes of the environment', () => {
    expect(fields({ scopes: [] })).toEqual(['scopes']);
    expect(fields({ scopes: ['loyalty.other', 'loyalty.other'] })).toEqual(['scopes']);
    expect(fields({ scopes: ['loyalty.other', 'loyalty.async_events'] })).toEqual([]);
    expect(fields({ scopes: ['loyalty.other', 'nope'] })).toEqual(['scopes[1]']);
  });
});

describe(parseIsoInstant.name, () => {
  it.each([
    ['2027-01-31', '2027-01-31T00:00:00.000Z'],
    ['2027-01-31T10:20Z', '2027-01-31T10:20:00.000Z'],
    ['2027-01-31T10:20:30.123Z', '2027-01-31T10:20:30.123Z'],
    ['2027-01-31T10:20:30+02:00', '2027-01-31T08:20:30.000Z'],
  ])('reads %s', (text, iso) => {
    expect(parseIsoInstant(text)?.toISOString()).toBe(iso);
  });

  it.each([
    '2027-02-30',
    '2027-13-01',
    '2027-01-31T10:20:30',
    '2027-01-31T24:00:00Z',
    '2027-01-31T10:60:00Z',
    '31/01/2027',
    'Sun, 31 Jan 2027 10:00:00 GMT',
    '',
  ])('refuses %j', (text) => {
    expect(parseIsoInstant(text)).toBeUndefined();
  });
});

describe(statusOf.name, () => {
  const future = new Date(now.getTime() + 1000);
  const past = new Date(now.getTime() - 1000);

  it('is active until the expiry', () => {
    expect(statusOf({ revokedAt: null, expiresAt: future }, now)).toBe('active');
  });

  it('is expired from the expiry instant on', () => {
    expect(statusOf({ revokedAt: null, expiresAt: now }, now)).toBe('expired');
    expect(statusOf({ revokedAt: null, expiresAt: past }, now)).toBe('expired');
  });

  it('is revoked once revoked, even when also expired', () => {
    expect(statusOf({ revokedAt: past, expiresAt: future }, now)).toBe('revoked');
    expect(statusOf({ revokedAt: past, expiresAt: past }, now)).toBe('revoked');
  });
});
