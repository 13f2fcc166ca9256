// The console page in headless Chromium, as an operator uses it: sign in (a wrong token first),
// read the totals, the top rule and a source IP, open a verdict's detail, look at the nodes,
// block the source IP and manage the IP lists (the collector's real /api/ip-lists), sign out.
// Screenshots go to $SCREENSHOTS.
//
// Driven by tests/e2e/test_console_page.py, which starts the collector, posts a known mix of
// verdicts and counters and passes what the page must show in $EXPECT (JSON):
//   {"requests": N, "blocked": N, "verdicts": N, "top_rule": 949110, "rule": {"id": 942100, "count": 6},
//    "source_ip": "…", "node": "…"}
// Run alone: CONSOLE_URL=http://127.0.0.1:8686 ADMIN_TOKEN=… EXPECT='{…}' node console.spec.mjs
// Exit 0 when every check passed; otherwise 1 with the failed check on stderr.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { check, checks, digits, id, openBrowser } from './browser.mjs';

const url = process.env.CONSOLE_URL;
const token = process.env.ADMIN_TOKEN;
const expect = JSON.parse(process.env.EXPECT || '{}');
const shots = process.env.SCREENSHOTS || 'tmp/screenshots';
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
if (!url || !token) {
  console.error('CONSOLE_URL and ADMIN_TOKEN are required');
  process.exit(2);
}
mkdirSync(shots, { recursive: true });

const { context, page, consoleErrors, close } = await openBrowser(chromiumPath);
// Nothing may leave the collector's origin (no CDN, no fonts).
const origin = new URL(url).origin;
const foreign = [];
page.on('request', (r) => { if (!r.url().startsWith(origin) && !r.url().startsWith('data:')) foreign.push(r.url()); });

let failed = null;
try {
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector(id('signin-form'), { state: 'visible', timeout: 10000 });
  check('the page asks to sign in', true);

  await page.fill(id('signin-token'), 'not-the-admin-token');
  await page.click(id('signin-submit'));
  await page.waitForSelector(id('signin-error'), { state: 'visible', timeout: 10000 });
  const error = await page.textContent(id('signin-error'));
  check('a wrong token is refused and the page says so', /wrong token/i.test(error), error);
  await page.screenshot({ path: join(shots, '01-signin-wrong-token.png') });

  await page.fill(id('signin-token'), token);
  await page.click(id('signin-submit'));
  await page.waitForSelector(id('console'), { state: 'visible', timeout: 10000 });
  await page.waitForFunction((sel) => {
    const t = document.querySelector(sel);
    return t && t.textContent.trim() !== '–';
  }, id('total-requests'), { timeout: 15000 });
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === 'portcullis_session');
  check('signed in with an HttpOnly, SameSite=Strict session cookie',
    !!session && session.httpOnly && session.sameSite === 'Strict');

  if (expect.requests !== undefined) {
    const requests = await page.textContent(id('total-requests'));
    check('total requests match what the nodes counted', digits(requests) === String(expect.requests), requests);
  }
  if (expect.blocked !== undefined) {
    const blocked = await page.textContent(id('total-blocked'));
    check('blocked total matches', digits(blocked) === String(expect.blocked), blocked);
  }
  if (expect.verdicts !== undefined) {
    const verdicts = await page.textContent(id('total-verdicts'));
    check('attack verdicts match what was posted', digits(verdicts) === String(expect.verdicts), verdicts);
  }
  if (expect.top_rule !== undefined) {
    const first = await page.textContent(`${id('top-rules-item')} ${id('toplist-label')}`);
    check('the top rule is the one posted most', first.trim() === String(expect.top_rule), first);
  }
  if (expect.rule) {
    const rules = await page.$$eval(id('top-rules-item'), (items) => items.map((li) => [
      li.querySelector('[data-testid="toplist-label"]').textContent.trim(),
      li.querySelector('[data-testid="toplist-count"]').textContent.trim(),
    ]));
    const found = rules.find(([rule]) => rule === String(expect.rule.id));
    check(`rule ${expect.rule.id} is listed with its count`, !!found && digits(found[1]) === String(expect.rule.count), JSON.stringify(rules));
  }
  if (expect.source_ip) {
    const ips = await page.$$eval(`${id('top-source-ips-item')} ${id('toplist-label')}`, (els) => els.map((e) => e.textContent.trim()));
    check('the attacking source IP is listed', ips.includes(expect.source_ip), ips.join(', '));
    check('the top source IP has a Block action', (await page.$$(`${id('top-source-ips-item')} ${id('block-ip')}`)).length === ips.length);
  }
  const points = await page.$$eval(`${id('timeline')} svg path.line`, (els) => els.length);
  check('the timeline is drawn', points >= 4, `${points} lines`);
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(shots, '02-dashboard.png'), fullPage: true });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForTimeout(200);
  await page.screenshot({ path: join(shots, '02-dashboard-dark.png'), fullPage: true });
  await page.emulateMedia({ colorScheme: 'light' });

  // Verdicts: the table, then one verdict's detail.
  await page.click(id('nav-verdicts'));
  await page.waitForSelector(id('verdict-row'), { timeout: 10000 });
  const rows = await page.$$(id('verdict-row'));
  check('recent verdicts are listed', rows.length > 0, `${rows.length} rows`);
  await page.screenshot({ path: join(shots, '03-verdicts.png'), fullPage: true });
  await rows[0].click();
  await page.waitForSelector(`${id('verdict-detail')}[open]`, { timeout: 5000 });
  const detailIp = (await page.textContent(id('detail-source-ip'))).trim();
  check('the detail shows the source IP', /^[0-9a-f.:]+$/i.test(detailIp), detailIp);
  const matched = await page.$$(id('detail-rule'));
  check('the detail lists the matched rules', matched.length > 0, `${matched.length}`);
  if (expect.node) {
    const node = (await page.textContent(id('detail-node'))).trim();
    check('the detail names the node that sent it', node === expect.node, node);
  }
  check('the detail offers "Block this IP"', (await page.$(id('detail-block-ip'))) !== null);
  await page.screenshot({ path: join(shots, '04-verdict-detail.png') });
  await page.click(id('verdict-detail-close'));

  // Nodes.
  await page.click(id('nav-nodes'));
  await page.waitForSelector(id('node-row'), { timeout: 10000 });
  const nodeNames = await page.$$eval(`${id('node-row')} td:first-child`, (els) => els.map((e) => e.textContent.trim()));
  if (expect.node) check('the nodes page lists the node', nodeNames.includes(expect.node), nodeNames.join(', '));
  await page.screenshot({ path: join(shots, '05-nodes.png'), fullPage: true });

  // IP lists and "Block", against the collector's own /api/ip-lists.
  if (expect.source_ip) {
    await page.click(id('nav-dashboard'));
    await page.waitForSelector(id('block-ip'), { timeout: 10000 });
    for (const item of await page.$$(id('top-source-ips-item'))) {
      if ((await item.$eval(id('toplist-label'), (e) => e.textContent.trim())) === expect.source_ip) {
        await (await item.$(id('block-ip'))).click();
        break;
      }
    }
    await page.waitForSelector(`${id('block-dialog')}[open]`, { timeout: 5000 });
    const shown = (await page.textContent(id('block-dialog-ip'))).trim();
    check('"Block" asks about the right address', shown === expect.source_ip, shown);
    await page.screenshot({ path: join(shots, '06-block-dialog.png') });
    await page.click(id('block-dialog-confirm'));
    await page.waitForSelector(id('toast'), { state: 'visible', timeout: 5000 });
    await page.click(id('nav-ip-lists'));
    await page.waitForSelector(id('ip-row'), { timeout: 10000 });
    const cidrs = await page.$$eval(id('ip-cidr'), (els) => els.map((e) => e.textContent.trim()));
    check('"Block" created a block entry for the source IP', cidrs.some((c) => c.startsWith(expect.source_ip)), cidrs.join(', '));

    // Add an allow entry by hand, see a refusal, then remove the block.
    await page.fill(id('ip-form-cidr'), 'not an address');
    await page.click(id('ip-form-submit'));
    await page.waitForSelector(id('ip-form-error'), { state: 'visible', timeout: 5000 });
    check('a refused entry shows the API\'s message', (await page.textContent(id('ip-form-error'))).length > 0);
    await page.selectOption(id('ip-form-list'), 'allow');
    await page.fill(id('ip-form-cidr'), '192.0.2.0/24');
    await page.fill(id('ip-form-note'), 'office');
    await page.click(id('ip-form-submit'));
    await page.waitForFunction((sel) => document.querySelectorAll(sel).length === 2, id('ip-row'), { timeout: 5000 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(shots, '07-ip-lists.png'), fullPage: true });
    const blockRow = (await page.$$(id('ip-row')))[0];
    await (await blockRow.$(id('ip-remove'))).click();
    await page.waitForFunction((sel) => document.querySelectorAll(sel).length === 1, id('ip-row'), { timeout: 5000 });
    check('"Remove" deletes the entry', true);
  }

  await page.click(id('signout'));
  await page.waitForSelector(id('signin-form'), { state: 'visible', timeout: 5000 });
  const after = await page.evaluate(async () => (await fetch('/api/summary')).status);
  check('after signing out the API refuses the browser', after === 401, String(after));

  // The browser logs every 4xx answer (the wrong token, the refused entry) as a failed load:
  // expected here. Anything else is a script error.
  const scriptErrors = consoleErrors.filter((e) => !e.startsWith('Failed to load resource'));
  check('no script errors on the page', scriptErrors.length === 0, scriptErrors.join(' | '));
  check('nothing was fetched from another origin', foreign.length === 0, foreign.join(', '));
} catch (e) {
  failed = e;
  try { await page.screenshot({ path: join(shots, 'failure.png'), fullPage: true }); } catch (_) { /* best effort */ }
} finally {
  await close();
}
if (failed) {
  console.error(`console.spec: ${failed.message}`);
  process.exit(1);
}
console.log(`console.spec: ${checks.count} checks passed; screenshots in ${shots}`);
