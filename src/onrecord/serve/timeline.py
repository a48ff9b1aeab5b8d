"""Lay out events on a time axis for a server-rendered SVG: geometry here, markup in the template.

One row per event, ordered by date; the marker's shape says its factuality, so the difference
between what happened and what was only promised or said to be possible is visible without colour.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from onrecord.serve.corpus import event_date
from onrecord.serve.schemas import EventOut

WIDTH = 960
LEFT, RIGHT = 40, 360  # room on the right for the row labels
TOP = 36
ROW = 26
# A "2024-06" label is ~50 px wide at 12 px; the axis is WIDTH - LEFT - RIGHT = 560 px, and
# beyond 7 ticks neighbouring labels touch.
MAX_TICKS = 7
# Within two months, month ticks would leave the axis bare: days are labelled instead.
SHORT_SPAN_DAYS = 62
FACTUALITY_SHAPES = {
    "asserted": "filled",
    "promised": "diamond",
    "intended": "square",
    "possible": "hollow",
    "negated": "cross",
}


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    shape: str
    date: str
    event: EventOut

    @property
    def label(self) -> str:
        who = ", ".join(self.event.actors)
        return f"{self.date} {self.event.type.lower()}: {self.event.trigger}" + (f" ({who})" if who else "")


@dataclass(frozen=True)
class Timeline:
    width: int
    height: int
    axis_y: float
    axis_left: float
    axis_right: float
    ticks: list[Tick]
    marks: list[Mark]
    undated: list[EventOut]


def parse_day(value: str) -> date | None:
    """'2024', '2024-03' or '2024-03-14' as the first day they name."""
    parts = value.split("-")
    try:
        numbers = [int(part) for part in parts]
        return date(numbers[0], numbers[1] if len(numbers) > 1 else 1, numbers[2] if len(numbers) > 2 else 1)
    except (ValueError, IndexError):
        return None


def _ticks(first: date, last: date, to_x) -> list[Tick]:
    span = (last - first).days
    if span > 2 * 365:
        points = [date(year, 1, 1) for year in range(first.year, last.year + 2)]
        label = "%Y"
    elif span <= SHORT_SPAN_DAYS:
        step_days = max(1, -(-span // (MAX_TICKS - 1)))
        points = [first + timedelta(days=n) for n in range(0, span + 1, step_days)]
        label = "%Y-%m-%d"
    else:
        points, month = [], date(first.year, first.month, 1)
        while month <= last:
            points.append(month)
            month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        label = "%Y-%m"
    points = [p for p in points if first <= p <= last] or [first]
    step = max(1, len(points) // MAX_TICKS + (len(points) % MAX_TICKS > 0))
    return [Tick(to_x(p), p.strftime(label)) for p in points[::step]]


def layout(events: list[EventOut]) -> Timeline:
    dated, undated = [], []
    for event in events:
        day = parse_day(event_date(event) or "")
        (dated if day else undated).append((day, event))
    dated.sort(key=lambda pair: (pair[0], pair[1].document_id, pair[1].start))
    axis_left, axis_right = LEFT, WIDTH - RIGHT
    if dated:
        first, last = dated[0][0], dated[-1][0]
        span = max((last - first).days, 1)

        def to_x(day: date) -> float:
            return round(axis_left + (day - first).days / span * (axis_right - axis_left), 1)

        ticks = _ticks(first, last, to_x)
    else:
        ticks, to_x = [], None
    marks = [
        Mark(
            to_x(day),
            TOP + ROW * (row + 1),
            FACTUALITY_SHAPES.get(event.factuality, "hollow"),
            event_date(event) or "",
            event,
        )
        for row, (day, event) in enumerate(dated)
    ]
    height = TOP + ROW * (len(marks) + 1) + 10
    return Timeline(WIDTH, height, TOP, axis_left, axis_right, ticks, marks, [event for _, event in undated])
