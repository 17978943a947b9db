//! Running the node scripts of `tests/e2e/` (Playwright driving headless Chromium) against the
//! built site, served on a free port of 127.0.0.1 for as long as a [`Session`] lives.
//!
//! The scripts read their setting from the environment: `ATLAS_URL` (the served site, ending in
//! `/`), `CHROMIUM` (the browser executable), `SCREENSHOT_DIR` (where screenshots go),
//! `ATLAS_CLI` (the command line, for the parity tests), `ATLAS_DIST_URL` (the `dist/` site,
//! served from a sub-folder) and `ATLAS_ONE_FILE` (the one-file page, opened from disk).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::http::BackgroundServer;
use crate::site;
use crate::tools;
use crate::util::{self, Result, failed};

/// The served site and what node needs to test it.
pub struct Session {
    /// Serves `target/site/` until the session is dropped.
    server: BackgroundServer,
    /// The workspace root.
    root: PathBuf,
    /// The browser the scripts launch.
    chromium: PathBuf,
    /// `target/screenshots/`, created.
    screenshots: PathBuf,
}

/// The folder of the browser tests and benchmark scripts.
pub fn e2e_dir(root: &Path) -> PathBuf {
    root.join("tests").join("e2e")
}

impl Session {
    /// Makes sure Chromium and the npm packages are there, builds the site and starts serving it.
    pub fn start(root: &Path) -> Result<Self> {
        let browser = tools::browser()?;
        tools::npm_packages(&e2e_dir(root))?;
        let site = site::build(root)?;
        // The static site and the one-file page, tested too: `dist/` served from a sub-folder.
        crate::dist::package(root)?;
        site::copy_tree(&root.join("dist"), &site.join("dist"))?;
        let screenshots = util::target_dir(root).join("screenshots");
        std::fs::create_dir_all(&screenshots)
            .map_err(|err| failed(format!("could not create {}: {err}", screenshots.display())))?;
        let server = BackgroundServer::start(&site)
            .map_err(|err| failed(format!("could not serve {}: {err}", site.display())))?;
        println!("    serving {} at {}", site.display(), server.url());
        util::flush();
        Ok(Session { server, root: root.to_path_buf(), chromium: browser.chromium, screenshots })
    }

    /// The browser the scripts launch.
    pub fn chromium(&self) -> &Path {
        &self.chromium
    }

    /// A `node` command with `args`, run from the workspace root with the scripts' environment.
    pub fn node(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new("node");
        cmd.args(args)
            .current_dir(&self.root)
            .env("ATLAS_URL", self.server.url())
            .env("CHROMIUM", &self.chromium)
            .env("SCREENSHOT_DIR", &self.screenshots)
            .env("ATLAS_CLI", util::target_dir(&self.root).join("debug").join("atlas"))
            .env("ATLAS_DIST_URL", format!("{}dist/", self.server.url()))
            .env("ATLAS_ONE_FILE", self.root.join("dist").join("compute-atlas.html"));
        cmd
    }

    /// Runs every `tests/e2e/*.test.mjs` with node's test runner, one file at a time; fails if
    /// any test fails.
    pub fn run_tests(&self) -> Result {
        // The parity tests compare the page with the command line (`ATLAS_CLI`).
        util::run(&mut util::cargo(&self.root, &["build", "--quiet", "--package", "atlas-cli"]))?;
        let files = test_files(&e2e_dir(&self.root))?;
        if files.is_empty() {
            return Err(failed("tests/e2e/ has no *.test.mjs files"));
        }
        let mut args = vec!["--test".to_string(), "--test-concurrency=1".to_string()];
        args.extend(files.iter().map(|f| relative(f, &self.root)));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        util::run(&mut self.node(&args))
    }
}

/// The `*.test.mjs` files directly in `dir`, sorted. (They are listed here rather than leaving
/// the search to `node --test <dir>`, which node 20 and node 22 do differently.)
pub fn test_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(dir).map_err(|err| failed(format!("{}: {err}", dir.display())))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.is_file() && path.to_string_lossy().ends_with(".test.mjs"))
        .collect();
    files.sort();
    Ok(files)
}

/// `path` relative to `root` when it lies under it (shorter command lines), else as it is.
fn relative(path: &Path, root: &Path) -> String {
    path.strip_prefix(root).unwrap_or(path).to_string_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_test_files_sorted() {
        let dir = std::env::temp_dir().join(format!("xtask-e2e-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("node_modules/x.test.mjs")).expect("mkdir");
        for name in ["smoke.test.mjs", "a.test.mjs", "lib.mjs", "bench.mjs", "notes.test.mjs.txt"] {
            std::fs::write(dir.join(name), "").expect("write");
        }
        let names: Vec<String> = test_files(&dir)
            .expect("listing")
            .iter()
            .map(|p| p.file_name().expect("name").to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["a.test.mjs", "smoke.test.mjs"]);
        let _ = std::fs::remove_dir_all(&dir);
        assert!(test_files(&dir).is_err());
    }

    #[test]
    fn paths_are_shown_relative_to_the_workspace() {
        let root = Path::new("/work/main");
        assert_eq!(
            relative(Path::new("/work/main/tests/e2e/smoke.test.mjs"), root),
            "tests/e2e/smoke.test.mjs"
        );
        assert_eq!(relative(Path::new("/elsewhere/a.test.mjs"), root), "/elsewhere/a.test.mjs");
    }
}
