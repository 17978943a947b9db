//! The embedded default data: it parses, covers what the model needs, and every value has a source.

use std::collections::BTreeSet;

use atlas_core::data::{Sourced, default_data, try_default_data};
use atlas_core::policy::{AcceleratorSelector, Action, DestinationSelector, ExportGroup};
use atlas_core::scenario::{BuildOut, ExportPolicy};
use atlas_core::{Scenario, validate};

#[test]
fn embedded_data_parses() {
    let data = try_default_data().expect("default data parses");
    assert!(!data.meta.version.is_empty());
}

#[test]
fn data_covers_the_model() {
    let data = default_data();
    assert!(data.accelerators.len() >= 10, "{} accelerators", data.accelerators.len());
    assert!(data.providers.len() >= 6, "{} providers", data.providers.len());
    assert!(data.regions.len() >= 12, "{} regions", data.regions.len());
    let groups: BTreeSet<ExportGroup> = data.regions.iter().map(|r| r.export_group).collect();
    assert_eq!(groups.len(), ExportGroup::ALL.len(), "every export group has a region");
    for id in ["none", "oct-2023", "ai-diffusion-2025", "blackwell-us-only"] {
        assert!(ExportPolicy::preset(id).is_some(), "preset {id}");
    }
    for id in ["h100", "h200", "b200", "gb200", "gb300", "mi300x", "mi355x", "tpu_v6e", "tpu7x", "trainium2"]
    {
        assert!(data.accelerators.iter().any(|a| a.id == id), "accelerator {id}");
    }
    for id in ["azure", "aws", "oracle", "google", "coreweave", "stargate"] {
        assert!(data.providers.iter().any(|p| p.id == id), "provider {id}");
    }
}

#[test]
fn every_figure_has_a_source_a_year_and_a_consistent_range() {
    let figures = default_data().all_figures();
    assert!(figures.len() > 100);
    for (path, f) in figures {
        assert!(f.source.trim().len() >= 10, "{path}: source too short: {:?}", f.source);
        assert!((1990..=2030).contains(&f.year), "{path}: year {}", f.year);
        assert!(f.value.is_finite(), "{path}");
        if let Some(low) = f.low {
            assert!(low <= f.value, "{path}: low {low} > value {}", f.value);
        }
        if let Some(high) = f.high {
            assert!(high >= f.value, "{path}: high {high} < value {}", f.value);
        }
        if f.source.starts_with("Compute Atlas estimate") {
            assert!(f.estimate, "{path}: our own estimate must be marked as such");
        }
    }
}

#[test]
fn provenance_is_reachable_by_field() {
    let data = default_data();
    let Some(Sourced::Figure(f)) = data.figure("accelerators", "h100", "bf16_dense_tflops") else {
        panic!("h100 throughput has a figure");
    };
    assert_eq!(f.value, 989.0);
    assert!(f.source.contains("datasheet") || f.source.contains("klockwood"), "{}", f.source);
    assert!(matches!(data.figure("providers", "azure", "regions"), Some(Sourced::Provenance(_))));
    assert!(matches!(data.figure("scenario", "", "deals"), Some(Sourced::Provenance(_))));
    assert!(matches!(data.figure("scenario", "article-chart", "shares"), Some(Sourced::Provenance(_))));
    assert!(data.figure("regions", "nowhere", "price_usd_per_mwh").is_none());
    assert!(data.figure("regions", "us_east", "no_such_field").is_none());
}

#[test]
fn providers_offer_only_what_exists_and_tpus_stay_at_google() {
    let s = Scenario::default();
    for p in &s.providers {
        for a in &p.offers {
            let acc = s.accelerators.iter().find(|x| &x.id == a).expect("offered accelerator exists");
            if acc.id.starts_with("tpu") {
                assert_eq!(p.id, "google", "TPUs only in Google Cloud");
            }
            if acc.id.starts_with("trainium") {
                assert_eq!(p.id, "aws", "Trainium only in AWS");
            }
        }
    }
}

#[test]
fn default_scenario_is_the_articles_world() {
    let s = Scenario::default();
    assert!(validate(&s).is_empty());
    assert_eq!((s.start_year, s.end_year), (2023, 2033));
    // The deals on record add up to the ~$1.4T Altman cited.
    let BuildOut::Deals(book) = &s.build_out else { panic!("a deal book") };
    let total: f64 = book.deals.iter().map(|d| d.amount_usd_b).sum();
    assert!((total - 1400.0).abs() < 0.05 * 1400.0, "the deals add up to {total}");
    assert_eq!(book.share_year, 2026);
    assert!(s.provider_shares_pct.is_empty(), "the deals set the shares");
    assert_eq!(s.lifetime_years, 5.0);
    // The article's chart as drawn is a base scenario of its own.
    let chart = atlas_core::scenario::base("article-chart").expect("the chart's base scenario");
    let shares = |year: i32, p: &str| chart.provider_shares_pct[&year].get(p).copied().unwrap_or(0.0);
    assert_eq!((shares(2023, "azure"), shares(2023, "aws"), shares(2023, "oracle")), (90.0, 0.0, 10.0));
    assert_eq!((shares(2026, "azure"), shares(2026, "aws"), shares(2026, "oracle")), (50.0, 45.0, 5.0));
    let BuildOut::BudgetUsdBPerYear(budget) = &chart.build_out else { panic!("budget path") };
    let commitments: f64 = budget.range(2026..=2033).map(|(_, v)| v).sum();
    assert!((commitments - 1400.0).abs() < 1e-9, "the $1.4T build-out 2026–2033: {commitments}");
}

#[test]
fn the_presets_do_what_their_names_say() {
    let bans = |id: &str| ExportPolicy::preset(id).unwrap().rules;
    assert!(bans("none").is_empty());
    let embargo = |rules: &[atlas_core::policy::ExportRule]| {
        rules.iter().any(|r| {
            r.accelerators == AcceleratorSelector::Any
                && r.destination == DestinationSelector::Group(ExportGroup::Embargoed)
                && r.action == Action::Ban
        })
    };
    for id in ["oct-2023", "ai-diffusion-2025", "blackwell-us-only"] {
        assert!(embargo(&bans(id)), "{id} bans everything to the embargoed group");
    }
    assert!(
        bans("ai-diffusion-2025").iter().any(|r| r.action == Action::Cap
            && r.destination == DestinationSelector::Group(ExportGroup::MiddleTier))
    );
    let blackwell = bans("blackwell-us-only");
    for group in [ExportGroup::CloseAllies, ExportGroup::MiddleTier] {
        assert!(blackwell.iter().any(|r| matches!(r.accelerators, AcceleratorSelector::Family(_))
            && r.destination == DestinationSelector::Group(group)
            && r.action == Action::Ban));
    }
}
