//! `list`, `export`, `import`: the collector's lists from the command line, a few lines each over
//! `cuebook::lists`.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use clap::{Args, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use cuebook::import::CsvMapping;
use cuebook::lists::exchange::{self, ExportOptions, Format, ImportOptions, Progress, Source};
use cuebook::lists::{self, Item, ListChange, ListPage, Ranking, SmartQuery};
use cuebook::search::{self, Arrangement, TrackSort, TrackSortKey};
use cuebook::Library;

use super::{output, Usage};

#[derive(Subcommand)]
pub enum ListAction {
    /// Every list, with its entry count
    Ls,
    /// A list's entries in order, with ranks and notes
    Show {
        list: String,
    },
    /// A new, empty list
    New {
        name: String,
        #[arg(long, value_enum, default_value_t = RankingArg::None)]
        ranking: RankingArg,
    },
    /// A smart list: a saved search whose entries stay live
    Smart {
        name: String,
        #[command(flatten)]
        query: QueryArgs,
    },
    Rename {
        list: String,
        name: String,
    },
    /// Number the entries 1→N, count down N→1, or not at all
    Rank {
        list: String,
        ranking: RankingArg,
    },
    /// Set the list's Markdown note (`-` reads it from standard input; "" removes it)
    Note {
        list: String,
        text: String,
    },
    /// Copy a list with its entries
    Dup {
        list: String,
    },
    /// Delete a list (its albums and tracks and their annotations stay)
    Rm {
        list: String,
    },
    /// Add albums, tracks or a wishlist placeholder to a list
    Add {
        list: String,
        #[command(flatten)]
        what: AddArgs,
        /// Insert before this entry (default: at the end)
        #[arg(long, value_name = "ENTRY")]
        before: Option<i64>,
        /// A Markdown note on each added entry
        #[arg(long)]
        note: Option<String>,
    },
    /// Move entries (keeping their order) before another entry, or to the end
    Move {
        list: String,
        #[arg(required = true, value_name = "ENTRY")]
        entries: Vec<i64>,
        #[arg(long, value_name = "ENTRY")]
        before: Option<i64>,
    },
    /// Remove entries from their list
    Remove {
        #[arg(required = true, value_name = "ENTRY")]
        entries: Vec<i64>,
    },
    /// Set an entry's Markdown note (`-` reads standard input; "" removes it)
    EntryNote {
        entry: i64,
        text: String,
    },
    /// Change a wishlist placeholder
    Want {
        entry: i64,
        #[arg(long)]
        title: String,
        #[arg(long)]
        artist: Option<String>,
        #[arg(long)]
        year: Option<i64>,
    },
    /// Wishlist entries that a scanned album now matches; accept with --accept ENTRY:ALBUM or --all
    Resolve {
        #[arg(long, value_name = "ENTRY:ALBUM", value_parser = parse_pair)]
        accept: Vec<(i64, i64)>,
        #[arg(long, value_name = "ENTRY:ALBUM", value_parser = parse_pair)]
        decline: Vec<(i64, i64)>,
        #[arg(long)]
        all: bool,
    },
}

#[derive(Copy, Clone, Debug, ValueEnum)]
pub enum RankingArg {
    None,
    Ascending,
    Descending,
}

impl From<RankingArg> for Ranking {
    fn from(r: RankingArg) -> Self {
        match r {
            RankingArg::None => Ranking::None,
            RankingArg::Ascending => Ranking::Ascending,
            RankingArg::Descending => Ranking::Descending,
        }
    }
}

/// A search whose tracks or albums a smart list or an export holds.
#[derive(Args, Debug, Default)]
pub struct QueryArgs {
    /// Tracks matching this search
    #[arg(long, value_name = "SEARCH", conflicts_with = "albums")]
    tracks: Option<String>,
    /// Albums with a track matching this search
    #[arg(long, value_name = "SEARCH")]
    albums: Option<String>,
    /// Tracks: album, title, composer, year, duration, format, added, cue, rating
    #[arg(long)]
    sort: Option<String>,
    /// Sort descending
    #[arg(long)]
    desc: bool,
    /// At most this many
    #[arg(long)]
    limit: Option<u32>,
}

impl QueryArgs {
    fn query(&self) -> anyhow::Result<Option<SmartQuery>> {
        let sort_key = match self.sort.as_deref() {
            None => TrackSortKey::Album,
            Some(k) => serde_json::from_value(serde_json::Value::String(k.to_ascii_lowercase()))
                .map_err(|_| Usage(format!("--sort {k:?}: one of album, title, composer, year, duration, format, added, cue, rating")))?,
        };
        Ok(match (&self.tracks, &self.albums) {
            (Some(q), _) => Some(SmartQuery::Tracks {
                query: q.clone(),
                sort: TrackSort {
                    key: sort_key,
                    descending: self.desc,
                },
                limit: self.limit,
            }),
            (None, Some(q)) => Some(SmartQuery::Albums {
                query: q.clone(),
                arrange: Arrangement::Title,
                kind: None,
                limit: self.limit,
            }),
            (None, None) => None,
        })
    }
}

#[derive(Args, Debug, Default)]
pub struct AddArgs {
    #[arg(long = "album", value_name = "ID")]
    albums: Vec<i64>,
    #[arg(long = "track", value_name = "ID")]
    tracks: Vec<i64>,
    /// Every album a search finds
    #[arg(long = "albums-of", value_name = "SEARCH")]
    albums_of: Option<String>,
    /// Every track a search finds
    #[arg(long = "tracks-of", value_name = "SEARCH")]
    tracks_of: Option<String>,
    /// A wishlist placeholder: something not in the library
    #[arg(long, value_name = "TITLE")]
    want: Option<String>,
    #[arg(long, requires = "want")]
    artist: Option<String>,
    #[arg(long, requires = "want")]
    year: Option<i64>,
}

fn parse_pair(s: &str) -> Result<(i64, i64), String> {
    let (a, b) = s
        .split_once(':')
        .ok_or_else(|| format!("{s:?}: expected ENTRY:ALBUM"))?;
    Ok((
        a.trim()
            .parse()
            .map_err(|_| format!("{a:?} is not an entry id"))?,
        b.trim()
            .parse()
            .map_err(|_| format!("{b:?} is not an album id"))?,
    ))
}

/// A list by id, or by name (exactly, ignoring case).
fn find_list(lib: &Library, list: &str) -> anyhow::Result<i64> {
    let all = lists::lists(lib)?;
    if let Ok(id) = list.trim().parse::<i64>() {
        if all.iter().any(|l| l.id == id) {
            return Ok(id);
        }
    }
    match all
        .iter()
        .filter(|l| l.name.eq_ignore_ascii_case(list.trim()))
        .collect::<Vec<_>>()
        .as_slice()
    {
        [one] => Ok(one.id),
        [] => Err(Usage(format!(
            "no list is called {list:?} (see `cuebook list ls`)"
        ))
        .into()),
        _ => Err(Usage(format!("several lists are called {list:?}; give its id")).into()),
    }
}

fn text_arg(text: String) -> anyhow::Result<String> {
    if text != "-" {
        return Ok(text);
    }
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s)?;
    Ok(s)
}

pub fn list(lib: &Library, action: ListAction, json: bool) -> anyhow::Result<()> {
    let usage = |e: lists::ListError| -> anyhow::Error {
        match e {
            lists::ListError::Db(_) | lists::ListError::Sql(_) => e.into(),
            e => Usage(e.to_string()).into(),
        }
    };
    match action {
        ListAction::Ls => summaries(&lists::lists(lib)?, json),
        ListAction::Show { list } => show(&lists::page(lib, find_list(lib, &list)?)?, json),
        ListAction::New { name, ranking } => {
            let l = lists::create(lib, &name, ranking.into()).map_err(usage)?;
            done(json, &l, &format!("Created list {} ({})", l.name, l.id))
        }
        ListAction::Smart { name, query } => {
            let q = query.query()?.ok_or_else(|| {
                Usage("a smart list needs --tracks SEARCH or --albums SEARCH".into())
            })?;
            let l = lists::create_smart(lib, &name, &q).map_err(usage)?;
            done(
                json,
                &l,
                &format!("Created smart list {} ({})", l.name, l.id),
            )
        }
        ListAction::Rename { list, name } => {
            let change = ListChange {
                name: Some(name),
                ..ListChange::default()
            };
            let l = lists::update(lib, find_list(lib, &list)?, &change).map_err(usage)?;
            done(json, &l, &format!("Renamed to {}", l.name))
        }
        ListAction::Rank { list, ranking } => {
            let change = ListChange {
                ranking: Some(ranking.into()),
                ..ListChange::default()
            };
            let l = lists::update(lib, find_list(lib, &list)?, &change).map_err(usage)?;
            done(
                json,
                &l,
                &format!("{}: ranking {}", l.name, l.ranking.as_str()),
            )
        }
        ListAction::Note { list, text } => {
            let change = ListChange {
                note: Some(text_arg(text)?),
                ..ListChange::default()
            };
            let l = lists::update(lib, find_list(lib, &list)?, &change).map_err(usage)?;
            done(json, &l, &format!("Saved the note of {}", l.name))
        }
        ListAction::Dup { list } => {
            let l = lists::duplicate(lib, find_list(lib, &list)?).map_err(usage)?;
            done(json, &l, &format!("Created {} ({})", l.name, l.id))
        }
        ListAction::Rm { list } => {
            let id = find_list(lib, &list)?;
            lists::delete(lib, id).map_err(usage)?;
            done(json, &id, &format!("Deleted list {id}"))
        }
        ListAction::Add {
            list,
            what,
            before,
            note,
        } => {
            let id = find_list(lib, &list)?;
            let items = items(lib, &what, note.as_deref())?;
            let added = lists::add(lib, id, &items, before).map_err(usage)?;
            let skipped = items.len() - added.len();
            let msg = if skipped > 0 {
                format!("Added {} ({skipped} already in the list)", added.len())
            } else {
                format!("Added {}", added.len())
            };
            done(json, &added, &msg)
        }
        ListAction::Move {
            list,
            entries,
            before,
        } => {
            lists::move_entries(lib, find_list(lib, &list)?, &entries, before).map_err(usage)?;
            done(json, &entries, &format!("Moved {}", entries.len()))
        }
        ListAction::Remove { entries } => {
            lists::remove(lib, &entries).map_err(usage)?;
            done(json, &entries, &format!("Removed {}", entries.len()))
        }
        ListAction::EntryNote { entry, text } => {
            let e = lists::set_entry_note(lib, entry, &text_arg(text)?).map_err(usage)?;
            done(json, &e, "Saved the note")
        }
        ListAction::Want {
            entry,
            title,
            artist,
            year,
        } => {
            let e = lists::edit_placeholder(lib, entry, &title, artist.as_deref(), year)
                .map_err(usage)?;
            done(json, &e, &format!("Saved {}", e.title))
        }
        ListAction::Resolve {
            accept,
            decline,
            all,
        } => resolve(lib, accept, decline, all, json),
    }
}

fn items(lib: &Library, a: &AddArgs, note: Option<&str>) -> anyhow::Result<Vec<Item>> {
    let note = note.map(str::to_owned);
    let mut out: Vec<Item> = Vec::new();
    out.extend(a.albums.iter().map(|&id| Item::Album {
        id,
        note: note.clone(),
    }));
    out.extend(a.tracks.iter().map(|&id| Item::Track {
        id,
        note: note.clone(),
    }));
    if let Some(q) = &a.albums_of {
        let found = search::search_albums(lib, q, 100_000, 0)?;
        if found.is_empty() {
            return Err(Usage(format!("no album matches {q:?}")).into());
        }
        out.extend(found.iter().map(|x| Item::Album {
            id: x.id,
            note: note.clone(),
        }));
    }
    if let Some(q) = &a.tracks_of {
        let found = search::search_tracks(lib, q, 100_000, 0)?;
        if found.tracks.is_empty() {
            return Err(Usage(format!("no track matches {q:?}")).into());
        }
        out.extend(found.tracks.iter().map(|x| Item::Track {
            id: x.id,
            note: note.clone(),
        }));
    }
    if let Some(title) = &a.want {
        out.push(Item::Placeholder {
            title: title.clone(),
            artist: a.artist.clone(),
            year: a.year,
            note: note.clone(),
        });
    }
    if out.is_empty() {
        return Err(Usage(
            "say what to add: --album ID, --track ID, --albums-of SEARCH, --tracks-of SEARCH or --want TITLE"
                .into(),
        )
        .into());
    }
    Ok(out)
}

fn done<T: serde::Serialize + ?Sized>(json: bool, value: &T, text: &str) -> anyhow::Result<()> {
    if json {
        output::print_json(value)
    } else {
        println!("{text}");
        Ok(())
    }
}

fn summaries(all: &[lists::ListSummary], json: bool) -> anyhow::Result<()> {
    if json {
        return output::print_json(all);
    }
    if all.is_empty() {
        println!("No lists yet: make one with `cuebook list new NAME`");
    }
    for l in all {
        let what = if l.smart {
            "smart list".to_owned()
        } else if l.placeholders > 0 {
            format!("{} entries, {} wished for", l.entries, l.placeholders)
        } else {
            format!("{} entries", l.entries)
        };
        println!("{:>5}  {}  ({what})", l.id, l.name);
    }
    Ok(())
}

fn show(p: &ListPage, json: bool) -> anyhow::Result<()> {
    if json {
        return output::print_json(p);
    }
    println!("{}", p.list.name);
    if let Some(note) = &p.list.note {
        for line in note.lines() {
            println!("  {line}");
        }
    }
    if p.total > p.entries.len() {
        println!("  (showing {} of {})", p.entries.len(), p.total);
    }
    println!();
    for e in &p.entries {
        let rank = e
            .rank
            .map_or_else(|| "   ".to_owned(), |r| format!("{r:>2}."));
        let id = e.id.map_or_else(String::new, |id| format!("[{id}] "));
        let by = e
            .artist
            .as_deref()
            .map_or_else(String::new, |a| format!(" — {a}"));
        let year = e.year.map_or_else(String::new, |y| format!(" ({y})"));
        let status = match (e.kind, e.available) {
            (lists::EntryKind::Placeholder, _) => "  [wishlist]",
            (_, false) => "  [not in library]",
            _ => "",
        };
        let stars = e
            .rating
            .map_or_else(String::new, |r| format!("  {}", output::stars(r)));
        println!("{rank} {id}{}{by}{year}{stars}{status}", e.title);
        if let Some(note) = &e.note {
            for line in note.lines() {
                println!("      {line}");
            }
        }
    }
    Ok(())
}

fn resolve(
    lib: &Library,
    accept: Vec<(i64, i64)>,
    decline: Vec<(i64, i64)>,
    all: bool,
    json: bool,
) -> anyhow::Result<()> {
    let usage = |e: lists::ListError| -> anyhow::Error { Usage(e.to_string()).into() };
    let found = lists::resolutions(lib)?;
    let mut accept = accept;
    if all {
        // One album per placeholder: the best (the first offered).
        for r in &found {
            if !accept.iter().any(|(e, _)| *e == r.entry_id) {
                accept.push((r.entry_id, r.album_id));
            }
        }
    }
    for (entry, album) in &decline {
        lists::decline(lib, *entry, *album).map_err(usage)?;
    }
    for (entry, album) in &accept {
        lists::resolve(lib, *entry, *album).map_err(usage)?;
    }
    if !accept.is_empty() || !decline.is_empty() {
        let msg = format!("Resolved {}, declined {}", accept.len(), decline.len());
        return done(json, &accept, &msg);
    }
    if json {
        return output::print_json(&found);
    }
    if found.is_empty() {
        println!("No wishlist entry matches an album in the library.");
    }
    for r in &found {
        println!(
            "{}:{}  {:?} in {} → {}{}{} ({:.0}%)",
            r.entry_id,
            r.album_id,
            r.title,
            r.list_name,
            r.album_title,
            r.album_artist
                .as_deref()
                .map_or_else(String::new, |a| format!(" — {a}")),
            r.album_year.map_or_else(String::new, |y| format!(" ({y})")),
            r.confidence * 100.0
        );
    }
    if !found.is_empty() {
        println!("\nAccept with `cuebook list resolve --accept ENTRY:ALBUM` (or --all).");
    }
    Ok(())
}

/// A progress bar on stderr for an export or import; hidden when quiet.
fn transfer_bar(quiet: bool) -> Option<Arc<ProgressBar>> {
    if quiet {
        return None;
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr_with_hz(10));
    bar.set_style(
        ProgressStyle::with_template("{bar:40.cyan/blue} {pos}/{len} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("█▉▊▋▌▍▎▏ "),
    );
    bar.enable_steady_tick(Duration::from_millis(120));
    Some(Arc::new(bar))
}

fn show_progress(bar: &Option<Arc<ProgressBar>>, p: &Progress) {
    let Some(bar) = bar else { return };
    bar.set_length(p.total.max(1));
    bar.set_position(p.done);
    bar.set_message(match p.phase {
        "gathering" => "entries",
        "matching" => "entries matched",
        "writing" => "writing",
        _ => "",
    });
}

fn cancel_on_ctrl_c() -> Arc<AtomicBool> {
    let cancel = Arc::new(AtomicBool::new(false));
    let flag = cancel.clone();
    if let Err(e) = ctrlc::set_handler(move || flag.store(true, Ordering::Relaxed)) {
        eprintln!("cuebook: Ctrl-C will stop abruptly ({e})");
    }
    cancel
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// Where to write; the format follows the extension unless --format says
    file: PathBuf,
    /// A list, by id or name
    #[arg(long, value_name = "LIST", conflicts_with_all = ["catalog"])]
    list: Option<String>,
    #[command(flatten)]
    query: QueryArgs,
    /// Every album in the library
    #[arg(long)]
    catalog: bool,
    #[arg(long, value_enum)]
    format: Option<FormatArg>,
    /// CSV: start with a byte-order mark (for spreadsheets)
    #[arg(long)]
    bom: bool,
    /// M3U8: paths relative to the playlist's folder
    #[arg(long)]
    relative: bool,
    /// No progress bar
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Copy, Clone, Debug, ValueEnum)]
pub enum FormatArg {
    Markdown,
    Html,
    Csv,
    Json,
    M3u8,
    Xspf,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Markdown => Format::Markdown,
            FormatArg::Html => Format::Html,
            FormatArg::Csv => Format::Csv,
            FormatArg::Json => Format::Json,
            FormatArg::M3u8 => Format::M3u8,
            FormatArg::Xspf => Format::Xspf,
        }
    }
}

pub fn export(lib: &Library, a: ExportArgs, json: bool) -> anyhow::Result<()> {
    let format = match a.format {
        Some(f) => f.into(),
        None => Format::from_path(&a.file).ok_or_else(|| {
            Usage(format!(
                "{}: say --format (markdown, html, csv, json, m3u8, xspf) or use one of those extensions",
                a.file.display()
            ))
        })?,
    };
    let source = match (&a.list, a.query.query()?, a.catalog) {
        (Some(list), None, false) => Source::List {
            id: find_list(lib, list)?,
        },
        (None, Some(query), false) => Source::Query { query },
        (None, None, true) => Source::Catalog,
        _ => {
            return Err(Usage(
                "export one thing: --list LIST, --tracks SEARCH, --albums SEARCH or --catalog"
                    .into(),
            )
            .into())
        }
    };
    let options = ExportOptions {
        bom: a.bom,
        relative_paths: a.relative,
    };
    let bar = transfer_bar(a.quiet || json);
    let cancel = cancel_on_ctrl_c();
    let report = exchange::export(
        lib,
        &source,
        format,
        &a.file,
        options,
        &|p| show_progress(&bar, p),
        &cancel,
    );
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let report = report.map_err(|e| match e {
        lists::ListError::NoSuchList(_) | lists::ListError::Query(_) => Usage(e.to_string()).into(),
        e => anyhow::Error::from(e),
    })?;
    let msg = format!(
        "Exported {} entries ({} files) to {}",
        report.entries, report.files, report.path
    );
    done(json, &report, &msg)
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// An M3U/M3U8 or XSPF playlist, a CSV file, or a Cuebook list JSON export
    file: PathBuf,
    /// The new list's name (default: the file's title, else its name)
    #[arg(long)]
    name: Option<String>,
    /// CSV columns, e.g. `--map title=1,artist=2,year=4` (0-based; default: from the header)
    #[arg(long, value_name = "FIELD=COLUMN,…")]
    map: Option<String>,
    /// CSV: the first row is data, not a header (with --map)
    #[arg(long, requires = "map")]
    no_header: bool,
    /// No progress bar
    #[arg(long, short)]
    quiet: bool,
}

fn mapping(spec: &str, no_header: bool) -> anyhow::Result<CsvMapping> {
    let mut value = serde_json::Map::new();
    value.insert("has_header".into(), (!no_header).into());
    for part in spec.split(',').filter(|p| !p.trim().is_empty()) {
        let (field, col) = part
            .split_once('=')
            .ok_or_else(|| Usage(format!("--map {part:?}: expected FIELD=COLUMN")))?;
        let col: usize = col
            .trim()
            .parse()
            .map_err(|_| Usage(format!("--map {part:?}: the column is a number from 0")))?;
        value.insert(field.trim().to_ascii_lowercase(), col.into());
    }
    serde_json::from_value(serde_json::Value::Object(value)).map_err(|e| {
        Usage(format!(
            "--map: {e} (fields: rank, kind, title, artist, album, year, duration, rating, tags, note, path)"
        ))
        .into()
    })
}

pub fn import(lib: &Library, a: ImportArgs, json: bool) -> anyhow::Result<()> {
    let options = ImportOptions {
        name: a.name.clone(),
        mapping: a
            .map
            .as_deref()
            .map(|m| mapping(m, a.no_header))
            .transpose()?,
    };
    let bar = transfer_bar(a.quiet || json);
    let cancel = cancel_on_ctrl_c();
    let report = exchange::import(lib, &a.file, &options, &|p| show_progress(&bar, p), &cancel);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let report = report.map_err(|e| match e {
        lists::ListError::Import(..) | lists::ListError::Read(..) => Usage(e.to_string()).into(),
        e => anyhow::Error::from(e),
    })?;
    if json {
        return output::print_json(&report);
    }
    for w in &report.warnings {
        eprintln!("cuebook: {}: {w}", display(&a.file));
    }
    println!(
        "Imported {} as list {} ({}): {} albums, {} tracks, {} wishlist entries{}",
        display(&a.file),
        report.list.name,
        report.list.id,
        report.albums,
        report.tracks,
        report.placeholders,
        if report.duplicates > 0 {
            format!(", {} duplicates added once", report.duplicates)
        } else {
            String::new()
        }
    );
    Ok(())
}

fn display(p: &Path) -> String {
    p.display().to_string()
}
