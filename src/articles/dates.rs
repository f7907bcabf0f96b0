//! Date recognition and normalization to `YYYY-MM-DD`.

use std::sync::LazyLock;

use regex::Regex;

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

static ISO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[^\d]|$)").expect("valid regex")
});
static MONTH_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")
        .expect("valid regex")
});
static DAY_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([a-z]{3,9})\.?,?\s+(\d{4})\b")
        .expect("valid regex")
});

fn month_number(name: &str) -> Option<u32> {
    let lower = name.to_ascii_lowercase();
    let full = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let index = MONTHS.iter().position(|m| lower.starts_with(m))?;
    let ok = lower.len() == 3 || full[index].starts_with(&lower) || lower == "sept";
    ok.then_some(index as u32 + 1)
}

fn format(year: u32, month: u32, day: u32) -> Option<String> {
    let days = match month {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => return None,
    };
    ((1000..=2999).contains(&year) && (1..=days).contains(&day))
        .then(|| format!("{year:04}-{month:02}-{day:02}"))
}

/// The first date found in `text`, with its byte range.
pub(crate) fn find_date(text: &str) -> Option<(String, std::ops::Range<usize>)> {
    let mut best: Option<(String, std::ops::Range<usize>)> = None;
    let mut consider = |date: Option<String>, range: std::ops::Range<usize>| {
        if let Some(date) = date {
            if best.as_ref().is_none_or(|(_, r)| range.start < r.start) {
                best = Some((date, range));
            }
        }
    };
    for c in ISO.captures_iter(text) {
        let n = |i: usize| c[i].parse::<u32>().ok();
        consider(
            n(1).zip(n(2))
                .zip(n(3))
                .and_then(|((y, m), d)| format(y, m, d)),
            c.get(0).map_or(0, |m| m.start())..c.get(3).map_or(0, |m| m.end()),
        );
    }
    for c in MONTH_FIRST.captures_iter(text) {
        let date =
            month_number(&c[1]).and_then(|m| format(c[3].parse().ok()?, m, c[2].parse().ok()?));
        consider(date, c.get(0).map_or(0..0, |m| m.range()));
    }
    for c in DAY_FIRST.captures_iter(text) {
        let date =
            month_number(&c[2]).and_then(|m| format(c[3].parse().ok()?, m, c[1].parse().ok()?));
        consider(date, c.get(0).map_or(0..0, |m| m.range()));
    }
    best
}

/// `YYYY-MM-DD` when `value` holds a recognizable date, else the trimmed value itself.
pub(crate) fn normalize_date(value: &str) -> Option<String> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    Some(find_date(value).map_or_else(|| value.to_owned(), |(date, _)| date))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_date_forms_normalize_to_iso() {
        for (input, expected) in [
            ("2025-07-29", "2025-07-29"),
            ("2025-07-29T10:00:00+02:00", "2025-07-29"),
            ("July 29, 2025", "2025-07-29"),
            ("Jul. 29th 2025", "2025-07-29"),
            ("29 July 2025", "2025-07-29"),
            ("Published Sept 3, 2024", "2024-09-03"),
        ] {
            assert_eq!(
                normalize_date(input).as_deref(),
                Some(expected),
                "{input} is a date"
            );
        }
    }

    #[test]
    fn impossible_dates_and_plain_words_stay_as_text() {
        assert_eq!(
            normalize_date("2025-02-30").as_deref(),
            Some("2025-02-30"),
            "Feb 30 is not normalized"
        );
        assert_eq!(find_date("Spring 12, 2025"), None, "Spring is no month");
        assert_eq!(normalize_date("  "), None, "blank is no date");
    }
}
