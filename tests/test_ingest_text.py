"""Plain and scraped text: furniture removed, headline, dateline and byline found, labels kept.

The fixtures in tests/fixtures/scraped are texts written for these tests in shapes the rules were
not written around: menus at the top and bottom, a headline printed twice in another case, no
headline at all, wire-style bylines, link boxes in the middle and at the end.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onrecord.errors import EmptyInput, InputError
from onrecord.ingest.dates import parse_dateline
from onrecord.ingest.text import clean_text, is_boilerplate, same_headline, split_paragraphs
from tests.conftest import assert_offsets_hold

SCRAPED = Path(__file__).parent / "fixtures" / "scraped"


def read(name: str):
    return clean_text((SCRAPED / name).read_text("utf-8"), source=name)


def test_text_menus_at_top_and_bottom_are_dropped():
    article = read("menus-doubled-headline.txt")
    for furniture in ("Skip to main content", "Home | News", "Search", "Share on Facebook", "cookies",
                      "All rights reserved", "Contacts", "About us", "Advertising"):
        assert furniture not in article.text
    assert article.text.endswith('"We expect the first convoy by Friday," he said.')


def test_text_headline_printed_twice_in_capitals_is_kept_once():
    article = read("menus-doubled-headline.txt")
    assert article.title == "Port of Odesa reopens grain terminal after repairs"
    assert article.text.startswith(article.title + "\n\n")
    assert "PORT OF ODESA" not in article.text
    assert any(warning.startswith("W002") for warning in article.warnings)


def test_text_day_first_dateline_and_byline_with_place_are_taken_off():
    article = read("menus-doubled-headline.txt")
    assert article.published == "2023-03-12"
    assert article.author == "Olena Marchenko"
    assert "12.03.2023" not in article.text and "By Olena" not in article.text


@pytest.mark.parametrize("label", ["Source:", "Photo:", "Details:"])
def test_text_label_lines_are_kept(label):
    assert f"\n\n{label} " in read("menus-doubled-headline.txt").text


def test_text_trailing_read_also_box_is_dropped():
    article = read("menus-doubled-headline.txt")
    assert "Read also" not in article.text and "Farmers count losses" not in article.text


def test_text_without_headline_has_no_title_and_keeps_first_sentence():
    article = read("no-headline.txt")
    assert article.title is None
    assert article.published == "2024-03-05"
    assert article.text.startswith("The city council of Chisinau voted on Tuesday")


def test_text_wire_style_menu_lines_byline_and_iso_dateline():
    article = read("wire-style.txt")
    assert article.title == "Talks on the Danube bridge stall over customs rules"
    assert article.text.startswith(article.title)
    assert article.author == "JOHN SMITH and MARIA LOPEZ"  # the agency after the comma is not a name
    assert article.published == "2023-11-02"
    for furniture in ("Home", "Europe", "Related articles", "Danube shipping slows", "Privacy", "Contact us"):
        assert furniture not in article.text
    assert article.text.endswith("the Austrian envoy told reporters after the meeting.")


def test_text_link_box_mid_article_is_dropped_and_prose_after_it_kept():
    article = read("midbox-and-labels.txt")
    assert "Gas storage at record low" not in article.text and "Read also" not in article.text
    assert '"There is no agreement and there will be none before spring,"' in article.text
    assert "Direct speech:" in article.text and "Background:" in article.text
    assert "Tags:" not in article.text
    assert article.published == "2023-03-14"


def test_text_headline_repeated_with_trailing_spaces_and_end_mark():
    raw = "Rail link to Lviv reopens \n\nRail link to Lviv reopens.\n\nTrains ran again on Monday, the operator said."
    article = clean_text(raw)
    assert article.title == "Rail link to Lviv reopens"
    assert article.text.count("Rail link to Lviv") == 1


def test_text_short_headline_before_prose_is_not_taken_for_a_menu():
    article = clean_text("Ferry service resumes\n\nThe ferry between the two islands ran again on Monday.")
    assert article.title == "Ferry service resumes"


def test_text_hard_wrapped_paragraph_is_joined():
    raw = ("The committee met on Tuesday to discuss the budget for the coming year and\n"
           "agreed to postpone the vote until the auditors had finished their report on\n"
           "the accounts of the previous year.")
    assert split_paragraphs(raw) == [" ".join(raw.split())]


@pytest.mark.parametrize("line", ["Subscribers to the service complained about the price.",
                                  "Copyright law was changed by parliament on Tuesday.",
                                  "Home owners will pay more, the minister said.",
                                  "Source: Reuters. Read more in our live blog"])
def test_text_sentences_that_mention_furniture_words_are_kept(line):
    assert not is_boilerplate(line)


@pytest.mark.parametrize("line", ["Main menu", "Share this article", "Subscribe to our newsletter",
                                  "We use cookies to improve your experience. Accept", "© 2024 Example",
                                  "Home • World • Opinion", "5 min read", "READ MORE: Minister resigns"])
def test_text_furniture_lines_are_boilerplate(line):
    assert is_boilerplate(line)


@pytest.mark.parametrize("line, expected", [
    ("12.03.2023", "2023-03-12"),
    ("12/03/2023 14:05", "2023-03-12"),
    ("03/25/2023", "2023-03-25"),
    ("Published: Tuesday, 14 March 2023, 10:15 GMT+2", "2023-03-14"),
    ("March 14, 2024 10:15 AM EST", "2024-03-14"),
    ("Updated 2024-03-14T10:15:00Z", "2024-03-14"),
    ("Posted on 5th of May 2021 at 9:00", "2021-05-05"),
    ("The meeting on 14 March 2024 was long", None),
    ("31.02.2023", None),
    ("14 March", None),
    ("14.03.2999", None),
])
def test_dates_dateline_shapes(line, expected):
    assert parse_dateline(line) == expected


def test_text_title_with_site_name_matches_the_printed_headline():
    assert same_headline("Minister denies gas deal", "Minister denies gas deal | Example News")
    assert same_headline("Minister denies gas deal", "Example News - Minister denies gas deal")
    assert not same_headline("Minister", "Minister denies gas deal | Example News")


def test_text_html_title_is_not_repeated_when_the_body_prints_it():
    article = clean_text("Minister denies gas deal\n\nThe minister denied it on Monday.",
                         title="Minister denies gas deal | Example News")
    assert article.title == "Minister denies gas deal"
    assert article.text.count("Minister denies gas deal") == 1
    assert article.body == "The minister denied it on Monday."


def test_text_only_furniture_is_empty_input():
    with pytest.raises(EmptyInput):
        clean_text("Main menu\n\nShare this article\n\nSubscribe")


_ALPHABET = st.characters(codec="utf-8", exclude_categories=("Cs",))
_LINES = st.lists(st.one_of(
    st.text(_ALPHABET, max_size=60),
    st.sampled_from(["Main menu", "Share on Facebook", '"We will win," he said.', "Source: Reuters",
                     "12.03.2023", "By Anna Kovalenko", "Read also", "Home | World | Sport", "“Quote”",
                     "Minister resigns", "Minister resigns", "\u2028", "'", '"']),
), max_size=12)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=_LINES, separator=st.sampled_from(["\n", "\n\n", "\r\n"]))
def test_text_property_clean_text_drops_furniture_and_offsets_hold(analyzer, lines, separator):
    raw = separator.join(lines)
    try:
        article = clean_text(raw)
    except InputError:
        return
    assert article.text.strip()
    for paragraph in article.text.split("\n\n"):
        assert not is_boilerplate(paragraph)
    assert_offsets_hold(analyzer.analyze(article))


def test_text_caption_under_headline_is_kept_and_dateline_after_it_read():
    article = read("outlet-caption-first.txt")
    assert article.title == "Ukraine, Poland agree on border checkpoint hours"
    assert article.published == "2024-02-14"
    assert "\n\nPhoto: border crossing at Yahodyn. Getty Images\n\n" in article.text
    for furniture in ("Kyiv Daily Post", "Advertisement", "Tweet", "More from"):
        assert furniture not in article.text


def test_text_byline_after_standfirst_with_reading_time_and_date():
    article = read("standfirst-before-byline.txt")
    assert article.title == "Parliament passes media law"
    assert (article.author, article.published) == ("Maria Danilova", "2023-12-22")
    assert "min read" not in article.text and "login" not in article.text and "news  sport" not in article.text
    assert article.text.split("\n\n")[1].startswith("The law gives the regulator power")
    assert "Subscribe" not in article.text
