"""Entity identity across articles: stable corpus ids for the entities of many records.

Evidence, in order of weight:
1. the transliteration-folded key of the entity's name or any alias (names.py), within one type
   family (people; organisations; places; products; peoples);
2. for people, surname and first name: a full name never joins a person with another first name,
   and a surname alone joins the full-name person that shares the most context;
3. for organisations, acronyms ("EADS" = "European Aeronautic Defence and Space Company");
4. context, to choose between candidates: co-occurring entities and shared role words.

Use `resolve_corpus(records)` for a finished collection, or `EntityResolver.add(record)` while
ingesting; both give the same ids for the same input order. Corpus ids are built from the type and
the key of the first entity that introduced them ("PERSON:jane doe"), so a rerun over
the same records yields the same ids.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from onrecord.analyse.entities import matching_key, place_key
from onrecord.analyse.names import is_acronym_of, name_words, person_names_match
from onrecord.model import Entity, Record

# Types that can name the same thing: the small model often calls a country ORG or a city LOC.
_FAMILIES = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE",
             "PRODUCT": "PRODUCT", "NORP": "NORP"}


def family(entity_type: str) -> str:
    return _FAMILIES.get(entity_type, entity_type)


@dataclass
class CorpusEntity:
    """One real-world entity of the corpus, as far as the resolver has seen it."""

    corpus_id: str
    family: str
    keys: set[str] = field(default_factory=set)
    names: Counter = field(default_factory=Counter)  # name -> articles naming it so
    person_names: list[list[str]] = field(default_factory=list)  # word lists of full names
    role_words: set[str] = field(default_factory=set)
    neighbours: Counter = field(default_factory=Counter)  # corpus ids seen in the same articles

    @property
    def name(self) -> str:
        return self.names.most_common(1)[0][0]


class EntityResolver:
    """Assigns corpus ids incrementally: `add(record)` returns {entity id: corpus id}."""

    def __init__(self) -> None:
        self.entities: dict[str, CorpusEntity] = {}
        self._by_key: dict[tuple[str, str], list[CorpusEntity]] = {}
        self._by_surname: dict[str, list[CorpusEntity]] = {}

    def add(self, record: Record, assign: bool = True) -> dict[str, str]:
        """Resolve the entities of one record; with `assign`, also set each Entity.corpus_id."""
        return self.add_entities(record.entities, assign)

    def add_entities(self, entities: list[Entity], assign: bool = True) -> dict[str, str]:
        named = [e for e in entities if e.type in _FAMILIES and any(m.kind == "name" for m in e.mentions)]
        # Full names first, so that a surname alone in the same article finds its person.
        ordered = sorted(named, key=lambda e: -len(name_words(e.name)))
        mapping: dict[str, CorpusEntity] = {}
        context_keys = {k for e in named for k in _keys_of(e)}
        for entity in ordered:
            mapping[entity.id] = self._match(entity, context_keys) or self._new(entity)
        for entity in named:
            self._learn(mapping[entity.id], entity, [mapping[e.id].corpus_id for e in named if e is not entity])
        result = {entity_id: corpus.corpus_id for entity_id, corpus in mapping.items()}
        if assign:
            for entity in named:
                entity.corpus_id = result[entity.id]
        return result

    # ------------------------------------------------------------ matching

    def _match(self, entity: Entity, context_keys: set[str]) -> CorpusEntity | None:
        fam = family(entity.type)
        candidates = {id(c): c for key in _keys_of(entity) for c in self._by_key.get((fam, key), [])}
        if fam == "PERSON":
            words = name_words(entity.name)
            candidates = {i: c for i, c in candidates.items() if _person_fits(c, words)}
            if not candidates and words:
                surname = matching_key(words[-1], "PERSON")
                candidates = {id(c): c for c in self._by_surname.get(surname, []) if _person_fits(c, words)}
        if fam == "ORG" and not candidates:
            candidates = {id(c): c for c in self.entities.values() if c.family == "ORG" and _acronym_fits(c, entity)}
        if not candidates:
            return None
        return max(candidates.values(), key=lambda c: (_context_score(c, entity, context_keys), sum(c.names.values())))

    def _new(self, entity: Entity) -> CorpusEntity:
        base = f"{entity.type}:{entity.key or matching_key(entity.name, entity.type)}"
        corpus_id, n = base, 1
        while corpus_id in self.entities:
            n += 1
            corpus_id = f"{base}#{n}"
        corpus = CorpusEntity(corpus_id, family(entity.type))
        self.entities[corpus_id] = corpus
        return corpus

    def _learn(self, corpus: CorpusEntity, entity: Entity, neighbours: list[str]) -> None:
        for key in _keys_of(entity):
            if key not in corpus.keys:
                corpus.keys.add(key)
                self._by_key.setdefault((corpus.family, key), []).append(corpus)
        corpus.names[entity.name] += 1
        if corpus.family == "PERSON":
            words = name_words(entity.name)
            if len(words) > 1 and words not in corpus.person_names:
                corpus.person_names.append(words)
            if words:
                surname = matching_key(words[-1], "PERSON")
                people = self._by_surname.setdefault(surname, [])
                if corpus not in people:
                    people.append(corpus)
        for role in entity.roles:
            corpus.role_words.update(w.lower() for w in name_words(role))
        corpus.neighbours.update(neighbours)


def _keys_of(entity: Entity) -> set[str]:
    """Matching keys of the entity's names; for places also the gazetteer entry they name, so
    "U.S.", "United States" and "America" meet."""
    keys = {matching_key(text, entity.type) for text in (entity.name, *entity.aliases)}
    if family(entity.type) == "PLACE":
        keys |= {place_key(text, "GPE") for text in (entity.name, *entity.aliases)}
    return {k for k in keys if k}


def _person_fits(corpus: CorpusEntity, words: list[str]) -> bool:
    """A person's name fits when it agrees with every full name the corpus entity has had."""
    return all(person_names_match(words, other) for other in corpus.person_names) or not words


def _acronym_fits(corpus: CorpusEntity, entity: Entity) -> bool:
    return any(is_acronym_of(entity.name, name) or is_acronym_of(name, entity.name) for name in corpus.names)


def _context_score(corpus: CorpusEntity, entity: Entity, context_keys: set[str]) -> int:
    """Shared role words, plus co-occurring entities whose keys appear in this article."""
    roles = {w.lower() for role in entity.roles for w in name_words(role)}
    shared_roles = len(roles & corpus.role_words)
    neighbour_keys = {cid.split(":", 1)[-1].split("#")[0] for cid in corpus.neighbours}
    return 2 * shared_roles + len(neighbour_keys & context_keys)


def resolve_corpus(records: Iterable[Record], assign: bool = True) -> dict[tuple[str, str], str]:
    """Corpus ids for the entities of many records: {(document id, entity id): corpus id}.
    With `assign`, each Entity.corpus_id is set as well."""
    resolver = EntityResolver()
    result: dict[tuple[str, str], str] = {}
    for record in records:
        for entity_id, corpus_id in resolver.add(record, assign).items():
            result[(record.document.id, entity_id)] = corpus_id
    return result
