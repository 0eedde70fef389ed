"""The rule-based mandate coder: runs the registered rules of :mod:`peaceops.coding.rules`.

Data flow: :class:`RuleCoder` is initialised with the mission acronyms and armed-group aliases
of the registry and, for an ablation, the rules to leave out (``initialize``); then
``predict(number, text)`` segments a resolution (:mod:`peaceops.coding.segment`), finds its
Chapter VII basis (:mod:`~.chapter7`) and the groups it targets (:mod:`~.targets`), and codes
the tasks it gives missions, one rule family after another:

1. ``designator`` rules find the missions the text names, once per text;
2. ``address`` rules decide, designator by designator, whether a paragraph (or a paragraph it
   belongs to) gives a mission something to do, and where its tasks are (the paragraph's own
   text, or what others cooperate with the mission in); a preambular paragraph that urges a
   mission to act counts too;
3. ``task`` rules find the task words of the taxonomy in the paragraph's own text (its
   sub-paragraphs are coded on their own);
4. ``scope`` rules drop the task words that give the mission no task (a mission's name, what
   the Council condemns, praises or states, what a report is to be about, ...);
5. ``modality`` rules settle Monitor, Assist, Security or Encouraged; a task is coded once per
   modality in a paragraph;
6. ``strength`` markers are read from the paragraph and the paragraphs it belongs to.

Every :class:`~peaceops.coding.records.Code` carries its evidence span (the task words) and the
version of the rule set that made it (:attr:`RuleCoder.name`; :data:`CODER` for all rules).
The history of the rules, coder v2 to v8.1, is in docs/evaluation.md; each rule's docstring
quotes the text it was written from.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from peaceops.coding.chapter7 import find_chapter_vii
from peaceops.coding.records import (
    ChapterVII,
    Code,
    Paragraph,
    Segmentation,
    Target,
    designator,
)
from peaceops.coding.rules import RuleSet
from peaceops.coding.rules.addressing import ACRONYM, cooperating
from peaceops.coding.rules.context import (
    COUNCIL_VERB,
    Passage,
    Reading,
    Site,
    SpanScans,
    verb,
)
from peaceops.coding.rules.tasks import required_literals, task_patterns
from peaceops.coding.scan import Ranges
from peaceops.coding.segment import segment
from peaceops.coding.targets import GroupMatcher, find_targets, own_text_spans

__all__ = ["CODER", "ResolutionCoding", "RuleCoder", "required_literals"]

#: the versioned name of the coder with every registered rule (see RuleSet.version)
CODER = RuleSet.full().version

# the address rules the coder calls at their own points, not in the chain of _addresses_at
_THEIR_OWN_VERB = "address.their_own_verb"
_COOPERATION = "address.cooperation"
_PREAMBLE = "address.preamble_urging"
_SPECIAL = frozenset({_THEIR_OWN_VERB, _COOPERATION, _PREAMBLE})


@dataclass(frozen=True)
class ResolutionCoding:
    """Everything the coder read from one resolution."""

    segmentation: Segmentation
    codes: tuple[Code, ...] = ()
    chapter_vii: ChapterVII | None = None
    targets: tuple[Target, ...] = field(default_factory=tuple)


class RuleCoder:
    """Rule-based coder with a spaCy-like life-cycle: ``initialize`` once, then ``predict``.

    Attributes:
        name: the version of the rule set it runs (:data:`CODER` when it runs every rule).
        rules: that :class:`~peaceops.coding.rules.RuleSet`.
    """

    name = CODER

    def __init__(self) -> None:
        self._ready = False
        self._acronyms: frozenset[str] = frozenset()
        self._reading: Reading | None = None
        self._matcher = GroupMatcher(())
        self.rules = RuleSet.full()

    def initialize(
        self,
        *,
        missions: Iterable[str],
        group_aliases: Iterable[tuple[str, str]] = (),
        without: Iterable[str] = (),
    ) -> RuleCoder:
        """Prepare the coder from the registry's mission acronyms and armed-group aliases.

        Args:
            missions: the registry's mission acronyms.
            group_aliases: (alias, actor id) of the armed groups.
            without: rules (or whole families) to leave out: an ablation.

        Raises:
            CodingError: an unknown rule name in ``without`` (with close matches).
        """
        named = (designator(m) for m in missions if m and m.strip())
        self._acronyms = frozenset(a for a in named if ACRONYM.fullmatch(a))
        self._matcher = GroupMatcher(group_aliases)
        rules = self.rules = RuleSet.without(without)
        self.name = rules.version
        self._finders = rules.functions("designator")
        self._address = tuple(r.fn for r in rules.family("address") if r.name not in _SPECIAL)
        self._their_own_verb = _fn(rules, _THEIR_OWN_VERB)
        self._cooperation = _fn(rules, _COOPERATION)
        self._preamble = _fn(rules, _PREAMBLE)
        self._scope = rules.functions("scope")
        self._modality = rules.functions("modality")
        self._markers = rules.functions("strength")
        self._patterns = task_patterns(rules.functions("task"))
        self._reading = None
        self._ready = True
        return self

    def predict(self, number: int, text: str | None) -> ResolutionCoding:
        """Code one resolution; never raises on bad text (see ``segmentation.error``)."""
        if not self._ready:
            raise RuntimeError("call RuleCoder.initialize(...) before predict()")
        seg = segment(number, text)
        if not seg.ok or text is None:
            return ResolutionCoding(seg)
        chapter = find_chapter_vii(seg, text)
        targets = tuple(find_targets(seg, text, self._matcher))
        return ResolutionCoding(seg, tuple(self._codes(seg, text)), chapter, targets)

    def _read(self, text: str) -> Reading:
        """The designators of a text, found once per text (the paragraphs' scans share them)."""
        reading = self._reading
        if reading is None or reading.text is not text:
            reading = self._reading = Reading(text, self._finders, self._acronyms)
        return reading

    def _codes(self, seg: Segmentation, text: str) -> list[Code]:
        reading = self._read(text)
        operative = {p.label: p for p in seg.operative()}
        own = own_text_spans(seg)
        addressee = {label: self._addressee(reading, spans) for label, spans in own.items()}
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
            for p in chain:
                if p.label not in markers:
                    markers[p.label] = set(self._strength(text, own[p.label]))
            strength = tuple(
                m.name for m in self._markers if any(m.name in markers[p.label] for p in chain)
            )
            # the paragraph's own scope when it is addressed itself, else all of it (an item of
            # a list addressed above it)
            within = addressee[label][1] if addressee[label] is not None else own[label]
            codes.extend(
                # the mission of the paragraph a list belongs to: "Decides that UNOMIL shall have
                # the following mandate: ... (g) in cooperation with ECOMOG, coordinate ..."
                self._tasks(
                    seg.resolution, label, reading, own[label], verbs[top], strength,
                    named[-1][0], within,
                )
            )  # fmt: skip
        if self._preamble is None:
            return codes
        for paragraph in seg.paragraphs:
            if paragraph.kind != "preamble":
                continue
            span = [(paragraph.start, paragraph.end)]
            urged = self._preamble(reading, self._acronyms, paragraph.start, paragraph.end)
            if urged is not None:
                mission, council = urged
                strength = self._strength(text, span)
                number, label = seg.resolution, paragraph.label
                codes.extend(self._tasks(number, label, reading, span, council, strength, mission))
        return codes

    def _strength(self, text: str, spans: list[tuple[int, int]]) -> tuple[str, ...]:
        return tuple(m.name for m in self._markers if m.found(text, spans))

    def _addressee(
        self, reading: Reading, spans: list[tuple[int, int]]
    ) -> tuple[str, list[tuple[int, int]]] | None:
        """The mission a paragraph gives something to do, and where its tasks are.

        Its acronym ("" for a generic designator such as "the Mission") and the spans to
        code: the paragraph's own text, or only what others are told to cooperate with the
        mission in (``address.cooperation``). None when the paragraph addresses no mission.
        """
        text, acronyms = reading.text, self._acronyms
        their_own_verb, cooperation = self._their_own_verb, self._cooperation
        looks_back = their_own_verb is not None or cooperation is not None
        found: list[tuple[int, int]] = []
        mission = None
        for start, end in spans:
            for ds, de in reading.designators(start, end):
                name = text[ds:de] if text[ds:de] in acronyms else ""
                cooperate = cooperating(text, start, ds) if looks_back else None
                if their_own_verb is not None and their_own_verb(
                    text, start, end, ds, de, cooperate
                ):
                    continue  # "to cooperate fully with UNOSOM II, to carry out ...": theirs
                if self._addresses_at(text, start, end, ds, de):
                    return name, spans
                if cooperation is not None:
                    said = cooperation(text, start, end, ds, de, cooperate)
                    if said is True:
                        return name, spans
                    if said:
                        found.append(said)
                        mission = name if mission is None else mission
        return (mission, found) if found and mission is not None else None

    def _addresses_at(self, text: str, start: int, end: int, ds: int, de: int) -> bool:
        """True when the designator text[ds:de] is given something to do (``address`` rules)."""
        before = text[max(start, ds - 80) : ds]
        for addresses in self._address:
            said = addresses(text, start, end, ds, de, before)
            if said is not None:
                return said
        return False

    def _tasks(
        self,
        number: int,
        label: str,
        reading: Reading,
        spans: list[tuple[int, int]],
        council: str,
        strength: tuple[str, ...],
        mission: str = "",
        within: list[tuple[int, int]] | None = None,
    ) -> Iterable[Code]:
        """The codes of one paragraph's own text (``spans``), task words only ``within``."""
        text = reading.text
        seen: set[tuple[str, str]] = set()
        within = spans if within is None else within
        table = self._patterns
        words = table.words
        span_words = []  # each span with the required words it contains (see TaskPatterns)
        for start, end in spans:
            low = text[start:end].lower()
            span_words.append((start, end, {w for w in words if w in low}))
        passage = Passage(reading, spans)
        scans: dict[int, SpanScans] = {}  # by span start, built at its first task word (#27)
        inside = Ranges(within)
        scope, steps = self._scope, self._modality
        for index in table.candidates(span_words):
            task, pattern, excludes, needles = table.patterns[index]
            for start, end, present in span_words:
                if needles and needles.isdisjoint(present):
                    continue  # the pattern cannot match without one of its literal words
                for match in pattern.finditer(text, start, end):
                    if not inside.contain(match.start()):
                        continue  # what others do besides cooperating with the mission
                    span = scans.get(start)
                    if span is None:
                        span = scans[start] = SpanScans(reading, start, end)
                    site = Site(passage, span, match, task, excludes)
                    for drops in scope:
                        if drops(site):
                            break
                    else:
                        drops = None
                    if drops is not None:
                        continue  # not a task (see the scope rules)
                    said, modality = council, None
                    for step in steps:
                        said, modality = step(site, said, modality)
                    modality = modality or "Assist"
                    if (task.stem, modality) in seen:
                        continue
                    seen.add((task.stem, modality))
                    yield Code(
                        number,
                        label,
                        task.stem,
                        modality,
                        council,
                        strength,
                        match.start(),
                        match.end(),
                        match.group(0),
                        self.name,
                        mission or None,
                    )


def _fn(rules: RuleSet, name: str) -> Any:
    """The function of rule ``name`` when the set holds it, else None."""
    return next((r.fn for r in rules.rules if r.name == name), None)


def _ancestors(paragraph: Paragraph, by_label: dict[str, Paragraph]) -> list[Paragraph]:
    """The paragraph, then its parent, ..., up to the top-level paragraph."""
    chain = [paragraph]
    while chain[-1].parent and chain[-1].parent in by_label:
        chain.append(by_label[chain[-1].parent])
    return chain


def _council_verb(text: str, spans: list[tuple[int, int]]) -> str:
    for start, end in spans:
        match = COUNCIL_VERB.search(text, start, min(end, start + 200))
        if match:
            return verb(match.group(1))
    return ""
