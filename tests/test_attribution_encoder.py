"""The attribution encoder: word pieces and windows, BIO decoding, training labels, the merge with the
rules (on parsed sentences, with tags given by hand so that each rule of the merge is seen alone), and
the shipped weights run on sentences written for these tests."""

from __future__ import annotations

import itertools

import pytest

from onrecord.analyse.attribution_encoder import assemble, merge
from onrecord.analyse.encoder_tags import (
    NEWLINE_TOKEN,
    Piece,
    TaggedSpan,
    article_pieces,
    central_window,
    decode,
    load_tokenizer,
    windows,
)
from onrecord.evaluate.attribution import GoldAttribution, GoldSpan
from onrecord.train import split_articles
from onrecord.train.attribution_encoder import piece_labels
from tests.conftest import assert_offsets_hold

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def tokenizer():
    return load_tokenizer()


def test_windows_cover_every_piece_and_overlap():
    spans = windows(1000, window=254, stride=128)
    assert spans[0] == (0, 254) and spans[-1] == (746, 1000)
    assert all(b[0] < a[1] for a, b in itertools.pairwise(spans))  # consecutive windows overlap
    assert windows(10, window=254, stride=128) == [(0, 10)]


def test_central_window_picks_the_window_where_a_piece_has_most_context():
    spans = windows(600, window=254, stride=128)
    chosen = central_window(spans, 600)
    assert chosen[0] == 0 and chosen[599] == len(spans) - 1
    # Piece 200 is 53 pieces from the first window's end but 72 from the second one's start.
    assert chosen[200] == 1


def test_pieces_keep_offsets_and_mark_line_breaks(tokenizer):
    text = "Mayor Ruiz said the bridge\nwill reopen.\n\n“Soon,” she added."
    pieces = article_pieces(tokenizer, text)
    newline = tokenizer.convert_tokens_to_ids(NEWLINE_TOKEN)
    breaks = [p.start for p in pieces if p.id == newline]
    assert breaks == [26, 39, 40] and all(text[b] == "\n" for b in breaks)
    for piece in pieces:
        if piece.id != newline:
            assert text[piece.start:piece.end].strip() == text[piece.start:piece.end]
            assert tokenizer.convert_ids_to_tokens(piece.id).lstrip("#") in text[piece.start:piece.end].lower()


def test_decode_joins_runs_and_starts_a_span_on_each_b():
    pieces = [Piece(0, i * 3, i * 3 + 2) for i in range(7)]
    labels = ["B-S", "B-Q", "B-C", "I-C", "B-C", "I-C", "O"]
    spans = decode(pieces, labels, [1.0, 0.9, 0.8, 0.6, 1.0, 1.0, 1.0])
    assert [(s.role, s.start, s.end) for s in spans] == [("S", 0, 2), ("Q", 3, 5), ("C", 6, 11), ("C", 12, 17)]
    assert spans[2].score == pytest.approx(0.7)
    # An I with no B before it (the model's slip) still opens a span.
    assert [(s.role, s.start) for s in decode(pieces[:2], ["O", "I-C"], [1.0, 1.0])] == [("C", 3)]


def test_piece_labels_follow_gold_spans(tokenizer):
    text = "Officials said the dam is safe."
    gold = [GoldAttribution(content=GoldSpan(((15, 31),)), cue=GoldSpan(((10, 14),)), source=GoldSpan(((0, 9),)))]
    pieces = article_pieces(tokenizer, text)
    labels = piece_labels(pieces, gold)
    from onrecord.analyse.encoder_tags import LABELS

    named = [(text[p.start:p.end], LABELS[label]) for p, label in zip(pieces, labels, strict=True)]
    assert named[:4] == [("Officials", "B-S"), ("said", "B-Q"), ("the", "B-C"), ("dam", "I-C")]
    assert all(label == "I-C" for _, label in named[4:])


def test_split_holds_out_every_tenth_article():
    kept, held = split_articles(list(range(25)))
    assert held == [9, 19] and len(kept) == 23


def _tag(text: str, role: str, phrase: str, score: float = 0.9) -> TaggedSpan:
    start = text.index(phrase)
    return TaggedSpan(role, start, start + len(phrase), score)


def test_assemble_takes_the_nearest_cue_and_the_source_beside_it():
    text = "The governor said on Monday that the roads will close, and the mayor warned of floods."
    tags = [_tag(text, "S", "The governor"), _tag(text, "Q", "said"), _tag(text, "C", "the roads will close"),
            _tag(text, "S", "the mayor"), _tag(text, "Q", "warned"), _tag(text, "C", "of floods")]
    (_, cue1, source1), (_, cue2, source2) = assemble(tags)
    assert (text[cue1.start:cue1.end], text[source1.start:source1.end]) == ("said", "The governor")
    assert (text[cue2.start:cue2.end], text[source2.start:source2.end]) == ("warned", "the mayor")


def test_merge_moves_rule_content_to_encoder_boundaries_and_keeps_the_speaker(nlp):
    text = "The harbour master said the pier, which opened in 1990, would close for repairs next week."
    doc = nlp(text)
    [rule] = doc._.attributions
    encoder_content = "the pier, which opened in 1990, would close for repairs"
    merged = merge(doc, [rule], [_tag(text, "C", encoder_content)])
    [result] = merged
    assert result.content.text == encoder_content
    assert result.speaker == rule.speaker and result.cue == rule.cue


def test_merge_adds_what_only_the_encoder_found_with_a_resolved_speaker(nlp):
    text = "Ms. Okafor, the union's treasurer, is convinced the strike fund will last until spring."
    doc = nlp(text)
    tags = [_tag(text, "S", "Ms. Okafor"), _tag(text, "Q", "is convinced"),
            _tag(text, "C", "the strike fund will last until spring")]
    merged = merge(doc, [], tags)
    [added] = merged
    assert added.content.text == "the strike fund will last until spring"
    # The speaker is the cue verb's subject in the parse (the rules' subject search), apposition and all.
    assert added.cue.text == "is convinced" and added.speaker.text.startswith("Ms. Okafor")
    assert added.speaker.entity in {entity.id for entity in doc._.entities}
    assert added.kind == "indirect" and added.id == "a1"


def test_merge_takes_the_encoder_source_when_the_cue_is_no_verb(nlp):
    text = "Rents in the old town will double by 2030, in the view of the housing board."
    doc = nlp(text)
    tags = [_tag(text, "C", "Rents in the old town will double by 2030"), _tag(text, "Q", "in the view of"),
            _tag(text, "S", "the housing board")]
    [added] = merge(doc, [], tags)
    assert added.speaker.text == "the housing board" and added.speaker.entity is not None


def test_merge_drops_a_rule_statement_the_encoder_does_not_see_but_keeps_intentions(nlp):
    text = "The council said nothing about the budget. The council wants to close the library."
    doc = nlp(text)
    rules = doc._.attributions
    merged = merge(doc, rules, [])
    assert all(a.factuality in ("intended", "promised") for a in merged)
    assert len(merged) == sum(a.factuality in ("intended", "promised") for a in rules)


def test_merge_keeps_a_rule_statement_with_a_verb_that_always_reports(nlp):
    # "clarify" was a cue every time it occurred in PolNeAR train: the encoder's silence does not outvote it.
    text = "As the weather service clarifies, the storm will reach the coast on Friday night."
    doc = nlp(text)
    [rule] = doc._.attributions
    assert merge(doc, [rule], []) == [rule]


def test_merge_marks_a_quotation_direct(nlp):
    text = "“We will appeal this ruling at once,” the lawyer told reporters outside the court."
    doc = nlp(text)
    tags = [_tag(text, "C", "We will appeal this ruling at once,"), _tag(text, "Q", "told"), _tag(text, "S", "the lawyer")]
    [added] = merge(doc, [], tags)
    assert added.kind == "direct" and added.speaker.text == "the lawyer"


@pytest.fixture(scope="module")
def encoder_analyzer():
    from onrecord.analyse.pipeline import Analyzer
    from onrecord.settings import Settings

    return Analyzer(Settings(enable=frozenset({"onrecord_attribution_encoder"})))


def test_shipped_encoder_reads_attributions_in_unseen_sentences(encoder_analyzer):
    text = ("The ferry operator expects fares to rise by a tenth next year, according to a statement "
            "released on Tuesday.\n\n“We have no other choice,” chief executive Lena Park told the "
            "regional assembly.")
    record = encoder_analyzer.analyze_text(text)
    assert_offsets_hold(record)
    contents = [a.content.text for a in record.attributions]
    assert any("We have no other choice" in content for content in contents)
    quote = next(a for a in record.attributions if "We have no other choice" in a.content.text)
    assert quote.speaker is not None and "Lena Park" in quote.speaker.text
    assert any("fares to rise" in content for content in contents)


def test_encoder_survives_odd_input(encoder_analyzer):
    for text in ["", "“", "\n\n\n", "said said said “ ” « » " * 200, "A" * 3000]:
        doc = encoder_analyzer.nlp(text)  # the empty doc too, which analyze_text refuses before the pipeline
        for attribution in doc._.attributions or []:
            assert text[attribution.content.start:attribution.content.end] == attribution.content.text
