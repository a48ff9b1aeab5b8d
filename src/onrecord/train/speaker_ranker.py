"""Train the speaker ranker (`onrecord train speaker-ranker DIR`) on a PolNeAR-layout folder.

Every article is parsed by the pipeline up to the attribution rules, so the ranker learns from the
attributions it will re-rank. Each rule content matched to a gold content (the evaluation's overlap
rule) whose gold Source overlaps at least one candidate is one training case: a softmax over its
candidates, the gold ones (those overlapping the Source) sharing the target. The weights are fitted
by AdaGrad with a little L2, over a fixed shuffled order, so the same folder gives the same file.
Every tenth article is held out, as for the encoder: the features were chosen on those.
"""

from __future__ import annotations

import json
import math
import random
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

from spacy.tokens import Doc

from onrecord.analyse.speaker_ranker import SentenceWindow, candidate_features, packaged_weights
from onrecord.evaluate.attribution import GoldArticle, overlap_pairs, read_polnear
from onrecord.train import split_articles
from onrecord.train.attribution import parsed

EPOCHS = 8
LEARNING_RATE = 0.1
L2 = 1e-4
SEED = 13
# Weights smaller than this are left out of the file: they change no ranking measurably.
MIN_WEIGHT = 1e-4
RULE_COMPONENTS_TO_SKIP = ("onrecord_speaker_ranker", "onrecord_attribution_tagger",
                           "onrecord_attribution_encoder", "onrecord_events")

Case = tuple[list[list[str]], list[bool]]  # the candidates' features, which ones are the gold source


def training_cases(docs: Iterable[Doc], articles: list[GoldArticle]) -> Iterator[Case]:
    """One case per rule attribution matched to a gold attribution whose Source a candidate overlaps."""
    for doc, article in zip(docs, articles, strict=True):
        predicted = doc._.attributions or []
        gold = [item for item in article.attributions if item.content is not None]
        window = SentenceWindow(doc)
        for gold_index, predicted_index in overlap_pairs(article.text, gold, predicted):
            source, attribution = gold[gold_index].source, predicted[predicted_index]
            if source is None:
                continue
            anchor, candidates = window.candidates(attribution)
            labels = [any(c.start < end and start < c.end for start, end in source.parts) for c in candidates]
            if any(labels):
                yield [candidate_features(window, attribution, anchor, c) for c in candidates], labels


def fit(cases: list[Case], epochs: int = EPOCHS, learning_rate: float = LEARNING_RATE, l2: float = L2,
        seed: int = SEED) -> dict[str, float]:
    """Feature weights of a log-linear ranker: softmax over each case's candidates, AdaGrad steps."""
    weights: dict[str, float] = defaultdict(float)
    squares: dict[str, float] = defaultdict(lambda: 1e-8)
    order = list(range(len(cases)))
    rng = random.Random(seed)
    for _ in range(epochs):
        rng.shuffle(order)
        for index in order:
            features, labels = cases[index]
            gradient = _gradient(weights, features, labels)
            for feature, value in gradient.items():
                value += l2 * weights[feature]
                squares[feature] += value * value
                weights[feature] -= learning_rate * value / math.sqrt(squares[feature])
    return dict(weights)


def _gradient(weights: dict[str, float], features: list[list[str]], labels: list[bool]) -> dict[str, float]:
    """d(-log P(gold))/d(weight): the model's expected feature counts minus the gold's."""
    scores = [sum(weights[f] for f in candidate) for candidate in features]
    top = max(scores)
    exps = [math.exp(score - top) for score in scores]
    total, gold_count = sum(exps), sum(labels)
    gradient: dict[str, float] = defaultdict(float)
    for candidate, exp, label in zip(features, exps, labels, strict=True):
        share = exp / total - (1.0 / gold_count if label else 0.0)
        for feature in candidate:
            gradient[feature] += share
    return gradient


def train_speaker_ranker(directory: Path, out: Path | None = None, limit: int | None = None) -> dict:
    """Parse a PolNeAR-layout folder, fit the ranker on all but the held-out articles, write the weights."""
    out = out or packaged_weights()
    articles, held_out = split_articles(read_polnear(directory, limit))
    cases = list(training_cases(parsed(articles, skip=RULE_COMPONENTS_TO_SKIP), articles))
    weights = {feature: round(weight, 5) for feature, weight in sorted(fit(cases).items())
               if abs(weight) >= MIN_WEIGHT}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"trained_on": directory.name, "articles": len(articles), "cases": len(cases),
                               "epochs": EPOCHS, "weights": weights}, indent=0, ensure_ascii=False) + "\n",
                   encoding="utf-8")
    return {"articles": len(articles), "held_out": len(held_out), "cases": len(cases),
            "features": len(weights), "weights": str(out), "bytes": out.stat().st_size}
