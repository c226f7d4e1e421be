//! The fault and variation proof in two shares, so that `cargo test` stays quick.
//!
//! `cargo test` runs the first share: every fault and every variation on each path (the
//! embedded double and a strict live run), each in one version it lists, taken in turn, so that
//! a fault listing several versions is seen in two of them. `cargo test -- --ignored` runs the
//! rest: every other version each lists, on each path. Together they run each in every version
//! it lists, on both paths; CI runs both.

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

/// The share a run belongs to: `index` is the fault's (or variation's) place in its table,
/// `versions` the versions it lists.
pub fn share_of(index: usize, versions: &[ApiVersion], version: ApiVersion, path: Path) -> Share {
    let turn = match path {
        Path::Double => 0,
        Path::Live => 1,
    };
    if versions.is_empty() || versions[(index + turn) % versions.len()] == version { Share::First } else { Share::Rest }
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
    for path in [Path::Double, Path::Live] {
        let all = |share| {
            let mut runs = runs_of(FAULTS, |f| f.name, |f| f.fault.versions(), path, share);
            runs.extend(runs_of(VARIATIONS, |v| v.name, |v| v.variation.versions(), path, share));
            runs
        };
        let (first, rest) = (all(Share::First), all(Share::Rest));
        let listed: usize = FAULTS.iter().map(|f| f.fault.versions().len()).sum::<usize>()
            + VARIATIONS.iter().map(|v| v.variation.versions().len()).sum::<usize>();
        assert_eq!(first.len() + rest.len(), listed, "{path:?}");
        assert_eq!(first.len(), FAULTS.len() + VARIATIONS.len(), "{path:?}: one version each in the first share");
        assert!(first.iter().all(|run| !rest.contains(run)), "{path:?}");
    }
}
