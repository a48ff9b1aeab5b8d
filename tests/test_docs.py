"""Docs that cannot drift: every command has help text and appears in README.md."""

import re

import typer.main

from onrecord.cli import app
from tests.conftest import ROOT


def _commands(group, prefix=("onrecord",)):
    for name, command in group.commands.items():
        path = (*prefix, name)
        yield path, command
        if hasattr(command, "commands"):
            yield from _commands(command, path)


def test_docs_every_command_has_help_text():
    root = typer.main.get_command(app)
    for path, command in _commands(root):
        assert (command.help or "").strip(), f"{' '.join(path)} has no help text"


def test_docs_every_command_appears_in_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    root = typer.main.get_command(app)
    for path, command in _commands(root):
        if hasattr(command, "commands"):
            continue  # a group is documented through its commands
        pattern = r"\s+".join(re.escape(part) for part in path) + r"\b"
        assert re.search(pattern, readme), f"README.md does not show `{' '.join(path)}`"
