import { FAILED_CALL_LIMITS } from '@loyalty-edge/audit-contracts';
import { fitFailedCall, mayHoldUnstorable, replaceUnstorable } from './fit-event.js';

const event = (request: Record<string, unknown>, response: Record<string, unknown> = {}) => ({
  reason: 'upstream',
  request: { method: 'GET', url: '/events', headers: {}, body: '', ...request },
  response: { status: 404, headers: {}, body: '', ...response },
});

describe(fitFailedCall.name, () => {
  it('leaves an event within the limits alone', () => {
    const fitting = event({ url: '/events?x=1', headers: { accept: '*/*' } });
    const copy = structuredClone(fitting);
    expect(fitFailedCall(fitting)).toEqual([]);
    expect(fitting).toEqual(copy);
  });

  it('cuts every over-long part, marks it, and names what it cut', () => {
    const many = Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`x-h-${i}`, 'v']));
    const big = event(
      { url: `/e?${'a'.repeat(9000)}`, headers: many, body: 'b'.repeat(2_000_000) },
      { headers: { [`x-${'n'.repeat(300)}`]: 'v'.repeat(20_000) }, body: 'c'.repeat(2_000_000) },
    );
    big.reason = 'r'.repeat(300);
    expect(fitFailedCall(big)).toEqual([
      'reason',
      'url',
      'request_headers',
      'request_body',
      'response_headers',
      'response_body',
    ]);
    expect(big.reason).toHaveLength(100);
    expect(big.request.url).toHaveLength(FAILED_CALL_LIMITS.url);
    expect(big.request.url.endsWith('…[truncated]')).toBe(true);
    expect(Object.keys(big.request.headers)).toHaveLength(FAILED_CALL_LIMITS.headers);
    expect(big.request.body).toHaveLength(FAILED_CALL_LIMITS.body);
    const [name, value] = Object.entries(big.response.headers)[0] ?? ['', ''];
    expect(name).toHaveLength(FAILED_CALL_LIMITS.headerName);
    expect(value).toHaveLength(FAILED_CALL_LIMITS.headerValue);
    expect(big.request).toMatchObject({ truncated: ['url', 'headers', 'body'] });
    expect(big.response).toMatchObject({ truncated: ['headers', 'body'] });
  });

  it('adds to what the gateway already marked, once each', () => {
    const marked = event({ url: `/e?${'a'.repeat(9000)}`, truncated: ['body', 'url'] });
    fitFailedCall(marked);
    expect(marked.request).toMatchObject({ truncated: ['url', 'body'] });
  });
});

describe(replaceUnstorable.name, () => {
  it('replaces NUL and unpaired surrogates in strings and keys at any depth, and counts them', () => {
    const value = {
      a: 'x\u0000y',
      ok: 'fine 😀',
      list: ['\ud800', { 'k\u0000': 'v', deep: ['z\udc00'] }],
    };
    expect(replaceUnstorable(value)).toBe(4);
    expect(value).toEqual({
      a: 'x\ufffdy',
      ok: 'fine 😀',
      list: ['\ufffd', { 'k\ufffd': 'v', deep: ['z\ufffd'] }],
    });
  });

  it('is only needed when the JSON text has a NUL or surrogate escape', () => {
    expect(mayHoldUnstorable(JSON.stringify({ a: 'x\u0000' }))).toBe(true);
    expect(mayHoldUnstorable(JSON.stringify({ a: '\ud800' }))).toBe(true);
    expect(mayHoldUnstorable(JSON.stringify({ a: 'plain 😀 \u0001' }))).toBe(false);
  });
});
