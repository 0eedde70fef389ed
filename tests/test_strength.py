"""Deployed strength beyond 2017 (#28): IPI's months, then Geo-PKO's years, each row labelled.

On the real data (session fixtures ``db``, ``built_db``, ``server``) and on a small store built
here whose IPI months are removed for a year, so that the basis visibly switches.
"""

from __future__ import annotations

import math
import re
import statistics
from datetime import date
from pathlib import Path

import httpx
import pandas as pd
import pytest
from typer.testing import CliRunner

from peaceops.cli import app
from peaceops.forecast.panel import load_snapshot, panel
from peaceops.forecast.truncate import truncate_store
from peaceops.report import mission_report
from peaceops.store import Database
from peaceops.store.files import new_database
from peaceops.store.queries import mission_strength
from peaceops.store.strength import WITHIN, agreement, derive_strength, strength_markdown

pytestmark = pytest.mark.issue(28)
ROOT = Path(__file__).resolve().parents[1]


def _series(db: Database, mission: str) -> dict[int, dict]:
    return {
        r["year"]: r
        for r in db.rows("SELECT * FROM deployed_strength_year WHERE mission = ?", [mission])
    }


def test_minusma_runs_to_2023_on_geopko_after_ipi(db):
    years = _series(db, "MINUSMA")
    assert max(years) == 2023  # the mission ended on 31 December 2023; Geo-PKO's 2024 is not it
    for year in range(2017, 2024):
        row = years[year]
        assert row["basis"] == "geopko_yearly" and row["troops"] > 0
        assert row["police"] is None and row["total"] is None  # troops only, never a total
        assert row["months"] is None and row["locations"] > 0
    for year in range(2013, 2017):
        assert years[year]["basis"] == "ipi_monthly"


def test_years_ipi_covers_use_ipi_means(db):
    ipi = db.execute(
        "SELECT mission, year(date) AS year, count(*) AS months, round(avg(troops)) AS troops, "
        "round(avg(total)) AS total, max(date) AS last FROM personnel_mission_month GROUP BY ALL"
    )
    end = pd.Timestamp(db.scalar("SELECT max(date) FROM personnel_mission_month"))
    rows = db.execute("SELECT * FROM deployed_strength_year").set_index(["mission", "year"])
    assert not rows.index.duplicated().any()
    for r in ipi.itertuples():
        cut = pd.Timestamp(r.last) == end and end.month < 12  # IPI's file ends in that year
        row = rows.loc[(r.mission, r.year)]
        if cut and row["basis"] == "geopko_yearly":
            continue
        assert row["basis"] == "ipi_monthly", (r.mission, r.year)
        assert (row["months"], row["troops"], row["total"]) == (r.months, r.troops, r.total)
    geopko = rows[rows["basis"] == "geopko_yearly"]
    before = geopko[geopko.index.get_level_values("year") < end.year]
    assert set(before.index.get_level_values("mission")) == {"UNAVEM III"}  # IPI's "UNAVEM"


def _geopko_troops(db: Database) -> dict[tuple[str, int], int]:
    """Geo-PKO troops per mission-year, recomputed here: each location's yearly mean once,
    within the years the registry gives the mission."""
    places = db.execute(
        "SELECT DISTINCT g.mission, g.year, g.location, g.ave_no_troops FROM geopko_locations g "
        "JOIN missions m ON m.acronym = g.mission WHERE g.year BETWEEN year(m.start) AND "
        'coalesce(year(m."end"), 9999)'
    )
    sums = places.groupby(["mission", "year"])["ave_no_troops"].sum()
    return {key: round(value) for key, value in sums.items()}


def test_the_agreement_is_computed_from_both_sources(db):
    geo = _geopko_troops(db)
    ipi = db.execute(
        "SELECT mission, year, troops FROM deployed_strength_year WHERE basis = 'ipi_monthly'"
    )
    pairs = [
        (r.troops, geo[(r.mission, r.year)]) for r in ipi.itertuples() if (r.mission, r.year) in geo
    ]
    ratios = [g / i for i, g in pairs if i > 0]
    doc = agreement(db)
    overall = doc["overall"]
    assert overall["pairs"] == len(pairs) > 300
    assert overall["median_ratio"] == round(statistics.median(ratios), 3)
    within = sum(abs(r - 1) <= WITHIN for r in ratios) / len(ratios)
    assert overall["within_share"] == round(within, 3)
    xs, ys = zip(*pairs, strict=True)
    assert overall["correlation"] == round(statistics.correlation(xs, ys), 3)
    minusma = next(m for m in doc["missions"] if m["mission"] == "MINUSMA")
    assert minusma["last_year"] == 2016 and minusma["years"] == 3


def test_the_strength_page_is_current(db):
    current = (ROOT / "docs" / "strength.md").read_text(encoding="utf-8")
    assert current == strength_markdown(db), (
        "regenerate: peaceops status --strength-markdown docs/strength.md --force"
    )


def test_status_prints_the_agreement(built_db):
    result = CliRunner().invoke(app, ["status", "--db", str(built_db)])
    assert result.exit_code == 0, result.output
    words = " ".join(result.output.split())
    median = f"median ratio {agreement_of(built_db)['median_ratio']}"
    assert "then Geo-PKO yearly troops by location" in words and median in words
    assert re.search(r"MINUSMA\W+2017-2023", result.output)


def agreement_of(path: Path) -> dict:
    with Database(path) as db:
        return agreement(db)["overall"]


# -- a small store: the basis switches where IPI is absent ---------------------------------------


def _small_store(path: Path, *, ipi_years: tuple[int, ...]) -> dict[int, dict]:
    months = [
        date(y, m, 1) for y in ipi_years for m in range(1, 13) if date(y, m, 1) <= date(2017, 3, 1)
    ]
    ipi = pd.DataFrame({"mission": "MINUSMA", "date": months, "troops": 100, "police": 20,
                        "observers": 0, "total": 120})  # fmt: skip
    # a mission IPI covers to its end: its last year stays IPI's though Geo-PKO maps it
    ended = pd.DataFrame({"mission": "UNOCI", "date": [date(2015, 12, 1)], "troops": 50,
                          "police": 0, "observers": 0, "total": 50})  # fmt: skip
    geo = pd.DataFrame(
        [  # two maps of Gao in each year: ave_no_troops repeats and is counted once
            ("MINUSMA", y, "Gao", troops, ave)
            for y in (2015, 2016, 2017, 2018, 2024)
            for troops, ave in ((100, 110.0), (120, 110.0))
        ]
        + [("MINUSMA", y, "Kidal", 40, 40.0) for y in (2015, 2016, 2017, 2018, 2024)]
        + [("UNOCI", 2015, "Abidjan", 70, 70.0)],
        columns=["mission", "year", "location", "no_troops", "ave_no_troops"],
    )
    missions = pd.DataFrame(
        {
            "acronym": ["MINUSMA", "UNOCI"],
            "name": ["Mali", "Côte d'Ivoire"],
            "type": ["pko", "pko"],
            "host_iso3": [["MLI"], ["CIV"]],
            "start": [date(2013, 4, 25), date(2004, 4, 4)],
            "end": [date(2023, 12, 31), date(2017, 6, 30)],
            "citation": ["S/RES/2100 (2013)", "S/RES/1528 (2004)"],
        }
    )
    with new_database(path) as db:
        db.insert("missions", missions)
        db.insert("personnel_mission_month", pd.concat([ipi, ended], ignore_index=True))
        db.insert("geopko_locations", geo)
        derive_strength(db)
        rows = db.rows("SELECT * FROM deployed_strength_year ORDER BY mission, year")
    return {(r["mission"], r["year"]): r for r in rows}


def test_the_basis_switches_where_ipi_is_absent(tmp_path):
    full = _small_store(tmp_path / "full.duckdb", ipi_years=(2015, 2016, 2017))
    assert full[("MINUSMA", 2015)]["basis"] == "ipi_monthly"
    assert full[("MINUSMA", 2016)]["troops"] == 100 and full[("MINUSMA", 2016)]["months"] == 12
    assert full[("MINUSMA", 2016)]["geopko_troops"] == 150  # 110 once, not twice, plus 40
    assert full[("MINUSMA", 2017)]["basis"] == "geopko_yearly"  # IPI ends in March
    assert full[("MINUSMA", 2018)]["basis"] == "geopko_yearly"
    assert full[("MINUSMA", 2018)]["troops"] == 150 and full[("MINUSMA", 2018)]["total"] is None
    assert ("MINUSMA", 2024) not in full  # after the mission's end
    assert full[("UNOCI", 2015)]["basis"] == "ipi_monthly"  # IPI ended with the mission
    gap = _small_store(tmp_path / "gap.duckdb", ipi_years=(2015, 2017))
    assert gap[("MINUSMA", 2016)]["basis"] == "geopko_yearly"  # no IPI month that year
    assert gap[("MINUSMA", 2016)]["troops"] == 150 and gap[("MINUSMA", 2016)]["police"] is None
    assert gap[("MINUSMA", 2015)]["basis"] == "ipi_monthly"


# -- the forecast: truncation and the panel ------------------------------------------------------


def test_truncation_removes_the_years_after_the_origin(built_db, tmp_path):
    cut = truncate_store(built_db, tmp_path / "cut.duckdb", date(2020, 7, 1))
    with Database(cut, read_only=True) as small:
        assert small.scalar("SELECT max(year) FROM deployed_strength_year") == 2019
        assert (
            small.scalar("SELECT max(year) FROM deployed_strength_year WHERE mission = 'MINUSMA'")
            == 2019
        )


def test_the_panel_reads_geopko_years_once_complete_and_says_so(db):
    rows = panel(load_snapshot(db), start=date(2016, 1, 1), end=date(2023, 6, 1))
    minusma = rows[rows["mission"] == "MINUSMA"].set_index("date")
    assert minusma.loc["2016-06-01", "strength_basis"] == "ipi_monthly"
    assert minusma.loc["2017-07-01", "strength_basis"] == "ipi_monthly"  # 2017 not yet complete
    assert "log_strength" in minusma.loc["2017-07-01", "carried"]  # IPI stopped in March
    june = minusma.loc["2019-06-01"]
    assert june["strength_basis"] == "geopko_yearly" and june["strength_known"]
    assert "log_strength" not in june["carried"]
    troops_2018 = _series(db, "MINUSMA")[2018]["troops"]
    assert june["log_strength"] == pytest.approx(math.log1p(troops_2018))


# -- report and web ------------------------------------------------------------------------------


def test_the_report_marks_the_geopko_years(db):
    html = " ".join(mission_report(db, "MINUSMA", seeds=0).split())
    assert "2017–2023: Geo-PKO yearly basis, not monthly observations." in html
    assert "troops, yearly by location (Geo-PKO; not monthly)" in html  # the chart's legend
    assert "<td>2023</td><td></td><td>" in html and "Geo-PKO yearly (troops only" in html
    strength = mission_strength(db, "MINUSMA")
    assert strength["coverage"]["geopko_years"] == list(range(2017, 2024))


def test_the_mission_page_and_api_label_the_basis(server):
    with httpx.Client(base_url=server, timeout=60) as http:
        page = http.get("/missions/MINUSMA").text
        assert "Geo-PKO yearly basis, not monthly observations" in page
        assert "mission-strength-years.csv" in page
        doc = http.get("/api/missions/MINUSMA/strength").json()
        last = doc["years"][-1]
        assert (last["year"], last["basis"]) == (2023, "geopko_yearly")
        assert "troops only" in last["basis_label"] and last["total"] is None
        csv = http.get("/download/mission-strength-years.csv?mission=MINUSMA").text
        assert "geopko_yearly" in csv and "ipi_monthly" in csv
