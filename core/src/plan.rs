//! The planner: the best allocation of new capital — provider × region × accelerator × year —
//! under export rules, availability, offers, power limits, provider-share bounds and the yearly
//! budget, as a linear program solved by [microlp] (pure Rust, no clock, builds for wasm32).
//!
//! Simulation answers "what happens with my allocation"; the planner answers "what is the best
//! allocation". It never guesses: every plan is an optimum of the program below, and a program with
//! no solution comes back as a [`PlanError`] that names the constraints in conflict.
//!
//! ## The linear program
//!
//! **Variables.** `x[p, r, a, y] ≥ 0`: hardware capital (USD bn) provider `p` spends in region `r`
//! on accelerator `a` in year `y`. A variable exists only where `p` offers `a`, builds in `r` (its
//! region list, or every region with cheap-and-clean siting), `a` is available from the first
//! quarter of `y`, and no export rule bans `a` in `r` in `y`. `z[p, r, y] ≥ 0`: the IT capacity
//! (GW) of the buildings provider `p` builds in region `r` in year `y`, standing from the year's
//! first quarter for the building lifetime.
//!
//! **Timing, as the simulation counts it.** A year's capital is spent evenly over its four
//! quarters; what a quarter buys runs from that quarter for the lifetime and is installed at the
//! end of the span if it has not retired by then. So for capital in year `y` the coefficients
//! below count, exactly as the simulation does, the quarters it runs in each year `t` and the
//! share of it still installed at the end.
//!
//! **Per USD bn of hardware in (p, r, a, y):** `n = 10⁹ ÷ price(a)` accelerators; capacity
//! `n × H100e(a)`; IT power `n × IT power(a)`; energy in year `t` `n × IT power × draw × PUE ×
//! hours run in t`; its cost at the region's price (overrides and the energy-cost multiplier
//! included) and its emissions at the region's intensity in `t` (market-based when the carbon price
//! applies to market-based emissions). A GW of building costs `facility_capex_usd_per_w(r)` USD bn.
//!
//! **Buildings, as the simulation counts them.** In every quarter, the IT power a site's purchases
//! have installed fits in the room the starting fleet leaves in its buildings plus the buildings
//! the site has built and that still stand. The least building that satisfies this is what the
//! simulation builds, quarter by quarter, as purchases need it; a tie-break of a ten-millionth of
//! the building cost, larger the earlier, makes the program build as late as the simulation does.
//!
//! **Objectives.** [`Objective::MinCost`]: capital (hardware and buildings) + energy cost + carbon
//! price × emissions over the span, for a capacity target. [`Objective::MaxCompute`]: H100e-years
//! delivered over the span for the budget. [`Objective::MinCarbon`]: operational plus embodied
//! emissions, for the budget and a capacity target.
//!
//! **Near-ties.** Among plans within 0.1% (`STAY_NEAR_OWN`) of each other, the one whose split between
//! providers, year by year, is closest to the user's own wins (a small penalty on moving away from
//! it; left out of the reported objective and of frontier points). [`review`] says what a plan
//! trades for its objective (carbon, water, exposure to export rules) and where it is a near-tie.
//!
//! **Constraints.** Capacity at the end of every year ≥ the capacity path there (the scenario's own
//! path, scaled to end at the target; the starting fleet still installed counts);
//! capital (hardware and buildings) per year ≤ the scenario's budget for the year; each provider's
//! hardware capital in a year ≤ the share bound × that year's hardware capital (buildings follow
//! the hardware); new design facility power (buildings × PUE) per region and year ≤ the region's
//! limit and the planner's own; capped export cells: H100e added per region and year ≤ the cap;
//! domestic accelerators bought per year, all regions together, ≤ the domestic supply.
//!
//! **Smaller, same optimum.** A column another column of the same provider, region and year
//! dominates (as many or more H100e per dollar, as little or less power, energy cost and
//! emissions, neither under a cap) is left out: any plan using it does as well on its dominator.
//! With lifetimes in whole years, a site's room has a row only at each year's first and last
//! quarter and where the starting fleet's room changes: within a year what is installed changes
//! linearly and the buildings standing do not, so no other quarter can be shorter of room.
//!
//! **Exactness.** An applied plan ([`apply`]) names each purchase's hardware capital; the
//! simulation buys the buildings it needs on top, the same as the program's while no building
//! built within the span retires within it (the building lifetime is 20 years by default).

use std::fmt;

use microlp::{ComparisonOp, OptimizationDirection, Problem, Variable};
use serde::{Deserialize, Serialize};

use crate::message::Message;
use crate::model::{Decision, Mode, Model};
use crate::quarter::HOURS_PER_QUARTER;
use crate::scenario::{CarbonBasis, Scenario};
use crate::validate::{Problem as InputProblem, validate};

/// What the planner optimises.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Objective {
    /// Least total cost (capital + energy + carbon price × emissions) for a capacity target.
    MinCost,
    /// Most compute (H100e-years over the span) for the budget.
    MaxCompute,
    /// Least emissions (operational + embodied) for the budget and a capacity target.
    MinCarbon,
}

impl Objective {
    /// Every objective, in display order.
    pub const ALL: [Objective; 3] = [Objective::MinCost, Objective::MaxCompute, Objective::MinCarbon];

    /// Identifier (`min_cost`).
    pub fn id(self) -> &'static str {
        match self {
            Objective::MinCost => "min_cost",
            Objective::MaxCompute => "max_compute",
            Objective::MinCarbon => "min_carbon",
        }
    }

    /// The unit of the objective's value.
    pub fn unit(self) -> &'static str {
        match self {
            Objective::MinCost => "USD bn",
            Objective::MaxCompute => "H100e-years",
            Objective::MinCarbon => "Mt CO2e",
        }
    }
}

/// The planner's inputs beside the scenario.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanSettings {
    /// What to optimise.
    pub objective: Objective,
    /// H100e installed at the end of the span that the plan must reach (min cost, min carbon).
    /// The plan follows the scenario's own capacity path — at the end of every year at least the
    /// H100e the scenario has then — scaled so that it ends at this target; `None` keeps the
    /// scenario's own path.
    pub capacity_target_h100e: Option<f64>,
    /// Whether each year's capital is bounded by the scenario's budget for that year (always for
    /// max compute and min carbon, which are defined for the budget).
    pub respect_budget: bool,
    /// The largest share of a year's hardware capital one provider may take, 0–1 (1: no bound). The
    /// article's resilience argument: no provider above 50%.
    pub max_provider_share: f64,
    /// New design facility power any one region may add in a year, GW, beside the data's limits.
    pub power_limit_gw_per_region_year: Option<f64>,
    /// The providers the plan may use; empty: those the scenario gives a share in some year, or a
    /// deal.
    #[serde(default)]
    pub providers: Vec<String>,
}

impl Default for PlanSettings {
    fn default() -> Self {
        Self {
            objective: Objective::MinCost,
            capacity_target_h100e: None,
            respect_budget: true,
            max_provider_share: 1.0,
            power_limit_gw_per_region_year: None,
            providers: Vec::new(),
        }
    }
}

/// Capital the plan puts in one provider × region × accelerator × year.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Purchase {
    /// Provider id.
    pub provider: String,
    /// Region id.
    pub region: String,
    /// Accelerator id.
    pub accelerator: String,
    /// Calendar year.
    pub year: i32,
    /// All-in capital, USD bn: the hardware and its share of the buildings its site builds that
    /// year (by IT power).
    pub capital_usd_b: f64,
    /// The hardware part of it, USD bn: what a link's `plan=` carries (the simulation buys the
    /// buildings as it needs them).
    pub hardware_usd_b: f64,
    /// H100-equivalents it buys.
    pub h100e: f64,
}

/// An optimal plan and what it adds up to (new purchases only, in the planner's accounting).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Plan {
    /// The settings it was solved for, with the capacity target filled in.
    pub settings: PlanSettings,
    /// The capacity target used, H100e at the end (with the starting fleet still installed).
    pub capacity_target_h100e: f64,
    /// The capacity path the plan had to follow, H100e at the end of each year.
    pub capacity_path_h100e: Vec<f64>,
    /// The objective's value, in [`Objective::unit`].
    pub objective_value: f64,
    /// Every purchase with capital, by year, provider, region, accelerator.
    pub purchases: Vec<Purchase>,
    /// Capital over the span, hardware and buildings, USD bn.
    pub capital_usd_b: f64,
    /// The part of it spent on new buildings, USD bn.
    pub building_capital_usd_b: f64,
    /// Energy cost over the span, USD bn.
    pub energy_cost_usd_b: f64,
    /// Carbon-price cost over the span, USD bn.
    pub carbon_cost_usd_b: f64,
    /// Operational (on the carbon-price basis) plus embodied emissions, Mt CO2e.
    pub carbon_mt: f64,
    /// H100e-years delivered over the span.
    pub compute_h100e_years: f64,
    /// H100e installed at the end, starting fleet included.
    pub capacity_end_h100e: f64,
    /// The constraints that bind, and what lifting each would change.
    pub binding: Vec<Binding>,
}

/// A constraint that binds at the optimum, and what lifting it a little would change.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Binding {
    /// `capacity_path`, `budget`, `provider_share`, `power_limit` or `export_cap`.
    pub kind: &'static str,
    /// The provider or region it concerns (empty for the capacity path and the budget).
    pub subject: String,
    /// The years in which it binds.
    pub years: Vec<i32>,
    /// The objective's change when it is lifted (in [`Objective::unit`]); `None` if the lifted
    /// program could not be solved.
    pub objective_change: Option<f64>,
    /// The explanation in one plain sentence.
    pub sentence: String,
    /// The same sentence as a message, for a page that words it in the reader's language.
    #[serde(skip)]
    pub said: Message,
}

impl Plan {
    /// Total cost: capital + energy cost + carbon cost, USD bn.
    pub fn cost_usd_b(&self) -> f64 {
        self.capital_usd_b + self.energy_cost_usd_b + self.carbon_cost_usd_b
    }
}

/// Why there is no plan.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum PlanError {
    /// The scenario is not valid.
    Invalid(Vec<InputProblem>),
    /// The settings are out of range or do not fit the scenario.
    Settings(Message),
    /// No allocation satisfies every constraint; the message names the conflict.
    Infeasible(Message),
    /// The objective can improve without limit; the message says which bound is missing.
    Unbounded(Message),
    /// The solver reported an internal failure.
    Solver(Message),
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlanError::Invalid(problems) => {
                write!(f, "the scenario has {} problem(s)", problems.len())?;
                for p in problems {
                    write!(f, "; {p}")?;
                }
                Ok(())
            }
            PlanError::Settings(m)
            | PlanError::Infeasible(m)
            | PlanError::Unbounded(m)
            | PlanError::Solver(m) => f.write_str(&m.english()),
        }
    }
}

/// One hardware variable of the program and its coefficients per USD bn of hardware.
#[derive(Clone, Debug)]
pub(crate) struct Column {
    pub p: usize,
    pub r: usize,
    pub a: usize,
    /// Year offset from the start.
    pub y: usize,
    pub h100e: f64,
    /// Share still installed at the end of the span, 0–1.
    pub alive_end: f64,
    /// Share installed at the end of each year of the span, 0–1.
    pub alive_by_year: Vec<f64>,
    /// IT power of what it buys, GW (the building room it takes while installed).
    pub it_gw: f64,
    pub energy_cost_usd_b: f64,
    pub carbon_mt: f64,
    pub carbon_cost_usd_b: f64,
    pub h100e_years: f64,
    /// Export-rule cap this column counts against, if any (rule index).
    pub cap_rule: Option<usize>,
    /// Domestic accelerators it buys per USD bn, counted against the year's domestic supply (0
    /// for any other accelerator).
    pub domestic_units: f64,
    /// Hardware capital fixed to the user's own (USD bn), for providers that add no AI capacity.
    pub fixed: Option<f64>,
}

/// The columns without those another column of the same provider, region and year dominates: a
/// planned column under no cap whose every coefficient per USD bn is as good or better (as many
/// or more H100e and H100e-years, as little or less IT power, energy cost, emissions and carbon
/// cost). Spending a dominated column's dollars on its dominator instead keeps every row within
/// its bound (budget and share rows see the same dollars; capacity gets more; power, room and
/// energy less) and the objective as good, so the optimum is the same; the program is much
/// smaller (older generations are dominated by newer ones in most years).
fn without_dominated(columns: Vec<Column>) -> Vec<Column> {
    // Columns under a cap or the domestic supply can run out, so neither dominates nor is dominated.
    let free = |c: &Column| c.fixed.is_none() && c.cap_rule.is_none() && c.domestic_units == 0.0;
    let at_least_as_good = |k: &Column, j: &Column| {
        k.h100e >= j.h100e
            && k.h100e_years >= j.h100e_years
            && k.it_gw <= j.it_gw
            && k.energy_cost_usd_b <= j.energy_cost_usd_b
            && k.carbon_mt <= j.carbon_mt
            && k.carbon_cost_usd_b <= j.carbon_cost_usd_b
            && k.alive_by_year == j.alive_by_year
    };
    let mut groups: std::collections::BTreeMap<(usize, usize, usize), Vec<usize>> =
        std::collections::BTreeMap::new();
    for (i, c) in columns.iter().enumerate().filter(|(_, c)| free(c)) {
        groups.entry((c.p, c.r, c.y)).or_default().push(i);
    }
    let mut dominated = vec![false; columns.len()];
    for group in groups.values() {
        for &j in group {
            dominated[j] = group.iter().any(|&k| {
                let (c, d) = (&columns[j], &columns[k]);
                // Of two equal columns, the first stays.
                k != j && at_least_as_good(d, c) && (!at_least_as_good(c, d) || k < j)
            });
        }
    }
    columns.into_iter().zip(dominated).filter(|(_, d)| !d).map(|(c, _)| c).collect()
}

/// One building variable: the IT capacity (GW) a site builds in a year, standing from the year's
/// first quarter for the building lifetime.
#[derive(Clone, Debug)]
pub(crate) struct Build {
    pub p: usize,
    pub r: usize,
    pub y: usize,
    /// Capital per GW of IT capacity, USD bn.
    pub usd_b_per_gw: f64,
    /// Design facility power per GW of IT capacity (the provider's PUE).
    pub pue: f64,
    /// Quarter offsets (from the start) in which it stands.
    pub stands: std::ops::Range<usize>,
}

/// The program's data: columns, and the scenario-wide bounds.
pub(crate) struct Program {
    pub columns: Vec<Column>,
    /// Building variables, after the columns in the program's variable order.
    pub builds: Vec<Build>,
    /// Per site (provider, region) with columns: per quarter, the building room the starting fleet
    /// leaves standing (GW of IT capacity).
    pub rooms: Vec<(usize, usize, Vec<f64>)>,
    /// Per year of purchase and quarter: the share of the year's purchases installed then.
    pub installed_share: Vec<Vec<f64>>,
    /// Whether hardware and building lifetimes are whole years, so that within a year what a
    /// site has installed changes linearly and its buildings do not change.
    pub whole_years: bool,
    pub years: usize,
    pub start_year: i32,
    /// Capital per year, USD bn (`None` for a capacity path).
    pub budget_usd_b: Option<Vec<f64>>,
    /// Starting fleet still installed at the end, H100e.
    pub starting_h100e_end: f64,
    /// Starting fleet installed at the end of each year, H100e.
    pub starting_h100e_by_year: Vec<f64>,
    /// Data limits on new design facility power per region and year, GW.
    pub region_limits_gw: Vec<Option<f64>>,
    pub rule_caps: Vec<Option<f64>>,
    /// Domestic accelerators installable per year (infinite without a limit).
    pub domestic_units: Vec<f64>,
    pub providers: usize,
    pub regions: usize,
    /// The user's own hardware capital per planned provider and year, USD bn (zero rows for a
    /// provider the planner may not use or that is fixed): what near-ties are broken towards.
    pub own_usd_b: Vec<Vec<f64>>,
    /// Whether near-ties are broken towards `own_usd_b` (a plan; not a frontier point, which
    /// must be the exact least-cost plan at its price).
    pub near_own: bool,
}

/// Near-ties are broken towards the user's own allocation: each USD bn a provider's yearly
/// hardware capital moves away from the user's costs this share of a typical column's objective
/// coefficient (0.1%: moving all of a $1T plan to other providers costs ~0.1% of its objective).
/// The reported objective leaves it out.
const STAY_NEAR_OWN: f64 = 1e-3;

impl Program {
    /// Builds the columns of a valid scenario, for the providers in `allowed` (by index). A
    /// provider that offers no AI capacity (conventional IT) is not planned: its columns are
    /// fixed at the capital the scenario's own simulation, `own`, gives it. With `prune`, columns
    /// another one dominates are left out (see [`without_dominated`]): the program to solve; without,
    /// every purchase the planner could make has its column (to evaluate any allocation).
    pub(crate) fn new(s: &Scenario, allowed: &[bool], own: &crate::results::Results, prune: bool) -> Program {
        let m = Model::new(s);
        let (np, nr, _) = m.dims();
        let years = (s.end_year - s.start_year + 1).max(0) as usize;
        let nq = m.quarters.len();
        let lq = m.lifetime_q as i64;
        // Quarters run in each year `t` and the share installed at the end, per USD of year `y`.
        let mut run_quarters = vec![vec![0.0; years]; years];
        let mut alive = vec![vec![0.0; years]; years];
        for (y, row) in run_quarters.iter_mut().enumerate() {
            for k in 0..4i64 {
                let bought = y as i64 * 4 + k;
                let retires = bought + lq;
                for q in bought..retires.min(nq as i64) {
                    row[(q / 4) as usize] += 0.25;
                }
                for (t, share) in alive[y].iter_mut().enumerate() {
                    let year_end = 4 * t as i64 + 3;
                    if bought <= year_end && retires > year_end {
                        *share += 0.25;
                    }
                }
            }
        }
        let market = m.carbon_basis == CarbonBasis::Market;
        let mut columns = Vec::new();
        let fixed_provider = |p: usize| m.prov[p].offers.iter().all(|&a| m.acc[a].h100e == 0.0);
        // The user's own capital per (provider, region, accelerator, year) for fixed providers.
        let mut own_capital: std::collections::BTreeMap<(usize, usize, usize, usize), f64> =
            std::collections::BTreeMap::new();
        for cell in &own.cells {
            if allowed.get(cell.provider).copied().unwrap_or(false) && fixed_provider(cell.provider) {
                for (q, added) in cell.added.iter().enumerate() {
                    let usd_b = added * m.acc[cell.accelerator].price_usd * 1e-9;
                    *own_capital.entry((cell.provider, cell.region, cell.accelerator, q / 4)).or_default() +=
                        usd_b;
                }
            }
        }
        for (p, prov) in m.prov.iter().enumerate() {
            if !allowed.get(p).copied().unwrap_or(false) {
                continue;
            }
            let cells: Vec<(usize, usize, usize)> = if fixed_provider(p) {
                own_capital
                    .keys()
                    .filter(|k| k.0 == p && own_capital[k] > 0.0)
                    .map(|k| (k.1, k.2, k.3))
                    .collect()
            } else {
                prov.regions
                    .iter()
                    .flat_map(|&(r, _)| {
                        prov.offers.iter().flat_map(move |&a| (0..years).map(move |y| (r, a, y)))
                    })
                    .collect()
            };
            for (r, a, y) in cells {
                let (acc, reg) = (&m.acc[a], &m.reg[r]);
                let fixed = fixed_provider(p).then(|| own_capital.get(&(p, r, a, y)).copied().unwrap_or(0.0));
                if fixed.is_none() && acc.first_q > m.start_q + 4 * y as i64 {
                    continue;
                }
                let cap_rule = match m.decision(y, r, a) {
                    Decision::Ban if fixed.is_none() => continue,
                    Decision::Cap(k) => Some(k),
                    _ => None,
                };
                let n = 1e9 / acc.price_usd;
                let draw_gw = n * acc.it_w * m.draw * prov.pue * 1e-9;
                let (mut energy_cost, mut operational, mut h100e_years) = (0.0, 0.0, 0.0);
                for (t, quarters) in run_quarters[y].iter().enumerate().filter(|(_, q)| **q > 0.0) {
                    let twh = draw_gw * HOURS_PER_QUARTER * quarters * 1e-3;
                    energy_cost += twh * reg.price_usd_per_mwh * 1e-3;
                    let location = twh * reg.intensity_by_year[t] * 1e-3;
                    operational += if market { location * (1.0 - prov.cfe) } else { location };
                    h100e_years += n * acc.h100e * quarters / 4.0;
                }
                columns.push(Column {
                    p,
                    r,
                    a,
                    y,
                    h100e: n * acc.h100e,
                    alive_end: alive[y].last().copied().unwrap_or(0.0),
                    alive_by_year: alive[y].clone(),
                    it_gw: n * acc.it_w * 1e-9,
                    energy_cost_usd_b: energy_cost,
                    carbon_mt: operational + n * acc.embodied_kg * 1e-9,
                    carbon_cost_usd_b: operational * m.carbon_price_usd_per_t * 1e-3,
                    h100e_years,
                    cap_rule,
                    domestic_units: if acc.domestic { n } else { 0.0 },
                    fixed,
                });
            }
        }
        let columns = if prune { without_dominated(columns) } else { columns };
        let budget_usd_b = (m.mode == Mode::Budget).then(|| {
            (0..years).map(|y| m.build[4 * y..(4 * y + 4).min(nq)].iter().sum::<f64>() * 1e-9).collect()
        });
        let starting_h100e_by_year: Vec<f64> = (0..years)
            .map(|t| {
                let year_end = m.start_q + 4 * t as i64 + 3;
                m.cohorts
                    .iter()
                    .filter(|(_, retires, _)| *retires > year_end)
                    .map(|(cell, _, count)| count * m.acc[m.uncell(*cell).2].h100e)
                    .sum()
            })
            .collect();
        let starting_h100e_end = starting_h100e_by_year.last().copied().unwrap_or(0.0);

        // Buildings, as the simulation counts them: purchases fill the room the starting fleet
        // leaves in its buildings (each built when its cohort was installed) before new ones.
        let installed_share: Vec<Vec<f64>> = (0..years)
            .map(|y| {
                (0..nq as i64)
                    .map(|q| {
                        (0..4).filter(|k| (4 * y as i64 + k..4 * y as i64 + k + lq).contains(&q)).count()
                            as f64
                            * 0.25
                    })
                    .collect()
            })
            .collect();
        let mut sites: Vec<(usize, usize)> = columns.iter().map(|c| (c.p, c.r)).collect();
        sites.sort_unstable();
        sites.dedup();
        let fq = m.facility_q as i64;
        let rooms = sites
            .iter()
            .map(|&(p, r)| {
                let room = (0..nq as i64)
                    .map(|q| {
                        let now = m.start_q + q;
                        let (mut stock, mut in_use) = (0.0, 0.0);
                        for &(cell, retires, count) in &m.cohorts {
                            let (cp, cr, ca) = m.uncell(cell);
                            if (cp, cr) != (p, r) {
                                continue;
                            }
                            let w = count * m.acc[ca].it_w * 1e-9;
                            if retires - lq + fq > now {
                                stock += w;
                            }
                            if retires > now {
                                in_use += w;
                            }
                        }
                        (stock - in_use).max(0.0)
                    })
                    .collect();
                (p, r, room)
            })
            .collect();
        let builds = sites
            .iter()
            .flat_map(|&(p, r)| {
                let m = &m;
                (0..years).map(move |y| Build {
                    p,
                    r,
                    y,
                    usd_b_per_gw: m.reg[r].capex_usd_per_w,
                    pue: m.prov[p].pue,
                    stands: 4 * y..(4 * y + m.facility_q).min(nq),
                })
            })
            .collect();
        Program {
            columns,
            builds,
            rooms,
            installed_share,
            whole_years: m.lifetime_q.is_multiple_of(4) && m.facility_q.is_multiple_of(4),
            years,
            start_year: s.start_year,
            budget_usd_b,
            starting_h100e_end,
            starting_h100e_by_year,
            region_limits_gw: m.reg.iter().map(|r| r.limit_w_per_year.map(|w| w * 1e-9)).collect(),
            rule_caps: m.rule_caps.clone(),
            domestic_units: m.domestic_units.clone(),
            providers: np,
            regions: nr,
            own_usd_b: {
                let capital = own.series(crate::Metric::CapitalUsdB);
                (0..np)
                    .map(|p| {
                        let planned = allowed.get(p).copied().unwrap_or(false) && !fixed_provider(p);
                        (0..years)
                            .map(|y| {
                                let row = capital.provider(p);
                                if planned { row.iter().skip(4 * y).take(4).sum() } else { 0.0 }
                            })
                            .collect()
                    })
                    .collect()
            },
            near_own: false,
        }
    }
}

/// Which families of constraints are in force; relaxing one at a time tells which conflict.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Active {
    pub target: bool,
    pub budget: bool,
    pub shares: bool,
    pub power: bool,
    pub caps: bool,
}

impl Active {
    const ALL: Active = Active { target: true, budget: true, shares: true, power: true, caps: true };
}

/// The objective of one solve: the settings' own, or the most capacity at the end of a year (to
/// diagnose an unreachable target).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Goal {
    Settings(Objective),
    MaxCapacityAt(usize),
}

/// A family of constraints, for explanations and relaxations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Group {
    /// The capacity path.
    Target,
    /// The yearly budget.
    Budget,
    /// The share bound of one provider.
    Share(usize),
    /// The power limit of one region.
    Power(usize),
    /// An export cap: rule, region.
    Cap(usize, usize),
    /// The year's domestic accelerator supply.
    Supply,
    /// The building room of one site in one quarter: not a constraint anybody chose, never lifted
    /// or explained.
    Room,
}

/// How much a relaxation lifts a group: the target path scaled down, the budget or a cap scaled
/// up, a share bound or a power limit raised by an amount.
const TARGET_RELAX: f64 = 0.95;
const BUDGET_RELAX: f64 = 1.10;
const SHARE_RELAX: f64 = 0.05;
const POWER_RELAX_GW: f64 = 1.0;
const CAP_RELAX: f64 = 1.10;
const SUPPLY_RELAX: f64 = 1.10;

/// A bound lifted by `factor`, or by at least `least` (a bound of zero has no 10% to give).
fn lifted(bound: f64, factor: f64, least: f64) -> f64 {
    (bound * factor).max(bound + least)
}

/// One constraint row: `Σ coefficient × x[column] (≥ or ≤) rhs`.
struct Row {
    group: Group,
    year: usize,
    terms: Vec<(usize, f64)>,
    at_least: bool,
    rhs: f64,
}

/// The constraint rows in force, with `relax` lifting one group.
fn rows(
    prog: &Program,
    settings: &PlanSettings,
    path_h100e: &[f64],
    active: Active,
    relax: Option<Group>,
) -> Vec<Row> {
    let mut out = Vec::new();
    let cols = || prog.columns.iter().enumerate();
    if active.target && settings.objective != Objective::MaxCompute {
        let scale = if relax == Some(Group::Target) { TARGET_RELAX } else { 1.0 };
        for (t, target) in path_h100e.iter().enumerate() {
            let need = target * scale - prog.starting_h100e_by_year[t];
            if need > 0.0 {
                let terms = cols()
                    .filter(|(_, c)| c.alive_by_year[t] > 0.0)
                    .map(|(i, c)| (i, c.h100e * c.alive_by_year[t]));
                out.push(Row {
                    group: Group::Target,
                    year: t,
                    terms: terms.collect(),
                    at_least: true,
                    rhs: need,
                });
            }
        }
    }
    let nc = prog.columns.len();
    for y in 0..prog.years {
        let year = || cols().filter(move |(_, c)| c.y == y);
        let builds =
            || prog.builds.iter().enumerate().filter(move |(_, b)| b.y == y).map(|(j, b)| (nc + j, b));
        if active.budget
            && (settings.respect_budget || settings.objective != Objective::MinCost)
            && let Some(budget) = &prog.budget_usd_b
        {
            let rhs =
                if relax == Some(Group::Budget) { lifted(budget[y], BUDGET_RELAX, 1.0) } else { budget[y] };
            let terms =
                year().map(|(i, _)| (i, 1.0)).chain(builds().map(|(i, b)| (i, b.usd_b_per_gw))).collect();
            out.push(Row { group: Group::Budget, year: y, terms, at_least: false, rhs });
        }
        if active.shares && settings.max_provider_share < 1.0 {
            // Shares of the planned (AI) hardware capital: fixed columns are not part of it, and
            // buildings follow the hardware (counted, empty buildings could dilute a share).
            let capital = || year().filter(|(_, c)| c.fixed.is_none()).map(|(i, c)| (i, c.p, 1.0));
            for p in 0..prog.providers {
                if !capital().any(|(_, q, _)| q == p) {
                    continue;
                }
                let share = settings.max_provider_share
                    + if relax == Some(Group::Share(p)) { SHARE_RELAX } else { 0.0 };
                // share × Σ x − Σ_p x ≥ 0: provider p's capital is at most `share` of the year's.
                let terms =
                    capital().map(|(i, q, k)| (i, k * if q == p { share - 1.0 } else { share })).collect();
                out.push(Row { group: Group::Share(p), year: y, terms, at_least: true, rhs: 0.0 });
            }
        }
        if active.power {
            for r in 0..prog.regions {
                let limit = match (prog.region_limits_gw[r], settings.power_limit_gw_per_region_year) {
                    (Some(a), Some(b)) => a.min(b),
                    (a, b) => match a.or(b) {
                        Some(l) => l,
                        None => continue,
                    },
                };
                let extra = if relax == Some(Group::Power(r)) { POWER_RELAX_GW } else { 0.0 };
                // New design facility power: the buildings the region's sites build in the year.
                let terms: Vec<(usize, f64)> =
                    builds().filter(|(_, b)| b.r == r).map(|(i, b)| (i, b.pue)).collect();
                if !terms.is_empty() {
                    out.push(Row {
                        group: Group::Power(r),
                        year: y,
                        terms,
                        at_least: false,
                        rhs: limit + extra,
                    });
                }
            }
        }
        if active.caps {
            for (k, cap) in prog.rule_caps.iter().enumerate() {
                let Some(cap) = cap else { continue };
                for r in 0..prog.regions {
                    let rhs =
                        if relax == Some(Group::Cap(k, r)) { lifted(*cap, CAP_RELAX, 1000.0) } else { *cap };
                    let terms: Vec<(usize, f64)> = year()
                        .filter(|(_, c)| c.r == r && c.cap_rule == Some(k))
                        .map(|(i, c)| (i, c.h100e))
                        .collect();
                    if !terms.is_empty() {
                        out.push(Row { group: Group::Cap(k, r), year: y, terms, at_least: false, rhs });
                    }
                }
            }
            // The domestic supply: domestic accelerators bought in the year, all regions together.
            let supply = prog.domestic_units[y];
            let terms: Vec<(usize, f64)> =
                year().filter(|(_, c)| c.domestic_units > 0.0).map(|(i, c)| (i, c.domestic_units)).collect();
            if supply.is_finite() && !terms.is_empty() {
                let rhs =
                    if relax == Some(Group::Supply) { lifted(supply, SUPPLY_RELAX, 1000.0) } else { supply };
                out.push(Row { group: Group::Supply, year: y, terms, at_least: false, rhs });
            }
        }
    }
    // Building room, every quarter: what the site's purchases have installed fits in the room the
    // starting fleet leaves plus the buildings standing.
    // With lifetimes in whole years, what a site has installed is linear within a year and its
    // buildings are constant, so the room can only be short at a year's first or last quarter or
    // where the starting fleet's room changes: only those quarters get a row.
    for (p, r, room) in &prog.rooms {
        for (q, free) in room.iter().enumerate() {
            let inner = q % 4 == 1 || q % 4 == 2;
            let steady = q > 0 && room[q - 1] == *free && room.get(q + 1).is_none_or(|next| next == free);
            if prog.whole_years && inner && steady {
                continue;
            }
            let mut terms: Vec<(usize, f64)> = cols()
                .filter(|(_, c)| c.p == *p && c.r == *r)
                .map(|(i, c)| (i, c.it_gw * prog.installed_share[c.y][q]))
                .filter(|(_, k)| *k > 0.0)
                .collect();
            if terms.is_empty() {
                continue;
            }
            terms.extend(
                prog.builds
                    .iter()
                    .enumerate()
                    .filter(|(_, b)| b.p == *p && b.r == *r && b.stands.contains(&q))
                    .map(|(j, _)| (nc + j, -1.0)),
            );
            out.push(Row { group: Group::Room, year: q / 4, terms, at_least: false, rhs: *free });
        }
    }
    out
}

/// The objective's coefficient of building variable `b` in `years` years: its capital for least
/// cost, nothing otherwise; plus a tie-break a ten-millionth of its capital, larger the earlier it
/// is built, so that among plans equal in every other respect buildings come when the purchases
/// need them, as in the simulation.
fn build_coefficient(goal: Goal, b: &Build, years: usize) -> (f64, f64) {
    let tie = 1e-7 * b.usd_b_per_gw * (1 + years - b.y) as f64;
    match goal {
        Goal::Settings(Objective::MinCost) => (b.usd_b_per_gw, b.usd_b_per_gw + tie),
        Goal::Settings(Objective::MinCarbon) => (0.0, tie),
        Goal::Settings(Objective::MaxCompute) | Goal::MaxCapacityAt(_) => (0.0, -tie),
    }
}

/// Solves the program with the given rows; returns the value of every variable (columns, then
/// buildings) and the objective (without the buildings' tie-break).
fn solve_rows(prog: &Program, goal: Goal, rows: &[Row]) -> Result<(Vec<f64>, f64), microlp::Error> {
    let direction = match goal {
        Goal::Settings(Objective::MaxCompute) | Goal::MaxCapacityAt(_) => OptimizationDirection::Maximize,
        Goal::Settings(_) => OptimizationDirection::Minimize,
    };
    let mut lp = Problem::new(direction);
    let mut exact = Vec::with_capacity(prog.columns.len() + prog.builds.len());
    let mut vars: Vec<Variable> = prog
        .columns
        .iter()
        .map(|c| {
            let coefficient = match goal {
                Goal::Settings(Objective::MinCost) => 1.0 + c.energy_cost_usd_b + c.carbon_cost_usd_b,
                Goal::Settings(Objective::MaxCompute) => c.h100e_years,
                Goal::Settings(Objective::MinCarbon) => c.carbon_mt,
                Goal::MaxCapacityAt(t) => c.h100e * c.alive_by_year[t],
            };
            exact.push(coefficient);
            lp.add_var(coefficient, c.fixed.map_or((0.0, f64::INFINITY), |v| (v, v)))
        })
        .collect();
    for b in &prog.builds {
        let (coefficient, with_tie) = build_coefficient(goal, b, prog.years);
        exact.push(coefficient);
        vars.push(lp.add_var(with_tie, (0.0, f64::INFINITY)));
    }
    for row in rows {
        let terms: Vec<(Variable, f64)> = row.terms.iter().map(|(i, a)| (vars[*i], *a)).collect();
        let op = if row.at_least { ComparisonOp::Ge } else { ComparisonOp::Le };
        lp.add_constraint(terms.as_slice(), op, row.rhs);
    }
    if prog.near_own
        && let Goal::Settings(objective) = goal
    {
        stay_near_own(prog, objective, &exact, &vars, &mut lp);
    }
    let solution = lp.solve()?;
    let values: Vec<f64> = vars.iter().map(|v| solution[*v].max(0.0)).collect();
    let objective = values.iter().zip(&exact).map(|(x, k)| x * k).sum();
    Ok((values, objective))
}

/// Adds the near-tie breaker: for each planned provider and year, the provider's hardware capital
/// minus the user's own share of that year times the year's planned capital,
/// `x_p − share_p × Σ x − over + under = 0`, with `over, under ≥ 0` costing [`STAY_NEAR_OWN`] × a
/// typical column's coefficient each (in the objective's direction): among plans (nearly) as good,
/// the one whose split between providers is closest to the user's own wins, year by year.
fn stay_near_own(prog: &Program, objective: Objective, exact: &[f64], vars: &[Variable], lp: &mut Problem) {
    let planned: Vec<f64> = (prog.columns.iter().zip(exact))
        .filter(|(c, _)| c.fixed.is_none())
        .map(|(_, k)| k.abs())
        .filter(|k| *k > 0.0)
        .collect();
    if planned.is_empty() {
        return;
    }
    let typical = planned.iter().sum::<f64>() / planned.len() as f64;
    let penalty = STAY_NEAR_OWN
        * typical
        * match objective {
            Objective::MaxCompute => -1.0,
            Objective::MinCost | Objective::MinCarbon => 1.0,
        };
    for y in 0..prog.years {
        let own_total: f64 = prog.own_usd_b.iter().map(|row| row[y]).sum();
        if own_total <= 0.0 {
            continue;
        }
        let year: Vec<(usize, usize)> = (prog.columns.iter().enumerate())
            .filter(|(_, c)| c.y == y && c.fixed.is_none())
            .map(|(i, c)| (i, c.p))
            .collect();
        for (p, own) in prog.own_usd_b.iter().enumerate() {
            if !year.iter().any(|&(_, q)| q == p) {
                continue;
            }
            let share = own[y] / own_total;
            let mut terms: Vec<(Variable, f64)> =
                year.iter().map(|&(i, q)| (vars[i], if q == p { 1.0 - share } else { -share })).collect();
            let over = lp.add_var(penalty, (0.0, f64::INFINITY));
            let under = lp.add_var(penalty, (0.0, f64::INFINITY));
            terms.push((over, -1.0));
            terms.push((under, 1.0));
            lp.add_constraint(terms.as_slice(), ComparisonOp::Eq, 0.0);
        }
    }
}

/// Solves the program; returns the capital per column and the objective value.
fn solve(
    prog: &Program,
    settings: &PlanSettings,
    path_h100e: &[f64],
    goal: Goal,
    active: Active,
) -> Result<(Vec<f64>, f64), microlp::Error> {
    let active = Active { target: active.target && matches!(goal, Goal::Settings(_)), ..active };
    solve_rows(prog, goal, &rows(prog, settings, path_h100e, active, None))
}

/// Which providers (by index) the plan may use: the settings' list, or the scenario's own.
fn allowed_providers(s: &Scenario, settings: &PlanSettings) -> Result<Vec<bool>, PlanError> {
    if let Some(unknown) = settings.providers.iter().find(|id| s.provider_index(id).is_none()) {
        return Err(PlanError::Settings(
            Message::new("plan.err.no_provider")
                .text("id", unknown.to_string())
                .text("known", s.providers.iter().map(|p| p.id.as_str()).collect::<Vec<_>>().join(", ")),
        ));
    }
    let allowed: Vec<bool> = s
        .providers
        .iter()
        .map(|p| {
            if settings.providers.is_empty() {
                s.provider_shares_pct.values().any(|k| k.get(&p.id).is_some_and(|v| *v > 0.0))
                    || matches!(&s.build_out, crate::scenario::BuildOut::Deals(book)
                        if book.deals.iter().any(|d| d.provider == p.id && d.amount_usd_b > 0.0))
            } else {
                settings.providers.contains(&p.id)
            }
        })
        .collect();
    if allowed.iter().any(|a| *a) {
        Ok(allowed)
    } else {
        Err(PlanError::Settings(Message::new("plan.err.one_provider")))
    }
}

/// Checks the settings against the scenario.
fn check(s: &Scenario, settings: &PlanSettings, prog: &Program) -> Result<(), PlanError> {
    let share = settings.max_provider_share;
    if !(share.is_finite() && share > 0.0 && share <= 1.0) {
        return Err(PlanError::Settings(
            Message::new("plan.err.share").written("v", (share * 100.0).to_string()),
        ));
    }
    if let Some(limit) = settings.power_limit_gw_per_region_year
        && !(limit.is_finite() && limit >= 0.0)
    {
        return Err(PlanError::Settings(Message::new("plan.err.power").written("v", limit.to_string())));
    }
    if let Some(target) = settings.capacity_target_h100e
        && !(target.is_finite() && target >= 0.0)
    {
        return Err(PlanError::Settings(Message::new("plan.err.target").written("v", target.to_string())));
    }
    let needs_budget = settings.objective != Objective::MinCost || settings.respect_budget;
    if needs_budget && prog.budget_usd_b.is_none() {
        let id = if settings.objective == Objective::MinCost {
            "plan.err.budget_or_off"
        } else {
            "plan.err.budget"
        };
        return Err(PlanError::Settings(Message::new(id).text("name", s.name.clone())));
    }
    Ok(())
}

/// A rise in carbon or water over the span worth a warning, as a share of the user's own.
const WARN_RISE: f64 = 0.10;
/// A rise in the share of capacity outside the US and its close allies worth a warning, points.
const WARN_EXPOSURE_POINTS: f64 = 5.0;
/// A share bound whose lifting changes the objective by less than this share of it marks a near-tie.
const NEAR_TIE: f64 = 0.002;

/// What a plan trades for its objective, and where it is a near-tie, in plain sentences: a rise
/// in operational carbon or water against the user's own scenario, more capacity exposed to export
/// rules, and share bounds whose lifting would barely move the objective.
pub fn review(plan: &Plan, own: &crate::Results, planned: &crate::Results) -> Vec<String> {
    review_said(plan, own, planned).iter().map(Message::english).collect()
}

/// [`review`] as messages, for a page that words them in the reader's language.
pub fn review_said(plan: &Plan, own: &crate::Results, planned: &crate::Results) -> Vec<Message> {
    let (a, b) = (&own.summary, &planned.summary);
    let mut out = Vec::new();
    for (id, before, after) in [
        ("plan.review.carbon", a.carbon_location_mt_total, b.carbon_location_mt_total),
        ("plan.review.water", a.water_gl_total, b.water_gl_total),
    ] {
        if before > 0.0 && after > before * (1.0 + WARN_RISE) {
            out.push(
                Message::new(id)
                    .written("pct", format!("{:.0}", 100.0 * (after / before - 1.0)))
                    .number("after", after)
                    .number("before", before),
            );
        }
    }
    for (g, id) in [(2, "plan.review.middle"), (3, "plan.review.embargoed")] {
        let (before, after) = (a.group_share_pct_end[g], b.group_share_pct_end[g]);
        if after > before + WARN_EXPOSURE_POINTS {
            out.push(
                Message::new(id)
                    .written("after", format!("{after:.0}"))
                    .written("before", format!("{before:.0}")),
            );
        }
    }
    let unit = match plan.settings.objective {
        Objective::MinCost => "plan.unit.cost",
        Objective::MaxCompute => "plan.unit.compute",
        Objective::MinCarbon => "plan.unit.carbon",
    };
    for bnd in plan.binding.iter().filter(|b| b.kind == "provider_share") {
        if let Some(change) = bnd.objective_change
            && change.abs() < NEAR_TIE * plan.objective_value.abs().max(1e-12)
        {
            let provider = bnd.said.args.iter().find_map(|(_, arg)| match arg {
                crate::message::Arg::Part(m) => {
                    m.args.iter().find(|(n, _)| *n == "provider").map(|(_, a)| a.clone())
                }
                _ => None,
            });
            let mut said = Message::new("plan.review.tie")
                .number("v", change.abs())
                .part("unit", Message::new(unit))
                .written("pct", format!("{:.2}", 100.0 * change.abs() / plan.objective_value.abs()));
            said.args.push(("provider", provider.unwrap_or(crate::message::Arg::Text(bnd.subject.clone()))));
            out.push(said);
        }
    }
    out
}

/// Capital by id (a region or an accelerator), USD bn, largest first.
pub type Totals = Vec<(String, f64)>;

/// The plan's capital by region and by accelerator, USD bn, largest first: where the money goes.
pub fn where_money_goes(plan: &Plan) -> (Totals, Totals) {
    let mut by_region: std::collections::BTreeMap<&str, f64> = std::collections::BTreeMap::new();
    let mut by_chip: std::collections::BTreeMap<&str, f64> = std::collections::BTreeMap::new();
    for p in &plan.purchases {
        *by_region.entry(&p.region).or_default() += p.capital_usd_b;
        *by_chip.entry(&p.accelerator).or_default() += p.capital_usd_b;
    }
    let sorted = |m: std::collections::BTreeMap<&str, f64>| {
        let mut v: Vec<(String, f64)> = m.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        v.sort_by(|a, b| b.1.total_cmp(&a.1));
        v
    };
    (sorted(by_region), sorted(by_chip))
}

/// Plans the scenario's new capital for `settings`. The scenario is validated first; the plan's
/// purchases satisfy every constraint in force.
pub fn plan(s: &Scenario, settings: &PlanSettings) -> Result<Plan, PlanError> {
    let (mut plan, mut explaining) = plan_stepwise(s, settings)?;
    while let Some(step) = explaining.next_binding() {
        plan.binding.extend(step);
    }
    Ok(plan)
}

/// [`plan`] in steps, for a page that must not wait: the plan without its explanation (one
/// solve), and an [`Explaining`] that works out one binding constraint family per call.
pub fn plan_stepwise(s: &Scenario, settings: &PlanSettings) -> Result<(Plan, Explaining), PlanError> {
    let (plan, prog, path, x) = solve_plan(s, settings, true)?;
    let groups = binding_groups(&prog, settings, &path, &x);
    let explaining = Explaining {
        s: s.clone(),
        settings: settings.clone(),
        prog,
        path,
        value: plan.objective_value,
        groups,
        next: 0,
    };
    Ok((plan, explaining))
}

/// The explanation of a plan, one binding constraint family at a time (each one more solve).
pub struct Explaining {
    s: Scenario,
    settings: PlanSettings,
    prog: Program,
    path: Vec<f64>,
    value: f64,
    groups: Vec<(Group, Vec<usize>)>,
    next: usize,
}

impl Explaining {
    /// Works out the next binding family: `None` when done; `Some(None)` for a family that is
    /// tight but free (lifting it changes nothing), which is not worth a sentence.
    pub fn next_binding(&mut self) -> Option<Option<Binding>> {
        let (group, years) = self.groups.get(self.next)?.clone();
        self.next += 1;
        let lifted = rows(&self.prog, &self.settings, &self.path, Active::ALL, Some(group));
        let change = solve_rows(&self.prog, Goal::Settings(self.settings.objective), &lifted)
            .ok()
            .map(|(_, v)| v - self.value);
        let years: Vec<i32> = years.into_iter().map(|y| self.prog.start_year + y as i32).collect();
        let b = binding(&self.s, &self.settings, group, years, change, self.value);
        Some(b.objective_change.is_none_or(|d| d.abs() > 1e-9 * self.value.abs().max(1.0)).then_some(b))
    }

    /// Families left to work out.
    pub fn remaining(&self) -> usize {
        self.groups.len() - self.next
    }
}

/// [`plan`] without the explanation: the plan, with the program, path and solution it came from.
fn solve_plan(
    s: &Scenario,
    settings: &PlanSettings,
    near_own: bool,
) -> Result<(Plan, Program, Vec<f64>, Vec<f64>), PlanError> {
    let problems = validate(s);
    if !problems.is_empty() {
        return Err(PlanError::Invalid(problems));
    }
    let allowed = allowed_providers(s, settings)?;
    let own = crate::sim::run_unchecked(s);
    let mut prog = Program::new(s, &allowed, &own, true);
    prog.near_own = near_own;
    check(s, settings, &prog)?;
    let planned: std::collections::BTreeSet<usize> =
        prog.columns.iter().filter(|c| c.fixed.is_none()).map(|c| c.p).collect();
    let count = planned.len().max(1);
    if settings.max_provider_share * (count as f64) < 1.0 - 1e-9 {
        return Err(PlanError::Infeasible(
            Message::new("plan.err.shares_too_low")
                .text("count", count.to_string())
                .written("share", format!("{:.0}", settings.max_provider_share * 100.0))
                .written("min", format!("{:.1}", 100.0 / count as f64)),
        ));
    }
    let path = capacity_path(&own, settings, &prog);
    let (x, objective_value) =
        match solve(&prog, settings, &path, Goal::Settings(settings.objective), Active::ALL) {
            Ok(solved) => solved,
            Err(microlp::Error::Infeasible) => return Err(explain_infeasible(&prog, settings, &path)),
            Err(microlp::Error::Unbounded) => {
                return Err(PlanError::Unbounded(Message::new("plan.err.unbounded")));
            }
            Err(microlp::Error::InternalError(message)) => {
                return Err(PlanError::Solver(Message::new("plan.err.solver").text("why", message)));
            }
        };
    let plan = summarise(s, &prog, settings, path.clone(), &x, objective_value);
    Ok((plan, prog, path, x))
}

/// The carbon prices of the cost–carbon frontier, USD per tonne (23 points, denser where plans
/// change most).
pub const FRONTIER_PRICES_USD_PER_T: [f64; 23] = [
    0.0, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 65.0, 80.0, 100.0, 125.0, 150.0, 175.0, 200.0, 250.0,
    300.0, 350.0, 400.0, 500.0, 600.0, 800.0, 1000.0,
];

/// One point of the cost–carbon trade-off: what a plan (or the user's own allocation) costs
/// without any carbon charge, and what it emits.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct FrontierPoint {
    /// The carbon price the plan was optimised for, USD per tonne (the scenario's own for the
    /// user's point).
    pub carbon_price_usd_per_t: f64,
    /// Capital plus energy cost of the new purchases over the span, USD bn.
    pub cost_usd_b: f64,
    /// Emissions of the new purchases over the span (operational on the carbon-price basis, plus
    /// embodied), Mt CO2e.
    pub carbon_mt: f64,
}

/// The least-cost plan when carbon is priced at `price`: one point of the frontier. One solve,
/// so a page can compute the frontier a point at a time.
pub fn frontier_point(s: &Scenario, settings: &PlanSettings, price: f64) -> Result<FrontierPoint, PlanError> {
    let priced = Scenario { carbon_price_usd_per_t: price, ..s.clone() };
    let settings = PlanSettings { objective: Objective::MinCost, ..settings.clone() };
    let p = solve_plan(&priced, &settings, false)?.0;
    Ok(FrontierPoint {
        carbon_price_usd_per_t: price,
        cost_usd_b: p.capital_usd_b + p.energy_cost_usd_b,
        carbon_mt: p.carbon_mt,
    })
}

/// The cost–carbon frontier: the least-cost plan at each of [`FRONTIER_PRICES_USD_PER_T`].
/// Prices whose program has no solution are left out.
pub fn frontier(s: &Scenario, settings: &PlanSettings) -> Vec<FrontierPoint> {
    FRONTIER_PRICES_USD_PER_T.iter().filter_map(|&price| frontier_point(s, settings, price).ok()).collect()
}

/// The user's own allocation as a frontier point, from the simulation: the scenario minus the
/// same scenario without new purchases (so the starting fleet cancels out). The planner's
/// accounting is the simulation's, so the point sits on the same axes as the plans.
pub fn own_point(s: &Scenario) -> Result<FrontierPoint, PlanError> {
    let problems = validate(s);
    if !problems.is_empty() {
        return Err(PlanError::Invalid(problems));
    }
    let with = crate::sim::run_unchecked(s).summary;
    // No purchases at all (a capacity path scaled to 0 would still replace retiring hardware).
    let without = crate::sim::run_unchecked(&Scenario {
        build_out: crate::scenario::BuildOut::Planned(Vec::new()),
        ..s.clone()
    })
    .summary;
    let carbon = |x: &crate::results::Summary| {
        let operational = match s.carbon_price_basis {
            CarbonBasis::Location => x.carbon_location_mt_total,
            CarbonBasis::Market => x.carbon_market_mt_total,
        };
        operational + x.embodied_carbon_mt_total
    };
    Ok(FrontierPoint {
        carbon_price_usd_per_t: s.carbon_price_usd_per_t,
        cost_usd_b: (with.capital_usd_b_total + with.energy_cost_usd_b_total)
            - (without.capital_usd_b_total + without.energy_cost_usd_b_total),
        carbon_mt: carbon(&with) - carbon(&without),
    })
}

/// The scenario with the plan as its build-out (see [`crate::scenario::BuildOut::Planned`]):
/// every purchase, its capital rounded down to USD 1 million so that links stay short, and a
/// build-out multiplier of 1. Everything else is kept, so the simulation of the result is the plan
/// under the scenario's own rules.
pub fn apply(s: &Scenario, plan: &Plan) -> Scenario {
    let purchases = plan
        .purchases
        .iter()
        .map(|p| crate::scenario::PlannedPurchase {
            year: p.year,
            provider: p.provider.clone(),
            region: p.region.clone(),
            accelerator: p.accelerator.clone(),
            // The hardware: the simulation buys the buildings as they are needed. Down, so a
            // purchase at a binding cap or power limit stays within it.
            capital_usd_b: (p.hardware_usd_b * 1000.0).floor() / 1000.0,
        })
        .filter(|p| p.capital_usd_b > 0.0)
        .collect();
    Scenario { build_out: crate::scenario::BuildOut::Planned(purchases), build_out_scale: 1.0, ..s.clone() }
}

/// The objective of any allocation in the planner's accounting (to compare a plan with another
/// allocation), each purchase's capital all-in and all of it in new buildings. Purchases the planner could not make — a provider, region, accelerator or year
/// without a column (not offered, not available, banned, provider not allowed) — are an error.
pub fn evaluate(s: &Scenario, settings: &PlanSettings, purchases: &[Purchase]) -> Result<f64, PlanError> {
    let problems = validate(s);
    if !problems.is_empty() {
        return Err(PlanError::Invalid(problems));
    }
    let prog = Program::new(s, &allowed_providers(s, settings)?, &crate::sim::run_unchecked(s), false);
    let mut value = 0.0;
    for p in purchases {
        let index = |ids: &[String], id: &str| ids.iter().position(|x| x == id);
        let provider_ids: Vec<String> = s.providers.iter().map(|x| x.id.clone()).collect();
        let region_ids: Vec<String> = s.regions.iter().map(|x| x.id.clone()).collect();
        let accel_ids: Vec<String> = s.accelerators.iter().map(|x| x.id.clone()).collect();
        let found = prog.columns.iter().find(|c| {
            Some(c.p) == index(&provider_ids, &p.provider)
                && Some(c.r) == index(&region_ids, &p.region)
                && Some(c.a) == index(&accel_ids, &p.accelerator)
                && prog.start_year + c.y as i32 == p.year
        });
        let Some(c) = found else {
            return Err(PlanError::Settings(
                Message::new("plan.err.cannot_buy")
                    .text("provider", p.provider.clone())
                    .text("accelerator", p.accelerator.clone())
                    .text("region", p.region.clone())
                    .text("year", p.year.to_string()),
            ));
        };
        // The purchase's capital is all-in: as if all of it went into new buildings (what the
        // planner's accounting costs it at most), the hardware part is price ÷ unit capex of it.
        let acc = &s.accelerators[c.a];
        let hardware = p.capital_usd_b * acc.price_usd
            / (acc.price_usd + acc.it_power_w * s.regions[c.r].facility_capex_usd_per_w);
        value += hardware
            * match settings.objective {
                Objective::MinCost => 1.0 + c.energy_cost_usd_b + c.carbon_cost_usd_b,
                Objective::MaxCompute => c.h100e_years,
                Objective::MinCarbon => c.carbon_mt,
            };
    }
    Ok(value)
}

/// Most lifted programs solved to explain one plan (each is one more solve).
const MAX_EXPLAINED: usize = 8;

/// The families of constraints that hold with equality in a solution, with the years they do.
fn binding_groups(
    prog: &Program,
    settings: &PlanSettings,
    path: &[f64],
    x: &[f64],
) -> Vec<(Group, Vec<usize>)> {
    let all = rows(prog, settings, path, Active::ALL, None);
    // Planned (not fixed) capital per year: what share rows are about.
    let year_total: Vec<f64> = (0..prog.years)
        .map(|y| {
            prog.columns.iter().zip(x).filter(|(c, _)| c.y == y && c.fixed.is_none()).map(|(_, v)| v).sum()
        })
        .collect();
    let mut groups: std::collections::BTreeMap<Group, Vec<usize>> = std::collections::BTreeMap::new();
    for row in &all {
        let lhs: f64 = row.terms.iter().map(|(i, a)| a * x[*i]).sum();
        let tight = (lhs - row.rhs).abs() <= 1e-7 * row.rhs.abs().max(1.0);
        // A share bound in a year with no capital binds trivially; say nothing about it. Building
        // room is how buildings work, not a constraint anyone chose.
        let idle = matches!(row.group, Group::Share(_)) && year_total[row.year] <= 1e-9;
        if tight && !idle && row.group != Group::Room {
            groups.entry(row.group).or_default().push(row.year);
        }
    }
    groups.into_iter().take(MAX_EXPLAINED).collect()
}

/// One binding group as a sentence.
fn binding(
    s: &Scenario,
    settings: &PlanSettings,
    group: Group,
    years: Vec<i32>,
    change: Option<f64>,
    value: f64,
) -> Binding {
    let when = year_ranges(&years);
    let share = settings.max_provider_share * 100.0;
    let pct = |v: f64| format!("{v:.0}");
    let (kind, subject, what, lift) = match group {
        Group::Target => (
            "capacity_path",
            String::new(),
            Message::new("plan.what.target"),
            Message::new("plan.lift.target"),
        ),
        Group::Budget => {
            ("budget", String::new(), Message::new("plan.what.budget"), Message::new("plan.lift.raise"))
        }
        Group::Share(p) => {
            let (id, name) = (&s.providers[p].id, s.providers[p].name.clone());
            (
                "provider_share",
                name.clone(),
                Message::new("plan.what.share")
                    .written("share", pct(share))
                    .name("provider", "provider", id, &name),
                Message::new("plan.lift.share").written("share", pct(share + SHARE_RELAX * 100.0)),
            )
        }
        Group::Power(r) => {
            let (id, name) = (&s.regions[r].id, s.regions[r].name.clone());
            (
                "power_limit",
                name.clone(),
                Message::new("plan.what.power").name("region", "region", id, &name),
                Message::new("plan.lift.power"),
            )
        }
        Group::Cap(_, r) => {
            let (id, name) = (&s.regions[r].id, s.regions[r].name.clone());
            (
                "export_cap",
                name.clone(),
                Message::new("plan.what.cap").name("region", "region", id, &name),
                Message::new("plan.lift.raise"),
            )
        }
        Group::Supply => (
            "domestic_supply",
            String::new(),
            Message::new("plan.what.supply"),
            Message::new("plan.lift.raise"),
        ),
        Group::Room => {
            ("building_room", String::new(), Message::new("plan.what.room"), Message::new("plan.lift.room"))
        }
    };
    let effect = match change {
        None => Message::new("plan.effect.unknown"),
        Some(d) if d.abs() <= 1e-9 * value.abs().max(1.0) => Message::new("plan.effect.nothing"),
        Some(d) => {
            let id = match (settings.objective, d < 0.0) {
                (Objective::MinCost, true) => "plan.effect.save",
                (Objective::MinCost, false) => "plan.effect.cost",
                (Objective::MaxCompute, false) => "plan.effect.add_compute",
                (Objective::MaxCompute, true) => "plan.effect.lose_compute",
                (Objective::MinCarbon, true) => "plan.effect.cut_carbon",
                (Objective::MinCarbon, false) => "plan.effect.add_carbon",
            };
            Message::new(id).number("v", d.abs())
        }
    };
    let said = Message::new("plan.binds")
        .part("what", what)
        .text("when", when)
        .part("lift", lift)
        .part("effect", effect);
    Binding { kind, subject, years, objective_change: change, sentence: said.english(), said }
}

/// Years as ranges: `2027–2029, 2031`.
fn year_ranges(years: &[i32]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < years.len() {
        let mut j = i;
        while j + 1 < years.len() && years[j + 1] == years[j] + 1 {
            j += 1;
        }
        parts.push(if i == j { years[i].to_string() } else { format!("{}–{}", years[i], years[j]) });
        i = j + 1;
    }
    parts.join(", ")
}

/// The capacity the plan must have at the end of each year: the scenario's own, scaled to end at
/// the settings' target.
fn capacity_path(own: &crate::results::Results, settings: &PlanSettings, prog: &Program) -> Vec<f64> {
    let h100e = own.total(crate::results::Metric::H100e);
    let own_path: Vec<f64> = (0..prog.years).map(|t| h100e.get(4 * t + 3).copied().unwrap_or(0.0)).collect();
    let own_end = own_path.last().copied().unwrap_or(0.0);
    match settings.capacity_target_h100e {
        None => own_path,
        Some(target) if own_end > 0.0 => own_path.iter().map(|v| v * target / own_end).collect(),
        // A scenario that ends with nothing: the target at the end only.
        Some(target) => (0..prog.years).map(|t| if t + 1 == prog.years { target } else { 0.0 }).collect(),
    }
}

/// Adds up a solution.
fn summarise(
    s: &Scenario,
    prog: &Program,
    settings: &PlanSettings,
    path: Vec<f64>,
    x: &[f64],
    value: f64,
) -> Plan {
    let target = path.last().copied().unwrap_or(0.0);
    let mut plan = Plan {
        settings: PlanSettings { capacity_target_h100e: Some(target), ..settings.clone() },
        capacity_target_h100e: target,
        capacity_path_h100e: path,
        objective_value: value,
        purchases: Vec::new(),
        capital_usd_b: 0.0,
        building_capital_usd_b: 0.0,
        energy_cost_usd_b: 0.0,
        carbon_cost_usd_b: 0.0,
        carbon_mt: 0.0,
        compute_h100e_years: 0.0,
        capacity_end_h100e: prog.starting_h100e_end,
        binding: Vec::new(),
    };
    // Each site's new buildings of a year, shared among that site-year's purchases by IT power.
    let nc = prog.columns.len();
    let mut built: std::collections::BTreeMap<(usize, usize, usize), (f64, f64)> =
        std::collections::BTreeMap::new();
    for (b, &z) in prog.builds.iter().zip(&x[nc..]) {
        built.entry((b.p, b.r, b.y)).or_default().0 += z * b.usd_b_per_gw;
        plan.building_capital_usd_b += z * b.usd_b_per_gw;
        plan.capital_usd_b += z * b.usd_b_per_gw;
    }
    for (c, &v) in prog.columns.iter().zip(x) {
        built.entry((c.p, c.r, c.y)).or_default().1 += v * c.it_gw;
    }
    for (c, &v) in prog.columns.iter().zip(x) {
        if v <= 1e-9 {
            continue;
        }
        let (usd, it_gw) = built.get(&(c.p, c.r, c.y)).copied().unwrap_or_default();
        let buildings = if it_gw > 0.0 { usd * v * c.it_gw / it_gw } else { 0.0 };
        plan.capital_usd_b += v;
        plan.energy_cost_usd_b += v * c.energy_cost_usd_b;
        plan.carbon_cost_usd_b += v * c.carbon_cost_usd_b;
        plan.carbon_mt += v * c.carbon_mt;
        plan.compute_h100e_years += v * c.h100e_years;
        plan.capacity_end_h100e += v * c.h100e * c.alive_end;
        plan.purchases.push(Purchase {
            provider: s.providers[c.p].id.clone(),
            region: s.regions[c.r].id.clone(),
            accelerator: s.accelerators[c.a].id.clone(),
            year: prog.start_year + c.y as i32,
            capital_usd_b: v + buildings,
            hardware_usd_b: v,
            h100e: v * c.h100e,
        });
    }
    plan.purchases.sort_by(|a, b| {
        (a.year, &a.provider, &a.region, &a.accelerator).cmp(&(
            b.year,
            &b.provider,
            &b.region,
            &b.accelerator,
        ))
    });
    plan
}

/// Names the constraints that make the program infeasible: the first year whose capacity target
/// the other constraints cannot reach, what they can reach, and which constraint, lifted alone,
/// would reach more.
fn explain_infeasible(prog: &Program, settings: &PlanSettings, path: &[f64]) -> PlanError {
    // The most capacity the other constraints allow at the end of year `t`; infinite when nothing
    // bounds it.
    let reachable = |t: usize, active: Active| match solve(
        prog,
        settings,
        path,
        Goal::MaxCapacityAt(t),
        Active { target: false, ..active },
    ) {
        Ok((_, v)) => Some(v + prog.starting_h100e_by_year[t]),
        Err(microlp::Error::Unbounded) => Some(f64::INFINITY),
        Err(_) => None,
    };
    // A reach in H100e, or no limit.
    let reach = |v: f64| {
        if v.is_finite() {
            Message::new("plan.err.reach").number("v", v)
        } else {
            Message::new("plan.err.no_limit")
        }
    };
    // Without any capacity target: if even that has no solution, the capital this plan cannot
    // change (conventional IT) breaks a limit; name the limits whose lifting alone would help.
    if reachable(prog.years.saturating_sub(1), Active::ALL).is_none() {
        let families = [
            (Active { budget: false, ..Active::ALL }, "plan.limit.budget"),
            (Active { power: false, ..Active::ALL }, "plan.limit.power"),
            (Active { caps: false, ..Active::ALL }, "plan.limit.caps"),
        ];
        let culprits: Vec<Message> = families
            .iter()
            .filter(|(active, _)| reachable(prog.years.saturating_sub(1), *active).is_some())
            .map(|(_, id)| Message::new(id))
            .collect();
        return PlanError::Infeasible(if culprits.is_empty() {
            Message::new("plan.err.kept_any")
        } else {
            Message::new("plan.err.kept").list("limits", culprits)
        });
    }
    let short = (0..prog.years).find_map(|t| {
        let max = reachable(t, Active::ALL)?;
        (max.is_finite() && path[t] > max * (1.0 + 1e-9) + 1e-6).then_some((t, max))
    });
    let Some((t, max)) = short else {
        return PlanError::Infeasible(Message::new("plan.err.no_allocation"));
    };
    let lifts = [
        (Active { budget: false, ..Active::ALL }, "plan.limit.budget"),
        (Active { shares: false, ..Active::ALL }, "plan.limit.shares"),
        (Active { power: false, ..Active::ALL }, "plan.limit.power"),
        (Active { caps: false, ..Active::ALL }, "plan.limit.caps"),
    ];
    let binding: Vec<Message> = lifts
        .iter()
        .filter_map(|(active, id)| {
            let without = reachable(t, *active)?;
            (without > max * (1.0 + 1e-6) + 1e-6).then(|| {
                Message::new("plan.err.without").part("limit", Message::new(id)).part("reach", reach(without))
            })
        })
        .collect();
    let said = Message::new(if binding.is_empty() { "plan.err.short" } else { "plan.err.short_limited" })
        .part("target", reach(path[t]))
        .text("year", (prog.start_year + t as i32).to_string())
        .part("max", reach(max));
    PlanError::Infeasible(if binding.is_empty() { said } else { said.list("limits", binding) })
}

/// The plan's purchases as CSV: `year,provider,region,accelerator,capital_usd_b,h100e`.
pub fn purchases_csv(plan: &Plan) -> String {
    let mut out = String::from("year,provider,region,accelerator,capital_usd_b,h100e\n");
    for p in &plan.purchases {
        out.push_str(&format!(
            "{},{},{},{},{},{}\n",
            p.year, p.provider, p.region, p.accelerator, p.capital_usd_b, p.h100e
        ));
    }
    out
}

/// A short human summary: the objective, the totals, and capital by year and provider.
pub fn summary_text(name: &str, plan: &Plan) -> String {
    let fmt = crate::export::format_value;
    let o = plan.settings.objective;
    let mut out = format!("Plan for \"{name}\": {} ({} {})\n\n", o.id(), fmt(plan.objective_value), o.unit());
    for (label, value, unit) in [
        ("Capital", plan.capital_usd_b, "USD bn"),
        ("Energy cost", plan.energy_cost_usd_b, "USD bn"),
        ("Carbon cost", plan.carbon_cost_usd_b, "USD bn"),
        ("Emissions (operational + embodied)", plan.carbon_mt, "Mt CO2e"),
        ("Compute delivered", plan.compute_h100e_years, "H100e-years"),
        ("Capacity at the end", plan.capacity_end_h100e, "H100e"),
        ("Capacity target", plan.capacity_target_h100e, "H100e"),
    ] {
        // Most compute for the budget has no capacity target.
        if label == "Capacity target" && o == Objective::MaxCompute {
            continue;
        }
        out.push_str(&format!("  {label:<36} {:>14} {unit}\n", fmt(value)));
    }
    if !plan.binding.is_empty() {
        out.push_str("\nWhat binds:\n");
        for b in &plan.binding {
            out.push_str(&format!("  - {}\n", b.sentence));
        }
    }
    let mut by_year: std::collections::BTreeMap<i32, std::collections::BTreeMap<&str, f64>> =
        std::collections::BTreeMap::new();
    for p in &plan.purchases {
        *by_year.entry(p.year).or_default().entry(p.provider.as_str()).or_default() += p.capital_usd_b;
    }
    out.push_str("\nCapital by year and provider (USD bn):\n");
    for (year, providers) in by_year {
        let parts: Vec<String> = providers.iter().map(|(p, v)| format!("{p} {}", fmt(*v))).collect();
        out.push_str(&format!("  {year}  {}\n", parts.join(", ")));
    }
    let (regions, chips) = where_money_goes(plan);
    for (title, list) in [("region", regions), ("accelerator", chips)] {
        let parts: Vec<String> = list.iter().map(|(id, v)| format!("{id} {}", fmt(*v))).collect();
        out.push_str(&format!("\nCapital by {title} (USD bn): {}\n", parts.join(", ")));
    }
    out
}

#[cfg(test)]
#[path = "plan_switches_tests.rs"]
mod switches_tests;
