//! Buildings that outlive chips, worked on paper: purchases fill the room retired hardware leaves
//! before new buildings are bought, a building stands for its own lifetime, the capital charge is
//! an annuity at the cost of capital, and the planner counts buildings as the simulation does.

mod common;

use atlas_core::plan::{Objective, PlanSettings, apply, plan};
use atlas_core::scenario::BuildOut;
use atlas_core::{Metric, Scenario, simulate, validate};
use common::{EXACT, assert_close, cohort, tiny};

/// 2024-2025; 1,000 accelerators installed 2020Q3 with a 4-year life retire in 2024Q3 and leave
/// their 1 MW building (standing 10 years, to 2030Q3); $40 million is spent in 2024.
fn refresh() -> Scenario {
    let mut s = tiny();
    s.end_year = 2025;
    s.lifetime_years = 4.0;
    s.facility_lifetime_years = 10.0;
    s.starting_fleet = vec![cohort("solo", "r1", "h100", "2020Q3", 1000.0)];
    s.build_out = BuildOut::BudgetUsdBPerYear([(2024, 0.04), (2025, 0.0)].into());
    s
}

/// On paper, per quarter of 2024 ($10 million each; $30,000 hardware, 1,000 W × $10/W building):
/// - Q1, Q2: the building is full, so each accelerator needs its own: 10⁷ ÷ 40,000 = 250, with
///   250 kW of new building ($2.5 million);
/// - Q3: the starting fleet retires, leaving 1 MW of room: 10⁷ ÷ 30,000 = 333.3 accelerators, no
///   building; Q4: 333.3 more into the room left (0.67 MW).
#[test]
fn purchases_fill_the_room_retired_hardware_leaves() {
    let r = simulate(&refresh()).unwrap();
    let t = |m: Metric, q: usize| r.total(m)[q];
    for q in 0..2 {
        assert_close(t(Metric::AddedH100e, q), 250.0, EXACT);
        assert_close(t(Metric::BuildingCapitalUsdB, q), 2.5e6 * 1e-9, EXACT);
        assert_close(t(Metric::NewBuildingsGw, q), 250e3 * 1.2 * 1e-9, EXACT);
        // The new build all-in: (30,000 + 10,000) ÷ (1,000 W × PUE 1.2) = $33.3 bn per GW.
        assert_close(t(Metric::AllInUsdBPerGw, q), 40_000.0 / 1_200.0, EXACT);
    }
    for q in 2..4 {
        assert_close(t(Metric::AddedH100e, q), 1e7 / 30_000.0, EXACT);
        assert_eq!(t(Metric::BuildingCapitalUsdB, q), 0.0);
        assert_eq!(t(Metric::AllInUsdBPerGw, q), 0.0, "no new build");
    }
    assert_close(r.summary.capital_usd_b_total, 0.04, EXACT);
    assert_close(t(Metric::Accelerators, 3), 500.0 + 2.0 * 1e7 / 30_000.0, EXACT);
    // Buildings standing: the starting 1 MW and 0.5 MW new, × PUE, all the way to 2025Q4.
    assert_close(t(Metric::BuildingsGw, 7), 1.5e6 * 1.2 * 1e-9, EXACT);
    assert_close(r.summary.all_in_usd_b_per_gw_total, 40_000.0 / 1_200.0, EXACT);
}

/// With buildings that last no longer than the hardware, the starting building retires with its
/// chips, and every purchase needs a new one: $40,000 all-in, 250 a quarter.
#[test]
fn a_building_retires_after_its_own_lifetime() {
    let mut s = refresh();
    s.facility_lifetime_years = 4.0;
    let r = simulate(&s).unwrap();
    for q in 0..4 {
        assert_close(r.total(Metric::AddedH100e)[q], 250.0, EXACT);
        assert_close(r.total(Metric::BuildingCapitalUsdB)[q], 2.5e6 * 1e-9, EXACT);
    }
    assert_close(r.total(Metric::BuildingsGw)[2], 0.75e6 * 1.2 * 1e-9, EXACT);
}

/// The capital charge: hardware over its 16 quarters and buildings over their 40, each an annuity
/// at 8% a year (a quarterly rate i = 1.08^¼ − 1): charge = cost × i ÷ (1 − (1 + i)^−n).
#[test]
fn the_capital_charge_is_an_annuity_at_the_cost_of_capital() {
    let mut s = refresh();
    s.cost_of_capital = 0.08;
    let r = simulate(&s).unwrap();
    let i = 1.08f64.powf(0.25) - 1.0;
    let annuity = |n: f64| i / (1.0 - (1.0 + i).powf(-n));
    // 2024Q1: 1,250 accelerators ($30,000 each) in 1.25 MW of building ($10 per W).
    let charge = 1250.0 * 30_000.0 * annuity(16.0) + 1.25e6 * 10.0 * annuity(40.0);
    assert_close(r.total(Metric::CapitalChargeUsdB)[0], charge * 1e-9, 1e-12);
    // Without a cost of capital it is straight-line depreciation.
    let r0 = simulate(&refresh()).unwrap();
    let straight = 1250.0 * 30_000.0 / 16.0 + 1.25e6 * 10.0 / 40.0;
    assert_close(r0.total(Metric::CapitalChargeUsdB)[0], straight * 1e-9, EXACT);
    assert!(r.summary.cost_per_h100e_hour_usd_end_year > r0.summary.cost_per_h100e_hour_usd_end_year);
}

#[test]
fn buildings_must_outlive_the_hardware_in_them() {
    let mut s = refresh();
    s.facility_lifetime_years = 3.0;
    let problems = validate(&s);
    assert!(problems.iter().any(|p| p.field == "facility_lifetime_years"), "{problems:?}");
}

/// The planner counts buildings as the simulation does: a plan for the refresh, applied and
/// simulated, spends the planner's capital on hardware and on buildings.
#[test]
fn the_planner_counts_buildings_as_the_simulation_does() {
    let s = refresh();
    let target = simulate(&s).unwrap().summary.h100e_end;
    let settings = PlanSettings {
        objective: Objective::MinCost,
        capacity_target_h100e: Some(target),
        respect_budget: false,
        ..PlanSettings::default()
    };
    let p = plan(&s, &settings).unwrap();
    // The plan: 1,166.7 accelerators in 2024 (the scenario's own end capacity), half of them in
    // new buildings, half in the room the retired fleet leaves from the third quarter.
    let hardware: f64 = p.purchases.iter().map(|x| x.hardware_usd_b).sum();
    assert_close(p.building_capital_usd_b, hardware / 30_000.0 * 1_000.0 * 10.0 / 2.0, 1e-9);
    // Applied, the link rounds each purchase down to $1 million; the simulation buys the same
    // share of buildings for what remains.
    let applied = apply(&s, &p);
    let BuildOut::Planned(bought) = &applied.build_out else { panic!("a plan") };
    let scale = bought.iter().map(|x| x.capital_usd_b).sum::<f64>() / hardware;
    let r = simulate(&applied).unwrap();
    let building: f64 = r.total(Metric::BuildingCapitalUsdB).iter().sum();
    assert_close(building, p.building_capital_usd_b * scale, 1e-9);
    assert_close(r.summary.capital_usd_b_total, p.capital_usd_b * scale, 1e-9);
    // Energy of the new purchases alone: the scenario less the same without them.
    let without = simulate(&Scenario { build_out: BuildOut::Planned(Vec::new()), ..s.clone() }).unwrap();
    let energy = r.summary.energy_cost_usd_b_total - without.summary.energy_cost_usd_b_total;
    assert_close(energy, p.energy_cost_usd_b * scale, 1e-9);
}
