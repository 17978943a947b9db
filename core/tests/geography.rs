//! The map's numbers: each mark is its region's own breakdown in the quarter, the marks add up to
//! the total, the baseline is matched by quarter and region, grids are the simulation's.

use atlas_core::geography::{self, GRID_CLASSES, MapFigure, grid_class, radius};
use atlas_core::{Metric, Scenario, simulate};

fn world() -> Scenario {
    atlas_core::scenario::base("world").expect("the world base scenario")
}

#[test]
fn every_mark_is_its_regions_value_and_the_marks_add_up_to_the_total() {
    let s = world();
    let r = simulate(&s).expect("the world simulates");
    for figure in MapFigure::ALL {
        for q in [0, r.quarters.len() / 2, r.quarters.len() - 1] {
            let frame = geography::frame(&s, &r, &r, figure, q);
            assert_eq!(frame.quarter, r.quarters[q]);
            assert_eq!(frame.marks.len(), s.regions.len());
            assert!(frame.marks.iter().all(|m| m.place.is_some()), "every region of the world has a place");
            assert!(frame.unplaced().is_empty());
            let sum: f64 = frame.marks.iter().map(|m| m.value).sum();
            let total = r.total(figure.metric())[q] * figure.scale();
            assert!((sum - total).abs() <= 1e-9 * total.max(1.0), "{figure:?} {q}: {sum} vs {total}");
            for (i, m) in frame.marks.iter().enumerate() {
                assert_eq!(m.region, r.regions[i]);
                assert_eq!(m.value, r.series(figure.metric()).region(i)[q] * figure.scale());
                assert_eq!(m.baseline, m.value, "the baseline is the same run");
                assert!(frame.largest >= m.value);
            }
        }
    }
}

#[test]
fn the_largest_value_is_over_every_quarter_so_sizes_mean_the_same_throughout() {
    let s = world();
    let r = simulate(&s).expect("the world simulates");
    let first = geography::frame(&s, &r, &r, MapFigure::Capacity, 0);
    let last = geography::frame(&s, &r, &r, MapFigure::Capacity, usize::MAX);
    assert_eq!(last.quarter, *r.quarters.last().unwrap(), "a quarter past the end is the last");
    assert_eq!(first.largest, last.largest);
    let end_max = last.marks.iter().map(|m| m.value).fold(0.0, f64::max);
    assert!(first.largest >= end_max && end_max > 0.0);
}

#[test]
fn grids_are_the_simulations_own_location_based_carbon_over_energy() {
    let s = world();
    let r = simulate(&s).expect("the world simulates");
    let q = r.quarters.len() - 1;
    let frame = geography::frame(&s, &r, &r, MapFigure::Energy, q);
    for (i, m) in frame.marks.iter().enumerate() {
        let energy = r.series(Metric::EnergyTwh).region(i)[q];
        if energy <= 0.0 {
            continue;
        }
        // Mt CO2e ÷ TWh × 1,000 = g/kWh.
        let implied = r.series(Metric::CarbonLocationMt).region(i)[q] / energy * 1000.0;
        assert!(
            (implied - m.grid_g_per_kwh).abs() <= 1e-6 * implied.max(1.0),
            "{}: {implied} g/kWh simulated, {} on the map",
            m.region,
            m.grid_g_per_kwh
        );
    }
}

#[test]
fn the_baseline_is_matched_by_quarter_and_region() {
    let s = Scenario::default();
    let base = simulate(&s).unwrap();
    let mut later = s.clone();
    later.start_year += 1;
    let now = simulate(&later).unwrap();
    let frame = geography::frame(&later, &now, &base, MapFigure::Capacity, 0);
    let bq = base.quarters.iter().position(|&q| q == now.quarters[0]).unwrap();
    for m in &frame.marks {
        let bi = base.regions.iter().position(|r| r == &m.region).unwrap();
        assert_eq!(m.baseline, base.series(Metric::H100e).region(bi)[bq]);
    }
    // A baseline that ends before the quarter shown contributes nothing.
    let mut early = s.clone();
    early.end_year = early.start_year;
    let short = simulate(&early).unwrap();
    let end = geography::frame(&s, &base, &short, MapFigure::Capacity, usize::MAX);
    assert!(end.marks.iter().all(|m| m.baseline == 0.0));
}

#[test]
fn a_region_the_data_does_not_place_is_listed_not_drawn() {
    let mut s = Scenario::default();
    let r0 = s.regions[0].id.clone();
    s.regions[0].id = "atlantis".into();
    s.regions[0].name = "Atlantis".into();
    // Whatever referred to the old id now names the new one.
    let json = serde_json::to_string(&s).unwrap().replace(&format!("\"{r0}\""), "\"atlantis\"");
    let s = atlas_core::parse_scenario(&json).expect("a renamed region is a valid scenario");
    let r = simulate(&s).unwrap();
    let frame = geography::frame(&s, &r, &r, MapFigure::Capacity, usize::MAX);
    let i = r.regions.iter().position(|id| id == "atlantis").unwrap();
    let has = r.series(Metric::H100e).region(i).last().copied().unwrap_or(0.0) > 0.0;
    assert_eq!(frame.unplaced(), if has { vec!["atlantis"] } else { vec![] });
    let atlantis = frame.marks.iter().find(|m| m.region == "atlantis").expect("listed");
    assert_eq!(atlantis.place, None, "not drawn");
    assert_eq!(frame.marks.iter().filter(|m| m.place.is_some()).count(), s.regions.len() - 1);
}

#[test]
fn circles_have_areas_in_proportion_to_their_values() {
    assert_eq!(radius(0.0, 10.0, 30.0), 0.0);
    assert_eq!(radius(10.0, 10.0, 30.0), 30.0);
    assert!((radius(2.5, 10.0, 30.0) - 15.0).abs() < 1e-12, "a quarter of the value, half the radius");
    assert_eq!(radius(20.0, 10.0, 30.0), 30.0, "never past the largest");
    assert_eq!(radius(5.0, 0.0, 30.0), 0.0);
}

#[test]
fn grid_classes_split_at_their_bounds() {
    assert_eq!(grid_class(0.0), 0);
    assert_eq!(grid_class(GRID_CLASSES[0] - 1e-9), 0);
    assert_eq!(grid_class(GRID_CLASSES[0]), 1);
    assert_eq!(grid_class(GRID_CLASSES[2] + 1.0), 3);
    assert_eq!(grid_class(f64::INFINITY), 3);
}
