"""What ``peaceops status`` says of the coding and of the mandate links (#28).

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
    """Mission-resolution links: curated, read from the texts (``mandate_acts``), both (#28)."""
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
    return {k: int(v) for k, v in row.items()}


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
