import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { within } from '@loyalty-edge/testing';
import { changeFrom, launchChromium, signedIn } from './support/admin-browser.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

// The admin web app's screens in headless Chromium: an IP list changed row by row from the API
// picker, the links to the API tools, and every screen at 1280 and 390 px (no sideways scroll).

const SHOTS = '/tmp/admin-screens';

describe('the admin web app, screen by screen', () => {
  let platform: TestPlatform;
  let browser: Browser;
  let page: Page;
  const ws = `scr-${randomBytes(4).toString('hex')}`;
  const problems: string[] = [];
  let invitation = '';

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    // client IP counts reach the audit store within a second, for the keys' last use
    platform = await startTestPlatform({ env: { CLIENT_IP_FLUSH_SECONDS: '1' } });
    browser = await launchChromium();
    page = (await signedIn(browser, platform.adminWeb, platform.admin)).page;
    page.on('pageerror', (error) => problems.push(error.message));
    const me = (await (await page.request.get(url('/api/me'))).json()) as { csrfToken: string };
    const headers = { 'x-csrf-token': me.csrfToken };
    const created = await page.request.post(url('/api/workspaces'), {
      headers,
      data: { id: ws, name: 'Screens' },
    });
    expect(created.status()).toBe(201);
    for (const module of ['ipFilter', 'signatureCheck', 'asyncEvents']) {
      const switched = await changeFrom(page, platform.adminWeb, {
        source: `/api/workspaces/${ws}`,
        method: 'PUT',
        path: `/api/workspaces/${ws}/modules/${module}`,
        body: { enabled: true },
      });
      expect(switched).toBe(200);
    }
    const generated = await page.request.post(url(`/api/workspaces/${ws}/credentials`), {
      headers,
    });
    expect(generated.status()).toBe(201);
    const members = await page.request.get(url(`/api/workspaces/${ws}/members`));
    const invited = await page.request.post(url(`/api/workspaces/${ws}/members`), {
      headers: { ...headers, 'if-match': members.headers().etag ?? '' },
      data: { email: 'screens@e2e.test', role: 'viewer' },
    });
    const answer = (await invited.json()) as { invitation?: { url: string } };
    expect([invited.status(), answer]).toMatchObject([201, { invitation: { url: /invitations/ } }]);
    invitation = answer.invitation?.url ?? '';
  }, 120_000);

  afterAll(async () => {
    await (browser as Browser | undefined)?.close();
    await (platform as TestPlatform | undefined)?.shutdown();
  });

  const url = (path: string): string => `${platform.adminWeb}${path}`;

  it('changes an allow-list row by row: picks the API, adds with +, removes with X, updates', async () => {
    await page.goto(url(`/workspaces/${ws}/ip-filter`));
    const picker = page.getByRole('region', { name: "Change one API's list" });
    const select = picker.getByLabel('API', { exact: true });
    // the legacy API carries its label and its former name, in the picker and in its section
    const challenges = await select.locator('option[value="challenges"]').textContent();
    expect(challenges).toBe('Challenges (LEGACY, formerly known as Workflow Campaigns API)');
    const section = page.getByRole('region', { name: 'Challenges', exact: true });
    await expect(section.textContent()).resolves.toContain(
      'LEGACYformerly known as Workflow Campaigns API',
    );

    await select.selectOption('coupons');
    const first = picker.getByRole('textbox', { name: 'Entry 1', exact: true });
    await first.fill('192.168.1.2');
    const add = picker.getByRole('button', { name: 'Add entry' });
    for (const [row, entry] of [
      [2, '203.0.113.7'],
      [3, '198.51.100.300'],
      [4, '10.0.0.0/8'],
    ] as const) {
      await add.click();
      const input = picker.getByRole('textbox', { name: `Entry ${row}`, exact: true });
      // + puts the cursor in the new row
      await expect(
        page.evaluate("document.activeElement?.getAttribute('aria-label')"),
      ).resolves.toBe(`Entry ${row}`);
      await input.fill(entry);
    }
    // the same validation as the bulk editor: the bad row is marked, nothing is saved
    await picker.getByRole('button', { name: 'Update' }).click();
    const bad = picker.getByRole('textbox', { name: 'Entry 3', exact: true });
    await invalidated(bad);
    await expect(picker.getByRole('alert').textContent()).resolves.toContain('nothing was saved');
    await page.screenshot({ path: `${SHOTS}/ip-rows-error-1280.png`, fullPage: true });

    await picker.getByRole('button', { name: 'Remove entry 3' }).click();
    await expect(picker.getByRole('textbox').count()).resolves.toBe(3);
    await expect(
      picker
        .getByRole('textbox')
        .evaluateAll((inputs) =>
          inputs.map((input) => (input as unknown as { value: string }).value),
        ),
    ).resolves.toEqual(['192.168.1.2', '203.0.113.7', '10.0.0.0/8']);
    await picker.getByRole('button', { name: 'Update' }).click();
    await picker.getByRole('status').filter({ hasText: 'Saved: 3 entries enforced.' }).waitFor();
    const coupons = page.getByRole('list', { name: 'Coupons allow-list' });
    await expect(coupons.getByRole('listitem').allTextContents()).resolves.toEqual([
      '192.168.1.2',
      '203.0.113.7',
      '10.0.0.0/8',
    ]);
    const saved = (await (
      await page.request.get(url(`/api/workspaces/${ws}/ip-filter`))
    ).json()) as {
      apis: { api: string; entries: { normalized: string }[] }[];
    };
    expect(
      saved.apis.find((list) => list.api === 'coupons')?.entries.map((entry) => entry.normalized),
    ).toEqual(['192.168.1.2', '203.0.113.7', '10.0.0.0/8']);

    // the picker reopens the saved list; a change made meanwhile elsewhere is not overwritten
    await select.selectOption('coupons');
    await expect(picker.getByRole('textbox').count()).resolves.toBe(3);
    const elsewhere = await changeFrom(page, platform.adminWeb, {
      source: `/api/workspaces/${ws}/ip-filter/coupons`,
      method: 'PUT',
      path: `/api/workspaces/${ws}/ip-filter/coupons`,
      body: { entries: ['192.0.2.1'] },
    });
    expect(elsewhere).toBe(200);
    await picker.getByRole('button', { name: 'Remove entry 1' }).click();
    await picker.getByRole('button', { name: 'Update' }).click();
    await picker.getByRole('alert').filter({ hasText: 'changed by someone else' }).waitFor();
    await picker.getByRole('button', { name: 'Reload' }).click();
    await expect(
      picker
        .getByRole('textbox')
        .evaluateAll((inputs) =>
          inputs.map((input) => (input as unknown as { value: string }).value),
        ),
    ).resolves.toEqual(['192.0.2.1']);

    // another API in the picker while rows are changed: asked first, and No keeps the rows
    const entry = picker.getByRole('textbox', { name: 'Entry 1', exact: true });
    await entry.fill('192.0.2.9');
    const answer = (accept: boolean): Promise<string> =>
      page.waitForEvent('dialog').then(async (dialog) => {
        await (accept ? dialog.accept() : dialog.dismiss());
        return dialog.message();
      });
    const kept = answer(false);
    await select.selectOption('challenges');
    await expect(kept).resolves.toBe(
      'Leave without saving? Your changes to the Coupons IP list are not saved and will be lost.',
    );
    await expect(select.inputValue()).resolves.toBe('coupons');
    await expect(entry.inputValue()).resolves.toBe('192.0.2.9');
    const dropped = answer(true);
    await select.selectOption('challenges');
    await dropped;
    await picker.getByText('Allowed addresses and ranges for Challenges').waitFor();
    await expect(entry.inputValue()).resolves.toBe('');
    await picker.getByRole('button', { name: 'Cancel' }).click();
  });

  it('links the API tab to the API browser and the gateway’s API documentation', async () => {
    await page.goto(url(`/workspaces/${ws}`));
    const docs = page.getByRole('link', { name: 'OpenAPI document (openapi.json)' });
    const href = (await docs.getAttribute('href')) ?? '';
    expect(href).toMatch(/\/openapi\.json$/);
    const document = await fetch(href);
    expect(document.status).toBe(200);
    expect(((await document.json()) as { openapi: string }).openapi).toMatch(/^3\.1/);
    await page.getByRole('link', { name: 'Read the API reference' }).waitFor();
    await page.getByRole('link', { name: 'Open the API browser' }).click();
    expect(new URL(page.url()).pathname).toBe(`/workspaces/${ws}/events`);
  });

  it('regenerates with an overlap: the old key works until it ends, with a countdown, then not', async () => {
    const keyOf = async (): Promise<string> =>
      (
        (await (await page.request.get(url(`/api/workspaces/${ws}/credentials`))).json()) as {
          active: { apiKey: string };
        }
      ).active.apiKey;
    const call = async (apiKey: string): Promise<number> =>
      (await fetch(`${platform.gateways[0]!}/customers/-/count?api_key=${apiKey}`)).status;
    const first = await keyOf();
    await within(5000, async () => (await call(first)) === 200);

    await page.goto(url(`/workspaces/${ws}`));
    await page.getByRole('button', { name: 'Generate new credentials' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Generate new credentials?' });
    // no overlap unless one is chosen
    await expect(confirm.getByLabel('Old key keeps working for').inputValue()).resolves.toBe('0');
    await confirm.getByLabel('Old key keeps working for').selectOption({ label: '1 hour' });
    await expect(confirm.textContent()).resolves.toContain('keep working for 1 hour');
    await confirm.getByRole('button', { name: 'Generate new credentials' }).click();
    const shown = page.getByRole('dialog', { name: 'Your new API credentials' });
    await shown.getByRole('button', { name: 'I have stored the secret' }).click();
    await shown.waitFor({ state: 'detached' });
    const countdown = page.getByTestId('overlap-countdown');
    await expect(countdown.textContent()).resolves.toMatch(/^still works for (1 h 00|59) min/);
    await expect(page.locator('dl.settings').textContent()).resolves.toContain(first);
    const second = await keyOf();
    expect(second).not.toBe(first);
    expect(await call(first)).toBe(200);
    expect(await call(second)).toBe(200);
    await page.screenshot({ path: `${SHOTS}/api-overlap-1280.png`, fullPage: true });

    // a regeneration ends the earlier overlap at once; a 2-second one ends on its own
    const me = (await (await page.request.get(url('/api/me'))).json()) as { csrfToken: string };
    const again = await page.request.post(url(`/api/workspaces/${ws}/credentials`), {
      headers: { 'x-csrf-token': me.csrfToken },
      data: { overlapSeconds: 2 },
    });
    expect(again.status()).toBe(201);
    const ends = Date.parse(
      ((await again.json()) as { previous: { validUntil: string } }).previous.validUntil,
    );
    expect(await call(first)).toBe(401);
    if (Date.now() < ends - 300) expect(await call(second)).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, ends - Date.now()) + 200));
    expect(await call(second)).toBe(401);
    expect(await call(await keyOf())).toBe(200);

    // the key's last use and its client IPs (this machine) arrive with the next count flush
    await within(15_000, async () => {
      await page.reload();
      const usage = (await page.getByTestId('key-usage').textContent()) ?? '';
      return /from 1 client IP in the last 7 days/.test(usage);
    });
  });

  it('filters the change log and the failed calls, and exports what the filters match as CSV', async () => {
    await page.goto(url(`/workspaces/${ws}/audit`));
    const filters = page.getByRole('form', { name: 'Filter the changes' });
    await filters.getByLabel('Action').selectOption({ label: 'IP allow-list changed' });
    await filters.getByLabel('Who (email)').fill(platform.admin.email);
    await filters.getByRole('button', { name: 'Apply filters' }).click();
    // the change events reach the audit store asynchronously
    const rows = page.locator('tbody tr');
    await within(10_000, async () => {
      await page.getByRole('button', { name: 'Refresh' }).click();
      await page.waitForLoadState('networkidle');
      return (await rows.count()) === 2;
    });
    const texts = await rows.allTextContents();
    expect(texts.every((text) => text.includes('IP allow-list changed'))).toBe(true);
    expect(texts.join('\n')).toContain(platform.admin.email);
    // the first save of the coupons list, as a diff: three entries added
    const firstSave = rows.nth(1).getByRole('list', { name: 'Changed entries' });
    await expect(firstSave.getByRole('listitem').allTextContents()).resolves.toEqual([
      '+ added 192.168.1.2',
      '+ added 203.0.113.7',
      '+ added 10.0.0.0/8',
    ]);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Export CSV' }).click(),
    ]);
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv).toContain('ip-filter.list.updated');
    expect(csv).not.toContain('credentials.generated');
    expect(csv.trim().split('\n')).toHaveLength(3);
    await page.screenshot({ path: `${SHOTS}/audit-filtered-1280.png`, fullPage: true });

    // this machine is not on the Coupons list: two calls refused with 403
    const { active } = (await (
      await page.request.get(url(`/api/workspaces/${ws}/credentials`))
    ).json()) as { active: { apiKey: string } };
    for (let call = 0; call < 2; call += 1) {
      const refused = await fetch(`${platform.gateways[0]!}/coupons?api_key=${active.apiKey}`);
      expect(refused.status).toBe(403);
    }
    await page.goto(url(`/workspaces/${ws}/errors`));
    const errorFilters = page.getByRole('form', { name: 'Filter the failed calls' });
    await within(10_000, async () => {
      await page.reload();
      await errorFilters.getByLabel('API').selectOption('coupons');
      await errorFilters.getByLabel('Status').fill('403');
      await errorFilters.getByRole('button', { name: 'Apply filters' }).click();
      await page.waitForLoadState('networkidle');
      return (await page.locator('tbody tr').count()) >= 2;
    });
    const [errors] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Export CSV' }).click(),
    ]);
    const errorCsv = readFileSync(await errors.path(), 'utf8');
    expect(errorCsv).toContain('403');
    expect(errorCsv.trim().split('\n')).toHaveLength(3);
  });

  it('fits every screen into 390 px without sideways scrolling, shot at 1280 and 390 px', async () => {
    const screens: [string, string][] = [
      ['workspaces', '/'],
      ['account', '/account'],
      ['api', `/workspaces/${ws}`],
      ['modules', `/workspaces/${ws}/modules`],
      ['ip-filter', `/workspaces/${ws}/ip-filter`],
      ['signatures', `/workspaces/${ws}/signatures`],
      ['auth-manager', `/workspaces/${ws}/auth-manager`],
      ['auth-audit-logs', `/workspaces/${ws}/auth-manager/audit-logs`],
      ['members', `/workspaces/${ws}/members`],
      ['events', `/workspaces/${ws}/events`],
      ['customers', `/workspaces/${ws}/customers`],
      ['errors', `/workspaces/${ws}/errors`],
      ['api-reference', `/workspaces/${ws}/api-reference`],
      ['audit', `/workspaces/${ws}/audit`],
      ['not-found', '/nowhere'],
    ];
    const wide: string[] = [];
    const shoot = async (name: string, width: number, on = page): Promise<void> => {
      await on.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      await on.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true });
      if (width === 390) {
        const scrollWidth = await on.evaluate<number>('document.documentElement.scrollWidth');
        if (scrollWidth > 390) wide.push(`${name}: ${scrollWidth}`);
      }
    };
    for (const [name, path] of screens) {
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(url(path));
      await page.locator('h1').first().waitFor();
      await settled(page);
      await shoot(name, 1280);
      await shoot(name, 390);
    }
    // the rows editor open, the invitation page and the login page (signed out), at 390 px
    await page.goto(url(`/workspaces/${ws}/ip-filter`));
    await page.getByLabel('API', { exact: true }).selectOption('challenges');
    await shoot('ip-rows', 1280);
    await shoot('ip-rows', 390);
    const other = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const visitor = await other.newPage();
      await visitor.goto(invitation);
      await visitor.locator('h1').first().waitFor();
      await settled(visitor);
      await shoot('invitation', 1280, visitor);
      await shoot('invitation', 390, visitor);
      await visitor.goto(url('/login'));
      await visitor.getByRole('heading', { name: 'Log in to the admin' }).waitFor();
      await shoot('login', 1280, visitor);
      await shoot('login', 390, visitor);
    } finally {
      await other.close();
    }
    expect(wide).toEqual([]);
    expect(problems).toEqual([]);
  });
});

/** Waits until the input is marked invalid. */
async function invalidated(input: ReturnType<Page['getByRole']>, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while ((await input.getAttribute('aria-invalid')) !== 'true') {
    if (Date.now() > until) throw new Error('the entry was never marked invalid');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The page's data has loaded: no "Loading…" left. */
async function settled(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.waitForFunction("document.querySelector('.loading') === null", undefined, {
    timeout: 10_000,
  });
}
