"""Paragraphs: a sentence never crosses a paragraph break, and the record lists paragraph offsets."""

from __future__ import annotations

import re

import numpy
from spacy.attrs import IDX
from spacy.language import Language
from spacy.tokens import Doc

from onrecord.analyse.tokens import doc_text

_BREAK = re.compile(r"\n\s*\n")


def paragraph_offsets(text: str) -> list[tuple[int, int]]:
    """Offsets of the non-blank stretches between blank lines."""
    offsets, start = [], 0
    for match in [*_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        chunk = text[start:end]
        if chunk.strip():
            left = start + len(chunk) - len(chunk.lstrip())
            offsets.append((left, start + len(chunk.rstrip())))
        if match:
            start = match.end()
    return offsets


@Language.component("onrecord_paragraphs", assigns=["doc._.paragraphs", "token.is_sent_start"])
def mark_paragraphs(doc: Doc) -> Doc:
    """Record paragraph offsets and start a sentence at each paragraph's first token."""
    doc._.paragraphs = paragraph_offsets(doc_text(doc))
    # The tokens' offsets as one array: looking up each paragraph's start in it avoids building a
    # Token object for every word of the article.
    offsets = doc.to_array(IDX)
    for start, _ in doc._.paragraphs:
        i = int(numpy.searchsorted(offsets, start))
        if 1 <= i < len(doc) and offsets[i] == start:
            doc[i].is_sent_start = True
    return doc
