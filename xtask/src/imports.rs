//! The modules of a crate that use each other in a circle: each `src/*.rs` file's `crate::<module>`
//! and `super::<module>` paths (in code and in doc links, outside plain comments and its
//! `#[cfg(test)]` part) are its edges, and
//! every strongly connected component of more than one module is a circle. `cargo xtask test`
//! fails on any in the core or the page (see ARCHITECTURE.md, Invariants).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::util::{Result, failed};

/// The crates whose modules may not form circles.
pub const CRATES: [&str; 2] = ["core/src", "web/src"];

/// The module graph of the `.rs` files directly in `dir` (`lib.rs` and `main.rs` left out).
pub fn graph(dir: &Path) -> Result<BTreeMap<String, BTreeSet<String>>> {
    let entries = std::fs::read_dir(dir).map_err(|err| failed(format!("{}: {err}", dir.display())))?;
    let mut sources = BTreeMap::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let Some(name) = path.file_stem().and_then(|s| s.to_str()).map(str::to_string) else { continue };
        if path.extension().is_none_or(|e| e != "rs") || name == "lib" || name == "main" {
            continue;
        }
        let text =
            std::fs::read_to_string(&path).map_err(|err| failed(format!("{}: {err}", path.display())))?;
        sources.insert(name, text);
    }
    let modules: BTreeSet<String> = sources.keys().cloned().collect();
    let mut out = BTreeMap::new();
    for (name, text) in &sources {
        // Doc comments count (a doc link to a module is a use of it); plain comments do not.
        let code: String = text
            .split("#[cfg(test)]")
            .next()
            .unwrap_or("")
            .lines()
            .map(|l| {
                let doc = l.trim_start().starts_with("///") || l.trim_start().starts_with("//!");
                let l = if doc { l } else { l.split("//").next().unwrap_or("") };
                format!("{l}\n")
            })
            .collect();
        let mut uses = BTreeSet::new();
        for prefix in ["crate::", "super::"] {
            for part in code.split(prefix).skip(1) {
                let words: Vec<&str> = if let Some(group) = part.strip_prefix('{') {
                    group
                        .split('}')
                        .next()
                        .unwrap_or("")
                        .split(|c: char| !c.is_alphanumeric() && c != '_')
                        .collect()
                } else {
                    vec![part.split(|c: char| !c.is_alphanumeric() && c != '_').next().unwrap_or("")]
                };
                uses.extend(
                    words.into_iter().filter(|w| modules.contains(*w) && *w != name).map(str::to_string),
                );
            }
        }
        out.insert(name.clone(), uses);
    }
    Ok(out)
}

/// The circles of a module graph: its strongly connected components of two or more modules.
pub fn circles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    // Two modules are in one circle when each reaches the other.
    let reach = |from: &str| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.to_string()];
        while let Some(m) = todo.pop() {
            for next in graph.get(&m).into_iter().flatten() {
                if seen.insert(next.clone()) {
                    todo.push(next.clone());
                }
            }
        }
        seen
    };
    let reaches: BTreeMap<&String, BTreeSet<String>> = graph.keys().map(|m| (m, reach(m))).collect();
    let mut done = BTreeSet::new();
    let mut out = Vec::new();
    for m in graph.keys() {
        if done.contains(m) {
            continue;
        }
        let circle: Vec<String> = graph
            .keys()
            .filter(|n| *n == m || (reaches[m].contains(*n) && reaches[*n].contains(m)))
            .cloned()
            .collect();
        done.extend(circle.iter().cloned());
        if circle.len() > 1 {
            out.push(circle);
        }
    }
    out
}

/// Fails naming every circle in the core and the page.
pub fn check(root: &Path) -> Result {
    let mut found = Vec::new();
    for dir in CRATES {
        for circle in circles(&graph(&root.join(dir))?) {
            found.push(format!("{dir}: {}", circle.join(" ↔ ")));
        }
    }
    if found.is_empty() {
        Ok(())
    } else {
        Err(failed(format!("modules that use each other in a circle:\n  {}", found.join("\n  "))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edges(list: &[(&str, &[&str])]) -> BTreeMap<String, BTreeSet<String>> {
        list.iter().map(|(m, to)| (m.to_string(), to.iter().map(|t| t.to_string()).collect())).collect()
    }

    #[test]
    fn finds_a_circle_and_only_it() {
        let g = edges(&[("a", &["b"]), ("b", &["c"]), ("c", &["a", "d"]), ("d", &[])]);
        assert_eq!(circles(&g), vec![vec!["a".to_string(), "b".into(), "c".into()]]);
        assert!(circles(&edges(&[("a", &["b"]), ("b", &[])])).is_empty());
    }

    #[test]
    fn reads_uses_from_paths_and_groups_but_not_comments_or_tests() {
        let dir = std::env::temp_dir().join(format!("xtask-imports-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("a.rs"), "use crate::{b, c::X};\n// crate::d\n#[cfg(test)]\nuse crate::d;")
            .unwrap();
        std::fs::write(dir.join("b.rs"), "fn f() { crate::a::g() }").unwrap();
        std::fs::write(dir.join("c.rs"), "").unwrap();
        std::fs::write(dir.join("d.rs"), "").unwrap();
        std::fs::write(dir.join("e.rs"), "//! See [`crate::c`].\n").unwrap();
        let g = graph(&dir).unwrap();
        assert_eq!(g["a"], ["b".to_string(), "c".to_string()].into_iter().collect());
        assert_eq!(g["e"], ["c".to_string()].into_iter().collect(), "a doc link is a use");
        assert_eq!(circles(&g), vec![vec!["a".to_string(), "b".into()]]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_core_and_the_page_have_no_circles() {
        check(&crate::util::workspace_root()).unwrap();
    }
}
