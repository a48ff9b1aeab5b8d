"""One list of a Doc's Token objects, shared by the passes of the entity component.

Iterating a Doc (or indexing it) builds a new Token object every time; the entity component reads
the tokens in about eight passes, and building them was most of its run time. The list is kept for
the last Doc asked about only (per thread), and `release` drops it when the component is done.
"""

from __future__ import annotations

import threading

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
