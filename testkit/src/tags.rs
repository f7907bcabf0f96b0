//! Writing one track's tags into an in-memory audio file, in the format's native tag type.
//!
//! The field names per format are the table in the crate documentation; keep the two in
//! step. The input must already be stripped of tags (see `corpus::strip_tags`), so the
//! written tag is the only one in the file. Everything here is pure and thread-safe.

use std::borrow::Cow;
use std::io::Cursor;

use lofty::ape::{ApeItem, ApeTag};
use lofty::config::WriteOptions;
use lofty::id3::v2::{ExtendedTextFrame, Frame, FrameId, Id3v2Tag, TextInformationFrame};
use lofty::mp4::{Atom, AtomData, AtomIdent, Ilst};
use lofty::ogg::VorbisComments;
use lofty::tag::{Accessor, ItemValue, TagExt};
use lofty::TextEncoding;

use crate::format::AudioFormat;

/// The name of the release-comment field (the spec's `edition`) in Vorbis comments, in
/// ID3v2 `TXXX` descriptions and in MP4 freeform atoms; APEv2 uses [`APE_RELEASE_COMMENT`].
pub(crate) const RELEASE_COMMENT: &str = "RELEASECOMMENT";
/// The APEv2 item key of the release comment.
pub(crate) const APE_RELEASE_COMMENT: &str = "ReleaseComment";
/// Reverse-DNS `mean` of the iTunes-style freeform atoms.
pub(crate) const ITUNES_MEAN: &str = "com.apple.iTunes";

/// Everything written into one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct TrackTags {
    pub(crate) title: String,
    pub(crate) artist: String,
    pub(crate) album: String,
    pub(crate) album_artist: String,
    /// One entry per composer; empty writes no composer field.
    pub(crate) composers: Vec<String>,
    pub(crate) conductor: Option<String>,
    /// Release year of the album.
    pub(crate) year: u32,
    /// Year of the film, game or show (Picard's "original date").
    pub(crate) original_year: Option<u32>,
    pub(crate) track: u32,
    pub(crate) track_total: u32,
    pub(crate) disc: u32,
    pub(crate) disc_total: u32,
    pub(crate) label: Option<String>,
    pub(crate) catalog_number: Option<String>,
    /// Free text such as "Expanded Edition", written as the release comment.
    pub(crate) edition: Option<String>,
    pub(crate) genre: String,
    pub(crate) compilation: bool,
}

/// Returns `audio` (a tag-less file of `format`) with `tags` written into it.
pub(crate) fn write_tags(
    audio: &[u8],
    format: AudioFormat,
    tags: &TrackTags,
) -> lofty::error::Result<Vec<u8>> {
    let mut file = Cursor::new(audio.to_vec());
    let options = WriteOptions::default();
    match format {
        AudioFormat::Ogg | AudioFormat::Opus | AudioFormat::Flac => {
            vorbis_comments(tags).save_to(&mut file, options)?
        }
        AudioFormat::Mp3 | AudioFormat::Wav => id3v2(tags).save_to(&mut file, options)?,
        AudioFormat::M4a => ilst(tags).save_to(&mut file, options)?,
        AudioFormat::Wv => ape(tags)?.save_to(&mut file, options)?,
    }
    Ok(file.into_inner())
}

fn vorbis_comments(tags: &TrackTags) -> VorbisComments {
    let mut vc = VorbisComments::new();
    let mut push = |key: &str, value: String| vc.push(key.to_owned(), value);
    push("TITLE", tags.title.clone());
    push("ARTIST", tags.artist.clone());
    push("ALBUM", tags.album.clone());
    push("ALBUMARTIST", tags.album_artist.clone());
    for composer in &tags.composers {
        push("COMPOSER", composer.clone());
    }
    if let Some(conductor) = &tags.conductor {
        push("CONDUCTOR", conductor.clone());
    }
    push("DATE", tags.year.to_string());
    if let Some(year) = tags.original_year {
        push("ORIGINALDATE", year.to_string());
    }
    push("TRACKNUMBER", tags.track.to_string());
    push("TRACKTOTAL", tags.track_total.to_string());
    push("DISCNUMBER", tags.disc.to_string());
    push("DISCTOTAL", tags.disc_total.to_string());
    if let Some(label) = &tags.label {
        push("LABEL", label.clone());
    }
    if let Some(catalog_number) = &tags.catalog_number {
        push("CATALOGNUMBER", catalog_number.clone());
    }
    if let Some(edition) = &tags.edition {
        push(RELEASE_COMMENT, edition.clone());
    }
    push("GENRE", tags.genre.clone());
    if tags.compilation {
        push("COMPILATION", "1".to_owned());
    }
    vc
}

fn id3v2(tags: &TrackTags) -> Id3v2Tag {
    let mut tag = Id3v2Tag::new();
    let mut text = |id: &'static str, value: String| {
        tag.insert(Frame::Text(TextInformationFrame::new(
            FrameId::Valid(Cow::Borrowed(id)),
            TextEncoding::UTF8,
            value,
        )));
    };
    text("TIT2", tags.title.clone());
    text("TPE1", tags.artist.clone());
    text("TALB", tags.album.clone());
    text("TPE2", tags.album_artist.clone());
    if !tags.composers.is_empty() {
        // ID3v2.4 separates the values of one text frame with NUL.
        text("TCOM", tags.composers.join("\0"));
    }
    if let Some(conductor) = &tags.conductor {
        text("TPE3", conductor.clone());
    }
    text("TDRC", tags.year.to_string());
    if let Some(year) = tags.original_year {
        text("TDOR", year.to_string());
    }
    text("TRCK", format!("{}/{}", tags.track, tags.track_total));
    text("TPOS", format!("{}/{}", tags.disc, tags.disc_total));
    if let Some(label) = &tags.label {
        text("TPUB", label.clone());
    }
    text("TCON", tags.genre.clone());
    if tags.compilation {
        text("TCMP", "1".to_owned());
    }
    let mut user_text = |description: &str, value: &str| {
        tag.insert(Frame::UserText(ExtendedTextFrame::new(
            TextEncoding::UTF8,
            description.to_owned(),
            value.to_owned(),
        )));
    };
    if let Some(catalog_number) = &tags.catalog_number {
        user_text("CATALOGNUMBER", catalog_number);
    }
    if let Some(edition) = &tags.edition {
        user_text(RELEASE_COMMENT, edition);
    }
    tag
}

fn ilst(tags: &TrackTags) -> Ilst {
    fn text(ilst: &mut Ilst, fourcc: &[u8; 4], value: &str) {
        ilst.insert(Atom::new(
            AtomIdent::Fourcc(*fourcc),
            AtomData::UTF8(value.to_owned()),
        ));
    }
    fn freeform(ilst: &mut Ilst, name: &'static str, value: &str) {
        ilst.insert(Atom::new(
            AtomIdent::Freeform {
                mean: Cow::Borrowed(ITUNES_MEAN),
                name: Cow::Borrowed(name),
            },
            AtomData::UTF8(value.to_owned()),
        ));
    }

    let mut ilst = Ilst::new();
    text(&mut ilst, b"\xa9nam", &tags.title);
    text(&mut ilst, b"\xa9ART", &tags.artist);
    text(&mut ilst, b"\xa9alb", &tags.album);
    text(&mut ilst, b"aART", &tags.album_artist);
    // One data box per composer inside a single ©wrt atom is MP4's multi-value form.
    let composers = tags
        .composers
        .iter()
        .map(|c| AtomData::UTF8(c.clone()))
        .collect();
    if let Some(atom) = Atom::from_collection(AtomIdent::Fourcc(*b"\xa9wrt"), composers) {
        ilst.insert(atom);
    }
    if let Some(conductor) = &tags.conductor {
        freeform(&mut ilst, "CONDUCTOR", conductor);
    }
    text(&mut ilst, b"\xa9day", &tags.year.to_string());
    if let Some(year) = tags.original_year {
        freeform(&mut ilst, "ORIGINALDATE", &year.to_string());
    }
    ilst.set_track(tags.track);
    ilst.set_track_total(tags.track_total);
    ilst.set_disk(tags.disc);
    ilst.set_disk_total(tags.disc_total);
    if let Some(label) = &tags.label {
        freeform(&mut ilst, "LABEL", label);
    }
    if let Some(catalog_number) = &tags.catalog_number {
        freeform(&mut ilst, "CATALOGNUMBER", catalog_number);
    }
    if let Some(edition) = &tags.edition {
        freeform(&mut ilst, RELEASE_COMMENT, edition);
    }
    text(&mut ilst, b"\xa9gen", &tags.genre);
    if tags.compilation {
        ilst.set_flag(lofty::mp4::constants::flags::COMPILATION, true);
    }
    ilst
}

fn ape(tags: &TrackTags) -> lofty::error::Result<ApeTag> {
    let mut tag = ApeTag::new();
    let mut insert = |key: &str, value: String| -> lofty::error::Result<()> {
        tag.insert(ApeItem::new(key.to_owned(), ItemValue::Text(value))?);
        Ok(())
    };
    insert("Title", tags.title.clone())?;
    insert("Artist", tags.artist.clone())?;
    insert("Album", tags.album.clone())?;
    insert("Album Artist", tags.album_artist.clone())?;
    if !tags.composers.is_empty() {
        // APEv2 separates the values of one text item with NUL.
        insert("Composer", tags.composers.join("\0"))?;
    }
    if let Some(conductor) = &tags.conductor {
        insert("Conductor", conductor.clone())?;
    }
    insert("Year", tags.year.to_string())?;
    if let Some(year) = tags.original_year {
        insert("ORIGINALYEAR", year.to_string())?;
    }
    insert("Track", format!("{}/{}", tags.track, tags.track_total))?;
    insert("Disc", format!("{}/{}", tags.disc, tags.disc_total))?;
    if let Some(label) = &tags.label {
        insert("Label", label.clone())?;
    }
    if let Some(catalog_number) = &tags.catalog_number {
        insert("CatalogNumber", catalog_number.clone())?;
    }
    if let Some(edition) = &tags.edition {
        insert(APE_RELEASE_COMMENT, edition.clone())?;
    }
    insert("Genre", tags.genre.clone())?;
    if tags.compilation {
        insert("Compilation", "1".to_owned())?;
    }
    Ok(tag)
}
