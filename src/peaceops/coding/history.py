"""Every mission's mandate history: one row per mission and resolution, with its source (#28).

Data flow: the curated registry (``mission_resolutions``), the acts read from the texts
(``mandate_acts`` without ``addresses``: a paragraph that names a mission does not act on its
mandate), the UN Mandate Registry extracts (``mandate_registry_pkm2026``,
``mandate_registry_ppb2027``: the documents a mission's budget cites) and, for resolutions
without text, the vote records' agenda items (``drafts``) -> :func:`mandate_history` ->
``mandate_history``, which the measures, the mission pages and the reports read.

Rules, in order:

* A curated row wins where it exists: its role and citation are kept, and the texts' acts are
  listed beside it.
* A link read from the texts takes the strongest act its text supports: ``establish``, then
  ``terminate``, then ``renew`` (renew, rollover or final), then ``change`` (change or
  drawdown), then ``tasks`` (the coder found tasks given to the mission, and the text does not
  act on its mandate: a sanctions resolution that asks UNAMA to help its monitors; its tasks
  join the mandate in force, and its Chapter VII is not the mission's). Two acts are
  discounted, and the note says why: an ``establish`` more than a year after the mission began
  (the text establishes something else, "establishes State presence"), and a ``terminate``
  followed by a later renewal or change of the same mission (the text speaks of an end,
  "until the end of MINUSMA's mandate", but the mandate went on).
* A registry extract's citation links the resolution (``registry extract``): ``establish``
  where the extract's sentence says the mission was established by it, else ``renew``.
* A link read only from a text, dated more than a year before the mission began or after it
  ended, is shown but not confirmed (the measures do not read it): "the United Nations Force"
  of a Cyprus text of 1965 is not the registry's UNFOR of 1992.
* A resolution without text and without any of these links is a ``candidate`` when its agenda
  item names the place in the mission's name and the mission was active that day
  ("The situation in Mali" for the Mission in Mali): ``confirmed`` is false, and the measures do
  not read it; the mission pages show it for a human to confirm.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd

from peaceops.store import Database

HISTORY_VERSION = "peaceops.mandate_history.v1"

COLUMNS = ["acronym", "number", "date", "year", "role", "acts", "source", "confirmed",
           "has_text", "end_date", "paragraph", "citation", "note", "version"]  # fmt: skip

#: The acts a role is read from, strongest first (see the module doc).
_ROLE_OF_ACT = {
    "establish": "establish",
    "terminate": "terminate",
    "renew": "renew",
    "rollover": "renew",
    "final": "renew",
    "change": "change",
    "drawdown": "change",
    "tasks": "tasks",
}
_ROLE_ORDER = ("establish", "terminate", "renew", "change", "tasks")
#: Acts that show a mandate went on after a text spoke of its end.
_CONTINUES = {"renew", "rollover", "final", "change", "drawdown", "establish"}
_ESTABLISH_GRACE = timedelta(days=365)
_PLACE = re.compile(r"\b(?:in|for|on)\s+(?:the\s+)?(?=[A-Z])")
_SYMBOL = re.compile(r"^\s*(\d{1,4})\s*\((\d{4})\)\s*$")


@dataclass
class _Link:
    acronym: str
    number: int
    sources: set[str] = field(default_factory=set)
    curated_role: str | None = None
    citation: str | None = None
    acts: list[str] = field(default_factory=list)
    quotes: list[tuple[str, str, date | None]] = field(default_factory=list)
    extract_role: str | None = None
    extract_citation: str | None = None
    year: int | None = None


def place_of(name: str) -> str | None:
    """The place a mission's name ends with ("... Mission in Mali" -> "Mali"), if any."""
    name = re.sub(r"\s*\(.*?\)\s*$", "", name or "")
    found = list(_PLACE.finditer(name))
    return name[found[-1].end() :].strip() or None if found else None


def _extract_role(description: str | None, number: int) -> str:
    """``establish`` when the extract's sentence naming ``number`` says it established."""
    for sentence in re.split(r"(?<=[.;])\s+", description or ""):
        if re.search(rf"\b{number}\s*\(\d{{4}}\)", sentence) and re.search(
            r"\bestablish", sentence, re.IGNORECASE
        ):
            before = sentence[: re.search(rf"\b{number}\s*\(", sentence).start()]
            if not re.search(r"\b(?:renew|extend)", before, re.IGNORECASE):
                return "establish"
    return "renew"


def _collect(db: Database) -> dict[tuple[str, int], _Link]:
    links: dict[tuple[str, int], _Link] = {}

    def link(acronym: str, number: int) -> _Link:
        return links.setdefault((acronym, number), _Link(acronym, number))

    for acronym, number, role, citation, year in db.tuples(
        "SELECT acronym, number, role, citation, year FROM mission_resolutions "
        "ORDER BY acronym, number"
    ):
        row = link(acronym, int(number))
        row.sources.add("curated")
        row.curated_role, row.citation, row.year = role, citation, year
    for mission, number, act, paragraph, quote, end_date in db.tuples(
        "SELECT mission, resolution, act, paragraph, quote, end_date FROM mandate_acts "
        "WHERE act <> 'addresses' ORDER BY resolution, start, \"end\", mission, act"
    ):
        row = link(mission, int(number))
        row.sources.add("texts")
        if act not in row.acts:
            row.acts.append(act)
        row.quotes.append((paragraph, quote, end_date))
    known = {a for (a,) in db.tuples("SELECT acronym FROM missions")}
    for table in ("mandate_registry_pkm2026", "mandate_registry_ppb2027"):
        for entity, symbol, description, origin in db.tuples(
            f"SELECT entity, symbol, description, origin_document FROM {table} "
            "WHERE full_document_symbol LIKE 'S/RES/%' ORDER BY entity, symbol"
        ):
            match = _SYMBOL.match(symbol or "")
            if entity not in known or not match:
                continue
            number = int(match.group(1))
            row = link(entity, number)
            row.sources.add("registry extract")
            row.year = row.year or int(match.group(2))
            role = _extract_role(description, number)
            if row.extract_role != "establish":
                row.extract_role = role
            row.extract_citation = row.extract_citation or f"UN Mandate Registry: {origin}"
    return links


def _role(link: _Link, start: date | None, when: date | None, later: set[str]) -> tuple:
    """Role and note of one link (see the module doc); ``later``: acts of later links."""
    if link.curated_role is not None:
        return link.curated_role, None
    notes = []
    roles = []
    for act in link.acts:
        role = _ROLE_OF_ACT[act]
        if role == "establish" and start and when and when > start + _ESTABLISH_GRACE:
            notes.append(f"'establish' discounted: the mission began on {start}")
            continue
        if role == "terminate" and later & _CONTINUES:
            notes.append("'terminate' discounted: a later resolution renews or changes it")
            continue
        roles.append(role)
    if roles:
        return min(roles, key=_ROLE_ORDER.index), "; ".join(notes) or None
    if link.extract_role is not None:
        return link.extract_role, "; ".join(notes) or None
    return "tasks", "; ".join(notes) or None


def mandate_history(db: Database) -> pd.DataFrame:
    """The ``mandate_history`` rows (see the module doc), by mission, date and number."""
    links = _collect(db)
    resolutions = {
        int(n): (d, y, bool(t))
        for n, d, y, t in db.tuples("SELECT number, date, year, has_text FROM resolutions")
    }
    missions = {a: (s, e, name) for a, name, s, e in db.tuples(
        'SELECT acronym, name, start, "end" FROM missions')}  # fmt: skip
    by_mission: dict[str, list[_Link]] = defaultdict(list)
    for link in links.values():
        by_mission[link.acronym].append(link)
    rows = []
    for acronym, mission_links in sorted(by_mission.items()):

        def when(link: _Link) -> date | None:
            return resolutions.get(link.number, (None, None, False))[0]

        mission_links.sort(key=lambda k: (when(k) or date.max, k.number))
        start = missions.get(acronym, (None, None, None))[0]
        for i, link in enumerate(mission_links):
            later = {a for k in mission_links[i + 1 :] for a in k.acts}
            later |= {k.curated_role for k in mission_links[i + 1 :] if k.curated_role}
            later |= {"renew" for k in mission_links[i + 1 :] if k.extract_role}
            role, note = _role(link, start, when(link), later)
            d, y, has_text = resolutions.get(link.number, (None, link.year, False))
            confirmed = True
            outside = _outside(missions.get(acronym, (None, None, None)), d)
            if link.sources == {"texts"} and outside:
                # "the United Nations Force" in a Cyprus text of 1965 is UNFICYP, not the
                # registry's UNFOR of 1992-1996: a text's link dated outside the mission's
                # years is shown, and no measure reads it
                confirmed = False
                note = "; ".join(filter(None, [note, f"not read: {outside}"]))
            ends = [e for _, _, e in link.quotes if e is not None and not pd.isna(e)]
            paragraph = link.quotes[0][0] if link.quotes else None
            if link.citation:
                citation = link.citation
            elif link.quotes:
                citation = f"S/RES/{link.number} ¶{paragraph}: \u201c{link.quotes[0][1]}\u201d"
            else:
                citation = link.extract_citation or f"S/RES/{link.number}"
            rows.append((acronym, link.number, d, y, role, list(link.acts),
                         "+".join(sorted(link.sources)), confirmed, has_text,
                         max(ends) if ends else None, paragraph, citation, note,
                         HISTORY_VERSION))  # fmt: skip
    rows.extend(_candidates(db, links, missions))
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame = frame.astype({"date": "datetime64[s]", "end_date": "datetime64[s]",
                          "year": "Int64"})  # fmt: skip
    return frame.sort_values(["acronym", "date", "number"], na_position="last").reset_index(
        drop=True
    )


def _outside(mission: tuple, on: date | None) -> str | None:
    """Why a resolution of ``on`` falls outside a mission's years (a year's slack), if it does."""
    start, end, _ = mission
    if on is None:
        return None
    if start is not None and on < start - _ESTABLISH_GRACE:
        return f"adopted before the mission began ({start})"
    if end is not None and on > end + _ESTABLISH_GRACE:
        return f"adopted after the mission ended ({end})"
    return None


def _candidates(db: Database, links: dict, missions: dict) -> list[tuple]:
    """Agenda-item candidates for resolutions without text (see the module doc)."""
    places = {a: place_of(name) for a, (_, _, name) in missions.items()}
    places = {a: p for a, p in places.items() if p and len(p) >= 4}
    # each place's pattern once, not once per resolution and mission
    patterns = {a: re.compile(rf"\b{re.escape(p)}\b", re.IGNORECASE) for a, p in places.items()}
    rows = []
    for number, d, y, agenda in db.tuples(
        "SELECT DISTINCT r.number, r.date, r.year, d.agenda_item FROM resolutions r "
        "JOIN drafts d ON d.resolution = r.number WHERE NOT r.has_text "
        "AND d.agenda_item IS NOT NULL AND r.date IS NOT NULL ORDER BY r.number"
    ):
        for acronym, place in sorted(places.items()):
            start, end = missions[acronym][0], missions[acronym][1]
            if (acronym, int(number)) in links or start is None or d < start:
                continue
            if end is not None and d > end:
                continue
            if not patterns[acronym].search(agenda):
                continue
            rows.append((acronym, int(number), d, y, "candidate", [], "agenda item", False, False,
                         None, None, f"vote record: agenda item \u201c{agenda}\u201d",
                         f"agenda item names {place}; {acronym} active: to confirm",
                         HISTORY_VERSION))  # fmt: skip
    return rows


def write_history(db: Database) -> int:
    """Replace ``mandate_history``; return the rows written."""
    frame = mandate_history(db)
    db.replace({"mandate_history": frame})
    return len(frame)
