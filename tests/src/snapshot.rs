//! The model's headline figures for every named preset, and the committed snapshot of them
//! (`checks/snapshot.json`): every change to the data or the model shows, in review, what it moved.
//!
//! `cargo xtask model-check --compare` prints [`compare`]'s table; `--update` rewrites the snapshot
//! with [`current`]. The test `tests/checks.rs` fails while the snapshot is stale, so the snapshot
//! is updated in the same commit as the change that moves it.

use std::collections::BTreeMap;

use atlas_core::url::decode;
use atlas_core::{Metric, simulate};
use serde_json::Value;

use crate::{read, root};

/// Relative difference below which a figure has not moved (different compilers, same model).
pub const UNCHANGED: f64 = 1e-9;

/// Headline figures per preset id: every card figure and a few more.
pub type Figures = BTreeMap<String, BTreeMap<String, f64>>;

/// The figures of every preset as the model computes them now.
pub fn current() -> Figures {
    let mut out = Figures::new();
    for preset in &atlas_core::data::default_data().scenario_presets {
        let d = decode(&preset.query, &[]);
        let Ok(r) = simulate(&d.scenario) else { continue };
        let mut figures: BTreeMap<String, f64> =
            r.summary.kpis().iter().map(|k| (k.id.to_string(), k.value)).collect();
        let last = |m: Metric| r.total(m).last().copied().unwrap_or(0.0);
        figures.insert("accelerators_end".into(), r.summary.accelerators_end);
        figures.insert("design_power_gw_end".into(), last(Metric::DesignPowerGw));
        figures.insert("unspent_usd_b_total".into(), r.summary.unspent_usd_b_total);
        out.insert(preset.id.clone(), figures);
    }
    out
}

/// The path of the committed snapshot.
pub fn path() -> std::path::PathBuf {
    root().join("checks/snapshot.json")
}

/// The committed snapshot.
pub fn committed() -> Result<Figures, String> {
    let value: Value = serde_json::from_str(&read(&path())).map_err(|e| format!("snapshot.json: {e}"))?;
    let presets = value.get("presets").cloned().unwrap_or(Value::Null);
    serde_json::from_value(presets).map_err(|e| format!("snapshot.json: {e}"))
}

/// The snapshot file's text for `figures`.
pub fn to_text(figures: &Figures) -> String {
    let value = serde_json::json!({
        "about": "Headline figures of every named preset; `cargo xtask model-check --compare` shows what a change moves, `--update` rewrites this file (commit it with the change and say why in the message).",
        "presets": figures,
    });
    serde_json::to_string_pretty(&value).unwrap_or_default() + "\n"
}

/// One figure in the snapshot and now.
pub struct Row {
    /// Preset id.
    pub preset: String,
    /// Figure id.
    pub figure: String,
    /// In the snapshot (`None`: new).
    pub was: Option<f64>,
    /// Now (`None`: gone).
    pub now: Option<f64>,
}

impl Row {
    /// Whether the figure moved beyond [`UNCHANGED`].
    pub fn moved(&self) -> bool {
        match (self.was, self.now) {
            (Some(a), Some(b)) => (a - b).abs() > UNCHANGED * a.abs().max(b.abs()).max(1e-12),
            _ => true,
        }
    }
}

/// Every figure of both, preset by preset.
pub fn compare(was: &Figures, now: &Figures) -> Vec<Row> {
    let mut presets: Vec<&String> = was.keys().chain(now.keys()).collect();
    presets.sort();
    presets.dedup();
    let mut rows = Vec::new();
    for preset in presets {
        let (a, b) = (was.get(preset), now.get(preset));
        let mut figures: Vec<&String> = a.into_iter().chain(b).flat_map(|m| m.keys()).collect();
        figures.sort();
        figures.dedup();
        for figure in figures {
            rows.push(Row {
                preset: preset.clone(),
                figure: figure.clone(),
                was: a.and_then(|m| m.get(figure)).copied(),
                now: b.and_then(|m| m.get(figure)).copied(),
            });
        }
    }
    rows
}

/// The comparison as a table: every figure of every preset, the moved ones marked.
pub fn table(rows: &[Row]) -> String {
    let fmt = |v: Option<f64>| v.map_or("—".to_string(), atlas_core::export::format_value);
    let mut out =
        format!("{:<20} {:<36} {:>16} {:>16} {:>9}\n", "preset", "figure", "snapshot", "now", "change");
    let mut moved = 0;
    for r in rows {
        let change = match (r.was, r.now) {
            (Some(a), Some(b)) if a != 0.0 => format!("{:+.1}%", (b - a) / a.abs() * 100.0),
            (Some(_), Some(0.0)) => "0".into(),
            (None, Some(_)) => "new".into(),
            (Some(_), None) => "gone".into(),
            _ => "from 0".into(),
        };
        let mark = if r.moved() {
            moved += 1;
            "*"
        } else {
            " "
        };
        out.push_str(&format!(
            "{mark}{:<19} {:<36} {:>16} {:>16} {:>9}\n",
            r.preset,
            r.figure,
            fmt(r.was),
            fmt(r.now),
            if r.moved() { change } else { String::new() }
        ));
    }
    out.push_str(&format!("{moved} of {} figures moved (marked *)\n", rows.len()));
    out
}
