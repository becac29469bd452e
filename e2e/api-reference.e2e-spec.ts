import { randomBytes } from 'node:crypto';
import { GATEWAY_OPENAPI } from '@loyalty-edge/loyalty-contracts';
import { exampleRequests, missingRequired } from './support/openapi-replay.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';
import { Session } from './support/session.js';

// The contract test of the integrators' API reference: every example request of the OpenAPI
// document served at /openapi.json is sent through a running gateway to the real services, in
// the document's order, and must get the status of the response example of the same name,
// with the required fields of the documented schema.

describe('the API reference against the running platform', () => {
  let platform: TestPlatform;
  let gateway = '';
  let apiKey = '';
  let client = { clientId: '', clientSecret: '' };
  const ws = `ref-${randomBytes(3).toString('hex')}`;

  beforeAll(async () => {
    platform = await startTestPlatform();
    gateway = platform.gateways[0]!;
    const operator = await Session.login(
      platform.management,
      platform.admin.email,
      platform.admin.password,
    );
    await operator.ok('POST', '/api/workspaces', { id: ws, name: 'API reference' });
    apiKey = (await operator.ok<{ apiKey: string }>('POST', `/api/workspaces/${ws}/credentials`))
      .apiKey;
    await operator.enableModule(ws, 'asyncEvents');
    const options = await operator.ok<{ audiences: string[] }>('GET', '/api/auth-client-options');
    client = await operator.ok('POST', `/api/workspaces/${ws}/auth-clients`, {
      name: 'reference',
      purpose: 'contract test',
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      scopes: ['loyalty.async_events'],
      audience: options.audiences[0],
    });
  }, 120_000);

  afterAll(async () => {
    await (platform as TestPlatform | undefined)?.shutdown();
  });

  const basic = (): string =>
    `Basic ${Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`).toString('base64')}`;

  async function accessToken(): Promise<string> {
    const response = await fetch(`${gateway}/v1/auth/token`, {
      method: 'POST',
      headers: { authorization: basic(), 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&scope=loyalty.async_events',
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { access_token: string }).access_token;
  }

  it('is what the gateway serves at /openapi.json', async () => {
    const response = await fetch(`${gateway}/openapi.json`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(GATEWAY_OPENAPI);
  });

  it('answers every example request with its documented status and schema', async () => {
    const token = await accessToken();
    const requests = exampleRequests(GATEWAY_OPENAPI);
    expect(requests.length).toBeGreaterThan(15);
    const outcomes: string[] = [];
    for (const example of requests) {
      const query = new URLSearchParams(example.query);
      const headers: Record<string, string> = {};
      if (example.security.includes('api_key')) query.set('api_key', apiKey);
      if (example.security.includes('bearer')) headers.authorization = `Bearer ${token}`;
      if (example.security.includes('client_basic')) headers.authorization = basic();
      if (example.contentType !== undefined) headers['content-type'] = example.contentType;
      const text = query.toString();
      const response = await fetch(`${gateway}${example.path}${text === '' ? '' : `?${text}`}`, {
        method: example.method.toUpperCase(),
        headers,
        ...(example.body === undefined ? {} : { body: example.body }),
      });
      const body: unknown = await response.json();
      const missing =
        example.schema === undefined ? [] : missingRequired(GATEWAY_OPENAPI, example.schema, body);
      outcomes.push(
        `${example.label} → ${response.status}${missing.length > 0 ? ` missing ${missing.join(', ')}` : ''}`,
      );
    }
    expect(outcomes).toEqual(requests.map((example) => `${example.label} → ${example.status}`));
    // successes and refusals alike: the examples show both
    const statuses = new Set(requests.map((example) => example.status));
    expect([...statuses].sort()).toEqual([200, 400, 404, 409]);
  });

  it('takes an event as the old PHP SDK sends it: api_key in a nested form body', async () => {
    const form = [
      ['api_key', apiKey],
      ['customer', 'php-sdk-1'],
      ['action', 'opt_in'],
      ['data[email]', 'php@example.com'],
      ['data[tags][0]', 'gold'],
    ]
      .map(([key, value]) => `${encodeURIComponent(key!)}=${encodeURIComponent(value!)}`)
      .join('&');
    const response = await fetch(`${gateway}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: 'php-sdk-1', email: 'php@example.com' });
  });

  it('would notice a body without its documented fields, or a request without credentials', async () => {
    const customer = { $ref: '#/components/schemas/Customer' };
    expect(missingRequired(GATEWAY_OPENAPI, customer, { id: 'c1' })).toContain('score');
    const [first] = exampleRequests(GATEWAY_OPENAPI);
    const response = await fetch(`${gateway}${first!.path}`, {
      method: 'POST',
      headers: { 'content-type': first!.contentType ?? '' },
      body: first!.body ?? '',
    });
    expect([first!.status, response.status]).toEqual([200, 401]);
  });
});
