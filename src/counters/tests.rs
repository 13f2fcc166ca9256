//! Counting per policy and outcome, the exactly-once delivery of records, the key cap and the
//! fingerprint; the driver's side (one count per request) is in `driver/tests.rs`.

use portcullis_rulepacks::Bundled;
use portcullis_wire::counters::{CounterRecord, Counts, Mode, NodeFacts, MAX_ENTRIES, MAX_KEYS, OVERFLOW_HOST};

use super::*;
use crate::verdict::VerdictAction::*;

fn key(host: &str, app: &str, mode: Mode) -> Key {
    Key { host: host.to_owned(), application_id: app.to_owned(), mode }
}

fn facts() -> NodeFacts {
    NodeFacts { version: "0.1.0".into(), ruleset_fingerprint: "ab".into(), rule_count: 3, flush_interval_ms: 1000, workers: None }
}

fn traffic() -> Traffic {
    let mut t = Traffic::new("w0".into(), 1_000);
    t.configure(vec![key("*", "", Mode::Block), key("api.example.com", "7", Mode::Monitor)]);
    t
}

fn record(body: &[u8]) -> CounterRecord {
    let r: CounterRecord = serde_json::from_slice(body).unwrap();
    r.validate().unwrap();
    r
}

fn counts_of<'r>(r: &'r CounterRecord, host: &str) -> &'r Counts {
    &r.counters.iter().find(|e| e.host == host).unwrap().counts
}

#[test]
fn counts_go_to_the_policy_and_exactly_one_outcome() {
    let mut t = traffic();
    for a in [Blocked, Passed, Passed, RateLimited, Allowed, Denied] {
        t.count(0, a, false);
    }
    t.count(0, Blocked, true);
    t.count(1, Monitored, false);
    t.count(1, Passed, true); // the body-limit flag only counts with a block
    t.count(9, Passed, false); // unknown index: the default policy
    let (id, body) = t.next_call(3_000, &facts(), 2).unwrap();
    assert_eq!(id, "w0-c0");
    let r = record(&body);
    assert_eq!((r.record_id.as_str(), r.worker.as_str(), r.interval_ms), ("w0-c0", "w0", 2_000));
    assert_eq!(r.time, "1970-01-01T00:00:03.000Z");
    assert_eq!(r.node, facts());
    let d = counts_of(&r, "*");
    assert_eq!(d.values(), [8, 2, 0, 3, 1, 1, 1, 1, 2], "verdicts dropped go on the default policy");
    let api = &r.counters[1];
    assert_eq!((api.application_id.as_str(), api.mode), ("7", Mode::Monitor));
    assert_eq!(api.counts.values(), [2, 0, 1, 1, 0, 0, 0, 0, 0]);
}

#[test]
fn a_record_is_sent_every_interval_even_without_traffic() {
    let mut t = traffic();
    let (id, body) = t.next_call(2_000, &facts(), 0).unwrap();
    assert!(record(&body).counters.is_empty(), "a heartbeat");
    t.sent(1, 2_000);
    assert_eq!(t.answered(1, CounterAnswer::Status(200), 2_100), Some(Delivered::Stored));
    let (next, _) = t.next_call(3_000, &facts(), 0).unwrap();
    assert_eq!((id.as_str(), next.as_str()), ("w0-c0", "w0-c1"));
}

#[test]
fn an_unanswered_record_is_resent_unchanged_and_new_counts_wait() {
    let mut t = traffic();
    t.count(0, Passed, false);
    let (id, body) = t.next_call(2_000, &facts(), 0).unwrap();
    t.sent(1, 2_000);
    assert_eq!(t.next_call(2_500, &facts(), 0), None, "one call in flight");
    assert!(t.is_in_flight(1) && !t.is_in_flight(2));
    assert_eq!(t.answered(2, CounterAnswer::Status(200), 2_500), None, "not our call");
    // The collector is down: no answer, then 503; counts keep coming.
    assert_eq!(t.answered(1, CounterAnswer::Failed, 3_000), Some(Delivered::Retry(None, RETRY_FIRST_WAIT)));
    t.count(0, Blocked, false);
    assert_eq!(t.next_call(3_500, &facts(), 0), None, "not before the wait");
    let again = t.next_call(4_000, &facts(), 0).unwrap();
    assert_eq!(again, (id.clone(), body.clone()), "same id, same bytes");
    t.sent(2, 4_000);
    assert!(matches!(t.answered(2, CounterAnswer::Status(503), 4_100), Some(Delivered::Retry(Some(503), _))));
    // A lost callback does not stop delivery.
    let again = t.next_call(10_000, &facts(), 0).unwrap();
    t.sent(3, 10_000);
    assert_eq!(t.next_call(10_000 + millis(STALE_CALL) - 1, &facts(), 0), None);
    let again2 = t.next_call(10_000 + millis(STALE_CALL), &facts(), 0).unwrap();
    assert_eq!((again.0.as_str(), again2.0.as_str()), (id.as_str(), id.as_str()));
    t.sent(4, 50_000);
    assert_eq!(t.answered(4, CounterAnswer::Status(200), 50_000), Some(Delivered::Stored));
    // The counts of the outage are in the next record, once; the interval covers it.
    let (next, body) = t.next_call(51_000, &facts(), 0).unwrap();
    assert_eq!(next, "w0-c1");
    let r = record(&body);
    assert_eq!(counts_of(&r, "*").values(), [1, 1, 0, 0, 0, 0, 0, 0, 0]);
    assert_eq!(r.interval_ms, 49_000);
}

const RETRY_FIRST_WAIT: Duration = crate::queue::RETRY_FIRST;

#[test]
fn refused_records_are_dropped_and_auth_errors_retry_slowly() {
    let mut t = traffic();
    t.next_call(2_000, &facts(), 0).unwrap();
    t.sent(1, 2_000);
    assert_eq!(t.answered(1, CounterAnswer::Status(401), 2_000), Some(Delivered::Retry(Some(401), SLOW_RETRY)));
    assert_eq!(t.next_call(2_000 + millis(SLOW_RETRY) - 1, &facts(), 0), None);
    t.next_call(2_000 + millis(SLOW_RETRY), &facts(), 0).unwrap();
    t.sent(2, 40_000);
    assert_eq!(t.answered(2, CounterAnswer::Status(400), 40_000), Some(Delivered::Refused(400)));
    assert_eq!(t.next_call(41_000, &facts(), 0).unwrap().0, "w0-c1");
}

#[test]
fn keys_beyond_the_cap_go_to_overflow_entries() {
    let mut t = Traffic::new("w".into(), 0);
    let n = MAX_KEYS + 10;
    t.configure((0..n).map(|i| key(&format!("h{i}"), "", if i % 2 == 0 { Mode::Block } else { Mode::Off })).collect());
    for i in 0..n {
        t.count(i, Passed, false);
    }
    let r = record(&t.next_call(1, &facts(), 0).unwrap().1);
    assert!(r.counters.len() <= MAX_ENTRIES);
    assert_eq!(r.counters.len(), MAX_KEYS + 2);
    let overflow: Vec<_> = r.counters.iter().filter(|e| e.host == OVERFLOW_HOST).collect();
    assert_eq!(overflow.iter().map(|e| e.counts.requests).sum::<u64>(), 10);
    assert_eq!(r.counters.iter().map(|e| e.counts.requests).sum::<u64>(), n as u64);
}

#[test]
fn counts_of_an_old_configuration_are_reported_once() {
    let mut t = traffic();
    t.count(1, Passed, false);
    t.configure(vec![key("*", "", Mode::Block), key("api.example.com", "7", Mode::Monitor), key("new", "", Mode::Block)]);
    t.count(1, Blocked, false);
    let r = record(&t.next_call(1, &facts(), 0).unwrap().1);
    assert_eq!(r.counters.len(), 1, "the same key merges");
    assert_eq!(counts_of(&r, "api.example.com").values(), [2, 1, 0, 1, 0, 0, 0, 0, 0]);
}

#[test]
fn the_fingerprint_is_stable_and_follows_the_rules() {
    let fingerprint = |json: &str| {
        let bundled = Bundled::new();
        let source = Fingerprinting::new(&bundled);
        let plugin = Plugin::build(json.as_bytes(), &source).unwrap();
        (source.finish(&plugin.config), node_facts(&plugin, "").rule_count)
    };
    let a = fingerprint(r#"{"rules":["@builtin"]}"#);
    assert_eq!(a, fingerprint(r#"{"rules":["@builtin"],"mode":"monitor"}"#), "rules, not other settings");
    assert_eq!(a.0.len(), 16);
    assert!(a.1 > 0);
    let b = fingerprint(r#"{"rules":["@builtin","SecRule ARGS \"@rx x\" \"id:1,deny\""]}"#);
    assert_ne!(a.0, b.0);
    assert_eq!(b.1, a.1 + 1);
    let c = fingerprint(r#"{"rules":["@builtin"],"hosts":{"a.example":{"rules":["SecAction \"id:2,pass\""]}}}"#);
    assert_ne!(a.0, c.0);
}
