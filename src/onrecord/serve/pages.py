"""The server-rendered pages. Handlers gather what a template shows; templates only lay it out."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import parse_qs, urlsplit

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError

from onrecord.model import Record
from onrecord.serve.config import MAX_QUERY_CHARS
from onrecord.serve.corpus import entity_id, entity_path, snippet_parts
from onrecord.serve.errors import ApiError
from onrecord.serve.highlight import article_view
from onrecord.serve.params import CorpusDep, Day, DocumentId, EntityId, Paging, paged
from onrecord.serve.schemas import AnalyzeRequest
from onrecord.serve.security import token_matches
from onrecord.serve.timeline import FACTUALITY_SHAPES, layout

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)


def render(request: Request, template: str, status: int = 200, **context):
    context["token_configured"] = bool(request.app.state.settings.token)
    return request.app.state.templates.TemplateResponse(request, template, context, status_code=status)


def safe_link(url: str | None) -> str | None:
    """Only http(s) links become links: a `javascript:` URL in hostile metadata must stay text."""
    if not url:
        return None
    return url if urlsplit(url.strip()).scheme.lower() in ("http", "https") else None


@router.get("/")
def index(request: Request, corpus: CorpusDep, page: Paging):
    return render(request, "index.html", stats=corpus.stats(), page=paged(corpus.documents, page))


def article_page(request: Request, record: Record, stored: bool = True, status: int = 200):
    return render(
        request,
        "article.html",
        status=status,
        record=record,
        view=article_view(record),
        stored=stored,
        link=safe_link(record.document.url),
        entity_pages={entity.id: entity_path(entity_id(entity)) for entity in record.entities},
    )


@router.get("/documents/{doc_id}")
def document_page(request: Request, doc_id: DocumentId, corpus: CorpusDep):
    record = corpus.record(doc_id)
    if record is None:
        raise ApiError(404, "not_found", "no document with this id")
    return article_page(request, record)


@router.get("/entities")
def entities_page(request: Request, corpus: CorpusDep, page: Paging):
    return render(
        request, "entities.html", title="Entities", page=paged(corpus.entities, page), path="/entities"
    )


@router.get("/speakers")
def speakers_page(request: Request, corpus: CorpusDep, page: Paging):
    return render(
        request, "entities.html", title="Speakers", page=paged(corpus.speakers, page), path="/speakers"
    )


@router.get("/entities/{entity_id}")
def entity_page(request: Request, entity_id: EntityId, corpus: CorpusDep):
    profile = corpus.entity(entity_id)
    if profile is None:
        raise ApiError(404, "not_found", "no entity with this id")
    return render(
        request, "entity.html", profile=profile, timeline=layout(profile.events), shapes=FACTUALITY_SHAPES
    )


@router.get("/timeline")
def timeline_page(request: Request, corpus: CorpusDep, page: Paging):
    events = paged(corpus.events, page)
    return render(
        request, "timeline.html", page=events, timeline=layout(events["items"]), shapes=FACTUALITY_SHAPES
    )


@router.get("/search")
def search_page(
    request: Request,
    corpus: CorpusDep,
    page: Paging,
    q: Annotated[str, Query(max_length=MAX_QUERY_CHARS)] = "",
):
    hits = paged(lambda limit, offset: corpus.search(q.strip(), limit, offset), page) if q.strip() else None
    return render(request, "search.html", q=q, page=hits, snippet_parts=snippet_parts)


@router.get("/promises")
def promises_page(request: Request, corpus: CorpusDep, page: Paging, before: Day = None):
    promises = paged(lambda limit, offset: corpus.promises(before, limit, offset), page)
    return render(request, "promises.html", before=before or "", page=promises)


@router.get("/claims")
def claims_page(request: Request, corpus: CorpusDep, page: Paging):
    return render(request, "claims.html", page=paged(corpus.claims, page))


def _operations(schema: dict) -> list[dict]:
    """The API's operations as the reference page lists them, straight from the OpenAPI schema."""
    operations = []
    for path, methods in schema.get("paths", {}).items():
        for method, operation in methods.items():
            parameters = [
                {
                    "name": p["name"],
                    "where": p["in"],
                    "required": p.get("required", False),
                    "description": p.get("description") or p.get("schema", {}).get("description", ""),
                }
                for p in operation.get("parameters", [])
            ]
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": parameters,
                    "body": "requestBody" in operation,
                }
            )
    return operations


@router.get("/reference")
def reference_page(request: Request):
    schema = request.app.openapi()
    return render(request, "reference.html", info=schema["info"], operations=_operations(schema))


def _require_configured(request: Request) -> None:
    # The page does not exist on a read-only server.
    if not request.app.state.settings.token:
        raise ApiError(404, "not_found", "analysis is switched off on this server")


@router.get("/analyze")
def analyze_form(request: Request):
    _require_configured(request)
    return render(request, "analyze.html", form={}, problem=None)


@router.post("/analyze")
async def analyze_submit(request: Request):
    """The form posts url-encoded fields; read them without a multipart dependency."""
    _require_configured(request)
    fields = {
        key: values[0]
        for key, values in parse_qs(
            (await request.body()).decode("utf-8", "replace"), keep_blank_values=True
        ).items()
    }
    form = {
        "text": fields.get("text", ""),
        "format": fields.get("format", "text"),
        "title": fields.get("title", ""),
    }
    if not token_matches(request.app.state.settings.token, fields.get("token")):
        return render(
            request, "analyze.html", status=401, form=form, problem="The token is missing or wrong."
        )
    try:
        body = AnalyzeRequest(
            text=form["text"],
            format=form["format"] if form["format"] == "html" else "text",
            title=form["title"] or None,
        )
    except ValidationError as error:
        problem = "; ".join(e["msg"] for e in error.errors()[:3])
        return render(request, "analyze.html", status=422, form=form, problem=problem)
    record = await request.app.state.analysis.run(body)
    return article_page(request, record, stored=False)
