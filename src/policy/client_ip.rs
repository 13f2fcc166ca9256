//! Which IP a request comes from (`client_ip`): the connection's peer by
//! default, or an address a trusted proxy wrote into a header
//! (docs/policies.md "Client IP"). A client-sent `X-Forwarded-For` changes
//! nothing unless the configuration says to read it.

use std::net::{IpAddr, SocketAddr};

use serde::Deserialize;

/// Where the client IP is read from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientIpSource {
    /// The connection's peer (Envoy's `source.address`).
    #[default]
    SourceAddress,
    /// The `trusted_hops`-th address from the right of `X-Forwarded-For`.
    XForwardedFor,
    /// Envoy's `x-envoy-external-address` (set by Envoy with `use_remote_address`).
    XEnvoyExternalAddress,
}

/// The `client_ip` setting: `{"from": "x_forwarded_for", "trusted_hops": 1}`.
/// `trusted_hops` is only meaningful (and only accepted) with `x_forwarded_for`,
/// where it defaults to 1; [`ClientIpConfig::validate`] checks that.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientIpConfig {
    /// Where the address comes from.
    #[serde(default)]
    pub from: ClientIpSource,
    /// How many proxies in front of Envoy append to `X-Forwarded-For`
    /// (`None`: the default, 1). Use [`ClientIpConfig::hops`].
    #[serde(default)]
    pub trusted_hops: Option<u32>,
}

/// Most trusted hops accepted: more is a configuration mistake, not a network.
pub const MAX_TRUSTED_HOPS: u32 = 64;

impl ClientIpConfig {
    /// The number of trusted hops in effect (1 when not given).
    pub fn hops(&self) -> u32 {
        self.trusted_hops.unwrap_or(1)
    }

    /// Every problem, each naming its field (`trusted_hops: ...`); empty when valid.
    pub fn validate(&self) -> Vec<String> {
        let mut problems = Vec::new();
        match (self.from, self.trusted_hops) {
            (ClientIpSource::XForwardedFor, Some(0)) => problems.push(
                "trusted_hops: must be at least 1 (the proxy in front of Envoy that appends the client's address); \
                 to use the connection's address set from: source_address"
                    .to_owned(),
            ),
            (ClientIpSource::XForwardedFor, Some(n)) if n > MAX_TRUSTED_HOPS => {
                problems.push(format!("trusted_hops: {n} is over {MAX_TRUSTED_HOPS}"));
            }
            (ClientIpSource::XForwardedFor, _) | (_, None) => {}
            (_, Some(_)) => problems.push("trusted_hops: only used with from: x_forwarded_for".to_owned()),
        }
        problems
    }
}

/// The client IP of a request, or `None` when even the connection's address
/// cannot be parsed. `source_address` is Envoy's `source.address` property
/// (`1.2.3.4:5678`, `[::1]:80`; a bare address is accepted too); `headers`
/// the request headers (names lower case, as Envoy gives them; compared
/// case-insensitively anyway).
///
/// - `source_address`: the connection's peer.
/// - `x_forwarded_for`: every `X-Forwarded-For` line joined in order with
///   commas, split on commas, spaces trimmed. Envoy with
///   `use_remote_address: true` (our configs, Istio gateways; required:
///   without it Envoy itself trusts the header) appends one entry before
///   filters run — the connection's address, or its own for a loopback
///   peer — so the last entry is set aside. Of the rest, the `hops`-th
///   entry from the right, or the leftmost when there are fewer.
///   An entry may carry a port (`1.2.3.4:80`, `[2001:db8::1]:443`). No
///   header, or an invalid entry at the chosen position → the connection's
///   address.
/// - `x_envoy_external_address`: that header when it is exactly one valid
///   address; otherwise the connection's address.
///
/// IPv4-mapped IPv6 addresses come back as IPv4 (`::ffff:1.2.3.4` → `1.2.3.4`).
pub fn client_ip(cfg: &ClientIpConfig, source_address: &[u8], headers: &[(String, Vec<u8>)]) -> Option<IpAddr> {
    let from_header = match cfg.from {
        ClientIpSource::SourceAddress => None,
        ClientIpSource::XForwardedFor => forwarded_for(cfg.hops(), headers),
        ClientIpSource::XEnvoyExternalAddress => {
            let mut values = headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case("x-envoy-external-address"));
            match (values.next(), values.next()) {
                (Some((_, v)), None) => parse_ip(v),
                _ => None,
            }
        }
    };
    from_header.or_else(|| parse_ip(source_address)).map(|ip| ip.to_canonical())
}

fn forwarded_for(hops: u32, headers: &[(String, Vec<u8>)]) -> Option<IpAddr> {
    let mut joined: Vec<u8> = Vec::new();
    for (_, v) in headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case("x-forwarded-for")) {
        if !joined.is_empty() {
            joined.push(b',');
        }
        joined.extend_from_slice(v);
    }
    if joined.is_empty() {
        return None;
    }
    let mut entries: Vec<&[u8]> = joined.split(|&b| b == b',').collect();
    // Envoy's own append (see above).
    if entries.len() > 1 {
        entries.pop();
    }
    let from_right = usize::try_from(hops).unwrap_or(usize::MAX).max(1);
    let index = entries.len().saturating_sub(from_right);
    entries.get(index).and_then(|e| parse_ip(e))
}

/// An address with or without a port (`1.2.3.4`, `1.2.3.4:80`, `::1`,
/// `[::1]:80`), spaces and tabs around it trimmed.
fn parse_ip(raw: &[u8]) -> Option<IpAddr> {
    let s = std::str::from_utf8(raw).ok()?.trim_matches([' ', '\t']);
    s.parse::<IpAddr>().ok().or_else(|| s.parse::<SocketAddr>().ok().map(|a| a.ip()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(json: &str) -> ClientIpConfig {
        serde_json::from_str(json).unwrap()
    }

    fn h(pairs: &[(&str, &str)]) -> Vec<(String, Vec<u8>)> {
        pairs.iter().map(|(n, v)| ((*n).to_owned(), v.as_bytes().to_vec())).collect()
    }

    fn ip(s: &str) -> Option<IpAddr> {
        Some(s.parse().unwrap())
    }

    const PEER: &[u8] = b"192.0.2.10:5678";

    #[test]
    fn serde_defaults_and_validation() {
        assert_eq!(cfg("{}"), ClientIpConfig::default());
        assert_eq!(cfg("{}").from, ClientIpSource::SourceAddress);
        let x = cfg(r#"{"from": "x_forwarded_for"}"#);
        assert_eq!((x.from, x.hops()), (ClientIpSource::XForwardedFor, 1));
        assert!(x.validate().is_empty());
        assert!(cfg(r#"{"from": "x_envoy_external_address"}"#).validate().is_empty());
        assert!(cfg(r#"{"from": "x_forwarded_for", "trusted_hops": 0}"#).validate()[0].starts_with("trusted_hops: must be at least 1"));
        assert_eq!(cfg(r#"{"from": "x_forwarded_for", "trusted_hops": 65}"#).validate(), ["trusted_hops: 65 is over 64"]);
        assert_eq!(
            cfg(r#"{"from": "source_address", "trusted_hops": 2}"#).validate(),
            ["trusted_hops: only used with from: x_forwarded_for"]
        );
        assert!(serde_json::from_str::<ClientIpConfig>(r#"{"from": "forwarded"}"#).unwrap_err().to_string().contains("unknown variant"));
        assert!(serde_json::from_str::<ClientIpConfig>(r#"{"hops": 1}"#).unwrap_err().to_string().contains("unknown field"));
        assert!(serde_json::from_str::<ClientIpConfig>(r#"{"trusted_hops": -1}"#).is_err());
    }

    #[test]
    fn source_address_forms() {
        let c = ClientIpConfig::default();
        assert_eq!(client_ip(&c, b"1.2.3.4:5678", &[]), ip("1.2.3.4"));
        assert_eq!(client_ip(&c, b"[2001:db8::1]:80", &[]), ip("2001:db8::1"));
        assert_eq!(client_ip(&c, b"[::ffff:1.2.3.4]:80", &[]), ip("1.2.3.4"));
        assert_eq!(client_ip(&c, b"10.0.0.1", &[]), ip("10.0.0.1"));
        assert_eq!(client_ip(&c, b"::1", &[]), ip("::1"));
        assert_eq!(client_ip(&c, b"", &[]), None);
        assert_eq!(client_ip(&c, b"not-an-ip:80", &[]), None);
        assert_eq!(client_ip(&c, b"\xff\xfe", &[]), None);
    }

    #[test]
    fn spoofed_forwarded_for_changes_nothing_by_default() {
        let headers = h(&[("x-forwarded-for", "6.6.6.6"), ("x-envoy-external-address", "7.7.7.7")]);
        assert_eq!(client_ip(&ClientIpConfig::default(), PEER, &headers), ip("192.0.2.10"));
    }

    #[test]
    fn forwarded_for_counts_trusted_hops_from_the_right() {
        let one = cfg(r#"{"from": "x_forwarded_for"}"#);
        let two = cfg(r#"{"from": "x_forwarded_for", "trusted_hops": 2}"#);
        let five = cfg(r#"{"from": "x_forwarded_for", "trusted_hops": 5}"#);
        // Client-sent 6.6.6.6, the load balancer appended the real peer 203.0.113.5,
        // Envoy appended the balancer (E).
        let headers = h(&[("x-forwarded-for", "6.6.6.6, 203.0.113.5, 10.0.0.254")]);
        assert_eq!(client_ip(&one, PEER, &headers), ip("203.0.113.5"));
        assert_eq!(client_ip(&two, PEER, &headers), ip("6.6.6.6"));
        assert_eq!(client_ip(&five, PEER, &headers), ip("6.6.6.6"), "fewer entries than hops: the leftmost");
        // Several lines are one list, in order; names compared case-insensitively.
        let lines = h(&[("X-Forwarded-For", "1.1.1.1 ,2.2.2.2"), ("accept", "*/*"), ("x-forwarded-for", " 3.3.3.3\t"), ("x-forwarded-for", "10.0.0.254")]);
        assert_eq!(client_ip(&one, PEER, &lines), ip("3.3.3.3"));
        assert_eq!(client_ip(&two, PEER, &lines), ip("2.2.2.2"));
        assert_eq!(client_ip(&cfg(r#"{"from": "x_forwarded_for", "trusted_hops": 3}"#), PEER, &lines), ip("1.1.1.1"));
        // Ports and IPv6, mapped addresses canonical.
        let ports = h(&[("x-forwarded-for", "[2001:db8::7]:443, 198.51.100.1:8080, ::ffff:198.51.100.9, 10.0.0.254")]);
        assert_eq!(client_ip(&one, PEER, &ports), ip("198.51.100.9"));
        assert_eq!(client_ip(&two, PEER, &ports), ip("198.51.100.1"));
        assert_eq!(client_ip(&cfg(r#"{"from": "x_forwarded_for", "trusted_hops": 3}"#), PEER, &ports), ip("2001:db8::7"));
    }

    #[test]
    fn forwarded_for_falls_back_to_the_connection() {
        let one = cfg(r#"{"from": "x_forwarded_for"}"#);
        let two = cfg(r#"{"from": "x_forwarded_for", "trusted_hops": 2}"#);
        assert_eq!(client_ip(&one, PEER, &[]), ip("192.0.2.10"), "no header");
        assert_eq!(client_ip(&one, PEER, &h(&[("x-forwarded-for", "")])), ip("192.0.2.10"), "empty header");
        assert_eq!(client_ip(&one, PEER, &h(&[("x-forwarded-for", "1.1.1.1, unknown, 10.0.0.254")])), ip("192.0.2.10"));
        assert_eq!(client_ip(&one, PEER, &h(&[("x-forwarded-for", "1.1.1.1,, 10.0.0.254")])), ip("192.0.2.10"), "empty last entry");
        // Only the chosen position matters: garbage further left is ignored.
        assert_eq!(client_ip(&two, PEER, &h(&[("x-forwarded-for", "junk, 1.1.1.1, 2.2.2.2, 10.0.0.254")])), ip("1.1.1.1"));
        assert_eq!(client_ip(&two, PEER, &h(&[("x-forwarded-for", "junk, 2.2.2.2, 10.0.0.254")])), ip("192.0.2.10"));
        assert_eq!(client_ip(&one, PEER, &h(&[("x-forwarded-for", "1.1.1.1/24, 10.0.0.254")])), ip("192.0.2.10"));
        assert_eq!(client_ip(&one, b"garbage", &h(&[("x-forwarded-for", "nope")])), None);
    }

    #[test]
    fn envoys_own_append_is_set_aside() {
        // Envoy (use_remote_address) appended the connection's address, or
        // its own for a loopback peer.
        let c = cfg(r#"{"from":"x_forwarded_for","trusted_hops":1}"#);
        assert_eq!(client_ip(&c, b"10.9.9.9:4000", &h(&[("x-forwarded-for", "203.0.113.7, 10.9.9.9")])), ip("203.0.113.7"));
        assert_eq!(client_ip(&c, b"127.0.0.1:4000", &h(&[("x-forwarded-for", "203.0.113.7,192.0.2.2")])), ip("203.0.113.7"));
        // Only Envoy's entry: that is the client (no proxy wrote one).
        assert_eq!(client_ip(&c, b"10.9.9.9:4000", &h(&[("x-forwarded-for", "10.9.9.9")])), ip("10.9.9.9"));
    }

    #[test]
    fn envoy_external_address() {
        let c = cfg(r#"{"from": "x_envoy_external_address"}"#);
        assert_eq!(client_ip(&c, PEER, &h(&[("x-envoy-external-address", "203.0.113.5")])), ip("203.0.113.5"));
        assert_eq!(client_ip(&c, PEER, &h(&[("x-envoy-external-address", "2001:db8::5")])), ip("2001:db8::5"));
        assert_eq!(client_ip(&c, PEER, &h(&[("x-forwarded-for", "6.6.6.6")])), ip("192.0.2.10"), "absent");
        assert_eq!(client_ip(&c, PEER, &h(&[("x-envoy-external-address", "bogus")])), ip("192.0.2.10"));
        let two = h(&[("x-envoy-external-address", "1.1.1.1"), ("x-envoy-external-address", "2.2.2.2")]);
        assert_eq!(client_ip(&c, PEER, &two), ip("192.0.2.10"), "ambiguous");
    }
}
