//! Converts the human-edited default data (`data/default.toml`) to compact JSON at compile time,
//! so the core embeds it without carrying a TOML parser into the WebAssembly module.

use std::{env, fs, path::Path};

fn main() {
    let source = Path::new("data/default.toml");
    println!("cargo::rerun-if-changed={}", source.display());
    let text = fs::read_to_string(source).expect("core/data/default.toml is readable");
    let value: toml::Value = match toml::from_str(&text) {
        Ok(value) => value,
        Err(err) => panic!("core/data/default.toml is not valid TOML:\n{err}"),
    };
    let json = serde_json::to_string(&value).expect("TOML values convert to JSON");
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("default_data.json");
    fs::write(out, json).expect("OUT_DIR is writable");
}
