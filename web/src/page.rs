//! The output side of the page: KPI cards with their baseline deltas, chart panels (canvas sized
//! from its CSS box × devicePixelRatio, legend, hover read-out), and the sources table.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use atlas_core::{KpiId, Results};
use plotters::style::RGBColor;
use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlButtonElement, HtmlCanvasElement, HtmlElement};

use crate::chart::{self, ChartSpec, Geometry, Theme};
use crate::chart_text;
use crate::deals::DealsView;
use crate::dom;
use crate::i18n::{self, k, t, tf};
use crate::views::{CARDS, CHARTS, ChartId, card_label};
use plotters_canvas::CanvasBackend;

/// The class of a difference for colouring: `better` or `worse` news, or `""` for a change that
/// is neither (capital spent) or no change at all.
pub fn news_class(diff: f64, higher_is_better: Option<bool>) -> &'static str {
    match higher_is_better {
        _ if diff == 0.0 => "",
        Some(higher) if (diff > 0.0) == higher => "better",
        Some(_) => "worse",
        None => "",
    }
}

/// One KPI card's elements.
struct CardView {
    value: Element,
    unit: Element,
    /// The P5–P95 range of the uncertainty bands.
    range: Element,
    delta: Element,
    /// Why it moved: the provider, region or chip whose part changed most.
    why: Element,
}

/// One chart panel.
pub struct ChartView {
    /// Which chart.
    pub id: ChartId,
    canvas: HtmlCanvasElement,
    title: Element,
    unit: Element,
    legend: Element,
    legend_key: RefCell<String>,
    /// Device-pixel ratio the canvas was sized for.
    ratio: Cell<f64>,
    /// The last drawn specification and geometry, for the hover read-out.
    pub drawn: RefCell<Option<(ChartSpec, Geometry)>>,
    /// The chart in words (visually hidden; the canvas's description).
    summary: Element,
    /// The Chart/Table switch.
    pub table_button: HtmlButtonElement,
    /// The Table view (hidden while the chart shows).
    table: HtmlElement,
    /// Where the keyboard's read-out stands: quarter and series, once an arrow key was pressed.
    pub key: Cell<Option<(usize, usize)>>,
}

impl ChartView {
    /// Shows the chart as a table (`true`) or as a picture; the table is filled from what was
    /// drawn last, and follows every later draw while it shows.
    pub fn show_table(&self, on: bool, quarters: &[atlas_core::Quarter]) -> Result<(), JsValue> {
        self.table.set_hidden(!on);
        let canvas: &HtmlElement = self.canvas.as_ref();
        canvas.set_hidden(on);
        self.table_button.set_attribute("aria-pressed", if on { "true" } else { "false" })?;
        self.table_button.set_text_content(Some(t(if on { k::CHART_CHART } else { k::CHART_TABLE })));
        let title = self.id.title();
        let label = tf(if on { k::CHART_VIEW_AS_CHART } else { k::CHART_VIEW_AS_TABLE }, &[("title", title)]);
        self.table_button.set_attribute("aria-label", &label)?;
        if on && let Some((spec, _)) = self.drawn.borrow().as_ref() {
            self.fill_table(&chart_text::table(spec, quarters))?;
        }
        Ok(())
    }

    fn fill_table(&self, data: &chart_text::Table) -> Result<(), JsValue> {
        let table: Element = dom::create("table", "")?;
        let caption = dom::create_text(
            "caption",
            "visually-hidden",
            &tf(k::CHART_VIEW_DATA, &[("title", self.id.title())]),
        )?;
        table.append_child(&caption)?;
        let head: Element = dom::create("tr", "")?;
        for h in &data.headers {
            dom::add_text(&head, "th", "", h)?.set_attribute("scope", "col")?;
        }
        table.append_child(&head)?;
        for row in &data.rows {
            let tr: Element = dom::create("tr", "")?;
            for (i, cell) in row.iter().enumerate() {
                if i == 0 {
                    dom::add_text(&tr, "th", "", cell)?.set_attribute("scope", "row")?;
                } else {
                    dom::add_text(&tr, "td", "num", cell)?;
                }
            }
            table.append_child(&tr)?;
        }
        self.table.set_text_content(None);
        self.table.append_child(&table)?;
        Ok(())
    }

    /// Where quarter `q` sits on the canvas, in CSS pixels from its left edge.
    pub fn quarter_x(&self, q: usize) -> Option<f64> {
        let drawn = self.drawn.borrow();
        let (spec, g) = drawn.as_ref()?;
        let x = *spec.x.get(q)?;
        let (x0, x1) = (f64::from(g.x_px.start), f64::from(g.x_px.end));
        let span = g.x_range.1 - g.x_range.0;
        (span > 0.0).then(|| (x0 + (x - g.x_range.0) / span * (x1 - x0)) / self.ratio.get())
    }
}

/// The "where capacity sits" panel: family × group table and the largest redirections.
struct WhereView {
    cells: Vec<Element>,
    flows: Element,
}

/// The output elements.
pub struct Outputs {
    cards: Vec<CardView>,
    place: WhereView,
    /// Chart panels, in [`CHARTS`] order.
    pub charts: Vec<Rc<ChartView>>,
    /// The capacity chart's provider/region switch.
    pub switch: [HtmlButtonElement; 2],
    /// The deals panel.
    deals: DealsView,
    /// The polite status region: where the scenario stands after a change comes to rest.
    status: Option<web_sys::HtmlElement>,
}

impl Outputs {
    /// Builds the cards and chart panels.
    pub fn build() -> Result<Outputs, JsValue> {
        let kpis: Element = dom::by_id("kpis")?;
        let mut cards = Vec::new();
        for card in CARDS {
            let el: Element = dom::create("div", "kpi")?;
            el.set_attribute("data-kpi", card.as_str())?;
            let label = dom::create_text("div", "kpi-label", card_label(card))?;
            let line: Element = dom::create("div", "")?;
            let value = dom::create_text("span", "kpi-value", "–")?;
            let unit = dom::create_text("span", "kpi-unit", "")?;
            dom::append(&line, &[&value, &unit])?;
            let range = dom::create_text("div", "kpi-range", "")?;
            let delta = dom::create_text("div", "kpi-delta", "")?;
            let why = dom::create_text("div", "kpi-why", "")?;
            dom::append(&el, &[&label, &line, &range, &delta, &why])?;
            kpis.append_child(&el)?;
            cards.push(CardView { value, unit, range, delta, why });
        }

        let charts_root: Element = dom::by_id("charts")?;
        let mut charts = Vec::new();
        let mut switch = None;
        for id in CHARTS {
            let title = id.title();
            let panel: Element = dom::create("figure", "chart")?;
            panel.set_id(&format!("panel-{id}"));
            let head: Element = dom::create("div", "chart-head")?;
            let h = dom::create_text("h3", "", title)?;
            h.set_id(&format!("title-{id}"));
            head.append_child(&h)?;
            if id == ChartId::Capacity {
                let group: Element = dom::create("div", "chart-switch")?;
                group.set_attribute("role", "group")?;
                group.set_attribute("aria-label", t(k::CHART_BREAK_DOWN))?;
                let by_provider: HtmlButtonElement = dom::create("button", "")?;
                by_provider.set_type("button");
                by_provider.set_id("capacity-by-provider");
                by_provider.set_text_content(Some(t(k::CHART_BY_PROVIDER)));
                by_provider.set_attribute("aria-pressed", "true")?;
                let by_region: HtmlButtonElement = dom::create("button", "")?;
                by_region.set_type("button");
                by_region.set_id("capacity-by-region");
                by_region.set_text_content(Some(t(k::CHART_BY_REGION)));
                by_region.set_attribute("aria-pressed", "false")?;
                dom::append(&group, &[&by_provider, &by_region])?;
                head.append_child(&group)?;
                switch = Some([by_provider, by_region]);
            }
            let table_button: HtmlButtonElement = dom::create("button", "secondary table-switch")?;
            table_button.set_type("button");
            table_button.set_id(&format!("table-{id}"));
            table_button.set_text_content(Some(t(k::CHART_TABLE)));
            table_button.set_attribute("aria-pressed", "false")?;
            table_button.set_attribute("aria-label", &tf(k::CHART_VIEW_AS_TABLE, &[("title", title)]))?;
            head.append_child(&table_button)?;
            let unit = dom::create_text("div", "chart-unit", "")?;
            let canvas: HtmlCanvasElement = dom::create("canvas", "")?;
            canvas.set_id(&format!("chart-{id}"));
            canvas.set_attribute("role", "img")?;
            canvas.set_attribute("aria-labelledby", &format!("title-{id}"))?;
            canvas.set_attribute("aria-describedby", &format!("summary-{id}"))?;
            // Focusable: the arrow keys move the read-out (see the app's read-out listeners).
            canvas.set_attribute("tabindex", "0")?;
            let summary = dom::create_text("p", "visually-hidden", "")?;
            summary.set_id(&format!("summary-{id}"));
            let table: HtmlElement = dom::create("div", "chart-table")?;
            table.set_id(&format!("data-{id}"));
            table.set_attribute("tabindex", "0")?;
            table.set_attribute("role", "region")?;
            table.set_attribute("aria-label", &tf(k::CHART_VIEW_DATA, &[("title", title)]))?;
            table.set_hidden(true);
            let legend: Element = dom::create("figcaption", "legend")?;
            let saves: Element = dom::create("div", "chart-saves")?;
            for format in ["png", "svg"] {
                let button = dom::add_text(&saves, "button", "link-button", &format.to_uppercase())?;
                button.set_attribute("type", "button")?;
                button.set_attribute("data-save", format)?;
                button.set_attribute("data-chart", id.id())?;
                button.set_attribute(
                    "aria-label",
                    &tf(k::CHART_DOWNLOAD, &[("title", title), ("format", &format.to_uppercase())]),
                )?;
            }
            dom::append(&panel, &[&head, &unit, &canvas, &summary, &table, &legend, &saves])?;
            charts_root.append_child(&panel)?;
            charts.push(Rc::new(ChartView {
                id,
                canvas,
                title: h,
                unit,
                legend,
                legend_key: RefCell::new(String::new()),
                ratio: Cell::new(1.0),
                drawn: RefCell::new(None),
                summary,
                table_button,
                table,
                key: Cell::new(None),
            }));
        }
        let switch = switch.ok_or_else(|| JsValue::from_str("capacity switch missing"))?;
        let place = build_where(&charts_root)?;
        let deals = DealsView::build(&charts_root)?;
        let status = dom::element("announce");
        Ok(Outputs { cards, place, charts, switch, deals, status })
    }

    /// Says `text` in the polite status region.
    pub fn announce(&self, text: &str) {
        if let Some(status) = &self.status {
            dom::set_text(status, text);
        }
    }

    /// Updates every card from the current and baseline results (`s` names the entities in the
    /// "why did it move" line).
    pub fn update_cards(&self, s: &atlas_core::Scenario, current: &Results, baseline: &Results) {
        let now = current.summary.kpis();
        let base = baseline.summary.kpis();
        for (&card, view) in CARDS.iter().zip(&self.cards) {
            let (Some(k), Some(b)) = (now.iter().find(|k| k.id == card), base.iter().find(|k| k.id == card))
            else {
                continue;
            };
            dom::set_text(&view.value, &headline(k.value));
            dom::set_text(&view.unit, i18n::kpi_unit(card));
            let diff = k.value - b.value;
            let scale = k.value.abs().max(b.value.abs()).max(1e-12);
            let same = diff.abs() <= 1e-9 * scale || headline(diff.abs()) == headline(0.0);
            let (text, class) = if same {
                (t(k::CARD_SAME).to_string(), "kpi-delta")
            } else {
                let sign = if diff > 0.0 { "+" } else { "−" };
                let change = format!("{sign}{}", i18n::value(diff.abs()));
                let text = if b.value.abs() > 1e-12 {
                    let pct = format!("{:+.1}", 100.0 * diff / b.value);
                    tf(
                        k::CARD_DELTA_PCT,
                        &[
                            ("change", &change),
                            ("pct", &i18n::localise(&pct)),
                            ("base", &i18n::value(b.value)),
                        ],
                    )
                } else {
                    tf(k::CARD_DELTA, &[("change", &change), ("base", &i18n::value(b.value))])
                };
                let class = match news_class(diff, k.higher_is_better) {
                    "better" => "kpi-delta better",
                    "worse" => "kpi-delta worse",
                    _ => "kpi-delta",
                };
                (text, class)
            };
            dom::set_text(&view.delta, &text);
            if view.delta.class_name() != class {
                view.delta.set_class_name(class);
            }
            let why = match atlas_core::compare::largest_mover(card, current, baseline) {
                Some(m) if !same => {
                    let sign = if m.change > 0.0 { "+" } else { "−" };
                    let name = i18n::entity(s, m.dimension, &m.id);
                    let change = format!("{sign}{}", i18n::value(m.change.abs()));
                    if m.total_change.abs() > 0.0 && m.change.signum() == m.total_change.signum() {
                        let share = i18n::num(100.0 * (m.change / m.total_change).min(1.0), 0);
                        tf(k::CARD_MOVED_SHARE, &[("name", &name), ("change", &change), ("share", &share)])
                    } else {
                        tf(k::CARD_MOVED, &[("name", &name), ("change", &change)])
                    }
                }
                _ => String::new(),
            };
            if view.why.text_content().unwrap_or_default() != why {
                dom::set_text(&view.why, &why);
            }
        }
    }

    /// Shows each card's P5–P95 range from `bands` (empty without bands; faded while `stale`, that
    /// is while the bands of a newer scenario are being worked out).
    pub fn update_ranges(&self, bands: Option<&atlas_core::montecarlo::Bands>, stale: bool) {
        for (&card, view) in CARDS.iter().zip(&self.cards) {
            let text = bands.and_then(|b| b.kpi(card)).map_or(String::new(), |k| {
                if k.band.p5 == k.band.p95 {
                    t(k::CARD_NO_UNCERTAINTY).to_string()
                } else {
                    tf(k::CARD_RANGE, &[("low", &headline(k.band.p5)), ("high", &headline(k.band.p95))])
                }
            });
            dom::set_text(&view.range, &text);
            let class = if stale { "kpi-range stale" } else { "kpi-range" };
            if view.range.class_name() != class {
                view.range.set_class_name(class);
            }
        }
    }

    /// Updates the family × group table (end of the span) and the largest redirections.
    pub fn update_where(&self, s: &atlas_core::Scenario, current: &Results) {
        let q = current.quarters.len().saturating_sub(1);
        let table = atlas_core::results::h100e_by_family_and_group(current, s, q);
        for (cell, value) in self.place.cells.iter().zip(table.iter().flatten()) {
            dom::set_text(cell, &if *value > 0.0 { chart::compact(*value) } else { "0".to_string() });
        }
        let lines = redirect_lines(s, current);
        dom::set_text(&self.place.flows, &lines.join("\n"));
        if let Err(err) = self.deals.update(s, current) {
            dom::log_error("deals panel", &err);
        }
    }

    /// Sizes a chart's canvas to its CSS box × devicePixelRatio and draws `spec` on it.
    /// Measures every canvas's CSS box × devicePixelRatio and sizes its bitmap to match. Called at
    /// start and on resize only: reading layout during a slider drag would force a page layout
    /// on every frame.
    pub fn measure_charts(&self) -> Result<(), JsValue> {
        let ratio = dom::window()?.device_pixel_ratio().max(1.0);
        for view in &self.charts {
            let rect = view.canvas.get_bounding_client_rect();
            let (w, h) = ((rect.width() * ratio).round() as u32, (rect.height() * ratio).round() as u32);
            if view.canvas.width() != w || view.canvas.height() != h {
                view.canvas.set_width(w);
                view.canvas.set_height(h);
            }
            view.ratio.set(ratio);
        }
        Ok(())
    }

    /// Draws `spec` on a chart's canvas (sized by [`Outputs::measure_charts`]).
    pub fn draw_chart(
        &self,
        view: &ChartView,
        spec: ChartSpec,
        theme: &Theme,
        quarters: &[atlas_core::Quarter],
    ) -> Result<(), JsValue> {
        let ratio = view.ratio.get();
        // A canvas with no size (hidden behind its Table view) is not drawn; its words and its
        // table still follow.
        let geometry = if view.canvas.width() == 0 || view.canvas.height() == 0 {
            Geometry::default()
        } else {
            let backend = CanvasBackend::with_canvas_object(view.canvas.clone())
                .ok_or_else(|| JsValue::from_str("canvas has no 2D context"))?;
            chart::draw(backend, &spec, theme, ratio).map_err(|e| JsValue::from_str(&e))?
        };
        dom::set_text(&view.title, &spec.title);
        dom::set_text(&view.unit, &spec.unit);
        self.update_legend(view, &spec)?;
        let summary = chart_text::summary(&spec, quarters);
        if view.summary.text_content().unwrap_or_default() != summary {
            dom::set_text(&view.summary, &summary);
        }
        if !view.table.hidden() {
            view.fill_table(&chart_text::table(&spec, quarters))?;
        }
        *view.drawn.borrow_mut() = Some((spec, geometry));
        Ok(())
    }

    fn update_legend(&self, view: &ChartView, spec: &ChartSpec) -> Result<(), JsValue> {
        let hex = |c: RGBColor| format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2);
        let key: String = spec.layers.iter().map(|l| format!("{}{};", l.label, hex(l.colour))).collect();
        if *view.legend_key.borrow() == key {
            return Ok(());
        }
        view.legend.set_text_content(None);
        for layer in &spec.layers {
            let item: Element = dom::create("span", "")?;
            let swatch: HtmlElement = dom::create("i", "")?;
            swatch.style().set_property("background", &hex(layer.colour))?;
            item.append_child(&swatch)?;
            item.append_child(&dom::document()?.create_text_node(&layer.label))?;
            view.legend.append_child(&item)?;
        }
        if !spec.baseline.is_empty() {
            let item: Element = dom::create("span", "")?;
            let dash: Element = dom::create("i", "dash")?;
            item.append_child(&dash)?;
            item.append_child(&dom::document()?.create_text_node(t(k::CHART_BASELINE)))?;
            view.legend.append_child(&item)?;
        }
        *view.legend_key.borrow_mut() = key;
        Ok(())
    }
}

/// The largest redirections of capital in words (the core's [`RedirectSummary`], as the CLI's
/// `redirect_lines` words it in English).
///
/// [`RedirectSummary`]: atlas_core::export::RedirectSummary
fn redirect_lines(s: &atlas_core::Scenario, results: &Results) -> Vec<String> {
    use atlas_core::results::RedirectReason;
    use atlas_core::scenario::Dimension;
    let summary = atlas_core::export::redirect_summary(results, 4);
    let mut lines = vec![if summary.largest.is_empty() {
        t(k::REDIRECT_NONE).to_string()
    } else {
        tf(k::REDIRECT_TOTAL, &[("value", &i18n::value(summary.total_usd_b))])
    }];
    if summary.unmet_usd_b > 0.0 {
        lines.push(tf(k::REDIRECT_UNMET, &[("value", &i18n::value(summary.unmet_usd_b))]));
    }
    if summary.leaked_usd_b > 0.0 {
        lines.push(tf(k::REDIRECT_LEAKED, &[("value", &i18n::value(summary.leaked_usd_b))]));
    }
    for f in &summary.largest {
        let to = if f.to_provider.is_empty() {
            t(k::REDIRECT_UNSPENT).to_string()
        } else {
            format!(
                "{} · {} · {}",
                i18n::entity(s, Dimension::Provider, &f.to_provider),
                i18n::entity(s, Dimension::Region, &f.to_region),
                i18n::entity(s, Dimension::Accelerator, &f.to_accelerator)
            )
        };
        let reason = t(match f.reason {
            RedirectReason::Ban => k::REDIRECT_BAN,
            RedirectReason::Cap => k::REDIRECT_CAP,
            RedirectReason::PowerLimit => k::REDIRECT_POWER,
            RedirectReason::Unavailable => k::REDIRECT_UNAVAILABLE,
            RedirectReason::SupplyLimit => k::REDIRECT_SUPPLY,
            RedirectReason::Leakage => k::REDIRECT_LEAKAGE,
        });
        let from = format!(
            "{} · {}",
            i18n::entity(s, Dimension::Provider, &f.from_provider),
            i18n::entity(s, Dimension::Region, &f.from_region)
        );
        lines.push(tf(
            k::REDIRECT_MOVE,
            &[("value", &i18n::value(f.usd_b)), ("reason", reason), ("from", &from), ("to", &to)],
        ));
    }
    lines
}

/// Builds the "where capacity sits" panel after the charts.
fn build_where(parent: &Element) -> Result<WhereView, JsValue> {
    let panel: Element = dom::create("figure", "chart")?;
    panel.set_id("panel-where");
    let head: Element = dom::create("div", "chart-head")?;
    dom::add_text(&head, "h3", "", t(k::WHERE_TITLE))?;
    panel.append_child(&head)?;
    dom::add_text(&panel, "div", "chart-unit", t(k::WHERE_UNIT))?;
    let mut cells = Vec::new();
    let table = dom::family_group_table(
        "where",
        |g| (i18n::data_name("group", g.id(), g.label()), String::new()),
        |td, f, g| {
            td.set_class_name("num");
            td.set_attribute("data-capacity-family", f.id())?;
            td.set_attribute("data-capacity-group", g.id())?;
            cells.push(td.clone());
            Ok(())
        },
    )?;
    panel.append_child(&table)?;
    let flows = dom::add_text(&panel, "p", "flows", "")?;
    flows.set_id("redirect-flows");
    parent.append_child(&panel)?;
    Ok(WhereView { cells, flows })
}

/// The chart as an SVG document, drawn by plotters' SVG backend at the canvas's CSS size.
pub fn chart_svg(view: &ChartView, theme: &Theme) -> Option<String> {
    let drawn = view.drawn.borrow();
    let (spec, _) = drawn.as_ref()?;
    let ratio = view.ratio.get().max(1.0);
    let size =
        ((f64::from(view.canvas.width()) / ratio) as u32, (f64::from(view.canvas.height()) / ratio) as u32);
    let mut svg = String::new();
    {
        let backend = plotters::prelude::SVGBackend::with_string(&mut svg, size);
        chart::draw(backend, spec, theme, 1.0).ok()?;
    }
    // Title and unit, which the page shows as HTML, go into the file too.
    let title = format!("<title>{}</title>", escape_xml(&format!("{} ({})", spec.title, spec.unit)));
    Some(svg.replacen('>', &format!(">{title}"), 1))
}

/// The chart's canvas as a PNG data URL.
pub fn chart_png(view: &ChartView) -> Result<String, JsValue> {
    view.canvas.to_data_url_with_type("image/png")
}

fn escape_xml(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The hover read-out for pointer position `(x, y)` in CSS pixels relative to the canvas: the
/// quarter's value of every series by name, each with the baseline's beside it, the baseline's
/// series the current scenario lacks, and a stack's total. `None` outside the plotting area.
pub fn hover_text(view: &ChartView, x_css: f64, quarters: &[atlas_core::Quarter]) -> Option<String> {
    let ratio = view.ratio.get();
    let drawn = view.drawn.borrow();
    let (spec, geometry) = drawn.as_ref()?;
    let q = geometry.quarter_at(x_css * ratio, &spec.x)?;
    Some(readout_lines(spec, q, quarters).join("\n"))
}

/// The read-out's lines for quarter `q` of a chart.
pub fn readout_lines(spec: &ChartSpec, q: usize, quarters: &[atlas_core::Quarter]) -> Vec<String> {
    let mut lines = vec![quarters.get(q).map(|q| q.to_string()).unwrap_or_default()];
    let base_of = |label: &str| {
        spec.readout.iter().find(|l| l.label == label).and_then(|l| l.values.get(q)).filter(|v| v.is_finite())
    };
    let with_base = |label: &str, v: f64| match base_of(label) {
        Some(b) => tf(
            k::READOUT_WITH_BASE,
            &[("label", label), ("value", &i18n::value(v)), ("base", &i18n::value(*b))],
        ),
        None => tf(k::READOUT_VALUE, &[("label", label), ("value", &i18n::value(v))]),
    };
    for layer in &spec.layers {
        lines.push(with_base(&layer.label, layer.values.get(q).copied().unwrap_or(0.0)));
    }
    // Series only the baseline has (a provider the current scenario gives nothing).
    for l in &spec.readout {
        if !spec.layers.iter().any(|layer| layer.label == l.label)
            && l.values.get(q).is_some_and(|v| v.is_finite() && *v != 0.0)
        {
            lines.push(with_base(&l.label, 0.0));
        }
    }
    if spec.stacked && spec.layers.len() > 1 {
        let total: f64 = spec.layers.iter().filter_map(|l| l.values.get(q)).sum();
        let base = chart_text::baseline_total(spec).and_then(|g| g.values.get(q));
        let label = t(k::SERIES_TOTAL);
        match base.filter(|v| v.is_finite()) {
            Some(b) => lines.push(tf(
                k::READOUT_WITH_BASE,
                &[("label", label), ("value", &i18n::value(total)), ("base", &i18n::value(*b))],
            )),
            None => lines.push(tf(k::READOUT_VALUE, &[("label", label), ("value", &i18n::value(total))])),
        }
    }
    // A line chart's baseline that no series names (none today), as it is drawn.
    if spec.readout.is_empty() {
        for ghost in &spec.baseline {
            if let Some(v) = ghost.values.get(q).filter(|v| v.is_finite()) {
                lines.push(tf(k::READOUT_VALUE, &[("label", &ghost.label), ("value", &i18n::value(*v))]));
            }
        }
    }
    lines.push(format!("({})", spec.unit));
    lines
}

/// The headline figures a screen reader hears after a change: capacity, power, running cost and
/// carbon, the four the article's questions turn on.
pub const ANNOUNCED: [KpiId; 4] = [
    KpiId::H100eEnd,
    KpiId::FacilityPowerGwEndYear,
    KpiId::EnergyCostUsdBEndYear,
    KpiId::CarbonLocationMtEndYear,
];

/// One sentence on where the scenario now stands against the baseline, for the page's polite
/// status region (spoken once a change comes to rest, never on every step of a drag).
pub fn announcement(current: &atlas_core::Summary, baseline: &atlas_core::Summary) -> String {
    let parts: Vec<String> = ANNOUNCED
        .iter()
        .map(|&id| {
            let (now, then) = (current.value(id), baseline.value(id));
            let change = if headline(now) == headline(then) {
                t(k::ANNOUNCE_SAME).to_string()
            } else if then.abs() > 1e-12 {
                let pct = format!("{:+.1}", 100.0 * (now - then) / then.abs());
                tf(k::ANNOUNCE_PCT, &[("pct", &i18n::localise(&pct))])
            } else {
                tf(k::ANNOUNCE_BASE, &[("base", &headline(then))])
            };
            tf(
                k::ANNOUNCE_PART,
                &[
                    ("label", i18n::kpi_label(id)),
                    ("value", &headline(now)),
                    ("unit", i18n::kpi_unit(id)),
                    ("change", &change),
                ],
            )
        })
        .collect();
    tf(k::ANNOUNCE_ALL, &[("parts", &parts.join(t(k::ANNOUNCE_JOIN)))])
}

/// A headline number: millions and billions shortened (34.9 M), others with separators.
pub fn headline(v: f64) -> String {
    if v.abs() >= 1e9 {
        tf(k::NUM_BILLION, &[("v", &i18n::num(v / 1e9, 2))])
    } else if v.abs() >= 1e6 {
        tf(k::NUM_MILLION, &[("v", &i18n::num(v / 1e6, 1))])
    } else {
        i18n::value(v)
    }
}

/// Fills the sources table from the default data set (text only, never HTML).
pub fn build_sources() -> Result<(), JsValue> {
    let root: Element = dom::by_id("sources-table")?;
    let table: Element = dom::create("table", "")?;
    let head: Element = dom::create("tr", "")?;
    for h in [
        k::SOURCES_TABLE_FIGURE,
        k::SOURCES_TABLE_VALUE,
        k::SOURCES_TABLE_RANGE,
        k::SOURCES_TABLE_YEAR,
        k::SOURCES_TABLE_SOURCE,
    ] {
        let h = t(h);
        dom::add_text(&head, "th", "", h)?;
    }
    table.append_child(&head)?;
    for (path, f) in atlas_core::data::default_data().all_figures() {
        let row: Element = dom::create("tr", "")?;
        let value = dom::create_text("td", "num", &i18n::value(f.value))?;
        if f.estimate {
            dom::add_text(&value, "span", "estimate", &format!(" {}", t(k::PAGE_ESTIMATE)))?;
        }
        let range = match (f.low, f.high) {
            (Some(lo), Some(hi)) => format!("{} – {}", i18n::value(lo), i18n::value(hi)),
            _ => String::new(),
        };
        let source = dom::create_text("td", "", &f.source)?;
        if let Some(note) = &f.note {
            source.set_attribute("title", note)?;
        }
        dom::append(
            &row,
            &[
                &dom::create_text("td", "", &path)?,
                &value,
                &dom::create_text("td", "num", &range)?,
                &dom::create_text("td", "num", &f.year.to_string())?,
                &source,
            ],
        )?;
        table.append_child(&row)?;
    }
    root.append_child(&table)?;
    Ok(())
}
