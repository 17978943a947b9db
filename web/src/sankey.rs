//! The flow diagram of redirected money: the core's [`atlas_core::flows::sankey`] drawn as three
//! columns — where the money was meant to go (provider · region), why it moved, where it went
//! (region · accelerator, unmet demand, unspent) — with bands as wide as the money, coloured by
//! the reason, over the span or one year, beside the baseline's total. With nothing redirected it
//! draws one sentence. Like [`crate::chart`], [`draw`] is generic over the plotters backend.

use atlas_core::flows::{self, NodeKind, Sankey, Stage};
use atlas_core::results::Destination;
use atlas_core::scenario::Dimension;
use atlas_core::{RedirectReason, Results, Scenario};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::chart::Theme;
use crate::chart_text::Table;
use crate::i18n::{self, k, t, tf};

/// Each column keeps this many of its largest nodes; the rest are grouped.
pub const MAX_NODES: usize = 7;

/// One node, ready to draw.
#[derive(Clone, Debug)]
pub struct FlowNode {
    /// Its column: 0, 1 or 2.
    pub column: usize,
    /// Its name, in the language in use.
    pub label: String,
    /// Money through it, USD bn.
    pub usd_b: f64,
    /// Its colour.
    pub colour: RGBColor,
}

/// One link, ready to draw.
#[derive(Clone, Debug)]
pub struct FlowLink {
    /// Index of the node it leaves.
    pub from: usize,
    /// Index of the node it reaches.
    pub to: usize,
    /// Money along it, USD bn.
    pub usd_b: f64,
    /// Its colour: its reason's.
    pub colour: RGBColor,
}

/// One row of the Table view: a flow in full.
#[derive(Clone, Debug)]
pub struct FlowRow {
    /// Provider · region · the accelerator it was meant to buy.
    pub from: String,
    /// Why it moved.
    pub reason: String,
    /// Region · accelerator, or unmet, or unspent.
    pub to: String,
    /// USD bn.
    pub usd_b: f64,
}

/// Everything the flow diagram shows.
#[derive(Clone, Debug)]
pub struct FlowSpec {
    /// Title above it.
    pub title: String,
    /// The line under the title: the span or year, the totals, the baseline's.
    pub unit: String,
    /// The nodes, column by column.
    pub nodes: Vec<FlowNode>,
    /// The links.
    pub links: Vec<FlowLink>,
    /// The diagram's total (placed + unmet + unspent), USD bn.
    pub total_usd_b: f64,
    /// The baseline's total for the same span or year, USD bn.
    pub baseline_usd_b: f64,
    /// What is drawn instead when nothing moved.
    pub empty: Option<String>,
    /// Every flow, largest first (the Table view).
    pub rows: Vec<FlowRow>,
    /// The reasons shown, for the legend.
    pub legend: Vec<(String, RGBColor)>,
}

/// A reason's colour (Okabe–Ito).
fn reason_colour(r: RedirectReason) -> RGBColor {
    match r {
        RedirectReason::Ban => RGBColor(213, 94, 0),
        RedirectReason::Cap => RGBColor(230, 159, 0),
        RedirectReason::PowerLimit => RGBColor(0, 114, 178),
        RedirectReason::Unavailable => RGBColor(128, 128, 128),
        RedirectReason::SupplyLimit => RGBColor(204, 121, 167),
        RedirectReason::Leakage => RGBColor(0, 158, 115),
    }
}

/// A reason in words (the redirect panel's).
pub fn reason_words(r: RedirectReason) -> &'static str {
    t(match r {
        RedirectReason::Ban => k::REDIRECT_BAN,
        RedirectReason::Cap => k::REDIRECT_CAP,
        RedirectReason::PowerLimit => k::REDIRECT_POWER,
        RedirectReason::Unavailable => k::REDIRECT_UNAVAILABLE,
        RedirectReason::SupplyLimit => k::REDIRECT_SUPPLY,
        RedirectReason::Leakage => k::REDIRECT_LEAKAGE,
    })
}

/// Where a flow's money ended up, in words: provider · region · accelerator, or unmet demand, or
/// nowhere (unspent).
pub fn destination_words(s: &Scenario, f: &atlas_core::RedirectFlow) -> String {
    let name = |d: Dimension, id: &str| i18n::entity(s, d, id);
    match f.destination() {
        Destination::Unmet => t(k::FLOWS_UNMET).to_string(),
        Destination::Unspent => t(k::REDIRECT_UNSPENT).to_string(),
        Destination::Placed => joined(&[
            name(Dimension::Provider, &f.to_provider),
            name(Dimension::Region, &f.to_region),
            name(Dimension::Accelerator, &f.to_accelerator),
        ]),
    }
}

fn joined(parts: &[String]) -> String {
    parts.join(" · ")
}

/// The diagram of `current`'s redirected money in `year` (`None`: the span), beside `baseline`'s.
pub fn spec(s: &Scenario, current: &Results, baseline: &Results, year: Option<i32>) -> FlowSpec {
    let name = |d: Dimension, id: &str| i18n::entity(s, d, id);
    // On the diagram, each name up to its parenthesis ("Other Chinese AI builders"); the read-out
    // and the table give names whole.
    let short = |d: Dimension, id: &str| crate::chart::short_label(&name(d, id)).to_string();
    let sankey: Sankey = flows::sankey(current, year, MAX_NODES);
    let base = flows::sankey(baseline, year, MAX_NODES).total_usd_b();
    let grey = RGBColor(120, 120, 120);
    let nodes: Vec<FlowNode> = sankey
        .nodes
        .iter()
        .map(|n| {
            let (label, colour) = match &n.kind {
                NodeKind::Origin { provider, region, accelerator } => {
                    let mut parts =
                        vec![short(Dimension::Provider, provider), short(Dimension::Region, region)];
                    if !accelerator.is_empty() {
                        parts.push(short(Dimension::Accelerator, accelerator));
                    }
                    (joined(&parts), grey)
                }
                NodeKind::Reason(r) => (reason_words(*r).to_string(), reason_colour(*r)),
                NodeKind::Placed { region, accelerator } => (
                    joined(&[short(Dimension::Region, region), short(Dimension::Accelerator, accelerator)]),
                    grey,
                ),
                NodeKind::Unmet => (t(k::FLOWS_UNMET).to_string(), RGBColor(179, 38, 30)),
                NodeKind::Unspent => (t(k::REDIRECT_UNSPENT).to_string(), RGBColor(90, 90, 90)),
                NodeKind::Other { count } => (tf(k::FLOWS_OTHER, &[("count", &count.to_string())]), grey),
            };
            let column = match n.stage {
                Stage::From => 0,
                Stage::Reason => 1,
                Stage::To => 2,
            };
            FlowNode { column, label, usd_b: n.usd_b, colour }
        })
        .collect();
    let reason_of = |i: usize| match sankey.nodes.get(i).map(|n| &n.kind) {
        Some(NodeKind::Reason(r)) => Some(*r),
        _ => None,
    };
    let links = sankey
        .links
        .iter()
        .map(|l| FlowLink {
            from: l.from,
            to: l.to,
            usd_b: l.usd_b,
            colour: reason_of(l.to).or_else(|| reason_of(l.from)).map_or(grey, reason_colour),
        })
        .collect();
    let legend = sankey
        .column(Stage::Reason)
        .iter()
        .filter_map(|n| match n.kind {
            NodeKind::Reason(r) => Some((reason_words(r).to_string(), reason_colour(r))),
            _ => None,
        })
        .collect();
    let rows = flows::listed(current, year)
        .iter()
        .map(|f| {
            let mut from =
                vec![name(Dimension::Provider, &f.from_provider), name(Dimension::Region, &f.from_region)];
            if !f.from_accelerator.is_empty() {
                from.push(name(Dimension::Accelerator, &f.from_accelerator));
            }
            let to = destination_words(s, f);
            FlowRow { from: joined(&from), reason: reason_words(f.reason).into(), to, usd_b: f.usd_b }
        })
        .collect();
    let when = year.map_or_else(|| t(k::FLOWS_SPAN).to_string(), |y| y.to_string());
    let total = sankey.total_usd_b();
    let mut unit =
        tf(k::FLOWS_UNIT, &[("when", &when), ("total", &i18n::value(total)), ("base", &i18n::value(base))]);
    if sankey.unmet_usd_b > 0.0 {
        unit.push(' ');
        unit.push_str(&tf(k::FLOWS_UNIT_UNMET, &[("value", &i18n::value(sankey.unmet_usd_b))]));
    }
    if sankey.leaked_usd_b > 0.0 {
        unit.push(' ');
        unit.push_str(&tf(k::FLOWS_UNIT_LEAKED, &[("value", &i18n::value(sankey.leaked_usd_b))]));
    }
    let empty = sankey.is_empty().then(|| match year {
        None => t(k::REDIRECT_NONE).to_string(),
        Some(y) => tf(k::FLOWS_NONE_IN, &[("year", &y.to_string())]),
    });
    FlowSpec {
        title: t(k::FLOWS_TITLE).into(),
        unit,
        nodes,
        links,
        total_usd_b: total,
        baseline_usd_b: base,
        empty,
        rows,
        legend,
    }
}

/// Where a band was drawn, in device pixels: it leaves `x0` at `top0` and reaches `x1` at `top1`,
/// `width` tall all along.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Band {
    /// Left end.
    pub x0: f64,
    /// Right end.
    pub x1: f64,
    /// Top at the left end.
    pub top0: f64,
    /// Top at the right end.
    pub top1: f64,
    /// Thickness.
    pub width: f64,
}

impl Band {
    /// The band's top at `x` (a smooth step from one end to the other).
    pub fn top_at(&self, x: f64) -> f64 {
        let u = ((x - self.x0) / (self.x1 - self.x0).max(1e-9)).clamp(0.0, 1.0);
        let s = u * u * (3.0 - 2.0 * u);
        self.top0 + (self.top1 - self.top0) * s
    }

    /// Whether `(x, y)` lies on the band.
    pub fn contains(&self, x: f64, y: f64) -> bool {
        if x < self.x0 || x > self.x1 {
            return false;
        }
        let top = self.top_at(x);
        y >= top - 1.0 && y <= top + self.width.max(2.0) + 1.0
    }
}

/// Where the diagram's parts landed, in device pixels.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FlowHits {
    /// Each node's box: x, y, width, height (in `nodes` order).
    pub nodes: Vec<(f64, f64, f64, f64)>,
    /// Each link's band (in `links` order).
    pub bands: Vec<Band>,
}

/// What the pointer is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hit {
    /// A node.
    Node(usize),
    /// A link.
    Link(usize),
}

impl FlowHits {
    /// What is under device pixel `(x, y)`: a node first, then the thinnest band there.
    pub fn at(&self, x: f64, y: f64, slack: f64) -> Option<Hit> {
        if let Some(i) = self.nodes.iter().position(|&(nx, ny, w, h)| {
            x >= nx - slack && x <= nx + w + slack && y >= ny - 1.0 && y <= ny + h + 1.0
        }) {
            return Some(Hit::Node(i));
        }
        self.bands
            .iter()
            .enumerate()
            .filter(|(_, b)| b.contains(x, y))
            .min_by(|a, b| a.1.width.total_cmp(&b.1.width))
            .map(|(i, _)| Hit::Link(i))
    }
}

/// Draws the diagram on `backend`; `scale` is the device-pixel ratio.
pub fn draw<DB: DrawingBackend>(
    backend: DB,
    spec: &FlowSpec,
    theme: &Theme,
    scale: f64,
) -> Result<FlowHits, String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let root = backend.into_drawing_area();
    root.fill(&theme.background).map_err(err)?;
    let (w, h) = root.dim_in_pixel();
    let (w, h) = (f64::from(w), f64::from(h));
    let font = |size: f64| ("system-ui, sans-serif", size * scale).into_font().color(&theme.text);
    let pixel = |(x, y): (f64, f64)| (x.round() as i32, y.round() as i32);
    let mut hits = FlowHits::default();
    if let Some(sentence) = &spec.empty {
        root.draw_text(
            sentence,
            &font(13.0).pos(Pos::new(HPos::Center, VPos::Center)),
            pixel((w / 2.0, h / 2.0)),
        )
        .map_err(err)?;
        root.present().map_err(err)?;
        return Ok(hits);
    }
    let pad = 8.0 * scale;
    let node_w = 10.0 * scale;
    let gap = 8.0 * scale;
    // Room for the names either side: a quarter of the width each, at most 260 px.
    let label_w = (w * 0.27).min(260.0 * scale);
    let xs = [label_w, (w - node_w) / 2.0, w - label_w - node_w];
    let count = |c: usize| spec.nodes.iter().filter(|n| n.column == c).count();
    let most = (0..3).map(count).max().unwrap_or(1).max(1);
    let usable = (h - 2.0 * pad - gap * (most as f64 - 1.0)).max(10.0);
    let total = spec.nodes.iter().filter(|n| n.column == 0).map(|n| n.usd_b).sum::<f64>().max(1e-12);
    let per_usd = usable / total;
    // Each column centred vertically.
    let mut y_next = [0.0; 3];
    for (c, y) in y_next.iter_mut().enumerate() {
        let height: f64 = spec.nodes.iter().filter(|n| n.column == c).map(|n| n.usd_b * per_usd).sum::<f64>()
            + gap * (count(c).max(1) as f64 - 1.0);
        *y = (h - height) / 2.0;
    }
    for n in &spec.nodes {
        let height = (n.usd_b * per_usd).max(1.0);
        let y = y_next[n.column];
        hits.nodes.push((xs[n.column], y, node_w, height));
        y_next[n.column] = y + height + gap;
    }
    // Bands: leaving each node from its top down, reaching each node from its top down, in
    // link order (by the node they leave, then the node they reach).
    let mut out_y: Vec<f64> = hits.nodes.iter().map(|n| n.1).collect();
    let mut in_y = out_y.clone();
    for l in &spec.links {
        let (Some(&(fx, _, fw, _)), Some(&(tx, _, _, _))) = (hits.nodes.get(l.from), hits.nodes.get(l.to))
        else {
            continue;
        };
        let width = l.usd_b * per_usd;
        let band = Band { x0: fx + fw, x1: tx, top0: out_y[l.from], top1: in_y[l.to], width };
        out_y[l.from] += width;
        in_y[l.to] += width;
        hits.bands.push(band);
        let steps = 32;
        let xs_band: Vec<f64> =
            (0..=steps).map(|i| band.x0 + (band.x1 - band.x0) * f64::from(i) / f64::from(steps)).collect();
        let mut points: Vec<(i32, i32)> = xs_band.iter().map(|&x| pixel((x, band.top_at(x)))).collect();
        points.extend(xs_band.iter().rev().map(|&x| pixel((x, band.top_at(x) + width.max(1.0)))));
        root.draw(&Polygon::new(points, l.colour.mix(0.45).filled())).map_err(err)?;
    }
    for (n, &(x, y, nw, nh)) in spec.nodes.iter().zip(&hits.nodes) {
        root.draw(&Rectangle::new([pixel((x, y)), pixel((x + nw, y + nh))], n.colour.filled()))
            .map_err(err)?;
        let value = format!("{} ({})", n.label, i18n::value(n.usd_b));
        let (at, pos) = match n.column {
            0 => ((x - 5.0 * scale, y + nh / 2.0), Pos::new(HPos::Right, VPos::Center)),
            2 => ((x + nw + 5.0 * scale, y + nh / 2.0), Pos::new(HPos::Left, VPos::Center)),
            _ => ((x + nw / 2.0, y - 3.0 * scale), Pos::new(HPos::Center, VPos::Bottom)),
        };
        // A name too long for its side is cut, with an ellipsis (the read-out and table have it whole).
        let room = label_w - 10.0 * scale;
        let size = 11.0 * scale;
        let text = if n.column != 1 && crate::chart::text_width(&value, size) > room {
            let mut cut: String = value.chars().collect();
            while !cut.is_empty() && crate::chart::text_width(&cut, size) > room - size {
                cut.pop();
            }
            format!("{cut}…")
        } else {
            value
        };
        root.draw_text(&text, &font(11.0).pos(pos), pixel(at)).map_err(err)?;
    }
    root.present().map_err(err)?;
    Ok(hits)
}

/// The read-out of what is under the pointer.
pub fn readout(spec: &FlowSpec, hit: Hit) -> Vec<String> {
    let share = |v: f64| i18n::num(100.0 * v / spec.total_usd_b.max(1e-12), 0);
    match hit {
        Hit::Node(i) => spec
            .nodes
            .get(i)
            .map(|n| {
                vec![
                    n.label.clone(),
                    tf(k::FLOWS_READOUT, &[("value", &i18n::value(n.usd_b)), ("share", &share(n.usd_b))]),
                ]
            })
            .unwrap_or_default(),
        Hit::Link(i) => spec
            .links
            .get(i)
            .map(|l| {
                let name = |j: usize| spec.nodes.get(j).map_or("", |n| n.label.as_str());
                vec![
                    format!("{} → {}", name(l.from), name(l.to)),
                    tf(k::FLOWS_READOUT, &[("value", &i18n::value(l.usd_b)), ("share", &share(l.usd_b))]),
                ]
            })
            .unwrap_or_default(),
    }
}

/// The links largest first (then in the diagram's order): the order the arrow keys step through.
pub fn key_order(spec: &FlowSpec) -> Vec<usize> {
    let mut order: Vec<usize> = (0..spec.links.len()).collect();
    order.sort_by(|&a, &b| spec.links[b].usd_b.total_cmp(&spec.links[a].usd_b).then(a.cmp(&b)));
    order
}

/// What the arrow keys announce for the `n`th link in [`key_order`] (from 0).
pub fn readout_said(spec: &FlowSpec, n: usize) -> String {
    let Some(&i) = key_order(spec).get(n) else { return String::new() };
    let lines = readout(spec, Hit::Link(i));
    let (n, count) = ((n + 1).to_string(), spec.links.len().to_string());
    tf(k::FLOWS_SAID, &[("what", &lines.join(": ")), ("n", &n), ("count", &count)])
}

/// The diagram's data: every flow in full, largest first, and the total.
pub fn table(spec: &FlowSpec) -> Table {
    let headers = vec![
        t(k::FLOWS_TABLE_FROM).to_string(),
        t(k::FLOWS_TABLE_REASON).to_string(),
        t(k::FLOWS_TABLE_TO).to_string(),
        t(k::FLOWS_TABLE_USD).to_string(),
    ];
    let mut rows: Vec<Vec<String>> = spec
        .rows
        .iter()
        .map(|r| vec![r.from.clone(), r.reason.clone(), r.to.clone(), i18n::value(r.usd_b)])
        .collect();
    rows.push(vec![t(k::SERIES_TOTAL).into(), String::new(), String::new(), i18n::value(spec.total_usd_b)]);
    rows.push(vec![
        tf(k::TABLE_BASELINE, &[("label", t(k::SERIES_TOTAL))]),
        String::new(),
        String::new(),
        i18n::value(spec.baseline_usd_b),
    ]);
    Table { headers, rows }
}

/// The diagram in a few sentences.
pub fn summary(spec: &FlowSpec) -> String {
    if let Some(empty) = &spec.empty {
        return tf(k::FLOWS_SUMMARY_EMPTY, &[("title", &spec.title), ("sentence", empty)]);
    }
    let list: Vec<String> = spec
        .rows
        .iter()
        .take(3)
        .map(|r| {
            tf(k::FLOWS_SUMMARY_ROW, &[("from", &r.from), ("to", &r.to), ("value", &i18n::value(r.usd_b))])
        })
        .collect();
    tf(
        k::FLOWS_SUMMARY,
        &[("title", &spec.title), ("unit", &spec.unit), ("list", &list.join(t(k::SUMMARY_LIST_JOIN)))],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_band_is_found_along_its_curve() {
        let b = Band { x0: 0.0, x1: 100.0, top0: 0.0, top1: 50.0, width: 10.0 };
        assert_eq!(b.top_at(0.0), 0.0);
        assert_eq!(b.top_at(100.0), 50.0);
        assert_eq!(b.top_at(50.0), 25.0);
        assert!(b.contains(50.0, 30.0));
        assert!(!b.contains(50.0, 40.0));
        assert!(!b.contains(150.0, 50.0));
    }

    #[test]
    fn the_world_draws_bands_that_carry_its_redirected_and_unmet_money() {
        let s = atlas_core::scenario::base("world").unwrap();
        let r = atlas_core::simulate(&s).unwrap();
        let spec = spec(&s, &r, &r, None);
        assert!(spec.empty.is_none());
        let expected = r.summary.redirected_usd_b_total + r.summary.unmet_usd_b_total;
        assert!((spec.total_usd_b - expected).abs() < 1e-9 * expected);
        let theme = Theme {
            background: RGBColor(255, 255, 255),
            text: RGBColor(0, 0, 0),
            grid: RGBColor(200, 200, 200),
        };
        let mut svg = String::new();
        let hits = draw(SVGBackend::with_string(&mut svg, (900, 360)), &spec, &theme, 1.0).unwrap();
        assert_eq!(hits.bands.len(), spec.links.len());
        // The bands leaving the first column are as thick, together, as the bands reaching the last.
        let left: f64 = spec
            .links
            .iter()
            .zip(&hits.bands)
            .filter(|(l, _)| spec.nodes[l.from].column == 0)
            .map(|(_, b)| b.width)
            .sum();
        let right: f64 = spec
            .links
            .iter()
            .zip(&hits.bands)
            .filter(|(l, _)| spec.nodes[l.to].column == 2)
            .map(|(_, b)| b.width)
            .sum();
        assert!((left - right).abs() < 1e-6 * left.max(1.0));
        // The table's flows add up to the total.
        let sum: f64 = spec.rows.iter().map(|r| r.usd_b).sum();
        assert!((sum - spec.total_usd_b).abs() < 1e-9 * sum.max(1.0));
    }

    #[test]
    fn with_nothing_redirected_it_says_so() {
        let s = Scenario::default();
        let r = atlas_core::simulate(&s).unwrap();
        let spec = spec(&s, &r, &r, None);
        assert_eq!(spec.empty.as_deref(), Some(t(k::REDIRECT_NONE)));
        assert_eq!(spec.total_usd_b, 0.0);
    }
}
