//! Traffic counters of one VM (worker), host-neutral so they are tested natively
//! (format: `docs/counters.md`, types: `portcullis_wire::counters`).
//!
//! - [`Traffic::count`]: every request, once, at the end of its stream, by the index of its
//!   policy: an array add, no allocation and no string on the request path.
//! - [`Traffic::next_call`]: each flush interval the root context takes a snapshot of the counts
//!   into one [`CounterRecord`] (a heartbeat when there was no traffic) and sends it.
//! - Exactly once: a record stays pending until the collector answers it. While it is pending
//!   no new record is made, counts keep accumulating, and the pending one is re-sent with the
//!   same `record_id` and the same bytes (the collector adds an id once); so a record that was
//!   stored but whose answer was lost is not added twice, and nothing counted during an outage
//!   is lost: it goes into the record after the pending one.
//! - Bounded: the counts are one [`Counts`] per policy of the configuration; a record lists at
//!   most [`MAX_KEYS`] policies (those with traffic, in configuration order), the rest summed
//!   into one [`OVERFLOW_HOST`] entry per mode.

use std::collections::BTreeSet;
use std::hash::Hasher;
use std::time::{Duration, UNIX_EPOCH};

use portcullis_engine::{LoadedFiles, RuleSource};
use portcullis_wire::counters::{CounterEntry, CounterRecord, Counts, Mode, NodeFacts, DEFAULT_HOST, MAX_KEYS, OVERFLOW_HOST};

use crate::config;
use crate::plugin::Plugin;
use crate::queue::{backoff, RETRY_MAX, SLOW_RETRY, STALE_CALL};
use crate::verdict::{rfc3339_millis, VerdictAction};

/// Where counter records go on the verdict log's cluster.
pub const PATH: &str = "/v1/counters";

/// The key counts of one policy are reported under.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Key {
    /// The policy's host key as configured; [`DEFAULT_HOST`] for the default policy.
    pub host: String,
    /// The policy's application id as text, `""` for none.
    pub application_id: String,
    /// The policy's mode.
    pub mode: Mode,
}

impl Key {
    /// The keys of `plugin`'s policies, by policy index.
    pub fn of_plugin(plugin: &Plugin) -> Vec<Key> {
        plugin
            .policies()
            .iter()
            .enumerate()
            .map(|(i, p)| Key {
                host: if i == 0 { DEFAULT_HOST.to_owned() } else { p.name.clone() },
                application_id: p.application_id.as_ref().map(ToString::to_string).unwrap_or_default(),
                mode: wire_mode(p.mode),
            })
            .collect()
    }
}

/// The configuration's mode as the wire spells it.
pub fn wire_mode(mode: config::Mode) -> Mode {
    match mode {
        config::Mode::Block => Mode::Block,
        config::Mode::Monitor => Mode::Monitor,
        config::Mode::SafeBlock => Mode::SafeBlock,
        config::Mode::Off => Mode::Off,
    }
}

/// A record sent or waiting to be sent.
#[derive(Debug)]
struct Pending {
    record_id: String,
    body: Vec<u8>,
    /// The call in flight and when it was made.
    call: Option<(u32, u64)>,
    /// Consecutive failed attempts.
    failures: u32,
    /// Not sent again before this time (ms).
    not_before: u64,
}

/// What came back for a counter call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CounterAnswer {
    /// No HTTP answer (could not dispatch, connection failed, timed out).
    Failed,
    /// The collector (or Envoy on its behalf) answered with this status.
    Status(u16),
}

/// What an answer meant, for counters and logs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivered {
    /// The collector has the record (added now or before).
    Stored,
    /// The collector refused it as invalid (400, 413, 422): it is dropped, never re-sent.
    Refused(u16),
    /// It will be re-sent after this wait.
    Retry(Option<u16>, Duration),
}

/// The traffic counters of one VM and the delivery state of its counter records.
#[derive(Debug)]
pub struct Traffic {
    worker: String,
    next_seq: u64,
    keys: Vec<Key>,
    counts: Vec<Counts>,
    /// Counts of an earlier configuration not yet in a record.
    carried: Vec<(Key, Counts)>,
    /// The verdict queue's drop total when the last record was made.
    dropped_seen: u64,
    /// Start of the interval the counts cover (ms).
    since_ms: u64,
    pending: Option<Pending>,
}

impl Traffic {
    /// Counters of the VM `worker` (its random hex id), starting at `now_ms`, with no policy yet.
    pub fn new(worker: String, now_ms: u64) -> Traffic {
        Traffic {
            worker,
            next_seq: 0,
            keys: Vec::new(),
            counts: Vec::new(),
            carried: Vec::new(),
            dropped_seen: 0,
            since_ms: now_ms,
            pending: None,
        }
    }

    /// A new configuration: its policies' keys, by policy index. Counts of the old policies are
    /// kept for the next record.
    pub fn configure(&mut self, keys: Vec<Key>) {
        let old_keys = std::mem::take(&mut self.keys);
        let old_counts = std::mem::take(&mut self.counts);
        for (key, counts) in old_keys.into_iter().zip(old_counts) {
            if !counts.is_zero() {
                self.carried.push((key, counts));
            }
        }
        self.counts = vec![Counts::default(); keys.len()];
        self.keys = keys;
    }

    /// Counts one finished request of policy `policy`: `action` is what happened to it,
    /// `body_limit` whether it was refused for the body limit (then `action` is `Blocked`).
    /// An unknown index counts under the default policy.
    pub fn count(&mut self, policy: usize, action: VerdictAction, body_limit: bool) {
        let index = if policy < self.counts.len() { policy } else { 0 };
        let Some(c) = self.counts.get_mut(index) else { return };
        c.requests += 1;
        match action {
            VerdictAction::Blocked => c.blocked += 1,
            VerdictAction::Monitored => c.monitored += 1,
            VerdictAction::Passed => c.passed += 1,
            VerdictAction::RateLimited => c.rate_limited += 1,
            VerdictAction::Allowed => c.allowed += 1,
            VerdictAction::Denied => c.denied += 1,
        }
        if body_limit && action == VerdictAction::Blocked {
            c.body_limit_rejects += 1;
        }
    }

    /// The VM's worker id.
    pub fn worker(&self) -> &str {
        &self.worker
    }

    /// The `record_id` of the record waiting for an answer, if any.
    pub fn pending_id(&self) -> Option<&str> {
        self.pending.as_ref().map(|p| p.record_id.as_str())
    }

    /// Whether `token` is the counter call in flight.
    pub fn is_in_flight(&self, token: u32) -> bool {
        self.pending.as_ref().and_then(|p| p.call).is_some_and(|(t, _)| t == token)
    }

    /// The record to send now, if any: `(record_id, body)`. Makes a new record from the counts
    /// when none is pending (`dropped_total` is the verdict queue's drop count so far); returns
    /// the pending one when it is due (not in flight, its retry wait over). A call unanswered
    /// for [`STALE_CALL`] is forgotten and the record sent again.
    pub fn next_call(&mut self, now_ms: u64, facts: &NodeFacts, dropped_total: u64) -> Option<(String, Vec<u8>)> {
        if self.pending.is_none() {
            self.pending = Some(self.snapshot(now_ms, facts, dropped_total));
        }
        let p = self.pending.as_mut()?;
        if let Some((_, sent)) = p.call {
            if now_ms.saturating_sub(sent) < millis(STALE_CALL) && now_ms >= sent {
                return None;
            }
            p.call = None;
        }
        // A clock that went back does not stretch the wait.
        if now_ms < p.not_before && p.not_before - now_ms <= millis(RETRY_MAX.max(SLOW_RETRY)) {
            return None;
        }
        Some((p.record_id.clone(), p.body.clone()))
    }

    /// The call for the pending record was dispatched as `token`.
    pub fn sent(&mut self, token: u32, now_ms: u64) {
        if let Some(p) = self.pending.as_mut() {
            p.call = Some((token, now_ms));
        }
    }

    /// The call could not be dispatched: the record stays pending, retried with backoff.
    pub fn dispatch_failed(&mut self, now_ms: u64) -> Delivered {
        self.retry(None, now_ms)
    }

    /// The answer to call `token`; `None` when it is not the call in flight.
    pub fn answered(&mut self, token: u32, answer: CounterAnswer, now_ms: u64) -> Option<Delivered> {
        if !self.is_in_flight(token) {
            return None;
        }
        Some(match answer {
            CounterAnswer::Status(s) if (200..300).contains(&s) => {
                self.pending = None;
                Delivered::Stored
            }
            // The record itself is wrong: sending the same bytes again cannot help.
            CounterAnswer::Status(s @ (400 | 413 | 422)) => {
                self.pending = None;
                Delivered::Refused(s)
            }
            CounterAnswer::Status(s) => self.retry(Some(s), now_ms),
            CounterAnswer::Failed => self.retry(None, now_ms),
        })
    }

    fn retry(&mut self, status: Option<u16>, now_ms: u64) -> Delivered {
        let Some(p) = self.pending.as_mut() else { return Delivered::Stored };
        p.call = None;
        p.failures = p.failures.saturating_add(1);
        let wait = match status {
            Some(401 | 403 | 404 | 405) => SLOW_RETRY,
            _ => backoff(p.failures),
        };
        p.not_before = now_ms.saturating_add(millis(wait));
        Delivered::Retry(status, wait)
    }

    /// The counts since the last record as a new record (and zeroes them).
    fn snapshot(&mut self, now_ms: u64, facts: &NodeFacts, dropped_total: u64) -> Pending {
        let seq = self.next_seq;
        self.next_seq += 1;
        let record_id = format!("{}-c{seq}", self.worker);
        let dropped = dropped_total.saturating_sub(self.dropped_seen);
        self.dropped_seen = dropped_total;
        let mut counts = std::mem::replace(&mut self.counts, vec![Counts::default(); self.keys.len()]);
        if let Some(first) = counts.first_mut() {
            first.verdicts_dropped = first.verdicts_dropped.saturating_add(dropped);
        }
        let mut merged: Vec<(&Key, Counts)> = Vec::new();
        for (key, c) in self.keys.iter().zip(counts).chain(self.carried.iter().map(|(k, c)| (k, *c))) {
            if c.is_zero() {
                continue;
            }
            match merged.iter_mut().find(|(k, _)| *k == key) {
                Some((_, m)) => m.add(&c),
                None => merged.push((key, c)),
            }
        }
        let mut entries: Vec<CounterEntry> = Vec::with_capacity(merged.len().min(MAX_KEYS));
        let mut overflow: Vec<(Mode, Counts)> = Vec::new();
        for (key, c) in merged {
            if entries.len() < MAX_KEYS {
                entries.push(CounterEntry {
                    host: key.host.clone(),
                    application_id: key.application_id.clone(),
                    mode: key.mode,
                    counts: c,
                });
            } else {
                match overflow.iter_mut().find(|(m, _)| *m == key.mode) {
                    Some((_, o)) => o.add(&c),
                    None => overflow.push((key.mode, c)),
                }
            }
        }
        entries.extend(overflow.into_iter().map(|(mode, counts)| CounterEntry {
            host: OVERFLOW_HOST.to_owned(),
            application_id: String::new(),
            mode,
            counts,
        }));
        self.carried.clear();
        let record = CounterRecord {
            record_id: record_id.clone(),
            worker: self.worker.clone(),
            time: rfc3339_millis(UNIX_EPOCH + Duration::from_millis(now_ms)),
            interval_ms: now_ms.saturating_sub(self.since_ms),
            node: facts.clone(),
            counters: entries,
        };
        self.since_ms = now_ms;
        // Strings and integers always serialize.
        let body = serde_json::to_vec(&record).unwrap_or_default();
        Pending { record_id, body, call: None, failures: 0, not_before: 0 }
    }
}

/// The facts a worker reports about itself and its configuration.
pub fn node_facts(plugin: &Plugin, fingerprint: &str) -> NodeFacts {
    NodeFacts {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        ruleset_fingerprint: fingerprint.to_owned(),
        rule_count: plugin.rule_sets().iter().map(|r| r.rule_count() as u64).sum(),
        flush_interval_ms: plugin.config.verdict_log.as_ref().map_or(0, |v| v.flush_interval_ms),
        workers: None,
    }
}

/// A [`RuleSource`] that passes loads through and remembers what they returned, so that the
/// rule-set fingerprint covers the bytes of every file the rules were compiled from.
pub struct Fingerprinting<'s> {
    inner: &'s dyn RuleSource,
    /// `(name, FNV-1a of the bytes)` of every file loaded, sorted and deduplicated.
    files: std::cell::RefCell<BTreeSet<(String, u64)>>,
}

impl<'s> Fingerprinting<'s> {
    /// Records the loads made through `inner`.
    pub fn new(inner: &'s dyn RuleSource) -> Fingerprinting<'s> {
        Fingerprinting { inner, files: std::cell::RefCell::new(BTreeSet::new()) }
    }

    /// The fingerprint (16 hex digits) of the files loaded so far and of the rules lists of
    /// `config` (inline rules are only there): the same for every worker and restart with the
    /// same configuration and build, whatever order the lists were compiled in.
    pub fn finish(&self, config: &config::PluginConfig) -> String {
        let mut h = Fnv::default();
        for (name, hash) in self.files.borrow().iter() {
            h.write(name.as_bytes());
            h.write(&[0]);
            h.write(&hash.to_le_bytes());
        }
        for entry in &config.rules {
            h.write(entry.as_bytes());
            h.write(&[0]);
        }
        for (key, host) in &config.hosts {
            if let Some(rules) = &host.rules {
                h.write(key.as_bytes());
                h.write(&[1]);
                for entry in rules {
                    h.write(entry.as_bytes());
                    h.write(&[0]);
                }
            }
        }
        format!("{:016x}", h.finish())
    }
}

impl RuleSource for Fingerprinting<'_> {
    fn load(&self, path: &str, from: Option<&str>) -> Result<LoadedFiles, String> {
        let files = self.inner.load(path, from)?;
        if let Ok(mut seen) = self.files.try_borrow_mut() {
            for (name, bytes) in &files {
                let mut h = Fnv::default();
                h.write(bytes);
                seen.insert((name.clone(), h.finish()));
            }
        }
        Ok(files)
    }
}

/// 64-bit FNV-1a: stable across builds, platforms and runs (std's hashers are not).
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests;
