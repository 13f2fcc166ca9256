use super::*;
use crate::policy::fake::MemorySharedData;

fn rule(json: &str) -> RateLimitRule {
    serde_json::from_str(json).unwrap()
}

/// 5 per minute, burst 5, per source IP.
fn login() -> RateLimitRule {
    rule(r#"{"match": {"path_prefix": "/login", "methods": ["POST"]}, "key": "source_ip", "requests": 5, "per_seconds": 60}"#)
}

fn h(pairs: &[(&str, &str)]) -> Vec<(String, Vec<u8>)> {
    pairs.iter().map(|(n, v)| ((*n).to_owned(), v.as_bytes().to_vec())).collect()
}

const T0: u64 = 1_780_000_000_000;

#[test]
fn serde_and_defaults() {
    let r = login();
    assert_eq!(r.key, RateLimitKey::SourceIp);
    assert_eq!((r.requests, r.per_seconds, r.burst()), (5, 60, 5));
    assert!(r.validate().is_empty());
    let r = rule(r#"{"requests": 1, "per_seconds": 1, "burst": 3, "key": "header:X-Api-Key"}"#);
    assert_eq!(r.key, RateLimitKey::Header("x-api-key".to_owned()));
    assert_eq!(r.key.to_string(), "header:x-api-key");
    assert_eq!(r.matcher, RateLimitMatch::default());
    assert_eq!(r.burst(), 3);
    assert_eq!(rule(r#"{"requests": 1, "per_seconds": 1}"#).key, RateLimitKey::SourceIp);
    assert_eq!(rule(r#"{"requests": 1, "per_seconds": 1, "key": "host"}"#).key, RateLimitKey::Host);
    let err = |json: &str| serde_json::from_str::<RateLimitRule>(json).unwrap_err().to_string();
    assert!(err(r#"{"requests": 1, "per_seconds": 1, "key": "cookie"}"#).contains("unknown key \"cookie\", expected source_ip, header:NAME or host"));
    assert!(err(r#"{"requests": 1, "per_seconds": 1, "key": "header:a b"}"#).contains("\"a b\" is not a header name"));
    assert!(err(r#"{"requests": 1, "per_seconds": 1, "key": "header:"}"#).contains("is not a header name"));
    assert!(err(r#"{"requests": 1, "per_seconds": 1, "limit": 3}"#).contains("unknown field `limit`"));
    assert!(err(r#"{"requests": 1, "per_seconds": 1, "match": {"path": "/"}}"#).contains("unknown field `path`"));
    assert!(err(r#"{"per_seconds": 1}"#).contains("missing field `requests`"));
    assert!(err(r#"{"requests": -1, "per_seconds": 1}"#).contains("invalid value"));
}

#[test]
fn validation_lists_every_problem_by_field() {
    let r = rule(
        r#"{"match": {"path_prefix": "login", "methods": ["POST", "GE T", ""], "host": "a.*.com"},
            "requests": 0, "per_seconds": 86401, "burst": 0}"#,
    );
    assert_eq!(
        r.validate(),
        [
            "requests: must be at least 1",
            "per_seconds: 86401 is over 86400",
            "burst: must be at least 1 (omit it for the default, requests)",
            "match.path_prefix: \"login\" must start with '/'",
            "match.methods[1]: \"GE T\" is not a method (an HTTP token)",
            "match.methods[2]: \"\" is not a method (an HTTP token)",
            "match.host: \"a.*.com\": only one leading wildcard label is allowed (*.example.com)",
        ]
    );
    let r = rule(r#"{"match": {"path_prefix": "/a?b", "methods": [], "host": ""}, "requests": 1000001, "per_seconds": 0, "burst": 2000000}"#);
    assert_eq!(
        r.validate(),
        [
            "requests: 1000001 is over 1000000",
            "per_seconds: must be at least 1",
            "burst: 2000000 is over 1000000",
            "match.path_prefix: \"/a?b\" must be a path only (no query, fragment, spaces or controls)",
            "match.methods: empty (omit it to match every method)",
            "match.host: \"\": empty host name",
        ]
    );
    for host in ["*", "*.", "exa mple.com", "x/y"] {
        let r = RateLimitRule { matcher: RateLimitMatch { host: Some(host.to_owned()), ..RateLimitMatch::default() }, ..login() };
        assert_eq!(r.validate().len(), 1, "{host}");
    }
    for host in ["*.example.com", "API.example.com", "[::1]", "localhost"] {
        let r = RateLimitRule { matcher: RateLimitMatch { host: Some(host.to_owned()), ..RateLimitMatch::default() }, ..login() };
        assert!(r.validate().is_empty(), "{host}");
    }
}

#[test]
fn matching_requests() {
    let r = login();
    let l = Limiter::new("t".to_owned());
    assert!(l.matches(&r, "a.example", b"POST", b"/login"));
    assert!(r.matches("a.example", b"post", b"/login?next=/"), "methods case-insensitive");
    assert!(r.matches("a.example", b"POST", b"/login.php"), "byte prefix, as Envoy's route prefix");
    assert!(r.matches("a.example", b"POST", b"/login/"));
    assert!(!r.matches("a.example", b"GET", b"/login"));
    assert!(!r.matches("a.example", b"POST", b"/logout"));
    assert!(!r.matches("a.example", b"POST", b"/api/login"));
    // Spellings of the same path a backend would resolve are still counted.
    for p in [&b"/%6cogin"[..], b"//login", b"/./login", b"/x/../login", b"/%2flogin", b"/login%3Fx", b"/static/..%2flogin"] {
        assert!(r.matches("h", b"POST", p), "{}", String::from_utf8_lossy(p));
    }
    assert!(!r.matches("h", b"POST", b"/log%in"), "an invalid escape stays as it is");
    assert!(!r.matches("h", b"POST", b""));
    let any = rule(r#"{"requests": 1, "per_seconds": 1}"#);
    assert!(any.matches("", b"", b""));
    let dir = rule(r#"{"match": {"path_prefix": "/admin/"}, "requests": 1, "per_seconds": 1}"#);
    assert!(dir.matches("h", b"GET", b"/admin/"));
    assert!(dir.matches("h", b"GET", b"/admin/x/.."));
    assert!(dir.matches("h", b"GET", b"/admin/."));
    assert!(!dir.matches("h", b"GET", b"/admin"));
    assert!(!dir.matches("h", b"GET", b"/admin/../x"));
    let root = rule(r#"{"match": {"path_prefix": "/"}, "requests": 1, "per_seconds": 1}"#);
    assert!(root.matches("h", b"GET", b"/") && root.matches("h", b"GET", b"*") && root.matches("h", b"GET", b"/.."));
}

#[test]
fn matching_hosts() {
    let exact = rule(r#"{"match": {"host": "API.example.com"}, "requests": 1, "per_seconds": 1}"#);
    assert!(exact.matches("api.example.com", b"GET", b"/"));
    assert!(exact.matches("Api.Example.Com:8443", b"GET", b"/"));
    assert!(exact.matches("api.example.com.", b"GET", b"/"));
    assert!(!exact.matches("x.api.example.com", b"GET", b"/"));
    let wild = rule(r#"{"match": {"host": "*.example.com"}, "requests": 1, "per_seconds": 1}"#);
    assert!(wild.matches("a.example.com", b"GET", b"/"));
    assert!(wild.matches("a.b.EXAMPLE.com:80", b"GET", b"/"));
    assert!(!wild.matches("example.com", b"GET", b"/"));
    assert!(!wild.matches("badexample.com", b"GET", b"/"));
    assert!(!wild.matches(".example.com", b"GET", b"/"));
    let v6 = rule(r#"{"match": {"host": "[::1]"}, "requests": 1, "per_seconds": 1}"#);
    assert!(v6.matches("[::1]:80", b"GET", b"/"));
    assert_eq!(normal_host("[::1]:80"), "[::1]");
    assert_eq!(normal_host("::1"), "::1");
    assert_eq!(normal_host("Host.Example:"), "host.example");
    assert_eq!(normal_host(""), "");
}

#[test]
fn key_values() {
    let ip: IpAddr = "::ffff:198.51.100.7".parse().unwrap();
    let headers = h(&[("x-api-key", "k1"), ("accept", "*/*"), ("X-Api-Key", "k2")]);
    assert_eq!(key_value(&login(), Some(ip), "h", &headers), Some(b"198.51.100.7".to_vec()));
    assert_eq!(key_value(&login(), None, "h", &headers), None);
    let by_header = rule(r#"{"requests": 1, "per_seconds": 1, "key": "header:x-api-key"}"#);
    assert_eq!(by_header.key_value(None, "h", &headers), Some(b"k1,k2".to_vec()));
    assert_eq!(by_header.key_value(None, "h", &h(&[("x-api-key", "")])), Some(Vec::new()));
    assert_eq!(by_header.key_value(Some(ip), "h", &h(&[("accept", "*/*")])), None, "missing header: the rule does not apply");
    let by_host = rule(r#"{"requests": 1, "per_seconds": 1, "key": "host"}"#);
    assert_eq!(by_host.key_value(None, "WWW.Example.com:443", &[]), Some(b"www.example.com".to_vec()));
    assert_eq!(by_host.key_value(None, "", &[]), None);
}

#[test]
fn exactly_burst_pass_then_limited_with_retry_after() {
    let store = MemorySharedData::new();
    let l = Limiter::new("ns".to_owned());
    let r = login();
    for i in 0..5 {
        assert_eq!(l.check(&store, 0, &r, b"198.51.100.7", T0 + i), RateDecision::Allow, "request {i}");
    }
    // One token every 12 s: the 6th request right after waits 12 s.
    assert_eq!(l.check(&store, 0, &r, b"198.51.100.7", T0 + 5), RateDecision::Limited { retry_after_secs: 12 });
    assert_eq!(l.check(&store, 0, &r, b"198.51.100.7", T0 + 6_000), RateDecision::Limited { retry_after_secs: 6 });
    assert_eq!(l.check(&store, 0, &r, b"198.51.100.7", T0 + 11_001), RateDecision::Limited { retry_after_secs: 1 }, "rounded up");
    // Refill: the first token came back 12 s after the first request.
    assert_eq!(l.check(&store, 0, &r, b"198.51.100.7", T0 + 12_000), RateDecision::Allow);
    assert_eq!(l.check(&store, 0, &r, b"198.51.100.7", T0 + 12_001), RateDecision::Limited { retry_after_secs: 12 });
    // After a full minute the bucket is full again, no more than burst.
    let later = T0 + 200_000;
    for _ in 0..5 {
        assert_eq!(l.check(&store, 0, &r, b"198.51.100.7", later), RateDecision::Allow);
    }
    assert!(matches!(l.check(&store, 0, &r, b"198.51.100.7", later), RateDecision::Limited { .. }));
    // The keys are namespaced, per rule index and set.
    assert!(store.keys().iter().all(|k| k.starts_with("portcullis/rl/ns/0/")), "{:?}", store.keys());
    assert_eq!(store.keys().len(), 1);
}

#[test]
fn twenty_posts_five_per_minute_alternating_workers() {
    // Issue #11 point 9 in miniature: two workers (two Limiters, one store).
    let store = MemorySharedData::new();
    let workers = [Limiter::new("cfg".to_owned()), Limiter::new("cfg".to_owned())];
    let r = login();
    let mut allowed = 0;
    let mut limited = 0;
    for i in 0..20u64 {
        match workers[(i % 2) as usize].check(&store, 0, &r, b"203.0.113.1", T0 + i * 50) {
            RateDecision::Allow => allowed += 1,
            RateDecision::Limited { retry_after_secs } => {
                assert!((1..=12).contains(&retry_after_secs));
                limited += 1;
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!((allowed, limited), (5, 15));
    assert_eq!(workers[1].check(&store, 0, &r, b"203.0.113.2", T0 + 1000), RateDecision::Allow, "another IP is unaffected");
    // Another namespace (another configuration) has its own buckets.
    assert_eq!(Limiter::new("other".to_owned()).check(&store, 0, &r, b"203.0.113.1", T0 + 1000), RateDecision::Allow);
}

#[test]
fn keys_and_rules_are_independent() {
    let store = MemorySharedData::new();
    let l = Limiter::new("ns".to_owned());
    let one = rule(r#"{"requests": 1, "per_seconds": 10}"#);
    assert_eq!(l.check(&store, 0, &one, b"a", T0), RateDecision::Allow);
    assert_eq!(l.check(&store, 0, &one, b"a", T0), RateDecision::Limited { retry_after_secs: 10 });
    assert_eq!(l.check(&store, 0, &one, b"b", T0), RateDecision::Allow);
    assert_eq!(l.check(&store, 1, &one, b"a", T0), RateDecision::Allow, "rule 1 has its own table");
    assert_eq!(l.check(&store, 0, &one, b"b", T0 + 9_999), RateDecision::Limited { retry_after_secs: 1 });
    assert_eq!(l.check(&store, 0, &one, b"b", T0 + 10_000), RateDecision::Allow);
}

#[test]
fn slow_and_fast_rates_are_exact() {
    let store = MemorySharedData::new();
    let l = Limiter::new("ns".to_owned());
    // One per day: requests every second never refill it early.
    let daily = rule(r#"{"requests": 1, "per_seconds": 86400}"#);
    assert_eq!(l.check(&store, 0, &daily, b"k", T0), RateDecision::Allow);
    for s in 1..100 {
        assert!(matches!(l.check(&store, 0, &daily, b"k", T0 + s * 1000), RateDecision::Limited { .. }));
    }
    assert_eq!(l.check(&store, 0, &daily, b"k", T0 + 1000), RateDecision::Limited { retry_after_secs: 86_399 });
    assert_eq!(l.check(&store, 0, &daily, b"k", T0 + 86_400_000), RateDecision::Allow);
    // 7 per 3 s, burst 1: one token every 428.57 ms.
    let odd = rule(r#"{"requests": 7, "per_seconds": 3, "burst": 1}"#);
    let mut allowed = 0;
    for ms in 0..3000 {
        if l.check(&store, 1, &odd, b"k", T0 + ms) == RateDecision::Allow {
            allowed += 1;
        }
    }
    assert_eq!(allowed, 7, "the first at once, then six refills within 3 s (at 428.6 ms each)");
    // A large rate: a million per second with a burst of 10.
    let fast = rule(r#"{"requests": 1000000, "per_seconds": 1, "burst": 10}"#);
    for _ in 0..10 {
        assert_eq!(l.check(&store, 2, &fast, b"k", T0), RateDecision::Allow);
    }
    assert_eq!(l.check(&store, 2, &fast, b"k", T0), RateDecision::Limited { retry_after_secs: 1 });
    assert_eq!(l.check(&store, 2, &fast, b"k", T0 + 1), RateDecision::Allow);
}

#[test]
fn clock_going_back_adds_nothing_and_removes_nothing() {
    let store = MemorySharedData::new();
    let l = Limiter::new("ns".to_owned());
    let r = rule(r#"{"requests": 2, "per_seconds": 10}"#);
    assert_eq!(l.check(&store, 0, &r, b"k", T0), RateDecision::Allow);
    // A worker whose clock is behind: no refill, the stored time is kept.
    assert_eq!(l.check(&store, 0, &r, b"k", T0 - 5_000), RateDecision::Allow);
    assert!(matches!(l.check(&store, 0, &r, b"k", T0 - 5_000), RateDecision::Limited { .. }));
    assert_eq!(l.check(&store, 0, &r, b"k", T0 + 5_000), RateDecision::Allow);
    assert_eq!(l.check(&store, 0, &r, b"k", 0), RateDecision::Limited { retry_after_secs: 5 });
}

#[test]
fn cas_contention_retries_then_fails_open() {
    let store = MemorySharedData::new();
    let l = Limiter::new("ns".to_owned());
    let r = rule(r#"{"requests": 3, "per_seconds": 60}"#);
    assert_eq!(l.check(&store, 0, &r, b"k", T0), RateDecision::Allow, "creates the set");
    store.fail_next_cas.set(CAS_TRIES - 1);
    assert_eq!(l.check(&store, 0, &r, b"k", T0), RateDecision::Allow, "wins on the last try");
    assert_eq!(store.fail_next_cas.get(), 0);
    store.fail_next_cas.set(CAS_TRIES);
    assert_eq!(l.check(&store, 0, &r, b"k", T0), RateDecision::Contended);
    // The lost tries took nothing: one token is left.
    assert_eq!(l.check(&store, 0, &r, b"k", T0), RateDecision::Allow);
    assert!(matches!(l.check(&store, 0, &r, b"k", T0), RateDecision::Limited { .. }));
}

#[test]
fn limited_requests_write_nothing() {
    let store = MemorySharedData::new();
    let l = Limiter::new("ns".to_owned());
    let r = rule(r#"{"requests": 1, "per_seconds": 60}"#);
    assert_eq!(l.check(&store, 0, &r, b"k", T0), RateDecision::Allow);
    let writes = store.writes.get();
    for _ in 0..10 {
        assert!(matches!(l.check(&store, 0, &r, b"k", T0), RateDecision::Limited { .. }));
    }
    assert_eq!(store.writes.get(), writes);
}

/// Keys of one rule that land in the same set as `first`.
fn same_set(l: &Limiter, first: &[u8], n: usize) -> Vec<Vec<u8>> {
    let set_of = |k: &[u8]| (mix(fnv1a(l.seed, k)) >> 40) as usize % SETS_PER_RULE;
    let target = set_of(first);
    (0u32..).map(|i| format!("key-{i}").into_bytes()).filter(|k| set_of(k) == target && k != first).take(n).collect()
}

#[test]
fn a_full_set_fails_open_and_idle_slots_are_reused() {
    let store = MemorySharedData::new();
    let l = Limiter::new("ns".to_owned());
    let r = rule(r#"{"requests": 1, "per_seconds": 60}"#);
    let keys = same_set(&l, b"first", WAYS);
    assert_eq!(l.check(&store, 0, &r, b"first", T0), RateDecision::Allow);
    for k in &keys[..WAYS - 1] {
        assert_eq!(l.check(&store, 0, &r, k, T0), RateDecision::Allow);
    }
    assert_eq!(store.keys().len(), 1, "one set holds them all");
    // Four live buckets of other keys: the fifth key is not limited, TableFull.
    let fifth = &keys[WAYS - 1];
    assert_eq!(l.check(&store, 0, &r, fifth, T0 + 1), RateDecision::TableFull);
    assert_eq!(l.check(&store, 0, &r, fifth, T0 + 2), RateDecision::TableFull);
    // The held keys keep their buckets.
    assert!(matches!(l.check(&store, 0, &r, b"first", T0 + 3), RateDecision::Limited { .. }));
    // Once a bucket is full again (60 s later) its slot is free for the new key.
    assert_eq!(l.check(&store, 0, &r, fifth, T0 + 60_000), RateDecision::Allow);
    assert!(matches!(l.check(&store, 0, &r, fifth, T0 + 60_001), RateDecision::Limited { .. }));
}

#[test]
fn ill_formed_stored_values_are_empty_sets() {
    let r = rule(r#"{"requests": 2, "per_seconds": 60}"#);
    let l = Limiter::new("ns".to_owned());
    let probe = MemorySharedData::new();
    assert_eq!(l.check(&probe, 0, &r, b"k", T0), RateDecision::Allow);
    let key = probe.keys().remove(0);
    for junk in [&b""[..], b"x", &[0xff; SET_BYTES - 1], &[0xff; SET_BYTES + 1], &[0u8; 1000]] {
        let store = MemorySharedData::new();
        store.put(&key, junk);
        assert_eq!(l.check(&store, 0, &r, b"k", T0), RateDecision::Allow);
        assert_eq!(l.check(&store, 0, &r, b"k", T0), RateDecision::Allow);
        assert!(matches!(l.check(&store, 0, &r, b"k", T0), RateDecision::Limited { .. }));
    }
    // Right size, absurd contents (tokens over capacity, times in the future, all slots
    // claimed by fingerprints 0xff..): never a panic, never more than the burst.
    let store = MemorySharedData::new();
    store.put(&key, &[0xff; SET_BYTES]);
    let mut allowed = 0;
    for i in 0..10 {
        match l.check(&store, 0, &r, b"k", T0 + i) {
            RateDecision::Allow => allowed += 1,
            RateDecision::Limited { .. } | RateDecision::TableFull => {}
            RateDecision::Contended => panic!("no contention here"),
        }
    }
    assert!(allowed <= 2, "{allowed}");
    // An invalid (unvalidated) rule does not panic either.
    let zero = RateLimitRule { requests: 0, per_seconds: 0, burst: Some(0), ..r };
    assert_eq!(l.check(&MemorySharedData::new(), 0, &zero, b"k", T0), RateDecision::Allow);
}

#[test]
fn encoding_round_trips() {
    let slots = [
        Slot { fingerprint: 1, tokens: 2, refilled_ms: 3 },
        Slot::default(),
        Slot { fingerprint: u64::MAX, tokens: u64::MAX, refilled_ms: u64::MAX },
        Slot { fingerprint: 7, tokens: 0, refilled_ms: T0 },
    ];
    let bytes = encode(&slots);
    assert_eq!(bytes.len(), SET_BYTES);
    assert_eq!(decode(&bytes), slots);
}

#[test]
fn keys_spread_over_sets() {
    let l = Limiter::new("ns".to_owned());
    let mut counts = vec![0u32; SETS_PER_RULE];
    for i in 0..(SETS_PER_RULE * 16) as u32 {
        let ip = std::net::Ipv4Addr::from(0x0a00_0000 + i).to_string();
        counts[(mix(fnv1a(l.seed, ip.as_bytes())) >> 40) as usize % SETS_PER_RULE] += 1;
    }
    let max = counts.iter().max().copied().unwrap_or(0);
    assert!(max < 45, "16 per set on average, the fullest has {max}");
}
