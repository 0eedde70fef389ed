"""Peacekeeping personnel: who deployed how many, where, when; authorised strength; fatalities.

Data flow (all paths relative to the data directory; every frame goes to the table of the same
name in migration ``0002_personnel_events_mandates``):

* ``ipi`` -- IPI Peacekeeping Database exports in ``personnel/ipi/``:
  ``data_mission.csv`` -> ``personnel_mission_month``; ``data_monthly.csv`` ->
  ``personnel_global_month``; ``contributor_mission_month_2009_2014.csv`` ->
  ``personnel_contributor_mission_month``; ``contributors_monthly/<Country>.csv`` ->
  ``personnel_contributor_month``; ``missions.json`` -> ``ipi_missions``.
* ``shortfall`` -- ``personnel/mandate_contribute/Personnel_shortfall_data.dta`` ->
  ``personnel_authorized``.
* ``pko_deaths`` -- ``Contigent-mission-month_data.dta`` (sic) -> ``peacekeeper_fatalities``
  (long form by cause) and ``peacekeeper_fatalities_by_type`` (long form by personnel type; the
  file gives the two breakdowns side by side, not crossed).
* ``regional_pko`` -- ``UN and Non-UN Peacekeeping_v2-2019.dta`` -> ``pko_conflict_month``.
* Geo-PKO and OWID live in :mod:`peaceops.sources.geopko`.

The module runs over 500 lines because its docstring records every quirk of the five files
(below), which the loaders repair together; the loaders themselves are short.

Quirks handled (each checked in the files; repairs are also written to ``data_issues``):

* Dates: IPI dates are month ends (``1990-11-30``); every ``date`` column here is the first day
  of the month. The Stata files give year and month, or a monthly date.
* Zero: ``data_mission.csv`` and ``contributors_monthly/*.csv`` leave zero contributions empty
  (``data_mission.csv`` holds no 0 at all, and its ``Total`` equals the sum of the parts with
  empty read as 0), so empty personnel counts there are loaded as 0. In
  ``contributor_mission_month_2009_2014.csv`` zero is written as 0 and nothing is empty. Other
  files keep NULL for missing: OWID's 2022 row has the mission count only; ``data_monthly.csv``
  has no mean/median/SD of a type nobody contributed; the shortfall and SIPRI columns are
  genuinely missing in places.
* ``data_mission.csv`` swaps the names of its HQ coordinate columns ("Longitude" holds the
  latitude) except for MINUSMA's first nine months. HQ coordinates are therefore taken from
  ``missions.json`` only (``ipi_missions``); the mission-month table keeps the HQ name.
  South Sudan is spelled ``South Sudan'`` (stray quote) from 2014-03; the quote is dropped.
  The host-bloc dummies (NAM, G77, AU, ...) describe the host country, not the mission, and are
  left to a countries table.
* ``missions.json``: UNMC (Colombia) has an empty HQ and coordinates 0, 0 -> NULL. It lists
  ONUCI and UNOCI as two identical entries; one row, UNOCI, is kept (77 missions).
* Country names go through :func:`peaceops.sources.countries.to_iso3`, with local repairs
  (see :data:`peaceops.sources.common.ISO3_REPAIRS`): IPI's truncated
  ``The former Yugoslav Republic o`` (MKD; the file's own ISO-3 column is used wherever the
  name fails), ``Serbia and Montenegro`` (SCG, ISO 3166-3) and Geo-PKO's ``DRC``. Names that
  are not one country (``Ethiopia/Eritrea``, ``India/Pakistan``, ``Middle East``,
  ``ZZ [Undetermined]``) get a NULL code. Mission hosts follow
  :data:`~peaceops.sources.countries.MISSION_HOST_OVERRIDES`: UNMIK's host is XKX (IPI says
  Serbia/SRB). Geo-PKO's ``country`` is where the location lies, not the host, so it is coded
  by name only (Kosovo -> XKX; 4 UNMIK rows lie in North Macedonia).
* Mission acronyms: upper case as the UN spells them; :data:`MISSION_ALIASES` maps the variants
  (IPI lists UNOCI as ``ONUCI`` for 2005-05 to 2006-06, with no overlap;
  ``UNOCI (ONUCI)`` and ``UNMIBH `` in the UN and Non-UN file). Mismatches left as they are,
  because they are different units, not spellings: IPI's ``UNAVEM`` (1990-11 to 1997-06) and
  ``UNOSOM`` (1992-08 to 1994-05) are combined series beside ``UNAVEM II``/``UNOSOM II``, while
  Geo-PKO has ``UNAVEM II``/``UNAVEM III`` and PEMA ``UNOSOM I``; IPI's ``BNUB`` follows
  ``BINUB``; ``LBB`` is the logistics base in Brindisi. Non-UN operations in the UN and Non-UN
  file keep their own spelling (``EU Artemis``, ``Op. Licorne``).
* Authorised strength in the shortfall file has fractions in places (``7789.2`` troops during
  a drawdown), so authorised numbers are DOUBLE; deployed numbers are whole.
* Geo-PKO: FrontMap repeats a mission-year-location when deployments changed within the year
  (1,417 repeats, kept as rows). TCCMap and TTMap have no country column; it is taken from
  FrontMap by mission and location (every pair matches).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pandas as pd

from peaceops.sources.base import (
    ISSUE_COLUMNS,
    Source,
    SourceError,
    check_columns,
    read_csv,
    read_stata,
    require,
)
from peaceops.sources.common import (
    MISSION_ALIASES,
    alias_issues,
    host_iso3,
    ints,
    iso3_from_names,
    issue_row,
    month_start,
    normalize_missions,
    parsing,
    require_complete,
)

logger = logging.getLogger(__name__)

IPI_MISSION_FILE = "personnel/ipi/data_mission.csv"
IPI_GLOBAL_FILE = "personnel/ipi/data_monthly.csv"
IPI_CONTRIBUTOR_MISSION_FILE = "personnel/ipi/contributor_mission_month_2009_2014.csv"
IPI_CONTRIBUTOR_DIR = "personnel/ipi/contributors_monthly"
IPI_MISSIONS_FILE = "personnel/ipi/missions.json"
SHORTFALL_FILE = "personnel/mandate_contribute/Personnel_shortfall_data.dta"
DEATHS_FILE = "personnel/mandate_contribute/Contigent-mission-month_data.dta"
REGIONAL_FILE = "personnel/mandate_contribute/UN and Non-UN Peacekeeping_v2-2019.dta"

# --------------------------------------------------------------------------------------- IPI
_IPI_MISSION_COLUMNS = [
    "Date",
    "Mission",
    "Country of Mission",
    "Mission HQ",
    "Mission Continent",
    "Mission Region",
    "Number of Contributors",
    "Troops",
    "Police",
    "Observers",
    "Total",
]


def _ipi_mission_month(path: Path, issues: list[dict[str, str]]) -> pd.DataFrame:
    raw = read_csv(path)
    check_columns(raw, path, _IPI_MISSION_COLUMNS)
    require_complete(raw, path, ["Date", "Mission", "Country of Mission", "Total"])
    with parsing(path):
        quoted = raw["Country of Mission"].str.contains("'", regex=False)
        if quoted.any():
            names = sorted(raw.loc[quoted, "Country of Mission"].unique())
            issues += [
                issue_row("personnel_mission_month", n, "stray quote", "removed") for n in names
            ]
        issues += alias_issues("personnel_mission_month", raw["Mission"])
        mission = normalize_missions(raw["Mission"])
        host = raw["Country of Mission"].astype("string").str.strip(" '")
        counts = ints(raw, ["Troops", "Police", "Observers"], fill=0)
        frame = pd.DataFrame(
            {
                "mission": mission,
                "date": month_start(raw["Date"]),
                "host": host,
                "host_iso3": host_iso3(mission, host),
                "hq": raw["Mission HQ"].astype("string"),
                "continent": raw["Mission Continent"].astype("string"),
                "region": raw["Mission Region"].astype("string"),
                "contributors": ints(raw, ["Number of Contributors"])["Number of Contributors"],
                "troops": counts["Troops"],
                "police": counts["Police"],
                "observers": counts["Observers"],
                "total": ints(raw, ["Total"])["Total"],
            }
        )
    return frame


_IPI_GLOBAL_NAMES = {"Troop": "troops", "Police": "police", "EOM": "experts", "Total": "total"}


def _ipi_global_month(path: Path) -> pd.DataFrame:
    raw = read_csv(path)
    columns: dict[str, str] = {"Date": "date", "Number of Contributors": "contributors"}
    for stem, name in _IPI_GLOBAL_NAMES.items():
        columns |= {
            f"{stem} Contributions": name,
            f"Average {stem} Contribution": f"{name}_mean",
            f"Median {stem} Contribution": f"{name}_median",
            f"{stem} Contributions - SD": f"{name}_sd",
        }
    check_columns(raw, path, list(columns))
    require_complete(raw, path, ["Date", "Total Contributions"])
    with parsing(path):
        frame = raw[list(columns)].rename(columns=columns)
        counts = ["contributors", "troops", "police", "experts", "total"]
        frame[counts] = ints(frame, counts)
        stats = [c for c in frame.columns if c.endswith(("_mean", "_median", "_sd"))]
        frame[stats] = frame[stats].apply(pd.to_numeric, errors="raise").astype("float64")
        frame["date"] = month_start(frame["date"])
    return frame


_CMM_TYPES = {
    "Individual Police": "individual_police",
    "Formed Police Units": "formed_police",
    "Experts on Mission": "experts",
    "Troops": "troops",
    "Total": "total",
}


def _ipi_contributor_mission_month(path: Path) -> pd.DataFrame:
    raw = read_csv(path)
    counts: dict[str, str] = {}
    for label, name in _CMM_TYPES.items():
        counts |= {
            f"{label} Male": f"{name}_male",
            f"{label} Female": f"{name}_female",
            f"{label} Total": name,
        }
    check_columns(raw, path, ["Date", "Contributor", "Contributor ISO-3", "Mission", *counts])
    require_complete(raw, path, ["Date", "Contributor", "Mission", "Total Total"])
    with parsing(path):
        contributor = raw["Contributor"].astype("string").str.strip()
        iso3 = iso3_from_names(contributor).fillna(raw["Contributor ISO-3"].astype("string"))
        frame = pd.DataFrame(
            {
                "contributor": contributor,
                "contributor_iso3": iso3,
                "mission": normalize_missions(raw["Mission"]),
                "date": month_start(raw["Date"]),
            }
        )
        return pd.concat([frame, ints(raw, list(counts)).rename(columns=counts)], axis=1)


def _ipi_contributor_month(folder: Path) -> pd.DataFrame:
    files = sorted(folder.glob("*.csv"))
    if not files:
        raise SourceError(folder, "no <Country>.csv files in the folder")
    columns = ["Date", "Troops", "Police", "Experts"]
    parts = []
    for path in files:
        raw = read_csv(path)
        check_columns(raw, path, columns)
        parts.append(raw[columns].assign(contributor=path.stem))
    # Convert once for all 148 files; a bad row is traced back to its file for the error.
    raw = pd.concat(parts, ignore_index=True)
    dates = pd.to_datetime(raw["Date"], format="%Y-%m-%d", errors="coerce")
    counts = raw[columns[1:]].apply(pd.to_numeric, errors="coerce")
    bad = dates.isna() | (counts.isna() & raw[columns[1:]].notna()).any(axis=1)
    bad |= (counts.fillna(0) % 1 != 0).any(axis=1)
    if bad.any():
        first = raw[bad].iloc[0]
        raise SourceError(
            folder / f"{first['contributor']}.csv",
            f"unreadable date or count in the row dated {first['Date']!r}",
        )
    names = pd.Series(raw["contributor"].unique(), dtype="string")
    codes = dict(zip(names, iso3_from_names(names), strict=True))
    frame = pd.DataFrame(
        {
            "contributor": raw["contributor"].astype("string"),
            "contributor_iso3": raw["contributor"].map(codes).astype("string"),
            "date": dates.dt.to_period("M").dt.to_timestamp(),
        }
    )
    return pd.concat([frame, counts.fillna(0).astype("Int64").rename(columns=str.lower)], axis=1)


def _ipi_missions(path: Path, issues: list[dict[str, str]]) -> pd.DataFrame:
    try:
        data = json.loads(path.read_bytes())
        records = [
            {
                "mission": key,
                "host": v["country"],
                "host_iso3_file": v["country_id"],
                "hq": v["hq"],
                "lat": v["mission_loc"]["y"],
                "lon": v["mission_loc"]["x"],
            }
            for key, v in data.items()
        ]
    except (ValueError, TypeError, KeyError, AttributeError, OSError) as exc:
        raise SourceError(path, f"not the IPI missions JSON layout ({exc})") from exc
    with parsing(path):
        frame = pd.DataFrame(records).astype(
            {"mission": "string", "host": "string", "host_iso3_file": "string", "hq": "string"}
        )
        issues += alias_issues("ipi_missions", frame["mission"])
        # ONUCI and UNOCI are two identical entries; the UN's spelling is kept
        variant = frame["mission"].isin(list(MISSION_ALIASES))
        frame["mission"] = normalize_missions(frame["mission"])
        frame = frame[~(variant & frame["mission"].duplicated(keep=False))]
        frame["host"] = frame["host"].str.strip(" '")
        frame["hq"] = frame["hq"].str.strip().replace("", pd.NA)
        lat = pd.to_numeric(frame["lat"], errors="raise").astype("float64")
        lon = pd.to_numeric(frame["lon"], errors="raise").astype("float64")
        null_island = (lat == 0) & (lon == 0)
        issues += [
            issue_row("ipi_missions", m, "HQ coordinates 0, 0", "set to NULL")
            for m in frame.loc[null_island, "mission"]
        ]
        frame["lat"], frame["lon"] = lat.mask(null_island), lon.mask(null_island)
        frame["host_iso3"] = host_iso3(frame["mission"], frame["host"])
    return frame[["mission", "host", "host_iso3", "host_iso3_file", "hq", "lat", "lon"]]


def load_ipi(data_dir: Path) -> dict[str, pd.DataFrame]:
    """Load the IPI Peacekeeping Database exports (see the module docstring)."""
    issues: list[dict[str, str]] = []
    tables = {
        "personnel_mission_month": _ipi_mission_month(require(data_dir, IPI_MISSION_FILE), issues),
        "personnel_global_month": _ipi_global_month(require(data_dir, IPI_GLOBAL_FILE)),
        "personnel_contributor_mission_month": _ipi_contributor_mission_month(
            require(data_dir, IPI_CONTRIBUTOR_MISSION_FILE)
        ),
        "personnel_contributor_month": _ipi_contributor_month(
            require(data_dir, IPI_CONTRIBUTOR_DIR)
        ),
        "ipi_missions": _ipi_missions(require(data_dir, IPI_MISSIONS_FILE), issues),
    }
    return tables | {"data_issues": pd.DataFrame(issues, columns=ISSUE_COLUMNS)}


# ----------------------------------------------------------------------------- Stata files
_SHORTFALL_INTS = {
    "troop": "troops",
    "police": "police",
    "milobs": "observers",
    "total": "total",
    "contributors": "contributors",
}
_SHORTFALL_AUTH = {
    "authtroop": "authorized_troops",
    "authpolice": "authorized_police",
    "authmilobs": "authorized_observers",
    "totalauth": "authorized_total",
}


def load_shortfall(data_dir: Path) -> dict[str, pd.DataFrame]:
    """Load authorised versus deployed strength per mission-month (1990-2015)."""
    path = require(data_dir, SHORTFALL_FILE)
    raw = read_stata(path)
    expected = ["mission", "missioncountry", "year", "month", *_SHORTFALL_AUTH, *_SHORTFALL_INTS]
    check_columns(raw, path, expected)
    require_complete(raw, path, ["mission", "year", "month"])
    with parsing(path):
        mission = normalize_missions(raw["mission"])
        host = raw["missioncountry"].astype("string").str.strip().replace("", pd.NA)
        frame = pd.DataFrame(
            {
                "mission": mission,
                "date": pd.to_datetime(
                    pd.DataFrame({"year": raw["year"], "month": raw["month"], "day": 1})
                ),
                "host": host,
                "host_iso3": host_iso3(mission, host),
            }
        )
        for column, name in _SHORTFALL_AUTH.items():
            frame[name] = pd.to_numeric(raw[column], errors="raise").astype("float64")
        frame = pd.concat(
            [frame, ints(raw, list(_SHORTFALL_INTS)).rename(columns=_SHORTFALL_INTS)], axis=1
        )
    return {"personnel_authorized": frame}


_CAUSES = {"Illness": "illness", "Accident": "accident", "Malicious": "malicious", "Other": "other"}
_TYPES = {
    "Mil": "military",
    "Obs": "observer",
    "Police": "police",
    "Local": "local_staff",
    "International": "international_staff",
    "Otherstaff": "other_staff",
}


def load_pko_deaths(data_dir: Path) -> dict[str, pd.DataFrame]:
    """Load peacekeeper fatalities by contributor, mission and month (1948-2015)."""
    path = require(data_dir, DEATHS_FILE)
    raw = read_stata(path)
    check_columns(
        raw, path, ["Year", "Month", "Nationality", "Mission", "Total", *_CAUSES, *_TYPES]
    )
    require_complete(raw, path, ["Year", "Month", "Nationality", "Mission"])
    with parsing(path):
        contributor = raw["Nationality"].astype("string").str.strip()
        keys = pd.DataFrame(
            {
                "mission": normalize_missions(raw["Mission"]),
                "date": pd.to_datetime(
                    pd.DataFrame({"year": raw["Year"], "month": raw["Month"], "day": 1})
                ),
                "contributor": contributor,
                "contributor_iso3": iso3_from_names(contributor),
            }
        )
        by_cause = _long(keys, ints(raw, list(_CAUSES)).rename(columns=_CAUSES), "cause")
        by_type = _long(keys, ints(raw, list(_TYPES)).rename(columns=_TYPES), "personnel_type")
    return {"peacekeeper_fatalities": by_cause, "peacekeeper_fatalities_by_type": by_type}


def _long(keys: pd.DataFrame, counts: pd.DataFrame, name: str) -> pd.DataFrame:
    """Stack ``counts`` beside ``keys`` into (keys..., name, deaths), dropping zero counts."""
    wide = pd.concat([keys, counts], axis=1)
    long = wide.melt(id_vars=list(keys.columns), var_name=name, value_name="deaths")
    long = long[long["deaths"] > 0].sort_values([*keys.columns[:2], "contributor", name])
    long[name] = long[name].astype("string")
    return long.reset_index(drop=True)


_ORG = {1: "UN", 2: "regional", 3: "international"}
_REGIONAL_COLUMNS = {
    "ccode": "location_ccode",
    "conflictid": "conflict_id",
    "episodenum": "episode_id",
    "missionid": "mission_id",
    "troops_iepo": "troops",
    "police_iepo": "police",
    "observers_iepo": "observers",
    "totals_iepo": "total",
    "SIPRI_troops": "sipri_troops",
    "SIPRI_police": "sipri_police",
    "SIPRI_observers": "sipri_observers",
    "SIPRI_totals": "sipri_total",
    "IPI_troops": "ipi_troops",
    "IPI_police": "ipi_police",
    "IPI_observers": "ipi_observers",
    "IPI_totals": "ipi_total",
}


def load_regional_pko(data_dir: Path) -> dict[str, pd.DataFrame]:
    """Load UN and non-UN peacekeeping per conflict-month (Bara 2019, from SIPRI and IPI).

    Kept: the conflict (location, COW code, UCDP conflict and episode ids, activity,
    incompatibility), the mission and its organisation type, the main interpolated and
    extrapolated strengths (``*_iepo`` -> ``troops``...), and the raw SIPRI and IPI figures.
    Dropped: ``year`` (in ``date``), the interpolation-only ``*_ipo`` and year-constant
    ``*_backward`` variants. From 2015 SIPRI reports troops and observers together, as troops.
    """
    path = require(data_dir, REGIONAL_FILE)
    raw = read_stata(path)
    check_columns(
        raw,
        path,
        [
            "location",
            "date",
            "mission",
            "org",
            "activity",
            "incomp",
            "onlypolice",
            *_REGIONAL_COLUMNS,
        ],
    )
    require_complete(raw, path, ["location", "date", "mission", "org"])
    with parsing(path):
        issues = alias_issues("pko_conflict_month", raw["mission"])
        location = raw["location"].astype("string").str.strip()
        frame = pd.DataFrame(
            {
                "location": location,
                "location_iso3": iso3_from_names(location),
                "date": pd.to_datetime(raw["date"]).dt.to_period("M").dt.to_timestamp(),
                "mission": normalize_missions(raw["mission"]),
                "org": pd.to_numeric(raw["org"]).map(_ORG).astype("string"),
                "active": pd.to_numeric(raw["activity"]).astype("Int64").astype("boolean"),
                "incompatibility": pd.to_numeric(raw["incomp"])
                .map({1: "territory", 2: "government"})
                .astype("string"),
                "only_police": pd.to_numeric(raw["onlypolice"]).astype("Int64").astype("boolean"),
            }
        )
        if frame["org"].isna().any():
            raise SourceError(path, "org must be 1 (UN), 2 (regional) or 3 (international)")
        ids = ["ccode", "conflictid", "episodenum", "missionid"]
        counts = [c for c in _REGIONAL_COLUMNS if c.startswith(("SIPRI", "IPI"))]
        frame = pd.concat(
            [frame, ints(raw, ids + counts).rename(columns=_REGIONAL_COLUMNS)], axis=1
        )
        for column in ["troops_iepo", "police_iepo", "observers_iepo", "totals_iepo"]:
            frame[_REGIONAL_COLUMNS[column]] = pd.to_numeric(raw[column]).astype("float64")
    return {"pko_conflict_month": frame, "data_issues": pd.DataFrame(issues, columns=ISSUE_COLUMNS)}


SOURCES: list[Source] = [
    Source(
        "ipi",
        "IPI Peacekeeping Database: personnel per mission, contributor and month (1990-2017)",
        (
            IPI_MISSION_FILE,
            IPI_GLOBAL_FILE,
            IPI_CONTRIBUTOR_MISSION_FILE,
            IPI_CONTRIBUTOR_DIR,
            IPI_MISSIONS_FILE,
        ),
        load_ipi,
        (
            "personnel_mission_month",
            "personnel_global_month",
            "personnel_contributor_mission_month",
            "personnel_contributor_month",
            "ipi_missions",
            "data_issues",
        ),
    ),
    Source(
        "shortfall",
        "Authorised versus deployed troops, police and observers per mission-month (1990-2015)",
        (SHORTFALL_FILE,),
        load_shortfall,
        ("personnel_authorized",),
    ),
    Source(
        "pko_deaths",
        "Peacekeeper fatalities by contributor, mission, month and cause (1948-2015)",
        (DEATHS_FILE,),
        load_pko_deaths,
        ("peacekeeper_fatalities", "peacekeeper_fatalities_by_type"),
    ),
    Source(
        "regional_pko",
        "UN and non-UN peacekeeping per conflict-month (Bara 2019; SIPRI, IPI; 1993-2016)",
        (REGIONAL_FILE,),
        load_regional_pko,
        ("pko_conflict_month", "data_issues"),
    ),
]
