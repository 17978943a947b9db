//! Edits a user interface makes to a scenario, as domain operations: rebalancing provider shares
//! so they keep summing to 100 %, and reading and setting one cell of the export-control matrix
//! (accelerator family × destination group).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::message::Message;
use crate::policy::{AcceleratorSelector, Action, DestinationSelector, ExportGroup, ExportRule, Family};
use crate::quarter::Quarter;
use crate::scenario::{BuildOut, ExportPolicy, Scenario};

/// The year whose provider shares the share sliders edit: the last keyframe year within the span
/// (2026 in the article's path), or the end year if there is no keyframe in the span.
pub fn target_share_year(s: &Scenario) -> i32 {
    let fallback = match &s.build_out {
        // Deals: the year the deal book names, from which the sliders override the deals.
        BuildOut::Deals(book) => book.share_year.clamp(s.start_year, s.end_year.max(s.start_year)),
        _ => s.end_year,
    };
    s.provider_shares_pct
        .keys()
        .copied()
        .filter(|y| (s.start_year..=s.end_year).contains(y))
        .max()
        .unwrap_or(fallback)
}

/// Shares of every provider in `year` (percent; providers missing from the keyframe have 0). With
/// deals and no keyframe that year, the deals' own split of the year's capital.
pub fn shares_in(s: &Scenario, year: i32) -> Vec<(String, f64)> {
    let keyframe = s.provider_shares_pct.get(&year);
    if let (None, BuildOut::Deals(book)) = (keyframe, &s.build_out) {
        return deal_shares_in(s, book, year);
    }
    s.providers
        .iter()
        .map(|p| (p.id.clone(), keyframe.and_then(|k| k.get(&p.id)).copied().unwrap_or(0.0)))
        .collect()
}

/// Each provider's share of the deals' capital in `year`, percent (all 0 if nothing is spent).
fn deal_shares_in(s: &Scenario, book: &crate::scenario::DealBook, year: i32) -> Vec<(String, f64)> {
    let in_year = |d: &crate::scenario::Deal| {
        let (first, last) = (Quarter::first_of(year).index(), Quarter::first_of(year).index() + 3);
        let quarters = (d.end.index().min(last) - d.start.index().max(first) + 1).max(0);
        quarters as f64 * d.per_quarter_usd_b()
    };
    let total: f64 = book.deals.iter().map(in_year).sum();
    s.providers
        .iter()
        .map(|p| {
            let mine: f64 = book.deals.iter().filter(|d| d.provider == p.id).map(in_year).sum();
            (p.id.clone(), if total > 0.0 { 100.0 * mine / total } else { 0.0 })
        })
        .collect()
}

/// Sets provider `changed` to `pct` in `shares` and rebalances the others so the total stays 100:
/// unlocked providers scale in proportion to their current shares (equally if they are all at 0);
/// locked ones keep theirs. `pct` is limited to what the locked providers leave; the value actually
/// set is returned along with the new shares. Unknown `changed` leaves the shares as they are.
pub fn rebalance_shares(
    shares: &[(String, f64)],
    changed: &str,
    pct: f64,
    locked: &[String],
) -> (f64, Vec<(String, f64)>) {
    let Some(ci) = shares.iter().position(|(id, _)| id == changed) else {
        return (pct, shares.to_vec());
    };
    let is_free = |i: usize| i != ci && !locked.contains(&shares[i].0);
    let locked_sum: f64 = (0..shares.len()).filter(|&i| i != ci && !is_free(i)).map(|i| shares[i].1).sum();
    let free: Vec<usize> = (0..shares.len()).filter(|&i| is_free(i)).collect();
    // With nobody free to absorb the change, the changed provider takes exactly what is left.
    let room = (100.0 - locked_sum).max(0.0);
    let pct = if free.is_empty() { room } else { pct.clamp(0.0, room) };
    let rest = room - pct;
    let free_sum: f64 = free.iter().map(|&i| shares[i].1).sum();
    let mut out = shares.to_vec();
    out[ci].1 = pct;
    for &i in &free {
        out[i].1 = if free_sum > 0.0 { rest * shares[i].1 / free_sum } else { rest / free.len() as f64 };
    }
    (pct, out)
}

/// Shares for the providers of `current` when some are set by name, as a link does: named
/// providers take their values and the others share what is left in proportion to their current
/// shares (equally if those are all 0), as the share sliders rebalance. When the named values
/// leave nobody to make room (every provider named, or the named ones over 100) and do not add up
/// to 100, they are rescaled in proportion and the second value says so.
pub fn shares_with_named(
    current: &[(String, f64)],
    named: &[(String, f64)],
) -> (Vec<(String, f64)>, Option<String>) {
    use crate::limits::SHARE_SUM_TOLERANCE_PCT;
    let value = |id: &str| named.iter().rev().find(|(n, _)| n == id).map(|(_, v)| *v);
    let named_sum: f64 = current.iter().filter_map(|(id, _)| value(id)).sum();
    let others: Vec<usize> = (0..current.len()).filter(|&i| value(&current[i].0).is_none()).collect();
    let off = (named_sum - 100.0).abs() > SHARE_SUM_TOLERANCE_PCT;
    if others.is_empty() || named_sum > 100.0 + SHARE_SUM_TOLERANCE_PCT {
        let scale = if off && named_sum > 0.0 { 100.0 / named_sum } else { 1.0 };
        let out = current
            .iter()
            .map(|(id, _)| (id.clone(), (value(id).unwrap_or(0.0) * scale).min(100.0)))
            .collect();
        let note =
            off.then(|| format!("shares add up to {named_sum}%, not 100%; they were rescaled in proportion"));
        return (out, note);
    }
    let rest = (100.0 - named_sum).max(0.0);
    let others_sum: f64 = others.iter().map(|&i| current[i].1).sum();
    let out = current
        .iter()
        .map(|(id, pct)| {
            let v = match value(id) {
                Some(v) => v,
                None if others_sum > 0.0 => rest * pct / others_sum,
                None => rest / others.len() as f64,
            };
            (id.clone(), v)
        })
        .collect();
    (out, None)
}

/// Writes provider shares as the keyframe of `year`, leaving out providers at 0.
pub fn set_shares(s: &mut Scenario, year: i32, shares: &[(String, f64)]) {
    // Providers at 0 are left out: a provider missing from a keyframe has 0 %.
    let keyframe: BTreeMap<String, f64> = shares.iter().filter(|(_, pct)| *pct > 0.0).cloned().collect();
    s.provider_shares_pct.insert(year, keyframe);
}

/// Total capital of a budget path, the deals or a plan over the span, scale included, billions of USD
/// (`None` for a capacity path).
pub fn budget_total_usd_b(s: &Scenario) -> Option<f64> {
    path_total_usd_b(s).map(|total| total * s.build_out_scale)
}

/// Total of the budget path (or of a plan's purchases) over the span before scaling.
fn path_total_usd_b(s: &Scenario) -> Option<f64> {
    match &s.build_out {
        BuildOut::BudgetUsdBPerYear(keyframes) => {
            let points: Vec<(f64, f64)> = keyframes.iter().map(|(y, v)| (f64::from(*y), *v)).collect();
            Some(
                (s.start_year..=s.end_year)
                    .map(|y| crate::scenario::interpolate(&points, f64::from(y)))
                    .sum(),
            )
        }
        BuildOut::Planned(purchases) => Some(
            purchases
                .iter()
                .filter(|p| (s.start_year..=s.end_year).contains(&p.year))
                .map(|p| p.capital_usd_b)
                .sum(),
        ),
        BuildOut::Deals(book) => {
            let (first, last) =
                (Quarter::first_of(s.start_year).index(), Quarter::first_of(s.end_year).index() + 3);
            Some(
                book.deals
                    .iter()
                    .map(|d| {
                        let quarters = (d.end.index().min(last) - d.start.index().max(first) + 1).max(0);
                        quarters as f64 * d.per_quarter_usd_b()
                    })
                    .sum(),
            )
        }
        BuildOut::InstalledFacilityGw(_) => None,
    }
}

/// Sets the build-out multiplier so the budget path totals `total_usd_b` over the span. A path
/// that is zero everywhere cannot be scaled and is left alone; so is a capacity path.
pub fn set_budget_total_usd_b(s: &mut Scenario, total_usd_b: f64) {
    if let Some(path) = path_total_usd_b(s).filter(|t| *t > 0.0) {
        s.build_out_scale = total_usd_b / path;
    }
}

/// The state of one family × group cell of the export-control matrix.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum CellState {
    /// Export allowed.
    Allow,
    /// Export banned.
    Ban,
    /// Export capped at this many H100-equivalents per region and year.
    Cap {
        /// The cap.
        h100e_per_year: f64,
    },
}

/// The export groups where nobody in `s` builds: no deal site, no region of a provider with a
/// share in some year (with cheap-and-clean siting every region counts), no planned purchase, and
/// no starting fleet. A control on such a group changes nothing in this scenario.
pub fn groups_nobody_builds_in(s: &Scenario) -> Vec<ExportGroup> {
    let mut regions: Vec<&str> = Vec::new();
    let with_share = |id: &str| s.provider_shares_pct.values().any(|k| k.get(id).is_some_and(|v| *v > 0.0));
    match &s.build_out {
        BuildOut::Planned(purchases) => regions.extend(purchases.iter().map(|p| p.region.as_str())),
        BuildOut::Deals(book) => {
            for d in &book.deals {
                regions.extend(d.sites.iter().filter(|(_, w)| **w > 0.0).map(|(r, _)| r.as_str()));
            }
        }
        _ => {}
    }
    if !matches!(s.build_out, BuildOut::Planned(_)) {
        for p in s.providers.iter().filter(|p| with_share(&p.id)) {
            regions.extend(p.regions.iter().filter(|(_, w)| **w > 0.0).map(|(r, _)| r.as_str()));
        }
        if s.siting == crate::scenario::Siting::CheapClean {
            regions.extend(s.regions.iter().map(|r| r.id.as_str()));
        }
    }
    regions.extend(s.starting_fleet.iter().map(|c| c.region.as_str()));
    ExportGroup::ALL
        .into_iter()
        .filter(|g| !s.regions.iter().any(|r| r.export_group == *g && regions.contains(&r.id.as_str())))
        .collect()
}

/// The policy's exceptions the matrix does not show (rules about one model or one region), in
/// words, with the scenario's names: "Nvidia H200 SXM: allowed in Embargoed (Tier 3) from 2026".
pub fn exceptions(s: &Scenario) -> Vec<String> {
    exceptions_said(s).iter().map(Message::english).collect()
}

/// [`exceptions`] as messages, for a page that words them in the reader's language.
pub fn exceptions_said(s: &Scenario) -> Vec<Message> {
    s.export_policy
        .rules
        .iter()
        .filter(|r| !is_matrix_rule(r))
        .map(|r| {
            let said = Message::new(if r.from_year.is_some() { "exception.from" } else { "exception" });
            let said = match &r.accelerators {
                AcceleratorSelector::Model(id) => {
                    let name = s.accelerators.iter().find(|a| &a.id == id).map_or(id.as_str(), |a| &a.name);
                    said.name("chip", "accelerator", id, name)
                }
                AcceleratorSelector::Family(f) => said.name("chip", "family", f.id(), f.label()),
                AcceleratorSelector::Any => said.name("chip", "any", "accelerator", "Every accelerator"),
            };
            let said = match &r.destination {
                DestinationSelector::Region(id) => {
                    let name = s.regions.iter().find(|x| &x.id == id).map_or(id.as_str(), |x| &x.name);
                    said.name("group", "region", id, name)
                }
                DestinationSelector::Group(g) => said.name("group", "group", g.id(), g.label()),
                DestinationSelector::Any => said.name("group", "any", "region", "every region"),
            };
            let action = match r.action {
                Action::Allow => Message::new("exception.allowed"),
                Action::Ban => Message::new("exception.banned"),
                Action::Cap => Message::new("exception.capped")
                    .written("cap", format!("{:.0}", r.cap_h100e_per_year.unwrap_or(0.0))),
            };
            let said = said.part("action", action);
            match r.from_year {
                Some(y) => said.text("year", y.to_string()),
                None => said,
            }
        })
        .collect()
}

/// What the policy decides for a whole family in a whole group in `year`, reading only rules
/// that name the family or every accelerator, and the group or every destination (rules about
/// single models or regions are exceptions the matrix does not show).
pub fn matrix_cell(policy: &ExportPolicy, family: Family, group: ExportGroup, year: i32) -> CellState {
    let rules: Vec<ExportRule> = policy.rules.iter().filter(|r| is_matrix_rule(r)).cloned().collect();
    // Any region id and model id do: the rules left never name one.
    match crate::policy::deciding_rule(&rules, "", family, "", group, year).map(|i| &rules[i]) {
        Some(r) if r.action == Action::Ban => CellState::Ban,
        Some(r) if r.action == Action::Cap => {
            CellState::Cap { h100e_per_year: r.cap_h100e_per_year.unwrap_or(0.0) }
        }
        _ => CellState::Allow,
    }
}

/// The cap a capped matrix cell gets unless the user chose another, H100e a year: the AI
/// Diffusion rule's country cap (~50,000 H100e over 2025–2027, Federal Register 2025-00636).
pub const DEFAULT_CAP_H100E_PER_YEAR: f64 = 16_667.0;

/// The year the page shows the export matrix for: the shares' target year, not before the span.
fn matrix_year(s: &Scenario) -> i32 {
    target_share_year(s).max(s.start_year)
}

/// The cap of the matrix's capped cells in the year it is shown (the first capped cell's, family
/// by family, group by group), or `None` when no cell is capped: what the page's cap slider shows
/// and moves. It lives in the scenario, so a link carries it.
pub fn matrix_cap(s: &Scenario) -> Option<f64> {
    let year = matrix_year(s);
    Family::ALL.into_iter().flat_map(|f| ExportGroup::ALL.map(|g| (f, g))).find_map(
        |(f, g)| match matrix_cell(&s.export_policy, f, g, year) {
            CellState::Cap { h100e_per_year } => Some(h100e_per_year),
            _ => None,
        },
    )
}

/// Gives every capped matrix cell (in the year the matrix is shown) the cap `h100e_per_year`.
pub fn set_matrix_caps(s: &mut Scenario, h100e_per_year: f64) {
    let year = matrix_year(s);
    for f in Family::ALL {
        for g in ExportGroup::ALL {
            if let CellState::Cap { h100e_per_year: old } = matrix_cell(&s.export_policy, f, g, year)
                && old != h100e_per_year
            {
                set_matrix_cell(&mut s.export_policy, f, g, CellState::Cap { h100e_per_year });
            }
        }
    }
}

/// A matrix cell clicked: allow → ban → cap → allow, in the year the page shows the matrix for.
/// A new cap is the other capped cells' ([`matrix_cap`]), or [`DEFAULT_CAP_H100E_PER_YEAR`].
pub fn cycle_matrix_cell(s: &mut Scenario, family: Family, group: ExportGroup) {
    let year = matrix_year(s);
    let cap = matrix_cap(s).unwrap_or(DEFAULT_CAP_H100E_PER_YEAR);
    let next = match matrix_cell(&s.export_policy, family, group, year) {
        CellState::Allow => CellState::Ban,
        CellState::Ban => CellState::Cap { h100e_per_year: cap },
        CellState::Cap { .. } => CellState::Allow,
    };
    set_matrix_cell(&mut s.export_policy, family, group, next);
}

/// Sets region `r`'s electricity price: an override, or none when the price is the data's own (so
/// a slider moved back leaves no override in the scenario or its link).
pub fn set_region_price(s: &mut Scenario, r: usize, price_usd_per_mwh: f64) {
    let Some(region) = s.regions.get(r) else { return };
    let id = region.id.clone();
    if (price_usd_per_mwh - region.price_usd_per_mwh).abs() < 1e-9 {
        s.price_overrides_usd_per_mwh.remove(&id);
    } else {
        s.price_overrides_usd_per_mwh.insert(id, price_usd_per_mwh);
    }
}

/// Sets one family × group cell: replaces the rule that names exactly this family and group (or
/// adds one), so the cell takes `state` whatever broader rules say. The policy's name becomes
/// `custom` unless the result equals a preset.
pub fn set_matrix_cell(policy: &mut ExportPolicy, family: Family, group: ExportGroup, state: CellState) {
    let accelerators = AcceleratorSelector::Family(family);
    let destination = DestinationSelector::Group(group);
    policy.rules.retain(|r| {
        !(r.accelerators == accelerators && r.destination == destination && r.from_year.is_none())
    });
    let (action, cap) = match state {
        CellState::Allow => (Action::Allow, None),
        CellState::Ban => (Action::Ban, None),
        CellState::Cap { h100e_per_year } => (Action::Cap, Some(h100e_per_year)),
    };
    let mut rule = ExportRule::new(accelerators, destination, action);
    rule.cap_h100e_per_year = cap;
    policy.rules.push(rule);
    policy.name = ExportPolicy::preset_ids()
        .into_iter()
        .find(|id| ExportPolicy::preset(id).is_some_and(|p| same_matrix(&p, policy)))
        .unwrap_or("custom")
        .to_string();
}

/// Whether a rule is one the matrix shows: about a family or every accelerator, in a group or
/// every destination.
fn is_matrix_rule(r: &ExportRule) -> bool {
    matches!(r.accelerators, AcceleratorSelector::Any | AcceleratorSelector::Family(_))
        && matches!(r.destination, DestinationSelector::Any | DestinationSelector::Group(_))
}

/// Whether two policies decide every family × group cell alike in every year of 2015–2100 and
/// carry the same exceptions (rules about single models or regions, such as the H20's).
fn same_matrix(a: &ExportPolicy, b: &ExportPolicy) -> bool {
    let years: Vec<i32> = a.rules.iter().chain(&b.rules).filter_map(|r| r.from_year).chain([2015]).collect();
    let exceptions =
        |p: &ExportPolicy| p.rules.iter().filter(|r| !is_matrix_rule(r)).cloned().collect::<Vec<_>>();
    exceptions(a) == exceptions(b)
        && Family::ALL.iter().all(|&f| {
            ExportGroup::ALL
                .iter()
                .all(|&g| years.iter().all(|&y| matrix_cell(a, f, g, y) == matrix_cell(b, f, g, y)))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shares(v: &[(&str, f64)]) -> Vec<(String, f64)> {
        v.iter().map(|(id, pct)| (id.to_string(), *pct)).collect()
    }

    fn total(s: &[(String, f64)]) -> f64 {
        s.iter().map(|(_, p)| p).sum()
    }

    #[test]
    fn a_link_naming_one_share_rebalances_the_others_as_the_slider_does() {
        let current = shares(&[("azure", 50.0), ("aws", 45.0), ("oracle", 5.0)]);
        let (out, note) = shares_with_named(&current, &shares(&[("aws", 80.0)]));
        assert_eq!(note, None);
        assert_eq!(out, rebalance_shares(&current, "aws", 80.0, &[]).1);
        // Two named, the third takes the rest; all named and off 100, rescaled with a note.
        let (out, _) = shares_with_named(&current, &shares(&[("aws", 60.0), ("azure", 30.0)]));
        assert!((out[2].1 - 10.0).abs() < 1e-12);
        let (out, note) =
            shares_with_named(&current, &shares(&[("aws", 60.0), ("azure", 60.0), ("oracle", 80.0)]));
        assert!((total(&out) - 100.0).abs() < 1e-9 && (out[1].1 - 30.0).abs() < 1e-9);
        assert!(note.unwrap().contains("rescaled"));
        // Named over 100 with others left: the named are rescaled, the others get nothing.
        let (out, note) = shares_with_named(&current, &shares(&[("aws", 90.0), ("azure", 90.0)]));
        assert_eq!(out[2].1, 0.0);
        assert!(note.is_some() && (total(&out) - 100.0).abs() < 1e-9);
        // Others all at 0 share the rest equally.
        let zero = shares(&[("azure", 100.0), ("aws", 0.0), ("oracle", 0.0)]);
        let (out, _) = shares_with_named(&zero, &shares(&[("azure", 40.0)]));
        assert_eq!((out[1].1, out[2].1), (30.0, 30.0));
    }

    #[test]
    fn raising_one_share_scales_the_others_in_proportion() {
        let (set, out) =
            rebalance_shares(&shares(&[("azure", 50.0), ("aws", 45.0), ("oracle", 5.0)]), "aws", 70.0, &[]);
        assert_eq!(set, 70.0);
        // The other 30 points split 50 : 5 between Azure and Oracle.
        assert!((out[0].1 - 30.0 * 50.0 / 55.0).abs() < 1e-12);
        assert!((out[2].1 - 30.0 * 5.0 / 55.0).abs() < 1e-12);
        assert!((total(&out) - 100.0).abs() < 1e-12);
    }

    #[test]
    fn locked_providers_keep_their_share_and_bound_the_change() {
        let start = shares(&[("azure", 50.0), ("aws", 45.0), ("oracle", 5.0)]);
        let (set, out) = rebalance_shares(&start, "aws", 99.0, &["azure".to_string()]);
        assert_eq!(set, 50.0, "only what Azure leaves");
        assert_eq!(out[0].1, 50.0);
        assert_eq!(out[2].1, 0.0);
        assert!((total(&out) - 100.0).abs() < 1e-12);
    }

    #[test]
    fn others_at_zero_share_the_rest_equally() {
        let (_, out) = rebalance_shares(&shares(&[("a", 100.0), ("b", 0.0), ("c", 0.0)]), "a", 40.0, &[]);
        assert_eq!((out[1].1, out[2].1), (30.0, 30.0));
    }

    #[test]
    fn with_everyone_else_locked_the_share_cannot_move() {
        let start = shares(&[("a", 60.0), ("b", 40.0)]);
        let (set, out) = rebalance_shares(&start, "a", 80.0, &["b".to_string()]);
        assert_eq!(set, 60.0);
        assert_eq!(out, start);
    }

    #[test]
    fn budget_total_sets_the_scale() {
        let mut s = Scenario::default();
        // The deals, all within the span.
        assert!((budget_total_usd_b(&s).unwrap() - 1395.4).abs() < 1e-9);
        set_budget_total_usd_b(&mut s, 2790.8);
        assert!((budget_total_usd_b(&s).unwrap() - 2790.8).abs() < 1e-9);
        assert!((s.build_out_scale - 2.0).abs() < 1e-12, "the path's shape is kept; only the scale moves");
        set_budget_total_usd_b(&mut s, 0.0);
        set_budget_total_usd_b(&mut s, 697.7);
        assert!((s.build_out_scale - 0.5).abs() < 1e-12, "scaling from zero works too");
    }

    #[test]
    fn target_year_is_the_last_keyframe() {
        let s = Scenario::default();
        assert_eq!(target_share_year(&s), 2026);
        let mut s2 = s.clone();
        let (_, out) = rebalance_shares(&shares_in(&s, 2026), "aws", 60.0, &[]);
        set_shares(&mut s2, 2026, &out);
        assert!(crate::validate(&s2).is_empty());
        assert_eq!(s2.provider_shares_pct[&2026]["aws"], 60.0);
    }

    #[test]
    fn the_deals_build_nowhere_in_the_embargoed_group_and_the_world_builds_everywhere() {
        let article = Scenario::default();
        assert_eq!(groups_nobody_builds_in(&article), vec![ExportGroup::Embargoed]);
        let world = crate::scenario::base("world").unwrap();
        assert!(groups_nobody_builds_in(&world).is_empty());
        let mut clean = article.clone();
        clean.siting = crate::scenario::Siting::CheapClean;
        assert!(groups_nobody_builds_in(&clean).is_empty(), "cheap-and-clean siting reaches every region");
    }

    #[test]
    fn matrix_reads_presets_and_one_click_bans_blackwell_to_the_embargoed_group() {
        let mut policy = ExportPolicy::preset("none").unwrap();
        assert_eq!(matrix_cell(&policy, Family::Blackwell, ExportGroup::Embargoed, 2026), CellState::Allow);
        set_matrix_cell(&mut policy, Family::Blackwell, ExportGroup::Embargoed, CellState::Ban);
        assert_eq!(matrix_cell(&policy, Family::Blackwell, ExportGroup::Embargoed, 2026), CellState::Ban);
        // The Blackwell row covers Blackwell Ultra, whose own cell can still be set apart.
        assert_eq!(
            matrix_cell(&policy, Family::BlackwellUltra, ExportGroup::Embargoed, 2026),
            CellState::Ban
        );
        let mut apart = policy.clone();
        set_matrix_cell(&mut apart, Family::BlackwellUltra, ExportGroup::Embargoed, CellState::Allow);
        assert_eq!(
            matrix_cell(&apart, Family::BlackwellUltra, ExportGroup::Embargoed, 2026),
            CellState::Allow
        );
        assert_eq!(matrix_cell(&apart, Family::Blackwell, ExportGroup::Embargoed, 2026), CellState::Ban);
        assert_eq!(matrix_cell(&policy, Family::Hopper, ExportGroup::Embargoed, 2026), CellState::Allow);
        assert_eq!(policy.name, "custom");

        let oct = ExportPolicy::preset("oct-2023").unwrap();
        for f in Family::ALL {
            assert_eq!(matrix_cell(&oct, f, ExportGroup::Embargoed, 2026), CellState::Ban);
            assert_eq!(matrix_cell(&oct, f, ExportGroup::Us, 2026), CellState::Allow);
        }
        let diffusion = ExportPolicy::preset("ai-diffusion-2025").unwrap();
        assert_eq!(
            matrix_cell(&diffusion, Family::Hopper, ExportGroup::MiddleTier, 2026),
            CellState::Cap { h100e_per_year: 16667.0 }
        );
        assert_eq!(matrix_cell(&diffusion, Family::Hopper, ExportGroup::MiddleTier, 2024), CellState::Allow);
    }

    /// The cap slider's value is the scenario's: every capped cell's cap moves with it, a newly
    /// capped cell takes it, and the link carries it (so a reopened link shows the same cap).
    #[test]
    fn the_cap_of_capped_cells_is_the_scenarios_and_in_its_link() {
        let mut s = Scenario::default();
        let year = matrix_year(&s);
        for _ in 0..2 {
            cycle_matrix_cell(&mut s, Family::Hopper, ExportGroup::MiddleTier);
        }
        set_matrix_caps(&mut s, 5000.0);
        assert_eq!(matrix_cap(&s), Some(5000.0));
        for _ in 0..2 {
            cycle_matrix_cell(&mut s, Family::Ampere, ExportGroup::MiddleTier);
        }
        assert_eq!(
            matrix_cell(&s.export_policy, Family::Ampere, ExportGroup::MiddleTier, year),
            CellState::Cap { h100e_per_year: 5000.0 },
            "a new cap takes the others'"
        );
        set_matrix_caps(&mut s, 800.0);
        for f in [Family::Hopper, Family::Ampere] {
            assert_eq!(
                matrix_cell(&s.export_policy, f, ExportGroup::MiddleTier, year),
                CellState::Cap { h100e_per_year: 800.0 }
            );
        }
        let reopened = crate::url::decode(&crate::url::encode(&s), &[]).scenario;
        assert_eq!(matrix_cap(&reopened), Some(800.0));
        // Moving the cap with no capped cell changes nothing.
        let mut plain = Scenario::default();
        set_matrix_caps(&mut plain, 800.0);
        assert_eq!(plain, Scenario::default());
    }

    #[test]
    fn a_clicked_cell_cycles_allow_ban_cap_and_a_price_back_at_the_data_leaves_no_override() {
        let mut s = Scenario::default();
        let year = target_share_year(&s).max(s.start_year);
        let cell =
            |s: &Scenario| matrix_cell(&s.export_policy, Family::Hopper, ExportGroup::MiddleTier, year);
        assert_eq!(cell(&s), CellState::Allow);
        assert_eq!(matrix_cap(&s), None, "the default caps nothing");
        cycle_matrix_cell(&mut s, Family::Hopper, ExportGroup::MiddleTier);
        assert_eq!(cell(&s), CellState::Ban);
        cycle_matrix_cell(&mut s, Family::Hopper, ExportGroup::MiddleTier);
        assert_eq!(cell(&s), CellState::Cap { h100e_per_year: DEFAULT_CAP_H100E_PER_YEAR });
        cycle_matrix_cell(&mut s, Family::Hopper, ExportGroup::MiddleTier);
        assert_eq!(cell(&s), CellState::Allow);

        let data_price = s.regions[0].price_usd_per_mwh;
        set_region_price(&mut s, 0, data_price * 2.0);
        assert_eq!(s.price_overrides_usd_per_mwh.len(), 1);
        set_region_price(&mut s, 0, data_price);
        assert!(s.price_overrides_usd_per_mwh.is_empty());
        set_region_price(&mut s, 999, 1.0);
        assert!(s.price_overrides_usd_per_mwh.is_empty(), "no region, no change");
    }

    #[test]
    fn allowing_a_cell_carves_an_exception_and_matching_a_preset_names_it() {
        let mut s = Scenario::default();
        s.export_policy = ExportPolicy::preset("h200-china-2026").unwrap();
        assert_eq!(
            exceptions(&s),
            [
                "Nvidia H20 (China market): allowed in Embargoed (Tier 3)",
                "Nvidia H20 (China market): banned in Embargoed (Tier 3) from 2025",
                "Nvidia B30A (China market, blocked): banned in Embargoed (Tier 3)",
                "Nvidia H200 SXM: allowed in Embargoed (Tier 3) from 2026",
            ]
        );
        let mut policy = ExportPolicy::preset("oct-2023").unwrap();
        set_matrix_cell(&mut policy, Family::Hopper, ExportGroup::Embargoed, CellState::Allow);
        assert_eq!(matrix_cell(&policy, Family::Hopper, ExportGroup::Embargoed, 2026), CellState::Allow);
        assert_eq!(matrix_cell(&policy, Family::Blackwell, ExportGroup::Embargoed, 2026), CellState::Ban);
        assert_eq!(policy.name, "custom");
        set_matrix_cell(&mut policy, Family::Hopper, ExportGroup::Embargoed, CellState::Ban);
        assert_eq!(policy.name, "oct-2023", "back to the preset's decisions");
    }
}
