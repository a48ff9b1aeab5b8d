"""`onrecord eval events`: PLOVER event types and actors on the PLOVER gold standard records.

Each gold record is one sentence coded with one event (PLOVER 0.5b1 labels, mapped to the current 16
types as the data's README says). onrecord's event for the sentence is its main one: the trigger closest
to the root of the parse (the earliest on a tie); a sentence without events counts as NONE. Scores:
type accuracy, per-type F1 and their macro mean over the 16 types, and how often the main event's
actor (target) phrases contain or overlap the gold actor (target) text, over the records whose type
is right and that code one.
"""

from __future__ import annotations

import json
from pathlib import Path

from onrecord.errors import MalformedInput, MissingPath
from onrecord.evaluate import prf
from onrecord.settings import DEFAULT, Settings

PLOVER_TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
                "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
# PLOVER 0.5b1 labels that the current ontology renamed or merged (the data's README).
OLD_LABELS = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner", "onrecord_paragraphs",
               "onrecord_times")


def read_gold(path: str | Path) -> list[dict]:
    path = Path(path)
    if not path.exists():
        raise MissingPath(str(path))
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        records = data["records"] if isinstance(data, dict) else data
    except (ValueError, KeyError, TypeError) as error:
        raise MalformedInput(f"not PLOVER gold records ({error})") from None
    gold = []
    for record in records:
        label = OLD_LABELS.get(record.get("event", ""), record.get("event", ""))
        if label in PLOVER_TYPES and record.get("text"):
            gold.append({"text": record["text"], "type": label,
                         "actors": _actor_texts(record.get("source")), "targets": _actor_texts(record.get("target"))})
    return gold


def _actor_texts(value) -> list[str]:
    if not isinstance(value, list):
        return []
    return [item["actorText"] for item in value if isinstance(item, dict) and item.get("actorText")]


def main_frame(frames):
    """The sentence's main event: shallowest trigger in the parse, then the earliest."""
    return min(frames, key=lambda frame: (frame.depth, frame.trigger.start), default=None)


def evaluate_events(path: str | Path, settings: Settings = DEFAULT) -> dict:
    from onrecord.analyse.events import find_frames
    from onrecord.analyse.pipeline import load_pipeline

    gold = read_gold(path)
    nlp = load_pipeline(settings)
    predicted_types, actor_hits, target_hits = [], [0, 0], [0, 0]
    with nlp.select_pipes(enable=[name for name in nlp.pipe_names if name in _COMPONENTS]):
        docs = []
        for item in gold:
            doc = nlp.make_doc(item["text"])
            doc._.publication_date, doc._.anchors, doc._.warnings = None, {}, []
            docs.append(doc)
        for item, doc in zip(gold, nlp.pipe(docs, batch_size=32)):
            frame = main_frame(find_frames(doc))
            predicted_types.append(frame.sense.type if frame else "NONE")
            if frame is None or frame.sense.type != item["type"]:
                continue
            for wanted, found, hits in ((item["actors"], frame.actor, actor_hits),
                                        (item["targets"], frame.target + frame.items, target_hits)):
                if wanted:
                    hits[1] += 1
                    hits[0] += _matches(wanted, [span.text for span in found])
    return _scores(gold, predicted_types, actor_hits, target_hits)


def _matches(wanted: list[str], found: list[str]) -> bool:
    """Any gold phrase and predicted phrase where one holds the other (case-insensitive)."""
    return any(w.lower() in f.lower() or f.lower() in w.lower() for w in wanted for f in found if f.strip())


def _scores(gold: list[dict], predicted: list[str], actor_hits: list[int], target_hits: list[int]) -> dict:
    per_type = {}
    for kind in PLOVER_TYPES:
        tp = sum(1 for g, p in zip(gold, predicted) if g["type"] == kind and p == kind)
        fp = sum(1 for g, p in zip(gold, predicted) if g["type"] != kind and p == kind)
        fn = sum(1 for g, p in zip(gold, predicted) if g["type"] == kind and p != kind)
        per_type[kind] = prf(tp, fp, fn)["f1"]
    present = [kind for kind in PLOVER_TYPES if any(g["type"] == kind for g in gold)]
    return {
        "records": len(gold),
        "type_accuracy": sum(g["type"] == p for g, p in zip(gold, predicted)) / len(gold) if gold else 0.0,
        "type_macro_f1": sum(per_type[k] for k in present) / len(present) if present else 0.0,
        "no_event_found": predicted.count("NONE"),
        "actor_match": actor_hits[0] / actor_hits[1] if actor_hits[1] else 0.0,
        "target_match": target_hits[0] / target_hits[1] if target_hits[1] else 0.0,
        "f1_by_type": per_type,
    }
