"""Coverage-guided fuzzing of the analysis with atheris: any text -> Record with valid offsets.

    python fuzz/fuzz_analyse.py -max_total_time=600 -max_len=2048 -timeout=60 /tmp/onrecord-fuzz-analyse fuzz/corpus

Slow (the spaCy parse runs on every input, some 20-100 inputs a second): the analysis is the
fuzzer's target, spaCy's own code is not instrumented. Every offset of the record must hold
(text[start:end] == span.text) and every entity id an attribution names must exist.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["onrecord"]):
    import importlib

    from onrecord.analyse import COMPONENTS
    from onrecord.analyse.pipeline import Analyzer
    from onrecord.ingest.article import Article

    for _name, module, _where in COMPONENTS:  # the pipeline imports them later, uninstrumented
        importlib.import_module(module)

_ANALYZER = Analyzer()


def test_one_input(data: bytes) -> None:
    text = atheris.FuzzedDataProvider(data).ConsumeUnicodeNoSurrogates(len(data))
    if not text.strip():
        return
    record = _ANALYZER.analyze(Article(text=text, published="2024-03-01"))
    for span in record.spans():
        if not (0 <= span.start <= span.end <= len(record.text) and record.text[span.start:span.end] == span.text):
            raise AssertionError(f"offsets do not hold for {span!r} in {text[:200]!r}")
    ids = {entity.id for entity in record.entities}
    for attribution in record.attributions:
        if not set(attribution.source_chain) <= ids:
            raise AssertionError(f"unknown entity in {attribution.source_chain} for {text[:200]!r}")


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
