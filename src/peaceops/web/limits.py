"""The explorer's outer guard: request size limits, security headers and ``HEAD``.

:class:`Limits` is the outermost of the app's own middlewares. Before any routing it refuses
an overlong query string or path (414) and a declared body over the limit (413); it answers
``HEAD`` as the ``GET`` it stands for (the server sends the headers, not the body); and it adds
the security headers (:data:`SECURITY_HEADERS`) to every answer that passes it. Error answers
made elsewhere (the app's exception handlers, including the 500 of Starlette's outermost
error middleware, and uvicorn's own 400, :mod:`peaceops.web.server`) carry the same headers
through :func:`secure`, so no answer goes out without them (#27).

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
        super().__init__(413, f"request body over {MAX_BODY_BYTES} bytes; send less")


def secure(headers: list[tuple[bytes, bytes]], path: str = "") -> list[tuple[bytes, bytes]]:
    """``headers`` with every security header it lacks added (those it has are kept)."""
    present = {name.lower() for name, _ in headers}
    extra = _DOCS_HEADERS if path == "/api/docs" else SECURITY_HEADERS
    return list(headers) + [(name, value) for name, value in extra if name not in present]


def error_response(
    path: str, status: int, message: str, headers: dict[str, str] | None = None
) -> Response:
    """The answer to a bad request: JSON under ``/api``, an HTML page elsewhere.

    It carries the security headers itself, since some error answers are sent from outside
    :class:`Limits` (Starlette's 500). A 413 closes the connection, so that the rest of an
    oversized body is never read (#27).
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
    response.raw_headers = secure(response.raw_headers, path)
    return response


def _problem(scope) -> tuple[int, str] | None:
    """Why the request is refused before routing (status, message), or None."""
    if len(scope.get("query_string", b"")) > MAX_QUERY_BYTES:
        return 414, f"query string longer than {MAX_QUERY_BYTES} bytes; ask for less"
    if len(scope.get("raw_path", b"") or scope["path"].encode()) > MAX_PATH_BYTES:
        return 414, f"path longer than {MAX_PATH_BYTES} bytes"
    length = dict(scope.get("headers", [])).get(b"content-length", b"0")
    if not length.isdigit() or int(length) > MAX_BODY_BYTES:
        return 413, f"request body over {MAX_BODY_BYTES} bytes (or unreadable length)"
    return None


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

        async def send_secured(message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": secure(list(message.get("headers", [])), path)}
            elif head and message["type"] == "http.response.body":
                # HEAD answers like GET without the body; uvicorn drops it too, but an answer
                # must not depend on the server for that (#27: HEAD got 405 without Allow).
                message = {**message, "body": b""}
            await send(message)

        problem = _problem(scope)
        if problem is not None:
            response = error_response(path, *problem)
            await response(scope, receive, send_secured)
            return
        if head:
            scope = {**scope, "method": "GET"}
        received = 0
        started = False

        async def receive_counted():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > MAX_BODY_BYTES:
                    # raised into the app, whose handler answers it like any 4xx (#27)
                    raise BodyTooLarge
            return message

        async def send_started(message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send_secured(message)

        try:
            await self.app(scope, receive_counted, send_started)
        except BodyTooLarge as exc:  # read outside the app's handlers: answered here
            if started:
                raise
            response = error_response(path, exc.status_code, exc.detail)
            await response(scope, receive, send_secured)
