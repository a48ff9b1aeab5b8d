"""Near-duplicate and syndicated copies: MinHash over word shingles, checked by exact overlap.

A syndicated copy is usually the same wire text, trimmed or with a different headline and byline,
so two documents are linked when most of the shorter one's shingles are in the longer one.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

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


@lru_cache(maxsize=200_000)
def _word_hash(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")


# Odd multipliers mixing the word hashes of a shingle into one 64-bit value (wrapping arithmetic).
_MIXERS = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
                    0xFF51AFD7ED558CCD], dtype=np.uint64)


def shingles(text: str) -> np.ndarray:
    """The distinct 64-bit hashes of the text's five-word shingles, sorted."""
    words = _WORD.findall(text.casefold())
    if not words:
        return np.empty(0, dtype=np.uint64)
    hashes = np.fromiter((_word_hash(word) for word in words), dtype=np.uint64, count=len(words))
    width = min(SHINGLE_WORDS, len(words))
    count = len(words) - width + 1
    mixed = np.zeros(count, dtype=np.uint64)
    for offset in range(width):
        mixed ^= hashes[offset:offset + count] * _MIXERS[offset]
    return np.unique(mixed)


def band_hashes(shingle_hashes: np.ndarray) -> list[str]:
    """One hex hash per band of the MinHash signature; equal bands make two documents candidates."""
    if not len(shingle_hashes):
        return []
    signature = np.bitwise_xor(shingle_hashes[:, None], _MASKS[None, :]).min(axis=0)
    # The band number is hashed in, so that one indexed column finds equal bands of equal number.
    return [hashlib.blake2b(bytes([band]) + signature[band * ROWS:(band + 1) * ROWS].tobytes(),
                            digest_size=8).hexdigest() for band in range(BANDS)]


# A text less than half as long as the other is a different article quoting it, not a trimmed copy.
MIN_LENGTH_RATIO = 0.5


def copy_similarity(first: np.ndarray, second: np.ndarray) -> float:
    """Share of the smaller shingle set contained in the other one (1.0 for a trimmed copy);
    0.0 when one text is too much shorter to be a copy of the other."""
    if not len(first) or not len(second):
        return 0.0
    smaller, larger = sorted((len(first), len(second)))
    if smaller / larger < MIN_LENGTH_RATIO:
        return 0.0
    return len(np.intersect1d(first, second, assume_unique=True)) / smaller
