//! A scenario's name in words, following what is loaded and what was changed: "Cheap clean
//! power", or "The article: OpenAI goes multi-cloud (the deals of 2025), edited: energy 2×".
//!
//! The name is worked out from the scenario alone, so the page's header, its compare labels, a
//! saved file and a download's file name agree whatever brought the scenario there (a preset, a
//! link, a slider, a file). The scenario is read as its link ([`crate::url::parameters`]): the
//! named preset whose link differs from it in the fewest parameters is what it started from, and
//! those parameters are the changes.

use crate::data::{ScenarioPresetRecord, default_data};
use crate::message::Message;
use crate::scenario::{ExportPolicy, Scenario};
use crate::url::parameters;

/// At most this many changes are named in a title; the description names them all.
const CHANGES_IN_TITLE: usize = 3;

/// Longest file-name slug, characters.
const SLUG_LEN: usize = 60;

/// A scenario's name, description and file-name slug.
#[derive(Clone, Debug, PartialEq)]
pub struct Title {
    /// "Cheap clean power" or "Cheap clean power, edited: energy 2×, carbon $85/t".
    pub name: String,
    /// The preset's description, then every change in words.
    pub description: String,
    /// The name for file names: lower-case ASCII words joined by hyphens (`cheap-clean-power-edited-energy-2x`).
    pub slug: String,
    /// The preset the scenario starts from.
    pub preset: &'static str,
    /// Each change from that preset, in words.
    pub changes: Vec<String>,
    /// The same changes as messages, for a page that words them in the reader's language.
    pub changes_said: Vec<Message>,
    /// The name as a message, where the scenario was edited (else the name is the preset's).
    pub name_said: Option<Message>,
}

/// A preset and its link's parameters.
type PresetParameters = (&'static ScenarioPresetRecord, Vec<(String, String)>);

/// Every preset's link parameters, worked out once.
fn preset_parameters() -> &'static [PresetParameters] {
    static PARAMETERS: std::sync::OnceLock<Vec<PresetParameters>> = std::sync::OnceLock::new();
    PARAMETERS.get_or_init(|| {
        default_data()
            .scenario_presets
            .iter()
            .map(|p| (p, parameters(&crate::url::decode(&p.query, &[]).scenario)))
            .collect()
    })
}

/// The keys whose values differ between two parameter lists (present in one only, or unequal),
/// in the order of `mine` then of `theirs`.
fn differing(mine: &[(String, String)], theirs: &[(String, String)]) -> Vec<String> {
    let value =
        |list: &[(String, String)], key: &str| list.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    let mut keys: Vec<String> = Vec::new();
    for (k, v) in mine {
        if value(theirs, k).as_ref() != Some(v) && !keys.contains(k) {
            keys.push(k.clone());
        }
    }
    for (k, _) in theirs {
        if value(mine, k).is_none() && !keys.contains(k) {
            keys.push(k.clone());
        }
    }
    keys
}

/// The scenario's title: its preset's name, or the nearest preset's with the changes in words.
pub fn title(s: &Scenario) -> Title {
    let mine = parameters(s);
    let (preset, keys) = preset_parameters()
        .iter()
        .map(|(p, theirs)| (*p, differing(&mine, theirs)))
        .min_by_key(|(_, keys)| changes_count(keys))
        .unwrap_or_else(|| (&default_data().scenario_presets[0], Vec::new()));
    let mut changes_said: Vec<Message> = Vec::new();
    for key in &keys {
        let said = describe(s, key);
        if !changes_said.contains(&said) {
            changes_said.push(said);
        }
    }
    let changes: Vec<String> = changes_said.iter().map(Message::english).collect();
    let name_said = (!changes_said.is_empty()).then(|| {
        let more = changes_said.len().saturating_sub(CHANGES_IN_TITLE);
        let shown = changes_said.iter().take(CHANGES_IN_TITLE).cloned().collect();
        let said = Message::new(if more > 0 { "naming.edited_more" } else { "naming.edited" })
            .name("preset", "preset", &preset.id, &preset.name)
            .list("changes", shown);
        if more > 0 { said.text("more", more.to_string()) } else { said }
    });
    let name = name_said.as_ref().map_or_else(|| preset.name.clone(), Message::english);
    let description = if changes.is_empty() {
        preset.description.clone()
    } else {
        format!("{} Changed here: {}.", preset.description, changes.join("; "))
    };
    Title {
        slug: slug(&name),
        name,
        description,
        preset: preset.id.as_str(),
        changes,
        changes_said,
        name_said,
    }
}

/// Keys counted as changes: the share of every provider is one change, as are the matrix cells.
fn changes_count(keys: &[String]) -> usize {
    let mut groups: Vec<&str> = keys.iter().map(|k| group_of(k)).collect();
    groups.dedup();
    groups.len()
}

fn group_of(key: &str) -> &str {
    match key {
        k if k.starts_with("share.") => "share",
        "ban" | "allow" | "cap" | "policy" => "policy",
        "start" | "end" => "span",
        k => k,
    }
}

/// One changed parameter in words, with the scenario's value.
fn describe(s: &Scenario, key: &str) -> Message {
    let number = |v: f64| {
        let text = format!("{:.2}", v);
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    };
    let with = |id: &'static str, v: f64| Message::new(id).written("v", number(v));
    match key {
        "base" => {
            let (id, base) = crate::scenario::base_of(s);
            Message::new("change.base").name("name", "base", id, &base.name)
        }
        "start" | "end" => Message::new("change.years")
            .text("start", s.start_year.to_string())
            .text("end", s.end_year.to_string()),
        "energy" => with("change.energy", s.energy_cost_multiplier),
        "carbon" => with("change.carbon", s.carbon_price_usd_per_t),
        "grid" => with("change.grid", s.grid_decarbonisation_pace),
        "life" => with("change.life", s.lifetime_years),
        "flife" => with("change.flife", s.facility_lifetime_years),
        "wacc" => with("change.wacc", s.cost_of_capital * 100.0),
        "util" => with("change.util", s.utilisation * 100.0),
        "idle" => with("change.idle", s.idle_power_fraction * 100.0),
        "infer" => with("change.infer", s.inference_share * 100.0),
        "gain" => with("change.gain", s.inference_efficiency_gain),
        "build" => with("change.build", s.build_out_scale),
        "trend_w" => with("change.trend_w", s.technology_trend.perf_per_watt_gain_per_year * 100.0),
        "trend_usd" => with("change.trend_usd", s.technology_trend.perf_per_usd_gain_per_year * 100.0),
        "supply" => with("change.supply", s.domestic_supply.scale),
        "leak" => with("change.leak", s.domestic_supply.leakage_share * 100.0),
        "unc" => with("change.unc", s.uncertainty.width),
        "draws" => Message::new("change.draws").text("v", s.uncertainty.draws.to_string()),
        "seed" => Message::new("change.seed").text("v", s.uncertainty.seed.to_string()),
        "basis" => Message::new("change.basis"),
        "redirect" => Message::new("change.redirect"),
        "siting" => Message::new("change.siting"),
        "plan" => Message::new("change.plan"),
        "policy" | "ban" | "allow" | "cap" => match ExportPolicy::preset(&s.export_policy.name) {
            Some(_) => {
                let id = &s.export_policy.name;
                Message::new("change.policy").name("policy", "policy", id, &policy_name(id))
            }
            None => Message::new("change.policy_edited"),
        },
        k if k.starts_with("share.") => Message::new("change.shares"),
        k if k.starts_with("price.") => {
            let id = &k["price.".len()..];
            let region = s.regions.iter().find(|r| r.id == id).map_or(id, |r| r.name.as_str());
            match s.price_overrides_usd_per_mwh.get(id).copied() {
                Some(p) => {
                    Message::new("change.price").name("region", "region", id, region).written("v", number(p))
                }
                None => Message::new("change.price_unset").name("region", "region", id, region),
            }
        }
        k => Message::new("change.other").text("key", k),
    }
}

/// An export policy preset's display name.
fn policy_name(id: &str) -> String {
    default_data()
        .export_policies
        .iter()
        .find(|p| p.id == id)
        .map_or_else(|| id.to_string(), |p| p.name.clone())
}

/// Lower-case ASCII words of `text` joined by hyphens, at most 60 characters, cut at a
/// word; `×` reads `x` and `%` reads `pct`.
pub fn slug(text: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        let piece = match c {
            '×' => Some("x".to_string()),
            '%' => Some("pct".to_string()),
            c if c.is_ascii_alphanumeric() => Some(c.to_ascii_lowercase().to_string()),
            _ => None,
        };
        match piece {
            Some(p) => word.push_str(&p),
            None if !word.is_empty() => words.push(std::mem::take(&mut word)),
            None => {}
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    let mut out = String::new();
    for w in words {
        if out.len() + w.len() + 1 > SLUG_LEN && !out.is_empty() {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&w);
    }
    if out.is_empty() { "scenario".to_string() } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::url::decode;

    fn titled(query: &str) -> Title {
        let d = decode(query, &[]);
        assert!(d.notices.is_empty(), "{query}: {:?}", d.notices);
        title(&d.scenario)
    }

    #[test]
    fn a_preset_is_named_as_the_preset() {
        assert_eq!(titled("v=1").name, default_data().scenario_presets[0].name);
        for preset in &default_data().scenario_presets {
            let t = titled(&format!("v=1&preset={}", preset.id));
            assert_eq!(t.name, preset.name, "{}", preset.id);
            assert_eq!(t.preset, preset.id);
            assert!(t.changes.is_empty());
        }
    }

    #[test]
    fn an_edited_scenario_names_its_preset_and_its_changes() {
        let t = titled("v=1&preset=cheap-clean&energy=2&carbon=85");
        assert_eq!(t.preset, "cheap-clean");
        assert!(t.name.starts_with("Cheap clean power, edited: "), "{}", t.name);
        assert!(t.name.contains("energy 2×") && t.name.contains("carbon $85/t"), "{}", t.name);
        assert!(t.description.contains("Changed here: "));
        assert!(t.slug.starts_with("cheap-clean-power-edited-"), "{}", t.slug);
        assert!(t.slug.contains("energy-2x"), "{}", t.slug);
        // The world scenario edited, with its shares and a matrix cell: each named once.
        let t = titled("v=1&base=world&share.aws=30&ban=hopper:middle_tier&energy=1.5");
        assert!(t.name.starts_with("The world's data centres, edited: "), "{}", t.name);
        assert_eq!(t.changes.iter().filter(|c| *c == "provider shares").count(), 1, "{:?}", t.changes);
        assert!(t.changes.contains(&"export rules edited".to_string()), "{:?}", t.changes);
    }

    #[test]
    fn many_changes_are_counted_not_listed() {
        let t = titled("v=1&energy=2&carbon=50&grid=2&life=4&util=0.6");
        assert!(t.name.ends_with(" and 2 more"), "{}", t.name);
        assert_eq!(t.changes.len(), 5);
    }

    #[test]
    fn slugs_are_plain_ascii() {
        assert_eq!(slug("The world's data centres"), "the-world-s-data-centres");
        assert_eq!(slug("energy 2×, leakage 25%"), "energy-2x-leakage-25pct");
        assert_eq!(slug("…"), "scenario");
        assert!(slug(&"word ".repeat(40)).len() <= SLUG_LEN);
    }
}
