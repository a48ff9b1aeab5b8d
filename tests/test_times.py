"""Time expressions: detection in parsed text and TIMEX3-style values against the publication date.
The sentences are new ones, not those the rules were written from."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onrecord.analyse.times import normalise, time_expressions

PUBLISHED = "2024-05-15"  # a Wednesday


@pytest.mark.parametrize(("text", "value"), [
    ("Thursday", "2024-05-09"),  # the latest Thursday on or before publication, never the next one
    ("Wednesday", "2024-05-15"),
    ("last Wednesday", "2024-05-08"),
    ("next Monday", "2024-05-20"),
    ("last week", "2024-W19"),
    ("this month", "2024-05"),
    ("last year", "2023"),
    ("three months ago", "2024-02"),
    ("ten days ago", "2024-05-05"),
    ("November", "2023-11"),  # a later month without a year is last year's, unless the clause is future
    ("June 2", "2023-06-02"),
    ("2 March 2019", "2019-03-02"),
    ("the second quarter", "2024-Q2"),
    ("the end of the year", "2024-12-31"),
    ("the beginning of 2021", "2021"),
    ("the 1980s", "198"),
])
def test_times_normalise_resolves_against_the_publication_date(text, value):
    assert normalise(text, PUBLISHED).value == value


def test_times_normalise_last_week_crosses_the_year_in_iso_weeks():
    assert normalise("last week", "2024-01-03").value == "2023-W52"


def test_times_normalise_future_clause_moves_weekday_forward():
    assert normalise("Friday", PUBLISHED, future=True).value == "2024-05-17"


@pytest.mark.parametrize(("text", "kind", "value"), [
    ("six weeks", "DURATION", "P6W"),
    ("two hours", "DURATION", "PT2H"),
    ("a decade", "DURATION", "P10Y"),
    ("several years", "DURATION", "PXY"),
    ("every month", "SET", "P1M"),
    ("quarterly", "SET", "P1Q"),
    ("9:15 p.m. GMT", "TIME", "2024-05-15T21:15Z"),
    ("this evening", "TIME", "2024-05-15TEV"),
])
def test_times_normalise_durations_sets_and_clock_times(text, kind, value):
    result = normalise(text, PUBLISHED)
    assert (result.type, result.value) == (kind, value)


def test_times_without_publication_date_relative_values_stay_relative():
    for text in ("yesterday", "Tuesday", "last month", "two weeks ago"):
        result = normalise(text, None)
        assert result.value is None and result.anchored is False, text
    assert normalise("nowadays", None).value == "PRESENT_REF"
    absolute = normalise("14 July 1789", None)
    assert absolute.value == "1789-07-14" and absolute.anchored is False


def test_times_named_anchor_resolves_ordinal_day_only_when_given():
    anchors = {"the siege": "2020-03-01"}
    assert normalise("the fifth day of the siege", PUBLISHED, anchors).value == "2020-03-05"
    assert normalise("the fifth day of the siege", PUBLISHED, {}).value is None
    assert normalise("the start of the siege", PUBLISHED, anchors).value == "2020-03-01"


def test_times_bad_anchor_date_is_not_a_crash():
    assert normalise("the first day of the strike", PUBLISHED, {"the strike": "not a date"}).value is None


def _doc(nlp, text, published=PUBLISHED, anchors=None):
    doc = nlp.make_doc(text)
    doc._.publication_date = published
    doc._.anchors = anchors or {}
    doc._.warnings = []
    for _, component in nlp.pipeline:
        doc = component(doc)
    return doc


def test_times_deadline_has_relation_before_and_the_year_end(nlp):
    doc = _doc(nlp, "The ministry says the new bridge will open by the end of the year.")
    deadline = next(t for t in doc._.times if "end of the year" in t.text)
    assert deadline.relation == "before" and deadline.value == "2024-12-31" and deadline.anchored


def test_times_since_an_unnamed_beginning_stays_unresolved(nlp):
    doc = _doc(nlp, "Prices have doubled since the beginning of the crisis, traders said.")
    found = next(t for t in doc._.times if "beginning of the crisis" in t.text)
    assert found.relation == "since" and found.value is None and not found.anchored


def test_times_anchor_from_settings_dates_the_ordinal_day(nlp):
    doc = _doc(nlp, "On the third day of the blockade, trucks queued at the border.",
               anchors={"the blockade": "2021-11-08"})
    found = next(t for t in doc._.times if "third day" in t.text)
    assert found.value == "2021-11-10" and found.relation == "at"


def test_times_future_tense_sends_a_bare_weekday_forward(nlp):
    past = _doc(nlp, "The council voted on Monday.")
    future = _doc(nlp, "The council will vote on Monday.")
    assert [t.value for t in past._.times] == ["2024-05-13"]
    assert [t.value for t in future._.times] == ["2024-05-20"]


def test_times_ages_are_not_times(nlp):
    doc = _doc(nlp, "The driver, 45 years old, was unhurt.")
    assert all("old" not in t.text for t in doc._.times)


def test_times_empty_and_odd_documents_do_not_crash(nlp):
    assert _doc(nlp, "")._.times == []
    assert isinstance(_doc(nlp, "(((  ::: 12:99 13/45/2020 ''' by by since")._.times, list)


_WORDS = st.sampled_from(["On", "Tuesday", "the", "end", "of", "year", "by", "since", "last", "week", "3",
                          "March", "2020", "ago", "two", "days", "every", "month", "now", ",", ".", "9:30",
                          "p.m.", "invasion", "third", "day", "\n\n", "«", "\u2019"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_WORDS, max_size=25))
def test_times_offsets_always_point_into_the_text(nlp, words):
    text = " ".join(words)
    doc = _doc(nlp, text, anchors={"the invasion": "2022-02-24"})
    for expression in time_expressions(doc):
        assert text[expression.start:expression.end] == expression.text
        assert expression.text.strip()


def test_times_a_limit_in_a_present_clause_lies_ahead(nlp):
    ahead = _doc(nlp, "The museum stays closed until Friday.")
    behind = _doc(nlp, "The museum stayed closed until Friday.")
    assert [t.value for t in ahead._.times] == ["2024-05-17"]
    assert [t.value for t in behind._.times] == ["2024-05-10"]


def test_times_prices_and_index_points_are_not_clock_times(nlp):
    doc = _doc(nlp, "Shares rose 0.68 to 33.78, and the index closed at 8,579.19 at 4:30 p.m.")
    assert [t.text for t in doc._.times] == ["4:30 p.m."]
    assert doc._.times[0].value == "2024-05-15T16:30"


def test_times_uncounted_ago_is_a_past_reference():
    assert normalise("several months ago", PUBLISHED).value == "PAST_REF"
    assert normalise("years ago", None).value == "PAST_REF"


def test_times_own_patterns_are_found_as_a_scan_of_every_position_finds_them():
    """own_matches tries the patterns only at word starts: each pattern begins with \\b and a word
    character, so it finds exactly what _OWN.finditer finds."""
    from onrecord.analyse.times import _OWN, _OWN_PATTERNS, own_matches

    assert all(pattern.startswith(r"\b") for pattern in _OWN_PATTERNS)
    texts = ["(Monday) it rained; _today not, x3 days ago, 3 days ago; at 9.30 pm (UTC) and 14:05GMT.",
             "Every two weeks, the start of the last war-time year -- next Friday evening. 1200 hours",
             "the beginning of next year,end of this month;in the near future!Yesterday's 10am meeting"]

    @given(st.text(alphabet=" -_.:,()'0123456789aemnoptdyswkrh\n", max_size=80))
    @settings(max_examples=300, deadline=None)
    def agrees(text):
        assert [m.span() for m in own_matches(text)] == [m.span() for m in _OWN.finditer(text)]

    for text in texts:
        assert [m.span() for m in own_matches(text)] == [m.span() for m in _OWN.finditer(text)]
        assert list(own_matches(text))  # the sentences do hold times
    agrees()
