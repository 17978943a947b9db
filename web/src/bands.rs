//! Uncertainty bands and the tornado in the page: worked out after the frame that shows a new
//! scenario, in slices of a few milliseconds between frames, so dragging a slider keeps its
//! one-frame update while the bands follow.
//!
//! Each change of the scenario (or of the tornado's figure) starts a new job and abandons the one
//! before. A job takes the Monte Carlo draws (with the workers of [`crate::helpers`], when the page
//! has them: they take chunks from the back while the page takes draws from the front), then
//! computes the percentiles and redraws the charts and cards with the bands, then swings every
//! input for the tornado. Without workers, first bands from a few hundred draws come before the
//! whole set.
//!
//! Timings go to `window.__atlas` for the tests and the browser benchmark: `bandsStartedAt` (when
//! the job started, `performance.now()`), `bandsMs` (from then to the bands on screen), `drawsMs` (to every draw taken), `tornadoMs`, `bandsSliceMaxMs`
//! (the longest slice), `helpers` (workers alive), `helperDraws` (draws the workers took),
//! `helperMs` and `pageDrawMs` (time the workers and the page spent drawing).

use atlas_core::montecarlo::{Bands, MonteCarlo};
use atlas_core::tornado::{Tornado, TornadoRun};
use atlas_core::{KpiId, Scenario};
use wasm_bindgen::JsValue;

use crate::dom;
use crate::helpers::{Helpers, Reply};
use crate::i18n::{k, t, tf};
use crate::stats::{BandsDigest, Stats};
use crate::uncertainty::UncertaintyView;

/// What band work needs of the page that holds it (the app): its scenario, the uncertainty
/// panel, `window.__atlas`, and a redraw once new bands are in. The page schedules the slices
/// ([`Next`], and the generations the functions below return), so this module knows no app.
pub(crate) trait Host {
    /// The bands' state.
    fn bands(&mut self) -> &mut BandsState;
    /// The bands' state, to read.
    fn bands_ref(&self) -> &BandsState;
    /// The scenario on the page.
    fn scenario(&self) -> &Scenario;
    /// The uncertainty panel, if the page has one.
    fn uncertainty(&self) -> Option<&UncertaintyView>;
    /// What `window.__atlas` shows.
    fn stats(&mut self) -> &mut Stats;
    /// Redraws the charts and the cards' ranges with the latest bands.
    fn redraw(&mut self);
}

/// Longest run of work before the page gets the thread back, ms.
const SLICE_MS: f64 = 8.0;

/// Draws taken between two looks at the clock.
const DRAWS_PER_CHECK: usize = 4;

/// Percentile columns worked out between two looks at the clock.
const COLUMNS_PER_CHECK: usize = 64;

/// Draws after which first bands are shown, before the rest refine them.
const FIRST_DRAWS: usize = 150;

/// How long the page waits for the workers' draws without an answer before taking them itself,
/// ms (a chunk takes a worker a few milliseconds).
pub(crate) const WORKER_PATIENCE_MS: i32 = 1000;

/// Least time between two progress reports on the status line, ms (each costs the page a layout).
const STATUS_MS: f64 = 100.0;

/// Quiet time after a change before work on its bands starts, ms: while a slider is dragged
/// (an input every frame) no band work competes with the frames.
pub(crate) const SETTLE_MS: i32 = 20;

/// Work on the bands and tornado of one scenario: the one `BandsState::started_for` holds while
/// the job's generation is current (a change replaces both).
pub struct Job {
    generation: u32,
    /// What to prepare in the first slice: the draws (unless uncertainty is off or only the
    /// tornado's figure changed), and the tornado of this figure.
    prepare: Option<(bool, KpiId)>,
    /// `None` once the bands are done (or when uncertainty is off).
    mc: Option<MonteCarlo>,
    tornado: Option<TornadoRun>,
    started: f64,
    slice_max: f64,
    /// Draws behind the bands on screen (0: none yet for this scenario).
    shown_at: usize,
    /// The scenario as the workers get it: its JSON, made once when there are workers (and made a
    /// JavaScript string once, not once per chunk).
    json: Option<String>,
    /// When the status line last showed progress.
    status_at: f64,
    /// Time the page spent taking draws, ms.
    page_ms: f64,
    /// Time the workers spent on this job's draws, ms.
    helper_ms: f64,
    /// Time from the change until every draw was taken, ms.
    draws_ms: f64,
    /// Whether the page has taken its draws and waits for the workers' (no slice is scheduled;
    /// their answer schedules the next).
    waiting: bool,
    /// Answers from the workers for this job.
    replies: u32,
}

/// What follows a slice of work.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Next {
    /// Another slice.
    Slice,
    /// Nothing until the workers answer; if none has after [`WORKER_PATIENCE_MS`], the page
    /// calls [`workers_late`] with the job's generation and the answers it had then.
    Wait { generation: u32, replies: u32 },
    /// Nothing: the job is done (or was replaced).
    Done,
}

/// The latest bands and tornado, and the job working on newer ones.
#[derive(Default)]
pub struct BandsState {
    bands: Option<(Scenario, Bands)>,
    tornado: Option<Tornado>,
    job: Option<Job>,
    /// What the latest job was started for: the scenario and the tornado's figure.
    started_for: Option<(Scenario, KpiId)>,
    generation: u32,
    /// Workers that take some of the draws.
    pub(crate) helpers: Helpers,
}

impl BandsState {
    /// The latest bands, if uncertainty is on (they may belong to an earlier scenario while newer
    /// ones are being worked out).
    pub fn current(&self) -> Option<&Bands> {
        self.bands.as_ref().map(|(_, b)| b)
    }

    /// Abandons the job under way (a drag moved on from its scenario); the next
    /// [`App::follow_bands`] starts afresh.
    pub(crate) fn abandon(&mut self) {
        if self.job.take().is_some() {
            self.started_for = None;
        }
    }

    /// The latest tornado, if any.
    pub fn tornado(&self) -> Option<&Tornado> {
        self.tornado.as_ref()
    }

    /// Whether the latest bands belong to an earlier scenario than `s`.
    pub(crate) fn stale(&self, s: &Scenario) -> bool {
        self.bands.as_ref().is_some_and(|(for_s, _)| for_s != s)
    }
}

/// Starts new bands and a new tornado if the scenario (or the tornado's figure) changed since the
/// last ones were started; called after a frame that simulated a valid scenario. Returns the new
/// job's generation, for the page to step it after [`SETTLE_MS`].
pub(crate) fn follow(host: &mut impl Host) -> Option<u32> {
    let view = host.uncertainty()?;
    let kpi = view.kpi();
    let scenario = host.scenario();
    let started_for = &host.bands_ref().started_for;
    // One comparison per frame, and a copy of the scenario only when it changed.
    let same_scenario = started_for.as_ref().is_some_and(|(s, _)| s == scenario);
    if same_scenario && started_for.as_ref().is_some_and(|(_, k)| *k == kpi) {
        return None;
    }
    view.sync(&scenario.uncertainty);
    let off = scenario.uncertainty.is_off();
    if off {
        view.show_note(None);
        view.set_status(t(k::UNC_IS_OFF));
    }
    // A new figure for the tornado alone keeps the bands.
    let draws = !off && !same_scenario;
    let scenario = scenario.clone();
    let bands = host.bands();
    bands.started_for = Some((scenario, kpi));
    bands.generation = bands.generation.wrapping_add(1);
    let generation = bands.generation;
    bands.job = Some(Job {
        generation,
        prepare: Some((draws, kpi)),
        mc: None,
        tornado: None,
        started: dom::now(),
        slice_max: 0.0,
        shown_at: 0,
        json: None,
        status_at: 0.0,
        page_ms: 0.0,
        helper_ms: 0.0,
        draws_ms: 0.0,
        waiting: false,
        replies: 0,
    });
    let had_bands = bands.bands.take_if(|_| off).is_some();
    host.stats().bands_generation = Some(generation);
    host.stats().bands_started_at = Some(dom::now());
    if had_bands {
        csv_enabled(host, false);
        host.redraw();
    }
    Some(generation)
}

/// One slice of work on the current job; says what follows.
pub(crate) fn work(host: &mut impl Host, generation: u32) -> Next {
    let Some(mut job) = host.bands().job.take() else { return Next::Done };
    if job.generation != generation {
        host.bands().job = Some(job);
        return Next::Done;
    }
    let began = dom::now();
    job.waiting = false;
    if let (Some((draws, kpi)), Some((scenario, _))) = (job.prepare.take(), &host.bands_ref().started_for) {
        job.mc = draws.then(|| MonteCarlo::new(scenario));
        job.tornado = Some(TornadoRun::new(scenario, kpi));
        if draws && host.bands_ref().helpers.alive() > 0 {
            job.json = Some(scenario.to_json_pretty());
        }
    }
    let next = loop {
        if let Some(mc) = job.mc.as_mut() {
            if let Some(json) = &job.json {
                host.bands().helpers.feed(job.generation, json, mc);
            }
            // First bands after a few hundred draws, then the whole set refines them; with
            // workers the whole set comes about as soon.
            let first =
                if job.json.is_some() { mc.draws_target() } else { FIRST_DRAWS.min(mc.draws_target()) };
            if mc.is_done() && job.draws_ms == 0.0 {
                job.draws_ms = dom::now() - job.started;
            }
            let show = mc.is_done() || (job.shown_at == 0 && mc.draws_done() >= first);
            if !show {
                if mc.front_done() {
                    // The rest is with the workers; their answers bring the next slice, unless
                    // none comes for too long.
                    job.waiting = true;
                    break Next::Wait { generation: job.generation, replies: job.replies };
                }
                let t0 = dom::now();
                mc.run_draws(DRAWS_PER_CHECK);
                job.page_ms += dom::now() - t0;
                if dom::now() - began < SLICE_MS {
                    continue;
                }
                if began - job.status_at < STATUS_MS {
                    break Next::Slice;
                }
                job.status_at = began;
                let (done, of) = (mc.draws_taken(), mc.draws_target());
                if job.shown_at == 0 {
                    let (done, of) = (done.to_string(), of.to_string());
                    set_status(host, &tf(k::UNC_DRAWING, &[("done", &done), ("of", &of)]));
                } else {
                    set_status(
                        host,
                        &tf(
                            k::UNC_REFINING,
                            &[
                                ("first", &job.shown_at.to_string()),
                                ("done", &done.to_string()),
                                ("of", &of.to_string()),
                            ],
                        ),
                    );
                }
                break Next::Slice;
            }
            if !mc.summarise(COLUMNS_PER_CHECK) {
                if dom::now() - began < SLICE_MS {
                    continue;
                }
                break Next::Slice;
            }
            let bands = mc.bands();
            let ms = dom::now() - job.started;
            job.shown_at = bands.draws;
            let done = mc.is_done();
            if done {
                let status = tf(
                    k::UNC_DONE,
                    &[
                        ("draws", &crate::i18n::headline(bands.draws as f64)),
                        ("inputs", &bands.inputs_drawn.to_string()),
                        ("ms", &crate::i18n::num(ms, 0)),
                        ("seed", &bands.seed.to_string()),
                    ],
                );
                publish(host, &bands, ms);
                let by_workers = (mc.draws_taken() - mc.draws_done()) as u32;
                let stats = host.stats();
                stats.helper_draws = Some(by_workers);
                stats.helper_ms = Some(job.helper_ms);
                stats.page_draw_ms = Some(job.page_ms);
                stats.draws_ms = Some(job.draws_ms);
                set_status(host, &status);
                job.mc = None;
            } else {
                host.stats().bands_first_ms = Some(ms);
            }
            if let Some((scenario, _)) = &host.bands().started_for {
                host.bands().bands = Some((scenario.clone(), bands));
            }
            if let Some(view) = host.uncertainty() {
                view.show_note(host.bands_ref().current());
            }
            csv_enabled(host, done);
            host.redraw();
            // The redraw used this slice.
            break Next::Slice;
        }
        match job.tornado.as_mut() {
            Some(t) if !t.is_done() => {
                t.run_inputs(2);
                if dom::now() - began < SLICE_MS {
                    continue;
                }
                break Next::Slice;
            }
            Some(t) => {
                let tornado = t.tornado();
                if let Some(view) = host.uncertainty()
                    && let Err(err) = view.draw_tornado(&tornado)
                {
                    dom::log_error("drawing the tornado", &err);
                }
                let ms = dom::now() - job.started;
                host.stats().tornado_ms = Some(ms);
                host.stats().tornado_top = tornado.rows.first().map(|r| r.path.clone());
                host.bands().tornado = Some(tornado);
                break Next::Done;
            }
            None => break Next::Done,
        }
    };
    if next == Next::Done {
        host.stats().done_generation = Some(job.generation);
    }
    job.slice_max = job.slice_max.max(dom::now() - began);
    host.stats().bands_slice_max_ms = Some(job.slice_max);
    if next != Next::Done {
        host.bands().job = Some(job);
    }
    next
}

/// Takes a worker's answer: its draws go into the current job (an answer for an older job is
/// dropped), and the worker gets more. A failed worker's draws are taken by the page.
pub(crate) fn helper_replied(host: &mut impl Host, reply: Reply) -> Option<u32> {
    let alive = host.bands_ref().helpers.alive();
    host.stats().helpers = Some(alive as u32);
    let bands = host.bands();
    let job = bands.job.as_mut()?;
    let mc = job.mc.as_mut()?;
    match reply {
        Reply::Rows { generation, from, rows, ms } if generation == job.generation => {
            job.helper_ms += ms;
            job.replies += 1;
            if let Err(err) = mc.absorb(from, &rows) {
                // Possible only after claims were released; the page has taken those draws.
                web_sys::console::warn_1(&JsValue::from_str(&format!("draws from a worker: {err}")));
            }
        }
        Reply::Rows { .. } => {}
        Reply::Failed { message } => {
            dom::log_error("a worker stopped; the page takes its draws", &JsValue::from_str(&message));
            mc.release_claims();
        }
    }
    if let Some(json) = &job.json {
        bands.helpers.feed(job.generation, json, mc);
    }
    // A job waiting for the workers takes its next slice now.
    job.waiting.then(|| {
        job.waiting = false;
        job.generation
    })
}

/// Takes the draws still out with the workers if job `generation` is waiting for them and none
/// has answered since it began to (`replies` answers then): a worker that hangs must not keep
/// the bands from coming. Returns the generation to step, if so.
pub(crate) fn workers_late(host: &mut impl Host, generation: u32, replies: u32) -> Option<u32> {
    let job = host.bands().job.as_mut()?;
    if job.generation != generation || !job.waiting || job.replies != replies {
        return None;
    }
    let mc = job.mc.as_mut()?;
    web_sys::console::warn_1(&JsValue::from_str(&format!(
        "no answer from the workers in {WORKER_PATIENCE_MS} ms; the page takes their draws"
    )));
    mc.release_claims();
    job.json = None;
    job.waiting = false;
    Some(generation)
}

/// Notes the workers the page took over (`helpers::attach`).
pub(crate) fn helpers_attached(host: &mut impl Host) {
    let alive = host.bands_ref().helpers.alive();
    host.stats().helpers = Some(alive as u32);
}

fn set_status(host: &impl Host, text: &str) {
    if let Some(view) = host.uncertainty() {
        view.set_status(text);
    }
}

fn csv_enabled(host: &impl Host, on: bool) {
    if let Some(view) = host.uncertainty() {
        view.bands_csv.set_disabled(!on);
    }
}

/// Shows the bands' headline figures and the time they took on `window.__atlas`.
fn publish(host: &mut impl Host, bands: &Bands, ms: f64) {
    let stats = host.stats();
    stats.bands = Some(BandsDigest::of(bands));
    stats.bands_ms = Some(ms);
}
