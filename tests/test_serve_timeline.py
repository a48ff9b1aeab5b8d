"""The timeline's layout and the page's colours: geometry and contrast, without a browser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from onrecord.serve.corpus import RecordCorpus
from onrecord.serve.timeline import FACTUALITY_SHAPES, layout, parse_day
from tests.serve_fixtures import harbour_record

CSS = Path(__file__).resolve().parent.parent / "src" / "onrecord" / "serve" / "static" / "onrecord.css"


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2024", (2024, 1, 1)),
        ("2024-06", (2024, 6, 1)),
        ("2024-06-30", (2024, 6, 30)),
        ("2024-13", None),
        ("PRESENT_REF", None),
        ("", None),
        ("2024-W12", None),
    ],
)
def test_serve_timeline_reads_calendar_values_only(value, expected):
    day = parse_day(value)
    assert (day.year, day.month, day.day) == expected if expected else day is None


def test_serve_timeline_orders_events_by_date_and_shows_factuality_by_shape():
    events = RecordCorpus([harbour_record()]).events(limit=10, offset=0)
    timeline = layout(events)
    assert [mark.event.trigger for mark in timeline.marks] == ["signed", "run"]  # 2024-03-14, then 2024-06
    assert [mark.shape for mark in timeline.marks] == [
        FACTUALITY_SHAPES["asserted"],
        FACTUALITY_SHAPES["promised"],
    ]
    first, second = timeline.marks
    assert timeline.axis_left <= first.x < second.x <= timeline.axis_right
    assert first.y < second.y < timeline.height
    assert timeline.ticks and all(
        timeline.axis_left <= tick.x <= timeline.axis_right for tick in timeline.ticks
    )


def test_serve_timeline_keeps_undated_events_apart():
    events = RecordCorpus([harbour_record(published=None)]).events(limit=10, offset=0)
    timeline = layout(events)
    assert [mark.event.trigger for mark in timeline.marks] == ["run"]
    assert [event.trigger for event in timeline.undated] == ["signed"]


def test_serve_timeline_of_nothing_is_empty():
    timeline = layout([])
    assert timeline.marks == [] and timeline.ticks == [] and timeline.undated == []


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_serve_speaker_tints_keep_text_readable():
    tints = re.findall(r"\.sp-\d+ \{ background: (#[0-9a-f]{6}); \}", CSS.read_text())
    assert len(tints) == 8
    assert min(_contrast("#111111", tint) for tint in tints) >= 7  # WCAG AAA for body text


@pytest.mark.parametrize("name", ["ink", "muted", "link"])
def test_serve_text_colours_meet_wcag_aa_on_white(name):
    colour = re.search(rf"--{name}: (#[0-9a-f]{{3,6}});", CSS.read_text()).group(1)
    colour = "#" + "".join(c * 2 for c in colour[1:]) if len(colour) == 4 else colour
    assert _contrast(colour, "#ffffff") >= 4.5


@pytest.mark.parametrize(
    "first, last, label",
    [
        ("2023-01-05", "2024-08-20", "2023-02"),
        ("2015-03-01", "2024-08-20", "2016"),
        ("2024-03-12", "2024-04-01", "2024-03-12"),
        ("2024-03-12", "2024-03-13", "2024-03-12"),
    ],
)
def test_serve_timeline_ticks_stay_few_enough_to_read(first, last, label):
    from onrecord.serve.schemas import EventOut
    from onrecord.serve.timeline import MAX_TICKS

    def event(day: str) -> EventOut:
        return EventOut(
            document_id="d",
            id=day,
            type="AGREE",
            mode=None,
            trigger="signed",
            factuality="asserted",
            time_text=None,
            time_value=day,
            time_relation=None,
            actors=[],
            targets=[],
            locations=[],
            attributed_to=[],
            published=None,
            start=None,
            end=None,
            page="/documents/d",
        )

    timeline = layout([event(first), event(last)])
    assert 2 <= len(timeline.ticks) <= MAX_TICKS
    assert timeline.ticks[0].label == label
    assert [tick.x for tick in timeline.ticks] == sorted(tick.x for tick in timeline.ticks)
