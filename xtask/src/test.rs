//! `cargo xtask test`: every check CI runs, as an ordered list of steps. Each step prints a
//! `==> name` header and its time; the first failure stops the run with a non-zero exit.
//!
//! The last two steps test the page in headless Chromium: the web crate's wasm-bindgen tests,
//! then the node scripts of `tests/e2e/` against the built site. They install what they need
//! ([`crate::tools`]).
//!
//! To add a check, write a `fn(&Context) -> Result` and list it in [`STEPS`]; installing what it
//! needs belongs at the start of that function.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::browser::Session;
use crate::site::{WASM_TARGET, WEB_PACKAGE};
use crate::tools;
use crate::util::{self, Error, Result, failed, flush};

/// Crates the core must never depend on: **the core knows nothing about the browser or charts.**
/// A line of `cargo tree --prefix none` starting with one of these is an offender.
const FORBIDDEN_IN_CORE: &[&str] = &["wasm-bindgen", "web-sys", "js-sys", "plotters", "serde-wasm-bindgen"];

/// What a step can see: where the workspace is.
pub struct Context {
    /// The workspace root; every command runs there.
    root: PathBuf,
}

impl Context {
    /// A `cargo` command with `args`, run from the workspace root.
    fn cargo(&self, args: &[&str]) -> Command {
        util::cargo(&self.root, args)
    }
}

/// One check: a name for the header and the function that runs it.
struct Step {
    name: &'static str,
    run: fn(&Context) -> Result,
}

/// The checks, in the order they run: cheap and likely-to-fail first.
const STEPS: &[Step] = &[
    Step { name: "wasm target installed", run: ensure_wasm_target },
    Step { name: "cargo fmt --check", run: fmt },
    Step { name: "cargo clippy", run: clippy },
    Step { name: "cargo test (native)", run: native_tests },
    Step { name: "atlas-core builds for wasm32", run: core_wasm_build },
    Step { name: "atlas-core stays pure", run: core_purity },
    Step { name: "no module circles in the core or the page", run: |cx| crate::imports::check(&cx.root) },
    Step { name: "Python package (pip install ./python, pytest)", run: |cx| crate::python::test(&cx.root) },
    Step { name: "wasm-bindgen tests (headless Chromium)", run: wasm_bindgen_tests },
    Step { name: "browser end-to-end tests", run: browser_tests },
];

/// Runs `cargo xtask test`.
pub fn run(args: &[String]) -> Result {
    if let Some(arg) = args.first() {
        return Err(Error::Usage(format!("`test` takes no arguments, got `{arg}`")));
    }
    let context = Context { root: util::workspace_root() };
    let mut passed = 0;
    for step in STEPS {
        println!("==> {}", step.name);
        flush();
        let start = Instant::now();
        let outcome = (step.run)(&context);
        let seconds = start.elapsed().as_secs_f64();
        match outcome {
            Ok(()) => {
                println!("    ok ({seconds:.1} s)");
                passed += 1;
            }
            Err(err) => {
                println!("    FAILED ({seconds:.1} s)");
                println!("xtask test: {passed} passed, 1 failed");
                flush();
                return Err(match err {
                    Error::Failed(msg) => Error::Failed(format!("{}: {msg}", step.name)),
                    usage => usage,
                });
            }
        }
        flush();
    }
    println!("xtask test: {passed} passed, 0 failed");
    flush();
    Ok(())
}

/// Installs the wasm target with rustup unless it is there; skipped without rustup.
fn ensure_wasm_target(cx: &Context) -> Result {
    let mut list = Command::new("rustup");
    list.args(["target", "list", "--installed"]).current_dir(&cx.root);
    match util::output_if_present(&mut list)? {
        None => {
            println!("    rustup not found; skipped (the target must already be installed)");
            Ok(())
        }
        Some(installed) if installed.lines().any(|l| l.trim() == WASM_TARGET) => Ok(()),
        Some(_) => {
            util::run(Command::new("rustup").args(["target", "add", WASM_TARGET]).current_dir(&cx.root))
        }
    }
}

fn fmt(cx: &Context) -> Result {
    util::run(&mut cx.cargo(&["fmt", "--all", "--", "--check"]))
}

fn clippy(cx: &Context) -> Result {
    util::run(&mut cx.cargo(&["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))
}

fn native_tests(cx: &Context) -> Result {
    util::run(&mut cx.cargo(&["test", "--workspace"]))
}

fn core_wasm_build(cx: &Context) -> Result {
    util::run(&mut cx.cargo(&["build", "-p", "atlas-core", "--target", WASM_TARGET]))
}

/// Fails if the core's normal dependencies, as built for wasm, include a browser or chart crate.
fn core_purity(cx: &Context) -> Result {
    let tree = util::output(&mut cx.cargo(&[
        "tree",
        "-p",
        "atlas-core",
        "-e",
        "normal",
        "--prefix",
        "none",
        "--target",
        WASM_TARGET,
    ]))?;
    let crates = tree.lines().filter(|l| !l.trim().is_empty()).count();
    let offenders = forbidden_crates(&tree)?;
    if offenders.is_empty() {
        println!("    {crates} dependency lines checked, none forbidden");
        Ok(())
    } else {
        Err(failed(format!("atlas-core depends on crates it must not use:\n  {}", offenders.join("\n  "))))
    }
}

/// Runs the web crate's tests in headless Chromium: `cargo test --target wasm32-unknown-unknown`
/// with wasm-bindgen's test runner as the cargo runner and ChromeDriver named by `$CHROMEDRIVER`.
/// Unless the crate has its own `webdriver.json`, the browser gets the flags that keep it off the
/// network (see [`webdriver_capabilities`]).
fn wasm_bindgen_tests(cx: &Context) -> Result {
    let bindgen = tools::wasm_bindgen(&cx.root)?;
    let browser = tools::browser()?;
    let mut test = cx.cargo(&["test", "-p", WEB_PACKAGE, "--target", WASM_TARGET]);
    test.env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", &bindgen.test_runner)
        .env("CHROMEDRIVER", &browser.chromedriver);
    if !cx.root.join("web").join("webdriver.json").is_file() {
        let path = util::target_dir(&cx.root).join("tools").join("webdriver.json");
        std::fs::create_dir_all(path.parent().unwrap_or(&cx.root))
            .and_then(|()| std::fs::write(&path, webdriver_capabilities(&browser.chromium)))
            .map_err(|err| failed(format!("could not write {}: {err}", path.display())))?;
        test.env("WASM_BINDGEN_TEST_WEBDRIVER_JSON", &path);
    }
    flush();
    util::run(&mut test)
}

/// The WebDriver capabilities for wasm-bindgen's test runner: which Chromium to start, and the
/// flags that stop it from calling home (the runner adds `headless` and `no-sandbox` itself).
fn webdriver_capabilities(chromium: &Path) -> String {
    let options = serde_json::json!({
        "goog:chromeOptions": {
            "binary": chromium.to_string_lossy(),
            "args": [
                "disable-gpu",
                "disable-quic",
                "no-first-run",
                "disable-background-networking",
                "disable-component-update",
                "disable-sync",
            ],
        }
    });
    format!("{options:#}\n")
}

/// Builds and serves the site, then runs `tests/e2e/*.test.mjs` with node against it.
fn browser_tests(cx: &Context) -> Result {
    Session::start(&cx.root)?.run_tests()
}

/// The distinct lines of a `cargo tree --prefix none` listing that name a forbidden crate.
/// An empty listing is an error: the check itself broke.
fn forbidden_crates(tree: &str) -> Result<Vec<String>> {
    if tree.trim().is_empty() {
        return Err(failed("`cargo tree` printed nothing; the purity check is broken"));
    }
    let mut offenders: Vec<String> = tree
        .lines()
        .map(str::trim)
        .filter(|line| FORBIDDEN_IN_CORE.iter().any(|name| line.starts_with(name)))
        .map(|line| line.trim_end_matches(" (*)").to_string())
        .collect();
    offenders.sort();
    offenders.dedup();
    Ok(offenders)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pure_tree_passes() {
        let tree = "atlas-core v0.1.0 (/work/main/core)\nserde v1.0.228\nserde_json v1.0.145\n\
                    serde v1.0.228 (*)\n";
        assert_eq!(forbidden_crates(tree).ok(), Some(vec![]));
    }

    #[test]
    fn forbidden_crates_are_listed_once() {
        let tree = "atlas-core v0.1.0 (/work/main/core)\nwasm-bindgen v0.2.130\n\
                    wasm-bindgen-macro v0.2.130\njs-sys v0.3.107\nwasm-bindgen v0.2.130 (*)\n\
                    plotters-canvas v0.3.1\n";
        assert_eq!(
            forbidden_crates(tree).ok(),
            Some(vec![
                "js-sys v0.3.107".to_string(),
                "plotters-canvas v0.3.1".to_string(),
                "wasm-bindgen v0.2.130".to_string(),
                "wasm-bindgen-macro v0.2.130".to_string(),
            ])
        );
    }

    #[test]
    fn empty_tree_is_an_error() {
        assert!(forbidden_crates("").is_err());
        assert!(forbidden_crates("\n  \n").is_err());
    }

    #[test]
    fn webdriver_capabilities_name_the_browser() {
        let json = webdriver_capabilities(Path::new("/usr/bin/chromium"));
        let value: serde_json::Value = serde_json::from_str(&json).expect("json");
        let options = &value["goog:chromeOptions"];
        assert_eq!(options["binary"], "/usr/bin/chromium");
        let args = options["args"].as_array().expect("args");
        assert!(args.iter().any(|a| a == "disable-background-networking"));
    }

    #[test]
    fn browser_steps_come_last() {
        let names: Vec<_> = STEPS.iter().map(|s| s.name).collect();
        assert_eq!(
            names[names.len() - 2..],
            ["wasm-bindgen tests (headless Chromium)", "browser end-to-end tests"]
        );
    }

    #[test]
    fn step_names_are_unique() {
        let mut names: Vec<_> = STEPS.iter().map(|s| s.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), STEPS.len());
    }
}
