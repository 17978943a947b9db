//! The URL codec over generated input: every scenario the page can reach survives
//! scenario → URL → scenario unchanged, and no string makes decoding panic or yield an invalid
//! scenario.

use atlas_core::edit::{self, CellState};
use atlas_core::policy::{ExportGroup, Family};
use atlas_core::scenario::{CarbonBasis, ExportPolicy, Redirect, Siting};
use atlas_core::url::{decode, encode};
use atlas_core::{Scenario, validate};
use proptest::prelude::*;
use proptest::sample::select;

fn arb_cell() -> impl Strategy<Value = (Family, ExportGroup, CellState)> {
    (
        select(Family::ALL.to_vec()),
        select(ExportGroup::ALL.to_vec()),
        prop_oneof![
            Just(CellState::Allow),
            Just(CellState::Ban),
            (0.0..1e6f64).prop_map(|h100e_per_year| CellState::Cap { h100e_per_year })
        ],
    )
}

prop_compose! {
    /// A scenario reached by the page's controls from a base scenario (the default or another).
    fn arb_page_scenario()(
        energy in 0.0..10.0f64,
        carbon in 0.0..5000.0f64,
        grid in 0.0..3.0f64,
        life_q in 4..=60u32,
        util in 0.0..=1.0f64,
        idle in 0.0..=1.0f64,
        infer in 0.0..=1.0f64,
        gain in 0.1..1000.0f64,
        build in 0.0..100.0f64,
        end in 2023..=2060i32,
        market in any::<bool>(),
        downgrade in any::<bool>(),
        cheap_clean in any::<bool>(),
        preset in select(ExportPolicy::preset_ids()),
        cells in proptest::collection::vec(arb_cell(), 0..6),
        moves in proptest::collection::vec((0..9usize, 0.0..=100.0f64, proptest::collection::vec(0..9usize, 0..3)), 0..4),
        prices in proptest::collection::vec((0..15usize, 0.0..5000.0f64), 0..4),
        base in select(atlas_core::scenario::base_ids()),
    ) -> Scenario {
        let mut s = atlas_core::scenario::base(base).unwrap();
        s.energy_cost_multiplier = energy;
        s.carbon_price_usd_per_t = carbon;
        s.grid_decarbonisation_pace = grid;
        s.lifetime_years = f64::from(life_q) / 4.0;
        s.utilisation = util;
        s.idle_power_fraction = idle;
        s.inference_share = infer;
        s.inference_efficiency_gain = gain;
        s.build_out_scale = build;
        s.end_year = end;
        s.carbon_price_basis = if market { CarbonBasis::Market } else { CarbonBasis::Location };
        s.redirect = if downgrade { Redirect::Downgrade } else { Redirect::Relocate };
        s.siting = if cheap_clean { Siting::CheapClean } else { Siting::Announced };
        s.export_policy = ExportPolicy::preset(preset).unwrap();
        for (f, g, state) in cells {
            edit::set_matrix_cell(&mut s.export_policy, f, g, state);
        }
        let year = edit::target_share_year(&s);
        for (p, pct, locks) in moves {
            let ids: Vec<String> = s.providers.iter().map(|p| p.id.clone()).collect();
            let locked: Vec<String> = locks.iter().map(|i| ids[*i].clone()).collect();
            let (_, shares) = edit::rebalance_shares(&edit::shares_in(&s, year), &ids[p], pct, &locked);
            edit::set_shares(&mut s, year, &shares);
        }
        for (r, price) in prices {
            let id = s.regions[r].id.clone();
            s.price_overrides_usd_per_mwh.insert(id, price);
        }
        s
    }
}

/// The scenario with zero-share entries left out of every keyframe (they mean the same as absent).
fn without_zero_shares(mut s: Scenario) -> Scenario {
    for keyframe in s.provider_shares_pct.values_mut() {
        keyframe.retain(|_, pct| *pct != 0.0);
    }
    s
}

/// Two policies decide every matrix cell alike (the URL carries the matrix, not the rule list).
fn same_matrix(a: &ExportPolicy, b: &ExportPolicy) -> bool {
    Family::ALL.iter().all(|&f| {
        ExportGroup::ALL.iter().all(|&g| {
            [2015, 2025, 2030].iter().all(|&y| edit::matrix_cell(a, f, g, y) == edit::matrix_cell(b, f, g, y))
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn page_scenarios_survive_a_round_trip(s in arb_page_scenario()) {
        prop_assume!(validate(&s).is_empty());
        let query = encode(&s);
        let back = decode(&query, &[]);
        prop_assert!(back.notices.is_empty(), "{query}: {:?}", back.notices);
        let mut expected = without_zero_shares(s.clone());
        // The rule list may be written differently; what it decides must be the same.
        prop_assert!(same_matrix(&back.scenario.export_policy, &s.export_policy), "{query}");
        expected.export_policy = back.scenario.export_policy.clone();
        // A provider missing from a keyframe has 0 %: compare with zero entries left out.
        prop_assert_eq!(&without_zero_shares(back.scenario.clone()), &expected, "{}", query);
        prop_assert_eq!(encode(&back.scenario), query);
    }

    #[test]
    fn decoding_any_string_never_panics_and_gives_a_valid_scenario(query in ".{0,300}") {
        let d = decode(&query, &["view"]);
        let problems = validate(&d.scenario);
        prop_assert!(problems.is_empty(), "{query}: {problems:?}");
    }

    #[test]
    fn decoding_mangled_real_links_never_panics(
        s in arb_page_scenario(),
        cut in 0usize..400,
        junk in "[&=%.:,a-z0-9_+-]{0,20}",
    ) {
        let query = encode(&s);
        let cut = cut.min(query.len());
        let mangled = format!("{}{junk}{}", &query[..cut], &query[cut..]);
        let d = decode(&mangled, &[]);
        let problems = validate(&d.scenario);
        prop_assert!(problems.is_empty(), "{mangled}: {problems:?}");
        for n in &d.notices {
            prop_assert!(!n.message.is_empty());
        }
    }
}
