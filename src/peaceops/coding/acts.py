"""Mandate acts read from the texts: which resolution establishes, renews or ends a mission.

The curated registry (``mission_resolutions``) links a mission to a few resolutions; most
renewals were never typed in. This module reads every operative paragraph for the Council's
own acts on a mission's mandate and names the mission each act is about, with the words that
say so (``text[start:end] == quote``), as the coder does for tasks.

Data flow: ``resolutions`` (texts) + ``paragraphs`` (operative, top level) + ``missions``
(acronyms, names, predecessors) + the curated links (to resolve "the Mission" when the text
names no mission) -> :func:`find_acts` per resolution -> ``mandate_acts`` (one row per
resolution, mission and act, with its paragraph, span, quote, new end date and rule) ->
:func:`reconcile` (curated vs derived, per mission) for ``status`` and ``docs/mandate-links.md``.

An act is taken only when the Council decides it: the verb is the paragraph's own ("Extends
the stationing in Cyprus of the United Nations Peace-keeping Force"), or is governed by
"Decides" in the same clause ("Decides to renew the mandate of the Force"), and not by an
intention or a review ("Expresses its intention to renew", "Decides to review UNISFA's
role"). The mission is the one named after the verb in the same clause: its acronym, its full
name (any case, "peace-keeping" or "peacekeeping"), or a generic designator ("the Force", "the
Mission", "the Operation") resolved to the mission the resolution names nearest before the
paragraph, else the one it names first, else its curated link.

Acts:
    ``establish``: "Decides to establish the United Nations Mission in Sudan (UNMIS)".
    ``renew``: "Decides to extend the mandate of MONUC until 30 June 2010".
    ``rollover``: a renewal the text calls technical ("a technical rollover").
    ``final``: a renewal the text calls final ("for a final period").
    ``change``: "Decides that the mandate of MINUSMA shall be the following", a new ceiling.
    ``drawdown``: "Decides to reduce the authorized military strength of UNMIL".
    ``terminate``: "Decides to terminate the mandate of UNASOG", "the mandate of UNOMSIL shall
        terminate".
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

ACTS_VERSION = "peaceops.mandate_acts.v1"

ACTS = ("establish", "renew", "rollover", "final", "change", "drawdown", "terminate")

#: The Council's own verbs for each act (the verb's span is where the act's quote starts).
_VERBS = {
    "establish": r"establish(?:es|ed|ing)?|set(?:s|ting)?\s+up|creat(?:e|es|ed|ion)"
    r"|known\s+as",
    "renew": r"extend(?:s|ed|ing)?|renew(?:s|ed|ing)?|prolong(?:s|ed|ing)?|continu(?:e|es|ed)",
    "terminate": r"terminat(?:e|es|ed|ion)|end(?:s|ed)?|clos(?:e|es|ed|ure)|conclud(?:e|es|ed)",
    "drawdown": r"reduc(?:e|es|ed|tion)|draw(?:s|ing)?\s*down|decreas(?:e|es|ed)",
    "change": r"increas(?:e|es|ed)|rais(?:e|es|ed)|expand(?:s|ed)?|revis(?:e|es|ed)"
    r"|adjust(?:s|ed)?|modif(?:y|ies|ied)",
}
_VERB = re.compile(
    r"\b(?:" + "|".join(f"(?P<{act}>{verbs})" for act, verbs in _VERBS.items()) + r")\b",
    re.IGNORECASE,
)
#: What the act is done to: a renewal extends a mandate or a stationing, not a deadline.
_OBJECT = re.compile(
    r"\b(?:mandate|stationing|deployment|presence|operation|mission|force|authori[sz]ation"
    r"|strength|ceiling|component|period)\b",
    re.IGNORECASE,
)
#: A clause's own decision: "Decides", "Further decides that", or the paragraph's first verb.
_DECIDES = re.compile(
    r"\b(?:decides|decided|hereby|authorizes|authorises|approves|agrees)\b", re.IGNORECASE
)
#: A passive act: "Decides that the mandate of MINUCI shall be extended", "... of UNOMSIL shall
#: terminate", "... of UNMISET ... will be adjusted" (the mission named before the verb).
_PASSIVE = re.compile(r"\b(?:(?:shall|will|is\s+to|are\s+to)\s+(?:be\s+)?|to\s+)$", re.IGNORECASE)
_LEADING = re.compile(
    r"\s*(?:\(?[0-9a-z]{1,4}[.)]\s*)?(?:(?:also|further|hereby|accordingly)\s+)?"
    r"(?:extends|renews|establishes|terminates|prolongs|authorizes|reduces|increases)\b",
    re.IGNORECASE,
)
#: Not an act: an intention, a review, a condition, a report, or a request to others.
_NOT_AN_ACT = re.compile(
    r"\b(?:intention|intends?|intend(?:ed|ing)|readiness|ready|willing|consider(?:ing|ation)?"
    r"|recommends|expects?|looks?\s+forward|would|should\s+the"
    r"|with\s+a\s+view\s+to|requests?|invites?|calls?\s+upon|urges?|encourages?"
    r"|prepared\s+to|in\s+order\s+to|to\s+enable|to\s+allow|if|unless|subject\s+to)\b",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r";|\.\s|:\s*\(|\n\s*\(?[a-z]\)")
_TECHNICAL = re.compile(r"\btechnical(?:ly)?\s+(?:roll-?over|extension|renewal)", re.IGNORECASE)
_FINAL = re.compile(r"\b(?:final|last)\s+(?:period|extension|mandate|renewal|time)\b", re.I)
_GENERIC = re.compile(
    r"\b(?:the|its|this)\s+(?:(?:United\s+Nations\s+)?(?:(?:Peace-?keeping|Verification|"
    r"Observer|Interim|Transitional|Integrated|Stabilization|Support|Assistance|Political)\s+)*"
    r"(?:Mission|Force|Operation|Observer\s+Group|Office|Authority|Group|Presence|Team)"
    r"|mission|force|operation|observers?)\b"
)
_UNTIL = re.compile(
    r"\b(?:until|till|ending(?:\s+on)?|to|through|expir\w+\s+on)\s+(?:the\s+)?"
    r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?P<month>January|February|March|April|May|June|July"
    r"|August|September|October|November|December)\s*,?\s+(?P<year>\d{4})",
    re.IGNORECASE,
)
_WORD = re.compile(r"(?<![\w-])[A-Z][\w-]*")  # a capitalised word: where acronyms may start
_WINDOW = 320  # characters after the verb in which the mission is named (the longest real
# name, "United Nations Organization Stabilization Mission in the Democratic Republic of the
# Congo", is 86 characters; clauses insert a reference such as "as set out in resolution ...")


@dataclass(frozen=True)
class MandateAct:
    """One act of the Council on a mission's mandate, with the words that say so.

    Attributes:
        resolution: the resolution's number.
        paragraph: the operative paragraph's label.
        mission: the mission's acronym.
        act: one of :data:`ACTS`.
        start, end, quote: the span from the act's verb to the mission's name.
        end_date: the new end of the mandate, where the clause gives one.
        named_as: how the mission is named: ``acronym``, ``name`` or ``generic``.
        rule: the pattern that found it.
    """

    resolution: int
    paragraph: str
    mission: str
    act: str
    start: int
    end: int
    quote: str
    end_date: date | None
    named_as: str
    rule: str


class MissionNames:
    """Find missions named in a text: acronyms (exact case) and full names (any case)."""

    def __init__(self, missions: Iterable[tuple[str, str]]) -> None:
        """Index ``(acronym, name)`` pairs."""
        missions = list(missions)
        self._by_name: dict[str, str] = {}
        acronyms, names = [], []
        for acronym, name in missions:
            acronyms.append(acronym)
            if name:
                key = _name_key(name)
                self._by_name[key] = acronym
                names.append(_name_pattern(name))
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
        firsts = sorted({re.split(r"[\s-]+", n.strip())[0] for _, n in missions if n})
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


def _name_key(name: str) -> str:
    return re.sub(r"[\s-]+", "", name).lower().replace("peacekeeping", "peacekeeping")


def _name_pattern(name: str) -> str:
    words = [re.escape(w) for w in re.split(r"[\s-]+", name.strip()) if w]
    pattern = r"[\s-]+".join(words)
    return pattern.replace("Peacekeeping", r"Peace-?keeping").replace(
        "peacekeeping", r"peace-?keeping"
    )


def find_acts(
    number: int,
    text: str,
    paragraphs: Iterable[tuple[str, int, int]],
    names: MissionNames,
    *,
    linked: Iterable[str] = (),
    mentions: list[tuple[int, int, str, str]] | None = None,
) -> list[MandateAct]:
    """The mandate acts of one resolution (see the module doc).

    Args:
        number: the resolution's number.
        text: its text (the one the paragraphs' offsets refer to).
        paragraphs: ``(label, start, end)`` of its top-level operative paragraphs.
        names: the missions to look for.
        linked: the missions the curated registry links to this resolution (for "the Force"
            in a text that names no mission).
        mentions: ``names.find(text)``, when the caller has it already.
    """
    mentions = names.find(text) if mentions is None else mentions
    acts: dict[tuple[str, str], MandateAct] = {}
    for label, start, end in paragraphs:
        for verb in _VERB.finditer(text, start, end):
            act = verb.lastgroup
            clause_start = _clause_start(text, start, verb.start())
            if not _decided(text, start, clause_start, verb.start()):
                continue
            stop = _CLAUSE_END.search(text, verb.end(), min(end, verb.end() + _WINDOW))
            clause_end = stop.start() if stop else min(end, verb.end() + _WINDOW)
            passive = _PASSIVE.search(text, max(clause_start, verb.start() - 30), verb.start())
            found = None
            if passive and not verb.group(0).lower().startswith("known"):
                # "the mandate of MINUCI shall be extended", "Authorizes UNMOP to continue"
                found = _mission_before(text, clause_start, passive.start(), names, mentions,
                                        start, linked)  # fmt: skip
                span = (found[0], verb.end()) if found else None
                has_object = act == "establish" or _OBJECT.search(text, clause_start, verb.end())
                if found is not None and verb.group(0).lower().startswith("continu"):
                    has_object = True  # "Authorizes the observers to continue monitoring"
            if found is None:
                passive = None
                found = _mission_after(text, verb.end(), clause_end, names, mentions, start,
                                       linked)  # fmt: skip
                span = (verb.start(), max(found[1], verb.end())) if found else None
                has_object = act == "establish" or _OBJECT.search(text, verb.end(), clause_end)
                if verb.group(0).lower().startswith("continu"):
                    has_object = False  # "continues to support": only "Authorizes X to continue"
            if found is None or not has_object:
                continue  # "extends its support to UNAMSIL": no mandate is extended
            _, _, mission, how = found
            act = _kind(text, act, verb.start(), clause_end)
            until = _until(text, verb.end(), clause_end)
            key = (mission, act)
            if key in acts:
                continue
            acts[key] = MandateAct(
                number, label, mission, act, span[0], span[1], text[span[0] : span[1]], until,
                how, f"{ACTS_VERSION}:{act}" + (":passive" if passive else ""),
            )  # fmt: skip
    return sorted(acts.values(), key=lambda a: (a.start, a.mission, a.act))


def _clause_start(text: str, start: int, at: int) -> int:
    cut = max(text.rfind(";", start, at), text.rfind(". ", start, at))
    return start if cut < 0 else cut + 1


def _decided(text: str, start: int, clause_start: int, verb: int) -> bool:
    """True when the Council decides the act (not intends, reviews or asks others)."""
    lead = _LEADING.match(text, start, verb + 40)
    if lead and lead.end() >= verb:  # the paragraph's own verb ("5. Extends the stationing")
        return True
    before = text[clause_start:verb]
    decides = list(_DECIDES.finditer(before))
    if not decides:
        return False
    return not _NOT_AN_ACT.search(before, decides[-1].end())


def _mission_after(
    text: str,
    after: int,
    clause_end: int,
    names: MissionNames,
    mentions: list[tuple[int, int, str, str]],
    paragraph_start: int,
    linked: Iterable[str],
) -> tuple[int, int, str, str] | None:
    named = _within(mentions, after, clause_end)
    generic = _GENERIC.search(text, after, clause_end)
    if named and (generic is None or named[0][0] <= generic.start() + 40):
        return named[0]
    if generic is None:
        return named[0] if named else None
    mission = _context_mission(mentions, paragraph_start, linked)
    if mission is None:
        return None
    return generic.start(), generic.end(), mission, "generic"


def _mission_before(
    text: str,
    start: int,
    stop: int,
    names: MissionNames,
    mentions: list[tuple[int, int, str, str]],
    paragraph_start: int,
    linked: Iterable[str],
) -> tuple[int, int, str, str] | None:
    named = _within(mentions, start, stop)
    if named:
        return named[-1]
    generic = list(_GENERIC.finditer(text, start, stop))
    if not generic:
        return None
    mission = _context_mission(mentions, paragraph_start, linked)
    return None if mission is None else (generic[-1].start(), generic[-1].end(), mission, "generic")


def _within(
    mentions: list[tuple[int, int, str, str]], start: int, stop: int
) -> list[tuple[int, int, str, str]]:
    """The mentions wholly inside ``[start, stop)`` (they are sorted by start)."""
    first = bisect_left(mentions, (start,))
    out = []
    for mention in mentions[first:]:
        if mention[0] >= stop:
            break
        if mention[1] <= stop:
            out.append(mention)
    return out


def _context_mission(
    mentions: list[tuple[int, int, str, str]], before: int, linked: Iterable[str]
) -> str | None:
    earlier = [m for m in mentions if m[0] < before]
    if earlier:
        return earlier[-1][2]
    if mentions:
        return mentions[0][2]
    linked = sorted(set(linked))
    return linked[0] if len(linked) == 1 else None


def _kind(text: str, act: str, verb: int, clause_end: int) -> str:
    if act == "renew":
        if _TECHNICAL.search(text, max(0, verb - 200), clause_end):
            return "rollover"
        if _FINAL.search(text, verb, clause_end):
            return "final"
    return act


def _until(text: str, start: int, end: int) -> date | None:
    match = _UNTIL.search(text, start, end)
    if not match:
        return None
    try:
        return datetime.strptime(
            f"{match['day']} {match['month'].title()} {match['year']}", "%d %B %Y"
        ).date()
    except ValueError:
        return None


def reconcile(
    curated: Mapping[str, set[int]], derived: Mapping[str, set[int]], texted: set[int]
) -> list[dict]:
    """Per mission: links from curated rows only, from texts only, from both.

    A curated link to a resolution with text that the texts do not show is a disagreement
    (its cause is for a reader to say: a wording the patterns miss, or a curated row for a
    resolution that only mentions the mission); a curated link without text cannot be checked.
    """
    rows = []
    for mission in sorted(set(curated) | set(derived)):
        cur, der = curated.get(mission, set()), derived.get(mission, set())
        rows.append(
            {
                "mission": mission,
                "curated": len(cur),
                "derived": len(der),
                "both": len(cur & der),
                "curated_only_with_text": sorted(n for n in cur - der if n in texted),
                "curated_only_no_text": sorted(n for n in cur - der if n not in texted),
                "derived_only": sorted(der - cur),
            }
        )
    return rows
