//! Turning command-line rule arguments into build entries, and small
//! formatting helpers shared by the commands.

use portcullis_engine::RuleEntry;

/// Names for inline entries, `<rules[i]>`, kept alive while entries borrow them.
pub struct Entries {
    names: Vec<String>,
    args: Vec<String>,
}

impl Entries {
    /// Classify `args`: a bundle (`@...`), an existing path or a glob is
    /// loaded through the source; text that starts like a SecLang directive
    /// (`Sec...`, `Include`, followed by arguments) is inline SecLang; anything else is a path (so
    /// a mistyped file name is reported as missing, not as bad SecLang).
    pub fn new(args: &[String]) -> Entries {
        let names = (0..args.len()).map(|i| format!("<rules[{i}]>")).collect();
        Entries { names, args: args.to_vec() }
    }

    /// The entries, in order.
    pub fn list(&self) -> Vec<RuleEntry<'_>> {
        self.args
            .iter()
            .zip(&self.names)
            .map(|(a, n)| if is_inline(a) { RuleEntry::Text { name: n, text: a } } else { RuleEntry::Source(a) })
            .collect()
    }
}

fn is_inline(arg: &str) -> bool {
    if arg.starts_with('@') || std::path::Path::new(arg).exists() {
        return false;
    }
    let word: String = arg.trim_start().chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    let lower = word.to_ascii_lowercase();
    // A directive always has arguments, so inline text has inner whitespace.
    ((lower.starts_with("sec") && word.len() > 3) || lower == "include") && arg.trim().contains(char::is_whitespace)
}

/// `1234567` → `1234567 bytes (1.2 MiB)`.
pub fn human_bytes(n: usize) -> String {
    if n < 1024 {
        return format!("{n} bytes");
    }
    let (value, unit) = if n < 1024 * 1024 { (n as f64 / 1024.0, "KiB") } else { (n as f64 / (1024.0 * 1024.0), "MiB") };
    format!("{n} bytes ({value:.1} {unit})")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_entries() {
        let e = Entries::new(&["@crs".into(), "SecRuleEngine DetectionOnly".into(), "rules/x.conf".into(), "Secret.conf".into()]);
        let l = e.list();
        assert!(matches!(l[0], RuleEntry::Source("@crs")));
        assert!(matches!(l[1], RuleEntry::Text { name: "<rules[1]>", .. }));
        assert!(matches!(l[2], RuleEntry::Source("rules/x.conf")));
        // Starts with "Sec" but has no arguments: a file name.
        assert!(matches!(l[3], RuleEntry::Source("Secret.conf")));
        assert_eq!(human_bytes(10), "10 bytes");
        assert_eq!(human_bytes(2048), "2048 bytes (2.0 KiB)");
    }
}
