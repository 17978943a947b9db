//! The browser glue, tested in headless Chromium with wasm-bindgen-test: charts put pixels on a
//! canvas, sliders map to scenario fields, and the whole page reacts to a slider's input event.

#![cfg(target_arch = "wasm32")]

use atlas_core::Scenario;
use atlas_core::params::ParamId;
use atlas_web::chart::{self, BandSpec, ChartSpec, Layer, Theme};
use atlas_web::controls::SLIDERS;
use atlas_web::dom;
use plotters::style::RGBColor;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::{CanvasRenderingContext2d, Element, HtmlCanvasElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

fn canvas(w: u32, h: u32) -> HtmlCanvasElement {
    let c: HtmlCanvasElement = dom::create("canvas", "").unwrap();
    c.set_width(w);
    c.set_height(h);
    dom::document().unwrap().body().unwrap().append_child(&c).unwrap();
    c
}

#[wasm_bindgen_test]
fn drawing_a_chart_puts_pixels_on_the_canvas() {
    let c = canvas(400, 240);
    let spec = ChartSpec {
        title: "Test".into(),
        unit: "GW".into(),
        x: vec![2023.125, 2023.375, 2023.625, 2023.875],
        layers: vec![Layer {
            label: "A".into(),
            colour: RGBColor(200, 30, 30),
            values: vec![1.0, 2.0, 3.0, 4.0],
        }],
        stacked: true,
        baseline: vec![Layer {
            label: "B".into(),
            colour: RGBColor(0, 0, 0),
            values: vec![2.0, 2.0, 2.0, 2.0],
        }],
        y_max: None,
        readout: Vec::new(),
        // Bands around the stack's top, as the page draws them for uncertainty.
        bands: Some(BandSpec {
            outer: (vec![0.5, 1.5, 2.5, 3.5], vec![1.5, 2.5, 3.5, 4.5]),
            inner: (vec![0.8, 1.8, 2.8, 3.8], vec![1.2, 2.2, 3.2, 4.2]),
            colour: RGBColor(0, 0, 0),
        }),
    };
    let theme =
        Theme { background: RGBColor(255, 255, 255), text: RGBColor(0, 0, 0), grid: RGBColor(200, 200, 200) };
    let backend = CanvasBackend::with_canvas_object(c.clone()).expect("2D context");
    let geometry = chart::draw(backend, &spec, &theme, 1.0).expect("draws");
    assert!(geometry.x_px.end > geometry.x_px.start);

    let ctx: CanvasRenderingContext2d = c.get_context("2d").unwrap().unwrap().dyn_into().unwrap();
    let pixels = ctx.get_image_data(0.0, 0.0, 400.0, 240.0).unwrap().data();
    let red = pixels.chunks(4).filter(|p| p[0] > 150 && p[1] < 100 && p[2] < 100).count();
    assert!(red > 1000, "the area is filled in red: {red} pixels");
}

#[wasm_bindgen_test]
fn the_read_out_gives_each_stacked_series_its_own_value_beside_the_baseline() {
    let layer =
        |label: &str, values: Vec<f64>| Layer { label: label.into(), colour: RGBColor(0, 0, 0), values };
    let spec = ChartSpec {
        title: "Shares".into(),
        unit: "%".into(),
        x: vec![2026.125],
        layers: vec![layer("Azure", vec![50.0]), layer("AWS", vec![45.0]), layer("Oracle", vec![5.0])],
        stacked: true,
        // Drawn: the stack's boundaries (Azure, Azure + AWS); read: each series' own value.
        baseline: vec![layer("Azure (baseline)", vec![48.0]), layer("AWS (baseline)", vec![89.0])],
        y_max: Some(100.0),
        bands: None,
        readout: vec![layer("Azure", vec![48.0]), layer("AWS", vec![41.0]), layer("Oracle", vec![11.0])],
    };
    let lines = atlas_web::chart_text::readout_lines(&spec, 0, &[atlas_core::Quarter { year: 2026, q: 1 }]);
    assert_eq!(lines[0], "2026Q1");
    assert_eq!(lines[2], "AWS: 45.0 (baseline 41.0)");
    assert_eq!(lines[3], "Oracle: 5.00 (baseline 11.0)");
    assert!(!lines.iter().any(|l| l.contains("89")), "no stacked boundary read as a value: {lines:?}");
}

#[wasm_bindgen_test]
fn every_slider_of_the_parameter_table_is_on_the_page_and_writes_its_field() {
    // The uncertainty width has its own panel; every other slider of the table is a control.
    let mut table: Vec<ParamId> = atlas_core::params::PARAMS
        .iter()
        .filter(|p| p.slider.is_some() && p.id != ParamId::UncertaintyWidth)
        .map(|p| p.id)
        .collect();
    let mut page = SLIDERS.to_vec();
    table.sort();
    page.sort();
    assert_eq!(table, page);
    for &id in &SLIDERS {
        let p = atlas_core::params::param(id);
        let range = p.slider.unwrap();
        let mut s = Scenario::default();
        let target = range.min + (range.max - range.min) * 0.5;
        atlas_web::controls::set_slider(&mut s, id, target);
        let got = p.display((p.get)(&s).unwrap());
        assert!((got - target).abs() <= range.step, "{}: set {target}, read {got}", p.key);
        assert!(atlas_core::validate(&s).is_empty(), "{}: the slider's middle is valid", p.key);
    }
}

fn sleep(ms: i32) -> JsFuture {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    JsFuture::from(promise)
}

fn page_skeleton() {
    let body = dom::document().unwrap().body().unwrap();
    for (tag, id) in [
        ("aside", "controls"),
        ("p", "loading"),
        ("div", "kpis"),
        ("div", "charts"),
        ("div", "sources-table"),
        ("button", "reset"),
        ("span", "scenario-name"),
        ("div", "tooltip"),
    ] {
        let el: Element = dom::create(tag, "").unwrap();
        el.set_id(id);
        body.append_child(&el).unwrap();
    }
}

fn kpi(id: &str) -> String {
    dom::document()
        .unwrap()
        .query_selector(&format!("[data-kpi=\"{id}\"] .kpi-value"))
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap()
}

/// Starts the page once per test run (the tests share one document).
fn ensure_page() {
    if atlas_web::app::with_app(|_| ()).is_none() {
        page_skeleton();
        atlas_web::app::start().expect("the page starts");
    }
}

#[wasm_bindgen_test]
async fn the_page_reacts_to_the_energy_cost_slider() {
    ensure_page();
    // Whatever another test left, start from the default energy price.
    let slider: HtmlInputElement = dom::by_id("ctl-energy_cost_multiplier").unwrap();
    slider.set_value("1");
    slider.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    sleep(100).await.unwrap();
    let before = kpi("energy_cost_usd_b_end_year");
    let capacity_before = kpi("h100e_end");
    assert_ne!(before, "–");

    slider.set_value("2");
    slider.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    sleep(100).await.unwrap();
    let after = kpi("energy_cost_usd_b_end_year");
    let number = |t: &str| t.replace(',', "").parse::<f64>().unwrap();
    assert!((number(&after) / number(&before) - 2.0).abs() < 0.02, "{before} → {after}");
    assert_eq!(kpi("h100e_end"), capacity_before, "energy prices do not change what gets built");
    let value: Element =
        dom::document().unwrap().query_selector("output[for=ctl-energy_cost_multiplier]").unwrap().unwrap();
    assert_eq!(value.text_content().unwrap(), "2.00× today");
}

#[wasm_bindgen_test]
async fn problems_show_beside_the_control_they_concern() {
    ensure_page();
    let problems = vec![
        atlas_core::Problem::new("utilisation", "1.7", "a number from 0 to 1"),
        atlas_core::Problem::new("regions[0].price_usd_per_mwh", "-3", "a number from 0 to 5000"),
    ];
    atlas_web::app::with_app(|app| app.show_problems(&problems)).expect("the page is running");
    let beside: Element = dom::by_id("err-utilisation").unwrap();
    assert_eq!(beside.text_content().unwrap(), "1.7: a number from 0 to 1");
    let general = dom::document().unwrap().query_selector("#controls > .control-error").unwrap().unwrap();
    assert!(general.text_content().unwrap().contains("regions[0].price_usd_per_mwh"));
    atlas_web::app::with_app(|app| app.show_problems(&[]));
    assert_eq!(beside.text_content().unwrap(), "");
}
