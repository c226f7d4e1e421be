//! The runner's command line: cucumber's options, parsed before anything else happens, so that
//! `--help` touches nothing and a bad argument is a setup error like any other.

use std::io::IsTerminal as _;

use crate::report::console::Style;
use cucumber::cli;

/// The command line, parsed before anything else happens.
pub enum Parsed<Opts> {
    Run(Opts),
    /// `--help` or `--version`, printed.
    Shown,
    /// A bad argument, in one line.
    Bad(String),
}

/// cucumber's options as the runner takes them: its parser's, its runner's, and the console's
/// (the runner's own writer, the ledger, takes cucumber's writer's place).
pub type Options = cli::Opts<
    <cucumber::parser::Basic as cucumber::Parser<std::path::PathBuf>>::Cli,
    cucumber::runner::basic::Cli,
    ConsoleOptions,
>;

/// Parses cucumber's options.
pub fn parse() -> Parsed<Options> {
    match <Options as cli::Parser>::try_parse() {
        Ok(opts) => Parsed::Run(opts),
        Err(error) if error.exit_code() == 0 => {
            // cucumber's options, without cucumber's own tagline (the suite's help precedes them).
            print!("{}", error.to_string().replace("Run the tests, pet a dog!\n\n", ""));
            Parsed::Shown
        }
        Err(error) => {
            let text = error.to_string();
            let first = text.lines().find(|line| !line.trim().is_empty()).unwrap_or("bad arguments");
            Parsed::Bad(format!("{} (see --help)", first.trim_start_matches("error: ")))
        }
    }
}

/// `vb365-conformance merge RESULTS.json...` (or its `--help`), done: its exit status; `None`
/// when the first argument is not `merge`.
pub fn merge() -> Option<u8> {
    let mut args = std::env::args().skip(1);
    (args.next().as_deref() == Some("merge")).then(|| {
        let files: Vec<String> = args.collect();
        if files.iter().any(|arg| arg == "--help" || arg == "-h") {
            print!("{}", crate::runner::help::merge_help());
            return 0;
        }
        crate::report::merge::command(&files, &crate::runner::preflight::report_dir())
    })
}

/// The filters given (`--tags @should`), for the reasons a run fails; empty when none.
pub fn filters() -> String {
    const FLAGS: [&str; 7] = ["--tags", "-t", "--name", "-n", "--scenario-name", "--input", "-i"];
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut given = Vec::new();
    let mut index = 0;
    while index < args.len() {
        let arg = &args[index];
        if FLAGS.contains(&arg.as_str()) {
            if let Some(value) = args.get(index + 1) {
                given.push(format!("{arg} {value}"));
                index += 1;
            }
        } else if FLAGS.iter().any(|flag| arg.starts_with(&format!("{flag}="))) {
            given.push(arg.clone());
        }
        index += 1;
    }
    if let Ok(tags) = std::env::var("CUCUMBER_FILTER_TAGS") {
        if !tags.trim().is_empty() && !given.iter().any(|g| g.starts_with("--tags") || g.starts_with("-t")) {
            given.push(format!("CUCUMBER_FILTER_TAGS={tags}"));
        }
    }
    given.join(" ")
}

/// The console's options (the runner's own writer takes cucumber's place, and these options).
#[derive(clap::Args, Clone, Copy, Debug, Default)]
pub struct ConsoleOptions {
    /// Colours on the console: auto (when it is a terminal and NO_COLOR is unset), always, never.
    #[arg(long, value_name = "auto|always|never", default_value = "auto", global = true)]
    pub color: clap::ColorChoice,
    /// -vv also shows the scenario's state (the World, redacted) under a failed step.
    #[arg(short, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
}

impl ConsoleOptions {
    pub fn style(&self) -> Style {
        let color = match self.color {
            clap::ColorChoice::Always => true,
            clap::ColorChoice::Never => false,
            clap::ColorChoice::Auto => {
                std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        };
        Style { color }
    }
}
