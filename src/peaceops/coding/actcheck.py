"""A second, plain reading of the mandate acts, to check :mod:`peaceops.coding.acts` (#28).

The derivation reads clauses, decisions, designators and dates; this check does none of that on
purpose. It is written differently so that the two can disagree: it splits the operative part of
a text (from its first "1.") into sentences at ";" and ". ", and in each sentence looks for a
handful of literal wordings with a mission's acronym (exact case) or full name (any case):

* "extend / renew / terminate / establish ... the mandate of <mission>" (verb, then within 80
  characters "mandate of"), and "... <mission>'s mandate";
* "the mandate of <mission> shall / will / should be extended / renewed / terminated", and
  "... shall terminate / end / expire";
* "establish ... a / an / the <full name>".

A sentence that speaks of an intention ("Expresses its intention to renew", "would") or asks
another body ("Requests the Secretary-General to ...") is skipped. Each hit is a
:class:`Wording`: resolution, mission, act (``establish``, ``renew`` or ``terminate``) and the
sentence's words. :func:`compare` sets the hits against the derived acts (``mandate_acts``
without ``addresses`` and ``tasks``) and returns every difference.

Data flow: ``resolutions`` (texts) + ``missions`` (acronym, name) -> :func:`check_text` per
text -> :func:`check_corpus` -> :func:`compare` with ``mandate_acts`` -> a test and its
allowlist (``tests/test_mandate_acts.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from peaceops.store import Database

CHECK_VERSION = "peaceops.actcheck.v1"

#: The derived acts that answer each act of the check.
ANSWERS = {
    "establish": {"establish"},
    "renew": {"renew", "rollover", "final"},
    "terminate": {"terminate", "final"},
}

_OPERATIVE = re.compile(r"(?m)^\s*1\s*\.\s")
_SENTENCE = re.compile(r";|\.\s")
_MANDATE = re.compile(r"mandate|establish", re.IGNORECASE)
_SKIP = re.compile(
    r"\b(?:intention|intends|readiness|ready\s+to|would|requests|invites|calls\s+upon|urges"
    r"|encourages|recalls|recalling|recommends)\b",
    re.IGNORECASE,
)
_ACTIVE = {
    "renew": r"extend|extends|renew|renews|prolong|prolongs",
    "terminate": r"terminate|terminates",
    "establish": r"establish|establishes",
}
_PASSIVE = {
    "renew": r"(?:shall|will|should)\s+be\s+(?:extended|renewed|prolonged)",
    "terminate": r"(?:shall|will|should)\s+(?:be\s+terminated|terminate|end|expire)",
}


@dataclass(frozen=True)
class Wording:
    """A sentence that says the Council acts on a mission's mandate.

    Attributes:
        resolution: the resolution's number.
        mission: the mission's acronym.
        act: ``establish``, ``renew`` or ``terminate``.
        words: the sentence (whitespace collapsed).
    """

    resolution: int
    mission: str
    act: str
    words: str


class WordingCheck:
    """The literal wordings of :mod:`peaceops.coding.actcheck`, for a list of missions."""

    def __init__(self, missions: Iterable[tuple[str, str]]) -> None:
        """Build the patterns from ``(acronym, name)`` pairs."""
        self._patterns: list[tuple[str, str, re.Pattern]] = []
        self._needles: list[tuple[str, list[str]]] = []
        for acronym, name in missions:
            name = (name or "").split(" (")[0]  # "United Nations Emergency Force (I & II)"
            # a name ends where no numeral or "and Chad" continues it ("UNAVEM" is not
            # "UNAVEM II"; "... Central African Republic" is not "... Republic and Chad")
            end = r"(?![\w-])(?!\s+(?:I|II|III|IV)\b)(?!\s+and\s+[A-Z])"
            names = [r"(?-i:" + re.escape(acronym) + r")" + end]
            needles = [acronym]
            if name:
                words = name.replace("’", "'").split()
                names.append(r"\s+".join(re.escape(w) for w in words) + end)
                needles.append(" ".join(words).lower())
            self._needles.append((acronym, needles))
            who = r"(?:the\s+)?(?:" + "|".join(names) + r")"
            for act, verbs in _ACTIVE.items():
                self._add(acronym, act, rf"\b(?:{verbs})\b.{{0,80}}?\bmandate\s+of\s+{who}")
                self._add(acronym, act, rf"\b(?:{verbs})\b.{{0,80}}?{who}['’]s\s+mandate")
            for act, verbs in _PASSIVE.items():
                self._add(acronym, act, rf"\bmandate\s+of\s+{who}.{{0,80}}?\b{verbs}\b")
            if name:
                establish = r"\bestablish\b.{0,80}?\b(?:a|an|the)\s+" + names[1]
                self._add(acronym, "establish", establish)

    def _add(self, acronym: str, act: str, pattern: str) -> None:
        self._patterns.append((acronym, act, re.compile(pattern, re.IGNORECASE | re.DOTALL)))

    def check_text(self, number: int, text: str) -> list[Wording]:
        """The wordings of one text's operative part."""
        first = _OPERATIVE.search(text)
        body = text[first.start() :] if first else ""
        body = body.replace("’", "'")
        found: dict[tuple[str, str], Wording] = {}
        for sentence in _SENTENCE.split(body):
            words = " ".join(sentence.split())
            if _SKIP.search(words) or not _MANDATE.search(words):
                continue
            lower = words.lower()
            named = {a for a, needles in self._needles
                     if needles[0] in words or any(n in lower for n in needles[1:])}  # fmt: skip
            for acronym, act, pattern in self._patterns:
                if acronym in named and (acronym, act) not in found and pattern.search(words):
                    found[(acronym, act)] = Wording(number, acronym, act, words)
        return sorted(found.values(), key=lambda w: (w.mission, w.act))


def check_corpus(db: Database) -> list[Wording]:
    """The wordings of every stored text."""
    check = WordingCheck(db.tuples("SELECT acronym, name FROM missions ORDER BY acronym"))
    out: list[Wording] = []
    for number, text in db.tuples(
        "SELECT number, text FROM resolutions WHERE has_text ORDER BY number"
    ):
        out.extend(check.check_text(number, text))
    return out


def compare(wordings: Iterable[Wording], derived: Iterable[tuple[int, str, str]]) -> list[Wording]:
    """The wordings that no derived act of the same resolution, mission and kind answers.

    Args:
        wordings: the check's hits.
        derived: ``(resolution, mission, act)`` of the derived acts (no ``addresses``/``tasks``).
    """
    acts: dict[tuple[int, str], set[str]] = {}
    for number, mission, act in derived:
        acts.setdefault((number, mission), set()).add(act)
    return [
        w for w in wordings if not (acts.get((w.resolution, w.mission), set()) & ANSWERS[w.act])
    ]
