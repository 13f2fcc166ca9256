//! Portcullis WAF engine: SecLang parser, rule compiler and evaluator.
//!
//! No proxy-wasm, no I/O, no clock: the same code runs natively (CLI, tests,
//! benchmarks) and inside the Envoy filter compiled to `wasm32-wasip1`.
//!
//! # API themes
//! - [`RuleSet`] is compiled once ([`RuleSetBuilder::build`]) and is read-only
//!   and `Send + Sync`; share it in an `Arc`.
//! - [`Transaction`] is the per-request state. It is owned (no lifetime), built
//!   from one rule set and reusable through [`Transaction::reset`].
//! - The transaction entry points follow ModSecurity's and Coraza's names:
//!   `process_connection`, `process_uri`, `add_request_header`,
//!   `process_request_headers` (phase 1), `append_request_body`,
//!   `process_request_body` (phase 2), `process_response_headers` (3),
//!   `process_response_body` (4), `process_logging` (5).
//! - Requests never fail: trouble becomes what SecLang shows (`REQBODY_ERROR`, ...).

pub mod seclang;
pub mod transform;
pub mod variable;
pub mod body;
mod api;

pub use api::*;
pub use seclang::error::{BuildError, Diagnostic, Position};

/// `SecRuleEngine`: whether rules run and whether they may interrupt.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum RuleEngineMode {
    /// Rules run and disruptive actions interrupt the transaction.
    #[default]
    On,
    /// Rules run and log; nothing is interrupted (monitor mode).
    DetectionOnly,
    /// Rules do not run.
    Off,
}

/// What to do when a body exceeds its limit (`SecRequestBodyLimitAction`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum BodyLimitAction {
    /// Interrupt with status 413.
    #[default]
    Reject,
    /// Inspect the part up to the limit and let the rest through.
    ProcessPartial,
}
