import { GATEWAY_OPENAPI } from '@loyalty-edge/loyalty-contracts';
import { OAuthWorld } from './support/oauth-world.js';

const world = new OAuthWorld();

beforeAll(async () => {
  await world.start();
});

afterAll(async () => {
  await world.stop();
});

describe('GET /openapi.json', () => {
  it('serves the API reference without credentials, cached, with a validator', async () => {
    const response = await fetch(`${world.url}/openapi.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(await response.json()).toEqual(GATEWAY_OPENAPI);
    const etag = response.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    const again = await fetch(`${world.url}/openapi.json`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    const head = await fetch(`${world.url}/openapi.json`, { method: 'HEAD' });
    expect([head.status, await head.text()]).toEqual([200, '']);
  });

  it('refuses other methods with 405 in the envelope', async () => {
    const response = await fetch(`${world.url}/openapi.json`, { method: 'POST' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
    expect(await response.json()).toMatchObject({ error: { code: 100405 } });
  });
});
