"""A copy of the knowledge base as it stood on a date: the leakage test's and the backtest's store.

Data flow::

    knowledge base file --copy--> new file --delete what was not yet known on ``as_of``-->
        resolutions (and their paragraphs, codes, targets, Chapter VII, index) adopted later,
        events, personnel, fatalities, votes, meetings after the date,
        yearly tables of the date's year and later (a year is known once it is complete),
        missions not begun; ends, requests, successors and partner departures still to come

Every table of the store is either in ``PLAN`` (how it is cut) or in ``KEPT`` (reference that a
researcher had at the date or that the forecast never reads); a new table in neither is an
error, so a migration cannot add a table that leaks into the backtest unnoticed.

Example::

    truncate_store(Path("out/peaceops.duckdb"), Path("/tmp/kb-2010.duckdb"), date(2010, 1, 1))
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from peaceops.errors import ForecastError
from peaceops.store import Database

# A resolution's date; 31 December of its year when the date is unknown (as the simulation).
_RES_DATE = "coalesce(date, make_date(year, 12, 31))"

#: How each dated table is cut: SQL run on the copy, with ``$d`` the date and ``$y`` its year.
PLAN: dict[str, tuple[str, ...]] = {
    "resolutions": (f"DELETE FROM resolutions WHERE {_RES_DATE} > $d",),
    "resolution_dates": (
        "DELETE FROM resolution_dates WHERE coalesce(date, make_date(year, 12, 31)) > $d",
    ),
    "resolution_texts": (
        "DELETE FROM resolution_texts WHERE number NOT IN (SELECT number FROM resolutions)",
    ),
    "paragraphs": (
        "DELETE FROM paragraphs WHERE resolution NOT IN (SELECT number FROM resolutions)",
    ),
    "codes": ("DELETE FROM codes WHERE resolution NOT IN (SELECT number FROM resolutions)",),
    "targets": ("DELETE FROM targets WHERE resolution NOT IN (SELECT number FROM resolutions)",),
    "chapter_vii": (
        "DELETE FROM chapter_vii WHERE resolution NOT IN (SELECT number FROM resolutions)",
    ),
    "impartiality_resolution": (
        "DELETE FROM impartiality_resolution WHERE resolution NOT IN "
        "(SELECT number FROM resolutions)",
    ),
    "impartiality_terms": (
        "DELETE FROM impartiality_terms WHERE resolution NOT IN (SELECT number FROM resolutions)",
    ),
    "segmentation_failures": (
        "DELETE FROM segmentation_failures WHERE resolution NOT IN "
        "(SELECT number FROM resolutions)",
    ),
    "mandate_acts": (
        "DELETE FROM mandate_acts WHERE resolution NOT IN (SELECT number FROM resolutions)",
    ),
    "mandate_history": (
        "DELETE FROM mandate_history WHERE number NOT IN (SELECT number FROM resolutions)",
    ),
    "mission_resolutions": (
        "DELETE FROM mission_resolutions WHERE number NOT IN (SELECT number FROM resolutions)",
    ),
    "mandate_inheritance": (
        "DELETE FROM mandate_inheritance WHERE date > $d OR resolution NOT "
        "IN (SELECT number FROM resolutions)",
    ),
    "impartiality_mission_year": ("DELETE FROM impartiality_mission_year WHERE year >= $y",),
    "events": ("DELETE FROM events WHERE date > $d",),
    "personnel_mission_month": ("DELETE FROM personnel_mission_month WHERE date > $d",),
    "personnel_authorized": ("DELETE FROM personnel_authorized WHERE date > $d",),
    "personnel_contributor_mission_month": (
        "DELETE FROM personnel_contributor_mission_month WHERE date > $d",
    ),
    "personnel_contributor_month": ("DELETE FROM personnel_contributor_month WHERE date > $d",),
    "personnel_global_month": ("DELETE FROM personnel_global_month WHERE date > $d",),
    "personnel_global_year": ("DELETE FROM personnel_global_year WHERE year >= $y",),
    "peacekeeper_fatalities": ("DELETE FROM peacekeeper_fatalities WHERE date > $d",),
    "peacekeeper_fatalities_by_type": (
        "DELETE FROM peacekeeper_fatalities_by_type WHERE date > $d",
    ),
    "pko_conflict_month": ("DELETE FROM pko_conflict_month WHERE date > $d",),
    "ucdp_events": ("DELETE FROM ucdp_events WHERE date_start > $d",),
    "drafts": ("DELETE FROM drafts WHERE date > $d",),
    "draft_sponsors": ("DELETE FROM draft_sponsors WHERE date > $d",),
    "member_votes": ("DELETE FROM member_votes WHERE date > $d",),
    "meeting_decisions": ("DELETE FROM meeting_decisions WHERE date > $d",),
    "meetings": ("DELETE FROM meetings WHERE date > $d",),
    "vetoes": ("DELETE FROM vetoes WHERE date > $d",),
    "vetoes_topic_year": ("DELETE FROM vetoes_topic_year WHERE year >= $y",),
    "fragmentation_year": ("DELETE FROM fragmentation_year WHERE year >= $y",),
    "geopko_locations": ("DELETE FROM geopko_locations WHERE year >= $y",),
    "geopko_tcc": ("DELETE FROM geopko_tcc WHERE year >= $y",),
    "geopko_troop_types": ("DELETE FROM geopko_troop_types WHERE year >= $y",),
    "deployed_strength_year": ("DELETE FROM deployed_strength_year WHERE year >= $y",),
    "pema_codes": ("DELETE FROM pema_codes WHERE year >= $y",),
    "pema_resolutions": ("DELETE FROM pema_resolutions WHERE year >= $y",),
    "missions": (
        "DELETE FROM missions WHERE start > $d",
        'UPDATE missions SET "end" = NULL, successor = NULL WHERE "end" > $d',
        "UPDATE missions SET successor = NULL WHERE successor NOT IN "
        "(SELECT acronym FROM missions)",
    ),
    "mission_ends": (
        "DELETE FROM mission_ends WHERE acronym NOT IN (SELECT acronym FROM missions)",
        "UPDATE mission_ends SET outcome = 'active', end_date = NULL, end_precision = NULL, "
        "successor = NULL, note = NULL WHERE end_date IS NULL OR end_date > $d",
        "UPDATE mission_ends SET host_request_date = NULL WHERE host_request_date > $d",
    ),
    "partner_presence": (
        "DELETE FROM partner_presence WHERE start > $d",
        'UPDATE partner_presence SET "end" = NULL WHERE "end" > $d',
    ),
    "actors": ("UPDATE actors SET active_to = NULL WHERE active_to >= $y",),
    # figures and documents drawn from the whole store (#30): none holds for the cut one
    "views": ("DELETE FROM views",),
    # the search index (#30): after the tables it indexes, whose cuts it follows
    "search_documents": (
        "DELETE FROM search_documents WHERE (kind IN ('paragraph', 'resolution') AND resolution "
        "NOT IN (SELECT number FROM resolutions)) OR (kind = 'event' AND key NOT IN "
        "(SELECT event_id FROM events)) OR (kind = 'mission' AND key NOT IN "
        "(SELECT acronym FROM missions))",
        "UPDATE search_documents SET year_to = NULL WHERE kind IN ('mission', 'group') "
        "AND year_to >= $y",
    ),
    "search_postings": (
        "DELETE FROM search_postings WHERE document NOT IN (SELECT document FROM search_documents)",
    ),
}

#: Tables kept whole: reference a researcher had on the date (membership terms are known years
#: ahead, entities and aliases change slowly), or what the forecast and simulation never read.
KEPT = frozenset({
    "actor_aliases", "build_info", "coding_runs", "council_members", "council_terms",
    "data_issues", "dpa2010_components", "dpa2010_missions", "ipi_missions",
    "mandate_registry_pkm2026", "mandate_registry_ppb2027", "mission_budgets", "mission_start",
    "schema_migrations", "sources", "un_entities", "un_pko_list",
})  # fmt: skip


def truncate_store(source: Path, target: Path, as_of: date) -> Path:
    """Write to ``target`` a copy of the knowledge base ``source`` cut at ``as_of``.

    Raises:
        ForecastError: the source is missing, or has a table that is neither cut nor kept.
    """
    if not source.exists():
        raise ForecastError(f"no knowledge base at {source}: run `peaceops build` first")
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    for wal in (target.with_name(target.name + ".wal"),):
        wal.unlink(missing_ok=True)
    with Database(target, read_only=False) as db:
        tables = set(db.tables())
        unknown = sorted(tables - set(PLAN) - KEPT)
        if unknown:
            raise ForecastError(
                f"tables {', '.join(unknown)} are neither cut nor kept by "
                "peaceops.forecast.truncate: add them to PLAN or KEPT"
            )
        params = {"d": as_of, "y": as_of.year}

        def cut(conn) -> None:
            for table, statements in PLAN.items():
                if table not in tables:
                    continue
                for sql in statements:
                    conn.execute(sql, {k: v for k, v in params.items() if f"${k}" in sql})

        db.execute_write_fn(cut)
        db.checkpoint()
    return target
