"""Full-text search in the explorer: ``GET /api/search`` (JSON) and ``GET /search`` (a page).

Both call :func:`peaceops.store.search.search` on the knowledge base's search index (built by
``peaceops build``; docs/adr/006-search-index.md) and show the same document: the total, the
counts per kind, one page of results with their matches marked, and the page count (never a
silent cap). A bad query, kind, year, mission or page is a 400 (422 for a wrong type) whose
message says what to ask instead. Answers are not kept in the documents' cache (a search is
tens of milliseconds; the response cache in front of the app keeps repeated ones).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from peaceops.errors import UsageError
from peaceops.store.search import MAX_PER_PAGE, MAX_QUERY_CHARS, PER_PAGE, search
from peaceops.store.search_index import KINDS
from peaceops.web.api import Document, knowledge
from peaceops.web.render import environment, render

router = APIRouter()

#: What each kind is called on the page (plural, for the facets).
KIND_LABELS = {"group": "Groups and actors", "mission": "Missions", "resolution": "Resolutions",
               "event": "Events", "paragraph": "Paragraphs"}  # fmt: skip
#: ... and each result's tag.
KIND_TAGS = {"group": "group", "mission": "mission", "resolution": "resolution",
             "event": "event", "paragraph": "paragraph"}  # fmt: skip
EXAMPLES = ("Wagner", '"Intervention Brigade"', "Kidal", "M23", '"protection of civilians"')

Q = Annotated[
    str,
    Query(max_length=MAX_QUERY_CHARS, description='Words (all must match) and "quoted phrases"'),
]
Kinds = Annotated[
    list[str] | None,
    Query(description=f"Kinds to list ({', '.join(KINDS)}): repeat or separate with commas"),
]
Year = Annotated[int | None, Query(description="Keep documents of this year or later / earlier")]
Mission = Annotated[str | None, Query(max_length=40, description="A mission's acronym")]
Page = Annotated[int, Query(ge=1, le=100_000, description="The page, from 1")]
PerPage = Annotated[int, Query(ge=1, le=MAX_PER_PAGE, description="Results a page (at most 100)")]


@router.get("/api/search", response_class=Document, tags=["search"])
def api_search(
    request: Request,
    q: Q,
    kind: Kinds = None,
    year_from: Year = None,
    year_to: Year = None,
    mission: Mission = None,
    page: Page = 1,
    per_page: PerPage = PER_PAGE,
) -> Document:
    """Full-text search over paragraphs, resolutions, missions, groups (with aliases), events.

    Words are matched whole, without case or accents ("Mali" is not in "Somalia"; "M23" finds
    "M-23"); every word and "quoted phrase" must match. Returns ``total``, ``counts`` per kind
    (before the kind filter), ``page``, ``pages`` and ``results``, each with ``kind``, ``url``,
    ``title``, ``snippet`` with ``marks`` (offsets of the matches in it) and ``snippet_html``
    (escaped, matches in ``<mark>``).
    """
    return Document(
        search(
            knowledge(request).db(),
            q,
            kinds=kind,
            year_from=year_from,
            year_to=year_to,
            mission=mission,
            page=page,
            per_page=per_page,
        )
    )


def _link(params: dict, **changes) -> str:
    """``/search`` with ``params`` changed (None drops a parameter)."""
    merged = {**params, **changes}
    return "/search" + environment().globals["query"](merged)


@router.get("/search", response_class=HTMLResponse, include_in_schema=False)
def search_page(
    request: Request,
    q: Annotated[str | None, Query(max_length=MAX_QUERY_CHARS)] = None,
    kind: Kinds = None,
    year_from: Year = None,
    year_to: Year = None,
    mission: Mission = None,
    page: Page = 1,
    per_page: PerPage = PER_PAGE,
) -> HTMLResponse:
    """The search page: a form, counts per kind as links, results, "page 2 of 7" links."""
    db = knowledge(request).db()
    params = {"q": q, "kind": kind, "year_from": year_from, "year_to": year_to,
              "mission": mission,
              "per_page": per_page if per_page != PER_PAGE else None}  # fmt: skip
    context = {
        "title": f"Search: {q}" if q else "Search",
        "q": q or "",
        "year_from": year_from,
        "year_to": year_to,
        "mission": (mission or "").upper(),
        "missions": [r[0] for r in db.tuples("SELECT acronym FROM missions ORDER BY acronym")],
        "examples": [(e, _link({}, q=e)) for e in EXAMPLES],
        "found": None,
        "error": None,
    }
    status = 200
    if q is not None:
        try:
            found = search(db, q, kinds=kind, year_from=year_from, year_to=year_to,
                           mission=mission, page=page, per_page=per_page)  # fmt: skip
        except UsageError as exc:
            context["error"] = str(exc)
            status = 400
        else:
            narrowed = found["kinds"] != list(KINDS)
            for result in found["results"]:
                result["snippet_html"] = Markup(result["snippet_html"])  # noqa: S704 (escaped)
            context.update(
                found=found,
                kinds=found["kinds"] if narrowed else [],
                facets=[{"kind": None, "label": "All kinds", "count": sum(found["counts"].values()),
                         "href": _link(params, kind=None, page=None), "current": not narrowed}]
                + [{"kind": k, "label": KIND_LABELS[k], "count": found["counts"][k],
                    "href": _link(params, kind=k, page=None),
                    "current": narrowed and found["kinds"] == [k]} for k in KINDS],
                tags=KIND_TAGS,
                previous=_link(params, page=page - 1) if page > 1 else None,
                next=_link(params, page=page + 1) if page < found["pages"] else None,
                first=(page - 1) * found["per_page"] + 1,
            )  # fmt: skip
    return HTMLResponse(render("search.html", **context), status_code=status)
