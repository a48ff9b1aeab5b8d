"""The corpus as the store keeps it: the web layer's `Corpus` over `onrecord.store.Store`.

Documents, records, search, promises, claims and counts come from the store's own queries. The
store has no paginated lists of entities, speakers, attributions and events yet, nor "statements
naming an entity"; for those this adapter derives the answers from the stored records, held in
memory and rebuilt when the number of documents changes. That is fine for corpora of a few
thousand articles; beyond SNAPSHOT_LIMIT only the first documents feed those lists.
"""

from __future__ import annotations

import threading
import time

from onrecord.errors import DocumentNotFound
from onrecord.model import Record
from onrecord.serve.corpus import RecordCorpus, article_path
from onrecord.serve.schemas import (
    ClaimOut,
    DocumentSummary,
    EntityProfile,
    EntitySummary,
    EventOut,
    SearchHit,
    Statement,
    Stats,
)
from onrecord.store import Store
from onrecord.store import views as store_views

# Records held in memory for the derived lists: ~50 KB each as objects, so 2,000 stay near 100 MB.
SNAPSHOT_LIMIT = 2_000
# How often (seconds) to check whether documents were added since the snapshot was built.
SNAPSHOT_CHECK_S = 5.0
# Promises are asked of the store "before" a date; with no date given, every deadline counts.
NO_DEADLINE = "9999-12-31"


def _document(summary: store_views.DocumentSummary) -> DocumentSummary:
    return DocumentSummary(
        id=summary.doc_id,
        title=summary.title,
        published=summary.published,
        outlet=summary.outlet,
        url=summary.url,
        language=summary.language or "en",
        entities=summary.entities,
        statements=summary.attributions,
        events=summary.events,
        page=article_path(summary.doc_id),
        api=f"/api/documents/{summary.doc_id}",
    )


def _promise(promise: store_views.Promise) -> EventOut:
    return EventOut(
        document_id=promise.doc_id,
        id=promise.event_id,
        type=promise.type,
        mode=None,
        trigger=promise.trigger,
        factuality=promise.factuality,
        time_text=promise.time_text,
        time_value=promise.due,
        time_relation=promise.relation,
        actors=[],
        targets=[],
        locations=[],
        attributed_to=promise.promised_by,
        published=promise.published,
        start=None,
        end=None,
        page=article_path(promise.doc_id, promise.event_id),
    )


def _claim(claim: store_views.ClaimSummary) -> ClaimOut:
    return ClaimOut(
        content=claim.content,
        speaker=claim.speaker,
        speaker_id=claim.speaker_id,
        polarity=claim.polarity,
        documents=claim.documents,
        outlets=claim.outlets,
        contradicted=claim.contradicted,
        source_chains=claim.source_chains,
        document_ids=claim.doc_ids,
    )


class StoreCorpus:
    def __init__(self, store: Store, check_every_s: float = SNAPSHOT_CHECK_S) -> None:
        self.store = store
        self.check_every_s = check_every_s
        self._snapshot: RecordCorpus | None = None
        self._snapshot_documents = -1
        self._checked_at = 0.0
        self._lock = threading.Lock()

    def start_warming(self) -> threading.Thread:
        """Build the in-memory view in the background, so that the first reader of a speaker or
        timeline page does not wait for it (about 6 s per 1,000 stored articles)."""
        thread = threading.Thread(target=self._records, name="onrecord-snapshot", daemon=True)
        thread.start()
        return thread

    def _count(self) -> int:
        return self.store.stats().documents

    def _records(self) -> RecordCorpus:
        """The in-memory view for the lists the store does not offer, rebuilt when documents change."""
        with self._lock:
            now = time.monotonic()
            if self._snapshot is None or now - self._checked_at >= self.check_every_s:
                self._checked_at = now
                count = self._count()
                if self._snapshot is None or count != self._snapshot_documents:
                    records = []
                    for record in self.store.iter_records(corpus_ids=True):
                        if len(records) >= SNAPSHOT_LIMIT:
                            break
                        records.append(record)
                    self._snapshot, self._snapshot_documents = RecordCorpus(records), count
            return self._snapshot

    def stats(self) -> Stats:
        counts = self.store.stats()
        return Stats(
            documents=counts.documents,
            entities=counts.corpus_entities,
            statements=counts.attributions,
            events=counts.events,
        )

    def documents(self, limit: int, offset: int) -> list[DocumentSummary]:
        return [_document(summary) for summary in self.store.list_documents(limit, offset)]

    def record(self, doc_id: str) -> Record | None:
        try:
            return self.store.get_record(doc_id, corpus_ids=True)
        except DocumentNotFound:
            return None

    def entities(self, limit: int, offset: int) -> list[EntitySummary]:
        return self._records().entities(limit, offset)

    def speakers(self, limit: int, offset: int) -> list[EntitySummary]:
        return self._records().speakers(limit, offset)

    def entity(self, entity_id: str) -> EntityProfile | None:
        return self._records().entity(entity_id)

    def statements(self, limit: int, offset: int) -> list[Statement]:
        return self._records().statements(limit, offset)

    def events(self, limit: int, offset: int) -> list[EventOut]:
        return self._records().events(limit, offset)

    def search(self, query: str, limit: int, offset: int) -> list[SearchHit]:
        return [
            SearchHit(
                document_id=hit.document.doc_id,
                title=hit.document.title,
                published=hit.document.published,
                snippet=hit.snippet,
                start=None,
                end=None,
                page=article_path(hit.document.doc_id),
            )
            for hit in self.store.search(query, limit, offset)
        ]

    def promises(self, before: str | None, limit: int, offset: int) -> list[EventOut]:
        # The store's query has no offset: ask for the rows up to the end of the page.
        found = self.store.promises_due(before or NO_DEADLINE, limit=offset + limit)
        return [_promise(promise) for promise in found[offset:]]

    def claims(self, limit: int, offset: int) -> list[ClaimOut]:
        return [_claim(claim) for claim in self.store.claims(limit, offset)]
