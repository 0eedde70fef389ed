"""Helpers shared by the personnel, Geo-PKO, events and mandates loaders.

Mission acronym variants (:data:`MISSION_ALIASES`), country names that need a local repair
(:data:`ISO3_REPAIRS`), and small typed converters that turn bad content into a
:class:`~peaceops.sources.base.SourceError` naming the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from peaceops.sources.base import SourceError
from peaceops.sources.countries import MISSION_HOST_OVERRIDES, to_iso3_series

#: Spelling variants of UN mission acronyms -> the UN's spelling.
MISSION_ALIASES = {
    "ONUCI": "UNOCI",  # IPI data_mission.csv, 2005-05 .. 2006-06 (French acronym)
    "UNOCI (ONUCI)": "UNOCI",  # UN and Non-UN Peacekeeping v2
    "UNOMOZ": "ONUMOZ",  # PEMA
    "UNCSPG": "UNPSG",  # PEMA: UN Civilian Police Support Group (Croatia, 1998)
}

#: Names ``to_iso3`` cannot or must not resolve, and their code (None: not one country).
ISO3_REPAIRS: dict[str, str | None] = {
    "The former Yugoslav Republic o": "MKD",
    "Serbia and Montenegro": "SCG",
    "DRC": "COD",
    "Ethiopia/Eritrea": None,
    "India/Pakistan": None,
    "Middle East": None,
    "ZZ [Undetermined]": None,
}


@contextmanager
def parsing(path: Path) -> Iterator[None]:
    """Turn conversion errors inside the block into a :class:`SourceError` naming ``path``."""
    try:
        yield
    except SourceError:
        raise
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:
        raise SourceError(path, f"unexpected content ({type(exc).__name__}: {exc})") from exc


def normalize_missions(names: pd.Series) -> pd.Series:
    """Strip, collapse blanks and map :data:`MISSION_ALIASES` to the UN's acronym."""
    clean = names.astype("string").str.strip().str.replace(r"\s+", " ", regex=True)
    return clean.replace(MISSION_ALIASES)


def alias_issues(source: str, names: pd.Series) -> list[dict[str, str]]:
    """Return ``data_issues`` rows for every acronym variant renamed in ``names``."""
    found = sorted(set(names.astype("string").str.strip().dropna()) & set(MISSION_ALIASES))
    return [
        issue_row(source, name, "variant mission acronym", f"renamed {MISSION_ALIASES[name]}")
        for name in found
    ]


def iso3_from_names(names: pd.Series) -> pd.Series:
    """ISO3 codes for a column of country names, with the repairs of :data:`ISO3_REPAIRS`."""
    clean = names.astype("string").str.strip(" '")
    known = clean.isin(list(ISO3_REPAIRS))
    codes = to_iso3_series(clean.where(~known))
    return codes.where(~known, clean.map(ISO3_REPAIRS).astype("string"))


def host_iso3(missions: pd.Series, hosts: pd.Series) -> pd.Series:
    """Host codes from names, then :data:`MISSION_HOST_OVERRIDES` by mission (UNMIK -> XKX)."""
    codes = iso3_from_names(hosts)
    override = missions.map(MISSION_HOST_OVERRIDES).astype("string")
    return override.fillna(codes)


def issue_row(source: str, item: str, issue: str, action: str) -> dict[str, str]:
    """One row of the ``data_issues`` table."""
    return {"source": source, "item": item, "issue": issue, "action": action}


def ints(frame: pd.DataFrame, columns: list[str], *, fill: int | None = None) -> pd.DataFrame:
    """Cast ``columns`` to nullable Int64 (raising on fractions), optionally filling NA."""
    out = pd.DataFrame(index=frame.index)
    for column in columns:
        values = pd.to_numeric(frame[column], errors="raise")
        out[column] = (values if fill is None else values.fillna(fill)).astype("Int64")
    return out


def month_start(values: pd.Series, *, fmt: str = "%Y-%m-%d") -> pd.Series:
    """Parse dates and return the first day of their month."""
    dates = pd.to_datetime(values, format=fmt)
    return dates.dt.to_period("M").dt.to_timestamp()


def require_complete(frame: pd.DataFrame, path: Path, columns: list[str]) -> None:
    """Raise if any of ``columns`` is empty: a truncated or damaged file."""
    empty = frame[columns].isna().any(axis=1)
    if empty.any():
        row = int(empty.to_numpy().nonzero()[0][0])
        raise SourceError(
            path,
            f"row {row + 1} has no value in one of {columns}; the file looks truncated or damaged",
        )


def snake_case(columns: list[str]) -> dict[str, str]:
    """Map column names to snake_case (``Entity-Long`` -> ``entity_long``)."""
    # camelCase is split first: ``NoTroops`` -> ``no_troops``
    index = pd.Index(columns).str.replace(r"(?<=[a-z])(?=[A-Z])", "_", regex=True)
    renamed = index.str.lower().str.replace(r"[^a-z0-9]+", "_", regex=True)
    return dict(zip(columns, renamed.str.strip("_"), strict=True))
