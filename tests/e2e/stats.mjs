// Percentiles for the benchmark: plain functions, no browser.

/**
 * The `p`-th percentile (0–100) of `values` by the nearest-rank method: the smallest value such
 * that at least p % of the values are less than or equal to it. NaN for an empty list.
 */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(Math.max(rank, 1), sorted.length) - 1];
}

/** `{ p50, p95, … }` of `values` for each percentile in `ps`, rounded to microseconds. */
export function summarize(values, ps = [50, 95]) {
  const out = {};
  for (const p of ps) out[`p${p}`] = Math.round(percentile(values, p) * 1000) / 1000;
  return out;
}
