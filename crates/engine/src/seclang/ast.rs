//! Plain data for parsed SecLang directives. No behaviour lives here: the
//! compiler turns these into a [`crate::compile::Program`].

/// A source location inside the build: file index and byte offset.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Loc {
    /// Index of the file in the build's file table.
    pub file: u32,
    /// Byte offset inside that file.
    pub offset: u32,
}

/// One directive that the compiler acts on.
#[derive(Clone, Debug, PartialEq)]
pub enum Directive {
    /// `SecRule VARIABLES OPERATOR [ACTIONS]`.
    Rule(RuleAst),
    /// `SecAction ACTIONS`: a rule that always matches.
    Action(RuleAst),
    /// `SecMarker NAME`: a target for `skipAfter`.
    Marker { name: String, loc: Loc },
    /// `SecDefaultAction ACTIONS`.
    DefaultAction { actions: Vec<ActionAst>, loc: Loc },
    /// `SecRuleEngine On|Off|DetectionOnly`.
    RuleEngine { mode: crate::RuleEngineMode, loc: Loc },
    /// `SecRuleRemoveById 1 2 100-200`.
    RemoveById { ranges: Vec<(i64, i64)>, loc: Loc },
    /// `SecRuleRemoveByTag REGEX`.
    RemoveByTag { pattern: String, loc: Loc },
    /// `SecRuleRemoveByMsg REGEX`.
    RemoveByMsg { pattern: String, loc: Loc },
    /// `SecRuleUpdateTargetById ID TARGETS [REPLACED]`.
    UpdateTargetById { ranges: Vec<(i64, i64)>, targets: Vec<TargetAst>, replaced: Option<Vec<TargetAst>>, loc: Loc },
    /// `SecRuleUpdateTargetByTag TAG TARGETS`.
    UpdateTargetByTag { pattern: String, targets: Vec<TargetAst>, loc: Loc },
    /// `SecRuleUpdateActionById ID ACTIONS`.
    UpdateActionById { rule_id: i64, actions: Vec<ActionAst>, loc: Loc },
    /// `SecRuleConfirmByTag TAGS OPERATOR [ACTIONS]` and
    /// `SecRuleConfirmById IDS OPERATOR [ACTIONS]` (Portcullis extensions):
    /// a value matched by a selected rule counts as a match only when
    /// OPERATOR, after the given transformations, also holds for it. `rule`
    /// has no targets; its actions may only be transformations and `multiMatch`.
    Confirm { select: ConfirmSelect, rule: RuleAst, loc: Loc },
    /// A directive that sets an engine option (body access, limits, ...).
    Setting(Setting, Loc),
    /// `Include PATH`: resolved by the loader.
    Include { path: String, loc: Loc },
}

/// Which rules a confirmation binds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfirmSelect {
    /// Rules carrying one of these tags (blank-separated, compared exactly).
    Tags(String),
    /// Rules whose id lies in one of these inclusive ranges.
    Ids(Vec<(i64, i64)>),
}

impl ConfirmSelect {
    /// The directive that wrote it, for messages.
    pub fn directive(&self) -> &'static str {
        match self {
            ConfirmSelect::Tags(_) => "SecRuleConfirmByTag",
            ConfirmSelect::Ids(_) => "SecRuleConfirmById",
        }
    }
}

/// Engine options set by directives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Setting {
    /// `SecRequestBodyAccess On|Off`.
    RequestBodyAccess(bool),
    /// `SecResponseBodyAccess On|Off`.
    ResponseBodyAccess(bool),
    /// `SecRequestBodyLimit N`.
    RequestBodyLimit(u64),
    /// `SecRequestBodyNoFilesLimit N`.
    RequestBodyNoFilesLimit(u64),
    /// `SecRequestBodyLimitAction Reject|ProcessPartial`.
    RequestBodyLimitAction(crate::BodyLimitAction),
    /// `SecResponseBodyLimit N`.
    ResponseBodyLimit(u64),
    /// `SecResponseBodyLimitAction Reject|ProcessPartial`.
    ResponseBodyLimitAction(crate::BodyLimitAction),
    /// `SecResponseBodyMimeType a/b c/d`.
    ResponseBodyMimeType(Vec<String>),
    /// `SecArgumentsLimit N`.
    ArgumentsLimit(u64),
    /// `SecRequestBodyJsonDepthLimit N`.
    JsonDepthLimit(u64),
    /// `SecGraphQLArguments On|Off` (a Portcullis extension): the string
    /// values written inside a GraphQL document are arguments too.
    GraphqlArguments(bool),
    /// `SecComponentSignature "..."`.
    ComponentSignature(String),
    /// A directive accepted for compatibility that has no effect in this
    /// engine (audit log, debug log, tmp dirs, ...). Kept so `lint` can list them.
    Ignored(String),
}

/// A `SecRule` or `SecAction`.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleAst {
    /// The targets (empty for `SecAction`).
    pub targets: Vec<TargetAst>,
    /// The operator (`@unconditionalMatch` for `SecAction`).
    pub operator: OperatorAst,
    /// The actions, in written order.
    pub actions: Vec<ActionAst>,
    /// Where the directive starts.
    pub loc: Loc,
}

/// One target: `[!|&]VARIABLE[:selector]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TargetAst {
    /// The variable name as written (e.g. `REQUEST_HEADERS`).
    pub variable: String,
    /// The selector after `:`, if any.
    pub selector: Option<SelectorAst>,
    /// `!`: remove matching values from the rule's targets.
    pub exclude: bool,
    /// `&`: the target yields the number of values instead of the values.
    pub count: bool,
    /// Where it starts.
    pub loc: Loc,
}

/// What follows `VARIABLE:`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SelectorAst {
    /// A key, compared case-insensitively (`ARGS:id`), or an XPath for `XML`.
    Key(String),
    /// `/regex/`: keys the regex matches.
    Regex(String),
}

/// The operator: `[!]@name param`, or a bare regex.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OperatorAst {
    /// Operator name without `@` (`rx` when none was written).
    pub name: String,
    /// The parameter, macros not yet expanded.
    pub param: String,
    /// `!`: the rule matches when the operator does not.
    pub negated: bool,
    /// Where the operator string starts.
    pub loc: Loc,
}

/// One action: `name[:value]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionAst {
    /// Lowercased action name.
    pub name: String,
    /// The value after `:`, quotes removed.
    pub value: Option<String>,
    /// Where the action starts.
    pub loc: Loc,
}
