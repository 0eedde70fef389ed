"""The registry of the coder's rules: named, versioned parts, and the rule sets made of them.

Data flow: each family module of :mod:`peaceops.coding.rules` registers its rules at import
with :func:`rule` (a function) or :func:`register` (a declarative pattern object), in the order
the coder applies them. :class:`RuleSet` is the set the coder runs: all registered rules, or
all but some (``RuleSet.without(...)``: an ablation). Its :attr:`RuleSet.version` is derived
from the names and versions of the rules it holds, so a code records exactly which rules made
it (``Code.coder``), and a rule changed without a new version cannot pass unnoticed (a test pins
the hash).

A rule's docstring quotes the text it was written from (the resolution, its paragraph and the
words) or the definition it implements (``coding/tasks.yaml``). Its trial record (the fold it
was written from, its effect on each fold) is in ``docs/coder-trials/``.
DOCS: docs/coder-trials/README.md
"""

from __future__ import annotations

import difflib
import hashlib
import inspect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from peaceops.errors import CodingError

__all__ = [
    "CODER_BASE",
    "FAMILIES",
    "REGISTRY",
    "Rule",
    "RuleSet",
    "register",
    "rule",
]

#: the coder's release; the version of a rule set is this plus a hash of its rules
CODER_BASE = "peaceops.rule_coder.v8.1"

#: rule families, in the order the coder applies them (one module each)
FAMILIES = ("designator", "address", "task", "scope", "modality", "strength")

_NAME = re.compile(r"^(?:designator|address|task|scope|modality|strength)\.[A-Za-z0-9_]+$")

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Rule:
    """One registered rule of the coder.

    Attributes:
        name: ``family.name`` (``"scope.condemned"``), what ``--without`` takes.
        version: the rule's own version, raised whenever what it codes changes.
        family: one of :data:`FAMILIES`.
        since: the coder release the rule was written for (``"v4"``).
        doc: the docstring: what the rule does and the text it was written from.
        fn: the function (or pattern object) the coder calls.
        content: for a declarative rule, its patterns (part of the coder's version, so that
            editing them changes it); empty for a function.
        written_from: the folds whose disagreements were read to write it (``"fold 5"``),
            ``"all folds"`` (written with every pema-dev mission in view) or ``"before the
            folds"`` (coder v1-v5, before the split of #16); with the trial that kept it.
    """

    name: str
    version: int
    family: str
    since: str
    doc: str
    fn: Any
    content: str = ""
    written_from: str = "before the folds"

    @property
    def id(self) -> str:
        """The versioned id, ``"scope.condemned.v1"``."""
        return f"{self.name}.v{self.version}"

    @property
    def summary(self) -> str:
        """The docstring's first paragraph, on one line."""
        return " ".join(self.doc.strip().split("\n\n", 1)[0].split())


#: every registered rule, by name, in registration order
REGISTRY: dict[str, Rule] = {}


def register(
    name: str,
    fn: Any,
    *,
    version: int,
    since: str,
    doc: str | None = None,
    content: str = "",
    written_from: str = "before the folds",
) -> Rule:
    """Register ``fn`` (a function or a pattern object) as the rule ``name``.

    Raises:
        CodingError: a malformed or repeated name, a version below 1, or no docstring.
    """
    if not _NAME.match(name):
        raise CodingError(f"rule name {name!r} must be 'family.name' with a family of {FAMILIES}")
    if name in REGISTRY:
        raise CodingError(f"rule {name!r} is registered twice")
    if version < 1:
        raise CodingError(f"rule {name!r}: version must be at least 1, got {version}")
    text = inspect.cleandoc(doc if doc is not None else (fn.__doc__ or ""))
    if not text:
        raise CodingError(f"rule {name!r} needs a docstring quoting the text it was written from")
    found = Rule(name, version, name.split(".", 1)[0], since, text, fn, content, written_from)
    REGISTRY[name] = found
    return found


def rule(
    name: str, *, version: int = 1, since: str, written_from: str = "before the folds"
) -> Callable[[F], F]:
    """Register the decorated function as the coder rule ``name`` (see :func:`register`)."""

    def decorate(fn: F) -> F:
        register(name, fn, version=version, since=since, written_from=written_from)
        return fn

    return decorate


class RuleSet:
    """The rules a coder runs: every registered rule, or all but some (an ablation).

    Use :meth:`full` or :meth:`without`; :attr:`version` names the set.
    """

    __slots__ = ("_names", "removed", "rules", "version")

    def __init__(self, removed: Iterable[str] = ()) -> None:
        self.removed = tuple(sorted(set(removed)))
        unknown = [n for n in self.removed if n not in REGISTRY]
        if unknown:
            raise CodingError(_unknown_message(unknown))
        self.rules = tuple(r for r in REGISTRY.values() if r.name not in self.removed)
        self._names = frozenset(r.name for r in self.rules)
        self.version = version_of(self.rules)

    @classmethod
    def full(cls) -> RuleSet:
        """Every registered rule."""
        return cls()

    @classmethod
    def without(cls, names: Iterable[str]) -> RuleSet:
        """Every registered rule but ``names`` (each a rule name or a whole family).

        Raises:
            CodingError: an unknown name; the message lists close matches and how to see all.
        """
        removed: list[str] = []
        for name in names:
            if name in FAMILIES:
                removed.extend(r.name for r in REGISTRY.values() if r.family == name)
            else:
                removed.append(name)
        return cls(removed)

    def __contains__(self, name: object) -> bool:
        return name in self._names

    def family(self, family: str) -> tuple[Rule, ...]:
        """The rules of one family, in registration order."""
        return tuple(r for r in self.rules if r.family == family)

    def functions(self, family: str) -> tuple[Any, ...]:
        """The functions (or pattern objects) of one family's rules, in order."""
        return tuple(r.fn for r in self.family(family))


def version_of(rules: Iterable[Rule]) -> str:
    """``CODER_BASE`` plus a short hash of the rules' versioned ids and contents (any order)."""
    ids = "\n".join(sorted(f"{r.id}\t{r.content}" for r in rules))
    return f"{CODER_BASE}+{hashlib.sha256(ids.encode()).hexdigest()[:8]}"


def _unknown_message(unknown: list[str]) -> str:
    parts = []
    for name in unknown:
        close = difflib.get_close_matches(name, [*REGISTRY, *FAMILIES], n=3, cutoff=0.6)
        parts.append(f"{name!r}" + (f" (did you mean {', '.join(close)}?)" if close else ""))
    return (
        f"unknown coder rule {', '.join(parts)}; `peaceops evaluate --rules` lists the "
        f"{len(REGISTRY)} rules, and a family name ({', '.join(FAMILIES)}) removes all of its "
        "rules"
    )
