"""Mandate links derived from the texts, stored and reconciled with the curated registry (#28).

Data flow: ``resolutions``, ``paragraphs``, ``codes``, ``missions`` and the curated
``mission_resolutions`` -> :func:`link_mandates` (the acts of :mod:`peaceops.coding.acts`, plus
a ``tasks`` link where the coder gave a mission tasks and no act names it, an ``addresses``
link where an operative paragraph names a mission nothing else links) -> ``mandate_acts``
-> :func:`reconcile_links` (per mission: curated only, derived only, both) and
:func:`pema_agreement` (recall of PEMA's mission-resolution pairs that have text) ->
:func:`links_markdown` (``docs/mandate-links.md``).

The derived links do not yet feed the measures: ``mission_resolutions`` (curated) still does.
That switch is the next step of #28; this table is what it will read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import pandas as pd

from peaceops.coding.acts import ACTS_VERSION, MandateAct, MissionNames, find_acts, reconcile
from peaceops.store import Database

COLUMNS = ["resolution", "paragraph", "mission", "act", "start", "end", "quote", "end_date",
           "named_as", "rule", "coder"]  # fmt: skip


def _names(db: Database) -> MissionNames:
    """Every mission's acronym and name, to be found in texts."""
    return MissionNames(db.tuples("SELECT acronym, name FROM missions ORDER BY acronym"))


def derive_links(db: Database, numbers: Sequence[int] | None = None) -> list[MandateAct]:
    """The mandate acts and task links of the resolutions with text (all, or ``numbers``)."""
    names = _names(db)
    where = "" if numbers is None else " AND number IN (SELECT unnest(?::INTEGER[]))"
    params = None if numbers is None else [list(numbers)]
    texts = dict(db.tuples(f"SELECT number, text FROM resolutions WHERE has_text{where}", params))
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
                          linked=linked.get(number, ()), mentions=mentions)  # fmt: skip
        acts.extend(found)
        found = found + _task_links(number, text, tasks.get(number, []), mentions, found, linked)
        acts.extend(a for a in found if a.act == "tasks")
        acts.extend(_addressed(number, text, paragraphs.get(number, []), mentions, found))
    # a total order: builds agree whatever the hash seed and the workers (#13)
    return sorted(acts, key=lambda a: (a.resolution, a.start, a.end, a.mission, a.act))


def _task_links(number, text, tasks, mentions, found, linked) -> list[MandateAct]:
    """A ``tasks`` link for each mission given tasks by the coder that no act already names."""
    have = {a.mission for a in found}
    out: dict[str, MandateAct] = {}
    for label, mission, start, end in tasks:
        how = "acronym"
        if not mission:
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
    read it as a renewal.
    """
    have = {a.mission for a in found}
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
    """
    texted = {n for (n,) in db.tuples("SELECT number FROM resolutions WHERE has_text")}
    pema: dict[str, set[int]] = defaultdict(set)
    for mission, number in db.tuples("SELECT DISTINCT mission, resolution FROM pema_resolutions"):
        if number in texted:
            pema[mission].add(number)
    derived: dict[str, set[int]] = defaultdict(set)
    for mission, number in db.tuples("SELECT DISTINCT mission, resolution FROM mandate_acts"):
        derived[mission].add(number)
    missions = []
    for mission in sorted(pema):
        gold, got = pema[mission], derived.get(mission, set())
        missions.append(
            {
                "mission": mission,
                "pema": len(gold),
                "found": len(gold & got),
                "missed": sorted(gold - got),
                "derived_not_in_pema": sorted(got - gold),
            }
        )
    found = sum(m["found"] for m in missions)
    total = sum(m["pema"] for m in missions)
    extra = sum(len(m["derived_not_in_pema"]) for m in missions)
    return {
        "pairs": total,
        "found": found,
        "recall": found / total if total else float("nan"),
        "precision": found / (found + extra) if found + extra else float("nan"),
        "missions": missions,
    }


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
        "`peaceops/coding/acts.py` (#28). The measures still read the curated links; the "
        "derived ones are the evidence base the next step switches them to.",
        "",
        "## Agreement with PEMA",
        "",
        f"Of PEMA's {agreement['pairs']} mission-resolution pairs whose resolution has text, the "
        f"texts link {agreement['found']} (recall {agreement['recall']:.3f}); of the links the "
        f"texts give for PEMA's missions, {agreement['precision']:.3f} are PEMA pairs "
        "(precision; PEMA codes only some resolutions of each mission, so a link it lacks is "
        "not wrong for that). Target of #28: recall 0.95.",
        "",
        "| mission | PEMA pairs | linked | missed, and why (read from the text) |",
        "|---|---|---|---|",
    ]
    for m in agreement["missions"]:
        why = "; ".join(
            f"S/RES/{n}: {explain_miss(db, m['mission'], n, names)}" for n in m["missed"]
        )
        lines.append(f"| {m['mission']} | {m['pema']} | {m['found']} | {why} |")
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
