//! Results as text for people and programs: the tidy CSV shared by the command line and the page,
//! and a short human summary.
//!
//! The CSV is in tidy long format, one value per row, ids first and names for people after them:
//! `quarter,provider,region,accelerator,metric,unit,value,provider_name,region_name,accelerator_name,metric_label`.
//! A row with provider, region and accelerator empty is the total; a row with one of them set is
//! that breakdown (the other two empty). Breakdown rows whose value is zero are left out; totals
//! are always present. Before the header, lines starting with `#` name the scenario, its link and
//! the model version (`pandas.read_csv(path, comment='#')` skips them). Numbers are written in the
//! shortest form that reads back to the same value, and any value of magnitude below [`RESIDUE`]
//! (rounding residue of subtractions) is written as an exact 0.
//!
//! Beside the model's metrics, two rows per provider and quarter rebuild the share chart:
//! `share_new_capital_pct` (the provider's share of the capital spent on new capacity that
//! quarter, as the page's chart) and `share_new_h100e_pct` (its share of the H100-equivalents
//! added).

use std::fmt::Write;

use crate::results::{Destination, Metric, RedirectFlow, RedirectReason, Results};
use crate::scenario::{Dimension, Scenario};

/// Values of smaller magnitude than this, in any unit of the results (a millionth of an
/// accelerator, a MWh, a thousand dollars), are rounding residue: written as 0. The same epsilon
/// keeps residue out of the fleet (the one in the limits module, re-exported here for readers of
/// the CSV).
pub use crate::limits::RESIDUE;

/// The header line of the tidy CSV.
pub const CSV_HEADER: &str = "quarter,provider,region,accelerator,metric,unit,value,provider_name,region_name,accelerator_name,metric_label";

/// The model's version, written beside its results.
pub const MODEL_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Writes the results of scenario `s` as tidy CSV: comment lines naming the scenario, then the
/// header and the rows (`\n` line ends).
pub fn to_csv(s: &Scenario, results: &Results) -> String {
    let title = crate::naming::title(s);
    let mut out = String::with_capacity(1 << 21);
    let _ = writeln!(out, "# Compute Atlas results: {}", title.name.replace('#', "No. "));
    let _ = writeln!(out, "# Link: ?{}", crate::url::encode(s));
    let _ = writeln!(
        out,
        "# Model: atlas-core {MODEL_VERSION}; values of magnitude below {RESIDUE:e} are written as 0; read with pandas.read_csv(path, comment='#')"
    );
    out.push_str(CSV_HEADER);
    out.push('\n');
    let names = |ids: &[String], name: &dyn Fn(&str) -> Option<String>| -> Vec<String> {
        ids.iter().map(|id| csv_field(&name(id).unwrap_or_else(|| id.clone()))).collect()
    };
    let providers =
        names(&results.providers, &|id| s.providers.iter().find(|p| p.id == id).map(|p| p.name.clone()));
    let regions =
        names(&results.regions, &|id| s.regions.iter().find(|r| r.id == id).map(|r| r.name.clone()));
    let accelerators = names(&results.accelerators, &|id| {
        s.accelerators.iter().find(|a| a.id == id).map(|a| a.name.clone())
    });
    for series in &results.series {
        let metric = series.metric;
        let m = (metric.id(), metric.unit(), csv_field(metric.label()));
        for (q, quarter) in results.quarters.iter().enumerate() {
            row(&mut out, quarter, [("", ""), ("", ""), ("", "")], &m, series.total[q]);
            for (p, id) in results.providers.iter().enumerate() {
                breakdown(
                    &mut out,
                    quarter,
                    [(id, &providers[p]), ("", ""), ("", "")],
                    &m,
                    series.provider(p).get(q),
                );
            }
            for (r, id) in results.regions.iter().enumerate() {
                breakdown(
                    &mut out,
                    quarter,
                    [("", ""), (id, &regions[r]), ("", "")],
                    &m,
                    series.region(r).get(q),
                );
            }
            for (a, id) in results.accelerators.iter().enumerate() {
                breakdown(
                    &mut out,
                    quarter,
                    [("", ""), ("", ""), (id, &accelerators[a])],
                    &m,
                    series.accelerator(a).get(q),
                );
            }
        }
    }
    let shares = [
        (Metric::CapitalUsdB, "share_new_capital_pct", "Share of the capital spent on new capacity"),
        (Metric::AddedH100e, "share_new_h100e_pct", "Share of the H100-equivalents added"),
    ];
    for (metric, id, label) in shares {
        let series = results.series(metric);
        let m = (id, "%", label.to_string());
        let by_provider: Vec<Vec<f64>> =
            (0..results.providers.len()).map(|p| results.provider_share_pct(metric, p)).collect();
        for (q, quarter) in results.quarters.iter().enumerate() {
            let whole = if series.total[q] > RESIDUE { 100.0 } else { 0.0 };
            row(&mut out, quarter, [("", ""), ("", ""), ("", "")], &m, whole);
            for (p, pid) in results.providers.iter().enumerate() {
                let share = series.provider(p).get(q).map(|_| by_provider[p][q]);
                breakdown(&mut out, quarter, [(pid, &providers[p]), ("", ""), ("", "")], &m, share.as_ref());
            }
        }
    }
    out
}

/// A value as written: residue as 0, otherwise the shortest text that reads back the same.
fn number(v: f64) -> String {
    if v.abs() < RESIDUE { "0".to_string() } else { format!("{v}") }
}

/// One metric's id, unit and label (quoted as needed).
type MetricColumns<'a> = (&'a str, &'a str, String);

fn breakdown(
    out: &mut String,
    quarter: &impl std::fmt::Display,
    keys: [(&str, &str); 3],
    metric: &MetricColumns,
    value: Option<&f64>,
) {
    if let Some(&v) = value
        && v.abs() >= RESIDUE
    {
        row(out, quarter, keys, metric, v);
    }
}

fn row(
    out: &mut String,
    quarter: &impl std::fmt::Display,
    [(p, pn), (r, rn), (a, an)]: [(&str, &str); 3],
    (id, unit, label): &MetricColumns,
    value: f64,
) {
    // Ids are validated to [a-z0-9_-], so they need no quoting; names were quoted as needed.
    // Writing to a String cannot fail.
    let _ = writeln!(out, "{quarter},{p},{r},{a},{id},{unit},{},{pn},{rn},{an},{label}", number(value));
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
        let _ = writeln!(out, "\nLargest redirections (whole span):");
        for f in &largest_redirects(results, 5) {
            let to = match f.destination() {
                Destination::Unmet => "nowhere (unmet demand)".to_string(),
                Destination::Unspent => "nowhere (unspent)".to_string(),
                Destination::Placed => format!("{}/{}/{}", f.to_provider, f.to_region, f.to_accelerator),
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

/// The `n` largest redirections of the span (each flow summed over its years), largest first
/// (leakage included: it is a flow too).
fn largest_redirects(results: &Results, n: usize) -> Vec<RedirectFlow> {
    let mut flows = results.redirects_over_span();
    flows.sort_by(|a, b| b.usd_b.total_cmp(&a.usd_b));
    flows.truncate(n);
    flows
}

/// Where export rules and limits sent capital, in figures: what the page and the CLI put in words.
#[derive(Clone, Debug, PartialEq)]
pub struct RedirectSummary {
    /// Capital redirected over the span (leakage aside), USD bn.
    pub total_usd_b: f64,
    /// Demand left unmet under export bans, USD bn.
    pub unmet_usd_b: f64,
    /// Banned money that still bought banned chips (the leakage share), USD bn.
    pub leaked_usd_b: f64,
    /// The largest redirections over the span (each flow summed over its years), largest first
    /// (leakage aside).
    pub largest: Vec<RedirectFlow>,
}

/// The redirections of `results` over the span with its `n` largest moves.
pub fn redirect_summary(results: &Results, n: usize) -> RedirectSummary {
    let (leaked, mut flows): (Vec<RedirectFlow>, Vec<RedirectFlow>) =
        results.redirects_over_span().into_iter().partition(|f| f.reason == RedirectReason::Leakage);
    let leaked_usd_b = leaked.iter().map(|f| f.usd_b).sum();
    flows.sort_by(|a, b| b.usd_b.total_cmp(&a.usd_b));
    let total_usd_b = flows.iter().map(|f| f.usd_b).sum();
    flows.truncate(n);
    RedirectSummary {
        total_usd_b,
        unmet_usd_b: results.summary.unmet_usd_b_total,
        leaked_usd_b,
        largest: flows,
    }
}

/// The largest redirections in words, in English (the CLI's summary; the page words the same
/// [`RedirectSummary`] through its catalogue).
pub fn redirect_lines(s: &Scenario, results: &Results, n: usize) -> Vec<String> {
    let summary = redirect_summary(results, n);
    let mut lines = vec![if summary.largest.is_empty() {
        "No capital was redirected by export rules or limits.".to_string()
    } else {
        format!("USD {} bn redirected over the span. Largest moves:", format_value(summary.total_usd_b))
    }];
    if summary.unmet_usd_b > 0.0 {
        lines.push(format!(
            "USD {} bn of demand went unmet: export bans blocked the imports and the domestic supply ran out.",
            format_value(summary.unmet_usd_b)
        ));
    }
    if summary.leaked_usd_b > 0.0 {
        lines.push(format!(
            "USD {} bn still bought banned chips where they are banned (smuggled or diverted: the leakage share).",
            format_value(summary.leaked_usd_b)
        ));
    }
    let (provider, region) =
        (|id: &str| s.entity_name(Dimension::Provider, id), |id: &str| s.entity_name(Dimension::Region, id));
    for f in &summary.largest {
        let to = match f.destination() {
            Destination::Unmet => "nowhere (unmet demand)".to_string(),
            Destination::Unspent => "nowhere (unspent)".to_string(),
            Destination::Placed => format!(
                "{} · {} · {}",
                provider(&f.to_provider),
                region(&f.to_region),
                s.entity_name(Dimension::Accelerator, &f.to_accelerator)
            ),
        };
        lines.push(format!(
            "USD {} bn ({:?}): {} · {} → {}",
            format_value(f.usd_b),
            f.reason,
            provider(&f.from_provider),
            region(&f.from_region),
            to
        ));
    }
    lines
}

/// A CSV field: quoted (with inner quotes doubled) when it holds a comma, a quote or a line break.
pub fn csv_field(text: &str) -> String {
    // `#` too: readers told to skip comment lines (`pandas.read_csv(comment='#')`) would cut an
    // unquoted field at it.
    if text.contains([',', '"', '\n', '\r', '#']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

pub use crate::format::format_value;

/// Every default value with its source and year, tab-separated (`field, value, low, high, year,
/// estimate, source`), and each region's place on the map (its latitude and longitude): `atlas
/// sources` and the Python package's `sources()`.
pub fn sources_tsv() -> String {
    let mut out = String::from("field\tvalue\tlow\thigh\tyear\testimate\tsource\n");
    let opt = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    for (path, f) in crate::data::default_data().all_figures() {
        out.push_str(&format!(
            "{path}\t{}\t{}\t{}\t{}\t{}\t{}\n",
            f.value,
            opt(f.low),
            opt(f.high),
            f.year,
            if f.estimate { "estimate" } else { "" },
            f.source.replace(['\t', '\n'], " ")
        ));
    }
    // Where each region is drawn on the page's map: its latitude and longitude, with their source.
    for r in &crate::data::default_data().regions {
        let at = &r.location;
        for (axis, value) in [("lat", at.lat), ("lon", at.lon)] {
            out.push_str(&format!(
                "regions.{}.location.{axis}\t{value}\t\t\t{}\t{}\t{} ({})\n",
                r.id,
                at.provenance.year,
                if at.provenance.estimate { "estimate" } else { "" },
                at.provenance.source.replace(['\t', '\n'], " "),
                at.place.replace(['\t', '\n'], " ")
            ));
        }
    }
    out
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
        let csv = to_csv(&Scenario::default(), &results);
        let mut lines = csv.lines().skip_while(|l| l.starts_with('#'));
        assert_eq!(lines.next(), Some(CSV_HEADER));
        let mut total = 0.0;
        let mut by_provider = 0.0;
        for line in lines {
            // Names may hold quoted commas; the ids and the value come first.
            let cols: Vec<&str> = line.splitn(8, ',').collect();
            assert_eq!(cols.len(), 8, "{line}");
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
