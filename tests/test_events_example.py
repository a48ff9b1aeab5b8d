"""The required events of the example article's gold reading (../shared/gold/belarus-iskander.json):
found with their arguments, attribution and factuality. Entities are matched by the gold's aliases."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from onrecord.settings import Settings
from tests.conftest import assert_offsets_hold


@pytest.fixture(scope="module")
def gold(shared):
    return json.loads((shared / "gold" / "belarus-iskander.json").read_text(encoding="utf-8"))


def _read(shared, published=None):
    from onrecord.ingest import read_inputs

    item = next(read_inputs([str(shared / "examples" / "belarus-iskander.txt")]))
    return replace(item.article, published=published) if published else item.article


@pytest.fixture(scope="module")
def record(shared):
    from onrecord.analyse.pipeline import Analyzer

    analyzer = Analyzer(Settings(anchors={"the invasion": "2022-02-24"}))
    return analyzer.analyze(_read(shared, "2023-03-20"))


def _gold_ids(record, gold) -> dict[str, str]:
    """Record entity id -> gold entity id, by name or alias."""
    mapping = {}
    for entity in record.entities:
        names = {entity.name.lower(), *(a.lower() for a in entity.aliases)}
        for wanted in gold["entities"]:
            if names & {wanted["name"].lower(), *(a.lower() for a in wanted["aliases"])}:
                mapping[entity.id] = wanted["id"]
                break
    return mapping


def _find(record, gold, kind, mode, **roles):
    ids = _gold_ids(record, gold)
    for event in record.events:
        if event.type != kind or event.mode != mode:
            continue
        if all(set(wanted) <= {ids.get(i) for i in getattr(event, role)} for role, wanted in roles.items()):
            return event, ids
    raise AssertionError(f"no {kind}/{mode} event with {roles}: "
                         f"{[(e.type, e.mode, e.trigger.text) for e in record.events]}")


def test_events_example_purchase_is_asserted_by_the_speaker(record, gold):
    event, ids = _find(record, gold, "AID", "purchase", actor=["russia"], target=["belarus"],
                       items=["iskander", "s-400"])
    assert event.factuality == "asserted"
    assert ids.get(event.attributed_to[0]) == "lukashenko"
    assert event.attribution is not None


def test_events_example_production_is_intended_by_the_publication_year_end(record, gold):
    event, ids = _find(record, gold, "MOBILIZE", "production", actor=["lukashenko"], items=["iskander"])
    assert event.factuality == "intended"
    assert event.time.relation == "before" and event.time.value == "2023-12-31"
    assert ids.get(event.attributed_to[0]) == "lukashenko"
    assert event.promise is True


def test_events_example_meeting_with_the_governor_is_the_outlets(record, gold):
    event, _ = _find(record, gold, "CONSULT", "meeting", actor=["lukashenko"], target=["nikitin"])
    assert event.factuality == "asserted" and event.attributed_to == []


def test_events_example_deployment_at_the_airfield_is_the_projects_word(record, gold):
    event, ids = _find(record, gold, "MOBILIZE", "deployment", items=["s-400", "iskander"],
                       location=["zyabrovka-airfield"])
    assert ids.get(event.attributed_to[0]) == "hajun"


def test_events_example_strike_is_dated_by_the_named_anchor(record, gold):
    event, _ = _find(record, gold, "ASSAULT", None, target=["zhytomyr-airport"])
    assert event.time.value == "2022-02-26" and "third day of the invasion" in event.time.text
    assert event.factuality == "asserted" and event.attributed_to == []


def test_events_example_without_anchor_or_date_nothing_is_guessed(analyzer, shared, gold):
    record = analyzer.analyze(_read(shared))
    strike, _ = _find(record, gold, "ASSAULT", None, target=["zhytomyr-airport"])
    production, _ = _find(record, gold, "MOBILIZE", "production", actor=["lukashenko"], items=["iskander"])
    assert strike.time.value is None
    assert production.time.relation == "before" and production.time.value is None
    assert_offsets_hold(record)
