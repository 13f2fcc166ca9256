//! Locating a CRS directory and reading it into memory, for engine tests and
//! benchmarks that build CRS without the CLI's file-system source.

use std::path::{Path, PathBuf};

/// The CRS directory: `$CRS_DIR`, else `../shared/crs/v4.28.0` beside the
/// workspace. `None` when it has no `rules/` directory.
pub fn locate() -> Option<PathBuf> {
    let dir = std::env::var_os("CRS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("../shared/crs/v4.28.0"));
    dir.join("rules").is_dir().then_some(dir)
}

/// The workspace root (this crate is `crates/testkit`).
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The shared request corpus directory (`../shared/corpus`).
pub fn corpus_dir() -> PathBuf {
    workspace().join("../shared/corpus")
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
