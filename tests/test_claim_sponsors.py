"""Claim 16 and the sponsors it reads: ``draft_sponsors`` from ``Submitted by`` (#29).

The loader is tested on small files written here (commas with and without spaces,
presidential drafts, ``-none-``, empty cells, names split or joined, an unknown name); the
claim on the session's knowledge base and on copies whose sponsors were changed, so that its
verdict is seen to follow the data.
"""

from __future__ import annotations

import pandas as pd
import pytest

from peaceops.claims import run_claims
from peaceops.claims.base import CONTRADICTED, INSUFFICIENT, PARTLY, SUPPORTED
from peaceops.claims.sponsors import is_western, western_states
from peaceops.sources.countries import to_iso3
from peaceops.sources.sponsors import SPONSOR_KINDS, draft_sponsors, split_sponsors
from peaceops.sources.votes import VOTE_COLUMNS, load_votes

pytestmark = pytest.mark.issue(29)

#: The partial mandates of the confirmed history, as the claim selects them.
PARTIAL = (
    "SELECT i.resolution FROM impartiality_resolution i WHERE i.partial_terms > 0 AND "
    "i.resolution IN (SELECT number FROM mandate_history WHERE confirmed)"
)


def _names(text):
    return [(s.name, s.iso3, s.kind) for s in split_sponsors(text)[0]]


# -- the loader ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("France,United Kingdom", [("France", "FRA", "state"), ("United Kingdom", "GBR", "state")]),
        ("France, Gabon", [("France", "FRA", "state"), ("Gabon", "GAB", "state")]),
        ("President", [("President", None, "president")]),
        ("President?", [("President?", None, "president")]),
        ("-none-", [("-none-", None, "none")]),
        (None, [(None, None, "missing")]),
        (float("nan"), [(None, None, "missing")]),
        ("  ", [(None, None, "missing")]),
        ("E10", [("E10", None, "group")]),
        ("Bosnia and Herzegovina", [("Bosnia and Herzegovina", "BIH", "state")]),
        (
            "Tunisia and the United States of America",
            [("Tunisia", "TUN", "state"), ("the United States of America", "USA", "state")],
        ),
        ("Chile,Costa,Rica", [("Chile", "CHL", "state"), ("Costa Rica", "CRI", "state")]),
        ("United States (64)", [("United States", "USA", "state")]),
        ('"Albania,_x000D_\nSpain.', [("Albania", "ALB", "state"), ("Spain", "ESP", "state")]),
        ("United Kindgom", [("United Kindgom", "GBR", "state")]),
        ("Atlantis, Chad", [("Atlantis", None, "unknown"), ("Chad", "TCD", "state")]),
    ],
)
def test_submitted_by_is_split_into_sponsors(text, expected):
    assert _names(text) == expected


def test_positions_follow_the_files_order():
    sponsors, _ = split_sponsors("United States,France,Gabon")
    assert [(s.position, s.iso3) for s in sponsors] == [(1, "USA"), (2, "FRA"), (3, "GAB")]


def test_repairs_and_unknown_names_are_reported_not_fatal():
    drafts = pd.DataFrame(
        {
            "draft": ["S/2099/1", "S/2099/2", "S/2099/3"],
            "draft_label": ["S/2099/1", "S/2099/2", "S/2099/3"],
            "meeting": [1, 2, 3],
            "date": [None, None, None],
            "outcome": ["adopted", "adopted", "failed"],
            "resolution": [9001, 9002, None],
            "resolution_year": [2099, 2099, None],
            "submitted_by": ["Atlantis,France", "Cabo,Verde", "Atlantis"],
        }
    )
    frame, issues = draft_sponsors(drafts)
    assert frame.loc[frame["sponsor"] == "Atlantis", "kind"].tolist() == ["unknown", "unknown"]
    assert frame.loc[frame["sponsor"] == "Atlantis", "sponsor_iso3"].isna().all()
    by_item = {i["item"]: i for i in issues}
    assert "S/2099/1 and 1 more drafts" in by_item["Atlantis"]["issue"]
    assert "kind 'unknown'" in by_item["Atlantis"]["action"]
    assert by_item["Cabo,Verde"]["action"] == "one name split by a comma: Cabo Verde"


@pytest.fixture
def small_votes(data_dir, tmp_path):
    """A votes file of six drafts, one member row each (plus one for the spaced list)."""
    from tests.conftest import mirror_data_dir

    mirror = mirror_data_dir(data_dir, tmp_path / "data", copy=("votes/sc_voting.xlsx",))
    submitted = [
        "France,United Kingdom",
        "France, United Kingdom",
        "President",
        "-none-",
        None,
        "Atlantis, Chad",
    ]
    rows = []
    for n, text in enumerate(submitted, 1):
        rows.append(
            {
                "Year": 2013,
                "Date,": pd.Timestamp(2013, 3, 13 + n),
                "Resolution": f"{2090 + n} (2013)",
                "Meeting": f"S/PV.{6930 + n}",
                "Draft": f"S/2013/{100 + n}",
                "Agenda item": "The situation in Mali",
                "Category": "Country/Region-specific",
                "Region": "Africa",
                "Submitted by": text,
                "Outcome results": "Adopted unanimously",
                "Vote": "Yes",
                "Member State": "France",
                "Topic": "Mali",
            }
        )
    frame = pd.DataFrame(rows, columns=VOTE_COLUMNS)
    frame.to_excel(mirror / "votes/sc_voting.xlsx", index=False)
    return load_votes(mirror, known_years={})


def test_the_votes_loader_keeps_every_drafts_sponsors(small_votes):
    sponsors = small_votes["draft_sponsors"]
    assert "submitted_by" not in small_votes["drafts"].columns
    by_draft = sponsors.groupby("draft")
    assert by_draft.get_group("S/2013/101")["sponsor_iso3"].tolist() == ["FRA", "GBR"]
    assert by_draft.get_group("S/2013/102")["sponsor_iso3"].tolist() == ["FRA", "GBR"]
    assert by_draft.get_group("S/2013/103")["kind"].tolist() == ["president"]
    assert by_draft.get_group("S/2013/104")["kind"].tolist() == ["none"]
    missing = by_draft.get_group("S/2013/105")
    assert missing["kind"].tolist() == ["missing"] and missing["sponsor"].isna().all()
    assert by_draft.get_group("S/2013/106")["kind"].tolist() == ["unknown", "state"]
    assert sponsors.loc[sponsors["draft"] == "S/2013/101", "resolution"].tolist() == [2091, 2091]
    issues = small_votes["data_issues"]
    atlantis = issues[issues["item"] == "Atlantis"]
    assert len(atlantis) == 1 and "S/2013/106" in atlantis["issue"].iloc[0]


def test_the_real_file_has_few_unknown_sponsors(data_dir):
    sponsors = load_votes(data_dir)["draft_sponsors"]
    assert sponsors["kind"].isin(SPONSOR_KINDS).all()
    assert (sponsors["kind"] == "unknown").sum() <= 5
    assert (sponsors.query("kind == 'state'")["sponsor_iso3"].notna()).all()


# -- the curated list -------------------------------------------------------------------------


def test_every_western_state_is_cited_and_its_code_is_its_name():
    import csv
    from importlib import resources

    text = (resources.files("peaceops.registry") / "data" / "western_states.csv").read_text()
    rows = list(csv.DictReader(text.splitlines()))
    assert len(rows) == len(western_states()) == 44
    for row in rows:
        assert row["citation"].startswith(("United Nations", "NATO", "European Union"))
        assert to_iso3(row["name"]) == row["iso3"], row


@pytest.mark.parametrize(
    ("iso3", "year", "weog_only", "expected"),
    [
        ("USA", 1994, False, True),
        ("FRA", 2013, True, True),
        ("POL", 1997, False, False),  # NATO from 1999
        ("POL", 1999, False, True),
        ("LTU", 2014, True, False),  # EU and NATO, not WEOG
        ("JPN", 2013, False, False),
        ("RUS", 2013, False, False),
        (None, 2013, False, False),
    ],
)
def test_who_is_western_depends_on_the_year_and_the_definition(iso3, year, weog_only, expected):
    assert is_western(iso3, year, weog_only=weog_only) is expected


# -- the claim ---------------------------------------------------------------------------------


def _claim(db):
    return run_claims(db, [16])["claims"][0]


def test_claim_16_reads_the_sponsors_of_the_partial_mandates(db):
    result = _claim(db)
    partial = result["figures"]["partial"]
    assert partial["with_state_sponsors"] >= 15
    assert partial["with_western_sponsor"] == partial["with_state_sponsors"]
    assert result["verdict"] == SUPPORTED
    rows = {r["number"]: r for r in result["figures"]["partial_mandates"]}
    assert {"FRA", "USA"} <= set(rows[2098]["sponsors"])  # S/RES/2098 (2013): the brigade
    assert {"FRA", "GBR", "USA"} <= set(rows[2100]["western"])  # MINUSMA
    assert partial["no_or_abstain_western"] == 0 < partial["no_or_abstain_non_western"]
    evidence = [e for e in result["evidence"] if e["resolution"] == 2100]
    assert evidence[0]["source"] == "votes: Submitted by (S/2013/242)"
    assert "United States" in evidence[0]["quote"]
    assert any("pen" in m for m in result["missing"])  # no penholder is invented


def test_claim_16_without_western_sponsors_is_contradicted(db, changed):
    western = ", ".join(f"'{c}'" for c in western_states())
    copy = changed(f"DELETE FROM draft_sponsors WHERE sponsor_iso3 IN ({western})")
    result = _claim(copy)
    assert result["figures"]["partial"]["with_western_sponsor"] == 0
    assert result["verdict"] == CONTRADICTED


def test_claim_16_without_sponsor_rows_is_insufficient_data(db, changed):
    result = _claim(changed("DELETE FROM draft_sponsors"))
    assert result["verdict"] == INSUFFICIENT
    assert any("Submitted by" in m for m in result["missing"])


def test_claim_16_cannot_hold_by_construction(db, changed):
    """A plausible record: African and other elected members co-sponsor every partial mandate
    with the West, while the other mandates stay as they are; the West still sponsors them all,
    but its share falls below the baseline's, so the claim is only partly supported."""
    copy = changed(
        "INSERT INTO draft_sponsors SELECT s.draft, s.draft_label, s.meeting, s.date, "
        "s.outcome, s.resolution, s.resolution_year, 100 + a.i, a.name, a.iso3, 'state' "
        "FROM (SELECT DISTINCT ON (resolution) * FROM draft_sponsors WHERE kind = 'state' "
        f"AND resolution IN ({PARTIAL})) s, (VALUES (1, 'Gabon', 'GAB'), (2, 'Nigeria', 'NGA'), "
        "(3, 'Togo', 'TGO'), (4, 'Rwanda', 'RWA'), (5, 'Chad', 'TCD'), (6, 'Angola', 'AGO'), "
        "(7, 'Brazil', 'BRA'), (8, 'India', 'IND')) a(i, name, iso3)"
    )
    result = _claim(copy)
    partial = result["figures"]["partial"]
    baseline = result["figures"]["baseline_same_years"]
    assert partial["with_western_sponsor"] == partial["with_state_sponsors"]
    assert partial["mean_western_share_of_sponsors"] < baseline["mean_western_share_of_sponsors"]
    assert result["verdict"] == PARTLY
    # ... and had non-Western states alone put forward two in three of them, contradicted
    western = ", ".join(f"'{c}'" for c in western_states())
    copy = changed(
        "UPDATE draft_sponsors SET sponsor = 'Nigeria', sponsor_iso3 = 'NGA' WHERE "
        f"sponsor_iso3 IN ({western}) AND resolution IN ({PARTIAL}) AND resolution % 3 <> 0"
    )
    result = _claim(copy)
    assert result["figures"]["partial"]["share_with_western_sponsor"] < 0.5
    assert result["verdict"] == CONTRADICTED
