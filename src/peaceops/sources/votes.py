"""Per-member votes (1994-2025), vetoed drafts (1946-2022) and Council membership.

Data flow: ``sc_voting.xlsx`` has one row per member per draft. :func:`load_votes` repairs it
(every repair is also written to ``data_issues``) and returns two tables:

* ``member_votes`` - one row per member vote, with the draft symbol, the resolution it became
  (if adopted), the meeting, the corrected date and the member's ISO3 code;
* ``drafts`` - one row per (draft, meeting): recorded outcome and the yes/no/abstain tally;
* ``draft_sponsors`` - one row per sponsor of each draft, from ``Submitted by``
  (:mod:`peaceops.sources.sponsors`: presidential drafts, ``-none-`` and empty cells flagged,
  unknown names kept and written to ``data_issues``).

Repairs, each checked against the file (see the data README):

* the date column is called ``Date,`` and its day and month are swapped whenever the stored
  day is 12 or less (S/RES/893 of 6 January 1994 is stored as 1994-06-01) - but not always
  (S/RES/2715 of 1 December 2023 is stored right), so the order of meetings decides where the
  rule and the neighbouring meetings disagree (:func:`repair_vote_dates`);
* 36 rows of 2025 have ``Resolution`` and ``Draft`` swapped;
* resolution labels come in many styles (``893 (1994)``, ``S/RES/2781(2025)``,
  ``Resolution 2640 (2022)``, non-breaking spaces); one regex extracts number and year, and a
  label whose number belongs to another year (``425 (2002)`` for 1425) is repaired when exactly
  one resolution of that year, adopted on that date, ends with those digits;
* member names are harmonised to ISO3 (``Ethipia`` included).

Some drafts appear twice at a meeting (once vetoed, once as a spurious unanimous set without a
resolution); both are kept in ``member_votes``, and ``drafts.duplicate_set`` flags the spurious
"adopted" copy only, so that the veto is counted (#28).
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pandas as pd

from peaceops.sources.base import (
    ISSUE_COLUMNS,
    SourceError,
    check_columns,
    read_csv,
    read_excel,
    require,
)
from peaceops.sources.countries import PERMANENT_MEMBER_NAMES, to_iso3_series
from peaceops.sources.sponsors import draft_sponsors

logger = logging.getLogger(__name__)

VOTES_FILE = "votes/sc_voting.xlsx"
VETOES_FILE = "votes/unsc_vetoes_1946_sept2022.csv"
MEMBERSHIP_FILE = "council/council_membership.csv"

VOTE_COLUMNS = [
    "Year",
    "Date,",
    "Resolution",
    "Meeting",
    "Draft",
    "Agenda item",
    "Category",
    "Region",
    "Submitted by",
    "Outcome results",
    "Vote",
    "Member State",
    "Topic",
]

#: "S/RES/2686 (2023)", "893 (1994)", "Resolution 2640 (2022)", "2457\xa0(2019)", "2781(2025)".
RESOLUTION_LABEL = re.compile(r"(?:S/RES/|Resolution\s+)?(\d{1,4})\s*\((\d{4})\)")

OUTCOMES = {
    "Adopted unanimously": "adopted",
    "Adopted by majority": "adopted",
    "Adopted by consensus": "adopted",
    "Adopted by acclamation": "adopted",
    "Not adopted - veto": "vetoed",
    "Not adopted - failed to receive required number of votes": "failed",
}


def parse_resolution_label(label: object) -> tuple[int, int] | None:
    """Return ``(number, year)`` from any resolution label style, or ``None``."""
    if label is None or (isinstance(label, float) and pd.isna(label)):
        return None
    match = RESOLUTION_LABEL.search(str(label).replace("\xa0", " "))
    if not match:
        return None
    return int(match.group(1)), int(match.group(2))


def unswap_day_month(stored: pd.Series) -> pd.Series:
    """Undo the day/month swap of ``sc_voting.xlsx``: swap back when the stored day is <= 12."""
    stored = pd.to_datetime(stored)
    swap = stored.dt.day <= 12
    fixed = pd.to_datetime(
        {"year": stored.dt.year, "month": stored.dt.day, "day": stored.dt.month}, errors="coerce"
    )
    return stored.where(~swap, fixed)


def repair_vote_dates(stored: pd.Series, meeting: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Repair the day/month swap, using the order of meetings where the swap rule is wrong.

    The data README's rule (swap back when the stored day is 12 or less) is right for most
    rows but not all: S/RES/2715 is stored correctly as 2023-12-01. Meetings are numbered in
    date order, so an ambiguous date (day <= 12, day != month) is checked against the nearest
    unambiguous meetings before and after it; when only the stored date fits between them, it
    is kept. When both or neither fit, the README's rule decides.

    Returns:
        The repaired dates and a mask of the rows kept as stored against the rule.
    """
    stored = pd.to_datetime(stored)
    swapped = unswap_day_month(stored)
    ambiguous = (stored.dt.day <= 12) & (stored.dt.day != stored.dt.month)
    meeting = pd.to_numeric(meeting, errors="coerce")
    anchors = (
        pd.DataFrame({"meeting": meeting, "date": stored})[~ambiguous & meeting.notna()]
        .groupby("meeting", as_index=False)["date"]
        .min()
        .sort_values("meeting")
    )
    rows = pd.DataFrame({"meeting": meeting, "row": range(len(meeting))})[
        ambiguous & meeting.notna()
    ].sort_values("meeting")
    kept = pd.Series(False, index=stored.index)
    if len(rows) and len(anchors):
        bounds = {}
        for direction in ("backward", "forward"):
            found = pd.merge_asof(
                rows, anchors, on="meeting", direction=direction, allow_exact_matches=False
            )
            bounds[direction] = pd.Series(found["date"].to_numpy(), index=found["row"].to_numpy())
        index = stored.index[rows["row"].to_numpy()]
        lo = bounds["backward"].reindex(rows["row"].to_numpy()).to_numpy()
        hi = bounds["forward"].reindex(rows["row"].to_numpy()).to_numpy()
        lo, hi = pd.Series(lo, index=index), pd.Series(hi, index=index)

        def fits(candidate: pd.Series) -> pd.Series:
            c = candidate[index]
            return (lo.isna() | (c >= lo)) & (hi.isna() | (c <= hi))

        keep = fits(stored) & ~fits(swapped)
        kept.loc[keep[keep].index] = True
    return stored.where(~ambiguous | kept, swapped), kept


def _issue(item: str, issue: str, action: str) -> dict:
    return {"source": "votes", "item": item, "issue": issue, "action": action}


def _repair_labels(
    raw: pd.DataFrame, known_years: dict[int, tuple[int, object]], dates: pd.Series
) -> tuple[pd.Series, pd.Series, list[dict]]:
    """Extract (number, year) per row; repair swapped columns and digit-dropping typos."""
    issues: list[dict] = []
    resolution = raw["Resolution"].astype("string").str.strip()
    draft = raw["Draft"].astype("string").str.strip()
    swapped = resolution.str.match(r"S/\d{4}/", na=False) & draft.str.contains("RES", na=False)
    for res, drf in raw.loc[swapped, ["Resolution", "Draft"]].drop_duplicates().itertuples(False):
        issues.append(
            _issue(str(drf), f"Resolution ({res}) and Draft ({drf}) columns swapped", "swapped")
        )
    resolution, draft = resolution.where(~swapped, draft), draft.where(~swapped, resolution)
    parts = resolution.str.replace("\xa0", " ").str.extract(RESOLUTION_LABEL)
    number = pd.to_numeric(parts[0]).astype("Int64")
    year = pd.to_numeric(parts[1]).astype("Int64")
    # Typos: "425 (2002)" for 1425 (2002), "1184 (1989)" for 1184 (1998). A label whose number
    # belongs to another year is repaired from the vote's date: if the number was adopted on
    # that date, the year is wrong; else if exactly one resolution adopted that day ends with
    # the same digits, the number lost a digit. Anything else is left and flagged.
    by_date: dict[object, list[int]] = {}
    for n, (_, d) in known_years.items():
        by_date.setdefault(d, []).append(n)
    labels = pd.DataFrame({"number": number, "year": year, "date": dates})
    for (n, y, d), idx in labels.dropna().groupby(["number", "year", "date"]).groups.items():
        if n not in known_years or known_years[n][0] == y:
            continue
        item, problem = f"{n} ({y})", f"S/RES/{n} is of {known_years[n][0]}, not {y}"
        known_date = known_years[n][1]
        same_day = [m for m in by_date.get(d, []) if str(m).endswith(str(n)) and m != n]
        if known_date is not None and not pd.isna(known_date) and abs((known_date - d).days) <= 3:
            year.loc[idx] = known_years[n][0]
            issues.append(_issue(item, problem, f"year read as {known_years[n][0]}"))
        elif len(same_day) == 1:
            number.loc[idx] = same_day[0]
            issues.append(_issue(item, problem, f"label read as S/RES/{same_day[0]} ({y})"))
        else:
            issues.append(_issue(item, problem, "left as is: no unique repair"))
    return number, year, issues


def load_votes(
    data_dir: Path, *, known_years: dict[int, tuple[int, object]] | None = None
) -> dict[str, pd.DataFrame]:
    """Load per-member votes and derive one row per draft and meeting.

    Args:
        data_dir: the data directory.
        known_years: resolution number -> (year, date) from the resolution dates, used to
            repair mistyped labels. Loaded from the data directory when not given.
    """
    path = require(data_dir, VOTES_FILE)
    raw = read_excel(path)
    check_columns(raw, path, VOTE_COLUMNS)
    if known_years is None:
        from peaceops.sources.resolutions import load_resolution_dates

        dates = load_resolution_dates(data_dir)["resolution_dates"]
        known_years = {
            int(n): (int(y), d) for n, y, d in dates[["number", "year", "date"]].itertuples(False)
        }
    date, kept = repair_vote_dates(
        raw["Date,"], raw["Meeting"].astype("string").str.extract(r"(\d+)", expand=False)
    )
    number, year, issues = _repair_labels(raw, known_years, date.dt.date)
    for label, stored in (
        raw.loc[kept, ["Draft", "Date,"]].drop_duplicates("Draft").itertuples(index=False)
    ):
        issues.append(
            _issue(
                str(label),
                f"stored date {pd.Timestamp(stored).date()} has day <= 12",
                "kept as stored: the swapped date does not fit the meeting order",
            )
        )
    draft = raw["Draft"].astype("string").str.strip()
    swapped = raw["Resolution"].astype("string").str.match(r"S/\d{4}/", na=False)
    draft = draft.where(~swapped, raw["Resolution"].astype("string").str.strip())
    # Labels carry notes ("S/2002/259 as orally revised", "Oral amendment", "S/2015/37;
    # S/2015/114"): keep the label, and extract the first draft symbol from it.
    draft_label = draft.str.replace(r"\s+", " ", regex=True)
    draft = draft_label.str.extract(r"([Ss]/\d{4}/\d+(?:/Rev\.\d+)?)", expand=False).str.upper()
    meeting = raw["Meeting"].astype("string").str.extract(r"(\d+)", expand=False)
    outcome = raw["Outcome results"].map(OUTCOMES)
    if outcome.isna().any():
        unknown = sorted(raw.loc[outcome.isna(), "Outcome results"].astype(str).unique())
        raise SourceError(path, f"unknown values in 'Outcome results': {unknown[:5]}")
    vote = raw["Vote"].str.strip().str.lower()
    if not vote.isin(["yes", "no", "abstain"]).all():
        raise SourceError(path, "column 'Vote' holds values other than Yes/No/Abstain")
    member_iso3 = to_iso3_series(raw["Member State"].astype("string").str.strip())
    if member_iso3.isna().any():
        unknown = sorted(raw.loc[member_iso3.isna(), "Member State"].astype(str).unique())
        raise SourceError(path, f"member states not recognised: {unknown}")
    votes = pd.DataFrame(
        {
            "draft": draft,
            "draft_label": draft_label,
            "meeting": pd.to_numeric(meeting).astype("Int64"),
            "date": date.dt.date,
            "date_stored": pd.to_datetime(raw["Date,"]).dt.date,
            "resolution": number,
            "resolution_year": year,
            "agenda_item": raw["Agenda item"].astype("string"),
            "topic": raw["Topic"].astype("string"),
            "category": raw["Category"].astype("string"),
            "region": raw["Region"].astype("string"),
            "submitted_by": raw["Submitted by"].astype("string"),
            "outcome": outcome.astype("string"),
            "outcome_label": raw["Outcome results"].astype("string"),
            "member": raw["Member State"].astype("string").str.strip(),
            "member_iso3": member_iso3,
            "vote": vote.astype("string"),
        }
    )
    drafts = _drafts(votes)
    sponsors, sponsor_issues = draft_sponsors(drafts[~drafts["duplicate_set"]])
    return {
        "member_votes": votes,
        "drafts": drafts.drop(columns="submitted_by"),
        "draft_sponsors": sponsors,
        "data_issues": pd.DataFrame(issues + sponsor_issues, columns=ISSUE_COLUMNS),
    }


def _drafts(votes: pd.DataFrame) -> pd.DataFrame:
    keys = ["draft_label", "meeting", "outcome_label"]
    grouped = votes.groupby(keys, dropna=False, sort=False)
    drafts = grouped.agg(
        draft=("draft", "first"),
        date=("date", "first"),
        resolution=("resolution", "max"),
        resolution_year=("resolution_year", "max"),
        agenda_item=("agenda_item", "first"),
        topic=("topic", "first"),
        submitted_by=("submitted_by", "first"),
        outcome=("outcome", "first"),
        members=("member_iso3", "count"),
        yes=("vote", lambda v: int((v == "yes").sum())),
        no=("vote", lambda v: int((v == "no").sum())),
        abstain=("vote", lambda v: int((v == "abstain").sum())),
    ).reset_index()
    negative_p5 = (
        votes[(votes["vote"] == "no") & votes["member_iso3"].isin(P5_ISO3)]
        .groupby(keys, dropna=False)["member_iso3"]
        .agg(lambda s: ",".join(sorted(s)))
        .rename("no_p5")
        .reset_index()
    )
    drafts = drafts.merge(negative_p5, on=keys, how="left")
    # Only the spurious copy is flagged, never the veto it shadows: flagging both sets dropped
    # the vetoes of S/1995/394, S/1997/18, S/1997/199, S/1997/241 and S/1999/201 from every
    # count (#28). Spurious: an "adopted" set without a resolution, at a meeting where the
    # same draft was vetoed. Two real ballots under one label (S/2020/667, S/2020/684: the
    # labels of other drafts voted at the same videoconference) are both kept.
    vetoed_at = drafts.loc[drafts["outcome"] == "vetoed", ["draft_label", "meeting"]]
    vetoed_keys = set(vetoed_at.itertuples(index=False, name=None))
    drafts["duplicate_set"] = [
        outcome == "adopted" and pd.isna(resolution) and (label, meeting) in vetoed_keys
        for label, meeting, outcome, resolution in drafts[
            ["draft_label", "meeting", "outcome", "resolution"]
        ].itertuples(index=False, name=None)
    ]
    for col in ("yes", "no", "abstain", "members"):
        drafts[col] = drafts[col].astype("Int64")
    return drafts[
        ["draft", "draft_label", "meeting", "date", "resolution", "resolution_year",
         "agenda_item", "topic", "outcome", "members", "yes", "no", "abstain", "no_p5",
         "duplicate_set", "submitted_by"]
    ]  # fmt: skip


P5_ISO3 = ("CHN", "FRA", "GBR", "RUS", "USA")


def load_vetoes(data_dir: Path) -> dict[str, pd.DataFrame]:
    """Load the list of vetoed drafts (world-politics-datalab, 1946 - Sept 2022)."""
    path = require(data_dir, VETOES_FILE)
    raw = read_csv(path, dtype=str)
    check_columns(
        raw,
        path,
        [
            "year",
            "date",
            "draft",
            "meeting_record",
            "agenda_item",
            "member_veto1",
            "member_veto2",
            "member_veto3",
        ],
    )
    members = raw[["member_veto1", "member_veto2", "member_veto3"]].apply(
        lambda row: ",".join(
            PERMANENT_MEMBER_NAMES.get(m.strip(), m.strip()) for m in row.dropna() if m.strip()
        ),
        axis=1,
    )
    unknown = {
        m for ms in members for m in ms.split(",") if m and m not in PERMANENT_MEMBER_NAMES.values()
    }
    if unknown:
        raise SourceError(path, f"unknown vetoing members {sorted(unknown)}")
    vetoes = pd.DataFrame(
        {
            "date": pd.to_datetime(raw["date"], format="%m/%d/%Y", errors="coerce").dt.date,
            "draft": raw["draft"].str.strip(),
            "meeting_record": raw["meeting_record"].str.strip(),
            "agenda_item": raw["agenda_item"],
            "crisis_topic": raw.get("crisis_topic"),
            "region": raw.get("region"),
            "vetoed_by": members,
        }
    )
    if vetoes["date"].isna().any():
        raise SourceError(path, "some rows have an unreadable date (expected m/d/Y)")
    return {"vetoes": vetoes}


def load_membership(data_dir: Path) -> dict[str, pd.DataFrame]:
    """Load Council membership terms (1992-2023) and expand them to one row per member-year."""
    path = require(data_dir, MEMBERSHIP_FILE)
    raw = read_csv(path, comment="#", dtype=str, skip_blank_lines=True)
    check_columns(raw, path, ["country_org", "start_year", "end_year", "seat"])
    raw = raw.dropna(subset=["country_org"])
    iso3 = to_iso3_series(raw["country_org"].str.strip())
    if iso3.isna().any():
        raise SourceError(path, f"unknown members {raw.loc[iso3.isna(), 'country_org'].tolist()}")
    start = pd.to_numeric(raw["start_year"], errors="coerce")
    end = pd.to_numeric(raw["end_year"], errors="coerce")
    if start.isna().any() or end.isna().any() or (end < start).any():
        raise SourceError(path, "start_year/end_year must be years with start <= end")
    terms = pd.DataFrame(
        {
            "member": raw["country_org"].str.strip(),
            "member_iso3": iso3,
            "start_year": start.astype("Int64"),
            "end_year": end.astype("Int64"),
            "seat": raw["seat"].str.strip(),
            "note": raw.get("note"),
        }
    )
    years = terms.loc[terms.index.repeat(terms["end_year"] - terms["start_year"] + 1)].copy()
    years["year"] = years["start_year"] + years.groupby(level=0).cumcount()
    members = years[["year", "member_iso3", "seat"]].reset_index(drop=True)
    members["year"] = members["year"].astype("Int64")
    return {"council_terms": terms.reset_index(drop=True), "council_members": members}
