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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{load_sources, read_manifest};
    use lofty::file::TaggedFileExt;
    use lofty::probe::Probe;
    use lofty::tag::{ItemKey, TagType};

    fn full_tags() -> TrackTags {
        TrackTags {
            title: "Aerith's Theme: Reprise?".into(),
            artist: "Göransson & 植松伸夫".into(),
            album: "Final Fantasy VII Original Soundtrack".into(),
            album_artist: "Various Artists".into(),
            composers: vec!["植松伸夫".into(), "Ludwig Göransson".into()],
            conductor: Some("Joel McNeely".into()),
            year: 1997,
            original_year: Some(1995),
            track: 3,
            track_total: 12,
            disc: 2,
            disc_total: 4,
            label: Some("Varèse Sarabande".into()),
            catalog_number: Some("SSCX-10001".into()),
            edition: Some("Limited Edition (3000 copies)".into()),
            genre: "Video Game Music".into(),
            compilation: true,
        }
    }

    /// The generic lofty key under which the release comment reads back.
    fn release_comment_key(tag_type: TagType) -> ItemKey {
        ItemKey::Unknown(match tag_type {
            TagType::Mp4Ilst => format!("----:{ITUNES_MEAN}:{RELEASE_COMMENT}"),
            TagType::Ape => APE_RELEASE_COMMENT.to_owned(),
            _ => RELEASE_COMMENT.to_owned(),
        })
    }

    #[test]
    fn tagged_mp4_files_keep_the_hdlr_that_readers_need() {
        let Some(corpus) = crate::corpus_dir() else {
            eprintln!("skipping: the audio corpus is unavailable");
            return;
        };
        let manifest = read_manifest(&corpus).expect("manifest");
        let (sources, _) = load_sources(&corpus, &manifest, None).expect("sources");
        for source in sources.iter().filter(|s| s.format == AudioFormat::M4a) {
            let bytes = write_tags(&source.audio, source.format, &full_tags()).expect("tagged");
            let children = crate::corpus::mp4_meta_children(&bytes).expect("a meta atom");
            assert_eq!(
                children.first(),
                Some(b"hdlr"),
                "{}: FFmpeg and iTunes ignore an `ilst` whose `meta` has no `hdlr` first",
                source.path
            );
            assert!(
                children.contains(b"ilst"),
                "{}: the tags are in an ilst",
                source.path
            );
        }
    }

    fn mp4_composers(bytes: &[u8]) -> Vec<String> {
        use lofty::file::AudioFile;
        let file = lofty::mp4::Mp4File::read_from(&mut Cursor::new(bytes), Default::default())
            .expect("an MP4 file");
        let ilst = file.ilst().expect("an ilst");
        ilst.get(&AtomIdent::Fourcc(*b"\xa9wrt"))
            .map(|atom| {
                atom.data()
                    .filter_map(|data| match data {
                        AtomData::UTF8(text) => Some(text.clone()),
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn every_format_reads_back_every_field_through_lofty_generic_keys() {
        let Some(corpus) = crate::corpus_dir() else {
            eprintln!("skipping: the audio corpus is unavailable");
            return;
        };
        let manifest = read_manifest(&corpus).expect("manifest");
        let (sources, _) = load_sources(&corpus, &manifest, Some(100_000)).expect("sources");
        let tags = full_tags();
        for format in AudioFormat::ALL {
            let source = sources
                .iter()
                .find(|s| s.format == format)
                .unwrap_or_else(|| panic!("the corpus has a clean small {format} file"));
            let bytes = write_tags(&source.audio, format, &tags)
                .unwrap_or_else(|e| panic!("tagging {} failed: {e}", source.path));
            let file = Probe::new(Cursor::new(&bytes))
                .guess_file_type()
                .expect("probe")
                .read()
                .expect("a tagged copy must parse");
            assert_eq!(
                file.tags().len(),
                1,
                "{format}: only the native tag is present"
            );
            let tag = file.primary_tag().expect("a primary tag");
            let text = |key: ItemKey| tag.get_string(&key).map(str::to_owned);
            assert_eq!(
                text(ItemKey::TrackTitle).as_deref(),
                Some(tags.title.as_str()),
                "{format}: title"
            );
            assert_eq!(
                text(ItemKey::TrackArtist).as_deref(),
                Some(tags.artist.as_str()),
                "{format}: artist"
            );
            assert_eq!(
                text(ItemKey::AlbumTitle).as_deref(),
                Some(tags.album.as_str()),
                "{format}: album"
            );
            assert_eq!(
                text(ItemKey::AlbumArtist).as_deref(),
                Some(tags.album_artist.as_str()),
                "{format}: album artist"
            );
            let composers: Vec<String> = if format == AudioFormat::M4a {
                // lofty's generic tag keeps only the first data box of an MP4 atom.
                mp4_composers(&bytes)
            } else {
                tag.get_strings(&ItemKey::Composer)
                    .flat_map(|value| value.split('\0'))
                    .map(str::to_owned)
                    .collect()
            };
            assert_eq!(
                composers, tags.composers,
                "{format}: one value per composer"
            );
            assert_eq!(
                text(ItemKey::Conductor).as_deref(),
                Some("Joel McNeely"),
                "{format}: conductor"
            );
            assert_eq!(tag.track(), Some(3), "{format}: track number");
            assert_eq!(tag.track_total(), Some(12), "{format}: track total");
            assert_eq!(tag.disk(), Some(2), "{format}: disc number");
            assert_eq!(tag.disk_total(), Some(4), "{format}: disc total");
            assert_eq!(
                text(ItemKey::Label).as_deref(),
                Some("Varèse Sarabande"),
                "{format}: label"
            );
            assert_eq!(
                text(ItemKey::CatalogNumber).as_deref(),
                Some("SSCX-10001"),
                "{format}: catalog number"
            );
            assert_eq!(
                text(ItemKey::OriginalReleaseDate).as_deref(),
                Some("1995"),
                "{format}: the work year is the original date"
            );
            assert_eq!(
                text(release_comment_key(tag.tag_type())).as_deref(),
                Some("Limited Edition (3000 copies)"),
                "{format}: the edition is the release comment"
            );
            assert_eq!(
                text(ItemKey::Genre).as_deref(),
                Some("Video Game Music"),
                "{format}: genre"
            );
            let year = text(ItemKey::RecordingDate).or_else(|| text(ItemKey::Year));
            assert_eq!(year.as_deref(), Some("1997"), "{format}: release year");
            let compilation = text(ItemKey::FlagCompilation);
            assert!(
                matches!(compilation.as_deref(), Some("1" | "true")),
                "{format}: Various Artists albums are flagged as compilations, got {compilation:?}"
            );
        }
    }
}
