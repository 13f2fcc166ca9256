//! The transaction's phase entry points and request-body processing.

use crate::action::BodyProcessor;
use crate::body::{self, BodySink};
use crate::transaction::{Coll, State, Transaction};
use crate::variable::Variable;
use crate::verdict::Interruption;
use crate::RuleEngineMode;

/// Stores what a body processor finds into the transaction's collections.
struct Sink<'a> {
    st: &'a mut State,
    args_combined: &'a mut usize,
    arg_limit: usize,
    args_before: usize,
}

impl BodySink for Sink<'_> {
    fn arg(&mut self, name: &[u8], value: &[u8]) {
        if self.args_before + self.st.coll(Coll::ArgsPost).len() >= self.arg_limit {
            return;
        }
        *self.args_combined += name.len() + value.len();
        self.st.add(Coll::ArgsPost, name, value);
    }
}

impl Transaction {
    /// Run phase 1 (request headers). Call after `process_connection`,
    /// `process_uri` and every `add_request_header`.
    pub fn process_request_headers(&mut self) -> Option<Interruption> {
        if self.phase_done >= 1 {
            return self.interruption.clone();
        }
        self.phase_done = 1;
        self.run_phase(1);
        self.interruption.clone()
    }

    /// Parse the request body with its processor and run phase 2. Call it
    /// also when there is no body: phase 2 rules run either way.
    pub fn process_request_body(&mut self) -> Option<Interruption> {
        if self.phase_done < 1 {
            self.process_request_headers();
        }
        if self.phase_done >= 2 {
            return self.interruption.clone();
        }
        self.phase_done = 2;
        if self.interruption.is_some() || self.engine == RuleEngineMode::Off {
            return self.interruption.clone();
        }
        if self.st.scalar(Variable::InboundDataError).is_none() {
            self.st.set_scalar_bytes(Variable::InboundDataError, b"0");
        }
        if self.wants_request_body() {
            self.parse_request_body();
        }
        self.run_phase(2);
        self.interruption.clone()
    }

    fn parse_request_body(&mut self) {
        let body = std::mem::take(&mut self.req_body);
        let processor = self.ctl.body_processor.or(self.body_type);
        let mut error: Option<String> = None;
        let limits = body::Limits {
            max_args: self.rules.settings.arguments_limit,
            json_depth: self.rules.settings.json_depth_limit,
            max_files: self.rules.settings.upload_file_limit,
        };
        match processor {
            Some(BodyProcessor::Urlencoded) => {
                let limit = self.rules.settings.arguments_limit;
                self.add_urlencoded_args(&body, Coll::ArgsPost, limit);
            }
            Some(BodyProcessor::Json) if !body.is_empty() => {
                let args_before = self.st.coll(Coll::ArgsGet).len();
                let mut sink = Sink { st: &mut self.st, args_combined: &mut self.args_combined, arg_limit: limits.max_args, args_before };
                if let Err(e) = body::parse_json(&body, &limits, &mut sink) {
                    error = Some(format!("JSON parsing error: {e}"));
                }
            }
            Some(BodyProcessor::Xml) => {
                let args_before = self.st.coll(Coll::ArgsGet).len();
                let mut sink = XmlSink { inner: Sink { st: &mut self.st, args_combined: &mut self.args_combined, arg_limit: limits.max_args, args_before } };
                if let Err(e) = body::parse_xml(&body, &limits, &mut sink) {
                    error = Some(format!("XML parsing error: {e}"));
                }
            }
            Some(BodyProcessor::Multipart) => {
                let ct = self.st.find(Coll::ReqHeaders, b"content-type").map(|s| self.st.bytes(s).to_vec()).unwrap_or_default();
                let args_before = self.st.coll(Coll::ArgsGet).len();
                let mut sink = MultipartSink { inner: Sink { st: &mut self.st, args_combined: &mut self.args_combined, arg_limit: limits.max_args, args_before } };
                let outcome = body::parse_multipart(&ct, &body, &limits, &mut sink);
                self.store_multipart(&outcome);
                if let Some(e) = &outcome.error {
                    error = Some(format!("Multipart parsing error: {e}"));
                }
            }
            _ => {}
        }
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
        if !body.is_empty() {
            self.st.set_scalar_bytes(Variable::RequestBody, &body);
            let n = self.st.push_int(body.len() as i64);
            self.st.set_scalar(Variable::RequestBodyLength, n);
        }
        self.req_body = body;
    }

    /// Run phase 3 with the response status and protocol (`HTTP/1.1`).
    /// Call after every `add_response_header`.
    pub fn process_response_headers(&mut self, status: u16, protocol: &[u8]) -> Option<Interruption> {
        if self.phase_done < 2 {
            self.process_request_body();
        }
        if self.phase_done >= 3 {
            return self.interruption.clone();
        }
        self.phase_done = 3;
        let st = &mut self.st;
        let code = st.push_int(i64::from(status));
        st.set_scalar(Variable::ResponseStatus, code);
        let proto = if protocol.starts_with(b"HTTP/") { protocol.to_vec() } else { [b"HTTP/".as_slice(), protocol].concat() };
        st.set_scalar_bytes(Variable::ResponseProtocol, &proto);
        let mut line = proto;
        line.push(b' ');
        line.extend_from_slice(crate::transaction::itoa_buf(i64::from(status)).as_slice());
        st.set_scalar_bytes(Variable::StatusLine, &line);
        if self.interruption.is_none() {
            self.run_phase(3);
        }
        self.interruption.clone()
    }

    /// Run phase 4 over the buffered response body.
    pub fn process_response_body(&mut self) -> Option<Interruption> {
        if self.phase_done < 3 {
            self.process_response_headers(200, b"HTTP/1.1");
        }
        if self.phase_done >= 4 {
            return self.interruption.clone();
        }
        self.phase_done = 4;
        if self.interruption.is_some() {
            return self.interruption.clone();
        }
        if self.wants_response_body() && !self.res_body.is_empty() {
            let body = std::mem::take(&mut self.res_body);
            self.st.set_scalar_bytes(Variable::ResponseBody, &body);
            self.res_body = body;
        }
        self.run_phase(4);
        self.interruption.clone()
    }

    /// Run phase 5 (logging). Runs even after an interruption.
    pub fn process_logging(&mut self) {
        if self.phase_done >= 5 {
            return;
        }
        self.phase_done = 5;
        self.run_phase(5);
    }
}

/// XML: `XML:/*` and `XML://@*` values.
struct XmlSink<'a> {
    inner: Sink<'a>,
}

impl BodySink for XmlSink<'_> {
    fn arg(&mut self, name: &[u8], value: &[u8]) {
        self.inner.arg(name, value)
    }
    fn xml_text(&mut self, text: &[u8]) {
        self.inner.st.add(Coll::XmlText, b"", text);
    }
    fn xml_attr(&mut self, name: &[u8], value: &[u8]) {
        self.inner.st.add(Coll::XmlAttrs, name, value);
    }
}

/// Multipart: fields become ARGS_POST, files FILES*, part headers MULTIPART_PART_HEADERS.
struct MultipartSink<'a> {
    inner: Sink<'a>,
}

impl BodySink for MultipartSink<'_> {
    fn arg(&mut self, name: &[u8], value: &[u8]) {
        self.inner.arg(name, value)
    }
    fn file(&mut self, field: &[u8], filename: &[u8], content: &[u8]) {
        let st = &mut *self.inner.st;
        st.add(Coll::Files, field, filename);
        let key = st.push(field);
        let size = st.push_int(content.len() as i64);
        st.colls[Coll::FilesSizes as usize].push(crate::transaction::Entry { key, val: size });
        st.add(Coll::FilesTmpContent, field, content);
    }
    fn part_header(&mut self, field: &[u8], line: &[u8]) {
        self.inner.st.add(Coll::MultipartPartHeaders, field, line);
    }
}

impl Transaction {
    fn store_multipart(&mut self, o: &body::MultipartOutcome) {
        for (var, on) in o.flags() {
            self.st.set_scalar_bytes(var, if on { b"1" } else { b"0" });
        }
        if let Some(f) = &o.last_filename {
            self.st.set_scalar_bytes(Variable::MultipartFilename, f);
        }
        if let Some(n) = &o.last_name {
            self.st.set_scalar_bytes(Variable::MultipartName, n);
        }
    }
}
