//! Calendar quarters, the model's time step.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A calendar quarter, written `2025Q3` in files and URLs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    /// Calendar year.
    pub year: i32,
    /// Quarter of the year, 1–4.
    pub q: u8,
}

/// Hours in an average quarter (365.25 × 24 ÷ 4).
pub const HOURS_PER_QUARTER: f64 = 2191.5;

impl Quarter {
    /// The quarter `q` (1–4) of `year`; `None` if `q` is out of range.
    pub fn new(year: i32, q: u8) -> Option<Self> {
        (1..=4).contains(&q).then_some(Self { year, q })
    }

    /// The first quarter of `year`.
    pub fn first_of(year: i32) -> Self {
        Self { year, q: 1 }
    }

    /// A running index (year × 4 + quarter − 1), so differences count quarters.
    pub fn index(self) -> i64 {
        i64::from(self.year) * 4 + i64::from(self.q) - 1
    }

    /// The quarter with the given running index.
    pub fn from_index(index: i64) -> Self {
        let year = index.div_euclid(4);
        let q = index.rem_euclid(4) as u8 + 1;
        Self { year: year as i32, q }
    }

    /// Years from `earlier` to this quarter (quarters ÷ 4; negative if `earlier` is later).
    pub fn years_after(self, earlier: Quarter) -> f64 {
        (self.index() - earlier.index()) as f64 / 4.0
    }

    /// The year as a fraction at the quarter's midpoint (2025Q1 → 2025.125).
    pub fn mid_year(self) -> f64 {
        f64::from(self.year) + (f64::from(self.q) - 0.5) / 4.0
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}Q{}", self.year, self.q)
    }
}

/// Why a quarter label did not parse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuarterParseError(pub String);

impl fmt::Display for QuarterParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not a quarter; write it as 2025Q3 (year, Q, 1–4)", self.0)
    }
}

impl FromStr for Quarter {
    type Err = QuarterParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || QuarterParseError(s.to_string());
        let (year, q) = s.trim().split_once(['Q', 'q']).ok_or_else(err)?;
        let year: i32 = year.parse().map_err(|_| err())?;
        let q: u8 = q.parse().map_err(|_| err())?;
        Quarter::new(year, q).ok_or_else(err)
    }
}

impl Serialize for Quarter {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Quarter {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        let q: Quarter = "2025Q3".parse().unwrap();
        assert_eq!(q, Quarter { year: 2025, q: 3 });
        assert_eq!(q.to_string(), "2025Q3");
        assert!("2025Q5".parse::<Quarter>().is_err());
        assert!("2025".parse::<Quarter>().is_err());
        assert!("Q1".parse::<Quarter>().is_err());
    }

    #[test]
    fn index_round_trips_and_orders() {
        for year in [-3, 0, 2023, 2100] {
            for q in 1..=4 {
                let quarter = Quarter::new(year, q).unwrap();
                assert_eq!(Quarter::from_index(quarter.index()), quarter);
            }
        }
        let a = Quarter::new(2023, 4).unwrap();
        let b = Quarter::new(2024, 1).unwrap();
        assert!(a < b);
        assert_eq!(b.index() - a.index(), 1);
    }
}
