"""Benchmarks of the corpus store and the ingest job. Prints ratios against the goals of issue 6.

    python bench/store.py                       # everything, default sizes
    python bench/store.py --articles 400 --store-size 100000 --skip-postgres

1. ingest throughput with 2 worker processes vs 1 (goal >= 1.8x), steady state after model loading;
2. store overhead: ingest with 1 worker vs analysis alone on the same articles (goal <= 10%);
3. p95 latency of full-text search, of speaker and entity queries, and of the web pages' lists
   (entities, speakers, statements, events: first page and pages up to the deepest offset the API
   allows; entity profiles, also of one speaker quoted in a third of all articles) on a synthetic
   store of --store-size articles (goal <= 100 ms), SQLite and PostgreSQL; and the time to store
   a batch of 16 articles into it, with and without keeping the corpus entities' counters;
4. peak memory (RSS) per worker process during the 2-worker ingest, and whether it stays flat.
Not a test: numbers depend on the machine and on what else runs on it.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from onrecord.model import (
    Attribution,
    Content,
    DocumentInfo,
    Entity,
    Event,
    Mention,
    Offsets,
    Record,
    Span,
    SpeakerSpan,
    TimeExpression,
    TimeRef,
)
from onrecord.settings import DEFAULT
from onrecord.store import Store
from onrecord.store.ingest import ingest

# bench/ is on sys.path when a bench runs as a script, not when another module loads it by path.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic_names import FIRST, LAST, ORGS, PLACES  # noqa: E402

TOPICS = ["the tram extension", "the school budget", "the water tariff", "the harbour dredging",
          "the hospital wing", "the recycling plan", "the bridge repairs", "the housing scheme"]
VERBS = ["said", "told reporters", "announced", "warned", "claimed", "added"]


def article_text(rng: random.Random, number: int) -> str:
    """A news-like article of about 250 words: quotes, reported speech, numbers and dates."""
    person = lambda: f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    topic, place = rng.choice(TOPICS), rng.choice(PLACES)
    paragraphs = [f"{place} debates {topic} (report {number})"]
    for _ in range(5):
        speaker, org = person(), rng.choice(ORGS)
        paragraphs.append(
            f'"We will finish {topic} by {rng.choice(["March", "June", "October"])} {rng.randint(2024, 2027)}," '
            f"{speaker}, a spokesperson for {org}, {rng.choice(VERBS)} on {rng.choice(['Monday', 'Friday'])}. "
            f"According to {org}, the work in {place} will cost {rng.randint(2, 90)} million euros, "
            f"and {person()} said that residents had not been consulted. "
            f"{org.capitalize()} met {rng.randint(3, 40)} local groups in {place} last month to discuss {topic}.")
    return "\n\n".join(paragraphs)


def write_articles(folder: Path, count: int, seed: int = 7) -> Path:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        (folder / f"a{number:06d}.txt").write_text(article_text(rng, number), encoding="utf-8")
    return folder


class MemoryWatch:
    """Polls the RSS of this process's children (the workers) and keeps each one's samples."""

    def __init__(self, interval: float = 0.2) -> None:
        import psutil

        self.process, self.interval = psutil.Process(), interval
        self.samples: dict[int, list[int]] = {}
        self.running = False

    def __enter__(self):
        self.running = True
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        return self

    def _run(self) -> None:
        while self.running:
            for child in self.process.children(recursive=True):
                try:
                    self.samples.setdefault(child.pid, []).append(child.memory_info().rss)
                except Exception:  # noqa: BLE001 - a child may end between listing and reading
                    pass
            time.sleep(self.interval)

    def __exit__(self, *exc) -> None:
        self.running = False
        self.thread.join()

    def workers(self) -> list[list[int]]:
        """Samples of the children that ran long enough to be workers (the model is ~200 MB)."""
        return [samples for samples in self.samples.values() if max(samples) > 150 * 2**20]


def timed_ingest(folder: Path, db: Path, workers: int, batch_size: int) -> tuple[float, int, float, float]:
    """(steady articles per second, articles, total seconds, seconds spent analysing): the rate
    counts from the first stored batch, so that loading the model in each worker is left out;
    analysis time is only measured in this process (workers=1)."""
    from onrecord.store import ingest as ingest_module

    analysing = [0.0]
    analyse_batch = ingest_module.analyse_batch

    def timed_analyse_batch(articles, settings):
        started = time.perf_counter()
        try:
            return analyse_batch(articles, settings)
        finally:
            analysing[0] += time.perf_counter() - started

    marks: list[tuple[float, int]] = []
    if workers == 1:  # in this process only: worker processes are sent the function by name
        ingest_module.analyse_batch = timed_analyse_batch
    started = time.perf_counter()
    with Store.open(db) as store:
        report = ingest([str(folder)], store, DEFAULT, workers=workers, batch_size=batch_size,
                        on_batch=lambda n: marks.append((time.perf_counter(), n)), resolve_claims=False)
    total = time.perf_counter() - started
    ingest_module.analyse_batch = analyse_batch
    first_time = marks[0][0]
    later = sum(n for _, n in marks[1:])
    rate = later / (marks[-1][0] - first_time) if len(marks) > 1 else float("nan")
    return rate, report.added, total, analysing[0]


def bench_ingest(articles: int, batch_size: int) -> dict:
    from onrecord.analyse.pipeline import Analyzer
    from onrecord.ingest import read_inputs

    with tempfile.TemporaryDirectory() as tmp:
        folder = write_articles(Path(tmp) / "articles", articles)
        analyzer = Analyzer.default()  # loaded before timing: the in-process path uses it
        started = time.perf_counter()
        # Analysis alone, as `onrecord analyze` does it: read the files, analyse, keep nothing.
        for _ in analyzer.analyze_many(item.article for item in read_inputs([str(folder)], DEFAULT)):
            pass
        analysis_alone = time.perf_counter() - started
        started = time.perf_counter()
        for _ in read_inputs([str(folder)], DEFAULT):
            pass
        reading = time.perf_counter() - started
        one_rate, one_count, one_total, one_analysing = timed_ingest(folder, Path(tmp) / "one.db", 1, batch_size)
        with MemoryWatch() as watch:
            two_rate, two_count, two_total, _ = timed_ingest(folder, Path(tmp) / "two.db", 2, batch_size)
        worker_samples = watch.workers()
    peaks = [max(samples) / 2**20 for samples in worker_samples]
    # Flatness: the worker's RSS in the last quarter of its life against the second quarter.
    growth = [(statistics.mean(s[3 * len(s) // 4:]) - statistics.mean(s[len(s) // 4:len(s) // 2])) / 2**20
              for s in worker_samples if len(s) >= 8]
    return {"articles": articles, "analysis_alone_s": analysis_alone, "ingest_1_worker_s": one_total,
            "ingest_2_workers_s": two_total, "rate_1_worker": one_rate, "rate_2_workers": two_rate,
            "speedup_2_vs_1": two_rate / one_rate, "store_overhead": one_total / analysis_alone - 1,
            # Within the one-worker ingest itself, so that load from other programs between two
            # runs does not count: (everything but reading and analysing) / (reading + analysing).
            "store_overhead_same_run": (one_total - one_analysing - reading) / (one_analysing + reading),
            "stored": (one_count, two_count), "worker_peak_rss_mib": peaks, "worker_rss_growth_mib": growth}


# A synthetic store ----------------------------------------------------------------------------

WORDS = [f"{a}{b}" for a in ["bar", "cor", "dal", "fen", "gor", "hal", "kir", "lom", "mar", "nor", "pel", "quin",
                             "ros", "sel", "tav", "ul", "ver", "wen", "yor", "zan"]
         for b in ["a", "e", "i", "o", "u", "an", "en", "in", "on", "um", "ist", "ment", "ure", "ade", "ity",
                   "ard", "ix", "el", "or", "ine"]]  # 400 made-up words, drawn with a Zipf-like skew


# Quoted first in every HOT_EVERY-th article: the much-quoted speaker whose profile and
# counters are the costly ones (a head of state in a national corpus).
HOT_SPEAKER = "Mara Quell"
HOT_EVERY = 3


def synthetic_record(rng: random.Random, number: int, people: list[str]) -> Record:
    words = rng.choices(WORDS, weights=[1 / (rank + 1) for rank in range(len(WORDS))], k=120)
    speakers = rng.sample(people, 2)
    if number % HOT_EVERY == 0:
        speakers[0] = HOT_SPEAKER
    quote = " ".join(words[:12])
    head = f"{speakers[0]} said \"{quote}\". {speakers[1]} told reporters {' '.join(words[12:24])}. "
    text = head + " ".join(words[24:]) + f". It happened on 2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}."
    entities = []
    for index, name in enumerate(speakers):
        start = text.index(name)
        entities.append(Entity(id=f"e{index + 1}", type="PERSON", name=name,
                               mentions=[Mention(start=start, end=start + len(name), text=name)]))
    q_start = text.index(quote)
    s2 = text.index(speakers[1])
    r_start = text.index(" ".join(words[12:24]), s2)
    attributions = [
        Attribution(id="a1", kind="direct", content=Content(start=q_start, end=q_start + len(quote), text=quote),
                    cue=Span(start=q_start - 6, end=q_start - 2, text="said"),
                    speaker=SpeakerSpan(start=0, end=len(speakers[0]), text=speakers[0], entity="e1"),
                    source_chain=["e1"]),
        Attribution(id="a2", kind="indirect",
                    content=Content(start=r_start, end=r_start + len(" ".join(words[12:24])),
                                    text=" ".join(words[12:24])),
                    speaker=SpeakerSpan(start=s2, end=s2 + len(speakers[1]), text=speakers[1], entity="e2"),
                    source_chain=["e2"])]
    date_start = text.rindex("2024-")
    date = text[date_start:date_start + 10]
    event = Event(id="v1", type="CONSULT", trigger=Span(start=q_start, end=q_start + len(words[0]), text=words[0]),
                  actor=["e1"], target=["e2"], factuality=rng.choice(["asserted", "promised"]),
                  time=TimeRef(text=date, value=date), evidence=Offsets(start=0, end=len(text)))
    return Record(pipeline_version="synthetic", text=text,
                  document=DocumentInfo(id=f"s{number:07d}", title=" ".join(words[:6]),
                                        outlet=f"Outlet {number % 50}", published=date),
                  paragraphs=[Offsets(start=0, end=len(text))], entities=entities, attributions=attributions,
                  events=[event], times=[TimeExpression(start=date_start, end=date_start + 10, text=date,
                                                        type="DATE", value=date)])


def fill_store(store: Store, size: int, batch: int = 2000) -> float:
    rng = random.Random(11)
    people = [f"{first} {last}{suffix}" for first in FIRST for last in LAST for suffix in ("", "son", "ez", "ov")]
    started = time.perf_counter()
    for start in range(0, size, batch):
        store.add_records([synthetic_record(rng, number, people) for number in range(start, min(size, start + batch))])
    return time.perf_counter() - started


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] * 1000


def bench_queries(store: Store, runs: int) -> dict:
    from onrecord.serve.config import DEFAULT_PAGE, MAX_OFFSET
    from onrecord.serve.store_corpus import StoreCorpus

    rng = random.Random(3)
    people = [(first, last) for first in FIRST for last in LAST]
    corpus = StoreCorpus(store)  # what the web pages and the API call
    # A page as the API asks for it (one row more, to know whether a next page exists), at a
    # random offset up to the deepest the API allows.
    page = DEFAULT_PAGE + 1
    deep = lambda: rng.randrange(0, MAX_OFFSET + 1, DEFAULT_PAGE)
    queries = {"search_one_word": lambda: store.search(rng.choice(WORDS[:200]), limit=20),
               "search_two_words": lambda: store.search(" ".join(rng.sample(WORDS[:100], 2)), limit=20),
               "speaker_by_name": lambda: store.statements_by_speaker(" ".join(rng.choice(people)), limit=50),
               "speaker_by_surname": lambda: store.statements_by_speaker(rng.choice(LAST) + "ez", limit=50),
               "entity": lambda: store.entity("person:" + "-".join(rng.choice(people)).lower()),
               "entities_page_1": lambda: corpus.entities(page, 0),
               "entities_page_deep": lambda: corpus.entities(page, deep()),
               "speakers_page_1": lambda: corpus.speakers(page, 0),
               "speakers_page_deep": lambda: corpus.speakers(page, deep()),
               "statements_page_1": lambda: corpus.statements(page, 0),
               "statements_page_deep": lambda: corpus.statements(page, deep()),
               "events_page_1": lambda: corpus.events(page, 0),
               "events_page_deep": lambda: corpus.events(page, deep()),
               "entity_profile": lambda: corpus.entity("person:" + "-".join(rng.choice(people)).lower()),
               "entity_profile_hot": lambda: corpus.entity("person:" + "-".join(HOT_SPEAKER.split()).lower())}
    timings: dict[str, list[float]] = {name: [] for name in queries}
    cpu: dict[str, list[float]] = {name: [] for name in queries}
    for _ in range(runs):
        for name, query in queries.items():
            started, started_cpu = time.perf_counter(), time.process_time()
            query()
            timings[name].append(time.perf_counter() - started)
            cpu[name].append(time.process_time() - started_cpu)
    # CPU time of this process: all of SQLite's work, only the client's share for PostgreSQL;
    # unlike wall time it hardly moves when other programs load the machine.
    return {name: (p95(samples), p95(cpu[name])) for name, samples in timings.items()}


def bench_batch_writes(store: Store, batches: int, first_number: int, size: int = 16) -> dict:
    """p95 seconds to store one batch of `size` new articles, with the corpus entities' counters
    kept as always, and with that switched off (the cost of keeping them exact)."""
    from onrecord.store import write

    rng = random.Random(5)
    people = [f"{first} {last}{suffix}" for first in FIRST for last in LAST for suffix in ("", "son", "ez", "ov")]
    number = first_number
    timings: dict[str, list[float]] = {"write_batch_16": [], "write_batch_16_no_counters": []}
    counting = write._count_documents, write._update_display_names
    for _ in range(batches):
        for name, samples in timings.items():
            keep = name == "write_batch_16"
            write._count_documents = counting[0] if keep else (lambda conn, ids, sign: None)
            write._update_display_names = counting[1] if keep else (lambda conn, removed, added: None)
            batch = [synthetic_record(rng, n, people) for n in range(number, number + size)]
            number += size
            started = time.perf_counter()
            store.add_records(batch)
            samples.append(time.perf_counter() - started)
    write._count_documents, write._update_display_names = counting
    return {name: p95(samples) for name, samples in timings.items()}


def _create_database(url: str) -> None:
    """Create the benchmark's PostgreSQL database through the server's default one."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    target = make_url(url)
    engine = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                            {"name": target.database}).scalar():
            conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=200, help="articles for the ingest benchmarks")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--store-size", type=int, default=100_000, help="synthetic articles for query latency")
    parser.add_argument("--runs", type=int, default=200, help="queries of each kind")
    parser.add_argument("--write-batches", type=int, default=20,
                        help="batches of 16 articles stored after the queries, with and without counters")
    parser.add_argument("--postgres", default="postgresql+psycopg://onrecord:onrecord@127.0.0.1:5432/onrecord_bench",
                        help="a database of its own (created if missing): the tests reset onrecord_test")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--skip-ingest", action="store_true")
    args = parser.parse_args()
    if not args.skip_ingest:
        result = bench_ingest(args.articles, args.batch_size)
        print(f"ingest of {result['articles']} articles (batch {args.batch_size}):")
        print(f"  analysis alone {result['analysis_alone_s']:.1f} s; ingest 1 worker {result['ingest_1_worker_s']:.1f} s; "
              f"2 workers {result['ingest_2_workers_s']:.1f} s (with model loading)")
        print(f"  steady rate: 1 worker {result['rate_1_worker']:.1f}/s, 2 workers {result['rate_2_workers']:.1f}/s")
        print(f"  speedup 2 workers vs 1: {result['speedup_2_vs_1']:.2f}x (goal >= 1.8x)")
        print(f"  store overhead vs analysis alone: {100 * result['store_overhead']:+.1f}% across two runs, "
              f"{100 * result['store_overhead_same_run']:+.1f}% within the ingest run (goal <= 10%)")
        print(f"  peak RSS per worker: {', '.join(f'{p:.0f} MiB' for p in result['worker_peak_rss_mib'])} "
              f"(goal <= 1024 MiB); growth over the run: "
              f"{', '.join(f'{g:+.0f} MiB' for g in result['worker_rss_growth_mib'])}")
        sys.stdout.flush()
    targets = ([] if args.skip_sqlite else [("sqlite", None)]) + (
        [] if args.skip_postgres else [("postgresql", args.postgres)])
    for backend, url in targets:
        with tempfile.TemporaryDirectory() as tmp:
            if backend == "postgresql":
                from sqlalchemy import text

                from onrecord.store.core import create_store_engine

                _create_database(url)
                engine = create_store_engine(url)
                with engine.begin() as conn:
                    conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
                    conn.execute(text("CREATE SCHEMA public"))
                engine.dispose()
            with Store.open(url or Path(tmp) / "big.db") as store:
                seconds = fill_store(store, args.store_size)
                if backend == "postgresql":
                    with store.engine.begin() as conn:
                        conn.exec_driver_sql("ANALYZE")
                latencies = bench_queries(store, args.runs)
                writes = bench_batch_writes(store, args.write_batches, args.store_size)
                stats = store.stats()
            print(f"{backend}: {stats.documents:,} synthetic articles stored in {seconds:.0f} s "
                  f"({stats.documents / seconds:.0f}/s); p95 latency over {args.runs} queries each (goal <= 100 ms):")
            for name, (value, cpu_value) in latencies.items():
                print(f"  {name:<20} {value:7.1f} ms   (CPU of this process: p95 {cpu_value:6.1f} ms)")
            print(f"  p95 time to store a batch of 16 articles over {args.write_batches} batches "
                  f"(the last {32 * args.write_batches} articles above):")
            for name, value in writes.items():
                print(f"  {name:<26} {value:7.1f} ms")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
