//! The fault and variation proof in two shares, so that `cargo test` stays quick.
//!
//! `cargo test` runs the first share: every fault and every variation once, in one version it
//! lists and on one path, the versions and the two paths taken in turn (a fault a live run cannot
//! see, as docs/proof.md names them, on the embedded double). `cargo test -- --ignored` runs the
//! rest: every other (version, path) each lists. Together they run each in every version it
//! lists, on both paths; CI runs both.

use vb365_conformance::contract::version::ApiVersion;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Share {
    /// What `cargo test` runs.
    First,
    /// What `cargo test -- --ignored` runs.
    Rest,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Path {
    Double,
    Live,
}

/// The (version, path) of the first share's one run of the entry at `index` of its table, which
/// lists `versions`: the versions and the paths taken in turn, on the double when `double_only`
/// says so for that version.
fn first_run(
    index: usize,
    versions: &[ApiVersion],
    double_only: impl Fn(ApiVersion) -> bool,
) -> Option<(ApiVersion, Path)> {
    let version = *versions.get(index % versions.len().max(1))?;
    let path = if index % 2 == 0 || double_only(version) { Path::Double } else { Path::Live };
    Some((version, path))
}

/// Whether a strict live run cannot see the fault `name` in `version`: docs/proof.md names those
/// (tests/selftest/live_faults.rs asserts the names are the ones a live run leaves out).
fn unseen_live(name: &str, version: ApiVersion) -> bool {
    use std::sync::LazyLock;
    static LEFT_OUT: LazyLock<String> = LazyLock::new(|| {
        let proof = std::fs::read_to_string(crate::helpers::root().join("docs/proof.md")).expect("docs/proof.md");
        let text = proof.replace('\n', " ");
        let start = text.find("need control of the mailbox and are left out: ").expect("the left-out sentence");
        text[start..].split(" A refused request").next().unwrap_or_default().to_owned()
    });
    let needs_mailbox = LEFT_OUT.split(" In v").next().unwrap_or_default();
    let named = |text: &str| text.split([' ', ',', '.', ':']).any(|word| word == name);
    named(needs_mailbox)
        || vb365_conformance::double::FAULTS
            .iter()
            .find(|f| f.name == name)
            .is_some_and(|f| f.fault.unseen_live().contains(&version))
}

/// Each (place in the FAULTS table, name, version) whose run on `path` is in `share`; a fault
/// a live run cannot see is first run on the double.
pub fn fault_runs(path: Path, share: Share) -> Vec<(usize, &'static str, ApiVersion)> {
    let faults = vb365_conformance::double::FAULTS.iter();
    runs(faults.map(|f| (f.name, f.fault.versions(), true)), path, share)
}

/// Each (place in the VARIATIONS table, name, version) whose run on `path` is in `share`.
pub fn variation_runs(path: Path, share: Share) -> Vec<(usize, &'static str, ApiVersion)> {
    let variations = vb365_conformance::double::VARIATIONS.iter();
    runs(variations.map(|v| (v.name, v.variation.versions(), false)), path, share)
}

/// Each (place, name, version) of `table` (name, versions listed, whether a live run may not see
/// it) whose run on `path` is in `share`.
fn runs(
    table: impl Iterator<Item = (&'static str, &'static [ApiVersion], bool)>,
    path: Path,
    share: Share,
) -> Vec<(usize, &'static str, ApiVersion)> {
    table
        .enumerate()
        .flat_map(|(index, (name, listed, may_be_unseen))| {
            let first = first_run(index, listed, |version| may_be_unseen && unseen_live(name, version));
            listed.iter().filter_map(move |&version| {
                let in_share = if first == Some((version, path)) { Share::First } else { Share::Rest };
                (in_share == share).then_some((index, name, version))
            })
        })
        .collect()
}

#[test]
fn the_two_shares_together_run_each_fault_and_variation_once_in_every_version_it_lists() {
    use vb365_conformance::double::{FAULTS, VARIATIONS};
    let faults_listed: usize = FAULTS.iter().map(|f| f.fault.versions().len()).sum();
    let variations_listed: usize = VARIATIONS.iter().map(|v| v.variation.versions().len()).sum();
    let (mut first_faults, mut first_variations) = (Vec::new(), 0);
    for path in [Path::Double, Path::Live] {
        let (first, rest) = (fault_runs(path, Share::First), fault_runs(path, Share::Rest));
        assert_eq!(first.len() + rest.len(), faults_listed, "{path:?}");
        assert!(first.iter().all(|run| !rest.contains(run)), "{path:?}");
        first_faults.extend(first.into_iter().map(|(_, name, version)| (name, version, path)));
        let (first, rest) = (variation_runs(path, Share::First), variation_runs(path, Share::Rest));
        assert_eq!(first.len() + rest.len(), variations_listed, "{path:?}");
        assert!(first.iter().all(|run| !rest.contains(run)), "{path:?}");
        first_variations += first.len();
    }
    assert_eq!(first_variations, VARIATIONS.len(), "each variation once in the first share");
    // Each fault once in the first share, on a path that sees it.
    assert_eq!(first_faults.len(), FAULTS.len());
    for (name, version, path) in first_faults {
        assert!(
            path == Path::Double || !unseen_live(name, version),
            "{name} ({version}) first share live, unseen there"
        );
    }
}
