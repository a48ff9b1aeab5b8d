"""Exports of the stored corpus: JSON Lines of records, CSV of attributions and events, brat
standoff for annotators, and schema.org ClaimReview JSON-LD skeletons for fact-checkers.

Each exporter streams from the store (bounded memory) and returns how many items it wrote.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from onrecord.model import Record
from onrecord.store.core import Store

FORMATS = ("jsonl", "csv", "brat", "claimreview")

ATTRIBUTION_COLUMNS = ["doc_id", "title", "outlet", "published", "attribution_id", "kind", "speaker",
                       "speaker_corpus_id", "cue", "content", "content_start", "content_end", "factuality",
                       "source_chain"]
EVENT_COLUMNS = ["doc_id", "title", "outlet", "published", "event_id", "type", "mode", "trigger",
                 "trigger_start", "trigger_end", "factuality", "time_text", "time_value", "time_relation",
                 "actor", "target", "location", "items", "attributed_to", "attribution_id"]
# Within one CSV cell, several names are joined by this; a source chain reads speaker first.
NAME_SEPARATOR, CHAIN_SEPARATOR = "; ", " > "


def export_jsonl(store: Store, out: TextIO) -> int:
    count = 0
    for record in store.iter_records():
        out.write(record.to_json() + "\n")
        count += 1
    return count


def attribution_rows(record: Record) -> Iterable[dict]:
    names = {entity.id: entity for entity in record.entities}
    info = record.document
    for attribution in record.attributions:
        speaker_entity = names.get(attribution.speaker.entity) if attribution.speaker else None
        yield {"doc_id": info.id, "title": info.title, "outlet": info.outlet, "published": info.published,
               "attribution_id": attribution.id, "kind": attribution.kind,
               "speaker": attribution.speaker.text if attribution.speaker else "",
               "speaker_corpus_id": (speaker_entity.corpus_id or "") if speaker_entity else "",
               "cue": attribution.cue.text if attribution.cue else "", "content": attribution.content.text,
               "content_start": attribution.content.start, "content_end": attribution.content.end,
               "factuality": attribution.factuality,
               "source_chain": CHAIN_SEPARATOR.join(names[link].name if link in names else link
                                                    for link in attribution.source_chain)}


def event_rows(record: Record) -> Iterable[dict]:
    names = {entity.id: entity.name for entity in record.entities}
    info = record.document

    def named(ids: list[str]) -> str:
        return NAME_SEPARATOR.join(names.get(local, local) for local in ids)

    for event in record.events:
        yield {"doc_id": info.id, "title": info.title, "outlet": info.outlet, "published": info.published,
               "event_id": event.id, "type": event.type, "mode": event.mode, "trigger": event.trigger.text,
               "trigger_start": event.trigger.start, "trigger_end": event.trigger.end,
               "factuality": event.factuality, "time_text": event.time.text if event.time else "",
               "time_value": event.time.value if event.time else "",
               "time_relation": event.time.relation if event.time else "", "actor": named(event.actor),
               "target": named(event.target), "location": named(event.location), "items": named(event.items),
               "attributed_to": named(event.attributed_to), "attribution_id": event.attribution or ""}


def export_csv(store: Store, folder: Path) -> int:
    """attributions.csv and events.csv in `folder`; returns the number of rows written."""
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    with open(folder / "attributions.csv", "w", newline="", encoding="utf-8") as attributions_file, \
            open(folder / "events.csv", "w", newline="", encoding="utf-8") as events_file:
        attributions = csv.DictWriter(attributions_file, ATTRIBUTION_COLUMNS)
        events = csv.DictWriter(events_file, EVENT_COLUMNS)
        attributions.writeheader()
        events.writeheader()
        for record in store.iter_records(corpus_ids=True):
            for row in attribution_rows(record):
                attributions.writerow(row)
                count += 1
            for row in event_rows(record):
                events.writerow(row)
                count += 1
    return count


# brat ---------------------------------------------------------------------------------------

def _fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """brat spans may not cross a line break: split at each one, dropping empty pieces."""
    pieces, cursor = [], start
    while cursor < end:
        newline = text.find("\n", cursor, end)
        stop = end if newline == -1 else newline
        if stop > cursor:
            pieces.append((cursor, stop))
        cursor = stop + 1
    return pieces


class _Standoff:
    """Builds one .ann file: T (text-bound), E (event), R (relation) and A (attribute) lines."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines: list[str] = []
        self.counts = {"T": 0, "E": 0, "R": 0, "A": 0}
        self.types: dict[str, set[str]] = {"entities": set(), "events": set(), "relations": set()}

    def _next(self, kind: str) -> str:
        self.counts[kind] += 1
        return f"{kind}{self.counts[kind]}"

    def textbound(self, label: str, spans: list[tuple[int, int]]) -> str | None:
        pieces = [piece for start, end in spans for piece in _fragments(self.text, start, end)]
        if not pieces:
            return None
        ident = self._next("T")
        where = ";".join(f"{start} {end}" for start, end in pieces)
        covered = " ".join(self.text[start:end] for start, end in pieces)
        self.lines.append(f"{ident}\t{label} {where}\t{covered}")
        return ident

    def add(self, kind: str, body: str) -> str:
        ident = self._next(kind)
        self.lines.append(f"{ident}\t{body}")
        return ident


def brat_standoff(record: Record) -> str:
    """The .ann text for a record: entity mentions, quotes with cues and speakers, events with
    their arguments, factuality as attributes."""
    ann = _Standoff(record.text)
    first_mention: dict[str, str] = {}
    for entity in record.entities:
        ann.types["entities"].add(entity.type)
        for mention in entity.mentions:
            ident = ann.textbound(entity.type, [(mention.start, mention.end)])
            if ident:
                first_mention.setdefault(entity.id, ident)
    for attribution in record.attributions:
        parts = attribution.content.parts or [attribution.content]
        quote = ann.textbound("Quote", [(part.start, part.end) for part in parts])
        if quote is None:
            continue
        ann.add("A", f"Factuality {quote} {attribution.factuality}")
        ann.add("A", f"Kind {quote} {attribution.kind}")
        if attribution.cue:
            cue = ann.textbound("Cue", [(attribution.cue.start, attribution.cue.end)])
            if cue:
                ann.add("R", f"Cue Arg1:{quote} Arg2:{cue}")
        speaker = attribution.speaker
        if speaker:
            target = first_mention.get(speaker.entity) if speaker.entity else None
            target = target or ann.textbound("Speaker", [(speaker.start, speaker.end)])
            if target:
                ann.add("R", f"Said_by Arg1:{quote} Arg2:{target}")
    for event in record.events:
        trigger = ann.textbound(event.type, [(event.trigger.start, event.trigger.end)])
        if trigger is None:
            continue
        ann.types["events"].add(event.type)
        arguments = [f"{role.capitalize()}{'' if number == 0 else number + 1}:{first_mention[local]}"
                     for role in ("actor", "target", "location", "items")
                     for number, local in enumerate(getattr(event, role)) if local in first_mention]
        ident = ann.add("E", " ".join([f"{event.type}:{trigger}", *arguments]))
        ann.add("A", f"Factuality {ident} {event.factuality}")
    for time in record.times:
        ann.textbound("TIME", [(time.start, time.end)])
    return "\n".join(ann.lines) + ("\n" if ann.lines else "")


def annotation_conf(entity_types: set[str], event_types: set[str]) -> str:
    """brat's annotation.conf declaring every label the .ann files use."""
    roles = "Actor*:<ENTITY>, Target*:<ENTITY>, Location*:<ENTITY>, Items*:<ENTITY>"
    return "\n".join([
        "[entities]", *sorted(entity_types | {"Quote", "Cue", "Speaker", "TIME"}), "",
        "[relations]", "Said_by\tArg1:Quote, Arg2:<ENTITY>", "Cue\tArg1:Quote, Arg2:Cue",
        "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>", "",
        "[events]", *(f"{event_type}\t{roles}" for event_type in sorted(event_types)), "",
        "[attributes]", "Factuality\tArg:<ANY>, Value:asserted|possible|intended|promised|negated",
        "Kind\tArg:Quote, Value:direct|indirect|mixed", ""])


def _safe_name(doc_id: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in doc_id)[:150] or "document"


def export_brat(store: Store, folder: Path) -> int:
    """DOC.txt and DOC.ann per document, plus annotation.conf, in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    entity_types, event_types, count = set(), set(), 0
    for record in store.iter_records():
        name = _safe_name(record.document.id)
        (folder / f"{name}.txt").write_text(record.text, encoding="utf-8")
        (folder / f"{name}.ann").write_text(brat_standoff(record), encoding="utf-8")
        entity_types |= {entity.type for entity in record.entities}
        event_types |= {event.type for event in record.events}
        count += 1
    (folder / "annotation.conf").write_text(annotation_conf(entity_types, event_types), encoding="utf-8")
    return count


# ClaimReview --------------------------------------------------------------------------------

def claim_review(claim, documents: dict) -> dict:
    """A schema.org ClaimReview skeleton: the claim, who made it and where it appeared, filled in;
    the rating and the reviewer left empty for the fact-checker."""
    appearances = []
    for doc_id in claim.doc_ids:
        summary = documents.get(doc_id)
        if summary is None:
            continue
        appearance = {"@type": "CreativeWork", "headline": summary.title, "url": summary.url,
                      "datePublished": summary.published,
                      "publisher": {"@type": "Organization", "name": summary.outlet} if summary.outlet else None}
        appearances.append({key: value for key, value in appearance.items() if value is not None})
    author_type = "Person" if (claim.speaker_id or "").startswith("person:") else "Organization"
    item = {"@type": "Claim", "author": {"@type": author_type, "name": claim.speaker},
            "appearance": appearances}
    if appearances:
        item["firstAppearance"] = appearances[0]
    return {"@context": "https://schema.org", "@type": "ClaimReview", "claimReviewed": claim.content,
            "itemReviewed": item, "author": {"@type": "Organization", "name": None}, "datePublished": None,
            "url": None, "reviewRating": {"@type": "Rating", "ratingValue": None, "bestRating": None,
                                          "worstRating": None, "alternateName": None},
            "onrecord": {"claim_id": claim.id, "polarity": claim.polarity, "outlets": claim.outlets,
                         "documents": claim.documents, "contradicted_by": claim.contradicted_by}}


def export_claimreview(store: Store, out: TextIO, limit: int = 1000, min_outlets: int = 1) -> int:
    """One ClaimReview JSON-LD object per line, most corroborated claims first."""
    count = 0
    for claim in store.claims(limit=limit, min_outlets=min_outlets):
        documents = store.documents(claim.doc_ids)
        out.write(json.dumps(claim_review(claim, documents), ensure_ascii=False) + "\n")
        count += 1
    return count
