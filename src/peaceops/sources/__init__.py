"""Loaders for every dataset of the data directory, one module per family.

``SOURCES`` lists them in build order; each ``Source`` names the files it needs and the tables
it fills. See ``peaceops.sources.base`` for the loader contract.
"""

from peaceops.sources import events, geopko, mandates, personnel
from peaceops.sources.base import (
    ENV_DATA_DIR,
    Source,
    SourceError,
    decode_text,
    resolve_data_dir,
)
from peaceops.sources.countries import to_iso3
from peaceops.sources.meetings import load_meetings
from peaceops.sources.missions import load_mission_start, load_pko_list
from peaceops.sources.resolutions import load_resolution_dates, load_resolution_texts, symbol
from peaceops.sources.votes import load_membership, load_vetoes, load_votes

CORE_SOURCES: tuple[Source, ...] = (
    Source(
        "resolution_texts",
        "Resolution texts S/RES/1-2259 (PVS), CR-UNSC gold texts, post-2015 draft texts",
        ("resolutions/texts", "resolutions/cr-unsc-gold", "resolutions/texts-post2015"),
        load_resolution_texts,
        ("resolution_texts",),
    ),
    Source(
        "resolution_dates",
        "Adoption dates of S/RES/1-2259",
        ("resolutions/all_resolutions_date.dta",),
        load_resolution_dates,
        ("resolution_dates",),
    ),
    Source(
        "votes",
        "Per-member votes on every draft, 1994-2025",
        ("votes/sc_voting.xlsx",),
        load_votes,
        ("member_votes", "drafts", "draft_sponsors"),
    ),
    Source(
        "vetoes",
        "Vetoed drafts, 1946 - Sept 2022",
        ("votes/unsc_vetoes_1946_sept2022.csv",),
        load_vetoes,
        ("vetoes",),
    ),
    Source(
        "council_membership",
        "Council membership terms, 1992-2023",
        ("council/council_membership.csv",),
        load_membership,
        ("council_terms", "council_members"),
    ),
    Source(
        "meetings",
        "UN tables of Council meetings and outcomes, 1946-2022",
        ("meetings/html",),
        load_meetings,
        ("meetings", "meeting_decisions"),
    ),
    Source(
        "pko_list",
        "The UN list of peacekeeping operations (2024-02-19)",
        ("missions/DPPADPOSS-PKO.csv",),
        load_pko_list,
        ("un_pko_list",),
    ),
    Source(
        "mission_start",
        "Start month and host of PKOs and special political missions",
        ("missions/mission_start.csv",),
        load_mission_start,
        ("mission_start",),
    ),
)

#: Every source, in build order.
SOURCES: tuple[Source, ...] = (
    *CORE_SOURCES,
    *personnel.SOURCES,
    *geopko.SOURCES,
    *events.SOURCES,
    *mandates.SOURCES,
)

__all__ = [
    "CORE_SOURCES",
    "ENV_DATA_DIR",
    "SOURCES",
    "Source",
    "SourceError",
    "decode_text",
    "load_meetings",
    "load_membership",
    "load_mission_start",
    "load_pko_list",
    "load_resolution_dates",
    "load_resolution_texts",
    "load_vetoes",
    "load_votes",
    "resolve_data_dir",
    "symbol",
    "to_iso3",
]
