//! Cuebook core: catalogs soundtrack collections in SQLite and searches them.
//!
//! The core knows nothing about the desktop shell. Long operations report through an injected
//! event sink ([`events::EventSink`]) and check a cancel flag, so the CLI, the app and the tests
//! drive the same code.
//!
//! Domains: [`catalog`] (library roots, scanning, albums, works, covers, problems), [`search`]
//! (the query language over the catalog) and [`preview`] (decoding, analysis and playback), over
//! the storage layer in [`db`].

pub mod annotate;
pub mod articles;
mod batch;
pub mod catalog;
pub mod db;
pub mod events;
pub mod export;
pub mod import;
pub mod library;
pub mod lists;
pub mod preview;
pub mod search;
pub mod settings;
pub mod text;

pub use library::Library;
