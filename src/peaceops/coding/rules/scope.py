"""Rules of scope: task words in an addressed paragraph that give the mission no task.

Data flow: for every task word the coder finds in a paragraph that addresses a mission, it
calls the ``scope`` rules in order as ``rule(site)`` (a
:class:`~peaceops.coding.rules.context.Site`); the first that answers True drops the word. The
rules read the Council's acts in the span (``site.span.acts``), the clause around the word
(``site.clause``) and keep what they scan in the span's, clause's or paragraph's ``memo``,
so every part is scanned once however many task words it holds (#27).
"""

from __future__ import annotations

import re
from bisect import bisect_right

from peaceops.coding.records import designator
from peaceops.coding.rules.context import (
    ACT_VERB,
    MANDATING_VERB,
    Site,
    act_end,
    last_act,
)
from peaceops.coding.rules.registry import rule
from peaceops.coding.scan import TAIL, Scan, Starts
from peaceops.coding.taxonomy import inside_excluded_words

# a mission's proper name introducing its acronym (v3)
_PROPER_NAME = re.compile(
    r"\b(?:United\s+Nations|African[-\s]led|African\s+Union|International)\s+"
    r"(?:(?:[A-Z][\w'’-]*|for|in|of|on|the|to|and)\s+){0,14}?"
    r"\(\s*(?P<acronym>[A-Z][A-Za-z0-9]*(?:\s+[IVX]+)?)\s*\)"
)


@rule("scope.mission_name", since="v3")
def mission_name(site: Site) -> bool:
    """Words of a mission's proper name are a name, not a task.

    "the United Nations Mission for the Referendum in Western Sahara (MINURSO)" (S/RES/995 ¶3):
    no ``ElectAssist`` for "Referendum"; nor "Stabilization", "Assistance" or "Justice
    Support" in a name.
    """
    passage = site.passage
    found = passage.memo.get("scope.mission_name")
    if found is None:
        text, acronyms = passage.reading.text, passage.reading.acronyms
        names = sorted(
            (m.start(), m.end())
            for start, end in passage.spans
            for m in _PROPER_NAME.finditer(text, start, end)
            if designator(m.group("acronym")) in acronyms
        )
        # (names do not overlap: each span's are found by one scan, and spans do not overlap)
        found = passage.memo["scope.mission_name"] = (names, [ne for _, ne in names])
    names, name_ends = found
    first = bisect_right(name_ends, site.at)
    return first < len(names) and names[first][0] < site.stop


@rule("scope.condemned", since="v4")
def condemned(site: Site) -> bool:
    """What the Council condemns or deplores describes what others did, not a task.

    "Strongly condemns the grave violations against children affected by armed violence, as well
    as widespread rape and other sexual abuse of girls, and requests MINUSTAH to continue to
    promote and protect the rights of women and children" (S/RES/1780 ¶17): the last act of the
    Council before the task words decides.
    """
    acts = site.span.acts
    last = bisect_right(acts.ends, site.at) - 1
    return last >= 0 and acts.condemning[last]


@rule("scope.praised", since="v6", written_from="all folds, fold 2 (coder-trials-v6 #7, v8 #7)")
def praised(site: Site) -> bool:
    """What the Council praises is no task.

    "Commends the active role of the Special Representative ... to mediate between the
    parties" (S/RES/912 ¶7); "Welcomes the continued efforts by the Secretary-General and his
    Special Representative to help promote and facilitate dialogue" (S/RES/909 ¶6).
    """
    acts = site.span.acts
    last = bisect_right(acts.ends, site.at) - 1
    return last >= 0 and acts.praising[last]


_HANDED_OVER = re.compile(
    r"\b(?:transfer\w*|hand(?:s|ed|ing)?\s+over|handover|hand-over)\b[^;,]{0,80}?\b(?:tasks|"
    r"responsibilities|functions|activities)\b[^;]{0,150}?\b(?:including|such\s+as|notably|namely|"
    r"in\s+particular)\b",
    re.IGNORECASE,
)


@rule("scope.handed_over", since="v6", written_from="all folds (coder-trials-v6 #2)")
def handed_over(site: Site) -> bool:
    """Tasks the mission is to hand over to others are not its own.

    "transfer to the UNCT appropriate tasks ..., including technical election support and
    demining support" (S/RES/2098 ¶17-18).
    """
    span = site.span
    found = span.memo.get("scope.handed_over")
    if found is None:
        found = span.memo["scope.handed_over"] = Starts(
            _HANDED_OVER, span.text, span.start, span.end
        )
    return found.any_between(act_end(span.acts, site.at, span.start), site.at)


# what the Council states rather than asks: "Recognizes that ...", "Stresses that ..." (v8)
_STATES_THAT = re.compile(
    r"\b(?:recogni[sz]es|acknowledges|considers|believes|stresses|underlines|emphasi[sz]es|"
    r"notes|affirms|reaffirms|reiterates)\s+(?:also\s+|further\s+|again\s+)?that\b",
    re.IGNORECASE,
)
_ITS_MANDATE = re.compile(r"\b(?:this|its|the|whose)\s+mandate\b", re.IGNORECASE)


@rule("scope.stated", since="v8", written_from="fold 3 (coder-trials-v8 #14)")
def stated(site: Site) -> bool:
    """Words in what the Council states, not asks, are no task.

    "Recognizes that the successful holding of ... elections ... is a key condition for the
    consolidation of a stable political environment in which recovery and reconstruction
    efforts can progress, reaffirms its call upon MINUSTAH to support the political process"
    (S/RES/1944 ¶4): the efforts are no task. A mission named after the statement ("Stresses
    that UNMISS shall ..."), a later request, or "stresses that this mandate includes the
    protection of refugees" (S/RES/1870 ¶14) keeps its tasks.
    """
    span, at = site.span, site.at
    scans = span.memo.get("scope.stated")
    if scans is None:
        scans = span.memo["scope.stated"] = (
            Scan(_STATES_THAT, span.text, span.start, span.end),
            Starts(_ITS_MANDATE, span.text, span.start, span.end),
        )
    statements, its_mandate = scans
    said = statements.last_before(at)
    if said is None:
        return False
    asked = last_act(span.acts, at, MANDATING_VERB)
    if asked is not None and span.acts.ends[asked] > said.end():
        return False
    if its_mandate.any_between(said.end(), at):
        return False
    return next(span.reading.designators(said.end(), at), None) is None


@rule("scope.task_exclusions", since="v1")
def task_exclusions(site: Site) -> bool:
    r"""A match whose clause matches one of the task's ``exclude`` patterns does not count.

    The definition of each task in coding/tasks.yaml lists them: e.g. ``CivProtect`` has
    ``exclude: '\b(?:condemn|deplor|denounc)\w*'``: attacks on civilians the Council condemns
    are no mandate to protect them.
    """
    return site.clause.excluded(site.excludes)


@rule(
    "scope.excluded_words",
    since="v8",
    written_from="folds 5, 1, 3 (coder-trials-v7 #4, v8 #6, #14b)",
)
def excluded_words(site: Site) -> bool:
    """A match inside one of the task's ``exclude_words`` phrases does not count.

    "troop- and police-contributing countries" (S/RES/1881 ¶3) is not the host's police; the
    phrases are listed with each task in coding/tasks.yaml.
    """
    task = site.task
    return bool(task.exclude_words) and inside_excluded_words(task, site.text, site.at, site.stop)


_NAME_HEAD = re.compile(r"(?:[A-Z][\w'’-]*\s+(?:(?:of|on|and|for|de|la)\s+)?){0,5}$")
_NAME_TAIL = re.compile(
    r"(?:[\s-]+(?:(?:of|on|and|for|the)\s+)?[A-Z][\w'’-]*){0,5}?\s+(?-i:Agreements?|Accords?|"
    r"Protocols?|Treaty|Plan)\b"
)
_NAMED_THING = re.compile(r"\s(?-i:Plan)$")
_GOVERNS_NAME = re.compile(
    r"\b(?:monitor|verif|observ|supervis|investigat|implement|support|assist|facilitat|perform|"
    r"enforc|complian|compl(?:y|ies))\w*(?:[\s,]+(?:and|of|with|in|the|to|its|by|all|fully|"
    r"overall|provisions|functions|envisaged|under|implementation|observance|respect|"
    r"compliance|violations?|monitor\w*|verif\w*|investigat\w*|support\w*))*\s*$",
    re.IGNORECASE,
)


@rule(
    "scope.agreement_name",
    since="v6",
    written_from="all folds, fold 3 (coder-trials-v6 #5, v8 #13)",
)
def agreement_name(site: Site) -> bool:
    """Task words inside the name of an agreement or a plan, no task verb governing it.

    "the parties to the Lusaka Ceasefire Agreement" (S/RES/1341 ¶6) gives no ``Ceasefire``;
    "monitor the implementation of the Ceasefire Agreement" (S/RES/1291 ¶7(a)) does (v6).
    Nor a plan named by its last word: "consistent with national priorities, including the
    South Sudan Development Plan" (S/RES/1996 ¶20; v8); a zone is no name: "the Safe
    Demilitarized Border Zone" (S/RES/2032 ¶4) names what the mission watches over.
    """
    text, at, end = site.text, site.at, site.stop
    if not text[at : at + 1].isupper():
        return False
    if not (_NAME_TAIL.match(text, end, end + 80) or _NAMED_THING.search(text, at, end)):
        return False
    clause_start = site.clause.start
    head = _NAME_HEAD.search(text, max(clause_start, at - 60), at)
    name_start = head.start() if head else at
    return not _GOVERNS_NAME.search(text, max(clause_start, name_start - 120), name_start)


_REPORT_ON = (
    r"(?:\breport\s+(?:by|of|from)\s+the\s+Secretary-General\s+(?:\w+\s+){0,3}?|"
    r"\bSecretary-General\s+to\s+report\s+(?:\w+\s+){0,6}?)(?:on|about|concerning|regarding)\b"
)
_REPORT_STOP = r"\b(?:and|further)\s+(?:requests|decides|calls|urges|authori[sz]es)\b"
_REPORT_TOPIC = re.compile(_REPORT_ON + rf"(?:(?!{_REPORT_STOP})[^;])*$", re.IGNORECASE)
# its parts, to answer it without reading the clause from its start for every task word (#27):
# the words that open a report's topic (as many words as they may have), and the Council's
# next act that closes it
_REPORT_ON_ANY = re.compile(_REPORT_ON, re.IGNORECASE)
_REPORT_ON_LONGEST = re.compile(_REPORT_ON.replace("}?", "}"), re.IGNORECASE)
_REPORT_CLOSED = re.compile(_REPORT_STOP, re.IGNORECASE)


@rule("scope.report_topic", since="v7", written_from="folds 5, 3 (coder-trials-v7 #12, v8 #5)")
def report_topic(site: Site) -> bool:
    """What a report of the Secretary-General is to be about is no task.

    "review the situation ..., based on a report by the Secretary-General on whether ... the
    peace process ..." (S/RES/911 ¶2).

    Reads ``_REPORT_TOPIC.search(text, clause.start, at)`` from the matches of its parts in
    the clause (:mod:`~peaceops.coding.scan`), not by trying the pattern from every offset of
    the clause to ``at`` for every task word (#27).
    """
    clause, text, at = site.clause, site.text, site.at
    scans = clause.memo.get("scope.report_topic")
    if scans is None:
        scans = clause.memo["scope.report_topic"] = (
            Scan(_REPORT_CLOSED, text, clause.start, clause.end),
            Starts(_REPORT_ON_ANY, text, clause.start, clause.end),
        )
    report_closed, report_on = scans
    closed = report_closed.last_before(at)
    last_closed = closed.start() if closed is not None else -1
    # an opening that starts before this ends by the last closing (an opening reads < TAIL)
    low = max(clause.start, last_closed + 1 - TAIL)
    cut = at - TAIL
    for opens in report_on.between(low, cut):
        if opens > last_closed:
            return True
        longest = _REPORT_ON_LONGEST.match(text, opens, at)
        if longest is not None and longest.end() > last_closed:
            return True
    # near ``at``, where cutting the text there can change the opening words: as before
    return _REPORT_TOPIC.search(text, max(low, cut), at) is not None


@rule("scope.asked_of_others", since="v7", written_from="fold 1 (coder-trials-v7 #14)")
def asked_of_others(site: Site) -> bool:
    """What the Council then asks of others in the same paragraph is theirs.

    "Endorses the decision ... to instruct MONUA to adjust its deployment ..., and demands
    that the Government of Angola and in particular UNITA guarantee ... the safety ... of
    ... humanitarian personnel" (S/RES/1195 ¶9): the guarantee is theirs, not MONUA's. The
    mission named after that act (helping, watched, cooperated with) keeps the task.
    """
    span = site.span
    acts = span.acts
    last = last_act(acts, site.at, ACT_VERB)
    if last is None or acts.to_mission[last]:
        return False
    return next(span.reading.designators(acts.ends[last], site.clause.end), None) is None
