"""The UN list of peacekeeping operations and the mission start table.

Data flow: ``missions/DPPADPOSS-PKO.csv`` -> ``un_pko_list`` (one row per operation, as the UN
lists it, repaired) and ``missions/mission_start.csv`` -> ``mission_start`` (start month and host
of PKOs and special political missions). The curated registry (``peaceops.registry``) is the
authority on mission facts; these tables are kept so that the registry can be checked against
them and a researcher can see what the UN's own list says.

Repairs (see the data README):

* coordinates use decimal commas (``12,6500``);
* longitude and latitude are swapped in 7 rows. A swap is detected, not listed by acronym: a
  row is swapped when its pair is far from its HQ city's position and the reversed pair is
  near it (see ``_swap_detected``), so a corrected file is left alone;
* MINUSMA is flagged active with no end date although it closed on 31 December 2023
  (S/RES/2690 (2023)); the row is corrected and the repair logged;
* ``mission_isactive`` is ``Yes``/``No`` except MINUSTAH ``NO``.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import pandas as pd

from peaceops.sources.base import ISSUE_COLUMNS, SourceError, check_columns, read_csv, require
from peaceops.sources.countries import to_iso3_series

logger = logging.getLogger(__name__)

PKO_FILE = "missions/DPPADPOSS-PKO.csv"
START_FILE = "missions/mission_start.csv"

PKO_COLUMNS = [
    "id",
    "mission_acronym",
    "mission_name",
    "lead_department",
    "mission_isactive",
    "start_date",
    "end_date",
    "mission_location",
    "mission_longitude",
    "mission_latitude",
]

#: Facts the UN list gets wrong, with the document that settles them.
KNOWN_CLOSURES = {"MINUSMA": (date(2023, 12, 31), "S/RES/2690 (2023)")}


def load_pko_list(data_dir: Path) -> dict[str, pd.DataFrame]:
    """Load and repair the UN list of peacekeeping operations."""
    path = require(data_dir, PKO_FILE)
    raw = read_csv(path, dtype=str)
    check_columns(raw, path, PKO_COLUMNS)
    lon = pd.to_numeric(raw["mission_longitude"].str.replace(",", "."), errors="coerce")
    lat = pd.to_numeric(raw["mission_latitude"].str.replace(",", "."), errors="coerce")
    bad = (raw["mission_longitude"].notna() & lon.isna()) | (
        raw["mission_latitude"].notna() & lat.isna()
    )
    if bad.any():
        raise SourceError(path, f"unreadable coordinates in rows {raw.index[bad].tolist()[:5]}")
    swapped = pd.Series(
        [
            pd.notna(x) and pd.notna(y) and _swap_detected(raw.at[i, "mission_location"], x, y)
            for i, x, y in zip(raw.index, lon, lat, strict=True)
        ],
        index=raw.index,
    )
    issues = [
        {
            "source": "un_pko_list",
            "item": raw.at[i, "mission_acronym"],
            "issue": f"longitude {lon[i]} and latitude {lat[i]} swapped",
            "action": "swapped back",
        }
        for i in raw.index[swapped]
    ]
    lon, lat = lon.where(~swapped, lat), lat.where(~swapped, lon)
    active = raw["mission_isactive"].str.strip().str.lower().map({"yes": True, "no": False})
    if active.isna().any():
        raise SourceError(path, "mission_isactive must be Yes or No")
    start = pd.to_datetime(raw["start_date"], errors="coerce").dt.date
    end = pd.to_datetime(raw["end_date"], errors="coerce").dt.date
    acronym = raw["mission_acronym"].str.strip()
    for name, (closed, citation) in KNOWN_CLOSURES.items():
        row = acronym == name
        if row.any() and active[row].all():
            active[row], end[row] = False, closed
            issues.append(
                {
                    "source": "un_pko_list",
                    "item": name,
                    "issue": "listed as active, no end date",
                    "action": f"closed on {closed.isoformat()} ({citation})",
                }
            )
    pko = pd.DataFrame(
        {
            "un_id": pd.to_numeric(raw["id"]).astype("Int64"),
            "acronym": acronym,
            "name": raw["mission_name"].str.strip(),
            "lead_department": raw["lead_department"],
            "active": active.astype("boolean"),
            "start": start,
            "end": end,
            "location": raw["mission_location"],
            "longitude": lon,
            "latitude": lat,
            "last_update": pd.to_datetime(raw.get("last_update"), errors="coerce").dt.date,
        }
    )
    return {"un_pko_list": pko, "data_issues": pd.DataFrame(issues, columns=ISSUE_COLUMNS)}


def _swap_detected(location: object, lon: float, lat: float) -> bool:
    """True when a (longitude, latitude) pair is reversed.

    Latitude beyond +-90 is certainly swapped. Otherwise the headquarters city decides: the
    pair is swapped when it is far from the city's known position but the reversed pair is
    near it. Only cities whose rows the data README reports swapped are listed; a corrected
    file passes unchanged.
    """
    if abs(lat) > 90:
        return True
    city = _CITY_POSITIONS.get(str(location).strip()) if location else None
    if city is None:
        return False
    city_lat, city_lon = city
    near = abs(lat - city_lat) < 0.5 and abs(lon - city_lon) < 0.5
    reversed_near = abs(lon - city_lat) < 0.5 and abs(lat - city_lon) < 0.5
    return reversed_near and not near


#: (latitude, longitude) of HQ cities, from any atlas, rounded to 0.1 degree.
_CITY_POSITIONS = {
    "Bamako": (12.6, -8.0),
    "Mogadishu": (2.0, 45.3),
    "Luanda": (-8.8, 13.2),
    "Gaza": (31.5, 34.5),
    "Athens": (38.0, 23.7),
}


def load_mission_start(data_dir: Path) -> dict[str, pd.DataFrame]:
    """Load start month and host of PKOs and special political missions."""
    path = require(data_dir, START_FILE)
    raw = read_csv(path, dtype=str)
    check_columns(raw, path, ["mission", "year", "month", "mission_country", "iso3c"])
    year = pd.to_numeric(raw["year"], errors="coerce")
    month = pd.to_numeric(raw["month"], errors="coerce")
    if year.isna().any() or month.isna().any() or not month.between(1, 12).all():
        raise SourceError(path, "year and month must be numbers (month 1-12)")
    frame = pd.DataFrame(
        {
            "acronym": raw["mission"].str.strip(),
            "start_month": pd.to_datetime({"year": year, "month": month, "day": 1}).dt.date,
            "host": raw["mission_country"],
            "host_iso3_file": raw["iso3c"],
            "host_iso3": to_iso3_series(raw["mission_country"]),
        }
    )
    return {"mission_start": frame}
