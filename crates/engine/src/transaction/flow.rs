//! What the rules decide as a transaction runs: `ctl` switches, the
//! effective engine mode, `allow`, skips, the interruption, the matches,
//! how far the phases got, and the early pass.

use super::state::Span;
use crate::action::{AllowKind, BodyProcessor, CtlTarget};
use crate::verdict::{Interruption, RuleMatch};
use crate::id::Phase;
use crate::RuleEngineMode;

/// Removals and switches set by `ctl:` for the rest of the transaction.
#[derive(Clone, Debug, Default)]
pub(crate) struct Ctls {
    pub remove_ids: Vec<(i64, i64)>,
    pub remove_tags: Vec<u32>,
    pub remove_target_by_id: Vec<(Vec<(i64, i64)>, CtlTarget)>,
    pub remove_target_by_tag: Vec<(u32, CtlTarget)>,
    pub body_processor: Option<BodyProcessor>,
    pub body_access: Option<bool>,
    pub force_body_variable: bool,
}

impl Ctls {
    pub fn is_empty_removals(&self) -> bool {
        self.remove_ids.is_empty() && self.remove_tags.is_empty()
    }
}


/// Whether the evaluator is in the early pass (`eval::early`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum EarlyPass {
    /// A normal phase.
    #[default]
    Off,
    /// In the early pass.
    Running,
    /// The pass met a chain it cannot decide that could match: it decides nothing.
    Abandoned,
}

/// The flow state of a transaction.
#[derive(Debug, Default)]
pub(crate) struct Flow {
    pub ctl: Ctls,
    /// The engine mode in force (`SecRuleEngine`, then `ctl:ruleEngine`).
    pub engine: RuleEngineMode,
    pub allow: Option<AllowKind>,
    pub skip_next: u32,
    pub skip_to: Option<u32>,
    pub interruption: Option<Interruption>,
    pub pending: Option<Interruption>,
    pub matches: Vec<RuleMatch>,
    /// `matches.len()` when the current chain's first rule started (multiMatch logging).
    pub mm_mark: usize,
    /// The last matched variable's name and original value (for the log line).
    pub last_name: Span,
    pub last_orig: Span,
    /// The last phase run (`None` before phase 1).
    pub phase_done: Option<Phase>,
    /// Whether the evaluator runs the early pass.
    pub early: EarlyPass,
    /// In the early pass: the `BodyMask` of what the body will fill.
    pub early_body: u8,
}

impl Flow {
    /// A flow starting in `engine` mode.
    pub fn new(engine: RuleEngineMode) -> Flow {
        Flow { engine, ..Flow::default() }
    }

    /// Back to the start of a transaction in `engine` mode (buffers kept).
    pub fn reset(&mut self, engine: RuleEngineMode) {
        self.ctl = Ctls::default();
        self.engine = engine;
        self.allow = None;
        self.skip_next = 0;
        self.skip_to = None;
        self.interruption = None;
        self.pending = None;
        self.matches.clear();
        self.mm_mark = 0;
        self.last_name = Span::default();
        self.last_orig = Span::default();
        self.phase_done = None;
        self.early = EarlyPass::Off;
        self.early_body = 0;
    }
}

/// One body as buffered for its phase (2 or 4).
#[derive(Debug, Default)]
pub(crate) struct Body {
    /// The bytes up to the body's limit.
    pub bytes: Vec<u8>,
    /// The body went over its limit.
    pub over: bool,
}

/// The two directions' bodies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BodySide {
    Request,
    Response,
}

/// The bodies as buffered for phases 2 and 4, and what framing said of them.
#[derive(Debug, Default)]
pub(crate) struct Bodies {
    /// The request body (`SecRequestBodyLimit`).
    pub request: Body,
    /// The response body (`SecResponseBodyLimit`).
    pub response: Body,
    /// The processor the request's Content-Type selects.
    pub request_processor: Option<BodyProcessor>,
    /// The response's Content-Type.
    pub response_content_type: Vec<u8>,
}

impl Bodies {
    /// The body of `side`.
    pub fn side(&mut self, side: BodySide) -> &mut Body {
        match side {
            BodySide::Request => &mut self.request,
            BodySide::Response => &mut self.response,
        }
    }

    /// Forget both bodies (buffers kept).
    pub fn reset(&mut self) {
        for b in [&mut self.request, &mut self.response] {
            b.bytes.clear();
            b.over = false;
        }
        self.request_processor = None;
        self.response_content_type.clear();
    }
}
