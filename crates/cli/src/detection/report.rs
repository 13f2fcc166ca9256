//! What one configuration did with the corpora, and how it is printed.
//!
//! Rates are over requests: the true-positive rate of a class is the share
//! of its attack requests that were blocked; the true-negative rate is the
//! share of benign requests that passed.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use super::corpus::LabelledRequest;

/// Blocked out of total.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// Requests the configuration blocked.
    pub blocked: u32,
    /// Requests counted.
    pub total: u32,
}

impl Tally {
    fn add(&mut self, blocked: bool) {
        self.total += 1;
        self.blocked += u32::from(blocked);
    }

    /// Requests that passed.
    pub fn passed(self) -> u32 {
        self.total - self.blocked
    }

    /// `n / total` in percent (0 for an empty tally).
    fn percent_of(self, n: u32) -> f64 {
        if self.total == 0 {
            return 0.0;
        }
        100.0 * f64::from(n) / f64::from(self.total)
    }

    /// The share blocked, in percent: the true-positive rate of attacks.
    pub fn blocked_percent(self) -> f64 {
        self.percent_of(self.blocked)
    }

    /// The share passed, in percent: the true-negative rate of benign requests.
    pub fn passed_percent(self) -> f64 {
        self.percent_of(self.passed())
    }
}

/// A benign request that was blocked, and the rules that logged on it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FalsePositive {
    /// The request's id.
    pub id: String,
    /// Ids of the rules that matched and log, in match order, once each.
    pub rules: Vec<i64>,
}

/// One configuration's results over both corpora.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ConfigReport {
    /// The configuration's name (`default`, `crs-pl1`, ...).
    pub name: String,
    /// Its rule entries, in load order.
    pub rules: Vec<String>,
    /// Every attack request.
    pub attacks: Tally,
    /// Attack requests by class.
    pub by_class: BTreeMap<String, Tally>,
    /// Attack requests by placement.
    pub by_placement: BTreeMap<String, Tally>,
    /// Attack requests by encoding.
    pub by_encoding: BTreeMap<String, Tally>,
    /// Every benign request (`blocked` are false positives).
    pub benign: Tally,
    /// The benign requests blocked.
    pub false_positives: Vec<FalsePositive>,
    /// Ids of the attack requests that passed.
    pub missed: Vec<String>,
    /// Wall time of the run over both corpora, in milliseconds.
    pub elapsed_ms: u128,
}

impl ConfigReport {
    /// An empty report for configuration `name`.
    pub fn new(name: &str, rules: &[String]) -> ConfigReport {
        ConfigReport { name: name.to_string(), rules: rules.to_vec(), ..ConfigReport::default() }
    }

    /// Count one request's outcome.
    pub fn record(&mut self, req: &LabelledRequest, blocked: bool, rules: Vec<i64>) {
        if req.is_benign() {
            self.benign.add(blocked);
            if blocked {
                self.false_positives.push(FalsePositive { id: req.id.clone(), rules });
            }
            return;
        }
        self.attacks.add(blocked);
        self.by_class.entry(req.class.clone()).or_default().add(blocked);
        self.by_placement.entry(req.placement.clone()).or_default().add(blocked);
        self.by_encoding.entry(req.encoding.clone()).or_default().add(blocked);
        if !blocked {
            self.missed.push(req.id.clone());
        }
    }
}

/// The plain-text report: one column per configuration, then each
/// configuration's blocked benign requests.
pub fn render(reports: &[ConfigReport]) -> String {
    let mut out = String::new();
    let mut table = |title: &str, rows: Vec<(String, Vec<String>)>| {
        let _ = write!(out, "\n{title:<16}");
        for r in reports {
            let _ = write!(out, " {:>20}", r.name);
        }
        out.push('\n');
        for (key, cells) in rows {
            let _ = write!(out, "{key:<16}");
            for c in cells {
                let _ = write!(out, " {c:>20}");
            }
            out.push('\n');
        }
    };
    let cell = |t: Tally, passed: bool| {
        if passed {
            format!("{:.1}% ({}/{})", t.passed_percent(), t.passed(), t.total)
        } else {
            format!("{:.1}% ({}/{})", t.blocked_percent(), t.blocked, t.total)
        }
    };
    let overall = vec![
        ("TP attacks".to_string(), reports.iter().map(|r| cell(r.attacks, false)).collect()),
        ("TN benign".to_string(), reports.iter().map(|r| cell(r.benign, true)).collect()),
    ];
    table("overall", overall);
    type Pick = fn(&ConfigReport) -> &BTreeMap<String, Tally>;
    let dims: [(&str, Pick); 3] =
        [("TP by class", |r| &r.by_class), ("TP by placement", |r| &r.by_placement), ("TP by encoding", |r| &r.by_encoding)];
    for (title, pick) in dims {
        let keys: std::collections::BTreeSet<&String> = reports.iter().flat_map(|r| pick(r).keys()).collect();
        let rows = keys
            .into_iter()
            .map(|k| (k.clone(), reports.iter().map(|r| cell(pick(r).get(k).copied().unwrap_or_default(), false)).collect()))
            .collect();
        table(title, rows);
    }
    for r in reports {
        let _ = writeln!(out, "\n{}: {} benign blocked ({} ms, rules {})", r.name, r.false_positives.len(), r.elapsed_ms, r.rules.join(" "));
        for fp in &r.false_positives {
            let ids: Vec<String> = fp.rules.iter().map(i64::to_string).collect();
            let _ = writeln!(out, "  {}  rules {}", fp.id, ids.join(","));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(id: &str, class: &str) -> LabelledRequest {
        LabelledRequest::for_test(id, class, "/")
    }

    #[test]
    fn counts_and_renders() {
        let mut r = ConfigReport::new("default", &["@builtin".into()]);
        r.record(&req("a1", "sqli"), true, vec![1]);
        r.record(&req("a2", "sqli"), false, vec![]);
        r.record(&req("b1", "benign"), true, vec![942100, 949110]);
        r.record(&req("b2", "benign"), false, vec![]);
        assert_eq!(r.attacks, Tally { blocked: 1, total: 2 });
        assert_eq!(r.by_class["sqli"].blocked_percent(), 50.0);
        assert_eq!(r.benign.passed_percent(), 50.0);
        assert_eq!(r.missed, ["a2"]);
        let text = render(&[r]);
        assert!(text.contains("TP attacks") && text.contains("50.0% (1/2)"), "{text}");
        assert!(text.contains("b1  rules 942100,949110"), "{text}");
        assert_eq!(Tally::default().passed_percent(), 0.0);
    }
}
