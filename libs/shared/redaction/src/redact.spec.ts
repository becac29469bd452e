import { BODY_SEEDS, HEADER_SEEDS, VALUE_SEEDS } from '../test/seed-corpus.js';
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

describe('redaction seed corpus', () => {
  it.each(VALUE_SEEDS)('hides $hidden', ({ input, hidden }) => {
    expect(JSON.stringify(redactValue(input))).not.toContain(hidden);
    expect(JSON.stringify(redactHeaders(input as Record<string, string>))).not.toContain(hidden);
  });

  it.each(BODY_SEEDS)(
    'hides the secret of the body seed: $name',
    ({ contentType, body, hidden }) => {
      const out = redactBody(contentType, body);
      for (const secret of hidden) expect(out).not.toContain(secret);
      expect(out).toContain(REDACTED);
    },
  );

  it.each(HEADER_SEEDS)('hides the header seed $hidden', ({ input, hidden }) => {
    expect(JSON.stringify(redactHeaders(input as Record<string, string>))).not.toContain(hidden);
  });
});

// Reviewer findings: text bodies (any content type) and header names.
describe(`${redactBody.name} of text`, () => {
  it.each([
    'text/plain',
    'text/html; charset=utf-8',
    'application/xml',
    'application/soap+xml',
    'text/csv',
    undefined,
    '',
  ])(
    'redacts `key: value` and `key=value` pairs in a %p body, keeping the rest readable',
    (type) => {
      const body = [
        'user: bob',
        'password: hunter2',
        '  client_secret = cs-1 cs-2',
        'Api Key: k-1',
        'login with pwd=p-1 please',
        'note: keep me',
      ].join('\n');
      expect(redactBody(type, body)).toBe(
        [
          'user: bob',
          `password: ${REDACTED}`,
          `  client_secret = ${REDACTED}`,
          `Api Key: ${REDACTED}`,
          `login with pwd=${REDACTED} please`,
          'note: keep me',
        ].join('\n'),
      );
    },
  );

  it('redacts single- and double-quoted sensitive keys and values in text', () => {
    expect(
      redactBody('text/plain', `{'api_secret': 'sq-1', "token" : "dq-1", note: 'x', 'pin': 4}`),
    ).toBe(`{'api_secret': '${REDACTED}', "token" : "${REDACTED}", note: 'x', 'pin': 4}`);
  });

  it('redacts Authorization lines (Bearer, Basic, Escher) inside text bodies', () => {
    const body = [
      'POST /v1/events HTTP/1.1',
      'Authorization: Bearer lep_0123456789abcdef',
      'Proxy-Authorization: Basic dXNlcjpodW50ZXIy',
      'authorization: ANTAVO-HMAC-SHA256 Credential=lek_1/20240101/eu/api/antavo_request, SignedHeaders=date;host, Signature=0a1b',
      'Host: api.example.com',
      '',
    ].join('\r\n');
    expect(redactBody('message/http', body)).toBe(
      [
        'POST /v1/events HTTP/1.1',
        `Authorization: ${REDACTED}`,
        `Proxy-Authorization: ${REDACTED}`,
        `authorization: ${REDACTED}`,
        'Host: api.example.com',
        '',
      ].join('\r\n'),
    );
    expect(redactBody('application/json', '{"auth":"Bearer lep_0123456789abcdef"}')).toBe(
      `{"auth":"Bearer ${REDACTED}"}`,
    );
  });

  it('redacts JWTs anywhere in a body, under any key', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjMSJ9.c2lnbmF0dXJl';
    expect(redactBody('application/json', `{"data":{"t":"${jwt}"},"n":1}`)).toBe(
      `{"data":{"t":"${REDACTED}"},"n":1}`,
    );
    expect(redactBody('text/plain', `see ${jwt} here`)).toBe(`see ${REDACTED} here`);
    expect(redactBody('application/x-www-form-urlencoded', `assertion=${jwt}&a=1`)).toBe(
      `assertion=${REDACTED}&a=1`,
    );
  });

  it('redacts XML elements and name/value attributes named like a secret', () => {
    expect(
      redactBody(
        'application/xml',
        '<login><user>bob</user><password>hunter2</password><ns:ApiKey>k1</ns:ApiKey>' +
          '<field name="api_key">k2</field><add key="ClientSecret" value="s3"/></login>',
      ),
    ).toBe(
      `<login><user>bob</user><password>${REDACTED}</password><ns:ApiKey>${REDACTED}</ns:ApiKey>` +
        `<field name="api_key">${REDACTED}</field><add key="ClientSecret" value="${REDACTED}"/></login>`,
    );
    expect(
      redactBody(
        'text/html',
        '<input type="password" name="password" value="hunter2"><input name="user" value="bob">',
      ),
    ).toBe(
      `<input type="password" name="password" value="${REDACTED}"><input name="user" value="bob">`,
    );
  });

  it('redacts the sensitive fields of a multipart body and keeps the others readable', () => {
    const part = (headers: string, content: string) => `--XyZ\r\n${headers}\r\n\r\n${content}\r\n`;
    const body =
      part('Content-Disposition: form-data; name="user"', 'bob') +
      part('Content-Disposition: form-data; name="password"', 'hunter2') +
      part(
        'Content-Disposition: form-data; name="note"\r\nContent-Type: text/plain',
        'token: t-1',
      ) +
      part(
        'Content-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png',
        '\u0089PNG\r\n',
      ) +
      '--XyZ--\r\n';
    expect(redactBody('multipart/form-data; boundary=XyZ', body)).toBe(
      part('Content-Disposition: form-data; name="user"', 'bob') +
        part('Content-Disposition: form-data; name="password"', REDACTED) +
        part(
          'Content-Disposition: form-data; name="note"\r\nContent-Type: text/plain',
          `token: ${REDACTED}`,
        ) +
        part(
          'Content-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png',
          '[7 bytes of image/png]',
        ) +
        '--XyZ--\r\n',
    );
  });

  it('redacts whole nested values under a sensitive key of truncated JSON', () => {
    const out = redactBody(
      'application/json',
      '{"password":[["a"],["hunter2"]],"kek":{"x":{"y":1},"z":"K-2"},"note":"visible',
    );
    expect(out).not.toContain('hunter2');
    expect(out).not.toContain('K-2');
    expect(out).toContain('"note":"visible');
  });

  it('redacts secrets inside JSON that is embedded in a JSON string', () => {
    const body = '{"payload":"{\\"password\\":\\"hunter2\\",\\"a\\":1}"}';
    expect(redactBody('application/json', body)).toBe(
      `{"payload":"{\\"password\\":\\"${REDACTED}\\",\\"a\\":1}"}`,
    );
    expect(redactBody('application/json', `${body.slice(0, -2)}, "b`)).not.toContain('hunter2');
  });
});

describe(`${redactHeaders.name} by name`, () => {
  const SECRET_HEADERS = [
    'x-session',
    'x-session-id',
    'X-Credentials',
    'x-csrf',
    'X-XSRF-TOKEN',
    'x-auth',
    'x-auth-token',
    'x-access-key',
    'x-api-secret',
    'proxy-authorization',
    'x-amz-security-token',
    'x-goog-api-key',
    'sec-websocket-key',
    'x-hub-signature-256',
    'x-user-password',
    'authentication-info',
  ];

  it.each(SECRET_HEADERS)('redacts %s, whose name says it holds a secret', (name) => {
    expect(redactHeaders({ [name]: 'v-1' })).toEqual({ [name]: REDACTED });
  });

  it('keeps benign headers readable', () => {
    const benign = {
      'x-request-id': 'r-1',
      'content-length': '12',
      accept: 'application/json',
      'x-forwarded-for': '1.2.3.4',
      'user-agent': 'curl/8',
      'keep-alive': 'timeout=5',
      'content-type': 'application/json',
      host: 'api.example.com',
      date: 'Mon, 01 Jan 2024 12:00:00 GMT',
      'www-authenticate': 'Bearer error="invalid_token"',
      'proxy-authenticate': 'Basic realm="edge"',
      'cache-control': 'no-store',
      'x-amz-date': '20240101T120000Z',
      'access-control-allow-headers': 'Authorization, X-CSRF-Token',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      location: '/v1/customers/c1',
    };
    expect(redactHeaders(benign)).toEqual(benign);
  });

  it('redacts JWTs and credential parameters in the values of other headers', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjMSJ9.c2lnbmF0dXJl';
    expect(
      redactHeaders({
        referer: 'https://app.example/cb?code=1&access_token=at-1',
        'x-debug': `id ${jwt}`,
      }),
    ).toEqual({
      referer: `https://app.example/cb?code=1&access_token=${REDACTED}`,
      'x-debug': `id ${REDACTED}`,
    });
  });
});
