//! The scalar inputs of a scenario, one [`Param`] each: how it reads and writes the scenario, its
//! valid range, unit, link name, label, slider and how it takes part in the uncertainty draws and
//! the tornado. Validation, the URL codec, the page's sliders, the Monte Carlo inputs and the
//! tornado all read [`PARAMS`], so they agree by construction.
//!
//! **Units.** A parameter holds its value in the scenario's unit (`cost_of_capital` 0.08); links
//! and sliders show it in its display unit, `scale` times as much (8 %). `valid` is in the
//! scenario's unit, `slider` in the display unit.
//!
//! **Sliders narrower than the valid range.** A slider covers what people usually explore; links
//! and scenario files take the whole valid range. Every slider that is narrower says why
//! ([`Slider::why_narrower`]), and the page shows it (a test holds every slider to it).
//!
//! Everything else a scenario holds is structured (lists of entities, keyframe maps, the export
//! policy, the build-out) and is listed in [`STRUCTURED_FIELDS`], with where it is validated and
//! carried.

use crate::data::{DataSet, Figure, ScenarioRecord};
use crate::edit;
use crate::limits;
use crate::scenario::Scenario;

/// Which scalar input a [`Param`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ParamId {
    /// First simulated year.
    StartYear,
    /// Last simulated year.
    EndYear,
    /// Multiplier on every region's electricity price.
    EnergyCost,
    /// Carbon price, USD/t CO2e.
    CarbonPrice,
    /// Multiplier on every grid's yearly change of intensity.
    GridPace,
    /// Hardware lifetime, years.
    Lifetime,
    /// Building lifetime, years.
    FacilityLifetime,
    /// Cost of capital, a yearly rate.
    CostOfCapital,
    /// Share of the time accelerators work.
    Utilisation,
    /// Power drawn when idle, share of full load.
    IdleFraction,
    /// Share of compute used for inference.
    InferenceShare,
    /// Algorithmic efficiency of inference, ×.
    InferenceGain,
    /// Multiplier on the build-out (capital or capacity path).
    BuildScale,
    /// The build-out's capital over the span, USD bn (the build-out scale, read as money).
    BudgetTotal,
    /// Multiplier on the domestic chip supply's estimates.
    DomesticSupply,
    /// Share of banned chips that reach embargoed buyers anyway.
    Leakage,
    /// Width of the uncertainty bands.
    UncertaintyWidth,
    /// Yearly gain of compute per watt of chips after the roadmap.
    TrendPerWatt,
    /// Yearly gain of compute per dollar of chips after the roadmap.
    TrendPerUsd,
}

/// How an uncertain value is put into a scenario the user may have moved (the uncertainty draws).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Vary {
    /// `own + x − central`: shares, trends, lifetimes, prices that may be zero.
    Shift,
    /// `own × x ÷ central`: positive multipliers.
    Ratio,
}

/// Where a parameter's central value and range come from in the data set.
#[derive(Clone, Copy)]
pub enum Source {
    /// A figure of the base scenario's record (`scenario.<field>` or `base.<id>.<field>`).
    Scenario(&'static str, fn(&ScenarioRecord) -> &Figure),
    /// A figure of the data set outside any scenario (`levers.<field>`, `trend.<field>`).
    Data(&'static str, fn(&DataSet) -> &Figure),
}

/// A slider's range and step, in the display unit.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Slider {
    /// Lower end.
    pub min: f64,
    /// Upper end.
    pub max: f64,
    /// Step.
    pub step: f64,
    /// Why the slider stops inside the valid range (empty when it covers all of it).
    pub why_narrower: &'static str,
    /// Whether the slider reaches further for a base that starts beyond it (three times the
    /// base's value, rounded up to a thousand).
    pub grows_with_base: bool,
}

/// How a display value is written for people: `text` with `{v}` standing for the value times
/// `factor`, to `decimals` places. Structured rather than a function so the page can write the
/// number for the reader's locale and the words in the reader's language (its catalogue holds
/// `param.<key>.value`, equal in English to `text`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Shown {
    /// What the display value is multiplied by before it is written (100 for a share in percent).
    pub factor: f64,
    /// Decimal places.
    pub decimals: usize,
    /// The words around the number, `{v}` where it goes.
    pub text: &'static str,
}

/// One scalar input of a scenario.
pub struct Param {
    /// Which one.
    pub id: ParamId,
    /// Stable key (the scenario file's field name; the page's control is `ctl-<key>`).
    pub key: &'static str,
    /// The field path validation reports it under.
    pub field: &'static str,
    /// Its name in a link (`energy=1.5`), if a link carries it.
    pub url: Option<&'static str>,
    /// Label for people.
    pub label: &'static str,
    /// Unit of the scenario's value (`years`, `/yr`, `USD/t`; empty for a share or a multiplier).
    pub unit: &'static str,
    /// Display value ÷ scenario value (100 for a share shown in percent).
    pub scale: f64,
    /// Valid range, in the scenario's unit.
    pub valid: (f64, f64),
    /// Values are whole multiples of this (scenario unit), if any: quarters for lifetimes.
    pub quantum: Option<f64>,
    /// The page's slider, if it has one.
    pub slider: Option<Slider>,
    /// Reads the value (scenario unit); `None` where it does not apply (a budget on a capacity
    /// path).
    pub get: fn(&Scenario) -> Option<f64>,
    /// Writes the value (scenario unit).
    pub set: fn(&mut Scenario, f64),
    /// How a display value is written for people.
    pub shown: Shown,
    /// How the uncertainty draws move it, and where its range comes from, if it takes part.
    pub uncertain: Option<(Vary, Source)>,
}

impl Param {
    /// A display value written for people, in English (`1.50× today`).
    pub fn show(&self, v: f64) -> String {
        self.shown.text.replace("{v}", &format!("{:.*}", self.shown.decimals, v * self.shown.factor))
    }

    /// The display value of a scenario value.
    pub fn display(&self, v: f64) -> f64 {
        if self.scale == 1.0 { v } else { (v * self.scale * 1e9).round() / 1e9 }
    }

    /// The scenario value of a display value.
    pub fn from_display(&self, v: f64) -> f64 {
        if self.scale == 1.0 { v } else { v / self.scale }
    }

    /// The valid range in the display unit.
    pub fn valid_display(&self) -> (f64, f64) {
        (self.display(self.valid.0), self.display(self.valid.1))
    }

    /// The slider's range for a scenario built on `base` (display unit): the table's, reaching
    /// further for a base beyond it where the slider grows with the base.
    pub fn slider_range(&self, base: &Scenario) -> Option<(f64, f64)> {
        let slider = self.slider?;
        let max = match (slider.grows_with_base, (self.get)(base)) {
            (true, Some(v)) => slider.max.max((self.display(v) * 3.0 / 1000.0).ceil() * 1000.0),
            _ => slider.max,
        };
        Some((slider.min, max))
    }

    /// Whether `v` (scenario unit) is valid: finite, in range and a whole multiple of the quantum.
    pub fn is_valid(&self, v: f64) -> bool {
        v.is_finite()
            && v >= self.valid.0
            && v <= self.valid.1
            && self.quantum.is_none_or(|q| ((v / q) - (v / q).round()).abs() <= 1e-9)
    }
}

/// The scalar parameter `id`.
pub fn param(id: ParamId) -> &'static Param {
    PARAMS.iter().find(|p| p.id == id).unwrap_or(&PARAMS[0])
}

/// The parameter a link names `name`, if any.
pub fn by_url(name: &str) -> Option<&'static Param> {
    PARAMS.iter().find(|p| p.url == Some(name))
}

/// The parameter whose key is `key`, if any.
pub fn by_key(key: &str) -> Option<&'static Param> {
    PARAMS.iter().find(|p| p.key == key)
}

/// A share or rate shown in percent.
const PERCENT: f64 = 100.0;

/// Every scalar input, in the order links write them.
pub static PARAMS: [Param; 19] = [
    Param {
        id: ParamId::StartYear,
        key: "start_year",
        field: "start_year",
        url: Some("start"),
        label: "First year simulated",
        unit: "",
        scale: 1.0,
        valid: (limits::MIN_YEAR as f64, limits::MAX_YEAR as f64),
        quantum: Some(1.0),
        slider: None,
        get: |s| Some(f64::from(s.start_year)),
        set: |s, v| s.start_year = v.round() as i32,
        shown: Shown { factor: 1.0, decimals: 0, text: "{v}" },
        uncertain: None,
    },
    Param {
        id: ParamId::EndYear,
        key: "end_year",
        field: "end_year",
        url: Some("end"),
        label: "Last year simulated",
        unit: "",
        scale: 1.0,
        valid: (limits::MIN_YEAR as f64, limits::MAX_YEAR as f64),
        quantum: Some(1.0),
        slider: Some(Slider {
            min: 2026.0,
            max: 2040.0,
            step: 1.0,
            why_narrower: "the data's roadmap and deals reach to the early 2030s; links and files \
                           can run from 2015 to 2100, at most 60 years",
            grows_with_base: false,
        }),
        get: |s| Some(f64::from(s.end_year)),
        set: |s, v| s.end_year = v.round() as i32,
        shown: Shown { factor: 1.0, decimals: 0, text: "{v}" },
        uncertain: None,
    },
    Param {
        id: ParamId::EnergyCost,
        key: "energy_cost_multiplier",
        field: "energy_cost_multiplier",
        url: Some("energy"),
        label: "Energy cost",
        unit: "×",
        scale: 1.0,
        valid: limits::ENERGY_COST_MULTIPLIER,
        quantum: None,
        slider: Some(Slider {
            min: 0.0,
            max: 5.0,
            step: 0.05,
            why_narrower: "5× today's prices is beyond Europe's 2022 peak; links and files take up to 10×",
            grows_with_base: false,
        }),
        get: |s| Some(s.energy_cost_multiplier),
        set: |s, v| s.energy_cost_multiplier = v,
        shown: Shown { factor: 1.0, decimals: 2, text: "{v}× today" },
        uncertain: Some((
            Vary::Ratio,
            Source::Data("levers.energy_cost_multiplier", |d| &d.levers.energy_cost_multiplier),
        )),
    },
    Param {
        id: ParamId::CarbonPrice,
        key: "carbon_price_usd_per_t",
        field: "carbon_price_usd_per_t",
        url: Some("carbon"),
        label: "Carbon price",
        unit: "USD/t",
        scale: 1.0,
        valid: limits::CARBON_PRICE_USD_PER_T,
        quantum: None,
        slider: Some(Slider {
            min: 0.0,
            max: 400.0,
            step: 5.0,
            why_narrower: "$400/t is about three times the highest carbon price in force (Sweden's \
                           tax); links and files take up to $5,000/t",
            grows_with_base: false,
        }),
        get: |s| Some(s.carbon_price_usd_per_t),
        set: |s, v| s.carbon_price_usd_per_t = v,
        shown: Shown { factor: 1.0, decimals: 0, text: "${v}/t CO2e" },
        uncertain: Some((
            Vary::Shift,
            Source::Scenario("carbon_price_usd_per_t", |r| &r.carbon_price_usd_per_t),
        )),
    },
    Param {
        id: ParamId::GridPace,
        key: "grid_decarbonisation_pace",
        field: "grid_decarbonisation_pace",
        url: Some("grid"),
        label: "Grid decarbonisation pace",
        unit: "×",
        scale: 1.0,
        valid: limits::GRID_PACE,
        quantum: None,
        slider: Some(Slider {
            min: 0.0,
            max: 3.0,
            step: 0.05,
            why_narrower: "three times the recent trend is faster than any large grid has cleaned \
                           up; links and files take up to 5×",
            grows_with_base: false,
        }),
        get: |s| Some(s.grid_decarbonisation_pace),
        set: |s, v| s.grid_decarbonisation_pace = v,
        shown: Shown { factor: 1.0, decimals: 2, text: "{v}× recent trend" },
        uncertain: Some((
            Vary::Ratio,
            Source::Data("levers.grid_decarbonisation_pace", |d| &d.levers.grid_decarbonisation_pace),
        )),
    },
    Param {
        id: ParamId::Lifetime,
        key: "lifetime_years",
        field: "lifetime_years",
        url: Some("life"),
        label: "Hardware lifetime",
        unit: "years",
        scale: 1.0,
        valid: limits::LIFETIME_YEARS,
        quantum: Some(0.25),
        slider: Some(Slider {
            min: 2.0,
            max: 10.0,
            step: 0.25,
            why_narrower: "clouds write accelerators off over 4–6 years; links and files take 1–15 years",
            grows_with_base: false,
        }),
        get: |s| Some(s.lifetime_years),
        set: |s, v| s.lifetime_years = v,
        shown: Shown { factor: 1.0, decimals: 2, text: "{v} years" },
        uncertain: Some((Vary::Shift, Source::Scenario("lifetime_years", |r| &r.lifetime_years))),
    },
    Param {
        id: ParamId::FacilityLifetime,
        key: "facility_lifetime_years",
        field: "facility_lifetime_years",
        url: Some("flife"),
        label: "Building lifetime",
        unit: "years",
        scale: 1.0,
        valid: limits::FACILITY_LIFETIME_YEARS,
        quantum: Some(0.25),
        slider: Some(Slider {
            min: 5.0,
            max: 40.0,
            step: 1.0,
            why_narrower: "data-centre shells are built for 15–30 years; links and files take 1–60 years",
            grows_with_base: false,
        }),
        get: |s| Some(s.facility_lifetime_years),
        set: |s, v| s.facility_lifetime_years = v,
        shown: Shown { factor: 1.0, decimals: 0, text: "{v} years" },
        uncertain: Some((
            Vary::Shift,
            Source::Scenario("facility_lifetime_years", |r| &r.facility_lifetime_years),
        )),
    },
    Param {
        id: ParamId::CostOfCapital,
        key: "cost_of_capital",
        field: "cost_of_capital",
        url: Some("wacc"),
        label: "Cost of capital",
        unit: "/yr",
        scale: PERCENT,
        valid: limits::COST_OF_CAPITAL,
        quantum: None,
        slider: Some(Slider {
            min: 0.0,
            max: 15.0,
            step: 0.5,
            why_narrower: "large clouds borrow at 4–10% a year; links and files take up to 50%",
            grows_with_base: false,
        }),
        get: |s| Some(s.cost_of_capital),
        set: |s, v| s.cost_of_capital = v,
        shown: Shown { factor: 1.0, decimals: 1, text: "{v}% a year" },
        uncertain: Some((Vary::Shift, Source::Scenario("cost_of_capital", |r| &r.cost_of_capital))),
    },
    Param {
        id: ParamId::Utilisation,
        key: "utilisation",
        field: "utilisation",
        url: Some("util"),
        label: "Utilisation",
        unit: "",
        scale: 1.0,
        valid: limits::FRACTION,
        quantum: None,
        slider: Some(Slider {
            min: 0.1,
            max: 1.0,
            step: 0.01,
            why_narrower: "a fleet used less than a tenth of the time is idle; links and files may set 0",
            grows_with_base: false,
        }),
        get: |s| Some(s.utilisation),
        set: |s, v| s.utilisation = v,
        shown: Shown { factor: 100.0, decimals: 0, text: "{v}%" },
        uncertain: Some((Vary::Shift, Source::Scenario("utilisation", |r| &r.utilisation))),
    },
    Param {
        id: ParamId::IdleFraction,
        key: "idle_power_fraction",
        field: "idle_power_fraction",
        url: Some("idle"),
        label: "Idle power",
        unit: "of full load",
        scale: 1.0,
        valid: limits::FRACTION,
        quantum: None,
        slider: None,
        get: |s| Some(s.idle_power_fraction),
        set: |s, v| s.idle_power_fraction = v,
        shown: Shown { factor: 100.0, decimals: 0, text: "{v}% of full load" },
        uncertain: Some((Vary::Shift, Source::Scenario("idle_power_fraction", |r| &r.idle_power_fraction))),
    },
    Param {
        id: ParamId::InferenceShare,
        key: "inference_share",
        field: "inference_share",
        url: Some("infer"),
        label: "Share of compute for inference",
        unit: "",
        scale: 1.0,
        valid: limits::FRACTION,
        quantum: None,
        slider: Some(Slider { min: 0.0, max: 1.0, step: 0.05, why_narrower: "", grows_with_base: false }),
        get: |s| Some(s.inference_share),
        set: |s, v| s.inference_share = v,
        shown: Shown { factor: 100.0, decimals: 0, text: "{v}%" },
        uncertain: Some((Vary::Shift, Source::Scenario("inference_share", |r| &r.inference_share))),
    },
    Param {
        id: ParamId::InferenceGain,
        key: "inference_efficiency_gain",
        field: "inference_efficiency_gain",
        url: Some("gain"),
        label: "Algorithmic efficiency (inference)",
        unit: "×",
        scale: 1.0,
        valid: limits::EFFICIENCY_GAIN,
        quantum: None,
        slider: Some(Slider {
            min: 1.0,
            max: 20.0,
            step: 0.5,
            why_narrower: "20× is about four years of the gains Epoch AI measures; links and files \
                           take 0.1–1,000×",
            grows_with_base: false,
        }),
        get: |s| Some(s.inference_efficiency_gain),
        set: |s, v| s.inference_efficiency_gain = v,
        shown: Shown { factor: 1.0, decimals: 1, text: "{v}× as efficient" },
        uncertain: Some((
            Vary::Ratio,
            Source::Scenario("inference_efficiency_gain", |r| &r.inference_efficiency_gain),
        )),
    },
    Param {
        id: ParamId::BuildScale,
        key: "build_out_scale",
        field: "build_out_scale",
        url: Some("build"),
        label: "Capital (build-out scale)",
        unit: "×",
        scale: 1.0,
        valid: limits::BUILD_OUT_SCALE,
        quantum: None,
        slider: None,
        get: |s| Some(s.build_out_scale),
        set: |s, v| s.build_out_scale = v,
        shown: Shown { factor: 1.0, decimals: 2, text: "{v}× the base's build-out" },
        uncertain: Some((Vary::Ratio, Source::Data("levers.build_out_scale", |d| &d.levers.build_out_scale))),
    },
    Param {
        id: ParamId::BudgetTotal,
        key: "budget_total_usd_b",
        field: "build_out",
        url: None,
        label: "Capital over the span",
        unit: "USD bn",
        scale: 1.0,
        valid: (0.0, limits::BUDGET_USD_B * limits::MAX_SPAN_YEARS as f64),
        quantum: None,
        slider: Some(Slider {
            min: 0.0,
            max: 5000.0,
            step: 25.0,
            why_narrower: "the slider reaches $5T, or three times the base's capital; links carry \
                           it as the build-out scale (up to 100×) and files as yearly budgets",
            grows_with_base: true,
        }),
        get: edit::budget_total_usd_b,
        set: edit::set_budget_total_usd_b,
        shown: Shown { factor: 0.001, decimals: 2, text: "${v}T" },
        uncertain: None,
    },
    Param {
        id: ParamId::DomesticSupply,
        key: "domestic_supply_scale",
        field: "domestic_supply.scale",
        url: Some("supply"),
        label: "China's own chip supply",
        unit: "×",
        scale: 1.0,
        valid: limits::BUILD_OUT_SCALE,
        quantum: None,
        slider: Some(Slider {
            min: 0.0,
            max: 3.0,
            step: 0.05,
            why_narrower: "three times the estimates is beyond every published forecast; links and \
                           files take up to 100×",
            grows_with_base: false,
        }),
        get: |s| Some(s.domestic_supply.scale),
        set: |s, v| s.domestic_supply.scale = v,
        shown: Shown { factor: 1.0, decimals: 2, text: "{v}× the estimates" },
        uncertain: None,
    },
    Param {
        id: ParamId::Leakage,
        key: "leakage_share",
        field: "domestic_supply.leakage_share",
        url: Some("leak"),
        label: "Banned chips that leak in",
        unit: "",
        scale: PERCENT,
        valid: limits::FRACTION,
        quantum: None,
        slider: Some(Slider {
            min: 0.0,
            max: 50.0,
            step: 1.0,
            why_narrower: "estimates of smuggling run to about a quarter; links and files take up to 100%",
            grows_with_base: false,
        }),
        get: |s| Some(s.domestic_supply.leakage_share),
        set: |s, v| s.domestic_supply.leakage_share = v,
        shown: Shown { factor: 1.0, decimals: 0, text: "{v}%" },
        uncertain: None,
    },
    Param {
        id: ParamId::UncertaintyWidth,
        key: "uncertainty_width",
        field: "uncertainty.width",
        url: Some("unc"),
        label: "Width of the ranges",
        unit: "×",
        scale: 1.0,
        valid: limits::UNCERTAINTY_WIDTH,
        quantum: None,
        slider: Some(Slider {
            min: 0.25,
            max: 3.0,
            step: 0.25,
            why_narrower: "a width of 0 switches the bands off, which the panel's checkbox does",
            grows_with_base: false,
        }),
        get: |s| Some(s.uncertainty.width),
        set: |s, v| s.uncertainty.width = v,
        shown: Shown { factor: 1.0, decimals: 1, text: "{v}× the sources' ranges" },
        uncertain: None,
    },
    Param {
        id: ParamId::TrendPerWatt,
        key: "trend_perf_per_watt",
        field: "technology_trend.perf_per_watt_gain_per_year",
        url: Some("trend_w"),
        label: "Chips after the roadmap: compute per watt",
        unit: "/yr",
        scale: PERCENT,
        valid: limits::TREND_GAIN,
        quantum: None,
        slider: Some(Slider {
            min: 0.0,
            max: 60.0,
            step: 1.0,
            why_narrower: "Epoch AI measures about +40% a year; links and files take −50% to +200%",
            grows_with_base: false,
        }),
        get: |s| Some(s.technology_trend.perf_per_watt_gain_per_year),
        set: |s, v| {
            s.technology_trend.perf_per_watt_gain_per_year = v;
            s.project();
        },
        shown: Shown { factor: 1.0, decimals: 0, text: "+{v}% a year" },
        uncertain: Some((
            Vary::Shift,
            Source::Data("trend.perf_per_watt_gain_per_year", |d| &d.trend.perf_per_watt_gain_per_year),
        )),
    },
    Param {
        id: ParamId::TrendPerUsd,
        key: "trend_perf_per_usd",
        field: "technology_trend.perf_per_usd_gain_per_year",
        url: Some("trend_usd"),
        label: "Chips after the roadmap: compute per dollar",
        unit: "/yr",
        scale: PERCENT,
        valid: limits::TREND_GAIN,
        quantum: None,
        slider: Some(Slider {
            min: 0.0,
            max: 60.0,
            step: 1.0,
            why_narrower: "Epoch AI measures about +30% a year; links and files take −50% to +200%",
            grows_with_base: false,
        }),
        get: |s| Some(s.technology_trend.perf_per_usd_gain_per_year),
        set: |s, v| {
            s.technology_trend.perf_per_usd_gain_per_year = v;
            s.project();
        },
        shown: Shown { factor: 1.0, decimals: 0, text: "+{v}% a year" },
        uncertain: Some((
            Vary::Shift,
            Source::Data("trend.perf_per_usd_gain_per_year", |d| &d.trend.perf_per_usd_gain_per_year),
        )),
    },
];

/// The scenario's fields that are not scalars of [`PARAMS`]: structured values, each validated
/// entry by entry (`validate`) and carried by links in their own parameters (`url`) or only by
/// scenario files. A test holds every field of a serialised scenario to being in one list or the
/// other.
pub const STRUCTURED_FIELDS: [(&str, &str); 18] = [
    ("format_version", "the file format's version; checked, never edited"),
    ("name", "the scenario's name (the naming module follows what is loaded)"),
    ("description", "the scenario's description"),
    ("base", "the base scenario's id (link: base=); checked against the bases"),
    ("accelerators", "entities of the base (link: base=)"),
    ("providers", "entities of the base (link: base=)"),
    ("regions", "entities of the base; prices by link: price.<region>="),
    ("starting_fleet", "cohorts of the base (link: base=)"),
    ("build_out", "budgets, capacity path, deals or a plan (links: build=, plan=)"),
    ("provider_shares_pct", "keyframes by year (link: share.<provider>=)"),
    ("price_overrides_usd_per_mwh", "per region (link: price.<region>=)"),
    ("export_policy", "rules (links: policy=, ban=, allow=, cap=)"),
    ("carbon_price_basis", "location or market (link: basis=)"),
    ("redirect", "what blocked demand does (link: redirect=)"),
    ("siting", "announced or cheap and clean (link: siting=)"),
    ("domestic_supply", "units per year by keyframe (files); scale= and leak= are parameters"),
    ("technology_trend", "two gains (parameters trend_w=, trend_usd=) and the roadmap's end"),
    ("uncertainty", "width (parameter unc=), draws= and seed="),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Display values are written as the page and CLI have always written them.
    #[test]
    fn display_values_are_written_with_their_words() {
        assert_eq!(param(ParamId::EnergyCost).show(1.5), "1.50× today");
        assert_eq!(param(ParamId::BudgetTotal).show(1500.0), "$1.50T");
        assert_eq!(param(ParamId::Utilisation).show(0.7), "70%");
        assert_eq!(param(ParamId::TrendPerWatt).show(40.0), "+40% a year");
        for p in &PARAMS {
            assert_eq!(p.shown.text.matches("{v}").count(), 1, "{}", p.key);
        }
    }
}
