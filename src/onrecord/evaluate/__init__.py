"""Evaluation commands: each module scores one part of onrecord against annotated data and returns
a flat dict of metrics (names such as `precision`, `recall`, `f1`, `pages_per_second`)."""

from __future__ import annotations

import json

from rich.console import Console
from rich.table import Table


def print_metrics(metrics: dict, as_json: bool, title: str, console: Console | None = None) -> None:
    """One JSON object for machines, or a table for people. Nested dicts become dotted rows."""
    if as_json:
        print(json.dumps(metrics, indent=None, sort_keys=False))
        return
    console = console or Console(highlight=False)
    table = Table("metric", "value", title=title, title_justify="left")
    for name, value in _flatten(metrics):
        table.add_row(name, f"{value:.3f}" if isinstance(value, float) else str(value))
    console.print(table)


def _flatten(metrics: dict, prefix: str = ""):
    for name, value in metrics.items():
        if isinstance(value, dict):
            yield from _flatten(value, f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}", value


def prf(tp: float, fp: float, fn: float) -> dict[str, float]:
    """Precision, recall and F1 from counts (0 where undefined)."""
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}
