"""The `onrecord_attribution_tagger` component: a CRF trained on PolNeAR corrects the rules' content spans.

The rules (`onrecord_attributions`) find most attributions but often stop a content a few words
early or run it a few words long, and take some verb objects for statements. A linear-chain CRF
(python-crfsuite) tags the tokens of every paragraph a rule content touches as Content, Cue,
Source or nothing (BIO), reading the parse AND the rules' own output (stacking: it learns where
rule boundaries are systematically wrong). Then, where the CRF is clearly surer than the rules:

- a content's end moves to where the CRF's content ends (END_MARGIN);
- a rule attribution whose content the CRF does not see as content is dropped
  (MIN_RULE_CONTENT_PROBABILITY).

Starts never move, and nothing is added: on held-out train articles neither beat the rules.
The model file ships in `onrecord/data/`; `onrecord train attribution DIR` rebuilds it
(`onrecord.train.attribution`). Without it the component keeps the rules' output and warns once.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from importlib import resources

from spacy.attrs import DEP, HEAD, IDX, LEMMA, LOWER, ORTH, POS, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from onrecord.analyse.attribution_spans import shared, with_content
from onrecord.analyse.quotes import find_quotes
from onrecord.analyse.reported import reporting_verbs
from onrecord.analyse.tokens import doc_text
from onrecord.model import Attribution

MODEL_FILE = "attribution_crf.crfsuite"
# Quotation-mark glyphs, for the "is a mark" feature (the quote finder decides roles, not this).
QUOTE_MARKS = frozenset({"“", "”", "\"", "''", "``", "«", "»", "„", "‘", "’"})
# Distance from a token to the nearest rule cue, in tokens, is bucketed so that the CRF sees
# "just before the cue" and "just after" as features of their own; beyond this it is "far".
_CUE_DISTANCE_CAP = 3


@Language.factory("onrecord_attribution_tagger", assigns=["doc._.attributions"],
                  default_config={"model_path": None})
def make_attribution_tagger(nlp: Language, name: str, model_path: str | None) -> AttributionTagger:
    return AttributionTagger(model_path)


class AttributionTagger:
    """Loads the CRF once; each call rewrites `doc._.attributions` with refined contents."""

    def __init__(self, model_path: str | None = None) -> None:
        self.tagger = _load_tagger(model_path)

    def __call__(self, doc: Doc) -> Doc:
        if self.tagger is not None and doc._.attributions:
            doc._.attributions = refine_attributions(doc, doc._.attributions, self.tagger)
        return doc


def _load_tagger(model_path: str | None):
    import pycrfsuite

    path = model_path or str(resources.files("onrecord.data").joinpath(MODEL_FILE))
    tagger = pycrfsuite.Tagger()
    try:
        tagger.open(path)
    except (OSError, ValueError):
        warnings.warn(f"onrecord_attribution_tagger: no model at {path}; attribution spans stay as the "
                      "rules found them (rebuild it with `onrecord train attribution DIR`)", stacklevel=2)
        return None
    return tagger


# Features ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Unit:
    """A stretch of tokens the CRF tags as one sequence (a paragraph that can hold an attribution)."""

    start: int  # token index
    end: int


def tagging_units(doc: Doc, attributions: list[Attribution]) -> list[Unit]:
    """The paragraphs a rule content touches: the tagger only corrects what the rules found, so
    the rest of the article is never tagged (that keeps the component cheap)."""
    contents = [(a.content.start, a.content.end) for a in attributions]
    units = []
    for start, end in paragraph_tokens(doc):
        paragraph = (doc[start].idx, doc[end - 1].idx + len(doc[end - 1]))
        if any(shared(paragraph, content) for content in contents):
            units.append(Unit(start, end))
    return units


def paragraph_tokens(doc: Doc) -> list[tuple[int, int]]:
    """Token ranges of the paragraphs (the whole doc when paragraphs were not marked)."""
    paragraphs = doc._.paragraphs or [(0, len(doc_text(doc)))]
    starts = token_starts(doc)
    ranges = []
    for start_char, end_char in paragraphs:
        tokens = _token_range(starts, start_char, end_char)
        if len(tokens):
            ranges.append((tokens.start, tokens.stop))
    return ranges


def token_starts(doc: Doc) -> list[int]:
    """The character offset of every token (read as one array: iterating a Doc builds objects)."""
    return doc.to_array(IDX).tolist() if len(doc) else []


def rule_labels(doc: Doc, attributions: list[Attribution]) -> list[str]:
    """Each token's role in the rules' output: BC/IC (content), Q (cue), S (speaker) or O."""
    labels = ["O"] * len(doc)
    starts = token_starts(doc)
    for attribution in attributions:
        parts = attribution.content.parts or [attribution.content]
        for role, spans in (("C", parts), ("Q", [attribution.cue] if attribution.cue else []),
                            ("S", [attribution.speaker] if attribution.speaker else [])):
            for span in spans:
                first = True
                for index in _token_range(starts, span.start, span.end):
                    labels[index] = ("B" if first else "I") + role if role == "C" else role
                    first = False
    return labels


def _token_range(starts: list[int], start: int, end: int) -> range:
    """Indices of the tokens that begin inside [start, end)."""
    from bisect import bisect_left

    return range(bisect_left(starts, start), bisect_left(starts, end))


@dataclass(frozen=True)
class _Words:
    """What the features read of each token of a doc, read once (spaCy builds a Token object on
    every access, which dominated the component's time)."""

    lower: list[str]
    pos: list[str]
    dep: list[str]
    lemma: list[str]
    text: list[str]
    head: list[int]
    left_edge: list[int]
    right_edge: list[int]
    sent_start: list[bool]

    @classmethod
    def of(cls, doc: Doc) -> _Words:
        strings = doc.vocab.strings
        columns = doc.to_array([LOWER, POS, DEP, LEMMA, ORTH, SENT_START]).tolist()
        size = len(columns)
        # HEAD is an offset from the token, stored unsigned: a left head wraps around.
        head = [index + offset for index, offset in enumerate(doc.to_array(HEAD).astype("int64").tolist())]
        left_edge, right_edge = list(range(size)), list(range(size))
        for index in range(size):
            # Every ancestor's subtree reaches this token (spaCy's left_edge/right_edge).
            child, parent = index, head[index]
            while parent != child:
                if index < left_edge[parent]:
                    left_edge[parent] = index
                elif index > right_edge[parent]:
                    right_edge[parent] = index
                child, parent = parent, head[parent]
        texts = [[strings[row[column]] for row in columns] for column in range(5)]
        return cls(texts[0], texts[1], texts[2], [lemma.lower() for lemma in texts[3]], texts[4], head,
                   left_edge, right_edge, [index == 0 or row[5] == 1 for index, row in enumerate(columns)])


def unit_features(words: _Words, unit: Unit, rules: list[str], in_quote: list[bool]) -> list[list[str]]:
    """One feature list per token of the unit: the word and its parse, the rules' label around it,
    where it stands relative to the nearest rule cue, and whether it is inside quotation marks."""
    verbs = reporting_verbs()
    cue_positions = [index for index in range(unit.start, unit.end) if rules[index] == "Q"]
    size = len(words.lower)
    features = []
    for i in range(unit.start, unit.end):
        lower, pos, dep, rule, lemma, head = (words.lower[i], words.pos[i], words.dep[i], rules[i],
                                              words.lemma[i], words.head[i])
        row = [f"w={lower}", f"p={pos}", f"d={dep}", f"r={rule}", f"hl={words.lemma[head]}",
               f"hd={words.dep[head]}", f"dp={dep}|{words.pos[head]}", f"q={int(in_quote[i])}"]
        if lemma in verbs:
            row.append("rv")
        if words.text[i] in QUOTE_MARKS:
            row.append("mark")
        if words.sent_start[i]:
            row.append("sent_start")
        if i == unit.start:
            row.append("unit_start")
        if head > i:
            row.append("head_right")
        # Clause edges: where a subtree starts or stops is where a content usually does.
        if words.left_edge[i] == i and head != i:
            row.append(f"left_edge|{dep}")
        if words.right_edge[i] == i:
            row.append("right_edge")
        if i + 1 == size or words.sent_start[i + 1]:
            row.append("sent_end")
        nearest = _nearest_cue(i, cue_positions)
        if nearest is None:
            row.append("cue=none")
        else:
            distance = _cue_distance(i - nearest)
            row.append(f"cue={distance}")
            # Conventions differ by cue ("urged X to go": X is content; "said X": X is not).
            row.append(f"cl={words.lemma[nearest]}|{distance}")
        for step in (-2, -1, 1, 2):
            other = i + step
            if unit.start <= other < unit.end:
                row += [f"{step}w={words.lower[other]}", f"{step}p={words.pos[other]}", f"{step}r={rules[other]}"]
            else:
                row.append(f"{step}edge")
        row.append(f"rr={rule}|{rules[i + 1] if i + 1 < unit.end else '$'}")
        row.append(f"lr={rules[i - 1] if i > unit.start else '^'}|{rule}")
        features.append(row)
    return features


def _nearest_cue(index: int, cues: list[int]) -> int | None:
    """The cue position nearest to `index` (sorted `cues`; the earlier one on a tie)."""
    from bisect import bisect_left

    if not cues:
        return None
    position = bisect_left(cues, index)
    if position == 0:
        return cues[0]
    if position == len(cues):
        return cues[-1]
    before, after = cues[position - 1], cues[position]
    return before if index - before <= after - index else after


def _cue_distance(distance: int) -> str:
    if abs(distance) > _CUE_DISTANCE_CAP:
        return "far+" if distance > 0 else "far-"
    return str(distance)


def quote_mask(doc: Doc) -> list[bool]:
    """Whether each token stands inside a quotation the quote finder paired (marks included)."""
    mask = [False] * len(doc)
    starts = token_starts(doc)
    for quote in find_quotes(doc_text(doc)):
        for index in _token_range(starts, quote.start, quote.end):
            mask[index] = True
    return mask


def doc_features(doc: Doc, attributions: list[Attribution], units: list[Unit]) -> list[list[list[str]]]:
    """The feature sequences of the units."""
    if not units:
        return []
    rules = rule_labels(doc, attributions)
    in_quote = quote_mask(doc)
    words = _Words.of(doc)
    return [unit_features(words, unit, rules, in_quote) for unit in units]


# From tags to attributions -------------------------------------------------------------------

def tagged_spans(doc: Doc, unit: Unit, tags: list[str], role: str = "C") -> list[tuple[int, int]]:
    """Character spans of the B/I runs of `role` in one unit's tags."""
    spans, current = [], None
    for offset, tag in enumerate(tags):
        token = doc[unit.start + offset]
        if tag == f"B-{role}" or (tag == f"I-{role}" and current is None):
            if current:
                spans.append(current)
            current = [token.idx, token.idx + len(token)]
        elif tag == f"I-{role}":
            current[1] = token.idx + len(token)
        elif current:
            spans.append(current)
            current = None
    if current:
        spans.append(current)
    return [tuple(span) for span in spans]


@dataclass
class Tagged:
    """What the CRF says about a doc: its content spans, and for every token the probability
    (marginal) that a content begins there and that one continues there (0 outside the units)."""

    content: list[tuple[int, int]]
    begins: list[float]
    continues: list[float]

    def content_probability(self, starts: list[int], span: tuple[int, int]) -> float:
        """Mean probability that the tokens of `span` are content."""
        indices = _token_range(starts, span[0], span[1])
        if not len(indices):
            return 0.0
        return sum(self.begins[i] + self.continues[i] for i in indices) / len(indices)

    def content_ends(self, index: int) -> float:
        """Probability that a content's last token is token `index`."""
        after = self.continues[index + 1] if index + 1 < len(self.continues) else 0.0
        return max(0.0, self.begins[index] + self.continues[index] - after)


def tag_doc(doc: Doc, attributions: list[Attribution], tagger) -> Tagged:
    units = tagging_units(doc, attributions)
    features = doc_features(doc, attributions, units)
    tagged = Tagged([], [0.0] * len(doc), [0.0] * len(doc))
    for unit, sequence in zip(units, features, strict=True):
        tags = tagger.tag(sequence)
        tagged.content += tagged_spans(doc, unit, tags, "C")
        for offset in range(len(tags)):
            tagged.begins[unit.start + offset] = tagger.marginal("B-C", offset)
            tagged.continues[unit.start + offset] = tagger.marginal("I-C", offset)
    return tagged


def refine_attributions(doc: Doc, attributions: list[Attribution], tagger) -> list[Attribution]:
    """The rule attributions with their content ends moved where the CRF is surer of them, and
    without those whose content the CRF does not see as content at all; ids renumbered."""
    tagged = tag_doc(doc, attributions, tagger)
    refined = without_unlikely(doc, apply_content_spans(doc, attributions, tagged), tagged)
    if len(refined) == len(attributions):
        return refined
    return [a.model_copy(update={"id": f"a{number}"}) for number, a in enumerate(refined, 1)]


# A rule attribution whose content tokens the CRF gives a mean content probability below this is
# dropped (mostly a reporting verb's object that is no statement). Chosen on held-out train.
MIN_RULE_CONTENT_PROBABILITY = 0.05


def without_unlikely(doc: Doc, attributions: list[Attribution], tagged: Tagged,
                     threshold: float = MIN_RULE_CONTENT_PROBABILITY) -> list[Attribution]:
    """The attributions whose content the CRF sees as content (every rule content lies in a
    tagged unit, so the CRF has an opinion on each)."""
    starts = token_starts(doc)
    return [attribution for attribution in attributions if not _judged(doc, attribution) or
            not _in_polnear_scheme(attribution) or
            tagged.content_probability(starts, (attribution.content.start, attribution.content.end)) >= threshold]


def _in_polnear_scheme(attribution: Attribution) -> bool:
    """Whether PolNeAR's annotators would have marked an attribution of this kind at all, so that
    the CRF's "not content" means the rules erred. Intentions ("wants to close the bridge") are
    outside their scheme, and labels ("NAME:", "Direct speech:") too rare in it to learn: onrecord
    records both on purpose, so the CRF does not drop them."""
    if attribution.factuality == "intended":
        return False
    return attribution.cue is None or any(char.isalpha() for char in attribution.cue.text)


def _judged(doc: Doc, attribution: Attribution) -> bool:
    """Whether the CRF can judge the attribution: it reads one paragraph at a time, so one whose
    cue stands in another paragraph than its content (an article's "Source:" line under the lead,
    a label above a quote) is beyond it and stays as the rules made it."""
    cue = attribution.cue
    if cue is None:
        return True
    start = attribution.content.start
    for paragraph_start, paragraph_end in doc._.paragraphs or [(0, len(doc_text(doc)))]:
        if paragraph_start <= start < paragraph_end:
            return paragraph_start <= cue.start < paragraph_end
    return True


# A content end moves to the CRF's only when the CRF's probability of an end there beats its
# probability of the rules' end by this much. Chosen on held-out train articles: at 0 (always
# follow the CRF) about half the moves were wrong; 0.2, 0.4, 0.6 gave exact F1 .552, .554, .558
# (rules .552). Moving starts never beat the rules at any margin, so starts stay.
END_MARGIN = 0.6


def apply_content_spans(doc: Doc, attributions: list[Attribution], tagged: Tagged,
                        end_margin: float = END_MARGIN) -> list[Attribution]:
    """Each rule content ends where the CRF content spans it overlaps most end, when the CRF is
    sure enough (END_MARGIN). A move that would swallow another attribution, or the
    attribution's own cue or speaker, is not made."""
    text = doc_text(doc)
    starts = token_starts(doc)
    owner: dict[int, list[tuple[int, int]]] = {}
    for span in tagged.content:
        shares = [(shared(span, (a.content.start, a.content.end)), index) for index, a in enumerate(attributions)]
        best, index = max(shares, default=(0, -1))
        if best > 0:
            owner.setdefault(index, []).append(span)
    refined = []
    for index, attribution in enumerate(attributions):
        spans = owner.get(index)
        if spans and _judged(doc, attribution):
            end = max(span[1] for span in spans)
            if _end_score(doc, starts, tagged, end) - _end_score(doc, starts, tagged, attribution.content.end) > end_margin:
                attribution = with_content(doc, text, attribution, attribution.content.start, end,
                                     [other for other in attributions if other is not attribution])
        refined.append(attribution)
    return refined


def _end_score(doc: Doc, starts: list[int], tagged: Tagged, position: int) -> float:
    """The CRF's probability that a content ends at character `position`, the best over the last
    token before it and the punctuation around that token: the scorer and readers ignore edge
    punctuation, so '...policy.' and '...policy' end at the same place."""
    from bisect import bisect_right

    index = max(bisect_right(starts, position - 1) - 1, 0)
    candidates = [index]
    while index > 0 and (doc[index].is_punct or doc[index].is_space):
        index -= 1
        candidates.append(index)
    index = candidates[0]
    while index + 1 < len(doc) and (doc[index + 1].is_punct or doc[index + 1].is_space):
        index += 1
        candidates.append(index)
    return max(tagged.content_ends(i) for i in candidates)
