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
