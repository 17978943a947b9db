//! Model checks as data (`checks/checks.toml`): predicates that must hold over a matrix of
//! scenarios — every named preset, each slider of the page at either end — or over chosen links.
//!
//! [`load`] reads the file, [`run`] evaluates every check and returns a [`Report`]; the test
//! `tests/checks.rs` fails on any failure, and `cargo xtask model-check` prints the report.

use atlas_core::edit::{self, CellState};
use atlas_core::policy::{Action, ExportGroup, Family, deciding_rule};
use atlas_core::url::decode;
use atlas_core::{BuildOut, Metric, RedirectReason, Results, Scenario, simulate};
use serde::Deserialize;

use crate::{read, root};

/// Default relative tolerance where sums are compared.
const DEFAULT_TOLERANCE: f64 = 1e-9;

/// The checks file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checks {
    /// How the scenario matrix is built.
    pub matrix: Matrix,
    /// The checks, in file order.
    pub check: Vec<Check>,
}

/// How the matrix of scenarios is built from every preset.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Matrix {
    /// Each of the page's scalar sliders (the parameter table's) at either end of its range.
    pub sliders: bool,
    /// The range of the region electricity-price sliders, USD/MWh.
    pub region_price_usd_per_mwh: Range,
    /// Each provider's share at 0% and at 100%.
    pub shares: bool,
    /// Export-matrix cells banned and capped.
    pub export_cells: bool,
    /// Presets in which every family × group cell is also banned on its own, one case per cell.
    #[serde(default)]
    pub single_cells_in: Vec<String>,
}

/// A closed range.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Range {
    /// Lower end.
    pub min: f64,
    /// Upper end.
    pub max: f64,
}

/// What a check runs on.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Scenarios {
    /// `"matrix"`: the whole matrix.
    Matrix(String),
    /// Page links (query strings).
    Links(Vec<String>),
}

/// A predicate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Predicate {
    /// Every value finite and not negative.
    FiniteNonNegative,
    /// Breakdowns add up to totals.
    BreakdownsSum,
    /// Nothing is bought where it is banned.
    BansHold,
    /// Capital spent plus unspent plus unmet equals the build-out's capital.
    MoneyConserved,
    /// A headline figure within bounds.
    Kpi,
}

/// One check.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Check {
    /// What it is about.
    pub describe: String,
    /// What must hold.
    pub it: String,
    /// Where it must hold.
    pub scenarios: Scenarios,
    /// How it is tested.
    pub predicate: Predicate,
    /// Relative tolerance for sums.
    #[serde(default)]
    pub tolerance: Option<f64>,
    /// The headline figure (`kpi` predicate).
    #[serde(default)]
    pub kpi: Option<String>,
    /// Lower bound (`kpi` predicate).
    #[serde(default)]
    pub gte: Option<f64>,
    /// Upper bound (`kpi` predicate).
    #[serde(default)]
    pub lte: Option<f64>,
}

/// One scenario of a check, with a label saying how it was made.
pub struct Case {
    /// `preset article, energy_cost_multiplier = 5`.
    pub label: String,
    /// The scenario.
    pub scenario: Scenario,
}

/// The outcome of one check.
pub struct Outcome {
    /// `describe it`.
    pub title: String,
    /// Scenarios it ran on.
    pub scenarios: usize,
    /// What failed, one line each.
    pub failures: Vec<String>,
}

/// Every check's outcome.
pub struct Report {
    /// In file order.
    pub outcomes: Vec<Outcome>,
}

impl Report {
    /// Whether every check passed.
    pub fn passed(&self) -> bool {
        self.outcomes.iter().all(|o| o.failures.is_empty())
    }

    /// The report as text: one line per check, then up to ten failures under each failed one.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for o in &self.outcomes {
            let mark = if o.failures.is_empty() { "ok  " } else { "FAIL" };
            out.push_str(&format!("{mark} {} ({} scenarios)\n", o.title, o.scenarios));
            for f in o.failures.iter().take(10) {
                out.push_str(&format!("       {f}\n"));
            }
            if o.failures.len() > 10 {
                out.push_str(&format!("       … and {} more\n", o.failures.len() - 10));
            }
        }
        let failed = self.outcomes.iter().filter(|o| !o.failures.is_empty()).count();
        out.push_str(&format!("{} checks, {} failed\n", self.outcomes.len(), failed));
        out
    }
}

/// Reads `checks/checks.toml`.
pub fn load() -> Result<Checks, String> {
    let path = root().join("checks/checks.toml");
    toml::from_str(&read(&path)).map_err(|err| format!("{}: {err}", path.display()))
}

/// A preset's link with one more parameter.
fn decoded(query: &str) -> Result<Scenario, String> {
    let d = decode(query, &[]);
    match d.notices.first() {
        None => Ok(d.scenario),
        Some(n) => Err(format!("`{query}`: {} = {}: {}", n.param, n.value, n.message)),
    }
}

/// The matrix: every preset, at its defaults and with each slider at either end.
pub fn matrix_cases(m: &Matrix) -> Result<Vec<Case>, String> {
    let mut cases = Vec::new();
    for preset in &atlas_core::data::default_data().scenario_presets {
        let base = decoded(&preset.query)?;
        let name = |what: String| format!("preset {}, {what}", preset.id);
        let mut push = |label: String, s: Scenario| cases.push(Case { label, scenario: s });
        push(format!("preset {}", preset.id), base.clone());
        let sliders = atlas_core::params::PARAMS.iter().filter(|_| m.sliders);
        for (p, range) in sliders.filter_map(|p| Some((p, p.slider_range(&base)?))) {
            for v in [range.0, range.1] {
                let mut s = base.clone();
                (p.set)(&mut s, p.from_display(v));
                push(name(format!("{} = {v}", p.key)), s);
            }
        }
        for region in &base.regions {
            for v in [m.region_price_usd_per_mwh.min, m.region_price_usd_per_mwh.max] {
                let mut s = base.clone();
                s.price_overrides_usd_per_mwh.insert(region.id.clone(), v);
                push(name(format!("price.{} = {v}", region.id)), s);
            }
        }
        if m.shares && !matches!(base.build_out, BuildOut::Planned(_)) {
            let year = edit::target_share_year(&base);
            let shares = edit::shares_in(&base, year);
            for (id, pct) in &shares {
                if *pct <= 0.0 {
                    continue;
                }
                for v in [0.0, 100.0] {
                    let (_, moved) = edit::rebalance_shares(&shares, id, v, &[]);
                    let mut s = base.clone();
                    edit::set_shares(&mut s, year, &moved);
                    push(name(format!("share.{id} = {v}")), s);
                }
            }
        }
        if m.export_cells {
            for family in Family::ALL {
                let mut s = base.clone();
                for group in ExportGroup::ALL {
                    edit::set_matrix_cell(&mut s.export_policy, family, group, CellState::Ban);
                }
                push(name(format!("{} banned everywhere", family.id())), s);
            }
            for group in ExportGroup::ALL {
                let mut s = base.clone();
                for family in Family::ALL {
                    edit::set_matrix_cell(&mut s.export_policy, family, group, CellState::Ban);
                }
                push(name(format!("everything banned to {}", group.id())), s);
            }
            if m.single_cells_in.contains(&preset.id) {
                for family in Family::ALL {
                    for group in ExportGroup::ALL {
                        let mut s = base.clone();
                        edit::set_matrix_cell(&mut s.export_policy, family, group, CellState::Ban);
                        push(name(format!("{} banned to {}", family.id(), group.id())), s);
                    }
                }
            }
            for cap in [0.0, 200_000.0] {
                let mut s = base.clone();
                for family in Family::ALL {
                    for group in ExportGroup::ALL {
                        let state = CellState::Cap { h100e_per_year: cap };
                        edit::set_matrix_cell(&mut s.export_policy, family, group, state);
                    }
                }
                push(name(format!("everything capped at {cap} H100e a year")), s);
            }
        }
    }
    Ok(cases)
}

/// Runs every check. A scenario that does not validate fails the check that uses it.
pub fn run(checks: &Checks) -> Result<Report, String> {
    let matrix = matrix_cases(&checks.matrix)?;
    let matrix_results: Vec<Result<Results, String>> =
        matrix.iter().map(|c| simulated(&c.scenario)).collect();
    let mut outcomes = Vec::new();
    for check in &checks.check {
        let mut failures = Vec::new();
        let scenarios = match &check.scenarios {
            Scenarios::Matrix(word) if word == "matrix" => {
                for (case, results) in matrix.iter().zip(&matrix_results) {
                    evaluate(check, case, results.as_ref(), &mut failures);
                }
                matrix.len()
            }
            Scenarios::Matrix(other) => {
                return Err(format!(
                    "`{}`: scenarios must be \"matrix\" or a list, got \"{other}\"",
                    check.it
                ));
            }
            Scenarios::Links(links) => {
                for link in links {
                    match decoded(link) {
                        Ok(s) => {
                            let case = Case { label: link.clone(), scenario: s };
                            let results = simulated(&case.scenario);
                            evaluate(check, &case, results.as_ref(), &mut failures);
                        }
                        Err(message) => failures.push(message),
                    }
                }
                links.len()
            }
        };
        outcomes.push(Outcome { title: format!("{}: {}", check.describe, check.it), scenarios, failures });
    }
    Ok(Report { outcomes })
}

fn simulated(s: &Scenario) -> Result<Results, String> {
    simulate(s).map_err(|problems| {
        let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
        format!("invalid: {}", text.join("; "))
    })
}

fn evaluate(check: &Check, case: &Case, results: Result<&Results, &String>, failures: &mut Vec<String>) {
    let results = match results {
        Ok(r) => r,
        Err(message) => {
            failures.push(format!("{}: {message}", case.label));
            return;
        }
    };
    let tolerance = check.tolerance.unwrap_or(DEFAULT_TOLERANCE);
    let found = match check.predicate {
        Predicate::FiniteNonNegative => finite_non_negative(results),
        Predicate::BreakdownsSum => breakdowns_sum(results, tolerance),
        Predicate::BansHold => bans_hold(&case.scenario, results),
        Predicate::MoneyConserved => money_conserved(&case.scenario, results, tolerance),
        Predicate::Kpi => kpi_within(check, results),
    };
    failures.extend(found.into_iter().map(|f| format!("{}: {f}", case.label)));
}

fn finite_non_negative(r: &Results) -> Vec<String> {
    let mut out = Vec::new();
    for s in &r.series {
        let parts = [("total", &s.total), ("by provider", &s.by_provider), ("by region", &s.by_region)];
        for (what, values) in parts.into_iter().chain([("by accelerator", &s.by_accelerator)]) {
            if let Some(v) = values.iter().find(|v| !v.is_finite() || **v < 0.0) {
                out.push(format!("{} {what}: {v}", s.metric.id()));
            }
        }
    }
    for k in r.summary.kpis() {
        if !k.value.is_finite() || k.value < 0.0 {
            out.push(format!("{}: {}", k.id, k.value));
        }
    }
    out
}

fn breakdowns_sum(r: &Results, tolerance: f64) -> Vec<String> {
    let mut out = Vec::new();
    let nq = r.quarters.len();
    for metric in Metric::ADDITIVE {
        let s = r.series(metric);
        let scale = s.total.iter().fold(0.0_f64, |m, v| m.max(v.abs())).max(1e-12);
        let parts =
            [("provider", &s.by_provider), ("region", &s.by_region), ("accelerator", &s.by_accelerator)];
        for (what, flat) in parts {
            for q in 0..nq {
                let sum: f64 = flat.chunks(nq).map(|row| row[q]).sum();
                if (sum - s.total[q]).abs() > tolerance * scale {
                    out.push(format!(
                        "{} by {what} in {}: {sum} vs total {}",
                        metric.id(),
                        r.quarters[q],
                        s.total[q]
                    ));
                    break;
                }
            }
        }
    }
    out
}

/// No banned accelerator is bought where it is banned, except the leakage share in a region with
/// a domestic industry, each such purchase recorded as a leakage flow.
fn bans_hold(s: &Scenario, r: &Results) -> Vec<String> {
    let rules = &s.export_policy.rules;
    let mut out = Vec::new();
    for cell in &r.cells {
        let (a, region) = (&s.accelerators[cell.accelerator], &s.regions[cell.region]);
        let leaked: f64 = (r.redirects.iter())
            .filter(|f| {
                f.reason == RedirectReason::Leakage && f.to_region == region.id && f.to_accelerator == a.id
            })
            .map(|f| f.h100e)
            .sum();
        let mut banned_h100e = 0.0;
        for (q, added) in cell.added.iter().enumerate() {
            if *added <= 0.0 {
                continue;
            }
            let year = r.quarters[q].year;
            let rule = deciding_rule(rules, &a.id, a.family, &region.id, region.export_group, year);
            if rule.is_some_and(|i| rules[i].action == Action::Ban) {
                banned_h100e += added * a.bf16_dense_tflops / 989.0;
                if !region.domestic_industry || banned_h100e > leaked * (1.0 + 1e-9) + 1e-6 {
                    out.push(format!(
                        "{} {} bought in {} in {}, where it is banned (leaked: {leaked} H100e)",
                        added, a.id, region.id, r.quarters[q]
                    ));
                    break;
                }
            }
        }
    }
    out
}

fn money_conserved(s: &Scenario, r: &Results, tolerance: f64) -> Vec<String> {
    let Some(budget) = edit::budget_total_usd_b(s) else { return Vec::new() };
    // A plan names hardware capital; the buildings it needs come on top.
    let buildings: f64 = match s.build_out {
        BuildOut::Planned(_) => r.total(Metric::BuildingCapitalUsdB).iter().sum(),
        _ => 0.0,
    };
    let spent = r.summary.capital_usd_b_total - buildings
        + r.summary.unspent_usd_b_total
        + r.summary.unmet_usd_b_total;
    if (spent - budget).abs() > tolerance * budget.max(1.0) {
        vec![format!(
            "capital {} + unspent {} + unmet {} = {spent} USD bn, but the build-out is {budget} USD bn",
            r.summary.capital_usd_b_total, r.summary.unspent_usd_b_total, r.summary.unmet_usd_b_total
        )]
    } else {
        Vec::new()
    }
}

fn kpi_within(check: &Check, r: &Results) -> Vec<String> {
    let Some(id) = &check.kpi else { return vec!["a kpi check needs `kpi`".into()] };
    let v = match id.parse::<atlas_core::KpiId>() {
        Ok(kpi) => r.summary.value(kpi),
        Err(err) => return vec![err],
    };
    let (lo, hi) = (check.gte.unwrap_or(f64::NEG_INFINITY), check.lte.unwrap_or(f64::INFINITY));
    if (lo..=hi).contains(&v) {
        Vec::new()
    } else {
        vec![format!("{id} = {v}, expected within [{lo}, {hi}]")]
    }
}
