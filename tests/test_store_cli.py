"""The corpus commands: ingest, query, stats, export, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from onrecord.cli import app

from .store_support import POSTGRES_URL
from .test_ingest_corpus import write_articles
from .test_store import reset_postgres

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, [str(arg) for arg in args])


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "onrecord.db")
    reset_postgres()
    return POSTGRES_URL.replace("postgresql+psycopg://", "postgresql://")


@pytest.mark.model
def test_store_cli_ingest_then_query_a_speaker(analyzer, db, tmp_path):
    write_articles(tmp_path / "in", 4)
    result = run("ingest", tmp_path / "in", "--db", db)
    assert result.exit_code == 0, result.output
    assert "stored 4 new" in result.output
    again = run("ingest", tmp_path / "in", "--db", db)
    assert "stored 0 new" in again.output and "4 already stored" in again.output
    statements = json.loads(run("query", "speaker", "Ana Ferreira", "--db", db, "--json").output)
    assert statements and {s["speaker"] for s in statements} == {"Ana Ferreira"}
    assert any("the ferry timetable" in s["content"] for s in statements)
    stats = json.loads(run("stats", "--db", db, "--json").output)
    assert stats["documents"] == 4 and stats["attributions"] >= 4
    hits = json.loads(run("query", "search", "tram line", "--db", db, "--json").output)
    assert [hit["document"]["title"] for hit in hits] == ["Council debate number 3 on the new tram line"]
    table = run("query", "speaker", "Ferreira", "--db", db)
    assert table.exit_code == 0 and "Ana Ferreira" in table.output


@pytest.mark.model
def test_store_cli_ingest_on_a_dask_scheduler(analyzer, tmp_path):
    from distributed import LocalCluster

    write_articles(tmp_path / "in", 2)
    with LocalCluster(processes=False, n_workers=1, threads_per_worker=1, dashboard_address=None) as cluster:
        result = run("ingest", tmp_path / "in", "--db", tmp_path / "d.db", "--dask", cluster.scheduler_address)
    assert result.exit_code == 0, result.output
    assert "stored 2 new" in result.output


def test_store_cli_reports_failed_inputs_and_exits_1(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_text("", encoding="utf-8")
    result = run("ingest", tmp_path / "in", "--db", tmp_path / "c.db")
    assert result.exit_code == 1
    assert "empty.txt" in result.output and "E101" in result.output
    assert json.loads(run("stats", "--db", tmp_path / "c.db", "--json").output)["failures"] == 1


def test_store_cli_queries_and_exports(tmp_path):
    from onrecord.store import Store

    from .store_support import make_record

    db = tmp_path / "c.db"
    with Store.open(db) as store:
        store.add_records([make_record("d1", [("Jane Doe", "said", "The bridge will reopen in May")],
                                       promise=("Jane Doe", "reopen", "2024-05-31"))])
        store.resolve_claims()
    assert json.loads(run("query", "promises", "--before", "2025", "--db", db, "--json").output)[0]["due"] == "2024-05-31"
    assert json.loads(run("query", "claims", "--db", db, "--json").output)[0]["speaker"] == "Jane Doe"
    assert json.loads(run("query", "quoted", "--db", db, "--json").output)[0]["quoted"] == "Jane Doe"
    assert json.loads(run("query", "timeline", "Doe", "--db", db, "--json").output)[0]["kind"] == "statement"
    assert json.loads(run("query", "entity", "jane doe", "--db", db, "--json").output)[0]["id"] == "person:jane-doe"
    assert run("export", "jsonl", "--db", db, "--out", tmp_path / "r.jsonl").exit_code == 0
    assert json.loads((tmp_path / "r.jsonl").read_text())["document"]["id"] == "d1"
    assert run("export", "csv", "--db", db, "--out", tmp_path / "csv").exit_code == 0
    assert (tmp_path / "csv" / "attributions.csv").read_text().count("\n") == 2
    assert run("export", "brat", "--db", db, "--out", tmp_path / "brat").exit_code == 0
    assert (tmp_path / "brat" / "d1.ann").exists()
    review = run("export", "claimreview", "--db", db)
    assert json.loads(review.stdout.splitlines()[0])["@type"] == "ClaimReview"


@pytest.mark.parametrize("args, message", [
    (["query", "speaker", "Nobody", "--db", "{db}"], "no entity 'Nobody'"),
    (["query", "promises", "--before", "soon", "--db", "{db}"], "dates are YYYY"),
    (["stats", "--db", "mysql://u@h/x"], "SQLite or PostgreSQL"),
    (["stats", "--db", "postgresql://nobody:secret@127.0.0.1:1/x"], "cannot open the database"),
    (["export", "xml", "--db", "{db}"], "unknown export format"),
    (["export", "csv", "--db", "{db}"], "give a folder with --out"),
])
def test_store_cli_user_errors_are_one_line_and_exit_1(tmp_path, args, message):
    result = run(*[arg.replace("{db}", str(tmp_path / "c.db")) for arg in args])
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output
    assert "secret" not in result.output


@pytest.mark.parametrize("command", [["ingest"], ["stats"], ["export"], ["query", "search"], ["query", "speaker"],
                                     ["query", "quoted"], ["query", "entity"], ["query", "timeline"],
                                     ["query", "promises"], ["query", "claims"], ["eval", "event-identity"]])
def test_store_cli_every_corpus_command_has_help(command):
    import click
    import typer.main

    group = typer.main.get_command(app)
    context = click.Context(group)
    target = group
    for name in command:
        target = target.get_command(context, name)
    assert target.help and len(target.help.split()) >= 5  # a sentence, not a stub
    result = run(*command, "--help")
    assert result.exit_code == 0 and target.help.split()[0] in result.output
