//! The world's countries for the map: Natural Earth's 1:110m outlines (TopoJSON, embedded at
//! build time; see `web/data/README.md`) decoded into rings of longitude and latitude, and the
//! Equal Earth projection that lays them flat (areas true, so marks sized by a figure compare
//! fairly across latitudes).

use std::sync::OnceLock;

use serde::Deserialize;

/// The embedded TopoJSON.
const COUNTRIES_JSON: &str = include_str!("../data/countries-110m.json");

/// One country: its ISO 3166 numeric id (as the data writes it), its name and its outline.
#[derive(Clone, Debug, PartialEq)]
pub struct Country {
    /// ISO 3166-1 numeric code (`"250"` for France); empty for the few areas without one.
    pub id: String,
    /// English name from Natural Earth.
    pub name: String,
    /// Closed rings of (longitude, latitude) in degrees: outer boundaries and holes.
    pub rings: Vec<Vec<(f64, f64)>>,
}

#[derive(Deserialize)]
struct Topology {
    transform: Transform,
    arcs: Vec<Vec<[i64; 2]>>,
    objects: Objects,
}

#[derive(Deserialize)]
struct Transform {
    scale: [f64; 2],
    translate: [f64; 2],
}

#[derive(Deserialize)]
struct Objects {
    countries: Collection,
}

#[derive(Deserialize)]
struct Collection {
    geometries: Vec<Geometry>,
}

#[derive(Deserialize)]
struct Geometry {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    arcs: serde_json::Value,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    properties: Properties,
}

#[derive(Deserialize, Default)]
struct Properties {
    #[serde(default)]
    name: String,
}

/// Every country, decoded once.
pub fn countries() -> &'static [Country] {
    static COUNTRIES: OnceLock<Vec<Country>> = OnceLock::new();
    COUNTRIES.get_or_init(|| decode(COUNTRIES_JSON).unwrap_or_default())
}

/// Natural Earth's id of Antarctica, left off the map: nobody builds data centres there, and at
/// the bottom of an Equal Earth map it would take a tenth of the height.
pub const ANTARCTICA: &str = "010";

/// The land, projected: every country's rings but Antarctica's, and the box they fill.
#[derive(Debug)]
pub struct Land {
    /// Rings of projected points ([`equal_earth`]).
    pub rings: Vec<Vec<(f64, f64)>>,
    /// x min, y min, x max, y max.
    pub bounds: (f64, f64, f64, f64),
}

/// A ring's points with those that cross the antimeridian (Fiji, the tip of Chukotka) held at
/// the map's edge on the side where most of the ring lies, so no edge runs across the world.
fn unwrap_antimeridian(ring: &[(f64, f64)]) -> impl Iterator<Item = (f64, f64)> + '_ {
    let crosses = ring.windows(2).any(|w| (w[0].0 - w[1].0).abs() > 180.0);
    let east = ring.iter().filter(|p| p.0 > 0.0).count() * 2 >= ring.len();
    ring.iter().map(move |&(lon, lat)| match (crosses, east) {
        (true, true) if lon < 0.0 => (180.0, lat),
        (true, false) if lon > 0.0 => (-180.0, lat),
        _ => (lon, lat),
    })
}

/// The [`Land`], projected once.
pub fn land() -> &'static Land {
    static LAND: OnceLock<Land> = OnceLock::new();
    LAND.get_or_init(|| {
        let rings: Vec<Vec<(f64, f64)>> = countries()
            .iter()
            .filter(|c| c.id != ANTARCTICA)
            .flat_map(|c| c.rings.iter())
            .map(|ring| unwrap_antimeridian(ring).map(|(lon, lat)| equal_earth(lon, lat)).collect())
            .collect();
        let mut bounds = (f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY);
        for &(x, y) in rings.iter().flatten() {
            bounds = (bounds.0.min(x), bounds.1.min(y), bounds.2.max(x), bounds.3.max(y));
        }
        Land { rings, bounds }
    })
}

/// Decodes a TopoJSON topology's `countries` object: quantised, delta-encoded arcs made absolute
/// and scaled, each ring joined from its arcs (a negative index `!i` is arc `i` reversed; each
/// arc after the first drops the point it shares with the one before).
pub fn decode(json: &str) -> Result<Vec<Country>, String> {
    let topology: Topology = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let [sx, sy] = topology.transform.scale;
    let [tx, ty] = topology.transform.translate;
    let arcs: Vec<Vec<(f64, f64)>> = topology
        .arcs
        .iter()
        .map(|arc| {
            let (mut x, mut y) = (0_i64, 0_i64);
            arc.iter()
                .map(|[dx, dy]| {
                    x += dx;
                    y += dy;
                    (x as f64 * sx + tx, y as f64 * sy + ty)
                })
                .collect()
        })
        .collect();
    let ring = |indices: &[serde_json::Value]| -> Vec<(f64, f64)> {
        let mut points: Vec<(f64, f64)> = Vec::new();
        for index in indices.iter().filter_map(serde_json::Value::as_i64) {
            let (i, reversed) = if index < 0 { (!index, true) } else { (index, false) };
            let Some(arc) = usize::try_from(i).ok().and_then(|i| arcs.get(i)) else { continue };
            let mut part: Vec<(f64, f64)> = arc.clone();
            if reversed {
                part.reverse();
            }
            let skip = usize::from(!points.is_empty());
            points.extend(part.into_iter().skip(skip));
        }
        points
    };
    let rings_of = |polygon: &serde_json::Value| -> Vec<Vec<(f64, f64)>> {
        polygon
            .as_array()
            .map(|rings| rings.iter().filter_map(|r| r.as_array()).map(|r| ring(r)).collect())
            .unwrap_or_default()
    };
    Ok(topology
        .objects
        .countries
        .geometries
        .into_iter()
        .map(|g| {
            let rings = match g.kind.as_str() {
                "Polygon" => rings_of(&g.arcs),
                "MultiPolygon" => {
                    g.arcs.as_array().map(|ps| ps.iter().flat_map(rings_of).collect()).unwrap_or_default()
                }
                _ => Vec::new(),
            };
            Country { id: g.id.unwrap_or_default(), name: g.properties.name, rings }
        })
        .collect())
}

/// The Equal Earth projection (Šavrič, Patterson and Jenny, 2018) of a point in degrees, on the
/// unit sphere: x from about −2.71 to 2.71 (west to east), y from about −1.32 to 1.32 (south to
/// north).
pub fn equal_earth(lon: f64, lat: f64) -> (f64, f64) {
    const A1: f64 = 1.340264;
    const A2: f64 = -0.081106;
    const A3: f64 = 0.000893;
    const A4: f64 = 0.003796;
    let m = 3_f64.sqrt() / 2.0;
    let (lambda, phi) = (lon.to_radians(), lat.to_radians());
    let theta = (m * phi.sin()).asin();
    let t2 = theta * theta;
    let t6 = t2 * t2 * t2;
    let x = 2.0 * 3_f64.sqrt() * lambda * theta.cos()
        / (3.0 * (9.0 * A4 * t6 * t2 + 7.0 * A3 * t6 + 3.0 * A2 * t2 + A1));
    let y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2));
    (x, y)
}

/// Whether `(lon, lat)` lies inside `ring` (even-odd rule).
pub fn inside(ring: &[(f64, f64)], (lon, lat): (f64, f64)) -> bool {
    let mut inside = false;
    for (i, &(x1, y1)) in ring.iter().enumerate() {
        let (x0, y0) = ring[(i + ring.len() - 1) % ring.len()];
        if (y1 > lat) != (y0 > lat) && lon < x0 + (lat - y0) * (x1 - x0) / (y1 - y0) {
            inside = !inside;
        }
    }
    inside
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_ring_of_the_land_runs_across_the_world() {
        let land = land();
        let (x0, _, x1, _) = land.bounds;
        for ring in &land.rings {
            for w in ring.windows(2) {
                assert!((w[0].0 - w[1].0).abs() < (x1 - x0) / 2.0, "an edge across the map: {w:?}");
            }
        }
    }

    #[test]
    fn the_embedded_countries_decode_with_their_outlines() {
        let all = countries();
        assert_eq!(all.len(), 177, "Natural Earth 1:110m has 177 countries");
        assert!(all.iter().all(|c| !c.rings.is_empty() && !c.name.is_empty()));
        for c in all {
            for ring in &c.rings {
                assert!(ring.len() >= 4, "{}: a ring of {} points", c.name, ring.len());
                assert_eq!(ring.first(), ring.last(), "{}: rings close", c.name);
                assert!(
                    ring.iter().all(|&(x, y)| (-180.0..=180.0).contains(&x) && (-90.0..=90.0).contains(&y))
                );
            }
        }
        let in_country = |name: &str, point| {
            all.iter().find(|c| c.name == name).is_some_and(|c| c.rings.iter().any(|r| inside(r, point)))
        };
        // Hand-checked places: Paris, Ashburn (Virginia), Beijing, Sydney.
        assert!(in_country("France", (2.35, 48.86)));
        assert!(in_country("United States of America", (-77.49, 39.04)));
        assert!(in_country("China", (116.4, 39.9)));
        assert!(in_country("Australia", (151.2, -33.87)));
        assert!(!in_country("France", (-77.49, 39.04)));
    }

    #[test]
    fn equal_earth_matches_its_definition() {
        assert_eq!(equal_earth(0.0, 0.0), (0.0, 0.0));
        // At the equator's end: x = 2√3·π / (3·A1).
        let (x, y) = equal_earth(180.0, 0.0);
        assert!((x - 2.0 * 3_f64.sqrt() * std::f64::consts::PI / (3.0 * 1.340264)).abs() < 1e-12 && y == 0.0);
        // Symmetric about both axes; the pole's y is A1θ + A2θ³ + A3θ⁷ + A4θ⁹ with θ = asin(√3/2).
        let (x1, y1) = equal_earth(40.0, 30.0);
        let (x2, y2) = equal_earth(-40.0, -30.0);
        assert!((x1 + x2).abs() < 1e-12 && (y1 + y2).abs() < 1e-12);
        let theta = (3_f64.sqrt() / 2.0).asin();
        let pole =
            1.340264 * theta - 0.081106 * theta.powi(3) + 0.000893 * theta.powi(7) + 0.003796 * theta.powi(9);
        assert!((equal_earth(0.0, 90.0).1 - pole).abs() < 1e-12);
    }

    /// Every model region is placed on land, in its country (Singapore, too small for 1:110m,
    /// sits on the Malay peninsula's tip, within half a degree of Malaysia).
    #[test]
    fn every_region_is_placed_on_land() {
        let all = countries();
        let country_at = |p: (f64, f64)| all.iter().find(|c| c.rings.iter().any(|r| inside(r, p)));
        for r in &atlas_core::data::default_data().regions {
            let p = (r.location.lon, r.location.lat);
            let found = country_at(p).or_else(|| country_at((p.0, p.1 + 0.5)));
            assert!(found.is_some(), "{} at {p:?} is on no country", r.id);
        }
        let name = |id: &str| {
            let r = atlas_core::data::default_data().regions.iter().find(|r| r.id == id).unwrap();
            country_at((r.location.lon, r.location.lat)).map(|c| c.name.as_str())
        };
        assert_eq!(name("us_east"), Some("United States of America"));
        assert_eq!(name("china"), Some("China"));
        assert_eq!(name("middle_east"), Some("United Arab Emirates"));
        assert_eq!(name("nordics"), Some("Sweden"));
    }
}
