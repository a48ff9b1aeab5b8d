"""Load test of the web server while an ingest writes to the same store, side by side in one run.

    python bench/load.py                                   # SQLite, then PostgreSQL if it answers
    python bench/load.py --requests 1200 --seconds 60 --concurrency 4 --ingest-articles 300
    python bench/load.py --postgres ""                     # SQLite only

For each database: a temporary store is pre-filled with analysed articles (analysed in this
process); `onrecord serve` starts in a subprocess on 127.0.0.1 on a free port; this process sends
a bounded number of requests (and for a bounded time) from a few threads, round-robin over the
API's endpoints and the pages, first with nothing else running, then while `onrecord ingest`
writes more articles into the same store from a third process. It prints requests, errors (any
answer but 200, timeouts, refused connections, "database is locked" in the server's log) and
p50/p95/max per endpoint for both phases. Not a test (tests/test_load.py runs a short version):
latencies depend on what else runs on the machine.
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
POSTGRES_URL = os.environ.get("ONRECORD_TEST_POSTGRES",
                              "postgresql+psycopg://onrecord:onrecord@127.0.0.1:5432/onrecord_test")
# A database of the load test's own, next to the one the tests reset (as bench/store.py does).
LOAD_DATABASE = "onrecord_load"
# Words the articles of bench/store.py use, so that search finds something.
SEARCH_WORDS = ["council", "million", "tram extension", "residents", "harbour", "consulted"]
# Lines in the server's log that mean a request failed inside it, whatever the client saw.
SERVER_FAILURES = ("Traceback", "database is locked", "Exception in ASGI application")
# Every request gets this long before it counts as an error: the slowest page on the example
# corpus answers in ~0.2 s, so 10 s means the server is stuck, not slow.
REQUEST_TIMEOUT_S = 10.0


def _bench_store():
    """bench/store.py (the article generator), loaded by path: bench/ is not a package."""
    spec = importlib.util.spec_from_file_location("onrecord_bench_store", HERE / "store.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def write_articles(folder: Path, count: int, seed: int) -> Path:
    return _bench_store().write_articles(folder, count, seed=seed)


def onrecord_command(*args: str) -> list[str]:
    """The `onrecord` command line, run by this interpreter (the virtual environment's)."""
    return [sys.executable, "-c", "from onrecord.cli import main; main()", *args]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def document_count(db: str) -> int:
    from onrecord.store import Store

    with Store.open(db, migrate_schema=False) as store:
        return store.stats().documents


def prefill(db: str, folder: Path) -> int:
    """Analyse and store the articles under `folder` in this process; returns how many were added."""
    from onrecord.settings import DEFAULT
    from onrecord.store import Store
    from onrecord.store.ingest import ingest

    with Store.open(db) as store:
        return ingest([str(folder)], store, DEFAULT).added


def prefill_synthetic(db: str, count: int) -> int:
    """Store `count` synthetic records (bench/store.py's, no analysis): a quick pre-fill for tests."""
    from onrecord.store import Store

    with Store.open(db) as store:
        _bench_store().fill_store(store, count)
        return store.stats().documents


def reset_postgres(url: str) -> str:
    """A fresh, empty database `LOAD_DATABASE` on the server of `url`; returns its URL."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    server = make_url(url)
    engine = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{LOAD_DATABASE}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{LOAD_DATABASE}"'))
    engine.dispose()
    return server.set(database=LOAD_DATABASE).render_as_string(hide_password=False)


def postgres_answers(url: str) -> str | None:
    """None when the server of `url` takes connections, else why not."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    try:
        engine = create_engine(make_url(url).set(database="postgres"), connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as error:  # noqa: BLE001 - any failure means: skip PostgreSQL, say why
        return f"{type(error).__name__}: {str(error).splitlines()[0]}"


class Server:
    """`onrecord serve` in a subprocess on a free loopback port; its log goes to a file."""

    def __init__(self, db: str, log: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        with log.open("wb") as out:
            self.process = subprocess.Popen(onrecord_command("serve", "--db", db, "--port", str(self.port)),
                                            stdout=out, stderr=subprocess.STDOUT)

    def wait_ready(self, timeout_s: float = 60.0) -> None:
        import httpx

        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server stopped: {self.log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{self.base}/api/stats", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"the server did not answer within {timeout_s:.0f} s")

    def failures_logged(self) -> list[str]:
        return [line for line in self.log.read_text(errors="replace").splitlines()
                if any(marker in line for marker in SERVER_FAILURES)]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def targets(base: str) -> dict[str, list[str]]:
    """Endpoint name -> the paths it is asked for (ids and words drawn from the corpus)."""
    import httpx

    documents = httpx.get(f"{base}/api/documents", params={"limit": 20}, timeout=30).json()["items"]
    entities = httpx.get(f"{base}/api/entities", params={"limit": 20}, timeout=30).json()["items"]
    doc_ids = [document["id"] for document in documents]
    entity_ids = [entity["id"] for entity in entities]
    if not doc_ids or not entity_ids:
        raise RuntimeError("the pre-filled store has no documents or entities to ask for")
    searches = [f"q={word.replace(' ', '+')}" for word in SEARCH_WORDS]
    return {
        "api stats": ["/api/stats"],
        "api documents": ["/api/documents", "/api/documents?offset=20"],
        "api document": [f"/api/documents/{doc_id}" for doc_id in doc_ids],
        "api entities": ["/api/entities"],
        "api entity": [f"/api/entities/{entity_id}" for entity_id in entity_ids],
        "api speakers": ["/api/speakers"],
        "api attributions": ["/api/attributions"],
        "api events": ["/api/events"],
        "api search": [f"/api/search?{query}" for query in searches],
        "api promises": ["/api/promises"],
        "api claims": ["/api/claims"],
        "page index": ["/"],
        "page document": [f"/documents/{doc_id}" for doc_id in doc_ids],
        "page entities": ["/entities"],
        "page entity": [f"/entities/{entity_id}" for entity_id in entity_ids],
        "page speakers": ["/speakers"],
        "page timeline": ["/timeline"],
        "page search": [f"/search?{query}" for query in searches],
        "page promises": ["/promises"],
        "page claims": ["/claims"],
    }


@dataclass
class Phase:
    name: str
    seconds: float = 0.0
    timings: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return sum(len(samples) for samples in self.timings.values()) + len(self.errors)


def fire(base: str, paths: dict[str, list[str]], phase: Phase, max_requests: int, max_seconds: float,
         concurrency: int, until=None, seed: int = 5) -> Phase:
    """Send requests round-robin over the endpoints from `concurrency` threads, each with its own
    keep-alive connection, until `max_requests` are sent, `max_seconds` pass or `until()` is true."""
    import httpx

    order = itertools.cycle(sorted(paths))
    counter, lock = itertools.count(), threading.Lock()
    rng = random.Random(seed)
    started = time.monotonic()
    deadline = started + max_seconds

    def next_request() -> tuple[str, str] | None:
        with lock:
            if next(counter) >= max_requests or time.monotonic() > deadline or (until and until()):
                return None
            endpoint = next(order)
            return endpoint, rng.choice(paths[endpoint])

    def worker() -> None:
        with httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT_S) as client:
            while (request := next_request()) is not None:
                endpoint, path = request
                sent = time.perf_counter()
                try:
                    response = client.get(path)
                except httpx.HTTPError as error:
                    with lock:
                        phase.errors.append(f"{endpoint} {path}: {type(error).__name__}")
                    continue
                seconds = time.perf_counter() - sent
                with lock:
                    if response.status_code != 200 or "database is locked" in response.text:
                        phase.errors.append(f"{endpoint} {path}: HTTP {response.status_code} {response.text[:200]}")
                    else:
                        phase.timings[endpoint].append(seconds)

    threads = [threading.Thread(target=worker, name=f"load-{n}") for n in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    phase.seconds = time.monotonic() - started
    return phase


@dataclass
class IngestRun:
    """`onrecord ingest` in a subprocess; how many documents the store held when it started and
    when it ended, and what it printed."""

    process: subprocess.Popen
    documents_before: int
    log: Path
    started: float = field(default_factory=time.monotonic)
    seconds: float | None = None
    documents_after: int | None = None

    @classmethod
    def start(cls, db: str, folder: Path, log: Path, batch_size: int) -> IngestRun:
        before = document_count(db)
        with log.open("wb") as out:
            process = subprocess.Popen(onrecord_command("ingest", str(folder), "--db", db,
                                                        "--batch-size", str(batch_size)),
                                       stdout=out, stderr=subprocess.STDOUT)
        return cls(process, before, log)

    def wait_writing(self, db: str, timeout_s: float) -> bool:
        """Wait until its first batch is stored (the model loads first); False if it never was."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline and self.process.poll() is None:
            if document_count(db) > self.documents_before:
                return True
            time.sleep(0.2)
        return document_count(db) > self.documents_before

    def finished(self) -> bool:
        return self.process.poll() is not None

    def finish(self, db: str, timeout_s: float) -> int:
        try:
            self.process.wait(timeout_s)
        except subprocess.TimeoutExpired:
            self.process.terminate()
            self.process.wait()
        self.seconds = time.monotonic() - self.started
        self.documents_after = document_count(db)
        return self.process.returncode


@dataclass
class LoadResult:
    backend: str
    documents: int
    quiet: Phase
    busy: Phase
    ingest: IngestRun
    ingest_exit: int
    written_during_busy: int
    server_failures: list[str]

    @property
    def errors(self) -> int:
        return len(self.quiet.errors) + len(self.busy.errors) + len(self.server_failures)


def run_load(db: str, backend: str, workdir: Path, *, ingest_folder: Path,
             requests: int, seconds: float, concurrency: int, batch_size: int = 8,
             busy_requests: int | None = None, ingest_timeout_s: float = 600.0) -> LoadResult:
    """The whole load test on one store (already pre-filled): the quiet phase, then the busy phase,
    which starts once `onrecord ingest` has stored its first batch of `ingest_folder` and ends at
    its bounds (`busy_requests`, by default `requests`, and `seconds`) or when the ingest ends,
    whichever comes first (so every busy request is served while the ingest runs); the ingest is
    then waited for."""
    server = Server(db, workdir / f"serve-{backend}.log")
    try:
        server.wait_ready()
        paths = targets(server.base)
        documents = document_count(db)
        # One request to each endpoint first, uncounted: compiling, caches and the server's
        # in-memory lists are start-up costs, not load.
        fire(server.base, paths, Phase("warm-up"), len(paths), seconds, 1)
        quiet = fire(server.base, paths, Phase("quiet"), requests, seconds, concurrency)
        ingest_run = IngestRun.start(db, ingest_folder, workdir / f"ingest-{backend}.log", batch_size)
        ingest_run.wait_writing(db, timeout_s=120)
        at_start = document_count(db)
        busy = fire(server.base, paths, Phase("while ingesting"), busy_requests or requests, seconds,
                    concurrency, until=ingest_run.finished)
        at_end = document_count(db)
        ingest_exit = ingest_run.finish(db, ingest_timeout_s)
    finally:
        server.stop()
    return LoadResult(backend, documents, quiet, busy, ingest_run, ingest_exit, at_end - at_start,
                      server.failures_logged())


def percentile_ms(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return 1000 * ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def report(result: LoadResult) -> str:
    quiet, busy = result.quiet, result.busy
    lines = [
        f"{result.backend}: {result.documents} analysed articles stored before the run",
        (f"  quiet:           {quiet.requests} requests in {quiet.seconds:.1f} s "
         f"({quiet.requests / quiet.seconds:.0f}/s), {len(quiet.errors)} errors"),
        (f"  while ingesting: {busy.requests} requests in {busy.seconds:.1f} s "
         f"({busy.requests / busy.seconds:.0f}/s), {len(busy.errors)} errors; the ingest stored "
         f"{result.written_during_busy} articles meanwhile, "
         f"{result.ingest.documents_after - result.ingest.documents_before} in all "
         f"(exit {result.ingest_exit}, {result.ingest.seconds:.0f} s with model loading)"),
        f"  server log: {len(result.server_failures)} failures",
        f"  {'endpoint':<17} {'quiet p50 / p95 / max ms':>26}   {'while ingesting p50 / p95 / max ms':>36}",
    ]
    for endpoint in sorted(set(quiet.timings) | set(busy.timings)):
        cells = []
        for phase in (quiet, busy):
            samples = phase.timings.get(endpoint, [])
            cells.append(f"{percentile_ms(samples, .5):7.1f} / {percentile_ms(samples, .95):7.1f} / "
                         f"{1000 * max(samples):7.1f}" if samples else "-")
        lines.append(f"  {endpoint:<17} {cells[0]:>26}   {cells[1]:>36}")
    for phase in (quiet, busy):
        every = [s for samples in phase.timings.values() for s in samples]
        if every:
            lines.append(f"  all endpoints, {phase.name}: p50 {percentile_ms(every, .5):.1f} ms, "
                         f"p95 {percentile_ms(every, .95):.1f} ms, max {1000 * max(every):.1f} ms")
    for error in (quiet.errors + busy.errors + result.server_failures)[:10]:
        lines.append(f"  error: {error}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--prefill-articles", type=int, default=60, help="analysed articles stored first")
    parser.add_argument("--ingest-articles", type=int, default=100, help="articles the concurrent ingest adds")
    parser.add_argument("--batch-size", type=int, default=8, help="articles per ingest transaction")
    parser.add_argument("--requests", type=int, default=1000, help="requests in the quiet phase")
    parser.add_argument("--busy-requests", type=int, default=5000,
                        help="at most this many requests while ingesting (the phase ends with the ingest)")
    parser.add_argument("--seconds", type=float, default=90, help="at most this long per phase")
    parser.add_argument("--concurrency", type=int, default=4, help="client threads sending requests")
    parser.add_argument("--postgres", default=POSTGRES_URL,
                        help=f"a PostgreSQL server URL (its database {LOAD_DATABASE} is dropped and "
                             "created); empty for SQLite only")
    args = parser.parse_args()
    print(f"machine load (1/5/15 min): {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        prefill_folder = write_articles(workdir / "prefill", args.prefill_articles, seed=7)
        ingest_folder = write_articles(workdir / "more", args.ingest_articles, seed=8)
        stores = [("sqlite", str(workdir / "load.db"))]
        if args.postgres:
            problem = postgres_answers(args.postgres)
            if problem:
                print(f"postgresql: skipped, {problem}")
            else:
                stores.append(("postgresql", reset_postgres(args.postgres)))
        for backend, db in stores:
            started = time.perf_counter()
            added = prefill(db, prefill_folder)
            print(f"{backend}: pre-filled {added} articles in {time.perf_counter() - started:.0f} s")
            result = run_load(db, backend, workdir, ingest_folder=ingest_folder,
                              requests=args.requests, busy_requests=args.busy_requests, seconds=args.seconds,
                              concurrency=args.concurrency, batch_size=args.batch_size)
            print(report(result))
            sys.stdout.flush()
    print(f"machine load after (1/5/15 min): {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
