"""Run the pipeline over many inputs: a bad article is reported and skipped, the batch goes on."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from onrecord.errors import InputError
from onrecord.ingest.sources import InputItem, read_inputs
from onrecord.model import Record
from onrecord.settings import DEFAULT, Settings

# Articles are analysed in chunks of this many so that output order follows input order
# while nlp.pipe still batches (see analyse.pipeline._BATCH_SIZE).
_CHUNK = 32
_ANALYZERS: dict[tuple, object] = {}


@dataclass
class BatchReport:
    analysed: int = 0
    failed: int = 0
    failures: list[tuple[str, InputError]] = field(default_factory=list)


def analyse_inputs(
    paths: Iterable[str],
    settings: Settings,
    on_record: Callable[[Record], object],
    on_error: Callable[[str, InputError], object],
    progress_console=None,
) -> BatchReport:
    """Analyse every article under `paths` in a stable order, calling back for each result."""
    analyzer = analyzer_for(settings)
    report = BatchReport()
    items = read_inputs(paths, settings)
    with _progress(progress_console) as advance:
        chunk: list[InputItem] = []
        for item in items:
            chunk.append(item)
            if len(chunk) >= _CHUNK:
                _run_chunk(analyzer, chunk, report, on_record, on_error, advance)
                chunk = []
        _run_chunk(analyzer, chunk, report, on_record, on_error, advance)
    return report


def analyzer_for(settings: Settings):
    """An Analyzer for `settings`, loaded once per process: only the analysis settings matter
    (the input size limit does not), and loading the model is the slow part."""
    from onrecord.analyse.pipeline import Analyzer

    key = _analysis_key(settings)
    if key == _analysis_key(DEFAULT):
        return Analyzer.default()
    if key not in _ANALYZERS:
        _ANALYZERS[key] = Analyzer(settings)
    return _ANALYZERS[key]


def _analysis_key(settings: Settings) -> tuple:
    return (settings.model, settings.disable, tuple(sorted(settings.anchors.items())),
            settings.min_language_confidence)


def _run_chunk(analyzer, chunk, report, on_record, on_error, advance) -> None:
    results = _analyse_chunk(analyzer, [item for item in chunk if item.article is not None])
    for item in chunk:
        outcome = item.error if item.error is not None else results[id(item)]
        if isinstance(outcome, InputError):
            report.failed += 1
            report.failures.append((item.name, outcome))
            on_error(item.name, outcome)
        else:
            on_record(outcome)
            report.analysed += 1
        advance(item.name)


def _analyse_chunk(analyzer, items: list[InputItem]) -> dict[int, Record | InputError]:
    """Records by item, batched; if the batch fails, each article alone, so that the one article
    that breaks an extractor is reported and the others are still analysed."""
    try:
        records = list(analyzer.analyze_many(item.article for item in items))
        return {id(item): record for item, record in zip(items, records, strict=True)}
    except Exception:  # noqa: BLE001 - retried one by one below, where the culprit is named
        pass
    results: dict[int, Record | InputError] = {}
    limit = analyzer.nlp.max_length
    for item in items:
        if len(item.article.text) > limit:  # spaCy refuses longer texts (memory): say so plainly
            results[id(item)] = InputError(f"too long to analyse: {len(item.article.text):,} characters of "
                                           f"clean text, the model takes at most {limit:,}")
            continue
        try:
            results[id(item)] = analyzer.analyze(item.article)
        except Exception as error:  # noqa: BLE001 - one article must not end the batch
            results[id(item)] = InputError(f"analysis failed ({type(error).__name__}: {error})")
    return results


class _progress:
    """A transient progress bar on the console (standard error), or nothing without one."""

    def __init__(self, console) -> None:
        self.console = console
        self.bar = None

    def __enter__(self):
        if self.console is None or not self.console.is_terminal:
            return lambda name: None
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                            TimeElapsedColumn(), console=self.console, transient=True)
        self.bar.start()
        task = self.bar.add_task("analysing", total=None)
        return lambda name: self.bar.update(task, advance=1, description=name[-40:])

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.stop()
