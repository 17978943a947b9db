//! What each chart and card shows: chart specifications and headline figures built from the
//! current and baseline results. Presentation only: every number comes from `atlas_core`.

use atlas_core::montecarlo::{Bands, SeriesBands};
use atlas_core::{KpiId, Metric, Results, Scenario, Series};
use plotters::style::RGBColor;

use atlas_core::geography::{MapColour, MapFigure};

use crate::chart::{BandSpec, ChartSpec, Layer};
use crate::i18n::{self, k, t, tf};
use crate::picture::Picture;

/// A chart of the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChartId {
    /// Each provider's share of new capital.
    Shares,
    /// Installed capacity by provider or region.
    Capacity,
    /// Energy by provider, with power.
    Energy,
    /// Carbon emissions, location- and market-based.
    Carbon,
    /// The yearly cost: capital charge, energy and carbon.
    Cost,
    /// Where capacity is built: the map.
    Map,
    /// Where redirected money went.
    Flows,
}

impl ChartId {
    /// Its id in the page (`chart-<id>`, `panel-<id>`, file names).
    pub fn id(self) -> &'static str {
        match self {
            ChartId::Shares => "shares",
            ChartId::Capacity => "capacity",
            ChartId::Energy => "energy",
            ChartId::Carbon => "carbon",
            ChartId::Cost => "cost",
            ChartId::Map => "map",
            ChartId::Flows => "flows",
        }
    }

    /// Its title, in the language in use.
    pub fn title(self) -> &'static str {
        t(match self {
            ChartId::Shares => k::CHART_TITLE_SHARES,
            ChartId::Capacity => k::CHART_TITLE_CAPACITY,
            ChartId::Energy => k::CHART_TITLE_ENERGY,
            ChartId::Carbon => k::CHART_TITLE_CARBON,
            ChartId::Cost => k::CHART_TITLE_COST,
            ChartId::Map => k::MAP_TITLE,
            ChartId::Flows => k::FLOWS_TITLE,
        })
    }
}

impl std::fmt::Display for ChartId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

/// The charts on the page, in order.
pub const CHARTS: [ChartId; 7] = [
    ChartId::Shares,
    ChartId::Capacity,
    ChartId::Energy,
    ChartId::Carbon,
    ChartId::Cost,
    ChartId::Map,
    ChartId::Flows,
];

impl ChartId {
    /// The chart with this id.
    pub fn from_id(id: &str) -> Option<ChartId> {
        CHARTS.into_iter().find(|c| c.id() == id)
    }
}

impl ChartId {
    /// The headline figure a chart's share image leads with, where one card tells its story.
    pub fn headline(self) -> Option<KpiId> {
        match self {
            ChartId::Capacity => Some(KpiId::H100eEnd),
            ChartId::Energy => Some(KpiId::EnergyTwhEndYear),
            ChartId::Carbon => Some(KpiId::CarbonLocationMtEndYear),
            ChartId::Shares | ChartId::Cost | ChartId::Map | ChartId::Flows => None,
        }
    }
}

/// The figure chart `id`'s share image leads with: its words and its value with its unit. The
/// chart's headline card (capacity, energy, carbon), as the card writes it; for the shares, the
/// provider with the largest share of new capital at the end; otherwise the picture's own
/// ([`Picture::key_figure`]).
pub fn key_figure(
    id: ChartId,
    picture: &Picture,
    summary: &atlas_core::Summary,
    quarters: &[atlas_core::Quarter],
) -> (String, String) {
    if let Some(kpi) = id.headline() {
        let value = format!("{} {}", i18n::headline(summary.value(kpi)), i18n::kpi_unit(kpi));
        return (card_label(kpi).to_string(), value);
    }
    if let (ChartId::Shares, Picture::Series(spec)) = (id, picture) {
        let q = spec.x.len().saturating_sub(1);
        let largest = spec
            .layers
            .iter()
            .filter_map(|l| Some((l, *l.values.get(q)?)))
            .max_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((layer, share)) = largest {
            let when = quarters.get(q).map(|q| q.to_string()).unwrap_or_default();
            let words = tf(
                k::SHARE_LARGEST,
                &[("name", crate::chart::short_label(&layer.label)), ("quarter", &when)],
            );
            return (words, format!("{} %", i18n::num(share, 1)));
        }
    }
    picture.key_figure(quarters)
}

/// The choices a reader makes on the charts themselves (not part of the scenario).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Choices {
    /// How the capacity chart breaks capacity down.
    pub breakdown: Breakdown,
    /// What the map's circles show.
    pub map_figure: MapFigure,
    /// What the map's colours show.
    pub map_colour: MapColour,
    /// The map's quarter; `None` follows the last (one outside the span shows its nearest end).
    pub map_quarter: Option<atlas_core::Quarter>,
    /// The flow diagram's year; `None`: the whole span.
    pub flows_year: Option<i32>,
}

impl Choices {
    /// Fits the choices to a scenario's `quarters`: a flow diagram's year outside them becomes the
    /// whole span; a map quarter at or past the last follows the end (so a longer span shows its
    /// new end), one before the first becomes the first. Whether anything changed.
    pub fn fit(&mut self, quarters: &[atlas_core::Quarter]) -> bool {
        let before = *self;
        if let Some(year) = self.flows_year
            && !quarters.iter().any(|q| q.year == year)
        {
            self.flows_year = None;
        }
        if let (Some(q), Some(first), Some(last)) = (self.map_quarter, quarters.first(), quarters.last()) {
            if q >= *last {
                self.map_quarter = None;
            } else if q < *first {
                self.map_quarter = Some(*first);
            }
        }
        *self != before
    }
}

impl Default for Choices {
    fn default() -> Choices {
        Choices {
            breakdown: Breakdown::Provider,
            map_figure: MapFigure::Capacity,
            map_colour: MapColour::Group,
            map_quarter: None,
            flows_year: None,
        }
    }
}

/// How the capacity chart breaks capacity down.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Breakdown {
    /// By provider.
    Provider,
    /// By region.
    Region,
}

/// Hours in a year over hours in a quarter: quarterly flows × 4 are yearly rates.
const QUARTERS_PER_YEAR: f64 = 4.0;
/// Average GW for one TWh per year (1,000 GWh ÷ 8,766 h).
pub const GW_PER_TWH_PER_YEAR: f64 = 1000.0 / 8766.0;

/// Regions get these colours in order (providers bring their own).
const REGION_PALETTE: [(u8, u8, u8); 15] = [
    (31, 95, 191),
    (230, 126, 34),
    (39, 174, 96),
    (142, 68, 173),
    (192, 57, 43),
    (22, 160, 133),
    (211, 84, 0),
    (41, 128, 185),
    (127, 140, 141),
    (241, 196, 15),
    (155, 89, 182),
    (52, 73, 94),
    (26, 188, 156),
    (231, 76, 60),
    (149, 165, 166),
];

/// Parses `#rrggbb` (validated by the core), grey otherwise.
pub fn colour(hex: &str) -> RGBColor {
    if hex.len() != 7 || !hex.starts_with('#') {
        return RGBColor(128, 128, 128);
    }
    let byte = |i: usize| hex.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()).unwrap_or(128);
    RGBColor(byte(1), byte(3), byte(5))
}

fn xs(r: &Results) -> Vec<f64> {
    r.quarters.iter().map(|q| q.mid_year()).collect()
}

fn yearly(values: &[f64]) -> Vec<f64> {
    values.iter().map(|v| v * QUARTERS_PER_YEAR).collect()
}

/// The ids that have any value in a breakdown, in order.
fn present(rows: usize, row: impl Fn(usize) -> f64) -> Vec<usize> {
    (0..rows).filter(|&i| row(i) > 0.0).collect()
}

/// One stacked layer per provider whose row of `series` holds anything, in the provider's colour;
/// `values` turns a provider's index and row into what is drawn.
fn provider_layers(s: &Scenario, series: &Series, values: impl Fn(usize, &[f64]) -> Vec<f64>) -> Vec<Layer> {
    // `provider` gives an empty row past the end, so a scenario and results that disagree draw less.
    present(s.providers.len(), |p| series.provider(p).iter().sum())
        .into_iter()
        .map(|p| Layer {
            label: i18n::data_name("provider", &s.providers[p].id, &s.providers[p].name),
            colour: colour(&s.providers[p].colour),
            values: values(p, series.provider(p)),
        })
        .collect()
}

/// A provider's display name (see `Scenario::entity_name`), in the language in use.
fn provider_name(s: &Scenario, id: &str) -> String {
    i18n::entity(s, atlas_core::scenario::Dimension::Provider, id)
}

/// The carbon chart's lines: metric, label, colour.
const CARBON_SERIES: [(Metric, usize, (u8, u8, u8)); 3] = [
    (Metric::CarbonLocationMt, k::SERIES_LOCATION, (179, 38, 30)),
    (Metric::CarbonMarketMt, k::SERIES_MARKET, (230, 126, 34)),
    (Metric::EmbodiedCarbonMt, k::SERIES_EMBODIED, (127, 140, 141)),
];

/// The cost chart's stacked parts: metric, label, colour.
const COST_SERIES: [(Metric, usize, (u8, u8, u8)); 3] = [
    (Metric::CapitalChargeUsdB, k::SERIES_CAPITAL_CHARGE, (52, 101, 164)),
    (Metric::EnergyCostUsdB, k::SERIES_ELECTRICITY, (241, 160, 30)),
    (Metric::CarbonCostUsdB, k::SERIES_CARBON_PRICE, (90, 90, 90)),
];

/// One layer per total series, as yearly rates.
fn total_layers(current: &Results, series: &[(Metric, usize, (u8, u8, u8))]) -> Vec<Layer> {
    series
        .iter()
        .map(|&(metric, label, (r, g, b))| Layer {
            label: t(label).into(),
            colour: RGBColor(r, g, b),
            values: yearly(current.total(metric)),
        })
        .collect()
}

/// The baseline's own yearly rates of the same total series, for the read-out.
fn totals_readout(
    baseline: &Results,
    current: &Results,
    series: &[(Metric, usize, (u8, u8, u8))],
    ink: RGBColor,
) -> Vec<Layer> {
    let names = series.iter().map(|&(_, label, _)| t(label).to_string()).collect();
    readout(baseline, current, names, |i| yearly(baseline.total(series[i].0)), ink)
}

/// The baseline's own values for the read-out, one per named series (`values` gives the row of
/// baseline index `i`, on the baseline's quarters), aligned to the current quarters.
fn readout(
    baseline: &Results,
    current: &Results,
    names: Vec<String>,
    values: impl Fn(usize) -> Vec<f64>,
    ink: RGBColor,
) -> Vec<Layer> {
    names
        .into_iter()
        .enumerate()
        .map(|(i, label)| Layer {
            label,
            colour: ink,
            values: align(&values(i), &baseline.quarters, &current.quarters),
        })
        .collect()
}

/// The shading of one banded series, scaled (4 for yearly rates of quarterly flows).
fn band_spec(series: &SeriesBands, scale: f64, colour: RGBColor) -> BandSpec {
    let at = |f: fn(&atlas_core::montecarlo::Percentiles) -> f64| -> Vec<f64> {
        series.quarters.iter().map(|p| f(p) * scale).collect()
    };
    BandSpec { outer: (at(|p| p.p5), at(|p| p.p95)), inner: (at(|p| p.p25), at(|p| p.p75)), colour }
}

/// Builds one chart's picture; `bands` (for the current scenario's quarters) shade the
/// uncertainty around a series chart's main line.
pub fn picture(
    id: ChartId,
    s: &Scenario,
    current: &Results,
    baseline: &Results,
    choices: Choices,
    ink: RGBColor,
    bands: Option<&Bands>,
) -> Picture {
    let breakdown = choices.breakdown;
    let title = id.title().to_string();
    let x = xs(current);
    let bands = bands.filter(|b| b.quarters == current.quarters);
    let band = |metric: Metric, scale: f64| bands.map(|b| band_spec(b.series(metric), scale, ink));
    let ghost = |label: &str, values: Vec<f64>| Layer {
        label: tf(k::SERIES_BASELINE, &[("label", label)]),
        colour: ink,
        values,
    };
    let base = |metric: Metric| align(baseline.total(metric), &baseline.quarters, &current.quarters);
    Picture::Series(match id {
        ChartId::Map => {
            let q = map_index(choices.map_quarter, &current.quarters);
            return Picture::Map(crate::map::spec(
                s,
                current,
                baseline,
                choices.map_figure,
                choices.map_colour,
                q,
            ));
        }
        ChartId::Flows => {
            return Picture::Flows(crate::sankey::spec(s, current, baseline, choices.flows_year));
        }
        ChartId::Shares => {
            let capital = current.series(Metric::CapitalUsdB);
            let share_of = |r: &Results, p: usize| r.provider_share_pct(Metric::CapitalUsdB, p);
            let layers = provider_layers(s, capital, |p, _| share_of(current, p));
            // The baseline's boundaries between providers, as dashed lines.
            let base_providers = present(baseline.providers.len(), |p| {
                baseline.series(Metric::CapitalUsdB).provider(p).iter().sum()
            });
            let mut running = vec![0.0; baseline.quarters.len()];
            let mut ghosts = Vec::new();
            for &p in base_providers.iter().take(base_providers.len().saturating_sub(1)) {
                for (sum, v) in running.iter_mut().zip(share_of(baseline, p)) {
                    *sum += v;
                }
                ghosts.push(ghost(
                    &provider_name(s, &baseline.providers[p]),
                    align(&running, &baseline.quarters, &current.quarters),
                ));
            }
            let names = baseline.providers.iter().map(|id| provider_name(s, id)).collect();
            ChartSpec {
                title,
                unit: t(k::CHART_UNIT_SHARES).into(),
                x,
                layers,
                stacked: true,
                baseline: ghosts,
                y_max: Some(100.0),
                bands: None,
                readout: readout(baseline, current, names, |p| share_of(baseline, p), ink),
            }
        }
        ChartId::Capacity => {
            let h100e = current.series(Metric::H100e);
            let layers: Vec<Layer> = match breakdown {
                Breakdown::Provider => provider_layers(s, h100e, |_, row| row.to_vec()),
                Breakdown::Region => present(current.regions.len(), |r| h100e.region(r).iter().sum())
                    .into_iter()
                    .map(|r| {
                        let (cr, cg, cb) = REGION_PALETTE[r % REGION_PALETTE.len()];
                        Layer {
                            label: i18n::data_name("region", &s.regions[r].id, &s.regions[r].name),
                            colour: RGBColor(cr, cg, cb),
                            values: h100e.region(r).to_vec(),
                        }
                    })
                    .collect(),
            };
            let title = t(match breakdown {
                Breakdown::Provider => k::CHART_TITLE_CAPACITY_BY_PROVIDER,
                Breakdown::Region => k::CHART_TITLE_CAPACITY_BY_REGION,
            });
            let b = baseline.series(Metric::H100e);
            let readout = match breakdown {
                Breakdown::Provider => {
                    let names = baseline.providers.iter().map(|id| provider_name(s, id)).collect();
                    readout(baseline, current, names, |p| b.provider(p).to_vec(), ink)
                }
                Breakdown::Region => {
                    let names = baseline
                        .regions
                        .iter()
                        .map(|id| i18n::entity(s, atlas_core::scenario::Dimension::Region, id))
                        .collect();
                    readout(baseline, current, names, |r| b.region(r).to_vec(), ink)
                }
            };
            ChartSpec {
                title: title.into(),
                unit: t(k::CHART_UNIT_CAPACITY).into(),
                x,
                layers,
                stacked: true,
                baseline: vec![ghost(t(k::SERIES_TOTAL), base(Metric::H100e))],
                y_max: None,
                bands: band(Metric::H100e, 1.0),
                readout,
            }
        }
        ChartId::Energy => {
            let energy = current.series(Metric::EnergyTwh);
            let layers = provider_layers(s, energy, |_, row| yearly(row));
            let b = baseline.series(Metric::EnergyTwh);
            let names = baseline.providers.iter().map(|id| provider_name(s, id)).collect();
            ChartSpec {
                title,
                unit: tf(k::CHART_UNIT_ENERGY, &[("factor", &i18n::num(GW_PER_TWH_PER_YEAR, 3))]),
                x,
                layers,
                stacked: true,
                baseline: vec![ghost(t(k::SERIES_TOTAL), yearly(&base(Metric::EnergyTwh)))],
                y_max: None,
                bands: band(Metric::EnergyTwh, QUARTERS_PER_YEAR),
                readout: readout(baseline, current, names, |p| yearly(b.provider(p)), ink),
            }
        }
        ChartId::Carbon => ChartSpec {
            title,
            unit: t(k::CHART_UNIT_CARBON).into(),
            x,
            layers: total_layers(current, &CARBON_SERIES),
            stacked: false,
            baseline: vec![ghost(t(k::SERIES_LOCATION), yearly(&base(Metric::CarbonLocationMt)))],
            y_max: None,
            bands: band(Metric::CarbonLocationMt, QUARTERS_PER_YEAR),
            readout: totals_readout(baseline, current, &CARBON_SERIES, ink),
        },
        ChartId::Cost => {
            let cost = |r: &Results| -> Vec<f64> {
                let t = |m| r.total(m);
                (0..r.quarters.len())
                    .map(|q| {
                        (t(Metric::CapitalChargeUsdB)[q]
                            + t(Metric::EnergyCostUsdB)[q]
                            + t(Metric::CarbonCostUsdB)[q])
                            * QUARTERS_PER_YEAR
                    })
                    .collect()
            };
            ChartSpec {
                title,
                unit: t(k::CHART_UNIT_COST).into(),
                x,
                layers: total_layers(current, &COST_SERIES),
                stacked: true,
                baseline: vec![ghost(
                    t(k::SERIES_TOTAL),
                    align(&cost(baseline), &baseline.quarters, &current.quarters),
                )],
                y_max: None,
                bands: bands.map(|b| band_spec(b.total_cost(), QUARTERS_PER_YEAR, ink)),
                readout: totals_readout(baseline, current, &COST_SERIES, ink),
            }
        }
    })
}

/// The index in `quarters` of the map's quarter: the chosen one, or the nearest end of the span
/// when it lies outside; the last when none was chosen.
pub fn map_index(chosen: Option<atlas_core::Quarter>, quarters: &[atlas_core::Quarter]) -> usize {
    let last = quarters.len().saturating_sub(1);
    match chosen {
        None => last,
        Some(q) => quarters.iter().position(|&x| x >= q).unwrap_or(last),
    }
}

/// A series chart's specification (`None` for the map).
pub fn chart(
    id: ChartId,
    s: &Scenario,
    current: &Results,
    baseline: &Results,
    breakdown: Breakdown,
    ink: RGBColor,
    bands: Option<&Bands>,
) -> Option<ChartSpec> {
    let choices = Choices { breakdown, ..Choices::default() };
    match picture(id, s, current, baseline, choices, ink, bands) {
        Picture::Series(spec) => Some(spec),
        Picture::Map(_) | Picture::Flows(_) => None,
    }
}

/// Re-indexes a baseline series onto the current scenario's quarters (the spans may differ);
/// quarters the baseline does not cover are left out of the line by a NaN, which the chart skips.
fn align(values: &[f64], from: &[atlas_core::Quarter], to: &[atlas_core::Quarter]) -> Vec<f64> {
    if from == to {
        return values.to_vec();
    }
    to.iter().map(|q| from.iter().position(|f| f == q).map_or(f64::NAN, |i| values[i])).collect()
}

/// A headline card's label in the language in use: the catalogue's `card.<id>` (the core's
/// `Kpi` says whether higher is better).
pub fn card_label(id: KpiId) -> &'static str {
    i18n::named(&format!("card.{}", id.as_str())).unwrap_or(id.label())
}

/// The headline figures shown as cards (`data-kpi` on each), in order.
pub const CARDS: [KpiId; 13] = [
    KpiId::H100eEnd,
    KpiId::PeakEflopsEnd,
    KpiId::FacilityPowerGwEndYear,
    KpiId::EnergyTwhEndYear,
    KpiId::CarbonLocationMtEndYear,
    KpiId::CapitalUsdBTotal,
    KpiId::AllInUsdBPerGwTotal,
    KpiId::EnergyCostUsdBEndYear,
    KpiId::EnergyCostUsdBTotal,
    KpiId::CostPerH100eHourUsdEndYear,
    KpiId::WaterGlEndYear,
    KpiId::CapacityWithoutLargestPctEnd,
    KpiId::RedirectedH100eTotal,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_parse() {
        assert_eq!(colour("#0078D4"), RGBColor(0, 120, 212));
        assert_eq!(colour("bad"), RGBColor(128, 128, 128));
    }

    #[test]
    fn every_card_is_a_kpi_of_the_core() {
        let r = atlas_core::simulate(&Scenario::default()).unwrap();
        let kpis = r.summary.kpis();
        for card in CARDS {
            assert!(kpis.iter().any(|k| k.id == card), "{card}");
            assert!(i18n::named(&format!("card.{}", card.as_str())).is_some(), "{card}");
        }
    }

    #[test]
    fn charts_have_data_for_the_default() {
        let mut s = Scenario::default();
        let r = atlas_core::simulate(&s).unwrap();
        // Few draws, for speed (fewer than a scenario may ask for; bands do not validate).
        s.uncertainty.draws = 20;
        let b = atlas_core::montecarlo::bands(&s);
        for id in CHARTS {
            let Some(spec) = chart(id, &s, &r, &r, Breakdown::Provider, RGBColor(0, 0, 0), Some(&b)) else {
                assert!(matches!(id, ChartId::Map | ChartId::Flows));
                continue;
            };
            assert!(!spec.layers.is_empty(), "{id}");
            if let Some(band) = &spec.bands {
                assert_eq!(band.outer.0.len(), r.quarters.len(), "{id}");
            }
            assert!(spec.layers.iter().all(|l| l.values.len() == r.quarters.len()), "{id}");
        }
        let s = atlas_core::scenario::base("article-chart").unwrap();
        let r = atlas_core::simulate(&s).unwrap();
        let shares =
            chart(ChartId::Shares, &s, &r, &r, Breakdown::Provider, RGBColor(0, 0, 0), None).unwrap();
        // The chart as drawn, 2026 Q1: Azure 50, AWS 45, Oracle 5.
        let q = r.quarters.iter().position(|q| q.to_string() == "2026Q1").unwrap();
        let at = |label: &str| shares.layers.iter().find(|l| l.label.contains(label)).unwrap().values[q];
        assert!(
            (at("Azure") - 50.0).abs() < 1e-9
                && (at("Amazon") - 45.0).abs() < 1e-9
                && (at("Oracle") - 5.0).abs() < 1e-9
        );
    }
}
