"""Vetoed drafts by the country they concern, for the forecast panel's fragmentation features.

Split from :mod:`peaceops.forecast.panel` (#28) to keep it under 500 lines. Data flow:
``vetoes`` (the veto list, before 1994) and ``drafts`` (the voting record's vetoed drafts, 1994
on) -> :func:`vetoes_by_country` -> one row per draft and country the panel counts.
"""

from __future__ import annotations

import re

import pandas as pd

from peaceops.sources.countries import to_iso3
from peaceops.store import Database


def vetoes_by_country(db: Database) -> pd.DataFrame:
    """Vetoed drafts by the country they concern, one row per draft and country.

    The vetoes list (1946-2022, ``crisis_topic``) before 1994 and the voting record's vetoed
    drafts (1994 on, agenda item and topic) after; a topic names its countries
    (``Israel-Lebanon``: both; ``The situation in Mali``: Mali).
    """
    rows = db.tuples(
        "SELECT date, crisis_topic FROM vetoes WHERE date < DATE '1994-01-01' "
        "UNION ALL SELECT date, concat_ws(' / ', agenda_item, topic) FROM drafts "
        "WHERE outcome = 'vetoed'"
    )
    out = []
    for day, text in rows:
        if day is None:
            continue
        for iso3 in sorted(_countries(str(text or ""))):
            out.append((pd.Timestamp(day), iso3))
    frame = pd.DataFrame(out, columns=["date", "iso3"])
    frame["date"] = pd.to_datetime(frame["date"]).astype("datetime64[ns]")
    return frame.sort_values("date", kind="stable")


_PIECES = re.compile(r"\(|\)|/|,|;|:| and |-| including ")
_LEAD = re.compile(r"^(?:the )?(?:situation|question) (?:in|of|concerning) (?:the )?", re.I)


def _countries(text: str) -> set[str]:
    found = set()
    for piece in _PIECES.split(text):
        piece = _LEAD.sub("", piece.strip()).strip()
        if len(piece) >= 4:
            iso3 = to_iso3(piece)
            if iso3:
                found.add(iso3)
    return found
