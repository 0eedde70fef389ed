"""Browsing the knowledge base: the mission list with its filters, and search.

Used by the web explorer's mission list and search box and by ``/api/missions`` and
``/api/search``; every value comes from a stored table (the registry, the codes, the measures),
so the list shows nothing the other outputs do not.

Filters (each optional, combined with AND):

- ``type``: ``pko``, ``spm`` or ``regional`` (the registry's mission type);
- ``region``: a host's continent (``Africa``, ``America``, ``Asia``, ``Europe``, ``Oceania``;
  country_converter's UN geoscheme);
- ``host``: a host's ISO3 code (``MLI``);
- ``status``: ``active`` (no end recorded) or ``closed``;
- ``instrument``: ``chapter-vii`` (a resolution of the mission acts under Chapter VII in its
  operative part), ``poc`` (a coded protection-of-civilians task, ``CivProtect``),
  ``partial`` (a coded partial task: stabilization, support to host forces, offensive
  operations, neutralizing groups), ``no-text`` (a resolution of the mission has no stored text).
"""

from __future__ import annotations

from typing import Any

from peaceops.errors import UsageError
from peaceops.sources.countries import continent
from peaceops.store.database import Database
from peaceops.store.queries import _iso

TYPES = ("pko", "spm", "regional")
STATUSES = ("active", "closed")
INSTRUMENTS = {
    "chapter-vii": "a resolution acts under Chapter VII",
    "poc": "a protection-of-civilians task is coded",
    "partial": "a partial task is coded",
    "no-text": "a resolution has no stored text",
}
#: Longest search text taken (a longer one is no name of anything stored).
MAX_QUERY_CHARS = 200

_LIST = """
WITH res AS (
    SELECT mr.acronym,
        count(*) AS resolutions,
        count(*) FILTER (WHERE r.has_text) AS texts,
        bool_or(coalesce(c7.operative, false) AND mr.role <> 'tasks') AS chapter_vii,
        bool_or(NOT coalesce(r.has_text, false)) AS missing_text
    FROM mandate_history mr
    LEFT JOIN resolutions r USING (number)
    LEFT JOIN chapter_vii c7 ON c7.resolution = mr.number
    WHERE mr.confirmed
    GROUP BY mr.acronym
), tasks AS (
    SELECT mr.acronym,
        bool_or(c.task = 'CivProtect') AS poc,
        bool_or(c.partiality = 'partial') AS partial
    FROM mandate_history mr JOIN codes c ON c.resolution = mr.number
    WHERE mr.confirmed
    GROUP BY mr.acronym
), latest AS (
    SELECT mission AS acronym, arg_max(year, year) AS index_year,
        arg_max("index", year) AS latest_index, arg_max(basis, year) AS latest_basis
    FROM impartiality_mission_year WHERE "index" IS NOT NULL GROUP BY mission
)
SELECT m.acronym, m.name, m.type, m.host_iso3, m.start, m."end",
    coalesce(res.resolutions, 0) AS resolutions, coalesce(res.texts, 0) AS texts,
    coalesce(res.chapter_vii, false) AS chapter_vii,
    coalesce(res.missing_text, false) AS missing_text,
    coalesce(tasks.poc, false) AS poc, coalesce(tasks.partial, false) AS partial,
    latest.index_year, latest.latest_index, latest.latest_basis
FROM missions m
LEFT JOIN res USING (acronym) LEFT JOIN tasks USING (acronym) LEFT JOIN latest USING (acronym)
ORDER BY m.start NULLS LAST, m.acronym
"""


def _choice(name: str, value: str | None, allowed: Any) -> str | None:
    if value is None or value == "":
        return None
    value = value.strip().lower()
    if value not in allowed:
        raise UsageError(f"unknown {name} {value[:40]!r}: use one of {', '.join(allowed)}")
    return value


def missions(
    db: Database,
    *,
    type: str | None = None,
    region: str | None = None,
    host: str | None = None,
    status: str | None = None,
    instrument: str | None = None,
    q: str | None = None,
) -> dict:
    """The missions of the registry that pass every filter given, with what filters them.

    Raises:
        UsageError: a filter value that is not one of the allowed ones (the message lists them).
    """
    type_ = _choice("type", type, TYPES)
    status_ = _choice("status", status, STATUSES)
    instrument_ = _choice("instrument", instrument, INSTRUMENTS)
    region_ = region.strip().title() if region and region.strip() else None
    host_ = host.strip().upper() if host and host.strip() else None
    text = _query_text(q) if q else None
    rows = []
    for row in db.rows(_LIST):
        hosts = list(row.pop("host_iso3") or [])
        regions = sorted({c for c in map(continent, hosts) if c})
        item = {
            **{k: _iso(v) for k, v in row.items()},
            "hosts_iso3": hosts,
            "regions": regions,
            "status": "active" if row["end"] is None else "closed",
        }
        if type_ and item["type"] != type_:
            continue
        if status_ and item["status"] != status_:
            continue
        if region_ and region_ not in regions:
            continue
        if host_ and host_ not in hosts:
            continue
        if (
            instrument_
            and not item[instrument_.replace("-", "_").replace("no_text", "missing_text")]
        ):
            continue
        if text and text not in f"{item['acronym']} {item['name']}".lower():
            continue
        rows.append(item)
    return {
        "filters": {
            "type": type_,
            "region": region_,
            "host": host_,
            "status": status_,
            "instrument": instrument_,
            "q": text,
        },
        "count": len(rows),
        "missions": rows,
    }


def filter_options(db: Database) -> dict:
    """The values each filter of :func:`missions` can take on this knowledge base."""
    hosts = sorted({h for (hs,) in db.tuples("SELECT host_iso3 FROM missions") for h in hs or []})
    return {
        "type": list(TYPES),
        "region": sorted({c for c in map(continent, hosts) if c}),
        "host": hosts,
        "status": list(STATUSES),
        "instrument": dict(INSTRUMENTS),
    }


def _query_text(q: str) -> str:
    text = " ".join(q.split()).lower()
    if len(text) > MAX_QUERY_CHARS:
        raise UsageError(
            f"search text of {len(text):,} characters: use at most {MAX_QUERY_CHARS} "
            "(a mission, resolution number or armed group)"
        )
    return text


def search(db: Database, q: str, *, limit: int = 20) -> dict:
    """Missions, resolutions and armed groups whose name (or number, or alias) contains ``q``.

    Resolutions match by number (``2098``, ``S/RES/2098``) or by words of their title; armed
    groups by name or any registered alias. ``q`` is matched as plain text (no patterns).

    Raises:
        UsageError: an empty or overlong search text.
    """
    text = _query_text(q)
    if not text:
        raise UsageError("empty search: type part of a mission, resolution or armed group name")
    like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    found_missions = db.rows(
        'SELECT acronym, name, type, start, "end" FROM missions WHERE lower(acronym) LIKE ? '
        "ESCAPE '\\' OR lower(name) LIKE ? ESCAPE '\\' ORDER BY acronym LIMIT ?",
        [like, like, limit],
    )
    digits = text.removeprefix("s/res/").split("(")[0].strip()
    number = int(digits) if digits.isdigit() and len(digits) < 6 else None
    found_resolutions = db.rows(
        "SELECT number, year, date, title, has_text FROM resolutions "
        "WHERE number = ? OR lower(title) LIKE ? ESCAPE '\\' "
        "ORDER BY number = ? DESC, number DESC LIMIT ?",
        [number, like, number, limit],
    )
    found_groups = db.rows(
        "SELECT a.actor_id, a.name, a.kind, list_sort(a.aliases) AS aliases FROM actors a "
        "WHERE a.kind = 'armed_group' AND (lower(a.name) LIKE ? ESCAPE '\\' OR a.actor_id IN "
        "(SELECT actor_id FROM actor_aliases WHERE lower(alias) LIKE ? ESCAPE '\\')) "
        "ORDER BY a.name LIMIT ?",
        [like, like, limit],
    )
    return {
        "q": text,
        "missions": [{k: _iso(v) for k, v in r.items()} for r in found_missions],
        "resolutions": [{k: _iso(v) for k, v in r.items()} for r in found_resolutions],
        "armed_groups": [{**r, "aliases": list(r["aliases"] or [])} for r in found_groups],
    }


def armed_group(db: Database, actor_id: str) -> dict:
    """An armed group of the registry with the resolutions that name it (the targets table)."""
    rows = db.rows("SELECT * FROM actors WHERE actor_id = ?", [actor_id.strip()])
    if not rows:
        from peaceops.errors import NotFound

        raise NotFound(f"no actor {actor_id[:60]!r} in the registry; search for it by name")
    actor = rows[0]
    named = db.rows(
        "SELECT resolution, relation, paragraph, quote, inferred FROM targets WHERE actor_id = ? "
        "ORDER BY resolution, start",
        [actor["actor_id"]],
    )
    return {
        **{k: (list(v) if isinstance(v, list | tuple) else v) for k, v in actor.items()},
        "named_in": named,
    }
