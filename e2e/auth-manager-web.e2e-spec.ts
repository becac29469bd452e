import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { decodeJwt } from 'jose';
import * as oauth from 'oauth4webapi';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
} from 'playwright-core';
import { within } from '@loyalty-edge/testing';
import { addMemberWithPassword } from './support/members.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

// The Authentication Manager screens of the admin web app in headless Chromium, against the whole
// platform: an operator generates an auth client (its secret shown once), an integrator gets a
// token with it at the gateway, the operator revokes it, and both audit logs show what happened.
// The scenarios run in order, as one operator's session.

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const shot = (name: string): string => `/tmp/auth-manager-${name}.png`;
// eslint-disable-next-line @typescript-eslint/no-deprecated -- the test platform serves plain HTTP on loopback
const insecure = { [oauth.allowInsecureRequests]: true };

describe('admin web app: Authentication Manager', () => {
  let platform: TestPlatform;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** Console errors (a CSP violation shows up here) and uncaught page errors. */
  const problems: string[] = [];
  const workspace = { id: `amw-${randomBytes(4).toString('hex')}`, name: 'Auth Manager Web' };
  const clientName = 'Nightly events export';
  let clientId = '';
  let clientSecret = '';
  /** What the secret dialog's Copy button put on the clipboard: what an integrator pastes. */
  let copiedSecret = '';
  let jti = '';

  beforeAll(async () => {
    platform = await startTestPlatform();
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
    });
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: platform.adminWeb,
    });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
  }, 120_000);

  afterAll(async () => {
    // either may be missing when beforeAll failed half-way
    await (browser as Browser | undefined)?.close();
    await (platform as TestPlatform | undefined)?.shutdown();
  });

  const url = (path: string): string => `${platform.adminWeb}${path}`;
  const openTab = (name: string): Promise<void> =>
    page.getByRole('navigation', { name: 'Workspace sections' }).getByText(name).click();
  /** Downloads a log's "Export CSV": its lines and the file's name. */
  const exported = async (log: Locator): Promise<[string[], string]> => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      log.getByRole('link', { name: 'Export CSV' }).click(),
    ]);
    const text = readFileSync(await download.path(), 'utf8');
    return [text.trim().split(/\r?\n/), download.suggestedFilename()];
  };
  const openSection = (name: string): Promise<void> =>
    page
      .getByRole('navigation', { name: 'Authentication Manager sections' })
      .getByText(name)
      .click();
  const clientRow = (name: string): Locator =>
    page.getByRole('region', { name: 'Auth clients' }).getByRole('row').filter({ hasText: name });
  const clipboard = (): Promise<unknown> => page.evaluate('navigator.clipboard.readText()');
  /** How far the page scrolls sideways: 0 when nothing overflows the window. */
  const overflow = (): Promise<unknown> =>
    page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
  /** Clicks the log's Refresh until `row` shows (the audit service stores events asynchronously). */
  const refreshUntil = (log: Locator, row: Locator): Promise<number> =>
    within(20_000, async () => {
      if ((await row.count()) > 0) return true;
      await log.getByRole('button', { name: 'Refresh' }).click();
      await page.waitForTimeout(500);
      return (await row.count()) > 0;
    });

  it('logs the operator in and creates a workspace', async () => {
    await page.goto(url('/'));
    await page.getByLabel('Email').fill(platform.admin.email);
    await page.getByLabel('Password').fill(platform.admin.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    const form = page.getByRole('region', { name: 'Create a workspace' });
    await form.getByLabel('Workspace id').fill(workspace.id);
    await form.getByLabel('Name').fill(workspace.name);
    await form.getByRole('button', { name: 'Create workspace' }).click();
    await page.getByRole('heading', { name: workspace.name, level: 1 }).waitFor();
  });

  it('offers no generate button until the Async Events module is on', async () => {
    await openTab('Authentication Manager');
    expect(new URL(page.url()).pathname).toBe(`/workspaces/${workspace.id}/auth-manager`);
    const note = page.getByRole('note');
    await expect(note.textContent()).resolves.toContain(
      'The Async events module is off for this workspace.',
    );
    await page.getByText('No auth clients yet.').waitFor();
    await expect(
      page.getByRole('button', { name: 'Generate new Auth Client' }).count(),
    ).resolves.toBe(0);

    await note.getByRole('link', { name: 'Modules' }).click();
    await page.getByRole('switch', { name: 'Async events' }).click();
    await page.getByRole('status').filter({ hasText: 'Async events enabled.' }).waitFor();
    await openTab('Authentication Manager');
    await page.getByRole('button', { name: 'Generate new Auth Client' }).waitFor();
    await expect(page.getByRole('note').count()).resolves.toBe(0);
  });

  it('generates an auth client in the dialog, with defaults from the options', async () => {
    const options = (await (await page.request.get(url('/api/auth-client-options'))).json()) as {
      issuer: string;
      scopes: string[];
      audiences: string[];
      maxExpiryDays: number;
    };
    await page.getByRole('button', { name: 'Generate new Auth Client' }).click();
    const dialog = page.getByRole('dialog', { name: 'Generate new Auth Client' });
    const expiry = dialog.getByLabel('Expiration date');
    await expiry.waitFor();
    // default and maximum: today + maxExpiryDays; tomorrow at the earliest
    const max = await expiry.getAttribute('max');
    await expect(expiry.inputValue()).resolves.toBe(max);
    const latest = new Date(Date.now() + options.maxExpiryDays * 86_400_000);
    expect(Math.abs(Date.parse(max ?? '') - latest.getTime())).toBeLessThan(2 * 86_400_000);
    expect(Date.parse((await expiry.getAttribute('min')) ?? '')).toBeGreaterThan(
      Date.now() - 86_400_000,
    );
    if (options.scopes.length === 1) {
      const scope = dialog.getByRole('checkbox', { name: options.scopes[0], exact: true });
      await expect(scope.isChecked()).resolves.toBe(true);
    }
    await expect(dialog.getByLabel('Token audience').inputValue()).resolves.toBe(
      options.audiences[0],
    );
    await expect(dialog.textContent()).resolves.toContain(options.issuer);

    // nothing filled in: every missing field is named next to it
    await dialog.getByRole('button', { name: 'Generate', exact: true }).click();
    await dialog.getByText('Enter a name.').waitFor();
    await expect(dialog.getByLabel('Name').getAttribute('aria-invalid')).resolves.toBe('true');

    await dialog.getByLabel('Name').fill(clientName);
    await dialog.getByLabel('Purpose').fill('Sends loyalty events to the data warehouse');
    // an edited field loses its error
    await expect(dialog.getByText('Enter a name.').count()).resolves.toBe(0);
    await expect(dialog.getByLabel('Name').getAttribute('aria-invalid')).resolves.toBeNull();
    await page.screenshot({ path: shot('generate') });
    await dialog.getByRole('button', { name: 'Generate', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('shows the client secret once, and only the explicit button closes it', async () => {
    const shown = page.getByRole('dialog', { name: 'Your new auth client' });
    await shown.waitFor();
    await expect(shown.textContent()).resolves.toContain('You will not see it again');
    clientId = (await shown.getByTestId('new-client-id').textContent()) ?? '';
    clientSecret = (await shown.getByTestId('client-secret').textContent()) ?? '';
    expect(clientId).toMatch(/^lec_[A-Za-z0-9_-]{24}$/);
    expect(clientSecret).toMatch(/^lecs_/);
    await shown.getByRole('button', { name: 'Copy the client secret' }).click();
    await shown.getByText('Copied').waitFor();
    copiedSecret = String(await clipboard());
    expect(copiedSecret).toBe(clientSecret);

    // Escape (twice: a browser may force a repeated close request) and a click beside it
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await page.mouse.click(5, 5);
    await page.waitForTimeout(200);
    await expect(shown.isVisible()).resolves.toBe(true);
    await page.screenshot({ path: shot('secret') });

    await shown.getByRole('button', { name: 'I have stored the secret' }).click();
    await shown.waitFor({ state: 'detached' });
    expect(await page.content()).not.toContain(clientSecret);
  });

  it('lists the client with its status, settings and a copyable id', async () => {
    const row = clientRow(clientName);
    await row.getByText('Active', { exact: true }).waitFor();
    const text = (await row.textContent()) ?? '';
    for (const part of [clientId, 'Sends loyalty events to the data warehouse', 'web app']) {
      expect(text).toContain(part);
    }
    expect(text).toContain(platform.admin.email);
    await row.getByRole('button', { name: `Copy the client id of ${clientName}` }).click();
    await row.getByText('Copied').waitFor();
    await expect(clipboard()).resolves.toBe(clientId);
    await page.reload();
    await clientRow(clientName).waitFor();
    expect(await page.content()).not.toContain(clientSecret);
    await expect(overflow()).resolves.toBe(0);
    await page.screenshot({ path: shot('list'), fullPage: true });
  });

  it('gets a token at the gateway with the copied secret', async () => {
    const issuer = new URL(platform.gateways[0]!);
    const as = await oauth.processDiscoveryResponse(
      issuer,
      await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }),
    );
    const client = { client_id: clientId };
    const response = await oauth.clientCredentialsGrantRequest(
      as,
      client,
      oauth.ClientSecretBasic(copiedSecret),
      new URLSearchParams(),
      insecure,
    );
    const token = await oauth.processClientCredentialsResponse(as, client, response);
    const claims = decodeJwt(token.access_token);
    expect(claims.client_id).toBe(clientId);
    jti = claims.jti ?? '';
    expect(jti).not.toBe('');
  });

  it('revokes the client after a confirmation that says it is irreversible', async () => {
    await clientRow(clientName)
      .getByRole('button', { name: `Actions for ${clientName}` })
      .click();
    const menu = page.getByRole('menu', { name: `Actions for ${clientName}` });
    await menu.getByRole('menuitem', { name: 'Revoke access' }).click();
    const confirm = page.getByRole('alertdialog', { name: `Revoke access for ${clientName}?` });
    const warning = (await confirm.textContent()) ?? '';
    expect(warning).toContain('This cannot be undone.');
    expect(warning).toContain('stops working at once');
    expect(warning).toContain(clientId);
    await page.screenshot({ path: shot('revoke') });
    await confirm.getByRole('button', { name: 'Revoke access' }).click();
    await confirm.waitFor({ state: 'detached' });
    await page.getByText(`Access revoked for ${clientName}.`).waitFor();
    const row = clientRow(clientName);
    await row.getByText('Revoked', { exact: true }).waitFor();
    await expect(row.getByRole('button', { name: /^Actions for / }).count()).resolves.toBe(0);

    // the revoked client gets no new token (refused and logged, with its error code)
    const refused = await fetch(`${platform.gateways[0]!}/v1/auth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    expect(refused.status).toBeGreaterThanOrEqual(400);
  });

  it('shows the creation and the revocation in the Auth Client Audit Log', async () => {
    await openSection('Audit logs');
    expect(new URL(page.url()).pathname).toBe(
      `/workspaces/${workspace.id}/auth-manager/audit-logs`,
    );
    const log = page.getByRole('region', { name: 'Auth Client Audit Log' });
    await log.getByLabel('Client ID', { exact: true }).fill(clientId);
    await log.getByRole('button', { name: 'Apply filters' }).click();
    const rows = log.getByRole('row').filter({ hasText: clientId });
    const revoked = rows.filter({ hasText: 'Revoked' });
    await refreshUntil(log, revoked);
    await expect(rows.count()).resolves.toBe(2);
    const created = rows.filter({ hasText: 'Created' });
    for (const row of [created, revoked]) {
      const text = (await row.textContent()) ?? '';
      expect(text).toContain(clientName);
      expect(text).toContain('web app');
      expect(text).toContain(platform.admin.email);
    }
    // the action filter narrows it to one
    await log.getByLabel('Action').selectOption('created');
    await log.getByRole('button', { name: 'Apply filters' }).click();
    await within(5000, async () => (await rows.count()) === 1);
    await expect(rows.filter({ hasText: 'Created' }).count()).resolves.toBe(1);
    // the CSV export takes the same filters: the one creation
    const [csv, name] = await exported(log);
    expect(name).toBe(`auth-clients-${workspace.id}.csv`);
    expect(csv[0]).toMatch(/^at,action,client_id,client_name,/);
    expect(csv.slice(1)).toEqual([expect.stringContaining(`,created,${clientId},${clientName},`)]);
  });

  it('shows the issued token, by its jti, in the JWT Token Audit Log', async () => {
    const log = page.getByRole('region', { name: 'JWT Token Audit Log' });
    const issued = log.getByRole('row').filter({ hasText: jti });
    await refreshUntil(log, issued);
    const text = (await issued.textContent()) ?? '';
    expect(text).toContain('Issued');
    expect(text).toContain(clientId);
    await issued.getByRole('button', { name: 'Copy the JWT ID' }).click();
    await expect(clipboard()).resolves.toBe(jti);

    // the refusal after the revoke, with its code
    const refusals = log.locator('tbody tr').filter({ hasText: 'Error' });
    await refreshUntil(log, refusals);
    await expect(refusals.first().textContent()).resolves.toMatch(/\d{6}/);
    await log.getByLabel('Outcome').selectOption('issued');
    await log.getByRole('button', { name: 'Apply filters' }).click();
    await within(5000, async () => (await refusals.count()) === 0);
    await issued.waitFor();
    const [csv, name] = await exported(log);
    expect(name).toBe(`tokens-${workspace.id}.csv`);
    expect(csv[0]).toMatch(/^at,outcome,client_id,/);
    expect(csv.slice(1).map((line) => line.split(',')[1])).toEqual(
      csv.slice(1).map(() => 'issued'),
    );
    expect(csv.some((line) => line.includes(jti))).toBe(true);
    await page.screenshot({ path: shot('audit'), fullPage: true });
  });

  it('fits a 390 px wide screen: list, dialogs and logs', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await openSection('Authentication Clients');
    await clientRow(clientName).waitFor();
    await expect(overflow()).resolves.toBe(0);
    await page.screenshot({ path: shot('390-list'), fullPage: true });

    const narrowName = 'Phone check';
    await page.getByRole('button', { name: 'Generate new Auth Client' }).click();
    const dialog = page.getByRole('dialog', { name: 'Generate new Auth Client' });
    await dialog.getByLabel('Name').fill(narrowName);
    await dialog.getByLabel('Purpose').fill('Checks the narrow layout');
    await page.screenshot({ path: shot('390-generate') });
    await dialog.getByRole('button', { name: 'Generate', exact: true }).click();
    const shown = page.getByRole('dialog', { name: 'Your new auth client' });
    await shown.waitFor();
    await expect(overflow()).resolves.toBe(0);
    await page.screenshot({ path: shot('390-secret') });
    await shown.getByRole('button', { name: 'I have stored the secret' }).click();

    await clientRow(narrowName)
      .getByRole('button', { name: `Actions for ${narrowName}` })
      .click();
    await page.getByRole('menuitem', { name: 'Revoke access' }).click();
    const confirm = page.getByRole('alertdialog', { name: `Revoke access for ${narrowName}?` });
    await confirm.waitFor();
    await page.screenshot({ path: shot('390-revoke') });
    await confirm.getByRole('button', { name: 'Revoke access' }).click();
    await clientRow(narrowName).getByText('Revoked', { exact: true }).waitFor();

    await openSection('Audit logs');
    await page.getByRole('region', { name: 'Token events' }).waitFor();
    await expect(overflow()).resolves.toBe(0);
    await page.screenshot({ path: shot('390-audit'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('shows a viewer the clients read-only', async () => {
    const viewer = { email: 'viewer@amw.test', password: randomBytes(12).toString('base64url') };
    await addMemberWithPassword(page.request, platform.adminWeb, workspace.id, {
      ...viewer,
      role: 'viewer',
    });

    const viewerContext = await browser.newContext();
    try {
      const viewerPage = await viewerContext.newPage();
      viewerPage.setDefaultTimeout(10_000);
      await viewerPage.goto(url(`/workspaces/${workspace.id}/auth-manager`));
      await viewerPage.getByLabel('Email').fill(viewer.email);
      await viewerPage.getByLabel('Password').fill(viewer.password);
      await viewerPage.getByRole('button', { name: 'Log in' }).click();
      await viewerPage.getByRole('row').filter({ hasText: clientName }).waitFor();
      await viewerPage.getByText('You have read-only access').waitFor();
      await expect(
        viewerPage.getByRole('button', { name: 'Generate new Auth Client' }).count(),
      ).resolves.toBe(0);
      await expect(viewerPage.getByRole('button', { name: /^Actions for / }).count()).resolves.toBe(
        0,
      );
    } finally {
      await viewerContext.close();
    }
  });

  it('never logged the client secret, and met no script error or CSP violation', () => {
    const logs = platform.logs().join('\n');
    expect(logs).toContain('admin-web');
    expect(logs).not.toContain(clientSecret);
    // /api/me answers 401 before the login, and Chromium logs it
    expect(problems.filter((text) => !text.includes('401 (Unauthorized)'))).toEqual([]);
  });
});
