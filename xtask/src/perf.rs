//! `docs/perf.md`, the file the benchmark tasks write: each task owns one section between an
//! HTML-comment start and end marker, and rewrites only that; the prose around it is kept.
//!
//! Also the line saying where a measurement was made (date, rustc, CPU), shared by the tasks.

use std::path::Path;
use std::process::Command;

use crate::util::{Result, failed};

/// The two markers around a generated section of `docs/perf.md`.
pub struct Section {
    /// Marker opening the section, e.g. `<!-- bench:core:start -->`.
    pub start: &'static str,
    /// Marker closing the section.
    pub end: &'static str,
    /// Text put before the markers when the section is new to the file (a heading and a short
    /// explanation, ending with a blank line), or empty.
    pub intro: &'static str,
}

/// Writes `body` into `section` of `<root>/docs/perf.md`, creating the file if needed.
pub fn write_section(root: &Path, section: &Section, body: &str) -> Result {
    let path = root.join("docs").join("perf.md");
    let existing = match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
        Err(err) => return Err(failed(format!("{}: {err}", path.display()))),
    };
    let updated = replace_section(existing.as_deref(), section, body)?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|err| failed(format!("{}: {err}", dir.display())))?;
    }
    std::fs::write(&path, updated).map_err(|err| failed(format!("{}: {err}", path.display())))
}

/// Puts `body` between the markers of `section` in `existing` (the current `docs/perf.md`, if
/// any), leaving everything outside the markers untouched. Without markers the section (after its
/// intro) is appended; without a file, a new one titled `# Performance` is made.
pub fn replace_section(existing: Option<&str>, section: &Section, body: &str) -> Result<String> {
    let Section { start: start_marker, end: end_marker, intro } = *section;
    let block = format!("{start_marker}\n{body}{end_marker}");
    let Some(doc) = existing else {
        return Ok(format!("# Performance\n\n{intro}{block}\n"));
    };
    match (doc.find(start_marker), doc.find(end_marker)) {
        (Some(start), Some(_)) => {
            let after_start = start + start_marker.len();
            let end = doc[after_start..]
                .find(end_marker)
                .map(|i| after_start + i)
                .ok_or_else(|| failed(format!("docs/perf.md: {end_marker} before {start_marker}")))?;
            Ok(format!("{}{block}{}", &doc[..start], &doc[end + end_marker.len()..]))
        }
        (None, None) => {
            let separator = match doc {
                "" => "",
                d if d.ends_with("\n\n") => "",
                d if d.ends_with('\n') => "\n",
                _ => "\n\n",
            };
            Ok(format!("{doc}{separator}{intro}{block}\n"))
        }
        (Some(_), None) => Err(failed(format!("docs/perf.md: {start_marker} without {end_marker}"))),
        (None, Some(_)) => Err(failed(format!("docs/perf.md: {end_marker} without {start_marker}"))),
    }
}

/// `Measured <date> with <rustc> on <cpu> (<n> CPUs), by `<task>`.` — `task` is the command
/// that wrote the figures, e.g. `cargo xtask bench`.
pub fn environment_line(root: &Path, task: &str) -> String {
    let date = command_line(Command::new("date").args(["-u", "+%Y-%m-%d %H:%M UTC"]))
        .unwrap_or_else(|| "an unknown date".into());
    let rustc = command_line(Command::new("rustc").arg("--version").current_dir(root))
        .unwrap_or_else(|| "an unknown rustc".into());
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| cpu_model(&info))
        .unwrap_or_else(|| "an unknown CPU".into());
    let cpus = command_line(&mut Command::new("nproc"))
        .or_else(|| std::thread::available_parallelism().ok().map(|n| n.to_string()))
        .unwrap_or_else(|| "?".into());
    format!("Measured {date} with {rustc} on {cpu} ({cpus} CPUs), by `{task}`.")
}

/// The first line of a command's output, if it ran and succeeded.
pub fn command_line(cmd: &mut Command) -> Option<String> {
    let out = cmd.output().ok().filter(|o| o.status.success())?;
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().next()?.trim();
    (!line.is_empty()).then(|| line.to_string())
}

/// The CPU model named in `/proc/cpuinfo` (`model name`, or `Hardware` on some ARM boards).
fn cpu_model(cpuinfo: &str) -> Option<String> {
    ["model name", "Hardware"].iter().find_map(|key| {
        cpuinfo.lines().find_map(|line| {
            let (name, value) = line.split_once(':')?;
            (name.trim() == *key && !value.trim().is_empty()).then(|| value.trim().to_string())
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const CORE: Section =
        Section { start: "<!-- bench:core:start -->", end: "<!-- bench:core:end -->", intro: "" };

    const WEB: Section = Section {
        start: "<!-- bench:web:start -->",
        end: "<!-- bench:web:end -->",
        intro: "## Web\n\nIntro.\n\n",
    };

    #[test]
    fn creates_the_file_when_missing() {
        let doc = replace_section(None, &CORE, "table\n").expect("ok");
        assert_eq!(doc, "# Performance\n\n<!-- bench:core:start -->\ntable\n<!-- bench:core:end -->\n");
        let doc = replace_section(None, &WEB, "t\n").expect("ok");
        assert_eq!(
            doc,
            "# Performance\n\n## Web\n\nIntro.\n\n<!-- bench:web:start -->\nt\n<!-- bench:web:end -->\n"
        );
    }

    #[test]
    fn rewrites_only_between_the_markers() {
        let doc = "# Performance\n\nIntro.\n\n<!-- bench:core:start -->\nold table\n\
                   <!-- bench:core:end -->\n\n## Web\n\nHand-written notes.\n";
        let updated = replace_section(Some(doc), &CORE, "new table\n").expect("ok");
        assert_eq!(
            updated,
            "# Performance\n\nIntro.\n\n<!-- bench:core:start -->\nnew table\n\
             <!-- bench:core:end -->\n\n## Web\n\nHand-written notes.\n"
        );
        // Rewriting is idempotent.
        assert_eq!(replace_section(Some(&updated), &CORE, "new table\n").ok(), Some(updated));
    }

    #[test]
    fn sections_are_independent() {
        let doc = replace_section(None, &CORE, "core\n").expect("ok");
        let both = replace_section(Some(&doc), &WEB, "web\n").expect("ok");
        assert_eq!(
            both,
            "# Performance\n\n<!-- bench:core:start -->\ncore\n<!-- bench:core:end -->\n\n## Web\n\n\
             Intro.\n\n<!-- bench:web:start -->\nweb\n<!-- bench:web:end -->\n"
        );
        let again = replace_section(Some(&both), &CORE, "core 2\n").expect("ok");
        assert!(again.contains("core 2\n") && again.contains("\nweb\n"));
        assert_eq!(again.matches("## Web").count(), 1);
    }

    #[test]
    fn appends_markers_to_a_file_without_them() {
        let updated = replace_section(Some("# Performance\n\nNotes."), &CORE, "t\n").expect("ok");
        assert_eq!(
            updated,
            "# Performance\n\nNotes.\n\n<!-- bench:core:start -->\nt\n<!-- bench:core:end -->\n"
        );
    }

    #[test]
    fn refuses_broken_markers() {
        assert!(replace_section(Some("<!-- bench:core:start -->\nx\n"), &CORE, "t\n").is_err());
        assert!(replace_section(Some("x\n<!-- bench:core:end -->\n"), &CORE, "t\n").is_err());
        let reversed = "<!-- bench:core:end -->\n<!-- bench:core:start -->\n";
        assert!(replace_section(Some(reversed), &CORE, "t\n").is_err());
    }

    #[test]
    fn finds_the_cpu_model() {
        let info = "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7B13\n";
        assert_eq!(cpu_model(info).as_deref(), Some("AMD EPYC 7B13"));
        assert_eq!(cpu_model("processor : 0\n"), None);
    }
}
