"""Plain or scraped text into an Article: paragraphs, navigation removed, headline, byline, dateline.

Scraped text keeps the furniture of the page: menus, share bars, a headline printed twice, the
date and the byline on lines of their own, link boxes ("Read also") under the article. Each
paragraph is classified by general cues (length, end punctuation, position, the patterns of
data/boilerplate.txt). Labelled lines ("Source: ...", "Photo: ...", "Details: ...") are article
content for attribution and are always kept.

The headline is the first short paragraph that does not end like a sentence. A text that starts
with a sentence has no headline: its title is None (a first sentence is not a title, and making
one up would put words in the outlet's mouth).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from onrecord.errors import EmptyInput, Warnings
from onrecord.ingest.article import Article
from onrecord.ingest.dates import parse_dateline

# A headline is short: the longest headline in the extraction benchmark's ground truth is 26 words.
MAX_HEADLINE_WORDS = 30
# Furniture is short; a longer line matching a pattern is probably a sentence that mentions it.
_MAX_BOILERPLATE_WORDS = 12
# Datelines and bylines are looked for among the first lines only, before the body starts.
_HEAD_PARAGRAPHS = 8
# Menu items and section names have one to three words ("Home", "World", "Opinion and analysis").
_MAX_MENU_ITEM_WORDS = 3

_MENU_SEPARATORS = re.compile(r"\s*[|•·»]\s*")
_NAME = r"[A-Z\u0400-\u042F][\w'’.-]*(?:\s+[A-Z\u0400-\u042F][\w'’.-]*){0,3}"
_BYLINE = re.compile(
    rf"^(?i:by|written by|words by|story by|reporting by|text|authors?)\s*:?\s+"
    rf"(?P<name>{_NAME}(?:\s+(?:and|&)\s+{_NAME})*)"
    r"(?:\s*[,|]\s*(?P<role>[\w'’. -]{2,40}))?$",
)
_FACT_MARKS = re.compile(r"[\d:/@]|www\.")
_HEAD_PART_SEPARATORS = re.compile(r"\s+[|·•—–]\s+")
_SENTENCE_END = re.compile(r"[.;,…。．]['\"”’»)」]*$")
# A row of lowercase section names ("news sport business weather") has a handful of words.
_MAX_MENU_ROW_WORDS = 6
# Menu items are short in characters too (scripts without spaces have one "word" per line).
_MAX_MENU_ITEM_CHARS = 25
# Control characters and invisible format marks (soft hyphen, zero-width space, direction marks,
# byte order mark) that scraped text carries and no reader sees; the zero-width joiner stays (emoji).
_INVISIBLE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\u00ad\u200b\u200c\u200e\u200f\u202a-\u202e"
                        "\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]")
_HEADLINE_SUFFIX = re.compile(r"\s*[|–—:-]\s*")


@dataclass(frozen=True)
class _Patterns:
    lines: re.Pattern[str]
    sections: re.Pattern[str]
    labels: re.Pattern[str]


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    text = resources.files("onrecord.data").joinpath("boilerplate.txt").read_text("utf-8")
    groups: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = groups.setdefault(line[1:-1], [])
        elif current is not None:
            current.append(line)

    def whole(patterns: list[str]) -> re.Pattern[str]:
        return re.compile("^(?:" + "|".join(patterns) + r")[.!:]?$", re.IGNORECASE)

    return _Patterns(lines=whole(groups["lines"]), sections=whole(groups["sections"]),
                     labels=re.compile(r"^(?:" + "|".join(groups["labels"]) + r")\s*:", re.IGNORECASE))


@dataclass
class _Head:
    title: str | None = None
    published: str | None = None
    author: str | None = None


def at_most_words(text: str, limit: int) -> bool:
    """len(text.split()) <= limit, without splitting all of a long text."""
    return len(text.split(maxsplit=limit)) <= limit


def normalise_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def split_paragraphs(text: str) -> list[str]:
    """Blank lines separate paragraphs; inside a block, a line is a paragraph of its own unless
    the block looks hard-wrapped (most lines long and not ending a sentence)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = _INVISIBLE.sub("", text.replace("\f", "\n").replace("\v", "\n"))
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
    if any(_same_text(a, b) for a, b in zip(lines, lines[1:])):
        return False  # a headline printed twice, line after line
    body = lines[:-1]
    wrapped = sum(1 for line in body if len(line) >= 50 and not re.search(r"[.!?…]['\"”’»)]*$", line))
    return wrapped >= max(1, len(body) // 2 + 1)


def is_label_line(paragraph: str) -> bool:
    """'Source: ...', 'Photo: ...', 'Details: ...': content that names a source or gives details."""
    return bool(_patterns().labels.match(paragraph))


def is_boilerplate(paragraph: str) -> bool:
    """Menus, share bars, cookie banners: short lines matching a known pattern, or menu rows."""
    if is_label_line(paragraph) or paragraph.startswith("|"):
        return False  # labelled content, or a table row as trafilatura renders tables
    if not at_most_words(paragraph, _MAX_BOILERPLATE_WORDS * 3):
        return False  # prose: furniture and menu rows are short
    if at_most_words(paragraph, _MAX_BOILERPLATE_WORDS) and _patterns().lines.match(paragraph):
        return True
    items = [item for item in _MENU_SEPARATORS.split(paragraph) if item]
    if len(items) < 2:
        return False
    # A row of three or more short items separated by | or • is a menu, not prose; so is a row
    # of two furniture items ("Log in | Register").
    if all(_patterns().lines.match(item) for item in items):
        return True
    return len(items) >= 3 and all(len(item.split()) <= _MAX_MENU_ITEM_WORDS for item in items)


def is_section_heading(paragraph: str) -> bool:
    """'Related articles', 'Read also', 'You may also like': a box of links follows."""
    return at_most_words(paragraph, 6) and bool(_patterns().sections.match(paragraph))


def _is_prose(paragraph: str) -> bool:
    """A paragraph of the article rather than a link title: it ends like a sentence, or is long."""
    return not at_most_words(paragraph, MAX_HEADLINE_WORDS) or bool(re.search(r"[.…。．]['\"”’»)」]*$", paragraph))


def _is_menu_item(paragraph: str) -> bool:
    """A line of a menu: one to three short words, or a row of lowercase section names."""
    short = len(paragraph) <= _MAX_MENU_ITEM_CHARS and at_most_words(paragraph, _MAX_MENU_ITEM_WORDS)
    return ((short or _is_lowercase_row(paragraph))
            and not _SENTENCE_END.search(paragraph)
            and not paragraph.startswith("|") and not is_label_line(paragraph)
            and parse_dateline(paragraph) is None)


def _is_lowercase_row(paragraph: str) -> bool:
    """'news  sport  business  weather': no headline or sentence is a few lowercase words alone."""
    words = paragraph.split(maxsplit=_MAX_MENU_ROW_WORDS)
    return 2 <= len(words) <= _MAX_MENU_ROW_WORDS and all(word.isalpha() and word.islower() for word in words)


def _looks_like_headline(paragraph: str) -> bool:
    if not paragraph.strip() or not at_most_words(paragraph, MAX_HEADLINE_WORDS) or not any(
            ch.isalpha() for ch in paragraph):
        return False
    if paragraph.startswith("|") or is_label_line(paragraph):
        return False
    return not _SENTENCE_END.search(paragraph) and not paragraph.endswith(":")


def drop_link_boxes(paragraphs: list[str]) -> tuple[list[str], int]:
    """Drop each 'Related'/'Read also' heading and the link titles under it (up to prose)."""
    kept: list[str] = []
    dropped = 0
    in_box = False
    for paragraph in paragraphs:
        if is_section_heading(paragraph) and not is_label_line(paragraph):
            in_box, dropped = True, dropped + 1
            continue
        if in_box and not _is_prose(paragraph):
            dropped += 1
            continue
        in_box = False
        kept.append(paragraph)
    return kept, dropped


def drop_edge_menus(paragraphs: list[str]) -> tuple[list[str], int]:
    """Menus left at the top (before a headline) and the bottom (after the last prose): runs of
    one-to-three-word lines. A single short line at the end is kept (a signature, an agency)."""
    start = 0
    while start < len(paragraphs) and _is_menu_item(paragraphs[start]):
        start += 1
    # Kept when nothing longer follows, or when the short line is itself the headline printed twice.
    if start == len(paragraphs) or (start and _same_text(paragraphs[start - 1], paragraphs[start])):
        start = 0
    # A short line right before prose is a short headline, not a menu item (a menu comes before
    # the headline, and a headline before the prose).
    if start and _is_prose(paragraphs[start]):
        start -= 1
    end = len(paragraphs)
    # At the bottom only plain words: short lines with figures or addresses are facts (prices, phones).
    while end > start and _is_menu_item(paragraphs[end - 1]) and not _FACT_MARKS.search(paragraphs[end - 1]):
        end -= 1
    if len(paragraphs) - end < 2:
        end = len(paragraphs)
    return paragraphs[start:end], start + len(paragraphs) - end


def _read_head_part(part: str, head: _Head) -> None:
    """Take the date of a dateline or the name of a byline into `head` (the first of each wins)."""
    if published := parse_dateline(part):
        head.published = head.published or published
    elif byline := _BYLINE.match(part):
        head.author = head.author or byline.group("name")


def _read_head(paragraphs: list[str], head: _Head) -> list[str]:
    """Take the headline, dateline and byline off the first paragraphs; return what remains."""
    kept: list[str] = []
    body_started = False
    title_given = head.title is not None
    for index, paragraph in enumerate(paragraphs):
        # A standfirst may come before the byline and dateline: after the body starts, a dateline
        # or byline is still taken from the first paragraphs while none has been found.
        if index < _HEAD_PARAGRAPHS and (not body_started or head.published is None or head.author is None):
            parts = [paragraph] if _is_head_part(paragraph) else _HEAD_PART_SEPARATORS.split(paragraph)
            if any(_is_head_part(part) for part in parts) and all(
                    _is_head_part(part) or is_boilerplate(part) for part in parts) and (
                    not body_started or _adds_to_head(parts, head)):
                for part in parts:
                    _read_head_part(part, head)
                continue
        if index < _HEAD_PARAGRAPHS and not body_started:
            if title_given and not kept and same_headline(paragraph, head.title):
                head.title = paragraph if _looks_like_headline(paragraph) else head.title
                kept.append(paragraph)
                continue
        if head.title is None and not kept and not body_started and _looks_like_headline(paragraph):
            head.title = paragraph
        elif not _same_text(paragraph, head.title) and not is_label_line(paragraph):
            body_started = True  # a photo caption or source line under the headline is not the body yet
        kept.append(paragraph)
    return kept


def _adds_to_head(parts: list[str], head: _Head) -> bool:
    """True when `parts` give a date or an author the head still lacks."""
    return any((head.published is None and parse_dateline(part)) or
               (head.author is None and _BYLINE.match(part) and not is_label_line(part)) for part in parts)


def _is_head_part(part: str) -> bool:
    """A dateline or a byline (a second dateline, "Updated: ...", is page furniture too)."""
    return parse_dateline(part) is not None or (bool(_BYLINE.match(part)) and not is_label_line(part))


def clean_text(raw: str, source: str | None = None, **metadata: str | None) -> Article:
    """Turn plain or scraped text into an Article with clean text and what the head tells."""
    warnings: list[str] = []
    paragraphs = split_paragraphs(raw)
    content, boxed = drop_link_boxes(paragraphs)
    furniture = [is_boilerplate(p) for p in content]
    dropped = [p for p, is_furniture in zip(content, furniture) if is_furniture]
    content = [p for p, is_furniture in zip(content, furniture) if not is_furniture]
    content, menu_lines = drop_edge_menus(content)
    if dropped or boxed or menu_lines:
        shown = ", ".join(repr(p[:40]) for p in dropped[:5]) + (" ..." if len(dropped) > 5 else "")
        total = len(dropped) + boxed + menu_lines
        warnings.append(Warnings.format(Warnings.BOILERPLATE_DROPPED,
                                        f"dropped {total} navigation/boilerplate line(s)"
                                        + (f": {shown}" if shown else "")))
    head = _Head(title=metadata.pop("title", None))
    content = _read_head(content, head)
    content, duplicates = _drop_repeated_headline(content, head.title)
    if duplicates:
        copies = "copy" if duplicates == 1 else "copies"
        warnings.append(Warnings.format(Warnings.DUPLICATE_HEADLINE,
                                        f"dropped {duplicates} repeated {copies} of the headline"))
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


@lru_cache(maxsize=4096)
def _headline_key(text: str) -> str:
    """Two printings of one headline compare equal: case, spacing, quotes and end marks aside."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"[‘’‚‛′`]", "'", re.sub(r"[“”„‟″«»]", '"', text))
    return normalise_space(text).strip(" .!?:;,")


def _same_text(a: str, b: str | None) -> bool:
    return b is not None and _headline_key(a) == _headline_key(b)


def same_headline(paragraph: str, title: str | None) -> bool:
    """The page's headline as the body prints it: the same words, or the title with the site's
    name after a separator ("Headline | Outlet", "Outlet - Headline")."""
    if title is None or not paragraph:
        return False
    if _same_text(paragraph, title):
        return True
    key, title_key = _headline_key(paragraph), _headline_key(title)
    if len(key.split()) < 3 or key not in title_key:
        return False
    rest = title_key.replace(key, "", 1)
    return bool(_HEADLINE_SUFFIX.match(rest) or re.search(r"\s*[|–—:-]\s*$", rest.rstrip()))
