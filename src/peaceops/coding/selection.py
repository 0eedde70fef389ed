"""Nested rule selection (#32): which rules the coder keeps, chosen on training folds only.

The folds were used to choose the rules (docs/evaluation.md), so a fold mean is no estimate of
the coder on unseen missions. This module makes the *keeping* of rules a procedure that can be
nested: a rule is kept unless leaving it out raises the mean score of the folds it is chosen
on (:func:`select`). For each development fold k, the rules are chosen on the other folds and
the chosen rule set is scored on fold k (:func:`nested`); the mean over k is the
selection-aware estimate. It covers the choice of which rules to keep, not the writing of
them, which no procedure can undo: only the lockbox (:mod:`~peaceops.coding.lockbox`) speaks
to that.

The score is :data:`SCORE` (raw_v2 macro F1, resolution level, every task with >= 5 gold units
in the fold). A rule's effect on a fold is the score with every rule minus the score without
it; rules are independent of the folds (nothing is fitted), so one ablation per rule serves
every outer fold.
DOCS: docs/evaluation.md
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

import pandas as pd

from peaceops.coding.crossval import cross_validate_stored, read_folds

if TYPE_CHECKING:
    from peaceops.store.database import Database

__all__ = ["SCORE", "fold_scores", "nested", "rule_effects", "select"]

#: The selection's score: (definition, level, group).
SCORE = ("raw_v2", "resolution", "all")


def _gold_numbers(golds: Mapping[str, pd.DataFrame]) -> list[int]:
    """The resolutions the development folds score (nothing else needs coding)."""
    missions = set(read_folds()["mission"])
    return sorted(
        {int(n) for g in golds.values() for n in g.loc[g["mission"].isin(missions), "resolution"]}
    )


def fold_scores(db: Database, golds: Mapping[str, pd.DataFrame], codes: pd.DataFrame) -> pd.Series:
    """:data:`SCORE` on each development fold (index: fold 1..K)."""
    definition, level, group = SCORE
    cv = cross_validate_stored(db, {definition: golds[definition]}, codes=codes)
    rows = cv.per_fold[(cv.per_fold["level"] == level) & (cv.per_fold["group"] == group)]
    return rows.set_index("fold")["macro_f1"].astype(float).sort_index()


def rule_effects(
    db: Database,
    golds: Mapping[str, pd.DataFrame],
    rules: Sequence[str],
    *,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """Each rule's effect on each development fold: rule, fold, with, without, effect.

    ``effect`` = score with every rule - score without the rule (positive: the rule helps).
    """
    from peaceops.coding.run import code_in_memory

    numbers = _gold_numbers(golds)
    full = fold_scores(db, golds, code_in_memory(db, numbers=numbers, workers=workers))
    frames = []
    for i, rule in enumerate(rules):
        codes = code_in_memory(db, without=[rule], numbers=numbers, workers=workers)
        without = fold_scores(db, golds, codes).reindex(full.index)
        frame = {"rule": rule, "fold": full.index, "with": full.to_numpy()}
        frames.append(pd.DataFrame({**frame, "without": without.to_numpy()}))
        if progress:
            progress(i + 1, len(rules))
    effects = pd.concat(frames, ignore_index=True)
    return effects.assign(effect=effects["with"] - effects["without"])


def select(effects: pd.DataFrame, folds: Sequence[int]) -> list[str]:
    """The rules to drop, chosen on ``folds`` only: those whose removal raises their mean.

    A rule with no effect there is kept (it was written from a text or a definition, and
    nothing on these folds speaks against it); a fold with no score (NaN) is skipped.
    """
    on = effects[effects["fold"].isin(list(folds))]
    mean = on.groupby("rule", sort=False)["effect"].mean()
    return sorted(mean[mean < 0].index)


def nested(
    db: Database,
    golds: Mapping[str, pd.DataFrame],
    effects: pd.DataFrame,
    *,
    workers: int | None = None,
) -> pd.DataFrame:
    """The selection-aware estimate: per outer fold, the rules dropped and both scores.

    ``effects`` is :func:`rule_effects`' table; its ``with`` column is each fold's score with
    every rule. Columns: fold, dropped (the rules dropped on the other folds), all_rules (the
    fold's score with every rule), selected (its score with the rules chosen without it).
    """
    from peaceops.coding.run import code_in_memory

    numbers = _gold_numbers(golds)
    full = effects.drop_duplicates("fold").set_index("fold")["with"].sort_index()
    rows = []
    for fold in full.index:
        dropped = select(effects, [f for f in full.index if f != fold])
        if dropped:
            codes = code_in_memory(db, without=dropped, numbers=numbers, workers=workers)
            score = float(fold_scores(db, golds, codes).get(fold))
        else:
            score = float(full[fold])
        rows.append({"fold": int(fold), "dropped": ", ".join(dropped),
                     "all_rules": float(full[fold]), "selected": score})  # fmt: skip
    return pd.DataFrame(rows)
