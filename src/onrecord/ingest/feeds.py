"""RSS and Atom feeds: one article per item, read with feedparser.

A feed item becomes the same object a JSON Lines input gives ({html|text, url, published, title,
author, outlet, id}), so it takes the same road into an `Article`. What an item carries is what
gets analysed: its full content (`content:encoded`, Atom `content`) when present, else its summary.
The item's link is kept as metadata and never fetched.
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Iterator

import feedparser

from onrecord.errors import InputTooLarge, MalformedInput

FEED_SUFFIXES = {".rss", ".atom", ".xml", ".rdf"}
# Sniffed in the first bytes of an input with no telling suffix (standard input, `.xml`).
_FEED_ROOT = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:rss|feed|rdf:RDF)\b", re.DOTALL)
# A feed is read whole by the XML parser, so its own size is bounded apart from each item's.
MAX_FEED_BYTES = 64 * 1024 * 1024
_EMAIL_AND_NAME = re.compile(r"^\S+@\S+\s+\((.+)\)$")


def looks_like_feed(data: bytes) -> bool:
    return bool(_FEED_ROOT.match(data[:4096]))


def feed_items(data: bytes) -> Iterator[dict]:
    """The items of the feed in `data`, in feed order, as JSON-input objects."""
    if len(data) > MAX_FEED_BYTES:
        raise InputTooLarge(size=len(data), limit=MAX_FEED_BYTES)
    # A stream, never a string: feedparser fetches a string that looks like a URL or a path.
    parsed = feedparser.parse(io.BytesIO(data), sanitize_html=True, resolve_relative_uris=False)
    if not parsed.entries:
        reason = parsed.get("bozo_exception")
        detail = f"no items ({reason})" if parsed.get("bozo") and reason else "no items"
        raise MalformedInput(f"not an RSS or Atom feed with articles: {detail}")
    outlet = parsed.feed.get("title") or None
    for entry in parsed.entries:
        yield _item(entry, outlet)


def _item(entry, outlet: str | None) -> dict:
    body, is_html = _body(entry)
    item = {
        "html" if is_html else "text": body,
        "title": entry.get("title") or None,
        "url": entry.get("link") or None,
        "published": _date(entry),
        "author": _author(entry.get("author") or ""),
        "outlet": outlet,
        "id": entry.get("id") or None,
    }
    if is_html and item["title"]:
        # Extraction reads the headline from <title>: an item's body has none of its own.
        item["html"] = f"<html><head><title>{_escape(item['title'])}</title></head><body>{body}</body></html>"
    return {key: value for key, value in item.items() if value is not None}


def _body(entry) -> tuple[str, bool]:
    """The longest text the item carries (full content over summary), and whether it is HTML."""
    candidates = [(part.get("value") or "", part.get("type") or "") for part in entry.get("content") or []]
    summary = entry.get("summary_detail") or {}
    candidates.append((entry.get("summary") or "", summary.get("type") or "text/html"))
    value, kind = max(candidates, key=lambda candidate: len(candidate[0]))
    if not value.strip():
        raise MalformedInput(f"the feed item {entry.get('title') or entry.get('id') or ''!r} has no text")
    return value, "html" in kind


def _author(author: str) -> str | None:
    """RSS writes "email (Name)"; feedparser's own split of it cuts the name, so it is done here."""
    named = _EMAIL_AND_NAME.match(author.strip())
    return (named.group(1) if named else author.strip()) or None


def _date(entry) -> str | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return time.strftime("%Y-%m-%d", parsed) if parsed else None


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
