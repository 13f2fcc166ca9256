//! The exchange contract: one call per event of the host (request headers
//! complete, a body chunk, response headers, ..., the end), each answering
//! with a [`Decision`]. The engine alone decides the phase order, when a
//! body is needed, the body limits and their actions, the early request
//! decision (`early`), the effective mode after `ctl:ruleEngine`
//! and the [`Verdict`]. The proxy-wasm filter, `portcullis eval` and the
//! go-ftw runner all drive a transaction through these calls and nothing
//! else, so a behaviour shown by one holds for all.
//!
//! | event | call | phases |
//! |---|---|---|
//! | request headers complete | [`Transaction::on_request_headers`] | 1; 2 too without a body (or when the rules do not read it); else the early pass |
//! | request body chunk | [`Transaction::on_request_body`] | 2 at the end of the body or at `SecRequestBodyLimit` |
//! | response headers | [`Transaction::on_response_headers`] | 3; 4 too without a body to inspect |
//! | response body chunk | [`Transaction::on_response_body`] | 4 at the end or at `SecResponseBodyLimit` |
//! | end of the exchange | [`Transaction::on_end`] | 5, then the verdict |
//!
//! Before the first call the driver gives the request line and headers:
//! [`Transaction::process_connection`], [`Transaction::process_uri`],
//! [`Transaction::add_request_header`]; before `on_response_headers`,
//! [`Transaction::add_response_header`].

use crate::id::Phase;
use crate::verdict::{Decision, Interruption, Outcome, Verdict};
use crate::transaction::BodySide;
use crate::{BodyLimitAction, RuleEngineMode, Transaction};

fn decided(i: Option<Interruption>) -> Decision {
    match i {
        Some(i) => Decision::Interrupt(i),
        None => Decision::Continue,
    }
}

impl Transaction {
    /// The request headers are complete; `body_follows` says whether a
    /// request body is still to come. Runs phase 1, then phase 2 at once
    /// when there is no body to wait for; otherwise the early pass
    /// (phase 2 over the URI, arguments and headers, as far as it can
    /// decide without the body; docs/engine.md "The early request decision")
    /// and [`Decision::NeedBody`].
    pub fn on_request_headers(&mut self, body_follows: bool) -> Decision {
        if let Some(i) = self.process_request_headers() {
            return Decision::Interrupt(i);
        }
        if !body_follows || !self.wants_request_body() {
            return decided(self.process_request_body());
        }
        if self.rules.settings.early_request_decision {
            if let Some(i) = self.decide_early() {
                return Decision::Interrupt(i);
            }
        }
        if let Some(i) = self.refuse_declared_oversize() {
            return Decision::Interrupt(i);
        }
        Decision::NeedBody
    }

    /// A `Content-Length` over `SecRequestBodyLimit` with action Reject (and
    /// the engine On) is refused at the headers, as ModSecurity v2 does:
    /// nothing of the request needs to reach the backend to know it.
    fn refuse_declared_oversize(&mut self) -> Option<Interruption> {
        let settings = &self.rules.settings;
        if settings.request_body_limit_action != BodyLimitAction::Reject || self.flow.engine != RuleEngineMode::On {
            return None;
        }
        let declared = self.declared_content_length()?;
        if declared <= settings.request_body_limit as u64 {
            return None;
        }
        // What the body limit would have found, only sooner.
        let i = self.body_passed_limit(BodySide::Request)?;
        self.flow.phase_done = Some(Phase::RequestBody);
        Some(i)
    }

    /// The next bytes of the request body; `end_of_body` when it is complete.
    /// Runs phase 2 at the end, or as soon as the body passes
    /// `SecRequestBodyLimit`: with action Reject (and the engine On) that
    /// interrupts with 413 and no phase 2; with ProcessPartial, or in
    /// DetectionOnly, phase 2 inspects the prefix and sets
    /// `INBOUND_DATA_ERROR`, and the driver lets the rest through.
    pub fn on_request_body(&mut self, chunk: &[u8], end_of_body: bool) -> Decision {
        if self.flow.phase_done >= Some(Phase::RequestBody) {
            return decided(self.flow.interruption.clone());
        }
        if !chunk.is_empty() && self.wants_request_body() {
            if let Some(i) = self.append_request_body(chunk) {
                self.flow.phase_done = Some(Phase::RequestBody);
                return Decision::Interrupt(i);
            }
        }
        if end_of_body || self.bodies.request.over {
            return decided(self.process_request_body());
        }
        Decision::NeedBody
    }

    /// The response headers (given with [`Transaction::add_response_header`])
    /// are complete; `body_follows` says whether a body is to come. Runs
    /// phase 2 first if the request body never completed, then phase 3, and
    /// phase 4 at once unless the rules read this response's body.
    pub fn on_response_headers(&mut self, status: u16, protocol: &[u8], body_follows: bool) -> Decision {
        if let Some(i) = self.process_response_headers(status, protocol) {
            return Decision::Interrupt(i);
        }
        if !body_follows || !self.wants_response_body() {
            return decided(self.process_response_body());
        }
        Decision::NeedBody
    }

    /// The next bytes of the response body; `end_of_body` when complete.
    /// Runs phase 4 at the end or at `SecResponseBodyLimit` (Reject with the
    /// engine On interrupts; ProcessPartial inspects the prefix).
    pub fn on_response_body(&mut self, chunk: &[u8], end_of_body: bool) -> Decision {
        if self.flow.phase_done >= Some(Phase::ResponseBody) {
            return decided(self.flow.interruption.clone());
        }
        if !chunk.is_empty() {
            if let Some(i) = self.append_response_body(chunk) {
                self.flow.phase_done = Some(Phase::ResponseBody);
                return Decision::Interrupt(i);
            }
        }
        if end_of_body || self.bodies.response.over {
            return decided(self.process_response_body());
        }
        Decision::NeedBody
    }

    /// The exchange is over (answered, reset or blocked): runs phase 5 and
    /// returns the verdict.
    pub fn on_end(&mut self) -> Verdict {
        self.process_logging();
        self.verdict()
    }

    /// The verdict as things stand.
    pub fn verdict(&self) -> Verdict {
        let interruption = self.flow.interruption.clone();
        let limit_would_block = self.bodies.request.over && self.rules.settings.request_body_limit_action == BodyLimitAction::Reject;
        let outcome = if interruption.is_some() {
            Outcome::Blocked
        } else if self.flow.engine == RuleEngineMode::DetectionOnly && (limit_would_block || self.flow.matches.iter().any(|m| m.blocking)) {
            Outcome::Monitored
        } else {
            Outcome::Passed
        };
        let deciding_rule = match &interruption {
            Some(i) => i.rule_id,
            None => {
                let m = &self.flow.matches;
                m.iter().find(|m| m.blocking).or_else(|| m.iter().find(|m| m.log)).map(|m| m.rule_id)
            }
        };
        Verdict {
            outcome,
            mode: self.flow.engine,
            interruption,
            deciding_rule,
            anomaly_score: self.anomaly_score(),
            outbound_anomaly_score: self.outbound_anomaly_score(),
            request_body_over_limit: self.bodies.request.over,
        }
    }

    /// The inbound anomaly score, from the TX variables the rule packs keep
    /// it in: the largest of CRS 4's `blocking_inbound_anomaly_score` (CRS
    /// sums it from `inbound_anomaly_score_pl1`..`pl4` only at the end of
    /// phase 2; before that, their sum), CRS 3's `inbound_anomaly_score`,
    /// ModSecurity's `anomaly_score` and `@builtin`'s `portcullis_inbound_score`.
    pub fn anomaly_score(&self) -> i64 {
        self.score("blocking_inbound_anomaly_score", "inbound_anomaly_score_pl", &["inbound_anomaly_score", "anomaly_score", "portcullis_inbound_score"])
    }

    /// The outbound anomaly score (CRS's `blocking_outbound_anomaly_score`,
    /// else the sum of `outbound_anomaly_score_pl1`..`pl4`, or CRS 3's
    /// `outbound_anomaly_score`).
    pub fn outbound_anomaly_score(&self) -> i64 {
        self.score("blocking_outbound_anomaly_score", "outbound_anomaly_score_pl", &["outbound_anomaly_score"])
    }

    fn score(&self, total: &str, per_level: &str, others: &[&str]) -> i64 {
        let var = |name: &str| -> Option<i64> { std::str::from_utf8(&self.tx_var(name)?).ok()?.trim().parse().ok() };
        let crs = var(total).unwrap_or_else(|| (1..=4).filter_map(|pl| var(&format!("{per_level}{pl}"))).sum());
        others.iter().filter_map(|n| var(n)).fold(crs, i64::max)
    }
}
