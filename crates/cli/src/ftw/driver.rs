//! `portcullis ftw --through driver`: every stage through the filter's own
//! [`Driver`] over a recording fake host, framed as Envoy's HTTP/1 codec
//! hands a request to a filter: pseudo-headers, `Host` folded into
//! `:authority`, `Transfer-Encoding` consumed (and `Content-Length` dropped
//! when both came, as RFC 9112 and Envoy do), the body as one buffered
//! chunk. Header names keep their case here (Envoy lowercases them: that
//! difference shows in the run through Envoy, `--target`). The albedo backend answers what reaches it. The plugin runs the
//! same configuration as the Envoy run (`--write-plugin-config`): the
//! embedded CRS with the test setup, mode `monitor`.
//!
//! With the in-process run (the engine's exchange contract driven
//! directly) this shows that the filter adds and drops nothing: both must
//! give the same result for every test.

use std::rc::Rc;

use portcullis_filter::driver::fake::FakeHost;
use portcullis_filter::driver::{Driver, Step};
use portcullis_filter::plugin::Plugin;
use portcullis_rulepacks::Bundled;
use portcullis_testkit::backend;
use portcullis_testkit::ftw::StageOutcome;
use portcullis_testkit::HttpRequest;

use crate::exchange::{CLIENT_ADDR, CLIENT_PORT, SERVER_ADDR, SERVER_PORT};

/// A plugin built once, and the stream counter.
pub struct DriverRun {
    plugin: Rc<Plugin>,
    next_stream: u32,
}

impl DriverRun {
    /// Build the plugin from its JSON configuration over the embedded packs.
    ///
    /// # Errors
    /// The plugin's own messages (configuration or rules), one per line.
    pub fn new(config: &serde_json::Value) -> Result<DriverRun, String> {
        let bytes = serde_json::to_vec(config).map_err(|e| e.to_string())?;
        let plugin = Plugin::build(&bytes, &Bundled::new()).map_err(|errs| errs.join("\n"))?;
        Ok(DriverRun { plugin: Rc::new(plugin), next_stream: 1 })
    }

    /// Run `req` through a new stream; `unique_id` becomes its `x-request-id`.
    pub fn stage(&mut self, req: &HttpRequest, unique_id: &str) -> (StageOutcome, Option<i64>) {
        let body = req.message_body();
        let mut host = envoy_view(req, unique_id);
        *host.request_body.borrow_mut() = body.to_vec();
        self.next_stream += 1;
        let mut d = Driver::new(Rc::clone(&self.plugin), self.next_stream);

        let mut reached_backend = d.on_request_headers(&host, body.is_empty()) == Step::Continue && d.replied().is_none();
        if !body.is_empty() && d.replied().is_none() {
            reached_backend = d.on_request_body(&host, body.len(), true) == Step::Continue && d.replied().is_none();
        }
        let mut response = None;
        if reached_backend {
            let resp = backend::albedo(req, &body);
            host.response_headers = std::iter::once((":status".to_owned(), resp.status.to_string().into_bytes()))
                .chain(resp.headers.iter().map(|(k, v)| (k.to_ascii_lowercase(), v.clone().into_bytes())))
                .collect();
            *host.response_body.borrow_mut() = resp.body.clone();
            let step = d.on_response_headers(&host, resp.body.is_empty());
            if step == Step::Continue && !resp.body.is_empty() {
                d.on_response_body(&host, resp.body.len(), true);
            }
            response = Some(resp);
        }
        d.on_log(&host);
        let replied = d.replied();
        let status = replied.or(response.as_ref().map(|r| r.status)).unwrap_or(200);
        let bytes = match (replied, &response) {
            (Some(s), _) => format!("HTTP/1.1 {s} \r\n\r\n").into_bytes(),
            (None, Some(r)) => r.to_bytes(),
            (None, None) => Vec::new(),
        };
        let log_lines = host.log.borrow().clone();
        let interrupted_by = replied.map(|_| 0);
        (StageOutcome { status: Some(status), error: None, response: bytes, log_lines }, interrupted_by)
    }
}

/// The request as Envoy's HTTP/1 codec hands it to a filter.
fn envoy_view(req: &HttpRequest, unique_id: &str) -> FakeHost {
    let mut host = FakeHost::default();
    let authority = req.header("host").map(<[u8]>::to_vec);
    let mut headers = vec![(":method".to_owned(), req.method.clone()), (":path".to_owned(), req.uri.clone())];
    if let Some(a) = authority {
        headers.push((":authority".to_owned(), a));
    }
    headers.push((":scheme".to_owned(), b"http".to_vec()));
    let chunked = req.header("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case(b"chunked"));
    for (k, v) in &req.headers {
        let name = String::from_utf8_lossy(k).into_owned();
        let lower = name.to_ascii_lowercase();
        // The codec consumes Host (into :authority) and Transfer-Encoding.
        let consumed = matches!(lower.as_str(), "host" | "transfer-encoding" | "x-request-id")
            || (chunked && lower == "content-length");
        if !consumed {
            headers.push((name, v.clone()));
        }
    }
    headers.push(("x-request-id".to_owned(), unique_id.as_bytes().to_vec()));
    host.request_headers = headers;
    let version = String::from_utf8_lossy(&req.version).into_owned();
    let protocol = if version.starts_with("HTTP/") { version } else { format!("HTTP/{version}") };
    host.properties.insert("request.protocol".to_owned(), protocol.into_bytes());
    host.properties.insert("source.address".to_owned(), format!("{CLIENT_ADDR}:{CLIENT_PORT}").into_bytes());
    host.properties.insert("destination.address".to_owned(), format!("{SERVER_ADDR}:{SERVER_PORT}").into_bytes());
    host
}

#[cfg(test)]
mod tests {
    //! The filter's Driver and the engine's exchange contract driven
    //! directly give the same status and the same logged rules for every
    //! request of the corpus (`@builtin` + `@crs`, block and monitor) and
    //! every stage of CRS's regression suite (its test setup, monitor).

    use std::sync::Arc;

    use portcullis_engine::Transaction;
    use portcullis_testkit::ftw::{self, triggered_ids};
    use portcullis_testkit::{corpus, crs, HttpRequest};

    use super::DriverRun;
    use crate::exchange;
    use crate::ftw::setup;

    /// Requests where the two disagree, as `name: engine … driver …`.
    fn differences(config: &serde_json::Value, reqs: &[(String, HttpRequest)]) -> Vec<String> {
        let mut run = DriverRun::new(config).unwrap();
        let rules = Arc::clone(run.plugin.rule_sets().first().unwrap());
        let mode = run.plugin.policy(0).rule_engine(false);
        let mut tx = Transaction::new(rules);
        let mut out = Vec::new();
        for (name, req) in reqs {
            let id = format!("parity-{name}");
            tx.reset();
            tx.set_rule_engine(mode);
            let ex = exchange::run(&mut tx, req, &id);
            let engine = (ex.status, triggered_ids(&exchange::log_lines(&tx)));
            let (stage, _) = run.stage(req, &id);
            let driver = (stage.status.unwrap_or(0), triggered_ids(&stage.log_lines));
            if engine != driver {
                out.push(format!("{name}: engine {engine:?}, driver {driver:?}"));
            }
        }
        out
    }

    #[test]
    fn corpus_gives_the_same_results_through_the_driver() {
        let reqs: Vec<(String, HttpRequest)> = corpus::load_dir(&crs::corpus_dir())
            .unwrap_or_default()
            .into_iter()
            .map(|c| (c.name.clone(), c.to_http_request()))
            .collect();
        assert!(reqs.len() >= 30, "corpus not found");
        for mode in ["block", "monitor"] {
            let config = serde_json::json!({"mode": mode, "rules": ["@builtin", "@crs"]});
            let diff = differences(&config, &reqs);
            assert!(diff.is_empty(), "{mode}: {}", diff.join("\n"));
        }
    }

    #[test]
    fn crs_suite_gives_the_same_results_through_the_driver() {
        let Some(dir) = crs::locate() else {
            eprintln!("skipped: no CRS");
            return;
        };
        let mut reqs = Vec::new();
        for f in ftw::load_dir(&dir.join("tests/regression/tests")).unwrap() {
            for t in &f.tests {
                for (i, s) in t.stages.iter().enumerate() {
                    if let Ok(r) = ftw::build_request(&s.input) {
                        reqs.push((format!("{}/{}", t.id(), i + 1), r));
                    }
                }
            }
        }
        assert!(reqs.len() > 3900, "{} stages", reqs.len());
        let diff = differences(&setup::envoy_plugin_config(setup::CRS_TEST_SETUP), &reqs);
        assert!(diff.is_empty(), "{} stages differ:\n{}", diff.len(), diff.join("\n"));
    }
}
