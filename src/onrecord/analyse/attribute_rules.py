"""The model's attribute rules (POS and morphology from the tag, lemma exceptions) applied with array
look-ups instead of spaCy's Matcher.

en_core_web_sm's `attribute_ruler` holds ~180 one- and two-word rules ("TAG VBZ -> POS VERB",
"LOWER 'gon' + 'na' -> LEMMA 'go'"). spaCy runs them through its general Matcher, which tries every
rule at every token: on news text that was ~10% of the whole parse, more than any onrecord component.
`ArrayAttributeRuler` reads the same rules from the model's own ruler and finds the same matches
by comparing whole columns of token attributes (`Doc.to_array`), then sets the attributes with
spaCy's own `set_token_attrs` in the ruler's order (later rules win). The annotations are identical
(tests/test_pipeline.py compares every match with the Matcher's); a rule using anything else than
equality, IN, NOT_IN or REGEX on LOWER, ORTH, TAG, DEP or IS_SPACE makes the whole component use
the Matcher as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy
from spacy.attrs import DEP, IS_SPACE, LOWER, ORTH, TAG
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

# The factory's name; Settings(disable={ARRAY_ATTRIBUTE_RULES}) keeps spaCy's own AttributeRuler.
ARRAY_ATTRIBUTE_RULES = "onrecord_attribute_rules"
# Attributes whose values the Matcher compares as plain ids, as Doc.to_array returns them.
_COLUMNS = {"LOWER": LOWER, "ORTH": ORTH, "TAG": TAG, "DEP": DEP, "IS_SPACE": IS_SPACE}
_ATTRS = list(_COLUMNS.values())


@dataclass(frozen=True)
class _Test:
    """One attribute test of one word of a rule."""
    column: int  # index into _ATTRS
    kind: str  # "equal", "IN", "NOT_IN" or "REGEX"
    value: object  # an id, a tuple of ids, or a compiled regex


@dataclass(frozen=True)
class _Rule:
    attr_id: int  # the ruler's ordinal for the rule: matches are applied in its order
    match_id: int  # the Matcher's key for the rule
    words: tuple[tuple[_Test, ...], ...]


class ArrayAttributeRuler:
    """Stands in for spaCy's AttributeRuler, with the same rules and the same annotations."""

    def __init__(self, nlp: Language, name: str = "attribute_ruler") -> None:
        self.name = name
        self.ruler = None
        self.rules: list[_Rule] | None = None
        self._regex_hits: dict[tuple[str, int], bool] = {}

    def use(self, ruler) -> ArrayAttributeRuler:
        """Take the rules of spaCy's AttributeRuler `ruler`; None (the Matcher is used) when one
        of them needs something the array look-up does not do."""
        self.ruler = ruler
        self.rules = _compile(ruler)
        return self

    def __call__(self, doc: Doc) -> Doc:
        if self.rules is None:
            return self.ruler(doc)
        self.set_annotations(doc, self.match(doc))
        return doc

    def match(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        """(attr_id, match_id, start, end) of every match, sorted: AttributeRuler.match's output."""
        if self.rules is None:
            return self.ruler.match(doc)
        if not len(doc):
            return []
        columns = doc.to_array(_ATTRS).reshape(len(doc), len(_ATTRS))
        found = []
        cache: dict[_Test, numpy.ndarray] = {}
        for rule in self.rules:
            size = len(rule.words)
            if size > len(doc):
                continue
            hits = numpy.ones(len(doc) - size + 1, dtype=bool)
            for offset, tests in enumerate(rule.words):
                for test in tests:
                    hits &= self._passes(test, columns, doc, cache)[offset:offset + len(hits)]
            found.extend((rule.attr_id, rule.match_id, int(start), int(start) + size)
                         for start in numpy.flatnonzero(hits))
        found.sort()
        return found

    def set_annotations(self, doc: Doc, matches: list[tuple[int, int, int, int]]) -> None:
        """AttributeRuler.set_annotations without building a Span per match."""
        attrs, indices = self.ruler.attrs, self.ruler.indices
        for attr_id, _match_id, start, end in matches:
            index = indices[attr_id]
            position = start + index if index >= 0 else end + index
            if not start <= position < end:
                self.ruler.set_annotations(doc, matches)  # spaCy raises its own error for this rule
                return
            set_token_attrs(doc[position], attrs[attr_id])

    def _passes(self, test: _Test, columns: numpy.ndarray, doc: Doc, cache: dict) -> numpy.ndarray:
        if test not in cache:
            values = columns[:, test.column]
            if test.kind == "equal":
                cache[test] = values == test.value
            elif test.kind in ("IN", "NOT_IN"):
                inside = numpy.isin(values, numpy.array(test.value, dtype=numpy.uint64))
                cache[test] = inside if test.kind == "IN" else ~inside
            else:
                # Each distinct word once: a regex per token would cost more than the Matcher saves.
                hits = [value for value in numpy.unique(values).tolist() if self._regex_hit(test.value, value, doc)]
                cache[test] = numpy.isin(values, numpy.array(hits, dtype=numpy.uint64))
        return cache[test]

    def _regex_hit(self, regex: re.Pattern, value: int, doc: Doc) -> bool:
        key = (regex.pattern, value)
        if key not in self._regex_hits:
            self._regex_hits[key] = bool(regex.search(doc.vocab.strings[value]))
        return self._regex_hits[key]


def _compile(ruler) -> list[_Rule] | None:
    rules = []
    for attr_id in range(len(ruler.attrs)):
        match_id = ruler.vocab.strings[str(attr_id)]
        found = ruler.matcher.get(match_id)
        if found is None:
            continue
        for pattern in found[1]:
            words = tuple(_tests(spec) for spec in pattern)
            if not words or any(tests is None for tests in words):
                return None
            rules.append(_Rule(attr_id, match_id, words))
    return rules


def _tests(spec: dict) -> tuple[_Test, ...] | None:
    tests = []
    for name, value in spec.items():
        if not isinstance(name, str) or name.upper() not in _COLUMNS:
            return None  # OP, another attribute, an extension: leave it to the Matcher
        column = _ATTRS.index(_COLUMNS[name.upper()])
        if isinstance(value, bool):
            tests.append(_Test(column, "equal", int(value)))
        elif isinstance(value, str):
            tests.append(_Test(column, "equal", get_string_id(value)))
        elif isinstance(value, dict) and len(value) == 1:
            predicate, argument = next(iter(value.items()))
            if predicate in ("IN", "NOT_IN") and isinstance(argument, list) and \
                    all(isinstance(item, str) for item in argument):
                tests.append(_Test(column, predicate, tuple(sorted({get_string_id(item) for item in argument}))))
            elif predicate == "REGEX" and isinstance(argument, str) and name.upper() != "IS_SPACE":
                tests.append(_Test(column, "REGEX", re.compile(argument)))
            else:
                return None
        else:
            return None
    return tuple(tests)


@Language.factory(ARRAY_ATTRIBUTE_RULES)
def make_attribute_rules(nlp: Language, name: str) -> ArrayAttributeRuler:
    return ArrayAttributeRuler(nlp, name)


def use_array_rules(nlp: Language) -> None:
    """Put an ArrayAttributeRuler with the rules of the model's `attribute_ruler` in its place
    (same name, same position); nothing happens to a pipeline without one."""
    if "attribute_ruler" not in nlp.pipe_names:
        return
    ruler = nlp.get_pipe("attribute_ruler")
    if isinstance(ruler, ArrayAttributeRuler):
        return
    nlp.replace_pipe("attribute_ruler", ARRAY_ATTRIBUTE_RULES).use(ruler)
