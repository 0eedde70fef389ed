"""Rules of tasks: one per task of the taxonomy, its patterns as coding/tasks.yaml defines them.

Data flow: each :class:`~peaceops.coding.taxonomy.Task` of :data:`TASKS` is registered as the
declarative rule ``task.<Stem>`` (its docstring is the task's definition, its content the
patterns and exclusions, so editing them changes the coder's version). The coder asks
:func:`task_patterns` for the patterns of the tasks its rule set holds: every pattern with its
task, its exclusions and the literal words it cannot match without (:func:`required_literals`),
so that a span is scanned only with the patterns whose words it contains.
"""

from __future__ import annotations

import re
import re._constants as _sre
import re._parser as _sre_parser
from functools import cache
from typing import NamedTuple

from peaceops.coding.rules.registry import register
from peaceops.coding.taxonomy import TASKS, TAXONOMY_VERSION, Task, compiled

for _task in TASKS:
    register(
        f"task.{_task.stem}",
        _task,
        version=1,
        since="v1",
        doc=f"{_task.label} ({_task.source}; {TAXONOMY_VERSION}, coding/tasks.yaml).\n\n"
        + " ".join(_task.definition.split()),
        content="\n".join([*_task.patterns, "--", *_task.exclude, "--", *_task.exclude_words]),
        # the patterns were checked against every pema-dev mission's codes (tasks.yaml), and
        # edited since by the trials of coder v6-v8, each naming its folds
        written_from="all folds (tasks.yaml; coder-trials-v6 to v8)",
    )


class TaskPatterns(NamedTuple):
    """The patterns of a set of tasks, and the words that let a span skip most of them.

    Attributes:
        patterns: (task, pattern, exclusions, required words) for every pattern of every task,
            in the taxonomy's order (the order codes are given in).
        by_word: which patterns each required word allows.
        always: the patterns without required words (always tried).
        words: every required word (one scan of a span finds them all).
    """

    patterns: tuple[tuple[Task, re.Pattern[str], list[re.Pattern[str]], frozenset[str]], ...]
    by_word: dict[str, list[int]]
    always: list[int]
    words: frozenset[str]

    def candidates(self, span_words: list[tuple[int, int, set[str]]]) -> list[int]:
        """The patterns that can match one of the spans, in the order of :attr:`patterns`.

        That is the order the codes are given in, so the codes and their content hash do not
        change.
        """
        found = set(self.always)
        for *_, present in span_words:
            for word in present:
                found.update(self.by_word[word])
        return sorted(found)


@cache
def task_patterns(tasks: tuple[Task, ...]) -> TaskPatterns:
    """The :class:`TaskPatterns` of ``tasks`` (cached per set of tasks)."""
    patterns = []
    for task in tasks:
        found, excludes = compiled(task)
        for pattern in found:
            patterns.append((task, pattern, excludes, required_literals(pattern.pattern)))
    by_word: dict[str, list[int]] = {}
    always = []
    for index, (*_, needles) in enumerate(patterns):
        if not needles:
            always.append(index)
        for word in needles:
            by_word.setdefault(word, []).append(index)
    words = frozenset().union(*(needles for *_, needles in patterns))
    return TaskPatterns(tuple(patterns), by_word, always, words)


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
