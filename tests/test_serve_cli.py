"""`onrecord serve` as a user meets it: help text, and a bad database in one line."""

from __future__ import annotations

from typer.testing import CliRunner

from onrecord.cli import app


def test_serve_cli_help_names_every_option():
    result = CliRunner().invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--db", "--host", "--port", "--token", "ONRECORD_TOKEN"):
        assert option in result.output


def test_serve_cli_refuses_an_unusable_database_in_one_line():
    result = CliRunner().invoke(app, ["serve", "--db", "mysql://nobody@nowhere/none"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "SQLite or PostgreSQL" in result.output


def test_serve_cli_builds_the_app_over_the_database(tmp_path, monkeypatch):
    import uvicorn

    started = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: started.update(app=app, **options))
    monkeypatch.delenv("ONRECORD_TOKEN", raising=False)
    result = CliRunner().invoke(
        app, ["serve", "--db", str(tmp_path / "corpus.db"), "--port", "8123", "--token", "s3cret"]
    )
    assert result.exit_code == 0, result.output
    assert "holds no articles yet" in result.output and "analysis allowed" in result.output
    assert (started["host"], started["port"]) == ("127.0.0.1", 8123)
    assert started["app"].state.settings.token == "s3cret"


def test_serve_cli_is_read_only_without_a_token(tmp_path, monkeypatch):
    import uvicorn

    started = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: started.update(app=app))
    monkeypatch.delenv("ONRECORD_TOKEN", raising=False)
    result = CliRunner().invoke(app, ["serve", "--db", str(tmp_path / "corpus.db")])
    assert result.exit_code == 0 and "read-only" in result.output
    assert started["app"].state.settings.token is None
