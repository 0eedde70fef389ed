"""Validation of registry/data/mission_ends.csv (issue #18): how every mission ended, cited.

Reads the CSV files with the stdlib csv module only (no loader, no database build), so it is fast.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "src" / "peaceops" / "registry" / "data"
HEADER = [
    "acronym",
    "outcome",
    "end_date",
    "withdrawal_completed",
    "end_precision",
    "host_request_date",
    "successor",
    "citation",
    "note",
    "uncertain",
]
OUTCOMES = {
    "active",
    "completed",
    "transition",
    "council_ended",
    "host_withdrew_consent",
    "host_restrictions",
    "other",
}
PRECISIONS = {"day", "month", "year"}
REFERENCE_DATE = dt.date(2025, 6, 30)  # "active" = still operating on this date

# missions.csv copies the UN list, which writes most end dates as the 1st of the month. Where a
# resolution (or a UN page) gives the day, mission_ends.csv uses it; the note says so.
ROUNDED = (
    "missions.csv/UN list rounds the end to the 1st of the month; the day is from the cited source"
)
# Every row whose end_date differs from missions.csv's `end`, with the reason.
END_DATE_EXCEPTIONS = {
    "UNEF": ROUNDED + " (S/RES/438 (1978): UNEF II renewed until 24 July 1979)",
    "ONUC": "UN list has 1964-06-06; the UN Archives record gives dissolution on 30 June 1964",
    "UNYOM": ROUNDED + " (UN page: mandate ended 4 September 1964)",
    "DOMREP": ROUNDED + " (Canada DND: 22 October 1966)",
    "UNIPOM": ROUNDED + " (Canada DND: 22 March 1966)",
    "UNEF II": ROUNDED + " (S/RES/438 (1978), para 1)",
    "UNGOMAP": ROUNDED + " (UN page: ceased operations 15 March 1990)",
    "UNIIMOG": ROUNDED + " (S/RES/685 (1991), para 1)",
    "UNAVEM": ROUNDED + " (S/RES/966 (1994), para 2; S/RES/976 (1995))",
    "UNAVEM I": "new mandate as UNAVEM II from the adoption of S/RES/696 on 30 May 1991; "
    "UN list says June 1991",
    "ONUCA": ROUNDED + " (S/RES/730 (1992), para 2)",
    "UNIKOM": ROUNDED + " (S/RES/1490 (2003), paras 1 and 3)",
    "UNAVEM II": ROUNDED + " (S/RES/966 (1994), para 2)",
    "ONUSAL": ROUNDED + " (S/RES/991 (1995), para 5)",
    "UNPROFOR": "UN list ends it at the March 1995 restructuring; the mandate ended on the "
    "transfer of authority to IFOR on 20 December 1995 (S/RES/1031 (1995), para 33)",
    "UNTAC": ROUNDED + " (S/RES/880 (1993), preamble: 24 September 1993)",
    "UNOSOM": ROUNDED + " (S/RES/954 (1994), para 1: mandate to 31 March 1995)",
    "UNOSOM II": ROUNDED + " (S/RES/954 (1994), para 1)",
    "UNOMUR": ROUNDED + " (S/RES/928 (1994), para 2)",
    "UNOMIG": ROUNDED + " (S/RES/1866 (2009), para 8; veto of S/2009/310 on 15 June 2009)",
    "UNMIH": ROUNDED + " (S/RES/1048 (1996), para 5)",
    "UNOMIL": ROUNDED + " (S/RES/1116 (1997), para 1)",
    "UNAMIR": ROUNDED + " (S/RES/1029 (1995), para 1)",
    "UNASOG": ROUNDED + " (S/RES/926 (1994), para 4)",
    "UNMOT": ROUNDED + " (S/RES/1274 (1999), para 11)",
    "UNAVEM III": ROUNDED + " (S/RES/1118 (1997), para 2)",
    "UNPREDEP": ROUNDED + " (S/RES/1186 (1998), para 1)",
    "UNMIBH": ROUNDED + " (S/RES/1423 (2002), para 19)",
    "UNTAES": ROUNDED + " (S/RES/1145 (1997), para 1)",
    "UNSMIH": ROUNDED + " (S/RES/1123 (1997), preamble)",
    "MONUA": ROUNDED + " (S/RES/1229 (1999), para 1)",
    "MINURCA": ROUNDED + " (S/RES/1271 (1999), para 1)",
    "UNTAET": ROUNDED + " (S/RES/1392 (2002), para 2)",
    "UNMEE": ROUNDED + " (S/RES/1827 (2008), para 1)",
    "UNMISET": ROUNDED + " (S/RES/1573 (2004), para 1)",
    "MINUCI": ROUNDED + " (S/RES/1528 (2004), para 1)",
    "UNMIL": ROUNDED + " (S/RES/2333 (2016); SC/12654)",
    "UNOCI": "missions.csv has the end of the withdrawal (30 April 2017, rounded); the mandate "
    "ran to 30 June 2017 (S/RES/2284 (2016))",
    "MINUSTAH": ROUNDED + " (S/RES/2350 (2017))",
    "UNSMIS": ROUNDED + " (S/RES/2059 (2012), para 1: 30 days from 20 July 2012)",
    "MINUSMA": "missions.csv has the end of the withdrawal (31 December 2023); the mandate was "
    "terminated as of 30 June 2023 (S/RES/2690 (2023))",
    "MINUJUSTH": ROUNDED + " (S/RES/2466 (2019))",
    "UNITAMS": "missions.csv has the end of the cessation period (29 February 2024); the mandate "
    "was terminated on 3 December 2023 (S/RES/2715 (2023))",
    "UNSMA": "UN list has 2001-01-05; UNSMA worked until UNAMA took it over on 28 March 2002 "
    "(S/RES/1401 (2002); #28, row marked uncertain for the day)",
    "UNAMI": "still operating on 2025-06-30 (active); missions.csv records the scheduled "
    "end 2025-12-31",
    "UNMHA": "still operating on 2025-06-30 (active); missions.csv records the scheduled "
    "end 2026-03-31",
    "UNTMIS": "still operating on 2025-06-30 (active); missions.csv records the scheduled "
    "end 2026-10-31",
}
# Active on the reference date although missions.csv already has a (later) end date.
ACTIVE_WITH_SCHEDULED_END = {"UNAMI", "UNMHA", "UNTMIS"}


def _read(name: str) -> tuple[list[str], list[dict[str, str]]]:
    with open(DATA / name, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


@pytest.fixture(scope="module")
def ends() -> list[dict[str, str]]:
    header, rows = _read("mission_ends.csv")
    assert header == HEADER
    return rows


@pytest.fixture(scope="module")
def missions() -> dict[str, dict[str, str]]:
    _, rows = _read("missions.csv")
    return {r["acronym"]: r for r in rows}


def _iso(value: str) -> dt.date:
    return dt.date.fromisoformat(value)  # raises on anything but YYYY-MM-DD


def test_header_is_exact():
    header, _ = _read("mission_ends.csv")
    assert header == HEADER


def test_one_row_per_mission(ends, missions):
    acronyms = [r["acronym"] for r in ends]
    duplicates = sorted({a for a in acronyms if acronyms.count(a) > 1})
    assert not duplicates, duplicates
    assert set(acronyms) == set(missions), (
        sorted(set(missions) - set(acronyms)),
        sorted(set(acronyms) - set(missions)),
    )
    assert len(ends) == len(missions) == 126


def test_outcomes_and_precisions_are_allowed(ends):
    for r in ends:
        assert r["outcome"] in OUTCOMES, r["acronym"]
        assert r["end_precision"] in PRECISIONS | {""}, r["acronym"]


def test_dates_parse(ends):
    for r in ends:
        for field in ("end_date", "host_request_date", "withdrawal_completed"):
            if r[field]:
                _iso(r[field])


def test_end_date_blank_iff_active(ends):
    for r in ends:
        active = r["outcome"] == "active"
        assert (r["end_date"] == "") == active, r["acronym"]
        assert (r["end_precision"] == "") == active, r["acronym"]
        if not active:
            assert _iso(r["end_date"]) <= REFERENCE_DATE, r["acronym"]


def test_end_date_matches_missions_csv_or_is_explained(ends, missions):
    unexplained = []
    for r in ends:
        expected = missions[r["acronym"]]["end"]
        if r["end_date"] != expected and r["acronym"] not in END_DATE_EXCEPTIONS:
            unexplained.append((r["acronym"], r["end_date"], expected))
    assert not unexplained, unexplained
    # every listed exception is a real difference, with a reason and a note in the file
    by_acronym = {r["acronym"]: r for r in ends}
    for acronym, reason in END_DATE_EXCEPTIONS.items():
        row = by_acronym[acronym]
        assert row["end_date"] != missions[acronym]["end"], f"stale exception: {acronym}"
        assert reason and row["note"], acronym
        if reason.startswith(ROUNDED):
            # rounding only: same year and month, and missions.csv has the 1st
            assert row["end_date"][:7] == missions[acronym]["end"][:7], acronym
            assert missions[acronym]["end"].endswith("-01"), acronym


def test_active_rows_with_a_scheduled_end(ends, missions):
    for r in ends:
        if r["acronym"] in ACTIVE_WITH_SCHEDULED_END:
            assert r["outcome"] == "active"
            assert _iso(missions[r["acronym"]]["end"]) > REFERENCE_DATE
        elif r["outcome"] == "active":
            assert missions[r["acronym"]]["end"] == "", r["acronym"]


def test_successors(ends, missions):
    for r in ends:
        if r["outcome"] == "transition":
            assert r["successor"], r["acronym"]
        if r["successor"]:
            # the link means "became": a follow-on that was not a transition is in the note
            assert r["outcome"] == "transition", r["acronym"]
            assert r["successor"] in missions, (r["acronym"], r["successor"])
            assert r["successor"] != r["acronym"]


def test_citations_and_notes(ends):
    for r in ends:
        assert r["citation"].strip(), r["acronym"]
        if r["outcome"] not in {"active", "completed", "transition"}:
            assert r["note"].strip(), r["acronym"]


def test_host_requests(ends):
    for r in ends:
        if r["outcome"] == "host_withdrew_consent":
            assert r["host_request_date"], r["acronym"]
        if r["host_request_date"] and r["end_date"]:
            assert _iso(r["host_request_date"]) <= _iso(r["end_date"]), r["acronym"]


def test_key_cases(ends):
    row = {r["acronym"]: r for r in ends}
    assert row["MINUSMA"]["outcome"] == "host_withdrew_consent"
    assert row["MINUSMA"]["host_request_date"] == "2023-06-16"
    assert row["MONUC"]["outcome"] == "transition"
    assert row["MONUC"]["successor"] == "MONUSCO"
    assert row["MONUSCO"]["outcome"] == "active"
    assert row["MONUSCO"]["host_request_date"] == "2023-09-20"
    assert row["MINURCAT"]["outcome"] == "host_withdrew_consent"
    assert row["MINURCAT"]["host_request_date"] == "2010-01-15"
    assert row["UNEF I"]["outcome"] == "host_withdrew_consent"
    assert row["UNMEE"]["outcome"] == "host_restrictions"
    assert row["UNOMIG"]["outcome"] == "council_ended"
    assert row["UNPREDEP"]["outcome"] == "council_ended"
    assert "S/RES/1923 (2010)" in row["MINURCAT"]["citation"]


def test_consistent_with_events_csv(ends):
    """Host requests and terminations agree with events.csv where both record them."""
    _, events = _read("events.csv")
    row = {r["acronym"]: r for r in ends}
    requests = {}
    for e in events:
        if e["type"] == "withdrawal_request":
            requests.setdefault(e["mission"], []).append(e)
    for mission, evs in requests.items():
        date = row[mission]["host_request_date"]
        assert date, f"events.csv has a withdrawal_request for {mission}"
        # same day, or same month where events.csv only has the month
        assert any(
            date == e["date"] or (e["date_precision"] == "month" and date[:7] == e["date"][:7])
            for e in evs
        ), (mission, date, [e["date"] for e in evs])


# --- #28: the end registry reviewed -------------------------------------------------------------

#: Missions whose row is settled only in part: the reason and what would settle it are in
#: ``uncertain`` (docs/mission-ends.md, "Reviewed in #28").
UNCERTAIN = {"UNAMIR", "MONUA", "UNCRO", "MONUC", "ONUB", "BNUB", "UNSMA"}


@pytest.mark.issue(28)
def test_no_transition_or_completed_row_carries_a_request_the_forecast_would_not_mean(ends):
    """The forecast's event is the host's first formal request to leave or end (host_request_date).

    A row that did not end by the host's hand may carry one only where a source shows a request
    to leave (UNPROFOR: Croatia 1995; MONUSCO and UNAMI, still active); UNAMID's 2014 note asked
    for an exit strategy, so it carries none.
    """
    requested = {r["acronym"] for r in ends if r["host_request_date"]}
    forced = {"host_withdrew_consent", "host_restrictions"}
    not_forced = {
        r["acronym"] for r in ends if r["host_request_date"] and r["outcome"] not in forced
    }
    assert not_forced == {"UNPROFOR", "MONUSCO", "UNAMI"}
    assert "UNAMID" not in requested


@pytest.mark.issue(28)
def test_unamir_request_is_the_first_letter(ends):
    row = {r["acronym"]: r for r in ends}["UNAMIR"]
    assert row["host_request_date"] == "1995-08-13"
    assert "13 August 1995" in row["citation"] and "S/1995/1018" in row["citation"]
    assert "S/1995/1018" in row["uncertain"]


@pytest.mark.issue(28)
def test_reviewed_rows(ends):
    row = {r["acronym"]: r for r in ends}
    assert (row["UNAMID"]["outcome"], row["UNAMID"]["host_request_date"]) == ("transition", "")
    assert (row["BNUB"]["outcome"], row["BNUB"]["host_request_date"]) == (
        "host_withdrew_consent",
        "2014-01-28",
    )
    assert "28 January 2014" in row["BNUB"]["citation"]
    assert row["UNPROFOR"]["host_request_date"] == "1995-01-12"
    assert row["UNITAMS"]["host_request_date"] == "2023-11-16"
    assert row["UNSMA"]["end_date"] == "2002-03-28"
    for acronym in ("MONUA", "UNCRO", "MONUC", "ONUB"):
        assert row[acronym]["host_request_date"] == "", acronym


@pytest.mark.issue(28)
def test_uncertain_rows_say_what_would_settle_them(ends):
    marked = {r["acronym"] for r in ends if r["uncertain"]}
    assert marked == UNCERTAIN
    for r in ends:
        if r["uncertain"]:
            assert "would" in r["uncertain"], r["acronym"]


@pytest.mark.issue(28)
def test_end_date_is_the_mandate_end_and_withdrawal_completed_the_withdrawal(ends, missions):
    """One convention: end_date = mandate end; withdrawal_completed = end of the withdrawal.

    Where missions.csv's ``end`` is the end of the withdrawal (MINUSMA, UNITAMS), it equals
    ``withdrawal_completed``, so every table states MINUSMA's two dates the same way.
    """
    row = {r["acronym"]: r for r in ends}
    assert (row["MINUSMA"]["end_date"], row["MINUSMA"]["withdrawal_completed"]) == (
        "2023-06-30",
        "2023-12-31",
    )
    for acronym in ("MINUSMA", "UNITAMS"):
        assert missions[acronym]["end"] == row[acronym]["withdrawal_completed"], acronym
    for r in ends:
        if r["withdrawal_completed"]:
            # before the mandate's end for UNOCI (withdrawn by 30 April 2017, mandate to 30 June)
            assert r["end_date"], r["acronym"]


@pytest.mark.issue(28)
def test_disputed_events_are_recoded():
    _, events = _read("events.csv")
    by_id = {e["event_id"]: e for e in events}
    assert by_id["monusco-2021-11-m23-resurgence"]["type"] == "hostilities_resumed"
    assert by_id["monusco-2023-11-disengagement-plan"]["type"] == "withdrawal_plan"
    assert by_id["unamid-2014-11-exit-strategy-request"]["type"] == "withdrawal_plan"
    killings = by_id["monusco-2023-08-goma-killings"]
    assert (killings["type"], killings["actor_id"]) == ("protest", "")
    unitams = by_id["unitams-2023-11-termination-request"]
    assert (unitams["date"], unitams["date_precision"]) == ("2023-11-16", "day")
    # one withdrawal_request per mission: the first formal request, as host_request_date
    requests = [e["mission"] for e in events if e["type"] == "withdrawal_request"]
    assert len(requests) == len(set(requests)), requests
