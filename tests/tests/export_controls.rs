//! Export controls that act like the real ones: a family's rule covers its sub-generations, in
//! the world scenario where somebody builds in every group.

use atlas_core::url::decode;
use atlas_core::{Metric, RedirectReason, Results, Scenario, simulate};

fn run(query: &str) -> (Scenario, Results) {
    let d = decode(query, &[]);
    assert!(d.notices.is_empty(), "{query}: {:?}", d.notices);
    let r = simulate(&d.scenario).expect("valid");
    (d.scenario, r)
}

/// Accelerators of the given models installed in a region at any quarter.
fn installed(r: &Results, region: &str, models: &[&str]) -> f64 {
    let reg = r.regions.iter().position(|x| x == region).expect(region);
    r.cells
        .iter()
        .filter(|c| c.region == reg && models.contains(&r.accelerators[c.accelerator].as_str()))
        .flat_map(|c| c.installed.iter())
        .sum()
}

#[test]
fn banning_blackwell_to_the_embargoed_group_bans_blackwell_ultra_too() {
    // With no rules at all, China buys Blackwell Ultra (GB300) once it is on sale.
    let (_, open) = run("v=1&base=world&policy=none");
    assert!(installed(&open, "china", &["gb300"]) > 0.0, "GB300 reaches China without rules");
    // One click on the Blackwell row bans both generations there, and nowhere else.
    let (_, banned) = run("v=1&base=world&policy=none&ban=blackwell:embargoed&leak=0");
    assert_eq!(installed(&banned, "china", &["b200", "gb200", "gb300"]), 0.0);
    assert!(installed(&banned, "singapore", &["gb300"]) > 0.0, "other groups still get GB300");
    // Set apart on purpose, Blackwell Ultra flows again while Blackwell stays banned.
    let (_, apart) =
        run("v=1&base=world&policy=none&ban=blackwell:embargoed&allow=blackwell_ultra:embargoed&leak=0");
    assert!(installed(&apart, "china", &["gb300"]) > 0.0);
    assert_eq!(installed(&apart, "china", &["b200", "gb200"]), 0.0);
}

/// A region's figure at the last quarter, and over the last four quarters for a flow.
fn region_end(r: &Results, metric: Metric, region: &str) -> f64 {
    let reg = r.regions.iter().position(|x| x == region).expect(region);
    let row = r.series(metric).region(reg);
    if metric.is_flow() { row[row.len() - 4..].iter().sum() } else { row[row.len() - 1] }
}

#[test]
fn a_ban_on_china_leaves_it_less_capacity_built_with_its_own_less_efficient_chips() {
    let (_, open) = run("v=1&base=world&policy=none");
    let (_, banned) = run("v=1&base=world&policy=h20-licence-2025");
    let h100e = |r: &Results| region_end(r, Metric::H100e, "china");
    let kwh_per_h100e = |r: &Results| region_end(r, Metric::EnergyTwh, "china") / h100e(r);
    assert!(h100e(&banned) < 0.9 * h100e(&open), "China: {} against {} H100e", h100e(&banned), h100e(&open));
    assert!(
        kwh_per_h100e(&banned) > 1.1 * kwh_per_h100e(&open),
        "energy per H100e in China rises with Ascend parts"
    );
    // The money stays in China: nothing of Alibaba's Chinese money is redirected abroad.
    assert!(
        banned
            .redirects
            .iter()
            .all(|f| f.from_region != "china" || f.to_region.is_empty() || f.to_region == "china")
    );
}

#[test]
fn the_domestic_supply_limits_china_and_what_it_cannot_meet_is_unmet() {
    // A tenth of the supply, no leakage: China buys at most that many domestic parts a year, and
    // the rest of its demand is reported unmet, not moved abroad.
    let (s, r) = run("v=1&base=world&supply=0.1&leak=0");
    assert!(r.summary.unmet_usd_b_total > 1.0, "unmet: {}", r.summary.unmet_usd_b_total);
    let (_, full) = run("v=1&base=world&leak=0");
    assert!(r.summary.unmet_usd_b_total > full.summary.unmet_usd_b_total);
    let china = r.regions.iter().position(|x| x == "china").unwrap();
    for year in s.start_year..=s.end_year {
        let bought: f64 = (r.cells.iter())
            .filter(|c| c.region == china && r.accelerators[c.accelerator].starts_with("ascend"))
            .flat_map(|c| c.added.iter().zip(&r.quarters).filter(|(_, q)| q.year == year).map(|(v, _)| v))
            .sum();
        let keys: Vec<(f64, f64)> =
            s.domestic_supply.units_per_year.iter().map(|(y, u)| (f64::from(*y), *u)).collect();
        let limit = 0.1 * interpolate(&keys, f64::from(year));
        assert!(bought <= limit * (1.0 + 1e-9) + 1e-6, "{year}: {bought} domestic parts, limit {limit}");
    }
    // No leakage: no banned part in China at all.
    assert!(r.redirects.iter().all(|f| f.reason != RedirectReason::Leakage));
    // Money is accounted for: spent, unspent or unmet.
    let budget = atlas_core::edit::budget_total_usd_b(&s).unwrap();
    let accounted =
        r.summary.capital_usd_b_total + r.summary.unspent_usd_b_total + r.summary.unmet_usd_b_total;
    assert!((accounted - budget).abs() < 1e-6 * budget, "{accounted} against {budget}");
}

/// Linear between keyframes, held outside them.
fn interpolate(points: &[(f64, f64)], x: f64) -> f64 {
    if x <= points[0].0 {
        return points[0].1;
    }
    for w in points.windows(2) {
        if x <= w[1].0 {
            return w[0].1 + (w[1].1 - w[0].1) * (x - w[0].0) / (w[1].0 - w[0].0);
        }
    }
    points[points.len() - 1].1
}

#[test]
fn a_leakage_share_of_banned_money_still_buys_banned_chips_and_is_reported() {
    let (_, r) = run("v=1&base=world&leak=20");
    let leaked: f64 =
        r.redirects.iter().filter(|f| f.reason == RedirectReason::Leakage).map(|f| f.usd_b).sum();
    let (_, none) = run("v=1&base=world&leak=0");
    let blocked: f64 =
        none.redirects.iter().filter(|f| f.from_region == "china").map(|f| f.usd_b).sum::<f64>()
            + none.summary.unmet_usd_b_total;
    assert!(leaked > 0.0);
    // About a fifth of what the ban blocks (the supply then covers more of the rest).
    assert!((leaked / blocked - 0.2).abs() < 0.05, "leaked {leaked} of {blocked}");
    // Leakage is not redirection: the capacity bought elsewhere does not count it.
    assert!(
        r.redirects
            .iter()
            .filter(|f| f.reason == RedirectReason::Leakage)
            .all(|f| f.from_region == f.to_region)
    );
}

/// Accelerators of one model added in China over some years.
fn added_in_china(r: &Results, model: &str, years: std::ops::RangeInclusive<i32>) -> f64 {
    let china = r.regions.iter().position(|x| x == "china").unwrap();
    (r.cells.iter())
        .filter(|c| c.region == china && r.accelerators[c.accelerator] == model)
        .flat_map(|c| c.added.iter().zip(&r.quarters))
        .filter(|(_, q)| years.contains(&q.year))
        .map(|(v, _)| v)
        .sum()
}

#[test]
fn the_world_follows_the_record_h20_in_2024_b30a_blocked_h200_from_2026() {
    // The world scenario's policy is the record through 2026. With a third of the domestic
    // supply, Chinese builders need foreign chips beyond their own, and buy what the year allows.
    let (s, r) = run("v=1&base=world&supply=0.3&leak=0");
    assert_eq!(s.export_policy.name, "h200-china-2026");
    assert_eq!(atlas_core::url::encode(&s), "v=1&base=world&supply=0.3&leak=0");
    assert!(added_in_china(&r, "h20", 2024..=2024) > 0.0, "the H20 was allowed in 2024");
    assert_eq!(added_in_china(&r, "h20", 2025..=2030), 0.0, "licence required from April 2025");
    assert_eq!(added_in_china(&r, "h200", 2024..=2025), 0.0, "the H200 is banned before 2026");
    assert!(added_in_china(&r, "h200", 2026..=2030) > 0.0, "and bought from 2026");
    for newer in ["b30a", "b200", "gb200", "gb300", "vera_rubin", "rubin_ultra"] {
        assert_eq!(added_in_china(&r, newer, 2024..=2030), 0.0, "{newer} stays banned");
    }
    // Domestic chips first: the H200 takes only what the domestic supply cannot, so more supply
    // means fewer H200s.
    let (_, full) = run("v=1&base=world&leak=0");
    assert!(
        added_in_china(&full, "h200", 2026..=2030) < added_in_china(&r, "h200", 2026..=2030),
        "with more domestic supply, fewer H200s"
    );

    // Had the B30A been allowed, Chinese builders would have bought it instead of the H200.
    let (_, b30a) = run("v=1&base=world&supply=0.3&leak=0&policy=b30a-allowed-2026");
    assert!(added_in_china(&b30a, "b30a", 2026..=2030) > 0.0);
    assert_eq!(added_in_china(&b30a, "h200", 2026..=2030), 0.0);
    // Under the rules of April 2025 held for good, nothing foreign reaches China after 2024 and
    // more demand goes unmet.
    let (_, strict) = run("v=1&base=world&supply=0.3&leak=0&policy=h20-licence-2025");
    assert_eq!(
        added_in_china(&strict, "h20", 2024..=2030) + added_in_china(&strict, "h200", 2024..=2030),
        0.0
    );
    assert!(strict.summary.unmet_usd_b_total > r.summary.unmet_usd_b_total + 1.0);
}

#[test]
fn the_planner_buys_no_more_domestic_chips_than_china_can_make() {
    use atlas_core::plan::{Objective, PlanSettings, plan};
    // Most compute for the world's budget with a tenth of the domestic supply: Chinese builders
    // would buy more Ascend parts than the supply allows if they could.
    let (s, _) = run("v=1&base=world&supply=0.1");
    // Only the Chinese builders who build in China alone are planned: their money has nowhere else
    // to go.
    let settings = PlanSettings {
        objective: Objective::MaxCompute,
        providers: vec!["china_ai".into()],
        ..PlanSettings::default()
    };
    let p = plan(&s, &settings).expect("a plan");
    let mut binds = false;
    for year in s.start_year..=s.end_year {
        let units: f64 = (p.purchases.iter())
            .filter(|x| x.year == year && x.accelerator.starts_with("ascend"))
            .map(|x| {
                let a = &s.accelerators[s.accelerator_index(&x.accelerator).unwrap()];
                x.hardware_usd_b * 1e9 / a.price_usd
            })
            .sum();
        let keys: Vec<(f64, f64)> =
            s.domestic_supply.units_per_year.iter().map(|(y, u)| (f64::from(*y), *u)).collect();
        let limit = 0.1 * interpolate(&keys, f64::from(year));
        assert!(
            units <= limit * (1.0 + 1e-6) + 1.0,
            "{year}: {units} domestic parts planned, supply {limit}"
        );
        binds |= units >= 0.99 * limit;
    }
    assert!(binds, "the supply binds in some year: without it the plan would buy more");
    assert!(p.binding.iter().any(|b| b.kind == "domestic_supply"), "{:?}", p.binding);
}

#[test]
fn where_the_rules_moved_money_reads_as_names_with_the_total_first() {
    let (s, r) = run("v=1&preset=blackwell-us-only");
    let lines = atlas_core::export::redirect_lines(&s, &r, 4);
    assert!(
        lines[0].starts_with("USD ") && lines[0].ends_with("redirected over the span. Largest moves:"),
        "{lines:?}"
    );
    let moves: Vec<&String> = lines.iter().filter(|l| l.contains(" → ")).collect();
    assert!(!moves.is_empty() && moves.len() <= 4, "{lines:?}");
    // Names, not ids: no provider, region or accelerator id with an underscore.
    assert!(moves.iter().all(|l| !l.contains("us_") && !l.contains("gb300")), "{moves:?}");
    let (s, r) = run("v=1");
    let lines = atlas_core::export::redirect_lines(&s, &r, 4);
    assert!(lines.iter().all(|l| !l.contains(" → ")) || lines[0].contains("redirected"), "{lines:?}");
}
