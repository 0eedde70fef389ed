"""Conflict events: UCDP Georeferenced Event Dataset (GED) v23.1 for the Central African Republic.

Data flow: ``events/ucdp-ged-car/GEDEvent_v23_1.geojson`` (a GeoJSON FeatureCollection, one
Point feature per event) -> ``ucdp_events`` (one row per event: 1,848 events, 1991-2022).

Handling:

* The file is parsed with :func:`json.loads`; malformed JSON, a document that is not a
  FeatureCollection, or a feature without properties or a Point geometry raises
  :class:`~peaceops.sources.base.SourceError` naming the file.
* ``latitude`` and ``longitude`` come from the Point geometry (GeoJSON order is longitude,
  latitude); the properties carry no coordinates of their own.
* UCDP writes missing text as ``""`` (``adm_1``, ``adm_2``, ``source_office``, ``gwnob`` ...);
  those become NULL. ``number_of_sources`` is ``-1`` where UCDP did not count sources; that
  becomes NULL too.
* ``date_start``/``date_end`` are ISO timestamps at midnight; they are stored as dates.
* ``country_iso3`` is derived from ``country`` with :func:`peaceops.sources.countries.to_iso3`
  (``country_id`` is the Gleditsch-Ward code and is kept as it is).
* ``source_article`` is kept in full (up to about 3,000 characters).
* Left as UCDP publishes them: in 20 events ``best`` lies outside ``low``..``high`` (e.g. id
  30272: low 8, best 8, high 4); ``best`` always equals the sum of the four death columns.
* ``*_dset_id`` columns repeat the ``*_new_id`` ids as text for the old UCDP numbering and are
  dropped; ``relid`` and ``priogrid_gid`` are kept.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pandas as pd

from peaceops.sources.base import Source, SourceError, check_columns, require
from peaceops.sources.common import parsing
from peaceops.sources.countries import to_iso3_series

logger = logging.getLogger(__name__)

UCDP_CAR_FILE = "events/ucdp-ged-car/GEDEvent_v23_1.geojson"

_INTEGERS = [
    "id",
    "year",
    "active_year",
    "type_of_violence",
    "conflict_new_id",
    "dyad_new_id",
    "side_a_new_id",
    "side_b_new_id",
    "number_of_sources",
    "where_prec",
    "priogrid_gid",
    "country_id",
    "event_clarity",
    "date_prec",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
    "best",
    "high",
    "low",
]
_TEXTS = [
    "relid",
    "code_status",
    "conflict_name",
    "dyad_name",
    "side_a",
    "side_b",
    "source_article",
    "source_office",
    "source_date",
    "source_headline",
    "source_original",
    "where_coordinates",
    "where_description",
    "adm_1",
    "adm_2",
    "country",
    "region",
    "gwnoa",
    "gwnob",
]

#: Column order of ``ucdp_events``.
COLUMNS = [
    "id",
    "relid",
    "year",
    "active_year",
    "code_status",
    "type_of_violence",
    "conflict_new_id",
    "conflict_name",
    "dyad_new_id",
    "dyad_name",
    "side_a_new_id",
    "side_a",
    "side_b_new_id",
    "side_b",
    "gwnoa",
    "gwnob",
    "date_start",
    "date_end",
    "date_prec",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
    "best",
    "high",
    "low",
    "country",
    "country_id",
    "country_iso3",
    "region",
    "adm_1",
    "adm_2",
    "where_coordinates",
    "where_description",
    "where_prec",
    "priogrid_gid",
    "latitude",
    "longitude",
    "event_clarity",
    "number_of_sources",
    "source_article",
    "source_office",
    "source_date",
    "source_headline",
    "source_original",
]


def _features(path: Path) -> tuple[list[dict], list[list[float]]]:
    """Return the properties and Point coordinates of every feature, or raise SourceError."""
    try:
        document = json.loads(path.read_bytes())
    except (ValueError, OSError) as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise SourceError(path, f"is not valid JSON ({exc})") from exc
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise SourceError(path, "is not a GeoJSON FeatureCollection")
    try:
        features = document["features"]
        properties = [feature["properties"] for feature in features]
        points = [feature["geometry"]["coordinates"] for feature in features]
    except (KeyError, TypeError) as exc:
        raise SourceError(path, f"has a feature without properties or geometry ({exc})") from exc
    if not features:
        raise SourceError(path, "holds no events")
    return properties, points


def load_ucdp_car(data_dir: Path) -> dict[str, pd.DataFrame]:
    """Load UCDP GED v23.1 events in the Central African Republic."""
    path = require(data_dir, UCDP_CAR_FILE)
    properties, points = _features(path)
    raw = pd.DataFrame.from_records(properties)
    check_columns(raw, path, [*_INTEGERS, *_TEXTS, "date_start", "date_end"])
    with parsing(path):
        coordinates = pd.DataFrame(points, columns=["longitude", "latitude"]).astype("float64")
        frame = pd.DataFrame(index=raw.index)
        for column in _INTEGERS:
            frame[column] = pd.to_numeric(raw[column], errors="raise").astype("Int64")
        for column in _TEXTS:
            text = raw[column].astype("string").str.strip()
            frame[column] = text.mask(text == "")
        for column in ["date_start", "date_end"]:
            frame[column] = pd.to_datetime(raw[column], format="ISO8601").dt.normalize()
        frame["number_of_sources"] = frame["number_of_sources"].mask(frame["number_of_sources"] < 0)
        frame["country_iso3"] = to_iso3_series(frame["country"])
        frame[["latitude", "longitude"]] = coordinates[["latitude", "longitude"]]
    if frame[["id", "date_start", "latitude", "longitude"]].isna().any().any():
        raise SourceError(path, "an event lacks its id, start date or coordinates")
    if frame["id"].duplicated().any():
        raise SourceError(path, "event ids are not unique")
    return {"ucdp_events": frame[COLUMNS]}


SOURCES: list[Source] = [
    Source(
        "ucdp_car",
        "UCDP Georeferenced Event Dataset v23.1: organised violence in the Central African "
        "Republic (1991-2022)",
        (UCDP_CAR_FILE,),
        load_ucdp_car,
        ("ucdp_events",),
    )
]
