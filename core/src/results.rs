//! What a simulation produces: quarterly series (totals and breakdowns), summary figures, and the
//! money redirected by export rules and limits.
//!
//! **Breakdowns add up to totals**: for every additive metric, the by-provider, by-region and
//! by-accelerator series each sum to the total in every quarter (up to floating-point rounding).

use serde::Serialize;

use crate::quarter::Quarter;

/// A simulated quantity, with its unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Installed AI accelerators at the end of the quarter (conventional servers not counted).
    Accelerators,
    /// Installed H100-equivalents (by dense BF16 throughput).
    H100e,
    /// Installed peak dense BF16 compute, EFLOP/s.
    PeakEflops,
    /// Effective compute: peak × utilisation × algorithmic efficiency, EFLOP/s.
    EffectiveEflops,
    /// Average IT power drawn, GW.
    ItPowerGw,
    /// Average facility power drawn (IT × PUE), GW.
    FacilityPowerGw,
    /// Design facility power of the installed fleet at full load, GW.
    DesignPowerGw,
    /// Design facility power of the buildings standing (shell, power and cooling, whether full or
    /// not), GW; by the purchase that had them built.
    BuildingsGw,
    /// Facility energy in the quarter, TWh.
    EnergyTwh,
    /// Location-based operational emissions in the quarter, Mt CO2e.
    CarbonLocationMt,
    /// Market-based operational emissions in the quarter, Mt CO2e.
    CarbonMarketMt,
    /// Capital charge in the quarter: the hardware installed and the buildings standing, each paid
    /// off over its lifetime with the cost of capital (an annuity), billions of USD.
    CapitalChargeUsdB,
    /// Electricity cost in the quarter, billions of USD.
    EnergyCostUsdB,
    /// Carbon-price cost in the quarter, billions of USD.
    CarbonCostUsdB,
    /// Water consumed in the quarter, gigalitres (10⁹ L).
    WaterGl,
    /// Embodied emissions of accelerators installed in the quarter, Mt CO2e.
    EmbodiedCarbonMt,
    /// Capital spent in the quarter (hardware and buildings), billions of USD.
    CapitalUsdB,
    /// The part of the capital spent on new buildings, billions of USD.
    BuildingCapitalUsdB,
    /// Design facility power of the buildings built in the quarter, GW (what power limits count).
    NewBuildingsGw,
    /// H100-equivalents installed in the quarter.
    AddedH100e,
    /// Capital that export rules or limits moved away from where it was meant to go, by origin.
    BlockedUsdB,
    /// Capital that arrived somewhere other than planned, by destination.
    RedirectedUsdB,
    /// Cost per H100-equivalent-hour: (capital charge + energy + carbon cost) ÷ H100e-hours, USD.
    CostPerH100eHourUsd,
    /// All-in capital per design GW of the quarter's new builds (accelerators bought into new
    /// buildings, with those buildings), billions of USD per GW; 0 without new builds.
    AllInUsdBPerGw,
    /// Herfindahl–Hirschman index of installed H100e by provider (0–10,000).
    Hhi,
    /// H100e left if the largest provider fails.
    H100eWithoutLargest,
    /// Share of installed H100e in the US group, %.
    ShareUsPct,
    /// Share of installed H100e in the close-allies group, %.
    ShareCloseAlliesPct,
    /// Share of installed H100e in the middle-tier group, %.
    ShareMiddleTierPct,
    /// Share of installed H100e in the embargoed group, %.
    ShareEmbargoedPct,
    /// Capital that could be placed nowhere (everything blocked), billions of USD.
    UnspentUsdB,
    /// Demand a region with a domestic industry could not meet: banned imports and the domestic
    /// supply used up, billions of USD.
    UnmetUsdB,
}

impl Metric {
    /// Number of level metrics: measured on the installed fleet every quarter, first in
    /// [`Metric::ADDITIVE`].
    pub const LEVELS: usize = 15;

    /// Metrics with breakdowns by provider, region and accelerator: the levels, then the flows of
    /// new purchases and redirected money.
    pub const ADDITIVE: [Metric; 22] = [
        Metric::Accelerators,
        Metric::H100e,
        Metric::PeakEflops,
        Metric::EffectiveEflops,
        Metric::ItPowerGw,
        Metric::FacilityPowerGw,
        Metric::DesignPowerGw,
        Metric::BuildingsGw,
        Metric::EnergyTwh,
        Metric::CarbonLocationMt,
        Metric::CarbonMarketMt,
        Metric::CapitalChargeUsdB,
        Metric::EnergyCostUsdB,
        Metric::CarbonCostUsdB,
        Metric::WaterGl,
        Metric::EmbodiedCarbonMt,
        Metric::CapitalUsdB,
        Metric::BuildingCapitalUsdB,
        Metric::NewBuildingsGw,
        Metric::AddedH100e,
        Metric::BlockedUsdB,
        Metric::RedirectedUsdB,
    ];

    /// Metrics that are ratios or whole-fleet figures, with totals only.
    pub const TOTAL_ONLY: [Metric; 10] = [
        Metric::CostPerH100eHourUsd,
        Metric::AllInUsdBPerGw,
        Metric::Hhi,
        Metric::H100eWithoutLargest,
        Metric::ShareUsPct,
        Metric::ShareCloseAlliesPct,
        Metric::ShareMiddleTierPct,
        Metric::ShareEmbargoedPct,
        Metric::UnspentUsdB,
        Metric::UnmetUsdB,
    ];

    /// Every metric in declaration order: the additive ones, then the total-only ones.
    pub const ALL: [Metric; 32] = {
        let mut all = [Metric::Accelerators; 32];
        let mut i = 0;
        while i < Metric::ADDITIVE.len() {
            all[i] = Metric::ADDITIVE[i];
            i += 1;
        }
        while i < all.len() {
            all[i] = Metric::TOTAL_ONLY[i - Metric::ADDITIVE.len()];
            i += 1;
        }
        all
    };

    /// The metric with the given identifier.
    pub fn from_id(id: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.id() == id)
    }

    /// The identifier used in CSV and JSON (`energy_twh`).
    pub fn id(self) -> &'static str {
        match self {
            Metric::Accelerators => "accelerators",
            Metric::H100e => "h100e",
            Metric::PeakEflops => "peak_eflops",
            Metric::EffectiveEflops => "effective_eflops",
            Metric::ItPowerGw => "it_power_gw",
            Metric::FacilityPowerGw => "facility_power_gw",
            Metric::DesignPowerGw => "design_power_gw",
            Metric::BuildingsGw => "buildings_gw",
            Metric::EnergyTwh => "energy_twh",
            Metric::CarbonLocationMt => "carbon_location_mt",
            Metric::CarbonMarketMt => "carbon_market_mt",
            Metric::EmbodiedCarbonMt => "embodied_carbon_mt",
            Metric::CapitalUsdB => "capital_usd_b",
            Metric::BuildingCapitalUsdB => "building_capital_usd_b",
            Metric::NewBuildingsGw => "new_buildings_gw",
            Metric::CapitalChargeUsdB => "capital_charge_usd_b",
            Metric::EnergyCostUsdB => "energy_cost_usd_b",
            Metric::CarbonCostUsdB => "carbon_cost_usd_b",
            Metric::WaterGl => "water_gl",
            Metric::AddedH100e => "added_h100e",
            Metric::BlockedUsdB => "blocked_usd_b",
            Metric::RedirectedUsdB => "redirected_usd_b",
            Metric::CostPerH100eHourUsd => "cost_per_h100e_hour_usd",
            Metric::AllInUsdBPerGw => "all_in_usd_b_per_gw",
            Metric::Hhi => "hhi",
            Metric::H100eWithoutLargest => "h100e_without_largest",
            Metric::ShareUsPct => "share_us_pct",
            Metric::ShareCloseAlliesPct => "share_close_allies_pct",
            Metric::ShareMiddleTierPct => "share_middle_tier_pct",
            Metric::ShareEmbargoedPct => "share_embargoed_pct",
            Metric::UnspentUsdB => "unspent_usd_b",
            Metric::UnmetUsdB => "unmet_usd_b",
        }
    }

    /// A label for people (CSV and tables).
    pub fn label(self) -> &'static str {
        match self {
            Metric::Accelerators => "Accelerators installed",
            Metric::H100e => "Capacity, H100-equivalents",
            Metric::PeakEflops => "Peak compute",
            Metric::EffectiveEflops => "Effective compute (utilisation and efficiency)",
            Metric::ItPowerGw => "IT power drawn",
            Metric::FacilityPowerGw => "Facility power drawn",
            Metric::DesignPowerGw => "Facility power, design",
            Metric::BuildingsGw => "Buildings, design power",
            Metric::EnergyTwh => "Electricity used",
            Metric::CarbonLocationMt => "Operational carbon, location-based",
            Metric::CarbonMarketMt => "Operational carbon, market-based",
            Metric::EmbodiedCarbonMt => "Embodied carbon of new hardware",
            Metric::CapitalUsdB => "Capital spent on hardware",
            Metric::BuildingCapitalUsdB => "Capital spent on buildings",
            Metric::NewBuildingsGw => "New buildings, design power",
            Metric::CapitalChargeUsdB => "Capital charge (hardware and buildings)",
            Metric::EnergyCostUsdB => "Electricity cost",
            Metric::CarbonCostUsdB => "Carbon cost",
            Metric::WaterGl => "Water consumed",
            Metric::AddedH100e => "H100-equivalents added",
            Metric::BlockedUsdB => "Capital blocked by export rules or limits",
            Metric::RedirectedUsdB => "Capital redirected",
            Metric::CostPerH100eHourUsd => "Cost per H100e-hour",
            Metric::AllInUsdBPerGw => "All-in capital per GW of new capacity",
            Metric::Hhi => "Provider concentration (HHI)",
            Metric::H100eWithoutLargest => "Capacity without the largest provider",
            Metric::ShareUsPct => "Share of capacity in the US",
            Metric::ShareCloseAlliesPct => "Share of capacity in close allies",
            Metric::ShareMiddleTierPct => "Share of capacity in the middle tier",
            Metric::ShareEmbargoedPct => "Share of capacity in embargoed countries",
            Metric::UnspentUsdB => "Capital unspent",
            Metric::UnmetUsdB => "Demand unmet under export bans",
        }
    }

    /// The unit, as printed in CSV and on charts.
    pub fn unit(self) -> &'static str {
        match self {
            Metric::Accelerators => "accelerators",
            Metric::H100e | Metric::AddedH100e | Metric::H100eWithoutLargest => "H100e",
            Metric::PeakEflops | Metric::EffectiveEflops => "EFLOP/s",
            Metric::ItPowerGw
            | Metric::FacilityPowerGw
            | Metric::DesignPowerGw
            | Metric::BuildingsGw
            | Metric::NewBuildingsGw => "GW",
            Metric::EnergyTwh => "TWh",
            Metric::CarbonLocationMt | Metric::CarbonMarketMt | Metric::EmbodiedCarbonMt => "Mt CO2e",
            Metric::CapitalUsdB
            | Metric::BuildingCapitalUsdB
            | Metric::CapitalChargeUsdB
            | Metric::EnergyCostUsdB
            | Metric::CarbonCostUsdB
            | Metric::BlockedUsdB
            | Metric::RedirectedUsdB
            | Metric::UnspentUsdB
            | Metric::UnmetUsdB => "USD bn",
            Metric::WaterGl => "GL",
            Metric::CostPerH100eHourUsd => "USD/H100e-hour",
            Metric::AllInUsdBPerGw => "USD bn/GW",
            Metric::Hhi => "HHI",
            Metric::ShareUsPct
            | Metric::ShareCloseAlliesPct
            | Metric::ShareMiddleTierPct
            | Metric::ShareEmbargoedPct => "%",
        }
    }

    /// True for quantities measured over the quarter (summed to get a year), false for levels.
    pub fn is_flow(self) -> bool {
        matches!(
            self,
            Metric::EnergyTwh
                | Metric::CarbonLocationMt
                | Metric::CarbonMarketMt
                | Metric::EmbodiedCarbonMt
                | Metric::CapitalUsdB
                | Metric::BuildingCapitalUsdB
                | Metric::NewBuildingsGw
                | Metric::CapitalChargeUsdB
                | Metric::EnergyCostUsdB
                | Metric::CarbonCostUsdB
                | Metric::WaterGl
                | Metric::AddedH100e
                | Metric::BlockedUsdB
                | Metric::RedirectedUsdB
                | Metric::UnspentUsdB
                | Metric::UnmetUsdB
        )
    }
}

/// One metric over time: the total and, for additive metrics, its breakdowns.
///
/// Breakdowns are flattened row-major: entity `i`'s value in quarter `q` is at `i × quarters + q`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Series {
    /// Which quantity.
    pub metric: Metric,
    /// The total per quarter.
    pub total: Vec<f64>,
    /// Per provider (empty for total-only metrics).
    pub by_provider: Vec<f64>,
    /// Per region (empty for total-only metrics).
    pub by_region: Vec<f64>,
    /// Per accelerator (empty for total-only metrics).
    pub by_accelerator: Vec<f64>,
}

impl Series {
    /// The series of provider `p` (empty for total-only metrics).
    pub fn provider(&self, p: usize) -> &[f64] {
        row(&self.by_provider, p, self.total.len())
    }

    /// The series of region `r`.
    pub fn region(&self, r: usize) -> &[f64] {
        row(&self.by_region, r, self.total.len())
    }

    /// The series of accelerator `a`.
    pub fn accelerator(&self, a: usize) -> &[f64] {
        row(&self.by_accelerator, a, self.total.len())
    }
}

fn row(flat: &[f64], i: usize, n: usize) -> &[f64] {
    flat.get(i * n..(i + 1) * n).unwrap_or(&[])
}

/// The fleet of one (provider, region, accelerator) combination over time: the joint detail behind
/// the marginal breakdowns, for every combination that ever held accelerators.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CellSeries {
    /// Index into [`Results::providers`].
    pub provider: usize,
    /// Index into [`Results::regions`].
    pub region: usize,
    /// Index into [`Results::accelerators`].
    pub accelerator: usize,
    /// Installed accelerators per quarter.
    pub installed: Vec<f64>,
    /// Accelerators added per quarter.
    pub added: Vec<f64>,
}

/// Why money was moved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RedirectReason {
    /// An export rule bans the preferred accelerator there.
    Ban,
    /// An export cap was reached.
    Cap,
    /// The region's new-power limit was reached.
    PowerLimit,
    /// The provider offers nothing available yet.
    Unavailable,
    /// The year's domestic accelerator supply was used up.
    SupplyLimit,
    /// Smuggled or diverted: the share of banned money that still bought the banned accelerator
    /// in a region with a domestic industry (its flow goes from the banned cell to itself).
    Leakage,
}

/// Money moved from where it was meant to go to where it went, summed over one calendar year of
/// the run ([`Results::redirects`]) or over the whole span ([`Results::redirects_over_span`]).
///
/// Money placed nowhere (empty `to_*` ids) is either *unspent* (nobody could place it) or *unmet*
/// demand (a region with a domestic industry whose imports a ban blocked and whose domestic
/// supply ran out): `unmet` tells which.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RedirectFlow {
    /// The calendar year of the quarters the money moved in (over the span: the first year it
    /// moved in).
    pub year: i32,
    /// Why it moved.
    pub reason: RedirectReason,
    /// Provider id it was meant for.
    pub from_provider: String,
    /// Region id it was meant for.
    pub from_region: String,
    /// Accelerator id it was meant for (empty if none was available).
    pub from_accelerator: String,
    /// Provider id it went to (empty if it could be placed nowhere).
    pub to_provider: String,
    /// Region id it went to (empty if nowhere).
    pub to_region: String,
    /// Accelerator id it bought (empty if nothing).
    pub to_accelerator: String,
    /// Capital moved, billions of USD.
    pub usd_b: f64,
    /// H100-equivalents it bought at the destination.
    pub h100e: f64,
    /// True for money placed nowhere that is unmet demand under export bans; false for unspent
    /// money (placed nowhere, no ban to blame) and for every placed flow.
    pub unmet: bool,
}

/// Where redirected money ended up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Destination {
    /// It bought an accelerator elsewhere (`to_provider`, `to_region`, `to_accelerator`).
    Placed,
    /// Demand a region with a domestic industry could not meet: its imports banned, its domestic
    /// supply used up.
    Unmet,
    /// Nobody could place it.
    Unspent,
}

impl RedirectFlow {
    /// Whether the money was placed nowhere (unspent or unmet).
    pub fn is_unplaced(&self) -> bool {
        self.to_provider.is_empty()
    }

    /// Where the money ended up.
    pub fn destination(&self) -> Destination {
        match (self.is_unplaced(), self.unmet) {
            (false, _) => Destination::Placed,
            (true, true) => Destination::Unmet,
            (true, false) => Destination::Unspent,
        }
    }

    /// The flow's identity apart from its year: reason, origin, destination and the unmet flag.
    fn route(&self) -> (RedirectReason, [&str; 6], bool) {
        let ids = [
            self.from_provider.as_str(),
            self.from_region.as_str(),
            self.from_accelerator.as_str(),
            self.to_provider.as_str(),
            self.to_region.as_str(),
            self.to_accelerator.as_str(),
        ];
        (self.reason, ids, self.unmet)
    }
}

/// What one deal of the scenario placed over the span (see [`crate::scenario::DealBook`]).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DealOutcome {
    /// The deal's id.
    pub id: String,
    /// The provider that builds it.
    pub provider: String,
    /// Capital it placed, billions of USD (what it could not place moved elsewhere or went unspent).
    pub capital_usd_b: f64,
    /// H100-equivalents it bought.
    pub h100e: f64,
    /// Design facility power of what it bought (IT power × PUE), GW.
    pub design_gw: f64,
}

/// Headline figures: the end year and the whole span.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    /// The last simulated year.
    pub end_year: i32,
    /// Installed H100e at the end.
    pub h100e_end: f64,
    /// Installed accelerators at the end.
    pub accelerators_end: f64,
    /// Peak compute at the end, EFLOP/s.
    pub peak_eflops_end: f64,
    /// Effective compute at the end, EFLOP/s.
    pub effective_eflops_end: f64,
    /// Average facility power in the end year, GW.
    pub facility_power_gw_end_year: f64,
    /// Facility energy in the end year, TWh.
    pub energy_twh_end_year: f64,
    /// Location-based emissions in the end year, Mt CO2e.
    pub carbon_location_mt_end_year: f64,
    /// Market-based emissions in the end year, Mt CO2e.
    pub carbon_market_mt_end_year: f64,
    /// Capital spent in the end year, USD bn.
    pub capital_usd_b_end_year: f64,
    /// Energy cost in the end year, USD bn.
    pub energy_cost_usd_b_end_year: f64,
    /// Carbon cost in the end year, USD bn.
    pub carbon_cost_usd_b_end_year: f64,
    /// Cost per H100e-hour in the end year, USD.
    pub cost_per_h100e_hour_usd_end_year: f64,
    /// Water in the end year, GL.
    pub water_gl_end_year: f64,
    /// All-in capital per design GW of new builds in the end year, USD bn per GW (0 without any).
    pub all_in_usd_b_per_gw_end_year: f64,
    /// All-in capital per design GW of every new build over the span, USD bn per GW.
    pub all_in_usd_b_per_gw_total: f64,
    /// HHI of capacity by provider at the end.
    pub hhi_end: f64,
    /// Share of H100e left if the largest provider fails, at the end, %.
    pub capacity_without_largest_pct_end: f64,
    /// Share of H100e per export group at the end, % (US, close allies, middle tier, embargoed).
    pub group_share_pct_end: [f64; 4],
    /// Capital spent over the span, USD bn.
    pub capital_usd_b_total: f64,
    /// Energy over the span, TWh.
    pub energy_twh_total: f64,
    /// Energy cost over the span, USD bn.
    pub energy_cost_usd_b_total: f64,
    /// Carbon cost over the span, USD bn.
    pub carbon_cost_usd_b_total: f64,
    /// Location-based emissions over the span, Mt CO2e.
    pub carbon_location_mt_total: f64,
    /// Market-based emissions over the span, Mt CO2e.
    pub carbon_market_mt_total: f64,
    /// Embodied emissions over the span, Mt CO2e.
    pub embodied_carbon_mt_total: f64,
    /// Water over the span, GL.
    pub water_gl_total: f64,
    /// Capital moved by export rules and limits over the span, USD bn.
    pub redirected_usd_b_total: f64,
    /// H100e bought with redirected capital over the span.
    pub redirected_h100e_total: f64,
    /// Capital that could be placed nowhere, USD bn.
    pub unspent_usd_b_total: f64,
    /// Demand a region with a domestic industry could not meet, USD bn.
    pub unmet_usd_b_total: f64,
}

/// Everything a simulation produces.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Results {
    /// The simulated quarters, in order.
    pub quarters: Vec<Quarter>,
    /// Provider ids, in breakdown order.
    pub providers: Vec<String>,
    /// Region ids, in breakdown order.
    pub regions: Vec<String>,
    /// Accelerator ids, in breakdown order.
    pub accelerators: Vec<String>,
    /// One series per metric, additive metrics first, in [`Metric::ADDITIVE`] then
    /// [`Metric::TOTAL_ONLY`] order.
    pub series: Vec<Series>,
    /// Installed and added accelerators per (provider, region, accelerator) that ever held any.
    pub cells: Vec<CellSeries>,
    /// Redirected money by calendar year: one flow per reason, origin, destination, unmet flag
    /// and year, in that order (ids in the scenario's order of providers, regions and
    /// accelerators, placed nowhere last; see [`Results::redirects_over_span`] for the span's).
    pub redirects: Vec<RedirectFlow>,
    /// What each deal placed (empty unless the build-out is a deal book).
    pub deals: Vec<DealOutcome>,
    /// Headline figures.
    pub summary: Summary,
    /// Non-fatal remarks (money that could be placed nowhere, a fleet that retired before the start).
    pub warnings: Vec<String>,
}

impl Results {
    /// Provider `p`'s share of an additive metric's total per quarter, percent (the article's
    /// share of new capital, with `CapitalUsdB`); 0 in a quarter whose total is residue (below
    /// [`crate::limits::RESIDUE`]).
    pub fn provider_share_pct(&self, metric: Metric, p: usize) -> Vec<f64> {
        let series = self.series(metric);
        let of = series.provider(p);
        (0..self.quarters.len())
            .map(|q| {
                let total = series.total[q];
                if total > crate::limits::RESIDUE {
                    100.0 * of.get(q).copied().unwrap_or(0.0) / total
                } else {
                    0.0
                }
            })
            .collect()
    }

    /// The series of one metric: total and breakdowns.
    pub fn series(&self, metric: Metric) -> &Series {
        // The simulation stores one series per metric in declaration order (see `Metric::ALL`).
        &self.series[metric as usize]
    }

    /// The total of one metric per quarter.
    pub fn total(&self, metric: Metric) -> &[f64] {
        &self.series(metric).total
    }

    /// The redirected money over the whole span: the flows of [`Results::redirects`] that differ
    /// only in their year summed into one, whose `year` is the first year it moved in. In the
    /// order each first appears in `redirects` (so, for a simulation's results: by reason, origin,
    /// destination and unmet flag, as the flows were keyed before they were split by year).
    pub fn redirects_over_span(&self) -> Vec<RedirectFlow> {
        let mut at: std::collections::BTreeMap<_, usize> = std::collections::BTreeMap::new();
        let mut out: Vec<RedirectFlow> = Vec::new();
        for f in &self.redirects {
            match at.get(&f.route()) {
                Some(&i) => {
                    let merged = &mut out[i];
                    merged.year = merged.year.min(f.year);
                    merged.usd_b += f.usd_b;
                    merged.h100e += f.h100e;
                }
                None => {
                    at.insert(f.route(), out.len());
                    out.push(f.clone());
                }
            }
        }
        out
    }

    /// The results as JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Installed H100-equivalents in quarter `q` by accelerator family (rows, in [`Family::ALL`]
/// order) and export group (columns, in [`ExportGroup::ALL`] order): where each kind of chip ends
/// up, the view export rules act on. `s` is the scenario the results came from.
pub fn h100e_by_family_and_group(
    r: &Results,
    s: &crate::Scenario,
    q: usize,
) -> [[f64; 4]; crate::policy::Family::ALL.len()] {
    let mut table = [[0.0; 4]; crate::policy::Family::ALL.len()];
    let h100 = s
        .accelerators
        .iter()
        .find(|a| a.id == crate::scenario::H100E_REFERENCE)
        .map_or(1.0, |a| a.bf16_dense_tflops);
    for cell in &r.cells {
        let (Some(a), Some(region)) = (s.accelerators.get(cell.accelerator), s.regions.get(cell.region))
        else {
            continue;
        };
        let Some(family) = crate::policy::Family::ALL.iter().position(|f| *f == a.family) else {
            continue;
        };
        table[family][region.export_group.index()] +=
            cell.installed.get(q).copied().unwrap_or(0.0) * a.bf16_dense_tflops / h100;
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metric_order_is_the_series_order() {
        for (i, metric) in Metric::ALL.iter().enumerate() {
            assert_eq!(*metric as usize, i, "{metric:?}");
            assert_eq!(Metric::from_id(metric.id()), Some(*metric));
        }
        assert_eq!(Metric::ALL.len(), Metric::ADDITIVE.len() + Metric::TOTAL_ONLY.len());
        // After the level metrics (measured on the installed fleet) come the flows of purchases.
        for metric in &Metric::ADDITIVE[Metric::LEVELS..] {
            assert!(metric.is_flow(), "{metric:?} after the levels is a flow of purchases");
        }
    }

    #[test]
    fn family_by_group_table_adds_up_to_capacity() {
        let s = crate::Scenario::default();
        let r = crate::simulate(&s).unwrap();
        let q = r.quarters.len() - 1;
        let table = h100e_by_family_and_group(&r, &s, q);
        let total: f64 = table.iter().flatten().sum();
        assert!((total - r.total(Metric::H100e)[q]).abs() < 1e-6 * total);
        // The default policy bans everything to the embargoed group.
        assert!(table.iter().all(|row| row[3] == 0.0));
    }

    #[test]
    fn breakdown_rows_are_sliced_by_entity() {
        let s = Series {
            metric: Metric::EnergyTwh,
            total: vec![3.0, 30.0],
            by_provider: vec![1.0, 10.0, 2.0, 20.0],
            by_region: vec![3.0, 30.0],
            by_accelerator: Vec::new(),
        };
        assert_eq!(s.provider(1), &[2.0, 20.0]);
        assert_eq!(s.region(0), &[3.0, 30.0]);
        assert!(s.provider(2).is_empty() && s.accelerator(0).is_empty());
    }
}
