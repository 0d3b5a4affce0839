/**
 * The Dev Toolbar app, in real Chromium (Debian's package, driven by
 * playwright-core) against the real `astro dev` CLI: it lists the page's
 * dimensions and values, says why each value was chosen, switches values,
 * simulates signals and links to the build report. Screenshots land in
 * test/.artifacts/screenshots/toolbar-*.png.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAstroDev, type RunningServer } from './utils/astro-dev.ts';
import { launchChromium } from './utils/chromium.ts';
import { appWindow, openApp } from './utils/dev-toolbar.ts';
import { buildFixture, FIXTURES } from './utils/fixture.ts';

const root = join(FIXTURES, 'toolbar-site');
const SCREENSHOTS = fileURLToPath(new URL('./.artifacts/screenshots/', import.meta.url));

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startAstroDev(root, { path: '/about/', expect: 'Not personalized.' });
  browser = await launchChromium();
  await mkdir(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const url = (path: string) => `${server.origin}${path}`;
const dimension = (page: Page, name: string) => appWindow(page).locator(`section[data-dimension="${name}"]`);
const valueButton = (page: Page, name: string, value: string) => dimension(page, name).locator(`button[data-value="${value}"]`);
const heading = (page: Page) => page.locator('#heading').innerText();
const price = (page: Page) => page.locator('#price').innerText();

/** The page loaded after a navigation the app caused: the app opens itself again. */
async function reopened(page: Page): Promise<Locator> {
  await page.waitForLoadState('load');
  await expect.poll(() => appWindow(page).isVisible(), { timeout: 10_000 }).toBe(true);
  return appWindow(page);
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: join(SCREENSHOTS, `toolbar-${name}.png`) });
}

async function cookies(context: BrowserContext): Promise<string[]> {
  return (await context.cookies()).map((cookie) => `${cookie.name}=${cookie.value}`);
}

describe('the Dev Toolbar app in Chromium against astro dev', () => {
  it('lists the dimensions the page varies on, every value with its label, and why each value won', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(url('/pricing/'));
    const app = await openApp(page);
    expect(await app.locator('section[data-dimension]').evaluateAll((sections) => sections.map((s) => s.getAttribute('data-dimension')))).toEqual([
      'audience',
      'region',
      'campaign',
    ]);
    const values = await dimension(page, 'region')
      .locator('button.value')
      .evaluateAll((buttons) =>
        buttons.map((b) => [b.querySelector('.label')?.textContent, b.querySelector('.name')?.textContent, b.querySelector('.tag')?.textContent ?? null]),
      );
    expect(values).toEqual([
      ['European Union', 'eu', null],
      ['Rest of the world', 'other', 'default'],
    ]);
    expect(await valueButton(page, 'audience', 'prospect').getAttribute('aria-pressed')).toBe('true');
    expect(await valueButton(page, 'audience', 'customer').getAttribute('aria-pressed')).toBe('false');
    expect(await dimension(page, 'audience').locator('.why').innerText()).toBe('Prospect — No rule matched: the default.');
    expect(await valueButton(page, 'audience', 'customer').getAttribute('title')).toBe('When cookie "session" is present');
    await shot(page, 'default');
    await context.close();
  });

  it('switches a value with a one-off preview: the page changes, nothing is stored', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(url('/pricing/'));
    expect(await heading(page)).toBe('Pricing for growing teams');
    await openApp(page);
    await valueButton(page, 'audience', 'customer').click();
    await page.waitForURL(/segment-preview=audience%3Acustomer/);
    const app = await reopened(page);
    expect(await heading(page)).toBe('Your plan: Starter');
    expect(await page.locator('#upgrade').innerText()).toBe('Upgrade to Growth');
    expect(await valueButton(page, 'audience', 'customer').getAttribute('aria-pressed')).toBe('true');
    expect(await dimension(page, 'audience').locator('.why').innerText()).toContain('Previewed with ?segment-preview= for this response only');
    expect(await cookies(context)).toEqual([]);
    // A second preview keeps the first: one parameter, both dimensions.
    await valueButton(page, 'region', 'eu').click();
    await page.waitForURL(/segment-preview=audience%3Acustomer%2Cregion%3Aeu/);
    await reopened(page);
    expect(await heading(page)).toBe('Your plan: Starter');
    expect(await price(page)).toBe('€29 a month');
    expect(await app.isVisible()).toBe(true);
    await shot(page, 'preview');
    await context.close();
  });

  it('remembers a choice with ?segment= (the production cookie), and resets to the standard version', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(url('/pricing/'));
    const app = await openApp(page);
    await app.locator('#remember').check();
    await valueButton(page, 'audience', 'customer').click();
    await page.waitForURL(/[?&]segment=audience%3Acustomer/);
    await reopened(page);
    expect(await heading(page)).toBe('Your plan: Starter');
    expect(await cookies(context)).toEqual(['segment=audience:customer']);
    expect(await dimension(page, 'audience').locator('.why').innerText()).toContain('Chosen with ?segment= and remembered in the "segment" cookie');

    // The next visit follows the cookie.
    await page.goto(url('/pricing/'));
    await openApp(page);
    expect(await heading(page)).toBe('Your plan: Starter');
    expect(await dimension(page, 'audience').locator('.why').innerText()).toContain('A remembered choice: the "segment" cookie.');
    expect(await app.locator('#remember').isChecked()).toBe(true);
    await shot(page, 'remembered');

    await app.getByRole('button', { name: 'Reset to the standard version' }).click();
    await page.waitForURL(/segment=reset/);
    await reopened(page);
    expect(await heading(page)).toBe('Pricing for growing teams');
    expect(await cookies(context)).toEqual([]);
    await context.close();
  });

  it('simulates country, referrer and Global Privacy Control, and says which rule won', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(url('/pricing/'));
    let app = await openApp(page);
    expect(await price(page)).toBe('$29 a month');

    await app.getByLabel('Country').fill('DE');
    await app.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/segment-country=DE/);
    app = await reopened(page);
    expect(await price(page)).toBe('€29 a month');
    expect(await dimension(page, 'region').locator('.why').innerText()).toBe('European Union — Rule 1 of "eu" matched: continent is EU.');
    expect(await app.getByLabel('Country').inputValue()).toBe('DE');

    await app.getByLabel('Referrer host').fill('www.producthunt.com');
    await app.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/segment-referrer=www\.producthunt\.com/);
    app = await reopened(page);
    expect(await page.locator('#offer').innerText()).toBe('Spring sale: a month free');
    expect(await dimension(page, 'campaign').locator('.why').innerText()).toBe(
      'Spring sale — Rule 2 of "spring" matched: referrer ends with "producthunt.com".',
    );
    await shot(page, 'simulated');

    await app.getByLabel('Global Privacy Control').check();
    await app.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/segment-gpc=1/);
    await reopened(page);
    expect(await price(page)).toBe('$29 a month');
    expect(await page.locator('#offer').count()).toBe(0);
    expect(await dimension(page, 'region').locator('.why').innerText()).toContain('Global Privacy Control is on: nothing is inferred');
    await context.close();
  });

  it('says when a page is not personalized, and links to the build report', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(url('/about/'));
    const app = await openApp(page);
    expect(await app.locator('.none').innerText()).toContain('This page is not personalized');
    const link = app.getByRole('link', { name: 'Build report' });
    expect(await link.getAttribute('href')).toBe('/_astro-segments/report.html');
    await context.close();

    // The dev route serves the last build's report, or says how to make one.
    const reportDir = join(root, '.astro-segments');
    await rm(reportDir, { recursive: true, force: true });
    const missing = await fetch(url('/_astro-segments/report.html'));
    expect(missing.status).toBe(200);
    expect(await missing.text()).toContain('No build report yet');
    try {
      await mkdir(reportDir, { recursive: true });
      await writeFile(join(reportDir, 'report.html'), '<!doctype html><html><body><h1>Personalization report</h1></body></html>');
      const served = await (await fetch(url('/_astro-segments/report.html'))).text();
      expect(served).toContain('<h1>Personalization report</h1>');
      expect(served).toContain('astro dev is showing <code>.astro-segments/report.html</code>');
    } finally {
      await rm(reportDir, { recursive: true, force: true });
    }
  });
});

describe('outside astro dev', () => {
  it('never writes the toolbar data into built pages', async () => {
    const site = await buildFixture(root);
    try {
      const files = (await site.files()).filter((file) => file.endsWith('.html'));
      expect(files.length).toBeGreaterThan(1);
      for (const file of files) expect(await site.read(file)).not.toContain('astro-segments-dev');
    } finally {
      await site.cleanup();
      await rm(join(root, '.astro-segments'), { recursive: true, force: true });
    }
  });
});
