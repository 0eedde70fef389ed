"""The impartiality index of a mandate, per resolution and per mission-year.

The paper's mechanism (Peter 2023) starts from what mandates ask missions to do: tasks that take
the host government's side against named or generic adversaries - support to host forces,
extension of state authority, offensive or targeted operations, neutralizing armed groups,
stabilization - cost a mission its impartiality; tasks that treat all parties alike -
monitoring a ceasefire or human rights, protecting civilians from any party, good offices - do
not. The index measures the balance:

    index = even-handed terms / (even-handed terms + partial terms)

1 is a mandate with only even-handed tasks, 0 one with only partial tasks; a mandate with
neither has no index (``None``), not 0.5. *Terms* are distinct: a task counts once per
resolution however many paragraphs repeat it (its first code is its evidence), and every armed
group the resolution targets by name in an operative paragraph is one more partial term
(``target:<actor_id>``), and so is ``StateAuthority`` in the Security modality (the paper's
"extension of state authority by force"; the task itself is neutral). Generic targets linked
to named groups by inference add nothing (the generic words are already coded as a task).
Task classes come from :mod:`peaceops.coding.taxonomy` (``Task.partiality``);
``docs/impartiality.md`` gives the reasons.

Every index value decomposes into its terms (``impartiality_terms``: the task or group, the
side, and the paragraph and span of the evidence).
"""

from __future__ import annotations

import pandas as pd

INDEX_VERSION = "peaceops.impartiality.v1"

TERM_COLUMNS = ["resolution", "term", "side", "paragraph", "start", "end", "quote"]


def code_side(task: str, modality: str, partiality: str) -> str:
    """The side a code counts on: its task's class, with one exception.

    The paper's "extension of state authority by force" - ``StateAuthority`` in the Security
    modality - is partial, although the task (mostly civilian administration) is neutral.
    """
    if task == "StateAuthority" and modality == "Security":
        return "partial"
    return partiality


def impartiality_terms(codes: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """The distinct partial and even-handed terms of each resolution, with their evidence.

    Args:
        codes: rows of the ``codes`` table.
        targets: rows of the ``targets`` table.
    """
    codes = codes.assign(partiality=codes["partiality"].astype(object))
    by_force = (codes["task"] == "StateAuthority") & (codes["modality"] == "Security")
    codes.loc[by_force, "partiality"] = "partial"  # see code_side
    codes.loc[by_force, "task"] = "StateAuthority/Security"
    sided = codes[codes["partiality"].isin(["partial", "even-handed"])]
    sided = sided.sort_values(["resolution", "start"]).drop_duplicates(["resolution", "task"])
    task_terms = pd.DataFrame(
        {
            "resolution": sided["resolution"],
            "term": sided["task"],
            "side": sided["partiality"],
            "paragraph": sided["paragraph"],
            "start": sided["start"],
            "end": sided["end"],
            "quote": sided["quote"],
        }
    )
    named = targets[
        (targets["relation"] == "target") & ~targets["inferred"] & targets["actor_id"].notna()
    ]
    named = named.sort_values(["resolution", "start"]).drop_duplicates(["resolution", "actor_id"])
    target_terms = pd.DataFrame(
        {
            "resolution": named["resolution"],
            "term": "target:" + named["actor_id"],
            "side": "partial",
            "paragraph": named["paragraph"],
            "start": named["start"],
            "end": named["end"],
            "quote": named["quote"],
        }
    )
    frames = [f for f in (task_terms, target_terms) if len(f)]
    if not frames:
        return pd.DataFrame(columns=TERM_COLUMNS)
    return pd.concat(frames, ignore_index=True)[TERM_COLUMNS].sort_values(
        ["resolution", "side", "term"], ignore_index=True
    )


def index_from_terms(terms: pd.DataFrame, resolutions: pd.Series) -> pd.DataFrame:
    """Per resolution: partial and even-handed term counts and the index (None if neither)."""
    counts = (
        terms.groupby(["resolution", "side"]).size().unstack(fill_value=0)
        if len(terms)
        else pd.DataFrame()
    )
    out = pd.DataFrame({"resolution": pd.Series(resolutions, dtype="int64").unique()})
    out = out.merge(counts, left_on="resolution", right_index=True, how="left")
    out["partial_terms"] = out.get("partial", 0)
    out["evenhanded_terms"] = out.get("even-handed", 0)
    out[["partial_terms", "evenhanded_terms"]] = (
        out[["partial_terms", "evenhanded_terms"]].fillna(0).astype(int)
    )
    total = out["partial_terms"] + out["evenhanded_terms"]
    # Float64 (nullable): no index is NULL in the database, not NaN
    out["index"] = (out["evenhanded_terms"] / total).where(total > 0).astype("Float64")
    out["version"] = INDEX_VERSION
    return out[["resolution", "partial_terms", "evenhanded_terms", "index", "version"]]


def state_index(state: dict[str, str]) -> tuple[int, int, float | None]:
    """Index of a mandate state given as ``{term: side}``: (partial, even-handed, index)."""
    partial = sum(1 for side in state.values() if side == "partial")
    even = sum(1 for side in state.values() if side == "even-handed")
    return partial, even, (even / (partial + even) if partial + even else None)
