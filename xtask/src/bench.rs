//! `cargo xtask bench`: run the core's criterion benchmarks and record the results in
//! `docs/perf.md`, between the markers `<!-- bench:core:start -->` and `<!-- bench:core:end -->`.
//!
//! Only that section is rewritten; the rest of the file is left as written. Results are read from
//! criterion's `target/criterion/simulate/<id>/new/estimates.json` (times in nanoseconds), and
//! only those written by this run are recorded.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, SystemTime};

use serde_json::Value;

use crate::util::{self, Error, Result, failed};

/// Marker opening the generated section of `docs/perf.md`.
const START_MARKER: &str = "<!-- bench:core:start -->";

/// Marker closing the generated section.
const END_MARKER: &str = "<!-- bench:core:end -->";

/// Criterion group of the core's benchmarks (also the bench target's name).
const GROUP: &str = "simulate";

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
    let mut bench = util::cargo(&root, &["bench", "-p", "atlas-core", "--bench", GROUP]);
    bench.args(extra);
    util::run(&mut bench)?;

    let group_dir = util::target_dir(&root).join("criterion").join(GROUP);
    let results = read_fresh_results(&group_dir, started)?;
    let section = render_section(&results, &environment_line(&root));
    let perf_path = root.join("docs").join("perf.md");
    let existing = match std::fs::read_to_string(&perf_path) {
        Ok(text) => Some(text),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
        Err(err) => return Err(failed(format!("{}: {err}", perf_path.display()))),
    };
    let updated = replace_section(existing.as_deref(), &section)?;
    if let Some(dir) = perf_path.parent() {
        std::fs::create_dir_all(dir).map_err(|err| failed(format!("{}: {err}", dir.display())))?;
    }
    std::fs::write(&perf_path, updated).map_err(|err| failed(format!("{}: {err}", perf_path.display())))?;
    println!(
        "Updated docs/perf.md with {} benchmark(s): {}",
        results.len(),
        results.iter().map(|r| r.id.as_str()).collect::<Vec<_>>().join(", ")
    );
    Ok(())
}

/// Reads every `<group_dir>/<id>/new/estimates.json` written since `since`, `default` first,
/// then by id. Older files (benchmarks this run filtered out) are skipped with a note.
fn read_fresh_results(group_dir: &Path, since: SystemTime) -> Result<Vec<Estimates>> {
    let entries = std::fs::read_dir(group_dir)
        .map_err(|err| failed(format!("no criterion results in {}: {err}", group_dir.display())))?;
    let mut results = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path().join("new").join("estimates.json");
        let Ok(modified) = path.metadata().and_then(|m| m.modified()) else {
            continue; // criterion's `report/` folder and the like
        };
        let id = format!("{GROUP}/{}", entry.file_name().to_string_lossy());
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
    let _ = writeln!(out, "\n{environment}");
    out
}

/// `Measured <date> with <rustc> on <cpu> (<n> CPUs), by cargo xtask bench.`
fn environment_line(root: &Path) -> String {
    let date = command_line(Command::new("date").args(["-u", "+%Y-%m-%d %H:%M UTC"]))
        .unwrap_or_else(|| "an unknown date".into());
    let rustc = command_line(Command::new("rustc").arg("--version").current_dir(root))
        .unwrap_or_else(|| "an unknown rustc".into());
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| cpu_model(&info))
        .unwrap_or_else(|| "an unknown CPU".into());
    let cpus = command_line(&mut Command::new("nproc"))
        .or_else(|| std::thread::available_parallelism().ok().map(|n| n.to_string()))
        .unwrap_or_else(|| "?".into());
    format!("Measured {date} with {rustc} on {cpu} ({cpus} CPUs), by `cargo xtask bench`.")
}

/// The first line of a command's output, if it ran and succeeded.
fn command_line(cmd: &mut Command) -> Option<String> {
    let out = cmd.output().ok().filter(|o| o.status.success())?;
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().next()?.trim();
    (!line.is_empty()).then(|| line.to_string())
}

/// The CPU model named in `/proc/cpuinfo` (`model name`, or `Hardware` on some ARM boards).
fn cpu_model(cpuinfo: &str) -> Option<String> {
    ["model name", "Hardware"].iter().find_map(|key| {
        cpuinfo.lines().find_map(|line| {
            let (name, value) = line.split_once(':')?;
            (name.trim() == *key && !value.trim().is_empty()).then(|| value.trim().to_string())
        })
    })
}

/// Puts `section` between the markers of `existing` (the current `docs/perf.md`, if any),
/// leaving everything outside the markers untouched. Without markers the section is appended;
/// without a file, a new one titled `# Performance` is made.
fn replace_section(existing: Option<&str>, section: &str) -> Result<String> {
    let block = format!("{START_MARKER}\n{section}{END_MARKER}");
    let Some(doc) = existing else {
        return Ok(format!("# Performance\n\n{block}\n"));
    };
    match (doc.find(START_MARKER), doc.find(END_MARKER)) {
        (Some(start), Some(_)) => {
            let after_start = start + START_MARKER.len();
            let end = doc[after_start..]
                .find(END_MARKER)
                .map(|i| after_start + i)
                .ok_or_else(|| failed(format!("docs/perf.md: {END_MARKER} before {START_MARKER}")))?;
            Ok(format!("{}{block}{}", &doc[..start], &doc[end + END_MARKER.len()..]))
        }
        (None, None) => {
            let separator = match doc {
                "" => "",
                d if d.ends_with("\n\n") => "",
                d if d.ends_with('\n') => "\n",
                _ => "\n\n",
            };
            Ok(format!("{doc}{separator}{block}\n"))
        }
        (Some(_), None) => Err(failed(format!("docs/perf.md: {START_MARKER} without {END_MARKER}"))),
        (None, Some(_)) => Err(failed(format!("docs/perf.md: {END_MARKER} without {START_MARKER}"))),
    }
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
    fn creates_the_file_when_missing() {
        let doc = replace_section(None, "table\n").expect("ok");
        assert_eq!(doc, "# Performance\n\n<!-- bench:core:start -->\ntable\n<!-- bench:core:end -->\n");
    }

    #[test]
    fn rewrites_only_between_the_markers() {
        let doc = "# Performance\n\nIntro.\n\n<!-- bench:core:start -->\nold table\n\
                   <!-- bench:core:end -->\n\n## Web\n\nHand-written notes.\n";
        let updated = replace_section(Some(doc), "new table\n").expect("ok");
        assert_eq!(
            updated,
            "# Performance\n\nIntro.\n\n<!-- bench:core:start -->\nnew table\n\
             <!-- bench:core:end -->\n\n## Web\n\nHand-written notes.\n"
        );
        // Rewriting is idempotent.
        assert_eq!(replace_section(Some(&updated), "new table\n").ok(), Some(updated));
    }

    #[test]
    fn appends_markers_to_a_file_without_them() {
        let updated = replace_section(Some("# Performance\n\nNotes."), "t\n").expect("ok");
        assert_eq!(
            updated,
            "# Performance\n\nNotes.\n\n<!-- bench:core:start -->\nt\n<!-- bench:core:end -->\n"
        );
    }

    #[test]
    fn refuses_broken_markers() {
        assert!(replace_section(Some("<!-- bench:core:start -->\nx\n"), "t\n").is_err());
        assert!(replace_section(Some("x\n<!-- bench:core:end -->\n"), "t\n").is_err());
        let reversed = "<!-- bench:core:end -->\n<!-- bench:core:start -->\n";
        assert!(replace_section(Some(reversed), "t\n").is_err());
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
        let results = read_fresh_results(&dir, SystemTime::UNIX_EPOCH).expect("results");
        let ids: Vec<_> = results.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["simulate/default", "simulate/10x"]);
        let later = SystemTime::now() + Duration::from_secs(3600);
        assert!(read_fresh_results(&dir, later).is_err());
        let _ = std::fs::remove_dir_all(&dir);
        assert!(read_fresh_results(&dir, SystemTime::UNIX_EPOCH).is_err());
    }

    #[test]
    fn finds_the_cpu_model() {
        let info = "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7B13\n";
        assert_eq!(cpu_model(info).as_deref(), Some("AMD EPYC 7B13"));
        assert_eq!(cpu_model("processor : 0\n"), None);
    }
}
