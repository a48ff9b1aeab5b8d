"""Bounds on the work one article may cost, and how an over-long article is cut.

A running spaCy call cannot be interrupted inside the process, so analysis time is bounded by the
size of what is analysed: spaCy and onrecord's components are close to linear in the number of
tokens, so a cap on characters is a cap on time. Past the cap, the article is analysed up to the last
paragraph break before it, the record keeps the whole text (offsets stay valid) and a warning says
how much was analysed. Input larger than Settings.max_bytes is refused earlier, at ingestion.
"""

from __future__ import annotations

import re

# The longest of PolNeAR's 924 news texts has 34k characters; 100k is three times that, about 17k
# words: some 4 s of parsing at the 5,000 words/s spaCy's small model reaches on one core here.
# (Attribution and events still cost the square of the number of attributions: 6,000 one-line
# attributions in 200k characters took 130 s, hence not more.)
MAX_ANALYSED_CHARS = 100_000
# A cut falls at a paragraph break, else at a line or sentence end, else at a space, when one lies
# in the last quarter before the cap; a text without any (one 1 MB "word") is cut at the cap itself.
# Some extractors walk a clause's subtree for each reporting verb in its sentence, which costs the
# square of the sentence's length: 10,000 tokens of "the minister said that ..." took 80 s. News
# sentences have under 100 tokens; 250 leaves lists and tables whole while making the cost linear.
MAX_SENTENCE_TOKENS = 250
_SENTENCE_ENDS = frozenset({".", "!", "?", "…", ";"})
_CUT_POINTS = (re.compile(r"\n\s*\n"), re.compile(r"\n"), re.compile(r"[.!?…]\s"), re.compile(r"\s"))


def analysed_length(text: str, limit: int = MAX_ANALYSED_CHARS) -> int:
    """How many leading characters of `text` to analyse: all of it up to `limit`, else a prefix
    ending at the last paragraph (or line, sentence, word) boundary before the limit."""
    if len(text) <= limit:
        return len(text)
    window_start = max(0, limit - max(1, limit // 4))
    window = text[window_start:limit]
    for boundary in _CUT_POINTS:
        ends = [match.start() for match in boundary.finditer(window)]
        if ends:
            return window_start + ends[-1] + (1 if boundary.pattern.startswith("[") else 0)
    return limit


def split_long_runs(doc, limit: int = MAX_SENTENCE_TOKENS) -> int:
    """Before parsing: start a sentence after at most `limit` tokens without a sentence end,
    preferring the token after the last comma, dash, colon or line break. spaCy's parser keeps the
    sentence starts it is given. Returns how many starts were set."""
    run_start, last_comma, added = 0, None, 0
    for token in doc:
        if token.text in _SENTENCE_ENDS:
            run_start, last_comma = token.i + 1, None
        elif token.text in (",", "—", "–", "-", ":") or "\n" in token.text:  # the parser may join lines
            last_comma = token.i
        if token.i - run_start >= limit:
            cut = last_comma + 1 if last_comma is not None and run_start <= last_comma < token.i else token.i
            doc[cut].is_sent_start = True
            run_start, last_comma, added = cut, None, added + 1
    return added
