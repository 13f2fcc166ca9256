//! The counter record (`docs/counters.md`): what one worker (VM) of a node counted during one
//! flush interval, with the node's facts. Sent as one JSON object to `POST /v1/counters` every
//! interval, even when every count is zero (it is also the worker's heartbeat).
//!
//! Invariants a valid record keeps ([`CounterRecord::validate`]):
//! - `record_id` is 1 to [`MAX_RECORD_ID`] bytes; a re-sent record has the same id and the same
//!   content, and the collector adds an id once.
//! - at most [`MAX_ENTRIES`] entries, no two with the same (host, application_id, mode);
//! - in every entry, `requests` is the sum of `blocked`, `monitored`, `passed`,
//!   `rate_limited`, `allowed` and `denied` (each request counts once, in one outcome), and
//!   `body_limit_rejects` is at most `blocked` (a body-limit reject is a block);
//! - every count fits a signed 64-bit integer (what stores add them into).

use std::fmt;

use serde::{Deserialize, Serialize};

pub use crate::verdict::MAX_RECORD_ID;

/// The host key of the default policy (requests no `hosts` entry matched).
pub const DEFAULT_HOST: &str = "*";
/// The host key counts go to when a worker has more policies with traffic than
/// [`MAX_KEYS`]: one entry per mode, application id `""`.
pub const OVERFLOW_HOST: &str = "*overflow*";
/// Most per-policy entries in one record; the rest are summed into [`OVERFLOW_HOST`] entries.
pub const MAX_KEYS: usize = 1000;
/// Most entries in one record: [`MAX_KEYS`] and one overflow entry per [`Mode`].
pub const MAX_ENTRIES: usize = MAX_KEYS + Mode::ALL.len();
/// Longest `host`, `application_id`, `worker`, `version` and `ruleset_fingerprint`.
pub const MAX_TEXT: usize = 256;

/// The mode of the policy an entry counts (the filter's `mode` setting).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Rules run and block.
    Block,
    /// Rules run, nothing is blocked.
    Monitor,
    /// Only graylisted sources are blocked.
    SafeBlock,
    /// Nothing runs.
    Off,
}

impl Mode {
    /// Every mode.
    pub const ALL: [Mode; 4] = [Mode::Block, Mode::Monitor, Mode::SafeBlock, Mode::Off];

    /// The spelling in records and columns.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Block => "block",
            Mode::Monitor => "monitor",
            Mode::SafeBlock => "safe_block",
            Mode::Off => "off",
        }
    }
}

/// The counts of one key. Field order is the wire order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Every request the policy saw, once.
    pub requests: u64,
    /// Answered with the block response (rules or the body limit).
    pub blocked: u64,
    /// Would have been blocked; the mode let them through.
    pub monitored: u64,
    /// Not interrupted: clean, below the threshold, or not inspected (mode off).
    pub passed: u64,
    /// Over a rate limit (429).
    pub rate_limited: u64,
    /// From an `ip_allow` source (not inspected).
    pub allowed: u64,
    /// From an `ip_deny` source (block response).
    pub denied: u64,
    /// Refused for the request body limit (also counted in `blocked`).
    pub body_limit_rejects: u64,
    /// Verdict records the worker dropped from its queue (a worker's count, reported on its
    /// default policy's entry).
    pub verdicts_dropped: u64,
}

impl Counts {
    /// Every count in wire order, for storage.
    pub fn values(&self) -> [u64; 9] {
        [
            self.requests,
            self.blocked,
            self.monitored,
            self.passed,
            self.rate_limited,
            self.allowed,
            self.denied,
            self.body_limit_rejects,
            self.verdicts_dropped,
        ]
    }

    /// Adds `other` into `self` (saturating).
    pub fn add(&mut self, other: &Counts) {
        let pairs = [
            (&mut self.requests, other.requests),
            (&mut self.blocked, other.blocked),
            (&mut self.monitored, other.monitored),
            (&mut self.passed, other.passed),
            (&mut self.rate_limited, other.rate_limited),
            (&mut self.allowed, other.allowed),
            (&mut self.denied, other.denied),
            (&mut self.body_limit_rejects, other.body_limit_rejects),
            (&mut self.verdicts_dropped, other.verdicts_dropped),
        ];
        for (a, b) in pairs {
            *a = a.saturating_add(b);
        }
    }

    /// Whether every count is zero.
    pub fn is_zero(&self) -> bool {
        self.values().iter().all(|&v| v == 0)
    }
}

/// The column names of [`Counts::values`], in the same order.
pub const COUNT_NAMES: [&str; 9] = [
    "requests",
    "blocked",
    "monitored",
    "passed",
    "rate_limited",
    "allowed",
    "denied",
    "body_limit_rejects",
    "verdicts_dropped",
];

/// The counts of one (host, application, mode) key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CounterEntry {
    /// The policy's host key as configured (`*.example.com`), [`DEFAULT_HOST`] for the default
    /// policy, [`OVERFLOW_HOST`] beyond [`MAX_KEYS`]. Never the request's `:authority`: a
    /// client cannot add keys.
    pub host: String,
    /// The policy's application id as text; `""` when it has none.
    pub application_id: String,
    /// The policy's mode.
    pub mode: Mode,
    /// The counts.
    #[serde(flatten)]
    pub counts: Counts,
}

/// Facts about the worker and its configuration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeFacts {
    /// Filter version (the crate version).
    pub version: String,
    /// Hex fingerprint of the compiled rules' sources: equal on every worker with the same
    /// configuration and build, different when rules change.
    pub ruleset_fingerprint: String,
    /// Rules compiled (over all rule sets).
    pub rule_count: u64,
    /// `verdict_log.flush_interval_ms`: how often records come (for staleness).
    pub flush_interval_ms: u64,
    /// Workers of the node, when the worker knows (a proxy-wasm VM does not).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workers: Option<u64>,
}

/// One counter record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CounterRecord {
    /// `<worker>-c<sequence>`: unique per record, kept when the record is re-sent.
    pub record_id: String,
    /// The worker's random hex id (fixed while its VM runs).
    pub worker: String,
    /// RFC 3339 UTC end of the interval; the collector adds the counts into its minute.
    pub time: String,
    /// Length of the interval in milliseconds (longer than the flush interval after a failed
    /// send: counts accumulate until the pending record is answered).
    pub interval_ms: u64,
    /// The worker's facts.
    pub node: NodeFacts,
    /// One entry per key with traffic (may be empty: a heartbeat).
    pub counters: Vec<CounterEntry>,
}

/// Why a counter record is invalid. Messages name the field, never echo its value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CounterError {
    /// `record_id` is empty or longer than [`MAX_RECORD_ID`].
    BadRecordId,
    /// A text field is empty where it must not be, or longer than [`MAX_TEXT`].
    BadText(&'static str),
    /// More than [`MAX_ENTRIES`] entries.
    TooManyEntries,
    /// Two entries with the same key.
    DuplicateKey {
        /// Index of the second one.
        index: usize,
    },
    /// `requests` is not the sum of the outcomes.
    Unbalanced {
        /// Index of the entry.
        index: usize,
    },
    /// `body_limit_rejects` is more than `blocked`.
    BodyLimitOverBlocked {
        /// Index of the entry.
        index: usize,
    },
    /// A count does not fit a signed 64-bit integer.
    TooLarge {
        /// Index of the entry.
        index: usize,
    },
}

impl fmt::Display for CounterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CounterError::BadRecordId => write!(f, "field `record_id` must be 1 to {MAX_RECORD_ID} bytes"),
            CounterError::BadText(field) => write!(f, "field `{field}` must be 1 to {MAX_TEXT} bytes"),
            CounterError::TooManyEntries => write!(f, "field `counters` has more than {MAX_ENTRIES} entries"),
            CounterError::DuplicateKey { index } => {
                write!(f, "`counters[{index}]` repeats the host, application_id and mode of an earlier entry")
            }
            CounterError::Unbalanced { index } => write!(
                f,
                "`counters[{index}].requests` must equal blocked + monitored + passed + rate_limited + allowed + denied"
            ),
            CounterError::BodyLimitOverBlocked { index } => {
                write!(f, "`counters[{index}].body_limit_rejects` must not exceed blocked")
            }
            CounterError::TooLarge { index } => write!(f, "`counters[{index}]` has a count over 2^63 - 1"),
        }
    }
}

impl std::error::Error for CounterError {}

impl CounterRecord {
    /// Checks the invariants of the module documentation (the `time` text is the receiver's to
    /// parse).
    ///
    /// # Errors
    /// The first violation found.
    pub fn validate(&self) -> Result<(), CounterError> {
        if self.record_id.is_empty() || self.record_id.len() > MAX_RECORD_ID {
            return Err(CounterError::BadRecordId);
        }
        let text = |value: &str, field: &'static str, may_be_empty: bool| {
            if (value.is_empty() && !may_be_empty) || value.len() > MAX_TEXT {
                Err(CounterError::BadText(field))
            } else {
                Ok(())
            }
        };
        text(&self.worker, "worker", false)?;
        text(&self.node.version, "node.version", false)?;
        text(&self.node.ruleset_fingerprint, "node.ruleset_fingerprint", true)?;
        if self.counters.len() > MAX_ENTRIES {
            return Err(CounterError::TooManyEntries);
        }
        let mut keys: Vec<(&str, &str, Mode)> = Vec::with_capacity(self.counters.len());
        for (index, e) in self.counters.iter().enumerate() {
            text(&e.host, "counters[].host", false)?;
            text(&e.application_id, "counters[].application_id", true)?;
            let c = &e.counts;
            if c.values().iter().any(|&v| v > i64::MAX as u64) {
                return Err(CounterError::TooLarge { index });
            }
            // Each at most 2^63 - 1: six of them cannot overflow a u128.
            let outcomes = [c.blocked, c.monitored, c.passed, c.rate_limited, c.allowed, c.denied];
            if outcomes.iter().map(|&v| u128::from(v)).sum::<u128>() != u128::from(c.requests) {
                return Err(CounterError::Unbalanced { index });
            }
            if c.body_limit_rejects > c.blocked {
                return Err(CounterError::BodyLimitOverBlocked { index });
            }
            keys.push((&e.host, &e.application_id, e.mode));
        }
        keys.sort_unstable();
        if keys.windows(2).any(|w| w.first() == w.get(1)) {
            // Find which entry repeats, for the message.
            let mut seen: Vec<(&str, &str, Mode)> = Vec::new();
            for (index, e) in self.counters.iter().enumerate() {
                let key = (e.host.as_str(), e.application_id.as_str(), e.mode);
                if seen.contains(&key) {
                    return Err(CounterError::DuplicateKey { index });
                }
                seen.push(key);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = r#"{"record_id":"0123abcd-c7","worker":"0123abcd","time":"2026-12-06T07:35:04.000Z","interval_ms":1000,
      "node":{"version":"0.1.0","ruleset_fingerprint":"9f2c","rule_count":1234,"flush_interval_ms":1000},
      "counters":[{"host":"*","application_id":"","mode":"block","requests":10,"blocked":1,"monitored":0,"passed":9,
                   "rate_limited":0,"allowed":0,"denied":0,"body_limit_rejects":1,"verdicts_dropped":0}]}"#;

    fn example() -> CounterRecord {
        serde_json::from_str(EXAMPLE).unwrap()
    }

    #[test]
    fn the_documented_example_round_trips() {
        let r = example();
        assert_eq!(r.validate(), Ok(()));
        assert_eq!(r.counters[0].mode, Mode::Block);
        assert_eq!(r.counters[0].counts.requests, 10);
        let again: CounterRecord = serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
        assert_eq!(again, r);
        let names: Vec<String> = serde_json::to_value(r.counters[0].counts).unwrap().as_object().unwrap().keys().cloned().collect();
        let mut want: Vec<String> = COUNT_NAMES.iter().map(|s| (*s).to_owned()).collect();
        want.sort();
        assert_eq!(names, want);
    }

    #[test]
    fn invariants_are_checked() {
        let mut r = example();
        r.counters[0].counts.passed = 8;
        assert_eq!(r.validate(), Err(CounterError::Unbalanced { index: 0 }));
        let mut r = example();
        r.counters[0].counts.body_limit_rejects = 2;
        assert_eq!(r.validate(), Err(CounterError::BodyLimitOverBlocked { index: 0 }));
        let mut r = example();
        r.counters.push(r.counters[0].clone());
        assert_eq!(r.validate(), Err(CounterError::DuplicateKey { index: 1 }));
        let mut r = example();
        r.record_id = String::new();
        assert_eq!(r.validate().unwrap_err().to_string(), "field `record_id` must be 1 to 128 bytes");
        let mut r = example();
        r.counters[0].host = "h".repeat(MAX_TEXT + 1);
        assert_eq!(r.validate(), Err(CounterError::BadText("counters[].host")));
        let mut r = example();
        r.counters[0].counts.requests = u64::MAX;
        assert_eq!(r.validate(), Err(CounterError::TooLarge { index: 0 }));
        let mut r = example();
        let e = r.counters[0].clone();
        r.counters = (0..=MAX_ENTRIES).map(|i| CounterEntry { host: format!("h{i}"), ..e.clone() }).collect();
        assert_eq!(r.validate(), Err(CounterError::TooManyEntries));
        let mut r = example();
        r.counters.clear();
        assert_eq!(r.validate(), Ok(()), "a heartbeat without traffic");
    }

    #[test]
    fn unknown_fields_are_ignored_and_types_checked() {
        let with_extra = EXAMPLE.replacen("{\"record_id\"", "{\"future\":[1],\"record_id\"", 1);
        assert!(serde_json::from_str::<CounterRecord>(&with_extra).is_ok());
        let bad_mode = EXAMPLE.replace("\"mode\":\"block\"", "\"mode\":\"panic\"");
        assert!(serde_json::from_str::<CounterRecord>(&bad_mode).unwrap_err().to_string().contains("unknown variant"));
        let negative = EXAMPLE.replace("\"requests\":10", "\"requests\":-1");
        assert!(serde_json::from_str::<CounterRecord>(&negative).is_err());
    }

    #[test]
    fn counts_add_and_zero() {
        let mut a = Counts { requests: 1, passed: 1, ..Counts::default() };
        a.add(&Counts { requests: 2, blocked: 2, body_limit_rejects: 1, ..Counts::default() });
        assert_eq!(a.values(), [3, 2, 0, 1, 0, 0, 0, 1, 0]);
        assert!(!a.is_zero() && Counts::default().is_zero());
    }
}
