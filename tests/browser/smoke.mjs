// Browser layer: Debian's chromium driven by playwright-core, accessibility checked with axe-core.
//   node tests/browser/smoke.mjs            (stack env from the environment, else `conf/stack.sh env`)
// Screenshots go to tests/artifacts/browser/. Last line: `BROWSER n passed, m failed`; exit 1 on failure.
// Add a flow with check('name', async (page) => { ... }): each check is one test, on a fresh page.
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = join(HERE, '..', '..');
const ART = join(REPO, 'tests', 'artifacts', 'browser');
const AXE = readFileSync(join(HERE, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const TIMEOUT = 30000;

function stackEnv() {
  if (process.env.SHOP_URL) return process.env;
  const out = execFileSync(join(REPO, 'conf', 'stack.sh'), ['env'], { encoding: 'utf8' });
  const env = { ...process.env };
  for (const line of out.split('\n')) {
    const m = /^export ([A-Z_0-9]+)='(.*)'$/.exec(line);
    if (m) env[m[1]] = m[2].replace(/'\\''/g, "'");
  }
  return env;
}

const env = stackEnv();
const SHOP = env.SHOP_URL;
mkdirSync(ART, { recursive: true });

const checks = [];
const check = (name, fn) => checks.push({ name, fn });

// Runs axe-core in the page. Evaluated through the DevTools protocol, so the shop's CSP does not block it.
async function axeViolations(page, impacts = ['serious', 'critical']) {
  await page.evaluate(AXE);
  const res = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return res.violations.filter((v) => impacts.includes(v.impact));
}

function describe(violations) {
  return violations.map((v) => `  [${v.impact}] ${v.id}: ${v.help} (${v.nodes.length} node(s): ` +
    v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ') + ')').join('\n');
}

// ---- checks -----------------------------------------------------------------------------------------

check('front page loads', async (page, t) => {
  const resp = await page.goto(SHOP + '/', { waitUntil: 'load', timeout: TIMEOUT });
  await page.screenshot({ path: join(ART, 'front.png'), fullPage: true });
  if (!resp) throw new Error('no response');
  if (resp.status() >= 400) throw new Error(`HTTP ${resp.status()} for ${SHOP}/`);
  const ctype = resp.headers()['content-type'] || '';
  if (!ctype.startsWith('text/html')) throw new Error(`content-type ${ctype}`);
  if (t.pageErrors.length) throw new Error('JavaScript errors:\n  ' + t.pageErrors.join('\n  '));
});

check('front page has no serious or critical axe violation', async (page) => {
  const resp = await page.goto(SHOP + '/', { waitUntil: 'load', timeout: TIMEOUT });
  if (!resp || resp.status() >= 400) throw new Error(`HTTP ${resp ? resp.status() : '-'} for ${SHOP}/`);
  const v = await axeViolations(page);
  writeFileSync(join(ART, 'front-axe.json'), JSON.stringify(v, null, 2));
  if (v.length) throw new Error(`${v.length} violation(s):\n` + describe(v));
});

// ---- runner -----------------------------------------------------------------------------------------

check('product page has tiers and no serious or critical axe violation', async (page) => {
  const resp = await page.goto(SHOP + '/product/PM200-SESSION', { waitUntil: 'load', timeout: TIMEOUT });
  if (!resp || resp.status() !== 200) throw new Error(`HTTP ${resp ? resp.status() : '-'} for the product page`);
  await page.screenshot({ path: join(ART, 'product.png'), fullPage: true });
  if (!(await page.locator('table.tiers').count())) throw new Error('no price tier table');
  const v = await axeViolations(page);
  if (v.length) throw new Error(`${v.length} violation(s):\n` + describe(v));
});

/* The back office, as the demo sales user: a login ticket from shopctl, then
 * the screens a salesperson opens first. */
function ticket(userid) {
  const shopctl = join(env.SHOP_BUILD || join(REPO, 'build'), 'shopctl');
  return execFileSync(shopctl, ['ticket', String(userid)], { encoding: 'utf8', env }).trim();
}

for (const [name, path] of [['admin-home', '/admin/'], ['admin-products', '/admin/catalogues/1/products'],
                            ['admin-product-form', '/admin/products/8'], ['admin-categories', '/admin/catalogues/1/categories'],
                            ['admin-taxes', '/admin/taxes'], ['admin-shop-form', '/admin/shops/1']]) {
  check(`back office ${path} has no serious or critical axe violation`, async (page) => {
    await page.goto(ticket(7), { waitUntil: 'load', timeout: TIMEOUT });
    const resp = await page.goto(SHOP + path, { waitUntil: 'load', timeout: TIMEOUT });
    if (!resp || resp.status() !== 200) throw new Error(`HTTP ${resp ? resp.status() : '-'} for ${path}`);
    await page.screenshot({ path: join(ART, name + '.png'), fullPage: true });
    const v = await axeViolations(page);
    if (v.length) throw new Error(`${v.length} violation(s):\n` + describe(v));
  });
}

const profile = mkdtempSync(join(tmpdir(), 'shop-chromium-'));
let passed = 0;
let failed = 0;
let context;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-dev-shm-usage'],
    viewport: { width: 1280, height: 900 },
    locale: 'en-GB',
    timeout: 60000,
  });
  for (const c of checks) {
    const page = await context.newPage();
    const t = { pageErrors: [] };
    page.on('pageerror', (e) => t.pageErrors.push(String(e)));
    page.setDefaultTimeout(TIMEOUT);
    const t0 = Date.now();
    try {
      await c.fn(page, t);
      passed++;
      console.log(`  ok      ${c.name} (${Date.now() - t0} ms)`);
    } catch (e) {
      failed++;
      console.log(`  FAILED  ${c.name}: ${e && e.message ? e.message : e}`);
      const shot = join(ART, 'failed-' + c.name.replace(/[^a-z0-9]+/gi, '-') + '.png');
      await page.screenshot({ path: shot, fullPage: true }).catch(() => {});
    } finally {
      await page.close().catch(() => {});
    }
  }
} catch (e) {
  console.log(`browser: could not run: ${e && e.message ? e.message : e}`);
  failed += Math.max(1, checks.length - passed);
} finally {
  if (context) await context.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
}
console.log(`BROWSER ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
