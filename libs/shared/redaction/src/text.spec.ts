import { REDACTED } from './names.js';
import { redactText } from './text.js';

describe(redactText.name, () => {
  it('keeps text without secrets as it is', () => {
    const texts = [
      'Note: the token endpoint answers in 12:30 ms, see https://docs.example.com:443/a?b=1#c',
      'client 2001:db8::1 and ::ffff:1.2.3.4 at 2024-01-01T12:00:00Z',
      '<p class="x">Bearer tokens are checked; Basic auth is refused.</p>',
      'Unexpected token } in JSON at position 5',
      'Author: Jane\nKeep-Alive: timeout=5\nX-Request-Id: r-1',
    ];
    for (const text of texts) expect(redactText(text)).toBe(text);
  });

  it('reads a dashed name at the start of a line as a header name', () => {
    expect(redactText('X-Session-Id: s-1\nSec-WebSocket-Key: k-1\nX-Trace: t-1')).toBe(
      `X-Session-Id: ${REDACTED}\nSec-WebSocket-Key: ${REDACTED}\nX-Trace: t-1`,
    );
  });

  it('redacts bare Bearer and Basic credentials, and the password of a URL', () => {
    expect(redactText('sent Bearer lep_0123456789 twice')).toBe(`sent Bearer ${REDACTED} twice`);
    expect(redactText('with Basic dXNlcjpodW50ZXIy.')).toBe(`with Basic ${REDACTED}.`);
    expect(redactText('connect postgres://app:hunter2@db:5432/x')).toBe(
      `connect postgres://app:${REDACTED}@db:5432/x`,
    );
  });

  it('redacts `\\npassword: x` inside a JSON string, and keys of several words', () => {
    expect(redactText('{"log":"a\\npwd: p-1","n":1}')).not.toContain('p-1');
    expect(redactText('your private key = pk-1 ok')).toBe(`your private key = ${REDACTED} ok`);
  });

  it('stays linear on hostile input', () => {
    const size = 1 << 18;
    const hostile = [
      'a=',
      'x:',
      '[]:',
      '<field name="pwd">',
      'a://b:',
      'Basic aaaa ',
      '"a',
      'eyJa.',
    ];
    for (const unit of hostile) {
      const text = unit.repeat(Math.ceil(size / unit.length));
      const started = performance.now();
      redactText(text);
      expect({ unit, slow: performance.now() - started > 2000 }).toEqual({ unit, slow: false });
    }
  });
});
