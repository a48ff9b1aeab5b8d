"""Request parameters shared by the API and the pages: ids, days and bounded pagination."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Path, Query, Request

from onrecord.serve.config import DEFAULT_PAGE, MAX_OFFSET, MAX_PAGE
from onrecord.serve.corpus import Corpus

DocumentId = Annotated[str, Path(min_length=1, max_length=200, description="The record's `document.id`.")]
EntityId = Annotated[str, Path(min_length=1, max_length=200, description="Corpus id of the entity.")]
Day = Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$", description="YYYY-MM-DD")]


@dataclass(frozen=True)
class Window:
    limit: int
    offset: int


def window(
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"At most {MAX_PAGE}.")] = DEFAULT_PAGE,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> Window:
    return Window(limit, offset)


def corpus_of(request: Request) -> Corpus:
    return request.app.state.corpus


Paging = Annotated[Window, Depends(window)]
CorpusDep = Annotated[Corpus, Depends(corpus_of)]


def paged(fetch, page: Window) -> dict:
    """Ask for one row more than the page, to know whether there is a next page."""
    rows = fetch(page.limit + 1, page.offset)
    more = len(rows) > page.limit
    return {
        "items": rows[: page.limit],
        "limit": page.limit,
        "offset": page.offset,
        "next_offset": page.offset + page.limit if more else None,
    }
