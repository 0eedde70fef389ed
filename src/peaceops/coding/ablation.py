"""Measure a coder rule by ablation: the folds' scores with the rule and without it.

Data flow: :func:`ablate` codes every stored text in memory with all the registered rules but
the ones left out (:func:`peaceops.coding.run.code_in_memory`; nothing is stored), scores those
codes on the leave-missions-out folds exactly as ``peaceops evaluate --folds`` scores the
stored ones (:func:`peaceops.coding.crossval.cross_validate_stored`), and puts the two sets of
figures side by side (:class:`Ablation`). The figures with every rule come from the stored codes
when they were made by the same rule set (:data:`~peaceops.coding.coder.CODER`), else from
coding again in memory.

A rule whose removal lowers a fold's score helped on that fold; one whose removal raises it
hurt there. docs/coder-trials/README.md describes the record kept for each rule.
DOCS: docs/evaluation.md
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from peaceops.coding.crossval import CrossValidation, cross_validate_stored
from peaceops.coding.rules import RuleSet

if TYPE_CHECKING:
    from peaceops.store.database import Database

__all__ = ["Ablation", "ablate", "baseline"]

_KEYS = ["definition", "level", "group"]


@dataclass(frozen=True)
class Ablation:
    """The folds' figures of the coder with every rule and without some.

    Attributes:
        without: the rules left out (family names expanded).
        full: the figures with every rule.
        ablated: the figures without ``without``.
    """

    without: tuple[str, ...]
    full: CrossValidation
    ablated: CrossValidation

    def per_fold(self) -> pd.DataFrame:
        """definition, level, group, fold (1..K, then "all" pooled), with, without, change."""
        frames = []
        for cv, column in ((self.full, "with"), (self.ablated, "without")):
            rows = pd.concat([cv.per_fold, cv.pooled], ignore_index=True)
            rows = rows.assign(fold=rows["fold"].astype(str))
            frames.append(rows.set_index([*_KEYS, "fold"])["macro_f1"].rename(column))
        table = pd.concat(frames, axis=1).reset_index()
        return table.assign(change=table["without"] - table["with"])

    def summary(self) -> pd.DataFrame:
        """Per definition, level and group: fold means and pooled figures, with and without.

        Also the change on each fold (``fold_changes``, by fold number).
        """
        rows = []
        table = self.per_fold()
        for key, group in table.groupby(_KEYS, sort=False):
            folds = group[group["fold"] != "all"]
            pooled = group[group["fold"] == "all"]
            row = dict(zip(_KEYS, key, strict=True))
            row.update(
                mean_with=folds["with"].mean(),
                mean_without=folds["without"].mean(),
                pooled_with=pooled["with"].iloc[0] if len(pooled) else float("nan"),
                pooled_without=pooled["without"].iloc[0] if len(pooled) else float("nan"),
            )
            row["mean_change"] = row["mean_without"] - row["mean_with"]
            row["pooled_change"] = row["pooled_without"] - row["pooled_with"]
            row["fold_changes"] = {
                str(f): c for f, c in zip(folds["fold"], folds["change"], strict=True)
            }
            rows.append(row)
        return pd.DataFrame(rows)

    def to_json(self) -> dict:
        """The rules left out, both coders' names, the summary and the per-fold rows."""

        def records(frame: pd.DataFrame) -> list[dict]:
            return json.loads(frame.to_json(orient="records"))

        return {
            "without": list(self.without),
            "coder_with": self.full.coder,
            "coder_without": self.ablated.coder,
            "summary": records(self.summary()),
            "per_fold": records(self.per_fold()),
        }


def baseline(
    db: Database,
    golds: Mapping[str, pd.DataFrame],
    *,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> CrossValidation:
    """The folds' figures with every rule.

    Of the stored codes when the current rule set made them, else of codes made again in memory.
    """
    from peaceops.coding.run import current_codes

    codes = current_codes(db, workers=workers, progress=progress)
    return cross_validate_stored(db, golds, codes=codes)


def ablate(
    db: Database,
    golds: Mapping[str, pd.DataFrame],
    without: Sequence[str],
    *,
    full: CrossValidation | None = None,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Ablation:
    """The folds' figures with every rule and without ``without`` (rule or family names).

    Args:
        db: a knowledge base with the texts (and, usually, the codes of every rule).
        golds: :func:`peaceops.coding.crossval.read_golds`.
        without: the rules to leave out, together.
        full: the figures with every rule, when already computed (:func:`baseline`).
        workers: processes to code with (default: the machine's CPUs).
        progress: called with (texts done, total) while coding.

    Raises:
        CodingError: an unknown rule name (before any work; the message lists close matches).
    """
    from peaceops.coding.run import code_in_memory

    rules = RuleSet.without(without)
    if full is None:
        full = baseline(db, golds, workers=workers)
    codes = code_in_memory(db, without=rules.removed, workers=workers, progress=progress)
    ablated = cross_validate_stored(db, golds, codes=codes)
    if ablated.coder == "no codes":
        ablated = CrossValidation(rules.version, ablated.per_fold, ablated.pooled)
    return Ablation(rules.removed, full, ablated)
