// The static delivery: the one-file page opened from disk works with no server and no network,
// the dist/ site (served from a sub-folder) works offline after one visit, no request ever
// leaves the page's origin, and the Content-Security-Policy is never violated.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { audit, launch, screenshot } from './lib.mjs';

const DIST_URL = process.env.ATLAS_DIST_URL;
const ONE_FILE = process.env.ATLAS_ONE_FILE;

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** A page in a fresh context, recording every request and every error (CSP violations included). */
async function open(url, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  const errors = [];
  const requests = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  context.on('request', (r) => requests.push(r.url()));
  await page.addInitScript(() =>
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective}`)),
  );
  await page.goto(url);
  await page.waitForFunction(() => window.__atlas?.ready === true, null, { timeout: 30_000 });
  return { context, page, errors, requests };
}

const card = (page, id) => page.locator(`[data-kpi="${id}"] .kpi-value`).textContent();

test('the one-file page works from file:// with no server and no network', async () => {
  assert.ok(ONE_FILE, 'ATLAS_ONE_FILE names the one-file page (set by cargo xtask test)');
  const size = (await readFile(ONE_FILE)).length;
  // The budget: 1.4 MB, the page in six languages (their catalogues take about 120 KB of it) with
  // the map's countries (about 50 KB in base64) and the map, flow, embed and share views (issue
  // 18); measured in docs/perf.md.
  assert.ok(size < 1.4 * 1024 * 1024, `the one-file page is under 1.4 MB: ${size} bytes`);
  const url = pathToFileURL(ONE_FILE).href;
  const plain = await open(url, { offline: true });
  const linked = await open(`${url}?v=1&energy=2`, { offline: true });
  try {
    const { page } = plain;
    // The one file passes the same accessibility audit as the served page.
    const violations = await audit(page);
    assert.deepEqual(violations, [], `axe-core found:\n  ${violations.join('\n  ')}`);
    // The uncertainty bands' workers start from the page itself.
    await page.waitForFunction(() => window.__atlas.helpers >= 1 && window.__atlas.helperDraws > 0, null, { timeout: 30_000 });
    const before = await card(page, 'energy_cost_usd_b_end_year');
    // The query string works from a file too.
    assert.notEqual(await card(linked.page, 'energy_cost_usd_b_end_year'), before);
    // Drag a slider: the output changes and the address follows.
    await page.locator('#ctl-energy_cost_multiplier').fill('3');
    await page.waitForFunction((b) => document.querySelector('[data-kpi="energy_cost_usd_b_end_year"] .kpi-value').textContent !== b, before);
    await page.waitForFunction(() => location.search.includes('energy=3'));
    // A preset and a download work too.
    await page.selectOption('#ctl-scenario', 'world');
    await page.waitForFunction(() => document.querySelector('#scenario-name').textContent === "The world's data centres");
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#download-csv').click()]);
    assert.match((await readFile(await download.path(), 'utf8')).split('\n')[0], /^# Compute Atlas results: The world's data centres$/);
    await screenshot(page, 'one-file');
    for (const { requests, errors } of [plain, linked]) {
      assert.deepEqual(requests.filter((r) => !r.startsWith('file:') && !r.startsWith('data:') && !r.startsWith('blob:')), []);
      assert.deepEqual(errors, []);
    }
  } finally {
    await plain.context.close();
    await linked.context.close();
  }
});

test('the dist/ site works offline after the first visit and stays on its origin', async () => {
  assert.ok(DIST_URL, 'ATLAS_DIST_URL names the served dist/ site (set by cargo xtask test)');
  const origin = new URL(DIST_URL).origin;
  const { context, page, errors, requests } = await open(`${DIST_URL}?v=1&energy=2`);
  try {
    // The page is installable: a manifest with icons.
    const manifest = await (await page.request.get(new URL('manifest.webmanifest', DIST_URL).href)).json();
    assert.equal(manifest.name, 'Compute Atlas');
    assert.ok(manifest.icons.some((i) => i.sizes === '512x512'));
    // Hashed, relative asset names.
    const assets = await page.$$eval('link[rel=stylesheet], script[src]', (els) => els.map((e) => e.getAttribute('href') || e.getAttribute('src')));
    assert.ok(assets.every((a) => /^assets\/[a-z_]+\.[0-9a-f]{10}\.(css|js)$/.test(a)), assets.join(', '));

    await page.evaluate(() => navigator.serviceWorker.ready);
    const online = await card(page, 'energy_cost_usd_b_end_year');
    await context.setOffline(true);
    await page.reload();
    await page.waitForFunction(() => window.__atlas?.ready === true, null, { timeout: 30_000 });
    assert.equal(await card(page, 'energy_cost_usd_b_end_year'), online, 'the same page, offline, from the same link');
    // The workers' script came from the cache too.
    await page.waitForFunction(() => window.__atlas.helpers >= 1 && window.__atlas.helperDraws > 0, null, { timeout: 30_000 });
    await page.locator('#ctl-energy_cost_multiplier').fill('3');
    await page.waitForFunction((b) => document.querySelector('[data-kpi="energy_cost_usd_b_end_year"] .kpi-value').textContent !== b, online);
    // An embedded card works offline too, under the same policy, with the same number.
    await page.goto(`${DIST_URL}?v=1&energy=2&embed=energy_cost_usd_b_end_year`);
    await page.waitForFunction(() => window.__atlas?.ready === true, null, { timeout: 30_000 });
    assert.equal(await page.locator('#card-energy_cost_usd_b_end_year').isVisible(), true);
    assert.equal(await page.locator('#charts').isVisible(), false);
    assert.equal(await card(page, 'energy_cost_usd_b_end_year'), online, 'the embedded card, offline');
    // One cache, this version's.
    const caches = await page.evaluate(() => caches.keys());
    assert.equal(caches.filter((k) => k.startsWith('compute-atlas-')).length, 1, caches.join(', '));
    assert.deepEqual(requests.filter((r) => new URL(r).origin !== origin), [], 'every request stays on the origin');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a new version of the site replaces the old one cleanly', async () => {
  assert.ok(DIST_URL, 'ATLAS_DIST_URL names the served dist/ site (set by cargo xtask test)');
  const { context, page, errors } = await open(DIST_URL);
  try {
    await page.evaluate(() => navigator.serviceWorker.ready);
    const first = await page.evaluate(() => caches.keys());
    assert.equal(first.length, 1, first.join(', '));
    // The next deployment: the same files under a new service worker (a new cache version).
    const sw = await (await page.request.get(new URL('sw.js', DIST_URL).href)).text();
    const next = sw.replace(/compute-atlas-[0-9a-f]+/, 'compute-atlas-next');
    assert.notEqual(next, sw);
    await context.route('**/sw.js', (route) => route.fulfill({ body: next, contentType: 'text/javascript' }));
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
    await page.waitForFunction(
      () => caches.keys().then((keys) => keys.length === 1 && keys[0] === 'compute-atlas-next'),
      null,
      { timeout: 30_000, polling: 200 },
    );
    // The page, reloaded offline, comes from the new version's cache.
    await context.setOffline(true);
    await page.reload();
    await page.waitForFunction(() => window.__atlas?.ready === true, null, { timeout: 30_000 });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
