"""Event factuality read from the parse: certainty, polarity, future, intention, promise, condition,
hedges. Sentences written for these tests, not the ones the markers were chosen from."""

from __future__ import annotations

import pytest

from onrecord.analyse.event_factuality import (
    FactualityReading,
    content_factuality,
    read_factuality,
    record_factuality,
)


def _reading(nlp, text: str, predicate: str):
    doc = nlp(text)
    token = next(t for t in doc if t.text == predicate)
    return doc, read_factuality(token)


@pytest.mark.parametrize(("text", "predicate", "label"), [
    ("The railway company plans to close two depots.", "close", "intended"),
    ("The governor wants to rebuild the old harbour.", "rebuild", "intended"),
    ("The mayor promised to lower the water tariffs.", "lower", "promised"),
    ("The minister vowed to publish the report.", "publish", "promised"),
    ("Farmers may block the motorway again.", "block", "possible"),
    ("The union did not call a national strike.", "call", "negated"),
    ("The club never paid the transfer fee.", "paid", "negated"),
    ("The ferry reportedly sank near the coast.", "sank", "possible"),
    ("The parliament passed the budget on Friday.", "passed", "asserted"),
    ("The utility will raise its prices.", "raise", "intended"),
])
def test_factuality_record_label_follows_the_markers(nlp, text, predicate, label):
    _, reading = _reading(nlp, text, predicate)
    assert record_factuality(reading) == label


def test_factuality_intention_marks_the_future_not_the_past(nlp):
    _, wanted = _reading(nlp, "The airline hopes to resume flights.", "resume")
    _, done = _reading(nlp, "The airline resumed flights.", "resumed")
    assert wanted.intention and wanted.time == "future"
    assert not done.intention and done.time == "non_future"


def test_factuality_condition_clause_is_found_with_offsets(nlp):
    text = "If the talks fail, the government will impose a curfew."
    _, reading = _reading(nlp, text, "impose")
    assert reading.condition is not None
    start, end = reading.condition
    assert text[start:end].startswith("If the talks fail")
    assert record_factuality(reading) == "intended"


def test_factuality_condition_without_intention_makes_it_possible():
    reading = FactualityReading(condition=(0, 5))
    assert record_factuality(reading) == "possible"


def test_factuality_possibility_outranks_negation(nlp):
    _, reading = _reading(nlp, "It is possible that the plant will not reopen.", "reopen")
    assert reading.certainty == "possible" and reading.polarity == "neg"
    assert record_factuality(reading) == "possible"


def test_factuality_hedge_words_are_returned_with_offsets(nlp):
    text = "The senator allegedly accepted the payments."
    _, reading = _reading(nlp, text, "accepted")
    assert reading.certainty == "probable"
    assert [text[s:e] for s, e in reading.hedges] == ["allegedly"]


def test_factuality_refusal_negates_the_embedded_event(nlp):
    _, reading = _reading(nlp, "The bank refused to lend the money.", "lend")
    assert reading.polarity == "neg"


def test_factuality_reporting_verb_does_not_hedge_its_content(nlp):
    _, reading = _reading(nlp, "The police said the suspect escaped.", "escaped")
    assert record_factuality(reading) == "asserted"


def test_factuality_content_function_reads_a_reported_span(nlp):
    text = "The spokesman said the factory might close next spring."
    doc = nlp(text)
    start = text.index("the factory")
    label, hedges = content_factuality(doc, start, len(text) - 1)
    assert label == "possible" and [text[s:e] for s, e in hedges] == []
    assert content_factuality(doc, 0, 0) == ("asserted", [])
