//! The `cover:` protocol: serves cover thumbnails from the library's thumbnail cache and nothing
//! else. A request names a thumbnail by its hash (`cover://localhost/<32 hex digits>`); anything
//! else is refused without touching the disk, so the webview cannot read other files through it.

use std::path::Path;

use tauri::http::{header, Response, StatusCode};

/// The response to a request for `uri_path` (the URL's path, e.g. `/0a1b…`).
pub fn respond(thumbs_dir: &Path, uri_path: &str) -> Response<Vec<u8>> {
    let hash = uri_path.trim_start_matches('/');
    let valid = hash.len() == 32
        && hash
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase());
    if !valid {
        return status(StatusCode::BAD_REQUEST);
    }
    match std::fs::read(cuebook::catalog::cover::thumbnail_path(thumbs_dir, hash)) {
        Ok(bytes) => Response::builder()
            .header(header::CONTENT_TYPE, "image/jpeg")
            // A hash names one picture forever.
            .header(header::CACHE_CONTROL, "max-age=31536000, immutable")
            .body(bytes)
            .unwrap_or_else(|_| status(StatusCode::INTERNAL_SERVER_ERROR)),
        Err(_) => status(StatusCode::NOT_FOUND),
    }
}

fn status(code: StatusCode) -> Response<Vec<u8>> {
    let mut r = Response::new(Vec::new());
    *r.status_mut() = code;
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cached_thumbnail_is_served_as_jpeg() {
        let dir = tempfile::tempdir().expect("a temp folder");
        let hash = "0123456789abcdef0123456789abcdef";
        let path = cuebook::catalog::cover::thumbnail_path(dir.path(), hash);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, b"\xff\xd8jpeg").unwrap();
        let r = respond(dir.path(), &format!("/{hash}"));
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()[header::CONTENT_TYPE], "image/jpeg");
        assert_eq!(r.body(), b"\xff\xd8jpeg");
    }

    #[test]
    fn anything_but_a_hash_is_refused_without_reading_the_disk() {
        let dir = tempfile::tempdir().expect("a temp folder");
        std::fs::write(dir.path().join("secret"), b"no").unwrap();
        for path in [
            "/../secret",
            "/%2e%2e/secret",
            "/secret",
            "/",
            "/0123456789ABCDEF0123456789ABCDEF",
            "/etc/passwd",
        ] {
            assert_eq!(
                respond(dir.path(), path).status(),
                StatusCode::BAD_REQUEST,
                "{path} is not a thumbnail name"
            );
        }
        assert_eq!(
            respond(dir.path(), "/ffffffffffffffffffffffffffffffff").status(),
            StatusCode::NOT_FOUND,
            "a well-formed hash without a thumbnail"
        );
    }
}
