//! `cuebook-testkit`: the command-line face of the testkit library, for building the
//! reference collection and benchmark libraries by hand or in CI.
//!
//! Argument errors exit with code 2 (clap's convention); build failures with code 1.

use std::cell::Cell;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Result;
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "cuebook-testkit",
    version,
    about = "Builds tagged audio libraries for Cuebook's tests and benchmarks from the shared corpus"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the reference collection of a soundtracks.json spec.
    Reference {
        /// Corpus folder (fetched with shared/corpus/fetch.sh).
        #[arg(long, value_name = "DIR")]
        corpus: PathBuf,
        /// Collection spec, e.g. shared/library/soundtracks.json.
        #[arg(long, value_name = "FILE")]
        spec: PathBuf,
        /// Output folder; replaced if it holds an older build.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Generate a benchmark library of N tagged files.
    Generate {
        /// Corpus folder (fetched with shared/corpus/fetch.sh).
        #[arg(long, value_name = "DIR")]
        corpus: PathBuf,
        /// Output folder; replaced if it holds an older library.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Number of audio files to write.
        #[arg(long, value_name = "N")]
        files: usize,
        /// Seed of the generator; the same seed gives the same library.
        #[arg(long, value_name = "S", default_value_t = 1)]
        seed: u64,
    },
    /// List the corpus files the builders use, and why the others are left out.
    Sources {
        /// Corpus folder (fetched with shared/corpus/fetch.sh).
        #[arg(long, value_name = "DIR")]
        corpus: PathBuf,
    },
}

fn main() -> ExitCode {
    // clap prints its own message and exits with code 2 on bad arguments.
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command) -> Result<()> {
    match command {
        Command::Reference { corpus, spec, out } => {
            let started = Instant::now();
            println!(
                "building the reference collection of {} in {}",
                spec.display(),
                out.display()
            );
            let reference = cuebook_testkit::build_reference_collection(&corpus, &spec, &out)?;
            let mut formats = std::collections::BTreeMap::<&str, usize>::new();
            for (_, track) in reference.tracks() {
                *formats.entry(track.format.as_str()).or_default() += 1;
            }
            let formats: Vec<String> = formats.iter().map(|(f, n)| format!("{f} {n}")).collect();
            println!(
                "{} albums, {} tracks ({}) in {:.1} s",
                reference.albums.len(),
                reference.tracks().count(),
                formats.join(", "),
                started.elapsed().as_secs_f64()
            );
        }
        Command::Generate {
            corpus,
            out,
            files,
            seed,
        } => {
            println!(
                "generating {files} files with seed {seed} in {}",
                out.display()
            );
            let next_report = Cell::new(0);
            let step = (files / 20).max(1);
            let progress = |done: usize| {
                if done >= next_report.get() || done == files {
                    println!("  {done}/{files} files");
                    next_report.set(done + step);
                }
            };
            let stats = cuebook_testkit::generate_library(&corpus, &out, files, seed, &progress)?;
            println!(
                "{} {} files in {} albums, {:.1} MB, in {:.1} s",
                if stats.reused { "reused" } else { "wrote" },
                stats.files,
                stats.albums,
                stats.bytes as f64 / 1e6,
                stats.elapsed.as_secs_f64()
            );
        }
        Command::Sources { corpus } => {
            let scan = cuebook_testkit::scan_corpus(&corpus)?;
            for source in &scan.sources {
                println!(
                    "use\t{}\t{:.2} s\t{}",
                    source.format,
                    source.duration.as_secs_f64(),
                    source.path
                );
            }
            for rejected in &scan.rejected {
                println!("skip\t{}\t{}", rejected.path, rejected.reason);
            }
            println!(
                "{} usable, {} skipped",
                scan.sources.len(),
                scan.rejected.len()
            );
        }
    }
    Ok(())
}
