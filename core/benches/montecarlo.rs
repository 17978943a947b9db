//! Criterion benchmarks of the uncertainty analysis: 1,000 Monte Carlo draws of the default
//! scenario (the page's default) with their percentiles, one draw alone (the draws-per-second
//! figure of docs/perf.md), and the tornado of end-year carbon. `cargo xtask bench` runs them and
//! writes the figures to `docs/perf.md`.

use std::hint::black_box;

use atlas_core::Scenario;
use atlas_core::montecarlo::{MonteCarlo, bands};
use atlas_core::tornado::{DEFAULT_KPI, tornado};
use criterion::{Criterion, criterion_group, criterion_main};

fn bench(c: &mut Criterion) {
    let s = Scenario::default();
    assert_eq!(s.uncertainty.draws, 1000);
    let mut group = c.benchmark_group("montecarlo");
    group.sample_size(10);
    group.bench_function("default_1000_draws", |b| b.iter(|| bands(black_box(&s))));
    group.bench_function("tornado_default", |b| b.iter(|| tornado(black_box(&s), DEFAULT_KPI)));
    group.finish();

    let mut one = c.benchmark_group("montecarlo_draw");
    one.sample_size(30);
    let mut mc = MonteCarlo::new(&s);
    one.bench_function("default", |b| {
        b.iter(|| {
            if mc.is_done() {
                mc = MonteCarlo::new(&s);
            }
            mc.run_draws(1)
        })
    });
    one.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
