"""HTML pages: body and metadata from one parse, hostile markup, nothing fetched."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onrecord.errors import EmptyInput, InputError
from onrecord.ingest.html import extract_page, parse_html

PAGE = (Path(__file__).parent / "fixtures" / "html" / "article.html").read_text("utf-8")


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test: a page's links are never followed."""
    def refuse(*args, **kwargs):
        raise AssertionError(f"ingestion tried to open a connection: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    import htmldate.utils
    import trafilatura.downloads

    monkeypatch.setattr(trafilatura.downloads, "fetch_url", refuse)
    monkeypatch.setattr(htmldate.utils, "fetch_url", refuse)


def test_html_page_gives_body_and_metadata():
    article = parse_html(PAGE, source="article.html")
    assert article.title == "Harbour cranes return to Klaipeda"
    assert article.published == "2023-06-07"
    assert article.author == "Rasa Jankauskaite"
    assert article.outlet == "Baltic Wire"
    assert article.text.startswith("Harbour cranes return to Klaipeda\n\nFour container cranes")
    assert "Source: Klaipeda port authority statement" in article.text


def test_html_body_has_no_navigation_related_links_or_footer():
    text = parse_html(PAGE).text
    for furniture in ("Home", "Business", "Related articles", "Ferry prices rise", "All rights reserved", "cookies"):
        assert furniture not in text


def test_html_body_without_title_is_what_the_benchmark_scores():
    article = parse_html(PAGE)
    assert article.body.startswith("Four container cranes")
    assert article.title not in article.body


def test_html_scripts_styles_and_handlers_do_not_leak_into_text():
    text = parse_html(PAGE).text
    for leaked in ("SECRET-TRACKER-CODE", "injected text", "color: red", "alert", "steal()", "tracker.invalid"):
        assert leaked not in text


def test_html_script_inside_paragraphs_does_not_leak():
    page = ("<html><body><article><h1>Bridge opens in Riga</h1>"
            "<p>The new bridge opened on Monday, the city council said.<script>var x='LEAK-ME';</script></p>"
            "<script>document.body.innerHTML='LEAK-TOO'</script><noscript>LEAK-NOSCRIPT</noscript>"
            "<p>Officials expect traffic to ease <a href='javascript:alert(1)'>downtown</a> within a month.</p>"
            "<p>Drivers had waited two years for the crossing, according to the council's report.</p>"
            "</article></body></html>")
    text = parse_html(page).text
    assert "LEAK" not in text and "javascript" not in text
    assert "The new bridge opened on Monday" in text


def test_html_huge_nesting_does_not_crash():
    depth = 50_000
    page = ("<html><body>" + "<div>" * depth
            + "<p>The council approved the plan on Monday after a long debate, officials said.</p>"
            + "</div>" * depth + "</body></html>")
    try:
        article = parse_html(page)
    except InputError:
        return  # refused with a clear reason is fine; a crash is not
    assert "council" in article.text


def test_html_many_paragraphs_and_broken_markup_do_not_crash():
    page = "<html><body><p>Unclosed <b>tags <i>everywhere" + "<p>More text, said the minister." * 2000
    article = parse_html(page)
    assert "said the minister" in article.text


def test_html_page_that_is_only_a_link_is_not_fetched():
    try:
        article = parse_html("https://example.invalid/article-123")
    except InputError:
        return
    assert article.text == "https://example.invalid/article-123"  # read as text, never downloaded


def test_html_fragment_is_wrapped_and_read():
    article = parse_html("<p>Parliament passed the budget on Friday after a night-long session, the speaker said.</p>"
                         "<p>The opposition voted against it, according to the official record.</p>")
    assert article.text.startswith("Parliament passed the budget on Friday")


def test_html_without_text_is_empty_input():
    with pytest.raises(EmptyInput):
        parse_html("<html><head><title>Nothing</title></head><body><script>var a = 1;</script></body></html>")


def test_html_caller_metadata_wins_over_the_page():
    article = parse_html(PAGE, published="2023-06-08", outlet="Wire Service")
    assert article.published == "2023-06-08" and article.outlet == "Wire Service"


def test_html_extract_page_reads_a_date_from_the_url_when_the_page_has_none():
    page = ("<html><body><article><p>The new bridge opened on Monday, the city council said in a statement.</p>"
            "<p>Officials expect traffic to ease within a month, according to the council.</p></article></body></html>")
    assert extract_page(page, url="https://news.example/2022/09/14/bridge-opens").published == "2022-09-14"


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(markup=st.lists(st.one_of(st.sampled_from(["<p>", "</p>", "<div>", "<script>", "</script>", "<h1>", "</h1>",
                                                   "<!--", "-->", "<html>", "<body>", "&amp;", "&#0;", "<![CDATA[",
                                                   "<svg onload=x>", "\x00", "<table><tr><td>"]),
                                   st.text(max_size=40)), max_size=30))
def test_html_property_any_markup_gives_an_article_or_an_input_error(markup):
    try:
        article = parse_html("".join(markup))
    except InputError:
        return
    assert article.text.strip()
    assert "<script" not in article.text


def test_html_json_ld_metadata_is_read_before_scripts_are_stripped():
    page = (Path(__file__).parent / "fixtures" / "extraction" / "wire-agency.html").read_text("utf-8")
    article = parse_html(page)
    assert (article.published, article.author, article.outlet) == ("2023-09-12", "Tomas Vaitkus", "Northline Wire")
    assert "NewsArticle" not in article.text
