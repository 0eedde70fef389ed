"""Armed groups that operative paragraphs target, kept apart from condemning or sanctioning them.

Data flow: :class:`GroupMatcher` is built once from the registry's ``actor_aliases`` (armed
groups only) and finds every named group in a text. :func:`find_targets` reads the operative
paragraphs of one segmented resolution, cuts each into clauses (at ``;`` and at sentence ends)
and decides, clause by clause, what the Council does with each group it names:

* ``target`` - a targeting verb governs it: "neutralize the FDLR", "carry out targeted
  offensive operations against ...", "disarm them", "prevent the expansion of";
* ``condemn`` - "Strongly condemns the M23, the FDLR, the ADF ..." (S/RES/2098 (2013), para 8);
* ``sanction`` - designation, assets freeze, travel ban;
* ``talks`` - called on to join talks, lay down arms, take part in a process;
* ``mention`` - anything else.

A clause that targets "armed groups" or "these groups" without naming them is a *generic*
target (S/RES/2098, para 12(b)). Such a target may be linked to the groups the same resolution
names elsewhere, but only as an inference: those rows have ``inferred=True`` and their span is
the generic target's words, never the condemnation they were read from.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable

from peaceops.coding.records import Paragraph, Segmentation, Target

TARGET_RULES = "peaceops.targets.v1"

_TARGETING = re.compile(
    r"\b(?:neutrali[sz](?:e|es|ing)|neutrali[sz]ation\s+of|disarm(?:s|ing)?\b(?!ament)|"
    r"(?:carry\s+out\s+)?(?:targeted\s+)?offensive\s+operations(?:\s+against)?|"
    r"prevent(?:ing)?\s+the\s+expansion\s+of|deter(?:s|ring)?\s+(?:any\s+)?(?:attacks?\s+by\s+)?)",
    re.IGNORECASE,
)
_CONDEMN = re.compile(r"\b(?:condemn|deplor|denounc)\w*", re.IGNORECASE)
_SANCTION = re.compile(
    r"\b(?:sanctions?|assets?\s+freeze|travel\s+ban|designat\w*|listed|listing)\b", re.IGNORECASE
)
_TALKS = re.compile(
    r"\b(?:talks|dialogue|negotiations?|peace\s+process|join\w*|participat\w*|"
    r"lay\s+down\s+(?:their|its)\s+arms|engage\w*\s+in)\b",
    re.IGNORECASE,
)
_GENERIC = re.compile(
    r"\b(?:all\s+)?(?:these|the|other|foreign|domestic|Congolese|and)?\s*"
    r"(?:armed|terrorist|extremist)\s+groups\b|\bthese\s+groups\b|\bthem\b",
    re.IGNORECASE,
)
_CLAUSE = re.compile(r"[^;]+(?:;|$)|;")
# a targeting verb governs a group named at most this many characters after it
_REACH = 160


def trie_regex(words: Iterable[str]) -> str:
    """One regex matching any of ``words``, with common prefixes factored out.

    Python's ``re`` tries the branches of a plain alternation one by one at every position;
    a trie shares the work, which makes matching some 500 aliases several times faster.
    """
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict) -> str:
        end = "" in node
        branches = [re.escape(c) + emit(child) for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and not end else "(?:" + "|".join(branches) + ")"
        if end:
            body = f"(?:{body})?" if len(branches) == 1 else body[:-1] + "|)"
        return body

    return emit(trie)


class _Span:
    """A match on the lower-cased text, read back from the original."""

    def __init__(self, start: int, end: int, text: str) -> None:
        self._start, self._end, self._text = start, end, text

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end

    def group(self, _: int = 0) -> str:
        return self._text[self._start : self._end]


class GroupMatcher:
    """Finds registry armed groups by alias; longest alias wins where aliases overlap."""

    def __init__(self, aliases: Iterable[tuple[str, str]]) -> None:
        pairs = sorted(
            {(a.strip(), i) for a, i in aliases if a and a.strip()}, key=lambda p: -len(p[0])
        )
        self._actor = {alias.lower(): actor_id for alias, actor_id in pairs}
        self._canonical = {alias.lower(): alias for alias, _ in pairs}
        body = trie_regex(alias.lower() for alias, _ in pairs) or r"(?!x)x"
        # matched on the lower-cased text (faster than IGNORECASE); acronyms must then be
        # written in capitals in the original ("ADF", not "adf")
        self._pattern = re.compile(rf"(?<![\w-])(?:{body})(?![\w-])")

    def find(self, text: str) -> list[tuple[int, int, str, str]]:
        """``(start, end, alias as written, actor_id)`` of every group named in ``text``."""
        found = []
        lowered = text.lower()
        if len(lowered) != len(text):  # a few characters change length when lower-cased
            lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
        for m in self._pattern.finditer(lowered):
            m = _Span(m.start(), m.end(), text)
            key = m.group(0).lower()
            alias = self._canonical.get(key, m.group(0))
            if alias.isupper() and m.group(0) != alias:
                continue  # an acronym must be written as such
            found.append((m.start(), m.end(), m.group(0), self._actor[key]))
        return found


def _own_spans(paragraph: Paragraph, children: list[Paragraph]) -> list[tuple[int, int]]:
    """Character ranges of a paragraph that do not belong to its sub-paragraphs."""
    spans, cursor = [], paragraph.start
    for child in children:
        if child.start > cursor:
            spans.append((cursor, child.start))
        cursor = max(cursor, child.end)
    if cursor < paragraph.end:
        spans.append((cursor, paragraph.end))
    return spans


def own_text_spans(seg: Segmentation) -> dict[str, list[tuple[int, int]]]:
    """For each operative paragraph label, the ranges of its own text (children excluded)."""
    operative = seg.operative()
    children: dict[str, list[Paragraph]] = {}
    for p in operative:
        if p.parent:
            children.setdefault(p.parent, []).append(p)
    return {p.label: _own_spans(p, children.get(p.label, [])) for p in operative}


class _Clause:
    """One clause, with what :meth:`relation` reads of it found once (#27).

    Read again for every group the clause names, a clause naming many groups cost time
    quadratic in its length (issue #27, item 11).
    """

    def __init__(self, body: str) -> None:
        self._body = body
        self._verbs = list(_TARGETING.finditer(body))
        self._verb_starts = [v.start() for v in self._verbs]
        self._verb_ends = [v.end() for v in self._verbs]
        self._condemn = _CONDEMN.search(body)
        self._rest: str | None = None

    def relation(self, offset: int) -> str:
        """What the clause does with a group named at ``offset`` in it."""
        body = self._body
        # the verbs that reach ``offset``: they start by it and end at most _REACH before it
        # (in text order: the verbs of a clause do not overlap, so their ends are sorted too)
        first = bisect_left(self._verb_ends, offset - _REACH)
        for verb in self._verbs[first : bisect_right(self._verb_starts, offset)]:
            if not _CONDEMN.search(body[verb.end() : offset]):
                return "target"
        # _CONDEMN.search(body[:offset]): its first match, if that fits before ``offset`` (a
        # later one would start after the end of the first one's word, so fit no better)
        first_condemn = self._condemn
        if first_condemn is not None and _CONDEMN.match(body, first_condemn.start(), offset):
            return "condemn"
        if self._rest is None:
            self._rest = (
                "sanction" if _SANCTION.search(body) else "talks" if _TALKS.search(body) else ""
            )
        return self._rest or "mention"


def find_targets(
    seg: Segmentation, text: str, matcher: GroupMatcher, *, coder: str = TARGET_RULES
) -> list[Target]:
    """Every named group in the operative part with its relation, plus generic targets."""
    if not seg.ok or seg.operative_start is None:
        return []
    rows: list[Target] = []
    generic: list[Target] = []
    region = seg.operative_start
    # one pass over the operative part for names and for targeting verbs; clauses are only
    # cut where either occurs
    names = [(s + region, e + region, w, a) for s, e, w, a in matcher.find(text[region:])]
    verbs = [m.start() for m in _TARGETING.finditer(text, region)]
    # both in text order: the names and verbs of a span or clause are found by bisection, not by
    # reading all of them for each (#27)
    name_starts = [g[0] for g in names]
    for label, spans in own_text_spans(seg).items():
        for start, end in spans:
            if bisect_left(name_starts, start) == bisect_left(name_starts, end) and (
                bisect_left(verbs, start) == bisect_left(verbs, end)
            ):
                continue
            for clause in _CLAUSE.finditer(text, start, end):
                c_start, body = clause.start(), clause.group(0)
                c_end = c_start + len(body)
                named = [
                    (g[0] - c_start, g[1] - c_start, g[2], g[3])
                    for g in names[
                        bisect_left(name_starts, c_start) : bisect_left(name_starts, c_end)
                    ]
                ]
                named_starts = [g[0] for g in named]
                reading = _Clause(body)
                for g_start, g_end, written, actor_id in named:
                    rows.append(
                        Target(
                            seg.resolution,
                            label,
                            written,
                            actor_id,
                            reading.relation(g_start),
                            c_start + g_start,
                            c_start + g_end,
                            written,
                            coder=coder,
                        )
                    )
                for verb in _TARGETING.finditer(body):
                    window = body[verb.end() : verb.end() + _REACH]
                    object_ = _GENERIC.search(window)
                    if not object_ or bisect_left(named_starts, verb.end()) < bisect_right(
                        named_starts, verb.end() + _REACH
                    ):
                        continue
                    s = c_start + verb.start()
                    e = c_start + verb.end() + object_.end()
                    generic.append(
                        Target(
                            seg.resolution,
                            label,
                            "armed groups (generic)",
                            None,
                            "target",
                            s,
                            e,
                            text[s:e],
                            coder=coder,
                        )
                    )
    # generic targets, linked to the groups the resolution names, as inferences
    named_groups: dict[str, str] = {}
    for t in rows:
        named_groups.setdefault(t.actor_id, t.group)
    inferred = [
        Target(
            g.resolution,
            g.paragraph,
            group,
            actor_id,
            "target",
            g.start,
            g.end,
            g.quote,
            inferred=True,
            coder=coder,
        )
        for g in generic
        for actor_id, group in sorted(named_groups.items())
    ]
    return rows + generic + inferred
