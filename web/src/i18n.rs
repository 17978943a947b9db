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
            el.set_text_content(Some(words));
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
    }
}
