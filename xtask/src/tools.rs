//! The outside tools the web tasks need, found or installed on first use, so a fresh machine
//! with only rustup, cargo, node and npm can run every task:
//!
//! - the wasm-bindgen CLI (`wasm-bindgen`, `wasm-bindgen-test-runner`), whose version must equal
//!   the `wasm-bindgen` crate's in `Cargo.lock`: `cargo install`ed into `target/tools/`;
//! - Chromium and ChromeDriver, from Debian (`apt-get`, as root);
//! - the npm packages of `tests/e2e/` (`playwright-core`), by `npm ci` from the committed lock file.
//!
//! Every install is announced on stdout before it starts.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

use crate::util::{self, Result, failed};

/// The wasm-bindgen version the web crate pins, used when `Cargo.lock` does not name one yet.
const WASM_BINDGEN_VERSION: &str = "0.2.130";

/// Where Debian's `chromium` package puts the browser.
const DEFAULT_CHROMIUM: &str = "/usr/bin/chromium";

/// Where Debian's `chromium-driver` package puts ChromeDriver.
const DEFAULT_CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// The installed wasm-bindgen CLI.
#[derive(Debug)]
pub struct WasmBindgen {
    /// `target/tools/bin/wasm-bindgen`.
    pub bindgen: PathBuf,
    /// `target/tools/bin/wasm-bindgen-test-runner`, the cargo runner for wasm tests.
    pub test_runner: PathBuf,
}

/// The browser and its WebDriver.
#[derive(Debug)]
pub struct Browser {
    /// The Chromium executable (`$CHROMIUM`, else `/usr/bin/chromium`).
    pub chromium: PathBuf,
    /// The ChromeDriver executable (`$CHROMEDRIVER`, else `/usr/bin/chromedriver`).
    pub chromedriver: PathBuf,
}

/// Returns the wasm-bindgen CLI of the version `Cargo.lock` asks for, installing it into
/// `target/tools/` with `cargo install` (about two minutes) if it is missing or another version.
pub fn wasm_bindgen(root: &Path) -> Result<WasmBindgen> {
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).unwrap_or_default();
    let wanted = locked_version(&lock, "wasm-bindgen")?.unwrap_or_else(|| WASM_BINDGEN_VERSION.into());
    let tools = util::target_dir(root).join("tools");
    let bin = tools.join("bin");
    let tool = WasmBindgen {
        bindgen: bin.join(exe("wasm-bindgen")),
        test_runner: bin.join(exe("wasm-bindgen-test-runner")),
    };
    let installed = installed_version(&tool.bindgen);
    if installed.as_deref() == Some(wanted.as_str()) && tool.test_runner.is_file() {
        return Ok(tool);
    }
    let why = match installed {
        Some(version) => format!("found {version}"),
        None => "not installed".into(),
    };
    println!(
        "    installing wasm-bindgen-cli {wanted} into {} ({why}; takes a few minutes)",
        tools.display()
    );
    // No `--locked`: the CLI's lock file names a dependency version crates.io no longer serves.
    let tools_arg = tools.to_string_lossy();
    let version_arg = format!("={wanted}");
    util::run(&mut util::cargo(
        root,
        &["install", "wasm-bindgen-cli", "--version", &version_arg, "--root", &tools_arg],
    ))?;
    match installed_version(&tool.bindgen) {
        Some(version) if version == wanted && tool.test_runner.is_file() => Ok(tool),
        other => Err(failed(format!(
            "after installing, {} reports version {other:?}, not {wanted}",
            tool.bindgen.display()
        ))),
    }
}

/// The version `<program> --version` prints, if the program runs.
fn installed_version(program: &Path) -> Option<String> {
    if !program.is_file() {
        return None;
    }
    let out = Command::new(program).arg("--version").output().ok()?;
    out.status.success().then(|| parse_version_output(&String::from_utf8_lossy(&out.stdout)))?
}

/// The version in a `--version` line such as `wasm-bindgen 0.2.130` (a trailing commit hash in
/// parentheses is ignored).
fn parse_version_output(text: &str) -> Option<String> {
    let mut words = text.lines().next()?.split_whitespace();
    let _name = words.next()?;
    let version = words.next()?;
    let looks_like_version =
        version.split('.').count() == 3 && version.split('.').all(|p| p.chars().all(|c| c.is_ascii_digit()));
    looks_like_version.then(|| version.to_string())
}

/// The version of package `name` in a `Cargo.lock`; `None` if it is not there, an error if more
/// than one version is locked (the CLI could match only one of them).
fn locked_version(lock: &str, name: &str) -> Result<Option<String>> {
    let name_line = format!("name = \"{name}\"");
    let mut versions: Vec<String> = lock
        .split("[[package]]")
        .filter(|block| block.lines().any(|line| line.trim() == name_line))
        .filter_map(|block| {
            block.lines().find_map(|line| {
                line.trim().strip_prefix("version = \"")?.strip_suffix('"').map(str::to_string)
            })
        })
        .collect();
    versions.sort();
    versions.dedup();
    match versions.len() {
        0 => Ok(None),
        1 => Ok(versions.pop()),
        _ => Err(failed(format!(
            "Cargo.lock holds several versions of {name} ({}); pin one so the CLI can match it",
            versions.join(", ")
        ))),
    }
}

/// `name` with the platform's executable suffix.
fn exe(name: &str) -> String {
    format!("{name}{}", std::env::consts::EXE_SUFFIX)
}

/// Returns Chromium and ChromeDriver. `$CHROMIUM` and `$CHROMEDRIVER` name them if set; otherwise
/// Debian's paths are used, and if either is missing, `apt-get install chromium chromium-driver`
/// is run (as root).
pub fn browser() -> Result<Browser> {
    let from_env = |var: &str, default: &str| {
        std::env::var_os(var).filter(|v| !v.is_empty()).map_or_else(|| PathBuf::from(default), PathBuf::from)
    };
    let browser = Browser {
        chromium: from_env("CHROMIUM", DEFAULT_CHROMIUM),
        chromedriver: from_env("CHROMEDRIVER", DEFAULT_CHROMEDRIVER),
    };
    let missing: Vec<&Path> = [&browser.chromium, &browser.chromedriver]
        .into_iter()
        .map(PathBuf::as_path)
        .filter(|p| !p.is_file())
        .collect();
    if missing.is_empty() {
        return Ok(browser);
    }
    let shown = missing.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(" and ");
    let debian_paths = browser.chromium == Path::new(DEFAULT_CHROMIUM)
        && browser.chromedriver == Path::new(DEFAULT_CHROMEDRIVER);
    if !debian_paths || !Path::new("/usr/bin/apt-get").is_file() {
        return Err(failed(format!(
            "{shown} not found; install Chromium and ChromeDriver, or set CHROMIUM and CHROMEDRIVER"
        )));
    }
    if !is_root() {
        return Err(failed(format!(
            "{shown} not found; run `apt-get update && apt-get install -y chromium chromium-driver` as root"
        )));
    }
    println!("    {shown} not found; installing Debian's chromium and chromium-driver");
    let apt = |args: &[&str]| {
        println!("    apt-get {}", args.join(" "));
        util::flush();
        let mut cmd = Command::new("apt-get");
        cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        util::run(&mut cmd)
    };
    apt(&["update"])?;
    apt(&["install", "-y", "chromium", "chromium-driver"])?;
    match missing.iter().find(|p| !p.is_file()) {
        None => Ok(browser),
        Some(p) => Err(failed(format!("{} is still missing after apt-get install", p.display()))),
    }
}

/// Whether this process runs as root (`id -u` prints 0).
fn is_root() -> bool {
    crate::perf::command_line(Command::new("id").arg("-u")).as_deref() == Some("0")
}

/// Runs `npm ci` in `dir` (the e2e tests' folder) when its `node_modules` is missing or older than
/// `package-lock.json`. The lock file must exist: it is committed, and made with `npm install`.
pub fn npm_packages(dir: &Path) -> Result {
    let lock = dir.join("package-lock.json");
    let lock_time = modified(&lock)
        .ok_or_else(|| failed(format!("{} is missing; run `npm install` there", lock.display())))?;
    // npm writes this hidden lock file at the end of every install.
    let installed_time = modified(&dir.join("node_modules").join(".package-lock.json"));
    if !needs_npm_ci(lock_time, installed_time) {
        return Ok(());
    }
    let why = if installed_time.is_some() { "older than package-lock.json" } else { "missing" };
    println!("    npm ci in {} (node_modules {why})", dir.display());
    util::flush();
    let mut npm = Command::new("npm");
    npm.args(["ci", "--no-audit", "--no-fund"]).current_dir(dir);
    util::run(&mut npm)
}

/// Whether `npm ci` must run: nothing installed yet, or the lock file changed since.
fn needs_npm_ci(lock: SystemTime, installed: Option<SystemTime>) -> bool {
    installed.is_none_or(|installed| installed < lock)
}

/// A file's modification time, if it exists.
pub fn modified(path: &Path) -> Option<SystemTime> {
    path.metadata().and_then(|m| m.modified()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn parses_version_lines() {
        assert_eq!(parse_version_output("wasm-bindgen 0.2.130\n").as_deref(), Some("0.2.130"));
        assert_eq!(
            parse_version_output("wasm-bindgen-test-runner 0.2.130 (a1b2c3d4e 2026-01-01)").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(parse_version_output("wasm-bindgen\n"), None);
        assert_eq!(parse_version_output("error: unknown flag --version"), None);
        assert_eq!(parse_version_output(""), None);
    }

    const LOCK: &str = r#"version = 4

[[package]]
name = "wasm-bindgen"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"
dependencies = [
 "wasm-bindgen-macro",
]

[[package]]
name = "wasm-bindgen-macro"
version = "0.2.131"
"#;

    #[test]
    fn reads_the_locked_version() {
        assert_eq!(locked_version(LOCK, "wasm-bindgen").ok(), Some(Some("0.2.130".to_string())));
        assert_eq!(locked_version(LOCK, "wasm-bindgen-macro").ok(), Some(Some("0.2.131".to_string())));
        assert_eq!(locked_version(LOCK, "wasm").ok(), Some(None));
        assert_eq!(locked_version("", "wasm-bindgen").ok(), Some(None));
        let two = format!("{LOCK}\n[[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.99\"\n");
        assert!(locked_version(&two, "wasm-bindgen").is_err());
    }

    #[test]
    fn npm_ci_runs_when_packages_are_missing_or_stale() {
        let lock = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000);
        assert!(needs_npm_ci(lock, None));
        assert!(needs_npm_ci(lock, Some(lock - Duration::from_secs(1))));
        assert!(!needs_npm_ci(lock, Some(lock)));
        assert!(!needs_npm_ci(lock, Some(lock + Duration::from_secs(1))));
    }

    #[test]
    fn missing_lock_file_is_an_error() {
        let dir = std::env::temp_dir().join(format!("xtask-npm-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("mkdir");
        let err = npm_packages(&dir).expect_err("no lock file");
        assert!(err.to_string().contains("package-lock.json"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
