"""Rule coreference (analyse/coref.py): the API the attribution extractor calls."""

from __future__ import annotations

import re

import pytest

from onrecord.analyse.coref import entity_for_phrase, resolve_reference


def _entity(doc, entity_id):
    return next(e for e in doc._.entities if e.id == entity_id)


def _offsets(doc, phrase, occurrence=0):
    match = list(re.finditer(rf"\b{re.escape(phrase)}\b", doc.text))[occurrence]
    return match.start(), match.end()


@pytest.fixture(scope="module")
def entities_only(nlp):
    """The pipeline up to the entities: later components (attribution) also call entity_for_phrase."""
    later = [name for name in nlp.pipe_names
             if name.startswith("onrecord_") and name not in ("onrecord_paragraphs", "onrecord_entities")]

    def parse(text):
        with nlp.select_pipes(disable=later):
            return nlp(text)
    return parse


@pytest.fixture(scope="module")
def story(nlp):
    return nlp("Maria Kowalska, a spokeswoman for the Polish Ministry of Finance, met Tomasz Nowak in Warsaw. "
               "The ministry said the talks were useful. Nowak said he would return. "
               "She said the Vistula Data project had ended. The project noted that the funds were spent.")


def test_coref_name_mention_resolves_to_its_entity(story):
    entity_id = resolve_reference(story, *_offsets(story, "Nowak", 1))
    assert _entity(story, entity_id).name == "Tomasz Nowak"


def test_coref_he_goes_to_the_nearest_man(story):
    entity_id = resolve_reference(story, *_offsets(story, "he"))
    assert _entity(story, entity_id).name == "Tomasz Nowak"


def test_coref_she_skips_the_man_and_finds_the_spokeswoman(story):
    entity_id = resolve_reference(story, *_offsets(story, "She"))
    assert _entity(story, entity_id).name == "Maria Kowalska"


def test_coref_the_ministry_and_the_project_find_their_organisations(story):
    ministry = _entity(story, resolve_reference(story, *_offsets(story, "The ministry")))
    assert "Ministry of Finance" in ministry.name
    project = _entity(story, resolve_reference(story, *_offsets(story, "The project")))
    assert project.name == "Vistula Data"


def test_coref_description_mentions_are_added_to_the_entity(story):
    project = next(e for e in story._.entities if e.name == "Vistula Data")
    assert ("The project", "description") in {(m.text, m.kind) for m in project.mentions}


def test_coref_unknown_reference_is_none(entities_only):
    doc = entities_only("It rained all day in the valley.")
    assert resolve_reference(doc, *_offsets(doc, "It")) is None


def test_coref_the_president_needs_someone_with_that_role(entities_only):
    doc = entities_only("Anna Berg met the farmers. The president said nothing.")
    assert resolve_reference(doc, *_offsets(doc, "The president")) is None
    doc = entities_only("President Karl Lind met the farmers. The president said nothing.")
    assert _entity(doc, resolve_reference(doc, *_offsets(doc, "The president"))).name == "Karl Lind"


def test_coref_entity_for_phrase_adds_a_missed_speaker_once(entities_only):
    doc = entities_only("A local official told reporters the road was closed. The official said it would reopen.")
    before = len(doc._.entities)
    new_id = entity_for_phrase(doc, *_offsets(doc, "A local official"), type_hint="PERSON")
    assert len(doc._.entities) == before + 1
    added = _entity(doc, new_id)
    assert added.type == "PERSON" and doc.text[added.mentions[0].start:added.mentions[0].end] == "A local official"
    assert entity_for_phrase(doc, *_offsets(doc, "A local official")) == new_id


def test_coref_entity_for_phrase_reuses_an_existing_entity(story):
    count = len(story._.entities)
    assert _entity(story, entity_for_phrase(story, *_offsets(story, "Nowak", 1))).name == "Tomasz Nowak"
    assert len(story._.entities) == count


@pytest.mark.parametrize("start, end", [(0, 0), (5, 2), (0, 10_000)])
def test_coref_bad_offsets_do_not_crash(story, start, end):
    result = resolve_reference(story, start, end)
    assert result is None or result.startswith("e")


def test_coref_entity_for_phrase_refuses_an_empty_phrase(entities_only):
    doc = entities_only("Nobody spoke.")
    with pytest.raises(ValueError):
        entity_for_phrase(doc, 5, 5)


def test_coref_entity_for_phrase_keeps_exact_offsets_inside_tokens(entities_only):
    doc = entities_only("Officials of the Veritas Bureau spoke.")
    start, end = _offsets(doc, "Veritas Bureau")
    added = _entity(doc, entity_for_phrase(doc, start, end + 3, type_hint="ORG"))
    mention = next(m for m in added.mentions if m.start == start)
    assert doc.text[mention.start:mention.end] == mention.text


def test_coref_entity_for_phrase_ignores_an_unknown_type_hint(entities_only):
    doc = entities_only("A senior diplomat said talks would resume.")
    added = _entity(doc, entity_for_phrase(doc, *_offsets(doc, "A senior diplomat"), type_hint="PER"))
    assert added.type in {"PERSON", "OTHER"}


def _brute_overlapping(entities, start, end):
    """The scan the overlap index replaced: largest overlap, names double, earlier entity on a tie."""
    best, best_weight = None, 0
    for entity in entities:
        for mention in entity.mentions:
            overlap = min(end, mention.end) - max(start, mention.start)
            weight = overlap * (2 if mention.kind == "name" else 1)
            if overlap > 0 and weight > best_weight:
                best, best_weight = entity, weight
    return best


def test_coref_overlap_index_agrees_with_a_scan_of_every_mention():
    import random

    from onrecord.analyse.coref import _overlapping_entity
    from onrecord.model import Entity, Mention

    rng = random.Random(8)
    for _ in range(200):
        entities = []
        for number in range(rng.randint(0, 6)):
            mentions = []
            for _ in range(rng.randint(1, 4)):
                start = rng.randint(0, 60)
                end = start + rng.randint(1, 12)
                mentions.append(Mention(start=start, end=end, text="x" * (end - start),
                                        kind=rng.choice(["name", "pronoun", "description"])))
            entities.append(Entity(id=f"e{number + 1}", type="PERSON", name="x", mentions=mentions))
        for _ in range(20):
            start = rng.randint(0, 70)
            end = start + rng.randint(1, 15)
            assert _overlapping_entity(entities, start, end) is _brute_overlapping(entities, start, end)


def test_coref_overlap_index_sees_entities_and_mentions_added_after_a_lookup():
    from onrecord.analyse.coref import _overlapping_entity
    from onrecord.model import Entity, Mention

    first = Entity(id="e1", type="ORG", name="Acme", mentions=[Mention(start=0, end=4, text="Acme")])
    entities = [first]
    assert _overlapping_entity(entities, 10, 15) is None
    first.mentions.append(Mention(start=10, end=15, text="Acme'"))
    assert _overlapping_entity(entities, 10, 15) is first
    second = Entity(id="e2", type="ORG", name="Bolt", mentions=[Mention(start=20, end=24, text="Bolt")])
    entities.append(second)
    assert _overlapping_entity(entities, 21, 22) is second
    first.mentions = [Mention(start=30, end=34, text="Acme")]  # replaced, not appended
    assert _overlapping_entity(entities, 0, 4) is None
    assert _overlapping_entity(entities, 31, 32) is first


def test_speaker_resolver_gives_a_relative_pronoun_the_entity_of_its_noun(nlp):
    from onrecord.analyse.speakers import SpeakerResolver

    text = "The fishing union backed Senator Ida Brandt, who said the quotas were unfair."
    doc = nlp(text)
    start = text.index("who")
    entity_id = SpeakerResolver(doc).entity((start, start + len("who")))
    assert "Brandt" in _entity(doc, entity_id).name
