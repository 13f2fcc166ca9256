//! The bounded verdict queue of one VM: stream contexts push serialized
//! records, the root context's `on_tick` takes NDJSON batches. A full queue
//! drops its oldest record and counts it; pushing never blocks traffic.

use std::collections::VecDeque;

/// Verdict records (one JSON line each, without newline) waiting to be sent.
#[derive(Debug)]
pub struct VerdictQueue {
    lines: VecDeque<String>,
    max: usize,
    dropped: u64,
}

impl VerdictQueue {
    /// An empty queue holding at most `max` records (at least 1).
    pub fn new(max: usize) -> VerdictQueue {
        VerdictQueue { lines: VecDeque::new(), max: max.max(1), dropped: 0 }
    }

    /// Change the bound (a new plugin configuration); drops the oldest records beyond it.
    /// Returns how many were dropped.
    pub fn set_max(&mut self, max: usize) -> u64 {
        self.max = max.max(1);
        self.trim()
    }

    /// Add one record; returns how many old records were dropped to make room (0 or 1).
    pub fn push(&mut self, line: String) -> u64 {
        self.lines.push_back(line);
        self.trim()
    }

    /// Put a batch that could not be sent back at the front, oldest first;
    /// returns how many records were dropped to stay within the bound.
    pub fn requeue(&mut self, lines: Vec<String>) -> u64 {
        for line in lines.into_iter().rev() {
            self.lines.push_front(line);
        }
        self.trim()
    }

    fn trim(&mut self) -> u64 {
        let mut n = 0;
        while self.lines.len() > self.max {
            self.lines.pop_front();
            n += 1;
        }
        self.dropped += n;
        n
    }

    /// Take up to `max_batch` of the oldest records.
    pub fn take(&mut self, max_batch: usize) -> Vec<String> {
        let n = max_batch.min(self.lines.len());
        self.lines.drain(..n).collect()
    }

    /// Records waiting.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// Whether nothing waits.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Records dropped since the queue was made.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }
}

/// The NDJSON body of a batch: each record followed by `\n`.
pub fn ndjson(lines: &[String]) -> Vec<u8> {
    let mut body = Vec::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
    for l in lines {
        body.extend_from_slice(l.as_bytes());
        body.push(b'\n');
    }
    body
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn drops_oldest_when_full() {
        let mut q = VerdictQueue::new(3);
        for i in 0..5 {
            q.push(i.to_string());
        }
        assert_eq!(q.dropped(), 2);
        assert_eq!(q.take(10), ["2", "3", "4"]);
        assert!(q.is_empty());
    }

    #[test]
    fn batches_and_requeue_keep_order() {
        let mut q = VerdictQueue::new(4);
        for i in 0..4 {
            q.push(i.to_string());
        }
        let b = q.take(2);
        assert_eq!(b, ["0", "1"]);
        q.push("4".into());
        assert_eq!(q.requeue(b), 1, "one over the bound: the oldest goes");
        assert_eq!(q.take(10), ["1", "2", "3", "4"]);
        assert_eq!(ndjson(&["a".into(), "b".into()]), b"a\nb\n");
    }

    #[test]
    fn shrinking_drops_oldest() {
        let mut q = VerdictQueue::new(10);
        for i in 0..5 {
            q.push(i.to_string());
        }
        assert_eq!(q.set_max(2), 3);
        assert_eq!(q.take(10), ["3", "4"]);
    }
}
