//! The project's own tests: one binary, one module per concern (zero2prod style).

mod catalogue;
mod double;
mod exit_reasons;
mod faults;
mod helpers;
mod installed;
mod leaks;
mod live;
mod live_faults;
mod operator_credentials;
mod operator_inputs;
mod report_files;
mod schemas;
mod setup_messages;
mod signoff;
mod suite_run;
mod target;
mod tempfile;
