//! The app's settings: how previews sound, the volume, and whether the first-run greeting was
//! seen. Stored in the catalog (`settings` table), one key per field, so a setting added later
//! starts at its default and a stored value that no longer makes sense is ignored, not fatal.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::db::{self, DbError};
use crate::preview::engine::{PreviewPolicy, StartPoint};
use crate::Library;

/// Where previews start.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum PreviewStart {
    /// The most characteristic moment, from analysis.
    Smart,
    FromStart,
    /// Percent of the duration.
    Percent(f64),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// Preview length in seconds.
    pub preview_secs: u32,
    pub preview_start: PreviewStart,
    /// The loudness previews and plays are matched to, in LUFS.
    pub target_lufs: f64,
    /// 0–1.
    pub volume: f32,
    /// Whether the first-run greeting has been seen.
    pub onboarded: bool,
}

pub const PREVIEW_SECS: std::ops::RangeInclusive<u32> = 5..=120;
pub const TARGET_LUFS: std::ops::RangeInclusive<f64> = -30.0..=-8.0;

impl Default for Settings {
    fn default() -> Self {
        let policy = PreviewPolicy::default();
        Self {
            preview_secs: policy.length.as_secs() as u32,
            preview_start: PreviewStart::Smart,
            target_lufs: policy.target_lufs,
            volume: 1.0,
            onboarded: false,
        }
    }
}

impl Settings {
    /// The same settings with every value brought into its range.
    pub fn clamped(mut self) -> Self {
        self.preview_secs = self
            .preview_secs
            .clamp(*PREVIEW_SECS.start(), *PREVIEW_SECS.end());
        self.target_lufs = if self.target_lufs.is_finite() {
            self.target_lufs
                .clamp(*TARGET_LUFS.start(), *TARGET_LUFS.end())
        } else {
            PreviewPolicy::default().target_lufs
        };
        self.volume = if self.volume.is_finite() {
            self.volume.clamp(0.0, 1.0)
        } else {
            1.0
        };
        if let PreviewStart::Percent(p) = self.preview_start {
            self.preview_start = if p.is_finite() {
                PreviewStart::Percent(p.clamp(0.0, 95.0))
            } else {
                PreviewStart::Smart
            };
        }
        self
    }

    /// How previews sound with these settings.
    pub fn preview_policy(&self) -> PreviewPolicy {
        PreviewPolicy {
            length: Duration::from_secs(self.preview_secs.into()),
            start: match self.preview_start {
                PreviewStart::Smart => StartPoint::Smart,
                PreviewStart::FromStart => StartPoint::FromStart,
                PreviewStart::Percent(p) => StartPoint::Percent(p),
            },
            target_lufs: self.target_lufs,
            ..PreviewPolicy::default()
        }
    }
}

/// The stored settings, defaults where nothing (or nothing sensible) is stored.
///
/// # Errors
/// When the catalog cannot be read.
pub fn load(lib: &Library) -> Result<Settings, DbError> {
    let stored = db::settings::all(&lib.reader()?)?;
    let mut current = serde_json::to_value(Settings::default()).expect("settings serialize");
    for (key, text) in stored {
        let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) else {
            continue;
        };
        let mut candidate = current.clone();
        candidate[&key] = value;
        // A value of the wrong shape (an older version's, a hand edit) keeps the default.
        if serde_json::from_value::<Settings>(candidate.clone()).is_ok() {
            current = candidate;
        }
    }
    let settings: Settings = serde_json::from_value(current).expect("checked above");
    Ok(settings.clamped())
}

/// Stores `settings` (clamped) and returns what was stored.
///
/// # Errors
/// When the catalog cannot be written.
pub fn save(lib: &Library, settings: Settings) -> Result<Settings, DbError> {
    let settings = settings.clamped();
    let value = serde_json::to_value(&settings).expect("settings serialize");
    let pairs: Vec<(String, String)> = value
        .as_object()
        .expect("settings are an object")
        .iter()
        .map(|(k, v)| (k.clone(), v.to_string()))
        .collect();
    db::settings::put_all(&mut lib.writer()?, &pairs)?;
    Ok(settings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn library() -> (tempfile::TempDir, Library) {
        let dir = tempfile::tempdir().expect("a temp folder");
        let lib = Library::open(dir.path().join("library.sqlite")).expect("a new library opens");
        (dir, lib)
    }

    #[test]
    fn a_new_library_has_the_default_settings() {
        let (_dir, lib) = library();
        assert_eq!(load(&lib).unwrap(), Settings::default());
    }

    #[test]
    fn saved_settings_come_back_clamped() {
        let (_dir, lib) = library();
        let saved = save(
            &lib,
            Settings {
                preview_secs: 600,
                preview_start: PreviewStart::Percent(40.0),
                target_lufs: -3.0,
                volume: 0.5,
                onboarded: true,
            },
        )
        .unwrap();
        assert_eq!(saved.preview_secs, 120, "previews are at most two minutes");
        assert_eq!(
            saved.target_lufs, -8.0,
            "louder than -8 LUFS would clip most music"
        );
        assert_eq!(load(&lib).unwrap(), saved, "what was stored is what loads");
        assert_eq!(
            saved.preview_policy().start,
            StartPoint::Percent(40.0),
            "the engine gets the chosen start"
        );
    }

    #[test]
    fn a_stored_value_of_the_wrong_shape_keeps_its_default_and_nothing_else_is_lost() {
        let (_dir, lib) = library();
        save(
            &lib,
            Settings {
                volume: 0.25,
                ..Settings::default()
            },
        )
        .unwrap();
        db::settings::put_all(
            &mut lib.writer().unwrap(),
            &[("preview_secs".into(), "\"long\"".into())],
        )
        .unwrap();
        let loaded = load(&lib).unwrap();
        assert_eq!(
            loaded.preview_secs, 30,
            "a bad value falls back to the default"
        );
        assert_eq!(loaded.volume, 0.25, "the other settings survive");
    }
}
