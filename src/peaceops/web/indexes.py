"""The explorer's indexes: resolutions, armed groups and the forecast overview (#30).

* ``/resolutions``: every resolution of the knowledge base, a page at a time, filtered by a
  range of years and a mission, sorted by number or date (either way);
* ``/groups``: the actors of the registry (armed groups by default) with how often resolutions
  name them, each linked to its page (``/groups/{id}``, :func:`namings` lists its namings);
* ``/forecast``: the document of ``GET /api/forecast`` as a table, every probability marked as
  a model output, with the backtest's skill beside it (``forecast.summary``: the summary
  packaged with the model, also at ``GET /api/forecast/skill``).

The listings are read-only ``SELECT`` s over the store's tables with bound parameters; every
parameter is bounded (years, page numbers, names), and a value outside its bounds is a 400
that says what is allowed.
"""

from __future__ import annotations

import math
import re
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from peaceops.errors import NotFound, UsageError
from peaceops.forecast.summary import backtest_summary, skill_line
from peaceops.report.render import paragraph_anchor
from peaceops.store import Database, queries
from peaceops.web.api import forecast_document, knowledge
from peaceops.web.render import render

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 100
#: Highest page number taken (the index has about 30 pages).
MAX_PAGE = 10_000
SORTS = {
    "number": "r.number ASC",
    "-number": "r.number DESC",
    "date": "r.date ASC NULLS LAST, r.number ASC",
    "-date": "r.date DESC NULLS LAST, r.number DESC",
}
FIRST_YEAR, LAST_YEAR = 1946, 2100
#: Characters of text shown on either side of a naming's words.
CONTEXT_CHARS = 70
#: The backtest's models shown beside the forecast, in order, with their names in words.
SKILL_MODELS = {
    "hazard": "hazard model (the forecast's)",
    "competing_risks": "competing risks",
    "mandate_blind": "mandate-blind",
    "base_rate": "base rate",
}


def resolution_index(
    db: Database,
    *,
    year_from: int | None = None,
    year_to: int | None = None,
    mission: str | None = None,
    sort: str = "number",
    page: int = 1,
) -> dict:
    """One page of the resolutions that pass the filters.

    Raises:
        UsageError: a year outside 1946-2100, a range backwards, an unknown sort.
        NotFound: an unknown mission, or a page past the last one.
    """
    if sort not in SORTS:
        raise UsageError(f"unknown sort {sort[:20]!r}: use one of {', '.join(SORTS)}")
    for name, year in (("from", year_from), ("to", year_to)):
        if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
            raise UsageError(f"{name} must be a year from {FIRST_YEAR} to {LAST_YEAR}")
    if year_from is not None and year_to is not None and year_from > year_to:
        raise UsageError(f"from ({year_from}) is after to ({year_to}); swap them")
    acronym = queries.mission(db, mission)["acronym"] if mission and mission.strip() else None
    where = (
        "(CAST(? AS INTEGER) IS NULL OR r.year >= ?) "
        "AND (CAST(? AS INTEGER) IS NULL OR r.year <= ?)"
    )
    params: list = [year_from, year_from, year_to, year_to]
    if acronym:
        where += " AND r.number IN (SELECT number FROM mandate_history WHERE acronym = ?)"
        params.append(acronym)
    total = int(db.scalar(f"SELECT count(*) FROM resolutions r WHERE {where}", params))
    pages = max(1, math.ceil(total / PAGE_SIZE))
    if page > pages:
        raise NotFound(f"no page {page} of this list: it has {pages} page(s) of {PAGE_SIZE}")
    rows = db.rows(
        "SELECT r.number, r.year, r.symbol, r.date, r.title, r.has_text, "
        "(SELECT list(DISTINCT m.acronym ORDER BY m.acronym) FROM mandate_history m "
        f"WHERE m.number = r.number) AS missions FROM resolutions r WHERE {where} "
        f"ORDER BY {SORTS[sort]} LIMIT ? OFFSET ?",
        [*params, PAGE_SIZE, (page - 1) * PAGE_SIZE],
    )
    for row in rows:
        row["date"] = row["date"].isoformat() if row["date"] is not None else None
        row["missions"] = list(row["missions"] or [])
    return {"count": total, "page": page, "pages": pages, "rows": rows, "mission": acronym}


def group_index(db: Database, *, kind: str = "armed_group") -> dict:
    """The registry's actors of one kind (``all``: every kind) and how often they are named.

    Raises:
        UsageError: an unknown kind (the message lists the kinds).
    """
    kinds = [r["kind"] for r in db.rows("SELECT DISTINCT kind FROM actors ORDER BY kind")]
    if kind != "all" and kind not in kinds:
        raise UsageError(f"unknown kind {kind[:30]!r}: use one of {', '.join([*kinds, 'all'])}")
    rows = db.rows(
        "SELECT a.actor_id, a.name, a.kind, a.iso3, a.active_from, a.active_to, "
        "count(DISTINCT t.resolution) AS resolutions, count(t.resolution) AS namings, "
        "min(t.resolution) AS first, max(t.resolution) AS last "
        "FROM actors a LEFT JOIN targets t ON t.actor_id = a.actor_id "
        "WHERE ? = 'all' OR a.kind = ? "
        "GROUP BY ALL ORDER BY resolutions DESC, a.name",
        [kind, kind],
    )
    for row in rows:
        row["iso3"] = list(row["iso3"] or [])
    return {"kind": kind, "kinds": kinds, "count": len(rows), "rows": rows}


def _context(text: str, start: int, end: int) -> dict:
    """The words of a naming with some of the text around them, cut at spaces."""
    before = text[max(0, start - CONTEXT_CHARS) : start]
    after = text[end : end + CONTEXT_CHARS]
    if start > CONTEXT_CHARS and " " in before:
        before = "…" + before[before.index(" ") + 1 :]
    if end + CONTEXT_CHARS < len(text) and " " in after:
        after = after[: after.rindex(" ")] + "…"
    squash = lambda s: re.sub(r"\s+", " ", s)  # noqa: E731
    return {"before": squash(before), "words": squash(text[start:end]), "after": squash(after)}


def namings(db: Database, actor_id: str) -> list[dict]:
    """Each naming of an actor once: resolution, paragraph (and its anchor), relation, words.

    The targets table keeps one row per occurrence of a name, so a paragraph that names M23
    twice gave two identical rows on the group page (#30). Here the occurrences of a
    (resolution, paragraph, relation) are one naming, with the words of each occurrence.
    """
    rows = db.rows(
        'SELECT resolution, paragraph, relation, inferred, start, "end", quote FROM targets '
        "WHERE actor_id = ? ORDER BY resolution, start",
        [actor_id],
    )
    texts = {
        r["number"]: r["text"] or ""
        for r in db.rows(
            "SELECT number, text FROM resolutions WHERE number IN "
            "(SELECT DISTINCT resolution FROM targets WHERE actor_id = ?)",
            [actor_id],
        )
    }
    found: dict[tuple, dict] = {}
    for row in rows:
        key = (row["resolution"], row["paragraph"], row["relation"], row["inferred"])
        naming = found.setdefault(
            key,
            {
                "resolution": row["resolution"],
                "paragraph": row["paragraph"],
                "anchor": paragraph_anchor(row["paragraph"]) if row["paragraph"] else None,
                "relation": row["relation"],
                "inferred": row["inferred"],
                "words": [],
            },
        )
        text = texts.get(row["resolution"], "")
        if text[row["start"] : row["end"]] == row["quote"]:
            naming["words"].append(_context(text, row["start"], row["end"]))
        else:  # no text (or a span that does not fit it): the quote alone
            naming["words"].append({"before": "", "words": row["quote"], "after": ""})
    return list(found.values())


@router.get("/resolutions", response_class=HTMLResponse)
def resolutions_page(
    request: Request,
    year_from: Annotated[int | None, Query(alias="from", ge=FIRST_YEAR, le=LAST_YEAR)] = None,
    year_to: Annotated[int | None, Query(alias="to", ge=FIRST_YEAR, le=LAST_YEAR)] = None,
    mission: Annotated[str | None, Query(max_length=40)] = None,
    sort: Annotated[str, Query(max_length=10)] = "number",
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
) -> HTMLResponse:
    """Every resolution, a page at a time: years, mission, sort (``-`` for descending)."""
    chosen = (mission or "").strip().upper() or None
    key = ("resolution_index", year_from, year_to, chosen, sort, page)
    listed = knowledge(request).cached(
        key,
        lambda db: resolution_index(
            db, year_from=year_from, year_to=year_to, mission=chosen, sort=sort, page=page
        ),
    )
    missions = knowledge(request).cached(
        ("mission_acronyms",),
        lambda db: [r["acronym"] for r in db.rows("SELECT acronym FROM missions ORDER BY 1")],
    )
    params = {"from": year_from, "to": year_to, "mission": listed["mission"], "sort": sort}
    links = {
        "sort_number": _url(params, sort="-number" if sort == "number" else "number"),
        "sort_date": _url(params, sort="-date" if sort == "date" else "date"),
        "prev": _url(params, page=page - 1),
        "next": _url(params, page=page + 1),
    }
    return HTMLResponse(
        render(
            "resolutions.html",
            title="Resolutions",
            listed=listed,
            params=params,
            links=links,
            missions=missions,
        )
    )


def _url(params: dict, **changes) -> str:
    """``/resolutions`` with ``params`` changed by ``changes`` (empty values left out)."""
    kept = {k: v for k, v in {**params, **changes}.items() if v not in (None, "")}
    if kept.get("sort") == "number":
        del kept["sort"]
    if kept.get("page") == 1:
        del kept["page"]
    return "/resolutions" + ("?" + urlencode(kept) if kept else "")


@router.get("/groups", response_class=HTMLResponse)
def groups_page(
    request: Request, kind: Annotated[str, Query(max_length=30)] = "armed_group"
) -> HTMLResponse:
    """The registry's armed groups (``?kind=`` another kind, or ``all``) and their namings."""
    listed = knowledge(request).cached(("group_index", kind), lambda db: group_index(db, kind=kind))
    return HTMLResponse(render("groups.html", title="Armed groups", listed=listed))


@router.get("/forecast", response_class=HTMLResponse)
def forecast_page(request: Request) -> HTMLResponse:
    """The forecast at the end of the record (``GET /api/forecast``) as a table."""
    document = knowledge(request).cached(("forecast",), forecast_document)
    summary = backtest_summary()
    return HTMLResponse(
        render("forecast.html", title="Forecast", doc=document, skill=summary,
               skill_line=skill_line(summary), models=SKILL_MODELS)
    )  # fmt: skip
