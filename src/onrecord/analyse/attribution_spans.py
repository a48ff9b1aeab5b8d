"""Editing an attribution's spans (shared by the components that correct the rules' attributions)."""

from __future__ import annotations

from spacy.tokens import Doc

from onrecord.analyse.factuality import content_factuality
from onrecord.model import Attribution, Content, Span


def shared(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def with_content(doc: Doc, text: str, attribution: Attribution, start: int, end: int,
           others: list[Attribution]) -> Attribution:
    content = attribution.content
    if (start, end) == (content.start, content.end):
        return attribution
    blockers = [(a.content.start, a.content.end) for a in others]
    for span in (attribution.cue, attribution.speaker):
        if span is not None and not (content.start <= span.start < content.end):
            blockers.append((span.start, span.end))  # inside a discontinuous content: its own gap
    if any(shared((start, end), blocker) > 0 for blocker in blockers):
        return attribution
    parts = [(part.start, part.end) for part in content.parts] if content.parts else [(content.start, content.end)]
    parts[0] = (start, parts[0][1])
    parts[-1] = (parts[-1][0], end)
    if any(part_end <= part_start for part_start, part_end in parts):
        return attribution
    spans = [Span(start=s, end=e, text=text[s:e]) for s, e in parts] if len(parts) > 1 else None
    cue = (attribution.cue.start, attribution.cue.end) if attribution.cue else None
    factuality, hedges = content_factuality(doc, parts[0][0], parts[-1][1], cue, text)
    return attribution.model_copy(update={
        "content": Content(start=start, end=end, text=text[start:end], parts=spans),
        "factuality": factuality, "hedges": hedges})


def in_polnear_scheme(attribution: Attribution) -> bool:
    """Whether PolNeAR's annotators would have marked an attribution of this kind, so that a model
    trained on PolNeAR may judge it. Intentions, "NAME:" labels and article-level source lines with
    their chains are outside their scheme (or too rare in it to learn); onrecord keeps them on purpose."""
    if attribution.factuality in ("intended", "promised"):
        return False
    if len(attribution.source_chain) > 1:
        return False
    return attribution.cue is None or any(char.isalpha() for char in attribution.cue.text)
