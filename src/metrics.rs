//! The filter's counters. Envoy shows them under `wasmcustom.<name>` in its
//! stats (admin `/stats?filter=portcullis`).

/// A counter the filter increments.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Counter {
    /// Requests inspected (mode block or monitor).
    Requests,
    /// Requests answered with the block response (rules or body limit).
    Blocked,
    /// Requests that would have been blocked in mode monitor.
    Monitored,
    /// Requests rejected (413) because the body was over `request_body_limit`.
    BodyLimitRejects,
    /// Verdict records dropped because the queue was full (oldest first).
    VerdictsDropped,
    /// Verdict records the collector has (stored now, or before: duplicates).
    VerdictsSent,
    /// Verdict records the collector refused as invalid; they are not sent again.
    VerdictsRejected,
    /// Verdict calls that failed and will be retried with backoff (no answer,
    /// 408, 429, 5xx, 404/405, or a call never answered).
    VerdictSendErrors,
    /// Verdict calls the collector answered 401 or 403 (the token); retried slowly.
    VerdictAuthFailures,
    /// Plugin configurations refused (bad JSON or bad rules).
    ConfigErrors,
    /// Requests from `ip_allow` sources (not inspected).
    Allowed,
    /// Requests from `ip_deny` sources (answered with the block response).
    Denied,
    /// Requests over a rate limit (answered 429).
    RateLimited,
    /// Requests a rate limit could not count (its slots all held by other
    /// keys, or other workers kept winning the update): let through.
    RateLimitTableFull,
    /// Counter records the collector has (added now, or before: duplicates).
    CounterRecordsSent,
    /// Counter records the collector refused as invalid (dropped, not sent again).
    CounterRecordsRejected,
    /// Counter calls that failed and will be retried (the record stays pending).
    CounterSendErrors,
}

impl Counter {
    /// Every counter, for registration.
    pub const ALL: [Counter; 17] = [
        Counter::Requests,
        Counter::Blocked,
        Counter::Monitored,
        Counter::BodyLimitRejects,
        Counter::VerdictsDropped,
        Counter::VerdictsSent,
        Counter::VerdictsRejected,
        Counter::VerdictSendErrors,
        Counter::VerdictAuthFailures,
        Counter::ConfigErrors,
        Counter::Allowed,
        Counter::Denied,
        Counter::RateLimited,
        Counter::RateLimitTableFull,
        Counter::CounterRecordsSent,
        Counter::CounterRecordsRejected,
        Counter::CounterSendErrors,
    ];

    /// The Envoy stat name.
    pub fn name(self) -> &'static str {
        match self {
            Counter::Requests => "portcullis.requests",
            Counter::Blocked => "portcullis.blocked",
            Counter::Monitored => "portcullis.monitored",
            Counter::BodyLimitRejects => "portcullis.body_limit_rejects",
            Counter::VerdictsDropped => "portcullis.verdicts_dropped",
            Counter::VerdictsSent => "portcullis.verdicts_sent",
            Counter::VerdictsRejected => "portcullis.verdicts_rejected",
            Counter::VerdictSendErrors => "portcullis.verdict_send_errors",
            Counter::VerdictAuthFailures => "portcullis.verdict_auth_failures",
            Counter::ConfigErrors => "portcullis.config_errors",
            Counter::Allowed => "portcullis.allowed",
            Counter::Denied => "portcullis.denied",
            Counter::RateLimited => "portcullis.rate_limited",
            Counter::RateLimitTableFull => "portcullis.rate_limit_table_full",
            Counter::CounterRecordsSent => "portcullis.counter_records_sent",
            Counter::CounterRecordsRejected => "portcullis.counter_records_rejected",
            Counter::CounterSendErrors => "portcullis.counter_send_errors",
        }
    }

    /// Index into [`Counter::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

/// Stat name of the per-rule match counter (docs/policies.md "Metrics"):
/// `portcullis.rule_matches.rule.<id>.app.<application_id>.host.<policy>.action.<action>`,
/// each value reduced to `[A-Za-z0-9_-]` (anything else becomes `_`; no
/// application id is `none`). The shipped Envoy configs' `stats_tags` turn
/// the four parts into the labels `rule_id`, `application_id`, `host` and
/// `action` of one family, `portcullis_rule_matches` in `/stats/prometheus`.
pub fn rule_match_stat(rule_id: i64, application_id: Option<&str>, policy: &str, action: &str) -> String {
    format!(
        "portcullis.rule_matches.rule.{rule_id}.app.{}.host.{}.action.{}",
        label(application_id.unwrap_or("none")),
        label(policy),
        label(action)
    )
}

/// A stat-name part: `[A-Za-z0-9_-]` kept, anything else (dots included) `_`.
fn label(s: &str) -> String {
    let out: String = s.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' || c == '-' { c } else { '_' }).collect();
    if out.is_empty() {
        "_".to_owned()
    } else {
        out
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_indexes_match() {
        for (i, c) in Counter::ALL.iter().enumerate() {
            assert_eq!(c.index(), i);
            assert!(c.name().starts_with("portcullis."));
        }
        let mut names: Vec<_> = Counter::ALL.iter().map(|c| c.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Counter::ALL.len());
        assert_eq!(
            rule_match_stat(942100, Some("shop.example/1"), "*.example.com", "blocked"),
            "portcullis.rule_matches.rule.942100.app.shop_example_1.host.__example_com.action.blocked"
        );
        assert_eq!(rule_match_stat(1, None, "default", "passed"), "portcullis.rule_matches.rule.1.app.none.host.default.action.passed");
    }
}
