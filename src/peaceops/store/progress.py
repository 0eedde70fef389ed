"""What ``peaceops status`` says of the coding, the mandate links and the text coverage (#28).

Split from :mod:`peaceops.store.queries` to keep it under 500 lines; it imports nothing of it.
"""

from __future__ import annotations

from datetime import date, datetime

from peaceops.store.database import Database


def _clean(row: dict) -> dict:
    return {
        k: (v.isoformat()[:10] if isinstance(v, datetime | date) else v) for k, v in row.items()
    }


def link_status(db: Database, counts: dict[str, int]) -> dict:
    """Mission-resolution links: curated, read from the texts, both, and the history (#28).

    The history is what the measures read (``mandate_history``): its confirmed links, those
    without text, the agenda-item candidates, and the text links not read (their dates).
    """
    if "mandate_acts" not in counts:
        return {"curated": counts.get("mission_resolutions", 0), "derived": 0, "both": 0,
                "curated_with_text_not_derived": 0}  # fmt: skip
    row = db.rows(
        "WITH d AS (SELECT DISTINCT mission AS acronym, resolution AS number FROM mandate_acts), "
        "c AS (SELECT acronym, number FROM mission_resolutions) "
        "SELECT (SELECT count(*) FROM c) AS curated, (SELECT count(*) FROM d) AS derived, "
        "(SELECT count(*) FROM c JOIN d USING (acronym, number)) AS both, "
        "(SELECT count(*) FROM c ANTI JOIN d USING (acronym, number) JOIN resolutions r "
        "ON r.number = c.number AND r.has_text) AS curated_with_text_not_derived"
    )[0]
    out = {k: int(v) for k, v in row.items()}
    if "mandate_history" in counts:
        history = db.rows(
            "SELECT count(*) FILTER (WHERE confirmed) AS history, "
            "count(*) FILTER (WHERE confirmed AND NOT has_text) AS history_without_text, "
            "count(*) FILTER (WHERE role = 'candidate') AS candidates, "
            "count(*) FILTER (WHERE NOT confirmed AND role <> 'candidate') AS not_read, "
            "count(DISTINCT acronym) FILTER (WHERE confirmed) AS missions FROM mandate_history"
        )[0]
        out |= {k: int(v or 0) for k, v in history.items()}
    return out


def coding_status(db: Database, counts: dict[str, int]) -> dict:
    """Resolutions coded, texts not segmentable, codes, and the coding runs."""
    if "coding_runs" not in counts:
        return {"coded": 0, "unsegmentable": [], "codes": 0, "runs": []}
    return {
        "coded": int(db.scalar("SELECT count(DISTINCT resolution) FROM paragraphs") or 0),
        "unsegmentable": db.rows(
            "SELECT resolution, reason FROM segmentation_failures ORDER BY resolution"
        ),
        "codes": counts.get("codes", 0),
        "runs": [_clean(r) for r in db.rows("SELECT * FROM coding_runs ORDER BY run_at")],
    }


def text_coverage(db: Database) -> dict:
    """How many resolutions have text, per year and per mission (see #17).

    Texts exist for S/RES/1-2259 and a few later resolutions; every other mandate is read from
    codes carried forward from an earlier text, and researchers must see where.

    Returns:
        ``by_year``: ``{year, resolutions, with_text, share}`` for every year with resolutions
        (a year without any text has share 0.0). ``by_mission``: per registry mission, sorted
        by acronym, ``{mission, type, start, end, mandating, with_text, share, missing,
        last_text, last_text_year, last_mandate_year, lapsed_years}``; ``mandating`` counts the
        mission's confirmed ``mandate_history`` rows (every role; not the agenda-item
        candidates), ``missing`` lists the numbers without text
        (a resolution the votes and meetings do not know yet also counts as missing), and
        ``share`` is ``None`` for a mission with no mandating resolution recorded;
        ``lapsed_years`` are the years that read a texted mandate that had run out (its renewal
        is not linked or has no text: carried forward).
    """
    by_year = [
        {**r, "share": _share(r["with_text"], r["resolutions"])}
        for r in db.rows(
            "SELECT year, count(*) AS resolutions, count(*) FILTER (WHERE has_text) AS with_text "
            "FROM resolutions GROUP BY year ORDER BY year"
        )
    ]
    return {"by_year": by_year, "by_mission": mission_coverage(db)}


def mission_coverage(db: Database, acronym: str | None = None) -> list[dict]:
    """The ``by_mission`` entries of :func:`text_coverage` (all missions, or ``acronym``)."""
    rows = db.rows(
        'SELECT m.acronym AS mission, m.type, m.start, m."end", '
        "count(mr.number) AS mandating, "
        "count(mr.number) FILTER (WHERE r.has_text) AS with_text, "
        "list(mr.number ORDER BY mr.number) "
        "FILTER (WHERE mr.number IS NOT NULL AND NOT coalesce(r.has_text, false)) AS missing, "
        "max(mr.number) FILTER (WHERE r.has_text) AS last_text, "
        "max(coalesce(r.year, mr.year)) FILTER (WHERE r.has_text) AS last_text_year, "
        "max(coalesce(r.year, mr.year)) AS last_mandate_year "
        "FROM missions m LEFT JOIN mandate_history mr ON mr.acronym = m.acronym AND mr.confirmed "
        "LEFT JOIN resolutions r ON r.number = mr.number "
        "WHERE ? IS NULL OR m.acronym = ? "
        'GROUP BY m.acronym, m.type, m.start, m."end" ORDER BY m.acronym',
        [acronym, acronym],
    )
    lapsed = dict(
        db.tuples(
            "SELECT mission, list(year ORDER BY year) FROM impartiality_mission_year "
            "WHERE note IS NOT NULL GROUP BY mission"
        )
    )
    return [
        _clean(
            {
                "mission": r["mission"],
                "type": r["type"],
                "start": r["start"],
                "end": r["end"],
                "mandating": r["mandating"],
                "with_text": r["with_text"],
                "share": _share(r["with_text"], r["mandating"]),
                "missing": list(r["missing"] or []),
                "last_text": r["last_text"],
                "last_text_year": r["last_text_year"],
                "last_mandate_year": r["last_mandate_year"],
                "lapsed_years": list(lapsed.get(r["mission"], [])),
            }
        )
        for r in rows
    ]


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None
