"""Language identification (py3langid: its model ships inside the package, nothing is fetched)."""

from __future__ import annotations

from functools import lru_cache

# langid reads about 2,000 characters well; more only costs time.
_SAMPLE_CHARS = 4000


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import _load_identifier

    return _load_identifier(norm_probs=True)


def detect_language(text: str) -> tuple[str, float]:
    """ISO 639-1 code of the text's language and the identifier's confidence (0-1)."""
    sample = text[:_SAMPLE_CHARS]
    if not any(ch.isalpha() for ch in sample):
        return "und", 0.0
    language, confidence = _identifier().classify(sample)
    return language, float(confidence)
