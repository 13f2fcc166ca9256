//! Operators (`@rx`, `@pm`, `@eq`, ...): a closed enum dispatched by `match`.
//! Each leaf family lives in its own file; the transaction drives them
//! (macro expansion, regex caches and captures need its state).

pub(crate) mod inject;
pub(crate) mod ip;
pub(crate) mod num;
pub(crate) mod pm;
pub(crate) mod rx;
pub(crate) mod string;
pub(crate) mod validate;

use crate::expand::Macro;

/// String comparisons whose parameter may hold macros.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum StrOp {
    StrEq,
    Contains,
    ContainsWord,
    BeginsWith,
    EndsWith,
    Within,
    StrMatch,
}

/// Integer comparisons (`input OP parameter`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NumOp {
    Eq,
    Ge,
    Gt,
    Le,
    Lt,
}

/// The right-hand side of a numeric comparison.
#[derive(Clone, Debug)]
pub(crate) enum NumArg {
    Const(i64),
    Macro(Macro),
}

/// A compiled operator.
#[derive(Debug)]
pub(crate) enum Op {
    /// Index into the rule set's regex table.
    Rx(u32),
    /// Index into the rule set's phrase-set table.
    Pm(u32),
    Str(StrOp, Macro),
    Num(NumOp, NumArg),
    IpMatch(Box<ip::IpSet>),
    ValidateByteRange(Box<validate::ByteRanges>),
    ValidateUrlEncoding,
    ValidateUtf8Encoding,
    DetectSqli,
    DetectXss,
    Unconditional,
    NoMatch,
}

/// An operator with its negation and its names for log messages.
#[derive(Debug)]
pub(crate) struct Operator {
    pub op: Op,
    pub negated: bool,
    /// ModSecurity's display name (`Rx`, `Pm`, ...).
    pub display: &'static str,
    /// The parameter as written.
    pub param: Box<str>,
}

impl NumOp {
    /// Read a number the way ModSecurity v3 does for this operator: `@eq`
    /// uses `std::stoi` (failure → 0), the others `atoll`.
    pub fn parse(self, s: &[u8]) -> i64 {
        match self {
            NumOp::Eq => num::parse_int_eq(s),
            _ => num::parse_int(s),
        }
    }

    /// Compare `input OP param`.
    pub fn holds(self, input: i64, param: i64) -> bool {
        match self {
            NumOp::Eq => input == param,
            NumOp::Ge => input >= param,
            NumOp::Gt => input > param,
            NumOp::Le => input <= param,
            NumOp::Lt => input < param,
        }
    }
}

impl StrOp {
    /// Apply to `input` with the expanded `param`.
    pub fn holds(self, param: &[u8], input: &[u8]) -> bool {
        match self {
            StrOp::StrEq => string::streq(param, input),
            StrOp::Contains => string::contains(param, input),
            StrOp::ContainsWord => string::contains_word(param, input),
            StrOp::BeginsWith => string::begins_with(param, input),
            StrOp::EndsWith => string::ends_with(param, input),
            StrOp::Within => string::within(param, input),
            StrOp::StrMatch => string::strmatch(param, input),
        }
    }
}

/// Look up an operator by SecLang name (lowercase, without `@`): its display name.
pub(crate) fn display_name(name: &str) -> Option<&'static str> {
    Some(match name {
        "rx" => "Rx",
        "pm" => "Pm",
        "pmfromfile" | "pmf" => "PmFromFile",
        "streq" => "StrEq",
        "contains" => "Contains",
        "containsword" => "ContainsWord",
        "beginswith" => "BeginsWith",
        "endswith" => "EndsWith",
        "within" => "Within",
        "strmatch" => "StrMatch",
        "eq" => "Eq",
        "ge" => "Ge",
        "gt" => "Gt",
        "le" => "Le",
        "lt" => "Lt",
        "ipmatch" => "IpMatch",
        "ipmatchfromfile" | "ipmatchf" => "IpMatchFromFile",
        "validatebyterange" => "ValidateByteRange",
        "validateurlencoding" => "ValidateUrlEncoding",
        "validateutf8encoding" => "ValidateUtf8Encoding",
        "detectsqli" => "DetectSQLi",
        "detectxss" => "DetectXSS",
        "unconditionalmatch" => "UnconditionalMatch",
        "nomatch" => "NoMatch",
        _ => return None,
    })
}
