//! Two scenarios side by side: the headline figures of A and B, the difference B − A and the
//! relative change, as rows for the page's comparison table, the command line and a CSV.
//!
//! Both sides are usually links ([`scenario_of_link`] reads a whole URL, a query string or a bare
//! preset id), so "compare any two URLs" is: decode each, simulate each, [`compare_kpis`].

use std::fmt::Write as _;

use serde::Serialize;

use crate::export::format_value;
use crate::kpi::KpiId;
use crate::results::{Metric, Results, Summary};
use crate::url::{Decoded, decode};

/// One headline figure in both scenarios.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KpiDifference {
    /// Which figure (`energy_twh_end_year`), as on the page's cards.
    pub id: KpiId,
    /// Label for people.
    pub label: &'static str,
    /// Unit of `a`, `b` and `difference`.
    pub unit: &'static str,
    /// Value in scenario A.
    pub a: f64,
    /// Value in scenario B.
    pub b: f64,
    /// `b − a`.
    pub difference: f64,
    /// `(b − a) ÷ |a|` in percent; `None` when `a` is 0 (no relative change to speak of).
    pub change_pct: Option<f64>,
    /// Whether more is better, worse or neither (see [`crate::Kpi::higher_is_better`]).
    pub higher_is_better: Option<bool>,
}

/// The headline figures of A and B, in card order.
pub fn compare_kpis(a: &Summary, b: &Summary) -> Vec<KpiDifference> {
    a.kpis()
        .into_iter()
        .zip(b.kpis())
        .map(|(ka, kb)| {
            let difference = kb.value - ka.value;
            KpiDifference {
                id: ka.id,
                label: ka.label,
                unit: ka.unit,
                a: ka.value,
                b: kb.value,
                difference,
                change_pct: (ka.value != 0.0).then(|| difference / ka.value.abs() * 100.0),
                higher_is_better: ka.higher_is_better,
            }
        })
        .collect()
}

/// The breakdown a [`Mover`] belongs to.
pub use crate::scenario::Dimension;

/// The part of a headline figure's change against a baseline that moved most: "why did it move?".
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Mover {
    /// The breakdown it belongs to.
    pub dimension: Dimension,
    /// The provider's, region's or accelerator's id.
    pub id: String,
    /// Its change, in the figure's unit (current − baseline).
    pub change: f64,
    /// The figure's whole change, current − baseline.
    pub total_change: f64,
}

/// How a headline figure is made from its series: which metric, over which quarters.
#[derive(Clone, Copy)]
enum Window {
    /// The last quarter (`…_end`).
    Last,
    /// The last four quarters: summed for a flow, averaged for a level (`…_end_year`).
    EndYear,
    /// Every quarter, summed (`…_total`).
    Span,
}

/// The additive metric and window behind a headline figure, if it is a sum over a breakdown (a
/// ratio such as the cost per H100e-hour or a concentration index is not).
fn kpi_source(kpi: KpiId) -> Option<(Metric, Window)> {
    let kpi = kpi.as_str();
    let (metric, window) = if let Some(m) = kpi.strip_suffix("_end_year") {
        (m, Window::EndYear)
    } else if let Some(m) = kpi.strip_suffix("_total") {
        (m, Window::Span)
    } else {
        (kpi.strip_suffix("_end")?, Window::Last)
    };
    let metric = Metric::from_id(metric).filter(|m| Metric::ADDITIVE.contains(m))?;
    Some((metric, window))
}

fn windowed(row: &[f64], metric: Metric, window: Window) -> f64 {
    let n = row.len();
    match window {
        Window::Last => row.last().copied().unwrap_or(0.0),
        Window::EndYear => {
            let tail = &row[n.saturating_sub(4)..];
            let sum: f64 = tail.iter().sum();
            if metric.is_flow() || tail.is_empty() { sum } else { sum / tail.len() as f64 }
        }
        Window::Span => row.iter().sum(),
    }
}

/// The provider, region or accelerator whose part of headline figure `kpi` changed most between
/// `baseline` and `current` (matched by id, so the two may have different entities). `None` for
/// a figure that is not a sum over a breakdown, or that did not change.
pub fn largest_mover(kpi: KpiId, current: &Results, baseline: &Results) -> Option<Mover> {
    let (metric, window) = kpi_source(kpi)?;
    let (c, b) = (current.series(metric), baseline.series(metric));
    let whole = |r: &Results| windowed(r.total(metric), metric, window);
    let total_change = whole(current) - whole(baseline);
    let scale = whole(current).abs().max(whole(baseline).abs());
    if total_change.abs() <= 1e-9 * scale.max(1e-12) {
        return None;
    }
    let mut best: Option<Mover> = None;
    let dims: [(Dimension, &[String], &[String]); 3] = [
        (Dimension::Provider, &current.providers, &baseline.providers),
        (Dimension::Region, &current.regions, &baseline.regions),
        (Dimension::Accelerator, &current.accelerators, &baseline.accelerators),
    ];
    for (dimension, ids_now, ids_then) in dims {
        let row = |r: &Results, s: &crate::Series, ids: &[String], id: &str| -> f64 {
            let Some(i) = ids.iter().position(|x| x == id) else { return 0.0 };
            let values = match dimension {
                Dimension::Provider => s.provider(i),
                Dimension::Region => s.region(i),
                Dimension::Accelerator => s.accelerator(i),
            };
            if values.len() == r.quarters.len() { windowed(values, metric, window) } else { 0.0 }
        };
        for id in ids_now.iter().chain(ids_then.iter().filter(|id| !ids_now.contains(id))) {
            let change = row(current, c, ids_now, id) - row(baseline, b, ids_then, id);
            if best.as_ref().is_none_or(|m| change.abs() > m.change.abs()) {
                best = Some(Mover { dimension, id: id.clone(), change, total_change });
            }
        }
    }
    best.filter(|m| m.change != 0.0)
}

/// The query part of a link: what follows the first `?` of a whole URL (without any `#fragment`),
/// the text itself if it is already a query string, or `preset=<id>` for a preset's id or its name
/// as the suggestion list shows it (any case).
pub fn query_of_link(link: &str) -> String {
    let link = link.trim();
    let link = link.split_once('#').map_or(link, |(before, _)| before);
    if let Some((_, query)) = link.split_once('?') {
        return query.to_string();
    }
    let preset = crate::data::default_data()
        .scenario_presets
        .iter()
        .find(|p| p.id == link || p.name.eq_ignore_ascii_case(link));
    if let Some(p) = preset {
        format!("preset={}", p.id)
    } else if link.is_empty() || link.split('&').any(|p| p.starts_with("v=")) {
        link.to_string()
    } else {
        // Parameters typed here, not a link: they are read as this version's.
        format!("v={}&{link}", crate::url::URL_VERSION)
    }
}

/// Decodes a link as [`query_of_link`] reads it (see [`decode`]: it never fails).
pub fn scenario_of_link(link: &str) -> Decoded {
    decode(&query_of_link(link), &crate::url::PAGE_PARAMETERS)
}

/// The comparison as CSV: `kpi,label,unit,a,b,difference,change_pct` (change empty when undefined).
pub fn to_csv(rows: &[KpiDifference]) -> String {
    let mut out = String::from("kpi,label,unit,a,b,difference,change_pct\n");
    for r in rows {
        let change = r.change_pct.map(|c| c.to_string()).unwrap_or_default();
        // Labels may contain commas (never quotes), so they are quoted; ids, units and numbers need not be.
        let _ =
            writeln!(out, "{},\"{}\",{},{},{},{},{change}", r.id, r.label, r.unit, r.a, r.b, r.difference);
    }
    out
}

/// Several scenarios' headline figures as CSV, in card order: comment lines name each column's
/// scenario, then `kpi,label,unit`, one value column per scenario (`a`, `b`, `c`, …) and, for
/// each scenario after the first, its change against the first in percent (`b_change_pct`, …;
/// empty when the first is 0). `rows[i]` compares the first scenario with scenario `i + 1`.
pub fn to_csv_many(names: &[String], rows: &[Vec<KpiDifference>]) -> String {
    let letters: Vec<char> = ('a'..='z').take(rows.len() + 1).collect();
    let mut out = String::new();
    for (letter, name) in letters.iter().zip(names) {
        let _ = writeln!(out, "# {letter}: {}", name.replace('#', "No. "));
    }
    out.push_str("kpi,label,unit");
    for letter in &letters {
        let _ = write!(out, ",{letter}");
    }
    for letter in &letters[1..] {
        let _ = write!(out, ",{letter}_change_pct");
    }
    out.push('\n');
    let Some(first) = rows.first() else { return out };
    for (k, r) in first.iter().enumerate() {
        let _ = write!(out, "{},\"{}\",{},{}", r.id, r.label, r.unit, r.a);
        for other in rows {
            let _ = write!(out, ",{}", other[k].b);
        }
        for other in rows {
            let _ = write!(out, ",{}", other[k].change_pct.map(|c| c.to_string()).unwrap_or_default());
        }
        out.push('\n');
    }
    out
}

/// The comparison as a text table for people.
pub fn to_text(name_a: &str, name_b: &str, rows: &[KpiDifference]) -> String {
    let mut out = format!("A: {name_a}\nB: {name_b}\n\n");
    let _ = writeln!(out, "  {:<40} {:>14} {:>14} {:>14} {:>9}  unit", "", "A", "B", "B − A", "change");
    for r in rows {
        let _ = writeln!(
            out,
            "  {:<40} {:>14} {:>14} {:>14} {:>9}  {}",
            r.label,
            format_value(r.a),
            format_value(r.b),
            signed(r.difference),
            change_text(r.change_pct),
            r.unit
        );
    }
    out
}

/// A difference with its sign (`+1,234`, `-5.00`, `0` for no difference at all).
pub fn signed(v: f64) -> String {
    if v == 0.0 {
        return "0".to_string();
    }
    let text = format_value(v);
    if v > 0.0 && text.trim_start_matches(['0', '.', ',']).is_empty() {
        text
    } else if v > 0.0 {
        format!("+{text}")
    } else {
        text
    }
}

/// A relative change as text (`+12.3%`, `-4.0%`, `–` when undefined).
pub fn change_text(change_pct: Option<f64>) -> String {
    match change_pct {
        Some(c) if c.abs() < 0.05 => "0.0%".to_string(),
        Some(c) => format!("{}{c:.1}%", if c > 0.0 { "+" } else { "" }),
        None => "–".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_preset_is_read_by_its_id_or_the_name_the_suggestions_show() {
        assert_eq!(query_of_link("blackwell-us-only"), "preset=blackwell-us-only");
        assert_eq!(query_of_link("  Blackwell stays in the US "), "preset=blackwell-us-only");
        assert_eq!(query_of_link("blackwell STAYS in the us"), "preset=blackwell-us-only");
        assert!(scenario_of_link("Blackwell stays in the US").notices.is_empty());
    }

    #[test]
    fn several_scenarios_compare_in_one_csv() {
        let run = |q: &str| crate::simulate(&decode(q, &[]).scenario).unwrap().summary;
        let (a, b, c) = (run("v=1"), run("v=1&energy=2"), run("v=1&preset=blackwell-us-only"));
        let rows = vec![compare_kpis(&a, &b), compare_kpis(&a, &c)];
        let names = ["A".to_string(), "B".to_string(), "C".to_string()];
        let csv = to_csv_many(&names, &rows);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[3], "kpi,label,unit,a,b,c,b_change_pct,c_change_pct");
        assert_eq!(lines.len(), 4 + a.kpis().len());
        let energy = lines.iter().find(|l| l.starts_with("energy_cost_usd_b_end_year,")).unwrap();
        assert_eq!(energy.rsplit(',').nth(1), Some("100"), "{energy}");
    }

    #[test]
    fn why_did_it_move_names_the_part_that_moved_most() {
        let run = |q: &str| crate::simulate(&decode(q, &[]).scenario).unwrap();
        let base = run("v=1");
        // A dearer Texas moves energy cost most there.
        let m = largest_mover(KpiId::EnergyCostUsdBEndYear, &run("v=1&price.us_texas=200"), &base).unwrap();
        assert_eq!((m.dimension, m.id.as_str()), (Dimension::Region, "us_texas"));
        assert!(m.change > 0.0 && m.change <= m.total_change * (1.0 + 1e-9));
        // Unchanged, or a ratio: nothing to say.
        assert!(largest_mover(KpiId::EnergyCostUsdBEndYear, &base, &base).is_none());
        assert!(largest_mover(KpiId::CostPerH100eHourUsdEndYear, &run("v=1&energy=2"), &base).is_none());
        // Capital over the span, with AWS at 80%: a provider moved most.
        let m = largest_mover(KpiId::CapitalUsdBTotal, &run("v=1&share.aws=80"), &base);
        assert!(m.is_none_or(|m| m.change.abs() > 0.0));
    }
    use crate::{Scenario, simulate};

    #[test]
    fn links_of_every_shape_give_the_same_scenario() {
        let want = decode("v=1&energy=2&share.aws=60&share.azure=40", &[]).scenario;
        for link in [
            "https://atlas.example/sub/?v=1&energy=2&share.aws=60&share.azure=40#charts",
            "?v=1&energy=2&share.aws=60&share.azure=40",
            "v=1&energy=2&share.aws=60&share.azure=40",
            "  http://127.0.0.1:8000/index.html?v=1&energy=2&share.aws=60&share.azure=40  ",
        ] {
            let d = scenario_of_link(link);
            assert!(d.notices.is_empty(), "{link}: {:?}", d.notices);
            assert_eq!(d.scenario, want, "{link}");
        }
        assert_eq!(scenario_of_link("azure-only").scenario, decode("preset=azure-only", &[]).scenario);
        assert_eq!(scenario_of_link("").scenario, Scenario::default());
        assert!(!scenario_of_link("https://x/?energy=lots").notices.is_empty());
    }

    /// Hand-computed: doubling the energy price doubles the energy cost (+100%) and leaves the
    /// capacity alone (0, 0.0%).
    #[test]
    fn differences_are_b_minus_a_with_the_change_relative_to_a() {
        let a = simulate(&Scenario::default()).unwrap();
        let b = simulate(&decode("energy=2", &[]).scenario).unwrap();
        let rows = compare_kpis(&a.summary, &b.summary);
        assert_eq!(rows.len(), a.summary.kpis().len());
        let cost = rows.iter().find(|r| r.id == KpiId::EnergyCostUsdBEndYear).unwrap();
        assert_eq!(cost.a, a.summary.energy_cost_usd_b_end_year);
        assert!((cost.difference - cost.a).abs() < 1e-9 * cost.a);
        assert!((cost.change_pct.unwrap() - 100.0).abs() < 1e-9);
        let capacity = rows.iter().find(|r| r.id == KpiId::H100eEnd).unwrap();
        assert_eq!((capacity.difference, capacity.change_pct), (0.0, Some(0.0)));
        let redirected = rows.iter().find(|r| r.id == KpiId::RedirectedUsdBTotal).unwrap();
        assert_eq!(redirected.a, 0.0);
        assert_eq!(redirected.change_pct, None, "no relative change from zero");
        assert_eq!(change_text(redirected.change_pct), "–");
    }

    #[test]
    fn csv_and_text_carry_every_row() {
        let a = simulate(&Scenario::default()).unwrap();
        let b = simulate(&decode("preset=azure-only", &[]).scenario).unwrap();
        let rows = compare_kpis(&a.summary, &b.summary);
        assert!(rows.iter().all(|r| !r.label.contains('"')), "labels are quoted, so they may hold no quote");
        let csv = to_csv(&rows);
        assert_eq!(csv.lines().count(), rows.len() + 1);
        for (line, row) in csv.lines().skip(1).zip(&rows) {
            // The quoted label may hold commas; the other six fields do not.
            let quoted = format!(",\"{}\",", row.label);
            let (id, rest) = line.split_once(&quoted).expect("label quoted");
            assert_eq!(id, row.id.as_str());
            assert_eq!(rest.split(',').count(), 5, "{line}");
        }
        let text = to_text("A name", "B name", &rows);
        assert!(text.starts_with("A: A name\nB: B name\n"));
        assert!(text.contains("Capacity left without largest provider"));
        assert_eq!(signed(12.5), "+12.5");
        assert_eq!(signed(-3.0), "-3.00");
        assert_eq!(signed(0.0), "0");
        assert_eq!(change_text(Some(-4.04)), "-4.0%");
    }
}
