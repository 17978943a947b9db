//! `cargo xtask model-check`: the model checks of `tests/checks/checks.toml` as a report, and, with
//! `--compare`, every preset's headline figures beside the committed snapshot
//! (`tests/checks/snapshot.json`); `--update` rewrites the snapshot. The checks themselves live in
//! `atlas_scenario_tests::checks`, which `cargo xtask test` also runs (as a native test).

use atlas_scenario_tests::{checks, snapshot};

use crate::util::{Error, Result};

/// Runs `cargo xtask model-check [--compare] [--update]`.
pub fn run(args: &[String]) -> Result {
    let (mut compare, mut update) = (false, false);
    for arg in args {
        match arg.as_str() {
            "--compare" => compare = true,
            "--update" => update = true,
            other => {
                return Err(Error::Usage(format!(
                    "`model-check` takes --compare or --update, got `{other}`"
                )));
            }
        }
    }
    let now = snapshot::current();
    if compare || update {
        let was = snapshot::committed().map_err(Error::Failed)?;
        print!("{}", snapshot::table(&snapshot::compare(&was, &now)));
    }
    if update {
        std::fs::write(snapshot::path(), snapshot::to_text(&now))
            .map_err(|e| Error::Failed(format!("cannot write the snapshot: {e}")))?;
        println!("wrote {}", snapshot::path().display());
        return Ok(());
    }
    if compare {
        return Ok(());
    }
    let loaded = checks::load().map_err(Error::Failed)?;
    let report = checks::run(&loaded).map_err(Error::Failed)?;
    print!("{}", report.text());
    if report.passed() { Ok(()) } else { Err(Error::Failed("some model checks failed".into())) }
}
