//! Types for what rules are named and when they run: [`RuleId`] (the
//! SecLang `id:`) and [`Phase`] (1-5). A rule's position in the compiled
//! program is a `RuleIdx` (crate-internal), never a bare number.

use std::fmt;

/// A rule's SecLang `id:` (`942100`). Chain links without an id of their
/// own carry 0.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RuleId(pub i64);

impl RuleId {
    /// The number as written in the rule.
    #[inline]
    pub const fn get(self) -> i64 {
        self.0
    }

    /// Whether the id lies in one of the inclusive `ranges` (as
    /// `SecRuleRemoveById 100-200` and its kin write them).
    #[inline]
    pub(crate) fn in_ranges(self, ranges: &[(i64, i64)]) -> bool {
        ranges.iter().any(|&(lo, hi)| lo <= self.0 && self.0 <= hi)
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl From<i64> for RuleId {
    fn from(n: i64) -> RuleId {
        RuleId(n)
    }
}

impl PartialEq<i64> for RuleId {
    fn eq(&self, other: &i64) -> bool {
        self.0 == *other
    }
}

/// When a rule runs, as ModSecurity numbers the phases.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Phase {
    /// 1: the request line and headers.
    RequestHeaders = 1,
    /// 2: the request body (or the end of the headers when there is none).
    RequestBody = 2,
    /// 3: the response headers.
    ResponseHeaders = 3,
    /// 4: the response body.
    ResponseBody = 4,
    /// 5: logging, after the exchange; runs even after an interruption.
    Logging = 5,
}

impl Phase {
    /// Every phase, in order.
    pub const ALL: [Phase; 5] = [Phase::RequestHeaders, Phase::RequestBody, Phase::ResponseHeaders, Phase::ResponseBody, Phase::Logging];

    /// The phase's number (1-5).
    #[inline]
    pub const fn number(self) -> u8 {
        self as u8
    }

    /// The phase numbered `n` (1-5).
    pub const fn from_number(n: u8) -> Option<Phase> {
        match n {
            1 => Some(Phase::RequestHeaders),
            2 => Some(Phase::RequestBody),
            3 => Some(Phase::ResponseHeaders),
            4 => Some(Phase::ResponseBody),
            5 => Some(Phase::Logging),
            _ => None,
        }
    }

    /// The phase's slot in per-phase tables (its number).
    #[inline]
    pub(crate) const fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.number().fmt(f)
    }
}
