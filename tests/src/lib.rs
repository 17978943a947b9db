//! Data-driven scenario tests for Compute Atlas.
//!
//! `scenarios/` holds example scenario files (the format is documented in `scenarios/README.md`);
//! `scenarios/invalid/` holds broken files, each with a `.problems` file listing the fields the
//! problems must name; `golden/` holds checkpoints of the default scenario; `checks/` holds the
//! model checks ([`checks`]) and the snapshot of every preset's headline figures ([`snapshot`]).
//! The tests are in `tests/`; this library finds and reads the files and evaluates the checks, for
//! the tests and for `cargo xtask model-check`.

pub mod checks;
pub mod snapshot;

use std::fs;
use std::path::{Path, PathBuf};

/// The folder of this package (`tests/` at the workspace root).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `*.json` file directly in `dir`, sorted by name.
pub fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|err| panic!("cannot list {}: {err}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    files
}

/// The text of a file, with the path in the panic message if it cannot be read.
pub fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()))
}
