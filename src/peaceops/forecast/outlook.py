"""Today's forecast: every mission at risk on a date, its probability, interval and drivers.

Data flow::

    knowledge base --load_snapshot, panel--> mission-months up to the date
        --fit on the months whose outcome window had closed by then--> HazardModel
        --predict the missions at risk that month--> probability, bootstrap interval over
        resampled missions, the features that move it most (log-odds contributions)
    missions still deployed whose host had already asked them to leave: listed apart

``mission_outlook`` gives one mission's row (for its report and web page), computed once per
knowledge-base file.

Example::

    with Database("out/peaceops.duckdb", read_only=True) as db:
        result = forecast(db, date(2025, 6, 30))
    for m in result.missions:
        print(m.mission, m.probability, m.low, m.high)
"""

from __future__ import annotations

import dataclasses
import math
import threading
from dataclasses import dataclass
from datetime import date

import pandas as pd

from peaceops.errors import ForecastError
from peaceops.forecast.model import MODEL_VERSION, bootstrap, fit
from peaceops.forecast.panel import (
    FEATURE_NAMES,
    FEATURES,
    HORIZON_MONTHS,
    SOURCE_FEATURES,
    Snapshot,
    load_snapshot,
    month_start,
    panel,
)
from peaceops.store import Database
from peaceops.store.council import last_vote


def record_end(db: Database) -> date:
    """The last day of the Council record in the store (its last vote), the default as-of date.

    Raises:
        ForecastError: the store has no Council votes.
    """
    value = last_vote(db)
    if value is None:
        raise ForecastError("the knowledge base has no Council votes: pass --as-of")
    return value


#: A driver whose source ended more than this many years before the as-of date rests on old
#: data (fatalities end in 2015, IPI's monthly personnel in 2017): each forecast lists them,
#: and one whose drivers all do says so prominently (#31).
STALE_YEARS = 3


def stale_features(
    coverage: dict, as_of: date, carried: list[str], last_text: date | None = None
) -> set[str]:
    """The carried features whose source ended more than :data:`STALE_YEARS` before ``as_of``.

    The mandate features' source is the mission's last resolution with a text (``last_text``:
    its codes are carried while later renewals have none).
    """
    ends = {**coverage, "mandate": last_text}
    old = set()
    for source, features in SOURCE_FEATURES.items():
        end = ends.get(source)
        if end is not None and (as_of - end).days > STALE_YEARS * 365.25:
            old |= set(features) & set(carried)
    return old


def _last_texts(snapshot: Snapshot, month: pd.Timestamp) -> dict[str, date]:
    """Each mission's last mandating resolution with a text adopted by ``month``."""
    texts = snapshot.mandates[snapshot.mandates["has_text"] & (snapshot.mandates["date"] <= month)]
    return {m: d.date() for m, d in texts.groupby("mission")["date"].max().items()}


@dataclass(frozen=True)
class MissionForecast:
    """One mission's 12-month probability of a host-forced exit, and why."""

    mission: str
    probability: float
    low: float
    high: float
    drivers: list[dict]  # feature, label, value, log-odds contribution (largest first)
    carried: list[str]  # features carried forward past the end of their source
    strength_basis: str = ""  # the strength features' series: ipi_monthly or geopko_yearly
    stale_drivers: list[str] = dataclasses.field(default_factory=list)  # drivers on old data

    @property
    def all_drivers_stale(self) -> bool:
        """Every driver rests on data older than :data:`STALE_YEARS` (said prominently)."""
        return bool(self.drivers) and len(self.stale_drivers) == len(self.drivers)


@dataclass(frozen=True)
class Forecast:
    """The forecast on one date for every mission at risk, and the missions already asked."""

    as_of: date
    month: date
    missions: list[MissionForecast]
    requested: list[dict]  # missions whose host had already asked them to leave
    training_rows: int
    training_events: int
    fallback: bool
    base_rate: float
    coverage: dict[str, date | None]

    def to_dict(self) -> dict:
        """JSON-ready; every probability is a model output, never an observation."""
        return {
            "as_of": self.as_of.isoformat(),
            "features_as_of": self.month.isoformat(),
            "kind": "forecast (model output, not observed)",
            "model": MODEL_VERSION,
            "horizon_months": HORIZON_MONTHS,
            "training": {
                "rows": self.training_rows,
                "missions_with_event": self.training_events,
                "base_rate": self.base_rate,
                "fallback_to_base_rate": self.fallback,
            },
            "coverage": {k: (v.isoformat() if v else None) for k, v in self.coverage.items()},
            "missions": [
                {
                    "mission": m.mission,
                    "probability": m.probability,
                    "interval_90": [m.low, m.high],
                    "drivers": m.drivers,
                    "carried_forward": m.carried,
                    "stale_drivers": m.stale_drivers,
                    "all_drivers_stale": m.all_drivers_stale,
                    "strength_basis": m.strength_basis or None,
                }
                for m in self.missions
            ],
            "host_already_requested": self.requested,
        }


def forecast(
    db: Database,
    as_of: date,
    *,
    missions: list[str] | None = None,
    resamples: int = 200,
    seed: int = 0,
    top: int = 3,
    snapshot: Snapshot | None = None,
) -> Forecast:
    """Fit on everything known at ``as_of`` and forecast the missions at risk that month.

    Raises:
        ForecastError: ``as_of`` before 1950 or in the future, or no mission at risk.
    """
    if as_of.year < 1950 or as_of > date.today():
        raise ForecastError(f"--as-of must lie between 1950 and today, got {as_of}")
    snapshot = snapshot or load_snapshot(db)
    month = month_start(as_of)
    rows = panel(snapshot, start=date(1948, 1, 1), end=month.date())
    train = rows[(rows["outcome_known_on"] <= pd.Timestamp(as_of)) & (rows["date"] < month)]
    test = rows[rows["date"] == month]
    if missions:
        test = test[test["mission"].isin(missions)]
    model = fit(train, FEATURE_NAMES)
    probability = model.predict(test)
    low, high = (
        bootstrap(train, test, FEATURE_NAMES, resamples=resamples, seed=seed, fitted=model)
        if resamples and not model.fallback
        else (probability, probability)
    )
    contributions = model.contributions(test)
    last_texts = _last_texts(snapshot, month)
    labels = {f.name: f.label for f in FEATURES}
    out = []
    for k, (index, row) in enumerate(test.iterrows()):
        c = contributions.loc[index]
        order = c.abs().sort_values(ascending=False, kind="stable").index[:top]
        out.append(
            MissionForecast(
                mission=row["mission"],
                probability=float(probability[k]),
                low=float(low[k]),
                high=float(high[k]),
                drivers=[
                    {
                        "feature": name,
                        "label": labels[name],
                        "value": float(row[name]),
                        "log_odds": float(c[name]),
                    }
                    | (
                        {"basis": row["strength_basis"]}
                        if name in SOURCE_FEATURES["personnel"]
                        else {}
                    )
                    for name in order
                    if not math.isclose(float(c[name]), 0.0, abs_tol=1e-12)
                ],
                carried=[f for f in str(row["carried"]).split(",") if f],
                strength_basis=str(row["strength_basis"] or ""),
            )
        )
        old = stale_features(snapshot.coverage, as_of, out[-1].carried,
                             last_texts.get(out[-1].mission))  # fmt: skip
        stale = [d["feature"] for d in out[-1].drivers if d["feature"] in old]
        out[-1] = dataclasses.replace(out[-1], stale_drivers=stale)
    out.sort(key=lambda m: (-m.probability, m.mission))
    return Forecast(
        as_of=as_of,
        month=month.date(),
        missions=out,
        requested=_requested(snapshot, as_of),
        training_rows=model.rows,
        training_events=model.events,
        fallback=model.fallback,
        base_rate=model.base_rate,
        coverage=snapshot.coverage,
    )


_CURRENT: dict[tuple, Forecast] = {}
_CURRENT_LOCK = threading.Lock()


def current_forecast(db: Database) -> Forecast:
    """The forecast at the end of the record with the defaults (``peaceops forecast --json``).

    Computed once per knowledge-base file and kept while the file is unchanged (its path, size
    and modification time), so the mission pages of the explorer and its API share it.
    """
    stat = db.path.stat()
    key = (str(db.path.resolve()), stat.st_mtime_ns, stat.st_size)
    with _CURRENT_LOCK:
        if key not in _CURRENT:
            _CURRENT.clear()
            _CURRENT[key] = forecast(db, record_end(db))
        return _CURRENT[key]


def mission_outlook(db: Database, acronym: str) -> dict:
    """One mission's row of :func:`current_forecast`, for its report and web page.

    ``status``: ``at_risk`` (with ``probability``, ``interval_90``, ``rank`` among the missions
    at risk, ``drivers`` and ``carried_forward``), ``requested`` (the host has already asked it
    to leave: ``host_request_date``), or ``not_at_risk`` (ended, not begun, or not a UN
    mission).
    """
    result = current_forecast(db)
    as_of = result.as_of
    doc = {
        "kind": "forecast (model output, not observed)",
        "model": MODEL_VERSION,
        "as_of": as_of.isoformat(),
        "features_as_of": result.month.isoformat(),
        "horizon_months": HORIZON_MONTHS,
        "missions_at_risk": len(result.missions),
        "status": "not_at_risk",
    }
    for rank, m in enumerate(result.missions, start=1):
        if m.mission == acronym:
            return doc | {
                "status": "at_risk",
                "probability": m.probability,
                "interval_90": [m.low, m.high],
                "rank": rank,
                "drivers": m.drivers,
                "carried_forward": m.carried,
                "strength_basis": m.strength_basis or None,
            }
    for r in result.requested:
        if r["mission"] == acronym:
            return doc | {"status": "requested", "host_request_date": r["host_request_date"]}
    return doc


def _requested(snapshot: Snapshot, as_of: date) -> list[dict]:
    """Missions still deployed on ``as_of`` whose host had already asked them to leave."""
    m = snapshot.missions.merge(snapshot.outcomes, on="acronym")
    day = pd.Timestamp(as_of)
    live = (m["start"] <= day) & (m["end"].isna() | (m["end"] > day))
    asked = m[live & m["event_date"].notna() & (m["event_date"] <= day)]
    return [
        {"mission": r.acronym, "host_request_date": r.event_date.date().isoformat()}
        for r in asked.sort_values("acronym").itertuples(index=False)
    ]


__all__ = [
    "Forecast",
    "MissionForecast",
    "current_forecast",
    "forecast",
    "mission_outlook",
    "record_end",
]
