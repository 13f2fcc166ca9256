//! A stable-Rust fuzz driver: no libFuzzer, no nightly, no coverage
//! feedback. It runs every seed once, then mutates seeds (and its own
//! recent mutants, for deeper random walks) with byte-level and dictionary
//! mutations until the time is up.
//!
//! A panic is caught (the release profile of this crate unwinds), its
//! input saved as `artifacts/<target>/crash-<hash>` (once per panic
//! location) and reported with a backtrace; fuzzing goes on. An input
//! running longer than `--timeout` seconds is saved as `timeout-<hash>`
//! and ends the run (exit 3). The slowest input is saved as `slowest`, and
//! every input over `--slow-ms` (1000; 10000 for `seclang_parse`) as
//! `slow-<hash>` (reported, not a failure: check how its time grows with
//! its size).
//! Exit status 1 when any panic was found.
//!
//! Usage: `fuzz-<target> [--seconds N] [--corpus DIR] [--dict FILE]
//! [--artifacts DIR] [--seed N] [--max-len N] [--timeout S] [--slow-ms N] [FILE...]`;
//! with files, only those inputs run (to reproduce a crash).
//! `FUZZ_SECONDS` sets the default of `--seconds` (180).

use std::collections::HashSet;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Options of one run.
#[derive(Clone, Debug)]
pub struct Options {
    /// How long to mutate.
    pub seconds: u64,
    /// Seed corpus directory.
    pub corpus: PathBuf,
    /// Dictionary file.
    pub dict: PathBuf,
    /// Where crashes, timeouts and the slowest input go.
    pub artifacts: PathBuf,
    /// RNG seed.
    pub seed: u64,
    /// Longest input generated.
    pub max_len: usize,
    /// Seconds one input may take before the run stops.
    pub timeout: u64,
    /// Inputs slower than this many milliseconds are saved as `slow-<hash>`.
    pub slow_ms: u64,
    /// Inputs to run instead of fuzzing.
    pub files: Vec<PathBuf>,
}

/// Default maximum input length per target.
fn default_max_len(target: &str) -> usize {
    match target {
        "transforms" => 8 << 10,
        "seclang_parse" => 16 << 10,
        _ => 64 << 10,
    }
}

/// The dictionary a target uses (`filter_driver` reads exchanges like `crs_request`).
pub fn dict_name(target: &str) -> &str {
    if target == "filter_driver" {
        "crs_request"
    } else {
        target
    }
}

fn parse_args(target: &str) -> Result<Options, String> {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut o = Options {
        seconds: std::env::var("FUZZ_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(180),
        corpus: here.join("corpus").join(target),
        dict: here.join("dict").join(format!("{}.dict", dict_name(target))),
        artifacts: here.join("artifacts").join(target),
        seed: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64),
        max_len: default_max_len(target),
        timeout: 30,
        // Rule sets are trusted configuration: only report extreme build times.
        slow_ms: if target == "seclang_parse" { 10_000 } else { 1000 },
        files: Vec::new(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--seconds" => o.seconds = val()?.parse().map_err(|e| format!("--seconds: {e}"))?,
            "--corpus" => o.corpus = val()?.into(),
            "--dict" => o.dict = val()?.into(),
            "--artifacts" => o.artifacts = val()?.into(),
            "--seed" => o.seed = val()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--max-len" => o.max_len = val()?.parse().map_err(|e| format!("--max-len: {e}"))?,
            "--timeout" => o.timeout = val()?.parse().map_err(|e| format!("--timeout: {e}"))?,
            "--slow-ms" => o.slow_ms = val()?.parse().map_err(|e| format!("--slow-ms: {e}"))?,
            "-h" | "--help" => return Err(String::new()),
            f if !f.starts_with("--") => o.files.push(f.into()),
            _ => return Err(format!("unknown option {a}")),
        }
    }
    o.seed |= 1;
    Ok(o)
}

/// What the panic hook saw last.
static LAST_PANIC: Mutex<Option<(String, String, String)>> = Mutex::new(None);

/// Entry point of `fuzz-<target>`: parses the command line and runs.
pub fn main(target: &str, f: fn(&[u8])) -> ExitCode {
    let o = match parse_args(target) {
        Ok(o) => o,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("fuzz-{target}: {e}");
            }
            eprintln!(
                "usage: fuzz-{target} [--seconds N] [--corpus DIR] [--dict FILE] [--artifacts DIR] \
                 [--seed N] [--max-len N] [--timeout S] [--slow-ms N] [FILE...]"
            );
            return ExitCode::from(2);
        }
    };
    if target == "crs_request" || target == "filter_driver" {
        let t = Instant::now();
        if target == "crs_request" {
            crate::targets::crs_init();
        } else {
            crate::filter::init();
        }
        eprintln!("fuzz-{target}: rules built in {:.1} s", t.elapsed().as_secs_f64());
    }
    run(target, f, &o)
}

/// Fuzzes `f` (or runs `o.files`); see the module docs.
pub fn run(target: &str, f: fn(&[u8]), o: &Options) -> ExitCode {
    panic::set_hook(Box::new(|info| {
        let loc = info.location().map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column())).unwrap_or_default();
        let msg = if let Some(s) = info.payload().downcast_ref::<&str>() {
            (*s).to_string()
        } else if let Some(s) = info.payload().downcast_ref::<String>() {
            s.clone()
        } else {
            String::from("<non-string panic>")
        };
        let bt = std::backtrace::Backtrace::force_capture().to_string();
        if let Ok(mut g) = LAST_PANIC.lock() {
            *g = Some((loc, msg, bt));
        }
    }));

    if !o.files.is_empty() {
        let mut failed = false;
        for p in &o.files {
            let Ok(data) = std::fs::read(p) else {
                eprintln!("cannot read {}", p.display());
                failed = true;
                continue;
            };
            let t = Instant::now();
            match panic::catch_unwind(AssertUnwindSafe(|| f(&data))) {
                Ok(()) => eprintln!("{}: ok ({} bytes, {:.1} ms)", p.display(), data.len(), ms(t.elapsed())),
                Err(_) => {
                    failed = true;
                    let (loc, msg, bt) = last_panic();
                    eprintln!("{}: PANIC at {loc}: {msg}\n{bt}", p.display());
                }
            }
        }
        return if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS };
    }

    let seeds = load_corpus(&o.corpus, o.max_len);
    let dict = crate::dict::load(&o.dict);
    eprintln!(
        "fuzz-{target}: {} seeds from {}, {} dictionary tokens, seed {}, {} s, max-len {}",
        seeds.len(),
        o.corpus.display(),
        dict.len(),
        o.seed,
        o.seconds,
        o.max_len
    );
    let watch = Watchdog::start(target, &o.artifacts, o.timeout);
    let mut st = Stats::default();
    let start = Instant::now();
    for s in &seeds {
        exec(target, f, s, o, &watch, &mut st);
    }
    eprintln!(
        "fuzz-{target}: seeds done in {:.1} s ({} panics)",
        start.elapsed().as_secs_f64(),
        st.crashes
    );
    let mut m = Mutator { rng: Rng(o.seed), seeds: &seeds, dict: &dict, recent: Vec::new(), max_len: o.max_len };
    let end = start + Duration::from_secs(o.seconds);
    let mut next_report = Instant::now() + Duration::from_secs(30);
    while Instant::now() < end {
        let input = m.next();
        exec(target, f, &input, o, &watch, &mut st);
        m.remember(input);
        if Instant::now() >= next_report {
            next_report += Duration::from_secs(30);
            let secs = start.elapsed().as_secs_f64();
            eprintln!(
                "fuzz-{target}: {:.0} s, {} execs ({:.0}/s), {} panics ({} unique), slowest {:.1} ms",
                secs,
                st.execs,
                st.execs as f64 / secs,
                st.crashes,
                st.unique.len(),
                st.slowest_ms
            );
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "DONE target={target} engine=driver seconds={secs:.0} execs={} execs_per_s={:.0} seeds={} panics={} unique={} slowest_ms={:.1} slow={}",
        st.execs,
        st.execs as f64 / secs,
        seeds.len(),
        st.crashes,
        st.unique.len(),
        st.slowest_ms,
        st.slow
    );
    if st.crashes > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

#[derive(Default)]
struct Stats {
    execs: u64,
    crashes: u64,
    unique: HashSet<String>,
    slowest_ms: f64,
    slow: u64,
}

fn exec(target: &str, f: fn(&[u8]), input: &[u8], o: &Options, watch: &Watchdog, st: &mut Stats) {
    watch.begin(input);
    let t = Instant::now();
    let r = panic::catch_unwind(AssertUnwindSafe(|| f(input)));
    let took = ms(t.elapsed());
    watch.end();
    st.execs += 1;
    if took > st.slowest_ms {
        st.slowest_ms = took;
        save(&o.artifacts, "slowest", input);
    }
    if took > o.slow_ms as f64 {
        st.slow += 1;
        let p = save(&o.artifacts, &format!("slow-{:016x}", fnv(input)), input);
        eprintln!(
            "fuzz-{target}: SLOW: {took:.0} ms for {} bytes: {}",
            input.len(),
            p.map(|p| p.display().to_string()).unwrap_or_default()
        );
    }
    if r.is_err() {
        st.crashes += 1;
        let (loc, msg, bt) = last_panic();
        if st.unique.insert(loc.clone()) {
            let path = save(&o.artifacts, &format!("crash-{:016x}", fnv(input)), input);
            eprintln!(
                "fuzz-{target}: PANIC at {loc}: {msg}\n  input: {} ({} bytes)\n{bt}",
                path.map(|p| p.display().to_string()).unwrap_or_default(),
                input.len()
            );
        }
    }
}

fn last_panic() -> (String, String, String) {
    LAST_PANIC.lock().ok().and_then(|mut g| g.take()).unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn save(dir: &Path, name: &str, data: &[u8]) -> Option<PathBuf> {
    std::fs::create_dir_all(dir).ok()?;
    let p = dir.join(name);
    std::fs::write(&p, data).ok()?;
    Some(p)
}

/// FNV-1a, for artifact and seed file names.
pub fn fnv(data: &[u8]) -> u64 {
    data.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

fn load_corpus(dir: &Path, max_len: usize) -> Vec<Vec<u8>> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.flatten().map(|e| e.path()).filter(|p| p.is_file()).collect())
        .unwrap_or_default();
    names.sort();
    let mut out: Vec<Vec<u8>> = names
        .iter()
        .filter_map(|p| std::fs::read(p).ok())
        .map(|mut d| {
            d.truncate(max_len);
            d
        })
        .collect();
    if out.is_empty() {
        out.push(Vec::new());
    }
    out
}

/// Stops the process when one input runs too long, after saving it.
struct Watchdog {
    shared: Arc<(Mutex<Vec<u8>>, AtomicU64)>,
    epoch: Instant,
}

impl Watchdog {
    fn start(target: &str, artifacts: &Path, timeout: u64) -> Watchdog {
        let shared = Arc::new((Mutex::new(Vec::new()), AtomicU64::new(u64::MAX)));
        let epoch = Instant::now();
        let (sh, dir, target) = (shared.clone(), artifacts.to_path_buf(), target.to_string());
        std::thread::spawn(move || loop {
            std::thread::sleep(Duration::from_millis(500));
            let began = sh.1.load(Ordering::Acquire);
            if began == u64::MAX {
                continue;
            }
            let now = epoch.elapsed().as_millis() as u64;
            if now.saturating_sub(began) > timeout * 1000 {
                let input = sh.0.lock().map(|g| g.clone()).unwrap_or_default();
                let p = save(&dir, &format!("timeout-{:016x}", fnv(&input)), &input);
                eprintln!(
                    "fuzz-{target}: TIMEOUT: one input ran over {timeout} s: {}",
                    p.map(|p| p.display().to_string()).unwrap_or_default()
                );
                std::process::exit(3);
            }
        });
        Watchdog { shared, epoch }
    }

    fn begin(&self, input: &[u8]) {
        if let Ok(mut g) = self.shared.0.lock() {
            g.clear();
            g.extend_from_slice(input);
        }
        self.shared.1.store(self.epoch.elapsed().as_millis() as u64, Ordering::Release);
    }

    fn end(&self) {
        self.shared.1.store(u64::MAX, Ordering::Release);
    }
}

/// xorshift64*.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    /// Uniform in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
}

/// Bytes that often matter to parsers of HTTP, SecLang and encodings.
const INTERESTING_BYTES: &[u8] = b"\x00\x01\x7f\x80\xc0\xc2\xe0\xef\xf0\xff\t\n\r \"#%&'()*+,-./:;<=>?@[\\]^_`{|}~0179AFafxuU";

/// Numbers that sit on boundaries.
const INTERESTING_NUMBERS: &[&[u8]] = &[
    b"0", b"-1", b"1", b"255", b"256", b"65535", b"65536", b"2147483647", b"2147483648", b"-2147483649",
    b"4294967296", b"9223372036854775807", b"9223372036854775808", b"-9223372036854775809",
    b"99999999999999999999999", b"1e309", b"0x", b"00000000000001", b"-0", b"+1",
];

struct Mutator<'a> {
    rng: Rng,
    seeds: &'a [Vec<u8>],
    dict: &'a [Vec<u8>],
    recent: Vec<Vec<u8>>,
    max_len: usize,
}

impl Mutator<'_> {
    fn pick_seed(&mut self) -> &[u8] {
        let i = self.rng.below(self.seeds.len());
        &self.seeds[i]
    }

    /// The next input: a seed or a recent mutant, mutated 1-16 times.
    fn next(&mut self) -> Vec<u8> {
        let mut d = if !self.recent.is_empty() && self.rng.chance(3) {
            let i = self.rng.below(self.recent.len());
            self.recent[i].clone()
        } else {
            self.pick_seed().to_vec()
        };
        let n = 1 << self.rng.below(5);
        for _ in 0..self.rng.below(n) + 1 {
            self.mutate(&mut d);
        }
        d.truncate(self.max_len);
        d
    }

    /// Keeps a window of recent mutants to mutate further.
    fn remember(&mut self, d: Vec<u8>) {
        if self.recent.len() < 512 {
            self.recent.push(d);
        } else {
            let i = self.rng.below(self.recent.len());
            self.recent[i] = d;
        }
    }

    fn pos(&mut self, d: &[u8]) -> usize {
        self.rng.below(d.len() + 1)
    }

    fn range(&mut self, d: &[u8]) -> (usize, usize) {
        if d.is_empty() {
            return (0, 0);
        }
        let a = self.rng.below(d.len());
        let max = (d.len() - a).min(if self.rng.chance(4) { d.len() } else { 16 });
        (a, a + 1 + self.rng.below(max))
    }

    fn token(&mut self) -> Vec<u8> {
        if !self.dict.is_empty() && !self.rng.chance(4) {
            self.dict[self.rng.below(self.dict.len())].clone()
        } else {
            INTERESTING_NUMBERS[self.rng.below(INTERESTING_NUMBERS.len())].to_vec()
        }
    }

    fn mutate(&mut self, d: &mut Vec<u8>) {
        match self.rng.below(15) {
            0 if !d.is_empty() => {
                let i = self.rng.below(d.len());
                d[i] ^= 1 << self.rng.below(8);
            }
            1 if !d.is_empty() => {
                let i = self.rng.below(d.len());
                d[i] = self.rng.next() as u8;
            }
            2 if !d.is_empty() => {
                let i = self.rng.below(d.len());
                d[i] = INTERESTING_BYTES[self.rng.below(INTERESTING_BYTES.len())];
            }
            3 => {
                let p = self.pos(d);
                let b = INTERESTING_BYTES[self.rng.below(INTERESTING_BYTES.len())];
                d.insert(p, b);
            }
            4 => {
                let p = self.pos(d);
                let n = 1 + self.rng.below(8);
                let bytes: Vec<u8> = (0..n).map(|_| self.rng.next() as u8).collect();
                d.splice(p..p, bytes);
            }
            5 if !d.is_empty() => {
                let (a, b) = self.range(d);
                d.drain(a..b);
            }
            6 if !d.is_empty() => {
                let (a, b) = self.range(d);
                let chunk = d[a..b].to_vec();
                let p = self.pos(d);
                d.splice(p..p, chunk);
            }
            7 => {
                let other = self.pick_seed().to_vec();
                let (a, b) = self.range(&other);
                let p = self.pos(d);
                d.splice(p..p, other[a..b].iter().copied());
            }
            8 | 9 => {
                let t = self.token();
                let p = self.pos(d);
                d.splice(p..p, t);
            }
            10 if !d.is_empty() => {
                let t = self.token();
                let p = self.rng.below(d.len());
                let end = (p + t.len()).min(d.len());
                d.splice(p..end, t);
            }
            11 => {
                // A long run: deep nesting, long tokens, many separators.
                let unit = if !d.is_empty() && self.rng.chance(2) {
                    let (a, b) = self.range(d);
                    d[a..b.min(a + 8)].to_vec()
                } else {
                    vec![INTERESTING_BYTES[self.rng.below(INTERESTING_BYTES.len())]]
                };
                let n = 1 << (4 + self.rng.below(10));
                let p = self.pos(d);
                let run: Vec<u8> = unit.iter().copied().cycle().take(unit.len() * n).collect();
                d.splice(p..p, run);
            }
            12 if !d.is_empty() => {
                let p = self.rng.below(d.len());
                d.truncate(p);
            }
            13 => {
                // Replace a number with a boundary value.
                if let Some(start) = (0..d.len()).map(|_| self.rng.below(d.len())).find(|&i| d[i].is_ascii_digit()) {
                    let end = start + d[start..].iter().take_while(|b| b.is_ascii_digit()).count();
                    let num = INTERESTING_NUMBERS[self.rng.below(INTERESTING_NUMBERS.len())];
                    d.splice(start..end, num.iter().copied());
                }
            }
            14 => {
                // Crossover: this input's head, another seed's tail.
                let other = self.pick_seed().to_vec();
                let a = self.pos(d);
                let b = self.rng.below(other.len() + 1);
                d.truncate(a);
                d.extend_from_slice(&other[b..]);
            }
            _ => {
                let t = self.token();
                d.extend_from_slice(&t);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A panicking input is caught, saved under `crash-<hash>`, and the run
    /// goes on to the end and fails.
    #[test]
    fn catches_and_saves_a_panic() {
        let dir = std::env::temp_dir().join(format!("portcullis-fuzz-driver-{}", std::process::id()));
        let corpus = dir.join("corpus");
        std::fs::create_dir_all(&corpus).unwrap();
        std::fs::write(corpus.join("a"), b"boom").unwrap();
        std::fs::write(corpus.join("b"), b"fine").unwrap();
        let o = Options {
            seconds: 1,
            corpus,
            dict: dir.join("none.dict"),
            artifacts: dir.join("artifacts"),
            seed: 7,
            max_len: 64,
            timeout: 30,
            slow_ms: 1000,
            files: Vec::new(),
        };
        fn target(d: &[u8]) {
            assert!(!d.starts_with(b"boom"), "boom");
        }
        let code = run("test", target, &o);
        assert_eq!(format!("{code:?}"), format!("{:?}", ExitCode::FAILURE));
        let saved: Vec<_> = std::fs::read_dir(dir.join("artifacts"))
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with("crash-"))
            .map(|e| std::fs::read(e.path()).unwrap())
            .collect();
        assert!(saved.iter().any(|s| s.starts_with(b"boom")), "{saved:?}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
