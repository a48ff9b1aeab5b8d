"""The ingested article: clean text and metadata, before any analysis."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


@dataclass
class Article:
    text: str  # clean text: every offset of the record points into it
    title: str | None = None
    published: str | None = None  # YYYY-MM-DD
    outlet: str | None = None
    url: str | None = None
    author: str | None = None
    source: str | None = None  # file path or URL it was read from
    id: str | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def body(self) -> str:
        """The text without the headline that opens it (the headline stays in `text` so that
        offsets can point into it; extraction is scored on the body alone)."""
        if self.title and self.text.startswith(self.title):
            return self.text[len(self.title):].lstrip("\n")
        return self.text

    @property
    def doc_id(self) -> str:
        """The input's own id, else a hash of the clean text (stable across runs and machines)."""
        if self.id:
            return self.id
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:16]
