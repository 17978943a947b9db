//! The "Deals" panel: each deal of a deal-book scenario with what it committed and what the model
//! placed for it (capital, design power, H100-equivalents). Hidden for other build-outs.

use std::cell::RefCell;

use atlas_core::{BuildOut, Results, Scenario};
use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlElement};

use crate::i18n::{self, k, t, tf};
use crate::{chart, dom};

/// Column headings of the deals table.
const HEADINGS: [usize; 7] = [
    k::DEALS_DEAL,
    k::DEALS_BUILDER,
    k::DEALS_WHEN,
    k::DEALS_COMMITTED,
    k::DEALS_PLACED,
    k::DEALS_GW,
    k::DEALS_H100E,
];

/// The panel and the rows of the deals it shows.
pub struct DealsView {
    panel: HtmlElement,
    body: Element,
    note: Element,
    /// The deal ids the rows were built for, and each row's cells after the first three.
    rows: RefCell<(Vec<String>, Vec<[Element; 4]>)>,
}

impl DealsView {
    /// Builds the (hidden) panel at the end of `parent`.
    pub fn build(parent: &Element) -> Result<DealsView, JsValue> {
        let panel: HtmlElement = dom::create("figure", "chart deals")?;
        panel.set_id("panel-deals");
        panel.set_hidden(true);
        let head: Element = dom::create("div", "chart-head")?;
        let title = dom::add_text(&head, "h3", "", t(k::DEALS_TITLE))?;
        title.set_id("title-deals");
        panel.append_child(&head)?;
        let note = dom::add_text(&panel, "div", "chart-unit", "")?;
        let wrap: Element = dom::create("div", "table-wrap")?;
        // It scrolls sideways on a phone: focusable, so a keyboard can scroll it too.
        wrap.set_attribute("tabindex", "0")?;
        wrap.set_attribute("role", "region")?;
        wrap.set_attribute("aria-label", t(k::DEALS_TABLE))?;
        let table: Element = dom::create("table", "deals-table")?;
        table.set_attribute("aria-labelledby", "title-deals")?;
        let thead: Element = dom::create("thead", "")?;
        let tr: Element = dom::create("tr", "")?;
        for (i, h) in HEADINGS.iter().enumerate() {
            let th = dom::add_text(&tr, "th", if i >= 3 { "num" } else { "" }, t(*h))?;
            th.set_attribute("scope", "col")?;
        }
        thead.append_child(&tr)?;
        let body: Element = dom::create("tbody", "")?;
        dom::append(&table, &[&thead, &body])?;
        wrap.append_child(&table)?;
        panel.append_child(&wrap)?;
        parent.append_child(&panel)?;
        Ok(DealsView { panel, body, note, rows: RefCell::new((Vec::new(), Vec::new())) })
    }

    /// Shows the deals of `s` with what `current` placed for each; hides the panel without deals.
    pub fn update(&self, s: &Scenario, current: &Results) -> Result<(), JsValue> {
        let BuildOut::Deals(book) = &s.build_out else {
            self.panel.set_hidden(true);
            return Ok(());
        };
        self.panel.set_hidden(false);
        let ids: Vec<String> = book.deals.iter().map(|d| d.id.clone()).collect();
        let mut rows = self.rows.borrow_mut();
        if rows.0 != ids {
            self.body.set_text_content(None);
            let mut cells = Vec::with_capacity(book.deals.len());
            for d in &book.deals {
                let tr: Element = dom::create("tr", "")?;
                tr.set_attribute("data-deal", &d.id)?;
                let name = dom::add_text(&tr, "th", "", &i18n::data_name("deal", &d.id, &d.name))?;
                name.set_attribute("scope", "row")?;
                let chips: Vec<String> = d
                    .chips
                    .iter()
                    .take(3)
                    .map(|id| i18n::entity(s, atlas_core::scenario::Dimension::Accelerator, id))
                    .collect();
                let sites: Vec<String> = d
                    .sites
                    .keys()
                    .map(|id| i18n::entity(s, atlas_core::scenario::Dimension::Region, id))
                    .collect();
                let detail = format!("{} · {}", chips.join(", "), sites.join(", "));
                dom::add_text(&name, "span", "deal-detail", &detail)?;
                let builder = i18n::entity(s, atlas_core::scenario::Dimension::Provider, &d.provider);
                dom::add_text(&tr, "td", "", &builder)?;
                let when = if d.start.year == d.end.year {
                    d.start.year.to_string()
                } else {
                    format!("{}–{}", d.start.year, d.end.year)
                };
                dom::add_text(&tr, "td", "", &when)?;
                let num = || dom::add_text(&tr, "td", "num", "");
                cells.push([num()?, num()?, num()?, num()?]);
                self.body.append_child(&tr)?;
            }
            *rows = (ids, cells);
        }
        let (mut committed, mut placed) = (0.0, 0.0);
        for (i, (d, row)) in book.deals.iter().zip(&rows.1).enumerate() {
            let amount = d.amount_usd_b * s.build_out_scale;
            let outcome = current.deals.get(i).filter(|o| o.id == d.id);
            let (capital, gw, h100e) =
                outcome.map_or((0.0, 0.0, 0.0), |o| (o.capital_usd_b, o.design_gw, o.h100e));
            committed += amount;
            placed += capital;
            dom::set_text(&row[0], &i18n::value(amount));
            dom::set_text(&row[1], &i18n::value(capital));
            dom::set_text(&row[2], &i18n::value(gw));
            dom::set_text(&row[3], &chart::compact(h100e));
        }
        let gw: f64 = current.deals.iter().map(|o| o.design_gw).sum();
        dom::set_text(
            &self.note,
            &tf(
                if s.build_out_scale != 1.0 { k::DEALS_NOTE_SCALED } else { k::DEALS_NOTE },
                &[
                    ("count", &book.deals.len().to_string()),
                    ("committed", &i18n::value(committed)),
                    ("placed", &i18n::value(placed)),
                    ("gw", &i18n::value(gw)),
                ],
            ),
        );
        Ok(())
    }
}
