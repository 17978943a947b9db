//! The parameter table is the one description of every scalar input: the sliders' ranges, the
//! URL codec's and validation's all come from it (and agree), and every field of a scenario is
//! either one of its parameters or on the short list of structured fields.

use atlas_core::params::{PARAMS, STRUCTURED_FIELDS};
use atlas_core::{Scenario, url, validate};

/// A value just beyond `v`, outward (a thousandth of the range, at least 1e-6).
fn beyond(v: f64, range: f64, up: bool) -> f64 {
    let step = (range * 1e-3).max(1e-6);
    if up { v + step } else { v - step }
}

#[test]
fn every_slider_lies_inside_the_valid_range_and_says_why_it_stops_short() {
    let default = Scenario::default();
    for p in PARAMS.iter() {
        let Some(slider) = p.slider else { continue };
        let (lo, hi) = p.valid_display();
        assert!(slider.min >= lo && slider.max <= hi, "{}: slider {slider:?} outside {lo}–{hi}", p.key);
        assert!(slider.step > 0.0 && slider.min < slider.max, "{}", p.key);
        let narrower = slider.min > lo || slider.max < hi;
        assert_eq!(narrower, !slider.why_narrower.is_empty(), "{}: why_narrower iff narrower", p.key);
        // The range the page gives a slider for a base stays valid too.
        let (min, max) = p.slider_range(&default).unwrap();
        assert!(min >= lo && max <= hi, "{}", p.key);
    }
}

#[test]
fn links_take_exactly_the_valid_range_of_every_parameter() {
    let default = Scenario::default();
    for p in PARAMS.iter() {
        let (Some(key), Some(_)) = (p.url, (p.get)(&default)) else { continue };
        let (lo, hi) = p.valid_display();
        let quantum = p.quantum.map_or(0.0, |q| q * p.scale);
        let mut ends = vec![lo, hi];
        if let Some(slider) = p.slider {
            ends.extend([slider.min, slider.max]);
        }
        for v in ends {
            // The span's other end within 60 years of the one set; the default's starting fleet
            // was installed before 2025, so its span cannot start earlier (validation says so).
            if (key == "start" && v < 2025.0) || (key == "end" && v < 2026.0) {
                continue;
            }
            let other = match key {
                "start" => format!("&end={}", (v + 1.0).min(hi)),
                "end" => format!("&start={}", (v - 1.0).max(2025.0)),
                _ => String::new(),
            };
            // Lifetimes keep buildings at least as long as the hardware.
            let order = match key {
                "life" => "&flife=60",
                "flife" => "&life=1",
                _ => "",
            };
            let d = url::decode(&format!("v=1&{key}={v}{other}{order}"), &[]);
            assert!(d.notices.is_empty(), "{key}={v} is valid: {:?}", d.notices);
            let got = p.display((p.get)(&d.scenario).unwrap());
            assert!((got - v).abs() <= 1e-9 * v.abs().max(1.0), "{key}={v} read as {got}");
        }
        for (v, up) in [(lo, false), (hi, true)] {
            let out = beyond(v, hi - lo, up);
            let out = if quantum > 0.0 { if up { v + quantum } else { v - quantum } } else { out };
            let d = url::decode(&format!("v=1&{key}={out}"), &[]);
            assert_eq!(d.notices.len(), 1, "{key}={out} is outside {lo}–{hi}: {:?}", d.notices);
            assert_eq!((p.get)(&d.scenario), (p.get)(&default), "{key}={out} keeps the default");
        }
    }
}

#[test]
fn validation_reports_each_parameter_beyond_its_range_under_its_field() {
    let default = Scenario::default();
    for p in PARAMS.iter() {
        if (p.get)(&default).is_none() || p.url.is_none() || matches!(p.key, "start_year" | "end_year") {
            continue;
        }
        let (lo, hi) = p.valid;
        for (v, up) in [(lo, false), (hi, true)] {
            let mut s = default.clone();
            (p.set)(&mut s, beyond(v, hi - lo, up));
            let problems = validate(&s);
            assert!(problems.iter().any(|pr| pr.field == p.field), "{}: {problems:?}", p.key);
            let mut s = default.clone();
            (p.set)(&mut s, v);
            if p.key == "lifetime_years" {
                s.facility_lifetime_years = 60.0;
            }
            if p.key == "facility_lifetime_years" {
                s.lifetime_years = 1.0;
            }
            assert!(validate(&s).is_empty(), "{} = {v} is valid: {:?}", p.key, validate(&s));
        }
    }
}

#[test]
fn every_field_of_a_scenario_is_a_parameter_or_a_listed_structure() {
    let json = serde_json::to_value(Scenario::default()).unwrap();
    let fields: Vec<&String> = json.as_object().unwrap().keys().collect();
    for field in &fields {
        // The capital over the span is read from the build-out, which is structured.
        let scalar = PARAMS.iter().any(|p| p.field == field.as_str() && p.url.is_some());
        let structured = STRUCTURED_FIELDS.iter().any(|(f, _)| f == field);
        assert!(scalar ^ structured, "{field}: in the table ({scalar}) or listed ({structured}), not both");
    }
    for (f, _) in STRUCTURED_FIELDS {
        assert!(fields.iter().any(|k| k.as_str() == f), "{f} is listed but is no field");
    }
    let mut keys: Vec<&str> = PARAMS.iter().map(|p| p.key).collect();
    keys.sort_unstable();
    keys.dedup();
    assert_eq!(keys.len(), PARAMS.len(), "keys are unique");
}

#[test]
fn the_uncertain_parameters_are_the_scalar_inputs_of_the_monte_carlo() {
    let inputs = atlas_core::uncertainty::inputs(&Scenario::default());
    for p in PARAMS.iter().filter(|p| p.uncertain.is_some()) {
        let input = inputs.iter().find(|i| i.label == p.label);
        let input = input.unwrap_or_else(|| panic!("{} is an input", p.key));
        assert_eq!(input.unit, p.unit, "{}", p.key);
    }
}

#[test]
fn a_link_that_moves_two_dependent_values_is_read_whichever_comes_first() {
    for query in
        ["v=1&life=1&flife=1", "v=1&flife=1&life=1", "v=1&start=2090&end=2100", "v=1&end=2100&start=2090"]
    {
        let d = url::decode(query, &[]);
        assert!(d.notices.is_empty(), "{query}: {:?}", d.notices);
    }
    let d = url::decode("v=1&flife=1&life=1", &[]);
    assert_eq!((d.scenario.lifetime_years, d.scenario.facility_lifetime_years), (1.0, 1.0));
    let d = url::decode("v=1&end=2100&start=2090", &[]);
    assert_eq!((d.scenario.start_year, d.scenario.end_year), (2090, 2100));
    // One that does not fit either way is still refused, with its reason.
    let d = url::decode("v=1&flife=2&life=3", &[]);
    assert_eq!(d.notices.len(), 1, "{:?}", d.notices);
}
