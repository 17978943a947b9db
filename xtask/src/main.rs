//! `cargo xtask`: the project's own build tool (the cargo-xtask pattern). Plain Rust, std only
//! apart from the core it showcases and `serde_json` for criterion's output.
//!
//! - `cargo xtask serve`: serve the web page (a placeholder until the page exists) on 127.0.0.1.
//! - `cargo xtask test`: every check CI runs, in order, stopping at the first failure.
//! - `cargo xtask bench`: run the core's benchmarks and record the numbers in `docs/perf.md`.
//!
//! This crate is never built for the browser and nothing depends on it.

mod bench;
mod http;
mod serve;
mod site;
mod test;
mod util;

use std::process::ExitCode;

use util::Error;

/// What `cargo xtask help` prints.
const USAGE: &str = "\
Usage: cargo xtask <command> [options]

Commands:
  serve [--port N] [--no-open]   Serve the web page on http://127.0.0.1:N/ (default 8000; the
                                 next free port is used if N is taken). Without the web page, a
                                 placeholder is generated in target/site/. --no-open: do not open
                                 a browser.
  test                           Run every check CI runs (fmt, clippy, tests, wasm build, core
                                 purity), stopping at the first failure.
  bench [-- <cargo bench args>]  Run the core's benchmarks and update docs/perf.md. Arguments
                                 after -- are passed to cargo bench, e.g.
                                 cargo xtask bench -- -- --sample-size 20
  help                           Show this message.
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
