//! The rule set `portcullis ftw` builds, once, for a CRS directory:
//!
//! 1. `rules/base/recommended.conf` (embedded in the binary at build time);
//! 2. `DIR/crs-setup.conf`, else `DIR/crs-setup.conf.example`;
//! 3. the CRS test setup: [`CRS_TEST_SETUP`], or the file of `--include-setup`;
//! 4. `DIR/rules/*.conf` in name order (`*.example` files are not matched).

use std::path::{Path, PathBuf};

use portcullis_engine::RuleEntry;

use crate::error::CliError;

/// Our base configuration (ModSecurity's recommended settings, in our words).
pub const RECOMMENDED: &str = include_str!("../../../../rules/base/recommended.conf");

/// Display name of [`RECOMMENDED`] in diagnostics.
pub const RECOMMENDED_NAME: &str = "rules/base/recommended.conf";

/// Display name of [`CRS_TEST_SETUP`] in diagnostics.
pub const CRS_TEST_SETUP_NAME: &str = "<crs-test-setup>";

/// What CRS's own regression environment configures on top of
/// `crs-setup.conf`.
///
/// CRS runs its go-ftw suite (`tests/docker-compose.yml`) against the
/// `owasp/modsecurity-crs` image with `MODSEC_RULE_ENGINE=DetectionOnly`,
/// `MODSEC_RESP_BODY_ACCESS=On`, `MODSEC_RESP_BODY_MIMETYPE="text/plain
/// text/html text/xml application/json"`, `BLOCKING_PARANOIA=4`,
/// `ARG_LENGTH=400`, `TOTAL_ARG_LENGTH=6400`, `MAX_FILE_SIZE=64100` and
/// `COMBINED_FILE_SIZES=65535`. The image's start-up script turns the
/// paranoia and size variables into the `setvar`s of crs-setup rules 900000,
/// 900320, 900330, 900340 and 900350 (uncommenting them), and writes the
/// engine settings into its modsecurity.conf (response body limit 1 MiB).
/// Here the same values come from one `SecAction` with an id of the
/// local-use range, so a crs-setup.conf that already enables 900000 does
/// not clash. Left out on purpose: the image's test-marker rule 999999
/// (go-ftw's log markers; in-process runs need none) and its phase 1/2
/// `SecDefaultAction` rewrite (it only adds a `tag:'modsecurity'`).
pub const CRS_TEST_SETUP: &str = r#"# CRS regression environment (tests/docker-compose.yml + owasp/modsecurity-crs image)
SecRuleEngine DetectionOnly
SecResponseBodyAccess On
SecResponseBodyMimeType text/plain text/html text/xml application/json
SecResponseBodyLimit 1048576
SecAction \
    "id:99001,\
    phase:1,\
    pass,\
    t:none,\
    nolog,\
    setvar:tx.blocking_paranoia_level=4,\
    setvar:tx.arg_length=400,\
    setvar:tx.total_arg_length=6400,\
    setvar:tx.max_file_size=64100,\
    setvar:tx.combined_file_sizes=65535"
"#;

/// The files and texts of one ftw rule set, owned so entries can borrow them.
#[derive(Debug)]
pub struct RuleFiles {
    setup_file: String,
    include_setup: Option<String>,
    rule_files: Vec<String>,
}

impl RuleFiles {
    /// Find the files of CRS directory `dir`.
    pub fn find(dir: &Path, include_setup: Option<&Path>) -> Result<RuleFiles, CliError> {
        let setup = ["crs-setup.conf", "crs-setup.conf.example"]
            .iter()
            .map(|n| dir.join(n))
            .find(|p| p.is_file())
            .ok_or_else(|| CliError::input(dir, "no crs-setup.conf or crs-setup.conf.example here"))?;
        let rules_dir = dir.join("rules");
        let mut rule_files: Vec<PathBuf> = std::fs::read_dir(&rules_dir)
            .map_err(|e| CliError::io(&rules_dir, e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "conf"))
            .collect();
        rule_files.sort();
        if rule_files.is_empty() {
            return Err(CliError::input(&rules_dir, "no *.conf rule files"));
        }
        if let Some(f) = include_setup {
            if !f.is_file() {
                return Err(CliError::input(f, "no such setup file"));
            }
        }
        Ok(RuleFiles {
            setup_file: path_str(&setup)?,
            include_setup: include_setup.map(path_str).transpose()?,
            rule_files: rule_files.iter().map(|p| path_str(p)).collect::<Result<_, _>>()?,
        })
    }

    /// The build entries, in load order.
    pub fn entries(&self) -> Vec<RuleEntry<'_>> {
        let mut out = vec![
            RuleEntry::Text { name: RECOMMENDED_NAME, text: RECOMMENDED },
            RuleEntry::Source(&self.setup_file),
        ];
        out.push(match &self.include_setup {
            Some(f) => RuleEntry::Source(f),
            None => RuleEntry::Text { name: CRS_TEST_SETUP_NAME, text: CRS_TEST_SETUP },
        });
        out.extend(self.rule_files.iter().map(|f| RuleEntry::Source(f)));
        out
    }

    /// Number of CRS rule files.
    pub fn rule_file_count(&self) -> usize {
        self.rule_files.len()
    }
}

fn path_str(p: &Path) -> Result<String, CliError> {
    p.to_str().map(str::to_string).ok_or_else(|| CliError::input(p, "path is not UTF-8"))
}

/// The plugin configuration (JSON) of the filter for a run through Envoy:
/// the same rule set as [`RuleFiles::entries`], from the CRS embedded in the
/// filter (`@crs/...`, built from `CRS_DIR`), with `setup` (the CRS test
/// setup text) inline, plus the log-marker rule the runner needs.
///
/// `mode` is `monitor` to match the setup's `SecRuleEngine DetectionOnly`
/// whichever of the two the engine applies last. The request body limit is
/// the filter's default (128 KiB, which is also the no-files limit of
/// `recommended.conf`); CRS tests send smaller bodies.
pub fn envoy_plugin_config(setup: &str) -> serde_json::Value {
    serde_json::json!({
        "mode": "monitor",
        "rules": [
            "@crs/base/recommended.conf",
            "@crs/crs-setup.conf.example",
            setup,
            super::waflog::marker_rule(),
            "@crs/rules/*.conf",
        ],
    })
}
