//! The Python package in `cargo xtask test`: a virtual environment in `target/python-venv` with
//! exactly the versions of `python/requirements-test.txt` (installed again when that file
//! changes), the package built from `python/` by maturin (`pip install ./python`, in the
//! workspace's target folder), then its tests (`pytest python/tests`) against the command line.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::tools::modified;
use crate::util::{self, Result, failed};

/// The virtual environment's folder.
pub fn venv(root: &Path) -> PathBuf {
    util::target_dir(root).join("python-venv")
}

/// The environment's Python, set up with the pinned test requirements.
pub fn environment(root: &Path) -> Result<PathBuf> {
    let venv = venv(root);
    let python = venv.join("bin").join("python");
    if !python.exists() {
        println!("    python3 -m venv {}", venv.display());
        util::flush();
        util::run(Command::new("python3").args(["-m", "venv"]).arg(&venv)).map_err(|e| {
            failed(format!("{e}; the Python package needs python3 with venv (Debian: python3-venv)"))
        })?;
    }
    let requirements = root.join("python").join("requirements-test.txt");
    let stamp = venv.join(".requirements-installed");
    let stale = match (modified(&requirements), modified(&stamp)) {
        (Some(req), Some(done)) => done < req,
        _ => true,
    };
    if stale {
        util::run(Command::new(&python).args(["-m", "pip", "install", "--quiet", "--upgrade", "pip"]))?;
        util::run(Command::new(&python).args(["-m", "pip", "install", "--quiet", "-r"]).arg(&requirements))?;
        std::fs::write(&stamp, "").map_err(|e| failed(format!("{}: {e}", stamp.display())))?;
    }
    Ok(python)
}

/// `PATH` with the environment's programs first (maturin's build hook runs `maturin` by name).
fn path_with(bin: &Path) -> std::ffi::OsString {
    let mut paths = vec![bin.to_path_buf()];
    paths.extend(
        std::env::var_os("PATH").map(|p| std::env::split_paths(&p).collect::<Vec<_>>()).unwrap_or_default(),
    );
    std::env::join_paths(paths).unwrap_or_default()
}

/// Builds the package and installs it into the environment; returns the environment's Python.
pub fn install(root: &Path) -> Result<PathBuf> {
    let python = environment(root)?;
    let path = path_with(python.parent().unwrap_or(root));
    // The venv's maturin builds it (no build isolation: no download while building).
    let pip = ["-m", "pip", "install", "--quiet", "--no-build-isolation", "--force-reinstall", "--no-deps"];
    util::run(Command::new(&python).args(pip).arg(root.join("python")).current_dir(root).env("PATH", &path))?;
    Ok(python)
}

/// Builds and installs the package, then runs its tests (the command line built first: they
/// compare with it).
pub fn test(root: &Path) -> Result {
    let python = install(root)?;
    let path = path_with(python.parent().unwrap_or(root));
    util::run(&mut util::cargo(root, &["build", "--quiet", "--package", "atlas-cli"]))?;
    let pytest = python.with_file_name("pytest");
    util::run(
        Command::new(pytest)
            .args(["-q", "-p", "no:cacheprovider"])
            .arg(root.join("python").join("tests"))
            // Not from python/: there the package's sources, without the built module, would shadow
            // the installed package.
            .current_dir(root)
            .env("ATLAS_CLI", util::target_dir(root).join("debug").join("atlas"))
            .env("PYTHON", &python)
            .env("MPLBACKEND", "Agg")
            .env("PATH", &path),
    )
}
