"""The onrecord_attribution_tagger component: the shipped CRF loads, moves rule content ends the way
it learned on PolNeAR and only when sure, drops what it never sees as content, degrades to the
rules without its model, and never breaks offsets or crashes on odd input."""

from __future__ import annotations

import warnings

import pytest

from onrecord.analyse.attribution_tagger import (
    AttributionTagger,
    Tagged,
    Unit,
    apply_content_spans,
    rule_labels,
    tagging_units,
    without_unlikely,
)
from onrecord.evaluate.attribution import GoldAttribution, GoldSpan
from onrecord.train.attribution import gold_tags
from tests.conftest import TWO_ARTICLES, assert_offsets_hold, write_brat_folder

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def tagged_analyzer():
    from onrecord.analyse.pipeline import Analyzer
    from onrecord.settings import Settings

    return Analyzer(Settings(enable=frozenset({"onrecord_attribution_tagger"})))


@pytest.fixture(scope="module")
def nlp(tagged_analyzer):
    """The pipeline with the optional tagger switched on (these tests are about it)."""
    return tagged_analyzer.nlp


def test_tagger_is_optional_and_off_by_default(analyzer):
    assert "onrecord_attribution_tagger" not in analyzer.nlp.pipe_names


def test_tagger_runs_right_after_the_rules(nlp):
    names = nlp.pipe_names
    assert names.index("onrecord_attribution_tagger") == names.index("onrecord_attributions") + 1


def test_tagger_model_ships_in_the_package_and_loads():
    assert AttributionTagger().tagger is not None


def test_tagger_without_its_model_keeps_the_rules_and_warns_once(nlp, tmp_path):
    doc = nlp("The harbour master said the pier would reopen in May.")
    before = list(doc._.attributions)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        missing = AttributionTagger(str(tmp_path / "no-such-model.crfsuite"))
        missing(doc)
        missing(doc)
    assert missing.tagger is None
    assert len([w for w in caught if "onrecord_attribution_tagger" in str(w.message)]) == 1
    assert doc._.attributions == before


# A headline and a plain first paragraph, as in the articles the model learned from.
_LEAD = "Harbour news\n\nThe council met on Monday.\n\n"


@pytest.mark.parametrize("sentence, rule_content", [
    ("Reporting by Ines Marlow; editing by Tom Reyes.", "Ines Marlow"),
    ("The correspondent reported from Lisbon for three years.", "Lisbon"),
])
def test_tagger_drops_what_the_rules_took_for_a_statement(nlp, sentence, rule_content):
    doc = nlp.make_doc(_LEAD + sentence)
    for name, component in nlp.pipeline:
        if name == "onrecord_attribution_tagger":
            break
        doc = component(doc)
    assert rule_content in [a.content.text for a in doc._.attributions]
    doc = nlp.get_pipe("onrecord_attribution_tagger")(doc)
    assert rule_content not in [a.content.text for a in doc._.attributions]


def test_tagger_keeps_a_plain_reported_statement(nlp):
    doc = nlp(_LEAD + "The harbour master said the ferry would resume service on Monday.")
    assert [a.content.text for a in doc._.attributions] == ["the ferry would resume service on Monday"]


@pytest.mark.parametrize("text", [
    "",
    " \n\n ",
    "\"" * 3000,
    "“" * 1500 + "”" * 1500,
    "He said: " + "“a ” " * 800,
    "said said said said said said said said said",
    "According to\n\n\n“",
])
def test_tagger_never_crashes_and_offsets_hold(nlp, text):
    doc = nlp(text)  # the empty doc too, which analyze_text refuses before the pipeline
    for attribution in doc._.attributions or []:
        for span in (attribution.content, attribution.cue, attribution.speaker, *(attribution.content.parts or [])):
            if span is not None:
                assert doc.text[span.start:span.end] == span.text


def test_tagger_offsets_hold_on_a_small_article(tagged_analyzer):
    text = ("Dock workers vote on a new contract\n\n"
            "The union's regional secretary, Hal Brecker, told members on Friday that the offer "
            "\"falls well short\" of what the port pays elsewhere, and that a strike remained possible.\n\n"
            "“We will not sign a contract that cuts overtime,” Brecker said. “Not this year.”\n\n"
            "Port officials said they expected talks to resume next week.")
    record = tagged_analyzer.analyze_text(text)
    assert_offsets_hold(record)
    assert [a.id for a in record.attributions] == [f"a{n}" for n in range(1, len(record.attributions) + 1)]
    assert all(a.content.start < a.content.end for a in record.attributions)


def test_tagger_tags_only_paragraphs_that_can_hold_an_attribution(nlp):
    doc = nlp("The bridge is long and grey.\n\nThe ferry operator said fares would rise.")
    units = tagging_units(doc, doc._.attributions)
    assert [doc[unit.start:unit.end].text for unit in units] == ["The ferry operator said fares would rise."]


def test_tagger_rule_labels_mark_content_cue_and_speaker(nlp):
    doc = nlp("The ferry operator said fares would rise.")
    labels = dict(zip([token.text for token in doc], rule_labels(doc, doc._.attributions), strict=True))
    assert labels["operator"] == "S" and labels["said"] == "Q"
    assert labels["fares"] == "BC" and labels["rise"] == "IC"


def _sure_crf(doc, words: list[str]) -> Tagged:
    """A CRF reading that is certain the content is exactly the tokens `words` (in order)."""
    first = [token.text for token in doc].index(words[0])
    begins, continues = [0.0] * len(doc), [0.0] * len(doc)
    begins[first] = 1.0
    for index in range(first + 1, first + len(words)):
        continues[index] = 1.0
    last = doc[first + len(words) - 1]
    return Tagged([(doc[first].idx, last.idx + len(last))], begins, continues)


def test_tagger_moves_a_content_end_where_the_crf_is_sure(nlp):
    doc = nlp("The ferry operator said fares would rise in the spring.")
    rules = doc._.attributions
    assert rules[0].content.text.startswith("fares would rise in")
    moved = apply_content_spans(doc, rules, _sure_crf(doc, ["fares", "would", "rise"]))
    assert moved[0].content.text == "fares would rise"
    assert moved[0].content.start == rules[0].content.start


def test_tagger_keeps_the_rule_end_when_the_crf_is_unsure(nlp):
    doc = nlp("The ferry operator said fares would rise in the spring.")
    rules = doc._.attributions
    unsure = _sure_crf(doc, ["fares", "would", "rise"])
    unsure.continues = [0.5 * p for p in unsure.continues]
    assert apply_content_spans(doc, rules, unsure) == rules


def test_tagger_refuses_a_move_that_swallows_the_cue(nlp):
    doc = nlp("Fares will rise, the operator said.")
    rules = doc._.attributions
    assert rules[0].content.text.startswith("Fares will rise")
    swallowing = _sure_crf(doc, ["Fares", "will", "rise", ",", "the", "operator", "said"])
    assert apply_content_spans(doc, rules, swallowing) == rules


def test_tagger_drops_a_rule_content_the_crf_never_sees_as_content(nlp):
    doc = nlp("The ferry operator said fares would rise. The mayor said the pier would close.")
    rules = doc._.attributions
    assert len(rules) == 2
    only_second = _sure_crf(doc, ["the", "pier", "would", "close"])
    kept = without_unlikely(doc, rules, only_second)
    assert [a.content.text for a in kept] == [rules[1].content.text]


def test_tagger_leaves_alone_an_attribution_whose_cue_is_in_another_paragraph(nlp):
    doc = nlp("Harbour town votes to rebuild its pier\n\nThe town will rebuild the pier by spring.\n\n"
              "The mayor said the ferry would run all winter.\n\n"
              "Source: Irene Vasquez quoted by her press office, Coast Radio")
    rules = doc._.attributions
    assert [a.cue.text for a in rules] == ["Source", "said"]
    nothing_is_content = Tagged([], [0.0] * len(doc), [0.0] * len(doc))
    assert [a.cue.text for a in without_unlikely(doc, rules, nothing_is_content)] == ["Source"]


def test_tagger_gold_tags_are_bio_per_role(nlp):
    doc = nlp("Ferries will stop, the operator said.")
    text = doc.text
    gold = [GoldAttribution(content=GoldSpan(((0, text.index(",")),)),
                            cue=GoldSpan(((text.index("said"), text.index("said") + 4),)),
                            source=GoldSpan(((text.index("the"), text.index(" said")),)))]
    tags = gold_tags(doc, Unit(0, len(doc)), gold)
    assert tags == ["B-C", "I-C", "I-C", "O", "B-S", "I-S", "B-Q", "O"]


def test_tagger_training_gives_the_same_model_twice_and_it_loads(tmp_path):
    from onrecord.train.attribution import train_attribution

    write_brat_folder(tmp_path / "corpus", TWO_ARTICLES)
    first = train_attribution(tmp_path / "corpus", tmp_path / "first.crfsuite")
    train_attribution(tmp_path / "corpus", tmp_path / "second.crfsuite")
    assert first["articles"] == 2 and first["sequences"] >= 3
    assert (tmp_path / "first.crfsuite").read_bytes() == (tmp_path / "second.crfsuite").read_bytes()
    assert AttributionTagger(str(tmp_path / "first.crfsuite")).tagger is not None
