"""What the coder's rules read of a resolution, each part found once, and the shared patterns.

Data flow: the coder (:mod:`peaceops.coding.coder`) makes one :class:`Reading` per text (the
designators of its missions, found once by the ``designator`` rules), one :class:`Passage` per
paragraph it codes, one :class:`SpanScans` per span of that paragraph's own text (the
Council's acts in it, :class:`Acts`; its clause breaks) and, for every task word it finds, a
:class:`Site` that the ``scope`` and ``modality`` rules read. Each object keeps what a rule has
read of it in ``memo`` (keyed by the rule's name), so a second task word in the same span or
clause does not re-scan the text (#27: a look-back from every task word is quadratic).

The patterns here are the Council's acts and how a mission is addressed after them, which the
``address``, ``scope`` and ``modality`` rules share.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Sequence
from functools import cached_property
from typing import Any, NamedTuple

from peaceops.coding.scan import Scan
from peaceops.coding.taxonomy import Task

#: a designator finder: (text, the registry's mission acronyms) -> spans in text order
Finder = Callable[[str, frozenset[str]], list[tuple[int, int]]]

COUNCIL_VERB = re.compile(
    r"\b(decides?|authori[sz]es|requests|mandates|directs|instructs|calls\s+(?:up)?on|"
    r"encourages|urges|invites|underlines|emphasi[sz]es|stresses|reiterates|affirms|"
    r"reaffirms|welcomes|notes|expresses|demands|endorses|approves|agrees)\b",
    re.IGNORECASE,
)
ENCOURAGING = frozenset({"encourages", "calls upon", "calls on", "urges", "invites"})
# the verbs by which the Council gives tasks (not "welcomes", "notes", "stresses", ...)
MANDATING_VERB = re.compile(
    r"\b(decides?|authori[sz]es|requests|mandates|directs|instructs|calls\s+(?:up)?on|"
    r"encourages|urges|invites|approves|endorses)\b",
    re.IGNORECASE,
)
# between a Council verb and the mission it addresses: "calls upon MINUSTAH", "encourages,
# in this regard, the Mission"
TO_ADDRESSEE = re.compile(r"[\s,]+(?:[\w'-]+[\s,]+){0,4}?(?:that\s+)?(?:the\s+)?", re.IGNORECASE)
# a Council verb, a few words, then the mission: "Requests MONUSCO", "Decides that UNAMSIL",
# "Authorizes the Mission, through its military component, ..."
ADDRESSED_AFTER_VERB = re.compile(
    MANDATING_VERB.pattern + TO_ADDRESSEE.pattern + "$", re.IGNORECASE
)
# what may follow a designator before the words about it: "UNOSOM II", "UNTAC's" (v7)
NAME_END = r"(?:'s)?(?:\s+[IVX]+\b)?"
# "shall/will" then a verb that gives no task: "the Intervention Brigade will have a clear exit
# strategy", "shall terminate" (but "shall have the following mandate"; v6)
NO_TASK = (
    r"(?!\s+(?:have(?!\s+(?:the\s+)?(?:following\s+)?(?:\w+\s+)?(?:mandates?|tasks?|objectives|responsibilit|functions|"
    r"authority))|terminate|expire|cease)\b)"
)
# the mission, then what it shall do: "MINUSMA to", "UNMISS shall", "MONUSCO's civilian
# component to support". "to" must begin an infinitive ("UNAMIR to monitor"): not a
# preposition before a name or an article ("a new Special Representative to Angola", "UNMIH,
# appropriate to its expansion"; v4)
ADDRESSED_BEFORE_TASK = re.compile(
    r"(?:'s)?[\s,]+(?:[\w'-]+[\s,]+){0,3}?(?:(?:shall|will|should)"
    + NO_TASK
    + r"|to(?=\s+(?-i:[a-z]))"
    r"(?!\s+(?:the|a|an|all|any|its|their|his|her|this|that|these|those|each|such)\b)|may|"
    r"is\s+(?:mandated|authori[sz]ed|requested))\b",
    re.IGNORECASE,
)
# what the Council condemns or deplores describes what others did, not a task (v4)
CONDEMNING = re.compile(
    r"\b(?:condemns|deplores|expresses\s+(?:its\s+)?(?:\w+\s+)?(?:concern|alarm|outrage)|"
    r"notes\s+with\s+(?:\w+\s+)?concern)\b",
    re.IGNORECASE,
)
# what it praises: "Commends the active role of the Special Representative ... to mediate" (v6)
PRAISING = re.compile(
    r"\b(?:commends|praises|applauds|pays\s+(?:\w+\s+)?tribute|expresses\s+(?:its\s+)?(?:\w+\s+)?"
    r"(?:appreciation|gratitude)|welcomes(?:,\s+in\s+th(?:is|at)\s+regard,)?\s+the\s+"
    r"(?:\w+\s+){0,2}?(?:efforts|role|work|contribution|commitment|engagement|activities))\b",
    re.IGNORECASE,
)
# the acts by which the Council asks someone to act, demands included ("demands that the
# parties ... under UNAVEM III monitoring")
ACT_VERB = re.compile(MANDATING_VERB.pattern + r"|\bdemands\b", re.IGNORECASE)
_ACT = re.compile(
    CONDEMNING.pattern + "|" + PRAISING.pattern + "|" + COUNCIL_VERB.pattern, re.IGNORECASE
)
_CLAUSE_BREAK = re.compile(r"[;:]|\.\s")


def verb(words: str) -> str:
    """A Council verb as the codes record it: lower case, one space, "authorizes"."""
    return re.sub(r"\s+", " ", words.lower()).replace("authorises", "authorizes")


class Reading:
    """One text and the designators of missions in it, found once (the paragraphs share them).

    ``kinds`` holds one list of spans per ``designator`` rule, in the rule set's order.
    """

    __slots__ = ("acronyms", "kinds", "text")

    def __init__(self, text: str, finders: Sequence[Finder], acronyms: frozenset[str]) -> None:
        self.text, self.acronyms = text, acronyms
        self.kinds = tuple(find(text, acronyms) for find in finders)

    def designators(self, start: int, end: int) -> Iterator[tuple[int, int]]:
        """The designators inside text[start:end]: of each kind in turn, each in text order."""
        for kind in self.kinds:
            # by index: a slice of the list would copy the rest of it for every call (#27)
            for i in range(bisect_left(kind, (start, start)), len(kind)):
                ds, de = kind[i]
                if ds >= end:
                    break
                if de <= end:
                    yield ds, de


class Acts(NamedTuple):
    """The acts of the Council in a paragraph's own text, in order.

    For each: where its words end, whether it condemns, whether it praises, its verb, and whether it
    addresses a mission ("calls upon MINUSTAH", not "calls upon the parties").
    """

    ends: list[int]
    condemning: list[bool]
    praising: list[bool]
    verbs: list[str]
    to_mission: list[bool]
    #: for a pattern of verbs, the index of the last act up to each act with such a verb
    #: (see last_act; #27)
    latest: dict[re.Pattern[str], list[int | None]]


def last_act(acts: Acts, at: int, verbs: re.Pattern[str]) -> int | None:
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


def act_end(acts: Acts, at: int, default: int) -> int:
    """Where the Council's last act before ``at`` ends (``default`` if none)."""
    last = bisect_right(acts.ends, at) - 1
    return acts.ends[last] if last >= 0 else default


class Passage:
    """The own text of one paragraph the coder reads for tasks: its spans, and a memo."""

    __slots__ = ("memo", "reading", "spans")

    def __init__(self, reading: Reading, spans: list[tuple[int, int]]) -> None:
        self.reading, self.spans = reading, spans
        self.memo: dict[str, Any] = {}


class SpanScans:
    """What the rules read of one span of a paragraph, each scanned once (#27).

    Built when the span's first task word is found: the Council's acts (:attr:`acts`), the
    clause breaks and the clauses (:class:`Clause`); rules keep what else they read in
    ``memo``.
    """

    def __init__(self, reading: Reading, start: int, end: int) -> None:
        self.reading = reading
        self.text, self.start, self.end = reading.text, start, end
        self._clauses: dict[tuple[int, int], Clause] = {}
        self.memo: dict[str, Any] = {}

    @cached_property
    def acts(self) -> Acts:
        """The acts of the Council in the span (see :class:`Acts`)."""
        text, start, end = self.text, self.start, self.end
        acts = Acts([], [], [], [], [], {})
        found = list(_ACT.finditer(text, start, end))
        if not found:
            return acts
        designators = sorted(ds for ds, _ in self.reading.designators(found[0].end(), end))
        for m in found:
            acts.ends.append(m.end())
            said = m.group(0)
            acts.condemning.append(CONDEMNING.fullmatch(said) is not None)
            acts.praising.append(PRAISING.fullmatch(said) is not None)
            acts.verbs.append(verb(said))
            near = designators[
                bisect_left(designators, m.end()) : bisect_right(designators, m.end() + 80)
            ]
            acts.to_mission.append(any(TO_ADDRESSEE.fullmatch(text, m.end(), ds) for ds in near))
        return acts

    @cached_property
    def _breaks(self) -> Scan:
        return Scan(_CLAUSE_BREAK, self.text, self.start, self.end)

    def clause(self, at: int) -> tuple[int, int]:
        """Bounds of the clause around offset ``at`` (between ; : or sentence ends)."""
        left = self._breaks.last_before(at)
        right = self._breaks.first_from(at)
        return (
            left.end() if left is not None else self.start,
            right.start() if right is not None else self.end,
        )

    def clause_scans(self, start: int, end: int) -> Clause:
        """The clause text[start:end], scanned once for all its task words."""
        clause = self._clauses.get((start, end))
        if clause is None:
            clause = self._clauses[start, end] = Clause(self.text, start, end)
        return clause


class Clause:
    """One clause of a span; rules keep what they read of it in ``memo`` (#27)."""

    __slots__ = ("_excluded", "end", "full", "memo", "start", "text")

    def __init__(self, text: str, start: int, end: int) -> None:
        self.start, self.end = start, end
        self.full = text
        self.text = text[start:end]
        self._excluded: dict[int, bool] = {}
        self.memo: dict[str, Any] = {}

    def excluded(self, excludes: list[re.Pattern[str]]) -> bool:
        """True when one of a task's exclusions matches in the clause."""
        key = id(excludes)  # the lists of the task patterns, cached for the process
        found = self._excluded.get(key)
        if found is None:
            found = self._excluded[key] = any(x.search(self.text) for x in excludes)
        return found


class Site:
    """One task word found in a span: what the ``scope`` and ``modality`` rules read.

    Attributes:
        passage, span: the paragraph and the span the words are in.
        match: the task pattern's match (``at``/``stop`` its bounds).
        task, excludes: the task and its exclusions.
    """

    __slots__ = ("_clause", "at", "excludes", "match", "passage", "span", "stop", "task", "text")

    def __init__(
        self,
        passage: Passage,
        span: SpanScans,
        match: re.Match[str],
        task: Task,
        excludes: list[re.Pattern[str]],
    ) -> None:
        self.passage, self.span, self.match = passage, span, match
        self.text = span.text
        self.at, self.stop = match.span()
        self.task, self.excludes = task, excludes
        self._clause: Clause | None = None

    @property
    def clause(self) -> Clause:
        """The clause around the words (between ; : or sentence ends)."""
        if self._clause is None:
            start, end = self.span.clause(self.at)
            self._clause = self.span.clause_scans(start, end)
        return self._clause
