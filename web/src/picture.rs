//! What a chart panel shows, whatever kind of picture it is: a time series ([`crate::chart`]),
//! the map ([`crate::map`]) or the flow diagram of redirected money ([`crate::sankey`]). The panel's common parts — title and unit line, legend, summary
//! for screen readers, Table view, hover and keyboard read-outs, PNG/SVG downloads, embeds and
//! share images — ask the [`Picture`] rather than knowing its kind, so a new chart is a new
//! variant here and a module that draws it, not a copy of the panel.

use atlas_core::Quarter;
use plotters::prelude::*;

use crate::chart::{self, ChartSpec, Geometry, Theme};
use crate::chart_text::{self, Table};
use crate::i18n::{k, t, tf};
use crate::map::{self, MapHits, MapSpec};
use crate::sankey::{self, FlowHits, FlowSpec};

/// One panel's picture.
#[derive(Clone, Debug)]
pub enum Picture {
    /// Series over the quarters.
    Series(ChartSpec),
    /// The map in one quarter.
    Map(MapSpec),
    /// Where redirected money went.
    Flows(FlowSpec),
}

/// Where a drawn picture's parts landed, in device pixels, for the read-outs.
#[derive(Clone, Debug, PartialEq)]
pub enum Hits {
    /// The series' plotting area.
    Series(Geometry),
    /// The map's circles.
    Map(MapHits),
    /// The flow diagram's nodes and bands.
    Flows(FlowHits),
}

/// How a legend item is marked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Swatch {
    /// A filled square.
    Fill,
    /// A dashed line (the baseline of a series chart).
    Dash,
    /// An open ring (the baseline on the map).
    Ring,
}

/// One legend item.
#[derive(Clone, Debug, PartialEq)]
pub struct LegendItem {
    /// Its words.
    pub label: String,
    /// Its colour (`None`: the text colour).
    pub colour: Option<RGBColor>,
    /// How it is marked.
    pub swatch: Swatch,
}

impl Picture {
    /// The title above it.
    pub fn title(&self) -> &str {
        match self {
            Picture::Series(s) => &s.title,
            Picture::Map(m) => &m.title,
            Picture::Flows(f) => &f.title,
        }
    }

    /// The line under the title: the unit, or what the marks mean.
    pub fn unit(&self) -> &str {
        match self {
            Picture::Series(s) => &s.unit,
            Picture::Map(m) => &m.unit,
            Picture::Flows(f) => &f.unit,
        }
    }

    /// Draws it on `backend`; `scale` is the device-pixel ratio.
    pub fn draw<DB: DrawingBackend>(&self, backend: DB, theme: &Theme, scale: f64) -> Result<Hits, String> {
        match self {
            Picture::Series(s) => chart::draw(backend, s, theme, scale).map(Hits::Series),
            Picture::Map(m) => map::draw(backend, m, theme, scale).map(Hits::Map),
            Picture::Flows(f) => sankey::draw(backend, f, theme, scale).map(Hits::Flows),
        }
    }

    /// What an undrawn picture's hits are (a canvas with no size).
    pub fn no_hits(&self) -> Hits {
        match self {
            Picture::Series(_) => Hits::Series(Geometry::default()),
            Picture::Map(_) => Hits::Map(MapHits::default()),
            Picture::Flows(_) => Hits::Flows(FlowHits::default()),
        }
    }

    /// The legend.
    pub fn legend(&self) -> Vec<LegendItem> {
        let fill = |label: &str, c: RGBColor| LegendItem {
            label: label.into(),
            colour: Some(c),
            swatch: Swatch::Fill,
        };
        match self {
            Picture::Series(s) => {
                let mut items: Vec<LegendItem> = s.layers.iter().map(|l| fill(&l.label, l.colour)).collect();
                if !s.baseline.is_empty() {
                    items.push(LegendItem {
                        label: t(k::CHART_BASELINE).into(),
                        colour: None,
                        swatch: Swatch::Dash,
                    });
                }
                items
            }
            Picture::Map(m) => {
                let mut items: Vec<LegendItem> = m.legend.iter().map(|(l, c)| fill(l, *c)).collect();
                items.push(LegendItem {
                    label: t(k::MAP_BASELINE_RING).into(),
                    colour: None,
                    swatch: Swatch::Ring,
                });
                items
            }
            Picture::Flows(f) => f.legend.iter().map(|(l, c)| fill(l, *c)).collect(),
        }
    }

    /// The picture in a few sentences (the canvas's description).
    pub fn summary(&self, quarters: &[Quarter]) -> String {
        match self {
            Picture::Series(s) => chart_text::summary(s, quarters),
            Picture::Map(m) => map::summary(m),
            Picture::Flows(f) => sankey::summary(f),
        }
    }

    /// Its data, for the Table view.
    pub fn table(&self, quarters: &[Quarter]) -> Table {
        match self {
            Picture::Series(s) => chart_text::table(s, quarters),
            Picture::Map(m) => map::table(m),
            Picture::Flows(f) => sankey::table(f),
        }
    }

    /// The hover read-out at device pixel `(x, y)`, if something is there.
    pub fn hover(
        &self,
        hits: &Hits,
        x: f64,
        y: f64,
        scale: f64,
        quarters: &[Quarter],
    ) -> Option<Vec<String>> {
        match (self, hits) {
            (Picture::Series(s), Hits::Series(g)) => {
                let q = g.quarter_at(x, &s.x)?;
                Some(chart_text::readout_lines(s, q, quarters))
            }
            (Picture::Map(m), Hits::Map(h)) => h.at(x, y, 6.0 * scale).map(|i| map::readout(m, i)),
            (Picture::Flows(f), Hits::Flows(h)) => h.at(x, y, 3.0 * scale).map(|hit| sankey::readout(f, hit)),
            _ => None,
        }
    }

    /// The figure a share image leads with: its words and the value with its unit. A series
    /// chart's main figure (its total, or its first line) in the last quarter; the map's largest
    /// region; the money the flow diagram moved.
    pub fn key_figure(&self, quarters: &[Quarter]) -> (String, String) {
        match self {
            Picture::Series(s) => {
                let q = s.x.len().saturating_sub(1);
                let when = quarters.get(q).map(|q| q.to_string()).unwrap_or_default();
                let value = chart_text::main_value(s, q).unwrap_or(0.0);
                (
                    tf(k::SHARE_TOTAL_IN, &[("quarter", &when)]),
                    format!("{} {}", crate::i18n::headline(value), s.unit),
                )
            }
            Picture::Map(m) => match map::key_order(m).first().and_then(|&i| m.marks.get(i)) {
                Some(mark) => (
                    format!("{}, {}", mark.name, m.quarter),
                    format!("{} {}", crate::i18n::headline(mark.value), m.figure.1),
                ),
                None => (m.quarter.to_string(), format!("0 {}", m.figure.1)),
            },
            Picture::Flows(f) => (
                t(k::FLOWS_KEY).to_string(),
                tf(k::FLOWS_KEY_VALUE, &[("value", &crate::i18n::value(f.total_usd_b))]),
            ),
        }
    }

    /// How far the arrow keys go: columns (Left, Right, Home, End) and rows (Up, Down).
    pub fn keys(&self) -> (usize, usize) {
        match self {
            Picture::Series(s) => (s.x.len(), chart_text::series_count(s)),
            Picture::Map(m) => (map::key_order(m).len(), 1),
            Picture::Flows(f) => (f.links.len(), 1),
        }
    }

    /// Where the keys start: the last quarter's first series; the largest mark.
    pub fn key_start(&self) -> (usize, usize) {
        match self {
            Picture::Series(s) => (s.x.len().saturating_sub(1), 0),
            Picture::Map(_) | Picture::Flows(_) => (0, 0),
        }
    }

    /// The read-out at key position `(col, row)`, the chosen line marked ▸.
    pub fn key_lines(&self, (col, row): (usize, usize), quarters: &[Quarter]) -> Vec<String> {
        match self {
            Picture::Series(s) => {
                let name = s.layers.get(row).map_or(t(k::SERIES_TOTAL), |l| l.label.as_str());
                let selected = tf(k::READOUT_VALUE, &[("label", name), ("value", "")]);
                chart_text::readout_lines(s, col, quarters)
                    .into_iter()
                    .map(|line| if line.starts_with(&selected) { format!("▸ {line}") } else { line })
                    .collect()
            }
            Picture::Map(m) => {
                let order = map::key_order(m);
                let Some(&i) = order.get(col) else { return Vec::new() };
                let mut lines = map::readout(m, i);
                if let Some(name) = lines.get_mut(1) {
                    *name = format!("▸ {name}");
                }
                lines
            }
            Picture::Flows(f) => {
                let Some(&i) = sankey::key_order(f).get(col) else { return Vec::new() };
                let mut lines = sankey::readout(f, sankey::Hit::Link(i));
                if let Some(name) = lines.first_mut() {
                    *name = format!("▸ {name}");
                }
                lines
            }
        }
    }

    /// What the keys announce at `(col, row)`.
    pub fn key_said(&self, (col, row): (usize, usize), quarters: &[Quarter]) -> String {
        match self {
            Picture::Series(s) => chart_text::readout_one(s, col, row, quarters),
            Picture::Map(m) => {
                let order = map::key_order(m);
                order.get(col).map_or_else(String::new, |&i| map::readout_said(m, i, col + 1, order.len()))
            }
            Picture::Flows(f) => sankey::readout_said(f, col),
        }
    }

    /// Where the read-out of `(col, row)` stands, in device pixels.
    pub fn key_anchor(&self, hits: &Hits, (col, _): (usize, usize)) -> Option<(f64, f64)> {
        match (self, hits) {
            (Picture::Series(s), Hits::Series(g)) => {
                let x = *s.x.get(col)?;
                Some((g.pixel_x(x), f64::from(g.y_px.start)))
            }
            (Picture::Map(m), Hits::Map(h)) => {
                let &i = map::key_order(m).get(col)?;
                h.circles.get(i).map(|&(x, y, r)| (x + r, y))
            }
            (Picture::Flows(f), Hits::Flows(h)) => {
                let &i = sankey::key_order(f).get(col)?;
                h.bands.get(i).map(|b| ((b.x0 + b.x1) / 2.0, b.top_at((b.x0 + b.x1) / 2.0)))
            }
            _ => None,
        }
    }
}
