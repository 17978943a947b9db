//! The comparison panel: any links side by side, two to six. Each is decoded and simulated by
//! the core (`atlas_core::compare`), and a table lists every headline figure of A and of each other
//! scenario with its difference and change against A. A link that could not be read as written
//! is listed and nothing is compared until it is fixed or removed. The current scenario is left
//! alone unless asked: "Show on the charts" makes A the baseline and B the current scenario.

use std::cell::RefCell;

use atlas_core::compare::{self, KpiDifference};
use atlas_core::{Results, Scenario, simulate};
use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlButtonElement, HtmlElement, HtmlInputElement};

use crate::dom;
use crate::i18n::{self, k, t, tf};
use crate::page::news_class;

/// Most scenarios compared at once.
const MAX_SCENARIOS: usize = 6;

/// The last comparison.
pub struct Comparison {
    /// Every scenario with its results, A first.
    pub scenarios: Vec<(Scenario, Results)>,
    /// A against each other scenario, in order.
    pub rows: Vec<Vec<KpiDifference>>,
}

impl Comparison {
    /// The comparison as CSV: A against B as `a,b,difference,change_pct`, several as one value
    /// column each and their changes against A.
    pub fn csv(&self) -> String {
        match self.rows.as_slice() {
            [one] => compare::to_csv(one),
            many => {
                let names: Vec<String> =
                    self.scenarios.iter().map(|(s, _)| atlas_core::naming::title(s).name).collect();
                compare::to_csv_many(&names, many)
            }
        }
    }

    /// Scenario A with its results, and scenario B.
    pub fn sides(&self) -> (Scenario, Results, Scenario) {
        (self.scenarios[0].0.clone(), self.scenarios[0].1.clone(), self.scenarios[1].0.clone())
    }

    /// Every compared scenario's file-name slug, in order.
    pub fn slugs(&self) -> Vec<String> {
        self.scenarios.iter().map(|(s, _)| atlas_core::naming::title(s).slug).collect()
    }
}

/// An input added beyond A and B: its label, its input and the row holding them.
struct Extra {
    label: Element,
    input: HtmlInputElement,
    row: Element,
}

/// The panel's elements and its last comparison.
pub struct CompareView {
    a: HtmlInputElement,
    b: HtmlInputElement,
    /// Inputs beyond A and B, in order (C, D, …).
    extras: RefCell<Vec<Extra>>,
    /// Where added inputs go: before the form's buttons.
    actions: Element,
    add: HtmlButtonElement,
    notices: HtmlElement,
    result: Element,
    show: HtmlButtonElement,
    csv: HtmlButtonElement,
}

/// The letter of the `i`-th scenario (A, B, C, …).
fn letter(i: usize) -> char {
    (b'A' + i as u8) as char
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
            // The name is what is suggested and typed; the core reads names as well as ids.
            let option = dom::add_text(&presets, "option", "", &preset.id)?;
            option.set_attribute("value", &preset.name)?;
        }
        let form: Element = dom::by_id("compare-form")?;
        let actions = form.query_selector(".compare-actions")?.ok_or("compare actions missing")?;
        Ok(Some(CompareView {
            a: dom::by_id("compare-a")?,
            b: dom::by_id("compare-b")?,
            extras: RefCell::new(Vec::new()),
            actions,
            add: dom::by_id("compare-add")?,
            notices: dom::by_id("compare-notices")?,
            result: dom::by_id("compare-result")?,
            show: dom::by_id("compare-show")?,
            csv: dom::by_id("compare-csv")?,
        }))
    }

    /// Puts two links into A and B.
    pub fn fill(&self, a: &str, b: &str) {
        self.a.set_value(a);
        self.b.set_value(b);
    }

    /// Swaps A and B.
    pub fn swap(&self) {
        let (a, b) = (self.a.value(), self.b.value());
        self.fill(&b, &a);
    }

    /// Adds an input for one more scenario (up to six in all), focused.
    pub fn add_input(&self) -> Result<(), JsValue> {
        let n = 2 + self.extras.borrow().len();
        if n >= MAX_SCENARIOS {
            return Ok(());
        }
        let id = format!("compare-{}", letter(n).to_ascii_lowercase());
        let label = dom::create_text("label", "", &letter(n).to_string())?;
        label.set_attribute("for", &id)?;
        let row: Element = dom::create("div", "compare-extra")?;
        let input: HtmlInputElement = dom::create("input", "compare-input")?;
        input.set_type("text");
        input.set_id(&id);
        for (k, v) in [("list", "compare-presets"), ("autocomplete", "off"), ("spellcheck", "false")] {
            input.set_attribute(k, v)?;
        }
        input.set_placeholder(&tf(k::COMPARE_VIEW_LINK, &[("letter", &letter(n).to_string())]));
        let remove: HtmlButtonElement = dom::create("button", "secondary compare-remove")?;
        remove.set_type("button");
        dom::set_text(&remove, t(k::COMPARE_VIEW_REMOVE));
        remove.set_attribute(
            "aria-label",
            &tf(k::COMPARE_VIEW_REMOVE_LABEL, &[("letter", &letter(n).to_string())]),
        )?;
        dom::append(&row, &[&input, &remove])?;
        let form = self.actions.parent_element().ok_or("compare form missing")?;
        form.insert_before(&label, Some(&self.actions))?;
        form.insert_before(&row, Some(&self.actions))?;
        let _ = input.focus();
        self.extras.borrow_mut().push(Extra { label, input, row });
        self.add.set_disabled(n + 1 >= MAX_SCENARIOS);
        Ok(())
    }

    /// Removes an added input (found by its row) and letters the others again.
    pub fn remove_input(&self, row: &Element) {
        let mut extras = self.extras.borrow_mut();
        if let Some(i) = extras.iter().position(|e| e.row == *row) {
            let gone = extras.remove(i);
            gone.label.remove();
            gone.row.remove();
        }
        for (i, e) in extras.iter().enumerate() {
            let l = letter(i + 2);
            let id = format!("compare-{}", l.to_ascii_lowercase());
            dom::set_text(&e.label, &l.to_string());
            let _ = e.label.set_attribute("for", &id);
            e.input.set_id(&id);
            e.input.set_placeholder(&tf(k::COMPARE_VIEW_LINK, &[("letter", &l.to_string())]));
        }
        self.add.set_disabled(false);
    }

    /// Decodes and simulates every link and shows the table. A link that could not be read as
    /// written is listed, and nothing is compared: comparing something other than what was asked
    /// would mislead.
    pub fn run(&self) -> Result<Option<Comparison>, JsValue> {
        let mut links = vec![self.a.value(), self.b.value()];
        links.extend(self.extras.borrow().iter().map(|e| e.input.value()).filter(|v| !v.trim().is_empty()));
        let decoded: Vec<_> = links.iter().map(|l| compare::scenario_of_link(l)).collect();
        let mut lines = Vec::new();
        let mut blocked = false;
        for (i, d) in decoded.iter().enumerate() {
            for n in &d.notices {
                let value = if n.value.is_empty() { String::new() } else { format!(" = {}", n.value) };
                lines.push(format!("{}: {}{value}: {}", letter(i), n.param, i18n::say(&n.said)));
                blocked |= !n.is_remark();
            }
        }
        self.show_notices(&lines)?;
        let fail = |view: &CompareView, message: &str| {
            view.result.set_text_content(Some(message));
            view.enable(false);
        };
        if blocked {
            fail(self, t(k::COMPARE_VIEW_NOTHING));
            return Ok(None);
        }
        let mut scenarios = Vec::new();
        for d in decoded {
            match simulate(&d.scenario) {
                Ok(r) => scenarios.push((d.scenario, r)),
                Err(_) => {
                    fail(self, t(k::COMPARE_VIEW_FAILED));
                    return Ok(None);
                }
            }
        }
        let a = &scenarios[0].1.summary;
        let rows: Vec<Vec<KpiDifference>> =
            scenarios[1..].iter().map(|(_, r)| compare::compare_kpis(a, &r.summary)).collect();
        self.render(&scenarios, &rows)?;
        self.enable(true);
        Ok(Some(Comparison { scenarios, rows }))
    }

    /// Shows no table but what to do: used while the current scenario is the baseline, when a
    /// comparison of the two would be all zeros.
    pub fn prompt(&self) {
        let _ = self.show_notices(&[]);
        self.result.set_text_content(None);
        let _ = dom::add_text(&self.result, "p", "chart-unit", t(k::COMPARE_VIEW_PROMPT));
        self.enable(false);
    }

    fn enable(&self, on: bool) {
        self.show.set_disabled(!on);
        self.csv.set_disabled(!on);
    }

    fn show_notices(&self, lines: &[String]) -> Result<(), JsValue> {
        self.notices.set_text_content(None);
        for line in lines {
            dom::add_text(&self.notices, "li", "", line)?;
        }
        self.notices.set_hidden(lines.is_empty());
        Ok(())
    }

    fn render(&self, scenarios: &[(Scenario, Results)], rows: &[Vec<KpiDifference>]) -> Result<(), JsValue> {
        self.result.set_text_content(None);
        let names: Element = dom::create("dl", "compare-names")?;
        for (i, (s, _)) in scenarios.iter().enumerate() {
            dom::add_text(&names, "dt", "", &letter(i).to_string())?;
            let title = atlas_core::naming::title(s);
            let name = i18n::scenario_name(&title);
            let span = tf(
                k::COMPARE_VIEW_NAME,
                &[("name", &name), ("start", &s.start_year.to_string()), ("end", &s.end_year.to_string())],
            );
            dom::add_text(&names, "dd", "", &span)?;
        }
        self.result.append_child(&names)?;

        let table: Element = dom::create("table", "diff")?;
        let head: Element = dom::create("tr", "")?;
        let mut headers: Vec<(String, String)> =
            vec![(t(k::COMPARE_VIEW_FIGURE).into(), String::new()), ("A".into(), String::new())];
        for i in 1..scenarios.len() {
            let x = letter(i).to_string();
            let x = [("letter", x.as_str())];
            let change = if scenarios.len() == 2 {
                t(k::COMPARE_VIEW_CHANGE).to_string()
            } else {
                tf(k::COMPARE_VIEW_VS, &x)
            };
            headers.push((x[0].1.to_string(), String::new()));
            headers.push((tf(k::COMPARE_VIEW_DIFFERENCE, &x), t(k::COMPARE_VIEW_NEWS).into()));
            headers.push((change, tf(k::COMPARE_VIEW_SHARE, &x)));
        }
        for (text, title) in &headers {
            let th = dom::add_text(&head, "th", "", text)?;
            th.set_attribute("scope", "col")?;
            if !title.is_empty() {
                th.set_attribute("title", title)?;
            }
        }
        table.append_child(&head)?;
        let Some(first) = rows.first() else { return Ok(()) };
        for (row, r) in first.iter().enumerate() {
            let tr: Element = dom::create("tr", "")?;
            tr.set_attribute("data-row", r.id.as_str())?;
            let th = dom::add_text(&tr, "th", "", i18n::kpi_label(r.id))?;
            th.set_attribute("scope", "row")?;
            dom::add_text(&th, "span", "unit", i18n::kpi_unit(r.id))?;
            dom::add_text(&tr, "td", "", &i18n::value(r.a))?;
            for other in rows {
                let o = &other[row];
                dom::add_text(&tr, "td", "", &i18n::value(o.b))?;
                let news = news_class(o.difference, o.higher_is_better);
                dom::add_text(&tr, "td", news, &i18n::localise(&compare::signed(o.difference)))?;
                dom::add_text(&tr, "td", news, &i18n::localise(&compare::change_text(o.change_pct)))?;
            }
            table.append_child(&tr)?;
        }
        self.result.append_child(&table)?;
        Ok(())
    }
}
