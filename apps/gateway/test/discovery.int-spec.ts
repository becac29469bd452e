import * as oauth from 'oauth4webapi';
import { KV_BUCKETS } from '@loyalty-edge/contracts';
import { kvDelete, openBucket } from '@loyalty-edge/nats';
import { within } from '@loyalty-edge/testing';
import { JWKS_KEY } from '@loyalty-edge/token-contracts';
import { OAuthWorld, SCOPE } from './support/oauth-world.js';

const world = new OAuthWorld();
// the gateway under test listens on plain HTTP (loopback)
// eslint-disable-next-line @typescript-eslint/no-deprecated
const insecure = { [oauth.allowInsecureRequests]: true };

beforeAll(async () => {
  await world.start();
});

afterAll(async () => {
  await world.stop();
});

describe('discovery', () => {
  it('serves RFC 8414 metadata that oauth4webapi accepts', async () => {
    const issuer = new URL(world.issuer.issuer);
    const response = await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure });
    expect(response.headers.get('cache-control')).toBe('public, max-age=3600');
    const as = await oauth.processDiscoveryResponse(issuer, response);
    expect(as).toEqual({
      issuer: world.url,
      token_endpoint: `${world.url}/v1/auth/token`,
      jwks_uri: `${world.url}/.well-known/jwks.json`,
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      scopes_supported: [SCOPE, 'loyalty.other'],
      response_types_supported: [],
    });
  });

  it('serves the JWKS with a validator, HEAD too, and refuses other methods', async () => {
    const response = await fetch(`${world.url}/.well-known/jwks.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    expect(await response.json()).toEqual({ keys: [world.key.jwk] });
    const etag = response.headers.get('etag') ?? '';
    expect(etag).toMatch(/^".+"$/);
    const again = await fetch(`${world.url}/.well-known/jwks.json`, {
      headers: { 'if-none-match': etag },
    });
    expect(again.status).toBe(304);
    const head = await fetch(`${world.url}/.well-known/oauth-authorization-server`, {
      method: 'HEAD',
    });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(100);
    const posted = await fetch(`${world.url}/.well-known/jwks.json`, { method: 'POST' });
    expect(posted.status).toBe(405);
    expect(posted.headers.get('allow')).toBe('GET, HEAD');
  });

  it('answers 503 while the token service has published no JWKS', async () => {
    const bucket = await openBucket(world.link, KV_BUCKETS.jwks);
    await kvDelete(bucket, JWKS_KEY);
    await within(2000, () => Promise.resolve(world.store.tokenKeys.jwks === undefined));
    const response = await fetch(`${world.url}/.well-known/jwks.json`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      error: {
        type: 'ServiceUnavailableException',
        code: 110503,
        message: 'The signing keys are not available yet',
      },
    });
    await world.put(KV_BUCKETS.jwks, JWKS_KEY, { keys: [world.key.jwk] });
    await within(2000, async () => (await fetch(`${world.url}/.well-known/jwks.json`)).ok);
  });
});
