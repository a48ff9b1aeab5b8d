"""Datelines: a short line that is only a date (with an optional label, weekday, time and zone)
gives `published`.

Numeric dates are read day first ("12.03.2023" is 12 March): that is the convention of the
European and post-Soviet outlets onrecord reads, and of ISO-less English outside the US; month
first is used only when the day cannot come first ("03/25/2023"). A date needs its year: without
one the value would depend on the day the text is read. A date in the future is refused.
"""

from __future__ import annotations

import re
from datetime import date

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|" \
         r"sep(?:t|tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DATE_FORMS = [
    re.compile(rf"\b{_YEAR}-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}})(?=\b|T)", re.IGNORECASE),  # ISO 8601
    re.compile(rf"\b(?P<a>\d{{1,2}})(?P<sep>[./-])(?P<b>\d{{1,2}})(?P=sep){_YEAR}\b"),  # 12.03.2023
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE),  # 14 March 2023
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE),  # March 14, 2023
]
_LABEL = r"(?:published|updated|posted|date|last updated|modified|first published)\s*(?:on|at)?\s*:?"
# What else a dateline may hold: labels, weekdays, times, zones, city-free furniture.
_DATELINE_FURNITURE = re.compile(
    rf"{_LABEL}|\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|rsday|urday)?\b|"
    r"\b\d{1,2}[:.]\d\d(?::\d\d)?\s*(?:am|pm|a\.m\.|p\.m\.)?|\b(?:am|pm|gmt|utc|bst|cet|cest|eet|eest|msk|"
    r"est|edt|cst|cdt|pst|pdt|z|at|on|of|and|local time|kyiv time|moscow time)\b|[+-]\d{1,2}(?::?\d\d)?",
    re.IGNORECASE,
)
# A dateline is short: "Published: Tuesday, 14 March 2023, 10:15 GMT+2" is 7 words.
_MAX_DATELINE_WORDS = 10


def find_date(text: str) -> tuple[date, re.Match] | None:
    """The first well-formed date with a year in `text`, and where it was found."""
    best = None
    for number, form in enumerate(_DATE_FORMS):
        for match in form.finditer(text):
            value = _to_date(number, match)
            if value is not None and (best is None or match.start() < best[1].start()):
                best = (value, match)
                break
    return best


def _to_date(form: int, match: re.Match) -> date | None:
    year = int(match["year"])
    if form == 0:
        month, day = int(match["m"]), int(match["d"])
    elif form == 1:
        first, second = int(match["a"]), int(match["b"])
        day, month = (second, first) if second > 12 >= first else (first, second)
    else:
        month, day = _MONTHS[match["month"][:3].lower()], int(match["day"])
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_dateline(line: str, today: date | None = None) -> str | None:
    """Return YYYY-MM-DD if `line` is a dateline (a date and nothing but dateline furniture),
    else None. Never returns a future date."""
    if len(line.split(maxsplit=_MAX_DATELINE_WORDS)) > _MAX_DATELINE_WORDS:
        return None
    found = find_date(line)
    if found is None:
        return None
    value, match = found
    rest = _DATELINE_FURNITURE.sub(" ", line[:match.start()] + " " + line[match.end():])
    if re.search(r"[^\W\d_]{2,}", rest):
        return None  # other words: a sentence that mentions a date, not a dateline
    if value > (today or date.today()):
        return None
    return value.isoformat()
