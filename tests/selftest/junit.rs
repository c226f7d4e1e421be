//! JUnit XML and Cucumber JSON as CI servers read them: valid against the Jenkins schema (and
//! Cucumber JSON against the rules report tools rely on), a
//! classname and a readable name on every testcase, the reason on every skipped one, failures
//! that start with the requirement, and warnings (failed should requirements) that fail the
//! JUnit consumer only in strict runs, as they fail the exit status only then.

use serde_json::Value;

use crate::helpers::{SuiteRun, root, run_suite};
use crate::live::HttpsDouble;

/// Validates junit.xml against tests/fixtures/junit-10.xsd (in process: crate::xsd).
pub fn assert_valid_junit(run: &SuiteRun) -> String {
    let junit = run.report("junit.xml");
    let schema = std::fs::read_to_string(root().join("tests/fixtures/junit-10.xsd")).expect("junit-10.xsd");
    let errors = crate::xsd::Schema::parse(&schema).errors(&junit);
    assert!(errors.is_empty(), "junit.xml is not valid: {errors:?}\n{junit}");
    assert!(!junit.contains("Step panicked") && !junit.contains("no-testclass"), "{junit}");
    let cases = junit.matches("<testcase ").count();
    assert_eq!(cases, junit.matches("<testcase classname=\"").count(), "a classname on every testcase");
    let scenarios = serde_json::from_str::<Value>(&run.report("results.json")).expect("results.json")["scenarios"]
        .as_array()
        .map_or(0, Vec::len);
    assert_eq!(cases, scenarios, "one testcase per scenario");
    junit
}

/// Validates cucumber.json against tests/fixtures/cucumber-json.schema.json (the rules report tools
/// rely on), with one scenario element per scenario of results.json.
fn assert_valid_cucumber_json(run: &SuiteRun) -> Value {
    let json: Value = serde_json::from_str(&run.report("cucumber.json")).expect("Cucumber JSON");
    let errors = cucumber_json_schema().errors(&json);
    assert!(errors.is_empty(), "cucumber.json: {:?}", &errors[..errors.len().min(5)]);
    let scenarios = elements(&json).filter(|element| element["type"] == "scenario").count();
    let results: Value = serde_json::from_str(&run.report("results.json")).expect("results.json");
    assert_eq!(scenarios, results["scenarios"].as_array().map_or(0, Vec::len), "one element per scenario");
    json
}

/// Every element (background or scenario) of every feature of a Cucumber JSON document.
fn elements(json: &Value) -> impl Iterator<Item = &Value> {
    json.as_array().into_iter().flatten().flat_map(|feature| feature["elements"].as_array().into_iter().flatten())
}

fn cucumber_json_schema() -> vb365_conformance::contract::schema::Compiled {
    let text = std::fs::read_to_string(root().join("tests/fixtures/cucumber-json.schema.json")).expect("schema");
    vb365_conformance::contract::schema::Compiled::new(&serde_json::from_str(&text).expect("schema JSON"))
        .expect("schema")
}

fn attribute(xml: &str, element: &str, name: &str) -> usize {
    let start = xml.find(&format!("<{element} ")).expect(element);
    let tag = &xml[start..start + xml[start..].find('>').expect("tag end")];
    let value = tag.split(&format!(" {name}=\"")).nth(1).and_then(|rest| rest.split('"').next()).expect(name);
    value.parse().expect("a count")
}

fn failed_steps(run: &SuiteRun) -> usize {
    run.report("cucumber.json").matches("\"status\":\"failed\"").count()
}

#[test]
fn warnings_fail_junit_and_cucumber_json_consumers_only_in_strict_runs() {
    let fault = ("VB365_DOUBLE_FAULT", "authorization-refused-403");
    let normal = run_suite(&[fault], &[]);
    assert_eq!(normal.code, Some(0), "{}", normal.stdout);
    let junit = assert_valid_junit(&normal);
    assert_eq!(attribute(&junit, "testsuites", "failures"), 0, "{junit}");
    assert_eq!(junit.matches("<system-out>WARNING (a should requirement").count(), 7, "{junit}");
    assert!(junit.contains("[AUTH-401]"), "the warning names the requirement");
    assert!(junit.contains("name=\"The refusal is 401 Unauthorized (header: is missing)\""), "rows by their values");
    assert_valid_cucumber_json(&normal);
    assert_eq!(failed_steps(&normal), 0, "{}", normal.report("cucumber.json"));
    assert!(normal.report("cucumber.json").contains("\"name\":\"@warning\""));

    let strict = run_suite(&[fault, ("VB365_STRICT", "1")], &[]);
    assert_eq!(strict.code, Some(1));
    let junit = assert_valid_junit(&strict);
    assert_eq!(attribute(&junit, "testsuites", "failures"), 7, "{junit}");
    assert!(junit.contains("<failure message=\"[AUTH-401] A request refused"), "requirement first: {junit}");
    assert_eq!(failed_steps(&strict), 7);
    // The schema catches what report tools trip on: a failed step without its message, a tag
    // without its @.
    let mut json = assert_valid_cucumber_json(&strict);
    let failed = json
        .as_array_mut()
        .into_iter()
        .flatten()
        .flat_map(|f| f["elements"].as_array_mut().into_iter().flatten())
        .flat_map(|e| e["steps"].as_array_mut().into_iter().flatten())
        .find(|step| step["result"]["status"] == "failed")
        .expect("a failed step");
    failed["result"].as_object_mut().expect("result").remove("error_message");
    json[0]["tags"] = serde_json::json!([{ "name": "password", "line": 2 }]);
    assert_eq!(cucumber_json_schema().errors(&json).len(), 2, "{:?}", cucumber_json_schema().errors(&json));
}

#[test]
fn a_must_failure_is_a_junit_failure_that_starts_with_its_requirement() {
    let run = run_suite(&[("VB365_DOUBLE_FAULT", "count-as-string")], &[]);
    assert_eq!(run.code, Some(1));
    let junit = assert_valid_junit(&run);
    assert!(attribute(&junit, "testsuites", "failures") > 0);
    assert!(junit.contains("<failure message=\"[BODY-COUNTS]"), "{junit}");
    assert!(junit.contains("type=\"BODY-COUNTS\""), "{junit}");
    assert_valid_cucumber_json(&run);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn skipped_testcases_carry_their_reason() {
    let server = HttpsDouble::start(&[]).await;
    let run = server.run(&[("VB365_ALLOW_RESTORE", "")]).await;
    let junit = assert_valid_junit(&run);
    let skipped = junit.matches("<skipped>").count();
    assert!(skipped > 0, "{junit}");
    // Each with its reason, and nothing but the reason.
    assert_eq!(
        skipped,
        junit.matches("<skipped>it sends a restore the server may carry out; set VB365_ALLOW_RESTORE=1").count(),
        "{junit}"
    );
    let suites_skipped: usize = junit
        .split("<testsuite ")
        .skip(1)
        .map(|suite| attribute(&format!("<testsuite {suite}"), "testsuite", "skipped"))
        .sum();
    assert_eq!(suites_skipped, skipped, "the testsuites count their skipped testcases");

    // Skipped scenarios keep their real steps, on the console and in Cucumber JSON.
    for report in [&run.stdout, &run.report("cucumber.json")] {
        assert!(!report.contains("this scenario is skipped"), "no stand-in step: {report}");
    }
    let features = assert_valid_cucumber_json(&run);
    let skipped_elements: Vec<&Value> = elements(&features)
        .filter(|element| element["description"].as_str().is_some_and(|d| d.starts_with("Skipped: ")))
        .collect();
    assert_eq!(skipped_elements.len(), skipped, "every skipped scenario, with its reason");
    let restore = "the mailbox is restored with the user name and password";
    for element in skipped_elements {
        let steps = element["steps"].as_array().expect("steps");
        assert!(steps.len() >= 2, "its real steps: {element}");
        assert!(steps.iter().all(|step| step["result"]["status"] == "skipped"), "{element}");
        assert!(steps.iter().any(|step| step["keyword"] == "When "), "{element}");
    }
    let shown = run.stdout.lines().filter(|line| line.trim_start().starts_with(&format!("-  When {restore}"))).count();
    assert!(shown > 0, "the console shows the skipped scenarios' real steps: {}", run.stdout);
    assert_eq!(run.stdout.matches("      Skipped: it sends a restore").count(), skipped, "{}", run.stdout);
}
