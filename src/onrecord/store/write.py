"""Writing records: one batch of records in one transaction, on a connection the Store gives.

Every function here takes an open SQLAlchemy connection inside a transaction and commits nothing:
the caller's transaction makes a batch all-or-nothing, so a killed ingest loses or doubles nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, delete, func, insert, select, tuple_, update

from onrecord.model import Record
from onrecord.store import duplicates, records as rows
from onrecord.store.corpus import entity_key, readable_id
from onrecord.store.schema import (
    attributions, corpus_entities, document_bands, documents, entities, event_arguments, events, failures,
    mentions, source_links, times,
)
from onrecord.store.views import WriteReport

# Parameters per IN (...) list: far below SQLite's limit of 32,766 bound parameters.
CHUNK = 500


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def chunks(values: Sequence, size: int = CHUNK):
    for start in range(0, len(values), size):
        yield values[start:start + size]


def stored_versions(conn: Connection, hashes: Iterable[str]) -> dict[str, str | None]:
    """Content hash -> pipeline version, for the hashes already stored."""
    found: dict[str, str | None] = {}
    for part in chunks(list(set(hashes))):
        query = select(documents.c.content_hash, documents.c.pipeline_version).where(
            documents.c.content_hash.in_(part))
        found.update(conn.execute(query).all())
    return found


def write_records(conn: Connection, batch: Sequence[Record], replace: bool = False) -> WriteReport:
    """Store new records; a record whose content hash is stored is skipped, or, with `replace`,
    stored anew when its pipeline version differs."""
    report = WriteReport()
    known = stored_versions(conn, (rows.record_hash(record) for record in batch))
    fresh: list[Record] = []
    seen: set[str] = set()
    for record in batch:
        digest = rows.record_hash(record)
        if digest in seen:
            report.skipped += 1
            continue
        seen.add(digest)
        if digest in known:
            if not replace or known[digest] == record.pipeline_version:
                report.skipped += 1
                continue
            conn.execute(delete(documents).where(documents.c.content_hash == digest))
            report.replaced += 1
        else:
            report.added += 1
        fresh.append(record)
    if fresh:
        document_ids = _insert_documents(conn, fresh)
        _insert_items(conn, fresh, document_ids)
        report.duplicates = _link_duplicates(conn, fresh, document_ids)
    return report


def _insert_documents(conn: Connection, batch: Sequence[Record]) -> list[int]:
    document_rows = [rows.document_row(record) for record in batch]
    taken = _taken_doc_ids(conn, [row["doc_id"] for row in document_rows])
    stamp = now()
    for row in document_rows:
        # The same text under another outlet or url has the same text-hash id: keep both apart.
        if row["doc_id"] in taken:
            row["doc_id"] = f"{row['doc_id']}~{row['content_hash'][:8]}"
        taken.add(row["doc_id"])
        row["ingested_at"] = stamp
    return list(conn.execute(insert(documents).returning(documents.c.id, sort_by_parameter_order=True),
                             document_rows).scalars())


def _taken_doc_ids(conn: Connection, doc_ids: list[str]) -> set[str]:
    taken: set[str] = set()
    for part in chunks(doc_ids):
        taken.update(conn.execute(select(documents.c.doc_id).where(documents.c.doc_id.in_(part))).scalars())
    return taken


def _insert_items(conn: Connection, batch: Sequence[Record], document_ids: list[int]) -> None:
    entity_ids = _insert_entities(conn, batch, document_ids)
    attribution_ids = _insert_attributions(conn, batch, document_ids, entity_ids)
    _insert_events(conn, batch, document_ids, entity_ids, attribution_ids)
    time_rows = [{**rows.time_row(time, position), "document_id": document_id}
                 for record, document_id in zip(batch, document_ids)
                 for position, time in enumerate(record.times)]
    if time_rows:
        conn.execute(insert(times), time_rows)


def _insert_entities(conn, batch, document_ids) -> dict[tuple[int, str], int]:
    """Insert entities and their mentions; returns (document row id, local id) -> entity row id."""
    located = [(document_id, position, entity) for record, document_id in zip(batch, document_ids)
               for position, entity in enumerate(record.entities)]
    if not located:
        return {}
    identities = _corpus_ids(conn, [entity for _, _, entity in located])
    entity_rows = [{**rows.entity_row(entity, position), "document_id": document_id, "corpus_entity_id": identity}
                   for (document_id, position, entity), identity in zip(located, identities)]
    ids = list(conn.execute(insert(entities).returning(entities.c.id, sort_by_parameter_order=True),
                            entity_rows).scalars())
    entity_ids = {(row["document_id"], row["local_id"]): row_id for row, row_id in zip(entity_rows, ids)}
    mention_rows = [{**rows.mention_row(mention, position), "entity_id": entity_ids[(document_id, entity.id)],
                     "document_id": document_id}
                    for record, document_id in zip(batch, document_ids)
                    for entity in record.entities for position, mention in enumerate(entity.mentions)]
    if mention_rows:
        conn.execute(insert(mentions), mention_rows)
    return entity_ids


def _corpus_ids(conn: Connection, batch_entities: list) -> list[str]:
    """The corpus entity id of each entity, creating the corpus entities not stored yet: a
    resolver's `corpus_id` is kept; otherwise the first corpus entity with the same type and key."""
    wanted = {(entity.type, entity_key(entity)) for entity in batch_entities if not entity.corpus_id}
    by_key: dict[tuple[str, str], str] = {}
    keys = sorted({key for _, key in wanted})
    for part in chunks(keys):
        found = conn.execute(select(corpus_entities.c.type, corpus_entities.c.key, corpus_entities.c.id)
                             .where(corpus_entities.c.key.in_(part)).order_by(corpus_entities.c.id))
        for entity_type, key, identity in found:
            by_key.setdefault((entity_type, key), identity)
    fixed = {entity.corpus_id for entity in batch_entities if entity.corpus_id}
    candidates = fixed | {
        readable_id(entity) for entity in batch_entities if (entity.type, entity_key(entity)) not in by_key}
    taken: set[str] = set(by_key.values())  # stored already
    for part in chunks(sorted(candidates)):
        taken.update(conn.execute(select(corpus_entities.c.id).where(corpus_entities.c.id.in_(part))).scalars())
    new_rows, identities = [], []
    for entity in batch_entities:
        if entity.corpus_id:
            identity = entity.corpus_id
        elif (entity.type, entity_key(entity)) in by_key:
            identity = by_key[(entity.type, entity_key(entity))]
        else:
            identity = _free_id(readable_id(entity), taken | fixed)
            by_key[(entity.type, entity_key(entity))] = identity
        if identity not in taken:
            taken.add(identity)
            new_rows.append({"id": identity, "type": entity.type, "name": entity.name, "key": entity_key(entity)})
        identities.append(identity)
    if new_rows:
        conn.execute(insert(corpus_entities), new_rows)
    return identities


def _free_id(identity: str, taken: set[str]) -> str:
    """`identity`, or with the first number suffix not taken (two people may share a name)."""
    if identity not in taken:
        return identity
    number = 2
    while f"{identity}-{number}" in taken:
        number += 1
    return f"{identity}-{number}"


def _insert_attributions(conn, batch, document_ids, entity_ids) -> dict[tuple[int, str], int]:
    attribution_rows = []
    for record, document_id in zip(batch, document_ids):
        for position, attribution in enumerate(record.attributions):
            speaker = attribution.speaker.entity if attribution.speaker else None
            attribution_rows.append({**rows.attribution_row(attribution, position), "document_id": document_id,
                                     "speaker_entity_id": entity_ids.get((document_id, speaker))})
    if not attribution_rows:
        return {}
    ids = list(conn.execute(insert(attributions).returning(attributions.c.id, sort_by_parameter_order=True),
                            attribution_rows).scalars())
    attribution_ids = {(row["document_id"], row["local_id"]): row_id for row, row_id in zip(attribution_rows, ids)}
    link_rows = [{"attribution_id": attribution_ids[(document_id, attribution.id)], "position": position,
                  "entity_id": entity_ids[(document_id, link)]}
                 for record, document_id in zip(batch, document_ids) for attribution in record.attributions
                 for position, link in enumerate(attribution.source_chain) if (document_id, link) in entity_ids]
    if link_rows:
        conn.execute(insert(source_links), link_rows)
    return attribution_ids


def _insert_events(conn, batch, document_ids, entity_ids, attribution_ids) -> None:
    event_rows = [{**rows.event_row(event, position), "document_id": document_id,
                   "attribution_id": attribution_ids.get((document_id, event.attribution))}
                  for record, document_id in zip(batch, document_ids)
                  for position, event in enumerate(record.events)]
    if not event_rows:
        return
    ids = list(conn.execute(insert(events).returning(events.c.id, sort_by_parameter_order=True),
                            event_rows).scalars())
    event_ids = iter(ids)
    argument_rows = []
    for record, document_id in zip(batch, document_ids):
        for event in record.events:
            event_id = next(event_ids)
            for role in rows.EVENT_ROLES:
                argument_rows.extend({"event_id": event_id, "role": role, "entity_id": entity_ids[(document_id, local)]}
                                     for local in getattr(event, role) if (document_id, local) in entity_ids)
    if argument_rows:
        conn.execute(insert(event_arguments), argument_rows)


def _link_duplicates(conn: Connection, batch: Sequence[Record], document_ids: list[int]) -> int:
    """Link each new document to the earliest stored copy of it; one document at a time, so that
    copies inside one batch find each other."""
    linked = 0
    for record, document_id in zip(batch, document_ids):
        shingle_set = duplicates.shingles(record.text)
        bands = duplicates.band_hashes(shingle_set)
        if not bands:
            continue
        original, similarity = _find_original(conn, shingle_set, bands)
        if original is not None:
            conn.execute(update(documents).where(documents.c.id == document_id)
                         .values(duplicate_of=original, duplicate_similarity=round(similarity, 4)))
            linked += 1
        conn.execute(insert(document_bands), [{"document_id": document_id, "band": band, "hash": value}
                                              for band, value in enumerate(bands)])
    return linked


# Candidates sharing a band are checked by their text; the most similar few are enough.
_MAX_CANDIDATES = 10


def _find_original(conn: Connection, shingle_set: set[int], bands: list[str]) -> tuple[int | None, float]:
    keys = [(band, value) for band, value in enumerate(bands)]
    shared = func.count().label("shared")
    candidates = conn.execute(
        select(document_bands.c.document_id, shared)
        .where(tuple_(document_bands.c.band, document_bands.c.hash).in_(keys))
        .group_by(document_bands.c.document_id).order_by(shared.desc(), document_bands.c.document_id)
        .limit(_MAX_CANDIDATES)).all()
    best: tuple[int | None, float] = (None, 0.0)
    for candidate_id, _ in candidates:
        text, duplicate_of = conn.execute(select(documents.c.text, documents.c.duplicate_of)
                                          .where(documents.c.id == candidate_id)).one()
        similarity = duplicates.copy_similarity(shingle_set, duplicates.shingles(text))
        if similarity >= duplicates.MIN_OVERLAP and similarity > best[1]:
            best = (duplicate_of or candidate_id, similarity)
    return best


def write_failures(conn: Connection, failed: Sequence[tuple[str, str, str]], succeeded: Iterable[str] = ()) -> int:
    """Record (input name, error code, message) for inputs that failed, replacing an earlier
    failure of the same input; inputs that now succeeded lose their failure row."""
    names = [name for name, _, _ in failed] + list(succeeded)
    for part in chunks(names):
        conn.execute(delete(failures).where(failures.c.name.in_(part)))
    unique = {name: (code, message) for name, code, message in failed}
    if unique:
        stamp = now()
        conn.execute(insert(failures), [{"name": name, "code": code, "message": message, "failed_at": stamp}
                                        for name, (code, message) in unique.items()])
    return len(unique)
