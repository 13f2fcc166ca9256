//! `@ipMatch` / `@ipMatchFromFile`: a set of IPv4 and IPv6 addresses and CIDR
//! blocks with fast membership tests.
//!
//! Representation: for each family, a sorted list of disjoint, non-adjacent
//! inclusive ranges `[start, end]` (CIDR blocks merged at build time), searched
//! by binary search. Lookups are O(log n) with no allocation.
//!
//! Parsing follows ModSecurity v3 (`msc_tree.cc`), which uses `inet_pton`:
//! an entry containing `:` is IPv6, otherwise IPv4; IPv4 must be a strict
//! dotted quad; an optional `/bits` follows. Host bits below the prefix are
//! ignored (`10.1.2.3/8` is `10.0.0.0/8`), as in v3's radix tree.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

/// A bad `@ipMatch` entry: the entry as written and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IpSetError {
    /// The offending entry (trimmed).
    pub entry: String,
    /// What is wrong with it.
    pub reason: &'static str,
}

impl fmt::Display for IpSetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "@ipMatch: bad entry '{}': {}", self.entry, self.reason)
    }
}

impl std::error::Error for IpSetError {}

/// A set of IPv4 and IPv6 addresses/CIDR blocks.
///
/// Invariant: `v4` and `v6` are sorted by start, ranges are disjoint and
/// non-adjacent (`prev.end + 1 < next.start`), and `start <= end`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IpSet {
    v4: Vec<(u32, u32)>,
    v6: Vec<(u128, u128)>,
}

/// Parses the `/bits` suffix like v3: `atoi` of the text (leading
/// whitespace, sign, digits, trailing junk ignored). v3 rejects a prefix of
/// 0 (whatever the family), a value above the family's width, and an IPv4
/// mask written as a dotted quad.
fn prefix_len(text: &str, max: u32) -> Result<u32, &'static str> {
    let t = text.trim_start();
    let (neg, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let end = digits.bytes().position(|b| !b.is_ascii_digit()).unwrap_or(digits.len());
    let num = &digits[..end];
    if num.is_empty() {
        return Err("the prefix length is not a number");
    }
    let v: u32 = num.parse().map_err(|_| "the prefix length is too large")?;
    if neg && v != 0 {
        return Err("the prefix length is negative");
    }
    if v == 0 {
        return Err("a prefix length of 0 is not accepted (as in ModSecurity)");
    }
    if v > max {
        return Err("the prefix length is larger than the address");
    }
    Ok(v)
}

/// Inclusive range covered by `addr/bits` in a `W`-bit family.
fn v4_range(addr: u32, bits: u32) -> (u32, u32) {
    let host = if bits >= 32 { 0 } else { u32::MAX >> bits };
    (addr & !host, addr | host)
}

fn v6_range(addr: u128, bits: u32) -> (u128, u128) {
    let host = if bits >= 128 { 0 } else { u128::MAX >> bits };
    (addr & !host, addr | host)
}

/// Sorts and merges overlapping or adjacent ranges in place.
fn merge<T: Copy + Ord + Succ>(ranges: &mut Vec<(T, T)>) {
    ranges.sort_unstable();
    let mut out: Vec<(T, T)> = Vec::with_capacity(ranges.len());
    for &(s, e) in ranges.iter() {
        match out.last_mut() {
            Some(last) if last.1.succ().is_none_or(|n| s <= n) => {
                if e > last.1 {
                    last.1 = e;
                }
            }
            _ => out.push((s, e)),
        }
    }
    *ranges = out;
}

/// `x + 1`, or `None` at the type's maximum.
trait Succ: Sized {
    fn succ(self) -> Option<Self>;
}

impl Succ for u32 {
    fn succ(self) -> Option<Self> {
        self.checked_add(1)
    }
}

impl Succ for u128 {
    fn succ(self) -> Option<Self> {
        self.checked_add(1)
    }
}

/// Whether `x` falls in one of the sorted, disjoint `ranges`.
fn lookup<T: Copy + Ord>(ranges: &[(T, T)], x: T) -> bool {
    // Index of the first range starting after x; the candidate is just before it.
    let i = ranges.partition_point(|&(s, _)| s <= x);
    i.checked_sub(1).and_then(|j| ranges.get(j)).is_some_and(|&(_, e)| x <= e)
}

impl IpSet {
    /// Parses an `@ipMatch` parameter: addresses and CIDR blocks separated by
    /// commas and/or whitespace, e.g. `127.0.0.1,::1` or `10.0.0.0/8 192.168.0.0/16`.
    ///
    /// Deviation from v3 (deliberate, lenient): v3 splits on commas only, so a
    /// space after a comma makes the entry unparsable; here whitespace also
    /// separates. An empty parameter is an empty set.
    pub fn parse(list: &str) -> Result<IpSet, IpSetError> {
        let mut set = IpSet::default();
        for entry in list.split(|c: char| c == ',' || c.is_ascii_whitespace()) {
            if !entry.is_empty() {
                set.add(entry)?;
            }
        }
        set.finish();
        Ok(set)
    }

    /// Builds the set from `@ipMatchFromFile` lines. As in v3 everything from
    /// a `#` to the end of the line is a comment; each line may hold several
    /// entries separated by commas (and, leniently, whitespace). Blank and
    /// comment-only lines are skipped.
    pub fn from_entries<'a>(it: impl IntoIterator<Item = &'a str>) -> Result<IpSet, IpSetError> {
        let mut set = IpSet::default();
        for line in it {
            let line = line.split('#').next().unwrap_or("");
            for entry in line.split(|c: char| c == ',' || c.is_ascii_whitespace()) {
                if !entry.is_empty() {
                    set.add(entry)?;
                }
            }
        }
        set.finish();
        Ok(set)
    }

    /// Adds one entry (`addr` or `addr/bits`) without re-merging.
    fn add(&mut self, entry: &str) -> Result<(), IpSetError> {
        let err = |reason| IpSetError { entry: entry.to_string(), reason };
        let (addr, bits) = match entry.split_once('/') {
            Some((a, b)) => (a, Some(b)),
            None => (entry, None),
        };
        if entry.contains(':') {
            let ip: Ipv6Addr = addr.parse().map_err(|_| err("not a valid IPv6 address"))?;
            let bits = match bits {
                Some(b) => prefix_len(b, 128).map_err(err)?,
                None => 128,
            };
            self.v6.push(v6_range(u128::from(ip), bits));
        } else {
            if bits.is_some_and(|b| b.contains('.')) {
                return Err(err("dotted netmasks are not accepted; use a prefix length"));
            }
            let ip: Ipv4Addr = addr.parse().map_err(|_| err("not a valid IPv4 address"))?;
            let bits = match bits {
                Some(b) => prefix_len(b, 32).map_err(err)?,
                None => 32,
            };
            self.v4.push(v4_range(u32::from(ip), bits));
        }
        Ok(())
    }

    fn finish(&mut self) {
        merge(&mut self.v4);
        merge(&mut self.v6);
    }

    /// True when the set holds no address.
    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.v4.is_empty() && self.v6.is_empty()
    }

    /// Number of merged ranges (IPv4, IPv6); a measure of the set's size.
    #[cfg(test)]
    pub fn range_counts(&self) -> (usize, usize) {
        (self.v4.len(), self.v6.len())
    }

    /// Whether the textual address `addr` (e.g. `REMOTE_ADDR`) is in the set.
    ///
    /// As in v3: text containing `:` is parsed as IPv6 and looked up only
    /// among IPv6 entries (so `::ffff:1.2.3.4` does not match `1.2.3.4`),
    /// anything else as a strict dotted-quad IPv4. Input that does not parse
    /// (surrounding whitespace, a port, a zone id, non-UTF-8) never matches.
    pub fn contains_str(&self, addr: &[u8]) -> bool {
        let Ok(text) = std::str::from_utf8(addr) else {
            return false;
        };
        if text.contains(':') {
            text.parse::<Ipv6Addr>().is_ok_and(|ip| self.contains_v6(ip))
        } else {
            text.parse::<Ipv4Addr>().is_ok_and(|ip| self.contains_v4(ip))
        }
    }

    /// Whether the IPv4 address is in the set.
    pub fn contains_v4(&self, ip: Ipv4Addr) -> bool {
        lookup(&self.v4, u32::from(ip))
    }

    /// Whether the IPv6 address is in the set.
    pub fn contains_v6(&self, ip: Ipv6Addr) -> bool {
        lookup(&self.v6, u128::from(ip))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn set(list: &str) -> IpSet {
        IpSet::parse(list).unwrap()
    }

    #[test]
    fn parse_and_match_table() {
        let s = set("127.0.0.1,::1");
        assert!(s.contains_str(b"127.0.0.1"));
        assert!(s.contains_str(b"::1"));
        assert!(s.contains_str(b"0:0:0:0:0:0:0:1"));
        assert!(!s.contains_str(b"127.0.0.2"));
        assert!(!s.contains_str(b"::2"));

        let s = set("10.0.0.0/8, 192.168.1.0/24  172.16.0.0/12");
        assert!(s.contains_str(b"10.255.255.255"));
        assert!(s.contains_str(b"10.0.0.0"));
        assert!(!s.contains_str(b"11.0.0.0"));
        assert!(!s.contains_str(b"9.255.255.255"));
        assert!(s.contains_str(b"192.168.1.77"));
        assert!(!s.contains_str(b"192.168.2.1"));
        assert!(s.contains_str(b"172.31.255.255"));
        assert!(!s.contains_str(b"172.32.0.0"));

        // Host bits are masked off.
        assert!(set("10.1.2.3/8").contains_str(b"10.200.0.1"));
        // /32, /1, /128 and /1 on v6.
        assert!(set("1.2.3.4/32").contains_str(b"1.2.3.4"));
        assert!(set("128.0.0.0/1").contains_str(b"255.255.255.255"));
        assert!(!set("128.0.0.0/1").contains_str(b"127.255.255.255"));
        assert!(set("2001:db8::/32").contains_str(b"2001:db8:ffff::1"));
        assert!(!set("2001:db8::/32").contains_str(b"2001:db9::1"));
        assert!(set("::1/128").contains_str(b"::1"));
        assert!(set("8000::/1").contains_str(b"ffff::"));
        // Families are separate, as in v3.
        assert!(!set("1.2.3.4").contains_str(b"::ffff:1.2.3.4"));
        assert!(set("::ffff:1.2.3.4").contains_str(b"::ffff:1.2.3.4"));
        assert!(set("::ffff:0:0/96").contains_str(b"::ffff:10.0.0.1"));
        // Empty set.
        assert!(set("").is_empty());
        assert!(!set("").contains_str(b"1.2.3.4"));
    }

    #[test]
    fn unparsable_input_never_matches() {
        let s = set("0.0.0.0/1,128.0.0.0/1,::/1,8000::/1");
        for bad in [
            &b""[..],
            b" 1.2.3.4",
            b"1.2.3.4 ",
            b"1.2.3.4:80",
            b"1.2.3",
            b"1.2.3.4.5",
            b"01.2.3.4",
            b"256.1.1.1",
            b"localhost",
            b"fe80::1%eth0",
            b"[::1]",
            b"\xff\xfe",
            b"1.2.3.4\x00",
        ] {
            assert!(!s.contains_str(bad), "{bad:?}");
        }
        assert!(s.contains_str(b"1.2.3.4"));
        assert!(s.contains_str(b"fe80::1"));
    }

    #[test]
    fn errors_name_the_entry() {
        for (list, entry) in [
            ("1.2.3.4,foo", "foo"),
            ("1.2.3", "1.2.3"),
            ("1.2.3.4/33", "1.2.3.4/33"),
            ("1.2.3.4/0", "1.2.3.4/0"),
            ("1.2.3.4/", "1.2.3.4/"),
            ("1.2.3.4/x", "1.2.3.4/x"),
            ("1.2.3.4/255.0.0.0", "1.2.3.4/255.0.0.0"),
            ("::1/129", "::1/129"),
            ("::/0", "::/0"),
            ("2001:db8::g", "2001:db8::g"),
            ("300.1.1.1", "300.1.1.1"),
        ] {
            let e = IpSet::parse(list).unwrap_err();
            assert_eq!(e.entry, entry, "{list}: {e}");
            assert!(e.to_string().contains(entry));
        }
    }

    #[test]
    fn from_entries_skips_blank_and_comment_lines() {
        let lines = "# allowlist\n\n10.0.0.0/8\n  192.168.0.1  # office\n::1, 2001:db8::/48\n\t\n";
        let s = IpSet::from_entries(lines.lines()).unwrap();
        assert!(s.contains_str(b"10.1.1.1"));
        assert!(s.contains_str(b"192.168.0.1"));
        assert!(s.contains_str(b"2001:db8:0:ffff::1"));
        assert!(!s.contains_str(b"2001:db8:1::1"));
        assert_eq!(s.range_counts(), (2, 2));
        let e = IpSet::from_entries(["1.1.1.1", "nope # x"]).unwrap_err();
        assert_eq!(e.entry, "nope");
    }

    #[test]
    fn merging_keeps_invariant() {
        let s = set("10.0.0.0/24,10.0.1.0/24,10.0.0.128/25,10.0.3.0/24,0.0.0.0/1,128.0.0.0/1");
        assert_eq!(s.v4, vec![(0, u32::MAX)]);
        let s = set("10.0.0.0/24,10.0.1.0/24,10.0.3.0/24");
        assert_eq!(s.range_counts().0, 2);
        let s = set("ffff::/16,::/1,8000::/1");
        assert_eq!(s.v6, vec![(0, u128::MAX)]);
    }

    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
    }

    /// 5,000 random CIDRs (both families), checked against a linear scan.
    #[test]
    fn random_cidrs_match_linear_scan() {
        let mut rng = Rng(0xDEAD_BEEF_1234_5678);
        let mut text = Vec::new();
        let mut naive4: Vec<(u32, u32)> = Vec::new(); // (network, bits)
        let mut naive6: Vec<(u128, u32)> = Vec::new();
        for i in 0..5_000 {
            if i % 4 != 3 {
                // Cluster addresses so that ranges overlap and lookups hit.
                let addr = (rng.next() as u32) & 0x0FFF_FFFF | 0x0A00_0000;
                let bits = 16 + (rng.next() % 17) as u32;
                text.push(format!("{}/{bits}", Ipv4Addr::from(addr)));
                naive4.push((addr, bits));
            } else {
                let addr = (u128::from(rng.next()) << 64 | u128::from(rng.next())) >> 8 | 0x2001 << 112;
                let bits = 16 + (rng.next() % 113) as u32;
                text.push(format!("{}/{bits}", Ipv6Addr::from(addr)));
                naive6.push((addr, bits));
            }
        }
        let s = IpSet::parse(&text.join(",")).unwrap();
        let in4 = |x: u32| naive4.iter().any(|&(a, b)| (a ^ x) >> (32 - b).min(31) == 0 && (b < 32 || a == x));
        let in6 = |x: u128| naive6.iter().any(|&(a, b)| b == 128 && a == x || b < 128 && (a ^ x) >> (128 - b) == 0);
        let (mut hits, mut misses) = (0, 0);
        for _ in 0..20_000 {
            let x4 = (rng.next() as u32) & 0x0FFF_FFFF | 0x0A00_0000;
            let want = in4(x4);
            assert_eq!(s.contains_str(Ipv4Addr::from(x4).to_string().as_bytes()), want, "{}", Ipv4Addr::from(x4));
            if want { hits += 1 } else { misses += 1 }
            let x6 = (u128::from(rng.next()) << 64 | u128::from(rng.next())) >> 8 | 0x2001 << 112;
            assert_eq!(s.contains_str(Ipv6Addr::from(x6).to_string().as_bytes()), in6(x6));
        }
        // Both outcomes must be exercised for the comparison to mean anything.
        eprintln!("hits {hits} misses {misses}");
        assert!(hits > 100 && misses > 100, "hits {hits} misses {misses}");
        // Boundaries of every v4 entry.
        for &(a, b) in &naive4 {
            let (lo, hi) = v4_range(a, b);
            for x in [lo, hi, lo.wrapping_sub(1), hi.wrapping_add(1)] {
                assert_eq!(s.contains_v4(Ipv4Addr::from(x)), in4(x));
            }
        }
    }

    #[test]
    fn random_bytes_never_panic() {
        let mut rng = Rng(5);
        let s = set("10.0.0.0/8,::1");
        let alphabet = b"0123456789abcdef.:/,# \xff";
        for _ in 0..50_000 {
            let r = rng.next();
            let len = (r % 20) as usize;
            let bytes: Vec<u8> =
                (0..len).map(|_| alphabet[(rng.next() % alphabet.len() as u64) as usize]).collect();
            let _ = s.contains_str(&bytes);
            let text = String::from_utf8_lossy(&bytes);
            let _ = IpSet::parse(&text);
            let _ = IpSet::from_entries(text.lines());
        }
    }

    /// Micro-benchmark: `cargo test --release -- --ignored --nocapture ip_lookup_bench`.
    #[test]
    #[ignore]
    fn ip_lookup_bench() {
        let mut rng = Rng(77);
        let entries: Vec<String> = (0..5_000)
            .map(|_| format!("{}/{}", Ipv4Addr::from(rng.next() as u32), 16 + rng.next() % 17))
            .collect();
        let s = IpSet::parse(&entries.join(",")).unwrap();
        let addrs: Vec<String> = (0..1_000_000).map(|_| Ipv4Addr::from(rng.next() as u32).to_string()).collect();
        let start = std::time::Instant::now();
        let mut hits = 0usize;
        for a in &addrs {
            hits += usize::from(s.contains_str(a.as_bytes()));
        }
        let dt = start.elapsed();
        let v4 = addrs.iter().map(|a| a.parse::<Ipv4Addr>().unwrap()).collect::<Vec<_>>();
        let start2 = std::time::Instant::now();
        let mut hits2 = 0usize;
        for a in &v4 {
            hits2 += usize::from(s.contains_v4(*a));
        }
        let dt2 = start2.elapsed();
        assert_eq!(hits, hits2);
        eprintln!(
            "ip_lookup_bench: {} ranges; contains_str {:.1} M lookups/s; contains_v4 (pre-parsed) {:.1} M lookups/s; {hits} hits",
            s.range_counts().0,
            addrs.len() as f64 / dt.as_secs_f64() / 1e6,
            v4.len() as f64 / dt2.as_secs_f64() / 1e6,
        );
    }
}
