"""Roles and titles of people, read from the words around their names.

Three shapes are read: a title before the name, inside the same noun phrase ("the acting
President of Kazakhstan Kassym-Jomart Tokayev" -> "acting President of Kazakhstan"), and an
apposition after it ("Anna Ivanova, a spokeswoman for the ministry," -> "spokeswoman for the
ministry"). Role words live in data/role_words.tsv.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Doc, Span

from onrecord.analyse.names import read_data_lines

# A title before a name is at most this many tokens long; the longest in the team's examples
# ("governor of the Nizhny Novgorod region of the Russian Federation") has 10.
_MAX_TITLE_TOKENS = 14
# An apposition after a name ends at the next comma, dash or sentence end, or after this many tokens.
_MAX_APPOSITION_TOKENS = 12
# Words that may stand inside a title between the role word and the name.
_TITLE_INNER_POS = {"ADP", "DET", "PROPN", "NOUN", "ADJ", "CCONJ", "PART", "PUNCT", "NUM"}


@lru_cache(maxsize=1)
def role_words() -> dict[str, str]:
    """Role word (lower case) -> the gender it implies: "M", "F" or "-"."""
    return {word.lower(): gender for word, gender in (line.split("\t") for line in read_data_lines("role_words.tsv"))}


def is_role_word(token) -> bool:
    words = role_words()
    return token.lower_ in words or token.lemma_.lower() in words


def role_gender(roles: list[str]) -> str | None:
    """"M" or "F" when a role word implies it (spokeswoman, Mr), else None."""
    words = role_words()
    for role in roles:
        for word in role.lower().replace(",", " ").split():
            if words.get(word) in ("M", "F"):
                return words[word]
    return None


def sentence_start(doc: Doc, i: int) -> int:
    """Index of the first token of the sentence holding token i (Span.sent walks the whole doc)."""
    while i > 0 and not doc[i].is_sent_start:
        i -= 1
    return i


def title_before(doc: Doc, name: Span) -> str | None:
    """The title in front of a name, from its leftmost modifier to the word before the name."""
    first = max(sentence_start(doc, name.start), name.start - _MAX_TITLE_TOKENS)
    role_index = None
    for i in range(name.start - 1, first - 1, -1):
        token = doc[i]
        if token.pos_ not in _TITLE_INNER_POS or token.text in {",", ";", ":", "(", ")", "“", "”", '"'}:
            break
        if is_role_word(token):
            role_index = i
    if role_index is None:
        return None
    start = _with_modifiers(doc, role_index, first)
    while start < name.start and doc[start].pos_ in {"PUNCT", "DET"}:
        start += 1
    end = name.start
    while end > start and doc[end - 1].pos_ in {"PUNCT", "DET", "ADP", "CCONJ"}:
        end -= 1
    if end <= start:
        return None
    return doc[start:end].text


def _with_modifiers(doc: Doc, start: int, first: int) -> int:
    """Extend a role word leftwards over its modifiers: "former", "acting", "self-proclaimed",
    "Energy" in "Energy Minister"."""
    while start - 1 >= first:
        previous = doc[start - 1]
        if previous.text == "-" and start - 2 >= first and not previous.whitespace_ \
                and not doc[start - 2].whitespace_ and doc[start - 2].is_alpha:
            start -= 2  # a hyphenated modifier is three tokens: "self", "-", "proclaimed"
        elif previous.pos_ in {"ADJ", "VERB", "NOUN", "PROPN"} and (previous.is_lower or previous.is_title) \
                and previous.dep_ in {"amod", "compound", "nmod", "npadvmod"} and previous.ent_type_ != "PERSON":
            start -= 1
        else:
            return start
    return start


def apposition_after(doc: Doc, name: Span) -> str | None:
    """The role in an apposition after a name: "X, a spokesman for Y," -> "spokesman for Y"."""
    if name.end + 2 >= len(doc) or doc[name.end].text != ",":
        return None
    start = name.end + 1
    if doc[start].lower_ in {"a", "an", "the"}:
        start += 1
    end = start
    has_role = False
    while end < len(doc) and end - start < _MAX_APPOSITION_TOKENS:
        token = doc[end]
        if token.text in {",", ";", ".", "—", "–", ")", "“", "”", '"'} or token.pos_ in {"VERB", "AUX", "PRON"}:
            break
        if is_role_word(token):
            has_role = True
        end += 1
    if not has_role or end == start:
        return None
    return doc[start:end].text


def apposition_before(doc: Doc, name: Span) -> str | None:
    """A role opening the sentence before a comma and the name: "A spokeswoman for the agency,
    Iryna Bondar, said" -> "spokeswoman for the agency"."""
    if name.start < 2 or doc[name.start - 1].text != ",":
        return None
    start = sentence_start(doc, name.start)
    while start < name.start - 1 and (doc[start].lower_ in {"a", "an", "the"} or doc[start].is_space):
        start += 1
    phrase = doc[start:name.start - 1]
    if not len(phrase) or len(phrase) > _MAX_APPOSITION_TOKENS or not is_role_word(phrase[0]) \
            or any(t.pos_ in {"VERB", "AUX", "PRON"} or t.text in {",", ";", ":"} for t in phrase):
        return None
    return phrase.text


def roles_of(doc: Doc, name: Span) -> list[str]:
    """Roles named next to one mention of a person."""
    found = (title_before(doc, name), apposition_before(doc, name), apposition_after(doc, name))
    return [role for role in found if role]
