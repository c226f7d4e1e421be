//! `vb365-conformance`: the conformance suite. Everything is in `vb365_conformance::runner`;
//! `--help` says how to use it.

fn main() -> std::process::ExitCode {
    vb365_conformance::runner::main()
}
