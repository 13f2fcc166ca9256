//! Rate limits (`rate_limits`): a token bucket per (rule, key value), shared
//! by every Envoy worker through proxy-wasm shared data (docs/policies.md).
//!
//! Storage. Each rule has [`SLOTS_PER_RULE`] slots in [`SETS_PER_RULE`] sets
//! of [`WAYS`]; a key value hashes to one set. One shared-data value holds a
//! whole set (`portcullis/rl/<namespace>/<rule_index>/<set>`, 96 bytes), so
//! claiming a slot and updating its bucket is one compare-and-swap: two
//! workers can never give one key two buckets. A key takes its own slot
//! (matched by a 64-bit fingerprint), else an empty one, else one whose
//! bucket is full again (idle, so forgetting it changes nothing). When the
//! set's 4 slots hold live buckets of other keys the answer is
//! [`RateDecision::TableFull`]: the caller lets the request through and counts it.
//!
//! Concurrency. Read (value, cas), decide, write with that cas; on a
//! mismatch (another worker wrote in between) start again, at most
//! [`CAS_TRIES`] times, then [`RateDecision::Contended`] (fail open). A
//! limited request writes nothing. proxy-wasm has no "create if absent":
//! Envoy writes a missing key whatever the cas, so two workers touching a
//! set for the very first time at the same instant can lose one token's
//! update, once per set per Envoy process.
//!
//! Arithmetic is exact integers: a bucket holds tokens in units of
//! 1/(per_seconds·1000) token, refilled by `requests` units per millisecond.

use std::fmt;
use std::net::IpAddr;

use serde::Deserialize;

/// Slots (buckets) per rule: the memory bound (96 bytes per 4 slots, plus the key).
pub const SLOTS_PER_RULE: usize = 4096;
/// Slots per set: a key value can live in any of its set's slots.
pub const WAYS: usize = 4;
/// Sets per rule (shared-data keys per rule).
pub const SETS_PER_RULE: usize = SLOTS_PER_RULE / WAYS;
/// Compare-and-swap attempts before failing open.
pub const CAS_TRIES: u32 = 8;
/// Largest `requests` and `burst`.
pub const MAX_REQUESTS: u32 = 1_000_000;
/// Largest `per_seconds`: one day.
pub const MAX_PER_SECONDS: u32 = 86_400;

/// Bytes of one slot in the stored value: fingerprint, tokens, last refill (u64 LE each).
const SLOT_BYTES: usize = 24;
/// Bytes of one stored set.
const SET_BYTES: usize = SLOT_BYTES * WAYS;

/// One rate-limit rule as configured:
/// `{"match": {"path_prefix": "/login", "methods": ["POST"]}, "key": "source_ip", "requests": 5, "per_seconds": 60, "burst": 5}`.
/// Check [`RateLimitRule::validate`] before use; [`Limiter::check`] does not
/// panic on an invalid rule but its limits are then meaningless.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimitRule {
    /// Which requests the rule counts (JSON `match`; every request when absent).
    #[serde(rename = "match", default)]
    pub matcher: RateLimitMatch,
    /// What a bucket is per (default `source_ip`).
    #[serde(default)]
    pub key: RateLimitKey,
    /// Tokens added per `per_seconds` (≥ 1, ≤ [`MAX_REQUESTS`]).
    pub requests: u32,
    /// The refill period in seconds (≥ 1, ≤ [`MAX_PER_SECONDS`]).
    pub per_seconds: u32,
    /// Bucket size: requests allowed at once (≥ 1; default `requests`). Use [`RateLimitRule::burst`].
    #[serde(default)]
    pub burst: Option<u32>,
}

/// The `match` of a rule: every given condition must hold.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimitMatch {
    /// The normalised request path starts with this (byte prefix, as Envoy's
    /// route `prefix`: `/login` also matches `/login.php`). Starts with `/`.
    #[serde(default)]
    pub path_prefix: Option<String>,
    /// One of these methods (compared case-insensitively, so `post` cannot slip by).
    #[serde(default)]
    pub methods: Option<Vec<String>>,
    /// The `:authority` without port: an exact name or `*.example.com`, case-insensitive.
    #[serde(default)]
    pub host: Option<String>,
}

/// What a bucket is per. JSON: `"source_ip"`, `"header:NAME"`, `"host"`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub enum RateLimitKey {
    /// The client IP (see `client_ip`).
    #[default]
    SourceIp,
    /// The value of a request header (name stored lower case, a valid token);
    /// requests without it are not counted by the rule.
    Header(String),
    /// The `:authority` without port, lower case.
    Host,
}

impl TryFrom<String> for RateLimitKey {
    type Error = String;

    fn try_from(s: String) -> Result<RateLimitKey, String> {
        match s.as_str() {
            "source_ip" => Ok(RateLimitKey::SourceIp),
            "host" => Ok(RateLimitKey::Host),
            _ => match s.strip_prefix("header:") {
                Some(name) if is_token(name) => Ok(RateLimitKey::Header(name.to_ascii_lowercase())),
                Some(name) => Err(format!("{name:?} is not a header name (an HTTP token)")),
                None => Err(format!("unknown key {s:?}, expected source_ip, header:NAME or host")),
            },
        }
    }
}

impl fmt::Display for RateLimitKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RateLimitKey::SourceIp => f.write_str("source_ip"),
            RateLimitKey::Header(name) => write!(f, "header:{name}"),
            RateLimitKey::Host => f.write_str("host"),
        }
    }
}

/// An HTTP token (RFC 9110 5.6.2): method and header-name syntax.
fn is_token(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

impl RateLimitRule {
    /// The bucket size in effect: `burst`, or `requests` when not given.
    pub fn burst(&self) -> u32 {
        self.burst.unwrap_or(self.requests)
    }

    /// Every problem, each naming its field relative to the rule
    /// (`per_seconds: must be at least 1`); empty when valid.
    pub fn validate(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let mut range = |field: &str, value: u32, max: u32, hint: &str| {
            if value == 0 {
                problems.push(format!("{field}: must be at least 1{hint}"));
            } else if value > max {
                problems.push(format!("{field}: {value} is over {max}"));
            }
        };
        range("requests", self.requests, MAX_REQUESTS, "");
        range("per_seconds", self.per_seconds, MAX_PER_SECONDS, "");
        if let Some(burst) = self.burst {
            range("burst", burst, MAX_REQUESTS, " (omit it for the default, requests)");
        }
        let m = &self.matcher;
        if let Some(p) = &m.path_prefix {
            if !p.starts_with('/') {
                problems.push(format!("match.path_prefix: {p:?} must start with '/'"));
            } else if p.contains(['?', '#']) || p.bytes().any(|b| b <= b' ' || b == 0x7f) {
                problems.push(format!("match.path_prefix: {p:?} must be a path only (no query, fragment, spaces or controls)"));
            }
        }
        if let Some(methods) = &m.methods {
            if methods.is_empty() {
                problems.push("match.methods: empty (omit it to match every method)".to_owned());
            }
            for (i, method) in methods.iter().enumerate() {
                if !is_token(method) {
                    problems.push(format!("match.methods[{i}]: {method:?} is not a method (an HTTP token)"));
                }
            }
        }
        if let Some(host) = &m.host {
            if let Some(problem) = host_pattern_problem(host) {
                problems.push(format!("match.host: {host:?}: {problem}"));
            }
        }
        problems
    }

    /// Whether the rule counts this request: `host` is the `:authority` (a
    /// port is ignored), `path` the request target (query ignored; the path
    /// is percent-decoded and `//`, `.` and `..` resolved before the prefix
    /// test, so `/%6cogin` and `//login` are `/login`).
    pub fn matches(&self, host: &str, method: &[u8], path: &[u8]) -> bool {
        let m = &self.matcher;
        if let Some(methods) = &m.methods {
            if !methods.iter().any(|x| x.as_bytes().eq_ignore_ascii_case(method)) {
                return false;
            }
        }
        if let Some(pattern) = &m.host {
            if !host_matches(pattern, &normal_host(host)) {
                return false;
            }
        }
        if let Some(prefix) = &m.path_prefix {
            if !normal_path(path).starts_with(prefix.as_bytes()) {
                return false;
            }
        }
        true
    }

    /// The bucket key of a request, `None` when the rule does not apply to it
    /// (no client IP; no such header; empty host). Header lines of the same
    /// name are joined with `,`. IPv4-mapped IPv6 clients count as IPv4.
    pub fn key_value(&self, client_ip: Option<IpAddr>, host: &str, headers: &[(String, Vec<u8>)]) -> Option<Vec<u8>> {
        match &self.key {
            RateLimitKey::SourceIp => client_ip.map(|ip| ip.to_canonical().to_string().into_bytes()),
            RateLimitKey::Host => Some(normal_host(host).into_bytes()).filter(|h| !h.is_empty()),
            RateLimitKey::Header(name) => {
                let mut value: Option<Vec<u8>> = None;
                for (_, v) in headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case(name)) {
                    match &mut value {
                        Some(joined) => {
                            joined.push(b',');
                            joined.extend_from_slice(v);
                        }
                        None => value = Some(v.clone()),
                    }
                }
                value
            }
        }
    }
}

/// Why a `match.host` pattern is refused, if it is.
fn host_pattern_problem(host: &str) -> Option<&'static str> {
    let name = host.strip_prefix("*.").unwrap_or(host);
    if name.is_empty() {
        return Some("empty host name");
    }
    if name.contains('*') {
        return Some("only one leading wildcard label is allowed (*.example.com)");
    }
    if !name.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._[]:".contains(&b)) {
        return Some("not a host name (letters, digits, '-', '.', or an IPv6 literal in brackets)");
    }
    None
}

fn host_matches(pattern: &str, host: &str) -> bool {
    match pattern.strip_prefix("*.") {
        Some(suffix) => {
            host.len() > suffix.len() + 1
                && host.get(host.len() - suffix.len()..).is_some_and(|s| s.eq_ignore_ascii_case(suffix))
                && host.as_bytes().get(host.len() - suffix.len() - 1) == Some(&b'.')
        }
        None => pattern.trim_end_matches('.').eq_ignore_ascii_case(host),
    }
}

/// `:authority` without port or trailing dot, lower case (`[::1]:80` → `[::1]`).
pub fn normal_host(authority: &str) -> String {
    let host = if authority.starts_with('[') {
        authority.find(']').and_then(|i| authority.get(..=i)).unwrap_or(authority)
    } else {
        match authority.rsplit_once(':') {
            // One colon: host:port. More: an unbracketed IPv6 literal, kept whole.
            Some((h, _)) if !h.contains(':') => h,
            _ => authority,
        }
    };
    host.trim_end_matches('.').to_ascii_lowercase()
}

/// The path of a request target, for prefix tests: up to `?`/`#`,
/// percent-decoded, repeated `/` merged, `.` and `..` segments resolved.
fn normal_path(target: &[u8]) -> Vec<u8> {
    let path = target.split(|&b| b == b'?' || b == b'#').next().unwrap_or_default();
    let mut decoded = Vec::with_capacity(path.len());
    let mut i = 0;
    while let Some(&b) = path.get(i) {
        let hex = |j: usize| path.get(j).and_then(|&c| (c as char).to_digit(16));
        match (b, hex(i + 1), hex(i + 2)) {
            #[allow(clippy::cast_possible_truncation)] // two hex digits
            (b'%', Some(hi), Some(lo)) => {
                decoded.push((hi * 16 + lo) as u8);
                i += 3;
            }
            _ => {
                decoded.push(b);
                i += 1;
            }
        }
    }
    let mut segments: Vec<&[u8]> = Vec::new();
    for seg in decoded.split(|&b| b == b'/') {
        match seg {
            b"" | b"." => {}
            b".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    let mut out = Vec::with_capacity(decoded.len() + 1);
    for s in &segments {
        out.push(b'/');
        out.extend_from_slice(s);
    }
    // A trailing slash is kept: `/login/` must match a `/login/` prefix.
    if out.is_empty() || decoded.last() == Some(&b'/') || matches!(decoded.rsplit(|&b| b == b'/').next(), Some(b"." | b"..")) {
        out.push(b'/');
    }
    out
}

/// A conditional write lost: the value changed since it was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CasMismatch;

impl fmt::Display for CasMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("shared data changed since it was read (cas mismatch)")
    }
}

impl std::error::Error for CasMismatch {}

/// proxy-wasm shared data: a key-value store shared by every VM (worker) of
/// one `vm_id` in an Envoy process, each value with a version (`cas`).
pub trait SharedData {
    /// The value and its cas (non-zero in Envoy), `None` when the key was never written.
    fn get(&self, key: &str) -> Option<(Vec<u8>, u32)>;
    /// Write `value`. `cas` 0 writes unconditionally; otherwise the write
    /// happens only if the key's cas is still `cas` (Envoy: a missing key is
    /// written whatever the cas), else [`CasMismatch`].
    fn set(&self, key: &str, value: &[u8], cas: u32) -> Result<(), CasMismatch>;
}

/// The answer for one request and rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RateDecision {
    /// Under the limit: a token was taken.
    Allow,
    /// Over the limit: answer 429 with `Retry-After: retry_after_secs`
    /// (seconds until one token is back, at least 1).
    Limited {
        /// Seconds until the bucket holds a token again, rounded up, ≥ 1.
        retry_after_secs: u32,
    },
    /// Every slot of the key's set holds a live bucket of another key: not
    /// limited (fail open); count it (`rate_limit_table_full`).
    TableFull,
    /// Other workers kept winning the compare-and-swap [`CAS_TRIES`] times:
    /// not limited (fail open); count it.
    Contended,
}

/// The rate limiter of one configuration: stateless apart from its
/// namespace, so every worker's `Limiter` with the same namespace shares the
/// same buckets through [`SharedData`].
#[derive(Clone, Debug)]
pub struct Limiter {
    namespace: String,
    seed: u64,
}

/// One bucket: the key's fingerprint (0 = empty slot), tokens in units of
/// 1/(per_seconds·1000) token, and the time they were last refilled (ms).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Slot {
    fingerprint: u64,
    tokens: u64,
    refilled_ms: u64,
}

/// A rule's bucket parameters in integer units.
struct Rate {
    /// Units per token (per_seconds · 1000).
    cost: u64,
    /// Units added per millisecond (requests).
    per_ms: u64,
    /// Bucket size in units (burst · cost).
    capacity: u64,
}

impl Rate {
    fn of(rule: &RateLimitRule) -> Rate {
        let cost = u64::from(rule.per_seconds.max(1)) * 1000;
        Rate { cost, per_ms: u64::from(rule.requests.max(1)), capacity: u64::from(rule.burst().max(1)) * cost }
    }

    /// The slot's tokens at `now_ms` (a clock that went back adds nothing).
    fn refilled(&self, slot: &Slot, now_ms: u64) -> u64 {
        let elapsed = u128::from(now_ms.saturating_sub(slot.refilled_ms));
        let tokens = u128::from(slot.tokens.min(self.capacity)) + elapsed * u128::from(self.per_ms);
        u64::try_from(tokens).unwrap_or(u64::MAX).min(self.capacity)
    }
}

impl Limiter {
    /// A limiter whose shared-data keys start with `portcullis/rl/<namespace>/`.
    /// Give a fingerprint of the rate-limit configuration: a changed
    /// configuration then starts from fresh buckets instead of reading ones
    /// laid out for other rules. The namespace also seeds the key hash.
    pub fn new(namespace: String) -> Limiter {
        let seed = fnv1a(0xcbf2_9ce4_8422_2325, namespace.as_bytes());
        Limiter { namespace, seed }
    }

    /// The shared-data key of one set.
    fn set_key(&self, rule_index: usize, set: usize) -> String {
        format!("portcullis/rl/{}/{rule_index}/{set}", self.namespace)
    }

    /// Whether `rule` counts this request (see [`RateLimitRule::matches`]).
    pub fn matches(&self, rule: &RateLimitRule, host: &str, method: &[u8], path: &[u8]) -> bool {
        rule.matches(host, method, path)
    }

    /// Take a token from the bucket of (`rule_index`, `key_value`) at
    /// `now_ms` (any monotonic-enough milliseconds shared by the workers,
    /// e.g. Envoy's wall clock). Never panics on stored data: a value of the
    /// wrong shape is an empty set.
    pub fn check(&self, store: &dyn SharedData, rule_index: usize, rule: &RateLimitRule, key_value: &[u8], now_ms: u64) -> RateDecision {
        let hash = mix(fnv1a(self.seed, key_value));
        let fingerprint = hash.max(1);
        #[allow(clippy::cast_possible_truncation)] // SETS_PER_RULE fits
        let set = (hash >> 40) as usize % SETS_PER_RULE;
        let key = self.set_key(rule_index, set);
        let rate = Rate::of(rule);
        for _ in 0..CAS_TRIES {
            let (mut slots, cas) = match store.get(&key) {
                Some((value, cas)) => (decode(&value), cas),
                None => ([Slot::default(); WAYS], 0),
            };
            let Some(i) = pick_slot(&slots, fingerprint, &rate, now_ms) else {
                return RateDecision::TableFull;
            };
            let Some(slot) = slots.get_mut(i) else { return RateDecision::TableFull };
            let tokens = if slot.fingerprint == fingerprint { rate.refilled(slot, now_ms) } else { rate.capacity };
            if tokens < rate.cost {
                let wait_ms = (rate.cost - tokens).div_ceil(rate.per_ms);
                let secs = wait_ms.div_ceil(1000).max(1);
                return RateDecision::Limited { retry_after_secs: u32::try_from(secs).unwrap_or(u32::MAX) };
            }
            *slot = Slot { fingerprint, tokens: tokens - rate.cost, refilled_ms: now_ms.max(slot.refilled_ms) };
            if store.set(&key, &encode(&slots), cas).is_ok() {
                return RateDecision::Allow;
            }
        }
        RateDecision::Contended
    }
}

/// The bucket key of a request for `rule` (see [`RateLimitRule::key_value`]).
pub fn key_value(rule: &RateLimitRule, client_ip: Option<IpAddr>, host: &str, headers: &[(String, Vec<u8>)]) -> Option<Vec<u8>> {
    rule.key_value(client_ip, host, headers)
}

/// The key's own slot, else an empty one, else an idle one (bucket full again).
fn pick_slot(slots: &[Slot; WAYS], fingerprint: u64, rate: &Rate, now_ms: u64) -> Option<usize> {
    slots
        .iter()
        .position(|s| s.fingerprint == fingerprint)
        .or_else(|| slots.iter().position(|s| s.fingerprint == 0))
        .or_else(|| slots.iter().position(|s| rate.refilled(s, now_ms) >= rate.capacity))
}

fn decode(value: &[u8]) -> [Slot; WAYS] {
    let mut slots = [Slot::default(); WAYS];
    if value.len() != SET_BYTES {
        return slots;
    }
    let word = |i: usize| value.get(i * 8..i * 8 + 8).and_then(|b| <[u8; 8]>::try_from(b).ok()).map_or(0, u64::from_le_bytes);
    for (n, slot) in slots.iter_mut().enumerate() {
        *slot = Slot { fingerprint: word(n * 3), tokens: word(n * 3 + 1), refilled_ms: word(n * 3 + 2) };
    }
    slots
}

fn encode(slots: &[Slot; WAYS]) -> Vec<u8> {
    let mut out = Vec::with_capacity(SET_BYTES);
    for s in slots {
        out.extend_from_slice(&s.fingerprint.to_le_bytes());
        out.extend_from_slice(&s.tokens.to_le_bytes());
        out.extend_from_slice(&s.refilled_ms.to_le_bytes());
    }
    out
}

/// FNV-1a 64: stable across workers and builds (the std hasher promises neither).
fn fnv1a(seed: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(seed, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3))
}

/// splitmix64's finaliser: spreads FNV's weak high bits over the set index.
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

#[cfg(test)]
mod tests;
