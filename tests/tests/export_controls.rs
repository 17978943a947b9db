//! Export controls that act like the real ones: a family's rule covers its sub-generations, in
//! the world scenario where somebody builds in every group.

use atlas_core::url::decode;
use atlas_core::{Results, Scenario, simulate};

fn run(query: &str) -> (Scenario, Results) {
    let d = decode(query, &[]);
    assert!(d.notices.is_empty(), "{query}: {:?}", d.notices);
    let r = simulate(&d.scenario).expect("valid");
    (d.scenario, r)
}

/// Accelerators of the given models installed in a region at any quarter.
fn installed(r: &Results, region: &str, models: &[&str]) -> f64 {
    let reg = r.regions.iter().position(|x| x == region).expect(region);
    r.cells
        .iter()
        .filter(|c| c.region == reg && models.contains(&r.accelerators[c.accelerator].as_str()))
        .flat_map(|c| c.installed.iter())
        .sum()
}

#[test]
fn banning_blackwell_to_the_embargoed_group_bans_blackwell_ultra_too() {
    // With no rules at all, China buys Blackwell Ultra (GB300) once it is on sale.
    let (_, open) = run("v=1&base=world&policy=none");
    assert!(installed(&open, "china", &["gb300"]) > 0.0, "GB300 reaches China without rules");
    // One click on the Blackwell row bans both generations there, and nowhere else.
    let (_, banned) = run("v=1&base=world&policy=none&ban=blackwell:embargoed");
    assert_eq!(installed(&banned, "china", &["b200", "gb200", "gb300"]), 0.0);
    assert!(installed(&banned, "singapore", &["gb300"]) > 0.0, "other groups still get GB300");
    // Set apart on purpose, Blackwell Ultra flows again while Blackwell stays banned.
    let (_, apart) =
        run("v=1&base=world&policy=none&ban=blackwell:embargoed&allow=blackwell_ultra:embargoed");
    assert!(installed(&apart, "china", &["gb300"]) > 0.0);
    assert_eq!(installed(&apart, "china", &["b200", "gb200"]), 0.0);
}
