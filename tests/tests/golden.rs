//! Golden checkpoints of the default scenario (its public anchors are in `deals.rs`) and of every
//! example scenario in `scenarios/`.
//!
//! `golden/default.json` records chosen metrics at chosen quarters and the headline figures;
//! `golden/<example>.json` the same for each example, at the fourth quarter of its first, middle
//! and last year. A
//! change to the model or the data that moves any of them beyond [`REGRESSION_TOLERANCE`] fails
//! here; if the change is intended, regenerate the file with
//! `UPDATE_GOLDEN=1 cargo test -p atlas-scenario-tests --test golden` and review its diff.

use std::collections::BTreeMap;

use atlas_core::{Metric, Scenario, simulate};
use atlas_scenario_tests::{read, root};
use serde_json::{Value, json};

/// Relative tolerance for regressions: the simulation is deterministic, so any difference beyond
/// floating-point noise from a different compiler or target is a real change.
const REGRESSION_TOLERANCE: f64 = 1e-9;

const CHECKPOINTS: [&str; 4] = ["2023Q4", "2026Q4", "2030Q4", "2033Q4"];
const METRICS: [Metric; 9] = [
    Metric::H100e,
    Metric::PeakEflops,
    Metric::FacilityPowerGw,
    Metric::EnergyTwh,
    Metric::CarbonLocationMt,
    Metric::CapitalUsdB,
    Metric::EnergyCostUsdB,
    Metric::WaterGl,
    Metric::Hhi,
];

fn current() -> Value {
    snapshot(&Scenario::default(), "default", &CHECKPOINTS)
}

/// Chosen metrics at `quarters` and every headline figure of `s`, as JSON.
fn snapshot(s: &Scenario, name: &str, quarters: &[&str]) -> Value {
    let results = simulate(s).expect("the scenario is valid");
    let mut checkpoints = BTreeMap::new();
    for &quarter in quarters {
        let q = results.quarters.iter().position(|x| x.to_string() == quarter).expect("checkpoint in span");
        let values: BTreeMap<&str, f64> = METRICS.iter().map(|m| (m.id(), results.total(*m)[q])).collect();
        checkpoints.insert(quarter, values);
    }
    let summary: BTreeMap<&str, f64> =
        results.summary.kpis().iter().map(|k| (k.id.as_str(), k.value)).collect();
    json!({ "scenario": name, "checkpoints": checkpoints, "summary": summary })
}

fn compare(path: &str, want: &Value, got: &Value, failures: &mut Vec<String>) {
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => {
            for (key, wv) in w {
                match g.get(key) {
                    Some(gv) => compare(&format!("{path}.{key}"), wv, gv, failures),
                    None => failures.push(format!("{path}.{key}: missing")),
                }
            }
        }
        (Value::Number(w), Value::Number(g)) => {
            let (w, g) = (w.as_f64().unwrap_or(f64::NAN), g.as_f64().unwrap_or(f64::NAN));
            if (w - g).abs() > REGRESSION_TOLERANCE * w.abs().max(g.abs()).max(1e-12) {
                failures.push(format!("{path}: golden {w}, now {g}"));
            }
        }
        _ if want == got => {}
        _ => failures.push(format!("{path}: golden {want}, now {got}")),
    }
}

#[test]
fn default_scenario_matches_golden_checkpoints() {
    let path = root().join("golden/default.json");
    let got = current();
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        let text = serde_json::to_string_pretty(&got).unwrap() + "\n";
        std::fs::write(&path, text).expect("golden file is writable");
        return;
    }
    let want: Value = serde_json::from_str(&read(&path)).expect("golden file is JSON");
    let mut failures = Vec::new();
    compare("", &want, &got, &mut failures);
    assert!(failures.is_empty(), "default scenario moved (regenerate if intended):\n{}", failures.join("\n"));
}

#[test]
fn every_example_scenario_matches_its_golden_checkpoints() {
    let files = atlas_scenario_tests::json_files(&root().join("scenarios"));
    assert!(files.len() >= 4, "examples: {files:?}");
    let mut failures = Vec::new();
    for file in files {
        let name = file.file_stem().and_then(|s| s.to_str()).expect("a file name").to_string();
        let s = atlas_core::parse_scenario(&read(&file)).expect("an example parses");
        let middle = (s.start_year + s.end_year) / 2;
        let quarters: Vec<String> =
            [s.start_year, middle, s.end_year].iter().map(|y| format!("{y}Q4")).collect();
        let quarters: Vec<&str> = quarters.iter().map(String::as_str).collect();
        let got = snapshot(&s, &name, &quarters);
        let path = root().join(format!("golden/{name}.json"));
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::write(&path, serde_json::to_string_pretty(&got).unwrap() + "\n").expect("writable");
            continue;
        }
        let want: Value = serde_json::from_str(&read(&path))
            .unwrap_or_else(|e| panic!("{}: {e} (UPDATE_GOLDEN=1 writes it)", path.display()));
        compare(&name, &want, &got, &mut failures);
    }
    assert!(failures.is_empty(), "examples moved (regenerate if intended):\n{}", failures.join("\n"));
}
