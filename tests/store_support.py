"""Hand-built records for the store tests: real offsets, no model needed."""

from __future__ import annotations

import os

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

POSTGRES_URL = os.environ.get("ONRECORD_TEST_POSTGRES",
                              "postgresql+psycopg://onrecord:onrecord@127.0.0.1:5432/onrecord_test")


def _span(text: str, part: str, start_at: int = 0) -> tuple[int, int]:
    start = text.index(part, start_at)
    return start, start + len(part)


def make_record(doc_id: str, statements: list[tuple[str, str, str]], *, title: str | None = None,
                outlet: str | None = "Daily Example", published: str | None = "2024-03-01",
                extra: str = "", promise: tuple[str, str, str] | None = None,
                version: str = "test-1") -> Record:
    """A record whose text is one sentence per (speaker, cue, content): 'Speaker cue "content".'
    Speakers become PERSON entities; `promise` = (speaker, trigger word, due date) adds a promised
    event in the first statement of that speaker."""
    sentences = [f'{speaker} {cue} "{content}".' for speaker, cue, content in statements]
    text = ((title + "\n\n") if title else "") + " ".join(sentences) + (" " + extra if extra else "")
    entities: dict[str, Entity] = {}
    attributions, events, times = [], [], []
    cursor = 0
    for number, (speaker, cue, content) in enumerate(statements, 1):
        s_start, s_end = _span(text, speaker, cursor)
        c_start, c_end = _span(text, cue, s_end)
        q_start, q_end = _span(text, content, c_end)
        cursor = q_end
        entity = entities.get(speaker)
        if entity is None:
            entity = Entity(id=f"e{len(entities) + 1}", type="PERSON", name=speaker)
            entities[speaker] = entity
        entity.mentions.append(Mention(start=s_start, end=s_end, text=speaker))
        attributions.append(Attribution(
            id=f"a{number}", kind="direct", content=Content(start=q_start, end=q_end, text=content),
            cue=Span(start=c_start, end=c_end, text=cue),
            speaker=SpeakerSpan(start=s_start, end=s_end, text=speaker, entity=entity.id),
            source_chain=[entity.id]))
        if promise and promise[0] == speaker and not events:
            t_start, t_end = _span(text, promise[1], q_start)
            events.append(Event(id="v1", type="AID", trigger=Span(start=t_start, end=t_end, text=promise[1]),
                                actor=[entity.id], factuality="promised", attributed_to=[entity.id],
                                attribution=f"a{number}", time=TimeRef(text="by then", value=promise[2],
                                                                       relation="before"),
                                evidence=Offsets(start=q_start, end=q_end)))
    if extra and any(ch.isdigit() for ch in extra):
        word = next(token for token in extra.split() if token[:4].isdigit())
        t_start, t_end = _span(text, word)
        times.append(TimeExpression(start=t_start, end=t_end, text=word, type="DATE", value=word.rstrip(".")))
    return Record(pipeline_version=version,
                  document=DocumentInfo(id=doc_id, title=title, outlet=outlet, published=published,
                                        source=f"/corpus/{doc_id}.txt"),
                  text=text, paragraphs=[Offsets(start=0, end=len(text))], entities=list(entities.values()),
                  attributions=attributions, events=events, times=times)
