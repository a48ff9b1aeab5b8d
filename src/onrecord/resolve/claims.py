"""Claim identity across articles: the same reported claim in many articles is one claim.

Two statements are the same claim when the same speaker (a corpus entity, or the same folded
speaker text) said them, their content words overlap enough, and their polarity agrees. A claim's
corroboration is the number of independent outlets reporting it: syndicated copies of one article
count once. Two claims contradict each other when their content matches and their polarity is
opposite ("X said the plant will close" / "Y denied that the plant will close"), whoever spoke.
Pure functions over plain values: the store feeds them rows and writes the groups back.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

# Share of content words two statements of one speaker must share (Jaccard) to be one claim.
# 0.5 joins a direct quote with its paraphrase ("We will close the plant" / "would close the
# plant") and keeps apart statements on one topic that say different things.
SAME_CLAIM = 0.5
# Contradictions compare claims of any speaker, so they ask for closer wording.
SAME_CONTENT_ACROSS_SPEAKERS = 0.6
# A statement needs this many content words to be compared at all: "Yes." is not a claim.
MIN_CONTENT_WORDS = 2


@lru_cache(maxsize=1)
def _words() -> dict[str, frozenset[str]]:
    path = Path(__file__).resolve().parent.parent / "data" / "claim_words.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {name: frozenset(values) for name, values in data.items()}


@dataclass(frozen=True)
class Statement:
    """One attribution as claim identity sees it."""

    attribution_id: int
    speaker: str  # corpus entity id, or "text:" + the folded speaker text
    content: str
    source_unit: str  # the outlet of the original article (syndicated copies share one)
    document: str


@dataclass
class Claim:
    speaker: str
    content: str
    polarity: str
    words: frozenset[str]
    members: list[Statement] = field(default_factory=list)

    @property
    def documents(self) -> int:
        return len({member.document for member in self.members})

    @property
    def outlets(self) -> int:
        return len({member.source_unit for member in self.members})


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("\u2019", "'"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _stem(word: str) -> str:
    """A crude English suffix strip so that 'closes', 'closed' and 'closing' meet."""
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[:-len(suffix)]
    return word


def content_words(content: str) -> tuple[frozenset[str], bool]:
    """The content words of a statement, and whether it is negated in its own words."""
    words = _words()
    tokens = re.findall(r"\w+(?:'t)?", _fold(content))
    negated = False
    kept = set()
    for token in tokens:
        if token in words["negations"] or token.endswith("n't"):
            negated = not negated
            token = token[:-3] if token.endswith("n't") else ""
        if token and token not in words["function_words"] and token not in words["negations"]:
            kept.add(_stem(token))
    return frozenset(kept), negated


def polarity(content: str, factuality: str, cue: str | None) -> str:
    """'negative' when the statement denies or negates what it reports, else 'positive'."""
    _, negated_in_words = content_words(content)
    denied = bool(cue) and any(word in _words()["denials"] for word in re.findall(r"\w+", _fold(cue)))
    negative = negated_in_words or denied or factuality == "negated"
    return "negative" if negative else "positive"


def jaccard(first: frozenset[str], second: frozenset[str]) -> float:
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)


def group_claims(statements: Iterable[tuple[Statement, str]]) -> list[Claim]:
    """Group (statement, polarity) pairs into claims, in the order given (earliest first)."""
    claims: list[Claim] = []
    # Per speaker, an index from content word to that speaker's claims, so a statement is only
    # compared with claims sharing a word: linear in the corpus, not quadratic.
    index: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for statement, claim_polarity in statements:
        words, _ = content_words(statement.content)
        if len(words) < MIN_CONTENT_WORDS:
            continue
        speaker_index = index[statement.speaker]
        best, best_score = None, SAME_CLAIM
        for position in {position for word in words for position in speaker_index.get(word, [])}:
            claim = claims[position]
            score = jaccard(words, claim.words)
            if claim.polarity == claim_polarity and score >= best_score:
                best, best_score = position, score
        if best is None:
            claims.append(Claim(statement.speaker, statement.content, claim_polarity, words))
            best = len(claims) - 1
            for word in words:
                speaker_index[word].append(best)
        claims[best].members.append(statement)
    return claims


def contradictions(claims: list[Claim]) -> list[tuple[int, int]]:
    """Pairs of claim positions with matching content and opposite polarity."""
    by_word: dict[str, list[int]] = defaultdict(list)
    for position, claim in enumerate(claims):
        for word in claim.words:
            by_word[word].append(position)
    pairs = set()
    for position, claim in enumerate(claims):
        if claim.polarity != "negative":
            continue
        candidates = {other for word in claim.words for other in by_word[word]}
        for other in candidates:
            other_claim = claims[other]
            threshold = SAME_CLAIM if other_claim.speaker == claim.speaker else SAME_CONTENT_ACROSS_SPEAKERS
            if other_claim.polarity == "positive" and jaccard(claim.words, other_claim.words) >= threshold:
                pairs.add((min(position, other), max(position, other)))
    return sorted(pairs)
