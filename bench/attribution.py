"""Time that attribution adds on top of the spaCy parse, measured side by side in one run.

    python bench/attribution.py [FOLDER_OF_TXT] [--limit N]

Default folder: ../shared/data/polnear/dev/text. The spaCy model's own components (tagger,
parser, NER ...) run once over all texts; then onrecord's other components, then
`onrecord_attributions` alone on the same docs, then `onrecord_attribution_tagger` (the CRF that
refines its spans; optional, switched on here to time it), each timed with time.perf_counter.
Printed: words, seconds for each stage, words per second of the parse, and attribution's time as a
share of the parse, for the rules alone (the default pipeline) and with the tagger (the goal is <= 10%).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from onrecord.analyse.pipeline import load_pipeline
from onrecord.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "data" / "polnear" / "dev" / "text"


def run(folder: Path, limit: int | None) -> dict:
    texts = [path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.txt"))[:limit]]
    nlp = load_pipeline(Settings(enable=frozenset({"onrecord_attribution_tagger"})))
    onrecord = [name for name in nlp.pipe_names if name.startswith("onrecord_")]
    spacy_only = [name for name in nlp.pipe_names if name not in onrecord or name == "onrecord_paragraphs"]
    attribution_stage = ("onrecord_attributions", "onrecord_attribution_tagger")
    others = [name for name in onrecord if name not in ("onrecord_paragraphs", *attribution_stage)]
    attribution = nlp.get_pipe("onrecord_attributions")
    tagger = nlp.get_pipe("onrecord_attribution_tagger") if "onrecord_attribution_tagger" in nlp.pipe_names else None
    nlp("Warm-up: the model said it was ready.")

    started = time.perf_counter()
    with nlp.select_pipes(enable=spacy_only):
        docs = list(nlp.pipe(texts, batch_size=32))
    parse = time.perf_counter() - started

    started = time.perf_counter()
    for name in others:
        component = nlp.get_pipe(name)
        docs = [component(doc) for doc in docs]
    other_seconds = time.perf_counter() - started

    started = time.perf_counter()
    docs = [attribution(doc) for doc in docs]
    attribution_seconds = time.perf_counter() - started

    started = time.perf_counter()
    docs = [tagger(doc) for doc in docs] if tagger else docs
    tagger_seconds = time.perf_counter() - started

    words = sum(len(doc) for doc in docs)
    return {"articles": len(docs), "words": words, "attributions": sum(len(doc._.attributions) for doc in docs),
            "parse_seconds": round(parse, 3), "parse_words_per_second": round(words / parse),
            "other_onrecord_seconds": round(other_seconds, 3), "attribution_seconds": round(attribution_seconds, 3),
            "tagger_seconds": round(tagger_seconds, 3),
            "attribution_share_of_parse": round(attribution_seconds / parse, 4),
            "with_tagger_share_of_parse": round((attribution_seconds + tagger_seconds) / parse, 4)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    print(json.dumps(run(args.folder, args.limit)))


if __name__ == "__main__":
    main()
