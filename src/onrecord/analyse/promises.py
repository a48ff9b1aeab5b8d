"""Promises: events someone committed to with a deadline, and which of them fell due by a date.

`Event.promise` marks them (see events.is_promise); the deadline is `Event.time.value` with relation
"before". A TIMEX3 value names a period ("2024", "2024-03", "2024-W10", "2024-Q2"); a promise made "by"
that period falls due on its last day.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from onrecord.model import Event, Record


def deadline_day(value: str | None) -> date | None:
    """The last day of the period a TIMEX3 value names, or None for relative or unknown values."""
    if not value:
        return None
    if match := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value):
        try:
            return date(*(int(part) for part in match.groups()))
        except ValueError:
            return None
    if match := re.fullmatch(r"(\d{4})-(\d{2})", value):
        year, month = int(match.group(1)), int(match.group(2))
        return date(year, month, calendar.monthrange(year, month)[1]) if 1 <= month <= 12 else None
    if match := re.fullmatch(r"(\d{4})-W(\d{2})(?:-WE)?", value):
        try:
            return date.fromisocalendar(int(match.group(1)), int(match.group(2)), 7)
        except ValueError:
            return None
    if match := re.fullmatch(r"(\d{4})-Q([1-4])", value):
        year, quarter = int(match.group(1)), int(match.group(2))
        return date(year, quarter * 3, calendar.monthrange(year, quarter * 3)[1])
    if match := re.fullmatch(r"(\d{4})-H([12])", value):
        year = int(match.group(1))
        return date(year, 6, 30) if match.group(2) == "1" else date(year, 12, 31)
    if match := re.fullmatch(r"(\d{4})(?:-(?:SP|SU|FA|WI))?", value):
        return date(int(match.group(1)), 12, 31)
    return None


def promises(record: Record) -> list[Event]:
    """The record's promises, earliest deadline first (unknown deadlines last)."""
    found = [event for event in record.events if event.promise]
    return sorted(found, key=lambda e: (deadline_day(e.time.value if e.time else None) or date.max, e.id))


def fell_due(record: Record, by: str | date) -> list[Event]:
    """The promises whose deadline passed on or before `by` (YYYY-MM-DD)."""
    limit = by if isinstance(by, date) else date.fromisoformat(by)
    return [event for event in promises(record)
            if (day := deadline_day(event.time.value if event.time else None)) is not None and day <= limit]


def days_overdue(event: Event, on: date) -> int | None:
    """How many days past its deadline a promise is on `on` (negative while still open)."""
    day = deadline_day(event.time.value if event.time else None)
    return None if day is None else (on - day) // timedelta(days=1)
