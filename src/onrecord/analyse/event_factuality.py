"""Factuality of an event or a reported content: how sure, positive or negative, future or not,
wanted, promised, or under a condition.

The reading comes from the dependency parse around the predicate: its own auxiliaries, negation and
hedging adverbs, then the verbs that govern it through xcomp/ccomp ("wants to produce", "it is possible
that ... will", "refused to pay"), and any if-clause attached along that chain. Word lists are in
data/factuality_markers.toml. `read_factuality` works on any predicate token, `content_factuality` on a
span of text (for attributions), and `record_factuality` maps a reading onto the record's single label.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from spacy.tokens import Doc, Token

from onrecord.model import Factuality

_CERTAINTY_ORDER = {"certain": 0, "probable": 1, "possible": 2}
# Links through which a governing verb colours the event it embeds.
_EMBEDDING = {"xcomp", "ccomp", "conj", "acomp", "oprd"}
# Verbs of saying stop the climb: a reported event keeps its own factuality; the source is the
# attribution's business, not a hedge.
_REPORTING = {"say", "tell", "state", "announce", "add", "note", "report", "claim", "clarify", "explain",
              "write", "declare", "insist", "confirm"}


@dataclass
class FactualityReading:
    certainty: str = "certain"  # certain | probable | possible
    polarity: str = "pos"  # pos | neg
    time: str = "non_future"  # future | non_future
    intention: bool = False
    promise: bool = False
    condition: tuple[int, int] | None = None  # character offsets of the condition clause
    hedges: list[tuple[int, int]] = field(default_factory=list)  # character offsets of hedge words
    markers: list[str] = field(default_factory=list)  # the words that decided, for explanations


@lru_cache(maxsize=1)
def markers() -> dict:
    with resources.files("onrecord.data").joinpath("factuality_markers.toml").open("rb") as handle:
        return tomllib.load(handle)


def _forms(token: Token) -> set[str]:
    """The lemma and the plain word forms: the lemmatiser misreads some verbs ("hopes" -> "hop")."""
    word = token.lower_
    forms = {token.lemma_.lower(), word}
    for ending in ("es", "s", "ed", "d", "ing"):
        if word.endswith(ending) and len(word) > len(ending) + 2:
            forms.add(word[: -len(ending)])
    return forms


def _first(forms: set[str], words) -> str | None:
    return next((form for form in forms if form in words), None)


def _lessen(reading: FactualityReading, certainty: str) -> None:
    if _CERTAINTY_ORDER[certainty] > _CERTAINTY_ORDER[reading.certainty]:
        reading.certainty = certainty


def _note(reading: FactualityReading, token: Token) -> None:
    reading.markers.append(token.lower_)


def _own_markers(token: Token, reading: FactualityReading, is_event: bool) -> None:
    """Auxiliaries, negation and hedges attached to one predicate of the chain."""
    words = markers()
    for child in token.children:
        lower = child.lower_
        if child.dep_ in ("aux", "auxpass") and lower in words["modal"]:
            modal = words["modal"][lower]
            _lessen(reading, modal["certainty"])
            if modal["future"]:
                reading.time = "future"
            _note(reading, child)
        elif child.dep_ == "aux" and lower == "to" and is_event and token.tag_ == "VB":
            reading.time = "future"  # an infinitive event has not happened yet ("agreed to supply")
        elif child.dep_ == "neg" or (child.dep_ == "det" and lower == "no"):
            reading.polarity = "neg" if reading.polarity == "pos" else "pos"
            _note(reading, child)
        elif child.dep_ in ("advmod", "acomp", "amod") and lower in words["hedge"]:
            _lessen(reading, words["hedge"][lower])
            reading.hedges.append((child.idx, child.idx + len(child)))
            _note(reading, child)
        elif child.dep_ == "advcl" and _condition_mark(child):
            reading.condition = (child.left_edge.idx, child.right_edge.idx + len(child.right_edge))
    if token.lower_ == "going" and token.i + 1 < len(token.doc) and token.nbor(1).lower_ == "to":
        reading.time = "future"


def _condition_mark(clause: Token) -> bool:
    return any(child.dep_ == "mark" and child.lower_ in markers()["condition"]["words"] for child in clause.children)


def _governor_markers(governor: Token, reading: FactualityReading) -> None:
    """What a verb governing the event says about it: intention, promise, negation, hedging."""
    words = markers()
    forms = _forms(governor)
    if _first(forms, words["promise"]["verbs"]):
        reading.promise = True
        reading.time = "future"
        _note(reading, governor)
    elif _first(forms, words["intention"]["verbs"]):
        reading.intention = True
        reading.time = "future"
        _note(reading, governor)
    if _first(forms, words["negation"]["verbs"]):
        reading.polarity = "neg" if reading.polarity == "pos" else "pos"
        _note(reading, governor)
    hedge_verb = _first(forms, words["hedge_verb"])
    if hedge_verb:
        _lessen(reading, words["hedge_verb"][hedge_verb])
        _note(reading, governor)
    for child in governor.children:  # "it is possible that ...", "it is likely that ..."
        if child.dep_ == "acomp" and child.lower_ in words["hedge"]:
            _lessen(reading, words["hedge"][child.lower_])
            reading.hedges.append((child.idx, child.idx + len(child)))
            _note(reading, child)


def _hedging_governor(governor: Token, reading: FactualityReading) -> None:
    words = markers()
    hedge_verb = _first(_forms(governor), words["hedge_verb"])
    if hedge_verb:
        _lessen(reading, words["hedge_verb"][hedge_verb])
        _note(reading, governor)
    if "deny" in _forms(governor):  # "denied that it ..." negates the reported clause
        reading.polarity = "neg" if reading.polarity == "pos" else "pos"
    for child in governor.children:
        if child.dep_ in ("acomp", "advmod") and child.lower_ in words["hedge"]:
            _lessen(reading, words["hedge"][child.lower_])
            reading.hedges.append((child.idx, child.idx + len(child)))
            _note(reading, child)
        elif child.dep_ == "neg":
            reading.polarity = "neg" if reading.polarity == "pos" else "pos"


def read_factuality(token: Token) -> FactualityReading:
    """The factuality of the event whose predicate is `token` (a verb, or a noun naming an event)."""
    reading = FactualityReading()
    _own_markers(token, reading, is_event=True)
    current, steps = token, 0
    while current.dep_ in _EMBEDDING and current.head.i != current.i and steps < 4:
        governor = current.head
        if _forms(governor) & _REPORTING:
            break
        if current.dep_ == "conj":  # "will come and tell": conjuncts share the first one's auxiliaries
            if not any(c.dep_ in ("aux", "neg") for c in token.children):
                _own_markers(governor, reading, is_event=False)
        elif current.dep_ == "xcomp":  # "wants to produce", "promised to pay", "refused to go"
            _governor_markers(governor, reading)
            _own_markers(governor, reading, is_event=False)  # "did not want to go": not done either
        else:  # a clause under "it is possible that ...", "seems that ...": hedges only
            _hedging_governor(governor, reading)
        current, steps = governor, steps + 1
    if token.pos_ == "NOUN":
        _noun_markers(token, reading)
    if reading.condition is None:
        reading.condition = _condition_on_clause(token)
    return reading


def _noun_markers(token: Token, reading: FactualityReading) -> None:
    """An event noun takes the modality of the verb it is the object or subject of ("will hold talks")."""
    head = token.head
    if token.dep_ in ("dobj", "nsubj", "nsubjpass", "attr") and head.pos_ in ("VERB", "AUX"):
        _own_markers(head, reading, is_event=False)
        if _first(_forms(head), markers()["intention"]["verbs"] + markers()["promise"]["verbs"]):
            _governor_markers(head, reading)


def _condition_on_clause(token: Token) -> tuple[int, int] | None:
    """An if-clause on the main verb of the event's clause ("if X comes, then we will have ...")."""
    current = token
    for _ in range(4):
        for child in current.children:
            if child.dep_ == "advcl" and _condition_mark(child) and child.i != token.i:
                return child.left_edge.idx, child.right_edge.idx + len(child.right_edge)
        if current.dep_ not in _EMBEDDING or current.head.i == current.i:
            break
        current = current.head
    return None


def record_factuality(reading: FactualityReading) -> Factuality:
    """The record's one label: possible, negated, promised, intended or asserted (in that order)."""
    if reading.certainty == "possible":
        return "possible"
    if reading.polarity == "neg":
        return "negated"
    if reading.promise:
        return "promised"
    if reading.intention or reading.time == "future":
        return "intended"
    if reading.condition is not None or reading.certainty == "probable":
        return "possible"
    return "asserted"


def content_factuality(doc: Doc, start: int, end: int) -> tuple[Factuality, list[tuple[int, int]]]:
    """The factuality of a reported content (character offsets), for the attribution component: the
    reading of the content's main predicate, and the hedge words found (offsets)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return "asserted", []
    roots = [t for t in span if t.head.i < span.start or t.head.i >= span.end or t.head.i == t.i]
    predicate = next((t for t in roots if t.pos_ in ("VERB", "AUX")), roots[0] if roots else span.root)
    reading = read_factuality(predicate)
    return record_factuality(reading), reading.hedges
