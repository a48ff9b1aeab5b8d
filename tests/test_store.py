"""The corpus store against a real SQLite file and a real PostgreSQL server (scripts/services.sh)."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError

from onrecord.errors import BadDatabaseURL, DatabaseUnreachable, DocumentNotFound, EntityNotFound
from onrecord.store import Store, database_url
from onrecord.store.core import create_store_engine

from .store_support import POSTGRES_URL, make_record


def reset_postgres(url: str = POSTGRES_URL) -> None:
    """An empty public schema, so every test starts from a fresh database."""
    engine = create_store_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    except Exception as error:  # the message must say what to do, not skip
        pytest.fail(f"PostgreSQL is not reachable at {url} ({type(error).__name__}: {error}); "
                    "run `bash scripts/services.sh` as root or set ONRECORD_TEST_POSTGRES")
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "onrecord.db")
    reset_postgres()
    return POSTGRES_URL


@pytest.fixture
def store(store_url):
    with Store.open(store_url) as opened:
        yield opened


def sample_record(doc_id="d1", **options):
    return make_record(doc_id, [("Jane Doe", "said", "The bridge will reopen in May"),
                                ("John Roe", "told reporters", "Traffic is already heavy on the ring road")],
                       title="Bridge works near the harbour", promise=("Jane Doe", "reopen", "2024-05-31"),
                       extra="Work began on 2024-01-15.", **options)


def test_store_round_trip_gives_back_the_exact_record(store):
    record = sample_record()
    store.add_records([record])
    assert store.get_record("d1") == record
    assert store.get_record("d1").model_dump() == record.model_dump()


words = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(speaker=words.filter(lambda w: w.strip() == w and w.strip()), content=words)
def test_store_round_trip_holds_for_any_text(tmp_path_factory, speaker, content):
    record = make_record("any", [(speaker, "said", content)], title=None)
    with Store.open(tmp_path_factory.mktemp("db") / "s.db") as store:
        store.add_records([record])
        assert store.get_record("any") == record


def test_store_adding_the_same_record_twice_skips_it(store):
    first = store.add_records([sample_record()])
    second = store.add_records([sample_record()])
    assert (first.added, second.added, second.skipped) == (1, 0, 1)
    assert store.stats().documents == 1


def test_store_replace_stores_a_new_pipeline_version_once(store):
    store.add_records([sample_record(version="v1")])
    report = store.add_records([sample_record(version="v2")], replace=True)
    assert report.replaced == 1
    assert store.stats().pipeline_versions == {"v2": 1}
    assert store.get_record("d1").pipeline_version == "v2"
    assert store.stats().attributions == 2


def test_store_a_failing_batch_stores_nothing(store):
    broken = sample_record("d2")
    broken.attributions[0].source_chain = ["e1"]
    broken.entities[0].id = "e1"
    good = sample_record("d1")
    # Two entities with one local id break the unique constraint: the whole batch must roll back.
    broken.entities[1].id = "e1"
    with pytest.raises(IntegrityError):
        store.add_records([good, broken])
    assert store.stats().documents == 0


def test_store_missing_document_raises_not_found(store):
    with pytest.raises(DocumentNotFound):
        store.get_record("nope")


def test_store_search_finds_stemmed_words_and_ranks_titles(store):
    store.add_records([sample_record("d1"),
                       make_record("d2", [("Ann Poe", "said", "Harbour fees rise")], title="Fees",
                                   extra="The bridge was mentioned once.")])
    hits = store.search("bridge")
    assert [hit.document.doc_id for hit in hits] == ["d1", "d2"]
    assert "[" in hits[0].snippet
    assert [hit.document.doc_id for hit in store.search("reopening")] == ["d1"]
    assert store.search('"ring road"')[0].document.doc_id == "d1"
    assert store.search("nothing-like-this-word") == []


@pytest.mark.parametrize("query", ['"', "AND OR NOT", "*", "a:b", "(", "''", "bridge NEAR(", "   "])
def test_store_search_never_fails_on_odd_queries(tmp_path, query):
    with Store.open(tmp_path / "s.db") as store:
        store.add_records([sample_record()])
        assert isinstance(store.search(query), list)


def test_store_statements_by_speaker_by_name_surname_and_id(store):
    store.add_records([sample_record("d1"),
                       make_record("d2", [("Jane Doe", "said", "Harbour fees will not rise")], title="Fees",
                                   published="2024-04-01")])
    by_name = store.statements_by_speaker("Jane Doe")
    assert [s.doc_id for s in by_name] == ["d2", "d1"]  # newest first
    assert [s.content for s in store.statements_by_speaker("doe")] == [s.content for s in by_name]
    assert store.statements_by_speaker("person:jane-doe")[0].speaker == "Jane Doe"
    with pytest.raises(EntityNotFound):
        store.statements_by_speaker("Nobody Here")


def test_store_statements_about_an_entity_need_a_mention_inside_the_content(store):
    record = make_record("d1", [("Jane Doe", "said", "John Roe will lead the works"),
                                ("Jane Doe", "added", "The budget is fixed"), ("John Roe", "said", "Fine")])
    # John Roe is mentioned inside the first quote: give that mention to his entity.
    roe = next(entity for entity in record.entities if entity.name == "John Roe")
    start = record.text.index("John Roe will")
    roe.mentions.insert(0, type(roe.mentions[0])(start=start, end=start + 8, text="John Roe"))
    store.add_records([record])
    about = store.statements_by_speaker("Jane Doe", about="John Roe")
    assert [s.content for s in about] == ["John Roe will lead the works"]


def test_store_entity_and_timeline(store):
    store.add_records([sample_record("d1"),
                       make_record("d2", [("Jane Doe", "said", "Harbour fees will rise")], published="2024-06-01")])
    info = store.entity("person:jane-doe")
    assert (info.documents, info.statements, info.first_seen, info.last_seen) == (2, 2, "2024-03-01", "2024-06-01")
    timeline = store.entity_timeline("person:jane-doe")
    assert [entry.date for entry in timeline] == sorted(entry.date for entry in timeline)
    assert {entry.kind for entry in timeline} == {"statement", "event"}
    event = next(entry for entry in timeline if entry.kind == "event")
    assert event.date == "2024-05-31" and "actor" in event.type and "attributed_to" in event.type


def test_store_who_quoted_whom_follows_chains_and_outlets(store):
    record = make_record("d1", [("Jane Doe", "said", "The bridge will reopen in May")], outlet="Harbour Post")
    record.entities.append(record.entities[0].model_copy(update={"id": "e2", "name": "City Hall", "type": "ORG",
                                                                 "mentions": []}))
    record.attributions[0].source_chain = ["e1", "e2"]  # Jane Doe, passed on by City Hall
    store.add_records([record])
    links = {(link.quoter, link.quoted): link.count for link in store.who_quoted_whom()}
    assert links == {("City Hall", "Jane Doe"): 1, ("Harbour Post", "City Hall"): 1}
    assert {link.quoted for link in store.who_quoted_whom("person:jane-doe")} == {"Jane Doe"}


def test_store_promises_due_before_a_date(store):
    store.add_records([sample_record("d1"),
                       make_record("d2", [("Ann Poe", "said", "We will fund the school")],
                                   promise=("Ann Poe", "fund", "2025-09-01"))])
    assert [p.doc_id for p in store.promises_due("2024-12-31")] == ["d1"]
    assert [p.due for p in store.promises_due("2026")] == ["2024-05-31", "2025-09-01"]
    assert [p.promised_by for p in store.promises_due("2026", after="2025")] == [["Ann Poe"]]


def test_store_list_documents_pages_in_storage_order(store):
    store.add_records([sample_record(f"d{n}", published=f"2024-03-0{n}") for n in range(1, 6)])
    first, second = store.list_documents(limit=3), store.list_documents(limit=3, offset=3)
    assert [d.doc_id for d in first + second] == ["d1", "d2", "d3", "d4", "d5"]
    assert first[0].attributions == 2 and first[0].events == 1


def test_store_same_text_from_another_outlet_is_kept_and_linked(store):
    original = sample_record("d1", outlet="Harbour Post")
    copy = sample_record("d1", outlet="Wire Daily")
    report = store.add_records([original, copy])
    assert (report.added, report.duplicates) == (2, 1)
    copies = [d for d in store.list_documents() if d.duplicate_of]
    assert [(d.doc_id.startswith("d1~"), d.duplicate_of, d.outlet) for d in copies] == [(True, "d1", "Wire Daily")]


def test_store_near_duplicate_with_a_new_headline_is_linked(store):
    body = ("The council voted on Tuesday to extend the harbour ferry service through the winter months, "
            "citing strong demand from commuters and the closure of the old bridge for repairs. ") * 3
    first = make_record("wire", [("Jane Doe", "said", "Ferries will run every hour")], extra=body, title="Ferry extended")
    second = make_record("copy", [("Jane Doe", "said", "Ferries will run every hour")], extra=body,
                         title="Winter ferries stay", outlet="Other Paper")
    unrelated = make_record("other", [("Ann Poe", "said", "Fees rise")],
                            extra="A completely different story about school meals and teachers. " * 3)
    store.add_records([first, second, unrelated])
    by_id = {d.doc_id: d.duplicate_of for d in store.list_documents()}
    assert by_id == {"wire": None, "copy": "wire", "other": None}


def test_store_stats_count_everything(store):
    store.add_records([sample_record()])
    stats = store.stats()
    assert (stats.documents, stats.entities, stats.corpus_entities, stats.mentions, stats.attributions,
            stats.events, stats.times, stats.failures) == (1, 2, 2, 2, 2, 1, 1, 0)


def test_store_tables_are_readable_with_plain_sqlite(tmp_path):
    path = tmp_path / "onrecord.db"
    with Store.open(path) as store:
        store.add_records([sample_record()])
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"documents", "entities", "mentions", "attributions", "events", "times", "corpus_entities",
                "claims", "failures", "documents_fts"} <= tables
        speaker = conn.execute("SELECT e.name FROM attributions a JOIN entities e ON e.id = a.speaker_entity_id "
                               "ORDER BY a.id LIMIT 1").fetchone()[0]
        assert speaker == "Jane Doe"
        foreign = conn.execute("PRAGMA foreign_key_list(attributions)").fetchall()
        assert {row[2] for row in foreign} == {"documents", "entities"}
        # sqlite-utils and Datasette find a table's full-text index by this exact declaration.
        fts = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'documents_fts'").fetchone()[0]
        assert 'content="documents"' in fts
        assert conn.execute("SELECT rowid FROM documents_fts WHERE documents_fts MATCH 'harbour'").fetchall()


def test_store_opening_twice_migrates_once(store_url):
    Store.open(store_url).close()
    with Store.open(store_url) as store, store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1


def test_store_database_url_accepts_paths_and_urls(tmp_path):
    assert database_url(tmp_path / "x.db") == f"sqlite:///{tmp_path / 'x.db'}"
    assert database_url("postgresql://u:p@h/db") == "postgresql+psycopg://u:p@h/db"
    assert database_url("sqlite:///rel.db") == "sqlite:///rel.db"
    with pytest.raises(BadDatabaseURL):
        Store.open("mysql://u@h/db")


def test_store_unreachable_postgres_is_one_clear_error():
    with pytest.raises(DatabaseUnreachable) as caught:
        Store.open("postgresql://nobody:wrong@127.0.0.1:1/none")
    assert "wrong" not in caught.value.message  # the password is never shown


def test_store_postgres_fixture_talks_to_a_real_server():
    reset_postgres()
    engine = create_engine(POSTGRES_URL)
    with engine.connect() as conn:
        assert "PostgreSQL" in conn.execute(text("SELECT version()")).scalar()
    engine.dispose()


def test_store_a_shared_surname_means_the_most_mentioned_person(store):
    store.add_records([make_record("d1", [("Jane Doe", "said", "The ferry runs at noon")]),
                       make_record("d2", [("Jane Doe", "said", "The ferry runs at one")]),
                       make_record("d3", [("Mark Doe", "said", "The bus is late")])])
    assert {s.speaker for s in store.statements_by_speaker("Doe")} == {"Jane Doe"}
    assert {s.speaker for s in store.statements_by_speaker("Mark Doe")} == {"Mark Doe"}
    assert {e.name for e in store.find_entities("Doe")} == {"Jane Doe", "Mark Doe"}
