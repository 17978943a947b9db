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

use atlas_core::Scenario;
use atlas_core::montecarlo::{Bands, MonteCarlo};
use atlas_core::tornado::{Tornado, TornadoRun};
use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;

use crate::app::{App, with_app};
use crate::dom;
use crate::helpers::{Helpers, Reply};

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
const WORKER_PATIENCE_MS: i32 = 1000;

/// Least time between two progress reports on the status line, ms (each costs the page a layout).
const STATUS_MS: f64 = 100.0;

/// Quiet time after a change before work on its bands starts, ms: while a slider is dragged
/// (an input every frame) no band work competes with the frames.
const SETTLE_MS: i32 = 20;

/// Work on the bands and tornado of one scenario: the one `BandsState::started_for` holds while
/// the job's generation is current (a change replaces both).
pub struct Job {
    generation: u32,
    /// What to prepare in the first slice: the draws (unless uncertainty is off or only the
    /// tornado's figure changed), and the tornado of this figure.
    prepare: Option<(bool, String)>,
    /// `None` once the bands are done (or when uncertainty is off).
    mc: Option<MonteCarlo>,
    tornado: Option<TornadoRun>,
    started: f64,
    slice_max: f64,
    /// Draws behind the bands on screen (0: none yet for this scenario).
    shown_at: usize,
    /// The scenario as the workers get it: its JSON, made once when there are workers (and made a
    /// JavaScript string once, not once per chunk).
    json: Option<JsValue>,
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
#[derive(Clone, Copy, PartialEq, Eq)]
enum Next {
    /// Another slice.
    Slice,
    /// Nothing until the workers answer.
    Wait,
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
    started_for: Option<(Scenario, String)>,
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

    /// Whether the latest bands belong to an earlier scenario than `s`.
    fn stale(&self, s: &Scenario) -> bool {
        self.bands.as_ref().is_some_and(|(for_s, _)| for_s != s)
    }
}

/// Listeners on the uncertainty panel.
pub fn bind(app: &App) -> Result<(), JsValue> {
    let Some(view) = &app.uncertainty else { return Ok(()) };
    let send = |dragging: bool| {
        move |e: web_sys::Event| {
            with_app(|app| {
                let Some(view) = &app.uncertainty else { return };
                let u = view.read(&app.scenario.uncertainty);
                app.apply(crate::controls::Msg::Uncertainty(u, dragging), e.time_stamp());
            });
            crate::app::request_frame();
        }
    };
    dom::listen(&view.width, "input", send(true))?;
    dom::listen(&view.width, "change", |e: web_sys::Event| {
        with_app(|app| app.apply(crate::controls::Msg::Commit, e.time_stamp()));
        crate::app::request_frame();
    })?;
    for el in [view.on.clone().into(), view.draws.clone().into(), view.seed.clone().into()] {
        let el: web_sys::Element = el;
        dom::listen(&el, "change", send(false))?;
    }
    dom::listen(&view.reseed, "click", |e: web_sys::Event| {
        with_app(|app| {
            let mut u = app.scenario.uncertainty.clone();
            u.seed = u.seed.wrapping_add(1);
            app.apply(crate::controls::Msg::Uncertainty(u, false), e.time_stamp());
        });
        crate::app::request_frame();
    })?;
    dom::listen(&view.kpi, "change", |_: web_sys::Event| {
        with_app(App::follow_bands);
    })?;
    dom::listen(&view.more, "click", |_: web_sys::Event| {
        with_app(|app| {
            let Some(view) = &app.uncertainty else { return };
            view.show_all.set(!view.show_all.get());
            if let Some(t) = &app.bands.tornado {
                let _ = view.draw_tornado(t);
            }
        });
    })?;
    dom::listen(&view.tornado_csv, "click", |_: web_sys::Event| {
        with_app(|app| {
            if let Some(t) = &app.bands.tornado {
                let slug = atlas_core::naming::title(&app.scenario).slug;
                let name = format!("compute-atlas-{slug}-tornado-{}.csv", t.kpi);
                let _ = crate::download::save(&name, "text/csv", &atlas_core::tornado::tornado_csv(t));
            }
        });
    })?;
    dom::listen(&view.bands_csv, "click", |_: web_sys::Event| {
        with_app(|app| {
            if let Some(b) = app.bands.current() {
                let csv = atlas_core::montecarlo::bands_csv(b);
                let name =
                    format!("compute-atlas-{}-bands.csv", atlas_core::naming::title(&app.scenario).slug);
                let _ = crate::download::save(&name, "text/csv", &csv);
            }
        });
    })?;
    Ok(())
}

/// Runs one slice of job `generation` and schedules the next, if the job is still current.
fn step(generation: u32) {
    if with_app(|app| app.work_on_bands(generation)) == Some(Next::Slice) {
        dom::soon(move || step(generation));
    }
}

impl App {
    /// Starts new bands and a new tornado if the scenario (or the tornado's figure) changed since
    /// the last ones were started; called after a frame that simulated a valid scenario.
    pub(crate) fn follow_bands(&mut self) {
        let Some(view) = &self.uncertainty else { return };
        let kpi = view.kpi();
        // One comparison per frame, and a copy of the scenario only when it changed.
        let same_scenario = self.bands.started_for.as_ref().is_some_and(|(s, _)| *s == self.scenario);
        if same_scenario && self.bands.started_for.as_ref().is_some_and(|(_, k)| *k == kpi) {
            return;
        }
        view.sync(&self.scenario.uncertainty);
        self.bands.started_for = Some((self.scenario.clone(), kpi.clone()));
        self.bands.generation = self.bands.generation.wrapping_add(1);
        let generation = self.bands.generation;
        let s = &self.scenario;
        // A new figure for the tornado alone keeps the bands.
        let draws = !s.uncertainty.is_off() && !same_scenario;
        let off = s.uncertainty.is_off();
        if off {
            view.show_note(None);
            view.set_status("Uncertainty is off: the charts and cards show your scenario alone.");
        }
        self.bands.job = Some(Job {
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
        let _ = Reflect::set(&self.stats, &"bandsGeneration".into(), &generation.into());
        let _ = Reflect::set(&self.stats, &"bandsStartedAt".into(), &dom::now().into());
        if off && self.bands.bands.take().is_some() {
            self.bands_csv_enabled(false);
            self.draw_charts();
            self.show_ranges();
        }
        dom::after(SETTLE_MS, move || step(generation));
    }

    /// One slice of work on the current job; says what follows.
    fn work_on_bands(&mut self, generation: u32) -> Next {
        let Some(mut job) = self.bands.job.take() else { return Next::Done };
        if job.generation != generation {
            self.bands.job = Some(job);
            return Next::Done;
        }
        let began = dom::now();
        job.waiting = false;
        if let (Some((draws, kpi)), Some((scenario, _))) = (job.prepare.take(), &self.bands.started_for) {
            job.mc = draws.then(|| MonteCarlo::new(scenario));
            job.tornado = TornadoRun::new(scenario, &kpi).ok();
            if draws && self.bands.helpers.alive() > 0 {
                job.json = Some(JsValue::from_str(&scenario.to_json_pretty()));
            }
        }
        let next = loop {
            if let Some(mc) = job.mc.as_mut() {
                if let Some(json) = &job.json {
                    self.bands.helpers.feed(job.generation, json, mc);
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
                        let (generation, replies) = (job.generation, job.replies);
                        dom::after(WORKER_PATIENCE_MS, move || {
                            with_app(|app| app.workers_late(generation, replies));
                        });
                        break Next::Wait;
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
                        self.set_unc_status(&format!("Drawing… {done} of {of}"));
                    } else {
                        self.set_unc_status(&format!(
                            "Bands from the first {} draws; refining… {done} of {of}",
                            job.shown_at
                        ));
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
                    let status = format!(
                        "{} draws of {} uncertain inputs in {:.0} ms; seed {}.",
                        crate::page::headline(bands.draws as f64),
                        bands.inputs_drawn,
                        ms,
                        bands.seed
                    );
                    self.publish_bands(&bands, ms);
                    let by_workers = (mc.draws_taken() - mc.draws_done()) as u32;
                    let _ = Reflect::set(&self.stats, &"helperDraws".into(), &by_workers.into());
                    let _ = Reflect::set(&self.stats, &"helperMs".into(), &job.helper_ms.into());
                    let _ = Reflect::set(&self.stats, &"pageDrawMs".into(), &job.page_ms.into());
                    let _ = Reflect::set(&self.stats, &"drawsMs".into(), &job.draws_ms.into());
                    self.set_unc_status(&status);
                    job.mc = None;
                } else {
                    let _ = Reflect::set(&self.stats, &"bandsFirstMs".into(), &ms.into());
                }
                if let Some((scenario, _)) = &self.bands.started_for {
                    self.bands.bands = Some((scenario.clone(), bands));
                }
                if let Some(view) = &self.uncertainty {
                    view.show_note(self.bands.current());
                }
                self.bands_csv_enabled(done);
                self.draw_charts();
                self.show_ranges();
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
                    if let Some(view) = &self.uncertainty
                        && let Err(err) = view.draw_tornado(&tornado)
                    {
                        dom::log_error("drawing the tornado", &err);
                    }
                    let ms = dom::now() - job.started;
                    let _ = Reflect::set(&self.stats, &"tornadoMs".into(), &ms.into());
                    let _ = Reflect::set(
                        &self.stats,
                        &"tornadoTop".into(),
                        &tornado.rows[0].path.as_str().into(),
                    );
                    self.bands.tornado = Some(tornado);
                    break Next::Done;
                }
                None => break Next::Done,
            }
        };
        if next == Next::Done {
            let _ = Reflect::set(&self.stats, &"doneGeneration".into(), &job.generation.into());
        }
        job.slice_max = job.slice_max.max(dom::now() - began);
        let _ = Reflect::set(&self.stats, &"bandsSliceMaxMs".into(), &job.slice_max.into());
        if next != Next::Done {
            self.bands.job = Some(job);
        }
        next
    }

    /// Takes a worker's answer: its draws go into the current job (an answer for an older job is
    /// dropped), and the worker gets more. A failed worker's draws are taken by the page.
    pub(crate) fn helper_replied(&mut self, reply: Reply) {
        let alive = self.bands.helpers.alive();
        let _ = Reflect::set(&self.stats, &"helpers".into(), &(alive as u32).into());
        let Some(job) = self.bands.job.as_mut() else { return };
        let Some(mc) = job.mc.as_mut() else { return };
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
            self.bands.helpers.feed(job.generation, json, mc);
        }
        if job.waiting {
            job.waiting = false;
            let generation = job.generation;
            dom::soon(move || step(generation));
        }
    }

    /// Takes the draws still out with the workers if job `generation` is waiting for them and none
    /// has answered since it began to (`replies` answers then): a worker that hangs must not keep
    /// the bands from coming.
    fn workers_late(&mut self, generation: u32, replies: u32) {
        let Some(job) = self.bands.job.as_mut() else { return };
        if job.generation != generation || !job.waiting || job.replies != replies {
            return;
        }
        let Some(mc) = job.mc.as_mut() else { return };
        web_sys::console::warn_1(&JsValue::from_str(&format!(
            "no answer from the workers in {WORKER_PATIENCE_MS} ms; the page takes their draws"
        )));
        mc.release_claims();
        job.json = None;
        job.waiting = false;
        dom::soon(move || step(generation));
    }

    /// Notes the workers [`crate::helpers::attach_workers`] took over.
    pub(crate) fn helpers_attached(&mut self) {
        let alive = self.bands.helpers.alive();
        let _ = Reflect::set(&self.stats, &"helpers".into(), &(alive as u32).into());
    }

    /// Shows each card's range (faded while newer bands are being worked out).
    pub(crate) fn show_ranges(&self) {
        let stale = self.bands.stale(&self.scenario);
        self.outputs.update_ranges(self.bands.current(), stale);
    }

    fn set_unc_status(&self, text: &str) {
        if let Some(view) = &self.uncertainty {
            view.set_status(text);
        }
    }

    fn bands_csv_enabled(&self, on: bool) {
        if let Some(view) = &self.uncertainty {
            view.bands_csv.set_disabled(!on);
        }
    }

    /// Puts the bands' headline figures on `window.__atlas.bands` (`{id: [P5, P25, P50, P75,
    /// P95]}`, unrounded) with their draws and seed, and the time they took.
    fn publish_bands(&self, bands: &Bands, ms: f64) {
        let kpis = Object::new();
        for k in &bands.kpis {
            let values: js_sys::Array = k.band.to_array().iter().map(|v| JsValue::from_f64(*v)).collect();
            let _ = Reflect::set(&kpis, &k.id.into(), &values);
        }
        let out = Object::new();
        let _ = Reflect::set(&out, &"kpis".into(), &kpis);
        let _ = Reflect::set(&out, &"draws".into(), &(bands.draws as u32).into());
        let _ = Reflect::set(&out, &"seed".into(), &JsValue::from_str(&bands.seed.to_string()));
        let _ = Reflect::set(&self.stats, &"bands".into(), &out);
        let _ = Reflect::set(&self.stats, &"bandsMs".into(), &ms.into());
    }
}
