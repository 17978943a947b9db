//! The page's messages: every change to its state, from the user or from its own background work,
//! is one [`Msg`] (`App::apply` takes the user's, `App::update` the ticks and answers).

use atlas_core::params::ParamId;
use atlas_core::policy::{ExportGroup, Family};

use crate::helpers::Reply;

/// Everything that changes the page's state: what the user asked for, and the ticks of its
/// background work (band slices, the workers' answers, frontier steps, timers).
#[derive(Clone, Debug, PartialEq)]
pub enum Msg {
    /// A scalar slider moved (its parameter, the value in its display unit).
    Slider(ParamId, f64),
    /// A provider-share slider moved (provider index, percent).
    Share(usize, f64),
    /// A provider's lock was toggled.
    Lock(usize),
    /// A region's electricity price moved (region index, USD/MWh).
    RegionPrice(usize, f64),
    /// An export-policy preset was chosen.
    Preset(String),
    /// A matrix cell was clicked: cycle allow → ban → cap → allow.
    Cell(Family, ExportGroup),
    /// The cap used for capped cells changed.
    CapValue(f64),
    /// Back to the default scenario.
    Reset,
    /// A slider was released (closes one undo step).
    Commit,
    /// Undo the last change.
    Undo,
    /// Redo the last undone change.
    Redo,
    /// The address changed (Back / Forward): read the scenario from it.
    FromUrl,
    /// A scenario file was opened (its text).
    Open(String),
    /// Pin the current scenario as the baseline, or go back to the default baseline.
    TogglePin,
    /// A named scenario was chosen.
    ScenarioPreset(String),
    /// The uncertainty settings changed; `true` while the width slider is being dragged.
    Uncertainty(atlas_core::uncertainty::Uncertainty, bool),
    /// The map's play-through `0` moves on a quarter (if it still plays).
    MapStep(u32),
    /// Work one slice of band job `0` (if it is still current).
    BandSlice(u32),
    /// Band job `generation` has waited for the workers since they had given `replies` answers.
    WorkersLate {
        /// The job.
        generation: u32,
        /// Answers when the wait began.
        replies: u32,
    },
    /// Worker `0` answered.
    WorkerReply(usize, Reply),
    /// The next step of optimisation run `0`: explanation or frontier point `1`.
    FrontierStep(u32, usize),
    /// A drag's pause timer ran out (the bands may start if the drag is still paused).
    DragPause,
    /// The rest timer ran out: if the last change has rested for a moment and no slider is held,
    /// say where the scenario now stands and bring a following comparison up to date.
    Rested,
}
