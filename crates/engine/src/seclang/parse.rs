//! Turns lexed directives into [`Directive`]s: splits variable lists, the
//! operator and the action list, checking their syntax (not their meaning:
//! unknown variables, operators and actions are the compiler's business).

use super::ast::*;
use super::lex::{RawDirective, Token};

/// A syntax problem at a byte offset of the file being parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// Byte offset in the file.
    pub offset: u32,
    /// Lowercase message.
    pub message: String,
}

type Result<T> = std::result::Result<T, SyntaxError>;

fn err<T>(offset: u32, message: impl Into<String>) -> Result<T> {
    Err(SyntaxError { offset, message: message.into() })
}

/// Parse one lexed directive of file `file`. `Ok(None)` for directives that
/// are accepted and do nothing here (audit log settings and the like are
/// returned as [`Setting::Ignored`], so this is only for empty input).
pub fn parse_directive(file: u32, d: &RawDirective) -> Result<Directive> {
    let loc = Loc { file, offset: d.name.start() };
    let name = d.name.text.to_ascii_lowercase();
    let args = &d.args;
    let arg = |i: usize| -> Result<&Token> {
        args.get(i).ok_or_else(|| SyntaxError {
            offset: d.name.start(),
            message: format!("{} expects at least {} argument{}", d.name.text, i + 1, if i == 0 { "" } else { "s" }),
        })
    };
    let max_args = |n: usize| -> Result<()> {
        match args.get(n) {
            Some(t) => err(t.start(), format!("{} takes at most {n} argument{}; unexpected `{}` (missing quotes or a line continuation?)", d.name.text, if n == 1 { "" } else { "s" }, t.text)),
            None => Ok(()),
        }
    };
    Ok(match name.as_str() {
        "secrule" => {
            max_args(3)?;
            let targets = parse_targets(file, arg(0)?)?;
            let operator = parse_operator(file, arg(1)?)?;
            let actions = match args.get(2) {
                Some(t) => parse_actions(file, t)?,
                None => Vec::new(),
            };
            Directive::Rule(RuleAst { targets, operator, actions, loc })
        }
        "secaction" => {
            max_args(1)?;
            let actions = parse_actions(file, arg(0)?)?;
            let operator = OperatorAst { name: "unconditionalmatch".into(), param: String::new(), negated: false, loc };
            Directive::Action(RuleAst { targets: Vec::new(), operator, actions, loc })
        }
        "secmarker" => {
            max_args(1)?;
            Directive::Marker { name: arg(0)?.text.clone(), loc }
        }
        "secdefaultaction" => {
            max_args(1)?;
            Directive::DefaultAction { actions: parse_actions(file, arg(0)?)?, loc }
        }
        "secruleengine" => {
            max_args(1)?;
            let t = arg(0)?;
            let mode = match t.text.to_ascii_lowercase().as_str() {
                "on" => crate::RuleEngineMode::On,
                "off" => crate::RuleEngineMode::Off,
                "detectiononly" => crate::RuleEngineMode::DetectionOnly,
                _ => return err(t.start(), format!("SecRuleEngine expects On, Off or DetectionOnly, not `{}`", t.text)),
            };
            Directive::RuleEngine { mode, loc }
        }
        "secruleremovebyid" => {
            let mut ranges = Vec::new();
            for t in args {
                ranges.extend(parse_id_ranges(t)?);
            }
            if ranges.is_empty() {
                return err(loc.offset, "SecRuleRemoveById expects rule ids or ranges");
            }
            Directive::RemoveById { ranges, loc }
        }
        "secruleremovebytag" => {
            max_args(1)?;
            Directive::RemoveByTag { pattern: arg(0)?.text.clone(), loc }
        }
        "secruleremovebymsg" => {
            max_args(1)?;
            Directive::RemoveByMsg { pattern: arg(0)?.text.clone(), loc }
        }
        "secruleupdatetargetbyid" => {
            max_args(3)?;
            let ranges = parse_id_ranges(arg(0)?)?;
            let targets = parse_targets(file, arg(1)?)?;
            let replaced = match args.get(2) {
                Some(t) => Some(parse_targets(file, t)?),
                None => None,
            };
            Directive::UpdateTargetById { ranges, targets, replaced, loc }
        }
        "secruleupdatetargetbytag" => {
            max_args(2)?;
            Directive::UpdateTargetByTag { pattern: arg(0)?.text.clone(), targets: parse_targets(file, arg(1)?)?, loc }
        }
        "secruleupdateactionbyid" => {
            max_args(2)?;
            let t = arg(0)?;
            let rule_id = t.text.trim().parse::<i64>().or_else(|_| err(t.start(), format!("expected a rule id, not `{}`", t.text)))?;
            Directive::UpdateActionById { rule_id, actions: parse_actions(file, arg(1)?)?, loc }
        }
        "secruleconfirmbytag" | "secruleconfirmbyid" => {
            max_args(3)?;
            let t = arg(0)?;
            let select = if name == "secruleconfirmbytag" {
                ConfirmSelect::Tags(t.text.clone())
            } else {
                let ranges = parse_id_ranges(t)?;
                if ranges.is_empty() {
                    return err(t.start(), "SecRuleConfirmById expects rule ids or ranges");
                }
                ConfirmSelect::Ids(ranges)
            };
            let operator = parse_operator(file, arg(1)?)?;
            let actions = match args.get(2) {
                Some(t) => parse_actions(file, t)?,
                None => Vec::new(),
            };
            Directive::Confirm { select, rule: RuleAst { targets: Vec::new(), operator, actions, loc }, loc }
        }
        "include" => {
            max_args(1)?;
            Directive::Include { path: arg(0)?.text.clone(), loc }
        }
        "secrequestbodyaccess" => Directive::Setting(Setting::RequestBodyAccess(on_off(arg(0)?)?), loc),
        "secresponsebodyaccess" => Directive::Setting(Setting::ResponseBodyAccess(on_off(arg(0)?)?), loc),
        "secrequestbodylimit" => Directive::Setting(Setting::RequestBodyLimit(number(arg(0)?)?), loc),
        "secrequestbodynofileslimit" => Directive::Setting(Setting::RequestBodyNoFilesLimit(number(arg(0)?)?), loc),
        "secresponsebodylimit" => Directive::Setting(Setting::ResponseBodyLimit(number(arg(0)?)?), loc),
        "secargumentslimit" => Directive::Setting(Setting::ArgumentsLimit(number(arg(0)?)?), loc),
        "secgraphqlarguments" => Directive::Setting(Setting::GraphqlArguments(on_off(arg(0)?)?), loc),
        "secrequestbodyjsondepthlimit" => Directive::Setting(Setting::JsonDepthLimit(number(arg(0)?)?), loc),
        "secrequestbodylimitaction" => Directive::Setting(Setting::RequestBodyLimitAction(limit_action(arg(0)?)?), loc),
        "secresponsebodylimitaction" => Directive::Setting(Setting::ResponseBodyLimitAction(limit_action(arg(0)?)?), loc),
        "secresponsebodymimetype" => {
            let types = args.iter().flat_map(|t| t.text.split_whitespace().map(|s| s.to_ascii_lowercase()).collect::<Vec<_>>()).collect();
            Directive::Setting(Setting::ResponseBodyMimeType(types), loc)
        }
        "seccomponentsignature" => Directive::Setting(Setting::ComponentSignature(arg(0)?.text.clone()), loc),
        // Accepted, no effect here: logging goes through verdicts, files do not exist in Envoy.
        "secauditengine" | "secauditlog" | "secauditlog2" | "secauditlogparts" | "secauditlogtype" | "secauditlogformat"
        | "secauditlogstoragedir" | "secauditlogdirmode" | "secauditlogfilemode" | "secauditlogrelevantstatus"
        | "secdebuglog" | "secdebugloglevel" | "sectmpdir" | "secdatadir" | "secuploaddir" | "secuploadkeepfiles"
        | "secuploadfilemode" | "secuploadfilelimit" | "secpcrematchlimit" | "secpcrematchlimitrecursion"
        | "seccollectiontimeout" | "secargumentseparator" | "seccookieformat" | "secunicodemapfile" | "secstatusengine"
        | "sectmpsaveuploadedfiles" | "secrequestbodyinmemorylimit" | "secxmlexternalentity" | "secgeolookupdb"
        | "secresponsebodymimetypesclear" | "secconnengine" | "secwebappid" | "secsensorid" | "sechttpblkey"
        | "secruleinheritance" | "secremoterules" | "secremoterulesfailaction" | "secinterceptonerror" | "secunicodecodepage" => {
            Directive::Setting(Setting::Ignored(d.name.text.clone()), loc)
        }
        _ => return err(d.name.start(), format!("unknown directive `{}`", d.name.text)),
    })
}

fn on_off(t: &Token) -> Result<bool> {
    match t.text.to_ascii_lowercase().as_str() {
        "on" => Ok(true),
        "off" => Ok(false),
        _ => err(t.start(), format!("expected On or Off, not `{}`", t.text)),
    }
}

fn number(t: &Token) -> Result<u64> {
    t.text.trim().parse().or_else(|_| err(t.start(), format!("expected a non-negative number, not `{}`", t.text)))
}

fn limit_action(t: &Token) -> Result<crate::BodyLimitAction> {
    match t.text.to_ascii_lowercase().as_str() {
        "reject" => Ok(crate::BodyLimitAction::Reject),
        "processpartial" => Ok(crate::BodyLimitAction::ProcessPartial),
        _ => err(t.start(), format!("expected Reject or ProcessPartial, not `{}`", t.text)),
    }
}

/// The ids and ranges of one token (`1 2 100-200`, `1,2`), in order.
fn parse_id_ranges(t: &Token) -> Result<Vec<(i64, i64)>> {
    t.text.split([' ', ',']).filter(|s| !s.is_empty()).map(|part| parse_id_range(t, part)).collect()
}

fn parse_id_range(t: &Token, part: &str) -> Result<(i64, i64)> {
    let bad = || SyntaxError { offset: t.start(), message: format!("expected a rule id or range like 100-200, not `{part}`") };
    match part.split_once('-') {
        Some((a, b)) => {
            let a = a.trim().parse::<i64>().map_err(|_| bad())?;
            let b = b.trim().parse::<i64>().map_err(|_| bad())?;
            if a > b {
                return Err(bad());
            }
            Ok((a, b))
        }
        None => {
            let a = part.trim().parse::<i64>().map_err(|_| bad())?;
            Ok((a, a))
        }
    }
}

/// Parse `VAR[:sel]|!VAR:sel|&VAR...`. A `/regex/` selector may contain `|`.
pub fn parse_targets(file: u32, t: &Token) -> Result<Vec<TargetAst>> {
    let s = t.text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() {
        while i < s.len() && (s[i] == b' ' || s[i] == b'|' || s[i] == b',') {
            i += 1;
        }
        if i >= s.len() {
            break;
        }
        let start = i;
        let mut exclude = false;
        let mut count = false;
        loop {
            match s.get(i) {
                Some(b'!') => exclude = true,
                Some(b'&') => count = true,
                _ => break,
            }
            i += 1;
        }
        let name_start = i;
        while i < s.len() && (s[i].is_ascii_alphanumeric() || s[i] == b'_') {
            i += 1;
        }
        let variable = t.text[name_start..i].to_string();
        if variable.is_empty() {
            return err(t.source_offset(start), format!("expected a variable name in `{}`", t.text));
        }
        let mut selector = None;
        if s.get(i) == Some(&b':') || s.get(i) == Some(&b'.') {
            i += 1;
            // Quoted selector: 'value' or '/regex/'.
            let quoted = s.get(i) == Some(&b'\'');
            if quoted {
                i += 1;
            }
            if s.get(i) == Some(&b'/') && !variable.eq_ignore_ascii_case("XML") {
                let re_start = i + 1;
                let mut j = re_start;
                let mut found = None;
                while j < s.len() {
                    match s[j] {
                        b'\\' => j += 2,
                        b'/' => {
                            found = Some(j);
                            break;
                        }
                        _ => j += 1,
                    }
                }
                let Some(end) = found else {
                    return err(t.source_offset(i), "unterminated /regex/ selector");
                };
                selector = Some(SelectorAst::Regex(t.text[re_start..end].to_string()));
                i = end + 1;
                if quoted && s.get(i) == Some(&b'\'') {
                    i += 1;
                }
            } else {
                let key_start = i;
                if quoted {
                    while i < s.len() && s[i] != b'\'' {
                        i += 1;
                    }
                    selector = Some(SelectorAst::Key(t.text[key_start..i].to_string()));
                    i += 1;
                } else {
                    while i < s.len() && s[i] != b'|' {
                        i += 1;
                    }
                    selector = Some(SelectorAst::Key(t.text[key_start..i].trim_end().to_string()));
                }
            }
        }
        if i < s.len() && s[i] != b'|' && s[i] != b' ' && s[i] != b',' {
            return err(t.source_offset(i), format!("unexpected `{}` in variable list", s[i] as char));
        }
        out.push(TargetAst { variable, selector, exclude, count, loc: Loc { file, offset: t.source_offset(start) } });
    }
    if out.is_empty() {
        return err(t.start(), "empty variable list");
    }
    Ok(out)
}

/// Parse `[!]@name param` (or a bare regex, which means `@rx`).
pub fn parse_operator(file: u32, t: &Token) -> Result<OperatorAst> {
    let loc = Loc { file, offset: t.start() };
    let mut s = t.text.trim_start();
    let mut negated = false;
    if let Some(rest) = s.strip_prefix('!') {
        negated = true;
        s = rest.trim_start();
    }
    if let Some(rest) = s.strip_prefix('@') {
        let end = rest.find([' ', '\t']).unwrap_or(rest.len());
        let name = rest[..end].to_ascii_lowercase();
        if name.is_empty() {
            return err(t.start(), "missing operator name after `@`");
        }
        let param = rest[end..].trim_start_matches([' ', '\t']).to_string();
        Ok(OperatorAst { name, param, negated, loc })
    } else {
        Ok(OperatorAst { name: "rx".into(), param: s.to_string(), negated, loc })
    }
}

/// Parse a comma-separated action list; values may be `'quoted'` (with `\'`).
pub fn parse_actions(file: u32, t: &Token) -> Result<Vec<ActionAst>> {
    let s = t.text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() {
        while i < s.len() && (s[i] == b' ' || s[i] == b'\t' || s[i] == b',' || s[i] == b'\r' || s[i] == b'\n') {
            i += 1;
        }
        if i >= s.len() {
            break;
        }
        let start = i;
        while i < s.len() && s[i] != b':' && s[i] != b',' {
            i += 1;
        }
        let name = t.text[start..i].trim().to_ascii_lowercase();
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') {
            return err(t.source_offset(start), format!("malformed action `{}`", t.text[start..i].trim()));
        }
        let mut value = None;
        if s.get(i) == Some(&b':') {
            i += 1;
            while i < s.len() && s[i] == b' ' {
                i += 1;
            }
            if s.get(i) == Some(&b'\'') {
                let q = i;
                i += 1;
                let mut v = Vec::new();
                let mut closed = false;
                while i < s.len() {
                    match s[i] {
                        b'\\' if s.get(i + 1) == Some(&b'\'') => {
                            v.push(b'\'');
                            i += 2;
                        }
                        b'\'' => {
                            closed = true;
                            i += 1;
                            break;
                        }
                        c => {
                            v.push(c);
                            i += 1;
                        }
                    }
                }
                if !closed {
                    return err(t.source_offset(q), format!("unterminated quote in action `{name}`"));
                }
                // Anything between the closing quote and the next comma is an error.
                let rest_start = i;
                while i < s.len() && s[i] != b',' {
                    i += 1;
                }
                if !t.text[rest_start..i].trim().is_empty() {
                    return err(t.source_offset(rest_start), format!("unexpected text after the quoted value of action `{name}`"));
                }
                value = Some(String::from_utf8_lossy(&v).into_owned());
            } else {
                let vs = i;
                while i < s.len() && s[i] != b',' {
                    i += 1;
                }
                value = Some(t.text[vs..i].trim().to_string());
            }
        }
        out.push(ActionAst { name, value, loc: Loc { file, offset: t.source_offset(start) } });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::lex::lex;
    use super::*;

    fn one(src: &str) -> Directive {
        let (d, e) = lex(src);
        assert!(e.is_empty());
        match parse_directive(0, &d[0]) {
            Ok(d) => d,
            Err(e) => panic!("{e:?}"),
        }
    }

    #[test]
    fn secrule_parts() {
        let d = one(r#"SecRule ARGS|!ARGS:foo|&TX:x|REQUEST_HEADERS:/^(a|b)$/ "!@rx ^\d+$" "id:1,phase:2,msg:'it\'s, here',t:none,t:lowercase""#);
        let Directive::Rule(r) = d else { panic!() };
        assert_eq!(r.targets.len(), 4);
        assert!(r.targets[1].exclude);
        assert!(r.targets[2].count);
        assert_eq!(r.targets[3].selector, Some(SelectorAst::Regex("^(a|b)$".into())));
        assert!(r.operator.negated);
        assert_eq!(r.operator.param, "^\\d+$");
        assert_eq!(r.actions[2].value.as_deref(), Some("it's, here"));
        assert_eq!(r.actions.len(), 5);
    }

    #[test]
    fn bare_regex_operator() {
        let Directive::Rule(r) = one(r#"SecRule REQUEST_URI "foo|bar" "id:2""#) else { panic!() };
        assert_eq!(r.operator.name, "rx");
        assert_eq!(r.operator.param, "foo|bar");
    }

    #[test]
    fn unknown_directive() {
        let (d, _) = lex("SecFoo bar");
        assert!(parse_directive(0, &d[0]).is_err());
    }
}
