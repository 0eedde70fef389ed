"""Browsing the knowledge base: the mission list with its filters, and search.

Used by the web explorer's mission list and search box and by ``/api/missions`` and
``/api/search``; every value comes from a stored table (the registry, the codes, the measures),
so the list shows nothing the other outputs do not.

Filters (facets; each optional; the values of one facet are alternatives (OR), the facets
combine with AND; a facet takes repeated or comma-separated values, ``region=africa&region=asia``
or ``region=africa,asia``, #30):

- ``type``: ``pko``, ``spm`` or ``regional`` (the registry's mission type);
- ``region``: a host's continent (``Africa``, ``America``, ``Asia``, ``Europe``, ``Oceania``;
  country_converter's UN geoscheme);
- ``host``: a host's ISO3 code (``MLI``) or its short name (``Mali``);
- ``status``: ``active`` (no end recorded) or ``closed``;
- ``instrument``: ``chapter-vii`` (a resolution of the mission acts under Chapter VII in its
  operative part), ``poc`` (a coded protection-of-civilians task, ``CivProtect``),
  ``partial`` (a coded partial task: stabilization, support to host forces, offensive
  operations, neutralizing groups), ``no-text`` (a resolution of the mission has no stored text);
- ``decade``: the decade the mission started (``1990s``; ``1990`` is taken too).

Each facet's values come with counts: how many missions pass every other facet and have that
value (so a facet's count is what choosing that value alone would list). ``sort`` orders the
list by one of ``SORTS`` (``-`` first: descending); a value that is not known is an error whose
message lists the allowed ones, never an empty list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from peaceops.errors import UsageError
from peaceops.sources.countries import continent, country_name
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


FACETS = ("type", "region", "host", "status", "instrument", "decade")
#: Sort keys of the mission list (``-key`` sorts descending; missing values always last).
SORTS: dict[str, Callable[[dict], Any]] = {
    "acronym": lambda m: m["acronym"].lower(),
    "name": lambda m: m["name"].lower(),
    "type": lambda m: m["type"],
    "host": lambda m: ", ".join(m["host_names"]).lower() or None,
    "region": lambda m: ", ".join(m["regions"]) or None,
    "start": lambda m: m["start"],
    "end": lambda m: m["end"] or "9999",  # active: no end yet, after every end
    "resolutions": lambda m: m["resolutions"],
    "chapter-vii": lambda m: m["chapter_vii"],
    "poc": lambda m: m["poc"],
    "partial": lambda m: m["partial"],
    "index": lambda m: m["latest_index"],
}
#: Longest list of values taken for one facet.
MAX_VALUES = 100
Values = str | Iterable[str] | None


def _values(value: Values) -> list[str]:
    """The values of one facet: repeated, comma-separated or both; blanks dropped, in order."""
    if value is None:
        return []
    items = [value] if isinstance(value, str) else list(value)
    found: list[str] = []
    for item in items:
        for part in str(item).split(","):
            part = part.strip()
            if part and part not in found:
                found.append(part)
    return found[: MAX_VALUES + 1]


def _unknown(name: str, value: str, allowed: Iterable[str]) -> UsageError:
    return UsageError(f"unknown {name} {value[:40]!r}: use one of {', '.join(allowed)}")


def _facet_values(item: dict) -> dict[str, list[str]]:
    """The values a mission has in each facet (a mission may have several hosts, regions)."""
    return {
        "type": [item["type"]],
        "region": item["regions"],
        "host": item["hosts_iso3"],
        "status": [item["status"]],
        "instrument": [k for k in INSTRUMENTS if item[_flag(k)]],
        "decade": [item["decade"]] if item["decade"] else [],
    }


def _flag(instrument: str) -> str:
    return instrument.replace("-", "_").replace("no_text", "missing_text")


def _options(items: list[dict]) -> dict[str, list[str]]:
    """Every value each facet can take on this knowledge base, in display order."""
    seen: dict[str, set[str]] = {f: set() for f in FACETS}
    for item in items:
        for facet, values in _facet_values(item).items():
            seen[facet].update(values)
    hosts = sorted(seen["host"], key=lambda c: (country_name(c) or c).lower())
    return {"type": list(TYPES), "region": sorted(seen["region"]), "host": hosts,
            "status": list(STATUSES), "instrument": list(INSTRUMENTS),
            "decade": sorted(seen["decade"])}  # fmt: skip


def _normalise(facet: str, value: str, allowed: list[str]) -> str:
    """A value as the facet stores it (``africa`` -> ``Africa``, ``Mali`` -> ``MLI``)."""
    key = value.lower()
    if facet == "host":
        names = {(country_name(c) or "").lower(): c for c in allowed}
        found = value.upper() if value.upper() in allowed else names.get(key)
    elif facet == "decade":
        digits = key.removesuffix("s")
        found = f"{digits}s" if f"{digits}s" in allowed else None
    else:
        found = next((a for a in allowed if a.lower() == key), None)
    if found is None:
        raise _unknown(facet, value, allowed)
    return found


def _sort_key(sort: str | None) -> tuple[str, bool]:
    text = (sort or "start").strip().lower() or "start"
    key, descending = text.removeprefix("-"), text.startswith("-")
    if key not in SORTS:
        raise _unknown("sort", text, [*SORTS, *(f"-{k}" for k in SORTS)])
    return key, descending


def missions(
    db: Database,
    *,
    type: Values = None,
    region: Values = None,
    host: Values = None,
    status: Values = None,
    instrument: Values = None,
    decade: Values = None,
    q: str | None = None,
    sort: str | None = None,
) -> dict:
    """The missions of the registry that pass every filter given, with each facet's counts.

    Returns:
        ``filters`` (each facet's chosen values, ``q``, ``sort``), ``count``, ``missions``
        (sorted), ``facets`` (per facet, every value with its ``label``, ``count`` and
        whether it is ``selected``).

    Raises:
        UsageError: a facet value or sort key that is not one of the allowed ones (the message
            lists them), or more than ``MAX_VALUES`` values for one facet.
    """
    items = []
    for row in db.rows(_LIST):
        hosts = list(row.pop("host_iso3") or [])
        item = {
            **{k: _iso(v) for k, v in row.items()},
            "hosts_iso3": hosts,
            "host_names": [country_name(h) or h for h in hosts],
            "regions": sorted({c for c in map(continent, hosts) if c}),
            "status": "active" if row["end"] is None else "closed",
        }
        item["decade"] = f"{int(item['start'][:4]) // 10 * 10}s" if item["start"] else None
        items.append(item)
    options = _options(items)
    given = dict(zip(FACETS, (type, region, host, status, instrument, decade), strict=True))
    chosen: dict[str, list[str]] = {}
    for facet in FACETS:
        values = _values(given[facet])
        if len(values) > MAX_VALUES:
            raise UsageError(f"more than {MAX_VALUES} values of {facet}: choose fewer")
        chosen[facet] = [_normalise(facet, v, options[facet]) for v in values]
    key, descending = _sort_key(sort)
    text = _query_text(q) if q else None
    if text:
        items = [m for m in items if text in f"{m['acronym']} {m['name']}".lower()]
    has = [_facet_values(m) for m in items]

    def passes(k: int, skip: str | None = None) -> bool:
        return all(not chosen[f] or set(chosen[f]) & set(has[k][f]) for f in FACETS if f != skip)

    facets = {}
    for facet in FACETS:
        counts = dict.fromkeys(options[facet], 0)
        for k in range(len(items)):
            if passes(k, skip=facet):
                for value in has[k][facet]:
                    counts[value] += 1
        facets[facet] = [
            {"value": v, "label": _label(facet, v), "count": n, "selected": v in chosen[facet]}
            for v, n in counts.items()
        ]
    rows = [m for k, m in enumerate(items) if passes(k)]
    known = [m for m in rows if SORTS[key](m) is not None]
    known.sort(key=SORTS[key], reverse=descending)  # stable: ties keep the registry's order
    rows = known + [m for m in rows if SORTS[key](m) is None]
    return {
        "filters": {**chosen, "q": text, "sort": f"{'-' if descending else ''}{key}"},
        "count": len(rows),
        "missions": rows,
        "facets": facets,
    }


def _label(facet: str, value: str) -> str:
    if facet == "host":
        return f"{country_name(value) or value} ({value})"
    if facet == "instrument":
        return INSTRUMENTS[value]
    return value


def filter_options(db: Database) -> dict:
    """The values each filter of :func:`missions` can take on this knowledge base."""
    options = {f: [v["value"] for v in values] for f, values in missions(db)["facets"].items()}
    return {**options, "instrument": dict(INSTRUMENTS)}


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
