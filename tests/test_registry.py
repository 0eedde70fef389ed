"""The curated registry: valid, cited, and consistent with the raw data."""

import shutil

import pandas as pd
import pytest

from peaceops.registry import RegistryError, load_registry, registry_dir
from peaceops.sources.missions import load_pko_list


@pytest.fixture(scope="module")
def registry():
    return load_registry()


def test_every_row_of_every_file_has_a_citation(registry):
    for name in ("missions", "mission_resolutions", "actors", "partner_presence", "events"):
        frame = registry[name]
        assert len(frame) > 0, name
        assert frame["citation"].str.strip().str.len().gt(3).all(), name


def test_every_operation_in_the_un_list_is_a_registered_pko(registry, data_dir):
    un_list = load_pko_list(data_dir)["un_pko_list"]
    missions = registry["missions"].set_index("acronym")
    assert set(un_list["acronym"]) <= set(missions.index)
    assert (missions.loc[list(un_list["acronym"]), "type"] == "pko").all()
    assert (missions["type"] == "pko").sum() >= 80


def test_registered_pko_dates_follow_the_un_list_or_its_known_corrections(registry, data_dir):
    un_list = load_pko_list(data_dir)["un_pko_list"].set_index("acronym")
    missions = registry["missions"].set_index("acronym")
    starts = missions.loc[un_list.index, "start"]
    assert (starts == un_list["start"]).mean() > 0.95
    assert missions.loc["MINUSMA", "end"].isoformat() == "2023-12-31"


@pytest.mark.parametrize(
    "acronym",
    [
        "UNAMA",
        "UNAMI",
        "UNSOM",
        "UNOWAS",
        "BINUB",
        "BINUCA",
        "UNIOGBIS",
        "UNIPSIL",
        "UNSMIL",
        "UNITAMS",
        "UNVMC",
        "UNMHA",
    ],
)
def test_special_political_missions_are_registered(registry, acronym):
    missions = registry["missions"].set_index("acronym")
    assert missions.loc[acronym, "type"] == "spm"


def test_at_least_twenty_special_political_missions(registry):
    assert (registry["missions"]["type"] == "spm").sum() >= 20


@pytest.mark.parametrize(
    ("before", "after"), [("MONUC", "MONUSCO"), ("AFISMA", "MINUSMA"), ("MISCA", "MINUSCA")]
)
def test_predecessor_links(registry, before, after):
    missions = registry["missions"].set_index("acronym")
    assert missions.loc[after, "predecessor"] == before
    assert missions.loc[before, "successor"] == after


@pytest.mark.parametrize(
    ("acronym", "number", "role"),
    [
        ("MINUSMA", 2100, "establish"),
        ("MINUSMA", 2690, "terminate"),
        ("MONUSCO", 1925, "establish"),
        ("MONUSCO", 2098, "change"),
        ("MINUSCA", 2149, "establish"),
        ("UNMISS", 1996, "establish"),
        ("UNMISS", 2132, "change"),
        ("UNMISS", 2155, "change"),
        ("UNAMA", 1401, "establish"),
        ("UNAMSIL", 1270, "establish"),
    ],
)
def test_resolutions_the_paper_names(registry, acronym, number, role):
    rows = registry["mission_resolutions"].query("acronym == @acronym and number == @number")
    assert rows["role"].tolist() == [role]


def test_minusma_renewals_are_complete(registry):
    numbers = set(registry["mission_resolutions"].query("acronym == 'MINUSMA'")["number"])
    assert {2100, 2164, 2227, 2295, 2364, 2423, 2480, 2531, 2584, 2640, 2690} <= numbers


def test_registry_resolutions_exist_with_the_right_year(registry, db):
    known = db.execute("SELECT number, year FROM resolutions")
    merged = registry["mission_resolutions"].merge(known, on="number", how="left",
                                                   suffixes=("", "_kb"))  # fmt: skip
    # Resolutions after the data's coverage (votes end in May 2025) are cited from UN press
    # releases and the Mandate Registry; everything before must be in the knowledge base.
    last_known = int(known["number"].max())
    unknown = merged[merged["year_kb"].isna()]
    assert (unknown["number"] > last_known).all(), unknown[["acronym", "number"]].to_string()
    assert (unknown["year"] >= 2025).all()
    wrong = merged[merged["year_kb"].notna() & (merged["year"] != merged["year_kb"])]
    assert wrong.empty, wrong[["acronym", "number", "year", "year_kb"]].to_string()


def test_registry_resolutions_with_text_name_their_mission(registry, db):
    texts = db.execute("SELECT number, text FROM resolutions WHERE has_text")
    missions = registry["missions"].set_index("acronym")
    rows = registry["mission_resolutions"].merge(texts, on="number")
    assert len(rows) > 300

    def names_mission(row: pd.Series) -> bool:
        text = " ".join(row["text"].split()).lower()
        name = " ".join(missions.loc[row["acronym"], "name"].split()).lower()
        return row["acronym"].lower() in text or name in text

    # Early resolutions often create a force without naming it ("a United Nations
    # peace-keeping force", UNFICYP in 186 (1964)); from 2005 every one names its mission.
    misses = rows[~rows.apply(names_mission, axis=1)]
    assert (misses["year"] < 2005).all(), misses[["acronym", "number"]].to_string()
    assert len(misses) / len(rows) < 0.15


@pytest.mark.parametrize(
    ("number", "date"),
    [
        (1265, "1999-09-17"),
        (1270, "1999-10-22"),
        (2098, "2013-03-28"),
        (2100, "2013-04-25"),
        (2132, "2013-12-24"),
        (2149, "2014-04-10"),
        (1996, "2011-07-08"),
        (1925, "2010-05-28"),
        (2155, "2014-05-27"),
        (1401, "2002-03-28"),
        (2690, "2023-06-30"),
    ],
)
def test_resolutions_the_paper_names_have_the_right_dates(db, number, date):
    assert db.scalar("SELECT date FROM resolutions WHERE number = ?", [number]).isoformat() == date


def test_armed_group_aliases_match_the_text_of_2098(registry, db):
    text = db.scalar("SELECT text FROM resolutions WHERE number = 2098")
    aliases = registry["actor_aliases"]
    found = set(aliases[aliases["alias"].map(lambda a: a in text)]["actor_id"])
    assert {"m23", "fdlr", "adf", "lra"} <= found


def test_alternative_partners_have_presence(registry):
    actors = registry["actors"].set_index("actor_id")
    presence = registry["partner_presence"]
    assert actors.loc["wagner", "kind"] == "alternative_partner"
    assert {"MLI", "CAF"} <= set(presence.query("actor_id == 'wagner'")["iso3"])


@pytest.mark.parametrize(
    ("mission", "kind", "month"),
    [
        ("MINUSMA", "withdrawal_request", "2023-06"),
        ("MONUSCO", "protest", "2022-07"),
        ("MONUSCO", "talks_exit", None),
        ("MINUSMA", "expulsion", "2022-07"),
        ("MINUSMA", "mandate_termination", "2023-06"),
        ("UNAMA", "regime_change", "2021-08"),
    ],
)
def test_causal_chain_events(registry, mission, kind, month):
    events = registry["events"].query("mission == @mission and type == @kind")
    assert not events.empty
    if month:
        assert month in {d.isoformat()[:7] for d in events["date"]}


def test_events_cover_the_missions_of_the_paper(registry):
    missions = set(registry["events"]["mission"])
    assert {"MINUSMA", "MONUSCO", "MINUSCA", "UNMISS", "UNAMID", "MINURCAT", "UNMEE",
            "UNAMA"} <= missions  # fmt: skip


def _broken_copy(tmp_path, file, edit):
    folder = tmp_path / "registry"
    shutil.copytree(registry_dir(), folder)
    path = folder / file
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    changed = edit(frame)  # an edit changes the frame in place or returns a new one
    (frame if changed is None else changed).to_csv(path, index=False)
    return folder


def _set(column, value, row=0):
    def edit(frame):
        frame.loc[row, column] = value

    return edit


def _drop(row):
    def edit(frame):
        return frame.drop(index=row)

    return edit


@pytest.mark.parametrize(
    ("file", "edit", "message"),
    [
        ("missions.csv", _set("citation", ""), r"row 2: column 'citation' is empty"),
        ("missions.csv", _set("type", "army"), r"row 2: type='army' is not one of"),
        ("missions.csv", _set("host_iso3", "Mali"), r"row 2: host_iso3 has codes that are not"),
        ("missions.csv", _set("start", "2013-13-01"), r"row 2: start='2013-13-01' is not a date"),
        ("missions.csv", _set("predecessor", "NOPE"), r"row 2: predecessor 'NOPE' is not a"),
        ("missions.csv", _set("acronym", "MINUSMA", row=1), r"duplicate acronym"),
        ("mission_resolutions.csv", _set("role", "maybe"), r"role='maybe' is not one of"),
        ("mission_resolutions.csv", _set("acronym", "NOPE"), r"mission 'NOPE' is not in"),
        ("mission_resolutions.csv", _set("number", "12a"), r"number must be a whole number"),
        ("actors.csv", _set("actor_id", "Bad Id"), r"must be a lowercase slug"),
        ("events.csv", _set("actor_id", "nobody"), r"actor_id 'nobody' is not in actors.csv"),
        ("events.csv", _set("mission", "NOPE"), r"mission 'NOPE' is not in missions.csv"),
        ("events.csv", _set("date_precision", "week"), r"date_precision='week' is not one of"),
        ("partner_presence.csv", _set("actor_id", "nobody"), r"actor_id 'nobody' is not in"),
        ("mission_ends.csv", _set("outcome", "vanished"), r"row 2: outcome='vanished' is not"),
        ("mission_ends.csv", _set("end_date", ""), r"row 2: an active mission has no end_date"),
        ("mission_ends.csv", _set("outcome", "active"), r"row 2: an active mission has no"),
        ("mission_ends.csv", _set("successor", "NOPE"), r"row 2: successor 'NOPE' is not a"),
        ("mission_ends.csv", _set("successor", "UNTSO"), r"row 2: a successor is the mission"),
        ("mission_ends.csv", _set("host_request_date", "1900-01-01"), r"row 2: .* before the"),
        ("mission_ends.csv", _set("host_request_date", "1999-01-01"), r"row 2: .* after end_"),
        ("mission_ends.csv", _set("citation", ""), r"row 2: column 'citation' is empty"),
        ("mission_ends.csv", _set("acronym", "UNTSO"), r"duplicate acronym"),
        ("mission_ends.csv", _drop(0), r"missions without a row: UNSCOB"),
        ("mission_ends.csv", _set("withdrawal_completed", "1999-13-01"), r"row 2: withdrawal_"),
        ("mission_ends.csv", _set("withdrawal_completed", "1990-01-01", row=1), r"row 3: .* needs"),
    ],
)  # fmt: skip
def test_bad_registry_rows_are_named(tmp_path, file, edit, message):
    folder = _broken_copy(tmp_path, file, edit)
    with pytest.raises(RegistryError, match=message) as info:
        load_registry(folder)
    assert file in str(info.value)


@pytest.mark.issue(28)
def test_end_registry_review_loads_with_its_two_end_dates_and_recoded_events(registry):
    ends = registry["mission_ends"].set_index("acronym")
    minusma = ends.loc["MINUSMA"]
    assert (minusma["end_date"].isoformat(), minusma["withdrawal_completed"].isoformat()) == (
        "2023-06-30",
        "2023-12-31",
    )
    # the forecast's event: no transition row carries a request it would read as a forced exit
    assert pd.isna(ends.loc["UNAMID", "host_request_date"])
    assert ends.loc["UNAMIR", "host_request_date"].isoformat() == "1995-08-13"
    assert ends["uncertain"].notna().sum() == 7
    types = registry["events"].set_index("event_id")["type"]
    assert types["monusco-2021-11-m23-resurgence"] == "hostilities_resumed"
    assert types["monusco-2023-11-disengagement-plan"] == "withdrawal_plan"


def test_missing_registry_file(tmp_path):
    folder = tmp_path / "registry"
    shutil.copytree(registry_dir(), folder)
    (folder / "events.csv").unlink()
    with pytest.raises(RegistryError, match=r"events\.csv.*missing"):
        load_registry(folder)
