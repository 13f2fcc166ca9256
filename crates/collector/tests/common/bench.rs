//! What the console benchmarks (`console_bench.rs` on SQLite, `console_bench_pg.rs` on
//! PostgreSQL) share: a deterministic generator, so both stores get the same shape of data.

/// xorshift64*: every run stores the same rows.
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// Skewed towards small values, as attack sources and rules are.
    pub fn skewed(&mut self, n: u64) -> u64 {
        let a = self.below(n);
        self.below(a + 1)
    }
}

/// RFC 3339 of UTC ms (whole seconds), for records and query strings.
pub fn iso(ms: i64) -> String {
    portcullis_wire::time::format_rfc3339_ms(ms)
}
