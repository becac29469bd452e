/** RFC 6749 §3.3: scope = scope-token *( SP scope-token ), scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). */
const SCOPE = /^[\x21\x23-\x5B\x5D-\x7E]+(?: [\x21\x23-\x5B\x5D-\x7E]+)*$/;

export type ScopeResult =
  | { readonly ok: true; readonly scopes: readonly string[] }
  | { readonly ok: false; readonly error: 'invalid_request' | 'invalid_scope' };

/**
 * The scopes granted for a request: all of the client's when `requested` is absent; otherwise
 * the requested ones (repeats dropped, in order), each of which the client must have. An empty
 * or malformed parameter is `invalid_request`, a scope the client lacks `invalid_scope`.
 */
export function grantedScopes(
  requested: string | undefined,
  allowed: readonly string[],
): ScopeResult {
  if (requested === undefined) return { ok: true, scopes: allowed };
  if (!SCOPE.test(requested)) return { ok: false, error: 'invalid_request' };
  const scopes = [...new Set(requested.split(' '))];
  if (!scopes.every((scope) => allowed.includes(scope)))
    return { ok: false, error: 'invalid_scope' };
  return { ok: true, scopes };
}
