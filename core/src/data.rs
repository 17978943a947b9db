//! The default data set: every default value with its source and year.
//!
//! The human-edited file is `core/data/default.toml`; the build script converts it to JSON and the
//! core embeds that at compile time ([`default_data`]). Records here mirror the file: numeric
//! values are [`Figure`]s (value, optional low/high range, year, source, estimate flag), lists and
//! weights carry a [`Provenance`]. [`crate::Scenario::default`] strips the provenance and keeps the
//! numbers; the page looks provenance up here by entity id and field name ([`DataSet::figure`]).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::policy::{ExportGroup, ExportRule, Family};
use crate::quarter::Quarter;

/// One sourced number: a central value, an optional range, and where it comes from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    /// The central value used by default.
    pub value: f64,
    /// Low end of the range the sources give, if they disagree or give a range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub low: Option<f64>,
    /// High end of the range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high: Option<f64>,
    /// How the figure is drawn for uncertainty bands, when it has a range.
    #[serde(default, skip_serializing_if = "Dist::is_default")]
    pub dist: Dist,
    /// Year the figure refers to.
    pub year: i32,
    /// Where the figure comes from (publication, page, or how it was derived).
    pub source: String,
    /// True when the figure is an estimate that could not be confirmed from a primary source.
    #[serde(default)]
    pub estimate: bool,
    /// A short remark on how to read the figure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// How a figure with a range is drawn for the uncertainty bands (see `docs/model.md`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dist {
    /// Triangular: low, value and high as minimum, mode and maximum.
    #[default]
    Triangular,
    /// Log-normal: median at the value, low and high read as the 5th and 95th percentiles.
    Lognormal,
    /// A choice rather than an estimate: never drawn; its range only swings the tornado chart.
    Fixed,
}

impl Dist {
    fn is_default(&self) -> bool {
        *self == Dist::Triangular
    }
}

/// Where a non-numeric item (a list, a set of weights, a keyframe path) comes from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    /// Year the item refers to.
    pub year: i32,
    /// Where it comes from.
    pub source: String,
    /// True when it is an estimate.
    #[serde(default)]
    pub estimate: bool,
    /// A short remark.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Ranges for the main sliders that have no figure of their own, for the tornado chart. Each is
/// a multiplier with value 1, applied to the scenario's own setting.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeversRecord {
    /// The energy-cost multiplier.
    pub energy_cost_multiplier: Figure,
    /// The build-out (capital or capacity path) multiplier.
    pub build_out_scale: Figure,
    /// The grid decarbonisation pace.
    pub grid_decarbonisation_pace: Figure,
}

/// Identification and version of the data set.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    /// Human name of the data set.
    pub name: String,
    /// Version label, changed whenever a value changes.
    pub version: String,
    /// Year that grid intensities refer to; yearly changes are applied from it.
    pub intensity_base_year: i32,
}

/// An accelerator as the data file describes it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AcceleratorRecord {
    /// Short identifier (`h100`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Chip vendor.
    pub vendor: String,
    /// Architecture family, the unit most export rules name.
    pub family: Family,
    /// First quarter of volume supply.
    pub first_available: Quarter,
    /// Where the availability date comes from.
    pub first_available_source: Provenance,
    /// Dense BF16 throughput per accelerator, TFLOP/s.
    pub bf16_dense_tflops: Figure,
    /// Chip power (TDP), W.
    pub chip_power_w: Figure,
    /// All-in IT power per accelerator at full load (server, CPU and network share), W.
    pub it_power_w: Figure,
    /// All-in hardware price per accelerator (chip, server and network share), USD.
    pub price_usd: Figure,
    /// Embodied (manufacturing) emissions per accelerator with its server share, kg CO2e.
    pub embodied_kgco2e: Figure,
    /// High-bandwidth memory per accelerator, GB (0 for a conventional server).
    pub memory_gb: Figure,
}

/// An accelerator whose figures are projected from another by the technology trend: a part
/// announced without figures (Feynman) or a generation after a vendor's last announced one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectedRecord {
    /// Short identifier (`nvidia_2030`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Chip vendor.
    pub vendor: String,
    /// Architecture family.
    pub family: Family,
    /// First quarter of volume supply.
    pub first_available: Quarter,
    /// The accelerator (with figures) it is projected from.
    pub from: String,
    /// Where the part and its date come from.
    pub source: Provenance,
}

/// The technology trend after the announced roadmap.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrendRecord {
    /// Yearly gain of dense throughput per watt (0.4 = +40% a year).
    pub perf_per_watt_gain_per_year: Figure,
    /// Yearly gain of dense throughput per all-in dollar.
    pub perf_per_usd_gain_per_year: Figure,
}

/// A provider's region weights with their provenance.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeightsRecord {
    /// Relative weight of each region in the provider's new build (any positive scale).
    pub weights: BTreeMap<String, f64>,
    /// Where the weights come from.
    pub provenance: Provenance,
}

/// A cloud provider (or self-built programme) as the data file describes it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderRecord {
    /// Short identifier (`azure`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Chart colour, `#rrggbb`.
    pub colour: String,
    /// Power usage effectiveness of new builds.
    pub pue: Figure,
    /// Water use per kWh of IT energy, litres.
    pub wue_l_per_kwh: Figure,
    /// Share of electricity matched by carbon-free procurement (0–1), for market-based carbon.
    pub cfe_share: Figure,
    /// Accelerators the provider offers.
    pub offers: Vec<String>,
    /// Where the offer list comes from.
    pub offers_source: Provenance,
    /// Regions where the provider builds, with weights.
    pub regions: WeightsRecord,
    /// The share of capital each chip vendor gets, if the provider buys from several at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor_mix: Option<WeightsRecord>,
}

/// A region as the data file describes it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionRecord {
    /// Short identifier (`us_east`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Export-control destination group.
    pub export_group: ExportGroup,
    /// Why the region is in that group.
    pub export_group_source: Provenance,
    /// Grid carbon intensity in the base year, g CO2e per kWh.
    pub intensity_g_per_kwh: Figure,
    /// Yearly relative change of grid intensity (−0.03 = falls 3 % a year).
    pub intensity_change_per_year: Figure,
    /// Industrial electricity price, USD per MWh.
    pub price_usd_per_mwh: Figure,
    /// Data-centre construction cost (shell, power and cooling; no IT), USD per W of IT power.
    pub facility_capex_usd_per_w: Figure,
    /// Limit on new facility power per year, GW; absent means no limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_power_limit_gw_per_year: Option<Figure>,
    /// Present where a domestic accelerator industry stands in for banned imports (China): why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domestic_industry: Option<Provenance>,
    /// Where the region's capacity is drawn on a map: its largest data-centre cluster.
    pub location: Location,
}

/// A point on the map with where it comes from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Location {
    /// Longitude, degrees east (−180 to 180).
    pub lon: f64,
    /// Latitude, degrees north (−90 to 90).
    pub lat: f64,
    /// The place the point stands for.
    pub place: String,
    /// Year, source and whether it is an estimate.
    #[serde(flatten)]
    pub provenance: Provenance,
}

/// China's domestic accelerators: how many can be installed, and how many banned chips leak in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DomesticSupplyRecord {
    /// Share (0–1) of the money a ban blocks at home that still buys the banned accelerator.
    pub leakage_share: Figure,
    /// Domestic accelerators installable per calendar year (year → units), keyframes.
    pub units_per_year: BTreeMap<String, Figure>,
}

/// A named export-control policy preset.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyRecord {
    /// Short identifier (`oct-2023`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// One paragraph on what the policy does and how it is modelled.
    pub description: String,
    /// Where the policy comes from.
    pub provenance: Provenance,
    /// The rules, most specific match wins (see [`crate::policy`]).
    pub rules: Vec<ExportRule>,
}

/// One yearly value of the build-out budget.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetRecord {
    /// Capital per year, billions of USD, keyed by year.
    pub usd_b_per_year: BTreeMap<String, f64>,
    /// Where the path comes from.
    pub provenance: Provenance,
}

/// The provider-share path.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SharesRecord {
    /// Keyframes: year → provider → percent of new capacity.
    pub keyframes: BTreeMap<String, BTreeMap<String, f64>>,
    /// Where the path comes from.
    pub provenance: Provenance,
}

/// A deal book: the buyer's deals, each a row with its source.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DealsRecord {
    /// The year from which the page's share sliders override the deals.
    pub share_year: i32,
    /// Where the book as a whole comes from and how it adds up.
    pub provenance: Provenance,
    /// The deals.
    pub rows: Vec<DealRecord>,
}

/// One deal as the data file records it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DealRecord {
    /// Short identifier (`aws-2025`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// The provider that builds and runs it.
    pub provider: String,
    /// What the record says: amount, capacity, chips, timing and sites, as announced.
    pub stated: String,
    /// The capital the model spends for it, billions of USD (hardware and buildings).
    pub amount_usd_b: Figure,
    /// The capacity stated, GW, where the deal names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub power_gw: Option<Figure>,
    /// First quarter of spending.
    pub start: Quarter,
    /// Last quarter of spending (inclusive).
    pub end: Quarter,
    /// Accelerators in order of preference, newest first.
    pub chips: Vec<String>,
    /// Regions with weights, and where they come from.
    pub sites: WeightsRecord,
}

/// A cohort of the installed fleet at the start of the span.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CohortRecord {
    /// Provider id.
    pub provider: String,
    /// Region id.
    pub region: String,
    /// Accelerator id.
    pub accelerator: String,
    /// Quarter the cohort was installed.
    pub installed: Quarter,
    /// Number of accelerators.
    pub count: Figure,
    /// Installed evenly over this many quarters from `installed` (absent: 1).
    #[serde(default)]
    pub spread_quarters: Option<u32>,
}

/// The defaults of the scenario that are not properties of one entity.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioRecord {
    /// Short identifier (`article` for the default; `?base=<id>` for the others).
    pub id: String,
    /// Scenario name.
    pub name: String,
    /// One paragraph describing it.
    pub description: String,
    /// First simulated year.
    pub start_year: i32,
    /// Last simulated year (inclusive).
    pub end_year: i32,
    /// Id of the export policy preset in force.
    pub export_policy: String,
    /// Hardware lifetime, years.
    pub lifetime_years: Figure,
    /// Building (shell, power and cooling) lifetime, years.
    pub facility_lifetime_years: Figure,
    /// Cost of capital, a yearly rate.
    pub cost_of_capital: Figure,
    /// Average utilisation of installed accelerators (0–1).
    pub utilisation: Figure,
    /// Power an idle accelerator draws, as a share of its full-load power (0–1).
    pub idle_power_fraction: Figure,
    /// Share of compute used for inference (0–1).
    pub inference_share: Figure,
    /// Efficiency gain of inference from better algorithms (×).
    pub inference_efficiency_gain: Figure,
    /// Carbon price, USD per tonne CO2e.
    pub carbon_price_usd_per_t: Figure,
    /// The capital path (absent for a deal book).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget: Option<BudgetRecord>,
    /// The provider-share path (absent for a deal book).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shares: Option<SharesRecord>,
    /// The deals, instead of a capital path and shares.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deals: Option<DealsRecord>,
    /// The installed fleet at the start.
    pub starting_fleet: Vec<CohortRecord>,
}

/// A named scenario: a page link with a description and its sources.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioPresetRecord {
    /// Short identifier (`?preset=<id>`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// One paragraph: what it shows and what to compare.
    pub description: String,
    /// The URL query string it stands for (applied to the default scenario, or to the base
    /// scenario its `base=` parameter names).
    pub query: String,
    /// Where it comes from.
    pub provenance: Provenance,
}

/// The whole default data set.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataSet {
    /// Identification.
    pub meta: Meta,
    /// Accelerators, oldest first.
    pub accelerators: Vec<AcceleratorRecord>,
    /// The technology trend after the announced roadmap.
    pub trend: TrendRecord,
    /// China's domestic accelerator supply and the leakage of banned chips.
    pub domestic_supply: DomesticSupplyRecord,
    /// Accelerators projected by the trend, after the others in the scenario's list.
    pub projected_accelerators: Vec<ProjectedRecord>,
    /// Providers, in chart order.
    pub providers: Vec<ProviderRecord>,
    /// Regions.
    pub regions: Vec<RegionRecord>,
    /// Export-control policy presets.
    pub export_policies: Vec<PolicyRecord>,
    /// Ranges of the main sliders that have no figure of their own.
    pub levers: LeversRecord,
    /// Scenario-wide defaults: the default scenario.
    pub scenario: ScenarioRecord,
    /// Other whole scenarios that presets and links start from (`?base=<id>`), such as every data
    /// centre in the world rather than one company's compute.
    #[serde(default)]
    pub base_scenarios: Vec<ScenarioRecord>,
    /// Named scenarios, each a page link.
    pub scenario_presets: Vec<ScenarioPresetRecord>,
}

/// The embedded data as JSON, produced by the build script from `data/default.toml`.
const DEFAULT_DATA_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/default_data.json"));

impl AcceleratorRecord {
    /// Every figure of the record, by field name: the one list behind provenance lookups, the
    /// sources table and the uncertainty inputs.
    pub fn figures(&self) -> [(&'static str, &Figure); 6] {
        [
            ("bf16_dense_tflops", &self.bf16_dense_tflops),
            ("chip_power_w", &self.chip_power_w),
            ("it_power_w", &self.it_power_w),
            ("price_usd", &self.price_usd),
            ("embodied_kgco2e", &self.embodied_kgco2e),
            ("memory_gb", &self.memory_gb),
        ]
    }
}

impl TrendRecord {
    /// Every figure of the record, by field name.
    pub fn figures(&self) -> [(&'static str, &Figure); 2] {
        [
            ("perf_per_watt_gain_per_year", &self.perf_per_watt_gain_per_year),
            ("perf_per_usd_gain_per_year", &self.perf_per_usd_gain_per_year),
        ]
    }
}

impl ProviderRecord {
    /// Every figure of the record, by field name.
    pub fn figures(&self) -> [(&'static str, &Figure); 3] {
        [("pue", &self.pue), ("wue_l_per_kwh", &self.wue_l_per_kwh), ("cfe_share", &self.cfe_share)]
    }
}

impl RegionRecord {
    /// Every figure of the record, by field name (the power limit where the region has one).
    pub fn figures(&self) -> Vec<(&'static str, &Figure)> {
        let mut out = vec![
            ("intensity_g_per_kwh", &self.intensity_g_per_kwh),
            ("intensity_change_per_year", &self.intensity_change_per_year),
            ("price_usd_per_mwh", &self.price_usd_per_mwh),
            ("facility_capex_usd_per_w", &self.facility_capex_usd_per_w),
        ];
        if let Some(limit) = &self.new_power_limit_gw_per_year {
            out.push(("new_power_limit_gw_per_year", limit));
        }
        out
    }
}

impl ScenarioRecord {
    /// Every scenario-wide figure of the record, by field name.
    pub fn figures(&self) -> [(&'static str, &Figure); 8] {
        [
            ("lifetime_years", &self.lifetime_years),
            ("facility_lifetime_years", &self.facility_lifetime_years),
            ("cost_of_capital", &self.cost_of_capital),
            ("utilisation", &self.utilisation),
            ("idle_power_fraction", &self.idle_power_fraction),
            ("inference_share", &self.inference_share),
            ("inference_efficiency_gain", &self.inference_efficiency_gain),
            ("carbon_price_usd_per_t", &self.carbon_price_usd_per_t),
        ]
    }
}

impl LeversRecord {
    /// Every figure of the record, by field name.
    pub fn figures(&self) -> [(&'static str, &Figure); 3] {
        [
            ("energy_cost_multiplier", &self.energy_cost_multiplier),
            ("build_out_scale", &self.build_out_scale),
            ("grid_decarbonisation_pace", &self.grid_decarbonisation_pace),
        ]
    }
}

/// The figure named `field` in a record's [`figures`](AcceleratorRecord::figures) list.
fn named<'a>(list: impl IntoIterator<Item = (&'static str, &'a Figure)>, field: &str) -> Option<&'a Figure> {
    list.into_iter().find(|(name, _)| *name == field).map(|(_, f)| f)
}

/// The default data set, parsed once.
///
/// The embedded file is checked by the test suite, so parsing cannot fail in a released build;
/// should it ever, this returns the error text rather than panicking.
pub fn try_default_data() -> Result<&'static DataSet, &'static str> {
    static DATA: OnceLock<Result<DataSet, String>> = OnceLock::new();
    DATA.get_or_init(|| {
        // Through `Value`, like scenario files (`parse`), so the page carries one deserializer.
        serde_json::from_str::<serde_json::Value>(DEFAULT_DATA_JSON)
            .and_then(|value| DataSet::deserialize(&value))
            .map_err(|err| format!("embedded default data is malformed: {err}"))
    })
    .as_ref()
    .map_err(String::as_str)
}

/// The default data set. See [`try_default_data`] for the fallible form.
///
/// # Panics
/// Only if the embedded data file is malformed, which the crate's tests rule out.
pub fn default_data() -> &'static DataSet {
    match try_default_data() {
        Ok(data) => data,
        Err(msg) => panic!("{msg}"),
    }
}

/// What [`DataSet::figure`] finds: a sourced value or a provenance note.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Sourced<'a> {
    /// A number with its source.
    Figure(&'a Figure),
    /// A list or path with its source.
    Provenance(&'a Provenance),
}

impl DataSet {
    /// Looks up the source of one default value by entity kind, id and field name, e.g.
    /// `("accelerators", "h100", "price_usd")` or `("scenario", "", "utilisation")`.
    pub fn figure(&self, kind: &str, id: &str, field: &str) -> Option<Sourced<'_>> {
        use Sourced::{Figure as F, Provenance as P};
        match kind {
            "accelerators" => {
                let a = self.accelerators.iter().find(|a| a.id == id)?;
                Some(match field {
                    "first_available" => P(&a.first_available_source),
                    _ => F(named(a.figures(), field)?),
                })
            }
            "projected_accelerators" => {
                let a = self.projected_accelerators.iter().find(|a| a.id == id)?;
                (field == "first_available").then_some(P(&a.source))
            }
            "trend" => named(self.trend.figures(), field).map(F),
            "providers" => {
                let p = self.providers.iter().find(|p| p.id == id)?;
                Some(match field {
                    "offers" => P(&p.offers_source),
                    "regions" => P(&p.regions.provenance),
                    "vendor_mix" => P(&p.vendor_mix.as_ref()?.provenance),
                    _ => F(named(p.figures(), field)?),
                })
            }
            "regions" => {
                let r = self.regions.iter().find(|r| r.id == id)?;
                Some(match field {
                    "export_group" => P(&r.export_group_source),
                    "domestic_industry" => P(r.domestic_industry.as_ref()?),
                    _ => F(named(r.figures(), field)?),
                })
            }
            "domestic_supply" => match field {
                "leakage_share" => Some(F(&self.domestic_supply.leakage_share)),
                // `units_per_year` of year `id`.
                "units_per_year" => self.domestic_supply.units_per_year.get(id).map(F),
                _ => None,
            },
            "levers" => named(self.levers.figures(), field).map(F),
            "export_policies" => {
                let p = self.export_policies.iter().find(|p| p.id == id)?;
                (field == "rules").then_some(P(&p.provenance))
            }
            "scenario" => {
                let s = if id.is_empty() {
                    &self.scenario
                } else {
                    std::iter::once(&self.scenario).chain(&self.base_scenarios).find(|s| s.id == id)?
                };
                Some(match field {
                    "budget" => P(&s.budget.as_ref()?.provenance),
                    "shares" => P(&s.shares.as_ref()?.provenance),
                    "deals" => P(&s.deals.as_ref()?.provenance),
                    _ => F(named(s.figures(), field)?),
                })
            }
            _ => None,
        }
    }

    /// Every figure in the data set with a path naming it (`accelerators.h100.price_usd`), in file
    /// order: the list behind the page's sources panel and the CLI's `sources` command.
    pub fn all_figures(&self) -> Vec<(String, &Figure)> {
        let mut out = Vec::new();
        for a in &self.accelerators {
            for (field, f) in a.figures() {
                out.push((format!("accelerators.{}.{field}", a.id), f));
            }
        }
        for (field, f) in self.trend.figures() {
            out.push((format!("trend.{field}"), f));
        }
        out.push(("domestic_supply.leakage_share".to_string(), &self.domestic_supply.leakage_share));
        for (year, f) in &self.domestic_supply.units_per_year {
            out.push((format!("domestic_supply.units_per_year.{year}"), f));
        }
        for p in &self.providers {
            for (field, f) in p.figures() {
                out.push((format!("providers.{}.{field}", p.id), f));
            }
        }
        for r in &self.regions {
            for (field, f) in r.figures() {
                out.push((format!("regions.{}.{field}", r.id), f));
            }
        }
        for s in std::iter::once(&self.scenario).chain(&self.base_scenarios) {
            // The default scenario's figures are `scenario.*`; a base scenario's `base.<id>.*`.
            let prefix = if std::ptr::eq(s, &self.scenario) {
                "scenario".to_string()
            } else {
                format!("base.{}", s.id)
            };
            for (field, f) in s.figures() {
                out.push((format!("{prefix}.{field}"), f));
            }
            for c in &s.starting_fleet {
                out.push((
                    format!("{prefix}.starting_fleet.{}.{}.{}.count", c.provider, c.region, c.accelerator),
                    &c.count,
                ));
            }
            for d in s.deals.iter().flat_map(|book| &book.rows) {
                out.push((format!("{prefix}.deals.{}.amount_usd_b", d.id), &d.amount_usd_b));
                if let Some(gw) = &d.power_gw {
                    out.push((format!("{prefix}.deals.{}.power_gw", d.id), gw));
                }
            }
        }
        for (field, f) in self.levers.figures() {
            out.push((format!("levers.{field}"), f));
        }
        out
    }
}
