/**
 * Islands inside segment blocks hydrate in real Chromium (Debian's package,
 * driven by playwright-core): the islands fixture, built by real Astro with
 * @astrojs/preact, served by the Node server through the real router. For the
 * public page and for variants, a counter in a block becomes interactive.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../utils/chromium.ts';
import { buildFixture, type BuiltFixture } from '../utils/fixture.ts';
import { serveBuilt, type ServedSite } from '../utils/segments-server.ts';

let site: BuiltFixture;
let server: ServedSite;
let origin: string;
let browser: Browser;
let context: BrowserContext;
let errors: string[];

beforeAll(async () => {
  site = await buildFixture('islands');
  server = await serveBuilt(site.outDir);
  origin = server.origin;
  browser = await launchChromium();
});

afterEach(async () => {
  await context?.close();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await site?.cleanup();
});

/** A fresh visitor; `member` carries the site's own login cookie, which the member rule reads. */
async function visit(path: string, { member = false } = {}): Promise<Page> {
  context = await browser.newContext();
  if (member) await context.addCookies([{ name: 'session', value: '1', url: origin }]);
  const page = await context.newPage();
  errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(`${origin}${path}`);
  return page;
}

const served = (page: Page) => page.locator('html').getAttribute('data-segments');
const counter = (page: Page, label: string) => page.locator(`button.counter[data-label="${label}"]`);

/** Click the counter once it is hydrated (Astro removes `ssr` from the island then) and see it count. */
async function expectInteractive(page: Page, label: string): Promise<void> {
  await page.locator(`astro-island:not([ssr]) button.counter[data-label="${label}"]`).waitFor({ timeout: 10_000 });
  await counter(page, label).click();
  await expect.poll(() => counter(page, label).innerText()).toBe(`${label}: 1`);
}

describe('islands inside segment blocks in Chromium', () => {
  it('hydrates the client:visible island of an otherwise block on the public page; the member variant has no island', async () => {
    const page = await visit('/otherwise/');
    expect(await served(page)).toBe('plan=free+trial');
    await expectInteractive(page, 'free');
    const member = await visit('/otherwise/', { member: true });
    expect(await served(member)).toBe('plan=member');
    expect(await member.locator('main').innerText()).toBe('Member meter');
    expect(await member.locator('astro-island').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('hydrates client:visible on the public page and client:load in the member variant of the same blocks', async () => {
    await expectInteractive(await visit('/mixed/'), 'other');
    const member = await visit('/mixed/', { member: true });
    expect(await served(member)).toBe('plan=member');
    await expectInteractive(member, 'member');
    expect(errors).toEqual([]);
  });

  it('hydrates islands whose scripts Astro wrote in a block the version hides (MDX), on the public page and a campaign variant', async () => {
    await expectInteractive(await visit('/story/'), 'other');
    const trial = await visit('/story/?utm_campaign=trial');
    expect(await served(trial)).toBe('plan=trial');
    await expectInteractive(trial, 'other');
    await expectInteractive(trial, 'trial');
    expect(errors).toEqual([]);
  });

  it('hydrates an island with a custom client directive whose script was first written in a hidden block', async () => {
    const page = await visit('/custom/');
    // client:click hydrates on the first click; the second one counts.
    await counter(page, 'everyone').click();
    await expectInteractive(page, 'everyone');
    expect(errors).toEqual([]);
  });

  it('hydrates a client:only island from a <head> block in the member variant', async () => {
    const member = await visit('/head/', { member: true });
    expect(await served(member)).toBe('plan=member');
    await expectInteractive(member, 'head');
    expect(errors).toEqual([]);
  });
});
