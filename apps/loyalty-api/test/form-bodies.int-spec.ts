import type { CustomerView, EventResponse } from '@loyalty-edge/loyalty-contracts';
import { ServiceTest } from '@loyalty-edge/service-testing';
import { loyaltyApp } from '../src/app.module.js';
import { loadConfig } from '../src/config.js';

// Events sent as Antavo's old PHP SDK sends them: application/x-www-form-urlencoded, the event
// built by http_build_query (the gateway has already taken api_key out of the body).

const test = new ServiceTest(loadConfig, loyaltyApp);

beforeAll(() => test.start());
afterAll(() => test.close());

async function post(
  path: string,
  contentType: string,
  body: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${test.service.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': contentType, 'x-le-workspace-id': 'ws-form' },
    body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const FORM = 'application/x-www-form-urlencoded';
/** PHP's http_build_query of nested arrays: brackets percent-encoded, spaces as +. */
const phpQuery = (pairs: readonly [string, string][]): string =>
  pairs
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v).replace(/%20/g, '+')}`)
    .join('&');

describe('form-encoded events', () => {
  it('opts a customer in and adds points from PHP-style nested form bodies', async () => {
    const optIn = await post(
      '/events',
      FORM,
      phpQuery([
        ['customer', 'php-1'],
        ['action', 'opt_in'],
        ['data[first_name]', 'Ann Lee'],
        ['data[email]', 'ann@example.com'],
        ['data[tags][0]', 'gold'],
        ['data[tags][1]', 'vip'],
      ]),
    );
    expect(optIn.status).toBe(200);
    expect(optIn.body).toMatchObject({
      id: 'php-1',
      first_name: 'Ann Lee',
      email: 'ann@example.com',
    });

    // unencoded brackets too, and points as a decimal string
    const added = await post(
      '/events',
      `${FORM}; charset=UTF-8`,
      'customer=php-1&action=point_add&data[points]=40&data[reason]=welcome+bonus',
    );
    expect(added.status).toBe(200);
    expect((added.body as unknown as EventResponse).score).toBe(40);
    const got = await fetch(`${test.service.url}/customers/php-1`, {
      headers: { 'x-le-workspace-id': 'ws-form' },
    });
    expect(((await got.json()) as CustomerView).spendable).toBe(40);
  });

  it('validates form events like JSON ones, fields named as in JSON', async () => {
    const bad = await post('/events', FORM, 'customer=php-1&action=point_add&data[points]=ten');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({
      error: { code: 160221, details: { fields: [{ field: 'data.points' }] } },
    });
    const unknown = await post('/events', FORM, 'customer=php-1&action=opt_in&colour=green');
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body)).toContain('property colour should not exist');
  });

  it('applies bulk events sent as a nested form', async () => {
    const reply = await post(
      '/events/bulk',
      FORM,
      'events[0][customer]=php-2&events[0][action]=opt_in&events[1][customer]=php-2&events[1][action]=point_add&events[1][data][points]=5',
    );
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      results: [
        { index: 0, status: 'ok' },
        { index: 1, status: 'ok', customer: { score: 5 } },
      ],
    });
  });

  it.each([
    ['nested too deep', `customer=php-1&action=profile&data${'[a]'.repeat(6)}=1`],
    ['a list too long', `customer=php-1&action=profile&${'data[t][]=1&'.repeat(101)}x=1`],
  ])('refuses a form %s with 400 in the envelope', async (_, body) => {
    const reply = await post('/events', FORM, body);
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({
      error: {
        type: 'BadRequestException',
        code: 100400,
        message: expect.stringContaining('form body') as string,
      },
    });
  });
});

describe('oversized JSON', () => {
  it('refuses a JSON body over the 1 MiB limit with 400 in the envelope (code 100413)', async () => {
    const huge = JSON.stringify({
      customer: 'big-1',
      action: 'opt_in',
      data: { blob: 'x'.repeat(1024 * 1024 + 1) },
    });
    const reply = await post('/events', 'application/json', huge);
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({
      error: { type: 'BadRequestException', code: 100413, message: 'Request body is too large' },
    });
  });

  it('refuses a malformed JSON body with 400 in the envelope', async () => {
    const reply = await post('/events', 'application/json', '{"customer":');
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ error: { type: 'BadRequestException', code: 100400 } });
  });
});
