"""Code resolutions in bulk and store the results.

Data flow: :func:`code_resolutions` reads the texts of the requested resolutions and the
registry's mission acronyms and armed-group aliases from a :class:`~peaceops.store.Database`,
codes them through the executor (``peaceops.parallel``: each worker initialises one
:class:`~peaceops.coding.coder.RuleCoder`), and writes ``paragraphs``,
``segmentation_failures``, ``codes``, ``chapter_vii`` and ``targets`` in one transaction,
replacing earlier rows of the same resolutions. Every stored span is checked (``text[start:end]
== quote``) before anything is written.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd

from peaceops.coding.chapter7 import CHAPTER_VII_RULES
from peaceops.coding.coder import CODER, RuleCoder
from peaceops.coding.history import write_history
from peaceops.coding.links import link_mandates
from peaceops.coding.rules import RuleSet
from peaceops.coding.segment import SEGMENTER
from peaceops.coding.targets import TARGET_RULES
from peaceops.coding.taxonomy import TASK_BY_STEM, TAXONOMY_VERSION
from peaceops.errors import NotFound
from peaceops.parallel import run_map
from peaceops.store import Database

logger = logging.getLogger(__name__)

_CHUNK = 64
_CODER_CACHE: dict[str, object] = {}


@dataclass(frozen=True)
class CodingReport:
    """What a coding run did."""

    resolutions: int
    failures: int
    codes: int
    targets: int
    seconds: float


#: what a worker's coder is made of: mission acronyms, group aliases, rules left out
_Inputs = tuple[list[str], list[tuple[str, str]], tuple[str, ...]]


def _coder_for(inputs: _Inputs) -> RuleCoder:
    """One coder per process and registry inputs (built on the first call)."""
    if _CODER_CACHE.get("inputs") is not inputs:
        missions, aliases, without = inputs
        _CODER_CACHE["coder"] = RuleCoder().initialize(
            missions=missions, group_aliases=aliases, without=without
        )
        _CODER_CACHE["inputs"] = inputs
    return _CODER_CACHE["coder"]  # type: ignore[return-value]


def _code_one(inputs: _Inputs, item: tuple[int, str | None]) -> dict[str, list[tuple]]:
    return code_rows(_coder_for(inputs), [item])


def code_rows(coder: RuleCoder, items: Sequence[tuple[int, str | None]]) -> dict[str, list[tuple]]:
    """Code ``(number, text)`` pairs and return table rows (tuples in table column order)."""
    out: dict[str, list[tuple]] = {
        "paragraphs": [],
        "segmentation_failures": [],
        "codes": [],
        "chapter_vii": [],
        "targets": [],
    }
    for number, text in items:
        result = coder.predict(number, text)
        seg = result.segmentation
        if not seg.ok:
            out["segmentation_failures"].append((number, seg.error, SEGMENTER))
            continue
        for p in seg.paragraphs:
            out["paragraphs"].append(
                (number, p.kind, p.label, p.number, p.parent, p.depth, p.start, p.end, SEGMENTER)
            )
        for c in result.codes:
            partiality = TASK_BY_STEM[c.task].partiality
            out["codes"].append(
                (
                    number,
                    c.paragraph,
                    c.task,
                    c.modality,
                    c.verb,
                    list(c.strength),
                    c.start,
                    c.end,
                    c.quote,
                    partiality,
                    c.coder,
                    c.mission,
                )
            )
        ch = result.chapter_vii
        if ch is not None:
            a39 = ch.article_39_span
            out["chapter_vii"].append(
                (
                    number,
                    ch.operative,
                    list(ch.paragraphs),
                    ch.start,
                    ch.end,
                    ch.quote,
                    len(ch.mentions),
                    ch.article_39,
                    a39[0] if a39 else None,
                    a39[1] if a39 else None,
                    text[a39[0] : a39[1]] if a39 and text else None,
                    CHAPTER_VII_RULES,
                )
            )
        for t in result.targets:
            out["targets"].append(
                (
                    number,
                    t.paragraph,
                    t.group,
                    t.actor_id,
                    t.relation,
                    t.start,
                    t.end,
                    t.quote,
                    t.inferred,
                    TARGET_RULES,
                )
            )
    return out


def _registry_inputs(db: Database, without: Sequence[str] = ()) -> _Inputs:
    missions = [r[0] for r in db.tuples("SELECT acronym FROM missions")]
    aliases = db.tuples(
        "SELECT a.alias, a.actor_id FROM actor_aliases a JOIN actors USING (actor_id) "
        "WHERE actors.kind = 'armed_group'"
    )
    return missions, [(a, i) for a, i in aliases], tuple(without)


_RUN_COLUMNS = [
    "run_at",
    "coder",
    "segmenter",
    "taxonomy",
    "chapter_vii_rules",
    "target_rules",
    "resolutions",
    "seconds",
]
_COLUMNS = {
    "paragraphs": [
        "resolution",
        "kind",
        "label",
        "number",
        "parent",
        "depth",
        "start",
        "end",
        "segmenter",
    ],
    "segmentation_failures": ["resolution", "reason", "segmenter"],
    "codes": [
        "resolution",
        "paragraph",
        "task",
        "modality",
        "verb",
        "strength",
        "start",
        "end",
        "quote",
        "partiality",
        "coder",
        "mission",
    ],
    "chapter_vii": [
        "resolution",
        "operative",
        "paragraphs",
        "start",
        "end",
        "quote",
        "mentions",
        "article_39",
        "article_39_start",
        "article_39_end",
        "article_39_quote",
        "rules",
    ],
    "targets": [
        "resolution",
        "paragraph",
        "group",
        "actor_id",
        "relation",
        "start",
        "end",
        "quote",
        "inferred",
        "rules",
    ],
}
#: The ``codes`` table's columns, in order.
CODE_COLUMNS = _COLUMNS["codes"]


def code_resolutions(
    db: Database,
    *,
    numbers: Sequence[int] | None = None,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> CodingReport:
    """Code resolutions with text (all, or ``numbers``) and store the results.

    Args:
        db: a writable knowledge base.
        numbers: resolutions to code; all with text when ``None``.
        workers: worker processes (default: the machine's CPUs; 1 codes in this process).
        progress: called with (resolutions done, total) as chunks finish.

    Raises:
        NotFound: unknown resolution numbers.
        RuntimeError: a span that does not select its quote (a coder bug).
    """
    started = time.perf_counter()
    items = db.tuples("SELECT number, text FROM resolutions WHERE has_text ORDER BY number")
    if numbers is not None:
        wanted = set(numbers)
        unknown = wanted - {n for (n,) in db.tuples("SELECT number FROM resolutions")}
        if unknown:
            raise NotFound(f"unknown resolutions {sorted(unknown)[:10]}; see `peaceops status`")
        items = [(n, t) for n, t in items if n in wanted]
    inputs = _registry_inputs(db)
    workers = workers or os.cpu_count() or 1
    if len(items) <= _CHUNK:
        workers = 1  # starting processes costs more than coding one chunk
    rows: dict[str, list[tuple]] = {name: [] for name in _COLUMNS}
    for part in run_map(
        _code_one, items, context=inputs, workers=workers, batch=_CHUNK, progress=progress
    ):
        for name, values in part.items():
            rows[name].extend(values)
    texts = dict(items)
    frames = {name: pd.DataFrame(values, columns=_COLUMNS[name]) for name, values in rows.items()}
    _check_spans(frames, texts)
    seconds = time.perf_counter() - started
    run = pd.DataFrame(
        [
            (
                datetime.now(UTC).replace(tzinfo=None),
                CODER,
                SEGMENTER,
                TAXONOMY_VERSION,
                CHAPTER_VII_RULES,
                TARGET_RULES,
                len(items),
                seconds,
            )
        ],
        columns=_RUN_COLUMNS,
    )
    db.replace(frames, key="resolution", values=[n for n, _ in items], append={"coding_runs": run})
    # the mandate links read the paragraphs and codes just stored (#28)
    link_mandates(db, None if numbers is None else [n for n, _ in items])
    write_history(db)  # every mission's history, from the links just stored
    return CodingReport(
        resolutions=len(items),
        failures=len(frames["segmentation_failures"]),
        codes=len(frames["codes"]),
        targets=len(frames["targets"]),
        seconds=seconds,
    )


def current_codes(
    db: Database,
    *,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """The codes of the current rule set: the stored ones when it made them, else made again.

    For what must stand on the rules it names (an ablation's baseline, the learned proposer):
    a store coded by other rules is coded again in memory (:func:`code_in_memory`).
    """
    from peaceops.coding.coder import CODER

    stored = db.scalar("SELECT min(coder) FROM codes") if "codes" in db.tables() else None
    if stored == CODER:
        return db.execute("SELECT * FROM codes").reindex(columns=CODE_COLUMNS)
    return code_in_memory(db, workers=workers, progress=progress)


def code_in_memory(
    db: Database,
    *,
    without: Sequence[str] = (),
    numbers: Iterable[int] | None = None,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """Code every stored text with the rules but ``without`` and return the codes; store nothing.

    ``numbers`` limits the coding to those resolutions (the scored ones, for a rule selection).

    The rows are those :func:`code_resolutions` would store (the ``codes`` table's columns),
    their ``coder`` the version of the rule set used. For an ablation
    (:mod:`peaceops.coding.ablation`).

    Raises:
        CodingError: an unknown rule in ``without``.
    """
    RuleSet.without(without)  # an unknown name fails here, before any work
    items = db.tuples("SELECT number, text FROM resolutions WHERE has_text ORDER BY number")
    if numbers is not None:
        wanted = {int(n) for n in numbers}
        items = [item for item in items if item[0] in wanted]
    inputs = _registry_inputs(db, without)
    workers = workers or os.cpu_count() or 1
    rows: list[tuple] = []
    for part in run_map(
        _code_one, items, context=inputs, workers=workers, batch=_CHUNK, progress=progress
    ):
        rows.extend(part["codes"])
    return pd.DataFrame(rows, columns=_COLUMNS["codes"])


def _check_spans(frames: dict[str, pd.DataFrame], texts: dict[int, str]) -> None:
    """Refuse to store a span whose offsets do not select its quote."""
    for name in ("codes", "targets"):
        for row in frames[name].itertuples(index=False):
            if texts[row.resolution][row.start : row.end] != row.quote:
                raise RuntimeError(
                    f"{name}: span {row.start}-{row.end} of S/RES/{row.resolution} does not "
                    f"select its quote {row.quote!r}; this is a coder bug, please report it"
                )
