"""A yearly series of Council fragmentation: vetoes, abstentions and split votes.

Data flow: two records of the knowledge base, one per period, so every year has one source:

* 1946-1993: the UN's meeting tables (``meeting_decisions``): every resolution and failed
  draft with its tally;
* 1994-2025: the per-member votes (``drafts``, without the spurious "adopted" copies of vetoed
  drafts): the same counts, plus which permanent members abstained.

Vetoed drafts, in every year, are the rows of the veto record
(``peaceops.store.council.VETO_RECORD_SQL``: the veto list, plus the vetoes the votes record
that it lacks), so that the series, the Council report and ``/api/council`` count the same
vetoes (#28); each takes its tally and topic from the year's source where the source has it
(the meeting tables miss many early vetoes, e.g. 7 of the 9 of 1946).

For each year and *scope* - ``all`` drafts, and ``paper_missions``: drafts on the hosts of the
paper's missions (Mali, the DRC, the Central African Republic, Sudan and South Sudan, Chad,
Eritrea and Ethiopia, Afghanistan) - the series counts drafts, adopted, vetoed and failed ones,
non-unanimous adoptions (at least one vote against or abstention), the unanimity share, the
abstentions (of permanent members where known) and the vetoes cast by each permanent member
(a draft vetoed by two counts for both). ``vetoes_topic_year`` lists the vetoed drafts per topic
(e.g. "Middle East (Syria)", 2011-2024).
"""

from __future__ import annotations

import pandas as pd

from peaceops.store import Database
from peaceops.store.council import VETO_RECORD_SQL

FRAGMENTATION_VERSION = "peaceops.fragmentation.v1"
FIRST_VOTE_YEAR = 1994
P5_COLUMNS = ("CHN", "FRA", "GBR", "RUS", "SUN", "USA")
PAPER_HOSTS = r"Mali|Congo|DRC|Central African|Sudan|Darfur|Chad|Eritrea|Ethiopia|Afghanistan"

# Every draft the votes record, except the vetoed ones: those come from the veto record.
_DRAFTS_SQL = """
SELECT year(date) AS year, 'sc_voting.xlsx' AS source,
       coalesce(topic, agenda_item, '') AS topic, outcome, yes, no, abstain,
       coalesce(no_p5, '') AS vetoed_by, p5_abstain
FROM ({drafts}) WHERE outcome <> 'vetoed'
"""

# The drafts of the votes (one row per ballot: draft label, meeting and outcome), without the
# spurious "adopted" copies of vetoed drafts, with the abstentions of permanent members.
_BALLOTS_SQL = """
SELECT * FROM drafts
LEFT JOIN (
    SELECT draft_label, meeting, outcome, count(*) AS p5_abstain FROM member_votes
    WHERE vote = 'abstain' AND member_iso3 IN ('CHN', 'FRA', 'GBR', 'RUS', 'USA')
    GROUP BY ALL
) USING (draft_label, meeting, outcome)
WHERE NOT duplicate_set AND year(date) >= {first}
"""

_MEETINGS_SQL = """
SELECT year, 'meeting tables' AS source, coalesce(topic, '') AS topic, outcome,
       yes, no, abstain, coalesce(vetoed_by, '') AS vetoed_by, NULL AS p5_abstain
FROM meeting_decisions
WHERE kind IN ('resolution', 'draft') AND year < {first} AND outcome <> 'vetoed'
"""

# The vetoed drafts: exactly the rows of the veto record (one definition of a veto, #28), each
# with its tally and topic from the year's source where it is found there (the votes: by draft
# symbol or label and meeting; the meeting tables: by draft symbol, else by meeting in order);
# a veto the source lacks keeps the veto list's agenda item as its topic, and no tally.
_VETOED_SQL = """
WITH rec AS (
    SELECT *, row_number() OVER (ORDER BY date, draft, meeting_record) AS rid,
           row_number() OVER (PARTITION BY year, meeting ORDER BY date, draft) AS k
    FROM ({record})
), d AS (
    SELECT year(date) AS year, * EXCLUDE (topic), coalesce(topic, agenda_item, '') AS topic
    FROM ({drafts}) WHERE outcome = 'vetoed'
), m AS (
    SELECT *, row_number() OVER (PARTITION BY year, meeting ORDER BY symbol, topic) AS k
    FROM meeting_decisions
    WHERE kind IN ('resolution', 'draft') AND outcome = 'vetoed' AND year < {first}
)
SELECT rec.year,
       CASE WHEN rec.year >= {first} THEN 'sc_voting.xlsx' ELSE 'meeting tables' END AS source,
       coalesce(d.topic, m.topic, rec.agenda_item, rec.topic, '') AS topic,
       'vetoed' AS outcome, coalesce(d.yes, m.yes) AS yes, coalesce(d.no, m.no) AS no,
       coalesce(d.abstain, m.abstain) AS abstain, coalesce(rec.vetoed_by, '') AS vetoed_by,
       d.p5_abstain,
       CASE WHEN d.year IS NOT NULL THEN 'sc_voting.xlsx'
            WHEN m.year IS NOT NULL THEN 'meeting tables'
            ELSE 'unsc_vetoes_1946_sept2022.csv' END AS topic_source
FROM rec
LEFT JOIN d ON rec.year >= {first} AND (
    (rec.source = 'sc_voting.xlsx' AND d.draft_label = rec.draft AND d.meeting = rec.meeting)
    OR (rec.source = 'veto list' AND d.draft = rec.draft))
LEFT JOIN m ON rec.year < {first} AND m.year = rec.year
    AND (m.symbol = rec.draft OR (m.meeting = rec.meeting AND m.k = rec.k))
QUALIFY row_number() OVER (
    PARTITION BY rec.rid ORDER BY d.meeting, m.symbol = rec.draft DESC, m.k
) = 1
"""


def _records(db: Database) -> pd.DataFrame:
    """One row per draft put to the vote: outcome, tally, topic and the year's source."""
    drafts = _BALLOTS_SQL.format(first=FIRST_VOTE_YEAR)
    frames = [
        db.execute(_MEETINGS_SQL.format(first=FIRST_VOTE_YEAR)),
        db.execute(_DRAFTS_SQL.format(drafts=drafts)),
        db.execute(
            _VETOED_SQL.format(record=VETO_RECORD_SQL, drafts=drafts, first=FIRST_VOTE_YEAR)
        ),
    ]
    records = pd.concat([f for f in frames if len(f)] or frames[-1:], ignore_index=True)
    records["topic_source"] = records.get("topic_source", records["source"])
    records["topic_source"] = records["topic_source"].fillna(records["source"])
    return records


def _series(records: pd.DataFrame, scope: str) -> pd.DataFrame:
    rows = []
    for (year, source), group in records.groupby(["year", "source"], sort=True):
        adopted = group["outcome"] == "adopted"
        split = adopted & ((group["no"].fillna(0) > 0) | (group["abstain"].fillna(0) > 0))
        known = adopted & group["yes"].notna()
        vetoed = group[group["outcome"] == "vetoed"]["vetoed_by"]
        row = {
            "year": int(year),
            "scope": scope,
            "source": source,
            "drafts": len(group),
            "adopted": int(adopted.sum()),
            "vetoed": int((group["outcome"] == "vetoed").sum()),
            "failed": int((group["outcome"] == "failed").sum()),
            "non_unanimous": int(split.sum()),
            "unanimity_share": (1 - split.sum() / known.sum()) if known.sum() else None,
            "abstentions": int(group["abstain"].fillna(0).sum()),
            "p5_abstentions": (
                int(group["p5_abstain"].fillna(0).sum())
                if group["p5_abstain"].notna().any()
                else None
            ),
        }
        for member in P5_COLUMNS:
            row[f"vetoes_{member.lower()}"] = int(vetoed.str.contains(member).sum())
        row["version"] = FRAGMENTATION_VERSION
        rows.append(row)
    return pd.DataFrame(rows)


def compute_fragmentation(db: Database) -> dict[str, int]:
    """Recompute ``fragmentation_year`` and ``vetoes_topic_year``; return rows written."""
    records = _records(db)
    paper = records[records["topic"].str.contains(PAPER_HOSTS, case=True, regex=True)]
    series = pd.concat(
        [_series(records, "all"), _series(paper, "paper_missions")], ignore_index=True
    )
    series["unanimity_share"] = series["unanimity_share"].astype("Float64")
    series["p5_abstentions"] = series["p5_abstentions"].astype("Int64")
    vetoed = records[records["outcome"] == "vetoed"]
    topics = (
        vetoed.groupby(["year", "topic", "topic_source"])
        .agg(
            vetoes=("outcome", "size"),
            vetoed_by=(
                "vetoed_by",
                lambda s: ",".join(sorted({m for v in s for m in v.split(",") if m})),
            ),
        )
        .reset_index()
        .rename(columns={"topic_source": "source"})
    )
    return db.replace({"fragmentation_year": series, "vetoes_topic_year": topics})
