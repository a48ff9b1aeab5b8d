"""Speaker resolution: a speaker phrase ("Smith", "he", "the agency") -> an entity id of the record.

The entities component owns `doc._.entities` and, through `onrecord.analyse.coref`, resolves
pronouns and descriptions to their antecedents. When that module is not there (the entities
component switched off or absent), a small fallback keeps speakers apart by name: one entity per
distinct name, pronouns to the nearest speaker before them.
"""

from __future__ import annotations

import importlib

from spacy.tokens import Doc

from onrecord.model import Entity, Mention

_PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "i", "we"})
_GROUP_PRONOUNS = frozenset({"it", "they", "we"})
_DETERMINERS = frozenset({"the", "a", "an", "his", "her", "its", "their"})


def _coref():
    try:
        return importlib.import_module("onrecord.analyse.coref")
    except ImportError:
        return None


class SpeakerResolver:
    """Resolves speaker phrases of one doc, creating entities where none matches."""

    def __init__(self, doc: Doc, text: str | None = None) -> None:
        self.doc = doc
        self.text = doc.text if text is None else text
        self.coref = _coref()
        if doc._.entities is None:
            doc._.entities = []
        self._new_names: dict[str, str] = {}
        self._named: list[tuple[int, int, str]] | None = None
        self._speakers: list[tuple[int, str, str]] = []  # (position, entity id, type) in resolution order

    def entity(self, phrase: tuple[int, int], before: int | None = None) -> str | None:
        start, end = phrase
        if end <= start:
            return None
        if self.coref is not None:
            entity = self._with_coref(start, end)
        else:
            entity = self._fallback(start, end)
        return entity

    def _with_coref(self, start: int, end: int) -> str | None:
        entity = self.coref.resolve_reference(self.doc, start, end)
        if entity is None and self._is_pronoun(start, end):
            # Coreference found no antecedent: the nearest earlier speaker is the likeliest one
            # ("Vasquez said ... She added: ...").
            entity = self._previous_speaker(start, self.text[start:end].strip().lower())
        elif entity is None:
            # A name that came back unresolved once gets the same new entity again without asking
            # (entity_for_phrase rebuilds doc.text, which costs a pass over the doc).
            name = " ".join(self.text[start:end].split())
            entity = self._new_names.get(name)
            if entity is None:
                entity = self.coref.entity_for_phrase(self.doc, start, end, type_hint=self._type_hint(start, end))
                self._new_names[name] = entity
        if entity is not None:
            self._speakers.append((start, entity, self._entity_type(entity)))
        return entity

    def _is_pronoun(self, start: int, end: int) -> bool:
        return self.text[start:end].strip().lower() in _PERSON_PRONOUNS | _GROUP_PRONOUNS

    def _type_hint(self, start: int, end: int) -> str | None:
        """The type of the named entity the phrase overlaps, if the recogniser found one."""
        if self._named is None:
            # doc.ents builds Span objects on every access: read it once per doc.
            self._named = [(ent.start_char, ent.end_char, ent.label_) for ent in self.doc.ents
                           if ent.label_ in ("PERSON", "ORG", "GPE", "NORP")]
        for ent_start, ent_end, label in self._named:
            if ent_start < end and start < ent_end:
                return "ORG" if label == "NORP" else label
        return None

    def _previous_speaker(self, start: int, pronoun: str) -> str | None:
        wanted = "PERSON" if pronoun in _PERSON_PRONOUNS - {"we"} else None
        for _, entity_id, kind in sorted((s for s in self._speakers if s[0] < start), reverse=True):
            if wanted is None or kind == wanted:
                return entity_id
        return None

    def _entity_type(self, entity_id: str) -> str:
        return next((entity.type for entity in self.doc._.entities or [] if entity.id == entity_id), "OTHER")

    def _fallback(self, start: int, end: int) -> str | None:
        """One entity per name; pronouns go to the nearest earlier speaker of a fitting kind."""
        text = self.text[start:end]
        words = {word.strip(".,’'").lower() for word in text.split()} - _DETERMINERS
        words = {word[:-2] if word.endswith("’s") or word.endswith("'s") else word for word in words}
        lowered = text.strip().lower()
        entities: list[Entity] = self.doc._.entities
        if lowered in _PERSON_PRONOUNS | _GROUP_PRONOUNS:
            wanted = "PERSON" if lowered in _PERSON_PRONOUNS - {"we"} else None
            for _, entity_id, kind in reversed([s for s in self._speakers if s[0] < start]):
                if wanted is None or kind == wanted:
                    self._add_mention(entity_id, start, end, "pronoun")
                    return entity_id
            return None
        for entity in entities:
            names = [entity.name, *entity.aliases]
            if any(words and words <= {w.strip(".,’'").lower() for w in name.split()} for name in names) or \
               any(words and {w.strip(".,’'").lower() for w in name.split()} <= words for name in names):
                self._add_mention(entity.id, start, end, "name")
                self._speakers.append((start, entity.id, entity.type))
                return entity.id
        kind = self._type_hint(start, end) or ("PERSON" if text[:1].isupper() else "ORG")
        entity = Entity(id=f"e{len(entities) + 1}", type=kind if kind in ("PERSON", "ORG", "GPE") else "OTHER",
                        name=text, aliases=[text],
                        mentions=[Mention(start=start, end=end, text=text,
                                          kind="name" if text[:1].isupper() else "description")])
        entities.append(entity)
        self._speakers.append((start, entity.id, entity.type))
        return entity.id

    def _add_mention(self, entity_id: str, start: int, end: int, kind: str) -> None:
        for entity in self.doc._.entities:
            if entity.id == entity_id and not any(m.start == start and m.end == end for m in entity.mentions):
                entity.mentions.append(Mention(start=start, end=end, text=self.text[start:end], kind=kind))
