"""Factuality of a reported content: asserted, possible, intended or negated, with the words that said so.

Only the main clause of the content's first sentence counts: a hedge deep inside a long quote
qualifies its own clause, not the statement as a whole. The cue's own modifiers count too
("reportedly said", "did not say"). The word lists live in data/hedges.tsv.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from spacy.tokens import Doc, Span, Token

from onrecord.model import Span as TextSpan

# When several kinds of hedge qualify one statement, the weakest commitment wins: a possible
# statement stays possible even if it is also negated ("it is possible that it will not ...").
_PRECEDENCE = ("possible", "negated", "intended", "promised")
# Dependents of the main predicate that carry modality.
_MODIFIER_DEPS = ("aux", "auxpass", "advmod", "neg", "mark")


@lru_cache(maxsize=1)
def _phrases_by_first_word() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for phrase, factuality in hedge_phrases().items():
        index.setdefault(phrase[0], []).append((phrase, factuality))
    return index


@lru_cache(maxsize=1)
def hedge_phrases() -> dict[tuple[str, ...], str]:
    """Lemma sequence -> factuality, from the data file."""
    text = resources.files("onrecord.data").joinpath("hedges.tsv").read_text(encoding="utf-8")
    phrases = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            phrase, factuality = line.split("\t")
            phrases[tuple(phrase.split())] = factuality
    return phrases


def content_factuality(doc: Doc, start: int, end: int, cue: tuple[int, int] | None = None,
                       text: str | None = None) -> tuple[str, list[TextSpan]]:
    """(factuality, hedge spans) of the content at doc.text[start:end], given its cue's offsets.
    Pass `text` (doc.text) when calling often: spaCy rebuilds doc.text on every access."""
    text = doc.text if text is None else text
    content = doc.char_span(start, end, alignment_mode="contract")
    if content is None or not len(content):
        return "asserted", []
    candidates = _main_clause_tokens(content)
    if cue is not None:
        cue_span = doc.char_span(cue[0], cue[1], alignment_mode="expand")
        if cue_span is not None and len(cue_span):
            candidates += list(cue_span) + [child for token in cue_span for child in token.children
                                            if child.dep_ in _MODIFIER_DEPS]
    found: dict[str, list[TextSpan]] = {}
    for token in sorted(set(candidates), key=lambda t: t.i):
        for factuality, tokens in _hedges_at(doc, token):
            first, last = tokens[0], tokens[-1]
            found.setdefault(factuality, []).append(
                TextSpan(start=first.idx, end=last.idx + len(last), text=text[first.idx:last.idx + len(last)]))
    for factuality in _PRECEDENCE:
        if factuality in found:
            return factuality, found[factuality]
    return "asserted", []


def _main_clause_tokens(content: Span) -> list[Token]:
    """The predicate of the content's first sentence and its modal dependents."""
    first_sentence = [content[0]]
    for token in content[1:]:
        if token.is_sent_start:
            break
        first_sentence.append(token)
    inside = {token.i for token in first_sentence}
    roots = [token for token in first_sentence if token.head.i not in inside or token.head.i == token.i]
    tokens: list[Token] = []
    for root in roots:
        predicate = root
        # "It is possible that X": the adjective is the hedge, X the statement.
        tokens.append(predicate)
        tokens += [child for child in predicate.children if child.dep_ in _MODIFIER_DEPS + ("acomp", "xcomp")]
        for child in predicate.children:
            if child.dep_ in ("ccomp", "xcomp", "acomp"):
                tokens += [grand for grand in child.children if grand.dep_ in ("aux", "neg", "advmod")]
    return tokens


def _hedges_at(doc: Doc, token: Token):
    """Hedge phrases of the data file that start at `token`."""
    index = _phrases_by_first_word()
    candidates = index.get(token.lower_, []) + index.get(token.lemma_.lower(), []) if token.lower_ != token.lemma_.lower() \
        else index.get(token.lower_, [])
    for phrase, factuality in candidates:
        window = doc[token.i:token.i + len(phrase)]
        if len(window) == len(phrase) and all(_matches(t, word) for t, word in zip(window, phrase, strict=True)):
            yield factuality, list(window)


def _matches(token: Token, word: str) -> bool:
    return token.lower_ == word or token.lemma_.lower() == word
