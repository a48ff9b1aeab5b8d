"""Turn a record's overlapping spans into flat, non-overlapping segments of its text, for the page.

Quotes contain speakers and entity mentions, a mixed statement may contain a direct quote, and a
cue may sit inside a quote: spans nest and overlap. HTML elements must nest properly, so the text is
cut at every span boundary and each piece says which spans cover it. The template then writes one
element per piece; nothing here produces HTML, so escaping stays with Jinja2's autoescape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from onrecord.model import Attribution, Record

# Eight tints that keep black text above 12:1 contrast (WCAG AAA); speakers beyond eight share
# colours, and the legend says which speaker has which.
SPEAKER_COLOURS = 8
_UNSAFE_CLASS_CHARS = re.compile(r"[^A-Za-z0-9_-]")


@dataclass(frozen=True)
class Segment:
    """A stretch of text covered by the same set of spans."""

    start: int
    end: int
    text: str
    statement: str | None = None  # id of the innermost attribution covering it
    statements: tuple[str, ...] = ()  # every attribution covering it, innermost first
    colour: int | None = None  # speaker colour of `statement`
    entity: str | None = None  # id of the innermost entity mention covering it
    entity_type: str | None = None
    marks: frozenset[str] = frozenset()  # "cue", "speaker", "hedge", "trigger", "time"
    opens: tuple[str, ...] = ()  # attributions that begin here: this segment takes keyboard focus
    cue_or_speaker_of: str | None = None  # the attribution whose cue or speaker this is

    @property
    def details(self) -> str | None:
        """The attribution whose details pointing at this segment shows."""
        return self.statement or self.cue_or_speaker_of

    @property
    def plain(self) -> bool:
        return self.statement is None and self.entity is None and not self.marks

    @property
    def css_class(self) -> str:
        classes = []
        if self.statement is not None:
            classes += ["stmt", f"sp-{self.colour}"]
        if self.entity is not None:
            classes += ["ent", f"ent-{_UNSAFE_CLASS_CHARS.sub('', self.entity_type or 'OTHER')}"]
        classes += sorted(self.marks)
        return " ".join(classes)


@dataclass
class Speaker:
    key: str
    name: str
    colour: int
    entity: str | None
    statements: int = 0


@dataclass
class StatementDetail:
    """What the hover/focus panel of one statement shows."""

    id: str
    kind: str
    speaker: str
    colour: int
    cue: str | None
    factuality: str
    source_chain: list[str]
    hedges: list[str]
    content: str


@dataclass
class ArticleView:
    blocks: list[list[Segment]]
    speakers: list[Speaker]
    statements: list[StatementDetail]
    entity_labels: dict[str, str] = field(default_factory=dict)  # entity id -> "Name (TYPE)"
    factuality: dict[str, str] = field(default_factory=dict)  # attribution id -> factuality


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    layer: str  # "statement", "entity" or a mark name
    ref: str | None = None
    entity_type: str | None = None


def speaker_key(attribution: Attribution) -> str:
    """Who said it, as a key: the speaker's entity when known, else the words naming them."""
    speaker = attribution.speaker
    if speaker is None:
        return "?"
    return f"entity:{speaker.entity}" if speaker.entity else "text:" + " ".join(speaker.text.lower().split())


def speakers_of(record: Record) -> dict[str, Speaker]:
    """Speakers in order of first statement, each with a colour."""
    names = {entity.id: entity.name for entity in record.entities}
    speakers: dict[str, Speaker] = {}
    for attribution in record.attributions:
        key = speaker_key(attribution)
        if key not in speakers:
            speaker = attribution.speaker
            entity = speaker.entity if speaker else None
            name = names.get(entity or "", speaker.text if speaker else "unknown speaker")
            speakers[key] = Speaker(key, " ".join(name.split()), len(speakers) % SPEAKER_COLOURS, entity)
        speakers[key].statements += 1
    return speakers


def _spans(record: Record) -> list[_Span]:
    spans = []
    for entity in record.entities:
        spans += [_Span(m.start, m.end, "entity", entity.id, entity.type) for m in entity.mentions]
    for attribution in record.attributions:
        content = attribution.content
        for part in content.parts or [content]:
            spans.append(_Span(part.start, part.end, "statement", attribution.id))
        if attribution.cue:
            spans.append(_Span(attribution.cue.start, attribution.cue.end, "cue", attribution.id))
        if attribution.speaker:
            spans.append(_Span(attribution.speaker.start, attribution.speaker.end, "speaker", attribution.id))
        spans += [_Span(h.start, h.end, "hedge", attribution.id) for h in attribution.hedges]
    spans += [_Span(e.trigger.start, e.trigger.end, "trigger", e.id) for e in record.events]
    spans += [_Span(t.start, t.end, "time") for t in record.times]
    size = len(record.text)
    # Spans that do not fit the text are a bug upstream; the page shows the text without them.
    return [span for span in spans if 0 <= span.start < span.end <= size]


def _blocks(record: Record) -> list[tuple[int, int]]:
    """Paragraph ranges, plus any non-blank text the paragraphs leave out, so nothing is lost."""
    text = record.text
    ranges = sorted((p.start, p.end) for p in record.paragraphs if 0 <= p.start < p.end <= len(text))
    if not ranges:
        return [(0, len(text))] if text else []
    blocks, cursor = [], 0
    for start, end in ranges + [(len(text), len(text))]:
        start = max(start, cursor)
        if text[cursor:start].strip():
            blocks.append((cursor, start))
        if start < end:
            blocks.append((start, end))
        cursor = max(cursor, end)
    return blocks


def segments(record: Record) -> list[list[Segment]]:
    """The text as blocks (paragraphs) of segments. Concatenating a block's segments gives back
    `record.text[block_start:block_end]` exactly."""
    spans = _spans(record)
    sizes = {a.id: sum(p.end - p.start for p in a.content.parts or [a.content]) for a in record.attributions}
    speakers = speakers_of(record)
    colours = {a.id: speakers[speaker_key(a)].colour for a in record.attributions}
    opened: set[str] = set()
    # Blocks come in text order, so one pass over the spans sorted by start finds each block's
    # spans without rescanning them all: long articles have thousands of spans.
    ordered = sorted(spans, key=lambda span: span.start)
    waiting, active = 0, []
    blocks = []
    for block_start, block_end in _blocks(record):
        while waiting < len(ordered) and ordered[waiting].start < block_end:
            active.append(ordered[waiting])
            waiting += 1
        active = [span for span in active if span.end > block_start]
        cuts = {block_start, block_end}
        cuts.update(x for span in active for x in (span.start, span.end) if block_start < x < block_end)
        bounds = sorted(cuts)
        blocks.append(
            [
                _segment(record.text, start, end, active, sizes, colours, opened)
                for start, end in pairwise(bounds)
            ]
        )
    return blocks


def _segment(text, start, end, spans, sizes, colours, opened) -> Segment:
    covering = [span for span in spans if span.start <= start and span.end >= end]
    statements = sorted(
        {s.ref for s in covering if s.layer == "statement"}, key=lambda ref: (sizes[ref], ref)
    )
    entities = sorted((s for s in covering if s.layer == "entity"), key=lambda s: (s.end - s.start, s.ref))
    marks = frozenset(s.layer for s in covering if s.layer not in ("statement", "entity"))
    cue_or_speaker_of = next((s.ref for s in covering if s.layer in ("cue", "speaker")), None)
    statement = statements[0] if statements else None
    opens = tuple(ref for ref in statements if ref not in opened)
    opened.update(opens)
    return Segment(
        start,
        end,
        text[start:end],
        statement,
        tuple(statements),
        colours.get(statement) if statement else None,
        entities[0].ref if entities else None,
        entities[0].entity_type if entities else None,
        marks,
        opens,
        cue_or_speaker_of,
    )


def statement_details(record: Record) -> list[StatementDetail]:
    names = {entity.id: entity.name for entity in record.entities}
    speakers = speakers_of(record)
    details = []
    for attribution in record.attributions:
        speaker = speakers[speaker_key(attribution)]
        details.append(
            StatementDetail(
                id=attribution.id,
                kind=attribution.kind,
                speaker=speaker.name,
                colour=speaker.colour,
                cue=attribution.cue.text if attribution.cue else None,
                factuality=attribution.factuality,
                source_chain=[names.get(link, link) for link in attribution.source_chain],
                hedges=[hedge.text for hedge in attribution.hedges],
                content=attribution.content.text,
            )
        )
    return details


def article_view(record: Record) -> ArticleView:
    return ArticleView(
        blocks=segments(record),
        speakers=list(speakers_of(record).values()),
        statements=statement_details(record),
        entity_labels={entity.id: f"{entity.name} ({entity.type})" for entity in record.entities},
        factuality={attribution.id: attribution.factuality for attribution in record.attributions},
    )
