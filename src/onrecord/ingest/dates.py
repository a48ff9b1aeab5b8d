"""Datelines: a short line that is only a date (with an optional label and time) gives `published`."""

from __future__ import annotations

import re
import warnings
from datetime import datetime

_MONTHS = (r"jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t|tember)?|"
           r"oct(ober)?|nov(ember)?|dec(ember)?")
_LABEL = r"(?:published|updated|posted|date|last updated|modified)\s*(?:on|at)?\s*:?\s*"
_DATE_SHAPE = re.compile(
    rf"\b(?:\d{{1,4}}[./-]\d{{1,2}}[./-]\d{{1,4}}|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})\.?|(?:{_MONTHS})\.?\s+\d{{1,2}})",
    re.IGNORECASE,
)
# A dateline is short: "Published: Tuesday, 14 March 2023, 10:15 GMT+2" is 8 words.
_MAX_DATELINE_WORDS = 10


def parse_dateline(line: str, now: datetime | None = None) -> str | None:
    """Return YYYY-MM-DD if `line` is a dateline, else None. Never returns a future date."""
    if len(line.split()) > _MAX_DATELINE_WORDS or not _DATE_SHAPE.search(line):
        return None
    stripped = re.sub(rf"^{_LABEL}", "", line, flags=re.IGNORECASE)
    if re.search(r"[a-z]{3,}", re.sub(rf"\b(?:{_MONTHS}|mon|tue|wed|thu|fri|sat|sun)[a-z]*\b|\b(?:am|pm|gmt|utc|at|of|on|kyiv|time|msk|cet|cest|eet|eest)\b", "", stripped, flags=re.IGNORECASE), re.IGNORECASE):
        return None  # words other than dates and times: a sentence, not a dateline
    import dateparser

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = dateparser.parse(stripped, languages=["en"],
                                  settings={"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False})
    if parsed is None or parsed > (now or datetime.now()):
        return None
    return parsed.date().isoformat()
