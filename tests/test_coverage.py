"""Text coverage, loudly (#17): which resolutions have text, per year and per mission.

Every expectation is computed here with independent SQL on the knowledge base built from the
real data, then compared with ``store.queries.text_coverage``, ``peaceops status`` (plain and
``--json``), the mission report and the web explorer's mission page.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from peaceops.cli import app
from peaceops.errors import NotFound
from peaceops.jsonable import to_json
from peaceops.report import mission_report
from peaceops.store.queries import mission_text_coverage, status, text_coverage

pytestmark = pytest.mark.issue(17)

runner = CliRunner()

_MANDATING = (  # each mission's confirmed mandate history (#28)
    "SELECT mr.number, coalesce(r.year, mr.year) AS year, coalesce(r.has_text, false) AS text "
    "FROM mandate_history mr LEFT JOIN resolutions r USING (number) "
    "WHERE mr.acronym = ? AND mr.confirmed ORDER BY mr.number"
)


@pytest.fixture(scope="module")
def coverage(db) -> dict:
    return text_coverage(db)


def _mission(coverage: dict, acronym: str) -> dict:
    (entry,) = [m for m in coverage["by_mission"] if m["mission"] == acronym]
    return entry


def _words(text: str) -> str:
    return " ".join(text.split())


def test_by_year_counts_every_resolution_of_every_year(db, coverage):
    expected = db.tuples(
        "SELECT year, count(*), count(*) FILTER (WHERE has_text) FROM resolutions "
        "GROUP BY year ORDER BY year"
    )
    got = [(y["year"], y["resolutions"], y["with_text"]) for y in coverage["by_year"]]
    assert got == [tuple(row) for row in expected]
    assert sum(y["resolutions"] for y in coverage["by_year"]) == db.scalar(
        "SELECT count(*) FROM resolutions"
    )
    for y in coverage["by_year"]:
        assert 0.0 <= y["share"] <= 1.0
        assert y["share"] == pytest.approx(y["with_text"] / y["resolutions"], abs=1e-4)


def test_years_without_any_text_are_kept_with_share_zero(db, coverage):
    textless = [
        row[0]
        for row in db.tuples(
            "SELECT year FROM resolutions GROUP BY year HAVING NOT bool_or(has_text) ORDER BY 1"
        )
    ]
    assert textless, "the real data has years after the texts end (e.g. 2025)"
    shares = {y["year"]: y["share"] for y in coverage["by_year"]}
    for year in textless:
        assert shares[year] == 0.0
    assert shares[2010] == 1.0  # texts run to S/RES/2259 (2015)


def test_every_registry_mission_is_listed_sorted_by_acronym(db, coverage):
    acronyms = [m["mission"] for m in coverage["by_mission"]]
    assert acronyms == sorted(row[0] for row in db.tuples("SELECT acronym FROM missions"))
    for m in coverage["by_mission"]:
        assert m["with_text"] + len(m["missing"]) == m["mandating"]
        assert m["share"] is None if m["mandating"] == 0 else 0.0 <= m["share"] <= 1.0


def test_minusma_lists_its_mandating_resolutions_after_2015_without_text(db, coverage):
    rows = db.rows(_MANDATING, ["MINUSMA"])
    missing = [r["number"] for r in rows if not r["text"]]
    entry = _mission(coverage, "MINUSMA")
    assert entry["missing"] == missing
    assert {2295, 2690} <= set(missing) and 2100 not in missing
    assert all(r["year"] > 2015 for r in rows if not r["text"])
    assert entry["mandating"] == len(rows) == 12
    assert entry["with_text"] == len(rows) - len(missing)
    assert entry["share"] == pytest.approx(entry["with_text"] / len(rows), abs=1e-4)
    assert entry["last_text_year"] == max(r["year"] for r in rows if r["text"])
    assert entry["last_mandate_year"] == 2023
    assert mission_text_coverage(db, "minusma") == entry


def test_missions_with_every_text_have_share_one_and_nothing_missing(db, coverage):
    complete = {
        row[0]
        for row in db.tuples(
            "SELECT mr.acronym FROM mandate_history mr LEFT JOIN resolutions r "
            "USING (number) WHERE mr.confirmed GROUP BY mr.acronym "
            "HAVING bool_and(coalesce(r.has_text, false))"
        )
    }
    assert "UNMIS" in complete
    for m in coverage["by_mission"]:
        if m["mission"] in complete:
            assert (m["share"], m["missing"]) == (1.0, [])
            assert m["last_text_year"] == m["last_mandate_year"]
        elif m["mandating"]:
            assert m["share"] < 1.0 and m["missing"]


def test_mandating_resolutions_unknown_to_the_store_count_as_missing(db, coverage):
    unknown = db.tuples(
        "SELECT acronym, number FROM mission_resolutions "
        "WHERE number NOT IN (SELECT number FROM resolutions)"
    )
    assert unknown, "the registry cites resolutions newer than the votes (e.g. 2800)"
    for acronym, number in unknown:
        assert number in _mission(coverage, acronym)["missing"]


def test_unknown_mission_is_a_clear_error(db):
    with pytest.raises(NotFound, match="MINUSMAA"):
        mission_text_coverage(db, "MINUSMAA")


def test_status_keeps_its_keys_and_adds_the_coverage(db, coverage):
    document = status(db)
    assert {"resolutions", "votes", "missions", "coding", "tables"} <= set(document)
    assert document["coverage"] == coverage


def test_status_json_has_the_full_coverage(built_db, coverage):
    result = runner.invoke(app, ["status", "--db", str(built_db), "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["coverage"] == json.loads(to_json(coverage))
    assert document["resolutions"]["with_text"] == sum(
        y["with_text"] for y in document["coverage"]["by_year"]
    )


def _table_row(output: str, first_cell: str, after: str = "") -> list[str] | None:
    """The cells of the table row whose first cell is ``first_cell`` (None if there is none).

    ``after``: only rows after the line holding these words and before the next blank line.
    """
    lines = output.splitlines()
    if after:
        start = next((i for i, line in enumerate(lines) if after in line), len(lines))
        end = next((i for i in range(start + 1, len(lines)) if not lines[i].strip()), len(lines))
        lines = lines[start:end]
    for text in lines:
        cells = [c.strip() for c in text.strip("│ ").split("│")]
        if cells and cells[0] == first_cell:
            return cells
    return None


def test_status_prints_texts_by_period_and_the_missions_lacking_text(db, built_db):
    result = runner.invoke(app, ["status", "--db", str(built_db)])
    assert result.exit_code == 0, result.output
    output = result.stdout
    assert "Text coverage by period" in output
    last_year = db.scalar("SELECT max(year) FROM resolutions")
    total, with_text = db.tuples(
        "SELECT count(*), count(*) FILTER (WHERE has_text) FROM resolutions WHERE year >= 2016"
    )[0]
    assert _table_row(output, f"2016-{last_year}") == [
        f"2016-{last_year}",
        f"{with_text:,}",
        f"{total:,}",
        f"{with_text / total:.1%}",
    ]
    old_total = db.scalar("SELECT count(*) FROM resolutions WHERE year <= 1989")
    assert _table_row(output, "1946-1989") == [
        "1946-1989",
        f"{old_total:,}",
        f"{old_total:,}",
        "100.0%",
    ]

    lacking = "with mandating resolutions that lack text"
    minusma = _table_row(output, "MINUSMA", lacking)
    rows = db.rows(_MANDATING, ["MINUSMA"])
    assert minusma is not None and minusma[:3] == [
        "MINUSMA", str(len(rows)), str(sum(r["text"] for r in rows))
    ]  # fmt: skip
    assert "2295" in _words(output) and "2690" in _words(output)
    assert "codes after the last text are carried forward" in _words(output)
    # closed by 2015: not listed, whatever its texts
    assert _table_row(output, "UNMIT", lacking) is None
    # active after 2015 with every linked text present: none is listed
    complete = {
        a for (a,) in db.tuples(
            "SELECT acronym FROM mandate_history mr LEFT JOIN resolutions r USING (number) "
            "WHERE mr.confirmed GROUP BY acronym HAVING bool_and(coalesce(r.has_text, false))"
        )
    }  # fmt: skip
    for acronym in complete:
        assert _table_row(output, acronym, lacking) is None


def test_mission_report_states_minusmas_text_coverage(db):
    rows = db.rows(_MANDATING, ["MINUSMA"])
    missing = [r["number"] for r in rows if not r["text"]]
    html = _words(mission_report(db, "MINUSMA", seeds=0))
    block = html[html.index('<h2 id="text-coverage">') : html.index('<h2 id="mandate">')]
    with_text = len(rows) - len(missing)
    assert f"{with_text} of {len(rows)} mandating resolutions have text" in block
    assert "missing: S/RES/" + ", ".join(str(n) for n in missing) + "." in block
    assert "carried forward from the last earlier text" in block
    assert html.index("Text coverage") < html.index("Mandate timeline")


def test_mission_report_of_a_mission_with_every_text_says_so(db):
    html = _words(mission_report(db, "UNMIS", seeds=0))
    linked = len(db.rows(_MANDATING, ["UNMIS"]))
    assert linked > 2  # the curated registry had 2; the texts give its renewals (#28)
    assert f"All {linked} linked mandating resolutions have text" in html
    assert "missing: S/RES/" not in html


@pytest.mark.slow
def test_web_mission_page_shows_the_text_coverage(server, db):
    import httpx

    rows = db.rows(_MANDATING, ["MINUSMA"])
    missing = [r["number"] for r in rows if not r["text"]]
    page = httpx.get(f"{server}/missions/MINUSMA", timeout=60)
    assert page.status_code == 200
    html = _words(page.text)
    assert 'id="h-text"' in html
    assert f"{len(rows) - len(missing)} of {len(rows)} mandating resolutions have text" in html
    for number in missing:
        assert f'<a href="/resolutions/{number}">S/RES/{number}</a>' in html
