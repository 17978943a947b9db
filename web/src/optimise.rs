//! The "Optimise" panel: reads the planner's settings from its form, shows the optimal plan (the
//! objective against the user's own allocation, what binds and what lifting it is worth, the
//! capital by provider), and draws the cost–carbon frontier as its points arrive. The planning is
//! `atlas_core::plan`; this module only reads inputs and writes the page.

use atlas_core::Scenario;
use atlas_core::plan::{FrontierPoint, Objective, Plan, PlanError, PlanSettings};
use plotters::style::RGBColor;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;
use web_sys::{
    Element, HtmlButtonElement, HtmlCanvasElement, HtmlElement, HtmlInputElement, HtmlSelectElement,
};

use crate::chart::Theme;
use crate::dom;
use crate::i18n::{self, k, t, tf, value as format_value};

/// The panel's elements and its last plan.
pub struct OptimiseView {
    objective: HtmlSelectElement,
    share: HtmlInputElement,
    share_value: Element,
    target: HtmlInputElement,
    target_value: Element,
    power: HtmlInputElement,
    budget: HtmlInputElement,
    apply: HtmlButtonElement,
    result: Element,
    frontier_wrap: HtmlElement,
    frontier: HtmlCanvasElement,
    legend: Element,
    /// The list the binding constraints go into, as they are worked out.
    binding_list: Option<Element>,
    /// Where the review's sentences go.
    review_list: Option<Element>,
}

/// The planner's work in the page (the app owns it; the view only shows it): the last plan, its
/// explanation and review still to come, and the frontier so far.
#[derive(Default)]
pub struct PlanJob {
    /// The scenario the last plan was made for, and the plan.
    pub last: Option<(Scenario, Plan)>,
    /// Frontier points so far, and the user's point.
    points: Vec<FrontierPoint>,
    own: Option<FrontierPoint>,
    /// Incremented by every optimisation, so a stale frontier run stops.
    pub generation: u32,
    /// The explanation still being worked out.
    pub explaining: Option<atlas_core::plan::Explaining>,
    /// The simulations of the user's scenario and of the plan applied, for the plan's review once
    /// its binding constraints are known (see [`atlas_core::plan::review`]).
    pub reviewing: Option<(atlas_core::Results, atlas_core::Results)>,
}

impl PlanJob {
    /// Adds one frontier point.
    pub fn add_point(&mut self, point: FrontierPoint) {
        self.points.push(point);
    }

    /// How many frontier points there are.
    pub fn point_count(&self) -> usize {
        self.points.len()
    }
}

impl OptimiseView {
    /// Finds the panel (`None` in a document without it).
    pub fn build() -> Result<Option<OptimiseView>, JsValue> {
        if dom::document()?.get_element_by_id("optimise").is_none() {
            return Ok(None);
        }
        Ok(Some(OptimiseView {
            objective: dom::by_id("opt-objective")?,
            share: dom::by_id("opt-share")?,
            share_value: dom::by_id("opt-share-value")?,
            target: dom::by_id("opt-target")?,
            target_value: dom::by_id("opt-target-value")?,
            power: dom::by_id("opt-power")?,
            budget: dom::by_id("opt-budget")?,
            apply: dom::by_id("opt-apply")?,
            result: dom::by_id("opt-result")?,
            frontier_wrap: dom::by_id("opt-frontier-wrap")?,
            frontier: dom::by_id("opt-frontier")?,
            legend: dom::by_id("opt-frontier-legend")?,
            binding_list: None,
            review_list: None,
        }))
    }

    /// The form's values next to the range inputs.
    pub fn show_inputs(&self) {
        let share = self.share.value_as_number();
        let pct = i18n::num(share, 0);
        let text = tf(if share >= 100.0 { k::OPT_NO_BOUND } else { k::CONTROLS_PERCENT }, &[("pct", &pct)]);
        dom::set_text(&self.share_value, &text);
        dom::set_text(
            &self.target_value,
            &tf(k::OPT_OF_MINE, &[("pct", &i18n::num(self.target.value_as_number(), 0))]),
        );
    }

    /// The planner's settings from the form, for scenario `s` (the target scales its own path).
    pub fn settings(&self, own_end_h100e: f64) -> PlanSettings {
        let objective = match self.objective.value().as_str() {
            "max_compute" => Objective::MaxCompute,
            "min_carbon" => Objective::MinCarbon,
            _ => Objective::MinCost,
        };
        let target = self.target.value_as_number();
        let power = self.power.value_as_number();
        PlanSettings {
            objective,
            capacity_target_h100e: (target.is_finite() && (target - 100.0).abs() > 1e-9)
                .then(|| own_end_h100e * target / 100.0),
            respect_budget: self.budget.checked(),
            max_provider_share: (self.share.value_as_number() / 100.0).clamp(0.01, 1.0),
            power_limit_gw_per_region_year: (power.is_finite() && power >= 0.0).then_some(power),
            providers: Vec::new(),
        }
    }

    /// Shows a plan (or why there is none) for scenario `s`, and the user's own point beside it.
    pub fn show(
        &mut self,
        job: &mut PlanJob,
        s: &Scenario,
        outcome: Result<Plan, PlanError>,
        own: Option<FrontierPoint>,
    ) -> Result<(), JsValue> {
        self.result.set_text_content(None);
        job.points.clear();
        job.own = own;
        let plan = match outcome {
            Ok(plan) => plan,
            Err(err) => {
                let p = dom::add_text(
                    &self.result,
                    "p",
                    "opt-error",
                    &tf(k::OPT_NO_PLAN, &[("why", &plan_error(&err))]),
                )?;
                p.set_attribute("role", "alert")?;
                job.last = None;
                self.apply.set_disabled(true);
                self.frontier_wrap.set_hidden(true);
                return Ok(());
            }
        };
        let objective = plan.settings.objective;
        let (unit, what) = match objective {
            Objective::MinCost => (k::OPT_UNIT_COST, k::OPT_WHAT_COST),
            Objective::MaxCompute => (k::OPT_UNIT_COMPUTE, k::OPT_WHAT_COMPUTE),
            Objective::MinCarbon => (k::OPT_UNIT_CARBON, k::OPT_WHAT_CARBON),
        };
        let mut headline = tf(
            k::OPT_HEADLINE,
            &[("value", &format_value(plan.objective_value)), ("unit", t(unit)), ("what", t(what))],
        );
        if let Some(own) = own {
            headline.push_str(&tf(
                k::OPT_AGAINST_OWN,
                &[
                    ("cost", &format_value(plan.capital_usd_b + plan.energy_cost_usd_b)),
                    ("carbon", &format_value(plan.carbon_mt)),
                    ("own_cost", &format_value(own.cost_usd_b)),
                    ("own_carbon", &format_value(own.carbon_mt)),
                ],
            ));
        }
        dom::add_text(&self.result, "p", "opt-headline", &headline)?;
        // Filled in one constraint family per task (see `add_binding`).
        dom::add_text(&self.result, "p", "", t(k::OPT_BINDS))?;
        let list: Element = dom::create("ul", "opt-binding")?;
        dom::add_text(&list, "li", "opt-pending", t(k::OPT_WORKING))?;
        self.result.append_child(&list)?;
        self.binding_list = Some(list);
        // What the plan trades for its saving, and its near-ties: filled once the binding
        // constraints are known.
        let review: Element = dom::create("ul", "opt-review")?;
        review.set_attribute("aria-label", t(k::OPT_TRADES))?;
        self.result.append_child(&review)?;
        self.review_list = Some(review);
        let table = capital_table(s, &plan)?;
        self.result.append_child(&table)?;
        let place = where_table(s, &plan)?;
        self.result.append_child(&place)?;
        dom::add_text(&self.result, "p", "chart-unit", t(k::OPT_AS_BASELINE))?;
        job.last = Some((s.clone(), plan));
        self.apply.set_disabled(false);
        self.frontier_wrap.set_hidden(false);
        Ok(())
    }

    /// Marks the result as still being written (`aria-busy`), so a screen reader reads it once
    /// the explanation and review are complete rather than line by line.
    pub fn busy(&self, on: bool) {
        let _ = if on {
            self.result.set_attribute("aria-busy", "true")
        } else {
            self.result.remove_attribute("aria-busy")
        };
    }

    /// Works out one more binding constraint family, if any are left; false when the
    /// explanation is complete.
    pub fn explain_step(&self, job: &mut PlanJob) -> bool {
        let step = job.explaining.as_mut().and_then(atlas_core::plan::Explaining::next_binding);
        let Some(list) = self.binding_list.as_ref() else { return false };
        let pending = list.query_selector(".opt-pending").ok().flatten();
        match step {
            Some(found) => {
                if let Some(b) = found {
                    if let Ok(li) = dom::create_text("li", "", &i18n::say(&b.said)) {
                        let _ = list.insert_before(&li, pending.as_ref().map(|p| p.as_ref()));
                    }
                    if let Some((_, plan)) = job.last.as_mut() {
                        plan.binding.push(b);
                    }
                }
                true
            }
            None => {
                if let Some(p) = pending {
                    let none = job.last.as_ref().is_none_or(|(_, plan)| plan.binding.is_empty());
                    if none {
                        dom::set_text(&p, t(k::OPT_NOTHING_BINDS));
                        p.set_class_name("");
                    } else {
                        p.remove();
                    }
                }
                job.explaining = None;
                self.show_review(job);
                self.busy(false);
                false
            }
        }
    }

    /// Draws the frontier so far.
    pub fn draw(&self, job: &PlanJob, theme: &Theme, accent: RGBColor, mine: RGBColor) {
        let ratio = dom::window().map(|w| w.device_pixel_ratio()).unwrap_or(1.0).max(1.0);
        let (w, h) = (self.frontier.client_width().max(1), self.frontier.client_height().max(1));
        let (pw, ph) = ((f64::from(w) * ratio) as u32, (f64::from(h) * ratio) as u32);
        if self.frontier.width() != pw || self.frontier.height() != ph {
            self.frontier.set_width(pw);
            self.frontier.set_height(ph);
        }
        let Some(backend) = CanvasBackend::with_canvas_object(self.frontier.clone()) else { return };
        let points = &job.points;
        if let Err(err) = crate::frontier::draw(backend, points, job.own, (theme, accent, mine), ratio) {
            dom::log_error("drawing the frontier", &JsValue::from_str(&err));
        }
        let total = atlas_core::plan::FRONTIER_PRICES_USD_PER_T.len();
        let text = if points.len() < total {
            tf(k::OPT_FRONTIER_SO_FAR, &[("done", &points.len().to_string()), ("total", &total.to_string())])
        } else {
            tf(k::OPT_FRONTIER_DONE, &[("total", &total.to_string())])
        };
        dom::set_text(&self.legend, &text);
    }
}

impl OptimiseView {
    /// Lists what the plan trades (a rise in carbon, water or exposure) and its near-ties.
    fn show_review(&self, job: &mut PlanJob) {
        // Taken: the review is shown once per plan, however often the explanation is asked on.
        let (Some((own, planned)), Some((_, plan)), Some(list)) =
            (job.reviewing.take(), job.last.as_ref(), self.review_list.as_ref())
        else {
            return;
        };
        for said in atlas_core::plan::review_said(plan, &own, &planned) {
            let class = if said.id == "plan.review.tie" { "opt-tie" } else { "opt-warn" };
            let _ = dom::add_text(list, "li", class, &i18n::say(&said));
        }
    }
}

/// Why there is no plan, in the language in use.
fn plan_error(err: &PlanError) -> String {
    match err {
        PlanError::Invalid(problems) => {
            let mut out = tf(k::OPT_INVALID, &[("count", &problems.len().to_string())]);
            for p in problems {
                out.push_str(t(k::ANNOUNCE_JOIN));
                out.push_str(&i18n::problem(p));
            }
            out
        }
        PlanError::Settings(m)
        | PlanError::Infeasible(m)
        | PlanError::Unbounded(m)
        | PlanError::Solver(m) => i18n::say(m),
    }
}

/// Where the plan's money goes: capital by region and by accelerator, with names.
fn where_table(s: &Scenario, plan: &Plan) -> Result<Element, JsValue> {
    let (regions, chips) = atlas_core::plan::where_money_goes(plan);
    let table: Element = dom::create("table", "diff opt-where")?;
    dom::add_text(&table, "caption", "chart-unit", t(k::OPT_WHERE))?;
    let head: Element = dom::create("tr", "")?;
    for h in [k::OPT_REGION, k::OPT_USD_BN, k::OPT_ACCELERATOR, k::OPT_USD_BN] {
        dom::add_text(&head, "th", "", t(h))?.set_attribute("scope", "col")?;
    }
    table.append_child(&head)?;
    let total: f64 = plan.purchases.iter().map(|p| p.capital_usd_b).sum::<f64>().max(1e-12);
    let cell = |v: f64| {
        tf(k::OPT_SHARE_CELL, &[("value", &format_value(v)), ("pct", &i18n::num(100.0 * v / total, 0))])
    };
    for i in 0..regions.len().max(chips.len()) {
        let tr: Element = dom::create("tr", "")?;
        match regions.get(i) {
            Some((id, v)) => {
                let name = i18n::entity(s, atlas_core::compare::Dimension::Region, id);
                dom::add_text(&tr, "th", "", &name)?.set_attribute("scope", "row")?;
                tr.set_attribute("data-region", id)?;
                dom::add_text(&tr, "td", "", &cell(*v))?;
            }
            None => {
                dom::add_text(&tr, "td", "", "")?;
                dom::add_text(&tr, "td", "", "")?;
            }
        }
        match chips.get(i) {
            Some((id, v)) => {
                let name = s.entity_name(atlas_core::compare::Dimension::Accelerator, id);
                dom::add_text(&tr, "td", "", &name)?;
                dom::add_text(&tr, "td", "", &cell(*v))?;
            }
            None => {
                dom::add_text(&tr, "td", "", "")?;
                dom::add_text(&tr, "td", "", "")?;
            }
        }
        table.append_child(&tr)?;
    }
    Ok(table)
}

/// Capital of the plan by provider and year, as a table.
fn capital_table(s: &Scenario, plan: &Plan) -> Result<Element, JsValue> {
    let mut years: Vec<i32> = plan.purchases.iter().map(|p| p.year).collect();
    years.sort_unstable();
    years.dedup();
    let providers: Vec<&atlas_core::scenario::Provider> =
        s.providers.iter().filter(|p| plan.purchases.iter().any(|x| x.provider == p.id)).collect();
    let table: Element = dom::create("table", "diff opt-capital")?;
    dom::add_text(&table, "caption", "chart-unit", t(k::OPT_CAPITAL))?;
    let head: Element = dom::create("tr", "")?;
    dom::add_text(&head, "th", "", t(k::OPT_PROVIDER))?.set_attribute("scope", "col")?;
    for y in &years {
        dom::add_text(&head, "th", "", &y.to_string())?.set_attribute("scope", "col")?;
    }
    table.append_child(&head)?;
    for p in providers {
        let tr: Element = dom::create("tr", "")?;
        tr.set_attribute("data-provider", &p.id)?;
        dom::add_text(&tr, "th", "", &i18n::data_name("provider", &p.id, &p.name))?
            .set_attribute("scope", "row")?;
        for y in &years {
            let cell: Vec<&atlas_core::plan::Purchase> =
                plan.purchases.iter().filter(|x| x.provider == p.id && x.year == *y).collect();
            let v: f64 = cell.iter().map(|x| x.hardware_usd_b).sum();
            let td = dom::add_text(&tr, "td", "", &if v > 0.0 { format_value(v) } else { "–".into() })?;
            if v > 0.0 {
                // What the capital buys and where: why this provider this year.
                use atlas_core::compare::Dimension;
                let name = |dimension, id: &str| i18n::entity(s, dimension, id);
                let parts: Vec<String> = cell
                    .iter()
                    .map(|x| {
                        tf(
                            k::OPT_PURCHASE,
                            &[
                                ("chip", &name(Dimension::Accelerator, &x.accelerator)),
                                ("region", &name(Dimension::Region, &x.region)),
                                ("value", &format_value(x.hardware_usd_b)),
                            ],
                        )
                    })
                    .collect();
                td.set_attribute("title", &parts.join("; "))?;
            }
        }
        table.append_child(&tr)?;
    }
    Ok(table)
}
