import { chromium, type Browser } from 'playwright-core';

/**
 * Debian's Chromium (installed by scripts/ensure-test-deps.ts), never a browser
 * download. These flags keep it from reaching out to the closed network.
 */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: FLAGS });
}
