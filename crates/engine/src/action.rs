//! Actions: the comma-separated list after the operator, typed.
//!
//! ModSecurity sorts actions into classes (disruptive, flow, metadata,
//! variable, non-disruptive); [`RuleActions`] keeps each class in its own
//! field so the evaluator never looks an action up by name.

use crate::id::Phase;
use crate::expand::{Macro, TxId, TxNames};
use crate::seclang::ast::{ActionAst, Loc};
use crate::transform::Transform;
use crate::variable::Variable;
use crate::RuleEngineMode;

/// A disruptive action (the last one written wins, as in ModSecurity).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Disruptive {
    /// `pass`: go on with the next rule.
    Pass,
    /// `deny`: stop with `status` (403 by default).
    Deny,
    /// `drop`: stop and close the connection.
    Drop,
    /// `redirect:URL`.
    Redirect(String),
    /// `allow` (`allow`, `allow:phase`, `allow:request`).
    Allow(AllowKind),
}

/// What `allow` skips.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AllowKind {
    /// `allow`: every later rule of the transaction (but logging).
    All,
    /// `allow:phase`: the rest of the current phase.
    Phase,
    /// `allow:request`: the rest of the request phases (1-2).
    Request,
}

/// The name part of a `setvar`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum VarName {
    /// Known at compile time.
    Static(TxId),
    /// Built from macros at run time (`tx.%{rule.id}_x`).
    Dynamic(Macro),
}

/// What a `setvar` does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum SetOp {
    /// `tx.x=value`.
    Set(Macro),
    /// `tx.x`: set to `1`.
    SetOne,
    /// `!tx.x`: remove.
    Unset,
    /// `tx.x=+n`.
    Add(Macro),
    /// `tx.x=-n`.
    Sub(Macro),
}

/// A compiled `setvar` on TX. Persistent collections (IP, SESSION, ...) are
/// not kept in a proxy: their setvars are dropped at compile time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SetVar {
    pub name: VarName,
    pub op: SetOp,
}

/// A target named in a `ctl:ruleRemoveTarget*` action.
#[derive(Clone, Debug)]
pub(crate) struct CtlTarget {
    pub variable: Variable,
    /// Lowercased key; `None` removes the whole variable.
    pub key: Option<Box<[u8]>>,
    /// `VAR:/regex/` key pattern.
    pub key_regex: Option<regex_automata::meta::Regex>,
}

/// The request body processors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyProcessor {
    /// `application/x-www-form-urlencoded`.
    Urlencoded,
    /// `multipart/form-data`.
    Multipart,
    /// JSON (selected by `ctl:requestBodyProcessor=JSON`).
    Json,
    /// XML (selected by `ctl:requestBodyProcessor=XML`).
    Xml,
}

impl BodyProcessor {
    /// The name REQBODY_PROCESSOR shows.
    pub fn name(self) -> &'static str {
        match self {
            BodyProcessor::Urlencoded => "URLENCODED",
            BodyProcessor::Multipart => "MULTIPART",
            BodyProcessor::Json => "JSON",
            BodyProcessor::Xml => "XML",
        }
    }
}

/// A tag named in a `ctl:` action; the compiler fills in its interned id
/// (`u32::MAX` when no rule carries it).
#[derive(Clone, Debug)]
pub(crate) struct TagRef {
    pub name: String,
    pub id: u32,
}

impl TagRef {
    fn new(name: &str) -> TagRef {
        TagRef { name: name.to_string(), id: u32::MAX }
    }
}

/// A `ctl:` action: changes the transaction from here on.
#[derive(Clone, Debug)]
pub(crate) enum Ctl {
    RuleEngine(RuleEngineMode),
    RuleRemoveById(Vec<(i64, i64)>),
    RuleRemoveByTag(TagRef),
    RuleRemoveTargetById(Vec<(i64, i64)>, CtlTarget),
    RuleRemoveTargetByTag(TagRef, CtlTarget),
    RequestBodyProcessor(BodyProcessor),
    RequestBodyAccess(bool),
    /// Fill REQUEST_BODY whatever the body processor.
    ForceRequestBodyVariable(bool),
    /// Accepted with no effect here (audit log settings, debug level).
    Ignored,
}

/// A non-disruptive action that runs, in written order, after a full match.
#[derive(Clone, Debug)]
pub(crate) enum RunAction {
    Ctl(Ctl),
    Skip(u32),
    SkipAfter(String),
    /// `status:N` (applies to the disruptive action).
    Status(u16),
    /// `log`/`auditlog`/`nolog`/`noauditlog` (their effect is in [`RuleActions::log`]).
    Log,
}

/// Everything a rule's action list says, by class.
#[derive(Clone, Debug, Default)]
pub(crate) struct RuleActions {
    pub id: Option<i64>,
    pub phase: Option<Phase>,
    pub chain: bool,
    pub disruptive: Option<Disruptive>,
    pub block: bool,
    pub status: Option<u16>,
    /// `t:` in order; `None` is `t:none`.
    pub transforms: Vec<Option<Transform>>,
    pub capture: bool,
    pub multi_match: bool,
    pub msg: Option<String>,
    pub logdata: Option<String>,
    pub severity: Option<u8>,
    pub tags: Vec<String>,
    pub rev: String,
    pub ver: String,
    pub maturity: u8,
    pub accuracy: u8,
    pub setvars: Vec<(String, Loc)>,
    pub run: Vec<RunAction>,
    /// `log` (true) / `nolog` (false) in written order.
    pub log: Vec<bool>,
}

/// A problem with one action.
pub(crate) struct ActionError {
    pub loc: Loc,
    pub message: String,
}

fn err<T>(a: &ActionAst, message: impl Into<String>) -> Result<T, ActionError> {
    Err(ActionError { loc: a.loc, message: message.into() })
}

fn value(a: &ActionAst) -> Result<&str, ActionError> {
    match a.value.as_deref() {
        Some(v) => Ok(v),
        None => err(a, format!("action `{}` needs a value (`{}:...`)", a.name, a.name)),
    }
}

/// Parse a severity by number or name.
pub(crate) fn parse_severity(v: &str) -> Option<u8> {
    if let Ok(n) = v.trim().parse::<u8>() {
        return (n <= 7).then_some(n);
    }
    crate::verdict::SEVERITY_NAMES.iter().position(|s| s.eq_ignore_ascii_case(v.trim())).map(|i| i as u8)
}

/// Parse `1`, `1-5`, `1,2,10-20` into inclusive ranges.
pub(crate) fn parse_id_ranges(v: &str) -> Option<Vec<(i64, i64)>> {
    let mut out = Vec::new();
    for part in v.split([',', ' ']).map(str::trim).filter(|s| !s.is_empty()) {
        match part.split_once('-') {
            Some((a, b)) => out.push((a.trim().parse().ok()?, b.trim().parse().ok()?)),
            None => {
                let n = part.parse().ok()?;
                out.push((n, n));
            }
        }
    }
    (!out.is_empty()).then_some(out)
}

/// Parse `VAR[:key]` as written in `ctl:ruleRemoveTarget*`.
pub(crate) fn parse_ctl_target(s: &str) -> Result<CtlTarget, String> {
    let (name, key) = match s.split_once(':') {
        Some((n, k)) => (n.trim(), Some(k.trim())),
        None => (s.trim(), None),
    };
    let variable = Variable::from_name(name).ok_or_else(|| format!("unknown variable `{name}`"))?;
    let mut t = CtlTarget { variable, key: None, key_regex: None };
    if let Some(k) = key {
        if k.len() >= 2 && k.starts_with('/') && k.ends_with('/') {
            let re = crate::operator::rx::build_key_regex(&k[1..k.len() - 1]).map_err(|e| format!("bad key regex `{k}`: {e}"))?;
            t.key_regex = Some(re);
        } else {
            t.key = Some(k.to_ascii_lowercase().into_bytes().into());
        }
    }
    Ok(t)
}

fn parse_ctl(a: &ActionAst) -> Result<Ctl, ActionError> {
    let v = value(a)?;
    let Some((name, arg)) = v.split_once('=') else {
        return err(a, format!("ctl needs `name=value`, not `{v}`"));
    };
    let arg = arg.trim();
    let on_off = |x: &str| match x.to_ascii_lowercase().as_str() {
        "on" | "true" | "1" => Ok(true),
        "off" | "false" | "0" => Ok(false),
        _ => err(a, format!("ctl:{name} expects On or Off, not `{x}`")),
    };
    fn id_target<'x>(a: &ActionAst, name: &str, x: &'x str) -> Result<(&'x str, CtlTarget), ActionError> {
        let Some((ids, target)) = x.split_once(';') else {
            return err(a, format!("ctl:{name} expects `ID;TARGET`, not `{x}`"));
        };
        let t = parse_ctl_target(target).or_else(|e| err(a, format!("ctl:{name}: {e}")))?;
        Ok((ids, t))
    }
    Ok(match name.trim().to_ascii_lowercase().as_str() {
        "ruleengine" => Ctl::RuleEngine(match arg.to_ascii_lowercase().as_str() {
            "on" => RuleEngineMode::On,
            "off" => RuleEngineMode::Off,
            "detectiononly" => RuleEngineMode::DetectionOnly,
            _ => return err(a, format!("ctl:ruleEngine expects On, Off or DetectionOnly, not `{arg}`")),
        }),
        "ruleremovebyid" => match parse_id_ranges(arg) {
            Some(r) => Ctl::RuleRemoveById(r),
            None => return err(a, format!("ctl:ruleRemoveById expects rule ids or ranges, not `{arg}`")),
        },
        "ruleremovebytag" => Ctl::RuleRemoveByTag(TagRef::new(arg)),
        "ruleremovetargetbyid" => {
            let (ids, t) = id_target(a, name, arg)?;
            match parse_id_ranges(ids) {
                Some(r) => Ctl::RuleRemoveTargetById(r, t),
                None => return err(a, format!("ctl:ruleRemoveTargetById expects a rule id, not `{ids}`")),
            }
        }
        "ruleremovetargetbytag" => {
            let (tag, t) = id_target(a, name, arg)?;
            Ctl::RuleRemoveTargetByTag(TagRef::new(tag), t)
        }
        "requestbodyprocessor" => Ctl::RequestBodyProcessor(match arg.to_ascii_uppercase().as_str() {
            "URLENCODED" => BodyProcessor::Urlencoded,
            "MULTIPART" => BodyProcessor::Multipart,
            "JSON" => BodyProcessor::Json,
            "XML" => BodyProcessor::Xml,
            _ => return err(a, format!("ctl:requestBodyProcessor expects URLENCODED, MULTIPART, JSON or XML, not `{arg}`")),
        }),
        "requestbodyaccess" => Ctl::RequestBodyAccess(on_off(arg)?),
        "forcerequestbodyvariable" => Ctl::ForceRequestBodyVariable(on_off(arg)?),
        "auditengine" | "auditlogparts" | "debugloglevel" | "requestbodylimit" | "hashengine" | "hashenforcement" => Ctl::Ignored,
        other => return err(a, format!("unknown ctl `{other}`")),
    })
}

/// Sort the actions of one rule (or of SecDefaultAction) into [`RuleActions`].
/// Every problem is pushed to `errors`; parsing goes on after one.
pub(crate) fn parse_actions(list: &[ActionAst], errors: &mut Vec<ActionError>) -> RuleActions {
    let mut r = RuleActions::default();
    for a in list {
        if let Err(e) = parse_one(a, &mut r) {
            errors.push(e);
        }
    }
    r
}

fn parse_one(a: &ActionAst, r: &mut RuleActions) -> Result<(), ActionError> {
    match a.name.as_str() {
        "id" => {
            let v = value(a)?;
            match v.trim().parse::<i64>() {
                Ok(n) if n > 0 => r.id = Some(n),
                _ => return err(a, format!("rule id must be a positive number, not `{v}`")),
            }
        }
        "phase" => {
            let v = value(a)?;
            r.phase = Some(match v.trim().to_ascii_lowercase().as_str() {
                "1" | "request_headers" => Phase::RequestHeaders,
                "2" | "request" => Phase::RequestBody,
                "3" | "response_headers" => Phase::ResponseHeaders,
                "4" | "response" => Phase::ResponseBody,
                "5" | "logging" => Phase::Logging,
                _ => return err(a, format!("phase must be 1-5, request, response or logging, not `{v}`")),
            });
        }
        "chain" => r.chain = true,
        "pass" => r.disruptive = Some(Disruptive::Pass),
        "deny" => r.disruptive = Some(Disruptive::Deny),
        "drop" => r.disruptive = Some(Disruptive::Drop),
        "block" => r.block = true,
        "redirect" => r.disruptive = Some(Disruptive::Redirect(value(a)?.to_string())),
        "allow" => {
            let kind = match a.value.as_deref().map(|v| v.trim().to_ascii_lowercase()) {
                None => AllowKind::All,
                Some(v) if v == "phase" => AllowKind::Phase,
                Some(v) if v == "request" => AllowKind::Request,
                Some(v) => return err(a, format!("allow takes `phase` or `request`, not `{v}`")),
            };
            r.disruptive = Some(Disruptive::Allow(kind));
        }
        "status" => {
            let v = value(a)?;
            match v.trim().parse::<u16>() {
                Ok(n) if (100..=999).contains(&n) => {
                    r.status = Some(n);
                    r.run.push(RunAction::Status(n));
                }
                _ => return err(a, format!("status must be an HTTP status code, not `{v}`")),
            }
        }
        "t" => {
            let v = value(a)?;
            if v.eq_ignore_ascii_case("none") {
                r.transforms.push(None);
            } else {
                match Transform::from_name(v.trim()) {
                    Some(t) => r.transforms.push(Some(t)),
                    None => return err(a, format!("unknown transformation `{v}`")),
                }
            }
        }
        "capture" => r.capture = true,
        "multimatch" => r.multi_match = true,
        "msg" => r.msg = Some(value(a)?.to_string()),
        "logdata" => r.logdata = Some(value(a)?.to_string()),
        "severity" => {
            let v = value(a)?;
            match parse_severity(v) {
                Some(s) => r.severity = Some(s),
                None => return err(a, format!("unknown severity `{v}` (0-7 or EMERGENCY ... DEBUG)")),
            }
        }
        "tag" => r.tags.push(value(a)?.to_string()),
        "rev" => r.rev = value(a)?.to_string(),
        "ver" => r.ver = value(a)?.to_string(),
        "maturity" => r.maturity = value(a)?.trim().parse().unwrap_or(0),
        "accuracy" => r.accuracy = value(a)?.trim().parse().unwrap_or(0),
        "setvar" => r.setvars.push((value(a)?.to_string(), a.loc)),
        "ctl" => r.run.push(RunAction::Ctl(parse_ctl(a)?)),
        "skip" => {
            let v = value(a)?;
            match v.trim().parse::<u32>() {
                Ok(n) if n > 0 => r.run.push(RunAction::Skip(n)),
                _ => return err(a, format!("skip needs a positive count, not `{v}`")),
            }
        }
        "skipafter" => r.run.push(RunAction::SkipAfter(value(a)?.trim().to_string())),
        "log" => {
            r.log.push(true);
            r.run.push(RunAction::Log);
        }
        "nolog" => {
            r.log.push(false);
            r.run.push(RunAction::Log);
        }
        // The audit log is not kept here. ModSecurity v3 lets `noauditlog`
        // also silence the error log (a known libmodsecurity3 bug CRS's own
        // tests work around); like v2 and CRS's intent, it does not here.
        "auditlog" | "noauditlog" => {}
        // Accepted, no effect in a proxy: persistent collections, environment,
        // sanitising the audit log (we keep none), debug aids.
        "initcol" | "setuid" | "setsid" | "setrsc" | "expirevar" | "deprecatevar" | "setenv" | "sanitisearg"
        | "sanitisematched" | "sanitisematchedbytes" | "sanitiserequestheader" | "sanitiseresponseheader"
        | "sanitizearg" | "sanitizematched" | "sanitizematchedbytes" | "sanitizerequestheader"
        | "sanitizeresponseheader" | "xmlns" | "pause" | "append" | "prepend" => {}
        "exec" | "proxy" => return err(a, format!("action `{}` is not supported in a proxy filter", a.name)),
        other => return err(a, format!("unknown action `{other}`")),
    }
    Ok(())
}

/// Parse one `setvar` value: `[!]collection.name[=[+|-]value]`.
pub(crate) fn parse_setvar(text: &str, tx: &mut TxNames) -> Result<Option<SetVar>, String> {
    let text = text.trim();
    let (unset, rest) = match text.strip_prefix('!') {
        Some(r) => (true, r),
        None => (false, text),
    };
    let (lhs, rhs) = match rest.split_once('=') {
        Some((l, r)) => (l.trim(), Some(r)),
        None => (rest.trim(), None),
    };
    let Some((coll, name)) = lhs.split_once('.') else {
        return Err(format!("setvar needs `collection.name`, not `{lhs}`"));
    };
    match coll.to_ascii_lowercase().as_str() {
        "tx" => {}
        "ip" | "session" | "global" | "user" | "resource" => return Ok(None),
        other => return Err(format!("setvar on unknown collection `{other}`")),
    }
    if name.is_empty() {
        return Err("setvar needs a variable name after `tx.`".into());
    }
    let name = if name.contains("%{") { VarName::Dynamic(Macro::parse(name, tx)?) } else { VarName::Static(tx.intern(name)) };
    let op = match (unset, rhs) {
        (true, _) => SetOp::Unset,
        (false, None) => SetOp::SetOne,
        (false, Some(v)) => {
            if let Some(n) = v.strip_prefix('+') {
                SetOp::Add(Macro::parse(n, tx)?)
            } else if let Some(n) = v.strip_prefix('-') {
                SetOp::Sub(Macro::parse(n, tx)?)
            } else {
                SetOp::Set(Macro::parse(v, tx)?)
            }
        }
    };
    Ok(Some(SetVar { name, op }))
}
