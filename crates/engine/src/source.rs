//! Where rule text comes from. The engine never opens a file: `@crs`,
//! `@builtin`, `Include` paths and `@pmFromFile` data files are all resolved
//! through [`RuleSource`] (embedded bytes in the wasm filter, the file system
//! in the CLI).

use std::borrow::Cow;

/// Files a [`RuleSource`] resolved: `(display name, bytes)` in load order.
pub type LoadedFiles = Vec<(String, Cow<'static, [u8]>)>;

/// Resolves rule and data file names to their bytes.
pub trait RuleSource {
    /// Resolve `path` (as written after `Include` or `@pmFromFile`, or an
    /// entry such as `@crs`), relative to the file `from` that names it
    /// (`None` for a top-level entry). Returns the files it names, in load
    /// order, as `(display name, bytes)`; a glob or a bundle (`@crs`) may name
    /// several. The error is a short lowercase reason ("no such file").
    fn load(&self, path: &str, from: Option<&str>) -> Result<LoadedFiles, String>;
}

/// One input of a rule-set build.
#[derive(Clone, Copy, Debug)]
pub enum RuleEntry<'a> {
    /// Loaded through the [`RuleSource`]: a bundle (`@crs`, `@builtin`), a
    /// file path or a glob, exactly as `Include` would.
    Source(&'a str),
    /// SecLang text given inline; `name` is used in diagnostics.
    Text {
        /// Display name, e.g. `<rules[2]>` or `--include-setup`.
        name: &'a str,
        /// The SecLang text.
        text: &'a str,
    },
}

/// A source with no files: for builds from inline text only.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoSource;

impl RuleSource for NoSource {
    fn load(&self, path: &str, _from: Option<&str>) -> Result<LoadedFiles, String> {
        Err(format!("cannot load `{path}`: this build has no rule files"))
    }
}

/// An in-memory source: a list of `(name, bytes)`. Relative names are
/// looked up as given and relative to the directory of the including file.
#[derive(Clone, Debug, Default)]
pub struct MemorySource {
    files: Vec<(String, Vec<u8>)>,
}

impl MemorySource {
    /// An empty source.
    pub fn new() -> MemorySource {
        MemorySource::default()
    }

    /// Add a file.
    pub fn with(mut self, name: &str, bytes: impl Into<Vec<u8>>) -> MemorySource {
        self.files.push((name.to_string(), bytes.into()));
        self
    }
}

impl RuleSource for MemorySource {
    fn load(&self, path: &str, from: Option<&str>) -> Result<LoadedFiles, String> {
        let mut candidates = vec![path.to_string()];
        if let Some(dir) = from.and_then(|f| f.rsplit_once('/')).map(|(d, _)| d) {
            candidates.insert(0, format!("{dir}/{path}"));
        }
        for c in candidates {
            if let Some((n, b)) = self.files.iter().find(|(n, _)| *n == c) {
                return Ok(vec![(n.clone(), Cow::Owned(b.clone()))]);
            }
        }
        Err("no such file".into())
    }
}
