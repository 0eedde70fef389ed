"""Geo-PKO deployment maps and Our World in Data's yearly UN peacekeeping totals.

Data flow: ``personnel/geo-pko/{FrontMap,TCCMap,TTMap}_v.2.3.csv`` -> ``geopko_locations``,
``geopko_tcc``, ``geopko_troop_types``; ``personnel/owid_un_peacekeeping.csv`` ->
``personnel_global_year`` (migration ``0002_personnel_events_mandates``).

Quirks: FrontMap repeats a mission-year-location when deployments changed within the year
(1,417 repeats, kept as rows). TCCMap and TTMap have no country column; it is taken from
FrontMap by mission and location (every pair matches). Geo-PKO's ``country`` is where the
location lies, not the host, so it is coded by name only (Kosovo -> XKX). OWID's 2022 row has
the mission count only (NULL elsewhere).
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from peaceops.sources.base import Source, check_columns, read_csv, require
from peaceops.sources.common import (
    ints,
    iso3_from_names,
    normalize_missions,
    parsing,
    require_complete,
    snake_case,
)

logger = logging.getLogger(__name__)

GEOPKO_FRONT_FILE = "personnel/geo-pko/FrontMap_v.2.3.csv"
GEOPKO_TCC_FILE = "personnel/geo-pko/TCCMap_v.2.3.csv"
GEOPKO_TT_FILE = "personnel/geo-pko/TTMap_v.2.3.csv"
OWID_FILE = "personnel/owid_un_peacekeeping.csv"


_FRONT_COUNTS = ["Infantry", "NoTroops", "Reserve", "hq", "UNPOL", "Med", "Av", "UNMO"]
_TT_COUNTS = ["Infantry", "eng", "med", "sig", "av", "riv", "maint", "trans"]
_PLACE = ["mission", "year", "location", "latitude", "longitude"]


def _geopko_frame(
    path: Path, counts: list[str], texts: list[str], *, floats: tuple[str, ...] = ()
) -> pd.DataFrame:
    raw = read_csv(path)
    check_columns(raw, path, [*_PLACE, *counts, *texts, *floats])
    require_complete(raw, path, ["mission", "year", "location"])
    with parsing(path):
        frame = pd.DataFrame(
            {
                "mission": normalize_missions(raw["mission"]),
                "year": ints(raw, ["year"])["year"],
                "location": raw["location"].astype("string"),
                "latitude": pd.to_numeric(raw["latitude"], errors="raise").astype("float64"),
                "longitude": pd.to_numeric(raw["longitude"], errors="raise").astype("float64"),
            }
        )
        for text in texts:
            frame[snake_case([text])[text]] = raw[text].astype("string")
        frame = pd.concat([frame, ints(raw, counts).rename(columns=snake_case(counts))], axis=1)
        for column in floats:  # yearly averages: not necessarily whole
            frame[snake_case([column])[column]] = pd.to_numeric(raw[column]).astype("float64")
        return frame


def load_geopko(data_dir: Path) -> dict[str, pd.DataFrame]:
    """Load the Geo-PKO v2.3 yearly deployment aggregates (1994-2024)."""
    front_path = require(data_dir, GEOPKO_FRONT_FILE)
    front = _geopko_frame(front_path, _FRONT_COUNTS, ["country"], floats=("ave.no.troops",))
    with parsing(front_path):
        front["country_iso3"] = iso3_from_names(front["country"])
    places = front.drop_duplicates(["mission", "location"])[["mission", "location", "country_iso3"]]
    tables = {"geopko_locations": front}
    for table, rel, counts, texts in [
        ("geopko_tcc", GEOPKO_TCC_FILE, ["No.TCC"], ["year.overview"]),
        ("geopko_troop_types", GEOPKO_TT_FILE, _TT_COUNTS, []),
    ]:
        frame = _geopko_frame(require(data_dir, rel), counts, texts)
        tables[table] = frame.merge(places, on=["mission", "location"], how="left", validate="m:1")
        unmatched = tables[table]["country_iso3"].isna().sum()
        if unmatched:
            logger.info("%s: %d rows without a FrontMap country", table, unmatched)
    first = ["mission", "year", "country", "country_iso3", "location", "latitude", "longitude"]
    for table, frame in tables.items():
        lead = [c for c in first if c in frame.columns]
        tables[table] = frame[lead + [c for c in frame.columns if c not in lead]]
    return tables


_UNPK = " (United Nations Peacekeeping)"
_OWID_COLUMNS = {
    "Year": "year",
    f"Number of peacekeeping missions{_UNPK}": "missions",
    f"Size of total peacekeeping force{_UNPK}": "total",
    f"Civilian police (peacekeepers){_UNPK}": "police",
    f"Military Observers and staff officers (peacekeepers){_UNPK}": "observers",
    f"Troops (peacekeepers){_UNPK}": "troops",
}


def load_owid(data_dir: Path) -> dict[str, pd.DataFrame]:
    """Load OWID's yearly UN peacekeeping force (1947-2022; December figures)."""
    path = require(data_dir, OWID_FILE)
    raw = read_csv(path)
    check_columns(raw, path, list(_OWID_COLUMNS))
    require_complete(raw, path, ["Year"])
    with parsing(path):
        frame = ints(raw, list(_OWID_COLUMNS)).rename(columns=_OWID_COLUMNS)
    return {"personnel_global_year": frame}


SOURCES: list[Source] = [
    Source(
        "geopko",
        "Geo-PKO v2.3 deployment locations, contributors and troop types per year (1994-2024)",
        (GEOPKO_FRONT_FILE, GEOPKO_TCC_FILE, GEOPKO_TT_FILE),
        load_geopko,
        ("geopko_locations", "geopko_tcc", "geopko_troop_types"),
    ),
    Source(
        "owid",
        "Our World in Data: yearly UN peacekeeping force and number of missions (1947-2022)",
        (OWID_FILE,),
        load_owid,
        ("personnel_global_year",),
    ),
]
