"""Every mission's mandate history and the measures read from it (#28).

The history joins the curated registry, the acts read from the texts and the UN Mandate
Registry's extracts; the measures read its confirmed rows. Each test here failed on the code
before #28: MINURSO's history was one resolution, UNISFA's latest index was that of 2011, a
terminating resolution without text dropped every task.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from peaceops.coding.history import _extract_role, place_of
from peaceops.measures.inheritance import mission_years
from peaceops.store.queries import mission, mission_mandates

pytestmark = pytest.mark.issue(28)


def _linked(db) -> pd.DataFrame:
    return db.execute(
        "SELECT acronym, number, date, has_text, role FROM mandate_history "
        "WHERE confirmed AND date IS NOT NULL ORDER BY acronym, date, number"
    )


def test_no_mission_year_reads_an_older_resolution_than_a_linked_one_in_force(db):
    """A year reads the last linked resolution adopted by its end, and is marked carried
    forward only when that one has no text or its mandate ran out (the note says so)."""
    links = _linked(db)
    years = db.execute(
        "SELECT mission, year, resolution, basis, note FROM impartiality_mission_year"
    )
    by_mission = dict(tuple(links.groupby("acronym")))
    wrong = []
    for row in years.itertuples(index=False):
        mine = by_mission[row.mission]
        adopted = mine[pd.to_datetime(mine["date"]).dt.year <= row.year]
        last = adopted.iloc[-1]
        if int(last["number"]) != row.resolution:
            wrong.append((row.mission, row.year, row.resolution, int(last["number"])))
        elif bool(last["has_text"]) and row.basis == "carried_forward" and row.note is None:
            wrong.append((row.mission, row.year, "carried forward with text in force"))
    assert not wrong, wrong[:20]


def test_every_carried_forward_year_says_why(db):
    rows = db.rows(
        "SELECT y.mission, y.year, y.note, r.has_text FROM impartiality_mission_year y "
        "JOIN resolutions r ON r.number = y.resolution WHERE y.basis = 'carried_forward'"
    )
    assert rows
    for r in rows:
        assert (not r["has_text"]) or (r["note"] and "ran to" in r["note"]), r


def test_minurso_lists_its_renewals_with_their_words(db):
    document = mission(db, "MINURSO")
    linked = [r for r in document["resolutions"] if r["confirmed"] and r["has_text"]]
    renewals = [r for r in linked if r["role"] == "renew"]
    assert len(renewals) >= 40
    first = next(r for r in renewals if r["number"] == 1017)
    assert "texts" in first["source"] and first["standing"] == "linked"
    assert "MINURSO" in first["citation"] or "Mission" in first["citation"]
    candidates = [r for r in document["resolutions"] if not r["confirmed"]]
    assert candidates and all(r["standing"] == "candidate, no text" for r in candidates)
    # the years after the last text read a mandate that ran out: carried forward, and said so
    years = {y["year"]: y for y in mission_mandates(db, "MINURSO")["impartiality"]}
    assert years[2020]["basis"] == "carried_forward" and "ran to" in years[2020]["basis_note"]


def test_candidates_never_reach_the_measures(db):
    leaked = db.rows(
        "SELECT y.mission, y.year, y.resolution FROM impartiality_mission_year y "
        "JOIN mandate_history h ON h.acronym = y.mission AND h.number = y.resolution "
        "WHERE NOT h.confirmed"
    )
    assert leaked == []


def test_a_terminating_resolution_without_text_carries_its_tasks_forward(db):
    """UNOCI's S/RES/2284 (no text) set a final mandate: it never reads as all tasks dropped."""
    statuses = {
        r["status"]
        for r in db.rows(
            "SELECT DISTINCT status FROM mandate_inheritance WHERE mission = 'UNOCI' "
            "AND resolution = 2284"
        )
    }
    assert statuses == {"carried"}
    year = db.rows(
        "SELECT * FROM impartiality_mission_year WHERE mission = 'UNOCI' AND year = 2016"
    )[0]
    assert (year["resolution"], year["basis"]) == (2284, "carried_forward")
    assert year["index"] is not None


def test_a_discounted_act_says_why(db):
    rows = db.rows("SELECT note FROM mandate_history WHERE note LIKE '%discounted%'")
    for r in rows:
        assert "began on" in r["note"] or "later resolution" in r["note"]


# -- the rules on small inputs: each can come out the other way ------------------------------


def _links(*rows):
    return pd.DataFrame(rows, columns=["number", "date", "role", "has_text", "end_date"])


def test_a_lapsed_mandate_makes_the_year_carried_forward_and_a_renewal_flips_it():
    states = [(date(2014, 4, 29), {"a": "evenhanded"})]
    lapsed = mission_years(
        "X", states, _links((2152, date(2014, 4, 29), "renew", True, date(2015, 4, 30))), 2016
    )
    assert [(y[1], y[6]) for y in lapsed] == [
        (2014, "coded"), (2015, "carried_forward"), (2016, "carried_forward")
    ]  # fmt: skip
    assert "ran to 2015-04-30" in lapsed[1][9]
    renewed = mission_years(
        "X",
        [*states, (date(2015, 4, 28), {"a": "evenhanded"})],
        _links(
            (2152, date(2014, 4, 29), "renew", True, date(2015, 4, 30)),
            (2218, date(2015, 4, 28), "renew", True, date(2016, 4, 30)),
        ),
        2015,
    )
    assert [(y[1], y[2], y[6]) for y in renewed] == [(2014, 2152, "coded"), (2015, 2218, "coded")]


def test_place_and_extract_role():
    assert place_of("United Nations Mission for the Referendum in Western Sahara") == (
        "Western Sahara"
    )
    assert place_of("United Nations Truce Supervision Organization") is None
    text = (
        "The mandate of UNDOF was established by the Security Council in its resolution 350 "
        "(1974) and was renewed most recently in its resolution 2811 (2025)."
    )
    assert _extract_role(text, 350) == "establish"
    assert _extract_role(text, 2811) == "renew"


def test_the_minurso_page_lists_its_renewals_and_marks_candidates(server):
    import httpx

    page = httpx.get(f"{server}/missions/MINURSO", timeout=120)
    assert page.status_code == 200
    html = page.text
    assert "Mandate history" in html
    for number in (1017, 1541, 2218):  # renewals read from the texts, none curated
        assert f'href="/resolutions/{number}"' in html
    assert "candidate, no text" in html and 'class="candidate"' in html
    assert "read a mandate that had run out" in html
    rows = httpx.get(f"{server}/api/missions/MINURSO", timeout=120)
    assert rows.status_code == 200
    linked = [r for r in rows.json()["resolutions"] if r["confirmed"]]
    assert len(linked) >= 40 and all("standing" in r and "source" in r for r in linked)
