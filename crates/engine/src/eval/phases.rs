//! The transaction's phase entry points and request-body processing.

use crate::action::BodyProcessor;
use crate::id::Phase;
use crate::body;
use crate::transaction::{Coll, Sink, Transaction};
use crate::variable::Variable;
use crate::verdict::Interruption;
use crate::RuleEngineMode;

impl Transaction {
    /// Run phase 1 (request headers). Call after `process_connection`,
    /// `process_uri` and every `add_request_header`.
    pub fn process_request_headers(&mut self) -> Option<Interruption> {
        if self.flow.phase_done >= Some(Phase::RequestHeaders) {
            return self.flow.interruption.clone();
        }
        self.flow.phase_done = Some(Phase::RequestHeaders);
        self.run_phase(Phase::RequestHeaders);
        self.flow.interruption.clone()
    }

    /// Parse the request body with its processor and run phase 2. Call it
    /// also when there is no body: phase 2 rules run either way.
    pub fn process_request_body(&mut self) -> Option<Interruption> {
        if self.flow.phase_done < Some(Phase::RequestHeaders) {
            self.process_request_headers();
        }
        if self.flow.phase_done >= Some(Phase::RequestBody) {
            return self.flow.interruption.clone();
        }
        self.flow.phase_done = Some(Phase::RequestBody);
        if self.flow.interruption.is_some() || self.flow.engine == RuleEngineMode::Off {
            return self.flow.interruption.clone();
        }
        if self.st.scalar(Variable::InboundDataError).is_none() {
            self.st.set_scalar_bytes(Variable::InboundDataError, b"0");
        }
        if self.wants_request_body() {
            self.parse_request_body();
        }
        self.run_phase(Phase::RequestBody);
        self.flow.interruption.clone()
    }

    pub(super) fn parse_request_body(&mut self) {
        let body = std::mem::take(&mut self.bodies.request.bytes);
        let processor = self.flow.ctl.body_processor.or(self.bodies.request_processor);
        let mut error: Option<String> = None;
        let limits = body::Limits {
            max_args: self.rules.settings.arguments_limit.saturating_sub(self.arg_count()),
            json_depth: self.rules.settings.json_depth_limit,
            max_files: 0,
        };
        let mut sink = Sink { st: &mut self.st, coll: Coll::ArgsPost };
        match processor {
            Some(BodyProcessor::Urlencoded) => {
                let o = body::parse_urlencoded(&body, &limits, &mut sink);
                if o.invalid_encoding {
                    self.st.set_scalar_bytes(Variable::UrlencodedError, b"1");
                }
            }
            Some(BodyProcessor::Json) => {
                // ModSecurity reports no error for an empty JSON body.
                if let Err(e) = body::parse_json(&body, &limits, &mut sink) {
                    if !body.is_empty() {
                        error = Some(body::BodyError::from(e).to_string());
                    }
                }
            }
            Some(BodyProcessor::Xml) => {
                if let Err(e) = body::parse_xml(&body, &limits, &mut sink) {
                    error = Some(body::BodyError::from(e).to_string());
                }
            }
            Some(BodyProcessor::Multipart) => {
                let ct = sink.st.find(Coll::ReqHeaders, b"content-type").map(|s| sink.st.bytes(s).to_vec()).unwrap_or_default();
                let o = body::parse_multipart(&ct, &body, &limits, &mut sink);
                for (name, v) in o.flags() {
                    if let Some(var) = Variable::from_name(name) {
                        self.st.set_scalar_bytes(var, &[b'0' + v.min(9)]);
                    }
                }
                if let Some(e) = o.error {
                    error = Some(body::BodyError::from(e).to_string());
                } else if !o.processed {
                    // ModSecurity skips a body whose boundary is empty without
                    // an error: nothing would be inspected. Fail closed.
                    error = Some("Multipart parsing error: Multipart: Invalid boundary in C-T (empty).".into());
                }
            }
            None => {}
        }
        self.add_graphql_args(Coll::ArgsPost);
        let (flag, msg): (&[u8], &[u8]) = match &error {
            Some(m) => (b"1", m.as_bytes()),
            None => (b"0", b""),
        };
        self.st.set_scalar_bytes(Variable::ReqbodyError, flag);
        self.st.set_scalar_bytes(Variable::ReqbodyProcessorError, flag);
        if error.is_some() {
            self.st.set_scalar_bytes(Variable::ReqbodyErrorMsg, msg);
            self.st.set_scalar_bytes(Variable::ReqbodyProcessorErrorMsg, msg);
        }
        // REQUEST_BODY holds the raw body for the URLENCODED processor or
        // when forced (`ctl:forceRequestBodyVariable`), as in ModSecurity v2
        // and Coraza and as CRS expects: JSON and XML bodies are inspected
        // through ARGS and XML, not as raw text. (libmodsecurity3 always
        // fills it; CRS lists that as a v3 limitation.)
        let raw_visible = processor == Some(BodyProcessor::Urlencoded) || self.flow.ctl.force_body_variable;
        if !body.is_empty() && raw_visible {
            self.st.set_scalar_bytes(Variable::RequestBody, &body);
        }
        if !body.is_empty() {
            let n = self.st.push_int(body.len() as i64);
            self.st.set_scalar(Variable::RequestBodyLength, n);
        }
        self.bodies.request.bytes = body;
    }

    /// Run phase 3 with the response status and protocol (`HTTP/1.1`).
    /// Call after every `add_response_header`.
    pub fn process_response_headers(&mut self, status: u16, protocol: &[u8]) -> Option<Interruption> {
        if self.flow.phase_done < Some(Phase::RequestBody) {
            self.process_request_body();
        }
        if self.flow.phase_done >= Some(Phase::ResponseHeaders) {
            return self.flow.interruption.clone();
        }
        self.flow.phase_done = Some(Phase::ResponseHeaders);
        let st = &mut self.st;
        let code = st.push_int(i64::from(status));
        st.set_scalar(Variable::ResponseStatus, code);
        let proto = if protocol.starts_with(b"HTTP/") { protocol.to_vec() } else { [b"HTTP/".as_slice(), protocol].concat() };
        st.set_scalar_bytes(Variable::ResponseProtocol, &proto);
        let mut line = proto;
        line.push(b' ');
        line.extend_from_slice(crate::transaction::itoa_buf(i64::from(status)).as_slice());
        st.set_scalar_bytes(Variable::StatusLine, &line);
        if self.flow.interruption.is_none() {
            self.run_phase(Phase::ResponseHeaders);
        }
        self.flow.interruption.clone()
    }

    /// Run phase 4 over the buffered response body.
    pub fn process_response_body(&mut self) -> Option<Interruption> {
        if self.flow.phase_done < Some(Phase::ResponseHeaders) {
            self.process_response_headers(200, b"HTTP/1.1");
        }
        if self.flow.phase_done >= Some(Phase::ResponseBody) {
            return self.flow.interruption.clone();
        }
        self.flow.phase_done = Some(Phase::ResponseBody);
        if self.flow.interruption.is_some() {
            return self.flow.interruption.clone();
        }
        if self.wants_response_body() && !self.bodies.response.bytes.is_empty() {
            let body = std::mem::take(&mut self.bodies.response.bytes);
            self.st.set_scalar_bytes(Variable::ResponseBody, &body);
            self.bodies.response.bytes = body;
        }
        self.run_phase(Phase::ResponseBody);
        self.flow.interruption.clone()
    }

    /// Run phase 5 (logging). Runs even after an interruption.
    pub fn process_logging(&mut self) {
        if self.flow.phase_done >= Some(Phase::Logging) {
            return;
        }
        self.flow.phase_done = Some(Phase::Logging);
        self.run_phase(Phase::Logging);
    }
}
