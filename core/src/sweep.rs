//! Sweeps: many scenarios, each a link (the page's query string), run one by one and reported as a
//! row of headline figures. [`expand`] makes the links of a grid (every combination of each
//! axis's values over a base link); [`evaluate`] runs one link and never fails: a link the model
//! cannot read as written (an unknown parameter, a value out of range) comes back as a row with
//! its problems and no figures, so one bad scenario never stops the rest. The shells run the rows
//! on every core (the command line's `atlas sweep`, the Python package's `sweep`); the core stays
//! single-threaded and pure.

use crate::KpiId;
use crate::export::csv_field;
use crate::url;
use crate::validate::Valid;

/// One axis of a grid: a link parameter and the values it takes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Axis {
    /// The link parameter (`energy`, `share.aws`, `ban`).
    pub param: String,
    /// Its values, as a link writes them.
    pub values: Vec<String>,
}

impl Axis {
    /// Reads `param=v1,v2,…` or a numeric range `param=from:to:step` (inclusive of `to` within a
    /// millionth of a step). Values that hold commas themselves (a `ban=` list) are separated by
    /// `;` instead: `ban=blackwell:embargoed;hopper:embargoed,blackwell:embargoed`.
    pub fn parse(spec: &str) -> Result<Axis, String> {
        let (param, values) = spec
            .split_once('=')
            .ok_or_else(|| format!("“{spec}”: write an axis as param=v1,v2 or param=from:to:step"))?;
        let param = param.trim();
        if param.is_empty() {
            return Err(format!("“{spec}”: the axis has no parameter name"));
        }
        let values: Vec<String> = if let Some(range) = numeric_range(values) {
            range?
        } else if values.contains(';') {
            values.split(';').map(str::trim).filter(|v| !v.is_empty()).map(String::from).collect()
        } else {
            values.split(',').map(str::trim).filter(|v| !v.is_empty()).map(String::from).collect()
        };
        if values.is_empty() {
            return Err(format!("“{spec}”: the axis has no values"));
        }
        Ok(Axis { param: param.to_string(), values })
    }
}

/// Rows a shell runs in parallel before it hands them on (enough to keep every core busy, few
/// enough that the first rows come out at once): `atlas sweep` and the Python package's `sweep`.
pub const CHUNK: usize = 512;

/// Most values a numeric range may make (a slip like `0:1:0.000001` is refused, not run).
pub const MAX_RANGE_VALUES: usize = 100_000;

/// `from:to:step` as its values, if `text` is three numbers separated by `:`.
fn numeric_range(text: &str) -> Option<Result<Vec<String>, String>> {
    let parts: Vec<&str> = text.split(':').collect();
    let [from, to, step] = parts.as_slice() else { return None };
    let (Ok(from), Ok(to), Ok(step)) =
        (from.trim().parse::<f64>(), to.trim().parse::<f64>(), step.trim().parse::<f64>())
    else {
        return None;
    };
    if !(from.is_finite() && to.is_finite() && step.is_finite()) || step <= 0.0 || to < from {
        return Some(Err(format!("“{text}”: a range is from:to:step with from ≤ to and a step above 0")));
    }
    let count = ((to - from) / step + 1e-6).floor() + 1.0;
    if count > MAX_RANGE_VALUES as f64 {
        return Some(Err(format!("“{text}”: more than {MAX_RANGE_VALUES} values")));
    }
    // Each value computed from the start (no drift from adding steps), written shortest.
    Some(Ok((0..count as usize).map(|i| format!("{}", round_decimal(from + step * i as f64))).collect()))
}

/// `v` with the noise of binary arithmetic taken off (0.30000000000000004 → 0.3).
fn round_decimal(v: f64) -> f64 {
    let text = format!("{v:.12}");
    text.parse().unwrap_or(v)
}

/// Every combination of the axes' values over `base` (a whole address, a query, or a named
/// scenario's id or name: [`crate::compare::query_of_link`]), the last axis changing fastest. A parameter the base already has is replaced, not repeated.
pub fn expand(base: &str, axes: &[Axis]) -> Vec<String> {
    // A whole address, a query or a named scenario, as everywhere else a link is read.
    let base = crate::compare::query_of_link(base);
    let kept: Vec<&str> = base
        .split('&')
        .filter(|pair| !pair.is_empty())
        .filter(|pair| {
            let key = pair.split_once('=').map_or(*pair, |(k, _)| k);
            !axes.iter().any(|a| a.param == key)
        })
        .collect();
    let mut links = vec![kept.join("&")];
    for axis in axes {
        links = links
            .iter()
            .flat_map(|link| {
                axis.values.iter().map(move |v| {
                    let pair = format!("{}={}", axis.param, v);
                    if link.is_empty() { pair } else { format!("{link}&{pair}") }
                })
            })
            .collect();
    }
    links
}

/// One scenario of a sweep, run.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// Its place in the sweep, from 0.
    pub index: usize,
    /// Its link.
    pub link: String,
    /// What was wrong with it, when the model could not run it as written (then `figures` is
    /// empty).
    pub problems: Vec<String>,
    /// Every headline figure, in [`KpiId::ALL`] order.
    pub figures: Vec<f64>,
}

impl Row {
    /// Whether the scenario ran.
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Runs the scenario of `link` (read as the page and `ca.run` read one: a whole address with its
/// fragment, a query, a named scenario): every headline figure, or what was wrong with the link (a
/// parameter ignored or adjusted means the scenario is not the one asked for, so it is not run).
/// The page's own parameters (`view=`, `lang=`, …) are set aside without a word.
pub fn evaluate(index: usize, link: &str) -> Row {
    let decoded = crate::compare::scenario_of_link(link);
    let problems: Vec<String> =
        decoded.notices.iter().filter(|n| !n.is_remark()).map(url::Notice::line).collect();
    if !problems.is_empty() {
        return Row { index, link: link.to_string(), problems, figures: Vec::new() };
    }
    match Valid::check(&decoded.scenario) {
        Ok(valid) => {
            // A failure of the model itself (a bug) is this row's problem, not the sweep's end.
            let run =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| crate::sim::run(valid).summary));
            let Ok(summary) = run else {
                let problems =
                    vec!["internal error: the model failed on this scenario (please report it)".into()];
                return Row { index, link: link.to_string(), problems, figures: Vec::new() };
            };
            Row {
                index,
                link: link.to_string(),
                problems,
                figures: KpiId::ALL.iter().map(|&k| summary.value(k)).collect(),
            }
        }
        Err(problems) => Row {
            index,
            link: link.to_string(),
            problems: problems.iter().map(ToString::to_string).collect(),
            figures: Vec::new(),
        },
    }
}

/// The CSV header of a sweep: `index,link,problems`, then every headline figure's id.
pub fn csv_header() -> String {
    let mut out = String::from("index,link,problems");
    for k in KpiId::ALL {
        out.push(',');
        out.push_str(k.as_str());
    }
    out.push('\n');
    out
}

/// One row as CSV (figures written shortest, so they read back to the same bits; empty for a
/// scenario that did not run; problems joined by ` | `).
pub fn csv_row(row: &Row) -> String {
    let mut out = format!("{},{},{}", row.index, csv_field(&row.link), csv_field(&row.problems.join(" | ")));
    for i in 0..KpiId::ALL.len() {
        out.push(',');
        if let Some(v) = row.figures.get(i) {
            out.push_str(&format!("{v}"));
        }
    }
    out.push('\n');
    out
}
