//! Signed console sessions: what the sign-in page gets instead of keeping the admin token.
//!
//! A session is a cookie [`COOKIE`] = `v1.<expires_ms>.<nonce>.<mac>`, where `mac` is
//! HMAC-SHA256 (RFC 2104, over `sha2`) of `v1.<expires_ms>.<nonce>` under a key derived from
//! the admin token. Nothing is stored on the server: every collector started with the same
//! admin token accepts the sessions of the others (replicas behind one balancer), and changing
//! the admin token ends every session. Signing out clears the cookie in the browser; a copied
//! cookie stays valid until it expires ([`LIFETIME_MS`]), as with any stateless session.

use sha2::{Digest, Sha256};

/// The cookie's name.
pub(crate) const COOKIE: &str = "portcullis_session";
/// How long a session lasts: 12 hours.
pub(crate) const LIFETIME_MS: i64 = 12 * 3_600_000;
/// What the key is derived for (a different purpose of the same token would get another key).
const KEY_PURPOSE: &[u8] = b"portcullis console session v1";

/// HMAC-SHA256 of `message` under `key` (RFC 2104, block size 64).
pub(crate) fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut block = [0u8; 64];
    if key.len() > 64 {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| block.map(|b| b ^ byte);
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(message)
        .finalize();
    Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize()
        .into()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The session key of an admin token.
pub(crate) struct SessionKey([u8; 32]);

impl SessionKey {
    /// Derives the key from the admin token (the same token gives the same key everywhere).
    pub(crate) fn derive(admin_token: &str) -> SessionKey {
        SessionKey(hmac_sha256(admin_token.as_bytes(), KEY_PURPOSE))
    }

    fn mac(&self, payload: &str) -> String {
        hex(&hmac_sha256(&self.0, payload.as_bytes()))
    }

    /// A new session value expiring at `expires_ms`; `nonce` makes each sign-in's value its own.
    pub(crate) fn issue(&self, expires_ms: i64, nonce: &[u8; 16]) -> String {
        let payload = format!("v1.{expires_ms}.{}", hex(nonce));
        let mac = self.mac(&payload);
        format!("{payload}.{mac}")
    }

    /// The expiry of `value` if it is a session this key signed that has not expired at `now_ms`.
    pub(crate) fn verify(&self, value: &str, now_ms: i64) -> Option<i64> {
        let (payload, mac) = value.rsplit_once('.')?;
        let mut parts = payload.split('.');
        if parts.next() != Some("v1") {
            return None;
        }
        let expires: i64 = parts.next()?.parse().ok()?;
        let _nonce = parts.next()?;
        if parts.next().is_some() {
            return None;
        }
        let expected = self.mac(payload);
        let equal = expected.len() == mac.len()
            && expected
                .bytes()
                .zip(mac.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0;
        (equal && now_ms < expires).then_some(expires)
    }
}

/// The value of cookie `name` in a `Cookie` header (`a=1; b=2`).
pub(crate) fn cookie_value<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
}

/// The `Set-Cookie` value that stores `value` for `max_age_s` seconds (0 deletes it).
/// HttpOnly (scripts cannot read it), SameSite=Strict (no other site can send it), Path=/.
pub(crate) fn set_cookie(value: &str, max_age_s: i64) -> String {
    format!("{COOKIE}={value}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age_s}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc_4231() {
        // Test case 2 of RFC 4231.
        let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        assert_eq!(
            hex(&mac),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        // Test case 6: a key longer than the block.
        let mac = hmac_sha256(
            &[0xaa; 131],
            b"Test Using Larger Than Block-Size Key - Hash Key First",
        );
        assert_eq!(
            hex(&mac),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    #[test]
    fn sessions_verify_only_under_their_token_and_until_they_expire() {
        let key = SessionKey::derive("admin-secret");
        let value = key.issue(1_000, &[7; 16]);
        assert_eq!(key.verify(&value, 999), Some(1_000));
        assert_eq!(key.verify(&value, 1_000), None);
        // Another replica with the same token accepts it; another token does not.
        assert_eq!(
            SessionKey::derive("admin-secret").verify(&value, 0),
            Some(1_000)
        );
        assert_eq!(SessionKey::derive("other").verify(&value, 0), None);
        // A changed expiry breaks the signature.
        let forged = value.replacen("v1.1000.", "v1.9000.", 1);
        assert_eq!(key.verify(&forged, 0), None);
        for bad in [
            "",
            "v1",
            "v1.1.2",
            "v2.1000.00.00",
            "v1.x.00.00",
            "v1.1000.a.b.c",
        ] {
            assert_eq!(key.verify(bad, 0), None, "{bad}");
        }
        assert_eq!(
            cookie_value("a=1; portcullis_session=xyz; b=2", COOKIE),
            Some("xyz")
        );
        assert_eq!(cookie_value("portcullis_session_x=1", COOKIE), None);
    }
}
