"""Coverage-guided fuzzing of ingestion with atheris: bytes -> decode -> clean text / HTML / feed -> Article.

    pip install -e ".[test]"   # atheris is in the test extra
    python fuzz/fuzz_ingest.py -atheris_runs=100000 -max_len=4096 -timeout=10 -rss_limit_mb=2048 fuzz/corpus

Every input must either give an Article whose text is non-blank, or raise one of onrecord's own
InputErrors (empty, binary, undecodable, malformed, too large). Any other exception is a crash and
atheris saves the input as crash-<hash>: replay it with `python fuzz/fuzz_ingest.py crash-<hash>`.
The seed corpus (fuzz/corpus) holds a few short texts and pages; atheris writes what it finds to the
first folder given (keep it outside the repository, e.g. /tmp/onrecord-fuzz).

The first run found one crash (a UTF-16 byte order mark before an odd byte count raised
UnicodeDecodeError); it is fixed and kept as a test in tests/test_robust_inputs.py.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from onrecord.errors import InputError
    from onrecord.ingest.decode import decode_bytes
    from onrecord.ingest.feeds import feed_items
    from onrecord.ingest.html import parse_html
    from onrecord.ingest.text import clean_text

# Small against Settings.max_bytes so that the size check itself is reached by the fuzzer.
_LIMIT = 1 << 16


def test_one_input(data: bytes) -> None:
    if not data:
        return
    kind, payload = data[0] % 3, data[1:]
    if kind == 2:
        _check_feed(payload)
        return
    as_html = kind == 1
    try:
        text, _notes = decode_bytes(payload, _LIMIT)
    except InputError:
        return
    try:
        article = parse_html(text) if as_html else clean_text(text)
    except InputError:
        return
    if not article.text.strip():
        raise AssertionError(f"blank article text from {payload[:80]!r}")


def _check_feed(payload: bytes) -> None:
    try:
        items = list(feed_items(payload))
    except InputError:
        return
    for item in items:
        try:
            article = parse_html(item["html"]) if "html" in item else clean_text(item["text"])
        except InputError:
            continue
        if not article.text.strip():
            raise AssertionError(f"blank article text from feed {payload[:80]!r}")


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
