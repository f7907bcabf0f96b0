//! Content identity of audio files: a short id that follows a track's audio through tag rewrites,
//! renames and moves, so the catalog can recognise a file it has seen before.
//!
//! This module owns one question: "which audio is this?". It locates the audio payload of a file
//! without interpreting any tag data, then hashes with blake3 a domain tag for the container
//! family, the payload length and a fixed number of evenly spaced samples of the payload:
//!
//! - FLAC: the frames after the metadata blocks (a leading ID3v2 is skipped).
//! - Ogg (Vorbis, Opus, Speex, FLAC, Theora, multiplexed or not): the pages after every
//!   stream's header packets. Only segment data is hashed, since tag rewrites renumber pages and
//!   so change their headers. The length hashed is the byte span of the audio pages: header
//!   sizes survive a rewrite too, so it is as stable as the sum of segment data and, unlike it,
//!   needs no walk over every page.
//! - MP4: the contents of the `mdat` boxes; WAV/RF64/BW64: the `data` chunk; AIFF/AIFC: the
//!   `SSND` chunk; DSF, DSDIFF and ASF/WMA: their sound data chunk or object, since their
//!   headers also carry metadata.
//! - Everything else (MPEG, ADTS, WavPack, Monkey's Audio, Musepack, unknown): the bytes
//!   between leading ID3v2 tags and trailing ID3v1/APE/Lyrics3/ID3v2 tags.
//!
//! # Invariant
//!
//! Same audio payload ⇒ same id, whatever the tags, file name or location. The converse holds only
//! up to sampling: two payloads that differ only between the sampled chunks (and not in length)
//! get the same id. That is the price of the cost bound: the work is a fixed number of sample reads
//! (16 × 4 KiB, or the whole payload when it is under 64 KiB) plus a walk over the container's
//! header structure, which a tag reader performs anyway. What is read never grows with the size
//! of the audio.
//!
//! Files that do not parse as the container they claim to be fall back to the generic rule (strip
//! ID3v2 at the head, ID3v1/APE/Lyrics3 at the tail), and so do containers whose audio part is
//! empty, which would otherwise all share one id. Every readable file gets an id; only real I/O
//! errors are returned, and no input makes this code panic: every size field is bounds-checked
//! and every walk is capped.
//!
//! # Threading
//!
//! [`content_id`] is a pure function of the file's bytes: no shared or global state, no caching.
//! Call it from as many threads as you like, each with its own `File`.

use std::cmp::min;
use std::fs::File;
use std::io;
use std::ops::Range;

use lofty::file::FileType;

use super::source::ReadAt;

/// Versioned so that a future change of the sampling scheme can never collide with today's ids.
const DOMAIN: &[u8] = b"cuebook content-id v1\0";
/// Bytes per sample chunk.
const CHUNK: u64 = 4096;
/// Samples per payload; the first starts at the payload start, the last ends at the payload end.
const CHUNKS: u64 = 16;
/// Payloads up to this size are hashed whole, so short effects get full discrimination.
const WHOLE_LIMIT: u64 = CHUNK * CHUNKS;
/// Bytes of the id (128 bits of blake3): collision-safe for any collection, short to store.
const ID_BYTES: usize = 16;

/// Caps that keep a hostile file from turning a header walk into an unbounded loop.
const MAX_STACKED_TAGS: usize = 16;
const MAX_CHUNKS: u32 = 4096;
const MAX_FLAC_BLOCKS: u32 = 4096;
/// Enough for a comment packet carrying tens of megabytes of pictures in small pages.
const MAX_OGG_HEADER_PAGES: u32 = 16384;
const MAX_OGG_STREAMS: usize = 32;
/// Zero padding left between a tag and the audio by sloppy writers; any longer run is data.
const MAX_ZERO_RUN: u64 = 64 * 1024;
/// Read granularity for scanning; large enough to hold a typical Ogg page plus a sample.
const WINDOW: usize = 16 * 1024;
/// The largest possible Ogg page: 27-byte header, 255 lacing values, 255 × 255 data bytes.
const MAX_OGG_PAGE: u64 = 27 + 255 + 255 * 255;

/// Identity of a track's audio payload: hex string of 32 chars (128 bits of blake3).
///
/// `file_type` is the type lofty sniffed from the content, or `None` when unknown. The container is
/// recognised from the bytes first; the hint only matters for MP4 files whose first box is
/// unusual, so an unknown or wrong hint still gives the same id for the usual files.
/// The file cursor is left at an unspecified position.
pub fn content_id(file: &mut File, file_type: Option<FileType>) -> io::Result<String> {
    let len = file.metadata()?.len();
    content_id_at(file, len, file_type)
}

/// [`content_id`] over any positioned reader holding `len` bytes (the scanner's cached view).
///
/// # Errors
/// When reading fails.
pub fn content_id_at(
    file: &mut dyn ReadAt,
    len: u64,
    file_type: Option<FileType>,
) -> io::Result<String> {
    let mut src = Source::new(file, len);
    let digest = identify(&mut src, file_type)?;
    Ok(hex(&digest))
}

fn identify(src: &mut Source<'_>, hint: Option<FileType>) -> io::Result<[u8; ID_BYTES]> {
    let mut material = Material::new();
    material.push(DOMAIN);
    match locate(src, hint)? {
        Payload::Ranges { family, ranges } => sample_ranges(src, family, &ranges, &mut material)?,
        Payload::Ogg { audio } => sample_ogg(src, audio, &mut material)?,
    }
    let mut out = [0u8; ID_BYTES];
    out.copy_from_slice(&blake3::hash(&material.0).as_bytes()[..ID_BYTES]);
    Ok(out)
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    s
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

/// Positioned reads over the file, clamped to the length taken from metadata so that a file
/// growing underneath us cannot make a walk run on.
struct Source<'f> {
    file: &'f mut dyn ReadAt,
    len: u64,
    /// Read calls issued; lets tests check the cost bound.
    reads: u32,
}

impl<'f> Source<'f> {
    fn new(file: &'f mut dyn ReadAt, len: u64) -> Self {
        Source {
            file,
            len,
            reads: 0,
        }
    }

    /// Fills as much of `buf` as the file holds from `pos`; a short count means end of file.
    fn read_at(&mut self, pos: u64, buf: &mut [u8]) -> io::Result<usize> {
        if pos >= self.len || buf.is_empty() {
            return Ok(0);
        }
        let want = usize::try_from(min(buf.len() as u64, self.len - pos)).unwrap_or(buf.len());
        let buf = &mut buf[..want];
        self.reads = self.reads.saturating_add(1);
        self.file.read_at(buf, pos)
    }

    /// True when all of `buf` could be read.
    fn read_exact_at(&mut self, pos: u64, buf: &mut [u8]) -> io::Result<bool> {
        Ok(self.read_at(pos, buf)? == buf.len())
    }
}

/// A cached read window, so that walks over small adjacent structures cost one read, not many.
struct Window {
    start: u64,
    data: Vec<u8>,
}

impl Window {
    fn new() -> Self {
        Window {
            start: 0,
            data: Vec::new(),
        }
    }

    /// Everything cached from `pos` on: at least `need` bytes, fewer only at the end of the file.
    /// Reads only when the cache holds fewer than `need` bytes there.
    fn at(&mut self, src: &mut Source<'_>, pos: u64, need: usize) -> io::Result<&[u8]> {
        let cached_end = self.start.saturating_add(self.data.len() as u64);
        let hit = pos >= self.start && pos.saturating_add(need as u64) <= cached_end;
        if !hit {
            self.data.resize(need.max(WINDOW), 0);
            let got = src.read_at(pos, &mut self.data)?;
            self.data.truncate(got);
            self.start = pos;
        }
        let off = usize::try_from(pos - self.start).unwrap_or(usize::MAX);
        Ok(&self.data[min(off, self.data.len())..])
    }

    /// Exactly `n` bytes at `pos`, fewer only at the end of the file.
    fn bytes(&mut self, src: &mut Source<'_>, pos: u64, n: usize) -> io::Result<&[u8]> {
        let all = self.at(src, pos, n)?;
        Ok(&all[..min(n, all.len())])
    }
}

fn be32(b: &[u8]) -> u64 {
    b.iter()
        .take(4)
        .fold(0, |acc, &x| (acc << 8) | u64::from(x))
}

fn be64(b: &[u8]) -> u64 {
    b.iter()
        .take(8)
        .fold(0, |acc, &x| (acc << 8) | u64::from(x))
}

fn le32(b: &[u8]) -> u64 {
    b.iter()
        .take(4)
        .rev()
        .fold(0, |acc, &x| (acc << 8) | u64::from(x))
}

fn le64(b: &[u8]) -> u64 {
    b.iter()
        .take(8)
        .rev()
        .fold(0, |acc, &x| (acc << 8) | u64::from(x))
}

/// Offset of the first Ogg capture pattern in `h`. Horspool-style: it looks at every fourth
/// byte of audio data, which matters because sampling scans up to a page per sample.
fn find_capture(h: &[u8]) -> Option<usize> {
    let mut i = 0;
    while i + 4 <= h.len() {
        let shift = match h[i + 3] {
            b'S' if &h[i..i + 3] == b"Ogg" => return Some(i),
            b'g' => 1,
            b'O' => 3,
            _ => 4,
        };
        i += shift;
    }
    None
}

/// Offset of the last Ogg capture pattern in `h`, scanning backwards like [`find_capture`].
fn rfind_capture(h: &[u8]) -> Option<usize> {
    let mut i = h.len().checked_sub(4)?;
    loop {
        let shift = match h[i] {
            b'O' if &h[i + 1..i + 4] == b"ggS" => return Some(i),
            b'g' => 1,
            b'S' => 3,
            _ => 4,
        };
        i = i.checked_sub(shift)?;
    }
}

// ---------------------------------------------------------------------------------------------
// Locating the payload
// ---------------------------------------------------------------------------------------------

enum Payload {
    /// Byte ranges of the file, in order; hashed as their concatenation.
    Ranges {
        family: &'static str,
        ranges: Vec<Range<u64>>,
    },
    /// The file span from the first audio page to the end of the stream. Only page data inside it
    /// is hashed, because tag rewrites renumber pages and so change their headers.
    Ogg { audio: Range<u64> },
}

impl Payload {
    fn is_empty(&self) -> bool {
        match self {
            Payload::Ranges { ranges, .. } => ranges.iter().all(|r| r.start >= r.end),
            Payload::Ogg { audio } => audio.start >= audio.end,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Container {
    Flac,
    Ogg,
    Mp4,
    Riff,
    Aiff,
    Dsf,
    Dff,
    Asf,
}

const ASF_HEADER: [u8; 16] = [
    0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11, 0xA6, 0xD9, 0x00, 0xAA, 0x00, 0x62, 0xCE, 0x6C,
];
const ASF_DATA: [u8; 16] = [
    0x36, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11, 0xA6, 0xD9, 0x00, 0xAA, 0x00, 0x62, 0xCE, 0x6C,
];
/// Boxes an MP4/QuickTime file can plausibly open with.
const MP4_FIRST_BOXES: [&[u8; 4]; 8] = [
    b"ftyp", b"moov", b"mdat", b"free", b"skip", b"wide", b"pnot", b"uuid",
];

impl Container {
    /// Recognises the container by its magic, so the id depends on the bytes and not on the
    /// caller's guess.
    fn sniff(m: &[u8; 16]) -> Option<Self> {
        match &m[..4] {
            b"fLaC" => Some(Container::Flac),
            b"OggS" => Some(Container::Ogg),
            b"RIFF" | b"RF64" | b"BW64" if &m[8..12] == b"WAVE" => Some(Container::Riff),
            b"FORM" if &m[8..12] == b"AIFF" || &m[8..12] == b"AIFC" => Some(Container::Aiff),
            b"DSD " => Some(Container::Dsf),
            b"FRM8" if &m[12..16] == b"DSD " => Some(Container::Dff),
            _ if *m == ASF_HEADER => Some(Container::Asf),
            _ if MP4_FIRST_BOXES.iter().any(|b| &m[4..8] == *b) => Some(Container::Mp4),
            _ => None,
        }
    }

    /// Only MP4 needs the caller's hint: every other container has a fixed magic that
    /// [`Container::sniff`] already checked, while QuickTime-era files may open with any box.
    fn from_hint(hint: Option<FileType>) -> Option<Self> {
        (hint == Some(FileType::Mp4)).then_some(Container::Mp4)
    }

    fn locate(self, src: &mut Source<'_>, start: u64) -> io::Result<Option<Payload>> {
        let single = |family: &'static str, r: Option<Range<u64>>| {
            r.map(|r| Payload::Ranges {
                family,
                ranges: vec![r],
            })
        };
        Ok(match self {
            Container::Flac => single("flac", flac_frames(src, start)?),
            Container::Ogg => ogg_audio(src, start)?.map(|audio| Payload::Ogg { audio }),
            Container::Mp4 => mp4_mdat(src, start)?.map(|ranges| Payload::Ranges {
                family: "mp4",
                ranges,
            }),
            Container::Riff => single("riff", riff_data(src, start)?),
            Container::Aiff => single(
                "aiff",
                first_chunk(src, start + 12, Layout::Iff, &[b"SSND"])?,
            ),
            Container::Dsf => single("dsf", first_chunk(src, start, Layout::Dsf, &[b"data"])?),
            Container::Dff => single(
                "dff",
                first_chunk(src, start + 16, Layout::Dff, &[b"DSD ", b"DST "])?,
            ),
            Container::Asf => single("asf", first_chunk(src, start, Layout::Asf, &[&ASF_DATA])?),
        })
    }
}

fn locate(src: &mut Source<'_>, hint: Option<FileType>) -> io::Result<Payload> {
    let start = skip_id3v2(src, 0)?;
    let mut magic = [0u8; 16];
    src.read_at(start, &mut magic)?;
    if let Some(container) = Container::sniff(&magic).or_else(|| Container::from_hint(hint)) {
        if let Some(payload) = container.locate(src, start)? {
            // An empty payload would give every such file the same id; whole-file identity
            // (minus tags) at least tells them apart.
            if !payload.is_empty() {
                return Ok(payload);
            }
        }
    }
    generic(src, start)
}

/// The rule for formats whose audio simply sits between head and tail tags (MPEG, ADTS,
/// WavPack, Monkey's Audio, Musepack, …) and for anything that failed to parse.
fn generic(src: &mut Source<'_>, start: u64) -> io::Result<Payload> {
    let start = skip_zeros(src, start)?;
    let end = strip_tail_tags(src, start, src.len)?;
    let audio = start..end;
    Ok(Payload::Ranges {
        family: "raw",
        ranges: vec![audio],
    })
}

// ---------------------------------------------------------------------------------------------
// Tags around the payload
// ---------------------------------------------------------------------------------------------

fn synchsafe(b: &[u8]) -> u64 {
    b.iter().fold(0, |acc, &x| (acc << 7) | u64::from(x & 0x7f))
}

/// Total size of the ID3v2 tag whose 10-byte header is `h`, footer included.
fn id3v2_size(h: &[u8]) -> Option<u64> {
    if h.len() < 10 || &h[..3] != b"ID3" || h[3] == 0xff || h[4] == 0xff {
        return None;
    }
    if h[6..10].iter().any(|&b| b >= 0x80) {
        return None;
    }
    let footer = if h[3] >= 4 && h[5] & 0x10 != 0 { 10 } else { 0 };
    Some(10 + synchsafe(&h[6..10]) + footer)
}

/// Skips ID3v2 tags at `pos`; some taggers prepend a new tag without removing the old one.
fn skip_id3v2(src: &mut Source<'_>, mut pos: u64) -> io::Result<u64> {
    for _ in 0..MAX_STACKED_TAGS {
        let mut h = [0u8; 10];
        if !src.read_exact_at(pos, &mut h)? {
            break;
        }
        let Some(size) = id3v2_size(&h) else { break };
        // A size running past the end is not a tag we can trust; treating it as data keeps the
        // payload non-empty and the id meaningful.
        match pos.checked_add(size) {
            Some(next) if next <= src.len => pos = next,
            _ => break,
        }
    }
    Ok(pos)
}

/// Skips zero padding that some writers leave outside the declared tag size; removing or
/// rewriting the tag may or may not keep it, and no generic-rule format starts with zeros.
fn skip_zeros(src: &mut Source<'_>, mut pos: u64) -> io::Result<u64> {
    let limit = min(src.len, pos.saturating_add(MAX_ZERO_RUN));
    let mut buf = vec![0u8; 4096];
    while pos < limit {
        let n = usize::try_from(min(buf.len() as u64, limit - pos)).unwrap_or(buf.len());
        let got = src.read_at(pos, &mut buf[..n])?;
        let zeros = buf[..got].iter().take_while(|&&b| b == 0).count();
        pos += zeros as u64;
        if zeros < n || got < n {
            break;
        }
    }
    Ok(pos)
}

/// Moves `end` back over trailing tags (ID3v1 with its extended block, APEv1/v2, Lyrics3 v1/v2,
/// appended ID3v2), in any order and combination.
fn strip_tail_tags(src: &mut Source<'_>, start: u64, mut end: u64) -> io::Result<u64> {
    for _ in 0..MAX_STACKED_TAGS {
        if end <= start {
            break;
        }
        match trailing_tag_len(src, start, end)? {
            Some(len) if len > 0 && len <= end - start => end -= len,
            _ => break,
        }
    }
    Ok(end)
}

fn trailing_tag_len(src: &mut Source<'_>, start: u64, end: u64) -> io::Result<Option<u64>> {
    let avail = end - start;
    // Covers ID3v1 (128) with the extended "TAG+" block (227) before it.
    let n = usize::try_from(min(avail, 512)).unwrap_or(512);
    let mut tail = [0u8; 512];
    let tail = &mut tail[..n];
    if !src.read_exact_at(end - n as u64, tail)? {
        return Ok(None);
    }
    let at = |back: usize, magic: &[u8]| n >= back && tail[n - back..].starts_with(magic);

    if at(32, b"APETAGEX") {
        let size = le32(&tail[n - 20..]);
        let flags = le32(&tail[n - 12..]);
        let header = if flags & 0x8000_0000 != 0 { 32 } else { 0 };
        return Ok((size >= 32).then_some(size + header));
    }
    if n >= 15 && tail.ends_with(b"LYRICS200") {
        let digits = &tail[n - 15..n - 9];
        if !digits.iter().all(u8::is_ascii_digit) {
            return Ok(None);
        }
        let size = digits
            .iter()
            .fold(0u64, |acc, &d| acc * 10 + u64::from(d - b'0'));
        let total = size + 15;
        return Ok(has_magic_at(src, start, end, total, b"LYRICSBEGIN")?.then_some(total));
    }
    if at(9, b"LYRICSEND") {
        // Lyrics3 v1 has no size field; its text is at most 5100 bytes.
        let span = min(avail, 5100 + 11 + 9);
        let mut buf = vec![0u8; usize::try_from(span).unwrap_or(0)];
        if !src.read_exact_at(end - span, &mut buf)? {
            return Ok(None);
        }
        let begin = buf.windows(11).rposition(|w| w == b"LYRICSBEGIN");
        return Ok(begin.map(|i| span - i as u64));
    }
    if at(10, b"3DI") {
        let foot = &tail[n - 10..];
        if foot[6..10].iter().any(|&b| b >= 0x80) {
            return Ok(None);
        }
        let total = synchsafe(&foot[6..10]) + 20;
        return Ok(has_magic_at(src, start, end, total, b"ID3")?.then_some(total));
    }
    if at(128, b"TAG") {
        let extended = n >= 128 + 227 && tail[n - 128 - 227..].starts_with(b"TAG+");
        return Ok(Some(if extended { 128 + 227 } else { 128 }));
    }
    Ok(None)
}

/// Whether a tag of `total` bytes ending at `end` starts with `magic`, as its footer claims.
fn has_magic_at(
    src: &mut Source<'_>,
    start: u64,
    end: u64,
    total: u64,
    magic: &[u8],
) -> io::Result<bool> {
    if total > end - start {
        return Ok(false);
    }
    let mut buf = [0u8; 16];
    let buf = &mut buf[..magic.len()];
    Ok(src.read_exact_at(end - total, buf)? && buf == magic)
}

// ---------------------------------------------------------------------------------------------
// FLAC
// ---------------------------------------------------------------------------------------------

/// Frames after the metadata blocks; tag edits only resize the blocks (comments, pictures,
/// padding), never the frames.
fn flac_frames(src: &mut Source<'_>, start: u64) -> io::Result<Option<Range<u64>>> {
    let mut magic = [0u8; 4];
    if !src.read_exact_at(start, &mut magic)? || &magic != b"fLaC" {
        return Ok(None);
    }
    let mut pos = start + 4;
    let mut win = Window::new();
    for _ in 0..MAX_FLAC_BLOCKS {
        let h = win.bytes(src, pos, 4)?;
        if h.len() < 4 {
            return Ok(None);
        }
        // A frame sync where a block header should be: the last-block flag was never set.
        if h[0] == 0xff {
            return flac_tail(src, pos);
        }
        if h[0] & 0x7f == 127 {
            return Ok(None);
        }
        let last = h[0] & 0x80 != 0;
        pos = pos + 4 + be32(&[0, h[1], h[2], h[3]]);
        if pos > src.len {
            return Ok(None);
        }
        if last {
            return flac_tail(src, pos);
        }
    }
    Ok(None)
}

fn flac_tail(src: &mut Source<'_>, frames: u64) -> io::Result<Option<Range<u64>>> {
    let end = strip_tail_tags(src, frames, src.len)?;
    Ok(Some(frames..end))
}

// ---------------------------------------------------------------------------------------------
// Chunked containers: MP4, RIFF, AIFF, DSF, DSDIFF, ASF
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq)]
enum Layout {
    /// u32 BE size (header included) then 4CC; size 1 means a u64 follows, 0 means "to the end".
    Mp4,
    /// 4CC, u32 LE size of the body, bodies padded to even length.
    Riff,
    /// 4CC, u32 BE size of the body, bodies padded to even length.
    Iff,
    /// 4CC, u64 LE size, header included.
    Dsf,
    /// 4CC, u64 BE size of the body, bodies padded to even length.
    Dff,
    /// 16-byte GUID, u64 LE size, header included.
    Asf,
}

struct Chunk {
    id: [u8; 16],
    /// Size field as stored, for formats where special values mean something.
    raw_size: u64,
    /// Body clamped to the file, so a truncated file still yields what it has.
    body: Range<u64>,
}

struct Chunks {
    pos: u64,
    end: u64,
    layout: Layout,
    steps: u32,
}

impl Chunks {
    fn new(pos: u64, end: u64, layout: Layout) -> Self {
        Chunks {
            pos,
            end,
            layout,
            steps: 0,
        }
    }

    /// The next chunk, or None at the end or at the first header that cannot be a chunk.
    fn next(&mut self, src: &mut Source<'_>) -> io::Result<Option<Chunk>> {
        if self.steps >= MAX_CHUNKS || self.pos >= self.end {
            return Ok(None);
        }
        self.steps += 1;
        let mut h = [0u8; 24];
        let got = src.read_at(self.pos, &mut h)?;
        let mut id = [0u8; 16];
        let (header, raw_size, body_len, pad) = match self.layout {
            Layout::Mp4 => {
                id[..4].copy_from_slice(&h[4..8]);
                let size = be32(&h[0..4]);
                let (header, total) = match size {
                    1 => (16, Some(be64(&h[8..16]))),
                    0 => (8, None),
                    n => (8, Some(n)),
                };
                let body = match total {
                    Some(t) if t < header => return Ok(None),
                    Some(t) => Some(t - header),
                    None => None,
                };
                (header, size, body, false)
            }
            Layout::Riff | Layout::Iff => {
                id[..4].copy_from_slice(&h[0..4]);
                let size = if self.layout == Layout::Riff {
                    le32(&h[4..8])
                } else {
                    be32(&h[4..8])
                };
                // Streaming writers leave 0xFFFFFFFF when they never learn the final size.
                let body = (size != 0xffff_ffff).then_some(size);
                (8, size, body, true)
            }
            Layout::Dsf => {
                id[..4].copy_from_slice(&h[0..4]);
                let size = le64(&h[4..12]);
                if size < 12 {
                    return Ok(None);
                }
                (12, size, Some(size - 12), false)
            }
            Layout::Dff => {
                id[..4].copy_from_slice(&h[0..4]);
                let size = be64(&h[4..12]);
                (12, size, Some(size), true)
            }
            Layout::Asf => {
                id.copy_from_slice(&h[0..16]);
                let size = le64(&h[16..24]);
                if size < 24 {
                    return Ok(None);
                }
                (24, size, Some(size - 24), false)
            }
        };
        if (got as u64) < header {
            return Ok(None);
        }
        // Four-character codes are printable; anything else is junk after the last chunk.
        if self.layout != Layout::Asf && !id[..4].iter().all(|b| (0x20..0x7f).contains(b)) {
            return Ok(None);
        }
        let body_start = self.pos + header;
        let declared_end = body_len.and_then(|l| body_start.checked_add(l));
        let body_end = min(declared_end.unwrap_or(self.end), self.end);
        self.pos = match declared_end {
            Some(e) if pad && e % 2 == 1 => e.saturating_add(1),
            Some(e) => e,
            None => self.end,
        };
        Ok(Some(Chunk {
            id,
            raw_size,
            body: body_start..body_end.max(body_start),
        }))
    }
}

fn first_chunk(
    src: &mut Source<'_>,
    pos: u64,
    layout: Layout,
    wanted: &[&[u8]],
) -> io::Result<Option<Range<u64>>> {
    let mut chunks = Chunks::new(pos, src.len, layout);
    while let Some(chunk) = chunks.next(src)? {
        if wanted.iter().any(|w| chunk.id.starts_with(w)) {
            return Ok(Some(chunk.body));
        }
    }
    Ok(None)
}

/// All `mdat` boxes, in file order: tag edits rewrite `moov`/`udta`/`free` and may move `mdat`,
/// but never change its contents.
fn mp4_mdat(src: &mut Source<'_>, start: u64) -> io::Result<Option<Vec<Range<u64>>>> {
    let mut chunks = Chunks::new(start, src.len, Layout::Mp4);
    let mut ranges = Vec::new();
    while let Some(chunk) = chunks.next(src)? {
        if &chunk.id[..4] == b"mdat" {
            ranges.push(chunk.body);
        }
    }
    Ok((!ranges.is_empty()).then_some(ranges))
}

/// The `data` chunk of RIFF/RF64/BW64; RF64 keeps the real size in `ds64`.
fn riff_data(src: &mut Source<'_>, start: u64) -> io::Result<Option<Range<u64>>> {
    let mut chunks = Chunks::new(start + 12, src.len, Layout::Riff);
    let mut ds64_data = None;
    while let Some(chunk) = chunks.next(src)? {
        match &chunk.id[..4] {
            b"ds64" => {
                let mut b = [0u8; 8];
                if src.read_exact_at(chunk.body.start + 8, &mut b)? {
                    ds64_data = Some(le64(&b));
                }
            }
            b"data" => {
                let mut body = chunk.body;
                if chunk.raw_size == 0xffff_ffff {
                    if let Some(size) = ds64_data {
                        body.end = min(body.start.saturating_add(size), src.len);
                    } else {
                        body.end = strip_tail_tags(src, body.start, body.end)?;
                    }
                }
                return Ok(Some(body));
            }
            _ => {}
        }
    }
    Ok(None)
}

// ---------------------------------------------------------------------------------------------
// Ogg
// ---------------------------------------------------------------------------------------------

struct Page {
    pos: u64,
    header_len: u64,
    data_len: u64,
}

impl Page {
    fn end(&self) -> u64 {
        self.pos + self.header_len + self.data_len
    }
}

/// What the header walk needs from a page header, without reading the page's data.
struct PageHeader {
    page: Page,
    flags: u8,
    granule: u64,
    serial: u32,
    /// Packets completed on this page (lacing values below 255).
    packets_done: u64,
    /// Length of the first packet's part on this page.
    first_packet: u64,
}

fn read_page_header(
    src: &mut Source<'_>,
    win: &mut Window,
    pos: u64,
) -> io::Result<Option<PageHeader>> {
    let h = win.bytes(src, pos, 27 + 255)?;
    if h.len() < 27 || &h[..4] != b"OggS" || h[4] != 0 {
        return Ok(None);
    }
    let nseg = usize::from(h[26]);
    if h.len() < 27 + nseg {
        return Ok(None);
    }
    let lacing = &h[27..27 + nseg];
    let data_len = lacing.iter().map(|&l| u64::from(l)).sum();
    let first_packet = lacing.iter().position(|&l| l < 255).map_or(data_len, |i| {
        lacing[..=i].iter().map(|&l| u64::from(l)).sum()
    });
    Ok(Some(PageHeader {
        page: Page {
            pos,
            header_len: 27 + nseg as u64,
            data_len,
        },
        flags: h[5],
        granule: le64(&h[6..14]),
        serial: u32::try_from(le32(&h[14..18])).unwrap_or(0),
        packets_done: lacing.iter().filter(|&&l| l < 255).count() as u64,
        first_packet,
    }))
}

/// Header packets (identification included) of the codec whose first packet starts with `p`;
/// None for codecs we do not know, which fall back to the granule rule.
fn header_packets(p: &[u8]) -> Option<u64> {
    if p.starts_with(b"\x01vorbis") || p.starts_with(b"\x80theora") {
        Some(3)
    } else if p.starts_with(b"OpusHead") {
        Some(2)
    } else if p.starts_with(b"Speex   ") && p.len() >= 72 {
        // Identification, comment, then `extra_headers` more.
        let extra = le32(&p[68..72]);
        (extra <= 64).then_some(2 + extra)
    } else if p.starts_with(b"\x7fFLAC") && p.len() >= 9 {
        // Mapping header, then the announced metadata packets; 0 means "unknown".
        let n = be32(&[0, 0, p[7], p[8]]);
        (n > 0).then_some(1 + n)
    } else {
        None
    }
}

struct Stream {
    serial: u32,
    /// Header packets still to come; None for an unknown codec.
    headers_left: Option<u64>,
}

/// The audio span of an Ogg file: from the first page that starts after every stream's header
/// packets to the end of the file less any trailing tags.
///
/// Header packets are counted per logical stream because a packet may span pages (a comment
/// packet with a picture spans dozens) and a page may end several packets. All codecs in use
/// start audio on a fresh page, so no audio byte is lost by starting at a page boundary. For
/// unknown codecs the first page with a real granule position marks the audio, since header
/// pages carry granule 0 (or -1 while a packet is still open).
fn ogg_audio(src: &mut Source<'_>, start: u64) -> io::Result<Option<Range<u64>>> {
    let mut win = Window::new();
    let mut streams: Vec<Stream> = Vec::new();
    let mut pos = start;
    for _ in 0..MAX_OGG_HEADER_PAGES {
        let Some(ph) = read_page_header(src, &mut win, pos)? else {
            return Ok(None);
        };
        let is_bos = ph.flags & 0x02 != 0;
        if is_bos && !streams.iter().any(|s| s.serial == ph.serial) {
            if streams.len() >= MAX_OGG_STREAMS {
                return Ok(None);
            }
            let n = usize::try_from(min(ph.first_packet, 80)).unwrap_or(0);
            let first = win.bytes(src, pos + ph.page.header_len, n)?;
            streams.push(Stream {
                serial: ph.serial,
                headers_left: header_packets(first),
            });
        }
        let Some(stream) = streams.iter_mut().find(|s| s.serial == ph.serial) else {
            // A page of a stream that never began: the headers are over or the file is damaged.
            return (!streams.is_empty())
                .then(|| audio_span(src, pos))
                .transpose();
        };
        match &mut stream.headers_left {
            Some(0) => return Ok(Some(audio_span(src, pos)?)),
            Some(left) => *left = left.saturating_sub(ph.packets_done),
            None if ph.granule != 0 && ph.granule != u64::MAX => {
                return Ok(Some(audio_span(src, pos)?))
            }
            None => {}
        }
        pos = ph.page.end();
    }
    Ok(None)
}

fn audio_span(src: &mut Source<'_>, start: u64) -> io::Result<Range<u64>> {
    let end = strip_tail_tags(src, start, src.len)?;
    Ok(start..end)
}

/// The page at `pos` if it is complete before `limit` and followed by another page (or ends
/// exactly at `limit`). Requiring the next capture pattern rules out "OggS" occurring by chance
/// inside audio data, at the cost of 4 bytes that are almost always in the window already; a
/// checksum check would cost a pass over every byte.
fn valid_page(
    src: &mut Source<'_>,
    win: &mut Window,
    pos: u64,
    limit: u64,
) -> io::Result<Option<Page>> {
    let Some(ph) = read_page_header(src, win, pos)? else {
        return Ok(None);
    };
    let page = ph.page;
    let end = page.end();
    if end > limit {
        return Ok(None);
    }
    if end < limit && !win.bytes(src, end, 4)?.starts_with(b"OggS") {
        return Ok(None);
    }
    Ok(Some(page))
}

/// The first valid page starting in `[from, limit)`. A valid stream has a page start within
/// every MAX_OGG_PAGE bytes, so the scan is bounded.
fn find_page(
    src: &mut Source<'_>,
    win: &mut Window,
    from: u64,
    limit: u64,
) -> io::Result<Option<Page>> {
    let scan_end = min(limit, from.saturating_add(MAX_OGG_PAGE));
    let mut pos = from;
    while pos < scan_end {
        let (found, n) = {
            let cached = win.at(src, pos, 27)?;
            let room = usize::try_from(scan_end - pos).unwrap_or(usize::MAX);
            // Candidates must start before scan_end; +3 lets one starting at its last byte match.
            let chunk = &cached[..min(cached.len(), room.saturating_add(3))];
            if chunk.len() < 27 {
                return Ok(None);
            }
            (find_capture(chunk), chunk.len())
        };
        match found {
            Some(k) => {
                let candidate = pos + k as u64;
                if candidate >= scan_end {
                    return Ok(None);
                }
                if let Some(page) = valid_page(src, win, candidate, limit)? {
                    return Ok(Some(page));
                }
                pos = candidate + 1;
            }
            // Overlap by three bytes so a capture pattern split across windows is still seen.
            None => pos += (n - 3) as u64,
        }
    }
    Ok(None)
}

/// The valid page that contains `at`: the closest one starting in `[floor, at]`. Sampling the
/// page under an offset, rather than the next one, keeps the last sample inside the stream.
fn page_containing(
    src: &mut Source<'_>,
    win: &mut Window,
    at: u64,
    floor: u64,
    limit: u64,
) -> io::Result<Option<Page>> {
    let lowest = at.saturating_sub(MAX_OGG_PAGE).max(floor);
    // Candidates lie in [lowest, at]; `hi` bounds the bytes searched, so a capture pattern
    // starting at `at` is still seen whole.
    let mut hi = at.saturating_add(4);
    while hi >= lowest.saturating_add(4) {
        // Half a window back, so the same read also holds the data after the page start.
        let lo = hi.saturating_sub(WINDOW as u64 / 2).max(lowest);
        let n = usize::try_from(hi - lo).unwrap_or(WINDOW);
        let found = rfind_capture(win.bytes(src, lo, n)?);
        match found {
            Some(k) => {
                let candidate = lo + k as u64;
                if let Some(page) = valid_page(src, win, candidate, limit)? {
                    return Ok(Some(page));
                }
                hi = candidate + 3;
            }
            None if lo == lowest => return Ok(None),
            // Overlap by three bytes so a capture pattern split across windows is still seen.
            None => hi = lo + 3,
        }
    }
    Ok(None)
}

/// Samples segment data only: sequence numbers and checksums in page headers change whenever a
/// tag rewrite resizes the header pages, but header sizes and page data do not, so offsets
/// relative to the first audio page are stable too. Each sample is the first 4 KiB of data from
/// the page containing an evenly spaced offset, continuing into the next pages if it holds less.
fn sample_ogg(src: &mut Source<'_>, audio: Range<u64>, material: &mut Material) -> io::Result<()> {
    let span = audio.end - audio.start;
    material.push(b"ogg\0");
    material.push(&span.to_le_bytes());
    let mut win = Window::new();
    let mut sample = Vec::new();
    if span <= WHOLE_LIMIT {
        let mut pos = audio.start;
        while let Some(page) = find_page(src, &mut win, pos, audio.end)? {
            let data = page_data(src, &mut win, &page, page.data_len)?;
            material.sample(page.pos - audio.start, data);
            pos = page.end();
        }
        return Ok(());
    }
    for i in 0..CHUNKS {
        let at = audio.start + sample_offset(i, span);
        sample.clear();
        let Some(first) = page_containing(src, &mut win, at, audio.start, audio.end)? else {
            material.push(&u64::MAX.to_le_bytes());
            continue;
        };
        let rel = first.pos - audio.start;
        let mut page = first;
        loop {
            let want = CHUNK - sample.len() as u64;
            let data = page_data(src, &mut win, &page, want)?;
            sample.extend_from_slice(data);
            if sample.len() as u64 >= CHUNK {
                break;
            }
            match valid_page(src, &mut win, page.end(), audio.end)? {
                Some(next) => page = next,
                None => break,
            }
        }
        material.sample(rel, &sample);
    }
    Ok(())
}

fn page_data<'w>(
    src: &mut Source<'_>,
    win: &'w mut Window,
    page: &Page,
    max: u64,
) -> io::Result<&'w [u8]> {
    let n = usize::try_from(min(page.data_len, max)).unwrap_or(0);
    win.bytes(src, page.pos + page.header_len, n)
}

// ---------------------------------------------------------------------------------------------
// Hashing
// ---------------------------------------------------------------------------------------------

/// Start of sample `i` of `CHUNKS`, spread so the first starts at 0 and the last ends at `total`.
fn sample_offset(i: u64, total: u64) -> u64 {
    let room = u128::from(total.saturating_sub(CHUNK));
    u64::try_from(room * u128::from(i) / u128::from(CHUNKS - 1)).unwrap_or(0)
}

/// Everything the id covers, hashed in one call: blake3 only reaches its wide SIMD speed on
/// large contiguous input, and many small updates would cost more than the reads.
struct Material(Vec<u8>);

impl Material {
    fn new() -> Self {
        Material(Vec::with_capacity(WHOLE_LIMIT as usize + 1024))
    }

    fn push(&mut self, bytes: &[u8]) {
        self.0.extend_from_slice(bytes);
    }

    fn sample(&mut self, offset: u64, bytes: &[u8]) {
        self.push(&offset.to_le_bytes());
        self.push(&(bytes.len() as u64).to_le_bytes());
        self.push(bytes);
    }

    /// Like [`Material::sample`], reading up to `max` bytes straight into place.
    fn read_sample(
        &mut self,
        offset: u64,
        max: usize,
        read: impl FnOnce(&mut [u8]) -> io::Result<usize>,
    ) -> io::Result<()> {
        self.push(&offset.to_le_bytes());
        let len_at = self.0.len();
        self.push(&0u64.to_le_bytes());
        let start = self.0.len();
        self.0.resize(start + max, 0);
        let got = read(&mut self.0[start..])?;
        self.0.truncate(start + got);
        self.0[len_at..start].copy_from_slice(&(got as u64).to_le_bytes());
        Ok(())
    }
}

/// Reads up to `buf.len()` bytes at offset `v` of the concatenation of `ranges`.
fn read_virtual(
    src: &mut Source<'_>,
    ranges: &[Range<u64>],
    mut v: u64,
    buf: &mut [u8],
) -> io::Result<usize> {
    let mut filled = 0;
    for r in ranges {
        let len = r.end.saturating_sub(r.start);
        if v >= len {
            v -= len;
            continue;
        }
        let room = buf.len() - filled;
        let take = usize::try_from(min(len - v, room as u64)).unwrap_or(room);
        let got = src.read_at(r.start + v, &mut buf[filled..filled + take])?;
        filled += got;
        if got < take || filled == buf.len() {
            break;
        }
        v = 0;
    }
    Ok(filled)
}

fn sample_ranges(
    src: &mut Source<'_>,
    family: &str,
    ranges: &[Range<u64>],
    material: &mut Material,
) -> io::Result<()> {
    let total = ranges.iter().fold(0u64, |acc, r| {
        acc.saturating_add(r.end.saturating_sub(r.start))
    });
    material.push(family.as_bytes());
    material.push(b"\0");
    material.push(&total.to_le_bytes());
    if total <= WHOLE_LIMIT {
        let whole = usize::try_from(total).unwrap_or(0);
        return material.read_sample(0, whole, |buf| read_virtual(src, ranges, 0, buf));
    }
    for i in 0..CHUNKS {
        let at = sample_offset(i, total);
        material.read_sample(at, CHUNK as usize, |buf| read_virtual(src, ranges, at, buf))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};
    use std::io::{BufReader, Write};
    use std::path::{Path, PathBuf};
    use std::time::{Duration, Instant};

    use lofty::config::WriteOptions;
    use lofty::file::{AudioFile, TaggedFileExt};
    use lofty::picture::{MimeType, Picture, PictureType};
    use lofty::probe::Probe;
    use lofty::tag::{Accessor, ItemKey, ItemValue, Tag, TagItem, TagType};
    use tempfile::TempDir;

    // -----------------------------------------------------------------------------------------
    // Helpers
    // -----------------------------------------------------------------------------------------

    /// One writable sample per format; the larger ones exercise sampling, the small ones the
    /// whole-payload path.
    const FORMAT_SAMPLES: &[(&str, &str)] = &[
        (
            "mp3",
            "triplea/ww2/required_your_turn_series_Chinese/Chinese_Kuomintang_Anthem_Intro.mp3",
        ),
        ("small mp3", "beets/full.mp3"),
        ("flac", "beets/whitenoise.flac"),
        ("ogg vorbis", "rrootage/stg_c.ogg"),
        ("opus", "mutagen/example.opus"),
        ("m4a aac", "pytaglib/issue46.m4a"),
        ("m4a alac", "beets/full.alac.m4a"),
        ("wav", "rrootage/bomb.wav"),
        ("aiff", "beets/full.aiff"),
        ("wavpack", "teeworlds/wp_ninja_attack-01.wv"),
        ("ape", "beets/full.ape"),
        ("mpc", "beets/full.mpc"),
    ];

    fn corpus() -> Option<PathBuf> {
        let dir = std::env::var_os("CUEBOOK_CORPUS")
            .map(PathBuf::from)
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/corpus"));
        if dir.join("MANIFEST.tsv").is_file() {
            Some(dir)
        } else {
            eprintln!(
                "skipping: no audio corpus at {} (set CUEBOOK_CORPUS)",
                dir.display()
            );
            None
        }
    }

    fn corpus_files(root: &Path) -> Vec<PathBuf> {
        let manifest = std::fs::read_to_string(root.join("MANIFEST.tsv")).expect("read manifest");
        manifest
            .lines()
            .skip(1)
            .filter_map(|line| line.split('\t').next())
            .map(|rel| root.join(rel))
            .filter(|p| p.is_file())
            .collect()
    }

    /// Files lofty reads without error: the "clean" part of the corpus.
    fn clean_audio_files(root: &Path) -> Vec<PathBuf> {
        corpus_files(root)
            .into_iter()
            .filter(|p| read_tags(p).is_ok())
            .collect()
    }

    /// The type lofty sniffs from the content alone, as the catalog passes it.
    fn sniffed_type(path: &Path) -> Option<FileType> {
        let file = File::open(path).ok()?;
        Probe::new(BufReader::new(file))
            .guess_file_type()
            .ok()?
            .file_type()
    }

    fn id_of(path: &Path) -> String {
        let hint = sniffed_type(path);
        let mut file = File::open(path).expect("open test file");
        content_id(&mut file, hint).expect("content_id on a readable file")
    }

    fn id_of_bytes(bytes: &[u8], hint: Option<FileType>) -> String {
        let mut tmp = tempfile::tempfile().expect("temp file");
        tmp.write_all(bytes).expect("write temp file");
        content_id(&mut tmp, hint).expect("content_id on a temp file")
    }

    fn copy_sample(dir: &TempDir, root: &Path, rel: &str) -> Option<PathBuf> {
        let from = root.join(rel);
        if !from.is_file() {
            eprintln!("skipping: corpus file {rel} is missing");
            return None;
        }
        let name = Path::new(rel).file_name().expect("file name");
        let to = dir.path().join(name);
        std::fs::copy(&from, &to).expect("copy corpus file");
        Some(to)
    }

    fn locate_path(path: &Path) -> Payload {
        let mut file = File::open(path).expect("open");
        let len = file.metadata().expect("metadata").len();
        let hint = sniffed_type(path);
        let mut src = Source::new(&mut file, len);
        locate(&mut src, hint).expect("locate")
    }

    /// Digest of the complete payload, to tell true duplicates from sampling collisions.
    fn full_payload_digest(path: &Path) -> String {
        let payload = locate_path(path);
        let mut file = File::open(path).expect("open");
        let len = file.metadata().expect("metadata").len();
        let mut src = Source::new(&mut file, len);
        let mut hasher = blake3::Hasher::new();
        match payload {
            Payload::Ranges { family, ranges } => {
                hasher.update(family.as_bytes());
                for r in ranges {
                    let mut buf = vec![0u8; (r.end - r.start) as usize];
                    let got = src.read_at(r.start, &mut buf).expect("read");
                    hasher.update(&buf[..got]);
                }
            }
            Payload::Ogg { audio } => {
                hasher.update(b"ogg");
                let mut win = Window::new();
                let mut pos = audio.start;
                while let Some(page) = find_page(&mut src, &mut win, pos, audio.end).expect("scan")
                {
                    hasher.update(page_data(&mut src, &mut win, &page, u64::MAX).expect("read"));
                    pos = page.end();
                }
            }
        }
        hex(&hasher.finalize().as_bytes()[..ID_BYTES])
    }

    /// File offsets that are certainly hashed: a byte changed there must change the id.
    fn hashed_offsets(path: &Path) -> Vec<u64> {
        let payload = locate_path(path);
        let mut file = File::open(path).expect("open");
        let len = file.metadata().expect("metadata").len();
        let mut src = Source::new(&mut file, len);
        match payload {
            Payload::Ranges { ranges, .. } => {
                let total: u64 = ranges.iter().map(|r| r.end - r.start).sum();
                let virtual_offsets = if total <= WHOLE_LIMIT {
                    vec![total / 2]
                } else {
                    vec![
                        sample_offset(0, total) + 100,
                        sample_offset(7, total) + 100,
                        sample_offset(CHUNKS - 1, total) + CHUNK - 1,
                    ]
                };
                virtual_offsets
                    .into_iter()
                    .map(|mut v| {
                        for r in &ranges {
                            if v < r.end - r.start {
                                return r.start + v;
                            }
                            v -= r.end - r.start;
                        }
                        panic!("virtual offset beyond payload")
                    })
                    .collect()
            }
            Payload::Ogg { audio } => {
                let span = audio.end - audio.start;
                let mut win = Window::new();
                let samples = if span <= WHOLE_LIMIT {
                    vec![0]
                } else {
                    vec![0, CHUNKS / 2, CHUNKS - 1]
                };
                samples
                    .into_iter()
                    .filter_map(|i| {
                        let at = audio.start + sample_offset(i, span);
                        page_containing(&mut src, &mut win, at, audio.start, audio.end)
                            .expect("scan")
                            .map(|p| p.pos + p.header_len + min(p.data_len / 2, CHUNK / 2))
                    })
                    .collect()
            }
        }
    }

    /// Tags and properties, the way the scanner reads them.
    fn read_tags(path: &Path) -> lofty::error::Result<lofty::file::TaggedFile> {
        Probe::open(path)?.guess_file_type()?.read()
    }

    fn tagged_file(path: &Path) -> lofty::file::TaggedFile {
        read_tags(path).expect("lofty reads the sample")
    }

    fn edit_primary_tag(path: &Path, edit: &dyn Fn(&mut Tag)) {
        let mut tagged = tagged_file(path);
        let tag_type = tagged.primary_tag_type();
        if tagged.tag(tag_type).is_none() {
            tagged.insert_tag(Tag::new(tag_type));
        }
        edit(tagged.tag_mut(tag_type).expect("tag just inserted"));
        tagged
            .save_to_path(path, WriteOptions::default())
            .expect("lofty saves the tag");
    }

    /// Removes every tag lofty sees. Only present types are removed: lofty 0.22 panics when
    /// asked to remove AIFF text chunks from a file that has none.
    fn remove_all_tags(path: &Path) {
        let present: Vec<TagType> = tagged_file(path).tags().iter().map(Tag::tag_type).collect();
        for tag_type in present {
            tag_type
                .remove_from_path(path)
                .expect("lofty removes the tag");
        }
    }

    /// Appends a PADDING block to a FLAC that has none, by hand. lofty 0.22 corrupts the first
    /// frame byte when it adds padding itself (upstream issue Serial-ATA/lofty-rs#549), which
    /// is a real audio change and would (rightly) change the id.
    fn add_flac_padding(path: &Path) {
        let mut bytes = std::fs::read(path).expect("read flac");
        let mut pos = 4;
        loop {
            let last = bytes[pos] & 0x80 != 0;
            let len = be32(&[0, bytes[pos + 1], bytes[pos + 2], bytes[pos + 3]]) as usize;
            if bytes[pos] & 0x7f == 1 {
                return;
            }
            if last {
                bytes[pos] &= 0x7f;
                let end = pos + 4 + len;
                let mut padding = vec![0x81, 0x00, 0x10, 0x00];
                padding.extend([0u8; 4096]);
                bytes.splice(end..end, padding);
                break;
            }
            pos += 4 + len;
        }
        std::fs::write(path, bytes).expect("write flac");
    }

    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn bytes(&mut self, n: usize) -> Vec<u8> {
            (0..n).map(|_| self.next() as u8).collect()
        }
    }

    fn fake_jpeg(n: usize) -> Vec<u8> {
        let mut data = vec![0xff, 0xd8, 0xff, 0xe0];
        data.extend(Rng(7).bytes(n - 4));
        data
    }

    fn assert_is_an_id(id: &str) {
        assert!(
            id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()),
            "an id must be 32 hex chars (128 bits), got {id:?}"
        );
    }

    // -----------------------------------------------------------------------------------------
    // Stability under tag rewrites, renames and moves (real files, real tag writer)
    // -----------------------------------------------------------------------------------------

    /// A named edit applied to a file in place.
    type Step<'a> = (&'a str, Box<dyn Fn(&Path) + 'a>);

    fn assert_id_survives_tag_rewrites(label: &str, rel: &str) {
        let Some(root) = corpus() else { return };
        let dir = TempDir::new().expect("tempdir");
        let Some(path) = copy_sample(&dir, &root, rel) else {
            return;
        };
        let original = id_of(&path);
        if sniffed_type(&path) == Some(FileType::Flac) {
            add_flac_padding(&path);
            assert_eq!(
                id_of(&path),
                original,
                "{label}: a PADDING block is metadata, not audio"
            );
        }
        let long_comment: String = (0..3000).map(|i| format!("liner note {i}; ")).collect();
        let picture = fake_jpeg(100 * 1024);
        let steps: Vec<Step<'_>> = vec![
            (
                "changing title and artist",
                Box::new(|p: &Path| {
                    edit_primary_tag(p, &|t: &mut Tag| {
                        t.set_title("A New Title".into());
                        t.set_artist("Another Composer".into());
                    })
                }),
            ),
            (
                "adding a long comment",
                Box::new(|p: &Path| {
                    edit_primary_tag(p, &|t: &mut Tag| t.set_comment(long_comment.clone()))
                }),
            ),
            (
                "embedding a 100 KB picture",
                Box::new(|p: &Path| {
                    edit_primary_tag(p, &|t: &mut Tag| {
                        let cover = Picture::new_unchecked(
                            PictureType::CoverFront,
                            Some(MimeType::Jpeg),
                            None,
                            picture.clone(),
                        );
                        // lofty 0.22 drops pictures when saving a generic tag as APE, so
                        // APE-tagged formats get the cover as the binary item APE uses.
                        if t.tag_type() == TagType::Ape {
                            t.insert_unchecked(TagItem::new(
                                ItemKey::Unknown("Cover Art (Front)".into()),
                                ItemValue::Binary(cover.as_ape_bytes()),
                            ));
                        }
                        t.push_picture(cover);
                    })
                }),
            ),
            ("removing all tags", Box::new(remove_all_tags)),
        ];
        for (step, apply) in steps {
            let before = std::fs::read(&path).expect("read sample");
            apply(&path);
            let after = std::fs::read(&path).expect("read sample");
            assert!(
                before != after,
                "{label}: {step} must change the file, or this check proves nothing"
            );
            assert_eq!(
                id_of(&path),
                original,
                "{label} ({rel}): the id must survive {step}, which leaves the audio untouched \
                 (file {} -> {} bytes)",
                before.len(),
                after.len()
            );
        }
    }

    #[test]
    fn an_mp3_keeps_its_id_through_tag_rewrites() {
        assert_id_survives_tag_rewrites(
            "mp3",
            "triplea/ww2/required_your_turn_series_Chinese/Chinese_Kuomintang_Anthem_Intro.mp3",
        );
        assert_id_survives_tag_rewrites("small mp3", "beets/full.mp3");
    }

    #[test]
    fn a_flac_keeps_its_id_through_tag_rewrites() {
        assert_id_survives_tag_rewrites("flac", "beets/whitenoise.flac");
        assert_id_survives_tag_rewrites("small flac", "beets/full.flac");
    }

    #[test]
    fn an_ogg_vorbis_keeps_its_id_through_tag_rewrites() {
        assert_id_survives_tag_rewrites("ogg vorbis", "rrootage/stg_c.ogg");
        assert_id_survives_tag_rewrites("long ogg vorbis", "singularity-music/Awakening.ogg");
    }

    #[test]
    fn an_opus_keeps_its_id_through_tag_rewrites() {
        assert_id_survives_tag_rewrites("opus", "mutagen/example.opus");
    }

    #[test]
    fn a_speex_keeps_its_id_through_tag_rewrites() {
        assert_id_survives_tag_rewrites("speex", "mutagen/empty.spx");
    }

    #[test]
    fn an_aac_m4a_keeps_its_id_through_tag_rewrites() {
        assert_id_survives_tag_rewrites("m4a aac", "pytaglib/issue46.m4a");
    }

    #[test]
    fn an_alac_m4a_keeps_its_id_through_tag_rewrites() {
        assert_id_survives_tag_rewrites("m4a alac", "beets/full.alac.m4a");
    }

    #[test]
    fn a_wav_keeps_its_id_through_tag_rewrites() {
        assert_id_survives_tag_rewrites("wav", "rrootage/bomb.wav");
    }

    #[test]
    fn an_aiff_keeps_its_id_through_tag_rewrites() {
        assert_id_survives_tag_rewrites("aiff", "beets/full.aiff");
    }

    #[test]
    fn a_wavpack_keeps_its_id_through_tag_rewrites() {
        assert_id_survives_tag_rewrites("wavpack", "teeworlds/wp_ninja_attack-01.wv");
    }

    #[test]
    fn an_ape_keeps_its_id_through_tag_rewrites() {
        assert_id_survives_tag_rewrites("ape", "beets/full.ape");
    }

    #[test]
    fn an_mpc_keeps_its_id_through_tag_rewrites() {
        assert_id_survives_tag_rewrites("mpc", "beets/full.mpc");
    }

    #[test]
    fn renaming_or_moving_a_file_keeps_its_id() {
        let Some(root) = corpus() else { return };
        let dir = TempDir::new().expect("tempdir");
        for (label, rel) in FORMAT_SAMPLES {
            let Some(path) = copy_sample(&dir, &root, rel) else {
                continue;
            };
            let before = id_of(&path);
            let moved_dir = dir.path().join("moved").join(label.replace(' ', "_"));
            std::fs::create_dir_all(&moved_dir).expect("mkdir");
            let moved = moved_dir.join("renamed without extension");
            std::fs::rename(&path, &moved).expect("rename");
            assert_eq!(
                id_of(&moved),
                before,
                "{label}: the id depends only on content, never on name or folder"
            );
        }
    }

    #[test]
    fn changing_one_byte_of_audio_changes_the_id() {
        let Some(root) = corpus() else { return };
        let dir = TempDir::new().expect("tempdir");
        for (label, rel) in FORMAT_SAMPLES {
            let Some(path) = copy_sample(&dir, &root, rel) else {
                continue;
            };
            let original_bytes = std::fs::read(&path).expect("read");
            let original = id_of(&path);
            let offsets = hashed_offsets(&path);
            assert!(
                !offsets.is_empty(),
                "{label}: the payload must have hashed bytes"
            );
            for at in offsets {
                let mut bytes = original_bytes.clone();
                bytes[at as usize] ^= 0x01;
                std::fs::write(&path, &bytes).expect("write");
                assert_ne!(
                    id_of(&path),
                    original,
                    "{label}: flipping a bit at {at}, inside a sampled chunk of the audio, \
                     must change the id"
                );
            }
        }
    }

    #[test]
    fn distinct_corpus_files_get_distinct_ids() {
        let Some(root) = corpus() else { return };
        let files = clean_audio_files(&root);
        assert!(
            files.len() > 100,
            "the corpus should hold hundreds of clean files"
        );
        let mut by_id: BTreeMap<String, Vec<(PathBuf, String)>> = BTreeMap::new();
        let mut payloads = BTreeSet::new();
        for path in &files {
            let digest = full_payload_digest(path);
            payloads.insert(digest.clone());
            by_id
                .entry(id_of(path))
                .or_default()
                .push((path.clone(), digest));
        }
        let mut false_collisions = Vec::new();
        for (id, group) in by_id.iter().filter(|(_, g)| g.len() > 1) {
            let same_payload = group.iter().all(|(_, d)| *d == group[0].1);
            eprintln!(
                "shared id {id} ({}): {}",
                if same_payload {
                    "identical payloads"
                } else {
                    "DIFFERENT payloads"
                },
                group
                    .iter()
                    .map(|(p, _)| p.strip_prefix(&root).unwrap_or(p).display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            if !same_payload {
                false_collisions.push(id.clone());
            }
        }
        eprintln!(
            "{} clean files: {} distinct ids, {} distinct payloads",
            files.len(),
            by_id.len(),
            payloads.len()
        );
        assert!(
            false_collisions.is_empty(),
            "files with different audio must not share an id: {false_collisions:?}"
        );
        assert_eq!(
            by_id.len(),
            payloads.len(),
            "every distinct payload must get its own id, and duplicates exactly one"
        );
    }

    // -----------------------------------------------------------------------------------------
    // Format rules on synthetic files (no corpus needed)
    // -----------------------------------------------------------------------------------------

    fn id3v2(body_len: usize, footer: bool) -> Vec<u8> {
        let size = body_len as u32;
        let mut tag = b"ID3\x04\x00".to_vec();
        tag.push(if footer { 0x10 } else { 0 });
        tag.extend((0..4).rev().map(|i| ((size >> (7 * i)) & 0x7f) as u8));
        tag.extend(Rng(3).bytes(body_len).iter().map(|b| b & 0x7f));
        if footer {
            let mut foot = tag[..10].to_vec();
            foot[..3].copy_from_slice(b"3DI");
            tag.extend(foot);
        }
        tag
    }

    fn ape_tag(items: usize, header: bool) -> Vec<u8> {
        let body: Vec<u8> = (0..items)
            .flat_map(|i| {
                let value = format!("value {i}");
                let mut item = (value.len() as u32).to_le_bytes().to_vec();
                item.extend(0u32.to_le_bytes());
                item.extend(format!("Key{i}\0{value}").bytes());
                item
            })
            .collect();
        let size = (body.len() + 32) as u32;
        let block = |is_header: bool| {
            let mut b = b"APETAGEX".to_vec();
            b.extend(2000u32.to_le_bytes());
            b.extend(size.to_le_bytes());
            b.extend((items as u32).to_le_bytes());
            let mut flags = if header { 0x8000_0000u32 } else { 0 };
            if is_header {
                flags |= 0x2000_0000;
            }
            b.extend(flags.to_le_bytes());
            b.extend([0u8; 8]);
            b
        };
        let mut tag = if header { block(true) } else { Vec::new() };
        tag.extend(body);
        tag.extend(block(false));
        tag
    }

    fn id3v1(extended: bool) -> Vec<u8> {
        let mut tag = Vec::new();
        if extended {
            tag.extend(b"TAG+");
            tag.extend([b'x'; 223]);
        }
        tag.extend(b"TAG");
        tag.extend([b'y'; 125]);
        tag
    }

    fn lyrics3v2() -> Vec<u8> {
        let mut tag = b"LYRICSBEGININD0000211LYR00010some words".to_vec();
        let size = tag.len();
        tag.extend(format!("{size:06}LYRICS200").bytes());
        tag
    }

    fn lyrics3v1() -> Vec<u8> {
        b"LYRICSBEGINla la la\r\nLYRICSEND".to_vec()
    }

    fn mpeg_like_audio(n: usize) -> Vec<u8> {
        let mut audio = vec![0xff, 0xfb, 0x90, 0x64];
        audio.extend(Rng(11).bytes(n - 4));
        audio
    }

    #[test]
    fn tags_around_mpeg_audio_are_ignored_in_any_order() {
        for audio_len in [3000, 200_000] {
            let audio = mpeg_like_audio(audio_len);
            let bare = id_of_bytes(&audio, Some(FileType::Mpeg));
            let cat = |parts: &[&[u8]]| parts.concat();
            let variants: Vec<(&str, Vec<u8>)> = vec![
                ("id3v2 head", cat(&[&id3v2(5000, false), &audio])),
                ("id3v2.4 with footer", cat(&[&id3v2(700, true), &audio])),
                (
                    "two stacked id3v2",
                    cat(&[&id3v2(300, false), &id3v2(900, false), &audio]),
                ),
                (
                    "id3v2 plus zero padding",
                    cat(&[&id3v2(300, false), &[0u8; 2048], &audio]),
                ),
                ("id3v1", cat(&[&audio, &id3v1(false)])),
                ("extended id3v1", cat(&[&audio, &id3v1(true)])),
                ("apev2 with header", cat(&[&audio, &ape_tag(5, true)])),
                ("apev2 without header", cat(&[&audio, &ape_tag(2, false)])),
                (
                    "apev2 then id3v1",
                    cat(&[&audio, &ape_tag(5, true), &id3v1(false)]),
                ),
                (
                    "lyrics3v2 then id3v1",
                    cat(&[&audio, &lyrics3v2(), &id3v1(false)]),
                ),
                (
                    "lyrics3v1 then id3v1",
                    cat(&[&audio, &lyrics3v1(), &id3v1(false)]),
                ),
                (
                    "apev2, lyrics3v2, extended id3v1",
                    cat(&[&audio, &ape_tag(3, true), &lyrics3v2(), &id3v1(true)]),
                ),
                (
                    "appended id3v2 with footer",
                    cat(&[&audio, &id3v2(400, true)]),
                ),
                (
                    "everything",
                    cat(&[
                        &id3v2(300, false),
                        &id3v2(900, true),
                        &audio,
                        &id3v2(200, true),
                        &ape_tag(4, true),
                        &lyrics3v2(),
                        &id3v1(true),
                    ]),
                ),
            ];
            for (name, bytes) in variants {
                for hint in [Some(FileType::Mpeg), None, Some(FileType::WavPack)] {
                    assert_eq!(
                        id_of_bytes(&bytes, hint),
                        bare,
                        "{name} ({audio_len} bytes of audio, hint {hint:?}): tags around the \
                         audio must not change its id"
                    );
                }
            }
        }
    }

    #[test]
    fn a_bogus_huge_id3v2_size_is_not_trusted() {
        let mut a = b"ID3\x03\x00\x00\x7f\x7f\x7f\x7f".to_vec();
        a.extend(mpeg_like_audio(5000));
        let mut b = a.clone();
        b[4000] ^= 0xff;
        let (id_a, id_b) = (
            id_of_bytes(&a, Some(FileType::Mpeg)),
            id_of_bytes(&b, Some(FileType::Mpeg)),
        );
        assert_is_an_id(&id_a);
        assert_ne!(
            id_a, id_b,
            "a tag claiming 256 MB in a 5 KB file is not skipped, so the audio is still hashed"
        );
    }

    fn flac_file(audio: &[u8], comment_len: usize, padding: usize, id3: bool) -> Vec<u8> {
        let mut f = if id3 { id3v2(500, false) } else { Vec::new() };
        f.extend(b"fLaC");
        let block = |f: &mut Vec<u8>, ty: u8, len: usize, last: bool| {
            f.push(ty | if last { 0x80 } else { 0 });
            f.extend(&(len as u32).to_be_bytes()[1..]);
            f.extend(Rng(len as u64 + 1).bytes(len));
        };
        block(&mut f, 0, 34, false);
        block(&mut f, 4, comment_len, padding == 0);
        if padding > 0 {
            block(&mut f, 1, padding, true);
        }
        f.extend(audio);
        f
    }

    #[test]
    fn flac_metadata_blocks_are_not_part_of_the_identity() {
        let mut audio = vec![0xff, 0xf8];
        audio.extend(Rng(5).bytes(150_000));
        let plain = id_of_bytes(&flac_file(&audio, 40, 0, false), Some(FileType::Flac));
        for (name, bytes) in [
            ("a larger comment", flac_file(&audio, 90_000, 0, false)),
            ("padding", flac_file(&audio, 40, 8192, false)),
            ("a leading id3v2", flac_file(&audio, 40, 0, true)),
            (
                "a trailing id3v1",
                [flac_file(&audio, 40, 0, false), id3v1(false)].concat(),
            ),
        ] {
            assert_eq!(
                id_of_bytes(&bytes, Some(FileType::Flac)),
                plain,
                "a FLAC with {name} has the same frames, so the same id"
            );
        }
    }

    fn mp4_box(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
        let mut b = ((body.len() + 8) as u32).to_be_bytes().to_vec();
        b.extend(kind);
        b.extend(body);
        b
    }

    #[test]
    fn mp4_identity_is_the_mdat_wherever_it_sits_and_however_its_size_is_written() {
        let audio = Rng(9).bytes(120_000);
        let ftyp = mp4_box(b"ftyp", b"M4A \0\0\0\0M4A mp42isom");
        let moov_small = mp4_box(b"moov", &Rng(1).bytes(300));
        let moov_large = mp4_box(b"moov", &Rng(2).bytes(40_000));
        let mdat32 = mp4_box(b"mdat", &audio);
        let mut mdat64 = 1u32.to_be_bytes().to_vec();
        mdat64.extend(b"mdat");
        mdat64.extend(((audio.len() + 16) as u64).to_be_bytes());
        mdat64.extend(&audio);
        let mut mdat_to_end = 0u32.to_be_bytes().to_vec();
        mdat_to_end.extend(b"mdat");
        mdat_to_end.extend(&audio);
        let reference = id_of_bytes(
            &[&ftyp[..], &moov_small, &mdat32].concat(),
            Some(FileType::Mp4),
        );
        for (name, bytes) in [
            (
                "mdat before a grown moov",
                [&ftyp[..], &mdat32, &moov_large].concat(),
            ),
            (
                "64-bit mdat size",
                [&ftyp[..], &moov_large, &mdat64].concat(),
            ),
            (
                "mdat running to end of file",
                [&ftyp[..], &moov_large, &mdat_to_end].concat(),
            ),
            (
                "free box in between",
                [
                    &ftyp[..],
                    &moov_small,
                    &mp4_box(b"free", &[0; 999]),
                    &mdat32,
                ]
                .concat(),
            ),
        ] {
            assert_eq!(
                id_of_bytes(&bytes, Some(FileType::Mp4)),
                reference,
                "{name}: the mdat content is unchanged, so the id must be too"
            );
        }
    }

    fn riff_chunk(id: &[u8; 4], body: &[u8]) -> Vec<u8> {
        let mut c = id.to_vec();
        c.extend((body.len() as u32).to_le_bytes());
        c.extend(body);
        if body.len() % 2 == 1 {
            c.push(0);
        }
        c
    }

    #[test]
    fn wav_identity_is_the_data_chunk_including_rf64_sizes() {
        let pcm = Rng(4).bytes(100_001);
        let fmt = riff_chunk(
            b"fmt ",
            &[1, 0, 2, 0, 0x44, 0xac, 0, 0, 0x10, 0xb1, 2, 0, 4, 0, 16, 0],
        );
        let wav = |chunks: &[Vec<u8>], magic: &[u8; 4]| {
            let body: Vec<u8> = chunks.concat();
            let mut f = magic.to_vec();
            f.extend(((body.len() + 4) as u32).to_le_bytes());
            f.extend(b"WAVE");
            f.extend(body);
            f
        };
        let reference = id_of_bytes(
            &wav(&[fmt.clone(), riff_chunk(b"data", &pcm)], b"RIFF"),
            Some(FileType::Wav),
        );
        let list = riff_chunk(b"LIST", &[b'I'; 333]);
        let id3 = riff_chunk(b"id3 ", &id3v2(2000, false));
        let mut ds64 = b"ds64".to_vec();
        ds64.extend(28u32.to_le_bytes());
        ds64.extend(0u64.to_le_bytes());
        ds64.extend((pcm.len() as u64).to_le_bytes());
        ds64.extend([0u8; 12]);
        let mut rf64_data = b"data".to_vec();
        rf64_data.extend(u32::MAX.to_le_bytes());
        rf64_data.extend(&pcm);
        rf64_data.push(0);
        for (name, bytes) in [
            (
                "tags before and after",
                wav(
                    &[
                        list.clone(),
                        fmt.clone(),
                        riff_chunk(b"data", &pcm),
                        id3.clone(),
                    ],
                    b"RIFF",
                ),
            ),
            (
                "RF64 with a ds64 size",
                wav(&[ds64, fmt.clone(), rf64_data, list.clone()], b"RF64"),
            ),
        ] {
            assert_eq!(
                id_of_bytes(&bytes, Some(FileType::Wav)),
                reference,
                "{name}: the data chunk is unchanged, so the id must be too"
            );
        }
    }

    #[test]
    fn aiff_identity_is_the_ssnd_chunk() {
        let sound = Rng(8).bytes(70_000);
        let chunk = |id: &[u8; 4], body: &[u8]| {
            let mut c = id.to_vec();
            c.extend((body.len() as u32).to_be_bytes());
            c.extend(body);
            if body.len() % 2 == 1 {
                c.push(0);
            }
            c
        };
        let aiff = |chunks: &[Vec<u8>]| {
            let body = chunks.concat();
            let mut f = b"FORM".to_vec();
            f.extend(((body.len() + 4) as u32).to_be_bytes());
            f.extend(b"AIFF");
            f.extend(body);
            f
        };
        let comm = chunk(b"COMM", &[0; 18]);
        let ssnd = chunk(b"SSND", &sound);
        let a = aiff(&[comm.clone(), ssnd.clone()]);
        let b = aiff(&[
            chunk(b"NAME", b"a name"),
            comm,
            chunk(b"ID3 ", &id3v2(3000, false)),
            ssnd,
        ]);
        assert_eq!(
            id_of_bytes(&a, Some(FileType::Aiff)),
            id_of_bytes(&b, Some(FileType::Aiff)),
            "text and ID3 chunks around SSND are tags, not audio"
        );
    }

    /// The Ogg page checksum (CRC-32, polynomial 0x04c11db7, checksum field taken as zero), so
    /// synthetic pages are valid for any reader.
    fn ogg_crc(page: &[u8]) -> u32 {
        page.iter().enumerate().fold(0u32, |crc, (i, &b)| {
            let b = if (22..26).contains(&i) { 0 } else { b };
            let mut r = (crc ^ (u32::from(b) << 24)) & 0xff00_0000;
            for _ in 0..8 {
                r = if r & 0x8000_0000 != 0 {
                    (r << 1) ^ 0x04c1_1db7
                } else {
                    r << 1
                };
            }
            (crc << 8) ^ r
        })
    }

    /// Packs packets into Ogg pages the way encoders and taggers do: headers flushed on their
    /// own pages, then audio pages of whole packets.
    struct OggWriter {
        out: Vec<u8>,
        serial: u32,
        seq: u32,
    }

    impl OggWriter {
        fn page(&mut self, flags: u8, granule: u64, lacing: &[u8], data: &[u8]) {
            let start = self.out.len();
            self.out.extend(b"OggS\0");
            self.out.push(flags);
            self.out.extend(granule.to_le_bytes());
            self.out.extend(self.serial.to_le_bytes());
            self.out.extend(self.seq.to_le_bytes());
            self.out.extend([0u8; 4]);
            self.out.push(lacing.len() as u8);
            self.out.extend(lacing);
            self.out.extend(data);
            let crc = ogg_crc(&self.out[start..]);
            self.out[start + 22..start + 26].copy_from_slice(&crc.to_le_bytes());
            self.seq += 1;
        }

        /// Writes `packets` and flushes, splitting pages at `max_segments` lacing values.
        fn packets(&mut self, packets: &[Vec<u8>], bos: bool, granule: u64, max_segments: usize) {
            let (mut lacing, mut data) = (Vec::new(), Vec::new());
            let mut flags = if bos { 2 } else { 0 };
            let mut ended_here = false;
            for p in packets {
                let mut rest = &p[..];
                loop {
                    let take = rest.len().min(255);
                    lacing.push(take as u8);
                    data.extend(&rest[..take]);
                    rest = &rest[take..];
                    ended_here |= take < 255;
                    if lacing.len() == max_segments {
                        let g = if ended_here { granule } else { u64::MAX };
                        self.page(flags, g, &lacing, &data);
                        flags = if take == 255 { 1 } else { 0 };
                        lacing.clear();
                        data.clear();
                        ended_here = false;
                    }
                    if take < 255 {
                        break;
                    }
                }
            }
            if !lacing.is_empty() {
                self.page(flags, granule, &lacing, &data);
            }
        }
    }

    fn synthetic_vorbis(
        comment_len: usize,
        header_max_segments: usize,
        audio: &[Vec<u8>],
    ) -> Vec<u8> {
        let mut w = OggWriter {
            out: Vec::new(),
            serial: 0x1234,
            seq: 0,
        };
        let mut ident = b"\x01vorbis".to_vec();
        ident.extend([0u8; 23]);
        let mut comment = b"\x03vorbis".to_vec();
        comment.extend(Rng(comment_len as u64 + 1).bytes(comment_len));
        let mut setup = b"\x05vorbis".to_vec();
        setup.extend(Rng(77).bytes(3000));
        w.packets(&[ident], true, 0, 255);
        w.packets(&[comment, setup], false, 0, header_max_segments);
        for (i, chunk) in audio.chunks(8).enumerate() {
            w.packets(chunk, false, (i as u64 + 1) * 8192, 255);
        }
        w.out
    }

    #[test]
    fn the_capture_pattern_search_agrees_with_a_naive_scan() {
        let mut rng = Rng(5);
        for _ in 0..2000 {
            let len = (rng.next() % 64) as usize;
            // A small alphabet makes near-misses ("OgS", "gOggS", "OggOggS") common.
            let h: Vec<u8> = (0..len)
                .map(|_| b"OgSx"[(rng.next() % 4) as usize])
                .collect();
            let naive: Vec<usize> = (0..len.saturating_sub(3))
                .filter(|&i| &h[i..i + 4] == b"OggS")
                .collect();
            assert_eq!(
                find_capture(&h),
                naive.first().copied(),
                "forward skip search must find the first capture pattern in {h:?}"
            );
            assert_eq!(
                rfind_capture(&h),
                naive.last().copied(),
                "backward skip search must find the last capture pattern in {h:?}"
            );
        }
    }

    #[test]
    fn ogg_identity_survives_header_repagination_and_renumbering() {
        let mut rng = Rng(21);
        let audio: Vec<Vec<u8>> = (0..400)
            .map(|_| {
                let n = 200 + (rng.next() % 600) as usize;
                rng.bytes(n)
            })
            .collect();
        let small = synthetic_vorbis(100, 255, &audio);
        let reference = id_of_bytes(&small, Some(FileType::Vorbis));
        for (name, bytes) in [
            (
                "a 130 KB comment spanning pages",
                synthetic_vorbis(130_000, 255, &audio),
            ),
            (
                "header pages split finely",
                synthetic_vorbis(5000, 17, &audio),
            ),
            ("a trailing id3v1", [small.clone(), id3v1(false)].concat()),
        ] {
            assert_eq!(
                id_of_bytes(&bytes, Some(FileType::Vorbis)),
                reference,
                "{name}: audio packets and their pagination are unchanged, so the id must be too"
            );
        }
        let mut other_audio = audio.clone();
        other_audio[0][10] ^= 1;
        assert_ne!(
            id_of_bytes(
                &synthetic_vorbis(100, 255, &other_audio),
                Some(FileType::Vorbis)
            ),
            reference,
            "a change in the first audio packet is inside the first sample"
        );
    }

    // -----------------------------------------------------------------------------------------
    // Robustness
    // -----------------------------------------------------------------------------------------

    const HINTS: [Option<FileType>; 13] = [
        None,
        Some(FileType::Aac),
        Some(FileType::Aiff),
        Some(FileType::Ape),
        Some(FileType::Flac),
        Some(FileType::Mpeg),
        Some(FileType::Mp4),
        Some(FileType::Mpc),
        Some(FileType::Opus),
        Some(FileType::Vorbis),
        Some(FileType::Speex),
        Some(FileType::Wav),
        Some(FileType::WavPack),
    ];

    #[test]
    fn an_empty_file_gets_an_id_whatever_its_claimed_type() {
        for hint in HINTS {
            assert_is_an_id(&id_of_bytes(&[], hint));
        }
    }

    #[test]
    fn garbage_behind_every_magic_gets_an_id_without_panicking() {
        let magics: &[&[u8]] = &[
            b"",
            b"fLaC",
            b"fLaC\x00\x00\x00\x22",
            b"OggS\x00\x02",
            b"RIFF\xff\xff\xff\xffWAVE",
            b"RF64\xff\xff\xff\xffWAVEds64\x1c\x00\x00\x00",
            b"FORM\x00\x00\x10\x00AIFF",
            b"\x00\x00\x00\x20ftypM4A ",
            b"\x00\x00\x00\x01mdat\xff\xff\xff\xff\xff\xff\xff\xff",
            b"\x00\x00\x00\x01mdat\x00\x00\x00\x00\x00\x00\x00\x01",
            b"DSD \x1c\x00\x00\x00\x00\x00\x00\x00",
            b"FRM8\x00\x00\x00\x00\x00\x00\x10\x00DSD ",
            &ASF_HEADER,
            b"ID3\x04\x00\x00\x00\x00\x02\x00",
            b"ID3\x04\x00\x10\x7f\x7f\x7f\x7f",
            b"APETAGEX",
            b"TAG",
        ];
        let mut rng = Rng(99);
        for magic in magics {
            for _ in 0..40 {
                let len = (rng.next() % 3000) as usize;
                let mut bytes = magic.to_vec();
                bytes.extend(rng.bytes(len));
                // Sprinkle structure markers so parsers go deeper than the first header.
                for marker in [
                    &b"OggS"[..],
                    b"APETAGEX",
                    b"TAG",
                    b"data",
                    b"mdat",
                    b"SSND",
                    b"3DI",
                ] {
                    if bytes.len() > 40 && rng.next().is_multiple_of(2) {
                        let at = (rng.next() as usize) % (bytes.len() - marker.len());
                        bytes[at..at + marker.len()].copy_from_slice(marker);
                    }
                }
                let hint = HINTS[(rng.next() % HINTS.len() as u64) as usize];
                assert_is_an_id(&id_of_bytes(&bytes, hint));
            }
        }
    }

    #[test]
    fn truncated_and_mangled_corpus_files_get_an_id_without_panicking() {
        let Some(root) = corpus() else { return };
        let mut rng = Rng(1234);
        for (label, rel) in FORMAT_SAMPLES {
            let Ok(bytes) = std::fs::read(root.join(rel)) else {
                continue;
            };
            let hint = sniffed_type(&root.join(rel));
            let len = bytes.len();
            let mut cuts: Vec<usize> = vec![0, 1, 3, 4, 10, 27, 100, 1000, 4096, len / 2, len - 1];
            cuts.extend((0..20).map(|_| (rng.next() as usize) % len));
            for cut in cuts.into_iter().filter(|&c| c <= len) {
                let id = id_of_bytes(&bytes[..cut], hint);
                assert_is_an_id(&id);
            }
            for _ in 0..60 {
                let mut mangled = bytes.clone();
                for _ in 0..8 {
                    let at = if rng.next().is_multiple_of(2) {
                        (rng.next() as usize) % len.min(2048)
                    } else {
                        len - 1 - (rng.next() as usize) % len.min(2048)
                    };
                    mangled[at] = rng.next() as u8;
                }
                let id = id_of_bytes(&mangled, hint);
                assert!(id.len() == 32, "{label}: a mangled file still gets an id");
            }
        }
    }

    #[test]
    fn every_corpus_file_gets_an_id_with_a_bounded_number_of_reads() {
        let Some(root) = corpus() else { return };
        let mut worst = (0u32, PathBuf::new());
        for path in corpus_files(&root) {
            let mut file = File::open(&path).expect("open");
            let len = file.metadata().expect("metadata").len();
            let hint = sniffed_type(&path);
            let mut src = Source::new(&mut file, len);
            identify(&mut src, hint).expect("every corpus file gets an id");
            if src.reads > worst.0 {
                worst = (src.reads, path.clone());
            }
        }
        eprintln!(
            "most reads for one file: {} ({})",
            worst.0,
            worst.1.display()
        );
        assert!(
            worst.0 <= 100,
            "the cost must stay a small fixed number of reads, not grow with file size"
        );
    }

    // -----------------------------------------------------------------------------------------
    // Cost
    // -----------------------------------------------------------------------------------------

    #[test]
    fn content_id_costs_little_next_to_reading_tags() {
        let Some(root) = corpus() else { return };
        let files = clean_audio_files(&root);
        const ROUNDS: usize = 7;
        // Per file, the best of several alternating rounds: other work on the machine only
        // ever adds time, so the minimum is the closest to the true cost of each side.
        let mut by_type: BTreeMap<String, (usize, Duration, Duration)> = BTreeMap::new();
        for path in &files {
            let hint = sniffed_type(path);
            let (mut best_id, mut best_tags) = (Duration::MAX, Duration::MAX);
            for _ in 0..ROUNDS {
                let start = Instant::now();
                let mut file = File::open(path).expect("open");
                content_id(&mut file, hint).expect("content_id");
                best_id = best_id.min(start.elapsed());
                let start = Instant::now();
                read_tags(path).expect("clean file reads");
                best_tags = best_tags.min(start.elapsed());
            }
            let entry = by_type.entry(format!("{hint:?}")).or_default();
            entry.0 += 1;
            entry.1 += best_id;
            entry.2 += best_tags;
        }
        let (mut ids, mut tags) = (Duration::ZERO, Duration::ZERO);
        for (kind, (n, id, tag)) in &by_type {
            eprintln!(
                "  {kind:<16} {n:>4} files  content_id {:>9.1?}/file  lofty read {:>9.1?}/file  \
                 ratio {:.2}x",
                *id / *n as u32,
                *tag / *n as u32,
                id.as_secs_f64() / tag.as_secs_f64()
            );
            ids += *id;
            tags += *tag;
        }
        eprintln!(
            "timing over {} clean corpus files (best of {ROUNDS} rounds each): content_id {:?}, \
             lofty read {:?}, ratio {:.2}x (target <= 1.5x)",
            files.len(),
            ids,
            tags,
            ids.as_secs_f64() / tags.as_secs_f64()
        );
    }
}
