//! The uncertainty panel: its settings (on or off, width, draws, seed), the status line and the
//! note above the charts, and the tornado chart as HTML bars (crisp, selectable, read by screen
//! readers). Everything it shows comes from the core's `montecarlo` and `tornado` modules.

use std::cell::Cell;

use atlas_core::montecarlo::Bands;
use atlas_core::params::{ParamId, param};
use atlas_core::tornado::Tornado;
use atlas_core::uncertainty::Uncertainty;
use atlas_core::{KpiId, Summary};
use wasm_bindgen::JsValue;
use web_sys::{Element, HtmlButtonElement, HtmlElement, HtmlInputElement, HtmlSelectElement};

use crate::dom;
use crate::i18n::headline;
use crate::i18n::{self, k, t, tf};

/// Tornado rows shown before "Show all".
const ROWS_SHOWN: usize = 12;

/// The panel's elements.
pub struct UncertaintyView {
    /// "Show uncertainty".
    pub on: HtmlInputElement,
    /// Width of the ranges.
    pub width: HtmlInputElement,
    width_value: Element,
    /// Number of draws.
    pub draws: HtmlSelectElement,
    /// The generator's seed.
    pub seed: HtmlInputElement,
    /// "New draws": another seed.
    pub reseed: HtmlButtonElement,
    status: Element,
    note: Element,
    /// The headline figure the tornado swings.
    pub kpi: HtmlSelectElement,
    rows: Element,
    /// "Show all" / "Show fewer".
    pub more: HtmlButtonElement,
    /// Downloads.
    pub tornado_csv: HtmlButtonElement,
    /// Downloads.
    pub bands_csv: HtmlButtonElement,
    /// Whether every tornado row is shown.
    pub show_all: Cell<bool>,
    /// The width to come back to when uncertainty is switched on again.
    last_width: Cell<f64>,
}

impl UncertaintyView {
    /// Finds the panel (absent in a document without it) and lists the headline figures of
    /// `summary` in the tornado's menu.
    pub fn build(summary: &Summary) -> Result<Option<UncertaintyView>, JsValue> {
        if dom::document()?.get_element_by_id("uncertainty").is_none() {
            return Ok(None);
        }
        let kpi: HtmlSelectElement = dom::by_id("tornado-kpi")?;
        for k in summary.kpis() {
            let option = dom::create_text("option", "", i18n::kpi_label(k.id))?;
            option.set_attribute("value", k.id.as_str())?;
            kpi.append_child(&option)?;
        }
        kpi.set_value(atlas_core::tornado::DEFAULT_KPI.as_str());
        // The width slider's range is the parameter table's.
        let width: HtmlInputElement = dom::by_id("unc-width")?;
        if let Some(range) = param(ParamId::UncertaintyWidth).slider {
            width.set_min(&range.min.to_string());
            width.set_max(&range.max.to_string());
            width.set_step(&range.step.to_string());
        }
        Ok(Some(UncertaintyView {
            on: dom::by_id("unc-on")?,
            width,
            width_value: dom::by_id("unc-width-value")?,
            draws: dom::by_id("unc-draws")?,
            seed: dom::by_id("unc-seed")?,
            reseed: dom::by_id("unc-reseed")?,
            status: dom::by_id("unc-status")?,
            note: dom::by_id("bands-note")?,
            kpi,
            rows: dom::by_id("tornado")?,
            more: dom::by_id("tornado-more")?,
            tornado_csv: dom::by_id("tornado-csv")?,
            bands_csv: dom::by_id("bands-csv")?,
            show_all: Cell::new(false),
            last_width: Cell::new(1.0),
        }))
    }

    /// Shows the scenario's settings in the controls.
    pub fn sync(&self, u: &Uncertainty) {
        let on = !u.is_off();
        if on {
            self.last_width.set(u.width);
        }
        self.on.set_checked(on);
        self.width.set_disabled(!on);
        let width = if on { u.width } else { self.last_width.get() };
        if self.width.value_as_number() != width {
            self.width.set_value_as_number(width);
        }
        dom::set_text(&self.width_value, &width_text(width, on));
        let draws = u.draws.to_string();
        if self.draws.value() != draws {
            // A count from a link that the menu does not offer gets its own entry.
            let listed =
                self.draws.query_selector(&format!("option[value=\"{draws}\"]")).ok().flatten().is_some();
            if !listed
                && let Ok(option) = dom::create_text(
                    "option",
                    "",
                    &tf(k::UNC_FROM_LINK, &[("draws", &headline(f64::from(u.draws)))]),
                )
            {
                let _ = option.set_attribute("value", &draws);
                let _ = self.draws.append_child(&option);
            }
            self.draws.set_value(&draws);
        }
        let seed = u.seed.to_string();
        if self.seed.value() != seed {
            self.seed.set_value(&seed);
        }
    }

    /// The settings the controls show, starting from `current` (a seed that is not a whole number
    /// keeps the current one).
    pub fn read(&self, current: &Uncertainty) -> Uncertainty {
        let (lo, hi) = param(ParamId::UncertaintyWidth).valid;
        let width = self.width.value_as_number();
        let width = if width.is_finite() { width.clamp(lo, hi) } else { current.width };
        Uncertainty {
            width: if self.on.checked() {
                width.max(param(ParamId::UncertaintyWidth).slider.map_or(0.0, |r| r.min))
            } else {
                0.0
            },
            draws: self.draws.value().parse().unwrap_or(current.draws),
            seed: self.seed.value().trim().parse().unwrap_or(current.seed),
        }
    }

    /// The headline figure chosen for the tornado.
    pub fn kpi(&self) -> KpiId {
        KpiId::parse(&self.kpi.value()).unwrap_or(atlas_core::tornado::DEFAULT_KPI)
    }

    /// The status line under the settings.
    pub fn set_status(&self, text: &str) {
        dom::set_text(&self.status, text);
    }

    /// The note above the charts: what the shading means, or nothing when there are no bands.
    pub fn show_note(&self, bands: Option<&Bands>) {
        let Some(b) = bands.filter(|b| b.draws > 0 && b.width > 0.0) else {
            self.note.set_attribute("hidden", "").ok();
            return;
        };
        let _ = self.note.remove_attribute("hidden");
        let text = tf(
            k::UNC_SHADED_NOTE,
            &[
                ("draws", &headline(b.draws as f64)),
                ("inputs", &b.inputs_drawn.to_string()),
                ("seed", &b.seed.to_string()),
            ],
        );
        if self.note.get_attribute("data-text").as_deref() == Some(text.as_str()) {
            return;
        }
        let _ = self.note.set_attribute("data-text", &text);
        self.note.set_inner_html("");
        let _ = dom::add_text(&self.note, "span", "", t(k::UNC_SHADED));
        let _ = dom::add_text(&self.note, "i", "inner", "");
        let _ = dom::add_text(&self.note, "i", "", "");
        let _ = dom::add_text(&self.note, "span", "", &text);
    }

    /// Clears the tornado with a message.
    pub fn clear_tornado(&self, message: &str) {
        self.rows.set_inner_html("");
        let _ = dom::add_text(&self.rows, "p", "chart-unit", message);
        let _ = self.more.set_attribute("hidden", "");
        self.tornado_csv.set_disabled(true);
    }

    /// Draws the tornado: bars from the figure at each input's low end to its high end, around the
    /// scenario's own value; the widest first.
    pub fn draw_tornado(&self, tornado: &Tornado) -> Result<(), JsValue> {
        self.rows.set_inner_html("");
        let moving: Vec<_> = tornado.rows.iter().filter(|r| r.swing() > 0.0).collect();
        if moving.is_empty() {
            self.clear_tornado(t(k::UNC_NOTHING_MOVES));
            return Ok(());
        }
        // The uncertain estimates, ranked, then the user's own choices, ranked apart (the core
        // orders them so): a choice is not an uncertainty.
        let estimates = moving.iter().filter(|r| r.drawn).count();
        let shown_estimates = if self.show_all.get() { estimates } else { estimates.min(ROWS_SHOWN) };
        let rows: Vec<_> =
            moving[..shown_estimates].iter().chain(moving[estimates..].iter()).copied().collect();
        let lo = rows.iter().map(|r| r.kpi_at_low.min(r.kpi_at_high)).fold(tornado.central, f64::min);
        let hi = rows.iter().map(|r| r.kpi_at_low.max(r.kpi_at_high)).fold(tornado.central, f64::max);
        let span = (hi - lo).max(1e-12);
        let pct = |v: f64| format!("{:.3}%", 100.0 * (v - lo) / span);

        let axis = dom::create_text("div", "tornado-axis", "")?;
        let _ = dom::add_text(
            &axis,
            "span",
            "",
            &format!("{} ({})", i18n::kpi_label(tornado.kpi), i18n::kpi_unit(tornado.kpi)),
        );
        let ends = dom::add_text(&axis, "span", "ends", "")?;
        let _ = dom::add_text(&ends, "span", "", &headline(lo));
        let _ = dom::add_text(&ends, "span", "", &tf(k::UNC_YOURS, &[("value", &headline(tornado.central))]));
        let _ = dom::add_text(&ends, "span", "", &headline(hi));
        let _ = dom::add_text(&axis, "span", "tornado-swing", t(k::UNC_SWING));
        self.rows.append_child(&axis)?;

        for (i, r) in rows.iter().enumerate() {
            if i == 0 || r.drawn != rows[i - 1].drawn {
                let (title, note) = if r.drawn {
                    (t(k::UNC_ESTIMATES), t(k::UNC_ESTIMATES_NOTE))
                } else {
                    (t(k::UNC_CHOICES), t(k::UNC_CHOICES_NOTE))
                };
                let head = dom::create_text("div", "tornado-section", "")?;
                dom::add_text(&head, "strong", "", title)?;
                dom::add_text(&head, "span", "", note)?;
                self.rows.append_child(&head)?;
            }
            let row = dom::create_text("div", "tornado-row", "")?;
            row.set_attribute("role", "listitem")?;
            row.set_attribute("data-input", &r.path)?;
            row.set_attribute("data-swing", &r.swing().to_string())?;
            row.set_attribute("data-kind", if r.drawn { "estimate" } else { "choice" })?;
            let ends = format!("{} → {}", headline(r.low), headline(r.high));
            let unit = if r.unit.is_empty() { String::new() } else { format!(" {}", unit_words(r.unit)) };
            let name = input_label(&r.path, &r.label);
            row.set_attribute(
                "aria-label",
                &tf(
                    k::UNC_ROW,
                    &[
                        ("label", &name),
                        ("range", &format!("{ends}{unit}")),
                        ("low", &headline(r.kpi_at_low)),
                        ("high", &headline(r.kpi_at_high)),
                    ],
                ),
            )?;
            let label = dom::add_text(&row, "div", "tornado-label", &name)?;
            label.set_attribute("title", &format!("{name} ({ends}{unit}) · {}", r.path))?;
            if !r.drawn {
                // Choices and levers are not estimates: their range is a stated one.
                let tag = dom::add_text(&label, "span", "tornado-tag", t(k::UNCERTAINTY_CHOICE))?;
                tag.set_attribute("title", t(k::UNC_CHOICE_TITLE))?;
            }
            let _ = dom::add_text(&label, "small", "", &format!(" {ends}{unit}"));
            let track = dom::add_text(&row, "div", "tornado-track", "")?;
            for (value, class) in [(r.kpi_at_low, "bar low"), (r.kpi_at_high, "bar high")] {
                let bar: HtmlElement = dom::create("div", class)?;
                let style = bar.style();
                style.set_property("left", &pct(value.min(tornado.central)))?;
                style.set_property(
                    "width",
                    &format!("{:.3}%", 100.0 * (value - tornado.central).abs() / span),
                )?;
                bar.set_attribute(
                    "title",
                    &tf(
                        if class == "bar low" { k::UNC_BAR_LOW } else { k::UNC_BAR_HIGH },
                        &[("value", &headline(value))],
                    ),
                )?;
                track.append_child(&bar)?;
            }
            let centre: HtmlElement = dom::create("div", "centre")?;
            centre.style().set_property("left", &pct(tornado.central))?;
            track.append_child(&centre)?;
            let _ = dom::add_text(&row, "div", "tornado-swing", &headline(r.swing()));
            self.rows.append_child(&row)?;
        }
        if estimates > ROWS_SHOWN {
            let _ = self.more.remove_attribute("hidden");
            let rest = estimates - ROWS_SHOWN;
            dom::set_text(
                &self.more,
                &if self.show_all.get() {
                    t(k::UNC_FEWER).to_string()
                } else {
                    tf(k::UNC_ALL, &[("more", &rest.to_string())])
                },
            );
        } else {
            let _ = self.more.set_attribute("hidden", "");
        }
        let still = tornado.rows.len() - moving.len();
        if still > 0 {
            let _ = dom::add_text(
                &self.rows,
                "p",
                "chart-unit",
                &tf(k::UNC_STILL, &[("count", &still.to_string())]),
            );
        }
        self.tornado_csv.set_disabled(false);
        Ok(())
    }
}

/// An uncertain input's label in the language in use, from its path in the data set
/// (`regions.us_east.price_usd_per_mwh`) and the core's English label: an entity's name with what
/// of it is uncertain, a parameter's label, or the English label where the catalogue has no words.
fn input_label(path: &str, english: &str) -> String {
    let parts: Vec<&str> = path.split('.').collect();
    let kind = match parts.first() {
        Some(&"accelerators") => Some("accelerator"),
        Some(&"providers") => Some("provider"),
        Some(&"regions") => Some("region"),
        _ => None,
    };
    if let (Some(kind), [_, id, field]) = (kind, parts.as_slice())
        && let Some(what) = i18n::named(&format!("input.{field}"))
        && let Some((name, _)) = english.split_once(": ")
    {
        let name = i18n::data_name(kind, id, name);
        return tf(k::INPUT_ENTITY, &[("name", &name), ("what", what)]);
    }
    // `<base>.starting_fleet.<provider>.<region>.<accelerator>.count`, installed in the label's
    // parenthesis.
    if let Some(at) = parts.iter().position(|p| *p == "starting_fleet")
        && let [provider, region, accelerator, ..] = &parts[at + 1..]
    {
        use atlas_core::scenario::Dimension;
        let default = atlas_core::Scenario::default();
        let name = |dimension, id: &str| i18n::entity(&default, dimension, id);
        let installed = english.rsplit_once(" (").map_or("", |(_, rest)| rest.trim_end_matches(')'));
        let which = format!(
            "{} {} · {} ({installed})",
            name(Dimension::Provider, provider),
            name(Dimension::Accelerator, accelerator),
            name(Dimension::Region, region)
        );
        return tf(k::INPUT_FLEET, &[("which", &which)]);
    }
    atlas_core::params::PARAMS
        .iter()
        .find(|p| p.label == english)
        .map_or_else(|| english.to_string(), |p| i18n::param_label(p).to_string())
}

/// An input's unit in the language in use: its words translated, symbols as they are.
fn unit_words(unit: &str) -> &str {
    match unit {
        "years" => t(k::UNIT_YEARS),
        "accelerators" => t(k::UNIT_ACCELERATORS),
        "/yr" => t(k::UNIT_PER_YEAR),
        "of full load" => t(k::UNIT_OF_FULL_LOAD),
        "USD bn" => t(k::UNIT_USD_BN),
        other => other,
    }
}

/// The width control's read-out.
fn width_text(width: f64, on: bool) -> String {
    if on {
        i18n::param_value(atlas_core::params::param(atlas_core::params::ParamId::UncertaintyWidth), width)
    } else {
        t(k::UNC_OFF).to_string()
    }
}
