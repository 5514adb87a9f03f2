//! Wall-clock timestamps in the formats thanks.io returns, without a date-time dependency.
//!
//! Expiry uses `Instant` elsewhere; this module is only for the timestamps shown in JSON.

use std::time::{SystemTime, UNIX_EPOCH};

pub(crate) fn now_unix() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// Seconds since the epoch with microseconds, as Passport writes `iat`/`exp`.
pub(crate) fn now_unix_precise() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_micros() as f64 / 1e6)
}

/// `2025-09-08T16:05:12.000000Z`, Laravel's default JSON serialization.
pub(crate) fn iso(ts: i64) -> String {
    let (y, m, d, hh, mm, ss) = split(ts);
    format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}.000000Z")
}

/// `2025-09-08 16:05:12`, the format of `updated_since` and older fields.
pub(crate) fn datetime(ts: i64) -> String {
    let (y, m, d, hh, mm, ss) = split(ts);
    format!("{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}:{ss:02}")
}

/// `2025-09-08`.
pub(crate) fn date(ts: i64) -> String {
    let (y, m, d, ..) = split(ts);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Parses `YYYY-MM-DD HH:MM:SS` or `YYYY-MM-DD` (UTC).
pub(crate) fn parse_datetime(s: &str) -> Option<i64> {
    let s = s.trim();
    let (day, time) = s.split_once(' ').unwrap_or((s, "00:00:00"));
    let days = parse_day(day)?;
    let mut parts = time.split(':').map(|p| p.parse::<i64>().ok());
    let (h, m, sec) = (parts.next()??, parts.next()??, parts.next()??);
    if parts.next().is_some()
        || !(0..24).contains(&h)
        || !(0..60).contains(&m)
        || !(0..60).contains(&sec)
    {
        return None;
    }
    Some(days * 86_400 + h * 3600 + m * 60 + sec)
}

/// Days since the epoch for a valid `YYYY-MM-DD`.
pub(crate) fn parse_day(s: &str) -> Option<i64> {
    let mut it = s.split('-');
    let (y, m, d) = (it.next()?, it.next()?, it.next()?);
    if it.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (y, m, d) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let days = days_from_civil(y, m, d);
    // Round-tripping rejects 2025-02-30 and friends.
    (civil_from_days(days) == (y, m, d)).then_some(days)
}

fn split(ts: i64) -> (i64, u32, u32, i64, i64, i64) {
    let (days, secs) = (ts.div_euclid(86_400), ts.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    (y, m, d, secs / 3600, secs % 3600 / 60, secs % 60)
}

// Howard Hinnant's civil-calendar algorithms (proleptic Gregorian, days since 1970-01-01).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = (if y >= 0 { y } else { y - 399 }) / 400;
    let yoe = y - era * 400;
    let mp = i64::from(if m > 2 { m - 3 } else { m + 9 });
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = (if z >= 0 { z } else { z - 146_096 }) / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
    let m = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(iso(0), "1970-01-01T00:00:00.000000Z");
        assert_eq!(iso(1_700_000_000), "2023-11-14T22:13:20.000000Z");
        assert_eq!(datetime(951_782_400), "2000-02-29 00:00:00");
        assert_eq!(date(-86_400), "1969-12-31");
    }

    #[test]
    fn parses_and_rejects() {
        assert_eq!(parse_datetime("2023-11-14 22:13:20"), Some(1_700_000_000));
        assert_eq!(parse_datetime("1970-01-02"), Some(86_400));
        assert_eq!(parse_datetime("2025-02-30 00:00:00"), None);
        assert_eq!(parse_datetime("2025-01-01 24:00:00"), None);
        assert_eq!(parse_datetime("yesterday"), None);
    }
}
