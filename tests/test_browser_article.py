"""The article page in a real headless Chromium (Debian's, through Playwright) served by a live
uvicorn on 127.0.0.1: highlights, hover and keyboard details, a screenshot, and hostile text."""

from __future__ import annotations

import os
import tempfile
import threading
import time
from pathlib import Path

import pytest
import uvicorn

from onrecord.serve import create_app
from onrecord.serve.config import ServeSettings
from onrecord.serve.corpus import RecordCorpus
from tests.serve_fixtures import harbour_record, hostile_record

ROOT = Path(__file__).resolve().parent.parent
# The test saves its screenshot here; set ONRECORD_SCREENSHOT=docs/screenshot-article.png to refresh
# the README's picture (by default the work tree is left untouched).
SCREENSHOT = Path(os.environ.get("ONRECORD_SCREENSHOT") or Path(tempfile.gettempdir()) / "onrecord-article.png")
TOKEN = "browser-test-token"
# A page that needs longer than this to load in a local browser is broken, not slow.
NAVIGATION_TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


class LiveServer:
    """uvicorn in a thread on a free port; stopped at the end, bounded waits both ways."""

    def __init__(self, app) -> None:
        self.server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            assert self.thread.is_alive() and time.monotonic() < deadline, "the server did not start"
            time.sleep(0.02)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture(scope="module")
def example_record(analyzer):
    return analyzer.analyze_text((ROOT / "examples" / "moldova-gas.txt").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def live_url(example_record, analyzer):
    records = [harbour_record(), hostile_record(), example_record]
    app = create_app(RecordCorpus(records), ServeSettings(token=TOKEN), analyzer_factory=lambda: analyzer)
    with LiveServer(app) as url:
        yield url


@pytest.fixture
def watched(page):
    """The page, with every dialog and console error recorded (a dialog is dismissed at once)."""
    page.set_default_timeout(NAVIGATION_TIMEOUT_MS)
    page.dialogs, page.errors = [], []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda message: page.errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return page


@pytest.mark.model
def test_browser_article_colours_statements_by_speaker(watched, live_url):
    watched.goto(f"{live_url}/documents/harbour-1")
    assert watched.locator("#article-text [data-a]").count() >= 3
    colour = "el => getComputedStyle(el).backgroundColor"
    varga_1 = watched.locator('.stmt[data-a="a1"]').first.evaluate(colour)
    varga_2 = watched.locator('.stmt[data-a="a3"]').first.evaluate(colour)
    board = watched.locator('.stmt[data-a="a2"]').first.evaluate(colour)
    assert varga_1 == varga_2 != board
    assert watched.locator('.ent[data-e="e1"]').count() == 2
    assert watched.locator(".legend li").filter(has_text="statement by Ilse Varga").count() == 1
    assert watched.errors == []


@pytest.mark.model
def test_browser_article_hover_shows_source_chain_cue_and_factuality(watched, live_url):
    watched.goto(f"{live_url}/documents/harbour-1")
    tip = watched.locator("#tip-a2")
    assert tip.is_hidden()
    watched.locator('[data-a="a2"]').last.hover()
    assert tip.is_visible()
    assert "transport board → Harbour News" in tip.inner_text()
    assert "told" in tip.inner_text() and "possible" in tip.inner_text()
    watched.locator("h1").hover()
    assert tip.is_hidden()
    watched.locator('.cue[data-a="a2"]').hover()  # the reporting verb leads to the same details
    assert tip.is_visible()


@pytest.mark.model
def test_browser_article_keyboard_focus_shows_the_details(watched, live_url):
    watched.goto(f"{live_url}/documents/harbour-1")
    for _ in range(40):
        watched.keyboard.press("Tab")
        if watched.evaluate("document.activeElement.id") == "a3":
            break
    assert watched.evaluate("document.activeElement.getAttribute('aria-describedby')") == "tip-a3"
    tip = watched.locator("#tip-a3")
    assert tip.is_visible() and "negated" in tip.inner_text() and "denied" in tip.inner_text()
    watched.keyboard.press("Escape")
    assert tip.is_hidden()


@pytest.mark.model
def test_browser_article_of_the_example_and_its_screenshot(watched, live_url, example_record):
    watched.set_viewport_size({"width": 1100, "height": 900})
    watched.goto(f"{live_url}/documents/{example_record.document.id}")  # templates compile on first use
    started = time.perf_counter()
    watched.reload()
    load_ms = (time.perf_counter() - started) * 1000
    server_ms = watched.evaluate(
        "performance.getEntriesByType('navigation')[0].responseEnd"
        " - performance.getEntriesByType('navigation')[0].requestStart"
    )
    print(f"\nexample article page: server response {server_ms:.0f} ms, full load {load_ms:.0f} ms")
    described = watched.locator("#article-text [aria-describedby]").evaluate_all(
        "els => els.flatMap(el => el.getAttribute('aria-describedby').split(' '))"
    )
    assert sorted(described) == sorted(f"tip-{a.id}" for a in example_record.attributions)
    text = watched.locator("#article-text").inner_text()
    assert " ".join(text.split()) == " ".join(example_record.text.split())
    if example_record.attributions:
        # The screenshot shows the details of the statement with the longest source chain.
        shown = max(example_record.attributions, key=lambda a: len(a.source_chain))
        watched.locator(f'[data-a="{shown.id}"]').first.hover()
        assert watched.locator(f"#tip-{shown.id}").is_visible()
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    watched.screenshot(path=str(SCREENSHOT), full_page=False)
    assert SCREENSHOT.stat().st_size > 10_000
    assert watched.errors == []


@pytest.mark.model
def test_browser_hostile_article_renders_inert(watched, live_url):
    watched.goto(f"{live_url}/documents/hostile")
    watched.locator('[data-a="a1"]').first.hover()  # our own script still works under the policy
    assert watched.locator("#tip-a1").is_visible()
    watched.wait_for_timeout(300)
    assert watched.evaluate("window.__pwned") is None
    assert watched.dialogs == []
    assert watched.locator("#article-text script, #article-text img, #article-text svg").count() == 0
    assert "<img src=x onerror=" in watched.locator("#article-text").inner_text()
    assert watched.locator("a[href^='javascript:']").count() == 0


@pytest.mark.model
def test_browser_pasted_hostile_article_renders_inert(watched, live_url):
    watched.goto(f"{live_url}/analyze")
    hostile = (
        '<p>The mayor said: "<img src=x onerror=alert(1)> fares will fall."</p>'
        "<script>window.__pwned = 7; alert('x')</script><b onmouseover=alert(2)>bold</b>"
    )
    watched.fill("#text", hostile)
    watched.fill("#token", TOKEN)
    watched.click("button[type=submit]")
    watched.wait_for_url(f"{live_url}/analyze")
    assert "analysed now, not stored" in watched.content()
    assert "fares will fall" in watched.locator("#article-text").inner_text()
    watched.locator("#article-text").hover()
    watched.wait_for_timeout(300)
    assert watched.evaluate("window.__pwned") is None
    assert watched.dialogs == []
    assert watched.locator("#article-text img, #article-text script, #article-text b").count() == 0


@pytest.mark.model
def test_browser_speaker_page_links_back_to_the_sentence(watched, live_url):
    watched.goto(f"{live_url}/documents/harbour-1")
    watched.locator("section.entities a", has_text="Ilse Varga").click()
    watched.wait_for_url(f"{live_url}/entities/person:ilse-varga")
    said = watched.locator("section", has=watched.locator("#said-title"))
    assert "The new ferry will run by June" in said.inner_text()
    said.locator('a[href="/documents/harbour-1#a1"]').first.click()
    watched.wait_for_url(f"{live_url}/documents/harbour-1#a1")
    assert watched.locator("#a1").is_visible()
    assert watched.locator("#a1").evaluate("el => el.getBoundingClientRect().top >= 0")
    assert watched.errors == []


@pytest.mark.model
def test_browser_timeline_marks_are_reachable_by_keyboard(watched, live_url):
    watched.goto(f"{live_url}/timeline")
    marks = watched.locator("svg.chart a.mark")
    assert marks.count() >= 2
    for _ in range(40):
        watched.keyboard.press("Tab")
        if watched.evaluate("document.activeElement.classList.contains('mark')"):
            break
    label = watched.evaluate("document.activeElement.querySelector('title').textContent")
    assert "(" in label and any(
        f in label for f in ("asserted", "promised", "intended", "possible", "negated")
    )
    assert watched.errors == []
