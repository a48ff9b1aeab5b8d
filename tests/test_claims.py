"""Claim identity across articles: grouping, independent outlets, contradictions."""

from __future__ import annotations

import pytest

from onrecord.resolve.claims import Statement, content_words, contradictions, group_claims, polarity
from onrecord.resolve.event_identity import EventMention, group_events
from onrecord.store import Store

from .store_support import make_record
from .test_store import POSTGRES_URL, reset_postgres


def statement(number, speaker, content, outlet, document=None):
    return Statement(attribution_id=number, speaker=speaker, content=content, source_unit=outlet,
                     document=document or f"doc{number}")


def test_claims_a_quote_and_its_paraphrase_are_one_claim():
    claims = group_claims([
        (statement(1, "person:a", "We will close the steel plant in June", "Post"), "positive"),
        (statement(2, "person:a", "the company would close its steel plant in June", "Times"), "positive"),
        (statement(3, "person:a", "Wages at the plant will rise", "Times"), "positive"),
    ])
    assert [[m.attribution_id for m in claim.members] for claim in claims] == [[1, 2], [3]]
    assert claims[0].outlets == 2


def test_claims_another_speaker_saying_the_same_is_another_claim():
    claims = group_claims([(statement(1, "person:a", "The dam is safe for the winter", "Post"), "positive"),
                           (statement(2, "person:b", "The dam is safe for the winter", "Post"), "positive")])
    assert len(claims) == 2


def test_claims_syndicated_copies_count_as_one_outlet():
    claims = group_claims([(statement(1, "person:a", "Prices of bread will double", "Wire", "d1"), "positive"),
                           (statement(2, "person:a", "Prices of bread will double", "Wire", "d2"), "positive")])
    assert (claims[0].documents, claims[0].outlets) == (2, 1)


@pytest.mark.parametrize("content, factuality, cue, expected", [
    ("the mine was not flooded", "asserted", "said", "negative"),
    ("the mine was flooded", "asserted", "denied", "negative"),
    ("the mine wasn't flooded", "asserted", "said", "negative"),
    ("the mine was flooded", "negated", "said", "negative"),
    ("the mine was flooded", "asserted", "confirmed", "positive"),
])
def test_claims_polarity_reads_negation_and_denial(content, factuality, cue, expected):
    assert polarity(content, factuality, cue) == expected


def test_claims_negation_words_do_not_change_the_content_words():
    assert content_words("the mine was not flooded")[0] == content_words("the mine was flooded")[0]


def test_claims_contradictions_link_opposite_polarity_across_speakers():
    claims = group_claims([
        (statement(1, "person:a", "the mine was flooded on Monday", "Post"), "positive"),
        (statement(2, "person:b", "the mine was not flooded on Monday", "Times"), "negative"),
        (statement(3, "person:c", "the harvest was good this year", "Times"), "negative"),
    ])
    assert contradictions(claims) == [(0, 1)]


def test_claims_too_short_statements_are_not_claims():
    assert group_claims([(statement(1, "person:a", "Yes.", "Post"), "positive")]) == []


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_claims_store_ranks_by_independent_outlets_and_flags_contradictions(backend, tmp_path):
    url = str(tmp_path / "c.db") if backend == "sqlite" else POSTGRES_URL
    if backend == "postgresql":
        reset_postgres()
    with Store.open(url) as store:
        store.add_records([
            make_record("p1", [("Jane Doe", "said", "The ferry will run all winter")], outlet="Post"),
            make_record("p2", [("Jane Doe", "told reporters", "the ferry would run all winter")], outlet="Times",
                        published="2024-03-02"),
            make_record("p3", [("John Roe", "said", "The harbour fees are too high")], outlet="Post"),
            make_record("p4", [("John Roe", "denied", "the ferry will run all winter")], outlet="Gazette",
                        published="2024-03-05"),
        ])
        assert store.resolve_claims() == 3
        ranked = store.claims()
        assert (ranked[0].speaker, ranked[0].outlets, ranked[0].doc_ids) == ("Jane Doe", 2, ["p1", "p2"])
        assert ranked[0].contradicted and ranked[0].source_chains == [["Jane Doe"]]
        denial = next(claim for claim in ranked if claim.speaker == "John Roe" and claim.polarity == "negative")
        assert denial.contradicted_by == [ranked[0].id]
        assert [claim.speaker for claim in store.claims(contradicted_only=True)] == ["Jane Doe", "John Roe"]
        assert store.resolve_claims() == 3  # rebuilding replaces, never doubles
        assert len(store.claims(min_outlets=2)) == 1


def test_event_identity_groups_same_lemma_with_a_shared_participant():
    mentions = [EventMention("a#1", "a", "acquire", frozenset({"acme"}), "2024-03-01"),
                EventMention("b#4", "b", "acquire", frozenset({"acme", "globex"}), "2024-03-09"),
                EventMention("c#2", "c", "acquire", frozenset({"initech"})),
                EventMention("d#7", "d", "acquire", frozenset({"acme"}), "2025-01-01"),
                EventMention("e#1", "e", "sell", frozenset({"acme"}))]
    groups = sorted(sorted(group) for group in group_events(mentions))
    assert groups == [["a#1", "b#4"], ["c#2"], ["d#7"], ["e#1"]]

