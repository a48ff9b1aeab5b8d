"""`onrecord eval factuality`: certainty, polarity and future/non-future of MEANTIME's event mentions.

The reading of onrecord.analyse.event_factuality is taken at every annotated event mention whose
predicate onrecord's parse also finds (a verb, noun or adjective token at the mention's offsets), with
the article's creation time as publication date. Each attribute is scored by macro F1 over the classes
the annotation uses (UNDERSPECIFIED and empty values are left out); `macro_f1` is their mean. Mentions
that are also triggers of onrecord's own PLOVER events are counted and scored separately.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from onrecord.evaluate import prf
from onrecord.evaluate.meantime import read_corpus
from onrecord.evaluate.time import parse_articles
from onrecord.settings import DEFAULT, Settings

_LABELS = {
    "certainty": {"CERTAIN": "certain", "PROBABLE": "probable", "POSSIBLE": "possible"},
    "polarity": {"POS": "pos", "NEG": "neg"},
    "time": {"FUTURE": "future", "NON_FUTURE": "non_future"},
}
_PREDICATES = ("VERB", "NOUN", "ADJ", "AUX", "PROPN")
_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner", "onrecord_paragraphs",
               "onrecord_times", "onrecord_events")


def evaluate_factuality(folder: str | Path, settings: Settings = DEFAULT, limit: int | None = None) -> dict:
    from onrecord.analyse.event_factuality import read_factuality

    articles = read_corpus(folder)[:limit]
    pairs: dict[str, list[tuple[str, str]]] = {name: [] for name in _LABELS}
    event_pairs: dict[str, list[tuple[str, str]]] = {name: [] for name in _LABELS}
    annotated = found = 0
    for article, doc in parse_articles(articles, settings, _COMPONENTS):
        triggers = {(e.trigger.start, e.trigger.end) for e in (doc._.events or [])}
        for gold in article.events:
            annotated += 1
            span = doc.char_span(gold.start, gold.end, alignment_mode="expand")
            if span is None or not any(t.pos_ in _PREDICATES for t in span):
                continue
            found += 1
            token = next(t for t in reversed(span) if t.pos_ in _PREDICATES)
            reading = read_factuality(token)
            is_event = any(start < gold.end and gold.start < end for start, end in triggers)
            for name, labels in _LABELS.items():
                wanted = labels.get(getattr(gold, name))
                if wanted is None:
                    continue
                pairs[name].append((wanted, getattr(reading, name)))
                if is_event:
                    event_pairs[name].append((wanted, getattr(reading, name)))
    scores = {name: _macro_f1(pairs[name]) for name in _LABELS}
    event_scores = {name: _macro_f1(event_pairs[name]) for name in _LABELS}
    return {
        "articles": len(articles),
        "annotated_mentions": annotated,
        "mentions_found": found,
        "macro_f1": sum(s["macro_f1"] for s in scores.values()) / len(scores),
        **scores,
        "on_plover_events": {"mentions": len(event_pairs["time"]),
                             "macro_f1": sum(s["macro_f1"] for s in event_scores.values()) / len(event_scores)},
    }


def _macro_f1(pairs: list[tuple[str, str]]) -> dict:
    """Per-class F1 over the classes the gold uses, their mean, and accuracy."""
    gold_classes = sorted({gold for gold, _ in pairs})
    per_class = {}
    for label in gold_classes:
        tp = sum(1 for g, p in pairs if g == label and p == label)
        fp = sum(1 for g, p in pairs if g != label and p == label)
        fn = sum(1 for g, p in pairs if g == label and p != label)
        per_class[label] = prf(tp, fp, fn)["f1"]
    correct = sum(1 for g, p in pairs if g == p)
    return {"macro_f1": sum(per_class.values()) / len(per_class) if per_class else 0.0,
            "accuracy": correct / len(pairs) if pairs else 0.0,
            "gold": dict(Counter(g for g, _ in pairs)),
            "f1_by_class": per_class}
