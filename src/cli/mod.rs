//! Argument parsing and command dispatch. Each command is a few lines over the core; output is
//! human-readable text, or JSON with `--json`. Exit codes: 0 success, 1 failure, 2 bad usage.

mod annotate;
mod articles;
mod listen;
mod lists;
mod output;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};

use cuebook::events::{Event, PlayMode};
use cuebook::{catalog, search, Library};

#[derive(Parser)]
#[command(
    name = "cuebook",
    version,
    about = "Catalog, search and explore a soundtrack collection"
)]
struct Cli {
    /// Catalog database to use (default: the platform data folder, e.g. ~/.local/share/cuebook/library.sqlite)
    #[arg(long, global = true, value_name = "PATH", env = "CUEBOOK_DB")]
    db: Option<PathBuf>,
    /// Print machine-readable JSON instead of text
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Manage library folders
    Roots {
        #[command(subcommand)]
        action: RootsAction,
    },
    /// Scan every library folder: new and changed files are read, vanished ones marked missing
    Scan {
        /// No progress bar
        #[arg(long, short)]
        quiet: bool,
    },
    /// List tracks matching a search (see `cuebook help-search`)
    Ls {
        query: Vec<String>,
        #[arg(long, default_value_t = 200)]
        limit: usize,
        #[arg(long, default_value_t = 0)]
        offset: usize,
    },
    /// List albums with tracks matching a search
    Albums {
        query: Vec<String>,
        #[arg(long, default_value_t = 500)]
        limit: usize,
    },
    /// Show an album: its id, or a search that matches one album
    Show { album: Vec<String> },
    /// Files that could not be cataloged, with the reason
    Problems,
    /// Totals and the collection by format, decade, composer and label
    Stats {
        /// How many composers, labels and formats to list
        #[arg(long, default_value_t = 15)]
        top: usize,
    },
    /// Preview a track (its id) or the tracks a search finds: a loudness-matched excerpt with
    /// fades, starting at the most characteristic part (not counted as a play)
    Preview {
        query: Vec<String>,
        /// Start here instead (83, 1:23)
        #[arg(long, value_parser = listen::parse_time)]
        from: Option<std::time::Duration>,
        /// Seconds of each preview (default 30; 10 when skimming)
        #[arg(long = "for", value_name = "SECONDS")]
        length: Option<f64>,
        /// Preview every track the search finds, one after another
        #[arg(long)]
        skim: bool,
    },
    /// Play a track (its id) or the first track a search finds, in full
    Play {
        query: Vec<String>,
        /// Start here (83, 1:23)
        #[arg(long, value_parser = listen::parse_time)]
        from: Option<std::time::Duration>,
    },
    /// Measure loudness, peaks, waveform and preview start of every track not analyzed yet
    Analyze {
        /// No progress bar
        #[arg(long, short)]
        quiet: bool,
    },
    /// Tags: list, add to or remove from albums, tracks and works, rename, merge, color, delete
    Tag {
        #[command(subcommand)]
        action: annotate::TagAction,
    },
    /// Rate albums, tracks or works 0–5 (`none` clears)
    Rate {
        rating: String,
        #[command(flatten)]
        targets: annotate::Targets,
    },
    /// Markdown notes on albums, tracks and works; time-coded notes on tracks
    Note {
        #[command(subcommand)]
        action: annotate::NoteAction,
    },
    /// Soundtrack fields the tags lack or get wrong, kept in the catalog (never in the files)
    Field {
        #[command(subcommand)]
        action: annotate::FieldAction,
    },
    /// Annotations whose album, track or work is not in the catalog now
    Orphans,
    /// Propose (or with --accept/--all, apply) relinks of annotations whose files were replaced
    Relink {
        /// Accept the proposal for this annotation id
        #[arg(long, value_name = "ID")]
        accept: Vec<i64>,
        /// Accept every proposal
        #[arg(long)]
        all: bool,
    },
    /// Drop an orphaned annotation for good
    Forget { id: i64 },
    /// Write every annotation (tags, ratings, notes, fields) to one JSON file
    Backup { file: PathBuf },
    /// Restore annotations from a backup file (safe to repeat)
    Restore { file: PathBuf },
    /// Write an album's field overrides (composers, conductors, orchestrators, label, catalog
    /// numbers) into its files' tags: shows the changes, writes only with --yes
    Writeback {
        #[command(flatten)]
        target: annotate::Targets,
        /// Write the changes shown (otherwise nothing is written)
        #[arg(long)]
        yes: bool,
    },
    /// Lists: annotated lists, smart lists and wishlists
    List {
        #[command(subcommand)]
        action: lists::ListAction,
    },
    /// Export a list, a search's results or the whole collection (Markdown, HTML, CSV, JSON, M3U8, XSPF)
    Export(lists::ExportArgs),
    /// Import a playlist or list (M3U/M3U8, XSPF, CSV, Cuebook JSON) as a new list
    Import(lists::ImportArgs),
    /// Articles: import, read, review their links to the collection, make lists of them
    ///
    /// Import an article from a file, a web address or pasted text; Cuebook finds the albums,
    /// tracks, people and labels of your collection it mentions and suggests links, which you
    /// confirm or reject. Confirmed links show where an album or person is mentioned; a ranked
    /// article ("12. … 1. …") becomes a list.
    #[command(after_help = ARTICLE_HELP)]
    Article {
        #[command(subcommand)]
        action: articles::ArticleAction,
    },
    /// Explain the search language
    HelpSearch,
}

#[derive(Subcommand)]
enum RootsAction {
    /// Add one or more folders
    Add {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Remove a folder (its tracks leave the catalog)
    Rm { path: PathBuf },
    /// List folders
    Ls,
}

const ARTICLE_HELP: &str = "\
Examples:
  cuebook article import review.md https://example.org/best-scores
  pbpaste | cuebook article import -           pasted text
  cuebook article show 3                       details and links (ids, status, confidence)
  cuebook article links 3 --confirm-above 80   confirm the likely links at once
  cuebook article links 3 --reject 17 18       reject links by id
  cuebook article mentions --album 42          articles with a confirmed link to album 42
  cuebook article to-list 3 --name \"Top 12\"    a ranked article as a list";

/// An error that is the user's to fix: printed plainly with exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct Usage(String);

pub fn run() -> ExitCode {
    // Piping into `head` must end quietly, as other Unix tools do, not panic on a closed stdout.
    // SAFETY: restoring the default disposition of SIGPIPE before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse();
    match dispatch(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e)
            if e.downcast_ref::<Usage>().is_some()
                || matches!(e.downcast_ref(), Some(search::SearchError::Query(_))) =>
        {
            eprintln!("cuebook: {e}");
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("cuebook: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn open_library(db: Option<PathBuf>) -> anyhow::Result<Library> {
    let path = match db {
        Some(p) => p,
        None => {
            Library::default_db_path().context("no data folder on this system; pass --db PATH")?
        }
    };
    Ok(Library::open(&path)?)
}

fn dispatch(cli: Cli) -> anyhow::Result<()> {
    if let Command::HelpSearch = cli.command {
        print!("{}", output::SEARCH_HELP);
        return Ok(());
    }
    let lib = open_library(cli.db)?;
    let json = cli.json;
    match cli.command {
        Command::Roots {
            action: RootsAction::Add { paths },
        } => {
            let mut added = Vec::new();
            for path in paths {
                match catalog::add_root(&lib, &path) {
                    Ok(root) => added.push(root),
                    // Adding a folder twice is what the user wanted already; say so and go on.
                    Err(catalog::CatalogError::RootExists(p)) if !json => {
                        println!("Already a library folder: {}", p.display())
                    }
                    Err(catalog::CatalogError::RootExists(_)) => {}
                    Err(e) => return Err(Usage(e.to_string()).into()),
                }
            }
            output::roots(&added, json, "Added")
        }
        Command::Roots {
            action: RootsAction::Rm { path },
        } => {
            let root = catalog::remove_root(&lib, &path).map_err(|e| Usage(e.to_string()))?;
            output::roots(&[root], json, "Removed")
        }
        Command::Roots {
            action: RootsAction::Ls,
        } => output::roots(&catalog::list_roots(&lib)?, json, ""),
        Command::Scan { quiet } => scan(&lib, quiet || json, json),
        Command::Ls {
            query,
            limit,
            offset,
        } => {
            let page = search::search_tracks(&lib, &query.join(" "), limit, offset)?;
            output::tracks(&page, json)
        }
        Command::Albums { query, limit } => output::albums(
            &search::search_albums(&lib, &query.join(" "), limit, 0)?,
            json,
        ),
        Command::Show { album } => show(&lib, &album.join(" "), json),
        Command::Problems => output::problems(&catalog::problems(&lib)?, json),
        Command::Stats { top } => output::stats(&catalog::stats(&lib, top)?, json),
        Command::Preview {
            query,
            from,
            length,
            skim,
        } => {
            let length = match length {
                Some(s) if s.is_finite() && s > 0.0 => Some(std::time::Duration::from_secs_f64(s)),
                Some(s) => {
                    return Err(
                        Usage(format!("--for needs a positive number of seconds, not {s}")).into(),
                    )
                }
                None => None,
            };
            let how = listen::Listen {
                mode: PlayMode::Preview,
                from,
                length,
                skim,
            };
            listen::listen(&lib, &query.join(" "), &how, json)
        }
        Command::Play { query, from } => {
            let how = listen::Listen {
                mode: PlayMode::Full,
                from,
                length: None,
                skim: false,
            };
            listen::listen(&lib, &query.join(" "), &how, json)
        }
        Command::Analyze { quiet } => listen::analyze(&lib, quiet, json),
        Command::Tag { action } => annotate::tag(&lib, action, json),
        Command::Rate { rating, targets } => annotate::rate(&lib, &rating, &targets, json),
        Command::Note { action } => annotate::note(&lib, action, json),
        Command::Field { action } => annotate::field(&lib, action, json),
        Command::Orphans => annotate::orphans(&lib, json),
        Command::Relink { accept, all } => annotate::relink(&lib, &accept, all, json),
        Command::Forget { id } => annotate::forget(&lib, id, json),
        Command::Backup { file } => annotate::backup(&lib, file, json),
        Command::Restore { file } => annotate::restore(&lib, file, json),
        Command::Writeback { target, yes } => annotate::writeback(&lib, &target, yes, json),
        Command::List { action } => lists::list(&lib, action, json),
        Command::Export(args) => lists::export(&lib, args, json),
        Command::Import(args) => lists::import(&lib, args, json),
        Command::Article { action } => articles::article(&lib, action, json),
        Command::HelpSearch => unreachable!("handled before opening the library"),
    }
}

fn scan(lib: &Library, quiet: bool, json: bool) -> anyhow::Result<()> {
    if catalog::list_roots(lib)?.is_empty() {
        return Err(Usage(
            "no library folders yet: add one with `cuebook roots add FOLDER`".into(),
        )
        .into());
    }
    let cancel = Arc::new(AtomicBool::new(false));
    {
        let cancel = cancel.clone();
        // Without a handler Ctrl-C kills the scan mid-batch, which is safe but loses the report.
        if let Err(e) = ctrlc::set_handler(move || cancel.store(true, Ordering::Relaxed)) {
            eprintln!("cuebook: Ctrl-C will stop the scan abruptly ({e})");
        }
    }
    let bar = output::ScanBar::new(quiet);
    let sink_bar = bar.clone();
    let sink: cuebook::events::EventSink = Arc::new(move |event: &Event| {
        let Event::ScanProgress(p) = event else {
            return;
        };
        sink_bar.update(p);
    });
    let report = catalog::scan(lib, sink, &cancel)?;
    bar.finish();
    output::scan_report(&report, json)?;
    if report.cancelled {
        eprintln!("cuebook: scan cancelled; run `cuebook scan` again to finish");
    }
    Ok(())
}

fn show(lib: &Library, album: &str, json: bool) -> anyhow::Result<()> {
    if album.trim().is_empty() {
        return Err(
            Usage("show needs an album id or a search, e.g. `cuebook show jaws`".into()).into(),
        );
    }
    let id = match album.trim().parse::<i64>() {
        Ok(id) => id,
        Err(_) => {
            let found = search::search_albums(lib, album, 21, 0)?;
            match found.len() {
                0 => return Err(Usage(format!("no album matches {album:?}")).into()),
                1 => found[0].id,
                _ => {
                    output::albums(&found, false)?;
                    return Err(Usage(format!(
                        "{album:?} matches several albums; give one of the ids above"
                    ))
                    .into());
                }
            }
        }
    };
    let page = catalog::album_page(lib, id).map_err(|e| Usage(e.to_string()))?;
    output::album_page(&page, json)
}
