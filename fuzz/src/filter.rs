//! `filter_driver`: the proxy-wasm filter's host-neutral `Driver` (what runs
//! inside Envoy) over a fake host, with `@builtin` + `@crs` at paranoia
//! level 4 and verdict logging of every request. The input is an exchange
//! in the [`crate::request`] format; the input length `% 3` picks the
//! configuration: block mode; monitor mode with a 64-byte
//! `process_partial` body limit; block mode with a 64-byte `reject` limit.
//! Checks that the verdict record is one line of valid JSON.

use std::cell::RefCell;
use std::rc::Rc;

use portcullis::driver::fake::FakeHost;
use portcullis::driver::Driver;
use portcullis::plugin::Plugin;
use portcullis_rulepacks::Bundled;

use crate::request;

const PL4: &str = r#""SecAction \"id:900000,phase:1,pass,nolog,setvar:tx.blocking_paranoia_level=4\"""#;

fn configs() -> [String; 3] {
    let rules = format!(r#""rules":["@builtin","@crs",{PL4}]"#);
    let log = r#""verdict_log":{"cluster":"logs","include":"all"},"application_id":"fuzz""#;
    [
        format!(r#"{{"mode":"block",{rules},{log}}}"#),
        format!(
            r#"{{"mode":"monitor",{rules},{log},"request_body_limit":64,"request_body_limit_action":"process_partial"}}"#
        ),
        format!(r#"{{"mode":"block",{rules},{log},"request_body_limit":64,"request_body_limit_action":"reject"}}"#),
    ]
}

thread_local! {
    static PLUGINS: RefCell<Option<Vec<Rc<Plugin>>>> = const { RefCell::new(None) };
}

fn plugins() -> Vec<Rc<Plugin>> {
    PLUGINS.with(|p| {
        p.borrow_mut()
            .get_or_insert_with(|| {
                configs()
                    .iter()
                    .map(|c| match Plugin::build(c.as_bytes(), &Bundled::new()) {
                        Ok(p) => Rc::new(p),
                        Err(e) => panic!("harness setup: plugin refused:\n{}", e.join("\n")),
                    })
                    .collect()
            })
            .clone()
    })
}

/// Builds the plugins now (the first `filter_driver` call would).
pub fn init() {
    let _ = plugins();
}

/// Append `body` to Envoy's buffer `buf` in two chunks, calling
/// `on_chunk(bytes buffered, end of stream)` after each.
fn feed_in_halves(buf: &RefCell<Vec<u8>>, body: &[u8], mut on_chunk: impl FnMut(usize, bool)) {
    let half = body.len() / 2;
    buf.borrow_mut().extend_from_slice(&body[..half]);
    on_chunk(half, false);
    buf.borrow_mut().extend_from_slice(&body[half..]);
    on_chunk(body.len(), true);
}

/// The harness (see the module docs).
pub fn filter_driver(data: &[u8]) {
    let _ = run(data);
}

/// Runs one exchange; returns how many local replies were sent and the
/// verdict record.
fn run(data: &[u8]) -> (u32, String) {
    let plugins = plugins();
    let plugin = &plugins[data.len() % plugins.len()];
    let ex = request::decode(data);
    let lossy = |b: &[u8]| String::from_utf8_lossy(b).to_ascii_lowercase();
    let authority = ex
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(b"host"))
        .map_or(&b"www.example.com"[..], |(_, v)| v);
    // Envoy hands the filter lower-case names, pseudo-headers first, no Host.
    let mut req = vec![
        (":method".to_owned(), ex.method.to_vec()),
        (":path".to_owned(), ex.uri.to_vec()),
        (":authority".to_owned(), authority.to_vec()),
        (":scheme".to_owned(), b"http".to_vec()),
    ];
    req.extend(ex.headers.iter().filter(|(n, _)| !n.eq_ignore_ascii_case(b"host")).map(|(n, v)| (lossy(n), v.to_vec())));
    let mut resp = vec![(":status".to_owned(), ex.status.to_string().into_bytes())];
    resp.extend(ex.resp_headers.iter().map(|(n, v)| (lossy(n), v.to_vec())));
    let properties = [
        ("source.address", &b"192.0.2.10:40000"[..]),
        ("destination.address", b"[2001:db8::1]:10000"),
        ("request.protocol", b"HTTP/1.1"),
    ];
    let host = FakeHost {
        request_headers: req,
        response_headers: resp,
        properties: properties.iter().map(|(k, v)| ((*k).to_owned(), v.to_vec())).collect(),
        ..FakeHost::default()
    };

    let mut d = Driver::new(Rc::clone(plugin), 1);
    d.on_request_headers(&host, ex.body.is_empty());
    if !ex.body.is_empty() {
        feed_in_halves(&host.request_body, ex.body, |n, end| {
            d.on_request_body(&host, n, end);
        });
    }
    // A blocked request still sees its own local reply's headers.
    d.on_response_headers(&host, ex.resp_body.is_empty());
    if !ex.resp_body.is_empty() {
        feed_in_halves(&host.response_body, ex.resp_body, |n, end| {
            d.on_response_body(&host, n, end);
        });
    }
    let line = d.on_log(&host);
    let replies = host.replies.borrow();
    assert!(replies.len() <= 1, "more than one local reply");
    for (status, _, _) in replies.iter() {
        assert!((100..=599).contains(status), "local reply with status {status}");
    }
    let replies = replies.len() as u32;
    let line = line.unwrap_or_else(|| panic!("include=all must log every request"));
    assert!(!line.contains('\n'), "verdict record spans lines");
    if let Err(e) = serde_json::from_str::<serde_json::Value>(&line) {
        panic!("verdict record is not JSON ({e}): {line}");
    }
    (replies, line)
}

#[cfg(test)]
mod tests {
    /// The harness really inspects: an attack is blocked (length % 3 == 0:
    /// block mode), a plain request passes, and both are logged.
    #[test]
    fn blocks_an_attack_and_passes_a_plain_request() {
        let mut attack = b"GET /?q=1%27%20union%20select%20password%20from%20users-- HTTP/1.1\nHost: www.example.com\nUser-Agent: Mozilla/5.0\nAccept: */*\n\n".to_vec();
        while !attack.len().is_multiple_of(3) {
            attack.push(b'\n');
        }
        let (replies, line) = super::run(&attack);
        assert_eq!(replies, 1, "{line}");
        assert!(line.contains("\"blocked\""), "{line}");
        let mut plain = b"GET /index.html HTTP/1.1\nHost: www.example.com\nUser-Agent: Mozilla/5.0\nAccept: text/html\n\n".to_vec();
        while !plain.len().is_multiple_of(3) {
            plain.push(b'\n');
        }
        let (replies, line) = super::run(&plain);
        assert_eq!(replies, 0, "{line}");
    }
}
