"""Records to rows and back. Pure functions: no database session here (see store.core)."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from functools import lru_cache

from onrecord.model import Attribution, Entity, Event, Mention, Record, TimeExpression

# Fields of the record kept in documents.data; the items live in their own tables.
_ITEM_FIELDS = {"entities", "attributions", "events", "times"}
EVENT_ROLES = ("actor", "target", "location", "items", "attributed_to")

# A calendar date, or a year or month: what an event date or a date filter may be.
FULL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
# Undated events sort after every date.
UNDATED = "9999"


def event_sort_date(time_value: str | None, published: str | None) -> str:
    """When an event happens as far as a calendar can say: its time value if that is a date,
    else its article's publication date, else UNDATED (serve.corpus.event_date, as a sort key)."""
    if time_value and FULL_DATE.match(time_value):
        return time_value
    return published or UNDATED


def content_hash(text: str, doc_id: str | None = None, title: str | None = None,
                 published: str | None = None, outlet: str | None = None, url: str | None = None,
                 author: str | None = None) -> str:
    """What makes an article the same article: its clean text and its metadata, not the file it
    came from (so a moved folder is not ingested twice, but the same text from another outlet is)."""
    identity = json.dumps([doc_id, text, title, published, outlet, url, author], ensure_ascii=False)
    return hashlib.sha256(identity.encode("utf-8")).hexdigest()


def record_hash(record: Record) -> str:
    info = record.document
    return content_hash(record.text, info.id, info.title, info.published, info.outlet, info.url, info.author)


def article_hash(article) -> str:
    """The hash an ingested Article will have once analysed (equal to `record_hash` of its record)."""
    return content_hash(article.text, article.doc_id, article.title, article.published, article.outlet,
                        article.url, article.author)


@lru_cache(maxsize=65536)
def fold_name(name: str) -> str:
    """A name folded for matching: case, diacritics, punctuation and spacing ignored."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.findall(r"\w+", letters))


def document_row(record: Record) -> dict:
    info = record.document
    rest = record.model_dump(mode="json", exclude=_ITEM_FIELDS)
    return {"doc_id": info.id, "content_hash": record_hash(record), "title": info.title,
            "published": info.published, "outlet": info.outlet, "url": info.url, "author": info.author,
            "source": info.source, "language": info.language, "text": record.text,
            "schema_version": record.schema_version, "pipeline_version": record.pipeline_version,
            "data": json.dumps(rest, ensure_ascii=False)}


def entity_row(entity: Entity, position: int) -> dict:
    return {"position": position, "local_id": entity.id, "type": entity.type, "name": entity.name,
            "key": entity.key, "data": entity.model_dump_json(exclude={"mentions"})}


def mention_row(mention: Mention, position: int) -> dict:
    return {"position": position, "start_char": mention.start, "end_char": mention.end, "text": mention.text,
            "kind": mention.kind, "data": mention.model_dump_json()}


def attribution_row(attribution: Attribution, position: int) -> dict:
    return {"position": position, "local_id": attribution.id, "kind": attribution.kind,
            "speaker_text": attribution.speaker.text if attribution.speaker else None,
            "cue_text": attribution.cue.text if attribution.cue else None,
            "content_text": attribution.content.text, "start_char": attribution.content.start,
            "end_char": attribution.content.end, "factuality": attribution.factuality,
            "data": attribution.model_dump_json()}


def event_row(event: Event, position: int) -> dict:
    time = event.time
    return {"position": position, "local_id": event.id, "type": event.type, "mode": event.mode,
            "trigger_text": event.trigger.text, "start_char": event.trigger.start,
            "end_char": event.trigger.end, "factuality": event.factuality,
            "time_text": time.text if time else None, "time_value": time.value if time else None,
            "time_relation": time.relation if time else None, "data": event.model_dump_json()}


def time_row(time: TimeExpression, position: int) -> dict:
    return {"position": position, "start_char": time.start, "end_char": time.end, "text": time.text,
            "type": time.type, "value": time.value, "data": time.model_dump_json()}


def build_record(document_data: str, entity_rows, mention_rows, attribution_rows, event_rows,
                 time_rows) -> Record:
    """The record again from its rows; each row sequence is in stored position order.
    `mention_rows` are (entity position, data) pairs."""
    record = json.loads(document_data)
    mentions_by_entity: dict[int, list] = {}
    for entity_position, data in mention_rows:
        mentions_by_entity.setdefault(entity_position, []).append(json.loads(data))
    record["entities"] = []
    for position, data in entity_rows:
        entity = json.loads(data)
        entity["mentions"] = mentions_by_entity.get(position, [])
        record["entities"].append(entity)
    record["attributions"] = [json.loads(data) for data in attribution_rows]
    record["events"] = [json.loads(data) for data in event_rows]
    record["times"] = [json.loads(data) for data in time_rows]
    return Record.model_validate(record)
