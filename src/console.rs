//! The console's IP lists on a node (config `ip_lists`, docs/policies.md "Console IP lists"):
//! each worker's root context fetches `GET /v1/ip-lists` from the collector every
//! `interval_ms` ([`Fetcher`]: when, what an answer means, whether the list is stale) and keeps
//! what it got in [`ConsoleLists`], which the [`Driver`](crate::driver::Driver) consults for
//! every request on top of the policy's configured lists.
//!
//! Invariants:
//! - A bad or missing answer never changes what is enforced: the last good list stays in force
//!   (only entries whose own expiry has passed drop out).
//! - An entry stops applying at its `expires`, checked on lookup, without waiting for a fetch.
//! - A lookup is a couple of binary searches ([`IpList`]); rebuilding happens only when the
//!   list changes or an entry expires.
//! - Host-neutral: no hostcalls here (`root.rs` makes them), so all of it is tested natively.

use std::cell::RefCell;
use std::fmt;
use std::net::IpAddr;

use portcullis_wire::ip_list::{parse_utc_ms, IpListAnswer, ListKind};

use crate::policy::ip::IpList;

/// Most entries an answer may hold (shared with the collector); a longer one is refused (the
/// last list stays).
pub use portcullis_wire::ip_list::MAX_ENTRIES;
/// Largest answer body read (about 80 bytes an entry).
pub const MAX_ANSWER_BYTES: usize = 16 << 20;
/// The list is stale when the last good fetch is older than this many intervals.
pub const STALE_INTERVALS: u64 = 3;

/// Counter: fetches that failed or brought an answer that was refused.
pub const STAT_FETCH_ERRORS: &str = "portcullis.ip_list_fetch_errors";
/// Counter: new lists taken (a changed version).
pub const STAT_UPDATES: &str = "portcullis.ip_list_updates";
/// Gauge: 1 while the last good fetch is older than [`STALE_INTERVALS`] intervals, else 0.
pub const STAT_STALE: &str = "portcullis.ip_list_stale";
/// Gauge: entries the last good answer held.
pub const STAT_ENTRIES: &str = "portcullis.ip_list_entries";

/// One entry in force.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Entry {
    list: ListKind,
    cidr: String,
    /// UTC ms; `None`: until removed.
    expires_ms: Option<u64>,
}

/// A parsed, checked answer, ready to replace the lists in force.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed {
    version: String,
    entries: Vec<Entry>,
}

impl Parsed {
    /// Entries in the answer.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the answer has no entry.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The answer's version.
    pub fn version(&self) -> &str {
        &self.version
    }
}

/// Why an answer was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AnswerError {
    /// Not the JSON of an [`IpListAnswer`].
    Json(String),
    /// More than [`MAX_ENTRIES`] entries.
    TooMany(usize),
    /// Entry `index` has a network the filter cannot read.
    BadCidr {
        /// Position in `entries`.
        index: usize,
        /// What the reader says.
        problem: String,
    },
    /// Entry `index` has an `expires` that is not `YYYY-MM-DDTHH:MM:SS[.f]Z`.
    BadExpiry {
        /// Position in `entries`.
        index: usize,
        /// The value.
        expires: String,
    },
    /// The version is empty or not a plain token.
    BadVersion,
}

impl fmt::Display for AnswerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AnswerError::Json(e) => write!(f, "not an IP list answer: {e}"),
            AnswerError::TooMany(n) => write!(f, "{n} entries, at most {MAX_ENTRIES} are taken"),
            AnswerError::BadCidr { index, problem } => write!(f, "entries[{index}].cidr: {problem}"),
            AnswerError::BadExpiry { index, expires } => write!(f, "entries[{index}].expires: {expires:?} is not a UTC time"),
            AnswerError::BadVersion => f.write_str("version must be a non-empty token of printable ASCII without quotes"),
        }
    }
}

/// Reads an answer of `GET /v1/ip-lists`; every entry must be valid or the answer is refused.
///
/// # Errors
/// The first problem, naming the entry.
pub fn parse_answer(body: &[u8]) -> Result<Parsed, AnswerError> {
    let answer: IpListAnswer = serde_json::from_slice(body).map_err(|e| AnswerError::Json(e.to_string()))?;
    if answer.version.is_empty() || answer.version.len() > 128 || !answer.version.bytes().all(|b| b.is_ascii_graphic() && b != b'"') {
        return Err(AnswerError::BadVersion);
    }
    if answer.entries.len() > MAX_ENTRIES {
        return Err(AnswerError::TooMany(answer.entries.len()));
    }
    let mut entries = Vec::with_capacity(answer.entries.len());
    for (index, e) in answer.entries.into_iter().enumerate() {
        if let Err(errors) = IpList::new(std::slice::from_ref(&e.cidr)) {
            let problem = errors.first().map_or_else(|| "not a network".to_owned(), |p| p.problem.to_string());
            return Err(AnswerError::BadCidr { index, problem });
        }
        let expires_ms = match e.expires {
            None => None,
            Some(text) => match parse_utc_ms(&text) {
                Some(ms) => Some(u64::try_from(ms).unwrap_or(0)),
                None => return Err(AnswerError::BadExpiry { index, expires: text }),
            },
        };
        entries.push(Entry { list: e.list, cidr: e.cidr, expires_ms });
    }
    Ok(Parsed { version: answer.version, entries })
}

/// The lists in force and their lookup structures.
#[derive(Clone, Debug, Default)]
struct Snapshot {
    /// `None` until a first good answer (or after a configuration that has none).
    version: Option<String>,
    entries: Vec<Entry>,
    block: IpList,
    allow: IpList,
    /// The earliest expiry among `entries`: the next rebuild.
    next_expiry_ms: Option<u64>,
}

impl Snapshot {
    /// Lookup structures for the entries unexpired at `now_ms` (the expired ones are dropped).
    fn build(version: Option<String>, mut entries: Vec<Entry>, now_ms: u64) -> Snapshot {
        entries.retain(|e| e.expires_ms.is_none_or(|at| at > now_ms));
        let of = |kind: ListKind| -> IpList {
            let cidrs: Vec<String> = entries.iter().filter(|e| e.list == kind).map(|e| e.cidr.clone()).collect();
            // Every cidr was checked by parse_answer.
            IpList::new(&cidrs).unwrap_or_default()
        };
        let (block, allow) = (of(ListKind::Block), of(ListKind::Allow));
        let next_expiry_ms = entries.iter().filter_map(|e| e.expires_ms).min();
        Snapshot { version, entries, block, allow, next_expiry_ms }
    }
}

/// The console's lists as a worker enforces them: shared by the root context (which replaces
/// them) and every stream of the VM (which look sources up), all on one thread.
#[derive(Debug, Default)]
pub struct ConsoleLists {
    current: RefCell<Snapshot>,
}

impl ConsoleLists {
    /// Which console list `ip` is on at `now_ms`: `Block` when on the block list (whatever the
    /// allow list says), `Allow` when only on the allow list, else `None`. Drops entries whose
    /// expiry has passed first.
    pub fn lookup(&self, ip: IpAddr, now_ms: u64) -> Option<ListKind> {
        let Ok(mut s) = self.current.try_borrow_mut() else { return None };
        if s.next_expiry_ms.is_some_and(|at| at <= now_ms) {
            let version = s.version.take();
            let entries = std::mem::take(&mut s.entries);
            *s = Snapshot::build(version, entries, now_ms);
        }
        if s.block.contains(ip) {
            Some(ListKind::Block)
        } else if s.allow.contains(ip) {
            Some(ListKind::Allow)
        } else {
            None
        }
    }

    /// Put `parsed` in force from `now_ms` on.
    pub fn replace(&self, parsed: Parsed, now_ms: u64) {
        if let Ok(mut s) = self.current.try_borrow_mut() {
            *s = Snapshot::build(Some(parsed.version), parsed.entries, now_ms);
        }
    }

    /// The version in force (sent back as `If-None-Match`), if any list was taken.
    pub fn version(&self) -> Option<String> {
        self.current.try_borrow().ok().and_then(|s| s.version.clone())
    }

    /// Entries in force (expired ones still counted until the next lookup drops them).
    pub fn len(&self) -> usize {
        self.current.try_borrow().map_or(0, |s| s.entries.len())
    }

    /// Whether no entry is in force.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Take over `previous`'s lists (a new configuration keeps enforcing what the old one had
    /// fetched until its own first fetch).
    pub fn adopt(&self, previous: &ConsoleLists) {
        let taken = previous.current.try_borrow().map(|s| s.clone()).unwrap_or_default();
        if let Ok(mut s) = self.current.try_borrow_mut() {
            *s = taken;
        }
    }
}

/// What the host reported for one fetch.
#[derive(Clone, Copy, Debug)]
pub enum FetchAnswer<'a> {
    /// No answer: connection refused or reset, timeout, no healthy host.
    Failed,
    /// A 200 whose body is over [`MAX_ANSWER_BYTES`] (not read).
    TooLarge(usize),
    /// An HTTP answer.
    Status {
        /// `:status`.
        status: u16,
        /// The body (empty when none or too large to read).
        body: &'a [u8],
    },
}

/// What one answered fetch did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fetched {
    /// A new list is in force.
    Updated {
        /// Its entries.
        entries: usize,
        /// Its version.
        version: String,
        /// Failed fetches just before this one (for a "fetched again" log line).
        after_failures: u32,
    },
    /// 304 or the same version: nothing changed.
    Unchanged {
        /// Failed fetches just before this one.
        after_failures: u32,
    },
    /// The fetch failed or its answer was refused; the last list stays.
    Failed {
        /// What went wrong.
        reason: String,
        /// The first failure after a success (log it; later ones of the streak only count).
        first: bool,
    },
}

/// When to fetch, which call is in flight, and how fresh the list is. One per root context.
#[derive(Debug)]
pub struct Fetcher {
    interval_ms: u64,
    /// Configured at: the base of staleness before any good fetch.
    started_ms: u64,
    next_ms: u64,
    in_flight: Option<(u32, u64)>,
    last_good_ms: Option<u64>,
    failures: u32,
}

impl Fetcher {
    /// A fetcher polling every `interval_ms`, the first fetch due at once.
    pub fn new(interval_ms: u64, now_ms: u64) -> Fetcher {
        Fetcher { interval_ms: interval_ms.max(1), started_ms: now_ms, next_ms: now_ms, in_flight: None, last_good_ms: None, failures: 0 }
    }

    /// The timeout of one call: the interval, within 1 to 10 s.
    pub fn call_timeout(&self) -> std::time::Duration {
        std::time::Duration::from_millis(self.interval_ms.clamp(1_000, 10_000))
    }

    /// Whether a fetch should start now: none in flight and the interval has passed. A call the
    /// host never answered is forgotten after twice its timeout.
    pub fn due(&mut self, now_ms: u64) -> bool {
        if let Some((_, sent)) = self.in_flight {
            let lost_after = 2 * u64::try_from(self.call_timeout().as_millis()).unwrap_or(u64::MAX);
            if now_ms.saturating_sub(sent) < lost_after {
                return false;
            }
            self.in_flight = None;
        }
        now_ms >= self.next_ms
    }

    /// Call `token` was dispatched at `now_ms`.
    pub fn sent(&mut self, token: u32, now_ms: u64) {
        self.in_flight = Some((token, now_ms));
        self.next_ms = now_ms.saturating_add(self.interval_ms);
    }

    /// The call could not even be dispatched (no such cluster, ...): counts as a failed fetch.
    pub fn dispatch_failed(&mut self, reason: String, now_ms: u64) -> Fetched {
        self.next_ms = now_ms.saturating_add(self.interval_ms);
        self.fail(reason)
    }

    /// Whether `token` is this fetcher's call in flight.
    pub fn is_in_flight(&self, token: u32) -> bool {
        self.in_flight.is_some_and(|(t, _)| t == token)
    }

    /// The answer to call `token` arrived: take a good list into `lists`, keep the last one
    /// otherwise. `None` when `token` is not this fetcher's call.
    pub fn answered(&mut self, token: u32, answer: FetchAnswer<'_>, lists: &ConsoleLists, now_ms: u64) -> Option<Fetched> {
        if !self.is_in_flight(token) {
            return None;
        }
        self.in_flight = None;
        let parsed = match answer {
            FetchAnswer::Failed => return Some(self.fail("no answer from the collector (unreachable, reset or timed out)".to_owned())),
            FetchAnswer::TooLarge(n) => return Some(self.fail(format!("answer refused: {n} bytes, over {MAX_ANSWER_BYTES}"))),
            FetchAnswer::Status { status: 304, .. } => None,
            FetchAnswer::Status { status: 200, body } => match parse_answer(body) {
                Ok(p) => Some(p),
                Err(e) => return Some(self.fail(format!("answer refused: {e}"))),
            },
            FetchAnswer::Status { status: status @ (401 | 403), .. } => {
                return Some(self.fail(format!("the collector refused the node token ({status})")))
            }
            FetchAnswer::Status { status: 404, .. } => {
                return Some(self.fail("404: the collector has no /v1/ip-lists (older than the filter?) or ip_lists.path is wrong".to_owned()))
            }
            FetchAnswer::Status { status, .. } => return Some(self.fail(format!("the collector answered {status}"))),
        };
        self.last_good_ms = Some(now_ms);
        let after_failures = std::mem::take(&mut self.failures);
        match parsed {
            Some(p) if lists.version().as_deref() != Some(p.version()) => {
                let (entries, version) = (p.len(), p.version.clone());
                lists.replace(p, now_ms);
                Some(Fetched::Updated { entries, version, after_failures })
            }
            _ => Some(Fetched::Unchanged { after_failures }),
        }
    }

    fn fail(&mut self, reason: String) -> Fetched {
        self.failures = self.failures.saturating_add(1);
        Fetched::Failed { reason, first: self.failures == 1 }
    }

    /// Whether the last good fetch (or, before any, the start) is more than
    /// [`STALE_INTERVALS`] intervals ago.
    pub fn stale(&self, now_ms: u64) -> bool {
        let base = self.last_good_ms.unwrap_or(self.started_ms);
        now_ms.saturating_sub(base) > STALE_INTERVALS * self.interval_ms
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    const T0: u64 = 1_765_000_000_000; // 2025-12-06T05:46:40Z

    fn answer(version: &str, entries: &str) -> String {
        format!(r#"{{"version":"{version}","entries":[{entries}]}}"#)
    }

    #[test]
    fn answers_are_parsed_or_refused_whole() {
        let p = parse_answer(answer("v1", r#"{"list":"block","cidr":"203.0.113.7/32","expires":"2025-12-06T05:46:50.000Z"},{"list":"allow","cidr":"2001:db8::/32","expires":null}"#).as_bytes()).unwrap();
        assert_eq!((p.len(), p.version()), (2, "v1"));
        assert_eq!(p.entries[0].expires_ms, Some(T0 + 10_000));
        let err = |body: String| parse_answer(body.as_bytes()).unwrap_err().to_string();
        assert_eq!(err(answer("v", r#"{"list":"block","cidr":"10.0.0.5/8","expires":null}"#)),
                   "entries[0].cidr: host bits set beyond the prefix (the network is 10.0.0.0/8; for one address omit the prefix)");
        assert_eq!(err(answer("v", r#"{"list":"block","cidr":"1.2.3.4/32","expires":"tomorrow"}"#)), "entries[0].expires: \"tomorrow\" is not a UTC time");
        assert!(err(answer("v", r#"{"list":"deny","cidr":"1.2.3.4/32","expires":null}"#)).starts_with("not an IP list answer: unknown variant `deny`"));
        assert_eq!(err(answer("", "")), "version must be a non-empty token of printable ASCII without quotes");
        assert!(err("<html>".to_owned()).starts_with("not an IP list answer"));
    }

    #[test]
    fn block_beats_allow_and_entries_expire_on_their_own() {
        let lists = ConsoleLists::default();
        assert_eq!(lists.lookup(ip("203.0.113.7"), T0), None);
        let p = parse_answer(answer("v1", r#"{"list":"block","cidr":"203.0.113.7/32","expires":"2025-12-06T05:46:50.000Z"},
            {"list":"allow","cidr":"203.0.113.0/24","expires":null},{"list":"block","cidr":"2001:db8::/32","expires":null}"#).as_bytes()).unwrap();
        lists.replace(p, T0);
        assert_eq!(lists.lookup(ip("203.0.113.7"), T0), Some(ListKind::Block), "block wins over an allow of the same source");
        assert_eq!(lists.lookup(ip("::ffff:203.0.113.7"), T0), Some(ListKind::Block));
        assert_eq!(lists.lookup(ip("203.0.113.8"), T0), Some(ListKind::Allow));
        assert_eq!(lists.lookup(ip("2001:db8::1"), T0), Some(ListKind::Block));
        assert_eq!(lists.lookup(ip("198.51.100.1"), T0), None);
        // Its expiry passes without a fetch: the block entry is gone, the allow entry stays.
        assert_eq!(lists.lookup(ip("203.0.113.7"), T0 + 9_999), Some(ListKind::Block));
        assert_eq!(lists.lookup(ip("203.0.113.7"), T0 + 10_000), Some(ListKind::Allow));
        assert_eq!(lists.len(), 2);
        assert_eq!(lists.version().as_deref(), Some("v1"));
        // A new configuration keeps the lists.
        let next = ConsoleLists::default();
        next.adopt(&lists);
        assert_eq!(next.lookup(ip("2001:db8::1"), T0 + 20_000), Some(ListKind::Block));
        assert_eq!(next.version().as_deref(), Some("v1"));
    }

    #[test]
    fn one_fetch_in_flight_at_the_interval() {
        let mut f = Fetcher::new(5_000, T0);
        assert!(f.due(T0));
        f.sent(7, T0);
        assert!(!f.due(T0 + 6_000), "in flight");
        assert!(f.is_in_flight(7) && !f.is_in_flight(8));
        let lists = ConsoleLists::default();
        assert_eq!(f.answered(8, FetchAnswer::Failed, &lists, T0 + 10), None, "not ours");
        let body = answer("v1", r#"{"list":"block","cidr":"203.0.113.7/32","expires":null}"#);
        let got = f.answered(7, FetchAnswer::Status { status: 200, body: body.as_bytes() }, &lists, T0 + 10);
        assert_eq!(got, Some(Fetched::Updated { entries: 1, version: "v1".to_owned(), after_failures: 0 }));
        assert!(!f.due(T0 + 4_999) && f.due(T0 + 5_000));
        f.sent(9, T0 + 5_000);
        assert_eq!(f.answered(9, FetchAnswer::Status { status: 304, body: b"" }, &lists, T0 + 5_010), Some(Fetched::Unchanged { after_failures: 0 }));
        // A call the host never answers is given up after twice its timeout.
        f.sent(10, T0 + 10_000);
        assert!(!f.due(T0 + 19_999) && f.due(T0 + 20_000));
    }

    #[test]
    fn failures_keep_the_last_list_log_once_and_turn_stale() {
        let mut f = Fetcher::new(1_000, T0);
        let lists = ConsoleLists::default();
        assert!(!f.stale(T0 + 3_000) && f.stale(T0 + 3_001), "stale before any good fetch, counted from the start");
        f.sent(1, T0);
        let body = answer("v1", r#"{"list":"block","cidr":"203.0.113.7/32","expires":null}"#);
        f.answered(1, FetchAnswer::Status { status: 200, body: body.as_bytes() }, &lists, T0);
        let mut now = T0;
        let mut firsts = Vec::new();
        for (token, answer) in [(2, FetchAnswer::Failed), (3, FetchAnswer::Status { status: 503, body: b"" }),
                                (4, FetchAnswer::Status { status: 200, body: b"{\"version\":\"v2\",\"entries\":[{}]}" }),
                                (5, FetchAnswer::Status { status: 401, body: b"" })] {
            now += 1_000;
            f.sent(token, now);
            match f.answered(token, answer, &lists, now) {
                Some(Fetched::Failed { reason, first }) => firsts.push((first, reason)),
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(firsts.iter().map(|(first, _)| *first).collect::<Vec<_>>(), [true, false, false, false]);
        assert!(firsts[1].1.contains("503") && firsts[2].1.starts_with("answer refused") && firsts[3].1.contains("401"), "{firsts:?}");
        assert_eq!(lists.lookup(ip("203.0.113.7"), now), Some(ListKind::Block), "the last list stays in force");
        assert!(f.stale(now + 1), "4 s since the last good fetch at 1 s intervals");
        f.sent(6, now + 1);
        let got = f.answered(6, FetchAnswer::Status { status: 304, body: b"" }, &lists, now + 1);
        assert_eq!(got, Some(Fetched::Unchanged { after_failures: 4 }));
        assert!(!f.stale(now + 1));
        assert!(matches!(f.dispatch_failed("no cluster".to_owned(), now + 2), Fetched::Failed { first: true, .. }));
    }
}
