"""Outputs that must not mislead (#12) and messages printed as plain text (#13).

Each test here failed on the code before #12: a carried-forward year shown as if coded, a
termination that did not end the inheritance, an export whose extension lied about its format,
a vote that silently counted members as absent, a wrong year ignored, brackets eaten by markup.
"""

from __future__ import annotations

import json

import pandas as pd
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from peaceops.cli import app
from peaceops.store.queries import mission_mandates

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


# -- carried-forward years --------------------------------------------------------------------


@pytest.mark.issue(12)
def test_issue12_carried_forward_years_say_where_their_codes_come_from(db):
    document = mission_mandates(db, "MINUSMA")
    years = {y["year"]: y for y in document["impartiality"]}
    # S/RES/2295 (2016) to 2584 (2021) have no text: their years rest on S/RES/2227 (2015)
    for year in range(2016, 2022):
        assert years[year]["basis"] == "carried_forward"
        assert years[year]["source_resolution"] == 2227
        assert "carried forward from S/RES/2227" in years[year]["basis_note"]
    assert years[2015]["basis"] == "coded" and years[2022]["basis"] == "coded"
    coverage = document["coverage"]
    # and 2023: S/RES/2690 terminates without text, its tasks carried forward from 2640 (#28)
    assert coverage["carried_forward"] == 7
    assert coverage["carried_forward_years"] == [*range(2016, 2022), 2023]
    assert (
        coverage["years"] == coverage["coded"] + coverage["carried_forward"] + coverage["no_codes"]
    )


@pytest.mark.issue(12)
def test_issue12_inheritance_rows_of_a_textless_renewal_name_their_source(db):
    notes = {
        r["note"]
        for r in db.rows(
            "SELECT note FROM mandate_inheritance WHERE mission = 'MINUSMA' AND resolution = 2295"
        )
    }
    assert notes == {"no text in the data directory: codes carried forward from S/RES/2227"}


@pytest.mark.issue(12)
def test_issue12_show_mandates_marks_carried_years_in_table_and_json(built_db):
    table = run("show", "mission", "MINUSMA", "--mandates", "--db", built_db)
    assert table.exit_code == 0, table.output
    assert "carried forward from S/RES/2227" in table.stdout
    assert "7 on codes carried forward" in table.stdout
    document = json.loads(
        run("show", "mission", "MINUSMA", "--mandates", "--json", "--db", built_db).stdout
    )
    assert document["coverage"]["carried_forward"] == 7


@pytest.mark.issue(12)
def test_issue12_the_exported_series_carries_the_basis(built_db, tmp_path):
    out = tmp_path / "years.parquet"
    result = run("export", "impartiality_mission_year", "-o", out, "--db", built_db)
    assert result.exit_code == 0, result.output
    frame = pq.read_table(out).to_pandas()
    minusma = frame[(frame["mission"] == "MINUSMA") & (frame["year"] == 2018)].iloc[0]
    assert (minusma["basis"], minusma["source_resolution"]) == ("carried_forward", 2227)
    assert set(frame["basis"]) == {"coded", "carried_forward", "no_codes"}


# -- terminations -----------------------------------------------------------------------------


@pytest.mark.issue(28)
def test_issue28_a_termination_without_text_carries_the_tasks_in_force_marked(db):
    """#12 dropped every task at S/RES/2690 (no text); #28: a terminating resolution without
    text never reads as "all tasks dropped": the tasks carry forward, marked so."""
    rows = db.rows(
        "SELECT DISTINCT status, note FROM mandate_inheritance WHERE mission = 'MINUSMA' "
        "AND resolution = 2690"
    )
    assert [r["status"] for r in rows] == ["carried"]
    assert "terminating resolution without text" in rows[0]["note"]
    year = db.rows(
        "SELECT * FROM impartiality_mission_year WHERE mission = 'MINUSMA' AND year = 2023"
    )[0]
    assert (year["resolution"], year["basis"], year["source_resolution"]) == (
        2690, "carried_forward", 2640
    )  # fmt: skip


@pytest.mark.issue(12)
def test_issue12_a_terminating_resolutions_own_codes_and_the_index_agree(db):
    rows = db.rows(
        """
        WITH ends AS (
            SELECT mr.acronym AS mission, mr.number, year(r.date) AS year
            FROM mission_resolutions mr JOIN resolutions r USING (number)
            WHERE mr.role = 'terminate' AND r.has_text
        )
        SELECT e.mission, e.number, y."index" AS year_index, i."index" AS own_index
        FROM ends e
        JOIN impartiality_mission_year y ON y.mission = e.mission AND y.year = e.year
            AND y.resolution = e.number
        JOIN impartiality_resolution i ON i.resolution = e.number
        """
    )
    assert len(rows) >= 10  # e.g. MONUC and S/RES/1925 (2010)
    # since coder v6 a mission's year counts only the codes addressed to it (or to "the
    # Mission"): where the terminating resolution tasks another mission by name (S/RES/1925
    # gives MONUSCO its mandate as MONUC ends), the year's index may differ from the
    # resolution's own; where it tasks no other, they agree
    others = {
        (r["mission"], r["number"])
        for r in db.rows(
            "SELECT DISTINCT mr.acronym AS mission, mr.number FROM mission_resolutions mr "
            "JOIN codes c ON c.resolution = mr.number WHERE c.mission IS NOT NULL "
            "AND c.mission <> split_part(mr.acronym, ' ', 1)"
        )
    }
    alone = [r for r in rows if (r["mission"], r["number"]) not in others]
    assert len(alone) >= 10
    for row in alone:
        assert row["year_index"] == pytest.approx(row["own_index"]), row
    assert ("MONUC", 1925) in others
    monuc = db.rows(
        "SELECT partial_terms, evenhanded_terms FROM impartiality_mission_year "
        "WHERE mission = 'MONUC' AND year = 2010"
    )[0]
    own = db.rows("SELECT * FROM impartiality_resolution WHERE resolution = 1925")[0]
    assert monuc["partial_terms"] <= own["partial_terms"]
    assert monuc["evenhanded_terms"] <= own["evenhanded_terms"]


# -- export -------------------------------------------------------------------------------------


@pytest.mark.issue(12)
@pytest.mark.parametrize("suffix", ["csv", "parquet", "dta"])
def test_issue12_export_takes_its_format_from_the_extension(built_db, tmp_path, suffix):
    out = tmp_path / f"missions.{suffix}"
    result = run("export", "missions", "-o", out, "--db", built_db)
    assert result.exit_code == 0, result.output
    read = {"csv": pd.read_csv, "parquet": pd.read_parquet, "dta": pd.read_stata}[suffix]
    assert "MINUSMA" in set(read(out)["acronym"])


@pytest.mark.issue(12)
@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--format", "csv", "-o", "x.parquet"], "disagrees with the extension"),
        (["--format", "dta", "-o", "x.txt"], "ends in .txt"),
        (["-o", "x.xlsx"], "cannot tell the format"),
        (["--format", "json"], "unknown format"),
    ],
)
def test_issue12_export_refuses_a_format_its_file_name_contradicts(
    built_db, tmp_path, args, needle
):
    args = [str(tmp_path / a) if a.startswith("x.") else a for a in args]
    result = run("export", "missions", *args, "--db", built_db)
    assert result.exit_code == 1
    assert needle in result.stderr
    assert not any(tmp_path.iterdir())


@pytest.mark.issue(12)
def test_issue12_stata_export_has_labels_long_strings_and_daily_dates(built_db, tmp_path):
    out = tmp_path / "resolutions.dta"
    assert run("export", "resolutions", "-o", out, "--db", built_db).exit_code == 0
    with pd.io.stata.StataReader(out) as reader:
        labels = reader.variable_labels()
        frame = reader.read()
    assert all(labels[c] for c in frame.columns), labels  # every variable labelled
    assert all(len(label) <= 80 for label in labels.values())
    assert "adopt" in labels["date"].lower()
    assert str(frame["date"].dtype).startswith("datetime64")  # a %td date, not a string
    assert frame.loc[frame["number"] == 2098, "date"].iloc[0] == pd.Timestamp("2013-03-28")
    assert len(frame.loc[frame["number"] == 2098, "text"].iloc[0]) > 2045  # strL


# -- vote, show, status, sql ----------------------------------------------------------------------


@pytest.mark.issue(12)
def test_issue12_vote_lists_the_members_who_cast_no_vote(built_db):
    result = run(
        "vote", "--date", "2011-10-04", "--yes", "FRA,GBR,USA,DEU,PRT,COL,NGA,GAB,BIH",
        "--no", "CHN,RUS", "--db", built_db, "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["outcome"] == "vetoed"
    assert document["not_voting"] == ["BRA", "IND", "LBN", "ZAF"]


@pytest.mark.issue(12)
def test_issue12_vote_refuses_a_state_not_on_the_council(built_db):
    result = run("vote", "--date", "2023-03-01", "--yes", "DEU", "--db", built_db)
    assert result.exit_code == 1
    assert "DEU not on the Council on 2023-03-01" in result.stderr


@pytest.mark.issue(12)
def test_issue12_a_wrong_year_is_an_error(built_db):
    result = run("show", "resolution", "2098 (2012)", "--db", built_db)
    assert result.exit_code == 1
    assert "adopted in 2013, not 2012" in result.stderr
    assert run("show", "resolution", "S/RES/2098 (2013)", "--db", built_db).exit_code == 0


@pytest.mark.issue(12)
def test_issue12_status_names_unsegmentable_texts_as_resolutions(built_db):
    result = run("status", "--db", built_db)
    assert "texts not segmentable: S/RES/277 (" in result.stdout


@pytest.mark.issue(12)
def test_issue12_sql_prints_dates_as_dates(built_db):
    result = run("sql", "SELECT date FROM resolutions WHERE number = 2098", "--db", built_db)
    assert "2013-03-28" in result.stdout
    assert "00:00:00" not in result.stdout


# -- plain-text messages (#13) ----------------------------------------------------------------


@pytest.mark.issue(13)
@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["show", "mission", "[/x]"], "'[/x]'"),
        (["vote", "--date", "2011-10-04", "--yes", "[/]"], "'[/]'"),
        (["export", "[bold]no[/bold]"], "'[bold]no[/bold]'"),
        (["sql", 'SELECT * FROM "[no]"'], "[no]"),
    ],
)
def test_issue13_messages_keep_their_brackets_and_never_crash(built_db, args, needle):
    result = run(*args, "--db", built_db)
    assert result.exit_code == 1, result.output
    assert needle in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_bug_is_not_dressed_up_as_a_user_error(built_db, monkeypatch):
    from peaceops.store import queries

    def broken(db, ref):
        raise KeyError("a bug")

    monkeypatch.setattr(queries, "resolution", broken)
    result = run("show", "resolution", "2098", "--db", built_db)
    assert result.exit_code == 1
    assert isinstance(result.exception, KeyError)  # surfaces with its traceback


def test_every_error_class_is_a_peaceops_error_and_none_a_valueerror():
    import inspect

    from peaceops import errors

    classes = [
        c for _, c in inspect.getmembers(errors, inspect.isclass) if c.__module__ == errors.__name__
    ]
    assert len(classes) == len(errors.__all__)
    for cls in classes:
        assert issubclass(cls, errors.PeaceopsError)
        assert not issubclass(cls, ValueError | LookupError), cls


def test_json_documents_are_unchanged_by_the_restructuring(built_db):
    """The documented fields of the JSON documents are still there (docs/cli.md)."""
    doc = json.loads(run("show", "mission", "MINUSMA", "--json", "--db", built_db).stdout)
    assert {"acronym", "name", "type", "host_iso3", "resolutions", "events"} <= set(doc)
