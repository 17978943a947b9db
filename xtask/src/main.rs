//! `cargo xtask`: the project's own build tool (the cargo-xtask pattern). Plain Rust, std only
//! apart from the core it showcases and `serde_json` for the JSON other tools write (criterion's
//! estimates, the page benchmark's result line).
//!
//! - `cargo xtask serve`: build the web page (wasm, bindings, static files) into `target/site/`
//!   and serve it on 127.0.0.1.
//! - `cargo xtask test`: every check CI runs, in order, stopping at the first failure; the last
//!   ones test the page in headless Chromium.
//! - `cargo xtask bench`: run the core's benchmarks and record the numbers in `docs/perf.md`.
//! - `cargo xtask bench-web`: measure the page in headless Chromium, likewise.
//! - `cargo xtask model-check [--compare | --update]`: the model checks as a report; every preset's
//!   headline figures beside the committed snapshot; rewrite the snapshot.
//!
//! Tools it needs and the machine lacks (the wasm-bindgen CLI, Chromium and ChromeDriver, npm
//! packages) are installed on first use by [`tools`]. This crate is never built for the browser
//! and nothing depends on it.

mod bench;
mod bench_sweep;
mod bench_web;
mod browser;
mod dist;
mod http;
mod imports;
mod model_check;
mod perf;
mod python;
mod serve;
mod site;
mod test;
mod tools;
mod util;

use std::process::ExitCode;

use util::Error;

/// What `cargo xtask help` prints.
const USAGE: &str = "\
Usage: cargo xtask <command> [options]

Commands:
  serve [--port N] [--no-open]   Build the page (release wasm, bindings into www/pkg/, index.html
                                 and www/ copied to target/site/) and serve it on
                                 http://127.0.0.1:N/ (default 8000; the next free port is used if
                                 N is taken).
                                 --no-open: do not open a browser.
  test                           Run every check CI runs (fmt, clippy, tests, wasm build, core
                                 purity, the Python package and its pytest tests, wasm-bindgen
                                 tests and end-to-end tests in headless Chromium), stopping at the
                                 first failure.
  bench [-- <cargo bench args>]  Run the core's benchmarks and update docs/perf.md. Arguments
                                 after -- are passed to cargo bench, e.g.
                                 cargo xtask bench -- -- --sample-size 20
  bench-web                      Measure the page in headless Chromium (slider input to paint,
                                 wasm size) and update docs/perf.md.
  bench-sweep [N]                Measure a sweep of N scenarios (10,000 without N) on one thread,
                                 every core, a Dask LocalCluster and atlas sweep, and update
                                 docs/perf.md (installs the Python package's environment).
  dist [--record]                Write the static site to dist/ (hashed assets, service worker,
                                 manifest, wasm-opt) and the one-file page
                                 dist/compute-atlas.html and print their sizes; --record: write
                                 the sizes into docs/perf.md too.
  model-check [--compare|--update]
                                 Run the model checks of tests/checks/checks.toml and print the
                                 report. --compare: print every preset's headline figures beside
                                 the committed snapshot (tests/checks/snapshot.json), marking what
                                 moved. --update: rewrite the snapshot (commit it with the change
                                 that moved it, saying why).
  help                           Show this message.

Missing tools are installed on first use: the wasm-bindgen CLI (cargo install into
target/tools/), Chromium and ChromeDriver (apt-get, as root), npm packages of tests/e2e/ (npm ci).
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = args.split_first() else {
        print!("{USAGE}");
        return ExitCode::SUCCESS;
    };
    let result = match command.as_str() {
        "serve" => serve::run(rest),
        "test" => test::run(rest),
        "bench" => bench::run(rest),
        "bench-web" => bench_web::run(rest),
        "bench-sweep" => bench_sweep::run(rest),
        "dist" => dist::run(rest),
        "model-check" => model_check::run(rest),
        "help" | "--help" | "-h" => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        other => Err(Error::Usage(format!("unknown command `{other}`"))),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Error::Usage(msg)) => {
            eprintln!("error: {msg}\n");
            eprint!("{USAGE}");
            ExitCode::from(2)
        }
        Err(Error::Failed(msg)) => {
            eprintln!("error: {msg}");
            ExitCode::FAILURE
        }
    }
}
