// Parity: the same query string gives the same numbers in the page and on the command line
// (`atlas run --query … -f json`), to the last digit.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { launch, openPage } from './lib.mjs';

const CLI = process.env.ATLAS_CLI;

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const QUERIES = [
  'v=1',
  'v=1&energy=1.5&carbon=85&basis=market',
  'v=1&policy=none&ban=blackwell:embargoed,blackwell_ultra:embargoed&share.azure=40&share.aws=35&share.oracle=5&share.alibaba=20',
  'v=1&preset=cheap-clean&end=2035&build=1.25',
  'v=1&preset=build-out-2033&redirect=downgrade&price.us_east=120',
  'v=1&base=world&energy=2&share.conventional=40&share.other_ai=60&grid=1.5',
];

for (const query of QUERIES) {
  test(`page and command line agree on ${query}`, async () => {
    assert.ok(CLI, 'ATLAS_CLI names the command line (set by cargo xtask test)');
    const cli = JSON.parse(execFileSync(CLI, ['run', '--query', query, '--format', 'json'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })).summary;
    const { context, page, errors } = await openPage(browser, `?${query}`);
    try {
      const shown = await page.evaluate(() => window.__atlas.summary);
      assert.deepEqual(shown, cli);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
}
