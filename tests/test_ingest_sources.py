"""Where articles come from: JSON documents and lines, compressed files, folders, order."""

from __future__ import annotations

import gzip
import json

from onrecord.ingest import read_inputs
from onrecord.settings import Settings


def test_sources_json_list_gives_one_article_per_object(tmp_path):
    path = tmp_path / "batch.json"
    path.write_text(json.dumps([{"text": "Bridge opens\n\nThe bridge opened on Monday.", "id": "x1"},
                                {"text": "Port closes\n\nThe port closed on Friday.", "title": "Port closes today"},
                                {"url": "https://no.body"}]))
    items = list(read_inputs([str(path)]))
    assert [item.name for item in items] == [f"{path}#1", f"{path}#2", f"{path}#3"]
    assert items[0].article.id == "x1" and items[0].article.title == "Bridge opens"
    assert items[1].article.title == "Port closes today"
    assert items[2].error is not None and "no 'text' or 'html'" in items[2].error.message


def test_sources_json_line_that_is_not_an_object_is_malformed(tmp_path):
    path = tmp_path / "lines.jsonl"
    path.write_text('["a", "list"]\n{"text": "Talks end in Vienna, officials said."}\n')
    items = list(read_inputs([str(path)]))
    assert "expected a JSON object" in items[0].error.message
    assert items[1].article.text == "Talks end in Vienna, officials said."


def test_sources_gzip_html_file_is_read(tmp_path):
    page = ("<html><head><title>Dam repaired</title></head><body><article><h1>Dam repaired</h1>"
            "<p>Engineers finished repairs on the dam on Friday, the water agency said.</p></article></body></html>")
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress(page.encode()))
    [item] = read_inputs([str(path)])
    assert item.article.title == "Dam repaired"
    assert "Engineers finished repairs" in item.article.text


def test_sources_broken_gzip_is_malformed(tmp_path):
    path = tmp_path / "page.html.gz"
    path.write_bytes(b"\x1f\x8bnot really gzip")
    [item] = read_inputs([str(path)])
    assert "broken gzip" in item.error.message


def test_sources_html_in_a_txt_file_is_sniffed(tmp_path):
    path = tmp_path / "saved.txt"
    path.write_text("<!DOCTYPE html><html><body><article><h1>Rail strike ends</h1><p>Train drivers returned to "
                    "work on Monday after a week-long strike, the union said.</p></article></body></html>")
    [item] = read_inputs([str(path)])
    assert "<" not in item.article.text and item.article.title == "Rail strike ends"


def test_sources_json_body_over_the_limit_is_refused(tmp_path):
    path = tmp_path / "big.jsonl"
    path.write_text(json.dumps({"text": "word " * 100}) + "\n" + json.dumps({"text": "Short one, he said."}) + "\n")
    items = list(read_inputs([str(path)], Settings(max_bytes=100)))
    assert "too large" in items[0].error.message
    assert items[1].article is not None


def test_sources_folder_is_read_recursively_in_sorted_order(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text("Second text, the agency said.")
    (tmp_path / "a.txt").write_text("First text, the agency said.")
    (tmp_path / "notes.docx").write_bytes(b"PK")
    assert [item.name for item in read_inputs([str(tmp_path)])] == [str(tmp_path / "a.txt"), str(tmp_path / "b" / "2.txt")]


def test_sources_legacy_encoding_leaves_a_coded_warning(tmp_path):
    path = tmp_path / "old.txt"
    path.write_bytes("Министр заявил, что переговоры продолжатся.".encode("koi8-r"))
    [item] = read_inputs([str(path)])
    assert item.article.text == "Министр заявил, что переговоры продолжатся."
    assert "W003: decoded as koi8_r, not UTF-8" in item.article.warnings


def test_sources_json_publication_dates_are_normalised(tmp_path):
    path = tmp_path / "dates.jsonl"
    lines = [{"text": "Talks end, officials said.", "published": value}
             for value in ("2024-03-05T10:15:00+02:00", "5 March 2024", "05.03.2024", "last Tuesday")]
    path.write_text("\n".join(json.dumps(line) for line in lines))
    articles = [item.article for item in read_inputs([str(path)])]
    assert [a.published for a in articles] == ["2024-03-05", "2024-03-05", "2024-03-05", None]
    assert any("'last Tuesday' is not a date" in warning for warning in articles[3].warnings)


def test_sources_unexpected_parser_error_is_reported_and_the_batch_goes_on(tmp_path, monkeypatch):
    import onrecord.ingest.sources as sources

    def broken_parser(html, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(sources, "parse_html", broken_parser)
    (tmp_path / "a.html").write_text("<html><body><p>A page.</p></body></html>")
    (tmp_path / "b.txt").write_text("A text, the agency said.")
    first, second = read_inputs([str(tmp_path)])
    assert first.error.message == "could not be read (RecursionError: maximum recursion depth exceeded)"
    assert second.article.text == "A text, the agency said."
