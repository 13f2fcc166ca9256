//! IP lists (`ip_allow`, `ip_deny`, `ip_graylist`): IPv4/IPv6 addresses and
//! CIDRs kept as sorted, merged, inclusive ranges, looked up by binary search.
//!
//! - An entry is an address (`203.0.113.7`, `2001:db8::1`) or a CIDR
//!   (`10.0.0.0/8`, `2001:db8::/32`); surrounding spaces are ignored.
//! - A CIDR with host bits set (`10.0.0.5/8`) is **refused**: it is usually a
//!   typo for a single address or for the network, and guessing either way
//!   silently blocks or allows the wrong sources. The message names the network.
//! - IPv4-mapped IPv6 (`::ffff:1.2.3.4`, `::ffff:10.0.0.0/104`) is stored as
//!   IPv4, and a mapped address looked up matches IPv4 entries, so the list
//!   does not depend on how Envoy spells a v4 peer on a dual-stack listener.
//!   An IPv6 range shorter than /96 (`::/0`) matches IPv6 clients only.
//! - Every problem of a list is reported at once, each with its index.

use std::fmt;
use std::net::IpAddr;

use portcullis_wire::ip_list::{CidrError, Network};

/// A set of IP addresses: IPv4 and IPv6 inclusive ranges, each sorted by
/// start, non-overlapping and non-adjacent (merged), so a lookup is one
/// binary search. Invariant kept by every constructor.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IpList {
    v4: Vec<(u32, u32)>,
    v6: Vec<(u128, u128)>,
}

/// What is wrong with one entry of a list: the shared parser's error
/// (`portcullis_wire::ip_list::Network`), so the configured lists and the
/// console's are read alike.
pub type IpListProblem = CidrError;

/// One refused entry: its index in the list, the entry and the problem.
/// Displays as `[3]: "10.0.0.0/33": prefix length 33 is over 32`, so the
/// caller prefixes the field's path (`ip_deny[3]: ...`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IpListError {
    /// Index of the entry in the configured list.
    pub index: usize,
    /// The entry as configured.
    pub entry: String,
    /// What is wrong with it.
    pub problem: IpListProblem,
}

impl fmt::Display for IpListError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}]: {:?}: {}", self.index, self.entry, self.problem)
    }
}

impl std::error::Error for IpListError {}

/// One parsed entry: an inclusive range in one family.
enum Range {
    V4(u32, u32),
    V6(u128, u128),
}

impl IpList {
    /// Parse `entries`; every refused entry is reported, in order.
    pub fn new(entries: &[String]) -> Result<IpList, Vec<IpListError>> {
        let mut v4 = Vec::new();
        let mut v6 = Vec::new();
        let mut errors = Vec::new();
        for (index, entry) in entries.iter().enumerate() {
            match parse_entry(entry) {
                Ok(Range::V4(lo, hi)) => v4.push((lo, hi)),
                Ok(Range::V6(lo, hi)) => v6.push((lo, hi)),
                Err(problem) => errors.push(IpListError { index, entry: entry.clone(), problem }),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(IpList { v4: merge(v4), v6: merge(v6) })
    }

    /// Whether `ip` is in the list (an IPv4-mapped IPv6 address is looked up as IPv4).
    pub fn contains(&self, ip: IpAddr) -> bool {
        match ip.to_canonical() {
            IpAddr::V4(a) => find(&self.v4, u32::from(a)),
            IpAddr::V6(a) => find(&self.v6, u128::from(a)),
        }
    }

    /// The union of two lists (a default policy's list plus a host's).
    pub fn merged(&self, other: &IpList) -> IpList {
        if other.is_empty() {
            return self.clone();
        }
        if self.is_empty() {
            return other.clone();
        }
        let v4 = self.v4.iter().chain(&other.v4).copied().collect();
        let v6 = self.v6.iter().chain(&other.v6).copied().collect();
        IpList { v4: merge(v4), v6: merge(v6) }
    }

    /// Number of ranges after merging (overlapping or adjacent entries count once).
    pub fn len(&self) -> usize {
        self.v4.len() + self.v6.len()
    }

    /// Whether the list matches no address at all.
    pub fn is_empty(&self) -> bool {
        self.v4.is_empty() && self.v6.is_empty()
    }
}

/// Binary search: the last range starting at or before `x`, then its end.
fn find<T: Copy + Ord>(ranges: &[(T, T)], x: T) -> bool {
    let after = ranges.partition_point(|&(lo, _)| lo <= x);
    match after.checked_sub(1).and_then(|i| ranges.get(i)) {
        Some(&(_, hi)) => x <= hi,
        None => false,
    }
}

/// Sort and merge overlapping or adjacent inclusive ranges.
fn merge<T: Copy + Ord + Adjacent>(mut ranges: Vec<(T, T)>) -> Vec<(T, T)> {
    ranges.sort_unstable();
    let mut out: Vec<(T, T)> = Vec::with_capacity(ranges.len());
    for (lo, hi) in ranges {
        match out.last_mut() {
            Some(last) if lo <= last.1 || last.1.next() == Some(lo) => {
                if hi > last.1 {
                    last.1 = hi;
                }
            }
            _ => out.push((lo, hi)),
        }
    }
    out.shrink_to_fit();
    out
}

/// The successor of a range end, for merging adjacent ranges.
trait Adjacent: Sized {
    fn next(self) -> Option<Self>;
}

impl Adjacent for u32 {
    fn next(self) -> Option<u32> {
        self.checked_add(1)
    }
}

impl Adjacent for u128 {
    fn next(self) -> Option<u128> {
        self.checked_add(1)
    }
}


fn parse_entry(entry: &str) -> Result<Range, IpListProblem> {
    Ok(match Network::parse(entry)? {
        Network::V4(a, prefix) => {
            let bits = u32::from(a);
            Range::V4(bits, bits | !u32::MAX.checked_shl(32 - prefix).unwrap_or(0))
        }
        Network::V6(a, prefix) => {
            let bits = u128::from(a);
            Range::V6(bits, bits | !u128::MAX.checked_shl(128 - prefix).unwrap_or(0))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{Ipv4Addr, Ipv6Addr};

    fn mask128(prefix: u32) -> u128 {
        u128::MAX.checked_shl(128 - prefix).unwrap_or(0)
    }
    use std::time::Instant;

    fn list(entries: &[&str]) -> IpList {
        IpList::new(&entries.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>()).unwrap()
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn addresses_and_cidrs() {
        let l = list(&["203.0.113.7", "10.0.0.0/8", "2001:db8:bad::/48", "::1", "0.0.0.0/0 "]);
        assert!(l.contains(ip("203.0.113.7")));
        assert!(l.contains(ip("10.255.255.255")));
        assert!(l.contains(ip("2001:db8:bad:ffff::1")));
        assert!(!l.contains(ip("2001:db8:bae::1")));
        assert!(l.contains(ip("::1")));
        assert!(!l.contains(ip("::2")));
        assert!(l.contains(ip("192.0.2.1")), "0.0.0.0/0 matches every IPv4");
        let l = list(&["192.0.2.0/24", "::/0"]);
        assert!(!l.contains(ip("192.0.3.0")));
        assert!(l.contains(ip("fe80::1")));
    }

    #[test]
    fn ipv4_mapped_ipv6_matches_ipv4_entries() {
        let l = list(&["192.0.2.0/24", "::ffff:198.51.100.0/120", "::ffff:203.0.113.9"]);
        assert!(l.contains(ip("::ffff:192.0.2.55")));
        assert!(l.contains(ip("198.51.100.200")));
        assert!(l.contains(ip("203.0.113.9")));
        assert!(!l.contains(ip("::ffff:192.0.3.1")));
        // A prefix shorter than /96 is an IPv6 range like any other, even
        // where it covers the mapped space (as `::/0` does): IPv4 clients are
        // matched by IPv4 entries only.
        let l = list(&["::fffe:0:0/95"]);
        assert!(!l.contains(ip("1.2.3.4")));
    }

    #[test]
    fn every_problem_is_reported_with_its_index() {
        let entries: Vec<String> =
            ["10.0.0.1", "10.0.0.0/33", "", "bad", "10.0.0.5/8", "2001:db8::/129", "1.2.3.4/x", "1.2.3.4/+8", "::ffff:10.0.0.5/104"]
                .iter()
                .map(|s| (*s).to_owned())
                .collect();
        let errors = IpList::new(&entries).unwrap_err();
        let shown: Vec<String> = errors.iter().map(|e| format!("ip_deny{e}")).collect();
        assert_eq!(
            shown,
            [
                "ip_deny[1]: \"10.0.0.0/33\": prefix length 33 is over 32",
                "ip_deny[2]: \"\": empty address",
                "ip_deny[3]: \"bad\": not an IPv4 or IPv6 address or CIDR",
                "ip_deny[4]: \"10.0.0.5/8\": host bits set beyond the prefix (the network is 10.0.0.0/8; for one address omit the prefix)",
                "ip_deny[5]: \"2001:db8::/129\": prefix length 129 is over 128",
                "ip_deny[6]: \"1.2.3.4/x\": the prefix length after '/' is not a number",
                "ip_deny[7]: \"1.2.3.4/+8\": the prefix length after '/' is not a number",
                "ip_deny[8]: \"::ffff:10.0.0.5/104\": host bits set beyond the prefix (the network is ::ffff:10.0.0.0/104; for one address omit the prefix)",
            ]
        );
    }

    #[test]
    fn ranges_merge_and_lists_combine() {
        let l = list(&["10.0.0.0/25", "10.0.0.128/25", "10.0.0.7", "10.0.1.0/24", "255.255.255.255", "255.255.255.254"]);
        assert_eq!(l.len(), 2, "{l:?}");
        let other = list(&["2001:db8::/32", "10.0.2.0/24"]);
        let m = l.merged(&other);
        assert_eq!(m.len(), 3);
        assert!(m.contains(ip("10.0.2.9")) && m.contains(ip("2001:db8::9")) && m.contains(ip("10.0.0.200")));
        assert!(IpList::default().is_empty() && !m.is_empty());
        assert_eq!(IpList::default().merged(&other), other);
    }

    /// xorshift64*: reproducible test data without a crate.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }
    }

    /// 10,000 random entries (both families; IPv4 mostly /32 and /24, IPv6 /16../128,
    /// with clustered v4 addresses so ranges overlap) against a linear scan of
    /// the unmerged ranges on 100,000 random lookups; prints the timing.
    #[test]
    fn ten_thousand_entries_agree_with_a_linear_scan() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let mut entries = Vec::new();
        // The unmerged entries as (network, mask) per family, for the linear scan.
        let mut naive4: Vec<(u32, u32)> = Vec::new();
        let mut naive6: Vec<(u128, u128)> = Vec::new();
        for i in 0..10_000 {
            let r = rng.next();
            if i % 4 == 3 {
                let prefix = 16 + (r % 113) as u32;
                let bits = (u128::from(rng.next()) << 64 | u128::from(rng.next())) & mask128(prefix);
                let a = Ipv6Addr::from(bits);
                entries.push(format!("{a}/{prefix}"));
                naive6.push((bits, mask128(prefix)));
            } else {
                // Like real denylists: mostly single addresses and /24s.
                let prefix = match r % 10 {
                    0..=5 => 32,
                    6..=8 => 24,
                    _ => 8 + (r >> 8) as u32 % 24,
                };
                // Half the addresses in 10.0.0.0/12, so lookups hit.
                let raw = (r >> 32) as u32;
                let raw = if r & 1 == 0 { 0x0a00_0000 | (raw & 0x000f_ffff) } else { raw };
                let mask = u32::MAX.checked_shl(32 - prefix).unwrap_or(0);
                let bits = raw & mask;
                entries.push(format!("{}/{prefix}", Ipv4Addr::from(bits)));
                naive4.push((bits, mask));
            }
        }
        let start = Instant::now();
        let l = IpList::new(&entries).unwrap();
        let build = start.elapsed();
        let scan = |x: IpAddr| match x.to_canonical() {
            IpAddr::V4(a) => naive4.iter().any(|&(net, mask)| u32::from(a) & mask == net),
            IpAddr::V6(a) => naive6.iter().any(|&(net, mask)| u128::from(a) & mask == net),
        };
        let lookups: Vec<IpAddr> = (0..100_000)
            .map(|i| {
                let r = rng.next();
                match i % 4 {
                    0 => IpAddr::V6(Ipv6Addr::from(u128::from(r) << 64 | u128::from(rng.next()))),
                    1 => IpAddr::V6(Ipv4Addr::from(0x0a00_0000 | (r as u32 & 0x000f_ffff)).to_ipv6_mapped()),
                    2 => IpAddr::V4(Ipv4Addr::from(0x0a00_0000 | (r as u32 & 0x000f_ffff))),
                    _ => IpAddr::V4(Ipv4Addr::from(r as u32)),
                }
            })
            .collect();
        let start = Instant::now();
        let mut hits = 0usize;
        for &x in &lookups {
            hits += usize::from(l.contains(x));
        }
        let took = start.elapsed();
        let per = took.as_nanos() / lookups.len() as u128;
        println!(
            "IpList: 10,000 entries -> {} ranges, built in {:?}; {} lookups in {:?} ({per} ns/lookup), {hits} hits",
            l.len(),
            build,
            lookups.len(),
            took
        );
        for &x in &lookups {
            assert_eq!(l.contains(x), scan(x), "{x}");
        }
        assert!(hits > 1000 && hits < 99_000, "the data should exercise both answers: {hits}");
        // Generous: a debug build on a slow machine is well under this.
        assert!(per < 20_000, "{per} ns per lookup");
    }
}
