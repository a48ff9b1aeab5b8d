"""The speaker ranker: candidates and features on parsed sentences, the fitting on made-up cases, the
component's rules with weights set by hand (so each is seen alone), and the shipped weights on
sentences written for these tests."""

from __future__ import annotations

import pytest

from onrecord.analyse.speaker_ranker import (
    SentenceWindow,
    SpeakerRanker,
    candidate_features,
    load_weights,
    packaged_weights,
)
from onrecord.model import Attribution, Content, Span, SpeakerSpan
from onrecord.train.speaker_ranker import fit
from tests.conftest import TWO_ARTICLES, write_brat_folder

pytestmark = pytest.mark.model


def _span(text: str, phrase: str, cls=Span, **extra):
    start = text.index(phrase)
    return cls(start=start, end=start + len(phrase), text=phrase, **extra)


def _attribution(text: str, content: str, cue: str, speaker: str | None, chain=None) -> Attribution:
    return Attribution(id="a1", kind="indirect", content=_span(text, content, Content), cue=_span(text, cue),
                       speaker=_span(text, speaker, SpeakerSpan) if speaker else None,
                       source_chain=chain or [])


def test_dependency_path_names_the_subject_of_the_cue(nlp):
    text = "The harbour master said the ferry would sail at noon."
    doc = nlp(text)
    window = SentenceWindow(doc)
    anchor, _ = window.candidates(_attribution(text, "the ferry would sail at noon", "said", None))
    assert doc[anchor.index].text == "said"
    assert window.path(2, anchor) == "nsubj|"  # 'master'
    assert window.path(5, anchor).endswith("|")  # 'ferry' hangs under the cue too
    assert window.path(anchor.index, anchor) == "|"


def test_candidates_come_from_the_cue_sentence_and_its_neighbours(nlp):
    text = ("The canal opened in 1890. Engineers praised its locks. The river authority said the "
            "locks need repair. Tourists love the towpath. A museum tells its story.")
    doc = nlp(text)
    attribution = _attribution(text, "the locks need repair", "said", "The river authority")
    anchor, candidates = SentenceWindow(doc).candidates(attribution)
    phrases = {text[c.start:c.end] for c in candidates}
    assert doc[anchor.index].text == "said"
    assert {"Engineers", "The river authority", "Tourists"} <= phrases
    assert not phrases & {"The canal", "A museum"}  # two sentences away


def test_the_rules_speaker_stands_for_the_phrases_it_overlaps(nlp):
    text = "Ana Ruiz, the port's director, said the cranes are old."
    doc = nlp(text)
    attribution = _attribution(text, "the cranes are old", "said", "Ana Ruiz, the port's director")
    anchor, candidates = SentenceWindow(doc).candidates(attribution)
    rule = [c for c in candidates if (c.start, c.end) == (0, len("Ana Ruiz, the port's director"))]
    assert len(rule) == 1
    assert not [c for c in candidates if c is not rule[0] and c.start < rule[0].end]
    features = candidate_features(SentenceWindow(doc), attribution, anchor, rule[0])
    assert {"rule=1", "path=nsubj|", "side=before", "sent=same"} <= set(features)


def test_fit_learns_the_feature_that_marks_the_gold_candidate():
    cases = [([["bias", "path=nsubj|"], ["bias", "path=dobj|"], ["bias", "pos=PRON"]], [True, False, False]),
             ([["bias", "path=dobj|"], ["bias", "path=nsubj|"]], [False, True])] * 20
    weights = fit(cases, epochs=5)
    assert weights["path=nsubj|"] > weights["path=dobj|"]
    assert weights["path=nsubj|"] > weights.get("pos=PRON", 0.0)
    assert fit(cases, epochs=5) == weights  # fixed seed and order: the same weights again


def test_component_moves_the_speaker_and_resolves_it(nlp):
    text = "The council met on Monday. Mayor Ines Okafor said the budget was balanced."
    doc = nlp(text)
    wrong = _attribution(text, "the budget was balanced", "said", "Monday")
    # Hand-set weights that prefer the cue's subject over anything else.
    doc._.attributions = [wrong]
    SpeakerRanker({"path=nsubj|": 5.0})(doc)
    speaker = doc._.attributions[0].speaker
    assert speaker.text == "Mayor Ines Okafor"
    entity = next(e for e in doc._.entities if e.id == speaker.entity)
    assert "Okafor" in entity.name
    assert doc._.attributions[0].source_chain == [speaker.entity]


def test_source_lines_and_labels_keep_the_rules_speaker(nlp):
    text = "Source: Tom Reyes via the regional news agency. The plant will close."
    doc = nlp(text)
    line = _attribution(text, "The plant will close", "via", "Tom Reyes", chain=["e1", "e2"])
    doc._.attributions = [line]
    SpeakerRanker({"rule=0": 9.0})(doc)  # weights that would move any speaker they may judge
    assert doc._.attributions[0].speaker.text == "Tom Reyes"


def test_a_missing_speaker_is_filled_only_when_the_ranker_is_sure(nlp):
    text = "The river rose after the storm. Officials at the dam said the water level is falling."
    doc = nlp(text)
    doc._.attributions = [_attribution(text, "the water level is falling", "said", None)]
    SpeakerRanker({"bias": 1.0})(doc)  # every candidate scores the same: no one is likely enough
    assert doc._.attributions[0].speaker is None
    SpeakerRanker({"path=nsubj|": 6.0})(doc)
    assert doc._.attributions[0].speaker.text == "Officials"


def test_a_missing_speaker_is_never_taken_from_the_statement_itself(nlp):
    text = "From the audit: the water board could not account for its spending."
    doc = nlp(text)
    doc._.attributions = [_attribution(text, "the water board could not account for its spending", ":", None)]
    SpeakerRanker({"inside=1": 9.0})(doc)  # weights that would pick a phrase of the content
    assert doc._.attributions[0].speaker is None


def test_no_weights_leaves_attributions_alone(nlp):
    text = "Ana said the cranes are old."
    doc = nlp(text)
    before = [_attribution(text, "the cranes are old", "said", "the cranes")]
    doc._.attributions = list(before)
    SpeakerRanker({})(doc)
    assert doc._.attributions == before


def test_shipped_weights_exist_and_are_small():
    assert packaged_weights().stat().st_size < 2_000_000
    weights = load_weights()
    # What PolNeAR teaches in the large: the rules are usually right, a speaker sits outside the
    # content and in the cue's own sentence.
    assert weights["rule=1"] > weights["rule=0"]
    assert weights["inside=0"] > weights["inside=1"]
    assert weights["sent=same"] > weights["sent=prev"]


@pytest.mark.parametrize(("text", "content", "speaker"), [
    # A speaker after the quote whose verb the parser did not tie to it: the rules found no one.
    ("“If they cared about the farmers, they would have come to the valley,” Delgado fumed on Friday.",
     "If they cared about the farmers", "Delgado"),
    # A relative clause's pronoun, not the noun inside the clause the rules took ("her speech").
    (("But Judge Ana Ferreira, who spent much of her speech defending the court, warned that its budget "
      "was shrinking."), "the court", "who"),
])
def test_shipped_weights_pick_the_speaker_on_unseen_sentences(analyzer, text, content, speaker):
    doc = analyzer.nlp(text)
    found = [a for a in doc._.attributions if content in a.content.text]
    assert found and found[0].speaker is not None and found[0].speaker.text == speaker
    entity = next(e for e in doc._.entities if e.id == found[0].speaker.entity)
    assert entity.name in {"Delgado", "Ana Ferreira"}


def test_a_relative_pronoun_speaker_is_resolved_to_its_noun(nlp):
    text = "Councillor Mara Lindqvist, who chairs the transport board, argued that fares must fall."
    doc = nlp(text)
    doc._.attributions = [_attribution(text, "fares must fall", "argued", None)]
    SpeakerRanker({"tag=WP": 9.0})(doc)  # weights that pick the relative pronoun
    speaker = doc._.attributions[0].speaker
    assert speaker.text == "who"  # the span PolNeAR marks
    entity = next(e for e in doc._.entities if e.id == speaker.entity)
    assert "Lindqvist" in entity.name  # the entity the record wants


def test_training_gives_the_same_weights_twice_and_they_load(tmp_path, nlp):
    from onrecord.train.speaker_ranker import train_speaker_ranker

    write_brat_folder(tmp_path / "corpus", TWO_ARTICLES)
    first = train_speaker_ranker(tmp_path / "corpus", tmp_path / "first.json")
    train_speaker_ranker(tmp_path / "corpus", tmp_path / "second.json")
    assert first["articles"] == 2 and first["cases"] >= 2 and first["features"] > 10
    assert (tmp_path / "first.json").read_bytes() == (tmp_path / "second.json").read_bytes()
    weights = load_weights(tmp_path / "first.json")
    assert weights["rule=1"] > weights["rule=0"]  # the rules were right on every case
