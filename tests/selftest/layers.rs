//! The library's layers, each importing only those below: base (secrets); contract (versions,
//! requirements, schemas, credentials, counts, the HTTP round-trip record, failures: no I/O);
//! adapters that never import one another (the judge, the client, the double, the reports); the
//! suite (settings, setup, the run's token, plan, bodies, the restore procedure). The binaries sit on top. This
//! test reads every `crate::` path of src/ and fails on an import the rules forbid, on an import
//! cycle between modules, and on a source file over 400 lines.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::helpers::root;

/// Layer and module of each top-level module of the library.
fn layer(module: &str) -> Option<(u8, &'static str)> {
    Some(match module {
        "secrets" => (0, "base"),
        "version" | "requirements" | "schema" | "credentials" | "counts" | "round_trip" | "failure" => (1, "contract"),
        "checks" | "client" | "double" | "report" => (2, "adapter"),
        "settings" | "setup" | "token" | "plan" | "bodies" | "restore" => (3, "suite"),
        "runner" => (4, "runner"),
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
    files
}

/// The top-level module a file of src/ belongs to (`src/checks/counts.rs` → `checks`).
fn module_of(file: &Path) -> Option<String> {
    let relative = file.strip_prefix(root().join("src")).ok()?;
    let first = relative.components().next()?.as_os_str().to_string_lossy().into_owned();
    let name = first.trim_end_matches(".rs").to_owned();
    (name != "lib" && name != "main" && name != "bin").then_some(name)
}

/// The modules a file names through `crate::` (in `use crate::{a, b::c}` too).
fn imports(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for (index, _) in text.match_indices("crate::") {
        let rest = &text[index + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            for item in group.split(',') {
                let name: String = item.trim().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                if !name.is_empty() {
                    found.insert(name);
                }
            }
        } else {
            let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            found.insert(name);
        }
    }
    found
}

#[test]
fn each_layer_imports_only_those_below_and_no_file_is_over_400_lines() {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut forbidden = Vec::new();
    for file in rust_files(&root().join("src")) {
        let text = std::fs::read_to_string(&file).expect("source");
        let Some(module) = module_of(&file) else { continue };
        let (level, name) = layer(&module).unwrap_or_else(|| panic!("{} is in no layer: add it to layers.rs", module));
        for import in imports(&text).into_iter().filter(|import| *import != module) {
            let Some((their_level, their_name)) = layer(&import) else { continue };
            let allowed = their_level < level || (their_level == level && name != "adapter");
            if !allowed {
                forbidden.push(format!("{} ({name}) imports crate::{import} ({their_name})", file.display()));
            }
            graph.entry(module.clone()).or_default().insert(import);
        }
    }
    assert!(forbidden.is_empty(), "imports the layers forbid:\n{}", forbidden.join("\n"));

    // No cycle between modules: a depth-first search that never meets a module on its own path.
    fn visit(
        module: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        cycles: &mut Vec<String>,
    ) {
        if let Some(start) = path.iter().position(|m| m == module) {
            cycles.push(format!("{} -> {module}", path[start..].join(" -> ")));
            return;
        }
        path.push(module.to_owned());
        for next in graph.get(module).into_iter().flatten() {
            visit(next, graph, path, cycles);
        }
        path.pop();
    }
    let mut cycles = Vec::new();
    for module in graph.keys() {
        visit(module, &graph, &mut Vec::new(), &mut cycles);
    }
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));

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

#[test]
fn the_import_reader_sees_grouped_and_inline_paths() {
    let found = imports("use crate::{checks::Failure, counts};\nlet x = crate::double::Double::builder();");
    assert_eq!(found, ["checks", "counts", "double"].into_iter().map(str::to_owned).collect());
}
