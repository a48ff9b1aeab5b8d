"""The REST API: thin handlers that ask the corpus and return the shapes of `schemas.py`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from onrecord.model import EntityType, Record
from onrecord.serve.config import MAX_QUERY_CHARS
from onrecord.serve.errors import ApiError
from onrecord.serve.params import CorpusDep, Day, DocumentId, EntityId, Paging, paged
from onrecord.serve.schemas import (
    AnalyzeRequest,
    ClaimOut,
    DocumentSummary,
    EntityProfile,
    EntitySummary,
    ErrorBody,
    EventOut,
    Page,
    SearchHit,
    Statement,
    Stats,
)
from onrecord.serve.security import bearer_token, token_matches

ERRORS = {422: {"model": ErrorBody, "description": "Invalid parameters"}}
NOT_FOUND = {404: {"model": ErrorBody, "description": "No such item"}, **ERRORS}

router = APIRouter(prefix="/api", responses=ERRORS)


@router.get("/stats", response_model=Stats, summary="How much the corpus holds")
def get_stats(corpus: CorpusDep) -> Stats:
    return corpus.stats()


@router.get("/documents", response_model=Page[DocumentSummary], summary="Documents, one page at a time")
def list_documents(corpus: CorpusDep, page: Paging):
    return paged(corpus.documents, page)


@router.get(
    "/documents/{doc_id}",
    response_model=Record,
    responses=NOT_FOUND,
    summary="One document's full record (the RECORD.md contract)",
)
def get_document(doc_id: DocumentId, corpus: CorpusDep) -> Record:
    record = corpus.record(doc_id)
    if record is None:
        raise ApiError(404, "not_found", "no document with this id")
    return record


@router.get(
    "/entities", response_model=Page[EntitySummary], summary="Entities across documents, most mentioned first"
)
def list_entities(corpus: CorpusDep, page: Paging,
                  type: Annotated[EntityType | None, Query(description="Only entities of this type.")] = None):
    return paged(lambda limit, offset: corpus.entities(limit, offset, type), page)


@router.get(
    "/entities/{entity_id}",
    response_model=EntityProfile,
    responses=NOT_FOUND,
    summary="One entity: what they said, who named them, the events they take part in",
)
def get_entity(entity_id: EntityId, corpus: CorpusDep) -> EntityProfile:
    profile = corpus.entity(entity_id)
    if profile is None:
        raise ApiError(404, "not_found", "no entity with this id")
    return profile


@router.get(
    "/speakers",
    response_model=Page[EntitySummary],
    summary="Entities that made statements, most quoted first",
)
def list_speakers(corpus: CorpusDep, page: Paging):
    return paged(corpus.speakers, page)


@router.get("/attributions", response_model=Page[Statement], summary="Quotes and reported statements")
def list_attributions(corpus: CorpusDep, page: Paging):
    return paged(corpus.statements, page)


@router.get("/events", response_model=Page[EventOut], summary="Events in date order, with their factuality")
def list_events(corpus: CorpusDep, page: Paging):
    return paged(corpus.events, page)


@router.get("/search", response_model=Page[SearchHit], summary="Where a phrase occurs in the articles")
def search(
    corpus: CorpusDep,
    page: Paging,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=MAX_QUERY_CHARS,
            pattern=r"\S",
            description="A word or phrase (not only spaces).",
        ),
    ],
):
    return paged(lambda limit, offset: corpus.search(q.strip(), limit, offset), page)


@router.get("/promises", response_model=Page[EventOut], summary="Promised or intended events, by deadline")
def list_promises(corpus: CorpusDep, page: Paging, before: Day = None):
    """With `before`, only promises due before that day: the ones to check."""
    return paged(lambda limit, offset: corpus.promises(before, limit, offset), page)


@router.get("/claims", response_model=Page[ClaimOut], summary="Claims ranked by independent corroboration")
def list_claims(corpus: CorpusDep, page: Paging):
    return paged(corpus.claims, page)


def require_token(request: Request) -> None:
    configured = request.app.state.settings.token
    if not configured:
        raise ApiError(403, "forbidden", "this server is read-only: start it with --token to allow analysis")
    if not token_matches(configured, bearer_token(request)):
        raise ApiError(401, "unauthorized", "send the server's token as 'Authorization: Bearer TOKEN'")


@router.post(
    "/analyze",
    response_model=Record,
    dependencies=[Depends(require_token)],
    responses={
        400: {"model": ErrorBody, "description": "The body is not readable JSON"},
        401: {"model": ErrorBody, "description": "Missing or wrong token"},
        403: {"model": ErrorBody, "description": "No token configured: read-only server"},
        413: {"model": ErrorBody, "description": "Body too large"},
        504: {"model": ErrorBody, "description": "Analysis took too long"},
    },
    summary="Analyse a text or HTML article now (token required; nothing is stored)",
)
async def analyze(body: AnalyzeRequest, request: Request) -> Record:
    return await request.app.state.analysis.run(body)
