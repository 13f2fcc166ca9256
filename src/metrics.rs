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
}

impl Counter {
    /// Every counter, for registration.
    pub const ALL: [Counter; 10] = [
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
        }
    }

    /// Index into [`Counter::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

/// Stat name of the per-rule counter for rule `rule_id` and `what`
/// (`blocked`, `monitored`): `portcullis.rule.<id>.<what>`.
pub fn rule_stat(rule_id: i64, what: &str) -> String {
    format!("portcullis.rule.{rule_id}.{what}")
}

/// Stat name of the per-application counter: `portcullis.app.<id>.<what>`,
/// with characters other than `[A-Za-z0-9_-]` replaced by `_` (Envoy splits on dots).
pub fn app_stat(app: &str, what: &str) -> String {
    let app: String = app.chars().take(64).map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect();
    format!("portcullis.app.{app}.{what}")
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
        assert_eq!(app_stat("shop.example/1", "blocked"), "portcullis.app.shop_example_1.blocked");
        assert_eq!(rule_stat(942100, "blocked"), "portcullis.rule.942100.blocked");
    }
}
