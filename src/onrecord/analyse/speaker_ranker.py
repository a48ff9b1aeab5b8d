"""The `onrecord_speaker_ranker` component: a learned ranker picks each attribution's speaker among
the noun phrases around its cue.

The rules (reported.py, quotes.py) take the cue verb's subject, or the speaker of the quote before;
that is right most of the time but not when the parse hangs the subject elsewhere, when a relative
pronoun stands in for a name, or when a quote's speaker is in the next sentence. The ranker sees
every candidate phrase near the cue (noun chunks and named entities in the cue's sentence and the
ones on either side, plus the rules' speaker) and scores each with a log-linear model over a few
kinds of evidence: the dependency path to the cue, which side of the cue and how far, the sentence,
the phrase's part of speech, entity type and head word, whether it is its sentence's subject,
whether the rules chose it. The weights were learned on PolNeAR train (train/speaker_ranker.py)
and ship as a small JSON file.

Only attributions of the kinds PolNeAR annotates are re-ranked: source lines with a chain,
"NAME:" labels and intentions keep the rules' speaker. A new speaker is resolved to an entity
like any other (SpeakerResolver) and heads the source chain.
"""

from __future__ import annotations

import json
import math
import warnings
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from spacy.attrs import DEP, HEAD
from spacy.language import Language
from spacy.tokens import Doc, Token

from onrecord.analyse.attribution_spans import in_polnear_scheme
from onrecord.analyse.speakers import SpeakerResolver
from onrecord.analyse.tokens import doc_text
from onrecord.model import Attribution, SpeakerSpan

WEIGHTS_FILE = "speaker_ranker.json"
# Named entities that can speak; the others (dates, money, laws) never do.
SPEAKING_ENTITY_TYPES = frozenset({"PERSON", "ORG", "NORP", "GPE"})
# A dependency path longer than this on either side of the common head is one feature, "far".
MAX_PATH = 4
_DISTANCE_BUCKETS = (0, 1, 2, 3, 5, 8, 13, 21)
_MAX_CACHED_SCORES = 100_000
# An attribution the rules left without a speaker gets the best candidate only when the ranker gives
# it at least this probability and it is not a phrase of the content itself: on held-out train
# articles, 0.3 kept 19 of 85 speakerless statements that PolNeAR gives no source speakerless, for
# 0.3 points of speaker accuracy (0.5 cost 1.2); refusing phrases of the content kept 19 more, for
# 0.1 points.
MIN_FILL_PROBABILITY = 0.3


@dataclass(frozen=True)
class Candidate:
    start: int  # character offsets of the phrase
    end: int
    head: int  # token index of its head
    sentence: int
    own: tuple[str, ...]  # the features of the phrase alone, whatever the attribution


@dataclass(frozen=True)
class Anchor:
    """The token a candidate is measured against: the cue's head (the content's, without a cue)."""

    index: int
    offset: int  # its first character
    sentence: int
    lemma: str
    up: dict[int, int]  # the anchor and its ancestors: token index -> steps up from the anchor


@Language.factory("onrecord_speaker_ranker", assigns=["doc._.attributions"],
                  default_config={"weights_path": None})
def make_speaker_ranker(nlp: Language, name: str, weights_path: str | None) -> SpeakerRanker:
    path = Path(weights_path) if weights_path else packaged_weights()
    weights = load_weights(path)
    if not weights:
        warnings.warn(f"onrecord_speaker_ranker: no weights at {path}; speakers stay as the rules found "
                      "them (rebuild them with `onrecord train speaker-ranker DIR`)", stacklevel=2)
    return SpeakerRanker(weights)


class SpeakerRanker:
    """Rewrites the speaker of each attribution the ranker scores higher elsewhere."""

    def __init__(self, weights: dict[str, float]) -> None:
        self.weights = weights
        self._own_scores: dict[tuple[str, ...], float] = {}  # many candidates share their own features

    def __call__(self, doc: Doc) -> Doc:
        attributions = doc._.attributions
        if not attributions or not self.weights:
            return doc
        text = doc_text(doc)
        resolver = SpeakerResolver(doc, text)
        window = SentenceWindow(doc)
        doc._.attributions = [self.reranked(window, resolver, text, a) if in_polnear_scheme(a) else a
                              for a in attributions]
        return doc

    def score(self, features: list[str]) -> float:
        weight = self.weights.get
        return sum([weight(feature, 0.0) for feature in features])

    def _own_score(self, own: tuple[str, ...]) -> float:
        if own not in self._own_scores:
            if len(self._own_scores) >= _MAX_CACHED_SCORES:  # head lemmas are open-ended: bound a long run
                self._own_scores.clear()
            self._own_scores[own] = self.score(list(own))
        return self._own_scores[own]

    def best(self, window: SentenceWindow, attribution: Attribution) -> tuple[Candidate | None, float]:
        """The best-scored candidate and its probability (softmax over the candidates)."""
        anchor, candidates = window.candidates(attribution)
        if anchor is None or not candidates:
            return None, 0.0
        scores = [self.score(attribution_features(window, attribution, anchor, c)) + self._own_score(c.own)
                  for c in candidates]
        top = max(scores)
        return candidates[scores.index(top)], 1.0 / sum(math.exp(score - top) for score in scores)

    def reranked(self, window: SentenceWindow, resolver: SpeakerResolver, text: str,
                 attribution: Attribution) -> Attribution:
        choice, probability = self.best(window, attribution)
        speaker = attribution.speaker
        if choice is None or (speaker is None and (probability < MIN_FILL_PROBABILITY or _inside(attribution, choice))):
            return attribution
        if speaker is not None and (speaker.start, speaker.end) == (choice.start, choice.end):
            return attribution
        entity = resolver.entity((choice.start, choice.end))
        new = SpeakerSpan(start=choice.start, end=choice.end, text=text[choice.start:choice.end], entity=entity)
        chain = [entity] if entity else []
        return attribution.model_copy(update={"speaker": new, "source_chain": chain})


class SentenceWindow:
    """Candidate speakers of a doc's attributions (its noun chunks and speaking entities) and the
    parse as plain lists, read once: the ranker scores ~20 candidates per attribution, and
    spaCy's Token objects are too slow to build that often."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        relative_heads = doc.to_array([HEAD]).astype("int64")
        self.heads = [index + int(offset) for index, offset in enumerate(relative_heads)]
        strings = doc.vocab.strings
        self.deps = [strings[dep] for dep in doc.to_array([DEP]).tolist()]
        self.sentence_of = [0] * len(doc)
        self.bounds = []
        for index, sentence in enumerate(doc.sents):
            self.bounds.append((sentence.start_char, sentence.end_char))
            self.sentence_of[sentence.start:sentence.end] = [index] * (sentence.end - sentence.start)
        # The noun-chunk iterator's (start, end) pairs: Doc.noun_chunks would build a Span for each.
        # A chunk's head is its last token.
        phrases = {}
        for start, end, _ in doc.noun_chunks_iterator(doc):
            last = doc[end - 1]
            phrases[doc[start].idx, last.idx + len(last)] = (last, end - start)
        for entity in doc.ents:
            if entity.label_ in SPEAKING_ENTITY_TYPES:
                phrases.setdefault((entity.start_char, entity.end_char), (entity.root, len(entity)))
        self.phrases = [self.candidate(start, end, head, size) for (start, end), (head, size) in sorted(phrases.items())]
        self.phrase_starts = [candidate.start for candidate in self.phrases]
        self._ancestors: dict[int, dict[int, int]] = {}

    def candidate(self, start: int, end: int, head: Token, size: int) -> Candidate:
        # The subject of its sentence's main verb: tried alone with two others on held-out train
        # (the previous statement's speaker, "right after the quote"), it was the one that helped.
        main_subject = head.dep_ in ("nsubj", "nsubjpass") and head.head.dep_ == "ROOT"
        own = [f"pos={head.pos_}", f"tag={head.tag_}", f"ent={head.ent_type_}", f"dep={head.dep_}",
               f"len={_bucket(size)}", f"root_subj={main_subject:d}", "bias"]
        if head.pos_ == "PRON":
            own.append(f"pron={head.lower_}")
        if head.pos_ == "NOUN":
            own.append(f"lemma={head.lemma_.lower()}")
        return Candidate(start, end, head.i, self.sentence_of[head.i], tuple(own))

    def candidates(self, attribution: Attribution) -> tuple[Anchor | None, list[Candidate]]:
        """The anchor and the phrases in its sentence and the sentences either side; the rules'
        speaker stands for any phrase it overlaps."""
        spot = attribution.cue or attribution.content
        token = _span(self.doc, spot.start, spot.end)
        if token is None:
            return None, []
        token = token.root
        anchor = Anchor(token.i, token.idx, self.sentence_of[token.i], token.lemma_.lower(), self.ancestors(token.i))
        low = self.bounds[max(0, anchor.sentence - 1)][0]
        high = self.bounds[min(len(self.bounds) - 1, anchor.sentence + 1)][1]
        first = bisect_left(self.phrase_starts, low)
        last = bisect_right(self.phrase_starts, high)
        found = [c for c in self.phrases[first:last] if c.end <= high]
        speaker = attribution.speaker
        span = _span(self.doc, speaker.start, speaker.end) if speaker is not None else None
        if span is not None:
            found = [c for c in found if not (c.start < speaker.end and speaker.start < c.end)]
            found.append(self.candidate(speaker.start, speaker.end, span.root, len(span)))
        return anchor, found

    def ancestors(self, index: int) -> dict[int, int]:
        """The token and its heads up to the root: token index -> steps up (kept: a phrase is a
        candidate of several attributions)."""
        if index in self._ancestors:
            return self._ancestors[index]
        start = index
        steps = {index: 0}
        while self.heads[index] != index and self.heads[index] not in steps:
            index = self.heads[index]
            steps[index] = len(steps)
        self._ancestors[start] = steps
        return steps

    def path(self, head: int, anchor: Anchor) -> str:
        """The dependency labels from `head` up to the lowest common ancestor with the anchor, then
        from the anchor up to it ('nsubj|' is the subject of the cue itself)."""
        up = self.ancestors(head)
        for token, steps in up.items():  # in order, from `head` upwards
            if token in anchor.up:
                anchor_steps = anchor.up[token]
                if steps > MAX_PATH or anchor_steps > MAX_PATH:
                    return "far"
                own = [self.deps[t] for t in list(up)[:steps]]
                anchor_side = [self.deps[t] for t in list(anchor.up)[:anchor_steps]]
                return "/".join(own) + "|" + "/".join(anchor_side)
        return "apart"  # different sentences' trees


def candidate_features(window: SentenceWindow, attribution: Attribution, anchor: Anchor,
                       candidate: Candidate) -> list[str]:
    """The evidence that `candidate` speaks `attribution`, as feature names (weights: train/speaker_ranker.py)."""
    return [*attribution_features(window, attribution, anchor, candidate), *candidate.own]


def attribution_features(window: SentenceWindow, attribution: Attribution, anchor: Anchor,
                         candidate: Candidate) -> list[str]:
    """The features of a candidate that depend on the attribution: where it stands from the cue."""
    kind = attribution.kind
    speaker = attribution.speaker
    from_rules = speaker is not None and (speaker.start, speaker.end) == (candidate.start, candidate.end)
    path = window.path(candidate.head, anchor)
    side = "before" if candidate.end <= anchor.offset else "after"
    sentence = "same" if candidate.sentence == anchor.sentence else (
        "prev" if candidate.sentence < anchor.sentence else "next")
    inside = _inside(attribution, candidate)
    features = [f"rule={from_rules:d}", f"path={path}", f"path_kind={path}_{kind}", f"side={side}",
                f"dist={side}{_bucket(abs(candidate.head - anchor.index))}", f"kind_side={kind}_{side}",
                f"sent={sentence}", f"inside={inside:d}", f"cue_dep={anchor.lemma}_{window.deps[candidate.head]}"]
    if from_rules:
        features.append(f"rule_kind={kind}")
    return features


def load_weights(path: Path | None = None) -> dict[str, float]:
    """The feature weights in a file written by train/speaker_ranker.py ({} when there is none)."""
    return dict(_load_weights(str(path or packaged_weights())))


@lru_cache(maxsize=4)
def _load_weights(path: str) -> tuple[tuple[str, float], ...]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return ()
    return tuple(data["weights"].items())


def packaged_weights() -> Path:
    return Path(str(resources.files("onrecord.data").joinpath(WEIGHTS_FILE)))


def _inside(attribution: Attribution, candidate: Candidate) -> bool:
    """Whether the candidate lies within the content (its words, not the gap of a split quote)."""
    parts = attribution.content.parts or [attribution.content]
    return any(candidate.start < part.end and part.start < candidate.end for part in parts)


def _span(doc: Doc, start: int, end: int):
    span = doc.char_span(start, end, alignment_mode="expand")
    return span if span is not None and len(span) else None


def _bucket(number: int) -> str:
    return _BUCKET_NAMES[number] if number < len(_BUCKET_NAMES) else "big"


# The bucket name of every number up to the last bound, looked up rather than searched.
_BUCKET_NAMES = [next(str(bound) for bound in _DISTANCE_BUCKETS if number <= bound)
                 for number in range(_DISTANCE_BUCKETS[-1] + 1)]
