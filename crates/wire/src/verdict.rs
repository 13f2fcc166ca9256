//! The verdict record (`docs/verdict-log.md`): one JSON object per request the filter reports,
//! sent as an NDJSON line (or an OTLP log record). The filter serializes it field by field
//! (borrowing the request, within the caps below); the collector validates each line. Both take
//! the action names, the field names and the limits from here.

use serde::{Deserialize, Serialize};

/// Largest verdict record line (without its newline), `record_id` included. The collector's
/// per-line limit (256 KiB by default) is far above it.
pub const MAX_RECORD_BYTES: usize = 16 * 1024;
/// Bytes of [`MAX_RECORD_BYTES`] the filter keeps free for the `"record_id":"…",` its queue adds
/// (ids are 32 hex digits, `-`, a decimal counter: at most 53 bytes).
pub const RECORD_ID_RESERVE: usize = 96;
/// Longest `record_id` the collector accepts (the filter's are 34 to 53 bytes).
pub const MAX_RECORD_ID: usize = 128;
/// Largest `matched[].data` and `matched[].msg` (ModSecurity caps logdata at 512 bytes).
pub const MAX_DATA: usize = 512;
/// Largest `path` (path and query string).
pub const MAX_PATH: usize = 4096;
/// Largest `unique_id`, `host` and string `application_id`.
pub const MAX_ID: usize = 256;
/// Largest `method` and `source_ip`.
pub const MAX_SHORT: usize = 64;
/// Largest tag of a match; longer ones are cut.
pub const MAX_TAG: usize = 128;
/// Most tags listed per match, and most `attack_types` and `cves` per record.
pub const MAX_LIST: usize = 32;

/// The field names of a record, as written on the wire.
pub mod field {
    /// Sender's id of the record: a re-sent record is stored once.
    pub const RECORD_ID: &str = "record_id";
    /// RFC 3339 time of the request (required).
    pub const TIME: &str = "time";
    /// Transaction id (required, non-empty).
    pub const UNIQUE_ID: &str = "unique_id";
    /// The policy's application id: an integer or a string.
    pub const APPLICATION_ID: &str = "application_id";
    /// `:authority` as the client sent it.
    pub const HOST: &str = "host";
    /// `:method`.
    pub const METHOD: &str = "method";
    /// `:path` with the query string.
    pub const PATH: &str = "path";
    /// The client address the policy chose.
    pub const SOURCE_IP: &str = "source_ip";
    /// Status sent to the client.
    pub const STATUS: &str = "status";
    /// What the filter did: an [`Action`](super::Action) name (required).
    pub const ACTION: &str = "action";
    /// The mode that applied.
    pub const MODE: &str = "mode";
    /// Inbound anomaly score.
    pub const ANOMALY_SCORE: &str = "anomaly_score";
    /// The rules that matched and log.
    pub const MATCHED: &str = "matched";
    /// Matches left out to keep the record under [`MAX_RECORD_BYTES`](super::MAX_RECORD_BYTES).
    pub const MATCHED_DROPPED: &str = "matched_dropped";
    /// Attack types from the matches' tags.
    pub const ATTACK_TYPES: &str = "attack_types";
    /// CVE ids from the matches' tags and messages.
    pub const CVES: &str = "cves";

    /// The fields of one `matched[]` entry.
    pub mod matched {
        /// SecLang rule id (required).
        pub const ID: &str = "id";
        /// The rule's `msg`.
        pub const MSG: &str = "msg";
        /// The rule's `logdata`.
        pub const DATA: &str = "data";
        /// Severity name.
        pub const SEVERITY: &str = "severity";
        /// The rule's tags.
        pub const TAGS: &str = "tags";
        /// Phase 1 to 5.
        pub const PHASE: &str = "phase";
        /// Every field, in the order the filter writes them.
        pub const ALL: [&str; 6] = [ID, MSG, DATA, SEVERITY, TAGS, PHASE];
    }

    /// Every top-level field, in the order the filter writes them.
    pub const ALL: [&str; 16] = [
        RECORD_ID, TIME, UNIQUE_ID, APPLICATION_ID, HOST, METHOD, PATH, SOURCE_IP, STATUS, ACTION, MODE,
        ANOMALY_SCORE, MATCHED, MATCHED_DROPPED, ATTACK_TYPES, CVES,
    ];
}

/// What the filter did with the request (the record's `action`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Answered with the block response; the backend never saw it.
    Blocked,
    /// Would have been blocked; mode monitor let it through.
    Monitored,
    /// Rules matched, below the blocking threshold.
    Passed,
    /// The source is on `ip_allow`: not inspected.
    Allowed,
    /// The source is on `ip_deny`: answered with the block response, not inspected.
    Denied,
    /// Over a rate limit: answered 429, not inspected.
    RateLimited,
}

impl Action {
    /// Every action, in the order of the documentation.
    pub const ALL: [Action; 6] =
        [Action::Blocked, Action::Monitored, Action::Passed, Action::Allowed, Action::Denied, Action::RateLimited];

    /// The spelling in records, columns, metrics and query filters.
    pub fn name(self) -> &'static str {
        match self {
            Action::Blocked => "blocked",
            Action::Monitored => "monitored",
            Action::Passed => "passed",
            Action::Allowed => "allowed",
            Action::Denied => "denied",
            Action::RateLimited => "rate_limited",
        }
    }

    /// Inverse of [`Action::name`]; `None` for anything else (case-sensitive).
    pub fn from_name(name: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.name() == name)
    }

    /// The names joined by `, `, for messages: `blocked, monitored, …`.
    pub fn names() -> String {
        Action::ALL.map(Action::name).join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_match_serde() {
        for a in Action::ALL {
            assert_eq!(Action::from_name(a.name()), Some(a));
            assert_eq!(serde_json::to_value(a).unwrap(), a.name());
            assert_eq!(serde_json::from_value::<Action>(a.name().into()).unwrap(), a);
        }
        assert_eq!(Action::from_name("Blocked"), None);
        assert_eq!(Action::names(), "blocked, monitored, passed, allowed, denied, rate_limited");
    }

    #[test]
    fn field_names_are_unique() {
        let mut fields = field::ALL.to_vec();
        fields.sort_unstable();
        fields.dedup();
        assert_eq!(fields.len(), field::ALL.len());
    }
}
