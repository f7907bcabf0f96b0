//! `tag`, `rate`, `note`, `field`, `orphans`, `relink`, `forget`, `backup`, `restore`: the
//! collector's annotations from the command line, a few lines each over `cuebook::annotate`.

use std::io::Read;
use std::path::PathBuf;

use clap::{Args, Subcommand};

use cuebook::annotate::{self, backup, AnnotateError, Target};
use cuebook::{search, Library};

use super::{listen::parse_time, output, Usage};

/// What to annotate. Several may be given; searches add every album or track they find.
#[derive(Args, Debug, Default)]
pub struct Targets {
    /// An album, by id (see `cuebook albums`)
    #[arg(long = "album", value_name = "ID")]
    albums: Vec<i64>,
    /// A track, by id (see `cuebook ls`)
    #[arg(long = "track", value_name = "ID")]
    tracks: Vec<i64>,
    /// A work (film, game, show), by id
    #[arg(long = "work", value_name = "ID")]
    works: Vec<i64>,
    /// Every track a search finds
    #[arg(long = "tracks-of", value_name = "SEARCH")]
    tracks_of: Option<String>,
    /// Every album a search finds
    #[arg(long = "albums-of", value_name = "SEARCH")]
    albums_of: Option<String>,
}

/// Searches resolve to at most this many targets; more is almost surely a mistyped search.
const MAX_SEARCH_TARGETS: usize = 100_000;

impl Targets {
    fn resolve(&self, lib: &Library) -> anyhow::Result<Vec<Target>> {
        let mut out: Vec<Target> = Vec::new();
        out.extend(self.albums.iter().map(|&id| Target::Album(id)));
        out.extend(self.tracks.iter().map(|&id| Target::Track(id)));
        out.extend(self.works.iter().map(|&id| Target::Work(id)));
        if let Some(q) = &self.tracks_of {
            let page = search::search_tracks(lib, q, MAX_SEARCH_TARGETS, 0)?;
            if page.tracks.is_empty() {
                return Err(Usage(format!("no track matches {q:?}")).into());
            }
            out.extend(page.tracks.iter().map(|t| Target::Track(t.id)));
        }
        if let Some(q) = &self.albums_of {
            let albums = search::search_albums(lib, q, MAX_SEARCH_TARGETS, 0)?;
            if albums.is_empty() {
                return Err(Usage(format!("no album matches {q:?}")).into());
            }
            out.extend(albums.iter().map(|a| Target::Album(a.id)));
        }
        if out.is_empty() {
            return Err(Usage(
                "say what to annotate: --album ID, --track ID, --work ID, --tracks-of SEARCH or --albums-of SEARCH"
                    .into(),
            )
            .into());
        }
        Ok(out)
    }

    /// Exactly one target (notes and fields are set one at a time).
    fn one(&self, lib: &Library) -> anyhow::Result<Target> {
        let all = self.resolve(lib)?;
        match all.as_slice() {
            [one] => Ok(*one),
            _ => Err(Usage(format!(
                "this sets one album, track or work at a time; the options name {}",
                all.len()
            ))
            .into()),
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum TagAction {
    /// List tags with how many albums, tracks and works carry them
    Ls,
    /// Add tags (created when new) to albums, tracks or works
    Add {
        #[arg(required = true)]
        tags: Vec<String>,
        #[command(flatten)]
        targets: Targets,
    },
    /// Remove tags from albums, tracks or works
    Rm {
        #[arg(required = true)]
        tags: Vec<String>,
        #[command(flatten)]
        targets: Targets,
    },
    /// Create a tag, optionally with a color (#rrggbb)
    New {
        tag: String,
        #[arg(long)]
        color: Option<String>,
    },
    /// Rename a tag
    Rename { tag: String, new_name: String },
    /// Merge tags into one: whatever carried any of them carries TAG
    Merge {
        #[arg(required = true)]
        from: Vec<String>,
        #[arg(long)]
        into: String,
    },
    /// Delete a tag (what carried it keeps its other annotations)
    Delete { tag: String },
    /// Set a tag's color (#rrggbb), or `none`
    Color { tag: String, color: String },
}

#[derive(Subcommand, Debug)]
pub enum NoteAction {
    /// Print the note (Markdown) and the time-coded notes
    Show {
        #[command(flatten)]
        target: Targets,
    },
    /// Set the Markdown note from TEXT, or from standard input with `-`
    Set {
        #[command(flatten)]
        target: Targets,
        text: String,
    },
    /// Remove the note
    Clear {
        #[command(flatten)]
        target: Targets,
    },
    /// Add a time-coded note to a track: `cuebook note at --track 12 1:42 "the theme returns"`
    At {
        #[arg(long)]
        track: i64,
        #[arg(value_parser = parse_time)]
        time: std::time::Duration,
        text: String,
    },
    /// Delete a time-coded note by its id (see `note show`)
    RmAt { id: i64 },
}

#[derive(Subcommand, Debug)]
pub enum FieldAction {
    /// Show the overridden fields
    Ls {
        #[command(flatten)]
        target: Targets,
    },
    /// Override fields: NAME VALUE pairs (work, work-year, work-kind, composers, orchestrators,
    /// conductors, label, catalog-numbers, edition, limited-to on albums; cue on tracks). Several
    /// names or numbers are separated by `;`.
    Set {
        #[command(flatten)]
        target: Targets,
        #[arg(required = true, num_args = 2.., value_names = ["NAME", "VALUE"])]
        pairs: Vec<String>,
    },
    /// Remove overrides: the tags' values show again
    Clear {
        #[command(flatten)]
        target: Targets,
        #[arg(required = true)]
        names: Vec<String>,
    },
}

/// Errors the user can fix exit with 2; storage failures with 1.
fn usage(e: AnnotateError) -> anyhow::Error {
    match e {
        AnnotateError::Db(_) | AnnotateError::Sql(_) => e.into(),
        e => Usage(e.to_string()).into(),
    }
}

pub fn tag(lib: &Library, action: TagAction, json: bool) -> anyhow::Result<()> {
    match action {
        TagAction::Ls => return output::tags(&annotate::tags(lib)?, json),
        TagAction::Add { tags, targets } => {
            let n = annotate::tag(lib, &targets.resolve(lib)?, &tags).map_err(usage)?;
            done(json, &format!("Tagged: {n} new tag use{}", plural(n)))?;
        }
        TagAction::Rm { tags, targets } => {
            let n = annotate::untag(lib, &targets.resolve(lib)?, &tags).map_err(usage)?;
            done(json, &format!("Untagged: {n} tag use{} removed", plural(n)))?;
        }
        TagAction::New { tag, color } => {
            annotate::create_tag(lib, &tag, color.as_deref()).map_err(usage)?;
            done(json, &format!("Tag {tag:?} is ready"))?;
        }
        TagAction::Rename { tag, new_name } => {
            annotate::rename_tag(lib, &tag, &new_name).map_err(usage)?;
            done(json, &format!("Renamed {tag:?} to {new_name:?}"))?;
        }
        TagAction::Merge { from, into } => {
            annotate::merge_tags(lib, &from, &into).map_err(usage)?;
            done(json, &format!("Merged into {into:?}"))?;
        }
        TagAction::Delete { tag } => {
            annotate::delete_tag(lib, &tag).map_err(usage)?;
            done(json, &format!("Deleted tag {tag:?}"))?;
        }
        TagAction::Color { tag, color } => {
            annotate::set_tag_color(lib, &tag, Some(&color)).map_err(usage)?;
            done(json, &format!("{tag:?} is now {color}"))?;
        }
    }
    Ok(())
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn done(json: bool, message: &str) -> anyhow::Result<()> {
    if json {
        output::print_json(&serde_json::json!({ "ok": true, "message": message }))
    } else {
        println!("{message}");
        Ok(())
    }
}

pub fn rate(lib: &Library, rating: &str, targets: &Targets, json: bool) -> anyhow::Result<()> {
    let value = match rating.trim() {
        "none" | "clear" | "-" => None,
        r => Some(
            r.parse::<i64>()
                .map_err(|_| Usage(format!("rating {r:?}: expected 0 to 5, or none")))?,
        ),
    };
    let targets = targets.resolve(lib)?;
    annotate::rate(lib, &targets, value).map_err(usage)?;
    let what = match value {
        Some(v) => format!("Rated {v}/5"),
        None => "Rating cleared".into(),
    };
    done(
        json,
        &format!("{what}: {} item{}", targets.len(), plural(targets.len())),
    )
}

pub fn note(lib: &Library, action: NoteAction, json: bool) -> anyhow::Result<()> {
    match action {
        NoteAction::Show { target } => {
            let a = annotate::annotations(lib, target.one(lib)?).map_err(usage)?;
            output::annotations(&a, json)
        }
        NoteAction::Set { target, text } => {
            let text = if text == "-" {
                let mut s = String::new();
                std::io::stdin().read_to_string(&mut s)?;
                s
            } else {
                text
            };
            annotate::set_note(lib, target.one(lib)?, &text).map_err(usage)?;
            done(json, "Note saved")
        }
        NoteAction::Clear { target } => {
            annotate::set_note(lib, target.one(lib)?, "").map_err(usage)?;
            done(json, "Note removed")
        }
        NoteAction::At { track, time, text } => {
            let cue = annotate::add_cue_note(lib, track, time.as_millis() as i64, &text)
                .map_err(usage)?;
            if json {
                output::print_json(&cue)
            } else {
                println!(
                    "Added at {} (id {})",
                    output::duration(Some(cue.at_ms)),
                    cue.id
                );
                Ok(())
            }
        }
        NoteAction::RmAt { id } => {
            annotate::delete_cue_note(lib, id).map_err(usage)?;
            done(json, "Time-coded note deleted")
        }
    }
}

pub fn field(lib: &Library, action: FieldAction, json: bool) -> anyhow::Result<()> {
    let (target, changes) = match action {
        FieldAction::Ls { target } => {
            let a = annotate::annotations(lib, target.one(lib)?).map_err(usage)?;
            return output::fields(&a.fields, json);
        }
        FieldAction::Set { target, pairs } => {
            if pairs.len() % 2 != 0 {
                return Err(Usage("fields come in NAME VALUE pairs".into()).into());
            }
            let changes: Vec<(String, String)> = pairs
                .chunks(2)
                .map(|p| (p[0].clone(), p[1].clone()))
                .collect();
            (target, changes)
        }
        FieldAction::Clear { target, names } => {
            let changes = names.into_iter().map(|n| (n, String::new())).collect();
            (target, changes)
        }
    };
    let fields = annotate::set_fields(lib, target.one(lib)?, &changes).map_err(usage)?;
    output::fields(&fields, json)
}

pub fn orphans(lib: &Library, json: bool) -> anyhow::Result<()> {
    output::orphans(&annotate::orphans(lib)?, json)
}

/// Lists proposals; with `accept`, relinks the chosen ones (or all).
pub fn relink(lib: &Library, accept: &[i64], all: bool, json: bool) -> anyhow::Result<()> {
    let proposals = annotate::relink_proposals(lib)?;
    if accept.is_empty() && !all {
        return output::proposals(&proposals, json);
    }
    let mut done_ids = Vec::new();
    for p in &proposals {
        if all || accept.contains(&p.subject_id) {
            annotate::relink(lib, p.subject_id, p.to).map_err(usage)?;
            done_ids.push(p.subject_id);
        }
    }
    if let Some(missing) = accept.iter().find(|id| !done_ids.contains(id)) {
        return Err(Usage(format!(
            "no relink is proposed for annotation {missing}; see `cuebook relink`"
        ))
        .into());
    }
    done(
        json,
        &format!(
            "Relinked {} annotation{}",
            done_ids.len(),
            plural(done_ids.len())
        ),
    )
}

pub fn forget(lib: &Library, subject: i64, json: bool) -> anyhow::Result<()> {
    if !annotate::orphans(lib)?
        .iter()
        .any(|o| o.subject_id == subject)
    {
        return Err(Usage(format!(
            "annotation {subject} is not an orphan; only orphans (see `cuebook orphans`) can be forgotten"
        ))
        .into());
    }
    annotate::forget(lib, subject).map_err(usage)?;
    done(json, &format!("Forgot annotation {subject}"))
}

pub fn backup(lib: &Library, file: PathBuf, json: bool) -> anyhow::Result<()> {
    let n = backup::write(lib, &file)?;
    done(
        json,
        &format!(
            "Backed up {n} annotated item{} to {}",
            plural(n),
            file.display()
        ),
    )
}

pub fn restore(lib: &Library, file: PathBuf, json: bool) -> anyhow::Result<()> {
    let report = backup::restore(lib, &file).map_err(|e| match e {
        backup::BackupError::Db(_) | backup::BackupError::Sql(_) => anyhow::Error::from(e),
        e => Usage(e.to_string()).into(),
    })?;
    for skipped in &report.skipped {
        eprintln!("cuebook: skipped {skipped}");
    }
    output::restore_report(&report, json)
}

/// Shows what writing the overrides into the files would change; writes only with `yes`.
pub fn writeback(lib: &Library, target: &Targets, yes: bool, json: bool) -> anyhow::Result<()> {
    let target = target.one(lib)?;
    if matches!(target, Target::Work(_)) {
        return Err(Usage("write-back is per album or track".into()).into());
    }
    let plan = annotate::writeback_plan(lib, target).map_err(usage)?;
    if !yes || json {
        output::writeback_plan(&plan, json)?;
        if !json && !plan.is_empty() {
            println!("Nothing was written. Run again with --yes to write exactly these changes.");
        }
        if !yes {
            return Ok(());
        }
    }
    annotate::writeback_apply(lib, &plan).map_err(usage)?;
    done(
        json,
        &format!(
            "Wrote tags to {} file{}; run `cuebook scan` to read them back into the catalog",
            plan.len(),
            plural(plan.len())
        ),
    )
}
