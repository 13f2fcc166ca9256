//! Locating a CRS directory and reading it into memory, for engine tests and
//! benchmarks that build CRS without the CLI's file-system source.

use std::path::{Path, PathBuf};

/// The CRS version the repository pins (scripts/fetch-crs.sh, the Makefile).
pub const CRS_VERSION: &str = "v4.28.0";

/// The CRS directory, first found of: `$CRS_DIR` (relative paths taken from
/// the workspace root); `../shared/crs/v4.28.0` beside the workspace (dev
/// machines and CI); `tmp/crs/v4.28.0` in the workspace, where
/// `scripts/fetch-crs.sh` extracts the verified release. `None` when the
/// chosen directory has no `rules/` directory (a set `CRS_DIR` is never
/// passed over for a default).
pub fn locate() -> Option<PathBuf> {
    let root = workspace();
    if let Some(dir) = std::env::var_os("CRS_DIR").filter(|v| !v.is_empty()) {
        let dir = root.join(dir);
        return dir.join("rules").is_dir().then_some(dir);
    }
    default_dirs(&root).into_iter().find(|d| d.join("rules").is_dir())
}

/// The CRS directories looked at when `CRS_DIR` is not set, in order.
pub fn default_dirs(root: &Path) -> [PathBuf; 2] {
    [root.join("../shared/crs").join(CRS_VERSION), root.join("tmp/crs").join(CRS_VERSION)]
}

/// The workspace root (this crate is `crates/testkit`).
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The request corpus the tests check verdicts on: `$PORTCULLIS_CORPUS`, else
/// the repository's own `tests/corpus`.
pub fn corpus_dir() -> PathBuf {
    let root = workspace();
    match std::env::var_os("PORTCULLIS_CORPUS").filter(|v| !v.is_empty()) {
        Some(dir) => root.join(dir),
        None => root.join("tests/corpus"),
    }
}

/// The corpus the benchmarks measure: `$PORTCULLIS_CORPUS`, else
/// `../shared/corpus` when present (its `b01`/`b02`/`b03` are the requests
/// behind BENCHMARKS.md's reference numbers), else `tests/corpus` (same
/// shapes, different bytes).
pub fn bench_corpus_dir() -> PathBuf {
    let shared = workspace().join("../shared/corpus");
    if std::env::var_os("PORTCULLIS_CORPUS").is_none() && shared.is_dir() {
        return shared;
    }
    corpus_dir()
}

/// A CRS directory in memory: every file named `crs/...`, and the load order.
#[derive(Debug, Default)]
pub struct CrsFiles {
    /// `(name, bytes)`: `crs/crs-setup.conf.example`, `crs/rules/<file>` for
    /// every `.conf` and `.data` file.
    pub files: Vec<(String, Vec<u8>)>,
    /// Rule files to load after the setup, in name order (`*.example` skipped).
    pub rule_files: Vec<String>,
}

/// Read CRS from `dir`.
///
/// # Errors
/// When a file cannot be read.
pub fn read(dir: &Path) -> std::io::Result<CrsFiles> {
    let mut out = CrsFiles::default();
    out.files.push(("crs/crs-setup.conf.example".into(), std::fs::read(dir.join("crs-setup.conf.example"))?));
    let mut names: Vec<String> = std::fs::read_dir(dir.join("rules"))?
        .flatten()
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .collect();
    names.sort();
    for n in names {
        if n.ends_with(".conf") || n.ends_with(".data") {
            out.files.push((format!("crs/rules/{n}"), std::fs::read(dir.join("rules").join(&n))?));
            if n.ends_with(".conf") {
                out.rule_files.push(format!("crs/rules/{n}"));
            }
        }
    }
    Ok(out)
}

/// The repository's `rules/base/recommended.conf` (what `@crs` loads first).
///
/// # Errors
/// When the file cannot be read.
pub fn base_config() -> std::io::Result<String> {
    std::fs::read_to_string(workspace().join("rules/base/recommended.conf"))
}
