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

test('every chart has a name and a summary; the keyboard reads the same value as the hover and the Table view', async () => {
  const { context, page, errors } = await openPage(browser, '');
  try {
    const charts = await page.$$eval('#charts canvas[role="img"]', (canvases) =>
      canvases.map((c) => ({
        id: c.id,
        name: document.getElementById(c.getAttribute('aria-labelledby'))?.textContent ?? '',
        summary: document.getElementById(c.getAttribute('aria-describedby'))?.textContent ?? '',
      })),
    );
    assert.equal(charts.length, 7);
    for (const c of charts) {
      assert.ok(c.name.length > 0, `${c.id} has a name`);
      const shape = {
        'chart-map': /by region in \d{4}Q4\. Regions with a value above zero: \d+; highest values: /,
        'chart-flows': /^Where redirected money went: No capital was redirected/,
      }[c.id] ?? /to \d{4}Q4\. In \d{4}Q4: /;
      assert.match(c.summary, shape, `${c.id} has a summary: ${c.summary}`);
    }

    // Keyboard alone: from the chart's Table button, Tab to the chart, then the arrow keys.
    await page.locator('#table-capacity').focus();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'chart-capacity');
    for (const key of ['ArrowLeft', 'ArrowLeft', 'ArrowLeft', 'ArrowLeft', 'ArrowLeft', 'ArrowDown']) {
      await page.keyboard.press(key);
    }
    const said = await page.locator('#chart-live').textContent();
    const [, quarter, series, value] = said.match(/^(\d{4}Q\d), ([^:]+): ([\d,.]+)/);
    assert.match(said, /; 2 of \d+$/, said);
    const tip = await page.locator('#tooltip').textContent();
    assert.ok(tip.startsWith(quarter), tip);
    assert.ok(tip.includes(`▸ ${series}: ${value}`), tip);
    await page.keyboard.press('Escape');
    assert.equal(await page.locator('#tooltip').isVisible(), false);

    // The hover read-out of the same quarter gives the same number.
    const box = await page.locator('#chart-capacity').boundingBox();
    let hover = '';
    for (let f = 0.05; f < 1 && !hover.startsWith(quarter); f += 0.004) {
      await page.mouse.move(box.x + box.width * f, box.y + box.height * 0.5);
      hover = (await page.locator('#tooltip').isVisible()) ? await page.locator('#tooltip').textContent() : '';
    }
    assert.ok(hover.startsWith(quarter), `the hover reaches ${quarter}: ${hover}`);
    assert.ok(hover.includes(`${series}: ${value}`), hover);

    // So does the Table view.
    await page.click('#table-capacity');
    assert.equal(await page.locator('#chart-capacity').isVisible(), false);
    const headers = await page.locator('#data-capacity tr').first().locator('th').allTextContents();
    const column = headers.indexOf(series);
    assert.ok(column > 0, `${series} in ${headers}`);
    const row = page.locator('#data-capacity tr', { has: page.locator(`th[scope="row"]:text-is("${quarter}")`) });
    assert.equal(await row.locator('th, td').nth(column).textContent(), value);
    // The table follows a change (the total grows with the budget); Chart brings the picture back.
    const totalColumn = headers.indexOf('Total');
    const before = await row.locator('th, td').nth(totalColumn).textContent();
    const budget = page.locator('#ctl-budget_total_usd_b');
    await budget.fill(await budget.getAttribute('max'));
    await page.waitForFunction(
      ([q, c, b]) => {
        const r = [...document.querySelectorAll('#data-capacity tr')].find((tr) => tr.firstChild.textContent === q);
        return r && r.children[c].textContent !== b;
      },
      [quarter, totalColumn, before],
    );
    await page.click('#table-capacity');
    assert.equal(await page.locator('#chart-capacity').isVisible(), true);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('phones from 360 to 414 px wide scroll only up and down', async () => {
  for (const width of [360, 375, 414]) {
    const { context, page, errors } = await openPage(browser, '', { ...PHONE, viewport: { width, height: 800 } });
    try {
      const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(wide <= 0, `${width} px: ${wide} px of sideways scroll`);
      assert.equal(await page.locator('#dock').isVisible(), true);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
});

test('on a phone the main levers sit under the charts they move: a slider moves a chart without scrolling', async () => {
  const { context, page, errors } = await openPage(browser, '', PHONE);
  try {
    // No sideways scrolling.
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no horizontal scroll');
    const dock = page.locator('#dock');
    assert.equal(await dock.isVisible(), true);
    // The cost chart in view, above the dock.
    await page.locator('#chart-cost').scrollIntoViewIfNeeded();
    await page.evaluate(() => window.scrollBy(0, 60));
    const inView = async (selector) =>
      page.$eval(selector, (el) => {
        const r = el.getBoundingClientRect();
        const dockTop = document.getElementById('dock').getBoundingClientRect().top;
        return r.top >= 0 && r.bottom <= dockTop;
      });
    assert.ok(await inView('#chart-cost'), 'the chart is on screen above the dock');
    const before = await page.locator('#summary-cost').textContent();
    // Energy cost is the dock's first lever; its range is touch-sized.
    assert.equal(await page.locator('#dock-lever').inputValue(), 'p0');
    const box = await page.locator('#dock-range').boundingBox();
    assert.ok(box.height >= 24, `touch target ${box.height}px tall`);
    await page.locator('#dock-range').fill('3');
    await page.waitForFunction((b) => document.getElementById('summary-cost').textContent !== b, before);
    assert.equal(await page.locator('#dock-value').textContent(), '3.00× today');
    // The cards above grew a line each ("moved most"); the browser kept the chart where it was.
    assert.ok(await inView('#chart-cost'), 'the chart stayed on screen');
    // The same value is in the control panel and the link.
    assert.equal(await page.locator('#ctl-energy_cost_multiplier').inputValue(), '3');
    await page.waitForFunction(() => location.search.includes('energy=3'));
    // Another lever: the export policy, a menu.
    await page.selectOption('#dock-lever', 'policy');
    await page.waitForFunction(() => !document.getElementById('dock-policy').hidden);
    await page.selectOption('#dock-policy', 'none');
    await page.waitForFunction(() => document.getElementById('ctl-policy').value === 'none');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a slider takes a typed value, within the valid range, as one undo step', async () => {
  const { context, page, errors } = await openPage(browser, '');
  try {
    // Every slider of the panels has its button.
    const sliders = await page.locator('#controls input[type="range"]').count();
    assert.equal(await page.locator('#controls button.type-value').count(), sliders);
    // Keyboard alone: open, type, Enter.
    await page.locator('#type-energy_cost_multiplier').focus();
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'typed-energy_cost_multiplier');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('2.5');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => location.search.includes('energy=2.5'));
    assert.equal(await page.locator('#ctl-energy_cost_multiplier').inputValue(), '2.5');
    assert.equal(await page.locator('output.control-value[for="ctl-energy_cost_multiplier"]').textContent(), '2.50× today');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'type-energy_cost_multiplier', 'focus comes back');
    // Past the slider's end but valid: taken, and the read-out says the slider cannot show it.
    await page.click('#type-energy_cost_multiplier');
    await page.fill('#typed-energy_cost_multiplier', '8');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => location.search.includes('energy=8'));
    assert.match(await page.locator('output.control-value[for="ctl-energy_cost_multiplier"]').textContent(), /8\.00× today \(beyond/);
    // Beyond the valid range: refused, said, nothing changes.
    await page.click('#type-energy_cost_multiplier');
    await page.fill('#typed-energy_cost_multiplier', '99');
    await page.keyboard.press('Enter');
    assert.equal(await page.locator('#typed-err-energy_cost_multiplier').textContent(), 'Type a number from 0 to 10.');
    assert.ok((await page.evaluate(() => location.search)).includes('energy=8'));
    await page.keyboard.press('Escape');
    assert.equal(await page.locator('#typed-form-energy_cost_multiplier').isVisible(), false);
    // One undo step each: back to 2.5, then to the default.
    await page.click('#undo');
    await page.waitForFunction(() => location.search.includes('energy=2.5'));
    await page.click('#undo');
    await page.waitForFunction(() => !location.search.includes('energy='));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the export matrix is a grid: one tab stop, arrow keys between cells, headers name each cell', async () => {
  const { context, page, errors } = await openPage(browser, '');
  try {
    assert.equal(await page.locator('table.matrix').getAttribute('role'), 'grid');
    assert.equal(await page.locator('table.matrix button.cell[tabindex="0"]').count(), 1);
    // From the policy menu, Tab lands on the grid's one tab stop.
    await page.locator('#ctl-policy').focus();
    await page.keyboard.press('Tab');
    const at = () => page.evaluate(() => `${document.activeElement.dataset.family}:${document.activeElement.dataset.group}`);
    const first = await at();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowDown');
    const moved = await at();
    assert.notEqual(moved, first);
    assert.equal(await page.locator('table.matrix button.cell[tabindex="0"]').count(), 1, 'still one tab stop');
    const [family, group] = moved.split(':');
    const cell = page.locator(`button.cell[data-family="${family}"][data-group="${group}"]`);
    assert.equal(await cell.getAttribute('tabindex'), '0');
    // Enter acts on the focused cell; its name says what it is and what it does now.
    const before = await cell.getAttribute('data-state');
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      ([f, g, b]) => document.querySelector(`button.cell[data-family="${f}"][data-group="${g}"]`).dataset.state !== b,
      [family, group, before],
    );
    assert.match(await cell.getAttribute('aria-label'), / to /);
    // Every cell is at least 24 × 24 CSS px.
    const small = await page.$$eval('table.matrix button.cell', (cells) =>
      cells.map((c) => c.getBoundingClientRect()).filter((r) => r.width < 24 || r.height < 24).length,
    );
    assert.equal(small, 0);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("the page's words come from the catalogue, in the language a link or the browser asks for", async () => {
  // A language with no catalogue falls back to English, without a notice about the link.
  const { context, page, errors } = await openPage(browser, '?v=1&energy=2&lang=xx', { locale: 'xx-YY' });
  try {
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    assert.equal(await page.locator('#url-notice').isVisible(), false, "lang= is the page's, not a scenario setting");
    assert.equal(await page.locator('#undo').textContent(), 'Undo');
    assert.equal(await page.locator('#undo').getAttribute('title'), 'Undo (Ctrl+Z)');
    assert.equal(await page.locator('#table-capacity').textContent(), 'Table');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
