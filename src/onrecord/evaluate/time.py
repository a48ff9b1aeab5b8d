"""`onrecord eval time`: TIMEX detection and normalisation against MEANTIME's TIMEX3 annotation.

Each article's creation time is its publication date; the dateline that states it is left out of
scoring. Detection is scored strictly (same extent) and leniently (overlap); value accuracy is the share
of leniently matched expressions whose value equals the TIMEX3 `value` (TempEval-3's attribute
accuracy), and value F1 counts a detected expression as right only with the right value.
"""

from __future__ import annotations

from pathlib import Path

from onrecord.evaluate import prf
from onrecord.evaluate.meantime import MeantimeArticle, read_corpus
from onrecord.settings import DEFAULT, Settings

# The spaCy components time detection needs (NER gives DATE/TIME, the parser gives tense).
_NEEDED = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner", "onrecord_paragraphs",
           "onrecord_times")


def parse_articles(articles: list[MeantimeArticle], settings: Settings = DEFAULT, components=_NEEDED):
    """(article, doc) pairs, each doc anchored to the article's creation time."""
    from onrecord.analyse.pipeline import load_pipeline

    nlp = load_pipeline(settings)
    enabled = [name for name in nlp.pipe_names if name in components]
    with nlp.select_pipes(enable=enabled):
        docs = []
        for article in articles:
            doc = nlp.make_doc(article.text)
            doc._.publication_date = article.creation_time
            doc._.anchors = {}
            doc._.warnings = []
            docs.append(doc)
        yield from zip(articles, nlp.pipe(docs, batch_size=16))


def evaluate_time(folder: str | Path, settings: Settings = DEFAULT, limit: int | None = None) -> dict:
    articles = read_corpus(folder)[:limit]
    counts = {"gold": 0, "predicted": 0, "strict": 0, "lenient": 0, "value_right": 0}
    by_type: dict[str, list[int]] = {}
    for article, doc in parse_articles(articles, settings):
        predicted = [t for t in doc._.times if not _in_dateline(article, t.start, t.end)]
        counts["gold"] += len(article.times)
        counts["predicted"] += len(predicted)
        for gold in article.times:
            overlapping = [t for t in predicted if t.start < gold.end and gold.start < t.end]
            if not overlapping:
                continue
            found = min(overlapping, key=lambda t: abs(t.start - gold.start) + abs(t.end - gold.end))
            counts["lenient"] += 1
            counts["strict"] += (found.start, found.end) == (gold.start, gold.end)
            right = found.value == gold.value
            counts["value_right"] += right
            by_type.setdefault(gold.type, [0, 0])
            by_type[gold.type][0] += right
            by_type[gold.type][1] += 1
    gold, predicted = counts["gold"], counts["predicted"]
    return {
        "articles": len(articles),
        "gold_timex": gold,
        "predicted_timex": predicted,
        "detection_strict": prf(counts["strict"], predicted - counts["strict"], gold - counts["strict"]),
        "detection_lenient": prf(counts["lenient"], predicted - counts["lenient"], gold - counts["lenient"]),
        "value_accuracy": counts["value_right"] / counts["lenient"] if counts["lenient"] else 0.0,
        "value": prf(counts["value_right"], predicted - counts["value_right"], gold - counts["value_right"]),
        "value_accuracy_by_type": {kind: right / total for kind, (right, total) in sorted(by_type.items())},
    }


def _in_dateline(article: MeantimeArticle, start: int, end: int) -> bool:
    span = article.creation_span
    return span is not None and start < span[1] and span[0] < end
