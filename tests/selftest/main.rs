//! The project's own tests: one binary, one module per concern (zero2prod style).

mod catalogue;
mod double;
mod faults;
mod helpers;
mod leaks;
mod live;
mod live_faults;
mod operator_credentials;
mod schemas;
mod signoff;
mod suite_run;
