//! The accelerator roadmap to 2033 and the trend after it: providers buy the newest generation
//! each quarter, so no single model dominates the 2033 fleet; projected parts follow their base by
//! the trend, worked by hand; compute per GW and per dollar rise within the trend's range.

mod common;

use atlas_core::data::default_data;
use atlas_core::url::{decode, encode};
use atlas_core::{Metric, Results, Scenario, simulate};
use common::assert_close;

fn run(query: &str) -> (Scenario, Results) {
    let d = decode(query, &[]);
    assert!(d.notices.is_empty(), "{query}: {:?}", d.notices);
    let r = simulate(&d.scenario).expect("valid");
    (d.scenario, r)
}

/// Sum of a flow metric over a calendar year, and a level at the year's last quarter.
fn year_sum(r: &Results, m: Metric, year: i32) -> f64 {
    r.quarters.iter().zip(r.total(m)).filter(|(q, _)| q.year == year).map(|(_, v)| v).sum()
}

fn year_end(r: &Results, m: Metric, year: i32) -> f64 {
    let q = r.quarters.iter().rposition(|q| q.year == year).expect("year in span");
    r.total(m)[q]
}

#[test]
fn no_single_model_holds_half_of_the_2033_fleet() {
    let (_, r) = run("v=1");
    let last = r.quarters.len() - 1;
    for metric in [Metric::H100e, Metric::Accelerators] {
        let series = r.series(metric);
        let total = series.total[last];
        for (a, id) in r.accelerators.iter().enumerate() {
            let share = series.accelerator(a)[last] / total;
            assert!(share <= 0.5, "{id} holds {:.0}% of the 2033 fleet by {}", share * 100.0, metric.id());
        }
    }
    // And the 2033 fleet is of generations announced or projected after 2025.
    let s = Scenario::default();
    let h100e = r.series(Metric::H100e);
    let after_2025: f64 = (0..r.accelerators.len())
        .filter(|&a| s.accelerators[a].first_available.year > 2025)
        .map(|a| h100e.accelerator(a)[last])
        .sum();
    assert!(after_2025 > 0.9 * h100e.total[last], "{after_2025} of {}", h100e.total[last]);
}

#[test]
fn compute_per_gw_and_per_dollar_rise_within_the_trends_range() {
    let (_, r) = run("v=1");
    let trend = &default_data().trend;
    let per_gw = |y| year_end(&r, Metric::H100e, y) / year_end(&r, Metric::DesignPowerGw, y);
    let per_usd = |y| year_sum(&r, Metric::AddedH100e, y) / year_sum(&r, Metric::CapitalUsdB, y);
    for y in 2027..=2033 {
        assert!(per_gw(y) > per_gw(y - 1), "H100e per GW falls in {y}");
        assert!(per_usd(y) > per_usd(y - 1), "H100e per dollar falls in {y}");
    }
    // Yearly growth over 2026-2033 within the trend's range, with a 5-point margin for the
    // announced parts, which need not sit on the trend.
    let cagr = |a: f64, b: f64| (b / a).powf(1.0 / 7.0) - 1.0;
    let (w, usd) = (&trend.perf_per_watt_gain_per_year, &trend.perf_per_usd_gain_per_year);
    let g_gw = cagr(per_gw(2026), per_gw(2033));
    let g_usd = cagr(per_usd(2026), per_usd(2033));
    assert!(
        (w.low.unwrap() - 0.05..=w.high.unwrap() + 0.05).contains(&g_gw),
        "H100e per GW grows {:.1}%/yr",
        g_gw * 100.0
    );
    assert!(
        (usd.low.unwrap() - 0.05..=usd.high.unwrap() + 0.05).contains(&g_usd),
        "H100e per dollar grows {:.1}%/yr",
        g_usd * 100.0
    );
}

#[test]
fn a_projected_part_follows_its_base_by_the_trend_worked_by_hand() {
    let s = Scenario::default();
    let find = |id: &str| s.accelerators.iter().find(|a| a.id == id).expect(id);
    let (base, next) = (find("rubin_ultra"), find("nvidia_2030"));
    assert_eq!(next.projected_from.as_deref(), Some("rubin_ultra"));
    // 2027Q4 → 2030Q4: three years at +40%/yr per watt and +30%/yr per dollar.
    let years = 3.0;
    assert_close(next.bf16_dense_tflops, base.bf16_dense_tflops * 1.4f64.powf(years), 1e-12);
    assert_close(next.price_usd, base.price_usd * (1.4f64 / 1.3).powf(years), 1e-12);
    assert_eq!(next.it_power_w, base.it_power_w, "the same power per package");
    assert_eq!(next.memory_gb, base.memory_gb);

    // The trend is a parameter of the link: slower gains make every projected part slower.
    let (slow, _) = run("v=1&trend_w=26&trend_usd=25");
    let slow_next = slow.accelerators.iter().find(|a| a.id == "nvidia_2030").unwrap();
    assert_close(slow_next.bf16_dense_tflops, base.bf16_dense_tflops * 1.26f64.powf(years), 1e-12);
    assert_eq!(encode(&slow), "v=1&trend_w=26&trend_usd=25");
    assert_eq!(decode(&encode(&slow), &[]).scenario, slow);
}

#[test]
fn a_slower_trend_builds_less_compute_with_the_same_money() {
    let (_, fast) = run("v=1");
    let (_, slow) = run("v=1&trend_w=26&trend_usd=25");
    assert!(slow.summary.h100e_end < fast.summary.h100e_end);
    assert_close(slow.summary.capital_usd_b_total, fast.summary.capital_usd_b_total, 1e-9);
}

#[test]
fn a_provider_with_a_vendor_mix_buys_from_each_vendor() {
    // AWS alone buys Trainium; its capital splits Nvidia 60 / AWS 40 once Trainium is on sale.
    let (s, r) = run("preset=world");
    let aws = r.providers.iter().position(|p| p == "aws").unwrap();
    let capital = r.series(Metric::CapitalUsdB);
    let from = r.quarters.iter().position(|q| q.year == 2026).unwrap();
    let all: f64 = capital.provider(aws)[from..].iter().sum();
    let trainium: f64 = (0..r.accelerators.len())
        .filter(|&a| s.accelerators[a].vendor == "AWS")
        .map(|a| capital.accelerator(a)[from..].iter().sum::<f64>())
        .sum();
    let mix = &s.providers[s.provider_index("aws").unwrap()].vendor_mix;
    assert_close(trainium / all, mix["AWS"] / mix.values().sum::<f64>(), 1e-9);
}
