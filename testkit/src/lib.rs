//! placeholder
mod corpus;
mod format;
pub use corpus::{scan_corpus, CorpusScan, CorpusSource, RejectedSource};
