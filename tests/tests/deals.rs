//! OpenAI's build-out as its deals: the article scenario against the public record, each check
//! with its tolerance and source.

use atlas_core::data::default_data;
use atlas_core::scenario::BuildOut;
use atlas_core::url::decode;
use atlas_core::{Metric, Results, Scenario, simulate};

/// Altman's ~$1.4T for ~30 GW (Reuters, Oct-2025) are round numbers from a livestream: ±10% for
/// the capital, ±20% for the gigawatts.
const COMMITMENTS_USD_B: f64 = 1400.0;
const COMMITMENTS_TOLERANCE: f64 = 0.10;
const COMMITMENTS_GW: f64 = 30.0;
const GW_TOLERANCE: f64 = 0.20;

/// The article's chart for 2026 (Azure 50%, AWS 45%, Oracle 5-10%) is read off a drawing: each
/// cloud's share of the three clouds' capital within this many points.
const CHART_POINTS: f64 = 7.5;

/// A deal may build up to this much more than the gigawatts it states (the model's all-in cost
/// per GW is an estimate; contracts are capital-equivalent).
const GW_OVER_STATED: f64 = 1.25;

fn run(query: &str) -> (Scenario, Results) {
    let d = decode(query, &[]);
    assert!(d.notices.is_empty(), "{query}: {:?}", d.notices);
    let r = simulate(&d.scenario).expect("valid");
    (d.scenario, r)
}

/// Capital by provider over a year, USD bn.
fn capital_in(r: &Results, provider: &str, year: i32) -> f64 {
    let p = r.providers.iter().position(|x| x == provider).expect(provider);
    let capital = r.series(Metric::CapitalUsdB).provider(p);
    r.quarters.iter().zip(capital).filter(|(q, _)| q.year == year).map(|(_, v)| v).sum()
}

#[test]
fn the_deals_spend_the_commitments_for_about_thirty_gigawatts() {
    let (_, r) = run("v=1");
    let capital = r.summary.capital_usd_b_total;
    assert!((capital / COMMITMENTS_USD_B - 1.0).abs() <= COMMITMENTS_TOLERANCE, "capital {capital}");
    let gw: f64 = r.deals.iter().map(|d| d.design_gw).sum();
    assert!((gw / COMMITMENTS_GW - 1.0).abs() <= GW_TOLERANCE, "{gw} GW bought");
}

#[test]
fn every_deal_spends_its_amount_at_its_provider_in_its_time() {
    let (s, r) = run("v=1");
    let BuildOut::Deals(book) = &s.build_out else { panic!("a deal book") };
    let rows = &default_data().scenario.deals.as_ref().expect("deal rows").rows;
    for (d, outcome) in book.deals.iter().zip(&r.deals) {
        assert_eq!(d.id, outcome.id);
        // Nothing is blocked in the article: each deal places exactly its amount.
        assert!((outcome.capital_usd_b - d.amount_usd_b).abs() < 1e-9 * d.amount_usd_b, "{}", d.id);
        let row = rows.iter().find(|x| x.id == d.id).expect("a row per deal");
        if let Some(gw) = &row.power_gw {
            let most = gw.high.unwrap_or(gw.value) * GW_OVER_STATED;
            assert!(
                outcome.design_gw <= most,
                "{}: {} GW against {} stated",
                d.id,
                outcome.design_gw,
                gw.value
            );
        }
    }
    // Capital by provider over the span is the sum of its deals.
    for p in &s.providers {
        let deals: f64 = book.deals.iter().filter(|d| d.provider == p.id).map(|d| d.amount_usd_b).sum();
        let i = r.providers.iter().position(|x| *x == p.id).unwrap();
        let capital: f64 = r.series(Metric::CapitalUsdB).provider(i).iter().sum();
        assert!((capital - deals).abs() < 1e-6 * deals.max(1.0), "{}: {capital} against {deals}", p.id);
    }
    // And in its time: nothing before a provider's first deal starts.
    let aws_start = book.deals.iter().filter(|d| d.provider == "aws").map(|d| d.start).min().unwrap();
    let aws = r.providers.iter().position(|x| x == "aws").unwrap();
    for (q, v) in r.quarters.iter().zip(r.series(Metric::CapitalUsdB).provider(aws)) {
        if *q < aws_start {
            assert_eq!(*v, 0.0, "AWS has no share before its deal ({q})");
        }
    }
    assert_eq!(aws_start.to_string(), "2025Q4", "the $38B deal of 3-Nov-2025");
}

#[test]
fn the_2026_shares_match_the_articles_chart() {
    let (_, r) = run("v=1");
    let [azure, aws, oracle] = ["azure", "aws", "oracle"].map(|p| capital_in(&r, p, 2026));
    let total = azure + aws + oracle;
    let pct = |v: f64| 100.0 * v / total;
    assert!((pct(azure) - 50.0).abs() <= CHART_POINTS, "Azure {}", pct(azure));
    assert!((pct(aws) - 45.0).abs() <= CHART_POINTS, "AWS {}", pct(aws));
    assert!((5.0 - CHART_POINTS / 3.0..=10.0).contains(&pct(oracle)), "Oracle {}", pct(oracle));
    // 2023: Azure ~90%, Oracle the rest.
    let [azure, oracle] = ["azure", "oracle"].map(|p| capital_in(&r, p, 2023));
    assert!((100.0 * azure / (azure + oracle) - 90.0).abs() <= CHART_POINTS);
}

#[test]
fn openais_capacity_is_built_at_its_announced_sites_in_the_us() {
    let (_, r) = run("v=1");
    let q = r.quarters.iter().rposition(|q| q.year == 2030).unwrap();
    let us = r.total(Metric::ShareUsPct)[q];
    assert!(us >= 85.0, "{us}% of the 2030 capacity in the US");
    // The chart as drawn uses each provider's global footprint instead.
    let (_, chart) = run("preset=article-chart");
    let q = chart.quarters.iter().rposition(|q| q.year == 2030).unwrap();
    assert!(chart.total(Metric::ShareUsPct)[q] < 75.0);
}

#[test]
fn an_all_in_gigawatt_costs_what_the_public_figures_say() {
    // Nvidia $50-60B per GW, Altman >$40B, Stargate ~$50B, rising with Rubin (figures.md, section
    // 2): a new build of Nvidia's generations for OpenAI, at its deal's sites and provider,
    // (price + IT power × building cost) ÷ (IT power × PUE), as the model counts a new build
    // (core/tests/buildings.rs works one by hand).
    let (s, r) = run("v=1");
    let BuildOut::Deals(book) = &s.build_out else { panic!("a deal book") };
    let per_gw = |deal: &str, accelerator: &str| {
        let d = book.deals.iter().find(|d| d.id == deal).expect(deal);
        let a = &s.accelerators[s.accelerator_index(accelerator).expect(accelerator)];
        let pue = s.providers[s.provider_index(&d.provider).unwrap()].pue;
        let weights: f64 = d.sites.values().sum();
        d.sites
            .iter()
            .map(|(region, w)| {
                let capex = s.regions[s.region_index(region).unwrap()].facility_capex_usd_per_w;
                // USD per W is USD bn per GW.
                w / weights * (a.price_usd + a.it_power_w * capex) / (a.it_power_w * pue)
            })
            .sum::<f64>()
    };
    let eras = [
        ("Blackwell Ultra (AWS, 2026)", per_gw("aws-2025", "gb300")),
        ("Vera Rubin (Nvidia deal, 2027)", per_gw("nvidia-10gw", "vera_rubin")),
        ("Rubin Ultra (Nvidia deal, 2028)", per_gw("nvidia-10gw", "rubin_ultra")),
    ];
    for pair in eras.windows(2) {
        assert!(pair[1].1 > pair[0].1, "rising: {pair:?}");
    }
    for (era, usd_b) in eras {
        assert!((45.0..=60.0).contains(&usd_b), "{era}: ${usd_b}B per GW");
    }
    // The model's own new builds over the span, every chip included (OpenAI's Broadcom parts
    // cost far less per GW), within Altman's >$40B and Nvidia's $60B.
    let span = r.summary.all_in_usd_b_per_gw_total;
    assert!((40.0..=60.0).contains(&span), "the span's new builds: ${span}B per GW");
}

#[test]
fn the_2026_revision_spends_about_600_billion_through_2030() {
    // CNBC (20-Feb-2026): ~$600B of compute through 2030; the model's book adds the ~$80B spent
    // before 2026 and counts contracts as capital, so ±25%.
    let (_, r) = run("preset=openai-2026");
    let from_2026: f64 = (2026..=2030)
        .map(|y| {
            r.quarters
                .iter()
                .zip(r.total(Metric::CapitalUsdB))
                .filter(|(q, _)| q.year == y)
                .map(|(_, v)| v)
                .sum::<f64>()
        })
        .sum();
    assert!((from_2026 / 600.0 - 1.0).abs() <= 0.25, "2026-2030: {from_2026}");
    let aws = r.deals.iter().find(|d| d.id == "aws-2026").expect("the AWS expansion");
    assert!(aws.capital_usd_b > 0.0);
    assert!(r.deals.iter().all(|d| d.id != "nvidia-10gw"), "the Nvidia letter of intent became equity");
}
