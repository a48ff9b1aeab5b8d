"""The entity evaluation (evaluate/entities.py): its scores on hand-made partitions, and a quality
gate on a pinned MEANTIME subset, run through the command line."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from onrecord.evaluate.entities import GoldMention, Predicted, b_cubed, match, muc


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


def test_entities_eval_cli_gate_on_pinned_subset(shared):
    from onrecord.cli import app

    result = CliRunner().invoke(app, ["eval", "entities", str(shared / "data" / "meantime-en"),
                                      "--limit", "12", "--json"])
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.output.strip().splitlines()[-1])
    assert metrics["articles"] == 12
    ours, bare = metrics["onrecord"], metrics["spacy"]
    # Measured on these 12 articles: typed F1 0.643 vs 0.597, within-article B3 0.860 vs 0.835,
    # cross-article B3 0.956; the floors leave a margin.
    assert ours["mentions_typed"]["f1"] >= bare["mentions_typed"]["f1"] + 0.03
    assert ours["within_b3"]["f1"] >= bare["within_b3"]["f1"]
    assert ours["cross_b3"]["f1"] >= 0.80


def test_entities_eval_cli_missing_folder_is_one_clear_line(tmp_path):
    from onrecord.cli import app

    result = CliRunner().invoke(app, ["eval", "entities", str(tmp_path / "nowhere")])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
