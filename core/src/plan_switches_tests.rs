//! The least-cost plan under a share bound moves capital between providers from year to year
//! only where costs say so: for every year whose split differs from the year before, holding the
//! year before's split costs more than the near-tie breaker charges for the move (so the
//! breaker, which keeps to the user's own split where it can, did not cause the move): each
//! switch follows that year's cheapest chips (TPUs only Google Cloud sells, AMD's generations
//! that Stargate and Oracle buy in India), and the LP says what keeping the split would cost.

use super::*;
use crate::scenario::base;

/// How far a provider's share may move from one year to the next and count as held: the
/// explanations' own step for a share bound.
const SLACK: f64 = SHARE_RELAX;

/// Each planned provider's share of a year's planned hardware capital, 0–1.
fn split(prog: &Program, x: &[f64], y: usize) -> Vec<f64> {
    let mut by_provider = vec![0.0; prog.providers];
    for (c, v) in prog.columns.iter().zip(x).filter(|(c, _)| c.y == y && c.fixed.is_none()) {
        by_provider[c.p] += v;
    }
    let total: f64 = by_provider.iter().sum();
    by_provider.iter().map(|v| if total > 0.0 { v / total } else { 0.0 }).collect()
}

/// Rows holding each provider's share of year `y`'s planned capital within `SLACK` of `shares`.
fn hold(prog: &Program, y: usize, shares: &[f64]) -> Vec<Row> {
    let year: Vec<(usize, usize)> = (prog.columns.iter().enumerate())
        .filter(|(_, c)| c.y == y && c.fixed.is_none())
        .map(|(i, c)| (i, c.p))
        .collect();
    let mut out = Vec::new();
    for (p, share) in shares.iter().enumerate() {
        // x_p − bound × Σ x (≥ 0 for the lower bound, ≤ 0 for the upper).
        for (bound, at_least) in [(share - SLACK, true), (share + SLACK, false)] {
            let terms = year.iter().map(|&(i, q)| (i, if q == p { 1.0 - bound } else { -bound })).collect();
            out.push(Row { group: Group::Room, year: y, terms, at_least, rhs: 0.0 });
        }
    }
    out
}

#[test]
fn the_fifty_percent_plan_switches_providers_only_where_costs_say_so() {
    let s = base("article").unwrap();
    let settings = PlanSettings { max_provider_share: 0.5, ..PlanSettings::default() };
    let (plan, prog, path, x) = solve_plan(&s, &settings, true).unwrap();
    let base_rows = rows(&prog, &settings, &path, Active::ALL, None);
    let mut switches = 0;
    for y in 1..prog.years {
        let before = split(&prog, &x, y - 1);
        let now = split(&prog, &x, y);
        let moved: f64 = before.iter().zip(&now).map(|(a, b)| (a - b).abs()).sum::<f64>() / 2.0;
        if moved < SLACK {
            continue;
        }
        switches += 1;
        let year_capital: f64 =
            prog.columns.iter().zip(&x).filter(|(c, _)| c.y == y && c.fixed.is_none()).map(|(_, v)| v).sum();
        let mut held = base_rows.iter().map(|r| Row { terms: r.terms.clone(), ..*r }).collect::<Vec<_>>();
        held.extend(hold(&prog, y, &before));
        let extra = match solve_rows(&prog, Goal::Settings(Objective::MinCost), &held) {
            Ok((_, value)) => value - plan.objective_value,
            Err(_) => f64::INFINITY,
        };
        // What the breaker can charge for the move at most: the moved capital counted twice (one
        // provider over its own share, another under), each USD bn at STAY_NEAR_OWN × a typical
        // coefficient (1 + energy and carbon cost per USD bn, below 2 here).
        let breaker = 2.0 * moved * year_capital * STAY_NEAR_OWN * 2.0;
        eprintln!(
            "{}: moved {:.0}% of {:.1} bn; holding {}'s split costs {:.3} bn more (breaker {:.3} bn)",
            prog.start_year + y as i32,
            moved * 100.0,
            year_capital,
            prog.start_year + y as i32 - 1,
            extra,
            breaker
        );
        assert!(extra > 10.0 * breaker, "year {y}: holding the split costs only {extra} against {breaker}");
    }
    assert!(switches >= 2, "the article's 50% plan does switch providers ({switches})");
}
