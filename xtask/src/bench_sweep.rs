//! `cargo xtask bench-sweep`: the sweep's throughput (scenarios a second on one thread, on every
//! core, on a Dask LocalCluster, and by `atlas sweep`), measured by `python/benches/sweep.py` in the
//! Python package's environment, written to its section of `docs/perf.md`.

use std::process::Command;

use crate::perf::{self, Section};
use crate::util::{self, Error, Result};

const SECTION: Section = Section {
    start: "<!-- bench:sweep:start -->",
    end: "<!-- bench:sweep:end -->",
    intro: "## Sweeps\n\n`cargo xtask bench-sweep` runs one sweep four ways (issue 19):\n\n",
};

/// Runs `cargo xtask bench-sweep [N]` (10,000 scenarios without N).
pub fn run(args: &[String]) -> Result {
    let n = match args {
        [] => 10_000,
        [n] => n
            .parse()
            .map_err(|_| Error::Usage(format!("`bench-sweep` takes a number of scenarios, got `{n}`")))?,
        _ => return Err(Error::Usage("`bench-sweep` takes at most one argument".into())),
    };
    let root = util::workspace_root();
    let python = crate::python::install(&root)?;
    util::run(&mut util::cargo(&root, &["build", "--quiet", "--release", "--package", "atlas-cli"]))?;
    let cli = util::target_dir(&root).join("release").join("atlas");
    let body = util::output(
        Command::new(&python)
            .arg(root.join("python").join("benches").join("sweep.py"))
            .arg(n.to_string())
            .arg(&cli)
            .current_dir(&root),
    )?;
    let text = format!("{body}\n{}\n", perf::environment_line(&root, "cargo xtask bench-sweep"));
    perf::write_section(&root, &SECTION, &text)?;
    print!("{text}");
    println!("Updated docs/perf.md (section bench:sweep)");
    Ok(())
}
