"""The shapes the API returns and accepts. Separate from the record (onrecord.model) and from the
database tables: the API may flatten, name and link things for readers without changing either."""

from __future__ import annotations

from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from onrecord.serve.config import MAX_ANALYZE_CHARS

Item = TypeVar("Item")


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorDetail(_Out):
    code: str = Field(description="Stable, machine-readable: not_found, invalid_request, unauthorized ...")
    status: int = Field(description="The HTTP status, repeated for clients that lose it.")
    message: str = Field(description="For people.")


class ErrorBody(_Out):
    """The one shape of every API error."""

    error: ErrorDetail


class Page(_Out, Generic[Item]):
    """One page of a list. Ask for the next with `offset=next_offset`; it is null on the last page."""

    items: list[Item]
    limit: int
    offset: int
    next_offset: int | None


class DocumentSummary(_Out):
    id: str
    title: str | None
    published: str | None
    outlet: str | None
    url: str | None
    language: str
    entities: int
    statements: int
    events: int
    page: str = Field(description="Path of the article page.")
    api: str = Field(description="Path of the full record.")


class Statement(_Out):
    """One attribution, placed in its document."""

    document_id: str
    id: str = Field(description="The attribution's id inside its record (a1, a2 ...).")
    kind: str
    speaker: str = Field(description="The speaker's name, or the words naming them.")
    speaker_id: str | None = Field(description="Corpus id of the speaker, when they are a known entity.")
    cue: str | None
    content: str
    factuality: str
    source_chain: list[str] = Field(description="Names: the speaker first, then who passed it on.")
    about: list[str] = Field(description="Entities named inside the statement.")
    published: str | None
    start: int
    end: int
    page: str = Field(description="Link to the sentence on the article page.")


class EventOut(_Out):
    document_id: str
    id: str
    type: str
    mode: str | None
    trigger: str
    factuality: str
    time_text: str | None
    time_value: str | None
    time_relation: str | None
    actors: list[str]
    targets: list[str]
    locations: list[str]
    attributed_to: list[str]
    published: str | None
    start: int | None = Field(description="Offsets of the event's evidence in the text, when known.")
    end: int | None
    page: str


class EntitySummary(_Out):
    id: str = Field(description="Corpus id, shared by every article naming the same entity.")
    name: str
    type: str
    documents: int
    mentions: int
    statements: int = Field(description="How many statements this entity made.")
    page: str


class MentionOut(_Out):
    document_id: str
    text: str
    start: int
    end: int
    page: str


class EntityProfile(_Out):
    """One entity across the corpus; each list holds at most 200 items, newest documents first."""

    entity: EntitySummary
    aliases: list[str]
    roles: list[str]
    said: list[Statement] = Field(description="What they said.")
    mentioned_in: list[Statement] = Field(description="Statements by others that name them.")
    events: list[EventOut]
    mentions: list[MentionOut]


class SearchHit(_Out):
    document_id: str
    title: str | None
    published: str | None
    snippet: str = Field(description="Text around the match; the matching words are in [brackets].")
    start: int | None = Field(description="Where the match starts in the text, when known.")
    end: int | None
    page: str


class ClaimOut(_Out):
    """A statement as reported across the corpus, with how many independent sources carry it."""

    content: str
    speaker: str | None
    speaker_id: str | None
    polarity: str = Field(description="positive, or negative for a denial or negated statement")
    documents: int
    outlets: int = Field(description="Independent outlets: syndicated copies count once.")
    contradicted: bool
    source_chains: list[list[str]] = Field(description="The distinct chains through which it reached print.")
    document_ids: list[str]


class Stats(_Out):
    documents: int
    entities: int
    statements: int
    events: int


class AnalyzeRequest(BaseModel):
    """An article to analyse now. Nothing is stored: the server is read-only."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=MAX_ANALYZE_CHARS, description="Plain text or an HTML page.")
    format: Literal["text", "html"] = "text"
    title: str | None = Field(default=None, max_length=1000)
    published: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$", description="YYYY-MM-DD")
