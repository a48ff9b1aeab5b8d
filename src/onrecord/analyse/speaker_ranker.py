"""The `onrecord_speaker_ranker` component: a learned ranker picks each attribution's speaker among
the noun phrases around its cue.

The rules (reported.py, quotes.py) take the cue verb's subject, or the speaker of the quote before;
that is right most of the time but not when the parse hangs the subject elsewhere, when a relative
pronoun stands in for a name, or when a quote's speaker is in the next sentence. The ranker sees
every candidate phrase near the cue (noun chunks and named entities in the cue's sentence and the
ones on either side, plus the rules' speaker) and scores each with a log-linear model over a few
kinds of evidence: the dependency path to the cue, which side of the cue and how far, the sentence,
the phrase's part of speech, entity type and head word, whether the rules chose it. The weights
were learned on PolNeAR train (train/speaker_ranker.py) and ship as a small JSON file.

Only attributions of the kinds PolNeAR annotates are re-ranked: source lines with a chain,
"NAME:" labels and intentions keep the rules' speaker. A new speaker is resolved to an entity
like any other (SpeakerResolver) and heads the source chain.
"""

from __future__ import annotations

import json
import math
import warnings
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

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
# An attribution the rules left without a speaker gets the best candidate only when the ranker gives
# it at least this probability: on held-out train articles, 0.3 kept 19 of 85 speakerless statements
# that PolNeAR gives no source speakerless, for 0.3 points of speaker accuracy (0.5 cost 1.2).
MIN_FILL_PROBABILITY = 0.3


@dataclass(frozen=True)
class Candidate:
    start: int  # character offsets of the phrase
    end: int
    head: Token


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
        return sum(self.weights.get(feature, 0.0) for feature in features)

    def best(self, window: SentenceWindow, attribution: Attribution) -> tuple[Candidate | None, float]:
        """The best-scored candidate and its probability (softmax over the candidates)."""
        anchor, candidates = window.candidates(attribution)
        if anchor is None or not candidates:
            return None, 0.0
        scores = [self.score(candidate_features(attribution, anchor, c)) for c in candidates]
        top = max(scores)
        return candidates[scores.index(top)], 1.0 / sum(math.exp(score - top) for score in scores)

    def reranked(self, window: SentenceWindow, resolver: SpeakerResolver, text: str,
                 attribution: Attribution) -> Attribution:
        choice, probability = self.best(window, attribution)
        speaker = attribution.speaker
        if choice is None or (speaker is None and probability < MIN_FILL_PROBABILITY):
            return attribution
        if speaker is not None and (speaker.start, speaker.end) == (choice.start, choice.end):
            return attribution
        entity = resolver.entity(_referent(choice))
        new = SpeakerSpan(start=choice.start, end=choice.end, text=text[choice.start:choice.end], entity=entity)
        chain = [entity] if entity else []
        return attribution.model_copy(update={"speaker": new, "source_chain": chain})


class SentenceWindow:
    """Candidate speakers of a doc's attributions: its noun chunks and speaking entities, found once."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.sentences = list(doc.sents)
        self.sentence_of = {}
        for index, sentence in enumerate(self.sentences):
            for token in sentence:
                self.sentence_of[token.i] = index
        phrases = {(chunk.start_char, chunk.end_char): chunk.root for chunk in doc.noun_chunks}
        for entity in doc.ents:
            if entity.label_ in SPEAKING_ENTITY_TYPES:
                phrases.setdefault((entity.start_char, entity.end_char), entity.root)
        self.phrases = sorted(phrases.items())

    def candidates(self, attribution: Attribution) -> tuple[Token | None, list[Candidate]]:
        """The cue's head token (the content's without a cue) and the phrases in its sentence and
        the sentences either side; the rules' speaker stands for any phrase it overlaps."""
        spot = attribution.cue or attribution.content
        anchor = _root(self.doc, spot.start, spot.end)
        if anchor is None:
            return None, []
        index = self.sentence_of[anchor.i]
        low = self.sentences[max(0, index - 1)].start_char
        high = self.sentences[min(len(self.sentences) - 1, index + 1)].end_char
        found = [Candidate(start, end, head) for (start, end), head in self.phrases if low <= start and end <= high]
        speaker = attribution.speaker
        if speaker is not None:
            head = _root(self.doc, speaker.start, speaker.end)
            if head is not None:
                found = [c for c in found if not (c.start < speaker.end and speaker.start < c.end)]
                found.append(Candidate(speaker.start, speaker.end, head))
        return anchor, found


def candidate_features(attribution: Attribution, anchor: Token, candidate: Candidate) -> list[str]:
    """The evidence that `candidate` speaks `attribution`, as feature names (weights: train/speaker_ranker.py)."""
    head, kind = candidate.head, attribution.kind
    speaker = attribution.speaker
    from_rules = speaker is not None and (speaker.start, speaker.end) == (candidate.start, candidate.end)
    path = dependency_path(head, anchor)
    side = "before" if candidate.end <= anchor.idx else "after"
    sentence = "same" if head.sent.start == anchor.sent.start else (
        "prev" if head.sent.start < anchor.sent.start else "next")
    parts = attribution.content.parts or [attribution.content]
    inside = any(candidate.start < part.end and part.start < candidate.end for part in parts)
    features = [f"rule={from_rules:d}", f"path={path}", f"path_kind={path}_{kind}", f"side={side}",
                f"dist={side}{_bucket(abs(head.i - anchor.i))}", f"kind_side={kind}_{side}",
                f"sent={sentence}", f"pos={head.pos_}", f"tag={head.tag_}", f"ent={head.ent_type_}",
                f"dep={head.dep_}", f"inside={inside:d}", f"cue_dep={anchor.lemma_.lower()}_{head.dep_}",
                f"len={_bucket(_token_count(head.doc, candidate))}", "bias"]
    if head.pos_ == "PRON":
        features.append(f"pron={head.lower_}")
    if head.pos_ == "NOUN":
        features.append(f"lemma={head.lemma_.lower()}")
    if from_rules:
        features.append(f"rule_kind={kind}")
    return features


def dependency_path(head: Token, anchor: Token) -> str:
    """The dependency labels from `head` up to the lowest common ancestor, then from `anchor` up to
    it ('nsubj|' is the subject of the cue itself)."""
    up = [head, *head.ancestors]
    anchor_up = {token.i: steps for steps, token in enumerate([anchor, *anchor.ancestors])}
    for steps, token in enumerate(up):
        if token.i in anchor_up:
            anchor_steps = anchor_up[token.i]
            if steps > MAX_PATH or anchor_steps > MAX_PATH:
                return "far"
            anchor_path = [anchor, *anchor.ancestors][:anchor_steps]
            return "/".join(t.dep_ for t in up[:steps]) + "|" + "/".join(t.dep_ for t in anchor_path)
    return "apart"  # different sentences' trees


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


def _referent(candidate: Candidate) -> tuple[int, int]:
    """The phrase to resolve to an entity: a relative pronoun ('the former president, who spent his
    speech defending ...') stands for the noun its clause belongs to; PolNeAR marks the pronoun as
    the source, the record wants whom it names."""
    head = candidate.head
    clause = head.head
    if head.tag_ in ("WP", "WDT") and clause.dep_ == "relcl" and clause.head.pos_ in ("NOUN", "PROPN"):
        noun = clause.head
        return noun.left_edge.idx, noun.idx + len(noun)
    return candidate.start, candidate.end


def _root(doc: Doc, start: int, end: int) -> Token | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _token_count(doc: Doc, candidate: Candidate) -> int:
    span = doc.char_span(candidate.start, candidate.end, alignment_mode="expand")
    return len(span) if span is not None else 0


def _bucket(number: int) -> str:
    return next((str(bound) for bound in _DISTANCE_BUCKETS if number <= bound), "big")
