//! Gathering work items into batches for a single writer: one transaction per batch keeps
//! commits cheap, and a deadline keeps what is done visible (and safe from a crash) promptly.

use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, RecvTimeoutError};

/// Waits for an item, then gathers more into `batch` until it holds `max` or `wait` has passed.
/// Returns `None` when the channel is closed and empty, else whether it closed while gathering
/// (the batch is then the last one).
pub(crate) fn gather<T>(
    rx: &Receiver<T>,
    batch: &mut Vec<T>,
    max: usize,
    wait: Duration,
) -> Option<bool> {
    batch.push(rx.recv().ok()?);
    let deadline = Instant::now() + wait;
    while batch.len() < max {
        match rx.recv_deadline(deadline) {
            Ok(item) => batch.push(item),
            Err(RecvTimeoutError::Timeout) => return Some(false),
            Err(RecvTimeoutError::Disconnected) => return Some(true),
        }
    }
    Some(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_fill_up_to_the_limit_then_report_the_close() {
        let (tx, rx) = crossbeam_channel::unbounded();
        for i in 0..5 {
            tx.send(i).unwrap();
        }
        drop(tx);
        let mut batch = Vec::new();
        assert_eq!(
            gather(&rx, &mut batch, 3, Duration::from_secs(5)),
            Some(false)
        );
        assert_eq!(batch, vec![0, 1, 2]);
        batch.clear();
        assert_eq!(
            gather(&rx, &mut batch, 3, Duration::from_secs(5)),
            Some(true)
        );
        assert_eq!(
            batch,
            vec![3, 4],
            "the last batch, and the channel is closed"
        );
        batch.clear();
        assert_eq!(gather(&rx, &mut batch, 3, Duration::from_secs(5)), None);
    }

    #[test]
    fn a_batch_is_cut_at_the_deadline() {
        let (tx, rx) = crossbeam_channel::unbounded();
        tx.send(1).unwrap();
        let mut batch = Vec::new();
        assert_eq!(
            gather(&rx, &mut batch, 10, Duration::from_millis(20)),
            Some(false)
        );
        assert_eq!(
            batch,
            vec![1],
            "the sender is still open but nothing more came"
        );
    }
}
