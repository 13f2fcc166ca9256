//! [`FsSource`]: rule files and data files from the file system, bundles
//! (`@builtin`, `@crs`) from the embedded rule packs.
//!
//! Resolution, as ModSecurity does it for `Include` and `@pmFromFile`:
//! - a name starting with `@`, or any relative name inside a bundled file
//!   (whose display name starts with `@`), goes to
//!   [`portcullis_rulepacks::Bundled`];
//! - an absolute path is used as is;
//! - a relative path is relative to the directory of the file that names it
//!   (`from`), or to the base directory (the current directory) for a
//!   top-level entry or one named inside inline text (`<rules[0]>`);
//! - a last path component with `*`, `?` or `[...]` is a glob: every
//!   matching regular file, sorted by name; no match is an error (a typo must
//!   not silently load nothing).
//!
//! Display names are the paths as composed (not canonicalized), so
//! diagnostics point where the user looks.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use portcullis_engine::RuleSource;
use portcullis_rulepacks::Bundled;

/// Loads rules from the file system (see the module docs).
#[derive(Clone, Debug)]
pub struct FsSource {
    base: PathBuf,
    bundled: Bundled,
}

impl FsSource {
    /// A source resolving top-level relative paths against `base`.
    pub fn new(base: impl Into<PathBuf>) -> FsSource {
        FsSource { base: base.into(), bundled: Bundled::new() }
    }

    /// A source resolving top-level relative paths against the current directory.
    pub fn current_dir() -> FsSource {
        FsSource::new(".")
    }

    /// The directory `from` (a display name) lives in, when it is a file path.
    fn dir_of(&self, from: Option<&str>) -> PathBuf {
        match from {
            Some(f) if !f.starts_with('<') => match Path::new(f).parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => self.base.clone(),
            },
            _ => self.base.clone(),
        }
    }

    fn resolve(&self, path: &str, from: Option<&str>) -> PathBuf {
        let p = Path::new(path);
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            let dir = self.dir_of(from);
            if dir == Path::new(".") {
                p.to_path_buf()
            } else {
                dir.join(p)
            }
        }
    }
}

impl RuleSource for FsSource {
    fn load(&self, path: &str, from: Option<&str>) -> Result<Vec<(String, Cow<'static, [u8]>)>, String> {
        let path = path.trim();
        if path.is_empty() {
            return Err("empty file name".into());
        }
        if path.starts_with('@') || from.is_some_and(|f| f.starts_with('@')) {
            return self.bundled.load(path, from);
        }
        if Path::new(path).parent().is_some_and(|p| is_glob(&p.to_string_lossy())) {
            return Err(format!("{path}: wildcards are only supported in the last path component"));
        }
        let full = self.resolve(path, from);
        let name = full.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if is_glob(&name) {
            let dir = full.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."));
            let files = glob_dir(&dir, &name).map_err(|e| format!("{}: {e}", dir.display()))?;
            if files.is_empty() {
                return Err(format!("{}: no file matches", full.display()));
            }
            return files.into_iter().map(|f| read(&f)).collect();
        }
        Ok(vec![read(&full)?])
    }
}

fn read(path: &Path) -> Result<(String, Cow<'static, [u8]>), String> {
    let display = path.to_string_lossy().into_owned();
    match std::fs::read(path) {
        Ok(bytes) => Ok((display, Cow::Owned(bytes))),
        Err(e) => Err(format!("{display}: {e}")),
    }
}

fn is_glob(s: &str) -> bool {
    s.contains(['*', '?', '['])
}

/// Regular files of `dir` whose names match `pattern`, sorted by name.
fn glob_dir(dir: &Path, pattern: &str) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if glob_match(pattern.as_bytes(), name.as_bytes()) && entry.path().is_file() {
            out.push(entry.path());
        }
    }
    out.sort();
    Ok(out)
}

/// Shell wildcard match: `*`, `?`, `[abc]`, `[a-z]`, `[!x]`. A leading `.`
/// in the name must be matched explicitly, as glob(3) requires.
pub fn glob_match(pat: &[u8], name: &[u8]) -> bool {
    if name.first() == Some(&b'.') && pat.first() != Some(&b'.') {
        return false;
    }
    glob_from(pat, name)
}

fn glob_from(pat: &[u8], name: &[u8]) -> bool {
    let (mut p, mut n) = (0usize, 0usize);
    let mut backtrack: Option<(usize, usize)> = None;
    while n < name.len() {
        let step = match pat.get(p) {
            Some(b'*') => {
                backtrack = Some((p, n));
                p += 1;
                continue;
            }
            Some(b'?') => Some(1),
            Some(b'[') => class_match(pat.get(p..).unwrap_or_default(), name.get(n).copied()),
            Some(&c) if Some(&c) == name.get(n) => Some(1),
            _ => None,
        };
        match step {
            Some(len_or_one) => {
                p += if pat.get(p) == Some(&b'[') { len_or_one } else { 1 };
                n += 1;
            }
            None => match backtrack {
                Some((bp, bn)) => {
                    p = bp + 1;
                    n = bn + 1;
                    backtrack = Some((bp, bn + 1));
                }
                None => return false,
            },
        }
    }
    pat.get(p..).is_some_and(|rest| rest.iter().all(|&c| c == b'*'))
}

/// Match one byte against a `[...]` class at the start of `pat`; returns the
/// class length on a match.
fn class_match(pat: &[u8], c: Option<u8>) -> Option<usize> {
    let c = c?;
    let mut i = 1;
    let negate = matches!(pat.get(i), Some(b'!' | b'^'));
    if negate {
        i += 1;
    }
    let mut matched = false;
    let mut first = true;
    loop {
        let lo = *pat.get(i)?;
        if lo == b']' && !first {
            break;
        }
        first = false;
        if pat.get(i + 1) == Some(&b'-') && pat.get(i + 2).is_some_and(|&h| h != b']') {
            let hi = *pat.get(i + 2)?;
            matched |= lo <= c && c <= hi;
            i += 3;
        } else {
            matched |= lo == c;
            i += 1;
        }
    }
    (matched != negate).then_some(i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_patterns() {
        assert!(glob_match(b"*.conf", b"REQUEST-901.conf"));
        assert!(!glob_match(b"*.conf", b"x.conf.example"));
        assert!(!glob_match(b"*.conf", b".hidden.conf"));
        assert!(glob_match(b"a?c", b"abc"));
        assert!(glob_match(b"[a-c]x[!y]", b"bxz"));
        assert!(!glob_match(b"[a-c]x[!y]", b"bxy"));
        assert!(glob_match(b"*", b"anything"));
        assert!(!glob_match(b"[", b"["));
    }

    #[test]
    fn resolves_relative_to_including_file() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("rules");
        std::fs::create_dir(&sub).unwrap();
        std::fs::write(sub.join("b.conf"), "B").unwrap();
        std::fs::write(sub.join("a.conf"), "A").unwrap();
        std::fs::write(sub.join("a.conf.example"), "X").unwrap();
        std::fs::write(sub.join("words.data"), "w").unwrap();
        let src = FsSource::new(dir.path());

        let files = src.load("rules/*.conf", None).unwrap();
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert!(names[0].ends_with("rules/a.conf") && names[1].ends_with("rules/b.conf"), "{names:?}");

        let from = sub.join("a.conf").to_string_lossy().into_owned();
        let data = src.load("words.data", Some(&from)).unwrap();
        assert_eq!(&*data[0].1, b"w");

        let inline = src.load("rules/b.conf", Some("<rules[0]>")).unwrap();
        assert_eq!(&*inline[0].1, b"B");

        assert!(src.load("rules/*.nope", None).unwrap_err().contains("no file matches"));
        assert!(src.load("missing.conf", None).is_err());
        assert!(src.load("*/a.conf", None).unwrap_err().contains("last path component"));
    }

    #[test]
    fn bundles_go_to_the_rule_packs() {
        let src = FsSource::current_dir();
        // @builtin always exists (possibly empty); an unknown bundle file is an error.
        assert!(src.load("@builtin", None).is_ok());
        assert!(src.load("@builtin/does-not-exist.conf", None).is_err());
    }
}
