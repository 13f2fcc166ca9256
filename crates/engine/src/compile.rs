//! Directives → [`RuleSet`]: default actions, chains, removals and target
//! updates, operators (regexes, phrase sets), transformation chains, phase
//! step lists with `skipAfter` resolved to positions, and prefilters.
//! Everything is built here; nothing is compiled lazily at request time.

use rustc_hash::FxHashMap;

use crate::action::{self, Ctl, Disruptive, RuleActions, RunAction};
use crate::expand::{Macro, TxNames};
use crate::id::{Phase, RuleId};
use crate::load::Files;
use crate::operator::{self, NumArg, NumOp, Op, Operator, StrOp};
use crate::prefilter::Prefilter;
use crate::program::{Defaults, Exclude, Rule, RuleIdx, Run, Sel, Settings, Step, Target};
use crate::seclang::ast::{ConfirmSelect, Directive, Loc, RuleAst, SelectorAst, Setting, TargetAst};
use crate::seclang::error::{CompileError, DiagnosticKind};
use crate::source::RuleSource;
use crate::tchain::Chains;
use crate::variable::Variable;
use crate::operator::pm::Pm;
use crate::operator::rx::Rx;
use crate::Config;

/// An operator a prefilter stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum FilterItem {
    Rx(u32),
    Pm(u32),
}

/// `skipAfter` marker names to resolve: (rule index, marker name, where).
type SkipNames = Vec<(RuleIdx, String, Loc)>;

/// A rule with its chain links, before compilation.
struct Pending {
    links: Vec<(RuleAst, RuleActions)>,
    unconditional: bool,
}

enum Item {
    Rule(Pending),
    Marker(String),
}

/// Targets added by SecRuleUpdateTargetBy*.
struct TargetUpdate {
    ids: Vec<(i64, i64)>,
    tag: Option<String>,
    targets: Vec<TargetAst>,
    replaced: Option<Vec<TargetAst>>,
}

/// Everything [`crate::compile`] produces.
pub(crate) struct Parts {
    pub rules: Vec<Rule>,
    pub phases: [Vec<Step>; 6],
    pub regexes: Vec<Rx>,
    pub pms: Vec<Option<Pm>>,
    pub key_regexes: Vec<regex_automata::meta::Regex>,
    pub chains: Chains,
    pub prefilter: Option<Prefilter>,
    pub tx_names: TxNames,
    pub settings: Settings,
    pub defaults: [Defaults; 6],
    pub file_names: Vec<String>,
    pub signatures: Vec<String>,
    pub warnings: Vec<crate::Diagnostic>,
    pub skipped_rules: usize,
}

/// Compile parsed directives. `files` collects diagnostics; the caller turns
/// them into a `BuildError`.
pub(crate) fn compile(directives: Vec<Directive>, files: &mut Files, source: &dyn RuleSource, config: &Config) -> Parts {
    let mut settings = Settings::default();
    let mut defaults: [Option<(Defaults, Loc)>; 6] = Default::default();
    let mut items: Vec<Item> = Vec::new();
    let mut remove_ids: Vec<(i64, i64)> = Vec::new();
    let mut remove_tags: Vec<String> = Vec::new();
    let mut remove_msgs: Vec<String> = Vec::new();
    let mut updates: Vec<TargetUpdate> = Vec::new();
    let mut action_updates: Vec<(i64, Vec<crate::seclang::ast::ActionAst>, Loc)> = Vec::new();
    let mut confirms: Vec<(ConfirmSelect, RuleAst)> = Vec::new();
    let mut signatures = Vec::new();
    let mut open_chain: Option<Pending> = None;
    let mut action_errors = Vec::new();

    for d in directives {
        let is_rule = matches!(d, Directive::Rule(_) | Directive::Action(_));
        if !is_rule {
            if let Some(p) = open_chain.take() {
                let loc = p.links.last().map(|l| l.0.loc).unwrap_or_default();
                files.error(loc, p.links.first().and_then(|l| l.1.id), "rule has `chain` but no rule follows it");
                items.push(Item::Rule(p));
            }
        }
        match d {
            Directive::Rule(ast) | Directive::Action(ast) => {
                let unconditional = ast.targets.is_empty();
                let actions = action::parse_actions(&ast.actions, &mut action_errors);
                let chained = actions.chain;
                match open_chain.as_mut() {
                    Some(p) => p.links.push((ast, actions)),
                    None => open_chain = Some(Pending { links: vec![(ast, actions)], unconditional }),
                }
                if !chained {
                    if let Some(p) = open_chain.take() {
                        items.push(Item::Rule(p));
                    }
                }
            }
            Directive::Marker { name, .. } => items.push(Item::Marker(name)),
            Directive::DefaultAction { actions, loc } => {
                let a = action::parse_actions(&actions, &mut action_errors);
                let phase = a.phase.unwrap_or(Phase::RequestBody).index();
                if let Some(slot) = defaults.get_mut(phase) {
                    if slot.is_some() {
                        files.error(loc, None, format!("SecDefaultAction for phase {phase} is set twice; ModSecurity allows one per phase"));
                    }
                    let d = Defaults {
                        disruptive: a.disruptive.clone().unwrap_or(Disruptive::Pass),
                        status: a.status,
                        log: a.log.last().copied().unwrap_or(true),
                        transforms: a.transforms.iter().flatten().copied().collect(),
                    };
                    *slot = Some((d, loc));
                }
            }
            Directive::RuleEngine { mode, .. } => settings.rule_engine = mode,
            Directive::RemoveById { ranges, .. } => remove_ids.extend(ranges),
            Directive::RemoveByTag { pattern, .. } => remove_tags.push(pattern),
            Directive::RemoveByMsg { pattern, .. } => remove_msgs.push(pattern),
            Directive::UpdateTargetById { ranges, targets, replaced, .. } => {
                updates.push(TargetUpdate { ids: ranges, tag: None, targets, replaced })
            }
            Directive::UpdateTargetByTag { pattern, targets, .. } => {
                updates.push(TargetUpdate { ids: Vec::new(), tag: Some(pattern), targets, replaced: None })
            }
            Directive::UpdateActionById { rule_id, actions, loc } => action_updates.push((rule_id, actions, loc)),
            Directive::Confirm { select, rule, .. } => confirms.push((select, rule)),
            Directive::Setting(s, loc) => apply_setting(&mut settings, s, loc, files, &mut signatures),
            Directive::Include { .. } => {}
        }
    }
    if let Some(p) = open_chain.take() {
        let loc = p.links.last().map(|l| l.0.loc).unwrap_or_default();
        files.error(loc, p.links.first().and_then(|l| l.1.id), "rule has `chain` but no rule follows it");
        items.push(Item::Rule(p));
    }
    for e in action_errors {
        files.error(e.loc, None, e.message);
    }

    // SecRuleUpdateActionById: the new actions override the rule's.
    for (rule_id, acts, loc) in action_updates {
        let mut errs = Vec::new();
        let upd = action::parse_actions(&acts, &mut errs);
        for e in errs {
            files.error(e.loc, Some(rule_id), e.message);
        }
        let mut found = false;
        for item in items.iter_mut() {
            if let Item::Rule(p) = item {
                if let Some((_, a)) = p.links.first_mut() {
                    if a.id == Some(rule_id) {
                        found = true;
                        merge_actions(a, &upd);
                    }
                }
            }
        }
        if !found {
            files.error(loc, Some(rule_id), format!("SecRuleUpdateActionById: no rule with id {rule_id}"));
        }
    }

    // Static removals (ModSecurity applies them whatever the order of directives).
    items.retain(|item| match item {
        Item::Marker(_) => true,
        Item::Rule(p) => {
            let Some((_, a)) = p.links.first() else { return false };
            let id = a.id.unwrap_or(0);
            let by_id = RuleId(id).in_ranges(&remove_ids);
            let by_tag = remove_tags.iter().any(|t| a.tags.iter().any(|x| x == t));
            let by_msg = remove_msgs.iter().any(|m| a.msg.as_deref() == Some(m.as_str()));
            !(by_id || by_tag || by_msg)
        }
    });

    let mut defaults_final: [Defaults; 6] = Default::default();
    for (i, d) in defaults.iter().enumerate() {
        if let (Some((d, _)), Some(slot)) = (d, defaults_final.get_mut(i)) {
            *slot = d.clone();
        }
    }
    if let Some(m) = config.rule_engine {
        settings.rule_engine = m;
    }
    if let Some(l) = config.request_body_limit {
        settings.request_body_limit = l;
        settings.request_body_no_files_limit = settings.request_body_no_files_limit.max(l);
    }
    if let Some(a) = config.request_body_limit_action {
        settings.request_body_limit_action = a;
    }
    if let Some(l) = config.response_body_limit {
        settings.response_body_limit = l;
    }
    if let Some(e) = config.early_request_decision {
        settings.early_request_decision = e;
    }

    let mut c = Compiler {
        files,
        source,
        tx: TxNames::new(),
        chains: Chains::default(),
        regexes: Vec::new(),
        regex_index: FxHashMap::default(),
        pms: Vec::new(),
        pm_phrases: Vec::new(),
        key_regexes: Vec::new(),
        rules: Vec::new(),
        defaults: defaults_final,
        seen_ids: FxHashMap::default(),
        tags: FxHashMap::default(),
        skip_unsupported: config.skip_unsupported,
        skipped: false,
        skipped_rules: 0,
    };

    // Compile rules; build phase step lists (markers go into every phase).
    let mut phases: [Vec<Step>; 6] = Default::default();
    let mut markers: Vec<(usize, String, [usize; 6])> = Vec::new();
    let mut skip_targets: Vec<(RuleIdx, usize, String, Loc)> = Vec::new();
    for (n, item) in items.into_iter().enumerate() {
        match item {
            Item::Marker(name) => {
                let mut pos = [0usize; 6];
                for (p, list) in phases.iter_mut().enumerate() {
                    pos[p] = list.len();
                    list.push(Step::Marker);
                }
                markers.push((n, name, pos));
            }
            Item::Rule(mut p) => {
                apply_target_updates(&mut p, &updates);
                if let Some((head, phase, skips)) = c.compile_pending(p) {
                    if let Some(list) = phases.get_mut(phase.index()) {
                        let pos = list.len();
                        list.push(Step::Rule(head));
                        for (rule, name, loc) in skips {
                            skip_targets.push((rule, pos, name, loc));
                        }
                    }
                }
            }
        }
    }

    // skipAfter: continue after the first marker of that name following the rule; none → end of phase.
    for (rule, pos, name, _loc) in skip_targets {
        let phase = c.rules.get(rule as usize).map_or(Phase::RequestBody.index(), |r| r.phase.index());
        let end = phases.get(phase).map(|l| l.len()).unwrap_or(0);
        let target = markers
            .iter()
            .filter(|(_, n, _)| *n == name)
            .map(|(_, _, at)| at[phase])
            .find(|&at| at > pos)
            .map(|at| at + 1)
            .unwrap_or(end);
        if let Some(r) = c.rules.get_mut(rule as usize) {
            let mut run: Vec<Run> = std::mem::take(&mut r.run).into_vec();
            for step in run.iter_mut() {
                if let Run::SkipTo(t) = step {
                    if *t == u32::MAX {
                        *t = target as u32;
                        break;
                    }
                }
            }
            r.run = run.into_boxed_slice();
        }
    }

    c.attach_confirmations(confirms);
    c.resolve_ctl_tags();
    crate::early::classify(&mut c.rules, &c.tx, &c.key_regexes);
    let prefilter = c.build_prefilter();
    let skipped_rules = c.skipped_rules;
    let Compiler { tx, chains, regexes, pms, key_regexes, rules, defaults, .. } = c;
    Parts {
        rules,
        phases,
        regexes,
        pms,
        key_regexes,
        chains,
        prefilter,
        tx_names: tx,
        settings,
        defaults,
        file_names: files.files.iter().map(|f| f.name.clone()).collect(),
        signatures,
        warnings: std::mem::take(&mut files.warnings),
        skipped_rules,
    }
}

fn apply_setting(s: &mut Settings, setting: Setting, loc: Loc, files: &mut Files, signatures: &mut Vec<String>) {
    let clamp = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
    match setting {
        Setting::RequestBodyAccess(b) => s.request_body_access = b,
        Setting::ResponseBodyAccess(b) => s.response_body_access = b,
        Setting::RequestBodyLimit(n) => s.request_body_limit = clamp(n),
        Setting::RequestBodyNoFilesLimit(n) => s.request_body_no_files_limit = clamp(n),
        Setting::RequestBodyLimitAction(a) => s.request_body_limit_action = a,
        Setting::ResponseBodyLimit(n) => s.response_body_limit = clamp(n),
        Setting::ResponseBodyLimitAction(a) => s.response_body_limit_action = a,
        Setting::ResponseBodyMimeType(types) => s.response_mime_types = types,
        Setting::ArgumentsLimit(n) => s.arguments_limit = clamp(n),
        Setting::JsonDepthLimit(n) => {
            if n == 0 {
                files.error(loc, None, "SecRequestBodyJsonDepthLimit must be at least 1");
            }
            s.json_depth_limit = clamp(n)
        }
        Setting::GraphqlArguments(b) => s.graphql_arguments = b,
        Setting::ComponentSignature(sig) => signatures.push(sig),
        Setting::Ignored(_) => {}
    }
}

/// SecRuleUpdateActionById: later actions of the same class replace earlier ones.
fn merge_actions(a: &mut RuleActions, u: &RuleActions) {
    if u.disruptive.is_some() {
        a.disruptive = u.disruptive.clone();
        a.block = false;
    }
    if u.block {
        a.block = true;
        a.disruptive = None;
    }
    if u.status.is_some() {
        a.status = u.status;
        a.run.retain(|r| !matches!(r, RunAction::Status(_)));
    }
    if !u.transforms.is_empty() {
        a.transforms.extend(u.transforms.iter().copied());
    }
    if u.msg.is_some() {
        a.msg = u.msg.clone();
    }
    if u.logdata.is_some() {
        a.logdata = u.logdata.clone();
    }
    if u.severity.is_some() {
        a.severity = u.severity;
    }
    a.tags.extend(u.tags.iter().cloned());
    a.setvars.extend(u.setvars.iter().cloned());
    a.run.extend(u.run.iter().cloned());
    a.log.extend(u.log.iter().copied());
    a.capture |= u.capture;
    a.multi_match |= u.multi_match;
}

fn apply_target_updates(p: &mut Pending, updates: &[TargetUpdate]) {
    let Some((ast, a)) = p.links.first_mut() else { return };
    let id = a.id.unwrap_or(0);
    for u in updates {
        let hit = match &u.tag {
            Some(t) => a.tags.iter().any(|x| x == t),
            None => RuleId(id).in_ranges(&u.ids),
        };
        if !hit {
            continue;
        }
        match &u.replaced {
            Some(old) => {
                for (o, n) in old.iter().zip(&u.targets) {
                    if let Some(slot) = ast.targets.iter_mut().find(|t| same_target(t, o)) {
                        *slot = n.clone();
                    }
                }
            }
            None => ast.targets.extend(u.targets.iter().cloned()),
        }
    }
}

fn same_target(a: &TargetAst, b: &TargetAst) -> bool {
    a.variable.eq_ignore_ascii_case(&b.variable)
        && a.exclude == b.exclude
        && a.count == b.count
        && match (&a.selector, &b.selector) {
            (None, None) => true,
            (Some(SelectorAst::Key(x)), Some(SelectorAst::Key(y))) => x.eq_ignore_ascii_case(y),
            (Some(SelectorAst::Regex(x)), Some(SelectorAst::Regex(y))) => x == y,
            _ => false,
        }
}

struct Compiler<'a> {
    files: &'a mut Files,
    source: &'a dyn RuleSource,
    tx: TxNames,
    chains: Chains,
    regexes: Vec<operator::rx::Rx>,
    regex_index: FxHashMap<(String, bool), u32>,
    /// Phrase-set automata, built only where the prefilter does not decide
    /// the rule alone (see [`Compiler::build_phrase_sets`]).
    pms: Vec<Option<operator::pm::Pm>>,
    /// Phrases of each phrase set, for the prefilters (dropped after the build).
    pm_phrases: Vec<Vec<Vec<u8>>>,
    key_regexes: Vec<regex_automata::meta::Regex>,
    rules: Vec<Rule>,
    defaults: [Defaults; 6],
    seen_ids: FxHashMap<i64, Loc>,
    tags: FxHashMap<String, u32>,
    /// `Config::skip_unsupported`.
    skip_unsupported: bool,
    /// The rule being compiled was skipped as unsupported.
    skipped: bool,
    /// Rules (chains) skipped as unsupported.
    skipped_rules: usize,
}

impl Compiler<'_> {
    fn intern_tag(&mut self, t: &str) -> u32 {
        let n = self.tags.len() as u32;
        *self.tags.entry(t.to_string()).or_insert(n)
    }

    /// SecRuleConfirmByTag / SecRuleConfirmById (Portcullis extensions):
    /// compile each confirmation as a hidden rule (in no phase, never run on
    /// its own) and attach it to every chain's first rule carrying one of its
    /// tags (a blank-separated list, each compared exactly) or whose id lies
    /// in one of its ranges, wherever that rule was loaded, so a pack can
    /// state how another pack's hits are confirmed.
    fn attach_confirmations(&mut self, confirms: Vec<(ConfirmSelect, RuleAst)>) {
        for (select, ast) in confirms {
            let loc = ast.loc;
            let mut errors = Vec::new();
            let actions = action::parse_actions(&ast.actions, &mut errors);
            for e in errors {
                self.files.error(e.loc, None, e.message);
            }
            let only_transforms = actions.id.is_none()
                && actions.phase.is_none()
                && !actions.chain
                && actions.disruptive.is_none()
                && !actions.block
                && !actions.capture
                && actions.setvars.is_empty()
                && actions.run.is_empty()
                && actions.msg.is_none()
                && actions.logdata.is_none()
                && actions.tags.is_empty();
            if !only_transforms {
                self.files.error(loc, None, format!("{} takes only transformations (t:...) and multiMatch as actions", select.directive()));
                continue;
            }
            let (tag_ids, ranges): (Vec<u32>, &[(i64, i64)]) = match &select {
                ConfirmSelect::Tags(tags) => (tags.split_whitespace().map(|t| self.intern_tag(t)).collect(), &[]),
                ConfirmSelect::Ids(ranges) => (Vec::new(), ranges),
            };
            let idx = self.rules.len() as RuleIdx;
            let Some((mut rule, _)) = self.compile_rule(ast, actions, 0, Phase::RequestBody, true, false, None) else { continue };
            rule.confirmation = true;
            self.rules.push(rule);
            let selected = |r: &Rule| tag_ids.iter().any(|&t| r.has_tag(t)) || r.rule_id.in_ranges(ranges);
            for r in self.rules.iter_mut().filter(|r| !r.is_link && !r.confirmation && selected(r)) {
                let mut list = std::mem::take(&mut r.confirm).into_vec();
                list.push(idx);
                r.confirm = list.into();
            }
        }
    }

    /// Give every `ctl` tag reference the id of its tag.
    fn resolve_ctl_tags(&mut self) {
        let tags = &self.tags;
        for r in self.rules.iter_mut() {
            for step in r.run.iter_mut() {
                if let Run::Ctl(Ctl::RuleRemoveByTag(t) | Ctl::RuleRemoveTargetByTag(t, _)) = step {
                    t.id = tags.get(&t.name).copied().unwrap_or(u32::MAX);
                }
            }
        }
    }

    /// Compile a rule and its chain links. Returns the head index, its phase,
    /// and the `skipAfter` names to resolve (rule index, marker name).
    fn compile_pending(&mut self, p: Pending) -> Option<(RuleIdx, Phase, SkipNames)> {
        let (head_ast, head_actions) = p.links.first()?;
        let head_id = head_actions.id;
        let head_loc = head_ast.loc;
        let Some(rule_id) = head_id else {
            self.files.error(head_loc, None, "rule has no `id` action (every SecRule and SecAction needs one)");
            return None;
        };
        if let Some(prev) = self.seen_ids.insert(rule_id, head_loc) {
            let pos = self.files.position(prev);
            let prev_name = self.files.name(prev.file).to_string();
            self.files.error(head_loc, Some(rule_id), format!("duplicate rule id {rule_id} (first defined at {prev_name}:{}:{})", pos.line, pos.column));
            return None;
        }
        let phase = head_actions.phase.unwrap_or(Phase::RequestBody);
        let first_idx = self.rules.len() as RuleIdx;
        let n = p.links.len();
        let mut skips = Vec::new();
        let mut ok = true;
        for (i, (ast, actions)) in p.links.into_iter().enumerate() {
            let is_link = i > 0;
            if is_link {
                if let Some(ph) = actions.phase {
                    if ph != phase {
                        self.files.error(ast.loc, Some(rule_id), "a chained rule cannot change the phase");
                        ok = false;
                    }
                }
                if actions.disruptive.is_some() || actions.block {
                    self.files.error(ast.loc, Some(rule_id), "disruptive actions belong on the first rule of a chain");
                    ok = false;
                }
                if actions.id.is_some() {
                    self.files.error(ast.loc, Some(rule_id), "a chained rule cannot have its own `id`");
                    ok = false;
                }
            }
            let idx = self.rules.len() as RuleIdx;
            let next = if i + 1 < n { Some(idx + 1) } else { None };
            match self.compile_rule(ast, actions, rule_id, phase, is_link, p.unconditional && !is_link, next) {
                Some((rule, rule_skips)) => {
                    self.rules.push(rule);
                    skips.extend(rule_skips.into_iter().map(|(name, loc)| (idx, name, loc)));
                }
                None => {
                    // Unsupported and skipped on request: drop the chain, no error.
                    if std::mem::take(&mut self.skipped) {
                        self.skipped_rules += 1;
                        self.rules.truncate(first_idx as usize);
                        return None;
                    }
                    ok = false;
                    // Keep indexes consistent: push nothing more for this chain.
                    break;
                }
            }
        }
        if !ok {
            self.rules.truncate(first_idx as usize);
            return None;
        }
        Some((first_idx, phase, skips))
    }

    #[allow(clippy::too_many_arguments)]
    fn compile_rule(
        &mut self,
        ast: RuleAst,
        a: RuleActions,
        rule_id: i64,
        phase: Phase,
        is_link: bool,
        unconditional: bool,
        next: Option<RuleIdx>,
    ) -> Option<(Rule, Vec<(String, Loc)>)> {
        let loc = ast.loc;
        let mut ok = true;
        let err_id = Some(rule_id);

        // Targets and exclusions.
        let mut targets = Vec::new();
        let mut excludes = Vec::new();
        for t in &ast.targets {
            match self.target(t) {
                Err(e) if self.skip_unsupported && e.kind == DiagnosticKind::Unsupported => {
                    self.files.warning(t.loc, err_id, e.kind, format!("rule skipped: {e}"));
                    self.skipped = true;
                    return None;
                }
                Ok((var, sel)) => {
                    if t.exclude {
                        excludes.push(Exclude { var, sel });
                    } else {
                        targets.push(Target { var, sel, count: t.count });
                    }
                }
                Err(e) => {
                    self.files.compile_error(t.loc, err_id, e);
                    ok = false;
                }
            }
        }

        // Transformations: defaults unless the rule says t:none; after the last t:none only.
        let defaults = self.defaults.get(phase.index()).cloned().unwrap_or_default();
        let mut chain: Vec<crate::transform::Transform> = Vec::new();
        if let Some(last_none) = a.transforms.iter().rposition(Option::is_none) {
            chain.extend(a.transforms[last_none + 1..].iter().flatten().copied());
        } else {
            chain.extend(defaults.transforms.iter().copied());
            chain.extend(a.transforms.iter().flatten().copied());
        }
        let chain_id = match self.chains.intern(&chain) {
            Ok(c) => c,
            Err(e) => {
                self.files.error(loc, err_id, e);
                return None;
            }
        };

        // Operator.
        let op = match self.operator(&ast, a.capture) {
            Ok(op) => op,
            Err(e) if self.skip_unsupported && e.kind == DiagnosticKind::Unsupported => {
                self.files.warning(ast.operator.loc, err_id, e.kind, format!("rule skipped: {e}"));
                self.skipped = true;
                return None;
            }
            Err(e) => {
                self.files.compile_error(ast.operator.loc, err_id, e);
                ok = false;
                Operator { op: Op::NoMatch, negated: false, display: "NoMatch", param: "".into() }
            }
        };

        // setvar.
        let mut setvars = Vec::new();
        for (text, sloc) in &a.setvars {
            match action::parse_setvar(text, &mut self.tx) {
                Ok(Some(sv)) => setvars.push(sv),
                Ok(None) => {}
                Err(e) => {
                    self.files.error(*sloc, err_id, format!("setvar: {e}"));
                    ok = false;
                }
            }
        }

        // Run actions, in order; skipAfter resolved by the caller.
        let mut run = Vec::new();
        let mut skips = Vec::new();
        for r in &a.run {
            match r {
                RunAction::Ctl(c) => run.push(Run::Ctl(c.clone())),
                RunAction::Skip(n) => run.push(Run::Skip(*n)),
                RunAction::SkipAfter(name) => {
                    run.push(Run::SkipTo(u32::MAX));
                    skips.push((name.clone(), loc));
                }
                RunAction::Status(s) => run.push(Run::Status(*s)),
                RunAction::Log => {}
            }
        }

        // Metadata macros.
        let parse_macro = |s: &str, what: &str, files: &mut Files, tx: &mut TxNames| match Macro::parse(s, tx) {
            Ok(m) => Some(m),
            Err(e) => {
                files.error(loc, err_id, format!("{what}: {e}"));
                None
            }
        };
        let msg = a.msg.as_deref().and_then(|s| parse_macro(s, "msg", self.files, &mut self.tx));
        let logdata = a.logdata.as_deref().and_then(|s| parse_macro(s, "logdata", self.files, &mut self.tx));
        let tags: Vec<Macro> = a.tags.iter().filter_map(|s| parse_macro(s, "tag", self.files, &mut self.tx)).collect();
        if !ok {
            return None;
        }

        let own_log = a.log.last().copied();
        let log = own_log.unwrap_or(defaults.log);
        let (file, line) = (loc.file, self.files.position(loc).line);
        Some((
            Rule {
                rule_id: RuleId(if is_link { a.id.unwrap_or(0) } else { rule_id }),
                phase,
                file,
                line,
                targets: targets.into(),
                excludes: excludes.into(),
                chain: chain_id,
                multi_match: a.multi_match,
                op,
                capture: a.capture,
                prefilter: None,
                mm_nodes: Box::new([]),
                summarizable: false,
                prefilter_exact: false,
                setvars: setvars.into(),
                run: run.into(),
                disruptive: a.disruptive,
                block: a.block,
                // A SecAction logs with `block`, or with a message when logging is on.
                log: if unconditional { a.block || (log && a.msg.is_some()) } else { log },
                msg,
                logdata,
                severity: a.severity,
                tags: tags.into(),
                tag_ids: a.tags.iter().map(|t| self.intern_tag(t)).collect(),
                rev: a.rev.into(),
                ver: a.ver.into(),
                maturity: a.maturity,
                accuracy: a.accuracy,
                next,
                is_link,
                unconditional,
                early: Default::default(),
                confirm: Box::new([]),
                confirmation: false,
            },
            skips,
        ))
    }

    fn target(&mut self, t: &TargetAst) -> Result<(Variable, Sel), CompileError> {
        let var = Variable::from_name(&t.variable).ok_or_else(|| CompileError::invalid(format!("unknown variable `{}`", t.variable)))?;
        let sel = match &t.selector {
            None => {
                if var == Variable::Xml {
                    // Bare XML: the document as text, like XML:/*.
                    Sel::XmlText
                } else {
                    Sel::All
                }
            }
            Some(SelectorAst::Regex(re)) => {
                if !var.is_collection() {
                    return Err(CompileError::invalid(format!("variable `{}` takes no selector", var.name())));
                }
                let r = operator::rx::build_key_regex(re).map_err(|e| e.context(format_args!("bad selector regex /{re}/: ")))?;
                self.key_regexes.push(r);
                Sel::Regex((self.key_regexes.len() - 1) as u32)
            }
            Some(SelectorAst::Key(k)) => {
                if var == Variable::Xml {
                    match k.trim() {
                        "/*" => Sel::XmlText,
                        "//@*" => Sel::XmlAttrs,
                        "//text()" => Sel::XmlTextNodes,
                        other => return Err(CompileError::unsupported(format!("XPath `{other}` is not supported (only XML:/*, XML://@* and XML://text())"))),
                    }
                } else if !var.is_collection() {
                    return Err(CompileError::invalid(format!("variable `{}` takes no selector (`:{k}`)", var.name())));
                } else if var == Variable::Tx {
                    Sel::Tx(self.tx.intern(k))
                } else {
                    Sel::Key(k.to_ascii_lowercase().into_bytes().into())
                }
            }
        };
        Ok((var, sel))
    }

    fn load_data(&mut self, name: &str, loc: Loc) -> Result<Vec<u8>, CompileError> {
        if name.starts_with("http://") || name.starts_with("https://") {
            return Err(CompileError::unsupported(format!("remote data file `{name}` is not supported: a proxy filter fetches nothing")));
        }
        let from = self.files.name(loc.file).to_string();
        let list = self.source.load(name, Some(&from)).map_err(|e| CompileError::invalid(format!("cannot load data file `{name}`: {e}")))?;
        let mut out = Vec::new();
        for (_, b) in list {
            out.extend_from_slice(&b);
            out.push(b'\n');
        }
        Ok(out)
    }

    fn operator(&mut self, ast: &RuleAst, capture: bool) -> Result<Operator, CompileError> {
        let o = &ast.operator;
        let display = operator::display_name(&o.name).ok_or_else(|| match o.name.as_str() {
            "rbl" | "geolookup" | "gsblookup" | "inspectfile" | "fuzzyhash" | "verifycc" | "verifyssn" | "verifycpf" | "rsub" => {
                CompileError::unsupported(format!("operator @{} is not supported", o.name))
            }
            _ => CompileError::invalid(format!("unknown operator @{}", o.name)),
        })?;
        let param = o.param.as_str();
        let str_op = |c: &mut Compiler<'_>, op: StrOp| -> Result<Op, CompileError> {
            Ok(Op::Str(op, Macro::parse(param, &mut c.tx).map_err(CompileError::invalid)?))
        };
        let num_op = |c: &mut Compiler<'_>, op: NumOp| -> Result<Op, CompileError> {
            let m = Macro::parse(param.trim(), &mut c.tx).map_err(CompileError::invalid)?;
            Ok(Op::Num(op, match m.as_const() {
                Some(v) => NumArg::Const(op.parse(v)),
                None => NumArg::Macro(m),
            }))
        };
        let op = match o.name.as_str() {
            "rx" => {
                if param.contains("%{") {
                    return Err(CompileError::unsupported("macros in @rx patterns are not supported"));
                }
                let key = (param.to_string(), capture);
                let idx = match self.regex_index.get(&key) {
                    Some(&i) => i,
                    None => {
                        let rx = operator::rx::build(param, capture)?;
                        self.regexes.push(rx);
                        let i = (self.regexes.len() - 1) as u32;
                        self.regex_index.insert(key, i);
                        i
                    }
                };
                Op::Rx(idx)
            }
            "pm" => {
                let phrases = operator::pm::split_phrases(param);
                if phrases.is_empty() {
                    return Err(CompileError::invalid("@pm needs at least one phrase"));
                }
                self.pms.push(None);
                self.pm_phrases.push(phrases);
                Op::Pm((self.pms.len() - 1) as u32)
            }
            "pmfromfile" | "pmf" => {
                let mut phrases = Vec::new();
                for name in param.split_whitespace() {
                    let data = self.load_data(name, o.loc)?;
                    phrases.extend(operator::pm::file_phrases(&data));
                }
                if phrases.is_empty() {
                    return Err(CompileError::invalid(format!("@pmFromFile {param}: no phrases")));
                }
                self.pms.push(None);
                self.pm_phrases.push(phrases);
                Op::Pm((self.pms.len() - 1) as u32)
            }
            "streq" => str_op(self, StrOp::StrEq)?,
            "contains" => str_op(self, StrOp::Contains)?,
            "containsword" => str_op(self, StrOp::ContainsWord)?,
            "beginswith" => str_op(self, StrOp::BeginsWith)?,
            "endswith" => str_op(self, StrOp::EndsWith)?,
            "within" => str_op(self, StrOp::Within)?,
            "strmatch" => str_op(self, StrOp::StrMatch)?,
            "eq" => num_op(self, NumOp::Eq)?,
            "ge" => num_op(self, NumOp::Ge)?,
            "gt" => num_op(self, NumOp::Gt)?,
            "le" => num_op(self, NumOp::Le)?,
            "lt" => num_op(self, NumOp::Lt)?,
            "ipmatch" => Op::IpMatch(Box::new(operator::ip::IpSet::parse(param).map_err(|e| CompileError::invalid(e.to_string()))?)),
            "ipmatchfromfile" | "ipmatchf" => {
                let data = self.load_data(param.trim(), o.loc)?;
                let text = String::from_utf8_lossy(&data).into_owned();
                Op::IpMatch(Box::new(operator::ip::IpSet::from_entries(text.lines()).map_err(|e| CompileError::invalid(e.to_string()))?))
            }
            "validatebyterange" => {
                Op::ValidateByteRange(Box::new(operator::validate::ByteRanges::parse(param).map_err(|e| CompileError::invalid(e.to_string()))?))
            }
            "validateurlencoding" => Op::ValidateUrlEncoding,
            "validateutf8encoding" => Op::ValidateUtf8Encoding,
            "detectsqli" => Op::DetectSqli,
            "detectxss" => Op::DetectXss,
            "unconditionalmatch" => Op::Unconditional,
            "nomatch" => Op::NoMatch,
            other => return Err(CompileError::invalid(format!("unknown operator @{other}"))),
        };
        Ok(Operator { op, negated: o.negated, display, param: param.into() })
    }

    /// A `@pm` rule is decided by the prefilter scan alone, unless it needs
    /// the phrase found (`capture` sets `TX:0`) or there is no prefilter:
    /// only then does its phrase set get an automaton of its own.
    fn build_phrase_sets(&mut self) {
        for i in 0..self.rules.len() {
            let Some(r) = self.rules.get(i) else { continue };
            let Op::Pm(pi) = r.op.op else { continue };
            if !(r.capture || r.prefilter.is_none()) {
                continue;
            }
            let pi = pi as usize;
            if self.pms.get(pi).is_some_and(Option::is_some) {
                continue;
            }
            let built = self.pm_phrases.get(pi).map(|p| operator::pm::build(p));
            match built {
                Some(Ok(pm)) => {
                    if let Some(slot) = self.pms.get_mut(pi) {
                        *slot = Some(pm);
                    }
                }
                Some(Err(e)) => {
                    let loc = self.rules.get(i).map(|r| Loc { file: r.file, offset: 0 }).unwrap_or_default();
                    let id = self.rules.get(i).map(|r| r.rule_id.get());
                    self.files.error(loc, id, e);
                }
                None => {}
            }
        }
    }

    /// The prefilter item of a rule's operator, when it has literals.
    fn filter_item(&self, r: &Rule) -> Option<FilterItem> {
        let item = match r.op.op {
            Op::Rx(ri) => FilterItem::Rx(ri),
            Op::Pm(pi) => FilterItem::Pm(pi),
            _ => return None,
        };
        self.item_literals(item).map(|_| item)
    }

    /// The literals standing for an operator in the prefilter: a regex's
    /// required literals (a necessary condition), or a phrase set's phrases
    /// (exact: a phrase occurs exactly when `@pm` matches).
    fn item_literals(&self, item: FilterItem) -> Option<&[Vec<u8>]> {
        match item {
            FilterItem::Rx(ri) => self.regexes.get(ri as usize).and_then(|x| x.atoms.as_deref()),
            FilterItem::Pm(pi) => self.pm_phrases.get(pi as usize).map(|p| p.as_slice()),
        }
    }

    /// One prefilter for the whole rule set: one Aho-Corasick automaton over
    /// the literals of every regex and phrase set. A transaction scans each
    /// distinct transformed value once; the bits it yields tell which
    /// operators can match that value, whatever chain produced it.
    fn build_prefilter(&mut self) -> Option<Prefilter> {
        let mut items: Vec<FilterItem> = Vec::new();
        let mut ids: FxHashMap<FilterItem, u16> = FxHashMap::default();
        for i in 0..self.rules.len() {
            let Some(item) = self.rules.get(i).and_then(|r| self.filter_item(r)) else { continue };
            let Ok(next) = u16::try_from(items.len()) else { break };
            let id = *ids.entry(item).or_insert_with(|| {
                items.push(item);
                next
            });
            if let Some(r) = self.rules.get_mut(i) {
                r.prefilter = Some(id);
                r.prefilter_exact = matches!(item, FilterItem::Pm(_));
            }
        }
        let sets: Vec<(u16, &[Vec<u8>])> = items
            .iter()
            .enumerate()
            .filter_map(|(id, &item)| self.item_literals(item).map(|a| (id as u16, a)))
            .collect();
        let pf = if sets.is_empty() { None } else { Prefilter::build(&sets).ok() };
        if pf.is_none() {
            for r in self.rules.iter_mut() {
                r.prefilter = None;
                r.prefilter_exact = false;
            }
        }
        self.build_phrase_sets();
        self.pm_phrases = Vec::new();
        // multiMatch rules test the value after each transformation.
        for r in self.rules.iter_mut() {
            if r.multi_match {
                let mut nodes = Vec::new();
                let mut n = r.chain;
                while let Some((parent, _)) = self.chains.node(n) {
                    nodes.push(n);
                    n = parent;
                }
                nodes.reverse();
                r.mm_nodes = nodes.into();
            }
            r.summarizable = pf.is_some()
                && r.prefilter.is_some()
                && !r.op.negated
                && r.targets.iter().all(|t| !t.count && is_request_data(t.var));
        }
        pf
    }

}

/// Variables that hold request or response data: they do not change while a
/// phase runs, so a per-phase summary of their values stays true.
fn is_request_data(v: Variable) -> bool {
    use Variable as V;
    matches!(
        v,
        V::Args
            | V::ArgsNames
            | V::ArgsGet
            | V::ArgsGetNames
            | V::ArgsPost
            | V::ArgsPostNames
            | V::RequestHeaders
            | V::RequestHeadersNames
            | V::RequestCookies
            | V::RequestCookiesNames
            | V::ResponseHeaders
            | V::ResponseHeadersNames
            | V::Files
            | V::FilesNames
            | V::FilesTmpContent
            | V::MultipartPartHeaders
            | V::Xml
            | V::RequestUri
            | V::RequestUriRaw
            | V::RequestFilename
            | V::RequestBasename
            | V::RequestPathSegments
            | V::RequestLine
            | V::RequestMethod
            | V::RequestProtocol
            | V::QueryString
            | V::RequestBody
            | V::ResponseBody
    )
}

#[cfg(test)]
mod tests {
    use crate::{Config, DiagnosticKind, NoSource, RuleSet};

    /// The kind of the one diagnostic a one-rule build reports, and its message.
    fn problem(rule: &str) -> (DiagnosticKind, String) {
        match RuleSet::builder().build(&NoSource, &[rule]) {
            Ok(_) => panic!("`{rule}` built"),
            Err(e) => match e.diagnostics.as_slice() {
                [d] => (d.kind(), d.message.clone()),
                other => panic!("`{rule}`: {other:?}"),
            },
        }
    }

    #[test]
    fn unsupported_constructs_are_typed_where_they_are_detected() {
        for (rule, words) in [
            (r#"SecRule ARGS "@rx a(?!b)" "id:1""#, "look-around"),
            (r#"SecRule ARGS "@rx (?<=a)b" "id:1""#, "look-around"),
            (r#"SecRule ARGS "@rx (a)\1" "id:1""#, "backreferences are not supported"),
            (r#"SecRule ARGS:/(?!x)y/ "@rx a" "id:1""#, "bad selector regex"),
            (r#"SecRule REMOTE_ADDR "@rbl bl.example" "id:1""#, "operator @rbl is not supported"),
            (r#"SecRule REMOTE_ADDR "@geoLookup" "id:1""#, "operator @geolookup is not supported"),
            (r#"SecRule XML:/a/b "@rx a" "id:1""#, "XPath `/a/b` is not supported"),
            (r#"SecRule ARGS "@pmFromFile https://example.com/list" "id:1""#, "remote data file"),
            (r#"SecRule ARGS "@rx %{tx.a}" "id:1""#, "macros in @rx patterns are not supported"),
        ] {
            let (kind, message) = problem(rule);
            assert_eq!(kind, DiagnosticKind::Unsupported, "{rule}: {message}");
            assert!(message.contains(words), "{rule}: {message}");
        }
    }

    #[test]
    fn mistakes_are_invalid_whatever_their_wording() {
        for rule in [
            r#"SecRule ARGS "@rx (" "id:1""#,
            // The parser quotes the pattern: its words do not make it unsupported.
            r#"SecRule ARGS "@rx is not supported(" "id:1""#,
            r#"SecRule ARGS:/(/ "@rx a" "id:1""#,
            r#"SecRule ARGS "@nosuchop a" "id:1""#,
            r#"SecRule NO_SUCH_VARIABLE "@rx a" "id:1""#,
            r#"SecRule ARGS "@pm" "id:1""#,
            r#"SecRule ARGS "@ipMatch 1.2.3.400" "id:1""#,
            r#"SecRule ARGS "@pmFromFile words.txt" "id:1""#,
        ] {
            let (kind, message) = problem(rule);
            assert_eq!(kind, DiagnosticKind::Invalid, "{rule}: {message}");
        }
        // Problems outside the compiler (lexer, parser, chains) are invalid too.
        assert_eq!(problem(r#"SecRule ARGS "@rx a" "id:1,chain""#).0, DiagnosticKind::Invalid);
    }

    #[test]
    fn skipping_follows_the_kind_and_warnings_keep_it() {
        let skip = Config::new().skip_unsupported(true);
        let text = "SecRule ARGS \"@rx (a)\\1\" \"id:1\"\nSecRule ARGS \"@rx b\" \"id:2\"";
        let rs = RuleSet::builder().config(skip.clone()).build(&NoSource, &[text]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((rs.rule_count(), rs.skipped_rules()), (1, 1));
        assert!(rs.warnings().iter().all(|w| w.kind() == DiagnosticKind::Unsupported));
        let broken = "SecRule ARGS \"@rx is not supported(\" \"id:1\"";
        assert!(RuleSet::builder().config(skip).build(&NoSource, &[broken]).is_err());
    }
}
