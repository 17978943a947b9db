//! Uncertain inputs: which of a scenario's numbers are estimates with a range, how one is drawn,
//! and how a drawn value is put into the scenario.
//!
//! Every figure of the data set with a low and a high (`core/data/default.toml`) that the model
//! uses is an [`Input`] of the scenario that holds its entity: accelerator power, price and
//! embodied carbon, and the technology trend that projected accelerators follow; provider PUE, water and clean-energy share; region grid intensity, its trend,
//! electricity price and building cost; starting-fleet counts; and the scenario-wide estimates
//! (lifetime, utilisation, idle power, inference share). Choices ([`Dist::Fixed`]: the carbon price,
//! the inference gain and the levers of [`crate::data::LeversRecord`]) are inputs too, but are never
//! drawn: their range only swings the tornado chart.
//!
//! **Relative to the scenario.** A range belongs to the data's central value; a user may have moved
//! the value (a slider, a price override, a scenario file). A drawn value `x` is applied as a ratio
//! (`own × x ÷ central`) for positive quantities and as a shift (`own + x − central`) for shares,
//! trends, lifetimes and the carbon price, then kept within the validated range. With `x` at the
//! central value the scenario is left exactly as it was.
//!
//! **Width.** [`Uncertainty::width`] scales every drawn distance from the central value: 1 is the
//! sources' range, 0 switches uncertainty off, 2 doubles it (a log-normal's σ is scaled).
//!
//! **Correlation.** Inputs that move together in reality are drawn together, by a Gaussian copula
//! with one common factor per [`Correlation`] group: each drawn input has a standard normal
//! `z = √ρ F + √(1 − ρ) ε`, where `F` is its group's factor (one per draw) and `ε` its own; a
//! log-normal takes `z` directly, a triangular the inverse distribution function at `Φ(z)`. So two
//! inputs of one group have rank correlation ≈ ρ, and each keeps its own distribution.

use rand::Rng;
use rand_distr::StandardNormal;
use serde::Serialize;

use crate::data::{DataSet, Dist, Figure, ScenarioRecord, default_data};
use crate::limits;
use crate::params::{PARAMS, ParamId, Source, Vary};
use crate::scenario::Scenario;
pub use crate::scenario::Uncertainty;

/// The 95th percentile of the standard normal distribution: a log-normal's low and high are read
/// as its 5th and 95th percentiles, so σ = ln(high ÷ low) ÷ (2 × 1.6449).
const Z95: f64 = 1.644_853_626_951_472_2;

/// What kind of thing an input belongs to, for grouping in the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    /// An accelerator's figure.
    Accelerator,
    /// A provider's figure.
    Provider,
    /// A region's figure.
    Region,
    /// A starting-fleet cohort's size.
    Fleet,
    /// A scenario-wide estimate or choice.
    Scenario,
    /// A main slider's range.
    Lever,
}

impl Group {
    /// Identifier, as in JSON and CSV (`accelerator`).
    pub fn id(self) -> &'static str {
        match self {
            Group::Accelerator => "accelerator",
            Group::Provider => "provider",
            Group::Region => "region",
            Group::Fleet => "fleet",
            Group::Scenario => "scenario",
            Group::Lever => "lever",
        }
    }
}

/// A set of inputs drawn with a common factor: their normal scores are correlated by `rho`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Correlation {
    /// Identifier (`chip_prices`).
    pub id: &'static str,
    /// Which inputs, for people.
    pub label: &'static str,
    /// Correlation of the normal scores of any two inputs of the group (0–1).
    pub rho: f64,
    /// Why they move together, and where ρ comes from.
    pub why: &'static str,
}

/// The correlation groups, in the order their factors are drawn. The ρ are judgements, stated as
/// such: no source measures them; each `why` says what the inputs share.
pub const CORRELATIONS: [Correlation; 6] = [
    Correlation {
        id: "chip_prices",
        label: "All-in prices of every accelerator",
        rho: 0.6,
        why: "Compute Atlas judgement: HBM, advanced packaging (CoWoS) and the demand cycle set every \
              vendor's prices in the same year (HBM contract prices rose ~20% for 2025 across all \
              buyers); what is left is each part's own margin and mix",
    },
    Correlation {
        id: "embodied_carbon",
        label: "Embodied carbon of every accelerator",
        rho: 0.8,
        why: "Compute Atlas judgement: every figure comes from the same few studies and factors \
              (kg CO2e per GB of HBM, per cm2 of die, per host server), so an error in one is an \
              error in all",
    },
    Correlation {
        id: "building_costs",
        label: "Building cost per W in every region",
        rho: 0.7,
        why: "Compute Atlas judgement: transformers, switchgear, chillers and construction labour \
              are bought on world markets; construction-cost indices of data centres moved together \
              across regions in 2021-2025 (Turner & Townsend, Data Centre Cost Index)",
    },
    Correlation {
        id: "grid_trends",
        label: "Yearly change of grid intensity in every region",
        rho: 0.5,
        why: "Compute Atlas judgement: the pace of clean-energy build-out (panel, turbine and battery \
              prices, interest rates) is shared by every grid; local policy is not",
    },
    Correlation {
        id: "electricity_prices",
        label: "Electricity price in every region",
        rho: 0.4,
        why: "Compute Atlas judgement: gas sets the marginal price in most grids and LNG is traded \
              worldwide (2022 raised prices everywhere at once); tariffs and networks are local",
    },
    Correlation {
        id: "technology_trend",
        label: "The two technology trends after the roadmap",
        rho: 0.5,
        why: "Compute Atlas judgement: process nodes and lower-precision formats raise compute per \
              watt and per dollar together (Epoch AI reports both trends over the same hardware)",
    },
];

/// The scenario field an input sets (entity positions in the scenario's lists).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    AccItPower(usize),
    AccPrice(usize),
    AccEmbodied(usize),
    ProvPue(usize),
    ProvWue(usize),
    ProvCfe(usize),
    RegIntensity(usize),
    RegIntensityChange(usize),
    RegPrice(usize),
    RegCapex(usize),
    Cohort(usize),
    /// A scalar of the parameter table.
    Param(ParamId),
}

/// One uncertain input of a scenario.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Input {
    /// The figure's path in the data set (`accelerators.h100.price_usd`), as in the sources table.
    pub path: String,
    /// Label for people (`Nvidia H100 SXM: price`).
    pub label: String,
    /// Unit of `low`, `central` and `high`.
    pub unit: &'static str,
    /// What it belongs to.
    pub group: Group,
    /// The data's low, central and high values.
    pub low: f64,
    /// Central value.
    pub central: f64,
    /// High value.
    pub high: f64,
    /// How it is drawn.
    pub dist: Dist,
    /// The correlation group it is drawn with ([`CORRELATIONS`]), if any.
    pub correlation: Option<&'static str>,
    #[serde(skip)]
    target: Target,
}

impl Input {
    /// Whether Monte Carlo draws it (an estimate with a range; not a choice).
    pub fn is_drawn(&self) -> bool {
        self.dist != Dist::Fixed && self.high > self.low
    }

    /// The low and high ends at `width` (choices keep their stated range).
    pub fn ends(&self, width: f64) -> (f64, f64) {
        match self.dist {
            Dist::Fixed => (self.low, self.high),
            Dist::Triangular => (
                self.central + width * (self.low - self.central),
                self.central + width * (self.high - self.central),
            ),
            Dist::Lognormal => (
                self.central * libm::pow(self.low / self.central, width),
                self.central * libm::pow(self.high / self.central, width),
            ),
        }
    }

    /// One draw, in the figure's unit, at `width`, drawn independently of any other input.
    pub fn draw(&self, rng: &mut impl Rng, width: f64) -> f64 {
        let z: f64 = rng.sample(StandardNormal);
        self.at_score(z, width)
    }

    /// The value at the standard normal score `z`: the quantile at `Φ(z)` of a triangular
    /// distribution, `central × exp(width × σ × z)` for a log-normal, the central value for a
    /// choice.
    pub fn at_score(&self, z: f64, width: f64) -> f64 {
        match self.dist {
            Dist::Fixed => self.central,
            Dist::Triangular => {
                let x = triangular(normal_cdf(z), self.low, self.central, self.high);
                self.central + width * (x - self.central)
            }
            Dist::Lognormal => self.central * libm::exp(width * self.sigma() * z),
        }
    }

    /// Index of its correlation group in [`CORRELATIONS`].
    fn factor(&self) -> Option<usize> {
        let id = self.correlation?;
        CORRELATIONS.iter().position(|c| c.id == id)
    }

    /// σ of the log-normal (0 for a range that is not positive).
    fn sigma(&self) -> f64 {
        if self.low > 0.0 && self.high > self.low {
            libm::log(self.high / self.low) / (2.0 * Z95)
        } else {
            0.0
        }
    }

    /// Mean of the distribution at width 1 (for tests and documentation).
    pub fn mean(&self) -> f64 {
        match self.dist {
            Dist::Fixed => self.central,
            Dist::Triangular => (self.low + self.central + self.high) / 3.0,
            Dist::Lognormal => self.central * libm::exp(self.sigma() * self.sigma() / 2.0),
        }
    }

    /// Puts the value `x` (in the figure's unit) into `s`, relative to the value `own` holds.
    pub fn apply(&self, s: &mut Scenario, own: &Scenario, x: f64) {
        // `x ÷ central` first: exactly 1 at the central value, so the scenario is left as it was.
        let ratio = |v: f64| if self.central != 0.0 { v * (x / self.central) } else { v };
        let shift = |v: f64| v + (x - self.central);
        let clamp = |v: f64, (lo, hi): (f64, f64)| v.clamp(lo, hi);
        match self.target {
            Target::AccItPower(a) => {
                let chip = own.accelerators[a].chip_power_w;
                s.accelerators[a].it_power_w = ratio(own.accelerators[a].it_power_w).clamp(chip, 1.0e5);
            }
            Target::AccPrice(a) => {
                s.accelerators[a].price_usd = ratio(own.accelerators[a].price_usd).max(1.0)
            }
            Target::AccEmbodied(a) => {
                s.accelerators[a].embodied_kgco2e = ratio(own.accelerators[a].embodied_kgco2e).max(0.0);
            }
            Target::ProvPue(p) => s.providers[p].pue = clamp(ratio(own.providers[p].pue), limits::PUE),
            Target::ProvWue(p) => {
                s.providers[p].wue_l_per_kwh =
                    clamp(ratio(own.providers[p].wue_l_per_kwh), limits::WUE_L_PER_KWH);
            }
            Target::ProvCfe(p) => {
                s.providers[p].cfe_share = clamp(shift(own.providers[p].cfe_share), (0.0, 1.0))
            }
            Target::RegIntensity(r) => {
                s.regions[r].intensity_g_per_kwh =
                    clamp(ratio(own.regions[r].intensity_g_per_kwh), limits::INTENSITY_G_PER_KWH);
            }
            Target::RegIntensityChange(r) => {
                s.regions[r].intensity_change_per_year =
                    clamp(shift(own.regions[r].intensity_change_per_year), limits::INTENSITY_CHANGE);
            }
            Target::RegPrice(r) => {
                // A price override replaces the region's price, so the draw moves the override.
                let id = &own.regions[r].id;
                match own.price_overrides_usd_per_mwh.get(id) {
                    Some(&price) => {
                        if let Some(v) = s.price_overrides_usd_per_mwh.get_mut(id) {
                            *v = clamp(ratio(price), limits::PRICE_USD_PER_MWH);
                        }
                    }
                    None => {
                        s.regions[r].price_usd_per_mwh =
                            clamp(ratio(own.regions[r].price_usd_per_mwh), limits::PRICE_USD_PER_MWH);
                    }
                }
            }
            Target::RegCapex(r) => {
                s.regions[r].facility_capex_usd_per_w =
                    ratio(own.regions[r].facility_capex_usd_per_w).max(0.0);
            }
            Target::Cohort(c) => s.starting_fleet[c].count = ratio(own.starting_fleet[c].count).max(0.0),
            Target::Param(id) => {
                let p = crate::params::param(id);
                let Some(mine) = (p.get)(own) else { return };
                let moved = match p.uncertain {
                    Some((Vary::Ratio, _)) => ratio(mine),
                    _ => shift(mine),
                };
                let mut v = clamp(moved, p.valid);
                if let Some(q) = p.quantum {
                    v = (v / q).round() * q;
                }
                // Buildings outlive the hardware in them.
                v = match id {
                    ParamId::Lifetime => v.min(s.facility_lifetime_years),
                    ParamId::FacilityLifetime => v.max(s.lifetime_years),
                    _ => v,
                };
                (p.set)(s, v);
            }
        }
    }
}

/// The standard normal distribution function, `Φ(z) = erfc(−z ÷ √2) ÷ 2` (libm, so the same
/// bits natively and in wasm). Kept inside [0, 1).
pub fn normal_cdf(z: f64) -> f64 {
    (0.5 * libm::erfc(-z / core::f64::consts::SQRT_2)).min(1.0 - f64::EPSILON)
}

/// Draws every input of `drawn` once, correlated by [`CORRELATIONS`], and puts the values into
/// `work` relative to `own`. The factors are drawn first (one standard normal per group, in the
/// groups' order), then each input's own normal, in the inputs' order: the same generator state
/// gives the same draw.
pub fn draw_all(drawn: &[Input], rng: &mut impl Rng, width: f64, work: &mut Scenario, own: &Scenario) {
    let mut factors = [0.0; CORRELATIONS.len()];
    for f in &mut factors {
        *f = rng.sample(StandardNormal);
    }
    // The two lifetimes bound each other (hardware never outlives its building), so each reads the
    // other as this draw left it: start both from the scenario's own, not from the last draw.
    work.lifetime_years = own.lifetime_years;
    work.facility_lifetime_years = own.facility_lifetime_years;
    for input in drawn {
        let e: f64 = rng.sample(StandardNormal);
        let z = match input.factor() {
            Some(g) => {
                let rho = CORRELATIONS[g].rho;
                rho.sqrt() * factors[g] + (1.0 - rho).sqrt() * e
            }
            None => e,
        };
        input.apply(work, own, input.at_score(z, width));
    }
}

/// The inverse distribution function of the triangular distribution (minimum `a`, mode `c`,
/// maximum `b`) at `u` in [0, 1).
pub fn triangular(u: f64, a: f64, c: f64, b: f64) -> f64 {
    if b <= a {
        return c;
    }
    let fc = (c - a) / (b - a);
    if u < fc { a + (u * (b - a) * (c - a)).sqrt() } else { b - ((1.0 - u) * (b - a) * (b - c)).sqrt() }
}

/// The correlation group of the inputs that set `target`.
fn correlation_of(target: Target) -> Option<&'static str> {
    match target {
        Target::AccPrice(_) => Some("chip_prices"),
        Target::AccEmbodied(_) => Some("embodied_carbon"),
        Target::RegCapex(_) => Some("building_costs"),
        Target::RegIntensityChange(_) => Some("grid_trends"),
        Target::RegPrice(_) => Some("electricity_prices"),
        Target::Param(ParamId::TrendPerWatt | ParamId::TrendPerUsd) => Some("technology_trend"),
        _ => None,
    }
}

/// The parameters whose range is a figure of the data set under `prefix` (`trend.`, `levers.`),
/// with the figure's path, in the table's order.
fn data_params<'d>(
    data: &'d DataSet,
    prefix: &str,
) -> Vec<(&'static crate::params::Param, &'static str, &'d Figure)> {
    PARAMS
        .iter()
        .filter_map(|p| match p.uncertain {
            Some((_, Source::Data(path, figure))) if path.starts_with(prefix) => {
                Some((p, path, figure(data)))
            }
            _ => None,
        })
        .collect()
}

/// Every uncertain input of `s` (drawn estimates and choices alike), in data-file order: the
/// accelerators, providers and regions it shares with the data set, its starting fleet, the
/// scenario-wide figures of its base scenario, and the levers.
pub fn inputs(s: &Scenario) -> Vec<Input> {
    inputs_from(s, default_data())
}

fn inputs_from(s: &Scenario, data: &DataSet) -> Vec<Input> {
    let mut out = Vec::new();
    let mut push =
        |path: String, label: String, unit: &'static str, group: Group, f: &Figure, target: Target| {
            let correlation = correlation_of(target);
            let (Some(low), Some(high)) = (f.low, f.high) else { return };
            if high <= low {
                return;
            }
            if f.dist == Dist::Lognormal && low <= 0.0 {
                return;
            }
            out.push(Input {
                path,
                label,
                unit,
                group,
                low,
                central: f.value,
                high,
                dist: f.dist,
                correlation,
                target,
            });
        };

    // Each entity's figures come from the record's one list (`figures()`); what is uncertain of
    // them, with its label, unit and where a draw goes, is named here.
    for (i, a) in s.accelerators.iter().enumerate() {
        let Some(rec) = data.accelerators.iter().find(|r| r.id == a.id) else { continue };
        for (field, f) in rec.figures() {
            let (what, unit, target) = match field {
                "it_power_w" => ("all-in power", "W", Target::AccItPower(i)),
                "price_usd" => ("all-in price", "USD", Target::AccPrice(i)),
                "embodied_kgco2e" => ("embodied carbon", "kg CO2e", Target::AccEmbodied(i)),
                _ => continue,
            };
            let path = format!("accelerators.{}.{field}", a.id);
            push(path, format!("{}: {what}", a.name), unit, Group::Accelerator, f, target);
        }
    }
    for (p, path, f) in data_params(data, "trend.") {
        let target = Target::Param(p.id);
        push(path.into(), p.label.into(), p.unit, Group::Accelerator, f, target);
    }
    for (i, p) in s.providers.iter().enumerate() {
        let Some(rec) = data.providers.iter().find(|r| r.id == p.id) else { continue };
        for (field, f) in rec.figures() {
            let (what, unit, target) = match field {
                "pue" => ("PUE", "", Target::ProvPue(i)),
                "wue_l_per_kwh" => ("water use", "L/kWh", Target::ProvWue(i)),
                "cfe_share" => ("clean-energy share", "", Target::ProvCfe(i)),
                _ => continue,
            };
            let path = format!("providers.{}.{field}", p.id);
            push(path, format!("{}: {what}", p.name), unit, Group::Provider, f, target);
        }
    }
    for (i, r) in s.regions.iter().enumerate() {
        let Some(rec) = data.regions.iter().find(|d| d.id == r.id) else { continue };
        for (field, f) in rec.figures() {
            let (what, unit, target) = match field {
                "intensity_g_per_kwh" => ("grid intensity", "g/kWh", Target::RegIntensity(i)),
                "intensity_change_per_year" => ("grid trend", "/yr", Target::RegIntensityChange(i)),
                "price_usd_per_mwh" => ("electricity price", "USD/MWh", Target::RegPrice(i)),
                "facility_capex_usd_per_w" => ("building cost", "USD/W", Target::RegCapex(i)),
                _ => continue,
            };
            let path = format!("regions.{}.{field}", r.id);
            push(path, format!("{}: {what}", r.name), unit, Group::Region, f, target);
        }
    }

    let (base_id, _) = crate::scenario::base_of(s);
    let record: &ScenarioRecord = std::iter::once(&data.scenario)
        .chain(&data.base_scenarios)
        .find(|r| r.id == base_id)
        .unwrap_or(&data.scenario);
    let prefix = if std::ptr::eq(record, &data.scenario) {
        "scenario".to_string()
    } else {
        format!("base.{}", record.id)
    };
    for (i, c) in s.starting_fleet.iter().enumerate() {
        let Some(rec) = record.starting_fleet.iter().find(|r| {
            r.provider == c.provider
                && r.region == c.region
                && r.accelerator == c.accelerator
                && r.installed == c.installed
        }) else {
            continue;
        };
        let path = format!("{prefix}.starting_fleet.{}.{}.{}.count", c.provider, c.region, c.accelerator);
        let label =
            format!("Starting fleet: {} {} in {} ({})", c.provider, c.accelerator, c.region, c.installed);
        push(path, label, "accelerators", Group::Fleet, &rec.count, Target::Cohort(i));
    }
    for p in &PARAMS {
        if let Some((_, Source::Scenario(field, figure))) = p.uncertain {
            let path = format!("{prefix}.{field}");
            push(path, p.label.into(), p.unit, Group::Scenario, figure(record), Target::Param(p.id));
        }
    }
    for (p, path, f) in data_params(data, "levers.") {
        push(path.into(), p.label.into(), p.unit, Group::Lever, f, Target::Param(p.id));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triangular_inverse_hits_min_mode_and_max() {
        assert_eq!(triangular(0.0, 1.0, 2.0, 4.0), 1.0);
        // F(mode) = (2 − 1) / (4 − 1) = 1/3.
        assert!((triangular(1.0 / 3.0, 1.0, 2.0, 4.0) - 2.0).abs() < 1e-12);
        assert!((triangular(1.0 - 1e-15, 1.0, 2.0, 4.0) - 4.0).abs() < 1e-6);
        assert_eq!(triangular(0.7, 3.0, 3.0, 3.0), 3.0);
    }

    #[test]
    fn the_default_scenario_has_inputs_of_every_group() {
        let s = Scenario::default();
        let inputs = inputs(&s);
        for g in
            [Group::Accelerator, Group::Provider, Group::Region, Group::Fleet, Group::Scenario, Group::Lever]
        {
            assert!(inputs.iter().any(|i| i.group == g), "{g:?}");
            assert_eq!(serde_json::to_value(g).unwrap(), g.id(), "JSON and CSV name groups alike");
        }
        let carbon = inputs.iter().find(|i| i.path == "scenario.carbon_price_usd_per_t").unwrap();
        assert!(!carbon.is_drawn(), "a choice is not drawn");
        let price = inputs.iter().find(|i| i.path == "accelerators.h100.price_usd").unwrap();
        assert_eq!(price.dist, Dist::Lognormal);
        assert!(price.is_drawn());
    }

    #[test]
    fn the_central_value_leaves_the_scenario_unchanged() {
        let own = Scenario::default();
        let mut s = own.clone();
        for input in inputs(&own) {
            input.apply(&mut s, &own, input.central);
        }
        assert_eq!(s, own);
    }

    #[test]
    fn a_ratio_follows_the_users_own_value() {
        let mut own = Scenario::default();
        let a = own.accelerator_index("h100").unwrap();
        own.accelerators[a].price_usd = 20_000.0; // half the data's 40,000
        let input = inputs(&own).into_iter().find(|i| i.path == "accelerators.h100.price_usd").unwrap();
        let mut s = own.clone();
        input.apply(&mut s, &own, 50_000.0); // the data's high, 1.25 × central
        assert!((s.accelerators[a].price_usd - 25_000.0).abs() < 1e-9);
    }
}
