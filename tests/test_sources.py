"""Source lines and chains: the speaker first, then each one who passed the words on."""

from __future__ import annotations

import pytest

from onrecord.analyse.sources import find_source_lines, parse_chain


def chain(text: str) -> list[str]:
    return [text[start:end] for start, end in parse_chain(text, 0, len(text))]


@pytest.mark.parametrize("line, expected", [
    ("Governor Ortega quoted by the regional council, Radio Norte, “Valle Today”",
     ["Governor Ortega", "the regional council", "Radio Norte", "Valle Today"]),
    ("The Daily Ledger, citing a port official", ["a port official", "The Daily Ledger"]),
    ("the fisheries minister via Coastal Wire", ["the fisheries minister", "Coastal Wire"]),
    ("Dr. Amari told Channel 9", ["Dr. Amari", "Channel 9"]),
    ("Mountain Post reported, citing the park rangers", ["the park rangers", "Mountain Post"]),
])
def test_sources_chain_puts_the_speaker_first(line, expected):
    assert chain(line) == expected


def test_sources_source_line_found_at_paragraph_start_only():
    text = ("Floods closed the valley road.\n\nSource: the river authority quoted by Valley FM\n\n"
            "The open source movement grew.")
    lines = find_source_lines(text)
    assert len(lines) == 1
    line = lines[0]
    assert text[line.cue[0]:line.cue[1]] == "Source"
    assert text[line.speaker[0]:line.speaker[1]] == "the river authority"
    assert [text[s:e] for s, e in line.intermediaries] == ["Valley FM"]


def test_sources_empty_body_gives_no_line():
    assert find_source_lines("Source:   \n\nText.") == []
