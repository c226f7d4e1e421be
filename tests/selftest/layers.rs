//! The library's layers, each a folder of src/ importing only those below: the runner
//! (src/runner/: the cucumber World, steps, ledger, parser, console) → the suite (src/suite/:
//! settings, setup, the run's token, plan, bodies, the restore procedure) → the adapters, each a
//! room of its own that never imports another (src/checks/: the judge, src/client/, src/double/,
//! src/report/) → the contract (src/contract/: versions, requirements, schemas, credentials,
//! counts, the HTTP round-trip record, failures: no I/O) → the base (src/secrets.rs). The binaries
//! (src/bin/) call only the runner or the double.
//!
//! This test reads every `crate::` path of src/ (`vb365_conformance::` in src/bin/) and fails on
//! an import the rules forbid, on a path that names no layer (the library's re-exports are for
//! the selftests: the library names real paths), on an import cycle between the files of one
//! folder, and on a source file over 400 lines.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::helpers::root;

/// The layer (its level) and room of a top-level folder or file of src/; adapters share a level
/// and each has its own room.
fn layer(top: &str) -> Option<(u8, &'static str)> {
    Some(match top {
        "secrets" | "signals" => (0, "base"),
        "contract" => (1, "contract"),
        "checks" => (2, "checks"),
        "client" => (2, "client"),
        "double" => (2, "double"),
        "report" => (2, "report"),
        "suite" => (3, "suite"),
        "runner" => (4, "runner"),
        "bin" => (5, "bin"),
        _ => return None,
    })
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// A file's path under src/, by components without `.rs` (`src/report/html.rs` → report, html).
fn components(file: &Path) -> Vec<String> {
    let relative = file.strip_prefix(root().join("src")).expect("under src/");
    relative.components().map(|c| c.as_os_str().to_string_lossy().trim_end_matches(".rs").to_owned()).collect()
}

/// The code of a source file: comment lines left out (doc links are not imports).
fn code(text: &str) -> String {
    text.lines().filter(|line| !line.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n")
}

/// The paths a text names after `prefix` (`crate::`), a group spelled out: `use crate::{a, b::c}`
/// gives `a` and `b::c`; `crate::report::{x, y}` gives `report::x` and `report::y`.
fn paths(text: &str, prefix: &str) -> BTreeSet<String> {
    let word =
        |s: &str| -> String { s.chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':').collect() };
    let mut found = BTreeSet::new();
    for (index, _) in text.match_indices(prefix) {
        if text[..index].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
            continue;
        }
        let rest = &text[index + prefix.len()..];
        let head = word(rest);
        match rest[head.len()..].strip_prefix('{') {
            Some(group) => {
                let group = &group[..group.find('}').unwrap_or(group.len())];
                for item in group.split(',').map(|item| word(item.trim())).filter(|item| !item.is_empty()) {
                    found.insert(format!("{head}{item}"));
                }
            }
            None if !head.is_empty() => {
                found.insert(head.trim_end_matches(':').to_owned());
            }
            None => {}
        }
    }
    found
}

/// The modules a file names through `crate::` (in `use crate::{a, b::c}` too): their first segment.
fn imports(text: &str) -> BTreeSet<String> {
    paths(text, "crate::").into_iter().map(|path| path.split("::").next().unwrap_or_default().to_owned()).collect()
}

#[test]
fn each_layer_imports_only_those_below_and_no_file_is_over_400_lines() {
    let mut forbidden = Vec::new();
    for file in rust_files(&root().join("src")) {
        let parts = components(&file);
        if parts == ["lib"] {
            continue; // the root declares the layers and re-exports former paths
        }
        let text = code(&std::fs::read_to_string(&file).expect("source"));
        let (level, room) =
            layer(&parts[0]).unwrap_or_else(|| panic!("{} is in no layer: add it to layers.rs", parts[0]));
        let prefix = if room == "bin" { "vb365_conformance::" } else { "crate::" };
        for import in paths(&text, prefix).iter().map(|path| path.split("::").next().unwrap_or_default()) {
            let allowed = match layer(import) {
                None => {
                    forbidden.push(format!("{} ({room}) names {prefix}{import}, in no layer", file.display()));
                    continue;
                }
                Some((_, "bin")) => false,
                Some((_, _)) if room == "bin" => matches!(import, "runner" | "double"),
                Some((their_level, their_room)) => their_room == room || their_level < level,
            };
            if !allowed {
                let their_room = layer(import).map_or("?", |(_, r)| r);
                forbidden.push(format!("{} ({room}) imports {prefix}{import} ({their_room})", file.display()));
            }
        }
    }
    assert!(forbidden.is_empty(), "imports the layers forbid:\n{}", forbidden.join("\n"));

    let long: Vec<String> = rust_files(&root().join("src"))
        .into_iter()
        .chain(rust_files(&root().join("tests")))
        .filter_map(|file| {
            let lines = std::fs::read_to_string(&file).expect("source").lines().count();
            (lines > 400).then(|| format!("{} ({lines} lines)", file.display()))
        })
        .collect();
    assert!(long.is_empty(), "files over 400 lines:\n{}", long.join("\n"));
}

/// The import graph between the files of each folder of src/: a file names a sibling through
/// `super::sibling` or `crate::folder::sibling`; a subfolder counts as one sibling. The folder's
/// mod.rs is left out: it declares the siblings and is what they all name through `super::`.
fn sibling_graphs() -> BTreeMap<String, BTreeMap<String, BTreeSet<String>>> {
    let mut graphs: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for file in rust_files(&root().join("src")) {
        let parts = components(&file);
        let text = std::fs::read_to_string(&file).expect("source");
        // A test module's `super::` is the file itself.
        let (main, tests) = text.split_once("#[cfg(test)]").unwrap_or((&text, ""));
        let (main, tests) = (code(main), code(tests));
        // Every folder above the file: the file belongs to it as `parts[depth]`.
        for depth in 1..parts.len() {
            let folder = parts[..depth].join("::");
            let node = &parts[depth];
            if node == "mod" || parts[0] == "bin" {
                continue;
            }
            let mut named: BTreeSet<String> = paths(&main, "crate::")
                .into_iter()
                .chain(paths(&tests, "crate::"))
                .filter_map(|path| path.strip_prefix(&format!("{folder}::")).map(str::to_owned))
                .collect();
            if depth == parts.len() - 1 {
                named.extend(paths(&main, "super::"));
            }
            let siblings = named.iter().filter_map(|path| path.split("::").next()).filter(|s| *s != node);
            let edges = graphs.entry(folder).or_default().entry(node.clone()).or_default();
            edges.extend(siblings.map(str::to_owned));
        }
    }
    // Only siblings that are files or folders of that folder.
    for graph in graphs.values_mut() {
        let nodes: BTreeSet<String> = graph.keys().cloned().collect();
        for edges in graph.values_mut() {
            edges.retain(|edge| nodes.contains(edge));
        }
    }
    graphs
}

#[test]
fn no_two_files_of_a_folder_import_each_other_round_a_cycle() {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        cycles: &mut BTreeSet<String>,
    ) {
        if let Some(start) = path.iter().position(|m| m == node) {
            let mut cycle = path[start..].to_vec();
            let first = cycle.iter().enumerate().min_by_key(|(_, name)| *name).map_or(0, |(i, _)| i);
            cycle.rotate_left(first);
            cycles.insert(format!("{} -> {}", cycle.join(" -> "), cycle[0]));
            return;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            visit(next, graph, path, cycles);
        }
        path.pop();
    }
    let mut cycles = BTreeSet::new();
    for (folder, graph) in sibling_graphs() {
        let mut found = BTreeSet::new();
        for node in graph.keys() {
            visit(node, &graph, &mut Vec::new(), &mut found);
        }
        cycles.extend(found.into_iter().map(|cycle| format!("src/{}: {cycle}", folder.replace("::", "/"))));
    }
    assert!(
        cycles.is_empty(),
        "import cycles between the files of a folder:\n{}",
        cycles.into_iter().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn the_import_reader_sees_grouped_and_inline_paths() {
    let found = imports("use crate::{checks::Failure, counts};\nlet x = crate::double::Double::builder();");
    assert_eq!(found, ["checks", "counts", "double"].into_iter().map(str::to_owned).collect());
    let found = paths("use super::{api, restore::Made};\nuse super::faults::Fault;", "super::");
    assert_eq!(found, ["api", "faults::Fault", "restore::Made"].into_iter().map(str::to_owned).collect());
}

#[test]
fn the_cycle_finder_sees_the_files_of_the_double() {
    let graphs = sibling_graphs();
    let double = &graphs["double"];
    assert!(double["api"].contains("restore"), "{double:?}");
    assert!(graphs["runner"].contains_key("steps"), "{:?}", graphs["runner"]);
}
