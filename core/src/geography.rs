//! Where capacity sits on a map: one mark per region at its place in the data
//! (`regions[].location`, its largest data-centre cluster), sized by a chosen figure in one
//! quarter, with the baseline's value beside it, the region's export group and its grid's
//! intensity that year. The page draws it; the numbers are the results' own region breakdowns
//! (the CLI's CSV rows with a region and no provider), so the map's table and `atlas run -f csv`
//! agree.

use crate::Quarter;
use crate::data::default_data;
use crate::limits::RESIDUE;
use crate::policy::ExportGroup;
use crate::results::{Metric, Results};
use crate::scenario::Scenario;

/// What a mark's size shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MapFigure {
    /// Installed capacity, H100-equivalents (a level).
    Capacity,
    /// Facility power, GW (a level).
    Power,
    /// Energy, TWh per year (the quarter's energy × 4).
    Energy,
    /// Location-based carbon, Mt CO2e per year (the quarter's × 4).
    Carbon,
}

impl MapFigure {
    /// Every figure, in the page's order.
    pub const ALL: [MapFigure; 4] =
        [MapFigure::Capacity, MapFigure::Power, MapFigure::Energy, MapFigure::Carbon];

    /// Its id (the page's select, file names).
    pub fn id(self) -> &'static str {
        match self {
            MapFigure::Capacity => "capacity",
            MapFigure::Power => "power",
            MapFigure::Energy => "energy",
            MapFigure::Carbon => "carbon",
        }
    }

    /// The figure with this id.
    pub fn from_id(id: &str) -> Option<MapFigure> {
        MapFigure::ALL.into_iter().find(|f| f.id() == id)
    }

    /// The results' series it reads.
    pub fn metric(self) -> Metric {
        match self {
            MapFigure::Capacity => Metric::H100e,
            MapFigure::Power => Metric::FacilityPowerGw,
            MapFigure::Energy => Metric::EnergyTwh,
            MapFigure::Carbon => Metric::CarbonLocationMt,
        }
    }

    /// What a quarter's value is multiplied by: 4 for a flow shown as a yearly rate, 1 for a level.
    pub fn scale(self) -> f64 {
        match self {
            MapFigure::Capacity | MapFigure::Power => 1.0,
            MapFigure::Energy | MapFigure::Carbon => 4.0,
        }
    }

    /// Its unit, in English.
    pub fn unit(self) -> &'static str {
        match self {
            MapFigure::Capacity => "H100e",
            MapFigure::Power => "GW",
            MapFigure::Energy => "TWh/yr",
            MapFigure::Carbon => "Mt CO2e/yr",
        }
    }
}

/// What a mark's colour shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MapColour {
    /// The region's export-control group.
    Group,
    /// The region's grid intensity that year, in [`GRID_CLASSES`].
    Grid,
}

impl MapColour {
    /// Both, in the page's order.
    pub const ALL: [MapColour; 2] = [MapColour::Group, MapColour::Grid];

    /// Its id (the page's select).
    pub fn id(self) -> &'static str {
        match self {
            MapColour::Group => "group",
            MapColour::Grid => "grid",
        }
    }

    /// The colouring with this id.
    pub fn from_id(id: &str) -> Option<MapColour> {
        MapColour::ALL.into_iter().find(|c| c.id() == id)
    }
}

/// The upper bounds of the grid-intensity classes, g CO2e/kWh (the last class is open): clean
/// (hydro, nuclear, Nordic grids), low, middling (the US average is about 370), high (coal-heavy).
pub const GRID_CLASSES: [f64; 3] = [100.0, 300.0, 500.0];

/// The class (0–3) of a grid intensity in g CO2e/kWh.
pub fn grid_class(g_per_kwh: f64) -> usize {
    GRID_CLASSES.iter().take_while(|&&bound| g_per_kwh >= bound).count()
}

/// One region on the map in one quarter.
#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    /// The region's id.
    pub region: String,
    /// Where it is drawn: longitude and latitude, degrees east and north; `None` for a region the
    /// data does not place (a scenario file's own), listed beside the map rather than drawn.
    pub place: Option<(f64, f64)>,
    /// The chosen figure there in the quarter (0 for a region with nothing; residues below
    /// [`RESIDUE`] are 0, as the CSV writes them).
    pub value: f64,
    /// The baseline's value there in the same quarter (0 where the baseline has nothing or does
    /// not reach the quarter).
    pub baseline: f64,
    /// The region's export-control group.
    pub group: ExportGroup,
    /// Its grid's intensity in the quarter's year, g CO2e/kWh.
    pub grid_g_per_kwh: f64,
}

impl Mark {
    /// Whether the current scenario has anything there (a mark is drawn; else at most the
    /// baseline's outline).
    pub fn active(&self) -> bool {
        self.value > 0.0
    }
}

/// The map in one quarter.
#[derive(Clone, Debug, PartialEq)]
pub struct MapFrame {
    /// The quarter shown.
    pub quarter: Quarter,
    /// One mark per region of the results, in their order (the CLI's order of region rows).
    pub marks: Vec<Mark>,
    /// The largest value of the figure in any region and quarter of the current scenario or the
    /// baseline: marks are sized against it, so a mark's size means the same at every quarter.
    pub largest: f64,
}

impl MapFrame {
    /// The marks the current scenario has something in.
    pub fn active(&self) -> impl Iterator<Item = &Mark> {
        self.marks.iter().filter(|m| m.active())
    }

    /// Regions with something there but no place on the map (a scenario file's own regions), by
    /// id: the page names them beside the map.
    pub fn unplaced(&self) -> Vec<&str> {
        self.active().filter(|m| m.place.is_none()).map(|m| m.region.as_str()).collect()
    }
}

/// Where a region is drawn: its place in the default data, if its id is the data's.
pub fn location(region_id: &str) -> Option<&'static crate::data::Location> {
    default_data().regions.iter().find(|r| r.id == region_id).map(|r| &r.location)
}

fn clean(v: f64) -> f64 {
    if v.is_finite() && v.abs() >= RESIDUE { v } else { 0.0 }
}

/// The map of `figure` in quarter `q` of `current` (an index into its quarters, clamped to the
/// last), beside `baseline` in the same calendar quarter. `s` is the current scenario (groups,
/// grids); the baseline's regions are matched by id.
pub fn frame(s: &Scenario, current: &Results, baseline: &Results, figure: MapFigure, q: usize) -> MapFrame {
    let q = q.min(current.quarters.len().saturating_sub(1));
    let quarter = current.quarters.get(q).copied().unwrap_or(Quarter { year: s.start_year, q: 1 });
    let metric = figure.metric();
    let scale = figure.scale();
    let base_q = baseline.quarters.iter().position(|&b| b == quarter);
    let region_value = |r: &Results, i: usize, at: usize| {
        clean(r.series(metric).region(i).get(at).copied().unwrap_or(0.0) * scale)
    };
    let mut marks = Vec::new();
    for (i, id) in current.regions.iter().enumerate() {
        let value = region_value(current, i, q);
        let Some(region) = s.regions.iter().find(|r| &r.id == id) else { continue };
        let baseline = match (base_q, baseline.regions.iter().position(|b| b == id)) {
            (Some(bq), Some(bi)) => region_value(baseline, bi, bq),
            _ => 0.0,
        };
        marks.push(Mark {
            region: id.clone(),
            place: location(id).map(|l| (l.lon, l.lat)),
            value,
            baseline,
            group: region.export_group,
            grid_g_per_kwh: region.intensity_in(quarter.year, s.grid_decarbonisation_pace),
        });
    }
    let largest_in = |r: &Results| {
        (0..r.regions.len())
            .flat_map(|i| r.series(metric).region(i).iter().map(move |v| clean(v * scale)))
            .fold(0.0, f64::max)
    };
    MapFrame { quarter, marks, largest: largest_in(current).max(largest_in(baseline)) }
}

/// A mark's radius for `value` when the largest value gets `max_radius`: its area in proportion
/// to the value (the eye reads a circle by its area).
pub fn radius(value: f64, largest: f64, max_radius: f64) -> f64 {
    if value <= 0.0 || largest <= 0.0 { 0.0 } else { max_radius * (value / largest).min(1.0).sqrt() }
}
