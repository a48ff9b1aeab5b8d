"""Settings of the web server. Every bound says how it was chosen."""

from __future__ import annotations

import os
from dataclasses import dataclass

# A long news article is 2,000-10,000 words (60 KB of text); an HTML page with its boilerplate is
# rarely above 1 MB. 200,000 characters of text keeps a single analysis under ~10 s on one core
# (5,000 words/s, TESTING.md) and far below spaCy's own 1,000,000-character limit.
MAX_ANALYZE_CHARS = 200_000
# The longest body a valid request can have: JSON may escape each character as a surrogate pair
# ("\ud83c\udffb", 12 bytes), plus room for the title and the field names. Anything longer is
# refused unread (413); anything shorter is read and checked against the schema (422).
MAX_BODY_BYTES = 12 * MAX_ANALYZE_CHARS + 64_000
# Longer than any article within MAX_ANALYZE_CHARS needs; the request is answered with an error
# after this, so a hostile input cannot hold a client (the worker thread finishes on its own).
ANALYZE_TIMEOUT_S = 30.0
# Pages of lists: 20 rows by default, 100 at most, so no request reads the whole corpus.
DEFAULT_PAGE = 20
MAX_PAGE = 100
# Offsets beyond this are refused: deep pages cost the database a scan (500 pages of 20) and
# nobody reads them; search narrows better.
MAX_OFFSET = 10_000
# Search terms longer than this are not phrases a reader types.
MAX_QUERY_CHARS = 200

TOKEN_ENV = "ONRECORD_TOKEN"


@dataclass(frozen=True)
class ServeSettings:
    # Without a token the server is read-only and analyses nothing.
    token: str | None = None
    max_body_bytes: int = MAX_BODY_BYTES
    analyze_timeout_s: float = ANALYZE_TIMEOUT_S

    @classmethod
    def from_env(cls, token: str | None = None, **fields) -> ServeSettings:
        return cls(token=token or os.environ.get(TOKEN_ENV) or None, **fields)
