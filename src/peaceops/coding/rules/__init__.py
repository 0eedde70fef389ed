"""The mandate coder's rules: named, versioned parts, one module per family.

Importing this package registers every rule, in the order the coder applies them:

- ``designator`` (:mod:`~.addressing`): how a text names a mission;
- ``address`` (:mod:`~.addressing`): when a paragraph gives a mission something to do;
- ``task`` (:mod:`~.tasks`): one rule per task of coding/tasks.yaml, its patterns;
- ``scope`` (:mod:`~.scope`): task words that give the mission no task;
- ``modality`` (:mod:`~.modality`): Monitor, Assist, Security or Encouraged;
- ``strength`` (:mod:`~.strength`): the markers of a robust mandate.

:class:`RuleSet` is what a coder runs (all rules, or all but some: an ablation) and names it
(:attr:`RuleSet.version`, recorded with every code). DOCS: docs/coder-trials/README.md
"""

from peaceops.coding.rules import addressing, modality, scope, strength, tasks  # registers
from peaceops.coding.rules.registry import (
    CODER_BASE,
    FAMILIES,
    REGISTRY,
    Rule,
    RuleSet,
    register,
    rule,
    version_of,
)

__all__ = [
    "CODER_BASE",
    "FAMILIES",
    "REGISTRY",
    "Rule",
    "RuleSet",
    "addressing",
    "modality",
    "register",
    "rule",
    "scope",
    "strength",
    "tasks",
    "version_of",
]
