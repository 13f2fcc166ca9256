//! Verdict delivery of one VM, host-neutral so it is tested natively.
//!
//! - [`VerdictQueue`]: stream contexts push serialized records; each gets its
//!   `record_id` ([`RecordIds`]) on the way in. A full queue drops its oldest
//!   record and counts it; pushing never blocks traffic.
//! - [`Delivery`]: the root context's sending state: at most one call in
//!   flight, which batch goes next, and what an answer means for it.
//!
//! How answers are handled (`docs/verdict-log.md`, "Delivery"):
//! - 2xx: the collector has the batch. Lines its per-line answer marks
//!   `refused` are counted as rejected; the others are delivered (stored or
//!   duplicates). Nothing is sent again.
//! - 400 / 422: lines the per-line answer marks `refused` (all of them when the
//!   body has no per-line answer) are rejected, the others delivered; nothing is sent again.
//! - 413: the batch goes back and the next ones are half as large; a single
//!   record answered 413 is rejected.
//! - no answer (connection refused, reset, timeout: Envoy answers the call
//!   without headers), 408, 429, 5xx: the batch goes back to the front of the
//!   queue and is sent again after [`RETRY_FIRST`], doubling up to
//!   [`RETRY_MAX`] (429/503 `retry-after` in seconds is honoured within that).
//!   Each wait is shortened by up to a quarter at random (the root context's
//!   [`Delivery::with_jitter`]) so that many workers do not retry in step.
//! - 401 / 403 (the token), 404 / 405 (the path): the batch goes back and the
//!   next attempt is [`SLOW_RETRY`] later.
//! - any other 4xx: the batch is rejected (HTTP says repeating it cannot help).
//!
//! Re-sent batches keep their `record_id`s, and the collector stores a
//! record id once, so a batch that was stored but whose answer was lost is
//! not stored twice.

use std::collections::hash_map::RandomState;
use std::collections::VecDeque;
use std::fmt;
use std::hash::BuildHasher;
use std::time::Duration;

use serde::Deserialize;

use crate::verdict::MAX_RECORD_BYTES;

/// How long one verdict call may take before Envoy fails it.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(5);
/// Delay before re-sending after the first failed attempt; it doubles with
/// each further consecutive failure.
pub const RETRY_FIRST: Duration = Duration::from_secs(1);
/// Longest delay between attempts after failures (and the cap on `retry-after`).
pub const RETRY_MAX: Duration = Duration::from_secs(30);
/// Delay between attempts while the collector refuses the token or the path
/// (401, 403, 404, 405): an operator has to fix something first.
pub const SLOW_RETRY: Duration = Duration::from_secs(30);
/// A call unanswered this long is forgotten and its batch sent again. Envoy
/// answers every call by [`CALL_TIMEOUT`]; this only keeps a lost callback
/// from stopping delivery for good.
pub const STALE_CALL: Duration = Duration::from_secs(30);

/// Record ids of one VM: 128 random bits fixed when the VM starts, then a
/// counter: `<32 hex digits>-<n>`. Unique without coordination between
/// workers or restarts; never taken from the request, so a client cannot
/// make its record collide with (and be deduplicated against) another's.
#[derive(Debug, Clone)]
pub struct RecordIds {
    prefix: String,
    next: u64,
}

impl RecordIds {
    /// Ids starting with `seed` in hex.
    pub fn new(seed: u128) -> RecordIds {
        RecordIds { prefix: format!("{seed:032x}"), next: 0 }
    }

    /// Ids with a random prefix: std's `RandomState` keys come from the
    /// host's random source (WASI `random_get`, which Envoy provides), mixed
    /// with `salt` (e.g. the time and the context id).
    pub fn random(salt: u64) -> RecordIds {
        let state = RandomState::new();
        let hi = state.hash_one((salt, 1u8));
        let lo = state.hash_one((salt, 2u8));
        RecordIds::new((u128::from(hi) << 64) | u128::from(lo))
    }

    /// The random part of the ids (32 hex digits): the VM's worker id.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The next id.
    pub fn next_id(&mut self) -> String {
        let id = format!("{}-{}", self.prefix, self.next);
        self.next += 1;
        id
    }
}

/// Verdict records (one JSON line each, without newline, `record_id`
/// included) waiting to be sent, oldest first, at most `max` of them.
#[derive(Debug)]
pub struct VerdictQueue {
    lines: VecDeque<String>,
    max: usize,
    ids: RecordIds,
    dropped: u64,
}

impl VerdictQueue {
    /// An empty queue holding at most `max` records (at least 1), giving them ids from `ids`.
    pub fn new(max: usize, ids: RecordIds) -> VerdictQueue {
        VerdictQueue { lines: VecDeque::new(), max: max.max(1), ids, dropped: 0 }
    }

    /// Change the bound (a new plugin configuration); drops the oldest records beyond it.
    /// Returns how many were dropped.
    pub fn set_max(&mut self, max: usize) -> u64 {
        self.max = max.max(1);
        self.trim()
    }

    /// Add one record (a JSON object) under a new `record_id`; returns how
    /// many records were dropped: old ones to make room (0 or 1), or this one
    /// when it is not an object or is over [`MAX_RECORD_BYTES`] with its id
    /// (records from `VerdictRecord::to_json` never are).
    pub fn push(&mut self, record: String) -> u64 {
        let Some(rest) = record.strip_prefix('{') else {
            self.dropped += 1;
            return 1;
        };
        let id = self.ids.next_id();
        let comma = if rest.trim_start().starts_with('}') { "" } else { "," };
        let line = format!("{{\"record_id\":\"{id}\"{comma}{rest}");
        if line.len() > MAX_RECORD_BYTES {
            self.dropped += 1;
            return 1;
        }
        self.lines.push_back(line);
        self.trim()
    }

    /// Put a batch that could not be sent back at the front, oldest first;
    /// returns how many records were dropped to stay within the bound (the oldest).
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

    /// Records dropped since the queue was made (full queue, or refused by [`VerdictQueue::push`]).
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

/// What came back for a verdict call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer<'b> {
    /// No HTTP answer: the call could not be dispatched, or Envoy failed it
    /// (connection refused or reset, timeout) and called back without headers.
    Failed,
    /// The collector (or Envoy on its behalf) answered.
    Status {
        /// `:status`.
        status: u16,
        /// The response body (the per-line answer).
        body: &'b [u8],
        /// `retry-after` in seconds, when present and numeric.
        retry_after: Option<u64>,
    },
}

/// Why a batch goes back to the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryReason {
    /// No answer (see [`Answer::Failed`]).
    Transport,
    /// A transient status: 408, 429 or 5xx.
    Transient(u16),
    /// The collector refused the token (401, 403).
    Auth(u16),
    /// The collector has no such endpoint (404, 405): a configuration error.
    Endpoint(u16),
    /// 413: the batch is sent again in smaller batches.
    TooLarge,
    /// The call was never answered (see [`STALE_CALL`]).
    Lost,
}

impl fmt::Display for RetryReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RetryReason::Transport => f.write_str("no answer (connection failed, reset or timed out)"),
            RetryReason::Transient(s) => write!(f, "HTTP {s}"),
            RetryReason::Auth(s) => write!(f, "HTTP {s}: the collector refused the token"),
            RetryReason::Endpoint(s) => write!(f, "HTTP {s}: no verdict endpoint at verdict_log.path"),
            RetryReason::TooLarge => f.write_str("HTTP 413: batch too large, splitting it"),
            RetryReason::Lost => f.write_str("the call was never answered"),
        }
    }
}

/// What one delivery step did, for counters and logs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// Records in the batch this is about (0: none).
    pub batch: usize,
    /// Records the collector has now (stored, or already stored: duplicates).
    pub delivered: u64,
    /// Records the collector refused as invalid; never sent again.
    pub rejected: u64,
    /// Records dropped (oldest first) to keep the queue bound when a batch went back.
    pub dropped: u64,
    /// Why the batch went back, and the wait before the next attempt.
    pub retry: Option<(RetryReason, Duration)>,
    /// The collector's reason for the first rejected record, if it gave one.
    pub first_refusal: Option<String>,
}

/// The collector's answer body: one entry per line (`docs/verdict-log.md`),
/// or an OpenTelemetry collector's `partialSuccess` (`format: otlp`).
#[derive(Debug, Deserialize)]
struct IngestAnswer {
    #[serde(default)]
    lines: Option<Vec<LineAnswer>>,
    #[serde(default, rename = "partialSuccess")]
    partial_success: Option<PartialSuccess>,
}

/// OTLP `ExportLogsPartialSuccess`: how many records were refused (int64,
/// a string or a number in JSON), not which.
#[derive(Debug, Deserialize)]
struct PartialSuccess {
    #[serde(default, rename = "rejectedLogRecords")]
    rejected: Option<serde_json::Value>,
    #[serde(default, rename = "errorMessage")]
    message: Option<String>,
}

impl PartialSuccess {
    /// Records refused, at most `n`.
    fn rejected(&self, n: usize) -> u64 {
        let count = match &self.rejected {
            Some(serde_json::Value::Number(x)) => x.as_u64(),
            Some(serde_json::Value::String(x)) => x.parse().ok(),
            _ => None,
        };
        count.unwrap_or(0).min(n as u64)
    }
}

#[derive(Debug, Deserialize)]
struct LineAnswer {
    line: usize,
    result: String,
    #[serde(default)]
    error: Option<String>,
}

/// The sending state of one VM: the call in flight and when the next may start.
#[derive(Debug, Default)]
pub struct Delivery {
    in_flight: Option<InFlight>,
    /// No call before this time (ms since the epoch).
    not_before_ms: u64,
    /// Consecutive failed attempts (transport, 408, 429, 5xx).
    failures: u32,
    /// Batch size after a 413; `None`: `max_batch`.
    batch_cap: Option<usize>,
    /// xorshift64 state for jitter (never 0); `None`: waits exactly as documented.
    jitter: Option<u64>,
}

#[derive(Debug)]
struct InFlight {
    token: u32,
    lines: Vec<String>,
    since_ms: u64,
}

impl Delivery {
    /// Nothing in flight, no wait; retry waits exactly [`backoff`] / [`SLOW_RETRY`].
    pub fn new() -> Delivery {
        Delivery::default()
    }

    /// Like [`Delivery::new`], but each retry wait is shortened by up to a
    /// quarter at random (from `seed`), so that the workers of many proxies
    /// do not retry a recovering collector in step.
    pub fn with_jitter(seed: u64) -> Delivery {
        Delivery { jitter: Some(seed | 1), ..Delivery::default() }
    }

    /// `wait` minus a random part of up to a quarter of it (none without jitter).
    fn jittered(&mut self, wait: Duration) -> Duration {
        let Some(state) = self.jitter.as_mut() else { return wait };
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        let quarter = millis(wait) / 4;
        wait.saturating_sub(Duration::from_millis(if quarter == 0 { 0 } else { *state % (quarter + 1) }))
    }

    /// Whether a call is in flight.
    pub fn in_flight(&self) -> bool {
        self.in_flight.is_some()
    }

    /// The next batch to send at `now_ms`, taken from the front of `queue`:
    /// `None` while a call is in flight, before a retry is due, or when
    /// nothing waits. A call unanswered for [`STALE_CALL`] is given up first
    /// (its batch back to the queue; the returned tally says so).
    pub fn next_batch(&mut self, queue: &mut VerdictQueue, now_ms: u64, max_batch: usize) -> (Option<Vec<String>>, Tally) {
        let mut tally = Tally::default();
        if let Some(call) = &self.in_flight {
            if now_ms.saturating_sub(call.since_ms) < millis(STALE_CALL) {
                return (None, tally);
            }
            if let Some(call) = self.in_flight.take() {
                tally.batch = call.lines.len();
                tally.dropped = queue.requeue(call.lines);
                tally.retry = Some((RetryReason::Lost, Duration::ZERO));
            }
        }
        // A wait longer than any we set means the clock went back: stop waiting.
        let waiting = now_ms < self.not_before_ms && self.not_before_ms - now_ms <= millis(RETRY_MAX.max(SLOW_RETRY));
        if waiting || queue.is_empty() {
            return (None, tally);
        }
        let n = self.batch_cap.unwrap_or(max_batch).clamp(1, max_batch.max(1));
        (Some(queue.take(n)), tally)
    }

    /// `lines` are in flight as call `token`.
    pub fn sent(&mut self, token: u32, lines: Vec<String>, now_ms: u64) {
        self.in_flight = Some(InFlight { token, lines, since_ms: now_ms });
    }

    /// The call for `lines` could not be dispatched: they go back, retried later.
    pub fn dispatch_failed(&mut self, queue: &mut VerdictQueue, lines: Vec<String>, now_ms: u64) -> Tally {
        self.retry_later(queue, lines, now_ms, RetryReason::Transport, None)
    }

    /// Whether `token` is the call in flight.
    pub fn is_in_flight(&self, token: u32) -> bool {
        self.in_flight.as_ref().is_some_and(|c| c.token == token)
    }

    /// Handle the answer to call `token` (see the module documentation);
    /// `None` when `token` is not the call in flight.
    pub fn answered(&mut self, token: u32, queue: &mut VerdictQueue, answer: Answer<'_>, now_ms: u64) -> Option<Tally> {
        if !self.is_in_flight(token) {
            return None;
        }
        let lines = self.in_flight.take()?.lines;
        let batch = lines.len();
        let Answer::Status { status, body, retry_after } = answer else {
            return Some(self.retry_later(queue, lines, now_ms, RetryReason::Transport, None));
        };
        let mut tally = match status {
            200..=299 => self.settled(lines.len(), body, false),
            400 | 422 => self.settled(lines.len(), body, true),
            413 if lines.len() > 1 => {
                self.batch_cap = Some((lines.len() / 2).max(1));
                Tally { dropped: queue.requeue(lines), retry: Some((RetryReason::TooLarge, Duration::ZERO)), ..Tally::default() }
            }
            401 | 403 => self.retry_later(queue, lines, now_ms, RetryReason::Auth(status), None),
            404 | 405 => self.retry_later(queue, lines, now_ms, RetryReason::Endpoint(status), None),
            408 | 429 | 500..=599 => self.retry_later(queue, lines, now_ms, RetryReason::Transient(status), retry_after),
            _ => Tally {
                rejected: lines.len() as u64,
                first_refusal: Some(format!("HTTP {status}")),
                ..Tally::default()
            },
        };
        tally.batch = batch;
        Some(tally)
    }

    /// The collector answered for every line: refused ones are rejected, the rest delivered.
    /// `refused_by_default`: with no per-line answer, every line counts as refused (a 400).
    fn settled(&mut self, n: usize, body: &[u8], refused_by_default: bool) -> Tally {
        self.failures = 0;
        // A batch that went through: grow back towards max_batch after a 413.
        self.batch_cap = self.batch_cap.map(|c| c.saturating_mul(2));
        let answer = serde_json::from_slice::<IngestAnswer>(body).ok();
        let (per_line, partial) = answer.map(|a| (a.lines, a.partial_success)).unwrap_or_default();
        if let (None, Some(partial)) = (&per_line, partial) {
            // OTLP says how many were refused, not which: none is sent again either way.
            let rejected = partial.rejected(n);
            let why = partial.message.filter(|m| !m.is_empty()).unwrap_or_else(|| "partialSuccess".to_owned());
            return Tally { delivered: n as u64 - rejected, rejected, first_refusal: (rejected > 0).then_some(why), ..Tally::default() };
        }
        let Some(per_line) = per_line else {
            let rejected = if refused_by_default { n as u64 } else { 0 };
            return Tally {
                delivered: n as u64 - rejected,
                rejected,
                first_refusal: refused_by_default.then(|| "HTTP 400 without a per-line answer".to_owned()),
                ..Tally::default()
            };
        };
        let mut refused = vec![false; n];
        let mut first_refusal = None;
        for l in per_line.iter().filter(|l| l.result == "refused") {
            if let Some(slot) = l.line.checked_sub(1).and_then(|i| refused.get_mut(i)) {
                *slot = true;
                if first_refusal.is_none() {
                    first_refusal = Some(format!("line {}: {}", l.line, l.error.as_deref().unwrap_or("refused")));
                }
            }
        }
        let rejected = refused.iter().filter(|r| **r).count() as u64;
        Tally { delivered: n as u64 - rejected, rejected, first_refusal, ..Tally::default() }
    }

    fn retry_later(&mut self, queue: &mut VerdictQueue, lines: Vec<String>, now_ms: u64, reason: RetryReason, retry_after: Option<u64>) -> Tally {
        let wait = match reason {
            RetryReason::Auth(_) | RetryReason::Endpoint(_) => SLOW_RETRY,
            _ => {
                self.failures = self.failures.saturating_add(1);
                let backoff = backoff(self.failures);
                let asked = retry_after.map(Duration::from_secs).unwrap_or_default();
                backoff.max(asked).min(RETRY_MAX)
            }
        };
        let wait = self.jittered(wait);
        self.not_before_ms = now_ms.saturating_add(millis(wait));
        Tally { batch: lines.len(), dropped: queue.requeue(lines), retry: Some((reason, wait)), ..Tally::default() }
    }
}

/// The wait after `failures` consecutive failures (≥ 1): [`RETRY_FIRST`]
/// doubled per further failure, at most [`RETRY_MAX`].
pub fn backoff(failures: u32) -> Duration {
    let doublings = failures.saturating_sub(1).min(16);
    RETRY_FIRST.saturating_mul(1 << doublings).min(RETRY_MAX)
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn queue(max: usize) -> VerdictQueue {
        VerdictQueue::new(max, RecordIds::new(0xab))
    }

    /// A record line `{"n":i}` as pushed, and how it reads in the queue.
    fn rec(i: usize) -> String {
        format!("{{\"n\":{i}}}")
    }

    fn ns(lines: &[String]) -> Vec<u64> {
        lines.iter().map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["n"].as_u64().unwrap()).collect()
    }

    #[test]
    fn push_adds_a_record_id_and_drops_oldest_when_full() {
        let mut q = queue(3);
        for i in 0..5 {
            q.push(rec(i));
        }
        assert_eq!(q.dropped(), 2);
        let lines = q.take(10);
        assert_eq!(ns(&lines), [2, 3, 4]);
        assert_eq!(lines[0], format!("{{\"record_id\":\"{:032x}-2\",\"n\":2}}", 0xab));
        assert!(q.is_empty());
        let mut q = queue(3);
        q.push("{}".into());
        assert_eq!(q.take(1), [format!("{{\"record_id\":\"{:032x}-0\"}}", 0xab)]);
    }

    #[test]
    fn push_refuses_what_is_not_a_record_or_too_large() {
        let mut q = queue(3);
        assert_eq!(q.push("[1]".into()), 1);
        assert_eq!(q.push(format!("{{\"x\":\"{}\"}}", "a".repeat(MAX_RECORD_BYTES))), 1);
        assert!(q.is_empty());
        assert_eq!(q.dropped(), 2);
    }

    #[test]
    fn random_ids_differ_between_vms_and_records() {
        let (mut a, mut b) = (RecordIds::random(1), RecordIds::random(1));
        let (a0, a1, b0) = (a.next_id(), a.next_id(), b.next_id());
        assert_ne!(a0, a1);
        assert_ne!(a0, b0);
        assert_eq!(a0.len(), 34);
    }

    #[test]
    fn batches_and_requeue_keep_order() {
        let mut q = queue(4);
        for i in 0..4 {
            q.push(rec(i));
        }
        let b = q.take(2);
        assert_eq!(ns(&b), [0, 1]);
        q.push(rec(4));
        assert_eq!(q.requeue(b), 1, "one over the bound: the oldest goes");
        assert_eq!(ns(&q.take(10)), [1, 2, 3, 4]);
        assert_eq!(ndjson(&["a".into(), "b".into()]), b"a\nb\n");
    }

    #[test]
    fn shrinking_drops_oldest() {
        let mut q = queue(10);
        for i in 0..5 {
            q.push(rec(i));
        }
        assert_eq!(q.set_max(2), 3);
        assert_eq!(ns(&q.take(10)), [3, 4]);
    }

    /// A delivery over a queue of `n` records, the first batch (of up to `max_batch`) in flight as call 1 at t=0.
    fn sending(n: usize, max_batch: usize) -> (Delivery, VerdictQueue) {
        let mut q = queue(100);
        for i in 0..n {
            q.push(rec(i));
        }
        let mut d = Delivery::new();
        let (batch, t) = d.next_batch(&mut q, 0, max_batch);
        assert_eq!(t, Tally::default());
        d.sent(1, batch.unwrap(), 0);
        (d, q)
    }

    fn status(status: u16, body: &str) -> Answer<'_> {
        Answer::Status { status, body: body.as_bytes(), retry_after: None }
    }

    #[test]
    fn otlp_partial_success_counts_the_refused() {
        let (mut d, mut q) = sending(3, 3);
        let body = r#"{"partialSuccess":{"rejectedLogRecords":"2","errorMessage":"not a verdict"}}"#;
        let t = d.answered(1, &mut q, status(200, body), 0).unwrap();
        assert_eq!((t.delivered, t.rejected, t.first_refusal.as_deref()), (1, 2, Some("not a verdict")));
        assert!(q.is_empty() && t.retry.is_none());
        let (mut d, mut q) = sending(2, 2);
        let t = d.answered(1, &mut q, status(200, r#"{"partialSuccess":{"rejectedLogRecords":9}}"#), 0).unwrap();
        assert_eq!((t.delivered, t.rejected), (0, 2), "never more than the batch");
        // 400 = bad data (not re-sent); 503 with retry-after = back to the queue.
        let (mut d, mut q) = sending(2, 2);
        let t = d.answered(1, &mut q, status(400, r#"{"code":3,"message":"bad"}"#), 0).unwrap();
        assert_eq!((t.delivered, t.rejected, t.retry), (0, 2, None));
        let (mut d, mut q) = sending(2, 2);
        let a = Answer::Status { status: 503, body: b"", retry_after: Some(7) };
        let t = d.answered(1, &mut q, a, 0).unwrap();
        assert_eq!(t.retry, Some((RetryReason::Transient(503), Duration::from_secs(7))));
        assert_eq!(q.len(), 2);
    }

    #[test]
    fn one_call_in_flight_and_unknown_tokens_ignored() {
        let (mut d, mut q) = sending(5, 2);
        assert_eq!(d.next_batch(&mut q, 100, 2).0, None, "a call is in flight");
        assert_eq!(d.answered(9, &mut q, status(200, ""), 100), None);
        assert!(d.in_flight());
        let t = d.answered(1, &mut q, status(200, "{}"), 100).unwrap();
        assert_eq!((t.delivered, t.rejected, t.retry), (2, 0, None));
        assert_eq!(ns(&d.next_batch(&mut q, 100, 2).0.unwrap()), [2, 3]);
    }

    #[test]
    fn refused_lines_are_counted_and_never_resent() {
        // The observed failure: one line refused, the collector answers per
        // line; the batch must not come back.
        let (mut d, mut q) = sending(5, 10);
        let body = r#"{"accepted":3,"duplicates":1,"rejected":1,"lines":[{"line":1,"result":"accepted"},{"line":2,"result":"refused","error":"line longer than 262144 bytes"},{"line":3,"result":"duplicate"},{"line":4,"result":"accepted"},{"line":5,"result":"accepted"}]}"#;
        for code in [200, 400] {
            let (mut d2, mut q2) = sending(5, 10);
            let t = d2.answered(1, &mut q2, status(code, body), 0).unwrap();
            assert_eq!((t.delivered, t.rejected, t.retry), (4, 1, None), "{code}");
            assert_eq!(t.first_refusal.as_deref(), Some("line 2: line longer than 262144 bytes"));
            assert!(q2.is_empty() && !d2.in_flight());
        }
        // A 400 without a per-line answer: the whole batch is refused, once.
        let t = d.answered(1, &mut q, status(400, r#"{"error":"cannot read the request body"}"#), 0).unwrap();
        assert_eq!((t.delivered, t.rejected), (0, 5));
        assert_eq!(d.next_batch(&mut q, 10_000, 10).0, None);
        // Line numbers out of range are ignored; 2xx without a body is all delivered.
        let (mut d, mut q) = sending(2, 10);
        let t = d.answered(1, &mut q, status(200, r#"{"lines":[{"line":0,"result":"refused"},{"line":7,"result":"refused"}]}"#), 0).unwrap();
        assert_eq!((t.delivered, t.rejected), (2, 0));
        let (mut d, mut q) = sending(2, 10);
        assert_eq!(d.answered(1, &mut q, status(204, ""), 0).unwrap().delivered, 2);
        // Another 4xx: refused, not repeated.
        let (mut d, mut q) = sending(2, 10);
        let t = d.answered(1, &mut q, status(409, ""), 0).unwrap();
        assert_eq!((t.rejected, t.first_refusal.as_deref()), (2, Some("HTTP 409")));
        assert!(q.is_empty());
    }

    #[test]
    fn transient_failures_back_off_exponentially_and_keep_order() {
        let (mut d, mut q) = sending(3, 2);
        let mut now = 0;
        let mut waits = Vec::new();
        for answer in [Answer::Failed, status(503, "no healthy upstream"), status(500, ""), status(429, ""), status(408, ""), Answer::Failed, Answer::Failed] {
            let t = d.answered(1, &mut q, answer, now).unwrap();
            let (_, wait) = t.retry.unwrap();
            waits.push(wait.as_secs());
            assert_eq!(d.next_batch(&mut q, now + millis(wait) - 1, 2).0, None, "not before the wait");
            now += millis(wait);
            let batch = d.next_batch(&mut q, now, 2).0.unwrap();
            assert_eq!(ns(&batch), [0, 1], "the same oldest records, in order");
            d.sent(1, batch, now);
        }
        assert_eq!(waits, [1, 2, 4, 8, 16, 30, 30]);
        // Success resets the backoff.
        d.answered(1, &mut q, status(200, ""), now).unwrap();
        let batch = d.next_batch(&mut q, now, 2).0.unwrap();
        d.sent(2, batch, now);
        let t = d.answered(2, &mut q, Answer::Failed, now).unwrap();
        assert_eq!(t.retry, Some((RetryReason::Transport, RETRY_FIRST)));
    }

    #[test]
    fn retry_after_is_honoured_within_the_bound() {
        let (mut d, mut q) = sending(1, 1);
        let t = d.answered(1, &mut q, Answer::Status { status: 429, body: b"", retry_after: Some(7) }, 0).unwrap();
        assert_eq!(t.retry, Some((RetryReason::Transient(429), Duration::from_secs(7))));
        let batch = d.next_batch(&mut q, 7000, 1).0.unwrap();
        d.sent(2, batch, 7000);
        let t = d.answered(2, &mut q, Answer::Status { status: 503, body: b"", retry_after: Some(3600) }, 7000).unwrap();
        assert_eq!(t.retry, Some((RetryReason::Transient(503), RETRY_MAX)));
    }

    #[test]
    fn auth_and_endpoint_errors_retry_slowly() {
        for (code, reason) in [(401, RetryReason::Auth(401)), (403, RetryReason::Auth(403)), (404, RetryReason::Endpoint(404))] {
            let (mut d, mut q) = sending(3, 10);
            let t = d.answered(1, &mut q, status(code, ""), 0).unwrap();
            assert_eq!(t.retry, Some((reason, SLOW_RETRY)));
            assert_eq!((t.delivered, t.rejected), (0, 0));
            assert_eq!(d.next_batch(&mut q, millis(SLOW_RETRY) - 1, 10).0, None);
            assert_eq!(d.next_batch(&mut q, millis(SLOW_RETRY), 10).0.map(|b| b.len()), Some(3));
        }
    }

    #[test]
    fn too_large_splits_the_batch_then_refuses_a_single_record() {
        let (mut d, mut q) = sending(8, 8);
        let t = d.answered(1, &mut q, status(413, ""), 0).unwrap();
        assert_eq!(t.retry, Some((RetryReason::TooLarge, Duration::ZERO)));
        let batch = d.next_batch(&mut q, 0, 8).0.unwrap();
        assert_eq!(ns(&batch), [0, 1, 2, 3]);
        d.sent(2, batch, 0);
        d.answered(2, &mut q, status(413, ""), 0).unwrap();
        let batch = d.next_batch(&mut q, 0, 8).0.unwrap();
        assert_eq!(ns(&batch), [0, 1]);
        d.sent(3, batch, 0);
        d.answered(3, &mut q, status(413, ""), 0).unwrap();
        let batch = d.next_batch(&mut q, 0, 8).0.unwrap();
        assert_eq!(ns(&batch), [0]);
        d.sent(4, batch, 0);
        let t = d.answered(4, &mut q, status(413, ""), 0).unwrap();
        assert_eq!((t.rejected, t.retry), (1, None), "one record answered 413 is refused, not looped");
        // The rest goes through, batches doubling back towards max_batch.
        for (token, want) in [(5, vec![1]), (6, vec![2, 3]), (7, vec![4, 5, 6, 7])] {
            let batch = d.next_batch(&mut q, 0, 8).0.unwrap();
            assert_eq!(ns(&batch), want);
            d.sent(token, batch, 0);
            d.answered(token, &mut q, status(200, ""), 0).unwrap();
        }
        assert!(q.is_empty());
    }

    #[test]
    fn queue_bound_applies_while_retrying() {
        let mut q = queue(4);
        for i in 0..4 {
            q.push(rec(i));
        }
        let mut d = Delivery::new();
        let batch = d.next_batch(&mut q, 0, 2).0.unwrap();
        d.sent(1, batch, 0);
        q.push(rec(4));
        q.push(rec(5));
        let t = d.answered(1, &mut q, Answer::Failed, 0).unwrap();
        assert_eq!(t.dropped, 2);
        assert_eq!(ns(&q.take(10)), [2, 3, 4, 5]);
    }

    #[test]
    fn a_lost_callback_does_not_stop_delivery() {
        let (mut d, mut q) = sending(3, 2);
        assert_eq!(d.next_batch(&mut q, millis(STALE_CALL) - 1, 2).0, None);
        let (batch, t) = d.next_batch(&mut q, millis(STALE_CALL), 2);
        assert_eq!(t.retry, Some((RetryReason::Lost, Duration::ZERO)));
        assert_eq!(ns(&batch.unwrap()), [0, 1]);
        assert_eq!(d.answered(1, &mut q, status(200, ""), millis(STALE_CALL)), None, "the old call is forgotten");
    }

    #[test]
    fn a_clock_going_back_does_not_stall_delivery() {
        let (mut d, mut q) = sending(3, 2);
        let t = d.answered(1, &mut q, Answer::Failed, 3_600_000).unwrap();
        assert_eq!(t.retry, Some((RetryReason::Transport, RETRY_FIRST)));
        assert_eq!(d.next_batch(&mut q, 3_600_500, 2).0, None);
        // An hour back: the 1 s wait is not stretched to an hour.
        assert!(d.next_batch(&mut q, 500, 2).0.is_some());
    }

    #[test]
    fn jitter_only_shortens_waits_by_up_to_a_quarter() {
        let mut waits = Vec::new();
        for seed in 0..50 {
            let mut d = Delivery::with_jitter(seed);
            let mut q = queue(10);
            q.push(rec(0));
            let batch = d.next_batch(&mut q, 0, 1).0.unwrap();
            d.sent(1, batch, 0);
            let (_, wait) = d.answered(1, &mut q, Answer::Failed, 0).unwrap().retry.unwrap();
            assert!(wait <= RETRY_FIRST && wait >= RETRY_FIRST * 3 / 4, "{wait:?}");
            waits.push(wait);
        }
        waits.sort();
        waits.dedup();
        assert!(waits.len() > 10, "seeds give different waits: {waits:?}");
    }

    #[test]
    fn backoff_is_bounded() {
        assert_eq!(backoff(1), RETRY_FIRST);
        assert_eq!(backoff(3), Duration::from_secs(4));
        assert_eq!(backoff(u32::MAX), RETRY_MAX);
    }
}
