"""Draw once per knowledge base: the figures of every mission and of the Council, the claims.

Data flow::

    peaceops build --> draw_views(db): for every mission, the documents its figures are drawn
        from (store.queries) --> draw_mission in worker processes (pure: documents in, SVG out)
        --> the store's ``views`` table (peaceops.store.views), with the Council's figures over
        all years and the paper's claims document
    mission page / report / council page / paper page --> kept(db, key, draw): the kept view,
        or, where there is none (a store changed by ``add`` or ``code``, other code), drawn now

A live draw goes through the same JSON as a kept one, so a page is the same either way (a
test renders both). Figures stay the report layer's (``figures``, ``council_figures``); this
module only decides when they are drawn (#30: a mission page's first view took 0.5-2.5 s, the
paper's 4.8 s, in every new process).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TypeVar

from peaceops.coding.taxonomy import TASK_BY_STEM
from peaceops.jsonable import strict
from peaceops.parallel import run_map
from peaceops.store import Database
from peaceops.store.queries import mission, mission_mandates, mission_strength
from peaceops.store.views import get_view, put_views

T = TypeVar("T")

#: The key of a mission's figures, of the Council's over all years, of the claims document.
MISSION_KEY = "mission:{}"
COUNCIL_KEY = "council"
CLAIMS_KEY = "claims"
FORECAST_KEY = "forecast"


def kept(db: Database, key: str, draw: Callable[[], T]) -> T:
    """The view kept under ``key`` in the store, else ``draw()`` (as JSON, like a kept one)."""
    value = get_view(db, key)
    if value is not None:
        return value  # type: ignore[return-value]
    return as_json(draw())


def as_json(value: T) -> T:
    """``value`` as it reads back from the store's JSON (a page is the same drawn or kept)."""
    return json.loads(json.dumps(strict(value), default=str))


def mission_inputs(base: dict, mandates: dict, strength: dict) -> dict:
    """What a mission's figures are drawn from (``store.queries`` documents)."""
    return {
        "inheritance": mandates["inheritance"],
        # the linked resolutions, not the candidates (#28)
        "resolutions": [r for r in base["resolutions"] if r["confirmed"]],
        "impartiality": mandates["impartiality"],
        "events": base["events"],
        "strength": strength,
    }


def draw_mission(inputs: dict) -> dict[str, dict]:
    """A mission's figures as ``{name: {"svg", "rows"}}`` (``strength_fig`` where there is data)."""
    from peaceops.report import figures  # matplotlib only when drawing: the explorer starts without

    labels = {stem: task.label for stem, task in TASK_BY_STEM.items()}  # the key (#30)
    drawn = {
        "timeline": figures.mandate_timeline(inputs["inheritance"], inputs["resolutions"], labels),
        "index": figures.impartiality(inputs["impartiality"], inputs["events"]),
    }
    strength = inputs["strength"]
    if strength["months"] or strength["years"]:  # Geo-PKO years alone too (#28)
        drawn["strength_fig"] = figures.strength(strength)
    return {name: {"svg": svg, "rows": rows} for name, (svg, rows) in drawn.items()}


def mission_drawn(db: Database, acronym: str, inputs: dict) -> dict[str, dict]:
    """The mission's figures and its ``outlook``: kept, or drawn from ``inputs`` now.

    Drawn now, the outlook (``forecast.outlook.mission_outlook``) fits the forecast of every
    mission first (about 2.5 s, once per process).
    """
    from peaceops.forecast.outlook import mission_outlook

    return kept(
        db,
        MISSION_KEY.format(acronym),
        lambda: {**draw_mission(inputs), "outlook": mission_outlook(db, acronym)},
    )


def forecast_document(db: Database) -> dict:
    """The forecast at the end of the record (``peaceops forecast --json``): kept, or fitted."""
    from peaceops.forecast.outlook import current_forecast

    return kept(db, FORECAST_KEY, lambda: current_forecast(db).to_dict())


def claims_document(db: Database) -> dict:
    """The paper's claims, tested (``claims.run_claims``): kept, or run now (about 5 s)."""
    from peaceops.claims import run_claims  # the claims' modules only when they run

    return kept(db, CLAIMS_KEY, lambda: run_claims(db))


def _draw_item(_context: None, inputs: dict) -> dict:
    return as_json(draw_mission(inputs))


def draw_views(
    db: Database, *, workers: int = 1, progress: Callable[[int, int], None] | None = None
) -> int:
    """Draw every mission's figures, the Council's and the claims into the store's views.

    Args:
        db: the knowledge base, writable (a build's new file).
        workers: processes drawing the missions' figures (they are pure: same bytes with any
            number).
        progress: called as ``progress(done, total)``.

    Returns:
        The number of views kept.
    """
    from peaceops.claims import run_claims
    from peaceops.forecast.outlook import current_forecast, mission_outlook
    from peaceops.report.council import draw_council
    from peaceops.store.council import council

    acronyms = [a for (a,) in db.tuples("SELECT acronym FROM missions ORDER BY acronym")]
    inputs = []
    for acronym in acronyms:
        base = mission(db, acronym)
        inputs.append(
            mission_inputs(base, mission_mandates(db, acronym), mission_strength(db, acronym))
        )
    total = len(acronyms) + 2
    views: dict[str, object] = {}
    views[FORECAST_KEY] = current_forecast(db).to_dict()
    for done, (acronym, drawn) in enumerate(
        zip(acronyms, run_map(_draw_item, inputs, workers=workers), strict=True), start=1
    ):
        views[MISSION_KEY.format(acronym)] = {**drawn, "outlook": mission_outlook(db, acronym)}
        if progress:
            progress(done, total)
    views[COUNCIL_KEY] = draw_council(council(db))
    if progress:
        progress(total - 1, total)
    views[CLAIMS_KEY] = run_claims(db)
    put_views(db, {key: as_json(value) for key, value in views.items()})
    if progress:
        progress(total, total)
    return len(views)
