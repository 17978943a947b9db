//! `compute_atlas._core`: the Compute Atlas core for Python, the extension module under the
//! `compute_atlas` package (python/compute_atlas), which turns what it returns into pandas
//! DataFrames and dicts. It hands over text the core already writes for the command line — tidy
//! CSV, JSON — so Python reads exactly the numbers `atlas` prints (floats written shortest, read
//! back to the same bits). Every call that simulates releases the GIL, so Python threads run side
//! by side; `sweep` runs its links on every core (rayon).

use atlas_core::sweep::{Axis, CHUNK, Row};
use atlas_core::url::{self, PAGE_PARAMETERS};
use atlas_core::{KpiId, Scenario};
use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use rayon::prelude::*;

create_exception!(
    compute_atlas._core,
    ScenarioError,
    PyValueError,
    "A scenario the model cannot run: its `problems` list every one (field and what was expected)."
);

/// A scenario read from what Python gave: JSON text (a scenario file's), or a link (a whole
/// address, a query string, a preset's id or name). Returns the scenario and the link's notices
/// (parameters it ignored or adjusted); bad JSON or an invalid scenario is a list of problems.
fn scenario_of(source: &str) -> Result<(Scenario, Vec<String>), Vec<String>> {
    let text = source.trim();
    if text.starts_with('{') {
        return atlas_core::parse_scenario(text)
            .map(|s| (s, Vec::new()))
            .map_err(|problems| problems.iter().map(ToString::to_string).collect());
    }
    let decoded = atlas_core::compare::scenario_of_link(text);
    let notices =
        decoded.notices.iter().filter(|n| !n.is_remark()).map(atlas_core::url::Notice::line).collect();
    Ok((decoded.scenario, notices))
}

/// The error Python sees for `problems`.
fn scenario_error(problems: Vec<String>) -> PyErr {
    let message = format!("the scenario has {} problem(s):\n  - {}", problems.len(), problems.join("\n  - "));
    Python::attach(|py| {
        let err = ScenarioError::new_err(message);
        let _ = err.value(py).setattr("problems", problems);
        err
    })
}

/// A valid scenario from `source`, or the error listing what is wrong.
fn valid_scenario(source: &str) -> PyResult<(Scenario, Vec<String>)> {
    let (s, notices) = scenario_of(source).map_err(scenario_error)?;
    let problems: Vec<String> = atlas_core::validate(&s).iter().map(ToString::to_string).collect();
    if problems.is_empty() { Ok((s, notices)) } else { Err(scenario_error(problems)) }
}

/// Runs a scenario: (tidy CSV as `atlas run -f csv` writes it, results JSON as `atlas run -f json`,
/// the scenario as JSON, its link, the notices of a link). Raises `ScenarioError`.
#[pyfunction]
fn run(py: Python<'_>, source: String) -> PyResult<(String, String, String, String, Vec<String>)> {
    let (s, notices) = valid_scenario(&source)?;
    py.detach(move || {
        let results =
            atlas_core::simulate(&s).map_err(|p| p.iter().map(ToString::to_string).collect::<Vec<_>>());
        match results {
            Ok(r) => Ok((
                atlas_core::export::to_csv(&s, &r),
                r.to_json(),
                s.to_json_pretty(),
                url::encode(&s),
                notices,
            )),
            Err(problems) => Err(problems),
        }
    })
    .map_err(scenario_error)
}

/// Every problem of a scenario (empty when it is valid). JSON text or a link.
#[pyfunction]
fn validate(source: String) -> Vec<String> {
    match scenario_of(&source) {
        Ok((s, notices)) => {
            notices.into_iter().chain(atlas_core::validate(&s).iter().map(ToString::to_string)).collect()
        }
        Err(problems) => problems,
    }
}

/// The default scenario (the article's world) as JSON.
#[pyfunction]
fn default_scenario() -> String {
    Scenario::default().to_json_pretty()
}

/// The scenario of a link or JSON, as JSON (a link's notices are problems here).
#[pyfunction]
fn scenario(source: String) -> PyResult<String> {
    let (s, notices) = valid_scenario(&source)?;
    if notices.is_empty() { Ok(s.to_json_pretty()) } else { Err(scenario_error(notices)) }
}

/// The link of a scenario (JSON), and whether the link carries all of it (a scenario file's own
/// regions or providers do not fit in a link).
#[pyfunction]
fn link(source: String) -> PyResult<(String, bool)> {
    let (s, _) = valid_scenario(&source)?;
    let query = url::encode(&s);
    let whole = url::decode(&query, &PAGE_PARAMETERS).scenario == s;
    Ok((query, whole))
}

/// The named scenarios: (id, name, description, link) each.
#[pyfunction]
fn presets() -> Vec<(String, String, String, String)> {
    atlas_core::data::default_data()
        .scenario_presets
        .iter()
        .map(|p| (p.id.clone(), p.name.clone(), p.description.clone(), p.query.clone()))
        .collect()
}

/// Every default value with its source and year, tab-separated (as `atlas sources`).
#[pyfunction]
fn sources() -> String {
    atlas_core::export::sources_tsv()
}

/// Monte Carlo bands of a scenario: (CSV of every series' percentiles per quarter, JSON of the
/// headline figures' percentiles), as `atlas bands -f csv` and `-f json` write them.
#[pyfunction]
fn bands(py: Python<'_>, source: String) -> PyResult<(String, String, Vec<String>)> {
    let (s, notices) = valid_scenario(&source)?;
    Ok(py.detach(move || {
        let b = atlas_core::montecarlo::bands(&s);
        (atlas_core::montecarlo::bands_csv(&b), serde_json::to_string(&b).unwrap_or_default(), notices)
    }))
}

/// The tornado of a scenario's headline figure `kpi`, as `atlas tornado -f csv` writes it, and a
/// link's notices.
#[pyfunction]
fn tornado(py: Python<'_>, source: String, kpi: String) -> PyResult<(String, Vec<String>)> {
    let kpi: KpiId = kpi.parse().map_err(|e: String| PyValueError::new_err(e))?;
    let (s, notices) = valid_scenario(&source)?;
    Ok(py.detach(move || (atlas_core::tornado::tornado_csv(&atlas_core::tornado::tornado(&s, kpi)), notices)))
}

/// Two scenarios' headline figures side by side, as `atlas compare A B -f csv` writes them, and
/// their links' notices (`A: …`, `B: …`).
#[pyfunction]
fn compare(py: Python<'_>, a: String, b: String) -> PyResult<(String, Vec<String>)> {
    let (a, notices_a) = valid_scenario(&a)?;
    let (b, notices_b) = valid_scenario(&b)?;
    let notices: Vec<String> = (notices_a.into_iter().map(|n| format!("A: {n}")))
        .chain(notices_b.into_iter().map(|n| format!("B: {n}")))
        .collect();
    py.detach(move || {
        let run = |s: &Scenario| atlas_core::simulate(s).map(|r| r.summary);
        match (run(&a), run(&b)) {
            (Ok(x), Ok(y)) => {
                Ok((atlas_core::compare::to_csv(&atlas_core::compare::compare_kpis(&x, &y)), notices))
            }
            (Err(p), _) | (_, Err(p)) => Err(p.iter().map(ToString::to_string).collect::<Vec<_>>()),
        }
    })
    .map_err(scenario_error)
}

/// The planner: (the plan as JSON, as `atlas plan -f json`; its purchases as CSV; the link of the
/// scenario with the plan applied). No plan raises `ValueError` with the planner's reason.
#[pyfunction]
#[pyo3(signature = (source, objective = "min_cost".to_string(), target = None, max_share = 100.0, power_limit_gw = None, budget = true, providers = Vec::new()))]
#[allow(clippy::too_many_arguments)]
fn plan(
    py: Python<'_>,
    source: String,
    objective: String,
    target: Option<f64>,
    max_share: f64,
    power_limit_gw: Option<f64>,
    budget: bool,
    providers: Vec<String>,
) -> PyResult<(String, String, String, Vec<String>)> {
    use atlas_core::plan::{Objective, PlanSettings};
    let objective = match objective.as_str() {
        "min_cost" => Objective::MinCost,
        "max_compute" => Objective::MaxCompute,
        "min_carbon" => Objective::MinCarbon,
        other => {
            return Err(PyValueError::new_err(format!(
                "unknown objective “{other}”: min_cost, max_compute or min_carbon"
            )));
        }
    };
    let (s, notices) = valid_scenario(&source)?;
    let settings = PlanSettings {
        objective,
        capacity_target_h100e: target,
        respect_budget: budget,
        max_provider_share: max_share / 100.0,
        power_limit_gw_per_region_year: power_limit_gw,
        providers,
    };
    py.detach(move || {
        atlas_core::plan::plan(&s, &settings).map(|p| {
            (
                serde_json::to_string(&p).unwrap_or_default(),
                atlas_core::plan::purchases_csv(&p),
                url::encode(&atlas_core::plan::apply(&s, &p)),
                notices,
            )
        })
    })
    .map_err(|e| PyValueError::new_err(format!("no plan: {e}")))
}

/// The values of one axis written as text (`param=v1,v2`, `param=from:to:step`, `param=a;b`).
#[pyfunction]
fn parse_axis(spec: String) -> PyResult<(String, Vec<String>)> {
    Axis::parse(&spec).map(|a| (a.param, a.values)).map_err(PyValueError::new_err)
}

/// The most scenarios one grid makes (each link is kept in memory before its row is run).
const MAX_LINKS: usize = 10_000_000;

/// The links of a grid: every combination of the axes' values, each axis a parameter and its
/// values as given (a value may hold commas), over `base`. Refuses a parameter given twice and a
/// grid of more than [`MAX_LINKS`] scenarios.
#[pyfunction]
fn expand(base: String, axes: Vec<(String, Vec<String>)>) -> PyResult<Vec<String>> {
    let mut count: usize = 1;
    for (i, (param, values)) in axes.iter().enumerate() {
        if axes[..i].iter().any(|(p, _)| p == param) {
            return Err(PyValueError::new_err(format!("“{param}” is an axis twice")));
        }
        count = count.saturating_mul(values.len());
    }
    if count > MAX_LINKS {
        return Err(PyValueError::new_err(format!(
            "the grid has {count} scenarios; at most {MAX_LINKS} at once"
        )));
    }
    let axes: Vec<Axis> = axes.into_iter().map(|(param, values)| Axis { param, values }).collect();
    Ok(atlas_core::sweep::expand(&base, &axes))
}

/// Runs `links` (their rows numbered from `start`) on `threads` threads (every core without),
/// the GIL released, and returns the rows as CSV (`atlas sweep`'s columns). A bad link is a row
/// with its problems. `progress`, when given, is called with the number of rows done after each
/// chunk.
#[pyfunction]
#[pyo3(signature = (links, start = 0, threads = None, progress = None))]
fn sweep(
    py: Python<'_>,
    links: Vec<String>,
    start: usize,
    threads: Option<usize>,
    progress: Option<Py<PyAny>>,
) -> PyResult<String> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
    let mut out = atlas_core::sweep::csv_header();
    for (c, chunk) in links.chunks(CHUNK).enumerate() {
        let rows: Vec<Row> = py.detach(|| {
            pool.install(|| {
                chunk
                    .par_iter()
                    .enumerate()
                    .map(|(i, link)| atlas_core::sweep::evaluate(start + c * CHUNK + i, link))
                    .collect()
            })
        });
        for row in &rows {
            out.push_str(&atlas_core::sweep::csv_row(row));
        }
        // Ctrl-C between chunks stops the sweep.
        py.check_signals()?;
        if let Some(callback) = &progress {
            callback.call1(py, (rows.len(),))?;
        }
    }
    Ok(out)
}

/// The ids of the headline figures, in the order of a sweep's columns.
#[pyfunction]
fn kpis() -> Vec<(String, String, String)> {
    KpiId::ALL.iter().map(|k| (k.as_str().to_string(), k.label().to_string(), k.unit().to_string())).collect()
}

/// The module.
#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("ScenarioError", m.py().get_type::<ScenarioError>())?;
    m.add("MODEL_VERSION", atlas_core::export::MODEL_VERSION)?;
    for f in [
        wrap_pyfunction!(run, m)?,
        wrap_pyfunction!(validate, m)?,
        wrap_pyfunction!(default_scenario, m)?,
        wrap_pyfunction!(scenario, m)?,
        wrap_pyfunction!(link, m)?,
        wrap_pyfunction!(presets, m)?,
        wrap_pyfunction!(sources, m)?,
        wrap_pyfunction!(bands, m)?,
        wrap_pyfunction!(tornado, m)?,
        wrap_pyfunction!(compare, m)?,
        wrap_pyfunction!(plan, m)?,
        wrap_pyfunction!(expand, m)?,
        wrap_pyfunction!(parse_axis, m)?,
        wrap_pyfunction!(sweep, m)?,
        wrap_pyfunction!(kpis, m)?,
    ] {
        m.add_function(f)?;
    }
    Ok(())
}
