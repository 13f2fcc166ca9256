// What both console specs share: the checks they print, the page's test ids, and headless
// Chromium started the way this machine needs (no background networking: the closed network
// refuses those connections) with a fresh profile and the page's script errors collected.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

/** Prints one check; throws (ending the spec) when it failed. Counts the checks made. */
export const checks = { count: 0 };
export function check(name, ok, detail = '') {
  checks.count += 1;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}`);
  if (!ok) throw new Error(`${name}${detail ? `: ${detail}` : ''}`);
}

/** The digits of a text (`1,665` → `1665`). */
export const digits = (text) => (text || '').replace(/[^0-9]/g, '');
/** The selector of a `data-testid`. */
export const id = (name) => `[data-testid="${name}"]`;

/** Headless Chromium at `executablePath` with a fresh profile: `{context, page, consoleErrors,
 * close}`; `consoleErrors` collects the page's console errors and uncaught exceptions; `close`
 * ends the browser and deletes the profile. */
export async function openBrowser(executablePath) {
  const profile = mkdtempSync(join(tmpdir(), 'portcullis-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1440, height: 1000 },
    locale: 'en-US',
    timezoneId: 'UTC',
    colorScheme: 'light',
  });
  const page = context.pages()[0] || await context.newPage();
  const consoleErrors = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  const close = async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  };
  return { context, page, consoleErrors, close };
}
