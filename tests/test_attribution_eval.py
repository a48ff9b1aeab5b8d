"""Scoring attributions: brat reading, the matching rules, and the reference reading of the example."""

from __future__ import annotations

import pytest

from onrecord.evaluate.attribution import read_brat, score_article
from onrecord.model import Attribution, Content, SpeakerSpan, Span

TEXT = "The council said that taxes would fall. “Roads come first,” the mayor said."
BRAT = """T1\tSource 0 11\tThe council
T2\tCue 12 16\tsaid
T3\tContent 17 38\tthat taxes would fall
E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1
T5\tContent 40 59\t“Roads come first,”
T6\tSource 60 69\tthe mayor
T7\tCue 70 74\tsaid
E2\tAttribution:T8 Content:T5 Cue:T7 Source:T6
"""


def attribution(content, cue, speaker):
    return Attribution(id="a", kind="indirect",
                       content=Content(start=content[0], end=content[1], text=TEXT[content[0]:content[1]]),
                       cue=Span(start=cue[0], end=cue[1], text=TEXT[cue[0]:cue[1]]),
                       speaker=SpeakerSpan(start=speaker[0], end=speaker[1], text=TEXT[speaker[0]:speaker[1]]))


def test_attribution_eval_reads_brat_relations_with_discontinuous_spans():
    gold = read_brat(BRAT + "T9\tContent 0 3;4 11\tThe council\nE3\tAttribution:T10 Content:T9\n")
    assert len(gold) == 3
    assert gold[2].content.parts == ((0, 3), (4, 11)) and gold[2].source is None


def test_attribution_eval_exact_ignores_edge_punctuation_and_quote_marks():
    predicted = [attribution((17, 39), (12, 16), (0, 11)), attribution((41, 57), (70, 74), (60, 69))]
    counts = score_article(TEXT, read_brat(BRAT), predicted)
    assert counts.exact == 2 and counts.overlap == 2 and counts.speaker_right == 2


def test_attribution_eval_overlap_counts_one_shared_word_and_wrong_speaker():
    predicted = [attribution((22, 27), (12, 16), (60, 69))]
    counts = score_article(TEXT, read_brat(BRAT), predicted)
    assert counts.exact == 0 and counts.overlap == 1
    assert counts.speaker_total == 1 and counts.speaker_right == 0
    metrics = counts.metrics()
    assert metrics["overlap"]["precision"] == 1.0 and metrics["overlap"]["recall"] == 0.5


def test_attribution_eval_a_cue_without_words_matches_by_its_characters():
    text = "MAYOR: Roads come first. The clerk: no comment."
    gold = read_brat("T1\tSource 0 5\tMAYOR\nT2\tCue 5 6\t:\nT3\tContent 7 24\tRoads come first.\n"
                     "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n")
    colon = Attribution(id="a", kind="direct", content=Content(start=7, end=24, text=text[7:24]),
                        cue=Span(start=5, end=6, text=":"), speaker=SpeakerSpan(start=0, end=5, text="MAYOR"))
    other_colon = colon.model_copy(update={"cue": Span(start=34, end=35, text=":")})
    assert score_article(text, gold, [colon]).cue_matched == 1
    # Another colon of the text is not the same cue.
    assert score_article(text, gold, [other_colon]).cue_matched == 0


@pytest.mark.model
@pytest.mark.shared
def test_attribution_eval_reference_reading_passes_with_resolved_speakers(shared, analyzer):
    from onrecord.evaluate.gold import evaluate_gold

    results = evaluate_gold(shared / "gold" / "belarus-iskander.json", analyzer)
    assert results["all_required_passed"], results["items"]


@pytest.mark.model
@pytest.mark.shared
def test_attribution_eval_description_and_spelling_variants_share_one_speaker(shared, analyzer):
    from onrecord.ingest.text import clean_text

    text = (shared / "examples" / "belarus-iskander.txt").read_text(encoding="utf-8")
    record = analyzer.analyze(clean_text(text))
    speakers = {a.speaker.text: a.speaker.entity for a in record.attributions if a.speaker}
    assert speakers["the project"] == speakers["the Belarus Gayun project"]
    direct = [a for a in record.attributions if a.cue and a.cue.text.lower() == "direct speech"]
    said = [a for a in record.attributions if a.cue and a.cue.text == "said"]
    assert {a.speaker.entity for a in direct + said} == {said[0].speaker.entity}
