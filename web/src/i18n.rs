//! The page's words in every language: the catalogues of `web/i18n/` as a typed table made at
//! build time (see `web/build.rs`, which refuses a catalogue that lacks a key or changes a
//! placeholder), the language in use, and the static page's words put in place.
//!
//! Rust code names a text by its constant (`t(k::CHART_TABLE)`), so a misspelt key does not
//! compile; `index.html` names it in a `data-i18n` attribute (the element's text) or
//! `data-i18n-title`, `data-i18n-label` (its `aria-label`) and `data-i18n-placeholder`.

use std::cell::Cell;

include!(concat!(env!("OUT_DIR"), "/i18n.rs"));

thread_local! {
    /// The language in use, an index into [`LANGS`].
    static LANG: Cell<usize> = const { Cell::new(0) };
}

/// The text of key `key` (a [`k`] constant) in the language in use.
pub fn t(key: usize) -> &'static str {
    let lang = LANG.with(Cell::get);
    TEXT.get(lang).and_then(|row| row.get(key)).or_else(|| TEXT[0].get(key)).copied().unwrap_or("")
}

/// The text of `key` with each `{name}` replaced by its value from `values`.
pub fn tf(key: usize, values: &[(&str, &str)]) -> String {
    let mut out = t(key).to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// The key a `data-i18n` attribute names, if the catalogue has it.
pub fn key(name: &str) -> Option<usize> {
    KEYS.binary_search(&name).ok()
}

/// The language in use: its code.
pub fn lang() -> &'static str {
    LANGS[LANG.with(Cell::get)].0
}

/// The language of `code` (`fr`, `fr-CA`, `zh-Hans-CN`: the first subtag decides), if there is a
/// catalogue for it.
pub fn find(code: &str) -> Option<usize> {
    let primary = code.split(['-', '_']).next()?.to_ascii_lowercase();
    LANGS.iter().position(|(c, _)| *c == primary)
}

/// Uses the language of `code` if there is a catalogue for it; says whether there was.
pub fn set_lang(code: &str) -> bool {
    match find(code) {
        Some(i) => {
            LANG.with(|l| l.set(i));
            true
        }
        None => false,
    }
}

/// Puts the words of the language in use into every element of `root` that names a key, and sets
/// the document's `lang`.
pub fn apply(document: &web_sys::Document) {
    if let Some(html) = document.document_element() {
        let _ = html.set_attribute("lang", lang());
    }
    let Ok(list) = document
        .query_selector_all("[data-i18n], [data-i18n-title], [data-i18n-label], [data-i18n-placeholder]")
    else {
        return;
    };
    for i in 0..list.length() {
        let Some(el) = list.item(i).and_then(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(n).ok())
        else {
            continue;
        };
        let text = |attr: &str| el.get_attribute(attr).and_then(|name| key(&name)).map(t);
        if let Some(words) = text("data-i18n") {
            fill(document, &el, words);
        }
        for (attr, target) in [
            ("data-i18n-title", "title"),
            ("data-i18n-label", "aria-label"),
            ("data-i18n-placeholder", "placeholder"),
        ] {
            if let Some(words) = text(attr) {
                let _ = el.set_attribute(target, words);
            }
        }
    }
}

/// Puts `words` into `el`. A `{name}` in the words is where `el`'s child with
/// `data-i18n-slot="name"` goes (markup such as `<code>` or a live `<span>` kept as it is, in the
/// order the language puts it); without slots the words are the element's whole text.
fn fill(document: &web_sys::Document, el: &web_sys::Element, words: &str) {
    let Ok(slots) = el.query_selector_all(":scope > [data-i18n-slot]") else { return };
    if slots.length() == 0 {
        el.set_text_content(Some(words));
        return;
    }
    let slot = |name: &str| {
        (0..slots.length()).filter_map(|i| slots.item(i)).find(|n| {
            wasm_bindgen::JsCast::dyn_ref::<web_sys::Element>(n)
                .and_then(|e| e.get_attribute("data-i18n-slot"))
                .is_some_and(|s| s == name)
        })
    };
    let mut parts: Vec<web_sys::Node> = Vec::new();
    let mut rest = words;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else { break };
        parts.push(document.create_text_node(&rest[..open]).into());
        if let Some(node) = slot(&rest[open + 1..close]) {
            parts.push(node);
        }
        rest = &rest[close + 1..];
    }
    parts.push(document.create_text_node(rest).into());
    el.set_text_content(None);
    for part in &parts {
        let _ = el.append_child(part);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every key `index.html` names is in the catalogue.
    #[test]
    fn the_page_names_only_keys_the_catalogue_has() {
        let page = include_str!("../../index.html");
        let mut named = 0;
        for attr in ["data-i18n=\"", "data-i18n-title=\"", "data-i18n-label=\"", "data-i18n-placeholder=\""] {
            for rest in page.split(attr).skip(1) {
                let name = rest.split('"').next().unwrap_or_default();
                assert!(key(name).is_some(), "index.html names `{name}`, which the catalogue lacks");
                named += 1;
            }
        }
        assert!(named > 30, "index.html names its words by key ({named})");
    }

    #[test]
    fn languages_are_found_by_their_first_subtag() {
        assert_eq!(find("en-GB"), Some(0));
        assert_eq!(find("EN"), Some(0));
        assert_eq!(find("xx"), None);
        assert_eq!(LANGS[0].0, "en");
        assert_eq!(t(k::CHART_TABLE), "Table");
        assert_eq!(tf(k::DOCK_LEVER_SHARE_OPTION, &[("name", "AWS")]), "Share: AWS");
    }
}
