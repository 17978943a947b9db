// The scenario in the address bar: links reproduce the page exactly, Back and Forward step through
// discrete actions, malformed links still give a working page with a notice, undo / redo, and the
// downloads parse.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { kpis, launch, openPage, screenshot, settled } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** The query string of the page's address, without `?`. */
const query = (page) => page.evaluate(() => location.search.replace(/^\?/, ''));

/** Waits until the address's query satisfies `predicate`. */
async function waitForQuery(page, predicate, timeout = 5_000) {
  // Polled from here: the page's Content-Security-Policy forbids evaluating a predicate's source.
  const end = Date.now() + timeout;
  let last;
  while (Date.now() < end) {
    last = await query(page);
    if (predicate(last)) return;
    await page.waitForTimeout(25);
  }
  throw new Error(`the address never matched ${predicate}: last \`${last}\``);
}

test('a copied link reproduces the same KPIs in a fresh browser context', async () => {
  const first = await openPage(browser);
  let link;
  let shown;
  try {
    const { page } = first;
    await page.locator('#ctl-energy_cost_multiplier').fill('1.75');
    await page.locator('#ctl-carbon_price_usd_per_t').fill('120');
    await page.selectOption('#ctl-policy', 'blackwell-us-only');
    await page.locator('#ctl-share-aws').fill('60');
    await waitForQuery(page, (q) => q.includes('share.aws=60') && q.includes('energy=1.75'));
    link = await query(page);
    assert.match(link, /^v=1&/);
    assert.match(link, /policy=blackwell-us-only/);
    assert.match(link, /carbon=120/);
    shown = await kpis(page);
    assert.deepEqual(first.errors, []);
  } finally {
    await first.context.close();
  }
  const second = await openPage(browser, `?${link}`);
  try {
    assert.deepEqual(await kpis(second.page), shown, 'the same KPIs, to the last digit shown');
    assert.equal(await second.page.locator('#url-notice').isHidden(), true);
    assert.equal(Number(await second.page.locator('#ctl-share-aws').inputValue()), 60);
    assert.deepEqual(second.errors, []);
  } finally {
    await second.context.close();
  }
});

test('Back and Forward restore discrete actions', async () => {
  const { context, page, errors } = await openPage(browser);
  try {
    await page.selectOption('#ctl-policy', 'none');
    await waitForQuery(page, (q) => q.includes('policy=none'));
    await page.locator('button.cell[data-family="hopper"][data-group="us"]').click();
    await waitForQuery(page, (q) => q.includes('ban=hopper:us'));
    await page.goBack();
    await waitForQuery(page, (q) => q.includes('policy=none') && !q.includes('ban='));
    await page.waitForFunction(() => document.querySelector('button.cell[data-family="hopper"][data-group="us"]').dataset.state === 'allow');
    assert.equal(await page.locator('#ctl-policy').inputValue(), 'none');
    await page.goBack();
    await waitForQuery(page, (q) => !q.includes('policy='));
    await page.waitForFunction(() => document.querySelector('#ctl-policy').value === 'oct-2023');
    await page.goForward();
    await page.waitForFunction(() => document.querySelector('#ctl-policy').value === 'none');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

const MALFORMED = [
  ['unknown key', '?v=1&nonsense=3', /nonsense = 3: unknown parameter, ignored/],
  ['misspelt key', '?v=1&enrgy=2', /did you mean “energy”\?/],
  ['no version', '?energy=1.5', /no format version \(v=\); it was read as format 1/],
  ['not a number', '?v=1&energy=lots', /“lots” is not a number/],
  ['out of range', '?v=1&energy=99', /out of range/],
  ['duplicated key', '?v=1&energy=1.5&energy=2', /more than once/],
  ['future version', '?v=7&energy=1.5', /newer Compute Atlas/],
  ['hostile text', '?v=1&%3Cimg%20src=x%20onerror=alert(1)%3E=1&policy=%3Cscript%3Ealert(1)%3C/script%3E', /unknown/],
  ['unknown provider', '?v=1&share.nobody=50', /no provider/],
  ['bad matrix cell', '?v=1&ban=pascal:mars', /no family/],
  ['shares off 100', '?v=1&share.azure=80&share.aws=80', /rescaled/],
];

test('after a bad link the address holds the canonical link of what was applied', async () => {
  const { context, page, errors } = await openPage(browser, '?v=1&energy=abc&carbon=50&share.aws=80');
  try {
    await page.locator('#url-notice').waitFor({ state: 'visible' });
    // The notice keeps the dropped text; the address no longer carries it.
    assert.match(await page.locator('#url-notice').textContent(), /energy = abc/);
    await page.waitForFunction(() => !location.search.includes('energy=abc'));
    const search = await page.evaluate(() => location.search);
    assert.match(search, /carbon=50/);
    // One share by link: AWS takes 80% and the others make room in proportion, Azure included.
    assert.match(search, /share\.aws=80/);
    assert.equal(await page.locator('#ctl-share-aws').inputValue(), '80');
    assert.ok(Number(await page.locator('#ctl-share-azure').inputValue()) > 0, 'Azure keeps a share');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

for (const [name, search, message] of MALFORMED) {
  test(`a malformed link (${name}) shows its notice and a working page`, async () => {
    const { context, page, errors } = await openPage(browser, search);
    try {
      const notice = page.locator('#url-notice');
      await notice.waitFor({ state: 'visible' });
      assert.match(await notice.textContent(), message);
      assert.doesNotMatch(await notice.textContent(), /`/, 'notices are plain text');
      assert.equal(await page.locator('#url-notice img, #url-notice script').count(), 0, 'URL text is never HTML');
      await page.locator('#url-notice-close').click();
      await notice.waitFor({ state: 'hidden' });
      // The page still works: a slider still changes a KPI.
      const before = await page.locator('[data-kpi="carbon_location_mt_end_year"] .kpi-value').textContent();
      await page.locator('#ctl-grid_decarbonisation_pace').fill('2.5');
      await page.waitForFunction(
        (b) => document.querySelector('[data-kpi="carbon_location_mt_end_year"] .kpi-value').textContent !== b,
        before,
      );
      if (name === 'hostile text') await screenshot(page, 'malformed-link.png');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
}

test('undo and redo, with buttons and keys', async () => {
  const { context, page, errors } = await openPage(browser);
  try {
    const value = () => page.locator('#ctl-carbon_price_usd_per_t').inputValue();
    await page.locator('#ctl-carbon_price_usd_per_t').fill('100');
    await page.locator('#ctl-carbon_price_usd_per_t').fill('200');
    await settled(page);
    await page.locator('#undo').click();
    await page.waitForFunction(() => document.querySelector('#ctl-carbon_price_usd_per_t').value === '100');
    await page.keyboard.press('Control+z');
    await page.waitForFunction(() => document.querySelector('#ctl-carbon_price_usd_per_t').value === '0');
    assert.equal(await page.locator('#undo').isDisabled(), true);
    await page.keyboard.press('Control+Shift+z');
    await page.waitForFunction(() => document.querySelector('#ctl-carbon_price_usd_per_t').value === '100');
    await page.locator('#redo').click();
    await page.waitForFunction(() => document.querySelector('#ctl-carbon_price_usd_per_t').value === '200');
    assert.equal(await value(), '200');
    assert.equal(await page.locator('#redo').isDisabled(), true);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the CSV and scenario downloads parse', async () => {
  const { context, page, errors } = await openPage(browser, '?v=1&energy=1.5');
  try {
    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.locator('#download-csv').click()]);
    const csv = await readFile(await csvDownload.path(), 'utf8');
    // Comment lines name the scenario and its link; then the header and one value per row.
    const all = csv.trim().split('\n');
    const comments = all.filter((l) => l.startsWith('#'));
    assert.match(comments[0], /^# Compute Atlas results: The article: OpenAI goes multi-cloud .*edited: energy 1\.5×/);
    assert.match(comments[1], /^# Link: \?v=1&energy=1\.5$/);
    const lines = all.slice(comments.length);
    assert.match(lines[0], /^quarter,provider,region,accelerator,metric,unit,value,provider_name,/);
    assert.ok(lines.length > 1000);
    assert.ok(lines.slice(1).every((l) => Number.isFinite(Number(l.split(',')[6]))));

    const [jsonDownload] = await Promise.all([page.waitForEvent('download'), page.locator('#download-json').click()]);
    const scenario = JSON.parse(await readFile(await jsonDownload.path(), 'utf8'));
    assert.equal(scenario.format_version, 1);
    assert.equal(scenario.energy_cost_multiplier, 1.5);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('named scenarios are selectable and linkable', async () => {
  const { context, page, errors } = await openPage(browser);
  try {
    const resilience = () => page.locator('[data-kpi="capacity_without_largest_pct_end"] .kpi-value').textContent();
    const before = Number(await resilience());
    await page.selectOption('#ctl-scenario', 'azure-only');
    await waitForQuery(page, (q) => q === 'v=1&preset=azure-only');
    await page.waitForFunction((b) => Number(document.querySelector('[data-kpi="capacity_without_largest_pct_end"] .kpi-value').textContent) < b, before);
    assert.match(await page.locator('.preset-about').textContent(), /without the shift/);
    assert.equal(Number(await page.locator('#ctl-share-aws').inputValue()), 0);
    await page.locator('#ctl-energy_cost_multiplier').fill('1.5');
    await page.waitForFunction(() => document.querySelector('#ctl-scenario').value === '');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
  const world = await openPage(browser);
  try {
    const { page } = world;
    const energy = () => page.locator('[data-kpi="energy_twh_end_year"] .kpi-value').textContent();
    await page.selectOption('#ctl-scenario', 'world');
    await waitForQuery(page, (q) => q === 'v=1&preset=world');
    await page.waitForFunction(() => document.querySelector('#scenario-name').textContent === "The world's data centres");
    // Calibrated to the IEA's ~945 TWh in 2030 (within 15%).
    const twh = Number((await energy()).replace(/,/g, ''));
    assert.ok(twh > 945 * 0.85 && twh < 945 * 1.15, `world energy in 2030: ${twh}`);
    assert.match(await page.locator('#ctl-budget_total_usd_b').locator('xpath=..').locator('.control-default').textContent(), /\$\d\.\d\dT/);
    assert.ok(await page.locator('#ctl-share-conventional').isVisible());
    // A change on top of the world keeps its base in the link.
    await page.locator('#ctl-energy_cost_multiplier').fill('2');
    await waitForQuery(page, (q) => q === 'v=1&base=world&energy=2');
    assert.equal(await page.locator('#ctl-scenario').inputValue(), '');
    assert.deepEqual(world.errors, []);
  } finally {
    await world.context.close();
  }
  const linked = await openPage(browser, '?preset=cheap-clean');
  try {
    assert.equal(await linked.page.locator('#ctl-scenario').inputValue(), 'cheap-clean');
    assert.equal(await linked.page.locator('#url-notice').isHidden(), true);
    assert.match(await linked.page.locator('.preset-about').textContent(), /cheap and clean/);
    assert.deepEqual(linked.errors, []);
  } finally {
    await linked.context.close();
  }
});
