import { clientCredentials, formDecode, parseBasic, parseForm } from './token-request.js';

/** What oauth4webapi and RFC 6749 §2.3.1 send: form-url-encoding, then base64. */
function basic(id: string, secret: string): string {
  const encode = (value: string): string =>
    encodeURIComponent(value).replace(
      /[-_.!~*'()]/g,
      (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
    );
  return `Basic ${Buffer.from(`${encode(id)}:${encode(secret)}`).toString('base64')}`;
}

const params = (body: string): ReadonlyMap<string, string> => {
  const form = parseForm(body);
  if (!form.ok) throw new Error(form.problem);
  return form.params;
};

describe(parseForm.name, () => {
  it('decodes names and values, and treats an empty value as omitted', () => {
    const form = params('grant_type=client_credentials&scope=a+b%20c&client%5Fid=x&empty=');
    expect([...form]).toEqual([
      ['grant_type', 'client_credentials'],
      ['scope', 'a b c'],
      ['client_id', 'x'],
    ]);
  });

  it('refuses a repeated parameter, even an empty one, and bad escapes', () => {
    expect(parseForm('scope=a&scope=b')).toEqual({ ok: false, problem: 'repeated' });
    expect(parseForm('grant_type=&grant_type=client_credentials')).toEqual({
      ok: false,
      problem: 'repeated',
    });
    expect(parseForm('scope=%E0%A4%A')).toEqual({ ok: false, problem: 'malformed' });
  });

  it('accepts an empty body', () => {
    expect(parseForm('')).toEqual({ ok: true, params: new Map() });
  });
});

describe(formDecode.name, () => {
  it('turns plus into space and decodes escapes', () => {
    expect(formDecode('a+b%2Bc')).toBe('a b+c');
    expect(formDecode('%')).toBeUndefined();
  });
});

describe(parseBasic.name, () => {
  it('form-decodes the id and the secret (RFC 6749 §2.3.1)', () => {
    expect(parseBasic(basic('lec_a-b_c', 'lecs_x:y+z'))).toEqual({
      clientId: 'lec_a-b_c',
      clientSecret: 'lecs_x:y+z',
    });
    expect(parseBasic(`basic   ${Buffer.from('id:secret').toString('base64')}`)).toEqual({
      clientId: 'id',
      clientSecret: 'secret',
    });
  });

  it('refuses what is not a well-formed Basic credential', () => {
    for (const header of [
      'Basic',
      'Basic !!!',
      `Basic ${Buffer.from('no-colon').toString('base64')}`,
      `Basic ${Buffer.from(':secret').toString('base64')}`,
      `Basic ${Buffer.from('id:').toString('base64')}`,
      `Basic ${Buffer.from('id:%zz').toString('base64')}`,
      `Basic ${Buffer.from([0x69, 0x3a, 0xff]).toString('base64')}`,
      'Basic aWQ6c2VjcmV0x',
      `Bearer ${Buffer.from('id:secret').toString('base64')}`,
    ]) {
      expect([header, parseBasic(header)]).toEqual([header, undefined]);
    }
  });
});

describe(clientCredentials.name, () => {
  it('takes the client from Basic or from the body', () => {
    expect(clientCredentials(basic('c1', 's1'), params('grant_type=x&client_id=c1'))).toEqual({
      ok: true,
      method: 'client_secret_basic',
      clientId: 'c1',
      clientSecret: 's1',
    });
    expect(clientCredentials(undefined, params('client_id=c1&client_secret=s1'))).toEqual({
      ok: true,
      method: 'client_secret_post',
      clientId: 'c1',
      clientSecret: 's1',
    });
  });

  it('refuses two methods at once and a body client_id that differs', () => {
    expect(
      clientCredentials(basic('c1', 's1'), params('client_id=c1&client_secret=s1')),
    ).toMatchObject({ ok: false, error: 'invalid_request', reason: 'multiple_client_auth' });
    expect(clientCredentials(basic('c1', 's1'), params('client_id=c2'))).toMatchObject({
      ok: false,
      error: 'invalid_request',
      reason: 'client_id_mismatch',
      clientId: 'c1',
    });
  });

  it('answers invalid_client without credentials, with a bad Basic or another scheme', () => {
    expect(clientCredentials(undefined, params('client_id=c1'))).toMatchObject({
      error: 'invalid_client',
      reason: 'missing_client_auth',
      clientId: 'c1',
    });
    expect(clientCredentials(undefined, params(''))).toMatchObject({
      error: 'invalid_client',
      clientId: undefined,
    });
    expect(clientCredentials('Basic !!', params(''))).toMatchObject({
      error: 'invalid_client',
      reason: 'malformed_basic',
    });
    expect(clientCredentials('Bearer abc', params('client_id=c1&client_secret=s'))).toMatchObject({
      error: 'invalid_client',
      reason: 'unsupported_auth_scheme',
    });
  });
});
