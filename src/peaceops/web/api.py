"""The JSON API under ``/api``: the command line's ``--json`` documents over HTTP.

Each route calls the same function as its command and serialises the document the same way
(:func:`peaceops.jsonable.to_json`), so ``peaceops show mission MINUSMA --json`` and
``GET /api/missions/MINUSMA`` give the same bytes. Errors are ``{"error": message, "status":
code}`` with a 4xx code (see :mod:`peaceops.web.app`).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query, Request
from fastapi.responses import Response

from peaceops.errors import NotFound, UsageError
from peaceops.jsonable import to_json
from peaceops.store import Database, browse, queries
from peaceops.web.knowledge import Knowledge
from peaceops.web.tables import compare_list

router = APIRouter(prefix="/api", tags=["knowledge base"])


class Document(Response):
    """A JSON document serialised exactly as the command line prints it."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        """The document as ``peaceops ... --json`` prints it."""
        return (to_json(content) + "\n").encode("utf-8")


def forecast_document(db: Database) -> dict:
    """The forecast at the end of the record, as JSON-ready data (shared with the warm-up).

    Kept in the store by the build (``report.views``), else fitted now.
    """
    from peaceops.report.views import forecast_document as document

    return document(db)


def knowledge(request: Request) -> Knowledge:
    """The app's knowledge base."""
    return request.app.state.knowledge


def client(request: Request) -> str:
    """Who asks (their address): the simulation runner's per-client bound counts by it."""
    return request.client.host if request.client else "unknown"


Filter = Annotated[str | None, Query(max_length=100)]
#: A facet of the mission list: repeated (``region=africa&region=asia``) or comma-separated
#: (``region=africa,asia``) values, each at most 100 characters (#30).
Facet = Annotated[list[str] | None, Query()]


def _bounded(values: list[str] | None) -> list[str] | None:
    if values and any(len(v) > 100 for v in values):
        raise UsageError("a filter value of more than 100 characters: no mission has one")
    return values


async def mission_filters(  # async: no thread-pool hop for a dict (#27, the soak's p95)
    type: Facet = None,
    region: Facet = None,
    host: Facet = None,
    status: Facet = None,
    instrument: Facet = None,
    decade: Facet = None,
    sort: Filter = None,
) -> dict[str, list[str] | str | None]:
    """The mission list's facets and sort (``store.browse.missions``), for the API and pages."""
    return {"type": _bounded(type), "region": _bounded(region), "host": _bounded(host),
            "status": _bounded(status), "instrument": _bounded(instrument),
            "decade": _bounded(decade), "sort": sort}  # fmt: skip


def filters_key(filters: dict) -> tuple:
    """The filters as a cache key (lists as tuples)."""
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in filters.items()))


Filters = Annotated[dict, Depends(mission_filters)]


@router.get("/status", response_class=Document)
def status(request: Request) -> Document:
    """Counts per table, missing sources, coding runs (``peaceops status --json``)."""
    return Document(knowledge(request).cached(("status",), queries.status))


@router.get("/missions", response_class=Document)
def missions(
    request: Request, filters: Filters, q: Annotated[str | None, Query(max_length=200)] = None
) -> Document:
    """Missions passing the facets and ``q``, sorted by ``sort``, with each facet's counts.

    Facets: type, region, host, status, instrument, decade; each repeated or comma-separated.
    """
    key = ("missions", q, *filters_key(filters))
    return Document(knowledge(request).cached(key, lambda db: browse.missions(db, **filters, q=q)))


@router.get("/missions/{acronym}", response_class=Document)
def mission(request: Request, acronym: str) -> Document:
    """One mission: host, dates, resolutions, events (``peaceops show mission X --json``)."""
    return Document(
        knowledge(request).cached(
            ("mission", acronym.upper()), lambda db: queries.mission(db, acronym)
        )
    )


@router.get("/missions/{acronym}/mandates", response_class=Document)
def mission_mandates(request: Request, acronym: str) -> Document:
    """Mandate inheritance and the index per year (``show mission X --mandates --json``)."""
    return Document(
        knowledge(request).cached(
            ("mandates", acronym.upper()), lambda db: queries.mission_mandates(db, acronym)
        )
    )


@router.get("/missions/{acronym}/strength", response_class=Document)
def mission_strength(request: Request, acronym: str) -> Document:
    """Authorised and deployed personnel per month, with the sources' coverage."""
    return Document(
        knowledge(request).cached(
            ("strength", acronym.upper()), lambda db: queries.mission_strength(db, acronym)
        )
    )


@router.get("/missions/{acronym}/votes", response_class=Document)
def mission_votes(request: Request, acronym: str) -> Document:
    """The votes on the mission's resolutions, with abstentions and votes against."""
    return Document(
        knowledge(request).cached(
            ("votes", acronym.upper()), lambda db: queries.mission_votes(db, acronym)
        )
    )


@router.get("/resolutions/{ref:path}/codes", response_class=Document)
def resolution_codes(request: Request, ref: str) -> Document:
    """What the coder read (``peaceops show resolution N --codes --json``)."""
    document = knowledge(request).cached(
        ("codes", ref), lambda db: queries.resolution_codes(db, ref)
    )
    return Document({k: v for k, v in document.items() if k != "paragraphs"})


@router.get("/resolutions/{ref:path}", response_class=Document)
def resolution(request: Request, ref: str) -> Document:
    """Date, title, vote, missions and text (``peaceops show resolution N --json``)."""
    number = knowledge(request).cached(("find", ref), lambda db: queries.find_resolution(db, ref))
    return Document(
        knowledge(request).cached(("resolution", number), lambda db: queries.resolution(db, number))
    )


@router.get("/compare", response_class=Document)
def compare(
    request: Request, missions: Annotated[list[str] | None, Query(max_length=400)] = None
) -> Document:
    """Several missions side by side: impartiality, partial terms, consent events."""
    names = compare_list(missions)
    return Document(
        knowledge(request).cached(
            ("compare", *names), lambda db: queries.compare_missions(db, names)
        )
    )


@router.get("/armed-groups/{actor_id}", response_class=Document)
def armed_group(request: Request, actor_id: str) -> Document:
    """An armed group of the registry and the resolutions that name it."""
    return Document(
        knowledge(request).cached(("group", actor_id), lambda db: browse.armed_group(db, actor_id))
    )


@router.get("/council", response_class=Document, tags=["council"])
def council(
    request: Request,
    year_from: Annotated[int | None, Query(alias="from")] = None,
    year_to: Annotated[int | None, Query(alias="to")] = None,
) -> Document:
    """Fragmentation per year, votes by member and year, vetoes (``store.council.council``)."""
    from peaceops.store.council import council as council_document

    return Document(
        knowledge(request).cached(
            ("council", year_from, year_to), lambda db: council_document(db, year_from, year_to)
        )
    )


@router.get("/forecast", response_class=Document, tags=["forecast"])
def forecast(request: Request) -> Document:
    """Each mission's 12-month probability of a host-forced exit at the end of the record.

    The same document as ``peaceops forecast --json``: a model output, not an observation,
    with 90% intervals, drivers and the features carried forward, and ``skill``: the backtest's
    skill in one sentence (``GET /api/forecast/skill`` has its figures).
    """
    from peaceops.forecast.summary import backtest_summary, skill_line

    document = knowledge(request).cached(("forecast",), forecast_document)
    return Document({**document, "skill": skill_line(backtest_summary())})


@router.get("/forecast/skill", response_class=Document, tags=["forecast"])
def forecast_skill(request: Request) -> Document:
    """The backtest's skill, the summary packaged with the model (``forecast.summary``).

    Each model's Brier, Brier skill against the base rate with its interval, AUC and top-k,
    whether the mandate features add skill, and the horizons of 6, 12 and 24 months.
    """
    from peaceops.forecast.summary import backtest_summary

    summary = backtest_summary()
    if summary is None:
        raise NotFound(
            "no backtest summary is packaged here: `peaceops forecast backtest --summary FILE` "
            "writes one"
        )
    return Document(summary)


@router.get("/paper", response_class=Document, tags=["paper"])
def paper(request: Request) -> Document:
    """The paper's claims tested against the data (``peaceops paper --json``)."""
    from peaceops.report.views import claims_document

    return Document(knowledge(request).cached(("paper",), claims_document))


@router.post("/simulations", response_class=Document, status_code=202, tags=["simulation"])
def start_simulation(
    request: Request,
    mission: Annotated[str, Body(max_length=40)],
    seeds: Annotated[int, Body()] = 20,
    seed: Annotated[int, Body()] = 0,
    counterfactual: Annotated[str | None, Body(max_length=60)] = None,
) -> Document:
    """Start a simulation job (202); poll ``GET /api/simulations/{id}``. Bounded per client."""
    acronym = knowledge(request).cached(
        ("mission", mission.upper()), lambda db: queries.mission(db, mission)
    )["acronym"]
    job = request.app.state.jobs.submit(
        client(request), acronym, seeds=seeds, seed=seed, counterfactual=counterfactual
    )
    return Document(job.summary(), status_code=202)


@router.get("/simulations/{job_id}", response_class=Document, tags=["simulation"])
def simulation(request: Request, job_id: str) -> Document:
    """A job's state and progress; once done, its fan document (simulated figures)."""
    job = request.app.state.jobs.get(job_id)
    return Document({**job.summary(), "result": job.result})
