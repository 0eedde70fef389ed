import pandas as pd
import pytest
from tests.conftest import mirror_data_dir

from peaceops.sources import SourceError
from peaceops.sources.votes import (
    load_membership,
    load_vetoes,
    load_votes,
    parse_resolution_label,
    unswap_day_month,
)


@pytest.fixture(scope="module")
def votes(data_dir):
    return load_votes(data_dir)


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("893 (1994)", (893, 1994)),
        ("S/RES/2686 (2023)", (2686, 2023)),
        ("S/RES/2781(2025)", (2781, 2025)),
        ("Resolution 2640 (2022)", (2640, 2022)),
        (" 2637 (2022)", (2637, 2022)),
        ("2457\xa0(2019)", (2457, 2019)),
        ("S/2025/270", None),
        (float("nan"), None),
    ],
)
def test_resolution_labels_in_every_style(label, expected):
    assert parse_resolution_label(label) == expected


def test_day_and_month_are_swapped_back_only_when_the_day_is_12_or_less():
    stored = pd.Series(pd.to_datetime(["1994-06-01", "1999-10-06", "2013-03-28"]))
    assert unswap_day_month(stored).dt.strftime("%Y-%m-%d").tolist() == [
        "1994-01-06",
        "1999-06-10",
        "2013-03-28",
    ]


def test_all_member_votes_are_loaded_with_no_swapped_symbols(votes):
    frame = votes["member_votes"]
    assert len(frame) == 29_929
    assert not frame["draft_label"].str.contains("RES", na=False).any()
    symbols = frame["draft"].dropna()
    assert symbols.str.fullmatch(r"S/\d{4}/\d+(/Rev\.\d+)?").all()
    assert len(symbols) / len(frame) > 0.98  # the rest are oral amendments and unlabelled rows
    swapped = frame[frame["resolution"].isin([2779, 2780, 2781])]
    assert set(swapped["draft"]) == {"S/2025/270", "S/2025/333"}
    assert frame["member_iso3"].notna().all()


@pytest.mark.parametrize(
    ("number", "date"),
    [(893, "1994-01-06"), (1244, "1999-06-10"), (2508, "2020-02-11"), (2098, "2013-03-28")],
)
def test_vote_dates_are_repaired(votes, number, date):
    rows = votes["member_votes"].query("resolution == @number")
    assert {d.isoformat() for d in rows["date"]} == {date}


def test_mistyped_labels_are_repaired_and_logged(votes):
    frame = votes["member_votes"]
    issues = votes["data_issues"]
    assert not frame.query("resolution == 425").size
    assert (frame["resolution"] == 1425).any()
    assert (frame.query("resolution == 1184")["resolution_year"] == 1998).all()
    assert "label read as S/RES/1425 (2002)" in set(issues["action"])


def test_drafts_carry_tallies_and_p5_negative_votes(votes):
    drafts = votes["drafts"]
    res2098 = drafts.query("resolution == 2098").iloc[0]
    assert (res2098["yes"], res2098["no"], res2098["abstain"]) == (15, 0, 0)
    vetoed = drafts.query("outcome == 'vetoed' and not duplicate_set")
    assert vetoed["no_p5"].notna().mean() > 0.95
    syria_2011 = drafts.query("draft == 'S/2011/612'").iloc[0]
    assert syria_2011["no_p5"] == "CHN,RUS"


def test_vetoes_list(data_dir):
    vetoes = load_vetoes(data_dir)["vetoes"]
    assert len(vetoes) == 214
    assert vetoes["date"].min().year == 1946
    assert (vetoes["vetoed_by"] == "SUN").sum() > 80


def test_membership_has_fifteen_members_in_every_full_year(data_dir):
    members = load_membership(data_dir)["council_members"]
    per_year = members.groupby("year").size()
    assert (per_year.loc[1992:2023] == 15).all()
    p5 = set(members.query("seat == 'permanent' and year == 2000")["member_iso3"])
    assert p5 == {"CHN", "FRA", "GBR", "RUS", "USA"}


def test_corrupt_votes_file_names_the_file(data_dir, tmp_path):
    mirror = mirror_data_dir(data_dir, tmp_path / "data", copy=("votes/sc_voting.xlsx",))
    (mirror / "votes/sc_voting.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(SourceError, match=r"sc_voting\.xlsx"):
        load_votes(mirror)


def test_votes_without_required_column_is_an_error(data_dir, tmp_path):
    mirror = mirror_data_dir(data_dir, tmp_path / "data", copy=("votes/sc_voting.xlsx",))
    frame = pd.read_excel(mirror / "votes/sc_voting.xlsx", engine="calamine").head(30)
    frame.drop(columns=["Vote"]).to_excel(mirror / "votes/sc_voting.xlsx", index=False)
    with pytest.raises(SourceError, match=r"columns \['Vote'\] are missing"):
        load_votes(mirror)


def test_resolution_2715_keeps_its_stored_date(votes):
    # stored right as 2023-12-01; the README's swap rule would make it 12 January
    rows = votes["member_votes"].query("resolution == 2715")
    assert {d.isoformat() for d in rows["date"]} == {"2023-12-01"}


def test_repaired_vote_dates_agree_with_the_independent_record(votes, data_dir):
    from peaceops.sources.meetings import load_meetings
    from peaceops.sources.resolutions import load_resolution_dates

    dates = load_resolution_dates(data_dir)["resolution_dates"].dropna()
    meetings = load_meetings(data_dir)["meeting_decisions"].query("kind == 'resolution'")
    truth = pd.concat(
        [dates[["number", "date"]].rename(columns={"number": "resolution"}),
         meetings[["resolution", "date"]]]
    ).drop_duplicates("resolution")  # fmt: skip
    raw = pd.read_excel(data_dir / "votes/sc_voting.xlsx", engine="calamine")
    frame = votes["member_votes"].assign(rule=unswap_day_month(raw["Date,"]).dt.date)
    merged = frame.drop_duplicates("resolution").merge(truth, on="resolution", suffixes=("", "_t"))
    assert len(merged) > 1700
    agree = (merged["date"] == merged["date_t"]).mean()
    assert agree > 0.99
    assert agree > (merged["rule"] == merged["date_t"]).mean()
