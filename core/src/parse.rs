//! Reading a scenario file (JSON) with every problem reported at once.
//!
//! Each top-level field is read on its own, so one malformed field does not hide the others:
//! unknown fields, wrongly typed values, a missing or unsupported `format_version` and every
//! validation problem come back together. Fields left out take their defaults.

use serde_json::Value;

use crate::scenario::{BuildOut, FORMAT_VERSION, Scenario};

/// The base scenario whose provider shares a file without shares or deals takes.
const CHART_BASE: &str = "article-chart";
use crate::validate::{Problem, validate};

/// Generates the per-field merge and the list of known top-level fields from one list of names,
/// so the two cannot drift apart.
macro_rules! scenario_fields {
    ($($field:ident),* $(,)?) => {
        /// Every top-level field of a scenario file, in file order.
        pub const FIELDS: &[&str] = &[$(stringify!($field)),*];

        /// Reads one top-level field into `s`; returns the problem if the value does not fit.
        fn merge_field(s: &mut Scenario, key: &str, value: Value) -> Result<(), Problem> {
            match key {
                // Read from the parsed value itself: one deserializer (over `Value`) serves every
                // field and the embedded data, which keeps the wasm module small.
                $(stringify!($field) => match serde::Deserialize::deserialize(&value) {
                    Ok(v) => {
                        s.$field = v;
                        Ok(())
                    }
                    Err(err) => Err(Problem::new(key, show(&value), without_position(&err))),
                },)*
                _ => Err(unknown_field(key, &value)),
            }
        }
    };
}

scenario_fields!(
    format_version,
    name,
    description,
    base,
    start_year,
    end_year,
    accelerators,
    providers,
    regions,
    export_policy,
    redirect,
    siting,
    provider_shares_pct,
    build_out,
    build_out_scale,
    lifetime_years,
    facility_lifetime_years,
    cost_of_capital,
    starting_fleet,
    utilisation,
    idle_power_fraction,
    energy_cost_multiplier,
    price_overrides_usd_per_mwh,
    carbon_price_usd_per_t,
    carbon_price_basis,
    grid_decarbonisation_pace,
    inference_share,
    inference_efficiency_gain,
    uncertainty,
    technology_trend,
    domestic_supply,
);

/// Parses and validates a scenario file. On failure returns every problem found.
pub fn parse_scenario(json: &str) -> Result<Scenario, Vec<Problem>> {
    let root: Value = serde_json::from_str(json).map_err(|err| {
        vec![Problem::new(
            "(file)",
            format!("line {} column {}", err.line(), err.column()),
            format!("a JSON object: {}", describe_serde_error(&err)),
        )]
    })?;
    let Value::Object(map) = root else {
        return Err(vec![Problem::new("(file)", show(&root), "a JSON object with the scenario's fields")]);
    };

    let mut problems = Vec::new();
    match map.get("format_version") {
        None => problems.push(Problem::new(
            "format_version",
            "(missing)",
            format!("\"format_version\": {FORMAT_VERSION} at the top of the file"),
        )),
        Some(v) => match v.as_u64() {
            Some(n) if n == u64::from(FORMAT_VERSION) => {}
            Some(n) if n > u64::from(FORMAT_VERSION) => problems.push(Problem::new(
                "format_version",
                n,
                format!("{FORMAT_VERSION}: the file was written by a newer Compute Atlas; this build reads version {FORMAT_VERSION}"),
            )),
            _ => problems.push(Problem::new("format_version", show(v), format!("{FORMAT_VERSION}"))),
        },
    }
    if !problems.is_empty() {
        return Err(problems);
    }

    let mut scenario = Scenario::default();
    let gives_shares = map.contains_key("provider_shares_pct");
    let gives_base = map.contains_key("base");
    for (key, value) in map {
        if let Err(problem) = merge_field(&mut scenario, &key, value) {
            problems.push(problem);
        }
    }
    // Projected accelerators follow their base and the trend, whatever numbers the file gave them.
    scenario.project();
    // A file written before scenarios carried their base: worked out once, here.
    if !gives_base {
        scenario.base = crate::scenario::infer_base(&scenario).to_string();
    }
    // The default builds by deals, which set the shares; a file that replaces them with a capital
    // or capacity path and gives no shares takes the article's chart's (as files did before the
    // deals).
    if !gives_shares
        && scenario.provider_shares_pct.is_empty()
        && matches!(scenario.build_out, BuildOut::BudgetUsdBPerYear(_) | BuildOut::InstalledFacilityGw(_))
        && let Some(chart) = crate::scenario::base(CHART_BASE)
    {
        scenario.provider_shares_pct = chart.provider_shares_pct;
    }
    // Validate the rest too, so every problem shows at once; a field that did not parse kept its
    // default, so its own validation would only repeat the parse problem.
    let unparsed: Vec<String> = problems.iter().map(|p| p.field.clone()).collect();
    problems.extend(
        validate(&scenario).into_iter().filter(|p| !unparsed.iter().any(|f| p.field.starts_with(f.as_str()))),
    );
    if problems.is_empty() { Ok(scenario) } else { Err(problems) }
}

/// A value shortened for a message.
fn show(v: &Value) -> String {
    const MAX: usize = 80;
    let text = v.to_string();
    if text.chars().count() <= MAX {
        text
    } else {
        let cut: String = text.chars().take(MAX).collect();
        format!("{cut}…")
    }
}

/// serde's message without the position suffix for values (positions are meaningless there).
fn describe_serde_error(err: &serde_json::Error) -> String {
    let text = err.to_string();
    match text.rfind(" at line ") {
        Some(i) if err.line() == 0 => text[..i].to_string(),
        _ => text,
    }
}

/// serde's message for one field's value, without the position inside that value.
fn without_position(err: &serde_json::Error) -> String {
    let text = err.to_string();
    text.rfind(" at line ").map_or(text.clone(), |i| text[..i].to_string())
}

fn unknown_field(key: &str, value: &Value) -> Problem {
    let suggestion = FIELDS
        .iter()
        .map(|f| (edit_distance(key, f), *f))
        .min()
        .filter(|(d, _)| *d <= 3)
        .map(|(_, f)| format!(" (did you mean `{f}`?)"))
        .unwrap_or_default();
    Problem::new(
        key,
        show(value),
        format!("a known scenario field{suggestion}; known fields: {}", FIELDS.join(", ")),
    )
}

/// Levenshtein distance, for suggesting the field a typo meant.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_minimal_file_takes_defaults() {
        let s = parse_scenario(r#"{"format_version": 1, "energy_cost_multiplier": 1.5}"#).unwrap();
        assert_eq!(s.energy_cost_multiplier, 1.5);
        assert_eq!(s.providers, Scenario::default().providers);
    }

    /// A scenario carries its base: a file keeps the one it names, a file written before
    /// scenarios carried one has it worked out from its entities (once, here), and a base that
    /// does not exist is a problem under `base`.
    #[test]
    fn the_base_is_carried_or_worked_out_once() {
        let world = crate::scenario::base("world").unwrap();
        assert_eq!(world.base, "world");
        let read = parse_scenario(&world.to_json_pretty()).unwrap();
        assert_eq!(read.base, "world");
        assert_eq!(crate::scenario::base_of(&read).0, "world");

        let mut old: serde_json::Value = serde_json::from_str(&world.to_json_pretty()).unwrap();
        old.as_object_mut().unwrap().remove("base");
        let read = parse_scenario(&old.to_string()).unwrap();
        assert_eq!(read.base, "world", "worked out from the world's fleet and entities");
        assert_eq!(read, world);

        let minimal = parse_scenario(r#"{"format_version": 1}"#).unwrap();
        assert_eq!(minimal.base, crate::scenario::default_base_id());

        let problems = parse_scenario(r#"{"format_version": 1, "base": "mars"}"#).unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].field, "base");
        assert!(problems[0].expected.contains("world"), "{}", problems[0]);
    }

    #[test]
    fn every_field_is_listed() {
        let default = serde_json::to_value(Scenario::default()).unwrap();
        let keys: Vec<&str> = default.as_object().unwrap().keys().map(String::as_str).collect();
        let mut listed = FIELDS.to_vec();
        let mut keys_sorted = keys.clone();
        listed.sort_unstable();
        keys_sorted.sort_unstable();
        assert_eq!(listed, keys_sorted);
    }

    #[test]
    fn default_round_trips_through_json() {
        let s = Scenario::default();
        assert_eq!(parse_scenario(&s.to_json_pretty()).unwrap(), s);
    }

    #[test]
    fn collects_problems_from_several_fields() {
        let problems = parse_scenario(
            r#"{"format_version": 1, "enrgy_cost_multiplier": 2, "utilisation": "high", "carbon_price_usd_per_t": -5}"#,
        )
        .unwrap_err();
        assert_eq!(problems.len(), 3, "{problems:#?}");
        assert!(
            problems.iter().any(|p| p.field == "carbon_price_usd_per_t"),
            "validation runs beside parsing"
        );
        let typo = problems.iter().find(|p| p.field == "enrgy_cost_multiplier").unwrap();
        assert!(typo.expected.contains("did you mean `energy_cost_multiplier`"), "{}", typo.expected);
        let bad = problems.iter().find(|p| p.field == "utilisation").unwrap();
        assert_eq!(bad.value, "\"high\"");
        assert!(bad.expected.contains("f64"), "{}", bad.expected);
    }

    #[test]
    fn validation_runs_when_the_fields_parse() {
        let problems =
            parse_scenario(r#"{"format_version": 1, "carbon_price_usd_per_t": -5, "utilisation": 2}"#)
                .unwrap_err();
        assert_eq!(problems.len(), 2);
    }

    #[test]
    fn version_problems() {
        let missing = parse_scenario(r#"{"utilisation": 0.5}"#).unwrap_err();
        assert_eq!(missing[0].field, "format_version");
        let future = parse_scenario(r#"{"format_version": 7}"#).unwrap_err();
        assert!(future[0].expected.contains("newer"));
        assert!(parse_scenario("[1, 2]").is_err());
        let broken = parse_scenario("{\"format_version\": 1,").unwrap_err();
        assert_eq!(broken[0].field, "(file)");
        assert!(broken[0].value.starts_with("line 1"));
    }

    #[test]
    fn export_policy_accepts_a_preset_name() {
        let s = parse_scenario(r#"{"format_version": 1, "export_policy": "blackwell-us-only"}"#).unwrap();
        assert_eq!(s.export_policy.name, "blackwell-us-only");
        assert!(!s.export_policy.rules.is_empty());
        let err = parse_scenario(r#"{"format_version": 1, "export_policy": "nope"}"#).unwrap_err();
        assert!(err[0].expected.contains("oct-2023"), "{}", err[0].expected);
    }
}
