"""Coreference by rules: pronouns and definite descriptions resolved to the nearest compatible entity.

Compatible means: the word's types include the entity's type, its number fits, its gender fits when
the entity's gender is known (from role words such as "spokeswoman" or "Mr"), and for descriptions
the head noun appears in the entity's names or roles ("the project" -> "the X project", "the
president" -> someone whose role is president). Words and their features are in
data/reference_words.tsv.

Public, stable API used by the attribution extractor:
- `resolve_reference(doc, start, end)`: the id of the entity a phrase refers to, or None;
- `entity_for_phrase(doc, start, end, type_hint)`: the same, adding a new entity when none fits.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from operator import attrgetter
from typing import get_args

import numpy
from spacy.attrs import IS_LOWER, LOWER, POS
from spacy.strings import get_string_id
from spacy.symbols import NOUN
from spacy.tokens import Doc, Span

from onrecord.analyse import roles
from onrecord.analyse.names import name_words, read_data_lines
from onrecord.analyse.tokens import column, tokens_where
from onrecord.model import Entity, EntityType, Mention

# Possessive pronouns that make "his press service" an organisation owned by the antecedent.
_POSSESSIVES = {"his", "her", "its", "their"}


@dataclass(frozen=True)
class ReferenceWord:
    kind: str  # "pronoun" or "description"
    number: str  # "sg" or "pl"
    gender: str  # "M", "F" or "-"
    types: frozenset[str]


@lru_cache(maxsize=1)
def reference_words() -> dict[str, ReferenceWord]:
    words = {}
    for line in read_data_lines("reference_words.tsv"):
        word, kind, number, gender, types = line.split("\t")
        words[word] = ReferenceWord(kind, number, gender, frozenset(types.split(",")))
    return words


@lru_cache(maxsize=1)
def owned_org_heads() -> tuple[tuple[str, ...], ...]:
    """Heads of organisations named by their owner: "his press service", "Tokayev's office"."""
    return tuple(tuple(line.lower().split()) for line in read_data_lines("owned_org_heads.txt"))


# ---------------------------------------------------------------- compatibility


def entity_gender(entity: Entity) -> str | None:
    """"M" or "F" when the entity's roles or the he/she pronouns already resolved to it say so,
    else None (unknown)."""
    if entity.type != "PERSON":
        return None
    gender = roles.role_gender(entity.roles)
    if gender is None:
        words = reference_words()
        pronouns = {words[m.text.lower()].gender for m in entity.mentions
                    if m.kind == "pronoun" and m.text.lower() in words}
        gender = next(iter(pronouns)) if len(pronouns & {"M", "F"}) == 1 else None
    return gender


_ROLE_COMPLEMENT = {"of", "for", "to", "at", "in", "with", "on", "from"}


def _entity_words(entity: Entity) -> set[str]:
    """Words of the entity's names, and of its roles up to their complement: "adviser to the
    mayor" gives "adviser", not "mayor"."""
    words = set()
    for text in (entity.name, *entity.aliases):
        words.update(w.lower() for w in name_words(text))
    for role in entity.roles:
        for word in name_words(role):
            if word.lower() in _ROLE_COMPLEMENT:
                break
            words.add(word.lower())
    return words


def _fits_pronoun(entity: Entity, word: ReferenceWord) -> bool:
    if entity.type not in word.types:
        return False
    if word.number == "sg" and word.gender in ("M", "F"):
        return entity.type == "PERSON" and entity_gender(entity) in (None, word.gender)
    if word.number == "pl":
        # Plural pronouns refer to groups: organisations, peoples, and places standing for governments.
        return entity.type != "PERSON"
    return True


def _fits_description(entity: Entity, head: str, head_lemma: str) -> int:
    """2 when the head noun is one of the entity's own words (name, aliases, roles), 1 when only
    the type fits, 0 when it does not fit at all."""
    words = _entity_words(entity)
    if head in words or head_lemma in words:
        return 2
    if head_lemma == "agency" and entity.type == "ORG" and _is_news_agency(entity):
        return 2
    word = reference_words().get(head_lemma)
    if word is not None and word.kind == "description" and entity.type in word.types:
        return 1
    return 0


def _is_news_agency(entity: Entity) -> bool:
    from onrecord.analyse.entities import news_agencies

    return entity.name in news_agencies() or any(alias in news_agencies() for alias in entity.aliases)


# ---------------------------------------------------------------- resolution


class MentionIndex:
    """The mentions of a doc's entities sorted by end offset, for "nearest preceding" searches
    and "is this offset inside a mention" tests in O(log n) instead of a scan per word."""

    def __init__(self, entities: list[Entity]) -> None:
        pairs = sorted(((m, e) for e in entities for m in e.mentions), key=lambda pair: pair[0].end)
        self.pairs = pairs
        self.ends = [m.end for m, _ in pairs]
        spans = sorted((m.start, m.end) for m, _ in pairs)
        self.starts = [start for start, _ in spans]
        self.reach = list(accumulate((end for _, end in spans), max))  # furthest end so far

    def preceding(self, start: int):
        """(mention, entity) pairs ending at or before `start`, nearest first."""
        for i in range(bisect_right(self.ends, start) - 1, -1, -1):
            yield self.pairs[i]

    def covers(self, offset: int) -> bool:
        i = bisect_right(self.starts, offset) - 1
        return i >= 0 and self.reach[i] > offset


def _preceding_mentions(entities: list[Entity] | MentionIndex, start: int):
    """(mention, entity) pairs ending before `start`, nearest first."""
    index = entities if isinstance(entities, MentionIndex) else _index(entities, MentionIndex)
    return index.preceding(start)


def _antecedent_of_pronoun(entities: list[Entity] | MentionIndex, start: int, word: ReferenceWord) -> Entity | None:
    for _, entity in _preceding_mentions(entities, start):
        if _fits_pronoun(entity, word):
            return entity
    return None


def _antecedent_of_description(entities: list[Entity] | MentionIndex, start: int, head: str,
                                head_lemma: str) -> Entity | None:
    """The nearest entity whose names or roles contain the head noun; failing that, for class
    nouns ("the company"), the nearest entity of a fitting type. Role nouns ("the president")
    only ever resolve to someone holding that role."""
    fallback = None
    for _, entity in _preceding_mentions(entities, start):
        fit = _fits_description(entity, head, head_lemma)
        if fit == 2:
            return entity
        if fit == 1 and fallback is None:
            fallback = entity
    return fallback


def _phrase_span(doc: Doc, start: int, end: int) -> Span | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    return span if span is not None and len(span) else None


def _description_head(span: Span):
    """The head noun of a definite description ("the project", "the Russian company"), or None."""
    tokens = [t for t in span if not t.is_punct]
    if len(tokens) < 2 or tokens[0].lower_ not in {"the", "this", "that", "these", "those"}:
        return None
    head = tokens[-1]
    if head.pos_ not in {"NOUN", "PROPN"} or any(t.pos_ == "PROPN" and t.is_title for t in tokens[1:]):
        return None
    return head


def resolve_reference(doc: Doc, start: int, end: int) -> str | None:
    """The id of the entity in doc._.entities that the phrase at [start, end) refers to.

    A name mention overlapping the phrase decides; otherwise a pronoun or a definite description
    ("he", "the project", "the president") is resolved to the nearest compatible preceding entity.
    Returns None when nothing fits.
    """
    entities: list[Entity] = doc._.entities or []
    if start >= end or not entities:
        return None
    overlapping = _overlapping_entity(entities, start, end)
    if overlapping is not None:
        return overlapping.id
    span = _phrase_span(doc, start, end)
    if span is None:
        return None
    found = _resolve_span(entities, span)
    return found.id if found else None


def _overlapping_entity(entities: list[Entity], start: int, end: int) -> Entity | None:
    """The entity with the largest overlap with [start, end), a name counting double; on a tie the
    earlier entity in the list."""
    best, best_weight = None, 0
    for mention_start, mention_end, factor, position in overlap_index(entities).overlapping(start, end):
        weight = (min(end, mention_end) - max(start, mention_start)) * factor
        if weight > best_weight or (weight == best_weight and best is not None and position < best):
            best, best_weight = position, weight
    return entities[best] if best is not None else None


class OverlapIndex:
    """The mentions of a list of entities sorted by start, for "which mentions overlap [start, end)"
    by bisection: resolving a phrase was a scan over every mention of the doc, for each phrase."""

    def __init__(self, entities: list[Entity]) -> None:
        # (start, end, 2 for a name else 1, position of the entity in the list)
        self.rows = sorted((m.start, m.end, 2 if m.kind == "name" else 1, position)
                           for position, entity in enumerate(entities) for m in entity.mentions)
        self.starts = [row[0] for row in self.rows]
        self.longest = max((row[1] - row[0] for row in self.rows), default=0)

    def overlapping(self, start: int, end: int) -> list[tuple[int, int, int, int]]:
        """The rows of the mentions that share at least one character with [start, end)."""
        low = bisect_left(self.starts, start - self.longest)  # none starting earlier reaches `start`
        high = bisect_left(self.starts, end)
        return [row for row in self.rows[low:high] if row[0] < end and start < row[1]]

    def within(self, start: int, end: int) -> list[tuple[int, int, int, int]]:
        """The rows of the mentions that lie inside [start, end]."""
        low = bisect_left(self.starts, start)
        high = bisect_right(self.starts, end)
        return [row for row in self.rows[low:high] if row[1] <= end]


_last_indexes = threading.local()


def overlap_index(entities: list[Entity]) -> OverlapIndex:
    return _index(entities, OverlapIndex)


def _index(entities: list[Entity], kind: type):
    """The index of type `kind` (OverlapIndex, MentionIndex) of `entities`, rebuilt only when the list
    or a mention list has changed since the last call: extractors resolve phrase after phrase, adding
    entities and mentions now and then. The state is compared by the identity and length of each
    entity and mention list, whose changes are appends and replacements (no code edits a Mention's
    offsets in place). Only the last list's indexes are kept (per thread)."""
    lists = list(map(_MENTIONS, entities))
    # ids stand for identities: the cache holds the objects, so no id is reused while it is kept.
    state = (tuple(map(id, entities)), tuple(map(id, lists)), tuple(map(len, lists)))
    cached = getattr(_last_indexes, "cached", None)
    if cached is None or cached[0] is not entities or cached[1] != state:
        cached = (entities, state, {}, list(entities), lists)
        _last_indexes.cached = cached
    if kind not in cached[2]:
        cached[2][kind] = kind(entities)
    return cached[2][kind]


_MENTIONS = attrgetter("mentions")


def _resolve_span(entities: list[Entity], span: Span) -> Entity | None:
    words = reference_words()
    if len(span) == 1 and span[0].lower_ in words and words[span[0].lower_].kind == "pronoun":
        return _antecedent_of_pronoun(entities, span.start_char, words[span[0].lower_])
    head = _description_head(span)
    if head is not None:
        known = head.lemma_.lower() in words or roles.is_role_word(head)
        if known:
            return _antecedent_of_description(entities, span.start_char, head.lower_, head.lemma_.lower())
    return None


def entity_for_phrase(doc: Doc, start: int, end: int, type_hint: str | None = None) -> str:
    """The id of the entity a speaker phrase refers to, adding a new Entity to doc._.entities when
    none fits (a speaker NER missed, "a local official"). New ids continue the "eN" numbering.
    Offsets are clamped to the text; an empty phrase is a caller's error (ValueError)."""
    length = doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0
    start, end = max(0, min(start, length)), max(0, min(end, length))
    if start >= end:
        raise ValueError(f"entity_for_phrase needs a non-empty phrase, got offsets {start}-{end}")
    found = resolve_reference(doc, start, end)
    if found is not None:
        return found
    if doc._.entities is None:
        doc._.entities = []
    text = _text_between(doc, start, end)
    same_key = _entity_with_key(doc._.entities, text) or _person_with_surname(doc._.entities, text)
    if same_key is not None:
        same_key.mentions.append(Mention(start=start, end=end, text=text, kind="name"))
        return same_key.id
    span = _phrase_span(doc, start, end)
    kind = "pronoun" if span is not None and len(span) == 1 and span[0].pos_ == "PRON" else (
        "name" if span is not None and any(t.pos_ == "PROPN" for t in span) else "description")
    entity_type = type_hint if type_hint in get_args(EntityType) else _guess_type(span)
    entity = Entity(id=_next_id(doc._.entities), type=entity_type,
                    name=text.strip() or text, mentions=[Mention(start=start, end=end, text=text, kind=kind)],
                    key=_matching_key(text, entity_type))
    doc._.entities.append(entity)
    return entity.id


def _matching_key(text: str, entity_type: str) -> str:
    from onrecord.analyse.entities import matching_key  # entities imports this module

    return matching_key(text, entity_type)


def _text_between(doc: Doc, start: int, end: int) -> str:
    """doc.text[start:end] without rebuilding doc.text (a pass over the whole doc)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return doc.text[start:end]
    return span.text[start - span.start_char:end - span.start_char]


def _entity_with_key(entities: list[Entity], text: str) -> Entity | None:
    """An entity whose key the phrase has when read as a name of that entity's type."""
    from onrecord.analyse.entities import matching_key

    return next((e for e in entities if e.key and matching_key(text, e.type) == e.key), None)


def _person_with_surname(entities: list[Entity], text: str) -> Entity | None:
    """A full-named person whose surname the phrase is ("Jobs" after "Steve Jobs")."""
    from onrecord.analyse.names import person_names_match

    words = name_words(text)
    if len(words) != 1 or not words[0][:1].isupper():
        return None
    return next((e for e in entities if e.type == "PERSON" and len(name_words(e.name)) > 1
                 and person_names_match(words, name_words(e.name))), None)


def _next_id(entities: list[Entity]) -> str:
    numbers = [int(e.id[1:]) for e in entities if e.id[1:].isdigit()]
    return f"e{max(numbers, default=0) + 1}"


def _guess_type(span: Span | None) -> str:
    if span is None:
        return "OTHER"
    if span.root.ent_type_ in {"PERSON", "ORG", "GPE", "NORP"}:
        return span.root.ent_type_
    if roles.is_role_word(span.root) or span.root.lower_ in {"he", "she", "i", "we", "person", "man", "woman"}:
        return "PERSON"
    words = reference_words()
    word = words.get(span.root.lemma_.lower())
    if word is not None and len(word.types) == 1:
        return next(iter(word.types))
    return "PERSON" if span.root.pos_ == "PROPN" else "OTHER"


# ---------------------------------------------------------------- mentions for the record


def add_reference_mentions(doc: Doc) -> None:
    """Add pronoun and description mentions to the entities they resolve to, then the
    organisations named by an owner ("his press service") as entities of their own."""
    entities: list[Entity] = doc._.entities
    if not entities:
        return
    index = MentionIndex(entities)  # the name mentions: antecedents are searched among them
    words = reference_words()
    pronouns = [get_string_id(w) for w, word in words.items() if word.kind == "pronoun" and word.gender != "-"]
    for token in tokens_where(doc, numpy.isin(column(doc, LOWER), numpy.array(pronouns, dtype=numpy.uint64))):
        word = words.get(token.lower_)
        if word is None or word.kind != "pronoun" or word.gender == "-" or index.covers(token.idx):
            continue  # only he/she forms: "it" and "they" are too often not about a named entity
        entity = _antecedent_of_pronoun(index, token.idx, word)
        if entity is not None:
            entity.mentions.append(Mention(start=token.idx, end=token.idx + len(token), text=token.text,
                                           kind="pronoun"))
    for span in _definite_descriptions(doc):
        if index.covers(span.start_char):
            continue
        head = span[-1]
        entity = _antecedent_of_description(index, span.start_char, head.lower_, head.lemma_.lower())
        if entity is not None:
            entity.mentions.append(Mention(start=span.start_char, end=span.end_char, text=span.text,
                                           kind="description"))
    _add_owned_organisations(doc, entities)
    for entity in entities:
        entity.mentions.sort(key=lambda m: m.start)


def _definite_descriptions(doc: Doc):
    """Singular "the <noun>" phrases whose noun is a description word or a role word, without "of"
    or a relative clause after it (which make a new description rather than point back)."""
    words = reference_words()
    for token in tokens_where(doc, (column(doc, POS) == NOUN) & (column(doc, IS_LOWER) == 1)):
        if token.pos_ != "NOUN" or not token.is_lower:
            continue
        lemma = token.lemma_.lower()
        if not ((lemma in words and words[lemma].kind == "description") or roles.is_role_word(token)):
            continue
        if token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "of":
            continue
        if token.tag_ in {"NNS", "NNPS"} or any(child.dep_ in {"relcl", "acl"} for child in token.children):
            continue  # "the new missiles that we are creating" introduces something, it does not point back
        start = token.i
        while start > 0 and doc[start - 1].pos_ in {"ADJ"} and doc[start - 1].is_lower:
            start -= 1
        if start > 0 and doc[start - 1].lower_ == "the":
            yield doc[start - 1:token.i + 1]


def _add_owned_organisations(doc: Doc, entities: list[Entity]) -> None:
    lower = column(doc, LOWER)
    for head_words in owned_org_heads():
        size = len(head_words)
        for token in tokens_where(doc, lower == get_string_id(head_words[0])):
            if token.lower_ != head_words[0] or token.i == 0 or \
                    tuple(t.lower_ for t in doc[token.i:token.i + size]) != head_words:
                continue
            owner_token = doc[token.i - 1]
            owner = _owner(doc, entities, owner_token)
            if owner is None:
                continue
            # "his press service" is named with the pronoun; "the ministry's press service" without
            # the owner, whose words are a mention of the owner.
            first = token.i - 1 if owner_token.lower_ in _POSSESSIVES else token.i
            phrase = doc[first:token.i + size]
            phrase_start = phrase.start_char
            name = f"{owner.name}'s {' '.join(head_words)}"
            existing = next((e for e in entities if e.name == name), None)
            mention = Mention(start=phrase_start, end=phrase.end_char, text=phrase.text)
            if existing is None:
                entities.append(Entity(id=_next_id(entities), type="ORG", name=name, mentions=[mention],
                                       aliases=[mention.text], key=_matching_key(name, "ORG")))
            else:
                existing.mentions.append(mention)
                if mention.text not in existing.aliases:
                    existing.aliases.append(mention.text)


def _owner(doc: Doc, entities: list[Entity], token) -> Entity | None:
    """Whose thing it is: a possessive pronoun's antecedent, or the entity named just before "'s"."""
    if token.lower_ in _POSSESSIVES:
        word = reference_words().get(token.lower_)
        return _antecedent_of_pronoun(entities, token.idx, word) if word else None
    if token.text in {"'s", "’s"}:
        return _overlapping_entity(entities, token.idx - 1, token.idx)
    return None
