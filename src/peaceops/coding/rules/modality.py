"""Rules of modality: how the mission is to carry out a task (Monitor, Assist, Security, ...).

PEMA's modalities are Monitor, Assist, Security and Encouraged (docs/tasks.md).

Data flow: for every task word the scope rules keep, the coder starts from the paragraph's
first Council verb and no modality, and passes ``(verb, modality)`` through the ``modality``
rules in order, each called as ``rule(site, verb, modality)`` and returning the pair it hands
on; a modality still undecided at the end is ``Assist``. The rules keep what they scan in the
clause's or span's ``memo`` (#27).
"""

from __future__ import annotations

import re
from bisect import bisect_left

from peaceops.coding.rules.addressing import watches
from peaceops.coding.rules.context import (
    ACT_VERB,
    ENCOURAGING,
    MANDATING_VERB,
    Site,
    SpanScans,
    last_act,
)
from peaceops.coding.rules.registry import rule
from peaceops.coding.scan import Scan

#: what a modality rule takes and returns: the Council's verb and the modality so far
Decision = tuple[str, str | None]


@rule("modality.last_act", since="v5")
def last_act_decides(site: Site, verb: str, modality: str | None) -> Decision:
    """The Council's last mandating act before the task words decides, not its first verb.

    "Welcomes the important contribution provided by MINUSTAH in capacity and institution
    building ..., and calls upon MINUSTAH to expand its assistance to support the Government"
    (S/RES/1702 ¶8): the task is called for, not welcomed. Encouraging others
    ("calls upon the parties ... to cooperate fully with UNMOP in") is no encouragement of the
    mission: its own verbs decide.
    """
    acts = site.span.acts
    last = last_act(acts, site.at, MANDATING_VERB)
    if last is None:
        return verb, modality
    said = acts.verbs[last]
    return (said if acts.to_mission[last] or said not in ENCOURAGING else ""), modality


@rule("modality.encouraged", since="v1")
def encouraged(site: Site, verb: str, modality: str | None) -> Decision:
    """The Council encouraging, urging, inviting or calling upon the mission: ``Encouraged``.

    "Encouraged: the Council encourages, invites, calls upon, urges the mission" (the
    modality table of docs/tasks.md); "calls upon MINUSTAH" (S/RES/1608 ¶9).
    """
    if modality is None and verb in ENCOURAGING:
        return verb, "Encouraged"
    return verb, modality


# Action verbs in their verb forms only: the nouns "security", "protection", "report" name
# a task's object, not what the mission is to do with it.
_MONITOR = re.compile(
    r"\b(?:monitor(?:s|ing)?|observ(?:e|es|ing)|verif(?:y|ies|ying)|investigat(?:e|es|ing)|"
    r"report(?:s|ing)?\s+(?:on|to|regularly)|document(?:s|ing)?|track(?:s|ing)?|"
    r"supervis(?:e|es|ing))\b",
    re.IGNORECASE,
)
_ASSIST = re.compile(
    r"\b(?:assist(?:s|ing)?|support(?:s|ing)?|advis(?:e|es|ing)|help(?:s|ing)?|"
    r"facilitat(?:e|es|ing)|contribut(?:e|es|ing)|coordinat(?:e|es|ing)|promot(?:e|es|ing)|"
    r"encourag(?:e|es|ing)|provid(?:e|es|ing)\s+(?:technical|logistical|good|expertise|"
    r"training|advice|support)|train(?:s|ing)?|build(?:s|ing)?\s+(?:the\s+)?capacit\w*|"
    r"strengthen(?:s|ing)?|work(?:s|ing)?\s+with|cooperat(?:e|es|ing)|mediat(?:e|es|ing|ion)|"
    r"good\s+offices)\b",
    re.IGNORECASE,
)
_SECURITY = re.compile(
    r"\b(?:(?<!promote\sand\s)protect(?:s|ing)?|secur(?:e|es|ing)|deter(?:s|ring)?|"
    r"neutrali[sz](?:e|es|ing)|disarm|carry(?:ing)?\s+out|conduct(?:s|ing)?(?!\s+of\b)|"
    r"prevent(?:s|ing)?|patrol(?:s|ling)?|escort(?:s|ing)?|guard(?:s|ing)?|clear(?:s|ing)?|"
    r"destroy(?:s|ing)?|seiz(?:e|es|ing)|"
    r"take\s+(?:all\s+)?(?:the\s+)?necessary\s+(?:action|measures|means)|"
    r"provid(?:e|es|ing)\s+(?:\w+\s+)?security|security\s+and\s+protection)\b",
    re.IGNORECASE,
)
_ACTIONS = (("Monitor", _MONITOR), ("Assist", _ASSIST), ("Security", _SECURITY))


@rule(
    "modality.action_verbs",
    since="v1",
    version=2,
    written_from="fold 4 (coder-trials-v8 #4: mediation is Assist)",
)
def action_verbs(site: Site, verb: str, modality: str | None) -> Decision:
    """The nearest action verb before the task words decides (ties to the first kind).

    monitor, observe, verify, report: ``Monitor``; assist, support, advise, help, facilitate:
    ``Assist``; protect, secure, deter, neutralize, carry out: ``Security`` (the modality
    table of docs/tasks.md). Not "ensure", which any modality uses ("to ensure coordination",
    S/RES/856 ¶3), nor "the conduct of elections" (S/RES/1784 ¶10), nor "protect" in "promote
    and protect" (S/RES/1379 ¶8(c)), which is Assist; but "provide security for" and "the
    security and protection of" (v5, version 2).
    """
    if modality is not None:
        return verb, modality
    clause = site.clause
    actions = clause.memo.get("modality.action_verbs")
    if actions is None:
        size = len(clause.text)
        actions = clause.memo["modality.action_verbs"] = tuple(
            (name, Scan(rx, clause.text, 0, size)) for name, rx in _ACTIONS
        )
    best, best_at = None, -1
    for name, scan in actions:
        last = scan.last_before(site.at - clause.start)
        if last is not None and last.start() > best_at:
            best, best_at = name, last.start()
    return verb, best


@rule("modality.task_default", since="v1")
def task_default(site: Site, verb: str, modality: str | None) -> Decision:
    """Else the task's default modality (``modality`` of each task in coding/tasks.yaml).

    "a task's *default modality* is used only when no verb settles it" (docs/tasks.md).
    """
    return verb, modality or site.task.modality


_SUPPORTED_BY = re.compile(
    r"(?:with\s+the\s+(?:\w+\s+)?(?:support|assistance|help)\s+of|(?:supported|assisted)\s+by)"
    r"\s+(?:the\s+)?$",
    re.IGNORECASE,
)


def _alongside(span: SpanScans) -> list[list[tuple[int, str]]]:
    """Where missions help or watch others in the span, with that modality.

    One list per kind of designator, in the order the reading holds them, each in text order
    (so that :func:`helps_others` can bisect them; #27).
    """
    text, start, end = span.text, span.start, span.end
    found: list[list[tuple[int, str]]] = []
    for kind in span.reading.kinds:
        found.append([])
        for i in range(bisect_left(kind, (start, start)), len(kind)):
            ds, de = kind[i]
            if ds >= end:
                break
            if de > end:
                continue
            if watches(text, start, ds, de, end):
                found[-1].append((ds, "Monitor"))
            elif _SUPPORTED_BY.search(text[max(start, ds - 80) : ds]):
                found[-1].append((ds, "Assist"))
    return found


@rule("modality.helps_others", since="v6", written_from="all folds (coder-trials-v6 #3, #8, #16)")
def helps_others(site: Site, verb: str, modality: str | None) -> Decision:
    """A task given to others whom the mission helps (Assist) or watches (Monitor).

    "urges the Congolese authorities, with the support of MONUSCO, to develop and implement a
    comprehensive national security sector development" strategy (S/RES/1991 ¶11: Assist);
    "demands that the parties ... return the police to barracks under UNAVEM III
    monitoring" (S/RES/1055 ¶14: Monitor). With no act of the Council in the paragraph (an
    item of a list it declares), the mission's role in the whole clause decides: "the
    withdrawal of ... units ... to be monitored by United Nations military observers"
    (S/RES/824 ¶4(a)) is the observers' to Monitor.
    """
    span = site.span
    alongside = span.memo.get("modality.helps_others")
    if alongside is None:
        alongside = span.memo["modality.helps_others"] = _alongside(span)
    clause = site.clause
    after, clause_end = clause.start, clause.end
    acts = span.acts
    last = last_act(acts, site.at, ACT_VERB)
    if last is not None:
        if acts.to_mission[last]:
            return verb, modality
        after = acts.ends[last]
    for kind in alongside:
        i = bisect_left(kind, (after, ""))
        if i < len(kind) and kind[i][0] < clause_end:
            return verb, kind[i][1]
    return verb, modality
