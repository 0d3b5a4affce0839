/**
 * Content collections in `astro dev`: a personalized entry is sliced per
 * request like a page (its table of contents too), and an entry with a segment
 * mistake shows Astro's error page with the fix instead of a blank page with
 * status 200 (Astro's glob loader only logs a render error).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAstroDev, type RunningServer } from './utils/astro-dev.ts';
import { launchChromium } from './utils/chromium.ts';
import { FIXTURES } from './utils/fixture.ts';

let server: RunningServer;
beforeAll(async () => {
  server = await startAstroDev(join(FIXTURES, 'dev-collection'), { path: '/guide/', expect: 'Everyone installs the app.' });
});
afterAll(async () => {
  await server?.stop();
});

const get = async (path: string, headers: Record<string, string> = {}) => {
  const response = await fetch(`${server.origin}${path}`, { headers });
  return { response, body: await response.text() };
};

describe('astro dev with a content collection', () => {
  it('slices a personalized entry per request, table of contents included', async () => {
    const prospect = await get('/guide/');
    expect(prospect.body).toContain('Prospects start a trial.');
    expect(prospect.body).not.toMatch(/Customers import|href="#import"|<astro-segment/);
    expect(prospect.body).toContain('href="#trial"');
    const customer = await get('/guide/', { cookie: 'session=1' });
    expect(customer.body).toContain('Customers import their books.');
    expect(customer.body).toContain('href="#import"');
    expect(customer.body).not.toMatch(/Prospects start|href="#trial"/);
  });

  it('answers an entry with a mistake with an error, not a blank page', async () => {
    const { response, body } = await get('/broken/');
    expect(response.status).toBe(500);
    expect(body).not.toContain('Intro for everyone.');
  });

  it("shows the located error and its fix in Astro's error overlay, in Chromium", async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`${server.origin}/broken/`);
      const overlay = page.locator('vite-error-overlay');
      await overlay.waitFor({ state: 'attached', timeout: 20_000 });
      const text = await overlay.evaluate((element) => (element.shadowRoot!.querySelector('#layout') as HTMLElement).innerText);
      expect(text).toContain('broken.md:11:1');
      expect(text).toContain(':::segment{regoin="uk"}');
      expect(text).toContain('add "regoin" to the dimensions option');
      expect(text).toContain('A block is written :::segment{dimension="value"}');
    } finally {
      await browser.close();
    }
  });
});
