"""The REST API and the pages through FastAPI's test client: shapes, bounds, headers, the token."""

from __future__ import annotations

import time
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from onrecord.model import Record
from onrecord.serve import create_app
from onrecord.serve.config import MAX_OFFSET, MAX_PAGE, ServeSettings
from onrecord.serve.corpus import RecordCorpus
from onrecord.serve.store_corpus import StoreCorpus
from onrecord.store import Store
from tests.serve_fixtures import harbour_record, hostile_record

TOKEN = "test-token-9f2c"
PAGES = [
    "/reference",
    "/",
    "/documents/harbour-1",
    "/documents/hostile",
    "/entities",
    "/speakers",
    "/entities/person:ilse-varga",
    "/timeline",
    "/search?q=ferry",
    "/promises",
    "/promises?before=2024-12-31",
    "/claims",
]


def corpus_records() -> list[Record]:
    return [
        harbour_record(),
        hostile_record(),
        harbour_record("harbour-2", outlet="Coast Daily", published="2024-03-15"),
    ]


class FakeAnalyzer:
    """Answers at once, so that the HTTP behaviour is tested without the model."""

    delay = 0.0

    def analyze_text(self, text: str, html: bool = False, **metadata):
        time.sleep(self.delay)
        return harbour_record(doc_id="pasted", title=metadata.get("title") or "pasted")


class SlowAnalyzer(FakeAnalyzer):
    delay = 1.0


def client(token: str | None = None, analyzer=FakeAnalyzer, **settings) -> TestClient:
    app = create_app(
        RecordCorpus(corpus_records()), ServeSettings(token=token, **settings), analyzer_factory=analyzer
    )
    return TestClient(app)


@pytest.fixture(scope="module")
def api() -> TestClient:
    return client()


def assert_error_shape(response, status: int, code: str | None = None) -> None:
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert set(error) == {"code", "status", "message"} and error["status"] == status and error["message"]
    if code:
        assert error["code"] == code


def test_serve_documents_are_paginated_with_ids_and_a_next_offset(api):
    first = api.get("/api/documents", params={"limit": 2}).json()
    assert [d["id"] for d in first["items"]] == ["harbour-2", "harbour-1"]
    assert first["next_offset"] == 2
    last = api.get("/api/documents", params={"limit": 2, "offset": 2}).json()
    assert [d["id"] for d in last["items"]] == ["hostile"] and last["next_offset"] is None


@pytest.mark.parametrize(
    "params",
    [{"limit": MAX_PAGE + 1}, {"limit": 0}, {"offset": -1}, {"offset": MAX_OFFSET + 1}, {"limit": "many"}],
)
def test_serve_pagination_is_bounded_and_refused_in_the_error_shape(api, params):
    assert_error_shape(api.get("/api/entities", params=params), 422, "invalid_request")


def test_serve_entities_filter_by_type_in_memory_and_in_the_store(api, empty_store):
    empty_store.add_records(corpus_records())
    stored = TestClient(create_app(StoreCorpus(empty_store)))
    for served in (api, stored):
        every = served.get("/api/entities", params={"limit": 100}).json()["items"]
        people = served.get("/api/entities", params={"limit": 100, "type": "PERSON"}).json()["items"]
        assert people and len(people) < len(every)
        assert people == [e for e in every if e["type"] == "PERSON"]
        assert_error_shape(served.get("/api/entities", params={"type": "<script>"}), 422, "invalid_request")


def test_serve_record_endpoint_returns_the_record_contract(api):
    response = api.get("/api/documents/harbour-1")
    assert response.status_code == 200
    record = Record.model_validate(response.json())
    assert record == harbour_record()
    for span in record.spans():
        assert record.text[span.start : span.end] == span.text


@pytest.mark.parametrize(
    "path", ["/api/documents/missing", "/api/entities/person:nobody", "/api/no-such-route"]
)
def test_serve_missing_things_answer_404_in_the_error_shape(api, path):
    assert_error_shape(api.get(path), 404, "not_found")


def test_serve_wrong_method_answers_in_the_error_shape(api):
    assert_error_shape(api.delete("/api/documents"), 405, "method_not_allowed")


def test_serve_lists_answer_from_the_records(api):
    speakers = api.get("/api/speakers").json()["items"]
    assert [(s["name"], s["statements"]) for s in speakers][:2] == [("Ilse Varga", 4), ("transport board", 2)]
    statement = next(s for s in api.get("/api/attributions").json()["items"] if s["id"] == "a2")
    assert statement["source_chain"] == ["transport board", "Harbour News"]
    assert statement["page"].endswith("#a2")
    promises = api.get("/api/promises", params={"before": "2024-06-30"}).json()["items"]
    assert {p["trigger"] for p in promises} == {"run"}
    assert api.get("/api/promises", params={"before": "2024-05-01"}).json()["items"] == []
    hits = api.get("/api/search", params={"q": "FERRY might"}).json()["items"]
    assert hits and all("[ferry might]" in h["snippet"] for h in hits)
    claims = api.get("/api/claims").json()["items"]
    assert claims[0]["outlets"] == 2 and claims[0]["documents"] == 2


def test_serve_entity_profile_says_what_they_said_and_who_named_them(api):
    profile = api.get("/api/entities/person:ilse-varga").json()
    assert {s["id"] for s in profile["said"]} == {"a1", "a3"}
    assert profile["roles"] == ["mayor"]
    assert {e["trigger"] for e in profile["events"]} == {"run"}


class _PageAudit(HTMLParser):
    """Collects scripts, inline handlers and links of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts, self.handlers, self.links, self.in_script = [], [], [], False
        self.script_text = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.handlers += [name for name in attrs if name.startswith("on")]
        if tag == "script":
            self.scripts.append(attrs.get("src"))
            self.in_script = True
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        self.in_script = self.in_script and tag != "script"

    def handle_data(self, data):
        if self.in_script:
            self.script_text += data


@pytest.mark.parametrize("path", PAGES)
def test_serve_pages_render_with_only_the_static_script_and_strict_headers(api, path):
    response = api.get(path)
    assert response.status_code == 200, response.text
    audit = _PageAudit()
    audit.feed(response.text)
    assert audit.scripts == ["/static/onrecord.js"] and not audit.script_text.strip()
    assert audit.handlers == []
    assert not any(link.lower().startswith(("javascript:", "data:")) for link in audit.links)
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"


def test_serve_hostile_article_is_escaped_everywhere(api):
    page = api.get("/documents/hostile").text
    assert "<script>window" not in page and "<img src=x" not in page and "<svg onload" not in page
    assert "&lt;script&gt;window.__pwned = 1" in page
    assert 'href="javascript:' not in page  # the hostile URL is shown as text, never as a link


def test_serve_article_page_marks_statements_with_their_details(api):
    page = api.get("/documents/harbour-1").text
    assert page.count('data-a="a1"') >= 1 and 'id="a1" tabindex="0" aria-describedby="tip-a1"' in page
    assert 'id="tip-a2"' in page and "transport board → Harbour News" in page
    assert 'class="ent ent-PERSON speaker"' in page


def test_serve_static_files_carry_the_security_headers(api):
    response = api.get("/static/onrecord.js")
    assert response.status_code == 200 and response.headers["x-content-type-options"] == "nosniff"
    assert "innerHTML" not in response.text and "eval(" not in response.text


def test_serve_openapi_documents_every_api_route(api):
    schema = api.get("/api/openapi.json").json()
    expected = {
        "/api/documents",
        "/api/documents/{doc_id}",
        "/api/entities",
        "/api/entities/{entity_id}",
        "/api/speakers",
        "/api/attributions",
        "/api/events",
        "/api/search",
        "/api/promises",
        "/api/claims",
        "/api/analyze",
        "/api/stats",
    }
    assert expected <= set(schema["paths"])
    for path, operations in schema["paths"].items():
        for operation in operations.values():
            assert operation.get("summary"), path
    assert not any(path.startswith("/documents") for path in schema["paths"])  # pages stay out of the API


def test_serve_read_only_server_refuses_analysis_and_hides_the_paste_page(api):
    assert_error_shape(
        api.post(
            "/api/analyze", json={"text": "A minister said so."}, headers={"Authorization": f"Bearer {TOKEN}"}
        ),
        403,
        "forbidden",
    )
    assert api.get("/analyze").status_code == 404
    assert 'href="/analyze"' not in api.get("/").text


@pytest.mark.parametrize("header", [None, "Bearer wrong-token", f"Basic {TOKEN}", "Bearer "])
def test_serve_analyze_refuses_a_missing_or_wrong_token(header):
    headers = {"Authorization": header} if header else {}
    response = client(TOKEN).post("/api/analyze", json={"text": "A minister said so."}, headers=headers)
    assert_error_shape(response, 401, "unauthorized")


def test_serve_analyze_with_the_token_returns_a_record():
    response = client(TOKEN).post(
        "/api/analyze",
        json={"text": "A minister said so.", "title": "T"},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert response.status_code == 200
    assert Record.model_validate(response.json()).document.title == "T"


def test_serve_analyze_refuses_bodies_over_the_bound_before_reading_them():
    big = {"text": "x" * 3000}
    response = client(TOKEN, max_body_bytes=1000).post(
        "/api/analyze", json=big, headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert_error_shape(response, 413, "too_large")


def test_serve_analyze_refuses_streamed_bodies_over_the_bound():
    def chunks():
        for _ in range(10):
            yield b"x" * 500

    response = client(TOKEN, max_body_bytes=1000).post(
        "/api/analyze",
        content=chunks(),
        headers={"Authorization": f"Bearer {TOKEN}", "content-type": "application/json"},
    )
    assert_error_shape(response, 413, "too_large")


def test_serve_analyze_gives_up_after_the_time_bound():
    response = client(TOKEN, analyzer=SlowAnalyzer, analyze_timeout_s=0.2).post(
        "/api/analyze", json={"text": "A minister said so."}, headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert_error_shape(response, 504, "E108")


def test_serve_paste_page_needs_the_token_and_renders_the_analysis():
    paste = client(TOKEN)
    assert paste.get("/analyze").status_code == 200
    refused = paste.post("/analyze", data={"text": "Ms Varga said so.", "token": "nope"})
    assert refused.status_code == 401 and "The token is missing or wrong." in refused.text
    assert "Ms Varga said so." in refused.text  # the pasted text is kept in the form
    shown = paste.post("/analyze", data={"text": "Ms Varga said so.", "token": TOKEN, "format": "text"})
    assert shown.status_code == 200 and "analysed now, not stored" in shown.text


@pytest.mark.model
def test_serve_analyze_runs_the_real_pipeline(analyzer):
    app = create_app(RecordCorpus([]), ServeSettings(token=TOKEN), analyzer_factory=lambda: analyzer)
    text = 'The harbour master said on Monday that "the new quay will open in May".'
    response = TestClient(app).post(
        "/api/analyze", json={"text": text}, headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert response.status_code == 200
    record = Record.model_validate(response.json())
    assert "new quay" in record.text
    for span in record.spans():
        assert record.text[span.start : span.end] == span.text


# The web tests use a schema of their own on the test server, so they never disturb the store's
# tests or data in the public schema.
SERVE_SCHEMA = "onrecord_serve_test"


def empty_postgres_store() -> Store:
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    from onrecord.store.core import create_store_engine
    from tests.store_support import POSTGRES_URL

    engine = create_store_engine(POSTGRES_URL)
    try:
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {SERVE_SCHEMA} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {SERVE_SCHEMA}"))
    except SQLAlchemyError as error:  # the message must say what to do, not skip
        pytest.fail(
            f"PostgreSQL is not reachable at {POSTGRES_URL} ({type(error).__name__}: {error}); "
            "run `bash scripts/services.sh` as root or set ONRECORD_TEST_POSTGRES"
        )
    finally:
        engine.dispose()
    joiner = "&" if "?" in POSTGRES_URL else "?"
    return Store.open(f"{POSTGRES_URL}{joiner}options=-csearch_path%3D{SERVE_SCHEMA}")


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_store(request):
    store = Store.open("sqlite://") if request.param == "sqlite" else empty_postgres_store()
    yield store
    store.close()


def test_serve_over_the_store_links_pages_to_the_stored_entities(empty_store):
    store = empty_store
    store.add_records(corpus_records())
    store.resolve_claims()
    stored = TestClient(create_app(StoreCorpus(store)))
    assert {d["id"] for d in stored.get("/api/documents").json()["items"]} == {
        "harbour-1",
        "harbour-2",
        "hostile",
    }
    audit = _PageAudit()
    audit.feed(stored.get("/documents/harbour-1").text)
    entity_links = [link for link in audit.links if link.startswith("/entities/")]
    assert entity_links and all(stored.get(link).status_code == 200 for link in entity_links)
    assert stored.get("/api/claims").json()["items"][0]["documents"] == 2
    assert stored.get("/api/search", params={"q": "ferry"}).json()["items"]
    assert_error_shape(stored.get("/api/documents/missing"), 404, "not_found")


def test_serve_pages_answer_errors_as_html_with_the_message_escaped(api):
    missing = api.get("/documents/<script>x", headers={"accept": "text/html"})
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html")
    assert "no document with this id" in missing.text and "<script>x" not in missing.text
    invalid = api.get("/promises", params={"before": "<script>"}, headers={"accept": "text/html"})
    assert invalid.status_code == 422 and "<script>" not in invalid.text


class BrokenCorpus(RecordCorpus):
    def documents(self, limit, offset):
        raise RuntimeError("secret detail of a database failure")


def test_serve_unexpected_failures_answer_500_without_internals():
    broken = TestClient(create_app(BrokenCorpus([])), raise_server_exceptions=False)
    response = broken.get("/api/documents")
    assert_error_shape(response, 500, "internal_error")
    assert "secret detail" not in response.text
    assert response.headers["x-content-type-options"] == "nosniff"


def test_serve_entity_profile_lists_are_bounded():
    from onrecord.model import DocumentInfo, Entity, Mention
    from onrecord.serve.corpus import PROFILE_ITEMS

    text = "Varga. " * (PROFILE_ITEMS + 50)
    mentions = [Mention(start=i * 7, end=i * 7 + 5, text="Varga") for i in range(PROFILE_ITEMS + 50)]
    record = Record(
        document=DocumentInfo(id="many"),
        text=text,
        entities=[Entity(id="e1", type="PERSON", name="Varga", mentions=mentions)],
    )
    profile = TestClient(create_app(RecordCorpus([record]))).get("/api/entities/person:varga").json()
    assert profile["entity"]["mentions"] == PROFILE_ITEMS + 50
    assert len(profile["mentions"]) == PROFILE_ITEMS


def test_serve_search_page_marks_the_matching_words(api):
    page = api.get("/search", params={"q": "<b>ferry"}).text
    assert "<b>ferry" not in page  # the query is escaped where it is shown
    page = api.get("/search", params={"q": "ferry might"}).text
    assert "<mark>ferry might</mark>" in page


@pytest.mark.parametrize(
    "snippet, parts",
    [
        ("a [b] c", [("a ", False), ("b", True), (" c", False)]),
        ("[x][y]", [("x", True), ("y", True)]),
        ("no match [", [("no match [", False)]),
    ],
)
def test_serve_snippet_parts_split_at_the_brackets(snippet, parts):
    from onrecord.serve.corpus import snippet_parts

    assert snippet_parts(snippet) == parts


def test_serve_store_lists_come_from_sql_and_see_new_articles_at_once():
    store = Store.open("sqlite://")
    store.add_records(corpus_records())
    corpus = StoreCorpus(store)
    reads = []
    store.iter_records = lambda **options: reads.append(options) or iter(())
    store.get_record = lambda *args, **options: reads.append(args) or None
    corpus.start_warming().join(30)
    assert [s.name for s in corpus.speakers(10, 0)][:1] == ["Ilse Varga"]
    assert corpus.entity("person:ilse-varga").said
    store.add_records([harbour_record("harbour-3", outlet="Bay Post", published="2024-04-01")])
    assert corpus.speakers(10, 0)[0].documents == 3  # no snapshot to rebuild: seen at once
    assert corpus.statements(1, 0)[0].document_id == "harbour-3"  # newest first
    assert reads == []  # no list is made from whole records


def test_serve_reference_page_lists_every_api_operation(api):
    from html import unescape

    page = unescape(api.get("/reference").text)
    for path, operations in api.get("/api/openapi.json").json()["paths"].items():
        for method, operation in operations.items():
            assert f"{method.upper()} {path}" in page
            assert operation["summary"] in page


def test_serve_openapi_schema_is_built_when_the_server_starts():
    app = create_app(RecordCorpus([]))
    assert app.openapi_schema is None
    with TestClient(app):  # runs the lifespan, as uvicorn does
        assert app.openapi_schema is not None and "/api/documents" in app.openapi_schema["paths"]
