"""The command line. Thin: each command parses options and calls the library."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from onrecord.errors import OnrecordError
from onrecord.settings import DEFAULT, Settings

app = typer.Typer(
    name="onrecord",
    help="Turn news articles into records with provenance: who said what, through whom, how sure.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
eval_app = typer.Typer(help="Measure onrecord against annotated data (precision, recall, F1).",
                       no_args_is_help=True)
app.add_typer(eval_app, name="eval")

err = Console(stderr=True, highlight=False)


EnableOption = Annotated[list[str], typer.Option(
    help="Switch on an optional component by name (onrecord_attribution_tagger: the attribution CRF; "
         "onrecord_attribution_encoder: the MiniLM encoder, needs the encoder extra).")]
DisableOption = Annotated[list[str], typer.Option(
    help="Switch off a pipeline component by name (e.g. onrecord_events, onrecord_speaker_ranker).")]


def fail(message: str, code: int = 1) -> None:
    """One clear line on standard error and an exit status; never a traceback."""
    err.print(f"[bold red]onrecord:[/] {message}", markup=True, soft_wrap=True)
    raise typer.Exit(code)


def parse_anchors(values: list[str]) -> dict[str, str]:
    anchors = {}
    for value in values:
        name, sep, date = value.partition("=")
        if not sep or not name.strip() or not date.strip():
            fail(f"--anchor expects NAME=YYYY-MM-DD, got {value!r}")
        anchors[name.strip().lower()] = date.strip()
    return anchors


def run_evaluation(path: Path, evaluate, title: str, json_output: bool, show=None) -> dict:
    """Run one `onrecord eval` scorer and print its metrics; a dataset it cannot read is one line
    naming the path, and exit status 1."""
    from onrecord.evaluate import print_metrics

    try:
        metrics = evaluate()
    except OnrecordError as error:
        fail(f"{path}: {error.message} [{error.code}]")
    if show is not None:
        show(metrics, json_output)
    else:
        print_metrics(metrics, json_output, title)
    return metrics


@app.command()
def analyze(
    paths: Annotated[list[str], typer.Argument(help="Files, folders (recursive) or '-' for standard input.")],
    json_output: Annotated[bool, typer.Option("--json", help="Print records as JSON (JSON Lines for several).")] = False,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Write the output to FILE instead of stdout.")] = None,
    max_bytes: Annotated[int, typer.Option(help="Refuse inputs larger than this many bytes.")] = DEFAULT.max_bytes,
    anchor: Annotated[list[str], typer.Option(help="A named time anchor, e.g. --anchor 'the invasion=2022-02-24'.")] = [],
    disable: DisableOption = [],
    enable: EnableOption = [],
) -> None:
    """Analyse articles and print their records.

    Each input that cannot be read is reported on one line naming it and the reason; the rest of
    the batch goes on, and the exit status is 1 if any input failed.
    """
    from onrecord.batch import analyse_inputs
    from onrecord.render import render_summary

    settings = Settings(max_bytes=max_bytes, anchors=parse_anchors(anchor), disable=frozenset(disable),
                        enable=frozenset(enable))
    stream = open(out, "w", encoding="utf-8") if out else sys.stdout  # noqa: SIM115
    console = Console(file=stream, highlight=False, soft_wrap=True)
    try:
        report = analyse_inputs(paths, settings, on_error=lambda name, error: err.print(
            f"[red]onrecord:[/] {name}: {error.message} [{error.code}]", soft_wrap=True),
            on_record=lambda record: stream.write(record.to_json() + "\n") if json_output
            else render_summary(record, console), progress_console=err)
    except OnrecordError as error:
        fail(f"{error.message} [{error.code}]", 2)
    finally:
        if out:
            stream.close()
    if report.failed or report.analysed != 1:
        err.print(f"analysed {report.analysed}, failed {report.failed}")
    if report.failed:
        raise typer.Exit(1)


@app.command()
def serve(
    db: Annotated[str, typer.Option(help="The corpus database: a file path or a SQLAlchemy URL "
                                         "(sqlite:///..., postgresql://...).")] = "onrecord.db",
    host: Annotated[str, typer.Option(help="Address to listen on; 127.0.0.1 keeps the server local.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    token: Annotated[Optional[str], typer.Option(
        help="Allow POST /api/analyze and the paste page to whoever sends this token "
             "(default: the ONRECORD_TOKEN environment variable; without one the server is read-only).")] = None,
) -> None:
    """Serve the corpus: article pages with highlighted statements, speakers, a timeline, search,
    promises and claims, and a REST API described at /api/openapi.json."""
    import uvicorn

    from onrecord.serve import create_app
    from onrecord.serve.config import ServeSettings
    from onrecord.serve.store_corpus import StoreCorpus
    from onrecord.store import Store

    try:
        store = Store.open(db)
    except OnrecordError as error:
        fail(f"{error.message} [{error.code}]")
    settings = ServeSettings.from_env(token=token)
    if store.stats().documents == 0:
        err.print(f"onrecord: {store.url} holds no articles yet: add some with 'onrecord ingest PATH --db {db}'",
                  soft_wrap=True)
    err.print(f"onrecord: serving {store.url} on http://{host}:{port}/ "
              f"({'analysis allowed with the token' if settings.token else 'read-only'})", soft_wrap=True)
    corpus = StoreCorpus(store)
    corpus.start_warming()
    uvicorn.run(create_app(corpus, settings), host=host, port=port, log_level="warning")


@app.command()
def schema() -> None:
    """Print the JSON Schema of the record."""
    from onrecord.model import json_schema

    print(json_schema())


@app.command()
def version() -> None:
    """Print onrecord's version and the record's schema version."""
    from onrecord import SCHEMA_VERSION, __version__

    print(f"onrecord {__version__} (record schema {SCHEMA_VERSION})")


@eval_app.command("extraction")
def eval_extraction(
    path: Annotated[Path, typer.Argument(help="A folder laid out like article-extraction-benchmark "
                                               "(html/*.html.gz and ground-truth.json).")],
    json_output: Annotated[bool, typer.Option("--json", help="Print the metrics as one JSON object.")] = False,
    half: Annotated[Optional[str], typer.Option(help="Score only the 'first' or 'second' half of the pages "
                                                     "(sorted by id), to check on pages not tuned on.")] = None,
    limit: Annotated[Optional[int], typer.Option(help="Score only the first N pages.")] = None,
) -> None:
    """HTML body extraction: onrecord and plain trafilatura on the same pages, with the benchmark's
    metric (4-word shingles, precision and recall averaged over pages), their F1s and speeds."""
    from onrecord.evaluate.extraction import evaluate_extraction

    if half not in (None, "first", "second"):
        fail(f"--half expects 'first' or 'second', got {half!r}")
    run_evaluation(path, lambda: evaluate_extraction(path, half=half, limit=limit),
                   "HTML body extraction (onrecord vs trafilatura)", json_output)


@eval_app.command("events")
def eval_events(
    path: Annotated[Path, typer.Argument(help="PLOVER gold records (plover-gsr-dev.json).")],
    json_output: Annotated[bool, typer.Option("--json", help="Print the metrics as one JSON object.")] = False,
) -> None:
    """Event type accuracy, macro F1 over the 16 PLOVER types, and actor/target match."""
    from onrecord.evaluate.events import evaluate_events

    run_evaluation(path, lambda: evaluate_events(path), "events (PLOVER)", json_output)


@eval_app.command("time")
def eval_time(
    path: Annotated[Path, typer.Argument(help="The MEANTIME English folder (meantime-en).")],
    json_output: Annotated[bool, typer.Option("--json", help="Print the metrics as one JSON object.")] = False,
    limit: Annotated[Optional[int], typer.Option(help="Score only the first N articles.")] = None,
) -> None:
    """TIMEX detection F1 and value accuracy against TIMEX3 values (creation time = publication date)."""
    from onrecord.evaluate.time import evaluate_time

    run_evaluation(path, lambda: evaluate_time(path, limit=limit), "time expressions (MEANTIME)", json_output)


@eval_app.command("factuality")
def eval_factuality(
    path: Annotated[Path, typer.Argument(help="The MEANTIME English folder (meantime-en).")],
    json_output: Annotated[bool, typer.Option("--json", help="Print the metrics as one JSON object.")] = False,
    limit: Annotated[Optional[int], typer.Option(help="Score only the first N articles.")] = None,
) -> None:
    """Macro F1 of certainty, polarity and future/non-future on MEANTIME's event mentions."""
    from onrecord.evaluate.factuality import evaluate_factuality

    run_evaluation(path, lambda: evaluate_factuality(path, limit=limit), "event factuality (MEANTIME)", json_output)


@eval_app.command("attribution")
def eval_attribution(
    path: Annotated[Path, typer.Argument(help="A PolNeAR-layout folder (text/*.txt, attributions/*.ann), "
                                               "e.g. ../shared/data/polnear/dev.")],
    json_output: Annotated[bool, typer.Option("--json", help="Print the metrics as one JSON object.")] = False,
    limit: Annotated[Optional[int], typer.Option(help="Score only the first N articles (by name).")] = None,
    enable: EnableOption = [],
    disable: DisableOption = [],
) -> None:
    """Attribution against brat standoff: content P/R/F1 (exact and token-overlap), cue F1 and
    speaker accuracy, overall and per outlet. The matching rules are printed with the metrics."""
    from onrecord.evaluate.attribution import evaluate_attribution

    from onrecord.analyse.pipeline import Analyzer

    analyzer = Analyzer(Settings(enable=frozenset(enable), disable=frozenset(disable))) if enable or disable else None
    run_evaluation(path, lambda: evaluate_attribution(path, analyzer, limit=limit), "attribution (PolNeAR)",
                   json_output)


@eval_app.command("gold")
def eval_gold(
    path: Annotated[Path, typer.Argument(help="A reference reading, e.g. ../shared/gold/belarus-iskander.json.")],
    json_output: Annotated[bool, typer.Option("--json", help="Print the results as one JSON object.")] = False,
    enable: EnableOption = [],
    disable: DisableOption = [],
) -> None:
    """Check one article's record against a hand-made reading: every required attribution found
    with the right speaker entity, and each source line's chain. Exit status 1 if a required item fails."""
    from onrecord.analyse.pipeline import Analyzer
    from onrecord.evaluate.gold import evaluate_gold

    analyzer = Analyzer(Settings(enable=frozenset(enable), disable=frozenset(disable))) if enable or disable else None
    results = run_evaluation(path, lambda: evaluate_gold(path, analyzer), f"reference reading {path.name}",
                             json_output)
    if not results["all_required_passed"]:
        raise typer.Exit(1)


# Training: rebuild the trained models that ship in the package ---------------------------

train_app = typer.Typer(help="Rebuild a trained model that ships in the package from annotated data.",
                        no_args_is_help=True)
app.add_typer(train_app, name="train")


@train_app.command("attribution")
def train_attribution(
    path: Annotated[Path, typer.Argument(help="A PolNeAR-layout folder to train on, e.g. ../shared/data/polnear/train.")],
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Write the model here instead of "
                                                 "the package's data folder.")] = None,
    limit: Annotated[Optional[int], typer.Option(help="Train on the first N articles (by name) only.")] = None,
) -> None:
    """Train the attribution tagger's CRF (content/cue/source spans) on brat standoff. Same folder,
    same model: the parameters and the article order are fixed. Takes a few minutes on one core."""
    from onrecord.train.attribution import train_attribution as train

    try:
        result = train(path, out, limit=limit)
    except OnrecordError as error:
        fail(f"{path}: {error.message} [{error.code}]")
    print(f"trained on {result['articles']} articles ({result['sequences']} paragraphs): "
          f"{result['model']} ({result['bytes']:,} bytes)")


@train_app.command("attribution-encoder")
def train_attribution_encoder(
    path: Annotated[Path, typer.Argument(help="A PolNeAR-layout folder to train on, e.g. ../shared/data/polnear/train.")],
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Write the weights here instead of "
                                                 "the package's data folder.")] = None,
    limit: Annotated[Optional[int], typer.Option(help="Train on the first N articles (by name) only.")] = None,
    epochs: Annotated[int, typer.Option(help="Passes over the training windows.")] = 3,
) -> None:
    """Fine-tune the attribution encoder (MiniLM, the `encoder` extra) on brat standoff; every tenth
    article is held out. Seeds and order are fixed. About an hour on two cores."""
    from onrecord.train.attribution_encoder import train_attribution_encoder as train

    try:
        result = train(path, out, limit=limit, epochs=epochs)
    except OnrecordError as error:
        fail(f"{path}: {error.message} [{error.code}]")
    print(f"trained on {result['articles']} articles ({result['windows']} windows, {result['epochs']} epochs; "
          f"{result['held_out']} held out): {result['weights']} ({result['bytes']:,} bytes)")


@train_app.command("speaker-ranker")
def train_speaker_ranker(
    path: Annotated[Path, typer.Argument(help="A PolNeAR-layout folder to train on, e.g. ../shared/data/polnear/train.")],
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Write the weights here instead of "
                                                 "the package's data folder.")] = None,
    limit: Annotated[Optional[int], typer.Option(help="Train on the first N articles (by name) only.")] = None,
) -> None:
    """Train the speaker ranker (which noun phrase near a cue speaks) on brat standoff; every tenth
    article is held out. Same folder, same weights. About four minutes on two cores, mostly parsing."""
    from onrecord.train.speaker_ranker import train_speaker_ranker as train

    try:
        result = train(path, out, limit=limit)
    except OnrecordError as error:
        fail(f"{path}: {error.message} [{error.code}]")
    print(f"trained on {result['articles']} articles ({result['cases']} attributions, {result['held_out']} "
          f"articles held out): {result['features']} features in {result['weights']} ({result['bytes']:,} bytes)")


# The corpus: ingest into a store, ask it questions, export it -----------------------------

query_app = typer.Typer(help="Ask the corpus store questions (search, speakers, quotes, timelines, "
                             "promises, claims).", no_args_is_help=True)
app.add_typer(query_app, name="query")

DbOption = Annotated[str, typer.Option("--db", help="The corpus database: a file path (SQLite) or a "
                                                     "SQLAlchemy URL such as postgresql://user:pw@host/db.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
LimitOption = Annotated[int, typer.Option(help="At most this many results.")]


def open_store(db: str):
    """The store at `db`, or one clear line and exit status 1."""
    from onrecord.store import Store

    try:
        return Store.open(db)
    except OnrecordError as error:
        fail(f"{error.message} [{error.code}]")


def print_results(results, json_output: bool, columns: list[str], title: str) -> None:
    """Results as a JSON array, or as a table of the named fields."""
    import json

    from rich.table import Table
    from rich.text import Text

    items = [item.model_dump() if hasattr(item, "model_dump") else item for item in results]
    if json_output:
        print(json.dumps(items, ensure_ascii=False, indent=1))
        return
    table = Table(title=f"{title} ({len(items)})", show_lines=False, title_justify="left")
    for column in columns:
        table.add_column(column.replace("_", " "), overflow="fold")
    for item in items:
        table.add_row(*(Text(_cell(item, column)) for column in columns))
    Console(highlight=False).print(table)


def _cell(item: dict, column: str) -> str:
    value = item
    for part in column.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    if isinstance(value, list):
        return " > ".join(" ".join(v) if isinstance(v, list) else str(v) for v in value)
    return "" if value is None else str(value)


def run_query(action):
    """Run a store question; a store error becomes one line and exit status 1."""
    try:
        return action()
    except OnrecordError as error:
        fail(f"{error.message} [{error.code}]")


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files and folders (recursive) of articles.")],
    db: DbOption = "onrecord.db",
    workers: Annotated[int, typer.Option(help="Analyse in this many worker processes.")] = 1,
    reanalyse: Annotated[bool, typer.Option("--reanalyse", help="Analyse again the stored articles that an "
                                                                "older pipeline version analysed.")] = False,
    dask: Annotated[Optional[str], typer.Option("--dask", help="Analyse on the dask.distributed cluster whose "
                                                               "scheduler is at this address.")] = None,
    batch_size: Annotated[int, typer.Option(help="Articles per batch: one transaction each.")] = 32,
    max_bytes: Annotated[int, typer.Option(help="Refuse inputs larger than this many bytes.")] = DEFAULT.max_bytes,
    anchor: Annotated[list[str], typer.Option(help="A named time anchor, e.g. --anchor 'the invasion=2022-02-24'.")] = [],
    disable: DisableOption = [],
    enable: EnableOption = [],
) -> None:
    """Analyse articles and store their records in the corpus database.

    Articles already stored (same content hash) are skipped, so a re-run after a crash resumes.
    Each batch is one transaction. Copies of one article (syndication) are linked. An article
    that cannot be read or analysed is reported, kept in the failures table and skipped; the exit
    status is then 1.
    """
    from onrecord.store.ingest import ingest as ingest_corpus

    if workers < 1 or batch_size < 1:
        fail("--workers and --batch-size must be at least 1")
    settings = Settings(max_bytes=max_bytes, anchors=parse_anchors(anchor), disable=frozenset(disable),
                        enable=frozenset(enable))
    store = open_store(db)
    progress = _IngestProgress(err)
    try:
        with progress:
            report = ingest_corpus(paths, store, settings, workers=workers, batch_size=batch_size,
                                   reanalyse=reanalyse, dask=dask, on_batch=progress.advance,
                                   on_error=lambda name, error: err.print(
                                       f"[red]onrecord:[/] {name}: {error.message} [{error.code}]", soft_wrap=True))
    except OnrecordError as error:
        fail(f"{error.message} [{error.code}]", 2)
    finally:
        store.close()
    err.print(f"stored {report.added} new, {report.replaced} re-analysed, {report.skipped} already stored, "
              f"{report.duplicates} linked as copies, {report.failed} failed; {report.claims} claims "
              f"in {store.url}", soft_wrap=True)
    if report.failed:
        raise typer.Exit(1)


class _IngestProgress:
    """A transient progress bar on a terminal; nothing otherwise."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.bar = None
        self.task = None

    def __enter__(self):
        if self.console.is_terminal:
            from rich.progress import MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self.bar = Progress(SpinnerColumn(), TextColumn("ingesting"), MofNCompleteColumn(), TimeElapsedColumn(),
                                console=self.console, transient=True)
            self.bar.start()
            self.task = self.bar.add_task("ingesting", total=None)
        return self

    def advance(self, count: int) -> None:
        if self.bar is not None:
            self.bar.update(self.task, advance=count)

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.stop()


@app.command()
def stats(db: DbOption = "onrecord.db", json_output: JsonOption = False) -> None:
    """How many documents, entities, attributions, events and failed articles the store holds."""
    store = open_store(db)
    counts = run_query(store.stats)
    store.close()
    if json_output:
        print(counts.model_dump_json(indent=1))
        return
    for name, value in counts.model_dump().items():
        if name == "pipeline_versions":
            for version, number in value.items():
                print(f"{'pipeline ' + version:<28} {number:>10,}")
        else:
            print(f"{name.replace('_', ' '):<28} {value:>10,}")


@app.command("export")
def export_corpus(
    format: Annotated[str, typer.Argument(help="jsonl (records), csv (attributions.csv and events.csv), "
                                               "brat (standoff .txt/.ann and annotation.conf) or "
                                               "claimreview (schema.org JSON-LD, one per line).")],
    db: DbOption = "onrecord.db",
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Output file (jsonl, claimreview; default "
                                                                    "standard output) or folder (csv, brat).")] = None,
) -> None:
    """Export the stored corpus for other tools: annotators, spreadsheets, fact-checkers."""
    from onrecord.store import export

    if format not in export.FORMATS:
        fail(f"unknown export format {format!r}: use one of {', '.join(export.FORMATS)}")
    if format in ("csv", "brat") and out is None:
        fail(f"export {format} writes several files: give a folder with --out")
    store = open_store(db)
    try:
        if format in ("csv", "brat"):
            count = (export.export_csv if format == "csv" else export.export_brat)(store, out)
        else:
            stream = open(out, "w", encoding="utf-8") if out else sys.stdout  # noqa: SIM115
            try:
                count = (export.export_jsonl if format == "jsonl" else export.export_claimreview)(store, stream)
            finally:
                if out:
                    stream.close()
    except OnrecordError as error:
        fail(f"{error.message} [{error.code}]")
    finally:
        store.close()
    err.print(f"exported {count} {'rows' if format == 'csv' else 'items'} as {format}")


@query_app.command("search")
def query_search(
    text: Annotated[str, typer.Argument(help='Words that must all occur; "quoted phrases" allowed.')],
    db: DbOption = "onrecord.db", limit: LimitOption = 20, json_output: JsonOption = False,
) -> None:
    """Full-text search of titles and article texts, best match first."""
    store = open_store(db)
    hits = run_query(lambda: store.search(text, limit=limit))
    print_results(hits, json_output, ["document.doc_id", "document.published", "document.outlet", "snippet"],
                  f"documents matching {text!r}")


@query_app.command("speaker")
def query_speaker(
    name: Annotated[str, typer.Argument(help="A speaker: corpus id (person:jane-doe), full name or surname.")],
    about: Annotated[Optional[str], typer.Option(help="Only statements whose content names this entity.")] = None,
    db: DbOption = "onrecord.db", limit: LimitOption = 100, json_output: JsonOption = False,
) -> None:
    """Everything a speaker said across the corpus, newest first."""
    store = open_store(db)
    statements = run_query(lambda: store.statements_by_speaker(name, about=about, limit=limit))
    print_results(statements, json_output, ["published", "outlet", "speaker", "cue", "content", "factuality"],
                  f"statements by {name}")


@query_app.command("quoted")
def query_quoted(
    entity: Annotated[Optional[str], typer.Option(help="Only links where this corpus id is either side.")] = None,
    db: DbOption = "onrecord.db", limit: LimitOption = 100, json_output: JsonOption = False,
) -> None:
    """Who quoted whom: each step of every source chain, and the outlets that published them."""
    store = open_store(db)
    links = run_query(lambda: store.who_quoted_whom(entity, limit=limit))
    print_results(links, json_output, ["quoter", "quoted", "count"], "who quoted whom")


@query_app.command("entity")
def query_entity(
    name: Annotated[str, typer.Argument(help="A corpus id or a name (a surname finds full names).")],
    db: DbOption = "onrecord.db", json_output: JsonOption = False,
) -> None:
    """The corpus entities a name or id refers to, with counts."""
    store = open_store(db)
    found = run_query(lambda: store.find_entities(name))
    print_results(found, json_output, ["id", "name", "documents", "mentions", "statements", "first_seen",
                                       "last_seen"], f"entities for {name!r}")


@query_app.command("timeline")
def query_timeline(
    name: Annotated[str, typer.Argument(help="A corpus id or a name.")],
    db: DbOption = "onrecord.db", limit: LimitOption = 200, json_output: JsonOption = False,
) -> None:
    """An entity's statements and events, by date."""
    store = open_store(db)

    def timeline():
        from onrecord.errors import EntityNotFound

        found = store.find_entities(name, limit=1)
        if not found:
            raise EntityNotFound(name=name)
        return store.entity_timeline(found[0].id, limit=limit)

    entries = run_query(timeline)
    print_results(entries, json_output, ["date", "kind", "type", "text", "doc_id"], f"timeline of {name}")


@query_app.command("promises")
def query_promises(
    before: Annotated[str, typer.Option(help="Due before this date (YYYY, YYYY-MM or YYYY-MM-DD).")],
    after: Annotated[Optional[str], typer.Option(help="And due on or after this date.")] = None,
    db: DbOption = "onrecord.db", limit: LimitOption = 100, json_output: JsonOption = False,
) -> None:
    """Promised or intended events due before a date, soonest first."""
    store = open_store(db)
    promises = run_query(lambda: store.promises_due(before, after=after, limit=limit))
    print_results(promises, json_output, ["due", "promised_by", "type", "trigger", "doc_id"],
                  f"promises due before {before}")


@query_app.command("claims")
def query_claims(
    min_outlets: Annotated[int, typer.Option(help="Only claims reported by at least this many outlets.")] = 1,
    contradicted: Annotated[bool, typer.Option("--contradicted", help="Only contradicted claims.")] = False,
    db: DbOption = "onrecord.db", limit: LimitOption = 50, json_output: JsonOption = False,
) -> None:
    """Claims ranked by corroboration: the most independent outlets first."""
    store = open_store(db)
    found = run_query(lambda: store.claims(limit=limit, min_outlets=min_outlets, contradicted_only=contradicted))
    print_results(found, json_output, ["id", "outlets", "documents", "speaker", "polarity", "content",
                                       "contradicted_by"], "claims")


@eval_app.command("event-identity")
def eval_event_identity(
    path: Annotated[Path, typer.Argument(help="The MEANTIME English folder (meantime-en).")],
    json_output: Annotated[bool, typer.Option("--json", help="Print the metrics as one JSON object.")] = False,
) -> None:
    """Cross-document event identity: B-cubed precision, recall and F1 of onrecord's event grouping
    against MEANTIME's cross-document event instances."""
    from onrecord.evaluate.event_identity import evaluate_event_identity

    run_evaluation(path, lambda: evaluate_event_identity(path),
                   "cross-document event identity (MEANTIME, B-cubed)", json_output)


@eval_app.command("entities")
def eval_entities(
    path: Annotated[Path, typer.Argument(help="The MEANTIME English folder (meantime-en).")],
    json_output: Annotated[bool, typer.Option("--json", help="Print the metrics as one JSON object.")] = False,
    limit: Annotated[Optional[int], typer.Option(help="Score only the first N articles.")] = None,
    whole_text: Annotated[bool, typer.Option("--whole-text", help="Score mentions in the whole text, not only "
                                             "the sentences MEANTIME annotates in full.")] = False,
) -> None:
    """Entity mentions (P/R/F1 by type), within-article clustering (B3, MUC) and cross-article
    identity (B3), onrecord beside bare spaCy NER on the same texts in the same run."""
    from onrecord.evaluate.entities import evaluate_entities, print_side_by_side

    scope = "all" if whole_text else "annotated"
    run_evaluation(path, lambda: evaluate_entities(path, limit=limit, scope=scope), "", json_output,
                   show=print_side_by_side)


def main() -> None:
    app()
