// The operator's flow on the console page in headless Chromium, against a collector fed by real
// Envoy traffic: sign in (a wrong token first), check the totals, the top rule and the attacking
// source IP A, open A's verdicts and one verdict's detail, check the node, block A from the
// dashboard (note and expiry), then remove the entry on the IP-list page. Screenshots at each
// step go to $SCREENSHOTS.
//
// Driven by tests/e2e/test_console_flow.py, which sends the traffic, passes what the page must
// show in $EXPECT (JSON):
//   {"totals": {"requests": N, "blocked": N, "monitored": N, "passed": N, "rate_limited": N},
//    "verdicts": N, "top_rule": 4290100, "top_rule_count": N, "source_ip": "…", "source_ip_count": N,
//    "node": "…", "group": "…", "vms": N}
// and checks Envoy in between: after printing `::blocked` and `::unblocked` this script waits
// for a line on stdin before it goes on.
// Exit 0 when every check passed; otherwise 1 with the failed check on stderr.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { check, checks, digits, id, openBrowser } from './browser.mjs';

const url = process.env.CONSOLE_URL;
const token = process.env.ADMIN_TOKEN;
const expect = JSON.parse(process.env.EXPECT || 'null');
const shots = process.env.SCREENSHOTS || 'tmp/screenshots/flow';
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
if (!url || !token || !expect) {
  console.error('CONSOLE_URL, ADMIN_TOKEN and EXPECT are required');
  process.exit(2);
}
mkdirSync(shots, { recursive: true });

const stdin = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
/** Tells the driver a step is done and waits until it has checked Envoy. */
async function handOver(step) {
  console.log(`::${step}`);
  const line = await stdin.next();
  if (line.done) throw new Error(`the driver went away after ${step}`);
}

const { page, consoleErrors, close } = await openBrowser(chromiumPath);
const text = async (selector) => ((await page.textContent(selector)) || '').trim();
const shot = (name, fullPage = true) => page.screenshot({ path: join(shots, name), fullPage });

/** The top-list entry of `list` whose label is `label`, or null. */
async function topItem(list, label) {
  for (const item of await page.$$(id(`${list}-item`))) {
    if ((await item.$eval(id('toplist-label'), (e) => e.textContent.trim())) === label) return item;
  }
  return null;
}

let failed = null;
try {
  // Sign in, a wrong token first.
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector(id('signin-form'), { state: 'visible', timeout: 10000 });
  await page.fill(id('signin-token'), 'pca_wrong');
  await page.click(id('signin-submit'));
  await page.waitForSelector(id('signin-error'), { state: 'visible', timeout: 10000 });
  check('a wrong token is refused and the page says so', /wrong token/i.test(await text(id('signin-error'))));
  await shot('01-signin-wrong-token.png', false);
  await page.fill(id('signin-token'), token);
  await page.click(id('signin-submit'));
  await page.waitForSelector(id('console'), { state: 'visible', timeout: 10000 });
  await page.waitForFunction((sel) => document.querySelector(sel)?.textContent.trim() !== '–', id('total-verdicts'),
    { timeout: 15000 });
  check('the admin token signs in', true);

  // Totals: what Envoy's workers counted equals what was sent.
  const cards = { requests: 'total-requests', blocked: 'total-blocked', monitored: 'total-monitored',
    passed: 'total-passed', rate_limited: 'total-rate-limited' };
  for (const [name, testid] of Object.entries(cards)) {
    const shown = await text(id(testid));
    check(`${name} on the page = sent`, digits(shown) === String(expect.totals[name]), `${shown} vs ${expect.totals[name]}`);
  }
  const verdicts = await text(id('total-verdicts'));
  check('attack verdicts on the page = sent', digits(verdicts) === String(expect.verdicts), verdicts);
  const firstRule = page.locator(id('top-rules-item')).first();
  const ruleLabel = (await firstRule.locator(id('toplist-label')).textContent()).trim();
  const ruleCount = (await firstRule.locator(id('toplist-count')).textContent()).trim();
  check('the top rule is the anomaly-score rule, with its count', ruleLabel === String(expect.top_rule)
    && digits(ruleCount) === String(expect.top_rule_count), `${ruleLabel} × ${ruleCount}`);
  const clipped = await firstRule.locator(id('toplist-label')).evaluate((e) => e.scrollWidth > e.clientWidth);
  check('the rule id is shown whole, beside its message', !clipped);
  const denied = await text(id('total-denied'));
  check('nothing denied by an IP list yet', denied === '0', denied);
  const firstIp = page.locator(id('top-source-ips-item')).first();
  const ipLabel = (await firstIp.locator(id('toplist-label')).textContent()).trim();
  const ipCount = (await firstIp.locator(id('toplist-count')).textContent()).trim();
  check('A tops the source IPs with its attacks', ipLabel === expect.source_ip
    && digits(ipCount) === String(expect.source_ip_count), `${ipLabel} × ${ipCount}`);
  const apps = await page.$$eval(`${id('application-row')} td`, (tds) => tds.map((td) => td.textContent.trim()));
  check('the application row counts the requests', apps[0] === 'flow' && digits(apps[1]) === String(expect.totals.requests),
    apps.join(' | '));
  await page.waitForTimeout(300); // the chart's and bars' layout
  await shot('02-dashboard.png');

  // A's verdicts, then one verdict's detail.
  await (await (await topItem('top-source-ips', expect.source_ip)).$(id('toplist-label'))).click();
  await page.waitForSelector(id('verdict-row'), { timeout: 10000 });
  const sources = await page.$$eval(id('verdict-source-ip'), (els) => els.map((e) => e.textContent.trim()));
  check("A's verdicts, and only A's, are listed", sources.length === expect.source_ip_count
    && sources.every((s) => s === expect.source_ip), sources.join(', '));
  await shot('03-verdicts-of-a.png');
  await page.click(`${id('verdict-row')}[data-index="0"]`);
  await page.waitForSelector(`${id('verdict-detail')}[open]`, { timeout: 5000 });
  check('the detail shows the source IP', (await text(id('detail-source-ip'))) === expect.source_ip);
  check('the detail names the node', (await text(id('detail-node'))) === expect.node);
  const matched = await page.$$eval(`${id('detail-rule')} td:first-child`, (tds) => tds.map((td) => td.textContent.trim()));
  check('the detail lists the matched rules, the top rule among them', matched.includes(String(expect.top_rule)),
    matched.join(', '));
  check('the detail shows the request line', /^GET \/\?/.test(await text(id('detail-request'))));
  await shot('04-verdict-detail.png', false);
  await page.click(id('verdict-detail-close'));

  // The node: live, with its version, rule set and workers.
  await page.click(id('nav-nodes'));
  await page.waitForSelector(id('node-row'), { timeout: 10000 });
  const node = await page.$$eval(`${id('node-row')} td`, (tds) => tds.map((td) => td.textContent.trim()));
  check('the node is listed with its group', node[0] === expect.node && node[1] === expect.group, node.join(' | '));
  check('the node is live', node[2] === 'live', node[2]);
  check('the node shows the filter version', /^\d+\.\d+\.\d+/.test(node[4]), node[4]);
  check('the node shows the rule-set fingerprint and rule count', /^[0-9a-f]{16}$/.test(node[5]) && Number(node[6]) > 0,
    `${node[5]} ${node[6]}`);
  check("the node's VMs: the workers and Envoy's main thread", node[7] === String(expect.vms), node[7]);
  check('the page says what the VMs are', /main thread/.test(await text(id('nodes-vms-note'))));
  await shot('05-nodes.png');

  // Block A from the dashboard, beside A in the top source IPs.
  await page.click(id('nav-dashboard'));
  await page.waitForSelector(id('block-ip'), { timeout: 10000 });
  await (await (await topItem('top-source-ips', expect.source_ip)).$(id('block-ip'))).click();
  await page.waitForSelector(`${id('block-dialog')}[open]`, { timeout: 5000 });
  check('Block asks about A', (await text(id('block-dialog-ip'))) === expect.source_ip);
  await page.selectOption(id('block-dialog-expires'), '3600');
  await page.fill(id('block-dialog-note'), 'attacker seen in the e2e flow');
  await shot('06-block-dialog.png', false);
  await page.click(id('block-dialog-confirm'));
  await page.waitForSelector(id('toast'), { state: 'visible', timeout: 5000 });
  check('the page confirms the block', (await text(id('toast'))).startsWith(`Blocked ${expect.source_ip}/32`),
    await text(id('toast')));
  await page.click(id('nav-ip-lists'));
  await page.waitForSelector(id('ip-row'), { timeout: 10000 });
  const cidrs = await page.$$eval(id('ip-cidr'), (els) => els.map((e) => e.textContent.trim()));
  check('the IP lists show the block entry', cidrs.length === 1 && cidrs[0] === `${expect.source_ip}/32`, cidrs.join(', '));
  await shot('07-ip-lists-blocked.png');
  await handOver('blocked');

  // Unblock: remove the entry on the IP-list page.
  await page.click(`${id('ip-row')} ${id('ip-remove')}`);
  await page.waitForSelector(id('ip-empty'), { state: 'visible', timeout: 5000 });
  check('Remove empties the list', (await page.$$(id('ip-row'))).length === 0);
  await shot('08-ip-lists-removed.png');
  await handOver('unblocked');

  // The refused requests from A while it was blocked are verdicts too ("denied").
  await page.click(id('nav-dashboard'));
  await page.waitForFunction((sel) => /denied/.test(document.querySelector(sel)?.textContent || ''),
    id('verdicts-by-action'), { timeout: 15000 });
  const byAction = await text(id('verdicts-by-action'));
  const deniedVerdicts = /([\d,]+) denied/.exec(byAction)[1];
  await page.waitForFunction(([sel, want]) => document.querySelector(sel)?.textContent.trim() === want,
    [id('total-denied'), deniedVerdicts], { timeout: 15000 });
  check("A's refused requests: the nodes' denied count = the denied verdicts", true, `${deniedVerdicts}; ${byAction}`);
  await page.waitForTimeout(300);
  await shot('09-dashboard-after.png');

  await page.click(id('signout'));
  await page.waitForSelector(id('signin-form'), { state: 'visible', timeout: 5000 });
  const scriptErrors = consoleErrors.filter((e) => !e.startsWith('Failed to load resource'));
  check('no script errors on the page', scriptErrors.length === 0, scriptErrors.join(' | '));
} catch (e) {
  failed = e;
  try { await shot('failure.png'); } catch (_) { /* best effort */ }
} finally {
  await close();
}
if (failed) {
  console.error(`flow.spec: ${failed.message}`);
  process.exit(1);
}
console.log(`flow.spec: ${checks.count} checks passed; screenshots in ${shots}`);
process.exit(0);
