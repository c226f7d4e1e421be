//! The sign-off report: verdict first, a cell per requirement and variant with a word in it,
//! failures linked, self-contained, no secret values; and an exit status that agrees.

use vb365_conformance::contract::credentials::Variant;
use vb365_conformance::contract::requirements::{self, Level};
use vb365_conformance::contract::version::ApiVersion;

use crate::helpers::{SuiteRun, root, run_suite};

/// The row called `label` of the sign-off docs/reports.md shows (a run with the fault
/// authorization-refused-403).
fn published_row(label: &str) -> String {
    let reports = std::fs::read_to_string(root().join("docs/reports.md")).expect("docs/reports.md");
    let prefix = format!("| {label} | ");
    reports.lines().find(|line| line.starts_with(&prefix)).unwrap_or_else(|| panic!("no row {label}")).to_owned()
}

fn html(run: &SuiteRun) -> String {
    run.report("signoff.html")
}

/// The text of every matrix cell, from the HTML.
fn cells(html: &str) -> Vec<String> {
    html.split("<td class=\"cell ")
        .skip(1)
        .map(|rest| rest.split("</td>").next().unwrap_or_default().to_owned())
        .collect()
}

fn assert_self_contained(html: &str) {
    for external in ["<link", "<script", "<img", "url(", "@import", "src="] {
        assert!(!html.contains(external), "the report loads something: {external}");
    }
}

#[test]
fn a_passing_run_is_accepted_with_every_cell_a_pass_or_not_covered() {
    let run = run_suite(&[("VB365_PASSWORD", "SignoffApiPassw0rd")], &[]);
    assert_eq!(run.code, Some(0), "{}", run.stdout);
    let page = html(&run);
    assert!(page.find("ACCEPTED").unwrap() < page.find("Requirements by credential variant").unwrap(), "verdict first");
    assert!(page.contains("<h1>ACCEPTED (double)</h1>"));
    // A row per requirement of v6, a column per credential variant and one for none.
    let v6: Vec<_> = requirements::all().iter().filter(|r| r.applies_to(ApiVersion::V6)).collect();
    let cells = cells(&page);
    assert_eq!(cells.len(), v6.len() * (Variant::ALL.len() + 1), "{} cells", cells.len());
    for cell in &cells {
        assert!(cell.starts_with("pass\">pass") || cell.starts_with("none\">—"), "{cell}");
    }
    // The coverage figures docs/reports.md publishes: every must and should requirement of v6.
    let (must, should) = (v6.iter().filter(|r| r.level == Level::Must).count(), v6.len());
    let coverage = format!("| Requirements checked | must {must}/{must}, should {0}/{0} |", should - must);
    assert!(run.report("signoff.md").contains(&coverage), "{coverage}");
    assert_eq!(published_row("Requirements checked"), coverage, "docs/reports.md");
    assert!(page.contains("<p>None.</p>"), "no failures");
    assert!(!page.contains("SignoffApiPassw0rd") && !run.report("signoff.md").contains("SignoffApiPassw0rd"));
    assert!(run.report("signoff.md").starts_with("# Sign-off: ACCEPTED (double)\n"));
    assert_self_contained(&page);
}

#[test]
fn a_failing_run_is_rejected_and_links_each_failure_from_the_matrix() {
    let run = run_suite(&[("VB365_DOUBLE_FAULT", "count-negative")], &[]);
    assert_eq!(run.code, Some(1), "{}", run.stdout);
    assert!(run.stdout.contains("verdict: REJECTED"));
    let page = html(&run);
    assert!(page.contains("<h1>REJECTED (double)</h1>"));
    let failing: Vec<String> = cells(&page).into_iter().filter(|c| c.starts_with("fail\">")).collect();
    assert!(!failing.is_empty());
    for cell in &failing {
        let anchor = cell.split("href=\"#").nth(1).and_then(|r| r.split('"').next()).expect("a link to the failure");
        assert!(page.contains(&format!("id=\"{anchor}\"")), "no failure with id {anchor}");
        assert!(cell.contains("FAIL"), "a word, not only a colour: {cell}");
    }
    let body_counts = page.split("<tr>").find(|row| row.contains(">BODY-COUNTS</span>")).expect("the BODY-COUNTS row");
    assert_eq!(cells(body_counts).iter().filter(|c| c.starts_with("fail\">")).count(), 3, "{body_counts}");
    assert!(
        page.contains("[BODY-COUNTS]") && page.contains("/failedItemsCount"),
        "the failure message names requirement and path"
    );
    assert_self_contained(&page);
}

#[test]
fn a_failed_should_requirement_is_a_warning_and_fails_only_a_strict_run() {
    let run = run_suite(&[("VB365_DOUBLE_FAULT", "authorization-refused-403")], &[]);
    assert_eq!(run.code, Some(0), "{}", run.stdout);
    let page = html(&run);
    assert!(page.contains("<h1>ACCEPTED WITH WARNINGS (double)</h1>"));
    assert!(cells(&page).iter().any(|c| c.starts_with("warn\">") && c.contains("warning")));
    assert!(
        page.contains("The 7 failed scenarios check should requirements"),
        "the failures under the banner are explained"
    );
    assert!(page.contains("This run PASSED: exit status 0."));
    // docs/reports.md shows this run's sign-off: each of its lines (but its date and the suite's
    // revision) is this run's, figures included; the numbers of exchanges.har's entries, which
    // depend on the order in which scenarios ran together, read #n.
    let markdown = regex::Regex::new(r"exchanges\.har #\d+")
        .expect("regex")
        .replace_all(&run.report("signoff.md"), "exchanges.har #n")
        .into_owned();
    let reports = std::fs::read_to_string(root().join("docs/reports.md")).expect("docs/reports.md");
    let example = reports.split("~~~markdown\n").nth(1).and_then(|rest| rest.split("~~~").next()).expect("an example");
    for line in example.lines().filter(|l| *l != "..." && !l.starts_with("| Date |") && !l.starts_with("| Suite |")) {
        assert!(markdown.lines().any(|l| l == line), "docs/reports.md's {line:?} is not this run's:\n{markdown}");
    }
    let strict = run_suite(&[("VB365_DOUBLE_FAULT", "authorization-refused-403"), ("VB365_STRICT", "1")], &[]);
    assert_eq!(strict.code, Some(1), "{}", strict.stdout);
    assert!(html(&strict).contains("<h1>NOT ACCEPTED (STRICT: WARNINGS) (double)</h1>"));
    assert!(html(&strict).contains("This strict run (VB365_STRICT=1) FAILED: exit status 1."));
}

#[test]
fn a_run_that_leaves_requirements_unchecked_is_accepted_only_as_far_as_checked() {
    let run = run_suite(&[], &["--tags", "@device-code"]);
    assert_eq!(run.code, Some(0), "{}", run.stdout);
    assert!(run.stdout.contains("verdict: ACCEPTED AS FAR AS CHECKED"), "{}", run.stdout);
    // Requirements whose scenarios the filter left out say so, not "—".
    let auth =
        html(&run).split("<tr>").find(|row| row.contains(">AUTH-TOKEN</span>")).expect("AUTH-TOKEN row").to_owned();
    assert!(cells(&auth)[0].contains("not run"), "{auth}");
    // Leaving out should requirements leaves the run incomplete too.
    assert!(run_suite(&[], &["--tags", "@must"]).stdout.contains("verdict: ACCEPTED AS FAR AS CHECKED"));
    let strict = run_suite(&[("VB365_STRICT", "1")], &["--tags", "@device-code"]);
    assert_eq!(strict.code, Some(1));
    assert!(strict.stdout.contains("verdict: NOT ACCEPTED (STRICT: INCOMPLETE)"), "{}", strict.stdout);
}

/// One defect that fails many scenarios is one cause; a type error says what it found; outline
/// rows are named by their columns. Live mode: the double served over HTTPS.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_defect_is_one_cause_and_type_errors_say_what_they_found() {
    let server = crate::live::HttpsDouble::start(&[("VB365_DOUBLE_FAULT", "count-as-string")]).await;
    let run = server.run(&[]).await;
    assert_eq!(run.code, Some(1), "{}", run.stdout);
    let markdown = run.report("signoff.md");
    let causes = markdown.matches("### Cause ").count();
    let failed =
        run.closing_line().split(", ").nth(1).and_then(|f| f.split(' ').next()).and_then(|n| n.parse::<usize>().ok());
    assert!(failed.is_some_and(|failed| failed > causes), "{causes} causes for {failed:?} failures:\n{markdown}");
    assert!(
        markdown.contains("where a non-negative integer is required") || markdown.contains("actual a string \""),
        "{markdown}"
    );
    assert!(markdown.contains("(variant: device code)"), "outline rows named by their columns: {markdown}");
    let html = run.report("signoff.html");
    assert!(html.contains("id=\"failure-1\"") && html.contains("href=\"#failure-"), "failures linked from the matrix");
}
