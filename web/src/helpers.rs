//! Helpers on the other cores: Web Workers running this same module (the `worker` module), each
//! taking chunks of Monte Carlo draws claimed from the back of the current job while the page takes
//! draws from the front. The bands are the same with or without them (each draw has its own
//! generator); they only arrive sooner.
//!
//! `www/main.js` starts the workers and hands them over (`attach_workers`, in the app, which
//! gives them to [`attach`]). A worker that
//! fails is dropped and its draws are taken by the page, as are the draws of workers that do not
//! answer for a second (`bands.rs`); a page without workers works as before.

use std::rc::Rc;

use atlas_core::montecarlo::MonteCarlo;
use js_sys::Array;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::dom;
use crate::protocol::{Answer, Chunk, from_bytes};

/// Most draws in one chunk: several milliseconds of a worker's time, longer than a slice of the
/// page's, so a worker has work queued while the page is busy.
const CHUNK: usize = 40;

/// Fewest draws in one chunk.
const MIN_CHUNK: usize = 4;

/// Chunks a worker holds at once, so it never waits for the page between two.
const QUEUED: u32 = 2;

/// The page's end of one worker.
struct Helper {
    worker: web_sys::Worker,
    /// Chunks sent and not answered.
    outstanding: u32,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

/// The workers: `None` where one failed.
#[derive(Default)]
pub struct Helpers {
    list: Vec<Option<Helper>>,
}

/// A worker's answer.
#[derive(Clone, Debug, PartialEq)]
pub enum Reply {
    /// The values of draws `from..` of job `generation`, which took the worker `ms`.
    Rows {
        /// The job.
        generation: u32,
        /// The first draw.
        from: usize,
        /// Every series value of every draw, draw by draw.
        rows: Vec<f64>,
        /// The worker's time, ms.
        ms: f64,
    },
    /// The worker failed (it is dropped).
    Failed {
        /// Why.
        message: String,
    },
}

impl Helpers {
    /// Workers alive.
    pub fn alive(&self) -> usize {
        self.list.iter().flatten().count()
    }

    /// Sends chunks of job `generation` (the scenario as `json`) to every worker with room.
    ///
    /// Chunks shrink as the draws run out, so that at the end nobody waits long for a worker's
    /// last chunk.
    pub fn feed(&mut self, generation: u32, json: &str, mc: &mut MonteCarlo) {
        let takers = self.alive() + 1;
        for helper in self.list.iter_mut().flatten() {
            while helper.outstanding < QUEUED {
                let size = (mc.unclaimed() / (2 * takers * QUEUED as usize)).clamp(MIN_CHUNK, CHUNK);
                let Some(range) = mc.claim(size) else { return };
                let chunk = Chunk {
                    generation,
                    scenario: json.to_string(),
                    from: range.start as u32,
                    to: range.end as u32,
                };
                let sent =
                    serde_wasm_bindgen::to_value(&chunk).and_then(|m| Ok(helper.worker.post_message(&m)?));
                if let Err(err) = sent {
                    dom::log_error("sending draws to a worker", &err.into());
                    mc.release_claims();
                    return;
                }
                helper.outstanding += 1;
            }
        }
    }

    /// Notes that worker `index` answered (or failed, and is dropped).
    pub(crate) fn answered(&mut self, index: usize, failed: bool) {
        if let Some(slot) = self.list.get_mut(index) {
            if failed {
                if let Some(helper) = slot.take() {
                    helper.worker.terminate();
                }
            } else if let Some(helper) = slot {
                helper.outstanding = helper.outstanding.saturating_sub(1);
            }
        }
    }
}

/// Reads a worker's message (an [`Answer`]).
fn reply(data: JsValue) -> Reply {
    let unknown = || Reply::Failed { message: "a worker sent a message of an unknown shape".into() };
    match serde_wasm_bindgen::from_value::<Answer>(data) {
        Ok(Answer::Rows { generation, from, rows, ms }) => match from_bytes(&rows) {
            Some(rows) => Reply::Rows { generation, from: from as usize, rows, ms },
            None => unknown(),
        },
        Ok(Answer::Failed { message }) => Reply::Failed { message },
        Err(_) => unknown(),
    }
}

/// Takes over the workers `www/main.js` started (an array of `Worker`): each answer goes to
/// `on_reply` with the worker's index (the page notes it in [`Helpers::answered`] and gives the
/// draws to the current job).
pub(crate) fn attach(workers: Array, on_reply: Rc<dyn Fn(usize, Reply)>) -> Helpers {
    let mut list = Vec::new();
    for (index, worker) in workers.iter().enumerate() {
        let Ok(worker) = worker.dyn_into::<web_sys::Worker>() else { continue };
        let send = on_reply.clone();
        let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            send(index, reply(e.data()));
        });
        let send = on_reply.clone();
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
            e.prevent_default();
            let message = e
                .dyn_ref::<web_sys::ErrorEvent>()
                .map_or_else(|| "the worker could not start".to_string(), |e| e.message());
            send(index, Reply::Failed { message });
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        list.push(Some(Helper { worker, outstanding: 0, _on_message: on_message, _on_error: on_error }));
    }
    Helpers { list }
}
