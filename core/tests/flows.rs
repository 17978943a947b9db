//! The Sankey of redirected money (`atlas_core::flows`): its totals against the summary's figures on
//! the world and the default scenario under bans, cases worked by hand, years adding up to the
//! span, and grouping into Other changing no total, by hand and over generated flows.

mod common;

use std::sync::OnceLock;

use atlas_core::flows::{NodeKind, Sankey, Stage, sankey, years};
use atlas_core::policy::{Action, ExportGroup, ExportRule};
use atlas_core::scenario::BuildOut;
use atlas_core::{Metric, RedirectFlow, RedirectReason, Results, Scenario, simulate};
use common::{EXACT, assert_close, region, tiny};
use proptest::prelude::*;
use proptest::sample::select;

/// Relative tolerance for sums of a few hundred floating-point terms taken in different orders.
const SUM_TOLERANCE: f64 = 1e-9;

/// The world scenario with its own export rules.
fn world() -> &'static Results {
    static WORLD: OnceLock<Results> = OnceLock::new();
    WORLD.get_or_init(|| simulate(&atlas_core::scenario::base("world").expect("a base")).unwrap())
}

/// A scenario from a link's query.
fn from_query(query: &str) -> Scenario {
    let decoded = atlas_core::url::decode(query, &[]);
    assert!(decoded.notices.is_empty(), "{query}: {:?}", decoded.notices);
    decoded.scenario
}

/// The span's total of a flow metric.
fn span_total(r: &Results, metric: Metric) -> f64 {
    r.total(metric).iter().sum()
}

/// The total of a flow metric over the quarters of `year`.
fn year_total(r: &Results, metric: Metric, year: i32) -> f64 {
    r.total(metric).iter().zip(&r.quarters).filter(|(_, q)| q.year == year).map(|(v, _)| v).sum()
}

/// Sum of the links leaving (`out`) or reaching node `i`.
fn through(k: &Sankey, i: usize, out: bool) -> f64 {
    k.links.iter().filter(|l| if out { l.from == i } else { l.to == i }).map(|l| l.usd_b).sum()
}

/// What every Sankey holds to: columns in order, each column largest first with Other last and
/// carrying the same total, every node balanced against its links, links from a column to the
/// next, at most `max_nodes + 1` nodes a column (the destination's unmet and unspent aside).
#[track_caller]
fn assert_well_formed(k: &Sankey, max_nodes: usize) {
    assert!(k.nodes.windows(2).all(|w| w[0].stage <= w[1].stage), "columns in order");
    assert!(k.placed_usd_b >= 0.0 && k.unmet_usd_b >= 0.0 && k.unspent_usd_b >= 0.0);
    let total = k.total_usd_b();
    if k.is_empty() {
        assert!(k.links.is_empty());
        assert_eq!(total, 0.0);
        return;
    }
    for stage in Stage::ALL {
        let column = k.column(stage);
        let sum: f64 = column.iter().map(|n| n.usd_b).sum();
        assert_close(sum, total, SUM_TOLERANCE);
        let others = column.iter().filter(|n| matches!(n.kind, NodeKind::Other { .. })).count();
        assert!(others <= 1, "{stage:?}: one Other at most");
        if others == 1 {
            assert!(matches!(column.last().unwrap().kind, NodeKind::Other { count } if count >= 2));
        }
        let own = column.iter().filter(|n| !matches!(n.kind, NodeKind::Other { .. }));
        let sizes: Vec<f64> = own.clone().map(|n| n.usd_b).collect();
        assert!(sizes.windows(2).all(|w| w[0] >= w[1]), "{stage:?}: largest first: {sizes:?}");
        let places = own.filter(|n| !matches!(n.kind, NodeKind::Unmet | NodeKind::Unspent)).count();
        assert!(places + others <= max_nodes.saturating_add(1), "{stage:?}: {} nodes", places + others);
        for n in column {
            assert!(n.usd_b > 0.0, "{n:?}");
            let ok = matches!(
                (&n.kind, stage),
                (NodeKind::Origin { .. }, Stage::From)
                    | (NodeKind::Reason(_), Stage::Reason)
                    | (NodeKind::Placed { .. } | NodeKind::Unmet | NodeKind::Unspent, Stage::To)
                    | (NodeKind::Other { .. }, _)
            );
            assert!(ok, "{n:?} in {stage:?}");
            assert_ne!(n.kind, NodeKind::Reason(RedirectReason::Leakage));
        }
    }
    for (i, n) in k.nodes.iter().enumerate() {
        if n.stage != Stage::From {
            assert_close(through(k, i, false), n.usd_b, SUM_TOLERANCE);
        }
        if n.stage != Stage::To {
            assert_close(through(k, i, true), n.usd_b, SUM_TOLERANCE);
        }
    }
    for l in &k.links {
        assert!(l.usd_b > 0.0);
        let next = match k.nodes[l.from].stage {
            Stage::From => Stage::Reason,
            Stage::Reason => Stage::To,
            Stage::To => panic!("a link leaves the last column: {l:?}"),
        };
        assert_eq!(k.nodes[l.to].stage, next);
    }
    assert!(k.links.windows(2).all(|w| (w[0].from, w[0].to) < (w[1].from, w[1].to)));
    // The destination column tells placed, unmet and unspent money apart.
    let at = |kind: NodeKind| k.position(Stage::To, &kind).map_or(0.0, |i| k.nodes[i].usd_b);
    assert_eq!(at(NodeKind::Unmet), k.unmet_usd_b);
    assert_eq!(at(NodeKind::Unspent), k.unspent_usd_b);
}

/// The Sankey carries what the summary reports: redirected (placed elsewhere, leakage aside) plus
/// unmet plus unspent; and its leakage is what the leakage flows carried.
#[track_caller]
fn assert_matches_summary(r: &Results) -> Sankey {
    let k = sankey(r, None, 8);
    assert_well_formed(&k, 8);
    let s = &r.summary;
    assert_close(k.placed_usd_b, s.redirected_usd_b_total, SUM_TOLERANCE);
    assert_close(k.unmet_usd_b, s.unmet_usd_b_total, SUM_TOLERANCE);
    assert_close(k.unspent_usd_b, s.unspent_usd_b_total, SUM_TOLERANCE);
    assert_close(k.unspent_usd_b, span_total(r, Metric::UnspentUsdB), SUM_TOLERANCE);
    let want = s.redirected_usd_b_total + s.unmet_usd_b_total + span_total(r, Metric::UnspentUsdB);
    assert_close(k.total_usd_b(), want, SUM_TOLERANCE);
    let leaked: f64 =
        r.redirects.iter().filter(|f| f.reason == RedirectReason::Leakage).map(|f| f.usd_b).sum();
    assert_close(k.leaked_usd_b, leaked, SUM_TOLERANCE);
    k
}

/// Each year's Sankey carries that year's redirected, unmet and unspent capital (of a simulation's
/// results), and the years add up to the span (see [`assert_years_add_up`]).
#[track_caller]
fn assert_years_match_series(r: &Results) {
    for year in years(r) {
        let k = sankey(r, Some(year), 8);
        assert_close(k.placed_usd_b, year_total(r, Metric::RedirectedUsdB, year), SUM_TOLERANCE);
        assert_close(k.unmet_usd_b, year_total(r, Metric::UnmetUsdB, year), SUM_TOLERANCE);
        assert_close(k.unspent_usd_b, year_total(r, Metric::UnspentUsdB, year), SUM_TOLERANCE);
    }
    assert_years_add_up(r);
}

/// The Sankeys of each year add up to the span's, node by node (before grouping), link by link
/// and in total.
#[track_caller]
fn assert_years_add_up(r: &Results) {
    let all = sankey(r, None, usize::MAX);
    assert!(all.nodes.iter().all(|n| !matches!(n.kind, NodeKind::Other { .. })), "nothing grouped");
    // Every year with a flow: those of `years`, and those with leakage only (an empty diagram).
    let mut flow_years: Vec<i32> = r.redirects.iter().map(|f| f.year).collect();
    flow_years.sort_unstable();
    flow_years.dedup();
    let mut by_year = Vec::new();
    for year in flow_years {
        let k = sankey(r, Some(year), usize::MAX);
        assert_eq!(k.year, Some(year));
        assert_eq!(!k.is_empty(), years(r).contains(&year), "{year}: redirected money, or none");
        assert_well_formed(&k, usize::MAX);
        by_year.push(k);
    }
    // The years without any redirection have empty Sankeys.
    for q in &r.quarters {
        if !years(r).contains(&q.year) {
            assert!(sankey(r, Some(q.year), 8).is_empty(), "{}", q.year);
        }
    }
    let sum = |f: &dyn Fn(&Sankey) -> f64| by_year.iter().map(f).sum::<f64>();
    assert_close(sum(&|k| k.total_usd_b()), all.total_usd_b(), SUM_TOLERANCE);
    assert_close(sum(&|k| k.placed_usd_b), all.placed_usd_b, SUM_TOLERANCE);
    assert_close(sum(&|k| k.unmet_usd_b), all.unmet_usd_b, SUM_TOLERANCE);
    assert_close(sum(&|k| k.unspent_usd_b), all.unspent_usd_b, SUM_TOLERANCE);
    assert_close(sum(&|k| k.leaked_usd_b), all.leaked_usd_b, SUM_TOLERANCE);
    for n in &all.nodes {
        let of_years = sum(&|k| k.position(n.stage, &n.kind).map_or(0.0, |i| k.nodes[i].usd_b));
        assert_close(of_years, n.usd_b, SUM_TOLERANCE);
    }
    for l in &all.links {
        let (from, to) = (&all.nodes[l.from], &all.nodes[l.to]);
        let of_years = sum(&|k| {
            let (Some(a), Some(b)) = (k.position(from.stage, &from.kind), k.position(to.stage, &to.kind))
            else {
                return 0.0;
            };
            k.links.iter().find(|x| x.from == a && x.to == b).map_or(0.0, |x| x.usd_b)
        });
        assert_close(of_years, l.usd_b, SUM_TOLERANCE);
    }
}

/// Grouping into Other, at every width, keeps every total and every column's sum; the nodes kept
/// are the largest ones, with the values they have ungrouped.
#[track_caller]
fn assert_grouping_keeps_totals(r: &Results, year: Option<i32>) {
    let all = sankey(r, year, usize::MAX);
    for max_nodes in 0..12 {
        let k = sankey(r, year, max_nodes);
        assert_well_formed(&k, max_nodes);
        assert_eq!(
            (k.placed_usd_b, k.unmet_usd_b, k.unspent_usd_b, k.leaked_usd_b),
            (all.placed_usd_b, all.unmet_usd_b, all.unspent_usd_b, all.leaked_usd_b)
        );
        for n in k.nodes.iter().filter(|n| !matches!(n.kind, NodeKind::Other { .. })) {
            let i = all.position(n.stage, &n.kind).expect("a kept node is a node");
            assert_eq!(all.nodes[i].usd_b, n.usd_b, "{n:?}");
        }
        for stage in Stage::ALL {
            let (grouped, kept) = (k.column(stage), all.column(stage));
            let counted: usize =
                grouped.iter().map(|n| if let NodeKind::Other { count } = n.kind { count } else { 1 }).sum();
            assert_eq!(counted, kept.len(), "{stage:?}: every node is kept or grouped once");
            // The kept ones are the largest.
            if let Some(other) = grouped.iter().find(|n| matches!(n.kind, NodeKind::Other { .. })) {
                let NodeKind::Other { count } = other.kind else { unreachable!() };
                let smallest_kept = (grouped.iter())
                    .filter(|n| {
                        matches!(
                            n.kind,
                            NodeKind::Origin { .. } | NodeKind::Reason(_) | NodeKind::Placed { .. }
                        )
                    })
                    .map(|n| n.usd_b)
                    .fold(f64::INFINITY, f64::min);
                let largest_grouped = (kept.iter().rev())
                    .filter(|n| grouped.iter().all(|g| g.kind != n.kind))
                    .map(|n| n.usd_b)
                    .fold(0.0, f64::max);
                assert!(largest_grouped <= smallest_kept, "{stage:?}");
                assert!(count >= 2);
            }
        }
    }
}

#[test]
fn the_world_sankey_carries_what_the_summary_reports() {
    let r = world();
    let k = assert_matches_summary(r);
    assert!(k.placed_usd_b > 100.0, "the world's bans move money: {}", k.placed_usd_b);
    assert!(k.unmet_usd_b > 0.0, "and leave demand unmet in China: {}", k.unmet_usd_b);
    // The summary's figures as the CLI prints them: USD 189.0 bn redirected, 7.01 bn unmet.
    assert_eq!(format!("{:.1}", k.placed_usd_b), format!("{:.1}", r.summary.redirected_usd_b_total));
    // The origins are China's own builders in China, each with the chip it meant to buy (sixteen:
    // eight kept, the other eight grouped); one reason (the ban); seven Chinese chips and the
    // unmet demand; at four nodes a column the smallest chips are grouped.
    let from = k.column(Stage::From);
    assert_eq!(from.len(), 9);
    assert!(matches!(from[8].kind, NodeKind::Other { count: 8 }), "{:?}", from[8]);
    for n in &from[..8] {
        let NodeKind::Origin { provider, region, accelerator } = &n.kind else { panic!("{n:?}") };
        assert!(["china_ai", "alibaba"].contains(&provider.as_str()) && region == "china", "{n:?}");
        assert!(!accelerator.is_empty(), "{n:?}");
    }
    let narrow = sankey(r, None, 4);
    assert_well_formed(&narrow, 4);
    let to: Vec<&NodeKind> = narrow.column(Stage::To).iter().map(|n| &n.kind).collect();
    assert!(to.contains(&&NodeKind::Unmet), "{to:?}");
    assert!(matches!(to.last(), Some(NodeKind::Other { count: 3 })), "{to:?}");
    assert!(k.column(Stage::Reason).iter().all(|n| !matches!(n.kind, NodeKind::Other { .. })));
}

#[test]
fn the_world_sankey_years_add_up_to_the_span() {
    let r = world();
    let years = years(r);
    let first = r.quarters[0].year;
    let last = r.quarters.last().unwrap().year;
    assert!(years.len() > 1 && years.iter().all(|y| (first..=last).contains(y)), "{years:?}");
    assert_years_match_series(r);
}

#[test]
fn grouping_the_world_sankey_into_other_keeps_its_totals() {
    let r = world();
    assert_grouping_keeps_totals(r, None);
    assert_grouping_keeps_totals(r, years(r).last().copied());
}

#[test]
fn the_world_with_little_domestic_supply_and_leakage_tells_unmet_unspent_and_leaked_apart() {
    let r = simulate(&from_query("v=1&base=world&supply=0.1&leak=20")).unwrap();
    let k = assert_matches_summary(&r);
    assert!(k.unmet_usd_b > 1.0 && k.leaked_usd_b > 0.0, "{k:?}");
    assert!(r.redirects.iter().any(|f| f.unmet));
    // Only money placed nowhere can be unmet demand.
    assert!(r.redirects.iter().filter(|f| f.unmet).all(RedirectFlow::is_unplaced));
    assert_years_match_series(&r);
    assert_grouping_keeps_totals(&r, None);
}

#[test]
fn the_default_scenario_with_blackwell_banned_outside_the_us_carries_what_the_summary_reports() {
    let mut s = Scenario::default();
    for group in ["group:close_allies", "group:middle_tier"] {
        let rule = ExportRule::new("family:blackwell".parse().unwrap(), group.parse().unwrap(), Action::Ban);
        s.export_policy.rules.push(rule);
    }
    let r = simulate(&s).unwrap();
    let k = assert_matches_summary(&r);
    assert!(k.placed_usd_b > 1.0, "the ban moves money: {k:?}");
    assert_eq!(k.column(Stage::Reason).len(), 1, "one reason: {:?}", k.column(Stage::Reason));
    assert_eq!(k.column(Stage::Reason)[0].kind, NodeKind::Reason(RedirectReason::Ban));
    assert_years_match_series(&r);
    assert_grouping_keeps_totals(&r, None);
}

#[test]
fn a_scenario_without_redirection_has_an_empty_sankey() {
    let mut s = Scenario::default();
    s.export_policy.rules.clear();
    let r = simulate(&s).unwrap();
    assert!(r.redirects.is_empty(), "{:?}", &r.redirects[..r.redirects.len().min(3)]);
    assert!(years(&r).is_empty());
    for year in [None, Some(r.quarters[0].year)] {
        let k = sankey(&r, year, 8);
        assert!(k.is_empty() && k.links.is_empty(), "{k:?}");
        assert_eq!(k.total_usd_b(), 0.0);
        assert_eq!(k.leaked_usd_b, 0.0);
        assert!(Stage::ALL.iter().all(|s| k.column(*s).is_empty()));
    }
}

/// Two regions, half the money each, 2024 and 2025; a ban on everything in the embargoed one
/// moves its half, $20 million a year, to the US region: one origin, one reason, one destination,
/// $20 million a year and $40 million over the span.
#[test]
fn a_ban_that_moves_half_the_money_worked_by_hand() {
    let mut s = tiny();
    s.end_year = 2025;
    s.regions.push(region("r2", ExportGroup::Embargoed));
    s.providers[0].regions = [("r1".to_string(), 1.0), ("r2".to_string(), 1.0)].into();
    s.build_out = BuildOut::BudgetUsdBPerYear([(2024, 0.04), (2025, 0.04)].into());
    s.export_policy.rules =
        vec![ExportRule::new("*".parse().unwrap(), "group:embargoed".parse().unwrap(), Action::Ban)];
    let r = simulate(&s).unwrap();
    assert_eq!(r.redirects.len(), 2, "one flow a year: {:?}", r.redirects);
    assert_eq!((r.redirects[0].year, r.redirects[1].year), (2024, 2025));
    assert!(r.redirects.iter().all(|f| !f.unmet && f.reason == RedirectReason::Ban));
    let span = r.redirects_over_span();
    assert_eq!(span.len(), 1);
    assert_eq!(span[0].year, 2024, "over the span, a flow's year is its first");
    assert_close(span[0].usd_b, 0.04, EXACT);
    assert_close(span[0].h100e, 1000.0, EXACT);
    assert_eq!(years(&r), [2024, 2025]);

    let k = sankey(&r, None, 8);
    let kinds: Vec<&NodeKind> = k.nodes.iter().map(|n| &n.kind).collect();
    assert_eq!(
        kinds,
        [
            &NodeKind::Origin { provider: "solo".into(), region: "r2".into(), accelerator: "h100".into() },
            &NodeKind::Reason(RedirectReason::Ban),
            &NodeKind::Placed { region: "r1".into(), accelerator: "h100".into() },
        ]
    );
    assert!(k.nodes.iter().all(|n| (n.usd_b - 0.04).abs() < 0.04 * EXACT));
    assert_eq!(k.links.iter().map(|l| (l.from, l.to)).collect::<Vec<_>>(), [(0, 1), (1, 2)]);
    assert_close(k.placed_usd_b, 0.04, EXACT);
    assert_eq!((k.unmet_usd_b, k.unspent_usd_b, k.leaked_usd_b), (0.0, 0.0, 0.0));
    for year in [2024, 2025] {
        let k = sankey(&r, Some(year), 8);
        assert_eq!(k.nodes.len(), 3);
        assert_close(k.total_usd_b(), 0.02, EXACT);
    }
    assert!(sankey(&r, Some(2026), 8).is_empty());
    assert_years_match_series(&r);
}

/// A ban on everything everywhere: the year's $40 million can be placed nowhere, and is unspent
/// (no domestic industry to leave demand unmet).
#[test]
fn money_placed_nowhere_is_unspent_worked_by_hand() {
    let mut s = tiny();
    s.build_out = BuildOut::BudgetUsdBPerYear([(2024, 0.04)].into());
    s.export_policy.rules = vec![ExportRule::new("*".parse().unwrap(), "*".parse().unwrap(), Action::Ban)];
    let r = simulate(&s).unwrap();
    let k = sankey(&r, None, 8);
    assert_well_formed(&k, 8);
    assert_close(k.unspent_usd_b, 0.04, EXACT);
    assert_close(r.summary.unspent_usd_b_total, 0.04, EXACT);
    assert_eq!((k.placed_usd_b, k.unmet_usd_b), (0.0, 0.0));
    assert_eq!(k.column(Stage::To).len(), 1);
    assert_eq!(k.column(Stage::To)[0].kind, NodeKind::Unspent);
    assert!(r.redirects.iter().all(|f| f.is_unplaced() && !f.unmet));
}

/// Flows over two providers, three regions, four accelerators, every reason and both kinds of
/// money placed nowhere, in three years.
fn arb_flows() -> impl Strategy<Value = Vec<RedirectFlow>> {
    let ids = |v: &[&str]| select(v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    let reasons = vec![
        RedirectReason::Ban,
        RedirectReason::Cap,
        RedirectReason::PowerLimit,
        RedirectReason::Unavailable,
        RedirectReason::SupplyLimit,
        RedirectReason::Leakage,
    ];
    let flow = (
        2024..2027i32,
        select(reasons),
        ids(&["p1", "p2"]),
        ids(&["r1", "r2", "r3"]),
        ids(&["a1", "a2", "a3", "a4"]),
        0..3u8,
        0.001..10.0f64,
    )
        .prop_map(|(year, reason, provider, from_region, accelerator, to, usd_b)| {
            // 0: placed in r1 or r3, 1: unspent, 2: unmet.
            let placed = to == 0;
            RedirectFlow {
                year,
                reason,
                from_provider: provider.clone(),
                to_provider: if placed { provider } else { String::new() },
                to_region: if placed { if usd_b > 5.0 { "r1" } else { "r3" }.into() } else { String::new() },
                to_accelerator: if placed { accelerator.clone() } else { String::new() },
                from_region,
                from_accelerator: accelerator,
                usd_b,
                h100e: usd_b * 10.0,
                unmet: to == 2,
            }
        });
    proptest::collection::vec(flow, 0..40)
}

fn tiny_results() -> &'static Results {
    static TINY: OnceLock<Results> = OnceLock::new();
    TINY.get_or_init(|| simulate(&tiny()).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Over generated flows: every Sankey is well formed, the years add up to the span, and
    /// grouping keeps every total; merging over the span keeps the money and the routes.
    #[test]
    fn sankeys_of_generated_flows_add_up(flows in arb_flows(), max_nodes in 0usize..6) {
        let mut r = tiny_results().clone();
        r.redirects = flows;
        let k = sankey(&r, None, max_nodes);
        assert_well_formed(&k, max_nodes);
        let moved = |f: &&RedirectFlow| f.reason != RedirectReason::Leakage;
        let want: f64 = r.redirects.iter().filter(moved).map(|f| f.usd_b).sum();
        assert_close(k.total_usd_b(), want, SUM_TOLERANCE);
        assert_years_add_up(&r);
        assert_grouping_keeps_totals(&r, None);

        let span = r.redirects_over_span();
        let total = |v: &[RedirectFlow]| v.iter().map(|f| f.usd_b).sum::<f64>();
        assert_close(total(&span), total(&r.redirects), SUM_TOLERANCE);
        let route = |f: &RedirectFlow| {
            (f.reason, f.from_provider.clone(), f.from_region.clone(), f.from_accelerator.clone(),
             f.to_provider.clone(), f.to_region.clone(), f.to_accelerator.clone(), f.unmet)
        };
        let routes: std::collections::BTreeSet<_> = span.iter().map(route).collect();
        prop_assert_eq!(routes.len(), span.len(), "one flow per route");
        for f in &span {
            let of = r.redirects.iter().filter(|g| route(g) == route(f));
            prop_assert_eq!(f.year, of.clone().map(|g| g.year).min().unwrap());
            assert_close(f.usd_b, of.map(|g| g.usd_b).sum(), SUM_TOLERANCE);
        }
        // Merging the span's flows again changes nothing, and the Sankey is the same either way.
        let mut merged = r.clone();
        merged.redirects = span.clone();
        prop_assert_eq!(merged.redirects_over_span(), span);
        let again = sankey(&merged, None, max_nodes);
        prop_assert_eq!(again.nodes.len(), k.nodes.len());
        prop_assert_eq!(again.links.len(), k.links.len());
    }
}

#[test]
fn the_listed_flows_are_the_diagrams_money_in_full_largest_first() {
    let r = world();
    for year in std::iter::once(None).chain(years(r).into_iter().map(Some)) {
        let rows = atlas_core::flows::listed(r, year);
        let k = sankey(r, year, 8);
        let sum: f64 = rows.iter().map(|f| f.usd_b).sum();
        assert!(
            (sum - k.total_usd_b()).abs() <= 1e-9 * sum.max(1.0),
            "{year:?}: {sum} vs {}",
            k.total_usd_b()
        );
        assert!(rows.windows(2).all(|w| w[0].usd_b >= w[1].usd_b));
        assert!(rows.iter().all(|f| f.reason != RedirectReason::Leakage));
        if let Some(y) = year {
            assert!(rows.iter().all(|f| f.year == y));
        }
    }
}
