//! The project's own tests: one binary, one module per concern (zero2prod style).

mod catalogue;
mod double;
mod double_bin;
mod evidence;
mod exit_reasons;
mod faults;
mod helpers;
mod installed;
mod junit;
mod layers;
mod leaks;
mod live;
mod live_faults;
mod operator_credentials;
mod operator_inputs;
mod regression;
mod report_files;
mod schemas;
mod setup_messages;
mod signoff;
mod suite_against_double_bin;
mod suite_run;
mod target;
mod tempfile;
mod vendor_schemas;
mod xsd;
