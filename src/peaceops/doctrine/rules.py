"""The machinery of the doctrine rules: facts, findings, evidence and the rule registry.

Data flow: :func:`peaceops.doctrine.explain.load_facts` reads, once, everything a rule may need
about a set of resolutions from the knowledge base and returns one :class:`ResolutionFacts` per
resolution: the text, its paragraphs, the coder's task codes, the Chapter VII basis, the
targeted armed groups and the missions the resolution mandates (:class:`MissionLink`). Rules
are plain functions, registered with :func:`rule` under a versioned id, that take one
:class:`ResolutionFacts` and return :class:`Finding` records; :func:`evaluate` applies every
registered rule. No rule touches the database, so explaining the whole corpus costs one read
of a handful of tables.

Every :class:`Evidence` satisfies ``text[start:end] == quote`` (DESIGN.md, "Evidence").
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from peaceops.coding.records import Code, Target
from peaceops.errors import RuleError

RULESET_VERSION = "peaceops.doctrine.v1"

#: rule families, in the order explanations list them
FAMILIES = ("instrument", "r2p")

_RULE_ID = re.compile(r"^(?:instrument|r2p)\.[a-z0-9_]+\.v[0-9]+$")
#: roles by which a resolution puts a mission's mandate in force
MANDATING_ROLES = frozenset({"establish", "renew", "change"})


@dataclass(frozen=True)
class Evidence:
    """A span of a resolution's text that a finding rests on: ``text[start:end] == quote``."""

    start: int
    end: int
    quote: str

    def as_dict(self) -> dict[str, Any]:
        """The JSON form ``{"start", "end", "quote"}``."""
        return {"start": self.start, "end": self.end, "quote": self.quote}


@dataclass(frozen=True)
class Finding:
    """A rule that fired on a resolution.

    Attributes:
        rule_id: the rule's versioned id, e.g. ``"instrument.sanctions.v1"``.
        conclusion: what the rule concludes: an instrument (``"sanctions"``) or an R2P pillar
            (``"pillar_3"``).
        evidence: the spans of the text it rests on; empty when it rests on the registry alone
            (a resolution without text).
        mission: the mission the conclusion is about, when it is about one.
    """

    rule_id: str
    conclusion: str
    evidence: tuple[Evidence, ...] = ()
    mission: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The JSON form ``{"id", "conclusion", "evidence": [...]}`` of the explanation."""
        return {
            "id": self.rule_id,
            "conclusion": self.conclusion,
            "evidence": [e.as_dict() for e in self.evidence],
        }


@dataclass(frozen=True)
class ParagraphRef:
    """A paragraph's place in the text (``paragraphs`` row): kind, label, nesting, span."""

    kind: str
    label: str
    parent: str | None
    depth: int
    start: int
    end: int

    @property
    def top(self) -> str:
        """Label of the top-level operative paragraph it belongs to (``"12"`` for 12(b)(i))."""
        return self.label.split("(", 1)[0]


@dataclass(frozen=True)
class ChapterVIIBasis:
    """The ``chapter_vii`` row: the operative invocation and the Article 39 determination."""

    operative: bool
    paragraphs: tuple[str, ...]
    start: int | None
    end: int | None
    quote: str | None
    article_39: bool
    article_39_start: int | None
    article_39_end: int | None
    article_39_quote: str | None


@dataclass(frozen=True)
class MissionLink:
    """A mission whose mandate a resolution concerns.

    Attributes:
        acronym, name, type: the registry's mission (type ``pko``, ``spm`` or ``regional``).
        role: ``establish``, ``renew``, ``change``, ``authorize`` or ``terminate``.
        source: ``"registry"`` (``mission_resolutions``) or ``"text"`` (a renewal read from
            an operative paragraph, see :mod:`peaceops.doctrine.explain`).
        evidence: where the text names the mission (the first naming for registry links);
            ``None`` when the text does not name it or there is no text.
    """

    acronym: str
    name: str
    type: str
    role: str
    source: str
    evidence: Evidence | None = None


@dataclass(frozen=True)
class ResolutionFacts:
    """Everything the rules know about one resolution, read once from the knowledge base."""

    number: int
    year: int | None
    date: date | None
    text: str | None
    paragraphs: tuple[ParagraphRef, ...] = ()
    codes: tuple[Code, ...] = ()
    chapter_vii: ChapterVIIBasis | None = None
    targets: tuple[Target, ...] = ()
    missions: tuple[MissionLink, ...] = ()

    @property
    def has_text(self) -> bool:
        """True when the knowledge base holds the resolution's text."""
        return bool(self.text)

    @property
    def acts_under_chapter_vii(self) -> bool:
        """True when any of the resolution (or of its operative part) is adopted under Ch. VII."""
        return self.chapter_vii is not None and self.chapter_vii.start is not None

    def chapter_vii_evidence(self) -> tuple[Evidence, ...]:
        """The invocation "Acting under Chapter VII ...", as evidence (empty if none)."""
        ch = self.chapter_vii
        if ch is None or ch.start is None or ch.end is None or ch.quote is None:
            return ()
        return (Evidence(ch.start, ch.end, ch.quote),)

    def under_chapter_vii(self, label: str) -> bool:
        """True when the operative paragraph ``label`` (or its top-level paragraph) is Ch. VII."""
        if not self.acts_under_chapter_vii or self.chapter_vii is None:
            return False
        return label in self.chapter_vii.paragraphs or label.split("(")[0] in (
            self.chapter_vii.paragraphs
        )

    def operative(self) -> tuple[ParagraphRef, ...]:
        """Operative paragraphs and sub-paragraphs, in text order."""
        return tuple(p for p in self.paragraphs if p.kind == "operative")

    def top_level(self) -> tuple[ParagraphRef, ...]:
        """Top-level operative paragraphs (their text includes their sub-paragraphs)."""
        return tuple(p for p in self.paragraphs if p.kind == "operative" and p.depth == 0)

    def preamble(self) -> tuple[ParagraphRef, ...]:
        """Preamble paragraphs, in text order."""
        return tuple(p for p in self.paragraphs if p.kind == "preamble")

    def paragraph_text(self, paragraph: ParagraphRef) -> str:
        """The paragraph's text (sub-paragraphs included)."""
        return (self.text or "")[paragraph.start : paragraph.end]

    def evidence(self, start: int, end: int) -> Evidence:
        """Evidence for ``text[start:end]``."""
        return Evidence(start, end, (self.text or "")[start:end])

    def codes_for(
        self, tasks: Iterable[str], modalities: Iterable[str] | None = None
    ) -> list[Code]:
        """The codes of the given tasks (and modalities), in text order."""
        wanted, allowed = set(tasks), set(modalities) if modalities is not None else None
        return [
            c for c in self.codes if c.task in wanted and (allowed is None or c.modality in allowed)
        ]

    def mission_links(
        self, *, types: Iterable[str], roles: Iterable[str] = MANDATING_ROLES
    ) -> list[MissionLink]:
        """Links to missions of the given registry types by the given roles."""
        kinds, wanted = set(types), set(roles)
        return [m for m in self.missions if m.type in kinds and m.role in wanted]


@dataclass(frozen=True)
class Rule:
    """A registered doctrine rule.

    Attributes:
        id: versioned id, ``<family>.<name>.v<N>``.
        family: ``"instrument"`` or ``"r2p"``.
        conclusion: what it concludes when it fires.
        source: the Charter article or doctrine document it implements.
        needs_text: False when it can fire from the registry alone (a resolution whose text
            is not in the data directory).
        fn: the function ``ResolutionFacts -> list[Finding]``.
    """

    id: str
    family: str
    conclusion: str
    source: str
    needs_text: bool
    fn: Callable[[ResolutionFacts], list[Finding]]

    @property
    def doc(self) -> str:
        """The rule's docstring: conditions, source and limits, for researchers."""
        return inspect.getdoc(self.fn) or ""

    def apply(self, facts: ResolutionFacts) -> list[Finding]:
        """Run the rule on one resolution (nothing when it needs a text that is missing)."""
        if self.needs_text and not facts.has_text:
            return []
        return self.fn(facts)


#: every registered rule, by id, in registration order
RULES: dict[str, Rule] = {}


def rule(
    *, rule_id: str, conclusion: str, source: str, needs_text: bool = True
) -> Callable[[Callable[[ResolutionFacts], list[Finding]]], Callable]:
    """Register a rule function under a versioned id.

    Args:
        rule_id: ``<family>.<name>.v<N>``; the family is the part before the first dot.
        conclusion: the instrument or pillar the rule concludes.
        source: short citation of the Charter article or doctrine source; the function's
            docstring must contain it.
        needs_text: whether the rule needs the resolution's text.

    Raises:
        RuleError: on a malformed or duplicate id, or a docstring that does not cite the source.
    """

    def register(fn: Callable[[ResolutionFacts], list[Finding]]) -> Callable:
        if not _RULE_ID.match(rule_id):
            raise RuleError(f"rule id {rule_id!r} must look like 'instrument.name.v1'")
        if rule_id in RULES:
            raise RuleError(f"rule {rule_id!r} is registered twice")
        doc = inspect.getdoc(fn) or ""
        if source not in doc:
            raise RuleError(f"the docstring of {fn.__name__} must cite its source {source!r}")
        family = rule_id.split(".", 1)[0]
        RULES[rule_id] = Rule(rule_id, family, conclusion, source, needs_text, fn)
        return fn

    return register


def evaluate(facts: ResolutionFacts) -> list[Finding]:
    """Apply every registered rule to one resolution; findings in registry order."""
    findings: list[Finding] = []
    for registered in RULES.values():
        findings.extend(registered.apply(facts))
    return findings


# ---------------------------------------------------------------------------------------------
# Helpers shared by the rule modules

# the number or letter that opens a paragraph: "4.", "4,", "(a)", "(iii)"
_MARKER = re.compile(r"\s*(?:\(?(?:\d{1,3}|[a-z]{1,2}|[ivxl]{1,6})\)|\d{1,3}\s*[.,])?\s*")
_ACTING_CLAUSE = re.compile(r"(?i)acting\b[^,;]{0,160},\s*")
# "Further decides", "Also requests", "Strongly urges": the verb is the next word
_ADVERBS = frozenset(
    {"further", "also", "again", "therefore", "hereby", "accordingly", "strongly", "once"}
    | {"and", "furthermore", "moreover", "thus", "now", "earnestly", "solemnly", "urgently"}
)


def opening_verb(text: str) -> str:
    """The Council's verb that opens a paragraph, lower-cased ("decides", "calls").

    "Acting under Chapter VII of the Charter, decides ..." and "Further decides ..." open with
    "decides".
    """
    rest = text[_MARKER.match(text).end() :]
    acting = _ACTING_CLAUSE.match(rest)
    if acting:
        rest = rest[acting.end() :]
    words = re.findall(r"[A-Za-z]+", rest[:80])
    while words and words[0].lower() in _ADVERBS:
        words.pop(0)
    return words[0].lower() if words else ""


def first_match(
    pattern: re.Pattern[str], facts: ResolutionFacts, start: int, end: int
) -> Evidence | None:
    """The first match of ``pattern`` in ``text[start:end]``, as evidence."""
    match = pattern.search(facts.text or "", start, end)
    return facts.evidence(match.start(), match.end()) if match else None


def code_evidence(codes: Iterable[Code]) -> tuple[Evidence, ...]:
    """Evidence from the coder's spans (the stored quotes), one per distinct span."""
    spans = {(c.start, c.end): c.quote for c in codes}
    return tuple(Evidence(s, e, q) for (s, e), q in sorted(spans.items()))


def unique(evidence: Iterable[Evidence | None]) -> tuple[Evidence, ...]:
    """Drop ``None`` and repeated spans; keep text order."""
    spans = {(e.start, e.end): e for e in evidence if e is not None}
    return tuple(spans[k] for k in sorted(spans))
