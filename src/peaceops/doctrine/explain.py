"""Explanations: every doctrine rule that fired on a resolution, with its evidence.

Data flow: :func:`load_facts` reads the knowledge base once (resolutions, paragraphs, codes,
chapter_vii, targets, missions and mission_resolutions) into one
:class:`~peaceops.doctrine.rules.ResolutionFacts` per resolution;
:func:`~peaceops.doctrine.rules.evaluate` applies every registered rule (the instrument rules
of :mod:`~peaceops.doctrine.instruments`, the R2P rules of :mod:`~peaceops.doctrine.r2p`) in
memory; this module turns the findings into

* one JSON-ready document per resolution (:func:`explain_resolution`, :func:`explain_all`):
  ``{"resolution", "ruleset", "instruments", "r2p_pillars", "rules": [{"id", "conclusion",
  "evidence": [{"start", "end", "quote"}]}], "not_applied": [{"id", "reason"}]}``;
* the instruments in force per mission and year (:func:`instruments_by_mission_year`).

Missions come from two places. The curated registry (``mission_resolutions``) says which
resolutions establish, renew, change, authorize or terminate a mission. Many renewals of the
older operations (UNFICYP, UNDOF, UNIFIL, ...) are not in the registry, so an operative
paragraph that *extends or renews the mandate* of a registry mission named in it ("Decides to
extend the mandate of UNFICYP", "decides to extend its mandate", "Extends the stationing in
Cyprus of the United Nations Peace-keeping Force") also links the resolution to that mission,
as a ``renew`` with ``source="text"`` and the name as evidence - but only while the mission
exists (its registry dates, a year's grace either side).

A resolution whose text is not in the data directory still gets the rules that need no text
(the registry's special political missions, authorised regional forces and peacebuilding
offices); ``not_applied`` lists the others, so an empty list of instruments never passes for
"no instrument".
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta

import pandas as pd

from peaceops.coding.records import Code, Target
from peaceops.doctrine import instruments as _instruments  # importing registers the rules
from peaceops.doctrine import r2p as _r2p
from peaceops.doctrine.rules import (
    RULES,
    RULESET_VERSION,
    ChapterVIIBasis,
    Evidence,
    Finding,
    MissionLink,
    ParagraphRef,
    ResolutionFacts,
    evaluate,
)
from peaceops.store.database import Database
from peaceops.store.queries import find_resolution

MISSION_YEAR_COLUMNS = ["mission", "year", "resolution", "source_resolution", "instruments"]
_NO_TEXT = "needs the resolution's text, which is not in the data directory"
_GRACE = timedelta(days=365)


def explain_facts(facts: ResolutionFacts, *, findings: list[Finding] | None = None) -> dict:
    """The explanation document of one resolution from its facts (and findings, if known)."""
    findings = evaluate(facts) if findings is None else findings
    return {
        "resolution": facts.number,
        "ruleset": RULESET_VERSION,
        "instruments": _ordered(findings, _instruments.INSTRUMENTS),
        "r2p_pillars": _ordered(findings, _r2p.PILLARS),
        "rules": [f.as_dict() for f in findings],
        "not_applied": [
            {"id": r.id, "reason": _NO_TEXT}
            for r in RULES.values()
            if r.needs_text and not facts.has_text
        ],
    }


def explain_resolution(db: Database, number: int | str) -> dict:
    """Explain one resolution: instruments, R2P pillars, and every rule that fired.

    Args:
        db: an open knowledge base.
        number: ``2098``, ``"2098 (2013)"`` or ``"S/RES/2098 (2013)"``.

    Raises:
        NotFound: the resolution is not in the knowledge base (with the nearest numbers).
        UsageError: ``number`` is not a resolution reference, or names the wrong year.
    """
    wanted = find_resolution(db, number)
    facts = load_facts(db, numbers=[wanted])
    return explain_facts(facts[wanted])


def explain_all(db: Database, *, numbers: Iterable[int] | None = None) -> dict[int, dict]:
    """Explanations of every resolution (or of ``numbers``), from one read of the database."""
    return {n: explain_facts(f) for n, f in load_facts(db, numbers=numbers).items()}


def instruments_by_mission_year(db: Database) -> pd.DataFrame:
    """The instruments in force for each mission and year.

    For every mission linked to resolutions (the registry, or a renewal read from a text),
    each year from its first to its last resolution takes the findings of the latest
    resolution, adopted in or before that year, from which a rule concluded something about
    that mission (``source_resolution``): the findings about that mission and those about no
    mission in particular (sanctions, Chapter VI, ...), not those about another mission the
    same resolution mandates. A later resolution that concludes nothing about the mission - a
    troop increase, a technical rollover, a renewal whose text is not in the data directory -
    carries the instruments in force forward (``resolution`` is the latest resolution all the
    same). A terminating resolution ends the series after its year, which keeps the mandate
    in force during it.

    Returns:
        A DataFrame with columns ``mission``, ``year``, ``resolution``, ``source_resolution``
        and ``instruments`` (a list in the canonical order of ``INSTRUMENTS``).
    """
    facts = load_facts(db)
    findings = {n: evaluate(f) for n, f in facts.items()}
    links: dict[str, list[tuple[int, int, str]]] = {}
    for number, resolution in facts.items():
        if resolution.year is None:
            continue
        for link in resolution.missions:
            links.setdefault(link.acronym, []).append((number, resolution.year, link.role))
    rows = []
    for mission in sorted(links):
        history = sorted(set(links[mission]))
        rows.extend(_mission_years(mission, history, findings))
    return pd.DataFrame(rows, columns=MISSION_YEAR_COLUMNS)


def _mission_years(
    mission: str,
    history: list[tuple[int, int, str]],
    findings: dict[int, list[Finding]],
) -> list[tuple]:
    first = history[0][1]
    ended = next((year for _, year, role in history if role == "terminate"), None)
    last = ended if ended is not None else history[-1][1]
    mandating = [(n, y) for n, y, role in history if role != "terminate"]
    rows = []
    for year in range(first, last + 1):
        in_force = [n for n, y in mandating if y <= year]
        if not in_force:
            continue
        about = [n for n in in_force if any(f.mission == mission for f in findings[n])]
        source = about[-1] if about else in_force[-1]
        relevant = [f for f in findings[source] if f.mission in (None, mission)]
        rows.append(
            (mission, year, in_force[-1], source, _ordered(relevant, _instruments.INSTRUMENTS))
        )
    return rows


def _ordered(findings: Iterable[Finding], order: tuple[str, ...]) -> list[str]:
    concluded = {f.conclusion for f in findings}
    return [c for c in order if c in concluded]


# ---------------------------------------------------------------------------------------------
# Loading the facts


def load_facts(db: Database, *, numbers: Iterable[int] | None = None) -> dict[int, ResolutionFacts]:
    """Read the facts of every resolution (or of ``numbers``) from the knowledge base.

    One query per table, whatever the number of resolutions.
    """
    where, params = "", None
    if numbers is not None:
        wanted = sorted({int(n) for n in numbers})
        if not wanted:
            return {}
        where, params = f" WHERE {{col}} IN ({', '.join('?' * len(wanted))})", wanted

    def fetch(sql: str, col: str) -> list[tuple]:
        return db.tuples(sql + where.format(col=col), params)

    resolutions = fetch("SELECT number, year, date, text FROM resolutions", "number")
    paragraphs: dict[int, list[ParagraphRef]] = defaultdict(list)
    for row in fetch(
        'SELECT resolution, kind, label, parent, depth, start, "end" FROM paragraphs', "resolution"
    ):
        paragraphs[row[0]].append(ParagraphRef(*row[1:]))
    codes: dict[int, list[Code]] = defaultdict(list)
    for row in fetch(
        'SELECT resolution, paragraph, task, modality, verb, strength, start, "end", quote, coder '
        "FROM codes",
        "resolution",
    ):
        codes[row[0]].append(Code(*row[:5], tuple(row[5] or ()), *row[6:]))
    chapters = {
        row[0]: ChapterVIIBasis(row[1], tuple(row[2] or ()), *row[3:])
        for row in fetch(
            'SELECT resolution, operative, paragraphs, start, "end", quote, article_39, '
            "article_39_start, article_39_end, article_39_quote FROM chapter_vii",
            "resolution",
        )
    }
    targets: dict[int, list[Target]] = defaultdict(list)
    for row in fetch(
        'SELECT resolution, paragraph, "group", actor_id, relation, start, "end", quote, '
        "inferred, rules FROM targets",
        "resolution",
    ):
        targets[row[0]].append(Target(*row))
    registry = fetch(
        "SELECT mr.number, m.acronym, m.name, m.type, mr.role FROM mission_resolutions mr "
        "JOIN missions m USING (acronym)",
        "mr.number",
    )
    linker = _MissionLinker(db.tuples("SELECT * FROM missions"))
    linked: dict[int, list[tuple]] = defaultdict(list)
    for number, *link in registry:
        linked[number].append(tuple(link))
    out: dict[int, ResolutionFacts] = {}
    for number, year, day, text in resolutions:
        paras = tuple(sorted(paragraphs.get(number, ()), key=lambda p: (p.start, p.depth)))
        day = _day(day)
        out[number] = ResolutionFacts(
            number=number,
            year=year,
            date=day,
            text=text or None,
            paragraphs=paras,
            codes=tuple(sorted(codes.get(number, ()), key=lambda c: (c.start, c.task))),
            chapter_vii=chapters.get(number),
            targets=tuple(sorted(targets.get(number, ()), key=lambda t: (t.start, t.group))),
            missions=linker.links(text or None, day, paras, linked.get(number, [])),
        )
    return out


# an operative paragraph that extends or renews a mandate; the mission is named after "of", or
# before the phrase when the mandate is "its" mandate
_RENEWAL = re.compile(
    r"\b(?i:extend|renew|prolong)(?:s|ed|ing)?\b\s+"
    r"(?:once\s+(?:more|again)\s+|further\s+|until\s+[^;,]{1,40}?\s+)?"
    r"(?:(?P<its>its)|the)\s+(?:(?:present|existing|current)\s+)?"
    r"(?:mandates?|stationing|deployment|presence)\b"
    r"(?P<of>(?:\s+in\s+(?P<place>[A-Z][\w-]*))?\s+of\b)?",
)
_DESIGNATOR_REACH = 160
_ARTICLE = re.compile(r"\s*(?:the\s+)?")
# "Extends ... the stationing in Cyprus of the United Nations Peace-keeping Force": the name
# without its place, which the phrase gives
_UN_BODY = re.compile(r"\s*(?:the\s+)?(United\s+Nations(?:\s+[A-Z][\w-]*){1,4})")


class _MissionLinker:
    """Names of the registry's missions, found in texts (see the module docstring)."""

    def __init__(self, missions: list[tuple]) -> None:
        self._missions = []
        patterns = []
        for acronym, name, kind, _hosts, start, end, *_ in missions:
            own = [re.escape(acronym).replace(r"\ ", r"\s+"), _name_pattern(name)]
            compiled = re.compile(rf"(?<![\w-])(?:{'|'.join(own)})(?![\w-])")
            self._missions.append((acronym, name, kind, _day(start), _day(end), compiled))
            patterns.extend(own)
        patterns.sort(key=len, reverse=True)
        self._any = re.compile(rf"(?<![\w-])(?:{'|'.join(patterns)})(?![\w-])")
        self._by_acronym = {m[0]: m for m in self._missions}

    def _which(self, written: str, day: date | None) -> tuple | None:
        """The registry mission a designator names, preferring one that exists on ``day``."""
        candidates = [m for m in self._missions if m[5].fullmatch(written)]
        for mission in candidates:
            start, end = mission[3], mission[4]
            if day is None or (
                (start is None or day >= start - _GRACE) and (end is None or day <= end + _GRACE)
            ):
                return mission
        return None

    def links(
        self,
        text: str | None,
        day: date | None,
        paragraphs: tuple[ParagraphRef, ...],
        registry: list[tuple],
    ) -> tuple[MissionLink, ...]:
        """Registry links (with where the text names the mission), then renewals in the text."""
        out = []
        for acronym, name, kind, role in sorted(registry):
            found = None
            if text:
                match = self._by_acronym[acronym][5].search(text)
                if match:
                    found = Evidence(match.start(), match.end(), match.group(0))
            out.append(MissionLink(acronym, name, kind, role, "registry", found))
        if not text:
            return tuple(out)
        seen = {link.acronym for link in out}
        for paragraph in paragraphs:
            if paragraph.kind != "operative" or paragraph.depth != 0:
                continue
            for renewal in _RENEWAL.finditer(text, paragraph.start, paragraph.end):
                named = self._named(text, paragraph, renewal, day)
                if named is None or named[0][0] in seen:
                    continue
                (acronym, name, kind, *_), span = named
                seen.add(acronym)
                out.append(MissionLink(acronym, name, kind, "renew", "text", span))
        return tuple(out)

    def _named(
        self, text: str, paragraph: ParagraphRef, renewal: re.Match[str], day: date | None
    ) -> tuple[tuple, Evidence] | None:
        if renewal.group("of"):
            window_end = min(paragraph.end, renewal.end() + _DESIGNATOR_REACH)
            match = self._any.search(text, renewal.end(), window_end)
            if match and _ARTICLE.fullmatch(text[renewal.end() : match.start()]):
                mission = self._which(match.group(0), day)
                if mission:
                    return mission, Evidence(match.start(), match.end(), match.group(0))
            body = _UN_BODY.match(text, renewal.end(), window_end)
            if body and renewal.group("place"):
                mission = self._which(f"{body.group(1)} in {renewal.group('place')}", day)
                if mission:
                    return mission, Evidence(body.start(1), body.end(1), body.group(1))
            return None
        if renewal.group("its"):
            before = list(self._any.finditer(text, paragraph.start, renewal.start()))
            for match in reversed(before):
                mission = self._which(match.group(0), day)
                if mission:
                    return mission, Evidence(match.start(), match.end(), match.group(0))
        return None


def _name_pattern(name: str) -> str:
    """A regex for a mission's name as texts write it (line breaks, "Peace-keeping", ’)."""
    name = re.sub(r"\s*\([^)]*\)\s*$", "", name).strip()
    words = []
    for word in name.split():
        escaped = re.escape(word)
        escaped = re.sub(r"(?i)peace(keeping|building)", r"[Pp]eace-?\\s*\1", escaped)
        escaped = re.sub(r"[’']", "['’]", escaped).replace(r"\-", r"-\s*")
        words.append(escaped)
    return r"\s+".join(words)


def _day(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None
