import pytest

from peaceops.sources.meetings import load_meetings, parse_outcome


@pytest.fixture(scope="module")
def meetings(data_dir):
    return load_meetings(data_dir)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (
            "S/RES/2130 (2013) 14-0-1",
            [("resolution", "S/RES/2130 (2013)", "adopted", (14, 0, 1), None)],
        ),
        (
            "S/RES/15 (1946) adopted unanimously",
            [("resolution", "S/RES/15 (1946)", "adopted", (None, None, None), None)],
        ),
        (
            "Draft resolution S/2011/612 vetoed by China and the Russian Federation 9-2-4",
            [("draft", "S/2011/612", "vetoed", (9, 2, 4), "CHN,RUS")],
        ),
        (
            "Draft resolutionS/2017/172vetoed by China  9-3-3",
            [("draft", "S/2017/172", "vetoed", (9, 3, 3), "CHN")],
        ),
        (
            "Draft resolution S/3755 not adopted 4-2-5  S/RES/121 (1956) adopted unanimously",
            [
                ("resolution", "S/RES/121 (1956)", "adopted", (None, None, None), None),
                ("draft", "S/3755", "failed", (4, 2, 5), None),
            ],
        ),
        (
            "S/PRST/2013/22",
            [("presidential_statement", "S/PRST/2013/22", "adopted", (None, None, None), None)],
        ),
        ("--", []),
    ],
)
def test_outcome_cells_are_parsed(cell, expected):
    got = [
        (d["kind"], d["symbol"], d["outcome"], (d["yes"], d["no"], d["abstain"]), d["vetoed_by"])
        for d in parse_outcome(cell)
    ]
    assert got == expected


def test_every_year_1946_2022_is_loaded_with_full_dates(meetings):
    frame = meetings["meetings"]
    assert set(frame["year"]) == set(range(1946, 2023))
    assert frame["date"].notna().all()
    assert all(d.year == y for d, y in zip(frame["date"], frame["year"], strict=True))


def test_covid_meetings_of_2020_are_included(meetings):
    decisions = meetings["meeting_decisions"]
    res2559 = decisions.query("resolution == 2559").iloc[0]
    assert res2559["date"].isoformat() == "2020-12-22"
    assert (res2559["yes"], res2559["no"], res2559["abstain"]) == (15, 0, 0)


def test_tallies_match_the_member_votes(meetings, data_dir):
    from peaceops.sources.votes import load_votes

    drafts = load_votes(data_dir)["drafts"].query("outcome == 'adopted' and not duplicate_set")
    tallies = meetings["meeting_decisions"].query("kind == 'resolution' and yes.notna()")
    merged = drafts.merge(tallies, on="resolution", suffixes=("_votes", "_meetings"))
    assert len(merged) > 1500
    same = (merged["yes_votes"] == merged["yes_meetings"]) & (
        merged["abstain_votes"] == merged["abstain_meetings"]
    )
    assert same.mean() > 0.9


def test_every_vetoing_member_is_a_known_permanent_member(meetings):
    vetoed = meetings["meeting_decisions"].query("outcome == 'vetoed'")
    members = {m for cell in vetoed["vetoed_by"] for m in cell.split(",")}
    assert members <= {"SUN", "RUS", "USA", "GBR", "FRA", "CHN"}
