import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

/** The astro-segments app's window in Astro's Dev Toolbar. */
export const appWindow = (page: Page) => page.locator('astro-dev-toolbar-app-canvas[data-app-id="astro-segments"] astro-dev-toolbar-window');

/** Open the app from the toolbar. Apps initialize when the browser is idle, so retry until its window shows. */
export async function openApp(page: Page): Promise<Locator> {
  const button = page.locator('astro-dev-toolbar button[data-app-id="astro-segments"]');
  await button.waitFor({ state: 'attached' });
  for (let attempt = 0; attempt < 50 && !(await appWindow(page).isVisible()); attempt++) {
    await button.click({ force: true });
    await page.waitForTimeout(100);
  }
  await expect.poll(() => appWindow(page).isVisible()).toBe(true);
  return appWindow(page);
}
