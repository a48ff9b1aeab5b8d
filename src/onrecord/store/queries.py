"""Questions across the corpus. Each function takes an open connection and returns view shapes."""

from __future__ import annotations

import json
import re
from collections import defaultdict

from sqlalchemy import Connection, and_, func, or_, select, text
from sqlalchemy.orm import aliased

from onrecord.errors import BadQuery, DocumentNotFound, EntityNotFound
from onrecord.model import Mention, Record
from onrecord.store import records as rows
from onrecord.store.corpus import lookup_keys
from onrecord.store.schema import (
    attribution_names,
    attributions,
    claim_contradictions,
    claim_members,
    claims,
    corpus_entities,
    documents,
    entities,
    entity_labels,
    event_arguments,
    events,
    failures,
    mentions,
    source_links,
    times,
)
from onrecord.store.views import (
    ClaimSummary,
    DocumentSummary,
    EntityInfo,
    EntityListing,
    EntityProfile,
    EventItem,
    MentionItem,
    Promise,
    QuoteLink,
    SearchHit,
    Statement,
    StoreStats,
    TimelineEntry,
)


def get_record(conn: Connection, doc_id: str, corpus_ids: bool = False) -> Record:
    row = conn.execute(select(documents.c.id, documents.c.data).where(documents.c.doc_id == doc_id)).first()
    if row is None:
        raise DocumentNotFound(doc_id=doc_id)
    return record_from_rows(conn, row.id, row.data, corpus_ids)


def record_from_rows(conn: Connection, document_id: int, data: str, corpus_ids: bool = False) -> Record:
    """The stored record; with `corpus_ids`, each entity's `corpus_id` is the store's corpus entity."""
    entity_rows = conn.execute(select(entities.c.position, entities.c.data, entities.c.corpus_entity_id)
                               .where(entities.c.document_id == document_id).order_by(entities.c.position)).all()
    mention_rows = conn.execute(
        select(entities.c.position, mentions.c.data).join(entities, mentions.c.entity_id == entities.c.id)
        .where(mentions.c.document_id == document_id).order_by(entities.c.position, mentions.c.position)).all()
    item_data = {}
    for table in (attributions, events, times):
        item_data[table.name] = conn.execute(select(table.c.data).where(table.c.document_id == document_id)
                                             .order_by(table.c.position)).scalars().all()
    record = rows.build_record(data, [(row.position, row.data) for row in entity_rows], mention_rows,
                               item_data["attributions"], item_data["events"], item_data["times"])
    if corpus_ids:
        for entity, row in zip(record.entities, entity_rows):
            entity.corpus_id = row.corpus_entity_id
    return record


def iter_entities(conn: Connection, batch: int = 2000):
    """Each stored document's entities (model Entities with their mentions), in storage order."""
    from onrecord.model import Entity

    last = 0
    while True:
        page = conn.execute(select(documents.c.id).where(documents.c.id > last).order_by(documents.c.id)
                            .limit(batch)).scalars().all()
        if not page:
            return
        entity_rows = conn.execute(select(entities.c.id, entities.c.document_id, entities.c.data)
                                   .where(entities.c.document_id.in_(page))
                                   .order_by(entities.c.document_id, entities.c.position)).all()
        mention_data: dict[int, list[str]] = defaultdict(list)
        for entity_id, data in conn.execute(select(mentions.c.entity_id, mentions.c.data)
                                            .where(mentions.c.document_id.in_(page))
                                            .order_by(mentions.c.entity_id, mentions.c.position)):
            mention_data[entity_id].append(data)
        by_document: dict[int, list] = {document_id: [] for document_id in page}
        for row in entity_rows:
            entity = Entity.model_validate_json(row.data)
            entity.mentions = [Mention.model_validate_json(data) for data in mention_data[row.id]]
            by_document[row.document_id].append(entity)
        yield from by_document.values()
        last = page[-1]


def iter_document_ids(conn: Connection, batch: int = 500):
    """Row ids and data of every document in storage order, read in batches (bounded memory)."""
    last = 0
    while True:
        page = conn.execute(select(documents.c.id, documents.c.data).where(documents.c.id > last)
                            .order_by(documents.c.id).limit(batch)).all()
        if not page:
            return
        yield from page
        last = page[-1].id


def _summary_columns():
    original = aliased(documents)
    return [documents.c.doc_id, documents.c.title, documents.c.published, documents.c.outlet,
            documents.c.url, documents.c.source, documents.c.language, documents.c.pipeline_version,
            select(original.c.doc_id).where(original.c.id == documents.c.duplicate_of).scalar_subquery()
            .label("duplicate_of"),
            select(func.count()).select_from(entities).where(entities.c.document_id == documents.c.id)
            .scalar_subquery().label("entities"),
            select(func.count()).select_from(attributions).where(attributions.c.document_id == documents.c.id)
            .scalar_subquery().label("attributions"),
            select(func.count()).select_from(events).where(events.c.document_id == documents.c.id)
            .scalar_subquery().label("events")]


def list_documents(conn: Connection, limit: int = 50, offset: int = 0) -> list[DocumentSummary]:
    """Documents in the order they were stored."""
    query = select(*_summary_columns()).order_by(documents.c.id).limit(limit).offset(offset)
    return [DocumentSummary(**row._mapping) for row in conn.execute(query)]


_TERM = re.compile(r'"([^"]+)"|(\S+)')


def fts5_query(query: str) -> str:
    """A user's words as an FTS5 query: every word (or "quoted phrase") must occur; FTS5's own
    operators are not passed through, so no input can make the query invalid."""
    terms = []
    for phrase, word in _TERM.findall(query):
        words = re.findall(r"\w+", phrase or word)
        if words:
            terms.append('"' + " ".join(words) + '"')
    return " ".join(terms)


# Relevance ranking looks at the most recently stored matches only, so that a word found in most of
# a large corpus still answers in tens of milliseconds (measured in bench/store.py: ranking all
# 95,000 matches of a common word in a 100k store took 280 ms in SQLite, 5,000 took under 30 ms).
RANKED_MATCHES = 5000
# PostgreSQL reads each candidate's tsvector to rank it and walks the newest rows to find them, so
# its window is smaller (bench/store.py, 100k store: 5,000 took 270 ms, 1,000 about 50 ms).
RANKED_MATCHES_POSTGRES = 1000


def search(conn: Connection, query: str, limit: int = 20, offset: int = 0) -> list[SearchHit]:
    """Documents matching `query` (all words; "quoted phrases"), best first among the most
    recently stored matches (RANKED_MATCHES, RANKED_MATCHES_POSTGRES), with a snippet."""
    dialect = conn.dialect.name
    if dialect == "sqlite":
        match = fts5_query(query)
        if not match:
            return []
        # Only the most recent matches are ranked (FTS5 walks rowids in order cheaply), then
        # snippets are made for the page alone: SQLite would otherwise build one per match.
        cutoff = conn.execute(text(
            "SELECT min(rowid) FROM (SELECT rowid FROM documents_fts WHERE documents_fts MATCH :match "
            "ORDER BY rowid DESC LIMIT :window)"), {"match": match, "window": RANKED_MATCHES}).scalar()
        ranked = conn.execute(text(
            "SELECT rowid, bm25(documents_fts, 4.0, 1.0) AS rank FROM documents_fts "
            "WHERE documents_fts MATCH :match AND rowid >= :cutoff ORDER BY rank LIMIT :limit OFFSET :offset"),
            {"match": match, "cutoff": cutoff or 0, "limit": limit, "offset": offset}).all()
        if not ranked:
            return []
        page = ",".join(str(int(row.rowid)) for row in ranked)
        snippets = dict(conn.execute(text(
            "SELECT rowid, snippet(documents_fts, 1, '[', ']', '…', 16) FROM documents_fts "
            f"WHERE documents_fts MATCH :match AND rowid IN ({page})"), {"match": match}).all())
        scored = [(row.rowid, snippets.get(row.rowid, ""), -float(row.rank)) for row in ranked]
    elif dialect == "postgresql":
        if not re.search(r"\w", query):
            return []
        hits = conn.execute(text(
            "WITH recent AS (SELECT id FROM documents WHERE search_vector @@ websearch_to_tsquery('english', :query) "
            "ORDER BY id DESC LIMIT :window), "
            "hits AS (SELECT d.id, d.text, ts_rank(d.search_vector, q) AS rank FROM documents d JOIN recent r "
            "ON r.id = d.id, websearch_to_tsquery('english', :query) AS q ORDER BY rank DESC, d.id "
            "LIMIT :limit OFFSET :offset) "
            "SELECT id, ts_headline('english', left(text, 20000), websearch_to_tsquery('english', :query), "
            "'StartSel=[,StopSel=],MaxWords=24,MinWords=8') AS snippet, rank FROM hits ORDER BY rank DESC, id"),
            {"query": query, "window": RANKED_MATCHES_POSTGRES, "limit": limit, "offset": offset}).all()
        scored = [(row.id, row.snippet, float(row.rank)) for row in hits]
    else:
        raise BadQuery(f"full-text search is not available on {dialect}")
    summaries = _summaries_by_row_id(conn, [row_id for row_id, _, _ in scored])
    return [SearchHit(document=summaries[row_id], snippet=snippet, score=round(score, 6))
            for row_id, snippet, score in scored if row_id in summaries]


def _summaries_by_row_id(conn, row_ids: list[int]) -> dict[int, DocumentSummary]:
    if not row_ids:
        return {}
    query = select(documents.c.id.label("row_id"), *_summary_columns()).where(documents.c.id.in_(row_ids))
    return {row.row_id: DocumentSummary(**{k: v for k, v in row._mapping.items() if k != "row_id"})
            for row in conn.execute(query)}


def summaries_by_doc_id(conn: Connection, doc_ids: list[str]) -> dict[str, DocumentSummary]:
    found: dict[str, DocumentSummary] = {}
    for start in range(0, len(doc_ids), 500):
        query = select(*_summary_columns()).where(documents.c.doc_id.in_(doc_ids[start:start + 500]))
        found.update((row.doc_id, DocumentSummary(**row._mapping)) for row in conn.execute(query))
    return found


def find_entities(conn: Connection, name: str, limit: int = 20) -> list[str]:
    """Corpus ids for a corpus id or a name: exact id, then the folded name, then the folded name
    as the last words of a longer name (a surname finds the full name)."""
    exact = conn.execute(select(corpus_entities.c.id).where(corpus_entities.c.id == name)).scalars().all()
    if exact:
        return exact
    keys = lookup_keys(name)
    if not keys:
        return []
    by_key = conn.execute(select(corpus_entities.c.id).where(corpus_entities.c.key.in_(keys))
                          .order_by(corpus_entities.c.id).limit(limit)).scalars().all()
    if by_key:
        return by_key
    return _by_last_words(conn, keys)[:limit]


def _by_last_words(conn: Connection, keys: list[str]) -> list[str]:
    last_words = {key.split()[-1] for key in keys}
    found = conn.execute(select(corpus_entities.c.id, corpus_entities.c.key)
                         .where(corpus_entities.c.last_key.in_(last_words)).order_by(corpus_entities.c.id)).all()
    return [identity for identity, stored in found if any(stored.endswith(" " + key) for key in keys)]


def resolve_one(conn: Connection, name: str) -> list[str]:
    """The corpus ids a name means in a question: every entity with that id or full key; for a
    surname (or other last words) alone, the most mentioned entity whose name ends so, since
    statements of twenty people sharing a surname would not be what anyone asked for."""
    exact = conn.execute(select(corpus_entities.c.id).where(corpus_entities.c.id == name)).scalars().all()
    keys = lookup_keys(name)
    if exact or not keys:
        return exact
    by_key = conn.execute(select(corpus_entities.c.id).where(corpus_entities.c.key.in_(keys))).scalars().all()
    if by_key:
        return by_key
    candidates = _by_last_words(conn, keys)
    if len(candidates) <= 1:
        return candidates
    mentioned = func.count().label("mentioned")
    top = conn.execute(select(entities.c.corpus_entity_id).where(entities.c.corpus_entity_id.in_(candidates))
                       .group_by(entities.c.corpus_entity_id).order_by(mentioned.desc(), entities.c.corpus_entity_id)
                       .limit(1)).scalar()
    return [top] if top else candidates[:1]


def statements_by_speaker(conn: Connection, speaker: str, about: str | None = None, limit: int = 100,
                          offset: int = 0) -> list[Statement]:
    """Everything `speaker` (a corpus id or a name, see `resolve_one`) said, newest first; with
    `about`, only the statements whose content mentions that entity."""
    speaker_ids = resolve_one(conn, speaker)
    if not speaker_ids:
        raise EntityNotFound(name=speaker)
    speaker_entity = aliased(entities)
    query = (select(attributions.c.id, attributions.c.document_id, attributions.c.data,
                    attributions.c.local_id, attributions.c.kind, attributions.c.content_text,
                    attributions.c.cue_text, attributions.c.factuality, attributions.c.start_char,
                    attributions.c.end_char, speaker_entity.c.name.label("speaker"),
                    speaker_entity.c.corpus_entity_id.label("speaker_id"), documents.c.doc_id,
                    documents.c.title, documents.c.outlet, documents.c.published)
             .join(speaker_entity, attributions.c.speaker_entity_id == speaker_entity.c.id)
             .join(documents, documents.c.id == attributions.c.document_id)
             .where(speaker_entity.c.corpus_entity_id.in_(speaker_ids)))
    if about is not None:
        about_ids = resolve_one(conn, about)
        if not about_ids:
            raise EntityNotFound(name=about)
        about_entity = aliased(entities)
        query = query.where(
            select(mentions.c.id).join(about_entity, mentions.c.entity_id == about_entity.c.id)
            .where(mentions.c.document_id == attributions.c.document_id,
                   about_entity.c.corpus_entity_id.in_(about_ids),
                   mentions.c.start_char >= attributions.c.start_char,
                   mentions.c.end_char <= attributions.c.end_char).exists())
    query = query.order_by(documents.c.published.desc(), attributions.c.id).limit(limit).offset(offset)
    found = conn.execute(query).all()
    chains = _chain_names(conn, [row.id for row in found])
    return [Statement(doc_id=row.doc_id, title=row.title, outlet=row.outlet, published=row.published,
                      attribution_id=row.local_id, kind=row.kind, speaker=row.speaker, speaker_id=row.speaker_id,
                      content=row.content_text, cue=row.cue_text, factuality=row.factuality,
                      source_chain=chains.get(row.id, []), start=row.start_char, end=row.end_char)
            for row in found]


def _chain_names(conn, attribution_ids: list[int]) -> dict[int, list[str]]:
    chains: dict[int, list[str]] = defaultdict(list)
    if not attribution_ids:
        return chains
    query = (select(source_links.c.attribution_id, entities.c.name)
             .join(entities, entities.c.id == source_links.c.entity_id)
             .where(source_links.c.attribution_id.in_(attribution_ids))
             .order_by(source_links.c.attribution_id, source_links.c.position))
    for attribution_id, name in conn.execute(query):
        chains[attribution_id].append(name)
    return chains


def entity(conn: Connection, corpus_id: str) -> EntityInfo:
    row = conn.execute(select(corpus_entities).where(corpus_entities.c.id == corpus_id)).first()
    if row is None:
        raise EntityNotFound(name=corpus_id)
    in_corpus = entities.c.corpus_entity_id == corpus_id
    names = conn.execute(select(entities.c.name, func.count()).where(in_corpus).group_by(entities.c.name)
                         .order_by(func.count().desc(), entities.c.name).limit(20)).all()
    documents_count, first_seen, last_seen = conn.execute(
        select(func.count(func.distinct(entities.c.document_id)), func.min(documents.c.published),
               func.max(documents.c.published))
        .join(documents, documents.c.id == entities.c.document_id).where(in_corpus)).one()
    mention_count = conn.execute(select(func.count()).select_from(mentions)
                                 .join(entities, entities.c.id == mentions.c.entity_id).where(in_corpus)).scalar()
    statement_count = conn.execute(select(func.count()).select_from(attributions)
                                   .join(entities, entities.c.id == attributions.c.speaker_entity_id)
                                   .where(in_corpus)).scalar()
    return EntityInfo(id=row.id, type=row.type, name=row.name, key=row.key,
                      aliases=[name for name, _ in names if name != row.name], documents=documents_count,
                      mentions=mention_count, statements=statement_count, first_seen=first_seen,
                      last_seen=last_seen)




def entity_timeline(conn: Connection, corpus_id: str, limit: int = 200) -> list[TimelineEntry]:
    """What an entity said and took part in, by date: the event's own date when it has one,
    else the publication date."""
    entity(conn, corpus_id)
    in_corpus = entities.c.corpus_entity_id == corpus_id
    said = conn.execute(
        select(documents.c.published, documents.c.doc_id, documents.c.title, attributions.c.content_text,
               attributions.c.kind)
        .join(entities, entities.c.id == attributions.c.speaker_entity_id)
        .join(documents, documents.c.id == attributions.c.document_id).where(in_corpus)
        .order_by(documents.c.published, attributions.c.id).limit(limit)).all()
    took_part = conn.execute(
        select(events.c.id, events.c.time_value, documents.c.published, documents.c.doc_id, documents.c.title,
               events.c.trigger_text, events.c.type, event_arguments.c.role)
        .join(event_arguments, event_arguments.c.event_id == events.c.id)
        .join(entities, entities.c.id == event_arguments.c.entity_id)
        .join(documents, documents.c.id == events.c.document_id).where(in_corpus)
        .order_by(documents.c.published, events.c.id).limit(limit)).all()
    timeline = [TimelineEntry(date=row.published, kind="statement", doc_id=row.doc_id, title=row.title,
                              text=row.content_text, type=row.kind) for row in said]
    roles: dict[tuple, list[str]] = defaultdict(list)  # an entity can be actor and source of one event
    for row in took_part:
        date = row.time_value if row.time_value and rows.FULL_DATE.match(row.time_value) else row.published
        roles[(row.id, date, row.doc_id, row.title, row.trigger_text, row.type)].append(row.role)
    timeline += [TimelineEntry(date=date, kind="event", doc_id=doc_id, title=title, text=trigger,
                               type=f"{event_type} ({', '.join(event_roles)})")
                 for (_, date, doc_id, title, trigger, event_type), event_roles in roles.items()]
    timeline.sort(key=lambda entry: (entry.date is None, entry.date or "", entry.kind))
    return timeline[:limit]


def who_quoted_whom(conn: Connection, entity_id: str | None = None, limit: int = 100) -> list[QuoteLink]:
    """Who passed on whose words, most often first: each step of a source chain, and the outlet
    that published the last link. With `entity_id`, only links where it is either side."""
    later, earlier = aliased(source_links), aliased(source_links)
    quoter, quoted = aliased(entities), aliased(entities)
    steps = (select(quoter.c.name.label("quoter"), quoter.c.corpus_entity_id.label("quoter_id"),
                    quoted.c.name.label("quoted"), quoted.c.corpus_entity_id.label("quoted_id"))
             .select_from(later)
             .join(earlier, and_(earlier.c.attribution_id == later.c.attribution_id,
                                 earlier.c.position == later.c.position - 1))
             .join(quoter, quoter.c.id == later.c.entity_id).join(quoted, quoted.c.id == earlier.c.entity_id))
    last_step = (select(func.max(source_links.c.position)).where(source_links.c.attribution_id == later.c.attribution_id)
                 .scalar_subquery())
    by_outlet = (select(documents.c.outlet.label("quoter"), func.cast(None, quoter.c.corpus_entity_id.type).label("quoter_id"),
                        quoted.c.name.label("quoted"), quoted.c.corpus_entity_id.label("quoted_id"))
                 .select_from(later).join(attributions, attributions.c.id == later.c.attribution_id)
                 .join(documents, documents.c.id == attributions.c.document_id)
                 .join(quoted, quoted.c.id == later.c.entity_id)
                 .where(later.c.position == last_step, documents.c.outlet.is_not(None)))
    if entity_id is not None:
        steps = steps.where(or_(quoter.c.corpus_entity_id == entity_id, quoted.c.corpus_entity_id == entity_id))
        by_outlet = by_outlet.where(quoted.c.corpus_entity_id == entity_id)
    links = steps.union_all(by_outlet).subquery()
    count = func.count().label("count")
    query = (select(links.c.quoter, links.c.quoter_id, links.c.quoted, links.c.quoted_id, count)
             .group_by(links.c.quoter, links.c.quoter_id, links.c.quoted, links.c.quoted_id)
             .order_by(count.desc(), links.c.quoter, links.c.quoted).limit(limit))
    return [QuoteLink(**row._mapping) for row in conn.execute(query)]


def promises_due(conn: Connection, before: str, after: str | None = None, limit: int = 100) -> list[Promise]:
    """Promised or intended events whose time falls before `before` (YYYY, YYYY-MM or YYYY-MM-DD),
    soonest first. Values are compared as ISO text, so '2024' sorts before '2024-03-01'."""
    if not rows.FULL_DATE.match(before) or (after is not None and not rows.FULL_DATE.match(after)):
        raise BadQuery("dates are YYYY, YYYY-MM or YYYY-MM-DD")
    condition = [events.c.factuality.in_(["promised", "intended"]), events.c.time_value.is_not(None),
                 events.c.time_value < before, events.c.time_value >= (after or "0000")]
    found = conn.execute(
        select(events.c.id, events.c.local_id, events.c.type, events.c.trigger_text, events.c.time_value,
               events.c.time_relation, events.c.time_text, events.c.factuality, documents.c.doc_id,
               documents.c.title, documents.c.published)
        .join(documents, documents.c.id == events.c.document_id).where(*condition)
        .order_by(events.c.time_value, events.c.id).limit(limit)).all()
    promisers: dict[int, list[str]] = defaultdict(list)
    if found:
        for event_id, name in conn.execute(
                select(event_arguments.c.event_id, entities.c.name)
                .join(entities, entities.c.id == event_arguments.c.entity_id)
                .where(event_arguments.c.event_id.in_([row.id for row in found]),
                       event_arguments.c.role == "attributed_to").order_by(event_arguments.c.id)):
            promisers[event_id].append(name)
    return [Promise(doc_id=row.doc_id, title=row.title, published=row.published, event_id=row.local_id,
                    type=row.type, trigger=row.trigger_text, due=row.time_value, relation=row.time_relation,
                    time_text=row.time_text, factuality=row.factuality, promised_by=promisers.get(row.id, []))
            for row in found if rows.FULL_DATE.match(row.time_value)]


def ranked_claims(conn: Connection, limit: int = 50, offset: int = 0, min_outlets: int = 1,
                  contradicted_only: bool = False) -> list[ClaimSummary]:
    """Claims reported by the most independent outlets first."""
    query = select(claims).where(claims.c.outlets >= min_outlets)
    if contradicted_only:
        query = query.where(claims.c.contradicted == 1)
    query = query.order_by(claims.c.outlets.desc(), claims.c.documents.desc(), claims.c.id).limit(limit).offset(offset)
    found = conn.execute(query).all()
    ids = [row.id for row in found]
    members: dict[int, list[tuple[int, str]]] = defaultdict(list)
    against: dict[int, list[int]] = defaultdict(list)
    if ids:
        for claim_id, attribution_id, doc_id in conn.execute(
                select(claim_members.c.claim_id, claim_members.c.attribution_id, documents.c.doc_id)
                .join(attributions, attributions.c.id == claim_members.c.attribution_id)
                .join(documents, documents.c.id == attributions.c.document_id)
                .where(claim_members.c.claim_id.in_(ids)).order_by(claim_members.c.attribution_id)):
            members[claim_id].append((attribution_id, doc_id))
        for first, second in conn.execute(select(claim_contradictions).where(
                or_(claim_contradictions.c.claim_id.in_(ids), claim_contradictions.c.other_claim_id.in_(ids)))):
            against[first].append(second)
            against[second].append(first)
    chains = _chain_names(conn, [attribution_id for group in members.values() for attribution_id, _ in group])
    summaries = []
    for row in found:
        distinct_chains = []
        for attribution_id, _ in members[row.id]:
            chain = chains.get(attribution_id, [])
            if chain and chain not in distinct_chains:
                distinct_chains.append(chain)
        summaries.append(ClaimSummary(
            id=row.id, speaker=row.speaker_name, speaker_id=row.speaker_entity_id, content=row.content,
            polarity=row.polarity, documents=row.documents, outlets=row.outlets, contradicted=bool(row.contradicted),
            contradicted_by=sorted(set(against[row.id])), source_chains=distinct_chains,
            doc_ids=list(dict.fromkeys(doc_id for _, doc_id in members[row.id]))))
    return summaries


def stats(conn: Connection) -> StoreStats:
    def count(table, *where) -> int:
        return conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one()

    versions = dict(conn.execute(select(documents.c.pipeline_version, func.count())
                                 .group_by(documents.c.pipeline_version)).all())
    return StoreStats(documents=count(documents), duplicates=count(documents, documents.c.duplicate_of.is_not(None)),
                      entities=count(entities),
                      # named in a stored article: a replaced document may leave one without any
                      corpus_entities=count(corpus_entities, corpus_entities.c.documents > 0), mentions=count(mentions),
                      attributions=count(attributions), events=count(events), times=count(times),
                      claims=count(claims), failures=count(failures),
                      pipeline_versions={str(key): value for key, value in versions.items()})


def failure_rows(conn: Connection, limit: int = 100) -> list[dict]:
    return [dict(row._mapping) for row in conn.execute(select(failures).order_by(failures.c.id).limit(limit))]


def document_row_id(conn: Connection, doc_id: str) -> int:
    row_id = conn.execute(select(documents.c.id).where(documents.c.doc_id == doc_id)).scalar()
    if row_id is None:
        raise DocumentNotFound(doc_id=doc_id)
    return row_id




# Corpus lists ----------------------------------------------------------------------------------
# Each answers one bounded page with indexed queries: the entity lists read the counters that
# store.write keeps on corpus_entities; statements and events are read in "newest article first"
# order (ix_documents_newest) and only the page's rows are turned into shapes.

# An entity profile lists at most this many statements, events and mentions of each kind.
PROFILE_ITEMS = 200
# Event roles that make an entity take part in an event (attributed_to is who reported it).
_TAKING_PART = ("actor", "target", "location", "items")


def _newest_first(conn: Connection, published=documents.c.published, doc_id=documents.c.doc_id) -> list:
    """Newest article first, undated ones last, then by doc_id descending (as the indexes of
    migration 0004 hold them)."""
    newest = published.desc()
    if conn.dialect.name == "postgresql":
        newest = newest.nulls_last()
    return [newest, doc_id.desc()]


def _listing(row) -> EntityListing:
    return EntityListing(id=row.id, type=row.type, name=row.display_name or row.name, documents=row.documents,
                         mentions=row.mentions, statements=row.statements)


def list_entities(conn: Connection, limit: int = 50, offset: int = 0,
                  entity_type: str | None = None) -> list[EntityListing]:
    """Corpus entities named in stored articles, most mentioned first, then by name."""
    query = select(corpus_entities).where(corpus_entities.c.documents > 0)
    if entity_type is not None:
        query = query.where(corpus_entities.c.type == entity_type)
    query = query.order_by(corpus_entities.c.mentions.desc(), corpus_entities.c.display_name, corpus_entities.c.id)
    return [_listing(row) for row in conn.execute(query.limit(limit).offset(offset))]


def list_speakers(conn: Connection, limit: int = 50, offset: int = 0) -> list[EntityListing]:
    """Corpus entities that made statements, most statements first, then by name."""
    query = (select(corpus_entities).where(corpus_entities.c.statements > 0)
             .order_by(corpus_entities.c.statements.desc(), corpus_entities.c.display_name, corpus_entities.c.id))
    return [_listing(row) for row in conn.execute(query.limit(limit).offset(offset))]


def list_statements(conn: Connection, limit: int = 50, offset: int = 0) -> list[Statement]:
    """Every attribution: newest article first, in text order within one.

    Read along the documents' newest-first index, each document's attributions by their index,
    so that a page costs its offset, not the corpus. PostgreSQL plans it so by itself; SQLite's
    planner, without statistics, would sort every attribution, so it is told the join order."""
    if conn.dialect.name == "sqlite":
        page = conn.execute(_SQLITE_STATEMENTS_PAGE, {"limit": limit, "offset": offset})
    else:
        page = conn.execute(select(attributions.c.id).join(documents, documents.c.id == attributions.c.document_id)
                            .order_by(*_newest_first(conn), attributions.c.position).limit(limit).offset(offset))
    return statements_by_row_id(conn, page.scalars().all())


# CROSS JOIN is SQLite's way to fix the join order: documents first (ix_documents_newest).
_SQLITE_STATEMENTS_PAGE = text(
    "SELECT attributions.id FROM documents CROSS JOIN attributions ON attributions.document_id = documents.id "
    "ORDER BY documents.published DESC, documents.doc_id DESC, attributions.position LIMIT :limit OFFSET :offset")


def list_events(conn: Connection, limit: int = 50, offset: int = 0) -> list[EventItem]:
    """Every event by date (its own when it is a date, else its article's; undated last), then
    by document and place in the text."""
    page = conn.execute(select(events.c.id)
                        .order_by(events.c.date_key, events.c.doc_id, events.c.evidence_start, events.c.position)
                        .limit(limit).offset(offset))
    return events_by_row_id(conn, page.scalars().all())


def _entity_names(conn: Connection, document_ids: set[int]) -> dict[int, dict[str, str]]:
    """document row id -> local entity id -> name."""
    names: dict[int, dict[str, str]] = defaultdict(dict)
    for part in _parts(sorted(document_ids)):
        for document_id, local_id, name in conn.execute(
                select(entities.c.document_id, entities.c.local_id, entities.c.name)
                .where(entities.c.document_id.in_(part))):
            names[document_id][local_id] = name
    return names


def _parts(values: list, size: int = 500):
    for start in range(0, len(values), size):
        yield values[start:start + size]


def statements_by_row_id(conn: Connection, row_ids: list[int]) -> list[Statement]:
    """Statements for attribution rows, in the given order, with the entities named inside each."""
    if not row_ids:
        return []
    speaker = aliased(entities)
    found = {row.id: row for row in conn.execute(
        select(attributions.c.id, attributions.c.document_id, attributions.c.local_id, attributions.c.kind,
               attributions.c.data, attributions.c.speaker_text, attributions.c.cue_text,
               attributions.c.content_text, attributions.c.factuality, attributions.c.start_char,
               attributions.c.end_char, speaker.c.name.label("speaker"),
               speaker.c.corpus_entity_id.label("speaker_id"), documents.c.doc_id, documents.c.title,
               documents.c.outlet, documents.c.published)
        .join(documents, documents.c.id == attributions.c.document_id)
        .outerjoin(speaker, speaker.c.id == attributions.c.speaker_entity_id)
        .where(attributions.c.id.in_(row_ids)))}
    names = _entity_names(conn, {row.document_id for row in found.values()})
    about: dict[int, list[str]] = defaultdict(list)
    for attribution_id, name in conn.execute(
            select(attribution_names.c.attribution_id, entities.c.name)
            .join(entities, entities.c.id == attribution_names.c.entity_id)
            .where(attribution_names.c.attribution_id.in_(row_ids))
            .order_by(attribution_names.c.attribution_id, entities.c.position)):
        about[attribution_id].append(name)
    statements = []
    for row_id in row_ids:
        row = found[row_id]
        local_names = names.get(row.document_id, {})
        chain = json.loads(row.data).get("source_chain") or []
        statements.append(Statement(
            doc_id=row.doc_id, title=row.title, outlet=row.outlet, published=row.published,
            attribution_id=row.local_id, kind=row.kind, speaker=row.speaker or row.speaker_text,
            speaker_id=row.speaker_id, content=row.content_text, cue=row.cue_text, factuality=row.factuality,
            source_chain=[local_names.get(link, link) for link in chain], start=row.start_char, end=row.end_char,
            about=about.get(row_id, [])))
    return statements


def events_by_row_id(conn: Connection, row_ids: list[int]) -> list[EventItem]:
    """Events for event rows, in the given order, their participants named as in their article."""
    if not row_ids:
        return []
    found = {row.id: row for row in conn.execute(
        select(events.c.id, events.c.document_id, events.c.local_id, events.c.type, events.c.mode,
               events.c.trigger_text, events.c.factuality, events.c.time_text, events.c.time_value,
               events.c.time_relation, events.c.data, documents.c.doc_id, documents.c.published)
        .join(documents, documents.c.id == events.c.document_id).where(events.c.id.in_(row_ids)))}
    names = _entity_names(conn, {row.document_id for row in found.values()})
    items = []
    for row_id in row_ids:
        row = found[row_id]
        event = json.loads(row.data)
        local_names = names.get(row.document_id, {})
        # Participants by name; an id naming no entity of the article is shown as it is.
        named = {role: [local_names.get(local, local) for local in event.get(role) or []]
                 for role in ("actor", "target", "location", "attributed_to")}
        evidence = event.get("evidence") or {}
        items.append(EventItem(
            doc_id=row.doc_id, event_id=row.local_id, type=row.type, mode=row.mode, trigger=row.trigger_text,
            factuality=row.factuality, time_text=row.time_text, time_value=row.time_value,
            time_relation=row.time_relation, actors=named["actor"], targets=named["target"],
            locations=named["location"], attributed_to=named["attributed_to"], published=row.published,
            start=evidence.get("start", 0), end=evidence.get("end", 0)))
    return items


def entity_profile(conn: Connection, corpus_id: str, items: int = PROFILE_ITEMS) -> EntityProfile:
    """One corpus entity: its counters, aliases and roles, and at most `items` of what it said,
    statements by others naming it, events it takes part in and its mentions, newest article
    first (then in text order).

    Each list walks the entity's rows newest first along an index (entities and
    attribution_names by corpus entity and date) and stops when it is full, so that a head of
    state named in half the corpus costs a few hundred rows. A list that stays short walks all
    of the entity's articles: the counters skip the lists they show to be empty."""
    row = conn.execute(select(corpus_entities).where(corpus_entities.c.id == corpus_id,
                                                     corpus_entities.c.documents > 0)).first()
    if row is None:
        raise EntityNotFound(name=corpus_id)
    member = aliased(entities)
    is_member = member.c.corpus_entity_id == corpus_id
    newest = [*_newest_first(conn, member.c.published, documents.c.doc_id), member.c.position]
    said = []
    if row.statements:
        said = conn.execute(
            select(attributions.c.id).select_from(member)
            .join(attributions, attributions.c.speaker_entity_id == member.c.id)
            .join(documents, documents.c.id == member.c.document_id).where(is_member)
            .order_by(*newest, attributions.c.position).limit(items)).scalars().all()
    named_in = conn.execute(
        select(attribution_names.c.attribution_id).join(member, member.c.id == attribution_names.c.entity_id)
        .join(attributions, attributions.c.id == attribution_names.c.attribution_id)
        .join(documents, documents.c.id == attributions.c.document_id)
        .where(attribution_names.c.corpus_entity_id == corpus_id)
        .order_by(*_newest_first(conn, attribution_names.c.published, documents.c.doc_id), member.c.position,
                  attributions.c.position).limit(items)).scalars().all()
    takes_part = (select(event_arguments.c.id).where(event_arguments.c.event_id == events.c.id,
                                                     event_arguments.c.entity_id == member.c.id,
                                                     event_arguments.c.role.in_(_TAKING_PART)).exists())
    involved = conn.execute(
        select(events.c.id).select_from(member).join(events, events.c.document_id == member.c.document_id)
        .join(documents, documents.c.id == member.c.document_id).where(is_member, takes_part)
        .order_by(*newest, events.c.position).limit(items)).scalars().all()
    mention_rows = conn.execute(
        select(documents.c.doc_id, mentions.c.text, mentions.c.start_char, mentions.c.end_char).select_from(member)
        .join(mentions, mentions.c.entity_id == member.c.id).join(documents, documents.c.id == member.c.document_id)
        .where(is_member).order_by(*newest, mentions.c.position).limit(items)).all() if row.mentions else []
    labels: dict[str, set[str]] = defaultdict(set)
    for kind, value in conn.execute(select(entity_labels.c.kind, entity_labels.c.value).distinct()
                                    .where(entity_labels.c.corpus_entity_id == corpus_id)):
        labels[kind].add(value)
    return EntityProfile(
        entity=_listing(row), aliases=sorted(labels["alias"]), roles=sorted(labels["role"]),
        said=statements_by_row_id(conn, said), mentioned_in=statements_by_row_id(conn, named_in),
        events=events_by_row_id(conn, involved),
        mentions=[MentionItem(doc_id=doc_id, text=text, start=start, end=end)
                  for doc_id, text, start, end in mention_rows])
