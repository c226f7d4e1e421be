//! Ctrl-C while the reports are written ends the run INTERRUPTED, as at any other point: the
//! reports are written again to say so, and the exit status is 130, so that a shell running the
//! suite in a script learns it was interrupted (a run that swallowed the signal exited 0).

use std::io::Read as _;
use std::os::unix::fs::OpenOptionsExt as _;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::tempfile;

/// O_NONBLOCK on Linux (x86-64 and ARM alike): the test opens the pipe without waiting for its writer.
const O_NONBLOCK: i32 = 0o4000;

#[test]
fn ctrl_c_while_the_reports_are_written_ends_the_run_interrupted() {
    // exchanges.har, written last with the other reports.
    interrupted_while_writing(&[], "exchanges.har");
}

#[test]
fn ctrl_c_while_a_whole_server_runs_reports_are_written_ends_it_interrupted() {
    // results.json of the whole server, its last report (every version's own are written before).
    interrupted_while_writing(&[("VB365_API_VERSION", "all")], "results.json");
}

/// Runs the suite against the double with `env`, holding it while it writes the report `held`
/// (top level) until Ctrl-C has been sent.
fn interrupted_while_writing(env: &[(&str, &str)], held: &str) {
    // The run writes `held` through a temporary file named after its process; a named pipe put
    // there first holds the run inside its report writing (the report is larger than a pipe's
    // buffer) until the test reads it, so the signal comes exactly then. A run quicker than the
    // pipe's making is tried again.
    for _attempt in 0..5 {
        let dir = tempfile::tempdir().expect("report dir");
        // Its console to files: a pipe nobody reads while the test waits would hold the run.
        let console = tempfile::tempdir().expect("console dir");
        let file = |name: &str| std::fs::File::create(console.path().join(name)).expect("console file");
        let mut child = Command::new(env!("CARGO_BIN_EXE_vb365-conformance"))
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("VB365_REPORT_DIR", dir.path())
            .envs(env.iter().copied())
            .stdout(Stdio::from(file("stdout")))
            .stderr(Stdio::from(file("stderr")))
            .spawn()
            .expect("the suite starts");
        let pipe = dir.path().join(format!(".{held}.{}.tmp", child.id()));
        let made = Command::new("mkfifo").arg(&pipe).status().expect("mkfifo runs");
        let reader = made.success().then(|| {
            std::fs::OpenOptions::new().read(true).custom_flags(O_NONBLOCK).open(&pipe).expect("the pipe opens")
        });
        let Some(mut reader) = reader.filter(|_| writing_into(child.id(), &pipe, &mut child)) else {
            let _ = child.kill();
            let _ = child.wait();
            continue;
        };
        let sent = Command::new("kill").args(["-INT", &child.id().to_string()]).status().expect("kill");
        assert!(sent.success());
        // Let the run finish writing: read the pipe to its end.
        let mut buffer = vec![0; 1 << 16];
        loop {
            match reader.read(&mut buffer) {
                Ok(0) => break,
                Ok(_) => {}
                Err(error) if error.kind() == std::io::ErrorKind::WouldBlock => {
                    std::thread::sleep(Duration::from_millis(5))
                }
                Err(error) => panic!("reading the pipe: {error}"),
            }
        }
        let status = child.wait().expect("the run ends");
        let read = |name: &str| std::fs::read_to_string(console.path().join(name)).expect("console");
        let (stdout, stderr) = (read("stdout"), read("stderr"));
        assert_eq!(status.code(), Some(130), "{stdout}\n{stderr}");
        crate::live::assert_interrupted(dir.path(), "-INT");
        let results = std::fs::read_to_string(dir.path().join("results.json")).expect("results.json");
        assert!(results.contains("as its reports were written"), "{results}");
        assert!(stdout.contains("verdict: INTERRUPTED"), "{stdout}");
        assert!(dir.path().join(held).metadata().is_ok_and(|m| m.is_file()), "{held} rewritten");
        return;
    }
    panic!("in 5 runs, none reached its reports after the test's pipe was made");
}

/// Whether the run `pid` opened `pipe` to write a report into it (it then waits on the test),
/// rather than ending first.
fn writing_into(pid: u32, pipe: &std::path::Path, child: &mut std::process::Child) -> bool {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(120) {
        if let Ok(Some(_)) = child.try_wait() {
            return false;
        }
        let fds = std::fs::read_dir(format!("/proc/{pid}/fd")).into_iter().flatten().flatten();
        if fds.filter_map(|fd| std::fs::read_link(fd.path()).ok()).any(|target| target == pipe) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    false
}
