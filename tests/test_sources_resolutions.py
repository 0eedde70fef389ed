import shutil

import pytest

from peaceops.sources import SourceError
from peaceops.sources.base import decode_text
from peaceops.sources.resolutions import (
    adoption_date,
    load_resolution_dates,
    load_resolution_texts,
)


@pytest.fixture(scope="module")
def texts(data_dir):
    return load_resolution_texts(data_dir)


def test_every_pvs_text_is_read_once(texts):
    frame = texts["resolution_texts"]
    pvs = frame[frame["text_source"] == "pvs-texts"]
    assert len(pvs) == 2259
    assert sorted(pvs["number"]) == list(range(1, 2260))
    assert frame["preferred"].sum() == frame["number"].nunique() == 2259 + 38


def test_gold_text_is_preferred_where_it_exists(texts):
    frame = texts["resolution_texts"].set_index(["number", "text_source"])
    preferred = texts["resolution_texts"].query("preferred").set_index("number")["text_source"]
    assert preferred[500] == "cr-unsc-gold"
    assert preferred[1445] == "cr-unsc-gold"
    assert preferred[1000] == "pvs-texts"
    assert preferred[2640] == "unbench-draft"
    assert frame.loc[(500, "cr-unsc-gold"), "text"].startswith("Resolution 500 (1982)")


def test_mixed_encodings_decode_without_mojibake(texts):
    frame = texts["resolution_texts"].query("preferred").set_index("number")
    assert "Côte d'Ivoire" in frame.loc[1528, "text"]
    assert "Forces Démocratiques" in frame.loc[2098, "text"]
    assert frame["text"].str.contains("Séléka").any()
    assert not frame["text"].str.contains("Ã©|Ã´|\ufffd").any()
    assert not frame.loc[193, "text"].startswith("\ufeff")  # BOM removed
    assert set(frame["encoding"]) == {"ascii", "utf-8", "cp1252"}


def test_decode_text_falls_back_to_cp1252():
    assert decode_text("Séléka".encode("cp1252")) == ("Séléka", "cp1252")
    assert decode_text("\ufeffSéléka".encode()) == ("Séléka", "utf-8")
    assert decode_text(b"plain") == ("plain", "ascii")


def test_files_that_disagree_on_the_year_are_flagged_not_dropped(texts):
    issues = texts["data_issues"]
    assert {i.split(" ")[0] for i in issues["item"]} >= {"S/RES/231", "S/RES/376"}


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ("Adopted by the Security Council at its 6943rd meeting, on 28 March 2013", "2013-03-28"),
        ("Resolution 500 (1982)\nof 28 January 1982\n", "1982-01-28"),
        ("The Security Council,\nRecalling", None),
    ],
)
def test_adoption_date_is_read_from_the_heading(head, expected):
    found = adoption_date(head)
    assert (found.isoformat() if found else None) == expected


def test_dates_cover_all_but_the_undated_2014_block(data_dir):
    tables = load_resolution_dates(data_dir)
    dates = tables["resolution_dates"]
    assert len(dates) == 2259
    undated = dates[dates["date"].isna()]["number"].tolist()
    assert undated == list(range(2179, 2196))
    assert len(tables["data_issues"]) == len(undated)


def test_texts_dropped_into_the_data_dir_are_accepted(data_dir, tmp_path):
    for folder in ("texts", "cr-unsc-gold", "texts-post2015"):
        (tmp_path / "resolutions" / folder).mkdir(parents=True)
    shutil.copy(data_dir / "resolutions/texts/S-RES-2098(2013).txt", tmp_path / "resolutions/texts")
    (tmp_path / "resolutions/texts/S-RES-2690(2023).txt").write_bytes(
        "The Security Council,\nDecides to terminate the mandate of MINUSMA, Côte".encode("cp1252")
    )
    frame = load_resolution_texts(tmp_path)["resolution_texts"].set_index("number")
    assert frame.loc[2690, "year"] == 2023
    assert frame.loc[2690, "text"].endswith("Côte")
    assert frame.loc[2690, "text_source"] == "pvs-texts"


def test_an_empty_text_file_is_an_error_naming_it(tmp_path):
    for folder in ("texts", "cr-unsc-gold", "texts-post2015"):
        (tmp_path / "resolutions" / folder).mkdir(parents=True)
    (tmp_path / "resolutions/texts/S-RES-5(1946).txt").write_bytes(b"  \n")
    with pytest.raises(SourceError, match=r"S-RES-5\(1946\)\.txt.*empty"):
        load_resolution_texts(tmp_path)
