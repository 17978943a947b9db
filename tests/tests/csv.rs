//! The results CSV is for people too: it names its scenario, link and model version in comment
//! lines pandas skips (`comment='#'`), writes residues as exact zeros, gives names beside the ids,
//! and carries the provider share of new capacity, so the article's share chart can be rebuilt.

use atlas_core::export::{CSV_HEADER, RESIDUE, to_csv};
use atlas_core::url::decode;
use atlas_core::{Scenario, simulate};

/// Splits one CSV line into fields, honouring double quotes (as pandas does).
fn fields(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                out.last_mut().unwrap().push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(String::new()),
            (c, _) => out.last_mut().unwrap().push(c),
        }
    }
    out
}

fn csv_of(query: &str) -> (Scenario, String) {
    let d = decode(query, &[]);
    assert!(d.notices.is_empty(), "{:?}", d.notices);
    let r = simulate(&d.scenario).expect("valid");
    let text = to_csv(&d.scenario, &r);
    (d.scenario, text)
}

#[test]
fn the_csv_names_its_scenario_and_parses_as_pandas_reads_it() {
    let (_, text) = csv_of("v=1&preset=cheap-clean&energy=2");
    let comments: Vec<&str> = text.lines().take_while(|l| l.starts_with('#')).collect();
    assert!(comments[0].contains("Cheap clean power, edited: energy 2×"), "{comments:?}");
    assert!(comments[1].starts_with("# Link: ?v=1&") && comments[1].contains("energy=2"), "{comments:?}");
    assert!(comments[2].contains("atlas-core"), "{comments:?}");
    // pandas' `comment='#'` cuts any line at a `#`: none may appear after the comment lines.
    let body: Vec<&str> = text.lines().skip(comments.len()).collect();
    assert_eq!(body[0], CSV_HEADER);
    assert!(body.iter().all(|l| !l.contains('#')));
    let width = fields(CSV_HEADER).len();
    for line in &body[1..] {
        let f = fields(line);
        assert_eq!(f.len(), width, "{line}");
        let v: f64 = f[6].parse().unwrap_or_else(|_| panic!("a number: {line}"));
        assert!(v == 0.0 || v.abs() >= RESIDUE, "residue not written as 0: {line}");
        // Every id has its name beside it.
        for (id, name) in [(1, 7), (2, 8), (3, 9)] {
            assert_eq!(f[id].is_empty(), f[name].is_empty(), "{line}");
        }
        assert!(!f[10].is_empty(), "{line}");
    }
    // A name with a comma is quoted and reads back whole.
    let (_, world) = csv_of("v=1&base=world");
    assert!(world.lines().any(|l| {
        fields(l).get(7).is_some_and(|n| n.starts_with("Other Chinese AI builders (ByteDance, Tencent"))
    }));
}

#[test]
fn the_csv_rebuilds_the_articles_share_chart() {
    let (s, text) = csv_of("v=1&preset=article-chart");
    // The article's chart: AWS's share of new capacity in 2026 is its keyframe (45%).
    let aws_2026: Vec<f64> = text
        .lines()
        .map(fields)
        .filter(|f| {
            f.len() > 6 && f[0].starts_with("2026") && f[1] == "aws" && f[4] == "share_new_capital_pct"
        })
        .map(|f| f[6].parse().unwrap())
        .collect();
    assert_eq!(aws_2026.len(), 4);
    let want = s.provider_shares_pct[&2026]["aws"];
    for v in aws_2026 {
        assert!((v - want).abs() < 0.5, "AWS 2026: {v} against {want}");
    }
    // Shares of a quarter add up to 100.
    let q: f64 = text
        .lines()
        .map(fields)
        .filter(|f| f.len() > 6 && f[0] == "2028Q1" && !f[1].is_empty() && f[4] == "share_new_capital_pct")
        .map(|f| f[6].parse::<f64>().unwrap())
        .sum();
    assert!((q - 100.0).abs() < 1e-9, "{q}");
}
