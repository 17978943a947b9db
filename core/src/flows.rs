//! The Sankey diagram of redirected money: where export rules and limits moved capital from, why,
//! and where it went, over the span or in one year. The page draws it; this module decides what it
//! shows.
//!
//! Three columns ([`Stage`]): the origin (the provider, region and accelerator the money was meant
//! for), the reason it moved, and its destination (the region and accelerator it bought, or nowhere: unmet
//! demand or unspent). Links run origin → reason and reason → destination, so **every node
//! balances** (a reason node's links in and out carry the same money) and **every column carries
//! the same total**: placed + unmet + unspent ([`Sankey::total_usd_b`]), which is the summary's
//! redirected capital plus its unmet demand plus the unspent capital.
//!
//! Leakage (banned money that still bought the banned chip) moved nowhere, so it is no part of
//! the diagram; [`Sankey::leaked_usd_b`] says how much there was. To keep the diagram legible, each
//! column keeps its largest nodes and groups the rest into one [`NodeKind::Other`] node.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::results::{Destination, RedirectFlow, RedirectReason, Results};

/// A column of the diagram, left to right.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Where the money was meant to go: provider, region and accelerator.
    From,
    /// Why it moved.
    Reason,
    /// Where it went: a region and accelerator, or nowhere (unmet, unspent).
    To,
}

impl Stage {
    /// The three columns, left to right.
    pub const ALL: [Stage; 3] = [Stage::From, Stage::Reason, Stage::To];
}

/// What a node stands for. The order of the variants and their fields is the order in which
/// nodes of the same size are shown.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    /// Money a provider meant to spend in a region (column [`Stage::From`]).
    Origin {
        /// Provider id.
        provider: String,
        /// Region id.
        region: String,
        /// The accelerator it was meant to buy (empty when none was available).
        accelerator: String,
    },
    /// Why it moved (column [`Stage::Reason`]; never [`RedirectReason::Leakage`]).
    Reason(RedirectReason),
    /// Money that bought an accelerator in a region (column [`Stage::To`]).
    Placed {
        /// Region id.
        region: String,
        /// Accelerator id.
        accelerator: String,
    },
    /// Demand a region with a domestic industry could not meet: its imports banned, its domestic
    /// supply used up (column [`Stage::To`]).
    Unmet,
    /// Money that could be placed nowhere (column [`Stage::To`]).
    Unspent,
    /// The smaller nodes of a column, grouped.
    Other {
        /// How many nodes it groups (two or more).
        count: usize,
    },
}

/// One node: a box in a column, as tall as the money through it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Node {
    /// Its column.
    pub stage: Stage,
    /// What it stands for.
    pub kind: NodeKind,
    /// Money through it, billions of USD.
    pub usd_b: f64,
}

/// One link: money from a node to a node of the next column.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Link {
    /// Index into [`Sankey::nodes`], in column [`Stage::From`] or [`Stage::Reason`].
    pub from: usize,
    /// Index into [`Sankey::nodes`], in the next column.
    pub to: usize,
    /// Money along it, billions of USD.
    pub usd_b: f64,
}

/// The Sankey diagram of redirected money over the span or in one year (see the module
/// documentation).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Sankey {
    /// The calendar year it shows; `None`: the whole span.
    pub year: Option<i32>,
    /// The nodes, column by column (every [`Stage::From`] node, then [`Stage::Reason`], then
    /// [`Stage::To`]); within a column largest first (ties in [`NodeKind`] order), the
    /// [`NodeKind::Other`] node last.
    pub nodes: Vec<Node>,
    /// The links, by the index of the node they leave, then of the node they reach.
    pub links: Vec<Link>,
    /// Money placed somewhere other than planned, billions of USD (over the span, the summary's
    /// redirected capital).
    pub placed_usd_b: f64,
    /// Unmet demand, billions of USD.
    pub unmet_usd_b: f64,
    /// Money placed nowhere, billions of USD.
    pub unspent_usd_b: f64,
    /// Banned money that still bought the banned chip (not in the diagram), billions of USD.
    pub leaked_usd_b: f64,
}

impl Sankey {
    /// Money the diagram carries: placed + unmet + unspent, billions of USD (each column's total).
    pub fn total_usd_b(&self) -> f64 {
        self.placed_usd_b + self.unmet_usd_b + self.unspent_usd_b
    }

    /// Whether no money was redirected (leakage aside): no nodes, no links.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The nodes of one column, in order (a slice of [`Sankey::nodes`]).
    pub fn column(&self, stage: Stage) -> &[Node] {
        let start = self.nodes.partition_point(|n| n.stage < stage);
        let end = self.nodes.partition_point(|n| n.stage <= stage);
        &self.nodes[start..end]
    }

    /// The index in [`Sankey::nodes`] of the node of `kind` in column `stage`, if it is shown.
    pub fn position(&self, stage: Stage, kind: &NodeKind) -> Option<usize> {
        self.nodes.iter().position(|n| n.stage == stage && n.kind == *kind)
    }
}

/// The calendar years in which any money was redirected, placed nowhere or left unmet (leakage
/// aside), in order: the years a [`sankey`] of one year has anything to show.
pub fn years(results: &Results) -> Vec<i32> {
    let mut years: Vec<i32> = results.redirects.iter().filter(|f| shown(f)).map(|f| f.year).collect();
    years.sort_unstable();
    years.dedup();
    years
}

/// Every flow the diagram of `year` (`None`: the whole span, flows summed over years) is made of,
/// largest first, leakage aside: the diagram's data in full, with the accelerator each flow was
/// meant to buy (the page's Table view).
pub fn listed(results: &Results, year: Option<i32>) -> Vec<RedirectFlow> {
    let mut flows: Vec<RedirectFlow> = match year {
        None => results.redirects_over_span(),
        Some(y) => results.redirects.iter().filter(|f| f.year == y).cloned().collect(),
    };
    flows.retain(shown);
    flows.sort_by(|a, b| b.usd_b.total_cmp(&a.usd_b));
    flows
}

/// Whether a flow is drawn: money that moved (leakage aside), more than nothing.
fn shown(f: &RedirectFlow) -> bool {
    f.reason != RedirectReason::Leakage && f.usd_b > 0.0
}

/// The Sankey diagram of the redirected money of `results` in `year` (`None`: the whole span).
///
/// Each column keeps its `max_nodes` largest nodes and groups the rest into one
/// [`NodeKind::Other`] node (a single one left over is kept as itself rather than called Other, so
/// a column has at most `max_nodes + 1` nodes). In the destination column, [`NodeKind::Unmet`]
/// and [`NodeKind::Unspent`] are never grouped and do not count towards `max_nodes`: they are not
/// places, and the diagram must tell them apart. Grouping changes no total.
pub fn sankey(results: &Results, year: Option<i32>, max_nodes: usize) -> Sankey {
    let mut out = Sankey {
        year,
        nodes: Vec::new(),
        links: Vec::new(),
        placed_usd_b: 0.0,
        unmet_usd_b: 0.0,
        unspent_usd_b: 0.0,
        leaked_usd_b: 0.0,
    };
    // Every flow of the year as its three nodes, in the order of `results.redirects`.
    let mut routes: Vec<([NodeKind; 3], f64)> = Vec::new();
    for f in results.redirects.iter().filter(|f| year.is_none_or(|y| f.year == y)) {
        if f.reason == RedirectReason::Leakage {
            out.leaked_usd_b += f.usd_b;
            continue;
        }
        if !shown(f) {
            continue;
        }
        let to = match f.destination() {
            Destination::Placed => {
                out.placed_usd_b += f.usd_b;
                NodeKind::Placed { region: f.to_region.clone(), accelerator: f.to_accelerator.clone() }
            }
            Destination::Unmet => {
                out.unmet_usd_b += f.usd_b;
                NodeKind::Unmet
            }
            Destination::Unspent => {
                out.unspent_usd_b += f.usd_b;
                NodeKind::Unspent
            }
        };
        let from = NodeKind::Origin {
            provider: f.from_provider.clone(),
            region: f.from_region.clone(),
            accelerator: f.from_accelerator.clone(),
        };
        routes.push(([from, NodeKind::Reason(f.reason), to], f.usd_b));
    }

    // Each column's nodes before grouping, then where each goes in the diagram.
    let mut index: [BTreeMap<NodeKind, usize>; 3] = Default::default();
    for (stage, column) in Stage::ALL.into_iter().zip(&mut index) {
        let mut totals: BTreeMap<&NodeKind, f64> = BTreeMap::new();
        for (kinds, usd_b) in &routes {
            *totals.entry(&kinds[stage as usize]).or_insert(0.0) += usd_b;
        }
        let (kept, grouped) = group(totals, max_nodes);
        let first = out.nodes.len();
        for (i, (kind, usd_b)) in kept.into_iter().enumerate() {
            column.insert(kind.clone(), first + i);
            out.nodes.push(Node { stage, kind: kind.clone(), usd_b });
        }
        if !grouped.is_empty() {
            let other = out.nodes.len();
            let usd_b = grouped.iter().fold(0.0, |acc, (_, v)| acc + v);
            for (kind, _) in &grouped {
                column.insert((*kind).clone(), other);
            }
            out.nodes.push(Node { stage, kind: NodeKind::Other { count: grouped.len() }, usd_b });
        }
    }

    // The links, each summed over the flows along it.
    let mut links: BTreeMap<(usize, usize), f64> = BTreeMap::new();
    for ([from, reason, to], usd_b) in &routes {
        let [from, reason, to] = [(0, from), (1, reason), (2, to)].map(|(s, k)| index[s][k]);
        *links.entry((from, reason)).or_insert(0.0) += usd_b;
        *links.entry((reason, to)).or_insert(0.0) += usd_b;
    }
    out.links = links.into_iter().map(|((from, to), usd_b)| Link { from, to, usd_b }).collect();
    out
}

/// Nodes of a column with the money through each, billions of USD.
type Column<'a> = Vec<(&'a NodeKind, f64)>;

/// A column's nodes split into those kept, largest first (ties in [`NodeKind`] order), and those
/// grouped into Other (see [`sankey`]).
fn group(totals: BTreeMap<&NodeKind, f64>, max_nodes: usize) -> (Column<'_>, Column<'_>) {
    let mut nodes: Column<'_> = totals.into_iter().collect();
    // Stable: the map's order breaks ties.
    nodes.sort_by(|a, b| b.1.total_cmp(&a.1));
    let groupable = |k: &NodeKind| !matches!(k, NodeKind::Unmet | NodeKind::Unspent);
    let candidates = nodes.iter().filter(|(k, _)| groupable(k)).count();
    if candidates <= max_nodes.saturating_add(1) {
        return (nodes, Vec::new());
    }
    let mut seen = 0;
    nodes.into_iter().partition(|(k, _)| {
        if !groupable(k) {
            return true;
        }
        seen += 1;
        seen <= max_nodes
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouping_keeps_the_largest_and_never_the_nowhere_nodes() {
        let kinds: Vec<NodeKind> = ["a", "b", "c", "d"]
            .iter()
            .map(|r| NodeKind::Placed { region: (*r).into(), accelerator: "x".into() })
            .chain([NodeKind::Unmet, NodeKind::Unspent])
            .collect();
        let values = [1.0, 4.0, 2.0, 2.0, 0.5, 0.25];
        let totals: BTreeMap<&NodeKind, f64> = kinds.iter().zip(values).collect();
        let (kept, grouped) = group(totals.clone(), 2);
        let kept: Vec<f64> = kept.iter().map(|(_, v)| *v).collect();
        // b (4), then c before d (2 each, c first by id), and the nowhere nodes whatever their size.
        assert_eq!(kept, [4.0, 2.0, 0.5, 0.25]);
        assert_eq!(grouped.iter().map(|(_, v)| *v).collect::<Vec<_>>(), [2.0, 1.0]);
        assert!(matches!(grouped[0].0, NodeKind::Placed { region, .. } if region == "d"));
        // One left over stays itself.
        assert!(group(totals.clone(), 3).1.is_empty());
        assert_eq!(group(totals, 0).1.len(), 4);
    }
}
