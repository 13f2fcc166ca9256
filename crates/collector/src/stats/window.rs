//! Time windows of the dashboard and how they map onto the rollups' buckets.
//!
//! Rollups keep counts in buckets of three widths ([`SPANS`]: a minute, an hour, a UTC day), so
//! a window is answered from the fewest rows: [`Window::pieces`] splits it into at most five
//! aligned pieces (minutes up to the first whole hour, hours up to the first whole day, whole
//! days, then hours and minutes again), each read from the buckets of its own width. The counts
//! are exact for windows on whole minutes; [`Window::new`] widens any window to whole minutes.

/// One minute in milliseconds: the finest bucket, and the smallest timeline step.
pub(crate) const MINUTE_MS: i64 = 60_000;
/// One hour in milliseconds.
pub(crate) const HOUR_MS: i64 = 3_600_000;
/// One UTC day in milliseconds.
pub(crate) const DAY_MS: i64 = 86_400_000;
/// Bucket widths kept by the rollups, widest first.
pub(crate) const SPANS: [i64; 3] = [DAY_MS, HOUR_MS, MINUTE_MS];

/// Timeline steps chosen automatically: the smallest that gives at most [`MAX_AUTO_POINTS`].
const AUTO_STEPS: [i64; 16] = [
    MINUTE_MS,
    2 * MINUTE_MS,
    5 * MINUTE_MS,
    10 * MINUTE_MS,
    15 * MINUTE_MS,
    30 * MINUTE_MS,
    HOUR_MS,
    2 * HOUR_MS,
    3 * HOUR_MS,
    6 * HOUR_MS,
    12 * HOUR_MS,
    DAY_MS,
    2 * DAY_MS,
    7 * DAY_MS,
    14 * DAY_MS,
    30 * DAY_MS,
];
/// Most points an automatic step gives (a window of exactly 2 h → 120 one-minute points).
pub(crate) const MAX_AUTO_POINTS: i64 = 120;
/// Most points a given `step` may give.
pub(crate) const MAX_POINTS: i64 = 2_000;

/// A time window `[from_ms, to_ms)`, both on whole minutes, `from_ms < to_ms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Window {
    pub from_ms: i64,
    pub to_ms: i64,
}

/// Rounds `t` down to a multiple of `span` (also for times before 1970).
pub(crate) fn floor_to(t: i64, span: i64) -> i64 {
    t - t.rem_euclid(span)
}

/// Rounds `t` up to a multiple of `span`.
pub(crate) fn ceil_to(t: i64, span: i64) -> i64 {
    let f = floor_to(t, span);
    if f == t {
        t
    } else {
        f.saturating_add(span)
    }
}

impl Window {
    /// The window from `from_ms` to `to_ms`, widened to whole minutes (at least one).
    pub(crate) fn new(from_ms: i64, to_ms: i64) -> Window {
        let from = floor_to(from_ms, MINUTE_MS);
        let to = ceil_to(to_ms, MINUTE_MS).max(from + MINUTE_MS);
        Window {
            from_ms: from,
            to_ms: to,
        }
    }

    /// Length in seconds (at least 60).
    pub(crate) fn seconds(&self) -> f64 {
        (self.to_ms - self.from_ms) as f64 / 1000.0
    }

    /// The window as `(span, start, end)` pieces, each `[start, end)` aligned to `span`,
    /// together covering the window exactly, in time order.
    pub(crate) fn pieces(&self) -> Vec<(i64, i64, i64)> {
        let mut out = Vec::with_capacity(5);
        decompose(self.from_ms, self.to_ms, &SPANS, &mut out);
        out
    }

    /// The timeline step for this window: `given` (a whole number of minutes, at most
    /// [`MAX_POINTS`] points), else the smallest of the usual steps giving at most
    /// [`MAX_AUTO_POINTS`] points.
    pub(crate) fn step(&self, given: Option<i64>) -> Result<i64, String> {
        let length = self.to_ms - self.from_ms;
        if let Some(step) = given {
            if step < MINUTE_MS || step % MINUTE_MS != 0 {
                return Err("step must be a whole number of minutes (e.g. 60s, 5m, 1h, 1d)".into());
            }
            if length / step > MAX_POINTS {
                return Err(format!(
                    "step too small for the window: more than {MAX_POINTS} points"
                ));
            }
            return Ok(step);
        }
        if let Some(step) = AUTO_STEPS
            .iter()
            .copied()
            .find(|step| ceil_to(length, *step) / step <= MAX_AUTO_POINTS)
        {
            return Ok(step);
        }
        // Longer than 120 × 30 days: the widest step, unless that is still too many points.
        let widest = 30 * DAY_MS;
        if length / widest > MAX_POINTS {
            return Err(format!(
                "window too long for a timeline: more than {MAX_POINTS} points"
            ));
        }
        Ok(widest)
    }
}

/// The widest rollup span that divides `step` (buckets of it add up to whole steps).
pub(crate) fn span_for_step(step: i64) -> i64 {
    SPANS
        .iter()
        .copied()
        .find(|span| step % span == 0)
        .unwrap_or(MINUTE_MS)
}

fn decompose(from: i64, to: i64, spans: &[i64], out: &mut Vec<(i64, i64, i64)>) {
    let Some((&span, narrower)) = spans.split_first() else {
        return;
    };
    if from >= to {
        return;
    }
    if narrower.is_empty() {
        out.push((span, from, to));
        return;
    }
    let (lo, hi) = (ceil_to(from, span), floor_to(to, span));
    if lo < hi {
        decompose(from, lo, narrower, out);
        out.push((span, lo, hi));
        decompose(hi, to, narrower, out);
    } else {
        decompose(from, to, narrower, out);
    }
}

/// Parses a step such as `90s`, `5m`, `1h`, `2d` or plain milliseconds into milliseconds.
pub(crate) fn parse_step(text: &str) -> Option<i64> {
    let (number, unit) = match text.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => text.split_at(i),
        None => (text, "ms"),
    };
    let n: i64 = number.parse().ok()?;
    let unit_ms = match unit {
        "ms" => 1,
        "s" => 1_000,
        "m" => MINUTE_MS,
        "h" => HOUR_MS,
        "d" => DAY_MS,
        _ => return None,
    };
    n.checked_mul(unit_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_cover_the_window_with_the_widest_buckets() {
        let day = DAY_MS;
        let w = Window::new(day + 5 * MINUTE_MS, 3 * day + 2 * HOUR_MS + 7 * MINUTE_MS);
        assert_eq!(
            w.pieces(),
            vec![
                (MINUTE_MS, day + 5 * MINUTE_MS, day + HOUR_MS),
                (HOUR_MS, day + HOUR_MS, 2 * day),
                (DAY_MS, 2 * day, 3 * day),
                (HOUR_MS, 3 * day, 3 * day + 2 * HOUR_MS),
                (
                    MINUTE_MS,
                    3 * day + 2 * HOUR_MS,
                    3 * day + 2 * HOUR_MS + 7 * MINUTE_MS
                ),
            ]
        );
        // Inside one hour: minutes only; contiguous and exact in every case.
        let w = Window::new(10 * MINUTE_MS + 1, 20 * MINUTE_MS - 1);
        assert_eq!(
            w.pieces(),
            vec![(MINUTE_MS, 10 * MINUTE_MS, 20 * MINUTE_MS)]
        );
        for (from, to) in [
            (0, 1),
            (-HOUR_MS - 1, 2 * DAY_MS + 1),
            (123_456_789, 987_654_321),
        ] {
            let w = Window::new(from, to);
            let p = w.pieces();
            assert_eq!(p.first().unwrap().1, w.from_ms);
            assert_eq!(p.last().unwrap().2, w.to_ms);
            assert!(p.windows(2).all(|x| x[0].2 == x[1].1));
            assert!(p.iter().all(|(s, a, b)| a % s == 0 && b % s == 0 && a < b));
        }
    }

    #[test]
    fn steps() {
        let hour = Window::new(0, HOUR_MS);
        assert_eq!(hour.step(None), Ok(MINUTE_MS));
        assert_eq!(Window::new(0, 30 * DAY_MS).step(None), Ok(6 * HOUR_MS));
        assert_eq!(Window::new(0, DAY_MS).step(None), Ok(15 * MINUTE_MS));
        assert_eq!(hour.step(Some(5 * MINUTE_MS)), Ok(5 * MINUTE_MS));
        assert!(hour.step(Some(1_000)).is_err());
        assert!(Window::new(0, 30 * DAY_MS).step(Some(MINUTE_MS)).is_err());
        // Year 1 to 9999: refused rather than answered with millions of points.
        assert!(Window::new(-62_135_596_800_000, 253_402_300_799_000)
            .step(None)
            .is_err());
        assert_eq!(
            Window::new(0, 200 * 30 * DAY_MS).step(None),
            Ok(30 * DAY_MS)
        );
        assert_eq!(span_for_step(6 * HOUR_MS), HOUR_MS);
        assert_eq!(span_for_step(2 * DAY_MS), DAY_MS);
        assert_eq!(span_for_step(15 * MINUTE_MS), MINUTE_MS);
        assert_eq!(parse_step("5m"), Some(5 * MINUTE_MS));
        assert_eq!(parse_step("90s"), Some(90_000));
        assert_eq!(parse_step("60000"), Some(60_000));
        assert_eq!(parse_step("1w"), None);
        assert_eq!(parse_step(""), None);
    }
}
