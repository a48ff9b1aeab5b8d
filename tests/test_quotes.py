"""Direct quotes from quotation marks alone: every style, paragraphs, sloppy marks."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onrecord.analyse.quotes import find_quotes


def quoted(text: str) -> list[str]:
    return [text[quote.start:quote.end] for quote in find_quotes(text)]


@pytest.mark.parametrize("mark_open, mark_close", [
    ("“", "”"), ('"', '"'), ("«", "»"), ("„", "“"), ("‘", "’"), ("‹", "›"), ("''", "''"), ("‚", "‘"),
])
def test_quotes_every_mark_style_pairs(mark_open, mark_close):
    text = f"The mayor said {mark_open}the ferry runs at dawn{mark_close} on Tuesday."
    assert quoted(text) == [f"{mark_open}the ferry runs at dawn{mark_close}"]


def test_quotes_inner_offsets_exclude_the_marks():
    text = "She wrote: «Nothing is settled.»"
    quote = find_quotes(text)[0]
    assert text[quote.inner_start:quote.inner_end] == "Nothing is settled."


def test_quotes_paragraph_that_reopens_continues_the_quote():
    text = "“First we rebuild the school.\n\n“Then the clinic,” the engineer added."
    quotes = find_quotes(text)
    assert len(quotes) == 1
    assert quotes[0].paragraphs == 2
    assert text[quotes[0].start:quotes[0].end].endswith("clinic,”")


def test_quotes_paragraphs_without_marks_run_until_the_closing_mark():
    text = "Her statement: “The dam held.\n\nThe river fell overnight.\n\nWe stay alert.”\n\nMore later."
    quotes = find_quotes(text)
    assert len(quotes) == 1 and quotes[0].paragraphs == 3
    assert text[quotes[0].start:quotes[0].end].endswith("We stay alert.”")


def test_quotes_wrong_way_closing_mark_still_ends_the_quote():
    text = "Statement: “The shipment arrived late “.\n\nNext paragraph here."
    assert quoted(text) == ["“The shipment arrived late “"]


def test_quotes_unclosed_quote_is_recovered_at_its_paragraph_end():
    text = "He shouted “stop the vote now\n\nThe crowd left quietly."
    quotes = find_quotes(text)
    assert len(quotes) == 1 and quotes[0].recovered
    assert text[quotes[0].start:quotes[0].end] == "“stop the vote now"


def test_quotes_nested_quote_does_not_end_the_outer_one():
    text = '"They told us ‘wait for the signal’ and left," the driver said.'
    assert quoted(text) == ['"They told us ‘wait for the signal’ and left,"']


def test_quotes_apostrophes_are_not_quotation_marks():
    text = "The farmers’ union didn’t sign, and the ’90s rules stand."
    assert quoted(text) == []


def test_quotes_stray_closing_mark_alone_is_ignored():
    assert quoted("Nothing here” at all.") == []


@pytest.mark.parametrize("text", ["", "\n\n", '"', "“", "”“", "'''", "« » « »", "\"\n\n\"\n\n\""])
def test_quotes_degenerate_inputs_never_crash(text):
    for quote in find_quotes(text):
        assert 0 <= quote.start <= quote.inner_start <= quote.inner_end <= quote.end <= len(text)


_PIECES = st.sampled_from(["“", "”", '"', "'", "‘", "’", "«", "»", "„", "''", " ", "\n\n", "word", ".", ",",
                           "said", "don’t", ":"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_quotes_any_marks_give_ordered_spans_inside_the_text(text):
    quotes = find_quotes(text)
    for quote in quotes:
        assert 0 <= quote.start <= quote.inner_start <= quote.inner_end <= quote.end <= len(text)
    for earlier, later in zip(quotes, quotes[1:]):
        assert earlier.end <= later.start


def test_quotes_single_newline_after_a_sentence_ends_a_paragraph():
    from onrecord.analyse.quotes import paragraph_breaks

    text = 'The vote is close.\n"We will win," she said.\nThe count went on\ninto the night.'
    assert paragraph_breaks(text, 0, len(text)) == 2  # the wrapped line 'went on / into' is one paragraph
    assert paragraph_breaks(text, 0, text.index("The count")) == 2
    assert paragraph_breaks("One.\n\nTwo.", 0, 9) == 1


def test_quotes_unclosed_quote_stops_at_a_single_newline_paragraph():
    text = 'He spoke: "The harbour is safe.\nThe ferry left at noon.\nThen it rained.'
    assert quoted(text) == ['"The harbour is safe.']
