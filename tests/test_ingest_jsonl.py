"""JSON Lines are read one line at a time, each line bounded; text is measured without copying it."""

from __future__ import annotations

import gzip
import io
import json
import re
import tracemalloc

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onrecord.errors import InputTooLarge
from onrecord.ingest import read_inputs
from onrecord.ingest.decode import check_size, utf8_size
from onrecord.ingest.sources import bounded_lines, collection_limit, json_line_limit
from onrecord.settings import Settings

SMALL = Settings(max_bytes=10_000)


def line(text: str, **fields) -> str:
    return json.dumps({"text": text, **fields})


def peak_memory(work) -> int:
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_jsonl_first_article_comes_before_the_rest_of_a_large_file_is_read(tmp_path):
    path = tmp_path / "many.jsonl"
    with path.open("w") as out:
        for number in range(200_000):  # about 15 MB
            out.write(line(f"Talks resumed on day {number}, the ministry said.") + "\n")
    items = read_inputs([str(path)])
    first = []
    peak = peak_memory(lambda: first.append(next(items)))
    assert first[0].name == f"{path}:1" and "day 0," in first[0].article.text
    assert peak < 2_000_000  # one line and the reader's buffer, not 15 MB


def test_jsonl_over_long_line_is_reported_by_number_and_never_held(tmp_path):
    path = tmp_path / "mixed.jsonl"
    limit = json_line_limit(SMALL)
    with path.open("w") as out:
        out.write(line("The port reopened on Friday, officials said.") + "\n")
        out.write(line("word " * 2_000_000) + "\n")  # a 10 MB line
        out.write(line("The ferry ran again on Monday.") + "\n")
    items = []
    peak = peak_memory(lambda: items.extend(read_inputs([str(path)], SMALL)))
    assert [item.name.rsplit(":", 1)[1] for item in items] == ["1", "2", "3"]
    assert isinstance(items[1].error, InputTooLarge)
    assert (items[1].error.fields["size"], items[1].error.fields["limit"]) == (10_000_012, limit)
    assert items[0].article is not None and items[2].article.text == "The ferry ran again on Monday."
    assert peak < 2_000_000  # the 10 MB line is read 64 KB at a time and dropped


@pytest.mark.parametrize("bad, reason", [
    ("{not json", "not valid JSON"),
    ('"just a string"', "expected a JSON object"),
    ('{"title": "no body"}', "no 'text' or 'html'"),
    (line("x " * 6_000), "too large"),  # under the line limit, over max_bytes once parsed
])
def test_jsonl_bad_line_is_reported_with_its_number_and_the_batch_goes_on(tmp_path, bad, reason):
    path = tmp_path / "lines.jsonl"
    path.write_text("\n".join([line("First, he said."), "", bad, line("Last, she said.")]) + "\n")
    items = list(read_inputs([str(path)], SMALL))
    assert [item.name for item in items] == [f"{path}:1", f"{path}:3", f"{path}:4"]
    assert reason in items[1].error.message
    assert [item.article.text for item in (items[0], items[2])] == ["First, he said.", "Last, she said."]


def test_jsonl_line_separator_inside_a_string_does_not_split_the_line(tmp_path):
    # U+2028 is legal inside a JSON string; str.splitlines would cut the line there.
    path = tmp_path / "sep.jsonl"
    path.write_text(json.dumps({"text": "One part.\u2028Another part, he said."}, ensure_ascii=False) + "\r\n"
                    + line("Second, she said.") + "\r\n", encoding="utf-8")
    items = list(read_inputs([str(path)]))
    assert [item.error for item in items] == [None, None]
    assert "Another part" in items[0].article.text and items[1].article.text == "Second, she said."


def test_jsonl_byte_order_marks_and_legacy_lines_are_decoded(tmp_path):
    utf8 = tmp_path / "bom.jsonl"
    utf8.write_bytes(b"\xef\xbb\xbf" + (line("With a mark, he said.") + "\n" + line("Without, she said.")).encode())
    utf16 = tmp_path / "wide.jsonl"
    utf16.write_bytes((line("Министр заявил.") + "\n" + line("Второй.") + "\n").encode("utf-16"))
    legacy = tmp_path / "legacy.jsonl"
    legacy.write_bytes(json.dumps({"text": "Министр заявил, что переговоры продолжатся."},
                                  ensure_ascii=False).encode("cp1251") + b"\n")
    texts = [item.article.text for path in (utf8, utf16, legacy) for item in read_inputs([str(path)])]
    assert texts == ["With a mark, he said.", "Without, she said.", "Министр заявил.", "Второй.",
                     "Министр заявил, что переговоры продолжатся."]


def test_jsonl_gzip_is_streamed_and_a_truncated_one_keeps_the_lines_before_the_break(tmp_path):
    data = gzip.compress(("\n".join(line(f"Article {n}, the agency said.") for n in range(2_000)) + "\n").encode())
    whole = tmp_path / "all.jsonl.gz"
    whole.write_bytes(data)
    assert sum(item.article is not None for item in read_inputs([str(whole)])) == 2_000
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(data[: len(data) // 2])
    items = list(read_inputs([str(cut)]))
    assert items[0].article.text == "Article 0, the agency said."
    assert items[-1].name == str(cut) and "broken gzip data" in items[-1].error.message
    assert all(item.article is not None for item in items[:-1]) and len(items) > 100


def test_jsonl_bounded_lines_counts_what_it_drops():
    stream = io.BufferedReader(io.BytesIO(b"short\n" + b"x" * 100 + b"\nlast"))
    assert list(bounded_lines(stream, 10)) == [(1, b"short\n", 6), (2, None, 100), (3, b"last", 4)]
    # A line of exactly the limit is kept, with or without its newline.
    stream = io.BufferedReader(io.BytesIO(b"x" * 10 + b"\n" + b"y" * 10))
    assert list(bounded_lines(stream, 10)) == [(1, b"x" * 10 + b"\n", 11), (2, b"y" * 10, 10)]


@given(data=st.binary(max_size=400).map(lambda b: b.replace(b"\x00", b"\n")), limit=st.integers(1, 40))
def test_jsonl_bounded_lines_keeps_each_short_line_whole_and_sizes_each_long_one(data, limit):
    expected = re.findall(rb"[^\n]*\n|[^\n]+$", data)
    found = list(bounded_lines(io.BufferedReader(io.BytesIO(data)), limit))
    assert [number for number, _, _ in found] == list(range(1, len(expected) + 1))
    for (_, line, size), original in zip(found, expected):
        content = len(original.rstrip(b"\n"))
        if content <= limit:
            assert (line, size) == (original, len(original))
        else:
            assert (line, size) == (None, content)


def test_jsonl_json_document_over_the_collection_limit_is_refused_unread(tmp_path):
    big = tmp_path / "dump.json"
    with big.open("wb") as out:
        out.truncate(collection_limit(SMALL) + 1)  # sparse: refused by its size, never read
    [item] = read_inputs([str(big)], SMALL)
    assert isinstance(item.error, InputTooLarge) and item.error.fields["limit"] == 200_000


def test_jsonl_check_size_measures_fifty_megabytes_of_text_without_a_copy():
    text = "Министр заявил. " * 3_300_000  # 52.8M characters, 95.7 MB in UTF-8
    with pytest.raises(InputTooLarge) as refused:
        check_size(text, 5_000_000)
    assert refused.value.fields["size"] == len(text.encode("utf-8"))
    peak = peak_memory(lambda: utf8_size(text))
    assert peak < 8_000_000  # a 1M-character slice and its bytes, not 95 MB


@pytest.mark.parametrize("text", ["", "plain ASCII", "Gdańsk – Київ", "emoji 🎉 and more", "lone \ud800 surrogate",
                                  "Ж" * 1_500_000])
def test_jsonl_utf8_size_equals_the_encoded_length(text):
    assert utf8_size(text) == len(text.encode("utf-8", "surrogatepass"))


def test_jsonl_check_size_near_the_limit_is_exact():
    check_size("ж" * 50, 100)  # 100 bytes: allowed
    with pytest.raises(InputTooLarge):
        check_size("ж" * 50 + "a", 100)
    check_size("a" * 100, 100)
    with pytest.raises(InputTooLarge):
        check_size("a" * 101, 100)
