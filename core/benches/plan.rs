//! Criterion benchmarks of the planner: one least-cost solve of the default scenario, and of the
//! world's data centres. `cargo xtask bench` runs them and writes the figures to `docs/perf.md`.

use std::hint::black_box;

use atlas_core::Scenario;
use atlas_core::plan::{Objective, PlanSettings, plan};
use criterion::{Criterion, criterion_group, criterion_main};

fn bench(c: &mut Criterion) {
    let default = Scenario::default();
    let world = atlas_core::scenario::base("world").expect("the world base scenario");
    let settings = PlanSettings { max_provider_share: 0.5, ..PlanSettings::default() };
    for (name, s) in [("default", &default), ("world", &world)] {
        let p = plan(s, &settings).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(p.capital_usd_b > 0.0, "{name} plans something");
    }
    let mut group = c.benchmark_group("plan");
    group.sample_size(20);
    group.bench_function("default_min_cost", |b| b.iter(|| plan(black_box(&default), black_box(&settings))));
    let max = PlanSettings { objective: Objective::MaxCompute, ..settings.clone() };
    group.bench_function("default_max_compute", |b| b.iter(|| plan(black_box(&default), black_box(&max))));
    group.bench_function("world_min_cost", |b| b.iter(|| plan(black_box(&world), black_box(&settings))));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
