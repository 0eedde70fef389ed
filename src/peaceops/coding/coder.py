"""The rule-based mandate coder: tasks, modality and strength, with evidence spans.

Data flow: :class:`RuleCoder` is initialised with the mission acronyms and armed-group aliases
of the registry (``initialize``), then ``predict(number, text)`` segments a resolution
(:mod:`peaceops.coding.segment`), finds its Chapter VII basis (:mod:`~.chapter7`) and the
groups it targets (:mod:`~.targets`), and codes the tasks it gives missions:

1. A paragraph *mandates a mission* when its own words, or those of a paragraph it belongs to,
   address one: a mandating verb of the Council followed closely by a mission ("Requests
   MONUSCO", "Authorizes the Mission", "Decides that UNAMSIL shall", "Calls upon UNMIS"; not
   "welcomes", "notes" or "stresses"), a mission followed by what it shall do ("MINUSMA to",
   "the mandate of UNMISS shall include"), the mandate itself ("extend the mandate of
   UNOMIL ..., including to", but not a report "on the implementation of the mandate of"), or
   a task given to others with the mission's help ("with the assistance of UNMIH", "in close
   collaboration with MONUSCO", "cooperate fully with MONUA in"), which PEMA codes as the
   mission assisting. Tasks given to governments, the Secretary-General or Member States
   alone are not mission tasks. (v2, #4: held-out evaluation in docs/evaluation.md.) The
   "to" after a mission must begin an infinitive, not name a place or a thing ("a Special
   Representative to Angola"; v4).
2. In such a paragraph, every task of the taxonomy (:mod:`~.taxonomy`) is looked for in the
   paragraph's own text (its sub-paragraphs are coded on their own); a match whose clause also
   matches one of the task's exclusions does not count, nor does a match inside a mission's
   proper name ("United Nations Mission for the Referendum in Western Sahara (MINURSO)",
   "... Stabilization Mission ... (MINUSMA)"; v3), nor one the Council condemns or deplores
   ("Strongly condemns ... rape ..., and requests MINUSTAH to ..."; v4).
3. The modality follows PEMA: the Council *encouraging* or *calling upon* the mission gives
   ``Encouraged``. The Council's last mandating act before the task words decides, not the
   paragraph's first verb ("Welcomes the contribution by MINUSTAH ..., and calls upon
   MINUSTAH to strengthen State institutions"), and encouraging others ("calls upon the
   parties ... to cooperate fully with UNMOP in") is no encouragement of the mission (v5).
   Otherwise the nearest action verb before the task words decides - monitor,
   observe, verify, report: ``Monitor``; assist, support, advise, help, facilitate:
   ``Assist``; protect, secure, deter, neutralize, carry out: ``Security`` (not "ensure",
   which any modality uses, nor "the conduct of"; v5) - else the task's default.
4. Strength markers ("all necessary means/measures", "robust", "neutralize", "targeted
   offensive operations", ...) are read from the paragraph and the paragraphs it belongs to.

5. Who is addressed, and what is only mentioned (v6): "Decides that [mission] ..." addresses
   the mission only if its own next verb gives it something to do ("the Intervention Brigade
   will have a clear exit strategy" does not; "shall have the following mandate" does).
   Tasks the mission is to transfer or hand over to others ("transfer ... to the UNCT tasks
   ..., including ... demining support"), what the Council praises ("commends the role of the
   Special Representative ... to mediate"), and task words inside an agreement's name ("the
   parties to the Lusaka Ceasefire Agreement") are no tasks; a name governed by a task verb
   ("monitor the implementation of the Ceasefire Agreement") is. A task the Council gives
   others "with the support of" the mission is the mission's to ``Assist``; one done "under
   [mission] monitoring", "under the supervision of" or "monitored by" it, to ``Monitor``.
   Each code records the mission its paragraph addresses (``Code.mission``): a resolution can
   task a UN mission and a regional force ("in support of ECOMOG to enable it to carry out ...
   the disarmament of the Liberian factions"), and the list of a mission's mandate keeps that
   mission even where an item names another force ("in cooperation with ECOMOG").

6. More ways of being addressed, read one fold at a time (v7, docs/coder-trials-v7.md): a
   preambular paragraph that urges or asks a mission to act ("..., and urging UNISFA to take
   measures as necessary to ensure security") gives it that paragraph's tasks, with the
   Council's verb; a mission being established with its purpose, given "a revised mandate for
   the following", or followed by a list of "To ..." functions is addressed; "the Authority" is
   UNTAC where the text names a United Nations transitional authority. Others told to
   "cooperate with" a mission give it only what they cooperate *in* ("cooperate with the
   Authority in broadcasting information"), not what else the sentence asks of them; what a
   report of the Secretary-General is to be about is no task. What the Council then asks of
   others in the same paragraph ("..., and demands that the parties ... guarantee the safety of
   humanitarian personnel") is theirs, unless the mission is named after that act.

The module is over 500 lines because the addressing, act and modality rules share the
designator and act scans of one paragraph; split, each part would re-scan the text.

Every :class:`~peaceops.coding.records.Code` carries its evidence span (the task words) and the
coder's versioned name, :data:`CODER`.
"""

from __future__ import annotations

import re
import re._constants as _sre
import re._parser as _sre_parser
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import NamedTuple

from peaceops.coding.chapter7 import find_chapter_vii
from peaceops.coding.records import (
    ChapterVII,
    Code,
    Paragraph,
    Segmentation,
    Target,
    designator,
)
from peaceops.coding.scan import TAIL, Ranges, Scan, Starts
from peaceops.coding.segment import segment
from peaceops.coding.targets import GroupMatcher, find_targets, own_text_spans
from peaceops.coding.taxonomy import TASKS, Task, compiled, inside_excluded_words

CODER = "peaceops.rule_coder.v8.1"

_COUNCIL_VERB = re.compile(
    r"\b(decides?|authori[sz]es|requests|mandates|directs|instructs|calls\s+(?:up)?on|"
    r"encourages|urges|invites|underlines|emphasi[sz]es|stresses|reiterates|affirms|"
    r"reaffirms|welcomes|notes|expresses|demands|endorses|approves|agrees)\b",
    re.IGNORECASE,
)
_ENCOURAGING = {"encourages", "calls upon", "calls on", "urges", "invites"}
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
# a transitional authority's short form: "the Authority" is UNTAC where the text names "the
# United Nations Transitional Authority in Cambodia", "the Administration" UNTAET; elsewhere
# it may be anyone's ("the Coalition Provisional Authority"), so it counts only after a UN
# name of that kind in the same text (v7)
_UN_AUTHORITY = re.compile(
    r"United\s+Nations\s+(?:[A-Z][\w-]*\s+){0,3}(?P<kind>Authority|Administration)\b"
)
_ACRONYM = re.compile(r"(?<![\w-])[A-Z][A-Za-z]*[A-Z][A-Z0-9]*(?![\w-])")
# a capitalised word: scanned for, then looked up among the acronyms (those _ACRONYM matches
# whole); the same words as scanning with _ACRONYM, without its backtracking on every
# capitalised word
_CAPITALISED = re.compile(r"(?<![\w-])[A-Z][A-Za-z0-9]*(?![\w-])")
# a mission's proper name introducing its acronym: "the United Nations Mission for the
# Referendum in Western Sahara (MINURSO)". Its words are a name, not a task: "Referendum",
# "Stabilization", "Assistance", "Justice Support" in a name give no code (v3).
_PROPER_NAME = re.compile(
    r"\b(?:United\s+Nations|African[-\s]led|African\s+Union|International)\s+"
    r"(?:(?:[A-Z][\w'’-]*|for|in|of|on|the|to|and)\s+){0,14}?"
    r"\(\s*(?P<acronym>[A-Z][A-Za-z0-9]*(?:\s+[IVX]+)?)\s*\)"
)
# the verbs by which the Council gives tasks (not "welcomes", "notes", "stresses", ...)
_MANDATING_VERB = re.compile(
    r"\b(decides?|authori[sz]es|requests|mandates|directs|instructs|calls\s+(?:up)?on|"
    r"encourages|urges|invites|approves|endorses)\b",
    re.IGNORECASE,
)
# a Council verb, a few words, then the mission: "Requests MONUSCO", "Decides that UNAMSIL",
# "Authorizes the Mission, through its military component, ..."
# between a Council verb and the mission it addresses: "calls upon MINUSTAH", "encourages,
# in this regard, the Mission"
_TO_ADDRESSEE = re.compile(r"[\s,]+(?:[\w'-]+[\s,]+){0,4}?(?:that\s+)?(?:the\s+)?", re.IGNORECASE)
_ADDRESSED_AFTER_VERB = re.compile(
    _MANDATING_VERB.pattern + _TO_ADDRESSEE.pattern + "$", re.IGNORECASE
)
# what may follow a designator before the words about it: "UNOSOM II", "UNTAC's" (v7)
_NAME_END = r"(?:'s)?(?:\s+[IVX]+\b)?"
# the mission being set up, its purpose given: "Decides further to paragraph 1 above, and at
# the request of the President of the Republic of Haiti, to establish until 30 November 1998 a
# United Nations Civilian Police Mission in Haiti (MIPONUH), ... in order to assist the
# Government of Haiti by supporting ... the Haitian National Police" (v7)
_ESTABLISHES = re.compile(
    r"\bestablish(?:es|ing)?\s+(?:(?:until|by|for|from|on|in|\d+|[A-Z][a-z]+|a|period|of)\s+){0,6}?"
    r"(?:an?|the)\s+$",
    re.IGNORECASE,
)
# the mission, then the mandate it is given: "Approves the Secretary-General's recommendation
# for the continuation of UNOSOM II, as set out in ... his report, with a revised mandate for
# the following: ..." (v7)
_GIVEN_MANDATE = re.compile(
    _NAME_END + r"[^;:.]{0,120}?\bwith\s+(?:a|an|the)\s+(?:\w+\s+)?mandate\b", re.I
)
# a preambular paragraph asking the mission to act: "..., and urging UNISFA to take measures
# as necessary to ensure security in the Abyei Area in accordance with its mandate" (v7)
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
# the mission, then the list of what it is to do: "Welcomes the appointment by the
# Secretary-General, within MINURCA, of his Special Representative in the Central African
# Republic: (a) To assist in the promotion of the reforms necessary to achieve national
# reconciliation ..." (v7)
_FUNCTIONS_LISTED = re.compile(
    r"(?:'s)?[^;:.]{0,80}?:\s*(?:\(?[a-z0-9]{1,4}\)\s*)?(?-i:To)\s+(?-i:[a-z])", re.IGNORECASE
)
# "decides to extend the mandate of UNOMIL ..., including to monitor": the mandate itself;
# but not a report on it ("report ... on the implementation of the mandate of MINURCA")
_MANDATE_OF = re.compile(r"mandate\s+of\s+(?:the\s+)?$", re.IGNORECASE)
# a task given to others with the mission's help: "urges the Government, with the assistance
# of UNMIH, to ...", "in close collaboration with MONUSCO", "cooperate fully with MONUA in"
_ALONGSIDE = re.compile(
    r"(?:with\s+the\s+(?:support|assistance|help)\s+of|(?:supported|assisted)\s+by|"
    r"in\s+(?:close\s+)?(?:cooperation|collaboration|coordination)\s+with)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# others told to cooperate with the mission: only what they are to cooperate *in* is the
# mission's ("cooperate with the Authority in broadcasting information", "cooperate fully with
# UNTAC to create a neutral political environment"); what else the sentence asks of them is
# theirs ("to cooperate fully with UNOSOM II and respect the cease-fire arrangements", "to
# cooperate fully with the United Nations military observers and to ensure their safety ...,
# including through the removal of landmines"; v7)
_COOPERATE_WITH = re.compile(r"cooperat\w*\s+(?:fully\s+|closely\s+)?with\s+(?:the\s+)?$", re.I)
_COOPERATION_IN = re.compile(
    _NAME_END + r"(?:\s+\([A-Z]+\))?\s*(?:in|on|for|regarding|with\s+regard\s+to|"
    r"(?:so\s+as\s+|in\s+order\s+)?to(?=\s+(?-i:[a-z])))\b",
    re.IGNORECASE,
)
# "cooperate fully with MONUC in this regard": what the paragraph said before
_COOPERATION_BACK = re.compile(
    _NAME_END + r"\s*,?\s+(?:in\s+(?:this|that|these)\s+(?:regard|respect|efforts?|"
    r"process|tasks?)|to\s+(?:this|that)\s+end|for\s+(?:this|that)\s+purpose)\b",
    re.IGNORECASE,
)
# ... or a verb of theirs coordinated with it: "cooperate fully with MONUA in providing full
# access for its verification activities and guarantee unconditionally the safety ..." (v8)
_PHRASE_END = re.compile(
    r"[;:]|\.\s|,\s+(?:and\s+)?to\s|\s+and\s+to\s|,?\s+and\s+(?:(?:immediately|fully|"
    r"unconditionally|also)\s+)?(?:guarantee|ensure|respect|refrain|comply|abide|allow|grant|"
    r"permit|desist|cease|implement|pursue|take|facilitate|provide)\b"
)
# the next of their own infinitives after the mission they cooperate with: "urges all parties
# ... to cooperate fully with UNOSOM II, to carry out the commitments ..." (v8)
_THEIR_NEXT_VERB = re.compile(_NAME_END + r"\s*,\s+(?:and\s+)?to\s+(?-i:[a-z])", re.IGNORECASE)
# the narrower form: others do the task and the mission helps them (PEMA: Assist; v6)
_SUPPORTED_BY = re.compile(
    r"(?:with\s+the\s+(?:\w+\s+)?(?:support|assistance|help)\s+of|(?:supported|assisted)\s+by)"
    r"\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# the mission watching what others are told to do: "demands that the parties ... return the
# police to barracks under UNAVEM III monitoring", "under the close supervision of UNPROFOR",
# "the cantonment process, supported and monitored by MINUSMA" (PEMA: Monitor; v6)
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
# the mandate of X named in a report, or as what the Council will reflect on ("for Council
# reflection on the future mandate of MONUC"; v6)
_REPORTING = re.compile(
    r"\b(?:reports?|reporting|informed|implementation|reflection)\b", re.IGNORECASE
)
# the mission, then what it shall do: "MINUSMA to", "UNMISS shall", "MONUSCO's civilian
# component to support"
# "to" must begin an infinitive ("UNAMIR to monitor"): not a preposition before a name or an
# article ("a new Special Representative to Angola", "UNMIH, appropriate to its expansion"; v4)
# "shall/will" then a verb that gives no task: "the Intervention Brigade will have a clear exit
# strategy", "shall terminate" (but "shall have the following mandate"; v6)
_NO_TASK = (
    r"(?!\s+(?:have(?!\s+(?:the\s+)?(?:following\s+)?(?:\w+\s+)?(?:mandates?|tasks?|objectives|responsibilit|functions|"
    r"authority))|terminate|expire|cease)\b)"
)
# what the Council states rather than asks: "Recognizes that ...", "Stresses that ..." (v8)
_STATES_THAT = re.compile(
    r"\b(?:recogni[sz]es|acknowledges|considers|believes|stresses|underlines|emphasi[sz]es|"
    r"notes|affirms|reaffirms|reiterates)\s+(?:also\s+|further\s+|again\s+)?that\b",
    re.IGNORECASE,
)
_ITS_MANDATE = re.compile(r"\b(?:this|its|the|whose)\s+mandate\b", re.IGNORECASE)
# "Decides that X" addresses the mission only if X is then to do something (v6)
_DECIDES_THAT = re.compile(r"\bdecides?[\s,]+(?:[\w'-]+[\s,]+){0,4}?that\s+(?:the\s+)?$", re.I)
_THEN_ACTS = re.compile(
    r"(?:'s)?(?:(?!\b(?:that|shall|will|should|may)\b)[^;:]){0,250}?\b(?:(?:shall|will|should|may)"
    + _NO_TASK
    + r"|is\s+(?:mandated|authori[sz]ed|requested))\b",
    re.IGNORECASE,
)
# the mission names a mandate whose renewal is explained, not given a task: "Emphasizes that
# this technical extension of the MONUC mandate is designed to allow time for further
# diplomatic activities in support of the Ceasefire Agreement" (v6)
_RENEWAL_PURPOSE = re.compile(
    r"(?:'s)?\s+mandate\s+(?:is|was|has\s+been)\s+(?:\w+\s+)?(?:designed|intended|meant|aimed)\b",
    re.IGNORECASE,
)
# a call the Council only restates: "Reaffirms its call upon MINUSTAH to support the
# constitutional and political process": the task is inherited, not given anew (v8)
_RESTATED = re.compile(
    r"\b(?:reaffirms|reiterates|recalls)\s+its\s+(?:\w+\s+)?(?:calls?|requests?)\s+"
    r"(?:(?:up)?on|to|that|for)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# the mission as the agent of a task named before it: "human rights principles shall ... form
# an integral part of training and capacity-building carried out by UNMISET", "the functions
# of good offices and mediation by the Mission" (v8)
_DONE_BY = re.compile(
    r"\b(?<!already\s)(?:carried\s+out|conducted|performed|exercised|good\s+offices|"
    r"mediation|functions)\s+by\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_ADDRESSED_BEFORE_TASK = re.compile(
    r"(?:'s)?[\s,]+(?:[\w'-]+[\s,]+){0,3}?(?:(?:shall|will|should)"
    + _NO_TASK
    + r"|to(?=\s+(?-i:[a-z]))"
    r"(?!\s+(?:the|a|an|all|any|its|their|his|her|this|that|these|those|each|such)\b)|may|"
    r"is\s+(?:mandated|authori[sz]ed|requested))\b",
    re.IGNORECASE,
)
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
# the mission itself secures: not "ensure" ("to ensure coordination", "ensure that ..."), a
# verb of any modality, nor the noun "the conduct of elections", nor "protect" in the
# human-rights formula "promote and protect" (Assist); but "provide security for" and "the
# security and protection of" (v5)
_SECURITY = re.compile(
    r"\b(?:(?<!promote\sand\s)protect(?:s|ing)?|secur(?:e|es|ing)|deter(?:s|ring)?|"
    r"neutrali[sz](?:e|es|ing)|disarm|carry(?:ing)?\s+out|conduct(?:s|ing)?(?!\s+of\b)|"
    r"prevent(?:s|ing)?|patrol(?:s|ling)?|escort(?:s|ing)?|guard(?:s|ing)?|clear(?:s|ing)?|"
    r"destroy(?:s|ing)?|seiz(?:e|es|ing)|"
    r"take\s+(?:all\s+)?(?:the\s+)?necessary\s+(?:action|measures|means)|"
    r"provid(?:e|es|ing)\s+(?:\w+\s+)?security|security\s+and\s+protection)\b",
    re.IGNORECASE,
)
STRENGTH_MARKERS = {
    "all necessary means": r"all\s+necessary\s+means",
    "all necessary measures": r"all\s+necessary\s+measures",
    "necessary action": r"(?:take\s+the\s+)?necessary\s+action",
    "robust": r"\brobust\w*",
    "neutralize": r"\bneutrali[sz]\w*",
    "targeted offensive operations": r"targeted\s+offensive\s+operations",
    "proactive": r"\bproactiv\w*",
    "use of force": r"\buse\s+of\s+force\b",
    "deter": r"\bdeter(?:s|ring|rence)?\b",
}
_STRENGTH = {name: re.compile(p, re.IGNORECASE) for name, p in STRENGTH_MARKERS.items()}
_CLAUSE_BREAK = re.compile(r"[;:]|\.\s")

# what the Council condemns or deplores describes what others did, not a task: "Strongly
# condemns ... rape and other sexual abuse of girls, and requests MINUSTAH to promote ..."
# (v4). The last act of the Council before the task words decides.
_CONDEMNING = re.compile(
    r"\b(?:condemns|deplores|expresses\s+(?:its\s+)?(?:\w+\s+)?(?:concern|alarm|outrage)|"
    r"notes\s+with\s+(?:\w+\s+)?concern)\b",
    re.IGNORECASE,
)
# tasks the mission hands over to others are not its own: "shall transfer ... to the UNCT
# appropriate tasks ..., including technical election support and demining support" (v6)
_HANDED_OVER = re.compile(
    r"\b(?:transfer\w*|hand(?:s|ed|ing)?\s+over|handover|hand-over)\b[^;,]{0,80}?\b(?:tasks|"
    r"responsibilities|functions|activities)\b[^;]{0,150}?\b(?:including|such\s+as|notably|namely|"
    r"in\s+particular)\b",
    re.IGNORECASE,
)
# a task word inside the name of an agreement ("the Lusaka Ceasefire Agreement", "the Abuja
# Ceasefire Agreement") is a name, not a task, unless a task verb governs the name: "monitor
# the implementation of the Ceasefire Agreement", "monitor compliance with the provisions of"
# (v6). Not "the parties to", "in accordance with", "referred to in Annex A of".
_NAME_HEAD = re.compile(r"(?:[A-Z][\w'’-]*\s+(?:(?:of|on|and|for|de|la)\s+)?){0,5}$")
_NAME_TAIL = re.compile(
    r"(?:[\s-]+(?:(?:of|on|and|for|the)\s+)?[A-Z][\w'’-]*){0,5}?\s+(?-i:Agreements?|Accords?|"
    r"Protocols?|Treaty|Plan)\b"
)
# ... or whose own last word names it: "consistent with national priorities, including the
# South Sudan Development Plan" (v8). Not a zone: "the Safe Demilitarized Border Zone" names
# the demilitarization the mission watches over.
_NAMED_THING = re.compile(r"\s(?-i:Plan)$")
_GOVERNS_NAME = re.compile(
    r"\b(?:monitor|verif|observ|supervis|investigat|implement|support|assist|facilitat|perform|"
    r"enforc|complian|compl(?:y|ies))\w*(?:[\s,]+(?:and|of|with|in|the|to|its|by|all|fully|"
    r"overall|provisions|functions|envisaged|under|implementation|observance|respect|"
    r"compliance|violations?|monitor\w*|verif\w*|investigat\w*|support\w*))*\s*$",
    re.IGNORECASE,
)
# nor is the subject of a report of the Secretary-General: "review the situation ..., based on a
# report by the Secretary-General on whether ... the peace process ..." (v7)
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
# nor is what it praises: "Commends the active role of the Special Representative ... to
# mediate between the parties", "Welcomes the continued efforts by the Secretary-General and
# his Special Representative to help promote and facilitate dialogue" (v6)
_PRAISING = re.compile(
    r"\b(?:commends|praises|applauds|pays\s+(?:\w+\s+)?tribute|expresses\s+(?:its\s+)?(?:\w+\s+)?"
    r"(?:appreciation|gratitude)|welcomes(?:,\s+in\s+th(?:is|at)\s+regard,)?\s+the\s+"
    r"(?:\w+\s+){0,2}?(?:efforts|role|work|contribution|commitment|engagement|activities))\b",
    re.IGNORECASE,
)
# the acts by which the Council asks someone to act, demands included ("demands that the
# parties ... under UNAVEM III monitoring")
_ACT_VERB = re.compile(_MANDATING_VERB.pattern + r"|\bdemands\b", re.IGNORECASE)
_ACT = re.compile(
    _CONDEMNING.pattern + "|" + _PRAISING.pattern + "|" + _COUNCIL_VERB.pattern, re.IGNORECASE
)


@dataclass(frozen=True)
class ResolutionCoding:
    """Everything the coder read from one resolution."""

    segmentation: Segmentation
    codes: tuple[Code, ...] = ()
    chapter_vii: ChapterVII | None = None
    targets: tuple[Target, ...] = field(default_factory=tuple)


class RuleCoder:
    """Rule-based coder with a spaCy-like life-cycle: ``initialize`` once, then ``predict``."""

    name = CODER

    def __init__(self) -> None:
        self._address: re.Pattern[str] | None = None
        self._acronyms: frozenset[str] = frozenset()
        self._designator_cache: tuple[str, tuple[list[tuple[int, int]], ...]] | None = None
        self._matcher = GroupMatcher(())

    def initialize(
        self, *, missions: Iterable[str], group_aliases: Iterable[tuple[str, str]] = ()
    ) -> RuleCoder:
        """Prepare the coder from the registry's mission acronyms and armed-group aliases."""
        named = (designator(m) for m in missions if m and m.strip())
        self._acronyms = frozenset(a for a in named if _ACRONYM.fullmatch(a))
        self._matcher = GroupMatcher(group_aliases)
        self._address = _GENERIC
        return self

    def predict(self, number: int, text: str | None) -> ResolutionCoding:
        """Code one resolution; never raises on bad text (see ``segmentation.error``)."""
        if self._address is None:
            raise RuntimeError("call RuleCoder.initialize(...) before predict()")
        seg = segment(number, text)
        if not seg.ok or text is None:
            return ResolutionCoding(seg)
        chapter = find_chapter_vii(seg, text)
        targets = tuple(find_targets(seg, text, self._matcher))
        return ResolutionCoding(seg, tuple(self._codes(seg, text)), chapter, targets)

    def _codes(self, seg: Segmentation, text: str) -> list[Code]:
        operative = {p.label: p for p in seg.operative()}
        own = own_text_spans(seg)
        addressee = {label: self._addressee(text, spans) for label, spans in own.items()}
        # the verb and strength markers of each paragraph's own text, read once: read again for
        # each of its sub-paragraphs, thousands of them cost quadratic time (#27)
        verbs: dict[str, str] = {}
        markers: dict[str, set[str]] = {}
        codes: list[Code] = []
        for label, paragraph in operative.items():
            chain = _ancestors(paragraph, operative)
            named = [addressee[p.label] for p in chain if addressee[p.label] is not None]
            if not named:
                continue
            top = chain[-1].label
            if top not in verbs:
                verbs[top] = _council_verb(text, own[top])
            verb = verbs[top]
            for p in chain:
                if p.label not in markers:
                    markers[p.label] = set(_strength(text, own[p.label]))
            strength = tuple(
                name for name in _STRENGTH if any(name in markers[p.label] for p in chain)
            )
            # the paragraph's own scope when it is addressed itself, else all of it (an item of
            # a list addressed above it)
            within = addressee[label][1] if addressee[label] is not None else own[label]
            codes.extend(
                # the mission of the paragraph a list belongs to: "Decides that UNOMIL shall have
                # the following mandate: ... (g) in cooperation with ECOMOG, coordinate ..."
                self._tasks(
                    seg.resolution, label, text, own[label], verb, strength, named[-1][0], within
                )
            )
        for paragraph in seg.paragraphs:
            if paragraph.kind != "preamble":
                continue
            span = [(paragraph.start, paragraph.end)]
            urged = self._urged_in_preamble(text, paragraph.start, paragraph.end)
            if urged is not None:
                mission, verb = urged
                strength = _strength(text, span)
                number, label = seg.resolution, paragraph.label
                codes.extend(self._tasks(number, label, text, span, verb, strength, mission))
        return codes

    def _urged_in_preamble(self, text: str, start: int, end: int) -> tuple[str, str] | None:
        """The mission a preambular paragraph urges or asks to act, and the Council's verb.

        "..., and urging UNISFA to take measures as necessary to ensure security in the Abyei
        Area" gives ("UNISFA", "urges"), so its tasks are ``Encouraged`` as in an operative
        paragraph (v7). None when the paragraph asks no mission to act.
        """
        if not _PARTICIPLE.search(text, start, end):
            return None  # most preambles ask nothing of anyone: skip the designator scan
        for ds, de in self._designators(text, start, end):
            asking = _PARTICIPLE_TO.search(text, max(start, ds - 60), ds)
            if asking and _ADDRESSED_BEFORE_TASK.match(text, de, min(end, de + 60)):
                mission = text[ds:de] if text[ds:de] in self._acronyms else ""
                return mission, _FINITE[_verb(asking.group("verb"))]
        return None

    def _addressee(
        self, text: str, spans: list[tuple[int, int]]
    ) -> tuple[str, list[tuple[int, int]]] | None:
        """The mission a paragraph gives something to do, and where its tasks are (v7).

        Its acronym ("" for a generic designator such as "the Mission") and the spans to
        code: the paragraph's own text, or only what others are told to cooperate with the
        mission in (_COOPERATE_WITH). None when the paragraph addresses no mission.
        """
        cooperation: list[tuple[int, int]] = []
        mission = None
        for start, end in spans:
            for ds, de in self._designators(text, start, end):
                name = text[ds:de] if text[ds:de] in self._acronyms else ""
                cooperate = _COOPERATE_WITH.search(text, max(start, ds - 80), ds)
                told = cooperate and not cooperate.group(0).lower().startswith("cooperation")
                if told and _THEIR_NEXT_VERB.match(text, de, end):
                    continue  # "to cooperate fully with UNOSOM II, to carry out ...": theirs
                if self._addresses_at(text, start, end, ds, de):
                    return name, spans
                if cooperate:
                    if _COOPERATION_BACK.match(text, de, end):
                        return name, spans
                    complement = _COOPERATION_IN.match(text, de, end)
                    if complement:
                        stop = _PHRASE_END.search(text, complement.end(), end)
                        cooperation.append((de, stop.start() if stop else end))
                        mission = name if mission is None else mission
        return (mission, cooperation) if cooperation and mission is not None else None

    def _addresses_at(self, text: str, start: int, end: int, ds: int, de: int) -> bool:
        """True when the designator text[ds:de] is given something to do (see module docs)."""
        before = text[max(start, ds - 80) : ds]
        if _RESTATED.search(before):
            return False  # a restated call: the mission's tasks are inherited
        after = text[de : min(end, de + 60)]
        if _ADDRESSED_BEFORE_TASK.match(after) and not _RENEWAL_PURPOSE.match(after):
            return True
        if _ADDRESSED_AFTER_VERB.search(before) and (
            not _DECIDES_THAT.search(before) or _THEN_ACTS.match(text, de, min(end, de + 300))
        ):
            return True
        if _MANDATE_OF.search(before) and not _REPORTING.search(before):
            return True
        if _DONE_BY.search(before):
            return True
        if _ESTABLISHES.search(before) or _GIVEN_MANDATE.match(text, de, end):
            return True
        if _FUNCTIONS_LISTED.match(text, de, min(len(text), de + 200)):
            return True
        return bool(_ALONGSIDE.search(before) or self._watches(text, start, ds, de, end))

    @staticmethod
    def _watches(text: str, start: int, ds: int, de: int, end: int) -> bool:
        """True when the mission at text[ds:de] is to watch what others do (_WATCHED_BY)."""
        before = text[max(start, ds - 80) : ds]
        if _WATCHED_BY.search(before):
            return True
        return bool(_UNDER_THE_WATCH.search(before) and _WATCHING.match(text, de, end))

    def _alongside(self, text: str, start: int, end: int) -> list[list[tuple[int, str]]]:
        """Where missions help or watch others, with that modality.

        "with the support of MONUSCO": Assist; "under UNAVEM III monitoring": Monitor. One
        list per kind of designator, in the order :meth:`_designators` reads them, each in
        text order (so that :func:`_helps_others` can bisect them; #27).
        """
        found: list[list[tuple[int, str]]] = []
        for kind in self._designators_of(text):
            found.append([])
            for i in range(bisect_left(kind, (start, start)), len(kind)):
                ds, de = kind[i]
                if ds >= end:
                    break
                if de > end:
                    continue
                if self._watches(text, start, ds, de, end):
                    found[-1].append((ds, "Monitor"))
                elif _SUPPORTED_BY.search(text[max(start, ds - 80) : ds]):
                    found[-1].append((ds, "Assist"))
        return found

    def _acts(self, text: str, start: int, end: int) -> _Acts:
        """The acts of the Council in text[start:end] (see :class:`_Acts`)."""
        acts = _Acts([], [], [], [], {})
        found = list(_ACT.finditer(text, start, end))
        if not found:
            return acts
        designators = sorted(ds for ds, _ in self._designators(text, found[0].end(), end))
        for m in found:
            acts.ends.append(m.end())
            said = m.group(0)
            acts.condemning.append(bool(_CONDEMNING.fullmatch(said) or _PRAISING.fullmatch(said)))
            acts.verbs.append(_verb(m.group(0)))
            near = designators[
                bisect_left(designators, m.end()) : bisect_right(designators, m.end() + 80)
            ]
            acts.to_mission.append(any(_TO_ADDRESSEE.fullmatch(text, m.end(), ds) for ds in near))
        return acts

    def _asked_of_others(self, acts: _Acts, at: int, text: str, clause_end: int) -> bool:
        """True when the Council's last act before ``at`` asks others, the mission unnamed.

        "Endorses the decision ... to instruct MONUA to adjust its deployment ..., and demands
        that the Government of Angola and in particular UNITA guarantee ... the safety ... of
        ... humanitarian personnel": the guarantee is theirs, not MONUA's (v7). The mission
        named after that act (helping, watched, cooperated with) keeps the task.
        """
        last = _last_act(acts, at, _ACT_VERB)
        if last is None or acts.to_mission[last]:
            return False
        return next(self._designators(text, acts.ends[last], clause_end), None) is None

    def _stated(self, acts: _Acts, scan: _SpanScans, text: str, at: int) -> bool:
        """True when the words at ``at`` are in what the Council states, not asks (v8).

        "Recognizes that ... a stable political environment is crucial for ... recovery and
        reconstruction efforts, reaffirms its call upon MINUSTAH to ...": the efforts are no
        task. A mission named after the statement ("Stresses that UNMISS shall ...") or a
        later request keeps its tasks.
        """
        stated = scan.statements.last_before(at)
        if stated is None:
            return False
        asked = _last_act(acts, at, _MANDATING_VERB)
        if asked is not None and acts.ends[asked] > stated.end():
            return False
        if scan.its_mandate.any_between(stated.end(), at):
            return False  # "stresses that this mandate includes the protection of refugees"
        return next(self._designators(text, stated.end(), at), None) is None

    def _designators(self, text: str, start: int, end: int) -> Iterable[tuple[int, int]]:
        """The designators inside text[start:end], in the order the addressing rules read them.

        Mission acronyms, then generic ones ("the Mission"), then short forms ("the
        Authority"), each in text order.
        """
        for kind in self._designators_of(text):
            # by index: a slice of the list would copy the rest of it for every call (#27)
            for i in range(bisect_left(kind, (start, start)), len(kind)):
                ds, de = kind[i]
                if ds >= end:
                    break
                if de <= end:
                    yield ds, de

    def _designators_of(self, text: str) -> tuple[list[tuple[int, int]], ...]:
        """Every designator of a text, found once per text (the paragraphs' scans share it)."""
        cached = self._designator_cache
        if cached is None or cached[0] is not text:
            names = self._acronyms
            acronyms = [m.span() for m in _CAPITALISED.finditer(text) if m.group(0) in names]
            generic = [m.span() for m in _GENERIC.finditer(text)]
            short = _short_form(text)
            forms = [m.span() for m in short.finditer(text)] if short is not None else []
            cached = self._designator_cache = (text, (acronyms, generic, forms))
        return cached[1]

    def _tasks(
        self,
        number: int,
        label: str,
        text: str,
        spans: list[tuple[int, int]],
        verb: str,
        strength: tuple[str, ...],
        mission: str = "",
        within: list[tuple[int, int]] | None = None,
    ) -> Iterable[Code]:
        """The codes of one paragraph's own text (``spans``), task words only ``within``."""
        seen: set[tuple[str, str]] = set()
        within = spans if within is None else within
        words = _all_required_literals()
        span_words = []  # each span with the required words it contains (see _task_patterns)
        for start, end in spans:
            low = text[start:end].lower()
            span_words.append((start, end, {w for w in words if w in low}))
        acts: dict[int, _Acts] = {}  # by span start, read when a task word is found
        helping: dict[int, list[list[tuple[int, str]]]] = {}  # by span start: see _alongside
        scans: dict[int, _SpanScans] = {}  # by span start, built with its acts (#27)
        names = sorted(
            (m.start(), m.end())
            for start, end in spans
            for m in _PROPER_NAME.finditer(text, start, end)
            if designator(m.group("acronym")) in self._acronyms
        )
        # (names do not overlap: each span's are found by one scan, and spans do not overlap)
        name_ends = [ne for _, ne in names]
        inside = Ranges(within)
        patterns = _task_patterns()
        for index in _candidates(span_words):
            task, pattern, excludes, needles = patterns[index]
            for start, end, present in span_words:
                if needles and needles.isdisjoint(present):
                    continue  # the pattern cannot match without one of its literal words
                for match in pattern.finditer(text, start, end):
                    at = match.start()
                    if not inside.contain(at):
                        continue  # what others do besides cooperating with the mission
                    first = bisect_right(name_ends, at)
                    if first < len(names) and names[first][0] < match.end():
                        continue  # words of a mission's name
                    if start not in acts:
                        acts[start] = self._acts(text, start, end)
                        scans[start] = _SpanScans(text, start, end)
                    scan = scans[start]
                    if _condemned(acts[start], at):
                        continue  # what the Council condemns is not a task
                    if scan.handed_over.any_between(_act_end(acts[start], at, start), at):
                        continue  # a task the mission hands over to others
                    if self._stated(acts[start], scan, text, at):
                        continue  # "Recognizes that ... reconstruction efforts can progress"
                    clause_start, clause_end = scan.clause(at)
                    clause = scan.clause_scans(clause_start, clause_end)
                    if clause.excluded(excludes):
                        continue
                    if task.exclude_words and inside_excluded_words(
                        task, text, match.start(), match.end()
                    ):
                        continue  # "troop- and police-contributing": not the host's police
                    if _agreement_name(text, match.start(), match.end(), clause_start):
                        continue  # "the Lusaka Ceasefire Agreement": a name, not a task
                    if _report_topic(clause, text, at):
                        continue  # what a report of the Secretary-General is to be about
                    if self._asked_of_others(acts[start], match.start(), text, clause_end):
                        continue  # "..., and demands that the Government ... guarantee ..."
                    governing = _governing_verb(acts[start], match.start(), verb)
                    modality = _modality(clause, at, governing, task.modality)
                    if start not in helping:
                        helping[start] = self._alongside(text, start, end)
                    # others' task "with the support of" / "under the monitoring of" the mission
                    modality = _helps_others(
                        acts[start], match.start(), helping[start], (clause_start, clause_end),
                        modality,
                    )  # fmt: skip
                    if (task.stem, modality) in seen:
                        continue
                    seen.add((task.stem, modality))
                    yield Code(
                        number,
                        label,
                        task.stem,
                        modality,
                        verb,
                        strength,
                        match.start(),
                        match.end(),
                        match.group(0),
                        CODER,
                        mission or None,
                    )


def _short_form(text: str) -> re.Pattern[str] | None:
    """The short forms ("the Authority") of the UN authorities the text names (_UN_AUTHORITY)."""
    kinds = sorted({m.group("kind") for m in _UN_AUTHORITY.finditer(text)})
    return re.compile(rf"\bthe\s+(?:{'|'.join(kinds)})\b") if kinds else None


@cache
def _task_patterns() -> tuple[
    tuple[Task, re.Pattern[str], list[re.Pattern[str]], frozenset[str]], ...
]:
    """(task, pattern, exclusions, required words) for every pattern of every task.

    The required words are literal runs the pattern cannot match without (any one of them);
    checking them with ``in`` first skips most regex scans. See :func:`required_literals`.
    """
    out = []
    for task in TASKS:
        patterns, excludes = compiled(task)
        for pattern in patterns:
            out.append((task, pattern, excludes, required_literals(pattern.pattern)))
    return tuple(out)


@cache
def _patterns_by_word() -> tuple[dict[str, list[int]], list[int]]:
    """Which task patterns each required word allows, and the patterns that need none.

    See :func:`_task_patterns`; the patterns without required words are always tried.
    """
    by_word: dict[str, list[int]] = {}
    always = []
    for index, (*_, needles) in enumerate(_task_patterns()):
        if not needles:
            always.append(index)
        for word in needles:
            by_word.setdefault(word, []).append(index)
    return by_word, always


def _candidates(span_words: list[tuple[int, int, set[str]]]) -> list[int]:
    """The patterns that can match one of the spans, in the order of :func:`_task_patterns`.

    That is the order the codes are given in, so the codes and their content hash do not change.
    """
    by_word, always = _patterns_by_word()
    found = set(always)
    for *_, present in span_words:
        for word in present:
            found.update(by_word[word])
    return sorted(found)


@cache
def _all_required_literals() -> frozenset[str]:
    """Every required word of every task pattern (one scan of a span finds them all)."""
    return frozenset().union(*(needles for *_, needles in _task_patterns()))


def required_literals(pattern: str) -> frozenset[str]:
    """Lower-case words of which any match of ``pattern`` contains at least one (or none known).

    Reads the parsed pattern: a run of three or more literal characters in the main sequence
    is required; so is, for a group or an alternation, the union of its branches' required
    runs when every branch has one. An empty set means "no safe shortcut".
    """
    try:
        parsed = _sre_parser.parse(pattern, re.IGNORECASE)
    except re.error:
        return frozenset()
    return frozenset(_required(parsed) or ())


def _required(items: object) -> set[str] | None:
    best: set[str] | None = None
    run: list[str] = []

    def consider(candidate: set[str] | None) -> None:
        nonlocal best
        if candidate and (best is None or min(map(len, candidate)) > min(map(len, best))):
            best = candidate

    def flush() -> None:
        if len(run) >= 3:
            consider({"".join(run).lower()})
        run.clear()

    for op, av in items:
        if op is _sre.LITERAL:
            run.append(chr(av))
            continue
        flush()
        if op is _sre.SUBPATTERN:
            consider(_required(av[-1]))
        elif op is _sre.BRANCH:
            branches = [_required(b) for b in av[1]]
            if all(branches):
                consider(set().union(*branches))
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and av[0] >= 1:
            consider(_required(av[2]))
    flush()
    return best


class _Acts(NamedTuple):
    """The acts of the Council in a paragraph's own text, in order.

    For each: where its words end, whether it condemns, its verb, and whether it addresses a
    mission ("calls upon MINUSTAH", not "calls upon the parties").
    """

    ends: list[int]
    condemning: list[bool]
    verbs: list[str]
    to_mission: list[bool]
    #: for a pattern of verbs, the index of the last act up to each act with such a verb
    #: (see _last_act; #27)
    latest: dict[re.Pattern[str], list[int | None]]


def _condemned(acts: _Acts, at: int) -> bool:
    """True when the last act of the Council that ends before ``at`` condemns (see _acts)."""
    last = bisect_right(acts.ends, at) - 1
    return last >= 0 and acts.condemning[last]


def _act_end(acts: _Acts, at: int, default: int) -> int:
    """Where the Council's last act before ``at`` ends (``default`` if none)."""
    last = bisect_right(acts.ends, at) - 1
    return acts.ends[last] if last >= 0 else default


def _agreement_name(text: str, at: int, end: int, clause_start: int) -> bool:
    """True when text[at:end] is part of an agreement's name no task verb governs (see above)."""
    if not text[at : at + 1].isupper():
        return False
    if not (_NAME_TAIL.match(text, end, end + 80) or _NAMED_THING.search(text, at, end)):
        return False
    head = _NAME_HEAD.search(text, max(clause_start, at - 60), at)
    name_start = head.start() if head else at
    return not _GOVERNS_NAME.search(text, max(clause_start, name_start - 120), name_start)


def _helps_others(
    acts: _Acts,
    at: int,
    alongside: list[list[tuple[int, str]]],
    clause: tuple[int, int],
    modality: str,
) -> str:
    """The modality of a task given to others whom the mission helps or watches.

    Applies when the Council's last act before ``at`` addresses others and the mission helps
    or watches them in the same clause: "Encourages the Government ... to
    implement, with the support of MONUSCO, the action plan to prevent ..." is the mission's
    to Assist, "demands that ... under UNAVEM III monitoring" to Monitor (v6).
    """
    # with no act of the Council here (an item of a list it declares), the mission's role in
    # the whole clause decides: "the withdrawal of ... units ... to be monitored by United
    # Nations military observers" is the observers' to Monitor
    after, clause_end = clause
    last = _last_act(acts, at, _ACT_VERB)
    if last is not None:
        if acts.to_mission[last]:
            return modality
        after = acts.ends[last]
    for kind in alongside:
        i = bisect_left(kind, (after, ""))
        if i < len(kind) and kind[i][0] < clause_end:
            return kind[i][1]
    return modality


def _governing_verb(acts: _Acts, at: int, default: str) -> str:
    """The verb of the Council's last act before ``at`` in this paragraph, else ``default``.

    "Welcomes the contribution by MINUSTAH ..., and calls upon MINUSTAH ... to strengthen
    State institutions": the task is called for, not welcomed (v5).
    """
    last = _last_act(acts, at, _MANDATING_VERB)
    if last is None:
        return default
    # encouraging others ("calls upon the parties ..., in cooperation with UNMOP") is no
    # encouragement of the mission: its own verbs decide the modality
    verb = acts.verbs[last]
    return verb if acts.to_mission[last] or verb not in _ENCOURAGING else ""


def _last_act(acts: _Acts, at: int, verbs: re.Pattern[str]) -> int | None:
    """The index of the Council's last act before ``at`` whose verb is one of ``verbs``."""
    last = bisect_right(acts.ends, at) - 1
    if last < 0:
        return None
    table = acts.latest.get(verbs)
    if table is None:
        # found once per paragraph, not by walking back from every task word (#27)
        table, found = [], None
        for i, said in enumerate(acts.verbs):
            found = i if verbs.fullmatch(said) else found
            table.append(found)
        acts.latest[verbs] = table
    return table[last]


def _verb(words: str) -> str:
    return re.sub(r"\s+", " ", words.lower()).replace("authorises", "authorizes")


def _ancestors(paragraph: Paragraph, by_label: dict[str, Paragraph]) -> list[Paragraph]:
    """The paragraph, then its parent, ..., up to the top-level paragraph."""
    chain = [paragraph]
    while chain[-1].parent and chain[-1].parent in by_label:
        chain.append(by_label[chain[-1].parent])
    return chain


def _council_verb(text: str, spans: list[tuple[int, int]]) -> str:
    for start, end in spans:
        match = _COUNCIL_VERB.search(text, start, min(end, start + 200))
        if match:
            return _verb(match.group(1))
    return ""


def _strength(text: str, spans: list[tuple[int, int]]) -> tuple[str, ...]:
    found = [name for name, rx in _STRENGTH.items() if any(rx.search(text, s, e) for s, e in spans)]
    return tuple(found)


def _modality(clause: _Clause, at: int, verb: str, default: str | None) -> str:
    """PEMA modality from the Council's verb and the action verbs before the task words.

    The action verbs are read in the clause before ``at``: the last one decides (ties go to
    the first kind).
    """
    if verb in _ENCOURAGING:
        return "Encouraged"
    best, best_at = None, -1
    for name, scan in clause.actions:
        last = scan.last_before(at - clause.start)
        if last is not None and last.start() > best_at:
            best, best_at = name, last.start()
    return best or default or "Assist"


def _report_topic(clause: _Clause, text: str, at: int) -> bool:
    """``_REPORT_TOPIC.search(text, clause.start, at)``: the words at ``at`` are a report's topic.

    That is: words opening a topic ("report of the Secretary-General on") end after the last
    act that closes one ("and requests") before ``at``; the clause has no ";". Read from the
    matches of both in the clause (:mod:`~peaceops.coding.scan`), not by trying the pattern
    from every offset of the clause to ``at`` for every task word (#27).
    """
    closed = clause.report_closed.last_before(at)
    last_closed = closed.start() if closed is not None else -1
    # an opening that starts before this ends by the last closing (an opening reads < TAIL)
    low = max(clause.start, last_closed + 1 - TAIL)
    cut = at - TAIL
    for opens in clause.report_on.between(low, cut):
        if opens > last_closed:
            return True
        longest = _REPORT_ON_LONGEST.match(text, opens, at)
        if longest is not None and longest.end() > last_closed:
            return True
    # near ``at``, where cutting the text there can change the opening words: as before
    return _REPORT_TOPIC.search(text, max(low, cut), at) is not None


class _SpanScans:
    """What the rules read of one span of a paragraph, each scanned once (#27).

    Built when the span's first task word is found; the clause breaks, the statements ("Stresses
    that"), "its mandate" and hand-overs of the span, and its clauses (:class:`_Clause`).
    """

    def __init__(self, text: str, start: int, end: int) -> None:
        self._text, self._start, self._end = text, start, end
        self._clauses: dict[tuple[int, int], _Clause] = {}

    @cached_property
    def _breaks(self) -> Scan:
        return Scan(_CLAUSE_BREAK, self._text, self._start, self._end)

    @cached_property
    def statements(self) -> Scan:
        """``_STATES_THAT`` in the span."""
        return Scan(_STATES_THAT, self._text, self._start, self._end)

    @cached_property
    def its_mandate(self) -> Starts:
        """``_ITS_MANDATE`` in the span."""
        return Starts(_ITS_MANDATE, self._text, self._start, self._end)

    @cached_property
    def handed_over(self) -> Starts:
        """``_HANDED_OVER`` in the span."""
        return Starts(_HANDED_OVER, self._text, self._start, self._end)

    def clause(self, at: int) -> tuple[int, int]:
        """Bounds of the clause around offset ``at`` (between ; : or sentence ends)."""
        left = self._breaks.last_before(at)
        right = self._breaks.first_from(at)
        return (
            left.end() if left is not None else self._start,
            right.start() if right is not None else self._end,
        )

    def clause_scans(self, start: int, end: int) -> _Clause:
        """The clause text[start:end], scanned once for all its task words."""
        clause = self._clauses.get((start, end))
        if clause is None:
            clause = self._clauses[start, end] = _Clause(self._text, start, end)
        return clause


class _Clause:
    """One clause of a span, with what the rules read of it, each found once (#27)."""

    def __init__(self, text: str, start: int, end: int) -> None:
        self.start, self.end = start, end
        self._full = text
        self.text = text[start:end]
        self._excluded: dict[int, bool] = {}

    def excluded(self, excludes: list[re.Pattern[str]]) -> bool:
        """True when one of a task's exclusions matches in the clause."""
        key = id(excludes)  # the lists of _task_patterns, cached for the process
        found = self._excluded.get(key)
        if found is None:
            found = self._excluded[key] = any(x.search(self.text) for x in excludes)
        return found

    @cached_property
    def actions(self) -> tuple[tuple[str, Scan], ...]:
        """The action verbs of each modality in the clause (as read by :func:`_modality`)."""
        size = len(self.text)
        return tuple(
            (name, Scan(rx, self.text, 0, size))
            for name, rx in (("Monitor", _MONITOR), ("Assist", _ASSIST), ("Security", _SECURITY))
        )

    @cached_property
    def report_closed(self) -> Scan:
        """The Council's acts that close a report's topic (``_REPORT_STOP``)."""
        return Scan(_REPORT_CLOSED, self._full, self.start, self.end)

    @cached_property
    def report_on(self) -> Starts:
        """Every offset where words open a report's topic (``_REPORT_ON``)."""
        return Starts(_REPORT_ON_ANY, self._full, self.start, self.end)
