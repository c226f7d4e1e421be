//! The suite's settings are one table (`SETTINGS`, src/suite/settings/names.rs), which decides
//! which `VB365_` variables a run accepts: every `VB365_` name the sources read, print or write
//! is in it and every name in it is in the sources; `--help` and docs/settings.md explain each;
//! and vb365-double's settings file writes only names of it.

use std::collections::BTreeSet;
use std::process::Command;

use vb365_conformance::suite::settings::SETTINGS;

use crate::double_bin::Running;
use crate::helpers::root;

fn names_in(text: &str) -> BTreeSet<String> {
    let name = regex::Regex::new(r"VB365_[A-Z0-9_]*[A-Z0-9]").expect("regex");
    name.find_iter(text).map(|found| found.as_str().to_owned()).collect()
}

/// Every .rs file under `dir`, but the table's own.
fn sources(dir: &std::path::Path, text: &mut String) {
    for entry in std::fs::read_dir(dir).expect("src").map(|entry| entry.expect("entry").path()) {
        if entry.is_dir() {
            sources(&entry, text);
        } else if entry.extension().is_some_and(|ext| ext == "rs") && !entry.ends_with("settings/names.rs") {
            text.push_str(&std::fs::read_to_string(&entry).expect("source"));
        }
    }
}

#[test]
fn the_table_holds_every_vb365_name_of_the_sources_and_no_other() {
    let mut text = String::new();
    sources(&root().join("src"), &mut text);
    let table: BTreeSet<String> = SETTINGS.iter().map(|name| (*name).to_owned()).collect();
    let used = names_in(&text);
    assert_eq!(used.difference(&table).collect::<Vec<_>>(), Vec::<&String>::new(), "read but not in SETTINGS");
    assert_eq!(table.difference(&used).collect::<Vec<_>>(), Vec::<&String>::new(), "in SETTINGS but never read");
}

#[test]
fn help_and_the_settings_page_explain_every_setting() {
    let output = Command::new(env!("CARGO_BIN_EXE_vb365-conformance")).arg("--help").output().expect("--help");
    let help = String::from_utf8_lossy(&output.stdout);
    let page = std::fs::read_to_string(root().join("docs/settings.md")).expect("docs/settings.md");
    for setting in SETTINGS {
        assert!(help.contains(setting), "--help does not explain {setting}");
        assert!(page.contains(&format!("`{setting}")), "docs/settings.md does not list {setting}");
    }
}

/// The flags are the settings read as one (`flag("VB365_...")`): the settings page says which.
#[test]
fn the_settings_page_names_every_flag() {
    let source = std::fs::read_to_string(root().join("src/suite/settings/mod.rs")).expect("source");
    let flags: BTreeSet<String> =
        source.split("flag(\"").skip(1).filter_map(|rest| rest.split('"').next()).map(str::to_owned).collect();
    assert!(flags.contains("VB365_STRICT"), "{flags:?}");
    let page = std::fs::read_to_string(root().join("docs/settings.md")).expect("docs/settings.md");
    let sentence = page.split("Flags (").nth(1).and_then(|rest| rest.split(')').next()).expect("the flags sentence");
    assert_eq!(names_in(sentence), flags, "docs/settings.md: Flags ({sentence})");
}

#[test]
fn the_standalone_doubles_settings_file_writes_only_settings_of_the_suite() {
    let folder = crate::tempfile::tempdir().expect("temp dir");
    let file = folder.path().join("double.env");
    let mut command = Command::new(env!("CARGO_BIN_EXE_vb365-double"));
    command.args(["--listen", "127.0.0.1:0", "--settings-file"]).arg(&file);
    let double = Running::spawn(command);
    let text = std::fs::read_to_string(&file).expect("the settings file");
    let written: Vec<&str> =
        text.lines().filter_map(|line| line.strip_prefix("export ")?.split_once('=').map(|(name, _)| name)).collect();
    assert!(written.len() > 10, "{text}");
    for name in written {
        assert!(SETTINGS.contains(&name), "the settings file writes {name}, which the suite refuses");
    }
    let (code, rest) = double.stop("-TERM");
    assert_eq!(code, Some(0), "{rest}");
}
