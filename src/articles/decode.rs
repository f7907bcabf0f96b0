//! Bytes to normalized text: BOMs, declared charsets, a Windows-1252 fallback for invalid UTF-8,
//! and LF line endings. Refuses binary and oversized input before decoding.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};

use super::ArticleError;

/// Largest input the reader accepts.
pub const MAX_ARTICLE_BYTES: usize = 8 * 1024 * 1024;

/// Decodes `bytes`; `declared` is a charset label from a content type, `html` allows a
/// `<meta charset>` pre-scan.
pub(crate) fn decode(
    bytes: &[u8],
    declared: Option<&str>,
    html: bool,
    name: &str,
) -> Result<String, ArticleError> {
    if bytes.len() > MAX_ARTICLE_BYTES {
        return Err(ArticleError::TooLarge {
            name: name.to_owned(),
            size: bytes.len(),
            limit: MAX_ARTICLE_BYTES,
        });
    }
    let text = if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        check_binary(&bytes[bom_len..], encoding != UTF_8, name)?;
        encoding
            .decode_without_bom_handling(&bytes[bom_len..])
            .0
            .into_owned()
    } else {
        check_binary(bytes, false, name)?;
        let label =
            declared
                .map(str::to_owned)
                .or_else(|| if html { meta_charset(bytes) } else { None });
        let encoding = label
            .and_then(|l| Encoding::for_label(l.trim().as_bytes()))
            // A page cannot declare UTF-16 for itself in ASCII; treat such claims as UTF-8.
            .filter(|e| *e != UTF_16LE && *e != UTF_16BE)
            .unwrap_or(UTF_8);
        if encoding == UTF_8 {
            match std::str::from_utf8(bytes) {
                Ok(s) => s.to_owned(),
                Err(_) => WINDOWS_1252
                    .decode_without_bom_handling(bytes)
                    .0
                    .into_owned(),
            }
        } else {
            encoding.decode_without_bom_handling(bytes).0.into_owned()
        }
    };
    Ok(normalize_newlines(&text))
}

fn check_binary(bytes: &[u8], utf16: bool, name: &str) -> Result<(), ArticleError> {
    if utf16 {
        return Ok(());
    }
    let sample = &bytes[..bytes.len().min(64 * 1024)];
    let controls = sample
        .iter()
        .filter(|&&b| b == 0 || (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c)))
        .count();
    if sample.contains(&0) || (!sample.is_empty() && controls * 10 > sample.len()) {
        return Err(ArticleError::Binary {
            name: name.to_owned(),
        });
    }
    Ok(())
}

/// The charset of a `<meta charset=…>` or `<meta http-equiv content="…; charset=…">` in the
/// first 4 KiB.
fn meta_charset(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: String = head
        .iter()
        .map(|&b| (b as char).to_ascii_lowercase())
        .collect();
    let mut rest = lower.as_str();
    while let Some(meta) = rest.find("<meta") {
        let tag_end = rest[meta..].find('>').map_or(rest.len(), |e| meta + e);
        let tag = &rest[meta..tag_end];
        if let Some(pos) = tag.find("charset=") {
            let value = tag[pos + 8..].trim_start_matches(['"', '\'', ' ']);
            let end = value
                .find(['"', '\'', ';', ' ', '/', '>'])
                .unwrap_or(value.len());
            if end > 0 {
                return Some(value[..end].to_owned());
            }
        }
        rest = &rest[tag_end..];
    }
    None
}

/// CRLF and lone CR become LF.
pub(crate) fn normalize_newlines(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(bytes: &[u8]) -> String {
        decode(bytes, None, false, "t").expect("decodes")
    }

    #[test]
    fn utf8_with_and_without_bom_decodes_the_same() {
        assert_eq!(
            plain(b"\xEF\xBB\xBFcaf\xC3\xA9"),
            "café",
            "the UTF-8 BOM is dropped"
        );
        assert_eq!(plain("café".as_bytes()), "café", "plain UTF-8 is kept");
    }

    #[test]
    fn utf16_with_bom_decodes_both_byte_orders() {
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Amélie\r\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("Amélie".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(
            plain(&le),
            "Amélie\n",
            "UTF-16LE decodes and CRLF becomes LF"
        );
        assert_eq!(plain(&be), "Amélie", "UTF-16BE decodes");
    }

    #[test]
    fn invalid_utf8_falls_back_to_windows_1252() {
        assert_eq!(
            plain(b"Am\xE9lie \x93Moon\x94"),
            "Amélie “Moon”",
            "cp1252 accents and curly quotes"
        );
    }

    #[test]
    fn declared_charsets_are_honoured() {
        let html = b"<html><head><meta charset=\"iso-8859-15\"></head><body>\xA4</body></html>";
        assert!(
            decode(html, None, true, "t")
                .expect("decodes")
                .contains('€'),
            "meta charset picks ISO-8859-15"
        );
        let text = decode(b"\xE9", Some("iso-8859-1"), false, "t").expect("decodes");
        assert_eq!(text, "é", "a content-type charset is used");
        let http_equiv =
            b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\">\xC0";
        assert!(
            decode(http_equiv, None, true, "t")
                .expect("decodes")
                .ends_with('А'),
            "http-equiv charset is used"
        );
    }

    #[test]
    fn line_endings_become_lf() {
        assert_eq!(
            plain(b"a\r\nb\rc\n"),
            "a\nb\nc\n",
            "CRLF and lone CR normalize to LF"
        );
    }

    #[test]
    fn binary_and_huge_input_are_refused() {
        assert!(
            matches!(
                decode(b"PK\x03\x04\x00\x00", None, false, "x.zip"),
                Err(ArticleError::Binary { .. })
            ),
            "NUL bytes mean binary"
        );
        let controls = vec![0x01u8; 100];
        assert!(
            matches!(
                decode(&controls, None, false, "x"),
                Err(ArticleError::Binary { .. })
            ),
            "mostly control characters mean binary"
        );
        let huge = vec![b'a'; MAX_ARTICLE_BYTES + 1];
        let err = decode(&huge, None, false, "big.txt").expect_err("too large");
        assert!(
            err.to_string().contains("big.txt"),
            "the error names the input: {err}"
        );
    }
}
