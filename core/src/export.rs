//! Results as text for people and programs: the tidy CSV shared by the command line and the page,
//! and a short human summary.
//!
//! The CSV is in tidy long format, one value per row:
//! `quarter,provider,region,accelerator,metric,unit,value`. A row with provider, region and
//! accelerator empty is the total; a row with one of them set is that breakdown (the other two
//! empty). Breakdown rows whose value is exactly zero are left out; totals are always present.

use std::fmt::Write;

use crate::results::{Metric, Results};

/// The header line of the tidy CSV.
pub const CSV_HEADER: &str = "quarter,provider,region,accelerator,metric,unit,value";

/// Writes the results as tidy CSV (header included, `\n` line ends).
pub fn to_csv(results: &Results) -> String {
    let mut out = String::with_capacity(1 << 20);
    out.push_str(CSV_HEADER);
    out.push('\n');
    for series in &results.series {
        let metric = series.metric;
        for (q, quarter) in results.quarters.iter().enumerate() {
            row(&mut out, quarter, ["", "", ""], metric, series.total[q]);
            for (p, id) in results.providers.iter().enumerate() {
                breakdown(&mut out, quarter, [id, "", ""], metric, series.provider(p).get(q));
            }
            for (r, id) in results.regions.iter().enumerate() {
                breakdown(&mut out, quarter, ["", id, ""], metric, series.region(r).get(q));
            }
            for (a, id) in results.accelerators.iter().enumerate() {
                breakdown(&mut out, quarter, ["", "", id], metric, series.accelerator(a).get(q));
            }
        }
    }
    out
}

fn breakdown(
    out: &mut String,
    quarter: &impl std::fmt::Display,
    keys: [&str; 3],
    metric: Metric,
    value: Option<&f64>,
) {
    if let Some(&v) = value
        && v != 0.0
    {
        row(out, quarter, keys, metric, v);
    }
}

fn row(out: &mut String, quarter: &impl std::fmt::Display, [p, r, a]: [&str; 3], metric: Metric, value: f64) {
    // Ids are validated to [a-z0-9_-], so no field needs quoting. Writing to a String cannot fail.
    let _ = writeln!(out, "{quarter},{p},{r},{a},{},{},{value}", metric.id(), metric.unit());
}

/// A short human summary: the headline figures, where redirected money went, and any warnings.
pub fn summary_text(name: &str, results: &Results) -> String {
    let s = &results.summary;
    let mut out = String::new();
    let first = results.quarters.first().map(ToString::to_string).unwrap_or_default();
    let last = results.quarters.last().map(ToString::to_string).unwrap_or_default();
    let _ = writeln!(out, "{name}\n{first} – {last}\n");
    for kpi in s.kpis() {
        let _ = writeln!(out, "  {:<44} {:>14} {}", kpi.label, format_value(kpi.value), kpi.unit);
    }
    let groups = ["US", "close allies", "middle tier", "embargoed"];
    let shares: Vec<String> =
        groups.iter().zip(s.group_share_pct_end).map(|(g, v)| format!("{g} {v:.1}%")).collect();
    let _ = writeln!(out, "  {:<44} {}", "Capacity by export group at end", shares.join(", "));

    if !results.redirects.is_empty() {
        let mut flows: Vec<_> = results.redirects.iter().collect();
        flows.sort_by(|a, b| b.usd_b.total_cmp(&a.usd_b));
        let _ = writeln!(out, "\nLargest redirections (whole span):");
        for f in flows.iter().take(5) {
            let to = if f.to_provider.is_empty() {
                "nowhere (unspent)".to_string()
            } else {
                format!("{}/{}/{}", f.to_provider, f.to_region, f.to_accelerator)
            };
            let from_acc = if f.from_accelerator.is_empty() { "-" } else { &f.from_accelerator };
            let _ = writeln!(
                out,
                "  USD {:>8.1} bn  {:?}: {}/{}/{} -> {}",
                f.usd_b, f.reason, f.from_provider, f.from_region, from_acc, to
            );
        }
    }
    for w in &results.warnings {
        let _ = writeln!(out, "\nWarning: {w}");
    }
    out
}

/// A CSV field: quoted (with inner quotes doubled) when it holds a comma, a quote or a line break.
pub fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// A number with thousands separators and sensible precision.
pub fn format_value(v: f64) -> String {
    let decimals = if v.abs() >= 1000.0 {
        0
    } else if v.abs() >= 10.0 {
        1
    } else {
        2
    };
    let text = format!("{v:.decimals$}");
    let text = if text.trim_start_matches(['-', '0', '.']).is_empty() {
        text.trim_start_matches('-').to_string()
    } else {
        text
    };
    let (int, frac) = text.split_once('.').map_or((text.as_str(), None), |(i, f)| (i, Some(f)));
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Scenario, simulate};

    #[test]
    fn formats_values() {
        assert_eq!(format_value(1234567.8), "1,234,568");
        assert_eq!(format_value(-1234.0), "-1,234");
        assert_eq!(format_value(12.345), "12.3");
        assert_eq!(format_value(0.5), "0.50");
    }

    #[test]
    fn csv_totals_match_series_and_breakdowns_sum() {
        let results = simulate(&Scenario::default()).unwrap();
        let csv = to_csv(&results);
        let mut lines = csv.lines();
        assert_eq!(lines.next(), Some(CSV_HEADER));
        let mut total = 0.0;
        let mut by_provider = 0.0;
        for line in lines {
            let cols: Vec<&str> = line.split(',').collect();
            assert_eq!(cols.len(), 7, "{line}");
            if cols[0] == "2030Q2" && cols[4] == "energy_twh" {
                let v: f64 = cols[6].parse().unwrap();
                match (cols[1], cols[2], cols[3]) {
                    ("", "", "") => total = v,
                    (_, "", "") => by_provider += v,
                    _ => {}
                }
            }
        }
        let q = results.quarters.iter().position(|q| q.to_string() == "2030Q2").unwrap();
        assert_eq!(total, results.total(Metric::EnergyTwh)[q]);
        assert!(total > 0.0);
        assert!((by_provider - total).abs() < 1e-9 * total);
    }
}
