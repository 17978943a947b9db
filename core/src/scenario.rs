//! The scenario: every input of the model in one serialisable value.
//!
//! A scenario file is JSON. Every top-level field is optional except `format_version`; a field left
//! out takes its default from [`Scenario::default`] (the article's world), so a hand-written file
//! can be as short as `{"format_version": 1, "energy_cost_multiplier": 1.5}`. A list given in a
//! file (for example `providers`) replaces the default list whole. See `tests/scenarios/README.md`
//! for the format with examples, and the `parse` module for how files are read.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};

use crate::data::{DataSet, default_data};
use crate::policy::{ExportGroup, ExportRule, Family};
use crate::quarter::Quarter;

/// The scenario format version this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// Id of the accelerator that defines one H100-equivalent.
pub const H100E_REFERENCE: &str = "h100";

/// An accelerator model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Accelerator {
    /// Short identifier, referenced by providers, rules and fleet cohorts.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Chip vendor.
    pub vendor: String,
    /// Architecture family.
    pub family: Family,
    /// First quarter of volume supply.
    pub first_available: Quarter,
    /// Dense BF16 throughput, TFLOP/s.
    pub bf16_dense_tflops: f64,
    /// Chip power (TDP), W.
    pub chip_power_w: f64,
    /// All-in IT power at full load (server, CPU and network share), W.
    pub it_power_w: f64,
    /// All-in hardware price (chip, server and network share), USD.
    pub price_usd: f64,
    /// Embodied emissions with the server share, kg CO2e.
    pub embodied_kgco2e: f64,
    /// High-bandwidth memory, GB.
    #[serde(default)]
    pub memory_gb: f64,
    /// For a projected accelerator, the one its figures are projected from by the scenario's
    /// [`Trend`]: its numbers above are then derived ([`Scenario::project`]), not read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub projected_from: Option<String>,
}

/// The technology trend after the announced roadmap: how projected accelerators improve on the
/// part they are projected from, per year between their first quarters of supply.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trend {
    /// Yearly gain of dense throughput per watt (0.4 = +40% a year), at the same power per package.
    pub perf_per_watt_gain_per_year: f64,
    /// Yearly gain of dense throughput per all-in dollar.
    pub perf_per_usd_gain_per_year: f64,
}

impl Default for Trend {
    fn default() -> Self {
        let t = &default_data().trend;
        Trend {
            perf_per_watt_gain_per_year: t.perf_per_watt_gain_per_year.value,
            perf_per_usd_gain_per_year: t.perf_per_usd_gain_per_year.value,
        }
    }
}

impl Trend {
    /// The figures of an accelerator projected `years` after `base`: throughput × (1 + w)^years at
    /// the same power, price so that throughput per dollar grows by (1 + usd)^years; memory and
    /// embodied carbon per package as the base's.
    pub fn project(&self, base: &Accelerator, years: f64) -> (f64, f64) {
        let perf = libm::pow(1.0 + self.perf_per_watt_gain_per_year, years);
        let per_usd = libm::pow(1.0 + self.perf_per_usd_gain_per_year, years);
        (base.bf16_dense_tflops * perf, base.price_usd * perf / per_usd)
    }
}

/// China's domestic accelerators: how many can be installed a year, and what share of the money a
/// ban blocks still buys the banned chips. Applies in regions with a domestic industry
/// ([`Region::domestic_industry`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DomesticSupply {
    /// Domestic accelerators (family `domestic`) installable per calendar year, all regions
    /// together, as keyframes (year → units): linear between keyframe years, held before the first
    /// and after the last. Empty: no limit.
    pub units_per_year: BTreeMap<i32, f64>,
    /// Multiplier on `units_per_year` (1 = the data's path).
    #[serde(default = "one")]
    pub scale: f64,
    /// Share (0–1) of the money an export ban blocks in a region with a domestic industry that
    /// still buys the banned accelerator there (smuggled or diverted chips).
    pub leakage_share: f64,
}

impl Default for DomesticSupply {
    fn default() -> Self {
        let d = &default_data().domestic_supply;
        DomesticSupply {
            units_per_year: d
                .units_per_year
                .iter()
                .filter_map(|(year, f)| Some((year.parse().ok()?, f.value)))
                .collect(),
            scale: 1.0,
            leakage_share: d.leakage_share.value,
        }
    }
}

/// A cloud provider or self-built programme.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provider {
    /// Short identifier.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Chart colour, `#rrggbb`.
    pub colour: String,
    /// Power usage effectiveness (facility ÷ IT power).
    pub pue: f64,
    /// Water use per kWh of IT energy, litres.
    pub wue_l_per_kwh: f64,
    /// Share of electricity matched by carbon-free procurement (0–1).
    pub cfe_share: f64,
    /// Accelerators offered, in order of preference: each quarter the provider buys the first one
    /// that is available (and, where a ban forces a downgrade, allowed).
    pub offers: Vec<String>,
    /// Regions where the provider builds, with relative weights.
    pub regions: BTreeMap<String, f64>,
    /// The share of capital each chip vendor gets (relative weights by [`Accelerator::vendor`]),
    /// normalised each quarter over the vendors with an available offer; empty: the provider buys
    /// the first available offer of any vendor.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub vendor_mix: BTreeMap<String, f64>,
}

/// A region with its grid, prices and export-control group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    /// Short identifier.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Export-control destination group.
    pub export_group: ExportGroup,
    /// Grid carbon intensity in the data's base year, g CO2e/kWh.
    pub intensity_g_per_kwh: f64,
    /// Relative change of grid intensity per year (−0.03 = falls 3 % a year).
    pub intensity_change_per_year: f64,
    /// Industrial electricity price, USD/MWh.
    pub price_usd_per_mwh: f64,
    /// Data-centre construction cost per W of IT power, USD.
    pub facility_capex_usd_per_w: f64,
    /// Limit on new facility power per calendar year, GW; `null` for none.
    #[serde(default)]
    pub new_power_limit_gw_per_year: Option<f64>,
    /// Whether a domestic accelerator industry stands in for banned imports here: money a ban
    /// blocks buys the domestic accelerators its buyer offers, within the domestic supply, and
    /// stays in the region (what the supply cannot meet is reported as unmet demand).
    #[serde(default)]
    pub domestic_industry: bool,
}

impl Region {
    /// Grid intensity in calendar `year`, g CO2e/kWh: the data's base-year intensity with its
    /// yearly change compounded, the change's rate scaled by `pace` (the scenario's
    /// `grid_decarbonisation_pace`). The simulation and the map both read it here.
    pub fn intensity_in(&self, year: i32, pace: f64) -> f64 {
        let base_year = default_data().meta.intensity_base_year;
        let rate = pace * libm::log(1.0 + self.intensity_change_per_year);
        self.intensity_g_per_kwh * libm::exp(rate * f64::from(year - base_year))
    }
}

/// The export-control policy in force: a name and its rules.
///
/// In a file it may be written as a preset id (`"export_policy": "oct-2023"`) or in full.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExportPolicy {
    /// Preset id this policy came from, or a free name for a custom policy.
    pub name: String,
    /// The rules (see [`crate::policy`] for how they combine).
    pub rules: Vec<ExportRule>,
}

impl ExportPolicy {
    /// The named preset from the default data, if it exists.
    pub fn preset(id: &str) -> Option<Self> {
        preset_from(default_data(), id)
    }

    /// Ids of every preset.
    pub fn preset_ids() -> Vec<&'static str> {
        default_data().export_policies.iter().map(|p| p.id.as_str()).collect()
    }
}

fn preset_from(data: &DataSet, id: &str) -> Option<ExportPolicy> {
    let p = data.export_policies.iter().find(|p| p.id == id)?;
    Some(ExportPolicy { name: p.id.clone(), rules: p.rules.clone() })
}

impl<'de> Deserialize<'de> for ExportPolicy {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Full {
            name: String,
            rules: Vec<ExportRule>,
        }
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Spec {
            Preset(String),
            Full(Full),
        }
        match Spec::deserialize(d)? {
            Spec::Full(f) => Ok(ExportPolicy { name: f.name, rules: f.rules }),
            Spec::Preset(id) => ExportPolicy::preset(&id).ok_or_else(|| {
                serde::de::Error::custom(format!(
                    "unknown export policy preset `{id}`; presets: {}",
                    ExportPolicy::preset_ids().join(", ")
                ))
            }),
        }
    }
}

/// How new capacity is paid for: a capital path or a capacity path.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum BuildOut {
    /// Capital per year, billions of USD, as keyframes (year → value); linear between keyframe
    /// years, held before the first and after the last. A quarter spends a quarter of its year's value.
    BudgetUsdBPerYear(BTreeMap<i32, f64>),
    /// Installed design facility power (GW) at the end of each keyframe year; linear from the
    /// fleet installed at the start to the first keyframe and between keyframes, held after the
    /// last. Each quarter buys what the target needs after retirements (it never sells).
    InstalledFacilityGw(BTreeMap<i32, f64>),
    /// Capital committed in deals, each with its provider, amount, timing, chips and sites: the
    /// provider shares follow from the deals (see [`DealBook`]).
    Deals(DealBook),
    /// Capital placed by the planner (`atlas_core::plan::apply`): each purchase spends a quarter of
    /// its hardware capital in each quarter of its year on its accelerator in its provider's
    /// region, and the buildings it needs beyond the room standing come on top; shares,
    /// region weights and the preferred-accelerator rule do not apply. Export rules, caps and power
    /// limits still do: money they block moves as usual. Purchases outside the span are ignored.
    Planned(Vec<PlannedPurchase>),
}

/// A buyer's compute deals: who builds, how much, when, with which chips and where.
///
/// Each quarter, the capital of every deal running then is placed at its sites on its chips (the
/// first available and allowed, as for a provider's own purchases); a provider's share of new
/// capacity is its deals' share of the quarter's capital. Share keyframes
/// ([`Scenario::provider_shares_pct`]) override the split from their first year on: each quarter's
/// capital is shared among providers by them, a provider's part going to its deals in proportion,
/// or to its own regions and offers if it has no deal running.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DealBook {
    /// The year whose shares the page's share sliders set (from which they override the deals).
    pub share_year: i32,
    /// The deals.
    pub deals: Vec<Deal>,
}

/// One deal: capital a provider spends evenly over a span of quarters on a list of chips at a set
/// of sites.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deal {
    /// Short identifier (`aws-2025`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// The provider who builds and runs it.
    pub provider: String,
    /// Capital, billions of USD (hardware and the buildings it needs).
    pub amount_usd_b: f64,
    /// First quarter of spending.
    pub start: Quarter,
    /// Last quarter of spending (inclusive).
    pub end: Quarter,
    /// Accelerators in order of preference, newest first: each quarter the deal buys the first
    /// that is available and allowed.
    pub chips: Vec<String>,
    /// Regions where it builds, with relative weights.
    pub sites: BTreeMap<String, f64>,
}

impl Deal {
    /// Number of quarters it spends in (0 if it ends before it starts).
    pub fn quarters(&self) -> i64 {
        (self.end.index() - self.start.index() + 1).max(0)
    }

    /// Capital it spends in each of its quarters, billions of USD.
    pub fn per_quarter_usd_b(&self) -> f64 {
        match self.quarters() {
            0 => 0.0,
            n => self.amount_usd_b / n as f64,
        }
    }
}

/// Capital one provider spends in one region on one accelerator in one year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlannedPurchase {
    /// Calendar year.
    pub year: i32,
    /// Provider id.
    pub provider: String,
    /// Region id.
    pub region: String,
    /// Accelerator id.
    pub accelerator: String,
    /// Hardware capital, billions of USD (the buildings it needs are bought on top).
    pub capital_usd_b: f64,
}

/// A cohort of the fleet installed before the span starts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cohort {
    /// Provider id.
    pub provider: String,
    /// Region id.
    pub region: String,
    /// Accelerator id.
    pub accelerator: String,
    /// Quarter of installation (before the span starts); it retires `lifetime_years` later.
    pub installed: Quarter,
    /// Number of accelerators.
    pub count: f64,
    /// Installed evenly over this many quarters from `installed` (1: all in that quarter), so that a
    /// fleet of mixed ages retires gradually rather than all at once.
    #[serde(default = "one_quarter", skip_serializing_if = "is_one_quarter")]
    pub spread_quarters: u32,
}

impl Cohort {
    /// The cohort as `(quarter index of installation, count)` parts, one per quarter of its spread.
    pub fn parts(&self) -> impl Iterator<Item = (i64, f64)> + '_ {
        let n = self.spread_quarters.max(1);
        (0..n).map(move |k| (self.installed.index() + i64::from(k), self.count / f64::from(n)))
    }

    /// The last quarter in which part of the cohort was installed.
    pub fn last_installed(&self) -> Quarter {
        Quarter::from_index(self.installed.index() + i64::from(self.spread_quarters.max(1)) - 1)
    }
}

fn one_quarter() -> u32 {
    1
}

fn is_one_quarter(n: &u32) -> bool {
    *n == 1
}

/// Which emissions the carbon price applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum CarbonBasis {
    /// Location-based emissions (grid average).
    #[default]
    Location,
    /// Market-based emissions (after carbon-free procurement).
    Market,
}

/// Where money goes when an export rule blocks the preferred purchase.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Redirect {
    /// Build the preferred accelerator in the provider's allowed regions instead; if none is
    /// allowed anywhere, fall back to an older allowed accelerator.
    #[default]
    Relocate,
    /// Stay in the region and buy the next allowed accelerator the provider offers; if none,
    /// relocate.
    Downgrade,
}

/// Where providers build new capacity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Siting {
    /// In each provider's own regions, by its announced weights.
    #[default]
    Announced,
    /// In every region, weighted towards cheap, clean power: weight ∝ 1 ÷ (electricity price ×
    /// grid intensity)², both as in the first simulated year (price overrides and the energy-cost
    /// multiplier included). Export rules still apply.
    CheapClean,
}

/// Every input of the model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Scenario format version; must be [`FORMAT_VERSION`].
    pub format_version: u32,
    /// Short name.
    pub name: String,
    /// One paragraph describing the scenario.
    pub description: String,
    /// The base scenario it was built on (`article`, `world`, …: an id of [`bases`]), which
    /// gives the entities, the fleet at the start and the build-out that no link parameter
    /// carries. Set where the scenario is made (a base, a link's `base=`, a file's `base`) and
    /// kept through every edit; a file without it has it worked out once when read.
    #[serde(default = "default_base")]
    pub base: String,
    /// First simulated year (from its first quarter).
    pub start_year: i32,
    /// Last simulated year, inclusive (to its fourth quarter).
    pub end_year: i32,
    /// Accelerator models.
    pub accelerators: Vec<Accelerator>,
    /// Providers.
    pub providers: Vec<Provider>,
    /// Regions.
    pub regions: Vec<Region>,
    /// Export-control policy in force.
    pub export_policy: ExportPolicy,
    /// What happens to money an export rule blocks.
    pub redirect: Redirect,
    /// Where providers put new capacity: where they announced, or where power is cheap and clean.
    #[serde(default)]
    pub siting: Siting,
    /// Share of new capacity per provider, percent, as keyframes (year → provider → %), each
    /// summing to 100; linear between keyframe years (from each year's first quarter), held outside.
    /// A provider missing from a keyframe has 0 %.
    pub provider_shares_pct: BTreeMap<i32, BTreeMap<String, f64>>,
    /// The capital or capacity path.
    pub build_out: BuildOut,
    /// Multiplier on the whole build-out path (2 = twice the capital, or twice the capacity).
    #[serde(default = "one")]
    pub build_out_scale: f64,
    /// Hardware lifetime, years (a multiple of 0.25).
    pub lifetime_years: f64,
    /// Lifetime of a building (shell, power and cooling), years (a multiple of 0.25, at least the
    /// hardware lifetime): hardware is refreshed into buildings that stand this long.
    pub facility_lifetime_years: f64,
    /// Cost of capital, a yearly rate (0.08 = 8%): hardware and buildings are paid off over their
    /// lifetimes as annuities at this rate in the capital charge.
    pub cost_of_capital: f64,
    /// The fleet installed before the span starts.
    pub starting_fleet: Vec<Cohort>,
    /// Average utilisation of installed accelerators (0–1).
    pub utilisation: f64,
    /// Power drawn at idle, as a share of full-load power (0–1).
    pub idle_power_fraction: f64,
    /// Multiplier on every region's electricity price (the main "energy cost" slider).
    pub energy_cost_multiplier: f64,
    /// Electricity prices that replace a region's default, USD/MWh, by region id.
    pub price_overrides_usd_per_mwh: BTreeMap<String, f64>,
    /// Carbon price, USD per tonne CO2e.
    pub carbon_price_usd_per_t: f64,
    /// Which emissions the carbon price applies to.
    pub carbon_price_basis: CarbonBasis,
    /// Multiplier on every region's yearly grid-intensity change (0 = grids frozen, 2 = twice as fast).
    pub grid_decarbonisation_pace: f64,
    /// Share of compute used for inference (0–1).
    pub inference_share: f64,
    /// Efficiency gain of inference from better algorithms (×, ≥ 1 is a gain).
    pub inference_efficiency_gain: f64,
    /// How the uncertainty bands are drawn: width, draws and seed.
    #[serde(default)]
    pub uncertainty: Uncertainty,
    /// The technology trend that projected accelerators follow.
    #[serde(default)]
    pub technology_trend: Trend,
    /// China's domestic accelerator supply and the leakage of banned chips.
    #[serde(default)]
    pub domestic_supply: DomesticSupply,
}

impl Default for Scenario {
    /// The article's world, built from the default data set.
    fn default() -> Self {
        from_data(default_data())
    }
}

/// Builds the default scenario from a data set (the numbers, without their provenance).
pub fn from_data(data: &DataSet) -> Scenario {
    from_record(data, &data.scenario)
}

fn default_base() -> String {
    default_base_id().to_string()
}

/// The id of the default scenario, the base every link starts from unless it names another.
pub fn default_base_id() -> &'static str {
    default_data().scenario.id.as_str()
}

/// Every base scenario with its id, the default first, built once from the default data set.
pub fn bases() -> &'static [(&'static str, Scenario)] {
    static BASES: std::sync::OnceLock<Vec<(&'static str, Scenario)>> = std::sync::OnceLock::new();
    BASES.get_or_init(|| {
        let data = default_data();
        std::iter::once(&data.scenario)
            .chain(&data.base_scenarios)
            .map(|s| (s.id.as_str(), from_record(data, s)))
            .collect()
    })
}

/// Every base scenario id, the default first.
pub fn base_ids() -> Vec<&'static str> {
    bases().iter().map(|(id, _)| *id).collect()
}

/// The base scenario with the given id.
pub fn base(id: &str) -> Option<Scenario> {
    bases().iter().find(|(b, _)| *b == id).map(|(_, s)| s.clone())
}

/// Builds one scenario record of a data set into a scenario (its entities are the data set's).
pub fn from_record(data: &DataSet, s: &crate::data::ScenarioRecord) -> Scenario {
    let mut scenario = Scenario {
        format_version: FORMAT_VERSION,
        name: s.name.clone(),
        description: s.description.clone(),
        base: s.id.clone(),
        start_year: s.start_year,
        end_year: s.end_year,
        accelerators: data
            .accelerators
            .iter()
            .map(|a| Accelerator {
                id: a.id.clone(),
                name: a.name.clone(),
                vendor: a.vendor.clone(),
                family: a.family,
                first_available: a.first_available,
                bf16_dense_tflops: a.bf16_dense_tflops.value,
                chip_power_w: a.chip_power_w.value,
                it_power_w: a.it_power_w.value,
                price_usd: a.price_usd.value,
                embodied_kgco2e: a.embodied_kgco2e.value,
                memory_gb: a.memory_gb.value,
                projected_from: None,
            })
            .chain(data.projected_accelerators.iter().map(|a| Accelerator {
                id: a.id.clone(),
                name: a.name.clone(),
                vendor: a.vendor.clone(),
                family: a.family,
                first_available: a.first_available,
                bf16_dense_tflops: 0.0,
                chip_power_w: 0.0,
                it_power_w: 0.0,
                price_usd: 0.0,
                embodied_kgco2e: 0.0,
                memory_gb: 0.0,
                projected_from: Some(a.from.clone()),
            }))
            .collect(),
        providers: data
            .providers
            .iter()
            .map(|p| Provider {
                id: p.id.clone(),
                name: p.name.clone(),
                colour: p.colour.clone(),
                pue: p.pue.value,
                wue_l_per_kwh: p.wue_l_per_kwh.value,
                cfe_share: p.cfe_share.value,
                offers: p.offers.clone(),
                regions: p.regions.weights.clone(),
                vendor_mix: p.vendor_mix.as_ref().map(|m| m.weights.clone()).unwrap_or_default(),
            })
            .collect(),
        regions: data
            .regions
            .iter()
            .map(|r| Region {
                id: r.id.clone(),
                name: r.name.clone(),
                export_group: r.export_group,
                intensity_g_per_kwh: r.intensity_g_per_kwh.value,
                intensity_change_per_year: r.intensity_change_per_year.value,
                price_usd_per_mwh: r.price_usd_per_mwh.value,
                facility_capex_usd_per_w: r.facility_capex_usd_per_w.value,
                new_power_limit_gw_per_year: r.new_power_limit_gw_per_year.as_ref().map(|f| f.value),
                domestic_industry: r.domestic_industry.is_some(),
            })
            .collect(),
        export_policy: preset_from(data, &s.export_policy)
            .unwrap_or_else(|| ExportPolicy { name: s.export_policy.clone(), rules: Vec::new() }),
        redirect: Redirect::default(),
        siting: Siting::default(),
        provider_shares_pct: s.shares.as_ref().map(|sh| keyed_by_year(&sh.keyframes)).unwrap_or_default(),
        build_out: match (&s.deals, &s.budget) {
            (Some(book), _) => BuildOut::Deals(DealBook {
                share_year: book.share_year,
                deals: book
                    .rows
                    .iter()
                    .map(|d| Deal {
                        id: d.id.clone(),
                        name: d.name.clone(),
                        provider: d.provider.clone(),
                        amount_usd_b: d.amount_usd_b.value,
                        start: d.start,
                        end: d.end,
                        chips: d.chips.clone(),
                        sites: d.sites.weights.clone(),
                    })
                    .collect(),
            }),
            (None, Some(budget)) => BuildOut::BudgetUsdBPerYear(keyed_by_year(&budget.usd_b_per_year)),
            (None, None) => BuildOut::BudgetUsdBPerYear(BTreeMap::new()),
        },
        build_out_scale: 1.0,
        lifetime_years: s.lifetime_years.value,
        facility_lifetime_years: s.facility_lifetime_years.value,
        cost_of_capital: s.cost_of_capital.value,
        starting_fleet: s
            .starting_fleet
            .iter()
            .map(|c| Cohort {
                provider: c.provider.clone(),
                region: c.region.clone(),
                accelerator: c.accelerator.clone(),
                installed: c.installed,
                count: c.count.value,
                spread_quarters: c.spread_quarters.unwrap_or(1),
            })
            .collect(),
        utilisation: s.utilisation.value,
        idle_power_fraction: s.idle_power_fraction.value,
        energy_cost_multiplier: 1.0,
        price_overrides_usd_per_mwh: BTreeMap::new(),
        carbon_price_usd_per_t: s.carbon_price_usd_per_t.value,
        carbon_price_basis: CarbonBasis::default(),
        grid_decarbonisation_pace: 1.0,
        inference_share: s.inference_share.value,
        inference_efficiency_gain: s.inference_efficiency_gain.value,
        uncertainty: Uncertainty::default(),
        technology_trend: Trend::default(),
        domestic_supply: DomesticSupply::default(),
    };
    scenario.project();
    scenario
}

fn one() -> f64 {
    1.0
}

/// Turns a data-file table keyed by year strings into one keyed by year numbers. Keys that are not
/// years are dropped here; the crate's data tests check there are none.
fn keyed_by_year<V: Clone>(table: &BTreeMap<String, V>) -> BTreeMap<i32, V> {
    table.iter().filter_map(|(k, v)| Some((k.parse().ok()?, v.clone()))).collect()
}

/// A kind of entity a scenario lists and results break down by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// By provider.
    Provider,
    /// By region.
    Region,
    /// By accelerator model.
    Accelerator,
}

impl Scenario {
    /// An entity's display name: the scenario's, else the data set's (results of another
    /// scenario may name entities this one lacks), else its id.
    pub fn entity_name(&self, dimension: Dimension, id: &str) -> String {
        let data = default_data();
        let found = match dimension {
            Dimension::Provider => (self.providers.iter().map(|p| (&p.id, &p.name)))
                .chain(data.providers.iter().map(|p| (&p.id, &p.name)))
                .find(|(i, _)| *i == id),
            Dimension::Region => (self.regions.iter().map(|r| (&r.id, &r.name)))
                .chain(data.regions.iter().map(|r| (&r.id, &r.name)))
                .find(|(i, _)| *i == id),
            Dimension::Accelerator => (self.accelerators.iter().map(|a| (&a.id, &a.name)))
                .chain(data.accelerators.iter().map(|a| (&a.id, &a.name)))
                .find(|(i, _)| *i == id),
        };
        found.map_or_else(|| id.to_string(), |(_, name)| name.clone())
    }

    /// The scenario as pretty-printed JSON.
    pub fn to_json_pretty(&self) -> String {
        // Serialising plain data with string keys cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Position of an accelerator by id.
    pub fn accelerator_index(&self, id: &str) -> Option<usize> {
        self.accelerators.iter().position(|a| a.id == id)
    }

    /// Position of a provider by id.
    pub fn provider_index(&self, id: &str) -> Option<usize> {
        self.providers.iter().position(|p| p.id == id)
    }

    /// Position of a region by id.
    pub fn region_index(&self, id: &str) -> Option<usize> {
        self.regions.iter().position(|r| r.id == id)
    }

    /// Writes the figures of every projected accelerator, derived from the accelerator it is
    /// projected from and the scenario's [`Trend`] (see [`Trend::project`]); the years are those
    /// between the two first quarters of supply. Every shell calls it after changing the trend or
    /// an accelerator, so the scenario's numbers are the model's; the model derives them again
    /// itself. One whose base is missing or itself projected is left as it is (validation says so).
    pub fn project(&mut self) {
        for i in 0..self.accelerators.len() {
            let Some(from) = &self.accelerators[i].projected_from else { continue };
            let Some(base) = self.accelerators.iter().find(|a| a.id == *from && a.projected_from.is_none())
            else {
                continue;
            };
            let years = self.accelerators[i].first_available.years_after(base.first_available);
            let (tflops, price) = self.technology_trend.project(base, years);
            let base = base.clone();
            let a = &mut self.accelerators[i];
            a.bf16_dense_tflops = tflops;
            a.price_usd = price;
            a.chip_power_w = base.chip_power_w;
            a.it_power_w = base.it_power_w;
            a.embodied_kgco2e = base.embodied_kgco2e;
            a.memory_gb = base.memory_gb;
        }
    }

    /// Number of simulated quarters (0 if the span is reversed).
    pub fn quarter_count(&self) -> usize {
        usize::try_from((i64::from(self.end_year) - i64::from(self.start_year) + 1) * 4).unwrap_or(0)
    }
}

/// Linear interpolation of a keyframe path through `(x, y)` points sorted by `x`, held flat outside them.
pub(crate) fn interpolate(points: &[(f64, f64)], x: f64) -> f64 {
    let Some(&(x0, y0)) = points.first() else {
        return 0.0;
    };
    if x <= x0 {
        return y0;
    }
    for w in points.windows(2) {
        let ((xa, ya), (xb, yb)) = (w[0], w[1]);
        if x <= xb {
            return ya + (yb - ya) * (x - xa) / (xb - xa);
        }
    }
    points.last().map_or(0.0, |p| p.1)
}

/// The base scenario a scenario was built on ([`Scenario::base`]), with its id; the default for
/// an id that names none (validation reports it).
pub fn base_of(s: &Scenario) -> (&'static str, &'static Scenario) {
    let bases = bases();
    let (id, base) = bases.iter().find(|(id, _)| *id == s.base).unwrap_or(&bases[0]);
    (id, base)
}

/// The base a scenario file without a `base` was built on: the first whose fields that no
/// parameter carries (fleet at the start, build-out path, entities) are the scenario's; the
/// default otherwise. The name is not compared: a saved scenario carries the name it was shown
/// with (see the `naming` module).
pub fn infer_base(s: &Scenario) -> &'static str {
    let bases = bases();
    let (id, _) = bases
        .iter()
        .find(|(_, b)| {
            b.starting_fleet == s.starting_fleet
                // A plan replaces the build-out; the `plan` parameter carries it.
                && (b.build_out == s.build_out || matches!(s.build_out, BuildOut::Planned(_)))
                && b.accelerators == s.accelerators
                && b.providers == s.providers
                && b.regions == s.regions
        })
        .unwrap_or(&bases[0]);
    id
}

/// How the uncertainty bands of a scenario are drawn; part of the scenario and of its link.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Uncertainty {
    /// Multiplier on every range: 0 switches uncertainty off, 1 is the sources' range.
    pub width: f64,
    /// Number of Monte Carlo draws.
    pub draws: u32,
    /// Seed of the random generator: the same seed gives the same bands.
    pub seed: u64,
}

impl Default for Uncertainty {
    fn default() -> Self {
        Uncertainty { width: 1.0, draws: 1000, seed: 1 }
    }
}

impl Uncertainty {
    /// Whether the bands are switched off.
    pub fn is_off(&self) -> bool {
        self.width == 0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entity_names_come_from_the_scenario_then_the_data_then_the_id() {
        let mut s = Scenario::default();
        let id = s.providers[0].id.clone();
        s.providers[0].name = "Renamed".into();
        assert_eq!(s.entity_name(Dimension::Provider, &id), "Renamed");
        let data_name = default_data().providers[0].name.clone();
        s.providers.remove(0);
        assert_eq!(s.entity_name(Dimension::Provider, &id), data_name, "an entity the scenario lacks");
        assert_eq!(s.entity_name(Dimension::Region, "atlantis"), "atlantis");
        let a = &default_data().accelerators[0];
        assert_eq!(s.entity_name(Dimension::Accelerator, &a.id), a.name);
    }

    #[test]
    fn default_span_and_lookups() {
        let s = Scenario::default();
        assert_eq!(s.quarter_count(), 44);
        assert_eq!(s.provider_index("aws").map(|i| s.providers[i].id.as_str()), Some("aws"));
        assert!(s.region_index("atlantis").is_none());
        assert!(s.accelerator_index(H100E_REFERENCE).is_some());
        let mut reversed = s.clone();
        reversed.end_year = reversed.start_year - 3;
        assert_eq!(reversed.quarter_count(), 0);
    }

    #[test]
    fn presets_are_listed_and_found() {
        let ids = ExportPolicy::preset_ids();
        assert!(ids.contains(&"oct-2023") && ids.contains(&"none"));
        assert!(ExportPolicy::preset("nope").is_none());
        assert_eq!(Scenario::default().export_policy, ExportPolicy::preset("oct-2023").unwrap());
    }
}
