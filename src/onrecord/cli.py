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


@app.command()
def analyze(
    paths: Annotated[list[str], typer.Argument(help="Files, folders (recursive) or '-' for standard input.")],
    json_output: Annotated[bool, typer.Option("--json", help="Print records as JSON (JSON Lines for several).")] = False,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Write the output to FILE instead of stdout.")] = None,
    max_bytes: Annotated[int, typer.Option(help="Refuse inputs larger than this many bytes.")] = DEFAULT.max_bytes,
    anchor: Annotated[list[str], typer.Option(help="A named time anchor, e.g. --anchor 'the invasion=2022-02-24'.")] = [],
    disable: Annotated[list[str], typer.Option(help="Switch off a pipeline component by name.")] = [],
) -> None:
    """Analyse articles and print their records.

    Each input that cannot be read is reported on one line naming it and the reason; the rest of
    the batch goes on, and the exit status is 1 if any input failed.
    """
    from onrecord.batch import analyse_inputs
    from onrecord.render import render_summary

    settings = Settings(max_bytes=max_bytes, anchors=parse_anchors(anchor), disable=frozenset(disable))
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
    err.print(f"onrecord: serving {store.url} on http://{host}:{port}/ "
              f"({'analysis allowed with the token' if settings.token else 'read-only'})", soft_wrap=True)
    uvicorn.run(create_app(StoreCorpus(store), settings), host=host, port=port, log_level="warning")


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
    from onrecord.evaluate import print_metrics
    from onrecord.evaluate.extraction import evaluate_extraction

    if half not in (None, "first", "second"):
        fail(f"--half expects 'first' or 'second', got {half!r}")
    try:
        metrics = evaluate_extraction(path, half=half, limit=limit)
    except OnrecordError as error:
        fail(f"{path}: {error.message} [{error.code}]")
    print_metrics(metrics, json_output, "HTML body extraction (onrecord vs trafilatura)")


@eval_app.command("attribution")
def eval_attribution(
    path: Annotated[Path, typer.Argument(help="A PolNeAR-layout folder (text/*.txt, attributions/*.ann), "
                                               "e.g. ../shared/data/polnear/dev.")],
    json_output: Annotated[bool, typer.Option("--json", help="Print the metrics as one JSON object.")] = False,
    limit: Annotated[Optional[int], typer.Option(help="Score only the first N articles (by name).")] = None,
) -> None:
    """Attribution against brat standoff: content P/R/F1 (exact and token-overlap), cue F1 and
    speaker accuracy, overall and per outlet. The matching rules are printed with the metrics."""
    from onrecord.evaluate import print_metrics
    from onrecord.evaluate.attribution import evaluate_attribution

    try:
        metrics = evaluate_attribution(path, limit=limit)
    except OnrecordError as error:
        fail(f"{path}: {error.message} [{error.code}]")
    print_metrics(metrics, json_output, "attribution (PolNeAR)")


@eval_app.command("gold")
def eval_gold(
    path: Annotated[Path, typer.Argument(help="A reference reading, e.g. ../shared/gold/belarus-iskander.json.")],
    json_output: Annotated[bool, typer.Option("--json", help="Print the results as one JSON object.")] = False,
) -> None:
    """Check one article's record against a hand-made reading: every required attribution found
    with the right speaker entity, and each source line's chain. Exit status 1 if a required item fails."""
    from onrecord.evaluate import print_metrics
    from onrecord.evaluate.gold import evaluate_gold

    try:
        results = evaluate_gold(path)
    except OnrecordError as error:
        fail(f"{path}: {error.message} [{error.code}]")
    print_metrics(results, json_output, f"reference reading {path.name}")
    if not results["all_required_passed"]:
        raise typer.Exit(1)


def main() -> None:
    app()
