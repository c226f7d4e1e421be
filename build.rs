//! Build-time facts the installed binary cannot look up at run time, when no checkout is at hand:
//! the suite's git revision (`SUITE_GIT_REVISION`: "unknown" without git or outside a checkout,
//! "+modified" when tracked files differ from it) and the list of feature files to build in
//! (`$OUT_DIR/features.rs`).

use std::path::Path;
use std::process::Command;

fn main() {
    let root = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&root);
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");

    // The feature files, sorted, each built in with include_str! (cargo then rebuilds on a change).
    let mut features: Vec<String> = std::fs::read_dir(root.join("features"))
        .expect("features/")
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".feature"))
        .collect();
    features.sort();
    let entries: String = features
        .iter()
        .map(|name| format!("    ({name:?}, include_str!({:?})),\n", root.join("features").join(name)))
        .collect();
    let code = format!(
        "/// The suite's feature files: (file name, text).\npub const FEATURES: &[(&str, &str)] = &[\n{entries}];\n"
    );
    std::fs::write(Path::new(&out).join("features.rs"), code).expect("write features.rs");
    println!("cargo:rerun-if-changed=features");

    // Not a VB365_ name: `cargo run` passes it to the run too, which refuses a VB365_ variable
    // that is not one of its settings.
    println!("cargo:rustc-env=SUITE_GIT_REVISION={}", git_revision(root));
    // A new commit, a checkout, a staged change, or an edited source file can change the revision.
    for path in ["src", "schemas", "Cargo.toml", "build.rs"] {
        println!("cargo:rerun-if-changed={path}");
    }
    if let Some(git_dir) = git(root, &["rev-parse", "--git-dir"]) {
        let git_dir = root.join(git_dir);
        let mut watched = vec![git_dir.join("HEAD"), git_dir.join("index")];
        if let Some(reference) = git(root, &["symbolic-ref", "-q", "HEAD"]) {
            let common =
                git(root, &["rev-parse", "--git-common-dir"]).map_or_else(|| git_dir.clone(), |d| root.join(d));
            watched.push(common.join(&reference));
            watched.push(common.join("packed-refs"));
        }
        // A file that does not exist would make cargo run this script on every build.
        for path in watched.iter().filter(|path| path.exists()) {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
}

/// `git rev-parse --short=12 HEAD`, "+modified" when the tracked files differ; "unknown" when git
/// or the checkout's history is not there (a source archive).
fn git_revision(root: &Path) -> String {
    match git(root, &["rev-parse", "--short=12", "HEAD"]) {
        Some(revision)
            if git(root, &["status", "--porcelain", "--untracked-files=no"]).is_some_and(|s| !s.is_empty()) =>
        {
            format!("{revision}+modified")
        }
        Some(revision) => revision,
        None => "unknown".to_owned(),
    }
}

fn git(root: &Path, args: &[&str]) -> Option<String> {
    Command::new("git")
        .arg("-C")
        .arg(root)
        // `git status` would otherwise refresh the index of a fresh clone, and the index's new
        // time would make cargo run this script, and rebuild the suite, on the next command.
        .arg("--no-optional-locks")
        .args(args)
        .output()
        .ok()
        .filter(|output| output.status.success())
        .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_owned())
        .filter(|text| !text.is_empty())
}
