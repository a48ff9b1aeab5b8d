"""Source lines and chains: "Source: X quoted by his press service, Y, Z", "Y reported, citing X".

A chain is the route words took to the article: the speaker first, then each one who passed them
on. Connectors and labels live in data/chain_connectors.tsv and data/source_labels.txt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from onrecord.analyse.reported import speech_verb_forms

# Links of a chain are also separated by commas and "and"; quotation marks around a name
# ("“Ukrainska Pravda”") are not part of it.
_LIST_SEPARATOR = re.compile(r"\s*(?:,|;|\band\b)\s*")
_NAME_TRIM = " \t.\"'“”‘’«»„"


@dataclass(frozen=True)
class SourceLine:
    start: int
    end: int
    cue: tuple[int, int]  # the label ("Source")
    speaker: tuple[int, int]
    intermediaries: tuple[tuple[int, int], ...]


@lru_cache(maxsize=1)
def _connectors() -> dict[str, str]:
    text = resources.files("onrecord.data").joinpath("chain_connectors.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return {phrase: direction for phrase, direction in rows}


@lru_cache(maxsize=1)
def _label_pattern() -> re.Pattern:
    text = resources.files("onrecord.data").joinpath("source_labels.txt").read_text(encoding="utf-8")
    words = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    alternatives = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?im)^[ \t]*(?P<label>{alternatives})[ \t]*:[ \t]*(?P<body>[^\n]+)")


@lru_cache(maxsize=1)
def _connector_pattern() -> re.Pattern:
    alternatives = "|".join(re.escape(phrase).replace(r"\ ", r"\s+")
                            for phrase in sorted(_connectors(), key=len, reverse=True))
    return re.compile(rf"(?i)(?:^|(?<=[\s,]))(?:{alternatives})\b")


def find_source_lines(text: str) -> list[SourceLine]:
    """Article-level source lines ("Source: ..."), each with its chain as offsets."""
    lines = []
    for match in _label_pattern().finditer(text):
        links = parse_chain(text, match.start("body"), match.end("body"))
        if links:
            speaker, *intermediaries = links
            lines.append(SourceLine(match.start(), match.end(), (match.start("label"), match.end("label")),
                                    speaker, tuple(intermediaries)))
    return lines


def parse_chain(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Offsets of the chain's links in `text[start:end]`, the speaker first.

    "X quoted by Y, Z" -> [X, Y, Z]; "Y, citing X" -> [X, Y]; "X via Y" -> [X, Y].
    """
    segments = []  # (direction that joins it to the previous segment, offsets)
    position, direction = start, None
    for match in _connector_pattern().finditer(text, start, end):
        segments.append((direction, (position, match.start())))
        direction = _connectors()[" ".join(match.group(0).lower().split())]
        position = match.end()
    segments.append((direction, (position, end)))
    chain: list[tuple[int, int]] = []
    for joined_by, (seg_start, seg_end) in segments:
        names = _names(text, seg_start, seg_end)
        if not names:
            continue
        if joined_by == "origin":
            # "Y, citing X": X is the origin; what came before passed it on.
            chain = names + chain
        else:
            chain = chain + names
    return chain


def _names(text: str, start: int, end: int) -> list[tuple[int, int]]:
    names = []
    position = start
    for separator in [*_LIST_SEPARATOR.finditer(text, start, end), None]:
        piece_end = separator.start() if separator else end
        piece = _trimmed(text, position, piece_end)
        if piece is not None:
            names.append(piece)
        if separator:
            position = separator.end()
    return names


def _trimmed(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The name without edge marks, and without a trailing reporting verb ("Y reported")."""
    while start < end and text[start] in _NAME_TRIM:
        start += 1
    while end > start and text[end - 1] in _NAME_TRIM:
        end -= 1
    words = text[start:end].rsplit(None, 1)
    if len(words) == 2 and words[1].lower() in speech_verb_forms():
        end = start + len(words[0])
    return (start, end) if end > start else None
