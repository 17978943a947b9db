//! The placeholder page the site gets while the workspace has no web crate (`web/`): the default
//! scenario's summary and every default figure with its source, rendered by the core.
//!
//! One self-contained HTML file (inline CSS, no scripts, no network), light and dark.

use std::fmt::Write as _;
use std::path::Path;

use atlas_core::data::Figure;

use crate::util::{Result, failed};

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Writes the placeholder page to `<dir>/index.html`, creating `dir` if needed.
pub fn write_placeholder(dir: &Path) -> Result {
    std::fs::create_dir_all(dir)
        .map_err(|err| failed(format!("could not create {}: {err}", dir.display())))?;
    let path = dir.join("index.html");
    std::fs::write(&path, placeholder_html())
        .map_err(|err| failed(format!("could not write {}: {err}", path.display())))
}

/// The placeholder page for the default scenario and the default data set.
pub fn placeholder_html() -> String {
    let scenario = atlas_core::Scenario::default();
    let summary = match atlas_core::simulate(&scenario) {
        Ok(results) => atlas_core::export::summary_text(&scenario.name, &results),
        Err(problems) => {
            let mut text = String::from("The default scenario does not validate:\n");
            for problem in &problems {
                let _ = writeln!(text, "- {problem}");
            }
            text
        }
    };
    let figures = atlas_core::data::default_data().all_figures();
    page(&summary, &figures)
}

/// Renders the page from a summary text and a list of named figures.
fn page(summary: &str, figures: &[(String, &Figure)]) -> String {
    let estimates = figures.iter().filter(|(_, f)| f.estimate).count();
    let mut rows = String::new();
    for (name, figure) in figures {
        rows.push_str(&figure_row(name, figure));
    }
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Compute Atlas</title>
<link rel="icon" href="data:,">
<style>
{STYLE}
</style>
</head>
<body>
<main>
<h1>Compute Atlas</h1>
<p class="lead">The interactive explorer page is coming. Until then, this is what the simulation
core computes for the default scenario, and where every default number comes from.</p>
<h2>Default scenario</h2>
<pre>{summary}</pre>
<h2>Default figures and their sources</h2>
<p>{count} figures; {estimates} marked <span class="warn" title="estimate">⚠</span> are estimates
that could not be confirmed from a primary source.</p>
<div class="scroll">
<table>
<thead><tr><th>Figure</th><th class="num">Value</th><th class="num">Range</th><th class="num">Year</th><th>Source</th></tr></thead>
<tbody>
{rows}</tbody>
</table>
</div>
</main>
</body>
</html>
"#,
        summary = escape_html(summary),
        count = figures.len(),
    )
}

/// One table row: name, value (⚠ if an estimate), range, year, source and note.
fn figure_row(name: &str, figure: &Figure) -> String {
    let warn = if figure.estimate { r#" <span class="warn" title="estimate">⚠</span>"# } else { "" };
    let range = match (figure.low, figure.high) {
        (Some(low), Some(high)) => format!("{low} – {high}"),
        (Some(low), None) => format!("≥ {low}"),
        (None, Some(high)) => format!("≤ {high}"),
        (None, None) => String::new(),
    };
    let note = figure
        .note
        .as_deref()
        .map(|n| format!(r#"<div class="note">{}</div>"#, escape_html(n)))
        .unwrap_or_default();
    format!(
        "<tr><td><code>{name}</code></td><td class=\"num\">{value}{warn}</td>\
         <td class=\"num\">{range}</td><td class=\"num\">{year}</td><td>{source}{note}</td></tr>\n",
        name = escape_html(name),
        value = figure.value,
        year = figure.year,
        source = escape_html(&figure.source),
    )
}

/// The page's style sheet: system fonts, readable width, light and dark colours.
const STYLE: &str = "\
:root { --bg: #fdfdfc; --fg: #1d1f21; --muted: #5f6368; --line: #d9dcdf; --code: #f1f3f4;
        --warn: #b06000; --accent: #1a5fb4; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #16181a; --fg: #e6e6e3; --muted: #9aa0a6; --line: #3a3d41; --code: #222528;
          --warn: #f0a040; --accent: #8ab4f8; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
       font: 16px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; }
main { max-width: 72rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
h1 { margin: 0 0 .5rem; font-size: 2rem; color: var(--accent); }
h2 { margin-top: 2.5rem; font-size: 1.25rem; border-bottom: 1px solid var(--line);
     padding-bottom: .25rem; }
.lead { color: var(--muted); max-width: 48rem; }
pre { background: var(--code); border: 1px solid var(--line); border-radius: 6px;
      padding: 1rem; overflow-x: auto; font-size: .875rem; line-height: 1.45; }
code, pre { font-family: ui-monospace, 'SF Mono', Menlo, Consolas, monospace; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: .875rem; }
th, td { text-align: left; vertical-align: top; padding: .4rem .6rem;
         border-bottom: 1px solid var(--line); }
th { position: sticky; top: 0; background: var(--bg); }
.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.warn { color: var(--warn); cursor: help; }
.note { color: var(--muted); font-size: .8125rem; margin-top: .15rem; }
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape_html(r#"<a href="x">Tom & 'Jerry'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;"
        );
        assert_eq!(escape_html("plain ≥ text"), "plain ≥ text");
    }

    fn figure(estimate: bool) -> Figure {
        Figure {
            value: 700.0,
            low: Some(650.0),
            high: Some(750.0),
            dist: Default::default(),
            year: 2024,
            source: "Vendor <datasheet> & notes".into(),
            estimate,
            note: Some("IT power \"per chip\"".into()),
        }
    }

    #[test]
    fn rows_are_escaped_and_estimates_marked() {
        let row = figure_row("a.<b>", &figure(true));
        assert!(row.contains("<code>a.&lt;b&gt;</code>"));
        assert!(row.contains("Vendor &lt;datasheet&gt; &amp; notes"));
        assert!(row.contains("IT power &quot;per chip&quot;"));
        assert!(row.contains("650 – 750"));
        assert!(row.contains('⚠'));
        assert!(!figure_row("x", &figure(false)).contains('⚠'));
    }

    #[test]
    fn page_is_self_contained() {
        let f = figure(false);
        let html = page("total <1 GW> & rising", &[("x.y".into(), &f)]);
        assert!(html.contains("<title>Compute Atlas</title>"));
        assert!(html.contains(r#"<link rel="icon" href="data:,">"#));
        assert!(html.contains("prefers-color-scheme: dark"));
        assert!(html.contains("<pre>total &lt;1 GW&gt; &amp; rising</pre>"));
        assert!(!html.contains("<script"));
        assert!(!html.contains("http://") && !html.contains("https://"));
    }

    #[test]
    fn default_page_renders() {
        let html = placeholder_html();
        assert!(html.contains("<pre>"));
        assert!(html.matches("<tr>").count() > 1);
    }
}
