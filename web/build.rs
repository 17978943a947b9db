//! Turns the page's string catalogues (`i18n/<lang>.toml`, one per language) into a typed table at
//! compile time: a constant per key (`k::CHART_TABLE`), the text of every key in every language,
//! and the languages with their own names. The build fails if a catalogue lacks a key English has,
//! has one English lacks, or a text's `{placeholders}` differ from English's, so a language cannot
//! ship incomplete.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::{env, fs, path::Path};

fn flatten(prefix: &str, value: &toml::Value, out: &mut BTreeMap<String, String>, file: &str) {
    match value {
        toml::Value::Table(table) => {
            for (k, v) in table {
                let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                flatten(&key, v, out, file);
            }
        }
        toml::Value::String(s) => {
            out.insert(prefix.to_string(), s.clone());
        }
        other => panic!("{file}: `{prefix}` must be text, found {other}"),
    }
}

fn placeholders(text: &str) -> Vec<String> {
    let mut out: Vec<String> = text
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_string()))
        .collect();
    out.sort();
    out
}

fn main() {
    let dir = Path::new("i18n");
    println!("cargo::rerun-if-changed=i18n");
    let mut catalogues: Vec<(String, BTreeMap<String, String>)> = Vec::new();
    let mut files: Vec<_> = fs::read_dir(dir).expect("web/i18n exists").flatten().map(|e| e.path()).collect();
    files.sort();
    for path in files.iter().filter(|p| p.extension().is_some_and(|e| e == "toml")) {
        println!("cargo::rerun-if-changed={}", path.display());
        let file = path.display().to_string();
        let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{file}: {e}"));
        let value: toml::Value =
            toml::from_str(&text).unwrap_or_else(|e| panic!("{file} is not valid TOML:\n{e}"));
        let mut flat = BTreeMap::new();
        flatten("", &value, &mut flat, &file);
        let code = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
        catalogues.push((code, flat));
    }
    // English first: the language every other is checked against and falls back to.
    catalogues.sort_by_key(|(code, _)| (code != "en", code.clone()));
    let (first, english) = catalogues.first().expect("web/i18n/en.toml exists");
    assert_eq!(first, "en", "web/i18n/en.toml exists");
    let mut problems = Vec::new();
    for (code, texts) in &catalogues[1..] {
        for (key, text) in english {
            match texts.get(key) {
                None => problems.push(format!("i18n/{code}.toml lacks `{key}`")),
                Some(t) if placeholders(t) != placeholders(text) => problems.push(format!(
                    "i18n/{code}.toml: `{key}` has placeholders {:?}, English {:?}",
                    placeholders(t),
                    placeholders(text)
                )),
                Some(_) => {}
            }
        }
        for key in texts.keys().filter(|k| !english.contains_key(*k)) {
            problems.push(format!("i18n/{code}.toml has `{key}`, which English lacks"));
        }
    }
    assert!(problems.is_empty(), "the string catalogues disagree:\n  {}", problems.join("\n  "));

    let mut out = String::new();
    let keys: Vec<&String> = english.keys().collect();
    out.push_str("/// Every key, sorted (what `data-i18n` attributes name).\npub const KEYS: &[&str] = &[\n");
    for key in &keys {
        let _ = writeln!(out, "    {key:?},");
    }
    out.push_str("];\n\n/// Each key's index in [`KEYS`] and every [`TEXT`] row.\npub mod k {\n");
    for (i, key) in keys.iter().enumerate() {
        let name = key.replace(['.', '-'], "_").to_uppercase();
        let _ = writeln!(out, "    /// `{key}`\n    pub const {name}: usize = {i};");
    }
    out.push_str(
        "}\n\n/// The languages: code and own name, English first.\npub const LANGS: &[(&str, &str)] = &[\n",
    );
    for (code, texts) in &catalogues {
        let name = texts.get("lang.name").map_or(code.as_str(), String::as_str);
        let _ = writeln!(out, "    ({code:?}, {name:?}),");
    }
    out.push_str("];\n\n/// The text of every key (in [`KEYS`] order) in every language (in [`LANGS`] order).\npub const TEXT: &[&[&str]] = &[\n");
    for (_, texts) in &catalogues {
        out.push_str("    &[\n");
        for key in &keys {
            let _ = writeln!(out, "        {:?},", texts[*key]);
        }
        out.push_str("    ],\n");
    }
    out.push_str("];\n");
    let path = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("i18n.rs");
    fs::write(path, out).expect("OUT_DIR is writable");
}
