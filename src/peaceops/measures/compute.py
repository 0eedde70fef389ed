"""Compute and store every measure from the coded resolutions.

Data flow: ``codes``, ``targets`` and each mission's confirmed ``mandate_history`` (curated
rows, acts read from the texts, registry extracts: see :mod:`peaceops.coding.history`) are read
from the knowledge base; :mod:`~peaceops.measures.impartiality` and
:mod:`~peaceops.measures.inheritance` turn them into ``impartiality_terms``,
``impartiality_resolution``, ``mandate_inheritance`` and ``impartiality_mission_year``, which
replace the previous values in one transaction.

``compute_measures(db, resolutions=[...])`` (``peaceops add``) recomputes only what those
resolutions touch: their own terms and index, and the inheritance and mission-years of every
mission they mandate (each in full: a mission's years depend on all its resolutions). The rows
are those a full recomputation writes (a test compares them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pandas as pd

from peaceops.coding.records import designator
from peaceops.measures.impartiality import impartiality_terms, index_from_terms
from peaceops.measures.inheritance import INHERITANCE_COLUMNS, inherit, mission_years
from peaceops.store import Database

YEAR_COLUMNS = [
    "mission",
    "year",
    "resolution",
    "partial_terms",
    "evenhanded_terms",
    "index",
    "basis",
    "source_resolution",
    "version",
    "note",
]


def _own_names(db: Database) -> Callable[[str], set[str]]:
    """The names under which a mission's own tasks are coded (v6 codes record an addressee).

    Its :func:`~peaceops.coding.records.designator` and those of the missions it took over from
    (``mission_ends.successor``, transitively).

    A code addressed by name to another force ("in support of AFISMA", "AMISOM shall") is that
    force's task, not this mission's; MONUSCO's first resolution still tasks "MONUC".
    """
    successors = dict(
        db.tuples("SELECT acronym, successor FROM mission_ends WHERE successor IS NOT NULL")
    )

    def names(mission: str) -> set[str]:
        own, frontier = {mission}, {mission}
        while frontier:
            frontier = {p for p, s in successors.items() if s in frontier} - own
            own |= frontier
        return {designator(m) for m in own}

    return names


def compute_measures(db: Database, resolutions: Iterable[int] | None = None) -> dict[str, int]:
    """Recompute the measures; return rows written per table.

    Args:
        db: a writable knowledge base with codes.
        resolutions: only these resolutions and the missions they mandate (see the module
            doc); None recomputes everything.
    """
    only = None if resolutions is None else sorted({int(n) for n in resolutions})
    missions = None
    if only is not None:
        missions = [
            m
            for (m,) in db.tuples(
                "SELECT DISTINCT acronym FROM mandate_history WHERE confirmed "
                "AND number IN (SELECT unnest(?::INTEGER[])) ORDER BY acronym",
                [only],
            )
        ]
        scope = (
            "WHERE resolution IN (SELECT number FROM mandate_history WHERE confirmed "
            "AND acronym IN (SELECT unnest(?::VARCHAR[])) UNION SELECT unnest(?::INTEGER[]))"
        )
        params: list | None = [missions, only]
    else:
        scope, params = "", None
    codes = db.execute(f"SELECT * FROM codes {scope}", params)
    targets = db.execute(f"SELECT * FROM targets {scope}", params)
    coded = db.execute(f"SELECT DISTINCT resolution FROM paragraphs {scope}", params)["resolution"]
    terms = impartiality_terms(codes, targets)
    per_resolution = index_from_terms(terms, coded)
    where = "" if missions is None else "AND h.acronym IN (SELECT unnest(?::VARCHAR[])) "
    links = db.execute(
        "SELECT h.acronym AS mission, h.number, h.role, r.date, coalesce(r.has_text, false) "
        "AS has_text, h.end_date FROM mandate_history h LEFT JOIN resolutions r USING (number) "
        f"WHERE h.confirmed {where}ORDER BY mission, r.date NULLS LAST, h.number",
        None if missions is None else [missions],
    )
    named = targets[
        (targets["relation"] == "target") & ~targets["inferred"] & targets["actor_id"].notna()
    ]
    inheritance: list[tuple] = []
    years: list[tuple] = []
    names = _own_names(db)
    record_end = db.scalar("SELECT year(max(date)) FROM resolutions")
    ended = dict(db.tuples('SELECT acronym, "end" FROM missions'))
    until = {m: (record_end if end is None else end.year) for m, end in ended.items()}
    for mission, linked in links.groupby("mission", sort=True):
        numbers = set(linked["number"])
        own = codes[codes["resolution"].isin(numbers)]
        rows, states = inherit(
            mission,
            linked,
            own[own["mission"].isna() | own["mission"].isin(names(mission))],
            named[named["resolution"].isin(numbers)],
        )
        inheritance.extend(rows)
        years.extend(mission_years(mission, states, linked, until.get(mission), ended.get(mission)))
    by_resolution = {"impartiality_terms": terms, "impartiality_resolution": per_resolution}
    by_mission = {
        "mandate_inheritance": pd.DataFrame(inheritance, columns=INHERITANCE_COLUMNS),
        "impartiality_mission_year": pd.DataFrame(years, columns=YEAR_COLUMNS).astype(
            {"index": "Float64", "source_resolution": "Int64"}
        ),
    }
    if only is None:
        return db.replace(by_resolution | by_mission)
    # the terms and index of the mandating resolutions of the missions were read to rebuild
    # their years; only the given resolutions' own rows are replaced
    by_resolution = {
        table: frame[frame["resolution"].isin(only)] for table, frame in by_resolution.items()
    }
    written = db.replace(by_resolution, key="resolution", values=only)
    return written | db.replace(by_mission, key="mission", values=missions)
