"""Batches never die on one article: an extractor failing on one article costs only that one."""

from __future__ import annotations

import onrecord.batch
from onrecord.batch import analyse_inputs, analyzer_for
from onrecord.settings import DEFAULT, Settings


class _BreaksOnOneArticle:
    """Wraps the real analyzer; fails (like a buggy extractor) on any article mentioning BOOM."""

    def __init__(self, analyzer):
        self.analyzer = analyzer
        self.nlp = analyzer.nlp

    def analyze_many(self, articles):
        articles = list(articles)
        if any("BOOM" in article.text for article in articles):
            raise ValueError("extractor bug")
        return self.analyzer.analyze_many(articles)

    def analyze(self, article):
        return next(iter(self.analyze_many([article])))


def test_batch_failing_article_is_reported_and_the_others_analysed(tmp_path, monkeypatch, analyzer):
    for name, body in [("a.txt", "Grain exports rise, the ministry said."),
                       ("b.txt", "The BOOM article breaks an extractor, the test said."),
                       ("c.txt", "Coal imports fall, the customs office said.")]:
        (tmp_path / name).write_text(body)
    monkeypatch.setattr(onrecord.batch, "analyzer_for", lambda settings: _BreaksOnOneArticle(analyzer))
    records, errors = [], []
    report = analyse_inputs([str(tmp_path)], DEFAULT, on_record=records.append,
                            on_error=lambda name, error: errors.append((name, error.message)))
    assert [r.document.source for r in records] == [str(tmp_path / "a.txt"), str(tmp_path / "c.txt")]
    assert errors == [(str(tmp_path / "b.txt"), "analysis failed (ValueError: extractor bug)")]
    assert (report.analysed, report.failed) == (2, 1)


def test_batch_input_size_limit_does_not_reload_the_model(analyzer):
    assert analyzer_for(Settings(max_bytes=10)) is analyzer_for(DEFAULT)


def test_batch_text_longer_than_the_model_takes_is_reported_plainly(tmp_path, analyzer, monkeypatch):
    (tmp_path / "long.txt").write_text("The minister said the talks would go on. " * 40)
    (tmp_path / "short.txt").write_text("Talks end, the minister said.")
    monkeypatch.setattr(analyzer.nlp, "max_length", 1000)
    records, errors = [], []
    analyse_inputs([str(tmp_path)], DEFAULT, on_record=records.append,
                   on_error=lambda name, error: errors.append(error.message))
    assert errors == ["too long to analyse: 1,639 characters of clean text, the model takes at most 1,000"]
    assert [r.text for r in records] == ["Talks end, the minister said."]
