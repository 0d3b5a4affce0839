/**
 * The example site in real Chromium (Debian's package, driven by playwright-core),
 * served by the Node server through the real router. Screenshots of each variant
 * land in test/.artifacts/screenshots/.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../utils/chromium.ts';
import { buildFixture, type BuiltFixture } from '../utils/fixture.ts';
import { serveBuilt, type ServedSite } from '../utils/segments-server.ts';

const EXAMPLE = fileURLToPath(new URL('../../examples/ledgerly/', import.meta.url));
const SCREENSHOTS = fileURLToPath(new URL('../.artifacts/screenshots/', import.meta.url));

let site: BuiltFixture;
let server: ServedSite;
let origin: string;
let browser: Browser;

beforeAll(async () => {
  site = await buildFixture(EXAMPLE);
  server = await serveBuilt(site.outDir);
  origin = server.origin;
  browser = await launchChromium();
  await mkdir(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await site?.cleanup();
});

const heading = (page: Page) => page.locator('h1').first().innerText();
const badge = async (page: Page) => ((await page.locator('.badge').count()) ? page.locator('.badge').first().innerText() : null);

/** Every cookie in the jar; the router may only ever add its own. */
async function cookieNames(context: BrowserContext): Promise<string[]> {
  return (await context.cookies()).map((cookie) => cookie.name).sort();
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

describe('the example site in Chromium', () => {
  it('walks a visitor through default, campaign, choice, following pages and reset', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();

    await page.goto(`${origin}/`);
    expect(await heading(page)).toBe('Bookkeeping for founders, done every month.');
    expect(await badge(page)).toBeNull();
    expect(await cookieNames(context)).toEqual([]);
    await shot(page, 'home-default');

    // A campaign link shows the campaign variant and remembers nothing.
    await page.goto(`${origin}/?utm_campaign=year-end-close`);
    expect(await badge(page)).toBe('Year-end close: first month free');
    expect(await heading(page)).toBe('Bookkeeping for founders, done every month.');
    expect(await cookieNames(context)).toEqual([]);
    await shot(page, 'home-campaign');

    // The visitor says who they are: one cookie, declared name and value.
    await page.goto(`${origin}/choose/`);
    await page.getByRole('link', { name: 'an accountant or advisor' }).click();
    await page.waitForURL(/segment=audience:accountant/);
    expect(await heading(page)).toBe('Bring your founder clients. Keep the relationship.');
    const [cookie, ...others] = await context.cookies();
    expect(others).toEqual([]);
    expect(cookie).toMatchObject({ name: 'segment', value: 'audience:accountant', httpOnly: true, sameSite: 'Lax', path: '/' });
    await shot(page, 'home-accountant-chosen');

    // Later pages follow the choice without setting anything again.
    await page.goto(`${origin}/`);
    expect(await heading(page)).toBe('Bring your founder clients. Keep the relationship.');
    await page.goto(`${origin}/pricing/`);
    expect(await page.locator('main').innerText()).toContain('$49');
    expect(await cookieNames(context)).toEqual(['segment']);
    expect((await context.cookies())[0]!.expires).toBe(cookie!.expires);

    // The region chooser adds to the same cookie.
    await page.goto(`${origin}/choose/`);
    await page.getByRole('link', { name: 'the United Kingdom' }).click();
    await page.waitForURL(/segment=region:uk/);
    expect(await page.locator('main').innerText()).toContain('£39');
    expect((await context.cookies()).map((c) => `${c.name}=${c.value}`)).toEqual(['segment=audience:accountant|region:uk']);
    await shot(page, 'pricing-uk-chosen');

    // The notice says which version this is and why; its "See the standard version" clears the choice.
    await page.goto(`${origin}/`);
    const notice = page.getByRole('complementary', { name: 'Version of this page: Accountants and advisors' });
    expect(await notice.innerText()).toContain('You are seeing the version of this page for Accountants and advisors');
    await notice.getByRole('link', { name: 'See the standard version' }).click();
    await page.waitForURL(/segment=reset/);
    expect(await heading(page)).toBe('Bookkeeping for founders, done every month.');
    expect(await cookieNames(context)).toEqual([]);
    await context.close();
  });

  it('gives a GPC visitor only what they chose, never an inferred variant', async () => {
    const context = await browser.newContext({ extraHTTPHeaders: { 'Sec-GPC': '1' } });
    const page = await context.newPage();
    await page.goto(`${origin}/?utm_campaign=year-end-close`);
    expect(await badge(page)).toBeNull();
    expect(await heading(page)).toBe('Bookkeeping for founders, done every month.');
    await page.goto(`${origin}/?segment=audience:accountant`);
    expect(await heading(page)).toBe('Bring your founder clients. Keep the relationship.');
    expect(await cookieNames(context)).toEqual(['segment']);
    await shot(page, 'home-gpc-chosen');
    await context.close();
  });

  it('recognizes a customer by the presence of the site login cookie, and never touches it', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${origin}/login/`);
    await page.getByRole('button', { name: 'Log in as a demo customer' }).click();
    await page.waitForURL(`${origin}/`);
    expect(await heading(page)).toBe('Welcome back. Your books are up to date.');
    const cookies = await context.cookies();
    expect(cookies.map((c) => `${c.name}=${c.value}`)).toEqual(['ledgerly_session=demo']);
    await shot(page, 'home-customer');
    await page.goto(`${origin}/pricing/`);
    expect(await page.title()).toBe('Your plan and upgrades · Ledgerly');
    await shot(page, 'pricing-customer');
    await context.close();
  });
});
