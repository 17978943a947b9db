//! The control panels: grouped, labelled sliders with units and current values, the export-control
//! preset picker and matrix, provider-share sliders with locks, and per-region electricity prices.
//!
//! Building the panels binds every input to a [`Msg`]; [`Controls::sync`] writes the scenario's
//! values back into the inputs (after a reset, a preset, or a rebalance of shares). What an input
//! does to the scenario is in [`SliderSpec`] and in `atlas_core::edit`, not in event handlers.

use std::rc::Rc;

use atlas_core::edit::{self, CellState};
use atlas_core::params::{self, Param, ParamId, Slider};
use atlas_core::policy::{ExportGroup, Family};
use atlas_core::scenario::ExportPolicy;
use atlas_core::{Problem, Scenario};
use wasm_bindgen::prelude::*;
use web_sys::{Element, Event, HtmlButtonElement, HtmlElement, HtmlInputElement, HtmlSelectElement};

use crate::dom;
use crate::i18n::{self, k, t, tf};
use crate::msg::Msg;

/// Which panel a slider sits in (indices into [`SLIDERS`]).
const ENERGY: [usize; 3] = [0, 1, 2];
const BUILD: [usize; 10] = [3, 4, 11, 12, 5, 6, 7, 8, 9, 10];
const EXPORT: [usize; 2] = [13, 14];

/// Every scalar slider, by its entry in the core's parameter table (range, step, label, unit,
/// how it reads and writes the scenario); the panels above place them.
pub static SLIDERS: [ParamId; 15] = [
    ParamId::EnergyCost,
    ParamId::CarbonPrice,
    ParamId::GridPace,
    ParamId::BudgetTotal,
    ParamId::Lifetime,
    ParamId::Utilisation,
    ParamId::InferenceGain,
    ParamId::InferenceShare,
    ParamId::EndYear,
    ParamId::TrendPerWatt,
    ParamId::TrendPerUsd,
    ParamId::FacilityLifetime,
    ParamId::CostOfCapital,
    ParamId::DomesticSupply,
    ParamId::Leakage,
];

/// A slider's parameter, its range and step (display unit).
pub(crate) fn slider_of(id: ParamId) -> (&'static Param, Slider) {
    let p = params::param(id);
    let fallback =
        Slider { min: p.valid.0, max: p.valid.1, step: 0.0, why_narrower: "", grows_with_base: false };
    (p, p.slider.unwrap_or(fallback))
}

/// A slider's value in `s`, in its display unit (`None` where it does not apply).
pub(crate) fn shown_value(p: &Param, s: &Scenario) -> Option<f64> {
    (p.get)(s).map(|v| p.display(v))
}

/// Writes slider `id`'s display value `v` into `s`.
pub fn set_slider(s: &mut Scenario, id: ParamId, v: f64) {
    let p = params::param(id);
    (p.set)(s, p.from_display(v));
}

/// One slider's elements.
struct SliderView {
    input: HtmlInputElement,
    value: Element,
    default: Element,
    error: Element,
}

/// Handles on every input, for writing values back.
pub struct Controls {
    sliders: Vec<SliderView>,
    shares: Vec<SliderView>,
    locks: Vec<HtmlButtonElement>,
    share_total: Element,
    share_year: Element,
    prices: Vec<SliderView>,
    preset: HtmlSelectElement,
    cells: Vec<(Family, ExportGroup, HtmlButtonElement)>,
    /// Says which groups nobody builds in, whose controls change nothing here.
    idle_note: HtmlElement,
    /// Lists the policy's exceptions for single models or regions, which no cell shows.
    exceptions_note: HtmlElement,
    cap: SliderView,
    general_error: Element,
    scenario_preset: HtmlSelectElement,
    scenario_about: Element,
    /// The base scenario the defaults under the sliders are shown for.
    base: std::cell::Cell<&'static str>,
}

pub(crate) type Send = Rc<dyn Fn(Msg, f64)>;

fn group(parent: &Element, title: &str, note: &str) -> Result<Element, JsValue> {
    let section: Element = dom::create("section", "group")?;
    dom::add_text(&section, "h2", "", title)?;
    if !note.is_empty() {
        dom::add_text(&section, "p", "group-note", note)?;
    }
    parent.append_child(&section)?;
    Ok(section)
}

/// A labelled range input; `on_input` receives the new value and the event's time stamp.
///
/// Beside the read-out, a button opens a field where the value can be typed instead of dragged
/// (WCAG 2.5.7): anything in `typed` (the valid range, in the display unit, which may reach past
/// the slider's), applied with Enter or Set as one step, like a released slider; Escape closes it.
fn slider(
    parent: &Element,
    id: &str,
    label: &str,
    (min, max, step): (f64, f64, f64),
    typed: (f64, f64),
    default_text: &str,
    on_input: impl Fn(f64, f64) + 'static,
) -> Result<SliderView, JsValue> {
    let wrap: Element = dom::create("div", "control")?;
    let head: Element = dom::create("div", "control-head")?;
    let lab = dom::create_text("label", "", label)?;
    lab.set_attribute("for", &format!("ctl-{id}"))?;
    let value = dom::create_text("output", "control-value", "")?;
    value.set_attribute("for", &format!("ctl-{id}"))?;
    let edit: HtmlButtonElement = dom::create("button", "type-value")?;
    edit.set_type("button");
    edit.set_id(&format!("type-{id}"));
    edit.set_text_content(Some("✎"));
    edit.set_attribute("aria-label", &tf(k::TYPED_OPEN, &[("label", label)]))?;
    edit.set_attribute("title", t(k::TYPED_OPEN_TITLE))?;
    edit.set_attribute("aria-expanded", "false")?;
    edit.set_attribute("aria-controls", &format!("typed-form-{id}"))?;
    dom::append(&head, &[&lab, &value, &edit])?;
    let input: HtmlInputElement = dom::create("input", "")?;
    input.set_type("range");
    input.set_id(&format!("ctl-{id}"));
    input.set_min(&min.to_string());
    input.set_max(&max.to_string());
    input.set_step(&step.to_string());
    input.set_attribute("data-field", id)?;
    let form: HtmlElement = dom::create("form", "typed")?;
    form.set_id(&format!("typed-form-{id}"));
    form.set_hidden(true);
    let number: HtmlInputElement = dom::create("input", "")?;
    number.set_type("number");
    number.set_id(&format!("typed-{id}"));
    number.set_step("any");
    number.set_attribute("inputmode", "decimal")?;
    let (lo, hi) = typed;
    // Plain numbers, as they would be typed (with separators from a thousand on).
    let plain = |v: f64| if v.abs() >= 1000.0 { i18n::value(v) } else { i18n::localise(&format!("{v}")) };
    let range_text = tf(k::TYPED_RANGE, &[("low", &plain(lo)), ("high", &plain(hi))]);
    number.set_attribute("aria-label", &tf(k::TYPED_FIELD, &[("label", label), ("range", &range_text)]))?;
    let set = dom::create_text("button", "secondary", t(k::TYPED_SET))?;
    set.set_attribute("type", "submit")?;
    // Its own message line: a frame's validation messages do not clear it.
    let refused = dom::create_text("div", "control-error", "")?;
    refused.set_attribute("role", "alert")?;
    refused.set_id(&format!("typed-err-{id}"));
    number.set_attribute("aria-describedby", &format!("typed-err-{id}"))?;
    dom::append(&form, &[&number, &set, &refused])?;
    let default = dom::create_text("div", "control-default", default_text)?;
    let error = dom::create_text("div", "control-error", "")?;
    error.set_attribute("role", "alert")?;
    error.set_id(&format!("err-{id}"));
    input.set_attribute("aria-describedby", &format!("err-{id}"))?;
    dom::append(&wrap, &[&head, &input, &form, &default, &error])?;
    parent.append_child(&wrap)?;
    let on_input = Rc::new(on_input);
    let (target, dragged) = (input.clone(), on_input.clone());
    dom::listen(&input, "input", move |e: Event| {
        if let Ok(v) = target.value().parse::<f64>() {
            dragged(v, e.time_stamp());
        }
    })?;
    let close = {
        let (form, edit) = (form.clone(), edit.clone());
        move || {
            form.set_hidden(true);
            let _ = edit.set_attribute("aria-expanded", "false");
            let _ = edit.focus();
        }
    };
    {
        let (form, number, slider, edit_open) = (form.clone(), number.clone(), input.clone(), edit.clone());
        dom::listen(&edit, "click", move |_: Event| {
            let open = form.hidden();
            form.set_hidden(!open);
            let _ = edit_open.set_attribute("aria-expanded", if open { "true" } else { "false" });
            if open {
                number.set_value(&slider.value());
                let _ = number.focus();
                number.select();
            }
        })?;
    }
    {
        let (number, slider, error, close) = (number.clone(), input.clone(), refused.clone(), close.clone());
        dom::listen(&form, "submit", move |e: Event| {
            e.prevent_default();
            match number.value().trim().parse::<f64>() {
                Ok(v) if (lo..=hi).contains(&v) => {
                    dom::set_text(&error, "");
                    on_input(v, e.time_stamp());
                    // A typed value is one step, as a released slider is.
                    let init = web_sys::EventInit::new();
                    init.set_bubbles(true);
                    if let Ok(change) = Event::new_with_event_init_dict("change", &init) {
                        let _ = slider.dispatch_event(&change);
                    }
                    close();
                }
                _ => dom::set_text(&error, &tf(k::TYPED_REFUSED, &[("range", &range_text)])),
            }
        })?;
    }
    dom::listen(&number, "keydown", move |e: web_sys::KeyboardEvent| {
        if e.key() == "Escape" {
            e.prevent_default();
            close();
        }
    })?;
    Ok(SliderView { input, value, default, error })
}

/// Fills a policy menu: every preset by name, then a disabled `custom` entry labelled `custom`
/// (shown when the rules match no preset).
pub(crate) fn policy_options(menu: &HtmlSelectElement, custom: &str) -> Result<(), JsValue> {
    for id in ExportPolicy::preset_ids() {
        let name = atlas_core::data::default_data()
            .export_policies
            .iter()
            .find(|p| p.id == id)
            .map_or(id.to_string(), |p| i18n::data_name("policy", &p.id, &p.name));
        dom::add_text(menu, "option", "", &name)?.set_attribute("value", id)?;
    }
    let option = dom::add_text(menu, "option", "", custom)?;
    option.set_attribute("value", "custom")?;
    option.set_attribute("disabled", "")?;
    Ok(())
}

/// The export matrix as a grid for the keyboard: one cell in the tab order, the arrow keys move
/// between cells (Home and End along a row), the row and column headers name each cell to a
/// screen reader. `cells` are row by row, `columns` to a row.
fn grid_keys(table: &Element, cells: Vec<HtmlButtonElement>, columns: usize) -> Result<(), JsValue> {
    table.set_attribute("role", "grid")?;
    table.set_attribute("aria-label", t(k::CONTROLS_MATRIX_LABEL))?;
    for (i, cell) in cells.iter().enumerate() {
        cell.set_attribute("tabindex", if i == 0 { "0" } else { "-1" })?;
    }
    let rows = cells.len() / columns.max(1);
    dom::listen(table, "keydown", move |e: web_sys::KeyboardEvent| {
        let Some(target) = e.target().and_then(|t| t.dyn_into::<HtmlButtonElement>().ok()) else { return };
        let Some(i) = cells.iter().position(|b| *b == target) else { return };
        let (r, c) = (i / columns, i % columns);
        let (r, c) = match e.key().as_str() {
            "ArrowRight" => (r, (c + 1).min(columns - 1)),
            "ArrowLeft" => (r, c.saturating_sub(1)),
            "ArrowDown" => ((r + 1).min(rows - 1), c),
            "ArrowUp" => (r.saturating_sub(1), c),
            "Home" => (r, 0),
            "End" => (r, columns - 1),
            _ => return,
        };
        e.prevent_default();
        let next = r * columns + c;
        for (k, cell) in cells.iter().enumerate() {
            let _ = cell.set_attribute("tabindex", if k == next { "0" } else { "-1" });
        }
        let _ = cells[next].focus();
    })
}

impl Controls {
    /// Builds every panel into `#controls` for scenario `s`; `default` gives the default values
    /// shown under each slider.
    pub fn build(s: &Scenario, default: &Scenario, send: Send) -> Result<Controls, JsValue> {
        let root: Element = dom::by_id("controls")?;
        if let Ok(loading) = dom::by_id::<Element>("loading") {
            loading.remove();
        }
        let general_error = dom::create_text("div", "control-error", "")?;
        general_error.set_attribute("role", "alert")?;
        root.append_child(&general_error)?;

        let mut sliders: Vec<Option<SliderView>> = (0..SLIDERS.len()).map(|_| None).collect();
        let mut add = |section: &Element, i: usize| -> Result<(), JsValue> {
            let id = SLIDERS[i];
            let (p, range) = slider_of(id);
            let default_text = default_line(p, default);
            let send = send.clone();
            let view = slider(
                section,
                p.key,
                i18n::param_label(p),
                (range.min, range.max, range.step),
                p.valid_display(),
                &default_text,
                move |v, t| send(Msg::Slider(id, v), t),
            )?;
            // Where the slider stops inside the valid range, the range and the reason are the
            // default line's tooltip.
            if !range.why_narrower.is_empty() {
                let (lo, hi) = p.valid_display();
                let show = |v| i18n::param_value(p, v);
                let note = tf(
                    k::CONTROLS_NARROWER,
                    &[
                        ("low", &show(range.min)),
                        ("high", &show(range.max)),
                        ("why", &i18n::param_narrower(p)),
                        ("valid_low", &show(lo)),
                        ("valid_high", &show(hi)),
                    ],
                );
                view.default.set_attribute("title", &note)?;
            }
            sliders[i] = Some(view);
            Ok(())
        };

        let presets = group(&root, t(k::CONTROLS_GROUP_SCENARIO), "")?;
        let scenario_label = dom::add_text(&presets, "label", "", t(k::CONTROLS_START_FROM))?;
        scenario_label.set_attribute("for", "ctl-scenario")?;
        let scenario_preset: HtmlSelectElement = dom::create("select", "")?;
        scenario_preset.set_id("ctl-scenario");
        for preset in &atlas_core::data::default_data().scenario_presets {
            dom::add_text(
                &scenario_preset,
                "option",
                "",
                &i18n::data_name("preset", &preset.id, &preset.name),
            )?
            .set_attribute("value", &preset.id)?;
        }
        dom::add_text(&scenario_preset, "option", "", t(k::CONTROLS_OWN_SCENARIO))?
            .set_attribute("value", "")?;
        presets.append_child(&scenario_preset)?;
        let scenario_about = dom::add_text(&presets, "p", "group-note preset-about", "")?;
        {
            let send = send.clone();
            let target = scenario_preset.clone();
            dom::listen(&scenario_preset, "change", move |e: Event| {
                if !target.value().is_empty() {
                    send(Msg::ScenarioPreset(target.value()), e.time_stamp());
                }
            })?;
        }

        let energy = group(&root, t(k::CONTROLS_GROUP_ENERGY), "")?;
        for i in ENERGY {
            add(&energy, i)?;
        }
        let details: Element = dom::create("details", "assumptions")?;
        dom::add_text(&details, "summary", "", t(k::CONTROLS_PRICES))?;
        energy.append_child(&details)?;
        let mut prices = Vec::new();
        for (r, region) in s.regions.iter().enumerate() {
            let send = send.clone();
            let default_text = default
                .regions
                .get(r)
                .map(|d| tf(k::CONTROLS_DEFAULT, &[("value", &price_text(d.price_usd_per_mwh))]))
                .unwrap_or_default();
            prices.push(slider(
                &details,
                &format!("price-{}", region.id),
                &i18n::data_name("region", &region.id, &region.name),
                (0.0, 400.0, 1.0),
                atlas_core::limits::PRICE_USD_PER_MWH,
                &default_text,
                move |v, t| send(Msg::RegionPrice(r, v), t),
            )?);
        }

        let export = group(&root, t(k::CONTROLS_GROUP_EXPORT), t(k::CONTROLS_EXPORT_NOTE))?;
        let preset: HtmlSelectElement = dom::create("select", "")?;
        preset.set_id("ctl-policy");
        let preset_label = dom::create_text("label", "", t(k::CONTROLS_POLICY))?;
        preset_label.set_attribute("for", "ctl-policy")?;
        policy_options(&preset, t(k::CONTROLS_POLICY_CUSTOM))?;
        dom::append(&export, &[&preset_label, &preset])?;
        {
            let send = send.clone();
            let target = preset.clone();
            dom::listen(&preset, "change", move |e: Event| {
                send(Msg::Preset(target.value()), e.time_stamp())
            })?;
        }
        let mut cells = Vec::new();
        let table = dom::family_group_table(
            "matrix",
            |g| {
                (
                    i18n::data_name("group_short", g.id(), g.short_label()),
                    i18n::data_name("group", g.id(), g.label()),
                )
            },
            |td, f, g| {
                let button: HtmlButtonElement = dom::create("button", "cell")?;
                button.set_type("button");
                button.set_attribute("data-family", f.id())?;
                button.set_attribute("data-group", g.id())?;
                let send = send.clone();
                dom::listen(&button, "click", move |e: Event| send(Msg::Cell(f, g), e.time_stamp()))?;
                td.append_child(&button)?;
                cells.push((f, g, button));
                Ok(())
            },
        )?;
        export.append_child(&table)?;
        grid_keys(&table, cells.iter().map(|(_, _, b)| b.clone()).collect(), ExportGroup::ALL.len())?;
        dom::add_text(&export, "p", "matrix-legend", t(k::CONTROLS_MATRIX_LEGEND))?;
        let exceptions_note: HtmlElement = dom::create("p", "group-note matrix-exceptions")?;
        exceptions_note.set_id("matrix-exceptions");
        export.append_child(&exceptions_note)?;
        let idle_note: HtmlElement = dom::create("p", "matrix-idle")?;
        idle_note.set_id("matrix-idle");
        idle_note.set_attribute("role", "status")?;
        idle_note.set_hidden(true);
        export.append_child(&idle_note)?;
        let cap_send = send.clone();
        let cap = slider(
            &export,
            "cap_h100e_per_year",
            t(k::CONTROLS_CAP),
            (0.0, 200_000.0, 1000.0),
            (0.0, atlas_core::limits::CAP_H100E_PER_YEAR),
            &tf(k::CONTROLS_CAP_DEFAULT, &[("cap", &i18n::value(edit::DEFAULT_CAP_H100E_PER_YEAR))]),
            move |v, t| cap_send(Msg::CapValue(v), t),
        )?;
        dom::add_text(&export, "p", "group-note", t(k::CONTROLS_ASCEND))?;
        for i in EXPORT {
            add(&export, i)?;
        }

        let shares_group = group(&root, t(k::CONTROLS_GROUP_SHARES), "")?;
        let share_year = dom::create_text("p", "group-note", "")?;
        shares_group.append_child(&share_year)?;
        let mut shares = Vec::new();
        let mut locks = Vec::new();
        for (p, provider) in s.providers.iter().enumerate() {
            let row: Element = dom::create("div", "share-row")?;
            let swatch: HtmlElement = dom::create("span", "swatch")?;
            swatch.style().set_property("background", &provider.colour)?;
            swatch.set_attribute("aria-hidden", "true")?;
            let cell: Element = dom::create("div", "")?;
            let send_share = send.clone();
            let view = slider(
                &cell,
                &format!("share-{}", provider.id),
                &i18n::data_name("provider", &provider.id, &provider.name),
                (0.0, 100.0, 1.0),
                (0.0, 100.0),
                "",
                move |v, t| send_share(Msg::Share(p, v), t),
            )?;
            let lock: HtmlButtonElement = dom::create("button", "lock")?;
            lock.set_type("button");
            lock.set_id(&format!("lock-{}", provider.id));
            lock.set_attribute("aria-pressed", "false")?;
            let name = i18n::data_name("provider", &provider.id, &provider.name);
            lock.set_attribute("aria-label", &tf(k::CONTROLS_LOCK_LABEL, &[("name", &name)]))?;
            lock.set_text_content(Some(t(k::CONTROLS_LOCK)));
            let send_lock = send.clone();
            dom::listen(&lock, "click", move |e: Event| send_lock(Msg::Lock(p), e.time_stamp()))?;
            dom::append(&row, &[&swatch, &cell, &lock])?;
            shares_group.append_child(&row)?;
            shares.push(view);
            locks.push(lock);
        }
        let share_total = dom::create_text("p", "share-total", "")?;
        shares_group.append_child(&share_total)?;

        let build = group(&root, t(k::CONTROLS_GROUP_BUILD), "")?;
        for i in BUILD {
            add(&build, i)?;
        }

        let reset: HtmlElement = dom::by_id("reset")?;
        let send_reset = send.clone();
        dom::listen(&reset, "click", move |e: Event| send_reset(Msg::Reset, e.time_stamp()))?;
        // A released slider (or a keyboard step) fires `change`, which bubbles here.
        dom::listen(&root, "change", move |e: Event| send(Msg::Commit, e.time_stamp()))?;

        Ok(Controls {
            sliders: sliders.into_iter().flatten().collect(),
            shares,
            locks,
            share_total,
            share_year,
            idle_note,
            exceptions_note,
            prices,
            preset,
            cells,
            cap,
            general_error,
            scenario_preset,
            scenario_about,
            base: std::cell::Cell::new(atlas_core::scenario::base_of(default).0),
        })
    }

    /// Shows the defaults of base scenario `base` under the sliders, and widens the budget range
    /// to three times its capital.
    fn show_defaults(&self, base: &Scenario) {
        for (&id, view) in SLIDERS.iter().zip(&self.sliders) {
            let (p, _) = slider_of(id);
            let text = default_line(p, base);
            dom::set_text(&view.default, &text);
            if let Some((_, max)) = p.slider_range(base) {
                view.input.set_max(&max.to_string());
            }
        }
    }

    /// Writes the scenario's values into every input and label.
    pub fn sync(&self, s: &Scenario, locked: &[String]) {
        let (base_id, base) = atlas_core::scenario::base_of(s);
        if self.base.get() != base_id {
            self.base.set(base_id);
            self.show_defaults(base);
        }
        let current = atlas_core::url::preset_of(s);
        let id = current.map_or("", |p| p.id.as_str());
        if self.scenario_preset.value() != id {
            self.scenario_preset.set_value(id);
        }
        let about = current.map_or_else(
            || {
                let title = atlas_core::naming::title(s);
                let from = atlas_core::data::default_data()
                    .scenario_presets
                    .iter()
                    .find(|p| p.id == title.preset)
                    .map_or(String::new(), |p| i18n::data_name("preset", &p.id, &p.name));
                let changes: Vec<String> = title.changes_said.iter().map(i18n::say).collect();
                tf(k::CONTROLS_OWN_ABOUT, &[("from", &from), ("changes", &changes.join(t(k::ANNOUNCE_JOIN)))])
            },
            |p| {
                let about = i18n::data_name("preset_about", &p.id, &p.description);
                tf(k::CONTROLS_PRESET_ABOUT, &[("description", &about), ("sources", &p.provenance.source)])
            },
        );
        dom::set_text(&self.scenario_about, &about);
        // The cap is the capped cells' own (so a link carries it); with none capped there is
        // nothing for it to move.
        let cap = edit::matrix_cap(s);
        set_input(&self.cap.input, cap.unwrap_or(edit::DEFAULT_CAP_H100E_PER_YEAR));
        self.cap.input.set_disabled(cap.is_none());
        let text = cap.map_or_else(
            || t(k::MATRIX_NONE_CAPPED).to_string(),
            |v| tf(k::CONTROLS_CAP_VALUE, &[("cap", &i18n::value(v))]),
        );
        dom::set_text(&self.cap.value, &text);
        for (&id, view) in SLIDERS.iter().zip(&self.sliders) {
            let (p, range) = slider_of(id);
            match shown_value(p, s) {
                Some(v) => {
                    set_input(&view.input, v);
                    view.input.set_disabled(false);
                    // A link or a file may set a value beyond the slider: show the real value and
                    // say the slider cannot.
                    let max = view.input.max().parse::<f64>().unwrap_or(range.max);
                    let beyond = v < range.min - 1e-9 || v > max + 1e-9;
                    let _ = view.value.class_list().toggle_with_force("beyond", beyond);
                    let show = |v| i18n::param_value(p, v);
                    let text = if beyond {
                        tf(
                            k::CONTROLS_BEYOND,
                            &[("value", &show(v)), ("low", &show(range.min)), ("high", &show(max))],
                        )
                    } else {
                        show(v)
                    };
                    dom::set_text(&view.value, &text);
                    set_attribute(&view.input, "aria-valuetext", &text);
                }
                None => {
                    view.input.set_disabled(true);
                    dom::set_text(&view.value, t(k::DOCK_LEVER_NOT_APPLICABLE));
                }
            }
        }
        let year = edit::target_share_year(s);
        // An applied plan names every purchase; shares do not steer it.
        let planned = matches!(s.build_out, atlas_core::BuildOut::Planned(_));
        dom::set_text(
            &self.share_year,
            &match &s.build_out {
                _ if planned => t(k::CONTROLS_SHARE_PLANNED).to_string(),
                atlas_core::BuildOut::Deals(_) if s.provider_shares_pct.is_empty() => {
                    tf(k::CONTROLS_SHARE_DEALS, &[("year", &year.to_string())])
                }
                atlas_core::BuildOut::Deals(_) => tf(k::CONTROLS_SHARE_OWN, &[("year", &year.to_string())]),
                _ => tf(k::CONTROLS_SHARE_PLAIN, &[("year", &year.to_string())]),
            },
        );
        for (view, lock) in self.shares.iter().zip(&self.locks) {
            if view.input.disabled() != planned {
                view.input.set_disabled(planned);
                lock.set_disabled(planned);
            }
        }
        let shares = edit::shares_in(s, year);
        let mut total = 0.0;
        for ((view, lock), (id, pct)) in self.shares.iter().zip(&self.locks).zip(&shares) {
            set_input(&view.input, *pct);
            let text = tf(k::CONTROLS_PERCENT, &[("pct", &i18n::num(*pct, 0))]);
            dom::set_text(&view.value, &text);
            set_attribute(&view.input, "aria-valuetext", &text);
            let is_locked = locked.contains(id);
            set_attribute(lock, "aria-pressed", if is_locked { "true" } else { "false" });
            dom::set_text(lock, t(if is_locked { k::CONTROLS_LOCKED } else { k::CONTROLS_LOCK }));
            total += pct;
        }
        dom::set_text(&self.share_total, &tf(k::CONTROLS_TOTAL, &[("pct", &i18n::num(total, 0))]));
        for (view, region) in self.prices.iter().zip(&s.regions) {
            let price =
                s.price_overrides_usd_per_mwh.get(&region.id).copied().unwrap_or(region.price_usd_per_mwh);
            set_input(&view.input, price);
            let text = price_text(price);
            dom::set_text(&view.value, &text);
            set_attribute(&view.input, "aria-valuetext", &text);
        }
        let name = &s.export_policy.name;
        if self.preset.value() != *name {
            self.preset.set_value(if ExportPolicy::preset(name).is_some() { name } else { "custom" });
        }
        let exceptions: Vec<String> = edit::exceptions_said(s).iter().map(i18n::say).collect();
        let text = if exceptions.is_empty() {
            String::new()
        } else {
            tf(k::CONTROLS_EXCEPTIONS, &[("list", &exceptions.join(t(k::ANNOUNCE_JOIN)))])
        };
        if self.exceptions_note.text_content().unwrap_or_default() != text {
            dom::set_text(&self.exceptions_note, &text);
            self.exceptions_note.set_hidden(text.is_empty());
        }
        let idle = edit::groups_nobody_builds_in(s);
        self.idle_note.set_hidden(idle.is_empty());
        if !idle.is_empty() {
            let names: Vec<String> =
                idle.iter().map(|g| i18n::data_name("group", g.id(), g.label())).collect();
            let world = i18n::named("data.preset.world").unwrap_or_default();
            let key = if idle.len() == 1 { k::CONTROLS_IDLE_ONE } else { k::CONTROLS_IDLE_MANY };
            dom::set_text(
                &self.idle_note,
                &tf(key, &[("groups", &names.join(t(k::CONTROLS_OR))), ("world", world)]),
            );
        }
        let year = edit::target_share_year(s).max(s.start_year);
        for (f, g, button) in &self.cells {
            let (state, text) = match edit::matrix_cell(&s.export_policy, *f, *g, year) {
                CellState::Allow => ("allow", "✓".to_string()),
                CellState::Ban => ("ban", t(k::CONTROLS_CELL_BAN).to_string()),
                CellState::Cap { h100e_per_year } => {
                    ("cap", format!("≤{}", crate::chart::compact(h100e_per_year)))
                }
            };
            if button.get_attribute("data-state").as_deref() != Some(state) {
                let _ = button.set_attribute("data-state", state);
            }
            dom::set_text(button, &text);
            let said = t(match state {
                "allow" => k::CONTROLS_STATE_ALLOW,
                "ban" => k::CONTROLS_STATE_BAN,
                _ => k::CONTROLS_STATE_CAP,
            });
            let label = tf(
                k::CONTROLS_CELL_LABEL,
                &[
                    ("family", &i18n::data_name("family", f.id(), f.label())),
                    ("group", &i18n::data_name("group", g.id(), g.label())),
                    ("state", said),
                ],
            );
            if button.get_attribute("aria-label").as_deref() != Some(label.as_str()) {
                let _ = button.set_attribute("aria-label", &label);
            }
        }
    }

    /// Shows validation problems beside the inputs they concern (and the rest at the top);
    /// an empty list clears them.
    pub fn show_problems(&self, problems: &[Problem]) {
        let mut shown = vec![false; problems.len()];
        for (&id, view) in SLIDERS.iter().zip(&self.sliders) {
            let field = params::param(id).field;
            let text: Vec<String> = problems
                .iter()
                .enumerate()
                .filter(|(_, p)| p.field.starts_with(field))
                .map(|(i, p)| {
                    shown[i] = true;
                    format!("{}: {}", p.value, i18n::say(&p.said))
                })
                .collect();
            dom::set_text(&view.error, &text.join("; "));
        }
        let rest: Vec<String> =
            problems.iter().zip(&shown).filter(|(_, s)| !**s).map(|(p, _)| i18n::problem(p)).collect();
        dom::set_text(&self.general_error, &rest.join("\n"));
    }
}

/// The line under a slider: the base's value of `p`, if it has one.
fn default_line(p: &Param, base: &Scenario) -> String {
    shown_value(p, base)
        .map(|v| tf(k::CONTROLS_DEFAULT, &[("value", &i18n::param_value(p, v))]))
        .unwrap_or_default()
}

/// An electricity price, for people.
fn price_text(usd_per_mwh: f64) -> String {
    tf(k::CONTROLS_PRICE_VALUE, &[("v", &i18n::num(usd_per_mwh, 0))])
}

/// Sets an attribute only if it differs (a mutation every frame costs style work).
fn set_attribute(el: &Element, name: &str, value: &str) {
    if el.get_attribute(name).as_deref() != Some(value) {
        let _ = el.set_attribute(name, value);
    }
}

pub(crate) fn set_input(input: &HtmlInputElement, v: f64) {
    let text = format!("{v}");
    if input.value() != text && input.value_as_number() != v {
        input.set_value(&text);
    }
}
