//! RFC 3339 timestamps ↔ milliseconds since the Unix epoch, for every timestamp that crosses
//! the wire (a verdict's and a counter record's `time`, an IP-list entry's `expires`).
//!
//! The collector orders and filters verdicts by time, so it keeps each record's `time` as an
//! integer (UTC milliseconds) beside the record text; the filter writes `time` with
//! [`format_rfc3339_millis`]. Parsing by hand keeps a date crate out of
//! the build; only the RFC 3339 `date-time` production is accepted:
//! `YYYY-MM-DD(T|t| )HH:MM:SS[.fraction](Z|z|±HH:MM)`. Fractions are truncated to milliseconds.
//! A leap second (`:60`) is accepted and counts as the following second.

/// Parses an RFC 3339 `date-time` into UTC milliseconds since 1970-01-01T00:00:00Z.
///
/// Returns `None` for anything that is not a valid RFC 3339 timestamp (wrong shape, month 13,
/// February 30, offset hour 24, ...). Never panics, whatever the input.
pub fn parse_rfc3339_ms(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    let year = digits(b, 0, 4)?;
    let month = digits(b, 5, 2)?;
    let day = digits(b, 8, 2)?;
    let hour = digits(b, 11, 2)?;
    let minute = digits(b, 14, 2)?;
    let second = digits(b, 17, 2)?;
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    if !matches!(b.get(10), Some(b'T' | b't' | b' ')) {
        return None;
    }
    if b.get(13) != Some(&b':') || b.get(16) != Some(&b':') {
        return None;
    }
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }

    // Optional fraction: '.' then at least one digit; keep the first three as milliseconds.
    let mut pos = 19;
    let mut millis = 0i64;
    if b.get(pos) == Some(&b'.') {
        pos += 1;
        let start = pos;
        while let Some(c) = b.get(pos).filter(|c| c.is_ascii_digit()) {
            if pos - start < 3 {
                millis = millis * 10 + i64::from(c - b'0');
            }
            pos += 1;
        }
        let len = pos - start;
        if len == 0 {
            return None;
        }
        for _ in len..3 {
            millis *= 10;
        }
    }

    // Offset: Z, or ±HH:MM, and nothing after it.
    let offset_minutes: i64 = match b.get(pos) {
        Some(b'Z' | b'z') => {
            pos += 1;
            0
        }
        Some(&sign @ (b'+' | b'-')) => {
            let oh = digits(b, pos + 1, 2)?;
            let om = digits(b, pos + 4, 2)?;
            if b.get(pos + 3) != Some(&b':') || oh > 23 || om > 59 {
                return None;
            }
            pos += 6;
            let minutes = i64::from(oh * 60 + om);
            if sign == b'-' {
                -minutes
            } else {
                minutes
            }
        }
        _ => return None,
    };
    if pos != b.len() {
        return None;
    }

    let days = days_from_civil(i64::from(year), i64::from(month), i64::from(day));
    let seconds =
        days * 86_400 + i64::from(hour) * 3600 + i64::from(minute) * 60 + i64::from(second)
            - offset_minutes * 60;
    Some(seconds * 1000 + millis)
}

/// Reads `len` ASCII digits at `start` as a number; `None` when out of range or not digits.
fn digits(b: &[u8], start: usize, len: usize) -> Option<u32> {
    let slice = b.get(start..start.checked_add(len)?)?;
    slice.iter().try_fold(0u32, |acc, &c| {
        c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
    })
}

fn is_leap(year: u32) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Formats UTC milliseconds since the epoch as `YYYY-MM-DDTHH:MM:SSZ` (seconds precision; for
/// tables and logs). The inverse of [`parse_rfc3339_ms`] for whole seconds.
pub fn format_rfc3339_ms(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Formats UTC milliseconds since the epoch as `YYYY-MM-DDTHH:MM:SS.mmmZ` (for logs).
pub fn format_rfc3339_millis(ms: i64) -> String {
    let seconds = format_rfc3339_ms(ms);
    let base = seconds.strip_suffix('Z').unwrap_or(&seconds);
    format!("{base}.{:03}Z", ms.rem_euclid(1000))
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's
/// `civil_from_days`, inverse of [`days_from_civil`]).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}


#[cfg(test)]
mod tests {
    use super::{format_rfc3339_ms, parse_rfc3339_ms};

    #[test]
    fn format_round_trips() {
        for text in [
            "1970-01-01T00:00:00Z",
            "2000-02-29T23:59:59Z",
            "2026-12-06T06:18:10Z",
            "1969-12-31T23:59:59Z",
        ] {
            let ms = parse_rfc3339_ms(text).unwrap();
            assert_eq!(format_rfc3339_ms(ms), text);
        }
    }

    #[test]
    fn epoch_and_known_instants() {
        assert_eq!(parse_rfc3339_ms("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_rfc3339_ms("1970-01-01T00:00:00.001Z"), Some(1));
        // date -u -d 2026-11-25T22:08:02Z +%s → 1795644482
        assert_eq!(
            parse_rfc3339_ms("2026-11-25T22:08:02.123Z"),
            Some(1_795_644_482_123)
        );
        assert_eq!(
            parse_rfc3339_ms("2000-02-29T12:00:00Z"),
            Some(951_825_600_000)
        );
        assert_eq!(parse_rfc3339_ms("1969-12-31T23:59:59Z"), Some(-1000));
    }

    #[test]
    fn offsets_fractions_and_separators() {
        let z = parse_rfc3339_ms("2026-11-25T22:08:02Z");
        assert_eq!(parse_rfc3339_ms("2026-11-25T23:08:02+01:00"), z);
        assert_eq!(parse_rfc3339_ms("2026-11-25T20:38:02-01:30"), z);
        assert_eq!(parse_rfc3339_ms("2026-11-25t22:08:02z"), z);
        assert_eq!(parse_rfc3339_ms("2026-11-25 22:08:02Z"), z);
        assert_eq!(parse_rfc3339_ms("1970-01-01T00:00:00.5Z"), Some(500));
        assert_eq!(
            parse_rfc3339_ms("1970-01-01T00:00:00.123456789Z"),
            Some(123)
        );
    }

    #[test]
    fn rejects_malformed() {
        for bad in [
            "",
            "2026-11-25",
            "2026-11-25T22:08:02",
            "2026-11-25T22:08:02.Z",
            "2026-13-01T00:00:00Z",
            "2026-02-29T00:00:00Z",
            "2026-04-31T00:00:00Z",
            "2026-11-25T24:00:00Z",
            "2026-11-25T22:60:00Z",
            "2026-11-25T22:08:02+24:00",
            "2026-11-25T22:08:02+0100",
            "2026-11-25T22:08:02Zjunk",
            "2026/11/25T22:08:02Z",
            "２０２６-11-25T22:08:02Z",
            "+2026-11-25T22:08:02Z",
        ] {
            assert_eq!(parse_rfc3339_ms(bad), None, "{bad:?}");
        }
    }
}
