//! The comparison panel: any two links side by side. Each side is decoded and simulated by the
//! core (`atlas_core::compare`), and a table lists every headline figure of A and B with B − A and
//! the change. The current scenario is left alone unless asked: "Show on the charts" makes A the
//! baseline and B the current scenario.

use std::cell::RefCell;

use atlas_core::compare::{self, KpiDifference};
use atlas_core::url::Notice;
use atlas_core::{Results, Scenario, simulate};
use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlButtonElement, HtmlElement, HtmlInputElement};

use crate::dom;
use crate::page::news_class;

/// Both sides of the last comparison.
pub struct Comparison {
    /// Scenario A and its results.
    pub a: (Scenario, Results),
    /// Scenario B.
    pub b: Scenario,
    /// The KPI rows.
    pub rows: Vec<KpiDifference>,
}

/// The panel's elements and its last comparison.
pub struct CompareView {
    a: HtmlInputElement,
    b: HtmlInputElement,
    notices: HtmlElement,
    result: Element,
    show: HtmlButtonElement,
    csv: HtmlButtonElement,
    last: RefCell<Option<Comparison>>,
}

/// A whole link to a scenario on this page (origin and path of the current address).
pub fn link_for(s: &Scenario) -> String {
    let location = dom::window().ok().map(|w| w.location());
    let origin = location.as_ref().and_then(|l| l.origin().ok()).unwrap_or_default();
    let path = location.as_ref().and_then(|l| l.pathname().ok()).unwrap_or_default();
    // A page opened from a file has the origin "null"; its path alone still reads as a link.
    let origin = if origin == "null" { "file://".to_string() } else { origin };
    format!("{origin}{path}?{}", atlas_core::url::encode(s))
}

impl CompareView {
    /// Finds the panel's elements (`None` in a document without the panel) and fills the
    /// suggestions with the named scenarios.
    pub fn build() -> Result<Option<CompareView>, JsValue> {
        if dom::document()?.get_element_by_id("compare").is_none() {
            return Ok(None);
        }
        let presets: Element = dom::by_id("compare-presets")?;
        for preset in &atlas_core::data::default_data().scenario_presets {
            let option = dom::add_text(&presets, "option", "", &preset.name)?;
            option.set_attribute("value", &preset.id)?;
        }
        Ok(Some(CompareView {
            a: dom::by_id("compare-a")?,
            b: dom::by_id("compare-b")?,
            notices: dom::by_id("compare-notices")?,
            result: dom::by_id("compare-result")?,
            show: dom::by_id("compare-show")?,
            csv: dom::by_id("compare-csv")?,
            last: RefCell::new(None),
        }))
    }

    /// Puts two links into the inputs.
    pub fn fill(&self, a: &str, b: &str) {
        self.a.set_value(a);
        self.b.set_value(b);
    }

    /// Swaps the two inputs.
    pub fn swap(&self) {
        let (a, b) = (self.a.value(), self.b.value());
        self.fill(&b, &a);
    }

    /// Decodes and simulates both links and shows the table; what either link could not carry is
    /// listed above it.
    pub fn run(&self) -> Result<(), JsValue> {
        let a = compare::scenario_of_link(&self.a.value());
        let b = compare::scenario_of_link(&self.b.value());
        self.show_notices(&[("A", &a.notices), ("B", &b.notices)])?;
        // Decoded links are always valid; should simulation still fail, say so instead of a table.
        let (ra, rb) = match (simulate(&a.scenario), simulate(&b.scenario)) {
            (Ok(ra), Ok(rb)) => (ra, rb),
            _ => {
                self.result.set_text_content(Some("One of the scenarios could not be simulated."));
                self.last.replace(None);
                self.enable(false);
                return Ok(());
            }
        };
        let rows = compare::compare_kpis(&ra.summary, &rb.summary);
        self.render(&a.scenario, &b.scenario, &rows)?;
        self.last.replace(Some(Comparison { a: (a.scenario, ra), b: b.scenario, rows }));
        self.enable(true);
        Ok(())
    }

    /// The last comparison as CSV, if there is one.
    pub fn csv(&self) -> Option<String> {
        self.last.borrow().as_ref().map(|c| compare::to_csv(&c.rows))
    }

    /// Scenario A with its results and scenario B of the last comparison.
    pub fn sides(&self) -> Option<(Scenario, Results, Scenario)> {
        self.last.borrow().as_ref().map(|c| (c.a.0.clone(), c.a.1.clone(), c.b.clone()))
    }

    fn enable(&self, on: bool) {
        self.show.set_disabled(!on);
        self.csv.set_disabled(!on);
    }

    fn show_notices(&self, sides: &[(&str, &Vec<Notice>)]) -> Result<(), JsValue> {
        self.notices.set_text_content(None);
        let mut any = false;
        for (side, notices) in sides {
            for n in notices.iter() {
                let value = if n.value.is_empty() { String::new() } else { format!(" = {}", n.value) };
                dom::add_text(
                    &self.notices,
                    "li",
                    "",
                    &format!("{side}: {}{value}: {}", n.param, n.message),
                )?;
                any = true;
            }
        }
        self.notices.set_hidden(!any);
        Ok(())
    }

    fn render(&self, a: &Scenario, b: &Scenario, rows: &[KpiDifference]) -> Result<(), JsValue> {
        self.result.set_text_content(None);
        let names: Element = dom::create("dl", "compare-names")?;
        for (side, s) in [("A", a), ("B", b)] {
            dom::add_text(&names, "dt", "", side)?;
            let span = format!("{}, {}–{}", atlas_core::naming::title(s).name, s.start_year, s.end_year);
            dom::add_text(&names, "dd", "", &span)?;
        }
        self.result.append_child(&names)?;

        let table: Element = dom::create("table", "diff")?;
        let head: Element = dom::create("tr", "")?;
        for (text, title) in [
            ("", ""),
            ("A", ""),
            ("B", ""),
            ("B − A", "Green: better news, red: worse; capital spent is neither"),
            ("Change", "B − A as a share of A"),
        ] {
            let th = dom::add_text(&head, "th", "", text)?;
            th.set_attribute("scope", "col")?;
            if !title.is_empty() {
                th.set_attribute("title", title)?;
            }
        }
        table.append_child(&head)?;
        for r in rows {
            let tr: Element = dom::create("tr", "")?;
            tr.set_attribute("data-row", r.id)?;
            let th = dom::add_text(&tr, "th", "", r.label)?;
            th.set_attribute("scope", "row")?;
            dom::add_text(&th, "span", "unit", r.unit)?;
            dom::add_text(&tr, "td", "", &atlas_core::export::format_value(r.a))?;
            dom::add_text(&tr, "td", "", &atlas_core::export::format_value(r.b))?;
            let news = news_class(r.difference, r.higher_is_better);
            dom::add_text(&tr, "td", news, &compare::signed(r.difference))?;
            dom::add_text(&tr, "td", news, &compare::change_text(r.change_pct))?;
            table.append_child(&tr)?;
        }
        self.result.append_child(&table)?;
        Ok(())
    }
}
