//! Rule packs embedded at build time, served to the engine through
//! [`portcullis_engine::RuleSource`].
//!
//! Envoy gives a wasm filter no file system, so every rule file and data file
//! the filter may load is compiled into the binary by `build.rs`:
//!
//! | entry | files, in load order |
//! |---|---|
//! | `@builtin` | `rules/builtin/*.conf` of this repository, by name |
//! | `@crs` | `rules/base/recommended.conf`, the CRS `crs-setup.conf.example`, the CRS `rules/*.conf` by name (`*.example` skipped) |
//!
//! Display names are `@builtin/<file>`, `@crs/base/recommended.conf`,
//! `@crs/crs-setup.conf.example` and `@crs/rules/<file>`. Data files
//! (`*.data`) sit beside the rule files, so `@pmFromFile lfi-os-files.data`
//! in `@crs/rules/REQUEST-930-APPLICATION-ATTACK-LFI.conf` resolves to
//! `@crs/rules/lfi-os-files.data`, as ModSecurity resolves it relative to the
//! including file. A single embedded file can also be named directly
//! (`@crs/rules/REQUEST-942-APPLICATION-ATTACK-SQLI.conf`), and the last path
//! component may be a glob (`*`, `?`).
//!
//! The CRS comes from the directory in `CRS_DIR` at build time (default: the
//! first of `../shared/crs/v4.28.0` and `tmp/crs/v4.28.0` from the workspace
//! root that exists; `make crs` fetches the latter). Without one, `@crs`
//! fails with [`NO_CRS`].

use std::borrow::Cow;

use portcullis_engine::RuleSource;

mod packs {
    include!(concat!(env!("OUT_DIR"), "/packs.rs"));
}

/// The error `@crs` gives when the build found no CRS directory.
pub const NO_CRS: &str = "no CRS embedded: build with CRS_DIR=/path/to/coreruleset (`make crs` fetches and verifies it)";

/// One embedded file: display name and contents.
type File = (&'static str, &'static [u8]);

/// What [`RuleSource::load`] returns: `(display name, bytes)` in load order.
type Loaded = Vec<(String, Cow<'static, [u8]>)>;

/// The embedded rule packs: `@builtin`, `@crs` and the files they name.
///
/// Cheap to create and copy; it only points at static data.
#[derive(Clone, Copy, Debug)]
pub struct Bundled {
    builtin_conf: &'static [File],
    builtin_data: &'static [File],
    crs_conf: &'static [File],
    crs_data: &'static [File],
    crs_origin: Option<&'static str>,
}

impl Default for Bundled {
    fn default() -> Bundled {
        Bundled::new()
    }
}

impl Bundled {
    /// The packs embedded in this build.
    pub const fn new() -> Bundled {
        Bundled {
            builtin_conf: packs::BUILTIN_CONF,
            builtin_data: packs::BUILTIN_DATA,
            crs_conf: packs::CRS_CONF,
            crs_data: packs::CRS_DATA,
            crs_origin: packs::CRS_ORIGIN,
        }
    }

    /// Whether a CRS was embedded (`@crs` loads).
    pub fn has_crs(&self) -> bool {
        self.crs_origin.is_some() && !self.crs_conf.is_empty()
    }

    /// The directory the CRS was embedded from, as seen at build time.
    pub fn crs_origin(&self) -> Option<&'static str> {
        self.crs_origin
    }

    /// Display names of every embedded file, rule files first, each pack in load order.
    pub fn file_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.all().map(|(name, _)| *name)
    }

    /// Total bytes embedded.
    pub fn embedded_bytes(&self) -> usize {
        self.all().map(|(_, b)| b.len()).sum()
    }

    fn all(&self) -> impl Iterator<Item = &'static File> {
        self.builtin_conf
            .iter()
            .chain(self.crs_conf.iter())
            .chain(self.builtin_data.iter())
            .chain(self.crs_data.iter())
    }

    fn pack(files: &'static [File]) -> Loaded {
        files.iter().map(|(n, b)| ((*n).to_owned(), Cow::Borrowed(*b))).collect()
    }

    /// Resolve one path (not a bundle) to embedded files.
    fn resolve(&self, path: &str, from: Option<&str>) -> Result<Loaded, String> {
        let joined = if path.starts_with('@') {
            path.to_owned()
        } else if let Some(from) = from {
            match from.rfind('/') {
                Some(i) => format!("{}/{path}", from.get(..i).unwrap_or("")),
                None => path.to_owned(),
            }
        } else {
            return Err(format!(
                "{path}: only embedded files can be loaded (entries are @builtin, @crs, @builtin/<file> or @crs/<file>)"
            ));
        };
        let name = normalize(&joined).ok_or_else(|| format!("{path}: path leaves the embedded pack"))?;
        if name.starts_with("@crs/") && !self.has_crs() {
            return Err(format!("{name}: {NO_CRS}"));
        }
        let (dir, last) = match name.rfind('/') {
            Some(i) => (name.get(..=i).unwrap_or(""), name.get(i + 1..).unwrap_or("")),
            None => ("", name.as_str()),
        };
        if last.contains(['*', '?']) {
            let mut found: Vec<&File> = self
                .all()
                .filter(|(n, _)| n.strip_prefix(dir).is_some_and(|rest| !rest.contains('/') && glob(last, rest)))
                .collect();
            found.sort_by_key(|(n, _)| *n);
            if found.is_empty() {
                return Err(format!("{name}: no embedded file matches"));
            }
            return Ok(found.into_iter().map(|(n, b)| ((*n).to_owned(), Cow::Borrowed(*b))).collect());
        }
        match self.all().find(|(n, _)| *n == name) {
            Some((n, b)) => Ok(vec![((*n).to_owned(), Cow::Borrowed(*b))]),
            None => Err(format!("{name}: no such embedded file")),
        }
    }
}

impl RuleSource for Bundled {
    fn load(&self, path: &str, from: Option<&str>) -> Result<Loaded, String> {
        match path.trim() {
            "@builtin" => Ok(Bundled::pack(self.builtin_conf)),
            "@crs" if self.has_crs() => Ok(Bundled::pack(self.crs_conf)),
            "@crs" => Err(NO_CRS.to_owned()),
            other => self.resolve(other, from),
        }
    }
}

/// Resolve `.` and `..` components; `None` when `..` climbs above the pack name.
fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                // Never pop the pack name (`@crs`, `@builtin`).
                if parts.len() <= 1 {
                    return None;
                }
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// Shell-style match of `name` against `pat` with `*` and `?` (no classes).
fn glob(pat: &str, name: &str) -> bool {
    let (p, n) = (pat.as_bytes(), name.as_bytes());
    let (mut pi, mut ni) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        match p.get(pi) {
            Some(b'*') => {
                star = Some((pi, ni));
                pi += 1;
            }
            Some(&c) if c == b'?' || Some(&c) == n.get(ni) => {
                pi += 1;
                ni += 1;
            }
            _ => match star {
                Some((sp, sn)) => {
                    pi = sp + 1;
                    ni = sn + 1;
                    star = Some((sp, sn + 1));
                }
                None => return false,
            },
        }
    }
    p.get(pi..).is_some_and(|rest| rest.iter().all(|&c| c == b'*'))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    static CONF: &[File] = &[("@crs/base/recommended.conf", b"SecRuleEngine On"), ("@crs/crs-setup.conf.example", b"# setup"), ("@crs/rules/A.conf", b"# a"), ("@crs/rules/B.conf", b"# b")];
    static DATA: &[File] = &[("@crs/rules/x.data", b"passwd")];
    static BUILTIN: &[File] = &[("@builtin/10-one.conf", b"# one"), ("@builtin/20-two.conf", b"# two")];

    fn fake(with_crs: bool) -> Bundled {
        Bundled {
            builtin_conf: BUILTIN,
            builtin_data: &[],
            crs_conf: if with_crs { CONF } else { &[] },
            crs_data: if with_crs { DATA } else { &[] },
            crs_origin: with_crs.then_some("/crs"),
        }
    }

    fn names<'a>(v: &'a [(String, Cow<'static, [u8]>)]) -> Vec<&'a str> {
        v.iter().map(|(n, _)| n.as_str()).collect()
    }

    #[test]
    fn bundles_load_in_order() {
        let b = fake(true);
        assert_eq!(names(&b.load("@builtin", None).unwrap()), ["@builtin/10-one.conf", "@builtin/20-two.conf"]);
        assert_eq!(
            names(&b.load("@crs", None).unwrap()),
            ["@crs/base/recommended.conf", "@crs/crs-setup.conf.example", "@crs/rules/A.conf", "@crs/rules/B.conf"]
        );
    }

    #[test]
    fn data_resolves_relative_to_including_file() {
        let b = fake(true);
        let got = b.load("x.data", Some("@crs/rules/A.conf")).unwrap();
        assert_eq!(names(&got), ["@crs/rules/x.data"]);
        assert_eq!(&*got[0].1, b"passwd");
        assert_eq!(names(&b.load("./x.data", Some("@crs/rules/A.conf")).unwrap()), ["@crs/rules/x.data"]);
        assert_eq!(names(&b.load("rules/x.data", Some("@crs/crs-setup.conf.example")).unwrap()), ["@crs/rules/x.data"]);
        assert_eq!(names(&b.load("../rules/x.data", Some("@crs/base/recommended.conf")).unwrap()), ["@crs/rules/x.data"]);
    }

    #[test]
    fn direct_names_and_globs() {
        let b = fake(true);
        assert_eq!(names(&b.load("@crs/rules/B.conf", None).unwrap()), ["@crs/rules/B.conf"]);
        assert_eq!(names(&b.load("@crs/rules/*.conf", None).unwrap()), ["@crs/rules/A.conf", "@crs/rules/B.conf"]);
        assert_eq!(names(&b.load("?.conf", Some("@crs/rules/A.conf")).unwrap()), ["@crs/rules/A.conf", "@crs/rules/B.conf"]);
        assert!(b.load("@crs/rules/*.nope", None).unwrap_err().contains("no embedded file matches"));
    }

    #[test]
    fn errors_are_clear() {
        let b = fake(true);
        assert!(b.load("missing.data", Some("@crs/rules/A.conf")).unwrap_err().contains("@crs/rules/missing.data: no such embedded file"));
        assert!(b.load("/etc/passwd", None).unwrap_err().contains("only embedded files"));
        assert!(b.load("../../../etc/passwd", Some("@crs/rules/A.conf")).unwrap_err().contains("leaves the embedded pack"));
    }

    #[test]
    fn missing_crs_says_how_to_embed_one() {
        let b = fake(false);
        assert!(!b.has_crs());
        assert_eq!(b.load("@crs", None).unwrap_err(), NO_CRS);
        assert!(b.load("@crs/rules/A.conf", None).unwrap_err().contains(NO_CRS));
        assert_eq!(b.load("@builtin", None).unwrap().len(), 2);
    }

    #[test]
    fn glob_matching() {
        assert!(glob("*.conf", "A.conf"));
        assert!(glob("REQUEST-9?0-*", "REQUEST-930-X.conf"));
        assert!(!glob("*.conf", "A.conf.example"));
        assert!(glob("*", ""));
        assert!(!glob("a", ""));
    }

    #[test]
    fn real_build_embeds_builtin() {
        let b = Bundled::new();
        let files = b.load("@builtin", None).unwrap();
        assert!(!files.is_empty(), "rules/builtin/*.conf should be embedded");
        assert!(files.iter().all(|(n, _)| n.starts_with("@builtin/") && n.ends_with(".conf")));
        if b.has_crs() {
            let crs = b.load("@crs", None).unwrap();
            assert!(crs.iter().any(|(n, _)| n == "@crs/rules/REQUEST-942-APPLICATION-ATTACK-SQLI.conf"));
            assert!(crs.iter().all(|(n, _)| !n.ends_with(".example") || n == "@crs/crs-setup.conf.example"));
            let data = b.load("lfi-os-files.data", Some("@crs/rules/REQUEST-930-APPLICATION-ATTACK-LFI.conf")).unwrap();
            assert!(!data[0].1.is_empty());
        }
    }
}
