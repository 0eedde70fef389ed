"""Mandate inheritance across renewals, and the impartiality index per mission-year.

Data flow: for each mission of the registry, :func:`inherit` walks the resolutions that
establish, renew, change and terminate it (``mission_resolutions``, in date order) and keeps a
*mandate state*: the tasks in force, each with its strongest modality (Encouraged < Monitor <
Assist < Security), its strength markers and the resolution that last stated it, plus the
armed groups it targets by name. At each resolution every task is ``added``, ``carried``,
``strengthened``, ``weakened`` or ``dropped``:

* an establishing resolution sets the state to its tasks;
* a renewal or change that restates the mandate (at least three tasks and at least half of
  those in force) replaces the state: tasks it no longer lists are dropped. Renewals often just
  "extend the mandate" or add a few tasks: those tasks are merged and the rest carry forward.
  A resolution that only gives the mission tasks (role ``tasks``: no act on its mandate, a
  sanctions resolution asking a mission to help) is always merged, never a restatement;
* a terminating resolution with text ends the inheritance: only what it states itself (a
  drawdown) stays in force. One without text (UNOCI's S/RES/2284 set a final mandate) is never
  read as "all tasks dropped": the tasks in force carry forward, marked so;
* a resolution without text in the data directory carries the state forward, and says from
  which resolution with text the codes come; each mission-year says what its index rests on.

The resolutions are the mission's confirmed ``mandate_history`` (#28): the curated rows, the
acts read from the texts and the registry extracts. A year reads the last of them adopted by
its end; when that one has text but its mandate ran out (the ``end_date`` its text gives)
before the year ended, and no later linked resolution renewed it, the renewal in force is one
without text or not linked: the year is ``carried_forward`` and its ``note`` says why.

A resolution coding several missions is read for each; the coder does not split its tasks by
mission (a known simplification, noted in ``docs/impartiality.md``). The index of each year is
that of the state in force at the end of the year.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from peaceops.measures.impartiality import INDEX_VERSION, code_side, state_index

INHERITANCE_VERSION = "peaceops.inheritance.v1"
RANK = {"Encouraged": 0, "Monitor": 1, "Assist": 2, "Security": 3}
_RESTATE_MIN = 3
#: A mission that ended within this of its mandate's end date ended with it (no renewal due).
_LAPSE_SLACK = pd.Timedelta(days=92)

INHERITANCE_COLUMNS = [
    "mission",
    "resolution",
    "date",
    "task",
    "status",
    "modality_before",
    "modality_after",
    "strength_before",
    "strength_after",
    "source_resolution",
    "note",
    "version",
]


@dataclass
class _Entry:
    modality: str
    strength: frozenset[str]
    side: str
    source: int
    extra: dict = field(default_factory=dict)


def _stated(codes: pd.DataFrame, targets: pd.DataFrame, number: int) -> dict[str, _Entry]:
    """Tasks and named targets a resolution states, strongest modality first."""
    stated: dict[str, _Entry] = {}
    for row in codes.itertuples(index=False):
        entry = stated.get(row.task)
        strength = frozenset(() if row.strength is None else list(row.strength))
        if entry is None:
            side = code_side(row.task, row.modality, row.partiality)
            stated[row.task] = _Entry(row.modality, strength, side, number)
        else:
            if RANK[row.modality] > RANK[entry.modality]:
                entry.modality = row.modality
                entry.side = code_side(row.task, row.modality, row.partiality)
            entry.strength = entry.strength | strength
    for row in targets.itertuples(index=False):
        stated.setdefault(
            f"target:{row.actor_id}", _Entry("Security", frozenset(), "partial", number)
        )
    return stated


def _compare(before: _Entry, after: _Entry) -> str:
    rank = RANK[after.modality] - RANK[before.modality]
    gained, lost = after.strength - before.strength, before.strength - after.strength
    if rank > 0 or (rank == 0 and gained and not lost):
        return "strengthened"
    if rank < 0 or (rank == 0 and lost and not gained):
        return "weakened"
    return "carried"


def inherit(
    mission: str,
    resolutions: pd.DataFrame,
    codes: pd.DataFrame,
    targets: pd.DataFrame,
) -> tuple[list[tuple], list[tuple[object, dict[str, str]]]]:
    """Walk one mission's resolutions.

    Args:
        mission: acronym.
        resolutions: its resolutions (``number``, ``date``, ``role``, ``has_text``), by date.
        codes: ``codes`` rows of those resolutions.
        targets: named, non-inferred ``target`` rows of those resolutions.

    Returns:
        Inheritance rows (in :data:`INHERITANCE_COLUMNS` order) and the state after each
        resolution as ``(date, {term: side})``.
    """
    state: dict[str, _Entry] = {}
    rows: list[tuple] = []
    states: list[tuple[object, dict[str, str]]] = []
    by_res = dict(tuple(codes.groupby("resolution"))) if len(codes) else {}
    tg_res = dict(tuple(targets.groupby("resolution"))) if len(targets) else {}
    empty_codes, empty_targets = codes.iloc[0:0], targets.iloc[0:0]

    def row(
        number: int,
        date: object,
        task: str,
        status: str,
        before: _Entry | None,
        after: _Entry | None,
        note: str | None = None,
    ) -> None:
        rows.append(
            (
                mission,
                number,
                date,
                task,
                status,
                before.modality if before else None,
                after.modality if after else None,
                sorted(before.strength) if before else None,
                sorted(after.strength) if after else None,
                (after or before).source if (after or before) else None,
                note,
                INHERITANCE_VERSION,
            )
        )

    last_text: int | None = None  # the last resolution with text: where carried codes come from
    for res in resolutions.itertuples(index=False):
        number, date, role = int(res.number), res.date, res.role
        if not res.has_text and (role != "terminate" or state):
            source = f"S/RES/{last_text}" if last_text is not None else "no earlier text"
            what = "terminating resolution without text" if role == "terminate" else "no text"
            note = f"{what} in the data directory: codes carried forward from {source}"
            for task, entry in sorted(state.items()):
                row(number, date, task, "carried", entry, entry, note)
            states.append((date, {t: e.side for t, e in state.items()}))
            continue
        if res.has_text:
            last_text = number
        stated = _stated(by_res.get(number, empty_codes), tg_res.get(number, empty_targets), number)
        if role == "terminate":
            # a termination ends the inheritance, text or not: what stays in force is what
            # the terminating resolution itself states (the drawdown), so that its own codes
            # and the mission-year index agree (see #12)
            new: dict[str, _Entry] = dict(stated)
            note = (
                "mandate terminated"
                if res.has_text
                else "mandate terminated (no text in the data directory and no tasks before it)"
            )
        elif role == "establish" or (
            role != "tasks" and len(stated) >= _RESTATE_MIN and len(stated) >= 0.5 * len(state)
        ):
            new, note = dict(stated), ("established" if role == "establish" else "mandate restated")
        else:
            new = {**state, **stated}
            note = None
        for task in sorted(set(state) | set(new)):
            before, after = state.get(task), new.get(task)
            if before is None:
                row(number, date, task, "added", None, after, note)
            elif after is None:
                row(number, date, task, "dropped", before, None, note)
            elif task in stated:
                row(number, date, task, _compare(before, after), before, after, note)
            else:
                row(number, date, task, "carried", before, after, note)
        state = new
        states.append((date, {t: e.side for t, e in state.items()}))
    return rows, states


def mission_years(
    mission: str,
    states: list[tuple[object, dict[str, str]]],
    resolutions: pd.DataFrame,
    until: int | None = None,
    ended: object = None,
) -> list[tuple]:
    """Index of the state in force at the end of each year, from the first resolution on.

    The years run to the last resolution's, or to ``until`` when later (the mission's end, or
    the last year of the record for a mission still active), the last state carried forward.
    ``ended`` is the mission's end date: a mandate that ran out as the mission ended (within
    three months) was not renewed by anything unlinked.

    Each year also says what its index rests on (``basis``): ``coded`` when the resolution in
    force has text, ``carried_forward`` when it has none and the codes come from an earlier
    resolution with text (``source_resolution``), or when the one read has text but its mandate
    ran out before the year ended and no linked resolution renewed it (``note`` says so), and
    ``no_codes`` when no text backs the year (a mandate established or terminated by a
    resolution without text, with no tasks before it).
    """
    texts = resolutions["has_text"].fillna(False).astype(bool).tolist()
    roles = resolutions["role"].tolist()
    ends = resolutions["end_date"].tolist() if "end_date" in resolutions else [None] * len(roles)
    dated = []
    last_text = None
    for (d, s), n, has_text, role, end in zip(
        states, resolutions["number"], texts, roles, ends, strict=True
    ):
        last_text = int(n) if has_text else last_text
        if d is None or pd.isna(d):
            continue
        if has_text:
            basis, source = "coded", int(n)
        elif last_text is not None and (role != "terminate" or s):
            basis, source = "carried_forward", last_text
        else:
            basis, source = "no_codes", None
        end = None if end is None or pd.isna(end) else pd.Timestamp(end)
        dated.append((pd.Timestamp(d), s, int(n), basis, source, end, role))
    if not dated:
        return []
    out = []
    last = max(dated[-1][0].year, until or 0)
    for year in range(dated[0][0].year, last + 1):
        in_force = [row for row in dated if row[0].year <= year]
        _, state, number, basis, source, end, role = in_force[-1]
        note = None
        lapsed = end is not None and end < pd.Timestamp(year, 12, 31)
        if lapsed and ended is not None and pd.Timestamp(ended) <= end + _LAPSE_SLACK:
            lapsed = False  # the mandate ran out as the mission ended: nothing renewed it
        if basis == "coded" and role != "terminate" and lapsed:
            basis = "carried_forward"
            note = (
                f"the mandate of S/RES/{number} ran to {end.date()}; the resolution in force at "
                f"the end of {year} is not linked or has no text"
            )
        partial, even, index = state_index(state)
        out.append(
            (mission, year, number, partial, even, index, basis, source, INDEX_VERSION, note)
        )
    return out
