//! The valid range of every number a scenario holds, in one place. Validation checks them; the
//! parameter table (the `params` module) gives the scalar ones to the URL codec, the sliders and the
//! uncertainty draws; nothing else states a range. A scenario within them simulates without NaN,
//! infinity or negative energy (the property tests check it).

/// Earliest start year.
pub const MIN_YEAR: i32 = 2015;
/// Latest end year.
pub const MAX_YEAR: i32 = 2100;
/// Longest span, years.
pub const MAX_SPAN_YEARS: i32 = 60;
/// Hardware lifetime range, years.
pub const LIFETIME_YEARS: (f64, f64) = (1.0, 15.0);
/// Building lifetime range, years.
pub const FACILITY_LIFETIME_YEARS: (f64, f64) = (1.0, 60.0);
/// Cost of capital range (a yearly rate).
pub const COST_OF_CAPITAL: (f64, f64) = (0.0, 0.5);
/// Energy-cost multiplier range.
pub const ENERGY_COST_MULTIPLIER: (f64, f64) = (0.0, 10.0);
/// Electricity price range, USD/MWh.
pub const PRICE_USD_PER_MWH: (f64, f64) = (0.0, 5000.0);
/// Carbon price range, USD/t.
pub const CARBON_PRICE_USD_PER_T: (f64, f64) = (0.0, 5000.0);
/// Grid decarbonisation pace range (multiplier on yearly change).
pub const GRID_PACE: (f64, f64) = (0.0, 5.0);
/// Inference efficiency gain range (×).
pub const EFFICIENCY_GAIN: (f64, f64) = (0.1, 1000.0);
/// Any share or fraction: utilisation, idle power, inference share, clean-energy share, leakage.
pub const FRACTION: (f64, f64) = (0.0, 1.0);
/// Grid intensity range, g/kWh.
pub const INTENSITY_G_PER_KWH: (f64, f64) = (0.0, 2000.0);
/// Yearly relative change of grid intensity.
pub const INTENSITY_CHANGE: (f64, f64) = (-0.5, 0.2);
/// Product of pace and yearly change must stay above this, so intensity stays positive.
pub const MIN_PACED_CHANGE: f64 = -0.9;
/// PUE range.
pub const PUE: (f64, f64) = (1.0, 5.0);
/// Water use range, L/kWh.
pub const WUE_L_PER_KWH: (f64, f64) = (0.0, 20.0);
/// Largest yearly budget, billions of USD.
pub const BUDGET_USD_B: f64 = 1.0e5;
/// Range of the build-out multiplier (and of the domestic supply's).
pub const BUILD_OUT_SCALE: (f64, f64) = (0.0, 100.0);
/// Largest capacity target, GW.
pub const CAPACITY_GW: f64 = 1.0e4;
/// Largest fleet cohort, accelerators.
pub const COHORT_COUNT: f64 = 1.0e9;
/// Most quarters a starting-fleet cohort may be spread over (20 years).
pub const COHORT_SPREAD_QUARTERS: u32 = 80;
/// Range of the trend's yearly gains (fractions: −0.5 = halves each year, 2 = triples).
pub const TREND_GAIN: (f64, f64) = (-0.5, 2.0);
/// Most domestic accelerators installable in a year.
pub const DOMESTIC_UNITS_PER_YEAR: f64 = 1.0e9;
/// Tolerance on keyframe share sums, percentage points.
pub const SHARE_SUM_TOLERANCE_PCT: f64 = 0.01;
/// Largest dense BF16 throughput of one accelerator, TFLOPS: room for a projected accelerator
/// at the trend's top gain (+200% a year) for ten years after its base (59,049× a 15,000 TFLOPS
/// chip), so every valid trend gives a valid scenario.
pub const TFLOPS: f64 = 1.0e9;
/// Largest power of one accelerator (chip or all-in), W.
pub const ACCELERATOR_POWER_W: f64 = 1.0e5;
/// Largest all-in price of one accelerator, USD: room for a projected accelerator whose
/// compute per dollar falls at the trend's lowest gain (−50% a year) while its compute rises.
pub const ACCELERATOR_PRICE_USD: f64 = 1.0e11;
/// Largest embodied carbon of one accelerator, kg CO2e.
pub const EMBODIED_KGCO2E: f64 = 1.0e6;
/// Largest weight of a siting or allocation entry (weights are relative).
pub const WEIGHT: f64 = 1.0e6;
/// Largest export cap, H100e a year.
pub const CAP_H100E_PER_YEAR: f64 = 1.0e9;
/// Below this, a quantity is rounding residue, not a value: fewer accelerators in a cell (a fleet
/// retired in parts leaves ~10⁻¹¹ behind), or a quarter's total too small to take shares of.
pub const RESIDUE: f64 = 1e-6;
/// Width of the uncertainty bands (multiplier on every range).
pub const UNCERTAINTY_WIDTH: (f64, f64) = (0.0, 3.0);
/// Number of Monte Carlo draws.
pub const DRAWS: (u32, u32) = (100, 20_000);
