// Everyone can use it: an automated accessibility audit (axe-core, WCAG 2.x A/AA and best
// practice) of the page as people open it, and the announcements a screen reader hears.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { audit, launch, openPage, settled } from './lib.mjs';

/** A phone: 390 × 844 CSS px at 3×, touch. */
export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true };

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Opens `path` with `options`, waits for the bands (the page's last change), and audits it. */
async function audited(path, options = {}) {
  const { context, page, errors } = await openPage(browser, path, options);
  try {
    await page.waitForFunction(() => window.__atlas.doneGeneration === window.__atlas.bandsGeneration, null, {
      timeout: 30_000,
    });
    const violations = await audit(page);
    assert.deepEqual(violations, [], `axe-core found:\n  ${violations.join('\n  ')}`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
}

test('the default page passes the WCAG 2.2 A/AA audit, light and dark', async () => {
  await audited('');
  await audited('', { colorScheme: 'dark' });
});

test('the world scenario passes the audit', async () => {
  await audited('?v=1&preset=world');
});

test('a phone viewport passes the audit', async () => {
  await audited('', PHONE);
});

test('a change is announced once, when it comes to rest, not on every step', async () => {
  const { context, page, errors } = await openPage(browser, '');
  try {
    // The cards are not a live region (every step of a drag would be read out).
    assert.equal(await page.locator('#kpis').getAttribute('aria-live'), null);
    const status = page.locator('#announce');
    assert.equal(await status.getAttribute('role'), 'status');
    await page.evaluate(() => {
      window.__said = [];
      new MutationObserver(() => window.__said.push(document.getElementById('announce').textContent)).observe(
        document.getElementById('announce'),
        { childList: true, characterData: true, subtree: true },
      );
    });
    const slider = page.locator('#ctl-energy_cost_multiplier');
    await slider.focus();
    for (let i = 0; i < 8; i += 1) {
      await page.keyboard.press('ArrowRight');
      await settled(page);
    }
    await page.waitForFunction(() => window.__said.length > 0, null, { timeout: 5_000 });
    // Wait past the rest time once more: nothing else is said for the same change.
    await page.waitForTimeout(1_000);
    const said = await page.evaluate(() => window.__said);
    assert.equal(said.length, 1, `said once: ${JSON.stringify(said)}`);
    assert.match(said[0], /Capacity at end .* H100e/);
    assert.match(said[0], /Energy cost, end year .*% against the baseline/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
