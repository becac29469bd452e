import { grantedScopes } from './scope.js';

const allowed = ['loyalty.async_events', 'loyalty.other'];

describe(grantedScopes.name, () => {
  it('grants all of the client’s scopes when none is asked for', () => {
    expect(grantedScopes(undefined, allowed)).toEqual({ ok: true, scopes: allowed });
  });

  it('grants the requested scopes, in order, without repeats', () => {
    expect(grantedScopes('loyalty.other', allowed)).toEqual({
      ok: true,
      scopes: ['loyalty.other'],
    });
    expect(grantedScopes('loyalty.other loyalty.async_events loyalty.other', allowed)).toEqual({
      ok: true,
      scopes: ['loyalty.other', 'loyalty.async_events'],
    });
  });

  it('refuses a scope the client does not have as invalid_scope', () => {
    expect(grantedScopes('loyalty.admin', allowed)).toEqual({ ok: false, error: 'invalid_scope' });
    expect(grantedScopes('loyalty.other loyalty.admin', allowed)).toEqual({
      ok: false,
      error: 'invalid_scope',
    });
    expect(grantedScopes('LOYALTY.OTHER', allowed)).toEqual({ ok: false, error: 'invalid_scope' });
  });

  it.each(['', ' ', ' loyalty.other', 'loyalty.other ', 'a  b', 'a\tb', 'a"b', 'a\\b', 'é'])(
    'refuses the malformed scope parameter %j as invalid_request',
    (requested) => {
      expect(grantedScopes(requested, allowed)).toEqual({ ok: false, error: 'invalid_request' });
    },
  );
});
