"""The mission-month panel: what was known about each mission at the start of each month.

Data flow::

    knowledge base --load_snapshot--> Snapshot (frames of the tables the forecast reads)
        --panel(snapshot, start, end)--> one row per mission and month start ``d`` at risk:
            features from rows dated on or before ``d`` only (yearly figures of the previous,
            complete year), and the outcome: a host-forced exit within ``HORIZON_MONTHS``

Strength is IPI's monthly uniformed personnel (troops and police) to March 2017, then
Geo-PKO's yearly troops (``deployed_strength_year``, basis ``geopko_yearly``; troops only, no
police counts), each year dated 31 December, so first read the next January. The panel's
``strength_basis`` names which one a month read (#28).

A mission is at risk at ``d`` when it is a UN peacekeeping operation or special political
mission that had begun and had not yet ended, and its host government had not yet asked it to
leave. The outcome event is the host's first formal request that the mission leave or end
(``mission_ends.host_request_date``), or, for a mission forced out without a request
(``host_restrictions``, UNMEE), its end. The outcome is read only for the label, never for a
feature, and ``tests/test_forecast.py`` proves that no feature of a month reads a row dated
after it: features computed on a store truncated at a date (:mod:`peaceops.forecast.truncate`)
are identical to those computed on the whole store.

Example::

    with Database("out/peaceops.duckdb", read_only=True) as db:
        snap = load_snapshot(db)
    rows = panel(snap, start=date(1990, 1, 1), end=date(2023, 12, 1))
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from peaceops.coding.taxonomy import TASK_BY_STEM
from peaceops.errors import ForecastError
from peaceops.forecast.months import (
    FRESH_FOR,
    STALE_AFTER,
    _clock_starts,
    _count_in,
    _personnel_effective,
    _shift,
    strength_series,
)
from peaceops.forecast.vetoes import vetoes_by_country
from peaceops.measures.impartiality import code_side
from peaceops.registry.loader import HOST_FORCED
from peaceops.sim.scenario import (
    MANDATE_ROLES,
    OFFENSIVE_TASKS,
    SHOCK_EVENTS,
    STABILIZATION_TASKS,
    fragmentation_level,
    partner_endorsed,
)
from peaceops.store import Database

#: Months after a month start within which a host-forced exit counts as the outcome.
HORIZON_MONTHS = 12
PANEL_VERSION = "peaceops.forecast.panel.v2"  # v2: a successor keeps its clock (#31)
#: Event types in which the host restricts or contests the mission (its consent eroding).
CONSENT_EVENTS = ("access_denial", "sofa_violation", "expulsion", "consent_restriction", "protest")


@dataclass(frozen=True)
class Feature:
    """One column of the panel: its name, group and meaning.

    ``group`` is ``mandate`` for features coded from the resolutions' text (the mandate-blind
    model drops them) and ``context`` for the rest.
    """

    name: str
    group: str
    label: str


FEATURES: tuple[Feature, ...] = (
    Feature("partial_terms", "mandate", "partial terms of the mandate in force (tasks that take "
            "sides, named targets)"),
    Feature("evenhanded_terms", "mandate", "even-handed terms of the mandate in force"),
    Feature("partiality", "mandate", "1 - impartiality index of the mandate in force (0 without "
            "sided terms)"),
    Feature("stabilization", "mandate", "a stabilization task is in force (stabilization, support "
            "to host forces, state authority by force)"),
    Feature("offensive", "mandate", "an offensive task is in force (offensive operations, "
            "neutralizing groups)"),
    Feature("named_targets", "mandate", "armed groups the mandate names as targets"),
    Feature("chapter_vii", "mandate", "the mandating resolution acts under Chapter VII"),
    Feature("log_strength", "context", "log(1 + uniformed personnel), last figure reported: "
            "IPI troops and police by month to 2017-03, then Geo-PKO troops by year"),
    Feature("strength_change", "context", "log change of that strength over 12 months"),
    Feature("log_fatalities_12m", "context", "log(1 + peacekeepers killed by malicious acts in "
            "the last 12 months)"),
    Feature("regime_change_24m", "context", "coups and changes of regime in the host in the last "
            "24 months"),
    Feature("partner_present", "context", "a security partner outside the Council's endorsement "
            "is in the host country"),
    Feature("consent_events", "context", "log(1 + access denials, SOFA violations, expulsions, "
            "consent restrictions and protests to date)"),
    Feature("consent_events_12m", "context", "the same events in the last 12 months"),
    Feature("fragmentation", "context", "Council fragmentation in the previous complete year"),
    Feature("vetoes_on_host_24m", "context", "vetoed drafts on the host country in the last 24 "
            "months"),
    Feature("log_age", "context", "log(1 + years since the mission began; a successor counts "
            "from its predecessor)"),
    Feature("pko", "context", "a peacekeeping operation (not a special political mission)"),
)  # fmt: skip
FEATURE_NAMES = tuple(f.name for f in FEATURES)
MANDATE_FEATURES = tuple(f.name for f in FEATURES if f.group == "mandate")


@dataclass(frozen=True)
class Snapshot:
    """The frames the panel is built from, read once from a knowledge base."""

    missions: pd.DataFrame  # acronym, type, host_iso3, start, end, clock_start
    outcomes: pd.DataFrame  # acronym, event_date (host-forced exit; NaT if none known)
    mandates: pd.DataFrame  # mission, date, resolution, and the mandate features
    strength: pd.DataFrame  # mission, date, uniformed, basis (ipi_monthly or geopko_yearly)
    fatalities: pd.DataFrame  # mission, date, deaths (malicious acts)
    events: pd.DataFrame  # mission, date, type
    partners: pd.DataFrame  # iso3, start, end (alternative partners only)
    fragmentation: dict[int, float]  # year -> level
    vetoes: pd.DataFrame  # date, iso3 (one row per vetoed draft and country it concerns)
    coverage: dict[str, date | None]  # source -> last date it covers


def month_start(day: date) -> pd.Timestamp:
    """The first day of ``day``'s month, the panel's time stamp."""
    return pd.Timestamp(day).to_period("M").to_timestamp().as_unit("ns")


def _day(value: object) -> pd.Timestamp:
    return pd.Timestamp(value) if value is not None and not pd.isna(value) else pd.NaT


def load_snapshot(db: Database) -> Snapshot:
    """Read everything the panel needs from ``db``.

    Raises:
        ForecastError: the knowledge base has no missions or no ``mission_ends`` table.
    """
    if "mission_ends" not in db.tables():
        raise ForecastError(
            "the knowledge base has no mission_ends table: rebuild it with `peaceops build`"
        )
    missions = db.execute(
        'SELECT acronym, type, host_iso3, start, "end", predecessor FROM missions '
        "WHERE type IN ('pko', 'spm') AND start IS NOT NULL ORDER BY acronym"
    )
    if missions.empty:
        raise ForecastError("the knowledge base has no missions with a start date")
    missions["clock_start"] = _clock_starts(missions)
    missions = missions.drop(columns="predecessor")
    ends = db.execute("SELECT acronym, outcome, end_date, host_request_date FROM mission_ends")
    forced = ends["outcome"].isin(HOST_FORCED)
    request = _ns(ends["host_request_date"])
    ends["event_date"] = request.where(request.notna(), _ns(ends["end_date"]).where(forced))
    return Snapshot(
        missions=missions.assign(start=_ns(missions["start"]), end=_ns(missions["end"])),
        outcomes=ends[["acronym", "event_date"]],
        mandates=_mandates(db),
        strength=_dated(db.execute(_STRENGTH_SQL)),
        fatalities=_dated(
            db.execute(
                "SELECT mission, date, sum(deaths) AS deaths FROM peacekeeper_fatalities "
                "WHERE cause = 'malicious' GROUP BY mission, date ORDER BY mission, date"
            )
        ),
        events=_dated(db.execute("SELECT mission, date, type FROM events ORDER BY date")),
        partners=_partners(db),
        fragmentation={
            int(r["year"]): fragmentation_level(r["unanimity_share"], r["vetoed"], r["drafts"])
            for r in db.rows(
                "SELECT year, unanimity_share, vetoed, drafts FROM fragmentation_year "
                "WHERE scope = 'all'"
            )
        },
        vetoes=vetoes_by_country(db),
        coverage={
            "personnel": _last(db, "SELECT max(date) FROM (" + _STRENGTH_SQL + ")"),
            "fatalities": _last(db, "SELECT max(date) FROM peacekeeper_fatalities"),
            "vetoes": _last(
                db,
                "SELECT max(d) FROM (SELECT max(date) AS d FROM drafts UNION ALL "
                "SELECT max(date) FROM vetoes)",
            ),
            "fragmentation": _last(
                db, "SELECT make_date(max(year), 12, 31) FROM fragmentation_year"
            ),
            "resolutions": _last(db, "SELECT max(date) FROM resolutions WHERE has_text"),
            "events": _last(db, "SELECT max(date) FROM events"),
        },
    )


#: IPI's months (troops and police), then Geo-PKO's years where IPI stops (troops only), each
#: dated 31 December of its year: a yearly figure is known once the year is complete.
_STRENGTH_SQL = (
    "SELECT mission, date, coalesce(troops, 0) + coalesce(police, 0) AS uniformed, "
    "'ipi_monthly' AS basis FROM personnel_mission_month "
    "UNION ALL SELECT mission, make_date(year, 12, 31), troops, basis "
    "FROM deployed_strength_year WHERE basis = 'geopko_yearly' AND troops IS NOT NULL "
    "ORDER BY mission, date"
)


def _last(db: Database, sql: str) -> date | None:
    value = db.scalar(sql)
    return None if value is None else pd.Timestamp(value).date()


def _ns(values) -> pd.Series:
    """Dates as ``datetime64[ns]``, the one resolution every frame of the panel uses."""
    return pd.to_datetime(values).astype("datetime64[ns]")


def _dated(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(date=_ns(frame["date"]))


def _mandates(db: Database) -> pd.DataFrame:
    """The mandate in force after each mandating resolution, per mission."""
    rows = db.execute(
        "SELECT mi.mission, mi.resolution, mi.date, mi.task, mi.modality_after, "
        "cv.operative AS chapter_vii, coalesce(r.has_text, false) AS has_text "
        "FROM mandate_inheritance mi "
        "JOIN mandate_history mr ON mr.acronym = mi.mission AND mr.number = mi.resolution "
        "AND mr.confirmed "
        "LEFT JOIN resolutions r ON r.number = mi.resolution "
        "LEFT JOIN chapter_vii cv ON cv.resolution = mi.resolution AND r.has_text "
        "WHERE list_contains(?, mr.role) "
        "ORDER BY mi.mission, mi.date, mi.resolution, mi.task",
        [list(MANDATE_ROLES)],
    )
    out = []
    keys = ["mission", "resolution", "date", "has_text"]
    for (mission, resolution, day, has_text), group in rows.groupby(keys, sort=True):
        chapter = group["chapter_vii"].iloc[0]
        state = {}
        for task, modality in zip(group["task"], group["modality_after"], strict=True):
            if modality is None or pd.isna(modality):
                continue  # dropped by this resolution
            if task.startswith("target:"):
                state[task] = "partial"
            elif task in TASK_BY_STEM:
                state[task] = code_side(task, modality, TASK_BY_STEM[task].partiality)
        active = [
            (t, m)
            for t, m in zip(group["task"], group["modality_after"], strict=True)
            if isinstance(m, str) and m != "Encouraged"
        ]
        partial = sum(side == "partial" for side in state.values())
        even = sum(side == "even-handed" for side in state.values())
        out.append(
            {
                "mission": mission,
                "date": pd.Timestamp(day),
                "resolution": int(resolution),
                "partial_terms": partial,
                "evenhanded_terms": even,
                "partiality": partial / (partial + even) if partial + even else 0.0,
                "stabilization": float(
                    any(
                        t in STABILIZATION_TASKS or (t == "StateAuthority" and m == "Security")
                        for t, m in active
                    )
                ),
                "offensive": float(any(t in OFFENSIVE_TASKS for t, _ in active)),
                "named_targets": sum(t.startswith("target:") for t in state),
                # a resolution without text: its Chapter VII is carried from the last with one
                "chapter_vii": np.nan if pd.isna(chapter) else float(bool(chapter)),
                "has_text": bool(has_text),
            }
        )
    columns = ["mission", "date", "resolution", *MANDATE_FEATURES, "has_text"]
    frame = pd.DataFrame(out, columns=columns)
    frame["date"] = _ns(frame["date"])
    frame = frame.sort_values(["date", "resolution"], kind="stable")
    frame["chapter_vii"] = frame.groupby("mission")["chapter_vii"].ffill()
    return frame


def _partners(db: Database) -> pd.DataFrame:
    """Presence of security partners outside the Council's endorsement, one row per country.

    The rule is the simulation's (:func:`peaceops.sim.scenario.partner_endorsed`): a regional
    force, or a partner whose citation records the Council's welcome (``S/RES/``), is endorsed.
    """
    rows = db.execute(
        'SELECT p.iso3, p.start, p."end", a.kind, p.citation '
        "FROM partner_presence p JOIN actors a USING (actor_id)"
    )
    endorsed = pd.Series(
        [partner_endorsed(k, c) for k, c in zip(rows["kind"], rows["citation"], strict=True)],
        index=rows.index,
        dtype=bool,
    )
    rows = rows[~endorsed].assign(iso3=rows["iso3"].str.split(";")).explode("iso3")
    return pd.DataFrame(
        {
            "iso3": rows["iso3"].str.strip(),
            "start": _ns(rows["start"]),
            "end": _ns(rows["end"]),
        }
    ).reset_index(drop=True)


def panel(snapshot: Snapshot, *, start: date, end: date) -> pd.DataFrame:
    """Mission-month rows from ``start`` to ``end`` (month starts), features and outcome.

    Columns: ``mission``, ``date`` (the month start), the :data:`FEATURES`, ``resolution`` (the
    mandate in force), ``strength_known`` (personnel reported within 3 months, or the previous
    year for a yearly figure), ``strength_basis`` (``ipi_monthly``, ``geopko_yearly`` or empty:
    which series the strength features read), ``carried``
    (comma-separated features carried forward past the end of their source), ``event_date``
    (the host-forced exit, NaT if none), ``outcome`` (1 if it falls in the next
    ``HORIZON_MONTHS`` months) and ``outcome_known_on`` (the date the outcome window closes).

    Raises:
        ForecastError: ``end`` before ``start``.
    """
    if end < start:
        raise ForecastError(f"the panel ends ({end}) before it starts ({start})")
    months = pd.date_range(
        pd.Timestamp(start).to_period("M").to_timestamp(), end, freq="MS", unit="ns"
    )
    outcome_on = dict(
        zip(snapshot.outcomes["acronym"], snapshot.outcomes["event_date"], strict=True)
    )
    frames = []
    groups = _by_mission(snapshot)
    series = strength_series(snapshot.strength)
    for m in snapshot.missions.itertuples(index=False):
        event = _day(outcome_on.get(m.acronym))
        at_risk = (months >= m.start) & (pd.isna(m.end) | (months < m.end))
        if not pd.isna(event):
            at_risk &= months < event
        days = months[at_risk]
        if len(days) == 0:
            continue
        frames.append(_mission_rows(snapshot, m, days, event, groups, series))
    if not frames:
        return pd.DataFrame(columns=["mission", "date", *FEATURE_NAMES, "outcome"])
    rows = pd.concat(frames, ignore_index=True)
    for column in ("mission", "strength_basis", "carried"):
        rows[column] = rows[column].astype("str")
    return rows


#: The features each dated source feeds (carried forward, and marked, past the source's end).
SOURCE_FEATURES = {
    "mandate": MANDATE_FEATURES,
    "personnel": ("log_strength", "strength_change"),
    "fatalities": ("log_fatalities_12m",),
    "vetoes": ("vetoes_on_host_24m",),
    "fragmentation": ("fragmentation",),
}


def _effective(snapshot: Snapshot, source: str, at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Month starts to read ``source`` at: its last date where it had ended; and that mask."""
    end = snapshot.coverage.get(source)
    if end is None:
        return at, np.zeros(len(at), dtype=bool)
    last = np.datetime64(end, "ns")
    stale = at > last + STALE_AFTER
    return np.where(stale, last, at), stale


#: The panel's columns, in order.
COLUMNS = ("mission", "date", *FEATURE_NAMES, "resolution", "strength_known", "strength_basis",
           "carried", "event_date", "outcome", "outcome_known_on")  # fmt: skip


def _groups(frame: pd.DataFrame, key: str = "mission") -> dict[str, pd.DataFrame]:
    """``frame`` split by ``key`` once (the panel reads each mission's rows)."""
    # not dict(groupby): dict() would take GroupBy.keys (the key's name) for a mapping
    return {k: g for k, g in frame.groupby(key, sort=False)}  # noqa: C416


def _by_mission(snapshot: Snapshot) -> dict[str, dict[str, pd.DataFrame]]:
    return {name: _groups(getattr(snapshot, name))
            for name in ("mandates", "strength", "fatalities", "events")}  # fmt: skip


def _mission_rows(
    snapshot: Snapshot,
    m,
    days: pd.DatetimeIndex,
    event,
    groups: dict[str, dict[str, pd.DataFrame]],
    series: tuple[np.ndarray, np.ndarray],
) -> pd.DataFrame:
    """One mission's rows: columns built as arrays, one frame at the end (#31: seconds).

    ``groups`` (:func:`_by_mission`) and ``series`` (the strength series in order) are computed
    once per panel.
    """
    empty = {name: getattr(snapshot, name).iloc[0:0] for name in groups}
    mine = {name: g.get(m.acronym, empty[name]) for name, g in groups.items()}
    at = days.to_numpy()
    n = len(at)
    cols: dict[str, object] = {"mission": np.full(n, m.acronym, dtype=object), "date": at}
    carried = {}
    # the mandate in force: the latest mandating resolution adopted on or before the month start
    mandates = mine["mandates"]
    k = np.searchsorted(mandates["date"].to_numpy(), at, side="right") - 1
    found = k >= 0
    pick = np.clip(k, 0, None)
    for name in MANDATE_FEATURES:
        values = mandates[name].to_numpy(dtype=float)
        cols[name] = np.where(found, values[pick] if len(values) else 0.0, 0.0)
    resolution = mandates["resolution"].to_numpy(dtype=float)
    cols["resolution"] = np.where(found, resolution[pick] if len(resolution) else np.nan, np.nan)
    has_text = mandates["has_text"].to_numpy(dtype=bool)
    # the mandate in force has no text: its codes are inherited from the last one with text
    carried["mandate"] = found & ~(has_text[pick] if len(has_text) else np.ones(n, dtype=bool))
    strength = mine["strength"]
    p_at, carried["personnel"] = _personnel_effective(series, at)
    s_dates = strength["date"].to_numpy()
    s_basis = strength["basis"].to_numpy(dtype=object)
    s_vals = np.log1p(strength["uniformed"].to_numpy(dtype=float))
    i = np.searchsorted(s_dates, p_at, side="right") - 1
    known = i >= 0
    now = np.where(known, s_vals[np.clip(i, 0, None)] if len(s_vals) else 0.0, 0.0)
    j = np.searchsorted(s_dates, _shift(p_at, -12), side="right") - 1
    before = np.where(j >= 0, s_vals[np.clip(j, 0, None)] if len(s_vals) else 0.0, 0.0)
    cols["log_strength"] = now
    cols["strength_change"] = np.where(known & (j >= 0), now - before, 0.0)
    last_seen = np.where(known, s_dates[np.clip(i, 0, None)] if len(s_dates) else p_at, p_at)
    basis = np.where(known, s_basis[np.clip(i, 0, None)] if len(s_basis) else "", "")
    fresh = np.array([FRESH_FOR.get(b, STALE_AFTER) for b in basis], dtype="timedelta64[ns]")
    cols["strength_known"] = known & (p_at - last_seen <= fresh)
    cols["strength_basis"] = basis.astype(object)
    fat = mine["fatalities"]
    f_at, carried["fatalities"] = _effective(snapshot, "fatalities", at)
    cols["log_fatalities_12m"] = np.log1p(
        _count_in(fat["date"].to_numpy(), f_at, 12, fat["deaths"].to_numpy(dtype=float))
    )
    events = mine["events"]
    kinds = events["type"].to_numpy(dtype=object)
    dates = events["date"].to_numpy()
    shocks = dates[np.isin(kinds, list(SHOCK_EVENTS))]
    consent = dates[np.isin(kinds, list(CONSENT_EVENTS))]
    cols["regime_change_24m"] = _count_in(shocks, at, 24)
    cols["consent_events"] = np.log1p(_count_in(consent, at, None))
    cols["consent_events_12m"] = _count_in(consent, at, 12)
    hosts = set(m.host_iso3)
    partners = snapshot.partners[snapshot.partners["iso3"].isin(hosts)]
    present = np.zeros(n, dtype=bool)
    for p in partners.itertuples(index=False):
        present |= (at >= p.start.to_datetime64()) & (pd.isna(p.end) or at < p.end.to_datetime64())
    cols["partner_present"] = present.astype(float)
    years = np.array(sorted(snapshot.fragmentation), dtype=int)
    levels = np.array([snapshot.fragmentation[y] for y in years], dtype=float)
    wanted = days.year.to_numpy() - 1  # the previous complete year
    k = np.searchsorted(years, wanted, side="right") - 1  # the latest year <= wanted
    cols["fragmentation"] = np.where(k >= 0, levels[np.clip(k, 0, None)] if len(levels) else 0.0,
                                     0.0)  # fmt: skip
    carried["fragmentation"] = (k >= 0) & (
        (years[np.clip(k, 0, None)] if len(years) else wanted) < wanted
    )
    vetoes = snapshot.vetoes[snapshot.vetoes["iso3"].isin(hosts)]["date"].to_numpy()
    v_at, carried["vetoes"] = _effective(snapshot, "vetoes", at)
    cols["vetoes_on_host_24m"] = _count_in(vetoes, v_at, 24)
    cols["carried"] = np.array(
        [",".join(f for source, mask in carried.items() if mask[r] for f in SOURCE_FEATURES[source])
         for r in range(n)], dtype=object)  # fmt: skip
    clock = m.clock_start.to_datetime64()  # a successor keeps its predecessor's clock
    cols["log_age"] = np.log1p((at - clock) / np.timedelta64(1, "D") / 365.25)
    cols["pko"] = np.full(n, float(m.type == "pko"))
    horizon = _shift(at, HORIZON_MONTHS)
    cols["event_date"] = np.full(n, np.datetime64("NaT") if pd.isna(event) else
                                 event.to_datetime64(), dtype="datetime64[ns]")  # fmt: skip
    cols["outcome"] = (
        np.zeros(n, dtype=int) if pd.isna(event)
        else ((event.to_datetime64() > at) & (event.to_datetime64() <= horizon)).astype(int)
    )  # fmt: skip
    cols["outcome_known_on"] = horizon
    return pd.DataFrame({c: cols[c] for c in COLUMNS})
