//! `cargo xtask bench-web`: measure the page in headless Chromium and record the figures in
//! `docs/perf.md`, between `<!-- bench:web:start -->` and `<!-- bench:web:end -->`.
//!
//! The site is built and served as for the browser tests; `tests/e2e/bench.mjs` drags the
//! energy-cost slider step by step and prints one JSON line of percentiles, taken from the timings
//! the page records itself (`window.__atlas.timings`). To those this adds the size of the wasm
//! module, raw and gzipped (`gzip -9`), and where it was measured.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::browser::Session;
use crate::perf::{self, Section};
use crate::site;
use crate::util::{self, Error, Result, failed};

/// The generated section of `docs/perf.md`, with the text put before it the first time.
const SECTION: Section = Section {
    start: "<!-- bench:web:start -->",
    end: "<!-- bench:web:end -->",
    intro: "## The page, in headless Chromium\n\n\
            `cargo xtask bench-web` serves the release build of the page and drags the energy-cost \
            slider\nwith the mouse, one value step at a time, waiting for each update. Times are \
            the page's own\n(`window.__atlas.timings`): input to paint, and its parts: simulate \
            (the core), draw (the\ncharts) and DOM (everything else on the page).\n\n",
};

/// The benchmark script, relative to the workspace root.
const SCRIPT: &str = "tests/e2e/bench.mjs";

/// Bytes per KiB, for the sizes.
const BYTES_PER_KIB: f64 = 1024.0;

/// Percentiles of one measure, in milliseconds; `p99` only where the script reports it.
#[derive(Debug, PartialEq)]
struct Percentiles {
    p50: f64,
    p95: f64,
    p99: Option<f64>,
}

/// The planner's timings in the page.
#[derive(Debug, PartialEq)]
struct PlannerBench {
    runs: u64,
    /// One optimisation: the solve, the user's own point, showing the plan.
    solve: Percentiles,
    /// One frontier point (a solve and a redraw), per task.
    step: Percentiles,
    /// From the optimisation to the last frontier point.
    frontier_ms: f64,
}

/// The uncertainty bands' timings in the page, after a slider stops.
#[derive(Debug, PartialEq)]
struct BandsBench {
    runs: u64,
    draws: u64,
    /// Workers the page had.
    workers: u64,
    /// To every draw taken.
    draws_taken: Percentiles,
    /// To the bands of every draw, on screen.
    full: Percentiles,
    /// To the tornado, on screen.
    tornado: Percentiles,
    /// The longest slice of work between two frames.
    slice_max_ms: f64,
    /// Share of the draws the workers took.
    worker_share: f64,
    /// Time per draw the page spent, µs.
    page_us_per_draw: f64,
    /// Time per draw a worker spent, µs (0 without workers).
    worker_us_per_draw: f64,
}

/// One timed drag of the slider: what its frames got, and how soon the bands followed the release.
#[derive(Debug, PartialEq)]
struct DragBench {
    /// Mouse moves a second.
    hz: f64,
    fps: f64,
    worst_frame_ms: f64,
    long_tasks: u64,
    longest_task_ms: f64,
    /// From the release to the start of the bands' work, and to the bands on screen.
    start_after_release_ms: f64,
    on_screen_after_release_ms: f64,
}

/// What `bench.mjs` prints.
#[derive(Debug, PartialEq)]
struct WebBench {
    drags: Vec<DragBench>,
    planner: Option<PlannerBench>,
    bands: Option<BandsBench>,
    /// The same, in a page without workers.
    bands_alone: Option<BandsBench>,
    steps: u64,
    input_to_paint: Percentiles,
    update: Percentiles,
    simulate: Percentiles,
    draw: Percentiles,
    dom: Percentiles,
}

/// Size of the wasm module, raw and gzipped, in bytes.
#[derive(Debug, PartialEq)]
struct WasmSize {
    raw: u64,
    gzip: u64,
}

/// Runs `cargo xtask bench-web`.
pub fn run(args: &[String]) -> Result {
    if let Some(arg) = args.first() {
        return Err(Error::Usage(format!("`bench-web` takes no arguments, got `{arg}`")));
    }
    let root = util::workspace_root();
    let session = Session::start(&root)?;
    println!("    node {SCRIPT}");
    util::flush();
    let stdout = util::output(&mut session.node(&[SCRIPT]))?;
    let browser = perf::command_line(Command::new(session.chromium()).arg("--version"))
        .unwrap_or_else(|| "Chromium".into());
    drop(session);
    let bench = parse_bench_output(&stdout)?;
    let size = wasm_size(&site::wasm_module(&root))?;
    let section =
        render_section(&bench, &size, &browser, &perf::environment_line(&root, "cargo xtask bench-web"));
    perf::write_section(&root, &SECTION, &section)?;
    print!("{section}");
    println!("Updated docs/perf.md (section bench:web)");
    Ok(())
}

/// Reads the JSON line `bench.mjs` prints last on stdout.
fn parse_bench_output(stdout: &str) -> Result<WebBench> {
    let line = stdout
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .ok_or_else(|| failed(format!("{SCRIPT} printed nothing")))?;
    let value: Value =
        serde_json::from_str(line).map_err(|err| failed(format!("{SCRIPT}: `{line}` is not JSON: {err}")))?;
    let number = |pointer: &str| {
        value
            .pointer(pointer)
            .and_then(Value::as_f64)
            .filter(|n| n.is_finite())
            .ok_or_else(|| failed(format!("{SCRIPT}: no number at {pointer} in `{line}`")))
    };
    let percentiles = |name: &str, with_p99: bool| -> Result<Percentiles> {
        Ok(Percentiles {
            p50: number(&format!("/{name}/p50"))?,
            p95: number(&format!("/{name}/p95"))?,
            p99: if with_p99 { Some(number(&format!("/{name}/p99"))?) } else { None },
        })
    };
    let steps = value
        .get("steps")
        .and_then(Value::as_u64)
        .ok_or_else(|| failed(format!("{SCRIPT}: no step count in `{line}`")))?;
    let planner = match value.get("planner") {
        None => None,
        Some(_) => Some(PlannerBench {
            runs: value
                .pointer("/planner/runs")
                .and_then(Value::as_u64)
                .ok_or_else(|| failed(format!("{SCRIPT}: no planner run count in `{line}`")))?,
            solve: percentiles("planner/solve_ms", false)?,
            step: percentiles("planner/frontier_step_ms", false)?,
            frontier_ms: number("/planner/frontier_ms")?,
        }),
    };
    let count = |pointer: &str| {
        value
            .pointer(pointer)
            .and_then(Value::as_u64)
            .ok_or_else(|| failed(format!("{SCRIPT}: no count at {pointer}")))
    };
    let bands_at = |key: &str| -> Result<Option<BandsBench>> {
        if value.get(key).is_none() {
            return Ok(None);
        }
        Ok(Some(BandsBench {
            runs: count(&format!("/{key}/runs"))?,
            draws: count(&format!("/{key}/draws"))?,
            workers: count(&format!("/{key}/workers"))?,
            draws_taken: percentiles(&format!("{key}/draws_ms"), false)?,
            full: percentiles(&format!("{key}/full_ms"), false)?,
            tornado: percentiles(&format!("{key}/tornado_ms"), false)?,
            slice_max_ms: number(&format!("/{key}/slice_max_ms"))?,
            worker_share: number(&format!("/{key}/worker_share"))?,
            page_us_per_draw: number(&format!("/{key}/page_us_per_draw"))?,
            worker_us_per_draw: number(&format!("/{key}/worker_us_per_draw"))?,
        }))
    };
    let bands = bands_at("bands")?;
    let bands_alone = bands_at("bands_alone")?;
    let drag_count = value.get("drags").and_then(Value::as_array).map_or(0, Vec::len);
    let drags = (0..drag_count)
        .map(|i| {
            let at = |key: &str| number(&format!("/drags/{i}/{key}"));
            Ok(DragBench {
                hz: at("hz")?,
                fps: at("fps")?,
                worst_frame_ms: at("worst_frame_ms")?,
                long_tasks: count(&format!("/drags/{i}/long_tasks"))?,
                longest_task_ms: at("longest_task_ms")?,
                start_after_release_ms: at("bands_start_after_release_ms")?,
                on_screen_after_release_ms: at("bands_on_screen_after_release_ms")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(WebBench {
        drags,
        planner,
        bands,
        bands_alone,
        steps,
        input_to_paint: percentiles("input_to_paint_ms", true)?,
        update: percentiles("total_ms", true)?,
        simulate: percentiles("simulate_ms", false)?,
        draw: percentiles("draw_ms", false)?,
        dom: percentiles("dom_ms", false)?,
    })
}

/// The size of the file at `path`, raw and compressed with `gzip -9`.
fn wasm_size(path: &Path) -> Result<WasmSize> {
    let raw = path.metadata().map_err(|err| failed(format!("{}: {err}", path.display())))?.len();
    let out = Command::new("gzip")
        .args(["-9", "-c"])
        .arg(path)
        .output()
        .map_err(|err| failed(format!("could not run gzip: {err}")))?;
    if !out.status.success() {
        return Err(failed(format!("gzip -9 -c {} failed ({})", path.display(), out.status)));
    }
    Ok(WasmSize { raw, gzip: out.stdout.len() as u64 })
}

/// The generated section: the timing table, what was measured, the module's size, where.
fn render_section(bench: &WebBench, size: &WasmSize, browser: &str, environment: &str) -> String {
    let ms = |v: f64| format!("{v:.1}");
    let mut out = String::new();
    out.push_str("| Per update (ms) | p50 | p95 | p99 |\n|---|---:|---:|---:|\n");
    for (name, p) in [
        ("Input to paint", &bench.input_to_paint),
        ("Whole update (validate, simulate, draw, DOM)", &bench.update),
        ("Simulate", &bench.simulate),
        ("Draw", &bench.draw),
        ("DOM", &bench.dom),
    ] {
        let p99 = p.p99.map_or_else(|| "–".to_string(), ms);
        let _ = writeln!(out, "| {name} | {} | {} | {p99} |", ms(p.p50), ms(p.p95));
    }
    let _ = writeln!(
        out,
        "\n{} steps of the energy-cost slider (`#ctl-energy_cost_multiplier`), dragged with the mouse, \
         in headless {browser}.",
        bench.steps
    );
    if !bench.drags.is_empty() {
        out.push_str(
            "\n| Dragging the energy-cost slider for 7 s | frames a second | longest frame (ms) | long tasks | longest task (ms) | bands start after release (ms) | bands on screen after release (ms) |\n|---|---:|---:|---:|---:|---:|---:|\n",
        );
        for d in &bench.drags {
            let _ = writeln!(
                out,
                "| {:.0} mouse moves a second | {:.1} | {} | {} | {} | {} | {} |",
                d.hz,
                d.fps,
                ms(d.worst_frame_ms),
                d.long_tasks,
                ms(d.longest_task_ms),
                ms(d.start_after_release_ms),
                ms(d.on_screen_after_release_ms)
            );
        }
        out.push_str(
            "\nWhile a slider is held, the bands and tornado wait (their work starts on release, or after \
             a pause of 250 ms); long tasks are those over 50 ms (PerformanceObserver).\n",
        );
    }
    if let Some(p) = &bench.planner {
        out.push_str(
            "\n| Planner, default scenario, no provider above 50% (ms) | p50 | p95 |\n|---|---:|---:|\n",
        );
        let _ = writeln!(
            out,
            "| Optimise: one solve, your own point, the plan shown | {} | {} |",
            ms(p.solve.p50),
            ms(p.solve.p95)
        );
        let _ = writeln!(
            out,
            "| One frontier point or explanation step (a solve, a redraw) | {} | {} |",
            ms(p.step.p50),
            ms(p.step.p95)
        );
        let _ = writeln!(
            out,
            "\nThe whole frontier (23 carbon prices, a task each) was complete {} ms after Optimise ({} runs).",
            ms(p.frontier_ms),
            p.runs
        );
    }
    if let Some(b) = &bench.bands {
        out.push_str(
            "\n| Uncertainty, default scenario, after the energy-cost slider stops (ms) | p50 | p95 |\n|---|---:|---:|\n",
        );
        let alone = bench.bands_alone.as_ref();
        let workers = if b.workers == 1 { "1 worker".to_string() } else { format!("{} workers", b.workers) };
        let mut rows = vec![
            (format!("Every draw taken ({workers})"), &b.draws_taken),
            (format!("Bands of every draw, on screen ({workers})"), &b.full),
            ("Tornado of end-year carbon, on screen".to_string(), &b.tornado),
        ];
        if let Some(a) = alone {
            rows.push(("Bands of every draw, on screen, page without workers".to_string(), &a.full));
        }
        for (name, p) in rows {
            let _ = writeln!(out, "| {name} | {} | {} |", ms(p.p50), ms(p.p95));
        }
        let _ = writeln!(
            out,
            "\n{} draws per change ({} changes each way). The workers took {:.0}% of the draws; a draw \
             cost {:.0} µs in the page and {:.0} µs in a worker. The longest slice of work between two \
             frames: {} ms.",
            thousands(b.draws),
            b.runs,
            100.0 * b.worker_share,
            b.page_us_per_draw,
            b.worker_us_per_draw,
            ms(b.slice_max_ms.max(alone.map_or(0.0, |a| a.slice_max_ms)))
        );
    }
    let _ = writeln!(
        out,
        "\nThe wasm module (`www/pkg/atlas_web_bg.wasm`): {} bytes ({:.1} KiB) raw, {} bytes \
         ({:.1} KiB) gzipped (`gzip -9`).",
        thousands(size.raw),
        size.raw as f64 / BYTES_PER_KIB,
        thousands(size.gzip),
        size.gzip as f64 / BYTES_PER_KIB,
    );
    let _ = writeln!(out, "\n{environment}");
    out
}

/// `1234567` as `1,234,567`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINE: &str = r#"{"steps":200,"input_to_paint_ms":{"p50":12.34,"p95":16.2,"p99":25},
        "total_ms":{"p50":4.1,"p95":7.5,"p99":9},
        "simulate_ms":{"p50":0.4,"p95":0.61},"draw_ms":{"p50":8.1,"p95":10.04},
        "dom_ms":{"p50":1.25,"p95":2}}"#;

    fn one_line(text: &str) -> String {
        text.split_whitespace().collect()
    }

    #[test]
    fn parses_the_last_line() {
        let stdout = format!("warming up\n{}\n\n", one_line(LINE));
        let bench = parse_bench_output(&stdout).expect("parses");
        assert_eq!(bench.steps, 200);
        assert_eq!(bench.input_to_paint, Percentiles { p50: 12.34, p95: 16.2, p99: Some(25.0) });
        assert_eq!(bench.simulate, Percentiles { p50: 0.4, p95: 0.61, p99: None });
        assert_eq!(bench.dom.p95, 2.0);
    }

    #[test]
    fn refuses_incomplete_output() {
        assert!(parse_bench_output("").is_err());
        assert!(parse_bench_output("not json").is_err());
        assert!(parse_bench_output(r#"{"steps": 200}"#).is_err());
        let no_p99 = one_line(LINE).replace(r#","p99":25"#, "");
        assert!(parse_bench_output(&no_p99).is_err());
        let null = one_line(LINE).replace("0.61", "null");
        assert!(parse_bench_output(&null).is_err());
    }

    #[test]
    fn renders_the_section() {
        let bench = parse_bench_output(&one_line(LINE)).expect("parses");
        let size = WasmSize { raw: 251_234, gzip: 91_000 };
        let s = render_section(&bench, &size, "Chromium 156.0", "Measured today.");
        assert!(s.starts_with("| Per update (ms) | p50 | p95 | p99 |\n|---|---:|---:|---:|\n"));
        assert!(s.contains("| Input to paint | 12.3 | 16.2 | 25.0 |\n"));
        assert!(s.contains("| Simulate | 0.4 | 0.6 | – |\n"));
        assert!(s.contains("| Draw | 8.1 | 10.0 | – |\n"));
        assert!(s.contains("| DOM | 1.2 | 2.0 | – |\n"));
        assert!(s.contains("200 steps of the energy-cost slider"));
        assert!(s.contains("in headless Chromium 156.0."));
        assert!(s.contains("251,234 bytes (245.3 KiB) raw, 91,000 bytes (88.9 KiB) gzipped"));
        assert!(s.ends_with("\nMeasured today.\n"));
    }

    #[test]
    fn parses_and_renders_the_bands() {
        let bands = |workers: u32, share: f64| {
            format!(
                r#""runs":15,"draws":1000,"workers":{workers},"draws_ms":{{"p50":120,"p95":150}},
                "full_ms":{{"p50":140,"p95":170}},"tornado_ms":{{"p50":190,"p95":230}},"slice_max_ms":12.5,
                "worker_share":{share},"page_us_per_draw":160,"worker_us_per_draw":150"#
            )
        };
        let line = LINE.replacen(
            "{",
            &format!(r#"{{"bands":{{{}}},"bands_alone":{{{}}},"#, bands(1, 0.48), bands(0, 0.0)),
            1,
        );
        let bench = parse_bench_output(&one_line(&line)).expect("parses");
        let b = bench.bands.as_ref().expect("bands");
        assert_eq!((b.workers, b.draws, b.worker_share), (1, 1000, 0.48));
        assert_eq!(b.full, Percentiles { p50: 140.0, p95: 170.0, p99: None });
        assert_eq!(bench.bands_alone.as_ref().map(|a| a.workers), Some(0));
        let s = render_section(&bench, &WasmSize { raw: 1, gzip: 1 }, "Chromium", "");
        assert!(s.contains("| Bands of every draw, on screen (1 worker) | 140.0 | 170.0 |"), "{s}");
        assert!(s.contains("| Bands of every draw, on screen, page without workers | 140.0 | 170.0 |"));
        assert!(s.contains("The workers took 48% of the draws; a draw cost 160 µs in the page and 150 µs"));
        let broken = one_line(&line).replacen(r#""worker_share":0.48"#, r#""worker_share":null"#, 1);
        assert!(parse_bench_output(&broken).is_err());
    }

    #[test]
    fn parses_and_renders_the_drags() {
        let drag = |hz: u32, fps: f64, long: u32| {
            format!(
                r#"{{"hz":{hz},"moves":140,"fps":{fps},"worst_frame_ms":33.4,"long_tasks":{long},"longest_task_ms":61.5,"bands_start_after_release_ms":21.2,"bands_on_screen_after_release_ms":140.7}}"#
            )
        };
        let line = one_line(LINE).replacen(
            '{',
            &format!(r#"{{"drags":[{},{}],"#, drag(20, 59.6, 0), drag(60, 58.2, 1)),
            1,
        );
        let bench = parse_bench_output(&line).expect("parses");
        assert_eq!(bench.drags.len(), 2);
        assert_eq!((bench.drags[1].hz, bench.drags[1].long_tasks), (60.0, 1));
        let section = render_section(&bench, &WasmSize { raw: 1, gzip: 1 }, "Chromium", "env");
        assert!(
            section.contains("| 20 mouse moves a second | 59.6 | 33.4 | 0 | 61.5 | 21.2 | 140.7 |"),
            "{section}"
        );
    }

    #[test]
    fn groups_thousands() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(251_234), "251,234");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn measures_a_file_raw_and_gzipped() {
        let path = std::env::temp_dir().join(format!("xtask-bench-web-{}.bin", std::process::id()));
        std::fs::write(&path, vec![b'a'; 10_000]).expect("write");
        let size = wasm_size(&path).expect("size");
        assert_eq!(size.raw, 10_000);
        assert!(size.gzip > 0 && size.gzip < 200, "{size:?}");
        let _ = std::fs::remove_file(&path);
        assert!(wasm_size(&path).is_err());
    }
}
