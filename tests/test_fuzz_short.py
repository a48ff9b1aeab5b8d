"""A short run of each atheris harness in CI (the long runs' results are in the README): the
harnesses keep working, and a few thousand mutated inputs find no crash."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _fuzz(harness: str, tmp_path: Path, *options: str) -> str:
    found = tmp_path / "found"
    found.mkdir()
    result = subprocess.run(
        [sys.executable, str(ROOT / "fuzz" / harness), *options, "-rss_limit_mb=2048", str(found),
         str(ROOT / "fuzz" / "corpus")],
        capture_output=True, text=True, timeout=600, cwd=tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    assert not list(tmp_path.glob("crash-*")), output[-3000:]
    return output


def test_fuzz_short_ingestion_run_finds_no_crash(tmp_path):
    output = _fuzz("fuzz_ingest.py", tmp_path, "-runs=5000", "-max_len=4096", "-timeout=10", "-seed=1")
    assert "Done 5000 runs" in output


@pytest.mark.model
def test_fuzz_short_analysis_run_finds_no_crash(tmp_path):
    output = _fuzz("fuzz_analyse.py", tmp_path, "-runs=150", "-max_len=1024", "-timeout=60", "-seed=1")
    assert "Done 150 runs" in output
