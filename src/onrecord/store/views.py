"""What store queries return: plain typed shapes for the CLI (--json) and the API, not table rows."""

from __future__ import annotations

from pydantic import BaseModel, Field


class DocumentSummary(BaseModel):
    doc_id: str
    title: str | None = None
    published: str | None = None
    outlet: str | None = None
    url: str | None = None
    source: str | None = None
    language: str | None = None
    pipeline_version: str | None = None
    duplicate_of: str | None = None  # doc_id of the earlier document this one is a copy of
    entities: int = 0
    attributions: int = 0
    events: int = 0


class SearchHit(BaseModel):
    document: DocumentSummary
    snippet: str
    score: float


class Statement(BaseModel):
    """One attribution, with where it was published."""

    doc_id: str
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    attribution_id: str
    kind: str
    speaker: str | None = None
    speaker_id: str | None = None  # corpus entity id
    content: str
    cue: str | None = None
    factuality: str
    source_chain: list[str] = Field(default_factory=list)  # names, the speaker first
    start: int
    end: int
    about: list[str] = Field(default_factory=list)  # entities named inside the content (corpus lists)


class EntityInfo(BaseModel):
    id: str
    type: str
    name: str
    key: str
    aliases: list[str] = Field(default_factory=list)
    documents: int = 0
    mentions: int = 0
    statements: int = 0
    first_seen: str | None = None
    last_seen: str | None = None


class TimelineEntry(BaseModel):
    date: str | None
    kind: str  # "statement", "event" or "mention"
    doc_id: str
    title: str | None = None
    text: str
    type: str | None = None  # event type, attribution kind


class QuoteLink(BaseModel):
    """`quoter` passed on what `quoted` said, `count` times. A quoter without id is an outlet."""

    quoter: str
    quoter_id: str | None = None
    quoted: str
    quoted_id: str | None = None
    count: int


class Promise(BaseModel):
    doc_id: str
    title: str | None = None
    published: str | None = None
    event_id: str
    type: str
    trigger: str
    due: str
    relation: str | None = None
    time_text: str | None = None
    factuality: str
    promised_by: list[str] = Field(default_factory=list)


class ClaimSummary(BaseModel):
    id: int
    speaker: str | None = None
    speaker_id: str | None = None
    content: str
    polarity: str
    documents: int
    outlets: int
    contradicted: bool
    contradicted_by: list[int] = Field(default_factory=list)
    source_chains: list[list[str]] = Field(default_factory=list)
    doc_ids: list[str] = Field(default_factory=list)


class StoreStats(BaseModel):
    documents: int
    duplicates: int
    entities: int
    corpus_entities: int
    mentions: int
    attributions: int
    events: int
    times: int
    claims: int
    failures: int
    pipeline_versions: dict[str, int] = Field(default_factory=dict)


class WriteReport(BaseModel):
    added: int = 0
    skipped: int = 0  # already stored with the same content hash
    replaced: int = 0  # re-analysed with another pipeline version
    duplicates: int = 0  # linked to an earlier near-duplicate or syndicated copy
    failures: int = 0


class EntityListing(BaseModel):
    """A corpus entity with its counters, as the entity and speaker lists show it."""

    id: str
    type: str
    name: str  # the longest name its articles give it
    documents: int = 0
    mentions: int = 0
    statements: int = 0  # made by it


class EventItem(BaseModel):
    """One event, placed in its document, its participants named."""

    doc_id: str
    event_id: str
    type: str
    mode: str | None = None
    trigger: str
    factuality: str
    time_text: str | None = None
    time_value: str | None = None
    time_relation: str | None = None
    actors: list[str] = Field(default_factory=list)
    targets: list[str] = Field(default_factory=list)
    locations: list[str] = Field(default_factory=list)
    attributed_to: list[str] = Field(default_factory=list)
    published: str | None = None
    start: int  # the evidence's offsets
    end: int


class MentionItem(BaseModel):
    doc_id: str
    text: str
    start: int
    end: int


class EntityProfile(BaseModel):
    """One entity across the corpus; each list is bounded, newest documents first."""

    entity: EntityListing
    aliases: list[str] = Field(default_factory=list)
    roles: list[str] = Field(default_factory=list)
    said: list[Statement] = Field(default_factory=list)
    mentioned_in: list[Statement] = Field(default_factory=list)  # statements by others naming it
    events: list[EventItem] = Field(default_factory=list)  # as actor, target, location or items
    mentions: list[MentionItem] = Field(default_factory=list)
