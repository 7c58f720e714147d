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

/* ---- the whole HTML checkout, as an anonymous buyer on the default shop ----------------------------
 * One buyer, one page, every step through the real forms (labels and roles as locators, so the test
 * also proves that labels are wired to their fields). */

// axe on the current page; the report is kept next to the screenshots.
async function expectAxeClean(page, name) {
  const v = await axeViolations(page);
  writeFileSync(join(ART, name + '-axe.json'), JSON.stringify(v, null, 2));
  if (v.length) throw new Error(`${name}: ${v.length} axe violation(s):\n` + describe(v));
}

// The progress list marks exactly one step, this one, as the current step.
// The steps before it are links back, the ones after it are not.
const STEPS = ['Details', 'Participants', 'Your details', 'Confirm'];
async function expectCurrentStep(page, label) {
  const nav = page.getByRole('navigation', { name: 'Checkout progress' });
  const items = nav.getByRole('listitem');
  if ((await items.count()) !== STEPS.length) throw new Error(`${label}: the progress list has ${await items.count()} steps`);
  const current = nav.locator('li[aria-current="step"]');
  const n = await current.count();
  if (n !== 1) throw new Error(`${label}: ${n} step(s) marked aria-current="step", expected 1`);
  const text = (await current.innerText()).replace(/\s+/g, ' ');
  if (!text.includes(label)) throw new Error(`the step marked current is "${text}", expected "${label}"`);
  const at = STEPS.indexOf(label);
  for (let i = 0; i < STEPS.length; i++) {
    const links = await items.nth(i).getByRole('link').count();
    if ((i < at) !== (links === 1)) throw new Error(`${label}: step ${STEPS[i]} has ${links} link(s)`);
  }
}

async function expectPath(page, path) {
  await page.waitForURL((u) => new URL(u).pathname === new URL(SHOP).pathname + path);
}

check('checkout: anonymous buyer, session product x2, offer code, bank transfer', async (page, t) => {
  const base = new URL(SHOP).pathname;
  await page.context().clearCookies();  // anonymous: earlier checks logged in to the back office
  // 1. product page: 2 seats in the cart
  await page.goto(SHOP + '/product/PM200-SESSION', { waitUntil: 'load', timeout: TIMEOUT });
  await page.getByLabel('Quantity', { exact: true }).fill('2');
  await page.getByRole('button', { name: /Add to cart/ }).click();
  await page.waitForLoadState('load');
  if (new URL(page.url()).pathname !== base + '/cart') {
    await page.goto(SHOP + '/cart', { waitUntil: 'load', timeout: TIMEOUT });
  }
  const qty = await page.getByLabel(/^Quantity — /).inputValue();
  if (qty !== '2') throw new Error(`cart quantity ${qty}, expected 2`);
  const offer = page.getByRole('region', { name: /offer code/i });
  const code = offer.getByLabel('Your offer code');
  const proceed = page.getByRole('link', { name: 'Proceed to checkout' });
  if (!(await proceed.count())) throw new Error('no "Proceed to checkout" link on the cart');
  await code.fill('BIENVENUE10');
  await offer.getByRole('button', { name: 'Apply' }).click();
  await page.waitForLoadState('load');
  await page.locator('dt.discount', { hasText: 'BIENVENUE10' }).waitFor();
  if (!(await page.locator('dd.discount').count())) throw new Error('no discount amount on the cart');
  await page.screenshot({ path: join(ART, 'checkout-1-cart.png'), fullPage: true });
  await expectAxeClean(page, 'checkout-1-cart');
  await page.getByRole('link', { name: 'Proceed to checkout' }).click();

  // 2. requirements: Next with an empty required field first
  await expectPath(page, '/checkout/requirements');
  await expectCurrentStep(page, 'Details');
  await expectAxeClean(page, 'checkout-2-requirements-empty');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.waitForLoadState('load');
  await expectPath(page, '/checkout/requirements');
  const units = page.locator('fieldset.unit');
  if ((await units.count()) !== 2) throw new Error(`${await units.count()} unit fieldsets, expected 2`);
  const job1 = units.nth(0).getByLabel(/^Fonction du participant/);
  if ((await job1.getAttribute('aria-invalid')) !== 'true') throw new Error('empty required field not aria-invalid');
  const errId = ((await job1.getAttribute('aria-describedby')) || '').split(/\s+/).find((id) => id.endsWith('error'));
  if (!errId) throw new Error('empty required field not described by its error');
  const errText = (await page.locator('#' + errId).innerText()).trim();
  if (!errText) throw new Error('empty field error text');
  if (!(await page.getByRole('alert').count())) throw new Error('no error summary with role=alert');
  await page.screenshot({ path: join(ART, 'checkout-2-requirements-errors.png'), fullPage: true });
  await expectAxeClean(page, 'checkout-2-requirements-errors');
  for (let u = 0; u < 2; u++) {
    const unit = units.nth(u);
    await unit.getByLabel(/^Fonction du participant/).fill(`Chef de projet ${u + 1}`);
    await unit.getByLabel(/^Financement/).selectOption('opco');
    await unit.getByLabel(/^Besoins d'adaptation/).fill(u ? '' : 'Aucun');
    if (u === 0) await unit.getByLabel(/^Attestation de fin de formation/).check();
  }
  // every required widget is filled, whatever the product asks for
  for (const el of await page.locator('form.requirements [required]').all()) {
    const type = await el.getAttribute('type');
    const ok = type === 'checkbox' ? await el.isChecked() : (await el.inputValue()) !== '';
    if (!ok) throw new Error(`required field ${await el.getAttribute('name')} left empty`);
  }
  await page.screenshot({ path: join(ART, 'checkout-2-requirements.png'), fullPage: true });
  await expectAxeClean(page, 'checkout-2-requirements');
  await page.getByRole('button', { name: 'Next' }).click();

  // 3. participants: two added, each assigned to a student seat
  await expectPath(page, '/checkout/participants');
  await expectCurrentStep(page, 'Participants');
  const stamp = Date.now().toString(36);
  const people = [['Martin', 'Léa', `lea.martin.${stamp}@example.org`, 'Lyon'],
                  ['Durand', 'Hugo', `hugo.durand.${stamp}@example.org`, 'Grenoble']];
  for (const [last, first, email, city] of people) {
    const add = page.locator('form.add-participant');
    await add.getByLabel(/^Last name/).fill(last);
    await add.getByLabel(/^First name/).fill(first);
    await add.getByLabel(/^E-mail/).fill(email);
    await add.getByLabel(/^City/).fill(city);
    await add.getByRole('button', { name: 'Add this participant' }).click();
    await page.waitForLoadState('load');
    await page.getByRole('cell', { name: email, exact: true }).waitFor();
  }
  const seats = page.getByRole('region', { name: /PM200-SESSION/ });
  for (const [, , email] of people) {
    await seats.getByLabel(/^Assign as/).selectOption(email);
    await seats.getByRole('button', { name: 'Assign', exact: true }).click();
    await page.waitForLoadState('load');
    await page.getByRole('region', { name: /PM200-SESSION/ }).getByRole('listitem').filter({ hasText: email }).waitFor();
  }
  const next3 = page.getByRole('button', { name: 'Next' });
  if (await next3.isDisabled()) throw new Error('Next still disabled with both seats assigned');
  await page.screenshot({ path: join(ART, 'checkout-3-participants.png'), fullPage: true });
  await expectAxeClean(page, 'checkout-3-participants');
  await next3.click();

  // 4. customer
  await expectPath(page, '/checkout/customer');
  await expectCurrentStep(page, 'Your details');
  if (!(await page.getByRole('heading', { name: 'Do you have an account?' }).count())) {
    throw new Error('the customer step does not offer to log in: the buyer is not anonymous');
  }
  const form = page.getByRole('group', { name: 'Your details' });
  await form.getByLabel(/^First name/).fill('Camille');
  await form.getByLabel(/^Last name/).fill('Bernard');
  await form.getByLabel(/^E-mail/).fill(`camille.bernard.${stamp}@example.org`);
  await form.getByLabel(/^Organisation/).fill('Formations Rhône SARL');
  await form.getByLabel(/^Address/).fill('12 rue de la République');
  await form.getByLabel(/^Postcode/).fill('69002');
  await form.getByLabel(/^City/).fill('Lyon');
  await form.getByLabel(/^Country/).selectOption({ label: 'France' });
  await page.screenshot({ path: join(ART, 'checkout-4-customer.png'), fullPage: true });
  await expectAxeClean(page, 'checkout-4-customer');
  await page.getByRole('button', { name: 'Next' }).click();

  // 5. order: lines, discount, total; terms; bank transfer
  await expectPath(page, '/checkout/order');
  await expectCurrentStep(page, 'Confirm');
  const lines = page.getByRole('table', { name: /order/i });
  await lines.getByRole('row').filter({ hasText: 'PM200-SESSION' }).waitFor();
  const line = (await lines.getByRole('row').filter({ hasText: 'PM200-SESSION' }).innerText());
  if (!/\b2\b/.test(line)) throw new Error(`order line without quantity 2: ${line}`);
  // the discount is listed with the totals, with its rate and code, as on the cart
  await page.locator('dl.totals dt.discount', { hasText: 'BIENVENUE10' }).waitFor();
  if (!(await page.locator('dl.totals dd.discount').count())) throw new Error('no discount amount in the order totals');
  const total = (await page.locator('dl.totals dd strong').last().innerText()).trim();
  if (!/\d/.test(total)) throw new Error(`no total to pay: "${total}"`);
  await page.getByLabel(/accept the terms/).check();
  await page.getByRole('radio', { name: /Bank transfer/i }).check();
  await page.screenshot({ path: join(ART, 'checkout-5-order.png'), fullPage: true });
  await expectAxeClean(page, 'checkout-5-order');
  await page.getByRole('button', { name: /Place the order/ }).click();

  // 6. placed: order number and IBAN
  await page.waitForURL((u) => new URL(u).pathname.startsWith(base + '/pay/'));
  const h1 = (await page.getByRole('heading', { level: 1 }).innerText()).trim();
  if (!/\d/.test(h1)) throw new Error(`no order number in "${h1}"`);
  const iban = page.locator('dt', { hasText: /^IBAN$/ });
  if (!(await iban.count())) throw new Error('no IBAN on the placed-order page');
  const ibanValue = (await page.locator('dt:has-text("IBAN") + dd').innerText()).trim();
  if (!/^[A-Z]{2}\d{2}/.test(ibanValue.replace(/\s/g, ''))) throw new Error(`IBAN "${ibanValue}"`);
  await page.screenshot({ path: join(ART, 'checkout-6-placed.png'), fullPage: true });
  await expectAxeClean(page, 'checkout-6-placed');
  if (t.pageErrors.length) throw new Error('JavaScript errors:\n  ' + t.pageErrors.join('\n  '));
});

/* ---- the bills back office, as the demo sales user: a manual bill made through its forms, then its page;
 * and the sales dashboard with its inline SVG chart. */
check('back office bill page: a manual bill with a line, screenshot and no serious or critical axe violation', async (page, t) => {
  await page.goto(ticket(7), { waitUntil: 'load', timeout: TIMEOUT });
  await page.goto(SHOP + '/admin/bills/new', { waitUntil: 'load', timeout: TIMEOUT });
  await expectAxeClean(page, 'admin-bill-new');
  await page.getByLabel('Title').fill('Browser check: consulting');
  await page.getByLabel('Customer number').fill('1');
  await page.getByRole('button', { name: 'Create the bill' }).click();
  await page.waitForURL(/\/admin\/bills\/\d+\/edit\?saved=1$/);
  await page.getByRole('link', { name: 'Add a line' }).click();
  await page.getByLabel('Label').fill('Consulting day');
  await page.getByLabel('Quantity').fill('2');
  await page.getByLabel(/^Unit price excl. tax/).fill('1250.00');
  await page.getByLabel('Tax', { exact: true }).selectOption({ index: 1 });
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForURL(/\/edit\?saved=1$/);
  await page.getByRole('link', { name: 'Back to the bill' }).click();
  await page.waitForURL(/\/admin\/bills\/\d+$/);
  if (!(await page.locator('tr.line-MANUAL').count())) throw new Error('the bill page shows no manual line');
  if (!(await page.locator('form.transition[data-to="PLACED"]').count())) throw new Error('no button to place the bill');
  await page.screenshot({ path: join(ART, 'admin-bill.png'), fullPage: true });
  await expectAxeClean(page, 'admin-bill');
  if (t.pageErrors.length) throw new Error('JavaScript errors:\n  ' + t.pageErrors.join('\n  '));
});

check('back office sales dashboard: inline SVG chart, screenshot and no serious or critical axe violation', async (page, t) => {
  await page.goto(ticket(7), { waitUntil: 'load', timeout: TIMEOUT });
  const resp = await page.goto(SHOP + '/admin/dashboard', { waitUntil: 'load', timeout: TIMEOUT });
  if (!resp || resp.status() !== 200) throw new Error(`HTTP ${resp ? resp.status() : '-'} for the dashboard`);
  const charts = page.locator('svg.chart[role="img"]');
  for (let i = 0; i < await charts.count(); i++) {
    const bars = await charts.nth(i).locator('rect.bar.series-0').count();
    if (bars !== 12) throw new Error(`chart ${i} has ${bars} bars, expected one per month (12)`);
  }
  if (!(await page.locator('table.per-state').count())) throw new Error('no bills-per-state table');
  await page.screenshot({ path: join(ART, 'admin-dashboard.png'), fullPage: true });
  await expectAxeClean(page, 'admin-dashboard');
  if (t.pageErrors.length) throw new Error('JavaScript errors:\n  ' + t.pageErrors.join('\n  '));
});

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
  const only = process.env.BROWSER_ONLY;  // run only the checks whose name holds this text
  for (const c of checks.filter((c) => !only || c.name.includes(only))) {
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
