//! Everything a run needs, checked before its first request: every setting read, the feature
//! folder, the CA file, the baseline and the known deviations, and the report folder written to
//! (a probe file). Every problem found is one line; a run with any does not start.

use std::path::{Path, PathBuf};

use crate::suite::settings::{self, Settings};

use crate::runner::regression::{self, Inputs};
use crate::runner::{Context, Stop};

/// What a run that may start has read.
pub struct Ready {
    pub settings: Settings,
    /// `VB365_FEATURES_DIR`, or empty: the feature files built into the binary.
    pub features: PathBuf,
    pub http: crate::client::Http,
    pub regression: Inputs,
}

/// Checks everything the run needs; `context` learns the report folder and the settings as far
/// as they could be read, and whether the report folder can be written.
pub fn check(context: &mut Context) -> Result<Ready, Stop> {
    let mut problems = Vec::new();
    let settings = Settings::from_env()
        .map_err(|errors| problems.extend(errors.0.into_iter().map(|error| error.to_string())))
        .ok();
    let features = features_dir().map_err(|problem| problems.push(problem)).ok();
    if let Some(settings) = &settings {
        context.report_dir = settings.report_dir.clone();
        context.settings = settings.describe().into_iter().map(|(name, value)| (name.to_owned(), value)).collect();
        let described = crate::runner::target::describe(settings, None);
        (context.target, context.target_line) = (described.json, described.line);
    }
    context.report_writable = probe(&context.report_dir).map_err(|problem| problems.push(problem)).is_ok();
    let (http, regression) = match &settings {
        Some(settings) => (
            settings.http_client().map_err(|error| problems.push(error.to_string())).ok(),
            regression::read(settings).map_err(|found| problems.extend(found)).ok(),
        ),
        None => (None, None),
    };
    match (settings, features, http, regression) {
        (Some(settings), Some(features), Some(http), Some(regression)) if problems.is_empty() => {
            Ok(Ready { settings, features, http, regression })
        }
        _ => Err(Stop::NotRun(problems)),
    }
}

/// The report folder exists (it is made) and takes a file: a run that cannot leave its reports
/// must not make a single request first.
fn probe(dir: &Path) -> Result<(), String> {
    let problem = |error: std::io::Error| {
        format!("cannot write to the report folder {} (VB365_REPORT_DIR): {error}", dir.display())
    };
    std::fs::create_dir_all(dir).map_err(problem)?;
    let probe = dir.join(format!(".vb365-conformance-probe.{}", std::process::id()));
    std::fs::write(&probe, b"probe").map_err(problem)?;
    std::fs::remove_file(&probe).map_err(problem)
}

/// `VB365_FEATURES_DIR`, a folder of the user's own feature files (relative to the working
/// folder), or empty: the feature files built into the binary.
fn features_dir() -> Result<PathBuf, String> {
    let Some(dir) = std::env::var("VB365_FEATURES_DIR").ok().filter(|dir| !dir.trim().is_empty()) else {
        return Ok(PathBuf::new());
    };
    let path = PathBuf::from(&dir);
    if !path.is_dir() {
        return Err(format!("VB365_FEATURES_DIR: {dir} is not a folder (unset it to run the built-in feature files)"));
    }
    Ok(path)
}

/// The report folder before the settings are read: known even when they are wrong, so that a
/// run that cannot start still says so there.
pub fn report_dir() -> PathBuf {
    settings::report_dir(&|name: &str| std::env::var(name).ok())
}
