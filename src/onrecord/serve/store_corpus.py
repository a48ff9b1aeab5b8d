"""The corpus as the store keeps it: the web layer's `Corpus` over `onrecord.store.Store`.

Every list is one bounded page of the store's own SQL queries, so the pages give the same
answers as `RecordCorpus` gives for the same records, at any corpus size, and nothing is held in
memory between requests. This adapter only turns the store's shapes into the API's.
"""

from __future__ import annotations

import threading

from onrecord.errors import DocumentNotFound, EntityNotFound
from onrecord.model import Record
from onrecord.serve.corpus import PROFILE_ITEMS, article_path, entity_path
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
from onrecord.store import Store
from onrecord.store import views as store_views

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


def _entity(listing: store_views.EntityListing) -> EntitySummary:
    return EntitySummary(
        id=listing.id,
        name=listing.name,
        type=listing.type,
        documents=listing.documents,
        mentions=listing.mentions,
        statements=listing.statements,
        page=entity_path(listing.id),
    )


def _statement(found: store_views.Statement) -> Statement:
    return Statement(
        document_id=found.doc_id,
        id=found.attribution_id,
        kind=found.kind,
        speaker=found.speaker or "unknown speaker",
        speaker_id=found.speaker_id,
        cue=found.cue,
        content=found.content,
        factuality=found.factuality,
        source_chain=found.source_chain,
        about=found.about,
        published=found.published,
        start=found.start,
        end=found.end,
        page=article_path(found.doc_id, found.attribution_id),
    )


def _event(item: store_views.EventItem) -> EventOut:
    return EventOut(
        document_id=item.doc_id,
        id=item.event_id,
        type=item.type,
        mode=item.mode,
        trigger=item.trigger,
        factuality=item.factuality,
        time_text=item.time_text,
        time_value=item.time_value,
        time_relation=item.time_relation,
        actors=item.actors,
        targets=item.targets,
        locations=item.locations,
        attributed_to=item.attributed_to,
        published=item.published,
        start=item.start,
        end=item.end,
        page=article_path(item.doc_id, item.event_id),
    )


class StoreCorpus:
    def __init__(self, store: Store) -> None:
        self.store = store

    def start_warming(self) -> threading.Thread:
        """Read the first page of each list once in the background, so that the first reader
        does not wait for the database's pages to come from disk."""

        def warm() -> None:
            self.entities(1, 0), self.speakers(1, 0), self.statements(1, 0), self.events(1, 0)

        thread = threading.Thread(target=warm, name="onrecord-warm", daemon=True)
        thread.start()
        return thread

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

    def entities(self, limit: int, offset: int, type: str | None = None) -> list[EntitySummary]:
        return [_entity(listing) for listing in self.store.list_entities(limit, offset, type)]

    def speakers(self, limit: int, offset: int) -> list[EntitySummary]:
        return [_entity(listing) for listing in self.store.list_speakers(limit, offset)]

    def entity(self, entity_id: str) -> EntityProfile | None:
        try:
            profile = self.store.entity_profile(entity_id, items=PROFILE_ITEMS)
        except EntityNotFound:
            return None
        return EntityProfile(
            entity=_entity(profile.entity),
            aliases=profile.aliases,
            roles=profile.roles,
            said=[_statement(found) for found in profile.said],
            mentioned_in=[_statement(found) for found in profile.mentioned_in],
            events=[_event(item) for item in profile.events],
            mentions=[
                MentionOut(
                    document_id=mention.doc_id,
                    text=mention.text,
                    start=mention.start,
                    end=mention.end,
                    page=article_path(mention.doc_id),
                )
                for mention in profile.mentions
            ],
        )

    def statements(self, limit: int, offset: int) -> list[Statement]:
        return [_statement(found) for found in self.store.list_statements(limit, offset)]

    def events(self, limit: int, offset: int) -> list[EventOut]:
        return [_event(item) for item in self.store.list_events(limit, offset)]

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
