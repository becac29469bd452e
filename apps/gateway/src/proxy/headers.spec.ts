import { upstreamRequestHeaders, withoutCredentials } from './headers.js';

describe(upstreamRequestHeaders.name, () => {
  it('drops hop-by-hop headers, credentials and spoofed trusted headers', () => {
    const out = upstreamRequestHeaders({
      connection: 'keep-alive, x-private',
      'x-private': '1',
      'keep-alive': 'timeout=5',
      authorization: 'ANTAVO-HMAC-SHA256 Credential=...',
      cookie: 'a=b',
      'x-le-workspace-id': 'someone-else',
      'transfer-encoding': 'chunked',
      'content-type': 'application/json',
      accept: 'application/json',
    });
    expect(out).toEqual({ 'content-type': 'application/json', accept: 'application/json' });
  });

  it('drops every client-sent x-le-* header and URL or method override headers', () => {
    const out = upstreamRequestHeaders({
      'x-le-workspace-id': 'someone-else',
      'x-le-client-id': 'lec_forged',
      'x-le-anything-new': '1',
      'x-le-': '1',
      'x-original-url': '/admin',
      'x-rewrite-url': '/admin',
      'x-http-method-override': 'DELETE',
      'x-http-method': 'DELETE',
      'x-method-override': 'DELETE',
      'x-real-ip': '10.0.0.1',
      'x-forwarded-port': '443',
      'x-forwarded-prefix': '/admin',
      expect: '100-continue',
      'x-lead': 'kept',
      accept: 'application/json',
    });
    expect(out).toEqual({ 'x-lead': 'kept', accept: 'application/json' });
  });
});

describe(withoutCredentials.name, () => {
  it('removes api_key and presign parameters and keeps the rest in order', () => {
    expect(withoutCredentials('b=2&api_key=lek_x&a=1')).toBe('b=2&a=1');
    expect(withoutCredentials('X-Antavo-Signature=abc&q=1')).toBe('q=1');
    expect(withoutCredentials('q=api_keys')).toBe('q=api_keys');
    expect(withoutCredentials('api%5Fkey=lek_A&api_key=zzz&x=1')).toBe('x=1');
    expect(withoutCredentials('X%2DAntavo%2DDate=1&x=1')).toBe('x=1');
  });
});
