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
    /// Whether the reader chose it (a link's `lang=`), rather than the browser's languages.
    static CHOSEN: Cell<bool> = const { Cell::new(false) };
}

/// The text of key `key` (a [`k`] constant) in the language in use.
pub fn t(key: usize) -> &'static str {
    let lang = LANG.with(Cell::get);
    TEXT.get(lang).and_then(|row| row.get(key)).or_else(|| TEXT[0].get(key)).copied().unwrap_or("")
}

/// The text of `key` with each `{name}` replaced by its value from `values`.
pub fn tf(key: usize, values: &[(&str, &str)]) -> String {
    atlas_core::message::fill(t(key), |name| {
        values.iter().find(|(n, _)| *n == name).map(|(_, v)| (*v).to_string())
    })
}

/// The text of the key named `name` (`param.energy_cost_multiplier.label`), if the catalogue has
/// it: for texts keyed by a core or data id rather than a constant.
pub fn named(name: &str) -> Option<&'static str> {
    key(name).map(t)
}

/// The English text of the key named `name`, if the catalogue has it.
fn english(name: &str) -> Option<&'static str> {
    key(name).and_then(|i| TEXT[0].get(i)).copied()
}

/// A name from the data (a region, provider, preset, policy, export group or chip family) in the
/// language in use: the catalogue's `data.<kind>.<id>` where the name is the data's own (the
/// English catalogue holds it, a test checks), else the name as given (a scenario file may name
/// its own entities).
pub fn data_name(kind: &str, id: &str, name: &str) -> String {
    let key = format!("data.{kind}.{id}");
    match english(&key) {
        Some(en) if en == name => named(&key).unwrap_or(name).to_string(),
        _ => name.to_string(),
    }
}

/// The name of a provider, region or accelerator of scenario `s` (see `Scenario::entity_name`), in
/// the language in use where it is the data's own.
pub fn entity(s: &atlas_core::Scenario, dimension: atlas_core::scenario::Dimension, id: &str) -> String {
    let kind = match dimension {
        atlas_core::scenario::Dimension::Provider => "provider",
        atlas_core::scenario::Dimension::Region => "region",
        _ => "accelerator",
    };
    data_name(kind, id, &s.entity_name(dimension, id))
}

/// A sentence of the core in the language in use: the catalogue's `msg.<id>` (English: the
/// core's own), each value written for the language (numbers in its format, the data's names in
/// its words, parts and lists worded in turn).
pub fn say(said: &atlas_core::message::Message) -> String {
    use atlas_core::message::Arg;
    let template = named(&format!("msg.{}", said.id)).unwrap_or(atlas_core::message::english(said.id));
    said.fill(template, &|arg| match arg {
        Arg::Text(text) => text.clone(),
        Arg::Number(number) => localise(number),
        Arg::Name { kind, id, name } => data_name(kind, id, name),
        Arg::Part(part) => say(part),
        Arg::List(items) => items.iter().map(say).collect::<Vec<_>>().join(t(k::SUMMARY_LIST_JOIN)),
    })
}

/// A validation problem in the language in use: the field, the value as given, what is valid.
pub fn problem(p: &atlas_core::Problem) -> String {
    tf(k::PROBLEM_LINE, &[("field", &p.field), ("value", &p.value), ("expected", &say(&p.said))])
}

/// A scenario's name in the language in use: its preset's, or the preset's with the changes.
pub fn scenario_name(title: &atlas_core::naming::Title) -> String {
    match &title.name_said {
        Some(said) => say(said),
        None => data_name("preset", title.preset, &title.name),
    }
}

/// A scalar parameter's label in the language in use.
pub fn param_label(p: &atlas_core::params::Param) -> &'static str {
    named(&format!("param.{}.label", p.key)).unwrap_or(p.label)
}

/// Why a parameter's slider stops inside its valid range, in the language in use.
pub fn param_narrower(p: &atlas_core::params::Param) -> String {
    let why = p.slider.map_or("", |s| s.why_narrower);
    named(&format!("param.{}.narrower", p.key)).unwrap_or(why).to_string()
}

/// A parameter's display value `v` written for people in the language in use (the number in its
/// format, the words of `param.<key>.value`).
pub fn param_value(p: &atlas_core::params::Param, v: f64) -> String {
    let words = named(&format!("param.{}.value", p.key)).unwrap_or(p.shown.text);
    let shown = v * p.shown.factor;
    // A bare number is a year (the span's ends): written as it is, never as 2,030.
    let number = if p.shown.text == "{v}" { format!("{shown:.0}") } else { num(shown, p.shown.decimals) };
    words.replace("{v}", &number)
}

/// A headline figure's label in the language in use.
pub fn kpi_label(id: atlas_core::KpiId) -> &'static str {
    named(&format!("kpi.{}.label", id.as_str())).unwrap_or(id.label())
}

/// A headline figure's unit in the language in use.
pub fn kpi_unit(id: atlas_core::KpiId) -> &'static str {
    named(&format!("kpi.{}.unit", id.as_str())).unwrap_or(id.unit())
}

/// `v` to `decimals` places, grouped by thousands, with the language's separators
/// (`lang.decimal`, `lang.group`): 1,234.5 in English, 1 234,5 in French, 1.234,5 in German.
pub fn num(v: f64, decimals: usize) -> String {
    localise(&atlas_core::format::grouped(v, decimals))
}

/// A value written as the core writes it for people (`format_value`: decimals by size), in the
/// language's number format.
pub fn value(v: f64) -> String {
    localise(&atlas_core::export::format_value(v))
}

/// A headline number: millions and billions shortened (34.9 M), others with separators.
pub fn headline(v: f64) -> String {
    if v.abs() >= 1e9 {
        tf(k::NUM_BILLION, &[("v", &num(v / 1e9, 2))])
    } else if v.abs() >= 1e6 {
        tf(k::NUM_MILLION, &[("v", &num(v / 1e6, 1))])
    } else {
        value(v)
    }
}

/// Text the core wrote with English separators (`1,234.5`, `-3.2`), with the language's: each
/// `,` between digits becomes the group separator and each `.` between digits the decimal one.
pub fn localise(text: &str) -> String {
    let (group, decimal) = (t(k::LANG_GROUP), t(k::LANG_DECIMAL));
    if group == "," && decimal == "." {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let digit = |i: usize| chars.get(i).is_some_and(char::is_ascii_digit);
    let mut out = String::with_capacity(text.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        let between = i > 0 && digit(i - 1) && digit(i + 1);
        match c {
            ',' if between => out.push_str(group),
            '.' if between => out.push_str(decimal),
            _ => out.push(c),
        }
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

/// Whether the language was chosen by the link (so links carry it even when it is English).
pub fn chosen() -> bool {
    CHOSEN.with(Cell::get)
}

/// Records that the language in use was chosen by the reader, not taken from the browser.
pub fn set_chosen(on: bool) {
    CHOSEN.with(|c| c.set(on));
}

/// Fills the page's language menu (`#lang-choose`: every catalogue by its own name) and opens
/// the page again in the language chosen there, built with every word in it: at the query
/// `leave` gives for what is on the page (the scenario's link; `None`: the address as it is).
pub fn bind_switcher(
    document: &web_sys::Document,
    leave: impl Fn() -> Option<String> + 'static,
) -> Result<(), wasm_bindgen::JsValue> {
    use wasm_bindgen::JsCast;
    let Some(menu) = document.get_element_by_id("lang-choose") else { return Ok(()) };
    let menu: web_sys::HtmlSelectElement = menu.dyn_into()?;
    menu.set_text_content(None);
    for (code, name) in LANGS {
        let option = document.create_element("option")?;
        option.set_text_content(Some(name));
        option.set_attribute("value", code)?;
        // Each name in its own language, for a screen reader's pronunciation.
        option.set_attribute("lang", code)?;
        menu.append_child(&option)?;
    }
    menu.set_value(lang());
    let target = menu.clone();
    let on_change = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
        let Some(window) = web_sys::window() else { return };
        let location = window.location();
        let search = leave().unwrap_or_else(|| location.search().unwrap_or_default());
        let _ = location.set_search(&with_lang(&search, &target.value()));
    });
    menu.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref())?;
    on_change.forget();
    Ok(())
}

/// A query string with its `lang=` set to `code` (any earlier one dropped).
pub fn with_lang(search: &str, code: &str) -> String {
    let mut parts: Vec<&str> = search
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("lang="))
        .collect();
    let lang = format!("lang={code}");
    parts.push(&lang);
    format!("?{}", parts.join("&"))
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
    fn a_chosen_language_replaces_the_links_own() {
        assert_eq!(with_lang("?v=1&lang=de&energy=2", "fr"), "?v=1&energy=2&lang=fr");
        assert_eq!(with_lang("", "ja"), "?lang=ja");
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

    /// The English catalogue names the core's parameters and headline figures, and the data's
    /// entities, as the core and the data do (so the CLI, the files and the English page agree),
    /// and nothing the core lacks.
    #[test]
    fn english_agrees_with_the_core_and_the_data() {
        let en = |name: String| english(&name).unwrap_or_else(|| panic!("en.toml lacks `{name}`"));
        for p in &atlas_core::params::PARAMS {
            assert_eq!(en(format!("param.{}.label", p.key)), p.label);
            assert_eq!(en(format!("param.{}.value", p.key)), p.shown.text);
            let why = p.slider.map_or("", |s| s.why_narrower);
            assert_eq!(english(&format!("param.{}.narrower", p.key)).unwrap_or(""), why, "{}", p.key);
        }
        for id in atlas_core::KpiId::ALL {
            assert_eq!(en(format!("kpi.{}.label", id.as_str())), id.label());
            assert_eq!(en(format!("kpi.{}.unit", id.as_str())), id.unit());
        }
        let data = atlas_core::data::default_data();
        for r in &data.regions {
            assert_eq!(en(format!("data.region.{}", r.id)), r.name);
        }
        for p in &data.providers {
            assert_eq!(en(format!("data.provider.{}", p.id)), p.name);
        }
        for p in &data.export_policies {
            assert_eq!(en(format!("data.policy.{}", p.id)), p.name);
        }
        for p in &data.scenario_presets {
            assert_eq!(en(format!("data.preset.{}", p.id)), p.name);
            assert_eq!(en(format!("data.preset_about.{}", p.id)), p.description);
        }
        if let atlas_core::BuildOut::Deals(book) = &atlas_core::Scenario::default().build_out {
            for d in &book.deals {
                assert_eq!(en(format!("data.deal.{}", d.id)), d.name);
            }
        }
        for a in &atlas_core::Scenario::default().accelerators {
            assert_eq!(en(format!("data.accelerator.{}", a.id)), a.name);
        }
        for g in atlas_core::policy::ExportGroup::ALL {
            assert_eq!(en(format!("data.group.{}", g.id())), g.label());
            assert_eq!(en(format!("data.group_short.{}", g.id())), g.short_label());
        }
        for f in atlas_core::policy::Family::ALL {
            assert_eq!(en(format!("data.family.{}", f.id())), f.label());
        }
        for (id, text) in atlas_core::message::ENGLISH {
            assert_eq!(en(format!("msg.{id}")), *text);
        }
        assert_eq!(
            KEYS.iter().filter(|k| k.starts_with("msg.")).count(),
            atlas_core::message::ENGLISH.len(),
            "en.toml has sentences the core lacks"
        );
        let counted = KEYS.iter().filter(|k| k.starts_with("param.") || k.starts_with("kpi.")).count();
        let expected = atlas_core::params::PARAMS.len() * 2
            + atlas_core::params::PARAMS
                .iter()
                .filter(|p| p.slider.is_some_and(|s| !s.why_narrower.is_empty()))
                .count()
            + atlas_core::KpiId::ALL.len() * 2;
        assert_eq!(counted, expected, "en.toml has parameters or figures the core lacks");
    }

    /// Every language has words for every key (the build refuses a missing key; an empty text
    /// would pass it).
    #[test]
    fn every_language_is_complete() {
        for (lang, row) in LANGS.iter().zip(TEXT) {
            assert_eq!(row.len(), KEYS.len(), "{}", lang.0);
            for (i, text) in row.iter().enumerate() {
                assert!(!text.is_empty() || TEXT[0][i].is_empty(), "{}: `{}` is empty", lang.0, KEYS[i]);
            }
        }
    }

    /// The core's sentences in the language in use: the catalogue's words, numbers in its
    /// format, the data's names in its words; English exactly as the core writes it.
    #[test]
    fn the_cores_sentences_are_worded_in_the_language() {
        use atlas_core::message::Message;
        let said = Message::new("plan.binds")
            .part(
                "what",
                Message::new("plan.what.power").name(
                    "region",
                    "region",
                    "us_east",
                    "US East (PJM, Virginia)",
                ),
            )
            .text("when", "2027")
            .part("lift", Message::new("plan.lift.power"))
            .part("effect", Message::new("plan.effect.save").number("v", 1234.5));
        set_lang("en");
        assert_eq!(say(&said), said.english());
        assert!(set_lang("fr"));
        let french = say(&said);
        assert!(!french.contains("binds") && !french.contains("would save"), "{french}");
        assert!(french.contains("1\u{202f}234"), "{french}");
        assert!(!french.contains("US East"), "the region's French name: {french}");
        set_lang("en");
    }

    /// Numbers in the language's format; English as the core writes them.
    #[test]
    fn numbers_follow_the_language() {
        set_lang("en");
        assert_eq!(num(1234.5, 1), "1,234.5");
        assert_eq!(value(-0.001), "0.00");
        assert_eq!(localise("+12.5% of 1,234.5"), "+12.5% of 1,234.5");
        if set_lang("de") {
            assert_eq!(num(1234567.25, 2), "1.234.567,25");
            assert_eq!(localise("+12.5%"), "+12,5%");
        }
        if set_lang("fr") {
            assert_eq!(num(1234.5, 1), "1\u{202f}234,5");
        }
        set_lang("en");
    }
}
