//! Monte Carlo bands and the tornado: properties over generated scenarios, a tornado worked by
//! hand, and the distributions' sample means.

mod common;

use atlas_core::data::Dist;
use atlas_core::montecarlo::{MonteCarlo, Sampler, bands, bands_csv};
use atlas_core::quarter::HOURS_PER_QUARTER;
use atlas_core::tornado::{tornado, tornado_csv};
use atlas_core::uncertainty::{Group, inputs};
use atlas_core::{Metric, Scenario, run, validate};
use common::{EXACT, assert_close, cohort, tiny};
use proptest::prelude::*;
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

/// Draws per case in the property tests: enough for order statistics, few enough for debug builds.
const DRAWS: u32 = 40;

prop_compose! {
    /// The default or the world scenario with its main sliders and uncertainty settings varied.
    fn arb_scenario()(
        world in proptest::bool::weighted(0.25),
        end in 2026..=2034i32,
        energy in 0.0..5.0f64,
        carbon in 0.0..400.0f64,
        pace in 0.0..3.0f64,
        life_q in 8..=40u32,
        utilisation in 0.1..=1.0f64,
        build in 0.0..3.0f64,
        width in 0.0..3.0f64,
        seed in any::<u64>(),
    ) -> Scenario {
        let mut s = if world { atlas_core::scenario::base("world").unwrap() } else { Scenario::default() };
        s.end_year = end.max(s.start_year);
        s.energy_cost_multiplier = energy;
        s.carbon_price_usd_per_t = carbon;
        s.grid_decarbonisation_pace = pace;
        s.lifetime_years = f64::from(life_q) / 4.0;
        s.utilisation = utilisation;
        s.build_out_scale = build;
        s.uncertainty.width = width;
        s.uncertainty.seed = seed;
        s
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// With uncertainty switched off every draw is the scenario itself: every percentile of every
    /// series and headline figure equals the deterministic simulation, to the bit.
    #[test]
    fn switched_off_every_percentile_is_the_deterministic_result(mut s in arb_scenario()) {
        prop_assume!(validate(&s).is_empty());
        // The deterministic run does not read the uncertainty settings (the few draws here are
        // below what validation allows a scenario to ask for).
        let r = run(atlas_core::Valid::check(&s).unwrap());
        s.uncertainty.draws = DRAWS;
        s.uncertainty.width = 0.0;
        let b = bands(&s);
        prop_assert_eq!(b.draws, DRAWS as usize);
        prop_assert_eq!(b.series.len(), r.series.len() + 1);
        for (band, series) in b.series.iter().zip(&r.series) {
            prop_assert_eq!(band.id, series.metric.id());
            for (q, p) in band.quarters.iter().enumerate() {
                for v in p.to_array() {
                    prop_assert_eq!(v.to_bits(), series.total[q].to_bits(), "{} q{}", band.id, q);
                }
            }
            prop_assert_eq!(&band.central, &series.total);
        }
        let cost = b.total_cost();
        for (q, p) in cost.quarters.iter().enumerate() {
            let t = |m: Metric| r.total(m)[q];
            let expected = t(Metric::CapitalChargeUsdB) + t(Metric::EnergyCostUsdB) + t(Metric::CarbonCostUsdB);
            prop_assert_eq!(p.p5.to_bits(), expected.to_bits());
            prop_assert_eq!(p.p95.to_bits(), expected.to_bits());
        }
        for (band, kpi) in b.kpis.iter().zip(r.summary.kpis()) {
            for v in band.band.to_array() {
                prop_assert_eq!(v.to_bits(), kpi.value.to_bits(), "{}", kpi.id);
            }
        }
    }

    /// Percentiles are ordered, finite, and the same seed gives the same bands however the draws
    /// are cut into pieces.
    #[test]
    fn percentiles_are_ordered_finite_and_reproducible(mut s in arb_scenario()) {
        prop_assume!(validate(&s).is_empty());
        s.uncertainty.draws = DRAWS;
        let b = bands(&s);
        for band in &b.series {
            for p in &band.quarters {
                let v = p.to_array();
                prop_assert!(v.iter().all(|x| x.is_finite()), "{}: {v:?}", band.id);
                prop_assert!(v.windows(2).all(|w| w[0] <= w[1]), "{}: {v:?}", band.id);
            }
        }
        for k in &b.kpis {
            let v = k.band.to_array();
            prop_assert!(v.iter().all(|x| x.is_finite()) && v.windows(2).all(|w| w[0] <= w[1]), "{}: {v:?}", k.id);
        }
        let mut pieces = MonteCarlo::new(&s);
        while !pieces.is_done() {
            pieces.run_draws(7);
        }
        prop_assert_eq!(pieces.bands(), b);
    }

    /// Draws shared with helpers (chunks claimed from the back, taken by another sampler and
    /// absorbed in any order) give the same bands, to the bit, as one thread taking them all.
    #[test]
    fn draws_shared_with_helpers_give_the_same_bands(
        mut s in arb_scenario(),
        chunk in 1..15usize,
        front in 1..9usize,
        reversed in any::<bool>(),
    ) {
        prop_assume!(validate(&s).is_empty());
        s.uncertainty.draws = DRAWS;
        let alone = bands(&s);
        let mut shared = MonteCarlo::new(&s);
        let mut helper = Sampler::new(&s);
        let mut claimed = Vec::new();
        while !shared.front_done() {
            if let Some(range) = shared.claim(chunk) {
                claimed.push(range);
            }
            shared.run_draws(front);
        }
        prop_assert!(!shared.is_done() || claimed.is_empty());
        if reversed {
            claimed.reverse();
        }
        for range in claimed {
            let rows = helper.rows(range.clone());
            prop_assert_eq!(rows.len(), range.len() * helper.row_len());
            prop_assert!(shared.absorb(range.start, &rows).is_ok());
        }
        prop_assert!(shared.is_done());
        prop_assert_eq!(shared.draws_taken(), DRAWS as usize);
        prop_assert_eq!(shared.bands(), alone);
    }

    /// A scenario survives its JSON (as a page hands it to a worker) exactly.
    #[test]
    fn a_scenario_survives_its_json_exactly(s in arb_scenario()) {
        match atlas_core::parse_scenario(&s.to_json_pretty()) {
            Ok(back) => prop_assert_eq!(back, s),
            Err(problems) => prop_assert!(false, "{problems:?}"),
        }
    }
}

#[test]
fn absorbing_what_was_not_claimed_is_refused_and_claims_can_be_released() {
    let mut s = Scenario::default();
    s.uncertainty.draws = 100;
    let alone = bands(&s);
    let mut mc = MonteCarlo::new(&s);
    let mut helper = Sampler::new(&s);
    let row = helper.row_len();
    assert!(mc.absorb(90, &helper.rows(90..95)).unwrap_err().contains("do not fit"), "not claimed");
    let range = mc.claim(10).unwrap();
    assert_eq!(range, 90..100);
    assert!(mc.absorb(90, &vec![0.0; row + 1]).is_err(), "a ragged row");
    assert!(mc.absorb(95, &helper.rows(95..101)).is_err(), "past the end");
    assert!(mc.absorb(95, &helper.rows(95..100)).is_ok());
    assert!(mc.absorb(95, &helper.rows(95..100)).unwrap_err().contains("absorbed before"));
    mc.run_draws(usize::MAX);
    assert!(mc.front_done() && !mc.is_done(), "draws 90..95 are still out");
    // The helper is gone: this thread takes the rest, and the bands are the same.
    mc.release_claims();
    mc.run_draws(usize::MAX);
    assert!(mc.is_done());
    assert_eq!(mc.bands(), alone);
    assert_eq!(mc.claim(0), None);
}

#[test]
fn another_seed_gives_other_bands_and_the_same_seed_the_same() {
    let mut s = Scenario::default();
    s.uncertainty.draws = 200;
    let a = bands(&s);
    assert_eq!(a, bands(&s));
    s.uncertainty.seed = 2;
    let b = bands(&s);
    assert_ne!(a.kpi(atlas_core::KpiId::EnergyTwhEndYear), b.kpi(atlas_core::KpiId::EnergyTwhEndYear));
    // The central values do not depend on the seed.
    assert_eq!(
        a.kpi(atlas_core::KpiId::EnergyTwhEndYear).unwrap().central,
        b.kpi(atlas_core::KpiId::EnergyTwhEndYear).unwrap().central
    );
}

#[test]
fn bands_widen_with_the_width_and_hold_the_central_value() {
    let mut s = Scenario::default();
    s.uncertainty.draws = 300;
    let spread = |s: &Scenario| {
        let k = bands(s).kpi(atlas_core::KpiId::EnergyTwhEndYear).unwrap().clone();
        (k.band.p95 - k.band.p5, k)
    };
    let (narrow, k1) = {
        s.uncertainty.width = 0.5;
        spread(&s)
    };
    let (wide, k2) = {
        s.uncertainty.width = 2.0;
        spread(&s)
    };
    assert!(wide > 2.0 * narrow, "P5–P95 at width 2 ({wide}) vs 0.5 ({narrow})");
    assert!(k1.band.p5 < k1.central && k1.central < k1.band.p95);
    assert!(k2.band.p5 < k2.central && k2.central < k2.band.p95);
}

#[test]
fn the_sample_mean_of_a_drawn_input_converges_to_its_distributions_mean() {
    let s = Scenario::default();
    let all = inputs(&s);
    let tri = all.iter().find(|i| i.path == "regions.us_pnw.intensity_g_per_kwh").unwrap();
    let logn = all.iter().find(|i| i.path == "accelerators.h100.price_usd").unwrap();
    assert_eq!((tri.dist, logn.dist), (Dist::Triangular, Dist::Lognormal));
    for input in [tri, logn] {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
        let n = 200_000;
        let mean = (0..n).map(|_| input.draw(&mut rng, 1.0)).sum::<f64>() / f64::from(n);
        // The standard error is under 0.2% of the mean for these ranges; allow 1%.
        assert_close(mean, input.mean(), 0.01);
    }
    // Triangular (83, 140, 197): mean 140. Log-normal median 40,000 with σ = ln(50/32) / 3.29.
    assert_close(tri.mean(), (83.0 + 140.0 + 197.0) / 3.0, EXACT);
    let sigma = (50_000.0f64 / 32_000.0).ln() / (2.0 * 1.644_853_626_951_472_2);
    assert_close(logn.mean(), 40_000.0 * (sigma * sigma / 2.0).exp(), 1e-9);
}

#[test]
fn the_tornado_of_a_linear_case_matches_the_hand_worked_swings() {
    // One year, 1,000 H100s installed before the span, never retiring within it, no purchases.
    // Energy in the end year = 4 quarters × n × IT W × draw × PUE × hours, with draw =
    // idle + (1 − idle) × utilisation: linear in the all-in power, in utilisation and in idle.
    let mut s = tiny();
    s.starting_fleet = vec![cohort("solo", "r1", "h100", "2023Q1", 1000.0)];
    assert!(validate(&s).is_empty(), "{:?}", validate(&s));
    let energy = |it_w: f64, util: f64, idle: f64| {
        4.0 * 1000.0 * it_w * (idle + (1.0 - idle) * util) * 1.2 * HOURS_PER_QUARTER * 1e-12
    };
    let t = tornado(&s, atlas_core::KpiId::EnergyTwhEndYear);
    assert_close(t.central, energy(1000.0, 0.5, 0.2), EXACT);

    // The data: H100 all-in power 1,150 / 1,275 / 1,400 W (a ratio on this scenario's 1,000 W);
    // utilisation 0.5 / 0.7 / 0.85 and idle 0.2 / 0.3 / 0.4 (shifts from this scenario's 0.5, 0.2).
    let row = |path: &str| t.rows.iter().find(|r| r.path == path).unwrap_or_else(|| panic!("{path}"));
    let power = row("accelerators.h100.it_power_w");
    assert_close(power.kpi_at_low, energy(1000.0 * 1150.0 / 1275.0, 0.5, 0.2), EXACT);
    assert_close(power.kpi_at_high, energy(1000.0 * 1400.0 / 1275.0, 0.5, 0.2), EXACT);
    let util = row("scenario.utilisation");
    assert_close(util.kpi_at_low, energy(1000.0, 0.3, 0.2), EXACT);
    assert_close(util.kpi_at_high, energy(1000.0, 0.65, 0.2), EXACT);
    let idle = row("scenario.idle_power_fraction");
    assert_close(idle.kpi_at_low, energy(1000.0, 0.5, 0.1), EXACT);
    assert_close(idle.kpi_at_high, energy(1000.0, 0.5, 0.3), EXACT);

    // Widest first: utilisation (0.35 × 0.8 of full load), then power (±9.8%), then idle (0.2 × 0.5).
    let order: Vec<&str> = t.rows.iter().take(3).map(|r| r.path.as_str()).collect();
    assert_eq!(
        order,
        ["scenario.utilisation", "accelerators.h100.it_power_w", "scenario.idle_power_fraction"]
    );
    // Nothing else moves energy: prices, carbon, the grid, the levers, the lifetime (the fleet
    // outlives the year either way).
    for r in &t.rows[3..] {
        assert_eq!(r.swing(), 0.0, "{}", r.path);
    }
    assert!(t.rows.iter().any(|r| r.group == Group::Lever));

    let csv = tornado_csv(&t);
    assert_eq!(csv.lines().count(), t.rows.len() + 1);
    assert!(csv.lines().nth(1).unwrap().starts_with("energy_twh_end_year,scenario.utilisation,"));
}

#[test]
fn switched_off_the_tornado_keeps_only_the_choices_and_levers() {
    let mut s = Scenario::default();
    s.uncertainty.width = 0.0;
    let t = tornado(&s, atlas_core::KpiId::CostPerH100eHourUsdEndYear);
    let moving: Vec<&str> = t.rows.iter().filter(|r| r.swing() > 0.0).map(|r| r.path.as_str()).collect();
    assert!(moving.contains(&"levers.energy_cost_multiplier"), "{moving:?}");
    assert!(moving.contains(&"scenario.carbon_price_usd_per_t"), "{moving:?}");
    assert!(t.rows.iter().filter(|r| r.group == Group::Accelerator).all(|r| r.swing() == 0.0));
}

#[test]
fn the_tornado_ranks_the_estimates_apart_from_the_users_choices() {
    // Capital (the build-out scale) swings capacity the most, but it is a choice, not an
    // uncertainty: the estimates come first, each part ranked by its swing.
    let t = tornado(&Scenario::default(), atlas_core::KpiId::H100eEnd);
    let first_choice = t.rows.iter().position(|r| !r.drawn).expect("a choice");
    assert!(first_choice > 0 && t.rows[..first_choice].iter().all(|r| r.drawn));
    assert!(t.rows[first_choice..].iter().all(|r| !r.drawn));
    for part in [&t.rows[..first_choice], &t.rows[first_choice..]] {
        assert!(part.windows(2).all(|w| w[0].swing() >= w[1].swing()));
    }
    let build = t.rows.iter().find(|r| r.path.contains("build_out_scale")).expect("the capital lever");
    assert!(
        t.rows.iter().filter(|r| r.drawn).all(|r| r.swing() <= build.swing()),
        "capital is the widest swing"
    );
    assert!(tornado_csv(&t).lines().nth(1).unwrap().contains(",estimate,"));
}

#[test]
fn the_bands_csv_has_a_row_per_series_quarter_and_per_headline_figure() {
    let mut s = Scenario::default();
    s.uncertainty.draws = 100;
    let b = bands(&s);
    let csv = bands_csv(&b);
    assert_eq!(csv.lines().count(), 1 + (Metric::ALL.len() + 1) * b.quarters.len() + b.kpis.len());
    assert!(csv.contains("\nseries,total_cost_usd_b,2033Q4,"));
    assert!(csv.contains("\nseries,h100e,2023Q1,"));
    assert!(csv.contains("\nkpi,carbon_location_mt_end_year,,"));
}

/// Spearman's rank correlation of two equally long samples (no ties in continuous draws).
fn rank_correlation(a: &[f64], b: &[f64]) -> f64 {
    let ranks = |v: &[f64]| {
        let mut idx: Vec<usize> = (0..v.len()).collect();
        idx.sort_by(|&i, &j| v[i].total_cmp(&v[j]));
        let mut r = vec![0.0; v.len()];
        for (rank, i) in idx.into_iter().enumerate() {
            r[i] = rank as f64;
        }
        r
    };
    let (ra, rb) = (ranks(a), ranks(b));
    let n = a.len() as f64;
    let mean = (n - 1.0) / 2.0;
    let cov: f64 = ra.iter().zip(&rb).map(|(x, y)| (x - mean) * (y - mean)).sum();
    let var: f64 = ra.iter().map(|x| (x - mean) * (x - mean)).sum();
    cov / var
}

#[test]
fn inputs_of_one_correlation_group_move_together_and_others_do_not() {
    use atlas_core::uncertainty::{CORRELATIONS, Input, draw_all};
    let own = Scenario::default();
    let drawn: Vec<Input> = inputs(&own).into_iter().filter(Input::is_drawn).collect();
    let mut work = own.clone();
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(11);
    let (h100, gb300, capex_us, trend) = (
        own.accelerator_index("h100").unwrap(),
        own.accelerator_index("gb300").unwrap(),
        own.region_index("us_east").unwrap(),
        own.region_index("us_texas").unwrap(),
    );
    let n = 4000;
    let (mut a, mut b, mut c, mut d) = (vec![], vec![], vec![], vec![]);
    for _ in 0..n {
        draw_all(&drawn, &mut rng, 1.0, &mut work, &own);
        a.push(work.accelerators[h100].price_usd);
        b.push(work.accelerators[gb300].price_usd);
        c.push(work.regions[capex_us].facility_capex_usd_per_w);
        d.push(work.regions[trend].intensity_change_per_year);
    }
    let rho = |id: &str| CORRELATIONS.iter().find(|g| g.id == id).unwrap().rho;
    // Log-normal prices: the normal scores' correlation ρ gives a rank correlation of
    // (6/π) asin(ρ/2) ≈ 0.582 at ρ = 0.6; the standard error at n = 4,000 is ~0.01.
    let expected = 6.0 / std::f64::consts::PI * (rho("chip_prices") / 2.0).asin();
    let prices = rank_correlation(&a, &b);
    assert!((prices - expected).abs() < 0.04, "chip prices: {prices} against {expected}");
    let across = rank_correlation(&a, &c);
    assert!(across.abs() < 0.05, "a chip price and a building cost are independent: {across}");
    let other = rank_correlation(&c, &d);
    assert!(other.abs() < 0.05, "building cost and grid trend are independent: {other}");
    // Every drawn input of a group names a group that exists.
    for i in &drawn {
        if let Some(g) = i.correlation {
            assert!(CORRELATIONS.iter().any(|c| c.id == g), "{}: {g}", i.path);
        }
    }
    assert!(drawn.iter().any(|i| i.correlation == Some("building_costs")));
}

#[test]
fn the_normal_distribution_function_is_right_at_known_points_and_below_one() {
    use atlas_core::uncertainty::{CORRELATIONS, normal_cdf};
    assert!((normal_cdf(0.0) - 0.5).abs() < 1e-15);
    assert!((normal_cdf(1.644_853_626_951_472_2) - 0.95).abs() < 1e-12);
    assert!(normal_cdf(40.0) < 1.0, "kept below 1 so a triangular quantile is finite");
    assert!(CORRELATIONS.iter().all(|c| (0.0..1.0).contains(&c.rho)));
}
