//! What matters most: a tornado chart. For each uncertain input and each main slider, the chosen
//! headline figure with that one input at its low and at its high end (everything else as the
//! scenario has it), sorted by the swing between the two.
//!
//! The ends are those of [`Input::ends`] at the scenario's uncertainty width (estimates) or as
//! stated (choices and levers), applied relative to the scenario's own values like the Monte Carlo
//! draws. Computed in pieces ([`TornadoRun::run_inputs`]) like the bands.

use std::fmt::Write as _;

use serde::Serialize;

use crate::alloc::Replay;
use crate::kpi::KpiId;
use crate::scenario::Scenario;
use crate::sim::{run_totals_recording, run_totals_replaying};
use crate::uncertainty::{Group, Input, inputs};

/// The headline figure a tornado uses unless told otherwise.
pub const DEFAULT_KPI: KpiId = KpiId::CarbonLocationMtEndYear;

/// One bar of the tornado.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TornadoRow {
    /// The input's path in the data set.
    pub path: String,
    /// Label for people.
    pub label: String,
    /// What it belongs to.
    pub group: Group,
    /// Unit of `low` and `high`.
    pub unit: &'static str,
    /// Whether it is an estimate the bands draw (false: a choice or a lever, swung over a stated
    /// range).
    pub drawn: bool,
    /// The input's low end, in its unit (before it is applied relative to the scenario).
    pub low: f64,
    /// The input's high end.
    pub high: f64,
    /// The headline figure with the input at its low end.
    pub kpi_at_low: f64,
    /// The headline figure with the input at its high end.
    pub kpi_at_high: f64,
}

impl TornadoRow {
    /// The distance between the two ends of the bar.
    pub fn swing(&self) -> f64 {
        (self.kpi_at_high - self.kpi_at_low).abs()
    }
}

/// A tornado chart's data.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Tornado {
    /// The headline figure.
    pub kpi: KpiId,
    /// Its label.
    pub label: &'static str,
    /// Its unit.
    pub unit: &'static str,
    /// Its value in the scenario itself.
    pub central: f64,
    /// One row per input, widest swing first (ties in input order).
    pub rows: Vec<TornadoRow>,
}

/// A tornado in progress.
pub struct TornadoRun {
    own: Scenario,
    work: Scenario,
    inputs: Vec<Input>,
    width: f64,
    kpi: KpiId,
    central: f64,
    /// The scenario's own placements, replayed by every swing they fit.
    replay: Option<Replay>,
    rows: Vec<TornadoRow>,
}

impl TornadoRun {
    /// Prepares the tornado of headline figure `kpi` for a scenario that passed validation.
    pub fn new(s: &Scenario, kpi: KpiId) -> TornadoRun {
        let (central, replay) = run_totals_recording(s);
        TornadoRun {
            own: s.clone(),
            work: s.clone(),
            inputs: inputs(s),
            width: s.uncertainty.width,
            kpi,
            central: central.summary.value(kpi),
            replay,
            rows: Vec::new(),
        }
    }

    /// Swings up to `n` more inputs (two simulations each); returns how many are done in all.
    pub fn run_inputs(&mut self, n: usize) -> usize {
        let end = self.inputs.len().min(self.rows.len().saturating_add(n));
        while self.rows.len() < end {
            let input = &self.inputs[self.rows.len()];
            let (low, high) = input.ends(self.width);
            let mut at = |x: f64| {
                input.apply(&mut self.work, &self.own, x);
                run_totals_replaying(&self.work, self.replay.as_ref()).summary.value(self.kpi)
            };
            let (kpi_at_low, kpi_at_high) = (at(low), at(high));
            // Back to the scenario's own value (exactly: see `Input::apply`).
            input.apply(&mut self.work, &self.own, input.central);
            self.rows.push(TornadoRow {
                path: input.path.clone(),
                label: input.label.clone(),
                group: input.group,
                unit: input.unit,
                drawn: input.is_drawn(),
                low,
                high,
                kpi_at_low,
                kpi_at_high,
            });
        }
        self.rows.len()
    }

    /// Inputs swung so far and in all.
    pub fn progress(&self) -> (usize, usize) {
        (self.rows.len(), self.inputs.len())
    }

    /// Whether every input has been swung.
    pub fn is_done(&self) -> bool {
        self.rows.len() >= self.inputs.len()
    }

    /// The tornado over the inputs swung so far: the uncertain estimates first, widest swing first,
    /// then the user's own choices (levers and stated ranges), ranked apart the same way, so that a
    /// choice never reads as the largest uncertainty.
    pub fn tornado(&self) -> Tornado {
        let mut rows = self.rows.clone();
        // A stable sort keeps input order among equal swings.
        rows.sort_by(|a, b| b.drawn.cmp(&a.drawn).then(b.swing().total_cmp(&a.swing())));
        let kpi = self.kpi;
        Tornado { kpi, label: kpi.label(), unit: kpi.unit(), central: self.central, rows }
    }
}

/// The whole tornado of `kpi` for a scenario that passed validation.
pub fn tornado(s: &Scenario, kpi: KpiId) -> Tornado {
    let mut run = TornadoRun::new(s, kpi);
    run.run_inputs(usize::MAX);
    run.tornado()
}

/// The tornado as a text table: the inputs that move the figure, widest swing first.
pub fn tornado_text(name: &str, t: &Tornado) -> String {
    let f = crate::export::format_value;
    let mut out =
        format!("{name}: what moves \"{}\" ({}; {} in the scenario)\n\n", t.label, t.unit, f(t.central));
    for (drawn, title) in [(true, "Uncertain estimates"), (false, "Your choices (stated ranges)")] {
        let moving: Vec<&TornadoRow> =
            t.rows.iter().filter(|r| r.drawn == drawn && r.swing() > 0.0).collect();
        if moving.is_empty() {
            continue;
        }
        let _ = writeln!(out, "{:<56} {:>12} {:>12} {:>12}", title, "at low", "at high", "swing");
        for r in moving {
            let label = format!("  {} ({} → {})", r.label, f(r.low), f(r.high));
            let _ = writeln!(
                out,
                "{label:<56} {:>12} {:>12} {:>12}",
                f(r.kpi_at_low),
                f(r.kpi_at_high),
                f(r.swing())
            );
        }
        out.push('\n');
    }
    let still = t.rows.iter().filter(|r| r.swing() == 0.0).count();
    if still > 0 {
        let _ = writeln!(out, "\n{still} more inputs do not move it.");
    }
    out
}

/// The tornado as CSV: one row per input, widest swing first.
pub fn tornado_csv(t: &Tornado) -> String {
    let mut out = String::from("kpi,input,label,kind,group,unit,low,high,kpi_at_low,kpi_at_high,swing\n");
    for r in &t.rows {
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{}",
            t.kpi,
            r.path,
            crate::export::csv_field(&r.label),
            if r.drawn { "estimate" } else { "choice" },
            r.group.id(),
            crate::export::csv_field(r.unit),
            r.low,
            r.high,
            r.kpi_at_low,
            r.kpi_at_high,
            r.swing()
        );
    }
    out
}
