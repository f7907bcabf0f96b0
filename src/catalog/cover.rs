//! Cover art: embedded pictures and folder images, deduplicated by content hash, with a JPEG
//! thumbnail per distinct picture cached in the library's thumbnail folder.
//!
//! Thumbnails are written to a temporary name and renamed, so concurrent scanners and readers
//! never see half a file. Safe to call from many threads.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use image::{ImageFormat, ImageReader};

/// Longest side of a thumbnail, in pixels.
pub const THUMB_SIZE: u32 = 256;

/// Largest picture we try to decode: bigger ones are almost always junk or hostile.
const MAX_PICTURE_BYTES: usize = 32 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct CoverInfo {
    pub hash: String,
    pub mime: String,
    pub size: Option<(u32, u32)>,
    pub bytes: usize,
}

/// Where the thumbnail of the picture with this hash lives.
pub fn thumbnail_path(thumbs_dir: &Path, hash: &str) -> PathBuf {
    thumbs_dir
        .join(&hash[..2.min(hash.len())])
        .join(format!("{hash}.jpg"))
}

pub(crate) fn hash_picture(data: &[u8]) -> String {
    blake3::hash(data).to_hex()[..32].to_string()
}

/// Records a picture: hashes it and makes its thumbnail unless one exists.
///
/// # Errors
/// A message when the picture cannot be decoded or the thumbnail cannot be written.
pub(crate) fn store_picture(thumbs_dir: &Path, data: &[u8]) -> Result<CoverInfo, String> {
    if data.len() > MAX_PICTURE_BYTES {
        return Err(format!("picture too large ({} bytes)", data.len()));
    }
    let hash = hash_picture(data);
    let reader = ImageReader::new(Cursor::new(data))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    let format = reader.format().ok_or("unknown picture format")?;
    let mime = format.to_mime_type().to_string();
    let target = thumbnail_path(thumbs_dir, &hash);
    if target.exists() {
        let size = reader.into_dimensions().ok();
        return Ok(CoverInfo {
            hash,
            mime,
            size,
            bytes: data.len(),
        });
    }
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(256 * 1024 * 1024);
    let mut reader = reader;
    reader.limits(limits);
    let picture = reader
        .decode()
        .map_err(|e| format!("cannot decode picture: {e}"))?;
    let size = Some((picture.width(), picture.height()));
    let thumb = picture.thumbnail(THUMB_SIZE, THUMB_SIZE).to_rgb8();
    let folder = target.parent().expect("thumbnail paths have a folder");
    std::fs::create_dir_all(folder)
        .map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
    let tmp = folder.join(format!(".{hash}.{}.tmp", std::process::id()));
    thumb
        .save_with_format(&tmp, ImageFormat::Jpeg)
        .map_err(|e| format!("cannot write thumbnail {}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, &target)
        .map_err(|e| format!("cannot write thumbnail {}: {e}", target.display()))?;
    Ok(CoverInfo {
        hash,
        mime,
        size,
        bytes: data.len(),
    })
}

/// Names of folder images, best first.
const FOLDER_IMAGE_NAMES: &[&str] = &[
    "cover",
    "folder",
    "front",
    "album",
    "albumart",
    "artwork",
    "albumartsmall",
];
const IMAGE_EXTENSIONS: &[&str] = &["jpg", "jpeg", "png", "gif", "bmp", "webp"];

/// The cover image in an album folder: a well-known name first, else the only image there.
pub(crate) fn folder_image(folder: &Path) -> Option<PathBuf> {
    let entries = std::fs::read_dir(folder).ok()?;
    let mut images: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| IMAGE_EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
                && p.is_file()
        })
        .collect();
    images.sort();
    let stem = |p: &Path| {
        p.file_stem()
            .map(|s| s.to_string_lossy().to_lowercase())
            .unwrap_or_default()
    };
    for name in FOLDER_IMAGE_NAMES {
        if let Some(p) = images.iter().find(|p| stem(p) == *name) {
            return Some(p.clone());
        }
    }
    if let Some(p) = images
        .iter()
        .find(|p| stem(p).contains("cover") || stem(p).contains("front"))
    {
        return Some(p.clone());
    }
    (images.len() == 1).then(|| images.remove(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([x as u8, y as u8, 128]));
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn a_picture_gets_one_small_thumbnail_named_by_its_content() {
        let dir = tempfile::tempdir().unwrap();
        let data = png(600, 300);
        let a = store_picture(dir.path(), &data).unwrap();
        let b = store_picture(dir.path(), &data).unwrap();
        assert_eq!(a.hash, b.hash, "the same bytes are the same cover");
        assert_eq!(a.size, Some((600, 300)));
        assert_eq!(
            b.size,
            Some((600, 300)),
            "dimensions are known without decoding again"
        );
        let thumb = image::open(thumbnail_path(dir.path(), &a.hash)).unwrap();
        assert_eq!(
            (thumb.width(), thumb.height()),
            (THUMB_SIZE, THUMB_SIZE / 2),
            "aspect ratio is kept"
        );
    }

    #[test]
    fn garbage_pictures_are_refused_with_a_reason() {
        let dir = tempfile::tempdir().unwrap();
        assert!(store_picture(dir.path(), b"not an image at all").is_err());
    }

    #[test]
    fn folder_images_prefer_well_known_names() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("back.jpg"), b"x").unwrap();
        std::fs::write(dir.path().join("Folder.JPG"), b"x").unwrap();
        assert_eq!(
            folder_image(dir.path()).unwrap().file_name().unwrap(),
            "Folder.JPG"
        );
        std::fs::remove_file(dir.path().join("Folder.JPG")).unwrap();
        assert_eq!(
            folder_image(dir.path()).unwrap().file_name().unwrap(),
            "back.jpg",
            "the only image will do"
        );
    }
}
