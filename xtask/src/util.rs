//! Shared plumbing for the tasks: the error type, where the workspace and its target directory
//! are, which `cargo` to call, and running child commands with their output visible.
//!
//! Nothing here knows about a particular task.

use std::ffi::OsString;
use std::fmt;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Why a task stopped.
#[derive(Debug)]
pub enum Error {
    /// The command line was wrong; `main` prints the usage and exits with 2.
    Usage(String),
    /// The task ran and failed; `main` prints the message and exits with 1.
    Failed(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Usage(msg) | Error::Failed(msg) => f.write_str(msg),
        }
    }
}

/// Result of a task or of one of its steps.
pub type Result<T = ()> = std::result::Result<T, Error>;

/// Builds an [`Error::Failed`] from anything printable, for `map_err`.
pub fn failed(msg: impl fmt::Display) -> Error {
    Error::Failed(msg.to_string())
}

/// The workspace root: the folder holding the top-level `Cargo.toml` (the parent of `xtask/`).
pub fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}

/// Cargo's target directory: `$CARGO_TARGET_DIR` if set (relative to the workspace root),
/// else `<workspace>/target`.
pub fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => root.join(dir),
        _ => root.join("target"),
    }
}

/// The cargo to call: `$CARGO` (set by `cargo run`, so the same toolchain is used) or `cargo`.
pub fn cargo_program() -> OsString {
    std::env::var_os("CARGO").filter(|c| !c.is_empty()).unwrap_or_else(|| OsString::from("cargo"))
}

/// A `cargo` command with the given arguments, run from the workspace root.
pub fn cargo(root: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(cargo_program());
    cmd.args(args).current_dir(root);
    cmd
}

/// Flushes our stdout so what we printed appears before the output of the child that follows.
pub fn flush() {
    let _ = io::stdout().flush();
}

/// The command line of `cmd`, for messages (`cargo fmt --all -- --check`).
pub fn display_command(cmd: &Command) -> String {
    let program =
        Path::new(cmd.get_program()).file_name().unwrap_or(cmd.get_program()).to_string_lossy().into_owned();
    std::iter::once(program)
        .chain(cmd.get_args().map(|a| a.to_string_lossy().into_owned()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Runs `cmd` with inherited stdin/stdout/stderr and fails unless it exits with status 0.
pub fn run(cmd: &mut Command) -> Result {
    let shown = display_command(cmd);
    let status = cmd.status().map_err(|err| failed(format!("could not start `{shown}`: {err}")))?;
    if status.success() { Ok(()) } else { Err(failed(format!("`{shown}` failed ({status})"))) }
}

/// Runs `cmd` and returns its standard output; stderr stays visible. Fails on a non-zero exit.
///
/// An [`io::ErrorKind::NotFound`] from starting the program is returned as `Ok(None)`, so callers
/// can treat a missing optional tool (rustup) as "skip".
pub fn output_if_present(cmd: &mut Command) -> Result<Option<String>> {
    let shown = display_command(cmd);
    let out = match cmd.stdin(Stdio::null()).stderr(Stdio::inherit()).output() {
        Ok(out) => out,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(failed(format!("could not start `{shown}`: {err}"))),
    };
    if !out.status.success() {
        return Err(failed(format!("`{shown}` failed ({})", out.status)));
    }
    Ok(Some(String::from_utf8_lossy(&out.stdout).into_owned()))
}

/// Like [`output_if_present`], but a missing program is an error too.
pub fn output(cmd: &mut Command) -> Result<String> {
    let shown = display_command(cmd);
    output_if_present(cmd)?.ok_or_else(|| failed(format!("`{shown}`: program not found")))
}
