//! Time for the collector: the RFC 3339 conversions shared with the filter
//! (`portcullis_wire::time`), and the clock.

pub use portcullis_wire::time::{format_rfc3339_millis, format_rfc3339_ms, parse_rfc3339_ms};

/// Milliseconds since the Unix epoch, now (0 if the clock is before 1970).
pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}
