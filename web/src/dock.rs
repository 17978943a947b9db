//! The lever dock: on a narrow screen, the main levers (energy cost, carbon price, grid pace,
//! capital, export policy, each provider's share) in a bar fixed to the bottom of the screen, so
//! a lever and the chart it moves are on screen together. It mirrors the control panels: it sends
//! the same messages and is synced from the same scenario. Wider screens hide it (CSS).

use std::cell::RefCell;
use std::rc::Rc;

use atlas_core::Scenario;
use atlas_core::edit;
use atlas_core::params::ParamId;
use atlas_core::scenario::ExportPolicy;
use wasm_bindgen::JsValue;
use web_sys::{Event, HtmlElement, HtmlInputElement, HtmlSelectElement};

use crate::controls::{Send, policy_options, set_input, shown_value, slider_of};
use crate::dom;
use crate::i18n::{self, k, t, tf};
use crate::msg::Msg;

/// The scalar levers the dock offers, before the policy and the shares.
const PARAMS: [ParamId; 4] =
    [ParamId::EnergyCost, ParamId::CarbonPrice, ParamId::GridPace, ParamId::BuildScale];

/// What the dock's range (or policy menu) moves.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Lever {
    Param(ParamId),
    Policy,
    Share(usize),
}

impl Lever {
    /// The lever an option's value names (`p0`, `policy`, `s2`).
    fn parse(value: &str) -> Lever {
        match value.split_at(value.len().min(1)) {
            ("s", i) => i.parse().map_or(Lever::Policy, Lever::Share),
            ("p", i) => i
                .parse::<usize>()
                .ok()
                .and_then(|i| PARAMS.get(i))
                .map_or(Lever::Policy, |&p| Lever::Param(p)),
            _ => Lever::Policy,
        }
    }
}

/// The dock's elements.
pub struct Dock {
    choose: HtmlSelectElement,
    range: HtmlInputElement,
    value: HtmlElement,
    policy: HtmlSelectElement,
    /// The providers the share options were made for.
    providers: RefCell<Vec<String>>,
}

impl Dock {
    /// Finds the dock (`None` in a document without it), fills its menus and listens: the range
    /// and the policy menu send `send`'s messages; choosing another lever asks for `refresh`.
    pub fn build(send: Send, refresh: Rc<dyn Fn()>) -> Result<Option<Dock>, JsValue> {
        if dom::element("dock").is_none() {
            return Ok(None);
        }
        let choose: HtmlSelectElement = dom::by_id("dock-lever")?;
        let range: HtmlInputElement = dom::by_id("dock-range")?;
        let policy: HtmlSelectElement = dom::by_id("dock-policy")?;
        policy_options(&policy, t(k::DOCK_LEVER_CUSTOM))?;
        dom::listen(&choose, "change", move |_: Event| refresh())?;
        let (send_input, which, target) = (send.clone(), choose.clone(), range.clone());
        dom::listen(&range, "input", move |e: Event| {
            let Ok(v) = target.value().parse::<f64>() else { return };
            let msg = match Lever::parse(&which.value()) {
                Lever::Param(id) => Msg::Slider(id, v),
                Lever::Share(i) => Msg::Share(i, v),
                Lever::Policy => return,
            };
            send_input(msg, e.time_stamp());
        })?;
        let send_commit = send.clone();
        dom::listen(&range, "change", move |e: Event| send_commit(Msg::Commit, e.time_stamp()))?;
        let target = policy.clone();
        dom::listen(&policy, "change", move |e: Event| send(Msg::Preset(target.value()), e.time_stamp()))?;
        let dock = Dock {
            choose,
            range,
            value: dom::by_id("dock-value")?,
            policy,
            providers: RefCell::new(Vec::new()),
        };
        Ok(Some(dock))
    }

    /// The lever menu: the scalar levers, the policy, then a share for each of `s`'s providers
    /// (made again when they change, keeping the choice where it still exists).
    fn options(&self, s: &Scenario) -> Result<(), JsValue> {
        let names: Vec<String> =
            s.providers.iter().map(|p| i18n::data_name("provider", &p.id, &p.name)).collect();
        if *self.providers.borrow() == names {
            return Ok(());
        }
        let chosen = self.choose.value();
        self.choose.set_text_content(None);
        for (i, &id) in PARAMS.iter().enumerate() {
            let (p, _) = slider_of(id);
            dom::add_text(&self.choose, "option", "", i18n::param_label(p))?
                .set_attribute("value", &format!("p{i}"))?;
        }
        dom::add_text(&self.choose, "option", "", t(k::DOCK_POLICY))?.set_attribute("value", "policy")?;
        for (i, name) in names.iter().enumerate() {
            let label = tf(k::DOCK_LEVER_SHARE_OPTION, &[("name", crate::chart::short_label(name))]);
            dom::add_text(&self.choose, "option", "", &label)?.set_attribute("value", &format!("s{i}"))?;
        }
        self.choose.set_value(if chosen.is_empty() { "p0" } else { &chosen });
        if self.choose.selected_index() < 0 {
            self.choose.set_value("p0");
        }
        *self.providers.borrow_mut() = names;
        Ok(())
    }

    /// Shows the chosen lever with `s`'s value.
    pub fn sync(&self, s: &Scenario) {
        if let Err(err) = self.options(s) {
            dom::log_error("filling the lever dock", &err);
        }
        let lever = Lever::parse(&self.choose.value());
        let label = match lever {
            Lever::Param(id) => i18n::param_label(slider_of(id).0).to_string(),
            Lever::Share(i) => s.providers.get(i).map_or(String::new(), |p| {
                tf(k::DOCK_LEVER_SHARE_LABEL, &[("name", &i18n::data_name("provider", &p.id, &p.name))])
            }),
            Lever::Policy => t(k::DOCK_POLICY).to_string(),
        };
        if self.range.get_attribute("aria-label").as_deref() != Some(label.as_str()) {
            let _ = self.range.set_attribute("aria-label", &label);
        }
        let on_range = lever != Lever::Policy;
        self.range.set_hidden(!on_range);
        self.value.set_hidden(!on_range);
        self.policy.set_hidden(on_range);
        match lever {
            Lever::Param(id) => {
                let (p, slider) = slider_of(id);
                self.range.set_min(&slider.min.to_string());
                self.range.set_max(&slider.max.to_string());
                self.range.set_step(&slider.step.to_string());
                match shown_value(p, s) {
                    Some(v) => {
                        set_input(&self.range, v);
                        self.range.set_disabled(false);
                        self.show(i18n::param_value(p, v));
                    }
                    None => {
                        self.range.set_disabled(true);
                        self.show(t(k::DOCK_LEVER_NOT_APPLICABLE).into());
                    }
                }
            }
            Lever::Share(i) => {
                let shares = edit::shares_in(s, edit::target_share_year(s));
                let pct = shares.get(i).map_or(0.0, |(_, v)| *v);
                self.range.set_min("0");
                self.range.set_max("100");
                self.range.set_step("1");
                set_input(&self.range, pct);
                self.range.set_disabled(matches!(s.build_out, atlas_core::BuildOut::Planned(_)));
                self.show(tf(k::CONTROLS_PERCENT, &[("pct", &i18n::num(pct, 0))]));
            }
            Lever::Policy => {
                let name = &s.export_policy.name;
                let value = if ExportPolicy::preset(name).is_some() { name.as_str() } else { "custom" };
                if self.policy.value() != value {
                    self.policy.set_value(value);
                }
            }
        }
    }

    fn show(&self, text: String) {
        dom::set_text(&self.value, &text);
        let _ = self.range.set_attribute("aria-valuetext", &text);
    }
}
