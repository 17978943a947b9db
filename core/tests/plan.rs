//! The planner on cases worked out on paper: two regions, two providers, one ban.
//!
//! The world (see `common::tiny`): 2024 only, lifetime 5 years, $30,000 accelerators of 1,000 W
//! (1 H100e each) plus $10/W of building = $40,000 all-in, so $1 bn buys 25,000. Draw 0.6, PUE 1.2:
//! 720 W each, 18 MW per $1 bn. A year's capital is spent a quarter at a time, so in 2024 it runs
//! (4 + 3 + 2 + 1) / 4 = 2.5 quarters: 18 MW × 2,191.5 h × 2.5 = 98,617.5 MWh per $1 bn.
//!
//! - `r1` (US, $100/MWh, 400 g/kWh): energy $9,861,750 + carbon 39,447 t × $50 = $1,972,350, so
//!   $1 bn of capital costs 1.0118341 bn in all.
//! - `r2` (close allies, $50/MWh, 100 g/kWh): $4,930,875 + 9,861.75 t × $50 = $493,087.50:
//!   1.0054239625 bn in all.

mod common;

use atlas_core::plan::{Objective, PlanError, PlanSettings, plan};
use atlas_core::policy::{Action, ExportGroup, ExportRule, Family};
use atlas_core::scenario::BuildOut;
use common::{EXACT, assert_close, provider, region, tiny};

const R1_PER_B: f64 = 1.0118341;
const R2_PER_B: f64 = 1.0054239625;

/// Provider `a` builds in both regions, `b` only in `r1`; a $10 bn budget.
fn two_by_two() -> atlas_core::Scenario {
    let mut s = tiny();
    let mut r2 = region("r2", ExportGroup::CloseAllies);
    r2.price_usd_per_mwh = 50.0;
    r2.intensity_g_per_kwh = 100.0;
    s.regions.push(r2);
    s.providers =
        vec![provider("a", &["h100"], &[("r1", 1.0), ("r2", 1.0)]), provider("b", &["h100"], &[("r1", 1.0)])];
    s.provider_shares_pct = [(2024, [("a".to_string(), 50.0), ("b".to_string(), 50.0)].into())].into();
    s.build_out = BuildOut::BudgetUsdBPerYear([(2024, 10.0)].into());
    s
}

fn ban_hopper_in_allies(s: &mut atlas_core::Scenario) {
    s.export_policy.rules.push(ExportRule::new(
        atlas_core::policy::AcceleratorSelector::Family(Family::Hopper),
        atlas_core::policy::DestinationSelector::Group(ExportGroup::CloseAllies),
        Action::Ban,
    ));
}

fn settings(objective: Objective, target: f64) -> PlanSettings {
    PlanSettings { objective, capacity_target_h100e: Some(target), ..PlanSettings::default() }
}

#[test]
fn least_cost_goes_where_power_is_cheap_until_a_ban_or_a_share_bound_stops_it() {
    let s = two_by_two();
    // 50,000 H100e need $2 bn; all of it in r2, by `a`.
    let p = plan(&s, &settings(Objective::MinCost, 50_000.0)).unwrap();
    assert_close(p.objective_value, 2.0 * R2_PER_B, 1e-9);
    assert_eq!(p.purchases.len(), 1);
    assert_eq!((p.purchases[0].provider.as_str(), p.purchases[0].region.as_str()), ("a", "r2"));
    assert_close(p.purchases[0].capital_usd_b, 2.0, 1e-9);
    assert_close(p.capacity_end_h100e, 50_000.0, 1e-9);

    // No provider above 50%: `b` must take half, and can only build in r1.
    let bounded = PlanSettings { max_provider_share: 0.5, ..settings(Objective::MinCost, 50_000.0) };
    let p = plan(&s, &bounded).unwrap();
    assert_close(p.objective_value, R1_PER_B + R2_PER_B, 1e-9);
    let b: f64 = p.purchases.iter().filter(|x| x.provider == "b").map(|x| x.capital_usd_b).sum();
    assert_close(b, 1.0, 1e-9);

    // Banning Hopper in the close allies leaves r1 only.
    let mut banned = two_by_two();
    ban_hopper_in_allies(&mut banned);
    let p = plan(&banned, &bounded).unwrap();
    assert_close(p.objective_value, 2.0 * R1_PER_B, 1e-9);
    assert!(p.purchases.iter().all(|x| x.region == "r1"), "{:?}", p.purchases);
}

#[test]
fn most_compute_for_the_budget_and_least_carbon_for_a_target() {
    let mut s = two_by_two();
    s.build_out = BuildOut::BudgetUsdBPerYear([(2024, 1.0)].into());
    // $1 bn: 25,000 H100e running 2.5 quarters = 15,625 H100e-years, wherever it goes.
    let p = plan(&s, &settings(Objective::MaxCompute, 0.0)).unwrap();
    assert_close(p.objective_value, 15_625.0, 1e-9);
    assert_close(p.capital_usd_b, 1.0, 1e-9);

    // 25,000 H100e with the least carbon: r2, 9,861.75 t operating + 25,000 × 1.5 t embodied.
    let p = plan(&s, &settings(Objective::MinCarbon, 25_000.0)).unwrap();
    assert_close(p.objective_value, 0.04736175, 1e-9);
    assert!(p.purchases.iter().all(|x| x.region == "r2"));
}

#[test]
fn an_unreachable_target_names_what_limits_it() {
    let mut s = two_by_two();
    s.build_out = BuildOut::BudgetUsdBPerYear([(2024, 2.0)].into());
    let err = plan(&s, &settings(Objective::MinCost, 100_000.0)).unwrap_err();
    let PlanError::Infeasible(message) = &err else { panic!("{err:?}") };
    let message = message.english();
    assert!(message.contains("100,000 H100e") && message.contains("50,000 H100e"), "{message}");
    assert!(message.contains("the yearly budget (no limit without it)"), "{message}");

    // Without the budget bound a power limit is what stops it: design power is 1,000 W × PUE 1.2, so
    // 0.030 GW per $1 bn; 0.027 GW a year per region allows $0.9 bn in each.
    let limited = PlanSettings {
        respect_budget: false,
        power_limit_gw_per_region_year: Some(0.027),
        ..settings(Objective::MinCost, 100_000.0)
    };
    let err = plan(&s, &limited).unwrap_err();
    let PlanError::Infeasible(message) = &err else { panic!("{err:?}") };
    let message = message.english();
    // Two regions × $0.9 bn × 25,000 = 45,000 H100e.
    assert!(message.contains("45,000 H100e") && message.contains("power limits (no limit"), "{message}");

    let err = plan(&s, &PlanSettings { max_provider_share: 0.0, ..PlanSettings::default() }).unwrap_err();
    assert!(matches!(err, PlanError::Settings(_)), "{err:?}");

    // Two providers, none above 40%: 80% of the capital at most.
    let err =
        plan(&s, &PlanSettings { max_provider_share: 0.4, ..settings(Objective::MinCost, 1.0) }).unwrap_err();
    assert!(err.to_string().contains("with 2 provider(s) and none above 40%"), "{err}");
    assert!(err.to_string().contains("at least 50.0%"), "{err}");
}

#[test]
fn the_plan_uses_only_the_providers_allowed() {
    let s = two_by_two();
    // Only `b`, which builds in r1 only.
    let only_b = PlanSettings { providers: vec!["b".into()], ..settings(Objective::MinCost, 50_000.0) };
    let p = plan(&s, &only_b).unwrap();
    assert_close(p.objective_value, 2.0 * R1_PER_B, 1e-9);
    assert!(p.purchases.iter().all(|x| x.provider == "b"));
    let unknown = PlanSettings { providers: vec!["zz".into()], ..PlanSettings::default() };
    assert!(plan(&s, &unknown).unwrap_err().to_string().contains("no provider `zz`"));
    let _ = EXACT;
}

#[test]
fn the_plan_says_which_constraints_bind_and_what_lifting_them_is_worth() {
    let s = two_by_two();
    let bounded = PlanSettings { max_provider_share: 0.5, ..settings(Objective::MinCost, 50_000.0) };
    let p = plan(&s, &bounded).unwrap();
    // `a` would rather build everything in r2: at 55% it moves $0.1 bn from r1 to r2.
    let share = p.binding.iter().find(|b| b.kind == "provider_share").expect("the share bound binds");
    assert_eq!((share.subject.as_str(), share.years.as_slice()), ("A", &[2024][..]));
    assert_close(share.objective_change.unwrap(), -0.1 * (R1_PER_B - R2_PER_B), 1e-6);
    assert!(
        share.sentence.starts_with("The 50% share bound on A binds in 2024; allowing 55% would save USD"),
        "{}",
        share.sentence
    );
    // A path 5% lower needs 5% less of both halves.
    let path = p.binding.iter().find(|b| b.kind == "capacity_path").expect("the capacity path binds");
    assert_close(path.objective_change.unwrap(), -0.05 * (R1_PER_B + R2_PER_B), 1e-9);
    // `b`'s bound is tight but free: no sentence for it.
    assert!(p.binding.iter().all(|b| b.subject != "B"), "{:?}", p.binding);
}

#[test]
fn an_applied_plan_simulates_to_what_it_promised_and_survives_a_link() {
    let s = two_by_two();
    let bounded = PlanSettings { max_provider_share: 0.5, ..settings(Objective::MinCost, 50_000.0) };
    let p = plan(&s, &bounded).unwrap();
    let applied = atlas_core::plan::apply(&s, &p);
    let r = atlas_core::simulate(&applied).expect("an applied plan is a valid scenario");
    // $1 bn in r1 by `b` and $1 bn in r2 by `a`, spent a quarter at a time: 50,000 H100e.
    assert_close(r.summary.capital_usd_b_total, 2.0, 1e-9);
    assert_close(r.summary.h100e_end, 50_000.0, 1e-9);
    let r2 = r.regions.iter().position(|x| x == "r2").unwrap();
    assert_close(r.series(atlas_core::Metric::CapitalUsdB).region(r2).iter().sum(), 1.0, 1e-9);
    // Energy cost in the simulation is the planner's, to rounding.
    assert_close(r.summary.energy_cost_usd_b_total, p.energy_cost_usd_b, 1e-9);

    // The link carries the plan exactly: the hardware, $30,000 of each $40,000 (the simulation buys
    // the buildings as it needs them, as the planner counted them).
    let query = atlas_core::url::encode(&applied);
    assert!(query.contains("plan=2024:a:r2:h100:0.75,2024:b:r1:h100:0.75"), "{query}");
    assert_close(p.building_capital_usd_b, 0.5, 1e-9);
}

#[test]
fn the_frontier_trades_cost_for_carbon_and_the_own_point_shares_its_axes() {
    use atlas_core::plan::{FRONTIER_PRICES_USD_PER_T, apply, frontier, own_point};
    let s = atlas_core::Scenario::default();
    let base = PlanSettings { max_provider_share: 0.5, ..PlanSettings::default() };
    let points = frontier(&s, &base);
    assert_eq!(points.len(), FRONTIER_PRICES_USD_PER_T.len());
    assert!(points.len() >= 20);
    for pair in points.windows(2) {
        // A higher carbon price never buys more carbon or a cheaper plan.
        assert!(pair[1].carbon_mt <= pair[0].carbon_mt * (1.0 + 1e-9), "{pair:?}");
        assert!(pair[1].cost_usd_b >= pair[0].cost_usd_b * (1.0 - 1e-9), "{pair:?}");
    }
    let (first, last) = (points[0], points[points.len() - 1]);
    assert!(last.carbon_mt < first.carbon_mt * 0.9, "pricing carbon cuts it: {first:?} → {last:?}");

    // The user's point is on the same axes: an applied plan lands where the planner put it.
    let p = plan(&s, &base).unwrap();
    let own = own_point(&apply(&s, &p)).unwrap();
    assert_close(own.cost_usd_b, p.capital_usd_b + p.energy_cost_usd_b, 1e-4);
    assert_close(own.carbon_mt, p.carbon_mt, 1e-4);
    assert_close(own.cost_usd_b, first.cost_usd_b, 1e-4);
    // And the user's own allocation costs more than the least-cost plan at its carbon price.
    let mine = own_point(&s).unwrap();
    assert!(mine.cost_usd_b > first.cost_usd_b, "{mine:?} vs {first:?}");
}

#[test]
fn conventional_it_keeps_the_scenarios_own_capital_in_a_plan() {
    let world = atlas_core::scenario::base("world").unwrap();
    let own = atlas_core::simulate(&world).unwrap();
    let conventional = own.providers.iter().position(|p| p == "conventional").unwrap();
    let own_capital: f64 = own.series(atlas_core::Metric::CapitalUsdB).provider(conventional).iter().sum();
    let p = plan(&world, &PlanSettings { max_provider_share: 0.5, ..PlanSettings::default() }).unwrap();
    let planned: f64 =
        p.purchases.iter().filter(|x| x.provider == "conventional").map(|x| x.capital_usd_b).sum();
    assert_close(planned, own_capital, 1e-9);
    // Applied, the conventional load is the scenario's own but for timing: a plan spends a year's
    // capital evenly over its quarters, while the scenario's shares move from quarter to quarter.
    let applied = atlas_core::simulate(&atlas_core::plan::apply(&world, &p)).unwrap();
    let energy = |r: &atlas_core::Results| {
        r.series(atlas_core::Metric::EnergyTwh).provider(conventional).iter().sum::<f64>()
    };
    assert_close(energy(&applied), energy(&own), 5e-3);
}

#[test]
fn the_own_point_of_a_capacity_path_counts_every_purchase() {
    // 1,000 accelerators retire in 2024Q3 and a flat capacity path replaces them in the buildings
    // they leave (standing to 2025Q3): $30 million of hardware, no new building.
    let mut s = tiny();
    s.starting_fleet = vec![common::cohort("solo", "r1", "h100", "2020Q3", 1000.0)];
    s.lifetime_years = 4.0;
    s.build_out = BuildOut::InstalledFacilityGw([(2024, 0.0012)].into());
    let r = atlas_core::simulate(&s).unwrap();
    assert_close(r.summary.capital_usd_b_total, 0.03, 1e-9);
    assert_eq!(r.summary.capital_usd_b_total, r.total(atlas_core::Metric::CapitalUsdB).iter().sum::<f64>());
    assert_eq!(r.total(atlas_core::Metric::BuildingCapitalUsdB).iter().sum::<f64>(), 0.0);
    let own = atlas_core::plan::own_point(&s).unwrap();
    assert!(own.cost_usd_b >= 0.03 - 1e-12, "the replacements' capital is in the point: {own:?}");
    assert!(own.carbon_mt > 0.0);
}
