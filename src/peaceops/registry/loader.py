"""Load and validate the curated registry (missions, resolutions, actors, events, ends).

Data flow: the CSV files in ``peaceops/registry/data`` (curated by hand, one citation per row)
are read with every column as text, checked row by row, and turned into frames for the
``missions``, ``mission_resolutions``, ``actors``, ``actor_aliases``, ``partner_presence`` and
``events`` tables (migration ``0003_registry``) and ``mission_ends`` (``0009_mission_ends``).
A problem is a :class:`RegistryError` that names the file, the row (as a spreadsheet would
number it) and the column, so a curator can fix it; nothing is skipped.
"""

from __future__ import annotations

import re
from datetime import date
from importlib import resources
from pathlib import Path

import pandas as pd

from peaceops.errors import RegistryError

MISSION_TYPES = ("pko", "spm", "regional")
RESOLUTION_ROLES = ("establish", "renew", "change", "terminate", "authorize")
ACTOR_KINDS = ("armed_group", "alternative_partner", "host_government", "regional_force")
#: Who an alternative security partner is (#29, claims 12 and 17): a Western state or alliance,
#: a non-Western state or a force acting for one (Wagner), or a regional organisation's force.
#: SOURCES_actors_events.md defines each and gives every partner's basis.
PROVIDERS = ("western", "non_western_state", "regional")
EVENT_TYPES = (
    "access_denial",
    "sofa_violation",
    "talks_exit",
    "talks_entry",
    "protest",
    "attack_on_mission",
    "withdrawal_request",
    "expulsion",
    "consent_restriction",
    "mandate_termination",
    "partner_arrival",
    "partner_departure",
    "regime_change",
    "coup",
    "stabilization_turn",
    # #28: an armed group that had renounced war (a signed declaration, a ceasefire) attacks
    # again, outside any talks it could leave (M23, November 2021)
    "hostilities_resumed",
    # #28: the host asks for, or signs with the UN, a plan for the mission's eventual exit,
    # without asking it to leave or end by a date (UNAMID 2014, MONUSCO 2023's joint plan);
    # not the forecast's event, which is a withdrawal_request (mission_ends.host_request_date)
    "withdrawal_plan",
)
PRECISIONS = ("day", "month", "year")
#: How a mission ended (``mission_ends.csv``); docs/mission-ends.md argues each category.
END_OUTCOMES = (
    "active",
    "completed",
    "transition",
    "council_ended",
    "host_withdrew_consent",
    "host_restrictions",
    "other",
)
#: The outcomes in which the host government forced the mission out.
HOST_FORCED = ("host_withdrew_consent", "host_restrictions")

FILES = {
    "missions": "missions.csv",
    "mission_resolutions": "mission_resolutions.csv",
    "actors": "actors.csv",
    "partner_presence": "partner_presence.csv",
    "events": "events.csv",
    "mission_ends": "mission_ends.csv",
}

_ISO3 = re.compile(r"[A-Z]{3}")
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")


def registry_dir() -> Path:
    """Return the folder of the packaged registry files."""
    return Path(str(resources.files("peaceops.registry") / "data"))


class _Checker:
    """Row-level validation helpers bound to one file."""

    def __init__(self, path: Path, frame: pd.DataFrame, columns: list[str]) -> None:
        self.path = path
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise RegistryError(path, None, f"columns {missing} are missing")
        self.frame = frame

    def fail(self, index: int, problem: str) -> None:
        raise RegistryError(self.path, int(index) + 2, problem)  # +1 header, +1 one-based

    def required(self, *columns: str) -> None:
        for col in columns:
            empty = self.frame[col].isna() | (self.frame[col].str.strip() == "")
            if empty.any():
                self.fail(self.frame.index[empty][0], f"column {col!r} is empty")

    def one_of(self, column: str, allowed: tuple[str, ...], *, optional: bool = False) -> None:
        values = self.frame[column]
        bad = ~values.isin(allowed) & ~(optional & values.isna())
        if bad.any():
            i = self.frame.index[bad][0]
            self.fail(i, f"{column}={values[i]!r} is not one of {', '.join(allowed)}")

    def dates(self, column: str, *, optional: bool = False) -> pd.Series:
        parsed = pd.to_datetime(self.frame[column], format="%Y-%m-%d", errors="coerce")
        bad = parsed.isna() & ~(optional & self.frame[column].isna())
        if bad.any():
            i = self.frame.index[bad][0]
            self.fail(i, f"{column}={self.frame[column][i]!r} is not a date YYYY-MM-DD")
        return parsed.dt.date

    def codes(self, column: str, *, sep: str = ";") -> pd.Series:
        lists = (
            self.frame[column]
            .fillna("")
            .map(lambda v: [c.strip() for c in v.split(sep) if c.strip()])
        )
        for i, codes in lists.items():
            bad = [c for c in codes if not _ISO3.fullmatch(c)]
            if bad:
                self.fail(i, f"{column} has codes that are not ISO3: {bad}")
        return lists

    def unique(self, *columns: str) -> None:
        dup = self.frame.duplicated(list(columns), keep="first")
        if dup.any():
            i = self.frame.index[dup][0]
            self.fail(
                i, f"duplicate {'/'.join(columns)} {self.frame.loc[i, list(columns)].tolist()}"
            )


def _read(folder: Path, name: str) -> tuple[Path, pd.DataFrame]:
    path = folder / FILES[name]
    if not path.exists():
        raise RegistryError(path, None, "registry file is missing from the package")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    except (ValueError, pd.errors.ParserError) as exc:
        raise RegistryError(path, None, f"cannot be read as CSV ({exc})") from exc
    for col in frame.columns:
        frame[col] = frame[col].str.strip()
    return path, frame


def load_missions(folder: Path) -> dict[str, pd.DataFrame]:
    """Load ``missions.csv`` and ``mission_resolutions.csv``."""
    path, raw = _read(folder, "missions")
    check = _Checker(
        path,
        raw,
        [
            "acronym",
            "name",
            "type",
            "host_iso3",
            "start",
            "end",
            "predecessor",
            "successor",
            "citation",
        ],
    )
    # start may be empty where no source gives it (UNOHCI): unknown, not active
    check.required("acronym", "name", "type", "host_iso3", "citation")
    check.unique("acronym")
    check.one_of("type", MISSION_TYPES)
    start, end = check.dates("start", optional=True), check.dates("end", optional=True)
    for i in raw.index:
        if pd.notna(end[i]) and pd.notna(start[i]) and end[i] < start[i]:
            check.fail(i, f"end {end[i]} is before start {start[i]}")
    acronyms = set(raw["acronym"])
    for col in ("predecessor", "successor"):
        for i, value in raw[col].items():
            if isinstance(value, str) and value not in acronyms:
                check.fail(i, f"{col} {value!r} is not a mission in {path.name}")
    missions = pd.DataFrame(
        {
            "acronym": raw["acronym"],
            "name": raw["name"],
            "type": raw["type"],
            "host_iso3": check.codes("host_iso3"),
            "start": start,
            "end": end,
            "predecessor": raw["predecessor"],
            "successor": raw["successor"],
            "citation": raw["citation"],
        }
    )
    rpath, rraw = _read(folder, "mission_resolutions")
    rcheck = _Checker(rpath, rraw, ["acronym", "number", "year", "role", "note", "citation"])
    rcheck.required("acronym", "number", "year", "role", "citation")
    rcheck.one_of("role", RESOLUTION_ROLES)
    rcheck.unique("acronym", "number")
    for i, acronym in rraw["acronym"].items():
        if acronym not in acronyms:
            rcheck.fail(i, f"mission {acronym!r} is not in {path.name}")
    for col in ("number", "year"):
        bad = ~rraw[col].str.fullmatch(r"\d{1,4}")
        if bad.any():
            rcheck.fail(rraw.index[bad][0], f"{col} must be a whole number")
    resolutions = pd.DataFrame(
        {
            "acronym": rraw["acronym"],
            "number": rraw["number"].astype(int),
            "year": rraw["year"].astype(int),
            "role": rraw["role"],
            "note": rraw["note"],
            "citation": rraw["citation"],
        }
    )
    bad_year = ~resolutions["year"].between(1946, date.today().year)
    if bad_year.any():
        rcheck.fail(resolutions.index[bad_year][0], "year is outside 1946 to this year")
    return {"missions": missions, "mission_resolutions": resolutions}


def _check_providers(check: _Checker, raw: pd.DataFrame) -> None:
    """Every alternative partner says who provides it (:data:`PROVIDERS`); no other actor does."""
    for i, row in raw.iterrows():
        partner = row["kind"] == "alternative_partner"
        provider = row["provider"]
        if partner and not isinstance(provider, str):
            check.fail(
                i,
                f"alternative partner {row['actor_id']!r} needs a provider "
                f"({', '.join(PROVIDERS)}; see SOURCES_actors_events.md)",
            )
        if partner and provider not in PROVIDERS:
            check.fail(
                i,
                f"provider={provider!r} of {row['actor_id']!r} is not one of "
                f"{', '.join(PROVIDERS)}",
            )
        if not partner and isinstance(provider, str):
            check.fail(
                i,
                f"provider={provider!r} given for {row['actor_id']!r}, a {row['kind']}: only "
                "alternative partners have a provider",
            )


def load_actors(folder: Path, *, missions: set[str]) -> dict[str, pd.DataFrame]:
    """Load ``actors.csv``, ``partner_presence.csv`` and ``events.csv``."""
    path, raw = _read(folder, "actors")
    check = _Checker(
        path,
        raw,
        [
            "actor_id",
            "name",
            "kind",
            "aliases",
            "iso3",
            "active_from",
            "active_to",
            "citation",
            "provider",
        ],
    )
    check.required("actor_id", "name", "kind", "citation")
    check.unique("actor_id")
    check.one_of("kind", ACTOR_KINDS)
    for i, actor_id in raw["actor_id"].items():
        if not _SLUG.fullmatch(actor_id):
            check.fail(i, f"actor_id {actor_id!r} must be a lowercase slug [a-z0-9-]")
    _check_providers(check, raw)
    aliases = (
        raw["aliases"].fillna("").map(lambda v: [a.strip() for a in v.split("|") if a.strip()])
    )
    # case-insensitive order, ties broken by the exact string: a set's iteration order follows
    # the hash seed, so a key of case alone made two builds differ (see #13)
    aliases = [
        sorted({*a, n}, key=lambda v: (v.lower(), v))
        for a, n in zip(aliases, raw["name"], strict=True)
    ]
    years = {}
    for col in ("active_from", "active_to"):
        bad = raw[col].notna() & ~raw[col].fillna("").str.fullmatch(r"\d{4}")
        if bad.any():
            check.fail(raw.index[bad][0], f"{col} must be a year YYYY or empty")
        years[col] = pd.to_numeric(raw[col]).astype("Int64")
    actors = pd.DataFrame(
        {
            "actor_id": raw["actor_id"],
            "name": raw["name"],
            "kind": raw["kind"],
            "aliases": aliases,
            "iso3": check.codes("iso3"),
            **years,
            "citation": raw["citation"],
            "provider": raw["provider"],
        }
    )
    alias_rows = (
        actors[["actor_id", "aliases"]].explode("aliases").rename(columns={"aliases": "alias"})
    )
    actor_ids = set(actors["actor_id"])

    ppath, praw = _read(folder, "partner_presence")
    pcheck = _Checker(
        ppath, praw, ["actor_id", "iso3", "start", "end", "start_precision", "role", "citation"]
    )
    pcheck.required("actor_id", "iso3", "start", "citation")
    pcheck.one_of("start_precision", PRECISIONS, optional=True)
    for i, actor_id in praw["actor_id"].items():
        if actor_id not in actor_ids:
            pcheck.fail(i, f"actor_id {actor_id!r} is not in {path.name}")
    pcheck.codes("iso3")
    presence = pd.DataFrame(
        {
            "actor_id": praw["actor_id"],
            "iso3": praw["iso3"],
            "start": pcheck.dates("start"),
            "end": pcheck.dates("end", optional=True),
            "start_precision": praw["start_precision"],
            "role": praw["role"],
            "citation": praw["citation"],
        }
    )

    epath, eraw = _read(folder, "events")
    echeck = _Checker(
        epath,
        eraw,
        [
            "event_id",
            "date",
            "date_precision",
            "mission",
            "actor_id",
            "type",
            "description",
            "citation",
        ],
    )
    echeck.required("event_id", "date", "date_precision", "mission", "type", "citation")
    echeck.unique("event_id")
    echeck.one_of("type", EVENT_TYPES)
    echeck.one_of("date_precision", PRECISIONS)
    for i, row in eraw.iterrows():
        if row["mission"] not in missions:
            echeck.fail(i, f"mission {row['mission']!r} is not in missions.csv")
        if isinstance(row["actor_id"], str) and row["actor_id"] not in actor_ids:
            echeck.fail(i, f"actor_id {row['actor_id']!r} is not in {path.name}")
    events = pd.DataFrame(
        {
            "event_id": eraw["event_id"],
            "date": echeck.dates("date"),
            "date_precision": eraw["date_precision"],
            "mission": eraw["mission"],
            "actor_id": eraw["actor_id"],
            "type": eraw["type"],
            "description": eraw["description"],
            "citation": eraw["citation"],
        }
    )
    return {
        "actors": actors,
        "actor_aliases": alias_rows.reset_index(drop=True),
        "partner_presence": presence,
        "events": events,
    }


def load_mission_ends(folder: Path, *, missions: pd.DataFrame) -> pd.DataFrame:
    """Load ``mission_ends.csv``: exactly one cited row per mission of ``missions.csv``.

    An ``active`` mission has no end date; every other outcome has one. A successor and a
    host request must be consistent with the mission's own dates (a request before the mission
    began, or a successor not in ``missions.csv``, is a curator's error).
    """
    path, raw = _read(folder, "mission_ends")
    columns = [
        "acronym",
        "outcome",
        "end_date",
        "withdrawal_completed",
        "end_precision",
        "host_request_date",
        "successor",
        "citation",
        "note",
        "uncertain",
    ]
    check = _Checker(path, raw, columns)
    check.required("acronym", "outcome", "citation")
    check.unique("acronym")
    check.one_of("outcome", END_OUTCOMES)
    check.one_of("end_precision", PRECISIONS, optional=True)
    end, request, withdrawn = (
        check.dates("end_date", optional=True),
        check.dates("host_request_date", optional=True),
        check.dates("withdrawal_completed", optional=True),
    )
    starts = dict(zip(missions["acronym"], missions["start"], strict=True))
    for i, row in raw.iterrows():
        acronym = row["acronym"]
        if acronym not in starts:
            check.fail(i, f"mission {acronym!r} is not in missions.csv")
        active = row["outcome"] == "active"
        if active != pd.isna(end[i]):
            check.fail(i, "an active mission has no end_date; every other outcome needs one")
        if isinstance(row["successor"], str) and row["successor"] not in starts:
            check.fail(i, f"successor {row['successor']!r} is not a mission in missions.csv")
        if isinstance(row["successor"], str) and row["outcome"] != "transition":
            check.fail(
                i,
                "a successor is the mission this one became (outcome transition); name a "
                "follow-on of another ending in the note",
            )
        start = starts[acronym]
        if pd.notna(request[i]) and pd.notna(start) and request[i] < start:
            check.fail(i, f"host_request_date {request[i]} is before the mission began {start}")
        if pd.notna(request[i]) and pd.notna(end[i]) and request[i] > end[i]:
            check.fail(i, f"host_request_date {request[i]} is after end_date {end[i]}")
        # #28: end_date is the mandate's end, withdrawal_completed the withdrawal's (before it
        # for UNOCI, after it for MINUSMA): only an ended mission has one
        if pd.notna(withdrawn[i]) and pd.isna(end[i]):
            check.fail(i, f"withdrawal_completed {withdrawn[i]} needs an end_date")
    missing = sorted(set(starts) - set(raw["acronym"]))
    if missing:
        raise RegistryError(path, None, f"missions without a row: {', '.join(missing)}")
    return pd.DataFrame(
        {
            "acronym": raw["acronym"],
            "outcome": raw["outcome"],
            "end_date": end,
            "withdrawal_completed": withdrawn,
            "end_precision": raw["end_precision"],
            "host_request_date": request,
            "successor": raw["successor"],
            "citation": raw["citation"],
            "note": raw["note"],
            "uncertain": raw["uncertain"],
        }
    )


def load_registry(folder: Path | None = None) -> dict[str, pd.DataFrame]:
    """Load every registry file; ``folder`` defaults to the packaged data."""
    folder = folder or registry_dir()
    tables = load_missions(folder)
    tables.update(load_actors(folder, missions=set(tables["missions"]["acronym"])))
    tables["mission_ends"] = load_mission_ends(folder, missions=tables["missions"])
    return tables
