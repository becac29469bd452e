import { randomBytes } from 'node:crypto';
import { chromium, type Browser, type Page } from 'playwright-core';
import { within } from '@loyalty-edge/testing';
import { startTestPlatform, type TestPlatform } from './support/platform.js';
import { Session } from './support/session.js';

// The API browser in headless Chromium against the whole platform: events sent from the Events
// tab reach the gateway (plain and signed by the management API), the customer shows up in the
// Customers tab, and a refused event is in Errors with its password redacted.

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'];
const PASSWORD_IN_EVENT = `hunter2-${randomBytes(6).toString('hex')}`;
const suffix = randomBytes(3).toString('hex');
const A = `abr-a-${suffix}`;
const B = `abr-b-${suffix}`;
const adminA = {
  email: `admin-${suffix}@a.test`,
  password: `${randomBytes(12).toString('base64url')}-Ab1`,
};
const viewerA = {
  email: `viewer-${suffix}@a.test`,
  password: `${randomBytes(12).toString('base64url')}-Vb1`,
};

interface Exchange {
  request: { url: string; headers: Record<string, string>; body: string | null };
  response: { status: number; body: string };
}

describe('API browser', () => {
  let platform: TestPlatform;
  let browser: Browser;
  let page: Page;
  let operator: Session;
  let apiKeyA = '';
  const problems: string[] = [];

  beforeAll(async () => {
    platform = await startTestPlatform();
    operator = await Session.login(
      platform.management,
      platform.admin.email,
      platform.admin.password,
    );
    for (const id of [A, B]) {
      await operator.ok('POST', '/api/workspaces', { id, name: `API browser ${id}` });
    }
    apiKeyA = (await operator.ok<{ apiKey: string }>('POST', `/api/workspaces/${A}/credentials`))
      .apiKey;
    await operator.ok('POST', `/api/workspaces/${B}/credentials`);
    for (const [member, role] of [
      [adminA, 'admin'],
      [viewerA, 'viewer'],
    ] as const) {
      await operator.change('POST', `/api/workspaces/${A}/members`, { ...member, role });
    }
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${platform.adminWeb}/login`);
    await page.getByLabel('Email').fill(adminA.email);
    await page.getByLabel('Password').fill(adminA.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Workspaces', level: 1 }).waitFor();
    // the login page's own /api/me answered 401 (signed out): count only what comes after
    problems.length = 0;
  }, 120_000);

  afterAll(async () => {
    await (browser as Browser | undefined)?.close();
    await (platform as TestPlatform | undefined)?.shutdown();
  });

  /** The page at 1280 px and at 390 px (a phone), back at 1280 after. */
  async function screenshots(name: string): Promise<void> {
    await page.screenshot({ path: `/tmp/api-browser-${name}.png`, fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: `/tmp/api-browser-${name}-390.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  const eventsTab = () => page.goto(`${platform.adminWeb}/workspaces/${A}/events`);
  const lastCall = () => page.getByRole('region', { name: 'Last call' });

  async function sendEvent(options: {
    action: string;
    customer: string;
    fields?: Record<string, string>;
    extra?: string;
    auth: 'Plain' | 'Escher-signed';
  }): Promise<string> {
    await page.getByLabel('Action', { exact: true }).selectOption(options.action);
    await page.getByLabel('Customer id').fill(options.customer);
    for (const [label, value] of Object.entries(options.fields ?? {})) {
      await page.getByLabel(label, { exact: true }).fill(value);
    }
    await page.getByLabel(/More data/).fill(options.extra ?? '');
    await page.getByRole('radio', { name: new RegExp(`^${options.auth}`) }).check();
    await page.getByRole('button', { name: 'Send event' }).click();
    await page.getByRole('button', { name: 'Send event' }).waitFor();
    return (await lastCall().getByTestId('exchange-status').textContent()) ?? '';
  }

  it('sends a plain opt_in from the Events tab and shows the request as sent, key redacted', async () => {
    await eventsTab();
    await page.getByRole('navigation', { name: 'API browser sections' }).waitFor();
    const status = await sendEvent({
      action: 'opt_in',
      customer: 'web-1',
      fields: { 'First name': 'Ann', Email: 'ann@example.com' },
      auth: 'Plain',
    });
    expect(status).toBe('HTTP 200');
    const sent =
      (await lastCall().getByRole('region', { name: 'Request sent' }).textContent()) ?? '';
    expect(sent).toContain(`POST ${platform.gateways[0]!}/events?api_key=`);
    expect(sent).not.toContain(apiKeyA);
    await expect(lastCall().textContent()).resolves.toContain('"first_name": "Ann"');
    await screenshots('events-plain');
  });

  it('sends a signed point_add: the management API signs, the page holds no secret', async () => {
    const status = await sendEvent({
      action: 'point_add',
      customer: 'web-1',
      fields: { Points: '120', Reason: 'welcome' },
      auth: 'Escher-signed',
    });
    expect(status).toBe('HTTP 200');
    const call = (await lastCall().textContent()) ?? '';
    expect(call).toContain('Escher-signed');
    expect(call).toMatch(/authorization\s*\[REDACTED\]/i);
    expect(call).toContain('"score": 120');
    expect(call).not.toContain('ANTAVO-HMAC-SHA256 Credential');
    await screenshots('events-signed');
  });

  it('finds the customer with its new score and events in the Customers tab, listed and counted', async () => {
    await page
      .getByRole('navigation', { name: 'API browser sections' })
      .getByText('Customers')
      .click();
    const lookup = page.getByRole('region', { name: 'Look up a customer' });
    await lookup.getByLabel('Customer id').fill('web-1');
    await lookup.getByRole('button', { name: 'Look up' }).click();
    await expect(lookup.getByTestId('customer-score').textContent()).resolves.toBe('120');
    const events = lookup.getByRole('table', { name: 'Recent events' });
    await expect(events.getByRole('row').allTextContents()).resolves.toEqual([
      expect.stringContaining('Action') as string,
      expect.stringMatching(/point_add120api/) as string,
      expect.stringMatching(/opt_inapi/) as string,
    ]);
    const list = page.getByRole('region', { name: 'All customers' });
    await list.getByRole('button', { name: 'List customers' }).click();
    await expect(list.getByTestId('customer-count').textContent()).resolves.toBe('1 customer');
    await expect(list.getByRole('table', { name: 'Customers' }).textContent()).resolves.toContain(
      'ann@example.com',
    );
    await screenshots('customers');
  });

  it('sends an invalid event and opens it in Errors with the password redacted', async () => {
    await eventsTab();
    const status = await sendEvent({
      action: 'point_add',
      customer: 'web-1',
      fields: { Points: '0' },
      extra: JSON.stringify({ password: PASSWORD_IN_EVENT, channel: 'web' }),
      auth: 'Escher-signed',
    });
    expect(status).toBe('HTTP 400');
    // the admin typed it (still in the form), but the call as shown has it redacted
    const shown = (await lastCall().textContent()) ?? '';
    expect(shown).toContain('160221');
    expect(shown).toContain('"password": "[REDACTED]"');
    expect(shown).not.toContain(PASSWORD_IN_EVENT);

    await page
      .getByRole('navigation', { name: 'API browser sections' })
      .getByText('Errors')
      .click();
    // the failed call reaches the audit store through JetStream: reload until it is listed
    const row = page.getByRole('row').filter({ hasText: 'POST' }).filter({ hasText: '400' });
    await within(15_000, async () => {
      await page.reload();
      await page.getByRole('heading', { name: 'Failed API calls' }).waitFor();
      return (await row.count()) > 0;
    });
    await screenshots('errors');
    await row.first().getByRole('link').click();
    const request = page.getByRole('region', { name: 'Request' });
    await request.waitFor();
    const text = (await request.textContent()) ?? '';
    expect(text).toContain('"password": "[REDACTED]"');
    expect(text).toContain('"channel": "web"');
    expect(await page.content()).not.toContain(PASSWORD_IN_EVENT);
    await screenshots('error-detail');
  });

  it('explains why a plain call will be refused once the workspace enforces signatures', async () => {
    await operator.enableModule(A, 'signatureCheck');
    await operator.change('PUT', `/api/workspaces/${A}/signature-enforcement`, {
      apis: ['events'],
    });
    await eventsTab();
    await page.getByRole('radio', { name: /^Plain/ }).check();
    // the note shows once the tab has read the enforcement set
    const note = page.getByRole('note').filter({ hasText: 'requires signed requests' });
    await note.first().waitFor();
    await expect(note.count()).resolves.toBe(1);
    const status = await sendEvent({ action: 'opt_out', customer: 'web-1', auth: 'Plain' });
    expect(status).toBe('HTTP 401');
    await expect(lastCall().textContent()).resolves.toContain('110405');
    await screenshots('events-enforced');
    expect(await sendEvent({ action: 'opt_out', customer: 'web-1', auth: 'Escher-signed' })).toBe(
      'HTTP 200',
    );
  });

  it('renders the API reference from the API browser link', async () => {
    await page.getByRole('link', { name: 'Read the API documentation' }).click();
    await page.getByRole('heading', { name: 'Loyalty Edge gateway APIs' }).waitFor();
    await page.getByText('Submit an event').click();
    await expect(
      page.getByRole('region', { name: 'Events', exact: true }).textContent(),
    ).resolves.toContain('application/x-www-form-urlencoded');
    await screenshots('reference');
    expect(problems).toEqual([]);
  });

  it('never signs for another workspace, and not for viewers', async () => {
    const admin = await Session.login(platform.management, adminA.email, adminA.password);
    const call = { method: 'GET', path: '/customers/-/count', auth: 'signature' };
    const own = await admin.call<Exchange>(
      'POST',
      `/api/workspaces/${A}/api-browser/requests`,
      call,
    );
    expect([own.status, own.body.response.status]).toEqual([200, 200]);
    // B exists and has credentials, but A's admin is no member of it: nothing is signed
    const other = await admin.call('POST', `/api/workspaces/${B}/api-browser/requests`, call);
    expect([other.status, other.body]).toEqual([
      404,
      { error: { type: 'NotFoundException', code: 300404, message: 'Workspace not found' } },
    ]);
    const viewer = await Session.login(platform.management, viewerA.email, viewerA.password);
    const refused = await viewer.call('POST', `/api/workspaces/${A}/api-browser/requests`, call);
    expect([refused.status, (refused.body as { error: { code: number } }).error.code]).toEqual([
      403, 300405,
    ]);
    // paths outside the Events and Customer APIs are never called
    const token = await admin.call('POST', `/api/workspaces/${A}/api-browser/requests`, {
      method: 'POST',
      path: '/v1/auth/token',
      body: {},
      auth: 'signature',
    });
    expect(token.status).toBe(400);
  });

  it("shows a viewer why the Events tab sends nothing, and the Errors tab's calls", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const viewerPage = await context.newPage();
    await viewerPage.goto(`${platform.adminWeb}/login?next=/workspaces/${A}/events`);
    await viewerPage.getByLabel('Email').fill(viewerA.email);
    await viewerPage.getByLabel('Password').fill(viewerA.password);
    await viewerPage.getByRole('button', { name: 'Log in' }).click();
    const note = viewerPage.getByRole('note');
    await note.waitFor();
    await expect(note.textContent()).resolves.toContain(
      'Only admins of this workspace can send requests from the API browser.',
    );
    await expect(viewerPage.getByRole('button', { name: 'Send event' }).count()).resolves.toBe(0);
    await note.getByRole('link', { name: 'Errors' }).click();
    await viewerPage.getByRole('heading', { name: 'Failed API calls' }).waitFor();
    // the admin's refused event of the earlier test, listed for the viewer too
    await viewerPage.getByRole('row').filter({ hasText: '400' }).first().waitFor();
    await context.close();
  });

  it('wrote the password sent in the event to no log line', () => {
    expect(platform.logs().filter((line) => line.includes(PASSWORD_IN_EVENT))).toEqual([]);
  });
});
