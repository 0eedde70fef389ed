"""Compute and store every measure from the coded resolutions.

Data flow: ``codes``, ``targets`` and the registry's ``mission_resolutions`` are read from the
knowledge base; :mod:`~peaceops.measures.impartiality` and :mod:`~peaceops.measures.inheritance`
turn them into ``impartiality_terms``, ``impartiality_resolution``, ``mandate_inheritance`` and
``impartiality_mission_year``, which replace the previous values in one transaction.
"""

from __future__ import annotations

import pandas as pd

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
]


def compute_measures(db: Database) -> dict[str, int]:
    """Recompute all measures; return rows written per table."""
    codes = db.execute("SELECT * FROM codes")
    targets = db.execute("SELECT * FROM targets")
    coded = db.execute("SELECT DISTINCT resolution FROM paragraphs")["resolution"]
    terms = impartiality_terms(codes, targets)
    per_resolution = index_from_terms(terms, coded)
    links = db.execute(
        "SELECT mr.acronym AS mission, mr.number, mr.role, r.date, coalesce(r.has_text, false) "
        "AS has_text FROM mission_resolutions mr LEFT JOIN resolutions r USING (number) "
        "ORDER BY mission, r.date NULLS LAST, mr.number"
    )
    named = targets[
        (targets["relation"] == "target") & ~targets["inferred"] & targets["actor_id"].notna()
    ]
    inheritance: list[tuple] = []
    years: list[tuple] = []
    for mission, resolutions in links.groupby("mission", sort=True):
        numbers = set(resolutions["number"])
        rows, states = inherit(
            mission,
            resolutions,
            codes[codes["resolution"].isin(numbers)],
            named[named["resolution"].isin(numbers)],
        )
        inheritance.extend(rows)
        years.extend(mission_years(mission, states, resolutions))
    frames = {
        "impartiality_terms": terms,
        "impartiality_resolution": per_resolution,
        "mandate_inheritance": pd.DataFrame(inheritance, columns=INHERITANCE_COLUMNS),
        "impartiality_mission_year": pd.DataFrame(years, columns=YEAR_COLUMNS).astype(
            {"index": "Float64", "source_resolution": "Int64"}
        ),
    }
    return db.replace(frames)
