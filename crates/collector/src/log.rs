//! The collector's own log: one JSON object per line on stderr, for log shippers.
//!
//! Each line is `{"time": RFC 3339 UTC with ms, "level": "info"|"warn"|"error", "msg": TEXT, ...}`
//! with the event's fields after `msg`. Secrets (tokens) are never logged. A line is written
//! with one `write_all` on a locked stderr, so lines from several threads never interleave.

use std::io::Write;

use serde_json::Value;

use crate::time::format_rfc3339_millis;
use crate::time::now_ms;

/// Severity of a log line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Level {
    Info,
    Warn,
    Error,
}

impl Level {
    fn name(self) -> &'static str {
        match self {
            Level::Info => "info",
            Level::Warn => "warn",
            Level::Error => "error",
        }
    }
}

/// The JSON line of one event (without the newline): `time`, `level`, `msg` first, then the
/// fields in the order given (written by hand: serde_json's map would sort the keys).
pub(crate) fn line(time_ms: i64, level: Level, msg: &str, fields: &[(&str, Value)]) -> String {
    let mut out = format!(
        "{{\"time\":{},\"level\":\"{}\",\"msg\":{}",
        Value::from(format_rfc3339_millis(time_ms)),
        level.name(),
        Value::from(msg)
    );
    for (key, value) in fields {
        if matches!(*key, "time" | "level" | "msg") {
            continue;
        }
        out.push(',');
        out.push_str(&Value::from(*key).to_string());
        out.push(':');
        out.push_str(&value.to_string());
    }
    out.push('}');
    out
}

/// Writes one event to stderr.
pub(crate) fn event(level: Level, msg: &str, fields: &[(&str, Value)]) {
    let mut text = line(now_ms(), level, msg, fields);
    text.push('\n');
    // Nothing sensible to do when stderr is gone.
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// An `info` event.
pub(crate) fn info(msg: &str, fields: &[(&str, Value)]) {
    event(Level::Info, msg, fields);
}

/// A `warn` event.
pub(crate) fn warn(msg: &str, fields: &[(&str, Value)]) {
    event(Level::Warn, msg, fields);
}

/// An `error` event.
pub(crate) fn error(msg: &str, fields: &[(&str, Value)]) {
    event(Level::Error, msg, fields);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_json_object_per_line() {
        let text = line(
            1_500,
            Level::Warn,
            "pruned \"old\"\nrows",
            &[("rows", 5.into())],
        );
        assert!(!text.contains('\n'));
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["time"], "1970-01-01T00:00:01.500Z");
        assert_eq!(v["level"], "warn");
        assert_eq!(v["msg"], "pruned \"old\"\nrows");
        assert_eq!(v["rows"], 5);
        assert!(text.starts_with(r#"{"time":"#), "{text}");
    }
}
