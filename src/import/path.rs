//! Turning what a playlist says about a file (a path, a `file://` URI, another URI) into a local
//! path, lexically: relative paths are joined to the playlist's folder and `.`/`..` are resolved
//! from the components alone. Nothing here touches the file system.

use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;
use std::path::{Component, Path, PathBuf};

/// Where a playlist line or location points.
#[derive(Debug, PartialEq)]
pub(super) enum Location {
    File(PathBuf),
    /// Not a local file (`http://…`); holds the scheme.
    Remote(String),
    /// Cannot be a path; holds why.
    Invalid(&'static str),
}

/// A path line of an M3U playlist (or a CSV path cell): a plain path, or a URI. Backslashes are
/// separators only when the line has no `/` (a Windows path).
pub(super) fn from_line(line: &str, base: &Path) -> Location {
    if let Some(rest) = strip_file_scheme(line) {
        return from_file_uri(rest, base);
    }
    if let Some(scheme) = remote_scheme(line) {
        return Location::Remote(scheme.to_owned());
    }
    let line = if !line.contains('/') && line.contains('\\') {
        line.replace('\\', "/")
    } else {
        line.to_owned()
    };
    resolve(line.into_bytes(), base)
}

/// An XSPF `<location>`: a URI, or a relative URI reference (percent-encoded, resolved against
/// the playlist's folder).
pub(super) fn from_uri(uri: &str, base: &Path) -> Location {
    let uri = uri.trim();
    if let Some(rest) = strip_file_scheme(uri) {
        return from_file_uri(rest, base);
    }
    if let Some(scheme) = remote_scheme(uri) {
        return Location::Remote(scheme.to_owned());
    }
    let mut bytes = percent_decode(uri);
    if !bytes.contains(&b'/') && bytes.contains(&b'\\') {
        for b in &mut bytes {
            if *b == b'\\' {
                *b = b'/';
            }
        }
    }
    resolve(bytes, base)
}

/// A plain path string (Cuebook JSON), resolved against the playlist's folder.
pub(super) fn from_plain(path: &str, base: &Path) -> Location {
    resolve(path.as_bytes().to_vec(), base)
}

/// Whether a line names an audio file by its extension.
pub(super) fn looks_like_audio_file(line: &str) -> bool {
    const AUDIO: [&str; 17] = [
        "mp3", "flac", "ogg", "oga", "opus", "m4a", "m4b", "aac", "wav", "aif", "aiff", "wma",
        "ape", "wv", "mka", "dsf", "alac",
    ];
    let line = line.trim();
    line.rsplit_once('.')
        .is_some_and(|(_, ext)| AUDIO.contains(&ext.to_ascii_lowercase().as_str()))
}

/// The rest of a `file:` URI after the scheme, whatever the scheme's case.
fn strip_file_scheme(s: &str) -> Option<&str> {
    let head = s.get(..5)?;
    head.eq_ignore_ascii_case("file:").then(|| &s[5..])
}

/// The scheme of a URI that is not a local file: `scheme://…`, or a few well-known schemes
/// without `//`. A single letter before `:` is a Windows drive, and a name like `Mahler:1.flac`
/// is a file, so only these shapes count.
fn remote_scheme(s: &str) -> Option<&str> {
    let (scheme, rest) = s.split_once(':')?;
    let well_formed = scheme.len() >= 2
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    let opaque = ["spotify", "urn", "data", "mailto", "tel"]
        .iter()
        .any(|s| s.eq_ignore_ascii_case(scheme));
    (well_formed && (rest.starts_with("//") || opaque)).then_some(scheme)
}

/// `//host/path`, `///path`, `/path` or `path` after `file:`, percent-decoded to raw bytes.
fn from_file_uri(rest: &str, base: &Path) -> Location {
    let rest = rest.split(['?', '#']).next().unwrap_or_default();
    let path = match rest.strip_prefix("//") {
        Some(after) => {
            let (host, path) = after.split_at(after.find('/').unwrap_or(after.len()));
            if host.is_empty() || host.eq_ignore_ascii_case("localhost") {
                path.to_owned()
            } else {
                // A share on another machine, as a UNC-like path.
                format!("//{host}{path}")
            }
        }
        None => rest.to_owned(),
    };
    let mut bytes = percent_decode(&path);
    // `file:///C:/Music/…`: a Windows drive, not a folder named `C:` under the root.
    if bytes.len() >= 3 && bytes[0] == b'/' && is_drive(&bytes[1..]) {
        bytes.remove(0);
    }
    resolve(bytes, base)
}

/// `C:/…` or `C:\…`.
fn is_drive(bytes: &[u8]) -> bool {
    bytes.len() >= 3
        && bytes[0].is_ascii_alphabetic()
        && bytes[1] == b':'
        && matches!(bytes[2], b'/' | b'\\')
}

fn resolve(bytes: Vec<u8>, base: &Path) -> Location {
    if bytes.contains(&0) {
        return Location::Invalid("the path holds a NUL byte");
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Location::Invalid("the path is empty");
    }
    if is_drive(&bytes) {
        // A Windows path cannot be joined to a Unix folder; kept as written for matching.
        let text = String::from_utf8_lossy(&bytes).replace('\\', "/");
        return Location::File(PathBuf::from(text));
    }
    let path = PathBuf::from(OsString::from_vec(bytes));
    let joined = if path.is_absolute() {
        path
    } else {
        base.join(path)
    };
    let normal = normalize(&joined);
    if normal.as_os_str().is_empty() || normal == Path::new("/") {
        return Location::Invalid("the path names no file");
    }
    Location::File(normal)
}

/// `p` without `.` components and with each `..` removing the component before it; a `..` with
/// nothing before it (at the root, or at the start of a relative path) is dropped.
pub(super) fn normalize(p: &Path) -> PathBuf {
    let mut parts: Vec<Component> = Vec::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if matches!(parts.last(), Some(Component::Normal(_))) {
                    parts.pop();
                }
            }
            c => parts.push(c),
        }
    }
    parts.iter().collect()
}

/// Decodes `%XX` escapes to raw bytes; a `%` not followed by two hex digits stays as it is.
fn percent_decode(s: &str) -> Vec<u8> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        if bytes[i] == b'%' {
            if let (Some(h), Some(l)) = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            ) {
                // Both digits are below 16, so the byte cannot overflow.
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::ffi::OsStrExt;

    fn file(p: &str) -> Location {
        Location::File(p.into())
    }

    #[test]
    fn relative_paths_resolve_against_the_playlist_folder_without_dot_dot() {
        let base = Path::new("/home/me/lists");
        assert_eq!(
            from_line("a/b.flac", base),
            file("/home/me/lists/a/b.flac"),
            "joined"
        );
        assert_eq!(
            from_line("../music/./b.flac", base),
            file("/home/me/music/b.flac"),
            "`.` and `..` are resolved lexically"
        );
        assert_eq!(
            from_line("../../../../../../etc/passwd", base),
            file("/etc/passwd"),
            "climbing past the root stops at the root; nothing is read"
        );
        assert_eq!(
            from_line("/abs/../x.mp3", base),
            file("/x.mp3"),
            "absolute paths are normalized too"
        );
        assert_eq!(
            from_line("Music\\Score\\01.mp3", base),
            file("/home/me/lists/Music/Score/01.mp3"),
            "backslashes are separators in a line without `/`"
        );
        assert_eq!(
            from_line("/m/AC\\DC.mp3", base),
            file("/m/AC\\DC.mp3"),
            "a backslash in a Unix path is part of the name"
        );
        assert_eq!(
            from_line("Mahler:1.flac", base),
            file("/home/me/lists/Mahler:1.flac"),
            "a colon does not make a file name a URI"
        );
    }

    #[test]
    fn file_uris_are_percent_decoded_to_raw_bytes() {
        let base = Path::new("/l");
        assert_eq!(
            from_uri("file:///m/a%20b/%231.flac", base),
            file("/m/a b/#1.flac"),
            "escapes are decoded"
        );
        assert_eq!(
            from_uri("file:///m/%FF.mp3", base),
            Location::File(Path::new(std::ffi::OsStr::from_bytes(b"/m/\xff.mp3")).into()),
            "non-UTF-8 bytes come back as they were"
        );
        assert_eq!(
            from_uri("FILE://localhost/m/x.mp3", base),
            file("/m/x.mp3"),
            "localhost is this machine"
        );
        assert_eq!(
            from_uri("rel%20dir/x.mp3", base),
            file("/l/rel dir/x.mp3"),
            "a relative reference is decoded and joined"
        );
        assert_eq!(
            from_uri("file:///m/%00x.mp3", base),
            Location::Invalid("the path holds a NUL byte"),
            "an encoded NUL is refused"
        );
        assert_eq!(
            from_line("100%.mp3", base),
            file("/l/100%.mp3"),
            "plain M3U paths are not percent-decoded"
        );
    }

    #[test]
    fn other_schemes_are_remote() {
        let base = Path::new("/l");
        assert_eq!(
            from_line("http://radio.example/stream", base),
            Location::Remote("http".into()),
            "a web stream is not a file"
        );
        assert_eq!(
            from_uri("spotify:track:4uLU6hMCjMI75M1A2tKUQC", base),
            Location::Remote("spotify".into()),
            "well-known opaque schemes are remote too"
        );
        assert_eq!(
            from_line("C:\\Music\\a.mp3", base),
            file("C:/Music/a.mp3"),
            "a drive letter is a Windows path, kept as written"
        );
    }
}
