"""What the web layer asks of a corpus, and a corpus held in memory.

Routes talk to a `Corpus`; `RecordCorpus` answers from a list of records (tests, the paste page,
small folders), `onrecord.serve.store_corpus.StoreCorpus` from the database. Both return the API
shapes of `schemas.py`, built from records by the functions below.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from functools import cached_property
from typing import Protocol

from onrecord.model import Attribution, Entity, Event, Record
from onrecord.serve.highlight import speaker_key
from onrecord.serve.schemas import (
    ClaimOut,
    DocumentSummary,
    EntityProfile,
    EntitySummary,
    EventOut,
    MentionOut,
    SearchHit,
    Statement,
    Stats,
)

# Characters of context on each side of a search match.
SNIPPET_CONTEXT = 80
# An entity page lists at most this many statements, events and mentions of each kind, newest
# first: a head of state can have thousands, and the page must stay bounded like every list.
PROFILE_ITEMS = 200


class Corpus(Protocol):
    def stats(self) -> Stats: ...
    def documents(self, limit: int, offset: int) -> list[DocumentSummary]: ...
    def record(self, doc_id: str) -> Record | None: ...
    def entities(self, limit: int, offset: int, type: str | None = None) -> list[EntitySummary]: ...
    def speakers(self, limit: int, offset: int) -> list[EntitySummary]: ...
    def entity(self, entity_id: str) -> EntityProfile | None: ...
    def statements(self, limit: int, offset: int) -> list[Statement]: ...
    def events(self, limit: int, offset: int) -> list[EventOut]: ...
    def search(self, query: str, limit: int, offset: int) -> list[SearchHit]: ...
    def promises(self, before: str | None, limit: int, offset: int) -> list[EventOut]: ...
    def claims(self, limit: int, offset: int) -> list[ClaimOut]: ...


def fold_name(name: str) -> str:
    """A name folded for matching: case, diacritics, punctuation and spacing ignored."""
    letters = "".join(
        ch for ch in unicodedata.normalize("NFKD", name.casefold()) if not unicodedata.combining(ch)
    )
    return " ".join(re.findall(r"\w+", letters))


def entity_id(entity: Entity) -> str:
    """The corpus id ('person:jane-doe'): the store's when the record comes from it, else made the
    way the store makes a new one, so that articles naming someone alike share a page."""
    if entity.corpus_id:
        return entity.corpus_id
    return f"{entity.type.lower()}:" + ("-".join(fold_name(entity.key or entity.name).split()) or "unnamed")


def article_path(doc_id: str, anchor: str | None = None) -> str:
    return f"/documents/{doc_id}" + (f"#{anchor}" if anchor else "")


def entity_path(corpus_id: str) -> str:
    return f"/entities/{corpus_id}"


def document_summary(record: Record) -> DocumentSummary:
    info = record.document
    return DocumentSummary(
        id=info.id,
        title=info.title,
        published=info.published,
        outlet=info.outlet,
        url=info.url,
        language=info.language,
        entities=len(record.entities),
        statements=len(record.attributions),
        events=len(record.events),
        page=article_path(info.id),
        api=f"/api/documents/{info.id}",
    )


def statement(record: Record, attribution: Attribution) -> Statement:
    entities = {entity.id: entity for entity in record.entities}
    speaker = attribution.speaker
    speaker_entity = entities.get(speaker.entity or "") if speaker else None
    content = attribution.content
    about = [
        entity.name
        for entity in record.entities
        if entity is not speaker_entity
        and any(content.start <= m.start and m.end <= content.end for m in entity.mentions)
    ]
    return Statement(
        document_id=record.document.id,
        id=attribution.id,
        kind=attribution.kind,
        speaker=speaker_entity.name if speaker_entity else (speaker.text if speaker else "unknown speaker"),
        speaker_id=entity_id(speaker_entity) if speaker_entity else None,
        cue=attribution.cue.text if attribution.cue else None,
        content=content.text,
        factuality=attribution.factuality,
        source_chain=[entities[e].name if e in entities else e for e in attribution.source_chain],
        about=about,
        published=record.document.published,
        start=content.start,
        end=content.end,
        page=article_path(record.document.id, attribution.id),
    )


def _named_in(entity: Entity, attribution: Attribution) -> bool:
    content = attribution.content
    return any(content.start <= m.start and m.end <= content.end for m in entity.mentions)


def event_out(record: Record, event: Event) -> EventOut:
    names = {entity.id: entity.name for entity in record.entities}

    def named(ids: list[str]) -> list[str]:
        return [names.get(i, i) for i in ids]

    time = event.time
    return EventOut(
        document_id=record.document.id,
        id=event.id,
        type=event.type,
        mode=event.mode,
        trigger=event.trigger.text,
        factuality=event.factuality,
        time_text=time.text if time else None,
        time_value=time.value if time else None,
        time_relation=time.relation if time else None,
        actors=named(event.actor),
        targets=named(event.target),
        locations=named(event.location),
        attributed_to=named(event.attributed_to),
        published=record.document.published,
        start=event.evidence.start,
        end=event.evidence.end,
        page=article_path(record.document.id, event.id),
    )


def event_date(event: EventOut) -> str | None:
    """When the event happens as far as a calendar can say: its time value if it is a date,
    else the article's publication date."""
    value = event.time_value or ""
    if re.match(r"^\d{4}(-\d{2}(-\d{2})?)?$", value):
        return value
    return event.published


def search_hits(record: Record, query: str) -> list[SearchHit]:
    text, needle = record.text.casefold(), query.casefold()
    # casefold can change lengths (ß -> ss); offsets are only trusted when it did not.
    if not needle or len(text) != len(record.text):
        return []
    hits, start = [], text.find(needle)
    while start >= 0:
        end = start + len(needle)
        left, right = max(0, start - SNIPPET_CONTEXT), min(len(text), end + SNIPPET_CONTEXT)
        snippet = (
            ("…" if left else "")
            + " ".join(record.text[left:start].split())
            + " ["
            + " ".join(record.text[start:end].split())
            + "] "
            + " ".join(record.text[end:right].split())
            + ("…" if right < len(text) else "")
        )
        hits.append(
            SearchHit(
                document_id=record.document.id,
                title=record.document.title,
                published=record.document.published,
                snippet=snippet,
                start=start,
                end=end,
                page=article_path(record.document.id),
            )
        )
        start = text.find(needle, end)
    return hits


_MATCH = re.compile(r"\[([^\[\]]*)\]")


def snippet_parts(snippet: str) -> list[tuple[str, bool]]:
    """A snippet as (text, is_match) pieces: matches are marked with [brackets], as the store's
    full-text search marks them."""
    parts, cursor = [], 0
    for match in _MATCH.finditer(snippet):
        parts += [(snippet[cursor : match.start()], False), (match.group(1), True)]
        cursor = match.end()
    return [part for part in parts + [(snippet[cursor:], False)] if part[0]]


def _window(items: list, limit: int, offset: int) -> list:
    return items[offset : offset + limit]


class RecordCorpus:
    """A corpus of records held in memory: everything is derived from the records themselves,
    once (records do not change; a new corpus is built when they do)."""

    def __init__(self, records: list[Record]) -> None:
        unique = {record.document.id: record for record in records}
        # Newest first, like a news site; undated articles last.
        self._records = sorted(
            unique.values(), key=lambda r: (r.document.published or "", r.document.id), reverse=True
        )
        self._by_id = unique

    def stats(self) -> Stats:
        return Stats(
            documents=len(self._records),
            entities=len(self._entity_groups),
            statements=sum(len(r.attributions) for r in self._records),
            events=sum(len(r.events) for r in self._records),
        )

    def documents(self, limit: int, offset: int) -> list[DocumentSummary]:
        return [document_summary(record) for record in _window(self._records, limit, offset)]

    def record(self, doc_id: str) -> Record | None:
        return self._by_id.get(doc_id)

    @cached_property
    def _entity_groups(self) -> dict[str, list[tuple[Record, Entity]]]:
        groups: dict[str, list[tuple[Record, Entity]]] = defaultdict(list)
        for record in self._records:
            for entity in record.entities:
                groups[entity_id(entity)].append((record, entity))
        return groups

    def _summary(self, corpus_id: str, members: list[tuple[Record, Entity]]) -> EntitySummary:
        # The longest name, alphabetically first among equally long ones, as the store shows it.
        first = min((entity for _, entity in members), key=lambda entity: (-len(entity.name), entity.name))
        said = sum(
            1
            for record, entity in members
            for a in record.attributions
            if a.speaker and a.speaker.entity == entity.id
        )
        return EntitySummary(
            id=corpus_id,
            name=first.name,
            type=first.type,
            documents=len({record.document.id for record, _ in members}),
            mentions=sum(len(entity.mentions) for _, entity in members),
            statements=said,
            page=entity_path(corpus_id),
        )

    @cached_property
    def _summaries(self) -> list[EntitySummary]:
        summaries = [self._summary(key, members) for key, members in self._entity_groups.items()]
        return sorted(summaries, key=lambda s: (-s.mentions, s.name))

    def entities(self, limit: int, offset: int, type: str | None = None) -> list[EntitySummary]:
        summaries = self._summaries if type is None else [s for s in self._summaries if s.type == type]
        return _window(summaries, limit, offset)

    def speakers(self, limit: int, offset: int) -> list[EntitySummary]:
        speakers = sorted((s for s in self._summaries if s.statements), key=lambda s: (-s.statements, s.name))
        return _window(speakers, limit, offset)

    def entity(self, corpus_id: str) -> EntityProfile | None:
        members = self._entity_groups.get(corpus_id)
        if not members:
            return None
        said, mentioned_in, events, mentions = [], [], [], []
        # Items are built only while their list has room: a much-quoted entity has thousands.
        for record, entity in members:
            for attribution in record.attributions:
                if attribution.speaker and attribution.speaker.entity == entity.id:
                    if len(said) < PROFILE_ITEMS:
                        said.append(statement(record, attribution))
                elif len(mentioned_in) < PROFILE_ITEMS and _named_in(entity, attribution):
                    mentioned_in.append(statement(record, attribution))
            involved = [
                event
                for event in record.events
                if entity.id in {*event.actor, *event.target, *event.location, *event.items}
            ]
            events += [event_out(record, event) for event in involved[: PROFILE_ITEMS - len(events)]]
            mentions += [
                MentionOut(
                    document_id=record.document.id,
                    text=m.text,
                    start=m.start,
                    end=m.end,
                    page=article_path(record.document.id),
                )
                for m in entity.mentions[: PROFILE_ITEMS - len(mentions)]
            ]
        entities = [entity for _, entity in members]
        return EntityProfile(
            entity=self._summary(corpus_id, members),
            aliases=sorted({alias for entity in entities for alias in entity.aliases}),
            roles=sorted({role for entity in entities for role in entity.roles}),
            said=said,
            mentioned_in=mentioned_in,
            events=events,
            mentions=mentions,
        )

    def statements(self, limit: int, offset: int) -> list[Statement]:
        every = [(record, a) for record in self._records for a in record.attributions]
        return [statement(record, a) for record, a in _window(every, limit, offset)]

    @cached_property
    def _events(self) -> list[EventOut]:
        return [event_out(record, event) for record in self._records for event in record.events]

    def events(self, limit: int, offset: int) -> list[EventOut]:
        dated = sorted(self._events, key=lambda e: (event_date(e) or "9999", e.document_id, e.start))
        return _window(dated, limit, offset)

    def search(self, query: str, limit: int, offset: int) -> list[SearchHit]:
        hits = [hit for record in self._records for hit in search_hits(record, query)]
        return _window(hits, limit, offset)

    def promises(self, before: str | None, limit: int, offset: int) -> list[EventOut]:
        promised = [e for e in self._events if e.factuality in ("promised", "intended") and e.time_value]
        if before:
            promised = [e for e in promised if e.time_value < before]
        return _window(sorted(promised, key=lambda e: (e.time_value, e.document_id, e.start)), limit, offset)

    def claims(self, limit: int, offset: int) -> list[ClaimOut]:
        """Statements grouped by speaker and folded wording; a rough stand-in for the store's
        resolver, enough for a handful of records."""
        groups: dict[tuple[str, str, str], list[tuple[Record, Attribution]]] = defaultdict(list)
        for record in self._records:
            for attribution in record.attributions:
                polarity = "negative" if attribution.factuality == "negated" else "positive"
                groups[(fold_name(attribution.content.text), speaker_key(attribution), polarity)].append(
                    (record, attribution)
                )
        claims = []
        for (content, speaker, polarity), members in groups.items():
            opposite = "positive" if polarity == "negative" else "negative"
            said = [statement(record, attribution) for record, attribution in members]
            claims.append(
                ClaimOut(
                    content=said[0].content,
                    speaker=said[0].speaker,
                    speaker_id=said[0].speaker_id,
                    polarity=polarity,
                    documents=len({s.document_id for s in said}),
                    outlets=len({r.document.outlet or r.document.id for r, _ in members}),
                    contradicted=(content, speaker, opposite) in groups,
                    source_chains=list({tuple(s.source_chain): s.source_chain for s in said}.values()),
                    document_ids=list(dict.fromkeys(s.document_id for s in said)),
                )
            )
        claims.sort(key=lambda c: (-c.outlets, -c.documents, c.contradicted, c.content))
        return _window(claims, limit, offset)
