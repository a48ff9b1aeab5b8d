"""Read NewsReader MEANTIME (English) articles: text rebuilt from the tokens, with character offsets
for TIMEX3 expressions and event mentions (certainty, polarity, time) and the creation time."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from onrecord.errors import MissingPath
from onrecord.ingest.dates import parse_dateline

# No space before these tokens, none after the opening ones: a text close to the original article.
_NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "'s", "n't", "'", "'re", "'ve", "'ll", "'d", "%"}
_NO_SPACE_AFTER = {"(", "$", "US$"}


@dataclass
class GoldTime:
    start: int
    end: int
    text: str
    type: str
    value: str


@dataclass
class GoldEvent:
    start: int
    end: int
    text: str
    certainty: str
    polarity: str
    time: str
    pos: str


@dataclass
class MeantimeArticle:
    name: str
    text: str
    creation_time: str | None  # YYYY-MM-DD
    creation_span: tuple[int, int] | None  # the dateline, left out of scoring
    times: list[GoldTime] = field(default_factory=list)
    events: list[GoldEvent] = field(default_factory=list)


def read_article(path: Path) -> MeantimeArticle:
    root = ElementTree.parse(path).getroot()
    text, offsets = rebuild_text(root)
    article = MeantimeArticle(name=path.stem, text=text, creation_time=None, creation_span=None)
    for timex in root.iter("TIMEX3"):
        span = _span(timex, offsets)
        if timex.get("functionInDocument") == "CREATION_TIME":
            article.creation_time = _iso_day(timex.get("value") or "")
            article.creation_span = span
            continue
        if span is None:
            continue
        article.times.append(GoldTime(*span, text[span[0]:span[1]], timex.get("type", ""), timex.get("value", "")))
    if article.creation_time is None:  # no creation time: read the dateline, as ingestion does
        article.creation_time = parse_dateline(text.split("\n\n")[1]) if "\n\n" in text else None
    for mention in root.iter("EVENT_MENTION"):
        span = _span(mention, offsets)
        if span is None or not mention.get("certainty"):
            continue
        article.events.append(GoldEvent(*span, text[span[0]:span[1]], mention.get("certainty", ""),
                                        mention.get("polarity", ""), mention.get("time", ""),
                                        mention.get("pos", "")))
    return article


def read_corpus(folder: str | Path) -> list[MeantimeArticle]:
    """Every article under `folder` (the corpus_* subfolders), in a stable order."""
    folder = Path(folder)
    if not folder.exists():
        raise MissingPath(str(folder))
    return [read_article(path) for path in sorted(folder.rglob("*.xml"))]


def _iso_day(value: str) -> str | None:
    """YYYY-MM-DD from the creation time; a few articles write DD-MM-YYYY."""
    if re.match(r"\d{4}-\d{2}-\d{2}", value):
        return value[:10]
    match = re.match(r"(\d{2})-(\d{2})-(\d{4})", value)
    return f"{match.group(3)}-{match.group(2)}-{match.group(1)}" if match else None


def rebuild_text(root) -> tuple[str, dict[str, tuple[int, int]]]:
    """The article's text from its tokens, a blank line between sentences; token id -> offsets."""
    pieces: list[str] = []
    offsets: dict[str, tuple[int, int]] = {}
    length, sentence, previous = 0, None, None
    for token in root.iter("token"):
        word = token.text or ""
        if sentence is not None and token.get("sentence") != sentence:
            separator = "\n\n"
        elif previous is None or word in _NO_SPACE_BEFORE or previous in _NO_SPACE_AFTER:
            separator = ""
        else:
            separator = " "
        pieces.append(separator)
        length += len(separator)
        offsets[token.get("t_id")] = (length, length + len(word))
        pieces.append(word)
        length += len(word)
        sentence, previous = token.get("sentence"), word
    return "".join(pieces), offsets


def _span(element, offsets) -> tuple[int, int] | None:
    anchors = [offsets[a.get("t_id")] for a in element.iter("token_anchor") if a.get("t_id") in offsets]
    if not anchors:
        return None
    return min(start for start, _ in anchors), max(end for _, end in anchors)
