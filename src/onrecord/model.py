"""The record: one typed data model shared by every layer (ingest, analyse, store, serve).

Every span carries Python string offsets into `Record.text`, end exclusive, so that
`record.text[span.start:span.end] == span.text` always holds. The JSON shape is the
contract of ../shared/RECORD.md; fields beyond it are additions, never renames.
"""

from __future__ import annotations

import json
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.0"

EntityType = Literal[
    "PERSON", "ORG", "GPE", "LOC", "FAC", "PRODUCT", "NORP", "EVENT", "WORK_OF_ART", "LAW", "OTHER"
]
AttributionKind = Literal["direct", "indirect", "mixed"]
Factuality = Literal["asserted", "possible", "intended", "promised", "negated"]
TimeType = Literal["DATE", "TIME", "DURATION", "SET"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Offsets(_Model):
    """A stretch of the clean text given by offsets only (paragraphs, evidence)."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Span(Offsets):
    """A stretch of the clean text with its characters: `text[start:end] == span.text`."""

    text: str


class Mention(Span):
    """One place where an entity is named or referred to."""

    kind: Literal["name", "pronoun", "description"] = "name"


class Place(_Model):
    """Where a GPE/LOC/FAC entity is, as far as gazetteers and the text tell."""

    country: str | None = None  # ISO 3166-1 alpha-2
    latitude: float | None = None
    longitude: float | None = None
    within: list[str] = Field(default_factory=list)  # containing places named in the text


class Entity(_Model):
    id: str
    type: EntityType
    name: str  # canonical name: the most complete form found in the text
    aliases: list[str] = Field(default_factory=list)
    roles: list[str] = Field(default_factory=list)
    mentions: list[Mention] = Field(default_factory=list)
    place: Place | None = None
    key: str | None = None  # transliteration-folded matching key, shared across articles
    corpus_id: str | None = None  # assigned by the cross-article resolver


class SpeakerSpan(Span):
    entity: str | None = None  # id of an Entity of this record


class Content(Span):
    """What was said. `parts` is set when the content is discontinuous."""

    parts: list[Span] | None = None


class Attribution(_Model):
    id: str
    kind: AttributionKind
    content: Content
    cue: Span | None = None
    speaker: SpeakerSpan | None = None
    source_chain: list[str] = Field(default_factory=list)  # speaker first, then intermediaries
    factuality: Factuality = "asserted"
    hedges: list[Span] = Field(default_factory=list)  # words that made it less than asserted


class TimeRef(_Model):
    text: str
    value: str | None = None
    relation: Literal["before", "at", "after", "since", "during"] | None = None


class Event(_Model):
    id: str
    type: str  # a PLOVER type, or a documented extension
    mode: str | None = None  # the finer kind: purchase, transfer, meeting, deployment ...
    trigger: Span
    actor: list[str] = Field(default_factory=list)
    target: list[str] = Field(default_factory=list)
    location: list[str] = Field(default_factory=list)
    items: list[str] = Field(default_factory=list)
    time: TimeRef | None = None
    factuality: Factuality = "asserted"
    attributed_to: list[str] = Field(default_factory=list)
    attribution: str | None = None  # id of the Attribution the event sits in
    evidence: Offsets
    condition: Span | None = None  # the clause the event depends on ("if a smart person comes ...")
    promise: bool = False  # a future event someone committed to, with a deadline in time (relation before)


class TimeExpression(Span):
    type: TimeType
    value: str | None = None
    relation: Literal["before", "at", "after", "since", "during"] | None = None
    anchored: bool = False  # True when the value was resolved against the publication date


class DocumentInfo(_Model):
    id: str
    source: str | None = None
    title: str | None = None
    published: str | None = None  # YYYY-MM-DD
    outlet: str | None = None
    url: str | None = None
    author: str | None = None
    language: str = "en"


class Record(_Model):
    schema_version: str = SCHEMA_VERSION
    pipeline_version: str | None = None
    document: DocumentInfo
    text: str
    paragraphs: list[Offsets] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    attributions: list[Attribution] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    times: list[TimeExpression] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)

    def to_json(self, indent: int | None = None) -> str:
        return self.model_dump_json(indent=indent)

    def spans(self):
        """Yield every Span of the record, for checking and highlighting."""
        for entity in self.entities:
            yield from entity.mentions
        for attribution in self.attributions:
            yield attribution.content
            yield from attribution.content.parts or []
            for span in (attribution.cue, attribution.speaker):
                if span is not None:
                    yield span
            yield from attribution.hedges
        for event in self.events:
            yield event.trigger
            if event.condition is not None:
                yield event.condition
        yield from self.times


def json_schema() -> str:
    """The published JSON Schema of the record."""
    schema = Record.model_json_schema()
    schema["$id"] = f"https://onrecord.invalid/schema/record-{SCHEMA_VERSION}.json"
    schema["title"] = f"onrecord record {SCHEMA_VERSION}"
    return json.dumps(schema, indent=2)
