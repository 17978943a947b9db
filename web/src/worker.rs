//! The other side of the `helpers` module: what a Web Worker running this module does. It takes
//! chunks of Monte Carlo draws of a scenario and returns their values; the page absorbs them into
//! its bands. A worker has no document, so [`crate::start`] leaves the page alone there.

use std::cell::RefCell;

use atlas_core::montecarlo::Sampler;
use atlas_core::{parse_scenario, validate};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::protocol::{Answer, Chunk, to_bytes};

thread_local! {
    /// The sampler of the last scenario asked for (a job sends the same scenario with every
    /// chunk), with that scenario's JSON.
    static SAMPLER: RefCell<Option<(String, Sampler)>> = const { RefCell::new(None) };
}

/// Answers one message from the page (a [`Chunk`]) with an [`Answer`]: the values of the chunk's
/// draws, draw after draw (what `MonteCarlo::absorb` takes), or why there are none.
#[wasm_bindgen]
pub fn worker_answer(message: JsValue) -> JsValue {
    let began = now();
    let answer = match serde_wasm_bindgen::from_value::<Chunk>(message) {
        Ok(chunk) => match rows(&chunk) {
            Ok(rows) => Answer::Rows {
                generation: chunk.generation,
                from: chunk.from,
                rows: to_bytes(&rows),
                ms: now() - began,
            },
            Err(message) => Answer::Failed { message },
        },
        Err(err) => {
            Answer::Failed { message: format!("the worker got a message of an unknown shape: {err}") }
        }
    };
    serde_wasm_bindgen::to_value(&answer).unwrap_or_else(|err| JsValue::from_str(&err.to_string()))
}

/// The draws of `chunk`, from the sampler of its scenario (made again only when it changes).
fn rows(chunk: &Chunk) -> Result<Vec<f64>, String> {
    SAMPLER.with(|cell| {
        let mut cached = cell.borrow_mut();
        if cached.as_ref().is_none_or(|(json, _)| *json != chunk.scenario) {
            let s =
                parse_scenario(&chunk.scenario).map_err(|p| problems("could not read the scenario", &p))?;
            let p = validate(&s);
            if !p.is_empty() {
                return Err(problems("the scenario is not valid", &p));
            }
            *cached = Some((chunk.scenario.clone(), Sampler::new(&s)));
        }
        let (_, sampler) = cached.as_mut().ok_or("no sampler")?;
        Ok(sampler.rows(chunk.from as usize..chunk.to.max(chunk.from) as usize))
    })
}

/// The worker's clock, ms (0 where there is none).
fn now() -> f64 {
    js_sys::global()
        .dyn_into::<web_sys::WorkerGlobalScope>()
        .ok()
        .and_then(|scope| scope.performance())
        .map_or(0.0, |p| p.now())
}

fn problems(what: &str, p: &[atlas_core::Problem]) -> String {
    let list: Vec<String> = p.iter().map(|p| p.to_string()).collect();
    format!("{what}: {}", list.join("; "))
}
