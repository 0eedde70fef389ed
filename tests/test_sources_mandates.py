"""Mandate loaders (DPA 2010 matrix, UN Mandate Registry, PEMA) on the real files."""

from pathlib import Path

import pandas as pd
import pytest
from tests.conftest import assert_fits_schema, mirror_data_dir

from peaceops.sources import SourceError, mandates
from peaceops.sources.mandates import (
    DPA_FILE,
    PEMA_FILES,
    REGISTRY_FILES,
    SOURCES,
    load_dpa2010,
    load_mandate_registry,
    load_pema,
    resolution_numbers,
)


@pytest.fixture(scope="module")
def dpa(data_dir):
    return load_dpa2010(data_dir)


@pytest.fixture(scope="module")
def pema(data_dir):
    return load_pema(data_dir)


def broken_copy(data_dir: Path, tmp_path: Path, relative: str) -> Path:
    mirror = mirror_data_dir(data_dir, tmp_path / "data", copy=(relative,))
    (mirror / relative).chmod(0o644)
    return mirror


def test_every_mandate_frame_matches_its_table_in_the_migration(data_dir):
    tables = {}
    for source in SOURCES:
        loaded = source.load(data_dir)
        assert set(loaded) == set(source.tables), source.name
        tables.update({k: v for k, v in loaded.items() if k != "data_issues"})
    conn = assert_fits_schema(tables)
    assert conn.execute("SELECT count(*) FROM dpa2010_missions").fetchall()[0][0] == 24
    cited = conn.execute(
        "SELECT count(*) FROM dpa2010_components "
        "WHERE mission = 'MONUSCO' AND list_contains(resolutions, 1925)"
    ).fetchall()[0][0]
    assert cited > 20


# ------------------------------------------------------------------------------ DPA 2010
def test_dpa_has_24_missions_with_their_heading_rows(dpa):
    missions = dpa["dpa2010_missions"].set_index("mission")
    assert len(missions) == 24
    assert list(missions.index[:4]) == ["UNMIS", "MINUSTAH", "UNAMID", "MONUSCO"]
    assert missions.index[-1] == "UNMOGIP"
    monusco = missions.loc["MONUSCO"]
    assert monusco["heading"] == "MONUSCO   as of 1 JUL 2010"
    assert monusco["component_count"] == 29
    assert monusco["lead_entity"] == "DPKO"
    assert monusco["latest_resolution"] == 1925
    assert list(monusco["mandate_resolutions"]) == [1856, 1896, 1906, 1925]
    assert list(missions.loc["UNMIS", "mandate_resolutions"]) == [1590, 1663, 1706, 1919]
    assert pd.isna(missions.loc["UNOWA", "latest_resolution"])  # a letter, S/2007/754


def test_dpa_monusco_protects_civilians_under_1925(dpa):
    components = dpa["dpa2010_components"]
    monusco = components[components["mission"] == "MONUSCO"]
    poc = monusco[monusco["component"] == "Protection of civilians, including refugees and IDPs"]
    assert len(poc) == 1
    assert poc.iloc[0]["component_group"] == "Peacekeeping / military tasks"
    assert list(poc.iloc[0]["resolutions"]) == [1925]
    assert "OP12" in poc.iloc[0]["cell_text"]


def test_dpa_components_are_non_empty_cells_with_groups(dpa):
    components = dpa["dpa2010_components"]
    assert (components["cell_text"].str.strip() != "").all()
    assert len(components) == 417
    human_rights = components[components["component_group"] == "Human Rights"]
    assert set(human_rights["component"]) == {
        "Promote and protect",
        "Capacity building",
        "Monitoring",
        "Legal and constitutional support",
        "Investigation and prosecution",
    }
    ddr = components[components["component"] == "DDR"]
    assert ddr["component_group"].isna().all()
    assert len(ddr) == 15  # "DDR [15]": the matrix's own count of missions
    chapter7 = components[components["component"] == "Chapter VII"]
    assert len(chapter7) == 24


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Res. 1925 OP12 (a), ( c)", [1925]),
        (
            "Resolutions 1590 (2005), 1663 (2006), 1706 (2006)  and 1919 (2010)",
            [1590, 1663, 1706, 1919],
        ),
        ("Resolutions 1856 (2008) 1896 (2009) 1906 (2009) 1925 2010)", [1856, 1896, 1906, 1925]),
        ("Resolutions1829 (2008) and 1886 (2009)", [1829, 1886]),
        ("Resolutions, 47 (1948), 91 (1951) and 307 (1971)", [47, 91, 307]),
        ("Res.1902 (2009)", [1902]),
        ("1883 (2009)", [1883]),
        ("Res. 690 OP4 (1991), S/21360 Para.79(a),  78 (1990)", [690]),
        ("S/21360 Para. 81 (d), 75 (1990)", []),
        ("S/2007/307/Rev.1 par. 54 (a), par. 55 (b) (vii), Res. 1769 OP15 (a) (i)", [1769]),
        (
            "Resolutions 1872 (2009)  1910 (2010);  letters dated 21 December 2009  (S/2009/664)",
            [1872, 1910],
        ),
        ("S/PRST/2009/5 and SG letter S/2009/128", []),
        ("Res. 1662 OP3 [S/2006/145, par. 52 d], Res. 1917 OP6 (d) ", [1662, 1917]),
        ("Res. 1542 OP7 II (a), Res. 1892 PP12, OP9", [1542, 1892]),
        ("Res. 1701 PP8 (2006), Res. 1832 OP2 (2008)", [1701, 1832]),
        ("Res. 186 OP5 (implicit), Res. 355, para. 4 (1974)", [186, 355]),
        ("Yes", []),
    ],
)
def test_resolution_numbers(cell, expected):
    assert resolution_numbers(cell) == expected


# --------------------------------------------------------------------- mandate registry
def test_mandate_registry_tables(data_dir):
    tables = load_mandate_registry(data_dir)
    sizes = {name: frame.shape for name, frame in tables.items()}
    assert sizes == {
        "mandate_registry_pkm2026": (48, 12),
        "mandate_registry_ppb2027": (3568, 18),
        "mission_budgets": (38, 6),
        "un_entities": (156, 18),
    }
    assert "entity_long" in tables["un_entities"].columns
    assert "ceb_member" in tables["un_entities"].columns
    assert "full_document_symbol" in tables["mandate_registry_pkm2026"].columns
    assert tables["mission_budgets"]["budget_cycle"].between(2000, 2100).all()
    pkm = tables["mandate_registry_pkm2026"]
    assert "S/RES/350(1974)" in set(pkm["full_document_symbol"])
    assert pkm["section"].isna().sum() == 4  # empty cells are NULL, not ""


# --------------------------------------------------------------------------------- PEMA
def test_pema_releases_have_the_readme_row_counts(pema):
    rows = pema["pema_resolutions"].groupby("release").size().to_dict()
    assert rows == {"pema_raw_v2": 330, "pema_feb22_v1.2": 230, "pema_website_v4": 327}
    assert pema["pema_resolutions"]["mission"].nunique() == 34


def test_pema_codes_are_non_empty_cells_in_long_form(pema):
    codes = pema["pema_codes"]
    assert not codes["cell_text"].isin(["", "0"]).any()
    assert codes.groupby("release").size().to_dict() == {
        "pema_raw_v2": 1501,
        "pema_feb22_v1.2": 1229,
        "pema_website_v4": 3803,
    }
    assert set(codes["modality"].dropna()) == {"Monitor", "Assist", "Security", "Encouraged"}


def test_pema_releases_disagree_on_2098_and_are_kept_apart(pema):
    codes = pema["pema_codes"]
    v12 = codes[(codes["release"] == "pema_feb22_v1.2") & (codes["resolution"] == 2098)]
    cells = dict(zip(v12["task"], v12["paragraphs"], strict=True))
    assert cells["OffensOper_Security"] == "9, 12b"
    assert cells["UseOfForce"] == "12"
    assert v12.loc[v12["task"] == "UseOfForce", "modality"].isna().all()
    raw = codes[(codes["release"] == "pema_raw_v2") & (codes["resolution"] == 2098)]
    assert not raw["stem"].eq("OffensOper").any()
    assert raw["mission"].eq("MONUSCO").all()


def test_pema_website_cells_are_spelled_out(pema):
    codes = pema["pema_codes"]
    web = codes[codes["release"] == "pema_website_v4"]
    assert web["cell_text"].str.startswith("Mandated in ").all()
    assert not web["inherited"].isna().any()
    assert (web["variable"] == web["variable"].str.lower()).all()
    row = web[(web["resolution"] == 1479) & (web["variable"] == "disarmdemob_assist")].iloc[0]
    assert row["task"] == "DisarmDemob_Assist"  # capitals restored from raw_v2
    assert (row["paragraphs"], row["source_resolution"], row["inherited"]) == ("3", 1479, False)
    inherited = web[web["inherited"]]
    assert (inherited["source_resolution"] != inherited["resolution"]).any()
    others = codes[codes["release"] != "pema_website_v4"]
    assert (others["source_resolution"] == others["resolution"]).all()
    assert (~others["inherited"]).all()


def test_pema_signature_noise_and_mission_spelling(pema):
    meta = pema["pema_resolutions"]
    raw = meta[meta["release"] == "pema_raw_v2"].set_index("resolution")
    assert raw.loc[728, "mission"] == "UNAMIC"  # "S/RES/728 " with a trailing blank
    assert 2410 in raw.index  # "S/RES/2410 (2018)"
    assert raw.loc[717, "date"] == pd.Timestamp("1991-10-16")
    assert "ONUMOZ" in set(meta["mission"]) and "UNOMOZ" not in set(meta["mission"])
    v12 = meta[meta["release"] == "pema_feb22_v1.2"].set_index("resolution")
    assert v12.loc[1990, "date"] == pd.Timestamp("2011-06-27")
    assert v12["mandate_minor_adjustment"].any()
    assert raw["mandate_minor_adjustment"].isna().all()  # raw_v2 has no such column
    assert {"UNOMOZ", "UNCSPG"} <= set(pema["data_issues"]["item"])


# ---------------------------------------------------------------------------- bad input
def test_garbage_xls_names_the_file(data_dir, tmp_path):
    mirror = broken_copy(data_dir, tmp_path, DPA_FILE)
    (mirror / DPA_FILE).write_bytes(b"\xd0\xcf\x11\xe0 not really a workbook" * 20)
    with pytest.raises(SourceError, match=r"origdata\.xls"):
        load_dpa2010(mirror)


def test_dpa_without_a_heading_row_is_an_error(data_dir, monkeypatch):
    sheet = pd.read_excel(data_dir / DPA_FILE, header=None, engine="calamine")
    # a sheet without its "Lead entity" row (writing .xls would need another package)
    monkeypatch.setattr(mandates, "read_excel", lambda path, **kwargs: sheet.drop(index=2))
    with pytest.raises(SourceError, match=r"origdata\.xls: unexpected layout: no row labelled"):
        load_dpa2010(data_dir)


def test_registry_csv_without_header_names_the_file(data_dir, tmp_path):
    rel = REGISTRY_FILES["mission_budgets"]
    mirror = broken_copy(data_dir, tmp_path, rel)
    lines = (mirror / rel).read_text(encoding="utf-8").splitlines(keepends=True)
    (mirror / rel).write_text("".join(lines[1:]), encoding="utf-8")
    with pytest.raises(SourceError, match=r"peacekeeping_mission_budgets\.csv"):
        load_mandate_registry(mirror)


def test_pema_bad_signature_names_the_file(data_dir, tmp_path):
    rel = PEMA_FILES["pema_feb22_v1.2"]
    mirror = broken_copy(data_dir, tmp_path, rel)
    text = (mirror / rel).read_text(encoding="utf-8").replace("S/RES/2098", "resolution 2098")
    (mirror / rel).write_text(text, encoding="utf-8")
    with pytest.raises(SourceError, match=r"pema_feb22_v1\.2_dev\.csv: Signature"):
        load_pema(mirror)


def test_pema_unreadable_date_names_the_file(data_dir, tmp_path):
    rel = PEMA_FILES["pema_raw_v2"]
    mirror = broken_copy(data_dir, tmp_path, rel)
    text = (mirror / rel).read_text(encoding="utf-8").replace("16-Oct-91", "Oct the 16th")
    (mirror / rel).write_text(text, encoding="utf-8")
    with pytest.raises(SourceError, match=r"pema_raw_v2_dev\.csv: unreadable date"):
        load_pema(mirror)


def test_missing_pema_release_is_named(data_dir, tmp_path):
    rel = PEMA_FILES["pema_website_v4"]
    mirror = broken_copy(data_dir, tmp_path, rel)
    (mirror / rel).unlink()
    with pytest.raises(SourceError, match=r"pema_website_v4_dev\.csv: required source file"):
        load_pema(mirror)
