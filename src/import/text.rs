//! Turning the bytes of a file into text: byte order marks (UTF-8, UTF-16 LE and BE), UTF-8,
//! and Windows-1252 for the rest (old M3U files are Latin-1; Windows-1252 is its superset), plus
//! the size and "is this text at all" checks every format shares.

use super::{ImportError, MAX_BYTES};

/// Decoded text and, when it was decoded with a guess, a warning saying so.
pub(super) struct Decoded {
    pub text: String,
    pub warning: Option<String>,
}

/// Decodes a whole file.
///
/// # Errors
/// More than [`MAX_BYTES`], NUL bytes outside UTF-16, or mostly control characters.
pub(super) fn decode(bytes: &[u8]) -> Result<Decoded, ImportError> {
    if bytes.len() > MAX_BYTES {
        return Err(ImportError::TooLarge { bytes: bytes.len() });
    }
    let decoded = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        utf8_or_1252(rest)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        utf16(rest, u16::from_le_bytes)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        utf16(rest, u16::from_be_bytes)
    } else {
        if bytes.contains(&0) {
            return Err(ImportError::NotText("it holds NUL bytes"));
        }
        utf8_or_1252(bytes)
    };
    if decoded.text.contains('\0') {
        return Err(ImportError::NotText("it holds NUL characters"));
    }
    let mut total = 0usize;
    let mut controls = 0usize;
    for c in decoded.text.chars() {
        total += 1;
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}') {
            controls += 1;
        }
    }
    // Text has next to none; random bytes have about one in eight.
    if controls * 20 > total {
        return Err(ImportError::NotText("it is mostly control characters"));
    }
    Ok(decoded)
}

/// The first `max` bytes as text, as well as they decode, for sniffing the format.
pub(super) fn decode_head(bytes: &[u8], max: usize) -> String {
    let head = &bytes[..bytes.len().min(max)];
    if let Some(rest) = head.strip_prefix(b"\xFF\xFE") {
        utf16(rest, u16::from_le_bytes).text
    } else if let Some(rest) = head.strip_prefix(b"\xFE\xFF") {
        utf16(rest, u16::from_be_bytes).text
    } else {
        let rest = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
        String::from_utf8_lossy(rest).into_owned()
    }
}

fn utf8_or_1252(bytes: &[u8]) -> Decoded {
    match std::str::from_utf8(bytes) {
        Ok(text) => Decoded {
            text: text.to_owned(),
            warning: None,
        },
        Err(_) => Decoded {
            text: windows_1252(bytes),
            warning: Some(
                "the file is not UTF-8; it was read as Windows-1252 (Latin-1), so check accented \
                 letters"
                    .to_owned(),
            ),
        },
    }
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Decoded {
    let units = bytes.chunks_exact(2).map(|p| unit([p[0], p[1]]));
    let mut bad = bytes.len() % 2 == 1;
    let text = char::decode_utf16(units)
        .map(|r| {
            r.unwrap_or_else(|_| {
                bad = true;
                char::REPLACEMENT_CHARACTER
            })
        })
        .collect();
    Decoded {
        text,
        warning: bad.then(|| {
            "the UTF-16 text holds invalid characters; they were replaced with �".to_owned()
        }),
    }
}

/// What Windows-1252 maps 0x80–0x9F to; the five undefined bytes keep their C1 code points, as
/// the WHATWG Encoding Standard does. Every other byte is the Latin-1 code point of its value.
const HIGH: [char; 32] = [
    '\u{20AC}', '\u{0081}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{02C6}', '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{008D}', '\u{017D}', '\u{008F}',
    '\u{0090}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{02DC}', '\u{2122}', '\u{0161}', '\u{203A}', '\u{0153}', '\u{009D}', '\u{017E}', '\u{0178}',
];

pub(super) fn windows_1252(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9F => HIGH[usize::from(b - 0x80)],
            _ => char::from(b),
        })
        .collect()
}

/// Splits text into lines at LF, CRLF and lone CR.
pub(super) fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let s = rest?;
        match s.find(['\r', '\n']) {
            Some(i) => {
                let skip = if s[i..].starts_with("\r\n") { 2 } else { 1 };
                rest = Some(&s[i + skip..]);
                Some(&s[..i])
            }
            None => {
                rest = None;
                Some(s)
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_maps_the_c1_range_to_typographic_characters() {
        assert_eq!(
            windows_1252(b"\x80 \x93caf\xe9\x94 \x85 \x9f \x81"),
            "€ \u{201C}café\u{201D} … Ÿ \u{81}",
            "0x80–0x9F use the Windows table, 0xA0–0xFF are Latin-1, undefined bytes stay C1"
        );
    }

    #[test]
    fn byte_order_marks_pick_the_encoding() {
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("#EXTM3U é".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("#EXTM3U é".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        for (bytes, what) in [
            (le, "UTF-16 LE"),
            (be, "UTF-16 BE"),
            (b"\xEF\xBB\xBF#EXTM3U \xC3\xA9".to_vec(), "UTF-8"),
        ] {
            let d = decode(&bytes).expect("a BOM-marked text decodes");
            assert_eq!(
                d.text, "#EXTM3U é",
                "{what}: the BOM is dropped and the text decoded"
            );
            assert!(d.warning.is_none(), "{what}: nothing was guessed");
        }
    }

    #[test]
    fn text_that_is_not_utf8_is_read_as_windows_1252_with_a_warning() {
        let d = decode(b"/m/Caf\xe9.mp3").expect("Latin-1 text decodes");
        assert_eq!(d.text, "/m/Café.mp3", "é is 0xE9 in Latin-1");
        assert!(d.warning.is_some(), "the guess is reported");
    }

    #[test]
    fn binary_data_is_not_text() {
        assert!(
            matches!(decode(b"ab\0cd"), Err(ImportError::NotText(_))),
            "a NUL byte means binary"
        );
        assert!(
            matches!(decode(b"\x01\x02\x03\x04abc"), Err(ImportError::NotText(_))),
            "control characters mean binary"
        );
        assert!(
            matches!(
                decode(&vec![b'a'; MAX_BYTES + 1]),
                Err(ImportError::TooLarge { .. })
            ),
            "a file over 64 MiB is refused before anything else"
        );
    }

    #[test]
    fn lines_end_at_lf_crlf_and_lone_cr() {
        let got: Vec<&str> = lines("a\r\nb\rc\n\nd").collect();
        assert_eq!(
            got,
            ["a", "b", "c", "", "d"],
            "all three line ends split lines"
        );
        let got: Vec<&str> = lines("a\n").collect();
        assert_eq!(got, ["a", ""], "a final line end leaves an empty last line");
    }
}
