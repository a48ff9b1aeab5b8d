"""HTML pages into Articles: body, title, date, author and outlet with trafilatura and htmldate.

The page is parsed once; the body extractor works on a copy of that tree and the metadata is read
from it with trafilatura's and htmldate's cheap lookups (meta tags, JSON-LD, the single <h1>,
htmldate without its extensive search). Nothing a page points to is ever fetched: every library
here gets the parsed tree, never a URL or a string it could mistake for one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from onrecord.errors import EmptyInput, MalformedInput, Warnings
from onrecord.ingest.article import Article
from onrecord.ingest.text import MAX_HEADLINE_WORDS, clean_text

# Body extraction options, chosen on the article-extraction-benchmark (`onrecord eval extraction`):
# `fast` skips trafilatura's readability/jusText comparison and `favor_recall` keeps a little more
# text; with the boilerplate and headline cleaning of clean_text afterwards this beat trafilatura's
# defaults on both halves of the benchmark and on pages written for the tests, at about 1.5 times its
# speed with the metadata included (F1 0.973 against 0.965 on the 129 pages; numbers in the README).
_BODY_OPTIONS = {"fast": True, "favor_recall": True, "include_comments": False, "include_tables": True}
_NOT_TEXT = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math")
_DOCUMENT_START = re.compile(r"<(?:!doctype|html)\b", re.IGNORECASE)


@dataclass
class PageContent:
    """What a page gives before any text cleaning."""

    body: str | None
    title: str | None = None
    published: str | None = None  # YYYY-MM-DD
    author: str | None = None
    outlet: str | None = None
    url: str | None = None


def parse_tree(html: str):
    """The page's lxml tree; a fragment such as "<p>...</p>" is wrapped into a document first."""
    from trafilatura.utils import load_html

    if not _DOCUMENT_START.search(html[:2048]):
        html = f"<html><body>{html}</body></html>"
    try:
        tree = load_html(html)
    except (ValueError, TypeError) as error:
        raise MalformedInput(f"not parseable as HTML ({error})") from None
    if tree is None:
        raise MalformedInput("not parseable as HTML")
    return tree


def extract_page(html: str, url: str | None = None) -> PageContent:
    """Body and metadata of a page, from one parse."""
    import trafilatura

    tree = parse_tree(html)
    metadata = _page_metadata(tree, url)  # first: JSON-LD metadata sits in <script> elements
    # Code and embedded documents are never article text, whatever a page hides in them.
    etree.strip_elements(tree, *_NOT_TEXT, with_tail=False)
    return PageContent(body=trafilatura.extract(tree, url=url, **_BODY_OPTIONS), **metadata)


def _page_metadata(tree, url: str | None) -> dict[str, str | None]:
    from htmldate import find_date
    from trafilatura.metadata import examine_meta, extract_meta_json, extract_sitename, extract_title

    meta = examine_meta(tree)
    try:
        meta = extract_meta_json(tree, meta)
    except Exception:  # noqa: BLE001 - malformed JSON-LD must not cost the article
        pass
    page_url = url or meta.url
    # htmldate's extensive search reads every text node and costs as much as the body extraction;
    # the fast search (meta tags, <time>, the URL) finds the date of most news pages.
    try:
        published = find_date(tree, extensive_search=False, original_date=True, url=page_url)
    except Exception:  # noqa: BLE001 - htmldate asserts on odd trees (an <svg> root); the date is optional
        published = None
    return {
        "title": _visible_headline(tree) or meta.title or extract_title(tree),
        "published": published,
        # Only structured authors (meta tags, JSON-LD): a byline in the body is found by clean_text.
        "author": meta.author if meta.author and " " in meta.author else None,
        "outlet": (meta.sitename or extract_sitename(tree) or "").lstrip("@") or None,
        "url": page_url,
    }


def _visible_headline(tree) -> str | None:
    """The single <h1> of a page is the headline readers see; with several, none is trusted."""
    headings = tree.findall(".//h1")
    if len(headings) != 1:
        return None
    text = " ".join(" ".join(headings[0].itertext()).split())
    return text if 0 < len(text.split()) <= MAX_HEADLINE_WORDS else None


def parse_html(html: str, source: str | None = None, url: str | None = None,
               **metadata: str | None) -> Article:
    """Extract an article from an HTML page; metadata given by the caller wins over the page's."""
    page = extract_page(html, url)
    if not page.body or not page.body.strip():
        raise EmptyInput()
    found = {"title": page.title, "published": page.published, "author": page.author,
             "outlet": page.outlet, "url": page.url}
    for name, value in metadata.items():
        if value:
            found[name] = value
    paragraphs = "\n\n".join(line for line in page.body.split("\n") if line.strip())
    article = clean_text(paragraphs, source=source, **found)
    if article.published is None:
        article.warnings.append(Warnings.format("W103", "the page gives no publication date"))
    return article
