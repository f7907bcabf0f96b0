//! `article`: articles from the command line (import a file, URL or pasted text, read it, review
//! its links to the collection, see where an album is mentioned, turn a ranked article into a
//! list), a few lines each over `cuebook::articles`.

use std::io::Read;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use clap::{ArgGroup, Args, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;

use cuebook::articles::{
    self, fetch, ArticleSummary, ArticleView, ArticlesError, Decision, Imported, LinkView,
    MentionedIn, Source, Subject,
};
use cuebook::lists::{self, EntryKind};
use cuebook::Library;

use super::{output, Usage};

#[derive(Subcommand)]
pub enum ArticleAction {
    /// Import articles from files, web addresses or standard input and link them
    ///
    /// Each FILE|URL|- is imported on its own: one that fails is reported by name and the others
    /// still import. Importing the same file, address or text again updates that article and
    /// keeps your decisions, tags, rating and note.
    Import {
        /// A Markdown, HTML or text file, an http(s):// address, or `-` (standard input)
        #[arg(required = true, value_name = "FILE|URL|-")]
        sources: Vec<String>,
        /// No spinner
        #[arg(long, short)]
        quiet: bool,
    },
    /// Every article, or those a search finds, with their link counts
    ///
    /// Newest first; with a search, the articles whose title, author, keywords, text or note
    /// hold every word of it, best first.
    Ls { search: Vec<String> },
    /// An article's details, tags, rating, note and links (and text with --text)
    Show {
        /// An article id (see `cuebook article ls`)
        id: i64,
        /// Also print the article's text
        #[arg(long)]
        text: bool,
    },
    /// List an article's links, or confirm, reject or undecide them
    ///
    /// Links point from the article to albums, tracks, people and labels of the collection.
    /// Without options, lists them. Decisions by link id come first, then --confirm-above, then
    /// --reject-above on the suggestions still waiting. Confirmed links show on what they link
    /// to (`cuebook article mentions`); detection never changes a decided link.
    Links {
        /// An article id (see `cuebook article ls`)
        id: i64,
        /// Confirm these links (ids from `cuebook article show`)
        #[arg(long, value_name = "LINK", num_args = 1..)]
        confirm: Vec<i64>,
        /// Reject these links
        #[arg(long, value_name = "LINK", num_args = 1..)]
        reject: Vec<i64>,
        /// Make these links suggestions again
        #[arg(long, value_name = "LINK", num_args = 1..)]
        undecide: Vec<i64>,
        /// Confirm every waiting suggestion at or above this confidence (0–100 %)
        #[arg(long, value_name = "PCT", value_parser = parse_percent)]
        confirm_above: Option<f64>,
        /// Reject every waiting suggestion at or above this confidence (0–100 %)
        #[arg(long, value_name = "PCT", value_parser = parse_percent)]
        reject_above: Option<f64>,
    },
    /// Look for mentions again, in some articles or all of them
    ///
    /// Useful after the library changed. Suggestions are refreshed; confirmed and rejected links
    /// stay as they are.
    Detect {
        /// Article ids (default: every article)
        ids: Vec<i64>,
        /// No spinner
        #[arg(long, short)]
        quiet: bool,
    },
    /// Make a list from a ranked article
    ///
    /// A ranked article counts its entries up or down ("12. Spirited Away … 1. …"). The list
    /// keeps the article's order and numbering; an entry naming an owned album links to it,
    /// the others become wishlist entries, each with its paragraph as the note.
    ToList {
        /// An article id (see `cuebook article ls`)
        id: i64,
        /// The list's name (default: the article's title)
        #[arg(long)]
        name: Option<String>,
    },
    /// Articles with a confirmed link to an album, a track, a person or a label
    Mentions(MentionArgs),
    /// Rate an article 0–5 (`none` clears)
    Rate {
        /// An article id (see `cuebook article ls`)
        id: i64,
        /// 0 to 5, or none
        rating: String,
    },
    /// Set an article's Markdown note (`-` reads standard input; "" removes it)
    Note {
        /// An article id (see `cuebook article ls`)
        id: i64,
        text: String,
    },
    /// Tag an article (new tags are created)
    Tag {
        /// An article id (see `cuebook article ls`)
        id: i64,
        #[arg(required = true, value_name = "NAME")]
        names: Vec<String>,
    },
    /// Remove tags from an article
    Untag {
        /// An article id (see `cuebook article ls`)
        id: i64,
        #[arg(required = true, value_name = "NAME")]
        names: Vec<String>,
    },
    /// Delete an article and its links (the albums and tracks keep their annotations)
    Rm {
        /// An article id (see `cuebook article ls`)
        id: i64,
    },
}

/// What "mentioned in" is asked about: exactly one.
#[derive(Args, Debug)]
#[command(group(ArgGroup::new("subject").required(true).multiple(false)))]
pub struct MentionArgs {
    /// An album, by id (see `cuebook albums`)
    #[arg(long, value_name = "ID", group = "subject")]
    album: Option<i64>,
    /// A track, by id (see `cuebook ls`)
    #[arg(long, value_name = "ID", group = "subject")]
    track: Option<i64>,
    /// A composer, conductor, performer or other person, by name
    #[arg(long, value_name = "NAME", group = "subject")]
    person: Option<String>,
    /// A record label, by name
    #[arg(long, value_name = "NAME", group = "subject")]
    label: Option<String>,
}

impl MentionArgs {
    fn subject(self) -> Subject {
        match (self.album, self.track, self.person, self.label) {
            (Some(id), ..) => Subject::Album { id },
            (_, Some(id), ..) => Subject::Track { id },
            (_, _, Some(name), _) => Subject::Person { name },
            (_, _, _, Some(name)) => Subject::Label { name },
            // clap's required group guarantees one of the four.
            (None, None, None, None) => unreachable!("the subject group is required"),
        }
    }
}

fn parse_percent(s: &str) -> Result<f64, String> {
    let v: f64 = s
        .trim()
        .trim_end_matches('%')
        .parse()
        .map_err(|_| format!("{s:?} is not a percentage (0 to 100)"))?;
    if (0.0..=100.0).contains(&v) {
        Ok(v / 100.0)
    } else {
        Err(format!("{s} is not between 0 and 100"))
    }
}

/// Mistakes the user can fix (a wrong id, a missing or binary file, a page that is not there, a
/// rating out of range) exit with 2; a catalog that cannot be read or written, or a network
/// failure, exits with 1.
fn usage(e: ArticlesError) -> anyhow::Error {
    if is_usage(&e) {
        Usage(e.to_string()).into()
    } else {
        e.into()
    }
}

fn is_usage(e: &ArticlesError) -> bool {
    matches!(
        e,
        ArticlesError::Read(_)
            | ArticlesError::Io { .. }
            | ArticlesError::Empty(_)
            | ArticlesError::Fetch(
                fetch::FetchError::NotWeb { .. }
                    | fetch::FetchError::Status { .. }
                    | fetch::FetchError::NotText { .. }
                    | fetch::FetchError::TooLarge { .. }
            )
            | ArticlesError::NoSuchArticle(_)
            | ArticlesError::NoSuchLink(_)
            | ArticlesError::NotRanked(_)
            | ArticlesError::Annotate(_)
            | ArticlesError::BadRating(_)
            | ArticlesError::NoteTooLong { .. }
    )
}

pub fn article(lib: &Library, action: ArticleAction, json: bool) -> anyhow::Result<()> {
    match action {
        ArticleAction::Import { sources, quiet } => import(lib, &sources, quiet || json, json),
        ArticleAction::Ls { search } => {
            let search = search.join(" ");
            let query = Some(search.as_str()).filter(|q| !q.trim().is_empty());
            summaries(&articles::list(lib, query)?, query.is_some(), json)
        }
        ArticleAction::Show { id, text } => {
            show(&articles::get(lib, id).map_err(usage)?, text, json)
        }
        ArticleAction::Links {
            id,
            confirm,
            reject,
            undecide,
            confirm_above,
            reject_above,
        } => {
            let decisions = Decisions {
                by_id: [
                    (Decision::Confirm, confirm),
                    (Decision::Reject, reject),
                    (Decision::Undecide, undecide),
                ],
                confirm_above,
                reject_above,
            };
            links(lib, id, decisions, json)
        }
        ArticleAction::Detect { ids, quiet } => detect(lib, &ids, quiet || json, json),
        ArticleAction::ToList { id, name } => to_list(lib, id, name.as_deref(), json),
        ArticleAction::Mentions(args) => mentions(lib, args.subject(), json),
        ArticleAction::Rate { id, rating } => {
            let value = match rating.trim() {
                "none" | "clear" | "-" => None,
                r => Some(
                    r.parse::<i64>()
                        .map_err(|_| Usage(format!("rating {r:?}: expected 0 to 5, or none")))?,
                ),
            };
            articles::rate(lib, id, value).map_err(usage)?;
            let msg = match value {
                Some(v) => format!("Rated article {id} {v}/5"),
                None => format!("Cleared the rating of article {id}"),
            };
            done(json, &value, &msg)
        }
        ArticleAction::Note { id, text } => {
            let text = if text == "-" {
                let mut s = String::new();
                std::io::stdin().read_to_string(&mut s)?;
                s
            } else {
                text
            };
            let html = articles::set_note(lib, id, &text).map_err(usage)?;
            let msg = if html.is_some() {
                format!("Saved the note of article {id}")
            } else {
                format!("Removed the note of article {id}")
            };
            done(json, &html, &msg)
        }
        ArticleAction::Tag { id, names } => {
            articles::tag(lib, id, &names).map_err(usage)?;
            done(
                json,
                &names,
                &format!("Tagged article {id}: {}", hashed(&names)),
            )
        }
        ArticleAction::Untag { id, names } => {
            articles::untag(lib, id, &names).map_err(usage)?;
            done(
                json,
                &names,
                &format!("Untagged article {id}: {}", hashed(&names)),
            )
        }
        ArticleAction::Rm { id } => {
            articles::delete(lib, id).map_err(usage)?;
            done(json, &id, &format!("Deleted article {id}"))
        }
    }
}

fn hashed(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("#{}", n.trim()))
        .collect::<Vec<_>>()
        .join(" ")
}

fn done<T: Serialize + ?Sized>(json: bool, value: &T, text: &str) -> anyhow::Result<()> {
    if json {
        output::print_json(value)
    } else {
        println!("{text}");
        Ok(())
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A spinner on stderr for work that may take more than a second; `None` when quiet. indicatif
/// draws nothing when stderr is not a terminal.
fn spinner(quiet: bool) -> Option<ProgressBar> {
    if quiet {
        return None;
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr_with_hz(10));
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(Duration::from_millis(120));
    Some(bar)
}

fn cancel_on_ctrl_c() -> Arc<AtomicBool> {
    let cancel = Arc::new(AtomicBool::new(false));
    let flag = cancel.clone();
    if let Err(e) = ctrlc::set_handler(move || flag.store(true, Ordering::Relaxed)) {
        eprintln!("cuebook: Ctrl-C will stop abruptly ({e})");
    }
    cancel
}

/// One input of `article import`, as the user wrote it.
enum Input<'a> {
    Stdin,
    File(&'a Path),
    Url(&'a str),
}

/// `-` is standard input; an existing file is a file even if its name looks like an address;
/// anything with a scheme (`https://`, `ftp://`) is an address, refused by the fetch when it is
/// not a web one; the rest is a file, which the import reports missing.
fn input(arg: &str) -> Input<'_> {
    let path = Path::new(arg);
    if arg == "-" {
        Input::Stdin
    } else if path.exists() {
        Input::File(path)
    } else if fetch::is_web_url(arg) || arg.contains("://") {
        Input::Url(arg)
    } else {
        Input::File(path)
    }
}

#[derive(Serialize)]
struct Failed {
    source: String,
    error: String,
}

#[derive(Serialize)]
struct ImportReport {
    imported: Vec<Imported>,
    failed: Vec<Failed>,
}

fn import(lib: &Library, sources: &[String], quiet: bool, json: bool) -> anyhow::Result<()> {
    if sources.iter().filter(|s| *s == "-").count() > 1 {
        return Err(Usage("standard input (`-`) can be imported only once".into()).into());
    }
    // Read before Ctrl-C is caught, so that Ctrl-C still ends typing into the terminal.
    let mut stdin = sources.iter().any(|s| s == "-").then(|| {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).map(|_| text)
    });
    let cancel = cancel_on_ctrl_c();
    let mut report = ImportReport {
        imported: Vec::new(),
        failed: Vec::new(),
    };
    let mut storage_failed = false;
    for arg in sources {
        if cancel.load(Ordering::Relaxed) {
            report.failed.push(Failed {
                source: arg.clone(),
                error: "cancelled".into(),
            });
            continue;
        }
        let bar = spinner(quiet);
        let result = match input(arg) {
            Input::Stdin => match stdin.take() {
                Some(Ok(text)) => {
                    if let Some(b) = &bar {
                        b.set_message("importing standard input…");
                    }
                    articles::import(
                        lib,
                        Source::Text {
                            text: &text,
                            name: "stdin",
                        },
                        &cancel,
                    )
                }
                Some(Err(error)) => Err(ArticlesError::Io {
                    path: "standard input".into(),
                    error,
                }),
                None => unreachable!("standard input is read once, before the loop"),
            },
            Input::File(path) => {
                if let Some(b) = &bar {
                    b.set_message(format!("importing {arg}…"));
                }
                articles::import(lib, Source::File(path), &cancel)
            }
            Input::Url(url) => {
                if let Some(b) = &bar {
                    b.set_message(format!("fetching {url}… (Ctrl-C cancels)"));
                }
                articles::import(lib, Source::Url(url), &cancel)
            }
        };
        if let Some(b) = bar {
            b.finish_and_clear();
        }
        match result {
            Ok(imported) => {
                if !json {
                    print_imported(&imported);
                }
                report.imported.push(imported);
            }
            Err(e) if sources.len() == 1 && !json => return Err(usage(e)),
            Err(e) => {
                storage_failed |= !is_usage(&e);
                let message = e.to_string();
                let named = if arg == "-" {
                    "standard input"
                } else {
                    arg.as_str()
                };
                // Most messages name the source already; say it once.
                if message.contains(named) {
                    eprintln!("cuebook: {message}");
                } else {
                    eprintln!("cuebook: {named}: {message}");
                }
                report.failed.push(Failed {
                    source: arg.clone(),
                    error: message,
                });
            }
        }
    }
    if json {
        output::print_json(&report)?;
    }
    if report.failed.is_empty() {
        return Ok(());
    }
    let summary = format!(
        "{} of {} could not be imported",
        report.failed.len(),
        plural(sources.len(), "source", "sources")
    );
    if storage_failed {
        Err(anyhow::anyhow!(summary))
    } else {
        Err(Usage(summary).into())
    }
}

fn print_imported(i: &Imported) {
    let verb = if i.created { "Created" } else { "Updated" };
    println!("{verb} article {}: {}", i.id, i.title);
    if i.suggestions > 0 {
        println!(
            "  {} waiting: review with `cuebook article show {}`",
            plural(i.suggestions, "suggestion", "suggestions"),
            i.id
        );
    } else {
        println!("  No suggestions waiting");
    }
    if let Some(n) = i.ranked_entries {
        println!(
            "  A ranked list of {}: make it a list with `cuebook article to-list {}`",
            plural(n, "entry", "entries"),
            i.id
        );
    }
}

fn summaries(all: &[ArticleSummary], searched: bool, json: bool) -> anyhow::Result<()> {
    if json {
        return output::print_json(all);
    }
    if all.is_empty() {
        if searched {
            println!("No article matches.");
        } else {
            println!("No articles yet: add one with `cuebook article import FILE|URL|-`");
        }
        return Ok(());
    }
    for a in all {
        let by = a
            .author
            .as_deref()
            .map_or_else(String::new, |x| format!(" — {x}"));
        let date = a
            .published
            .as_deref()
            .map_or_else(String::new, |d| format!(" ({d})"));
        let stars = a.rating.map_or_else(String::new, |r| {
            format!("  {}", output::stars(rating_u8(r)))
        });
        println!(
            "{:>5}  {}{by}{date}{stars}  [{} confirmed, {} suggested]",
            a.id, a.title, a.confirmed, a.suggested
        );
    }
    Ok(())
}

fn rating_u8(r: i64) -> u8 {
    u8::try_from(r.clamp(0, 5)).unwrap_or(0)
}

fn show(v: &ArticleView, text: bool, json: bool) -> anyhow::Result<()> {
    if json {
        return output::print_json(v);
    }
    println!("{}", v.title);
    let field = |name: &str, value: Option<String>| {
        if let Some(value) = value.filter(|x| !x.is_empty()) {
            println!("  {name:<12}{value}");
        }
    };
    field("Id", Some(v.id.to_string()));
    field("Author", v.author.clone());
    field("Published", v.published.clone());
    field("Updated", v.updated.clone());
    field(
        "Source",
        Some(
            v.url
                .clone()
                .or_else(|| v.file_name.clone())
                .unwrap_or_else(|| "pasted text".into()),
        ),
    );
    field(
        "Format",
        Some(format!(
            "{}, {} words",
            v.format,
            v.body.split_whitespace().count()
        )),
    );
    field("Imported", Some(utc_date(v.imported_at)));
    field("Category", v.category.clone());
    field("Keywords", Some(v.keywords.join(", ")));
    field("Description", v.description.clone());
    field("Rating", v.rating.map(|r| output::stars(rating_u8(r))));
    field(
        "Tags",
        Some(
            v.tags
                .iter()
                .map(|t| format!("#{}", t.name))
                .collect::<Vec<_>>()
                .join(" "),
        ),
    );
    if let Some(r) = &v.ranked {
        let owned = r.entries.iter().filter(|e| e.album_id.is_some()).count();
        field(
            "Ranked",
            Some(format!(
                "{}, {}, {owned} owned (`cuebook article to-list {}`)",
                plural(r.entries.len(), "entry", "entries"),
                r.order,
                v.id
            )),
        );
    }
    if let Some(note) = &v.note {
        println!("  Note");
        for line in note.lines() {
            println!("    {line}");
        }
    }
    println!();
    link_table(&v.links);
    if text {
        println!();
        print_text(v);
    }
    Ok(())
}

fn link_table(links: &[LinkView]) {
    if links.is_empty() {
        println!("No links to the collection.");
        return;
    }
    let count = |s: &str| links.iter().filter(|l| l.status == s).count();
    println!(
        "Links: {} confirmed, {} suggested, {} rejected",
        count("confirmed"),
        count("suggested"),
        count("rejected")
    );
    const MAX_LABEL: usize = 60;
    let width = links
        .iter()
        .map(|l| l.label.chars().count())
        .max()
        .unwrap_or(0)
        .clamp(5, MAX_LABEL);
    println!(
        "{:>6}  {:<9}  {:<6}  {:<width$}  {:>4}  REASON",
        "ID", "STATUS", "KIND", "LABEL", "CONF"
    );
    for l in links {
        let gone = if l.found {
            ""
        } else {
            " (not found in the text now)"
        };
        println!(
            "{:>6}  {:<9}  {:<6}  {:<width$}  {:>3.0}%  {}{gone}",
            l.id,
            l.status,
            l.kind,
            l.label,
            l.confidence * 100.0,
            l.reason
        );
    }
}

/// The readable text, block by block: headings with `#`, numbered items, quotes with `>`.
fn print_text(v: &ArticleView) {
    for (i, b) in v.blocks.iter().enumerate() {
        let Some(text) = v.body.get(b.start..b.end) else {
            continue;
        };
        if i > 0 {
            println!();
        }
        match b.kind {
            "heading" => println!("{} {text}", "#".repeat(usize::from(b.level.unwrap_or(2)))),
            "item" => match b.ordinal {
                Some(n) => println!("{n}. {text}"),
                None => println!("- {text}"),
            },
            "quote" => println!("> {text}"),
            _ => println!("{text}"),
        }
    }
}

/// `YYYY-MM-DD` (UTC) of a Unix time in seconds.
fn utc_date(secs: i64) -> String {
    // Howard Hinnant's civil_from_days.
    let z = secs.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

struct Decisions {
    by_id: [(Decision, Vec<i64>); 3],
    confirm_above: Option<f64>,
    reject_above: Option<f64>,
}

#[derive(Serialize)]
struct Decided {
    confirmed: usize,
    rejected: usize,
    undecided: usize,
    waiting: usize,
}

fn links(lib: &Library, id: i64, d: Decisions, json: bool) -> anyhow::Result<()> {
    let view = articles::get(lib, id).map_err(usage)?;
    let nothing = d.by_id.iter().all(|(_, ids)| ids.is_empty())
        && d.confirm_above.is_none()
        && d.reject_above.is_none();
    if nothing {
        if json {
            return output::print_json(&view.links);
        }
        link_table(&view.links);
        return Ok(());
    }
    // `decide` takes any link id; a link of another article is almost surely a typo here.
    for (_, ids) in &d.by_id {
        if let Some(stray) = ids.iter().find(|l| !view.links.iter().any(|x| x.id == **l)) {
            return Err(Usage(format!(
                "link {stray} is not a link of article {id} (see `cuebook article links {id}`)"
            ))
            .into());
        }
    }
    let mut decided = Decided {
        confirmed: 0,
        rejected: 0,
        undecided: 0,
        waiting: 0,
    };
    for (decision, ids) in &d.by_id {
        if ids.is_empty() {
            continue;
        }
        articles::decide(lib, ids, *decision).map_err(usage)?;
        *tally(&mut decided, *decision) += ids.len();
    }
    for (decision, min) in [
        (Decision::Confirm, d.confirm_above),
        (Decision::Reject, d.reject_above),
    ] {
        if let Some(min) = min {
            *tally(&mut decided, decision) +=
                articles::decide_above(lib, id, min, decision).map_err(usage)?;
        }
    }
    let after = articles::get(lib, id).map_err(usage)?;
    decided.waiting = after
        .links
        .iter()
        .filter(|l| l.status == "suggested" && l.found)
        .count();
    if json {
        return output::print_json(&decided);
    }
    let mut parts = Vec::new();
    for (n, word) in [
        (decided.confirmed, "confirmed"),
        (decided.rejected, "rejected"),
        (decided.undecided, "made suggestions again"),
    ] {
        if n > 0 {
            parts.push(format!("{n} {word}"));
        }
    }
    if parts.is_empty() {
        parts.push("no link changed".into());
    }
    println!(
        "Article {id}: {}; {} waiting",
        parts.join(", "),
        plural(decided.waiting, "suggestion", "suggestions")
    );
    Ok(())
}

fn tally(d: &mut Decided, decision: Decision) -> &mut usize {
    match decision {
        Decision::Confirm => &mut d.confirmed,
        Decision::Reject => &mut d.rejected,
        Decision::Undecide => &mut d.undecided,
    }
}

#[derive(Serialize)]
struct Detected {
    id: Option<i64>,
    waiting: usize,
}

fn detect(lib: &Library, ids: &[i64], quiet: bool, json: bool) -> anyhow::Result<()> {
    let bar = spinner(quiet);
    let mut out = Vec::new();
    let result = (|| -> anyhow::Result<()> {
        if ids.is_empty() {
            if let Some(b) = &bar {
                b.set_message("looking for mentions in every article…");
            }
            out.push(Detected {
                id: None,
                waiting: articles::detect_all(lib).map_err(usage)?,
            });
        }
        for &id in ids {
            if let Some(b) = &bar {
                b.set_message(format!("looking for mentions in article {id}…"));
            }
            out.push(Detected {
                id: Some(id),
                waiting: articles::detect_again(lib, id).map_err(usage)?,
            });
        }
        Ok(())
    })();
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    result?;
    if json {
        return output::print_json(&out);
    }
    for d in &out {
        let waiting = plural(d.waiting, "suggestion", "suggestions");
        match d.id {
            Some(id) => println!("Article {id}: {waiting} waiting"),
            None => println!("Every article looked at again: {waiting} waiting"),
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct Made {
    list_id: i64,
    name: String,
    entries: usize,
    owned: usize,
    wishlist: usize,
}

fn to_list(lib: &Library, id: i64, name: Option<&str>, json: bool) -> anyhow::Result<()> {
    let list = articles::to_list(lib, id, name).map_err(usage)?;
    let page = lists::page(lib, list)?;
    let wishlist = page
        .entries
        .iter()
        .filter(|e| e.kind == EntryKind::Placeholder)
        .count();
    let made = Made {
        list_id: list,
        name: page.list.name.clone(),
        entries: page.entries.len(),
        owned: page.entries.len() - wishlist,
        wishlist,
    };
    if json {
        return output::print_json(&made);
    }
    println!(
        "Created list {} ({}): {}, {} owned, {} on the wishlist",
        made.name,
        made.list_id,
        plural(made.entries, "entry", "entries"),
        made.owned,
        made.wishlist
    );
    println!("  See it with `cuebook list show {}`", made.list_id);
    Ok(())
}

fn mentions(lib: &Library, subject: Subject, json: bool) -> anyhow::Result<()> {
    let found = articles::mentioned_in(lib, &subject).map_err(usage)?;
    if json {
        return output::print_json(&found);
    }
    if found.is_empty() {
        let what = match &subject {
            Subject::Album { id } => format!("album {id}"),
            Subject::Track { id } => format!("track {id}"),
            Subject::Person { name } | Subject::Label { name } => format!("{name:?}"),
        };
        println!("No article has a confirmed link to {what}.");
        return Ok(());
    }
    for m in &found {
        print_mention(m);
    }
    Ok(())
}

fn print_mention(m: &MentionedIn) {
    let by = m
        .author
        .as_deref()
        .map_or_else(String::new, |x| format!(" — {x}"));
    let date = m
        .published
        .as_deref()
        .map_or_else(String::new, |d| format!(" ({d})"));
    println!("{:>5}  {}{by}{date}", m.article_id, m.title);
    let (s, e) = (m.excerpt_start as usize, m.excerpt_end as usize);
    let x = &m.excerpt;
    let marked = if s <= e && e <= x.len() && x.is_char_boundary(s) && x.is_char_boundary(e) {
        format!("{}«{}»{}", &x[..s], &x[s..e], &x[e..])
    } else {
        x.clone()
    };
    println!("       {marked}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_are_read_as_fractions_and_checked() {
        let near = |s: &str, v: f64| parse_percent(s).is_ok_and(|x| (x - v).abs() < 1e-9);
        assert!(near("80", 0.8), "80 means 80 %");
        assert!(near("92.5%", 0.925), "a trailing % is allowed");
        assert!(parse_percent("120").is_err(), "above 100 is refused");
        assert!(parse_percent("high").is_err(), "words are refused");
    }

    #[test]
    fn unix_times_become_utc_dates() {
        assert_eq!(utc_date(0), "1970-01-01", "the epoch");
        assert_eq!(utc_date(951_782_400), "2000-02-29", "a leap day");
        assert_eq!(utc_date(1_753_747_200), "2025-07-29", "a recent day");
    }

    #[test]
    fn inputs_are_stdin_addresses_or_files() {
        assert!(matches!(input("-"), Input::Stdin), "- is standard input");
        assert!(
            matches!(input("https://example.org/a"), Input::Url(_)),
            "a web address is fetched"
        );
        assert!(
            matches!(input("ftp://x"), Input::Url(_)),
            "other schemes go to the fetch, which refuses them by name"
        );
        assert!(
            matches!(input("no/such/article.md"), Input::File(_)),
            "anything else is a file"
        );
    }
}
