//! A chart in words and numbers, for people who do not see it: a short summary (what it shows,
//! where it ends, how that compares with the baseline), its data as a table (the Table view), and
//! the read-out of one series in one quarter (what the arrow keys announce). Numbers are written
//! as the hover read-out writes them, so the three agree.

use atlas_core::Quarter;

use crate::chart::ChartSpec;
use crate::i18n::{self, k, t, tf, value as format_value};

/// A table of a chart's data: the column headers, then one row per quarter (the quarter first).
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// Column headers, the quarter's first.
    pub headers: Vec<String>,
    /// One row per quarter: the quarter, then a value per column (`–` where there is none).
    pub rows: Vec<Vec<String>>,
}

/// The stack's total in quarter `q`, for a stacked chart of several series.
fn total(spec: &ChartSpec, q: usize) -> Option<f64> {
    (spec.stacked && spec.layers.len() > 1).then(|| spec.layers.iter().filter_map(|l| l.values.get(q)).sum())
}

/// The baseline's total, drawn as one dashed line, where the chart has one (capacity, energy,
/// cost): the series named as the total is.
pub fn baseline_total(spec: &ChartSpec) -> Option<&crate::chart::Layer> {
    let total = tf(k::SERIES_BASELINE, &[("label", t(k::SERIES_TOTAL))]);
    spec.baseline.iter().find(|g| g.label == total)
}

/// The baseline's value of the chart's main figure in quarter `q`: its total (stacked), else its
/// first series.
fn baseline_main(spec: &ChartSpec, q: usize) -> Option<f64> {
    let found = if spec.stacked && spec.layers.len() > 1 {
        baseline_total(spec)
    } else {
        spec.layers.first().and_then(|l| spec.readout.iter().find(|r| r.label == l.label))
    };
    found.and_then(|g| g.values.get(q)).copied().filter(|v| v.is_finite())
}

/// The chart's main figure in quarter `q`: the stack's total, or the first series.
pub fn main_value(spec: &ChartSpec, q: usize) -> Option<f64> {
    total(spec, q).or_else(|| spec.layers.first().and_then(|l| l.values.get(q)).copied())
}

/// A few sentences: what the chart shows over which quarters, its series at the end (largest
/// first), and the main figure against the baseline's.
pub fn summary(spec: &ChartSpec, quarters: &[Quarter]) -> String {
    let (Some(first), Some(last)) = (quarters.first(), quarters.last()) else {
        return tf(k::SUMMARY_EMPTY, &[("title", &spec.title)]);
    };
    let q = quarters.len() - 1;
    let (first, last) = (first.to_string(), last.to_string());
    let mut out = tf(
        k::SUMMARY_WHAT,
        &[("title", &spec.title), ("unit", &spec.unit), ("first", &first), ("last", &last)],
    );
    let mut ends: Vec<(&str, f64)> =
        spec.layers.iter().map(|l| (l.label.as_str(), l.values.get(q).copied().unwrap_or(0.0))).collect();
    ends.sort_by(|a, b| b.1.total_cmp(&a.1));
    let listed: Vec<String> =
        ends.iter().take(4).map(|(label, v)| format!("{label} {}", format_value(*v))).collect();
    if !listed.is_empty() {
        let more = ends.len().saturating_sub(4);
        let list = listed.join(t(k::SUMMARY_LIST_JOIN));
        let values = [("quarter", last.as_str()), ("list", &list), ("more", &more.to_string())];
        out.push_str(&tf(if more > 0 { k::SUMMARY_END_MORE } else { k::SUMMARY_END }, &values));
    }
    if let Some(total) = total(spec, q) {
        out.push_str(&tf(k::SUMMARY_TOTAL, &[("value", &format_value(total))]));
    }
    if let (Some(now), Some(then)) = (main_value(spec, q), baseline_main(spec, q)) {
        out.push_str(&if format_value(now) == format_value(then) {
            t(k::SUMMARY_SAME).to_string()
        } else if then.abs() > 1e-12 {
            let pct = i18n::localise(&format!("{:+.1}", 100.0 * (now - then) / then.abs()));
            tf(k::SUMMARY_PCT, &[("pct", &pct), ("base", &format_value(then))])
        } else {
            tf(k::SUMMARY_BASE, &[("base", &format_value(then))])
        });
    }
    if let Some(first_value) = main_value(spec, 0)
        && let Some(end) = main_value(spec, q)
    {
        out.push_str(&tf(
            k::SUMMARY_SPAN,
            &[
                ("first", &first),
                ("first_value", &format_value(first_value)),
                ("last", &last),
                ("last_value", &format_value(end)),
            ],
        ));
    }
    out
}

/// The chart's data: each series, the stack's total, the baseline's series, and the bands of the
/// main figure where they are shown.
pub fn table(spec: &ChartSpec, quarters: &[Quarter]) -> Table {
    let mut headers = vec![t(k::TABLE_QUARTER).to_string()];
    let mut columns: Vec<Vec<Option<f64>>> = Vec::new();
    let n = quarters.len();
    for l in &spec.layers {
        headers.push(l.label.clone());
        columns.push((0..n).map(|q| l.values.get(q).copied()).collect());
    }
    if spec.stacked && spec.layers.len() > 1 {
        headers.push(t(k::SERIES_TOTAL).into());
        columns.push((0..n).map(|q| total(spec, q)).collect());
    }
    let baseline: Vec<&crate::chart::Layer> =
        if spec.readout.is_empty() { spec.baseline.iter().collect() } else { spec.readout.iter().collect() };
    for g in baseline {
        headers.push(tf(k::TABLE_BASELINE, &[("label", &g.label)]));
        columns.push((0..n).map(|q| g.values.get(q).copied().filter(|v| v.is_finite())).collect());
    }
    if spec.stacked && spec.layers.len() > 1 && !spec.readout.is_empty() {
        headers.push(tf(k::TABLE_BASELINE, &[("label", t(k::SERIES_TOTAL))]));
        columns.push((0..n).map(|q| baseline_main(spec, q)).collect());
    }
    if let Some(b) = &spec.bands {
        for (label, values) in
            [("P5", &b.outer.0), ("P25", &b.inner.0), ("P75", &b.inner.1), ("P95", &b.outer.1)]
        {
            headers.push(tf(k::TABLE_BAND, &[("label", label)]));
            columns.push((0..n).map(|q| values.get(q).copied()).collect());
        }
    }
    let rows = (0..n)
        .map(|q| {
            std::iter::once(quarters[q].to_string())
                .chain(columns.iter().map(|c| c[q].map_or_else(|| "–".to_string(), format_value)))
                .collect()
        })
        .collect();
    Table { headers, rows }
}

/// What the arrow keys announce: series `s` (of the layers, then the stack's total) in quarter
/// `q`, with the baseline's value, and where it is among the series (`2 of 5`).
pub fn readout_one(spec: &ChartSpec, q: usize, s: usize, quarters: &[Quarter]) -> String {
    let quarter = quarters.get(q).map(|q| q.to_string()).unwrap_or_default();
    let count = series_count(spec);
    let s = s.min(count.saturating_sub(1));
    let (label, value, base) = match spec.layers.get(s) {
        Some(l) => (
            l.label.clone(),
            l.values.get(q).copied().unwrap_or(0.0),
            spec.readout.iter().find(|r| r.label == l.label).and_then(|r| r.values.get(q)).copied(),
        ),
        None => (t(k::SERIES_TOTAL).to_string(), total(spec, q).unwrap_or(0.0), baseline_main(spec, q)),
    };
    let (n, count) = ((s + 1).to_string(), count.to_string());
    let mut values = vec![
        ("quarter", quarter.as_str()),
        ("label", &label),
        ("unit", &spec.unit),
        ("n", &n),
        ("count", &count),
    ];
    let value = format_value(value);
    values.push(("value", &value));
    match base.filter(|v| v.is_finite()) {
        Some(b) => {
            let base = format_value(b);
            values.push(("base", &base));
            tf(k::READOUT_KEY_WITH_BASE, &values)
        }
        None => tf(k::READOUT_KEY, &values),
    }
}

/// How many series the arrow keys step through: the layers, and the stack's total.
pub fn series_count(spec: &ChartSpec) -> usize {
    spec.layers.len() + usize::from(spec.stacked && spec.layers.len() > 1)
}

/// The read-out's lines for quarter `q` of a chart.
pub fn readout_lines(spec: &ChartSpec, q: usize, quarters: &[atlas_core::Quarter]) -> Vec<String> {
    let mut lines = vec![quarters.get(q).map(|q| q.to_string()).unwrap_or_default()];
    let base_of = |label: &str| {
        spec.readout.iter().find(|l| l.label == label).and_then(|l| l.values.get(q)).filter(|v| v.is_finite())
    };
    let with_base = |label: &str, v: f64| match base_of(label) {
        Some(b) => tf(
            k::READOUT_WITH_BASE,
            &[("label", label), ("value", &i18n::value(v)), ("base", &i18n::value(*b))],
        ),
        None => tf(k::READOUT_VALUE, &[("label", label), ("value", &i18n::value(v))]),
    };
    for layer in &spec.layers {
        lines.push(with_base(&layer.label, layer.values.get(q).copied().unwrap_or(0.0)));
    }
    // Series only the baseline has (a provider the current scenario gives nothing).
    for l in &spec.readout {
        if !spec.layers.iter().any(|layer| layer.label == l.label)
            && l.values.get(q).is_some_and(|v| v.is_finite() && *v != 0.0)
        {
            lines.push(with_base(&l.label, 0.0));
        }
    }
    if spec.stacked && spec.layers.len() > 1 {
        let total: f64 = spec.layers.iter().filter_map(|l| l.values.get(q)).sum();
        let base = baseline_total(spec).and_then(|g| g.values.get(q));
        let label = t(k::SERIES_TOTAL);
        match base.filter(|v| v.is_finite()) {
            Some(b) => lines.push(tf(
                k::READOUT_WITH_BASE,
                &[("label", label), ("value", &i18n::value(total)), ("base", &i18n::value(*b))],
            )),
            None => lines.push(tf(k::READOUT_VALUE, &[("label", label), ("value", &i18n::value(total))])),
        }
    }
    // A line chart's baseline that no series names (none today), as it is drawn.
    if spec.readout.is_empty() {
        for ghost in &spec.baseline {
            if let Some(v) = ghost.values.get(q).filter(|v| v.is_finite()) {
                lines.push(tf(k::READOUT_VALUE, &[("label", &ghost.label), ("value", &i18n::value(*v))]));
            }
        }
    }
    lines.push(format!("({})", spec.unit));
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::Layer;
    use plotters::style::RGBColor;

    fn layer(label: &str, values: &[f64]) -> Layer {
        Layer { label: label.into(), colour: RGBColor(0, 0, 0), values: values.to_vec() }
    }

    fn spec() -> ChartSpec {
        ChartSpec {
            title: "Installed capacity".into(),
            unit: "H100e".into(),
            x: vec![2030.125, 2030.375],
            layers: vec![layer("Azure", &[10.0, 20.0]), layer("AWS", &[5.0, 40.0])],
            stacked: true,
            baseline: vec![layer("Total (baseline)", &[15.0, 50.0])],
            y_max: None,
            bands: None,
            readout: vec![layer("Azure", &[10.0, 10.0]), layer("AWS", &[5.0, 40.0])],
        }
    }

    fn quarters() -> Vec<Quarter> {
        vec![Quarter::new(2030, 1).unwrap(), Quarter::new(2030, 2).unwrap()]
    }

    /// Hand-computed: the end is 20 + 40 = 60 against a baseline of 50 (+20%).
    #[test]
    fn the_summary_names_the_end_and_the_change() {
        let text = summary(&spec(), &quarters());
        assert!(text.starts_with("Installed capacity, H100e, 2030Q1 to 2030Q2."), "{text}");
        assert!(text.contains("In 2030Q2: AWS 40.0, Azure 20.0."), "{text}");
        assert!(text.contains("Total 60.0."), "{text}");
        assert!(text.contains("+20.0% against the baseline (50.0)"), "{text}");
    }

    #[test]
    fn the_table_has_every_series_the_total_and_the_baseline() {
        let t = table(&spec(), &quarters());
        assert_eq!(
            t.headers,
            ["Quarter", "Azure", "AWS", "Total", "Baseline: Azure", "Baseline: AWS", "Baseline: Total"]
        );
        assert_eq!(t.rows[1], ["2030Q2", "20.0", "40.0", "60.0", "10.0", "40.0", "50.0"]);
    }

    #[test]
    fn the_keys_read_one_series_then_the_total() {
        let s = spec();
        assert_eq!(series_count(&s), 3);
        assert_eq!(readout_one(&s, 1, 0, &quarters()), "2030Q2, Azure: 20.0 (baseline 10.0) H100e; 1 of 3");
        assert_eq!(readout_one(&s, 1, 2, &quarters()), "2030Q2, Total: 60.0 (baseline 50.0) H100e; 3 of 3");
    }
}
