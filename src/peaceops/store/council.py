"""The Security Council as a whole: fragmentation, votes by member, vetoes, for a range of years.

:func:`council` is the one query behind ``peaceops report council``, the web explorer's votes
page and ``/api/council``. It returns a JSON-ready document (lists of dicts, dates as ISO 8601
strings, missing values as ``None``) read from these tables of the knowledge base:

* ``fragmentation_year`` (``peaceops.measures.fragmentation``): drafts, adoptions, vetoes,
  split votes and abstentions per year and scope, from the UN meeting tables before 1994 and
  the per-member votes from 1994;
* ``member_votes`` and ``council_members``: each member's yes / no / abstain per year, and the
  ballots it cast no vote on while it sat on the Council;
* ``vetoes_topic_year`` and ``vetoes``: vetoed drafts per topic and year, and the veto list;
* ``sources`` and ``build_info``: the source files behind them and the build time.

Nothing is smoothed or filled: a year a source does not cover has no row, a count that cannot
be known (who did not vote when the membership of that year is unknown) is ``None``, and
records that contradict each other are counted in ``data_issues`` rather than repaired.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

from peaceops.errors import UsageError
from peaceops.store.database import Database

#: The permanent members today (ISO3), in the order the report shows them.
P5 = ("CHN", "FRA", "GBR", "RUS", "USA")
#: The veto columns of ``fragmentation_year`` (``SUN``: the USSR, until 1991).
VETO_MEMBERS = ("CHN", "FRA", "GBR", "RUS", "SUN", "USA")
#: Outcome labels of ``member_votes`` that say no member voted against or abstained.
UNANIMOUS_LABELS = ("Adopted unanimously", "Adopted by consensus", "Adopted by acclamation")

#: What each kind of ``data_issues`` row counts.
ISSUES = {
    "outside_membership": (
        "vote records of states the membership file does not list on the Council that year "
        "(their votes are counted under those states, and the members they displace show as "
        "not voting)"
    ),
    "contradicts_outcome": (
        "votes against or abstentions recorded on drafts labelled adopted unanimously, by "
        "consensus or by acclamation"
    ),
    "double_vote": "a member recorded twice on one ballot, with different votes",
    "duplicate_dropped": (
        "spurious second sets of 15 votes (a vetoed draft also marked adopted, without a "
        "resolution) left out of the member counts"
    ),
}

#: The sources (names of the ``sources`` table) behind each part, with the labels that the
#: ``source`` columns of ``fragmentation_year`` and ``vetoes_topic_year`` use for them.
SOURCES = (
    ("meetings", "meeting tables", "fragmentation and vetoes by topic before 1994"),
    ("votes", "sc_voting.xlsx", "fragmentation, member votes and vetoes by topic from 1994"),
    ("council_membership", "council_membership.csv", "who sat on the Council each year"),
    ("vetoes", "unsc_vetoes_1946_sept2022.csv", "the list of vetoed drafts"),
)

#: The veto record: the one definition of "a veto in year Y" (#28) that ``fragmentation_year``,
#: the Council report (table and bars), the web explorer and ``/api/council`` all count. A veto
#: is a row of the veto list (``vetoes``, 1946 to July 2022), or a draft the per-member votes
#: record as vetoed that the list lacks: S/1996/952 (the United States' veto of a second term for
#: the Secretary-General, cast at a private meeting, which the list leaves out) and every veto
#: after the list ends. A draft on the list is never counted twice, and the spurious "adopted"
#: copies of vetoed drafts (``drafts.duplicate_set``) are not vetoes. One row per vetoed draft;
#: ``vetoed_by`` is sorted ISO3 codes, ``meeting`` the meeting number where known.
VETO_RECORD_SQL = """
SELECT year(date) AS year, date, draft, meeting_record,
       try_cast(regexp_extract(meeting_record, '(\\d+)', 1) AS INTEGER) AS meeting,
       agenda_item, crisis_topic AS topic,
       array_to_string(list_sort(string_split(vetoed_by, ',')), ',') AS vetoed_by,
       'veto list' AS source
FROM vetoes
UNION ALL
SELECT year(date), date, draft_label, CAST(meeting AS VARCHAR), meeting, agenda_item, topic,
       array_to_string(list_sort(string_split(no_p5, ',')), ','), 'sc_voting.xlsx'
FROM drafts d
WHERE outcome = 'vetoed' AND NOT duplicate_set
  AND (d.draft IS NULL OR d.draft NOT IN (SELECT draft FROM vetoes WHERE draft IS NOT NULL))
"""

# One ballot: a draft put to the vote at one meeting (two unnumbered drafts of one meeting are
# told apart by their resolution; a draft voted twice, by date and outcome).
_BALLOT = (
    "concat_ws('|', coalesce(draft_label, ''), meeting, date, "
    "coalesce(CAST(resolution AS VARCHAR), ''), outcome_label)"
)

# The member votes of a range of years, without the spurious second sets of the source (see
# ../shared/data/README.md: "Some vetoed drafts appear twice at the same meeting, once with their
# veto and once as a second set of 15 rows marked 'Adopted unanimously' with no resolution").
_KEPT = f"""
SELECT m.*, year(m.date) AS year, {_BALLOT} AS ballot,
       m.outcome = 'adopted' AND m.resolution IS NULL AND EXISTS (
           SELECT 1 FROM drafts d WHERE d.duplicate_set AND d.meeting = m.meeting
           AND d.draft_label IS NOT DISTINCT FROM m.draft_label
       ) AS spurious
FROM member_votes m WHERE year(m.date) BETWEEN ? AND ?
"""


def _value(value: Any) -> Any:
    """A JSON-ready value: dates as ISO 8601 strings, NaN as None."""
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _rows(db: Database, sql: str, params: list | None = None) -> list[dict]:
    return [{k: _value(v) for k, v in row.items()} for row in db.rows(sql, params)]


def _has_table(db: Database, name: str) -> bool:
    return bool(
        db.scalar("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name])
    )


def last_vote(db: Database) -> date | None:
    """The day of the last Council vote in the store (the end of its record), None if none."""
    value = db.scalar("SELECT max(date) FROM drafts")
    if value is None:
        return None
    return value.date() if isinstance(value, datetime) else value


def data_years(db: Database) -> tuple[int, int]:
    """The first and last year of any Council record (series, member votes, veto list).

    Raises:
        UsageError: the knowledge base holds no Council records.
    """
    first, last = db.tuples(
        "SELECT min(y), max(y) FROM ("
        "SELECT year AS y FROM fragmentation_year UNION ALL "
        "SELECT year(date) FROM member_votes UNION ALL SELECT year(date) FROM vetoes)"
    )[0]
    if first is None:
        raise UsageError(
            "the knowledge base holds no Security Council votes; build it from a data directory "
            "with votes/ and meetings/ (`peaceops build`)"
        )
    return int(first), int(last)


def _check_years(
    year_from: int | None, year_to: int | None, first: int, last: int
) -> tuple[int, int]:
    """The range asked for, within the data; refuse a reversed range or years outside it."""
    for name, year in (("from", year_from), ("to", year_to)):
        if year is None:
            continue
        if isinstance(year, bool) or not isinstance(year, int):
            raise UsageError(f"the '{name}' year must be a whole year such as 2011, got {year!r}")
        if not first <= year <= last:
            raise UsageError(
                f"{year} is outside the Council data ({first}-{last}); choose a '{name}' year "
                "in that range"
            )
    lo = first if year_from is None else year_from
    hi = last if year_to is None else year_to
    if lo > hi:
        raise UsageError(
            f"the years run backwards ({lo} to {hi}); give the earlier year first "
            f"(--from {hi} --to {lo})"
        )
    return lo, hi


def council(db: Database, year_from: int | None = None, year_to: int | None = None) -> dict:
    """The Council from ``year_from`` to ``year_to`` (inclusive; default: every year of data).

    Returns:
        A JSON-ready dict:

        * ``years``: ``{"from", "to", "first", "last"}`` - the range shown and the data's own;
        * ``built_at`` (the build's time, to the second), ``fragmentation_version``;
        * ``coverage``: per record, the first and last year (or date) within the range
          (``None`` if none) and the last of the whole record (``file_last``), and the years
          whose membership is known (``membership``);
        * ``scopes``: the scopes present in ``fragmentation`` (``all``, ``paper_missions``);
        * ``fragmentation``: rows of ``fragmentation_year`` (year, scope, source, drafts,
          adopted, vetoed, failed, non_unanimous, unanimity_share, abstentions,
          p5_abstentions, ``vetoes_<member>`` for CHN FRA GBR RUS SUN USA), by scope and year;
        * ``tallies``: for the years the series takes from the meeting tables, the adoptions
          (``adopted``) and those with a numeric tally (``with_tally``), on which alone the
          unanimity share rests; the others are recorded as ``adopted unanimously``
          (``unanimous_no_tally``) or adopted ``without vote`` (``without_vote``);
        * ``p5``: the permanent members' ISO3 codes;
        * ``ballots``: ``{"year", "ballots", "records"}`` - drafts put to the vote per year in
          the member votes, and the vote records on them (spurious duplicates left out);
        * ``member_years``: one row per member and year of the member votes: ``member_iso3``,
          ``member``, ``seat`` (permanent / elected / None if unknown), ``on_council`` (True,
          False when the membership file does not list it that year, None when that year's
          membership is unknown), ``ballots``, ``yes``, ``no``, ``abstain``, ``not_voting``
          (ballots it cast no vote on while on the Council; None unless ``on_council``),
          ``non_yes_share`` ((no + abstain + not voting) / ballots; None unless
          ``on_council``);
        * ``vetoes_by_topic``: rows of ``vetoes_topic_year`` (year, topic, vetoes, vetoed_by,
          source);
        * ``vetoes``: the veto record (:data:`VETO_RECORD_SQL`; date, draft, meeting_record,
          agenda_item, topic, vetoed_by, source): the veto list, then the drafts the member
          votes record as vetoed that the list lacks (S/1996/952, and those after its end);
          ``fragmentation`` counts exactly these per year (#28);
        * ``veto_check``: for each year the veto list covers, vetoed drafts in the series
          (``series``), in the list (``veto_list``) and in the veto record (``record``);
        * ``data_issues``: ``{"year", "issue", "count"}`` (kinds in ``issues``);
        * ``issues``: what each kind of data issue counts;
        * ``sources``: the source files (name, label, description, paths, status, rows,
          used_for).

    Raises:
        UsageError: a range that runs backwards, a year outside the data, or no data at all.
    """
    first, last = data_years(db)
    lo, hi = _check_years(year_from, year_to, first, last)
    fragmentation = _rows(
        db,
        "SELECT * EXCLUDE (version) FROM fragmentation_year WHERE year BETWEEN ? AND ? "
        "ORDER BY scope = 'all' DESC, scope, year",
        [lo, hi],
    )
    membership = _membership_years(db)
    member_years, ballots = _member_years(db, lo, hi, membership)
    vetoes = _vetoes(db, lo, hi)
    built = (
        db.scalar("SELECT max(built_at) FROM build_info") if _has_table(db, "build_info") else None
    )
    return {
        "years": {"from": lo, "to": hi, "first": first, "last": last},
        "built_at": built.isoformat(sep=" ", timespec="seconds") if built else None,
        "fragmentation_version": db.scalar("SELECT min(version) FROM fragmentation_year"),
        "coverage": _coverage(db, lo, hi, membership),
        "scopes": sorted({r["scope"] for r in fragmentation}, key=lambda s: (s != "all", s)),
        "fragmentation": fragmentation,
        "tallies": _tallies(db, lo, hi),
        "p5": list(P5),
        "ballots": ballots,
        "member_years": member_years,
        "vetoes_by_topic": _rows(
            db,
            "SELECT year, topic, vetoes, vetoed_by, source FROM vetoes_topic_year "
            "WHERE year BETWEEN ? AND ? ORDER BY year, topic",
            [lo, hi],
        ),
        "vetoes": vetoes,
        "veto_check": _veto_check(db, lo, hi),
        "data_issues": _data_issues(db, lo, hi, membership),
        "issues": dict(ISSUES),
        "sources": _sources(db),
    }


def _tallies(db: Database, lo: int, hi: int) -> list[dict]:
    """Adoptions with and without a numeric tally, for the years of the meeting tables."""
    return _rows(
        db,
        "SELECT year, count(*) AS adopted, count(yes) AS with_tally, "
        "count(*) FILTER (yes IS NULL AND lower(tally_text) LIKE '%unanimous%') "
        "AS unanimous_no_tally, "
        "count(*) FILTER (yes IS NULL AND lower(tally_text) LIKE '%without vote%') "
        "AS without_vote "
        "FROM meeting_decisions WHERE kind IN ('resolution', 'draft') AND outcome = 'adopted' "
        "AND year BETWEEN ? AND ? AND year IN (SELECT year FROM fragmentation_year "
        "WHERE scope = 'all' AND source = 'meeting tables') GROUP BY year ORDER BY year",
        [lo, hi],
    )


def _membership_years(db: Database) -> list[int]:
    """Years whose whole membership is listed (15 members; the file's edge years are partial)."""
    return [
        int(r["year"])
        for r in db.rows(
            "SELECT year FROM council_members GROUP BY year HAVING count(*) >= 15 ORDER BY year"
        )
    ]


def _span(db: Database, sql: str, params: list) -> dict:
    first, last = db.tuples(sql, params)[0]
    return {"first": _value(first), "last": _value(last)}


def _coverage(db: Database, lo: int, hi: int, membership: list[int]) -> dict:
    known = [y for y in membership if lo <= y <= hi]
    by_source = {
        r["source"]: {"first": r["first"], "last": r["last"]}
        for r in _rows(
            db,
            "SELECT source, min(year) AS first, max(year) AS last FROM fragmentation_year "
            "WHERE year BETWEEN ? AND ? GROUP BY source ORDER BY first",
            [lo, hi],
        )
    }
    return {
        "fragmentation": by_source,
        "member_votes": {
            **_span(
                db,
                "SELECT min(date), max(date) FROM member_votes WHERE year(date) BETWEEN ? AND ?",
                [lo, hi],
            ),
            "file_last": _value(db.scalar("SELECT max(date) FROM member_votes")),
        },
        "membership": {
            "first": known[0] if known else None,
            "last": known[-1] if known else None,
            "file_first": membership[0] if membership else None,
            "file_last": membership[-1] if membership else None,
        },
        "veto_list": {
            **_span(
                db,
                "SELECT min(date), max(date) FROM vetoes WHERE year(date) BETWEEN ? AND ?",
                [lo, hi],
            ),
            "file_last": _value(db.scalar("SELECT max(date) FROM vetoes")),
        },
    }


def _member_years(
    db: Database, lo: int, hi: int, membership: list[int]
) -> tuple[list[dict], list[dict]]:
    """Each member's votes per year, and the ballots per year.

    A member sits on the Council in a year when ``council_members`` lists it; permanent members
    sit every year (the membership file bounds their seats by its own period but notes that
    the seat is continuous). Other members of a year whose membership is unknown get
    ``on_council`` None, so their ``not_voting`` cannot be counted.
    """
    per_year = {
        r["year"]: r
        for r in _rows(
            db,
            f"SELECT year, count(DISTINCT ballot) AS ballots, count(*) AS records FROM ({_KEPT}) "
            "WHERE NOT spurious GROUP BY year ORDER BY year",
            [lo, hi],
        )
    }
    ballots = {year: r["ballots"] for year, r in per_year.items()}
    counts = {
        (r["year"], r["member_iso3"]): r
        for r in _rows(
            db,
            f"SELECT year, member_iso3, count(DISTINCT ballot) AS voted, "
            "count(DISTINCT ballot) FILTER (vote = 'yes') AS yes, "
            "count(DISTINCT ballot) FILTER (vote = 'no') AS no, "
            "count(DISTINCT ballot) FILTER (vote = 'abstain') AS abstain "
            f"FROM ({_KEPT}) WHERE NOT spurious GROUP BY ALL",
            [lo, hi],
        )
    }
    seats = {
        (r["year"], r["member_iso3"]): r["seat"]
        for r in _rows(
            db,
            "SELECT year, member_iso3, seat FROM council_members WHERE year BETWEEN ? AND ?",
            [lo, hi],
        )
    }
    names = {  # the spelling of the vote records (most used first), else the membership file's
        r["member_iso3"]: r["member"]
        for r in _rows(
            db,
            "SELECT member_iso3, first(member ORDER BY n DESC, member) AS member FROM ("
            "SELECT member_iso3, member, count(*) AS n FROM member_votes GROUP BY ALL UNION ALL "
            "SELECT member_iso3, member, 0 FROM council_terms) GROUP BY 1",
        )
    }
    known = set(membership)
    keys = set(counts) | {k for k in seats if k[0] in ballots}
    keys |= {(year, m) for year in ballots for m in P5}
    out = []
    for year, iso3 in sorted(keys, key=lambda k: (k[0], k[1] not in P5, k[1])):
        row = counts.get((year, iso3), {"voted": 0, "yes": 0, "no": 0, "abstain": 0})
        seat = "permanent" if iso3 in P5 else seats.get((year, iso3))
        if seat is not None:
            on_council: bool | None = True
        else:
            on_council = False if year in known else None
        total = ballots[year]
        not_voting = total - row["voted"] if on_council else None
        share = None
        if on_council and total:
            share = round((row["no"] + row["abstain"] + not_voting) / total, 4)
        out.append(
            {
                "year": year,
                "member_iso3": iso3,
                "member": names.get(iso3) or iso3,
                "seat": seat,
                "on_council": on_council,
                "ballots": total,
                "yes": row["yes"],
                "no": row["no"],
                "abstain": row["abstain"],
                "not_voting": not_voting,
                "non_yes_share": share,
            }
        )
    return out, [per_year[y] for y in sorted(per_year)]


def _vetoes(db: Database, lo: int, hi: int) -> list[dict]:
    """The veto record (:data:`VETO_RECORD_SQL`): the veto list, then vetoes it lacks."""
    rows = _rows(
        db,
        "SELECT date, draft, meeting_record, agenda_item, topic, vetoed_by, source "
        f"FROM ({VETO_RECORD_SQL}) WHERE year BETWEEN ? AND ? "
        "ORDER BY date, draft",
        [lo, hi],
    )
    for row in rows:
        row["meeting_record"] = " ".join((row["meeting_record"] or "").split()) or None
        row["vetoed_by"] = row["vetoed_by"] or None
    return rows


def _veto_check(db: Database, lo: int, hi: int) -> list[dict]:
    """Vetoed drafts per year in the series, the veto list and the veto record.

    Over the list's years: ``series`` (``fragmentation_year``), ``veto_list`` (the list's own
    rows) and ``record`` (the list plus the vetoes it lacks, which the series counts).
    """
    return _rows(
        db,
        "WITH listed AS (SELECT year(date) AS year, count(*) AS veto_list FROM vetoes "
        f"GROUP BY 1), record AS (SELECT year, count(*) AS record FROM ({VETO_RECORD_SQL}) "
        "GROUP BY 1), series AS (SELECT year, vetoed AS series FROM fragmentation_year "
        "WHERE scope = 'all') "
        "SELECT year, coalesce(series, 0) AS series, coalesce(veto_list, 0) AS veto_list, "
        "coalesce(record, 0) AS record "
        "FROM series FULL JOIN listed USING (year) FULL JOIN record USING (year) "
        "WHERE year BETWEEN ? AND ? AND year <= (SELECT year(max(date)) FROM vetoes) "
        "ORDER BY year",
        [lo, hi],
    )


def _data_issues(db: Database, lo: int, hi: int, membership: list[int]) -> list[dict]:
    """Counts of records that contradict each other or the membership, per year and kind."""
    known = [y for y in membership if lo <= y <= hi] or [-1]
    marks = ", ".join("?" for _ in known)
    labels = ", ".join(f"'{label}'" for label in UNANIMOUS_LABELS)
    sql = f"""
    WITH kept AS ({_KEPT})
    SELECT year, 'outside_membership' AS issue, count(*) AS count FROM kept k
    WHERE NOT spurious AND year IN ({marks}) AND member_iso3 NOT IN ({", ".join(map(repr, P5))})
      AND NOT EXISTS (SELECT 1 FROM council_members c
                      WHERE c.year = k.year AND c.member_iso3 = k.member_iso3)
    GROUP BY ALL
    UNION ALL
    SELECT year, 'contradicts_outcome', count(*) FROM kept
    WHERE NOT spurious AND vote <> 'yes' AND outcome_label IN ({labels}) GROUP BY ALL
    UNION ALL
    SELECT year, 'double_vote', count(*) FROM (
        SELECT year, ballot, member_iso3 FROM kept WHERE NOT spurious GROUP BY ALL
        HAVING count(DISTINCT vote) > 1
    ) GROUP BY ALL
    UNION ALL
    SELECT year, 'duplicate_dropped', count(DISTINCT ballot) FROM kept WHERE spurious GROUP BY ALL
    """
    rows = _rows(db, f"SELECT * FROM ({sql}) ORDER BY year, issue", [lo, hi, *known])
    order = list(ISSUES)
    return sorted(rows, key=lambda r: (r["year"], order.index(r["issue"])))


def _sources(db: Database) -> list[dict]:
    """The source files behind the document, as the build recorded them."""
    stored = (
        {r["name"]: r for r in _rows(db, "SELECT * FROM sources")}
        if _has_table(db, "sources")
        else {}
    )
    out = []
    for name, label, used_for in SOURCES:
        row = stored.get(name, {})
        out.append(
            {
                "name": name,
                "label": label,
                "description": row.get("description"),
                "paths": row.get("paths"),
                "status": row.get("status") or "not in the knowledge base",
                "rows": row.get("rows"),
                "used_for": used_for,
            }
        )
    return out
