"""The gazetteer behind place linking (analyse/places.py): spellings, head nouns, and its cache."""

from __future__ import annotations

import pytest

from onrecord.analyse.places import gazetteer, lookup, place_for


@pytest.mark.parametrize("name, country", [
    ("Kiev", "UA"), ("Kyiv", "UA"), ("Homel", "BY"), ("Hrodna", "BY"), ("Grodno", "BY"),
    ("Lviv", "UA"), ("Lvov", "UA"), ("the U.S.", "US"), ("Britain", "GB"), ("Chisinau", "MD"),
])
def test_entities_places_spelling_variants_find_their_country(name, country):
    entry, _ = lookup(name)
    assert entry is not None and entry.country == country


def test_entities_places_a_region_is_not_placed_at_its_capital():
    region = place_for("Lviv region", [])
    city = place_for("Lviv", [])
    assert region.country == city.country == "UA"
    assert region.latitude is None and city.latitude == pytest.approx(49.84, abs=0.1)


def test_entities_places_unknown_words_are_not_places():
    assert lookup("Papermaster")[0] is None
    assert place_for("Papermaster", []) is None
    assert lookup("General Papermaster")[0] is None  # only place head nouns are stripped


def test_entities_places_containing_place_gives_the_country():
    place = place_for("Nowhereville", ["Ternopil region", "Ukraine"])
    assert place.country == "UA" and place.within == ["Ternopil region", "Ukraine"]


def test_entities_places_gazetteer_cache_is_written_once_and_read_back(tmp_path, monkeypatch):
    monkeypatch.setenv("ONRECORD_CACHE", str(tmp_path))
    built = gazetteer.__wrapped__()
    files = list(tmp_path.glob("gazetteer-*.pickle"))
    assert len(files) == 1
    loaded = gazetteer.__wrapped__()
    assert loaded.get("Kiev") == built.get("Kiev")


def test_entities_places_unwritable_cache_still_builds(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("ONRECORD_CACHE", str(blocker / "inside"))
    assert gazetteer.__wrapped__().get("Kyiv").country == "UA"
