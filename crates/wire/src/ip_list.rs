//! The console's IP lists as a node fetches them: `GET /v1/ip-lists` on the collector answers
//! with an [`IpListAnswer`], which the filter enforces on top of its configured lists
//! (docs/policies.md "Console IP lists").
//!
//! ```json
//! {"version":"3f2a9c0e51d4b7a8","entries":[
//!   {"list":"block","cidr":"203.0.113.7/32","expires":"2026-12-06T08:00:00.000Z"},
//!   {"list":"allow","cidr":"2001:db8::/32","expires":null}]}
//! ```
//!
//! Invariants the collector keeps and the filter relies on:
//! - `cidr` is canonical ([`canonical_cidr`]): `address/prefix`, no host bits set, IPv4-mapped
//!   IPv6 written as IPv4, so equal networks are equal strings.
//! - `expires` is UTC as [`format_utc_ms`] writes it (`YYYY-MM-DDTHH:MM:SS.mmmZ`), or `null`
//!   for an entry kept until removed; only entries unexpired when answered are listed, and a
//!   node drops an entry itself when its time comes.
//! - `version` changes whenever the listed entries change (it is a digest of them), so a node
//!   sends it back in `If-None-Match` and gets `304 Not Modified` while nothing changed.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use serde::{Deserialize, Serialize};

/// Most entries an answer holds: the collector stores no more than this many (so no node's
/// answer can exceed it) and a node refuses a longer answer.
pub const MAX_ENTRIES: usize = 100_000;

/// Which list an entry is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ListKind {
    /// Requests from these sources get the block response, as the policy's `ip_deny`.
    Block,
    /// Requests from these sources are not inspected, as the policy's `ip_allow`.
    Allow,
}

impl ListKind {
    /// The name on the wire and in the API: `block` or `allow`.
    pub fn name(self) -> &'static str {
        match self {
            ListKind::Block => "block",
            ListKind::Allow => "allow",
        }
    }

    /// The kind named `name` (exactly `block` or `allow`).
    pub fn from_name(name: &str) -> Option<ListKind> {
        match name {
            "block" => Some(ListKind::Block),
            "allow" => Some(ListKind::Allow),
            _ => None,
        }
    }
}

/// The answer to `GET /v1/ip-lists`: every unexpired entry that applies to the asking node
/// (entries for every node and for its group).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IpListAnswer {
    /// Opaque; changes when `entries` change. Also the answer's `ETag` (quoted).
    pub version: String,
    /// The entries, in no particular order.
    pub entries: Vec<IpListEntry>,
}

/// One entry as a node sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IpListEntry {
    /// Block or allow.
    pub list: ListKind,
    /// Canonical `address/prefix` ([`canonical_cidr`]).
    pub cidr: String,
    /// When the entry stops applying (UTC, [`format_utc_ms`]); `None`: until removed.
    pub expires: Option<String>,
}

/// Why a text is not an address or network an IP list can hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CidrError {
    /// Empty, or only spaces.
    Empty,
    /// The address part is neither an IPv4 nor an IPv6 address.
    BadAddress,
    /// The part after `/` is not a decimal number.
    BadPrefix,
    /// The prefix is longer than the family's bits.
    PrefixTooLong {
        /// The prefix given.
        prefix: u32,
        /// 32 (IPv4) or 128 (IPv6).
        max: u32,
    },
    /// Bits are set beyond the prefix; `network` is the network that was probably meant.
    HostBitsSet {
        /// The canonical network of the same prefix.
        network: String,
    },
}

impl fmt::Display for CidrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CidrError::Empty => f.write_str("empty address"),
            CidrError::BadAddress => f.write_str("not an IPv4 or IPv6 address or CIDR"),
            CidrError::BadPrefix => f.write_str("the prefix length after '/' is not a number"),
            CidrError::PrefixTooLong { prefix, max } => write!(f, "prefix length {prefix} is over {max}"),
            CidrError::HostBitsSet { network } => write!(
                f,
                "host bits set beyond the prefix (the network is {network}; for one address omit the prefix)"
            ),
        }
    }
}

impl std::error::Error for CidrError {}

/// The canonical form of an address or CIDR: `address/prefix` with the address as Rust's
/// `IpAddr` displays it (`203.0.113.7` → `203.0.113.7/32`, `2001:DB8::/32` →
/// `2001:db8::/32`); an IPv4-mapped IPv6 network of prefix 96 or more becomes IPv4
/// (`::ffff:10.0.0.0/104` → `10.0.0.0/8`), as the filter matches it.
///
/// # Errors
/// A network with host bits set (`10.0.0.5/8`) is **refused**, not rounded down: it is usually
/// a typo for one address or for the network, and guessing either way blocks or allows the
/// wrong sources. The error names the network.
pub fn canonical_cidr(text: &str) -> Result<String, CidrError> {
    Network::parse(text).map(|n| n.to_string())
}

/// A network as an IP list holds it: an address with no bits set beyond its prefix. The one
/// parser of list entries, used by the collector (the console's lists) and the filter (its
/// configured lists and the fetched ones).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Network {
    /// An IPv4 network (IPv4-mapped IPv6 networks of prefix 96 or more are written this way).
    V4(Ipv4Addr, u32),
    /// An IPv6 network.
    V6(Ipv6Addr, u32),
}

impl Network {
    /// Parses `address` or `address/prefix` (surrounding spaces ignored).
    ///
    /// # Errors
    /// See [`CidrError`]; a network with host bits set is refused (see [`canonical_cidr`]).
    pub fn parse(text: &str) -> Result<Network, CidrError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(CidrError::Empty);
        }
        let (addr, prefix) = match text.split_once('/') {
            Some((a, p)) => {
                let p = p.trim();
                // Plain decimal digits only: `u32::from_str` would take a leading `+`.
                if p.is_empty() || p.len() > 3 || !p.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(CidrError::BadPrefix);
                }
                (a.trim(), Some(p.parse::<u32>().map_err(|_| CidrError::BadPrefix)?))
            }
            None => (text, None),
        };
        match addr.parse::<IpAddr>().map_err(|_| CidrError::BadAddress)? {
            IpAddr::V4(a) => v4(a, prefix.unwrap_or(32)),
            IpAddr::V6(a) => {
                let prefix = prefix.unwrap_or(128);
                if prefix > 128 {
                    return Err(CidrError::PrefixTooLong { prefix, max: 128 });
                }
                let bits = u128::from(a);
                let mask = u128::MAX.checked_shl(128 - prefix).unwrap_or(0);
                if bits & !mask != 0 {
                    return Err(CidrError::HostBitsSet { network: format!("{}/{prefix}", Ipv6Addr::from(bits & mask)) });
                }
                if prefix >= 96 && bits >> 32 == 0xffff {
                    #[allow(clippy::cast_possible_truncation)] // the low 32 bits, by intent
                    return v4(Ipv4Addr::from(bits as u32), prefix - 96);
                }
                Ok(Network::V6(a, prefix))
            }
        }
    }
}

impl fmt::Display for Network {
    /// `address/prefix`, the canonical form.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Network::V4(a, p) => write!(f, "{a}/{p}"),
            Network::V6(a, p) => write!(f, "{a}/{p}"),
        }
    }
}

fn v4(a: Ipv4Addr, prefix: u32) -> Result<Network, CidrError> {
    if prefix > 32 {
        return Err(CidrError::PrefixTooLong { prefix, max: 32 });
    }
    let bits = u32::from(a);
    let mask = u32::MAX.checked_shl(32 - prefix).unwrap_or(0);
    if bits & !mask != 0 {
        return Err(CidrError::HostBitsSet { network: format!("{}/{prefix}", Ipv4Addr::from(bits & mask)) });
    }
    Ok(Network::V4(a, prefix))
}

/// UTC milliseconds since the epoch as `YYYY-MM-DDTHH:MM:SS.mmmZ`, the form of `expires`.
pub fn format_utc_ms(ms: i64) -> String {
    crate::time::format_rfc3339_millis(ms)
}

/// Reads what [`format_utc_ms`] writes: an RFC 3339 time in UTC (`T` and `Z`; the fraction
/// optional, cut to milliseconds). `None` for anything else, other offsets included.
pub fn parse_utc_ms(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.get(10) != Some(&b'T') || b.last() != Some(&b'Z') {
        return None;
    }
    crate::time::parse_rfc3339_ms(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidrs_are_canonical_or_refused_with_the_network() {
        let ok = |t: &str| canonical_cidr(t).unwrap();
        assert_eq!(ok("203.0.113.7"), "203.0.113.7/32");
        assert_eq!(ok(" 10.0.0.0/8 "), "10.0.0.0/8");
        assert_eq!(ok("2001:DB8:0::/32"), "2001:db8::/32");
        assert_eq!(ok("::1"), "::1/128");
        assert_eq!(ok("::ffff:10.0.0.0/104"), "10.0.0.0/8");
        assert_eq!(ok("::ffff:192.0.2.1"), "192.0.2.1/32");
        assert_eq!(ok("0.0.0.0/0"), "0.0.0.0/0");
        assert_eq!(ok("::/0"), "::/0");
        let err = |t: &str| canonical_cidr(t).unwrap_err().to_string();
        assert_eq!(err("10.0.0.5/8"), "host bits set beyond the prefix (the network is 10.0.0.0/8; for one address omit the prefix)");
        assert_eq!(err("2001:db8::1/32"), "host bits set beyond the prefix (the network is 2001:db8::/32; for one address omit the prefix)");
        assert_eq!(err("10.0.0.0/33"), "prefix length 33 is over 32");
        assert_eq!(err("::/129"), "prefix length 129 is over 128");
        assert_eq!(err("10.0.0.0/+8"), "the prefix length after '/' is not a number");
        assert_eq!(err("10.0.0.0/99999999999"), "the prefix length after '/' is not a number");
        assert_eq!(err("example.com"), "not an IPv4 or IPv6 address or CIDR");
        assert_eq!(err("  "), "empty address");
    }

    #[test]
    fn times_round_trip_and_bad_ones_are_refused() {
        for ms in [0, 1_000, 1_765_000_000_123, 951_782_400_000 /* 2000-02-29 */, 4_102_444_799_999] {
            assert_eq!(parse_utc_ms(&format_utc_ms(ms)), Some(ms), "{}", format_utc_ms(ms));
        }
        assert_eq!(format_utc_ms(1_765_000_000_123), "2025-12-06T05:46:40.123Z");
        assert_eq!(parse_utc_ms("2025-12-06T05:46:40Z"), Some(1_765_000_000_000));
        assert_eq!(parse_utc_ms("2025-12-06T05:46:40.5Z"), Some(1_765_000_000_500));
        assert_eq!(parse_utc_ms("2025-12-06T05:46:40.123456789Z"), Some(1_765_000_000_123));
        for bad in ["", "2025-12-06", "2025-12-06T05:46:40", "2025-12-06T05:46:40+01:00", "2025-02-29T00:00:00Z",
                    "2025-13-01T00:00:00Z", "2025-12-06T24:00:00Z", "2025-12-06T05:46:40.Z",
                    "2025-12-06 05:46:40Z", "２025-12-06T05:46:40Z"] {
            assert_eq!(parse_utc_ms(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_answer_round_trips_and_refuses_unknown_fields() {
        let text = r#"{"version":"v1","entries":[{"list":"block","cidr":"203.0.113.7/32","expires":"2026-12-06T08:00:00.000Z"},{"list":"allow","cidr":"10.0.0.0/8","expires":null}]}"#;
        let answer: IpListAnswer = serde_json::from_str(text).unwrap();
        assert_eq!(answer.entries.len(), 2);
        assert_eq!(answer.entries[0].list, ListKind::Block);
        assert_eq!(answer.entries[1].expires, None);
        assert_eq!(serde_json::to_string(&answer).unwrap(), text);
        assert!(serde_json::from_str::<IpListAnswer>(r#"{"version":"v","entries":[{"list":"deny","cidr":"1.2.3.4/32","expires":null}]}"#).is_err());
        assert!(serde_json::from_str::<IpListAnswer>(r#"{"version":"v","entries":[],"extra":1}"#).is_err());
        assert_eq!(ListKind::from_name("allow"), Some(ListKind::Allow));
        assert_eq!(ListKind::from_name("Block"), None);
        assert_eq!(ListKind::Block.name(), "block");
    }
}
