"""Rebuild the claims tables from the stored attributions (see onrecord.resolve.claims)."""

from __future__ import annotations

from sqlalchemy import Connection, delete, func, insert, select
from sqlalchemy.orm import aliased

from onrecord.resolve.claims import Statement, contradictions, group_claims, polarity
from onrecord.store.records import fold_name
from onrecord.store.schema import (
    attributions,
    claim_contradictions,
    claim_members,
    claims,
    corpus_entities,
    documents,
    entities,
)

# Attributions are read in pages of this many rows so memory grows with the claims, not the rows.
_PAGE = 5000


def _statements(conn: Connection):
    """Attributions with a speaker, oldest publication first, as (Statement, polarity, name)."""
    original = aliased(documents)
    source_outlet = func.coalesce(original.c.outlet, documents.c.outlet)
    last = (None, 0)
    query = (select(attributions.c.id, attributions.c.content_text, attributions.c.factuality,
                    attributions.c.cue_text, attributions.c.speaker_text, entities.c.corpus_entity_id,
                    entities.c.name, documents.c.doc_id, documents.c.id.label("document_row"),
                    documents.c.duplicate_of, source_outlet.label("outlet"),
                    func.coalesce(documents.c.published, "").label("published"))
             .join(documents, documents.c.id == attributions.c.document_id)
             .outerjoin(original, original.c.id == documents.c.duplicate_of)
             .outerjoin(entities, entities.c.id == attributions.c.speaker_entity_id))
    while True:
        published, last_id = last
        page_query = query
        if published is not None:
            page_query = page_query.where(
                (func.coalesce(documents.c.published, "") > published)
                | ((func.coalesce(documents.c.published, "") == published) & (attributions.c.id > last_id)))
        page = conn.execute(page_query.order_by(func.coalesce(documents.c.published, ""), attributions.c.id)
                            .limit(_PAGE)).all()
        if not page:
            return
        for row in page:
            speaker = row.corpus_entity_id or (f"text:{fold_name(row.speaker_text)}" if row.speaker_text else None)
            if speaker is None:
                continue
            # Copies of one article are one source: they share the original's row id as unit
            # when the outlet is unknown, and its outlet otherwise.
            unit = row.outlet or f"document:{row.duplicate_of or row.document_row}"
            statement = Statement(attribution_id=row.id, speaker=speaker, content=row.content_text,
                                  source_unit=unit, document=row.doc_id)
            yield statement, polarity(row.content_text, row.factuality, row.cue_text), row.name or row.speaker_text
        last = (page[-1].published, page[-1].id)


def rebuild_claims(conn: Connection) -> int:
    names: dict[str, str] = {}

    def with_names():
        for statement, claim_polarity, name in _statements(conn):
            names.setdefault(statement.speaker, name)
            yield statement, claim_polarity

    grouped = group_claims(with_names())
    for table in (claim_contradictions, claim_members, claims):
        conn.execute(delete(table))
    known_speakers = set(conn.execute(select(corpus_entities.c.id)).scalars()) if grouped else set()
    # Claims are rebuilt whole, so they are numbered here: 1, 2, ... in order of first report.
    claim_rows = [{"id": number, "speaker_entity_id": claim.speaker if claim.speaker in known_speakers else None,
                   "speaker_name": names.get(claim.speaker), "content": claim.content, "polarity": claim.polarity,
                   "documents": claim.documents, "outlets": claim.outlets, "contradicted": 0}
                  for number, claim in enumerate(grouped, 1)]
    if not claim_rows:
        return 0
    conn.execute(insert(claims), claim_rows)
    ids = [row["id"] for row in claim_rows]
    conn.execute(insert(claim_members), [{"claim_id": claim_id, "attribution_id": member.attribution_id}
                                         for claim_id, claim in zip(ids, grouped) for member in claim.members])
    pairs = [(ids[first], ids[second]) for first, second in contradictions(grouped)]
    if pairs:
        conn.execute(insert(claim_contradictions), [{"claim_id": a, "other_claim_id": b} for a, b in pairs])
        contradicted = sorted({claim_id for pair in pairs for claim_id in pair})
        for start in range(0, len(contradicted), 500):
            conn.execute(claims.update().where(claims.c.id.in_(contradicted[start:start + 500])).values(contradicted=1))
    return len(ids)
