"""The Council report and its document (``store.council.council``), on the real data.

Expected values are computed here with direct SQL on the tables (or taken from the data
README), never with the functions under test.
"""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from peaceops.cli import app
from peaceops.errors import UsageError
from peaceops.report import council_report
from peaceops.store.council import council

runner = CliRunner()

#: The vetoed drafts that sc_voting.xlsx also lists as a second, adopted set of 15 votes
#: without a resolution (../shared/data/README.md, "Known quirks").
SPURIOUS_SETS = ("S/1995/394", "S/1996/952", "S/1997/18", "S/1997/199", "S/1997/241", "S/1999/201")


@pytest.fixture(scope="module")
def document(db) -> dict:
    return council(db)


@pytest.fixture(scope="module")
def html(db) -> str:
    return council_report(db)


def _count(db, sql: str, params: list | None = None) -> int:
    return int(db.scalar(sql, params) or 0)


def test_the_fragmentation_series_is_the_stored_table(db, document):
    assert len(document["fragmentation"]) == _count(db, "SELECT count(*) FROM fragmentation_year")
    scopes = [r[0] for r in db.tuples("SELECT DISTINCT scope FROM fragmentation_year")]
    assert sorted(document["scopes"]) == sorted(scopes) and document["scopes"][0] == "all"
    stored = {(r["year"], r["scope"]): r for r in db.rows("SELECT * FROM fragmentation_year")}
    for row in document["fragmentation"]:
        expected = stored[(row["year"], row["scope"])]
        for column in ("drafts", "adopted", "vetoed", "non_unanimous", "vetoes_rus", "vetoes_sun"):
            assert row[column] == expected[column], (row["year"], column)
        assert row["unanimity_share"] == pytest.approx(expected["unanimity_share"])
    assert document["years"] == {"from": 1946, "to": 2025, "first": 1946, "last": 2025}


def test_the_vetoes_of_2022_are_those_of_the_veto_list_then_of_the_votes(db):
    document = council(db, 2022, 2022)
    listed = _count(db, "SELECT count(*) FROM vetoes WHERE year(date) = 2022")
    later = _count(
        db,
        "SELECT count(DISTINCT draft_label) FROM drafts WHERE outcome = 'vetoed' "
        "AND year(date) = 2022 AND date > (SELECT max(date) FROM vetoes)",
    )
    assert listed == 3 and later == 1  # the list ends in July 2022; Russia vetoed in September
    sources = [v["source"] for v in document["vetoes"]]
    assert sources.count("veto list") == listed and sources.count("sc_voting.xlsx") == later
    assert all(v["date"].startswith("2022-") for v in document["vetoes"])
    assert document["veto_check"] == [{"year": 2022, "series": 4, "veto_list": 3, "record": 4}]
    topics = _count(db, "SELECT sum(vetoes) FROM vetoes_topic_year WHERE year = 2022")
    assert sum(r["vetoes"] for r in document["vetoes_by_topic"]) == topics


def test_member_votes_match_the_vote_records(db):
    document = council(db, 2022, 2022)
    rows = {r["member_iso3"]: r for r in document["member_years"]}
    ballots = _count(
        db,
        "SELECT count(*) FROM (SELECT DISTINCT draft_label, meeting, date, resolution, "
        "outcome_label FROM member_votes WHERE year(date) = 2022)",
    )
    assert document["ballots"][0]["ballots"] == ballots
    members = [r[0] for r in db.tuples("SELECT member_iso3 FROM council_members WHERE year = 2022")]
    assert sorted(rows) == sorted(members) and len(rows) == 15
    for member in members:
        votes = dict(
            db.tuples(
                "SELECT vote, count(*) FROM member_votes WHERE year(date) = 2022 "
                "AND member_iso3 = ? GROUP BY vote",
                [member],
            )
        )
        row = rows[member]
        assert (row["yes"], row["no"], row["abstain"]) == (
            votes.get("yes", 0),
            votes.get("no", 0),
            votes.get("abstain", 0),
        ), member
        assert row["not_voting"] == ballots - sum(votes.values())
        assert row["on_council"] is True
    russia = rows["RUS"]
    assert russia["non_yes_share"] == pytest.approx(
        (russia["no"] + russia["abstain"] + russia["not_voting"]) / ballots, abs=1e-4
    )


def test_only_the_spurious_duplicate_sets_are_left_out(db, document):
    total = _count(db, "SELECT count(*) FROM member_votes")
    assert sum(b["records"] for b in document["ballots"]) == total - 15 * len(SPURIOUS_SETS)
    dropped = sum(i["count"] for i in document["data_issues"] if i["issue"] == "duplicate_dropped")
    assert dropped == len(SPURIOUS_SETS)


def test_membership_is_known_only_where_the_file_lists_it(document):
    by_key = {(r["year"], r["member_iso3"]): r for r in document["member_years"]}
    assert sum(r["on_council"] is True for r in document["member_years"] if r["year"] == 2023) == 15
    assert by_key[(2025, "RUS")]["on_council"] is True  # permanent: every year
    assert by_key[(2025, "DZA")]["on_council"] is None  # elected, membership file ends 2023
    assert by_key[(2025, "DZA")]["not_voting"] is None
    assert by_key[(1995, "AGO")]["on_council"] is False  # a vote record of a non-member
    assert document["coverage"]["membership"] == {
        "first": 1992, "last": 2023, "file_first": 1992, "file_last": 2023
    }  # fmt: skip


def test_contradicting_records_of_1995_are_counted(db):
    document = council(db, 1995, 1995)
    issues = {i["issue"]: i["count"] for i in document["data_issues"]}
    outside = _count(
        db,
        "SELECT count(*) FROM member_votes m WHERE year(date) = 1995 "
        "AND member_iso3 NOT IN ('CHN', 'FRA', 'GBR', 'RUS', 'USA') AND member_iso3 NOT IN "
        "(SELECT member_iso3 FROM council_members WHERE year = 1995) "
        "AND NOT (draft_label = 'S/1995/394' AND outcome_label = 'Adopted unanimously')",
    )
    contradicting = _count(
        db,
        "SELECT count(*) FROM member_votes WHERE year(date) = 1995 AND vote <> 'yes' "
        "AND outcome_label IN ('Adopted unanimously', 'Adopted by consensus', "
        "'Adopted by acclamation') "
        "AND NOT (draft_label = 'S/1995/394' AND outcome_label = 'Adopted unanimously')",
    )
    assert issues["outside_membership"] == outside > 400
    assert issues["contradicts_outcome"] == contradicting > 100
    assert issues["duplicate_dropped"] == 1


def test_the_year_filter_keeps_only_the_years_asked_for(db):
    document = council(db, 2011, 2015)
    assert document["years"]["from"] == 2011 and document["years"]["to"] == 2015
    expected = _count(
        db, "SELECT count(*) FROM fragmentation_year WHERE year BETWEEN 2011 AND 2015"
    )
    assert len(document["fragmentation"]) == expected
    for part in ("fragmentation", "member_years", "vetoes_by_topic", "ballots", "veto_check"):
        assert {r["year"] for r in document[part]} <= set(range(2011, 2016)), part
    assert {v["date"][:4] for v in document["vetoes"]} <= {str(y) for y in range(2011, 2016)}
    listed = _count(db, "SELECT count(*) FROM vetoes WHERE year(date) BETWEEN 2011 AND 2015")
    assert len(document["vetoes"]) == listed
    assert council(db, year_from=2024)["years"]["to"] == 2025
    assert council(db, year_to=1950)["years"]["from"] == 1946


@pytest.mark.parametrize(
    ("year_from", "year_to", "message"),
    [
        (2020, 2010, "give the earlier year first"),
        (1900, None, "outside the Council data"),
        (None, 2100, "outside the Council data"),
        (1800, 1801, "outside the Council data"),
        ("2010", None, "whole year"),
        (True, None, "whole year"),
    ],
)
def test_bad_year_ranges_are_usage_errors(db, year_from, year_to, message):
    with pytest.raises(UsageError, match=message):
        council(db, year_from, year_to)


def test_the_document_is_strict_json(document):
    text = json.dumps(document, allow_nan=False)
    assert "NaN" not in text
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", v["date"]) for v in document["vetoes"])
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", document["built_at"])


def test_the_report_is_self_contained(html):
    assert html.startswith("<!doctype html>")
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html)  # nothing fetched
    assert re.findall(r"<link[^>]*>", html) == ['<link rel="icon" href="data:,">']  # no fetch
    assert "<script" not in html.lower() and "@import" not in html
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", html)


def test_every_figure_is_followed_by_its_numbers(html):
    figures = re.findall(r"<figure\b.*?</figure>\s*(<details>)?", html, flags=re.DOTALL)
    assert len(figures) == html.count("<svg") == 3
    assert all(following == "<details>" for following in figures)
    assert "the numbers behind the figure" in html


def _words(text: str) -> str:
    return " ".join(text.split())


def test_the_report_says_what_the_records_cannot_tell(db, html):
    words = _words(html)
    assert "In 1995, 1997, 1999, 2001, 2006, 2018, 2020, 2021 the vote records contradict" in words
    assert "1995 above all" in words
    assert "hatched: a quarter or more" in words  # the heat map's legend
    assert "The veto list [4] ends on 2022-07-08" in re.sub(r"<[^>]+>", "", words)
    assert "the records end there, so 2025 is a part year" in words
    adopted, tallied = db.tuples(
        "SELECT count(*), count(yes) FROM meeting_decisions WHERE year = 1946 "
        "AND kind IN ('resolution', 'draft') AND outcome = 'adopted'"
    )[0]
    assert tallied < adopted and f"1946: {tallied} of {adopted}" in words  # share on part only


def test_every_source_is_numbered_and_cited(html, document):
    sources = re.findall(r'<li id="src-(\d+)">', html)
    assert [int(n) for n in sources] == list(range(1, len(document["sources"]) + 1))
    cited = {int(n) for n in re.findall(r'<a href="#src-(\d+)">', html)}
    assert cited == set(range(1, len(sources) + 1))
    for path in ("votes/sc_voting.xlsx", "meetings/html", "council/council_membership.csv"):
        assert path in html
    assert re.search(r"<footer>.*peaceops \d", html, flags=re.DOTALL)


def test_a_range_without_member_votes_says_so(db):
    words = _words(council_report(db, 1950, 1960))
    assert "No per-member votes fall in 1950&ndash;1960" in words
    assert words.count("<svg") == 2  # fragmentation and vetoes by topic


def test_the_same_range_gives_the_same_bytes(db):
    assert council_report(db, 2020, 2022) == council_report(db, 2020, 2022)


def test_report_council_command_writes_and_refuses_to_overwrite(built_db, tmp_path):
    out = tmp_path / "council.html"
    args = ["report", "council", "-o", str(out), "--from", "2015", "--to", "2020"]
    args += ["--db", str(built_db)]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!doctype html>") and "The Security Council, 2015&ndash;2020" in text
    again = runner.invoke(app, args)
    assert again.exit_code == 1 and "--force" in again.stderr
    assert out.read_text(encoding="utf-8") == text
    assert runner.invoke(app, [*args, "--force"]).exit_code == 0


def test_report_council_command_refuses_a_backward_range(built_db, tmp_path):
    out = tmp_path / "council.html"
    args = ["report", "council", "-o", str(out), "--from", "2020", "--to", "2010"]
    result = runner.invoke(app, [*args, "--db", str(built_db)])
    assert result.exit_code == 1 and "earlier year first" in result.stderr
    assert not out.exists()


def test_reports_go_to_out_by_default_and_an_existing_one_is_refused_first(
    built_db, tmp_path, monkeypatch
):
    """#30: no -o writes out/council.html (never the working folder); a second run is refused
    before the report is computed (a store path that does not exist would fail otherwise)."""
    monkeypatch.chdir(tmp_path)
    first = runner.invoke(app, ["report", "council", "--db", str(built_db)])
    assert first.exit_code == 0, first.output
    assert (tmp_path / "out" / "council.html").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
    again = runner.invoke(app, ["report", "council", "--db", str(tmp_path / "nowhere.duckdb")])
    assert again.exit_code == 1 and "--force" in again.stderr
