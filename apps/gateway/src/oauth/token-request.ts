/**
 * Reading a token request (RFC 6749 §2.3.1, §3.2, §4.4): the form body and the client's
 * credentials, from an HTTP Basic header or the body. Pure functions, no I/O.
 */

export type FormParams = ReadonlyMap<string, string>;

export type FormResult =
  | { readonly ok: true; readonly params: FormParams }
  | { readonly ok: false; readonly problem: 'malformed' | 'repeated' };

/** `application/x-www-form-urlencoded` decoding of one name or value; undefined when malformed. */
export function formDecode(raw: string): string | undefined {
  if (!raw.includes('%') && !raw.includes('+')) return raw;
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/**
 * Parses a form body. A parameter may appear once (§3.2); one sent without a value counts as
 * omitted (§3.1), so it is not in `params`, but repeating it is still refused.
 */
export function parseForm(body: string): FormResult {
  const params = new Map<string, string>();
  const seen = new Set<string>();
  for (const pair of body.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = formDecode(eq === -1 ? pair : pair.slice(0, eq));
    const value = formDecode(eq === -1 ? '' : pair.slice(eq + 1));
    if (name === undefined || value === undefined) return { ok: false, problem: 'malformed' };
    if (seen.has(name)) return { ok: false, problem: 'repeated' };
    seen.add(name);
    if (value !== '') params.set(name, value);
  }
  return { ok: true, params };
}

export interface ClientCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

const BASIC = /^basic +([A-Za-z0-9+/]+={0,2}) *$/i;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * `Authorization: Basic base64(formUrlEncoded(id) ":" formUrlEncoded(secret))`; undefined when
 * the header is not that (bad base64, no colon, an empty id or secret, a bad escape).
 */
export function parseBasic(header: string): ClientCredentials | undefined {
  const encoded = BASIC.exec(header)?.[1];
  if (encoded === undefined) return undefined;
  const bytes = Buffer.from(encoded, 'base64');
  if (bytes.toString('base64').replace(/=+$/, '') !== encoded.replace(/=+$/, '')) return undefined;
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return undefined;
  }
  const colon = text.indexOf(':');
  if (colon === -1) return undefined;
  const clientId = formDecode(text.slice(0, colon));
  const clientSecret = formDecode(text.slice(colon + 1));
  if (!clientId || !clientSecret) return undefined;
  return { clientId, clientSecret };
}

export type ClientAuthentication =
  | (ClientCredentials & {
      readonly ok: true;
      readonly method: 'client_secret_basic' | 'client_secret_post';
    })
  | {
      readonly ok: false;
      readonly error: 'invalid_request' | 'invalid_client';
      /** For the failed-call log. */
      readonly reason: string;
      readonly message: string;
      /** The client id as far as it could be read, for the token log. */
      readonly clientId: string | undefined;
    };

const CLIENT_AUTH_FAILED = 'Client authentication failed';

/**
 * The client's credentials, by exactly one method: HTTP Basic (client_secret_basic) or
 * `client_id` + `client_secret` in the body (client_secret_post).
 */
export function clientCredentials(
  authorization: string | undefined,
  params: FormParams,
): ClientAuthentication {
  const bodyId = params.get('client_id');
  const bodySecret = params.get('client_secret');
  if (authorization !== undefined) {
    if (!/^basic(?: |$)/i.test(authorization)) {
      return refused('invalid_client', 'unsupported_auth_scheme', CLIENT_AUTH_FAILED, bodyId);
    }
    const basic = parseBasic(authorization);
    if (basic === undefined) {
      return refused('invalid_client', 'malformed_basic', CLIENT_AUTH_FAILED, bodyId);
    }
    if (bodySecret !== undefined) {
      return refused(
        'invalid_request',
        'multiple_client_auth',
        'Use one client authentication method, not both',
        basic.clientId,
      );
    }
    if (bodyId !== undefined && bodyId !== basic.clientId) {
      return refused(
        'invalid_request',
        'client_id_mismatch',
        'client_id does not match the client that authenticated',
        basic.clientId,
      );
    }
    return { ok: true, method: 'client_secret_basic', ...basic };
  }
  if (bodyId === undefined || bodySecret === undefined) {
    return refused('invalid_client', 'missing_client_auth', CLIENT_AUTH_FAILED, bodyId);
  }
  return { ok: true, method: 'client_secret_post', clientId: bodyId, clientSecret: bodySecret };
}

function refused(
  error: 'invalid_request' | 'invalid_client',
  reason: string,
  message: string,
  clientId: string | undefined,
): ClientAuthentication {
  return { ok: false, error, reason, message, clientId };
}
