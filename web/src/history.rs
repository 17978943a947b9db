//! The scenario in the address bar, and undo / redo.
//!
//! The query string is written by `atlas_core::url::encode`: while a slider is dragged the address
//! is replaced (at most every [`REPLACE_EVERY_MS`]), and a discrete action (a preset, a matrix cell,
//! a lock, reset, undo) pushes a new history entry, so Back and Forward step through them. Undo and
//! redo keep the scenarios themselves; a drag is one step.

use atlas_core::Scenario;
use atlas_core::url::{decode, encode};
use wasm_bindgen::prelude::*;

use crate::dom;
use atlas_core::geography::{MapColour, MapFigure};
use atlas_core::url::Notice;

use crate::views::{Breakdown, Choices};

/// Shortest time between two address replacements while dragging, ms (browsers limit
/// `replaceState` calls per second).
pub const REPLACE_EVERY_MS: f64 = 250.0;

/// Undo steps kept.
const UNDO_KEPT: usize = 200;

/// Query parameters the page keeps for itself (view state, not scenario).
pub const RESERVED: [&str; 5] = atlas_core::url::PAGE_PARAMETERS;

/// How a change reaches the address bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry {
    /// Replace the current entry (dragging).
    Replace,
    /// Push a new entry (a discrete action).
    Push,
}

/// Undo and redo stacks, and the address bar's state.
#[derive(Default)]
pub struct History {
    undo: Vec<Scenario>,
    redo: Vec<Scenario>,
    /// The scenario before the drag in progress, if any.
    drag_start: Option<Scenario>,
    last_replace_ms: f64,
    /// A replacement skipped by the throttle, to be written later.
    replace_pending: bool,
}

impl History {
    /// Notes the scenario before a slider change: the first input of a drag starts an undo step.
    pub fn before_drag(&mut self, s: &Scenario) {
        if self.drag_start.is_none() {
            self.drag_start = Some(s.clone());
        }
    }

    /// Closes the drag in progress (the slider was released) as one undo step.
    pub fn end_drag(&mut self, now: &Scenario) {
        if let Some(start) = self.drag_start.take()
            && start != *now
        {
            self.push_undo(start);
        }
    }

    /// Records the scenario before a discrete change as one undo step.
    pub fn before_action(&mut self, s: &Scenario) {
        self.end_drag(s);
        self.push_undo(s.clone());
    }

    fn push_undo(&mut self, s: Scenario) {
        if self.undo.last() != Some(&s) {
            self.undo.push(s);
            if self.undo.len() > UNDO_KEPT {
                self.undo.remove(0);
            }
        }
        self.redo.clear();
    }

    /// The scenario to go back to, if any; `current` becomes redoable.
    pub fn undo(&mut self, current: &Scenario) -> Option<Scenario> {
        self.end_drag(current);
        let previous = self.undo.pop()?;
        self.redo.push(current.clone());
        Some(previous)
    }

    /// The scenario to go forward to, if any; `current` becomes undoable again.
    pub fn redo(&mut self, current: &Scenario) -> Option<Scenario> {
        let next = self.redo.pop()?;
        self.undo.push(current.clone());
        Some(next)
    }

    /// Whether undo and redo have anything to do.
    pub fn can(&self) -> (bool, bool) {
        (!self.undo.is_empty() || self.drag_start.is_some(), !self.redo.is_empty())
    }

    /// Writes the scenario (and view) to the address bar if it changed there; a throttled
    /// replacement returns true when it still has to be written later.
    pub fn write_url(&mut self, s: &Scenario, choices: &Choices, entry: Entry) -> bool {
        let query = query_for(s, choices);
        let Ok(window) = dom::window() else { return false };
        let location = window.location();
        let current = location.search().unwrap_or_default();
        if current.trim_start_matches('?') == query {
            self.replace_pending = false;
            return false;
        }
        let now = dom::now();
        if entry == Entry::Replace && now - self.last_replace_ms < REPLACE_EVERY_MS {
            self.replace_pending = true;
            return true;
        }
        let url = format!(
            "{}?{query}{}",
            location.pathname().unwrap_or_default(),
            location.hash().unwrap_or_default()
        );
        let Ok(history) = window.history() else { return false };
        let result = match entry {
            Entry::Replace => history.replace_state_with_url(&JsValue::NULL, "", Some(&url)),
            Entry::Push => history.push_state_with_url(&JsValue::NULL, "", Some(&url)),
        };
        if let Err(err) = result {
            dom::log_error("updating the address", &err);
        }
        self.last_replace_ms = now;
        self.replace_pending = false;
        false
    }

    /// Whether a throttled replacement is waiting.
    pub fn replace_pending(&self) -> bool {
        self.replace_pending
    }
}

/// The query string for a scenario and the reader's choices on the charts (each written only
/// when it is not the default).
pub fn query_for(s: &Scenario, choices: &Choices) -> String {
    let mut query = encode(s);
    if choices.breakdown == Breakdown::Region {
        query.push_str("&view=region");
    }
    if let Some(map) = map_param(choices) {
        query.push_str("&map=");
        query.push_str(&map);
    }
    if let Some(year) = choices.flows_year {
        query.push_str(&format!("&flows={year}"));
    }
    // A language other than English travels with the link, so it opens as it was shared.
    if crate::i18n::lang() != "en" || crate::i18n::chosen() {
        query.push_str("&lang=");
        query.push_str(crate::i18n::lang());
    }
    query
}

/// Where a scenario waits for the page to open again in another language, for this tab only.
const CARRY_KEY: &str = "compute-atlas-carry";

/// Keeps `s` for the page about to open again (in another language) where its link cannot carry
/// all of it: a scenario from a file with entities of its own. Nothing is kept otherwise.
pub fn carry(s: &Scenario) {
    let Some(storage) = dom::window().ok().and_then(|w| w.session_storage().ok().flatten()) else { return };
    let link = encode(s);
    if decode(&link, &RESERVED).scenario == *s {
        let _ = storage.remove_item(CARRY_KEY);
    } else {
        let _ = storage.set_item(CARRY_KEY, &s.to_json_pretty());
    }
}

/// The scenario kept by [`carry`], if the page opened at its link (a kept scenario never replaces
/// another link's); taken, so a reload reads the link alone.
pub fn take_carried(from_link: &Scenario) -> Option<Scenario> {
    let storage = dom::window().ok()?.session_storage().ok()??;
    let json = storage.get_item(CARRY_KEY).ok()??;
    let _ = storage.remove_item(CARRY_KEY);
    let carried = atlas_core::parse_scenario(&json).ok()?;
    (encode(&carried) == encode(from_link)).then_some(carried)
}

/// The language the page opens in: the link's `lang=` if there is a catalogue for it, else the
/// first of the browser's languages there is one for, else English.
pub fn choose_language() -> &'static str {
    let window = dom::window().ok();
    let search = window.as_ref().and_then(|w| w.location().search().ok()).unwrap_or_default();
    let from_link =
        decode(&search, &RESERVED).reserved.into_iter().rev().find(|(k, _)| k == "lang").map(|(_, v)| v);
    let from_browser = window
        .map(|w| w.navigator().languages().iter().filter_map(|v| v.as_string()).collect::<Vec<_>>())
        .unwrap_or_default();
    let from_link = from_link.filter(|code| crate::i18n::find(code).is_some());
    crate::i18n::set_chosen(from_link.is_some());
    let chosen = from_link.into_iter().chain(from_browser).find(|code| crate::i18n::find(code).is_some());
    crate::i18n::set_lang(chosen.as_deref().unwrap_or("en"));
    crate::i18n::lang()
}

/// The map's choices as a link writes them (`map=power,grid,2027Q4`: figure, colours, quarter,
/// each only when not the default), or `None` when all are.
fn map_param(choices: &Choices) -> Option<String> {
    let default = Choices::default();
    let mut parts = Vec::new();
    if choices.map_figure != default.map_figure {
        parts.push(choices.map_figure.id().to_string());
    }
    if choices.map_colour != default.map_colour {
        parts.push(choices.map_colour.id().to_string());
    }
    if let Some(q) = choices.map_quarter {
        parts.push(q.to_string());
    }
    (!parts.is_empty()).then(|| parts.join(","))
}

/// The page's own parameters of a decoded link: the reader's choices on the charts, the chart or
/// card to embed alone, and a notice for each value the page cannot use (the rest is kept).
pub fn page_state(decoded: &atlas_core::url::Decoded) -> (Choices, Option<String>, Vec<Notice>) {
    let mut choices = Choices::default();
    let mut embed = None;
    let mut notices = Vec::new();
    // The link's own span: a year or quarter outside it names nothing on the page.
    let (span_start, span_end) = (decoded.scenario.start_year, decoded.scenario.end_year);
    for (key, value) in &decoded.reserved {
        match key.as_str() {
            "view" => match value.as_str() {
                "region" => choices.breakdown = Breakdown::Region,
                "provider" => choices.breakdown = Breakdown::Provider,
                _ => notices.push(Notice::page_value(key, value, &["provider", "region"])),
            },
            "map" => {
                for part in value.split(',').filter(|p| !p.is_empty()) {
                    if let Some(f) = MapFigure::from_id(part) {
                        choices.map_figure = f;
                    } else if let Some(c) = MapColour::from_id(part) {
                        choices.map_colour = c;
                    } else if let Ok(q) = part.parse::<atlas_core::Quarter>() {
                        choices.map_quarter = Some(q);
                    } else {
                        let quarters = format!("{span_start}Q1…{span_end}Q4");
                        let known: Vec<&str> = MapFigure::ALL
                            .iter()
                            .map(|f| f.id())
                            .chain(MapColour::ALL.iter().map(|c| c.id()))
                            .chain([quarters.as_str()])
                            .collect();
                        notices.push(Notice::page_value(key, part, &known));
                    }
                }
            }
            "flows" => match value.parse::<i32>() {
                Ok(year) if (span_start..=span_end).contains(&year) => choices.flows_year = Some(year),
                _ => notices.push(Notice::page_value(key, value, &[&format!("{span_start}…{span_end}")])),
            },
            "embed" => match crate::embed::Target::parse(value) {
                Some(_) => embed = Some(value.clone()),
                None => notices.push(Notice::page_value(key, value, &crate::embed::Target::ids())),
            },
            _ => {}
        }
    }
    (choices, embed, notices)
}

/// The scenario, the page's own parameters and the notices of the page's current address (the
/// page's own notices after the scenario's).
pub fn read_url() -> (atlas_core::url::Decoded, Choices, Option<String>) {
    let search = dom::window().ok().and_then(|w| w.location().search().ok()).unwrap_or_default();
    let mut decoded = decode(&search, &RESERVED);
    let (choices, embed, notices) = page_state(&decoded);
    decoded.notices.extend(notices);
    (decoded, choices, embed)
}

/// Shows the notices of a decoded address in the dismissible notice panel (text only), or hides
/// it when there are none.
pub fn show_notices(notices: &[atlas_core::url::Notice]) -> Result<(), JsValue> {
    show_list(
        crate::i18n::t(crate::i18n::k::NOTICE_LINK),
        notices.iter().map(|n| {
            let value = if n.value.is_empty() { String::new() } else { format!(" = {}", n.value) };
            format!("{}{value}: {}", n.param, crate::i18n::say(&n.said))
        }),
    )
}

/// Shows a titled list in the notice panel (text only), or hides the panel when it is empty.
pub fn show_list(title: &str, lines: impl Iterator<Item = String>) -> Result<(), JsValue> {
    // A document without the panel (a test harness) has nowhere to show them.
    let (Ok(panel), Ok(list)) =
        (dom::by_id::<web_sys::HtmlElement>("url-notice"), dom::by_id::<web_sys::Element>("url-notice-list"))
    else {
        return Ok(());
    };
    list.set_text_content(None);
    let mut any = false;
    for line in lines {
        dom::add_text(&list, "li", "", &line)?;
        any = true;
    }
    if let Ok(heading) = dom::by_id::<web_sys::Element>("url-notice-title") {
        dom::set_text(&heading, title);
    }
    panel.set_hidden(!any);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_charts_choices_go_into_a_link_and_come_back() {
        let s = Scenario::default();
        let choices = Choices {
            breakdown: Breakdown::Region,
            map_figure: MapFigure::Power,
            map_colour: MapColour::Grid,
            map_quarter: Some("2027Q4".parse().unwrap()),
            flows_year: Some(2028),
        };
        let query = query_for(&s, &choices);
        assert_eq!(query, "v=1&view=region&map=power,grid,2027Q4&flows=2028");
        let decoded = decode(&query, &RESERVED);
        assert!(decoded.notices.is_empty(), "{:?}", decoded.notices);
        let (back, embed, notices) = page_state(&decoded);
        assert_eq!((back, embed), (choices, None));
        assert!(notices.is_empty());
        // The defaults write nothing, and the parts of map= come in any order.
        let only = Choices { map_colour: MapColour::Grid, ..Choices::default() };
        assert_eq!(query_for(&s, &only), "v=1&map=grid");
        let (any_order, _, _) = page_state(&decode("v=1&map=2026Q2,grid,carbon", &RESERVED));
        assert_eq!((any_order.map_figure, any_order.map_colour), (MapFigure::Carbon, MapColour::Grid));
    }

    #[test]
    fn a_page_parameter_the_page_cannot_use_is_a_notice_and_the_rest_stands() {
        let s = Scenario::default();
        let query = "v=1&view=sideways&map=power,purple,2027Q4&flows=2100&embed=capacty";
        let (choices, embed, notices) = page_state(&decode(query, &RESERVED));
        assert_eq!(choices.map_figure, MapFigure::Power, "the good part of map= is used");
        assert_eq!(choices.map_quarter, Some("2027Q4".parse().unwrap()));
        assert_eq!((choices.flows_year, embed), (None, None));
        let said: Vec<(String, String)> =
            notices.iter().map(|n| (n.param.clone(), n.value.clone())).collect();
        assert_eq!(
            said,
            [
                ("view".into(), "sideways".into()),
                ("map".into(), "purple".into()),
                ("flows".into(), "2100".into()),
                ("embed".into(), "capacty".into())
            ]
        );
        let span = format!("{}…{}", s.start_year, s.end_year);
        assert!(notices[2].message.contains(&span), "{}", notices[2].message);
        assert!(notices[3].message.contains("capacity"), "{}", notices[3].message);
    }

    #[test]
    fn a_drag_is_one_undo_step() {
        let mut h = History::default();
        let a = Scenario::default();
        let mut b = a.clone();
        b.energy_cost_multiplier = 1.5;
        let mut c = b.clone();
        c.energy_cost_multiplier = 2.0;
        h.before_drag(&a);
        h.before_drag(&b);
        h.end_drag(&c);
        assert_eq!(h.undo(&c), Some(a.clone()));
        assert_eq!(h.undo(&a), None);
        assert_eq!(h.redo(&a), Some(c.clone()));
        assert_eq!(h.can(), (true, false));
    }

    #[test]
    fn a_new_action_clears_redo() {
        let mut h = History::default();
        let a = Scenario::default();
        let mut b = a.clone();
        b.carbon_price_usd_per_t = 50.0;
        h.before_action(&a);
        assert_eq!(h.undo(&b), Some(a.clone()));
        h.before_action(&a);
        assert!(!h.can().1);
    }

    #[test]
    fn the_view_rides_along_in_the_query() {
        let s = Scenario::default();
        assert_eq!(query_for(&s, &Choices::default()), "v=1");
        let region = Choices { breakdown: Breakdown::Region, ..Choices::default() };
        assert_eq!(query_for(&s, &region), "v=1&view=region");
    }
}
