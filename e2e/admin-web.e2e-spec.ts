import { randomBytes } from 'node:crypto';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
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
    await page.keyboard.press('Escape');
    await shown.waitFor({ state: 'detached' });
    await expect(page.getByTestId('api-key').textContent()).resolves.not.toBe(apiKey);
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

  it('never logged the password, a secret or the session cookie', async () => {
    const session = (await context.cookies()).find((cookie) => cookie.name === 'le_session');
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe('Strict');
    const logs = platform.logs().join('\n');
    expect(logs).toContain('admin-web');
    for (const secret of [platform.admin.password, apiSecret, session?.value ?? 'no-cookie']) {
      expect(logs).not.toContain(secret);
    }
  });

  it('met no script error or Content-Security-Policy violation', () => {
    // the wrong password and the logged-out /api/me answer 401, which Chromium logs
    const unexpected = problems.filter((text) => !text.includes('401 (Unauthorized)'));
    expect(unexpected).toEqual([]);
  });
});
