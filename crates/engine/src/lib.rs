//! Portcullis WAF engine: SecLang parser, rule compiler and evaluator.
//!
//! No proxy-wasm, no I/O, no clock: the same code runs natively (CLI, tests,
//! benchmarks) and inside the Envoy filter compiled to `wasm32-wasip1`.
//!
//! # API themes
//! - [`RuleSet`] is compiled once ([`RuleSetBuilder::build`]): every regex,
//!   automaton, prefilter and jump target is built there, nothing lazily. It is
//!   read-only and `Send + Sync`; share it in an `Arc`.
//! - [`Transaction`] is the per-request state. It is owned (no lifetime), made
//!   from one rule set and reusable through [`Transaction::reset`].
//! - The transaction entry points follow ModSecurity's and Coraza's names:
//!   `process_connection`, `process_uri`, `add_request_header`,
//!   `process_request_headers` (phase 1), `append_request_body`,
//!   `process_request_body` (phase 2), `add_response_header`,
//!   `process_response_headers` (3), `append_response_body`,
//!   `process_response_body` (4), `process_logging` (5).
//! - Requests never fail: trouble becomes what SecLang shows (`REQBODY_ERROR`, ...).
//! - Rule files come through a [`RuleSource`]; the engine opens no file.
//!
//! # Modules
//! `seclang` (lexer, parser, AST, diagnostics) → `load` (entries, `Include`)
//! → `compile` (→ `program`: flat rules and phase step lists; `operator`,
//! `transform` + `tchain`, `prefilter`, `expand` for macros, `action`) →
//! `transaction` + `eval` + `phase` (per-request state and evaluation) →
//! `verdict` (interruption and rule matches, ModSecurity log lines).

#![deny(missing_docs)]

// Items of `body` and `transform` that only the fuzz targets reach (through
// `fuzzing`) are dead without that feature.
#[cfg_attr(not(feature = "fuzzing"), allow(dead_code, unused_imports))]
mod body;
mod action;
mod compile;
mod config;
mod decode;
mod early;
mod eval;
mod exchange;
mod expand;
mod id;
mod load;
mod operator;
mod prefilter;
mod program;
mod ruleset;
mod seclang;
mod source;
mod tchain;
#[cfg_attr(not(feature = "fuzzing"), allow(dead_code, unused_imports))]
mod transform;
mod transaction;
mod variable;
mod verdict;

#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;

pub use action::BodyProcessor;
pub use config::Config;
pub use id::{Phase, RuleId};
pub use ruleset::{RuleSet, RuleSetBuilder, RuleSetStats};
pub use seclang::error::{BuildError, Diagnostic, DiagnosticKind, Position};
pub use source::{LoadedFiles, MemorySource, NoSource, RuleEntry, RuleSource};
pub use transaction::Transaction;
pub use verdict::{Decision, InterruptAction, Interruption, Outcome, RuleMatch, Verdict, SEVERITY_NAMES};

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

#[cfg(test)]
mod tests;
