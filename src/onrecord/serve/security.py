"""Security of the web layer: response headers, a bound on request bodies, and the token check.

Article text is hostile. Templates escape it (Jinja2 autoescape); these headers make sure that even
an escaping mistake cannot run a script or reach another site: no inline script, no outside
resources, no framing.
"""

from __future__ import annotations

import hmac
import json

from fastapi import Request

# Only the server's own static files may be loaded; inline SVG is markup, not a resource, so the
# timeline needs no exception. connect-src 'self' keeps any script from talking to another host.
_POLICY_DIRECTIVES = (
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
)
CONTENT_SECURITY_POLICY = "; ".join(_POLICY_DIRECTIVES)
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
]


class SecurityMiddleware:
    """ASGI middleware: adds the headers to every response and refuses bodies above a bound
    (declared or streamed) with the API's error shape, before any route reads them."""

    def __init__(self, app, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                names = {name for name, _ in message.get("headers", [])}
                message["headers"] = [
                    *message.get("headers", []),
                    *((n, v) for n, v in SECURITY_HEADERS if n not in names),
                ]
            await send(message)

        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None:
            if not declared.isdigit() or int(declared) > self.max_body_bytes:
                return await self._too_large(send_with_headers)
            return await self.app(scope, receive, send_with_headers)
        # A streamed body of unknown length is read here, up to the bound, then handed on whole:
        # the framework would turn an error raised while it reads into a vague 400.
        body, more = b"", True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return await self.app(scope, _replay(message), send_with_headers)
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.max_body_bytes:
                return await self._too_large(send_with_headers)
        return await self.app(
            scope,
            _replay({"type": "http.request", "body": body, "more_body": False}, receive),
            send_with_headers,
        )

    async def _too_large(self, send):
        body = json.dumps(
            {
                "error": {
                    "code": "too_large",
                    "status": 413,
                    "message": f"the request body is over {self.max_body_bytes:,} bytes",
                }
            }
        )
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body.encode()})


def _replay(first: dict, then=None):
    """A `receive` that gives `first` once, then defers to the real one (for disconnects)."""
    sent = False

    async def receive():
        nonlocal sent
        if not sent:
            sent = True
            return first
        if then is None:
            return {"type": "http.disconnect"}
        return await then()

    return receive


def token_matches(configured: str | None, offered: str | None) -> bool:
    """Constant-time comparison; with no token configured nothing matches (read-only server)."""
    if not configured or not offered:
        return False
    return hmac.compare_digest(configured.encode(), offered.encode())


def bearer_token(request: Request) -> str | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None
