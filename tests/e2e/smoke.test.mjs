// Smoke test: the page starts cleanly in headless Chromium and shows its numbers.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, openPage, screenshot } from './lib.mjs';

/** A KPI the default scenario always has (an id of atlas_core's `Summary::kpis`). */
const KPI = 'energy_cost_usd_b_end_year';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('the page loads without errors and shows a KPI', async () => {
  const { context, page, errors } = await openPage(browser);
  try {
    await assert.doesNotReject(
      page.locator('#error-banner').waitFor({ state: 'hidden', timeout: 5_000 }),
      'the error banner is hidden',
    );
    const value = await page.locator(`[data-kpi="${KPI}"] .kpi-value`).textContent();
    assert.match(value ?? '', /\d/, `the ${KPI} card shows a number, not "${value}"`);
    const path = await screenshot(page, 'default.png');
    console.log(`screenshot: ${path}`);
    assert.deepEqual(errors, [], 'no console or page errors');
  } finally {
    await context.close();
  }
});
