"""Hand-built records for the web tests, so they do not depend on the extractors' progress.

The sentences are written for these tests; offsets are computed, never typed, so they always hold.
"""

from __future__ import annotations

from onrecord.model import (
    Attribution,
    Content,
    DocumentInfo,
    Entity,
    Event,
    Mention,
    Offsets,
    Record,
    Span,
    SpeakerSpan,
    TimeExpression,
    TimeRef,
)


def span(text: str, needle: str, cls=Span, nth: int = 0, **fields):
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return cls(start=start, end=start + len(needle), text=needle, **fields)


def paragraphs(text: str) -> list[Offsets]:
    out, cursor = [], 0
    for block in text.split("\n\n"):
        out.append(Offsets(start=cursor, end=cursor + len(block)))
        cursor += len(block) + 2
    return out


HARBOUR_TEXT = (
    "Port deal signed in Valmora\n\n"
    'Mayor Ilse Varga said: "The new ferry will run by June, and fares will fall."\n\n'
    "The transport board told reporters that the ferry might be delayed, according to Harbour News.\n\n"
    "Varga denied that the city would sell the pier."
)


def harbour_record(
    doc_id: str = "harbour-1",
    outlet: str = "Harbour News",
    published: str = "2024-03-14",
    text: str = HARBOUR_TEXT,
    title: str = "Port deal signed in Valmora",
) -> Record:
    t = text
    varga = Entity(
        id="e1",
        type="PERSON",
        name="Ilse Varga",
        roles=["mayor"],
        mentions=[span(t, "Ilse Varga", Mention), span(t, "Varga", Mention, nth=1)],
    )
    board = Entity(
        id="e2", type="ORG", name="transport board", mentions=[span(t, "transport board", Mention)]
    )
    valmora = Entity(id="e3", type="GPE", name="Valmora", mentions=[span(t, "Valmora", Mention)])
    news = Entity(id="e4", type="ORG", name="Harbour News", mentions=[span(t, "Harbour News", Mention)])
    quote = "The new ferry will run by June, and fares will fall."
    indirect = "the ferry might be delayed"
    denial = "the city would sell the pier"
    attributions = [
        Attribution(
            id="a1",
            kind="direct",
            content=span(t, quote, Content),
            cue=span(t, "said"),
            speaker=span(t, "Mayor Ilse Varga", SpeakerSpan, entity="e1"),
            source_chain=["e1"],
            factuality="promised",
        ),
        Attribution(
            id="a2",
            kind="indirect",
            content=span(t, indirect, Content),
            cue=span(t, "told"),
            speaker=span(t, "The transport board", SpeakerSpan, entity="e2"),
            source_chain=["e2", "e4"],
            factuality="possible",
            hedges=[span(t, "might")],
        ),
        Attribution(
            id="a3",
            kind="indirect",
            content=span(t, denial, Content),
            cue=span(t, "denied"),
            speaker=span(t, "Varga", SpeakerSpan, nth=1, entity="e1"),
            source_chain=["e1"],
            factuality="negated",
        ),
    ]
    june = span(t, "by June")
    events = [
        Event(
            id="v1",
            type="MOBILIZE",
            mode="service",
            trigger=span(t, "run"),
            actor=["e1"],
            time=TimeRef(text="by June", value="2024-06", relation="before"),
            factuality="promised",
            attributed_to=["e1"],
            attribution="a1",
            evidence=Offsets(start=t.index(quote), end=t.index(quote) + len(quote)),
        ),
        Event(
            id="v2",
            type="AGREE",
            trigger=span(t, "signed"),
            actor=["e3"],
            factuality="asserted",
            evidence=Offsets(start=0, end=t.index("\n")),
        ),
    ]
    times = [TimeExpression(start=june.start, end=june.end, text=june.text, type="DATE", value="2024-06")]
    return Record(
        document=DocumentInfo(
            id=doc_id, title=title, published=published, outlet=outlet, url="https://example.org/harbour"
        ),
        text=t,
        paragraphs=paragraphs(t),
        entities=[varga, board, valmora, news],
        attributions=attributions,
        events=events,
        times=times,
    )


HOSTILE_TEXT = (
    "<script>window.__pwned = 1; alert('x')</script> Headline\n\n"
    'The minister said: "<img src=x onerror="window.__pwned=2;alert(1)"> is what we want."\n\n'
    '<svg onload=window.__pwned=3></svg> & an ampersand, "quotes" and <b>bold</b>.'
)


def hostile_record() -> Record:
    t = HOSTILE_TEXT
    quote = '<img src=x onerror="window.__pwned=2;alert(1)"> is what we want.'
    minister = Entity(
        id="e1",
        type="PERSON",
        name="<b onmouseover=alert(1)>minister</b>",
        mentions=[span(t, "minister", Mention)],
    )
    return Record(
        document=DocumentInfo(
            id="hostile",
            title="<script>window.__pwned=4</script>Title",
            url="javascript:window.__pwned=5",
            outlet="<i>Outlet</i>",
        ),
        text=t,
        paragraphs=paragraphs(t),
        entities=[minister],
        attributions=[
            Attribution(
                id="a1",
                kind="direct",
                content=span(t, quote, Content),
                cue=span(t, "said"),
                speaker=span(t, "The minister", SpeakerSpan, entity="e1"),
                source_chain=["e1"],
            )
        ],
        warnings=["<script>window.__pwned=6</script>"],
    )
