"""The article page's segments: overlapping and nested spans become flat pieces of the exact text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from onrecord.model import (
    Attribution,
    Content,
    DocumentInfo,
    Entity,
    Mention,
    Offsets,
    Record,
    Span,
    SpeakerSpan,
)
from onrecord.serve.highlight import SPEAKER_COLOURS, article_view, segments, speakers_of
from tests.serve_fixtures import harbour_record, span


def _joined(record: Record) -> list[str]:
    return ["".join(segment.text for segment in block) for block in segments(record)]


def test_highlight_blocks_give_back_each_paragraph_exactly():
    record = harbour_record()
    assert _joined(record) == [record.text[p.start : p.end] for p in record.paragraphs]


def test_highlight_nested_statement_is_innermost_and_outer_keeps_its_focus():
    text = 'The mayor said the plan "will cut fares by half" and more, aides said.'
    outer = span(text, 'the plan "will cut fares by half" and more', Content)
    inner = span(text, "will cut fares by half", Content)
    record = Record(
        document=DocumentInfo(id="nested"),
        text=text,
        attributions=[
            Attribution(id="a1", kind="mixed", content=outer),
            Attribution(id="a2", kind="direct", content=inner),
        ],
    )
    pieces = {segment.text: segment for segment in segments(record)[0]}
    assert pieces["will cut fares by half"].statement == "a2"
    assert pieces["will cut fares by half"].statements == ("a2", "a1")
    assert pieces['the plan "'].statement == "a1"
    opened = [ref for segment in segments(record)[0] for ref in segment.opens]
    assert sorted(opened) == ["a1", "a2"]  # every statement can be reached with the keyboard once


def test_highlight_partly_overlapping_spans_are_cut_at_every_boundary():
    text = "Officials in the northern province said nothing."
    entity = Entity(
        id="e1", type="GPE", name="northern province", mentions=[span(text, "northern province", Mention)]
    )
    record = Record(
        document=DocumentInfo(id="overlap"),
        text=text,
        entities=[entity],
        attributions=[
            Attribution(
                id="a1",
                kind="indirect",
                content=span(text, "province said nothing", Content),
                cue=span(text, "said"),
            )
        ],
    )
    pieces = [
        (segment.text, segment.entity, segment.statement, "cue" in segment.marks)
        for segment in segments(record)[0]
    ]
    assert ("northern ", "e1", None, False) in pieces
    assert ("province", "e1", "a1", False) in pieces
    assert ("said", None, "a1", True) in pieces


def test_highlight_ignores_spans_that_do_not_fit_the_text():
    text = "Short text."
    record = Record(
        document=DocumentInfo(id="bad"),
        text=text,
        entities=[Entity(id="e1", type="ORG", name="x", mentions=[Mention(start=5, end=50, text="text.")])],
    )
    assert _joined(record) == [text]
    assert all(segment.plain for segment in segments(record)[0])


def test_highlight_keeps_text_that_paragraphs_leave_out():
    text = "First paragraph.\n\nOrphan line\n\nLast one."
    record = Record(
        document=DocumentInfo(id="gaps"),
        text=text,
        paragraphs=[Offsets(start=0, end=16), Offsets(start=31, end=40)],
    )
    assert "".join(_joined(record)).replace("\n", "") == text.replace("\n", "")


def test_highlight_speakers_get_colours_in_order_and_share_them_past_the_palette():
    text = " ".join(f"Speaker{n} said x{n}." for n in range(SPEAKER_COLOURS + 2))
    attributions = [
        Attribution(
            id=f"a{n}",
            kind="indirect",
            content=span(text, f"x{n}.", Content),
            speaker=span(text, f"Speaker{n}", SpeakerSpan),
        )
        for n in range(SPEAKER_COLOURS + 2)
    ]
    record = Record(document=DocumentInfo(id="many"), text=text, attributions=attributions)
    colours = [speaker.colour for speaker in speakers_of(record).values()]
    assert colours[:SPEAKER_COLOURS] == list(range(SPEAKER_COLOURS))
    assert colours[SPEAKER_COLOURS] == 0


def test_highlight_statement_details_name_the_source_chain_in_order():
    view = article_view(harbour_record())
    board = next(detail for detail in view.statements if detail.id == "a2")
    assert board.source_chain == ["transport board", "Harbour News"]
    assert (board.cue, board.factuality, board.hedges) == ("told", "possible", ["might"])


@st.composite
def records_with_random_spans(draw):
    text = draw(st.text(alphabet="ab \n\"'<>&é", min_size=1, max_size=60))
    bounds = st.tuples(st.integers(0, len(text)), st.integers(0, len(text))).map(sorted)
    mentions = [Mention(start=s, end=e, text=text[s:e]) for s, e in draw(st.lists(bounds, max_size=6))]
    contents = draw(st.lists(bounds, max_size=4))
    return Record(
        document=DocumentInfo(id="random"),
        text=text,
        entities=[Entity(id="e1", type="PERSON", name="p", mentions=mentions)],
        attributions=[
            Attribution(
                id=f"a{n}",
                kind="direct",
                content=Content(start=s, end=e, text=text[s:e]),
                cue=Span(start=s, end=s, text=""),
            )
            for n, (s, e) in enumerate(contents)
        ],
    )


@settings(max_examples=200, deadline=None)
@given(records_with_random_spans())
def test_highlight_segments_cover_the_text_and_agree_with_the_spans(record):
    pieces = [segment for block in segments(record) for segment in block]
    assert "".join(piece.text for piece in pieces) == record.text
    for piece in pieces:
        assert record.text[piece.start : piece.end] == piece.text
        inside = [
            a.id for a in record.attributions if a.content.start <= piece.start and piece.end <= a.content.end
        ]
        assert set(piece.statements) == set(inside)


def test_highlight_cue_and_speaker_point_to_their_statement():
    blocks = segments(harbour_record())
    pieces = {segment.text: segment for block in blocks for segment in block}
    assert pieces["told"].details == "a2" and pieces["told"].statement is None
    assert pieces["denied"].details == "a3"
    assert pieces[" reporters that "].details is None


@settings(max_examples=40, deadline=None)
@given(records_with_random_spans())
def test_highlight_any_record_renders_as_a_page_with_its_text_escaped(record):
    import re
    from html import unescape

    from fastapi.testclient import TestClient

    from onrecord.serve import create_app
    from onrecord.serve.corpus import RecordCorpus

    response = TestClient(create_app(RecordCorpus([record]))).get("/documents/random")
    assert response.status_code == 200
    body = response.text.split('id="article-text">', 1)[1].split("\n</div>", 1)[0]
    text_only = re.sub(r"</?(p|span)( [^>]*)?>", "", body)
    assert "<" not in text_only and ">" not in text_only  # every angle bracket of the text is escaped
    assert " ".join(unescape(text_only).split()) == " ".join(record.text.split())
