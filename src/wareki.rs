//! Dates in the Japanese era form (令和8年11月22日), as municipal pages write them.
//! Japan keeps no daylight saving, so Japan time is UTC+9 all year.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Utc};

/// Eras by first day, newest first; year 1 of an era is written 元年.
const ERAS: &[(&str, &str, (i32, u32, u32))] = &[
    ("令和", "Reiwa", (2019, 5, 1)),
    ("平成", "Heisei", (1989, 1, 8)),
    ("昭和", "Showa", (1926, 12, 25)),
];

/// Japan Standard Time.
pub fn jst() -> FixedOffset {
    FixedOffset::east_opt(9 * 3600).expect("+09:00 is a valid offset")
}

/// The calendar date in Japan of an RFC 3339 timestamp (or of a plain `YYYY-MM-DD`).
pub fn japan_date(timestamp: &str) -> Option<NaiveDate> {
    if let Ok(t) = DateTime::parse_from_rfc3339(timestamp) {
        return Some(t.with_timezone(&jst()).date_naive());
    }
    NaiveDate::parse_from_str(timestamp.get(..10)?, "%Y-%m-%d").ok()
}

/// 令和8年11月22日 for 2026-11-22.
pub fn format(date: NaiveDate) -> String {
    for (name, _, (y, m, d)) in ERAS {
        let start = NaiveDate::from_ymd_opt(*y, *m, *d).expect("era start dates are valid");
        if date >= start {
            let year = date.year() - y + 1;
            let year = if year == 1 {
                "元".to_string()
            } else {
                year.to_string()
            };
            return format!("{name}{year}年{}月{}日", date.month(), date.day());
        }
    }
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

/// The era form of a timestamp, or the text itself when it is not a date.
pub fn format_timestamp(timestamp: &str) -> String {
    japan_date(timestamp)
        .map(format)
        .unwrap_or_else(|| timestamp.to_string())
}

/// `2026-11-22` style date in Japan, for English pages.
pub fn format_iso(timestamp: &str) -> String {
    japan_date(timestamp)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| timestamp.to_string())
}

/// Now, as an RFC 3339 UTC timestamp with seconds.
pub fn now() -> String {
    Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn formats_eras_and_first_years() {
        assert_eq!(format(d(2026, 11, 22)), "令和8年11月22日");
        assert_eq!(format(d(2019, 5, 1)), "令和元年5月1日");
        assert_eq!(format(d(2019, 4, 30)), "平成31年4月30日");
        assert_eq!(format(d(1989, 1, 8)), "平成元年1月8日");
        assert_eq!(format(d(1989, 1, 7)), "昭和64年1月7日");
    }

    #[test]
    fn uses_the_date_in_japan() {
        // 20:00 UTC on the 21st is already the 22nd in Japan.
        assert_eq!(format_timestamp("2026-11-21T20:00:00Z"), "令和8年11月22日");
        assert_eq!(format_iso("2026-11-21T20:00:00Z"), "2026-11-22");
        assert_eq!(format_timestamp("2026-11-22"), "令和8年11月22日");
    }
}
