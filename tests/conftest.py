"""Shared fixtures. The model is loaded once per session; shared data is found next to the project."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def analyzer():
    from onrecord.analyse.pipeline import Analyzer

    return Analyzer.default()


@pytest.fixture(scope="session")
def nlp(analyzer):
    return analyzer.nlp


@pytest.fixture(scope="session")
def shared() -> Path:
    """The team's shared folder (examples, gold readings, evaluation corpora). CI lays it beside
    the clone; a test that needs it fails loudly when it is missing instead of skipping."""
    assert SHARED.is_dir(), f"the shared folder is expected at {SHARED}"
    return SHARED


def assert_offsets_hold(record) -> None:
    for span in record.spans():
        assert record.text[span.start:span.end] == span.text, span
        assert 0 <= span.start <= span.end <= len(record.text)


# Two small articles with their gold attributions (content, cue, source), for training commands.
TWO_ARTICLES = {
    "a": (("Ferry news\n\nThe harbour master said the ferry would run all winter.\n\n"
           "“We have the crews,” she said."),
          [("the ferry would run all winter", "said", "The harbour master"),
           ("“We have the crews,”", "said", "she")]),
    "b": ("Bridge news\n\nEngineers warned that the bridge needed repairs, the council said.",
          [("the bridge needed repairs", "warned", "Engineers")]),
}


def write_brat_folder(root, articles):
    """A PolNeAR-layout folder of hand-written articles: {name: (text, [(content, cue, source)])}."""
    (root / "text").mkdir(parents=True)
    (root / "attributions").mkdir()
    for name, (text, relations) in articles.items():
        (root / "text" / f"{name}.txt").write_text(text, encoding="utf-8")
        lines, number = [], 0
        for event, roles in enumerate(relations, 1):
            ids = []
            for role, words in zip(("Content", "Cue", "Source"), roles, strict=True):
                number += 1
                start = text.index(words)
                lines.append(f"T{number}\t{role} {start} {start + len(words)}\t{words}")
                ids.append(f"{role}:T{number}")
            lines.append(f"E{event}\tAttribution:T{number} " + " ".join(ids))
        (root / "attributions" / f"{name}_A1.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")
