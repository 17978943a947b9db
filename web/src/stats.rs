//! What the page tells its browser tests and benchmarks: `window.__atlas`, one typed record.
//!
//! The page keeps a [`Stats`] and publishes it onto `window.__atlas` after each message it
//! handles and each frame ([`Stats::publish`]); keys are camelCase, and a figure not measured yet
//! is absent (`undefined`). The per-update timings are a separate array on the same object
//! (`timings`), appended to rather than rewritten. `summary` carries the core's headline figures
//! with the core's own (snake_case) names, as the command line writes them.

use std::collections::BTreeMap;

use atlas_core::Summary;
use atlas_core::montecarlo::Bands;
use js_sys::{Array, Object, Reflect};
use serde::Serialize;
use wasm_bindgen::JsValue;

/// Everything on `window.__atlas` but the timings.
#[derive(Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Stats {
    /// The page has drawn its first frame and listens.
    pub ready: bool,
    /// Updates drawn so far (one per frame that simulated).
    pub updates: u32,
    /// The current scenario's headline figures, unrounded.
    pub summary: Option<Summary>,
    /// The quarter the map shows (an index into the current quarters), once the reader chose one.
    pub map_quarter: Option<u32>,
    /// Whether the map is playing through the quarters.
    pub map_playing: bool,
    /// Marks the map drew last (regions with something there).
    pub map_marks: u32,
    /// What the flow diagram shows.
    pub flows: Option<FlowsDrawn>,
    /// The last share image made: its chart, size and key figure.
    pub share_image: Option<ShareImage>,
    /// Rings of land the map drew last (0 before it was drawn on a canvas with a size).
    pub map_land_rings: u32,
    /// The latest bands job started.
    pub bands_generation: Option<u32>,
    /// When it started (`performance.now()`, ms).
    pub bands_started_at: Option<f64>,
    /// The latest bands job that finished (bands and tornado).
    pub done_generation: Option<u32>,
    /// The latest bands' headline figures.
    pub bands: Option<BandsDigest>,
    /// From the start of the job to the whole bands on screen, ms.
    pub bands_ms: Option<f64>,
    /// From the start of the job to the first (partial) bands on screen, ms.
    pub bands_first_ms: Option<f64>,
    /// The longest slice of the job on the page's thread, ms.
    pub bands_slice_max_ms: Option<f64>,
    /// Draws the workers took in the latest job.
    pub helper_draws: Option<u32>,
    /// The workers' own time for them, ms (summed).
    pub helper_ms: Option<f64>,
    /// The page's time drawing, ms.
    pub page_draw_ms: Option<f64>,
    /// From the start of the job to the last draw, ms.
    pub draws_ms: Option<f64>,
    /// Workers alive.
    pub helpers: Option<u32>,
    /// From the start of the job to the tornado on screen, ms.
    pub tornado_ms: Option<f64>,
    /// The tornado's widest input (its path).
    pub tornado_top: Option<String>,
    /// The latest plan's solve, ms.
    pub plan_ms: Option<f64>,
    /// When the frontier started (`performance.now()`, ms).
    pub frontier_started: Option<f64>,
    /// Each frontier step's time, ms.
    pub frontier_steps: Option<Vec<f64>>,
    /// Frontier points drawn.
    pub frontier_points: Option<u32>,
    /// From the start of the frontier to its last point, ms.
    pub frontier_done_ms: Option<f64>,
}

/// The bands' headline figures, `{id: [P5, P25, P50, P75, P95]}` unrounded, with their draws and
/// seed (as text: it may exceed a double's integers).
#[derive(Serialize)]
pub struct BandsDigest {
    /// Percentiles of each headline figure, by its id.
    pub kpis: BTreeMap<&'static str, [f64; 5]>,
    /// Draws.
    pub draws: u32,
    /// The generator's seed.
    pub seed: String,
}

impl BandsDigest {
    /// The digest of `bands`.
    pub fn of(bands: &Bands) -> BandsDigest {
        BandsDigest {
            kpis: bands.kpis.iter().map(|k| (k.id.as_str(), k.band.to_array())).collect(),
            draws: bands.draws as u32,
            seed: bands.seed.to_string(),
        }
    }
}

/// One update's timings, a `window.__atlas.timings` entry (`inputToPaintMs` is added once the
/// frame is painted).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Timing {
    /// The core's simulation, ms.
    pub simulate_ms: f64,
    /// The charts, ms.
    pub draw_ms: f64,
    /// Everything else on the page, ms.
    pub dom_ms: f64,
    /// The whole update, ms.
    pub total_ms: f64,
}

impl Stats {
    /// Makes `window.__atlas` (with its `timings` array) and returns it.
    pub fn install(timings: &Array) -> Result<Object, JsValue> {
        let target = Object::new();
        Reflect::set(&target, &"timings".into(), timings)?;
        Reflect::set(&crate::dom::window()?.into(), &"__atlas".into(), &target)?;
        Ok(target)
    }

    /// Writes every field onto `target` (`window.__atlas`), leaving its timings alone.
    pub fn publish(&self, target: &Object) {
        let serializer = serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true);
        match self.serialize(&serializer) {
            Ok(value) => {
                Object::assign(target, &value.into());
            }
            Err(err) => crate::dom::log_error("publishing the page's figures", &err.into()),
        }
    }
}

/// What the last share image showed (for the browser tests).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ShareImage {
    /// The chart's id.
    pub chart: String,
    /// Width, pixels.
    pub width: u32,
    /// Height, pixels.
    pub height: u32,
    /// The key figure as written on it.
    pub figure: String,
    /// The key figure's words.
    pub title: String,
}

/// What the flow diagram of redirected money shows (for the browser tests).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FlowsDrawn {
    /// Its links.
    pub links: u32,
    /// The money it carries, USD bn.
    pub total_usd_b: f64,
    /// The baseline's, USD bn.
    pub baseline_usd_b: f64,
    /// The year shown; none: the span.
    pub year: Option<i32>,
}
