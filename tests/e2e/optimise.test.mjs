// The planner in the page: optimise, read the plan and what binds, watch the frontier arrive,
// apply the plan (the address changes and reproduces it), and an infeasible bound says why.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { kpis, launch, openPage, screenshot, settled } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('optimise, read the explanation, apply the plan, and open its link', async () => {
  const { context, page, errors } = await openPage(browser);
  let link;
  let shown;
  try {
    await page.locator('#opt-share').fill('50');
    assert.equal(await page.locator('#opt-share-value').textContent(), '50%');
    await page.click('#opt-run');
    await page.waitForFunction(() => document.querySelector('#opt-result .opt-headline'));
    const result = await page.locator('#opt-result').textContent();
    assert.match(result, /Optimal plan: [\d,.]+ USD bn/);
    assert.match(result, /The 50% share bound on [A-Za-z ]+ binds in 20\d\d/);
    assert.match(result, /would save USD [\d.]+ bn/);
    // Every provider's capital stays within half of each year's.
    const rows = await page.$$eval('.opt-capital tr[data-provider]', (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => (td.textContent === '–' ? 0 : Number(td.textContent.replace(/,/g, ''))))),
    );
    assert.ok(rows.length >= 2);
    for (let y = 0; y < rows[0].length; y++) {
      const total = rows.reduce((sum, r) => sum + r[y], 0);
      // Cells are rounded to three significant figures: allow 1%.
      for (const r of rows) assert.ok(r[y] <= total * 0.5 * 1.01 + 0.02, `year ${y}: ${r[y]} of ${total}`);
    }
    // Where the money goes, by region and chip, and what the plan trades for its saving: at a
    // 50% bound the least-cost plan builds in India (middle tier), with more carbon; the split
    // between providers is a near-tie, and the page says so.
    await page.waitForFunction(() => document.querySelectorAll('.opt-review li').length >= 2, null, { timeout: 30_000 });
    assert.match(await page.locator('.opt-where tr[data-region] th').first().textContent(), /^India/);
    const review = await page.locator('.opt-review').textContent();
    assert.match(review, /The plan emits \d+% more over the span than your scenario/);
    assert.match(review, /of the end capacity in the middle tier/);
    assert.match(review, /Near-tie: lifting the share bound on /);
    assert.equal((review.match(/The plan emits/g) ?? []).length, 1, 'each point once');
    // The plan is the baseline now, and the frontier arrives a point at a time.
    assert.equal(await page.locator('#baseline-name').textContent(), 'the optimal plan');
    await page.waitForFunction(() => window.__atlas.frontierPoints === 23, null, { timeout: 30_000 });
    // Every explanation and frontier step has run: the review still says each point once, and
    // the result (a polite live region, busy while it was being written) is complete.
    assert.equal((await page.locator('.opt-review').textContent()).match(/The plan emits/g).length, 1);
    assert.equal(await page.locator('#opt-result').getAttribute('aria-busy'), null);
    assert.match(await page.locator('#opt-frontier-legend').textContent(), /23 carbon prices/);
    const planMs = await page.evaluate(() => window.__atlas.planMs);
    assert.ok(planMs > 0, `the page records the solve time: ${planMs}`);
    await page.locator('#optimise').scrollIntoViewIfNeeded();
    await screenshot(page, 'optimise');

    await page.click('#opt-apply');
    await page.waitForFunction(() => location.search.includes('plan='));
    assert.equal(await page.locator('#baseline-name').textContent(), 'your scenario before the plan');
    assert.equal(await page.locator('#ctl-share-aws').isDisabled(), true, 'shares do not steer an applied plan');
    await settled(page);
    link = await page.evaluate(() => location.search);
    shown = await kpis(page);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
  const again = await openPage(browser, link);
  try {
    assert.deepEqual(await kpis(again.page), shown, 'the link reproduces the applied plan');
    assert.equal(await again.page.locator('#url-notice').isHidden(), true);
    assert.deepEqual(again.errors, []);
  } finally {
    await again.context.close();
  }
});

test('an impossible bound says which constraint conflicts, and the page keeps working', async () => {
  // The article's chart of shares: three providers and a yearly budget.
  const { context, page, errors } = await openPage(browser, '?v=1&preset=article-chart');
  try {
    await page.locator('#opt-share').fill('20');
    await page.click('#opt-run');
    const error = page.locator('#opt-result .opt-error');
    await error.waitFor();
    assert.match(await error.textContent(), /with 3 provider\(s\) and none above 20%.*at least 33\.3%/);
    assert.equal(await page.locator('#opt-apply').isDisabled(), true);
    // A capacity path the budget cannot buy names the year and the budget.
    await page.locator('#opt-share').fill('100');
    await page.locator('#opt-target').fill('150');
    await page.click('#opt-run');
    await page.waitForFunction(() => /exceeds/.test(document.querySelector('#opt-result').textContent));
    assert.match(await page.locator('#opt-result').textContent(), /the capacity target of [\d,]+ H100e at the end of 20\d\d exceeds .* limited by the yearly budget/);
    // The rest of the page still answers.
    await page.locator('#ctl-energy_cost_multiplier').fill('2');
    await page.waitForFunction(() => location.search.includes('energy=2'));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
