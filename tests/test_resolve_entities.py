"""Cross-article entity identity (resolve/entities.py), on entities built by hand."""

from __future__ import annotations

from onrecord.analyse.entities import matching_key
from onrecord.model import DocumentInfo, Entity, Mention, Record
from onrecord.resolve.entities import EntityResolver, resolve_corpus


def _entity(entity_id, entity_type, name, aliases=(), roles=()):
    return Entity(id=entity_id, type=entity_type, name=name, aliases=list(aliases), roles=list(roles),
                  mentions=[Mention(start=0, end=len(name), text=name)], key=matching_key(name, entity_type))


def _record(doc_id, *entities):
    return Record(document=DocumentInfo(id=doc_id), text="x" * 200, entities=list(entities))


def test_resolve_entities_spelling_variants_across_articles_share_an_id():
    ids = resolve_corpus([
        _record("a", _entity("e1", "PERSON", "Volodymyr Zelensky"), _entity("e2", "GPE", "Kiev")),
        _record("b", _entity("e1", "PERSON", "Volodymyr Zelenskyy"), _entity("e2", "GPE", "Kyiv")),
        _record("c", _entity("e1", "PERSON", "Zelenskiy")),
    ])
    assert ids[("a", "e1")] == ids[("b", "e1")] == ids[("c", "e1")]
    assert ids[("a", "e2")] == ids[("b", "e2")]


def test_resolve_entities_different_first_names_stay_apart():
    ids = resolve_corpus([
        _record("a", _entity("e1", "PERSON", "Alexander Novak")),
        _record("b", _entity("e1", "PERSON", "Alexandra Novak")),
        _record("c", _entity("e1", "PERSON", "Ivan Novak", roles=["father"]),
                _entity("e2", "PERSON", "Mykola Novak", roles=["son"])),
    ])
    assert len({ids[("a", "e1")], ids[("b", "e1")], ids[("c", "e1")], ids[("c", "e2")]}) == 4


def test_resolve_entities_surname_alone_follows_context():
    resolver = EntityResolver()
    resolver.add(_record("a", _entity("e1", "PERSON", "Ivan Novak", roles=["mayor of Lviv"]),
                         _entity("e2", "GPE", "Lviv")))
    resolver.add(_record("b", _entity("e1", "PERSON", "Mykola Novak", roles=["footballer"]),
                         _entity("e2", "ORG", "Dynamo Kyiv")))
    later = resolver.add(_record("c", _entity("e1", "PERSON", "Novak", roles=["mayor"]),
                                 _entity("e2", "GPE", "Lviv")))
    first = resolver.add(_record("d", _entity("e1", "PERSON", "Ivan Novak")))
    assert later["e1"] == first["e1"]


def test_resolve_entities_types_are_kept_apart_but_places_are_one_family():
    ids = resolve_corpus([
        _record("a", _entity("e1", "PERSON", "Jordan"), _entity("e2", "LOC", "Crimea")),
        _record("b", _entity("e1", "GPE", "Jordan"), _entity("e2", "GPE", "Crimea")),
    ])
    assert ids[("a", "e1")] != ids[("b", "e1")]
    assert ids[("a", "e2")] == ids[("b", "e2")]


def test_resolve_entities_acronym_joins_the_full_name():
    ids = resolve_corpus([
        _record("a", _entity("e1", "ORG", "National Transportation Safety Board")),
        _record("b", _entity("e1", "ORG", "NTSB")),
    ])
    assert ids[("a", "e1")] == ids[("b", "e1")]


def test_resolve_entities_ids_are_stable_and_assigned():
    records = [_record("a", _entity("e1", "ORG", "Belavia")), _record("b", _entity("e1", "ORG", "Belavia"))]
    first = resolve_corpus(records)
    again = resolve_corpus([_record("a", _entity("e1", "ORG", "Belavia")),
                            _record("b", _entity("e1", "ORG", "Belavia"))])
    assert first == again
    assert records[0].entities[0].corpus_id == first[("a", "e1")]


def test_resolve_entities_empty_input():
    assert resolve_corpus([]) == {}
    assert EntityResolver().add(_record("a")) == {}


def test_resolve_entities_country_names_and_abbreviations_meet():
    ids = resolve_corpus([
        _record("a", _entity("e1", "GPE", "U.S.")),
        _record("b", _entity("e1", "GPE", "United States")),
        _record("c", _entity("e1", "GPE", "Britain")),
        _record("d", _entity("e1", "GPE", "United Kingdom")),
    ])
    assert ids[("a", "e1")] == ids[("b", "e1")]
    assert ids[("c", "e1")] == ids[("d", "e1")] != ids[("a", "e1")]


def test_resolve_entities_legal_form_endings_do_not_split_a_company():
    ids = resolve_corpus([
        _record("a", _entity("e1", "ORG", "Skoda Auto Group")),
        _record("b", _entity("e1", "ORG", "Skoda Auto")),
        _record("c", _entity("e1", "ORG", "Skoda Transportation")),
    ])
    assert ids[("a", "e1")] == ids[("b", "e1")] != ids[("c", "e1")]
