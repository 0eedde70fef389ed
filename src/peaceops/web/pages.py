"""The explorer's HTML pages, and the downloads of every table they show.

Pages: mission list and search, mission, resolution, armed group, comparison, council votes,
simulation runner.

Each page renders documents of the lower layers (``store.browse``, ``store.queries``,
``store.council``) and the report's figures (``report.mission_figures``, ``report.figures``);
none computes a figure of its own. Pages are cached for the server's lifetime (the knowledge
base is read-only), so a page's figures are drawn once.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from peaceops.coding.coder import CODER
from peaceops.errors import UsageError
from peaceops.report import (
    council_figures_context,
    evidence_items,
    highlight,
    mission_figures,
)
from peaceops.report.mission import TYPE_LABELS
from peaceops.report.views import claims_document
from peaceops.sim.scenario import COUNTERFACTUALS
from peaceops.store import browse, queries
from peaceops.web import tables
from peaceops.web.api import Filters, client, filters_key, knowledge
from peaceops.web.render import render

router = APIRouter(include_in_schema=False)


def _page(request: Request, template: str, build) -> HTMLResponse:
    """A page: ``build(db)`` gives the template's context.

    Pages are not kept here: the response cache in front of the app keeps whole answers
    within its byte budget (``web/cache.py``), so a page is not held twice.
    """
    return HTMLResponse(render(template, **build(knowledge(request).db())))


@router.get("/", response_class=HTMLResponse)
def index(
    request: Request, filters: Filters, q: Annotated[str | None, Query(max_length=200)] = None
) -> HTMLResponse:
    """The mission list with its filters, and search results for ``q``."""
    cached = knowledge(request).cached
    key = filters_key(filters)

    def listing(db) -> dict:
        # The list, its filters and the build time are the same for every search: rendered
        # once per filter set. Drawn per request they made a search on this page cost about
        # 60 ms (34 of them the status), the soak's p95 of 2 s (#27); now only the search runs.
        listed = browse.missions(db, **filters, q=None)
        html = render("_mission_list.html", listed=listed, type_labels=TYPE_LABELS)
        return {"count": listed["count"], "html": Markup(html)}  # noqa: S704 (autoescaped)

    def build(db):
        found = browse.search(db, q) if q and q.strip() else None
        listed = cached(("mission_list", *key), listing)
        return {
            "title": "Missions",
            "count": listed["count"],
            "listing": listed["html"],
            "q": q or "",
            "found": found,
            "built_at": cached(("status",), queries.status)["built_at"],
        }

    return _page(request, "index.html", build)


@router.get("/missions/{acronym}", response_class=HTMLResponse)
def mission_page(request: Request, acronym: str) -> HTMLResponse:
    """One mission: the report's figures with their numbers, tables and downloads."""

    def build(db):
        context = mission_figures(db, acronym, seeds=0)
        return {**context, "title": context["mission"]["acronym"]}

    return _page(request, "mission.html", build)


@router.get("/missions/{acronym}/report.html", response_class=HTMLResponse)
def mission_report_file(request: Request, acronym: str) -> HTMLResponse:
    """The mission's self-contained report (without the simulation: run it on /simulate)."""
    from peaceops.report import mission_report

    html = mission_report(knowledge(request).db(), acronym, seeds=0)
    name = re.sub(r"[^A-Za-z0-9_-]", "", acronym)[:40] or "mission"
    return HTMLResponse(
        html, headers={"content-disposition": f'inline; filename="{name}-report.html"'}
    )


@router.get("/resolutions/{ref:path}", response_class=HTMLResponse)
def resolution_page(request: Request, ref: str) -> HTMLResponse:
    """A resolution's paragraphs with every code, target and Chapter VII span highlighted."""
    from peaceops.web.cite import citation

    def build(db):
        base = queries.resolution(db, ref)
        document = queries.resolution_codes(db, base["number"])
        text = queries.resolution_text(db, base["number"]) or ""
        items = evidence_items(document, text) if text else []
        subparagraphs = [p for p in document["paragraphs"] if p["depth"] > 0]
        paragraphs = [
            {
                "label": p["label"],
                "kind": p["kind"],
                "html": highlight(text, p["start"], p["end"], items, subparagraphs),
                # its evidence, listed beside (or, on a phone, under) it (#30)
                "items": [i for i in items if p["start"] <= i["start"] < p["end"]],
            }
            for p in document["paragraphs"]
            if p["depth"] == 0
        ]
        placed = {i["number"] for p in paragraphs for i in p["items"]}
        return {
            "cite": citation(base),
            "unplaced": [i for i in items if i["number"] not in placed],
            "title": base["symbol"],
            "resolution": base,
            "document": document,
            "paragraphs": paragraphs,
            "evidence": items,
            "coder": CODER,
            "coder_quality": _coder_quality(),
        }

    return _page(request, "resolution.html", build)


def _coder_quality() -> str:
    """How far to trust the coder (the lockbox record of #32; imported on first use)."""
    from peaceops.coding.lockbox import quality_line

    return quality_line(CODER)


@router.get("/groups/{actor_id}", response_class=HTMLResponse)
def group_page(request: Request, actor_id: str) -> HTMLResponse:
    """An armed group and every resolution that names it, with the words."""
    from peaceops.web.indexes import namings

    def build(db):
        group = browse.armed_group(db, actor_id)
        # each naming once, with its words and paragraph link (#30: one row per occurrence)
        return {"title": group["name"], "group": group, "namings": namings(db, group["actor_id"])}

    return _page(request, "group.html", build)


@router.get("/compare", response_class=HTMLResponse)
def compare_page(
    request: Request, missions: Annotated[list[str] | None, Query(max_length=400)] = None
) -> HTMLResponse:
    """Several missions side by side (``?missions=MINUSMA,MONUSCO``); a form without."""
    if not missions or not any(m.strip() for m in missions):
        return _page(
            request,
            "compare.html",
            lambda db: {
                "title": "Compare missions",
                "names": [],
                "choices": browse.missions(db)["missions"],
            },
        )
    names = tables.compare_list(missions)

    def build(db):
        document = queries.compare_missions(db, names)
        from peaceops.report import figures  # matplotlib only when drawing (#30: start-up)

        svg, rows = figures.comparison(document["missions"])
        return {
            "title": "Compare " + ", ".join(names),
            "names": [m["mission"] for m in document["missions"]],
            "missions": document["missions"],
            "types": document["consent_event_types"],
            "figure": {"svg": svg, "rows": rows},
            "choices": browse.missions(db)["missions"],
        }

    return _page(request, "compare.html", build)


@router.get("/council", response_class=HTMLResponse)
def council_page(
    request: Request,
    year_from: Annotated[int | None, Query(alias="from")] = None,
    year_to: Annotated[int | None, Query(alias="to")] = None,
    member: Annotated[str | None, Query(max_length=3)] = None,
) -> HTMLResponse:
    """Votes by member and year with the fragmentation series (the Council report's figures)."""
    chosen = (member or "").strip().upper() or None

    def build(db):
        context = council_figures_context(db, year_from, year_to)
        members = sorted({(r["member_iso3"], r["member"]) for r in context["doc"]["member_years"]})
        rows = context["member_table"]
        if chosen:
            if chosen not in {iso for iso, _ in members}:
                raise UsageError(
                    f"no votes of member {chosen!r} in these years; choose one of the list"
                )
            rows = [rows[0], *(r for r in rows[1:] if r[1] == chosen)]
        return {**context, "title": "Council votes", "members": members, "member": chosen,
                "member_rows": rows, "year_from": year_from, "year_to": year_to}  # fmt: skip

    return _page(request, "council.html", build)


@router.get("/paper", response_class=HTMLResponse)
def paper_page(request: Request) -> HTMLResponse:
    """The paper's claims, tested: the table of ``peaceops paper``, with links to evidence."""
    return _page(
        request,
        "paper.html",
        lambda db: {"title": "The paper's claims", "doc": claims_document(db), "link_base": ""},
    )


@router.get("/simulate", response_class=HTMLResponse)
def simulate_form(
    request: Request, mission: Annotated[str | None, Query(max_length=40)] = None
) -> HTMLResponse:
    """The simulation runner's form."""
    limits = request.app.state.jobs.limits
    return _page(
        request,
        "simulate.html",
        lambda db: {
            "title": "Simulate",
            "mission": (mission or "").upper(),
            "choices": browse.missions(db, type="pko")["missions"]
            + browse.missions(db, type="spm")["missions"],
            "counterfactuals": COUNTERFACTUALS,
            "limits": limits,
        },
    )


@router.post("/simulate")
def simulate_start(
    request: Request,
    mission: Annotated[str, Form(max_length=40)],
    seeds: Annotated[int, Form()] = 20,
    seed: Annotated[int, Form()] = 0,
    counterfactual: Annotated[str, Form(max_length=60)] = "",
) -> Response:
    """Start a job from the form and go to its page."""
    acronym = knowledge(request).cached(
        ("mission", mission.upper()), lambda db: queries.mission(db, mission)
    )["acronym"]
    job = request.app.state.jobs.submit(
        client(request), acronym, seeds=seeds, seed=seed, counterfactual=counterfactual or None
    )
    return RedirectResponse(f"/simulations/{job.id}", status_code=303)


@router.get("/simulations/{job_id}", response_class=HTMLResponse)
def simulation_page(request: Request, job_id: str) -> HTMLResponse:
    """A job: its progress while it runs (the page polls), its fan chart once done."""
    job = request.app.state.jobs.get(job_id)
    figure = None
    if job.state == "done" and job.result is not None:
        from peaceops.report import figures

        figure = knowledge(request).cached(
            ("fan", job.id),
            lambda db: dict(zip(("svg", "rows"), figures.fan_chart(job.result), strict=True)),
        )
    return HTMLResponse(
        render(
            "simulation.html", title=f"Simulation {job.mission}", job=job.summary(), figure=figure
        )
    )


@router.get("/download/{file_name}")
def download(
    request: Request,
    file_name: str,
    filters: Filters,
    mission: Annotated[str | None, Query(max_length=40)] = None,
    resolution: Annotated[str | None, Query(max_length=40)] = None,
    group: Annotated[str | None, Query(max_length=60)] = None,
    missions: Annotated[list[str] | None, Query(max_length=400)] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    year_from: Annotated[int | None, Query(alias="from")] = None,
    year_to: Annotated[int | None, Query(alias="to")] = None,
    job: Annotated[str | None, Query(max_length=40)] = None,
    member: Annotated[str | None, Query(max_length=3)] = None,
) -> Response:
    """A table shown on a page, as CSV or Parquet (``/download/<table>.<csv|parquet>``)."""
    name, table, fmt = tables.find(file_name)
    params: dict = {
        "mission": mission,
        "resolution": resolution,
        "group": group,
        "missions": missions,
        "filters": {**filters, "q": q},
        "from": year_from,
        "to": year_to,
        "member": member,
    }
    if table.needs in ("mission", "resolution", "group") and not params[table.needs]:
        raise UsageError(f"{name} needs ?{table.needs}=..., as linked from its page")
    if table.needs == "job":
        found = request.app.state.jobs.get(job or "")
        if found.result is None:
            raise UsageError(f"simulation {found.id} has no result yet ({found.state})")
        params["result"] = found.result
        rows = table.rows(None, params)  # type: ignore[arg-type]
    else:
        key = ("download", name, repr(sorted((k, repr(v)) for k, v in params.items())))
        rows = knowledge(request).cached(key, lambda db: table.rows(db, params))
    body = tables.serialise(rows, fmt)
    stem = "-".join(
        re.sub(r"[^A-Za-z0-9_-]", "", str(v))[:30] for v in (name, mission, resolution) if v
    )
    return Response(
        body,
        media_type=tables.FORMATS[fmt],
        headers={"content-disposition": f'attachment; filename="{stem}.{fmt}"'},
    )
