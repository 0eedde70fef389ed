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

Version 2 (read from the misses and false links of v1, #28):

* A designator that heads a name is no designator ("the Group of Experts", "the United Nations
  Operation in Côte d'Ivoire"); a past participle outside a passive, a verb after "re-", "the
  end of", "close air support", "may be set up", "whether", "to consider", "as part of",
  "without" and a new main verb (", and reiterates") are no acts; a renewal or termination
  needs its object ("mandate", "stationing", ...) up to its mission; an establishment does not
  create a mission named after a preposition ("deployed to AMIS").
* Decisions wrapped in an aside ("Decides, in order to achieve ..., to extend"), decided
  sub-items ("Decides: ... (b) To renew"), "should be extended", "Endorses" and "Affirms".
* Names: curly and straight apostrophes, scanned numerals ("Mission IJ"), the registry's
  umbrella rows ("UNOSOM (I & II)") read as the phase in force that day, a mission named half a
  year after it ended read as its successor in force (:meth:`MissionNames.phases`), and "the
  United Nations military observers" of a text that names no mission read from the place it
  names (:meth:`MissionNames.by_place`).

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

from peaceops.coding.names import MissionNames

ACTS_VERSION = "peaceops.mandate_acts.v3"

ACTS = ("establish", "renew", "rollover", "final", "change", "drawdown", "terminate")

#: The Council's own verbs for each act (the verb's span is where the act's quote starts).
_VERBS = {
    "establish": r"establish(?:es|ed|ing)?|set(?:s|ting)?\s+up|creat(?:e|es|ed|ion)"
    r"|known\s+as",
    "renew": r"extend(?:s|ed|ing)?|renew(?:s|ed|ing)?|prolong(?:s|ed|ing)?|continu(?:e|es|ed)",
    "terminate": r"terminat(?:e|es|ed|ion)|end(?:s|ed)?|closure|close\s+down|conclud(?:e|es|ed)",
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
    r"\b(?:decides|decided|hereby|authorizes|authorises|approves|agrees|endorses|affirms)\b",
    re.IGNORECASE,
)
#: A passive act: "Decides that the mandate of MINUCI shall be extended", "... of UNOMSIL shall
#: terminate", "... of UNMISET ... will be adjusted" (the mission named before the verb).
_FOUNDING = ("establish", "terminate")  # acts never read from "X ... to <verb>"
_PASSIVE = re.compile(
    r"\b(?:(?:shall|will|should|is\s+to|are\s+to)\s+(?:be\s+)?|to\s+)$", re.IGNORECASE
)
_LEADING = re.compile(
    r"\s*(?:\(?[0-9a-z]{1,4}[.)]\s*)?(?:(?:also|further|hereby|accordingly)\s+)?"
    r"(?:extends|renews|establishes|terminates|prolongs|authorizes|reduces|increases)\b",
    re.IGNORECASE,
)
#: Not an act: an intention, a review, a condition, a report, or a request to others.
_NOT_AN_ACT = re.compile(
    r"\b(?:intention|intends?|intend(?:ed|ing)|readiness|ready|willing|consider(?:ing|ation)?"
    r"|recommends|expects?|looks?\s+forward|would|may\s+be|should\s+the"
    r"|with\s+a\s+view\s+to|(?<!the\s)requests?|invites?|calls?\s+upon|urges?|encourages?"
    r"|prepared\s+to|in\s+order\s+to|to\s+enable|to\s+allow|if|unless|subject\s+to|whether)\b",
    re.IGNORECASE,
)
_ASIDE = re.compile(r",[^,;]*,")
_CLAUSE_END = re.compile(r";|\.\s|:\s*\(|\n\s*\(?[a-z]\)")
_TECHNICAL = re.compile(r"\btechnical(?:ly)?\s+(?:roll-?over|extension|renewal)", re.IGNORECASE)
_FINAL = re.compile(r"\b(?:final|last)\s+(?:period|extension|mandate|renewal|time)\b", re.I)
_GENERIC = re.compile(
    r"\b(?:the|its|this)\s+(?:(?:United\s+Nations\s+)?military\s+observers"
    r"|(?:United\s+Nations\s+)?(?:(?:Peace-?keeping|Verification|"
    r"Observer|Interim|Transitional|Integrated|Stabilization|Support|Assistance|Political)\s+)*"
    r"(?:Mission|Force|Operation|Observer\s+Group|Office|Authority|Group|Presence|Team)"
    r"|mission|force|operation|observers?)\b"
)
#: The designators of an operation deployed in a place (for a text that names no mission).
_DEPLOYED = re.compile(r"(?i)\b(?:observers?|force|mission|operation)$")
#: After a designator, the rest of a name: "the Group of Experts", "the Operation in Côte".
_NAME_TAIL = re.compile(r"\s+(?:in|for|of|on|at)\s+(?:the\s+)?[A-Z]")
#: Before a verb's word, what makes it a noun: "the end of 1994", "an increase in".
_ARTICLE = re.compile(r"\b(?:the|a|an|its|their|this|that)\s+$", re.IGNORECASE)
#: Between the verb and the mission, what starts another act or a condition.
_BREAK = re.compile(
    r"\b(?:to\s+consider|unless|pending|prior\s+to|as\s+part\s+of|without)\b"
    r"|,\s*and\s+(?:also\s+|further\s+)?(?:reiterates|requests|calls|urges|encourages|expresses"
    r"|welcomes|stresses|notes|emphasizes|underlines)\b",
    re.IGNORECASE,
)
#: Before the mission an establishment does not create: "deployed to AMIS", "the name of".
_PREPOSITION = re.compile(r"\b(?:to|of|for|in|with|by|from|on|within)\s+(?:the\s+)?$")
_PASSIVE_GAP = 160  # characters from the mission to "shall be extended" (a clause on the
# resolutions that established it may stand between, S/RES/1346)
_UNTIL = re.compile(
    r"\b(?:until|till|ending(?:\s+on)?|to|through|expir\w+\s+on)\s+(?:the\s+)?"
    r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?P<month>January|February|March|April|May|June|July"
    r"|August|September|October|November|December)\s*,?\s+(?P<year>\d{4})",
    re.IGNORECASE,
)
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


def find_acts(
    number: int,
    text: str,
    paragraphs: Iterable[tuple[str, int, int]],
    names: MissionNames,
    *,
    linked: Iterable[str] = (),
    mentions: list[tuple[int, int, str, str]] | None = None,
    on: date | None = None,
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
        on: the resolution's date (for a numbered family's phase, and for a designator in a
            text that names no mission but the place of one in force that day).
    """
    mentions = names.find(text) if mentions is None else mentions
    context = _Context(text, names, mentions, tuple(linked), on)
    acts: dict[tuple[str, str], MandateAct] = {}
    for label, start, end in paragraphs:
        for verb in _VERB.finditer(text, start, end):
            act = verb.lastgroup
            word = verb.group(0).lower()
            if not _a_verb(text, verb):
                continue
            clause_start = _clause_start(text, start, verb.start())
            if not _decided(text, start, clause_start, verb.start()):
                continue
            stop = _CLAUSE_END.search(text, verb.end(), min(end, verb.end() + _WINDOW))
            clause_end = stop.start() if stop else min(end, verb.end() + _WINDOW)
            passive = _PASSIVE.search(text, max(clause_start, verb.start() - 30), verb.start())
            if passive and passive.group(0).lower().startswith("to") and act in _FOUNDING:
                passive = None  # "MINUSCA's mandate is designed to advance ... to create"
            found = None
            if passive and not word.startswith("known"):
                # "the mandate of MINUCI shall be extended", "Authorizes UNMOP to continue"
                found = _mission_before(context, clause_start, passive.start(), start)
                span = (found[0], verb.end()) if found else None
                has_object = act == "establish" or _OBJECT.search(text, clause_start, verb.end())
                if found is not None and word.startswith("continu"):
                    has_object = True  # "Authorizes the observers to continue monitoring"
            if found is None or not has_object:
                # "Endorses the report on UNIFIL, and in particular its recommendation to renew
                # the mandate of UNIFIL": no passive act, but maybe an active one
                passive, found = None, None
                if word.endswith("ed") or (word.endswith("es") and not _leads(text, start, verb)):
                    # "the standards established by ICAO", "a strategy which ... reduces
                    # intercommunal violence": not the Council's act (only "Extends" leads)
                    continue
                found = _mission_after(context, verb.end(), clause_end, start)
                span = (verb.start(), max(found[1], verb.end())) if found else None
                has_object = act == "establish" or _OBJECT.search(text, verb.end(), clause_end)
                if word.startswith("continu"):
                    has_object = False  # "continues to support": only "Authorizes X to continue"
                if found is not None and _BREAK.search(text, verb.end(), found[0]):
                    continue  # "the end of 1994 ... to consider MINURSO's future"
                if (
                    found is not None
                    and act in ("renew", "terminate")
                    and has_object
                    and not _OBJECT.search(text, verb.end(), found[1] + 25)
                ):
                    continue  # "extend close air support ... in defence of UNCRO personnel"
                if (
                    found is not None
                    and act == "establish"
                    and _PREPOSITION.search(text, max(verb.end(), found[0] - 20), found[0])
                ):
                    continue  # "establish financial arrangements for personnel deployed to AMIS"
                its = _ITS_MANDATE.match(text, verb.end(), clause_end)
                if found is None and its and act in ("renew", "terminate"):
                    # "Expresses its full support for UNFICYP and decides to extend its
                    # mandate" (S/RES/1758): the mission named before, in the same paragraph
                    named_before = _within(context.mentions, start, verb.start())
                    if named_before:
                        found = named_before[-1]
                        span = (found[0], its.end())
            if found is None or not has_object:
                continue  # "extends its support to UNAMSIL": no mandate is extended
            _, _, named, how = found
            act = _kind(text, act, verb.start(), clause_end)
            until = _until(text, verb.end(), clause_end)
            for mission in names.phases(named, on):
                key = (mission, act)
                if key in acts:
                    continue
                rule = f"{ACTS_VERSION}:{act}" + (":passive" if passive else "")
                if mission != named:
                    rule += f":phase-of-{named.replace(' ', '-')}"
                acts[key] = MandateAct(
                    number, label, mission, act, span[0], span[1], text[span[0] : span[1]],
                    until, how, rule,
                )  # fmt: skip
    return sorted(acts.values(), key=lambda a: (a.start, a.mission, a.act))


@dataclass(frozen=True)
class _Context:
    """What resolves a designator ("the Force") in one text."""

    text: str
    names: MissionNames
    mentions: list[tuple[int, int, str, str]]
    linked: tuple[str, ...]
    on: date | None


def _a_verb(text: str, verb: re.Match) -> bool:
    """False where the verb's word is a noun or part of another verb.

    "re-establishes State presence", "the end of 1994", "the close of the period".
    """
    if text[verb.start() - 1 : verb.start()] == "-":
        return False
    word = verb.group(0).lower()
    if word not in ("end", "close"):
        return True  # "Authorizes the increase in strength of UNOSOM" is an act
    before = text[max(0, verb.start() - 12) : verb.start()]
    return not _ARTICLE.search(before)


def _leads(text: str, start: int, verb: re.Match) -> bool:
    lead = _LEADING.match(text, start, verb.start() + 40)
    return bool(lead and lead.end() >= verb.start())


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
        # "2. Decides: ... ; (b) To renew the mandate of the United Nations Emergency Force"
        return bool(_ITEM.match(before) and _DECIDES_LEADS.match(text, start, start + 40))
    return _decides_it(before, decides)


def _decides_it(before: str, decides: list[re.Match]) -> bool:
    # an aside between commas is no condition on the act: "Decides, in order to achieve the
    # objectives established in resolution 940 (1994), to extend the mandate of UNMIH"
    rest = _ASIDE.sub(" ", before[decides[-1].end() :])
    return not _NOT_AN_ACT.search(rest)


_ITS_MANDATE = re.compile(r"\s+its\s+mandate\b", re.IGNORECASE)
_DECIDES_LEADS = re.compile(r"\s*(?:\(?[0-9a-z]{1,4}[.)]\s*)?decides\b", re.IGNORECASE)
_ITEM = re.compile(r"\s*\(?[a-z]\)\s*to\s+$", re.IGNORECASE)


def _mission_after(
    context: _Context, after: int, clause_end: int, paragraph_start: int
) -> tuple[int, int, str, str] | None:
    text = context.text
    named = _within(context.mentions, after, clause_end)
    generic = _designator(text, after, clause_end)
    if named and (generic is None or named[0][0] <= generic.start() + 40):
        return named[0]
    if generic is None:
        return named[0] if named else None
    mission = _context_mission(context, paragraph_start, generic.group(0))
    if mission is None:
        return None
    return generic.start(), generic.end(), mission, "generic"


def _mission_before(
    context: _Context, start: int, stop: int, paragraph_start: int
) -> tuple[int, int, str, str] | None:
    named = _within(context.mentions, start, stop)
    if named:
        if stop - named[-1][1] > _PASSIVE_GAP:
            return None  # "MINUSCA's mandate is designed to advance a ... vision to create"
        return named[-1]
    generic = list(_GENERIC.finditer(context.text, start, stop))
    generic = [g for g in generic if not _NAME_TAIL.match(context.text, g.end())]
    if not generic or stop - generic[-1].end() > _PASSIVE_GAP:
        return None
    mission = _context_mission(context, paragraph_start, generic[-1].group(0))
    return None if mission is None else (generic[-1].start(), generic[-1].end(), mission, "generic")


def _designator(text: str, start: int, stop: int) -> re.Match | None:
    """The first generic designator in ``[start, stop)`` that is not the head of a name.

    "the United Nations Operation in Côte d'Ivoire (UNOCI)" and "the Group of Experts" are
    names, not "the Operation" or "the Group" of the mission named before.
    """
    for generic in _GENERIC.finditer(text, start, stop):
        if not _NAME_TAIL.match(text, generic.end()):
            return generic
    return None


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


def _context_mission(context: _Context, before: int, designator: str) -> str | None:
    # only a mission whose name has the designator's noun: "the Force" is no Organization
    mentions = [
        m
        for m in context.mentions
        if context.names.fits(m[2], designator) and context.names.near(m[2], context.on)
    ]
    earlier = [m for m in mentions if m[0] < before]
    if earlier:
        return earlier[-1][2]
    if mentions:
        return mentions[0][2]
    linked = sorted(
        m
        for m in set(context.linked)
        if context.names.fits(m, designator) and context.names.near(m, context.on)
    )
    if len(linked) == 1:
        return linked[0]
    # a text that names no mission: the one whose place it names, in force that day
    # ("Authorizes the United Nations military observers to continue monitoring the
    # demilitarization of the Prevlaka peninsula", S/RES/1066)
    if not _DEPLOYED.search(designator):
        return None  # "the United Nations Office at Geneva" is no operation in a place
    placed = context.names.by_place(context.text, context.on)
    return placed[0] if len(placed) == 1 else None


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
