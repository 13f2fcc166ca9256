//! Engine behaviour tests on small inline rule sets.

use std::sync::Arc;

use crate::{InterruptAction, NoSource, RuleEngineMode, RuleId, RuleSet, Transaction};

fn rules(text: &str) -> Arc<RuleSet> {
    match RuleSet::builder().build(&NoSource, &[text]) {
        Ok(r) => Arc::new(r),
        Err(e) => panic!("{e}"),
    }
}

/// Run a GET (or a POST when `body` is set) through phases 1-2.
fn run(rs: &Arc<RuleSet>, uri: &str, headers: &[(&str, &str)], body: &str) -> Transaction {
    let mut tx = rs.new_transaction();
    tx.process_connection("10.0.0.1", 4000, "10.0.0.2", 80);
    tx.process_uri(uri.as_bytes(), if body.is_empty() { b"GET" } else { b"POST" }, b"HTTP/1.1");
    for (k, v) in headers {
        tx.add_request_header(k.as_bytes(), v.as_bytes());
    }
    tx.process_request_headers();
    tx.append_request_body(body.as_bytes());
    tx.process_request_body();
    tx
}

/// The build error of a rule set that must not build (empty if it builds).
fn build_error(text: &str) -> String {
    RuleSet::builder().build(&NoSource, &[text]).err().map(|e| e.to_string()).unwrap_or_default()
}

fn ids(tx: &Transaction) -> Vec<i64> {
    tx.matches().iter().map(|m| m.rule_id.get()).collect()
}

#[test]
fn deny_on_query_arg() {
    let rs = rules("SecRule ARGS \"@contains attack\" \"id:1,phase:1,deny,status:403,msg:'found %{MATCHED_VAR}'\"");
    let tx = run(&rs, "/?a=1&b=an+attack", &[], "");
    let i = tx.interruption().cloned();
    assert_eq!(i.as_ref().map(|i| (i.status, i.rule_id.map(RuleId::get))), Some((403, Some(1))));
    assert_eq!(tx.matches()[0].msg, "found an attack");
    assert_eq!(tx.matches()[0].matched_var_name, "ARGS:b");
    let tx = run(&rs, "/?a=1&b=fine", &[], "");
    assert!(tx.interruption().is_none());
}

#[test]
fn transformations_and_default_actions() {
    let rs = rules(
        "SecDefaultAction \"phase:2,log,pass,t:lowercase\"\n\
         SecRule REQUEST_HEADERS:User-Agent \"@rx sqlmap\" \"id:2,phase:2,block\"\n\
         SecRule REQUEST_HEADERS:User-Agent \"@rx sqlmap\" \"id:3,phase:2,t:none,pass\"",
    );
    let tx = run(&rs, "/", &[("User-Agent", "SQLMap/1.0")], "");
    // Default t:lowercase applies to 2; 3 says t:none so sees the raw value.
    assert_eq!(ids(&tx), vec![2]);
    assert!(tx.interruption().is_none(), "block resolves to the default pass");
}

#[test]
fn chain_and_setvar_and_anomaly_threshold() {
    let rs = rules(
        "SecAction \"id:10,phase:1,pass,nolog,setvar:tx.score=0,setvar:tx.threshold=5\"\n\
         SecRule ARGS \"@rx (?i)union\\s+select\" \"id:11,phase:2,pass,log,setvar:tx.score=+5,chain\"\n\
         SecRule REQUEST_METHOD \"@streq GET\"\n\
         SecRule TX:score \"@ge %{tx.threshold}\" \"id:12,phase:2,deny,status:406,msg:'score %{tx.score}'\"",
    );
    let tx = run(&rs, "/?q=1%20UNION%20SELECT%20x", &[], "");
    assert_eq!(ids(&tx), vec![11, 12]);
    assert_eq!(tx.interruption().map(|i| i.status), Some(406));
    assert_eq!(tx.matches()[1].msg, "score 5");
    assert_eq!(tx.tx_var("SCORE").as_deref(), Some(&b"5"[..]));
}

#[test]
fn capture_fills_tx_groups() {
    let rs = rules("SecRule ARGS:x \"@rx (a+)(b+)\" \"id:20,phase:1,pass,capture,log,logdata:'%{TX.0}|%{TX.1}|%{tx.2}'\"");
    let tx = run(&rs, "/?x=zaabbbz", &[], "");
    assert_eq!(tx.matches()[0].data, "aabbb|aa|bbb");
}

#[test]
fn skip_after_and_markers() {
    let rs = rules(
        "SecRule ARGS:skip \"@streq 1\" \"id:30,phase:1,pass,nolog,skipAfter:END\"\n\
         SecRule ARGS \"@unconditionalMatch\" \"id:31,phase:1,pass,log\"\n\
         SecMarker END\n\
         SecRule ARGS \"@unconditionalMatch\" \"id:32,phase:1,pass,log\"",
    );
    assert_eq!(ids(&run(&rs, "/?skip=1", &[], "")), vec![32]);
    assert_eq!(ids(&run(&rs, "/?skip=0", &[], "")), vec![31, 32]);
}

#[test]
fn exclusions_counts_and_regex_selectors() {
    let rs = rules(
        "SecRule ARGS|!ARGS:safe \"@contains x\" \"id:40,phase:1,pass,log\"\n\
         SecRule &ARGS \"@eq 2\" \"id:41,phase:1,pass,log\"\n\
         SecRule ARGS:/^ke?y$/ \"@streq v\" \"id:42,phase:1,pass,log\"\n\
         SecRule &REQUEST_HEADERS:X-Missing \"@eq 0\" \"id:43,phase:1,pass,log\"",
    );
    assert_eq!(ids(&run(&rs, "/?safe=x&KEY=v", &[], "")), vec![41, 42, 43]);
    assert_eq!(ids(&run(&rs, "/?other=x&ky=v&z=1", &[], "")), vec![40, 42, 43]);
}

#[test]
fn urlencoded_body_and_detection_only() {
    let rs = rules(
        "SecRequestBodyAccess On\n\
         SecRule ARGS_POST:user \"@rx '\\s*or\\s*'\" \"id:50,phase:2,deny,log\"",
    );
    let tx = run(&rs, "/login", &[("Content-Type", "application/x-www-form-urlencoded")], "user=a'+or+'1&pw=x");
    assert_eq!(tx.interruption().map(|i| i.action.clone()), Some(InterruptAction::Deny));
    let rs2 = Arc::new(
        RuleSet::builder()
            .config(crate::Config::new().rule_engine(Some(RuleEngineMode::DetectionOnly)))
            .build(&NoSource, &["SecRequestBodyAccess On\nSecRule ARGS_POST:user \"@rx '\\s*or\\s*'\" \"id:50,phase:2,deny,log\""])
            .unwrap_or_else(|e| panic!("{e}")),
    );
    let tx = run(&rs2, "/login", &[("Content-Type", "application/x-www-form-urlencoded")], "user=a'+or+'1");
    assert!(tx.interruption().is_none());
    assert!(tx.matches()[0].blocking && !tx.matches()[0].disruptive);
}

#[test]
fn ctl_removes_rules_and_targets() {
    let rs = rules(
        "SecRule REQUEST_URI \"@beginsWith /api\" \"id:60,phase:1,pass,nolog,ctl:ruleRemoveById=62,ctl:ruleRemoveTargetById=61;ARGS:token\"\n\
         SecRule ARGS \"@contains bad\" \"id:61,phase:1,pass,log\"\n\
         SecRule ARGS \"@contains bad\" \"id:62,phase:1,pass,log\"",
    );
    assert_eq!(ids(&run(&rs, "/api?token=bad", &[], "")), Vec::<i64>::new());
    assert_eq!(ids(&run(&rs, "/api?other=bad", &[], "")), vec![61]);
    assert_eq!(ids(&run(&rs, "/web?token=bad", &[], "")), vec![61, 62]);
}

#[test]
fn build_errors_name_file_line_and_rule() {
    let err = build_error("SecRule ARGS \"@rx (\" \"id:70,phase:1,deny\"\nSecRule ARGS \"@foo x\" \"id:71\"\nSecRule NOPE \"@rx x\" \"id:72\"\nSecAction \"phase:1\"");
    assert!(err.contains("4 errors"), "{err}");
    assert!(err.contains("<rules[0]>:1:15: rule 70: regex does not compile"), "{err}");
    assert!(err.contains("<rules[0]>:2:15: rule 71: unknown operator @foo"), "{err}");
    assert!(err.contains("<rules[0]>:3:9: rule 72: unknown variable `NOPE`"), "{err}");
    assert!(err.contains("has no `id`"), "{err}");
}

#[test]
fn cookies_headers_and_uri_variables() {
    let rs = rules(
        "SecRule REQUEST_COOKIES:session \"@streq abc\" \"id:80,phase:1,pass,log\"\n\
         SecRule REQUEST_FILENAME \"@streq /a b/c.php\" \"id:81,phase:1,pass,log\"\n\
         SecRule REQUEST_BASENAME \"@streq c.php\" \"id:82,phase:1,pass,log\"\n\
         SecRule QUERY_STRING \"@streq x=%41\" \"id:83,phase:1,pass,log\"\n\
         SecRule REQUEST_LINE \"@streq GET /a%20b/c.php?x=%41 HTTP/1.1\" \"id:84,phase:1,pass,log\"\n\
         SecRule REQUEST_COOKIES_NAMES \"@streq theme\" \"id:85,phase:1,pass,log\"",
    );
    let tx = run(&rs, "/a%20b/c.php?x=%41", &[("Cookie", "session=abc; theme=dark ")], "");
    assert_eq!(ids(&tx), vec![80, 81, 82, 83, 84, 85]);
}

#[test]
fn path_segments_are_a_collection_keyed_by_position() {
    let rs = rules(
        "SecRule REQUEST_PATH_SEGMENTS \"@rx .\" \"id:90,phase:1,pass,log,multiMatch,logdata:'%{MATCHED_VAR_NAME}=%{MATCHED_VAR}'\"\n\
         SecRule REQUEST_PATH_SEGMENTS:1 \"@streq a/b c\" \"id:91,phase:1,pass,log\"\n\
         SecRule &REQUEST_PATH_SEGMENTS \"@eq 3\" \"id:92,phase:1,pass,log\"\n\
         SecRule REQUEST_PATH_SEGMENTS|!REQUEST_PATH_SEGMENTS:0 \"@rx ^files$\" \"id:93,phase:1,pass,log\"\n\
         SecRule REQUEST_PATH_SEGMENTS \"@rx ^view;v=%32$\" \"id:94,phase:1,pass,log\"",
    );
    // Cut before decoding (%2F stays inside), each segment decoded once
    // (%2532 becomes %32, not 2), empty segments and the query left out.
    let tx = run(&rs, "/files//a%2Fb%20c/view;v=%2532?x=/y/z", &[], "");
    assert_eq!(ids(&tx), vec![90, 90, 90, 91, 92, 94]);
    let data: Vec<&str> = tx.matches().iter().take(3).map(|m| m.data.as_str()).collect();
    assert_eq!(data, ["REQUEST_PATH_SEGMENTS:0=files", "REQUEST_PATH_SEGMENTS:1=a/b c", "REQUEST_PATH_SEGMENTS:2=view;v=%32"]);
    // The root has no segments; absolute form reads only the path.
    let tx = run(&rs, "/", &[], "");
    assert!(ids(&tx).is_empty(), "{:?}", ids(&tx));
    let tx = run(&rs, "http://example.com/files/a%2Fb%20c/x", &[], "");
    assert_eq!(ids(&tx), vec![90, 90, 90, 91, 92]);
}

#[test]
fn path_segments_feed_the_decoding_layer_one_by_one() {
    // base64 of "' or 1=1--" in a middle segment: REQUEST_FILENAME as a
    // whole is no base64, the segment is.
    let rs = rules(
        "SecRule REQUEST_FILENAME|REQUEST_PATH_SEGMENTS \"@rx or 1=1\" \"id:95,phase:1,pass,log,multiMatch,t:none,t:base64DecodeAuto,logdata:'%{MATCHED_VAR_NAME}'\"",
    );
    let tx = run(&rs, "/files/JyBvciAxPTEtLQ==/view", &[], "");
    assert_eq!(tx.matches().iter().map(|m| m.data.as_str()).collect::<Vec<_>>(), ["REQUEST_PATH_SEGMENTS:1"]);
    // The rule stays prefiltered and skipped as a whole on other paths.
    assert_eq!(rs.stats().prefiltered_rules, 1, "{:?}", rs.unfiltered_rx_rules());
    let tx = run(&rs, "/api/v1/users/42/orders", &[], "");
    assert!(tx.matches().is_empty());
}

#[test]
fn prefilter_covers_dot_dot() {
    let rs = rules("SecRule ARGS \"@rx (?:^|[/;\\x5c])\\.{2,3}[/;\\x5c]\" \"id:1,phase:2,block,capture,t:none,t:utf8toUnicode,t:urlDecodeUni,t:removeNulls,t:cmdLine\"");
    assert_eq!(rs.stats().prefiltered_rules, 1, "{:?}", rs.unfiltered_rx_rules());
}

#[test]
fn prefilter_is_ascii_case_insensitive() {
    // Phrases and regex literals in any case find values in any case
    // (the prefilter scans a lowercased copy against lowercased literals).
    let rs = rules(
        "SecRule ARGS \"@pm UNION Select\" \"id:1,phase:2,pass,log\"\n\
         SecRule ARGS \"@rx (?i)OnError\\s*=\" \"id:2,phase:2,pass,log\"\n\
         SecRule ARGS \"@rx JNDI:\" \"id:3,phase:2,pass,log\"",
    );
    assert_eq!((rs.stats().prefiltered_rules, rs.stats().prefiltered_phrase_rules), (2, 1));
    assert_eq!(ids(&run(&rs, "/?a=1%20uNiOn%20all", &[], "")), vec![1]);
    assert_eq!(ids(&run(&rs, "/?a=select", &[], "")), vec![1]);
    assert_eq!(ids(&run(&rs, "/?a=%3Cimg%20ONERROR%20=x%3E", &[], "")), vec![2]);
    // Case-sensitive regexes still decide: the prefilter only lets them run.
    assert_eq!(ids(&run(&rs, "/?a=jndi:ldap", &[], "")), Vec::<i64>::new());
    assert_eq!(ids(&run(&rs, "/?a=%24%7BJNDI:ldap", &[], "")), vec![3]);
}

#[test]
fn unsupported_rules_fail_the_build_unless_skipping_is_asked_for() {
    let text = "SecRule ARGS \"@rx a(?!b)\" \"id:1,phase:2,deny\"\n\
                SecRule REMOTE_ADDR \"@rbl bl.example\" \"id:2,phase:1,deny\"\n\
                SecRule ARGS \"@contains x\" \"id:3,phase:2,deny\"";
    let err = RuleSet::builder().build(&NoSource, &[text]).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(err.contains("2 errors") && err.contains("look-around") && err.contains("@rbl is not supported"), "{err}");
    // The regex error names the rule and where its operator starts (file:line:col).
    assert!(err.contains("<rules[0]>:1:15: rule 1: regex does not compile"), "{err}");
    let rs = RuleSet::builder()
        .config(crate::Config::new().skip_unsupported(true))
        .build(&NoSource, &[text])
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((rs.rule_count(), rs.skipped_rules(), rs.warnings().len()), (1, 2, 2));
    assert!(rs.warnings()[0].to_string().contains("rule 1: rule skipped"));
    // A syntax error still fails the build.
    assert!(RuleSet::builder().config(crate::Config::new().skip_unsupported(true)).build(&NoSource, &["SecRule ARGS \"@rx (\" \"id:4\""]).is_err());
}

#[test]
fn pcre_only_spellings_compile() {
    // From CRS 3.3.4: a literal `{`, `[` inside a class, escaped punctuation,
    // a possessive quantifier and raw UTF-8 in a class.
    let rs = rules(
        "SecRule ARGS \"@rx ^\\(\\s*\\)\\s+{\" \"id:1,phase:2,pass,log\"\n\
         SecRule ARGS \"@rx [^\\\"(),\\/:;<=>?![\\x5c\\]{}]+=\" \"id:2,phase:2,pass,log\"\n\
         SecRule ARGS \"@rx [^?\\w\\s=.,;)(]++\\s*?x\" \"id:3,phase:2,pass,log\"\n\
         SecRule ARGS \"@rx [´’]\" \"id:4,phase:2,pass,log\"",
    );
    let tx = run(&rs, "/?a=()%20{&b=%C2%B4", &[], "");
    assert_eq!(ids(&tx), vec![1, 4]);
}

#[test]
fn multimatch_logs_every_matched_value() {
    let rs = rules(
        "SecRule ARGS \"@contains ab\" \"id:90,phase:2,pass,log,multiMatch,t:none,t:lowercase,logdata:'%{MATCHED_VAR_NAME}=%{MATCHED_VAR}',setvar:tx.n=+1\"",
    );
    let tx = run(&rs, "/?x=AB&y=ab&z=no", &[], "");
    let data: Vec<&str> = tx.matches().iter().map(|m| m.data.as_str()).collect();
    // ARGS:x matches after t:lowercase; ARGS:y matches as is (lowercase leaves it unchanged).
    assert_eq!(data, vec!["ARGS:x=ab", "ARGS:y=ab"]);
    assert_eq!(tx.tx_var("n").as_deref(), Some(&b"2"[..]));
}

/// A POST's head through the exchange contract: `on_request_headers` with a body to follow.
fn post_head(rs: &Arc<RuleSet>, uri: &str, headers: &[(&str, &str)]) -> (Transaction, crate::Decision) {
    let mut tx = rs.new_transaction();
    tx.process_connection("10.0.0.1", 4000, "10.0.0.2", 80);
    tx.process_uri(uri.as_bytes(), b"POST", b"HTTP/1.1");
    for (k, v) in headers {
        tx.add_request_header(k.as_bytes(), v.as_bytes());
    }
    let d = tx.on_request_headers(true);
    (tx, d)
}

#[test]
fn declared_body_over_the_limit_is_refused_at_the_headers() {
    fn cl(n: &str) -> [(&str, &str); 2] {
        [("Content-Type", "application/x-www-form-urlencoded"), ("Content-Length", n)]
    }
    let rs = rules("SecRequestBodyAccess On\nSecRequestBodyLimit 10\nSecRequestBodyLimitAction Reject");
    let (tx, d) = post_head(&rs, "/", &cl("11"));
    assert!(matches!(&d, crate::Decision::Interrupt(i) if i.status == 413 && i.action == InterruptAction::BodyLimit), "{d:?}");
    assert!(tx.verdict().request_body_over_limit);
    let (_, d) = post_head(&rs, "/", &cl("10"));
    assert_eq!(d, crate::Decision::NeedBody);
    let (_, d) = post_head(&rs, "/", &cl("ten"));
    assert_eq!(d, crate::Decision::NeedBody, "an unreadable length is left to the body limit");
    // ProcessPartial, and DetectionOnly, inspect the prefix instead.
    let partial = rules("SecRequestBodyAccess On\nSecRequestBodyLimit 10\nSecRequestBodyLimitAction ProcessPartial");
    assert_eq!(post_head(&partial, "/", &cl("11")).1, crate::Decision::NeedBody);
    let detect = rules("SecRuleEngine DetectionOnly\nSecRequestBodyAccess On\nSecRequestBodyLimit 10");
    assert_eq!(post_head(&detect, "/", &cl("11")).1, crate::Decision::NeedBody);
}

#[test]
fn early_decision_blocks_a_url_attack_before_the_body() {
    let rs = rules(
        "SecRequestBodyAccess On\n\
         SecRule ARGS \"@contains attack\" \"id:1,phase:2,deny,status:403\"\n\
         SecRule &ARGS_POST \"@eq 0\" \"id:2,phase:2,deny,status:403\"",
    );
    let form = [("Content-Type", "application/x-www-form-urlencoded")];
    // An attack in the query: decided at the headers.
    let (tx, d) = post_head(&rs, "/?q=an+attack", &form);
    assert!(matches!(&d, crate::Decision::Interrupt(i) if i.rule_id == Some(RuleId(1))), "{d:?}");
    assert_eq!(ids(&tx), vec![1]);
    // `&ARGS_POST @eq 0` holds before the body arrives: it must not decide early.
    let (mut tx, d) = post_head(&rs, "/?q=fine", &form);
    assert_eq!(d, crate::Decision::NeedBody);
    assert!(tx.matches().is_empty(), "the early pass leaves no trace");
    assert_eq!(tx.on_request_body(b"a=1", true), crate::Decision::Continue);
}

#[test]
fn confirm_by_tag_counts_a_hit_only_when_the_confirmation_holds() {
    // The confirmation is declared before the rule it applies to: it binds
    // whatever the load order.
    let rs = rules(concat!(
        "SecRuleConfirmByTag weak \"@detectSQLi\" \"t:none,t:urlDecodeNested,t:base64DecodeAuto,multiMatch\"\n",
        "SecRule ARGS \"@rx (?i)union.+select\" \"id:1,phase:2,deny,log,tag:weak,setvar:tx.score=+5\"\n",
        "SecRule ARGS \"@rx (?i)union.+select\" \"id:2,phase:2,pass,log,tag:strong\"\n",
    ));
    let prose = run(&rs, "/?q=union+station+select+seats", &[], "");
    assert_eq!(ids(&prose), vec![2], "the weak hit on prose is not confirmed; the untagged rule still matches");
    assert!(prose.interruption().is_none());
    assert_eq!(prose.tx_var("score"), None, "an unconfirmed hit runs no setvar");
    let attack = run(&rs, "/?q=1+union+select+password+from+users", &[], "");
    assert_eq!(ids(&attack), vec![1]);
    assert_eq!(attack.tx_var("score").as_deref(), Some(&b"5"[..]));
}

#[test]
fn confirm_by_tag_checks_the_value_as_it_arrived_and_its_decodings() {
    // The rule sees base64-looking text (after its own t:lowercase); the
    // confirmation decodes the original value: SQL injection inside confirms,
    // prose inside does not.
    let rs = rules(concat!(
        "SecRule ARGS \"@rx ^[a-z0-9+/]{12,}=*$\" \"id:1,phase:2,deny,log,t:none,t:lowercase,tag:weak\"\n",
        "SecRuleConfirmByTag weak \"@detectSQLi\" \"t:none,t:base64DecodeAuto,multiMatch\"\n",
    ));
    assert_eq!(ids(&run(&rs, "/?a=eCcgb3IgMT0xLS0%3D", &[], "")), vec![1], "base64 of x' or 1=1--");
    assert_eq!(ids(&run(&rs, "/?a=aGVsbG8gdGhlcmUsIGZyaWVuZA%3D%3D", &[], "")), Vec::<i64>::new(), "base64 of prose");
}

#[test]
fn confirm_by_id_binds_the_rules_in_its_ranges() {
    let rs = rules(concat!(
        "SecRule ARGS \"@rx select\" \"id:10,phase:2,deny,log\"\n",
        "SecRule ARGS \"@rx select\" \"id:21,phase:2,pass,log\"\n",
        "SecRule ARGS \"@rx select\" \"id:30,phase:2,pass,log\"\n",
        "SecRuleConfirmById \"10 20-29\" \"@rx \\d\"\n",
    ));
    assert_eq!(ids(&run(&rs, "/?q=select+seats", &[], "")), vec![30], "10 and 21 need a digit");
    let o = run(&rs, "/?q=select+1", &[], "");
    assert_eq!(ids(&o), vec![10]);
    assert!(o.interruption().is_some());
    let err = build_error("SecRuleConfirmById \"x\" \"@rx b\"");
    assert!(err.contains("<rules[0]>:1:"), "{err}");
    let err = build_error("SecRule ARGS \"@rx a\" \"id:1\"\nSecRuleConfirmById 1 \"@rx b\" \"log\"");
    assert!(err.contains("<rules[0]>:2:1: SecRuleConfirmById takes only transformations"), "{err}");
}

#[test]
fn confirm_by_tag_refuses_actions_other_than_transformations() {
    let err = build_error("SecRule ARGS \"@rx a\" \"id:1,tag:weak\"\nSecRuleConfirmByTag weak \"@rx b\" \"id:5,t:none\"");
    assert!(err.contains("<rules[0]>:2:1: SecRuleConfirmByTag takes only transformations"), "{err}");
}

#[test]
fn xml_text_nodes_are_values_of_their_own() {
    // Extension of the XPath subset: `XML://text()` gives each text node,
    // so an anchored test sees one element's text, where `XML:/*` sees the
    // root's text run together.
    let rs = rules(concat!(
        "SecRequestBodyAccess On\n",
        "SecRule REQUEST_HEADERS:Content-Type \"@rx xml\" \"id:1,phase:1,pass,nolog,ctl:requestBodyProcessor=XML\"\n",
        "SecRule XML://text() \"@rx ^http://169\\.254\\.\" \"id:10,phase:2,pass,log,logdata:'%{MATCHED_VAR}'\"\n",
        "SecRule XML:/* \"@rx ^http://169\\.254\\.\" \"id:11,phase:2,pass,log\"\n",
        "SecRule &XML://text() \"@eq 2\" \"id:12,phase:2,pass,log\"\n",
    ));
    let doc = "<req>\n  <id>7</id>\n  <url>http://169.254.169.254/latest/</url>\n</req>";
    let tx = run(&rs, "/fetch", &[("Content-Type", "application/xml")], doc);
    assert_eq!(ids(&tx), vec![10, 12]);
    assert_eq!(tx.matches()[0].data, "http://169.254.169.254/latest/");
    assert!(build_error("SecRule XML://text()[1] \"@rx a\" \"id:1\"").contains("XML://text()"));
}

#[test]
fn graphql_string_values_are_arguments_when_asked_for() {
    // Extension: with SecGraphQLArguments On, a string written inside the
    // GraphQL document of a `query` argument is an argument of its own, so
    // an anchored test (or a whole-value decoding) sees it alone.
    let text = |on: &str| {
        format!(
            concat!(
                "SecRequestBodyAccess On\n{}",
                "SecRule REQUEST_HEADERS:Content-Type \"@rx json\" \"id:1,phase:1,pass,nolog,ctl:requestBodyProcessor=JSON\"\n",
                "SecRule ARGS \"@rx ^http://169\\.254\\.\" \"id:10,phase:2,pass,log,logdata:'%{{MATCHED_VAR_NAME}}'\"\n",
                "SecRule &ARGS \"@eq 3\" \"id:11,phase:2,pass,log\"\n",
                "SecRule ARGS_GET \"@rx ^<!--#exec\" \"id:12,phase:1,pass,log,logdata:'%{{MATCHED_VAR_NAME}}'\"\n",
            ),
            on
        )
    };
    let doc = r#"{"query": "mutation { fetch(input: { url: \"http://169.254.169.254/\", id: \"7\" }) { ok } }", "variables": {}}"#;
    let on = rules(&text("SecGraphQLArguments On\n"));
    let tx = run(&on, "/graphql", &[("Content-Type", "application/json")], doc);
    assert_eq!(ids(&tx), vec![10, 11]);
    assert_eq!(tx.matches()[0].data, "ARGS:json.query.url");
    let off = rules(&text(""));
    assert_eq!(ids(&run(&off, "/graphql", &[("Content-Type", "application/json")], doc)), Vec::<i64>::new());
    // A GET carries the document in `query`; a search of the same name
    // that is no document adds nothing.
    let tx = run(&on, "/graphql?query=%7B+page(footer%3A+%22%3C!--%23exec+cmd%3D%5C%22id%5C%22--%3E%22)+%7B+id+%7D+%7D", &[], "");
    assert_eq!(ids(&tx), vec![12]);
    assert_eq!(tx.matches()[0].data, "ARGS_GET:query.footer");
    assert_eq!(ids(&run(&on, "/search?query=%3C!--%23exec", &[], "")), vec![12]);
    assert!(build_error("SecGraphQLArguments Maybe").contains("expected On or Off"));
}
