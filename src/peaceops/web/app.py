"""The explorer's application: FastAPI, a read-only knowledge base, its errors and its limits.

``create_app(db_path)`` builds the app that ``peaceops serve`` runs on uvicorn. Pages
(:mod:`peaceops.web.pages`) and the JSON API under ``/api`` (:mod:`peaceops.web.api`) are thin:
each calls one function of a lower layer and renders its document. Every error a user can
cause is a 4xx answer with a plain message (HTML for pages, ``{"error": ...}`` for the API);
a 500 means a bug. Limits (a request's query string and body size, the simulation jobs) are
checked before any work; the knowledge base is opened read-only, so no request can change it.
"""

from __future__ import annotations

import logging
import threading
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

import swagger_ui_bundle
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from peaceops import __version__
from peaceops.errors import NotFound, PeaceopsError
from peaceops.web.cache import ResponseCache
from peaceops.web.jobs import JobLimitError, JobLimits, Jobs
from peaceops.web.knowledge import Knowledge
from peaceops.web.render import render

logger = logging.getLogger(__name__)

#: Longest query string taken (a 100 kB one is an attack or a mistake, not a question).
MAX_QUERY_BYTES = 4096
#: Longest path taken.
MAX_PATH_BYTES = 1024
#: Largest request body taken (the only body is a simulation request of a few fields).
MAX_BODY_BYTES = 16_384

_HEADERS = [
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
    *_HEADERS[:3],
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        b"script-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'",
    ),
]


class Limits:
    """ASGI middleware: refuse overlong URLs and bodies before routing; add security headers."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        """Check the request's size, then pass it on with the security headers added."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        problem = None
        if len(scope.get("query_string", b"")) > MAX_QUERY_BYTES:
            problem = (414, f"query string longer than {MAX_QUERY_BYTES} bytes; ask for less")
        elif len(scope.get("raw_path", b"") or scope["path"].encode()) > MAX_PATH_BYTES:
            problem = (414, f"path longer than {MAX_PATH_BYTES} bytes")
        else:
            length = dict(scope.get("headers", [])).get(b"content-length", b"0")
            if not length.isdigit() or int(length) > MAX_BODY_BYTES:
                problem = (413, f"request body over {MAX_BODY_BYTES} bytes (or unreadable length)")
        if problem is not None:
            response = _error(scope["path"], problem[0], problem[1])
            await response(scope, receive, send)
            return

        headers = _DOCS_HEADERS if scope["path"] == "/api/docs" else _HEADERS

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _error(path: str, status: int, message: str) -> Response:
    """The answer to a bad request: JSON under ``/api``, an HTML page elsewhere."""
    if path.startswith("/api"):
        return JSONResponse({"error": message, "status": status}, status_code=status)
    html = render("error.html", status=status, message=message)
    return HTMLResponse(html, status_code=status)


def _status_of(exc: PeaceopsError) -> int:
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, JobLimitError):
        return 429
    return 400


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("query", "path", "body"))
        parts.append(f"{where or 'request'}: {error.get('msg', 'invalid')}")
    return "; ".join(parts)[:500] or "invalid request"


def _warm_forecast(knowledge: Knowledge) -> None:
    """Compute the forecast in the background; a failure surfaces on the pages that need it.

    The server may stop (and close the knowledge base) while this runs: that is logged, not
    raised, because no request is waiting for it.
    """
    from peaceops.web.api import forecast_document

    try:
        knowledge.cached(("forecast",), forecast_document)
    except Exception as exc:  # a background warm-up must not kill the server
        logging.getLogger(__name__).info("forecast warm-up stopped: %s", exc)


def create_app(db_path: Path | str, *, job_limits: JobLimits | None = None) -> FastAPI:
    """The explorer for the knowledge base at ``db_path`` (opened read-only).

    Raises:
        DatabaseError: no database at ``db_path`` (the message says how to build one).
    """
    knowledge = Knowledge(db_path)
    jobs = Jobs(db_path, job_limits)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        # the forecast takes seconds and every mission page shows it: compute it once, now
        threading.Thread(target=_warm_forecast, args=(knowledge,), daemon=True).start()
        yield
        jobs.shutdown()
        knowledge.close()

    app = FastAPI(
        title="peaceops explorer",
        version=__version__,
        description=(
            "The UN collective-security system, computable: missions, resolutions with their "
            "coded evidence, votes, comparisons and simulations. The JSON documents are those "
            "of the command line's `--json`. Figures marked `basis: carried_forward` are carried "
            "forward from an earlier text; documents marked `simulated: true` are simulated."
        ),
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.knowledge = knowledge
    app.state.jobs = jobs

    @app.exception_handler(PeaceopsError)
    async def peaceops_error(request: Request, exc: PeaceopsError) -> Response:
        return _error(request.url.path, _status_of(exc), str(exc))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        return _error(request.url.path, 422, _validation_message(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "request refused"
        if exc.status_code == 404 and message == "Not Found":
            message = f"no page at {request.url.path[:100]}; start from the mission list at /"
        return _error(request.url.path, exc.status_code, message)

    from peaceops.web import api, pages

    app.include_router(api.router)
    app.include_router(pages.router)
    static = resources.files("peaceops.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    app.mount(
        "/api/docs/assets", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path), name="docs"
    )

    @app.get("/api/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/api/openapi.json",
            title="peaceops API",
            swagger_js_url="/api/docs/assets/swagger-ui-bundle.js",
            swagger_css_url="/api/docs/assets/swagger-ui.css",
            swagger_favicon_url="/api/docs/assets/favicon-32x32.png",
            swagger_ui_parameters={"syntaxHighlight": False},
        )

    app.add_middleware(ResponseCache)
    app.add_middleware(Limits)  # added last: runs first, before the cache
    return app
