//! Writes the seed corpora: `fuzz/corpus/<target>/seed-<hash>` for every
//! target, from the CRS regression tests, the shared request corpus and the
//! SecLang rule files (see `portcullis_fuzz::seeds`). Existing files are
//! kept; the corpus directory is not committed (fuzz/.gitignore).
//!
//! `cargo run --release --no-default-features --features driver --bin fuzz-seeds [-- --out DIR]`
//! (CRS from `CRS_DIR` or `../shared/crs/v4.28.0`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = here.join("corpus");
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match (a.as_str(), args.next()) {
            ("--out", Some(d)) => out = PathBuf::from(d),
            _ => {
                eprintln!("usage: fuzz-seeds [--out DIR]");
                return ExitCode::from(2);
            }
        }
    }
    let Some(crs) = portcullis_testkit::crs::locate() else {
        eprintln!("fuzz-seeds: no CRS found (set CRS_DIR)");
        return ExitCode::FAILURE;
    };
    let repo = portcullis_testkit::crs::workspace();
    let (seeds, notes) =
        portcullis_fuzz::seeds::build(&crs, &portcullis_testkit::crs::corpus_dir(), &repo);
    for n in notes {
        eprintln!("fuzz-seeds: {n}");
    }
    for (target, list) in &seeds.by_target {
        let dir = out.join(target);
        if let Err(e) = std::fs::create_dir_all(&dir) {
            eprintln!("fuzz-seeds: {}: {e}", dir.display());
            return ExitCode::FAILURE;
        }
        for s in list {
            let p = dir.join(format!("seed-{:016x}", portcullis_fuzz::driver::fnv(s)));
            if !p.exists() {
                if let Err(e) = std::fs::write(&p, s) {
                    eprintln!("fuzz-seeds: {}: {e}", p.display());
                    return ExitCode::FAILURE;
                }
            }
        }
        eprintln!("fuzz-seeds: {target}: {} seeds in {}", list.len(), dir.display());
    }
    ExitCode::SUCCESS
}
