"""The task taxonomy of the mandate coder: PEMA's 41 task stems plus the tasks the paper needs.

Data flow: the tasks are data, kept in ``tasks.yaml`` beside this module. :func:`_load` reads
and validates them once at import into :data:`TASKS` (PEMA stems first, in PEMA's order, then
the peaceops tasks) and :data:`TASK_BY_STEM`. The coder (:mod:`peaceops.coding.coder`) takes
each operative paragraph that mandates a mission, runs every task's :func:`compiled` patterns
over the paragraph's own text and drops a match when one of the task's exclusions matches the
clause around it (the text between ``;``, ``:`` or sentence ends); :func:`first_match` is that
rule for one text. :func:`dpa_crosswalk` maps the components of the DPA 2010 mandate matrix to
task stems, and :func:`render_markdown` writes ``docs/tasks.md`` from the same data, so the
documentation cannot drift from the rules (a test compares them).

Patterns are case-insensitive regular expressions. A literal space in a pattern matches any
run of whitespace (the stored texts break lines inside phrases), so ``"protection of
civilians"`` also matches the words across a line break.

Source: Di Salvatore, Lundgren, Oksamytna & Smidt (2022), "Introducing the Peacekeeping
Mandates (PEMA) Dataset", *Journal of Conflict Resolution* 66(4-5), 924-951,
doi:10.1177/00220027211068897. DOCS: docs/tasks.md
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from peaceops.errors import TaxonomyError

TAXONOMY_VERSION = "peaceops.taxonomy.v1"

#: PEMA's 41 task stems in the raw_v2 spelling and PEMA's order.
PEMA_STEMS = (
    "DisarmDemob", "Reintegration", "ControlSALW", "Demil", "ArmsEmbargo", "Demining",
    "Resources", "BorderControl", "OffensOper", "UseOfForce", "CivProtect", "HumanRights",
    "ChildRights", "SGBViolence", "Gender", "RefugeeIDPs", "HumanRelief", "PublicHealth",
    "PoliceReform", "MilitaryReform", "JusticeReform", "CorrectionsReform", "LegalReform",
    "TransJustice", "StateAuthority", "Democratization", "ElectSec", "ElectAssist",
    "VoterEducation", "PolPartyAssist", "CivilSociety", "Media", "PublicInfo", "PowerSharing",
    "Ceasefire", "PeaceProcess", "Reconcil", "LocalReconcil", "RegReconcil", "EcDevelop",
    "CulturalHeritage",
)  # fmt: skip
#: PEMA's modalities (see :data:`peaceops.coding.records.MODALITIES`).
MODALITIES = ("Monitor", "Assist", "Security", "Encouraged")
#: Classes of the impartiality index.
PARTIALITY = ("partial", "even-handed", "neutral")
SOURCES = ("PEMA", "peaceops")

_DATA = Path(__file__).with_name("tasks.yaml")
_STEM = re.compile(r"^[A-Z][A-Za-z]+$")
_FIELDS = {
    "stem", "label", "definition", "source", "patterns", "exclude", "exclude_words", "modality",
    "partiality",
    "rationale", "dpa_components", "examples",
}  # fmt: skip


@dataclass(frozen=True)
class Task:
    """One task a Security Council resolution can give a mission.

    Attributes:
        stem: PEMA variable stem (``"CivProtect"``) or a peaceops task (``"Stabilization"``).
        label: short human name (``"Protection of civilians"``).
        definition: one paragraph; paraphrases PEMA's description of the task, or defines a
            peaceops task.
        source: ``"PEMA"`` or ``"peaceops"``.
        patterns: case-insensitive regexes; a match in the own text of a paragraph that
            mandates a mission signals the task, and the matched words are the evidence span.
            A space matches any run of whitespace.
        exclude: regexes; a match does not count when one of them matches its clause.
        exclude_words: regexes for phrases the task's words can be part of without naming the
            task ("troop- and police-contributing"); a match inside one of them does not
            count, but the same words elsewhere in the clause do (v7).
        modality: default PEMA modality when the paragraph's verbs do not settle it.
        partiality: ``"partial"``, ``"even-handed"`` or ``"neutral"`` (impartiality index).
        rationale: one line: why the task has its partiality class (from the paper).
        dpa_components: names of the DPA 2010 matrix components that map to this task.
        examples: ``(resolution, paragraph label, verbatim quote)`` from S/RES/1-2259.
    """

    stem: str
    label: str
    definition: str
    source: str
    patterns: tuple[str, ...]
    exclude: tuple[str, ...] = ()
    exclude_words: tuple[str, ...] = ()
    modality: str | None = None
    partiality: str = "neutral"
    dpa_components: tuple[str, ...] = ()
    examples: tuple[tuple[int, str, str], ...] = ()
    rationale: str = ""


def _raw() -> dict[str, Any]:
    with _DATA.open(encoding="utf-8") as handle:  # libyaml's safe loader when there: 10x faster
        return yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506


def _task(entry: dict[str, Any]) -> Task:
    stem = str(entry.get("stem", "?"))
    unknown = set(entry) - _FIELDS
    if unknown:
        raise TaxonomyError(f"task {stem}: unknown fields {sorted(unknown)} in {_DATA.name}")
    task = Task(
        stem=stem,
        label=str(entry["label"]),
        definition=" ".join(str(entry["definition"]).split()),
        source=str(entry["source"]),
        patterns=tuple(entry["patterns"]),
        exclude=tuple(entry.get("exclude") or ()),
        exclude_words=tuple(entry.get("exclude_words") or ()),
        modality=entry.get("modality"),
        partiality=str(entry.get("partiality", "neutral")),
        dpa_components=tuple(entry.get("dpa_components") or ()),
        examples=tuple((int(r), str(p), str(q)) for r, p, q in entry.get("examples") or ()),
        rationale=" ".join(str(entry.get("rationale", "")).split()),
    )
    _validate_task(task)
    return task


def _validate_task(task: Task) -> None:
    """Check one task's fields; raise :class:`TaxonomyError` saying what to fix."""
    where = f"task {task.stem} in {_DATA.name}"
    if not _STEM.match(task.stem):
        raise TaxonomyError(f"{where}: a stem is CamelCase letters only")
    if task.source not in SOURCES:
        raise TaxonomyError(f"{where}: source must be one of {SOURCES}, not {task.source!r}")
    if task.modality is not None and task.modality not in MODALITIES:
        raise TaxonomyError(f"{where}: modality must be one of {MODALITIES} or empty")
    if task.partiality not in PARTIALITY:
        raise TaxonomyError(f"{where}: partiality must be one of {PARTIALITY}")
    if task.partiality != "neutral" and not task.rationale:
        raise TaxonomyError(f"{where}: a partial or even-handed task needs a rationale")
    if not task.patterns:
        raise TaxonomyError(f"{where}: give at least one pattern")
    for pattern in (*task.patterns, *task.exclude, *task.exclude_words):
        try:
            _compile(pattern)
        except re.error as err:
            raise TaxonomyError(f"{where}: pattern {pattern!r} does not compile: {err}") from err


def _load() -> tuple[Task, ...]:
    tasks = tuple(_task(entry) for entry in _raw()["tasks"])
    stems = [t.stem for t in tasks]
    duplicates = sorted({s for s in stems if stems.count(s) > 1})
    if duplicates:
        raise TaxonomyError(f"{_DATA.name}: duplicate stems {duplicates}")
    if tuple(stems[: len(PEMA_STEMS)]) != PEMA_STEMS:
        raise TaxonomyError(f"{_DATA.name}: the 41 PEMA stems must come first, in PEMA's order")
    wrong = [t.stem for t in tasks[len(PEMA_STEMS) :] if t.source != "peaceops"]
    if wrong or any(t.source != "PEMA" for t in tasks[: len(PEMA_STEMS)]):
        raise TaxonomyError(f"{_DATA.name}: PEMA stems have source PEMA, the others peaceops")
    components = [c for t in tasks for c in t.dpa_components]
    twice = sorted({c for c in components if components.count(c) > 1})
    if twice:
        raise TaxonomyError(f"{_DATA.name}: DPA components mapped to two tasks: {twice}")
    return tasks


def _translate(pattern: str) -> str:
    r"""Rewrite spaces: ``\s+``; ``" ?"`` as ``\s*``; ``\s`` in classes and look-behinds."""
    out: list[str] = []
    groups: list[bool] = []  # one entry per open group: is it a look-behind?
    in_class = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            in_class = char != "]"
            char = r"\s" if char == " " else char
        elif char == "[":
            in_class = True
        elif char == "(":
            groups.append(pattern.startswith(("(?<=", "(?<!"), i))
        elif char == ")" and groups:
            groups.pop()
        elif char == " ":
            if any(groups):
                char = r"\s"
            elif pattern.startswith((" ?", " *"), i):
                char, i = r"\s*", i + 1  # an optional space: any whitespace or none
            else:
                char = r"\s+"
        out.append(char)
        i += 1
    return "".join(out)


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(_translate(pattern), re.IGNORECASE)


TASKS: tuple[Task, ...] = _load()
TASK_BY_STEM: Mapping[str, Task] = MappingProxyType({t.stem: t for t in TASKS})


@functools.cache
def compiled(task: Task) -> tuple[list[re.Pattern[str]], list[re.Pattern[str]]]:
    """Return the task's compiled patterns and exclusions (cached per task)."""
    return [_compile(p) for p in task.patterns], [_compile(x) for x in task.exclude]


@functools.cache
def word_exclusions(task: Task) -> list[re.Pattern[str]]:
    """Return the task's ``exclude_words``, compiled to find overlapping phrases (cached).

    Each is wrapped in a lookahead, so "police component of up to 2,211 police" yields both
    "police component of up to" and "up to 2,211 police".
    """
    return [re.compile(f"(?=({_compile(x).pattern}))", re.IGNORECASE) for x in task.exclude_words]


def inside_excluded_words(task: Task, text: str, start: int, end: int) -> bool:
    """True when text[start:end] lies inside a phrase of the task's ``exclude_words``."""
    for phrase in word_exclusions(task):
        for m in phrase.finditer(text, max(0, start - 80), min(len(text), end + 80)):
            if m.start(1) <= start and end <= m.end(1):
                return True
    return False


_CLAUSE_BREAK = re.compile(r"[;:]|\.\s")


def first_match(task: Task, text: str) -> re.Match[str] | None:
    """The first match of the task in ``text`` whose clause no exclusion matches, else None.

    This is the rule the coder applies to a paragraph's own text; a clause is the text between
    ``;``, ``:`` or a full stop followed by a blank around the match.
    """
    patterns, excludes = compiled(task)
    found: list[re.Match[str]] = []
    for pattern in patterns:
        for match in pattern.finditer(text):
            left = 0
            for brk in _CLAUSE_BREAK.finditer(text, 0, match.start()):
                left = brk.end()
            right = _CLAUSE_BREAK.search(text, match.start())
            clause = text[left : right.start() if right else len(text)]
            inside = inside_excluded_words(task, text, match.start(), match.end())
            if not inside and not any(x.search(clause) for x in excludes):
                found.append(match)
                break
    return min(found, key=lambda m: m.start()) if found else None


def dpa_crosswalk() -> dict[str, str]:
    """Map each DPA 2010 matrix component (``dpa2010_components.component``) to a task stem.

    Components that map to no task are listed, with the reason, by :func:`dpa_gaps`.
    """
    return {c: t.stem for t in TASKS for c in t.dpa_components}


def dpa_gaps() -> dict[str, str]:
    """DPA 2010 components that map to no task, with the reason."""
    return dict(_raw()["dpa_gaps"])


def render_markdown() -> str:
    """Render ``docs/tasks.md`` from the taxonomy (intro, crosswalk, gaps, one section a task)."""
    raw = _raw()
    lines = [raw["intro"].rstrip(), ""]
    lines += ["## Tasks at a glance", ""]
    lines += ["| stem | label | source | partiality | default modality | DPA 2010 components |"]
    lines += ["|---|---|---|---|---|---|"]
    for task in TASKS:
        dpa = "; ".join(task.dpa_components) or "—"
        lines.append(
            f"| [`{task.stem}`](#{task.stem.lower()}) | {task.label} | {task.source} | "
            f"{task.partiality} | {task.modality or '—'} | {dpa} |"
        )
    lines += ["", "## DPA 2010 components that map to no task", ""]
    lines += ["| component | why no task |", "|---|---|"]
    for component, reason in raw["dpa_gaps"].items():
        lines.append(f"| {component} | {' '.join(str(reason).split())} |")
    lines += ["", "## The tasks", ""]
    for task in TASKS:
        lines += _section(task)
    return "\n".join(lines).rstrip() + "\n"


def _section(task: Task) -> list[str]:
    lines = [f"### {task.stem}", "", f"**{task.label}** — source: {task.source}.", ""]
    lines += [task.definition, ""]
    partiality = f"**Partiality:** {task.partiality}"
    lines += [f"{partiality}. {task.rationale}".rstrip() if task.rationale else partiality + "."]
    lines += ["", f"**Default modality:** {task.modality or '— (from the verbs only)'}."]
    dpa = ", ".join(f"“{c}”" for c in task.dpa_components) or "none"
    lines += ["", f"**DPA 2010 components:** {dpa}.", ""]
    lines += ["**Patterns** (case-insensitive; a space matches any whitespace):", ""]
    lines += [f"- `{p}`" for p in task.patterns]
    if task.exclude:
        lines += ["", "**Not counted when the clause matches:**", ""]
        lines += [f"- `{x}`" for x in task.exclude]
    if task.exclude_words:
        lines += ["", "**Not counted when the words are part of:**", ""]
        lines += [f"- `{x}`" for x in task.exclude_words]
    lines += ["", "**Examples:**", ""]
    if task.examples:
        lines += [
            f"- S/RES/{r}, paragraph {p}: “{' '.join(q.split())}”" for r, p, q in task.examples
        ]
    else:
        lines += ["- none in S/RES/1-2259 (see the definition)."]
    return [*lines, ""]
