"""Every table the explorer shows, by name, for CSV and Parquet download.

A page shows a table and links to ``/download/<name>.csv`` (or ``.parquet``) with the same
query parameters; the download runs the same query of the lower layers, so what is downloaded
is what was shown. Names are looked up in :data:`TABLES` only (no path is ever built from a
request), and each row keeps the columns that mark carried-forward (``basis``) and simulated
(``simulated``) values.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from peaceops.errors import NotFound, UsageError
from peaceops.store import Database
from peaceops.store.browse import armed_group, missions
from peaceops.store.council import council
from peaceops.store.queries import (
    compare_missions,
    mission,
    mission_mandates,
    mission_strength,
    mission_votes,
    resolution_codes,
)

FORMATS = {"csv": "text/csv; charset=utf-8", "parquet": "application/vnd.apache.parquet"}
#: Missions compared at once (each adds its figures and tables to the page).
MAX_COMPARE = 8


@dataclass(frozen=True)
class Table:
    """A downloadable table: what it needs and how its rows are made."""

    needs: str  # "mission", "resolution", "group", "missions", "filters", "job", "years"
    rows: Callable[[Database, dict], list[dict]]
    description: str


def compare_list(value: str | list[str] | None) -> list[str]:
    """The missions of a comparison from ``m=A&m=B`` or ``missions=A,B`` (at most 8)."""
    items = value if isinstance(value, list) else [value or ""]
    names = [n.strip() for item in items for n in item.split(",") if n.strip()]
    if not names:
        raise UsageError("name the missions to compare, e.g. ?missions=MINUSMA,MONUSCO")
    if len(names) > MAX_COMPARE:
        raise UsageError(f"compare at most {MAX_COMPARE} missions at once, got {len(names)}")
    return list(dict.fromkeys(n.upper() for n in names))


def _compare_index(db: Database, p: dict) -> list[dict]:
    document = compare_missions(db, compare_list(p.get("missions")))
    return [{"mission": m["mission"], **y} for m in document["missions"] for y in m["impartiality"]]


def _compare_events(db: Database, p: dict) -> list[dict]:
    document = compare_missions(db, compare_list(p.get("missions")))
    return [
        {"mission": m["mission"], **e} for m in document["missions"] for e in m["consent_events"]
    ]


def _evidence(db: Database, p: dict) -> list[dict]:
    document = resolution_codes(db, p["resolution"])
    rows = [{"kind": "code", "resolution": document["resolution"], **c} for c in document["codes"]]
    rows += [
        {"kind": "target", "resolution": document["resolution"], **t} for t in document["targets"]
    ]
    return rows


def _simulation(_db: Database | None, p: dict) -> list[dict]:
    document = p["result"]
    rows = []
    for month in document["months"]:
        row = {"mission": document["mission"], "date": month["date"],
               "deployed_share": month["deployed"]}  # fmt: skip
        for name in ("consent", "legitimacy"):
            for q in ("p05", "p50", "p95"):
                row[f"{name}_{q}"] = (month.get(name) or {}).get(q)
        row |= {"seeds": document["seeds"], "base_seed": document["base_seed"],
                "counterfactual": document.get("counterfactual"),
                "model_version": document["model_version"], "simulated": True}  # fmt: skip
        rows.append(row)
    return rows


TABLES: dict[str, Table] = {
    "missions": Table(
        "filters",
        lambda db, p: missions(db, **p["filters"])["missions"],
        "missions of the registry with the list's filters",
    ),
    "mission-resolutions": Table(
        "mission",
        lambda db, p: mission(db, p["mission"])["resolutions"],
        "the mission's resolutions",
    ),
    "mission-events": Table(
        "mission", lambda db, p: mission(db, p["mission"])["events"], "recorded events"
    ),
    "mission-impartiality": Table(
        "mission",
        lambda db, p: mission_mandates(db, p["mission"])["impartiality"],
        "impartiality index per year (basis: coded or carried_forward)",
    ),
    "mission-mandates": Table(
        "mission",
        lambda db, p: mission_mandates(db, p["mission"])["inheritance"],
        "mandate inheritance: each task per resolution",
    ),
    "mission-strength": Table(
        "mission",
        lambda db, p: mission_strength(db, p["mission"])["months"],
        "authorised and deployed personnel per month",
    ),
    "mission-strength-years": Table(
        "mission",
        lambda db, p: mission_strength(db, p["mission"])["years"],
        "deployed strength per year, with its basis (ipi_monthly or geopko_yearly)",
    ),
    "mission-votes": Table(
        "mission", lambda db, p: mission_votes(db, p["mission"]), "votes on its resolutions"
    ),
    "resolution-evidence": Table(
        "resolution", _evidence, "codes and named targets with their evidence spans"
    ),
    "compare-impartiality": Table(
        "missions", _compare_index, "impartiality per mission and year (with basis)"
    ),
    "compare-events": Table("missions", _compare_events, "consent events per mission"),
    "group-resolutions": Table(
        "group",
        lambda db, p: armed_group(db, p["group"])["named_in"],
        "resolutions naming an armed group, with the words",
    ),
    "simulation": Table("job", _simulation, "a simulation job's fan: SIMULATED figures"),
    "council-fragmentation": Table(
        "years",
        lambda db, p: council(db, p["from"], p["to"])["fragmentation"],
        "unanimity, vetoes and abstentions per year and scope",
    ),
    "council-members": Table(
        "years",
        lambda db, p: [
            r
            for r in council(db, p["from"], p["to"])["member_years"]
            if not p.get("member") or r["member_iso3"] == p["member"].upper()
        ],
        "each member's yes / no / abstain / not voting per year",
    ),
    "council-vetoes": Table(
        "years", lambda db, p: council(db, p["from"], p["to"])["vetoes"], "vetoed drafts"
    ),
}


def register(name: str, table: Table) -> None:
    """Add a table (the council page registers its own)."""
    TABLES[name] = table


def find(file_name: str) -> tuple[str, Table, str]:
    """``(name, table, format)`` for a download file name such as ``mission-votes.csv``.

    Raises:
        NotFound: no such table or format (the message lists them).
    """
    name, dot, fmt = file_name.rpartition(".")
    if not dot or fmt not in FORMATS or name not in TABLES:
        raise NotFound(
            f"no table {file_name[:80]!r} to download: use <table>.csv or <table>.parquet "
            f"with a table of: {', '.join(sorted(TABLES))}"
        )
    return name, TABLES[name], fmt


def _cell(value: object) -> object:
    if isinstance(value, list | tuple):
        return "; ".join(map(str, value))
    if isinstance(value, dict):
        return "; ".join(f"{k}={v}" for k, v in value.items())
    return value


def serialise(rows: list[dict], fmt: str) -> bytes:
    """The rows as CSV (UTF-8) or Parquet bytes; lists and dicts become ``; ``-joined text."""
    frame = pd.DataFrame([{k: _cell(v) for k, v in row.items()} for row in rows])
    if fmt == "csv":
        return frame.to_csv(index=False).encode("utf-8")
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()
