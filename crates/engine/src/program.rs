//! The compiled form of rules: flat, index-addressed, built once by
//! [`crate::compile`] and only read afterwards.

use crate::action::{AllowKind, Ctl, Disruptive, SetVar};
use crate::expand::{Macro, TxId};
use crate::id::{Phase, RuleId};
use crate::operator::Operator;
use crate::tchain::ChainId;
use crate::variable::Variable;

/// Position of a rule in [`crate::RuleSet`]'s rule table.
pub(crate) type RuleIdx = u32;

/// Which entries of a variable a target selects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Sel {
    /// Every entry (or the single value).
    All,
    /// Entries whose key equals this lowercased key, case-insensitively.
    Key(Box<[u8]>),
    /// A TX entry by interned name.
    Tx(TxId),
    /// Entries whose key the key regex (index into the rule set's table) matches.
    Regex(u32),
    /// `XML:/*`: the text of the root element.
    XmlText,
    /// `XML://@*`: every attribute value.
    XmlAttrs,
    /// `XML://text()`: every text node (a run of character data between
    /// two pieces of markup, or a CDATA section), each its own value.
    XmlTextNodes,
}

/// One target of a rule: `[&]VARIABLE[:selector]`.
#[derive(Clone, Debug)]
pub(crate) struct Target {
    pub var: Variable,
    pub sel: Sel,
    /// `&`: the number of values instead of the values.
    pub count: bool,
}

/// A `!VARIABLE[:selector]` exclusion.
#[derive(Clone, Debug)]
pub(crate) struct Exclude {
    pub var: Variable,
    pub sel: Sel,
}

/// A non-disruptive action run after a full match, in written order.
#[derive(Clone, Debug)]
pub(crate) enum Run {
    Ctl(Ctl),
    /// `skip:N`.
    Skip(u32),
    /// `skipAfter`: continue at this position of the phase's step list.
    SkipTo(u32),
    /// `status:N`.
    Status(u16),
}

/// A rule (a `SecRule`, `SecAction`, or one link of a chain).
#[derive(Debug)]
pub(crate) struct Rule {
    /// SecLang id (0 for chain links without one).
    pub rule_id: RuleId,
    pub phase: Phase,
    pub file: u32,
    pub line: u32,
    pub targets: Box<[Target]>,
    pub excludes: Box<[Exclude]>,
    /// The transformation chain (defaults and `t:none` applied).
    pub chain: ChainId,
    pub multi_match: bool,
    pub op: Operator,
    pub capture: bool,
    /// Item id of this rule's operator in the rule set's prefilter.
    pub prefilter: Option<u16>,
    /// `multiMatch`: the chain nodes after each transformation, in order.
    pub mm_nodes: Box<[ChainId]>,
    /// Whether the rule can be skipped from per-variable prefilter
    /// summaries: a prefiltered, non-negated operator on request data only.
    pub summarizable: bool,
    /// The prefilter decides the operator outright (`@pm`: a phrase occurs
    /// exactly when it matches); otherwise it only rules values out.
    pub prefilter_exact: bool,
    pub setvars: Box<[SetVar]>,
    pub run: Box<[Run]>,
    /// The rule's own disruptive action.
    pub disruptive: Option<Disruptive>,
    /// `block`: the phase's default disruptive action.
    pub block: bool,
    /// Whether a full match is logged.
    pub log: bool,
    pub msg: Option<Macro>,
    pub logdata: Option<Macro>,
    pub severity: Option<u8>,
    pub tags: Box<[Macro]>,
    /// Interned ids of the tags as written (for removal by tag).
    pub tag_ids: Box<[u32]>,
    pub rev: Box<str>,
    pub ver: Box<str>,
    pub maturity: u8,
    pub accuracy: u8,
    /// The next link of the chain.
    pub next: Option<RuleIdx>,
    /// Whether this rule is a chain link (not a chain's first rule).
    pub is_link: bool,
    /// `SecAction`.
    pub unconditional: bool,
    /// How the chain (set on its first rule) takes part in the early pass.
    pub early: Early,
    /// SecRuleConfirmByTag/ById: hidden rules that must all hold for a value this
    /// rule matched before it counts as a match (empty: none).
    pub confirm: Box<[RuleIdx]>,
    /// This rule is a SecRuleConfirmByTag/ById confirmation: in no phase, run
    /// only on a value another rule matched.
    pub confirmation: bool,
}

impl Rule {
    /// Whether the rule carries the tag with interned id `tag` (tags compare
    /// exactly, as in ModSecurity v3).
    #[inline]
    pub fn has_tag(&self, tag: u32) -> bool {
        self.tag_ids.contains(&tag)
    }
}

/// One entry of a phase's step list.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Step {
    Rule(RuleIdx),
    Marker,
}

/// What SecDefaultAction set for a phase.
#[derive(Clone, Debug)]
pub(crate) struct Defaults {
    pub disruptive: Disruptive,
    pub status: Option<u16>,
    pub log: bool,
    pub transforms: Vec<crate::transform::Transform>,
}

impl Default for Defaults {
    fn default() -> Defaults {
        // ModSecurity's built-in default: "phase:2,log,auditlog,pass".
        Defaults { disruptive: Disruptive::Pass, status: None, log: true, transforms: Vec::new() }
    }
}

/// Engine settings from directives, with [`crate::Config`] layered over them.
#[derive(Clone, Debug)]
pub(crate) struct Settings {
    pub rule_engine: crate::RuleEngineMode,
    pub request_body_access: bool,
    pub response_body_access: bool,
    pub request_body_limit: usize,
    pub request_body_limit_action: crate::BodyLimitAction,
    pub request_body_no_files_limit: usize,
    pub response_body_limit: usize,
    pub response_body_limit_action: crate::BodyLimitAction,
    pub response_mime_types: Vec<String>,
    pub arguments_limit: usize,
    pub json_depth_limit: usize,
    /// `SecGraphQLArguments`: add the string values of GraphQL documents
    /// to the arguments ([`crate::body::graphql`]).
    pub graphql_arguments: bool,
    /// Run the early pass ([`crate::early`]) when a request body follows.
    pub early_request_decision: bool,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            rule_engine: crate::RuleEngineMode::On,
            request_body_access: false,
            response_body_access: false,
            request_body_limit: 128 * 1024,
            request_body_limit_action: crate::BodyLimitAction::Reject,
            request_body_no_files_limit: 128 * 1024,
            response_body_limit: 512 * 1024,
            response_body_limit_action: crate::BodyLimitAction::ProcessPartial,
            response_mime_types: vec!["text/plain".into(), "text/html".into()],
            arguments_limit: 1000,
            json_depth_limit: 512,
            graphql_arguments: false,
            early_request_decision: true,
        }
    }
}

/// `allow` state of a transaction.
pub(crate) fn allow_skips(kind: Option<AllowKind>, phase: Phase) -> bool {
    match kind {
        None => false,
        Some(AllowKind::All) => phase != Phase::Logging,
        Some(AllowKind::Request) => phase <= Phase::RequestBody,
        Some(AllowKind::Phase) => false,
    }
}

/// How a chain takes part in the early pass (see the module docs), for a
/// request whose body will be parsed by the processors in `reads`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Early {
    /// The body processors whose output the chain reads ([`BodyMask`] bits).
    pub reads: u8,
    /// Those of them read in a way a later value can undo: a count, or a
    /// value that changes rather than appears (ARGS_COMBINED_SIZE).
    pub reads_changing: u8,
    /// A match changes the flow (or a TX value other chains read).
    pub changes_flow: bool,
}

/// What a chain is for the early pass of one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum EarlyRole {
    /// Reads nothing the body changes: evaluated as usual.
    Known,
    /// Reads the body; a match only scores, logs or blocks: treated as no match.
    Unknown,
    /// Reads the body and a match changes the flow: the pass decides nothing.
    Undecidable,
}

impl Early {
    /// The chain's role when the body's parse fills `active` ([`BodyMask`]).
    #[inline]
    pub fn role(self, active: u8) -> EarlyRole {
        if self.reads & active == 0 {
            EarlyRole::Known
        } else if self.changes_flow {
            EarlyRole::Undecidable
        } else if self.reads_changing & active != 0 {
            EarlyRole::Unknown
        } else {
            // Values only appear: a match on what is known stays a match.
            EarlyRole::Known
        }
    }
}

/// Which body processors fill a variable: bits of a mask.
pub(crate) struct BodyMask;

impl BodyMask {
    /// Set whenever a body is processed, whatever its processor
    /// (`REQBODY_ERROR`, `REQUEST_BODY_LENGTH`, `INBOUND_DATA_ERROR`, ...).
    pub const ANY: u8 = 1;
    /// URLENCODED.
    pub const URLENCODED: u8 = 2;
    /// MULTIPART.
    pub const MULTIPART: u8 = 4;
    /// JSON.
    pub const JSON: u8 = 8;
    /// XML.
    pub const XML: u8 = 16;
    /// `REQUEST_BODY` forced by `ctl:forceRequestBodyVariable`.
    pub const FORCED: u8 = 32;
    /// Every processor that yields arguments.
    pub const ARGS: u8 = Self::URLENCODED | Self::MULTIPART | Self::JSON | Self::XML;
}

