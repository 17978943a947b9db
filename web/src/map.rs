//! The map of where capacity is built: the world's countries (Natural Earth, Equal Earth
//! projection, [`crate::geo`]) and one circle per region at its place, its area the chosen figure
//! in one quarter (the core's [`atlas_core::geography::frame`]), coloured by export group or grid
//! intensity, the baseline's value as a ring. Like [`crate::chart`], [`draw`] is generic over the
//! plotters backend (the page's canvas, the SVG download, the share image), and returns where the
//! marks landed for the read-outs.

use atlas_core::geography::{self, GRID_CLASSES, MapColour, MapFigure, MapFrame};
use atlas_core::policy::ExportGroup;
use atlas_core::{Quarter, Results, Scenario};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::chart::Theme;
use crate::chart_text::Table;
use crate::i18n::{self, k, t, tf};

/// One region's mark, ready to draw and to read out.
#[derive(Clone, Debug)]
pub struct MapMark {
    /// The region's name, in the language in use.
    pub name: String,
    /// Its place, projected (Equal Earth, unit sphere); `None` for a region the data does not
    /// place (in the table, not on the map).
    pub at: Option<(f64, f64)>,
    /// The figure there.
    pub value: f64,
    /// The baseline's value there.
    pub baseline: f64,
    /// Fill colour.
    pub colour: RGBColor,
    /// The export group's name.
    pub group: String,
    /// Grid intensity, g CO2e/kWh.
    pub grid: f64,
}

/// Everything the map shows in one quarter.
#[derive(Clone, Debug)]
pub struct MapSpec {
    /// Title above the map.
    pub title: String,
    /// The line under the title: what the circles and colours mean, and the quarter.
    pub unit: String,
    /// The figure's name and unit.
    pub figure: (String, String),
    /// The quarter shown.
    pub quarter: Quarter,
    /// One mark per placed region, in the scenario's order.
    pub marks: Vec<MapMark>,
    /// The largest value in any region and quarter (circles are sized against it).
    pub largest: f64,
    /// What the colours mean.
    pub legend: Vec<(String, RGBColor)>,
    /// Names of regions with something there but no place on the map.
    pub unplaced: Vec<String>,
}

/// Export groups' colours (Okabe–Ito, told apart with any colour vision).
fn group_colour(g: ExportGroup) -> RGBColor {
    match g {
        ExportGroup::Us => RGBColor(0, 114, 178),
        ExportGroup::CloseAllies => RGBColor(86, 180, 233),
        ExportGroup::MiddleTier => RGBColor(230, 159, 0),
        ExportGroup::Embargoed => RGBColor(213, 94, 0),
    }
}

/// Grid-intensity classes' colours, clean to dirty (yellow–orange–brown, one hue path).
const GRID_COLOURS: [RGBColor; 4] =
    [RGBColor(254, 217, 118), RGBColor(253, 141, 60), RGBColor(227, 26, 28), RGBColor(128, 0, 38)];

/// The names of the grid classes, from the core's bounds.
fn grid_labels() -> [String; 4] {
    let b = GRID_CLASSES.map(|v| i18n::num(v, 0));
    [
        tf(k::MAP_GRID_BELOW, &[("high", &b[0])]),
        tf(k::MAP_GRID_BETWEEN, &[("low", &b[0]), ("high", &b[1])]),
        tf(k::MAP_GRID_BETWEEN, &[("low", &b[1]), ("high", &b[2])]),
        tf(k::MAP_GRID_ABOVE, &[("low", &b[2])]),
    ]
}

/// A figure's name and unit, in the language in use.
pub fn figure_words(f: MapFigure) -> (&'static str, &'static str) {
    match f {
        MapFigure::Capacity => (t(k::MAP_FIGURE_CAPACITY), t(k::MAP_UNIT_CAPACITY)),
        MapFigure::Power => (t(k::MAP_FIGURE_POWER), t(k::MAP_UNIT_POWER)),
        MapFigure::Energy => (t(k::MAP_FIGURE_ENERGY), t(k::MAP_UNIT_ENERGY)),
        MapFigure::Carbon => (t(k::MAP_FIGURE_CARBON), t(k::MAP_UNIT_CARBON)),
    }
}

/// The map of `figure` in quarter `q` (clamped to the last), coloured by `colour`.
pub fn spec(
    s: &Scenario,
    current: &Results,
    baseline: &Results,
    figure: MapFigure,
    colour: MapColour,
    q: usize,
) -> MapSpec {
    let frame: MapFrame = geography::frame(s, current, baseline, figure, q);
    let region = |id: &str| i18n::entity(s, atlas_core::scenario::Dimension::Region, id);
    let grid_names = grid_labels();
    let marks = frame
        .marks
        .iter()
        .map(|m| MapMark {
            name: region(&m.region),
            at: m.place.map(|(lon, lat)| crate::geo::equal_earth(lon, lat)),
            value: m.value,
            baseline: m.baseline,
            colour: match colour {
                MapColour::Group => group_colour(m.group),
                MapColour::Grid => GRID_COLOURS[geography::grid_class(m.grid_g_per_kwh)],
            },
            group: i18n::data_name("group", m.group.id(), m.group.label()),
            grid: m.grid_g_per_kwh,
        })
        .collect();
    let legend = match colour {
        MapColour::Group => ExportGroup::ALL
            .iter()
            .map(|&g| (i18n::data_name("group", g.id(), g.label()), group_colour(g)))
            .collect(),
        MapColour::Grid => grid_names.into_iter().zip(GRID_COLOURS).collect(),
    };
    let (name, unit) = figure_words(figure);
    let colour_name = t(match colour {
        MapColour::Group => k::MAP_COLOUR_GROUP,
        MapColour::Grid => k::MAP_COLOUR_GRID,
    });
    let quarter = frame.quarter;
    let unplaced: Vec<String> = frame.unplaced().into_iter().map(region).collect();
    let mut unit = tf(
        k::MAP_UNIT_LINE,
        &[("figure", name), ("unit", unit), ("colour", colour_name), ("quarter", &quarter.to_string())],
    );
    if !unplaced.is_empty() {
        unit.push(' ');
        unit.push_str(&tf(k::MAP_UNPLACED, &[("names", &unplaced.join(t(k::SUMMARY_LIST_JOIN)))]));
    }
    MapSpec {
        title: t(k::MAP_TITLE).into(),
        unit,
        figure: (name.into(), figure_words(figure).1.into()),
        quarter,
        marks,
        largest: frame.largest,
        legend,
        unplaced,
    }
}

/// Where the marks landed, in device pixels: centre and radius of each mark (in `marks` order;
/// radius 0 for a region with nothing there or no place), and the radius of its baseline ring.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MapHits {
    /// (x, y, radius) per mark.
    pub circles: Vec<(f64, f64, f64)>,
    /// The baseline ring's radius per mark (0 without one).
    pub rings: Vec<f64>,
}

impl MapHits {
    /// The mark under device pixel `(x, y)`: the smallest circle or baseline ring containing it
    /// (small marks sit on top of large ones), or the nearest within a few pixels.
    pub fn at(&self, x: f64, y: f64, slack: f64) -> Option<usize> {
        self.circles
            .iter()
            .enumerate()
            .map(|(i, &(cx, cy, r))| (i, cx, cy, r.max(self.rings.get(i).copied().unwrap_or(0.0))))
            .filter(|&(_, _, _, r)| r > 0.0)
            .map(|(i, cx, cy, r)| (i, ((x - cx).powi(2) + (y - cy).powi(2)).sqrt(), r))
            .filter(|&(_, d, r)| d <= r.max(slack))
            .min_by(|a, b| a.2.total_cmp(&b.2))
            .map(|(i, _, _)| i)
    }
}

/// The largest circle's radius for a map `width` × `height` pixels.
fn max_radius(width: f64, height: f64) -> f64 {
    (width.min(2.0 * height) * 0.045).max(10.0)
}

/// A "nice" value at or below `v` for the size key: 1, 2 or 5 times a power of ten.
fn nice_below(v: f64) -> f64 {
    if v <= 0.0 || !v.is_finite() {
        return 0.0;
    }
    let p = 10f64.powf(v.log10().floor());
    [5.0, 2.0, 1.0].into_iter().map(|m| m * p).find(|&n| n <= v).unwrap_or(p)
}

/// Where the projected world lands on a `w` × `h` pixel area: the scale and offset that fit the
/// land's box, centred.
#[derive(Clone, Copy, Debug)]
struct Fit {
    x0: f64,
    y1: f64,
    fit: f64,
    ox: f64,
    oy: f64,
}

impl Fit {
    fn new(w: f64, h: f64, scale: f64) -> Fit {
        let (x0, y0, x1, y1) = crate::geo::land().bounds;
        let pad = 6.0 * scale;
        let fit = ((w - 2.0 * pad) / (x1 - x0)).min((h - 2.0 * pad) / (y1 - y0)).max(0.0);
        let (ox, oy) = ((w - fit * (x1 - x0)) / 2.0, (h - fit * (y1 - y0)) / 2.0);
        Fit { x0, y1, fit, ox, oy }
    }

    /// The pixel of a projected point.
    fn at(&self, x: f64, y: f64) -> (f64, f64) {
        (self.ox + (x - self.x0) * self.fit, self.oy + (self.y1 - y) * self.fit)
    }
}

fn pixel((x, y): (f64, f64)) -> (i32, i32) {
    (x.round() as i32, y.round() as i32)
}

/// Draws the map on `backend` (the land, then the marks); `scale` is the device-pixel ratio.
pub fn draw<DB: DrawingBackend>(
    backend: DB,
    spec: &MapSpec,
    theme: &Theme,
    scale: f64,
) -> Result<MapHits, String> {
    let root = backend.into_drawing_area();
    draw_land(&root, theme, scale)?;
    draw_marks(&root, spec, theme, scale)
}

/// Draws the background and the countries: the part of the map no scenario changes, which the
/// page draws once per size and theme and copies under each frame's marks.
pub fn draw_land<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    theme: &Theme,
    scale: f64,
) -> Result<(), String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    root.fill(&theme.background).map_err(err)?;
    let (w, h) = root.dim_in_pixel();
    let fit = Fit::new(f64::from(w), f64::from(h), scale);
    let land_fill = theme.grid.mix(0.55).filled();
    let border = theme.background.stroke_width(((0.6 * scale).round() as u32).max(1));
    for ring in &crate::geo::land().rings {
        let points: Vec<(i32, i32)> = ring.iter().map(|&(x, y)| pixel(fit.at(x, y))).collect();
        root.draw(&Polygon::new(points.clone(), land_fill)).map_err(err)?;
        root.draw(&PathElement::new(points, border)).map_err(err)?;
    }
    root.present().map_err(err)?;
    Ok(())
}

/// Draws the marks, their names, the quarter and the size key over the land.
pub fn draw_marks<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    spec: &MapSpec,
    theme: &Theme,
    scale: f64,
) -> Result<MapHits, String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let (w, h) = root.dim_in_pixel();
    let (w, h) = (f64::from(w), f64::from(h));
    let place = Fit::new(w, h, scale);
    let at = |x: f64, y: f64| place.at(x, y);
    let pad = 6.0 * scale;

    let radius_max = max_radius(w, h);
    let mut hits = MapHits::default();
    let mut order: Vec<usize> = (0..spec.marks.len()).collect();
    order.sort_by(|&a, &b| spec.marks[b].value.total_cmp(&spec.marks[a].value));
    for m in &spec.marks {
        let Some((x, y)) = m.at else {
            hits.circles.push((0.0, 0.0, 0.0));
            hits.rings.push(0.0);
            continue;
        };
        let (cx, cy) = at(x, y);
        hits.circles.push((cx, cy, geography::radius(m.value, spec.largest, radius_max)));
        hits.rings.push(geography::radius(m.baseline, spec.largest, radius_max));
    }
    let line = |width: f64| ((width * scale).round() as u32).max(1);
    // Largest first, so the small ones stay visible on top.
    for &i in &order {
        let m = &spec.marks[i];
        let (cx, cy, r) = hits.circles[i];
        if r > 0.0 {
            let centre = pixel((cx, cy));
            let r_px = r.round().max(1.0) as i32;
            root.draw(&Circle::new(centre, r_px, m.colour.mix(0.78).filled())).map_err(err)?;
            // Outlined in the text colour, so a pale mark stands out from the land (WCAG 1.4.11).
            root.draw(&Circle::new(centre, r_px, theme.text.mix(0.8).stroke_width(line(1.0))))
                .map_err(err)?;
        }
    }
    // The baseline's rings over everything, where it differs visibly.
    for (i, &rb) in hits.rings.iter().enumerate() {
        let (cx, cy, r) = hits.circles[i];
        if rb > 0.0 && (rb - r).abs() >= 1.0 * scale {
            root.draw(&Circle::new(pixel((cx, cy)), rb.round() as i32, theme.text.stroke_width(line(1.5))))
                .map_err(err)?;
        }
    }

    let font = |size: f64| ("system-ui, sans-serif", size * scale).into_font().color(&theme.text);
    // The names of the largest marks, where they fit.
    let mut taken: Vec<(f64, f64, f64, f64)> = Vec::new();
    for &i in order.iter().take(4) {
        let (cx, cy, r) = hits.circles[i];
        if r < 6.0 * scale {
            continue;
        }
        let name = crate::chart::short_label(&spec.marks[i].name);
        let label_font = font(11.0);
        let width = crate::chart::text_width(name, 11.0 * scale);
        let (lx, ly) = (cx + r + 3.0 * scale, cy);
        let rect = (lx, ly - 7.0 * scale, lx + width, ly + 7.0 * scale);
        let overlaps =
            |t: &(f64, f64, f64, f64)| rect.0 < t.2 && t.0 < rect.2 && rect.1 < t.3 && t.1 < rect.3;
        let over_mark = hits
            .circles
            .iter()
            .enumerate()
            .any(|(j, &(x, y, r))| j != i && r > 0.0 && overlaps(&(x - r, y - r, x + r, y + r)));
        let clash = over_mark || taken.iter().any(overlaps);
        if clash || rect.2 > w {
            continue;
        }
        taken.push(rect);
        root.draw_text(name, &label_font.pos(Pos::new(HPos::Left, VPos::Center)), pixel((lx, ly)))
            .map_err(err)?;
    }

    // The quarter, top left; the size key, bottom left (over the southern Pacific).
    root.draw_text(
        &spec.quarter.to_string(),
        &font(15.0).pos(Pos::new(HPos::Left, VPos::Top)),
        pixel((pad, pad)),
    )
    .map_err(err)?;
    let key = nice_below(spec.largest);
    if key > 0.0 {
        let small = nice_below(key / 5.0);
        let base_y = h - pad - 16.0 * scale;
        let big_r = geography::radius(key, spec.largest, radius_max);
        let cx = pad + big_r + 2.0 * scale;
        for v in [key, small] {
            let r = geography::radius(v, spec.largest, radius_max);
            if r < 2.0 {
                continue;
            }
            root.draw(&Circle::new(
                pixel((cx, base_y - r)),
                r.round() as i32,
                theme.text.stroke_width(line(1.0)),
            ))
            .map_err(err)?;
            let label = format!("{} {}", i18n::headline(v), spec.figure.1);
            root.draw_text(
                &label,
                &font(10.0).pos(Pos::new(HPos::Left, VPos::Center)),
                pixel((cx + big_r + 6.0 * scale, base_y - 2.0 * r)),
            )
            .map_err(err)?;
        }
    }
    root.present().map_err(err)?;
    Ok(hits)
}

/// The marks drawn with something there in the scenario or its baseline, largest first (then by
/// the baseline's value): the order the keyboard steps through, so a region a ban emptied is read
/// by its baseline ring too.
pub fn key_order(spec: &MapSpec) -> Vec<usize> {
    let m = &spec.marks;
    let mut order: Vec<usize> =
        (0..m.len()).filter(|&i| m[i].at.is_some() && (m[i].value > 0.0 || m[i].baseline > 0.0)).collect();
    order.sort_by(|&a, &b| {
        m[b].value.total_cmp(&m[a].value).then(m[b].baseline.total_cmp(&m[a].baseline)).then(a.cmp(&b))
    });
    order
}

/// The read-out of mark `i`: the quarter, the region, its value beside the baseline's, its
/// group and its grid.
pub fn readout(spec: &MapSpec, i: usize) -> Vec<String> {
    let Some(m) = spec.marks.get(i) else { return Vec::new() };
    let value = if m.baseline != m.value {
        tf(
            k::READOUT_WITH_BASE,
            &[
                ("label", &spec.figure.0),
                ("value", &i18n::value(m.value)),
                ("base", &i18n::value(m.baseline)),
            ],
        )
    } else {
        tf(k::READOUT_VALUE, &[("label", &spec.figure.0), ("value", &i18n::value(m.value))])
    };
    vec![
        spec.quarter.to_string(),
        m.name.clone(),
        format!("{value} {}", spec.figure.1),
        tf(k::READOUT_VALUE, &[("label", t(k::MAP_TABLE_GROUP)), ("value", &m.group)]),
        tf(k::MAP_READOUT_GRID, &[("value", &i18n::num(m.grid, 0))]),
    ]
}

/// What the arrow keys announce for mark `i`, `n` of `count`.
pub fn readout_said(spec: &MapSpec, i: usize, n: usize, count: usize) -> String {
    let Some(m) = spec.marks.get(i) else { return String::new() };
    let (n, count) = (n.to_string(), count.to_string());
    let quarter = spec.quarter.to_string();
    let value = i18n::value(m.value);
    let mut values = vec![
        ("quarter", quarter.as_str()),
        ("label", m.name.as_str()),
        ("unit", spec.figure.1.as_str()),
        ("n", &n),
        ("count", &count),
        ("value", &value),
    ];
    let base = i18n::value(m.baseline);
    if m.baseline != m.value {
        values.push(("base", &base));
        tf(k::READOUT_KEY_WITH_BASE, &values)
    } else {
        tf(k::READOUT_KEY, &values)
    }
}

/// The map's data: one row per placed region, in the scenario's order.
pub fn table(spec: &MapSpec) -> Table {
    let headers = vec![
        t(k::MAP_TABLE_REGION).to_string(),
        format!("{} ({})", spec.figure.0, spec.figure.1),
        tf(k::TABLE_BASELINE, &[("label", &spec.figure.0)]),
        t(k::MAP_TABLE_GROUP).to_string(),
        t(k::MAP_TABLE_GRID).to_string(),
    ];
    let rows = spec
        .marks
        .iter()
        .map(|m| {
            vec![
                m.name.clone(),
                i18n::value(m.value),
                i18n::value(m.baseline),
                m.group.clone(),
                i18n::num(m.grid, 0),
            ]
        })
        .collect();
    Table { headers, rows }
}

/// The map in a few sentences: what it shows, how many regions have some, the largest.
pub fn summary(spec: &MapSpec) -> String {
    let order: Vec<usize> = key_order(spec).into_iter().filter(|&i| spec.marks[i].value > 0.0).collect();
    let quarter = spec.quarter.to_string();
    if order.is_empty() {
        return tf(
            k::MAP_SUMMARY_NONE,
            &[("title", &spec.title), ("figure", &spec.figure.0), ("quarter", &quarter)],
        );
    }
    let list: Vec<String> = order
        .iter()
        .take(3)
        .map(|&i| {
            tf(
                k::READOUT_VALUE,
                &[("label", &spec.marks[i].name), ("value", &i18n::value(spec.marks[i].value))],
            )
        })
        .collect();
    let mut out = tf(
        k::MAP_SUMMARY,
        &[
            ("title", &spec.title),
            ("figure", &spec.figure.0),
            ("unit", &spec.figure.1),
            ("quarter", &quarter),
            ("count", &order.len().to_string()),
            ("list", &list.join(t(k::SUMMARY_LIST_JOIN))),
        ],
    );
    if !spec.unplaced.is_empty() {
        out.push(' ');
        out.push_str(&tf(k::MAP_UNPLACED, &[("names", &spec.unplaced.join(t(k::SUMMARY_LIST_JOIN)))]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_size_key_uses_round_values_below_the_largest() {
        assert_eq!(nice_below(44_108_326.0), 20_000_000.0);
        assert_eq!(nice_below(5.0), 5.0);
        assert_eq!(nice_below(0.7), 0.5);
        assert_eq!(nice_below(0.0), 0.0);
    }

    #[test]
    fn a_pointer_finds_the_smallest_mark_under_it() {
        let hits = MapHits {
            circles: vec![(100.0, 100.0, 40.0), (110.0, 100.0, 5.0), (300.0, 50.0, 0.0), (400.0, 50.0, 0.0)],
            rings: vec![0.0, 0.0, 0.0, 8.0],
        };
        assert_eq!(hits.at(402.0, 52.0, 4.0), Some(3), "a region only the baseline has is read by its ring");
        assert_eq!(hits.at(111.0, 101.0, 4.0), Some(1), "the small mark on top of the large one");
        assert_eq!(hits.at(80.0, 100.0, 4.0), Some(0));
        assert_eq!(hits.at(300.0, 50.0, 4.0), None, "a region with nothing has no mark");
        assert_eq!(hits.at(500.0, 500.0, 4.0), None);
    }

    #[test]
    fn the_map_draws_countries_and_one_circle_per_region_with_something_there() {
        let s = atlas_core::scenario::base("world").unwrap();
        let r = atlas_core::simulate(&s).unwrap();
        let spec = spec(&s, &r, &r, MapFigure::Capacity, MapColour::Group, usize::MAX);
        let theme = Theme {
            background: RGBColor(255, 255, 255),
            text: RGBColor(0, 0, 0),
            grid: RGBColor(200, 200, 200),
        };
        let mut svg = String::new();
        let hits = draw(plotters::prelude::SVGBackend::with_string(&mut svg, (800, 400)), &spec, &theme, 1.0)
            .unwrap();
        let active = spec.marks.iter().filter(|m| m.value > 0.0).count();
        assert_eq!(hits.circles.iter().filter(|c| c.2 > 0.0).count(), active);
        assert!(active > 10, "the world builds in most regions: {active}");
        assert!(svg.matches("<polygon").count() > 150, "the countries are drawn");
        for (cx, cy, r) in &hits.circles {
            assert!((0.0..=800.0).contains(cx) && (0.0..=400.0).contains(cy) && *r <= 40.0);
        }
        assert_eq!(table(&spec).rows.len(), spec.marks.len());
    }
}
