//! The JSON text of a command's and an audit entry's time, written without
//! `core::fmt`: the bytes chrono's `Serialize` writes (RFC 3339, seconds
//! as `SecondsFormat::AutoSi`, `Z` for UTC), which every command hash,
//! audit leaf and event list holds.
//!
//! chrono writes a time through `Display` and serde_json's `collect_str`,
//! one formatter call a character: about 5% of `executeAll` from JS, three
//! times a command (its hash, its entry's leaf, the entry in the result;
//! issue 19). Years outside 0 to 9999 (which chrono writes with a sign)
//! are left to chrono.

use chrono::{DateTime, Datelike, Timelike, Utc};
use serde::Serializer;

/// Serialises `at` as chrono does (`#[serde(serialize_with)]`).
pub(crate) fn serialize<S: Serializer>(
    at: &DateTime<Utc>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match Text::of(at).as_ref().and_then(Text::as_str) {
        Some(s) => serializer.serialize_str(s),
        None => serde::Serialize::serialize(at, serializer),
    }
}

/// The longest text: `9999-12-31T23:59:60.999999999Z` (30 bytes).
const LONGEST: usize = 30;

/// An RFC 3339 time being written (ASCII only).
struct Text {
    bytes: [u8; LONGEST],
    len: usize,
}

impl Text {
    /// The text of `at` as chrono writes it, or None for a year outside 0 to 9999.
    fn of(at: &DateTime<Utc>) -> Option<Text> {
        let year = u32::try_from(at.year()).ok().filter(|y| *y <= 9999)?;
        let mut nano = at.nanosecond();
        let mut sec = at.second();
        // A leap second: chrono keeps it as 59 s and a second's nanoseconds more.
        if nano >= 1_000_000_000 {
            sec += 1;
            nano -= 1_000_000_000;
        }
        let mut t = Text {
            bytes: [0; LONGEST],
            len: 0,
        };
        t.digits(year, 4);
        t.push(b'-');
        t.digits(at.month(), 2);
        t.push(b'-');
        t.digits(at.day(), 2);
        t.push(b'T');
        t.digits(at.hour(), 2);
        t.push(b':');
        t.digits(at.minute(), 2);
        t.push(b':');
        t.digits(sec, 2);
        // AutoSi: as few digits of 3, 6 or 9 as the value needs.
        if nano != 0 {
            t.push(b'.');
            if nano.is_multiple_of(1_000_000) {
                t.digits(nano / 1_000_000, 3);
            } else if nano.is_multiple_of(1_000) {
                t.digits(nano / 1_000, 6);
            } else {
                t.digits(nano, 9);
            }
        }
        t.push(b'Z');
        Some(t)
    }

    fn push(&mut self, byte: u8) {
        if let Some(slot) = self.bytes.get_mut(self.len) {
            *slot = byte;
            self.len += 1;
        }
    }

    /// `n` in `width` decimal digits, zero-padded (`n` has at most `width`).
    fn digits(&mut self, n: u32, width: u32) {
        let mut unit = 10u32.pow(width.saturating_sub(1));
        while unit > 0 {
            // A digit: below 10, so the cast is exact.
            self.push(b'0' + (n / unit % 10) as u8);
            unit /= 10;
        }
    }

    fn as_str(&self) -> Option<&str> {
        std::str::from_utf8(self.bytes.get(..self.len)?).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone};
    use proptest::prelude::*;

    #[derive(serde::Serialize)]
    struct Fast(#[serde(serialize_with = "serialize")] DateTime<Utc>);

    /// The JSON this module writes for `at` is chrono's, byte for byte.
    fn check(at: DateTime<Utc>) {
        let chrono = serde_json::to_string(&at).unwrap_or_default();
        assert_eq!(serde_json::to_string(&Fast(at)).unwrap_or_default(), chrono);
    }

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32, nano: u32) -> DateTime<Utc> {
        let naive = NaiveDate::from_ymd_opt(y, mo, d)
            .and_then(|d| d.and_hms_nano_opt(h, mi, s, nano))
            .unwrap_or_default();
        Utc.from_utc_datetime(&naive)
    }

    #[test]
    fn every_kind_of_time_is_written_as_chrono_writes_it() {
        for t in [
            at(2026, 3, 2, 9, 0, 0, 0),
            at(2026, 12, 31, 23, 59, 59, 120_000_000),
            at(2026, 1, 1, 0, 0, 1, 450_000),
            at(2026, 1, 1, 0, 0, 1, 7),
            at(2016, 12, 31, 23, 59, 59, 1_000_000_000),
            at(2016, 12, 31, 23, 59, 59, 1_500_000_001),
            at(0, 1, 1, 0, 0, 0, 0),
            at(9999, 12, 31, 23, 59, 59, 999_999_999),
            at(10_000, 1, 1, 0, 0, 0, 0),
            at(-1, 6, 15, 12, 30, 0, 0),
        ] {
            check(t);
        }
    }

    proptest! {
        #[test]
        fn any_time_is_written_as_chrono_writes_it(
            secs in -70_000_000_000i64..300_000_000_000i64,
            nano in prop_oneof![
                Just(0u32),
                (0u32..1000).prop_map(|m| m * 1_000_000),
                (0u32..1_000_000).prop_map(|u| u * 1000),
                0u32..1_000_000_000,
            ],
        ) {
            if let Some(t) = DateTime::from_timestamp(secs, nano) {
                check(t);
            }
        }
    }
}
