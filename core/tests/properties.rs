//! Property tests over generated valid scenarios: the default world with every input varied
//! (span, shares, build-out, lifetime, export rules, power limits, prices, operations).

use std::collections::BTreeMap;

use atlas_core::policy::{
    AcceleratorSelector, Action, DestinationSelector, ExportGroup, ExportRule, Family, deciding_rule,
};
use atlas_core::scenario::{BuildOut, CarbonBasis, Redirect};
use atlas_core::{Metric, RedirectReason, Results, Scenario, run};
use proptest::prelude::*;
use proptest::sample::select;

/// Relative tolerance for sums of a few hundred floating-point terms.
const SUM_TOLERANCE: f64 = 1e-9;

fn arb_rule(accels: Vec<String>, regions: Vec<String>) -> impl Strategy<Value = ExportRule> {
    let accel = prop_oneof![
        Just(AcceleratorSelector::Any),
        select(Family::ALL.to_vec()).prop_map(AcceleratorSelector::Family),
        select(accels).prop_map(AcceleratorSelector::Model),
    ];
    let dest = prop_oneof![
        Just(DestinationSelector::Any),
        select(ExportGroup::ALL.to_vec()).prop_map(DestinationSelector::Group),
        select(regions).prop_map(DestinationSelector::Region),
    ];
    let action = prop_oneof![
        Just((Action::Allow, None)),
        Just((Action::Ban, None)),
        (0.0..300_000.0f64).prop_map(|cap| (Action::Cap, Some(cap))),
    ];
    (accel, dest, action, proptest::option::of(2020..2036i32)).prop_map(
        |(accelerators, destination, (action, cap), from_year)| ExportRule {
            accelerators,
            destination,
            action,
            cap_h100e_per_year: cap,
            from_year,
        },
    )
}

/// Shares over `n` providers from raw weights, summing to 100.
fn to_shares(ids: &[String], weights: &[f64]) -> BTreeMap<String, f64> {
    let total: f64 = weights.iter().sum();
    ids.iter().zip(weights).map(|(id, w)| (id.clone(), 100.0 * w / total)).collect()
}

prop_compose! {
    fn arb_scenario()(
        start in 2023..=2028i32,
        len in 1..=11i32,
        seed_keys in proptest::collection::vec((0..11i32, proptest::collection::vec(0.0..1.0f64, 7)), 1..4),
        budget in proptest::collection::vec((0..11i32, 0.0..400.0f64), 1..4),
        capacity_mode in proptest::bool::weighted(0.25),
        lifetime_q in 4..=60u32,
        keep_fleet in any::<bool>(),
        rules in proptest::collection::vec(arb_rule(
            Scenario::default().accelerators.iter().map(|a| a.id.clone()).collect(),
            Scenario::default().regions.iter().map(|r| r.id.clone()).collect(),
        ), 0..6),
        limits in proptest::collection::vec(proptest::option::weighted(0.2, 0.0..3.0f64), 15),
        overrides in proptest::collection::vec(proptest::option::weighted(0.2, 0.0..500.0f64), 15),
        energy in 0.0..10.0f64,
        carbon in 0.0..1000.0f64,
        pace in 0.0..3.0f64,
        utilisation in 0.0..=1.0f64,
        idle in 0.0..=1.0f64,
        inference_share in 0.0..=1.0f64,
        gain in 0.1..100.0f64,
        downgrade in any::<bool>(),
        market in any::<bool>(),
        scale in proptest::option::weighted(0.3, 0.0..5.0f64),
    ) -> Scenario {
        let mut s = Scenario::default();
        s.start_year = start;
        s.end_year = start + len - 1;
        let ids: Vec<String> = s.providers.iter().map(|p| p.id.clone()).collect();
        s.provider_shares_pct = seed_keys
            .iter()
            .map(|(offset, weights)| {
                let mut w = weights.clone();
                if w.iter().sum::<f64>() <= 1e-6 {
                    w[0] = 1.0;
                }
                (start + offset % len, to_shares(&ids, &w))
            })
            .collect();
        let keyframes: BTreeMap<i32, f64> =
            budget.iter().map(|(offset, v)| (start + offset % len, *v)).collect();
        s.build_out = if capacity_mode {
            BuildOut::InstalledFacilityGw(keyframes.into_iter().map(|(y, v)| (y, v / 10.0)).collect())
        } else {
            BuildOut::BudgetUsdBPerYear(keyframes)
        };
        s.build_out_scale = scale.unwrap_or(1.0);
        s.lifetime_years = f64::from(lifetime_q) / 4.0;
        if !keep_fleet {
            s.starting_fleet.clear();
        }
        s.export_policy.rules = rules;
        for (region, limit) in s.regions.iter_mut().zip(&limits) {
            region.new_power_limit_gw_per_year = *limit;
        }
        for (region, price) in s.regions.iter().zip(&overrides) {
            if let Some(price) = price {
                s.price_overrides_usd_per_mwh.insert(region.id.clone(), *price);
            }
        }
        s.energy_cost_multiplier = energy;
        s.carbon_price_usd_per_t = carbon;
        s.grid_decarbonisation_pace = pace;
        s.utilisation = utilisation;
        s.idle_power_fraction = idle;
        s.inference_share = inference_share;
        s.inference_efficiency_gain = gain;
        s.redirect = if downgrade { Redirect::Downgrade } else { Redirect::Relocate };
        s.carbon_price_basis = if market { CarbonBasis::Market } else { CarbonBasis::Location };
        s
    }
}

fn checked_run(s: &Scenario) -> Result<Results, TestCaseError> {
    match atlas_core::Valid::check(s) {
        Ok(valid) => Ok(run(valid)),
        Err(problems) => {
            Err(TestCaseError::fail(format!("generator made an invalid scenario: {problems:#?}")))
        }
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= SUM_TOLERANCE * a.abs().max(b.abs()).max(1.0)
}

/// Linear interpolation through keyframes, held outside: an independent oracle for the model's.
fn interp(points: &[(f64, f64)], x: f64) -> f64 {
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

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn outputs_are_finite_and_non_negative(s in arb_scenario()) {
        let r = checked_run(&s)?;
        for series in &r.series {
            for v in series.total.iter().chain(&series.by_provider).chain(&series.by_region).chain(&series.by_accelerator) {
                prop_assert!(v.is_finite() && *v >= 0.0, "{:?} has {v}", series.metric);
            }
        }
        for cell in &r.cells {
            prop_assert!(cell.installed.iter().chain(&cell.added).all(|v| v.is_finite() && *v >= 0.0));
        }
        let kpis = r.summary.kpis();
        prop_assert!(kpis.iter().all(|k| k.value.is_finite() && k.value >= 0.0), "{kpis:?}");
    }

    #[test]
    fn breakdowns_add_up_to_totals(s in arb_scenario()) {
        let r = checked_run(&s)?;
        let nq = r.quarters.len();
        for metric in Metric::ADDITIVE {
            let series = r.series(metric);
            for q in 0..nq {
                let total = series.total[q];
                let p: f64 = (0..r.providers.len()).map(|i| series.provider(i)[q]).sum();
                let g: f64 = (0..r.regions.len()).map(|i| series.region(i)[q]).sum();
                let a: f64 = (0..r.accelerators.len()).map(|i| series.accelerator(i)[q]).sum();
                prop_assert!(close(p, total) && close(g, total) && close(a, total),
                    "{metric:?} q{q}: total {total}, providers {p}, regions {g}, accelerators {a}");
            }
        }
        // The joint cells add up to the installed total too.
        for q in 0..nq {
            let cells: f64 = r.cells.iter().map(|c| c.installed[q]).sum();
            prop_assert!(close(cells, r.total(Metric::Accelerators)[q]));
        }
    }

    #[test]
    fn bans_caps_and_power_limits_hold(s in arb_scenario()) {
        let r = checked_run(&s)?;
        let rules = &s.export_policy.rules;
        // (rule, region, year) -> H100e added under a cap; (region, year) -> design GW of new
        // buildings.
        let mut capped: BTreeMap<(usize, usize, i32), f64> = BTreeMap::new();
        let mut power: BTreeMap<(usize, i32), f64> = BTreeMap::new();
        // Banned purchases (H100e by region and accelerator) may only be the leakage share of a
        // region with a domestic industry, and each is recorded as a leakage flow.
        let mut banned: BTreeMap<(usize, usize), f64> = BTreeMap::new();
        let mut leaked: BTreeMap<(usize, usize), f64> = BTreeMap::new();
        for f in r.redirects.iter().filter(|f| f.reason == RedirectReason::Leakage) {
            let region = s.regions.iter().position(|x| x.id == f.to_region).expect("region");
            let accel = s.accelerators.iter().position(|x| x.id == f.to_accelerator).expect("accelerator");
            prop_assert!(s.regions[region].domestic_industry, "leakage into {}", f.to_region);
            prop_assert!(s.domestic_supply.leakage_share > 0.0);
            *leaked.entry((region, accel)).or_default() += f.h100e;
        }
        for cell in &r.cells {
            let (a, region) = (&s.accelerators[cell.accelerator], &s.regions[cell.region]);
            for (q, added) in cell.added.iter().enumerate() {
                if *added <= 0.0 {
                    continue;
                }
                let year = r.quarters[q].year;
                let rule = deciding_rule(rules, &a.id, a.family, &region.id, region.export_group, year);
                if let Some(i) = rule {
                    if rules[i].action == Action::Ban {
                        *banned.entry((cell.region, cell.accelerator)).or_default() +=
                            added * a.bf16_dense_tflops / 989.0;
                    }
                    if rules[i].action == Action::Cap {
                        *capped.entry((i, cell.region, year)).or_default() += added * a.bf16_dense_tflops / 989.0;
                    }
                }
            }
        }
        for ((region, accel), h100e) in banned {
            let allowed = leaked.get(&(region, accel)).copied().unwrap_or(0.0);
            prop_assert!(h100e <= allowed * (1.0 + SUM_TOLERANCE) + 1e-6,
                "{} bought in {} despite a ban: {h100e} H100e, {allowed} of it leaked",
                s.accelerators[accel].id, s.regions[region].id);
        }
        // Power limits count the design power of new buildings.
        let new_gw = r.series(Metric::NewBuildingsGw);
        for (region, _) in s.regions.iter().enumerate() {
            for (q, gw) in new_gw.region(region).iter().enumerate() {
                *power.entry((region, r.quarters[q].year)).or_default() += gw;
            }
        }
        for ((i, _, _), h100e) in capped {
            let cap = rules[i].cap_h100e_per_year.unwrap_or(0.0);
            prop_assert!(h100e <= cap * (1.0 + SUM_TOLERANCE) + 1e-6, "cap {cap} exceeded: {h100e}");
        }
        for ((region, year), gw) in power {
            if let Some(limit) = s.regions[region].new_power_limit_gw_per_year {
                prop_assert!(gw <= limit * (1.0 + SUM_TOLERANCE) + 1e-12, "{} in {year}: {gw} GW > {limit}", s.regions[region].id);
            }
        }
    }

    #[test]
    fn budget_is_spent_or_reported_unspent(s in arb_scenario()) {
        let BuildOut::BudgetUsdBPerYear(keyframes) = &s.build_out else { return Ok(()) };
        let points: Vec<(f64, f64)> = keyframes.iter().map(|(y, v)| (f64::from(*y), *v)).collect();
        let r = checked_run(&s)?;
        for (q, quarter) in r.quarters.iter().enumerate() {
            let budget = interp(&points, f64::from(quarter.year)) * s.build_out_scale / 4.0;
            let placed = r.total(Metric::CapitalUsdB)[q]
                + r.total(Metric::UnspentUsdB)[q]
                + r.total(Metric::UnmetUsdB)[q];
            prop_assert!(close(placed, budget) || (budget - placed).abs() < 1e-12, "{quarter}: budget {budget}, placed {placed}");
        }
    }

    #[test]
    fn raising_the_energy_cost_multiplier_never_lowers_energy_cost(s in arb_scenario(), factor in 1.0..3.0f64) {
        let mut higher = s.clone();
        higher.energy_cost_multiplier = (s.energy_cost_multiplier * factor).min(10.0);
        let (a, b) = (checked_run(&s)?, checked_run(&higher)?);
        for (lo, hi) in a.total(Metric::EnergyCostUsdB).iter().zip(b.total(Metric::EnergyCostUsdB)) {
            prop_assert!(*hi >= *lo * (1.0 - SUM_TOLERANCE), "{hi} < {lo}");
        }
    }

    #[test]
    fn raising_a_grid_intensity_never_lowers_carbon(s in arb_scenario(), region in 0..15usize, add in 0.0..500.0f64) {
        let mut dirtier = s.clone();
        let r = &mut dirtier.regions[region];
        r.intensity_g_per_kwh = (r.intensity_g_per_kwh + add).min(2000.0);
        let (a, b) = (checked_run(&s)?, checked_run(&dirtier)?);
        for metric in [Metric::CarbonLocationMt, Metric::CarbonMarketMt] {
            for (lo, hi) in a.total(metric).iter().zip(b.total(metric)) {
                prop_assert!(*hi >= *lo * (1.0 - SUM_TOLERANCE), "{metric:?}: {hi} < {lo}");
            }
        }
    }

    #[test]
    fn provider_shares_of_new_capacity_match_the_inputs(s in arb_scenario()) {
        // Without rules or limits nothing is redirected, so capital follows the shares exactly.
        let mut s = s;
        s.export_policy.rules.clear();
        s.regions.iter_mut().for_each(|r| r.new_power_limit_gw_per_year = None);
        if !matches!(s.build_out, BuildOut::BudgetUsdBPerYear(_)) {
            return Ok(());
        }
        let r = checked_run(&s)?;
        let capital = r.series(Metric::CapitalUsdB);
        for (q, quarter) in r.quarters.iter().enumerate() {
            let total = capital.total[q];
            if total <= 0.0 {
                continue;
            }
            let x = f64::from(quarter.year) + f64::from(quarter.q - 1) / 4.0;
            for (i, p) in s.providers.iter().enumerate() {
                let points: Vec<(f64, f64)> = s.provider_shares_pct.iter()
                    .map(|(y, shares)| (f64::from(*y), shares.get(&p.id).copied().unwrap_or(0.0) / 100.0))
                    .collect();
                let want = interp(&points, x);
                let got = capital.provider(i)[q] / total;
                prop_assert!((got - want).abs() < 1e-9, "{} in {quarter}: {got} vs {want}", p.id);
            }
        }
        prop_assert_eq!(r.summary.redirected_usd_b_total, 0.0);
    }

    #[test]
    fn simulation_is_deterministic(s in arb_scenario()) {
        let (a, b) = (checked_run(&s)?, checked_run(&s)?);
        prop_assert_eq!(a.to_json(), b.to_json());
    }
}
