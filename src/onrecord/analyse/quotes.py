"""Direct quotes: pair quotation marks into quoted stretches of the text, whatever the mark style.

Works on the plain text (no parse needed), so it can never be confused by tokenisation. The rules,
in order of trust:

- a mark's role (opening or closing) comes from its context first (what stands on its left and
  right) and from its glyph second, so a wrong-way closing mark (`damage “.`) still closes;
- marks of another family inside an open quote (curly inside straight, single inside double) are
  nested quotes and never end the outer one;
- a paragraph that ends inside a quote continues it when the next paragraph opens with a mark (the
  typographic convention for multi-paragraph quotes) or when the next mark met closes; otherwise
  the quote is recovered as ending at its paragraph's end, and flagged `recovered`.

Odd numbers of marks, stray closers and empty text never raise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Double marks of every style, plus the two-apostrophe mark of PTB-style newswire (NYT in PolNeAR).
_DOUBLE = re.compile(r"''|``|[\"“”„‟«»]")
# Single marks: only taken as quotation marks where they cannot be apostrophes (see _single_role).
_SINGLE = re.compile(r"[‘’‚‛‹›']")
_OPENING_GLYPHS = frozenset("“„‟«‘‚‛‹") | {"``"}
_CLOSING_GLYPHS = frozenset("”»’›")
# After a closing mark: space, end, or punctuation that follows a quote (“...”, “...”.).
_CLOSE_RIGHT = frozenset(" \t\r\n.,;:!?)]}—–-…/")
# Before an opening mark: space, start, brackets, dashes, colon.
_OPEN_LEFT = frozenset(" \t\r\n([{—–-:/")
# A paragraph whose quote is unclosed may continue through this many more paragraphs when
# a later closing mark ends it (news style rarely runs a quote over more than a handful).
_MAX_CONTINUED_PARAGRAPHS = 8
# A paragraph ends at a blank line, or at a line break after a sentence's end: many outlets
# (HuffPost in PolNeAR: 51 of 120 train articles) separate paragraphs with one newline. A line
# that ends mid-sentence is a wrapped line of the same paragraph.
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*|(?<=[.!?…\"'”’»:])[ \t]*\n\s*")


def paragraph_breaks(text: str, start: int, end: int) -> int:
    """How many paragraph breaks lie in text[start:end] (a sentence end just before `start` counts)."""
    return len(_PARAGRAPH_BREAK.findall(text[max(0, start - 1):end]))


@dataclass(frozen=True)
class Quote:
    """A quoted stretch: `start`/`end` include the marks, `inner_start`/`inner_end` exclude them."""

    start: int
    end: int
    inner_start: int
    inner_end: int
    paragraphs: int = 1
    recovered: bool = False  # an unclosed quote whose end was guessed (odd marks)


@dataclass(frozen=True)
class _Mark:
    start: int
    end: int
    glyph: str
    family: str  # "double" or "single"
    can_open: bool
    can_close: bool


def find_quotes(text: str) -> list[Quote]:
    """Every top-level quote of `text`, in order. Nested quotes are inside their outer quote."""
    if not text:
        return []
    paragraph_spans = paragraphs(text)
    marks_by_paragraph = [_marks(text, start, end) for start, end in paragraph_spans]
    quotes: list[Quote] = []
    index = 0
    while index < len(paragraph_spans):
        index = _quotes_from(text, paragraph_spans, marks_by_paragraph, index, quotes)
    return quotes


def _quotes_from(text, paragraphs, marks_by_paragraph, index, quotes) -> int:
    """Pair the marks of paragraph `index` (and of the paragraphs an open quote runs into);
    append the quotes and return the index of the next paragraph to read."""
    marks = marks_by_paragraph[index]
    open_mark: _Mark | None = None
    nested: list[_Mark] = []
    position = 0
    while position < len(marks):
        mark = marks[position]
        position += 1
        if open_mark is None:
            if mark.can_open and not (mark.can_close and not _opens_text(text, mark)):
                open_mark, nested = mark, []
            continue
        if mark.family != open_mark.family:
            # Another family inside an open quote is a quote within the quote.
            if nested and nested[-1].family == mark.family and mark.can_close:
                nested.pop()
            elif mark.can_open:
                nested.append(mark)
            continue
        if mark.can_close:
            quotes.append(_quote(open_mark.start, open_mark.end, mark.start, mark.end))
            open_mark = None
        elif mark.can_open:
            # A second opener of the same family: the first quote was never closed; end it
            # before this mark and start again here.
            end = len(text[:mark.start].rstrip())
            quotes.append(Quote(open_mark.start, end, open_mark.end, max(open_mark.end, end), recovered=True))
            open_mark, nested = mark, []
    if open_mark is None:
        return index + 1
    return _continue_open_quote(text, paragraphs, marks_by_paragraph, index, open_mark, quotes)


def _continue_open_quote(text, paragraphs, marks_by_paragraph, index, open_mark, quotes) -> int:
    """An unclosed quote at the end of paragraph `index`: find where it really ends."""
    last = min(len(paragraphs) - 1, index + _MAX_CONTINUED_PARAGRAPHS)
    for following in range(index + 1, last + 1):
        marks = [m for m in marks_by_paragraph[following] if m.family == open_mark.family]
        starts_with_mark = bool(marks) and marks[0].start == paragraphs[following][0] and marks[0].can_open
        if starts_with_mark:
            # Convention: the continuation paragraph reopens; it is part of the same quote.
            rest = marks[1:]
            closer = next((m for m in rest if m.can_close), None)
            if closer is None:
                continue
            quotes.append(_quote(open_mark.start, open_mark.end, closer.start, closer.end,
                                 paragraphs=following - index + 1))
            return _after(paragraphs, marks_by_paragraph, following, closer, text, quotes)
        if marks:
            first = marks[0]
            if first.can_close:
                quotes.append(_quote(open_mark.start, open_mark.end, first.start, first.end,
                                     paragraphs=following - index + 1))
                return _after(paragraphs, marks_by_paragraph, following, first, text, quotes)
            break
    end = paragraphs[index][1]
    quotes.append(Quote(open_mark.start, end, open_mark.end, end, recovered=True))
    return index + 1


def _after(paragraphs, marks_by_paragraph, index, closer, text, quotes) -> int:
    """Go on pairing the marks that follow `closer` in its paragraph."""
    remaining = [m for m in marks_by_paragraph[index] if m.start > closer.start]
    if remaining:
        marks_by_paragraph[index] = remaining
        return index
    return index + 1


def _quote(open_start, open_end, close_start, close_end, paragraphs=1) -> Quote:
    return Quote(open_start, close_end, open_end, close_start, paragraphs=paragraphs)


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Offsets of the paragraphs of `text` (see _PARAGRAPH_BREAK), without edge whitespace."""
    offsets, start = [], 0
    for match in [*_PARAGRAPH_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        chunk = text[start:end]
        if chunk.strip():
            offsets.append((start + len(chunk) - len(chunk.lstrip()), start + len(chunk.rstrip())))
        if match:
            start = match.end()
    return offsets


def _marks(text: str, start: int, end: int) -> list[_Mark]:
    marks = [_mark(text, match.start(), match.end(), "double", start, end)
             for match in _DOUBLE.finditer(text, start, end)]
    taken = {index for mark in marks for index in range(mark.start, mark.end)}
    for match in _SINGLE.finditer(text, start, end):
        if match.start() in taken:
            continue
        mark = _mark(text, match.start(), match.end(), "single", start, end)
        if _single_role_possible(text, mark, start, end):
            marks.append(mark)
    marks.sort(key=lambda mark: mark.start)
    return [mark for mark in marks if mark.can_open or mark.can_close]


def _mark(text: str, start: int, end: int, family: str, para_start: int, para_end: int) -> _Mark:
    glyph = text[start:end]
    left = text[start - 1] if start > para_start else " "
    right = text[end] if end < para_end else " "
    can_open = left in _OPEN_LEFT or left in "“‘\"'«" or (glyph in _OPENING_GLYPHS and right not in " \t\n")
    can_close = right in _CLOSE_RIGHT or right in "”’\"'»" or (glyph in _CLOSING_GLYPHS and left not in " \t\n")
    if right in " \t\r\n" and left in " \t\r\n":
        # A mark standing alone between spaces: its glyph decides; a straight one may do either.
        can_open, can_close = glyph not in _CLOSING_GLYPHS, True
    return _Mark(start, end, glyph, family, can_open, can_close)


def _opens_text(text: str, mark: _Mark) -> bool:
    """A mark that could do both opens when a word follows it directly."""
    return mark.end < len(text) and (text[mark.end].isalnum() or text[mark.end] in "…([")


def _single_role_possible(text: str, mark: _Mark, para_start: int, para_end: int) -> bool:
    """Single marks double as apostrophes (don't, Clintons', ’90s): keep them only at word edges
    where an apostrophe cannot stand."""
    if mark.glyph in "‹›‚":
        return True  # never an apostrophe
    left = text[mark.start - 1] if mark.start > para_start else " "
    right = text[mark.end] if mark.end < para_end else " "
    if left.isalnum() and right.isalnum():
        return False  # don't, Tokayev’s
    if left.isalnum() and (left.lower() == "s" or not right.strip()):
        # Clintons’ / a closing mark after a word: ambiguous; a closer only if an opener came before.
        return mark.glyph in "’'‘" and _has_single_opener_before(text, mark.start, para_start)
    if right.isdigit() and not left.isalnum():
        return False  # ’90s
    return True


def _has_single_opener_before(text: str, position: int, para_start: int) -> bool:
    for index in range(position - 1, para_start - 1, -1):
        if text[index] in "‘‚‹" or (text[index] == "'" and (index == para_start or not text[index - 1].isalnum())
                                    and index + 1 < len(text) and text[index + 1].isalnum()):
            return True
    return False
