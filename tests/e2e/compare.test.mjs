// Comparing two links side by side: the panel starts as baseline vs current, takes any two links
// (whole addresses, queries, preset ids), lists what a link could not carry, shows A and B on the
// charts, and downloads the table as CSV.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { ATLAS_URL, launch, openPage, screenshot } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** The comparison table as `{ kpi: [a, b, difference, change] }` (cell text). */
const table = (page) =>
  page.$$eval('#compare-result tr[data-row]', (rows) =>
    Object.fromEntries(rows.map((r) => [r.dataset.row, [...r.querySelectorAll('td')].map((td) => td.textContent)])),
  );

test('the comparison starts as baseline vs current and follows two pasted links', async () => {
  const { context, page, errors } = await openPage(browser, '?v=1&energy=2');
  try {
    // On load: A is the default baseline, B the current link; doubling prices doubles energy cost.
    let rows = await table(page);
    // One row per headline figure of the model (the cards and the rest of the summary).
    const figures = Object.keys(rows).length;
    assert.equal(figures, 22);
    assert.equal(rows.energy_cost_usd_b_end_year[3], '+100.0%');
    assert.equal(rows.h100e_end[2], '0');
    assert.match(await page.locator('#compare-b').inputValue(), /\?v=1&energy=2$/);

    // A link copied from another browser, and a preset id; the bad parameter is listed.
    const other = await openPage(browser, '?v=1&preset=world');
    const link = `${await other.page.evaluate(() => location.href)}&bogus=1`;
    await other.context.close();
    await page.fill('#compare-a', 'azure-only');
    await page.fill('#compare-b', link);
    await page.click('#compare-run');
    await page.waitForFunction(() => document.querySelector('.compare-names dd:nth-of-type(2)')?.textContent.startsWith("The world's data centres"));
    assert.match(await page.locator('.compare-names dd').first().textContent(), /^Azure only \(no multi-cloud shift\)/);
    assert.match(await page.locator('#compare-notices').textContent(), /B: bogus = 1: unknown parameter/);
    rows = await table(page);
    // The same two links through the command line give the same figures.
    if (process.env.ATLAS_CLI) {
      const cli = JSON.parse(execFileSync(process.env.ATLAS_CLI, ['compare', 'azure-only', link, '-f', 'json'], { stdio: ['ignore', 'pipe', 'ignore'] }));
      const hhi = cli.find((r) => r.id === 'hhi_end');
      assert.equal(rows.hhi_end[0], Math.round(hhi.a).toLocaleString('en-US'));
      assert.equal(rows.hhi_end[1], Math.round(hhi.b).toLocaleString('en-US'));
    }
    assert.ok(rows.hhi_end[2].startsWith('-'), 'the world is less concentrated than Azure alone');
    assert.equal(await page.locator('#compare-result tr[data-row="hhi_end"] td').nth(2).getAttribute('class'), 'better');
    await page.locator('#compare').scrollIntoViewIfNeeded();
    await screenshot(page, 'compare');

    // Swap, then show on the charts: B becomes the current scenario and A the baseline.
    await page.click('#compare-swap');
    await page.waitForFunction(() => document.querySelector('.compare-names dd').textContent.startsWith("The world's"));
    await page.click('#compare-show');
    await page.waitForFunction(() => location.search === '?v=1&preset=azure-only');
    assert.match(await page.locator('#baseline-name').textContent(), /^A: The world's data centres/);
    assert.equal(await page.locator('#pin').textContent(), 'Unpin baseline');
    assert.match(await page.locator('[data-kpi="h100e_end"] .kpi-delta').textContent(), /vs baseline/);

    // The table downloads as CSV with one row per figure.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#compare-csv')]);
    const csv = (await readFile(await download.path(), 'utf8')).trim().split('\n');
    assert.equal(csv[0], 'kpi,label,unit,a,b,difference,change_pct');
    assert.equal(csv.length, figures + 1, 'a header and one line per figure');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a link that is not a link still compares, with its notice', async () => {
  const { context, page, errors } = await openPage(browser);
  try {
    await page.fill('#compare-a', '<img src=x onerror=alert(1)>');
    await page.fill('#compare-b', `${ATLAS_URL}?end=2040#charts`);
    await page.click('#compare-run');
    await page.waitForFunction(() => document.querySelector('.compare-names dd:nth-of-type(2)')?.textContent.endsWith('2023–2040'));
    assert.equal(await page.locator('#compare-notices img').count(), 0, 'text from a link is never HTML');
    assert.match(await page.locator('#compare-notices').textContent(), /^A: /);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
