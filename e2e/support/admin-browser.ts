import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

// Headless Chromium (Debian's) driving the admin web app, for the browser tests.

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

/** A signed-in admin in a browser context of its own (its own session). */
export async function signedIn(
  browser: Browser,
  adminWeb: string,
  account: { email: string; password: string },
  width = 1280,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(`${adminWeb}/login`);
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Workspaces', level: 1 }).waitFor();
  return { context, page };
}

/**
 * A change through the page's session, made from a fresh read of `source` (its ETag goes as
 * If-Match), as another admin's browser would make it.
 */
export async function changeFrom(
  page: Page,
  adminWeb: string,
  change: { source: string; method: 'PUT' | 'POST'; path: string; body: unknown },
): Promise<number> {
  const me = (await (await page.request.get(`${adminWeb}/api/me`)).json()) as { csrfToken: string };
  const etag = (await page.request.get(`${adminWeb}${change.source}`)).headers().etag ?? '';
  const reply = await page.request.fetch(`${adminWeb}${change.path}`, {
    method: change.method,
    headers: { 'x-csrf-token': me.csrfToken, 'if-match': etag },
    data: change.body,
  });
  return reply.status();
}

/** Whether the page scrolls sideways (it should not, at any width). */
export async function scrollsSideways(page: Page): Promise<boolean> {
  const wide = await page.evaluate(
    '(document.scrollingElement?.scrollWidth ?? 0) > window.innerWidth',
  );
  return wide === true;
}
