//! The `atlas` binary end to end: every command, every format, and bad input (exit code 2, every
//! problem on stderr, nothing on stdout).

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn atlas(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_atlas"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("atlas starts");
    if let Some(text) = stdin {
        child.stdin.take().expect("stdin is piped").write_all(text.as_bytes()).expect("stdin accepts");
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("atlas finishes")
}

fn example(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/scenarios").join(name).display().to_string()
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

#[test]
fn default_prints_a_scenario_that_runs_again() {
    let out = atlas(&["default"], None);
    assert!(out.status.success());
    let json = stdout(&out);
    assert!(json.contains("\"format_version\": 1"));
    let again = atlas(&["run", "-", "--format", "summary"], Some(&json));
    assert!(again.status.success(), "{}", String::from_utf8_lossy(&again.stderr));
    assert!(stdout(&again).contains("Capacity at end"));
}

#[test]
fn run_prints_json_csv_and_summary() {
    let file = example("minimal.json");
    let json = atlas(&["run", &file, "--format", "json"], None);
    assert!(json.status.success());
    let value: serde_json::Value = serde_json::from_str(&stdout(&json)).expect("JSON output parses");
    assert!(value["summary"]["h100e_end"].as_f64().unwrap() > 0.0);
    assert_eq!(value["quarters"][0], "2023Q1");

    let csv = atlas(&["run", &file, "-f", "csv"], None);
    assert!(csv.status.success());
    let text = stdout(&csv);
    let mut lines = text.lines().skip_while(|l| l.starts_with('#'));
    assert_eq!(lines.next(), Some(atlas_core::export::CSV_HEADER));
    // The ids and the value come first; names (which may hold quoted commas) follow.
    let rows: Vec<Vec<&str>> = lines.map(|l| l.splitn(8, ',').collect()).collect();
    assert!(rows.len() > 1000);
    assert!(rows.iter().all(|r| r.len() == 8 && r[6].parse::<f64>().is_ok()));
    assert!(rows.iter().any(|r| r[0] == "2033Q4" && r[1] == "oracle" && r[4] == "energy_twh"));

    let summary = atlas(&["run", &file], None);
    assert!(summary.status.success());
    assert!(stdout(&summary).starts_with("Energy at 1.5x"));
}

#[test]
fn the_energy_multiplier_in_a_file_raises_energy_cost() {
    let cost = |args: &[&str], stdin: Option<&str>| -> f64 {
        let out = atlas(args, stdin);
        let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        v["summary"]["energy_cost_usd_b_total"].as_f64().unwrap()
    };
    let base = cost(&["run", "-", "-f", "json"], Some(r#"{"format_version": 1}"#));
    let higher = cost(&["run", &example("minimal.json"), "-f", "json"], None);
    assert!((higher / base - 1.5).abs() < 1e-9, "{higher} vs {base}");
}

#[test]
fn bad_input_exits_2_with_every_problem_and_no_stdout() {
    let out = atlas(&["run", &example("invalid/typos-and-ranges.json"), "-f", "csv"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("4 problems"), "{err}");
    for field in ["enrgy_cost_multiplier", "utilisation", "carbon_price_usd_per_t", "lifetime_years"] {
        assert!(err.contains(field), "{field} missing from: {err}");
    }

    let missing = atlas(&["run", "no/such/file.json"], None);
    assert_eq!(missing.status.code(), Some(2));
    assert!(missing.stdout.is_empty());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot read"));

    let garbage = atlas(&["validate", "-"], Some("not json at all"));
    assert_eq!(garbage.status.code(), Some(2));
    assert!(garbage.stdout.is_empty());
}

#[test]
fn validate_and_sources() {
    let ok = atlas(&["validate", &example("tiny-world.json")], None);
    assert!(ok.status.success());
    assert!(stdout(&ok).contains("valid"));

    let sources = atlas(&["sources"], None);
    assert!(sources.status.success());
    let text = stdout(&sources);
    assert!(text.lines().count() > 100);
    assert!(text.lines().any(|l| l.starts_with("accelerators.h100.bf16_dense_tflops\t989\t")));
}

#[test]
fn a_url_query_runs_like_the_page_and_reports_what_it_ignored() {
    let out = atlas(
        &["run", "--query", "v=1&energy=2&policy=none&ban=blackwell:embargoed&bogus=1", "-f", "json"],
        None,
    );
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bogus") && err.contains("unknown parameter"), "{err}");
    let with_query: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let base = atlas(&["run", "-", "-f", "json"], Some(r#"{"format_version": 1}"#));
    let base: serde_json::Value = serde_json::from_str(&stdout(&base)).unwrap();
    let cost = |v: &serde_json::Value| v["summary"]["energy_cost_usd_b_total"].as_f64().unwrap();
    assert!((cost(&with_query) / cost(&base) - 2.0).abs() < 1e-9);
    // The same query decoded by the core gives the same numbers, to the last digit.
    let s = atlas_core::url::decode("v=1&energy=2&policy=none&ban=blackwell:embargoed", &[]).scenario;
    let direct = atlas_core::simulate(&s).unwrap();
    assert_eq!(
        with_query["summary"]["energy_cost_usd_b_total"].as_f64().unwrap(),
        direct.summary.energy_cost_usd_b_total
    );
}

#[test]
fn compare_takes_two_links_in_any_form() {
    let out =
        atlas(&["compare", "azure-only", "https://atlas.example/?v=1&energy=2&bogus=1", "-f", "json"], None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("notice (B): bogus"), "{err}");
    let rows: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let row = |id: &str| rows.as_array().unwrap().iter().find(|r| r["id"] == id).unwrap().clone();
    // Against the core, to the last digit.
    let a = atlas_core::simulate(&atlas_core::url::decode("preset=azure-only", &[]).scenario).unwrap();
    let b = atlas_core::simulate(&atlas_core::url::decode("energy=2", &[]).scenario).unwrap();
    let hhi = row("hhi_end");
    assert_eq!(hhi["a"].as_f64().unwrap(), a.summary.hhi_end);
    assert_eq!(hhi["b"].as_f64().unwrap(), b.summary.hhi_end);
    assert_eq!(hhi["difference"].as_f64().unwrap(), b.summary.hhi_end - a.summary.hhi_end);

    let text = stdout(&atlas(&["compare", "v=1", "v=1&energy=2"], None));
    assert!(text.starts_with("A: The article"), "{text}");
    assert!(text.contains("Energy cost, end year") && text.contains("+100.0%"), "{text}");
    let csv = stdout(&atlas(&["compare", "v=1", "preset=world", "-f", "csv"], None));
    assert!(csv.starts_with("kpi,label,unit,a,b,difference,change_pct\n"), "{csv}");

    // Three export regimes, named as the page names them, one column each.
    let out = atlas(&["compare", "article", "ai-diffusion", "Blackwell stays in the US", "-f", "csv"], None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let csv = stdout(&out);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[2], "# c: Blackwell stays in the US");
    assert_eq!(lines[3], "kpi,label,unit,a,b,c,b_change_pct,c_change_pct");
    let text = stdout(&atlas(&["compare", "article", "ai-diffusion", "azure-only"], None));
    assert!(text.contains("B: AI Diffusion Rule") && text.contains("B: Azure only"), "{text}");
}

#[test]
fn bands_and_tornado_agree_with_the_core_in_every_format() {
    let query = "v=1&energy=1.5&draws=150&seed=9";
    let s = atlas_core::url::decode(query, &[]).scenario;
    let b = atlas_core::montecarlo::bands(&s);
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&atlas(&["bands", "-q", query, "-f", "json"], None))).unwrap();
    assert_eq!(json["draws"], 150);
    assert_eq!(json["seed"], 9);
    let p95 = json["kpis"].as_array().unwrap().iter().find(|k| k["id"] == "energy_twh_end_year").unwrap()["band"]["p95"]
        .as_f64()
        .unwrap();
    assert_eq!(p95, b.kpi(atlas_core::KpiId::EnergyTwhEndYear).unwrap().band.p95);
    let csv = stdout(&atlas(&["bands", "-q", query, "-f", "csv"], None));
    assert_eq!(csv, atlas_core::montecarlo::bands_csv(&b));
    let text = stdout(&atlas(&["bands", "-q", query], None));
    assert!(text.contains("150 draws") && text.contains("Energy, end year"), "{text}");

    let t = atlas_core::tornado::tornado(&s, atlas_core::KpiId::H100eEnd);
    let csv = stdout(&atlas(&["tornado", "-q", query, "--kpi", "h100e_end", "-f", "csv"], None));
    assert_eq!(csv, atlas_core::tornado::tornado_csv(&t));
    let text = stdout(&atlas(&["tornado", "-q", query, "--kpi", "h100e_end"], None));
    assert!(text.contains(&t.rows[0].label), "{text}");

    let bad = atlas(&["tornado", "-q", query, "--kpi", "nope"], None);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("no headline figure `nope`"));
    let bad = atlas(&["bands", "-q", "v=1&unc=9"], None);
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unc"), "an out-of-range width is a notice");
}

#[test]
fn sweep_runs_a_grid_in_order_and_reports_a_bad_link_by_row() {
    let out = atlas(
        &[
            "sweep",
            "--base",
            "v=1&base=world",
            "--grid",
            "energy=1,2",
            "--grid",
            "carbon=0,50,x",
            "--threads",
            "2",
        ],
        None,
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1 + 6);
    assert!(lines[0].starts_with("index,link,problems,h100e_end,"));
    for (i, line) in lines[1..].iter().enumerate() {
        assert!(line.starts_with(&format!("{i},")), "in order: {line}");
    }
    assert!(lines[3].starts_with("2,v=1&base=world&energy=1&carbon=x,"), "{}", lines[3]);
    assert!(lines[3].contains("not a number") && lines[3].ends_with(",,"), "{}", lines[3]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("2 of 6 scenarios could not be run"));
    // Progress, asked for where standard error is no terminal: a line per chunk.
    let shown = atlas(&["sweep", "--grid", "energy=1,2,3", "--progress", "always"], None);
    assert!(
        String::from_utf8_lossy(&shown.stderr).contains("3/3 scenarios"),
        "{}",
        String::from_utf8_lossy(&shown.stderr)
    );
    // A row's figures are `atlas run`'s, to the last digit.
    let run = atlas(&["run", "--query", "v=1&base=world&energy=2&carbon=50", "-f", "json"], None);
    let summary: serde_json::Value = serde_json::from_str(&stdout(&run)).expect("json");
    let cells: Vec<&str> = lines[5].split(',').collect();
    let h100e: f64 = cells[3].parse().expect("a number");
    assert_eq!(h100e, summary["summary"]["h100e_end"].as_f64().expect("h100e_end"));

    // Links from standard input, Parquet to a file.
    let dir = std::env::temp_dir().join(format!("atlas-sweep-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let file = dir.join("sweep.parquet");
    let out = atlas(
        &["sweep", "--links", "-", "-f", "parquet", "-o", &file.display().to_string()],
        Some("# two links\nv=1&energy=2\nhttps://example.org/atlas/?v=1&carbon=80\n"),
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let bytes = std::fs::read(&file).expect("the Parquet file");
    assert!(bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"));
    let _ = std::fs::remove_dir_all(&dir);
    // Parquet without a file is refused before anything runs.
    let out = atlas(&["sweep", "-f", "parquet"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--output"));
}
