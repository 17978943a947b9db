// Languages: the page in each catalogue's language, chosen by the link, the browser or the page's
// language menu; the French page audited and searched for English left behind.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { audit, kpis, openPage, launch, screenshot } from './lib.mjs';

/** The languages the page offers, with a word each page shows on its Undo button. */
const UNDO = { en: 'Undo', fr: 'Annuler', es: 'Deshacer', de: 'Rückgängig', zh: '撤销', ja: '元に戻す' };

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Waits until the bands (the page's last change after opening) are on screen. */
function banded(page) {
  return page.waitForFunction(() => window.__atlas.doneGeneration === window.__atlas.bandsGeneration, null, {
    timeout: 30_000,
  });
}

/**
 * Every piece of text a reader sees (visible text nodes, placeholders, titles and accessible
 * labels), trimmed, except the sources table and the scenario descriptions' citations, which stay
 * in their original language.
 */
function visibleWords(page) {
  return page.evaluate(() => {
    const out = new Set();
    const skip = (el) => el.closest('#sources-table, script, style, code, datalist, [hidden]');
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || skip(el) || !el.getClientRects().length) continue;
      const text = n.textContent.trim();
      if (text) out.add(text);
    }
    for (const el of document.querySelectorAll('[title], [aria-label], [placeholder]')) {
      if (skip(el)) continue;
      for (const attr of ['title', 'aria-label', 'placeholder']) {
        const text = el.getAttribute(attr)?.trim();
        if (text) out.add(text);
      }
    }
    return [...out];
  });
}

/** Words that are the same in every language: names, units, symbols, formats. */
const SAME_EVERYWHERE =
  /^(Compute Atlas|CSV|JSON|PNG|SVG|Sources?|Total|Region|Canada|India|Japan|China|Taiwan|Australia|Singapore|Nordics|Ireland|Embargo|P5|P25|P75|P95|A|B|[A-Z][A-Za-z]+ [A-Z][A-Za-z]+|Microsoft Azure|Amazon Web Services|Oracle Cloud|Google Cloud|CoreWeave|Alibaba Cloud|Stargate.*|Ampere|Hopper|Blackwell( Ultra)?|Rubin|Instinct|TPU|Trainium|OpenAI \(Broadcom\)|Feynman.*|Oracle Cloud, 2023-2024 \(via Azure\)|H100e?|GW|TWh.*|EFLOP\/s|USD|HHI|%|[-+−–0-9.,:;%×✓≤ \u202f\u00a0()/$a-zA-Z]{0,6})$/;

test('?lang=fr in a fresh context opens in French, with French numbers', async () => {
  const { context, page, errors } = await openPage(browser, '?v=1&energy=2&zzz=1&lang=fr', { locale: 'en-US' });
  try {
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'fr');
    // The model's own sentences too: an edited scenario's name, a link's notice.
    const name = await page.locator('#scenario-name').textContent();
    assert.doesNotMatch(name, /edited|energy/, name);
    assert.match(name, /2×/, name);
    const notice = await page.locator('#url-notice-list').textContent();
    assert.match(notice, /zzz/);
    assert.doesNotMatch(notice, /unknown parameter/, notice);
    assert.equal(await page.locator('#undo').textContent(), 'Annuler');
    assert.equal(await page.locator('#lang-choose').inputValue(), 'fr');
    assert.equal(await page.locator('#title-capacity').textContent(), 'Capacité installée par fournisseur');
    // The slider's value in French: a decimal comma.
    assert.match(await page.locator('output[for="ctl-energy_cost_multiplier"]').textContent(), /^2,00×/);
    // A card's value: a decimal comma, and the same number as in English.
    const fr = await kpis(page);
    const en = await (async () => {
      const opened = await openPage(browser, '?v=1&energy=2&lang=en', { locale: 'fr-FR' });
      try {
        return await kpis(opened.page);
      } finally {
        await opened.context.close();
      }
    })();
    const number = (text, decimal) =>
      Number(text.replace(/[^0-9,.\-]/g, '').replace(decimal === ',' ? /\./g : /,/g, '').replace(',', '.'));
    for (const id of Object.keys(en)) {
      assert.equal(number(fr[id], ','), number(en[id], '.'), `${id}: ${fr[id]} vs ${en[id]}`);
    }
    assert.match(fr.h100e_end, /^\d+,\d M$/);
    // The link keeps the language as the scenario changes.
    await page.locator('#ctl-carbon_price_usd_per_t').fill('100');
    await page.waitForFunction(() => location.search.includes('carbon=100'));
    assert.match(await page.evaluate(() => location.search), /lang=fr/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the browser\'s language chooses the page\'s, and a sample of the French page shows no English', async () => {
  const english = await openPage(browser, '?v=1', { locale: 'en-US' });
  const french = await openPage(browser, '?v=1', { locale: 'fr-FR' });
  try {
    await Promise.all([banded(english.page), banded(french.page)]);
    assert.equal(await french.page.evaluate(() => document.documentElement.lang), 'fr');
    assert.equal(await french.page.evaluate(() => location.search.includes('lang=')), false, 'the browser chose it');
    const en = new Set(await visibleWords(english.page));
    const fr = await visibleWords(french.page);
    assert.ok(fr.length > 150, `the French page shows text (${fr.length})`);
    const left = fr.filter((text) => en.has(text) && /[a-z]{3}/.test(text) && !SAME_EVERYWHERE.test(text));
    assert.deepEqual(left, [], 'English UI text on the French page');
    assert.deepEqual(french.errors, []);
  } finally {
    await english.context.close();
    await french.context.close();
  }
});

test('the language menu switches to each language, keeping the scenario, and each catalogue is complete', async () => {
  const { context, page, errors } = await openPage(browser, '?v=1&energy=1.5', { locale: 'en-US' });
  try {
    const codes = await page.locator('#lang-choose option').evaluateAll((os) => os.map((o) => o.value));
    assert.deepEqual(codes.sort(), Object.keys(UNDO).sort());
    const energy = (await kpis(page)).energy_cost_usd_b_end_year;
    for (const code of ['fr', 'es', 'de', 'zh', 'ja', 'en']) {
      await Promise.all([page.waitForURL(new RegExp(`lang=${code}`)), page.locator('#lang-choose').selectOption(code)]);
      await page.waitForFunction(() => window.__atlas?.ready === true, null, { timeout: 30_000 });
      assert.equal(await page.evaluate(() => document.documentElement.lang), code);
      assert.equal(await page.locator('#undo').textContent(), UNDO[code], code);
      assert.match(await page.evaluate(() => location.search), /energy=1\.5/, `${code}: the scenario is kept`);
      // Every keyed word is there: no element that names a key is left empty.
      const empty = await page.$$eval('[data-i18n]', (els) =>
        els.filter((e) => !e.textContent.trim()).map((e) => e.dataset.i18n),
      );
      assert.deepEqual(empty, [], code);
      const value = (await kpis(page)).energy_cost_usd_b_end_year;
      const digits = (t) => t.replace(/[^0-9]/g, '');
      assert.equal(digits(value), digits(energy), `${code}: the same energy cost (${value} vs ${energy})`);
      await screenshot(page, `lang-${code}`, { fullPage: false });
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the French page passes the WCAG 2.2 A/AA audit, on a desktop and on a phone', async () => {
  for (const options of [{}, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }]) {
    const { context, page, errors } = await openPage(browser, '?lang=fr', options);
    try {
      await banded(page);
      const violations = await audit(page);
      assert.deepEqual(violations, [], `axe-core found:\n  ${violations.join('\n  ')}`);
      await screenshot(page, `lang-fr-${options.viewport ? 'phone' : 'desktop'}`, { fullPage: false });
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
});

test('a scenario from a file that its link cannot carry survives a change of language', async () => {
  const { context, page, errors } = await openPage(browser, '?v=1', { locale: 'en-US' });
  try {
    // The default scenario, saved as a file, with a provider of the file's own name.
    const [saved] = await Promise.all([page.waitForEvent('download'), page.locator('#download-json').click()]);
    const file = await readFile(await saved.path(), 'utf8');
    const scenario = JSON.parse(file);
    const azure = scenario.providers.find((p) => p.id === 'azure');
    azure.name = 'Azure (our own name)';
    scenario.energy_cost_multiplier = 1.25;
    await page.locator('#open-json').setInputFiles({
      name: 'own.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(scenario)),
    });
    await page.waitForFunction(() => document.querySelector('#ctl-energy_cost_multiplier').value === '1.25');
    const named = () =>
      page.evaluate(() => document.querySelector('#panel-capacity .legend').textContent.includes('our own name'));
    assert.ok(await named(), "the file's own name is shown");
    await Promise.all([page.waitForURL(/lang=de/), page.locator('#lang-choose').selectOption('de')]);
    await page.waitForFunction(() => window.__atlas?.ready === true, null, { timeout: 30_000 });
    assert.equal(await page.locator('#undo').textContent(), 'Rückgängig');
    assert.equal(await page.locator('#ctl-energy_cost_multiplier').inputValue(), '1.25');
    assert.ok(await named(), "the file's own name is kept in German too");
    // Kept for that one reopening: a reload reads the link alone.
    await page.reload();
    await page.waitForFunction(() => window.__atlas?.ready === true, null, { timeout: 30_000 });
    assert.equal(await named(), false);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
