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
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from peaceops import __version__
from peaceops.errors import NotFound, PeaceopsError
from peaceops.web.cache import ResponseCache
from peaceops.web.http import HttpBasics, store_tag
from peaceops.web.jobs import JobLimitError, JobLimits, Jobs
from peaceops.web.knowledge import Knowledge
from peaceops.web.limits import Limits, error_response
from peaceops.web.render import render

logger = logging.getLogger(__name__)


def _status_of(exc: PeaceopsError) -> int:
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, JobLimitError):
        return 429
    return 400


def _allow(headers: dict[str, str] | None) -> dict[str, str] | None:
    """A 405's headers: ``Allow`` names ``HEAD`` wherever ``GET`` is allowed (Limits answers it)."""
    if not headers or "Allow" not in headers:
        return headers
    methods = [m.strip() for m in headers["Allow"].split(",")]
    if "GET" in methods and "HEAD" not in methods:
        methods.append("HEAD")
    return {**headers, "Allow": ", ".join(sorted(methods))}


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
        return error_response(request.url.path, _status_of(exc), str(exc))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        return error_response(request.url.path, 422, _validation_message(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "request refused"
        if exc.status_code == 404 and message == "Not Found":
            message = f"no page at {request.url.path[:100]}; start from the mission list at /"
        elif exc.status_code == 405:
            message = f"{request.method} is not answered at {request.url.path[:100]}"
        return error_response(request.url.path, exc.status_code, message, _allow(exc.headers))

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        # Starlette's outermost middleware sends this 500 (and logs the bug) outside Limits:
        # the answer carries the security headers itself (#27)
        return error_response(
            request.url.path,
            500,
            "the explorer failed on this request (a bug); please report it",
            secured=True,
        )

    from peaceops.web import api, cite, indexes, pages, search

    app.include_router(cite.router)  # before api: /api/resolutions/{ref:path} would take it
    app.include_router(api.router)
    app.include_router(indexes.router)  # before pages: /resolutions is the index (#30)
    app.include_router(pages.router)
    app.include_router(search.router)  # /search and /api/search (#30)
    static = resources.files("peaceops.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    app.mount(
        "/api/docs/assets", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path), name="docs"
    )

    @app.get("/api/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        # Swagger UI 5 (swagger-ui-bundle-v2) reads OpenAPI 3.1; 4.x showed "Unable to render
        # this definition" (#30). Started by a script of the app's own, not an inline one.
        return HTMLResponse(render("api-docs.html", title="API"))

    @app.get("/docs", include_in_schema=False)
    def docs_elsewhere() -> RedirectResponse:
        return RedirectResponse("/api/docs", status_code=308)

    app.add_middleware(ResponseCache)
    # between Limits and the cache: tags and gzip of cached answers too (web/http.py)
    app.add_middleware(HttpBasics, tag=store_tag(db_path))
    app.add_middleware(Limits)  # added last: runs first, before the cache
    return app
