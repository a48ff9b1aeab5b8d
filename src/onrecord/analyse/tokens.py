"""One list of a Doc's Token objects, shared by the passes of the entity component; the Doc's text
read once for all components.

Iterating a Doc (or indexing it) builds a new Token object every time; the entity component reads
the tokens in about eight passes, and building them was most of its run time. The list is kept for
the last Doc asked about only (per thread), and `release` drops it when the component is done.
`doc.text` too is rebuilt from the tokens on every access (about 1 ms for an article): `doc_text`
keeps it in the Doc's user data, where the Analyzer puts the article's text before parsing.
"""

from __future__ import annotations

import threading

import numpy

_local = threading.local()


def doc_tokens(doc) -> list:
    """The Token objects of `doc`, built once while the same Doc is being worked on."""
    cached = getattr(_local, "cached", None)
    if cached is None or cached[0] is not doc or len(cached[1]) != len(doc):
        cached = (doc, list(doc))
        _local.cached = cached
    return cached[1]


def release() -> None:
    """Forget the cached Doc, so that it is not kept alive after the component has run."""
    _local.cached = None


def span_text(tokens: list, start: int, end: int) -> str:
    """The text of tokens[start:end], as Span.text gives it, without building a Span."""
    if start >= end:
        return ""
    return "".join(token.text_with_ws for token in tokens[start:end - 1]) + tokens[end - 1].text


# The key of the text in Doc.user_data (extension values live there under ("._.", name, ...) keys).
_TEXT_KEY = ("onrecord", "text")


def doc_text(doc) -> str:
    """`doc.text`, built from the tokens only once per Doc."""
    text = doc.user_data.get(_TEXT_KEY)
    if text is None or len(text) != _text_length(doc):
        text = doc.text
        doc.user_data[_TEXT_KEY] = text
    return text


def keep_text(doc, text: str) -> None:
    """Tell `doc_text` the text `doc` was made from (checked against the doc's length)."""
    if len(text) == _text_length(doc):
        doc.user_data[_TEXT_KEY] = text


def _text_length(doc) -> int:
    if not len(doc):
        return 0
    last = doc[-1]
    return last.idx + len(last.text_with_ws)


def column(doc, attr) -> numpy.ndarray:
    """One token attribute (a spacy.attrs id) of every token, as Doc.to_array gives it."""
    return doc.to_array(attr) if len(doc) else numpy.zeros(0, dtype=numpy.uint64)


def tokens_where(doc, mask: numpy.ndarray) -> list:
    """The Token objects (of doc_tokens) where `mask` holds, in text order: passes that only care
    about capitalised words, nouns or a few listed words go over those alone."""
    tokens = doc_tokens(doc)
    return [tokens[i] for i in numpy.flatnonzero(mask).tolist()]
