"""Name matching: a transliteration-folding key and the gates that decide two names are one entity.

The key folds the alternations of the common romanisations of Cyrillic (BGN/PCGN, ISO 9, scholarly,
the Belarusian and Ukrainian national systems; listed in data/translit_alternations.tsv) onto one
spelling, so that "Zelensky", "Zelenskyy" and "Зеленский" share a key. Fuzzy similarity (rapidfuzz)
covers what the rules miss, but only behind gates on type and first names, so that "Alexander" and
"Alexandra", or a father and son sharing a surname, stay apart.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources

from rapidfuzz import fuzz

# Possessive endings and the article are not part of a name ("Tokayev's", "the Kremlin").
_POSSESSIVE = re.compile(r"(?:['’]s|s['’])$", re.IGNORECASE)
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)


def read_data_lines(name: str) -> list[str]:
    """Non-comment, non-blank lines of a file in onrecord/data."""
    text = resources.files("onrecord.data").joinpath(name).read_text(encoding="utf-8")
    return [line.rstrip("\n") for line in text.splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def _alternations():
    chars: dict[int, str] = {}
    word_rules: list[tuple[re.Pattern, str]] = []
    last_rules: list[tuple[re.Pattern, str]] = []
    for line in read_data_lines("translit_alternations.tsv"):
        kind, pattern, replacement = (line.split("\t") + [""])[:3]
        if kind == "char":
            chars[ord(pattern)] = replacement
        elif kind == "re":
            word_rules.append((re.compile(pattern), replacement))
        elif kind == "last":
            last_rules.append((re.compile(pattern), replacement))
    return chars, word_rules, last_rules


def _strip_marks(word: str) -> str:
    # Characters the table does not list (é, ö, å) lose their accents: "Müller" ~ "Muller".
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=65536)
def fold_word(word: str, last: bool = False) -> str:
    """The folded spelling of one word; `last` also applies the rules for a name's last word."""
    chars, word_rules, last_rules = _alternations()
    folded = _strip_marks(word.lower().translate(chars)).translate(chars)
    folded = re.sub(r"[^a-z0-9]", "", folded)
    for pattern, replacement in word_rules:
        folded = pattern.sub(replacement, folded)
    if last:
        for pattern, replacement in last_rules:
            folded = pattern.sub(replacement, folded)
    return folded


def name_words(name: str) -> list[str]:
    """The words of a name without the article and the possessive ending."""
    return list(_name_words(name))  # a new list: callers may change it


@lru_cache(maxsize=65536)
def _name_words(name: str) -> tuple[str, ...]:
    # Clustering compares every name with every earlier one: the split is done once per spelling.
    name = _LEADING_ARTICLE.sub("", name.strip())
    words = _WORD.findall(name)
    if words:
        words[-1] = _POSSESSIVE.sub("", words[-1]) or words[-1]
    return tuple(w for w in words if w)


def name_key(name: str) -> str:
    """The transliteration-folded key of a name: equal keys mean the same spelling up to romanisation.

    Every word is folded; the last word also gets the name-ending rules (Belarusian -a for Russian -o).
    """
    words = name_words(name)
    return " ".join(fold_word(w, last=i == len(words) - 1) for i, w in enumerate(words))


def code_key(name: str) -> str:
    """Key of a product or model designation: case, hyphens and spaces ignored ("S-400" = "S400")."""
    return re.sub(r"[^a-z0-9]", "", _strip_marks(name.lower()))


def key_similarity(a: str, b: str) -> float:
    """Similarity of two keys, 0-100 (rapidfuzz's normalised Indel ratio)."""
    return fuzz.ratio(a, b)


# Two folded words count as spellings of one word at or above this similarity. Chosen on pairs of
# romanisations in the tests (Alyaksandr/Aleksandr 82, Mahiliou/Mogilev 71 stay below and are not
# needed): high enough that Ivanov/Ivanova (91) pass only by the separate gender gate below.
WORD_SIMILARITY = 85.0


def words_match(a: str, b: str, last: bool = False) -> bool:
    """Whether two words are one name's spellings: equal keys, or close keys of long words."""
    fa, fb = fold_word(a, last), fold_word(b, last)
    if fa == fb:
        return True
    if min(len(fa), len(fb)) < 5:
        return False
    if _gendered_pair(fa, fb):
        return False
    return key_similarity(fa, fb) >= WORD_SIMILARITY


def _gendered_pair(a: str, b: str) -> bool:
    # Feminine forms add -a (Alexandr/Alexandra, Ivanov/Ivanova, Petrov/Petrova): different people.
    return a + "a" == b or b + "a" == a or (a[:-1] == b[:-1] and "a" in (a[-1], b[-1]))


def person_names_match(a: list[str], b: list[str]) -> bool:
    """Whether two person names (lists of words) can name one person.

    The last words (surnames) must match; when both names have a first name, the first names must
    match too, so "Ivan Petrenko" and "Petro Petrenko" stay apart while "Petrenko" joins either.
    """
    if not a or not b:
        return False
    if not words_match(a[-1], b[-1], last=True):
        return False
    if len(a) > 1 and len(b) > 1:
        return words_match(a[0], b[0])
    return True


# Words an acronym usually skips: "Organization of the Petroleum Exporting Countries" -> OPEC.
_ACRONYM_SKIPS = {"of", "and", "the", "for", "de", "du", "la", "&", "on", "in"}


def is_acronym_of(short: str, long: str) -> bool:
    """Whether `short` ("EADS", "NATO", "U.S.") abbreviates `long`, with or without the long
    name's last word ("European Aeronautic Defence and Space Company" -> EADS or EADSC)."""
    letters = short.replace(".", "").replace("&", "")
    if not (2 <= len(letters) <= 8 and letters.isupper() and letters.isalpha()):
        return False
    words = [w for w in name_words(long) if w.lower() not in _ACRONYM_SKIPS]
    if len(words) < 2:
        return False
    initials = "".join(w[0] for w in words).upper()
    return letters in (initials, initials[:-1]) and len(letters) >= 2
