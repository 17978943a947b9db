//! The other side of the `helpers` module: what a Web Worker running this module does. It takes
//! chunks of Monte Carlo draws of a scenario and returns their values; the page absorbs them into
//! its bands. A worker has no document, so [`crate::start`] leaves the page alone there.

use std::cell::RefCell;

use atlas_core::montecarlo::Sampler;
use atlas_core::{parse_scenario, validate};
use wasm_bindgen::prelude::*;

thread_local! {
    /// The sampler of the last scenario asked for (a job sends the same scenario with every
    /// chunk), with that scenario's JSON.
    static SAMPLER: RefCell<Option<(String, Sampler)>> = const { RefCell::new(None) };
}

/// The values of draws `from..to` of the scenario in `scenario_json` (a scenario file, as
/// `Scenario::to_json_pretty` writes it), draw after draw: what `MonteCarlo::absorb` takes.
#[wasm_bindgen]
pub fn worker_rows(scenario_json: &str, from: u32, to: u32) -> Result<Vec<f64>, JsValue> {
    SAMPLER.with(|cell| {
        let mut cached = cell.borrow_mut();
        if cached.as_ref().is_none_or(|(json, _)| json != scenario_json) {
            let s = parse_scenario(scenario_json).map_err(|p| problems("could not read the scenario", &p))?;
            let p = validate(&s);
            if !p.is_empty() {
                return Err(problems("the scenario is not valid", &p));
            }
            *cached = Some((scenario_json.to_string(), Sampler::new(&s)));
        }
        let (_, sampler) = cached.as_mut().ok_or_else(|| JsValue::from_str("no sampler"))?;
        Ok(sampler.rows(from as usize..to.max(from) as usize))
    })
}

fn problems(what: &str, p: &[atlas_core::Problem]) -> JsValue {
    let list: Vec<String> = p.iter().map(|p| p.to_string()).collect();
    JsValue::from_str(&format!("{what}: {}", list.join("; ")))
}
