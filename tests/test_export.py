"""Exports of the store: JSON Lines, CSV, brat standoff, ClaimReview JSON-LD."""

from __future__ import annotations

import csv
import io
import json

import pytest

from onrecord.model import Record
from onrecord.store import Store
from onrecord.store.export import (
    annotation_conf,
    brat_standoff,
    export_brat,
    export_claimreview,
    export_csv,
    export_jsonl,
)

from .store_support import make_record


@pytest.fixture
def store(tmp_path):
    record = make_record("d1", [("Jane Doe", "said", "The bridge will reopen in May"),
                                ("John Roe", "told reporters", "Traffic is heavy")],
                         title="Bridge works\nnear the harbour", outlet="Harbour Post",
                         promise=("Jane Doe", "reopen", "2024-05-31"), extra="Work began on 2024-01-15.")
    copy = make_record("d2", [("Jane Doe", "said", "The bridge will reopen in May")], outlet="Wire Daily")
    with Store.open(tmp_path / "s.db") as opened:
        opened.add_records([record, copy])
        opened.resolve_claims()
        yield opened


def test_export_jsonl_round_trips_every_record(store):
    out = io.StringIO()
    assert export_jsonl(store, out) == 2
    records = [Record.model_validate_json(line) for line in out.getvalue().splitlines()]
    assert records == [store.get_record("d1"), store.get_record("d2")]


def test_export_csv_has_attributions_and_events_with_corpus_ids(store, tmp_path):
    assert export_csv(store, tmp_path / "csv") == 4
    with open(tmp_path / "csv" / "attributions.csv", encoding="utf-8") as f:
        attributions = list(csv.DictReader(f))
    with open(tmp_path / "csv" / "events.csv", encoding="utf-8") as f:
        events = list(csv.DictReader(f))
    assert [(row["doc_id"], row["speaker"], row["speaker_corpus_id"]) for row in attributions] == [
        ("d1", "Jane Doe", "person:jane-doe"), ("d1", "John Roe", "person:john-roe"),
        ("d2", "Jane Doe", "person:jane-doe")]
    assert (events[0]["type"], events[0]["time_value"], events[0]["attributed_to"]) == ("AID", "2024-05-31", "Jane Doe")


def test_export_brat_spans_match_the_text_and_never_cross_lines(store, tmp_path):
    record = store.get_record("d1")
    ann = brat_standoff(record)
    textbound = [line.split("\t") for line in ann.splitlines() if line.startswith("T")]
    assert {fields[1].split()[0] for fields in textbound} >= {"PERSON", "Quote", "Cue", "AID", "TIME"}
    for ident, label_and_spans, covered in textbound:
        pieces = [tuple(map(int, part.split())) for part in label_and_spans.split(" ", 1)[1].split(";")]
        assert " ".join(record.text[start:end] for start, end in pieces) == covered
        assert all("\n" not in record.text[start:end] for start, end in pieces)
    assert any(line.startswith("E") and "Actor:" in line for line in ann.splitlines())
    assert any(line.startswith("R") and "Said_by" in line for line in ann.splitlines())
    assert export_brat(store, tmp_path / "brat") == 2
    assert (tmp_path / "brat" / "d1.txt").read_text(encoding="utf-8") == record.text
    conf = (tmp_path / "brat" / "annotation.conf").read_text(encoding="utf-8")
    assert "[events]" in conf and "AID\t" in conf and "PERSON" in conf


def test_export_brat_splits_a_quote_across_a_line_break():
    record = make_record("d", [("Ann Poe", "said", "one line\nand the next")])
    ann = brat_standoff(record)
    quote = next(line for line in ann.splitlines() if "\tQuote " in line)
    assert ";" in quote.split("\t")[1]
    assert annotation_conf(set(), set()).count("[attributes]") == 1


def test_export_claimreview_skeleton_names_claim_author_and_appearances(store):
    out = io.StringIO()
    assert export_claimreview(store, out) == 2
    reviews = [json.loads(line) for line in out.getvalue().splitlines()]
    top = reviews[0]
    assert top["@type"] == "ClaimReview" and top["@context"] == "https://schema.org"
    assert top["claimReviewed"] == "The bridge will reopen in May"
    assert top["itemReviewed"]["author"] == {"@type": "Person", "name": "Jane Doe"}
    assert [a["publisher"]["name"] for a in top["itemReviewed"]["appearance"]] == ["Harbour Post", "Wire Daily"]
    assert top["reviewRating"]["ratingValue"] is None  # for the fact-checker to fill
    assert top["onrecord"]["outlets"] == 2
