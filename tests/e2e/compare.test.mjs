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
    let link = `${await other.page.evaluate(() => location.href)}&bogus=1`;
    await other.context.close();
    await page.fill('#compare-a', 'azure-only');
    await page.fill('#compare-b', link);
    await page.click('#compare-run');
    // A link that cannot be read as written is listed, and nothing is compared.
    await page.waitForFunction(() => document.querySelector('#compare-result').textContent.startsWith('Nothing compared'));
    assert.match(await page.locator('#compare-notices').textContent(), /B: bogus = 1: unknown parameter/);
    assert.equal(await page.locator('#compare-csv').isDisabled(), true);
    // Fixed, it compares.
    link = link.replace('&bogus=1', '');
    await page.fill('#compare-b', link);
    await page.click('#compare-run');
    await page.waitForFunction(() => document.querySelector('.compare-names dd:nth-of-type(2)')?.textContent.startsWith("The world's data centres"));
    assert.match(await page.locator('.compare-names dd').first().textContent(), /^Azure only \(no multi-cloud shift\)/);
    assert.equal(await page.locator('#compare-notices').isVisible(), false);
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

test('a link that is not a link is listed as text and nothing is compared', async () => {
  const { context, page, errors } = await openPage(browser);
  try {
    await page.fill('#compare-a', '<img src=x onerror=alert(1)>');
    await page.fill('#compare-b', `${ATLAS_URL}?end=2040#charts`);
    await page.click('#compare-run');
    await page.waitForFunction(() => document.querySelector('#compare-result').textContent.startsWith('Nothing compared'));
    assert.equal(await page.locator('#compare-notices img').count(), 0, 'text from a link is never HTML');
    assert.match(await page.locator('#compare-notices').textContent(), /^A: /);
    assert.equal(await page.locator('#compare-result table').count(), 0, 'no table of zeros');
    // A link without v= is only remarked on: fixed A, they compare.
    await page.fill('#compare-a', 'article');
    await page.click('#compare-run');
    await page.waitForFunction(() => document.querySelector('.compare-names dd:nth-of-type(2)')?.textContent.endsWith('2023–2040'));
    assert.match(await page.locator('#compare-notices').textContent(), /B: v: the link names no format version/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('three export regimes side by side, named as the suggestions name them', async () => {
  const { context, page, errors } = await openPage(browser);
  try {
    await page.fill('#compare-a', 'article');
    await page.fill('#compare-b', 'ai-diffusion');
    await page.click('#compare-add');
    await page.fill('#compare-c', 'Blackwell stays in the US');
    await page.click('#compare-add');
    await page.fill('#compare-d', 'v=1&policy=none');
    await page.click('#compare-run');
    await page.waitForFunction(() => document.querySelectorAll('.compare-names dd').length === 4);
    const names = await page.locator('.compare-names dd').allTextContents();
    assert.match(names[0], /^The article: OpenAI goes multi-cloud/);
    assert.match(names[1], /^AI Diffusion Rule \(January 2025\)/);
    assert.match(names[2], /^Blackwell stays in the US/);
    assert.match(names[3], /export rules: No export controls/);
    const headers = await page.locator('#compare-result th[scope="col"]').allTextContents();
    assert.deepEqual(headers.slice(1), ['A', 'B', 'B − A', 'B vs A', 'C', 'C − A', 'C vs A', 'D', 'D − A', 'D vs A']);
    const rows = await table(page);
    assert.equal(rows.h100e_end.length, 10);
    // Removing C letters D as C; the CSV holds every scenario.
    await page.locator('#compare-c').locator('xpath=..').locator('.compare-remove').click();
    assert.equal(await page.locator('#compare-c').inputValue(), 'v=1&policy=none');
    await page.click('#compare-run');
    await page.waitForFunction(() => document.querySelectorAll('.compare-names dd').length === 3);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#compare-csv')]);
    const csv = (await readFile(await download.path(), 'utf8')).trim().split('\n');
    assert.match(csv[0], /^# a: The article/);
    assert.equal(csv[3], 'kpi,label,unit,a,b,c,b_change_pct,c_change_pct');
    assert.match(download.suggestedFilename(), /^compute-atlas-the-article-.*-vs-2-more\.csv$/);
    await page.locator('#compare').scrollIntoViewIfNeeded();
    await screenshot(page, 'compare-four');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('with nothing to compare the panel says what to do; then it follows the current scenario', async () => {
  const { context, page, errors } = await openPage(browser, '');
  try {
    // The default against itself would be a table of zeros: a prompt instead.
    assert.match(await page.locator('#compare-result').textContent(), /^Change a slider or choose a scenario/);
    assert.equal(await page.locator('#compare-result table').count(), 0);
    assert.equal(await page.locator('#compare-csv').isDisabled(), true);
    // A change that comes to rest is compared with the baseline, and the next one too.
    await page.locator('#ctl-energy_cost_multiplier').fill('2');
    await page.waitForFunction(() => document.querySelector('#compare-result tr[data-row]'));
    assert.equal((await table(page)).energy_cost_usd_b_end_year[3], '+100.0%');
    await page.locator('#ctl-energy_cost_multiplier').fill('3');
    await page.waitForFunction(() =>
      document.querySelector('#compare-result tr[data-row="energy_cost_usd_b_end_year"] td:nth-of-type(4)')?.textContent === '+200.0%',
    );
    assert.match(await page.locator('#compare-b').inputValue(), /energy=3$/);
    // Links typed by hand are the user's: a later change leaves them alone.
    await page.fill('#compare-a', 'article');
    await page.fill('#compare-b', 'azure-only');
    await page.click('#compare-run');
    await page.waitForFunction(() => document.querySelector('.compare-names dd:nth-of-type(2)')?.textContent.startsWith('Azure only'));
    const updates = await page.evaluate(() => window.__atlas.updates);
    await page.locator('#ctl-energy_cost_multiplier').fill('1.5');
    await page.waitForFunction((u) => window.__atlas.updates > u, updates);
    // Past the moment a following comparison would have been redone.
    await page.waitForTimeout(1_200);
    assert.equal(await page.locator('#compare-b').inputValue(), 'azure-only');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
