// Files in and out: each chart as PNG and SVG, a scenario JSON opened back (and a broken one
// refused with its problems), and pinning the current scenario as the baseline.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { launch, openPage } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function download(page, selector) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.locator(selector).click()]);
  return { name: file.suggestedFilename(), bytes: await readFile(await file.path()) };
}

test('the scenario name follows a preset, a slider and the picker: header, title, compare, files', async () => {
  const { context, page, errors } = await openPage(browser, '?v=1&preset=cheap-clean');
  try {
    const header = () => page.locator('#scenario-name').textContent();
    await page.waitForFunction(() => document.querySelector('#scenario-name').textContent === 'Cheap clean power');
    assert.match(await page.title(), /^Cheap clean power · Compute Atlas$/);
    assert.equal((await download(page, '#download-csv')).name, 'compute-atlas-cheap-clean-power.csv');

    // A slider edits it: the name says so, and the saved file carries that name.
    await page.locator('#ctl-energy_cost_multiplier').fill('2');
    await page.waitForFunction(() => document.querySelector('#scenario-name').textContent.includes('edited'));
    assert.equal(await header(), 'Cheap clean power, edited: energy 2×');
    assert.match(await page.locator('.preset-about').textContent(), /Your own scenario, from “Cheap clean power”: energy 2×/);
    const json = await download(page, '#download-json');
    assert.equal(json.name, 'compute-atlas-cheap-clean-power-edited-energy-2x.json');
    const saved = JSON.parse(json.bytes.toString('utf8'));
    assert.equal(saved.name, 'Cheap clean power, edited: energy 2×');
    assert.match(saved.description, /Changed here: energy 2×\./);

    // The compare panel names both sides by what they are.
    await page.fill('#compare-a', 'article');
    await page.fill('#compare-b', 'ai-diffusion');
    await page.click('#compare-run');
    const names = page.locator('.compare-names');
    await names.waitFor();
    assert.match(await names.textContent(), /The article: OpenAI goes multi-cloud.*AI Diffusion Rule \(January 2025\)/s);

    // Another preset from the picker renames everything again.
    await page.selectOption('#ctl-scenario', 'world');
    await page.waitForFunction(() => document.querySelector('#scenario-name').textContent === "The world's data centres");
    assert.equal((await download(page, '#download-csv')).name, 'compute-atlas-the-world-s-data-centres.csv');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('every chart downloads as a PNG and an SVG', async () => {
  const { context, page, errors } = await openPage(browser);
  try {
    for (const id of ['shares', 'capacity', 'energy', 'carbon', 'cost']) {
      const png = await download(page, `button[data-save="png"][data-chart="${id}"]`);
      assert.match(png.name, new RegExp(`^compute-atlas-the-article-openai-goes-multi-cloud[a-z0-9-]*-${id}\\.png$`));
      assert.deepEqual([...png.bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
      const svg = await download(page, `button[data-save="svg"][data-chart="${id}"]`);
      const text = svg.bytes.toString('utf8');
      assert.match(text, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      assert.match(text, /<title>/);
      assert.match(text, /<\/svg>\s*$/);
      assert.ok((text.match(/<(path|polygon|polyline|line)/g) ?? []).length > 5, `${id}: the SVG has shapes`);
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a downloaded scenario opens again; a broken file is refused with its problems', async () => {
  const { context, page, errors } = await openPage(browser, '?v=1&energy=2.5&policy=none');
  let json;
  try {
    json = (await download(page, '#download-json')).bytes.toString('utf8');
  } finally {
    await context.close();
  }
  const fresh = await openPage(browser);
  try {
    const { page: p2 } = fresh;
    await p2.locator('#open-json').setInputFiles({ name: 'scenario.json', mimeType: 'application/json', buffer: Buffer.from(json) });
    await p2.waitForFunction(() => document.querySelector('#ctl-energy_cost_multiplier').value === '2.5');
    assert.equal(await p2.locator('#ctl-policy').inputValue(), 'none');
    await p2.waitForFunction(() => location.search.includes('energy=2.5'));

    const broken = '{"format_version": 1, "utilisation": 3, "enrgy": 1}';
    await p2.locator('#open-json').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(broken) });
    const notice = p2.locator('#url-notice');
    await notice.waitFor({ state: 'visible' });
    const text = await notice.textContent();
    assert.match(text, /could not be opened/);
    assert.match(text, /utilisation/);
    assert.match(text, /enrgy/);
    assert.equal(await p2.locator('#ctl-energy_cost_multiplier').inputValue(), '2.5', 'nothing was lost');
    assert.deepEqual(errors.concat(fresh.errors), []);
  } finally {
    await fresh.context.close();
  }
});

test('pinning the current scenario makes it the baseline', async () => {
  const { context, page, errors } = await openPage(browser);
  try {
    const delta = () => page.locator('[data-kpi="energy_cost_usd_b_end_year"] .kpi-delta').textContent();
    await page.locator('#ctl-energy_cost_multiplier').fill('2');
    await page.waitForFunction(() => !document.querySelector('[data-kpi="energy_cost_usd_b_end_year"] .kpi-delta').textContent.startsWith('Same'));
    await page.locator('#pin').click();
    await page.waitForFunction(() => document.querySelector('[data-kpi="energy_cost_usd_b_end_year"] .kpi-delta').textContent === 'Same as baseline');
    assert.equal(await page.locator('#pin').getAttribute('aria-pressed'), 'true');
    await page.locator('#ctl-energy_cost_multiplier').fill('3');
    await page.waitForFunction(() => /\+50\.0%/.test(document.querySelector('[data-kpi="energy_cost_usd_b_end_year"] .kpi-delta').textContent));
    assert.match(await delta(), /vs baseline/);
    await page.locator('#pin').click();
    await page.waitForFunction(() => /\+200\.0%/.test(document.querySelector('[data-kpi="energy_cost_usd_b_end_year"] .kpi-delta').textContent));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
