"""Rules of strength: the words that make a mandate robust ("all necessary means", ...).

They are read from a paragraph and the paragraphs it belongs to.

Data flow: each marker is a declarative :class:`Marker` (a name and a pattern) registered as
the rule ``strength.<key>``; the coder searches the paragraph's own text and its parents' for
every marker of its rule set and records, with each code, the names of those found
(``Code.strength``), in the order registered here. The markers feed the impartiality index
(docs/measures.md), not the comparison with PEMA.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from peaceops.coding.rules.registry import register


@dataclass(frozen=True)
class Marker:
    """A strength marker: the name codes record and the words that signal it."""

    name: str
    pattern: str
    doc: str
    regex: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "regex", re.compile(self.pattern, re.IGNORECASE))

    def found(self, text: str, spans: list[tuple[int, int]]) -> bool:
        """True when the marker's words occur in one of the spans of ``text``."""
        search = self.regex.search
        return any(search(text, s, e) for s, e in spans)


MARKERS = (
    Marker("all necessary means", r"all\s+necessary\s+means",
           "the Council's formula for the use of force: \"to use all necessary means\" "
           "(S/RES/678 ¶2)."),
    Marker("all necessary measures", r"all\s+necessary\s+measures",
           "the same with measures: \"to take all necessary measures\" (S/RES/169 ¶5)."),
    Marker("necessary action", r"(?:take\s+the\s+)?necessary\s+action",
           "\"authorizes UNAMSIL to take the necessary action to fulfil the additional tasks\" "
           "(S/RES/1289 ¶10(e))."),
    Marker("robust", r"\brobust\w*",
           "\"UNTAET should respond robustly to the militia threat\" (S/RES/1338 ¶7)."),
    Marker("neutralize", r"\bneutrali[sz]\w*",
           "\"neutralize these groups\": the objective of the Intervention Brigade "
           "(S/RES/2098 ¶12(b))."),
    Marker("targeted offensive operations", r"targeted\s+offensive\s+operations",
           "\"carry out targeted offensive operations\" (S/RES/2098 ¶12(b))."),
    Marker("proactive", r"\bproactiv\w*",
           "\"a proactive\" posture or strategy: \"Urges MINUSTAH to urgently develop and "
           "implement a proactive communications ... strategy\" (S/RES/1608 ¶16)."),
    Marker("use of force", r"\buse\s+of\s+force\b",
           "\"the use of force, if necessary, in the last resort\" (S/RES/161 ¶1)."),
    Marker("deter", r"\bdeter(?:s|ring|rence)?\b",
           "\"to deter attacks against the safe areas\" (S/RES/836 ¶5)."),
)  # fmt: skip

for _marker in MARKERS:
    register(
        "strength." + _marker.name.replace(" ", "_"),
        _marker,
        version=1,
        since="v1",
        doc=f"Strength marker {_marker.name!r}: {_marker.doc}",
        content=_marker.pattern,
    )
