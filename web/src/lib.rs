//! # Compute Atlas in the browser
//!
//! The only crate that knows the browser: it builds the controls and outputs in the page, turns
//! events into scenario changes, runs `atlas-core` on every change (once per animation frame), and
//! draws the charts with plotters on canvas. It stays thin: decode input → call the core → draw.
//! **No domain decision is made here**; those live in `atlas_core` (for example
//! `atlas_core::edit` for share rebalancing and the export-control matrix).
//!
//! A panic kills a WebAssembly instance, so the panic hook reports it to the console and shows the
//! page's error banner instead of leaving a dead page.

pub mod app;
pub mod bands;
pub mod chart;
pub mod chart_text;
pub mod compare;
pub mod controls;
pub mod deals;
pub mod dock;
pub mod dom;
pub mod download;
pub mod embed;
pub mod frontier;
pub mod geo;
pub mod helpers;
pub mod history;
pub mod i18n;
pub mod map;
pub mod msg;
pub mod optimise;
pub mod page;
pub mod picture;
pub mod protocol;
pub mod sankey;
pub mod share;
pub mod stats;
pub mod uncertainty;
pub mod views;
pub mod worker;

use wasm_bindgen::prelude::*;

/// Shows the page's error banner with `message` (used by the panic hook and start-up failures).
fn show_error(message: &str) {
    let Ok(document) = dom::document() else { return };
    if let Some(text) = document.get_element_by_id("error-text") {
        text.set_text_content(Some(message));
    }
    if let Some(banner) = document.get_element_by_id("error-banner") {
        let _ = banner.remove_attribute("hidden");
    }
}

/// Entry point, run by the bindings once the module is instantiated.
#[wasm_bindgen(start)]
pub fn start() -> Result<(), JsValue> {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_error(&i18n::tf(i18n::k::ERROR_INTERNAL, &[("info", &info.to_string())]));
    }));
    if web_sys::window().is_none() {
        // A worker (see `worker`): no page to build.
        return Ok(());
    }
    if let Err(err) = app::start() {
        dom::log_error("Compute Atlas could not start", &err);
        show_error(&i18n::tf(i18n::k::ERROR_START, &[("why", &err.as_string().unwrap_or_default())]));
        return Err(err);
    }
    Ok(())
}
