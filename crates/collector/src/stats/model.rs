//! What the console's read API answers, backend-neutral: the filters a read takes and the
//! shapes it returns (serialized as the JSON of `GET /api/summary`, `/api/timeline`, `/api/nodes`).

use serde::Serialize;

use portcullis_wire::verdict::Action;

/// Filters common to every console read, already validated. `None` = no filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Filters {
    /// Node group (`nodes.grp`): only data of nodes in it.
    pub group: Option<String>,
    /// Node name (`nodes.name`).
    pub node: Option<String>,
    pub application_id: Option<String>,
    /// For counters the policy's host key (`*` = default policy); for verdicts the request's host.
    pub host: Option<String>,
    /// Verdicts only: counters have no action.
    pub action: Option<Action>,
}

/// Traffic totals from the counters (every request the nodes counted).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub(crate) struct Totals {
    pub requests: i64,
    pub blocked: i64,
    pub monitored: i64,
    pub passed: i64,
    pub rate_limited: i64,
    pub allowed: i64,
    pub denied: i64,
    pub body_limit_rejects: i64,
    pub verdicts_dropped: i64,
}

impl Totals {
    /// Adds `row` (a counters row, same column order as the fields) into `self`.
    pub(crate) fn add(&mut self, row: [i64; 9]) {
        let [requests, blocked, monitored, passed, rate_limited, allowed, denied, body, dropped] =
            row;
        self.requests += requests;
        self.blocked += blocked;
        self.monitored += monitored;
        self.passed += passed;
        self.rate_limited += rate_limited;
        self.allowed += allowed;
        self.denied += denied;
        self.body_limit_rejects += body;
        self.verdicts_dropped += dropped;
    }
}

/// One entry of a top-10 list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct TopEntry {
    pub value: String,
    pub count: i64,
}

/// One entry of the top rules: the id with its latest message.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct TopRule {
    pub rule_id: i64,
    pub msg: String,
    pub count: i64,
}

/// The top lists of a window, each at most ten entries, most frequent first.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub(crate) struct Tops {
    pub attack_types: Vec<TopEntry>,
    pub rules: Vec<TopRule>,
    pub cves: Vec<TopEntry>,
    pub source_ips: Vec<TopEntry>,
    /// The requests' hosts (the verdicts' `host`).
    pub hosts: Vec<TopEntry>,
    /// Paths without their query string.
    pub paths: Vec<TopEntry>,
}

/// Per-application line of the summary: requests from the counters, blocked/monitored from both.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub(crate) struct ApplicationLine {
    /// `''` for policies (counters) or verdicts without an application id.
    pub application_id: String,
    pub requests: i64,
    /// Counted by the nodes.
    pub blocked: i64,
    pub monitored: i64,
    /// Verdicts stored by the collector.
    pub verdicts: i64,
    pub verdicts_blocked: i64,
    pub verdicts_monitored: i64,
}

/// `GET /api/summary`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub(crate) struct Summary {
    pub from: String,
    pub to: String,
    pub seconds: f64,
    pub totals: Totals,
    /// `totals.requests / seconds`.
    pub request_rate: f64,
    /// Verdicts in the window by action (`blocked`, `monitored`, ...; absent = 0).
    pub verdicts_by_action: std::collections::BTreeMap<String, i64>,
    pub verdicts: i64,
    pub top: Tops,
    pub applications: Vec<ApplicationLine>,
}

/// One timeline bucket `[time, time + step)`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub(crate) struct Point {
    pub time: String,
    #[serde(skip)]
    pub time_ms: i64,
    pub requests: i64,
    pub blocked: i64,
    pub monitored: i64,
    pub passed: i64,
    pub rate_limited: i64,
    /// Verdicts stored in the bucket (every action, or the `action` filter's).
    pub attacks: i64,
}

/// `GET /api/timeline`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub(crate) struct Timeline {
    pub from: String,
    pub to: String,
    pub step_s: i64,
    pub points: Vec<Point>,
}

/// One node of `GET /api/nodes`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct NodeStatus {
    pub name: String,
    pub group: Option<String>,
    pub created: String,
    /// The latest of its ingest calls and its workers' reports; `None`: never seen.
    pub last_seen: Option<String>,
    pub revoked: bool,
    /// Silent for more than 3 × its flush interval (or never seen, or revoked).
    pub stale: bool,
    pub flush_interval_ms: i64,
    /// From its most recently seen worker.
    pub version: Option<String>,
    pub ruleset_fingerprint: Option<String>,
    pub rule_count: Option<i64>,
    /// Workers that reported within 3 × the flush interval.
    pub live_workers: i64,
    /// Requests per second over the last [`RATE_WINDOW_MS`] (whole minutes, from the counters).
    pub request_rate: f64,
}

/// How far back `GET /api/nodes` looks for each node's request rate.
pub(crate) const RATE_WINDOW_MS: i64 = 5 * 60_000;
/// A node's flush interval when none of its workers reported one.
pub(crate) const DEFAULT_FLUSH_INTERVAL_MS: i64 = 1_000;
/// Silent for more than this many flush intervals = stale.
pub(crate) const STALE_INTERVALS: i64 = 3;
