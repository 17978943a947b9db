// Putting a chart anywhere: a host page (another origin, served here) embeds a chart with the snippet the Embed
// dialog gives — the iframe takes its content's height, shows the same numbers as the full page for
// the same link, follows the reader's colour scheme and loads nothing from anywhere but the
// explorer's origin — and the Share image button downloads a 1200 × 630 PNG of the chart.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import { ATLAS_URL, launch, openPage, screenshot } from './lib.mjs';
import { readPng } from './png.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const QUERY = 'v=1&base=world&energy=1.5&ban=blackwell:middle_tier';

/** The Table view of chart `id` as text rows, once the uncertainty bands are in it. */
async function tableOf(frame, id) {
  await frame.waitForFunction(
    () => window.__atlas.bandsGeneration == null || window.__atlas.doneGeneration === window.__atlas.bandsGeneration,
    null,
    { timeout: 60_000 },
  );
  await frame.click(`#table-${id}`);
  return frame.$$eval(`#data-${id} tr`, (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
}

/** The snippet the Embed dialog gives for chart `id` on the page at `query`. */
async function snippetFor(query, id) {
  const { context, page, errors } = await openPage(browser, `?${query}`);
  try {
    const rows = await tableOf(page, id);
    await page.click(`#embed-${id}`);
    assert.equal(await page.locator('#embed-dialog').isVisible(), true);
    assert.equal(await page.locator('#embed-what').inputValue(), id);
    const code = await page.locator('#embed-code').inputValue();
    await page.keyboard.press('Escape');
    assert.equal(await page.locator('#embed-dialog').isVisible(), false, 'Escape closes the dialog');
    assert.deepEqual(errors, []);
    return { code, rows };
  } finally {
    await context.close();
  }
}

for (const scheme of ['light', 'dark']) {
  test(`a host page embeds a chart through the Embed snippet (${scheme})`, async () => {
    const { code, rows } = await snippetFor(QUERY, 'capacity');
    assert.match(code, /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/\?v=1&amp;/);
    assert.match(code, /embed=capacity"/);

    // The host page is on another origin (another port), served by the test.
    const atlas = new URL(ATLAS_URL);
    const article = `<!doctype html><html lang="en"><head><title>An article</title></head><body>
          <h1>OpenAI's $38B AWS deal</h1><p>Some words before the chart.</p>
          ${code}
          <p id="after">Some words after it.</p></body></html>`;
    const server = createServer((req, res) => {
      // The article, and nothing for the browser's other asks (its icon).
      res.writeHead(req.url === '/article.html' ? 200 : 204, { 'content-type': 'text/html' });
      res.end(req.url === '/article.html' ? article : '');
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const host = `http://127.0.0.1:${server.address().port}/article.html`;
    const context = await browser.newContext({ viewport: { width: 900, height: 900 }, colorScheme: scheme });
    const requests = [];
    context.on('request', (r) => requests.push(r.url()));
    const errors = [];
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    try {
      await page.goto(host);
      const iframe = page.locator('iframe');
      const frame = page.frameLocator('iframe');
      const inner = await (await iframe.elementHandle()).contentFrame();
      await inner.waitForFunction(() => window.__atlas?.ready === true, null, { timeout: 30_000 });
      // The iframe takes its content's height (it started at the snippet's 480 px).
      await page.waitForFunction(() => document.querySelector('iframe').style.height !== '');
      const [set, content] = await Promise.all([
        page.evaluate(() => parseFloat(document.querySelector('iframe').style.height)),
        inner.evaluate(() => document.documentElement.getBoundingClientRect().height),
      ]);
      assert.ok(Math.abs(set - content) <= 2, `iframe ${set} px, content ${content} px`);
      assert.notEqual(set, 480);
      // Only the chart, with its title, the scenario's name, the source and the way back.
      assert.equal(await frame.locator('#panel-capacity').isVisible(), true);
      assert.equal(await frame.locator('#panel-energy').isVisible(), false);
      assert.equal(await frame.locator('#controls').isVisible(), false);
      assert.match(await frame.locator('.embed-name').textContent(), /^Scenario: The world's data centres, edited/);
      assert.match(await frame.locator('.embed-source').textContent(), /^Source: Compute Atlas/);
      const open = await frame.locator('.embed-open').getAttribute('href');
      assert.ok(open.startsWith(`${atlas.origin}/?v=1&`) && !open.includes('embed='), open);
      await screenshot(page, `embed-host-${scheme}`);
      // The same numbers as the full page for the same link.
      assert.deepEqual(await tableOf(inner, 'capacity'), rows);
      // The reader's colour scheme.
      const background = await inner.evaluate(() => getComputedStyle(document.body).backgroundColor);
      const [r, g, b] = background.match(/\d+/g).map(Number);
      assert.ok(scheme === 'dark' ? r + g + b < 200 : r + g + b > 600, `${scheme}: ${background}`);
      // Nothing from anywhere but the host page and the explorer's own origin.
      const foreign = requests.filter((u) => !u.startsWith(`${atlas.origin}/`) && u !== host);
      assert.deepEqual(foreign, []);
      assert.ok(requests.some((u) => u.startsWith(`${atlas.origin}/`) && u.endsWith('.wasm')));
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
      server.close();
    }
  });
}

test('an embedded card, and a link that names nothing to embed', async () => {
  const { context, page, errors } = await openPage(browser, `?${QUERY}&embed=h100e_end`);
  try {
    assert.equal(await page.locator('#card-h100e_end').isVisible(), true);
    assert.equal(await page.locator('#card-peak_eflops_end').isVisible(), false);
    assert.equal(await page.locator('#charts').isVisible(), false);
    assert.match(await page.locator('#card-h100e_end .embed-name').textContent(), /^Scenario: /);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
  const bad = await openPage(browser, `?${QUERY}&embed=capacty`);
  try {
    assert.match(await bad.page.locator('#url-notice').textContent(), /embed = capacty: not a value this page knows/);
    assert.equal(await bad.page.locator('#panel-energy').isVisible(), true, 'the whole explorer shows');
    assert.deepEqual(bad.errors, []);
  } finally {
    await bad.context.close();
  }
});

test('the share image is a 1200 × 630 PNG of the chart the page shows', async () => {
  const { context, page, errors } = await openPage(browser, `?${QUERY}`, { acceptDownloads: true });
  try {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#share-capacity')]);
    assert.match(download.suggestedFilename(), /^compute-atlas-.*-capacity-share\.png$/);
    const png = readPng(readFileSync(await download.path()));
    assert.equal(png.width, 1200);
    assert.equal(png.height, 630);
    // Its key figure is the page's: capacity at the end, as the card writes it.
    const shown = await page.evaluate(() => window.__atlas.shareImage);
    const card = await page.locator('#card-h100e_end .kpi-value').textContent();
    assert.ok(shown.figure.startsWith(`${card} `), `${shown.figure} vs the card's ${card}`);
    // Its chart is the page's: every provider's colour in the page's legend is in the picture's
    // chart area, where the stacked areas are.
    const colours = await page.$$eval('#panel-capacity .legend i:not(.dash)', (swatches) =>
      swatches.map((s) => getComputedStyle(s).backgroundColor.match(/\d+/g).map(Number)),
    );
    assert.ok(colours.length >= 5, `legend colours: ${colours.length}`);
    const seen = colours.map(() => false);
    for (let y = 170; y < 520; y += 2) {
      for (let x = 60; x < 1150; x += 2) {
        const [r, g, b] = png.pixel(x, y);
        colours.forEach(([cr, cg, cb], i) => {
          if (Math.abs(r - cr) + Math.abs(g - cg) + Math.abs(b - cb) <= 6) seen[i] = true;
        });
      }
    }
    const missing = colours.filter((_, i) => !seen[i]);
    assert.ok(missing.length <= 1, `colours of the page's legend missing from the image: ${JSON.stringify(missing)}`);
    // The top band and the footer are drawn: the picture is not blank.
    assert.deepEqual(png.pixel(600, 3).slice(0, 3), [31, 95, 191]);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
