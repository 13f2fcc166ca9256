//! Driver tests on a fake host with the real engine. Tests named `engine_*`
//! depend on rule matching; the others test the filter's own plumbing.

use std::collections::HashMap;
use std::rc::Rc;

use portcullis_rulepacks::Bundled;

use super::fake::{FakeHost, Reply};
use super::*;

impl FakeHost {
    fn get(path: &str) -> FakeHost {
        FakeHost::request("GET", path, &[])
    }

    fn request(method: &str, path: &str, headers: &[(&str, &str)]) -> FakeHost {
        let mut h = vec![
            (":method".to_owned(), method.as_bytes().to_vec()),
            (":path".to_owned(), path.as_bytes().to_vec()),
            (":authority".to_owned(), b"shop.example.com".to_vec()),
            (":scheme".to_owned(), b"http".to_vec()),
            ("user-agent".to_owned(), b"curl/8".to_vec()),
        ];
        h.extend(headers.iter().map(|(n, v)| ((*n).to_owned(), v.as_bytes().to_vec())));
        let mut properties = HashMap::new();
        properties.insert("source.address".to_owned(), b"10.0.0.5:43210".to_vec());
        properties.insert("destination.address".to_owned(), b"127.0.0.1:10000".to_vec());
        properties.insert("request.protocol".to_owned(), b"HTTP/1.1".to_vec());
        FakeHost {
            request_headers: h,
            response_headers: vec![(":status".to_owned(), b"200".to_vec()), ("content-type".to_owned(), b"text/html".to_vec())],
            properties,
            ..FakeHost::default()
        }
    }

    fn count_of(&self, name: &str) -> u64 {
        self.counters.borrow().get(name).copied().unwrap_or(0)
    }

    fn replies(&self) -> Vec<Reply> {
        self.replies.borrow().clone()
    }
}

fn plugin(json: &str) -> Rc<Plugin> {
    match Plugin::build(json.as_bytes(), &Bundled::new()) {
        Ok(p) => Rc::new(p),
        Err(e) => panic!("plugin config refused:\n{}", e.join("\n")),
    }
}

const LOG_ALL: &str = r#""verdict_log":{"cluster":"logs","include":"all"}"#;
/// Rules that read the request body (ModSecurity's default is not to).
const BODY: &str = r#""rules":["SecRequestBodyAccess On"]"#;

fn record(line: &str) -> serde_json::Value {
    serde_json::from_str(line).unwrap()
}

/// Run a whole exchange: headers, body in one chunk, response, log.
fn exchange(d: &mut Driver, h: &FakeHost) -> (Vec<Step>, Option<String>) {
    let body = h.request_body.borrow().clone();
    let mut steps = vec![d.on_request_headers(h, body.is_empty())];
    if !body.is_empty() {
        steps.push(d.on_request_body(h, body.len(), true));
    }
    if d.replied().is_none() {
        steps.push(d.on_response_headers(h, true));
    }
    (steps, d.on_log(h))
}

#[test]
fn get_without_body_runs_to_the_end_and_logs_all() {
    let p = plugin(&format!(r#"{{"application_id":7,{LOG_ALL}}}"#));
    let h = FakeHost::request("GET", "/version?a=1", &[("x-request-id", "req-1")]);
    let mut d = Driver::new(Rc::clone(&p), 1);
    let (steps, line) = exchange(&mut d, &h);
    assert_eq!(steps, [Step::Continue, Step::Continue]);
    assert!(h.replies().is_empty());
    let v = record(&line.expect("include=all logs every request"));
    assert_eq!(v["unique_id"], "req-1");
    assert_eq!(v["application_id"], 7);
    assert_eq!(v["host"], "shop.example.com");
    assert_eq!(v["method"], "GET");
    assert_eq!(v["path"], "/version?a=1");
    assert_eq!(v["source_ip"], "10.0.0.5");
    assert_eq!(v["status"], 200);
    assert_eq!(v["action"], "passed");
    assert_eq!(v["mode"], "block");
    assert_eq!(v["time"], "2026-11-25T22:08:02.123Z");
    assert_eq!(h.count_of("portcullis.requests"), 1);
    assert_eq!(p.pooled(), 1, "the transaction went back to the pool");
}

#[test]
fn attacks_only_logs_nothing_for_a_clean_request() {
    let p = plugin(r#"{"verdict_log":{"cluster":"logs"}}"#);
    let h = FakeHost::get("/");
    let mut d = Driver::new(p, 1);
    assert_eq!(exchange(&mut d, &h).1, None);
}

#[test]
fn body_is_held_until_end_of_stream() {
    let p = plugin(&format!("{{{BODY}}}"));
    let h = FakeHost::request("POST", "/form", &[("content-type", "application/x-www-form-urlencoded")]);
    *h.request_body.borrow_mut() = b"a=1&b=2".to_vec();
    let mut d = Driver::new(p, 1);
    assert_eq!(d.on_request_headers(&h, false), Step::Continue, "headers go on (the host cannot hold them)");
    assert_eq!(d.on_request_body(&h, 3, false), Step::Pause);
    assert_eq!(d.on_request_body(&h, 7, true), Step::Continue);
    assert_eq!(d.on_request_body(&h, 7, true), Step::Continue, "after phase 2 data flows");
    assert!(h.replies().is_empty());
}

#[test]
fn trailers_end_the_body() {
    let p = plugin(&format!("{{{BODY}}}"));
    let h = FakeHost::request("POST", "/grpc", &[]);
    *h.request_body.borrow_mut() = b"payload".to_vec();
    let mut d = Driver::new(p, 1);
    assert_eq!(d.on_request_headers(&h, false), Step::Continue);
    assert_eq!(d.on_request_body(&h, 7, false), Step::Pause);
    assert_eq!(d.on_request_trailers(&h), Step::Continue);
}

#[test]
fn body_over_limit_is_rejected_with_413_once() {
    let p = plugin(&format!(r#"{{{BODY},"request_body_limit":8,"block_response":{{"body":"blocked %{{unique_id}}","content_type":"text/plain"}},{LOG_ALL}}}"#));
    let h = FakeHost::request("POST", "/upload", &[("x-request-id", "big-1")]);
    *h.request_body.borrow_mut() = vec![b'x'; 20];
    let mut d = Driver::new(p, 1);
    assert_eq!(d.on_request_headers(&h, false), Step::Continue);
    assert_eq!(d.on_request_body(&h, 5, false), Step::Pause);
    assert_eq!(d.on_request_body(&h, 20, false), Step::Pause);
    assert_eq!(d.on_request_body(&h, 20, true), Step::Pause, "no second reply");
    let replies = h.replies();
    assert_eq!(replies.len(), 1);
    assert_eq!(replies[0].0, 413);
    assert_eq!(replies[0].2, b"blocked big-1");
    assert!(replies[0].1.contains(&("content-type".to_owned(), "text/plain".to_owned())));
    // Our own reply passes the encoder path untouched.
    assert_eq!(d.on_response_headers(&h, false), Step::Continue);
    let v = record(&d.on_log(&h).unwrap());
    assert_eq!((v["action"].as_str(), v["status"].as_i64()), (Some("blocked"), Some(413)));
    assert_eq!(h.count_of("portcullis.body_limit_rejects"), 1);
    assert_eq!(h.count_of("portcullis.blocked"), 1);
}

#[test]
fn body_over_limit_with_process_partial_continues() {
    let p = plugin(&format!(r#"{{{BODY},"request_body_limit":8,"request_body_limit_action":"process_partial"}}"#));
    let h = FakeHost::request("POST", "/upload", &[]);
    *h.request_body.borrow_mut() = vec![b'x'; 20];
    let mut d = Driver::new(p, 1);
    assert_eq!(d.on_request_headers(&h, false), Step::Continue);
    assert_eq!(d.on_request_body(&h, 20, false), Step::Continue, "prefix inspected, the rest streams");
    assert_eq!(d.on_request_body(&h, 20, true), Step::Continue);
    assert!(h.replies().is_empty());
}

#[test]
fn monitor_mode_never_rejects_a_big_body_but_says_monitored() {
    let p = plugin(&format!(r#"{{"mode":"monitor",{BODY},"request_body_limit":4,{LOG_ALL}}}"#));
    let h = FakeHost::request("POST", "/upload", &[]);
    *h.request_body.borrow_mut() = vec![b'x'; 10];
    let mut d = Driver::new(p, 1);
    let (steps, line) = exchange(&mut d, &h);
    assert_eq!(steps, [Step::Continue, Step::Continue, Step::Continue]);
    assert!(h.replies().is_empty());
    let v = record(&line.unwrap());
    assert_eq!((v["action"].as_str(), v["mode"].as_str()), (Some("monitored"), Some("monitor")));
    assert_eq!(h.count_of("portcullis.monitored"), 1);
}

#[test]
fn body_is_not_buffered_when_the_rules_do_not_read_it() {
    let p = plugin(r#"{"rules":["SecRequestBodyAccess Off"],"request_body_limit":4}"#);
    let h = FakeHost::request("POST", "/upload", &[]);
    let mut d = Driver::new(p, 1);
    assert_eq!(d.on_request_headers(&h, false), Step::Continue);
    assert_eq!(d.on_request_body(&h, 100, false), Step::Continue, "phase 2 already ran: stream it");
    assert!(h.replies().is_empty());
}

#[test]
fn mode_off_does_nothing() {
    let p = plugin(&format!(r#"{{"mode":"off",{LOG_ALL}}}"#));
    assert!(p.rule_sets().is_empty());
    let h = FakeHost::request("POST", "/", &[]);
    *h.request_body.borrow_mut() = vec![b'x'; 1 << 20];
    let mut d = Driver::new(p, 1);
    assert_eq!(d.on_request_headers(&h, false), Step::Continue);
    assert_eq!(d.on_request_body(&h, 1 << 20, true), Step::Continue);
    assert_eq!(d.on_response_headers(&h, true), Step::Continue);
    assert_eq!(d.on_log(&h), None);
    assert_eq!(h.count_of("portcullis.requests"), 0);
}

#[test]
fn generated_id_when_x_request_id_is_missing_or_unsafe() {
    let p = plugin(&format!("{{{LOG_ALL}}}"));
    let h = FakeHost::request("GET", "/", &[("x-request-id", "bad\"id")]);
    let mut d = Driver::new(p, 0x2a);
    let v = record(&exchange(&mut d, &h).1.unwrap());
    let id = v["unique_id"].as_str().unwrap();
    assert!(id.ends_with("-2a") && !id.contains('"'), "{id}");
}

#[test]
fn split_addresses() {
    assert_eq!(split_address(b"10.0.0.5:43210"), ("10.0.0.5".to_owned(), 43210));
    assert_eq!(split_address(b"[::1]:8080"), ("::1".to_owned(), 8080));
    assert_eq!(split_address(b"::1"), ("::1".to_owned(), 0));
    assert_eq!(split_address(b"10.0.0.5"), ("10.0.0.5".to_owned(), 0));
    assert_eq!(split_address(b""), (String::new(), 0));
}

#[test]
fn pool_reuses_transactions() {
    let p = plugin("{}");
    for i in 0..3 {
        let h = FakeHost::get("/");
        let mut d = Driver::new(Rc::clone(&p), i);
        exchange(&mut d, &h);
    }
    assert_eq!(p.pooled(), 1);
}

// --- These depend on rule matching. ---

const INLINE: &str = r#""rules":["SecRequestBodyAccess On","SecRule ARGS \"@contains attack\" \"id:1,phase:2,deny,status:403,log,msg:'attack word',tag:'attack-generic'\""]"#;

#[test]
fn engine_inline_rule_blocks_query_arg_before_the_backend() {
    let p = plugin(&format!(r#"{{"application_id":"shop",{INLINE},{LOG_ALL}}}"#));
    let h = FakeHost::request("GET", "/?q=attack", &[("x-request-id", "blk-1")]);
    let mut d = Driver::new(p, 1);
    let (steps, line) = exchange(&mut d, &h);
    assert_eq!(steps, [Step::Pause]);
    let replies = h.replies();
    assert_eq!(replies.len(), 1, "one local reply");
    assert_eq!(replies[0].0, 403);
    assert_eq!(String::from_utf8_lossy(&replies[0].2), r#"{"error":"request blocked","id":"blk-1"}"#);
    let v = record(&line.unwrap());
    assert_eq!(v["action"], "blocked");
    assert_eq!(v["matched"][0]["id"], 1);
    assert_eq!(v["attack_types"][0], "generic");
    assert_eq!(h.count_of("portcullis.rule_matches.rule.1.app.shop.host.default.action.blocked"), 1);
    let log = h.log.borrow();
    assert!(log[0].starts_with("ModSecurity: Access denied"), "{log:?}");
    assert!(log[0].contains("[id \"1\"]") && log[0].contains("[unique_id \"blk-1\"]"), "{log:?}");
}

#[test]
fn engine_inline_rule_blocks_body_arg() {
    let p = plugin(&format!(r#"{{{INLINE}}}"#));
    let h = FakeHost::request("POST", "/form", &[("content-type", "application/x-www-form-urlencoded")]);
    *h.request_body.borrow_mut() = b"name=attack".to_vec();
    let mut d = Driver::new(p, 1);
    assert_eq!(d.on_request_headers(&h, false), Step::Continue);
    assert_eq!(d.on_request_body(&h, 11, true), Step::Pause);
    assert_eq!(h.replies().first().map(|r| r.0), Some(403));
}

#[test]
fn engine_block_status_from_config_overrides_the_rule() {
    let p = plugin(&format!(r#"{{{INLINE},"block_response":{{"status":451}}}}"#));
    let h = FakeHost::get("/?q=attack");
    let mut d = Driver::new(p, 1);
    d.on_request_headers(&h, true);
    assert_eq!(h.replies().first().map(|r| r.0), Some(451));
}

#[test]
fn engine_monitor_mode_lets_it_through_and_says_monitored() {
    let p = plugin(&format!(r#"{{"mode":"monitor",{INLINE},{LOG_ALL}}}"#));
    let h = FakeHost::get("/?q=attack");
    let mut d = Driver::new(p, 1);
    let (steps, line) = exchange(&mut d, &h);
    assert_eq!(steps, [Step::Continue, Step::Continue]);
    assert!(h.replies().is_empty());
    let v = record(&line.unwrap());
    assert_eq!(v["action"], "monitored");
    assert_eq!(v["matched"][0]["id"], 1);
}

#[test]
fn engine_bad_inline_rule_is_refused_with_position() {
    let err = Plugin::build(br#"{"rules":["SecRule ARGS \"@nosuchop x\" \"id:1,deny\""]}"#, &Bundled::new()).unwrap_err();
    assert!(err.iter().any(|e| e.contains("<rules[0]>:1:")), "{err:?}");
}

#[test]
fn engine_response_body_is_buffered_and_phase_4_blocks() {
    let p = plugin(
        r#"{"rules":["SecResponseBodyAccess On","SecResponseBodyMimeType text/html",
             "SecRule RESPONSE_BODY \"@contains secret\" \"id:2,phase:4,deny,status:403,log\""]}"#,
    );
    let h = FakeHost::get("/page");
    *h.response_body.borrow_mut() = b"<p>the secret</p>".to_vec();
    let mut d = Driver::new(p, 1);
    assert_eq!(d.on_request_headers(&h, true), Step::Continue);
    assert_eq!(d.on_response_headers(&h, false), Step::Continue);
    assert_eq!(d.on_response_body(&h, 8, false), Step::Pause, "buffer until the end");
    assert_eq!(d.on_response_body(&h, 17, true), Step::Pause);
    assert_eq!(h.replies().first().map(|r| r.0), Some(403));
}

#[test]
fn engine_response_without_body_access_streams() {
    let p = plugin(r#"{"rules":["SecRule RESPONSE_STATUS \"@streq 500\" \"id:3,phase:3,deny,status:502,log\""]}"#);
    let h = FakeHost::get("/page");
    let mut d = Driver::new(p, 1);
    d.on_request_headers(&h, true);
    assert_eq!(d.on_response_headers(&h, false), Step::Continue);
    assert_eq!(d.on_response_body(&h, 100, false), Step::Continue);
    assert!(h.replies().is_empty());
}


/// A streaming backend answers before the request body is complete: its
/// response headers wait, the request is decided with its whole body, and
/// the response goes on only if the request passed.
#[test]
fn engine_response_headers_wait_for_the_request_body() {
    let p = plugin(r#"{"rules":["SecRequestBodyAccess On","SecRule ARGS \"@contains attack\" \"id:5,phase:2,deny,status:403\""]}"#);
    for (body, blocked) in [(&b"name=an+attack"[..], true), (&b"name=alice"[..], false)] {
        let h = FakeHost::request("POST", "/stream", &[("content-type", "application/x-www-form-urlencoded")]);
        let mut d = Driver::new(Rc::clone(&p), 1);
        assert_eq!(d.on_request_headers(&h, false), Step::Continue);
        // The first part of the body, then the backend's headers.
        h.request_body.borrow_mut().extend_from_slice(&body[..4]);
        assert_eq!(d.on_request_body(&h, 4, false), Step::Pause);
        assert_eq!(d.on_response_headers(&h, false), Step::Pause, "held while the request body is read");
        h.request_body.borrow_mut().extend_from_slice(&body[4..]);
        let step = d.on_request_body(&h, body.len(), true);
        if blocked {
            assert_eq!(step, Step::Pause);
            assert_eq!(h.replies().first().map(|r| r.0), Some(403));
            assert_eq!(h.resumed_responses.get(), 0, "a refused request's response stays held");
        } else {
            assert_eq!(step, Step::Continue);
            assert!(h.replies().is_empty());
            assert_eq!(h.resumed_responses.get(), 1, "the response goes on once the request passed");
            assert_eq!(d.on_response_body(&h, 0, true), Step::Continue);
        }
        d.on_log(&h);
    }
}

/// CONNECT and an accepted upgrade stream tunnel data after their headers,
/// not a request body: the request is decided at the headers (no invented
/// `Transfer-Encoding`), and the backend's answer is not held waiting for a
/// body end that only comes after it.
#[test]
fn engine_tunnel_requests_have_no_body_to_wait_for() {
    let p = plugin(
        r#"{"rules":["SecRequestBodyAccess On","SecRule &REQUEST_HEADERS:Transfer-Encoding \"@gt 0\" \"id:6,phase:1,deny,status:403\""]}"#,
    );
    let connect = FakeHost::request("CONNECT", "", &[]);
    let websocket = FakeHost::request("GET", "/chat", &[("connection", "upgrade"), ("upgrade", "websocket")]);
    for h in [connect, websocket] {
        let mut d = Driver::new(Rc::clone(&p), 1);
        assert_eq!(d.on_request_headers(&h, false), Step::Continue);
        assert!(h.replies().is_empty(), "no Transfer-Encoding was made up");
        assert_eq!(d.on_response_headers(&h, false), Step::Continue, "the answer is not held");
        assert_eq!(h.resumed_responses.get(), 0);
        d.on_log(&h);
    }
}

fn from(h: FakeHost, source: &str) -> FakeHost {
    let mut h = h;
    h.properties.insert("source.address".to_owned(), source.as_bytes().to_vec());
    h
}

#[test]
fn denied_sources_get_the_block_response_in_monitor_mode_too() {
    let p = plugin(&format!(r#"{{"mode":"monitor","ip_deny":["203.0.113.0/24"],{LOG_ALL}}}"#));
    let h = from(FakeHost::get("/version"), "203.0.113.9:5000");
    let mut d = Driver::new(Rc::clone(&p), 1);
    let (steps, line) = exchange(&mut d, &h);
    assert_eq!(steps, [Step::Pause]);
    assert_eq!(h.replies()[0].0, 403);
    let v = record(&line.unwrap());
    assert_eq!((v["action"].as_str(), v["source_ip"].as_str()), (Some("denied"), Some("203.0.113.9")));
    assert_eq!(h.count_of("portcullis.denied"), 1);
    // Another source is only monitored.
    let h = from(FakeHost::get("/?file=../../etc/passwd"), "198.51.100.1:5000");
    let mut d = Driver::new(p, 2);
    exchange(&mut d, &h);
    assert!(h.replies().is_empty());
}

#[test]
fn allowed_sources_are_not_inspected() {
    let p = plugin(&format!(r#"{{"ip_allow":["2001:db8::/32"],{LOG_ALL}}}"#));
    let h = from(FakeHost::get("/?file=../../etc/passwd"), "[2001:db8::7]:443");
    let mut d = Driver::new(p, 1);
    let (_, line) = exchange(&mut d, &h);
    assert!(h.replies().is_empty());
    assert_eq!(record(&line.unwrap())["action"], "allowed");
    assert_eq!(h.count_of("portcullis.allowed"), 1);
}

#[test]
fn rate_limit_is_shared_by_workers_and_per_key() {
    let p = plugin(r#"{"rate_limits":[{"match":{"path_prefix":"/login","methods":["POST"]},"key":"source_ip","requests":5,"per_seconds":60}]}"#);
    let shared = Rc::new(crate::policy::fake::MemorySharedData::new());
    let mut limited = 0;
    for i in 0..20u32 {
        let mut h = from(FakeHost::request("POST", "/login", &[]), "10.0.0.1:1000");
        h.shared = Rc::clone(&shared); // one store: two "workers" alternate below
        let mut d = Driver::new(Rc::clone(&p), i % 2 + 1);
        d.on_request_headers(&h, true);
        if let Some((status, headers, _)) = h.replies().first() {
            assert_eq!(*status, 429);
            assert!(headers.iter().any(|(n, v)| n == "retry-after" && v.parse::<u32>().is_ok_and(|s| (1..=60).contains(&s))));
            limited += 1;
        }
    }
    assert_eq!(limited, 15, "exactly 5 of 20 pass");
    // Another source and another path are not limited.
    for (path, src) in [("/login", "10.0.0.2:1"), ("/other", "10.0.0.1:1")] {
        let mut h = from(FakeHost::request("POST", path, &[]), src);
        h.shared = Rc::clone(&shared);
        let mut d = Driver::new(Rc::clone(&p), 9);
        d.on_request_headers(&h, true);
        assert!(h.replies().is_empty(), "{path} from {src}");
    }
}

#[test]
fn x_forwarded_for_only_with_trusted_hops() {
    let xff = [("x-forwarded-for", "203.0.113.50, 10.0.0.9")];
    let deny = r#""ip_deny":["203.0.113.50"],"verdict_log":{"cluster":"logs","include":"all"}"#;
    // Not configured: the header changes nothing.
    let p = plugin(&format!("{{{deny}}}"));
    let h = from(FakeHost::request("GET", "/", &xff), "192.0.2.1:1");
    let mut d = Driver::new(p, 1);
    let (_, line) = exchange(&mut d, &h);
    assert!(h.replies().is_empty());
    assert_eq!(record(&line.unwrap())["source_ip"], "192.0.2.1");
    // One trusted proxy: the client is the address it appended, left of
    // the one Envoy appended (10.0.0.9).
    let p = plugin(&format!(r#"{{"client_ip":{{"from":"x_forwarded_for","trusted_hops":1}},{deny}}}"#));
    let h = from(FakeHost::request("GET", "/", &xff), "192.0.2.1:1");
    let mut d = Driver::new(p, 1);
    let (_, line) = exchange(&mut d, &h);
    assert_eq!(h.replies()[0].0, 403);
    assert_eq!(record(&line.unwrap())["source_ip"], "203.0.113.50");
}

#[test]
fn safe_block_blocks_only_graylisted_sources() {
    let p = plugin(&format!(r#"{{"mode":"safe_block","ip_graylist":["198.51.100.0/24"],{LOG_ALL}}}"#));
    let attack = "/?file=../../etc/passwd";
    let h = from(FakeHost::get(attack), "198.51.100.7:1");
    let mut d = Driver::new(Rc::clone(&p), 1);
    let (_, line) = exchange(&mut d, &h);
    assert_eq!(h.replies()[0].0, 403);
    assert_eq!(record(&line.unwrap())["mode"], "safe_block");
    let h = from(FakeHost::get(attack), "192.0.2.7:1");
    let mut d = Driver::new(p, 2);
    let (_, line) = exchange(&mut d, &h);
    assert!(h.replies().is_empty());
    let v = record(&line.unwrap());
    assert_eq!((v["action"].as_str(), v["mode"].as_str()), (Some("monitored"), Some("safe_block")));
}

#[test]
fn hosts_share_one_compiled_rule_set() {
    let p = plugin(r#"{"rules":["@builtin"],"hosts":{"a.example":{"mode":"monitor"},"b.example":{"application_id":3},"*.c.example":{"rules":["@builtin","SecAction \"id:1,phase:1,pass,nolog\""]}}}"#);
    assert_eq!(p.rule_sets().len(), 2, "three hosts, two distinct rules lists");
    assert_eq!(p.policy(p.policy_for(&crate::config::authority_host(b"A.EXAMPLE:8080"))).name, "a.example");
    assert_eq!(p.policy(p.policy_for("x.c.example")).name, "*.c.example");
    assert_eq!(p.policy(p.policy_for("c.example")).name, "default");
}

#[test]
fn bad_policies_are_refused_with_their_paths() {
    let errs = match Plugin::build(br#"{"ip_deny":["10.0.0.0/33","x"],"hosts":{"a.*.com":{},"b.example":{"rate_limits":[{"requests":0,"per_seconds":60}]}},"client_ip":{"from":"x_forwarded_for","trusted_hops":0}}"#, &Bundled::new()) {
        Ok(_) => panic!("accepted"),
        Err(e) => e.join("\n"),
    };
    for want in ["ip_deny[0]", "ip_deny[1]", "hosts.a.*.com", "hosts.b.example.rate_limits[0]", "client_ip"] {
        assert!(errs.contains(want), "{want} missing in:\n{errs}");
    }
}

/// Every request is counted once, under its policy, in the one outcome it had
/// (the traffic counters of `crate::counters`).
#[test]
fn engine_each_request_is_counted_once_under_its_policy() {
    use crate::verdict::VerdictAction::*;
    let p = plugin(
        r#"{"rules":["SecRequestBodyAccess On","SecRule ARGS \"@contains etc/passwd\" \"id:1,phase:1,deny,log\""],"request_body_limit":8,"ip_deny":["203.0.113.0/24"],"ip_allow":["198.51.100.0/24"],
            "rate_limits":[{"match":{"path_prefix":"/login"},"key":"source_ip","requests":1,"per_seconds":60}],
            "hosts":{"monitor.example":{"mode":"monitor"},"off.example":{"mode":"off"}}}"#
    );
    let at = |h: FakeHost, authority: &str| {
        let mut h = h;
        for (n, v) in h.request_headers.iter_mut() {
            if n == ":authority" {
                *v = authority.as_bytes().to_vec();
            }
        }
        h
    };
    let shared = Rc::new(crate::policy::fake::MemorySharedData::new());
    let big = FakeHost::request("POST", "/upload", &[("content-type", "application/octet-stream")]);
    *big.request_body.borrow_mut() = vec![b'x'; 20];
    let cases: Vec<(FakeHost, usize, crate::verdict::VerdictAction, bool)> = vec![
        (FakeHost::get("/version"), 0, Passed, false),
        (FakeHost::get("/?file=../../etc/passwd"), 0, Blocked, false),
        (big, 0, Blocked, true),
        (from(FakeHost::get("/"), "203.0.113.9:1"), 0, Denied, false),
        (from(FakeHost::get("/?file=../../etc/passwd"), "198.51.100.7:1"), 0, Allowed, false),
        (FakeHost::get("/login"), 0, Passed, false),
        (FakeHost::get("/login"), 0, RateLimited, false),
        (at(FakeHost::get("/?file=../../etc/passwd"), "monitor.example"), 1, Monitored, false),
        (at(FakeHost::get("/?file=../../etc/passwd"), "off.example:8080"), 2, Passed, false),
    ];
    for (i, (h, policy, action, body_limit)) in cases.into_iter().enumerate() {
        let mut h = h;
        h.shared = Rc::clone(&shared);
        let mut d = Driver::new(Rc::clone(&p), i as u32);
        exchange(&mut d, &h);
        assert_eq!(d.on_log(&h), None, "a second on_log counts nothing");
        assert_eq!(*h.counted.borrow(), [(policy, action, body_limit)], "case {i}");
    }
    // A stream that never had request headers is no request.
    let h = FakeHost::get("/");
    assert_eq!(Driver::new(p, 99).on_log(&h), None);
    assert!(h.counted.borrow().is_empty());
}

/// The console's lists (`crate::console`) on top of the policy's: a deny from either source
/// beats an allow from either; enforced in every mode but `off`; an allow entry skips inspection.
#[test]
fn console_lists_merge_with_the_configured_ones() {
    let json = |mode: &str| {
        format!(r#"{{"mode":"{mode}","ip_allow":["198.51.100.0/24"],"ip_deny":["192.0.2.66"],
                   "hosts":{{"off.example":{{"mode":"off"}}}},"ip_lists":{{}},{LOG_ALL}}}"#)
    };
    // FakeHost's clock is 2026-11-25T22:08:02.123Z: the first block entry has expired by then.
    let answer = br#"{"version":"v1","entries":[
        {"list":"block","cidr":"203.0.113.7/32","expires":"2026-11-25T22:08:00Z"},
        {"list":"block","cidr":"198.51.100.9/32","expires":null},
        {"list":"block","cidr":"203.0.113.8/32","expires":"2030-01-01T00:00:00Z"},
        {"list":"allow","cidr":"192.0.2.0/24","expires":null}]}"#;
    for mode in ["block", "monitor", "safe_block"] {
        let p = plugin(&json(mode));
        p.console.replace(crate::console::parse_answer(answer).unwrap(), 0);
        let run = |source: &str, host: &str, path: &str| {
            let mut h = from(FakeHost::get(path), source);
            h.request_headers.retain(|(n, _)| n != ":authority");
            h.request_headers.push((":authority".to_owned(), host.as_bytes().to_vec()));
            let mut d = Driver::new(Rc::clone(&p), 1);
            let (_, line) = exchange(&mut d, &h);
            let action = line.map(|l| record(&l)["action"].as_str().unwrap_or("").to_owned());
            (h.replies().first().map(|r| r.0), action)
        };
        let shop = "shop.example.com";
        assert_eq!(run("203.0.113.8:1", shop, "/version"), (Some(403), Some("denied".to_owned())), "{mode}: console block");
        assert_eq!(run("198.51.100.9:1", shop, "/version"), (Some(403), Some("denied".to_owned())), "{mode}: console block beats configured allow");
        assert_eq!(run("192.0.2.66:1", shop, "/version"), (Some(403), Some("denied".to_owned())), "{mode}: configured deny beats console allow");
        assert_eq!(run("192.0.2.1:1", shop, "/?file=../../etc/passwd"), (None, Some("allowed".to_owned())), "{mode}: console allow skips inspection");
        assert_eq!(run("203.0.113.7:1", shop, "/version"), (None, Some("passed".to_owned())), "{mode}: an expired entry no longer applies");
        assert_eq!(run("203.0.113.8:1", "off.example", "/version"), (None, None), "{mode}: not in mode off");
    }
}
