//! What the dashboard counts about one verdict besides its columns: the facets its top lists are
//! built from.
//!
//! Extracted once, at ingest, from the record already validated by the record module, and added into
//! the rollups in the same transaction as the verdict (`store::rollup`). The upgrade to schema
//! version 5 reads the stored records back through the same code (`store::rollup::backfill`).

use serde_json::{Map, Value};

/// Facet names as stored in the rollups' `facet` column.
pub(crate) mod name {
    /// The verdict itself (value `''`): counts by action, host, application and time.
    pub const VERDICT: &str = "";
    /// `matched[].id`, as decimal text; each rule once per verdict.
    pub const RULE: &str = "rule";
    /// `attack_types[]`, each once per verdict.
    pub const ATTACK: &str = "attack";
    /// `cves[]`, each once per verdict.
    pub const CVE: &str = "cve";
    /// `source_ip`.
    pub const SOURCE_IP: &str = "ip";
    /// `path` up to (not including) the first `?`: the query string would make every attack its own path.
    pub const PATH: &str = "path";
}

/// The facets of one verdict, deduplicated, in first-seen order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Facets {
    /// `path` without its query string.
    pub path: Option<String>,
    pub attack_types: Vec<String>,
    pub cves: Vec<String>,
    /// `(matched[].id, matched[].msg)`: the message (the first non-empty one of the rule in this
    /// record) is kept for the "top rules" table.
    pub rules: Vec<(i64, String)>,
}

impl Facets {
    /// Reads the facets of a record that ingest validation accepted (wrongly typed
    /// entries cannot occur there; they are skipped here all the same).
    pub(crate) fn of_record(obj: &Map<String, Value>) -> Facets {
        let path = obj
            .get("path")
            .and_then(Value::as_str)
            .map(|p| p.split_once('?').map_or(p, |(path, _)| path).to_owned());
        let strings = |field: &str| {
            let mut out: Vec<String> = Vec::new();
            for s in obj
                .get(field)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(s) = s.as_str() {
                    if !out.iter().any(|o| o == s) {
                        out.push(s.to_owned());
                    }
                }
            }
            out
        };
        let mut rules: Vec<(i64, String)> = Vec::new();
        for m in obj
            .get("matched")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(id) = m.get("id").and_then(Value::as_i64) else {
                continue;
            };
            let msg = m.get("msg").and_then(Value::as_str).unwrap_or("");
            match rules.iter_mut().find(|(r, _)| *r == id) {
                // The first non-empty message of a rule listed twice.
                Some((_, known)) if known.is_empty() => msg.clone_into(known),
                Some(_) => {}
                None => rules.push((id, msg.to_owned())),
            }
        }
        Facets {
            path,
            attack_types: strings("attack_types"),
            cves: strings("cves"),
            rules,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facets_are_deduplicated_and_paths_lose_their_query() {
        let v: Value = serde_json::from_str(
            r#"{"path":"/a/b?x=1?y","attack_types":["sqli","xss","sqli"],"cves":["CVE-2021-44228"],
                "matched":[{"id":1},{"id":2},{"id":1,"msg":"one"},{"id":1,"msg":"again"}]}"#,
        )
        .unwrap();
        let f = Facets::of_record(v.as_object().unwrap());
        assert_eq!(f.path.as_deref(), Some("/a/b"));
        assert_eq!(f.attack_types, ["sqli", "xss"]);
        assert_eq!(f.cves, ["CVE-2021-44228"]);
        assert_eq!(f.rules, [(1, "one".to_owned()), (2, String::new())]);
        assert_eq!(Facets::of_record(&Map::new()), Facets::default());
    }
}
