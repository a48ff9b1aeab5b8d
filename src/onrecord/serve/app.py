"""The FastAPI application factory: `create_app(corpus)` gives the API, the pages and the static files."""

from __future__ import annotations

import time
from contextlib import asynccontextmanager
from functools import lru_cache
from pathlib import Path

import jinja2
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from onrecord import __version__
from onrecord.serve.analysis import OnDemandAnalysis, default_analyzer
from onrecord.serve.config import ServeSettings
from onrecord.serve.corpus import Corpus
from onrecord.serve.errors import install_error_handlers
from onrecord.serve.security import SecurityMiddleware

HERE = Path(__file__).parent

API_DESCRIPTION = """\
Read-only access to a corpus of analysed news articles: each document's record (who said what,
through whom, how sure, with character offsets into the clean text), the entities and speakers
across articles, events on a timeline, promises with their deadlines and claims ranked by how many
independent outlets carry them.

Lists are paginated with `limit` (1-100) and `offset`; each page gives `next_offset`, null on the
last page. Every error has one shape: `{"error": {"code", "status", "message"}}`.
`POST /api/analyze` analyses a text or HTML article on the fly; it needs the server's token
(`Authorization: Bearer TOKEN`) and stores nothing.
"""


@lru_cache(maxsize=1)
def template_environment() -> jinja2.Environment:
    """One environment per process, every template compiled up front, so that the first reader
    does not wait for the compiler (about 100 ms)."""
    # Autoescape everywhere, whatever the file name: article text is hostile.
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    for name in environment.list_templates():
        environment.get_template(name)
    return environment


class ServerTiming:
    """Adds `Server-Timing: app;dur=MS` to every response, so page time can be read in any browser."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = time.perf_counter()

        async def send_timed(message):
            if message["type"] == "http.response.start":
                duration = (time.perf_counter() - started) * 1000
                message["headers"] = [
                    *message.get("headers", []),
                    (b"server-timing", f"app;dur={duration:.1f}".encode()),
                ]
            await send(message)

        await self.app(scope, receive, send_timed)


@asynccontextmanager
async def _prepared(app: FastAPI):
    """At server start, build the OpenAPI schema once (about half a second), so that the first
    reader of /reference or /api/openapi.json does not wait for it."""
    app.openapi()
    yield


def create_app(
    corpus: Corpus, settings: ServeSettings | None = None, analyzer_factory=default_analyzer
) -> FastAPI:
    """The whole web application over `corpus`. Without `settings.token` nothing can be analysed."""
    from onrecord.serve.api import router as api_router
    from onrecord.serve.pages import router as page_router

    settings = settings or ServeSettings()
    app = FastAPI(
        title="onrecord",
        version=__version__,
        description=API_DESCRIPTION,
        # The bundled docs pages load scripts from a CDN and inline code: both break the
        # Content-Security-Policy and the no-outbound-requests rule. The schema itself is served.
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=_prepared,
    )
    app.state.corpus = corpus
    app.state.settings = settings
    app.state.analysis = OnDemandAnalysis(settings.analyze_timeout_s, analyzer_factory)
    app.state.templates = Jinja2Templates(env=template_environment())
    install_error_handlers(app)
    app.include_router(api_router)
    app.include_router(page_router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.add_middleware(SecurityMiddleware, max_body_bytes=settings.max_body_bytes)
    app.add_middleware(ServerTiming)
    return app
