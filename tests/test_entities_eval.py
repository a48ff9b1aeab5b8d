"""The entity evaluation (evaluate/entities.py): its scores on hand-made partitions, and a quality
gate on a pinned MEANTIME subset, run through the command line."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from onrecord.evaluate.entities import GoldMention, Predicted, Scorer, b_cubed, match, muc, read_article


def test_entities_eval_b_cubed_and_muc_of_a_perfect_response_are_one():
    key = {"a": 1, "b": 1, "c": 2}
    assert b_cubed(key, dict(key))["f1"] == 1.0
    assert muc(key, dict(key))["f1"] == 1.0


def test_entities_eval_b_cubed_punishes_a_wrong_merge():
    key = {"a": 1, "b": 1, "c": 2}
    merged = {"a": 9, "b": 9, "c": 9}
    scores = b_cubed(key, merged)
    assert scores["recall"] == 1.0
    assert scores["precision"] == pytest.approx((2 / 3 * 2 + 1 / 3) / 3)


def test_entities_eval_muc_of_all_singletons_has_no_recall():
    key = {"a": 1, "b": 1, "c": 1}
    assert muc(key, {"a": "x", "b": "y", "c": "z"})["recall"] == 0.0


def test_entities_eval_match_prefers_the_gold_mention_of_the_same_type():
    gold = [GoldMention(0, 6, (0, 6), "ORG", "m1"), GoldMention(0, 11, (7, 11), "PRODUCT", "m2")]
    predicted = [Predicted(0, 11, "PRODUCT", "e1", "c1")]
    pairs, ignored = match(gold, predicted)
    assert pairs == {1: 0} and not ignored


def test_entities_eval_predictions_on_financial_heads_are_left_out():
    gold = [GoldMention(0, 8, (5, 8), None, "m1")]
    pairs, ignored = match(gold, [Predicted(0, 8, "ORG", "e1", "c1")])
    assert pairs == {} and ignored == {0}


def _meantime_file(tmp_path, sentences: list[list[str]], mentions: list[tuple[list[int], str]]):
    """A MEANTIME-style file: sentences of tokens; mentions as (token indexes, ent_type)."""
    tokens, t = [], 0
    for number, words in enumerate(sentences):
        for word in words:
            t += 1
            tokens.append(f'<token t_id="{t}" sentence="{number}" number="{t - 1}">{word}</token>')
    markables, relations = [], []
    for n, (ids, ent_type) in enumerate(mentions, 1):
        anchors = "".join(f'<token_anchor t_id="{i}"/>' for i in ids)
        markables.append(f'<ENTITY_MENTION m_id="{n}" syntactic_type="NAM">{anchors}</ENTITY_MENTION>')
        markables.append(f'<ENTITY m_id="{100 + n}" ent_type="{ent_type}" instance_id=""/>')
        relations.append(f'<REFERS_TO r_id="{n}"><source m_id="{n}"/><target m_id="{100 + n}"/></REFERS_TO>')
    path = tmp_path / "1_test.xml"
    path.write_text(f'<Document>{"".join(tokens)}<Markables>{"".join(markables)}</Markables>'
                    f'<Relations>{"".join(relations)}</Relations></Document>')
    return read_article(path)


def test_entities_eval_mentions_are_scored_in_the_fully_annotated_sentences(tmp_path):
    # Eight one-name sentences; the gold marks the name of sentence 1 and of sentence 7 (a target
    # entity after the fully annotated part). A correct but unmarked name in sentence 6 and the
    # marked one in sentence 7 are outside the scored part; clustering still sees every gold mention.
    sentences = [[f"Name{n}", "spoke", "."] for n in range(8)]
    article = _meantime_file(tmp_path, sentences, [([4], "PER"), ([22], "PER")])
    starts = {n: article.text.index(f"Name{n}") for n in range(8)}
    predicted = [Predicted(starts[n], starts[n] + 5, "PERSON", f"e{n}", f"c{n}") for n in (1, 6)]
    scoped, whole = Scorer(), Scorer("all")
    scoped.add(article, predicted)
    whole.add(article, predicted)
    assert (scoped.untyped["tp"], scoped.untyped["fp"], scoped.untyped["fn"]) == (1, 0, 0)
    assert (whole.untyped["tp"], whole.untyped["fp"], whole.untyped["fn"]) == (1, 1, 1)
    assert len(scoped.within_key) == 2


def test_entities_eval_cli_gate_on_pinned_subset(shared):
    from onrecord.cli import app

    result = CliRunner().invoke(app, ["eval", "entities", str(shared / "data" / "meantime-en"),
                                      "--limit", "12", "--json"])
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.output.strip().splitlines()[-1])
    assert metrics["articles"] == 12
    ours, bare = metrics["onrecord"], metrics["spacy"]
    # Measured on these 12 articles (mentions scored in the fully annotated sentences): typed F1
    # 0.731 vs 0.673, within-article B3 0.865 vs 0.835, cross-article B3 0.956; the floors leave a margin.
    assert ours["mentions_typed"]["f1"] >= bare["mentions_typed"]["f1"] + 0.03
    assert ours["within_b3"]["f1"] >= bare["within_b3"]["f1"]
    assert ours["cross_b3"]["f1"] >= 0.80


def test_entities_eval_cli_missing_folder_is_one_clear_line(tmp_path):
    from onrecord.cli import app

    result = CliRunner().invoke(app, ["eval", "entities", str(tmp_path / "nowhere")])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
