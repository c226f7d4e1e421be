//! Temporary folders and files for the tests, removed when dropped: the few lines of the `tempfile`
//! crate the tests need, without it (as a dev-dependency it changed the features of a dependency of
//! the suite, so `cargo test` rebuilt much of what `cargo run` had built).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// A new empty folder under the system's temporary folder.
pub fn tempdir() -> std::io::Result<TempDir> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    loop {
        let name = format!("vb365-selftest-{}-{nanos}-{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
        let path = std::env::temp_dir().join(name);
        match std::fs::create_dir(&path) {
            Ok(()) => return Ok(TempDir { path }),
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(error) => return Err(error),
        }
    }
}

/// A temporary folder, removed with what it holds when dropped.
#[derive(Debug)]
pub struct TempDir {
    path: PathBuf,
}

impl TempDir {
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// An empty temporary file, removed when dropped.
#[derive(Debug)]
pub struct NamedTempFile {
    dir: TempDir,
}

impl NamedTempFile {
    pub fn new() -> std::io::Result<NamedTempFile> {
        let dir = tempdir()?;
        std::fs::write(dir.path().join("file"), b"")?;
        Ok(NamedTempFile { dir })
    }

    pub fn path(&self) -> PathBuf {
        self.dir.path().join("file")
    }
}
