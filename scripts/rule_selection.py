"""Nested rule selection of the coder (#32): docs/coder-trials/v9-selection.md.

For every registered rule, code the development folds' resolutions without it (in memory) and
record its effect on each fold (:func:`peaceops.coding.selection.rule_effects`). Then, for each
fold k, choose the rules to drop on the other folds only and score fold k with what is kept
(:func:`peaceops.coding.selection.nested`): the selection-aware estimate. Last, the rules the
procedure drops when it sees all development folds: the rule set it would ship. The lockbox
missions are in no fold and are never coded here.

Usage:
    .venv/bin/python scripts/rule_selection.py --db /tmp/po.duckdb --data-dir ../shared/data \
        --output docs/coder-trials/v9-selection.md
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime
from pathlib import Path

from peaceops.coding import crossval
from peaceops.coding.coder import CODER
from peaceops.coding.rules import REGISTRY
from peaceops.coding.selection import SCORE, nested, rule_effects, select
from peaceops.sources import resolve_data_dir
from peaceops.store import Database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--output", type=Path, default=Path("docs/coder-trials/v9-selection.md"))
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    started = time.perf_counter()
    golds = crossval.read_golds(resolve_data_dir(args.data_dir) / "mandates/pema-dev")
    with Database(args.db, read_only=True) as db:
        effects = rule_effects(db, golds, list(REGISTRY), workers=args.workers,
                               progress=lambda i, n: print(f"{i}/{n}", flush=True))  # fmt: skip
        outer = nested(db, golds, effects, workers=args.workers)
    folds = sorted(effects["fold"].unique())
    final = select(effects, folds)
    minutes = (time.perf_counter() - started) / 60
    args.output.write_text(_markdown(effects, outer, final, minutes), encoding="utf-8")
    print(f"wrote {args.output} in {minutes:.1f} min")


def _markdown(effects, outer, final, minutes: float) -> str:
    definition, level, group = SCORE
    folds = sorted(effects["fold"].unique())
    all_mean, sel_mean = outer["all_rules"].mean(), outer["selected"].mean()
    lines = [
        "# Nested rule selection (#32)",
        "",
        f"Coder {CODER}, {len(REGISTRY)} rules, scored on the {len(folds)} development folds "
        f"(23 missions; the lockbox's 11 are in none). Score: {definition} macro F1, {level} "
        f"level, {group} tasks with >= 5 gold units in the fold. Written by "
        f"`scripts/rule_selection.py` on {datetime.now(UTC):%Y-%m-%d} in {minutes:.0f} min.",
        "",
        "**Procedure** (`peaceops.coding.selection`): a rule is dropped when leaving it out "
        "raises the mean score of the folds it is chosen on; a rule with no effect is kept. "
        "For each fold k the rules are chosen on the other folds and the kept set is scored on "
        "fold k. The mean over k is the selection-aware estimate: it covers the *keeping* of "
        "rules, not their writing (every development mission was in view while v1-v8 were "
        "written), which only the lockbox speaks to.",
        "",
        "## Selection-aware estimate",
        "",
        "| outer fold | rules dropped (chosen on the other folds) | every rule | kept rules |",
        "|---|---|---|---|",
    ]
    for row in outer.itertuples(index=False):
        lines.append(f"| {row.fold} | {row.dropped or 'none'} | {row.all_rules:.3f} | "
                     f"{row.selected:.3f} |")  # fmt: skip
    lines += [
        f"| **mean** | | **{all_mean:.3f}** | **{sel_mean:.3f}** |",
        "",
        f"Selection changes the fold mean by {sel_mean - all_mean:+.4f}. "
        + (
            f"Seeing all development folds, the procedure drops: {', '.join(final)}."
            if final
            else "Seeing all development folds, the procedure drops no rule: every rule "
            "helps or is neutral on the folds' mean."
        ),
        "",
        "## Each rule's effect on each fold",
        "",
        "Score with every rule minus score without it (positive: it helps). Only rules with an "
        "effect on some fold are listed; the others change no scored unit.",
        "",
        "| rule | " + " | ".join(f"fold {f}" for f in folds) + " | mean |",
        "|---|" + "---|" * (len(folds) + 1),
    ]
    table = effects.pivot(index="rule", columns="fold", values="effect").reindex(list(REGISTRY))
    for rule, row in table.iterrows():
        if row.fillna(0).abs().max() == 0:
            continue
        cells = " | ".join("-" if v != v else f"{v:+.4f}" for v in row)
        lines.append(f"| {rule} | {cells} | {row.mean():+.4f} |")
    silent = int((table.fillna(0).abs().max(axis=1) == 0).sum())
    lines += ["", f"{silent} of {len(table)} rules change no scored unit on any fold.", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
