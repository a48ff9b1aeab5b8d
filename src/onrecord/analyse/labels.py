"""Paragraph labels that introduce speech: "Direct speech:", "X's direct speech:", transcript
labels ("PENCE:") and headline labels ("Pat Smith: ...")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.tokens import Doc

from onrecord.analyse.quotes import paragraphs

# Possessor, label, colon at the start of a paragraph or line.
_POSSESSOR = r"(?:(?P<speaker>[^\n:]{1,60}?)(?:['’]s?)\s+)?"
# A speaker label is a name of at most this many words before a colon (transcripts, headlines);
# longer stretches before a colon are sentences, not labels.
_MAX_SPEAKER_LABEL_WORDS = 4


@dataclass(frozen=True)
class Label:
    start: int
    end: int  # end of the colon
    cue: tuple[int, int]
    speaker: tuple[int, int] | None


@lru_cache(maxsize=1)
def _label_pattern() -> re.Pattern:
    text = resources.files("onrecord.data").joinpath("quote_labels.txt").read_text(encoding="utf-8")
    words = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    alternatives = "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?im)^[ \t]*{_POSSESSOR}(?P<cue>{alternatives})\s*:")


def find_labels(text: str) -> list[Label]:
    """Quote labels at line starts; the possessor, when there is one, is the speaker."""
    labels = []
    for match in _label_pattern().finditer(text):
        speaker = (match.start("speaker"), match.end("speaker")) if match.group("speaker") else None
        labels.append(Label(match.start(), match.end(), (match.start("cue"), match.end("cue")), speaker))
    return labels


def find_speaker_labels(doc: Doc, text: str) -> list[Label]:
    """'NAME: text' at the start of a paragraph where NAME ends with a person or organisation the
    named-entity recogniser found (or is a surname of one), or is an all-capitals transcript name
    ('PENCE:'). The label's speaker is that name."""
    labels = []
    for start, end in paragraphs(text):
        head = text[start:end]
        colon = head.find(":")
        if colon <= 0 or len(head[:colon].split()) > _MAX_SPEAKER_LABEL_WORDS or not head[colon + 1:].strip():
            continue
        name = (start, start + colon)
        speaker = name if _is_capitals_name(head[:colon]) else _named_speaker(doc, text, name)
        if speaker is not None:
            labels.append(Label(start, start + colon + 1, (start + colon, start + colon + 1), speaker))
    return labels


def _is_capitals_name(words: str) -> bool:
    """'PENCE', 'JAKE TAPPER', 'SEN. KAINE': a transcript's speaker in capitals. A single letter
    is an interview's 'Q:' or 'A:', which PolNeAR does not read as naming anyone."""
    return words.isupper() and len(words.strip()) > 1 and all(word.rstrip(".").isalpha() for word in words.split())


def _named_speaker(doc: Doc, text: str, name: tuple[int, int]) -> tuple[int, int] | None:
    """The speaker in the words before a label's colon: a person or organisation the recogniser
    found ending there ('Sidney Blumenthal', 'OK Gov Ann Fallin' -> 'Gov Ann Fallin'), or a single
    word that is the last name of a person named elsewhere in the article (a headline's 'Cruz:')."""
    for entity in doc.ents:
        if entity.label_ in ("PERSON", "ORG", "NORP") and entity.end_char == name[1] and entity.start_char >= name[0]:
            return entity.start_char, entity.end_char
    word = text[name[0]:name[1]].strip()
    if word.istitle() and word.isalpha() and word in _surnames(doc):
        return name
    return None


def _surnames(doc: Doc) -> set[str]:
    return {entity[-1].text for entity in doc.ents if entity.label_ == "PERSON" and len(entity) > 1}
