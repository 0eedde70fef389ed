"""Find missions named in a text: acronyms, full names, phases of a family, places (#28).

Split from :mod:`peaceops.coding.acts` (which re-exports :class:`MissionNames`) to keep each
module under 500 lines. Data flow: ``missions`` (acronym, name, start, end, successor) ->
:class:`MissionNames` -> the mentions, phases and places that
:func:`~peaceops.coding.acts.find_acts` reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta

_WORD = re.compile(r"(?<![\w-])[A-Z][\w-]*")  # a capitalised word: where acronyms may start


class MissionNames:
    """Find missions named in a text: acronyms (exact case) and full names (any case).

    Given the missions' dates, it also tells which phase of a numbered family ("UNOSOM I",
    "UNOSOM II") was in force on a day (:meth:`phases`), and which missions the places of a
    text point to (:meth:`by_place`).
    """

    def __init__(self, missions: Iterable[tuple]) -> None:
        """Index ``(acronym, name)`` or ``(acronym, name, start, end, successor)`` tuples."""
        missions = [tuple(m) + (None,) * (5 - len(m)) for m in missions]
        self._by_name: dict[str, str] = {}
        self._spans: dict[str, tuple[date | None, date | None]] = {}
        self._family: dict[str, list[str]] = {}
        self._places: dict[str, set[str]] = {}
        self._successor: dict[str, str] = {}
        self._full: dict[str, str] = {}
        acronyms, names = [], []
        for acronym, name, start, end, successor in missions:
            self._full[acronym] = name or ""
            if successor:
                self._successor[acronym] = successor
            acronyms.append(acronym)
            self._spans[acronym] = (start, end)
            numbered = _NUMBERED.match(acronym)
            if numbered:
                self._family.setdefault(numbered["base"], []).append(acronym)
            for variant in _name_variants(name or ""):
                self._by_name[_name_key(variant)] = acronym
                names.append(_name_pattern(variant))
            place = _PLACE.search(_UMBRELLA.sub("", name or ""))
            if place and not _NUMBERED.match(acronym):
                self._places.setdefault(place["place"].lower().replace("'", "’"), set()).add(
                    acronym
                )
        self._place = re.compile(
            r"\b(?:" + "|".join(re.sub(r"['’]", "['’]", re.escape(p))
                               for p in sorted(self._places, key=len, reverse=True))
            + r")\b",
            re.IGNORECASE,
        ) if self._places else None  # fmt: skip
        # acronyms by their first word, longest first ("UNAVEM II" before "UNAVEM")
        self._acronyms: dict[str, list[str]] = {}
        for acronym in sorted(set(acronyms), key=lambda a: (-len(a), a)):
            self._acronyms.setdefault(acronym.split()[0], []).append(acronym)
        self._name = re.compile(
            r"(?:" + "|".join(sorted(set(names), key=lambda n: (-len(n), n))) + r")",
            re.IGNORECASE,
        )
        # the names' first words: the long alternation is tried only where one of them stands
        # (trying it at every position cost 30 s over the corpus)
        firsts = sorted({re.split(r"[\s-]+", n.strip())[0] for _, n, *_ in missions if n})
        self._first = re.compile(
            r"\b(?:" + "|".join(re.escape(w) for w in firsts) + r")\b", re.IGNORECASE
        )

    def find(
        self, text: str, start: int = 0, end: int | None = None
    ) -> list[tuple[int, int, str, str]]:
        """``(start, end, acronym, how)`` of every mission named in ``text[start:end]``."""
        end = len(text) if end is None else end
        found = []
        for word in _WORD.finditer(text, start, end):
            for acronym in self._acronyms.get(word.group(0), ()):
                stop = word.start() + len(acronym)
                if (
                    stop <= end
                    and text.startswith(acronym, word.start())
                    and not (stop < len(text) and (text[stop].isalnum() or text[stop] in "-_"))
                ):
                    found.append((word.start(), stop, acronym, "acronym"))
                    break
        position = start
        while (first := self._first.search(text, position, end)) is not None:
            m = self._name.match(text, first.start(), end)
            position = first.end()
            if m is None:
                continue
            acronym = self._by_name.get(_name_key(m.group(0)))
            if acronym is not None:
                found.append((m.start(), m.end(), acronym, "name"))
                position = m.end()
        return sorted(found)

    def fits(self, mission: str, designator: str) -> bool:
        """Whether a generic designator can stand for ``mission``: its head noun is in the name.

        "the Force" is UNIFIL (United Nations Interim Force in Lebanon), never UNTSO (United
        Nations Truce Supervision Organization), though a UNIFIL renewal names UNTSO first.
        A mission the registry gives no name, and a lower-case designator ("the mission"), fit
        any mission.
        """
        name = self._full.get(mission, "")
        head = designator.split()[-1]
        if head.islower() and head not in ("observer", "observers"):
            return True  # "the mission", "the force": the texts' loose, lower-case reference
        head = head.lower().rstrip("s")
        return (
            not name
            or head in re.sub(r"[^a-z ]", " ", name.lower()).split()
            or any(word.startswith(head) for word in name.lower().split())
        )

    def phases(self, mission: str, on: date | None, *, successors: bool = True) -> list[str]:
        """The missions an act on ``mission`` dated ``on`` is about.

        The texts name a numbered family's phase loosely: "UNOSOM" (the registry's umbrella row
        "UNOSOM (I & II)") for the first operation in 1992 and for the expanded one in 1993, and
        a scanned "United Nations Angola Verification Mission I" renewed in 1993, two years after
        UNAVEM I ended (the "II" lost in the scan). An umbrella gives itself and the phase in
        force that day. A mission named more than :data:`_ENDED` after it ended gives its
        successor (or its family's phase) in force that day instead: no act extends a mandate
        that ended half a year before (S/RES/1594 of 2005 extends "the United Nations Mission
        in Côte d'Ivoire", MINUCI's name, a year after UNOCI succeeded it); ``successors=False``
        keeps it (a paragraph may recall an ended mission). Without a date, or with no such
        mission in force, the mission stays as named.
        """
        if on is None:
            return [mission]
        numbered = _NUMBERED.match(mission)
        family = self._family.get(numbered["base"] if numbered else mission, [])
        if family and not numbered:  # an umbrella row
            current = self._current(family, on)
            return [mission] if current is None else [mission, current]
        end = self._spans.get(mission, (None, None))[1]
        if not successors or end is None or on <= end + _ENDED:
            return [mission]
        later, seen = [], {mission}
        successor = self._successor.get(mission)
        while successor and successor not in seen:
            later.append(successor)
            seen.add(successor)
            successor = self._successor.get(successor)
        current = self._current(later + [p for p in family if p not in seen], on)
        return [mission] if current is None else [current]

    def _current(self, candidates: list[str], on: date) -> str | None:
        """The one candidate in force on ``on`` (allowing the registry's month dates a slack)."""
        for slack in (timedelta(0), _SLACK):
            current = [c for c in candidates if self._in_force(c, on, slack=slack)]
            if current:
                return current[0] if len(current) == 1 else None
        return None

    def by_place(self, text: str, on: date | None) -> list[str]:
        """The missions whose name ends in a place ``text`` names, in force on ``on``.

        "the United Nations military observers ... the Prevlaka peninsula" (S/RES/1066): a text
        that names no mission may still name the place that ends one's name.
        """
        if on is None or self._place is None:
            return []
        found = set()
        for match in self._place.finditer(text):
            for acronym in self._places[match.group(0).lower().replace("'", "’")]:
                if self._in_force(acronym, on, slack=_SLACK):
                    found.add(acronym)
        return sorted(found)

    def near(self, acronym: str, on: date | None) -> bool:
        """Whether ``acronym`` could be meant on ``on``: within a year of its years.

        A generic designator ("the United Nations Peace-keeping Force", S/RES/198 of 1964) is
        not the registry's UNFOR of 1992-1996, though the text names a "United Nations Force"
        before it. Without a date, or without the mission's start, any mission is near.
        """
        if on is None or self._spans.get(acronym, (None, None))[0] is None:
            return True
        return self._in_force(acronym, on, slack=_NEAR)

    def _in_force(self, acronym: str, on: date, *, slack: timedelta = timedelta(0)) -> bool:
        start, end = self._spans.get(acronym, (None, None))
        if start is None:
            return False
        return start - slack <= on and (end is None or on < end + slack)


_NUMBERED = re.compile(r"^(?P<base>.+?)\s+(?P<numeral>I{1,3}|IV)$")
_UMBRELLA = re.compile(r"\s*\((?:I|II|III)(?:\s*(?:&|and|,)\s*(?:I|II|III))+\)\s*$")
_PLACE = re.compile(
    r"\s(?:in|for)\s+(?:the\s+)?(?P<place>[A-Z][\w'’-]*(?:\s+(?:of\s+(?:the\s+)?)?[A-Z][\w'’-]*)*)$"
)
_NEAR = timedelta(days=365)  # a generic designator's mission is in force within a year of the text
_ENDED = timedelta(days=180)  # a renewal half a year after a phase ended is of its successor
_SLACK = timedelta(days=45)  # dates in the registry are months; a renewal falls near them


def _name_variants(name: str) -> list[str]:
    """The name, and for an umbrella row ("... Somalia (I & II)") the name without numerals."""
    if not name:
        return []
    bare = _UMBRELLA.sub("", name)
    return [name] if bare == name else [name, bare]


def _name_key(name: str) -> str:
    words = [w for w in re.split(r"[\s-]+", name.strip()) if w]
    if len(words) > 1 and re.fullmatch(r"[Il1J]{1,3}", words[-1]):
        words[-1] = "I" * len(words[-1])  # a scanned numeral: "Mission IJ" is "Mission II"
    return re.sub(r"['’]", "", "".join(words)).lower()


def _name_pattern(name: str) -> str:
    words = [w for w in re.split(r"[\s-]+", name.strip()) if w]
    numeral = ""
    if len(words) > 1 and re.fullmatch(r"I{1,3}", words[-1]):
        # a final numeral is read in exact case and as scanned ("IJ", "Il" for "II")
        numeral = r"[\s-]+(?-i:" + "[Il1J]" * len(words.pop()) + r")(?![\w'’])"
    pattern = r"[\s-]+".join(re.escape(w) for w in words) + numeral
    pattern = re.sub(r"\\?['’]", "['’]", pattern)
    return pattern.replace("Peacekeeping", r"Peace-?keeping").replace(
        "peacekeeping", r"peace-?keeping"
    )
