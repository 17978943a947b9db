//! Building the static site into `target/site/`, the folder every task serves.
//!
//! Build the web crate (`web/`, package `atlas-web`) for `wasm32-unknown-unknown` with the `web`
//! profile (release, optimised for size), generate the JavaScript bindings with the wasm-bindgen CLI into `www/pkg/`
//! (`atlas_web.js`, `atlas_web_bg.wasm`; build output, ignored by git), then copy `index.html`
//! and `www/` into a fresh `target/site/`.

use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::tools;
use crate::util::{self, Result, failed};

/// The WebAssembly target of the web crate.
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// The web crate's package name.
pub const WEB_PACKAGE: &str = "atlas-web";

/// The cargo profile of the page's module (`Cargo.toml`: release, optimised for size).
const WEB_PROFILE: &str = "web";

/// The web crate's library name: the stem of the `.wasm` file and of the generated bindings.
const WEB_LIB: &str = "atlas_web";

/// The generated wasm module the page loads: `<root>/www/pkg/atlas_web_bg.wasm`.
pub fn wasm_module(root: &Path) -> PathBuf {
    root.join("www").join("pkg").join(format!("{WEB_LIB}_bg.wasm"))
}

/// Builds the site into `target/site/` (see the module docs) and returns that folder.
pub fn build(root: &Path) -> Result<PathBuf> {
    let site = util::target_dir(root).join("site");
    let bindgen = tools::wasm_bindgen(root)?;
    util::flush();
    util::run(&mut util::cargo(
        root,
        &["build", "-p", WEB_PACKAGE, "--profile", WEB_PROFILE, "--target", WASM_TARGET],
    ))?;
    let wasm = util::target_dir(root).join(WASM_TARGET).join(WEB_PROFILE).join(format!("{WEB_LIB}.wasm"));
    let pkg = root.join("www").join("pkg");
    // Start from an empty pkg/ so no file of an older build (a removed snippet) lingers.
    clear_dir(&pkg)?;
    let mut cmd = Command::new(&bindgen.bindgen);
    // No name section: function names are for debuggers, and were a fifth of the module.
    cmd.args(["--target", "web", "--no-typescript", "--remove-name-section", "--out-dir"])
        .arg(&pkg)
        .arg(&wasm)
        .current_dir(root);
    util::run(&mut cmd)?;
    for generated in [pkg.join(format!("{WEB_LIB}.js")), wasm_module(root)] {
        if !generated.is_file() {
            return Err(failed(format!("wasm-bindgen did not write {}", generated.display())));
        }
    }
    let files = assemble(root, &site)?;
    println!("    site assembled in {} ({files} files)", site.display());
    Ok(site)
}

/// Makes `dest` a fresh copy of the page: `<workspace>/index.html` and `<workspace>/www/**`.
/// Hidden files (names starting with `.`) are left out. Returns how many files were copied.
pub fn assemble(workspace: &Path, dest: &Path) -> Result<usize> {
    let index = workspace.join("index.html");
    if !index.is_file() {
        return Err(failed(format!("{} is missing: the web crate needs its page", index.display())));
    }
    clear_dir(dest)?;
    copy_file(&index, &dest.join("index.html"))?;
    let www = workspace.join("www");
    let copied = if www.is_dir() { copy_tree(&www, &dest.join("www"))? } else { 0 };
    Ok(1 + copied)
}

/// Removes `dir` with everything in it (if it exists) and creates it empty.
fn clear_dir(dir: &Path) -> Result {
    match std::fs::remove_dir_all(dir) {
        Ok(()) => {}
        Err(err) if err.kind() == io::ErrorKind::NotFound => {}
        Err(err) => return Err(failed(format!("could not remove {}: {err}", dir.display()))),
    }
    std::fs::create_dir_all(dir).map_err(|err| failed(format!("could not create {}: {err}", dir.display())))
}

/// Copies the files under `from` into `to` (created), recursively, skipping hidden names.
/// Symbolic links are followed to files; links to folders are skipped (they could loop).
pub fn copy_tree(from: &Path, to: &Path) -> Result<usize> {
    std::fs::create_dir_all(to).map_err(|err| failed(format!("could not create {}: {err}", to.display())))?;
    let entries = std::fs::read_dir(from).map_err(|err| failed(format!("{}: {err}", from.display())))?;
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    let mut copied = 0;
    for path in paths {
        let Some(name) = path.file_name() else { continue };
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let kind = path.symlink_metadata().map_err(|err| failed(format!("{}: {err}", path.display())))?;
        if kind.is_dir() {
            copied += copy_tree(&path, &to.join(name))?;
        } else if path.is_file() {
            copy_file(&path, &to.join(name))?;
            copied += 1;
        }
    }
    Ok(copied)
}

fn copy_file(from: &Path, to: &Path) -> Result {
    std::fs::copy(from, to)
        .map(drop)
        .map_err(|err| failed(format!("could not copy {} to {}: {err}", from.display(), to.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh temporary folder for one test.
    fn temp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-site-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("mkdir");
        dir
    }

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }

    #[test]
    fn assembles_index_and_www() {
        let workspace = temp("workspace");
        write(&workspace.join("index.html"), "<script src=\"www/main.js\"></script>");
        write(&workspace.join("www/main.js"), "main");
        write(&workspace.join("www/style.css"), "css");
        write(&workspace.join("www/pkg/atlas_web.js"), "glue");
        write(&workspace.join("www/pkg/atlas_web_bg.wasm"), "\0asm");
        write(&workspace.join("www/pkg/.gitignore"), "*");
        write(&workspace.join("www/icons/a/b.svg"), "<svg/>");
        write(&workspace.join("Cargo.toml"), "not part of the site");
        let dest = workspace.join("target/site");
        write(&dest.join("stale.html"), "from an older build");

        assert_eq!(assemble(&workspace, &dest).ok(), Some(6));
        let read = |p: &str| std::fs::read_to_string(dest.join(p)).ok();
        assert_eq!(read("index.html").as_deref(), Some("<script src=\"www/main.js\"></script>"));
        assert_eq!(read("www/main.js").as_deref(), Some("main"));
        assert_eq!(read("www/pkg/atlas_web_bg.wasm").as_deref(), Some("\0asm"));
        assert_eq!(read("www/icons/a/b.svg").as_deref(), Some("<svg/>"));
        assert!(!dest.join("stale.html").exists(), "old files are removed");
        assert!(!dest.join("www/pkg/.gitignore").exists(), "hidden files are left out");
        assert!(!dest.join("Cargo.toml").exists());
        // Assembling again gives the same site.
        assert_eq!(assemble(&workspace, &dest).ok(), Some(6));
        let _ = std::fs::remove_dir_all(&workspace);
    }

    #[test]
    fn a_page_without_www_is_just_its_index() {
        let workspace = temp("bare");
        write(&workspace.join("index.html"), "hi");
        let dest = workspace.join("out");
        assert_eq!(assemble(&workspace, &dest).ok(), Some(1));
        let _ = std::fs::remove_dir_all(&workspace);
    }

    #[test]
    fn a_missing_index_is_an_error() {
        let workspace = temp("no-index");
        write(&workspace.join("www/main.js"), "main");
        let err = assemble(&workspace, &workspace.join("out")).expect_err("no index");
        assert!(err.to_string().contains("index.html"));
        let _ = std::fs::remove_dir_all(&workspace);
    }

    #[test]
    fn knows_where_the_wasm_module_is() {
        let workspace = temp("web");
        assert!(wasm_module(&workspace).ends_with("www/pkg/atlas_web_bg.wasm"));
        let _ = std::fs::remove_dir_all(&workspace);
    }
}
