"""A yearly series of Council fragmentation: vetoes, abstentions and split votes.

Data flow: two records of the knowledge base, one per period, so every year has one source:

* 1946-1993: the UN's meeting tables (``meeting_decisions``): every resolution and failed
  draft with its tally and, for vetoes, the vetoing members;
* 1994-2025: the per-member votes (``drafts``, without the spurious duplicate sets): the same
  counts, plus which permanent members abstained.

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

FRAGMENTATION_VERSION = "peaceops.fragmentation.v1"
FIRST_VOTE_YEAR = 1994
P5_COLUMNS = ("CHN", "FRA", "GBR", "RUS", "SUN", "USA")
PAPER_HOSTS = r"Mali|Congo|DRC|Central African|Sudan|Darfur|Chad|Eritrea|Ethiopia|Afghanistan"

_DRAFTS_SQL = """
SELECT year(date) AS year, 'sc_voting.xlsx' AS source,
       coalesce(topic, agenda_item, '') AS topic, outcome, yes, no, abstain,
       coalesce(no_p5, '') AS vetoed_by, p5_abstain
FROM drafts
LEFT JOIN (
    SELECT draft_label, meeting, outcome_label, count(*) AS p5_abstain FROM member_votes
    WHERE vote = 'abstain' AND member_iso3 IN ('CHN', 'FRA', 'GBR', 'RUS', 'USA')
    GROUP BY ALL
) USING (draft_label, meeting)
WHERE NOT duplicate_set AND year(date) >= {first}
"""

_MEETINGS_SQL = """
SELECT year, 'meeting tables' AS source, coalesce(topic, '') AS topic, outcome,
       yes, no, abstain, coalesce(vetoed_by, '') AS vetoed_by, NULL AS p5_abstain
FROM meeting_decisions
WHERE kind IN ('resolution', 'draft') AND year < {first}
"""


def _records(db: Database) -> pd.DataFrame:
    drafts = db.execute(_DRAFTS_SQL.format(first=FIRST_VOTE_YEAR))
    meetings = db.execute(_MEETINGS_SQL.format(first=FIRST_VOTE_YEAR))
    frames = [f for f in (meetings, drafts) if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else drafts


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
        vetoed.groupby(["year", "topic", "source"])
        .agg(
            vetoes=("outcome", "size"),
            vetoed_by=(
                "vetoed_by",
                lambda s: ",".join(sorted({m for v in s for m in v.split(",") if m})),
            ),
        )
        .reset_index()
    )
    return db.replace({"fragmentation_year": series, "vetoes_topic_year": topics})
