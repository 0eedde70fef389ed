"""UCDP GED events for the Central African Republic, on the real GeoJSON of ../shared/data."""

import json
from pathlib import Path

import pandas as pd
import pytest
from tests.conftest import assert_fits_schema, mirror_data_dir

from peaceops.sources import SourceError
from peaceops.sources.events import SOURCES, UCDP_CAR_FILE, load_ucdp_car


@pytest.fixture(scope="module")
def events(data_dir):
    return load_ucdp_car(data_dir)["ucdp_events"]


def broken_copy(data_dir: Path, tmp_path: Path) -> Path:
    mirror = mirror_data_dir(data_dir, tmp_path / "data", copy=(UCDP_CAR_FILE,))
    (mirror / UCDP_CAR_FILE).chmod(0o644)
    return mirror


def test_ucdp_frame_matches_its_table_in_the_migration(data_dir, events):
    assert SOURCES[0].tables == ("ucdp_events",)
    conn = assert_fits_schema({"ucdp_events": events})
    stored = conn.execute(
        "SELECT count(*), min(date_start), typeof(min(date_start)) FROM ucdp_events"
    ).fetchall()[0]
    assert stored[0] == 1848
    assert stored[1].isoformat() == "1991-08-08"
    assert stored[2] == "DATE"


def test_ucdp_has_every_car_event(events):
    assert len(events) == 1848
    assert events["id"].is_unique
    assert (events["country_iso3"] == "CAF").all()
    assert events["year"].between(1991, 2022).all()
    assert (events["date_end"] >= events["date_start"]).all()
    assert set(events["type_of_violence"]) == {1, 2, 3}


def test_ucdp_coordinates_come_from_the_geometry(events):
    first = events.set_index("id").loc[36210]  # first feature of the file
    assert (first["longitude"], first["latitude"]) == (26.486881, 5.399784)
    assert events["latitude"].between(2, 11.5).all()  # the Central African Republic
    assert events["longitude"].between(14, 28).all()


def test_ucdp_deaths_add_up_to_best(events):
    parts = events[["deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown"]].sum(axis=1)
    assert (parts == events["best"]).all()
    assert events["best"].sum() == 14948


def test_ucdp_empty_text_and_unknown_source_count_are_null(events):
    first = events.set_index("id").loc[36210]
    assert pd.isna(first["adm_1"]) and pd.isna(first["gwnob"])
    assert pd.isna(first["number_of_sources"])  # UCDP writes -1
    assert (events["number_of_sources"].dropna() >= 0).all()
    assert first["dyad_name"] == "Government of Uganda - LRA"


def test_ucdp_source_articles_are_kept_in_full(events):
    assert events["source_article"].str.len().max() > 3000


def test_malformed_json_names_the_file(data_dir, tmp_path):
    mirror = broken_copy(data_dir, tmp_path)
    raw = (mirror / UCDP_CAR_FILE).read_bytes()
    (mirror / UCDP_CAR_FILE).write_bytes(raw[: len(raw) // 2])
    with pytest.raises(SourceError, match=r"GEDEvent_v23_1\.geojson: is not valid JSON"):
        load_ucdp_car(mirror)


def test_garbage_bytes_name_the_file(data_dir, tmp_path):
    mirror = broken_copy(data_dir, tmp_path)
    (mirror / UCDP_CAR_FILE).write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(SourceError, match=r"GEDEvent_v23_1\.geojson"):
        load_ucdp_car(mirror)


def test_json_that_is_not_a_feature_collection_is_an_error(data_dir, tmp_path):
    mirror = broken_copy(data_dir, tmp_path)
    (mirror / UCDP_CAR_FILE).write_text(json.dumps({"type": "Feature"}), encoding="utf-8")
    with pytest.raises(SourceError, match="not a GeoJSON FeatureCollection"):
        load_ucdp_car(mirror)


def test_feature_without_geometry_is_an_error(data_dir, tmp_path):
    mirror = broken_copy(data_dir, tmp_path)
    document = json.loads((mirror / UCDP_CAR_FILE).read_bytes())
    del document["features"][7]["geometry"]
    (mirror / UCDP_CAR_FILE).write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(SourceError, match="without properties or geometry"):
        load_ucdp_car(mirror)


def test_feature_without_a_column_is_an_error(data_dir, tmp_path):
    mirror = broken_copy(data_dir, tmp_path)
    document = json.loads((mirror / UCDP_CAR_FILE).read_bytes())
    for feature in document["features"]:
        del feature["properties"]["best"]
    (mirror / UCDP_CAR_FILE).write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(SourceError, match=r"\['best'\] are missing"):
        load_ucdp_car(mirror)


def test_missing_geojson_is_named(data_dir, tmp_path):
    mirror = broken_copy(data_dir, tmp_path)
    (mirror / UCDP_CAR_FILE).unlink()
    with pytest.raises(SourceError, match=r"GEDEvent_v23_1\.geojson: required source file"):
        load_ucdp_car(mirror)
