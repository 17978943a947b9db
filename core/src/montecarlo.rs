//! Monte Carlo bands: the scenario simulated many times with its uncertain inputs drawn from a
//! seeded generator, summarised as percentiles per quarter for every series and for every headline
//! figure.
//!
//! Deterministic for a seed: each draw has its own Xoshiro256++ generator, seeded from the seed and
//! the draw's index, and draws its inputs in a fixed order; the maths avoids the platform's `exp`
//! and `ln` (libm). The same link gives the same bands natively and in the browser, to the bit.
//! Work can be done in pieces ([`MonteCarlo::run_draws`]) so a page never blocks a frame, and
//! shared with other threads ([`MonteCarlo::claim`], [`Sampler`], [`MonteCarlo::absorb`]); the
//! result depends neither on how it was cut nor on who took which draw.
//!
//! Each draw replays the scenario's own placements where they fit (see `alloc::Replay`): in budget
//! mode without caps or power limits, a draw moves prices, power and grids but no money, so the
//! allocator is skipped and the results are bit-identical to a full run.
//!
//! Percentiles are interpolated between order statistics (the "linear" or type-7 rule): with
//! uncertainty switched off every draw is the scenario itself, and every percentile equals the
//! deterministic result exactly.

use std::fmt::Write as _;
use std::ops::Range;

use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;
use serde::Serialize;

use crate::alloc::Replay;
use crate::kpi::KpiId;
use crate::quarter::Quarter;
use crate::results::Metric;
use crate::scenario::Scenario;
use crate::sim::{TotalsOnly, run_totals_recording, run_totals_replaying};
use crate::uncertainty::{Input, draw_all, inputs};

/// Draws this thread takes before storing them in their columns.
const ROWS_PER_WRITE: usize = 8;

/// The five percentiles every band reports, as fractions.
pub const LEVELS: [f64; 5] = [0.05, 0.25, 0.50, 0.75, 0.95];

/// P5, P25, P50, P75 and P95 of one quantity.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Percentiles {
    /// 5th percentile.
    pub p5: f64,
    /// 25th percentile.
    pub p25: f64,
    /// Median.
    pub p50: f64,
    /// 75th percentile.
    pub p75: f64,
    /// 95th percentile.
    pub p95: f64,
}

impl Percentiles {
    /// All five equal to `v`.
    pub fn flat(v: f64) -> Self {
        Percentiles { p5: v, p25: v, p50: v, p75: v, p95: v }
    }

    /// The five values in [`LEVELS`] order.
    pub fn to_array(self) -> [f64; 5] {
        [self.p5, self.p25, self.p50, self.p75, self.p95]
    }
}

/// Id of the one series banded besides the metrics: capital charge + energy cost + carbon cost per
/// quarter, billions of USD (a percentile of a sum is not the sum of the percentiles).
pub const TOTAL_COST: &str = "total_cost_usd_b";

/// The bands of one series: the deterministic path and the percentiles per quarter.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SeriesBands {
    /// Which series: a [`Metric`] id, or [`TOTAL_COST`].
    pub id: &'static str,
    /// The scenario itself, per quarter.
    pub central: Vec<f64>,
    /// Percentiles per quarter.
    pub quarters: Vec<Percentiles>,
}

/// The band of one headline figure.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KpiBand {
    /// Which figure.
    pub id: KpiId,
    /// Label for people.
    pub label: &'static str,
    /// Unit.
    pub unit: &'static str,
    /// The scenario itself.
    pub central: f64,
    /// Percentiles over the draws.
    pub band: Percentiles,
}

/// Percentiles of every series and headline figure over the draws.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Bands {
    /// Draws taken.
    pub draws: usize,
    /// Seed of the generator.
    pub seed: u64,
    /// Width of the ranges (1 = the sources').
    pub width: f64,
    /// Inputs drawn.
    pub inputs_drawn: usize,
    /// The quarters of the span.
    pub quarters: Vec<Quarter>,
    /// Every series, in [`Metric::ALL`] order, then [`TOTAL_COST`].
    pub series: Vec<SeriesBands>,
    /// Every headline figure, in [`crate::results::Summary::kpis`] order.
    pub kpis: Vec<KpiBand>,
}

impl Bands {
    /// The bands of one series.
    pub fn series(&self, metric: Metric) -> &SeriesBands {
        &self.series[metric as usize]
    }

    /// The bands of the total cost per quarter ([`TOTAL_COST`]).
    pub fn total_cost(&self) -> &SeriesBands {
        &self.series[Metric::ALL.len()]
    }

    /// The band of one headline figure.
    pub fn kpi(&self, id: KpiId) -> Option<&KpiBand> {
        self.kpis.iter().find(|k| k.id == id)
    }
}

/// Simulates draws one at a time, each from its own generator: what [`MonteCarlo`] runs, and what
/// a second thread runs for [`MonteCarlo::absorb`].
pub struct Sampler {
    own: Scenario,
    work: Scenario,
    drawn: Vec<Input>,
    seed: u64,
    width: f64,
    /// The scenario's own placements, replayed by every draw they fit.
    replay: Option<Replay>,
    /// The scenario's own values, in column order.
    central_row: Vec<f64>,
}

/// Appends the values of one run in column order: every series per quarter, the total cost per
/// quarter, then every headline figure.
fn push_row(t: &TotalsOnly, out: &mut Vec<f64>) {
    for series in &t.series {
        out.extend_from_slice(series);
    }
    out.extend(total_cost(t));
    out.extend(t.summary.kpis().iter().map(|k| k.value));
}

/// The generator of draw `i` for a seed: any draw can be taken on its own, in any order and on
/// any thread, and gives the same values. The draw's index is mixed into the seed by SplitMix64's
/// finaliser (a bijection), so different draws of one seed get different generators.
fn draw_rng(seed: u64, i: usize) -> Xoshiro256PlusPlus {
    fn mix(mut z: u64) -> u64 {
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    Xoshiro256PlusPlus::seed_from_u64(seed.wrapping_add(mix(i as u64)))
}

impl Sampler {
    /// A sampler of a scenario that passed validation, with its uncertainty settings.
    pub fn new(s: &Scenario) -> Sampler {
        Sampler::with_central(s).0
    }

    fn with_central(s: &Scenario) -> (Sampler, TotalsOnly) {
        let (central, replay) = run_totals_recording(s);
        let mut central_row = Vec::new();
        push_row(&central, &mut central_row);
        let sampler = Sampler {
            own: s.clone(),
            work: s.clone(),
            drawn: inputs(s).into_iter().filter(Input::is_drawn).collect(),
            seed: s.uncertainty.seed,
            width: s.uncertainty.width,
            replay,
            central_row,
        };
        (sampler, central)
    }

    /// Values per draw.
    pub fn row_len(&self) -> usize {
        self.central_row.len()
    }

    /// Appends the values of draw `i` to `out`, in column order.
    pub fn draw_into(&mut self, i: usize, out: &mut Vec<f64>) {
        let mut rng = draw_rng(self.seed, i);
        draw_all(&self.drawn, &mut rng, self.width, &mut self.work, &self.own);
        push_row(&run_totals_replaying(&self.work, self.replay.as_ref()), out);
    }

    /// The values of draws `range`, draw after draw ([`Sampler::row_len`] each).
    pub fn rows(&mut self, range: Range<usize>) -> Vec<f64> {
        let mut out = Vec::with_capacity(range.len() * self.row_len());
        for i in range {
            self.draw_into(i, &mut out);
        }
        out
    }
}

/// A Monte Carlo run in progress.
///
/// This thread takes draws from the front ([`MonteCarlo::run_draws`]); helpers (a page's workers)
/// may claim chunks from the back ([`MonteCarlo::claim`]), take them with a [`Sampler`] of the same
/// scenario and hand their values back ([`MonteCarlo::absorb`]). The bands are the same however
/// the work was shared.
pub struct MonteCarlo {
    sampler: Sampler,
    width: f64,
    target: usize,
    central: TotalsOnly,
    /// Every value of every draw, one column per quantity (every series × quarter, then every
    /// headline figure), `target` draws per column: `samples[column * target + draw]`.
    samples: Vec<f64>,
    /// A few draws' values, draw after draw, each in column order.
    row_values: Vec<f64>,
    row: usize,
    /// Draws taken from the front: `0..done`.
    done: usize,
    /// Draws from here on are claimed by helpers.
    limit: usize,
    /// Which claimed draws have been absorbed, from `limit` on, and how many.
    absorbed: Vec<bool>,
    absorbed_count: usize,
    /// Percentiles of the first columns, over `summarised_at` draws.
    summarised: Vec<Percentiles>,
    summarised_at: usize,
    scratch: Vec<f64>,
}

impl MonteCarlo {
    /// Prepares the draws of a scenario that passed validation, with its own settings
    /// ([`Scenario::uncertainty`]).
    pub fn new(s: &Scenario) -> MonteCarlo {
        let (sampler, central) = Sampler::with_central(s);
        let row = sampler.row_len();
        let target = s.uncertainty.draws as usize;
        MonteCarlo {
            sampler,
            width: s.uncertainty.width,
            target,
            central,
            samples: vec![0.0; row * target],
            row_values: Vec::with_capacity(row * ROWS_PER_WRITE),
            row,
            done: 0,
            limit: target,
            absorbed: Vec::new(),
            absorbed_count: 0,
            summarised: Vec::with_capacity(row),
            summarised_at: 0,
            scratch: Vec::with_capacity(target),
        }
    }

    /// Takes up to `n` more draws from the front (up to the first claimed one); returns how many
    /// have been taken from the front in all.
    pub fn run_draws(&mut self, n: usize) -> usize {
        let end = self.limit.min(self.done.saturating_add(n));
        while self.done < end {
            // A few draws at a time, written column by column.
            let block = (end - self.done).min(ROWS_PER_WRITE);
            self.row_values.clear();
            for i in self.done..self.done + block {
                self.sampler.draw_into(i, &mut self.row_values);
            }
            let rows = std::mem::take(&mut self.row_values);
            self.write_rows(self.done, &rows);
            self.row_values = rows;
            self.done += block;
        }
        self.done
    }

    /// Stores the values of draws `from..` (draw after draw) in their columns. Column by column:
    /// each column's values are adjacent in `samples`, so this touches far fewer cache lines than
    /// storing draw by draw.
    fn write_rows(&mut self, from: usize, rows: &[f64]) {
        let (row, target) = (self.row, self.target);
        let n = rows.len() / row.max(1);
        for column in 0..row {
            let out = &mut self.samples[column * target + from..column * target + from + n];
            for (j, slot) in out.iter_mut().enumerate() {
                *slot = rows[j * row + column];
            }
        }
    }

    /// Claims the last `n` draws not yet taken or claimed, for a helper; `None` once fewer than `n`
    /// are left (this thread takes the rest).
    pub fn claim(&mut self, n: usize) -> Option<Range<usize>> {
        if n == 0 || self.limit - self.done < n {
            return None;
        }
        let range = self.limit - n..self.limit;
        self.limit = range.start;
        self.absorbed.splice(0..0, std::iter::repeat_n(false, n));
        Some(range)
    }

    /// Takes a helper's values of draws `from..` (draw after draw, as [`Sampler::rows`] gives
    /// them). The draws must have been claimed and not absorbed before.
    pub fn absorb(&mut self, from: usize, rows: &[f64]) -> Result<(), String> {
        let row = self.row.max(1);
        let n = rows.len() / row;
        if !rows.len().is_multiple_of(row) || from < self.limit || from + n > self.target {
            return Err(format!(
                "draws {from}.. ({} values) do not fit: {} values per draw, draws {}..{} claimed",
                rows.len(),
                self.row,
                self.limit,
                self.target
            ));
        }
        let flags = &mut self.absorbed[from - self.limit..from - self.limit + n];
        if flags.iter().any(|&f| f) {
            return Err(format!("draws {from}..{} were absorbed before", from + n));
        }
        flags.iter_mut().for_each(|f| *f = true);
        self.absorbed_count += n;
        self.write_rows(from, rows);
        Ok(())
    }

    /// Draws neither taken from the front nor claimed.
    pub fn unclaimed(&self) -> usize {
        self.limit - self.done
    }

    /// Gives up on the helpers: this thread takes every draw not absorbed yet.
    pub fn release_claims(&mut self) {
        self.limit = self.target;
        self.absorbed.clear();
        self.absorbed_count = 0;
    }

    /// Draws taken from the front so far.
    pub fn draws_done(&self) -> usize {
        self.done
    }

    /// Draws taken so far, from the front and by helpers.
    pub fn draws_taken(&self) -> usize {
        self.done + self.absorbed_count
    }

    /// Draws asked for.
    pub fn draws_target(&self) -> usize {
        self.target
    }

    /// Whether this thread has taken every draw not claimed by a helper.
    pub fn front_done(&self) -> bool {
        self.done >= self.limit
    }

    /// Whether every draw has been taken.
    pub fn is_done(&self) -> bool {
        self.done >= self.limit && self.absorbed_count == self.target - self.limit
    }

    /// Number of inputs drawn.
    pub fn inputs_drawn(&self) -> usize {
        self.sampler.drawn.len()
    }

    /// Works out the percentiles of up to `columns` more quantities over the draws taken so far;
    /// returns whether all are done. Lets a page spread the work over several slices; [`bands`]
    /// does the rest.
    ///
    /// [`bands`]: MonteCarlo::bands
    pub fn summarise(&mut self, columns: usize) -> bool {
        // The bands of every draw once all are in, else of the draws taken from the front.
        let n = if self.is_done() { self.target } else { self.done };
        if self.summarised_at != n {
            self.summarised.clear();
            self.summarised_at = n;
        }
        let end = self.row.min(self.summarised.len().saturating_add(columns));
        while self.summarised.len() < end {
            let column = self.summarised.len();
            let p = if n == 0 {
                Percentiles::flat(self.sampler.central_row[column])
            } else {
                let start = column * self.target;
                self.scratch.clear();
                self.scratch.extend_from_slice(&self.samples[start..start + n]);
                percentiles(&mut self.scratch)
            };
            self.summarised.push(p);
        }
        self.summarised.len() == self.row
    }

    /// The bands over the draws taken so far (flat at the scenario's own values before any draw).
    pub fn bands(&mut self) -> Bands {
        self.summarise(usize::MAX);
        let n = self.summarised_at;
        let nq = self.central.series.first().map_or(0, Vec::len);
        let ids = Metric::ALL.iter().map(|m| m.id()).chain([TOTAL_COST]);
        let centrals = self.central.series.iter().cloned().chain([total_cost(&self.central).collect()]);
        let series = ids
            .zip(centrals)
            .enumerate()
            .map(|(m, (id, central))| {
                let quarters = (0..nq).map(|q| self.summarised[m * nq + q]).collect();
                SeriesBands { id, central, quarters }
            })
            .collect();
        let kpis = self
            .central
            .summary
            .kpis()
            .into_iter()
            .enumerate()
            .map(|(k, kpi)| KpiBand {
                id: kpi.id,
                label: kpi.label,
                unit: kpi.unit,
                central: kpi.value,
                band: self.summarised[(Metric::ALL.len() + 1) * nq + k],
            })
            .collect();
        Bands {
            draws: n,
            seed: self.sampler.seed,
            width: self.width,
            inputs_drawn: self.sampler.drawn.len(),
            quarters: self.central.quarters.clone(),
            series,
            kpis,
        }
    }
}

/// Depreciation + energy cost + carbon cost per quarter.
fn total_cost(t: &TotalsOnly) -> impl Iterator<Item = f64> + '_ {
    let series = |m: Metric| &t.series[m as usize];
    let (d, e, c) =
        (series(Metric::CapitalChargeUsdB), series(Metric::EnergyCostUsdB), series(Metric::CarbonCostUsdB));
    (0..d.len()).map(move |q| d[q] + e[q] + c[q])
}

/// The bands of a scenario that passed validation, with all its draws.
pub fn bands(s: &Scenario) -> Bands {
    let mut mc = MonteCarlo::new(s);
    mc.run_draws(usize::MAX);
    mc.bands()
}

/// The bands as CSV: one row per series and quarter (`kind` = `series`), then one per headline
/// figure (`kind` = `kpi`, no quarter).
pub fn bands_csv(b: &Bands) -> String {
    let mut out = String::from("kind,id,quarter,central,p5,p25,p50,p75,p95\n");
    for s in &b.series {
        for ((q, central), p) in b.quarters.iter().zip(&s.central).zip(&s.quarters) {
            let [p5, p25, p50, p75, p95] = p.to_array();
            let _ = writeln!(out, "series,{},{q},{central},{p5},{p25},{p50},{p75},{p95}", s.id);
        }
    }
    for k in &b.kpis {
        let [p5, p25, p50, p75, p95] = k.band.to_array();
        let _ = writeln!(out, "kpi,{},,{},{p5},{p25},{p50},{p75},{p95}", k.id, k.central);
    }
    out
}

/// The headline figures' bands as a text table.
pub fn bands_text(name: &str, b: &Bands) -> String {
    let mut out = format!(
        "{name}: {} draws of {} uncertain inputs (width {}, seed {})\n\n{:<44} {:>12} {:>12} {:>12} {:>12}  unit\n",
        b.draws, b.inputs_drawn, b.width, b.seed, "headline figure", "scenario", "P5", "P50", "P95"
    );
    for k in &b.kpis {
        let f = crate::export::format_value;
        let _ = writeln!(
            out,
            "{:<44} {:>12} {:>12} {:>12} {:>12}  {}",
            k.label,
            f(k.central),
            f(k.band.p5),
            f(k.band.p50),
            f(k.band.p95),
            k.unit
        );
    }
    out
}

/// The [`LEVELS`] percentiles of `values` (reordered in place), interpolated linearly between order
/// statistics. `values` must not be empty.
pub fn percentiles(values: &mut [f64]) -> Percentiles {
    let n = values.len();
    // The order statistics needed, ascending: for each level, floor(h) and floor(h) + 1.
    let positions = LEVELS.map(|p| (n - 1) as f64 * p);
    let mut wanted: Vec<usize> =
        positions.iter().flat_map(|&h| [h.floor() as usize, (h.floor() as usize + 1).min(n - 1)]).collect();
    wanted.sort_unstable();
    wanted.dedup();
    // A quantity no draw changes (common: not every series depends on every input) is already in
    // order.
    let first = values[0].to_bits();
    if values.iter().any(|v| v.to_bits() != first) {
        select_all(values, 0, &wanted);
    }
    let at = |h: f64| {
        let lo = h.floor() as usize;
        let hi = (lo + 1).min(n - 1);
        let frac = h - lo as f64;
        if frac == 0.0 { values[lo] } else { values[lo] + frac * (values[hi] - values[lo]) }
    };
    let [p5, p25, p50, p75, p95] = positions.map(at);
    Percentiles { p5, p25, p50, p75, p95 }
}

/// Puts the order statistics `wanted` (ascending positions in `values`, which starts at position
/// `offset` of the whole) in place: the middle one first, then those left and right of it within
/// their parts, so each value is looked at about log2(wanted) times rather than once per statistic.
fn select_all(values: &mut [f64], offset: usize, wanted: &[usize]) {
    if wanted.is_empty() || values.is_empty() {
        return;
    }
    let mid = wanted.len() / 2;
    let k = wanted[mid] - offset;
    values.select_nth_unstable_by(k, f64::total_cmp);
    let (left, rest) = values.split_at_mut(k);
    select_all(left, offset, &wanted[..mid]);
    select_all(&mut rest[1..], offset + k + 1, &wanted[mid + 1..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_equal_those_of_a_sorted_copy() {
        // Pseudo-random values with ties, of many lengths.
        for n in 1..300usize {
            let mut v: Vec<f64> = (0..n).map(|i| ((i * 7919 + 13) % 97) as f64 / 7.0).collect();
            let mut sorted = v.clone();
            sorted.sort_by(f64::total_cmp);
            let p = percentiles(&mut v);
            let at = |q: f64| {
                let h = (n - 1) as f64 * q;
                let lo = h.floor() as usize;
                let frac = h - lo as f64;
                if frac == 0.0 {
                    sorted[lo]
                } else {
                    sorted[lo] + frac * (sorted[(lo + 1).min(n - 1)] - sorted[lo])
                }
            };
            assert_eq!(p.to_array(), LEVELS.map(at), "n = {n}");
        }
    }

    #[test]
    fn percentiles_interpolate_like_the_linear_rule() {
        // 0..=100: the p-th percentile is p.
        let mut v: Vec<f64> = (0..=100).rev().map(f64::from).collect();
        let p = percentiles(&mut v);
        assert_eq!(p.to_array(), [5.0, 25.0, 50.0, 75.0, 95.0]);
        // Four values 1, 2, 3, 4: h = 3p; P5 = 1 + 0.15 × 1, P50 = 2.5, P95 = 3 + 0.85.
        let mut v = vec![4.0, 1.0, 3.0, 2.0];
        let p = percentiles(&mut v);
        assert!((p.p5 - 1.15).abs() < 1e-12 && (p.p50 - 2.5).abs() < 1e-12 && (p.p95 - 3.85).abs() < 1e-12);
        let mut one = vec![7.0];
        assert_eq!(percentiles(&mut one), Percentiles::flat(7.0));
    }
}
