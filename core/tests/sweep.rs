//! Sweeps: a grid's links, each run to its headline figures, a bad link reported in its row.

use atlas_core::KpiId;
use atlas_core::sweep::{Axis, csv_header, csv_row, evaluate, expand};

#[test]
fn axes_read_lists_ranges_and_semicolon_lists() {
    assert_eq!(Axis::parse("energy=0.5,1, 2").unwrap().values, ["0.5", "1", "2"]);
    assert_eq!(Axis::parse("energy=0.5:2:0.5").unwrap().values, ["0.5", "1", "1.5", "2"]);
    assert_eq!(
        Axis::parse("carbon=0:0.3:0.1").unwrap().values,
        ["0", "0.1", "0.2", "0.3"],
        "no binary noise"
    );
    let bans = Axis::parse("ban=blackwell:embargoed;hopper:embargoed,blackwell:embargoed").unwrap();
    assert_eq!(bans.param, "ban");
    assert_eq!(bans.values, ["blackwell:embargoed", "hopper:embargoed,blackwell:embargoed"]);
    for bad in ["energy", "=1,2", "energy=", "energy=2:1:0.5", "energy=0:1:0", "energy=0:1:0.0000001"] {
        assert!(Axis::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn a_grid_is_every_combination_the_last_axis_fastest() {
    let axes = [Axis::parse("energy=1,2").unwrap(), Axis::parse("share.aws=10,20,30").unwrap()];
    let links = expand("?v=1&energy=5&carbon=50", &axes);
    assert_eq!(links.len(), 6);
    assert_eq!(links[0], "v=1&carbon=50&energy=1&share.aws=10");
    assert_eq!(links[1], "v=1&carbon=50&energy=1&share.aws=20");
    assert_eq!(links[5], "v=1&carbon=50&energy=2&share.aws=30");
    assert_eq!(expand("", &[]), [""]);
    assert_eq!(expand("v=1", &[Axis::parse("end=2030").unwrap()]), ["v=1&end=2030"]);
}

#[test]
fn a_row_has_the_simulations_own_figures_to_the_bit() {
    let link = "v=1&energy=1.5&ban=blackwell:embargoed&view=region&lang=fr";
    let row = evaluate(7, link);
    assert!(row.ok(), "{:?}", row.problems);
    assert_eq!((row.index, row.link.as_str()), (7, link));
    let decoded = atlas_core::url::decode(link, &atlas_core::url::PAGE_PARAMETERS);
    let summary = atlas_core::simulate(&decoded.scenario).unwrap().summary;
    assert_eq!(row.figures.len(), KpiId::ALL.len());
    for (k, v) in KpiId::ALL.iter().zip(&row.figures) {
        assert_eq!(v.to_bits(), summary.value(*k).to_bits(), "{k}");
    }
    // The CSV writes each figure so it reads back to the same bits.
    let line = csv_row(&row);
    let cells: Vec<&str> = line.trim_end().rsplitn(KpiId::ALL.len() + 1, ',').collect();
    for (cell, v) in cells.iter().rev().skip(1).zip(&row.figures) {
        assert_eq!(cell.parse::<f64>().unwrap().to_bits(), v.to_bits());
    }
    assert_eq!(csv_header().trim_end().split(',').count(), 3 + KpiId::ALL.len());
}

#[test]
fn a_bad_link_is_a_row_of_problems_and_the_rest_still_runs() {
    let links = ["v=1&energy=2", "v=1&enrgy=2", "v=1&energy=-4", "v=1&carbon=30"];
    let rows: Vec<_> = links.iter().enumerate().map(|(i, l)| evaluate(i, l)).collect();
    assert!(rows[0].ok() && rows[3].ok());
    assert!(!rows[1].ok() && rows[1].figures.is_empty());
    assert!(rows[1].problems[0].contains("did you mean “energy”"), "{:?}", rows[1].problems);
    assert!(!rows[2].ok(), "out of range: {:?}", rows[2].figures);
    let line = csv_row(&rows[1]);
    assert!(line.starts_with("1,v=1&enrgy=2,\"enrgy = 2: unknown parameter"), "{line}");
    assert!(line.trim_end().ends_with(&",".repeat(KpiId::ALL.len())), "{line}");
}

#[test]
fn links_and_bases_are_read_as_everywhere_else() {
    let axes = [Axis::parse("energy=1,2").unwrap()];
    assert_eq!(
        expand("https://example.org/atlas/?v=1&base=world&energy=5#charts", &axes),
        ["v=1&base=world&energy=1", "v=1&base=world&energy=2"]
    );
    assert_eq!(expand("world", &axes), ["preset=world&energy=1", "preset=world&energy=2"]);
    let whole = evaluate(0, "https://example.org/atlas/?v=1&energy=2#map");
    assert!(whole.ok(), "{:?}", whole.problems);
    assert_eq!(whole.figures, evaluate(0, "v=1&energy=2").figures);
    assert!(evaluate(0, "azure-only").ok());
    // A link with a # in a value is quoted, so a reader that skips # comments keeps it whole.
    let row = evaluate(3, "v=1&energy=2x#y");
    assert!(csv_row(&row).starts_with("3,\"v=1&energy=2x#y\","), "{}", csv_row(&row));
}
