"""One error shape for the whole API, one handler per kind of failure (as datasette does).

API paths answer `{"error": {"code", "status", "message"}}`; pages answer the same facts as HTML.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from onrecord.errors import AnalysisTimeout, InputError, OnrecordError
from onrecord.serve.security import SECURITY_HEADERS

log = logging.getLogger("onrecord.serve")

_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    429: "busy",
    500: "internal_error",
    503: "unavailable",
    504: "timeout",
}


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def error_body(status: int, code: str, message: str) -> dict:
    return {"error": {"code": code, "status": status, "message": message}}


def _respond(request: Request, status: int, code: str, message: str, headers=None):
    if request.url.path.startswith("/api") or "text/html" not in request.headers.get("accept", ""):
        return JSONResponse(error_body(status, code, message), status_code=status, headers=headers)
    templates = request.app.state.templates
    return templates.TemplateResponse(
        request,
        "error.html",
        {"status": status, "code": code, "message": message},
        status_code=status,
        headers=headers,
    )


def _validation_message(error: RequestValidationError) -> str:
    problems = []
    for problem in error.errors()[:5]:
        where = ".".join(
            str(part) for part in problem.get("loc", ()) if part not in ("body", "query", "path")
        )
        problems.append(
            f"{where}: {problem.get('msg', 'invalid')}" if where else problem.get("msg", "invalid")
        )
    return "; ".join(problems) or "invalid request"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(request: Request, error: ApiError):
        return _respond(request, error.status, error.code, error.message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException):
        code = _CODES.get(error.status_code, "http_error")
        message = error.detail if isinstance(error.detail, str) else code.replace("_", " ")
        return _respond(request, error.status_code, code, message, getattr(error, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError):
        return _respond(request, 422, "invalid_request", _validation_message(error))

    @app.exception_handler(OnrecordError)
    async def domain_error(request: Request, error: OnrecordError):
        status = 504 if isinstance(error, AnalysisTimeout) else 422 if isinstance(error, InputError) else 500
        return _respond(request, status, error.code, error.message)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception):
        log.exception("unexpected error on %s", request.url.path)
        # This answer is sent from outside the middleware stack: it carries the headers itself.
        return _respond(
            request,
            500,
            "internal_error",
            "the server failed; the error is in its log",
            {name.decode(): value.decode() for name, value in SECURITY_HEADERS},
        )
