import { randomBytes } from 'node:crypto';
import type { Browser, Dialog, Page } from 'playwright-core';
import { changeFrom, launchChromium, scrollsSideways, signedIn } from './support/admin-browser.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

// Two operators at once in the admin web app (two browser contexts, two sessions): no change
// silently undoes another, security switches ask first, and unsaved changes are not dropped
// without a question.

const CONFLICT_WIDE = '/tmp/admin-conflict-1280.png';
const CONFLICT_NARROW = '/tmp/admin-conflict-390.png';
const IP_CONFLICT = '/tmp/admin-ip-conflict.png';
const MODULE_OFF = '/tmp/admin-module-off.png';

describe('the admin web app with two operators at once', () => {
  let platform: TestPlatform;
  let browser: Browser;
  let a: Page;
  let b: Page;
  const ws = `conc-${randomBytes(4).toString('hex')}`;
  const problems: string[] = [];

  beforeAll(async () => {
    platform = await startTestPlatform();
    browser = await launchChromium();
    a = (await signedIn(browser, platform.adminWeb, platform.admin)).page;
    // the second operator is on a phone
    b = (await signedIn(browser, platform.adminWeb, platform.admin, 390)).page;
    for (const page of [a, b]) page.on('pageerror', (error) => problems.push(error.message));
    const me = (await (await a.request.get(url('/api/me'))).json()) as { csrfToken: string };
    const created = await a.request.post(url('/api/workspaces'), {
      headers: { 'x-csrf-token': me.csrfToken },
      data: { id: ws, name: 'Concurrency' },
    });
    expect(created.status()).toBe(201);
  }, 120_000);

  afterAll(async () => {
    await (browser as Browser | undefined)?.close();
    await (platform as TestPlatform | undefined)?.shutdown();
  });

  const url = (path: string): string => `${platform.adminWeb}${path}`;
  const open = (page: Page, tab: string): Promise<unknown> =>
    page.goto(url(`/workspaces/${ws}/${tab}`));
  const modules = async (): Promise<unknown> =>
    ((await (await a.request.get(url(`/api/workspaces/${ws}`))).json()) as { modules: unknown })
      .modules;
  /** Answers the next browser dialog (confirm, beforeunload), keeping its message. */
  const answerNext = (page: Page, accept: boolean): Promise<string> =>
    new Promise((resolve) => {
      page.once('dialog', (dialog: Dialog) => {
        const message = dialog.message();
        void (accept ? dialog.accept() : dialog.dismiss()).then(() => resolve(message));
      });
    });

  it('keeps both switches when each operator changes a different module: the second re-applies after the conflict', async () => {
    await open(a, 'modules');
    await open(b, 'modules');
    await a.getByRole('switch', { name: 'Async events' }).click();
    await a.getByRole('status').filter({ hasText: 'Async events enabled.' }).waitFor();

    // B still sees the modules as they were when B opened them
    await b.getByRole('switch', { name: 'IP filter' }).click();
    const conflict = b.getByRole('alert').filter({ hasText: 'changed by someone else' });
    await expect(conflict.textContent()).resolves.toContain(
      'The modules were changed by someone else since you opened it',
    );
    await expect(
      conflict.getByRole('list', { name: 'Modules now' }).textContent(),
    ).resolves.toContain('Async events: on');
    expect(await modules()).toEqual({ ipFilter: false, signatureCheck: false, asyncEvents: true });
    expect(await scrollsSideways(b)).toBe(false);
    await b.screenshot({ path: CONFLICT_NARROW, fullPage: true });

    await conflict.getByRole('button', { name: 'Turn on IP filter again' }).click();
    await b.getByRole('status').filter({ hasText: 'IP filter enabled.' }).waitFor();
    await expect(b.getByRole('switch', { name: 'Async events' }).isChecked()).resolves.toBe(true);
    expect(await modules()).toEqual({ ipFilter: true, signatureCheck: false, asyncEvents: true });

    // the other way round, with Reload: A now takes B's switch instead of re-applying
    await a.getByRole('switch', { name: 'API signature check' }).click();
    const aConflict = a.getByRole('alert').filter({ hasText: 'changed by someone else' });
    await aConflict.waitFor();
    await a.screenshot({ path: CONFLICT_WIDE, fullPage: true });
    await aConflict.getByRole('button', { name: 'Reload' }).click();
    await aConflict.waitFor({ state: 'detached' });
    await expect(a.getByRole('switch', { name: 'IP filter' }).isChecked()).resolves.toBe(true);
    await expect(a.getByRole('switch', { name: 'API signature check' }).isChecked()).resolves.toBe(
      false,
    );
    expect(await modules()).toEqual({ ipFilter: true, signatureCheck: false, asyncEvents: true });
  });

  it('shows the second editor of one IP list the list as saved by the first, to reload and merge', async () => {
    await open(a, 'ip-filter');
    await open(b, 'ip-filter');
    const events = (page: Page) => page.getByRole('region', { name: 'Events', exact: true });
    const entries = (page: Page) =>
      events(page).getByLabel('Allowed addresses and ranges for Events');
    for (const page of [a, b]) {
      await events(page).getByRole('button', { name: 'Edit list for Events' }).click();
    }
    await entries(a).fill('10.0.0.0/8');
    await events(a).getByRole('button', { name: 'Save' }).click();
    await events(a).getByRole('status').filter({ hasText: 'Saved: 1 entry enforced.' }).waitFor();

    await entries(b).fill('192.168.0.0/16');
    await events(b).getByRole('button', { name: 'Save' }).click();
    const conflict = events(b).getByRole('alert').filter({ hasText: 'changed by someone else' });
    const said = (await conflict.textContent()) ?? '';
    expect(said).toContain('The Events list was changed by someone else since you opened it');
    expect(said).toContain(`by ${platform.admin.email}`);
    await expect(
      conflict.getByRole('list', { name: 'Events list now' }).textContent(),
    ).resolves.toBe('10.0.0.0/8');
    await b.screenshot({ path: IP_CONFLICT, fullPage: true });
    await conflict.getByRole('button', { name: 'Reload' }).click();
    await expect(entries(b).inputValue()).resolves.toBe('10.0.0.0/8');
    await entries(b).fill('10.0.0.0/8\n192.168.0.0/16');
    await events(b).getByRole('button', { name: 'Save' }).click();
    await events(b).getByRole('status').filter({ hasText: 'Saved: 2 entries enforced.' }).waitFor();

    // another API's list has a revision of its own: editing it meanwhile is no conflict
    await events(a).getByRole('button', { name: 'Edit list for Events' }).waitFor();
    const customer = a.getByRole('region', { name: 'Customer', exact: true });
    await customer.getByRole('button', { name: 'Edit list for Customer' }).click();
    await customer.getByLabel('Allowed addresses and ranges for Customer').fill('172.16.0.0/12');
    await customer.getByRole('button', { name: 'Save' }).click();
    await customer.getByRole('status').filter({ hasText: 'Saved: 1 entry enforced.' }).waitFor();

    const saved = (await (
      await a.request.get(url(`/api/workspaces/${ws}/ip-filter/events`))
    ).json()) as { entries: { normalized: string }[] };
    expect(saved.entries.map((entry) => entry.normalized)).toEqual([
      '10.0.0.0/8',
      '192.168.0.0/16',
    ]);
  });

  it('asks before the IP filter goes off, naming the lists that would stop being enforced', async () => {
    await open(a, 'modules');
    const ipFilter = a.getByRole('switch', { name: 'IP filter' });
    await ipFilter.click();
    const confirm = a.getByRole('alertdialog', { name: 'Turn IP filter off?' });
    const listed = confirm.getByRole('list', { name: 'No longer enforced' });
    await listed.waitFor();
    await expect(listed.getByRole('listitem').allTextContents()).resolves.toEqual([
      'Customer (1 entry)',
      'Events (2 entries)',
    ]);
    await expect(confirm.textContent()).resolves.toContain(
      'stops enforcing these allow-lists at once',
    );
    await a.screenshot({ path: MODULE_OFF });
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    await expect(ipFilter.isChecked()).resolves.toBe(true);
    expect(await modules()).toMatchObject({ ipFilter: true });
  });

  it('asks before APIs stop requiring signatures, and before the signature check goes off', async () => {
    await a.getByRole('switch', { name: 'API signature check' }).click();
    await a.getByRole('status').filter({ hasText: 'API signature check enabled.' }).waitFor();
    await open(a, 'signatures');
    for (const name of ['Events', 'Customer']) {
      await a.getByRole('checkbox', { name, exact: true }).check();
    }
    await a.getByRole('button', { name: 'Save' }).click();
    await a.getByRole('status').filter({ hasText: 'Saved: signed requests required on' }).waitFor();

    await a.getByRole('checkbox', { name: 'Events', exact: true }).uncheck();
    await a.getByRole('button', { name: 'Save' }).click();
    const stop = a.getByRole('alertdialog', { name: 'Stop requiring signed requests?' });
    await expect(
      stop.getByRole('list', { name: 'No longer enforced' }).textContent(),
    ).resolves.toBe('Events');
    await stop.getByRole('button', { name: 'Stop enforcing' }).click();
    await a
      .getByRole('status')
      .filter({ hasText: 'Saved: signed requests required on Customer.' })
      .waitFor();

    await open(a, 'modules');
    await a.getByRole('switch', { name: 'API signature check' }).click();
    const off = a.getByRole('alertdialog', { name: 'Turn API signature check off?' });
    await expect(off.getByRole('list', { name: 'No longer enforced' }).textContent()).resolves.toBe(
      'Customer',
    );
    await off.getByRole('button', { name: 'Turn API signature check off' }).click();
    await a.getByRole('status').filter({ hasText: 'API signature check disabled.' }).waitFor();
    expect(await modules()).toMatchObject({ signatureCheck: false });
  });

  it('asks before unsaved changes are lost: on a tab change, on Back, on Cancel and on leaving the page', async () => {
    const switched = await changeFrom(a, platform.adminWeb, {
      source: `/api/workspaces/${ws}`,
      method: 'PUT',
      path: `/api/workspaces/${ws}/modules/signatureCheck`,
      body: { enabled: true },
    });
    expect(switched).toBe(200);
    await open(a, 'modules');
    const tabs = a.getByRole('navigation', { name: 'Workspace sections' });
    await tabs.getByText('Signature enforcement').click();
    const offers = a.getByRole('checkbox', { name: 'Offers', exact: true });
    await offers.check();

    const asked = answerNext(a, false);
    await tabs.getByText('Members').click();
    await expect(asked).resolves.toBe(
      'Leave without saving? Your changes to the signature enforcement are not saved and will be lost.',
    );
    expect(new URL(a.url()).pathname).toBe(`/workspaces/${ws}/signatures`);
    await expect(offers.isChecked()).resolves.toBe(true);

    // Back, in the app: the same question, and the page stays
    const back = answerNext(a, false);
    await a.goBack({ waitUntil: 'commit' });
    await expect(back).resolves.toContain('Leave without saving?');
    await a.waitForTimeout(200);
    expect(new URL(a.url()).pathname).toBe(`/workspaces/${ws}/signatures`);
    await expect(offers.isChecked()).resolves.toBe(true);

    const leaving = answerNext(a, true);
    await tabs.getByText('IP filter').click();
    await leaving;
    expect(new URL(a.url()).pathname).toBe(`/workspaces/${ws}/ip-filter`);

    // the IP editor: Cancel with typed text asks, and so does closing the page
    const clubs = a.getByRole('region', { name: 'Clubs', exact: true });
    await clubs.getByRole('button', { name: 'Edit list for Clubs' }).click();
    const text = clubs.getByLabel('Allowed addresses and ranges for Clubs');
    await text.fill('203.0.113.0/24');
    const cancel = answerNext(a, false);
    await clubs.getByRole('button', { name: 'Cancel' }).click();
    await expect(cancel).resolves.toBe('Discard your changes to the Clubs list?');
    await expect(text.inputValue()).resolves.toBe('203.0.113.0/24');

    const unload = new Promise<string>((resolve) => {
      a.once('dialog', (dialog) => {
        resolve(dialog.type());
        void dialog.dismiss();
      });
    });
    await a.close({ runBeforeUnload: true });
    await expect(unload).resolves.toBe('beforeunload');
    await a.waitForTimeout(300);
    expect(a.isClosed()).toBe(false);
    await expect(text.inputValue()).resolves.toBe('203.0.113.0/24');
  });

  it('met no script error', () => {
    expect(problems).toEqual([]);
  });
});
