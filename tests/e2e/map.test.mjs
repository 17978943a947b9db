// The map of where capacity is built: countries and one mark per region with capacity, marks that
// follow a share or a ban, the quarter slider and play/pause, and a Table view with the same
// numbers as the command line (`atlas run --query … -f csv`) for the quarter shown.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { launch, openPage, screenshot, settled } from './lib.mjs';

const CLI = process.env.ATLAS_CLI;

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** The CLI's region rows of `metric` for `query`: { quarter: { region name: value } }. */
function cliByRegion(query, metric) {
  const csv = execFileSync(CLI, ['run', '--query', query, '--format', 'csv'], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const out = {};
  for (const line of csv.split('\n')) {
    if (line.startsWith('#') || !line.includes(`,${metric},`)) continue;
    // quarter,provider,region,accelerator,metric,unit,value,provider_name,region_name,…
    const cells = line.match(/("([^"]|"")*"|[^,]*)(,|$)/g).map((c) => c.replace(/,$/, '').replace(/^"|"$/g, ''));
    const [quarter, provider, region, accelerator, m, , value, , regionName] = cells;
    if (m !== metric || provider || accelerator || !region) continue;
    (out[quarter] ??= {})[regionName] = Number(value);
  }
  return out;
}

/** The map's Table view as { region: [value, baseline] }. */
async function mapTable(page) {
  const pressed = await page.locator('#table-map').getAttribute('aria-pressed');
  if (pressed !== 'true') await page.click('#table-map');
  const rows = await page.$$eval('#data-map tr', (trs) =>
    trs.slice(1).map((tr) => [...tr.children].map((c) => c.textContent)),
  );
  return Object.fromEntries(rows.map(([region, value, base]) => [region, [value, base]]));
}

const number = (text) => Number(text.replaceAll(',', ''));

/** Whether `shown` is `value` as the page writes it (0, 1 or 2 decimals by size). */
function agrees(shown, value) {
  const decimals = Math.abs(value) >= 1000 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return Math.abs(number(shown) - value) <= 0.5 * 10 ** -decimals + 1e-9 * Math.abs(value);
}

test('the map draws the countries and one mark per region with capacity, as the command line counts them', async () => {
  assert.ok(CLI, 'ATLAS_CLI names the command line (set by cargo xtask test)');
  const query = 'v=1&base=world';
  const cli = cliByRegion(query, 'h100e');
  const quarters = Object.keys(cli).sort();
  const last = quarters.at(-1);
  const { context, page, errors } = await openPage(browser, `?${query}`);
  try {
    await page.locator('#panel-map').scrollIntoViewIfNeeded();
    const stats = await page.evaluate(() => window.__atlas);
    assert.ok(stats.mapLandRings > 150, `countries drawn: ${stats.mapLandRings} rings`);
    const active = Object.values(cli[last]).filter((v) => v > 0).length;
    assert.equal(stats.mapMarks, active, 'one mark per region with capacity at the end');
    assert.match(await page.locator('#panel-map .chart-unit').textContent(), new RegExp(`in ${last}`));
    await screenshot(page, 'map-world', { fullPage: false });

    // The Table view: every region, the CLI's number for the quarter shown.
    const table = await mapTable(page);
    for (const [region, value] of Object.entries(cli[last])) {
      assert.ok(table[region], `${region} in the map's table`);
      assert.ok(agrees(table[region][0], value), `${region} ${last}: page ${table[region][0]}, CLI ${value}`);
    }
    assert.equal(Object.keys(table).length, Object.keys(cli[last]).length);

    // The quarter slider: the first quarter, the CLI's first quarter.
    await page.locator('#map-quarter').fill('0');
    await settled(page);
    assert.equal(await page.locator('.map-quarter-text').textContent(), quarters[0]);
    const first = await mapTable(page);
    for (const [region, value] of Object.entries(cli[quarters[0]])) {
      assert.ok(agrees(first[region][0], value), `${region} ${quarters[0]}: page ${first[region][0]}, CLI ${value}`);
    }
    assert.equal(await page.evaluate(() => window.__atlas.mapQuarter), 0);

    // The keyboard: the largest region first, said politely.
    await page.click('#table-map');
    await page.locator('#chart-map').focus();
    await page.keyboard.press('ArrowRight');
    const said = await page.locator('#chart-live').textContent();
    const largest = Object.entries(cli[quarters[0]]).sort((a, b) => b[1] - a[1])[0][0];
    assert.ok(said.startsWith(`${quarters[0]}, ${largest}: `), said);
    assert.match(said, /; 1 of \d+$/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the marks follow a share and a ban', async () => {
  const { context, page, errors } = await openPage(browser, '?v=1&base=world');
  try {
    const marks = await page.evaluate(() => window.__atlas.mapMarks);
    const pixels = () => page.evaluate(() => document.getElementById('chart-map').toDataURL());
    const drawn = await pixels();
    const before = await mapTable(page);

    // Banning every current chip for the middle tier empties its regions (no leakage outside China).
    for (const family of ['blackwell', 'blackwell_ultra', 'rubin', 'rubin_ultra', 'feynman', 'hopper']) {
      const cell = page.locator(`button.cell[data-family="${family}"][data-group="middle_tier"]`);
      if ((await cell.count()) === 0) continue;
      while ((await cell.getAttribute('data-state')) !== 'ban') await cell.click();
    }
    await settled(page);
    const banned = await mapTable(page);
    const moved = Object.keys(before).filter((r) => banned[r][0] !== before[r][0]);
    assert.ok(moved.length > 0, 'a ban moves the capacity the map shows');
    // The baseline column keeps the baseline's numbers.
    for (const r of Object.keys(before)) assert.equal(banned[r][1], before[r][1], `${r}'s baseline`);
    await page.click('#table-map');
    await settled(page);
    assert.notEqual(await pixels(), drawn, 'the map is drawn again');
    assert.ok((await page.evaluate(() => window.__atlas.mapMarks)) <= marks);

    // A provider's share moves capacity between regions.
    await page.locator('#ctl-share-aws').fill('60');
    await settled(page);
    const shared = await mapTable(page);
    assert.ok(Object.keys(before).some((r) => shared[r][0] !== banned[r][0]), 'a share moves the marks');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('play runs through the quarters and pauses', async () => {
  const { context, page, errors } = await openPage(browser, '?v=1&base=world');
  try {
    await page.locator('#map-quarter').fill('3');
    await page.click('#map-play');
    assert.equal(await page.locator('#map-play').textContent(), 'Pause');
    await page.waitForFunction(() => window.__atlas.mapQuarter >= 5);
    await page.click('#map-play');
    assert.equal(await page.locator('#map-play').textContent(), 'Play');
    const paused = await page.evaluate(() => window.__atlas.mapQuarter);
    assert.equal(await page.evaluate(() => window.__atlas.mapPlaying), false);
    await page.waitForTimeout(1200);
    assert.equal(await page.evaluate(() => window.__atlas.mapQuarter), paused, 'a paused map stays');
    assert.equal(await page.locator('#map-quarter').inputValue(), String(paused));

    // Played to the end, it stops there by itself; play again starts from the first quarter.
    const last = Number(await page.locator('#map-quarter').getAttribute('max'));
    await page.locator('#map-quarter').fill(String(last - 2));
    await page.click('#map-play');
    await page.waitForFunction(() => window.__atlas.mapPlaying === false, null, { timeout: 5000 });
    assert.equal(await page.evaluate(() => window.__atlas.mapQuarter), last);
    await page.click('#map-play');
    assert.equal(await page.evaluate(() => window.__atlas.mapQuarter), 0);
    await page.click('#map-play');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a link chooses what the map shows, and the menus say so; energy is the CLI’s quarter × 4', async () => {
  const query = 'v=1&base=world';
  const cli = cliByRegion(query, 'energy_twh');
  const { context, page, errors } = await openPage(browser, `?${query}&map=energy,grid,2026Q2`);
  try {
    assert.equal(await page.locator('#map-figure').inputValue(), 'energy');
    assert.equal(await page.locator('#map-colour').inputValue(), 'grid');
    assert.equal(await page.locator('.map-quarter-text').textContent(), '2026Q2');
    assert.match(await page.locator('#panel-map .chart-unit').textContent(), /Energy, TWh\/yr, in 2026Q2; colour: Grid intensity/);
    // Energy is a yearly rate: the quarter's TWh × 4.
    const table = await mapTable(page);
    for (const [region, value] of Object.entries(cli['2026Q2'])) {
      assert.ok(agrees(table[region][0], 4 * value), `${region}: page ${table[region][0]}, CLI ${value} × 4`);
    }
    // A choice in the menus goes into the link; the figure back to the default leaves it out.
    await page.click('#table-map');
    await page.selectOption('#map-figure', 'capacity');
    await page.waitForFunction(() => /[?&]map=grid,2026Q2(&|$)/.test(location.search));
    // A quarter past the span's end follows the end.
    const late = await openPage(browser, `?${query}&map=2099Q1`);
    try {
      assert.equal(await late.page.locator('.map-quarter-text').textContent(), '2030Q4');
      assert.deepEqual(late.errors, []);
    } finally {
      await late.context.close();
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
