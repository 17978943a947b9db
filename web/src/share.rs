//! Share images: a 1200 × 630 PNG card of one chart (the size social sites show as a link's
//! picture) with the chart's title, the scenario's name, its key figure, the chart itself drawn
//! afresh at the card's size from the same [`Picture`] the page shows, its legend, a source line
//! and the link's text. Always in the light theme: a card is read on other sites.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use crate::chart::{Theme, hex};
use crate::dom;
use crate::i18n::{k, t};
use crate::picture::{Picture, Swatch};
use plotters::style::RGBColor;

/// The card's width, CSS pixels.
pub const WIDTH: u32 = 1200;
/// The card's height, CSS pixels.
pub const HEIGHT: u32 = 630;
/// Space around everything.
const MARGIN: f64 = 48.0;
/// Where the chart goes: top and height.
const CHART_TOP: f64 = 166.0;
const CHART_HEIGHT: f64 = 356.0;

/// The card's colours.
const THEME: Theme =
    Theme { background: RGBColor(255, 255, 255), text: RGBColor(58, 65, 74), grid: RGBColor(213, 218, 224) };
const INK: &str = "#1b1f24";
const MUTED: &str = "#5b6470";
const ACCENT: &str = "#1f5fbf";

/// What a card says beside its chart.
pub struct Card<'a> {
    /// The chart.
    pub picture: &'a Picture,
    /// The scenario's name.
    pub scenario: &'a str,
    /// The link's text (the page's address).
    pub link: &'a str,
    /// The key figure: its words and its value.
    pub figure: (String, String),
}

fn blank(width: u32, height: u32) -> Result<(HtmlCanvasElement, CanvasRenderingContext2d), JsValue> {
    let canvas: HtmlCanvasElement = dom::document()?.create_element("canvas")?.dyn_into()?;
    canvas.set_width(width);
    canvas.set_height(height);
    let context = canvas
        .get_context("2d")?
        .ok_or_else(|| JsValue::from_str("no 2D context"))?
        .dyn_into::<CanvasRenderingContext2d>()?;
    Ok((canvas, context))
}

/// `text` cut with an ellipsis to fit `width` pixels in the context's font.
fn fitted(context: &CanvasRenderingContext2d, text: &str, width: f64) -> String {
    let fits = |s: &str| context.measure_text(s).map_or(true, |m| m.width() <= width);
    if fits(text) {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut n = chars.len();
    while n > 1 && !fits(&format!("{}…", chars[..n].iter().collect::<String>())) {
        n -= 1;
    }
    format!("{}…", chars[..n].iter().collect::<String>())
}

/// Draws the card and returns its canvas (1200 × 630).
pub fn draw(card: &Card) -> Result<HtmlCanvasElement, JsValue> {
    let (canvas, c) = blank(WIDTH, HEIGHT)?;
    let (w, h) = (f64::from(WIDTH), f64::from(HEIGHT));
    c.set_fill_style_str(&hex(THEME.background));
    c.fill_rect(0.0, 0.0, w, h);
    c.set_fill_style_str(ACCENT);
    c.fill_rect(0.0, 0.0, w, 8.0);
    c.set_text_baseline("alphabetic");

    // The key figure, right; the words, left, in what room it leaves.
    c.set_text_align("right");
    c.set_font("700 40px system-ui, sans-serif");
    c.set_fill_style_str(INK);
    let value = fitted(&c, &card.figure.1, 440.0);
    c.fill_text(&value, w - MARGIN, 96.0)?;
    let value_width = c.measure_text(&value)?.width();
    c.set_font("18px system-ui, sans-serif");
    c.set_fill_style_str(MUTED);
    let words = fitted(&c, &card.figure.0, 440.0);
    c.fill_text(&words, w - MARGIN, 128.0)?;
    let right = w - 2.0 * MARGIN - value_width.max(c.measure_text(&words)?.width()) - 24.0;

    c.set_text_align("left");
    c.set_font("600 15px system-ui, sans-serif");
    c.set_fill_style_str(ACCENT);
    c.fill_text("Compute Atlas", MARGIN, 50.0)?;
    c.set_font("700 34px system-ui, sans-serif");
    c.set_fill_style_str(INK);
    c.fill_text(&fitted(&c, card.picture.title(), right), MARGIN, 96.0)?;
    c.set_font("20px system-ui, sans-serif");
    c.set_fill_style_str(MUTED);
    c.fill_text(&fitted(&c, card.scenario, right), MARGIN, 128.0)?;
    c.set_font("14px system-ui, sans-serif");
    c.fill_text(&fitted(&c, card.picture.unit(), w - 2.0 * MARGIN), MARGIN, 154.0)?;

    // The chart, drawn at twice the size and scaled down, as on a screen of ratio 2.
    let chart_w = w - 2.0 * MARGIN;
    let (chart, _) = blank((chart_w * 2.0) as u32, (CHART_HEIGHT * 2.0) as u32)?;
    let backend = plotters_canvas::CanvasBackend::with_canvas_object(chart.clone())
        .ok_or_else(|| JsValue::from_str("canvas has no 2D context"))?;
    card.picture.draw(backend, &THEME, 2.0 * 1.15).map_err(|e| JsValue::from_str(&e))?;
    c.draw_image_with_html_canvas_element_and_dw_and_dh(&chart, MARGIN, CHART_TOP, chart_w, CHART_HEIGHT)?;

    // The legend, in up to two lines.
    let mut x = MARGIN;
    let mut y = CHART_TOP + CHART_HEIGHT + 22.0;
    c.set_font("14px system-ui, sans-serif");
    for item in card.picture.legend() {
        let width = c.measure_text(&item.label)?.width() + 34.0;
        if x + width > w - MARGIN {
            if y > CHART_TOP + CHART_HEIGHT + 30.0 {
                break;
            }
            (x, y) = (MARGIN, y + 22.0);
        }
        let colour = item.colour.map_or_else(|| MUTED.to_string(), hex);
        match item.swatch {
            Swatch::Fill => {
                c.set_fill_style_str(&colour);
                c.fill_rect(x, y - 11.0, 12.0, 12.0);
            }
            Swatch::Dash | Swatch::Ring => {
                c.set_stroke_style_str(&colour);
                c.set_line_width(2.0);
                c.stroke_rect(x + 1.0, y - 10.0, 10.0, 10.0);
            }
        }
        c.set_fill_style_str(MUTED);
        c.fill_text(&item.label, x + 18.0, y)?;
        x += width;
    }

    // The source and the link.
    c.set_fill_style_str("#e3e7ec");
    c.fill_rect(0.0, h - 38.0, w, 38.0);
    c.set_font("14px system-ui, sans-serif");
    c.set_fill_style_str(MUTED);
    let link = fitted(&c, card.link, w * 0.5 - MARGIN);
    let link_width = c.measure_text(&link)?.width();
    c.fill_text(&fitted(&c, t(k::SHARE_SOURCE), w - 2.0 * MARGIN - link_width - 24.0), MARGIN, h - 14.0)?;
    c.set_text_align("right");
    c.set_fill_style_str(ACCENT);
    c.fill_text(&link, w - MARGIN, h - 14.0)?;
    Ok(canvas)
}

/// The card as a PNG data URL.
pub fn png(card: &Card) -> Result<String, JsValue> {
    draw(card)?.to_data_url_with_type("image/png")
}
