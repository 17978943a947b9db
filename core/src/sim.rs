//! The quarterly simulation: retire, buy, then measure compute, power, energy, carbon, cost and
//! water of the installed fleet, by provider, region and accelerator.
//!
//! Conventions: accelerators bought in a quarter run for that whole quarter and retire at the start
//! of the quarter `lifetime` later; power is an average draw over the quarter; a quarter lasts
//! [`HOURS_PER_QUARTER`] hours. The run is deterministic: the same scenario gives bit-identical
//! results (fixed iteration orders, no hashing, no clock, no randomness).

use std::collections::BTreeMap;

use crate::alloc::{Allocator, Buy, Place, Replay, Sites, Unplaced};
use crate::model::{Mode, Model};
use crate::quarter::HOURS_PER_QUARTER;
use crate::results::{
    CellSeries, DealOutcome, Metric, RedirectFlow, RedirectReason, Results, Series, Summary,
};
use crate::scenario::{CarbonBasis, Scenario};
use crate::validate::{Problem, Valid};

const N_ADD: usize = Metric::ADDITIVE.len();

/// `now − gone`, with residue below [`crate::limits::RESIDUE`] counted as none: fewer
/// accelerators than that left in a cell after a retirement are rounding residue of the
/// subtraction (a cohort spread over quarters retires in parts), not hardware. Without it a
/// retired fleet leaves ~10⁻¹¹ H100e behind, and ratios such as the cost per H100e-hour divide
/// by it.
fn retire(now: f64, gone: f64) -> f64 {
    let left = now - gone;
    if left < crate::limits::RESIDUE { 0.0 } else { left }
}

/// Validates a scenario and simulates it.
pub fn simulate(s: &Scenario) -> Result<Results, Vec<Problem>> {
    Valid::check(s).map(run)
}

/// Where the quarterly loop puts what it measures: every breakdown ([`Sums`], for [`run`]) or
/// totals only ([`Totals`], for the many runs of Monte Carlo and sensitivity analysis).
trait Sink {
    /// Adds one metric's value for a cell to this quarter's sums.
    fn add(&mut self, metric: Metric, at: (usize, usize, usize), v: f64);
    /// Adds the level metrics of a cell to this quarter's sums.
    fn add_levels(&mut self, at: (usize, usize, usize), levels: &[f64; Metric::LEVELS]);
    /// Closes quarter `q`.
    fn finish_quarter(&mut self, q: usize);
}

/// Additive metric sums: totals and the three breakdowns.
///
/// Values are summed per quarter into a small entity-major buffer (every provider, region and
/// accelerator, each holding all additive metrics), then scattered into the finished series once
/// per quarter, with the total as the sum over providers: far fewer scattered writes than adding
/// into the series directly.
struct Sums {
    nq: usize,
    np: usize,
    nr: usize,
    quarter: Vec<[f64; N_ADD]>,
    series: Vec<Series>,
}

impl Sums {
    fn new(nq: usize, (np, nr, na): (usize, usize, usize)) -> Self {
        let series = Metric::ADDITIVE
            .iter()
            .map(|&metric| Series {
                metric,
                total: vec![0.0; nq],
                by_provider: vec![0.0; np * nq],
                by_region: vec![0.0; nr * nq],
                by_accelerator: vec![0.0; na * nq],
            })
            .collect();
        Sums { nq, np, nr, quarter: vec![[0.0; N_ADD]; np + nr + na], series }
    }

    /// The buffer slots of a cell: provider, region, accelerator.
    fn slots(&self, (p, r, a): (usize, usize, usize)) -> [usize; 3] {
        [p, self.np + r, self.np + self.nr + a]
    }

    fn total(&self, metric: Metric) -> &[f64] {
        &self.series[metric as usize].total
    }
}

impl Sink for Sums {
    fn add(&mut self, metric: Metric, at: (usize, usize, usize), v: f64) {
        for slot in self.slots(at) {
            self.quarter[slot][metric as usize] += v;
        }
    }

    fn add_levels(&mut self, at: (usize, usize, usize), levels: &[f64; Metric::LEVELS]) {
        for slot in self.slots(at) {
            let sums: &mut [f64; Metric::LEVELS] =
                (&mut self.quarter[slot][..Metric::LEVELS]).try_into().expect("LEVELS < N_ADD");
            for (sum, v) in sums.iter_mut().zip(levels) {
                *sum += v;
            }
        }
    }

    /// Moves this quarter's sums into the series and clears the buffer.
    fn finish_quarter(&mut self, q: usize) {
        let (nq, np, nr) = (self.nq, self.np, self.nr);
        let (providers, rest) = self.quarter.split_at_mut(np);
        let (regions, accelerators) = rest.split_at_mut(nr);
        for (m, series) in self.series.iter_mut().enumerate() {
            let mut total = 0.0;
            for (p, slot) in providers.iter_mut().enumerate() {
                let v = std::mem::take(&mut slot[m]);
                series.by_provider[p * nq + q] = v;
                total += v;
            }
            series.total[q] = total;
            for (r, slot) in regions.iter_mut().enumerate() {
                series.by_region[r * nq + q] = std::mem::take(&mut slot[m]);
            }
            for (a, slot) in accelerators.iter_mut().enumerate() {
                series.by_accelerator[a * nq + q] = std::mem::take(&mut slot[m]);
            }
        }
    }
}

/// Totals only, plus the two breakdowns the derived series need: H100e by provider and by
/// export-control group. Sums are taken in the same order as [`Sums`] (cells into providers and
/// regions, providers into the total, regions into groups), so the totals are bit-identical to
/// [`run`]'s.
struct Totals {
    nq: usize,
    /// Export group of each region.
    group_of: Vec<usize>,
    /// This quarter's sums per provider (every additive metric) and per region (H100e).
    quarter_by_provider: Vec<[f64; N_ADD]>,
    quarter_by_region: Vec<f64>,
    /// Per additive metric, per quarter.
    total: Vec<Vec<f64>>,
    /// H100e per provider, `p * nq + q`.
    h100e_by_provider: Vec<f64>,
    /// H100e per export group, per quarter.
    h100e_by_group: [Vec<f64>; 4],
}

impl Totals {
    fn new(m: &Model, nq: usize) -> Self {
        let (np, nr, _) = m.dims();
        Totals {
            nq,
            group_of: m.reg.iter().map(|r| r.group.index()).collect(),
            quarter_by_provider: vec![[0.0; N_ADD]; np],
            quarter_by_region: vec![0.0; nr],
            total: vec![vec![0.0; nq]; N_ADD],
            h100e_by_provider: vec![0.0; np * nq],
            h100e_by_group: std::array::from_fn(|_| vec![0.0; nq]),
        }
    }
}

impl Sink for Totals {
    fn add(&mut self, metric: Metric, (p, _, _): (usize, usize, usize), v: f64) {
        self.quarter_by_provider[p][metric as usize] += v;
    }

    fn add_levels(&mut self, (p, r, _): (usize, usize, usize), levels: &[f64; Metric::LEVELS]) {
        for (sum, v) in self.quarter_by_provider[p].iter_mut().zip(levels) {
            *sum += v;
        }
        self.quarter_by_region[r] += levels[Metric::H100e as usize];
    }

    fn finish_quarter(&mut self, q: usize) {
        for (m, series) in self.total.iter_mut().enumerate() {
            let mut total = 0.0;
            for slot in &self.quarter_by_provider {
                total += slot[m];
            }
            series[q] = total;
        }
        for (p, slot) in self.quarter_by_provider.iter_mut().enumerate() {
            self.h100e_by_provider[p * self.nq + q] = slot[Metric::H100e as usize];
            *slot = [0.0; N_ADD];
        }
        for (r, v) in self.quarter_by_region.iter_mut().enumerate() {
            self.h100e_by_group[self.group_of[r]][q] += std::mem::take(v);
        }
    }
}

/// A cell that ever held accelerators, with its level metrics per accelerator installed.
struct ActiveCell {
    at: (usize, usize, usize),
    /// Each level metric for one accelerator this quarter (carbon terms follow the year's grid).
    per_unit: [f64; Metric::LEVELS],
}

/// The cells that ever held accelerators, in the order they first did ("rows"): what each holds
/// now, and what it bought and held per quarter, in flat arrays (`row * quarters + quarter`).
struct Fleet {
    nq: usize,
    /// Row of each cell (`usize::MAX`: none yet).
    row_of: Vec<usize>,
    active: Vec<ActiveCell>,
    now: Vec<f64>,
    added: Vec<f64>,
    installed: Vec<f64>,
}

impl Fleet {
    fn new(m: &Model) -> Self {
        let (np, nr, na) = m.dims();
        let nq = m.quarters.len();
        // Room for every row the scenario can fill, so none is moved as they come: a buying line
        // buys what it offers in its regions (or anywhere, siting for cheap, clean power), and a
        // starting fleet or a plan names its cells.
        let bought: usize = m.lines.iter().map(|l| l.regions.len() * l.offers.len()).sum();
        let named = m.cohorts.len() + m.planned.as_ref().map_or(0, |years| years.iter().map(Vec::len).sum());
        let rows = (bought + named).min(np * nr * na);
        Fleet {
            nq,
            row_of: vec![usize::MAX; np * nr * na],
            active: Vec::with_capacity(rows),
            now: Vec::with_capacity(rows),
            added: Vec::with_capacity(rows * nq),
            installed: Vec::with_capacity(rows * nq),
        }
    }

    /// The row of `cell`, added (empty) if it has none yet, its metrics as in year `year_offset`.
    fn row(&mut self, m: &Model, cell: usize, year_offset: usize) -> usize {
        if self.row_of[cell] == usize::MAX {
            self.row_of[cell] = self.active.len();
            let at = m.uncell(cell);
            self.active.push(ActiveCell { at, per_unit: per_unit(m, at, year_offset) });
            self.now.push(0.0);
            self.added.resize(self.added.len() + self.nq, 0.0);
            self.installed.resize(self.installed.len() + self.nq, 0.0);
        }
        self.row_of[cell]
    }

    /// The series of every row.
    fn into_cells(self) -> Vec<CellSeries> {
        let nq = self.nq;
        (self.active.iter().enumerate())
            .map(|(row, c)| CellSeries {
                provider: c.at.0,
                region: c.at.1,
                accelerator: c.at.2,
                installed: self.installed[row * nq..(row + 1) * nq].to_vec(),
                added: self.added[row * nq..(row + 1) * nq].to_vec(),
            })
            .collect()
    }
}

/// The level metrics of one accelerator of cell `(p, r, a)` in year `year_offset`.
fn per_unit(m: &Model, at @ (p, r, a): (usize, usize, usize), year_offset: usize) -> [f64; Metric::LEVELS] {
    let (acc, prov, reg) = (&m.acc[a], &m.prov[p], &m.reg[r]);
    let it_gw = acc.it_w * m.draw * 1e-9;
    let facility_gw = it_gw * prov.pue;
    let energy_twh = facility_gw * HOURS_PER_QUARTER * 1e-3;
    let mut v = [0.0; Metric::LEVELS];
    v[Metric::EnergyTwh as usize] = energy_twh;
    set_carbon(m, at, year_offset, &mut v);
    v[Metric::Accelerators as usize] = acc.unit;
    v[Metric::H100e as usize] = acc.h100e;
    v[Metric::PeakEflops as usize] = acc.eflops;
    v[Metric::EffectiveEflops as usize] = acc.eflops * m.utilisation * m.efficiency;
    v[Metric::ItPowerGw as usize] = it_gw;
    v[Metric::FacilityPowerGw as usize] = facility_gw;
    v[Metric::DesignPowerGw as usize] = m.unit_facility_w(p, a) * 1e-9;
    // The hardware's capital charge; the buildings' is the fleet row's (see `Buildings`).
    v[Metric::CapitalChargeUsdB as usize] = acc.price_usd * m.charge_hardware * 1e-9;
    v[Metric::EnergyCostUsdB as usize] = energy_twh * reg.price_usd_per_mwh * 1e-3;
    v[Metric::WaterGl as usize] = it_gw * HOURS_PER_QUARTER * 1e-3 * prov.wue;
    v
}

/// The metrics of [`per_unit`] that follow the year's grid (carbon, and its cost), from its energy:
/// all that changes in a new year.
fn set_carbon(
    m: &Model,
    (p, r, _): (usize, usize, usize),
    year_offset: usize,
    v: &mut [f64; Metric::LEVELS],
) {
    let carbon_loc = v[Metric::EnergyTwh as usize] * m.reg[r].intensity_by_year[year_offset] * 1e-3;
    let carbon_mkt = carbon_loc * (1.0 - m.prov[p].cfe);
    let priced = match m.carbon_basis {
        CarbonBasis::Location => carbon_loc,
        CarbonBasis::Market => carbon_mkt,
    };
    v[Metric::CarbonLocationMt as usize] = carbon_loc;
    v[Metric::CarbonMarketMt as usize] = carbon_mkt;
    v[Metric::CarbonCostUsdB as usize] = priced * m.carbon_price_usd_per_t * 1e-3;
}

/// A redirect flow's key: reason, origin (provider, region, accelerator or `usize::MAX` if none),
/// destination (`usize::MAX` each if placed nowhere), whether it is unmet demand, and the year.
/// The year comes last, so a flow's years are neighbours and merging them over the span keeps the
/// order of the other fields (see [`Results::redirects_over_span`]).
type FlowKey = (RedirectReason, usize, usize, usize, usize, usize, usize, bool, i32);

/// Simulates a scenario that passed validation (see [`simulate`]).
pub fn run(s: Valid<'_>) -> Results {
    run_unchecked(s.scenario())
}

/// [`run`] for a scenario this crate knows to be valid (a plan's own scenario, which the planner
/// validated; a draw within the valid ranges).
pub(crate) fn run_unchecked(s: &Scenario) -> Results {
    let m = Model::new(s);
    let dims = m.dims();
    let nq = m.quarters.len();
    let mut sums = Sums::new(nq, dims);
    let Outcome { fleet, flows, unspent, unmet, new_builds, by_line, warnings } =
        quarterly(&m, s.lifetime_years, &mut sums, &mut Allocator::new(&m));
    let deals = match &s.build_out {
        crate::scenario::BuildOut::Deals(book) => (book.deals.iter().enumerate())
            .map(|(i, d)| {
                let [capital_usd_b, h100e, design_gw] = by_line[m.first_deal_line + i];
                DealOutcome {
                    id: d.id.clone(),
                    provider: d.provider.clone(),
                    capital_usd_b,
                    h100e,
                    design_gw,
                }
            })
            .collect(),
        _ => Vec::new(),
    };

    let mut group = [vec![0.0; nq], vec![0.0; nq], vec![0.0; nq], vec![0.0; nq]];
    for (r, reg) in m.reg.iter().enumerate() {
        let row = &sums.series[Metric::H100e as usize].by_region[r * nq..(r + 1) * nq];
        for (g, v) in group[reg.group.index()].iter_mut().zip(row) {
            *g += v;
        }
    }
    let by_provider = &sums.series[Metric::H100e as usize].by_provider;
    let derived = derived_series(
        nq,
        |metric| sums.total(metric),
        |p| &by_provider[p * nq..(p + 1) * nq],
        dims.0,
        &group,
        [&unspent, &unmet],
        &new_builds,
    );
    let mut series = sums.series;
    series.extend(derived);
    let summary = summarise(&series, s.end_year, redirected_h100e(&flows), &new_builds);
    let id = |v: &[String], i: usize| v.get(i).cloned().unwrap_or_default();
    let (pid, rid, aid): (Vec<String>, Vec<String>, Vec<String>) = (
        s.providers.iter().map(|p| p.id.clone()).collect(),
        s.regions.iter().map(|r| r.id.clone()).collect(),
        s.accelerators.iter().map(|a| a.id.clone()).collect(),
    );
    let redirects = flows
        .into_iter()
        .map(|((reason, fp, fr, fa, tp, tr, ta, unmet, year), (usd_b, h100e))| RedirectFlow {
            year,
            reason,
            from_provider: id(&pid, fp),
            from_region: id(&rid, fr),
            from_accelerator: id(&aid, fa),
            to_provider: id(&pid, tp),
            to_region: id(&rid, tr),
            to_accelerator: id(&aid, ta),
            usd_b,
            h100e,
            unmet,
        })
        .collect();

    Results {
        quarters: m.quarters.clone(),
        providers: pid,
        regions: rid,
        accelerators: aid,
        series,
        cells: fleet.into_cells(),
        redirects,
        deals,
        summary,
        warnings,
    }
}

/// Totals of a simulation: every series with its total only (no breakdowns), and the summary.
pub(crate) struct TotalsOnly {
    /// The quarters of the span.
    pub quarters: Vec<crate::quarter::Quarter>,
    /// Every metric in [`Metric::ALL`] order, totals per quarter.
    pub series: Vec<Vec<f64>>,
    /// The headline figures.
    pub summary: Summary,
}

/// Simulates a scenario that passed validation, keeping totals only: the same numbers as [`run`]'s
/// totals, at a fraction of the cost (no breakdowns, no redirect list).
#[cfg(test)]
pub(crate) fn run_totals(s: &Scenario) -> TotalsOnly {
    let m = Model::new(s);
    totals_of(s, &m, &mut Allocator::new(&m))
}

/// [`run_totals`], keeping the run's placements for [`run_totals_replaying`] when they can be
/// replayed (see [`Replay`]).
pub(crate) fn run_totals_recording(s: &Scenario) -> (TotalsOnly, Option<Replay>) {
    let m = Model::new(s);
    let mut alloc = Allocator::recording(&m);
    let totals = totals_of(s, &m, &mut alloc);
    let record = alloc.into_record();
    (totals, record.and_then(|r| Replay::new(m, r)))
}

/// [`run_totals`] with the placements of `replay` when they fit this scenario: bit-identical
/// results without the allocator (the Monte Carlo draws and the tornado change prices, power and
/// grids, which move no money in budget mode without caps or power limits).
pub(crate) fn run_totals_replaying(s: &Scenario, replay: Option<&Replay>) -> TotalsOnly {
    let m = Model::new(s);
    match replay.filter(|r| r.fits(&m)) {
        Some(r) => totals_of(s, &m, &mut r.replayer(&m)),
        None => totals_of(s, &m, &mut Allocator::new(&m)),
    }
}

/// The totals of model `m` of scenario `s`, placing with `place`.
fn totals_of(s: &Scenario, m: &Model, place: &mut dyn Place) -> TotalsOnly {
    let nq = m.quarters.len();
    let mut totals = Totals::new(m, nq);
    let Outcome { flows, unspent, unmet, new_builds, .. } =
        quarterly(m, s.lifetime_years, &mut totals, place);
    let np = m.prov.len();
    let by_provider = &totals.h100e_by_provider;
    let derived = derived_series(
        nq,
        |metric| &totals.total[metric as usize],
        |p| &by_provider[p * nq..(p + 1) * nq],
        np,
        &totals.h100e_by_group,
        [&unspent, &unmet],
        &new_builds,
    );
    let mut series: Vec<Series> = Metric::ADDITIVE
        .iter()
        .zip(std::mem::take(&mut totals.total))
        .map(|(&metric, total)| Series {
            metric,
            total,
            by_provider: Vec::new(),
            by_region: Vec::new(),
            by_accelerator: Vec::new(),
        })
        .collect();
    series.extend(derived);
    let summary = summarise(&series, s.end_year, redirected_h100e(&flows), &new_builds);
    TotalsOnly {
        quarters: m.quarters.clone(),
        series: series.into_iter().map(|s| s.total).collect(),
        summary,
    }
}

/// H100e moved by export rules and limits over the whole span.
fn redirected_h100e(flows: &BTreeMap<FlowKey, (f64, f64)>) -> f64 {
    // A fold from +0: an empty `sum` of floats is −0. Leaked chips were not moved anywhere.
    flows
        .iter()
        .filter(|(key, _)| key.0 != RedirectReason::Leakage)
        .fold(0.0, |acc, (_, (_, h100e))| acc + h100e)
}

/// What the quarterly loop leaves besides its sums.
struct Outcome {
    fleet: Fleet,
    flows: BTreeMap<FlowKey, (f64, f64)>,
    unspent: Vec<f64>,
    /// Per quarter, demand a region with a domestic industry could not meet (USD bn).
    unmet: Vec<f64>,
    /// Per quarter, the new builds: their all-in capital (USD bn) and design power (GW).
    new_builds: Vec<(f64, f64)>,
    /// Per buying line: capital placed (USD bn), H100e bought and their design power (GW).
    by_line: Vec<[f64; 3]>,
    warnings: Vec<String>,
}

/// One building vintage: when it retires (running quarter index), where, which fleet row had it
/// built (and pays its charge), its IT capacity (W) and its capital charge (USD per quarter).
struct Vintage {
    retires: i64,
    site: usize,
    row: usize,
    w: f64,
    charge: f64,
}

/// The buildings of every site (provider × region): the IT capacity standing and in use, and the
/// vintages in the order they retire. A building stands for the building lifetime, whether full
/// or not, and its capital charge runs as long; a fleet row pays for the buildings its purchases
/// needed. Accelerators fill the room standing before new buildings are bought; a building that
/// retires with accelerators in it keeps them until they retire, but takes no new ones.
struct Buildings {
    stock_w: Vec<f64>,
    in_use_w: Vec<f64>,
    vintages: std::collections::VecDeque<Vintage>,
    /// Per fleet row: IT W of the buildings it had built that still stand, and their charge.
    row_w: Vec<f64>,
    row_charge: Vec<f64>,
}

impl Buildings {
    fn new(m: &Model) -> Self {
        let sites = m.prov.len() * m.reg.len();
        Buildings {
            stock_w: vec![0.0; sites],
            in_use_w: vec![0.0; sites],
            vintages: std::collections::VecDeque::new(),
            row_w: Vec::new(),
            row_charge: Vec::new(),
        }
    }

    /// A building of `w` IT W for fleet row `row` at `site` (region `r`), built in running quarter
    /// `built`, standing if it has not retired by `now`.
    fn build(&mut self, m: &Model, (site, r, row): (usize, usize, usize), w: f64, built: i64, now: i64) {
        let retires = built + m.facility_q as i64;
        if w <= 0.0 || retires <= now {
            return;
        }
        if self.row_w.len() <= row {
            self.row_w.resize(row + 1, 0.0);
            self.row_charge.resize(row + 1, 0.0);
        }
        let charge = w * m.reg[r].capex_usd_per_w * m.charge_building;
        self.stock_w[site] += w;
        self.row_w[row] += w;
        self.row_charge[row] += charge;
        self.vintages.push_back(Vintage { retires, site, row, w, charge });
    }

    /// Retires the vintages due by running quarter `now` (they come in the order they retire).
    fn retire_due(&mut self, now: i64) {
        while self.vintages.front().is_some_and(|v| v.retires <= now) {
            let Some(v) = self.vintages.pop_front() else { break };
            self.stock_w[v.site] = retire(self.stock_w[v.site], v.w);
            self.row_w[v.row] = retire(self.row_w[v.row], v.w);
            self.row_charge[v.row] = (self.row_charge[v.row] - v.charge).max(0.0);
            if self.row_w[v.row] == 0.0 {
                self.row_charge[v.row] = 0.0;
            }
        }
    }

    /// The room standing and not in use, per site.
    fn free(&self, sites: &mut Sites) {
        sites.free_w.clear();
        sites.free_w.extend(self.stock_w.iter().zip(&self.in_use_w).map(|(s, u)| (s - u).max(0.0)));
    }
}

/// The quarterly loop: retire, buy (placed by `place`), measure; sums go to `sink`.
fn quarterly<S: Sink>(m: &Model, lifetime_years: f64, sums: &mut S, place: &mut dyn Place) -> Outcome {
    let nq = m.quarters.len();
    let lq = m.lifetime_q;
    let mut warnings = Vec::new();

    let mut fleet = Fleet::new(m);
    let mut buildings = Buildings::new(m);
    let (_, nr, _) = m.dims();
    let site_of = |cell: usize| {
        let (p, r, a) = m.uncell(cell);
        (p * nr + r, r, a)
    };
    // Starting cohorts that retire within the span: (quarter, row, count). Purchases retire
    // `lifetime` quarters after their `added` entry, so they need no list.
    let mut cohort_retirements: Vec<(usize, usize, f64)> = Vec::new();
    let mut year_offset = 0;
    let mut retired_before_start = 0.0;
    // The starting fleet's buildings, built when it was installed: (built, site, region, row, W).
    let mut starting_buildings: Vec<(i64, usize, usize, usize, f64)> = Vec::new();
    for &(cell, retire_q, count) in &m.cohorts {
        let (site, r, a) = site_of(cell);
        let installed = retire_q - lq as i64;
        let at = retire_q - m.start_q;
        if installed + m.facility_q as i64 > m.start_q {
            let row = fleet.row(m, cell, year_offset);
            starting_buildings.push((installed, site, r, row, count * m.acc[a].it_w));
        }
        if at <= 0 {
            retired_before_start += count;
            continue;
        }
        let row = fleet.row(m, cell, year_offset);
        fleet.now[row] += count;
        buildings.in_use_w[site] += count * m.acc[a].it_w;
        if (at as usize) < nq {
            cohort_retirements.push((at as usize, row, count));
        }
    }
    starting_buildings.sort_by_key(|b| b.0);
    for (built, site, r, row, w) in starting_buildings {
        buildings.build(m, (site, r, row), w, built, m.start_q);
    }
    if retired_before_start > 0.0 {
        warnings.push(format!(
            "{} accelerators of the starting fleet had already retired before {} (lifetime {} years); they are not counted",
            fmt_count(retired_before_start),
            m.quarters[0],
            lifetime_years
        ));
    }

    // By quarter, in their order within a quarter, taken from the front as the quarters pass.
    cohort_retirements.sort_by_key(|&(at, _, _)| at);
    let mut retiring = cohort_retirements.as_slice();
    let mut buys: Vec<Buy> = Vec::new();
    let mut unplaced: Vec<Unplaced> = Vec::new();
    let mut flows: BTreeMap<FlowKey, (f64, f64)> = BTreeMap::new();
    let mut unspent = vec![0.0; nq];
    let mut unmet = vec![0.0; nq];
    let mut new_builds = vec![(0.0, 0.0); nq];
    let mut by_line = vec![[0.0; 3]; m.lines.len()];
    let mut unplaced_power_w = 0.0;
    let mut first_unplaced = None;
    let mut sites = Sites { free_w: Vec::new() };

    for (q, unspent_q) in unspent.iter_mut().enumerate() {
        let q_abs = m.start_q + q as i64;
        let calendar_year = m.quarters[q].year;
        let year = (calendar_year - m.start_year) as usize;
        if year != year_offset {
            year_offset = year;
            for c in &mut fleet.active {
                set_carbon(m, c.at, year_offset, &mut c.per_unit);
            }
        }
        let due = retiring.iter().take_while(|(at, _, _)| *at == q).count();
        for &(_, row, count) in &retiring[..due] {
            fleet.now[row] = retire(fleet.now[row], count);
            let (site, _, a) =
                site_of(m.cell(fleet.active[row].at.0, fleet.active[row].at.1, fleet.active[row].at.2));
            buildings.in_use_w[site] = retire(buildings.in_use_w[site], count * m.acc[a].it_w);
        }
        retiring = &retiring[due..];
        if q >= lq {
            for (row, now) in fleet.now.iter_mut().enumerate() {
                let gone = fleet.added[row * nq + q - lq];
                if gone > 0.0 {
                    *now = retire(*now, gone);
                    let (p, r, a) = fleet.active[row].at;
                    let site = p * nr + r;
                    buildings.in_use_w[site] = retire(buildings.in_use_w[site], gone * m.acc[a].it_w);
                }
            }
        }
        buildings.retire_due(q_abs);
        buildings.free(&mut sites);

        let amount = match m.mode {
            Mode::Budget => m.build[q],
            Mode::Capacity => {
                let design_w: f64 = (fleet.active.iter().zip(&fleet.now))
                    .map(|(c, n)| n * c.per_unit[Metric::DesignPowerGw as usize] * 1e9)
                    .sum();
                (m.build[q] - design_w).max(0.0)
            }
        };
        buys.clear();
        unplaced.clear();
        place.place(q, amount, &mut sites, &mut buys, &mut unplaced);

        for b in &buys {
            let row = fleet.row(m, m.cell(b.p, b.r, b.a), year_offset);
            fleet.added[row * nq + q] += b.count;
            fleet.now[row] += b.count;
            let acc = &m.acc[b.a];
            let site = m.site(b.p, b.r);
            buildings.in_use_w[site] += b.count * acc.it_w;
            buildings.build(m, (site, b.r, row), b.new_w, q_abs, q_abs);
            let usd = b.usd;
            let building_usd = b.new_w * m.reg[b.r].capex_usd_per_w;
            let at = (b.p, b.r, b.a);
            sums.add(Metric::CapitalUsdB, at, usd * 1e-9);
            sums.add(Metric::BuildingCapitalUsdB, at, building_usd * 1e-9);
            sums.add(Metric::NewBuildingsGw, at, b.new_w * m.prov[b.p].pue * 1e-9);
            sums.add(Metric::EmbodiedCarbonMt, at, b.count * acc.embodied_kg * 1e-9);
            sums.add(Metric::AddedH100e, at, b.count * acc.h100e);
            let line = &mut by_line[b.line];
            line[0] += usd * 1e-9;
            line[1] += b.count * acc.h100e;
            line[2] += b.count * m.unit_facility_w(b.p, b.a) * 1e-9;
            if b.new_w > 0.0 {
                // The accelerators that went into new buildings, with those buildings.
                let (capital, gw) = &mut new_builds[q];
                *capital += (b.new_w / acc.it_w * acc.price_usd + building_usd) * 1e-9;
                *gw += b.new_w * m.prov[b.p].pue * 1e-9;
            }
            if let Some(o) = b.origin {
                if o.reason != RedirectReason::Leakage {
                    sums.add(Metric::RedirectedUsdB, at, usd * 1e-9);
                    sums.add(Metric::BlockedUsdB, (o.p, o.r, o.a.unwrap_or(b.a)), usd * 1e-9);
                }
                let key =
                    (o.reason, o.p, o.r, o.a.unwrap_or(usize::MAX), b.p, b.r, b.a, false, calendar_year);
                let entry = flows.entry(key).or_insert((0.0, 0.0));
                entry.0 += usd * 1e-9;
                entry.1 += b.count * acc.h100e;
            }
        }
        for u in &unplaced {
            let o = u.origin;
            let usd = match m.mode {
                Mode::Budget => u.amount,
                Mode::Capacity => {
                    unplaced_power_w += u.amount;
                    o.a.map_or(0.0, |a| u.amount / m.unit_facility_w(o.p, a) * m.unit_capex(o.r, a))
                }
            };
            if u.unmet {
                unmet[q] += usd * 1e-9;
            } else {
                *unspent_q += usd * 1e-9;
                first_unplaced.get_or_insert(m.quarters[q]);
            }
            let nowhere = usize::MAX;
            let key = (
                o.reason,
                o.p,
                o.r,
                o.a.unwrap_or(nowhere),
                nowhere,
                nowhere,
                nowhere,
                u.unmet,
                calendar_year,
            );
            flows.entry(key).or_insert((0.0, 0.0)).0 += usd * 1e-9;
        }

        // Measure the installed fleet and the buildings standing.
        for (row, (c, &n)) in fleet.active.iter().zip(&fleet.now).enumerate() {
            fleet.installed[row * nq + q] = n;
            if n > 0.0 {
                sums.add_levels(c.at, &c.per_unit.map(|v| v * n));
            }
            if let Some(&w) = buildings.row_w.get(row)
                && w > 0.0
            {
                sums.add(Metric::BuildingsGw, c.at, w * m.prov[c.at.0].pue * 1e-9);
                sums.add(Metric::CapitalChargeUsdB, c.at, buildings.row_charge[row] * 1e-9);
            }
        }
        sums.finish_quarter(q);
    }

    if let Some(first) = first_unplaced {
        let total: f64 = unspent.iter().sum();
        let what = match m.mode {
            Mode::Budget => format!("USD {total:.1} bn"),
            Mode::Capacity => format!("{:.2} GW (about USD {total:.1} bn)", unplaced_power_w * 1e-9),
        };
        warnings.push(format!(
            "{what} could be placed nowhere from {first} on: no provider with a share can build any allowed, available accelerator"
        ));
    }

    let total_unmet: f64 = unmet.iter().sum();
    if total_unmet > 0.0 {
        warnings.push(format!(
            "USD {total_unmet:.1} bn of demand in regions with a domestic industry went unmet: export bans blocked the imports and the domestic accelerator supply was used up"
        ));
    }
    Outcome { fleet, flows, unspent, unmet, new_builds, by_line, warnings }
}

/// All-in capital per design GW of new builds, USD bn per GW (0 without any).
fn per_gw((capital, gw): (f64, f64)) -> f64 {
    if gw > 0.0 { capital / gw } else { 0.0 }
}

/// The total-only series, in [`Metric::TOTAL_ONLY`] order, from the additive totals, H100e by
/// provider (`np` of them) and by export group, the unspent capital and the new builds.
fn derived_series<'a>(
    nq: usize,
    total: impl Fn(Metric) -> &'a [f64],
    h100e_by_provider: impl Fn(usize) -> &'a [f64],
    np: usize,
    group: &[Vec<f64>; 4],
    [unspent, unmet]: [&[f64]; 2],
    new_builds: &[(f64, f64)],
) -> Vec<Series> {
    let h100e = total(Metric::H100e);
    let (charge, energy, carbon) =
        (total(Metric::CapitalChargeUsdB), total(Metric::EnergyCostUsdB), total(Metric::CarbonCostUsdB));
    let cost: Vec<f64> = (0..nq).map(|q| charge[q] + energy[q] + carbon[q]).collect();
    let providers: Vec<&[f64]> = (0..np).map(h100e_by_provider).collect();
    let by_prov = |q: usize| providers.iter().map(move |row| row[q]);
    let pct = |part: f64, whole: f64| {
        if whole > 0.0 { 100.0 * part / whole } else { 0.0 }
    };
    let per_q = |f: &dyn Fn(usize) -> f64| (0..nq).map(f).collect::<Vec<f64>>();

    let totals: [(Metric, Vec<f64>); 10] = [
        (
            Metric::CostPerH100eHourUsd,
            per_q(&|q| {
                if h100e[q] > 0.0 { cost[q] * 1e9 / (h100e[q] * HOURS_PER_QUARTER) } else { 0.0 }
            }),
        ),
        (Metric::AllInUsdBPerGw, new_builds.iter().copied().map(per_gw).collect()),
        (Metric::Hhi, per_q(&|q| by_prov(q).map(|v| pct(v, h100e[q])).map(|v| v * v).sum())),
        (Metric::H100eWithoutLargest, per_q(&|q| (h100e[q] - by_prov(q).fold(0.0, f64::max)).max(0.0))),
        (Metric::ShareUsPct, per_q(&|q| pct(group[0][q], h100e[q]))),
        (Metric::ShareCloseAlliesPct, per_q(&|q| pct(group[1][q], h100e[q]))),
        (Metric::ShareMiddleTierPct, per_q(&|q| pct(group[2][q], h100e[q]))),
        (Metric::ShareEmbargoedPct, per_q(&|q| pct(group[3][q], h100e[q]))),
        (Metric::UnspentUsdB, unspent.to_vec()),
        (Metric::UnmetUsdB, unmet.to_vec()),
    ];
    totals
        .into_iter()
        .map(|(metric, total)| Series {
            metric,
            total,
            by_provider: Vec::new(),
            by_region: Vec::new(),
            by_accelerator: Vec::new(),
        })
        .collect()
}

/// Headline figures from the series: levels at the last quarter, flows over the last four quarters
/// (the end year) and over the whole span.
fn summarise(
    series: &[Series],
    end_year: i32,
    redirected_h100e_total: f64,
    new_builds: &[(f64, f64)],
) -> Summary {
    let add = |a: (f64, f64), b: &(f64, f64)| (a.0 + b.0, a.1 + b.1);
    let new_end_year = new_builds[new_builds.len().saturating_sub(4)..].iter().fold((0.0, 0.0), add);
    let new_total = new_builds.iter().fold((0.0, 0.0), add);
    let total = |metric: Metric| series[metric as usize].total.as_slice();
    let last = |metric: Metric| total(metric).last().copied().unwrap_or(0.0);
    let end_year_sum = |metric: Metric| {
        let t = total(metric);
        t[t.len().saturating_sub(4)..].iter().sum::<f64>()
    };
    let all = |metric: Metric| total(metric).iter().sum::<f64>();
    let quarters_in_end_year = total(Metric::H100e).len().min(4) as f64;

    let h100e_hours = end_year_sum(Metric::H100e) * HOURS_PER_QUARTER;
    let end_cost = end_year_sum(Metric::CapitalChargeUsdB)
        + end_year_sum(Metric::EnergyCostUsdB)
        + end_year_sum(Metric::CarbonCostUsdB);
    let h100e_end = last(Metric::H100e);
    let pct_of_end = |v: f64| {
        if h100e_end > 0.0 { 100.0 * v / h100e_end } else { 0.0 }
    };
    Summary {
        end_year,
        h100e_end,
        accelerators_end: last(Metric::Accelerators),
        peak_eflops_end: last(Metric::PeakEflops),
        effective_eflops_end: last(Metric::EffectiveEflops),
        facility_power_gw_end_year: if quarters_in_end_year > 0.0 {
            end_year_sum(Metric::FacilityPowerGw) / quarters_in_end_year
        } else {
            0.0
        },
        energy_twh_end_year: end_year_sum(Metric::EnergyTwh),
        carbon_location_mt_end_year: end_year_sum(Metric::CarbonLocationMt),
        carbon_market_mt_end_year: end_year_sum(Metric::CarbonMarketMt),
        capital_usd_b_end_year: end_year_sum(Metric::CapitalUsdB),
        energy_cost_usd_b_end_year: end_year_sum(Metric::EnergyCostUsdB),
        carbon_cost_usd_b_end_year: end_year_sum(Metric::CarbonCostUsdB),
        cost_per_h100e_hour_usd_end_year: if h100e_hours > 0.0 { end_cost * 1e9 / h100e_hours } else { 0.0 },
        water_gl_end_year: end_year_sum(Metric::WaterGl),
        all_in_usd_b_per_gw_end_year: per_gw(new_end_year),
        all_in_usd_b_per_gw_total: per_gw(new_total),
        hhi_end: last(Metric::Hhi),
        capacity_without_largest_pct_end: pct_of_end(last(Metric::H100eWithoutLargest)),
        group_share_pct_end: [
            last(Metric::ShareUsPct),
            last(Metric::ShareCloseAlliesPct),
            last(Metric::ShareMiddleTierPct),
            last(Metric::ShareEmbargoedPct),
        ],
        capital_usd_b_total: all(Metric::CapitalUsdB),
        energy_twh_total: all(Metric::EnergyTwh),
        energy_cost_usd_b_total: all(Metric::EnergyCostUsdB),
        carbon_cost_usd_b_total: all(Metric::CarbonCostUsdB),
        carbon_location_mt_total: all(Metric::CarbonLocationMt),
        carbon_market_mt_total: all(Metric::CarbonMarketMt),
        embodied_carbon_mt_total: all(Metric::EmbodiedCarbonMt),
        water_gl_total: all(Metric::WaterGl),
        redirected_usd_b_total: all(Metric::RedirectedUsdB),
        redirected_h100e_total,
        unspent_usd_b_total: all(Metric::UnspentUsdB),
        unmet_usd_b_total: all(Metric::UnmetUsdB),
    }
}

fn fmt_count(v: f64) -> String {
    format!("{v:.0}")
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use rand::SeedableRng;
    use rand_xoshiro::Xoshiro256PlusPlus;

    use super::*;
    use crate::scenario::{ExportPolicy, Siting, base};
    use crate::uncertainty::{Input, draw_all, inputs};

    /// Every total and headline figure of two runs, as bits.
    fn bits(t: &TotalsOnly) -> (Vec<Vec<u64>>, Vec<u64>) {
        let series = t.series.iter().map(|s| s.iter().map(|v| v.to_bits()).collect()).collect();
        (series, t.summary.kpis().iter().map(|k| k.value.to_bits()).collect())
    }

    /// A base scenario under an export policy, with its siting.
    fn scenario(world: bool, policy: &str, cheap_clean: bool) -> Scenario {
        let mut s = base(if world { "world" } else { "article" }).unwrap();
        s.export_policy = ExportPolicy::preset(policy).unwrap();
        s.siting = if cheap_clean { Siting::CheapClean } else { Siting::Announced };
        s
    }

    #[test]
    fn totals_only_equal_the_full_runs_totals() {
        for policy in ExportPolicy::preset_ids() {
            for (world, cheap_clean) in [(false, false), (true, false), (false, true)] {
                let s = scenario(world, policy, cheap_clean);
                let (full, t) = (run_unchecked(&s), run_totals(&s));
                for (series, total) in full.series.iter().zip(&t.series) {
                    let a: Vec<u64> = series.total.iter().map(|v| v.to_bits()).collect();
                    let b: Vec<u64> = total.iter().map(|v| v.to_bits()).collect();
                    assert_eq!(a, b, "{policy} {}", series.metric.id());
                }
                assert_eq!(full.summary, t.summary, "{policy}");
            }
        }
    }

    #[test]
    fn the_allocation_is_replayed_only_where_prices_move_no_money() {
        let replay = |s: &Scenario| run_totals_recording(s).1.is_some_and(|r| r.fits(&Model::new(s)));
        assert!(replay(&scenario(false, "oct-2023", false)), "the default is replayed");
        let mut unlimited = scenario(true, "blackwell-us-only", false);
        unlimited.domestic_supply.units_per_year.clear();
        assert!(replay(&unlimited), "bans alone move no money by price");
        assert!(
            !replay(&scenario(true, "blackwell-us-only", false)),
            "the domestic supply is counted in accelerators, which prices change"
        );
        assert!(!replay(&scenario(false, "ai-diffusion-2025", false)), "caps are counted in H100e");
        let mut limited = scenario(false, "oct-2023", false);
        limited.regions[0].new_power_limit_gw_per_year = Some(0.5);
        assert!(!replay(&limited), "power limits are counted in watts");
        // Cheap-and-clean siting records, but a draw that moves prices changes the weights.
        let s = scenario(false, "oct-2023", true);
        let (_, r) = run_totals_recording(&s);
        let r = r.expect("budget mode without limits records");
        let mut moved = s.clone();
        moved.regions[0].price_usd_per_mwh *= 1.5;
        assert!(r.fits(&Model::new(&s)) && !r.fits(&Model::new(&moved)));
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        /// A draw of every uncertain input simulated with the central run's placements replayed
        /// (where they fit) gives the totals of a full allocation, to the bit.
        #[test]
        fn replayed_draws_equal_allocated_draws(
            world in any::<bool>(),
            policy in 0..4usize,
            cheap_clean in proptest::bool::weighted(0.25),
            width in 0.0..3.0f64,
            seed in any::<u64>(),
        ) {
            let policy = ExportPolicy::preset_ids()[policy % ExportPolicy::preset_ids().len()];
            let s = scenario(world, policy, cheap_clean);
            let (central, replay) = run_totals_recording(&s);
            prop_assert_eq!(bits(&central), bits(&run_totals(&s)));
            let drawn: Vec<Input> = inputs(&s).into_iter().filter(Input::is_drawn).collect();
            let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
            let mut work = s.clone();
            for _ in 0..3 {
                draw_all(&drawn, &mut rng, width, &mut work, &s);
                prop_assert_eq!(bits(&run_totals_replaying(&work, replay.as_ref())), bits(&run_totals(&work)));
            }
        }
    }
}
