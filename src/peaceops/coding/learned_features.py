"""What the learned task proposer reads: paragraph units, the rules' signals, gold labels, spans.

Data flow: :func:`read_corpus` reads the stored texts, paragraphs and the rule coder's codes
(the stored ones when the current rule set made them, else coded again in memory) into a
:class:`Corpus`. :func:`paragraph_units` turns a corpus into one row per **unit**: a top-level
paragraph (operative ``30`` or preambular ``p3``) with all its sub-paragraphs, ``30(a)(ii)``
belonging to ``30``. The unit is the top-level paragraph because PEMA cites both ``30`` and
``30(a)(ii)`` for the same kind of task, and the scored unit is the resolution x task anyway
(issue #32). Each unit carries its text and ``signals``: the rules' reading of it as words
(``rule:HumanRights``, ``mod:Assist``, ``verb:requests``, ``addr:named``, ...).
:func:`gold_labels` gives each unit the set of PEMA tasks whose gold cells cite its number (as
:func:`peaceops.coding.crossval.cited_in_text` matches them). :func:`evidence_span` picks the
clause of a unit that carries a task's heaviest terms, so that every proposed code points at
words of the text (``text[start:end] == quote``).
DOCS: docs/coder-trials/learned.md
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from peaceops.coding.crossval import read_lockbox
from peaceops.coding.rules.context import COUNCIL_VERB, verb

if TYPE_CHECKING:
    from peaceops.store.database import Database

__all__ = [
    "LOCKBOX",
    "Corpus",
    "clauses",
    "gold_labels",
    "paragraph_units",
    "read_corpus",
    "top_label",
]

#: The sealed missions of issue #32 (coding/lockbox.csv, read once; a missing or malformed
#: file fails the import): never trained on, never scored here.
LOCKBOX = frozenset(read_lockbox())
_TOP = re.compile(r"^(p?\d+)")
# a clause ends at ";" / ":" / a sentence end followed by space, or where a sub-paragraph
# marker begins a line ("\n(b) ...")
_CLAUSE_END = re.compile(r"[;:.](?=\s)|\n(?=\s*\(?[a-z0-9]{1,4}\)\s)")


@dataclass(frozen=True)
class Corpus:
    """The stored texts, their paragraphs and the rule coder's codes, read once.

    Attributes:
        texts: resolution number -> text.
        paragraphs: resolution, kind, label, parent, start, end (all stored paragraphs).
        codes: the rule coder's codes (the ``codes`` table's columns).
        rules: the name of the rule set that made ``codes``.
    """

    texts: Mapping[int, str]
    paragraphs: pd.DataFrame
    codes: pd.DataFrame
    rules: str


def read_corpus(db: Database) -> Corpus:
    """Read texts, paragraphs and rule codes from a built store (nothing is written).

    The stored codes are used when the current rule set
    (:data:`~peaceops.coding.coder.CODER`) made them; otherwise every text is coded again in
    memory, so that the proposer always stands on the rules it names.
    """
    from peaceops.coding.coder import CODER
    from peaceops.coding.run import current_codes

    texts = dict(db.tuples("SELECT number, text FROM resolutions WHERE has_text"))
    paragraphs = db.execute(
        'SELECT resolution, kind, label, parent, start, "end" FROM paragraphs '
        "ORDER BY resolution, start, depth"
    )
    codes = current_codes(db)
    return Corpus({int(n): t for n, t in texts.items()}, paragraphs, codes, CODER)


def top_label(labels: pd.Series) -> pd.Series:
    """The top-level paragraph of each label: ``"30(a)(ii)"`` -> ``"30"``, ``"p3"`` -> ``"p3"``."""
    return labels.astype("string").str.extract(_TOP, expand=False)


def paragraph_units(
    corpus: Corpus, resolutions: Iterable[int] | None = None, *, coded_only: bool = False
) -> pd.DataFrame:
    """One row per top-level paragraph of ``resolutions`` (default: all), with the rules' signals.

    ``coded_only`` keeps the paragraphs the rules coded (all a proposer may add to): coding
    every text reads about a fifth of the paragraphs.

    Columns: resolution, label, top (its number, ``"30"``), kind, start, end, text, signals (a
    space-separated string of signal words), coded (the rules coded a task in it), tasks (the
    tasks the rules coded in the whole resolution, a frozenset), missions (the missions the
    rules' codes in it name, ``""`` for a generic "the Mission"), modality (the rules' most
    frequent modality in it, or NA), verb and strength (of its first rule code).
    """
    paragraphs = corpus.paragraphs
    if resolutions is not None:
        paragraphs = paragraphs[paragraphs["resolution"].isin(list(resolutions))]
    units = paragraphs[paragraphs["parent"].isna()].copy()
    units["top"] = top_label(units["label"])
    units = units[units["top"].notna()].reset_index(drop=True)
    children = paragraphs.loc[paragraphs["parent"].notna(), ["resolution", "label"]]
    with_children = {
        (int(r), str(t))
        for r, t in zip(children["resolution"], top_label(children["label"]), strict=True)
    }
    codes = corpus.codes[corpus.codes["resolution"].isin(set(units["resolution"]))]
    # plain Python over the codes: a pandas group per paragraph cost 2 s over the corpus
    by_unit: dict[tuple[int, str], list[tuple]] = {}
    coded_tasks: dict[int, set[str]] = {}
    for resolution, top, task, modality, said, strength, mission in zip(
        codes["resolution"], top_label(codes["paragraph"]), codes["task"], codes["modality"],
        codes["verb"], codes["strength"], codes["mission"], strict=True,
    ):  # fmt: skip
        key = (int(resolution), str(top))
        by_unit.setdefault(key, []).append((task, modality, said, strength, mission))
        coded_tasks.setdefault(key[0], set()).add(task)
    keys = [(int(r), str(t)) for r, t in zip(units["resolution"], units["top"], strict=True)]
    if coded_only:
        kept = [key in by_unit for key in keys]
        units = units[kept].reset_index(drop=True)
        keys = [key for key, keep in zip(keys, kept, strict=True) if keep]
    texts = corpus.texts
    rows = []
    for key, kind, start, end in zip(
        keys, units["kind"], units["start"], units["end"], strict=True
    ):
        resolution = key[0]
        text = texts[resolution][start:end]
        group = by_unit.get(key)
        words = [f"kind:{kind}", f"len:{min(9, int(math.log2(1 + len(text) // 50)))}"]
        said = COUNCIL_VERB.search(text, 0, 200)
        if said:
            words.append("verb:" + verb(said.group(1)).replace(" ", "_"))
        if key in with_children:
            words.append("subparagraphs")
        missions: tuple[str, ...] = ()
        modality = code_verb = pd.NA
        strength: list[str] = []
        if group is not None:
            missions = tuple(dict.fromkeys(m if isinstance(m, str) else "" for *_, m in group))
            counts = Counter(g[1] for g in group)
            modality = min(m for m, n in counts.items() if n == max(counts.values()))
            code_verb, strength = group[0][2], list(group[0][3])
            words += ["coded", *(f"addr:{'named' if m else 'generic'}" for m in missions)]
            words += [f"rule:{t}" for t in dict.fromkeys(g[0] for g in group)]
            words += [f"mod:{m}" for m in dict.fromkeys(g[1] for g in group)]
            words += [f"strength:{s}" for s in strength]
        rows.append((" ".join(words), group is not None, text, missions, modality, code_verb,
                     strength, frozenset(coded_tasks.get(resolution, ()))))  # fmt: skip
    extra = pd.DataFrame(
        rows,
        columns=["signals", "coded", "text", "missions", "modality", "verb", "strength", "tasks"],
    )
    return pd.concat([units[["resolution", "label", "top", "kind", "start", "end"]], extra], axis=1)


def gold_labels(units: pd.DataFrame, gold: pd.DataFrame) -> list[frozenset[str]]:
    """The PEMA tasks whose gold cells cite each unit (its number; another document's: no).

    Inherited cells and cells without a paragraph are not labels; the match is the cited
    label's leading number against the unit's (``"30(a)(ii)"`` and ``"30"`` label unit 30).
    """
    own = gold[
        gold["task"].notna()
        & ~gold["inherited"].astype(bool)
        & gold["paragraph"].notna()
        & gold["document"].isna()
    ]
    cited = own.assign(top=top_label(own["paragraph"])).groupby(["resolution", "top"])["task"]
    tasks = cited.agg(frozenset).to_dict()
    return [
        tasks.get((int(r), str(t)), frozenset())
        for r, t in zip(units["resolution"], units["top"], strict=True)
    ]


def clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The clauses of ``text[start:end]``, trimmed, as (start, end) offsets of ``text``."""
    found, begin = [], start
    for match in _CLAUSE_END.finditer(text, start, end):
        found.append((begin, match.end()))
        begin = match.end()
    found.append((begin, end))
    trimmed = []
    for a, b in found:
        piece = text[a:b]
        left = len(piece) - len(piece.lstrip())
        right = len(piece.rstrip())
        if right > left:
            trimmed.append((a + left, a + right))
    return trimmed or [(start, end)]
