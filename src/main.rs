//! `cuebook`: the command-line face of the Cuebook core, for scripting and headless machines.

mod cli;

fn main() -> std::process::ExitCode {
    cli::run()
}
