"""MEANTIME cross-document event identity: the gold reader and the B-cubed scorer."""

from __future__ import annotations

import pytest

from onrecord.evaluate.event_identity import b_cubed, cross_document_links, read_corpus, read_gold


def test_event_identity_b_cubed_on_a_worked_example():
    gold = {"a": "1", "b": "1", "c": "2"}
    system = {"a": "x", "b": "y", "c": "y"}
    scores = b_cubed(gold, system)
    assert scores["precision"] == pytest.approx(2 / 3) and scores["recall"] == pytest.approx(2 / 3)
    assert b_cubed(gold, gold)["f1"] == pytest.approx(1.0)


def test_event_identity_cross_document_links_ignore_links_inside_one_article():
    gold = {"d1#1": "e", "d1#2": "e", "d2#1": "e"}
    document = {"d1#1": "d1", "d1#2": "d1", "d2#1": "d2"}
    system = {"d1#1": "g", "d1#2": "g", "d2#1": "h"}
    scores = cross_document_links(gold, system, document)
    assert (scores["gold_links"], scores["system_links"], scores["recall"]) == (2, 0, 0.0)


def test_event_identity_gold_mentions_point_into_the_rebuilt_text(shared):
    folder = shared / "data" / "meantime-en" / "corpus_airbus"
    article = read_gold(sorted(folder.glob("*.xml"))[0])
    assert article.mentions and article.creation_date and len(article.creation_date) == 10
    for mention in article.mentions:
        covered = article.text[mention.start:mention.end]
        assert covered.strip() == covered and covered and mention.instance


def test_event_identity_some_gold_events_span_several_articles(shared):
    articles = read_corpus(shared / "data" / "meantime-en")
    documents_per_instance: dict[str, set[str]] = {}
    for article in articles:
        for mention in article.mentions:
            documents_per_instance.setdefault(mention.instance, set()).add(article.name)
    assert len(articles) == 83
    assert sum(len(names) > 1 for names in documents_per_instance.values()) >= 10
