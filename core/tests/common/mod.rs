//! A tiny world for hand-computed tests: builders for accelerators, providers and regions with
//! round numbers, so expected values can be worked out on paper.

#![allow(dead_code, missing_docs)]

use std::collections::BTreeMap;

use atlas_core::Quarter;
use atlas_core::Scenario;
use atlas_core::policy::{ExportGroup, Family};
use atlas_core::scenario::{
    Accelerator, BuildOut, CarbonBasis, Cohort, ExportPolicy, FORMAT_VERSION, Provider, Redirect, Region,
    Siting,
};

pub fn accelerator(id: &str, family: Family, tflops: f64, it_power_w: f64, price_usd: f64) -> Accelerator {
    Accelerator {
        id: id.into(),
        name: id.to_uppercase(),
        vendor: "Test".into(),
        family,
        first_available: Quarter::new(2020, 1).unwrap(),
        bf16_dense_tflops: tflops,
        chip_power_w: it_power_w * 0.7,
        it_power_w,
        price_usd,
        embodied_kgco2e: 1500.0,
        memory_gb: 80.0,
        projected_from: None,
    }
}

pub fn provider(id: &str, offers: &[&str], regions: &[(&str, f64)]) -> Provider {
    Provider {
        id: id.into(),
        name: id.to_uppercase(),
        colour: "#336699".into(),
        pue: 1.2,
        wue_l_per_kwh: 0.5,
        cfe_share: 0.25,
        offers: offers.iter().map(|s| s.to_string()).collect(),
        regions: regions.iter().map(|(r, w)| (r.to_string(), *w)).collect(),
        vendor_mix: BTreeMap::new(),
    }
}

pub fn region(id: &str, group: ExportGroup) -> Region {
    Region {
        id: id.into(),
        name: id.to_uppercase(),
        export_group: group,
        intensity_g_per_kwh: 400.0,
        intensity_change_per_year: 0.0,
        price_usd_per_mwh: 100.0,
        facility_capex_usd_per_w: 10.0,
        new_power_limit_gw_per_year: None,
        domestic_industry: false,
    }
}

/// One year (2024, the data's intensity base year), one provider `solo` in one US region `r1`
/// with one accelerator `h100` (1,000 TFLOP/s, 1,000 W all-in, $30,000), no budget, no fleet.
pub fn tiny() -> Scenario {
    Scenario {
        uncertainty: Default::default(),
        format_version: FORMAT_VERSION,
        name: "tiny".into(),
        description: String::new(),
        base: atlas_core::scenario::default_base_id().into(),
        start_year: 2024,
        end_year: 2024,
        accelerators: vec![accelerator("h100", Family::Hopper, 1000.0, 1000.0, 30_000.0)],
        providers: vec![provider("solo", &["h100"], &[("r1", 1.0)])],
        regions: vec![region("r1", ExportGroup::Us)],
        export_policy: ExportPolicy { name: "none".into(), rules: Vec::new() },
        redirect: Redirect::Relocate,
        siting: Siting::Announced,
        provider_shares_pct: BTreeMap::from([(2024, BTreeMap::from([("solo".to_string(), 100.0)]))]),
        build_out: BuildOut::BudgetUsdBPerYear(BTreeMap::from([(2024, 0.0)])),
        build_out_scale: 1.0,
        lifetime_years: 5.0,
        // Buildings as long-lived as the hardware and no cost of capital: the capital charge is
        // then straight-line depreciation of hardware and buildings together.
        facility_lifetime_years: 5.0,
        cost_of_capital: 0.0,
        starting_fleet: Vec::new(),
        utilisation: 0.5,
        idle_power_fraction: 0.2,
        energy_cost_multiplier: 1.0,
        price_overrides_usd_per_mwh: BTreeMap::new(),
        carbon_price_usd_per_t: 50.0,
        carbon_price_basis: CarbonBasis::Location,
        grid_decarbonisation_pace: 1.0,
        inference_share: 0.5,
        inference_efficiency_gain: 3.0,
        technology_trend: Default::default(),
        domestic_supply: Default::default(),
    }
}

pub fn cohort(provider: &str, region: &str, accelerator: &str, installed: &str, count: f64) -> Cohort {
    Cohort {
        provider: provider.into(),
        region: region.into(),
        accelerator: accelerator.into(),
        installed: installed.parse().unwrap(),
        count,
        spread_quarters: 1,
    }
}

/// Asserts `a` and `b` agree to a relative tolerance.
#[track_caller]
pub fn assert_close(a: f64, b: f64, rel: f64) {
    let scale = a.abs().max(b.abs()).max(1e-300);
    assert!((a - b).abs() <= rel * scale, "{a} vs {b} (relative tolerance {rel})");
}

/// Relative tolerance for values computed by a handful of floating-point operations.
pub const EXACT: f64 = 1e-12;
