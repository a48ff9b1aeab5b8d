"""Writing records: one batch of records in one transaction, on a connection the Store gives.

Every function here takes an open SQLAlchemy connection inside a transaction and commits nothing:
the caller's transaction makes a batch all-or-nothing, so a killed ingest loses or doubles nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, bindparam, delete, func, insert, select, update

from onrecord.model import Record
from onrecord.store import duplicates
from onrecord.store import records as rows
from onrecord.store.corpus import entity_key, readable_id
from onrecord.store.schema import (
    attribution_names,
    attributions,
    corpus_entities,
    document_bands,
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
from onrecord.store.views import WriteReport

# Parameters per IN (...) list: far below SQLite's limit of 32,766 bound parameters.
CHUNK = 500


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


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
    removed_names: dict[str, set[str]] = defaultdict(set)  # corpus entity -> names of replaced documents
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
            _forget_document(conn, digest, removed_names)
            report.replaced += 1
        else:
            report.added += 1
        fresh.append(record)
    added_names: dict[str, set[str]] = defaultdict(set)
    if fresh:
        document_ids = _insert_documents(conn, fresh)
        added_names = _insert_items(conn, fresh, document_ids)
        _count_documents(conn, document_ids, +1)
        report.duplicates = _link_duplicates(conn, fresh, document_ids)
    _update_display_names(conn, removed_names, added_names)
    return report


# Corpus entity counters ------------------------------------------------------------------------
# Each stored document adds what it holds to the counters of its corpus entities and a replaced
# one takes it away again, counted by SQL from the document's own rows: the cost of a batch
# depends on the batch, not on how often its entities are named in the corpus. The name shown is
# the longest name, the alphabetically first among equally long ones (serve.corpus does the same),
# so it only changes when a batch brings a better name or removes the last copy of the shown one.


def _forget_document(conn: Connection, digest: str, removed_names: dict[str, set[str]]) -> None:
    """Delete the stored document with this content hash, taking it out of the counters first."""
    row_id = conn.execute(select(documents.c.id).where(documents.c.content_hash == digest)).scalar_one()
    _count_documents(conn, [row_id], -1)
    for corpus_id, name in conn.execute(select(entities.c.corpus_entity_id, entities.c.name)
                                        .where(entities.c.document_id == row_id,
                                               entities.c.corpus_entity_id.is_not(None))):
        removed_names[corpus_id].add(name)
    conn.execute(delete(documents).where(documents.c.id == row_id))


def _count_documents(conn: Connection, document_ids: list[int], sign: int) -> None:
    """Add (sign +1) or take away (-1) what these stored documents contribute to the documents,
    mentions and statements counters of their corpus entities."""
    changes: dict[str, dict[str, int]] = defaultdict(lambda: {"documents": 0, "mentions": 0, "statements": 0})
    speaker = entities.alias("speaker")
    for part in chunks(document_ids):
        questions = {
            "documents": select(entities.c.corpus_entity_id, func.count(func.distinct(entities.c.document_id)))
            .where(entities.c.document_id.in_(part)),
            "mentions": select(entities.c.corpus_entity_id, func.count()).select_from(mentions)
            .join(entities, entities.c.id == mentions.c.entity_id).where(mentions.c.document_id.in_(part)),
            "statements": select(speaker.c.corpus_entity_id, func.count()).select_from(attributions)
            .join(speaker, speaker.c.id == attributions.c.speaker_entity_id)
            .where(attributions.c.document_id.in_(part)),
        }
        for counter, question in questions.items():
            for corpus_id, count in conn.execute(question.group_by(question.selected_columns[0])):
                if corpus_id is not None:
                    changes[corpus_id][counter] += sign * count
    if changes:
        conn.execute(update(corpus_entities).where(corpus_entities.c.id == bindparam("row_id")).values(
            documents=corpus_entities.c.documents + bindparam("change_documents"),
            mentions=corpus_entities.c.mentions + bindparam("change_mentions"),
            statements=corpus_entities.c.statements + bindparam("change_statements")),
            [{"row_id": corpus_id, **{f"change_{key}": value for key, value in change.items()}}
             for corpus_id, change in sorted(changes.items())])


def display_order(name: str) -> tuple[int, str]:
    """Sort key of the name shown for a corpus entity: longest first, then alphabetically."""
    return -len(name), name


def _update_display_names(conn: Connection, removed: dict[str, set[str]], added: dict[str, set[str]]) -> None:
    """Show the better of the shown name and the names a batch added (corpus entity -> names);
    look among all stored names only when the batch removed the last copy of the shown one."""
    corpus_ids = sorted(removed.keys() | added.keys())
    current: dict[str, str | None] = {}
    for part in chunks(corpus_ids):
        current.update(conn.execute(select(corpus_entities.c.id, corpus_entities.c.display_name)
                                    .where(corpus_entities.c.id.in_(part))).all())
    changed, recount = [], []
    for corpus_id in corpus_ids:
        shown = current.get(corpus_id)
        if shown is not None and shown in removed.get(corpus_id, ()) and not _still_named(conn, corpus_id, shown):
            recount.append(corpus_id)  # its last copy is gone: look among all the names again
            continue
        best = min(added.get(corpus_id, set()) | ({shown} if shown else set()), key=display_order, default=shown)
        if best != shown:
            changed.append({"row_id": corpus_id, "shown": best})
    if changed:
        conn.execute(update(corpus_entities).where(corpus_entities.c.id == bindparam("row_id"))
                     .values(display_name=bindparam("shown")), changed)
    recount_corpus_entities(conn, recount)


def _still_named(conn: Connection, corpus_id: str, name: str) -> bool:
    return conn.execute(select(entities.c.id).where(entities.c.corpus_entity_id == corpus_id,
                                                    entities.c.name == name).limit(1)).first() is not None


def recount_corpus_entities(conn: Connection, corpus_ids: Iterable[str]) -> None:
    """Count documents, mentions and statements, and pick the name shown, for these corpus
    entities from all their stored rows (what the batches' additions and removals add up to)."""
    member = entities.alias("member")
    of_this = member.c.corpus_entity_id == corpus_entities.c.id
    values = {
        "documents": select(func.count(func.distinct(member.c.document_id))).where(of_this).scalar_subquery(),
        "mentions": select(func.count()).select_from(mentions).join(member, member.c.id == mentions.c.entity_id)
        .where(of_this).scalar_subquery(),
        "statements": select(func.count()).select_from(attributions)
        .join(member, member.c.id == attributions.c.speaker_entity_id).where(of_this).scalar_subquery(),
        "display_name": func.coalesce(  # as display_order
            select(member.c.name).where(of_this).order_by(func.length(member.c.name).desc(), member.c.name)
            .limit(1).scalar_subquery(), corpus_entities.c.name),
    }
    for part in chunks(sorted(set(corpus_ids))):
        conn.execute(update(corpus_entities).where(corpus_entities.c.id.in_(part)).values(**values))


def _ids_by(conn: Connection, table, column, values: list) -> dict:
    """Row ids of freshly inserted rows by a unique column. Fetched after a plain bulk insert,
    which is much faster than INSERT ... RETURNING row by row in input order."""
    ids = {}
    for part in chunks(values):
        ids.update(conn.execute(select(column, table.c.id).where(column.in_(part))).all())
    return ids


def _ids_in_documents(conn: Connection, table, document_ids: list[int]) -> dict[tuple[int, str], int]:
    """(document row id, local id) -> row id, for the items of the given documents."""
    ids = {}
    for part in chunks(document_ids):
        for row_id, document_id, local_id in conn.execute(
                select(table.c.id, table.c.document_id, table.c.local_id).where(table.c.document_id.in_(part))):
            ids[(document_id, local_id)] = row_id
    return ids


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
    conn.execute(insert(documents), document_rows)
    ids = _ids_by(conn, documents, documents.c.content_hash, [row["content_hash"] for row in document_rows])
    return [ids[row["content_hash"]] for row in document_rows]


def _taken_doc_ids(conn: Connection, doc_ids: list[str]) -> set[str]:
    taken: set[str] = set()
    for part in chunks(doc_ids):
        taken.update(conn.execute(select(documents.c.doc_id).where(documents.c.doc_id.in_(part))).scalars())
    return taken


def _insert_items(conn: Connection, batch: Sequence[Record], document_ids: list[int]) -> dict[str, set[str]]:
    """Insert every item of the records; returns the names each corpus entity was given."""
    entity_ids, corpus_of = _insert_entities(conn, batch, document_ids)
    attribution_ids = _insert_attributions(conn, batch, document_ids, entity_ids)
    _insert_attribution_names(conn, batch, document_ids, entity_ids, attribution_ids, corpus_of)
    _insert_events(conn, batch, document_ids, entity_ids, attribution_ids)
    time_rows = [{**rows.time_row(time, position), "document_id": document_id}
                 for record, document_id in zip(batch, document_ids)
                 for position, time in enumerate(record.times)]
    if time_rows:
        conn.execute(insert(times), time_rows)
    names: dict[str, set[str]] = defaultdict(set)
    for record, document_id in zip(batch, document_ids):
        for entity in record.entities:
            names[corpus_of[(document_id, entity.id)]].add(entity.name)
    return names


def _insert_entities(conn, batch, document_ids) -> tuple[dict[tuple[int, str], int], dict[tuple[int, str], str]]:
    """Insert entities, their mentions and labels; returns (document row id, local id) -> entity
    row id, and -> corpus entity id."""
    located = [(document_id, position, entity) for record, document_id in zip(batch, document_ids)
               for position, entity in enumerate(record.entities)]
    if not located:
        return {}, {}
    identities = _corpus_ids(conn, [entity for _, _, entity in located])
    published = {document_id: record.document.published for record, document_id in zip(batch, document_ids)}
    entity_rows = [{**rows.entity_row(entity, position), "document_id": document_id, "corpus_entity_id": identity,
                    "published": published[document_id]}
                   for (document_id, position, entity), identity in zip(located, identities)]
    conn.execute(insert(entities), entity_rows)
    entity_ids = _ids_in_documents(conn, entities, document_ids)
    mention_rows = [{**rows.mention_row(mention, position), "entity_id": entity_ids[(document_id, entity.id)],
                     "document_id": document_id}
                    for record, document_id in zip(batch, document_ids)
                    for entity in record.entities for position, mention in enumerate(entity.mentions)]
    if mention_rows:
        conn.execute(insert(mentions), mention_rows)
    label_rows = [{"entity_id": entity_ids[(document_id, entity.id)], "corpus_entity_id": identity, "kind": kind,
                   "value": value}
                  for (document_id, _, entity), identity in zip(located, identities)
                  for kind, values in (("alias", entity.aliases), ("role", entity.roles))
                  for value in dict.fromkeys(values)]
    if label_rows:
        conn.execute(insert(entity_labels), label_rows)
    return entity_ids, {(document_id, entity.id): identity
                        for (document_id, _, entity), identity in zip(located, identities)}


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
            key = entity_key(entity)
            new_rows.append({"id": identity, "type": entity.type, "name": entity.name, "key": key,
                             "last_key": (key.split() or [""])[-1]})
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
    conn.execute(insert(attributions), attribution_rows)
    attribution_ids = _ids_in_documents(conn, attributions, document_ids)
    link_rows = [{"attribution_id": attribution_ids[(document_id, attribution.id)], "position": position,
                  "entity_id": entity_ids[(document_id, link)]}
                 for record, document_id in zip(batch, document_ids) for attribution in record.attributions
                 for position, link in enumerate(attribution.source_chain) if (document_id, link) in entity_ids]
    if link_rows:
        conn.execute(insert(source_links), link_rows)
    return attribution_ids


def _insert_attribution_names(conn, batch, document_ids, entity_ids, attribution_ids, corpus_of) -> None:
    """One row per entity named inside an attribution's content (a mention within its span),
    its speaker excepted: "statements by others naming them" on an entity's page."""
    name_rows = []
    for record, document_id in zip(batch, document_ids):
        for attribution in record.attributions:
            content, speaker = attribution.content, attribution.speaker.entity if attribution.speaker else None
            name_rows.extend(
                {"attribution_id": attribution_ids[(document_id, attribution.id)],
                 "entity_id": entity_ids[(document_id, entity.id)], "corpus_entity_id": corpus_of[(document_id, entity.id)],
                 "published": record.document.published}
                for entity in record.entities
                if entity.id != speaker and any(content.start <= mention.start and mention.end <= content.end
                                                for mention in entity.mentions))
    if name_rows:
        conn.execute(insert(attribution_names), name_rows)


def _insert_events(conn, batch, document_ids, entity_ids, attribution_ids) -> None:
    doc_ids = _doc_ids(conn, document_ids)
    event_rows = [{**rows.event_row(event, position), "document_id": document_id,
                   "attribution_id": attribution_ids.get((document_id, event.attribution)),
                   "doc_id": doc_ids[document_id],
                   "date_key": rows.event_sort_date(event.time.value if event.time else None, record.document.published),
                   "evidence_start": event.evidence.start}
                  for record, document_id in zip(batch, document_ids)
                  for position, event in enumerate(record.events)]
    if not event_rows:
        return
    conn.execute(insert(events), event_rows)
    ids = _ids_in_documents(conn, events, document_ids)
    event_ids = iter([ids[(row["document_id"], row["local_id"])] for row in event_rows])
    argument_rows = []
    for record, document_id in zip(batch, document_ids):
        for event in record.events:
            event_id = next(event_ids)
            for role in rows.EVENT_ROLES:
                argument_rows.extend({"event_id": event_id, "role": role, "entity_id": entity_ids[(document_id, local)]}
                                     for local in getattr(event, role) if (document_id, local) in entity_ids)
    if argument_rows:
        conn.execute(insert(event_arguments), argument_rows)


def _doc_ids(conn: Connection, document_ids: list[int]) -> dict[int, str]:
    """Row id -> doc_id as stored (a taken one gets a suffix, see _insert_documents)."""
    found: dict[int, str] = {}
    for part in chunks(document_ids):
        found.update(conn.execute(select(documents.c.id, documents.c.doc_id).where(documents.c.id.in_(part))).all())
    return found


def _link_duplicates(conn: Connection, batch: Sequence[Record], document_ids: list[int]) -> int:
    """Link each new document to the earliest stored copy of it (copies inside the batch included).
    Candidates share a MinHash band; each is confirmed on the exact shingle overlap."""
    shingle_sets = [duplicates.shingles(record.text) for record in batch]
    bands = [duplicates.band_hashes(shingle_set) for shingle_set in shingle_sets]
    stored = _stored_band_matches(conn, {value for values in bands for value in values})
    stored_texts = _texts(conn, {document for documents_ in stored.values() for document in documents_})
    stored_shingles: dict = {}
    in_batch: dict[str, list[int]] = defaultdict(list)  # band hash -> positions earlier in this batch
    originals: dict[int, int] = {}  # document row id -> its original (for copies found in this batch)
    links = []
    for position, (document_id, shingle_set, values) in enumerate(zip(document_ids, shingle_sets, bands)):
        shared: Counter = Counter()
        for value in values:
            shared.update(stored.get(value, ()))
            shared.update(document_ids[earlier] for earlier in in_batch[value])
        best, best_similarity = None, 0.0
        for candidate, _ in sorted(shared.items(), key=lambda item: (-item[1], item[0]))[:_MAX_CANDIDATES]:
            if candidate in stored_texts:
                text, duplicate_of = stored_texts[candidate]
                if candidate not in stored_shingles:
                    stored_shingles[candidate] = duplicates.shingles(text)
                candidate_shingles, original = stored_shingles[candidate], duplicate_of or candidate
            else:
                earlier = document_ids.index(candidate)
                candidate_shingles, original = shingle_sets[earlier], originals.get(candidate, candidate)
            similarity = duplicates.copy_similarity(shingle_set, candidate_shingles)
            if similarity >= duplicates.MIN_OVERLAP and similarity > best_similarity:
                best, best_similarity = original, similarity
        if best is not None:
            originals[document_id] = best
            links.append({"row_id": document_id, "original": best, "similarity": round(best_similarity, 4)})
        for value in values:
            in_batch[value].append(position)
    band_rows = [{"document_id": document_id, "band": band, "hash": value}
                 for document_id, values in zip(document_ids, bands) for band, value in enumerate(values)]
    if band_rows:
        conn.execute(insert(document_bands), band_rows)
    if links:
        conn.execute(update(documents).where(documents.c.id == bindparam("row_id"))
                     .values(duplicate_of=bindparam("original"), duplicate_similarity=bindparam("similarity")), links)
    return len(links)


# Candidates sharing a band are checked by their text; the most similar few are enough.
_MAX_CANDIDATES = 10


def _stored_band_matches(conn: Connection, values: set[str]) -> dict[str, list[int]]:
    """Band hash -> stored documents having it."""
    found: dict[str, list[int]] = defaultdict(list)
    for part in chunks(sorted(values)):
        for value, document_id in conn.execute(select(document_bands.c.hash, document_bands.c.document_id)
                                               .where(document_bands.c.hash.in_(part))):
            found[value].append(document_id)
    return found


def _texts(conn: Connection, row_ids: set[int]) -> dict[int, tuple[str, int | None]]:
    texts: dict[int, tuple[str, int | None]] = {}
    for part in chunks(sorted(row_ids)):
        for row_id, text, duplicate_of in conn.execute(
                select(documents.c.id, documents.c.text, documents.c.duplicate_of).where(documents.c.id.in_(part))):
            texts[row_id] = (text, duplicate_of)
    return texts


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
