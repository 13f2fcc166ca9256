//! The engine against OWASP CRS (read from `../shared/crs/v4.28.0`, or `CRS_DIR`):
//! it loads unmodified, and the request corpus gets the expected verdicts.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use portcullis_engine::{MemorySource, RuleEntry, RuleSet};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn crs_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("CRS_DIR").map(PathBuf::from).unwrap_or_else(|| workspace().join("../shared/crs/v4.28.0"));
    dir.join("rules").is_dir().then_some(dir)
}

/// Every CRS file in memory, named `crs/...`.
fn crs_source(dir: &Path) -> MemorySource {
    let mut src = MemorySource::new();
    let mut add = |name: String, p: &Path| {
        if let Ok(b) = std::fs::read(p) {
            src = std::mem::take(&mut src).with(&name, b);
        }
    };
    add("crs/crs-setup.conf.example".into(), &dir.join("crs-setup.conf.example"));
    let mut files: Vec<_> = std::fs::read_dir(dir.join("rules")).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default();
    files.sort();
    for p in files {
        let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        add(format!("crs/rules/{name}"), &p);
    }
    src
}

fn rule_files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir.join("rules"))
        .map(|d| d.flatten().filter_map(|e| e.file_name().to_str().map(str::to_string)).collect())
        .unwrap_or_default();
    v.retain(|n| n.ends_with(".conf"));
    v.sort();
    v.into_iter().map(|n| format!("crs/rules/{n}")).collect()
}

fn base_config() -> String {
    std::fs::read_to_string(workspace().join("rules/base/recommended.conf")).unwrap_or_else(|_| {
        "SecRuleEngine On\nSecRequestBodyAccess On\n\
         SecRule REQUEST_HEADERS:Content-Type \"^(?:application(?:/soap\\+|/)|text/)xml\" \"id:200000,phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=XML\"\n\
         SecRule REQUEST_HEADERS:Content-Type \"^application/json\" \"id:200001,phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=JSON\"\n"
            .to_string()
    })
}

pub fn build_crs(extra: &str) -> Option<Arc<RuleSet>> {
    let dir = crs_dir()?;
    let src = crs_source(&dir);
    let base = base_config();
    let files = rule_files(&dir);
    let mut entries = vec![RuleEntry::Text { name: "base", text: &base }, RuleEntry::Source("crs/crs-setup.conf.example")];
    entries.push(RuleEntry::Text { name: "extra", text: extra });
    entries.extend(files.iter().map(|f| RuleEntry::Source(f)));
    match RuleSet::builder().build_entries(&src, &entries) {
        Ok(r) => Some(Arc::new(r)),
        Err(e) => panic!("CRS failed to load:\n{e}"),
    }
}

#[test]
fn crs_loads_unmodified() {
    let t = std::time::Instant::now();
    let Some(rs) = build_crs("") else {
        eprintln!("skipped: no CRS at ../shared/crs/v4.28.0 (set CRS_DIR)");
        return;
    };
    let stats = rs.stats();
    eprintln!("CRS loaded in {:?}: {stats:?}, {} KiB", t.elapsed(), rs.memory_usage() / 1024);
    assert!(stats.rule_ids > 500, "{stats:?}");
    for (id, p) in rs.unfiltered_rx_rules() {
        eprintln!("unfiltered rx {id}: {}", &p[..p.len().min(100)]);
    }
}
