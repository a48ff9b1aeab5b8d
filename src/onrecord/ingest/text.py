"""Plain or scraped text into an Article: paragraphs, navigation removed, headline, byline, dateline.

Scraped text keeps the furniture of the page: menus, share bars, a headline printed twice, the
date and the byline on lines of their own. Each paragraph is classified by general cues (length,
end punctuation, the boilerplate patterns of data/boilerplate.txt); "Source:" lines and similar
labels are article content and are always kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from onrecord.errors import EmptyInput, Warnings
from onrecord.ingest.article import Article
from onrecord.ingest.dates import parse_dateline

# A headline is short: the longest headline in the extraction benchmark's ground truth is 26 words.
_MAX_HEADLINE_WORDS = 30
# Furniture is short; a longer line matching a pattern is probably a sentence that mentions it.
_MAX_BOILERPLATE_WORDS = 12
# Datelines and bylines are looked for among the first lines only, before the body starts.
_HEAD_PARAGRAPHS = 8

_MENU_SEPARATORS = re.compile(r"\s*[|•·»]\s*")
_BYLINE = re.compile(
    r"^(?:by|written by|author|authors|text|reporting by)\s*:?\s+"
    r"(?P<name>[\w'’.-]+(?:\s+[\w'’.-]+){0,3}(?:\s*(?:,|and|&)\s*[\w'’.-]+(?:\s+[\w'’.-]+){0,3})*)$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?…]['\"”’»)]*$")


@lru_cache(maxsize=1)
def _boilerplate_patterns() -> re.Pattern[str]:
    lines = resources.files("onrecord.data").joinpath("boilerplate.txt").read_text("utf-8").splitlines()
    patterns = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    return re.compile("^(?:" + "|".join(patterns) + r")[.!:]?$", re.IGNORECASE)


@dataclass
class _Head:
    title: str | None = None
    published: str | None = None
    author: str | None = None


def normalise_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def split_paragraphs(text: str) -> list[str]:
    """Blank lines separate paragraphs; inside a block, a line is a paragraph of its own unless
    the block looks hard-wrapped (most lines long and not ending a sentence)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    paragraphs: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [normalise_space(line) for line in block.split("\n")]
        lines = [line for line in lines if line]
        if not lines:
            continue
        if _is_hard_wrapped(lines):
            paragraphs.append(" ".join(lines))
        else:
            paragraphs.extend(lines)
    return paragraphs


def _is_hard_wrapped(lines: list[str]) -> bool:
    if len(lines) < 2:
        return False
    # 50 characters: wrapped plain text is cut at 60-80 columns, so its lines (but the last) are longer.
    body = lines[:-1]
    wrapped = sum(1 for line in body if len(line) >= 50 and not _SENTENCE_END.search(line))
    return wrapped >= max(1, len(body) // 2 + 1)


def is_boilerplate(paragraph: str) -> bool:
    """Menus, share bars, cookie banners: short lines matching a known pattern, or menu rows."""
    words = paragraph.split()
    if len(words) > _MAX_BOILERPLATE_WORDS * 3:
        return False
    if len(words) <= _MAX_BOILERPLATE_WORDS and _boilerplate_patterns().match(paragraph):
        return True
    items = [item for item in _MENU_SEPARATORS.split(paragraph) if item]
    # A row of three or more short items separated by | or • is a menu, not prose.
    return len(items) >= 3 and all(len(item.split()) <= 3 for item in items)


def _looks_like_headline(paragraph: str) -> bool:
    words = paragraph.split()
    if not words or len(words) > _MAX_HEADLINE_WORDS:
        return False
    if paragraph.endswith(".") and not paragraph.endswith("..."):
        return False
    return not paragraph.endswith(":")


def _read_head(paragraphs: list[str], head: _Head) -> list[str]:
    """Take the headline, dateline and byline off the first paragraphs; return what remains."""
    kept: list[str] = []
    body_started = False
    for index, paragraph in enumerate(paragraphs):
        in_head = index < _HEAD_PARAGRAPHS and not body_started
        if in_head and head.published is None and (date := parse_dateline(paragraph)):
            head.published = date
            continue
        if in_head and head.author is None and (byline := _BYLINE.match(paragraph)):
            head.author = byline.group("name")
            continue
        if head.title is None and not kept and _looks_like_headline(paragraph):
            head.title = paragraph
        elif not _same_text(paragraph, head.title):
            body_started = True
        kept.append(paragraph)
    return kept


def clean_text(raw: str, source: str | None = None, **metadata: str | None) -> Article:
    """Turn plain or scraped text into an Article with clean text and what the head tells."""
    warnings: list[str] = []
    paragraphs = split_paragraphs(raw)
    content = [p for p in paragraphs if not is_boilerplate(p)]
    dropped = [p for p in paragraphs if is_boilerplate(p)]
    if dropped:
        shown = ", ".join(repr(p[:40]) for p in dropped[:5]) + (" ..." if len(dropped) > 5 else "")
        warnings.append(Warnings.format(Warnings.BOILERPLATE_DROPPED,
                                        f"dropped {len(dropped)} navigation/boilerplate line(s): {shown}"))
    head = _Head(title=metadata.pop("title", None))
    content = _read_head(content, head)
    content, duplicates = _drop_repeated_headline(content, head.title)
    if duplicates:
        warnings.append(Warnings.format(Warnings.DUPLICATE_HEADLINE,
                                        f"dropped {duplicates} repeated cop{'y' if duplicates == 1 else 'ies'} of the headline"))
    text = "\n\n".join(content)
    if not text.strip():
        raise EmptyInput()
    return Article(text=text, title=head.title, published=metadata.pop("published", None) or head.published,
                   author=metadata.pop("author", None) or head.author, source=source, warnings=warnings,
                   **metadata)


def _drop_repeated_headline(paragraphs: list[str], title: str | None) -> tuple[list[str], int]:
    """Keep the headline once (first place it appears); drop its other copies."""
    if not title:
        return paragraphs, 0
    kept, seen, dropped = [], False, 0
    for paragraph in paragraphs:
        if _same_text(paragraph, title):
            if seen:
                dropped += 1
                continue
            seen = True
        kept.append(paragraph)
    if not seen:  # the title came from metadata: show it as the first paragraph of the text
        kept.insert(0, title)
    return kept, dropped


def _same_text(a: str, b: str | None) -> bool:
    return b is not None and normalise_space(a).casefold() == normalise_space(b).casefold()
