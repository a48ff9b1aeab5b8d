"""Near-duplicate and syndicated copies: MinHash over word shingles, checked by exact overlap.

A syndicated copy is usually the same wire text, trimmed or with a different headline and byline,
so two documents are linked when most of the shorter one's shingles are in the longer one.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

# Five-word shingles: long enough that unrelated news texts rarely share one, short enough that
# an edited sentence only breaks five of them (the usual choice in near-duplicate detection).
SHINGLE_WORDS = 5
# 32 hash functions in 8 bands of 4: two texts whose shingle sets have Jaccard similarity 0.6 share
# a band with probability 1-(1-0.6^4)^8 = 0.67, at 0.8 with 0.99; unrelated texts almost never.
HASHES, BANDS = 32, 8
ROWS = HASHES // BANDS
# Share of the shorter text's shingles found in the other text from which two documents are copies;
# chosen so that a copy with a new headline, byline and one changed paragraph in ten still counts.
MIN_OVERLAP = 0.8

_MASKS = np.random.default_rng(20240601).integers(0, 2**63 - 1, size=HASHES, dtype=np.int64).astype(np.uint64)
_WORD = re.compile(r"\w+")


def shingles(text: str) -> set[int]:
    words = _WORD.findall(text.casefold())
    if len(words) < SHINGLE_WORDS:
        grams = [" ".join(words)] if words else []
    else:
        grams = [" ".join(words[i:i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)]
    return {int.from_bytes(hashlib.blake2b(gram.encode(), digest_size=8).digest(), "little") for gram in grams}


def band_hashes(shingle_set: set[int]) -> list[str]:
    """One hex hash per band of the MinHash signature; equal bands make two documents candidates."""
    if not shingle_set:
        return []
    values = np.fromiter(shingle_set, dtype=np.uint64, count=len(shingle_set))
    signature = np.bitwise_xor(values[:, None], _MASKS[None, :]).min(axis=0)
    return [hashlib.blake2b(signature[band * ROWS:(band + 1) * ROWS].tobytes(), digest_size=8).hexdigest()
            for band in range(BANDS)]


# A text less than half as long as the other is a different article quoting it, not a trimmed copy.
MIN_LENGTH_RATIO = 0.5


def copy_similarity(first: set[int], second: set[int]) -> float:
    """Share of the smaller shingle set contained in the other one (1.0 for a trimmed copy);
    0.0 when one text is too much shorter to be a copy of the other."""
    if not first or not second:
        return 0.0
    smaller, larger = sorted((len(first), len(second)))
    if smaller / larger < MIN_LENGTH_RATIO:
        return 0.0
    return len(first & second) / smaller
