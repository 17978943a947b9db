//! One chart or headline card alone, for another page: `?embed=<chart or card id>` with the rest
//! of a scenario link shows that panel with its title and units, the scenario's name, a one-line
//! source and a link to open the whole explorer, follows the reader's colour scheme (the page's
//! own light and dark CSS), and tells the page around it how tall it is (`postMessage`), so the
//! `<iframe>` the Embed dialog gives sizes itself. The dialog ([`EmbedDialog`]) writes that
//! snippet for the current scenario and chart.

use atlas_core::KpiId;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlElement};

use crate::dom;
use crate::i18n::{k, t, tf};
use crate::views::{CARDS, CHARTS, ChartId, card_label};

/// The message type the embedded page posts to its parent with its height.
pub const HEIGHT_MESSAGE: &str = "compute-atlas:height";

/// What a link embeds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// One chart panel.
    Chart(ChartId),
    /// One headline card.
    Card(KpiId),
}

impl Target {
    /// The target an `embed=` value names: a chart's id, else a card's.
    pub fn parse(id: &str) -> Option<Target> {
        ChartId::from_id(id)
            .map(Target::Chart)
            .or_else(|| KpiId::parse(id).filter(|k| CARDS.contains(k)).map(Target::Card))
    }

    /// Every id `embed=` takes: the charts', then the cards'.
    pub fn ids() -> Vec<&'static str> {
        CHARTS.iter().map(|c| c.id()).chain(CARDS.iter().map(|k| k.as_str())).collect()
    }

    /// Its id in links.
    pub fn id(self) -> &'static str {
        match self {
            Target::Chart(c) => c.id(),
            Target::Card(k) => k.as_str(),
        }
    }

    /// Its name, in the language in use.
    pub fn title(self) -> &'static str {
        match self {
            Target::Chart(c) => c.title(),
            Target::Card(k) => card_label(k),
        }
    }

    /// The element it is on the page.
    pub fn element_id(self) -> String {
        match self {
            Target::Chart(c) => format!("panel-{c}"),
            Target::Card(k) => format!("card-{}", k.as_str()),
        }
    }

    /// A height for the iframe before the page inside tells its own, CSS pixels.
    pub fn height(self) -> u32 {
        match self {
            Target::Chart(ChartId::Map) => 640,
            Target::Chart(ChartId::Flows) => 520,
            Target::Chart(_) => 480,
            Target::Card(_) => 220,
        }
    }
}

/// Elements an embedded page keeps beside its target: the read-outs, the spoken status, the
/// error banner and the link's notices.
const KEPT: [&str; 5] = ["tooltip", "chart-live", "announce", "error-banner", "url-notice"];

/// The embedded page's footer, kept up to date with the scenario.
pub struct EmbedView {
    name: Element,
    open: web_sys::HtmlAnchorElement,
}

impl EmbedView {
    /// Shows `target` alone: every element that is not it, inside it or around it is hidden; a
    /// footer with the scenario's name, the source and a link to the explorer goes under it; the
    /// page's height is posted to its parent now and whenever it changes.
    pub fn enter(target: Target) -> Result<EmbedView, JsValue> {
        let document = dom::document()?;
        let element: Element = dom::by_id(&target.element_id())?;
        if let Some(body) = document.body() {
            body.class_list().add_1("embed")?;
        }
        // Each ancestor's siblings, up to the body, are hidden.
        let mut at = element.clone();
        while let Some(parent) = at.parent_element() {
            let children = parent.children();
            for i in 0..children.length() {
                let Some(sibling) = children.item(i) else { continue };
                if sibling != at && !KEPT.contains(&sibling.id().as_str()) {
                    sibling.class_list().add_1("embed-hidden")?;
                }
            }
            if parent.tag_name().eq_ignore_ascii_case("body") {
                break;
            }
            at = parent;
        }
        element.class_list().add_1("embed-target")?;
        let foot: Element = dom::create("div", "embed-foot")?;
        let name = dom::add_text(&foot, "p", "embed-name", "")?;
        dom::add_text(&foot, "p", "embed-source", t(k::EMBED_SOURCE))?;
        let open: web_sys::HtmlAnchorElement = dom::create("a", "embed-open")?;
        open.set_text_content(Some(t(k::EMBED_OPEN)));
        open.set_target("_blank");
        open.set_rel("noopener");
        foot.append_child(&open)?;
        element.append_child(&foot)?;
        report_height()?;
        Ok(EmbedView { name, open })
    }

    /// Names the scenario and points the explorer link at `explorer` (the same scenario, whole).
    pub fn update(&self, scenario_name: &str, explorer: &str) {
        dom::set_text(&self.name, &tf(k::EMBED_SCENARIO, &[("name", scenario_name)]));
        if self.open.href() != explorer {
            self.open.set_href(explorer);
        }
    }
}

/// Posts the document's height to the parent page now and on every change of size.
fn report_height() -> Result<(), JsValue> {
    let post = || {
        let Ok(window) = dom::window() else { return };
        let Some(root) = window.document().and_then(|d| d.document_element()) else { return };
        let Ok(Some(parent)) = window.parent() else { return };
        if parent == window {
            return;
        }
        let message = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&message, &"type".into(), &HEIGHT_MESSAGE.into());
        let height = root.get_bounding_client_rect().height().ceil();
        let _ = js_sys::Reflect::set(&message, &"height".into(), &height.into());
        let _ = parent.post_message(&message, "*");
    };
    post();
    let observer = Closure::<dyn FnMut(js_sys::Array)>::new(move |_: js_sys::Array| post());
    let resize = web_sys::ResizeObserver::new(observer.as_ref().unchecked_ref())?;
    if let Some(root) = dom::document()?.document_element() {
        resize.observe(&root);
    }
    observer.forget();
    Ok(())
}

/// The HTML an author pastes: the iframe at `src`, titled, `height` CSS pixels to begin with,
/// and a short script that sets each embedded chart's height from the message it posts.
pub fn snippet(src: &str, title: &str, height: u32) -> String {
    let attr = |s: &str| s.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;");
    format!(
        "<iframe src=\"{src}\" title=\"{title}\" width=\"100%\" height=\"{height}\" style=\"border:0;max-width:100%\" \
         loading=\"lazy\"></iframe>\n<script>addEventListener(\"message\",function(e){{if(e.data&&e.data.type===\"{HEIGHT_MESSAGE}\")\
         {{document.querySelectorAll(\"iframe\").forEach(function(f){{if(f.contentWindow===e.source)f.style.height=e.data.height+\"px\"}})}}}})</script>",
        src = attr(src),
        title = attr(title),
    )
}

/// The Embed dialog: what to embed (any chart or card, the chart whose button opened it first),
/// the snippet for the current scenario, and a button to copy it.
pub struct EmbedDialog {
    dialog: HtmlElement,
    what: web_sys::HtmlSelectElement,
    code: web_sys::HtmlTextAreaElement,
    /// The copy button.
    pub copy: web_sys::HtmlButtonElement,
    /// The close button.
    pub close: web_sys::HtmlButtonElement,
}

impl EmbedDialog {
    /// Builds the dialog (closed) at the end of the body.
    pub fn build() -> Result<EmbedDialog, JsValue> {
        let document = dom::document()?;
        let dialog: HtmlElement = dom::create("dialog", "embed-dialog")?;
        dialog.set_id("embed-dialog");
        dialog.set_attribute("aria-labelledby", "embed-title")?;
        let title = dom::add_text(&dialog, "h2", "", t(k::EMBED_TITLE))?;
        title.set_id("embed-title");
        dom::add_text(&dialog, "p", "chart-unit", t(k::EMBED_ABOUT))?;
        let label = dom::add_text(&dialog, "label", "embed-what", t(k::EMBED_WHAT))?;
        label.set_attribute("for", "embed-what")?;
        let what: web_sys::HtmlSelectElement = dom::create("select", "")?;
        what.set_id("embed-what");
        for id in CHARTS {
            let option = dom::add_text(&what, "option", "", id.title())?;
            option.set_attribute("value", id.id())?;
        }
        for card in CARDS {
            let option = dom::add_text(&what, "option", "", card_label(card))?;
            option.set_attribute("value", card.as_str())?;
        }
        dialog.append_child(&what)?;
        let code_label = dom::add_text(&dialog, "label", "embed-what", t(k::EMBED_CODE))?;
        code_label.set_attribute("for", "embed-code")?;
        let code: web_sys::HtmlTextAreaElement = dom::create("textarea", "")?;
        code.set_id("embed-code");
        code.set_read_only(true);
        code.set_rows(6);
        code.set_attribute("spellcheck", "false")?;
        dialog.append_child(&code)?;
        let buttons: Element = dom::create("div", "embed-buttons")?;
        let copy: web_sys::HtmlButtonElement = dom::create("button", "")?;
        copy.set_type("button");
        copy.set_id("embed-copy");
        copy.set_text_content(Some(t(k::EMBED_COPY)));
        let close: web_sys::HtmlButtonElement = dom::create("button", "secondary")?;
        close.set_type("button");
        close.set_id("embed-close");
        close.set_text_content(Some(t(k::EMBED_CLOSE)));
        dom::append(&buttons, &[&copy, &close])?;
        dialog.append_child(&buttons)?;
        document.body().ok_or_else(|| JsValue::from_str("no body"))?.append_child(&dialog)?;
        Ok(EmbedDialog { dialog, what, code, copy, close })
    }

    /// The select of what to embed.
    pub fn what(&self) -> &web_sys::HtmlSelectElement {
        &self.what
    }

    /// What the select names.
    pub fn chosen(&self) -> Option<Target> {
        Target::parse(&self.what.value())
    }

    /// Shows the snippet of `target` at `page` (the explorer's address of the current scenario,
    /// without `embed=`), and opens the dialog if it is closed (then the code is selected, ready
    /// to copy; a change of what to embed leaves the focus where the reader has it).
    pub fn show(&self, target: Target, page: &str) -> Result<(), JsValue> {
        if self.what.value() != target.id() {
            self.what.set_value(target.id());
        }
        let join = if page.contains('?') { '&' } else { '?' };
        let src = format!("{page}{join}embed={}", target.id());
        let title = tf(k::EMBED_IFRAME_TITLE, &[("title", target.title())]);
        self.code.set_value(&snippet(&src, &title, target.height()));
        let dialog: &web_sys::HtmlDialogElement = self.dialog.unchecked_ref();
        if !dialog.open() {
            dialog.show_modal()?;
            self.code.select();
        }
        Ok(())
    }

    /// The snippet shown.
    pub fn code(&self) -> String {
        self.code.value()
    }

    /// Closes the dialog.
    pub fn close(&self) {
        let dialog: &web_sys::HtmlDialogElement = self.dialog.unchecked_ref();
        dialog.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_chart_and_card_can_be_embedded_by_its_id() {
        for id in Target::ids() {
            let target = Target::parse(id).unwrap_or_else(|| panic!("{id}"));
            assert_eq!(target.id(), id);
        }
        assert_eq!(Target::parse("capacity"), Some(Target::Chart(ChartId::Capacity)));
        assert_eq!(Target::parse("h100e_end"), Some(Target::Card(KpiId::H100eEnd)));
        assert_eq!(Target::parse("nope"), None);
        // A headline figure that is not a card on the page cannot be embedded.
        assert_eq!(Target::parse("hhi_end"), None);
    }

    #[test]
    fn the_snippet_escapes_its_attributes_and_sizes_itself() {
        let code = snippet("https://x.org/?v=1&energy=2&embed=map", "Compute Atlas: \"Where\" <map>", 640);
        assert!(code.starts_with("<iframe src=\"https://x.org/?v=1&amp;energy=2&amp;embed=map\""), "{code}");
        assert!(code.contains("title=\"Compute Atlas: &quot;Where&quot; &lt;map>\""), "{code}");
        assert!(code.contains("height=\"640\""));
        assert!(code.contains(HEIGHT_MESSAGE));
        assert!(code.contains("f.contentWindow===e.source"));
    }
}
