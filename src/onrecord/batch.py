"""Run the pipeline over many inputs: a bad article is reported and skipped, the batch goes on."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from onrecord.errors import InputError
from onrecord.ingest.sources import InputItem, read_inputs
from onrecord.model import Record
from onrecord.settings import Settings

# Articles are analysed in chunks of this many so that output order follows input order
# while nlp.pipe still batches (see analyse.pipeline._BATCH_SIZE).
_CHUNK = 32


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
    from onrecord.analyse.pipeline import Analyzer

    analyzer = Analyzer(settings)
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


def _run_chunk(analyzer, chunk, report, on_record, on_error, advance) -> None:
    records = iter(analyzer.analyze_many(item.article for item in chunk if item.article is not None))
    for item in chunk:
        if item.error is not None:
            report.failed += 1
            report.failures.append((item.name, item.error))
            on_error(item.name, item.error)
        else:
            on_record(next(records))
            report.analysed += 1
        advance(item.name)


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
