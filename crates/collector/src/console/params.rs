//! The query parameters of the console's reads: a window (`from`, `to`) and the filters
//! (`group`, `node`, `application_id`, `host`, `action`), plus `step` for the timeline.
//! Empty values count as absent (as an HTML form sends them); every bad value is a 400 that
//! names the parameter.

use serde::Deserialize;

use crate::error::AppError;
use crate::record::Action;
use crate::stats::model::Filters;
use crate::stats::window::{parse_step, Window, HOUR_MS};
use crate::time::parse_rfc3339_ms;

/// The window when `from` is not given: the last hour up to `to`.
pub(crate) const DEFAULT_WINDOW_MS: i64 = HOUR_MS;

/// Query string of `GET /api/summary` and `GET /api/timeline`, as text so that bad values get
/// our own messages.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ConsoleParams {
    pub from: Option<String>,
    pub to: Option<String>,
    pub group: Option<String>,
    pub node: Option<String>,
    pub application_id: Option<String>,
    pub host: Option<String>,
    pub action: Option<String>,
    pub step: Option<String>,
}

fn nonempty(v: Option<String>) -> Option<String> {
    v.filter(|s| !s.is_empty())
}

/// Parses an RFC 3339 time parameter. An unencoded `+` in a query string arrives as a space
/// (`...T12:00:00 01:00`), so when the text does not parse, the last space is read as `+`.
pub(crate) fn parse_time(name: &str, text: &str) -> Result<i64, AppError> {
    parse_rfc3339_ms(text)
        .or_else(|| {
            let space = text.rfind(' ')?;
            let mut fixed = text.to_owned();
            fixed.replace_range(space..=space, "+");
            parse_rfc3339_ms(&fixed)
        })
        .ok_or_else(|| AppError::BadRequest(format!("{name} must be an RFC 3339 timestamp")))
}

/// Parses `action`.
pub(crate) fn parse_action(text: &str) -> Result<Action, AppError> {
    Action::from_name(text).ok_or_else(|| {
        AppError::BadRequest(
            "action must be one of blocked, monitored, passed, allowed, denied, rate_limited"
                .into(),
        )
    })
}

impl ConsoleParams {
    /// The window (default: the hour up to now) and the filters; the step as given (ms).
    pub(crate) fn validate(self, now_ms: i64) -> Result<(Window, Filters, Option<i64>), AppError> {
        let to = match nonempty(self.to) {
            Some(text) => parse_time("to", &text)?,
            None => now_ms,
        };
        let from = match nonempty(self.from) {
            Some(text) => parse_time("from", &text)?,
            None => to - DEFAULT_WINDOW_MS,
        };
        if from >= to {
            return Err(AppError::BadRequest("from must be before to".into()));
        }
        let action = nonempty(self.action)
            .map(|a| parse_action(&a))
            .transpose()?;
        let step = match nonempty(self.step) {
            None => None,
            Some(text) => Some(parse_step(&text).ok_or_else(|| {
                AppError::BadRequest("step must be a duration such as 60s, 5m, 1h or 1d".into())
            })?),
        };
        let filters = Filters {
            group: nonempty(self.group),
            node: nonempty(self.node),
            application_id: nonempty(self.application_id),
            host: nonempty(self.host),
            action,
        };
        Ok((Window::new(from, to), filters, step))
    }
}

/// Parses a `before` cursor of `GET /api/verdicts` (`<time_ms>_<id>`, from a page's `next`).
pub(crate) fn parse_cursor(text: &str) -> Result<(i64, i64), AppError> {
    text.split_once('_')
        .and_then(|(t, id)| Some((t.parse().ok()?, id.parse().ok()?)))
        .ok_or_else(|| {
            AppError::BadRequest("before must be the next value of a previous page".into())
        })
}

/// Formats a cursor for `next`.
pub(crate) fn format_cursor((time_ms, id): (i64, i64)) -> String {
    format!("{time_ms}_{id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(from: Option<&str>, to: Option<&str>) -> ConsoleParams {
        ConsoleParams {
            from: from.map(Into::into),
            to: to.map(Into::into),
            ..ConsoleParams::default()
        }
    }

    #[test]
    fn window_defaults_and_errors() {
        let now = 10 * HOUR_MS + 30_000;
        let (w, f, step) = p(None, None).validate(now).unwrap();
        assert_eq!((w.from_ms, w.to_ms), (9 * HOUR_MS, 10 * HOUR_MS + 60_000));
        assert_eq!(f, Filters::default());
        assert_eq!(step, None);
        let (w, _, _) = p(
            Some("1970-01-01T00:00:00Z"),
            Some("1970-01-01T00:10:00 00:00"),
        )
        .validate(now)
        .unwrap();
        assert_eq!((w.from_ms, w.to_ms), (0, 600_000));
        let err = |params: ConsoleParams| params.validate(now).unwrap_err().to_string();
        assert_eq!(
            err(p(Some("yesterday"), None)),
            "from must be an RFC 3339 timestamp"
        );
        assert_eq!(err(p(None, Some("x"))), "to must be an RFC 3339 timestamp");
        assert_eq!(
            err(p(
                Some("1970-01-01T01:00:00Z"),
                Some("1970-01-01T00:00:00Z")
            )),
            "from must be before to"
        );
        let bad_action = ConsoleParams {
            action: Some("Blocked".into()),
            ..ConsoleParams::default()
        };
        assert!(err(bad_action).starts_with("action must be one of"));
        let bad_step = ConsoleParams {
            step: Some("soon".into()),
            ..ConsoleParams::default()
        };
        assert!(err(bad_step).starts_with("step must be"));
        assert_eq!(parse_cursor("123_45").unwrap(), (123, 45));
        assert!(parse_cursor("123").is_err());
        assert_eq!(format_cursor((1, 2)), "1_2");
    }
}
