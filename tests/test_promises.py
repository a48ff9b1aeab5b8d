"""Promises listed from a record, and which fell due by a date."""

from __future__ import annotations

from datetime import date

import pytest

from onrecord.analyse.promises import days_overdue, deadline_day, fell_due, promises
from onrecord.model import DocumentInfo, Event, Offsets, Record, Span, TimeRef


@pytest.mark.parametrize(("value", "day"), [
    ("2024-03-05", date(2024, 3, 5)),
    ("2024-02", date(2024, 2, 29)),
    ("2024", date(2024, 12, 31)),
    ("2024-Q3", date(2024, 9, 30)),
    ("2024-W01", date(2024, 1, 7)),
    ("2024-H1", date(2024, 6, 30)),
    ("FUTURE_REF", None),
    (None, None),
    ("2024-13", None),
])
def test_promises_deadline_is_the_last_day_of_the_named_period(value, day):
    assert deadline_day(value) == day


def _record(*deadlines):
    events = [Event(id=f"v{i}", type="AGREE", trigger=Span(start=0, end=1, text="x"), evidence=Offsets(start=0, end=1),
                    factuality="promised", promise=value is not None,
                    time=TimeRef(text="by then", value=value, relation="before") if value else None)
              for i, value in enumerate(deadlines, 1)]
    return Record(document=DocumentInfo(id="d"), text="x", events=events)


def test_promises_fell_due_lists_only_passed_deadlines_in_order():
    record = _record("2025-06", "2024-12-31", None, "2030")
    assert [e.time.value for e in promises(record)] == ["2024-12-31", "2025-06", "2030"]
    assert [e.id for e in fell_due(record, "2025-07-01")] == ["v2", "v1"]
    assert fell_due(record, date(2024, 1, 1)) == []
    assert days_overdue(promises(record)[0], date(2025, 1, 10)) == 10
