"""A short load test: `onrecord serve` answers every request from another process while
`onrecord ingest` writes to the same SQLite store (bench/load.py runs the long version)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench" / "load.py"


@pytest.fixture(scope="module")
def load():
    spec = importlib.util.spec_from_file_location("onrecord_bench_load", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.model
def test_load_server_answers_everything_while_an_ingest_writes_to_the_same_sqlite_store(load, tmp_path):
    db = str(tmp_path / "load.db")
    assert load.prefill_synthetic(db, 40) == 40  # records as analysis makes them, without the model
    # Enough batches that several land after the first one is seen (the wait polls every 0.2 s, and
    # with 6 articles all three batches were once stored within one poll on a fast run).
    articles = 16
    more = load.write_articles(tmp_path / "more", articles, seed=8)
    # The busy phase is bounded by time only: it ends when the ingest does.
    result = load.run_load(db, "sqlite", tmp_path, ingest_folder=more, requests=100, busy_requests=10_000,
                           seconds=120, concurrency=3, batch_size=2, ingest_timeout_s=120)
    report = load.report(result)
    assert result.errors == 0, report
    assert result.quiet.requests >= 100 and result.busy.requests >= 20, report
    assert result.ingest_exit == 0, result.ingest.log.read_text()
    assert result.ingest.documents_after - result.ingest.documents_before == articles, report
    # Batches were stored while requests were being answered, and the phase ended with the ingest.
    assert result.written_during_busy >= 2, report
    assert result.busy.seconds < 120, report
    assert set(result.busy.timings) == set(result.quiet.timings) and len(result.quiet.timings) == 20


def test_load_percentiles_pick_the_nearest_rank(load):
    samples = [n / 1000 for n in range(1, 101)]  # 1..100 ms
    assert (load.percentile_ms(samples, 0.5), load.percentile_ms(samples, 0.95)) == pytest.approx((51, 95))
    assert load.percentile_ms([0.007], 0.95) == pytest.approx(7)
