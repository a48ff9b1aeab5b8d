"""Check a record against a hand-made reference reading (../shared/gold/*.json).

The reading names its document relative to the folder above the gold file's folder
(`gold/x.json` with `"document": "examples/x.txt"` -> `examples/x.txt` beside `gold/`). Matching:

- an attribution is found when a predicted content, with quotation marks, whitespace and edge
  punctuation trimmed, starts with the gold `starts` and ends with the gold `ends` (same trimming);
  a leading complementizer "that" is ignored (PolNeAR's convention includes it, the readings' not);
- its speaker is right when the speaker's entity (its name, aliases or any mention) shares a
  name with the gold entity's name or aliases, case-insensitively;
- a source line (`sources`) is found when an attribution whose cue lies on the line that starts
  with `text_starts` has a chain whose entities match the gold speaker then the `via` entities.
"""

from __future__ import annotations

import json
from pathlib import Path

from onrecord.errors import InputError
from onrecord.model import Entity, Record

_TRIM = " \t\r\n\"'“”‘’„«»‹›`.,;:!?"


def load_gold(path: Path) -> tuple[dict, Path]:
    """The reading and the path of the document it reads."""
    path = Path(path)
    try:
        gold = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise InputError(f"cannot read the gold file {path}: {error}") from None
    if "document" not in gold:
        raise InputError(f"the gold file {path} names no document")
    return gold, path.resolve().parent.parent / gold["document"]


def evaluate_gold(path: Path, analyzer=None) -> dict:
    """Analyse the gold file's document and check every attribution and source line it lists."""
    from onrecord.analyse.pipeline import Analyzer
    from onrecord.ingest.text import clean_text

    gold, document = load_gold(path)
    if not document.exists():
        raise InputError(f"the gold file's document {document} does not exist")
    analyzer = analyzer or Analyzer.default()
    record = analyzer.analyze(clean_text(document.read_text(encoding="utf-8"), source=str(document)))
    return check_record(record, gold)


def check_record(record: Record, gold: dict) -> dict:
    """Per-item results and totals for a record against a reading."""
    gold_entities = {entity["id"]: entity for entity in gold.get("entities", [])}
    entities = {entity.id: entity for entity in record.entities}
    items = [_check_attribution(record, item, gold_entities, entities) for item in gold.get("attributions", [])]
    sources = [_check_source(record, item, gold_entities, entities) for item in gold.get("sources", [])]
    required = [item for item in items + sources if item["required"]]
    passed = [item for item in required if item["found"] and item["speaker_right"] and item.get("chain_right", True)]
    return {
        "required": len(required),
        "required_passed": len(passed),
        "all_required_passed": len(passed) == len(required),
        "attributions_found": sum(item["found"] for item in items),
        "attributions": len(items),
        "speakers_right": sum(item["speaker_right"] for item in items),
        "sources_right": sum(item["found"] and item["chain_right"] for item in sources),
        "sources": len(sources),
        "items": {item["name"]: ("pass" if item in passed or (not item["required"] and item["found"]) else
                                 _why(item)) for item in items + sources},
    }


def _why(item: dict) -> str:
    if not item["found"]:
        return "not found"
    if not item["speaker_right"]:
        return f"wrong speaker ({item['speaker']})"
    if not item.get("chain_right", True):
        return f"wrong chain ({item['chain']})"
    return "pass"


def _normal(text: str) -> str:
    return " ".join(text.strip(_TRIM).split()).lower()


def _check_attribution(record: Record, item: dict, gold_entities: dict, entities: dict) -> dict:
    starts, ends = _normal(item["starts"]), _normal(item["ends"])
    name = f"{item.get('kind', '?')}: {item['starts'][:40]}"
    result = {"name": name, "required": bool(item.get("required")), "found": False,
              "speaker_right": False, "speaker": None}
    for attribution in record.attributions:
        content = _normal(attribution.content.text)
        content = content[len("that "):] if content.startswith("that ") and not starts.startswith("that ") else content
        if not (content.startswith(starts) and content.endswith(ends)):
            continue
        result["found"] = True
        speaker = attribution.speaker
        entity = entities.get(speaker.entity) if speaker and speaker.entity else None
        result["speaker"] = entity.name if entity else (speaker.text if speaker else None)
        result["speaker_right"] = _same_entity(entity, gold_entities.get(item.get("speaker")))
        if result["speaker_right"]:
            break
    return result


def _check_source(record: Record, item: dict, gold_entities: dict, entities: dict) -> dict:
    prefix = item["text_starts"]
    line_start = record.text.find(prefix)
    line_end = record.text.find("\n", line_start) if line_start >= 0 else -1
    line_end = len(record.text) if line_end < 0 else line_end
    result = {"name": f"source: {prefix}", "required": bool(item.get("required")), "found": False,
              "speaker_right": False, "chain_right": False, "chain": None}
    if line_start < 0:
        return result
    wanted = [item.get("speaker"), *item.get("via", [])]
    for attribution in record.attributions:
        if attribution.cue is None or not line_start <= attribution.cue.start < line_end:
            continue
        result["found"] = True
        chain = [entities.get(entity_id) for entity_id in attribution.source_chain]
        result["chain"] = [entity.name if entity else None for entity in chain]
        result["speaker_right"] = bool(chain) and _same_entity(chain[0], gold_entities.get(wanted[0]))
        result["chain_right"] = len(chain) == len(wanted) and all(
            _same_entity(entity, gold_entities.get(gold_id)) for entity, gold_id in zip(chain, wanted, strict=True))
        if result["chain_right"]:
            break
    return result


def _same_entity(entity: Entity | None, gold_entity: dict | None) -> bool:
    if entity is None or gold_entity is None:
        return False
    names = {_normal(name) for name in [entity.name, *entity.aliases, *(m.text for m in entity.mentions)]}
    gold_names = {_normal(name) for name in [gold_entity["name"], *gold_entity.get("aliases", [])]}
    return bool(names & gold_names)
