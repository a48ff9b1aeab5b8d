"""The corpus ingest job: read articles, analyse the new ones in parallel, store them in batches.

    report = ingest(["articles/"], store, settings, workers=2)

- Idempotent: an article whose content hash is stored is not analysed again; with `reanalyse`,
  stored articles analysed by another pipeline version are analysed and replaced.
- Transactional per batch: each batch (records and failures) is one transaction, so a crash or
  `kill -9` loses at most the batch in flight, doubles nothing, and a re-run resumes.
- A bad article (unreadable input, or the pipeline raising on it) is reported, kept in the
  `failures` table and skipped; the batch goes on.
- Analysis runs in this process (workers=1), in worker processes (workers>1), or on a Dask
  cluster (`dask_address`); the store is written only here, in input order.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from onrecord.errors import AnalysisFailed, InputError
from onrecord.ingest.article import Article
from onrecord.ingest.sources import InputItem, read_inputs
from onrecord.model import Record
from onrecord.settings import Settings
from onrecord.store.core import Store
from onrecord.store.records import article_hash

# Articles per batch: one transaction and one unit of work for a worker. 32 matches the
# pipeline's nlp.pipe batch (analyse.pipeline._BATCH_SIZE); a kill loses at most this many.
BATCH_SIZE = 32
# Batches in flight per worker: enough to keep every worker busy while this process writes,
# few enough that memory stays bounded however large the input is.
IN_FLIGHT_PER_WORKER = 2


@dataclass
class IngestReport:
    read: int = 0
    analysed: int = 0
    added: int = 0
    skipped: int = 0
    replaced: int = 0
    duplicates: int = 0
    failed: int = 0
    claims: int = 0
    failures: list[tuple[str, InputError]] = field(default_factory=list)


# Analysis, wherever it runs ---------------------------------------------------------------

_ANALYZERS: dict[str, object] = {}


def _analyzer(settings: Settings):
    """One Analyzer per process (and per settings): loading the model is the slow part."""
    from onrecord.analyse.pipeline import Analyzer
    from onrecord.settings import DEFAULT

    if settings == DEFAULT:
        return Analyzer.default()  # shared with everything else in this process that analyses
    key = repr(settings)
    if key not in _ANALYZERS:
        _ANALYZERS[key] = Analyzer(settings)
    return _ANALYZERS[key]


def analyse_batch(articles: list[Article], settings: Settings) -> list[tuple[Record | None, str | None]]:
    """(record, None) or (None, reason) per article, in order. A batch the pipeline raises on is
    analysed again one article at a time, so that one bad article does not sink the others."""
    analyzer = _analyzer(settings)
    try:
        return [(record, None) for record in analyzer.analyze_many(articles)]
    except Exception:  # noqa: BLE001 - any pipeline error is one article's failure, found below
        results = []
        for article in articles:
            try:
                results.append((analyzer.analyze(article), None))
            except Exception as error:  # noqa: BLE001
                results.append((None, f"{type(error).__name__}: {error}"))
        return results


def pipeline_version(settings: Settings) -> str:
    return _analyzer(settings).version


def _worker_start(settings: Settings) -> None:
    _analyzer(settings)


class _InProcess:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.slots = 1

    def submit(self, articles):
        result = analyse_batch(articles, self.settings)
        return lambda: result

    def version(self) -> str:
        return pipeline_version(self.settings)

    def close(self) -> None:
        pass


class _ProcessPool:
    """Worker processes, each loading the model once. 'spawn' gives each a clean interpreter."""

    def __init__(self, settings: Settings, workers: int) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        self.settings = settings
        self.slots = workers * IN_FLIGHT_PER_WORKER
        self.pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=_worker_start, initargs=(settings,))

    def submit(self, articles):
        return self.pool.submit(analyse_batch, articles, self.settings).result

    def version(self) -> str:
        return self.pool.submit(pipeline_version, self.settings).result()

    def close(self) -> None:
        self.pool.shutdown(cancel_futures=True)


class _Dask:
    """Analysis on a dask.distributed cluster: a scheduler address, or a Client given directly."""

    def __init__(self, settings: Settings, cluster) -> None:
        from distributed import Client

        self.settings = settings
        self.own_client = not isinstance(cluster, Client)
        self.client = Client(cluster) if self.own_client else cluster
        workers = max(1, len(self.client.scheduler_info().get("workers", {})))
        self.slots = workers * IN_FLIGHT_PER_WORKER

    def submit(self, articles):
        # pure=False: the same articles submitted again (a re-run) must be analysed, not cached.
        return self.client.submit(analyse_batch, articles, self.settings, pure=False).result

    def version(self) -> str:
        return self.client.submit(pipeline_version, self.settings, pure=False).result()

    def close(self) -> None:
        if self.own_client:
            self.client.close()


def _executor(settings: Settings, workers: int, dask):
    if dask is not None:
        return _Dask(settings, dask)
    if workers > 1:
        return _ProcessPool(settings, workers)
    return _InProcess(settings)


# The job ----------------------------------------------------------------------------------

@dataclass
class _Batch:
    items: list[InputItem]
    to_analyse: list[InputItem]
    stored: list[InputItem]  # already stored: nothing to do but clear old failures
    result: Callable | None = None


def _batches(items: Iterable[InputItem], size: int) -> Iterator[list[InputItem]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def entity_resolver(store: Store):
    """The cross-article entity resolver (onrecord.resolve.entities), warmed up with the entities
    already stored, in storage order, so that ids stay the same whether a corpus is ingested in
    one run or several; None when that module is not available."""
    try:
        from onrecord.resolve.entities import EntityResolver
    except ImportError:
        return None
    resolver = EntityResolver()
    for document_entities in store.iter_entities():
        resolver.add_entities(document_entities, assign=False)
    return resolver


def ingest(paths: Iterable[str], store: Store, settings: Settings, workers: int = 1,
           batch_size: int = BATCH_SIZE, reanalyse: bool = False, dask=None,
           on_error: Callable[[str, InputError], object] | None = None,
           on_batch: Callable[[int], object] | None = None, resolve_claims: bool = True,
           resolve_entities: bool = True) -> IngestReport:
    """Analyse and store every article under `paths`; see the module docstring for guarantees.
    `on_error(name, error)` hears of each failed article, `on_batch(n)` of each stored batch.
    With `resolve_entities`, the cross-article resolver sets each entity's `corpus_id` before
    the record is stored (here, in input order, so parallel analysis gives the same ids)."""
    report = IngestReport()
    resolver = entity_resolver(store) if resolve_entities else None
    executor = _executor(settings, workers, dask)
    try:
        current = executor.version() if reanalyse else None
        pending: deque[_Batch] = deque()
        for chunk in _batches(read_inputs(paths, settings), batch_size):
            batch = _plan(chunk, store, current)
            if batch.to_analyse:
                batch.result = executor.submit([item.article for item in batch.to_analyse])
            pending.append(batch)
            while len(pending) > executor.slots:
                _finish(pending.popleft(), store, reanalyse, report, on_error, on_batch, resolver)
        while pending:
            _finish(pending.popleft(), store, reanalyse, report, on_error, on_batch, resolver)
    finally:
        executor.close()
    if resolve_claims:
        report.claims = store.resolve_claims()
    return report


def _plan(chunk: list[InputItem], store: Store, current_version: str | None) -> _Batch:
    """Which articles of a chunk need analysis: not stored yet, or (when re-analysing) stored
    by another pipeline version."""
    articles = [item for item in chunk if item.article is not None]
    stored = store.stored_versions(article_hash(item.article) for item in articles)
    to_analyse, already = [], []
    for item in articles:
        digest = article_hash(item.article)
        needed = digest not in stored or (current_version is not None and stored[digest] != current_version)
        (to_analyse if needed else already).append(item)
    return _Batch(items=chunk, to_analyse=to_analyse, stored=already)


def _finish(batch: _Batch, store: Store, reanalyse: bool, report: IngestReport, on_error, on_batch,
            resolver=None) -> None:
    failed: list[tuple[str, InputError]] = [(item.name, item.error) for item in batch.items if item.error]
    records, succeeded = [], [item.name for item in batch.stored]
    outcomes = batch.result() if batch.result else []
    for item, (record, reason) in zip(batch.to_analyse, outcomes):
        if record is None:
            failed.append((item.name, AnalysisFailed(reason)))
        else:
            if resolver is not None:
                resolver.add(record)
            records.append(record)
            succeeded.append(item.name)
    written = _write(store, records, failed, succeeded, reanalyse)
    report.read += len(batch.items)
    report.analysed += len(records)
    report.added += written.added
    report.replaced += written.replaced
    report.skipped += written.skipped + len(batch.stored)
    report.duplicates += written.duplicates
    report.failed += len(failed)
    report.failures.extend(failed)
    for name, error in failed:
        if on_error is not None:
            on_error(name, error)
    if on_batch is not None:
        on_batch(len(batch.items))


def _write(store: Store, records, failed, succeeded, replace):
    """Write the batch in one transaction; if the database refuses it (a record breaking a
    constraint), write its records one by one so that only the bad ones become failures."""
    from sqlalchemy.exc import DBAPIError

    try:
        return store.write_batch(records, failed, succeeded, replace=replace)
    except DBAPIError:
        pass
    total = store.write_batch([], failed, succeeded, replace=replace)
    for record in records:
        try:
            written = store.write_batch([record], replace=replace)
        except DBAPIError as error:
            failure = (record.document.source or record.document.id,
                       AnalysisFailed(f"the store refused the record ({type(error.orig).__name__})"))
            store.write_batch([], [failure])
            failed.append(failure)
            continue
        for name in ("added", "skipped", "replaced", "duplicates"):
            setattr(total, name, getattr(total, name) + getattr(written, name))
    return total
