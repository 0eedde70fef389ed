"""Check the Article 27 rules against the Council's real record, and explain every mismatch.

Data flow: :func:`check_record` reads two independent records from the knowledge base and
decides every vote again with :mod:`peaceops.doctrine.voting`:

* ``member_votes`` (1994-2025): one ballot per draft, meeting and recorded outcome, with each
  member's vote - the full rule, permanent members included;
* ``meeting_decisions`` (1946-2022): the tallies of the UN's meeting tables (``15-0-0``), with
  the vetoing members where the table names them - the rule on counts.

Where the computed outcome differs from the recorded one, :func:`_cause` looks for the reason in
the other sources (the veto list, the other record, the data README's known quirks) and files
it as ``data`` (the record is wrong or incomplete), ``rules`` (the rules say something else
than the record, e.g. a "veto" of a draft that lacked the votes) or ``unexplained``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pandas as pd

from peaceops.doctrine.voting import (
    VOTING_RULES,
    Ballot,
    VoteError,
    VoteOutcome,
    composition,
    decide,
    decide_tally,
    permanent_members,
)
from peaceops.store import Database

CHECK_COLUMNS = [
    "source",
    "item",
    "date",
    "meeting",
    "recorded",
    "computed",
    "tally",
    "rule",
    "agree",
    "cause_kind",
    "cause",
]


@dataclass(frozen=True)
class RecordCheck:
    """The agreement of the rules with the record, and every mismatch with its cause."""

    rows: pd.DataFrame

    def summary(self) -> dict:
        """The JSON document of ``peaceops votes check --json``."""
        mismatches = self.rows[~self.rows["agree"]]
        by_source = {
            source: {
                "drafts": len(group),
                "agree": int(group["agree"].sum()),
                "agreement": round(float(group["agree"].mean()), 4),
            }
            for source, group in self.rows.groupby("source")
        }
        return {
            "rules": VOTING_RULES,
            "drafts": len(self.rows),
            "agree": int(self.rows["agree"].sum()),
            "agreement": round(float(self.rows["agree"].mean()), 4) if len(self.rows) else None,
            "by_source": by_source,
            "unexplained": int((mismatches["cause_kind"] == "unexplained").sum()),
            "mismatches": [
                {k: _json_value(v) for k, v in row.items()}
                for row in mismatches.drop(columns="agree").to_dict("records")
            ],
        }

    def csv_text(self) -> str:
        """Every decision and mismatch as CSV (the command writes it, #27)."""
        return self.rows.to_csv(index=False)


def _json_value(value: object) -> object:
    """Dates as ISO strings, missing values (NaN, NA) as None."""
    if isinstance(value, date):
        return value.isoformat()
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return value


def _ballots(db: Database) -> pd.DataFrame:
    return db.execute(
        "SELECT coalesce(draft_label, '(no label)') AS item, meeting, outcome_label, "
        "any_value(outcome) AS recorded, min(date) AS date, max(resolution) AS resolution, "
        "list(member_iso3) FILTER (WHERE vote = 'yes') AS yes, "
        "list(member_iso3) FILTER (WHERE vote = 'no') AS no, "
        "list(member_iso3) FILTER (WHERE vote = 'abstain') AS abstain, count(*) AS rows "
        "FROM member_votes GROUP BY ALL ORDER BY date, meeting, item, outcome_label"
    )


def check_member_votes(db: Database) -> list[dict]:
    """Decide every ballot of ``member_votes`` and compare with its recorded outcome."""
    ballots = _ballots(db)
    tallies = _meeting_tallies(db)
    vetoes = _veto_list(db)
    duplicates = ballots.groupby(["item", "meeting"])["recorded"].transform("size") > 1
    out = []
    ballots["date"] = pd.to_datetime(ballots["date"]).dt.date
    for row, duplicate in zip(ballots.itertuples(index=False), duplicates, strict=True):
        on = row.date
        groups = {k: _states(getattr(row, k)) for k in ("yes", "no", "abstain")}
        tally = f"{len(groups['yes'])}-{len(groups['no'])}-{len(groups['abstain'])}"
        out.append(
            _checked(
                "member_votes",
                row.item,
                on,
                row.meeting,
                row.recorded,
                tally,
                lambda on=on, groups=groups: decide(Ballot(on, **groups)),
                lambda computed, error, row=row, duplicate=duplicate, groups=groups: _cause_votes(
                    row, computed, error, duplicate, tallies, vetoes, groups
                ),
            )
        )
    return out


def _checked(
    source: str,
    item: str,
    on: date,
    meeting: object,
    recorded: str,
    tally: str,
    decision: Callable[[], VoteOutcome],
    cause: Callable[[str | None, str | None], tuple[str, str]],
) -> dict:
    """One row of the check: decide, compare with the record, and explain a mismatch."""
    try:
        result = decision()
        computed, rule, error = result.outcome, result.rule, None
    except VoteError as exc:
        computed, rule, error = None, None, str(exc)
    agree = computed == recorded
    kind, why = ("", "") if agree else cause(computed, error)
    return {
        "source": source,
        "item": item,
        "date": on,
        "meeting": meeting,
        "recorded": recorded,
        "computed": computed,
        "tally": tally,
        "rule": rule,
        "agree": agree,
        "cause_kind": kind,
        "cause": why,
    }


def _states(value: object) -> frozenset[str]:
    """Member codes from a DuckDB list (NULL when no member voted that way)."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return frozenset()
    return frozenset(str(v) for v in value)


def _cause_votes(row, computed, error, duplicate, tallies, vetoes, groups) -> tuple[str, str]:
    size, required = composition(row.date)
    p5_no = sorted(groups["no"] & permanent_members(row.date))
    official = tallies.get(int(row.resolution)) if pd.notna(row.resolution) else None
    if error:
        return "data", f"the vote rows cannot be a ballot: {error}"
    if duplicate and row.recorded == "adopted" and pd.isna(row.resolution):
        return "data", (
            "a second, spurious set of votes recorded as 'adopted unanimously' "
            "for a draft vetoed at the same meeting (data README)"
        )
    if row.recorded == "adopted" and computed == "vetoed":
        note = f"; the meeting tables record {official}" if official else ""
        return "data", (
            f"adopted, yet the rows carry a negative vote of {', '.join(p5_no)}"
            f" (the README's 1995 rows of 'No' votes on unanimous drafts){note}"
        )
    if row.recorded == "adopted" and computed == "failed":
        note = f"; the meeting tables record {official}" if official else ""
        return "data", (
            f"adopted, but the {row.rows} vote rows hold only {len(groups['yes'])} "
            f"affirmative votes of the {required} required{note}"
        )
    if row.recorded == "vetoed" and computed == "failed":
        return "rules", (
            f"recorded as a veto by {', '.join(p5_no) or 'a permanent member'}, "
            f"but with {len(groups['yes'])} affirmative votes the draft lacked the "
            f"{required} required: under Art. 27(3) it fails whatever the permanent "
            "members vote (art27.3.insufficient); the source counts any negative "
            "vote of a permanent member as a veto"
        )
    if row.recorded == "vetoed" and computed == "adopted":
        listed = vetoes.get(row.item)
        return "data", (
            "recorded as vetoed but no permanent member votes 'No' in the rows"
            + (f"; the veto list names {listed}" if listed else "")
        )
    if row.recorded == "failed" and computed == "vetoed":
        return "data", (
            f"recorded as failing for lack of votes, but it had {len(groups['yes'])} "
            f"affirmative votes and the negative vote of {', '.join(p5_no)}: a veto"
        )
    if row.recorded == "failed" and computed == "adopted":
        return "data", (
            f"recorded as failed with {len(groups['yes'])} affirmative votes and no "
            "negative vote of a permanent member in the rows"
        )
    return "unexplained", f"recorded {row.recorded}, computed {computed} ({size} members)"


def _meeting_tallies(db: Database) -> dict[int, str]:
    rows = db.tuples(
        "SELECT resolution, yes, no, abstain, tally_text FROM meeting_decisions "
        "WHERE kind = 'resolution'"
    )
    return {int(r): (f"{y}-{n}-{a}" if y is not None else t) for r, y, n, a, t in rows}


def _veto_list(db: Database) -> dict[str, str]:
    return dict(db.tuples("SELECT draft, vetoed_by FROM vetoes"))


def check_meeting_tallies(db: Database) -> list[dict]:
    """Decide every tally of the meeting tables (1946-2022) and compare with the outcome."""
    rows = db.tuples(
        "SELECT symbol, date, meeting, kind, outcome, yes, no, abstain, vetoed_by "
        "FROM meeting_decisions WHERE yes IS NOT NULL ORDER BY date"
    )
    vetoes = _veto_list(db)
    out = []
    for symbol, on, meeting, _kind, recorded, yes, no, abstain, vetoed_by in rows:
        named = (vetoed_by or "").split(",") if vetoed_by else []
        tally = f"{yes}-{no}-{abstain}"
        out.append(
            _checked(
                "meeting_tables",
                symbol,
                on,
                meeting,
                recorded,
                tally,
                lambda on=on, yes=yes, no=no, abstain=abstain, named=named: decide_tally(
                    on, yes, no, abstain, vetoed_by=named
                ),
                lambda computed, error, symbol=symbol, on=on, recorded=recorded, yes=yes, no=no: (
                    _cause_tally(symbol, on, recorded, computed, error, yes, no, vetoes)
                ),
            )
        )
    return out


def _cause_tally(symbol, on, recorded, computed, error, yes, no, vetoes) -> tuple[str, str]:
    size, required = composition(on)
    if error:
        return "data", f"the tally cannot be a vote: {error}"
    listed = vetoes.get(symbol)
    if recorded == "failed" and computed == "adopted":
        if listed:
            return "data", (
                f"the meeting table says 'not adopted' without naming the veto; the "
                f"veto list records {symbol} as vetoed by {listed}"
            )
        return "data", (
            f"{yes} affirmative votes and {no} against, no veto named: the table does "
            "not say which permanent member voted against"
        )
    if recorded == "vetoed" and computed == "failed":
        return "rules", (
            f"recorded as a veto, but {yes} affirmative votes are fewer than the "
            f"{required} required: the draft fails whatever the permanent members "
            "vote (art27.3.insufficient)"
        )
    if recorded == "adopted" and computed == "failed":
        return "data", (
            f"adopted with {yes} affirmative votes of {required} required in "
            f"{on.year} ({size} members): the tally is misprinted or the decision "
            "was procedural"
        )
    return "unexplained", f"recorded {recorded}, computed {computed}"


def check_record(db: Database) -> RecordCheck:
    """Both checks, one frame."""
    rows = check_member_votes(db) + check_meeting_tallies(db)
    return RecordCheck(pd.DataFrame(rows, columns=CHECK_COLUMNS))


def council_members_on(db: Database, on: date) -> frozenset[str] | None:
    """The Council's members on ``on`` from ``council_members`` (None: the year is not covered).

    Membership is by calendar year (elected terms run from 1 January); the permanent members
    are always included.
    """
    rows = db.tuples("SELECT member_iso3 FROM council_members WHERE year = ?", [on.year])
    if not rows:
        return None
    return frozenset(r[0] for r in rows if r[0]) | permanent_members(on)
