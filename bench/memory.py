"""Memory per process over a long ingest: does any process of `onrecord ingest` grow with the corpus?

    python bench/memory.py                              # 10,000 short articles, 1 then 2 workers
    python bench/memory.py --articles 2000 --workers 2  # one configuration, fewer articles

Writes N synthetic news-like articles (about 60 words each: a quote, a reported statement, names,
organisations, places, an amount, a weekday; made-up words keep them from being near-copies of each
other) as one JSON Lines file, runs `onrecord ingest FILE --workers W` into a new SQLite store in a
subprocess, and every --every articles stored samples the resident memory (RSS) of the ingest
process and of each worker process (/proc, Linux). Short articles keep 10,000 within minutes; the
question is growth per article, which does not depend on article length. Reported per process:
RSS after the first --every articles, at the end, the peak (the kernel's high-water mark), and the
slope over the second half of the run in MiB per 1,000 articles: a leak shows as a steady slope.
With 1 worker the main process analyses; with 2 it only reads, resolves entities and writes.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

# bench/ is on sys.path when a bench runs as a script, not when another module loads it by path.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic_names import FIRST, LAST, ORGS, PLACES  # noqa: E402

WORDS = [f"{a}{b}" for a in ["bar", "cor", "dal", "fen", "gor", "hal", "kir", "lom", "mar", "nor", "pel", "quin",
                             "ros", "sel", "tav", "ul", "ver", "wen", "yor", "zan"]
         for b in ["a", "e", "i", "o", "an", "en", "in", "on", "um", "ist", "ment", "ure", "ade", "ity"]]
KIB = 1024


def short_article(rng: random.Random, number: int) -> dict:
    """One JSON Lines object: about 60 words a news wire might write."""
    def words(count: int) -> str:
        return " ".join(rng.choices(WORDS, k=count))

    def person() -> str:
        return f"{rng.choice(FIRST)} {rng.choice(LAST)}"

    org, place = rng.choice(ORGS), rng.choice(PLACES)
    title = f"{place} {words(3)} (report {number})"
    body = (f'"We will finish the {words(4)} by {rng.choice(["March", "June", "October"])}," {person()}, '
            f"a spokesperson for {org}, said on {rng.choice(['Monday', 'Friday'])}. According to {org}, "
            f"the {words(2)} in {place} will cost {rng.randint(2, 90)} million euros. {person()} told "
            f"reporters that {words(3)} residents had not been consulted about the {words(2)}.")
    return {"id": f"m{number:07d}", "title": title, "text": f"{title}\n\n{body}", "outlet": f"Wire {number % 40}"}


def write_jsonl(path: Path, count: int, seed: int = 13) -> Path:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        for number in range(count):
            out.write(json.dumps(short_article(rng, number)) + "\n")
    return path


def status_kib(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak RSS) of a process, in KiB, from /proc; empty once it has ended."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return {}
    return {line.split(":")[0]: int(line.split()[1]) for line in lines if line.startswith(("VmRSS", "VmHWM"))}


def children(pid: int) -> list[int]:
    """Direct and indirect child processes (the workers and multiprocessing's helpers)."""
    found = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                found.append(int(child))
    except OSError:
        return found
    return found + [grandchild for child in found for grandchild in children(child)]


def stored(db: Path) -> int:
    """Documents committed so far (read-only: the ingest is writing)."""
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as conn:
            return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


@dataclass
class Track:
    """One process's samples: (articles stored, RSS KiB), and its peak."""

    role: str
    samples: list[tuple[int, int]] = field(default_factory=list)
    peak_kib: int = 0

    def slope_mib_per_1000(self) -> float | None:
        """Least-squares slope of RSS over articles, second half of the run, MiB per 1,000 articles."""
        half = [(n, rss) for n, rss in self.samples if n >= self.samples[-1][0] / 2]
        if len(half) < 3 or half[-1][0] == half[0][0]:
            return None
        mean_n = sum(n for n, _ in half) / len(half)
        mean_rss = sum(rss for _, rss in half) / len(half)
        slope = (sum((n - mean_n) * (rss - mean_rss) for n, rss in half)
                 / sum((n - mean_n) ** 2 for n, _ in half))
        return slope * 1000 / KIB


@dataclass
class Run:
    workers: int
    tracks: dict[int, Track]
    seconds: float
    articles: int
    last_line: str


def run(jsonl: Path, workers: int, every: int, batch_size: int, workdir: Path) -> Run:
    db = workdir / f"memory-{workers}.db"
    log = workdir / f"ingest-{workers}.log"
    command = [sys.executable, "-c", "from onrecord.cli import main; main()", "ingest", str(jsonl),
               "--db", str(db), "--workers", str(workers), "--batch-size", str(batch_size)]
    tracks: dict[int, Track] = {}
    started = time.perf_counter()
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        next_mark = every
        while process.poll() is None:
            time.sleep(0.5)
            pids = [process.pid, *children(process.pid)]
            readings = {pid: status_kib(pid) for pid in pids}
            for pid, reading in readings.items():
                if reading:
                    track = tracks.setdefault(pid, Track("main" if pid == process.pid else "worker"))
                    track.peak_kib = max(track.peak_kib, reading.get("VmHWM", 0))
            count = stored(db)
            if count >= next_mark:
                for pid, reading in readings.items():
                    if reading:
                        tracks[pid].samples.append((count, reading["VmRSS"]))
                next_mark = (count // every + 1) * every
    seconds = time.perf_counter() - started
    # Processes that never held much (the resource tracker, a short-lived helper) are not workers.
    tracks = {pid: track for pid, track in tracks.items() if track.peak_kib > 100 * KIB and track.samples}
    said = log.read_text(errors="replace").strip().splitlines() or [""]
    return Run(workers, tracks, seconds, stored(db), said[-1])


def describe(result: Run) -> str:
    plural = "s" if result.workers > 1 else ""
    lines = [(f"{result.workers} worker{plural}: {result.articles:,} articles stored in {result.seconds:.0f} s "
              f"({result.articles / result.seconds:.1f}/s, with model loading); ingest said: {result.last_line}")]
    for pid, track in sorted(result.tracks.items(), key=lambda item: (item[1].role != "main", item[0])):
        first_n, first_rss = track.samples[0]
        last_n, last_rss = track.samples[-1]
        slope = track.slope_mib_per_1000()
        lines.append(f"  {track.role:<6} pid {pid}: RSS {first_rss / KIB:.0f} MiB after {first_n:,} articles, "
                     f"{last_rss / KIB:.0f} MiB after {last_n:,}; peak {track.peak_kib / KIB:.0f} MiB; "
                     f"second-half slope {'n/a' if slope is None else f'{slope:+.1f}'} MiB per 1,000 articles")
        marks = track.samples[:: max(1, len(track.samples) // 8)] + track.samples[-1:]
        lines.append("         " + ", ".join(f"{n:,}: {rss / KIB:.0f}" for n, rss in dict(marks).items()))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker counts to run, in order")
    parser.add_argument("--every", type=int, default=500, help="sample memory every this many stored articles")
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args()
    print(f"machine load (1/5/15 min): {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        jsonl = write_jsonl(workdir / "articles.jsonl", args.articles)
        for workers in args.workers:
            print(describe(run(jsonl, workers, args.every, args.batch_size, workdir)))
            sys.stdout.flush()
    print(f"machine load after (1/5/15 min): {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
