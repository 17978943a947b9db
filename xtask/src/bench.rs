//! `cargo xtask bench`: run the core's criterion benchmarks and record the results in
//! `docs/perf.md`, between the markers `<!-- bench:core:start -->` and `<!-- bench:core:end -->`.
//!
//! Only that section is rewritten; the rest of the file is left as written. Results are read from
//! criterion's `target/criterion/simulate/<id>/new/estimates.json` (times in nanoseconds), and
//! only those written by this run are recorded.

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, SystemTime};

use serde_json::Value;

use crate::perf::{self, Section};
use crate::util::{self, Error, Result, failed};

/// The generated section of `docs/perf.md`.
const SECTION: Section =
    Section { start: "<!-- bench:core:start -->", end: "<!-- bench:core:end -->", intro: "" };

/// The core's bench targets.
const TARGETS: [&str; 3] = ["simulate", "plan", "montecarlo"];

/// Criterion groups of those targets.
const GROUPS: [&str; 5] = ["simulate", "page", "plan", "montecarlo", "montecarlo_draw"];

/// Nanoseconds per microsecond, the unit of the table.
const NS_PER_US: f64 = 1_000.0;

/// One benchmark's estimates, in nanoseconds.
#[derive(Debug, PartialEq)]
struct Estimates {
    /// Criterion id, e.g. `simulate/default`.
    id: String,
    mean_ns: f64,
    median_ns: f64,
    std_dev_ns: f64,
    ci_low_ns: f64,
    ci_high_ns: f64,
    /// Confidence level of the interval (0.95 for criterion's default).
    confidence_level: f64,
}

/// Runs `cargo xtask bench [-- <cargo bench args>]`.
pub fn run(args: &[String]) -> Result {
    let extra = match args.split_first() {
        None => &[][..],
        Some((first, rest)) if first == "--" => rest,
        Some((first, _)) => {
            return Err(Error::Usage(format!(
                "unknown option `{first}` for bench (pass cargo bench arguments after --)"
            )));
        }
    };
    let root = util::workspace_root();
    // Slack for file systems whose timestamps are coarser than the clock.
    let started = SystemTime::now() - Duration::from_secs(2);
    let mut bench = util::cargo(&root, &["bench", "-p", "atlas-core"]);
    for target in TARGETS {
        bench.args(["--bench", target]);
    }
    bench.args(extra);
    util::run(&mut bench)?;

    let mut results = Vec::new();
    for group in GROUPS {
        let group_dir = util::target_dir(&root).join("criterion").join(group);
        results.extend(read_fresh_results(&group_dir, group, started)?);
    }
    let section = render_section(&results, &perf::environment_line(&root, "cargo xtask bench"));
    perf::write_section(&root, &SECTION, &section)?;
    println!(
        "Updated docs/perf.md with {} benchmark(s): {}",
        results.len(),
        results.iter().map(|r| r.id.as_str()).collect::<Vec<_>>().join(", ")
    );
    Ok(())
}

/// Reads every `<group_dir>/<id>/new/estimates.json` written since `since`, `default` first,
/// then by id. Older files (benchmarks this run filtered out) are skipped with a note.
fn read_fresh_results(group_dir: &Path, group: &str, since: SystemTime) -> Result<Vec<Estimates>> {
    let entries = std::fs::read_dir(group_dir)
        .map_err(|err| failed(format!("no criterion results in {}: {err}", group_dir.display())))?;
    let mut results = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path().join("new").join("estimates.json");
        let Ok(modified) = path.metadata().and_then(|m| m.modified()) else {
            continue; // criterion's `report/` folder and the like
        };
        let id = format!("{group}/{}", entry.file_name().to_string_lossy());
        if modified < since {
            eprintln!("note: {id} was not run this time; left out of docs/perf.md");
            continue;
        }
        let json =
            std::fs::read_to_string(&path).map_err(|err| failed(format!("{}: {err}", path.display())))?;
        results.push(parse_estimates(&id, &json)?);
    }
    if results.is_empty() {
        return Err(failed(format!(
            "no benchmark results were written to {} by this run",
            group_dir.display()
        )));
    }
    results.sort_by(|a, b| {
        let key = |e: &Estimates| (!e.id.ends_with("/default"), e.id.clone());
        key(a).cmp(&key(b))
    });
    Ok(results)
}

/// Parses criterion's `estimates.json` for benchmark `id`.
fn parse_estimates(id: &str, json: &str) -> Result<Estimates> {
    let value: Value =
        serde_json::from_str(json).map_err(|err| failed(format!("{id}: estimates.json: {err}")))?;
    let number = |pointer: &str| {
        value
            .pointer(pointer)
            .and_then(Value::as_f64)
            .ok_or_else(|| failed(format!("{id}: estimates.json has no number at {pointer}")))
    };
    Ok(Estimates {
        id: id.to_string(),
        mean_ns: number("/mean/point_estimate")?,
        median_ns: number("/median/point_estimate")?,
        std_dev_ns: number("/std_dev/point_estimate")?,
        ci_low_ns: number("/mean/confidence_interval/lower_bound")?,
        ci_high_ns: number("/mean/confidence_interval/upper_bound")?,
        confidence_level: number("/mean/confidence_interval/confidence_level").unwrap_or(0.95),
    })
}

/// The generated section: a table in microseconds and a line saying where it was measured.
fn render_section(results: &[Estimates], environment: &str) -> String {
    let level = results.first().map_or(0.95, |r| r.confidence_level);
    let us = |ns: f64| format!("{:.1}", ns / NS_PER_US);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "| Benchmark | Mean (µs) | Median (µs) | {:.0}% CI of mean (µs) | Std dev (µs) |",
        level * 100.0
    );
    out.push_str("|---|---:|---:|---:|---:|\n");
    for r in results {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} – {} | {} |",
            r.id,
            us(r.mean_ns),
            us(r.median_ns),
            us(r.ci_low_ns),
            us(r.ci_high_ns),
            us(r.std_dev_ns)
        );
    }
    if let Some(draw) = results.iter().find(|r| r.id == "montecarlo_draw/default") {
        let _ = writeln!(
            out,
            "\nMonte Carlo natively: {:.0} draws per second (one draw of the default scenario, every \
             series and headline figure kept: {} µs at the median).",
            1e9 / draw.median_ns,
            us(draw.median_ns)
        );
    }
    let _ = writeln!(out, "\n{environment}");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const ESTIMATES: &str = r#"{
        "mean": {"confidence_interval": {"confidence_level": 0.95, "lower_bound": 123400.0,
                 "upper_bound": 130060.0}, "point_estimate": 126543.2, "standard_error": 1.0},
        "median": {"confidence_interval": {"confidence_level": 0.95, "lower_bound": 1.0,
                   "upper_bound": 2.0}, "point_estimate": 125000.0, "standard_error": 1.0},
        "median_abs_dev": null,
        "slope": null,
        "std_dev": {"confidence_interval": {"confidence_level": 0.95, "lower_bound": 1.0,
                    "upper_bound": 2.0}, "point_estimate": 4449.0, "standard_error": 1.0}
    }"#;

    fn section() -> String {
        let e = parse_estimates("simulate/default", ESTIMATES).expect("parses");
        render_section(&[e], "Measured today.")
    }

    #[test]
    fn parses_criterion_estimates() {
        let e = parse_estimates("simulate/10x", ESTIMATES).expect("parses");
        assert_eq!(e.mean_ns, 126543.2);
        assert_eq!(e.median_ns, 125000.0);
        assert_eq!(e.std_dev_ns, 4449.0);
        assert_eq!((e.ci_low_ns, e.ci_high_ns), (123400.0, 130060.0));
        assert!(parse_estimates("x", r#"{"mean": {}}"#).is_err());
        assert!(parse_estimates("x", "not json").is_err());
    }

    #[test]
    fn renders_microseconds_with_one_decimal() {
        let s = section();
        assert!(s.contains("95% CI"));
        assert!(s.contains("| `simulate/default` | 126.5 | 125.0 | 123.4 – 130.1 | 4.4 |"));
        assert!(s.ends_with("Measured today.\n"));
    }

    #[test]
    fn reads_fresh_results_default_first() {
        let dir = std::env::temp_dir().join(format!("xtask-bench-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for id in ["10x", "default"] {
            let new = dir.join(id).join("new");
            std::fs::create_dir_all(&new).expect("mkdir");
            std::fs::write(new.join("estimates.json"), ESTIMATES).expect("write");
        }
        std::fs::create_dir_all(dir.join("report")).expect("mkdir");
        let results = read_fresh_results(&dir, "simulate", SystemTime::UNIX_EPOCH).expect("results");
        let ids: Vec<_> = results.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["simulate/default", "simulate/10x"]);
        let later = SystemTime::now() + Duration::from_secs(3600);
        assert!(read_fresh_results(&dir, "simulate", later).is_err());
        let _ = std::fs::remove_dir_all(&dir);
        assert!(read_fresh_results(&dir, "simulate", SystemTime::UNIX_EPOCH).is_err());
    }
}
