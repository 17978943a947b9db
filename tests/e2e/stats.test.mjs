// Unit tests of the benchmark's percentiles (no browser).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { percentile, summarize } from './stats.mjs';

test('nearest-rank percentiles', () => {
  const values = [15, 20, 35, 40, 50];
  assert.equal(percentile(values, 5), 15);
  assert.equal(percentile(values, 30), 20);
  assert.equal(percentile(values, 40), 20);
  assert.equal(percentile(values, 50), 35);
  assert.equal(percentile(values, 100), 50);
  assert.equal(percentile(values, 0), 15);
  assert.ok(Number.isNaN(percentile([], 50)));
});

test('percentiles do not depend on order and leave the input alone', () => {
  const values = Array.from({ length: 200 }, (_, i) => (i * 37) % 200);
  const copy = [...values];
  assert.equal(percentile(values, 50), 99);
  assert.equal(percentile(values, 95), 189);
  assert.equal(percentile(values, 99), 197);
  assert.deepEqual(values, copy);
});

test('summaries name each percentile', () => {
  assert.deepEqual(summarize([1.23456, 2, 3]), { p50: 2, p95: 3 });
  assert.deepEqual(summarize([0.0004, 0.0006], [50, 99]), { p50: 0, p99: 0.001 });
});
