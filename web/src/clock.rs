//! The console's clock: the browser's time, moved by an offset that a `?now=<RFC 3339 time>`
//! query parameter sets when the page loads.
//!
//! The core has no clock, so the browser owns it: every command is stamped with this time and
//! the scheduled checks fall due by it. Tests (and a reviewer trying a schedule) time-travel
//! by opening any page with `?now=2026-03-03T09:00:00Z`; the clock then runs on from that
//! moment for the whole session (navigation keeps it; a reload without the parameter ends it).
//! Commands never go back in time: the console clamps a stamp to the last command's time.

use chrono::{DateTime, Utc};
use std::cell::Cell;

thread_local! {
    /// Milliseconds added to the browser's time; read once from the address.
    static OFFSET_MS: Cell<Option<i64>> = const { Cell::new(None) };
}

/// The value of parameter `key` in a page address's query string (`?a=b&now=...`).
pub fn query_param<'a>(search: &'a str, key: &str) -> Option<&'a str> {
    search
        .trim_start_matches('?')
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == key)
        .map(|(_, value)| value)
}

/// The page address's query string ("" outside a browser).
pub fn page_query() -> String {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default()
}

/// The offset a page address's query string (`?a=b&now=...`) asks for, given the browser's
/// time: `Some(now - real)` in milliseconds, none without a readable `now` parameter.
pub fn offset_from_query(search: &str, real: DateTime<Utc>) -> Option<i64> {
    query_param(search, "now")
        .and_then(|value| {
            // `+` and `:` arrive percent-encoded when the address was built by a browser.
            let value = value
                .replace("%3A", ":")
                .replace("%3a", ":")
                .replace("%2B", "+")
                .replace("%2b", "+");
            DateTime::parse_from_rfc3339(&value).ok()
        })
        .map(|now| (now.with_timezone(&Utc) - real).num_milliseconds())
}

/// The browser's time without any offset.
fn real_now() -> DateTime<Utc> {
    DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
}

/// The offset in force: read from the address at the first call, then kept.
fn offset_ms() -> i64 {
    OFFSET_MS.with(|cell| match cell.get() {
        Some(offset) => offset,
        None => {
            let offset = offset_from_query(&page_query(), real_now()).unwrap_or(0);
            cell.set(Some(offset));
            offset
        }
    })
}

/// The console's time: the browser's, time-travelled by `?now=` when the page loaded.
pub fn now() -> DateTime<Utc> {
    real_now() + chrono::Duration::milliseconds(offset_ms())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn real() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
            .single()
            .unwrap_or_default()
    }

    #[test]
    fn a_now_parameter_moves_the_clock_by_its_distance_from_the_browsers_time() {
        let day = 24 * 3600 * 1000;
        for (search, offset) in [
            ("?now=2026-03-03T09:00:00Z", Some(day)),
            ("?tab=x&now=2026-03-01T09:00:00%2B00:00", Some(-day)),
            ("?now=2026-03-02T10%3A00%3A00Z", Some(3600 * 1000)),
            ("?now=tomorrow", None),
            ("?later=2026-03-03T09:00:00Z", None),
            ("", None),
        ] {
            assert_eq!(offset_from_query(search, real()), offset, "{search}");
        }
    }
}
