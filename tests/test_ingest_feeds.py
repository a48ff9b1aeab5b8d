"""RSS and Atom feeds: one article per item, metadata from the feed, nothing fetched, bad items reported."""

from __future__ import annotations

import gzip

from onrecord.ingest import read_inputs
from onrecord.ingest.feeds import looks_like_feed
from onrecord.settings import Settings

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Valley Courier</title>
<item><title>Mill reopens &amp; hires</title>
<link>https://courier.example/mill</link>
<pubDate>Thu, 05 Feb 2026 08:00:00 +0000</pubDate>
<author>news@courier.example (Ilse Marek)</author>
<guid>courier-77</guid>
<description>Teaser only.</description>
<content:encoded><![CDATA[<p>The paper mill reopened on Wednesday, its owner said.</p>
<p>"Sixty people start next week," the owner told the council.<script>document.write('x')</script></p>]]></content:encoded>
</item>
<item><title>Ferry fares rise</title><link>https://courier.example/ferry</link>
<pubDate>Fri, 06 Feb 2026 08:00:00 +0000</pubDate>
<description>Ferry fares will rise by a tenth in March, according to the operator.</description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Coastal Wire</title>
<entry><title>Storm wall finished</title><id>tag:wire,2026:9</id>
<link href="https://wire.example/wall"/><updated>2026-01-12T10:00:00Z</updated>
<author><name>Pia Lund</name></author>
<content type="html">&lt;p&gt;Builders finished the storm wall, the harbour master said on Monday.&lt;/p&gt;</content>
</entry></feed>"""


def _write(tmp_path, name: str, content: str):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def test_feeds_rss_items_become_articles_with_feed_metadata(tmp_path):
    path = _write(tmp_path, "courier.rss", RSS)
    first, second = read_inputs([str(path)])
    assert (first.name, second.name) == (f"{path}#1", f"{path}#2")
    mill = first.article
    assert mill.title == "Mill reopens & hires"
    assert mill.outlet == "Valley Courier" and mill.author == "Ilse Marek" and mill.id == "courier-77"
    assert mill.published == "2026-02-05" and mill.url == "https://courier.example/mill"
    # The full content wins over the teaser; the sanitiser drops the script.
    assert "Sixty people start next week" in mill.text and "Teaser only" not in mill.text
    assert "document.write" not in mill.text
    assert "according to the operator" in second.article.text


def test_feeds_atom_entry_is_read(tmp_path):
    [item] = read_inputs([str(_write(tmp_path, "wire.atom", ATOM))])
    assert item.article.title == "Storm wall finished"
    assert item.article.author == "Pia Lund" and item.article.published == "2026-01-12"
    assert "storm wall, the harbour master said" in item.article.text


def test_feeds_are_sniffed_on_standard_input_and_in_gzip(tmp_path, monkeypatch):
    assert looks_like_feed(ATOM.encode()) and not looks_like_feed(b"<html><body>x</body></html>")
    path = tmp_path / "wire.xml.gz"
    path.write_bytes(gzip.compress(ATOM.encode()))
    [item] = read_inputs([str(path)])
    assert item.article.outlet == "Coastal Wire"


def test_feeds_a_string_that_looks_like_a_url_is_never_fetched(tmp_path):
    # feedparser fetches a string that looks like a URL; onrecord hands it a stream, so the
    # "feed" is just text that is not a feed.
    [item] = read_inputs([str(_write(tmp_path, "pointer.xml", "http://127.0.0.1:9/feed.xml"))])
    assert item.error is not None and item.error.code == "E107"


def test_feeds_an_item_over_the_size_limit_is_reported_and_the_rest_goes_on(tmp_path):
    big = RSS.replace("Teaser only.", "Teaser. " * 400)
    items = list(read_inputs([str(_write(tmp_path, "big.rss", big))], Settings(max_bytes=2000)))
    assert items[0].error is not None and items[0].error.code == "E103"
    assert items[1].article is not None


def test_feeds_an_item_without_text_is_reported(tmp_path):
    empty = RSS.replace("<description>Ferry fares will rise by a tenth in March, according to the operator."
                        "</description>", "")
    items = list(read_inputs([str(_write(tmp_path, "empty.rss", empty))]))
    assert items[0].article is not None
    assert items[1].error is not None and "has no text" in items[1].error.message
