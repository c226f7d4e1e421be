//! Traceability: every requirement of features/requirements.toml has a scenario, every scenario
//! names the requirements it checks, and its level agrees with theirs.

use std::collections::BTreeSet;

use cucumber::gherkin::{Feature, GherkinEnv};
use vb365_conformance::contract::requirements::{self, Level};
use vb365_conformance::contract::version::{self, ApiVersion};

use crate::helpers::{feature_files, root};

/// (feature file, scenario name, every tag that applies to it: feature, scenario and Examples).
fn scenarios() -> Vec<(String, String, Vec<String>)> {
    let mut all = Vec::new();
    for path in feature_files() {
        let feature =
            Feature::parse_path(&path, GherkinEnv::default()).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let scenarios = feature.scenarios.iter().chain(feature.rules.iter().flat_map(|rule| rule.scenarios.iter()));
        for scenario in scenarios {
            let mut tags: Vec<String> = feature.tags.iter().chain(&scenario.tags).cloned().collect();
            tags.extend(scenario.examples.iter().flat_map(|examples| examples.tags.iter().cloned()));
            all.push((file.clone(), scenario.name.clone(), tags));
        }
    }
    all
}

fn looks_like_requirement_id(tag: &str) -> bool {
    tag.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && tag.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
}

#[test]
fn the_catalogue_parses_with_unique_ids() {
    let all = requirements::all();
    assert_eq!(all.len(), documented_ids().len(), "as many requirements as docs/requirements.md's table has rows");
    let ids: BTreeSet<&str> = all.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids.len(), all.len(), "duplicate requirement ids");
    for requirement in all {
        assert!(looks_like_requirement_id(&requirement.id), "{}: ids are UPPER-CASE-WITH-HYPHENS", requirement.id);
        assert!(!requirement.summary.is_empty() && !requirement.source.is_empty(), "{}", requirement.id);
    }
}

#[test]
fn every_requirement_has_a_scenario_in_every_version_it_applies_to() {
    let scenarios = scenarios();
    let mut uncovered = Vec::new();
    for version in ApiVersion::ALL {
        for requirement in requirements::all().iter().filter(|r| r.applies_to(version)) {
            let covered = scenarios
                .iter()
                .any(|(_, _, tags)| tags.contains(&requirement.id) && version::scenario_runs_in(tags, version));
            if !covered {
                uncovered.push(format!("{} in {version}", requirement.id));
            }
        }
    }
    assert!(uncovered.is_empty(), "requirements without a scenario: {uncovered:?}");
}

#[test]
fn no_scenario_runs_in_a_version_its_requirements_do_not_apply_to() {
    let mut problems = Vec::new();
    for (file, name, tags) in scenarios() {
        for version in ApiVersion::ALL.into_iter().filter(|v| version::scenario_runs_in(&tags, *v)) {
            for requirement in tags.iter().filter_map(|tag| requirements::find(tag)) {
                if !requirement.applies_to(version) {
                    problems.push(format!(
                        "{file}: '{name}' runs in {version} but {} does not apply there",
                        requirement.id
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_scenario_names_known_requirements_and_one_level_that_agrees_with_them() {
    let mut problems = Vec::new();
    for (file, name, tags) in scenarios() {
        let ids: Vec<&String> = tags.iter().filter(|tag| looks_like_requirement_id(tag)).collect();
        if ids.is_empty() {
            problems.push(format!("{file}: '{name}' names no requirement"));
        }
        let levels: BTreeSet<&str> =
            tags.iter().map(String::as_str).filter(|t| *t == "must" || *t == "should").collect();
        if levels.len() != 1 {
            problems.push(format!("{file}: '{name}' must have exactly one of @must, @should; has {levels:?}"));
        }
        for id in ids {
            match requirements::find(id) {
                None => problems.push(format!("{file}: '{name}' names unknown requirement {id}")),
                Some(requirement) => {
                    let level = requirement.level.tag();
                    if !levels.contains(level) {
                        problems.push(format!(
                            "{file}: '{name}' checks {id}, a {level} requirement, but is tagged {levels:?}"
                        ));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn levels_agree_with_the_sources_the_catalogue_names() {
    for requirement in requirements::all() {
        let from_page = requirement.source.starts_with("page:");
        assert_eq!(
            requirement.level == Level::Must,
            from_page,
            "{}: must ⇔ stated by the page ({})",
            requirement.id,
            requirement.source
        );
    }
}

/// The requirement ids of docs/requirements.md's table, in its order.
fn documented_ids() -> Vec<String> {
    let table = std::fs::read_to_string(root().join("docs/requirements.md")).expect("docs/requirements.md");
    table
        .lines()
        .filter_map(|line| line.strip_prefix("| ")?.split_once(" | "))
        .filter(|(id, rest)| {
            looks_like_requirement_id(id) && (rest.starts_with("must |") || rest.starts_with("should |"))
        })
        .map(|(id, _)| id.to_owned())
        .collect()
}

#[test]
fn the_docs_list_every_requirement_once_and_no_other() {
    let documented = documented_ids();
    let catalogue: Vec<String> = requirements::all().iter().map(|r| r.id.clone()).collect();
    let missing: Vec<&String> = catalogue.iter().filter(|id| !documented.contains(id)).collect();
    let unknown: Vec<&String> = documented.iter().filter(|id| !catalogue.contains(id)).collect();
    assert!(missing.is_empty() && unknown.is_empty(), "docs/requirements.md lacks {missing:?}, names {unknown:?}");
    assert_eq!(documented.len(), catalogue.len(), "a requirement listed twice: {documented:?}");
}
