//! # Compute Atlas core
//!
//! The planning and simulation core of Compute Atlas: the [`Scenario`] (every input in one
//! serialisable value), the default data set with its sources ([`data`]), validation that reports
//! every problem at once ([`validate()`]), and the quarterly simulation ([`simulate`]) of
//! capacity, power, energy, carbon, cost, water and resilience by provider, region and accelerator.
//!
//! **This crate is pure.** It does no I/O, reads no clock, draws no unseeded randomness and knows
//! nothing of the browser: no wasm-bindgen, web-sys, js-sys or plotters. It builds for the native
//! target and for `wasm32-unknown-unknown`, and gives bit-identical results on both.

mod alloc;
pub mod compare;
pub mod data;
pub mod edit;
pub mod export;
pub mod flows;
pub mod format;
pub mod geography;
pub mod kpi;
pub mod limits;
pub mod message;
mod model;
pub mod montecarlo;
pub mod naming;
pub mod params;
pub mod parse;
pub mod plan;
pub mod policy;
pub mod quarter;
pub mod results;
pub mod scenario;
pub mod sim;
pub mod sweep;
pub mod tornado;
pub mod uncertainty;
pub mod url;
pub mod validate;

pub use kpi::{Kpi, KpiId};
pub use parse::parse_scenario;
pub use quarter::Quarter;
pub use results::{CellSeries, Metric, RedirectFlow, RedirectReason, Results, Series, Summary};
pub use scenario::{BuildOut, Scenario};
pub use sim::{run, simulate};
pub use validate::{Problem, Valid, validate};
