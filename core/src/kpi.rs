//! Headline figures: the typed id of each ([`KpiId`]), its label, unit and whether more of it is
//! better, and the labelled list a simulation's summary makes ([`Summary::kpis`]).
//!
//! The id is what crosses from the core to the page, the CLI, the checks and the files: one enum,
//! so a figure cannot be misspelt, and every property of it is an exhaustive match.

use serde::Serialize;

use crate::results::Summary;

/// One headline figure of a [`Summary`], in display order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KpiId {
    /// Installed H100-equivalents at the end.
    H100eEnd,
    /// Peak compute at the end.
    PeakEflopsEnd,
    /// Effective compute at the end.
    EffectiveEflopsEnd,
    /// Average facility power in the end year.
    FacilityPowerGwEndYear,
    /// Facility energy in the end year.
    EnergyTwhEndYear,
    /// Location-based emissions in the end year.
    CarbonLocationMtEndYear,
    /// Market-based emissions in the end year.
    CarbonMarketMtEndYear,
    /// Energy cost in the end year.
    EnergyCostUsdBEndYear,
    /// Cost per H100e-hour in the end year.
    CostPerH100eHourUsdEndYear,
    /// Water in the end year.
    WaterGlEndYear,
    /// All-in capital per design GW of the end year's new builds.
    AllInUsdBPerGwEndYear,
    /// Share of capacity left if the largest provider fails, at the end.
    CapacityWithoutLargestPctEnd,
    /// Concentration of capacity by provider (HHI) at the end.
    HhiEnd,
    /// Capital spent over the span.
    CapitalUsdBTotal,
    /// All-in capital per design GW of every new build over the span.
    AllInUsdBPerGwTotal,
    /// Energy cost over the span.
    EnergyCostUsdBTotal,
    /// Location-based emissions over the span.
    CarbonLocationMtTotal,
    /// Embodied emissions over the span.
    EmbodiedCarbonMtTotal,
    /// Water over the span.
    WaterGlTotal,
    /// Capital moved by export rules and limits over the span.
    RedirectedUsdBTotal,
    /// H100e bought with redirected capital over the span.
    RedirectedH100eTotal,
    /// Demand a region with a domestic industry could not meet.
    UnmetUsdBTotal,
}

impl KpiId {
    /// Every headline figure, in display order.
    pub const ALL: [KpiId; 22] = [
        KpiId::H100eEnd,
        KpiId::PeakEflopsEnd,
        KpiId::EffectiveEflopsEnd,
        KpiId::FacilityPowerGwEndYear,
        KpiId::EnergyTwhEndYear,
        KpiId::CarbonLocationMtEndYear,
        KpiId::CarbonMarketMtEndYear,
        KpiId::EnergyCostUsdBEndYear,
        KpiId::CostPerH100eHourUsdEndYear,
        KpiId::WaterGlEndYear,
        KpiId::AllInUsdBPerGwEndYear,
        KpiId::CapacityWithoutLargestPctEnd,
        KpiId::HhiEnd,
        KpiId::CapitalUsdBTotal,
        KpiId::AllInUsdBPerGwTotal,
        KpiId::EnergyCostUsdBTotal,
        KpiId::CarbonLocationMtTotal,
        KpiId::EmbodiedCarbonMtTotal,
        KpiId::WaterGlTotal,
        KpiId::RedirectedUsdBTotal,
        KpiId::RedirectedH100eTotal,
        KpiId::UnmetUsdBTotal,
    ];

    /// The identifier in files, links and the page (`energy_twh_end_year`): its metric's id and
    /// its window (`_end`, `_end_year`, `_total`).
    pub fn as_str(self) -> &'static str {
        match self {
            KpiId::H100eEnd => "h100e_end",
            KpiId::PeakEflopsEnd => "peak_eflops_end",
            KpiId::EffectiveEflopsEnd => "effective_eflops_end",
            KpiId::FacilityPowerGwEndYear => "facility_power_gw_end_year",
            KpiId::EnergyTwhEndYear => "energy_twh_end_year",
            KpiId::CarbonLocationMtEndYear => "carbon_location_mt_end_year",
            KpiId::CarbonMarketMtEndYear => "carbon_market_mt_end_year",
            KpiId::EnergyCostUsdBEndYear => "energy_cost_usd_b_end_year",
            KpiId::CostPerH100eHourUsdEndYear => "cost_per_h100e_hour_usd_end_year",
            KpiId::WaterGlEndYear => "water_gl_end_year",
            KpiId::AllInUsdBPerGwEndYear => "all_in_usd_b_per_gw_end_year",
            KpiId::CapacityWithoutLargestPctEnd => "capacity_without_largest_pct_end",
            KpiId::HhiEnd => "hhi_end",
            KpiId::CapitalUsdBTotal => "capital_usd_b_total",
            KpiId::AllInUsdBPerGwTotal => "all_in_usd_b_per_gw_total",
            KpiId::EnergyCostUsdBTotal => "energy_cost_usd_b_total",
            KpiId::CarbonLocationMtTotal => "carbon_location_mt_total",
            KpiId::EmbodiedCarbonMtTotal => "embodied_carbon_mt_total",
            KpiId::WaterGlTotal => "water_gl_total",
            KpiId::RedirectedUsdBTotal => "redirected_usd_b_total",
            KpiId::RedirectedH100eTotal => "redirected_h100e_total",
            KpiId::UnmetUsdBTotal => "unmet_usd_b_total",
        }
    }

    /// The figure an identifier names (what [`KpiId::as_str`] writes).
    pub fn parse(id: &str) -> Option<KpiId> {
        KpiId::ALL.into_iter().find(|k| k.as_str() == id)
    }

    /// Label for people.
    pub fn label(self) -> &'static str {
        match self {
            KpiId::H100eEnd => "Capacity at end",
            KpiId::PeakEflopsEnd => "Peak compute at end",
            KpiId::EffectiveEflopsEnd => "Effective compute at end",
            KpiId::FacilityPowerGwEndYear => "Facility power, end year",
            KpiId::EnergyTwhEndYear => "Energy, end year",
            KpiId::CarbonLocationMtEndYear => "Carbon (location), end year",
            KpiId::CarbonMarketMtEndYear => "Carbon (market), end year",
            KpiId::EnergyCostUsdBEndYear => "Energy cost, end year",
            KpiId::CostPerH100eHourUsdEndYear => "Cost per H100e-hour, end year",
            KpiId::WaterGlEndYear => "Water, end year",
            KpiId::AllInUsdBPerGwEndYear => "All-in cost per GW of new builds, end year",
            KpiId::CapacityWithoutLargestPctEnd => "Capacity left without largest provider",
            KpiId::HhiEnd => "Provider concentration (HHI)",
            KpiId::CapitalUsdBTotal => "Capital, whole span",
            KpiId::AllInUsdBPerGwTotal => "All-in cost per GW of new builds, whole span",
            KpiId::EnergyCostUsdBTotal => "Energy cost, whole span",
            KpiId::CarbonLocationMtTotal => "Carbon (location), whole span",
            KpiId::EmbodiedCarbonMtTotal => "Embodied carbon, whole span",
            KpiId::WaterGlTotal => "Water, whole span",
            KpiId::RedirectedUsdBTotal => "Capital redirected by export rules",
            KpiId::RedirectedH100eTotal => "Capacity bought elsewhere",
            KpiId::UnmetUsdBTotal => "Demand unmet under export bans",
        }
    }

    /// Unit.
    pub fn unit(self) -> &'static str {
        match self {
            KpiId::H100eEnd | KpiId::RedirectedH100eTotal => "H100e",
            KpiId::PeakEflopsEnd | KpiId::EffectiveEflopsEnd => "EFLOP/s",
            KpiId::FacilityPowerGwEndYear => "GW",
            KpiId::EnergyTwhEndYear => "TWh/yr",
            KpiId::CarbonLocationMtEndYear | KpiId::CarbonMarketMtEndYear => "Mt CO2e/yr",
            KpiId::EnergyCostUsdBEndYear => "USD bn/yr",
            KpiId::CostPerH100eHourUsdEndYear => "USD",
            KpiId::WaterGlEndYear => "GL/yr",
            KpiId::AllInUsdBPerGwEndYear | KpiId::AllInUsdBPerGwTotal => "USD bn/GW",
            KpiId::CapacityWithoutLargestPctEnd => "%",
            KpiId::HhiEnd => "HHI",
            KpiId::CapitalUsdBTotal
            | KpiId::EnergyCostUsdBTotal
            | KpiId::RedirectedUsdBTotal
            | KpiId::UnmetUsdBTotal => "USD bn",
            KpiId::CarbonLocationMtTotal | KpiId::EmbodiedCarbonMtTotal => "Mt CO2e",
            KpiId::WaterGlTotal => "GL",
        }
    }

    /// Whether more is better (`Some(true)`: capacity and resilience), worse (`Some(false)`:
    /// energy, carbon, water, running cost, concentration, money export rules moved or left
    /// unmet), or neither (`None`: money spent): how a difference is coloured.
    pub fn higher_is_better(self) -> Option<bool> {
        match self {
            KpiId::H100eEnd
            | KpiId::PeakEflopsEnd
            | KpiId::EffectiveEflopsEnd
            | KpiId::CapacityWithoutLargestPctEnd => Some(true),
            KpiId::FacilityPowerGwEndYear
            | KpiId::EnergyTwhEndYear
            | KpiId::CarbonLocationMtEndYear
            | KpiId::CarbonMarketMtEndYear
            | KpiId::EnergyCostUsdBEndYear
            | KpiId::CostPerH100eHourUsdEndYear
            | KpiId::WaterGlEndYear
            | KpiId::HhiEnd
            | KpiId::EnergyCostUsdBTotal
            | KpiId::CarbonLocationMtTotal
            | KpiId::EmbodiedCarbonMtTotal
            | KpiId::WaterGlTotal
            | KpiId::RedirectedUsdBTotal
            | KpiId::RedirectedH100eTotal
            | KpiId::UnmetUsdBTotal => Some(false),
            KpiId::CapitalUsdBTotal | KpiId::AllInUsdBPerGwEndYear | KpiId::AllInUsdBPerGwTotal => None,
        }
    }
}

impl std::str::FromStr for KpiId {
    type Err = String;

    /// Reads an identifier; an unknown one is an error naming the known ones.
    fn from_str(id: &str) -> Result<KpiId, String> {
        KpiId::parse(id).ok_or_else(|| {
            let known: Vec<&str> = KpiId::ALL.iter().map(|k| k.as_str()).collect();
            format!("no headline figure `{id}`; known: {}", known.join(", "))
        })
    }
}

impl std::fmt::Display for KpiId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One headline figure for cards and summaries.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Kpi {
    /// Which figure.
    pub id: KpiId,
    /// Label for people.
    pub label: &'static str,
    /// Unit.
    pub unit: &'static str,
    /// Value.
    pub value: f64,
    /// Whether more is better (see [`KpiId::higher_is_better`]).
    pub higher_is_better: Option<bool>,
}

impl Summary {
    /// The value of one headline figure.
    pub fn value(&self, id: KpiId) -> f64 {
        match id {
            KpiId::H100eEnd => self.h100e_end,
            KpiId::PeakEflopsEnd => self.peak_eflops_end,
            KpiId::EffectiveEflopsEnd => self.effective_eflops_end,
            KpiId::FacilityPowerGwEndYear => self.facility_power_gw_end_year,
            KpiId::EnergyTwhEndYear => self.energy_twh_end_year,
            KpiId::CarbonLocationMtEndYear => self.carbon_location_mt_end_year,
            KpiId::CarbonMarketMtEndYear => self.carbon_market_mt_end_year,
            KpiId::EnergyCostUsdBEndYear => self.energy_cost_usd_b_end_year,
            KpiId::CostPerH100eHourUsdEndYear => self.cost_per_h100e_hour_usd_end_year,
            KpiId::WaterGlEndYear => self.water_gl_end_year,
            KpiId::AllInUsdBPerGwEndYear => self.all_in_usd_b_per_gw_end_year,
            KpiId::CapacityWithoutLargestPctEnd => self.capacity_without_largest_pct_end,
            KpiId::HhiEnd => self.hhi_end,
            KpiId::CapitalUsdBTotal => self.capital_usd_b_total,
            KpiId::AllInUsdBPerGwTotal => self.all_in_usd_b_per_gw_total,
            KpiId::EnergyCostUsdBTotal => self.energy_cost_usd_b_total,
            KpiId::CarbonLocationMtTotal => self.carbon_location_mt_total,
            KpiId::EmbodiedCarbonMtTotal => self.embodied_carbon_mt_total,
            KpiId::WaterGlTotal => self.water_gl_total,
            KpiId::RedirectedUsdBTotal => self.redirected_usd_b_total,
            KpiId::RedirectedH100eTotal => self.redirected_h100e_total,
            KpiId::UnmetUsdBTotal => self.unmet_usd_b_total,
        }
    }

    /// The headline figures as labelled cards, in display order ([`KpiId::ALL`]).
    pub fn kpis(&self) -> Vec<Kpi> {
        KpiId::ALL
            .into_iter()
            .map(|id| Kpi {
                id,
                label: id.label(),
                unit: id.unit(),
                value: self.value(id),
                higher_is_better: id.higher_is_better(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::KpiId;

    #[test]
    fn ids_are_unique_and_read_back() {
        for (i, k) in KpiId::ALL.into_iter().enumerate() {
            assert_eq!(k as usize, i, "{k:?} is in ALL in declaration order");
            assert_eq!(KpiId::parse(k.as_str()), Some(k));
            assert_eq!(serde_json::to_value(k).unwrap(), k.as_str(), "serde writes the same id");
        }
        assert_eq!(KpiId::parse("energy_twh"), None);
        let err = "energy_twh".parse::<KpiId>().unwrap_err();
        assert!(err.contains("`energy_twh`") && err.contains("energy_twh_end_year"), "{err}");
    }
}
