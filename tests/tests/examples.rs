//! Every example scenario parses and simulates to finite numbers; every broken one is rejected with
//! problems naming exactly the fields its `.problems` file lists.

use atlas_core::{Metric, parse_scenario, simulate};
use atlas_scenario_tests::{json_files, read, root};

#[test]
fn example_scenarios_simulate() {
    let files = json_files(&root().join("scenarios"));
    assert!(files.len() >= 4, "examples: {files:?}");
    for path in files {
        let scenario = parse_scenario(&read(&path))
            .unwrap_or_else(|problems| panic!("{} is invalid: {problems:#?}", path.display()));
        let results = simulate(&scenario).expect("a parsed scenario is valid");
        for series in &results.series {
            assert!(
                series.total.iter().all(|v| v.is_finite() && *v >= 0.0),
                "{}: {:?}",
                path.display(),
                series.metric
            );
        }
        assert!(results.summary.h100e_end > 0.0, "{} builds something", path.display());
    }
}

#[test]
fn the_blackwell_example_keeps_alibabas_china_money_at_home_on_its_own_chips() {
    let scenario = parse_scenario(&read(&root().join("scenarios/blackwell-us-only.json"))).unwrap();
    let results = simulate(&scenario).unwrap();
    let china = results.regions.iter().position(|r| r == "china").unwrap();
    let blocked = results.series(Metric::BlockedUsdB).region(china).iter().sum::<f64>();
    assert!(blocked > 10.0, "Alibaba's China share is blocked: {blocked}");
    // Blocked money stays in China: it buys Ascend parts (or a leakage share of the banned ones).
    assert!(results.redirects.iter().any(|f| f.from_region == "china" && f.from_provider == "alibaba"));
    assert!(
        (results.redirects.iter())
            .filter(|f| f.from_region == "china")
            .all(|f| f.to_region == "china" || f.to_region.is_empty()),
        "nothing of it moves abroad (what the supply cannot meet goes unmet)"
    );
    let ascend: f64 = (results.cells.iter())
        .filter(|c| c.region == china && results.accelerators[c.accelerator].starts_with("ascend"))
        .map(|c| c.added.iter().sum::<f64>())
        .sum();
    assert!(ascend > 0.0, "China builds with Ascend parts");
}

#[test]
fn broken_scenarios_name_every_problem() {
    let files = json_files(&root().join("scenarios/invalid"));
    assert!(files.len() >= 4);
    for path in files {
        let expected_text = read(&path.with_extension("problems"));
        let mut expected: Vec<&str> = expected_text.lines().filter(|l| !l.trim().is_empty()).collect();
        let problems = match parse_scenario(&read(&path)) {
            Ok(_) => panic!("{} should be rejected", path.display()),
            Err(problems) => problems,
        };
        let mut fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        fields.sort_unstable();
        expected.sort_unstable();
        assert_eq!(fields, expected, "{}: {problems:#?}", path.display());
        for p in &problems {
            assert!(!p.value.is_empty() && !p.expected.is_empty(), "{p:?}");
        }
    }
}
