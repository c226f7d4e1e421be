//! `vb365-double`: the conformance suite's double as a standalone fake VB365 server for client
//! developers. Everything is in `vb365_conformance::double::cli`; `--help` says how to use it.

fn main() -> std::process::ExitCode {
    vb365_conformance::double::cli::main()
}
