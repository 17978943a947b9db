//! tmp
fn main() {
    let s = atlas_core::Scenario::default();
    let r = atlas_core::simulate(&s).unwrap();
    print!("{}", atlas_core::export::summary_text(&s.name, &r));
}
