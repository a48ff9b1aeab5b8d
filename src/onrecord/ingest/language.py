"""Language identification (py3langid: its model ships inside the package, nothing is fetched)."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

# langid reads about 2,000 characters well; more only costs time.
_SAMPLE_CHARS = 4000
# A share of English function words this high is English: running prose has 30-50%; a German,
# Polish or Russian text (transliterated names aside) has almost none of this list.
_MIN_FUNCTION_WORD_SHARE = 0.15


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import _load_identifier

    return _load_identifier(norm_probs=True)


@lru_cache(maxsize=1)
def _function_words() -> frozenset[str]:
    lines = resources.files("onrecord.data").joinpath("english_function_words.txt").read_text("utf-8")
    return frozenset(line.strip() for line in lines.splitlines() if line.strip() and not line.startswith("#"))


def english_function_word_share(text: str) -> float:
    words = re.findall(r"[^\W\d_]+", text.lower())
    return sum(1 for word in words if word in _function_words()) / len(words) if words else 0.0


def detect_language(text: str) -> tuple[str, float]:
    """ISO 639-1 code of the text's language and a confidence (0-1). Identifiers misread short
    English texts full of foreign names, so English function words decide first."""
    sample = text[:_SAMPLE_CHARS]
    if not any(ch.isalpha() for ch in sample):
        return "und", 0.0
    share = english_function_word_share(sample)
    if share >= _MIN_FUNCTION_WORD_SHARE:
        return "en", min(1.0, 0.5 + share)
    language, confidence = _identifier().classify(sample)
    return language, float(confidence)
