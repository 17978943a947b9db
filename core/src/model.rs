//! A validated scenario resolved into indices and per-quarter tables, ready to simulate.
//!
//! Ids become positions, keyframe paths become per-quarter values, and the export policy becomes a
//! table of decisions per year, region and accelerator. Built once per simulation.

use std::collections::BTreeMap;

use crate::policy::{Action, ExportGroup, Family, deciding_rule};
use crate::quarter::Quarter;
use crate::scenario::{
    BuildOut, CarbonBasis, Deal, H100E_REFERENCE, Redirect, Scenario, Siting, interpolate,
};

/// What the export policy says for one accelerator in one region in one year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Decision {
    Allow,
    Ban,
    /// Capped by the rule with this index.
    Cap(usize),
}

pub(crate) struct Acc {
    pub first_q: i64,
    /// 1 for an AI accelerator; 0 for a conventional server, which is not counted as one.
    pub unit: f64,
    /// H100-equivalents per accelerator.
    pub h100e: f64,
    /// Peak dense BF16 per accelerator, EFLOP/s.
    pub eflops: f64,
    pub it_w: f64,
    pub price_usd: f64,
    pub embodied_kg: f64,
    /// A domestic (Chinese) accelerator: counts against the domestic supply.
    pub domestic: bool,
}

pub(crate) struct Prov {
    pub pue: f64,
    pub wue: f64,
    pub cfe: f64,
    /// Offered accelerators in order of preference.
    pub offers: Vec<usize>,
    /// Regions with normalised weights, in region order.
    pub regions: Vec<(usize, f64)>,
    /// The provider's own buying lines in [`Model::lines`]: one per vendor of its mix, or one for
    /// its whole offer list.
    pub lines: std::ops::Range<usize>,
}

/// A buying line: one provider buying, in its regions, the first available and allowed
/// accelerator of an ordered list (one vendor's part of its offers, or all of them).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Line {
    pub p: usize,
    /// Accelerators in order of preference.
    pub offers: Vec<usize>,
    /// Regions with normalised weights, in region order.
    pub regions: Vec<(usize, f64)>,
    /// Relative weight among the provider's lines (its vendor's weight in the mix).
    pub weight: f64,
}

pub(crate) struct Reg {
    pub group: ExportGroup,
    /// Effective electricity price after override and multiplier, USD/MWh.
    pub price_usd_per_mwh: f64,
    /// Grid intensity per simulated year, g/kWh.
    pub intensity_by_year: Vec<f64>,
    pub capex_usd_per_w: f64,
    /// New facility power allowed per year, W.
    pub limit_w_per_year: Option<f64>,
    /// A domestic industry substitutes for banned imports here, and blocked money stays.
    pub domestic_industry: bool,
}

/// How the amount to place each quarter is measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Capital, USD.
    Budget,
    /// Facility power, W.
    Capacity,
}

pub(crate) struct Model {
    pub start_q: i64,
    pub start_year: i32,
    pub quarters: Vec<Quarter>,
    pub lifetime_q: usize,
    /// Building lifetime, quarters.
    pub facility_q: usize,
    /// Capital charge per quarter per dollar of hardware (an annuity over the hardware lifetime at
    /// the cost of capital).
    pub charge_hardware: f64,
    /// Capital charge per quarter per dollar of building.
    pub charge_building: f64,
    pub acc: Vec<Acc>,
    pub prov: Vec<Prov>,
    /// Buying lines: every provider's own, in provider order, then one per deal.
    pub lines: Vec<Line>,
    /// The first deal line in `lines` (deal `i` is line `first_deal_line + i`).
    pub first_deal_line: usize,
    /// Per quarter: the lines that place its capital and each one's fraction of it (summing to 1
    /// when anything is placed).
    pub sources: Vec<Vec<(usize, f64)>>,
    pub reg: Vec<Reg>,
    /// Cap per rule (H100e per region and year), `None` for rules that do not cap.
    pub rule_caps: Vec<Option<f64>>,
    /// Decision per `(year offset, region, accelerator)`, flattened.
    decisions: Vec<Decision>,
    /// Share of new capacity per `(quarter, provider)`, 0–1, flattened.
    shares: Vec<f64>,
    /// Per quarter: capital to spend (USD) or design facility power to reach (W).
    pub build: Vec<f64>,
    pub mode: Mode,
    pub redirect: Redirect,
    pub utilisation: f64,
    /// Power drawn as a share of full load: idle + (1 − idle) × utilisation.
    pub draw: f64,
    /// Multiplier on peak compute from algorithmic efficiency.
    pub efficiency: f64,
    pub carbon_price_usd_per_t: f64,
    pub carbon_basis: CarbonBasis,
    /// Starting cohorts: (cell, quarter index it retires, count).
    pub cohorts: Vec<(usize, i64, f64)>,
    /// A planned build-out: per year offset, its purchases.
    pub planned: Option<Vec<Vec<PlannedCell>>>,
    /// Domestic accelerators installable per year offset (infinite without a limit).
    pub domestic_units: Vec<f64>,
    /// Per buying line: whether it offers a domestic accelerator (a domestic builder).
    domestic_lines: Vec<bool>,
    /// Share of the money a ban blocks in a region with a domestic industry that still buys the
    /// banned accelerator.
    pub leakage_share: f64,
}

/// One planned purchase resolved: (provider, region, accelerator, USD per quarter).
pub(crate) type PlannedCell = (usize, usize, usize, f64);

/// A planned build-out resolved to indices, per year of the span, in USD per quarter (the
/// build-out multiplier applied); purchases outside the span or naming nothing are left out.
fn planned_by_year(
    s: &Scenario,
    purchases: &[crate::scenario::PlannedPurchase],
) -> Vec<Vec<(usize, usize, usize, f64)>> {
    let years = (s.end_year - s.start_year + 1).max(0) as usize;
    let mut out = vec![Vec::new(); years];
    for p in purchases {
        let Some(list) = usize::try_from(p.year - s.start_year).ok().and_then(|y| out.get_mut(y)) else {
            continue;
        };
        if let (Some(pi), Some(ri), Some(ai)) =
            (s.provider_index(&p.provider), s.region_index(&p.region), s.accelerator_index(&p.accelerator))
        {
            list.push((pi, ri, ai, p.capital_usd_b * s.build_out_scale * 1e9 / 4.0));
        }
    }
    out
}

/// A set of site weights as (region index, fraction) pairs in region order: non-positive
/// weights and unknown regions dropped, the rest scaled to sum to 1.
fn normalised_sites(s: &Scenario, sites: &BTreeMap<String, f64>) -> Vec<(usize, f64)> {
    let total: f64 = sites.values().filter(|w| **w > 0.0).sum();
    let mut regions: Vec<(usize, f64)> = sites
        .iter()
        .filter(|(_, w)| **w > 0.0)
        .filter_map(|(id, w)| Some((s.region_index(id)?, w / total)))
        .collect();
    regions.sort_by_key(|(r, _)| *r);
    regions
}

/// Region weights for [`Siting::CheapClean`]: ∝ 1 ÷ (price × intensity)² in the first year, with a
/// floor of 1 $/MWh and 1 g/kWh so free or carbon-free power cannot take everything by division.
fn cheap_clean_weights(s: &Scenario) -> Vec<(usize, f64)> {
    let scores: Vec<f64> = s
        .regions
        .iter()
        .map(|r| {
            let price = s.price_overrides_usd_per_mwh.get(&r.id).copied().unwrap_or(r.price_usd_per_mwh)
                * s.energy_cost_multiplier;
            let intensity = r.intensity_in(s.start_year, s.grid_decarbonisation_pace);
            let x = price.max(1.0) * intensity.max(1.0);
            1.0 / (x * x)
        })
        .collect();
    let total: f64 = scores.iter().sum();
    scores.into_iter().enumerate().map(|(r, w)| (r, w / total)).collect()
}

/// The quarterly payment that pays off one dollar over `quarters` quarters at a yearly cost of
/// capital `rate`: `i ÷ (1 − (1 + i)^−n)` with `i = (1 + rate)^(1/4) − 1` the quarterly rate, or
/// `1 ÷ n` (straight-line depreciation) when the rate is 0.
pub(crate) fn annuity(rate: f64, quarters: usize) -> f64 {
    let n = quarters.max(1) as f64;
    let i = libm::pow(1.0 + rate, 0.25) - 1.0;
    if i > 0.0 { i / (1.0 - libm::pow(1.0 + i, -n)) } else { 1.0 / n }
}

fn points(keyframes: &BTreeMap<i32, f64>, offset: f64) -> Vec<(f64, f64)> {
    keyframes.iter().map(|(y, v)| (f64::from(*y) + offset, *v)).collect()
}

impl Model {
    /// Resolves a scenario that passed [`crate::validate::validate`].
    pub fn new(s: &Scenario) -> Model {
        let start = Quarter::first_of(s.start_year);
        let quarters: Vec<Quarter> =
            (0..s.quarter_count() as i64).map(|i| Quarter::from_index(start.index() + i)).collect();
        let years = (s.end_year - s.start_year + 1) as usize;
        let h100_tflops =
            s.accelerators.iter().find(|a| a.id == H100E_REFERENCE).map_or(1.0, |a| a.bf16_dense_tflops);

        // Projected accelerators take their figures from their base and the trend, here as well
        // as in `Scenario::project`: an uncertainty draw moves the base's figures and the trend.
        let figures = |a: &crate::scenario::Accelerator| match &a.projected_from {
            Some(from) => s
                .accelerators
                .iter()
                .find(|b| b.id == *from && b.projected_from.is_none())
                .map(|b| {
                    let (tflops, price) =
                        s.technology_trend.project(b, a.first_available.years_after(b.first_available));
                    (tflops, b.it_power_w, price, b.embodied_kgco2e)
                })
                .unwrap_or((a.bf16_dense_tflops, a.it_power_w, a.price_usd, a.embodied_kgco2e)),
            None => (a.bf16_dense_tflops, a.it_power_w, a.price_usd, a.embodied_kgco2e),
        };
        let acc: Vec<Acc> = s
            .accelerators
            .iter()
            .map(|a| {
                let (tflops, it_w, price_usd, embodied_kg) = figures(a);
                Acc {
                    first_q: a.first_available.index(),
                    unit: if a.family.is_ai() { 1.0 } else { 0.0 },
                    h100e: tflops / h100_tflops,
                    eflops: tflops * 1e-6,
                    it_w,
                    price_usd,
                    embodied_kg,
                    domestic: a.family == Family::Domestic,
                }
            })
            .collect();

        let cheap_clean = cheap_clean_weights(s);
        let mut lines = Vec::new();
        let prov = s
            .providers
            .iter()
            .enumerate()
            .map(|(p, provider)| {
                let regions = match s.siting {
                    Siting::CheapClean => cheap_clean.clone(),
                    Siting::Announced => normalised_sites(s, &provider.regions),
                };
                let offers: Vec<usize> =
                    provider.offers.iter().filter_map(|id| s.accelerator_index(id)).collect();
                let first = lines.len();
                let mix: Vec<(&String, f64)> =
                    provider.vendor_mix.iter().filter(|(_, w)| **w > 0.0).map(|(v, w)| (v, *w)).collect();
                if mix.is_empty() {
                    lines.push(Line { p, offers: offers.clone(), regions: regions.clone(), weight: 1.0 });
                } else {
                    for (vendor, weight) in mix {
                        let offers =
                            offers.iter().copied().filter(|&a| s.accelerators[a].vendor == *vendor).collect();
                        lines.push(Line { p, offers, regions: regions.clone(), weight });
                    }
                }
                Prov {
                    pue: provider.pue,
                    wue: provider.wue_l_per_kwh,
                    cfe: provider.cfe_share,
                    offers,
                    regions,
                    lines: first..lines.len(),
                }
            })
            .collect();

        let reg = s
            .regions
            .iter()
            .map(|r| {
                let base = s.price_overrides_usd_per_mwh.get(&r.id).copied().unwrap_or(r.price_usd_per_mwh);
                Reg {
                    group: r.export_group,
                    price_usd_per_mwh: base * s.energy_cost_multiplier,
                    intensity_by_year: (0..years)
                        .map(|y| r.intensity_in(s.start_year + y as i32, s.grid_decarbonisation_pace))
                        .collect(),
                    capex_usd_per_w: r.facility_capex_usd_per_w,
                    limit_w_per_year: r.new_power_limit_gw_per_year.map(|gw| gw * 1e9),
                    domestic_industry: r.domestic_industry,
                }
            })
            .collect::<Vec<Reg>>();

        let rules = &s.export_policy.rules;
        let rule_caps = rules
            .iter()
            .map(|r| (r.action == Action::Cap).then(|| r.cap_h100e_per_year.unwrap_or(0.0)))
            .collect();
        // Decisions change only in years where a rule starts; other years copy the year before.
        let block = s.regions.len() * s.accelerators.len();
        let mut decisions = Vec::with_capacity(years * block);
        for y in 0..years {
            let year = s.start_year + y as i32;
            let rule_starts = rules.iter().any(|r| r.from_year == Some(year));
            if y > 0 && !rule_starts {
                decisions.extend_from_within((y - 1) * block..y * block);
                continue;
            }
            for region in &s.regions {
                for a in &s.accelerators {
                    let rule = deciding_rule(rules, &a.id, a.family, &region.id, region.export_group, year);
                    decisions.push(match rule.map(|i| (i, rules[i].action)) {
                        None | Some((_, Action::Allow)) => Decision::Allow,
                        Some((_, Action::Ban)) => Decision::Ban,
                        Some((i, Action::Cap)) => Decision::Cap(i),
                    });
                }
            }
        }

        // Deals are buying lines of their own, after the providers'.
        let first_deal_line = lines.len();
        if let BuildOut::Deals(book) = &s.build_out {
            for d in &book.deals {
                let p = s.provider_index(&d.provider).unwrap_or(0);
                let regions = match s.siting {
                    Siting::CheapClean => cheap_clean.clone(),
                    Siting::Announced => normalised_sites(s, &d.sites),
                };
                let offers = d.chips.iter().filter_map(|id| s.accelerator_index(id)).collect();
                lines.push(Line { p, offers, regions, weight: 1.0 });
            }
        }

        let lifetime_q = (s.lifetime_years * 4.0).round() as usize;
        let facility_q = (s.facility_lifetime_years * 4.0).round() as usize;
        let mut planned = None;
        let (mode, build) = match &s.build_out {
            BuildOut::BudgetUsdBPerYear(k) => {
                let pts = points(k, 0.0);
                (
                    Mode::Budget,
                    quarters
                        .iter()
                        .map(|q| interpolate(&pts, f64::from(q.year)) * s.build_out_scale * 1e9 / 4.0)
                        .collect(),
                )
            }
            BuildOut::Deals(book) => (
                Mode::Budget,
                quarters
                    .iter()
                    .map(|q| {
                        let at = q.index();
                        let usd_b: f64 = (book.deals.iter())
                            .filter(|d| (d.start.index()..=d.end.index()).contains(&at))
                            .map(Deal::per_quarter_usd_b)
                            .sum();
                        usd_b * s.build_out_scale * 1e9
                    })
                    .collect(),
            ),
            BuildOut::Planned(purchases) => {
                let per_year = planned_by_year(s, purchases);
                let build = quarters
                    .iter()
                    .map(|q| {
                        let y = (q.year - s.start_year) as usize;
                        per_year.get(y).map_or(0.0, |list| list.iter().map(|(_, _, _, usd)| usd).sum())
                    })
                    .collect();
                planned = Some(per_year);
                (Mode::Budget, build)
            }
            BuildOut::InstalledFacilityGw(k) => {
                // The path starts from the design power of the fleet installed at the start.
                let mut pts: Vec<(f64, f64)> =
                    points(k, 1.0).into_iter().map(|(x, gw)| (x, gw * s.build_out_scale)).collect();
                let initial_w: f64 = s
                    .starting_fleet
                    .iter()
                    .filter_map(|c| {
                        let (p, a) = (s.provider_index(&c.provider)?, s.accelerator_index(&c.accelerator)?);
                        let alive: f64 = c
                            .parts()
                            .filter(|(installed, _)| installed + lifetime_q as i64 > start.index())
                            .map(|(_, n)| n)
                            .sum();
                        Some(alive * s.accelerators[a].it_power_w * s.providers[p].pue)
                    })
                    .sum();
                if pts.first().is_some_and(|(x, _)| *x > f64::from(s.start_year)) {
                    pts.insert(0, (f64::from(s.start_year), initial_w * 1e-9));
                }
                (
                    Mode::Capacity,
                    quarters
                        .iter()
                        .map(|q| interpolate(&pts, f64::from(q.year) + f64::from(q.q) / 4.0) * 1e9)
                        .collect(),
                )
            }
        };

        let (nr, na) = (s.regions.len(), s.accelerators.len());
        let cohorts = s
            .starting_fleet
            .iter()
            .filter_map(|c| {
                let (p, r, a) = (
                    s.provider_index(&c.provider)?,
                    s.region_index(&c.region)?,
                    s.accelerator_index(&c.accelerator)?,
                );
                Some(
                    c.parts()
                        .map(move |(installed, n)| ((p * nr + r) * na + a, installed + lifetime_q as i64, n)),
                )
            })
            .flatten()
            .collect();

        let domestic_lines = lines.iter().map(|l| l.offers.iter().any(|&a| acc[a].domestic)).collect();
        let supply = points(&s.domestic_supply.units_per_year, 0.0);
        let mut model = Model {
            start_q: start.index(),
            start_year: s.start_year,
            quarters,
            lifetime_q,
            facility_q,
            charge_hardware: annuity(s.cost_of_capital, lifetime_q),
            charge_building: annuity(s.cost_of_capital, facility_q),
            acc,
            prov,
            lines,
            first_deal_line,
            sources: Vec::new(),
            reg,
            rule_caps,
            decisions,
            shares: Vec::new(),
            build,
            mode,
            redirect: s.redirect,
            utilisation: s.utilisation,
            draw: s.idle_power_fraction + (1.0 - s.idle_power_fraction) * s.utilisation,
            efficiency: (1.0 - s.inference_share) + s.inference_share * s.inference_efficiency_gain,
            carbon_price_usd_per_t: s.carbon_price_usd_per_t,
            carbon_basis: s.carbon_price_basis,
            cohorts,
            planned,
            domestic_units: (0..years)
                .map(|y| {
                    if supply.is_empty() {
                        f64::INFINITY
                    } else {
                        interpolate(&supply, f64::from(s.start_year + y as i32)) * s.domestic_supply.scale
                    }
                })
                .collect(),
            domestic_lines,
            leakage_share: s.domestic_supply.leakage_share,
        };
        model.place_sources(s);
        model
    }

    /// Works out, per quarter, which lines place the capital and each one's fraction of it, and
    /// so every provider's share.
    ///
    /// A share path: each provider's share, split among its lines by [`Model::line_weights`].
    /// Deals: each deal running that quarter, by its capital; from the first share keyframe on,
    /// the keyframes set the providers' shares instead, a provider's part going to its running
    /// deals in proportion or, with none, to its own lines.
    fn place_sources(&mut self, s: &Scenario) {
        let np = self.prov.len();
        let share_paths: Vec<Vec<(f64, f64)>> = s
            .providers
            .iter()
            .map(|p| {
                s.provider_shares_pct
                    .iter()
                    .map(|(y, shares)| (f64::from(*y), shares.get(&p.id).copied().unwrap_or(0.0) / 100.0))
                    .collect()
            })
            .collect();
        let first_keyframe = s.provider_shares_pct.keys().next().map(|y| f64::from(*y));
        let mut sources = Vec::with_capacity(self.quarters.len());
        let mut own = Vec::new();
        for q in &self.quarters {
            let x = f64::from(q.year) + f64::from(q.q - 1) / 4.0;
            let mut list: Vec<(usize, f64)> = Vec::new();
            let deals = match &s.build_out {
                BuildOut::Deals(book) => Some(book),
                _ => None,
            };
            // The deals' own split of the quarter.
            if let Some(book) = deals {
                let running: Vec<(usize, f64)> = (book.deals.iter().enumerate())
                    .filter(|(_, d)| (d.start.index()..=d.end.index()).contains(&q.index()))
                    .map(|(i, d)| (self.first_deal_line + i, d.per_quarter_usd_b()))
                    .filter(|(_, usd)| *usd > 0.0)
                    .collect();
                let total: f64 = running.iter().map(|(_, usd)| usd).sum();
                if total > 0.0 {
                    list.extend(running.into_iter().map(|(l, usd)| (l, usd / total)));
                }
            }
            let keyframes = first_keyframe.is_some_and(|first| deals.is_none() || x >= first);
            if keyframes {
                let from_deals = std::mem::take(&mut list);
                for (p, path) in share_paths.iter().enumerate() {
                    let share = interpolate(path, x);
                    if share <= 0.0 {
                        continue;
                    }
                    let mine: f64 =
                        from_deals.iter().filter(|(l, _)| self.lines[*l].p == p).map(|(_, f)| f).sum();
                    if mine > 0.0 {
                        list.extend(
                            from_deals
                                .iter()
                                .filter(|(l, _)| self.lines[*l].p == p)
                                .map(|&(l, f)| (l, f / mine * share)),
                        );
                    } else {
                        own.clear();
                        own.extend(self.line_weights(q.index(), p));
                        list.extend(own.iter().map(|&(l, w)| (l, share * w)));
                    }
                }
            }
            sources.push(list);
        }
        let mut shares = vec![0.0; self.quarters.len() * np];
        for (q, list) in sources.iter().enumerate() {
            for &(l, f) in list {
                shares[q * np + self.lines[l].p] += f;
            }
        }
        self.sources = sources;
        self.shares = shares;
    }

    /// Whether buying line `line` offers a domestic accelerator: a domestic builder, whose
    /// banned money stays in a region with a domestic industry.
    pub fn buys_domestic(&self, line: usize) -> bool {
        self.domestic_lines[line]
    }

    /// Number of providers, regions and accelerators.
    pub fn dims(&self) -> (usize, usize, usize) {
        (self.prov.len(), self.reg.len(), self.acc.len())
    }

    /// Flat index of a (provider, region, accelerator) cell.
    pub fn cell(&self, p: usize, r: usize, a: usize) -> usize {
        let (_, nr, na) = self.dims();
        (p * nr + r) * na + a
    }

    /// The (provider, region, accelerator) of a flat cell index.
    pub fn uncell(&self, cell: usize) -> (usize, usize, usize) {
        let (_, nr, na) = self.dims();
        (cell / (nr * na), (cell / na) % nr, cell % na)
    }

    /// The export decision for an accelerator in a region in a year (offset from the start).
    pub fn decision(&self, year_offset: usize, r: usize, a: usize) -> Decision {
        let (_, nr, na) = self.dims();
        self.decisions[(year_offset * nr + r) * na + a]
    }

    /// Whether two models make the same export decisions everywhere.
    pub fn same_decisions(&self, other: &Model) -> bool {
        self.decisions == other.decisions
    }

    /// The provider's lines with the share of its capital each takes in the quarter with running
    /// index `q_abs`: their weights normalised over the lines with an offer available then.
    pub fn line_weights(&self, q_abs: i64, p: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
        let open = move |l: &usize| self.lines[*l].offers.iter().any(|&a| self.acc[a].first_q <= q_abs);
        let total: f64 = self.prov[p].lines.clone().filter(open).map(|l| self.lines[l].weight).sum();
        self.prov[p]
            .lines
            .clone()
            .filter(open)
            .map(move |l| (l, if total > 0.0 { self.lines[l].weight / total } else { 0.0 }))
    }

    /// The provider's line that buys accelerator `a` (its first line if none offers it).
    pub fn line_of(&self, p: usize, a: usize) -> usize {
        let lines = self.prov[p].lines.clone();
        lines.clone().find(|&l| self.lines[l].offers.contains(&a)).unwrap_or(lines.start)
    }

    /// Share of new capacity of provider `p` in quarter `q` (0–1).
    pub fn share(&self, q: usize, p: usize) -> f64 {
        self.shares[q * self.prov.len() + p]
    }

    /// All-in capital per accelerator `a` installed in region `r` in a new building: hardware
    /// plus building, USD.
    pub fn unit_capex(&self, r: usize, a: usize) -> f64 {
        self.acc[a].price_usd + self.unit_building(r, a)
    }

    /// The building one accelerator `a` needs in region `r`, USD.
    pub fn unit_building(&self, r: usize, a: usize) -> f64 {
        self.acc[a].it_w * self.reg[r].capex_usd_per_w
    }

    /// Flat index of a site (provider × region).
    pub fn site(&self, p: usize, r: usize) -> usize {
        p * self.reg.len() + r
    }

    /// Design facility power of one accelerator `a` run by provider `p`, W.
    pub fn unit_facility_w(&self, p: usize, a: usize) -> f64 {
        self.acc[a].it_w * self.prov[p].pue
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interpolation_is_linear_and_held_outside() {
        let pts = [(2023.0, 90.0), (2026.0, 50.0)];
        assert_eq!(interpolate(&pts, 2020.0), 90.0);
        assert_eq!(interpolate(&pts, 2023.0), 90.0);
        assert!((interpolate(&pts, 2024.5) - 70.0).abs() < 1e-12);
        assert_eq!(interpolate(&pts, 2026.0), 50.0);
        assert_eq!(interpolate(&pts, 2030.0), 50.0);
        assert_eq!(interpolate(&[], 2030.0), 0.0);
    }

    #[test]
    fn the_charts_shares_follow_the_article() {
        let s = crate::scenario::base("article-chart").unwrap();
        let m = Model::new(&s);
        let azure = s.provider_index("azure").unwrap();
        let aws = s.provider_index("aws").unwrap();
        // 2023Q1 is the first quarter; 2026Q1 is quarter 12.
        assert!((m.share(0, azure) - 0.90).abs() < 1e-12);
        assert!((m.share(12, azure) - 0.50).abs() < 1e-12);
        assert!((m.share(12, aws) - 0.45).abs() < 1e-12);
        assert!((m.share(43, aws) - 0.45).abs() < 1e-12);
        for q in 0..m.quarters.len() {
            let sum: f64 = (0..m.prov.len()).map(|p| m.share(q, p)).sum();
            assert!((sum - 1.0).abs() < 1e-9);
        }
    }

    #[test]
    fn deals_set_the_shares_and_keyframes_override_them_from_their_year() {
        let s = Scenario::default();
        let m = Model::new(&s);
        let (azure, aws) = (s.provider_index("azure").unwrap(), s.provider_index("aws").unwrap());
        // 2023: Azure's $4.5B of $5B (Oracle's first $0.5B from 2023Q3).
        assert_eq!(m.share(0, azure), 1.0);
        assert_eq!(m.share(0, aws), 0.0, "AWS has no share before its deal");
        assert!(m.share(11, aws) > 0.0, "2025Q4: the AWS deal starts");
        // A share keyframe at 2026 overrides the deals from 2026 on, not before.
        let mut over = s.clone();
        over.provider_shares_pct.insert(2026, [("aws".to_string(), 100.0)].into());
        let m2 = Model::new(&over);
        assert_eq!(m2.share(11, aws), m.share(11, aws));
        assert!((m2.share(12, aws) - 1.0).abs() < 1e-12);
        assert!((m2.share(43, aws) - 1.0).abs() < 1e-12, "held after the keyframe, past AWS's own deal");
        for q in 0..m2.quarters.len() {
            let sum: f64 = (0..m2.prov.len()).map(|p| m2.share(q, p)).sum();
            assert!((sum - 1.0).abs() < 1e-9, "{q}: {sum}");
        }
    }
}
