"""Speaker resolution: a speaker phrase ("Smith", "he", "the agency") -> an entity id of the record.

The entities component owns `doc._.entities`; `onrecord.analyse.coref` (its public API) resolves
names, pronouns and descriptions to them and adds an entity for a speaker no one named before.
This module only adds what is particular to speakers: a pronoun coreference leaves open goes to
the nearest earlier speaker, and repeated unresolved names are looked up once.
"""

from __future__ import annotations

from spacy.tokens import Doc

from onrecord.analyse import coref

_PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "i", "we"})
_GROUP_PRONOUNS = frozenset({"it", "they", "we"})


class SpeakerResolver:
    """Resolves speaker phrases of one doc, creating entities where none matches."""

    def __init__(self, doc: Doc, text: str | None = None) -> None:
        self.doc = doc
        self.text = doc.text if text is None else text
        if doc._.entities is None:
            doc._.entities = []
        self._new_names: dict[str, str] = {}
        self._named: list[tuple[int, int, str]] | None = None
        self._speakers: list[tuple[int, str, str]] = []  # (position, entity id, type) in resolution order
        self._resolved: dict[tuple[int, int], str | None] = {}

    def entity(self, phrase: tuple[int, int]) -> str | None:
        """The entity id of the speaker phrase at `phrase` (offsets), or None."""
        start, end = phrase
        if end <= start:
            return None
        if (start, end) not in self._resolved:
            # One phrase often speaks several statements (a quote split by its cue, floating quotes).
            self._resolved[start, end] = self._with_coref(start, end)
        return self._resolved[start, end]

    def _with_coref(self, start: int, end: int) -> str | None:
        start, end = _relative_antecedent(self.doc, start, end)
        entity = coref.resolve_reference(self.doc, start, end)
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
                entity = coref.entity_for_phrase(self.doc, start, end, type_hint=self._type_hint(start, end))
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


def _relative_antecedent(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """The phrase a speaker phrase names: a relative pronoun ('the former president, who spent his
    speech defending ...') stands for the noun its clause belongs to. PolNeAR marks the pronoun as
    the source, so the speaker span keeps it; the entity is whom it names."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) != 1:
        return start, end
    pronoun = span[0]
    clause = pronoun.head
    if pronoun.tag_ in ("WP", "WDT") and clause.dep_ == "relcl" and clause.head.pos_ in ("NOUN", "PROPN"):
        noun = clause.head
        return noun.left_edge.idx, noun.idx + len(noun)
    return start, end
