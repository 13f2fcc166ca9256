//! Selecting tests by name, like regex-automata's `REGEX_TEST`:
//! `942100,-920,920100-4` is a comma-separated list of patterns; a leading
//! `-` excludes. Names are go-ftw's `<rule_id>-<test_id>`. A pattern with a
//! `-` is a whole test name (`920100-4`); one without is a prefix of the rule
//! id (`942100` selects every test of rule 942100, `920` every test of rules
//! 920xxx). The last pattern matching a name decides; a name no pattern
//! matches is selected only when there is no including pattern.

/// A parsed test filter.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TestFilter {
    rules: Vec<(bool, String)>,
}

impl TestFilter {
    /// Parse `a,-b,...`; empty items are ignored. An empty filter selects everything.
    pub fn parse(spec: &str) -> TestFilter {
        let rules = spec
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty() && *s != "-")
            .map(|s| match s.strip_prefix('-') {
                Some(rest) => (false, rest.to_string()),
                None => (true, s.to_string()),
            })
            .collect();
        TestFilter { rules }
    }

    /// Whether the test named `name` is selected.
    pub fn selects(&self, name: &str) -> bool {
        let mut selected = !self.rules.iter().any(|(include, _)| *include);
        for (include, prefix) in &self.rules {
            if pattern_matches(prefix, name) {
                selected = *include;
            }
        }
        selected
    }

    /// Whether the filter selects everything.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }
}

fn pattern_matches(pattern: &str, name: &str) -> bool {
    if pattern.contains('-') {
        name == pattern
    } else {
        name.split('-').next().unwrap_or(name).starts_with(pattern)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn include_exclude_last_wins() {
        let f = TestFilter::parse("942100,-920");
        assert!(f.selects("942100-1"));
        assert!(!f.selects("920100-1"));
        assert!(!f.selects("941100-1"));
        let f = TestFilter::parse("-920");
        assert!(f.selects("941100-1"));
        assert!(!f.selects("920100-1"));
        let f = TestFilter::parse("920,-920100,920100-4");
        assert!(f.selects("920200-1"));
        assert!(!f.selects("920100-3"));
        assert!(f.selects("920100-4"));
        assert!(!f.selects("920100-40"));
        assert!(TestFilter::parse("").selects("1-1"));
    }
}
