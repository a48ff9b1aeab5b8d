"""The corpus lists answered by SQL (entities, speakers, profiles, statements, events): the
counters the write path keeps, pagination, and the same answers as the in-memory RecordCorpus,
on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from onrecord.errors import EntityNotFound
from onrecord.model import Entity, Event, Mention, Offsets, Record, TimeRef
from onrecord.serve.corpus import RecordCorpus
from onrecord.serve.store_corpus import StoreCorpus
from onrecord.store import Store
from onrecord.store.core import create_store_engine
from onrecord.store.migrate import alembic_config, current_revision, head_revision
from onrecord.store.migrate import upgrade as migrate_upgrade
from onrecord.store.write import recount_corpus_entities

from .serve_fixtures import harbour_record, hostile_record, span
from .store_support import POSTGRES_URL, make_record

# A schema of its own on the test server, so these tests never disturb other tests' data.
LISTS_SCHEMA = "onrecord_lists_test"


def empty_postgres_store() -> Store:
    engine = create_store_engine(POSTGRES_URL)
    try:
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {LISTS_SCHEMA} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {LISTS_SCHEMA}"))
    except SQLAlchemyError as error:  # the message must say what to do, not skip
        pytest.fail(f"PostgreSQL is not reachable at {POSTGRES_URL} ({type(error).__name__}: {error}); "
                    "run `bash scripts/services.sh` as root or set ONRECORD_TEST_POSTGRES")
    finally:
        engine.dispose()
    joiner = "&" if "?" in POSTGRES_URL else "?"
    return Store.open(f"{POSTGRES_URL}{joiner}options=-csearch_path%3D{LISTS_SCHEMA}")


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    opened = Store.open(tmp_path / "lists.db") if request.param == "sqlite" else empty_postgres_store()
    yield opened
    opened.close()


def harbour_with_more(doc_id: str, published: str | None, outlet: str) -> Record:
    """The harbour article with aliases, a location and an event whose time is no calendar date."""
    record = harbour_record(doc_id, outlet=outlet, published=published)
    record.entities[0].aliases = ["Varga", "the mayor"]
    record.entities[2].aliases = ["Valmora city"]
    t = record.text
    record.events.append(Event(id="v3", type="SELL", trigger=span(t, "sell"), actor=["e2"], location=["e3"],
                               target=["e1"], items=["e9"], factuality="negated", attributed_to=["e1"],
                               time=TimeRef(text="now", value="PRESENT_REF"),
                               evidence=Offsets(start=t.index("the city"), end=len(t))))
    return record


def corpus_records() -> list[Record]:
    """Articles that exercise the lists' orders: dates, an undated one, shared speakers, a
    speaker without entity, the same person named alike in several articles."""
    unnamed = make_record("roe-2", [("John Roe", "said", "Nobody asked the ferry crews")], published="2024-02-02")
    unnamed.attributions[0].speaker.entity = None  # a speaker the analysis did not tie to an entity
    unnamed.entities[0].mentions.append(Mention(start=unnamed.text.index("ferry"), end=unnamed.text.index("ferry") + 5,
                                                text="ferry"))
    quoted = make_record("roe-1", [("Jane Doe", "said", "John Roe will open the bridge in May"),
                                   ("John Roe", "told reporters", "Traffic is already heavy"),
                                   ("Jane Doe", "added", "Work starts on Monday")],
                         published="2024-01-10", promise=("Jane Doe", "open", "2024-05-31"))
    named = quoted.text.index("John Roe")  # inside Jane Doe's first statement
    quoted.entities[1].mentions.insert(0, Mention(start=named, end=named + 8, text="John Roe"))
    return [
        harbour_with_more("harbour-1", "2024-03-14", "Harbour News"),
        harbour_with_more("harbour-2", "2024-03-15", "Coast Daily"),
        harbour_record("harbour-3", outlet="Bay Post", published="2024-03-15"),
        hostile_record(),
        quoted,
        unnamed,
    ]


def both(store: Store) -> tuple[RecordCorpus, StoreCorpus]:
    """The in-memory corpus of the stored records (with the store's corpus ids) and the SQL one."""
    return RecordCorpus(list(store.iter_records(corpus_ids=True))), StoreCorpus(store)


def test_store_lists_answer_as_the_in_memory_corpus(store):
    store.add_records(corpus_records())
    reference, stored = both(store)
    assert stored.stats() == reference.stats()
    assert stored.entities(100, 0) == reference.entities(100, 0)
    assert stored.speakers(100, 0) == reference.speakers(100, 0)
    assert stored.statements(100, 0) == reference.statements(100, 0)
    assert stored.events(100, 0) == reference.events(100, 0)
    ids = [summary.id for summary in reference.entities(100, 0)]
    assert len(ids) >= 7
    for corpus_id in ids:
        assert stored.entity(corpus_id) == reference.entity(corpus_id), corpus_id


def test_store_entity_profile_names_statements_by_others_inside_their_content(store):
    store.add_records(corpus_records())
    profile = StoreCorpus(store).entity("person:john-roe")
    # Newest article first; roe-2's statement has no speaker entity, so it names him, not his.
    assert [(s.speaker, s.content) for s in profile.mentioned_in] == [
        ("John Roe", "Nobody asked the ferry crews"), ("Jane Doe", "John Roe will open the bridge in May")]
    assert [s.content for s in profile.said] == ["Traffic is already heavy"]  # roe-2's speaker has no entity
    varga = StoreCorpus(store).entity("person:ilse-varga")
    assert varga.aliases == ["Varga", "the mayor"] and varga.roles == ["mayor"]
    assert [s.document_id for s in varga.said] == ["harbour-3", "harbour-3", "harbour-2", "harbour-2",
                                                   "harbour-1", "harbour-1"]
    assert [(e.document_id, e.id) for e in varga.events] == [("harbour-3", "v1"), ("harbour-2", "v1"),
                                                             ("harbour-2", "v3"), ("harbour-1", "v1"),
                                                             ("harbour-1", "v3")]
    assert StoreCorpus(store).entity("person:nobody") is None


@pytest.mark.parametrize("name", ["entities", "speakers", "statements", "events"])
def test_store_lists_pages_join_up_to_the_whole_list(store, name):
    store.add_records(corpus_records())
    stored = StoreCorpus(store)
    fetch = getattr(stored, name)
    whole = fetch(100, 0)
    pages = [item for offset in range(0, len(whole) + 3, 3) for item in fetch(3, offset)]
    assert len(whole) >= 3 and pages == whole
    assert fetch(3, len(whole)) == []


def test_store_entity_counters_follow_adding_replacing_and_re_ingesting(store):
    first = make_record("d1", [("Jane Doe", "said", "The bridge will reopen"),
                               ("John Roe", "said", "Traffic is heavy")])
    second = make_record("d2", [("Jane Doe", "said", "Fares will fall")], published="2024-03-02")
    store.add_records([first, second])

    def counts() -> dict[str, tuple[int, int, int]]:
        return {e.id: (e.documents, e.mentions, e.statements) for e in store.list_entities(100, 0)}

    assert counts() == {"person:jane-doe": (2, 2, 2), "person:john-roe": (1, 1, 1)}
    store.add_records([first, second])  # re-ingested: skipped, nothing counted twice
    assert counts() == {"person:jane-doe": (2, 2, 2), "person:john-roe": (1, 1, 1)}
    # Re-analysed by another pipeline version that no longer finds John Roe: d1 is replaced.
    again = first.model_copy(deep=True)
    again.pipeline_version = "test-2"
    again.entities = [entity for entity in again.entities if entity.name != "John Roe"]
    again.attributions[1].speaker.entity = None
    again.attributions[1].source_chain = []
    assert store.add_records([again], replace=True).replaced == 1
    assert counts() == {"person:jane-doe": (2, 2, 2)}
    assert store.stats().corpus_entities == 1
    assert [s.id for s in store.list_speakers(10, 0)] == ["person:jane-doe"]
    with pytest.raises(EntityNotFound):
        store.entity_profile("person:john-roe")
    # A third article naming John Roe brings him back under his old id.
    store.add_records([make_record("d3", [("John Roe", "said", "I am back")], published="2024-03-03")])
    assert counts()["person:john-roe"] == (1, 1, 1)
    kept = store.list_entities(100, 0)
    with store.engine.begin() as conn:  # counted from scratch, the counters are the same
        recount_corpus_entities(conn, [entity.id for entity in kept])
    assert store.list_entities(100, 0) == kept


def test_store_entity_shows_its_longest_name_and_lists_filter_by_type(store):
    short = make_record("n1", [("Jane Doe", "said", "One thing")])
    long = make_record("n2", [("Jane Doe", "said", "Another thing")], published="2024-03-05")
    long.entities[0].corpus_id = "person:jane-doe"
    long.entities[0].name = "Jane A. Doe"
    long.entities.append(Entity(id="e2", type="ORG", name="Acme", mentions=[
        Mention(start=0, end=4, text=long.text[:4])]))
    store.add_records([short])
    store.add_records([long])  # the resolver's id: the corpus entity stored first
    listing = store.list_entities(10, 0)
    assert [(e.id, e.name) for e in listing][:1] == [("person:jane-doe", "Jane A. Doe")]
    assert [e.id for e in store.list_entities(10, 0, type="ORG")] == ["org:acme"]
    assert store.list_entities(10, 0, type="GPE") == []
    # Equally long names: the alphabetically first is shown, even when the other comes later.
    later = make_record("n3", [("Jane B. Doe", "said", "A third thing")], published="2024-03-06")
    later.entities[0].corpus_id = "person:jane-doe"
    store.add_records([later])
    assert store.entity_profile("person:jane-doe").entity.name == "Jane A. Doe"
    # Re-analysed without that name: the best of the names left is shown.
    again = long.model_copy(deep=True)
    again.pipeline_version = "test-2"
    again.entities[0].name = "Jane Doe"
    store.add_records([again], replace=True)
    assert store.entity_profile("person:jane-doe").entity.name == "Jane B. Doe"


def test_store_migration_0004_backfills_the_counters_of_an_older_store(store):
    store.add_records(corpus_records())
    before = (store.list_entities(100, 0), store.list_events(100, 0), store.entity_profile("person:ilse-varga"))
    from alembic import command

    with store.engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0003")
    assert current_revision(store.engine) == "0003"
    migrate_upgrade(store.engine)
    assert current_revision(store.engine) == head_revision()
    after = (store.list_entities(100, 0), store.list_events(100, 0), store.entity_profile("person:ilse-varga"))
    assert after == before
    assert before[2].aliases == ["Varga", "the mayor"]


def test_store_events_sort_on_their_own_date_else_the_articles(store):
    record = make_record("p1", [("Jane Doe", "said", "The bridge will reopen")], published="2024-03-01",
                         promise=("Jane Doe", "reopen", "2023-12-31"))
    later = make_record("p2", [("Jane Doe", "said", "The road will reopen")], published="2024-01-01",
                        promise=("Jane Doe", "reopen", "soon"))
    undated = make_record("p3", [("Jane Doe", "said", "The pier will reopen")], published=None,
                          promise=("Jane Doe", "reopen", "FUTURE_REF"))
    store.add_records([undated, later, record])
    assert [(e.doc_id, e.time_value) for e in store.list_events(10, 0)] == [
        ("p1", "2023-12-31"), ("p2", "soon"), ("p3", "FUTURE_REF")]
    assert store.list_events(10, 0)[0].actors == ["Jane Doe"]


def test_store_statement_keeps_a_source_chain_link_that_names_no_entity(store):
    record = make_record("c1", [("Jane Doe", "said", "The bridge will reopen")])
    record.attributions[0].source_chain = ["e1", "Reuters"]
    store.add_records([record])
    statement = store.list_statements(10, 0)[0]
    assert statement.source_chain == ["Jane Doe", "Reuters"]
    assert RecordCorpus([record]).statements(10, 0)[0].source_chain == statement.source_chain

