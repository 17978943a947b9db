//! temp
fn main() {
    let s = atlas_core::Scenario::default();
    let t = std::time::Instant::now();
    let mut mc = atlas_core::montecarlo::MonteCarlo::new(&s);
    mc.run_draws(1000);
    let mut m2 = atlas_core::montecarlo::MonteCarlo::new(&s);
    m2.run_draws(1000);
    m2 = atlas_core::montecarlo::MonteCarlo::new(&s);
    m2.run_draws(1000);
    let t2 = std::time::Instant::now();
    let _ = mc.bands();
    eprintln!("draws {:?} bands {:?}", t2 - t, t2.elapsed());
    let t = std::time::Instant::now();
    for _ in 0..0 {
        std::hint::black_box(atlas_core::run(&s));
    }
    eprintln!("run {:?}", t.elapsed());
}
