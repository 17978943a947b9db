//! Cases worked out on paper: one provider, one region, one accelerator; then a budget, a ban that
//! relocates money, a downgrade, and a cap.

mod common;

use atlas_core::policy::{Action, ExportGroup, ExportRule, Family};
use atlas_core::scenario::{BuildOut, Redirect};
use atlas_core::{Metric, RedirectReason, simulate};
use common::{EXACT, accelerator, assert_close, cohort, provider, region, tiny};

/// A fixed fleet of 1,000 accelerators, no purchases, one quarter of 2024.
///
/// On paper (per quarter, 2,191.5 hours):
/// - draw = idle + (1 − idle) × utilisation = 0.2 + 0.8 × 0.5 = 0.6
/// - IT power = 1,000 × 1,000 W × 0.6 = 600 kW = 0.0006 GW; facility = × PUE 1.2 = 720 kW
/// - energy = 720 kW × 2,191.5 h = 1,577,880 kWh = 0.00157788 TWh
/// - carbon (location) = 1,577,880 kWh × 400 g = 631.152 t; market = × (1 − 0.25) = 473.364 t
/// - energy cost = 1,577.88 MWh × $100 = $157,788; carbon cost = 631.152 t × $50 = $31,557.60
/// - water = IT energy 600 kW × 2,191.5 h = 1,314,900 kWh × 0.5 L = 657,450 L
/// - H100e = 1,000 (same throughput as the reference); peak = 1,000 × 10¹⁵ FLOP/s = 1 EFLOP/s
/// - effective = 1 × utilisation 0.5 × efficiency ((1 − 0.5) + 0.5 × 3 = 2) = 1 EFLOP/s
/// - capital charge (no cost of capital, buildings as long-lived as the hardware, so straight-line
///   depreciation of both) = 1,000 × ($30,000 + 1,000 W × $10/W) ÷ 20 quarters = $2,000,000
/// - cost per H100e-hour = ($2,000,000 + $157,788 + $31,557.60) ÷ (1,000 × 2,191.5 h) = $0.99901697…
#[test]
fn fixed_fleet_energy_carbon_cost() {
    let mut s = tiny();
    s.starting_fleet = vec![cohort("solo", "r1", "h100", "2023Q1", 1000.0)];
    let r = simulate(&s).unwrap();
    let q = 0;
    let t = |m: Metric| r.total(m)[q];
    assert_close(t(Metric::Accelerators), 1000.0, EXACT);
    assert_close(t(Metric::H100e), 1000.0, EXACT);
    assert_close(t(Metric::PeakEflops), 1.0, EXACT);
    assert_close(t(Metric::EffectiveEflops), 1.0, EXACT);
    assert_close(t(Metric::ItPowerGw), 0.0006, EXACT);
    assert_close(t(Metric::FacilityPowerGw), 0.00072, EXACT);
    assert_close(t(Metric::DesignPowerGw), 0.0012, EXACT);
    assert_close(t(Metric::EnergyTwh), 0.00157788, EXACT);
    assert_close(t(Metric::CarbonLocationMt), 631.152e-6, EXACT);
    assert_close(t(Metric::CarbonMarketMt), 473.364e-6, EXACT);
    assert_close(t(Metric::EnergyCostUsdB), 157_788e-9, EXACT);
    assert_close(t(Metric::CarbonCostUsdB), 31_557.6e-9, EXACT);
    assert_close(t(Metric::WaterGl), 657_450e-9, EXACT);
    assert_close(t(Metric::CapitalChargeUsdB), 2e6 * 1e-9, EXACT);
    assert_close(t(Metric::CostPerH100eHourUsd), 2_189_345.6 / 2_191_500.0, EXACT);
    assert_eq!(t(Metric::CapitalUsdB), 0.0);
    assert_eq!(t(Metric::Hhi), 10_000.0);
    assert_eq!(t(Metric::H100eWithoutLargest), 0.0);
    assert_eq!(t(Metric::ShareUsPct), 100.0);
    // The year: four equal quarters.
    assert_close(r.summary.energy_twh_end_year, 4.0 * 0.00157788, EXACT);
    assert_close(r.summary.carbon_location_mt_end_year, 4.0 * 631.152e-6, EXACT);
    assert_close(r.summary.cost_per_h100e_hour_usd_end_year, 2_189_345.6 / 2_191_500.0, EXACT);
}

/// $40 million a year buys 250 accelerators a quarter at $40,000 all-in ($30,000 hardware plus
/// 1,000 W × $10/W of building); with 1,000 at the start, 2,000 are installed by the fourth quarter.
#[test]
fn budget_buys_at_all_in_price() {
    let mut s = tiny();
    s.starting_fleet = vec![cohort("solo", "r1", "h100", "2023Q1", 1000.0)];
    s.build_out = BuildOut::BudgetUsdBPerYear([(2024, 0.04)].into());
    let r = simulate(&s).unwrap();
    for q in 0..4 {
        assert_close(r.total(Metric::CapitalUsdB)[q], 0.01, EXACT);
        assert_close(r.total(Metric::AddedH100e)[q], 250.0, EXACT);
        assert_close(r.total(Metric::Accelerators)[q], 1000.0 + 250.0 * (q as f64 + 1.0), EXACT);
        // 1,500 kg each: 250 × 1.5 t = 375 t.
        assert_close(r.total(Metric::EmbodiedCarbonMt)[q], 375e-6, EXACT);
    }
    assert_close(r.summary.capital_usd_b_total, 0.04, EXACT);
}

/// The build-out multiplier scales the whole path: × 1.5 spends $60 million, 375 a quarter.
#[test]
fn the_build_out_multiplier_scales_the_budget() {
    let mut s = tiny();
    s.build_out = BuildOut::BudgetUsdBPerYear([(2024, 0.04)].into());
    s.build_out_scale = 1.5;
    let r = simulate(&s).unwrap();
    assert_close(r.summary.capital_usd_b_total, 0.06, EXACT);
    assert_close(r.total(Metric::AddedH100e)[0], 375.0, EXACT);
}

/// The fleet retires after its lifetime: bought 2020Q3 with a 4-year life, gone from 2024Q3.
#[test]
fn retirement_after_lifetime() {
    let mut s = tiny();
    s.starting_fleet = vec![cohort("solo", "r1", "h100", "2020Q3", 1000.0)];
    s.lifetime_years = 4.0;
    let r = simulate(&s).unwrap();
    assert_eq!(r.total(Metric::Accelerators), &[1000.0, 1000.0, 0.0, 0.0]);
}

/// A cohort spread over four quarters (2020Q2–2021Q1, 250 each) retires a quarter at a time.
#[test]
fn a_spread_cohort_retires_gradually() {
    let mut s = tiny();
    let mut c = cohort("solo", "r1", "h100", "2020Q2", 1000.0);
    c.spread_quarters = 4;
    s.starting_fleet = vec![c];
    s.lifetime_years = 4.0;
    let r = simulate(&s).unwrap();
    assert_eq!(r.total(Metric::Accelerators), &[1000.0, 750.0, 500.0, 250.0]);
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
}

/// Two regions, half the money each; a ban on everything in the embargoed one relocates its half
/// to the US region: all capital lands there, and half of it is reported as redirected.
#[test]
fn ban_relocates_money_and_reports_it() {
    let mut s = tiny();
    s.regions.push(region("r2", ExportGroup::Embargoed));
    s.providers[0].regions = [("r1".to_string(), 1.0), ("r2".to_string(), 1.0)].into();
    s.build_out = BuildOut::BudgetUsdBPerYear([(2024, 0.04)].into());
    s.export_policy.rules =
        vec![ExportRule::new("*".parse().unwrap(), "group:embargoed".parse().unwrap(), Action::Ban)];
    let r = simulate(&s).unwrap();
    let capital = r.series(Metric::CapitalUsdB);
    for q in 0..4 {
        assert_close(capital.region(0)[q], 0.01, EXACT);
        assert_eq!(capital.region(1)[q], 0.0);
        assert_close(r.total(Metric::RedirectedUsdB)[q], 0.005, EXACT);
        assert_close(r.series(Metric::BlockedUsdB).region(1)[q], 0.005, EXACT);
    }
    assert_eq!(r.redirects.len(), 1);
    let flow = &r.redirects[0];
    assert_eq!(flow.reason, RedirectReason::Ban);
    assert_eq!((flow.from_region.as_str(), flow.to_region.as_str()), ("r2", "r1"));
    assert_close(flow.usd_b, 0.02, EXACT);
    assert_close(flow.h100e, 500.0, EXACT);
    assert_close(r.summary.redirected_usd_b_total, 0.02, EXACT);
}

/// In downgrade mode a ban on Blackwell in the embargoed region buys the provider's next choice
/// (Hopper) there instead: $20 million at $40,000 = 500 H100s, while the US region gets
/// $20 million of B200s at $50,000 ($40,000 + 1,000 W × $10) = 400 B200s.
#[test]
fn downgrade_buys_the_next_allowed_generation() {
    let mut s = tiny();
    s.accelerators.push(accelerator("b200", Family::Blackwell, 2250.0, 1000.0, 40_000.0));
    s.regions.push(region("r2", ExportGroup::Embargoed));
    s.providers[0].offers = vec!["b200".into(), "h100".into()];
    s.providers[0].regions = [("r1".to_string(), 1.0), ("r2".to_string(), 1.0)].into();
    s.build_out = BuildOut::BudgetUsdBPerYear([(2024, 0.04)].into());
    s.redirect = Redirect::Downgrade;
    s.export_policy.rules = vec![ExportRule::new(
        "family:blackwell".parse().unwrap(),
        "group:embargoed".parse().unwrap(),
        Action::Ban,
    )];
    let r = simulate(&s).unwrap();
    let added: f64 = r
        .cells
        .iter()
        .filter(|c| c.region == 1 && c.accelerator == 0)
        .map(|c| c.added.iter().sum::<f64>())
        .sum();
    assert_close(added, 500.0, EXACT);
    let b200_us: f64 = r
        .cells
        .iter()
        .filter(|c| c.region == 0 && c.accelerator == 1)
        .map(|c| c.added.iter().sum::<f64>())
        .sum();
    assert_close(b200_us, 400.0, EXACT);
    assert!(
        r.cells.iter().all(|c| !(c.region == 1 && c.accelerator == 1)),
        "no Blackwell in the embargoed region"
    );
    // Nothing was relocated, so only the downgraded purchases count as redirected.
    assert_close(r.summary.redirected_usd_b_total, 0.02, EXACT);
}

/// A cap of 300 H100e a year in the middle-tier region: the first quarter's 250 fit, the second
/// quarter takes the remaining 50 and the rest of its $5 million moves to the US region; later
/// quarters move all of their half. The cap resets the next year.
#[test]
fn cap_takes_what_fits_and_moves_the_rest() {
    let mut s = tiny();
    s.end_year = 2025;
    s.regions.push(region("r2", ExportGroup::MiddleTier));
    s.providers[0].regions = [("r1".to_string(), 1.0), ("r2".to_string(), 1.0)].into();
    s.build_out = BuildOut::BudgetUsdBPerYear([(2024, 0.04)].into());
    let mut cap = ExportRule::new("*".parse().unwrap(), "group:middle_tier".parse().unwrap(), Action::Cap);
    cap.cap_h100e_per_year = Some(300.0);
    s.export_policy.rules = vec![cap];
    let r = simulate(&s).unwrap();
    let added = r.series(Metric::AddedH100e);
    let r2: Vec<f64> = added.region(1).to_vec();
    let expected = [125.0, 125.0, 50.0, 0.0, 125.0, 125.0, 50.0, 0.0];
    for (got, want) in r2.iter().zip(expected) {
        assert_close(*got, want, 1e-9);
    }
    // Every quarter still spends its whole $10 million.
    for q in 0..8 {
        assert_close(r.total(Metric::CapitalUsdB)[q], 0.01, 1e-12);
    }
    assert!(r.redirects.iter().all(|f| f.reason == RedirectReason::Cap && f.to_region == "r1"));
}

/// With every destination banned, nothing can be bought: the money is reported as unspent and a
/// warning says so; nothing is lost silently.
#[test]
fn money_nobody_can_place_is_reported_unspent() {
    let mut s = tiny();
    s.build_out = BuildOut::BudgetUsdBPerYear([(2024, 0.04)].into());
    s.export_policy.rules = vec![ExportRule::new("*".parse().unwrap(), "*".parse().unwrap(), Action::Ban)];
    let r = simulate(&s).unwrap();
    assert_eq!(r.summary.capital_usd_b_total, 0.0);
    assert_close(r.summary.unspent_usd_b_total, 0.04, EXACT);
    assert!(r.warnings.iter().any(|w| w.contains("placed nowhere")), "{:?}", r.warnings);
}

/// A second provider with a share takes what the first cannot place anywhere.
#[test]
fn blocked_provider_hands_money_to_the_others() {
    let mut s = tiny();
    s.regions.push(region("r2", ExportGroup::Embargoed));
    s.providers[0].regions = [("r2".to_string(), 1.0)].into();
    s.providers.push(provider("other", &["h100"], &[("r1", 1.0)]));
    s.provider_shares_pct = [(2024, [("solo".to_string(), 60.0), ("other".to_string(), 40.0)].into())].into();
    s.build_out = BuildOut::BudgetUsdBPerYear([(2024, 0.04)].into());
    s.export_policy.rules =
        vec![ExportRule::new("*".parse().unwrap(), "group:embargoed".parse().unwrap(), Action::Ban)];
    let r = simulate(&s).unwrap();
    let capital = r.series(Metric::CapitalUsdB);
    assert_close(capital.provider(1).iter().sum(), 0.04, EXACT);
    assert_close(r.summary.redirected_usd_b_total, 0.024, EXACT);
    assert_eq!(r.summary.unspent_usd_b_total, 0.0);
}

/// A capacity path buys what the target needs after retirements: 1.2 MW of design power per 1,000
/// accelerators (1,000 W × PUE 1.2), so a 2.4 MW target at the end of 2024 with 1,000 installed
/// buys 1,000 more, spread so the target is met at each quarter's end.
#[test]
fn capacity_path_meets_the_target() {
    let mut s = tiny();
    s.starting_fleet = vec![cohort("solo", "r1", "h100", "2023Q1", 1000.0)];
    s.build_out = BuildOut::InstalledFacilityGw([(2024, 0.0024)].into());
    let r = simulate(&s).unwrap();
    let design = r.total(Metric::DesignPowerGw);
    for (q, want) in [0.0015, 0.0018, 0.0021, 0.0024].iter().enumerate() {
        assert_close(design[q], *want, 1e-9);
    }
    assert_close(r.summary.capital_usd_b_total, 1000.0 * 40_000.0 * 1e-9, 1e-9);

    // × 2 doubles the target (4.8 MW), not the fleet the path starts from (1.2 MW).
    s.build_out_scale = 2.0;
    let r = simulate(&s).unwrap();
    assert_close(r.total(Metric::DesignPowerGw)[3], 0.0048, 1e-9);
}
