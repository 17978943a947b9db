//! The scenario as a URL query string: readable parameters, defaults left out, a format version.
//!
//! `?v=1&energy=1.5&share.aws=60&share.azure=35&share.oracle=5&ban=blackwell:embargoed`
//!
//! The query carries what the explorer page lets people change; everything else comes from a base
//! scenario of the default data: the default one, or the one `base=` names. [`encode`] writes only
//! what differs from the base, in a fixed order; [`decode`] applies every valid parameter to the
//! base and reports each one it ignored or
//! adjusted, and why, as a [`Notice`]: it never fails and never panics, whatever the input. The
//! command line reads the same strings (`atlas run --query '…'`), so a link and the CLI agree.
//!
//! | parameter | scenario field | example |
//! |---|---|---|
//! | `v` | format version (this build writes 1) | `v=1` |
//! | `base` | the whole scenario the others apply to (default `article`) | `base=world` |
//! | `start`, `end` | span, years | `end=2035` |
//! | `energy` | `energy_cost_multiplier` | `energy=1.5` |
//! | `carbon` | `carbon_price_usd_per_t` | `carbon=85` |
//! | `basis` | `carbon_price_basis` (`location`, `market`) | `basis=market` |
//! | `grid` | `grid_decarbonisation_pace` | `grid=2` |
//! | `life` | `lifetime_years` | `life=4.5` |
//! | `flife` | `facility_lifetime_years` (buildings) | `flife=15` |
//! | `wacc` | `cost_of_capital`, percent per year | `wacc=10` |
//! | `util` | `utilisation` (0–1) | `util=0.6` |
//! | `idle` | `idle_power_fraction` (0–1) | `idle=0.25` |
//! | `infer` | `inference_share` (0–1) | `infer=0.6` |
//! | `gain` | `inference_efficiency_gain` | `gain=10` |
//! | `build` | `build_out_scale`: multiplier on the build-out path (2 = twice the $1.4T) | `build=1.5` |
//! | `trend_w` | `technology_trend.perf_per_watt_gain_per_year`, percent per year | `trend_w=30` |
//! | `trend_usd` | `technology_trend.perf_per_usd_gain_per_year`, percent per year | `trend_usd=25` |
//! | `supply` | `domestic_supply.scale`: multiplier on China's domestic accelerator supply | `supply=0.5` |
//! | `leak` | `domestic_supply.leakage_share`, percent of banned money that still buys banned chips | `leak=0` |
//! | `unc` | `uncertainty.width`: multiplier on every range (0 = off) | `unc=2` |
//! | `draws` | `uncertainty.draws`: Monte Carlo draws | `draws=5000` |
//! | `seed` | `uncertainty.seed`: the generator's seed (same seed, same bands) | `seed=42` |
//! | `redirect` | `relocate` or `downgrade` | `redirect=downgrade` |
//! | `siting` | `announced` or `cheap_clean` | `siting=cheap_clean` |
//! | `preset` | a named scenario (its parameters first, then the others) | `preset=azure-only` |
//! | `policy` | export-policy preset | `policy=blackwell-us-only` |
//! | `ban`, `allow` | matrix cells `family:group`, comma-separated | `ban=blackwell:embargoed` |
//! | `cap` | capped cells `family:group:H100e per year` | `cap=hopper:middle_tier:16667` |
//! | `share.<provider>` | % of new capacity in the share year (all providers, summing to 100) | `share.aws=45` |
//! | `price.<region>` | electricity price override, USD/MWh | `price.ireland=150` |
//! | `plan` | a planned build-out (`atlas_core::plan::apply`): `year:provider:region:accelerator:USD bn`, comma-separated | `plan=2027:aws:us_east:gb300:12.5` |

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::data::ScenarioPresetRecord;
use crate::edit::{self, CellState};
use crate::message::Message;
use crate::params::{self, PARAMS};
use crate::policy::{ExportGroup, Family};
use crate::scenario::{BuildOut, CarbonBasis, ExportPolicy, PlannedPurchase, Redirect, Scenario, Siting};
use crate::validate::{Problem, validate};

/// The URL format version this build writes and reads.
pub const URL_VERSION: u32 = 1;

/// Longest query string read; longer input is cut there, with a notice.
const MAX_QUERY_LEN: usize = 8192;

/// A parameter that was ignored or adjusted, and why. `param` and `value` are the text as given
/// (shortened); show them as text, never as HTML.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Notice {
    /// The parameter name as given.
    pub param: String,
    /// The value as given.
    pub value: String,
    /// What happened to it, in English.
    pub message: String,
    /// The same as a message, for a page that words it in the reader's language.
    #[serde(skip)]
    pub said: Message,
}

impl Notice {
    /// The notice in one line of English: `param = value: what happened` (`param: …` without a
    /// value).
    pub fn line(&self) -> String {
        let value = if self.value.is_empty() { String::new() } else { format!(" = {}", self.value) };
        format!("{}{value}: {}", self.param, self.message)
    }

    /// A page parameter whose value the page cannot use, and what it takes (`known`).
    pub fn page_value(param: &str, value: &str, known: &[&str]) -> Notice {
        let said = Message::new("url.page_value").text("known", known.join(", "));
        Notice { param: param.into(), value: value.into(), message: said.english(), said }
    }

    /// Whether the notice only remarks on a link that was read in full (one without `v=`, read as
    /// this version's), rather than reporting a parameter ignored or adjusted.
    pub fn is_remark(&self) -> bool {
        self.param == "v" && self.value.is_empty()
    }
}

/// What [`decode`] makes of a query string.
#[derive(Clone, Debug, PartialEq)]
pub struct Decoded {
    /// The default scenario with every valid parameter applied.
    pub scenario: Scenario,
    /// Parameters ignored or adjusted.
    pub notices: Vec<Notice>,
    /// Parameters reserved for the caller (view state), as given, in order.
    pub reserved: Vec<(String, String)>,
}

fn push_pair(out: &mut String, key: &str, value: &str) {
    if !out.is_empty() {
        out.push('&');
    }
    out.push_str(&escape(key));
    out.push('=');
    out.push_str(&escape(value));
}

/// Percent-encodes what a query value cannot hold as is (ids and numbers need nothing).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.:,~".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Decodes `%XX` and `+`; invalid escapes are kept as written.
fn unescape(text: &str) -> String {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() && hex(bytes[i + 1]).is_some() && hex(bytes[i + 2]).is_some() => {
                out.push(hex(bytes[i + 1]).unwrap_or(0) * 16 + hex(bytes[i + 2]).unwrap_or(0));
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Writes the scenario's differences from the default as a query string (without `?`), starting
/// with `v=1`; a scenario that is exactly a named preset is written `v=1&preset=<id>`. Only what
/// the parameters above can carry is written.
pub fn encode(s: &Scenario) -> String {
    match preset_scenarios().iter().find(|(_, preset)| preset == s) {
        Some((id, _)) => format!("v={URL_VERSION}&preset={id}"),
        None => encode_plain(s),
    }
}

/// The named presets other than the default, as scenarios, built once.
fn preset_scenarios() -> &'static [(String, Scenario)] {
    static PRESETS: std::sync::OnceLock<Vec<(String, Scenario)>> = std::sync::OnceLock::new();
    PRESETS.get_or_init(|| {
        let default = Scenario::default();
        crate::data::default_data()
            .scenario_presets
            .iter()
            .map(|p| (p.id.clone(), decode(&p.query, &[]).scenario))
            .filter(|(_, s)| *s != default)
            .collect()
    })
}

/// The named preset the scenario is exactly, if any (the default scenario is the first preset).
/// Cheap enough to call on every frame: it compares with presets decoded once.
pub fn preset_of(s: &Scenario) -> Option<&'static ScenarioPresetRecord> {
    let presets = &crate::data::default_data().scenario_presets;
    if *s == crate::scenario::bases()[0].1 {
        return presets.iter().find(|p| p.query == "v=1");
    }
    let (id, _) = preset_scenarios().iter().find(|(_, preset)| preset == s)?;
    presets.iter().find(|p| p.id == *id)
}

/// The scenario's link as `(key, value)` pairs, without naming a preset (`v` included).
pub fn parameters(s: &Scenario) -> Vec<(String, String)> {
    encode_plain(s)
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (unescape(k), unescape(v))
        })
        .collect()
}

/// [`encode`] without naming presets.
fn encode_plain(s: &Scenario) -> String {
    let (base_id, default) = crate::scenario::base_of(s);
    let mut out = String::new();
    push_pair(&mut out, "v", &URL_VERSION.to_string());
    if base_id != crate::scenario::default_base_id() {
        push_pair(&mut out, "base", base_id);
    }
    for p in &PARAMS {
        let (Some(key), Some(v), Some(d)) = (p.url, (p.get)(s), (p.get)(default)) else { continue };
        if v.to_bits() != d.to_bits() {
            push_pair(&mut out, key, &format!("{}", p.display(v)));
        }
    }
    if s.carbon_price_basis != default.carbon_price_basis {
        push_pair(&mut out, "basis", "market");
    }
    if s.redirect != default.redirect {
        push_pair(&mut out, "redirect", "downgrade");
    }
    if s.siting != default.siting {
        push_pair(&mut out, "siting", "cheap_clean");
    }
    if s.uncertainty.draws != default.uncertainty.draws {
        push_pair(&mut out, "draws", &s.uncertainty.draws.to_string());
    }
    if s.uncertainty.seed != default.uncertainty.seed {
        push_pair(&mut out, "seed", &s.uncertainty.seed.to_string());
    }
    encode_policy(&mut out, &s.export_policy, &default.export_policy);
    let year = edit::target_share_year(s);
    let shares = edit::shares_in(s, year);
    // A plan names every purchase: shares do not steer it, and it keeps the base's.
    let planned =
        matches!(s.build_out, BuildOut::Planned(_)) && s.provider_shares_pct == default.provider_shares_pct;
    // Shares set to exactly the deals' own split still override the deals: they are written too.
    if !planned
        && (shares != edit::shares_in(default, year) || s.provider_shares_pct != default.provider_shares_pct)
    {
        for (id, pct) in shares {
            push_pair(&mut out, &format!("share.{id}"), &format!("{pct}"));
        }
    }
    for (region, price) in &s.price_overrides_usd_per_mwh {
        push_pair(&mut out, &format!("price.{region}"), &format!("{price}"));
    }
    if let BuildOut::Planned(purchases) = &s.build_out {
        let items: Vec<String> = purchases
            .iter()
            .map(|p| format!("{}:{}:{}:{}:{}", p.year, p.provider, p.region, p.accelerator, p.capital_usd_b))
            .collect();
        push_pair(&mut out, "plan", &items.join(","));
    }
    out
}

/// Reads one `year:provider:region:accelerator:capital` item of the `plan` parameter.
fn parse_planned(item: &str) -> Result<PlannedPurchase, Message> {
    let parts: Vec<&str> = item.split(':').collect();
    let [year, provider, region, accelerator, capital] = parts.as_slice() else {
        return Err(Message::new("url.plan"));
    };
    let year = year.parse::<i32>().map_err(|_| Message::new("url.plan_year").text("value", shown(year)))?;
    let capital = match capital.parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => v,
        _ => return Err(Message::new("url.plan_capital").text("value", shown(capital))),
    };
    Ok(PlannedPurchase {
        year,
        provider: provider.to_string(),
        region: region.to_string(),
        accelerator: accelerator.to_string(),
        capital_usd_b: capital,
    })
}

/// The matrix cells of a policy, in a fixed order.
fn cells(policy: &ExportPolicy) -> Vec<(Family, ExportGroup, CellState)> {
    Family::ALL
        .iter()
        .flat_map(|&f| ExportGroup::ALL.iter().map(move |&g| (f, g)))
        .map(|(f, g)| (f, g, edit::matrix_cell(policy, f, g, 9999)))
        .collect()
}

fn encode_policy(out: &mut String, policy: &ExportPolicy, default: &ExportPolicy) {
    // The preset nearest to the policy, then the cells that differ from it.
    let mine = cells(policy);
    let presets: Vec<ExportPolicy> =
        ExportPolicy::preset_ids().iter().filter_map(|id| ExportPolicy::preset(id)).collect();
    let differences = |p: &ExportPolicy| cells(p).iter().zip(&mine).filter(|(a, b)| a != b).count();
    let base = presets
        .iter()
        // Among presets equally near, the policy's own (a model rule is not in the matrix), then
        // the default.
        .min_by_key(|p| (differences(p), p.name != policy.name, p.name != default.name))
        .cloned()
        .unwrap_or_else(|| default.clone());
    if base.name != default.name {
        push_pair(out, "policy", &base.name);
    }
    // Cells are compared with the preset as the cells written so far change it: a family's row
    // comes before its sub-generation's, whose cells follow it unless written themselves.
    let mut written = base.clone();
    let mut lists: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for &(f, g, state) in &mine {
        if state == edit::matrix_cell(&written, f, g, 9999) {
            continue;
        }
        edit::set_matrix_cell(&mut written, f, g, state);
        let cell = format!("{}:{}", f.id(), g.id());
        match state {
            CellState::Allow => lists.entry("allow").or_default().push(cell),
            CellState::Ban => lists.entry("ban").or_default().push(cell),
            CellState::Cap { h100e_per_year } => {
                lists.entry("cap").or_default().push(format!("{cell}:{h100e_per_year}"))
            }
        }
    }
    for (key, list) in lists {
        push_pair(out, key, &list.join(","));
    }
}

/// Shortens text from the URL for a notice.
fn shown(text: &str) -> String {
    const MAX: usize = 60;
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(MAX).collect::<String>())
    }
}

/// Parameters of the page rather than the scenario: the capacity chart's view, the page's
/// language, one chart or card alone for embedding in another page, the map's figure, colours and
/// quarter, the flow diagram's year. A link may carry them; reading a scenario sets them aside,
/// without a notice (the page checks their values: [`Notice::page_value`]).
pub const PAGE_PARAMETERS: [&str; 5] = ["view", "lang", "embed", "map", "flows"];

/// Reads a query string (with or without a leading `?`) onto the default scenario. Parameters
/// named in `reserved` are returned untouched for the caller (view state such as `view=region`).
pub fn decode(query: &str, reserved: &[&str]) -> Decoded {
    let mut notices = Vec::new();
    let mut note = |param: &str, value: &str, said: Message| {
        notices.push(Notice { param: shown(param), value: shown(value), message: said.english(), said });
    };
    let mut query = query.strip_prefix('?').unwrap_or(query);
    if query.len() > MAX_QUERY_LEN {
        let cut = (0..=MAX_QUERY_LEN).rev().find(|&i| query.is_char_boundary(i)).unwrap_or(0);
        note("(query)", "", Message::new("url.too_long").text("max", MAX_QUERY_LEN.to_string()));
        query = &query[..cut];
    }

    // A preset stands for its own parameters, placed before the others so they can override it.
    let mut expanded = String::new();
    for part in query.split('&') {
        if let Some(id) = part.strip_prefix("preset=") {
            let id = unescape(id);
            match crate::data::default_data().scenario_presets.iter().find(|p| p.id == id) {
                Some(preset) => expanded = format!("{}&{expanded}", preset.query),
                None => note(
                    "preset",
                    &id,
                    Message::new("url.unknown_preset").text(
                        "known",
                        ids(crate::data::default_data().scenario_presets.iter().map(|p| p.id.as_str())),
                    ),
                ),
            }
        }
    }
    let rest: Vec<&str> = query.split('&').filter(|p| !p.starts_with("preset=")).collect();
    let joined = format!("{expanded}{}", rest.join("&"));
    let query = joined.as_str();

    // Split into pairs; a repeated key keeps its last value.
    // `(key, value, from a preset)`.
    let mut pairs: Vec<(String, String, bool)> = Vec::new();
    let mut from_preset = expanded.split('&').filter(|p| !p.is_empty()).count();
    for part in query.split('&').filter(|p| !p.is_empty()) {
        let is_preset = from_preset > 0;
        from_preset = from_preset.saturating_sub(1);
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        let (key, value) = (unescape(k), unescape(v));
        if let Some(i) = pairs.iter().position(|(k, _, _)| *k == key) {
            // A parameter overriding its preset's is expected; a repeated one in the link is not.
            if !pairs[i].2 {
                note(
                    &key,
                    &pairs[i].1,
                    Message::new("url.repeated").text("key", key.clone()).text("value", shown(&value)),
                );
            }
            pairs.remove(i);
        }
        pairs.push((key, value, is_preset));
    }

    let has_settings = pairs.iter().any(|(k, _, _)| !reserved.contains(&k.as_str()));
    if has_settings && !pairs.iter().any(|(k, _, _)| k == "v") {
        note("v", "", Message::new("url.no_version").text("version", URL_VERSION.to_string()));
    }
    // Every parameter applied and the result validated once; only a link with a problem is
    // applied again a parameter at a time, each checked, to name what was wrong and keep the rest.
    let (scenario, more, out_reserved) = match apply_pairs(pairs.clone(), reserved, false) {
        (s, more, r) if more.is_empty() && validate(&s).is_empty() => (s, more, r),
        _ => apply_pairs(pairs, reserved, true),
    };
    notices.extend(more);
    Decoded { scenario, notices, reserved: out_reserved }
}

/// Applies the link's parameters to the default scenario: each checked (kept only if the scenario
/// stays valid, with a notice otherwise) or, unchecked, all of them as given. Returns the
/// scenario, the notices and the reserved parameters.
fn apply_pairs(
    mut pairs: Vec<(String, String, bool)>,
    reserved: &[&str],
    checked: bool,
) -> (Scenario, Vec<Notice>, Vec<(String, String)>) {
    let mut notices = Vec::new();
    let mut note = |param: &str, value: &str, said: Message| {
        notices.push(Notice { param: shown(param), value: shown(value), message: said.english(), said });
    };
    let mut s = Scenario::default();
    let mut out_reserved = Vec::new();
    let mut shares: Vec<(String, String, f64)> = Vec::new();
    // Span first, so the budget and shares apply to the right years.
    // The base before everything, since it replaces the whole scenario.
    pairs.sort_by_key(|(k, _, _)| match k.as_str() {
        "v" => 0,
        "base" => 1,
        // The building lifetime before the hardware's, which may not exceed it (and each with its
        // partner where one alone does not fit: [`with_partner`]).
        "start" | "end" | "flife" => 2,
        "policy" => 3,
        _ => 4,
    });
    let number = |key: &str, value: &str| -> Result<f64, Message> {
        match value.trim().parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(v),
            _ => Err(Message::new("url.not_number").text("value", shown(value)).text("key", key)),
        }
    };
    let pairs_seen: Vec<(String, String)> = pairs.iter().map(|(k, v, _)| (k.clone(), v.clone())).collect();
    for (key, value, _) in pairs {
        let key = key.as_str();
        if reserved.contains(&key) {
            out_reserved.push((key.to_string(), value));
            continue;
        }
        match key {
            "v" => match value.trim().parse::<u32>() {
                Ok(URL_VERSION) => {}
                Ok(v) if v > URL_VERSION => note(
                    key,
                    &value,
                    Message::new("url.newer")
                        .text("v", v.to_string())
                        .text("version", URL_VERSION.to_string()),
                ),
                _ => note(
                    key,
                    &value,
                    Message::new("url.unknown_version").text("version", URL_VERSION.to_string()),
                ),
            },
            "start" | "end" => match value.trim().parse::<i32>() {
                Ok(year) => {
                    let mut trial = s.clone();
                    if key == "start" {
                        trial.start_year = year
                    } else {
                        trial.end_year = year
                    }
                    if checked {
                        with_partner(&mut trial, key, &pairs_seen);
                    }
                    apply_if_valid(&mut s, trial, key, &value, &mut note, checked);
                }
                Err(_) => note(
                    key,
                    &value,
                    Message::new("url.not_year").text("value", shown(&value)).text("key", key),
                ),
            },
            "base" => match crate::scenario::base(&value) {
                Some(base) => s = base,
                None => note(
                    key,
                    &value,
                    Message::new("url.unknown_base").text("known", crate::scenario::base_ids().join(", ")),
                ),
            },
            "plan" => {
                let mut purchases = Vec::new();
                for item in value.split(',').filter(|i| !i.is_empty()) {
                    match parse_planned(item) {
                        Ok(p) => {
                            // Each purchase must name what exists; a bad one is left out alone.
                            let mut trial = s.clone();
                            trial.build_out = BuildOut::Planned(vec![p.clone()]);
                            match if checked { validate(&trial).first().cloned() } else { None } {
                                None => purchases.push(p),
                                Some(problem) => {
                                    note(key, item, Message::new("url.left_out").part("why", problem.said))
                                }
                            }
                        }
                        Err(message) => note(key, item, message),
                    }
                }
                s.build_out = BuildOut::Planned(purchases);
            }
            "draws" => match value.trim().parse::<u32>() {
                Ok(draws) => {
                    let mut trial = s.clone();
                    trial.uncertainty.draws = draws;
                    apply_if_valid(&mut s, trial, key, &value, &mut note, checked);
                }
                Err(_) => note(key, &value, Message::new("url.draws")),
            },
            "seed" => match value.trim().parse::<u64>() {
                Ok(seed) => s.uncertainty.seed = seed,
                Err(_) => note(key, &value, Message::new("url.seed").text("max", u64::MAX.to_string())),
            },
            "basis" => match value.as_str() {
                "location" => s.carbon_price_basis = CarbonBasis::Location,
                "market" => s.carbon_price_basis = CarbonBasis::Market,
                _ => note(key, &value, Message::new("url.basis")),
            },
            "siting" => match value.as_str() {
                "announced" => s.siting = Siting::Announced,
                "cheap_clean" => s.siting = Siting::CheapClean,
                _ => note(key, &value, Message::new("url.siting")),
            },
            "redirect" => match value.as_str() {
                "relocate" => s.redirect = Redirect::Relocate,
                "downgrade" => s.redirect = Redirect::Downgrade,
                _ => note(key, &value, Message::new("url.redirect")),
            },
            "policy" => match ExportPolicy::preset(&value) {
                Some(policy) => s.export_policy = policy,
                None => note(
                    key,
                    &value,
                    Message::new("url.unknown_policy").text("known", ExportPolicy::preset_ids().join(", ")),
                ),
            },
            "ban" | "allow" | "cap" => {
                for item in value.split(',').filter(|i| !i.is_empty()) {
                    match parse_cell(key, item) {
                        Ok((f, g, state)) => edit::set_matrix_cell(&mut s.export_policy, f, g, state),
                        Err(message) => note(key, item, message),
                    }
                }
            }
            _ if key.starts_with("share.") => {
                let known = s.providers.iter().map(|p| p.id.as_str());
                let id = match known_id(&key["share.".len()..], known, "url.no_provider") {
                    Ok(id) => id,
                    Err(message) => {
                        note(key, &value, message);
                        continue;
                    }
                };
                match number(key, &value) {
                    Ok(v) if (0.0..=100.0).contains(&v) => shares.push((id.to_string(), value.clone(), v)),
                    Ok(_) => note(key, &value, Message::new("url.share_range")),
                    Err(message) => note(key, &value, message),
                }
            }
            _ if key.starts_with("price.") => {
                let known = s.regions.iter().map(|r| r.id.as_str());
                let id = match known_id(&key["price.".len()..], known, "url.no_region") {
                    Ok(id) => id,
                    Err(message) => {
                        note(key, &value, message);
                        continue;
                    }
                };
                match number(key, &value) {
                    Ok(v) => {
                        let mut trial = s.clone();
                        trial.price_overrides_usd_per_mwh.insert(id.to_string(), v);
                        apply_if_valid(&mut s, trial, key, &value, &mut note, checked);
                    }
                    Err(message) => note(key, &value, message),
                }
            }
            _ => match params::by_url(key) {
                Some(p) => match number(key, &value) {
                    Ok(v) => {
                        let mut trial = s.clone();
                        (p.set)(&mut trial, p.from_display(v));
                        if checked {
                            with_partner(&mut trial, key, &pairs_seen);
                        }
                        apply_if_valid(&mut s, trial, key, &value, &mut note, checked);
                    }
                    Err(message) => note(key, &value, message),
                },
                None => {
                    const OTHERS: [&str; 16] = [
                        "v", "base", "preset", "start", "end", "draws", "seed", "basis", "redirect",
                        "siting", "policy", "ban", "allow", "cap", "plan", "view",
                    ];
                    let shares = s.providers.iter().map(|p| format!("share.{}", p.id));
                    let prices = s.regions.iter().map(|r| format!("price.{}", r.id));
                    let known: Vec<String> =
                        (OTHERS.iter().copied().chain(PARAMS.iter().filter_map(|p| p.url)))
                            .map(|k| k.to_string())
                            .chain(shares)
                            .chain(prices)
                            .collect();
                    let message = match closest(key, known.iter().map(String::as_str)) {
                        Some(name) => Message::new("url.unknown_closest").text("name", name),
                        None => Message::new("url.unknown"),
                    };
                    note(key, &value, message)
                }
            },
        }
    }

    if !shares.is_empty() {
        apply_shares(&mut s, &shares, &mut note, checked);
    }
    (s, notices, out_reserved)
}

/// `id` if it is one of `known`; otherwise a message naming the ones that exist (`what`s).
fn known_id<'i, 'k>(
    id: &'i str,
    known: impl Iterator<Item = &'k str> + Clone,
    what: &'static str,
) -> Result<&'i str, Message> {
    if known.clone().any(|k| k == id) {
        Ok(id)
    } else if let Some(name) = closest(id, known.clone()) {
        Err(Message::new(what)
            .text("id", shown(id))
            .part("hint", Message::new("url.closest").text("name", name)))
    } else {
        Err(Message::new(what)
            .text("id", shown(id))
            .part("hint", Message::new("url.known").text("known", ids(known))))
    }
}

/// The known name closest to `given` if it is close enough to be a slip of the keyboard: at most
/// a third of its letters wrong (one at least, three at most), or one name the start of the other.
fn closest<'k>(given: &str, known: impl Iterator<Item = &'k str>) -> Option<&'k str> {
    let given = given.to_lowercase();
    known
        .filter_map(|k| {
            let distance = strsim::damerau_levenshtein(&given, &k.to_lowercase());
            let allowed = (given.chars().count().max(k.chars().count()) / 3).clamp(1, 3);
            let prefix = given.len() >= 3 && k.len() >= 3 && (k.starts_with(&given) || given.starts_with(k));
            (distance <= allowed || prefix).then_some((distance, k))
        })
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, k)| k)
}

fn ids<'a>(ids: impl Iterator<Item = &'a str>) -> String {
    ids.collect::<Vec<_>>().join(", ")
}

/// Parameters whose valid values depend on each other: the span's two ends, and the two
/// lifetimes (buildings outlive the hardware).
const PARTNERS: [(&str, &str); 2] = [("start", "end"), ("flife", "life")];

/// Where `trial` (with `key` just set) does not validate and the link also sets `key`'s partner,
/// sets the partner too if that makes it valid: `start=2090&end=2100` and `life=1&flife=1` are
/// read as one change, whichever comes first.
fn with_partner(trial: &mut Scenario, key: &str, pairs: &[(String, String)]) {
    let Some(partner) = PARTNERS.iter().find_map(|&(a, b)| match key {
        k if k == a => Some(b),
        k if k == b => Some(a),
        _ => None,
    }) else {
        return;
    };
    let Some(value) =
        pairs.iter().find(|(k, _)| k == partner).and_then(|(_, v)| v.trim().parse::<f64>().ok())
    else {
        return;
    };
    let Some(p) = params::by_url(partner) else { return };
    if validate(trial).is_empty() {
        return;
    }
    let mut both = trial.clone();
    (p.set)(&mut both, p.from_display(value));
    if validate(&both).is_empty() {
        *trial = both;
    }
}

/// Keeps `trial` if it validates; otherwise notes the first problem and keeps `s`.
fn apply_if_valid(
    s: &mut Scenario,
    trial: Scenario,
    key: &str,
    value: &str,
    note: &mut impl FnMut(&str, &str, Message),
    checked: bool,
) {
    if !checked {
        *s = trial;
        return;
    }
    let problems: Vec<Problem> = validate(&trial);
    match problems.first() {
        None => *s = trial,
        Some(p) => {
            note(key, value, Message::new("url.out_of_range").part("why", p.said.clone()).text("key", key))
        }
    }
}

fn parse_cell(key: &str, item: &str) -> Result<(Family, ExportGroup, CellState), Message> {
    let mut parts = item.split(':');
    let (Some(f), Some(g)) = (parts.next(), parts.next()) else {
        return Err(Message::new("url.cell"));
    };
    let family = Family::from_id(f).ok_or_else(|| {
        Message::new("url.no_family")
            .text("id", shown(f))
            .text("known", ids(Family::ALL.iter().map(|f| f.id())))
    })?;
    let group = ExportGroup::from_id(g).ok_or_else(|| {
        Message::new("url.no_group")
            .text("id", shown(g))
            .text("known", ids(ExportGroup::ALL.iter().map(|g| g.id())))
    })?;
    let state = match key {
        "ban" => CellState::Ban,
        "allow" => CellState::Allow,
        _ => match parts.next().map(str::parse::<f64>) {
            Some(Ok(v)) if v.is_finite() && (0.0..=1.0e9).contains(&v) => {
                CellState::Cap { h100e_per_year: v }
            }
            _ => return Err(Message::new("url.cap")),
        },
    };
    if parts.next().is_some() {
        return Err(Message::new("url.parts"));
    }
    Ok((family, group, state))
}

/// Applies share parameters to the share year: named providers take their values and the others
/// make room in proportion, as the share sliders do ([`edit::shares_with_named`]).
fn apply_shares(
    s: &mut Scenario,
    shares: &[(String, String, f64)],
    note: &mut impl FnMut(&str, &str, Message),
    checked: bool,
) {
    let total: f64 = shares.iter().map(|(_, _, v)| v).sum();
    if total <= 0.0 && shares.len() >= s.providers.len() {
        note("share.*", "", Message::new("url.shares_zero"));
        return;
    }
    let year = edit::target_share_year(s);
    let named: Vec<(String, f64)> = shares.iter().map(|(id, _, v)| (id.clone(), *v)).collect();
    let (values, rescaled) = edit::shares_with_named(&edit::shares_in(s, year), &named);
    if rescaled.is_some() {
        let said = Message::new("url.shares_rescaled").written("sum", format!("{total}"));
        note("share.*", &format!("{total}"), said);
    }
    let mut trial = s.clone();
    edit::set_shares(&mut trial, year, &values);
    apply_if_valid(s, trial, "share.*", "", note, checked);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_is_just_the_version() {
        assert_eq!(encode(&Scenario::default()), "v=1");
        let d = decode("v=1", &[]);
        assert_eq!(d.scenario, Scenario::default());
        assert!(d.notices.is_empty());
    }

    #[test]
    fn readable_parameters_round_trip() {
        let mut s = Scenario::default();
        s.energy_cost_multiplier = 1.5;
        s.carbon_price_usd_per_t = 85.0;
        s.end_year = 2035;
        s.price_overrides_usd_per_mwh.insert("ireland".into(), 150.0);
        let (_, shares) = edit::rebalance_shares(&edit::shares_in(&s, 2026), "aws", 60.0, &[]);
        edit::set_shares(&mut s, 2026, &shares);
        edit::set_matrix_cell(&mut s.export_policy, Family::Hopper, ExportGroup::MiddleTier, CellState::Ban);
        let query = encode(&s);
        assert!(query.starts_with("v=1&end=2035&energy=1.5&carbon=85"), "{query}");
        assert!(query.contains("ban=hopper:middle_tier"), "{query}");
        assert!(query.contains("share.aws=60"), "{query}");
        assert!(query.contains("price.ireland=150"), "{query}");
        let d = decode(&format!("?{query}"), &[]);
        assert!(d.notices.is_empty(), "{:?}", d.notices);
        assert_eq!(encode(&d.scenario), query);
        assert_eq!(d.scenario.energy_cost_multiplier, 1.5);
        assert_eq!(d.scenario.provider_shares_pct[&2026]["aws"], 60.0);
    }

    #[test]
    fn a_preset_and_a_one_click_ban() {
        let d = decode("v=1&policy=none&ban=blackwell:embargoed,blackwell_ultra:embargoed", &[]);
        assert!(d.notices.is_empty(), "{:?}", d.notices);
        assert_eq!(
            edit::matrix_cell(&d.scenario.export_policy, Family::Blackwell, ExportGroup::Embargoed, 2030),
            CellState::Ban
        );
        assert_eq!(
            edit::matrix_cell(&d.scenario.export_policy, Family::Hopper, ExportGroup::Embargoed, 2030),
            CellState::Allow
        );
        // The Blackwell row covers Blackwell Ultra, so the link writes one cell.
        assert_eq!(encode(&d.scenario), "v=1&policy=none&ban=blackwell:embargoed");
        let short = decode("v=1&policy=none&ban=blackwell:embargoed", &[]);
        assert_eq!(
            edit::matrix_cell(
                &short.scenario.export_policy,
                Family::BlackwellUltra,
                ExportGroup::Embargoed,
                2030
            ),
            CellState::Ban
        );
    }

    #[test]
    fn bad_parameters_are_reported_and_the_rest_applied() {
        let d = decode(
            "v=9&energy=abc&carbon=-5&util=0.5&nonsense=1&share.nobody=5&price.atlantis=3&ban=pascal:embargoed&energy=2&cap=hopper:middle_tier&redirect=sideways",
            &["view"],
        );
        assert_eq!(d.scenario.utilisation, 0.5, "valid parameters apply");
        assert_eq!(d.scenario.energy_cost_multiplier, 2.0, "the last of a repeated key wins");
        assert_eq!(d.scenario.carbon_price_usd_per_t, 0.0, "out of range keeps the default");
        let params: Vec<&str> = d.notices.iter().map(|n| n.param.as_str()).collect();
        for p in
            ["v", "energy", "carbon", "nonsense", "share.nobody", "price.atlantis", "ban", "cap", "redirect"]
        {
            assert!(params.contains(&p), "{p} missing from {params:?}");
        }
        assert!(validate(&d.scenario).is_empty());
    }

    #[test]
    fn presets_are_links_and_can_be_overridden() {
        for preset in &crate::data::default_data().scenario_presets {
            let d = decode(&format!("preset={}", preset.id), &[]);
            assert!(d.notices.is_empty(), "{}: {:?}", preset.id, d.notices);
            assert!(validate(&d.scenario).is_empty(), "{}", preset.id);
            let again = decode(&preset.query, &[]);
            assert_eq!(d.scenario, again.scenario, "{}", preset.id);
            let expected =
                if preset.query == "v=1" { "v=1".to_string() } else { format!("v=1&preset={}", preset.id) };
            assert_eq!(encode(&d.scenario), expected);
        }
        let d = decode("preset=efficient-models&gain=5", &[]);
        assert!(d.notices.is_empty(), "overriding a preset's parameter is not a repeat: {:?}", d.notices);
        assert_eq!(d.scenario.inference_efficiency_gain, 5.0);
        let d = decode("preset=nope", &[]);
        assert_eq!(d.notices[0].param, "preset");
        assert_eq!(decode("siting=cheap_clean", &[]).scenario.siting, Siting::CheapClean);
    }

    #[test]
    fn a_base_scenario_is_a_parameter_and_the_rest_apply_to_it() {
        let world = crate::scenario::base("world").expect("the data set has the world base");
        let d = decode("v=1&energy=2&base=world&share.conventional=40&share.other_ai=60", &[]);
        assert!(d.notices.is_empty(), "{:?}", d.notices);
        assert_eq!(d.scenario.starting_fleet, world.starting_fleet, "the base replaces the default first");
        assert_eq!(d.scenario.base, "world", "the scenario carries its base");
        assert_eq!(d.scenario.energy_cost_multiplier, 2.0);
        assert_eq!(
            d.scenario.provider_shares_pct[&2030]["conventional"], 40.0,
            "shares edit the base's year"
        );
        let query = encode(&d.scenario);
        assert!(query.starts_with("v=1&base=world&energy=2"), "{query}");
        assert_eq!(decode(&query, &[]).scenario, d.scenario);
        assert_eq!(encode(&world), "v=1&preset=world", "the bare base is its preset");

        let d = decode("v=1&base=mars&energy=2", &[]);
        assert_eq!(d.notices.len(), 1);
        assert!(d.notices[0].message.contains("world"), "{:?}", d.notices);
        assert_eq!(d.scenario.energy_cost_multiplier, 2.0, "the rest still applies to the default");
    }

    #[test]
    fn a_plan_is_a_parameter_and_bad_items_are_left_out_alone() {
        let mut s = Scenario::default();
        s.energy_cost_multiplier = 1.5;
        s.build_out = BuildOut::Planned(vec![
            PlannedPurchase {
                year: 2027,
                provider: "aws".into(),
                region: "us_east".into(),
                accelerator: "gb300".into(),
                capital_usd_b: 12.345,
            },
            PlannedPurchase {
                year: 2030,
                provider: "azure".into(),
                region: "ireland".into(),
                accelerator: "gb200".into(),
                capital_usd_b: 0.5,
            },
        ]);
        let query = encode(&s);
        assert_eq!(query, "v=1&energy=1.5&plan=2027:aws:us_east:gb300:12.345,2030:azure:ireland:gb200:0.5");
        let d = decode(&query, &[]);
        assert!(d.notices.is_empty(), "{:?}", d.notices);
        assert_eq!(d.scenario, s);

        let d = decode(
            "v=1&plan=2027:aws:us_east:gb300:10,2027:nobody:us_east:gb300:1,2027:aws:x,2027:aws:us_east:h100:-1",
            &[],
        );
        let BuildOut::Planned(kept) = &d.scenario.build_out else { panic!("a plan") };
        assert_eq!(kept.len(), 1);
        assert_eq!(d.notices.len(), 3, "{:?}", d.notices);
        assert!(d.notices[0].message.contains("left out"), "{:?}", d.notices[0]);
        assert!(validate(&d.scenario).is_empty());
    }

    #[test]
    fn one_share_in_a_link_rebalances_the_others_as_the_slider_does() {
        let d = decode("v=1&share.aws=80", &[]);
        assert!(d.notices.is_empty(), "{:?}", d.notices);
        let year = edit::target_share_year(&d.scenario);
        let before = edit::shares_in(&Scenario::default(), year);
        let after = edit::shares_in(&d.scenario, year);
        assert_eq!(after, edit::rebalance_shares(&before, "aws", 80.0, &[]).1);
        let azure = |s: &[(String, f64)]| s.iter().find(|(id, _)| id == "azure").unwrap().1;
        assert!(azure(&after) > 0.0, "Azure makes room rather than vanishing");
    }

    #[test]
    fn notices_are_plain_text_and_suggest_the_closest_name() {
        let d = decode("v=1&enrgy=2&share.asw=50&price.irland=90&polcy=none&zzz=1", &[]);
        let messages: Vec<&str> = d.notices.iter().map(|n| n.message.as_str()).collect();
        assert!(messages[0].contains("did you mean “energy”"), "{messages:?}");
        assert!(messages[1].contains("did you mean “aws”"), "{messages:?}");
        assert!(messages[2].contains("did you mean “ireland”"), "{messages:?}");
        assert!(messages[3].contains("did you mean “policy”"), "{messages:?}");
        assert_eq!(messages[4], "unknown parameter, ignored");
        // No markup in any notice, whatever went wrong.
        let bad = "v=7&start=x&end=1900&energy=abc&carbon=-5&basis=x&siting=x&redirect=x&policy=x\
                   &ban=x:y&cap=hopper:us:x&share.x=1&price.x=1&plan=1:2&draws=x&seed=-1&energy=2&base=x";
        for n in decode(bad, &[]).notices {
            assert!(!n.message.contains('`'), "{}", n.message);
        }
    }

    #[test]
    fn a_link_without_a_version_says_how_it_was_read() {
        let d = decode("energy=2", &[]);
        assert_eq!(d.scenario.energy_cost_multiplier, 2.0);
        assert_eq!(d.notices.len(), 1);
        assert!(d.notices[0].message.contains("read as format 1"));
        // An empty link or one with view state only is not a link with settings.
        assert!(decode("", &[]).notices.is_empty());
        assert!(decode("view=region", &["view"]).notices.is_empty());
    }

    #[test]
    fn shares_off_100_are_rescaled_with_a_notice() {
        let d = decode("v=1&share.azure=60&share.aws=60", &[]);
        assert_eq!(d.scenario.provider_shares_pct[&2026]["azure"], 50.0);
        assert_eq!(d.notices.len(), 1);
        assert!(d.notices[0].message.contains("120"));
    }

    #[test]
    fn reserved_keys_go_to_the_caller_and_escapes_decode() {
        let d = decode("view=region&energy=1%2E5", &["view"]);
        assert_eq!(d.reserved, vec![("view".to_string(), "region".to_string())]);
        assert_eq!(d.scenario.energy_cost_multiplier, 1.5);
        assert_eq!(unescape("%3Cb%3E+x%zz%"), "<b> x%zz%");
        assert_eq!(escape("<b>"), "%3Cb%3E");
    }
}
