//! Criterion benchmarks of the simulation: the default scenario, one ten times larger (every
//! provider cloned ten times, so ten times as many provider × region × accelerator cells), and the
//! world's data centres (every provider building, conventional servers included).
//! `cargo xtask bench` runs them and writes the figures to `docs/perf.md`.

use std::hint::black_box;

use atlas_core::{Scenario, run, simulate};
use criterion::{Criterion, criterion_group, criterion_main};

/// The default scenario with every provider cloned `k` times, each clone taking an equal part of
/// the original's share, the deals going to the first clones, and from 2030 every clone an equal
/// share.
fn scaled(k: usize) -> Scenario {
    let mut s = Scenario::default();
    let originals = std::mem::take(&mut s.providers);
    for p in &originals {
        for i in 0..k {
            let mut clone = p.clone();
            clone.id = format!("{}-{i}", p.id);
            s.providers.push(clone);
        }
    }
    for shares in s.provider_shares_pct.values_mut() {
        let old = std::mem::take(shares);
        for (id, pct) in old {
            for i in 0..k {
                shares.insert(format!("{id}-{i}"), pct / k as f64);
            }
        }
    }
    s.starting_fleet.iter_mut().for_each(|c| c.provider = format!("{}-0", c.provider));
    // The default's deals go to each provider's first clone.
    if let atlas_core::BuildOut::Deals(book) = &mut s.build_out {
        book.deals.iter_mut().for_each(|d| d.provider = format!("{}-0", d.provider));
    }
    // Give every clone a share so all of them build.
    let n = s.providers.len();
    let ids: Vec<String> = s.providers.iter().map(|p| p.id.clone()).collect();
    s.provider_shares_pct.insert(2030, ids.into_iter().map(|id| (id, 100.0 / n as f64)).collect());
    s
}

fn bench(c: &mut Criterion) {
    let default = Scenario::default();
    let large = scaled(10);
    assert!(atlas_core::validate(&large).is_empty(), "the 10x scenario is valid");
    let mut group = c.benchmark_group("simulate");
    group.bench_function("default", |b| b.iter(|| simulate(black_box(&default))));
    let valid = atlas_core::Valid::check(&default).expect("the default is valid");
    group.bench_function("default_unvalidated", |b| b.iter(|| run(black_box(valid))));
    group.bench_function("10x", |b| b.iter(|| simulate(black_box(&large))));
    let world = atlas_core::scenario::base("world").expect("the world base scenario");
    group.bench_function("world", |b| b.iter(|| simulate(black_box(&world))));
    group.finish();
    // What the page computes besides the simulation on a slider move: the scenario's title and
    // each card's largest mover against the baseline.
    let mut edited = default.clone();
    edited.energy_cost_multiplier = 2.0;
    let (current, baseline) = (simulate(&edited).unwrap(), simulate(&default).unwrap());
    let mut page = c.benchmark_group("page");
    page.bench_function("title", |b| b.iter(|| atlas_core::naming::title(black_box(&edited))));
    page.bench_function("largest_mover_all_cards", |b| {
        b.iter(|| {
            current
                .summary
                .kpis()
                .iter()
                .filter_map(|k| {
                    atlas_core::compare::largest_mover(k.id, black_box(&current), black_box(&baseline))
                })
                .collect::<Vec<_>>()
        })
    });
    page.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
