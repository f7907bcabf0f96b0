//! Text and JSON output of the CLI, and the scan progress bar.

use std::sync::Arc;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;

use cuebook::catalog::{AlbumPage, ScanReport, Stats};
use cuebook::db::{albums::AlbumRow, problems::Problem, roots::Root, tracks::TrackRow};
use cuebook::events::{ScanPhase, ScanProgress};
use cuebook::search::TrackPage;

pub const SEARCH_HELP: &str = "\
Search language (cuebook ls / albums / show):

  amelie                    a word anywhere (accents and case ignored; the last word matches as a prefix)
  \"la valse\"                an exact phrase
  composer:zimmer           a field: composer, artist, album, work, title, label, catalog
  composer:\"hans zimmer\"    a field phrase
  year:1977                 a year; also ranges year:1970..1985, year:1990.., year:..1960
  format:flac               container or codec: mp3 flac ogg opus m4a aac alac wav aiff wv ape mpc
  kind:game                 the work's kind: film, game, tv
  missing:yes               files that vanished (missing:no for present ones)
  tag:favourite             carries a tag (itself, its album or its work); tag:\"film noir\"
  rating:>=4                rated 4 or 5 (its own rating, else its album's); rating:3, rating:2..4, rating:none
  note:brass                words in your notes and time-coded notes
  cue:1M1                   a cue number you set
  -word  -composer:x        leave out what matches

Everything you write must match (AND).
";

pub fn print_json<T: Serialize + ?Sized>(value: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

pub fn duration(ms: Option<i64>) -> String {
    match ms {
        Some(ms) if ms >= 3_600_000 => format!(
            "{}:{:02}:{:02}",
            ms / 3_600_000,
            ms / 60_000 % 60,
            ms / 1000 % 60
        ),
        Some(ms) => format!("{}:{:02}", ms / 60_000, ms / 1000 % 60),
        None => "--:--".into(),
    }
}

pub fn roots(roots: &[Root], json: bool, verb: &str) -> anyhow::Result<()> {
    if json {
        return print_json(roots);
    }
    if roots.is_empty() {
        println!("No library folders. Add one with `cuebook roots add FOLDER`.");
    }
    for r in roots {
        let state = match (r.offline_since, r.last_scan_at) {
            (Some(_), _) => "offline".to_string(),
            (None, None) => "not scanned yet".to_string(),
            (None, Some(_)) => format!("{} tracks, {} missing", r.tracks, r.missing),
        };
        let prefix = if verb.is_empty() {
            String::new()
        } else {
            format!("{verb} ")
        };
        println!("{prefix}{}  ({state})", r.path.display());
    }
    Ok(())
}

/// "230/s, 17s left  file.flac": the rate, the time left when known, and the file in hand.
pub fn progress_message(rate: &str, eta_secs: Option<f64>, current: Option<&str>) -> String {
    let eta = eta_secs
        .map(|s| format!(", {} left", duration(Some((s * 1000.0) as i64))))
        .unwrap_or_default();
    let current = current.and_then(|c| c.rsplit('/').next()).unwrap_or("");
    format!("{rate}{eta}  {current}")
}

/// The scan progress bar on stderr; hidden when quiet or when stderr is not a terminal.
#[derive(Clone)]
pub struct ScanBar(Option<Arc<ProgressBar>>);

impl ScanBar {
    pub fn new(quiet: bool) -> Self {
        if quiet {
            return Self(None);
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr_with_hz(10));
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.enable_steady_tick(Duration::from_millis(120));
        bar.set_message("looking for files…");
        Self(Some(Arc::new(bar)))
    }

    pub fn update(&self, p: &ScanProgress) {
        let Some(bar) = &self.0 else { return };
        match p.phase {
            ScanPhase::Walking => bar.set_message(format!("looking for files… {} found", p.seen)),
            ScanPhase::Reading => {
                if bar.length() != Some(p.to_read) {
                    bar.set_length(p.to_read);
                    bar.set_style(
                        ProgressStyle::with_template("{bar:40.cyan/blue} {pos}/{len} files  {msg}")
                            .unwrap_or_else(|_| ProgressStyle::default_bar())
                            .progress_chars("█▉▊▋▌▍▎▏ "),
                    );
                }
                bar.set_position(p.done);
                bar.set_message(progress_message(
                    &format!("{:.0}/s", p.rate),
                    p.eta_secs,
                    p.current.as_deref(),
                ));
            }
            ScanPhase::Finishing => bar.set_message("finishing…"),
            ScanPhase::Done => {}
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

pub fn scan_report(r: &ScanReport, json: bool) -> anyhow::Result<()> {
    if json {
        return print_json(r);
    }
    println!(
        "Scanned {} files in {:.1}s: {} new, {} changed, {} moved, {} unchanged, {} missing, {} back, {} problems",
        r.files_seen,
        r.elapsed_ms as f64 / 1000.0,
        r.added,
        r.updated,
        r.moved,
        r.unchanged,
        r.missing,
        r.returned,
        r.problems
    );
    for root in &r.roots_offline {
        println!("Offline (not reachable, left as it was): {root}");
    }
    if r.problems > 0 {
        println!("See `cuebook problems` for files that could not be read.");
    }
    if r.annotation_orphans > 0 {
        println!(
            "{} annotated item{} match nothing in the catalog now: see `cuebook orphans` and `cuebook relink`.",
            r.annotation_orphans,
            if r.annotation_orphans == 1 { "" } else { "s" }
        );
    }
    Ok(())
}

fn track_line(t: &TrackRow) -> String {
    let number = match (t.disc_no, t.track_no) {
        (Some(d), Some(n)) => format!("{d}-{n:02}"),
        (None, Some(n)) => format!("{n:02}"),
        _ => "  ".into(),
    };
    let artists = if t.artists.is_empty() {
        String::new()
    } else {
        format!(" — {}", t.artists.join(", "))
    };
    let missing = if t.missing_since.is_some() {
        " [missing]"
    } else {
        ""
    };
    let cue = t
        .cue
        .as_deref()
        .map(|c| format!("{c} "))
        .unwrap_or_default();
    let mut extra = String::new();
    if let Some(r) = t.rating {
        extra.push_str(&format!("  {}", stars(r)));
    }
    if !t.tags.is_empty() {
        extra.push_str(&format!("  #{}", t.tags.join(" #")));
    }
    format!(
        "{:>6}  {number:>5} {cue}{}{artists}  ({}, {}){missing}{extra}",
        t.id,
        t.title
            .clone()
            .unwrap_or_else(|| format!("[{}]", t.path.rsplit('/').next().unwrap_or(&t.path))),
        duration(t.duration_ms),
        t.format
    )
}

pub fn tracks(page: &TrackPage, json: bool) -> anyhow::Result<()> {
    if json {
        return print_json(page);
    }
    let mut album: Option<Option<i64>> = None;
    for t in &page.tracks {
        if album != Some(t.album_id) {
            album = Some(t.album_id);
            println!("{}", t.album.as_deref().unwrap_or("(no album)"));
        }
        println!("{}", track_line(t));
    }
    let shown = page.tracks.len() as i64;
    if shown < page.total {
        println!(
            "… {shown} of {} tracks shown (use --limit and --offset for more)",
            page.total
        );
    } else {
        println!(
            "{} track{}",
            page.total,
            if page.total == 1 { "" } else { "s" }
        );
    }
    Ok(())
}

pub fn albums(albums: &[AlbumRow], json: bool) -> anyhow::Result<()> {
    if json {
        return print_json(albums);
    }
    for a in albums {
        let year = a.year.map(|y| format!(" ({y})")).unwrap_or_default();
        let artist = a
            .album_artist
            .as_deref()
            .map(|x| format!(" — {x}"))
            .unwrap_or_default();
        let work = match (&a.work, &a.work_kind) {
            (Some(w), Some(k)) => format!("  [{k}: {w}]"),
            (Some(w), None) => format!("  [{w}]"),
            _ => String::new(),
        };
        let missing = if a.missing > 0 {
            format!(", {} missing", a.missing)
        } else {
            String::new()
        };
        println!(
            "{:>6}  {}{year}{artist}{work}  {} tracks{missing}",
            a.id, a.title, a.tracks
        );
    }
    println!(
        "{} album{}",
        albums.len(),
        if albums.len() == 1 { "" } else { "s" }
    );
    Ok(())
}

pub fn album_page(p: &AlbumPage, json: bool) -> anyhow::Result<()> {
    if json {
        return print_json(p);
    }
    let a = &p.album;
    println!("{}", a.row.title);
    let field = |name: &str, value: Option<String>| {
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            println!("  {name:<14}{v}");
        }
    };
    field(
        "Work",
        a.row.work.as_ref().map(|w| {
            let year = a.work_year.map(|y| format!(" ({y})")).unwrap_or_default();
            let kind = a
                .row
                .work_kind
                .as_deref()
                .map(|k| format!(", {k}"))
                .unwrap_or_default();
            format!("{w}{year}{kind}")
        }),
    );
    field("Album artist", a.row.album_artist.clone());
    field("Composer", Some(p.composers.join(", ")));
    field("Conductor", Some(p.conductors.join(", ")));
    field("Orchestrator", Some(p.orchestrators.join(", ")));
    field("Year", a.row.year.map(|y| y.to_string()));
    field("Original year", a.original_year.map(|y| y.to_string()));
    field("Label", a.row.label.clone());
    field("Catalog no.", Some(a.catalog_numbers.join(", ")));
    field("Barcode", a.barcode.clone());
    field("Edition", a.edition.clone());
    field("Release", a.release_kind.clone().or(a.release_type.clone()));
    let n = &p.annotations;
    field(
        "Limited to",
        n.fields.limited_to.map(|c| format!("{c} copies")),
    );
    field("Rating", n.rating.map(stars));
    field(
        "Tags",
        Some(
            n.tags
                .iter()
                .map(|t| t.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        ),
    );
    field("Folder", a.folder.clone());
    field("Cover", a.row.cover_hash.clone());
    println!(
        "  {:<14}{} tracks, {}",
        "Length",
        a.row.tracks,
        duration(Some(a.row.duration_ms))
    );
    let multi_disc = p.tracks.iter().filter_map(|t| t.disc_no).max().unwrap_or(1) > 1;
    let mut disc = None;
    for t in &p.tracks {
        if multi_disc && disc != Some(t.disc_no) {
            disc = Some(t.disc_no);
            println!("  Disc {}", t.disc_no.unwrap_or(1));
        }
        println!("{}", track_line(t));
    }
    if let Some(note) = &n.note {
        println!("\n{note}");
    }
    Ok(())
}

/// `★★★☆☆`
pub fn stars(rating: u8) -> String {
    let r = usize::from(rating.min(5));
    format!("{}{}", "★".repeat(r), "☆".repeat(5 - r))
}

pub fn tags(tags: &[cuebook::db::tags::TagCount], json: bool) -> anyhow::Result<()> {
    if json {
        return print_json(tags);
    }
    if tags.is_empty() {
        println!("No tags yet: `cuebook tag add NAME --album ID` creates one.");
        return Ok(());
    }
    for t in tags {
        let color = t
            .color
            .as_deref()
            .map(|c| format!(" {c}"))
            .unwrap_or_default();
        println!(
            "{:<30}{color}  {} albums, {} tracks, {} works",
            t.name, t.albums, t.tracks, t.works
        );
    }
    Ok(())
}

pub fn annotations(a: &cuebook::annotate::Annotations, json: bool) -> anyhow::Result<()> {
    if json {
        return print_json(a);
    }
    if let Some(r) = a.rating {
        println!("Rating: {}", stars(r));
    }
    if !a.tags.is_empty() {
        let names: Vec<&str> = a.tags.iter().map(|t| t.name.as_str()).collect();
        println!("Tags: {}", names.join(", "));
    }
    match &a.note {
        Some(note) => println!("{note}"),
        None => println!("(no note)"),
    }
    for c in &a.cue_notes {
        println!(
            "  {:>8}  {}  (id {})",
            duration(Some(c.at_ms)),
            c.text,
            c.id
        );
    }
    Ok(())
}

pub fn fields(f: &cuebook::annotate::Fields, json: bool) -> anyhow::Result<()> {
    if json {
        return print_json(f);
    }
    let mut any = false;
    for name in cuebook::annotate::fields::FIELD_NAMES {
        if let Some(v) = f.get(name) {
            println!("{name:<16}{v}");
            any = true;
        }
    }
    if !any {
        println!("No field is overridden: the tags' values show.");
    }
    Ok(())
}

pub fn orphans(orphans: &[cuebook::annotate::Orphan], json: bool) -> anyhow::Result<()> {
    if json {
        return print_json(orphans);
    }
    if orphans.is_empty() {
        println!("Every annotation is attached to its album, track or work.");
        return Ok(());
    }
    for o in orphans {
        let mut what = Vec::new();
        if let Some(r) = o.rating {
            what.push(stars(r));
        }
        if o.has_note {
            what.push("note".into());
        }
        if o.cue_notes > 0 {
            what.push(format!("{} time-coded notes", o.cue_notes));
        }
        if o.has_fields {
            what.push("fields".into());
        }
        if !o.tags.is_empty() {
            what.push(format!("#{}", o.tags.join(" #")));
        }
        println!(
            "{:>6}  {:<6} {}  [{}]",
            o.subject_id,
            o.kind.as_str(),
            o.was,
            what.join(", ")
        );
    }
    println!(
        "{} orphaned annotation{}. They come back when their files are scanned again; `cuebook relink` proposes matches, `cuebook forget ID` drops one.",
        orphans.len(),
        if orphans.len() == 1 { "" } else { "s" }
    );
    Ok(())
}

pub fn proposals(p: &[cuebook::annotate::Proposal], json: bool) -> anyhow::Result<()> {
    if json {
        return print_json(p);
    }
    if p.is_empty() {
        println!("Nothing to relink.");
        return Ok(());
    }
    for x in p {
        println!(
            "{:>6}  {}\n        → {}  ({})",
            x.subject_id, x.was, x.to_label, x.reason
        );
    }
    println!("Accept with `cuebook relink --accept ID` (or --all).");
    Ok(())
}

pub fn restore_report(
    r: &cuebook::annotate::backup::RestoreReport,
    json: bool,
) -> anyhow::Result<()> {
    if json {
        return print_json(r);
    }
    println!(
        "Restored: {} new, {} updated, {} time-coded notes added, {} new tags",
        r.subjects_created, r.subjects_updated, r.cue_notes_added, r.tags_created
    );
    if r.orphans > 0 {
        println!(
            "{} annotations wait for their files (they attach when a scan finds them; see `cuebook orphans`).",
            r.orphans
        );
    }
    if !r.skipped.is_empty() {
        println!("{} entries skipped (see above).", r.skipped.len());
    }
    Ok(())
}

pub fn writeback_plan(plan: &[cuebook::annotate::WritebackFile], json: bool) -> anyhow::Result<()> {
    if json {
        return print_json(plan);
    }
    if plan.is_empty() {
        println!("The files already hold these values: nothing to write.");
        return Ok(());
    }
    for f in plan {
        println!("{}", f.path);
        for c in &f.changes {
            let show = |v: &[String]| {
                if v.is_empty() {
                    "(none)".to_string()
                } else {
                    v.join("; ")
                }
            };
            println!(
                "  {:<16}{} → {}",
                format!("{:?}", c.field),
                show(&c.old),
                show(&c.new)
            );
        }
    }
    println!("Only these fields change; the audio is not touched.");
    Ok(())
}

pub fn problems(problems: &[Problem], json: bool) -> anyhow::Result<()> {
    if json {
        return print_json(problems);
    }
    for p in problems {
        println!("{}\n    {}", p.path, p.reason);
    }
    println!(
        "{} file{} could not be cataloged",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    );
    Ok(())
}

pub fn stats(s: &Stats, json: bool) -> anyhow::Result<()> {
    if json {
        return print_json(s);
    }
    let t = &s.totals;
    println!(
        "{} tracks ({} missing) on {} albums of {} works by {} composers; {} of music, {:.1} GB; {} covers; {} problems",
        t.tracks,
        t.missing,
        t.albums,
        t.works,
        t.composers,
        duration(Some(t.duration_ms)),
        t.bytes as f64 / 1e9,
        t.covers,
        t.problems
    );
    let section = |title: &str, rows: &[cuebook::db::stats::Count]| {
        println!("\n{title}");
        let max = rows.iter().map(|r| r.tracks).max().unwrap_or(1).max(1);
        for r in rows {
            let bar = "█".repeat(((r.tracks * 30) / max) as usize);
            println!(
                "  {:<28} {:>7} tracks {:>6} albums  {bar}",
                r.key, r.tracks, r.albums
            );
        }
    };
    section("By format", &s.formats);
    section("By decade", &s.decades);
    section("By composer", &s.composers);
    section("By label", &s.labels);
    Ok(())
}
