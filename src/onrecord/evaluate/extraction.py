"""Score HTML body extraction on the layout of scrapinghub's article-extraction-benchmark.

The folder holds `html/<id>.html.gz` (gzip, UTF-8) and `ground-truth.json` mapping each id to
`{"articleBody": ...}`. The metric is the benchmark's own (its evaluate.py): `\\w+` tokens, 4-word
shingles with counts; per page TP/FP/FN normalised to sum 1; precision and recall averaged over
pages; F1 the harmonic mean of the two averages.

onrecord's extraction and plain `trafilatura.extract(html)` run on the same pages in the same run,
interleaved page by page so that a busy machine slows both alike.
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from onrecord.errors import InputError, MalformedInput, MissingPath

_TOKEN = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)
SHINGLE_SIZE = 4

Extractor = Callable[[str], str | None]


@dataclass
class Page:
    id: str
    html: str
    truth: str


def load_benchmark(folder: Path, half: str | None = None) -> list[Page]:
    """Pages sorted by id. `half` = "first" or "second" keeps one half of the ids, so that a rule
    can be checked on pages it was not tuned on."""
    truth_file, html_folder = folder / "ground-truth.json", folder / "html"
    if not truth_file.is_file() or not html_folder.is_dir():
        raise MissingPath() if not folder.exists() else MalformedInput(
            f"{folder} lacks ground-truth.json or html/ (the article-extraction-benchmark layout)")
    truth = json.loads(truth_file.read_text("utf-8"))
    pages = []
    for path in sorted(html_folder.glob("*.html.gz")):
        page_id = path.name.split(".")[0]
        if page_id in truth:
            with gzip.open(path, "rt", encoding="utf-8") as stream:
                pages.append(Page(page_id, stream.read(), truth[page_id].get("articleBody") or ""))
    if half == "first":
        pages = pages[: len(pages) // 2]
    elif half == "second":
        pages = pages[len(pages) // 2:]
    return pages


def _shingles(text: str) -> Counter:
    tokens = _TOKEN.findall(text or "")
    # Like the benchmark: a text shorter than a shingle is one short shingle; no tokens, none.
    return Counter(tuple(tokens[i:i + SHINGLE_SIZE]) for i in range(max(1, len(tokens) - SHINGLE_SIZE + 1))
                   if tokens[i:i + SHINGLE_SIZE])


def shingle_match(truth: str, prediction: str | None) -> tuple[float, float, float]:
    """TP, FP, FN of one page over shingles, normalised to sum 1 (all 0 when both are empty)."""
    true, predicted = _shingles(truth), _shingles(prediction or "")
    tp = sum((true & predicted).values())
    fp = sum((predicted - true).values())
    fn = sum((true - predicted).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fn)


def metrics_from_counts(counts: list[tuple[float, float, float]]) -> dict[str, float]:
    """Averaged precision and recall (pages with nothing predicted, or nothing true, are left out of
    that average, as the benchmark does) and their harmonic mean."""
    precisions = [_precision(*c) for c in counts if c[0] + c[1] > 0]
    recalls = [_recall(*c) for c in counts if c[0] + c[2] > 0]
    precision = statistics.mean(precisions) if precisions else 0.0
    recall = statistics.mean(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def onrecord_body(html: str) -> str | None:
    """onrecord's extraction as the analysis sees it: the article text without the title that
    ingestion puts first (the benchmark's truth has no title). Includes the metadata work."""
    from onrecord.ingest.html import parse_html

    try:
        article = parse_html(html)
    except InputError:
        return None
    return article.body


def trafilatura_body(html: str) -> str | None:
    """Plain trafilatura with default options but comments off, exactly as the benchmark's own runner
    calls it (comments are not article body; with them trafilatura scores lower here)."""
    import trafilatura

    return trafilatura.extract(html, include_comments=False)


def evaluate_extraction(folder: Path, half: str | None = None, limit: int | None = None,
                        extractors: dict[str, Extractor] | None = None) -> dict:
    """Metrics of onrecord and of plain trafilatura on the same pages, with speeds and their ratios."""
    pages = load_benchmark(folder, half)[:limit]
    if not pages:
        raise MalformedInput(f"no scorable pages under {folder}")
    extractors = extractors or {"onrecord": onrecord_body, "trafilatura": trafilatura_body}
    counts, seconds = _run(pages, extractors)
    results = {name: {**metrics_from_counts(counts[name]), "pages_per_second": len(pages) / seconds[name]}
               for name in extractors}
    ours, theirs = results.get("onrecord"), results.get("trafilatura")
    metrics: dict = {"pages": len(pages)}
    if ours:
        metrics.update(ours)
    if ours and theirs:
        metrics["trafilatura"] = theirs
        metrics["f1_difference"] = ours["f1"] - theirs["f1"]
        metrics["speed_ratio"] = ours["pages_per_second"] / theirs["pages_per_second"]
    else:
        metrics.update(results)
    return metrics


def _run(pages: Iterable[Page], extractors: dict[str, Extractor]):
    counts: dict[str, list] = {name: [] for name in extractors}
    seconds = dict.fromkeys(extractors, 0.0)
    names = list(extractors)
    for extractor in extractors.values():  # imports and caches warm up outside the clock
        extractor("<html><body><p>warm up</p></body></html>")
    for number, page in enumerate(pages):
        # Alternate who goes first so that neither always meets a cold cache.
        for name in names if number % 2 == 0 else reversed(names):
            start = time.perf_counter()
            prediction = extractors[name](page.html)
            seconds[name] += time.perf_counter() - start
            counts[name].append(shingle_match(page.truth, prediction))
    return counts, seconds
