//! Tag write-back: the one path by which Cuebook writes to a collector's audio files.
//!
//! Cuebook reads audio files and keeps what the collector adds in its own database. It writes to
//! a file only when the collector asks for standard fields to be written back, after a preview:
//! [`plan`] lists what would change (it only reads), [`apply`] writes exactly that.
//!
//! # Invariants
//!
//! - **Never unasked.** [`apply`] MUST only be called for changes the user explicitly asked to
//!   write back; scanning, matching and annotating never call it.
//! - **Only the requested fields.** A [`Field`] is written to the file's primary tag (created
//!   when missing) under the keys the catalog reader ([`crate::catalog::tags`]) takes it from, so
//!   a rescan shows the new values. Every other item of that tag, the other tags, the pictures and
//!   the audio stay as they were. Both are checked on the written file before it replaces the
//!   original, the first by reading it as the scanner does: since the other tags (ID3v1, RIFF
//!   INFO...) are not edited, a change they would undo on the next scan is refused. Tags are edited in their own format (ID3v2 frames, Vorbis comments, MP4 atoms, APE
//!   items), never rebuilt through lofty's generic tag, which drops what it cannot map. The one
//!   normalisation: an ID3v2 comment or lyrics language that is not three letters, which lofty
//!   cannot write, becomes `XXX` ("unknown").
//! - **Only files the catalog reads, only tags read without loss.** A file the catalog reader
//!   rejects, or whose tag lofty can only read leniently (skipping what it cannot parse), is
//!   refused rather than rewritten without the skipped parts.
//! - **Atomic.** The new file is written in full next to the original under a hidden
//!   `.cuebook-*` name, synced, verified, then renamed over it, and the folder is synced. Any
//!   failure before the rename leaves the original untouched and removes the temporary file; a
//!   crash leaves at worst a hidden temporary file, never a half-written track. The original's
//!   permissions and owner are kept, and a file its user may not write is refused even when its
//!   folder would allow the rename.
//! - **No stale previews.** A [`Change`] carries the values it was previewed against. If the file
//!   holds anything else when it is written, or changes while it is written, nothing is written.
//!
//! # Threading
//!
//! Blocking functions without shared state; call them off the UI thread. Callers MUST NOT run two
//! write-backs to the same file at once: both would start from the same bytes and the later
//! rename would win.

use std::borrow::Cow;
use std::fmt;
use std::fs::{self, File, Metadata};
use std::io::{self, BufReader, Read, Seek, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use lofty::aac::AacFile;
use lofty::ape::{ApeFile, ApeItem, ApeTag};
use lofty::config::{ParseOptions, ParsingMode, WriteOptions};
use lofty::file::{AudioFile, FileType, TaggedFileExt};
use lofty::flac::FlacFile;
use lofty::id3::v2::{Frame, FrameId, Id3v2Tag, Id3v2Version, KeyValueFrame};
use lofty::iff::aiff::AiffFile;
use lofty::iff::wav::WavFile;
use lofty::mp4::{Atom, AtomData, AtomIdent, Ilst, Mp4File};
use lofty::mpeg::MpegFile;
use lofty::musepack::MpcFile;
use lofty::ogg::{OggPictureStorage, OpusFile, SpeexFile, VorbisComments, VorbisFile};
use lofty::picture::Picture;
use lofty::probe::Probe;
use lofty::tag::{ItemKey, ItemValue, SplitTag, Tag, TagExt, TagItem, TagType};
use lofty::wavpack::WavPackFile;
use lofty::TextEncoding;

use crate::catalog::content_id;
use crate::catalog::tags::{read_content, sniff, Sniffed, TrackTags};
use crate::text::clean;

/// A standard tag field that can be written back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Title,
    Artist,
    Album,
    AlbumArtist,
    Composer,
    Conductor,
    /// Written as the arranger (`ItemKey::Arranger`: Vorbis `ARRANGER`, ID3v2.4 `TIPL`, APE
    /// `Arranger`), or as a custom `ORCHESTRATOR` item where lofty has no arranger to write (MP4,
    /// ID3v2.3). The catalog reads orchestrators from both.
    Orchestrator,
    Label,
    CatalogNumber,
    /// The release date or year, as the catalog reads the album's year.
    Year,
    Genre,
    Comment,
}

/// One field's change in one file: what the file holds now and what it will hold (several values
/// for multi-valued fields; empty = remove the field).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Change {
    pub field: Field,
    pub old: Vec<String>,
    pub new: Vec<String>,
}

/// Why a write-back did not happen (or, for the last check, did not read back as asked).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WriteBackError {
    #[error("cannot read {}: {source}", path.display())]
    Unreadable {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("cannot tag {}: {reason}", path.display())]
    NotAudio { path: PathBuf, reason: &'static str },
    #[error("cannot write tags to {}: {reason}", path.display())]
    Unsupported { path: PathBuf, reason: String },
    #[error("{} is not a readable audio file: {reason}", path.display())]
    Broken { path: PathBuf, reason: String },
    #[error("cannot read the tags of {} without loss: {reason}", path.display())]
    BrokenTags { path: PathBuf, reason: String },
    #[error("{} is read-only", path.display())]
    ReadOnly { path: PathBuf },
    #[error("{} changed since the preview: {detail}", path.display())]
    Stale { path: PathBuf, detail: String },
    #[error("the changes for {} name the {field} more than once", path.display())]
    DuplicateField { path: PathBuf, field: Field },
    #[error("writing tags to {} failed: {reason}", path.display())]
    WriteFailed { path: PathBuf, reason: String },
    #[error("writing tags to {} failed verification: {what}", path.display())]
    VerifyFailed { path: PathBuf, what: String },
}

impl Field {
    /// Every field, in the order a preview lists them.
    pub const ALL: [Field; 12] = [
        Field::Title,
        Field::Artist,
        Field::Album,
        Field::AlbumArtist,
        Field::Composer,
        Field::Conductor,
        Field::Orchestrator,
        Field::Label,
        Field::CatalogNumber,
        Field::Year,
        Field::Genre,
        Field::Comment,
    ];

    /// The keys that hold this field, in the order the catalog reader prefers them. Whichever
    /// of them a file holds are all rewritten, so the reader cannot find a stale copy first.
    fn keys(self) -> Vec<ItemKey> {
        match self {
            Field::Title => vec![ItemKey::TrackTitle],
            Field::Artist => vec![ItemKey::TrackArtists, ItemKey::TrackArtist],
            Field::Album => vec![ItemKey::AlbumTitle],
            Field::AlbumArtist => vec![ItemKey::AlbumArtist],
            Field::Composer => vec![ItemKey::Composer],
            Field::Conductor => vec![ItemKey::Conductor],
            Field::Orchestrator => vec![ItemKey::Arranger],
            Field::Label => vec![ItemKey::Label],
            Field::CatalogNumber => vec![ItemKey::CatalogNumber],
            Field::Year => vec![ItemKey::RecordingDate, ItemKey::Year],
            Field::Genre => vec![ItemKey::Genre],
            Field::Comment => vec![ItemKey::Comment],
        }
    }

    /// Keys the reader falls back on when the field's own keys are absent. They mean something
    /// related but different (a publisher, a release date), so they are only removed when the
    /// field itself is removed, and never rewritten.
    fn fallbacks(self) -> Vec<ItemKey> {
        match self {
            Field::Label => vec![ItemKey::Publisher],
            Field::Year => vec![ItemKey::ReleaseDate],
            _ => Vec::new(),
        }
    }

    /// Non-standard item names whose values the reader adds to the field (compared after
    /// [`custom_key`] normalisation). Writing the field replaces them.
    fn custom_names(self) -> &'static [&'static str] {
        match self {
            Field::Orchestrator => &["ORCHESTRATOR", "ORCHESTRATION"],
            _ => &[],
        }
    }

    /// The keys new values may go under in a tag of `tag_type`, best first; the first one the
    /// tag can hold is used.
    fn write_candidates(self, tag_type: TagType) -> Vec<ItemKey> {
        match self {
            Field::Artist => vec![ItemKey::TrackArtist],
            // MP4 has no arranger atom; the reader also takes a custom ORCHESTRATOR item.
            Field::Orchestrator => {
                vec![ItemKey::Arranger, custom_item_key(tag_type, "ORCHESTRATOR")]
            }
            other => other.keys(),
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Field::Title => "title",
            Field::Artist => "artist",
            Field::Album => "album",
            Field::AlbumArtist => "album artist",
            Field::Composer => "composer",
            Field::Conductor => "conductor",
            Field::Orchestrator => "orchestrator",
            Field::Label => "label",
            Field::CatalogNumber => "catalog number",
            Field::Year => "year",
            Field::Genre => "genre",
            Field::Comment => "comment",
        })
    }
}

/// The changes writing `wanted` would make to `path`: fields whose values already match are left
/// out, and a later entry for a field overrides an earlier one. Empty values count as no value.
/// Reads only.
///
/// # Errors
/// When the file cannot be read, is not audio, or its tag cannot be read faithfully or written.
pub fn plan(path: &Path, wanted: &[(Field, Vec<String>)]) -> Result<Vec<Change>, WriteBackError> {
    let mut file = File::open(path).map_err(|source| unreadable(path, source))?;
    let file_type = sniff_type(path, &mut file)?;
    let entries = read_native(path, &mut file, file_type)?.0.entries();
    let mut changes: Vec<Change> = Vec::new();
    for (field, values) in wanted {
        changes.retain(|c| c.field != *field);
        let old = field_values(&entries, *field);
        let new = clean_values(values);
        if old != new {
            changes.push(Change {
                field: *field,
                old,
                new,
            });
        }
    }
    Ok(changes)
}

/// Writes `changes` to `path`, atomically and verified (see the module documentation). Through a
/// symlink, the file it points to is rewritten. No changes, no write.
///
/// # Errors
/// When the file cannot be read or written, a change's `old` values are no longer what the file
/// holds ([`WriteBackError::Stale`]), or the written file does not read back as intended. The
/// original is then untouched, except for the two steps after the rename: syncing the folder
/// and reading the result back once more.
pub fn apply(path: &Path, changes: &[Change]) -> Result<(), WriteBackError> {
    apply_with(path, changes, &mut |_| Ok(()))
}

/// [`apply`], calling `before_rename` with the verified temporary file just before it replaces
/// the original. Tests use it to simulate a crash at the last moment: when it fails, the
/// temporary file is removed and the original is untouched.
///
/// # Errors
/// As [`apply`], and [`WriteBackError::WriteFailed`] when `before_rename` fails.
pub fn apply_with(
    path: &Path,
    changes: &[Change],
    before_rename: &mut dyn FnMut(&Path) -> io::Result<()>,
) -> Result<(), WriteBackError> {
    if let Some(field) = repeated_field(changes) {
        return Err(WriteBackError::DuplicateField {
            path: path.to_path_buf(),
            field,
        });
    }
    if changes.is_empty() {
        return Ok(());
    }
    let write_failed = |reason: String| WriteBackError::WriteFailed {
        path: path.to_path_buf(),
        reason,
    };
    // Through a symlink, the link stays and its target is rewritten.
    let target = fs::canonicalize(path).map_err(|source| unreadable(path, source))?;
    let folder = target
        .parent()
        .ok_or_else(|| write_failed("it has no parent folder".into()))?;
    let mut original = File::open(&target).map_err(|source| unreadable(path, source))?;
    let before_meta = original
        .metadata()
        .map_err(|source| unreadable(path, source))?;
    if !before_meta.is_file() {
        return Err(WriteBackError::NotAudio {
            path: path.to_path_buf(),
            reason: "it is not a regular file",
        });
    }
    if !may_write(&target).map_err(|source| unreadable(path, source))? {
        return Err(WriteBackError::ReadOnly {
            path: path.to_path_buf(),
        });
    }
    let file_type = sniff_type(path, &mut original)?;

    let mut temp = tempfile::Builder::new()
        .prefix(".cuebook-")
        .suffix(".tmp")
        .tempfile_in(folder)
        .map_err(|e| {
            write_failed(format!(
                "cannot create a temporary file in {}: {e}",
                folder.display()
            ))
        })?;
    original
        .rewind()
        .and_then(|()| io::copy(&mut original, temp.as_file_mut()))
        .map_err(|e| write_failed(format!("cannot copy the file: {e}")))?;

    // From here on only the copy is read, so every check applies to the very bytes rewritten.
    let copy = temp.as_file_mut();
    let (mut native, _) = read_native(path, copy, file_type)?;
    let before = Snapshot::take(path, copy, file_type, &native)?;
    for change in changes {
        let now = field_values(&before.entries, change.field);
        if now != clean_values(&change.old) {
            return Err(WriteBackError::Stale {
                path: path.to_path_buf(),
                detail: format!("its {} is now {now:?}", change.field),
            });
        }
    }
    let touched = edit(&mut native, changes).map_err(|reason| WriteBackError::Unsupported {
        path: path.to_path_buf(),
        reason,
    })?;
    if matches!(&native, Native::Ilst(ilst) if ilst.is_empty()) {
        // lofty removes an empty ilst and leaves a meta box that later writes corrupt.
        return Err(WriteBackError::Unsupported {
            path: path.to_path_buf(),
            reason: "removing every field of an MP4 file is not supported".into(),
        });
    }
    if file_type == FileType::Flac {
        end_flac_metadata_with_padding(copy)
            .map_err(|e| write_failed(format!("cannot prepare the FLAC file: {e}")))?;
    }
    guarded(|| native.save(copy)).map_err(write_failed)?;
    keep_owner_and_mode(copy, &before_meta)
        .and_then(|()| copy.sync_all())
        .map_err(|e| write_failed(format!("cannot finish the temporary file: {e}")))?;

    verify(path, temp.path(), file_type, changes, &before, &touched)?;

    before_rename(temp.path())
        .map_err(|e| write_failed(format!("stopped before replacing the original: {e}")))?;
    let now_meta = fs::metadata(&target).map_err(|source| unreadable(path, source))?;
    if !same_file_state(&before_meta, &now_meta) {
        return Err(WriteBackError::Stale {
            path: path.to_path_buf(),
            detail: "it was modified while its tags were being written".into(),
        });
    }
    temp.persist(&target)
        .map_err(|e| write_failed(format!("cannot replace the original: {}", e.error)))?;
    File::open(folder)
        .and_then(|dir| dir.sync_all())
        .map_err(|e| {
            write_failed(format!(
                "the new file is in place but its folder could not be synced: {e}"
            ))
        })?;

    let mut written = File::open(&target).map_err(|source| unreadable(path, source))?;
    let entries = read_native(path, &mut written, file_type)?.0.entries();
    check_fields(&entries, changes).map_err(|what| WriteBackError::VerifyFailed {
        path: path.to_path_buf(),
        what: format!("after replacing the original, {what}"),
    })
}

fn unreadable(path: &Path, source: io::Error) -> WriteBackError {
    WriteBackError::Unreadable {
        path: path.to_path_buf(),
        source,
    }
}

fn sniff_type(path: &Path, file: &mut File) -> Result<FileType, WriteBackError> {
    match sniff(file).map_err(|source| unreadable(path, source))? {
        Sniffed::Audio(file_type) => Ok(file_type),
        Sniffed::Unsupported(name) => Err(WriteBackError::Unsupported {
            path: path.to_path_buf(),
            reason: format!("{name} files cannot be tagged"),
        }),
        Sniffed::Empty => Err(WriteBackError::NotAudio {
            path: path.to_path_buf(),
            reason: "it is empty",
        }),
        Sniffed::Unknown => Err(WriteBackError::NotAudio {
            path: path.to_path_buf(),
            reason: "it is not an audio file",
        }),
    }
}

fn repeated_field(changes: &[Change]) -> Option<Field> {
    changes
        .iter()
        .enumerate()
        .find(|(i, c)| changes[..*i].iter().any(|earlier| earlier.field == c.field))
        .map(|(_, c)| c.field)
}

/// Values as a field holds them: an empty or blank value is no value.
fn clean_values(values: &[String]) -> Vec<String> {
    values
        .iter()
        .filter(|v| !v.trim().is_empty())
        .cloned()
        .collect()
}

/// Whether the current user may write the file itself. Replacing it by rename only needs the
/// folder to be writable, but a file its owner made read-only must stay as it is.
fn may_write(path: &Path) -> io::Result<bool> {
    use std::os::unix::ffi::OsStrExt;
    let c_path = std::ffi::CString::new(path.as_os_str().as_bytes()).map_err(io::Error::other)?;
    // SAFETY: `c_path` is a NUL-terminated string that outlives the call, which only reads it.
    let status = unsafe {
        libc::faccessat(
            libc::AT_FDCWD,
            c_path.as_ptr(),
            libc::W_OK,
            libc::AT_EACCESS,
        )
    };
    if status == 0 {
        return Ok(true);
    }
    let error = io::Error::last_os_error();
    match error.raw_os_error() {
        Some(libc::EACCES | libc::EPERM | libc::EROFS) => Ok(false),
        _ => Err(error),
    }
}

fn keep_owner_and_mode(file: &File, original: &Metadata) -> io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    let mine = file.metadata()?;
    if (mine.uid(), mine.gid()) != (original.uid(), original.gid()) {
        std::os::unix::fs::fchown(file, Some(original.uid()), Some(original.gid()))?;
    }
    file.set_permissions(original.permissions())
}

/// Makes a FLAC file's metadata end in a PADDING block, which lofty then reuses.
///
/// lofty 0.22 adds that block itself when it is missing, but clears the old last block's "last"
/// flag at a wrong offset, inside the first audio frame. The verification would refuse the
/// result; preparing the copy lets such files be written at all. Malformed files are left as
/// they are for lofty to reject.
fn end_flac_metadata_with_padding(file: &mut File) -> io::Result<()> {
    const PADDING: usize = 1024;
    let mut bytes = Vec::new();
    file.rewind()?;
    file.read_to_end(&mut bytes)?;
    let mut pos = match bytes.get(..10) {
        // A leading ID3v2 tag: header, synchsafe size, and a footer when flagged.
        Some(h) if h.starts_with(b"ID3") => {
            let size = h[6..10]
                .iter()
                .fold(0usize, |acc, &b| (acc << 7) | usize::from(b & 0x7f));
            10 + size + if h[5] & 0x10 != 0 { 10 } else { 0 }
        }
        _ => 0,
    };
    if bytes.get(pos..pos + 4) != Some(b"fLaC".as_slice()) {
        return Ok(());
    }
    pos += 4;
    for _ in 0..4096 {
        let Some(header) = bytes.get(pos..pos + 4) else {
            return Ok(());
        };
        let (kind, is_last) = (header[0] & 0x7f, header[0] & 0x80 != 0);
        let length =
            usize::from(header[1]) << 16 | usize::from(header[2]) << 8 | usize::from(header[3]);
        let end = pos + 4 + length;
        if !is_last {
            pos = end;
            continue;
        }
        if kind == 1 || end > bytes.len() {
            return Ok(());
        }
        bytes[pos] &= 0x7f;
        let mut padding = vec![0u8; 4 + PADDING];
        padding[0] = 0x81;
        padding[1..4].copy_from_slice(&(PADDING as u32).to_be_bytes()[1..]);
        bytes.splice(end..end, padding);
        file.rewind()?;
        file.set_len(0)?;
        return file.write_all(&bytes);
    }
    Ok(())
}

fn same_file_state(a: &Metadata, b: &Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    (a.dev(), a.ino(), a.len(), a.mtime(), a.mtime_nsec())
        == (b.dev(), b.ino(), b.len(), b.mtime(), b.mtime_nsec())
}

/// Runs a lofty call, turning a parser panic on a hostile file into an error like any other.
fn guarded<T>(f: impl FnOnce() -> lofty::error::Result<T>) -> Result<T, String> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err("the tag library crashed on this file".into()),
    }
}

// ---------------------------------------------------------------------------------------------
// Reading and verifying
// ---------------------------------------------------------------------------------------------

/// One value of a tag as the catalog reader sees it, with where it sits in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    /// The key the reader files the value under; `None` for data no field maps to (pictures,
    /// private frames, the vendor string).
    key: Option<ItemKey>,
    /// An ID3v2 comment's description. Only values without one belong to a field.
    description: String,
    /// Text, or a fingerprint of binary data.
    value: String,
    /// The native item (frame, comment name, atom, APE key), for messages and comparisons.
    source: String,
}

impl Entry {
    fn is_plain(&self, key: &ItemKey) -> bool {
        self.description.is_empty() && self.key.as_ref() == Some(key)
    }
}

/// "----:com.apple.iTunes:ORCHESTRATOR" and "orchestrator" both become "ORCHESTRATOR": the
/// normalisation the catalog reader applies to names without an `ItemKey`.
fn custom_key(raw: &str) -> String {
    let name = raw.rsplit(':').next().unwrap_or(raw);
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_uppercase)
        .collect()
}

fn is_custom(entry: &Entry, names: &[&str]) -> bool {
    !names.is_empty()
        && matches!(&entry.key, Some(ItemKey::Unknown(raw)) if names.contains(&custom_key(raw).as_str()))
}

fn custom_item_key(tag_type: TagType, name: &str) -> ItemKey {
    if tag_type == TagType::Mp4Ilst {
        ItemKey::Unknown(format!("----:com.apple.iTunes:{name}"))
    } else {
        ItemKey::Unknown(name.to_string())
    }
}

fn writable(key: &ItemKey, tag_type: TagType) -> bool {
    match key {
        ItemKey::Unknown(_) => true,
        // ID3v2 keeps arrangers in the involved-people frame (TIPL), which lofty maps itself.
        ItemKey::Arranger if tag_type == TagType::Id3v2 => true,
        key => key.map_key(tag_type, false).is_some(),
    }
}

/// A field's values as the catalog reader finds them in one tag: the first of its keys (then
/// fallbacks) that holds a value, plus, for the orchestrator, the first custom item split on
/// ";". Values are the stored ones, not split further.
fn field_values(entries: &[Entry], field: Field) -> Vec<String> {
    let plain = |key: &ItemKey| -> Vec<String> {
        entries
            .iter()
            .filter(|e| e.is_plain(key) && !e.value.trim().is_empty())
            .map(|e| e.value.clone())
            .collect()
    };
    let mut values = field
        .keys()
        .iter()
        .chain(field.fallbacks().iter())
        .map(plain)
        .find(|v| !v.is_empty())
        .unwrap_or_default();
    let names = field.custom_names();
    if let Some(custom) = entries
        .iter()
        .find(|e| is_custom(e, names) && !e.value.trim().is_empty())
    {
        values.extend(
            custom
                .value
                .split([';', '\0'])
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(String::from),
        );
    }
    values
}

fn check_fields(entries: &[Entry], changes: &[Change]) -> Result<(), String> {
    for change in changes {
        let got = field_values(entries, change.field);
        let wanted = clean_values(&change.new);
        if got != wanted {
            return Err(format!(
                "the {} reads back as {got:?} instead of {wanted:?}",
                change.field
            ));
        }
    }
    Ok(())
}

/// What a rescan shows for `field`.
fn catalog_values(tags: &TrackTags, field: Field) -> Vec<String> {
    let one = |value: &Option<String>| value.iter().cloned().collect::<Vec<_>>();
    match field {
        Field::Title => one(&tags.title),
        Field::Artist => tags.artists.clone(),
        Field::Album => one(&tags.album),
        Field::AlbumArtist => one(&tags.album_artist),
        Field::Composer => tags.composers.clone(),
        Field::Conductor => tags.conductors.clone(),
        Field::Orchestrator => tags.orchestrators.clone(),
        Field::Label => one(&tags.label),
        Field::CatalogNumber => tags.catalog_numbers.clone(),
        Field::Year => one(&tags.date),
        Field::Genre => one(&tags.genre),
        Field::Comment => one(&tags.comment),
    }
}

/// What a rescan should show for `values` written to `field`: the reader trims values, keeps the
/// first one of a single-valued field and splits lists on ";".
fn expected_catalog_values(field: Field, values: &[String]) -> Vec<String> {
    let list = matches!(
        field,
        Field::Artist
            | Field::Composer
            | Field::Conductor
            | Field::Orchestrator
            | Field::CatalogNumber
    );
    if !list {
        return values
            .iter()
            .find_map(|v| clean(Some(v)))
            .into_iter()
            .collect();
    }
    let mut out: Vec<String> = Vec::new();
    for part in values.iter().flat_map(|v| v.split([';', '\0'])) {
        if let Some(part) = clean(Some(part)) {
            if !out.contains(&part) {
                out.push(part);
            }
        }
    }
    out
}

/// Checks that a rescan of the written file shows the new values. The reader also consults the
/// file's other tags (ID3v1, RIFF INFO...), which write-back leaves alone: a value left there
/// would come back, most visibly when a field is removed.
fn check_rescan(catalog: &TrackTags, changes: &[Change]) -> Result<(), String> {
    for change in changes {
        let shown = catalog_values(catalog, change.field);
        let new = clean_values(&change.new);
        let ok = if change.field == Field::Comment && new.is_empty() {
            // The reader also takes an ID3v2 comment that carries a description (iTunes'
            // iTunNORM...) as the comment; those are not the field and stay.
            let old: Vec<String> = change.old.iter().filter_map(|v| clean(Some(v))).collect();
            !shown.iter().any(|v| old.contains(v))
        } else {
            shown == expected_catalog_values(change.field, &new)
        };
        if !ok {
            return Err(format!(
                "a rescan would read the {} as {shown:?}: another tag of the file, which \
                 write-back does not edit, still holds it",
                change.field
            ));
        }
    }
    Ok(())
}

/// What an edit rewrote: entries it covers may differ afterwards, all others must not.
#[derive(Debug, Default)]
struct Touched {
    keys: Vec<ItemKey>,
    custom: Vec<&'static str>,
}

impl Touched {
    fn covers(&self, entry: &Entry) -> bool {
        (entry.description.is_empty() && entry.key.as_ref().is_some_and(|k| self.keys.contains(k)))
            || is_custom(entry, &self.custom)
    }
}

/// Compares the entries an edit did not touch, as multisets (rewriting may reorder items).
fn untouched_unchanged(before: &[Entry], after: &[Entry], touched: &Touched) -> Result<(), String> {
    let rest = |entries: &[Entry]| -> Vec<(String, Entry)> {
        let mut rest: Vec<(String, Entry)> = entries
            .iter()
            .filter(|e| !touched.covers(e))
            .map(|e| (format!("{e:?}"), e.clone()))
            .collect();
        rest.sort_by(|a, b| a.0.cmp(&b.0));
        rest
    };
    let (before, after) = (rest(before), rest(after));
    let keys = |v: &[(String, Entry)]| v.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>();
    if keys(&before) == keys(&after) {
        return Ok(());
    }
    let missing_from = |a: &[(String, Entry)], b: &[(String, Entry)]| {
        a.iter()
            .find(|(k, _)| !b.iter().any(|(other, _)| other == k))
            .map(|(_, e)| e.source.clone())
    };
    Err(
        match (missing_from(&before, &after), missing_from(&after, &before)) {
            (Some(source), _) => format!("{source} changed although it was not asked for"),
            (None, Some(source)) => format!("{source} appeared although it was not asked for"),
            (None, None) => "a tag item was duplicated or dropped".into(),
        },
    )
}

/// What must survive a write-back unchanged, taken from one copy of the file.
struct Snapshot {
    entries: Vec<Entry>,
    /// The file's other tags (ID3v1, APE, RIFF INFO, ...) as lofty reads them.
    others: Vec<String>,
    audio: String,
}

impl Snapshot {
    fn take(
        path: &Path,
        file: &mut File,
        file_type: FileType,
        native: &Native,
    ) -> Result<Snapshot, WriteBackError> {
        let others = other_tags(file, file_type, native.tag_type()).map_err(|reason| {
            WriteBackError::BrokenTags {
                path: path.to_path_buf(),
                reason,
            }
        })?;
        let audio = content_id(file, Some(file_type)).map_err(|source| unreadable(path, source))?;
        Ok(Snapshot {
            entries: native.entries(),
            others,
            audio,
        })
    }
}

fn other_tags(
    file: &mut File,
    file_type: FileType,
    primary: TagType,
) -> Result<Vec<String>, String> {
    let tagged = guarded(|| {
        file.rewind()?;
        Probe::with_file_type(BufReader::new(&mut *file), file_type)
            .options(ParseOptions::new().read_properties(false))
            .read()
    })?;
    let mut out: Vec<String> = tagged
        .tags()
        .iter()
        .filter(|tag| tag.tag_type() != primary)
        .flat_map(|tag| generic_entries(tag, &format!("{:?}", tag.tag_type())))
        .map(|e| format!("{e:?}"))
        .collect();
    out.sort();
    Ok(out)
}

fn verify(
    path: &Path,
    written: &Path,
    file_type: FileType,
    changes: &[Change],
    before: &Snapshot,
    touched: &Touched,
) -> Result<(), WriteBackError> {
    let failed = |what: String| WriteBackError::VerifyFailed {
        path: path.to_path_buf(),
        what,
    };
    let mut file =
        File::open(written).map_err(|e| failed(format!("cannot reopen the new file: {e}")))?;
    let (native, catalog) =
        read_native(path, &mut file, file_type).map_err(|e| failed(e.to_string()))?;
    let after =
        Snapshot::take(path, &mut file, file_type, &native).map_err(|e| failed(e.to_string()))?;
    check_fields(&after.entries, changes).map_err(failed)?;
    check_rescan(&catalog, changes).map_err(failed)?;
    untouched_unchanged(&before.entries, &after.entries, touched).map_err(failed)?;
    if before.others != after.others {
        return Err(failed("another tag of the file changed".into()));
    }
    if before.audio != after.audio {
        return Err(failed("the audio changed".into()));
    }
    Ok(())
}

fn fingerprint(bytes: &[u8]) -> String {
    format!("blake3:{}", blake3::hash(bytes).to_hex())
}

fn value_text(value: &ItemValue) -> String {
    match value {
        ItemValue::Text(text) | ItemValue::Locator(text) => text.clone(),
        ItemValue::Binary(bytes) => fingerprint(bytes),
    }
}

fn picture_entry(picture: &Picture, source: &str) -> Entry {
    Entry {
        key: None,
        description: picture.description().unwrap_or_default().to_string(),
        value: format!(
            "{:?} {:?} {}",
            picture.pic_type(),
            picture.mime_type(),
            fingerprint(picture.data())
        ),
        source: format!("{source} picture"),
    }
}

fn generic_entries(tag: &Tag, source: &str) -> Vec<Entry> {
    tag.items()
        .map(|item| Entry {
            key: Some(item.key().clone()),
            description: item.description().to_string(),
            value: value_text(item.value()),
            source: source.to_string(),
        })
        .chain(tag.pictures().iter().map(|p| picture_entry(p, source)))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Native tags
// ---------------------------------------------------------------------------------------------

/// A file's primary tag in its own format.
#[derive(Debug, Clone)]
enum Native {
    /// MP3, AAC, WAV and AIFF. `v23`: the file has ID3v2.3, which is kept.
    Id3v2 {
        tag: Id3v2Tag,
        v23: bool,
    },
    /// FLAC (with its picture blocks), Ogg Vorbis, Opus and Speex.
    Vorbis(VorbisComments),
    Ilst(Ilst),
    /// WavPack, Monkey's Audio and Musepack.
    Ape(ApeTag),
}

/// Reads the primary tag of `file` exactly: in strict mode, since lofty silently drops what it
/// cannot parse in its lenient modes and a rewrite would then lose it. A file the catalog itself
/// cannot read (an image the sniffer took for MP3, a stream without audio) is refused first.
///
/// Also returns what the catalog reads from the whole file.
fn read_native(
    path: &Path,
    file: &mut File,
    file_type: FileType,
) -> Result<(Native, TrackTags), WriteBackError> {
    file.rewind().map_err(|source| unreadable(path, source))?;
    let catalog = read_content(&mut BufReader::new(&mut *file), file_type)
        .map_err(|e| WriteBackError::Broken {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?
        .tags;
    let options = ParseOptions::new()
        .read_properties(false)
        .parsing_mode(ParsingMode::Strict);
    let id3v2 = |tag: Option<&Id3v2Tag>| {
        let tag = tag.cloned().unwrap_or_default();
        let v23 = tag.original_version() == Id3v2Version::V3;
        Some(Native::Id3v2 { tag, v23 })
    };
    let read = guarded(|| {
        file.rewind()?;
        let reader = &mut BufReader::new(&mut *file);
        Ok(match file_type {
            FileType::Mpeg => id3v2(MpegFile::read_from(reader, options)?.id3v2()),
            FileType::Aac => id3v2(AacFile::read_from(reader, options)?.id3v2()),
            FileType::Wav => id3v2(WavFile::read_from(reader, options)?.id3v2()),
            FileType::Aiff => id3v2(AiffFile::read_from(reader, options)?.id3v2()),
            FileType::Flac => {
                // FLAC keeps pictures in blocks of their own, which lofty rewrites together
                // with the comments: they must travel with the tag or they would be dropped.
                let flac = FlacFile::read_from(reader, options)?;
                let mut comments = flac.vorbis_comments().cloned().unwrap_or_default();
                for (picture, info) in flac.pictures() {
                    comments.set_picture(usize::MAX, picture.clone(), *info);
                }
                Some(Native::Vorbis(comments))
            }
            FileType::Vorbis => Some(Native::Vorbis(
                VorbisFile::read_from(reader, options)?
                    .vorbis_comments()
                    .clone(),
            )),
            FileType::Opus => Some(Native::Vorbis(
                OpusFile::read_from(reader, options)?
                    .vorbis_comments()
                    .clone(),
            )),
            FileType::Speex => Some(Native::Vorbis(
                SpeexFile::read_from(reader, options)?
                    .vorbis_comments()
                    .clone(),
            )),
            // An MP4 file without an ilst gets none: lofty would write one over the meta
            // box's handler and other players would then see no tags.
            FileType::Mp4 => Mp4File::read_from(reader, options)?
                .ilst()
                .cloned()
                .map(Native::Ilst),
            FileType::WavPack => Some(Native::Ape(
                WavPackFile::read_from(reader, options)?
                    .ape()
                    .cloned()
                    .unwrap_or_default(),
            )),
            FileType::Ape => Some(Native::Ape(
                ApeFile::read_from(reader, options)?
                    .ape()
                    .cloned()
                    .unwrap_or_default(),
            )),
            FileType::Mpc => Some(Native::Ape(
                MpcFile::read_from(reader, options)?
                    .ape()
                    .cloned()
                    .unwrap_or_default(),
            )),
            _ => None,
        })
    })
    .map_err(|reason| WriteBackError::BrokenTags {
        path: path.to_path_buf(),
        reason,
    })?;
    let native = read.ok_or_else(|| WriteBackError::Unsupported {
        path: path.to_path_buf(),
        reason: match file_type {
            FileType::Mp4 => "the MP4 file has no tag to edit".into(),
            other => format!("{other:?} files have no tag Cuebook can write"),
        },
    })?;
    Ok((native, catalog))
}

fn tipl_id() -> FrameId<'static> {
    FrameId::Valid(Cow::Borrowed("TIPL"))
}

fn frame_source(frame: &Frame<'_>) -> String {
    match frame {
        Frame::Comment(c) => format!(
            "COMM({})",
            String::from_utf8_lossy(&written_language(c.language))
        ),
        Frame::UnsynchronizedText(u) => format!(
            "USLT({})",
            String::from_utf8_lossy(&written_language(u.language))
        ),
        Frame::UserText(t) => format!("TXXX:{}", t.description),
        Frame::UserUrl(u) => format!("WXXX:{}", u.description),
        other => other.id_str().to_string(),
    }
}

/// The entries of one frame: what lofty's own mapping makes of it, plus a fingerprint of any
/// part it does not map.
fn frame_entries(frame: &Frame<'static>) -> Vec<Entry> {
    let source = frame_source(frame);
    let mut single = Id3v2Tag::new();
    single.insert(frame.clone());
    let (rest, generic) = single.split_tag();
    let mut entries = generic_entries(&generic, &source);
    entries.extend(Id3v2Tag::from(rest).into_iter().map(|unmapped| Entry {
        key: None,
        description: String::new(),
        value: fingerprint(format!("{unmapped:?}").as_bytes()),
        source: source.clone(),
    }));
    entries
}

/// The entries of one involved-people pair (TIPL holds arrangers beside producers, engineers...).
fn tipl_pair_entries(pair: &(String, String)) -> Vec<Entry> {
    frame_entries(&Frame::KeyValue(KeyValueFrame::new(
        tipl_id(),
        TextEncoding::UTF8,
        vec![pair.clone()],
    )))
}

fn vorbis_entry(key: &str, value: &str) -> Entry {
    Entry {
        key: Some(ItemKey::from_key(TagType::VorbisComments, key)),
        description: String::new(),
        value: value.to_string(),
        source: key.to_string(),
    }
}

fn atom_name(ident: &AtomIdent<'_>) -> String {
    match ident {
        // Four bytes, "©" included, as Latin-1: the way lofty spells its keys.
        AtomIdent::Fourcc(code) => code.iter().map(|&b| char::from(b)).collect(),
        AtomIdent::Freeform { mean, name } => format!("----:{mean}:{name}"),
    }
}

fn atom_entries(atom: &Atom<'_>) -> Vec<Entry> {
    let source = atom_name(atom.ident());
    let key = ItemKey::from_key(TagType::Mp4Ilst, &source);
    atom.data()
        .map(|data| match data {
            AtomData::Picture(picture) => picture_entry(picture, &source),
            AtomData::UTF8(text) | AtomData::UTF16(text) => Entry {
                key: Some(key.clone()),
                description: String::new(),
                value: text.clone(),
                source: source.clone(),
            },
            other => Entry {
                key: Some(key.clone()),
                description: String::new(),
                value: fingerprint(format!("{other:?}").as_bytes()),
                source: source.clone(),
            },
        })
        .collect()
}

fn ape_entries(item: &ApeItem) -> Vec<Entry> {
    let source = item.key().to_string();
    let key = ItemKey::from_key(TagType::Ape, item.key());
    match item.value() {
        // APE separates the values of one item with NUL.
        ItemValue::Text(text) | ItemValue::Locator(text) => text
            .split('\0')
            .map(|value| Entry {
                key: Some(key.clone()),
                description: String::new(),
                value: value.to_string(),
                source: source.clone(),
            })
            .collect(),
        ItemValue::Binary(bytes) => vec![Entry {
            key: None,
            description: String::new(),
            value: fingerprint(bytes),
            source,
        }],
    }
}

impl Native {
    fn writable(&self, key: &ItemKey) -> bool {
        match self {
            // lofty 0.22 writes ID3v2.3's involved-people frame (IPLS) so that it does not read
            // back; arrangers then go to a custom ORCHESTRATOR item instead.
            Native::Id3v2 { v23: true, .. } if *key == ItemKey::Arranger => false,
            _ => writable(key, self.tag_type()),
        }
    }

    /// The key new values of `field` go under, or `None` if this tag has no place for it.
    fn write_key(&self, field: Field) -> Option<ItemKey> {
        field
            .write_candidates(self.tag_type())
            .into_iter()
            .find(|key| self.writable(key))
    }

    fn tag_type(&self) -> TagType {
        match self {
            Native::Id3v2 { .. } => TagType::Id3v2,
            Native::Vorbis(_) => TagType::VorbisComments,
            Native::Ilst(_) => TagType::Mp4Ilst,
            Native::Ape(_) => TagType::Ape,
        }
    }

    fn entries(&self) -> Vec<Entry> {
        match self {
            Native::Id3v2 { tag, .. } => tag.into_iter().flat_map(frame_entries).collect(),
            Native::Vorbis(comments) => {
                let mut entries: Vec<Entry> = comments
                    .items()
                    .map(|(key, value)| vorbis_entry(key, value))
                    .collect();
                entries.extend(
                    comments
                        .pictures()
                        .iter()
                        .map(|(picture, _)| picture_entry(picture, "METADATA_BLOCK_PICTURE")),
                );
                entries.push(Entry {
                    key: None,
                    description: String::new(),
                    value: comments.vendor().to_string(),
                    source: "vendor".into(),
                });
                entries
            }
            Native::Ilst(ilst) => ilst.into_iter().flat_map(atom_entries).collect(),
            Native::Ape(ape) => ape.into_iter().flat_map(ape_entries).collect(),
        }
    }

    /// Removes every native item holding an entry `holds` accepts.
    fn remove_where(&mut self, holds: &dyn Fn(&Entry) -> bool) {
        let any = |entries: Vec<Entry>| entries.iter().any(holds);
        match self {
            Native::Id3v2 { tag, .. } => {
                let tipl: Vec<Frame<'static>> = tag.remove(&tipl_id()).collect();
                let doomed: Vec<bool> =
                    (&*tag).into_iter().map(|f| any(frame_entries(f))).collect();
                let mut doomed = doomed.into_iter();
                tag.retain(|_| !doomed.next().unwrap_or(false));
                for frame in tipl {
                    match frame {
                        Frame::KeyValue(mut people) => {
                            people
                                .key_value_pairs
                                .retain(|pair| !any(tipl_pair_entries(pair)));
                            if !people.key_value_pairs.is_empty() {
                                tag.insert(Frame::KeyValue(people));
                            }
                        }
                        other => {
                            if !any(frame_entries(&other)) {
                                tag.insert(other);
                            }
                        }
                    }
                }
            }
            Native::Vorbis(comments) => {
                let items: Vec<(String, String)> = comments.take_items().collect();
                for (key, value) in items {
                    if !holds(&vorbis_entry(&key, &value)) {
                        comments.push(key, value);
                    }
                }
            }
            Native::Ilst(ilst) => ilst.retain(|atom| !any(atom_entries(atom))),
            Native::Ape(ape) => {
                let doomed: Vec<String> = (&*ape)
                    .into_iter()
                    .filter(|item| any(ape_entries(item)))
                    .map(|item| item.key().to_string())
                    .collect();
                for key in doomed {
                    ape.remove(&key);
                }
            }
        }
    }

    /// Adds `values` under `key`, in the format's own way of holding several values.
    fn add(&mut self, key: &ItemKey, values: &[String]) -> Result<(), String> {
        if values.is_empty() {
            return Ok(());
        }
        let tag_type = self.tag_type();
        let no_place = || format!("{key:?} has no place in a {tag_type:?} tag");
        match self {
            Native::Id3v2 { tag, .. } => {
                // lofty's mapping makes the frames: NUL-joined text, TXXX, COMM, TDRC, TIPL.
                let mut generic = Tag::new(TagType::Id3v2);
                for value in values {
                    generic
                        .push_unchecked(TagItem::new(key.clone(), ItemValue::Text(value.clone())));
                }
                for frame in Id3v2Tag::from(generic) {
                    match frame {
                        Frame::KeyValue(people) if people_frame_is_tipl(&people) => {
                            let mut existing: Vec<Frame<'static>> =
                                tag.remove(&tipl_id()).collect();
                            match existing.first_mut() {
                                Some(Frame::KeyValue(current)) => {
                                    current.key_value_pairs.extend(people.key_value_pairs);
                                }
                                _ => existing.push(Frame::KeyValue(people)),
                            }
                            for frame in existing {
                                tag.insert(frame);
                            }
                        }
                        other => {
                            tag.insert(other);
                        }
                    }
                }
            }
            Native::Vorbis(comments) => {
                let name = key
                    .map_key(TagType::VorbisComments, true)
                    .ok_or_else(no_place)?
                    .to_string();
                for value in values {
                    comments.push(name.clone(), value.clone());
                }
            }
            Native::Ilst(ilst) => {
                let ident = AtomIdent::try_from(key)
                    .map_err(|_| no_place())?
                    .into_owned();
                let data = values.iter().cloned().map(AtomData::UTF8).collect();
                if let Some(atom) = Atom::from_collection(ident, data) {
                    ilst.insert(atom);
                }
            }
            Native::Ape(ape) => {
                let name = key.map_key(TagType::Ape, true).ok_or_else(no_place)?;
                let item = ApeItem::new(name.to_string(), ItemValue::Text(values.join("\0")))
                    .map_err(|e| e.to_string())?;
                ape.insert(item);
            }
        }
        Ok(())
    }

    fn save(&self, file: &mut File) -> lofty::error::Result<()> {
        file.rewind()?;
        match self {
            Native::Id3v2 { tag, v23 } => tag.save_to(file, WriteOptions::new().use_id3v23(*v23)),
            Native::Vorbis(comments) => comments.save_to(file, WriteOptions::new()),
            Native::Ilst(ilst) => ilst.save_to(file, WriteOptions::new()),
            Native::Ape(ape) => ape.save_to(file, WriteOptions::new()),
        }
    }
}

/// lofty refuses to write a comment or lyrics frame whose language is not three letters, as
/// some taggers leave it (`"\0\0\0"`); such a language is written as `XXX`, "unknown".
fn written_language(language: [u8; 3]) -> [u8; 3] {
    if language.iter().all(u8::is_ascii_alphabetic) {
        language
    } else {
        *b"XXX"
    }
}

fn is_plain_comment(frame: &Frame<'_>) -> bool {
    matches!(frame, Frame::Comment(c) if c.description.is_empty())
}

/// Makes the comment and lyrics frames writable (see [`written_language`]) and, when the comment
/// was written, puts it before described comments (`iTunNORM`, `iTunPGAP`...), since the
/// catalog reader takes the first comment it finds.
fn settle_language_frames(tag: &mut Id3v2Tag, comment_written: bool) {
    for id in ["COMM", "USLT"] {
        let reorder = comment_written && id == "COMM";
        let unwritable = (&*tag).into_iter().any(|frame| match frame {
            Frame::Comment(c) => written_language(c.language) != c.language,
            Frame::UnsynchronizedText(u) => written_language(u.language) != u.language,
            _ => false,
        });
        if !reorder && !unwritable {
            continue;
        }
        let mut frames: Vec<Frame<'static>> =
            tag.remove(&FrameId::Valid(Cow::Borrowed(id))).collect();
        for frame in &mut frames {
            match frame {
                Frame::Comment(c) => c.language = written_language(c.language),
                Frame::UnsynchronizedText(u) => u.language = written_language(u.language),
                _ => {}
            }
        }
        if reorder {
            frames.sort_by_key(|frame| !is_plain_comment(frame));
        }
        for frame in frames {
            tag.insert(frame);
        }
    }
}

fn people_frame_is_tipl(frame: &KeyValueFrame<'_>) -> bool {
    Frame::KeyValue(frame.clone()).id_str() == "TIPL"
}

/// Applies `changes` to a native tag and says which entries it rewrote.
///
/// New values go under the field's write key and every other key of the field the tag holds;
/// removing a field also removes its fallbacks. Custom items the reader adds to the field are
/// replaced.
fn edit(native: &mut Native, changes: &[Change]) -> Result<Touched, String> {
    let mut touched = Touched::default();
    for change in changes {
        let field = change.field;
        let new = clean_values(&change.new);
        let names = field.custom_names();
        let (removed, rewritten): (Vec<ItemKey>, Vec<ItemKey>) = if new.is_empty() {
            let all = field.keys().into_iter().chain(field.fallbacks()).collect();
            (all, Vec::new())
        } else {
            let write = native.write_key(field).ok_or_else(|| {
                format!("a {:?} tag has no place for the {field}", native.tag_type())
            })?;
            let entries = native.entries();
            let mut rewritten: Vec<ItemKey> = field
                .keys()
                .into_iter()
                .filter(|k| {
                    *k != write && native.writable(k) && entries.iter().any(|e| e.is_plain(k))
                })
                .collect();
            rewritten.push(write.clone());
            // All of the field's own keys go, including one this tag cannot write again.
            let mut removed = field.keys();
            removed.push(write);
            (removed, rewritten)
        };
        native.remove_where(&|e: &Entry| {
            (e.description.is_empty() && e.key.as_ref().is_some_and(|k| removed.contains(k)))
                || is_custom(e, names)
        });
        for key in &rewritten {
            // The reader takes one value from a custom item and splits it on ";".
            let values = if matches!(key, ItemKey::Unknown(_)) {
                vec![new.join("; ")]
            } else {
                new.clone()
            };
            native.add(key, &values)?;
        }
        touched.keys.extend(removed);
        touched.custom.extend_from_slice(names);
    }
    if let Native::Id3v2 { tag, .. } = native {
        let comment_written = changes.iter().any(|c| c.field == Field::Comment);
        settle_language_frames(tag, comment_written);
    }
    Ok(touched)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(values: &[&str]) -> Vec<String> {
        values.iter().map(|v| v.to_string()).collect()
    }

    fn change(field: Field, new: &[&str]) -> Change {
        Change {
            field,
            old: Vec::new(),
            new: strings(new),
        }
    }

    fn empty_natives() -> Vec<Native> {
        vec![
            Native::Id3v2 {
                tag: Id3v2Tag::new(),
                v23: false,
            },
            Native::Id3v2 {
                tag: Id3v2Tag::new(),
                v23: true,
            },
            Native::Vorbis(VorbisComments::new()),
            Native::Ilst(Ilst::new()),
            Native::Ape(ApeTag::new()),
        ]
    }

    fn entry(key: ItemKey, value: &str) -> Entry {
        Entry {
            key: Some(key),
            description: String::new(),
            value: value.into(),
            source: "test".into(),
        }
    }

    fn vorbis(items: &[(&str, &str)]) -> Native {
        let mut comments = VorbisComments::new();
        for (key, value) in items {
            comments.push(key.to_string(), value.to_string());
        }
        Native::Vorbis(comments)
    }

    fn vorbis_items(native: &Native) -> Vec<(String, String)> {
        let Native::Vorbis(comments) = native else {
            panic!("a Vorbis tag stays one");
        };
        comments
            .items()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn fields_serialize_in_snake_case_and_display_as_words() {
        assert_eq!(
            serde_json::to_string(&Field::AlbumArtist).unwrap(),
            "\"album_artist\"",
            "the UI and stored plans name fields in snake_case"
        );
        assert_eq!(
            serde_json::from_str::<Field>("\"catalog_number\"").unwrap(),
            Field::CatalogNumber
        );
        assert_eq!(Field::AlbumArtist.to_string(), "album artist");
    }

    #[test]
    fn every_field_round_trips_through_every_writable_tag_format() {
        for empty in empty_natives() {
            for field in Field::ALL {
                let values: &[&str] = if field == Field::Year {
                    &["1999"]
                } else {
                    &["Value one", "Value two"]
                };
                let mut native = empty.clone();
                assert!(
                    native.write_key(field).is_some(),
                    "a {:?} tag has a place for the {field}",
                    native.tag_type()
                );
                edit(&mut native, &[change(field, values)]).unwrap();
                assert_eq!(
                    field_values(&native.entries(), field),
                    strings(values),
                    "the {field} written into a {:?} tag reads back as written",
                    native.tag_type()
                );
            }
        }
    }

    #[test]
    fn only_the_orchestrator_of_mp4_and_id3v2_3_needs_a_custom_item() {
        for native in empty_natives() {
            for field in Field::ALL {
                let custom = matches!(native.write_key(field), Some(ItemKey::Unknown(_)));
                let expected = field == Field::Orchestrator
                    && matches!(native, Native::Ilst(_) | Native::Id3v2 { v23: true, .. });
                assert_eq!(
                    custom,
                    expected,
                    "the {field} in a {:?} tag uses a standard key wherever lofty can write one",
                    native.tag_type()
                );
            }
        }
    }

    #[test]
    fn values_are_read_in_the_order_the_catalog_reader_prefers() {
        let entries = vec![
            entry(ItemKey::TrackArtist, "Display Artist"),
            entry(ItemKey::TrackArtists, "One"),
            entry(ItemKey::TrackArtists, "Two"),
            entry(ItemKey::Year, "1977"),
            entry(ItemKey::RecordingDate, "1977-05-25"),
            entry(ItemKey::Publisher, "Publisher"),
            entry(ItemKey::Arranger, "Arranger"),
            entry(
                ItemKey::Unknown("----:com.apple.iTunes:ORCHESTRATOR".into()),
                "A; B",
            ),
            entry(ItemKey::TrackTitle, "  "),
        ];
        assert_eq!(
            field_values(&entries, Field::Artist),
            strings(&["One", "Two"]),
            "the artist list comes before the display artist"
        );
        assert_eq!(
            field_values(&entries, Field::Year),
            strings(&["1977-05-25"]),
            "the recording date comes before the year"
        );
        assert_eq!(
            field_values(&entries, Field::Label),
            strings(&["Publisher"]),
            "without a label the publisher stands in"
        );
        assert_eq!(
            field_values(&entries, Field::Orchestrator),
            strings(&["Arranger", "A", "B"]),
            "custom orchestrator items add to the arrangers, split on ';'"
        );
        assert_eq!(
            field_values(&entries, Field::Title),
            Vec::<String>::new(),
            "a blank value is no value"
        );
        let described = Entry {
            description: "iTunNORM".into(),
            ..entry(ItemKey::Comment, "00000224")
        };
        assert_eq!(
            field_values(&[described], Field::Comment),
            Vec::<String>::new(),
            "a described comment is another program's data, not the comment"
        );
    }

    #[test]
    fn writing_a_field_rewrites_its_keys_and_leaves_related_data_alone() {
        let mut native = vorbis(&[
            ("TITLE", "Title"),
            ("ARTIST", "Display"),
            ("ARTISTS", "One"),
            ("ARTISTS", "Two"),
            ("DATE", "1977-05-25"),
            ("YEAR", "1977"),
            ("RELEASEDATE", "1997-01-01"),
            ("ORGANIZATION", "Old Label"),
            ("PUBLISHER", "Publisher"),
            ("MOOD", "calm"),
        ]);
        edit(
            &mut native,
            &[
                change(Field::Artist, &["New"]),
                change(Field::Year, &["1999"]),
                change(Field::Label, &["New Label"]),
            ],
        )
        .unwrap();
        let mut items = vorbis_items(&native);
        items.sort();
        let mut expected = pairs(&[
            ("TITLE", "Title"),
            ("ARTIST", "New"),
            ("ARTISTS", "New"),
            ("DATE", "1999"),
            ("YEAR", "1999"),
            ("RELEASEDATE", "1997-01-01"),
            ("LABEL", "New Label"),
            ("PUBLISHER", "Publisher"),
            ("MOOD", "calm"),
        ]);
        expected.sort();
        assert_eq!(
            items, expected,
            "every key of a field is rewritten (ORGANIZATION is a label, written as LABEL); \
             the publisher and release date only stand in for it and stay"
        );
    }

    #[test]
    fn removing_a_field_also_removes_what_the_reader_would_fall_back_on() {
        let mut native = vorbis(&[
            ("LABEL", "Label"),
            ("PUBLISHER", "Publisher"),
            ("DATE", "1977"),
            ("RELEASEDATE", "1997"),
            ("TITLE", "Title"),
        ]);
        edit(
            &mut native,
            &[change(Field::Label, &[]), change(Field::Year, &[""])],
        )
        .unwrap();
        assert_eq!(
            vorbis_items(&native),
            pairs(&[("TITLE", "Title")]),
            "a removed field must not reappear from its fallback on the next scan"
        );
    }

    #[test]
    fn an_id3v2_orchestrator_edit_keeps_the_other_involved_people() {
        let mut tag = Id3v2Tag::new();
        tag.insert(Frame::KeyValue(KeyValueFrame::new(
            tipl_id(),
            TextEncoding::UTF8,
            vec![
                ("producer".into(), "Producer".into()),
                ("arranger".into(), "Old".into()),
            ],
        )));
        tag.insert_user_text("ORCHESTRATOR".into(), "Older".into());
        let mut native = Native::Id3v2 { tag, v23: false };
        edit(&mut native, &[change(Field::Orchestrator, &["New"])]).unwrap();
        assert_eq!(
            field_values(&native.entries(), Field::Orchestrator),
            strings(&["New"]),
            "the custom ORCHESTRATOR item is replaced along with the arranger"
        );
        let Native::Id3v2 { tag, .. } = &native else {
            unreachable!()
        };
        let Some(Frame::KeyValue(people)) = tag.get(&tipl_id()) else {
            panic!("the involved-people frame survives: {tag:?}");
        };
        assert_eq!(
            people.key_value_pairs,
            pairs(&[("producer", "Producer"), ("arranger", "New")]),
            "only the arranger pair changes"
        );
    }

    #[test]
    fn an_id3v2_comment_edit_keeps_described_comments_and_is_read_first() {
        use lofty::id3::v2::{CommentFrame, UnsynchronizedTextFrame};
        let mut tag = Id3v2Tag::new();
        tag.insert(Frame::Comment(CommentFrame::new(
            TextEncoding::UTF8,
            *b"eng",
            "iTunPGAP".into(),
            "0".into(),
        )));
        tag.insert(Frame::Comment(CommentFrame::new(
            TextEncoding::UTF8,
            [0; 3],
            String::new(),
            "Old".into(),
        )));
        tag.insert(Frame::UnsynchronizedText(UnsynchronizedTextFrame::new(
            TextEncoding::UTF8,
            [0; 3],
            String::new(),
            "Lyrics".into(),
        )));
        let mut native = Native::Id3v2 { tag, v23: false };
        edit(&mut native, &[change(Field::Comment, &["New"])]).unwrap();
        let Native::Id3v2 { tag, .. } = &native else {
            unreachable!()
        };
        let frames: Vec<String> = tag.into_iter().map(frame_source).collect();
        assert!(
            frames.iter().any(|f| f == "COMM(eng)"),
            "the iTunes gapless comment is kept: {frames:?}"
        );
        let first_comment = tag.into_iter().find_map(|f| match f {
            Frame::Comment(c) => Some(c.content.clone()),
            _ => None,
        });
        assert_eq!(
            first_comment.as_deref(),
            Some("New"),
            "the catalog reader takes the first comment, so the written one comes first"
        );
        let lyrics_language = tag.into_iter().find_map(|f| match f {
            Frame::UnsynchronizedText(u) => Some(u.language),
            _ => None,
        });
        assert_eq!(
            lyrics_language,
            Some(*b"XXX"),
            "a language lofty cannot write becomes 'unknown'"
        );
    }

    #[test]
    fn ape_keeps_several_values_in_one_nul_separated_item() {
        let mut native = Native::Ape(ApeTag::new());
        edit(&mut native, &[change(Field::Composer, &["A", "B"])]).unwrap();
        let Native::Ape(ape) = &native else {
            unreachable!()
        };
        assert_eq!(
            ape.get("Composer").map(|item| item.value().clone()),
            Some(ItemValue::Text("A\0B".into())),
            "APE allows one item per key, its values separated by NUL"
        );
    }

    #[test]
    fn changes_to_untouched_items_are_caught_and_named() {
        let touched = Touched {
            keys: vec![ItemKey::TrackTitle],
            custom: Vec::new(),
        };
        let before = vec![
            entry(ItemKey::TrackTitle, "Old"),
            Entry {
                source: "TPE1".into(),
                ..entry(ItemKey::TrackArtist, "Artist")
            },
            entry(ItemKey::Genre, "Score"),
        ];
        let mut reordered = vec![
            entry(ItemKey::Genre, "Score"),
            before[1].clone(),
            entry(ItemKey::TrackTitle, "New"),
        ];
        assert_eq!(
            untouched_unchanged(&before, &reordered, &touched),
            Ok(()),
            "a rewritten title and reordered items are fine"
        );
        reordered[1].value = "Another artist".into();
        let error = untouched_unchanged(&before, &reordered, &touched).unwrap_err();
        assert!(error.contains("TPE1"), "the changed item is named: {error}");
    }

    #[test]
    fn a_field_named_twice_is_found_and_blank_values_are_no_values() {
        assert_eq!(
            repeated_field(&[
                change(Field::Title, &["a"]),
                change(Field::Album, &["b"]),
                change(Field::Title, &["c"])
            ]),
            Some(Field::Title)
        );
        assert_eq!(repeated_field(&[change(Field::Title, &["a"])]), None);
        assert_eq!(
            clean_values(&strings(&["", "  ", "a", " b "])),
            strings(&["a", " b "]),
            "blank values are dropped, others are kept exactly"
        );
        assert_eq!(
            custom_key("----:com.apple.iTunes:Orchestrator"),
            "ORCHESTRATOR"
        );
    }

    #[test]
    fn a_rescan_must_show_the_new_values_as_the_reader_normalises_them() {
        assert_eq!(
            expected_catalog_values(Field::Composer, &strings(&["A; B", " A ", "C"])),
            strings(&["A", "B", "C"]),
            "lists are split on ';', trimmed and deduplicated"
        );
        assert_eq!(
            expected_catalog_values(Field::Genre, &strings(&[" Score ", "Drama"])),
            strings(&["Score"]),
            "a single-valued field shows its first value"
        );
        let mut tags = TrackTags {
            genre: Some("Silence".into()),
            comment: Some(" 00000224".into()),
            ..TrackTags::default()
        };
        let remove = |field: Field, old: &[&str]| Change {
            field,
            old: strings(old),
            new: Vec::new(),
        };
        let error = check_rescan(&tags, &[remove(Field::Genre, &["Silence"])]).unwrap_err();
        assert!(
            error.contains("genre"),
            "a genre still read from another tag fails the check: {error}"
        );
        assert_eq!(
            check_rescan(&tags, &[remove(Field::Comment, &["Old comment"])]),
            Ok(()),
            "a removed comment may leave another program's described comment showing"
        );
        tags.genre = None;
        assert_eq!(
            check_rescan(&tags, &[remove(Field::Genre, &["Silence"])]),
            Ok(())
        );
    }

    #[test]
    fn flac_metadata_gains_a_final_padding_block_only_when_it_lacks_one() {
        let audio = b"\xff\xf8AUDIO FRAMES".to_vec();
        let mut flac = b"fLaC".to_vec();
        flac.extend([0x00, 0, 0, 34]);
        flac.extend([0u8; 34]);
        flac.extend([0x84, 0, 0, 8]);
        flac.extend([0u8; 8]);
        flac.extend(&audio);
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(&flac).unwrap();

        end_flac_metadata_with_padding(&mut file).unwrap();
        let mut bytes = Vec::new();
        file.rewind().unwrap();
        file.read_to_end(&mut bytes).unwrap();
        assert_eq!(
            bytes[42], 0x04,
            "the comment block is no longer the last block"
        );
        assert_eq!(
            bytes[54..58],
            [0x81, 0x00, 0x04, 0x00],
            "a 1024-byte padding block now ends the metadata"
        );
        assert_eq!(bytes[58 + 1024..], audio[..], "the audio follows untouched");

        end_flac_metadata_with_padding(&mut file).unwrap();
        let mut again = Vec::new();
        file.rewind().unwrap();
        file.read_to_end(&mut again).unwrap();
        assert_eq!(
            again, bytes,
            "metadata that already ends in padding is left alone"
        );
    }
}
