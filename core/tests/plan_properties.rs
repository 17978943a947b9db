//! The planner over generated settings on the default data: every plan satisfies every
//! constraint, tightening a constraint never improves the objective, and no random allocation
//! the planner could have chosen beats it.

use atlas_core::plan::{Objective, Plan, PlanError, PlanSettings, Purchase, evaluate, plan};
use atlas_core::policy::{Action, deciding_rule};
use atlas_core::scenario::{BuildOut, ExportPolicy};
use atlas_core::{Quarter, Scenario};
use proptest::prelude::*;
use proptest::sample::select;

/// Relative slack for comparing sums the solver computed.
const SLACK: f64 = 1e-6;

/// The article's chart as drawn: a capital path with a budget for every year.
fn scenario(policy: &str, end: i32) -> Scenario {
    let mut s = atlas_core::scenario::base("article-chart").expect("the chart's base scenario");
    s.export_policy = ExportPolicy::preset(policy).expect("policy preset");
    s.end_year = end;
    s
}

/// The scenario's budget in a year, USD bn (linear between keyframes, held outside).
fn budget(s: &Scenario, year: i32) -> f64 {
    let BuildOut::BudgetUsdBPerYear(k) = &s.build_out else { return f64::INFINITY };
    let points: Vec<(f64, f64)> = k.iter().map(|(y, v)| (f64::from(*y), *v)).collect();
    let x = f64::from(year);
    let v = match points.iter().position(|(px, _)| *px >= x) {
        None => points.last().map_or(0.0, |p| p.1),
        Some(0) => points[0].1,
        Some(i) => {
            let ((xa, ya), (xb, yb)) = (points[i - 1], points[i]);
            ya + (yb - ya) * (x - xa) / (xb - xa)
        }
    };
    v * s.build_out_scale
}

fn by<'a>(p: &'a Plan, f: impl Fn(&Purchase) -> bool + 'a) -> f64 {
    p.purchases.iter().filter(|x| f(x)).map(|x| x.capital_usd_b).sum()
}

/// Every rule the plan must obey, checked from the purchases and the scenario alone.
fn assert_satisfies(s: &Scenario, settings: &PlanSettings, p: &Plan) -> Result<(), TestCaseError> {
    for x in &p.purchases {
        prop_assert!(x.capital_usd_b >= 0.0);
        let provider = &s.providers[s.provider_index(&x.provider).unwrap()];
        let accel = &s.accelerators[s.accelerator_index(&x.accelerator).unwrap()];
        let region = &s.regions[s.region_index(&x.region).unwrap()];
        prop_assert!(provider.offers.contains(&x.accelerator), "{x:?} not offered");
        prop_assert!(
            provider.regions.get(&x.region).is_some_and(|w| *w > 0.0),
            "{x:?} not a region of the provider"
        );
        prop_assert!(accel.first_available.year <= x.year, "{x:?} before it is available");
        if let Some(k) = deciding_rule(
            &s.export_policy.rules,
            &accel.id,
            accel.family,
            &region.id,
            region.export_group,
            x.year,
        ) {
            let rule = &s.export_policy.rules[k];
            prop_assert!(rule.action != Action::Ban, "{x:?} is banned there");
        }
    }
    for year in s.start_year..=s.end_year {
        let total = by(p, |x| x.year == year);
        if settings.respect_budget || settings.objective != Objective::MinCost {
            prop_assert!(total <= budget(s, year) * (1.0 + SLACK) + SLACK, "{year}: {total} over the budget");
        }
        // The share bound is on hardware: buildings follow it.
        let hardware = |f: &dyn Fn(&Purchase) -> bool| -> f64 {
            p.purchases.iter().filter(|x| f(x)).map(|x| x.hardware_usd_b).sum()
        };
        let total_hw = hardware(&|x| x.year == year);
        for provider in &s.providers {
            let mine = hardware(&|x| x.year == year && x.provider == provider.id);
            prop_assert!(
                mine <= settings.max_provider_share * total_hw + SLACK * total_hw.max(1.0),
                "{year} {}: {mine} of {total_hw}",
                provider.id
            );
        }
        if let Some(limit) = settings.power_limit_gw_per_region_year {
            for region in &s.regions {
                let gw: f64 = p
                    .purchases
                    .iter()
                    .filter(|x| x.year == year && x.region == region.id)
                    .map(|x| {
                        // The new buildings' design power: their capital over the cost per W of
                        // IT, times the PUE.
                        let pue = s.providers[s.provider_index(&x.provider).unwrap()].pue;
                        (x.capital_usd_b - x.hardware_usd_b) / region.facility_capex_usd_per_w * pue
                    })
                    .sum();
                prop_assert!(gw <= limit * (1.0 + SLACK) + SLACK, "{year} {}: {gw} GW", region.id);
            }
        }
    }
    if settings.objective != Objective::MaxCompute {
        prop_assert!(
            p.capacity_end_h100e >= p.capacity_target_h100e * (1.0 - SLACK),
            "{} < {}",
            p.capacity_end_h100e,
            p.capacity_target_h100e
        );
    }
    Ok(())
}

/// `worse` is no better than `better` for the objective.
fn no_better(objective: Objective, better: f64, worse: f64) -> bool {
    let tolerance = SLACK * better.abs().max(1.0);
    match objective {
        Objective::MaxCompute => worse <= better + tolerance,
        Objective::MinCost | Objective::MinCarbon => worse >= better - tolerance,
    }
}

fn arb_settings() -> impl Strategy<Value = PlanSettings> {
    (
        select(Objective::ALL.to_vec()),
        proptest::option::weighted(0.5, 0.5..1.2f64),
        select(vec![1.0, 0.8, 0.6, 0.5, 0.4]),
        proptest::option::weighted(0.3, 0.5..20.0f64),
        any::<bool>(),
    )
        .prop_map(|(objective, target_scale, share, power, respect_budget)| PlanSettings {
            objective,
            // A scale of the default scenario's end capacity (34.9 M H100e).
            capacity_target_h100e: target_scale.map(|k| k * 34.9e6),
            respect_budget,
            max_provider_share: share,
            power_limit_gw_per_region_year: power,
            providers: vec![
                "azure".into(),
                "aws".into(),
                "oracle".into(),
                "google".into(),
                "coreweave".into(),
            ],
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn every_plan_satisfies_every_constraint(
        settings in arb_settings(),
        policy in select(vec!["none", "oct-2023", "ai-diffusion-2025", "blackwell-us-only"]),
        end in 2026..=2033i32,
    ) {
        let s = scenario(policy, end);
        match plan(&s, &settings) {
            Ok(p) => assert_satisfies(&s, &settings, &p)?,
            Err(PlanError::Infeasible(message)) => {
                let message = message.english();
                prop_assert!(message.contains("H100e") || message.contains('%'), "{message}")
            }
            Err(other) => prop_assert!(false, "{other:?}"),
        }
    }

    #[test]
    fn tightening_a_constraint_never_improves_the_objective(
        settings in arb_settings(),
        tighter_share in select(vec![0.9, 0.75, 0.5]),
        tighter_power in 0.3..0.9f64,
    ) {
        let s = scenario("oct-2023", 2030);
        let Ok(loose) = plan(&s, &settings) else { return Ok(()) };
        let tighter = [
            PlanSettings { max_provider_share: settings.max_provider_share * tighter_share, ..settings.clone() },
            PlanSettings {
                power_limit_gw_per_region_year: Some(settings.power_limit_gw_per_region_year.unwrap_or(20.0) * tighter_power),
                ..settings.clone()
            },
        ];
        for t in tighter {
            if let Ok(tight) = plan(&s, &t) {
                prop_assert!(no_better(settings.objective, loose.objective_value, tight.objective_value),
                    "{:?}: loose {} tight {}", settings.objective, loose.objective_value, tight.objective_value);
            }
        }
    }

    #[test]
    fn no_random_allocation_of_the_budget_computes_more(
        picks in proptest::collection::vec((0..5usize, 0..8usize, 0..8usize, 0.01..1.0f64), 1..12),
    ) {
        let s = scenario("oct-2023", 2030);
        let settings = PlanSettings { objective: Objective::MaxCompute, ..PlanSettings::default() };
        let best = plan(&s, &settings).expect("a budget always has a best use");
        // Random (provider, region, accelerator) choices, each year's budget split among them.
        let providers = ["azure", "aws", "oracle"];
        let mut purchases = Vec::new();
        for year in s.start_year..=s.end_year {
            let weights: f64 = picks.iter().map(|p| p.3).sum();
            for (p, r, a, w) in &picks {
                let provider = &s.providers[s.provider_index(providers[p % 3]).unwrap()];
                let regions: Vec<&String> = provider.regions.keys().collect();
                // What the provider offers that is on sale from the first quarter of the year.
                let on_sale: Vec<&String> = provider
                    .offers
                    .iter()
                    .filter(|id| s.accelerators[s.accelerator_index(id).unwrap()].first_available <= Quarter::first_of(year))
                    .collect();
                purchases.push(Purchase {
                    provider: provider.id.clone(),
                    region: regions[r % regions.len()].clone(),
                    accelerator: on_sale[a % on_sale.len()].clone(),
                    year,
                    capital_usd_b: budget(&s, year) * w / weights,
                    hardware_usd_b: 0.0,
                    h100e: 0.0,
                });
            }
        }
        // Azure, AWS and Oracle build nowhere the October 2023 rules ban, so every choice is open
        // to the planner too.
        let random = evaluate(&s, &settings, &purchases).expect("the random allocation is one the planner could make");
        prop_assert!(no_better(Objective::MaxCompute, best.objective_value, random), "random {random} > plan {}", best.objective_value);
    }
}
