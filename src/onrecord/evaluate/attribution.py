"""Score attributions against PolNeAR-style brat standoff (`<dir>/text/*.txt`, `<dir>/attributions/*.ann`).

Matching rules (stated here and in the output's `rules` field):

- **exact**: a predicted content matches a gold content when both have the same start and end
  after trimming whitespace, quotation marks and punctuation from both ends of each; a
  discontinuous span counts from its first part's start to its last part's end.
- **overlap**: a predicted content matches a gold content when they share at least one word token
  (a maximal run of letters or digits). Matching is one-to-one, greedy by the largest share.
- **cue**: same overlap rule on the cue spans of all attributions (one-to-one); a cue with no word
  in it (a colon, a quotation mark, a dash) is compared by its visible characters instead, else it
  could never match.
- **speaker accuracy**: over gold attributions that have a Source and whose content was matched
  (overlap), the share whose predicted speaker span overlaps the gold Source span by a character.

When an article has several annotators' files (PolNeAR train), the annotator whose id sorts first
is used, so the choice is deterministic.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from onrecord.errors import InputError
from onrecord.evaluate import prf

RULES = {
    "exact": "same start/end after trimming whitespace, quotation marks and punctuation at both ends",
    "overlap": "at least one shared word token (letters/digits run), one-to-one greedy matching",
    "cue": "overlap rule on cue spans; a cue without words (':', a quotation mark) by its characters",
    "speaker_accuracy": "matched gold attributions with a Source: predicted speaker overlaps it",
}
_WORD = re.compile(r"\w+")
_TRIM = " \t\r\n\"'“”‘’„«»‹›`.,;:!?-—–()[]…"


@dataclass(frozen=True)
class GoldSpan:
    parts: tuple[tuple[int, int], ...]

    @property
    def start(self) -> int:
        return self.parts[0][0]

    @property
    def end(self) -> int:
        return self.parts[-1][1]


@dataclass
class GoldAttribution:
    content: GoldSpan | None
    cue: GoldSpan | None
    source: GoldSpan | None


@dataclass
class GoldArticle:
    name: str
    text: str
    outlet: str
    attributions: list[GoldAttribution] = field(default_factory=list)


def read_brat(ann_text: str) -> list[GoldAttribution]:
    """Attribution relations of one brat file. Span texts are not trusted (they may hold
    newlines); offsets are."""
    spans: dict[str, GoldSpan] = {}
    attributions = []
    for line in ann_text.splitlines():
        fields = line.split("\t")
        if len(fields) < 2:
            continue
        if fields[0].startswith("T"):
            label_offsets = fields[1].split(" ", 1)
            if len(label_offsets) != 2:
                continue
            parts = tuple(tuple(int(x) for x in piece.split()) for piece in label_offsets[1].split(";"))
            spans[fields[0]] = GoldSpan(tuple(sorted(parts)))
        elif fields[0].startswith("E"):
            roles = dict(item.split(":", 1) for item in fields[1].split() if ":" in item)
            attributions.append(roles)
    return [GoldAttribution(content=spans.get(roles.get("Content", "")), cue=spans.get(roles.get("Cue", "")),
                            source=spans.get(roles.get("Source", ""))) for roles in attributions]


def read_polnear(directory: Path, limit: int | None = None) -> list[GoldArticle]:
    """Articles of one PolNeAR split, in name order, one annotator each (the first id)."""
    directory = Path(directory)
    if not (directory / "attributions").is_dir() or not (directory / "text").is_dir():
        raise InputError(f"{directory} is not a PolNeAR-layout folder (text/ and attributions/)")
    outlets = _outlets(directory.parent / "metadata.tsv")
    annotations: dict[str, Path] = {}
    for path in sorted((directory / "attributions").glob("*.ann")):
        name = path.stem.rsplit("_", 1)[0]
        annotations.setdefault(name, path)
    articles = []
    for name, path in sorted(annotations.items())[:limit]:
        text_path = directory / "text" / f"{name}.txt"
        if not text_path.exists():
            continue
        text = text_path.read_text(encoding="utf-8")
        outlet = outlets.get(name, name.split("_", 1)[0])
        articles.append(GoldArticle(name, text, outlet, read_brat(path.read_text(encoding="utf-8"))))
    return articles


def _outlets(metadata: Path) -> dict[str, str]:
    if not metadata.exists():
        return {}
    with metadata.open(encoding="utf-8") as handle:
        return {row["filename"]: row["publisher"] for row in csv.DictReader(handle, delimiter="\t")}


@dataclass
class Counts:
    gold: int = 0
    predicted: int = 0
    exact: int = 0
    overlap: int = 0
    cue_gold: int = 0
    cue_predicted: int = 0
    cue_matched: int = 0
    speaker_total: int = 0
    speaker_right: int = 0

    def add(self, other: Counts) -> None:
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def metrics(self) -> dict:
        def scores(matched, predicted, gold):
            return prf(matched, predicted - matched, gold - matched)

        return {
            "gold": self.gold, "predicted": self.predicted,
            "exact": scores(self.exact, self.predicted, self.gold),
            "overlap": scores(self.overlap, self.predicted, self.gold),
            "cue": scores(self.cue_matched, self.cue_predicted, self.cue_gold),
            "speaker_accuracy": self.speaker_right / self.speaker_total if self.speaker_total else 0.0,
        }


def score_article(text: str, gold: list[GoldAttribution], predicted: list) -> Counts:
    """Counts for one article; `predicted` holds onrecord.model.Attribution objects."""
    gold = [item for item in gold if item.content is not None]
    predicted_parts = [_parts(item.content) for item in predicted]
    counts = Counts(gold=len(gold), predicted=len(predicted))
    gold_keys = [_trimmed(text, item.content.start, item.content.end) for item in gold]
    predicted_keys = [_trimmed(text, parts[0][0], parts[-1][1]) for parts in predicted_parts]
    counts.exact = _one_to_one([[1.0 if g == p else 0.0 for p in predicted_keys] for g in gold_keys])
    pairs = overlap_pairs(text, gold, predicted)
    counts.overlap = len(pairs)
    for gold_index, predicted_index in pairs:
        source, speaker = gold[gold_index].source, predicted[predicted_index].speaker
        if source is None:
            continue
        counts.speaker_total += 1
        if speaker is not None and any(speaker.start < end and start < speaker.end for start, end in source.parts):
            counts.speaker_right += 1
    gold_cues = [_cue_units(text, item.cue.parts) for item in gold if item.cue is not None]
    predicted_cues = [_cue_units(text, [(item.cue.start, item.cue.end)]) for item in predicted if item.cue is not None]
    counts.cue_gold, counts.cue_predicted = len(gold_cues), len(predicted_cues)
    counts.cue_matched = len(_pairs([[float(len(g & p)) for p in predicted_cues] for g in gold_cues]))
    return counts


def overlap_pairs(text: str, gold: list[GoldAttribution], predicted: list) -> list[tuple[int, int]]:
    """(gold index, predicted index) of the contents matched by the overlap rule (gold with a content only)."""
    gold_words = [_words(text, item.content.parts) for item in gold]
    predicted_words = [_words(text, _parts(item.content)) for item in predicted]
    return _pairs([[float(len(g & p)) for p in predicted_words] for g in gold_words])


def _parts(content) -> list[tuple[int, int]]:
    return [(part.start, part.end) for part in content.parts] if content.parts else [(content.start, content.end)]


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end


def _words(text: str, parts: Iterable[tuple[int, int]]) -> set[int]:
    """Word tokens of the spans, as their start offsets."""
    return {match.start() for start, end in parts for match in _WORD.finditer(text, start, end)}


def _cue_units(text: str, parts: Iterable[tuple[int, int]]) -> set[int]:
    """A cue's word tokens; for a cue of punctuation alone, its visible characters (their offsets
    cannot collide with a word's start, which is a letter or digit)."""
    parts = list(parts)
    return _words(text, parts) or {i for start, end in parts for i in range(start, end) if not text[i].isspace()}


def _pairs(weights: list[list[float]]) -> list[tuple[int, int]]:
    """One-to-one pairs with a positive weight, the heaviest first."""
    candidates = sorted(((weight, g, p) for g, row in enumerate(weights) for p, weight in enumerate(row)
                         if weight > 0), reverse=True)
    used_gold, used_predicted, pairs = set(), set(), []
    for _, g, p in candidates:
        if g not in used_gold and p not in used_predicted:
            used_gold.add(g)
            used_predicted.add(p)
            pairs.append((g, p))
    return pairs


def _one_to_one(weights: list[list[float]]) -> int:
    return len(_pairs(weights))


def evaluate_attribution(directory: Path, analyzer=None, limit: int | None = None) -> dict:
    """Run the analyzer over a PolNeAR-layout folder and score it, overall and per outlet."""
    from onrecord.analyse.pipeline import Analyzer

    analyzer = analyzer or Analyzer.default()
    articles = read_polnear(directory, limit)
    docs = analyzer.nlp.pipe((article.text for article in articles), batch_size=16)
    return score_docs(articles, docs)


def score_docs(articles: list[GoldArticle], docs: Iterable) -> dict:
    """Metrics for analysed docs (with `doc._.attributions`) paired with their gold articles."""
    total, by_outlet = Counts(), {}
    for article, doc in zip(articles, docs, strict=False):
        counts = score_article(article.text, article.attributions, doc._.attributions or [])
        total.add(counts)
        by_outlet.setdefault(article.outlet, Counts()).add(counts)
    return {"articles": len(articles), **total.metrics(),
            "per_outlet": {outlet: counts.metrics() for outlet, counts in sorted(by_outlet.items())},
            "rules": RULES}
