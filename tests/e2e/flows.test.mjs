// The flow diagram of redirected money: under the world's bans its flows carry what the command
// line reports as redirected plus unmet capital, over the span and in a chosen year; with nothing
// redirected it says so; its read-outs and Table view agree.

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

function cliJson(query) {
  return JSON.parse(
    execFileSync(CLI, ['run', '--query', query, '--format', 'json'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }),
  );
}

const close = (a, b) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

test('a ban in the world draws flows that carry the redirected and unmet capital the command line reports', async () => {
  assert.ok(CLI, 'ATLAS_CLI names the command line (set by cargo xtask test)');
  const query = 'v=1&base=world&ban=blackwell:middle_tier';
  const cli = cliJson(query);
  const { summary } = cli;
  const unspent = cli.series.find((s) => s.metric === 'unspent_usd_b')?.total.reduce((a, b) => a + b, 0) ?? 0;
  const expected = summary.redirected_usd_b_total + summary.unmet_usd_b_total + unspent;
  assert.ok(summary.redirected_usd_b_total > 0 && summary.unmet_usd_b_total > 0, JSON.stringify(summary));
  const { context, page, errors } = await openPage(browser, `?${query}`);
  try {
    await page.locator('#panel-flows').scrollIntoViewIfNeeded();
    const flows = await page.evaluate(() => window.__atlas.flows);
    assert.ok(flows.links > 2, `bands drawn: ${flows.links}`);
    assert.ok(close(flows.totalUsdB, expected), `diagram ${flows.totalUsdB}, CLI ${expected}`);
    assert.match(await page.locator('#panel-flows .chart-unit').textContent(), /was demand left unmet/);
    await screenshot(page, 'flows-world-ban');

    // The Table view: every flow, whose sum is the total row.
    await page.click('#table-flows');
    const rows = await page.$$eval('#data-flows tr', (trs) => trs.slice(1).map((tr) => [...tr.children].map((c) => c.textContent)));
    const total = rows.find((r) => r[0] === 'Total');
    assert.ok(total, 'a total row');
    assert.ok(Math.abs(Number(total[3].replaceAll(',', '')) - expected) < 0.05 + 1e-4 * expected, `${total[3]} vs ${expected}`);
    assert.ok(rows.some((r) => r[1] === 'ban' && r[2] === 'unmet demand'), 'unmet demand is told apart');

    // One year: the flows of that year in the command line's JSON.
    const year = 2028;
    const ofYear = cli.redirects
      .filter((f) => f.year === year && f.reason !== 'leakage')
      .reduce((sum, f) => sum + f.usd_b, 0);
    await page.selectOption('#flows-year', String(year));
    await settled(page);
    const chosen = await page.evaluate(() => window.__atlas.flows);
    assert.equal(chosen.year, year);
    assert.ok(close(chosen.totalUsdB, ofYear), `${year}: diagram ${chosen.totalUsdB}, CLI ${ofYear}`);
    assert.match(page.url(), /[?&]flows=2028(&|$)/, 'the link keeps the year');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('with nothing redirected the diagram says so', async () => {
  const { context, page, errors } = await openPage(browser, '?v=1');
  try {
    const flows = await page.evaluate(() => window.__atlas.flows);
    assert.equal(flows.links, 0);
    assert.equal(flows.totalUsdB, 0);
    assert.match(await page.locator('#summary-flows').textContent(), /No capital was redirected by export rules or limits\./);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the keyboard reads each flow, largest first, as the hover does', async () => {
  const { context, page, errors } = await openPage(browser, '?v=1&base=world');
  try {
    await page.locator('#chart-flows').focus();
    await page.keyboard.press('ArrowRight');
    const said = await page.locator('#chart-live').textContent();
    assert.match(said, / → .*: USD [\d.,]+ bn, \d+% of the money moved; 1 of \d+$/, said);
    const tip = await page.locator('#tooltip').textContent();
    assert.ok(tip.startsWith('▸ '), tip);
    await page.keyboard.press('ArrowRight');
    assert.match(await page.locator('#chart-live').textContent(), /; 2 of \d+$/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
