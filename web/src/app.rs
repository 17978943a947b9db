//! The page's one owner of state, and its update cycle.
//!
//! Events become [`Msg`]s; [`App::apply`] changes the scenario (through `atlas_core::edit` where a
//! domain rule is involved) and marks the page dirty; one `requestAnimationFrame` per frame then
//! validates, simulates, redraws every chart and updates the cards — however many input events
//! arrived in between. Each update's timings (simulate, draw, DOM, input to paint) go to
//! `window.__atlas` for the tests and the browser benchmark.

use std::cell::RefCell;
use std::rc::Rc;

use atlas_core::edit;
use atlas_core::scenario::ExportPolicy;
use atlas_core::{Results, Scenario, Valid, simulate};
use js_sys::{Array, Object, Reflect};
use plotters::style::RGBColor;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::bands::{self, BandsState, Next, SETTLE_MS, WORKER_PATIENCE_MS};
use crate::chart::Theme;
use crate::compare::{CompareView, Comparison, link_for};
use crate::controls::Controls;
use crate::dom;
use crate::helpers::Reply;
use crate::history::{self, Entry, History, REPLACE_EVERY_MS};
use crate::i18n::{k, t, tf};
use crate::msg::Msg;
use crate::optimise::{OptimiseView, PlanJob};
use crate::page::Outputs;
use crate::stats::{Stats, Timing};
use crate::uncertainty::UncertaintyView;
use crate::views::{self, Breakdown, ChartId, Choices};

/// A drag that pauses this long (the pointer still down) lets the bands start, ms: longer than the
/// gap between two moves of a slow drag (~50 ms at 20 inputs a second).
const DRAG_PAUSE_MS: i32 = 250;

/// How long a change rests before the status region says where the scenario stands, ms: longer
/// than the gap between two key presses held down or two moves of a slow drag.
const REST_MS: i32 = 700;

/// How long the map's play-through shows each quarter, ms (a seven-year span plays in about
/// eleven seconds; WCAG 2.2.2: it can be paused, and it stops by itself at the end).
const MAP_STEP_MS: i32 = 400;

/// About one frame at 60 Hz, ms.
const FRAME_MS: i32 = 16;

/// Timings kept for the benchmark (the last this many updates).
const TIMINGS_KEPT: u32 = 2000;

/// Everything the page knows.
pub struct App {
    default: Scenario,
    pub(crate) scenario: Scenario,
    /// What the cards and ghost lines compare against: the default, or a pinned scenario.
    baseline: Results,
    /// The default scenario's results (the baseline when nothing is pinned).
    default_results: Results,
    pinned: bool,
    /// The scenario behind `baseline`.
    baseline_scenario: Scenario,
    /// The baseline scenario simulated over the current scenario's years, when they differ from
    /// its own, so that the cards compare like with like; keyed by the span.
    span_baseline: Option<((i32, i32), Results)>,
    pub(crate) current: Results,
    locked: Vec<String>,
    /// The reader's choices on the charts (capacity breakdown, the map's figure, colours and
    /// quarter).
    choices: Choices,
    /// The map's play-through, while it plays: its generation (a newer play or a pause ends it).
    map_playing: Option<u32>,
    /// Generations of the map's play-throughs so far.
    map_plays: u32,
    /// The chart or card shown alone, when the page is embedded in another (`?embed=`).
    embed: Option<crate::embed::EmbedView>,
    /// The Embed dialog (not in an embedded page).
    embed_dialog: Option<crate::embed::EmbedDialog>,
    /// Chart colours, read from the CSS at start and when the colour scheme changes.
    theme: Theme,
    /// Undo / redo and the address bar.
    history: History,
    /// How the next frame writes the address bar, if the scenario changed.
    url_entry: Option<Entry>,
    controls: Controls,
    pub(crate) outputs: Outputs,
    /// The uncertainty panel (absent in a document without it).
    pub(crate) uncertainty: Option<UncertaintyView>,
    /// The bands and the tornado, and the work on them.
    pub(crate) bands: BandsState,
    /// The comparison panel (absent in a document without it).
    compare: Option<CompareView>,
    /// The last comparison the panel made.
    compared: Option<Comparison>,
    /// The planner's panel (absent in a document without it).
    optimise: Option<OptimiseView>,
    /// The planner's work: the last plan, its explanation and review, the frontier so far.
    plan_job: PlanJob,
    /// Time stamp of the earliest input not yet painted.
    pending_input: Option<f64>,
    /// Whether a slider is being dragged (an input came, its release has not): no band work
    /// competes with the drag's frames until the release or a pause ([`DRAG_PAUSE_MS`]).
    dragging: bool,
    /// When the drag's last input came (`dom::now()`).
    drag_input_at: f64,
    /// Whether a drag-pause timer is set (one at a time, however many inputs a drag sends).
    pause_timer: bool,
    /// Whether the last frame's scenario was valid (band work follows only a valid one).
    valid: bool,
    frame_requested: bool,
    updates: u32,
    /// When the last frame that simulated a change ran (`dom::now()`): the change rests from then.
    changed_at: f64,
    /// Whether a rest timer is set (one at a time, however many frames a drag draws).
    rest_timer: bool,
    /// What the status region said last.
    announced: String,
    /// Whether the comparison panel compares the baseline with the current scenario, and so
    /// follows it (until the user types links of their own or swaps them).
    compare_follows: bool,
    /// The lever dock of narrow screens (absent in a document without it).
    dock: Option<crate::dock::Dock>,
    /// What `window.__atlas` shows (published after each message and frame).
    pub(crate) stats: Stats,
    /// `window.__atlas` itself.
    atlas: Object,
    timings: Array,
}

/// The animation-frame callback, made once and kept for the page's lifetime.
type FrameCallback = Closure<dyn FnMut(f64)>;

thread_local! {
    static APP: RefCell<Option<App>> = const { RefCell::new(None) };
    static FRAME: RefCell<Option<FrameCallback>> = const { RefCell::new(None) };
}

/// Runs `f` on the app if it exists and is not already borrowed (events cannot re-enter).
pub fn with_app<R>(f: impl FnOnce(&mut App) -> R) -> Option<R> {
    APP.with(|cell| cell.try_borrow_mut().ok().and_then(|mut app| app.as_mut().map(f)))
}

/// Reads the chart colours from the page's CSS variables (they follow light and dark mode).
fn theme() -> Theme {
    let read = |name: &str, fallback: RGBColor| -> RGBColor {
        let value = dom::window()
            .ok()
            .and_then(|w| w.get_computed_style(&dom::document().ok()?.document_element()?).ok().flatten())
            .and_then(|style| style.get_property_value(name).ok())
            .map(|v| v.trim().to_string())
            .unwrap_or_default();
        if value.len() == 7 && value.starts_with('#') { views::colour(&value) } else { fallback }
    };
    Theme {
        background: read("--chart-bg", RGBColor(255, 255, 255)),
        text: read("--chart-text", RGBColor(58, 65, 74)),
        grid: read("--chart-grid", RGBColor(213, 218, 224)),
    }
}

/// Builds the page and starts it. A document without the page's `#controls` (a test harness)
/// is left alone.
pub fn start() -> Result<(), JsValue> {
    history::choose_language();
    crate::i18n::apply(&dom::document()?);
    crate::i18n::bind_switcher(&dom::document()?, || with_app(|app| app.leave_for_language()))?;
    if dom::document()?.get_element_by_id("controls").is_none() {
        return Ok(());
    }
    let default = Scenario::default();
    let baseline =
        simulate(&default).map_err(|p| JsValue::from_str(&format!("default scenario invalid: {p:?}")))?;
    let send: Rc<dyn Fn(Msg, f64)> = Rc::new(|msg, stamp| {
        with_app(|app| app.apply(msg, stamp));
        request_frame();
    });
    let dock = crate::dock::Dock::build(send.clone(), Rc::new(request_frame))?;
    let controls = Controls::build(&default, &default, send)?;
    let outputs = Outputs::build()?;
    crate::page::build_sources()?;

    let timings = Array::new();
    let atlas = Stats::install(&timings)?;

    let uncertainty = UncertaintyView::build(&baseline.summary)?;
    let (mut from_url, choices, embed) = history::read_url();
    if let Some(carried) = history::take_carried(&from_url.scenario) {
        from_url.scenario = carried;
    }
    history::show_notices(&from_url.notices)?;
    // A link with notices is rewritten to the canonical link of what was applied, so copying the
    // address does not pass the bad parameters on (the notice keeps them).
    let url_entry = (!from_url.notices.is_empty()).then_some(Entry::Replace);
    let app = App {
        scenario: from_url.scenario,
        current: baseline.clone(),
        default,
        default_results: baseline.clone(),
        pinned: false,
        baseline_scenario: Scenario::default(),
        span_baseline: None,
        baseline,
        locked: Vec::new(),
        choices,
        embed: None,
        embed_dialog: None,
        map_playing: None,
        map_plays: 0,
        theme: theme(),
        history: History::default(),
        url_entry,
        controls,
        outputs,
        uncertainty,
        bands: BandsState::default(),
        compare: CompareView::build()?,
        compared: None,
        optimise: OptimiseView::build()?,
        plan_job: PlanJob::default(),
        pending_input: None,
        dragging: false,
        drag_input_at: 0.0,
        pause_timer: false,
        valid: true,
        frame_requested: false,
        updates: 0,
        changed_at: 0.0,
        rest_timer: false,
        announced: String::new(),
        compare_follows: true,
        dock,
        stats: Stats::default(),
        atlas,
        timings,
    };
    let mut app = app;
    match embed.as_deref().and_then(crate::embed::Target::parse) {
        Some(target) => app.embed = Some(crate::embed::EmbedView::enter(target)?),
        None => app.embed_dialog = Some(crate::embed::EmbedDialog::build()?),
    }
    bind_outputs(&app)?;
    bind_uncertainty(&app)?;
    bind_embed_dialog(&app)?;
    APP.with(|cell| *cell.borrow_mut() = Some(app));
    FRAME.with(|frame| {
        *frame.borrow_mut() = Some(Closure::new(|_t: f64| {
            with_app(|app| {
                app.frame();
                app.publish_stats();
            });
        }))
    });
    with_app(|app| {
        app.controls.sync(&app.scenario, &app.locked);
        if let Some(dock) = &app.dock {
            dock.sync(&app.scenario);
        }
        if app.scenario != app.default {
            app.current = simulate(&app.scenario).unwrap_or_else(|_| app.baseline.clone());
        }
        for (j, b) in app.outputs.switch.iter().enumerate() {
            let pressed = (j == 1) == (app.choices.breakdown == Breakdown::Region);
            let _ = b.set_attribute("aria-pressed", if pressed { "true" } else { "false" });
        }
        app.update_buttons();
        app.show_name();
        app.follow_comparison();
        app.stats.summary = Some(app.current.summary.clone());
        app.redraw();
        app.follow_bands();
        if let Some(entry) = app.url_entry.take() {
            app.write_url(entry);
        }
        app.stats.ready = true;
        app.publish_stats();
    });
    Ok(())
}

/// Reads a scenario file and opens it (problems show in the notice panel).
fn open_file(file: web_sys::File) {
    let done = Closure::once(move |text: JsValue| {
        let text = text.as_string().unwrap_or_default();
        with_app(|app| app.apply(Msg::Open(text), dom::now()));
        request_frame();
    });
    let _ = file.text().then(&done);
    done.forget();
}

/// Asks for one animation frame, unless one is already coming.
pub(crate) fn request_frame() {
    let needed = with_app(|app| !std::mem::replace(&mut app.frame_requested, true)).unwrap_or(false);
    if needed {
        FRAME.with(|frame| {
            if let (Some(cb), Ok(window)) = (frame.borrow().as_ref(), dom::window()) {
                let _ = window.request_animation_frame(cb.as_ref().unchecked_ref());
            }
        });
    }
}

/// Listeners on the uncertainty panel.
fn bind_uncertainty(app: &App) -> Result<(), JsValue> {
    let Some(view) = &app.uncertainty else { return Ok(()) };
    let send = |dragging: bool| {
        move |e: web_sys::Event| {
            with_app(|app| {
                let Some(view) = &app.uncertainty else { return };
                let u = view.read(&app.scenario.uncertainty);
                app.apply(Msg::Uncertainty(u, dragging), e.time_stamp());
            });
            request_frame();
        }
    };
    dom::listen(&view.width, "input", send(true))?;
    dom::listen(&view.width, "change", |e: web_sys::Event| {
        with_app(|app| app.apply(Msg::Commit, e.time_stamp()));
        request_frame();
    })?;
    for el in [view.on.clone().into(), view.draws.clone().into(), view.seed.clone().into()] {
        let el: web_sys::Element = el;
        dom::listen(&el, "change", send(false))?;
    }
    dom::listen(&view.reseed, "click", |e: web_sys::Event| {
        with_app(|app| {
            let mut u = app.scenario.uncertainty.clone();
            u.seed = u.seed.wrapping_add(1);
            app.apply(Msg::Uncertainty(u, false), e.time_stamp());
        });
        request_frame();
    })?;
    dom::listen(&view.kpi, "change", |_: web_sys::Event| {
        with_app(App::follow_bands);
    })?;
    dom::listen(&view.more, "click", |_: web_sys::Event| {
        with_app(|app| {
            let Some(view) = &app.uncertainty else { return };
            view.show_all.set(!view.show_all.get());
            if let Some(t) = app.bands.tornado() {
                let _ = view.draw_tornado(t);
            }
        });
    })?;
    dom::listen(&view.tornado_csv, "click", |_: web_sys::Event| {
        with_app(|app| {
            if let Some(t) = app.bands.tornado() {
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

/// What an update asks for next: a message as soon as the page has the thread back, or after a
/// time. The one scheduler of the page's background work (band slices, frontier steps, timers).
pub(crate) enum Effect {
    /// The message in a task of its own, soon.
    Soon(Msg),
    /// The message after this many milliseconds.
    After(i32, Msg),
    /// An animation frame, to show what changed.
    Frame,
}

/// Takes a message of the page's background work ([`App::update`]) and schedules what it asks for
/// next; each runs in a task of its own, so the page gets the thread back between two.
pub(crate) fn dispatch(msg: Msg) {
    let effects = with_app(|app| {
        let effects = app.update(msg);
        // A frame publishes what it changed; otherwise (background work) publish now.
        if !effects.iter().any(|e| matches!(e, Effect::Frame)) {
            app.publish_stats();
        }
        effects
    });
    for effect in effects.unwrap_or_default() {
        match effect {
            Effect::Soon(next) => dom::soon(move || dispatch(next)),
            Effect::After(ms, next) => dom::after(ms, move || dispatch(next)),
            Effect::Frame => request_frame(),
        }
    }
}

/// Takes over the workers `www/main.js` started (an array of `Worker`), which the page then uses
/// for its bands: each answer is noted and its draws go to the current job.
#[wasm_bindgen]
pub fn attach_workers(workers: Array) {
    let helpers =
        crate::helpers::attach(workers, Rc::new(|index, reply| dispatch(Msg::WorkerReply(index, reply))));
    with_app(|app| {
        app.bands.helpers = helpers;
        bands::helpers_attached(app);
        app.publish_stats();
    });
}

impl bands::Host for App {
    fn bands(&mut self) -> &mut BandsState {
        &mut self.bands
    }
    fn bands_ref(&self) -> &BandsState {
        &self.bands
    }
    fn scenario(&self) -> &Scenario {
        &self.scenario
    }
    fn uncertainty(&self) -> Option<&UncertaintyView> {
        self.uncertainty.as_ref()
    }
    fn stats(&mut self) -> &mut Stats {
        &mut self.stats
    }
    fn redraw(&mut self) {
        self.draw_charts();
        self.show_ranges();
    }
}

/// Listeners on the planner's panel (absent in a document without it).
fn bind_optimise() -> Result<(), JsValue> {
    let Ok(form) = dom::by_id::<web_sys::Element>("optimise-form") else {
        return Ok(());
    };
    dom::listen(&form, "submit", |e: web_sys::Event| {
        e.prevent_default();
        with_app(App::optimise);
        request_frame();
    })?;
    if let Some(button) = dom::element("opt-apply") {
        dom::listen(&button, "click", |_: web_sys::Event| {
            with_app(App::apply_plan);
            request_frame();
        })?;
    }
    for id in ["opt-share", "opt-target"] {
        if let Some(input) = dom::element(id) {
            dom::listen(&input, "input", |_: web_sys::Event| {
                with_app(|app| app.optimise.as_ref().map(OptimiseView::show_inputs));
            })?;
        }
    }
    Ok(())
}

impl App {
    /// Works out the next part of optimisation run `generation` — first what binds, then frontier
    /// point `i` — and asks for the one after: one solve per task, so the page never waits for
    /// all of them.
    fn frontier_step(&mut self, generation: u32, i: usize) -> Vec<Effect> {
        let Some(view) = self.optimise.as_ref() else { return Vec::new() };
        let job = &mut self.plan_job;
        if job.generation != generation {
            return Vec::new();
        }
        let started = dom::now();
        let record =
            |stats: &mut Stats| stats.frontier_steps.get_or_insert_default().push(dom::now() - started);
        // While the explanation is being worked out, `i` stays at the first frontier point.
        if view.explain_step(job) {
            record(&mut self.stats);
            return vec![Effect::After(0, Msg::FrontierStep(generation, i))];
        }
        let Some((s, settings)) = job.last.as_ref().map(|(s, p)| (s.clone(), p.settings.clone())) else {
            return Vec::new();
        };
        let Some(&price) = atlas_core::plan::FRONTIER_PRICES_USD_PER_T.get(i) else { return Vec::new() };
        if let Ok(point) = atlas_core::plan::frontier_point(&s, &settings, price) {
            job.add_point(point);
        }
        view.draw(job, &self.theme, FRONTIER_COLOUR, MINE_COLOUR);
        record(&mut self.stats);
        self.stats.frontier_points = Some(job.point_count() as u32);
        if i + 1 < atlas_core::plan::FRONTIER_PRICES_USD_PER_T.len() {
            return vec![Effect::After(0, Msg::FrontierStep(generation, i + 1))];
        }
        self.stats.frontier_done_ms = Some(self.stats.frontier_started.map_or(0.0, |b| dom::now() - b));
        Vec::new()
    }

    /// A message of the page's background work: a slice of the bands, a worker's answer, a step of
    /// the planner's explanation and frontier, a timer. Returns what should follow (see
    /// [`dispatch`]); the user's own messages go through [`App::apply`].
    pub(crate) fn update(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::BandSlice(generation) => match bands::work(self, generation) {
                Next::Slice => vec![Effect::Soon(Msg::BandSlice(generation))],
                Next::Wait { generation, replies } => {
                    vec![Effect::After(WORKER_PATIENCE_MS, Msg::WorkersLate { generation, replies })]
                }
                Next::Done => Vec::new(),
            },
            Msg::WorkersLate { generation, replies } => bands::workers_late(self, generation, replies)
                .map(|g| Effect::Soon(Msg::BandSlice(g)))
                .into_iter()
                .collect(),
            Msg::WorkerReply(index, reply) => {
                self.bands.helpers.answered(index, matches!(reply, Reply::Failed { .. }));
                bands::helper_replied(self, reply)
                    .map(|g| Effect::Soon(Msg::BandSlice(g)))
                    .into_iter()
                    .collect()
            }
            Msg::FrontierStep(generation, i) => self.frontier_step(generation, i),
            Msg::MapStep(generation) => self.map_step(generation),
            Msg::DragPause => {
                self.pause_timer = false;
                if !self.dragging {
                    return Vec::new();
                }
                // An input came since the timer was set: wait out the rest of the pause after it.
                let quiet = dom::now() - self.drag_input_at;
                let pause = f64::from(DRAG_PAUSE_MS);
                if quiet < pause - 1.0 {
                    self.pause_timer = true;
                    return vec![Effect::After((pause - quiet).ceil() as i32, Msg::DragPause)];
                }
                if self.frame_requested {
                    // The last input's frame is still to come: look again after it.
                    self.pause_timer = true;
                    return vec![Effect::After(FRAME_MS, Msg::DragPause)];
                }
                if self.valid {
                    self.follow_bands();
                }
                Vec::new()
            }
            Msg::Rested => {
                // A change came since the timer was set, or a slider is held: wait out the rest.
                let quiet = dom::now() - self.changed_at;
                let rest = f64::from(REST_MS);
                if self.dragging || quiet < rest - 1.0 {
                    let wait = if self.dragging { rest } else { rest - quiet };
                    return vec![Effect::After(wait.ceil() as i32, Msg::Rested)];
                }
                self.rest_timer = false;
                let baseline = self.span_baseline.as_ref().map_or(&self.baseline, |(_, r)| r);
                let text = crate::page::announcement(&self.current.summary, &baseline.summary);
                if text != self.announced {
                    self.outputs.announce(&text);
                    self.announced = text;
                }
                self.follow_comparison();
                Vec::new()
            }
            other => {
                self.apply(other, dom::now());
                vec![Effect::Frame]
            }
        }
    }
}

/// Colours of the frontier and of the user's point on it.
const FRONTIER_COLOUR: RGBColor = RGBColor(37, 99, 235);
const MINE_COLOUR: RGBColor = RGBColor(220, 38, 38);

/// The comparison CSV's file name: both scenarios' slugs.
fn compare_file_name(app: &App) -> String {
    let slugs = app.compared.as_ref().map(Comparison::slugs).unwrap_or_default();
    match slugs.as_slice() {
        [] => "compute-atlas-comparison.csv".to_string(),
        [a, b] => format!("compute-atlas-{a}-vs-{b}.csv"),
        [a, rest @ ..] => format!("compute-atlas-{a}-vs-{}-more.csv", rest.len()),
    }
}

/// Listeners on the comparison panel (absent in a document without it).
fn bind_compare() -> Result<(), JsValue> {
    let Ok(form) = dom::by_id::<web_sys::Element>("compare-form") else {
        return Ok(());
    };
    fn run(app: &mut App) {
        app.compare_now();
    }
    dom::listen(&form, "submit", move |e: web_sys::Event| {
        e.prevent_default();
        with_app(run);
    })?;
    // Links typed by hand: the comparison is theirs, and no longer follows the current scenario.
    dom::listen(&form, "input", move |_: web_sys::Event| {
        with_app(|app| app.compare_follows = false);
    })?;
    // An added input's Remove button: one listener for all of them.
    dom::listen(&form, "click", |e: web_sys::Event| {
        let Some(button) = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
        if !button.class_list().contains("compare-remove") {
            return;
        }
        if let Some(row) = button.parent_element() {
            with_app(|app| {
                if let Some(view) = &app.compare {
                    view.remove_input(&row);
                }
            });
        }
    })?;
    type Action = fn(&mut App);
    let buttons: [(&str, Action); 5] = [
        ("compare-fill", |app| app.compare_baseline_with_current()),
        ("compare-add", |app| {
            if let Some(view) = &app.compare
                && let Err(err) = view.add_input()
            {
                dom::log_error("adding a scenario to compare", &err);
            }
        }),
        ("compare-swap", |app| {
            if let Some(view) = &app.compare {
                view.swap();
            }
            app.compare_follows = false;
            run(app);
        }),
        ("compare-show", App::show_comparison_on_charts),
        ("compare-csv", |app| {
            if let Some(csv) = app.compared.as_ref().map(Comparison::csv)
                && let Err(err) = crate::download::save(&compare_file_name(app), "text/csv", &csv)
            {
                dom::log_error("saving the comparison", &err);
            }
        }),
    ];
    for (id, action) in buttons {
        if let Some(button) = dom::element(id) {
            dom::listen(&button, "click", move |_: web_sys::Event| {
                with_app(action);
                request_frame();
            })?;
        }
    }
    Ok(())
}

/// Listeners on everything outside the control panels, panel by panel.
fn bind_outputs(app: &App) -> Result<(), JsValue> {
    bind_breakdown_switch(app)?;
    bind_map_controls(app)?;
    bind_history()?;
    bind_compare()?;
    bind_optimise()?;
    bind_downloads()?;
    bind_files()?;
    bind_chart_saving()?;
    bind_notice()?;
    bind_read_outs(app)?;
    bind_window()?;
    Ok(())
}

/// The capacity chart's provider / region switch.
fn bind_breakdown_switch(app: &App) -> Result<(), JsValue> {
    for (i, button) in app.outputs.switch.iter().enumerate() {
        dom::listen(button, "click", move |_: web_sys::Event| {
            with_app(|app| {
                app.choices.breakdown = if i == 0 { Breakdown::Provider } else { Breakdown::Region };
                for (j, b) in app.outputs.switch.iter().enumerate() {
                    let _ = b.set_attribute("aria-pressed", if i == j { "true" } else { "false" });
                }
                app.history.write_url(&app.scenario, &app.choices, Entry::Push);
                app.redraw();
            });
        })?;
    }
    Ok(())
}

/// The map's own controls: what its circles and colours show, its quarter, play and pause.
fn bind_map_controls(app: &App) -> Result<(), JsValue> {
    let map = &app.outputs.map;
    dom::listen(&map.figure, "change", |e: web_sys::Event| {
        let Some(value) = dom::target_value(&e) else { return };
        with_app(|app| {
            if let Some(f) = atlas_core::geography::MapFigure::from_id(&value) {
                app.choices.map_figure = f;
                app.redraw_map();
            }
        });
    })?;
    dom::listen(&map.colour, "change", |e: web_sys::Event| {
        let Some(value) = dom::target_value(&e) else { return };
        with_app(|app| {
            if let Some(c) = atlas_core::geography::MapColour::from_id(&value) {
                app.choices.map_colour = c;
                app.redraw_map();
            }
        });
    })?;
    dom::listen(&map.quarter, "input", |e: web_sys::Event| {
        let Some(q) = dom::target_value(&e).and_then(|v| v.parse::<usize>().ok()) else { return };
        with_app(|app| {
            // The reader took the quarter in hand: a play-through stops.
            app.stop_map_play();
            app.choices.map_quarter = app.current.quarters.get(q).copied();
            app.redraw_map();
        });
    })?;
    dom::listen(&app.outputs.flows.year, "change", |e: web_sys::Event| {
        let Some(value) = dom::target_value(&e) else { return };
        with_app(|app| {
            app.choices.flows_year = value.parse::<i32>().ok();
            app.redraw_one(ChartId::Flows);
            app.note_url();
            app.publish_stats();
        });
    })?;
    dom::listen(&map.play, "click", |_: web_sys::Event| {
        if let Some(Some(step)) = with_app(App::toggle_map_play) {
            dom::after(MAP_STEP_MS, move || dispatch(step));
        }
    })?;
    Ok(())
}

/// Back and forward, undo, redo and pin (buttons and keys).
fn bind_history() -> Result<(), JsValue> {
    let window = dom::window()?;
    let send = |msg: Msg| {
        move |e: web_sys::Event| {
            with_app(|app| app.apply(msg.clone(), e.time_stamp()));
            request_frame();
        }
    };
    dom::listen(&window, "popstate", send(Msg::FromUrl))?;
    for (id, msg) in [("undo", Msg::Undo), ("redo", Msg::Redo), ("pin", Msg::TogglePin)] {
        if let Some(button) = dom::element(id) {
            dom::listen(&button, "click", send(msg))?;
        }
    }
    dom::listen(&window, "keydown", |e: web_sys::KeyboardEvent| {
        let key = e.key().to_lowercase();
        let msg = match (e.ctrl_key() || e.meta_key(), e.shift_key(), key.as_str()) {
            (true, false, "z") => Msg::Undo,
            (true, true, "z") | (true, false, "y") => Msg::Redo,
            _ => return,
        };
        e.prevent_default();
        with_app(|app| app.apply(msg, e.time_stamp()));
        request_frame();
    })?;
    Ok(())
}

/// Copy link, the CSV and the scenario file.
fn bind_downloads() -> Result<(), JsValue> {
    if let Some(button) = dom::element("copy-link") {
        let target = button.clone();
        dom::listen(&button, "click", move |_: web_sys::Event| {
            if let Err(err) = crate::download::copy_link(target.clone()) {
                dom::log_error("copying the link", &err);
            }
        })?;
    }
    if let Some(button) = dom::element("download-csv") {
        dom::listen(&button, "click", |_: web_sys::Event| {
            with_app(|app| {
                let csv = atlas_core::export::to_csv(&app.scenario, &app.current);
                let name = format!("compute-atlas-{}.csv", atlas_core::naming::title(&app.scenario).slug);
                if let Err(err) = crate::download::save(&name, "text/csv", &csv) {
                    dom::log_error("saving the CSV", &err);
                }
            });
        })?;
    }
    if let Some(button) = dom::element("download-json") {
        dom::listen(&button, "click", |_: web_sys::Event| {
            with_app(|app| {
                // The file carries the name the page shows, and says what was changed.
                let title = atlas_core::naming::title(&app.scenario);
                let mut named = app.scenario.clone();
                named.name = title.name;
                named.description = title.description;
                let json = named.to_json_pretty();
                let name = format!("compute-atlas-{}.json", title.slug);
                if let Err(err) = crate::download::save(&name, "application/json", &json) {
                    dom::log_error("saving the scenario", &err);
                }
            });
        })?;
    }
    Ok(())
}

/// Scenario files: the file picker, or a file dropped anywhere on the page.
fn bind_files() -> Result<(), JsValue> {
    let window = dom::window()?;
    // Scenario files: the file picker, or a file dropped anywhere on the page.
    if let Some(input) = dom::element("open-json") {
        let picker = input.clone();
        dom::listen(&input, "change", move |_: web_sys::Event| {
            let file =
                picker.dyn_ref::<web_sys::HtmlInputElement>().and_then(|i| i.files()).and_then(|f| f.get(0));
            if let Some(file) = file {
                open_file(file);
            }
            if let Some(i) = picker.dyn_ref::<web_sys::HtmlInputElement>() {
                i.set_value("");
            }
        })?;
    }
    dom::listen(&window, "dragover", |e: web_sys::DragEvent| e.prevent_default())?;
    dom::listen(&window, "drop", |e: web_sys::DragEvent| {
        e.prevent_default();
        if let Some(file) = e.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0)) {
            open_file(file);
        }
    })?;
    Ok(())
}

/// Chart downloads: one listener on the charts area for every PNG / SVG button.
fn bind_chart_saving() -> Result<(), JsValue> {
    // Chart downloads: one listener on the charts area for every PNG / SVG button.
    let charts: web_sys::Element = dom::by_id("charts")?;
    dom::listen(&charts, "click", |e: web_sys::Event| {
        let Some(target) = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
        if let Some(id) = target.get_attribute("data-share").and_then(|id| ChartId::from_id(&id)) {
            with_app(|app| app.save_share_image(id));
            return;
        }
        if let Some(target) =
            target.get_attribute("data-embed").and_then(|id| crate::embed::Target::parse(&id))
        {
            with_app(|app| app.show_embed(target));
            return;
        }
        let (Some(format), Some(id)) =
            (target.get_attribute("data-save"), target.get_attribute("data-chart"))
        else {
            return;
        };
        with_app(|app| {
            let Some(view) = app.outputs.charts.iter().find(|v| v.id.id() == id) else { return };
            let name =
                format!("compute-atlas-{}-{id}.{format}", atlas_core::naming::title(&app.scenario).slug);
            let saved = if format == "svg" {
                match crate::page::chart_svg(view, &app.theme) {
                    Some(svg) => crate::download::save(&name, "image/svg+xml", &svg),
                    None => Err(JsValue::from_str("the chart has not been drawn")),
                }
            } else {
                crate::page::chart_png(view).and_then(|url| crate::download::save_data_url(&name, &url))
            };
            if let Err(err) = saved {
                dom::log_error("saving the chart", &err);
            }
        });
    })?;
    Ok(())
}

/// The Embed dialog: another chart or card chosen, the code copied, the dialog closed.
fn bind_embed_dialog(app: &App) -> Result<(), JsValue> {
    let Some(dialog) = &app.embed_dialog else { return Ok(()) };
    dom::listen(dialog.what(), "change", |_: web_sys::Event| {
        with_app(|app| {
            if let Some(target) = app.embed_dialog.as_ref().and_then(|d| d.chosen()) {
                app.show_embed(target);
            }
        });
    })?;
    dom::listen(&dialog.copy, "click", |_: web_sys::Event| {
        with_app(|app| {
            let Some(dialog) = &app.embed_dialog else { return };
            let button: web_sys::HtmlElement = dialog.copy.clone().into();
            if let Err(err) =
                crate::download::copy_text(&dialog.code(), button, t(k::EMBED_COPY), t(k::EMBED_COPIED))
            {
                dom::log_error("copying the embed code", &err);
            }
        });
    })?;
    dom::listen(&dialog.close, "click", |_: web_sys::Event| {
        with_app(|app| {
            if let Some(dialog) = &app.embed_dialog {
                dialog.close();
            }
        });
    })?;
    Ok(())
}

/// The link notice's close button.
fn bind_notice() -> Result<(), JsValue> {
    if let Some(button) = dom::element("url-notice-close") {
        dom::listen(&button, "click", |_: web_sys::Event| {
            let _ = history::show_notices(&[]);
        })?;
    }
    Ok(())
}

/// The charts' read-outs: hover, tap, and a tap elsewhere to hide them.
fn bind_read_outs(app: &App) -> Result<(), JsValue> {
    let window = dom::window()?;
    let tooltip: web_sys::HtmlElement = dom::by_id("tooltip")?;
    for view in &app.outputs.charts {
        let canvas: web_sys::HtmlCanvasElement = dom::by_id(&format!("chart-{}", view.id))?;
        let (view_move, tip_move, canvas_move) = (view.clone(), tooltip.clone(), canvas.clone());
        let show = Rc::new(move |e: web_sys::PointerEvent| {
            let rect = canvas_move.get_bounding_client_rect();
            let quarters = with_app(|app| app.current.quarters.clone()).unwrap_or_default();
            let (x, y) = (f64::from(e.client_x()) - rect.left(), f64::from(e.client_y()) - rect.top());
            match crate::page::hover_text(&view_move, x, y, &quarters) {
                Some(text) => {
                    dom::set_text(&tip_move, &text);
                    let style = tip_move.style();
                    let _ = style.set_property("left", &format!("{}px", e.client_x() + 14));
                    let _ = style.set_property("top", &format!("{}px", e.client_y() + 14));
                    tip_move.set_hidden(false);
                }
                None => tip_move.set_hidden(true),
            }
        });
        // A mouse shows the read-out as it moves; a finger by a tap (pointerdown), and it stays
        // until the next tap elsewhere.
        let on_move = show.clone();
        dom::listen(&canvas, "pointermove", move |e: web_sys::PointerEvent| on_move(e))?;
        dom::listen(&canvas, "pointerdown", move |e: web_sys::PointerEvent| show(e))?;
        let tip_leave = tooltip.clone();
        dom::listen(&canvas, "pointerleave", move |e: web_sys::PointerEvent| {
            if e.pointer_type() != "touch" {
                tip_leave.set_hidden(true);
            }
        })?;
        bind_keyboard_read_out(view, &canvas, &tooltip)?;
        let view_table = view.clone();
        dom::listen(&view.table_button, "click", move |_: web_sys::Event| {
            let on = view_table.table_button.get_attribute("aria-pressed").as_deref() != Some("true");
            with_app(|app| {
                if let Err(err) = view_table.show_table(on, &app.current.quarters) {
                    dom::log_error("showing a chart's table", &err);
                }
                // The canvas was hidden or shown: measured and drawn again.
                app.redraw();
            });
        })?;
    }
    let tip_away = tooltip.clone();
    dom::listen(&window, "pointerdown", move |e: web_sys::PointerEvent| {
        let on_chart = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|el| el.tag_name().eq_ignore_ascii_case("canvas"));
        if !on_chart {
            tip_away.set_hidden(true);
        }
    })?;
    Ok(())
}

/// The keyboard's read-out of one chart: with the chart focused, the arrow keys move it quarter
/// by quarter (Left, Right, Home, End) and between series (Up, Down), Escape puts it away. The
/// read-out shows beside the quarter as the hover's does, and the series' value is said politely.
fn bind_keyboard_read_out(
    view: &Rc<crate::page::ChartView>,
    canvas: &web_sys::HtmlCanvasElement,
    tooltip: &web_sys::HtmlElement,
) -> Result<(), JsValue> {
    let (view, tip, place) = (view.clone(), tooltip.clone(), canvas.clone());
    let live = dom::element("chart-live");
    dom::listen(canvas, "keydown", move |e: web_sys::KeyboardEvent| {
        let quarters = with_app(|app| app.current.quarters.clone()).unwrap_or_default();
        let drawn = view.drawn.borrow();
        let Some((picture, _)) = drawn.as_ref() else { return };
        let (columns, series) = picture.keys();
        if columns == 0 || series == 0 {
            return;
        }
        let last = columns - 1;
        let (mut q, mut s) = view.key.get().unwrap_or_else(|| picture.key_start());
        let (q0, s0) = (q.min(last), s.min(series - 1));
        (q, s) = (q0, s0);
        let fresh = view.key.get().is_none();
        match e.key().as_str() {
            "ArrowRight" if !fresh => q = (q + 1).min(last),
            "ArrowLeft" if !fresh => q = q.saturating_sub(1),
            "ArrowDown" if !fresh => s = (s + 1).min(series - 1),
            "ArrowUp" if !fresh => s = s.saturating_sub(1),
            "ArrowRight" | "ArrowLeft" | "ArrowDown" | "ArrowUp" => {}
            "Home" => q = 0,
            "End" => q = last,
            "Escape" => {
                view.key.set(None);
                tip.set_hidden(true);
                return;
            }
            _ => return,
        }
        e.prevent_default();
        view.key.set(Some((q, s)));
        dom::set_text(&tip, &picture.key_lines((q, s), &quarters).join("\n"));
        let said = picture.key_said((q, s), &quarters);
        drop(drawn);
        let rect = place.get_bounding_client_rect();
        let (x, y) = view.key_anchor((q, s)).unwrap_or((0.0, 0.0));
        let style = tip.style();
        let _ = style.set_property("left", &format!("{}px", rect.left() + x + 14.0));
        let _ = style.set_property("top", &format!("{}px", rect.top() + y + 8.0));
        tip.set_hidden(false);
        if let Some(live) = &live {
            dom::set_text(live, &said);
        }
    })?;
    let tip_blur = tooltip.clone();
    dom::listen(canvas, "blur", move |_: web_sys::Event| tip_blur.set_hidden(true))?;
    Ok(())
}

/// Resizing and the colour scheme.
fn bind_window() -> Result<(), JsValue> {
    let window = dom::window()?;
    dom::listen(&window, "resize", |_: web_sys::Event| {
        with_app(App::redraw);
    })?;
    if let Ok(Some(query)) = window.match_media("(prefers-color-scheme: dark)") {
        dom::listen(&query, "change", |_: web_sys::Event| {
            with_app(|app| {
                app.theme = theme();
                app.redraw();
            });
        })?;
    }
    Ok(())
}

impl App {
    /// Applies one change to the scenario; the next frame shows it.
    pub fn apply(&mut self, msg: Msg, stamp: f64) {
        self.pending_input = Some(self.pending_input.map_or(stamp, |t| t.min(stamp)));
        match msg {
            Msg::Slider(id, v) => {
                self.drag_step();
                crate::controls::set_slider(&mut self.scenario, id, v);
            }
            Msg::Share(p, pct) => {
                self.drag_step();
                let s = &mut self.scenario;
                let year = edit::target_share_year(s);
                let id = s.providers[p].id.clone();
                let (_, shares) = edit::rebalance_shares(&edit::shares_in(s, year), &id, pct, &self.locked);
                edit::set_shares(s, year, &shares);
            }
            Msg::RegionPrice(r, price) => {
                self.drag_step();
                edit::set_region_price(&mut self.scenario, r, price);
            }
            Msg::Uncertainty(u, dragging) => {
                if dragging {
                    self.drag_step();
                } else {
                    self.action_step();
                }
                self.scenario.uncertainty = u;
            }
            Msg::Preset(id) => {
                self.action_step();
                if let Some(policy) = ExportPolicy::preset(&id) {
                    self.scenario.export_policy = policy;
                }
            }
            Msg::Cell(family, group) => {
                self.action_step();
                edit::cycle_matrix_cell(&mut self.scenario, family, group);
            }
            Msg::Reset => {
                self.action_step();
                self.scenario = self.default.clone();
                self.locked.clear();
            }
            Msg::Lock(p) => {
                let id = self.scenario.providers[p].id.clone();
                if let Some(i) = self.locked.iter().position(|l| *l == id) {
                    self.locked.remove(i);
                } else {
                    self.locked.push(id);
                }
            }
            Msg::CapValue(cap) => {
                self.drag_step();
                edit::set_matrix_caps(&mut self.scenario, cap);
            }
            Msg::Commit => {
                self.history.end_drag(&self.scenario);
                self.url_entry.get_or_insert(Entry::Replace);
                self.dragging = false;
            }
            Msg::ScenarioPreset(id) => {
                self.action_step();
                self.scenario = atlas_core::url::decode(&format!("preset={id}"), &[]).scenario;
            }
            Msg::Undo | Msg::Redo => {
                let target = if msg == Msg::Undo {
                    self.history.undo(&self.scenario)
                } else {
                    self.history.redo(&self.scenario)
                };
                if let Some(s) = target {
                    self.scenario = s;
                    self.url_entry = Some(Entry::Push);
                }
            }
            Msg::FromUrl => {
                let (decoded, choices, _) = history::read_url();
                self.history.before_action(&self.scenario);
                self.scenario = decoded.scenario;
                self.choices = choices;
                // Going back ends a play-through: the link's quarter stands.
                self.stop_map_play();
                let _ = history::show_notices(&decoded.notices);
                if !decoded.notices.is_empty() {
                    self.url_entry = Some(Entry::Replace);
                }
            }
            Msg::Open(text) => match atlas_core::parse_scenario(&text) {
                Ok(scenario) => {
                    self.action_step();
                    self.scenario = scenario;
                    let _ = history::show_notices(&[]);
                }
                Err(problems) => {
                    let _ = history::show_list(t(k::NOTICE_FILE), problems.iter().map(crate::i18n::problem));
                }
            },
            Msg::TogglePin => {
                if self.pinned {
                    self.set_baseline(None, t(k::BASELINE_DEFAULT));
                } else {
                    let pinned = (self.scenario.clone(), self.current.clone());
                    self.set_baseline(Some(pinned), t(k::BASELINE_PINNED));
                }
                return;
            }
            // Background work's messages change no scenario: they go through `update`, in a task
            // of their own (the app is borrowed here).
            Msg::BandSlice(_)
            | Msg::WorkersLate { .. }
            | Msg::WorkerReply(..)
            | Msg::FrontierStep(..)
            | Msg::MapStep(..)
            | Msg::DragPause
            | Msg::Rested => {
                dom::soon(move || dispatch(msg));
                return;
            }
        }
        self.update_buttons();
    }

    /// A step of a drag: the undo step opened at its start, the address replaced (throttled), and
    /// the band work held off while it lasts.
    fn drag_step(&mut self) {
        self.history.before_drag(&self.scenario);
        self.url_entry.get_or_insert(Entry::Replace);
        self.drag_moved();
    }

    /// A discrete action: one undo step, a new address.
    fn action_step(&mut self) {
        self.history.before_action(&self.scenario);
        self.url_entry = Some(Entry::Push);
    }

    /// One animation frame: simulate, redraw, update the cards, and record the timings.
    fn frame(&mut self) {
        self.frame_requested = false;
        let started = dom::now();
        self.controls.sync(&self.scenario, &self.locked);
        if let Some(dock) = &self.dock {
            dock.sync(&self.scenario);
        }
        // Validated once: the simulation takes only a checked scenario.
        let simulated = dom::now();
        let problems = match Valid::check(&self.scenario) {
            Ok(valid) => {
                self.current = atlas_core::run(valid);
                Vec::new()
            }
            Err(problems) => problems,
        };
        let simulate_ms = dom::now() - simulated;
        if self.choices.fit(&self.current.quarters) {
            self.url_entry.get_or_insert(Entry::Replace);
        }
        let drawn = dom::now();
        self.draw_charts();
        let draw_ms = dom::now() - drawn;
        let dom_started = dom::now();
        self.controls.show_problems(&problems);
        self.update_cards();
        self.show_ranges();
        self.outputs.update_where(&self.scenario, &self.current);
        self.show_name();
        let dom_ms = dom::now() - dom_started + (simulated - started);
        let total_ms = dom::now() - started;
        self.updates += 1;
        self.stats.summary = Some(self.current.summary.clone());
        self.record(Timing { simulate_ms, draw_ms, dom_ms, total_ms });
        self.valid = problems.is_empty();
        if self.valid && !self.dragging {
            self.follow_bands();
        }
        if let Some(entry) = self.url_entry.take() {
            self.write_url(entry);
        }
        // Spoken once the change rests (a drag's steps are not announced one by one).
        self.changed_at = dom::now();
        if !std::mem::replace(&mut self.rest_timer, true) {
            dom::after(REST_MS, || dispatch(Msg::Rested));
        }
    }

    /// Starts the bands and tornado of the scenario on the page, if they are not under way.
    pub(crate) fn follow_bands(&mut self) {
        if let Some(generation) = bands::follow(self) {
            dom::after(SETTLE_MS, move || dispatch(Msg::BandSlice(generation)));
        }
    }

    /// Shows each card's range (faded while newer bands are being worked out).
    pub(crate) fn show_ranges(&self) {
        let stale = self.bands.stale(&self.scenario);
        self.outputs.update_ranges(self.bands.current(), stale);
    }

    /// A drag moved: the band work of the scenario it left is abandoned (its frames are the
    /// drag's), and a check is set for a pause in the drag.
    fn drag_moved(&mut self) {
        self.dragging = true;
        self.drag_input_at = dom::now();
        self.bands.abandon();
        if !std::mem::replace(&mut self.pause_timer, true) {
            dom::after(DRAG_PAUSE_MS, || dispatch(Msg::DragPause));
        }
    }

    /// Writes the address bar; a throttled replacement is retried once the throttle allows. An
    /// embedded page keeps its address (a reload shows the same chart alone).
    fn write_url(&mut self, entry: Entry) {
        if self.embed.is_some() {
            return;
        }
        if self.history.write_url(&self.scenario, &self.choices, entry) {
            dom::after(REPLACE_EVERY_MS as i32, || {
                with_app(|app| {
                    if app.history.replace_pending() {
                        app.write_url(Entry::Replace);
                    }
                });
            });
        }
    }

    /// Enables the undo and redo buttons when they have something to do.
    /// Updates the cards against the baseline over the current scenario's years: when the spans
    /// differ, the baseline scenario is simulated over the current span (once per span), so that
    /// "Capital, whole span" compares 2023–2026 with 2023–2026; the note under the cards says so.
    fn update_cards(&mut self) {
        let span = (self.scenario.start_year, self.scenario.end_year);
        let own = (self.baseline_scenario.start_year, self.baseline_scenario.end_year);
        if span == own {
            self.span_baseline = None;
        } else if self.span_baseline.as_ref().is_none_or(|(key, _)| *key != span) {
            let mut b = self.baseline_scenario.clone();
            (b.start_year, b.end_year) = span;
            self.span_baseline = simulate(&b).ok().map(|r| (span, r));
        }
        let base = self.span_baseline.as_ref().map_or(&self.baseline, |(_, r)| r);
        self.outputs.update_cards(&self.scenario, &self.current, base);
        if let Ok(note) = dom::by_id::<web_sys::HtmlElement>("baseline-span") {
            let text = match &self.span_baseline {
                Some(((start, end), _)) => tf(
                    k::BASELINE_SPAN,
                    &[
                        ("start", &start.to_string()),
                        ("end", &end.to_string()),
                        ("own_start", &own.0.to_string()),
                        ("own_end", &own.1.to_string()),
                    ],
                ),
                None if span != own => t(k::BASELINE_NO_SPAN).to_string(),
                None => String::new(),
            };
            if note.text_content().unwrap_or_default() != text {
                dom::set_text(&note, &text);
                note.set_hidden(text.is_empty());
            }
        }
    }

    /// Makes `pinned` (a scenario and its results) the baseline, or the default with `None`, and
    /// says which in the note under the cards.
    fn set_baseline(&mut self, pinned: Option<(Scenario, Results)>, label: &str) {
        self.pinned = pinned.is_some();
        (self.baseline_scenario, self.baseline) =
            pinned.unwrap_or_else(|| (self.default.clone(), self.default_results.clone()));
        self.span_baseline = None;
        if let Some(button) = dom::element("pin") {
            let _ = button.set_attribute("aria-pressed", if self.pinned { "true" } else { "false" });
            dom::set_text(&button, t(if self.pinned { k::BAR_UNPIN } else { k::BAR_PIN }));
        }
        if let Ok(name) = dom::by_id::<web_sys::Element>("baseline-name") {
            dom::set_text(&name, label);
        }
    }

    /// Solves the planner for the current scenario with the panel's settings, shows the plan (and
    /// makes it the baseline, so the charts show it beside the user's plan), and starts the
    /// frontier.
    fn optimise(&mut self) {
        let Some(view) = self.optimise.as_mut() else { return };
        let settings = view.settings(self.current.summary.h100e_end);
        let started = dom::now();
        let outcome = atlas_core::plan::plan_stepwise(&self.scenario, &settings);
        self.stats.plan_ms = Some(dom::now() - started);
        let own = atlas_core::plan::own_point(&self.scenario).ok();
        let (outcome, explaining) = match outcome {
            Ok((plan, explaining)) => (Ok(plan), Some(explaining)),
            Err(err) => (Err(err), None),
        };
        let plan = outcome.as_ref().ok().cloned();
        let job = &mut self.plan_job;
        if let Err(err) = view.show(job, &self.scenario, outcome, own) {
            dom::log_error("showing the plan", &err);
        }
        view.busy(explaining.is_some());
        job.explaining = explaining;
        job.generation = job.generation.wrapping_add(1);
        let generation = job.generation;
        // For the browser benchmark: each frontier step's time, and the whole frontier's.
        self.stats.frontier_steps = Some(Vec::new());
        self.stats.frontier_started = Some(dom::now());
        self.stats.frontier_points = Some(0);
        let Some(plan) = plan else { return };
        let applied = atlas_core::plan::apply(&self.scenario, &plan);
        if let Ok(results) = simulate(&applied) {
            self.plan_job.reviewing = Some((self.current.clone(), results.clone()));
            self.set_baseline(Some((applied, results)), t(k::BASELINE_PLAN));
        }
        dom::after(0, move || dispatch(Msg::FrontierStep(generation, 0)));
    }

    /// Makes the last plan the current scenario (one undo step, a new address); the scenario
    /// before it becomes the baseline.
    fn apply_plan(&mut self) {
        let Some((planned_for, plan)) = self.plan_job.last.clone() else { return };
        if planned_for != self.scenario {
            let _ = history::show_list(
                t(k::NOTICE_PLAN_STALE),
                std::iter::once(t(k::NOTICE_PLAN_AGAIN).to_string()),
            );
            return;
        }
        self.history.before_action(&self.scenario);
        let before = (self.scenario.clone(), self.current.clone());
        self.scenario = atlas_core::plan::apply(&planned_for, &plan);
        self.set_baseline(Some(before), t(k::BASELINE_BEFORE_PLAN));
        self.url_entry = Some(Entry::Push);
        self.update_buttons();
    }

    /// Fills the comparison with the baseline as A and the current scenario as B, and compares;
    /// from then on the comparison follows the current scenario.
    fn compare_baseline_with_current(&mut self) {
        if let Some(view) = &self.compare {
            view.fill(&link_for(&self.baseline_scenario), &link_for(&self.scenario));
        }
        self.compare_follows = true;
        self.compare_now();
    }

    /// Brings a comparison of the baseline with the current scenario up to date (a comparison of
    /// links the user typed stays as it is); while the two are the same, says what to do instead.
    fn follow_comparison(&mut self) {
        if !self.compare_follows {
            return;
        }
        if self.scenario == self.baseline_scenario {
            if let Some(view) = &self.compare {
                view.prompt();
            }
            self.compared = None;
        } else {
            self.compare_baseline_with_current();
        }
    }

    /// Compares the scenarios the panel's inputs name, and keeps the comparison.
    fn compare_now(&mut self) {
        let Some(view) = &self.compare else { return };
        self.compared = match view.run() {
            Ok(comparison) => comparison,
            Err(err) => {
                dom::log_error("comparing", &err);
                None
            }
        };
    }

    /// Makes the compared A the baseline and B the current scenario (one undo step, a new
    /// address), so the charts show both.
    fn show_comparison_on_charts(&mut self) {
        let Some((a, a_results, b)) = self.compared.as_ref().map(Comparison::sides) else {
            return;
        };
        let title = atlas_core::naming::title(&a);
        let label = format!("A: {}", crate::i18n::scenario_name(&title));
        self.set_baseline(Some((a, a_results)), &label);
        self.history.before_action(&self.scenario);
        self.scenario = b;
        self.url_entry = Some(Entry::Push);
        self.update_buttons();
    }

    /// The query to open the page at in another language: the scenario's link, after keeping the
    /// scenario for this tab where the link cannot carry all of it (a file's own entities).
    fn leave_for_language(&self) -> String {
        history::carry(&self.scenario);
        format!("?{}", history::query_for(&self.scenario, &self.choices))
    }

    /// Shows the scenario's name in the header.
    fn show_name(&self) {
        let title = atlas_core::naming::title(&self.scenario);
        let name_text = crate::i18n::scenario_name(&title);
        if let Ok(name) = dom::by_id::<web_sys::Element>("scenario-name") {
            dom::set_text(&name, &name_text);
        }
        if let Some(embed) = &self.embed {
            embed.update(&name_text, &self.explorer_address());
        }
        if let Ok(document) = dom::document() {
            let page_title = format!("{name_text} · Compute Atlas");
            if document.title() != page_title {
                document.set_title(&page_title);
            }
        }
    }

    /// The whole explorer's address for the current scenario and choices (no `embed=`).
    fn explorer_address(&self) -> String {
        // The address as it is, its query and fragment replaced: `origin` is "null" for a page
        // opened from a file (the one-file page), whose `href` still names it.
        let href = dom::window().and_then(|w| w.location().href()).unwrap_or_default();
        let page = href.split(['?', '#']).next().unwrap_or_default();
        format!("{page}?{}", history::query_for(&self.scenario, &self.choices))
    }

    /// Opens the Embed dialog on `target`'s snippet for the current scenario.
    fn show_embed(&self, target: crate::embed::Target) {
        if let Some(dialog) = &self.embed_dialog
            && let Err(err) = dialog.show(target, &self.explorer_address())
        {
            dom::log_error("showing the embed code", &err);
        }
    }

    /// Downloads the share image of chart `id` (1200 × 630 PNG), and notes what it showed.
    fn save_share_image(&mut self, id: ChartId) {
        let Some(view) = self.outputs.charts.iter().find(|v| v.id == id) else { return };
        let drawn = view.drawn.borrow();
        let Some((picture, _)) = drawn.as_ref() else { return };
        let title = atlas_core::naming::title(&self.scenario);
        let name = crate::i18n::scenario_name(&title);
        let link = self.explorer_address();
        let figure = views::key_figure(id, picture, &self.current.summary, &self.current.quarters);
        let card = crate::share::Card { picture, scenario: &name, link: &link, figure: figure.clone() };
        let file = format!("compute-atlas-{}-{id}-share.png", title.slug);
        match crate::share::png(&card).and_then(|url| crate::download::save_data_url(&file, &url)) {
            Ok(()) => {
                drop(drawn);
                self.stats.share_image = Some(crate::stats::ShareImage {
                    chart: id.id().to_string(),
                    width: crate::share::WIDTH,
                    height: crate::share::HEIGHT,
                    figure: figure.1,
                    title: figure.0,
                });
                self.publish_stats();
            }
            Err(err) => dom::log_error("making the share image", &err),
        }
    }

    fn update_buttons(&self) {
        let (undo, redo) = self.history.can();
        for (id, enabled) in [("undo", undo), ("redo", redo)] {
            if let Some(button) = dom::element(id) {
                if enabled {
                    let _ = button.remove_attribute("disabled");
                } else {
                    let _ = button.set_attribute("disabled", "");
                }
            }
        }
    }

    /// Shows what changed on `window.__atlas` (the browser tests and benchmarks read it).
    fn publish_stats(&self) {
        self.stats.publish(&self.atlas);
    }

    /// Shows problems beside the controls they concern (used for input that does not come from
    /// the controls themselves, such as a scenario loaded from elsewhere).
    pub fn show_problems(&self, problems: &[atlas_core::Problem]) {
        self.controls.show_problems(problems);
    }

    /// Redraws without a new simulation (resize, theme, breakdown switch).
    pub fn redraw(&mut self) {
        if let Err(err) = self.outputs.measure_charts() {
            dom::log_error("measuring the charts", &err);
        }
        self.draw_charts();
        self.update_cards();
        self.show_ranges();
        self.outputs.update_where(&self.scenario, &self.current);
    }

    pub(crate) fn draw_charts(&mut self) {
        let theme = theme();
        for view in &self.outputs.charts {
            self.draw_chart(view, &theme);
        }
        self.note_map();
    }

    /// What the map and the flow diagram drew, for the browser tests: the map's rings of land and
    /// marks, the diagram's bands and total.
    fn note_map(&mut self) {
        if let Some(view) = self.outputs.charts.iter().find(|v| v.id == ChartId::Flows)
            && let Some((crate::picture::Picture::Flows(spec), _)) = view.drawn.borrow().as_ref()
        {
            self.stats.flows = Some(crate::stats::FlowsDrawn {
                links: spec.links.len() as u32,
                total_usd_b: spec.total_usd_b,
                baseline_usd_b: spec.baseline_usd_b,
                year: self.choices.flows_year,
            });
        }
        let Some(view) = self.outputs.charts.iter().find(|v| v.id == ChartId::Map) else { return };
        // A map hidden behind its Table view is not drawn: what it drew last stands.
        if let Some((_, crate::picture::Hits::Map(hits))) = view.drawn.borrow().as_ref()
            && !hits.circles.is_empty()
        {
            self.stats.map_marks = hits.circles.iter().filter(|c| c.2 > 0.0).count() as u32;
            self.stats.map_land_rings = crate::geo::land().rings.len() as u32;
        }
    }

    /// Draws one chart (the map moving through its quarters draws only itself).
    fn draw_chart(&self, view: &crate::page::ChartView, theme: &Theme) {
        let picture = views::picture(
            view.id,
            &self.scenario,
            &self.current,
            &self.baseline,
            self.choices,
            theme.text,
            self.bands.current(),
        );
        match picture {
            crate::picture::Picture::Map(_) => {
                let q = views::map_index(self.choices.map_quarter, &self.current.quarters);
                self.outputs.map.show_quarter(q, &self.current.quarters);
                self.outputs.map.show_choices(self.choices.map_figure, self.choices.map_colour);
            }
            crate::picture::Picture::Flows(_) => {
                self.outputs.flows.show(&self.current.quarters, self.choices.flows_year);
            }
            crate::picture::Picture::Series(_) => {}
        }
        if let Err(err) = self.outputs.draw_chart(view, picture, theme, &self.current.quarters) {
            dom::log_error(&format!("drawing chart {}", view.id), &err);
        }
    }

    /// Redraws the map alone (its own controls changed).
    fn redraw_map(&mut self) {
        self.choices.fit(&self.current.quarters);
        self.redraw_one(ChartId::Map);
        self.stats.map_quarter =
            Some(views::map_index(self.choices.map_quarter, &self.current.quarters) as u32);
        self.note_url();
        self.publish_stats();
    }

    /// Writes the reader's choices on the charts into the address: at once, replacing the entry,
    /// unless a scenario change is still to be written by the next frame (which writes them too,
    /// as its own entry, so Back keeps its step).
    fn note_url(&mut self) {
        if self.url_entry.is_none() {
            self.write_url(Entry::Replace);
        }
    }

    /// Redraws one chart alone (its own controls changed).
    fn redraw_one(&mut self, id: ChartId) {
        let theme = theme();
        if let Some(view) = self.outputs.charts.iter().find(|v| v.id == id) {
            self.draw_chart(view, &theme);
        }
        self.note_map();
    }

    /// Starts or pauses the map's play-through (from the first quarter when it stands at the
    /// last); returns the first step to schedule.
    fn toggle_map_play(&mut self) -> Option<Msg> {
        if self.map_playing.is_some() {
            self.stop_map_play();
            self.publish_stats();
            return None;
        }
        let last = self.current.quarters.len().saturating_sub(1);
        self.map_plays += 1;
        self.map_playing = Some(self.map_plays);
        if views::map_index(self.choices.map_quarter, &self.current.quarters) >= last {
            self.choices.map_quarter = self.current.quarters.first().copied();
            self.redraw_map();
        }
        self.outputs.map.show_playing(true);
        self.stats.map_playing = true;
        self.publish_stats();
        self.map_playing.map(Msg::MapStep)
    }

    /// Ends a play-through where it stands.
    fn stop_map_play(&mut self) {
        if self.map_playing.take().is_some() {
            self.outputs.map.show_playing(false);
        }
        self.stats.map_playing = false;
    }

    /// One step of play-through `generation`: the next quarter, then the next step, until the
    /// last quarter (where it stops by itself) or a pause.
    fn map_step(&mut self, generation: u32) -> Vec<Effect> {
        if self.map_playing != Some(generation) {
            return Vec::new();
        }
        let last = self.current.quarters.len().saturating_sub(1);
        let q = (views::map_index(self.choices.map_quarter, &self.current.quarters) + 1).min(last);
        self.choices.map_quarter = self.current.quarters.get(q).copied();
        self.redraw_map();
        if q >= last {
            self.stop_map_play();
            self.publish_stats();
            return Vec::new();
        }
        vec![Effect::After(MAP_STEP_MS, Msg::MapStep(generation))]
    }

    /// Stores one update's timings; input-to-paint is measured after the browser paints (the
    /// timeout after this animation frame runs once the frame is on screen).
    fn record(&mut self, timing: Timing) {
        let Ok(entry) = serde_wasm_bindgen::to_value(&timing) else { return };
        if self.timings.length() >= TIMINGS_KEPT {
            self.timings.shift();
        }
        self.timings.push(&entry);
        self.stats.updates = self.updates;
        if let Some(input) = self.pending_input.take() {
            let after_paint = Closure::once_into_js(move || {
                let _ = Reflect::set(&entry, &"inputToPaintMs".into(), &(dom::now() - input).into());
            });
            if let Ok(window) = dom::window() {
                let _ = window.set_timeout_with_callback(after_paint.unchecked_ref());
            }
        }
    }
}
