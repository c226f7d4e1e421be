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

/// The share a variation's run belongs to: `index` is its place in its table, `versions` the
/// versions it lists. The first share runs it once, in one version it lists, on the double when
/// its place is even, else live.
pub fn share_of(index: usize, versions: &[ApiVersion], version: ApiVersion, path: Path) -> Share {
    let first_path = if index % 2 == 0 { Path::Double } else { Path::Live };
    let first = versions.get(index % versions.len().max(1));
    if first == Some(&version) && path == first_path { Share::First } else { Share::Rest }
}

/// The share a fault's run belongs to: the first share runs it once, in one version it lists,
/// on the double when its place is even or a live run cannot see it there, else live.
pub fn fault_share(index: usize, name: &str, versions: &[ApiVersion], version: ApiVersion, path: Path) -> Share {
    let Some(&first) = versions.get(index % versions.len().max(1)) else { return Share::Rest };
    let first_path = if index % 2 == 0 || unseen_live(name, first) { Path::Double } else { Path::Live };
    if version == first && path == first_path { Share::First } else { Share::Rest }
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

/// Each (place in the FAULTS table, name, version) whose run on `path` is in `share`.
pub fn fault_runs(path: Path, share: Share) -> Vec<(usize, &'static str, ApiVersion)> {
    vb365_conformance::double::FAULTS
        .iter()
        .enumerate()
        .flat_map(|(index, fault)| {
            let listed = fault.fault.versions();
            listed
                .iter()
                .filter(move |version| fault_share(index, fault.name, listed, **version, path) == share)
                .map(move |version| (index, fault.name, *version))
        })
        .collect()
}

/// Each (place in its table, name, version) of `table` whose run on `path` is in `share`.
pub fn runs_of<'a, T>(
    table: &'a [T],
    name: impl Fn(&T) -> &'static str + 'a,
    versions: impl Fn(&T) -> &'static [ApiVersion] + 'a,
    path: Path,
    share: Share,
) -> Vec<(usize, &'static str, ApiVersion)> {
    table
        .iter()
        .enumerate()
        .flat_map(|(index, item)| {
            let listed = versions(item);
            let name = name(item);
            listed
                .iter()
                .filter(move |version| share_of(index, listed, **version, path) == share)
                .map(move |version| (index, name, *version))
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
        let variations = |share| runs_of(VARIATIONS, |v| v.name, |v| v.variation.versions(), path, share);
        let (first, rest) = (variations(Share::First), variations(Share::Rest));
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
