import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { within } from '@loyalty-edge/testing';
import { scrollsSideways } from './support/admin-browser.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

// The real admin web app (dist/main.js + the built SPA) in headless Chromium, against the
// whole platform. The scenarios run in order, as one operator's session.

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const SCREENSHOT = '/tmp/admin-web.png';
const IP_SCREENSHOT = '/tmp/admin-ip.png';
const IP_ERROR_SCREENSHOT = '/tmp/admin-ip-error.png';
const IP_PREVIEW_SCREENSHOT = '/tmp/admin-ip-preview.png';
const SIGNATURE_SCREENSHOT = '/tmp/admin-sig.png';
const INVITATION_SCREENSHOT = '/tmp/admin-invitation.png';
const MEMBERS_SCREENSHOT = '/tmp/admin-members-1280.png';
const MEMBERS_NARROW_SCREENSHOT = '/tmp/admin-members-390.png';
const MEMBERS_ROLE_SCREENSHOT = '/tmp/admin-members-role.png';
const ACCOUNT_SCREENSHOT = '/tmp/admin-account-1280.png';
const ACCOUNT_NARROW_SCREENSHOT = '/tmp/admin-account-390.png';

/** A POST from a given local address (another client on this machine). */
function postFrom(localAddress: string, target: string, body: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      target,
      { method: 'POST', localAddress, headers: { 'content-type': 'application/json' } },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on('error', reject);
    request.end(JSON.stringify(body));
  });
}

describe('admin web app', () => {
  let platform: TestPlatform;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** Console errors (a CSP violation shows up here) and uncaught page errors. */
  const problems: string[] = [];
  const workspace = { id: `e2e-${randomBytes(4).toString('hex')}`, name: 'E2E Loyalty' };
  let apiKey = '';
  let apiSecret = '';
  const viewer = {
    email: 'viewer@e2e.test',
    password: `${randomBytes(12).toString('base64url')}!`,
  };
  let invitationLink = '';
  let accessToken = '';
  const newPassword = `${randomBytes(12).toString('base64url')} changed`;
  /** The tokens of the invitation links shown: they must appear in no log. */
  const invitationTokens: string[] = [];
  const tokenOf = (link: string): string => {
    const token = link.slice(link.lastIndexOf('/') + 1);
    invitationTokens.push(token);
    return token;
  };

  beforeAll(async () => {
    // client IP counts reach the audit store within a second, for the IP filter preview
    platform = await startTestPlatform({ env: { CLIENT_IP_FLUSH_SECONDS: '1' } });
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

  it('serves the app with strict security headers', async () => {
    const response = await page.goto(url('/'));
    const headers = response!.headers();
    expect(headers['content-security-policy']).toContain("script-src 'self'");
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['cache-control']).toBe('no-cache');
    await page.getByRole('heading', { name: 'Log in to the admin' }).waitFor();
    expect(page.url()).toBe(url('/login?next=%2F'));
  });

  it('shows the error on a wrong password', async () => {
    await page.getByLabel('Email').fill(platform.admin.email);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain(
      'Invalid email or password',
    );
    await expect(page.getByLabel('Password').inputValue()).resolves.toBe('');
  });

  it('logs the bootstrap operator in', async () => {
    await page.getByLabel('Email').fill(platform.admin.email);
    await page.getByLabel('Password').fill(platform.admin.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Workspaces', level: 1 }).waitFor();
    await expect(page.getByRole('banner').textContent()).resolves.toContain(platform.admin.email);
    expect(new URL(page.url()).pathname).toBe('/');
  });

  it('creates a workspace', async () => {
    const form = page.getByRole('region', { name: 'Create a workspace' });
    await form.getByLabel('Workspace id').fill(workspace.id);
    await form.getByLabel('Name').fill(workspace.name);
    await form.getByRole('button', { name: 'Create workspace' }).click();
    await page.getByRole('heading', { name: workspace.name, level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/workspaces/${workspace.id}`);
    await page.getByText('No credentials yet').waitFor();
  });

  it('generates credentials and shows the secret once', async () => {
    await page.getByRole('button', { name: 'Generate new credentials' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Generate new credentials?' });
    await confirm.getByRole('button', { name: 'Generate new credentials' }).click();

    const shown = page.getByRole('dialog', { name: 'Your new API credentials' });
    await shown.waitFor();
    await expect(shown.textContent()).resolves.toContain('You will not see it again');
    apiSecret = (await shown.getByTestId('api-secret').textContent()) ?? '';
    expect(apiSecret).toMatch(/^les_/);
    await shown.getByRole('button', { name: 'Copy the API secret' }).click();
    await shown.getByText('Copied').waitFor();
    await expect(page.evaluate('navigator.clipboard.readText()')).resolves.toBe(apiSecret);

    await shown.getByRole('button', { name: 'I have stored the secret' }).click();
    await shown.waitFor({ state: 'detached' });
    apiKey = (await page.getByTestId('api-key').textContent()) ?? '';
    expect(apiKey).toMatch(/^lek_/);
    expect(await page.content()).not.toContain(apiSecret);

    await page.reload();
    await page.getByTestId('api-key').waitFor();
    await expect(page.getByTestId('api-key').textContent()).resolves.toBe(apiKey);
    expect(await page.content()).not.toContain(apiSecret);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  it('warns that the old key stops working before generating again', async () => {
    await page.getByRole('button', { name: 'Generate new credentials' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Generate new credentials?' });
    await expect(confirm.textContent()).resolves.toContain(`${apiKey} and its secret stop working`);
    await confirm.getByRole('button', { name: 'Generate new credentials' }).click();
    const shown = page.getByRole('dialog', { name: 'Your new API credentials' });
    const secret = (await shown.getByTestId('api-secret').textContent()) ?? '';
    expect(secret).not.toBe(apiSecret);
    // the only copy of the secret: Escape does not close it, only the confirmation does
    await page.keyboard.press('Escape');
    await page.waitForTimeout(300);
    await expect(shown.isVisible()).resolves.toBe(true);
    await expect(shown.getByTestId('api-secret').textContent()).resolves.toBe(secret);
    await shown.getByRole('button', { name: 'I have stored the secret' }).click();
    await shown.waitFor({ state: 'detached' });
    // the list reloads after the generation answered: wait for the new key to show
    await within(5000, async () => (await page.getByTestId('api-key').textContent()) !== apiKey);
    expect(await page.content()).not.toContain(secret);
  });

  it('enables a module', async () => {
    await page.getByRole('navigation', { name: 'Workspace sections' }).getByText('Modules').click();
    const ipFilter = page.getByRole('switch', { name: 'IP filter' });
    await expect(ipFilter.isChecked()).resolves.toBe(false);
    await ipFilter.click();
    await page.getByRole('status').filter({ hasText: 'IP filter enabled.' }).waitFor();
    await expect(ipFilter.isChecked()).resolves.toBe(true);

    const saved = await page.request.get(url(`/api/workspaces/${workspace.id}`));
    expect(saved.status()).toBe(200);
    expect(((await saved.json()) as { modules: unknown }).modules).toEqual({
      ipFilter: true,
      signatureCheck: false,
      asyncEvents: false,
    });
    await page.reload();
    await expect(page.getByRole('switch', { name: 'IP filter' }).isChecked()).resolves.toBe(true);
  });

  it('logs out, and the workspace page then redirects to login', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in to the admin' }).waitFor();

    const workspacePage = `/workspaces/${workspace.id}/modules`;
    await page.goto(url(workspacePage));
    await page.getByRole('heading', { name: 'Log in to the admin' }).waitFor();
    expect(page.url()).toBe(url(`/login?next=${encodeURIComponent(workspacePage)}`));
    expect((await page.request.get(url('/api/me'))).status()).toBe(401);

    // logging in again returns to where the redirect came from
    await page.getByLabel('Email').fill(platform.admin.email);
    await page.getByLabel('Password').fill(platform.admin.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('switch', { name: 'IP filter' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(workspacePage);
  });

  it('keeps signature enforcement read-only until an operator enables the module', async () => {
    await openTab('Signature enforcement');
    const note = page.getByRole('note');
    await expect(note.textContent()).resolves.toContain(
      'The API signature check module is off for this workspace.',
    );
    await expect(note.textContent()).resolves.toContain('An operator must enable it');
    const events = page.getByRole('checkbox', { name: 'Events', exact: true });
    await expect(events.isDisabled()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: 'Save' }).count()).resolves.toBe(0);

    await note.getByRole('link', { name: 'Modules' }).click();
    await page.getByRole('switch', { name: 'API signature check' }).click();
    await page.getByRole('status').filter({ hasText: 'API signature check enabled.' }).waitFor();
    const saved = await page.request.get(url(`/api/workspaces/${workspace.id}`));
    expect(((await saved.json()) as { modules: unknown }).modules).toEqual({
      ipFilter: true,
      signatureCheck: true,
      asyncEvents: false,
    });
  });

  it('marks the bad line of an IP list, previews the fixed list and saves it normalized', async () => {
    // recent traffic for the preview: plain api_key calls from this machine (127.0.0.1)
    const credentials = await page.request.get(url(`/api/workspaces/${workspace.id}/credentials`));
    const { active } = (await credentials.json()) as { active: { apiKey: string } };
    const customers = `${platform.gateways[0]!}/customers/-/count?api_key=${active.apiKey}`;
    await within(5000, async () => (await fetch(customers)).status === 200);
    expect((await fetch(customers)).status).toBe(200);

    await openTab('IP filter');
    await expect(page.getByRole('note').count()).resolves.toBe(0);
    const customer = page.getByRole('region', { name: 'Customer', exact: true });
    await expect(customer.textContent()).resolves.toContain('No list: every address may call');
    // the accessible name starts with the visible label (WCAG 2.5.3)
    const edit = customer.getByRole('button', { name: 'Edit list for Customer' });
    await expect(edit.textContent()).resolves.toBe('Edit list');
    await edit.click();
    const entries = customer.getByLabel('Allowed addresses and ranges for Customer');
    await expect(page.evaluate('document.activeElement?.tagName')).resolves.toBe('TEXTAREA');
    await entries.fill(['10.0.0.0/8', '192.168.0.3/24', '192.168.1.300', '10.1.2.3/8'].join('\n'));
    await customer.getByRole('button', { name: 'Save' }).click();

    const problems = customer.getByRole('list', { name: 'Invalid entries' });
    await problems.waitFor();
    const lines = await problems.getByRole('listitem').allTextContents();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Line 3 192\.168\.1\.300: .+/);
    await expect(entries.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(customer.getByRole('alert').textContent()).resolves.toContain('nothing was saved');
    await page.screenshot({ path: IP_ERROR_SCREENSHOT, fullPage: true });
    // the line's button selects it in the textarea
    await problems.getByRole('button', { name: 'Line 3' }).click();
    const selection =
      '(({ value, selectionStart, selectionEnd }) => value.slice(selectionStart, selectionEnd))(document.activeElement)';
    await expect(page.evaluate(selection)).resolves.toBe('192.168.1.300');

    await entries.fill(['10.0.0.0/8', '192.168.0.3/24', '192.168.1.30', '10.1.2.3/8'].join('\n'));
    await problems.waitFor({ state: 'detached' });
    await expect(entries.getAttribute('aria-invalid')).resolves.toBeNull();

    // the counts arrive within a couple of seconds: preview until this machine shows up
    const impact = customer.getByRole('region', { name: 'Impact over the last 7 days' });
    await within(15_000, async () => {
      await customer.getByRole('button', { name: 'Preview impact' }).click();
      await impact.waitFor();
      return ((await impact.textContent()) ?? '').includes('127.0.0.1');
    });
    const blocked = impact.getByRole('row').filter({ hasText: '127.0.0.1' });
    expect(Number(await blocked.getByRole('cell').nth(1).textContent())).toBeGreaterThan(0);
    await expect(impact.textContent()).resolves.toMatch(/would be refused with 403/);
    await customer.screenshot({ path: IP_PREVIEW_SCREENSHOT });

    // Save checks the impact again and warns, with the figures, before refusing recent clients
    await customer.getByRole('button', { name: 'Save' }).click();
    const warning = page.getByRole('alertdialog', { name: 'Refuse recent clients?' });
    const figures = (await warning.getByTestId('block-figures').textContent()) ?? '';
    expect(figures).toMatch(/refuses \d+ of \d+ clients? that called Customer in the last 7 days/);
    await expect(
      warning.getByRole('list', { name: 'Clients that would be refused' }).textContent(),
    ).resolves.toContain('127.0.0.1');
    await warning.getByRole('button', { name: 'Save anyway' }).click();
    const saved = customer.getByRole('status').filter({ hasText: 'Saved: 3 entries enforced.' });
    await saved.waitFor();
    await expect(
      saved.getByRole('list', { name: 'Merged duplicates' }).textContent(),
    ).resolves.toBe('10.0.0.0/8, 10.1.2.3/8 → 10.0.0.0/8');
    const list = customer.getByRole('list', { name: 'Customer allow-list' });
    await expect(list.getByRole('listitem').allTextContents()).resolves.toEqual([
      '10.0.0.0/8',
      '192.168.0.3/24 → 192.168.0.0/24 (host bits cleared)',
      '192.168.1.30',
    ]);
    // focus is back on the button that opened the editor
    await expect(page.evaluate("document.activeElement?.getAttribute('aria-label')")).resolves.toBe(
      'Edit list for Customer',
    );
    await page.screenshot({ path: IP_SCREENSHOT, fullPage: true });

    await page.reload();
    const reloaded = page.getByRole('list', { name: 'Customer allow-list' });
    await reloaded.waitFor();
    await expect(reloaded.getByRole('listitem').allTextContents()).resolves.toContain(
      '192.168.0.3/24 → 192.168.0.0/24 (host bits cleared)',
    );
  });

  it('requires signed requests on one API, still checked after a reload', async () => {
    await openTab('Signature enforcement');
    await expect(page.getByRole('note').count()).resolves.toBe(0);
    await page.getByRole('checkbox', { name: 'Events', exact: true }).check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Saved: signed requests required on Events.' })
      .waitFor();
    await page.screenshot({ path: SIGNATURE_SCREENSHOT, fullPage: true });

    await page.reload();
    const events = page.getByRole('checkbox', { name: 'Events', exact: true });
    await events.waitFor();
    await expect(events.isChecked()).resolves.toBe(true);
    await expect(
      page.getByRole('checkbox', { name: 'Async Events', exact: true }).isChecked(),
    ).resolves.toBe(false);
    const saved = await page.request.get(
      url(`/api/workspaces/${workspace.id}/signature-enforcement`),
    );
    expect(((await saved.json()) as { apis: unknown }).apis).toEqual(['events']);
  });

  it('invites a viewer: the link is shown once, in a dialog with a copy button and its expiry', async () => {
    await openTab('Members');
    const form = page.getByRole('form', { name: 'Add a member' });
    await expect(form.getByLabel(/password/i).count()).resolves.toBe(0);
    await form.getByLabel('Email').fill(viewer.email);
    await form.getByRole('button', { name: 'Invite member' }).click();
    const dialog = page.getByRole('dialog', { name: 'Invitation link' });
    await dialog.waitFor();
    await expect(dialog.textContent()).resolves.toContain('You will not see it again');
    await expect(dialog.textContent()).resolves.toContain('no e-mail is sent');
    invitationLink = (await dialog.getByTestId('invitation-link').textContent()) ?? '';
    expect(invitationLink).toMatch(new RegExp(`^${url('/invitations/')}[\\w-]{43}$`));
    const token = tokenOf(invitationLink);
    const expiry = (await dialog.getByTestId('invitation-expiry').textContent()) ?? '';
    expect(expiry.length).toBeGreaterThan(5);
    await dialog.getByRole('button', { name: 'Copy the invitation link' }).click();
    await dialog.getByText('Copied').waitFor();
    await expect(page.evaluate('navigator.clipboard.readText()')).resolves.toBe(invitationLink);
    await dialog.getByRole('button', { name: 'I have sent the link' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await page.content()).not.toContain(token);

    const row = page.getByRole('row').filter({ hasText: viewer.email });
    await row.getByText('invited', { exact: true }).waitFor();
    await page.reload();
    await page.getByRole('row').filter({ hasText: viewer.email }).waitFor();
    expect(await page.content()).not.toContain(token);
  });

  it('lets the new account set its password through the link, log in and read the policies', async () => {
    const viewerContext = await browser.newContext();
    try {
      const viewerPage = await viewerContext.newPage();
      viewerPage.setDefaultTimeout(10_000);
      await viewerPage.goto(invitationLink);
      await viewerPage.getByRole('heading', { name: `Join ${workspace.name}` }).waitFor();
      await expect(viewerPage.locator('main').textContent()).resolves.toContain(viewer.email);
      await viewerPage.screenshot({ path: INVITATION_SCREENSHOT });
      await viewerPage.getByLabel('New password').fill(viewer.password);
      await viewerPage.getByLabel('Repeat the password').fill(viewer.password);
      await viewerPage.getByRole('button', { name: 'Create account and join' }).click();
      await viewerPage
        .getByRole('heading', { name: workspace.name, level: 1, exact: true })
        .waitFor();
      expect(new URL(viewerPage.url()).pathname).toBe(`/workspaces/${workspace.id}`);
      // the link worked once
      await viewerPage.goto(invitationLink);
      await viewerPage.getByText('This invitation link is not valid').waitFor();

      await viewerPage.goto(url(`/workspaces/${workspace.id}/ip-filter`));
      const customer = viewerPage.getByRole('region', { name: 'Customer', exact: true });
      await customer.getByRole('list', { name: 'Customer allow-list' }).waitFor();
      await viewerPage.getByText('You have read-only access').waitFor();
      await expect(viewerPage.getByRole('button', { name: /^Edit list/ }).count()).resolves.toBe(0);

      await viewerPage.goto(url(`/workspaces/${workspace.id}/signatures`));
      const events = viewerPage.getByRole('checkbox', { name: 'Events', exact: true });
      await events.waitFor();
      await expect(events.isChecked()).resolves.toBe(true);
      await expect(events.isDisabled()).resolves.toBe(true);
      await expect(viewerPage.getByRole('button', { name: 'Save' }).count()).resolves.toBe(0);
    } finally {
      await viewerContext.close();
    }
    await page.reload();
    const row = page.getByRole('row').filter({ hasText: viewer.email });
    await row.getByText('active', { exact: true }).waitFor();
  });

  it('asks an existing account to log in as itself before it accepts', async () => {
    const second = { id: `${workspace.id}-2`, name: 'E2E Second' };
    const me = (await (await page.request.get(url('/api/me'))).json()) as { csrfToken: string };
    const created = await page.request.post(url('/api/workspaces'), {
      headers: { 'x-csrf-token': me.csrfToken },
      data: second,
    });
    expect(created.status()).toBe(201);
    await page.goto(url(`/workspaces/${second.id}/members`));
    const form = page.getByRole('form', { name: 'Add a member' });
    await form.getByLabel('Email').fill(viewer.email);
    await form.getByLabel('Role').selectOption('admin');
    await form.getByRole('button', { name: 'Invite member' }).click();
    const dialog = page.getByRole('dialog', { name: 'Invitation link' });
    const link = (await dialog.getByTestId('invitation-link').textContent()) ?? '';
    tokenOf(link);
    await dialog.getByRole('button', { name: 'I have sent the link' }).click();

    const viewerContext = await browser.newContext();
    try {
      const viewerPage = await viewerContext.newPage();
      viewerPage.setDefaultTimeout(10_000);
      await viewerPage.goto(link);
      await viewerPage.getByRole('heading', { name: `Join ${second.name}` }).waitFor();
      await viewerPage.getByText('An account with this email exists').waitFor();
      await viewerPage.getByRole('note').getByText('Do not log in or accept').waitFor();
      await expect(viewerPage.getByLabel('New password').count()).resolves.toBe(0);
      // nothing is granted to whoever merely holds the link
      const anonymous = await viewerPage.request.post(
        `${link.replace('/invitations/', '/api/invitations/')}/accept`,
        {
          data: {},
        },
      );
      expect(anonymous.status()).toBe(401);

      await viewerPage.getByRole('link', { name: 'Log in to accept' }).click();
      await viewerPage.getByRole('heading', { name: 'Log in to the admin' }).waitFor();
      await viewerPage.getByLabel('Email').fill(viewer.email);
      await viewerPage.getByLabel('Password').fill(viewer.password);
      await viewerPage.getByRole('button', { name: 'Log in' }).click();
      await viewerPage.getByRole('button', { name: 'Accept the invitation' }).click();
      await viewerPage.getByRole('heading', { name: second.name, level: 1, exact: true }).waitFor();
      expect(new URL(viewerPage.url()).pathname).toBe(`/workspaces/${second.id}`);
      const mine = (await (await viewerPage.request.get(url('/api/workspaces'))).json()) as {
        id: string;
        role: string;
      }[];
      expect(mine.map((w) => [w.id, w.role])).toEqual([
        [workspace.id, 'viewer'],
        [second.id, 'admin'],
      ]);
    } finally {
      await viewerContext.close();
    }
  });

  it("changes a member's role from the Members tab, at 1280 and 390 px", async () => {
    await page.goto(url(`/workspaces/${workspace.id}/members`));
    const change = page.getByRole('button', { name: `Change role of ${viewer.email}` });
    // the accessible name starts with the visible label (WCAG 2.5.3)
    await expect(change.textContent()).resolves.toBe('Change role');
    await change.click();
    const dialog = page.getByRole('dialog', { name: `Change the role of ${viewer.email}` });
    await dialog.getByLabel('Role').selectOption('admin');
    await page.screenshot({ path: MEMBERS_ROLE_SCREENSHOT });
    await dialog.getByRole('button', { name: 'Save role' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Role of ${viewer.email} changed.` })
      .waitFor();
    const row = page.getByRole('row').filter({ hasText: viewer.email });
    await row.getByText('admin', { exact: true }).waitFor();
    const listed = (await (
      await page.request.get(url(`/api/workspaces/${workspace.id}/members`))
    ).json()) as { email: string; role: string }[];
    expect(listed.find((m) => m.email === viewer.email)?.role).toBe('admin');
    await page.screenshot({ path: MEMBERS_SCREENSHOT, fullPage: true });

    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await row.getByText('admin', { exact: true }).waitFor();
      expect(await scrollsSideways(page)).toBe(false);
      await page.screenshot({ path: MEMBERS_NARROW_SCREENSHOT, fullPage: true });
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  it('creates a personal access token shown once, lists its last use and revokes it', async () => {
    await page.getByRole('banner').getByRole('link', { name: platform.admin.email }).click();
    await page.getByRole('heading', { name: 'Your account', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/account');
    await page.getByText('No access tokens yet.').waitFor();

    await page.getByLabel('Name').fill('e2e-ci');
    await page.getByLabel('Valid for').selectOption('30');
    await page.getByRole('button', { name: 'Create token' }).click();
    const shown = page.getByRole('dialog', { name: 'Your new access token' });
    accessToken = (await shown.getByTestId('access-token').textContent()) ?? '';
    expect(accessToken).toMatch(/^lep_/);
    await page.keyboard.press('Escape');
    await page.waitForTimeout(300);
    await expect(shown.isVisible()).resolves.toBe(true);
    await shown.getByRole('button', { name: 'I have stored the token' }).click();
    await shown.waitFor({ state: 'detached' });
    expect(await page.content()).not.toContain(accessToken);

    const tokens = page.getByRole('region', { name: 'Access tokens' });
    const row = tokens.getByRole('row').filter({ hasText: 'e2e-ci' });
    await expect(row.getByRole('cell').nth(2).textContent()).resolves.toBe('Never');
    const asAutomation = await fetch(url('/api/me'), {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(asAutomation.status).toBe(200);
    await page.reload();
    await expect(row.getByRole('cell').nth(2).textContent()).resolves.not.toBe('Never');
    await page.screenshot({ path: ACCOUNT_SCREENSHOT, fullPage: true });

    await row.getByRole('button', { name: 'Revoke e2e-ci' }).click();
    const revoke = page.getByRole('alertdialog', { name: 'Revoke this access token?' });
    await revoke.getByRole('button', { name: 'Revoke' }).click();
    await row.getByText('revoked', { exact: true }).waitFor();
    const revoked = await fetch(url('/api/me'), {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(revoked.status).toBe(401);
  });

  it('changes your own password: each rule in words at its field, once; other sessions end', async () => {
    const form = page.getByRole('form', { name: 'Change your password' });
    await form.getByRole('button', { name: 'Change password' }).click();
    const current = form.getByLabel('Current password');
    const next = form.getByLabel('New password', { exact: true });
    await form.getByText('This field is required.').first().waitFor();
    await expect(current.getAttribute('aria-invalid')).resolves.toBe('true');
    const text = (await form.textContent()) ?? '';
    expect(text).toContain('This field is required.');
    expect(text).not.toContain('longer than or equal');
    await expect(form.getByRole('alert').count()).resolves.toBe(0);

    await current.fill(platform.admin.password);
    await next.fill('too short');
    await form.getByLabel('Repeat the new password').fill('too short');
    await form.getByRole('button', { name: 'Change password' }).click();
    await form.getByText('Must be at least 12 characters.').waitFor();
    // the rule once: at the field, in place of its hint, with no banner repeating it
    await expect(form.getByRole('alert').count()).resolves.toBe(0);
    expect(((await form.textContent()) ?? '').match(/at least 12 characters/gi)).toHaveLength(1);

    // another session of the same account, and a token: both end with the change
    const other = await browser.newContext();
    try {
      const otherPage = await other.newPage();
      const login = await otherPage.request.post(url('/api/auth/login'), {
        data: { email: platform.admin.email, password: platform.admin.password },
      });
      expect(login.status()).toBe(200);
      await next.fill(newPassword);
      await form.getByLabel('Repeat the new password').fill(newPassword);
      await form.getByRole('button', { name: 'Change password' }).click();
      await form
        .getByRole('status')
        .filter({ hasText: 'Password changed. 1 other session ended and 0 access tokens revoked' })
        .waitFor();
      expect((await otherPage.request.get(url('/api/me'))).status()).toBe(401);
      expect((await page.request.get(url('/api/me'))).status()).toBe(200);
    } finally {
      await other.close();
    }
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      expect(await scrollsSideways(page)).toBe(false);
      await page.screenshot({ path: ACCOUNT_NARROW_SCREENSHOT, fullPage: true });
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }

    // back to the platform's password, which the tests after this one log in with
    await current.fill(newPassword);
    await next.fill(platform.admin.password);
    await form.getByLabel('Repeat the new password').fill(platform.admin.password);
    await form.getByRole('button', { name: 'Change password' }).click();
    await form.getByRole('status').filter({ hasText: 'Password changed.' }).waitFor();
    await expect(current.inputValue()).resolves.toBe('');
  });

  it('counts 60 failed logins with spoofed X-Forwarded-For as one client', async () => {
    const statuses: number[] = [];
    let limited: unknown;
    for (let attempt = 1; attempt <= 60; attempt += 1) {
      const response = await fetch(url('/api/auth/login'), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-forwarded-for': `203.0.113.${attempt}`,
          forwarded: `for=198.51.100.${attempt}`,
          'x-real-ip': `198.51.100.${attempt}`,
        },
        body: JSON.stringify({ email: `spray-${attempt}@e2e.test`, password: 'a wrong guess 1' }),
      });
      statuses.push(response.status);
      if (response.status === 429) limited = await response.json();
      else await response.body?.cancel();
    }
    // LOGIN_IP_MAX_FAILURES is 50: the 51st failure of this one client is refused
    const first = statuses.indexOf(429);
    expect(first).toBeGreaterThanOrEqual(40);
    expect(first).toBeLessThanOrEqual(50);
    expect(statuses.slice(0, first).every((status) => status === 401)).toBe(true);
    expect(statuses.slice(first).every((status) => status === 429)).toBe(true);
    expect(limited).toMatchObject({ error: { code: 300429 } });

    // the right password from this client waits too; another client (127.0.0.2) does not
    const operator = { email: platform.admin.email, password: platform.admin.password };
    expect(await postFrom('127.0.0.1', url('/api/auth/login'), operator)).toBe(429);
    expect(await postFrom('127.0.0.2', url('/api/auth/login'), operator)).toBe(200);
  });

  it('never logged the password, a secret or the session cookie', async () => {
    const session = (await context.cookies()).find((cookie) => cookie.name === 'le_session');
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe('Strict');
    const logs = platform.logs().join('\n');
    expect(logs).toContain('admin-web');
    const secrets = [
      platform.admin.password,
      newPassword,
      apiSecret,
      accessToken,
      session?.value ?? 'no-cookie',
    ];
    expect(invitationTokens).toHaveLength(2);
    for (const secret of [...secrets, viewer.password, ...invitationTokens]) {
      expect(logs).not.toContain(secret);
    }
  });

  it('met no script error or Content-Security-Policy violation', () => {
    // the wrong password and the logged-out /api/me answer 401, the invalid IP list 400; Chromium
    // logs both
    const unexpected = problems.filter(
      (text) => !text.includes('401 (Unauthorized)') && !text.includes('400 (Bad Request)'),
    );
    expect(unexpected).toEqual([]);
  });
});
