//! Validation: every problem of a scenario at once, each naming the field, the value and what is
//! allowed. Nothing is clamped: a scenario either passes as it is or is rejected with its problems.
//!
//! **A scenario that passes validation simulates without NaN, infinity or negative energy**; the
//! ranges below are chosen so that holds (the property tests check it).

use std::collections::BTreeSet;
use std::fmt;

use serde::Serialize;

use crate::limits;
use crate::message::Message;
use crate::params::{PARAMS, ParamId, param};
use crate::policy::{AcceleratorSelector, Action, DestinationSelector};
use crate::quarter::Quarter;
use crate::scenario::{BuildOut, FORMAT_VERSION, H100E_REFERENCE, Scenario};

/// One thing wrong with an input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Path of the field (`providers[1].pue`, `provider_shares_pct.2026`).
    pub field: String,
    /// The offending value as written.
    pub value: String,
    /// What is allowed instead, in English.
    pub expected: String,
    /// The same as a message, for a page that words it in the reader's language.
    #[serde(skip)]
    pub said: Message,
}

impl Problem {
    /// A problem with the given field, value and expectation (English text, shown as it is).
    pub fn new(field: impl Into<String>, value: impl fmt::Display, expected: impl Into<String>) -> Self {
        let expected = expected.into();
        let said = Message::new("valid.text").text("text", expected.clone());
        Self { field: field.into(), value: value.to_string(), expected, said }
    }

    /// A problem with the given field, value and expectation as a message.
    pub fn said(field: impl Into<String>, value: impl fmt::Display, said: Message) -> Self {
        Self { field: field.into(), value: value.to_string(), expected: said.english(), said }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: got {}; expected {}", self.field, self.value, self.expected)
    }
}

/// A field path, built only when a problem is reported (validation runs on every slider move).
trait FieldPath {
    fn path(self) -> String;
}

impl FieldPath for &str {
    fn path(self) -> String {
        self.to_string()
    }
}

impl FieldPath for String {
    fn path(self) -> String {
        self
    }
}

impl<F: FnOnce() -> String> FieldPath for F {
    fn path(self) -> String {
        self()
    }
}

/// `prefix.name`, e.g. `providers[2].pue`.
struct At<'a>(&'a str, &'a str);

impl FieldPath for At<'_> {
    fn path(self) -> String {
        format!("{}.{}", self.0, self.1)
    }
}

struct Checker {
    problems: Vec<Problem>,
}

impl Checker {
    fn push(&mut self, field: impl FieldPath, value: impl fmt::Display, expected: Message) {
        self.problems.push(Problem::said(field.path(), value, expected));
    }

    /// Checks `lo ≤ v ≤ hi` and finiteness.
    fn range(&mut self, field: impl FieldPath, v: f64, (lo, hi): (f64, f64)) -> bool {
        if v.is_finite() && v >= lo && v <= hi {
            true
        } else {
            self.push(
                field,
                fmt_num(v),
                Message::new("valid.range").written("low", fmt_num(lo)).written("high", fmt_num(hi)),
            );
            false
        }
    }

    /// Checks `lo < v ≤ hi` (strictly positive quantities).
    fn positive(&mut self, field: impl FieldPath, v: f64, hi: f64) -> bool {
        if v.is_finite() && v > 0.0 && v <= hi {
            true
        } else {
            self.push(field, fmt_num(v), Message::new("valid.positive").written("high", fmt_num(hi)));
            false
        }
    }

    fn id(&mut self, field: impl FieldPath, id: &str, seen: &mut BTreeSet<String>) {
        let ok = !id.is_empty()
            && id.len() <= 40
            && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
        if !ok {
            self.push(field, format!("\"{id}\""), Message::new("valid.id"));
        } else if !seen.insert(id.to_string()) {
            self.push(field, format!("\"{id}\""), Message::new("valid.id_unique"));
        }
    }

    fn reference(
        &mut self,
        field: impl FieldPath,
        id: &str,
        known: &BTreeSet<String>,
        what: &'static str,
    ) -> bool {
        if known.contains(id) {
            true
        } else {
            self.push(field, format!("\"{id}\""), Message::new(what).text("known", list(known)));
            false
        }
    }

    /// A keyframe year: anywhere in the model's years (outside the span it still shapes the path,
    /// so a later start or an earlier end keeps the path's shape).
    fn year(&mut self, field: impl FieldPath, year: i32) {
        if !(limits::MIN_YEAR..=limits::MAX_YEAR).contains(&year) {
            self.push(field, year, year_range());
        }
    }
}

/// Shows a number as written, `NaN` and `inf` included.
fn fmt_num(v: f64) -> String {
    if v.is_nan() {
        "NaN".into()
    } else if v.is_infinite() {
        if v > 0.0 { "inf".into() } else { "-inf".into() }
    } else {
        format!("{v}")
    }
}

fn list(ids: &BTreeSet<String>) -> String {
    const SHOWN: usize = 64;
    let mut out: Vec<&str> = ids.iter().take(SHOWN).map(String::as_str).collect();
    if ids.len() > SHOWN {
        out.push("…");
    }
    out.join(", ")
}

/// A scenario that passed validation: only [`Valid::check`] makes one, so whatever takes a
/// `Valid` (the simulation, [`crate::run`]) never sees a scenario that was not checked, and a
/// caller that checked once need not check again.
#[derive(Clone, Copy, Debug)]
pub struct Valid<'a>(&'a Scenario);

impl<'a> Valid<'a> {
    /// The scenario if it is valid; every problem otherwise.
    pub fn check(s: &'a Scenario) -> Result<Valid<'a>, Vec<Problem>> {
        let problems = validate(s);
        if problems.is_empty() { Ok(Valid(s)) } else { Err(problems) }
    }

    /// The scenario.
    pub fn scenario(self) -> &'a Scenario {
        self.0
    }
}

impl std::ops::Deref for Valid<'_> {
    type Target = Scenario;
    fn deref(&self) -> &Scenario {
        self.0
    }
}

/// The valid years, as a message.
fn year_range() -> Message {
    Message::new("valid.year")
        .text("low", limits::MIN_YEAR.to_string())
        .text("high", limits::MAX_YEAR.to_string())
}

/// Checks a scenario and returns every problem found (empty when it is valid).
pub fn validate(s: &Scenario) -> Vec<Problem> {
    let mut c = Checker { problems: Vec::new() };

    if s.format_version != FORMAT_VERSION {
        c.push(
            "format_version",
            s.format_version,
            Message::new("valid.format").text("version", FORMAT_VERSION.to_string()),
        );
    }
    let bases = crate::scenario::base_ids();
    if !bases.contains(&s.base.as_str()) {
        c.push("base", &s.base, Message::new("valid.base").text("known", bases.join(", ")));
    }
    let span_ok = s.start_year >= limits::MIN_YEAR
        && s.end_year <= limits::MAX_YEAR
        && s.end_year >= s.start_year
        && s.end_year - s.start_year < limits::MAX_SPAN_YEARS;
    if !span_ok {
        c.push(
            "start_year, end_year",
            format!("{}–{}", s.start_year, s.end_year),
            Message::new("valid.span")
                .text("low", limits::MIN_YEAR.to_string())
                .text("high", limits::MAX_YEAR.to_string())
                .text("max", limits::MAX_SPAN_YEARS.to_string()),
        );
    }

    // Every scalar of the parameter table (the span above; the build-out's capital is checked
    // as its yearly budgets below).
    for p in PARAMS
        .iter()
        .filter(|p| !matches!(p.id, ParamId::StartYear | ParamId::EndYear | ParamId::BudgetTotal))
    {
        let Some(v) = (p.get)(s) else { continue };
        if c.range(p.field, v, p.valid)
            && let Some(q) = p.quantum
            && !p.is_valid(v)
        {
            let id = if q == 0.25 { "valid.multiple_quarters" } else { "valid.multiple" };
            let said = Message::new(id).written("q", q.to_string());
            let said = match p.unit {
                "years" => said.part("unit", Message::new("valid.unit.years")),
                unit => said.text("unit", unit),
            };
            c.push(p.field, v, said);
        }
    }

    // Accelerators.
    let mut accel_ids = BTreeSet::new();
    for (i, a) in s.accelerators.iter().enumerate() {
        let prefix = format!("accelerators[{i}]");
        let f = |name| At(&prefix, name);
        c.id(f("id"), &a.id, &mut accel_ids);
        if a.family.is_ai() {
            c.positive(f("bf16_dense_tflops"), a.bf16_dense_tflops, limits::TFLOPS);
        } else if a.bf16_dense_tflops != 0.0 {
            // A conventional server is not AI compute: it adds load, not H100-equivalents.
            c.push(f("bf16_dense_tflops"), a.bf16_dense_tflops, Message::new("valid.conventional_tflops"));
        }
        c.positive(f("chip_power_w"), a.chip_power_w, limits::ACCELERATOR_POWER_W);
        if c.positive(f("it_power_w"), a.it_power_w, limits::ACCELERATOR_POWER_W)
            && a.it_power_w < a.chip_power_w
        {
            c.push(
                f("it_power_w"),
                a.it_power_w,
                Message::new("valid.it_power").written("w", fmt_num(a.chip_power_w)),
            );
        }
        c.positive(f("price_usd"), a.price_usd, limits::ACCELERATOR_PRICE_USD);
        c.range(f("embodied_kgco2e"), a.embodied_kgco2e, (0.0, limits::EMBODIED_KGCO2E));
    }
    for (i, a) in s.accelerators.iter().enumerate() {
        let Some(from) = &a.projected_from else { continue };
        match s.accelerators.iter().find(|b| b.id == *from) {
            None => {
                c.reference(
                    || format!("accelerators[{i}].projected_from"),
                    from,
                    &accel_ids,
                    "valid.what.accelerators",
                );
            }
            Some(b) if b.projected_from.is_some() => c.push(
                format!("accelerators[{i}].projected_from"),
                format!("\"{from}\""),
                Message::new("valid.projected"),
            ),
            Some(_) => {}
        }
    }
    let d = &s.domestic_supply;
    for (year, units) in &d.units_per_year {
        c.range(
            format!("domestic_supply.units_per_year.{year}"),
            *units,
            (0.0, limits::DOMESTIC_UNITS_PER_YEAR),
        );
    }
    if s.accelerators.is_empty() {
        c.push("accelerators", "[]", Message::new("valid.one_accelerator"));
    } else if !accel_ids.contains(H100E_REFERENCE) {
        c.push("accelerators", "(no h100)", Message::new("valid.h100").text("id", H100E_REFERENCE));
    }

    // Regions.
    let mut region_ids = BTreeSet::new();
    for (i, r) in s.regions.iter().enumerate() {
        let prefix = format!("regions[{i}]");
        let f = |name| At(&prefix, name);
        c.id(f("id"), &r.id, &mut region_ids);
        c.range(f("intensity_g_per_kwh"), r.intensity_g_per_kwh, limits::INTENSITY_G_PER_KWH);
        if c.range(f("intensity_change_per_year"), r.intensity_change_per_year, limits::INTENSITY_CHANGE)
            && s.grid_decarbonisation_pace.is_finite()
            && r.intensity_change_per_year * s.grid_decarbonisation_pace < limits::MIN_PACED_CHANGE
        {
            c.push(
                f("intensity_change_per_year"),
                r.intensity_change_per_year,
                Message::new("valid.paced_change")
                    .written("pace", s.grid_decarbonisation_pace.to_string())
                    .written("min", limits::MIN_PACED_CHANGE.to_string()),
            );
        }
        c.range(f("price_usd_per_mwh"), r.price_usd_per_mwh, limits::PRICE_USD_PER_MWH);
        c.range(f("facility_capex_usd_per_w"), r.facility_capex_usd_per_w, (0.0, 1000.0));
        if let Some(limit) = r.new_power_limit_gw_per_year {
            c.range(f("new_power_limit_gw_per_year"), limit, (0.0, limits::CAPACITY_GW));
        }
    }
    if s.regions.is_empty() {
        c.push("regions", "[]", Message::new("valid.one_region"));
    }

    // Providers.
    let mut provider_ids = BTreeSet::new();
    for (i, p) in s.providers.iter().enumerate() {
        let prefix = format!("providers[{i}]");
        let f = |name| At(&prefix, name);
        c.id(f("id"), &p.id, &mut provider_ids);
        c.range(f("pue"), p.pue, limits::PUE);
        c.range(f("wue_l_per_kwh"), p.wue_l_per_kwh, limits::WUE_L_PER_KWH);
        c.range(f("cfe_share"), p.cfe_share, limits::FRACTION);
        let mut offered = BTreeSet::new();
        for (j, a) in p.offers.iter().enumerate() {
            if c.reference(|| format!("providers[{i}].offers[{j}]"), a, &accel_ids, "valid.what.accelerators")
                && !offered.insert(a.clone())
            {
                c.push(
                    format!("providers[{i}].offers[{j}]"),
                    format!("\"{a}\""),
                    Message::new("valid.listed_once"),
                );
            }
        }
        if p.offers.is_empty() {
            c.push(f("offers"), "[]", Message::new("valid.offers"));
        }
        let vendors: BTreeSet<String> = p
            .offers
            .iter()
            .filter_map(|id| s.accelerators.iter().find(|a| a.id == *id))
            .map(|a| a.vendor.clone())
            .collect();
        for (vendor, w) in &p.vendor_mix {
            let field = || format!("providers[{i}].vendor_mix.{vendor}");
            if !vendors.contains(vendor) {
                c.push(
                    field,
                    format!("\"{vendor}\""),
                    Message::new("valid.vendor").text("known", list(&vendors)),
                );
            }
            c.range(field, *w, (0.0, limits::WEIGHT));
        }
        if !p.vendor_mix.is_empty() && !p.vendor_mix.values().any(|w| *w > 0.0) {
            c.push(f("vendor_mix"), "(no positive weight)", Message::new("valid.vendor_weight"));
        }
        let mut weight_sum = 0.0;
        for (r, w) in &p.regions {
            let field = || format!("providers[{i}].regions.{r}");
            c.reference(field, r, &region_ids, "valid.what.regions");
            if c.range(field, *w, (0.0, limits::WEIGHT)) {
                weight_sum += w;
            }
        }
        if weight_sum <= 0.0 {
            c.push(f("regions"), "(no positive weight)", Message::new("valid.region_weight"));
        }
        let colour_ok = p.colour.len() == 7
            && p.colour.starts_with('#')
            && p.colour[1..].bytes().all(|b| b.is_ascii_hexdigit());
        if !colour_ok {
            c.push(f("colour"), format!("\"{}\"", p.colour), Message::new("valid.colour"));
        }
    }
    if s.providers.is_empty() {
        c.push("providers", "[]", Message::new("valid.one_provider"));
    }

    // Export policy.
    for (i, rule) in s.export_policy.rules.iter().enumerate() {
        let prefix = format!("export_policy.rules[{i}]");
        let f = |name| At(&prefix, name);
        if let AcceleratorSelector::Model(id) = &rule.accelerators {
            c.reference(f("accelerators"), id, &accel_ids, "valid.what.accelerators");
        }
        if let DestinationSelector::Region(id) = &rule.destination {
            c.reference(f("destination"), id, &region_ids, "valid.what.regions");
        }
        match (rule.action, rule.cap_h100e_per_year) {
            (Action::Cap, Some(cap)) => {
                c.range(f("cap_h100e_per_year"), cap, (0.0, limits::CAP_H100E_PER_YEAR));
            }
            (Action::Cap, None) => {
                c.push(f("cap_h100e_per_year"), "(missing)", Message::new("valid.cap_missing"))
            }
            (_, Some(cap)) => c.push(f("cap_h100e_per_year"), cap, Message::new("valid.cap_extra")),
            (_, None) => {}
        }
        if let Some(year) = rule.from_year
            && !(limits::MIN_YEAR..=limits::MAX_YEAR).contains(&year)
        {
            c.push(f("from_year"), year, year_range());
        }
    }

    // Provider shares (deals set them without keyframes; a plan names every purchase).
    if s.provider_shares_pct.is_empty() && !matches!(s.build_out, BuildOut::Deals(_) | BuildOut::Planned(_)) {
        c.push("provider_shares_pct", "{}", Message::new("valid.share_keyframe"));
    }
    for (year, shares) in &s.provider_shares_pct {
        c.year(|| format!("provider_shares_pct.{year}"), *year);
        let mut sum = 0.0;
        for (p, pct) in shares {
            let field = || format!("provider_shares_pct.{year}.{p}");
            c.reference(field, p, &provider_ids, "valid.what.providers");
            if c.range(field, *pct, (0.0, 100.0)) {
                sum += pct;
            }
        }
        if (sum - 100.0).abs() > limits::SHARE_SUM_TOLERANCE_PCT {
            c.push(
                format!("provider_shares_pct.{year}"),
                format!("shares summing to {sum:.4}%"),
                Message::new("valid.share_sum"),
            );
        }
    }

    // Build-out.
    let keyframes = match &s.build_out {
        BuildOut::BudgetUsdBPerYear(k) => Some(("build_out.budget_usd_b_per_year", k, limits::BUDGET_USD_B)),
        BuildOut::InstalledFacilityGw(k) => Some(("build_out.installed_facility_gw", k, limits::CAPACITY_GW)),
        BuildOut::Deals(book) => {
            c.year("build_out.deals.share_year", book.share_year);
            let mut deal_ids = BTreeSet::new();
            for (i, d) in book.deals.iter().enumerate() {
                let prefix = format!("build_out.deals[{i}]");
                let f = |name| At(&prefix, name);
                c.id(f("id"), &d.id, &mut deal_ids);
                c.reference(f("provider"), &d.provider, &provider_ids, "valid.what.providers");
                c.range(f("amount_usd_b"), d.amount_usd_b, (0.0, limits::BUDGET_USD_B * 10.0));
                if d.end < d.start {
                    c.push(
                        f("end"),
                        d.end,
                        Message::new("valid.deal_end").text("start", d.start.to_string()),
                    );
                }
                for (j, a) in d.chips.iter().enumerate() {
                    c.reference(
                        || format!("build_out.deals[{i}].chips[{j}]"),
                        a,
                        &accel_ids,
                        "valid.what.accelerators",
                    );
                }
                if d.chips.is_empty() {
                    c.push(f("chips"), "[]", Message::new("valid.deal_chips"));
                }
                let mut weight_sum = 0.0;
                for (r, w) in &d.sites {
                    let field = || format!("build_out.deals[{i}].sites.{r}");
                    c.reference(field, r, &region_ids, "valid.what.regions");
                    if c.range(field, *w, (0.0, limits::WEIGHT)) {
                        weight_sum += w;
                    }
                }
                if weight_sum <= 0.0 {
                    c.push(f("sites"), "(no positive weight)", Message::new("valid.region_weight"));
                }
            }
            None
        }
        BuildOut::Planned(purchases) => {
            for (i, p) in purchases.iter().enumerate() {
                let prefix = format!("build_out.planned[{i}]");
                let f = |name| At(&prefix, name);
                c.reference(f("provider"), &p.provider, &provider_ids, "valid.what.providers");
                c.reference(f("region"), &p.region, &region_ids, "valid.what.regions");
                c.reference(f("accelerator"), &p.accelerator, &accel_ids, "valid.what.accelerators");
                c.range(f("capital_usd_b"), p.capital_usd_b, (0.0, limits::BUDGET_USD_B));
                if !(limits::MIN_YEAR..=limits::MAX_YEAR).contains(&p.year) {
                    c.push(f("year"), p.year, year_range());
                }
            }
            None
        }
    };
    if let Some((name, keyframes, max)) = keyframes {
        if keyframes.is_empty() {
            c.push(name, "{}", Message::new("valid.keyframe"));
        }
        for (year, v) in keyframes {
            c.year(|| format!("{name}.{year}"), *year);
            c.range(|| format!("{name}.{year}"), *v, (0.0, max));
        }
    }

    // Lifetime and fleet.
    if param(ParamId::FacilityLifetime).is_valid(s.facility_lifetime_years)
        && param(ParamId::Lifetime).is_valid(s.lifetime_years)
        && s.facility_lifetime_years < s.lifetime_years
    {
        c.push(
            "facility_lifetime_years",
            s.facility_lifetime_years,
            Message::new("valid.facility_life").written("years", fmt_num(s.lifetime_years)),
        );
    }
    for (i, cohort) in s.starting_fleet.iter().enumerate() {
        let prefix = format!("starting_fleet[{i}]");
        let f = |name| At(&prefix, name);
        c.reference(f("provider"), &cohort.provider, &provider_ids, "valid.what.providers");
        c.reference(f("region"), &cohort.region, &region_ids, "valid.what.regions");
        if c.reference(f("accelerator"), &cohort.accelerator, &accel_ids, "valid.what.accelerators")
            && let Some(a) = s.accelerators.iter().find(|a| a.id == cohort.accelerator)
            && cohort.installed < a.first_available
        {
            c.push(
                f("installed"),
                cohort.installed,
                Message::new("valid.first_available")
                    .text("quarter", a.first_available.to_string())
                    .text("id", a.id.clone()),
            );
        }
        if cohort.installed.year >= s.start_year {
            c.push(
                f("installed"),
                cohort.installed,
                Message::new("valid.before_span").text("year", s.start_year.to_string()),
            );
        } else if !(1..=limits::COHORT_SPREAD_QUARTERS).contains(&cohort.spread_quarters) {
            c.push(
                f("spread_quarters"),
                cohort.spread_quarters,
                Message::new("valid.spread").text("max", limits::COHORT_SPREAD_QUARTERS.to_string()),
            );
        } else if cohort.last_installed().year >= s.start_year {
            c.push(
                f("spread_quarters"),
                cohort.spread_quarters,
                Message::new("valid.spread_end")
                    .text("year", s.start_year.to_string())
                    .text("from", cohort.installed.to_string())
                    .text(
                        "max",
                        (Quarter::first_of(s.start_year).index() - cohort.installed.index()).to_string(),
                    ),
            );
        }
        c.range(f("count"), cohort.count, (0.0, limits::COHORT_COUNT));
    }

    // Electricity prices by region.
    for (r, price) in &s.price_overrides_usd_per_mwh {
        let field = || format!("price_overrides_usd_per_mwh.{r}");
        c.reference(field, r, &region_ids, "valid.what.regions");
        c.range(field, *price, limits::PRICE_USD_PER_MWH);
    }

    // Uncertainty bands.
    let u = &s.uncertainty;
    let (lo, hi) = limits::DRAWS;
    if !(lo..=hi).contains(&u.draws) {
        c.push(
            "uncertainty.draws",
            u.draws,
            Message::new("valid.draws").text("low", lo.to_string()).text("high", hi.to_string()),
        );
    }

    c.problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_scenario_is_valid() {
        let problems = validate(&Scenario::default());
        assert!(problems.is_empty(), "{problems:#?}");
    }

    #[test]
    fn reports_every_problem_at_once_with_field_value_and_range() {
        let mut s = Scenario::default();
        s.energy_cost_multiplier = -1.0;
        s.utilisation = f64::NAN;
        s.providers[0].pue = 0.5;
        s.accelerators[1].price_usd = 0.0;
        s.lifetime_years = 4.1;
        s.provider_shares_pct.entry(2026).or_default().insert("azure".into(), 70.0);
        s.provider_shares_pct.entry(2026).or_default().insert("nobody".into(), 0.0);
        s.provider_shares_pct.insert(2150, [("azure".to_string(), 100.0)].into());
        let problems = validate(&s);
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        for expected in [
            "energy_cost_multiplier",
            "utilisation",
            "providers[0].pue",
            "accelerators[1].price_usd",
            "lifetime_years",
            "provider_shares_pct.2026",
            "provider_shares_pct.2026.nobody",
            "provider_shares_pct.2150",
        ] {
            assert!(fields.contains(&expected), "missing {expected} in {fields:?}");
        }
        let nan = problems.iter().find(|p| p.field == "utilisation").unwrap();
        assert_eq!(nan.value, "NaN");
        assert_eq!(nan.expected, "a number from 0 to 1");
        let neg = problems.iter().find(|p| p.field == "energy_cost_multiplier").unwrap();
        assert_eq!(neg.to_string(), "energy_cost_multiplier: got -1; expected a number from 0 to 10");
    }

    #[test]
    fn unknown_references_name_what_exists() {
        let mut s = Scenario::default();
        s.providers[0].offers.push("h9000".into());
        let problems = validate(&s);
        let p = problems.iter().find(|p| p.value == "\"h9000\"").expect("reported");
        assert!(p.field.starts_with("providers[0].offers["));
        assert!(p.expected.contains("h100"), "{}", p.expected);
    }

    #[test]
    fn missing_h100_reference_is_reported() {
        let mut s = Scenario::default();
        s.accelerators.retain(|a| a.id != "h100");
        assert!(
            validate(&s).iter().any(|p| p.field == "accelerators" && p.expected.contains("H100-equivalent"))
        );
    }
    #[test]
    fn spread_cohorts_must_end_before_the_span_and_servers_carry_no_flops() {
        let mut s = Scenario::default();
        s.starting_fleet[0].spread_quarters = 0;
        s.starting_fleet[1].installed = "2022Q3".parse().expect("quarter");
        s.starting_fleet[1].spread_quarters = 3; // 2022Q3..2023Q1 reaches into the span
        let server = s.accelerators.iter().position(|a| a.id == "cpu_server").expect("cpu_server");
        s.accelerators[server].bf16_dense_tflops = 50.0;
        let problems = validate(&s);
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert!(fields.contains(&"starting_fleet[0].spread_quarters"), "{fields:?}");
        assert!(fields.contains(&"starting_fleet[1].spread_quarters"), "{fields:?}");
        assert!(fields.contains(&format!("accelerators[{server}].bf16_dense_tflops").as_str()), "{fields:?}");
        s.starting_fleet[0].spread_quarters = 1;
        s.starting_fleet[1].spread_quarters = 2; // 2022Q3..2022Q4
        s.accelerators[server].bf16_dense_tflops = 0.0;
        assert!(validate(&s).is_empty(), "{:#?}", validate(&s));
    }
}
