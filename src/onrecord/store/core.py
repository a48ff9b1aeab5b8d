"""The Store: one object for every read and write of the corpus database.

    from onrecord.store import Store
    with Store.open("onrecord.db") as store:          # or "postgresql://user:pw@host/db"
        store.add_records(records)
        store.statements_by_speaker("Jane Doe", about="Acme Corp")

Opening a database brings it to the newest schema (Alembic migrations shipped in the package).
Only this module and its helpers (write, queries) touch database connections.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.pool import StaticPool

from onrecord.errors import BadDatabaseURL, DatabaseUnreachable, InputError
from onrecord.model import Record
from onrecord.store import migrate, queries, write
from onrecord.store.views import (
    ClaimSummary,
    DocumentSummary,
    EntityInfo,
    EntityListing,
    EntityProfile,
    EventItem,
    Promise,
    QuoteLink,
    SearchHit,
    Statement,
    StoreStats,
    TimelineEntry,
    WriteReport,
)

DEFAULT_DB = "onrecord.db"


def database_url(target: str | Path) -> str:
    """A SQLAlchemy URL from a URL or a plain file path; 'postgresql://' uses psycopg 3."""
    target = str(target)
    if target in (":memory:", "sqlite://", "sqlite:///:memory:"):
        return "sqlite://"
    if "://" not in target:
        return f"sqlite:///{Path(target).expanduser().resolve()}"
    if target.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + target.split("://", 1)[1]
    return target


def create_store_engine(target: str | Path) -> Engine:
    url = database_url(target)
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise BadDatabaseURL(str(error), url=str(target)) from None
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise BadDatabaseURL("onrecord stores into SQLite or PostgreSQL", url=str(target))
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, in_memory=parsed.database in (None, "", ":memory:"))
    try:
        return create_engine(url, pool_pre_ping=True)
    except ModuleNotFoundError as error:
        raise BadDatabaseURL(f"the driver is missing ({error.name}): pip install 'onrecord[postgres]'",
                             url=str(target)) from None


def _sqlite_engine(url: str, in_memory: bool) -> Engine:
    # One shared connection for an in-memory database, or every connection would see an empty one.
    options = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}} if in_memory else {}
    engine = create_engine(url, **options)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        # WAL lets readers (Datasette, the API) read while an ingest writes; NORMAL sync is
        # durable at every commit in WAL mode except on power loss, which a re-run repairs.
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")  # wait up to 30 s for another writer
        cursor.close()

    return engine


class Store:
    """The corpus database. Thread-safe for reads; one writer at a time."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, target: str | Path = DEFAULT_DB, migrate_schema: bool = True) -> Store:
        """Open (and create or upgrade) the store at a SQLAlchemy URL or a plain file path."""
        engine = create_store_engine(target)
        try:
            if migrate_schema:
                migrate.upgrade(engine)
            else:
                engine.connect().close()
        except OperationalError as error:
            engine.dispose()
            raise DatabaseUnreachable(str(error.orig).strip().splitlines()[0], url=_masked(engine)) from None
        return cls(engine)

    @property
    def url(self) -> str:
        return _masked(self.engine)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def _read(self):
        with self.engine.connect() as conn:
            yield conn

    # Writing -------------------------------------------------------------------------------

    def add_records(self, records: Iterable[Record], replace: bool = False) -> WriteReport:
        """Store records in one transaction: all of them or, on any error, none."""
        return self.write_batch(list(records), replace=replace)

    def write_batch(self, records: Sequence[Record], failed: Sequence[tuple[str, InputError]] = (),
                    succeeded: Iterable[str] = (), replace: bool = False) -> WriteReport:
        """One ingest batch in one transaction: records, failed inputs (name, error), and the
        names of inputs that succeeded this time (their old failure rows are removed)."""
        with self.engine.begin() as conn:
            report = write.write_records(conn, records, replace=replace)
            report.failures = write.write_failures(
                conn, [(name, error.code, error.message) for name, error in failed], list(succeeded))
        return report

    def stored_versions(self, content_hashes: Iterable[str]) -> dict[str, str | None]:
        """Content hash -> pipeline version, for the hashes already stored (see records.article_hash)."""
        with self._read() as conn:
            return write.stored_versions(conn, content_hashes)

    def resolve_claims(self) -> int:
        """Group attributions into claims across the corpus anew; returns the number of claims."""
        from onrecord.store.claims import rebuild_claims

        with self.engine.begin() as conn:
            return rebuild_claims(conn)

    # Reading -------------------------------------------------------------------------------

    def get_record(self, doc_id: str, corpus_ids: bool = False) -> Record:
        """The record stored under `doc_id`, exactly as it was added; with `corpus_ids`, every
        entity's `corpus_id` is set to the store's corpus entity id."""
        with self._read() as conn:
            return queries.get_record(conn, doc_id, corpus_ids)

    def iter_records(self, batch: int = 200, corpus_ids: bool = False) -> Iterator[Record]:
        """Every record in storage order, read in batches so memory stays bounded."""
        with self._read() as conn:
            for row in queries.iter_document_ids(conn, batch):
                yield queries.record_from_rows(conn, row.id, row.data, corpus_ids)

    def iter_entities(self) -> Iterator[list]:
        """Each stored document's entities with their mentions, in storage order (to warm up a
        cross-article entity resolver before new records are added)."""
        with self._read() as conn:
            yield from queries.iter_entities(conn)

    def list_documents(self, limit: int = 50, offset: int = 0) -> list[DocumentSummary]:
        with self._read() as conn:
            return queries.list_documents(conn, limit, offset)

    def documents(self, doc_ids: Iterable[str]) -> dict[str, DocumentSummary]:
        """Summaries of the given documents (those that exist), by doc_id."""
        with self._read() as conn:
            return queries.summaries_by_doc_id(conn, list(doc_ids))

    def search(self, query: str, limit: int = 20, offset: int = 0) -> list[SearchHit]:
        """Full-text search of titles and texts: every word must occur; "quoted phrases" allowed."""
        with self._read() as conn:
            return queries.search(conn, query, limit, offset)

    def find_entities(self, name: str, limit: int = 20) -> list[EntityInfo]:
        """Corpus entities for an id or a name (a surname alone finds full names)."""
        with self._read() as conn:
            return [queries.entity(conn, corpus_id) for corpus_id in queries.find_entities(conn, name, limit)]

    def statements_by_speaker(self, speaker: str, about: str | None = None, limit: int = 100,
                              offset: int = 0) -> list[Statement]:
        """What a speaker (corpus id or name) said, newest first; optionally only about an entity."""
        with self._read() as conn:
            return queries.statements_by_speaker(conn, speaker, about, limit, offset)

    def entity(self, corpus_id: str) -> EntityInfo:
        with self._read() as conn:
            return queries.entity(conn, corpus_id)

    def list_entities(self, limit: int = 50, offset: int = 0, type: str | None = None) -> list[EntityListing]:
        """Corpus entities most mentioned first (then by name); `type` keeps one type (PERSON ...)."""
        with self._read() as conn:
            return queries.list_entities(conn, limit, offset, type)

    def list_speakers(self, limit: int = 50, offset: int = 0) -> list[EntityListing]:
        """Corpus entities that made statements, most statements first (then by name)."""
        with self._read() as conn:
            return queries.list_speakers(conn, limit, offset)

    def entity_profile(self, corpus_id: str, items: int = queries.PROFILE_ITEMS) -> EntityProfile:
        """What an entity said, statements naming it, its events and mentions (at most `items`
        each, newest article first); raises EntityNotFound for an id no stored article names."""
        with self._read() as conn:
            return queries.entity_profile(conn, corpus_id, items)

    def list_statements(self, limit: int = 50, offset: int = 0) -> list[Statement]:
        """Every statement: newest article first, in text order within one."""
        with self._read() as conn:
            return queries.list_statements(conn, limit, offset)

    def list_events(self, limit: int = 50, offset: int = 0) -> list[EventItem]:
        """Every event by date (its own, else its article's; undated last)."""
        with self._read() as conn:
            return queries.list_events(conn, limit, offset)

    def entity_timeline(self, corpus_id: str, limit: int = 200) -> list[TimelineEntry]:
        with self._read() as conn:
            return queries.entity_timeline(conn, corpus_id, limit)

    def who_quoted_whom(self, entity: str | None = None, limit: int = 100) -> list[QuoteLink]:
        with self._read() as conn:
            return queries.who_quoted_whom(conn, entity, limit)

    def promises_due(self, before: str, after: str | None = None, limit: int = 100) -> list[Promise]:
        with self._read() as conn:
            return queries.promises_due(conn, before, after, limit)

    def claims(self, limit: int = 50, offset: int = 0, min_outlets: int = 1,
               contradicted_only: bool = False) -> list[ClaimSummary]:
        """Claims ranked by corroboration: most independent outlets first."""
        with self._read() as conn:
            return queries.ranked_claims(conn, limit, offset, min_outlets, contradicted_only)

    def failures(self, limit: int = 100) -> list[dict]:
        with self._read() as conn:
            return queries.failure_rows(conn, limit)

    def stats(self) -> StoreStats:
        with self._read() as conn:
            return queries.stats(conn)


def _masked(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)
