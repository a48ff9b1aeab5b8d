"""The corpus ingest job: idempotent, transactional per batch, resumable after kill -9, parallel."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text, update

from onrecord.settings import DEFAULT
from onrecord.store import Store
from onrecord.store.ingest import ingest
from onrecord.store.schema import documents

from .store_support import POSTGRES_URL
from .test_store import reset_postgres

SPEAKERS = ["Ana Ferreira", "Kofi Mensah", "Lena Vogel", "Ravi Iyer", "Sofia Lind", "Omar Haddad"]
TOPICS = ["the ferry timetable", "the school budget", "the water tariff", "the new tram line",
          "the hospital wing", "the recycling plan", "the museum roof", "the cycle lanes"]


def write_articles(folder: Path, count: int, start: int = 0) -> list[Path]:
    """Short news texts, each different, with quotes and reported speech."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(start, start + count):
        speaker, other = SPEAKERS[number % len(SPEAKERS)], SPEAKERS[(number + 2) % len(SPEAKERS)]
        topic = TOPICS[number % len(TOPICS)]
        body = (f"Council debate number {number} on {topic}\n\n"
                f'"We will present {topic} to residents in March," {speaker} said on Tuesday. '
                f"{other} told reporters that {topic} would cost {number + 3} million euros. "
                f"The meeting, the {number}th of the year, ended without a vote.")
        path = folder / f"article-{number:03d}.txt"
        path.write_text(body, encoding="utf-8")
        paths.append(path)
    return paths


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "corpus.db")
    reset_postgres()
    return POSTGRES_URL


@pytest.mark.model
def test_ingest_corpus_stores_once_and_skips_on_rerun(analyzer, db_url, tmp_path):
    write_articles(tmp_path / "in", 5)
    (tmp_path / "in" / "broken.txt").write_bytes(b"\x00\x01 not text")
    with Store.open(db_url) as store:
        first = ingest([str(tmp_path / "in")], store, DEFAULT, batch_size=2)
        second = ingest([str(tmp_path / "in")], store, DEFAULT, batch_size=2)
        assert (first.added, first.failed, first.read) == (5, 1, 6)
        assert (second.added, second.skipped, second.failed) == (0, 5, 1)
        stats = store.stats()
        assert (stats.documents, stats.failures) == (5, 1)
        assert store.failures()[0]["code"] == "E102"
        assert store.statements_by_speaker("Ferreira")


@pytest.mark.model
def test_ingest_corpus_a_fixed_input_loses_its_failure(analyzer, tmp_path):
    folder = tmp_path / "in"
    write_articles(folder, 1)
    (folder / "late.txt").write_text("", encoding="utf-8")
    with Store.open(tmp_path / "c.db") as store:
        assert ingest([str(folder)], store, DEFAULT).failed == 1
        (folder / "late.txt").write_text("Ravi Iyer said the tram line opens in June.", encoding="utf-8")
        assert ingest([str(folder)], store, DEFAULT).failed == 0
        assert store.stats().failures == 0 and store.stats().documents == 2


@pytest.mark.model
def test_ingest_corpus_reanalyse_replaces_older_pipeline_versions(analyzer, tmp_path):
    write_articles(tmp_path / "in", 3)
    with Store.open(tmp_path / "c.db") as store:
        ingest([str(tmp_path / "in")], store, DEFAULT)
        with store.engine.begin() as conn:
            conn.execute(update(documents).where(documents.c.doc_id.in_(
                [d.doc_id for d in store.list_documents(limit=2)])).values(pipeline_version="old"))
        plain = ingest([str(tmp_path / "in")], store, DEFAULT)
        again = ingest([str(tmp_path / "in")], store, DEFAULT, reanalyse=True)
        assert (plain.replaced, plain.skipped) == (0, 3)
        assert (again.replaced, again.skipped, again.analysed) == (2, 1, 2)
        assert store.stats().pipeline_versions == {analyzer.version: 3}
        assert store.stats().documents == 3


@pytest.mark.model
def test_ingest_corpus_two_workers_store_the_same_records_as_one(analyzer, tmp_path):
    write_articles(tmp_path / "in", 4)
    with Store.open(tmp_path / "one.db") as one, Store.open(tmp_path / "two.db") as two:
        ingest([str(tmp_path / "in")], one, DEFAULT, batch_size=1)
        report = ingest([str(tmp_path / "in")], two, DEFAULT, batch_size=1, workers=2)
        assert report.added == 4
        assert list(one.iter_records()) == list(two.iter_records())


@pytest.mark.model
def test_ingest_corpus_on_a_dask_local_cluster_matches_the_local_path(analyzer, tmp_path):
    from distributed import Client, LocalCluster

    write_articles(tmp_path / "in", 3)
    with Store.open(tmp_path / "local.db") as local:
        ingest([str(tmp_path / "in")], local, DEFAULT)
        expected = list(local.iter_records())
    with LocalCluster(processes=False, n_workers=1, threads_per_worker=1, dashboard_address=None) as cluster, \
            Client(cluster) as client, Store.open(tmp_path / "dask.db") as store:
        report = ingest([str(tmp_path / "in")], store, DEFAULT, dask=client, batch_size=2)
        assert report.added == 3
        assert list(store.iter_records()) == expected


def _count_documents(url: str) -> int:
    store = Store.open(url)
    try:
        with store.engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM documents")).scalar()
    finally:
        store.close()


def test_ingest_corpus_survives_kill_9_and_a_rerun_stores_each_article_once(db_url, tmp_path):
    total = 60
    write_articles(tmp_path / "in", total)
    command = [sys.executable, "-c", "from onrecord.cli import app; app()", "ingest", str(tmp_path / "in"), "--db", db_url,
               "--batch-size", "2"]
    Store.open(db_url).close()  # the schema exists before the run, so counting can start at once
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    stored_at_kill = 0
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and process.poll() is None:
        stored_at_kill = _count_documents(db_url)
        if stored_at_kill >= 4:
            os.kill(process.pid, signal.SIGKILL)
            break
        time.sleep(0.02)
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL, process.stderr.read().decode()[-2000:]
    assert 0 < stored_at_kill < total, "the ingest must be killed midway"
    after_kill = _count_documents(db_url)
    assert after_kill < total and after_kill % 2 == 0  # whole batches only
    rerun = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    with Store.open(db_url) as store:
        stored = store.list_documents(limit=1000)
        titles = sorted(store.get_record(d.doc_id).document.title for d in stored)
        assert titles == sorted(f"Council debate number {n} on {TOPICS[n % len(TOPICS)]}" for n in range(total))
        assert f"{total - after_kill} new" in rerun.stderr and f"{after_kill} already stored" in rerun.stderr


def test_ingest_corpus_a_record_the_store_refuses_fails_alone(tmp_path):
    from onrecord.store import ingest as ingest_module

    from .store_support import make_record

    good = make_record("good", [("Jane Doe", "said", "The ferry runs at noon")])
    bad = make_record("bad", [("John Roe", "said", "Fees rise"), ("Ann Poe", "said", "Fees fall")])
    bad.entities[1].id = "e1"  # two entities with one id break a unique constraint
    with Store.open(tmp_path / "c.db") as store:
        failed = []
        written = ingest_module._write(store, [good, bad], failed, [], False)
        assert written.added == 1 and [name for name, _ in failed] == [bad.document.source]
        assert store.stats().documents == 1 and store.stats().failures == 1
        assert store.failures()[0]["code"] == "E109"
