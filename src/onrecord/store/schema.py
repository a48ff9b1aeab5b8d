"""The database tables. One schema for SQLite and PostgreSQL, readable in Datasette or psql.

Every item of a record (entity, mention, attribution, event, time) is a row with the columns a
question filters on, plus `data`: the item's own JSON, so that `Store.get_record` gives back the
record exactly, including fields other parts of onrecord add to the model later.
Full-text search is not declared here: it differs per database and is created by the migration
(an FTS5 table in SQLite, a tsvector column with a GIN index in PostgreSQL).
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

# Constraint names are fixed so that Alembic migrations can refer to them on both databases.
metadata = MetaData(naming_convention={
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})


def _document_fk() -> Column:
    return Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False,
                  index=True)


documents = Table(
    "documents", metadata,
    Column("id", Integer, primary_key=True),
    Column("doc_id", String(200), nullable=False, unique=True),  # the record's document.id
    Column("content_hash", String(64), nullable=False, unique=True),  # see store.records.content_hash
    Column("title", Text),
    Column("published", String(10), index=True),
    Column("outlet", Text, index=True),
    Column("url", Text),
    Column("author", Text),
    Column("source", Text),
    Column("language", String(16)),
    Column("text", Text, nullable=False),
    Column("schema_version", String(16), nullable=False),
    Column("pipeline_version", Text, index=True),
    Column("data", Text, nullable=False),  # the record without its items: document, paragraphs, warnings
    Column("duplicate_of", Integer, ForeignKey("documents.id", ondelete="SET NULL"), index=True),
    Column("duplicate_similarity", Float),
    Column("ingested_at", String(32), nullable=False),
)
# Newest first, the order of every corpus list (migration 0004 declares it per database, NULLs last).
Index("ix_documents_newest", documents.c.published, documents.c.doc_id)

corpus_entities = Table(
    "corpus_entities", metadata,
    Column("id", String(200), primary_key=True),  # stable corpus id, e.g. "person:jane-doe"
    Column("type", String(32), nullable=False),
    Column("name", Text, nullable=False),
    Column("key", Text, nullable=False, index=True),  # the folded matching key
    Column("last_key", Text, index=True),  # the key's last word: a surname finds full names
    # Kept exact by store.write for the corpus entities each batch touches; the lists sort on them.
    Column("documents", Integer, nullable=False, server_default="0"),
    Column("mentions", Integer, nullable=False, server_default="0"),
    Column("statements", Integer, nullable=False, server_default="0"),  # as speaker
    Column("display_name", Text),  # its entities' longest name, alphabetically first on ties
)
Index("ix_corpus_entities_by_mentions", corpus_entities.c.mentions.desc(), corpus_entities.c.display_name)
Index("ix_corpus_entities_by_statements", corpus_entities.c.statements.desc(), corpus_entities.c.display_name)
Index("ix_corpus_entities_by_type", corpus_entities.c.type, corpus_entities.c.mentions.desc(),
      corpus_entities.c.display_name)

entities = Table(
    "entities", metadata,
    Column("id", Integer, primary_key=True),
    _document_fk(),
    Column("position", Integer, nullable=False),
    Column("local_id", String(64), nullable=False),  # "e1": ids inside one record
    Column("type", String(32), nullable=False),
    Column("name", Text, nullable=False),
    Column("key", Text),
    Column("corpus_entity_id", String(200), ForeignKey("corpus_entities.id"), index=True),
    Column("data", Text, nullable=False),  # the entity without its mentions
    # Its document's, copied: an entity's profile walks its articles newest first by one index,
    # and stops when its lists are full, however many articles name it.
    Column("published", String(10)),
    UniqueConstraint("document_id", "local_id"),
    Index("ix_entities_corpus_entity_id_published", "corpus_entity_id", "published"),
)

# An entity's aliases and roles, one row each, so that a profile reads them without parsing the
# JSON of every stored entity of a much-named person.
entity_labels = Table(
    "entity_labels", metadata,
    Column("id", Integer, primary_key=True),
    Column("entity_id", Integer, ForeignKey("entities.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("corpus_entity_id", String(200)),  # the entity's, copied: one index finds a profile's labels
    Column("kind", String(8), nullable=False),  # "alias" or "role"
    Column("value", Text, nullable=False),
    Index("ix_entity_labels_corpus_entity_id_kind", "corpus_entity_id", "kind"),
)

mentions = Table(
    "mentions", metadata,
    Column("id", Integer, primary_key=True),
    Column("entity_id", Integer, ForeignKey("entities.id", ondelete="CASCADE"), nullable=False, index=True),
    _document_fk(),
    Column("position", Integer, nullable=False),
    Column("start_char", Integer, nullable=False),
    Column("end_char", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("kind", String(16)),
    Column("data", Text, nullable=False),
)

attributions = Table(
    "attributions", metadata,
    Column("id", Integer, primary_key=True),
    _document_fk(),
    Column("position", Integer, nullable=False),
    Column("local_id", String(64), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("speaker_entity_id", Integer, ForeignKey("entities.id", ondelete="SET NULL"), index=True),
    Column("speaker_text", Text),
    Column("cue_text", Text),
    Column("content_text", Text, nullable=False),
    Column("start_char", Integer, nullable=False),
    Column("end_char", Integer, nullable=False),
    Column("factuality", String(16), nullable=False),
    Column("data", Text, nullable=False),
    UniqueConstraint("document_id", "local_id"),
)

# One row per entity named inside an attribution's content (a mention within its span), its speaker
# excepted; with the corpus entity and date copied, an entity's page reads the statements naming it
# newest first from one index, however rarely they come among its articles.
attribution_names = Table(
    "attribution_names", metadata,
    Column("id", Integer, primary_key=True),
    Column("attribution_id", Integer, ForeignKey("attributions.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("entity_id", Integer, ForeignKey("entities.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("corpus_entity_id", String(200)),
    Column("published", String(10)),
    Index("ix_attribution_names_corpus_entity_id_published", "corpus_entity_id", "published"),
)

# One row per link of an attribution's source chain: position 0 is the speaker, then who passed it on.
source_links = Table(
    "source_links", metadata,
    Column("id", Integer, primary_key=True),
    Column("attribution_id", Integer, ForeignKey("attributions.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("position", Integer, nullable=False),
    Column("entity_id", Integer, ForeignKey("entities.id", ondelete="CASCADE"), nullable=False, index=True),
)

events = Table(
    "events", metadata,
    Column("id", Integer, primary_key=True),
    _document_fk(),
    Column("position", Integer, nullable=False),
    Column("local_id", String(64), nullable=False),
    Column("type", String(64), nullable=False, index=True),
    Column("mode", String(64)),
    Column("trigger_text", Text, nullable=False),
    Column("start_char", Integer, nullable=False),
    Column("end_char", Integer, nullable=False),
    Column("factuality", String(16), nullable=False, index=True),
    Column("time_text", Text),
    Column("time_value", String(64), index=True),
    Column("time_relation", String(16)),
    Column("attribution_id", Integer, ForeignKey("attributions.id", ondelete="SET NULL")),
    Column("data", Text, nullable=False),
    # The events page's order, read from one index: the event's date when it is one, else the
    # article's, else "9999" (see store.records.event_sort_date); its document's doc_id (copied);
    # the start of its evidence.
    Column("date_key", String(64)),
    Column("doc_id", String(200)),
    Column("evidence_start", Integer),
    UniqueConstraint("document_id", "local_id"),
    Index("ix_events_by_date", "date_key", "doc_id", "evidence_start", "position"),
)

# One row per entity taking part in an event, with its role (actor, target, location, items, attributed_to).
event_arguments = Table(
    "event_arguments", metadata,
    Column("id", Integer, primary_key=True),
    Column("event_id", Integer, ForeignKey("events.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("role", String(16), nullable=False),
    Column("entity_id", Integer, ForeignKey("entities.id", ondelete="CASCADE"), nullable=False, index=True),
)

times = Table(
    "times", metadata,
    Column("id", Integer, primary_key=True),
    _document_fk(),
    Column("position", Integer, nullable=False),
    Column("start_char", Integer, nullable=False),
    Column("end_char", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("type", String(16), nullable=False),
    Column("value", String(64), index=True),
    Column("data", Text, nullable=False),
)

# Near-duplicate lookup: MinHash band hashes of each document's shingles (see store.duplicates).
document_bands = Table(
    "document_bands", metadata,
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("band", Integer, primary_key=True),
    Column("hash", String(16), nullable=False, index=True),  # unique per band: the band number is hashed in
)

claims = Table(
    "claims", metadata,
    Column("id", Integer, primary_key=True),
    Column("speaker_entity_id", String(200), ForeignKey("corpus_entities.id")),
    Column("speaker_name", Text),
    Column("content", Text, nullable=False),  # the claim as first reported
    Column("polarity", String(8), nullable=False),  # "positive" or "negative" (negated, denied)
    Column("documents", Integer, nullable=False),
    Column("outlets", Integer, nullable=False),  # independent outlets: syndicated copies count once
    Column("contradicted", Integer, nullable=False, default=0),
)

claim_members = Table(
    "claim_members", metadata,
    Column("claim_id", Integer, ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True),
    Column("attribution_id", Integer, ForeignKey("attributions.id", ondelete="CASCADE"), primary_key=True,
           index=True),
)

claim_contradictions = Table(
    "claim_contradictions", metadata,
    Column("claim_id", Integer, ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True),
    Column("other_claim_id", Integer, ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True),
)

failures = Table(
    "failures", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False, unique=True),  # the input that failed (file, file:line)
    Column("code", String(8), nullable=False),
    Column("message", Text, nullable=False),
    Column("failed_at", String(32), nullable=False),
)
