"""`onrecord eval extraction`: the benchmark's metric, exactly, and the quality gate on its pages."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from onrecord.cli import app
from onrecord.evaluate.extraction import evaluate_extraction, metrics_from_counts, shingle_match

runner = CliRunner()


def test_extraction_identical_text_is_all_true_positive():
    assert shingle_match("one two three four five", "one two three four five") == (1.0, 0.0, 0.0)


def test_extraction_empty_prediction_is_all_false_negative():
    assert shingle_match("one two three four five", None) == (0.0, 0.0, 1.0)


def test_extraction_shingles_count_repeats_and_ignore_punctuation():
    # truth: 2 shingles; the prediction prints the text twice: 7 shingles, each of the 2 true once
    tp, fp, fn = shingle_match("a b c d e", "a, b; c d e a b c d e")
    assert (tp, fp, fn) == pytest.approx((2 / 7, 5 / 7, 0.0))


def test_extraction_text_shorter_than_a_shingle_is_one_shingle():
    assert shingle_match("two words", "two words") == (1.0, 0.0, 0.0)
    assert shingle_match("two words", "two other") == (0.0, 0.5, 0.5)


def test_extraction_pages_without_prediction_leave_the_precision_average():
    metrics = metrics_from_counts([(1.0, 0.0, 0.0), (0.0, 0.0, 1.0)])
    assert metrics["precision"] == 1.0 and metrics["recall"] == 0.5
    assert metrics["f1"] == pytest.approx(2 / 3)


@pytest.fixture
def tiny_benchmark(tmp_path):
    (tmp_path / "html").mkdir()
    truth = {}
    for number, body in enumerate(["The council met on Monday and approved the budget for next year, officials said.",
                                   "Ferries to the island resumed after the storm, the harbour master told reporters."]):
        page = (f"<html><head><title>Page {number}</title></head><body><nav>Home | World | Sport</nav>"
                f"<article><h1>Headline number {number} for the test</h1><p>{body}</p></article>"
                "<footer>© 2024 Example. All rights reserved.</footer></body></html>")
        (tmp_path / "html" / f"page{number}.html.gz").write_bytes(gzip.compress(page.encode()))
        truth[f"page{number}"] = {"articleBody": body, "url": f"https://example.test/{number}"}
    (tmp_path / "ground-truth.json").write_text(json.dumps(truth))
    return tmp_path


def test_extraction_scores_both_extractors_on_the_same_pages(tiny_benchmark):
    metrics = evaluate_extraction(tiny_benchmark)
    assert metrics["pages"] == 2
    assert metrics["f1"] == 1.0  # onrecord scores the body without the headline it puts first
    assert set(metrics["trafilatura"]) == {"precision", "recall", "f1", "pages_per_second"}
    assert metrics["speed_ratio"] > 0


def test_extraction_cli_prints_json_metrics(tiny_benchmark):
    result = runner.invoke(app, ["eval", "extraction", str(tiny_benchmark), "--json"])
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.stdout)
    for key in ("precision", "recall", "f1", "pages_per_second", "speed_ratio", "f1_difference"):
        assert key in metrics
    assert "f1" in metrics["trafilatura"]


def test_extraction_cli_wrong_folder_fails_with_one_line(tmp_path):
    result = runner.invoke(app, ["eval", "extraction", str(tmp_path)])
    assert result.exit_code == 1
    assert "ground-truth.json" in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize("half", ["first", "second"])
def test_extraction_gate_onrecord_at_least_trafilatura_on_each_half(shared, half):
    """Rules were tuned on the first half only; the second half checks them on unseen pages."""
    metrics = evaluate_extraction(shared / "data" / "article-extraction-benchmark", half=half)
    assert metrics["f1"] >= metrics["trafilatura"]["f1"]
    assert metrics["f1"] >= 0.965
    # Speed is measured by the command (`onrecord eval extraction`), not asserted in a test:
    # a timing gate would fail on a busy CI machine for reasons that are not regressions.


def test_extraction_gate_holds_on_pages_written_for_the_tests(tmp_path):
    """Four pages written after the rules were settled (blog with comments, wire story, table
    layout, div soup with a newsletter box): never used for tuning."""
    pages = Path(__file__).parent / "fixtures" / "extraction"
    (tmp_path / "html").mkdir()
    for page in pages.glob("*.html"):
        (tmp_path / "html" / f"{page.stem}.html.gz").write_bytes(gzip.compress(page.read_bytes()))
    shutil.copy(pages / "ground-truth.json", tmp_path / "ground-truth.json")
    metrics = evaluate_extraction(tmp_path)
    assert metrics["pages"] == 4
    assert metrics["f1"] >= metrics["trafilatura"]["f1"]
    assert metrics["recall"] > 0.95
