// Uncertainty in the page: the bands appear on the charts and cards, follow a dragged slider,
// are reproduced by the link's seed (and equal the command line's, so wasm and native agree to the
// bit), switch off, and the tornado lists what moves the chosen figure most. Workers take part of
// the draws; without them, or with a broken or silent one, the bands are the same.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { launch, openPage, screenshot } from './lib.mjs';

const CLI = process.env.ATLAS_CLI;

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Polls `read` in the page (from node: the page's CSP forbids evaluating predicate source) until `ok` holds. */
async function until(page, read, ok, what, timeoutMs = 20_000) {
  const end = Date.now() + timeoutMs;
  let value;
  while (Date.now() < end) {
    value = await page.evaluate(read);
    if (ok(value)) return value;
    await page.waitForTimeout(50);
  }
  throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(value)}`);
}

/**
 * The bands on `window.__atlas` once a generation after `generation` is done and no newer one has
 * started since (a loaded machine may deliver the last inputs of a drag late).
 */
async function bandsAfter(page, generation) {
  let after = generation;
  for (;;) {
    await until(page, () => window.__atlas.bandsGeneration, (g) => g > after, 'a new generation of bands');
    // The job of the current generation is done when the tornado (last in the job) is.
    const g = await page.evaluate(() => window.__atlas.bandsGeneration);
    await until(page, () => window.__atlas.doneGeneration, (v) => v >= g, `generation ${g} to finish`);
    await page.waitForTimeout(250);
    if ((await page.evaluate(() => window.__atlas.bandsGeneration)) === g) {
      return page.evaluate(() => window.__atlas.bands);
    }
    after = g;
  }
}

test('bands appear on the charts and cards, and the tornado lists what moves carbon most', async () => {
  const { context, page, errors } = await openPage(browser);
  try {
    const bands = await bandsAfter(page, 0);
    assert.equal(bands.draws, 1000, 'a thousand draws by default');
    const [p5, p25, p50, p75, p95] = bands.kpis.carbon_location_mt_end_year;
    assert.ok(p5 < p25 && p25 <= p50 && p50 <= p75 && p75 < p95, `ordered percentiles ${bands.kpis.carbon_location_mt_end_year}`);
    const range = await page.locator('[data-kpi="carbon_location_mt_end_year"] .kpi-range').textContent();
    assert.match(range, /^90% range \d+(\.\d+)? – \d+(\.\d+)?$/);
    assert.match(await page.locator('#bands-note').textContent(), /1,000 draws of \d+ uncertain inputs; seed 1/);
    assert.equal(await page.locator('#bands-note').isVisible(), true);
    const rows = page.locator('#tornado .tornado-row');
    assert.ok((await rows.count()) >= 8, 'the tornado has rows');
    // Uncertain estimates first, widest swing first; then the user's own choices, ranked apart.
    const bars = await rows.evaluateAll((els) => els.map((e) => ({ kind: e.dataset.kind, swing: Number(e.dataset.swing) })));
    const kinds = bars.map((b) => b.kind);
    assert.equal(kinds[0], 'estimate', 'a choice never tops the uncertainties');
    assert.deepEqual(kinds, [...kinds].sort((a, b) => (a === b ? 0 : a === 'estimate' ? -1 : 1)), 'estimates, then choices');
    for (const kind of ['estimate', 'choice']) {
      const swings = bars.filter((b) => b.kind === kind).map((b) => b.swing);
      assert.deepEqual(swings, [...swings].sort((a, b) => b - a), `${kind}s: widest swing first`);
    }
    assert.ok(bars[0].swing > 0);
    assert.match(await page.locator('#tornado .tornado-section').first().textContent(), /^Uncertain estimates/);
    assert.match(await page.locator('#tornado .tornado-section').last().textContent(), /^Your choices/);
    await page.locator('#uncertainty').scrollIntoViewIfNeeded();
    await screenshot(page, 'uncertainty-panel.png');
    await page.locator('#tornado-kpi').selectOption('h100e_end');
    await until(page, () => document.querySelector('#tornado .tornado-axis')?.textContent ?? '', (t) => t.includes('Capacity at end'), 'the capacity tornado');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the bands follow a dragged slider and the link seed reproduces them, as on the command line', async () => {
  const { context, page, errors } = await openPage(browser, '?v=1&draws=200&seed=7');
  try {
    const first = await bandsAfter(page, 0);
    assert.equal(first.draws, 200);
    assert.equal(first.seed, '7');
    const generation = await page.evaluate(() => window.__atlas.bandsGeneration);
    const slider = page.locator('#ctl-energy_cost_multiplier');
    const box = await slider.boundingBox();
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width * 0.2, y);
    await page.mouse.down();
    for (let i = 1; i <= 10; i += 1) await page.mouse.move(box.x + box.width * (0.2 + 0.02 * i), y);
    await page.mouse.up();
    const moved = await bandsAfter(page, generation);
    const [lo0, , , , hi0] = first.kpis.energy_cost_usd_b_end_year;
    const [lo1, , , , hi1] = moved.kpis.energy_cost_usd_b_end_year;
    assert.ok(lo1 > lo0 && hi1 > hi0, `energy-cost band moved up with the slider: ${lo0}–${hi0} → ${lo1}–${hi1}`);
    const stale = await page.locator('[data-kpi="energy_cost_usd_b_end_year"] .kpi-range').getAttribute('class');
    assert.equal(stale, 'kpi-range', 'the range is current again');

    // The address now carries the scenario; the same link elsewhere gives the same bands, and so
    // does the command line (native) for the same query.
    const query = new URL(page.url()).search.slice(1);
    assert.match(query, /seed=7/);
    const { context: other, page: again } = await openPage(browser, `?${query}`);
    try {
      assert.deepEqual(await bandsAfter(again, 0), moved, 'the link reproduces the bands');
    } finally {
      await other.close();
    }
    assert.ok(CLI, 'ATLAS_CLI names the command line (set by cargo xtask test)');
    const cli = JSON.parse(execFileSync(CLI, ['bands', '--query', query, '--format', 'json'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }));
    for (const k of cli.kpis) {
      const { p5, p25, p50, p75, p95 } = k.band;
      assert.deepEqual(moved.kpis[k.id], [p5, p25, p50, p75, p95], `${k.id}: wasm and native agree`);
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('while a slider is held the bands wait, and start after a pause or on release', async () => {
  const { context, page, errors } = await openPage(browser, '?v=1&draws=200');
  try {
    await bandsAfter(page, 0);
    const slider = page.locator('#ctl-energy_cost_multiplier');
    const box = await slider.boundingBox();
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width * 0.2, y);
    await page.mouse.down();
    const held = await page.evaluate(() => window.__atlas.bandsGeneration);
    // Moves every frame: no band work starts while the hand keeps moving.
    for (let i = 1; i <= 20; i += 1) {
      await page.mouse.move(box.x + box.width * (0.2 + 0.01 * i), y);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
    }
    assert.equal(await page.evaluate(() => window.__atlas.bandsGeneration), held, 'no bands during the drag');
    // The hand rests (still pressed): the bands of where it rests start.
    const paused = await bandsAfter(page, held);
    assert.equal(paused.draws, 200);
    await page.mouse.up();
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('switching uncertainty off removes the bands and goes into the link', async () => {
  const { context, page, errors } = await openPage(browser, '?v=1&draws=200');
  try {
    await bandsAfter(page, 0);
    const generation = await page.evaluate(() => window.__atlas.bandsGeneration);
    await page.locator('#unc-on').uncheck();
    await until(page, () => window.__atlas.bandsGeneration, (g) => g > generation, 'a new job');
    await until(page, () => location.search, (q) => q.includes('unc=0'), 'unc=0 in the address');
    assert.equal(await page.locator('#bands-note').isVisible(), false);
    assert.equal(await page.locator('[data-kpi="carbon_location_mt_end_year"] .kpi-range').textContent(), '');
    assert.match(await page.locator('#unc-status').textContent(), /off/);
    assert.equal(await page.locator('#unc-width').isDisabled(), true);
    // The levers still swing the tornado.
    await until(page, () => window.__atlas.doneGeneration, (g) => g === generation + 1, 'the tornado');
    assert.ok((await page.locator('#tornado .tornado-row').count()) >= 2);
    await page.locator('#unc-on').check();
    await until(page, () => location.search, (q) => !q.includes('unc='), 'unc gone from the address');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('workers take part of the draws, and without them (or with a broken or silent one) the bands are the same', async () => {
  const query = 'v=1&draws=1000&seed=3';
  const cli = JSON.parse(execFileSync(CLI, ['bands', '--query', query, '--format', 'json'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }));
  const expected = Object.fromEntries(cli.kpis.map((k) => [k.id, [k.band.p5, k.band.p25, k.band.p50, k.band.p75, k.band.p95]]));
  const stats = (page) => page.evaluate(() => ({ helpers: window.__atlas.helpers, helperDraws: window.__atlas.helperDraws }));

  const withWorkers = await openPage(browser, `?${query}`);
  try {
    const bands = await bandsAfter(withWorkers.page, 0);
    const s = await stats(withWorkers.page);
    assert.ok(s.helpers >= 1, `the page started a worker: ${JSON.stringify(s)}`);
    assert.ok(s.helperDraws > 0 && s.helperDraws < 1000, `the workers took part of the draws: ${JSON.stringify(s)}`);
    assert.deepEqual(bands.kpis, expected, 'with workers, as on the command line');
    assert.deepEqual(withWorkers.errors, []);
  } finally {
    await withWorkers.context.close();
  }

  // A browser without workers, a worker whose script fails, and one that never answers: the page
  // takes every draw.
  const workerScript = (body) => (page) =>
    page.route('**/worker.js', (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body }));
  for (const [what, prepare, workersLeft] of [
    ['no workers', (page) => page.addInitScript(() => delete window.Worker), 0],
    ['a broken worker', workerScript('throw new Error("broken on purpose");'), 0],
    ['a silent worker', workerScript('self.onmessage = () => {};'), 1],
  ]) {
    const { context, page, errors } = await openPage(browser, `?${query}`);
    try {
      await prepare(page);
      await page.reload();
      await page.waitForFunction(() => window.__atlas?.ready === true, null, { timeout: 60_000 });
      const bands = await bandsAfter(page, 0);
      const s = await stats(page);
      assert.equal(s.helpers ?? 0, workersLeft, `${what}: workers left`);
      assert.equal(s.helperDraws ?? 0, 0, `${what}: the page took every draw`);
      assert.deepEqual(bands.kpis, expected, `${what}: the same bands`);
      assert.equal(await page.locator('#error-banner').isVisible(), false, `${what}: the page works`);
      const unexpected = errors.filter((e) => !/a worker stopped; the page takes its draws/.test(e));
      assert.deepEqual(unexpected, [], what);
    } finally {
      await context.close();
    }
  }
});
