"""HTML pages into Articles: body, title, date, author and outlet with trafilatura and htmldate.

Nothing a page points to is fetched: trafilatura works on the string it is given.
"""

from __future__ import annotations

from onrecord.errors import EmptyInput, Warnings
from onrecord.ingest.article import Article
from onrecord.ingest.text import clean_text


def extract_body(html: str, url: str | None = None) -> str | None:
    """The main text of a page, one paragraph per line; None when the page has none."""
    import trafilatura

    return trafilatura.extract(html, url=url, include_comments=False, include_tables=True,
                               favor_precision=False, deduplicate=False)


def parse_html(html: str, source: str | None = None, url: str | None = None, **metadata: str | None) -> Article:
    """Extract an article from an HTML page; metadata given by the caller wins over the page's."""
    import trafilatura

    document = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                           include_tables=True)
    body = document.text if document is not None else None
    if not body or not body.strip():
        raise EmptyInput()
    found = {
        "title": document.title,
        "published": (document.date or None),
        "author": document.author,
        "outlet": document.sitename,
        "url": url or document.url,
    }
    for name, value in metadata.items():
        if value:
            found[name] = value
    paragraphs = "\n\n".join(line for line in body.split("\n") if line.strip())
    article = clean_text(paragraphs, source=source, **found)
    if document.date is None:
        article.warnings.append(Warnings.format("W103", "the page gives no publication date"))
    return article
