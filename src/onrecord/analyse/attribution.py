"""The `onrecord_attributions` component: who said what, through whom, how sure.

It combines three finders, each a pure function over the doc:

- `quotes.find_quotes` (quotation marks, text only),
- `reported.find_reports` (reporting verbs, "according to", "as X said": the parse),
- `sources.find_source_lines` ("Source: X quoted by Y, Z" lines and "citing"/"via" chains),

then gives quotes their cue and speaker (from a reporting verb around them, a colon or a label
that introduces them, or the previous speaker when nothing else does), resolves speakers to
entities, and judges the factuality of each content. The result is `doc._.attributions`, a list of
`onrecord.model.Attribution` in text order.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace

from spacy.language import Language
from spacy.tokens import Doc

from onrecord.analyse.factuality import content_factuality
from onrecord.analyse.labels import find_labels, find_speaker_labels
from onrecord.analyse.quotes import Quote, find_quotes, paragraph_breaks, paragraphs
from onrecord.analyse.reported import find_reports, reporting_verbs, speaker_of
from onrecord.analyse.sources import SourceLine, find_source_lines
from onrecord.analyse.speakers import SpeakerResolver
from onrecord.analyse.tokens import doc_text
from onrecord.model import Attribution, Content, Span, SpeakerSpan

# A quote with no cue of its own and no speaker before it in the last paragraphs is kept only
# when it is at least this many words: shorter ones are mostly scare quotes and titles, which
# PolNeAR's annotators (and readers) do not count as statements.
_MIN_WORDS_OF_UNATTRIBUTED_QUOTE = 8
# A quote with no cue of its own needs at least this many words to take the previous speaker:
# shorter ones are mostly scare quotes. Chosen on PolNeAR train (200 articles): 1, 4, 8 words gave
# overlap F1 0.693, 0.694, 0.696.
_MIN_WORDS_OF_FLOATING_QUOTE = 8
# A quote with no cue continues the previous speaker when that speaker's attribution ended at
# most this many paragraphs before (news style: a quote paragraph follows its introduction).
_FLOATING_REACH_PARAGRAPHS = 2
# Words between a quote and a reporting verb after it ('" ..., the senator said'): within this,
# the verb is the quote's cue even where the parse did not link them.
_CUE_WINDOW_TOKENS = 8
# How far from a cue a speaker named outside a quote may stand ('” the state senator said').
_SPEAKER_REACH_TOKENS = 5
# What may stand before a name that introduces a quote with a colon ("... - Ann Cole: “...”").
_NAME_OPENERS = frozenset({"-", "–", "—", "|", "\n", "\n\n", "from"})  # "More from Ann Cole:"


# Subjects that name no one a later quote could continue (relative and demonstrative pronouns):
# a floating quote skips them for the speaker before.
_NON_REFERRING_SPEAKERS = frozenset({"who", "whom", "which", "that", "this", "these", "those", "both", "it"})
# Words between the two halves of a split quote ('“A,” the city's chief engineer said, “B”'):
# a cue and a speaker phrase, rarely longer than this.
_SPLIT_QUOTE_GAP_WORDS = 10
_PART_TRIM = frozenset(" \t\n,;—–-")
# A sentence end followed by more text ('... tired. They said'): a paragraph with one is not a headline.
_SENTENCE_BREAK = re.compile(r"[.!?][\"'”’]*\s+\S")


@dataclass
class _Draft:
    kind: str
    parts: list[tuple[int, int]]
    cue: tuple[int, int] | None
    speaker: tuple[int, int] | None
    rule: str
    chain_tail: list[tuple[int, int]] = field(default_factory=list)  # intermediaries' spans

    @property
    def start(self) -> int:
        return self.parts[0][0]

    @property
    def end(self) -> int:
        return self.parts[-1][1]


@Language.component("onrecord_attributions", assigns=["doc._.attributions", "doc._.entities"])
def attribution_component(doc: Doc) -> Doc:
    doc._.attributions = find_attributions(doc)
    return doc


def find_attributions(doc: Doc) -> list[Attribution]:
    """All attributions of a parsed doc, in text order, with speakers resolved to entities."""
    text = doc_text(doc)
    if not text.strip():
        return []
    quotes = find_quotes(text)
    labelled = _from_speaker_labels(doc, text, quotes)
    # A transcript turn ("PENCE: I think we will win") or a one-sentence headline ("Lee: Voters
    # Are Tired") is all the label's speaker's: the reports inside are nested in that statement
    # (PolNeAR marks the outer one). A longer paragraph after a name and colon is a section of
    # the article whose sentences have speakers of their own.
    turns = [label for label in labelled if _is_whole_turn(text, label)]
    drafts = [draft for draft in _from_reports(doc, text, quotes)
              if not any(_inside((draft.start, draft.end), (turn.start, turn.end)) for turn in turns)]
    drafts += [label for label in labelled if not any(_overlaps((label.start, label.end), (draft.start, draft.end))
                                                      for draft in drafts)]
    source_lines = find_source_lines(text)
    drafts += _from_quotes(doc, text, quotes, drafts, source_lines)
    drafts += _from_source_lines(doc, text, source_lines, drafts)
    drafts.sort(key=lambda draft: (draft.start, draft.end))
    return _records(doc, text, drafts, source_lines)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _inside(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return b[0] <= a[0] and a[1] <= b[1]


def _from_reports(doc: Doc, text: str, quotes: list[Quote]) -> list[_Draft]:
    """Reported statements; a content that is a quote becomes a direct quote, one that contains
    a quoted fragment a mixed one. Reporting verbs inside a quote are the quoted person's words."""
    quote_spans = [(quote.start, quote.end) for quote in quotes]
    drafts: list[_Draft] = []
    for report in find_reports(doc):
        if any(_inside(report.cue, span) for span in quote_spans):
            continue
        touching = [span for span in quote_spans if _overlaps(span, report.content)]
        if report.speaker is not None and any(_overlaps(report.speaker, span) for span in touching):
            # The parse took words of the quote for the subject ('“The more people ...,” Lee
            # said'): the speaker is the name next to the cue, outside the quotation marks.
            report = replace(report, speaker=_speaker_beside_cue(doc, report.cue, quote_spans))
        named = _name_before_colon(doc, text, touching[0][0]) if touching else None
        if named is not None and named[0] > report.cue[1]:
            # 'Pollsters agree - Ann Cole: “...”': the name that introduces the quote speaks it.
            report = replace(report, speaker=named, content=(max(report.content[0], touching[0][0]), report.content[1]))
        if touching and _words_outside(text, report.content, touching) <= 1:
            # 'that “...”', 'to “...”': the complementizer belongs to the content, as in PolNeAR.
            parts = list(touching)
            parts[0] = (min(parts[0][0], report.content[0]), parts[0][1])
            drafts.append(_Draft("direct", parts, report.cue, report.speaker, "quote+" + report.rule))
        elif touching:
            start = min(report.content[0], touching[0][0])
            end = max(report.content[1], touching[-1][1])
            drafts.append(_Draft("mixed", [(start, end)], report.cue, report.speaker, "mixed+" + report.rule))
        else:
            parts = _split_by_gap(text, report.content, report.gap)
            drafts.append(_Draft("indirect", parts, report.cue, report.speaker, report.rule))
    drafts = _without_overlaps(drafts)
    _join_split_quotes(text, quotes, drafts)
    return drafts


def _speaker_beside_cue(doc: Doc, cue: tuple[int, int], quotes: list[tuple[int, int]]) -> tuple[int, int] | None:
    """A noun phrase between the last quote and the cue ('” Lee said'), or right after the cue
    ('said Lee'), outside every quote."""
    span = doc.char_span(cue[0], cue[1], alignment_mode="expand")
    if span is None:
        return None
    before = [token for token in reversed(doc[max(0, span.start - _SPEAKER_REACH_TOKENS):span.start])]
    after = list(doc[span.end:span.end + _SPEAKER_REACH_TOKENS])
    for side in (before, after):
        run = []
        for token in side:
            if token.pos_ in ("PROPN", "PRON", "NOUN") and not any(
                    start <= token.idx < end for start, end in quotes):
                run.append(token)
            elif run or not token.is_space:
                break
        if run:
            run.sort(key=lambda token: token.i)
            return run[0].idx, run[-1].idx + len(run[-1])
    return None


def _join_split_quotes(text: str, quotes: list[Quote], drafts: list[_Draft]) -> None:
    """'“A,” the mayor said, “B.”': the quote before the cue is the first part of the statement
    the cue's complement continues."""
    taken = [(draft.start, draft.end) for draft in drafts]
    for draft in drafts:
        if draft.kind != "direct" or draft.cue is None or draft.cue[1] > draft.start:
            continue
        before = [quote for quote in quotes if quote.end <= draft.cue[0]
                  and not any(_overlaps((quote.start, quote.end), span) for span in taken)]
        if not before:
            continue
        quote = before[-1]
        between = text[quote.end:draft.start]
        if paragraph_breaks(text, quote.end, draft.start) or len(between.split()) > _SPLIT_QUOTE_GAP_WORDS:
            continue
        draft.parts.insert(0, (quote.start, quote.end))
        taken.append((quote.start, quote.end))


def _split_by_gap(text: str, content: tuple[int, int], gap: tuple[int, int] | None) -> list[tuple[int, int]]:
    """'The risk, he said, is small' -> the two parts around the gap, without the commas."""
    if gap is None:
        return [content]
    parts = []
    for start, end in ((content[0], gap[0]), (gap[1], content[1])):
        while start < end and text[start] in _PART_TRIM:
            start += 1
        while end > start and text[end - 1] in _PART_TRIM:
            end -= 1
        if end > start:
            parts.append((start, end))
    return parts or [content]


def _words_outside(text: str, content: tuple[int, int], quotes: list[tuple[int, int]]) -> int:
    """Words of `content` outside the quotes (sorted, not overlapping each other)."""
    pieces, position = [], content[0]
    for start, end in quotes:
        if end <= position or start >= content[1]:
            continue
        pieces.append(text[position:max(position, start)])
        position = max(position, end)
    pieces.append(text[position:content[1]])
    return len([word for word in " ".join(pieces).split() if any(char.isalnum() for char in word)])


def _without_overlaps(drafts: list[_Draft]) -> list[_Draft]:
    """Univocal reading (as in PolNeAR): a stretch of text belongs to one attribution. Of two
    whose contents overlap, the outer one (the longer content) stays. The kept contents never
    overlap, so sorted by start, only the neighbours of a new span can touch it (bisection
    instead of a comparison with every kept draft)."""
    starts: list[int] = []
    kept: list[_Draft] = []  # in the order of `starts`
    for draft in sorted(drafts, key=lambda d: -(d.end - d.start)):
        if _touches_kept(starts, kept, (draft.start, draft.end)):
            continue
        if draft.cue and _touches_kept(starts, kept, draft.cue, inside=True):
            continue
        position = bisect_left(starts, draft.start)
        starts.insert(position, draft.start)
        kept.insert(position, draft)
    return kept


def _touches_kept(starts: list[int], kept: list[_Draft], span: tuple[int, int], inside: bool = False) -> bool:
    """Whether `span` overlaps (or, with `inside`, lies within) one of the kept, disjoint contents."""
    position = bisect_right(starts, span[0])
    for neighbour in kept[max(0, position - 1):position + 1]:
        bounds = (neighbour.start, neighbour.end)
        if _inside(span, bounds) if inside else _overlaps(span, bounds):
            return True
    return False


def _from_speaker_labels(doc: Doc, text: str, quotes: list[Quote]) -> list[_Draft]:
    """'PENCE: We will win.' / 'Pat Lee: Voters Are Tired' (transcripts, headlines): the rest of
    the paragraph is what the named speaker said."""
    found = []
    paragraph_ends = dict(paragraphs(text))
    for label in find_speaker_labels(doc, text):
        end = paragraph_ends.get(label.start)
        if end is None:
            continue
        start = label.end
        while start < end and text[start].isspace():
            start += 1
        if start >= end:
            continue
        quoted = any(q.start == start and q.end == end for q in quotes)
        found.append(_Draft("direct" if quoted else "indirect", [(start, end)], label.cue, label.speaker, "speaker_label"))
    return found


def _is_whole_turn(text: str, label: _Draft) -> bool:
    name = text[label.speaker[0]:label.speaker[1]] if label.speaker else ""
    return name.isupper() or _SENTENCE_BREAK.search(text, label.start, label.end) is None


def _from_quotes(doc: Doc, text: str, quotes: list[Quote], drafts: list[_Draft],
                 source_lines: list[SourceLine]) -> list[_Draft]:
    """Quotes no reporting verb claimed: a cue next to them, an introducing colon or label, or
    the previous speaker."""
    taken = [(draft.start, draft.end) for draft in drafts]
    taken += [(line.start, line.end) for line in source_lines]
    labels = find_labels(text)
    found: list[_Draft] = []
    for quote in quotes:
        span = (quote.start, quote.end)
        if any(_overlaps(span, other) for other in taken):
            continue
        earlier = drafts + found
        draft = (_label_before(text, quote, labels, earlier) or _cue_after(doc, text, quote)
                 or _colon_before(doc, text, quote)
                 or _floating(text, quote, sorted(earlier, key=lambda d: d.start)))
        if draft is None:
            continue
        found.append(draft)
    return found


def _label_before(text: str, quote: Quote, labels, drafts: list[_Draft]) -> _Draft | None:
    """'Direct speech: “...”' or 'X's direct speech: “...”' right before the quote."""
    for label in labels:
        between = text[label.end:quote.start]
        if label.end <= quote.start and not between.strip(" \t:—–-"):
            speaker = label.speaker or _previous_speaker(drafts, quote.start)
            return _Draft("direct", [(quote.start, quote.end)], label.cue, speaker, "label")
    return None


def _previous_speaker(drafts: list[_Draft], position: int) -> tuple[int, int] | None:
    """The speaker of the nearest attribution before `position` ("Direct speech:" names no one)."""
    earlier = [draft for draft in drafts if draft.end <= position and draft.speaker is not None]
    return max(earlier, key=lambda draft: draft.end).speaker if earlier else None


def _cue_after(doc: Doc, text: str, quote: Quote) -> _Draft | None:
    """'“...,” the senator said.' / '“...,” said Smith.' where the parse did not link verb and quote."""
    verbs = reporting_verbs()
    after = doc.char_span(quote.end, len(text), alignment_mode="expand")
    if after is None:
        return None
    for token in after[:_CUE_WINDOW_TOKENS]:
        if token.text in ("“", "\"", "«", "„") or paragraph_breaks(text, token.idx, token.idx + len(token.text_with_ws)):
            break
        if token.pos_ in ("VERB", "AUX") and verbs.get(token.lemma_.lower()) == "speech":
            # Only verbs of speech: a quote is followed by "... continues to" or "... found" as
            # often as by its cue, and only a verb of speech makes it a cue without the parse.
            cue = (token.idx, token.idx + len(token))
            speaker = _subject_near(token)
            if speaker is not None and _overlaps(speaker, (quote.start, quote.end)):
                speaker = _speaker_beside_cue(doc, cue, [(quote.start, quote.end)])
            return _Draft("direct", [(quote.start, quote.end)], cue, speaker, "quote+cue_after")
        if token.is_sent_end and token.i > after.start:
            break
    return None


def _subject_near(verb) -> tuple[int, int] | None:
    speaker = speaker_of(verb)
    if speaker is not None:
        return speaker
    # 'said Smith': the parser often makes the name an object or leaves it dangling.
    following = verb.doc[verb.i + 1:verb.i + 6]
    names = [token for token in following if token.pos_ in ("PROPN", "PRON")]
    if names:
        head = names[0]
        last = head
        for token in following[head.i - verb.i - 1:]:
            if token.pos_ in ("PROPN",) or token.i == head.i:
                last = token
            else:
                break
        return head.idx, last.idx + len(last)
    return None


def _name_before_colon(doc: Doc, text: str, position: int) -> tuple[int, int] | None:
    """The name of '- Ann Cole: ' right before `position`, if the text there ends so."""
    before = text[:position].rstrip()
    if not before.endswith(":"):
        return None
    colon = doc.char_span(len(before) - 1, len(before), alignment_mode="expand")
    return _name_before(_sentence_before(colon[0])) if colon is not None else None


def _colon_before(doc: Doc, text: str, quote: Quote) -> _Draft | None:
    """'Smith said:' or 'Smith continued:' ending the text just before the quote."""
    before = text[:quote.start].rstrip()
    if not before.endswith(":"):
        return None
    colon = len(before) - 1
    sentence = doc.char_span(colon, colon + 1, alignment_mode="expand")
    if sentence is None:
        return None
    before_colon = _sentence_before(sentence[0])
    name = _name_before(before_colon)
    if name is not None:
        # 'Polls missed the swing - Ann Cole: “...”': a name right before the colon is the one
        # who speaks, whatever verb the headline before it has.
        return _Draft("direct", [(quote.start, quote.end)], (colon, colon + 1), name, "colon")
    verbs = [token for token in before_colon if token.pos_ in ("VERB", "AUX")]
    if not verbs:
        return None
    reporting = [token for token in verbs if token.lemma_.lower() in reporting_verbs()]
    verb = (reporting or verbs)[-1]
    return _Draft("direct", [(quote.start, quote.end)], (verb.idx, colon + 1), _subject_near(verb), "colon")


def _name_before(tokens) -> tuple[int, int] | None:
    """The run of proper nouns that ends `tokens`, when a dash or the sentence start is before it."""
    run = []
    for token in reversed(list(tokens)):
        if token.pos_ == "PROPN" or (run and token.lower_ == "and" and token.i > 0
                                     and token.doc[token.i - 1].pos_ == "PROPN"):
            run.append(token)  # "Ann Cole and Jon Berg:"
        else:
            if run and token.text not in _NAME_OPENERS:
                return None
            break
    if not run:
        return None
    return run[-1].idx, run[0].idx + len(run[0])


def _sentence_before(token):
    """The tokens of `token`'s sentence up to it (without computing doc.sents, which is slow)."""
    start = token.i
    while start > 0 and not token.doc[start].is_sent_start:
        start -= 1
    return token.doc[start:token.i]


def _floating(text: str, quote: Quote, drafts: list[_Draft]) -> _Draft | None:
    """A quote with no cue continues the last speaker of the paragraphs just before it."""
    words = len(text[quote.inner_start:quote.inner_end].split())
    previous = [draft for draft in drafts if draft.end <= quote.start and draft.speaker is not None
                and text[draft.speaker[0]:draft.speaker[1]].lower() not in _NON_REFERRING_SPEAKERS]
    if previous:
        last = previous[-1]
        breaks = paragraph_breaks(text, last.end, quote.start)
        if not breaks and last.kind == "direct":
            # One speaker's quotes in one paragraph, split by the cue ("“A,” he said. “B.”"),
            # are one statement in several parts.
            last.parts.append((quote.start, quote.end))
            return None
        if breaks < _FLOATING_REACH_PARAGRAPHS and words >= _MIN_WORDS_OF_FLOATING_QUOTE:
            return _Draft("direct", [(quote.start, quote.end)], None, last.speaker, "floating")
    if words >= _MIN_WORDS_OF_UNATTRIBUTED_QUOTE:
        return _Draft("direct", [(quote.start, quote.end)], None, None, "unattributed")
    return None


def _from_source_lines(doc: Doc, text: str, lines: list[SourceLine], drafts: list[_Draft]) -> list[_Draft]:
    """A 'Source:' line names who stands behind the article: the lead paragraph before it is its
    speaker's paraphrase, unless the lead's statement names its own speaker from its first word on
    ("X did Y, the ministry said"): an explicit attribution in the text wins over the
    article-level line. (A lead about the speaker, "X wants to ...", still goes to the line.) (The line's chain becomes
    the route of every attribution of the same speaker in `_records`.)"""
    found = []
    for line in lines:
        lead = _lead_before(text, doc._.paragraphs or [], line)
        if lead is not None and any(draft.speaker is not None and draft.start <= lead[0] < draft.end
                                    for draft in drafts):
            continue  # the lead's whole statement has a speaker of its own
        if lead is not None:
            found.append(_Draft("indirect", [lead], line.cue, line.speaker, "source_line",
                                chain_tail=list(line.intermediaries)))
    return found


def _lead_before(text: str, paragraphs: list[tuple[int, int]], line: SourceLine) -> tuple[int, int] | None:
    """The lead: the first paragraph before the source line that is not a headline (a headline
    does not end with sentence punctuation)."""
    for start, end in paragraphs:
        if end > line.start:
            return None
        if text[start:end].rstrip()[-1:] in ".!?”\"'’»":
            return start, end
    return None


def _records(doc: Doc, text: str, drafts: list[_Draft], lines: list[SourceLine]) -> list[Attribution]:
    resolver = SpeakerResolver(doc, text)
    routes = _routes(lines, resolver)
    attributions = []
    for number, draft in enumerate(drafts, 1):
        content = _content(text, draft.parts)
        speaker = None
        chain: list[str] = []
        if draft.speaker is not None:
            entity = resolver.entity(draft.speaker)
            speaker = SpeakerSpan(start=draft.speaker[0], end=draft.speaker[1],
                                  text=text[draft.speaker[0]:draft.speaker[1]], entity=entity)
            chain = [entity] if entity else []
            tail = draft.chain_tail or routes.get(entity, [])
            for start, end in tail:
                hop = resolver.entity((start, end))
                if hop and hop not in chain:
                    chain.append(hop)
        factuality, hedges = content_factuality(doc, draft.parts[0][0], draft.parts[-1][1], draft.cue, text)
        attributions.append(Attribution(
            id=f"a{number}", kind=draft.kind, content=content,
            cue=Span(start=draft.cue[0], end=draft.cue[1], text=text[draft.cue[0]:draft.cue[1]]) if draft.cue else None,
            speaker=speaker, source_chain=chain, factuality=factuality, hedges=hedges))
    return attributions


def _routes(lines: list[SourceLine], resolver: SpeakerResolver) -> dict[str, list[tuple[int, int]]]:
    """Speaker entity -> the intermediaries an article-level source line names for it: every
    statement of that speaker reached the article the same way."""
    routes = {}
    for line in lines:
        entity = resolver.entity(line.speaker)
        if entity:
            routes[entity] = list(line.intermediaries)
    return routes


def _content(text: str, parts: list[tuple[int, int]]) -> Content:
    start, end = parts[0][0], parts[-1][1]
    spans = [Span(start=s, end=e, text=text[s:e]) for s, e in parts] if len(parts) > 1 else None
    return Content(start=start, end=end, text=text[start:end], parts=spans)
