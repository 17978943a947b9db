// Shared helpers for the browser tests and the benchmark: launch headless Chromium, open the
// served page and wait until it is ready, take screenshots.
//
// Settings come from the environment, set by `cargo xtask test` / `cargo xtask bench-web`:
// ATLAS_URL (the served site, ending in `/`), CHROMIUM (the browser executable) and
// SCREENSHOT_DIR (where screenshots go).

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

/** The served site, ending in `/`. */
export const ATLAS_URL = process.env.ATLAS_URL || 'http://127.0.0.1:8000/';

/** How long the page may take to become ready, in milliseconds. */
export const READY_TIMEOUT_MS = 30_000;

/** The viewport of every page: a laptop screen, at twice the pixel density. */
export const VIEWPORT = { width: 1280, height: 900 };

/** Device pixel ratio of every page (HiDPI, so canvases must size for it). */
export const DEVICE_SCALE_FACTOR = 2;

/**
 * Flags that make Chromium work headless as root on this kind of machine and keep it off the
 * network (it would otherwise keep calling hosts the network refuses).
 */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches headless Chromium (`$CHROMIUM`, else Debian's `/usr/bin/chromium`). */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
}

/**
 * Opens `ATLAS_URL + path` in a new context of `browser` (1280×900 at 2×, unless `options`
 * says otherwise: any `browser.newContext` option) and waits until `window.__atlas.ready`.
 *
 * Returns `{ context, page, errors }`; `errors` collects, as strings, every console error and
 * uncaught page error from the first request on, so a test can assert it stays empty. If the
 * page does not become ready, the error thrown lists them and the error banner's text.
 */
export async function openPage(browser, path = '', options = {}) {
  const context = await browser.newContext({
    viewport: VIEWPORT,
    deviceScaleFactor: DEVICE_SCALE_FACTOR,
    ...options,
  });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`page error: ${err.message}`));
  // A Content-Security-Policy violation is an error too, whatever the browser logs for it.
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || '(inline)'}`),
    );
  });
  await page.goto(ATLAS_URL + path.replace(/^\//, ''));
  try {
    await page.waitForFunction(() => window.__atlas?.ready === true, null, {
      timeout: READY_TIMEOUT_MS,
    });
  } catch (err) {
    const banner = await page
      .locator('#error-banner')
      .textContent({ timeout: 1_000 })
      .catch(() => null);
    await context.close();
    throw new Error(
      `the page did not become ready (${err.message.split('\n')[0]})\n` +
        `error banner: ${banner?.trim() || '(none)'}\nerrors:\n  ${errors.join('\n  ') || '(none)'}`,
    );
  }
  return { context, page, errors };
}

/**
 * Saves a PNG screenshot of what `page` shows (the viewport; pass `{ fullPage: true }` or any other
 * `page.screenshot` option in `options`) as `SCREENSHOT_DIR/name`; returns its path.
 */
export async function screenshot(page, name, options = {}) {
  const dir = process.env.SCREENSHOT_DIR || 'screenshots';
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name.endsWith('.png') ? name : `${name}.png`);
  await page.screenshot({ ...options, path });
  return path;
}

/** Every KPI card's value text, by id (`data-kpi`). */
export function kpis(page) {
  return page.$$eval('[data-kpi]', (cards) =>
    Object.fromEntries(cards.map((c) => [c.dataset.kpi, c.querySelector('.kpi-value').textContent])),
  );
}

/**
 * Resolves once the page has taken in every input so far: an animation frame passes with no new
 * update (the page coalesces input into one update per frame, so a quiet frame means the last
 * input is on screen). Waits for the page's own events, never for a fixed time.
 */
export async function settled(page) {
  await page.evaluate(
    () =>
      new Promise((resolve) => {
        let last = window.__atlas.updates;
        const check = () =>
          requestAnimationFrame(() => {
            const now = window.__atlas.updates;
            if (now === last) resolve();
            else {
              last = now;
              check();
            }
          });
        check();
      }),
  );
}

/** The WCAG 2.x A/AA rule tags axe-core audits against, and its best practices. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

/**
 * Runs axe-core (from node_modules, put into the page through the devtools protocol, which the
 * page's Content-Security-Policy does not govern) on what `page` shows, and returns its
 * violations as readable lines: rule, impact, how many elements, the first few selectors.
 */
export async function audit(page, tags = AXE_TAGS) {
  const { readFileSync } = await import('node:fs');
  const { createRequire } = await import('node:module');
  const source = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(source);
  const result = await page.evaluate(
    (runOnly) => window.axe.run(document, { runOnly: { type: 'tag', values: runOnly }, resultTypes: ['violations'] }),
    tags,
  );
  return result.violations.map(
    (v) =>
      `${v.id} (${v.impact}, ${v.nodes.length}×): ${v.help} — ` +
      v.nodes
        .slice(0, 4)
        .map((n) => n.target.join(' '))
        .join(' | '),
  );
}
