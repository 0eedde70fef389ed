"""Mandate links derived from the texts, stored and reconciled with the curated registry (#28).

Data flow: ``resolutions``, ``paragraphs``, ``codes``, ``missions`` and the curated
``mission_resolutions`` -> :func:`link_mandates` (the acts of :mod:`peaceops.coding.acts`, plus
a ``tasks`` link where the coder gave a mission tasks and no act names it, an ``addresses``
link where an operative paragraph of a resolution that acts on no mission names one; numbered
families read as the phase in force) -> ``mandate_acts``
-> :func:`reconcile_links` (per mission: curated only, derived only, both) and
:func:`pema_agreement` (recall of PEMA's mission-resolution pairs that have text) ->
:func:`links_markdown` (``docs/mandate-links.md``).

The measures read these links through each mission's ``mandate_history``
(:mod:`peaceops.coding.history`), which joins them with the curated rows and the registry
extracts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

import pandas as pd

from peaceops.coding.acts import ACTS_VERSION, MandateAct, MissionNames, find_acts, reconcile
from peaceops.store import Database

COLUMNS = ["resolution", "paragraph", "mission", "act", "start", "end", "quote", "end_date",
           "named_as", "rule", "coder"]  # fmt: skip


def _names(db: Database) -> MissionNames:
    """Every mission's acronym, name and dates, to be found in texts."""
    return MissionNames(
        db.tuples('SELECT acronym, name, start, "end", successor FROM missions ORDER BY acronym')
    )


def derive_links(db: Database, numbers: Sequence[int] | None = None) -> list[MandateAct]:
    """The mandate acts and task links of the resolutions with text (all, or ``numbers``)."""
    names = _names(db)
    where = "" if numbers is None else " AND number IN (SELECT unnest(?::INTEGER[]))"
    params = None if numbers is None else [list(numbers)]
    texts, dates = {}, {}
    for number, text, day in db.tuples(
        f"SELECT number, text, date FROM resolutions WHERE has_text{where}", params
    ):
        texts[number], dates[number] = text, day
    paragraphs: dict[int, list[tuple[str, int, int]]] = defaultdict(list)
    for number, label, start, end in db.tuples(
        "SELECT resolution, label, start, \"end\" FROM paragraphs WHERE kind = 'operative' "
        "AND depth = 0 ORDER BY resolution, start, label"
    ):
        if number in texts:
            paragraphs[number].append((label, start, end))
    linked: dict[int, set[str]] = defaultdict(set)
    for acronym, number in db.tuples(
        "SELECT acronym, number FROM mission_resolutions ORDER BY acronym, number"
    ):
        linked[number].add(acronym)
    tasks: dict[int, list[tuple]] = defaultdict(list)
    for number, label, mission, start, end in db.tuples(
        'SELECT resolution, paragraph, mission, start, "end" FROM codes '
        'ORDER BY resolution, start, "end", paragraph, task, mission'
    ):
        if number in texts:
            tasks[number].append((label, mission, start, end))
    acts: list[MandateAct] = []
    for number in sorted(texts):
        text = texts[number]
        mentions = names.find(text)
        found = find_acts(number, text, paragraphs.get(number, []), names,
                          linked=linked.get(number, ()), mentions=mentions,
                          on=dates.get(number))  # fmt: skip
        acts.extend(found)
        day = dates.get(number)
        given = _task_links(number, text, tasks.get(number, []), mentions, found, linked)
        given = _phased(given, names, day, successors=True)  # no task goes to an ended mission
        acts.extend(given)
        addressed = _addressed(number, text, paragraphs.get(number, []), mentions, found + given)
        acts.extend(_phased(addressed, names, day, successors=False))
    # a total order: builds agree whatever the hash seed and the workers (#13)
    return sorted(acts, key=lambda a: (a.resolution, a.start, a.end, a.mission, a.act))


def _phased(
    rows: list[MandateAct], names: MissionNames, day, *, successors: bool
) -> list[MandateAct]:
    """Rows for the phase in force of a numbered family ("UNOSOM": UNOSOM I in 1992)."""
    out: dict[str, MandateAct] = {}
    for row in rows:
        for mission in names.phases(row.mission, day, successors=successors):
            if mission not in out:
                rule = row.rule if mission == row.mission else (
                    f"{row.rule}:phase-of-{row.mission.replace(' ', '-')}")  # fmt: skip
                out[mission] = replace(row, mission=mission, rule=rule)
    return list(out.values())


def _task_links(number, text, tasks, mentions, found, linked) -> list[MandateAct]:
    """A ``tasks`` link for each mission given tasks by the coder that no act already names."""
    have = {a.mission for a in found}
    out: dict[str, MandateAct] = {}
    for label, mission, start, end in tasks:
        how = "acronym"
        if not mission:
            if have:
                continue  # the resolution acts on a mission: an unnamed task is that one's
            earlier = [m for m in mentions if m[0] < start]
            pick = earlier[-1] if earlier else (mentions[0] if mentions else None)
            if pick is not None:
                mission = pick[2]
            elif len(linked.get(number, ())) == 1:
                mission = next(iter(linked[number]))
            else:
                continue
            how = "generic"
        if mission in have or mission in out:
            continue
        out[mission] = MandateAct(number, label, mission, "tasks", start, end, text[start:end],
                                  None, how, f"{ACTS_VERSION}:tasks")  # fmt: skip
    return list(out.values())


def _addressed(number, text, paragraphs, mentions, found) -> list[MandateAct]:
    """An ``addresses`` link per mission an operative paragraph names that nothing else links.

    The resolution is about the mission (PEMA codes such resolutions: S/RES/728 asks the parties
    to cooperate with UNAMIC) but changes nothing in its mandate, so the measures must never
    read it as a renewal. Only a resolution that acts on no mission and gives none tasks is
    read so: one that renews UNISFA and asks it to cooperate with UNMISS is UNISFA's, not
    UNMISS's (63 such links were none of PEMA's pairs, one was: S/RES/891 renews UNOMUR and
    names UNAMIR).
    """
    if found:
        return []
    have: set[str] = set()
    out: dict[str, MandateAct] = {}
    for label, start, end in paragraphs:
        for ms, me, mission, how in mentions:
            if start <= ms and me <= end and mission not in have and mission not in out:
                rule = f"{ACTS_VERSION}:addresses"
                out[mission] = MandateAct(
                    number, label, mission, "addresses", ms, me, text[ms:me], None, how, rule
                )
    return list(out.values())


def link_mandates(db: Database, numbers: Sequence[int] | None = None) -> int:
    """Store the derived links of ``numbers`` (all with text by default) in ``mandate_acts``."""
    acts = derive_links(db, numbers)
    frame = pd.DataFrame(
        [(a.resolution, a.paragraph, a.mission, a.act, a.start, a.end, a.quote, a.end_date,
          a.named_as, a.rule, ACTS_VERSION) for a in acts],
        columns=COLUMNS,
    ).astype({"end_date": "datetime64[s]"})  # fmt: skip
    if numbers is None:
        db.replace({"mandate_acts": frame})
    else:
        db.replace({"mandate_acts": frame}, key="resolution", values=list(numbers))
    return len(frame)


def reconcile_links(db: Database) -> list[dict]:
    """Per mission: curated links, derived links, both, and the disagreements (see acts)."""
    curated: dict[str, set[int]] = defaultdict(set)
    for acronym, number in db.tuples("SELECT acronym, number FROM mission_resolutions"):
        curated[acronym].add(number)
    derived: dict[str, set[int]] = defaultdict(set)
    for mission, number in db.tuples("SELECT DISTINCT mission, resolution FROM mandate_acts"):
        derived[mission].add(number)
    texted = {n for (n,) in db.tuples("SELECT number FROM resolutions WHERE has_text")}
    return reconcile(curated, derived, texted)


def pema_agreement(db: Database) -> dict:
    """Recall and precision of the derived links against PEMA's pairs that have text.

    PEMA codes every resolution that addresses a mission (48 African missions to 2017; 34 in
    the data), so a pair can lack any act on the mandate: such misses are listed, not hidden.
    Precision is given twice: over every link the texts give for PEMA's missions, and over
    those of the years PEMA codes for the mission (its first to its last pair): a renewal after
    PEMA's last year is no disagreement with it. The links it lacks are counted by act.
    """
    texted = {n for (n,) in db.tuples("SELECT number FROM resolutions WHERE has_text")}
    years = dict(db.tuples("SELECT number, year FROM resolutions"))
    pema: dict[str, set[int]] = defaultdict(set)
    span: dict[str, tuple[int, int]] = {}
    for mission, number in db.tuples("SELECT DISTINCT mission, resolution FROM pema_resolutions"):
        year = years.get(number)
        if year is not None:
            low, high = span.get(mission, (year, year))
            span[mission] = (min(low, year), max(high, year))
        if number in texted:
            pema[mission].add(number)
    derived: dict[str, set[int]] = defaultdict(set)
    acts: dict[tuple[str, int], set[str]] = defaultdict(set)
    for mission, number, act in db.tuples(
        "SELECT DISTINCT mission, resolution, act FROM mandate_acts"
    ):
        derived[mission].add(number)
        acts[(mission, number)].add(act)
    missions = []
    extra_acts: dict[str, int] = defaultdict(int)
    for mission in sorted(pema):
        gold, got = pema[mission], derived.get(mission, set())
        low, high = span.get(mission, (0, 9999))
        extra = sorted(got - gold)
        within = [n for n in extra if low <= (years.get(n) or 0) <= high]
        for n in within:
            extra_acts[_strongest(acts[(mission, n)])] += 1
        found = len(gold & got)
        missions.append(
            {
                "mission": mission,
                "pema": len(gold),
                "found": found,
                "missed": sorted(gold - got),
                "derived_not_in_pema": extra,
                "derived_not_in_pema_in_years": within,
                "precision": found / (found + len(extra)) if found + len(extra) else float("nan"),
                "precision_in_years": (
                    found / (found + len(within)) if found + len(within) else float("nan")
                ),
            }
        )
    found = sum(m["found"] for m in missions)
    total = sum(m["pema"] for m in missions)
    extra = sum(len(m["derived_not_in_pema"]) for m in missions)
    within = sum(len(m["derived_not_in_pema_in_years"]) for m in missions)
    return {
        "pairs": total,
        "found": found,
        "recall": found / total if total else float("nan"),
        "precision": found / (found + extra) if found + extra else float("nan"),
        "precision_in_years": found / (found + within) if found + within else float("nan"),
        "not_in_pema_by_act": dict(sorted(extra_acts.items())),
        "missions": missions,
    }


_STRENGTH = ("establish", "terminate", "final", "renew", "rollover", "change", "drawdown",
             "tasks", "addresses")  # fmt: skip


def _strongest(acts: set[str]) -> str:
    return min(acts, key=_STRENGTH.index)


def explain_miss(db: Database, mission: str, number: int, names: MissionNames) -> str:
    """Why the texts give no link for a pair PEMA codes (read from the text, not guessed)."""
    text = db.scalar("SELECT text FROM resolutions WHERE number = ?", [number]) or ""
    mentions = [m for m in names.find(text) if m[2] == mission]
    if not mentions:
        others = sorted({m[2] for m in names.find(text)})
        return (f"the text never names {mission}" + (f" (it names {', '.join(others)})"
                if others else " nor any other mission by acronym or full name"))  # fmt: skip
    operative = db.tuples(
        "SELECT start, \"end\" FROM paragraphs WHERE resolution = ? AND kind = 'operative'",
        [number],
    )
    if not any(s <= m[0] < e for m in mentions for s, e in operative):
        return f"{mission} is named only in the preamble"
    others = sorted({m for (m,) in db.tuples(
        "SELECT DISTINCT mission FROM mandate_acts WHERE resolution = ? AND mission <> ? "
        "AND act NOT IN ('addresses', 'tasks')", [number, mission])})  # fmt: skip
    if others:
        return (f"{mission} is named in operative paragraphs beside an act on {', '.join(others)}"
                " and given no act or task of its own")  # fmt: skip
    return f"{mission} is named in operative paragraphs that give it no act or task"


def links_markdown(db: Database) -> str:
    """``docs/mandate-links.md``: the links per mission and their agreement with PEMA."""
    agreement = pema_agreement(db)
    rows = reconcile_links(db)
    names = _names(db)
    lines = [
        "# Mandate links: curated and read from the texts",
        "",
        "Generated by `peaceops status --links-markdown docs/mandate-links.md --force` "
        f"({ACTS_VERSION}); do not edit by hand. What the links are and how they are read: "
        "`peaceops/coding/acts.py` (#28). The measures read them, with the curated rows and "
        "the UN Mandate Registry's extracts, as each mission's `mandate_history` "
        "(`peaceops/coding/history.py`).",
        "",
        "## Agreement with PEMA",
        "",
        f"Of PEMA's {agreement['pairs']} mission-resolution pairs whose resolution has text, the "
        f"texts link {agreement['found']} (recall {agreement['recall']:.3f}); of the links the "
        f"texts give for PEMA's missions, {agreement['precision']:.3f} are PEMA pairs "
        "(precision; PEMA codes only some resolutions of each mission, so a link it lacks is "
        "not wrong for that). Target of #28: recall 0.95.",
        "",
        f"Within the years PEMA codes for each mission (its first to its last pair), precision "
        f"is {agreement['precision_in_years']:.3f}; the links there that PEMA lacks, by their "
        "strongest act: "
        + ", ".join(f"{act} {n}" for act, n in agreement["not_in_pema_by_act"].items())
        + ". An `addresses` link is read only from a resolution that acts on no mission (one "
        "that renews UNISFA and asks it to cooperate with UNMISS is not UNMISS's).",
        "",
        "| mission | PEMA pairs | linked | precision | in PEMA's years | "
        "missed, and why (read from the text) |",
        "|---|---|---|---|---|---|",
    ]
    for m in agreement["missions"]:
        why = "; ".join(
            f"S/RES/{n}: {explain_miss(db, m['mission'], n, names)}" for n in m["missed"]
        )
        lines.append(f"| {m['mission']} | {m['pema']} | {m['found']} | {m['precision']:.2f} | "
                     f"{m['precision_in_years']:.2f} | {why} |")  # fmt: skip
    lines += [
        "",
        "## Per mission",
        "",
        "`curated`: rows of the registry's `mission_resolutions`; `texts`: links read from the "
        "texts (`mandate_acts`); `both`; then the curated links to a resolution with text in "
        "which the reader finds no act (a wording it misses, or a curated row for a resolution "
        "that only mentions the mission), and the number of links only the texts give.",
        "",
        "| mission | curated | texts | both | curated, text, no act found | texts only |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        unread = ", ".join(f"S/RES/{n}" for n in r["curated_only_with_text"])
        lines.append(f"| {r['mission']} | {r['curated']} | {r['derived']} | {r['both']} | "
                     f"{unread} | {len(r['derived_only'])} |")  # fmt: skip
    return "\n".join(lines) + "\n"
