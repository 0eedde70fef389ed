"""Personnel loaders on the real files of ../shared/data (IPI, Stata files, Geo-PKO, OWID)."""

from pathlib import Path

import pandas as pd
import pytest
from tests.conftest import assert_fits_schema, mirror_data_dir

from peaceops.sources import SourceError
from peaceops.sources.common import iso3_from_names, normalize_missions
from peaceops.sources.geopko import SOURCES as GEOPKO_SOURCES
from peaceops.sources.geopko import load_geopko, load_owid
from peaceops.sources.personnel import (
    DEATHS_FILE,
    SOURCES,
    load_ipi,
    load_pko_deaths,
    load_regional_pko,
    load_shortfall,
)


def broken_copy(data_dir: Path, tmp_path: Path, relative: str) -> Path:
    """A mirror of the data directory whose ``relative`` file is a writable copy."""
    mirror = mirror_data_dir(data_dir, tmp_path / "data", copy=(relative,))
    (mirror / relative).chmod(0o644)
    return mirror


@pytest.fixture(scope="module")
def ipi(data_dir):
    return load_ipi(data_dir)


def test_every_personnel_frame_matches_its_table_in_the_migration(data_dir, ipi):
    for source in (*SOURCES, *GEOPKO_SOURCES):
        tables = ipi if source.name == "ipi" else source.load(data_dir)
        assert set(tables) == set(source.tables), source.name
        assert_fits_schema(tables).close()


def test_ipi_mission_months_are_complete_with_empty_read_as_zero(ipi):
    months = ipi["personnel_mission_month"]
    assert len(months) == 5330
    assert months["date"].min() == pd.Timestamp("1990-11-01")
    assert months["date"].max() == pd.Timestamp("2017-03-01")
    assert (months["date"].dt.day == 1).all()
    parts = months[["troops", "police", "observers"]]
    assert not parts.isna().any().any()
    assert (parts.sum(axis=1) == months["total"]).all()
    assert not months.duplicated(["mission", "date"]).any()


def test_ipi_country_names_become_iso3(ipi):
    months = ipi["personnel_mission_month"]
    hosts = dict(zip(months["host"], months["host_iso3"], strict=False))
    assert hosts["DR Congo"] == "COD"
    assert hosts["Cote d Ivoire"] == "CIV"
    assert hosts["South Sudan"] == "SSD"  # IPI writes "South Sudan'" from 2014-03
    assert "South Sudan'" not in hosts
    assert months.loc[months["mission"] == "UNMIK", "host_iso3"].eq("XKX").all()
    assert not months["host_iso3"].isna().any()
    contributors = ipi["personnel_contributor_month"]
    codes = dict(zip(contributors["contributor"], contributors["contributor_iso3"], strict=False))
    assert codes["DR Congo"] == "COD"
    assert codes["Cote d Ivoire"] == "CIV"
    assert codes["Republic of Korea"] == "KOR"
    assert not contributors["contributor_iso3"].isna().any()


def test_ipi_onuci_is_unoci(ipi):
    months = ipi["personnel_mission_month"]
    assert "ONUCI" not in set(months["mission"])
    unoci = months[months["mission"] == "UNOCI"]
    assert len(unoci) == 142 + 14
    issues = ipi["data_issues"]
    assert ((issues["item"] == "ONUCI") & (issues["action"] == "renamed UNOCI")).any()


def test_monusco_personnel_in_2013(ipi):
    months = ipi["personnel_mission_month"]
    monusco = months[(months["mission"] == "MONUSCO") & (months["date"].dt.year == 2013)]
    assert len(monusco) == 12
    assert (monusco["total"] > 18000).all()
    by_contributor = ipi["personnel_contributor_mission_month"]
    rows = by_contributor[
        (by_contributor["mission"] == "MONUSCO") & (by_contributor["date"].dt.year == 2013)
    ]
    assert {"IND", "PAK", "BGD", "ZAF"} <= set(rows["contributor_iso3"])
    assert rows.groupby("date")["troops"].sum().gt(16000).all()


def test_ipi_contributor_mission_month_keeps_sex_and_type(ipi):
    rows = ipi["personnel_contributor_mission_month"]
    assert len(rows) == 29115
    assert rows["date"].min() == pd.Timestamp("2009-11-01")
    assert rows["date"].max() == pd.Timestamp("2014-02-01")
    assert not rows["contributor_iso3"].isna().any()  # truncated "...Republic o" is MKD
    assert (rows["total_male"] + rows["total_female"] == rows["total"]).all()
    assert (rows["troops_male"] + rows["troops_female"] == rows["troops"]).all()


def test_ipi_contributor_months_cover_148_countries(ipi):
    rows = ipi["personnel_contributor_month"]
    assert rows["contributor"].nunique() == 148
    assert not rows[["troops", "police", "experts"]].isna().any().any()
    # Macedonia and "The former Yugoslav Republic of Macedonia" never report the same month
    assert not rows.duplicated(["contributor_iso3", "date"]).any()
    assert rows["date"].min() == pd.Timestamp("1990-11-01")


def test_ipi_missions_unmc_has_no_coordinates(ipi):
    missions = ipi["ipi_missions"].set_index("mission")
    assert len(missions) == 77  # ONUCI and UNOCI are one entry
    assert pd.isna(missions.loc["UNMC", "lat"]) and pd.isna(missions.loc["UNMC", "lon"])
    assert pd.isna(missions.loc["UNMC", "hq"])
    assert missions.loc["MONUSCO", "host_iso3"] == "COD"
    assert missions.loc["UNMIK", "host_iso3"] == "XKX"
    assert round(missions.loc["MONUSCO", "lat"], 1) == -4.3  # Kinshasa
    assert missions["lat"].dropna().between(-90, 90).all()


def test_ipi_global_months(ipi):
    months = ipi["personnel_global_month"]
    assert len(months) == 316
    first = months.iloc[0]
    assert first["date"] == pd.Timestamp("1990-11-01")
    assert (first["troops"], first["police"], first["total"]) == (10285, 44, 10329)
    assert pd.isna(first["experts_mean"])  # nobody contributed experts: no mean, not 0


def test_shortfall_compares_authorised_and_deployed(data_dir):
    rows = load_shortfall(data_dir)["personnel_authorized"]
    assert len(rows) == 4833
    assert rows["date"].dt.year.between(1990, 2015).all()
    monusco = rows[(rows["mission"] == "MONUSCO") & (rows["date"] == "2013-06-01")].iloc[0]
    assert monusco["authorized_troops"] == 19815
    assert monusco["troops"] == 18490
    assert monusco["host_iso3"] == "COD"


def test_fatalities_keep_every_death(data_dir):
    tables = load_pko_deaths(data_dir)
    raw = pd.read_stata(data_dir / DEATHS_FILE)
    by_cause, by_type = tables["peacekeeper_fatalities"], tables["peacekeeper_fatalities_by_type"]
    assert by_cause["deaths"].sum() == raw["Total"].sum()
    assert by_type["deaths"].sum() == raw["Total"].sum()
    assert set(by_cause["cause"]) == {"illness", "accident", "malicious", "other"}
    assert (by_cause["deaths"] > 0).all()
    codes = dict(zip(by_cause["contributor"], by_cause["contributor_iso3"], strict=False))
    assert codes["Serbia and Montenegro"] == "SCG"
    assert pd.isna(codes["ZZ [Undetermined]"])
    assert by_cause["date"].min().year == 1948


def test_regional_pko_keeps_un_and_non_un_missions(data_dir):
    tables = load_regional_pko(data_dir)
    rows = tables["pko_conflict_month"]
    assert len(rows) == 8100
    assert set(rows["org"]) == {"UN", "regional", "international"}
    assert "UNOCI" in set(rows["mission"]) and "UNOCI (ONUCI)" not in set(rows["mission"])
    assert "UNMIBH" in set(rows["mission"])  # "UNMIBH " with a trailing blank
    assert rows.loc[rows["location"] == "DR Congo (Zaire)", "location_iso3"].eq("COD").all()
    assert not rows["location_iso3"].isna().any()
    assert rows["date"].min() == pd.Timestamp("1993-01-01")
    assert rows["date"].max() == pd.Timestamp("2016-12-01")


def test_geopko_codes_countries_and_kosovo(data_dir):
    tables = load_geopko(data_dir)
    locations = tables["geopko_locations"]
    assert (len(locations), len(tables["geopko_tcc"]), len(tables["geopko_troop_types"])) == (
        8783,
        4927,
        7372,
    )
    assert locations.loc[locations["country"] == "Kosovo", "country_iso3"].eq("XKX").all()
    assert locations.loc[locations["country"] == "DRC", "country_iso3"].eq("COD").all()
    assert set(locations.loc[locations["country_iso3"].isna(), "country"]) == {"Ethiopia/Eritrea"}
    tcc = tables["geopko_tcc"]
    assert tcc.loc[tcc["mission"] == "MONUSCO", "country_iso3"].eq("COD").all()
    assert locations["year"].between(1994, 2024).all()


def test_owid_years(data_dir):
    years = load_owid(data_dir)["personnel_global_year"].set_index("year")
    assert len(years) == 76
    assert years.index.min() == 1947 and years.index.max() == 2022
    assert years.loc[2022, "missions"] == 12
    assert pd.isna(years.loc[2022, "total"])  # 2022 has the mission count only
    assert years.loc[2021, "total"] == 75085


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("DR Congo", "COD"),
        ("Cote d Ivoire", "CIV"),
        ("DRC", "COD"),
        ("Kosovo", "XKX"),
        ("South Sudan'", "SSD"),
        ("Ethiopia/Eritrea", None),
        ("The former Yugoslav Republic o", "MKD"),
    ],
)
def test_iso3_from_names(name, code):
    result = iso3_from_names(pd.Series([name], dtype="string"))[0]
    assert (pd.isna(result) and code is None) or result == code


def test_mission_variants_are_renamed():
    names = pd.Series(["ONUCI", "UNOCI (ONUCI)", "UNMIBH ", "UNOMOZ", "MONUSCO"])
    assert normalize_missions(names).tolist() == ["UNOCI", "UNOCI", "UNMIBH", "ONUMOZ", "MONUSCO"]


# ---------------------------------------------------------------------------- bad input
def test_csv_without_header_names_the_file(data_dir, tmp_path):
    rel = "personnel/ipi/data_mission.csv"
    mirror = broken_copy(data_dir, tmp_path, rel)
    lines = (mirror / rel).read_text(encoding="utf-8").splitlines(keepends=True)
    (mirror / rel).write_text("".join(lines[1:]), encoding="utf-8")
    with pytest.raises(SourceError, match=r"data_mission\.csv"):
        load_ipi(mirror)


def test_truncated_csv_is_an_error_not_partial_data(data_dir, tmp_path):
    rel = "personnel/ipi/data_mission.csv"
    mirror = broken_copy(data_dir, tmp_path, rel)
    raw = (mirror / rel).read_bytes()
    (mirror / rel).write_bytes(raw[: len(raw) // 2])  # cut in the middle of a row
    with pytest.raises(SourceError, match=r"data_mission\.csv"):
        load_ipi(mirror)


def test_garbage_stata_file_names_the_file(data_dir, tmp_path):
    rel = "personnel/mandate_contribute/Personnel_shortfall_data.dta"
    mirror = broken_copy(data_dir, tmp_path, rel)
    (mirror / rel).write_bytes(b"\x00\x01garbage, not a Stata file" * 10)
    with pytest.raises(SourceError, match=r"Personnel_shortfall_data\.dta"):
        load_shortfall(mirror)


def test_truncated_stata_file_names_the_file(data_dir, tmp_path):
    rel = DEATHS_FILE
    mirror = broken_copy(data_dir, tmp_path, rel)
    raw = (mirror / rel).read_bytes()
    (mirror / rel).write_bytes(raw[: len(raw) // 3])
    with pytest.raises(SourceError, match=r"Contigent-mission-month_data\.dta"):
        load_pko_deaths(mirror)


def test_invalid_missions_json_names_the_file(data_dir, tmp_path):
    rel = "personnel/ipi/missions.json"
    mirror = broken_copy(data_dir, tmp_path, rel)
    (mirror / rel).write_text('{"UNMC": {"country": "Colombia", ', encoding="utf-8")
    with pytest.raises(SourceError, match=r"missions\.json"):
        load_ipi(mirror)


def test_bad_value_in_one_contributor_file_names_that_file(data_dir, tmp_path):
    rel = "personnel/ipi/contributors_monthly"
    mirror = mirror_data_dir(data_dir, tmp_path / "data", copy=(rel,))
    target = mirror / rel / "Ghana.csv"
    (mirror / rel).chmod(0o755)
    target.chmod(0o644)
    target.write_text('"Date","Troops","Police","Experts"\n2001-01-31,lots,NA,NA\n')
    with pytest.raises(SourceError, match=r"Ghana\.csv"):
        load_ipi(mirror)


def test_missing_file_is_named(data_dir, tmp_path):
    rel = "personnel/owid_un_peacekeeping.csv"
    mirror = broken_copy(data_dir, tmp_path, rel)
    (mirror / rel).unlink()
    with pytest.raises(SourceError, match=r"owid_un_peacekeeping\.csv: required source file"):
        load_owid(mirror)


def test_geopko_without_required_column_is_an_error(data_dir, tmp_path):
    rel = "personnel/geo-pko/TTMap_v.2.3.csv"
    mirror = broken_copy(data_dir, tmp_path, rel)
    frame = pd.read_csv(mirror / rel).drop(columns=["riv"])
    frame.to_csv(mirror / rel, index=False)
    with pytest.raises(SourceError, match=r"TTMap_v\.2\.3\.csv.*\['riv'\] are missing"):
        load_geopko(mirror)


def test_row_cut_short_is_an_error_not_partial_data(data_dir, tmp_path):
    rel = "personnel/ipi/data_monthly.csv"
    mirror = broken_copy(data_dir, tmp_path, rel)
    lines = (mirror / rel).read_text(encoding="utf-8").splitlines()
    (mirror / rel).write_text("\n".join([*lines[:-1], lines[-1][:15]]) + "\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"data_monthly\.csv: row 316 .* truncated"):
        load_ipi(mirror)
