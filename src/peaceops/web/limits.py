"""The explorer's outer guard: request size limits, security headers and ``HEAD``.

:class:`Limits` is the outermost of the app's own middlewares. Before any routing it refuses
an overlong query string or path (414) and a declared body over the limit (413); it answers
``HEAD`` as the ``GET`` it stands for (the server sends the headers, not the body); and it adds
the security headers (:data:`SECURITY_HEADERS`) to every answer that passes it. Error answers
made outside it (the 500 of Starlette's outermost error middleware, through
:func:`error_response`, and uvicorn's own 400, :mod:`peaceops.web.server`) carry the same
headers, so no answer goes out without them (#27).

A chunked body declares no length: :class:`Limits` counts a body's bytes as the app reads
them, whatever the transfer encoding, and answers 413 the moment the limit is passed (#27: a
chunked 300 MB body used to be read whole). FastAPI's own ``max_body_size`` does the same,
but answers outside this middleware, with a bare message and without the security headers.
"""

from __future__ import annotations

from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException

from peaceops.web.render import render

#: Longest query string taken (a 100 kB one is an attack or a mistake, not a question).
MAX_QUERY_BYTES = 4096
#: Longest path taken.
MAX_PATH_BYTES = 1024
#: Largest request body taken (the only body is a simulation request of a few fields).
MAX_BODY_BYTES = 16_384
_TOO_LARGE = f"request body over {MAX_BODY_BYTES} bytes"

SECURITY_HEADERS: list[tuple[bytes, bytes]] = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    # Scripts and styles come from the app itself; matplotlib's SVGs carry inline styles.
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        b"script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'",
    ),
]

# The OpenAPI page (Swagger UI, served from the swagger-ui-bundle package) starts with an
# inline script; it alone may run one.
_DOCS_HEADERS = [
    *SECURITY_HEADERS[:3],
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        b"script-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'",
    ),
]


class BodyTooLarge(HTTPException):
    """A request body passed :data:`MAX_BODY_BYTES` while it was read (raised to the app)."""

    def __init__(self) -> None:
        super().__init__(413, f"{_TOO_LARGE}; send less")


def secure(headers: list[tuple[bytes, bytes]], path: str = "") -> list[tuple[bytes, bytes]]:
    """``headers`` with every security header it lacks added (those it has are kept)."""
    present = {name.lower() for name, _ in headers}
    extra = _DOCS_HEADERS if path == "/api/docs" else SECURITY_HEADERS
    return list(headers) + [(name, value) for name, value in extra if name not in present]


def error_response(
    path: str,
    status: int,
    message: str,
    headers: dict[str, str] | None = None,
    *,
    secured: bool = False,
) -> Response:
    """The answer to a bad request: JSON under ``/api``, an HTML page elsewhere.

    A 413 closes the connection, so that the rest of an oversized body is never read (#27).

    Args:
        path: the request's path (``/api/...`` gets JSON).
        status: the HTTP status.
        message: what went wrong, for the user.
        headers: more headers (a 405's ``Allow``).
        secured: add the security headers here, for an answer sent from outside
            :class:`Limits` (Starlette's 500); Limits adds them to every other answer.
    """
    extra = dict(headers or {})
    if status == 413:
        extra["connection"] = "close"
    if path.startswith("/api"):
        response: Response = JSONResponse(
            {"error": message, "status": status}, status_code=status, headers=extra
        )
    else:
        response = HTMLResponse(
            render("error.html", status=status, message=message), status_code=status, headers=extra
        )
    if secured:
        response.raw_headers = secure(response.raw_headers, path)
    return response


def _check(scope) -> tuple[tuple[int, str] | None, bool]:
    """Why the request is refused before routing (status, message) or None; has it a body?"""
    if len(scope.get("query_string", b"")) > MAX_QUERY_BYTES:
        return (414, f"query string longer than {MAX_QUERY_BYTES} bytes; ask for less"), False
    if len(scope.get("raw_path", b"") or scope["path"].encode()) > MAX_PATH_BYTES:
        return (414, f"path longer than {MAX_PATH_BYTES} bytes"), False
    body = False
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            if not value.isdigit() or int(value) > MAX_BODY_BYTES:
                return (413, _TOO_LARGE + " (or unreadable length)"), True
            body = body or int(value) > 0
        elif name == b"transfer-encoding":  # chunked: no length declared, counted as read
            body = True
    return None, body


class Limits:
    """ASGI middleware: refuse overlong URLs and bodies, answer ``HEAD``, add security headers."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        """Check the request's size, then pass it on with the security headers added."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        head = scope["method"] == "HEAD"
        extra = _DOCS_HEADERS if path == "/api/docs" else SECURITY_HEADERS
        started = False

        async def send_secured(message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = [*message.get("headers", ()), *extra]
            elif head and message["type"] == "http.response.body":
                # HEAD answers like GET without the body; uvicorn drops it too, but an answer
                # must not depend on the server for that (#27: HEAD got 405 without Allow).
                message = {**message, "body": b""}
            await send(message)

        problem, body = _check(scope)
        if problem is not None:
            await error_response(path, *problem)(scope, receive, send_secured)
            return
        if head:
            scope = {**scope, "method": "GET"}
        if not body:
            await self.app(scope, receive, send_secured)
            return
        received = 0

        async def receive_counted():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > MAX_BODY_BYTES:
                    # raised into the app, whose handler answers it like any 4xx (#27)
                    raise BodyTooLarge
            return message

        try:
            await self.app(scope, receive_counted, send_secured)
        except BodyTooLarge as exc:  # read outside the app's handlers: answered here
            if started:
                raise
            await error_response(path, exc.status_code, exc.detail)(scope, receive, send_secured)
