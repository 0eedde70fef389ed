"""Rules of who is addressed: the designators of missions, and when a paragraph tasks one.

Data flow: the ``designator`` rules find the missions a text names, once per text
(:class:`~peaceops.coding.rules.context.Reading`). For each paragraph, the coder asks of each
designator in turn whether the paragraph gives that mission something to do: the ``address``
rules are called in order as ``rule(text, start, end, ds, de, before)`` (the paragraph's span,
the designator's and the 80 characters before it) and answer True (addressed), False (not
addressed, whatever later rules say) or None (no say). Two rules read what others are told to
cooperate with the mission in (:func:`their_own_verb`, :func:`cooperation`), and one reads the
preamble (:func:`preamble_urging`).

A paragraph addressed gives the mission the tasks in its own text (its sub-paragraphs are
coded on their own); tasks given to governments, the Secretary-General or Member States alone
are not mission tasks (coder v2, #4).
"""

from __future__ import annotations

import re

from peaceops.coding.rules.context import (
    ADDRESSED_AFTER_VERB,
    ADDRESSED_BEFORE_TASK,
    NAME_END,
    NO_TASK,
    Reading,
    verb,
)
from peaceops.coding.rules.registry import rule

_GENERIC_DESIGNATORS = (
    r"the\s+(?:Mission|Force|Operation|Office|Intervention\s+Brigade)\b",
    r"(?:its|the\s+Mission's|the\s+Force's)\s+(?:military|police|civilian)\s+components?",
    r"United\s+Nations\s+(?:[A-Z][\w-]*\s+){0,7}(?:Mission|Force|Operation|Office|Observer\s+"
    r"Group|Observers|Verification\s+Mission|Authority|Administration)\b",
    r"(?:the\s+)?Special\s+Representative(?:\s+of\s+the\s+Secretary-General)?",
)
# (the lookahead lets the engine skip, at one test per position, every place no designator
# can begin: 3.6 times faster over the corpus, the same matches)
_GENERIC = re.compile(r"\b(?=[tisu])(?:" + "|".join(_GENERIC_DESIGNATORS) + ")", re.IGNORECASE)
_UN_AUTHORITY = re.compile(
    r"United\s+Nations\s+(?:[A-Z][\w-]*\s+){0,3}(?P<kind>Authority|Administration)\b"
)
#: a mission acronym as the registry may spell it (the coder keeps those it matches whole)
ACRONYM = re.compile(r"(?<![\w-])[A-Z][A-Za-z]*[A-Z][A-Z0-9]*(?![\w-])")
# a capitalised word: scanned for, then looked up among the acronyms; the same words as
# scanning with ACRONYM, without its backtracking on every capitalised word
_CAPITALISED = re.compile(r"(?<![\w-])[A-Z][A-Za-z0-9]*(?![\w-])")


@rule("designator.acronym", since="v1")
def acronym(text: str, acronyms: frozenset[str]) -> list[tuple[int, int]]:
    """A mission named by its registry acronym: "Requests MONUSCO" (S/RES/1991 ¶8)."""
    return [m.span() for m in _CAPITALISED.finditer(text) if m.group(0) in acronyms]


@rule("designator.generic", since="v2")
def generic(text: str, acronyms: frozenset[str]) -> list[tuple[int, int]]:
    """A mission named generically: "the Mission", "the Force", "the Special Representative".

    Also "its military component" and "United Nations ... Observers": "the functions of good
    offices and mediation by the Mission" (S/RES/834 ¶2).
    """
    return [m.span() for m in _GENERIC.finditer(text)]


@rule("designator.authority", since="v7", written_from="fold 5 (coder-trials-v7 #1)")
def authority(text: str, acronyms: frozenset[str]) -> list[tuple[int, int]]:
    """The Authority is UNTAC where the text names a United Nations transitional authority.

    "the United Nations Transitional Authority in Cambodia" (S/RES/718 ¶p4), then "cooperate
    with the Authority in broadcasting information" (S/RES/766 ¶6). Elsewhere "the Authority"
    may be anyone's ("the Coalition Provisional Authority"), so it counts only after a UN name
    of that kind in the same text; "the Administration" likewise (UNTAET).
    """
    kinds = sorted({m.group("kind") for m in _UN_AUTHORITY.finditer(text)})
    if not kinds:
        return []
    short = re.compile(rf"\bthe\s+(?:{'|'.join(kinds)})\b")
    return [m.span() for m in short.finditer(text)]


# a call the Council only restates: the task is inherited, not given anew (v8)
_RESTATED = re.compile(
    r"\b(?:reaffirms|reiterates|recalls)\s+its\s+(?:\w+\s+)?(?:calls?|requests?)\s+"
    r"(?:(?:up)?on|to|that|for)\s+(?:the\s+)?$",
    re.IGNORECASE,
)


@rule("address.restated_call", since="v8", written_from="fold 3 (coder-trials-v8 #2)")
def restated_call(text: str, start: int, end: int, ds: int, de: int, before: str) -> bool | None:
    """A call the Council only restates addresses no one: the task is inherited.

    "Reaffirms its call upon MINUSTAH to support the constitutional and political process"
    (S/RES/1743 ¶5). Vetoes the other ``address`` rules for this designator.
    """
    return False if _RESTATED.search(before) else None


# the mission names a mandate whose renewal is explained, not given a task (v6)
_RENEWAL_PURPOSE = re.compile(
    r"(?:'s)?\s+mandate\s+(?:is|was|has\s+been)\s+(?:\w+\s+)?(?:designed|intended|meant|aimed)\b",
    re.IGNORECASE,
)


@rule("address.mission_then_act", since="v2", written_from="all folds (coder-trials-v6 #1, #18)")
def mission_then_act(text: str, start: int, end: int, ds: int, de: int, before: str) -> bool | None:
    """The mission, then what it shall do: "MINUSMA to", "UNMISS shall", "is mandated".

    "to" must begin an infinitive: not "a Special Representative to Angola" nor "UNMIH,
    appropriate to its expansion" (S/RES/933 ¶3; v4). "shall/will" then a verb that gives no
    task does not count: "the Intervention Brigade will have a clear exit strategy" (S/RES/2098
    ¶10), but "shall have the following mandate" (S/RES/866 ¶3) does (v6). Nor a mandate whose
    renewal is explained: "this technical extension of the MONUC mandate is designed to allow
    time for further diplomatic activities" (S/RES/1316 ¶2; v6).
    """
    after = text[de : min(end, de + 60)]
    if ADDRESSED_BEFORE_TASK.match(after) and not _RENEWAL_PURPOSE.match(after):
        return True
    return None


_DECIDES_THAT = re.compile(r"\bdecides?[\s,]+(?:[\w'-]+[\s,]+){0,4}?that\s+(?:the\s+)?$", re.I)
_THEN_ACTS = re.compile(
    r"(?:'s)?(?:(?!\b(?:that|shall|will|should|may)\b)[^;:]){0,250}?\b(?:(?:shall|will|should|may)"
    + NO_TASK
    + r"|is\s+(?:mandated|authori[sz]ed|requested))\b",
    re.IGNORECASE,
)


@rule("address.council_verb", since="v2", written_from="all folds (coder-trials-v6 #1)")
def council_verb(text: str, start: int, end: int, ds: int, de: int, before: str) -> bool | None:
    """A mandating verb of the Council, a few words, then the mission.

    "Requests MONUSCO" (S/RES/1991 ¶8), "calls upon MINUSTAH" (S/RES/1608 ¶9); not "welcomes",
    "notes" or "stresses". "Decides
    that [mission]" counts only if the mission's own next verb gives it something to do (v6):
    not "Decides that the Intervention Brigade will have a clear exit strategy" (S/RES/2098
    ¶10).
    """
    if ADDRESSED_AFTER_VERB.search(before) and (
        not _DECIDES_THAT.search(before) or _THEN_ACTS.match(text, de, min(end, de + 300))
    ):
        return True
    return None


_MANDATE_OF = re.compile(r"mandate\s+of\s+(?:the\s+)?$", re.IGNORECASE)
_REPORTING = re.compile(
    r"\b(?:reports?|reporting|informed|implementation|reflection)\b", re.IGNORECASE
)


@rule("address.mandate_of", since="v2", written_from="all folds (coder-trials-v6 #18)")
def mandate_of(text: str, start: int, end: int, ds: int, de: int, before: str) -> bool | None:
    """The mission's mandate itself: "extend the mandate of UNOMIL ..., including to".

    "Decides to extend the mandate of UNOMIL" (S/RES/911 ¶2). Not a report on it: "on the
    implementation of the mandate of MINURCA" (S/RES/1159 ¶15), nor what the Council will
    reflect on: "for Council reflection on the future mandate of MONUC" (S/RES/1316 ¶2; v6).
    """
    return True if _MANDATE_OF.search(before) and not _REPORTING.search(before) else None


_DONE_BY = re.compile(
    r"\b(?<!already\s)(?:carried\s+out|conducted|performed|exercised|good\s+offices|"
    r"mediation|functions)\s+by\s+(?:the\s+)?$",
    re.IGNORECASE,
)


@rule("address.done_by", since="v8", written_from="folds 1, 4 (coder-trials-v8 #3)")
def done_by(text: str, start: int, end: int, ds: int, de: int, before: str) -> bool | None:
    """The mission as the agent of a task named before it.

    "training and capacity-building carried out by UNMISET" (S/RES/1543 ¶5), "the functions of
    good offices and mediation by the Mission" (S/RES/834 ¶2).
    """
    return True if _DONE_BY.search(before) else None


_ESTABLISHES = re.compile(
    r"\bestablish(?:es|ing)?\s+(?:(?:until|by|for|from|on|in|\d+|[A-Z][a-z]+|a|period|of)\s+){0,6}?"
    r"(?:an?|the)\s+$",
    re.IGNORECASE,
)
_GIVEN_MANDATE = re.compile(
    NAME_END + r"[^;:.]{0,120}?\bwith\s+(?:a|an|the)\s+(?:\w+\s+)?mandate\b", re.I
)


@rule("address.established", since="v7", written_from="folds 4, 5 (coder-trials-v7 #3, #5)")
def established(text: str, start: int, end: int, ds: int, de: int, before: str) -> bool | None:
    """A mission being set up with its purpose, or given a mandate for what follows.

    "to establish until 30 November 1998 a United Nations Civilian Police Mission in Haiti
    (MIPONUH) ... in order to assist the Government of Haiti" (S/RES/1141 ¶2); "the
    continuation of UNOSOM II ... with a revised mandate for the following" (S/RES/897 ¶2).
    """
    if _ESTABLISHES.search(before) or _GIVEN_MANDATE.match(text, de, end):
        return True
    return None


_FUNCTIONS_LISTED = re.compile(
    r"(?:'s)?[^;:.]{0,80}?:\s*(?:\(?[a-z0-9]{1,4}\)\s*)?(?-i:To)\s+(?-i:[a-z])", re.IGNORECASE
)


@rule("address.functions_listed", since="v7", written_from="fold 1 (coder-trials-v7 #13)")
def functions_listed(text: str, start: int, end: int, ds: int, de: int, before: str) -> bool | None:
    """The mission, then a list of the "To ..." functions it is to perform.

    "the appointment by the Secretary-General, within MINURCA, of his Special Representative in
    the Central African Republic: (a) To assist in the promotion of the reforms" (S/RES/1159
    ¶14).
    """
    return True if _FUNCTIONS_LISTED.match(text, de, min(len(text), de + 200)) else None


_ALONGSIDE = re.compile(
    r"(?:with\s+the\s+(?:support|assistance|help)\s+of|(?:supported|assisted)\s+by|"
    r"in\s+(?:close\s+)?(?:cooperation|collaboration|coordination)\s+with)\s+(?:the\s+)?$",
    re.IGNORECASE,
)


@rule("address.alongside", since="v2")
def alongside(text: str, start: int, end: int, ds: int, de: int, before: str) -> bool | None:
    """A task given to others with the mission's help, which PEMA codes as the mission's.

    "with the assistance of UNMIH" (S/RES/975 ¶11), "in close collaboration with MONUSCO"
    (S/RES/1991 ¶16), "in cooperation with ECOMOG" (S/RES/866 ¶3(g)).
    """
    return True if _ALONGSIDE.search(before) else None


_WATCHED_BY = re.compile(
    r"(?:(?:under|with)\s+(?:the\s+)?(?:(?:close|effective|strict|full|unrestricted),?\s+)*"
    r"(?:supervision|monitoring|verification|observation)\s+of|(?:monitored|verified|supervised|"
    r"observed)(?:\s+and\s+(?:monitored|verified|supervised|observed))?\s+by)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_UNDER_THE_WATCH = re.compile(
    r"\b(?:under|with|to)\s+(?:(?:close|effective|strict|full|"
    r"unrestricted),?\s+)*$",
    re.IGNORECASE,
)
_WATCHING = re.compile(
    r"(?:'s)?(?:\s+[IVX]+)?\s+(?:monitoring|supervision|verification|observation)\b", re.IGNORECASE
)


def watches(text: str, start: int, ds: int, de: int, end: int) -> bool:
    """True when the mission at text[ds:de] is to watch what others do (see :func:`watched`)."""
    before = text[max(start, ds - 80) : ds]
    if _WATCHED_BY.search(before):
        return True
    return bool(_UNDER_THE_WATCH.search(before) and _WATCHING.match(text, de, end))


@rule("address.watched", since="v6", written_from="all folds (coder-trials-v6 #8)")
def watched(text: str, start: int, end: int, ds: int, de: int, before: str) -> bool | None:
    """The mission watching what others are told to do.

    "under UNAVEM III monitoring" (S/RES/1055 ¶14), "under the close supervision of UNPROFOR"
    (S/RES/947 ¶14), "supported and monitored by MINUSMA" (S/RES/2164 ¶5).
    """
    return True if watches(text, start, ds, de, end) else None


_COOPERATE_WITH = re.compile(r"cooperat\w*\s+(?:fully\s+|closely\s+)?with\s+(?:the\s+)?$", re.I)
_COOPERATION_IN = re.compile(
    NAME_END + r"(?:\s+\([A-Z]+\))?\s*(?:in|on|for|regarding|with\s+regard\s+to|"
    r"(?:so\s+as\s+|in\s+order\s+)?to(?=\s+(?-i:[a-z])))\b",
    re.IGNORECASE,
)
_COOPERATION_BACK = re.compile(
    NAME_END + r"\s*,?\s+(?:in\s+(?:this|that|these)\s+(?:regard|respect|efforts?|"
    r"process|tasks?)|to\s+(?:this|that)\s+end|for\s+(?:this|that)\s+purpose)\b",
    re.IGNORECASE,
)
_PHRASE_END = re.compile(
    r"[;:]|\.\s|,\s+(?:and\s+)?to\s|\s+and\s+to\s|,?\s+and\s+(?:(?:immediately|fully|"
    r"unconditionally|also)\s+)?(?:guarantee|ensure|respect|refrain|comply|abide|allow|grant|"
    r"permit|desist|cease|implement|pursue|take|facilitate|provide)\b"
)
_THEIR_NEXT_VERB = re.compile(NAME_END + r"\s*,\s+(?:and\s+)?to\s+(?-i:[a-z])", re.IGNORECASE)


def cooperating(text: str, start: int, ds: int) -> re.Match[str] | None:
    """The words "cooperate (fully) with (the)" just before the designator at ``ds``, or None."""
    return _COOPERATE_WITH.search(text, max(start, ds - 80), ds)


@rule("address.their_own_verb", since="v8", written_from="fold 5 (coder-trials-v8 #9)")
def their_own_verb(
    text: str, start: int, end: int, ds: int, de: int, cooperate: re.Match[str] | None
) -> bool:
    """Others told to cooperate with the mission, then to do something of their own.

    "urges all parties ... to cooperate fully with UNOSOM II, to carry out the commitments"
    (S/RES/923 ¶4): the commitments are theirs; this designator addresses no one.
    """
    told = cooperate is not None and not cooperate.group(0).lower().startswith("cooperation")
    return bool(told and _THEIR_NEXT_VERB.match(text, de, end))


@rule(
    "address.cooperation",
    since="v7",
    version=2,
    written_from="folds 5, 1 (coder-trials-v7 #2, v8 #8)",
)
def cooperation(
    text: str, start: int, end: int, ds: int, de: int, cooperate: re.Match[str] | None
) -> bool | tuple[int, int] | None:
    """Others told to cooperate with the mission: only what they cooperate *in* is its own.

    "cooperate with the Authority in broadcasting information" (S/RES/766 ¶6), "cooperate
    fully with UNTAC to create a neutral political environment" (S/RES/792 ¶4): the span
    returned. What else the sentence asks of them is theirs: "to cooperate fully with UNOSOM II
    and respect the cease-fire arrangements" (S/RES/897 ¶7), "cooperate fully with MONUA in
    providing full access for its verification activities and guarantee ... the safety"
    (S/RES/1180 ¶6; v8, version 2). "cooperate fully with MONUC in this regard" (S/RES/1445 ¶5)
    refers to the whole paragraph: True.
    """
    if cooperate is None:
        return None
    if _COOPERATION_BACK.match(text, de, end):
        return True
    complement = _COOPERATION_IN.match(text, de, end)
    if complement:
        stop = _PHRASE_END.search(text, complement.end(), end)
        return (de, stop.start() if stop else end)
    return None


_ASKING = (
    r"urging|requesting|calling\s+(?:up)?on|encouraging|authori[sz]ing|inviting|mandating|"
    r"directing"
)
_PARTICIPLE_TO = re.compile(
    rf"\b(?P<verb>{_ASKING})\s+(?:[\w'-]+\s+){{0,2}}?(?:the\s+)?$", re.IGNORECASE
)
_PARTICIPLE = re.compile(rf"\b(?:{_ASKING})\b", re.IGNORECASE)
_FINITE = {
    "urging": "urges", "requesting": "requests", "calling upon": "calls upon",
    "calling on": "calls on", "encouraging": "encourages", "authorizing": "authorizes",
    "authorising": "authorizes", "inviting": "invites", "mandating": "mandates",
    "directing": "directs",
}  # fmt: skip


@rule("address.preamble_urging", since="v7", written_from="fold 4 (coder-trials-v7 #6)")
def preamble_urging(
    reading: Reading, acronyms: frozenset[str], start: int, end: int
) -> tuple[str, str] | None:
    """A preambular paragraph that urges or asks a mission to act gives it that paragraph's tasks.

    "..., and urging UNISFA to take measures as necessary to ensure security in the Abyei Area
    in accordance with its mandate" (S/RES/2075 ¶p20): ("UNISFA", "urges"), so its tasks are
    ``Encouraged`` as in an operative paragraph. None when the paragraph asks no mission.
    """
    text = reading.text
    if not _PARTICIPLE.search(text, start, end):
        return None  # most preambles ask nothing of anyone: skip the designator scan
    for ds, de in reading.designators(start, end):
        asking = _PARTICIPLE_TO.search(text, max(start, ds - 60), ds)
        if asking and ADDRESSED_BEFORE_TASK.match(text, de, min(end, de + 60)):
            mission = text[ds:de] if text[ds:de] in acronyms else ""
            return mission, _FINITE[verb(asking.group("verb"))]
    return None
