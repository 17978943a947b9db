//! The output side of the page: KPI cards with their baseline deltas, chart panels (canvas sized
//! from its CSS box × devicePixelRatio, legend, hover read-out), and the sources table.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use atlas_core::{KpiId, Results};
use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlButtonElement, HtmlCanvasElement, HtmlElement};

use crate::chart::{self, Theme};
use crate::chart_text;
use crate::deals::DealsView;
use crate::dom;
use crate::i18n::{self, k, t, tf};
use crate::picture::{Hits, LegendItem, Picture, Swatch};
use crate::views::{CARDS, CHARTS, ChartId, card_label};
use plotters::prelude::IntoDrawingArea;
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
    /// The last drawn picture and where its parts landed, for the read-outs.
    pub drawn: RefCell<Option<(Picture, Hits)>>,
    /// The map's land, drawn once per size and theme (its key) and copied under each frame's marks.
    land: RefCell<Option<(String, HtmlCanvasElement)>>,
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
        if on && let Some((picture, _)) = self.drawn.borrow().as_ref() {
            self.fill_table(&picture.table(quarters))?;
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

    /// Where the keyboard's read-out at key position `at` stands on the canvas, in CSS pixels
    /// from its top left corner.
    pub fn key_anchor(&self, at: (usize, usize)) -> Option<(f64, f64)> {
        let drawn = self.drawn.borrow();
        let (picture, hits) = drawn.as_ref()?;
        let (x, y) = picture.key_anchor(hits, at)?;
        let ratio = self.ratio.get();
        Some((x / ratio, y / ratio))
    }
}

/// The "where capacity sits" panel: family × group table and the largest redirections.
struct WhereView {
    cells: Vec<Element>,
    flows: Element,
}

/// The map's own controls: what the circles and colours show, and the quarter with play/pause.
pub struct MapControls {
    /// What the circles' areas show.
    pub figure: web_sys::HtmlSelectElement,
    /// What the colours show.
    pub colour: web_sys::HtmlSelectElement,
    /// The quarter shown (an index into the current quarters).
    pub quarter: web_sys::HtmlInputElement,
    /// The quarter in words beside the slider.
    pub quarter_text: Element,
    /// Play / pause.
    pub play: HtmlButtonElement,
}

impl MapControls {
    /// Builds the map's controls: the selects into the panel's head, the quarter row after the
    /// canvas (returned to be placed).
    fn build(head: &Element) -> Result<(MapControls, Element), JsValue> {
        let select = |id: &str,
                      label: usize,
                      options: Vec<(&str, &str)>|
         -> Result<web_sys::HtmlSelectElement, JsValue> {
            let wrap = dom::create_text("label", "map-choice", t(label))?;
            let select: web_sys::HtmlSelectElement = dom::create("select", "")?;
            select.set_id(id);
            for (value, text) in options {
                let option = dom::add_text(&select, "option", "", text)?;
                option.set_attribute("value", value)?;
            }
            wrap.append_child(&select)?;
            head.append_child(&wrap)?;
            Ok(select)
        };
        use atlas_core::geography::{MapColour, MapFigure};
        let figure = select(
            "map-figure",
            k::MAP_SIZE_LABEL,
            MapFigure::ALL.iter().map(|&f| (f.id(), crate::map::figure_words(f).0)).collect(),
        )?;
        let colour = select(
            "map-colour",
            k::MAP_COLOUR_LABEL,
            MapColour::ALL
                .iter()
                .map(|&c| {
                    (
                        c.id(),
                        t(match c {
                            MapColour::Group => k::MAP_COLOUR_GROUP,
                            MapColour::Grid => k::MAP_COLOUR_GRID,
                        }),
                    )
                })
                .collect(),
        )?;
        let row: Element = dom::create("div", "map-time")?;
        let play: HtmlButtonElement = dom::create("button", "secondary")?;
        play.set_type("button");
        play.set_id("map-play");
        play.set_text_content(Some(t(k::MAP_PLAY)));
        // Its name is its text (Play, then Pause: an action, not a toggle's state); the title
        // says what it plays.
        play.set_title(t(k::MAP_PLAY_LABEL));
        let quarter: web_sys::HtmlInputElement = dom::create("input", "")?;
        quarter.set_type("range");
        quarter.set_id("map-quarter");
        quarter.set_min("0");
        quarter.set_step("1");
        quarter.set_attribute("aria-label", t(k::MAP_QUARTER))?;
        // Not an <output>: that is a live region, and a play-through would be announced every step
        // (the slider's own aria-valuetext says the quarter when it is focused).
        let quarter_text = dom::create_text("span", "map-quarter-text", "")?;
        quarter_text.set_attribute("aria-hidden", "true")?;
        dom::append(&row, &[&play, &quarter, &quarter_text])?;
        Ok((MapControls { figure, colour, quarter, quarter_text, play }, row))
    }

    /// Shows quarter `q` of `quarters` on the slider.
    pub fn show_quarter(&self, q: usize, quarters: &[atlas_core::Quarter]) {
        let last = quarters.len().saturating_sub(1);
        let q = q.min(last);
        let max = last.to_string();
        if self.quarter.max() != max {
            self.quarter.set_max(&max);
        }
        let value = q.to_string();
        if self.quarter.value() != value {
            self.quarter.set_value(&value);
        }
        let text = quarters.get(q).map(|q| q.to_string()).unwrap_or_default();
        let _ = self.quarter.set_attribute("aria-valuetext", &text);
        dom::set_text(&self.quarter_text, &text);
    }

    /// Shows whether the map is playing: the button offers what it will do.
    pub fn show_playing(&self, playing: bool) {
        self.play.set_text_content(Some(t(if playing { k::MAP_PAUSE } else { k::MAP_PLAY })));
        self.play.set_title(if playing { "" } else { t(k::MAP_PLAY_LABEL) });
    }

    /// Shows the figure and colouring the map draws (a link or Back may have chosen them).
    pub fn show_choices(
        &self,
        figure: atlas_core::geography::MapFigure,
        colour: atlas_core::geography::MapColour,
    ) {
        if self.figure.value() != figure.id() {
            self.figure.set_value(figure.id());
        }
        if self.colour.value() != colour.id() {
            self.colour.set_value(colour.id());
        }
    }
}

/// The flow diagram's year: the whole span or one of its years.
pub struct FlowsControls {
    /// The select.
    pub year: web_sys::HtmlSelectElement,
    /// The years it offers now (after "whole span").
    years: RefCell<Vec<i32>>,
}

impl FlowsControls {
    fn build(head: &Element) -> Result<FlowsControls, JsValue> {
        let wrap = dom::create_text("label", "map-choice", t(k::FLOWS_YEAR))?;
        let year: web_sys::HtmlSelectElement = dom::create("select", "")?;
        year.set_id("flows-year");
        let option = dom::add_text(&year, "option", "", t(k::FLOWS_SPAN))?;
        option.set_attribute("value", "")?;
        wrap.append_child(&year)?;
        head.append_child(&wrap)?;
        Ok(FlowsControls { year, years: RefCell::new(Vec::new()) })
    }

    /// Offers the years of `quarters` and shows `chosen` (`None`: the whole span).
    pub fn show(&self, quarters: &[atlas_core::Quarter], chosen: Option<i32>) {
        let mut years: Vec<i32> = quarters.iter().map(|q| q.year).collect();
        years.dedup();
        if *self.years.borrow() != years {
            while self.year.length() > 1 {
                self.year.remove_with_index(1);
            }
            for y in &years {
                if let Ok(option) = dom::add_text(&self.year, "option", "", &y.to_string()) {
                    let _ = option.set_attribute("value", &y.to_string());
                }
            }
            *self.years.borrow_mut() = years;
        }
        let value = chosen.map_or_else(String::new, |y| y.to_string());
        if self.year.value() != value {
            self.year.set_value(&value);
        }
    }
}

/// The output elements.
pub struct Outputs {
    cards: Vec<CardView>,
    place: WhereView,
    /// Chart panels, in [`CHARTS`] order.
    pub charts: Vec<Rc<ChartView>>,
    /// The capacity chart's provider/region switch.
    pub switch: [HtmlButtonElement; 2],
    /// The map's controls.
    pub map: MapControls,
    /// The flow diagram's year.
    pub flows: FlowsControls,
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
            el.set_id(&format!("card-{}", card.as_str()));
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
        let mut map = None;
        let mut flows = None;
        for id in CHARTS {
            let title = id.title();
            let panel: Element = dom::create(
                "figure",
                match id {
                    ChartId::Map => "chart wide map",
                    ChartId::Flows => "chart wide sankey",
                    _ => "chart",
                },
            )?;
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
            let mut after_canvas = None;
            if id == ChartId::Map {
                let (controls, row) = MapControls::build(&head)?;
                map = Some(controls);
                after_canvas = Some(row);
            }
            if id == ChartId::Flows {
                flows = Some(FlowsControls::build(&head)?);
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
            // Sharing: a picture for social posts, and the chart in another page.
            for (action, label, aria) in [
                ("share", k::CHART_SHARE, k::CHART_SHARE_LABEL),
                ("embed", k::CHART_EMBED, k::CHART_EMBED_LABEL),
            ] {
                let button = dom::add_text(&saves, "button", "link-button share-action", t(label))?;
                button.set_attribute("type", "button")?;
                button.set_attribute(&format!("data-{action}"), id.id())?;
                button.set_id(&format!("{action}-{id}"));
                button.set_attribute("aria-label", &tf(aria, &[("title", title)]))?;
            }
            dom::append(&panel, &[&head, &unit, &canvas])?;
            if let Some(row) = &after_canvas {
                panel.append_child(row)?;
            }
            dom::append(&panel, &[&summary, &table, &legend, &saves])?;
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
                land: RefCell::new(None),
                summary,
                table_button,
                table,
                key: Cell::new(None),
            }));
        }
        let switch = switch.ok_or_else(|| JsValue::from_str("capacity switch missing"))?;
        let map = map.ok_or_else(|| JsValue::from_str("map controls missing"))?;
        let flows = flows.ok_or_else(|| JsValue::from_str("flows controls missing"))?;
        let place = build_where(&charts_root)?;
        let deals = DealsView::build(&charts_root)?;
        let status = dom::element("announce");
        Ok(Outputs { cards, place, charts, switch, map, flows, deals, status })
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
            dom::set_text(&view.value, &i18n::headline(k.value));
            dom::set_text(&view.unit, i18n::kpi_unit(card));
            let diff = k.value - b.value;
            let scale = k.value.abs().max(b.value.abs()).max(1e-12);
            let same = diff.abs() <= 1e-9 * scale || i18n::headline(diff.abs()) == i18n::headline(0.0);
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
                    tf(
                        k::CARD_RANGE,
                        &[("low", &i18n::headline(k.band.p5)), ("high", &i18n::headline(k.band.p95))],
                    )
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

    /// Draws `picture` on a chart's canvas (sized by [`Outputs::measure_charts`]), and brings its
    /// title, unit line, legend, summary and (when shown) Table view up to date.
    pub fn draw_chart(
        &self,
        view: &ChartView,
        picture: Picture,
        theme: &Theme,
        quarters: &[atlas_core::Quarter],
    ) -> Result<(), JsValue> {
        let ratio = view.ratio.get();
        // A canvas with no size (hidden behind its Table view) is not drawn; its words and its
        // table still follow.
        let hits = if view.canvas.width() == 0 || view.canvas.height() == 0 {
            picture.no_hits()
        } else if let Picture::Map(spec) = &picture {
            draw_map(view, spec, theme, ratio)?
        } else {
            let backend = CanvasBackend::with_canvas_object(view.canvas.clone())
                .ok_or_else(|| JsValue::from_str("canvas has no 2D context"))?;
            picture.draw(backend, theme, ratio).map_err(|e| JsValue::from_str(&e))?
        };
        dom::set_text(&view.title, picture.title());
        dom::set_text(&view.unit, picture.unit());
        update_legend(view, &picture.legend())?;
        let summary = picture.summary(quarters);
        if view.summary.text_content().unwrap_or_default() != summary {
            dom::set_text(&view.summary, &summary);
        }
        if !view.table.hidden() {
            view.fill_table(&picture.table(quarters))?;
        }
        *view.drawn.borrow_mut() = Some((picture, hits));
        Ok(())
    }
}

/// Draws the map on its canvas: the land from its layer (drawn again only when the canvas's size
/// or the theme changed: a thousand polygons are most of the map's cost), then the marks.
fn draw_map(
    view: &ChartView,
    spec: &crate::map::MapSpec,
    theme: &Theme,
    ratio: f64,
) -> Result<Hits, JsValue> {
    let (w, h) = (view.canvas.width(), view.canvas.height());
    let key = format!(
        "{w}x{h}@{ratio}:{}{}{}",
        chart::hex(theme.background),
        chart::hex(theme.text),
        chart::hex(theme.grid)
    );
    let mut land = view.land.borrow_mut();
    if land.as_ref().is_none_or(|(k, _)| *k != key) {
        let layer: HtmlCanvasElement = dom::document()?.create_element("canvas")?.dyn_into()?;
        layer.set_width(w);
        layer.set_height(h);
        let backend = CanvasBackend::with_canvas_object(layer.clone())
            .ok_or_else(|| JsValue::from_str("canvas has no 2D context"))?;
        crate::map::draw_land(&backend.into_drawing_area(), theme, ratio)
            .map_err(|e| JsValue::from_str(&e))?;
        *land = Some((key, layer));
    }
    let context: web_sys::CanvasRenderingContext2d = view
        .canvas
        .get_context("2d")?
        .ok_or_else(|| JsValue::from_str("canvas has no 2D context"))?
        .dyn_into()?;
    if let Some((_, layer)) = land.as_ref() {
        context.draw_image_with_html_canvas_element(layer, 0.0, 0.0)?;
    }
    let backend = CanvasBackend::with_canvas_object(view.canvas.clone())
        .ok_or_else(|| JsValue::from_str("canvas has no 2D context"))?;
    crate::map::draw_marks(&backend.into_drawing_area(), spec, theme, ratio)
        .map(Hits::Map)
        .map_err(|e| JsValue::from_str(&e))
}

/// Rebuilds a panel's HTML legend when its items changed.
fn update_legend(view: &ChartView, items: &[LegendItem]) -> Result<(), JsValue> {
    let hex = chart::hex;
    let key: String =
        items.iter().map(|l| format!("{}{:?}{:?};", l.label, l.colour.map(hex), l.swatch)).collect();
    if *view.legend_key.borrow() == key {
        return Ok(());
    }
    view.legend.set_text_content(None);
    for l in items {
        let item: Element = dom::create("span", "")?;
        let class = match l.swatch {
            Swatch::Fill => "",
            Swatch::Dash => "dash",
            Swatch::Ring => "ring",
        };
        let swatch: HtmlElement = dom::create("i", class)?;
        if let Some(c) = l.colour {
            swatch.style().set_property("background", &hex(c))?;
        }
        item.append_child(&swatch)?;
        item.append_child(&dom::document()?.create_text_node(&l.label))?;
        view.legend.append_child(&item)?;
    }
    *view.legend_key.borrow_mut() = key;
    Ok(())
}

/// The largest redirections of capital in words (the core's [`RedirectSummary`], as the CLI's
/// `redirect_lines` words it in English).
///
/// [`RedirectSummary`]: atlas_core::export::RedirectSummary
fn redirect_lines(s: &atlas_core::Scenario, results: &Results) -> Vec<String> {
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
        let to = crate::sankey::destination_words(s, f);
        let reason = crate::sankey::reason_words(f.reason);
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
    let (picture, _) = drawn.as_ref()?;
    let ratio = view.ratio.get().max(1.0);
    let size =
        ((f64::from(view.canvas.width()) / ratio) as u32, (f64::from(view.canvas.height()) / ratio) as u32);
    let mut svg = String::new();
    {
        let backend = plotters::prelude::SVGBackend::with_string(&mut svg, size);
        picture.draw(backend, theme, 1.0).ok()?;
    }
    // Title and unit, which the page shows as HTML, go into the file too.
    let title =
        format!("<title>{}</title>", escape_xml(&format!("{} ({})", picture.title(), picture.unit())));
    Some(svg.replacen('>', &format!(">{title}"), 1))
}

/// The chart's canvas as a PNG data URL.
pub fn chart_png(view: &ChartView) -> Result<String, JsValue> {
    view.canvas.to_data_url_with_type("image/png")
}

fn escape_xml(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The hover read-out for pointer position `(x, y)` in CSS pixels relative to the canvas (for a
/// series chart, the quarter's value of every series by name, each with the baseline's beside it;
/// for the map, the mark under the pointer). `None` where nothing is.
pub fn hover_text(
    view: &ChartView,
    x_css: f64,
    y_css: f64,
    quarters: &[atlas_core::Quarter],
) -> Option<String> {
    let ratio = view.ratio.get();
    let drawn = view.drawn.borrow();
    let (picture, hits) = drawn.as_ref()?;
    Some(picture.hover(hits, x_css * ratio, y_css * ratio, ratio, quarters)?.join("\n"))
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
            let change = if i18n::headline(now) == i18n::headline(then) {
                t(k::ANNOUNCE_SAME).to_string()
            } else if then.abs() > 1e-12 {
                let pct = format!("{:+.1}", 100.0 * (now - then) / then.abs());
                tf(k::ANNOUNCE_PCT, &[("pct", &i18n::localise(&pct))])
            } else {
                tf(k::ANNOUNCE_BASE, &[("base", &i18n::headline(then))])
            };
            tf(
                k::ANNOUNCE_PART,
                &[
                    ("label", i18n::kpi_label(id)),
                    ("value", &i18n::headline(now)),
                    ("unit", i18n::kpi_unit(id)),
                    ("change", &change),
                ],
            )
        })
        .collect();
    tf(k::ANNOUNCE_ALL, &[("parts", &parts.join(t(k::ANNOUNCE_JOIN)))])
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
    // Where each region is drawn on the map: a place and its coordinates, with their source.
    for r in &atlas_core::data::default_data().regions {
        let at = &r.location;
        let row: Element = dom::create("tr", "")?;
        let text = format!("{} · {}, {}", at.place, i18n::num(at.lat, 2), i18n::num(at.lon, 2));
        let value = dom::create_text("td", "", &text)?;
        if at.provenance.estimate {
            dom::add_text(&value, "span", "estimate", &format!(" {}", t(k::PAGE_ESTIMATE)))?;
        }
        let source = dom::create_text("td", "", &at.provenance.source)?;
        if let Some(note) = &at.provenance.note {
            source.set_attribute("title", note)?;
        }
        dom::append(
            &row,
            &[
                &dom::create_text("td", "", &format!("regions.{}.location", r.id))?,
                &value,
                &dom::create_text("td", "num", "")?,
                &dom::create_text("td", "num", &at.provenance.year.to_string())?,
                &source,
            ],
        )?;
        table.append_child(&row)?;
    }
    root.append_child(&table)?;
    Ok(())
}
