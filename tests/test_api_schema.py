"""schemathesis against the published OpenAPI schema: generated requests (valid and invalid) must
never crash the server, and every answer must match the documented status, type and schema."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings

from onrecord.serve import create_app
from onrecord.serve.config import ServeSettings
from onrecord.serve.corpus import RecordCorpus
from onrecord.serve.store_corpus import StoreCorpus
from onrecord.store import Store
from tests.serve_fixtures import harbour_record, hostile_record

TOKEN = "schema-test-token"


class EchoAnalyzer:
    """Stands in for the spaCy pipeline: schemathesis checks the HTTP contract, not the analysis."""

    def analyze_text(self, text: str, html: bool = False, **metadata):
        return harbour_record(doc_id="analysed", title=metadata.get("title") or "Port deal signed in Valmora")


def records():
    return [
        harbour_record(),
        hostile_record(),
        harbour_record("harbour-2", outlet="Coast Daily", published="2024-03-15"),
    ]


def stored_corpus() -> StoreCorpus:
    store = Store.open("sqlite://")
    store.add_records(records())
    store.resolve_claims()
    return StoreCorpus(store)


in_memory = schemathesis.openapi.from_asgi(
    "/api/openapi.json",
    create_app(RecordCorpus(records()), ServeSettings(token=TOKEN), analyzer_factory=EchoAnalyzer),
)
over_the_store = schemathesis.openapi.from_asgi(
    "/api/openapi.json",
    create_app(stored_corpus(), ServeSettings(token=TOKEN), analyzer_factory=EchoAnalyzer),
)
BOUNDED = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))


@in_memory.parametrize()
@BOUNDED
def test_api_schema_every_operation_honours_its_contract(case):
    case.call_and_validate(headers={"Authorization": f"Bearer {TOKEN}"})


@over_the_store.parametrize()
@BOUNDED
def test_api_schema_holds_over_the_database_store(case):
    case.call_and_validate(headers={"Authorization": f"Bearer {TOKEN}"})
