//! The messages between the page and its workers (the `helpers` and `worker` modules): one serde
//! type each way, so the two ends cannot disagree on a field. `www/worker.js` only passes them on
//! (and sends a [`Answer::Failed`] of its own when the module cannot start).

use serde::{Deserialize, Serialize};

/// Page to worker: draws `from..to` of job `generation`'s scenario.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Chunk {
    /// The job.
    pub generation: u32,
    /// The scenario, as a scenario file (`Scenario::to_json_pretty`).
    pub scenario: String,
    /// The first draw.
    pub from: u32,
    /// One past the last draw.
    pub to: u32,
}

/// Worker to page: the draws, or why there are none.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Answer {
    /// The values of draws `from..` of job `generation`.
    Rows {
        /// The job.
        generation: u32,
        /// The first draw.
        from: u32,
        /// Every series value of every draw, draw by draw, as little-endian doubles (one copy
        /// into a byte array that the worker hands over rather than copies again).
        rows: serde_bytes::ByteBuf,
        /// The worker's time, ms.
        ms: f64,
    },
    /// The worker could not do it.
    Failed {
        /// Why.
        message: String,
    },
}

/// The doubles as little-endian bytes.
pub fn to_bytes(values: &[f64]) -> serde_bytes::ByteBuf {
    serde_bytes::ByteBuf::from(values.iter().flat_map(|v| v.to_le_bytes()).collect::<Vec<u8>>())
}

/// The doubles back from [`to_bytes`]; `None` if the length is not a whole number of them.
pub fn from_bytes(bytes: &[u8]) -> Option<Vec<f64>> {
    let chunks = bytes.chunks_exact(8);
    if !chunks.remainder().is_empty() {
        return None;
    }
    Some(chunks.map(|c| f64::from_le_bytes(c.try_into().unwrap_or([0; 8]))).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_survive_the_bytes() {
        let values = [0.0, -1.5, f64::MAX, 1e-300, 123_456.789];
        assert_eq!(from_bytes(&to_bytes(&values)).unwrap(), values);
        assert_eq!(from_bytes(&[0; 9]), None);
    }
}
