"""Read-side queries behind ``peaceops status`` and ``peaceops show``.

Each function takes an open :class:`~peaceops.store.database.Database` and returns plain
JSON-ready dicts (dates as ISO 8601 strings), so the CLI, the web app and tests share them.
Unknown resolutions or missions raise :class:`NotFound` with the nearest matches.
"""

from __future__ import annotations

import difflib
import re
from datetime import date, datetime
from typing import Any

from peaceops.errors import NotFound, UsageError
from peaceops.sources import SOURCES
from peaceops.store.database import Database
from peaceops.store.progress import (
    coding_status,
    link_status,
    mission_coverage,
    text_coverage,
)


def _iso(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    return value


def _clean(row: dict) -> dict:
    return {k: _iso(v) for k, v in row.items()}


def status(db: Database) -> dict:
    """Counts per table, missing sources, resolutions without text, data issues."""
    counts = db.table_counts()
    without_text = [
        r["number"]
        for r in db.rows("SELECT number FROM resolutions WHERE NOT has_text ORDER BY number")
    ]
    known = {r["name"]: r for r in db.rows("SELECT * FROM sources")}
    missing = [name for name, r in known.items() if r["status"] == "missing"]
    missing += [s.name for s in SOURCES if s.name not in known]
    types = dict(db.execute("SELECT type, count(*) AS n FROM missions GROUP BY type").values)
    info = db.rows("SELECT * FROM build_info")
    return {
        "database": str(db.path),
        "built_at": _iso(info[0]["built_at"]) if info else None,
        "resolutions": {
            "total": counts.get("resolutions", 0),
            "with_text": counts.get("resolutions", 0) - len(without_text),
            "without_text": without_text,
            "added_texts": [
                {"number": r["number"], "path": r["text_path"]}
                for r in db.rows(
                    "SELECT number, text_path FROM resolutions WHERE text_source = 'user-added' "
                    "ORDER BY number"
                )
            ],
        },
        "votes": {"member_votes": counts.get("member_votes", 0), "drafts": counts.get("drafts", 0)},
        "missions": {
            "pko": int(types.get("pko", 0)),
            "spm": int(types.get("spm", 0)),
            "regional": int(types.get("regional", 0)),
        },
        "actors": counts.get("actors", 0),
        "events": counts.get("events", 0),
        "missing_sources": sorted(missing),
        "data_issues": counts.get("data_issues", 0),
        "coding": coding_status(db, counts),
        "mandate_links": link_status(db, counts),
        "coverage": text_coverage(db),
        "tables": counts,
    }


def mission_text_coverage(db: Database, acronym: str) -> dict:
    """One mission's entry of ``text_coverage(db)["by_mission"]`` (for its report).

    Raises:
        NotFound: an unknown mission.
    """
    return mission_coverage(db, mission(db, acronym)["acronym"])[0]


def _nearest_numbers(db: Database, number: int) -> list[str]:
    rows = db.rows(
        "SELECT number, year FROM resolutions ORDER BY abs(number - ?), number LIMIT 3", [number]
    )
    return [f"{r['number']} ({r['year']})" for r in rows]


def parse_resolution_ref(ref: str | int) -> int:
    """Accept ``2098``, ``S/RES/2098 (2013)`` or ``2098 (2013)``; return the number.

    The year, when given, is not checked here (see :func:`find_resolution`).
    """
    return _parse_ref(ref)[0]


def _parse_ref(ref: str | int) -> tuple[int, int | None]:
    match = re.fullmatch(r"\s*(?:S/RES/)?(\d{1,4})(?:\s*\((\d{4})\))?\s*", str(ref), re.IGNORECASE)
    if not match:
        raise UsageError(
            f"{ref!r} is not a resolution number; use e.g. 2098 or 'S/RES/2098 (2013)'"
        )
    return int(match.group(1)), int(match.group(2)) if match.group(2) else None


def find_resolution(db: Database, ref: str | int) -> int:
    """The number of a stored resolution; a year that is not its year is an error.

    Raises:
        UsageError: ``ref`` is no resolution reference, or names the wrong year.
        NotFound: no such resolution in the knowledge base.
    """
    number, year = _parse_ref(ref)
    stored = db.scalar("SELECT year FROM resolutions WHERE number = ?", [number])
    if stored is None:
        raise NotFound(
            f"S/RES/{number} is not in the knowledge base.", _nearest_numbers(db, number)
        )
    if year is not None and year != stored:
        raise UsageError(
            f"S/RES/{number} was adopted in {stored}, not {year}; "
            f"use S/RES/{number} ({stored}) or just {number}"
        )
    return number


def resolution(db: Database, ref: str | int) -> dict:
    """Everything stored about one resolution: text, source, date, title, vote, missions."""
    number = find_resolution(db, ref)
    row = db.rows("SELECT * FROM resolutions WHERE number = ?", [number])[0]
    return {
        "number": row["number"],
        "year": row["year"],
        "symbol": row["symbol"],
        "date": _iso(row["date"]),
        "date_source": row["date_source"],
        "title": row["title"],
        "title_source": row["title_source"],
        "text": row["text"],
        "text_source": row["text_source"],
        "text_path": row["text_path"],
        "vote": _vote(db, number),
        "missions": [
            _clean(r)
            for r in db.rows(
                "SELECT acronym, role, note, source, confirmed, acts, citation "
                "FROM mandate_history WHERE number = ? ORDER BY NOT confirmed, acronym",
                [number],
            )
        ],
    }


def _vote(db: Database, number: int) -> dict | None:
    drafts = db.rows(
        "SELECT draft, meeting, date, yes, no, abstain, outcome FROM drafts "
        "WHERE resolution = ? AND outcome = 'adopted' ORDER BY duplicate_set, meeting LIMIT 1",
        [number],
    )
    if drafts:
        d = drafts[0]
        members = db.rows(
            "SELECT member_iso3, vote FROM member_votes WHERE resolution = ? AND draft = ? "
            "ORDER BY member_iso3",
            [number, d["draft"]],
        )
        return {
            **_clean(d),
            "source": "sc_voting.xlsx",
            "members": {m["member_iso3"]: m["vote"] for m in members},
        }
    tallies = db.rows(
        "SELECT meeting_record, date, yes, no, abstain, tally_text, outcome FROM meeting_decisions "
        "WHERE kind = 'resolution' AND resolution = ? ORDER BY date LIMIT 1",
        [number],
    )
    if tallies:
        return {**_clean(tallies[0]), "source": "meeting tables", "members": None}
    return None


def mission(db: Database, acronym: str) -> dict:
    """A mission from the registry with its resolutions and events."""
    rows = db.rows("SELECT * FROM missions WHERE upper(acronym) = upper(?)", [acronym.strip()])
    if not rows:
        names = [r["acronym"] for r in db.rows("SELECT acronym FROM missions")]
        close = difflib.get_close_matches(acronym.upper(), names, n=3, cutoff=0.5)
        raise NotFound(f"mission {acronym!r} is not in the registry.", close)
    row = rows[0]
    resolutions = db.rows(
        "SELECT number, year, role, note, date, has_text, source, confirmed, acts, end_date, "
        "paragraph, citation FROM mandate_history WHERE acronym = ? "
        "ORDER BY date NULLS LAST, number",
        [row["acronym"]],
    )
    events = db.rows(
        "SELECT event_id, date, date_precision, type, actor_id, description, citation FROM events "
        "WHERE mission = ? ORDER BY date, event_id",
        [row["acronym"]],
    )
    hosts = list(row["host_iso3"] or [])
    return {
        "acronym": row["acronym"],
        "name": row["name"],
        "type": row["type"],
        "host_iso3": hosts[0] if hosts else None,
        "hosts_iso3": hosts,
        "start": _iso(row["start"]),
        "end": _iso(row["end"]),
        "predecessor": row["predecessor"],
        "successor": row["successor"],
        "citation": row["citation"],
        "resolutions": [
            _clean({**r, "acts": list(r["acts"] or []), "standing": _standing(r)})
            for r in resolutions
        ],
        "events": [_clean(e) for e in events],
    }


def _standing(link: dict) -> str:
    """How a link in a mission's history stands, in words the pages show (#28)."""
    if not link["confirmed"]:
        return (
            "not read: outside the mission's years" if link["has_text"] else ("candidate, no text")
        )
    return "linked" if link["has_text"] else "linked, no text"


def resolution_codes(db: Database, ref: str | int) -> dict:
    """What the coder read from one resolution: Chapter VII, codes, targets, index, paragraphs."""
    number = find_resolution(db, ref)
    failure = db.rows("SELECT reason FROM segmentation_failures WHERE resolution = ?", [number])
    chapter = db.rows("SELECT * FROM chapter_vii WHERE resolution = ?", [number])
    ch = chapter[0] if chapter else None
    index = db.rows("SELECT * FROM impartiality_resolution WHERE resolution = ?", [number])
    return {
        "resolution": number,
        "coded": bool(db.rows("SELECT 1 FROM paragraphs WHERE resolution = ? LIMIT 1", [number])),
        "unsegmentable": failure[0]["reason"] if failure else None,
        "chapter_vii": {
            "operative": bool(ch and ch["operative"]),
            "paragraphs": list(ch["paragraphs"]) if ch else [],
            "start": ch["start"] if ch else None,
            "end": ch["end"] if ch else None,
            "quote": ch["quote"] if ch else None,
            "mentions": ch["mentions"] if ch else 0,
        },
        "article_39": bool(ch and ch["article_39"]),
        "article_39_quote": ch["article_39_quote"] if ch else None,
        "codes": [
            {**r, "strength": list(r["strength"] or [])}
            for r in db.rows(
                'SELECT paragraph, task, modality, verb, strength, start, "end", quote, '
                "partiality, coder, mission FROM codes WHERE resolution = ? ORDER BY start, task",
                [number],
            )
        ],
        "targets": db.rows(
            'SELECT "group", actor_id, relation, paragraph, start, "end", quote, inferred, rules '
            "FROM targets WHERE resolution = ? ORDER BY start, actor_id",
            [number],
        ),
        "impartiality": index[0]["index"] if index else None,
        "impartiality_terms": db.rows(
            'SELECT term, side, paragraph, start, "end", quote FROM impartiality_terms '
            "WHERE resolution = ? ORDER BY side, term",
            [number],
        ),
        "paragraphs": db.rows(
            'SELECT kind, label, depth, start, "end" FROM paragraphs WHERE resolution = ? '
            "ORDER BY start, depth",
            [number],
        ),
    }


def mission_mandates(db: Database, acronym: str) -> dict:
    """A mission's mandate history: tasks per resolution, inheritance and index per year."""
    base = mission(db, acronym)
    name = base["acronym"]
    inheritance = [
        _clean(
            {
                **r,
                "strength_before": list(r["strength_before"] or []),
                "strength_after": list(r["strength_after"] or []),
            }
        )
        for r in db.rows(
            "SELECT resolution, date, task, status, modality_before, modality_after, "
            "strength_before, strength_after, source_resolution, note FROM mandate_inheritance "
            "WHERE mission = ? ORDER BY date NULLS LAST, resolution, task",
            [name],
        )
    ]
    years = [
        {**r, "basis_note": _basis_note(r)}
        for r in db.rows(
            'SELECT year, resolution, partial_terms, evenhanded_terms, "index", basis, '
            "source_resolution, note FROM impartiality_mission_year WHERE mission = ? "
            "ORDER BY year",
            [name],
        )
    ]
    bases = [y["basis"] for y in years]
    return {
        "mission": name,
        "name": base["name"],
        "resolutions": base["resolutions"],
        "inheritance": inheritance,
        "impartiality": years,
        "coverage": {
            "years": len(years),
            "coded": bases.count("coded"),
            "carried_forward": bases.count("carried_forward"),
            "no_codes": bases.count("no_codes"),
            "carried_forward_years": [y["year"] for y in years if y["basis"] == "carried_forward"],
        },
    }


def _basis_note(year: dict) -> str:
    """What a mission-year's index rests on, in words (never shown as if coded)."""
    if year["basis"] == "coded":
        return f"coded from S/RES/{year['resolution']}"
    if year["basis"] == "carried_forward" and year.get("note"):
        return f"{year['note']}: codes carried forward from S/RES/{year['source_resolution']}"
    if year["basis"] == "carried_forward":
        return (
            f"no text of S/RES/{year['resolution']}: codes carried forward from "
            f"S/RES/{year['source_resolution']}"
        )
    return f"no text of S/RES/{year['resolution']}: no codes"


def resolution_text(db: Database, number: int) -> str | None:
    """The stored text of a resolution (None when the knowledge base has none)."""
    return db.scalar("SELECT text FROM resolutions WHERE number = ?", [number])


def mission_strength(db: Database, acronym: str) -> dict:
    """Authorised and deployed uniformed strength of a mission by month and year, and the coverage.

    ``deployed`` comes from the IPI mission-month series (``personnel_mission_month``),
    ``authorised`` from the shortfall data (``personnel_authorized``); each is ``None`` in a
    month the source does not cover, never zero (the report marks the gaps). ``years`` is the
    mission's ``deployed_strength_year`` (#28): one row per year with its ``basis`` and
    ``basis_label`` - IPI's yearly mean where IPI covers the year, Geo-PKO's troops summed over
    locations (troops only, a yearly estimate, never monthly observations) where IPI stops.
    """
    from peaceops.store.strength import BASES

    name = mission(db, acronym)["acronym"]
    rows = db.rows(
        "WITH d AS (SELECT date, total AS deployed FROM personnel_mission_month "
        "WHERE mission = ?), "
        "a AS (SELECT date, authorized_total AS authorised FROM personnel_authorized "
        "WHERE mission = ?) "
        "SELECT date, d.deployed, a.authorised FROM d FULL JOIN a USING (date) ORDER BY date",
        [name, name],
    )
    months = [_clean(r) for r in rows]
    dated = [m["date"] for m in months]
    years = [
        _clean(r) | {"basis_label": BASES[r["basis"]]}
        for r in db.rows(
            "SELECT year, troops, police, observers, total, basis, months, locations, source "
            "FROM deployed_strength_year WHERE mission = ? ORDER BY year",
            [name],
        )
    ]
    geopko = [y["year"] for y in years if y["basis"] == "geopko_yearly"]
    return {
        "mission": name,
        "months": months,
        "years": years,
        "coverage": {
            "first": dated[0] if dated else None,
            "last": dated[-1] if dated else None,
            "deployed_months": sum(m["deployed"] is not None for m in months),
            "authorised_months": sum(m["authorised"] is not None for m in months),
            "geopko_years": geopko,
            "last_year": years[-1]["year"] if years else None,
            "sources": ["personnel_mission_month (IPI)", "personnel_authorized (shortfall data)"]
            + (
                ["deployed_strength_year (Geo-PKO troops by year, after IPI ends)"]
                if geopko
                else []
            ),
        },
    }


def mission_votes(db: Database, acronym: str) -> list[dict]:
    """The recorded vote on each of a mission's resolutions, with abstentions and negatives."""
    name = mission(db, acronym)["acronym"]
    out = []
    for row in db.rows(
        "SELECT number, role, date FROM mandate_history WHERE acronym = ? AND confirmed "
        "ORDER BY number",
        [name],
    ):
        vote = _vote(db, row["number"])
        members = (vote or {}).get("members") or {}
        out.append(
            {
                "resolution": row["number"],
                "role": row["role"],
                "date": _iso(row["date"]),
                "yes": vote and vote["yes"],
                "no": vote and vote["no"],
                "abstain": vote and vote["abstain"],
                "abstaining": sorted(m for m, v in members.items() if v == "abstain"),
                "against": sorted(m for m, v in members.items() if v == "no"),
                "source": vote and vote["source"],
            }
        )
    return out


#: Event types of the causal chain that restrict or withdraw a host's consent.
CONSENT_EVENTS = (
    "access_denial",
    "consent_restriction",
    "sofa_violation",
    "expulsion",
    "withdrawal_request",
)


def compare_missions(db: Database, acronyms: list[str]) -> dict:
    """Several missions side by side, for the comparison report and the web.

    Per mission: the impartiality index per year (with its basis), the partial terms, and the
    consent events recorded (counts by type, and the events with their citations).
    """
    if not acronyms:
        raise UsageError("name at least one mission to compare, e.g. MINUSMA MONUSCO")
    missions = []
    for acronym in acronyms:
        mandates = mission_mandates(db, acronym)
        base = mission(db, acronym)
        consent = [e for e in base["events"] if e["type"] in CONSENT_EVENTS]
        missions.append(
            {
                "mission": base["acronym"],
                "name": base["name"],
                "type": base["type"],
                "start": base["start"],
                "end": base["end"],
                "impartiality": mandates["impartiality"],
                "coverage": mandates["coverage"],
                "consent_events": consent,
                "consent_counts": {t: sum(e["type"] == t for e in consent) for t in CONSENT_EVENTS},
            }
        )
    return {"missions": missions, "consent_event_types": list(CONSENT_EVENTS)}
