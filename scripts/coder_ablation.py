"""Write the per-rule ablation record of the coder: docs/coder-trials/v9-ablation.md (#32).

For every registered rule, code all stored texts without it (in memory; nothing is stored),
score the codes on the leave-missions-out folds as ``peaceops evaluate --folds`` does, and
record the rule's effect on each fold: the macro F1 with every rule minus the macro F1 without
this one (positive: the rule helps there). The figures with every rule are those of the stored
codes, which must be the current coder's (run ``peaceops code`` first). One rule at a time is
``peaceops evaluate --folds --without RULE``; this runs all of them and writes the table.

Usage:
    .venv/bin/python scripts/coder_ablation.py --db /tmp/coder.duckdb \
        --data-dir ../shared/data --output docs/coder-trials/v9-ablation.md
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from peaceops.coding import crossval
from peaceops.coding.ablation import Ablation
from peaceops.coding.coder import CODER
from peaceops.coding.rules import FAMILIES, REGISTRY, RuleSet
from peaceops.coding.run import code_in_memory
from peaceops.sources import resolve_data_dir
from peaceops.store import Database

#: the columns scoring reads: an ablation that leaves them all as they were scores the same
_SCORED = ["resolution", "paragraph", "task", "modality", "mission"]
_FOLDS = [str(f) for f in range(1, crossval.K + 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--output", type=Path, default=Path("docs/coder-trials/v9-ablation.md"))
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--rules", nargs="*", help="only these rules (default: all)")
    args = parser.parse_args()
    started = time.perf_counter()
    golds = crossval.read_golds(resolve_data_dir(args.data_dir) / "mandates/pema-dev")
    names = args.rules or list(REGISTRY)
    RuleSet.without(names)  # unknown names fail here
    with Database(args.db) as db:
        stored = db.scalar("SELECT min(coder) FROM codes")
        if stored != CODER:
            sys.exit(f"{args.db} holds codes of {stored}, not {CODER}: run `peaceops code` first")
        full_codes = db.execute("SELECT * FROM codes")
        full = crossval.cross_validate_stored(db, golds)
        key = _key(full_codes)
        rows = []
        for i, name in enumerate(names, start=1):
            codes = code_in_memory(db, without=[name], workers=args.workers)
            changed = len(key.symmetric_difference(_key(codes)))
            if changed == 0:  # the scored columns are as they were: the same figures
                ablated = full
            else:
                ablated = crossval.cross_validate_stored(db, golds, codes=codes)
            result = Ablation((name,), full, ablated)
            rows.append(_row(name, result, len(full_codes), len(codes), changed))
            print(f"{i}/{len(names)} {name}: {changed} scored codes differ", file=sys.stderr)
    seconds = time.perf_counter() - started
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(_markdown(rows, full, seconds), encoding="utf-8")
    print(f"wrote {args.output} in {seconds:.0f} s", file=sys.stderr)


def _key(codes: pd.DataFrame) -> set[tuple]:
    frame = codes[_SCORED].astype(object).where(codes[_SCORED].notna(), None)
    return set(map(tuple, frame.to_numpy().tolist()))


def _row(name: str, result: Ablation, n_full: int, n_without: int, changed: int) -> dict:
    """The rule's effect (with - without) on each fold and overall, for the record."""
    rule = REGISTRY[name]
    table = result.per_fold()
    effect = table.assign(effect=table["with"] - table["without"])

    def of(definition: str, level: str, group: str) -> pd.Series:
        part = effect[
            (effect["definition"] == definition)
            & (effect["level"] == level)
            & (effect["group"] == group)
        ]
        return part.set_index("fold")["effect"]

    raw = of("raw_v2", "resolution", "all")
    folds = {f: raw.get(f) for f in _FOLDS}
    written = _written_folds(rule.written_from)
    held_out = [folds[f] for f in _FOLDS if f not in written and pd.notna(folds[f])]

    def mean(series: pd.Series) -> float:
        return series[series.index != "all"].mean()

    return {
        "rule": rule.id,
        "family": rule.family,
        "since": rule.since,
        "written_from": rule.written_from,
        "folds": folds,
        "mean": mean(raw),
        "pooled": raw.get("all"),
        "held_out": sum(held_out) / len(held_out) if written and held_out else None,
        "partiality": mean(of("raw_v2", "resolution", "partiality")),
        "v1.2": mean(of("v1.2", "resolution", "all")),
        "text": mean(of("raw_v2_text", "resolution", "all")),
        "modality": mean(of("raw_v2", "modality", "all")),
        "codes": n_full - n_without,
        "changed": changed,
    }


def _written_folds(written_from: str) -> set[str]:
    """The folds named in ``written_from`` ("folds 1, 4 (...)" -> {"1", "4"}); none for "all"."""
    head = written_from.split("(", 1)[0]
    if "all" in head or "before" in head:
        return set()
    return set(re.findall(r"\d", head))


def _fmt(value: float | None) -> str:
    if value is None or value != value:
        return "-"
    if abs(value) < 5e-5:
        return "0"
    return f"{value:+.4f}"


def _markdown(rows: list[dict], full: crossval.CrossValidation, seconds: float) -> str:
    summary = full.summary().set_index(["definition", "level", "group"])
    base = full.per_fold
    raw = base[(base["definition"] == "raw_v2") & (base["level"] == "resolution")]
    raw = raw[raw["group"] == "all"].set_index("fold")["macro_f1"]
    line = summary.loc[("raw_v2", "resolution", "all")]
    out = [
        "# Coder v9 (first slice): the effect of each rule, by ablation",
        "",
        "<!-- Generated by scripts/coder_ablation.py; do not edit by hand. -->",
        "",
        f"Coder `{CODER}` ({len(REGISTRY)} rules), measured "
        f"{datetime.now(UTC):%Y-%m-%d} with `peaceops evaluate --folds --without RULE` for "
        f"each rule ({seconds / 60:.0f} minutes). The record's format is in "
        "[README.md](README.md).",
        "",
        f"With every rule: raw_v2 (resolution level, tasks with >= 5 units) fold mean "
        f"**{line['mean']:.4f}**, pooled {line['pooled']:.4f}; folds "
        + " / ".join(f"{raw.get(int(f), float('nan')):.3f}" for f in _FOLDS)
        + ".",
        "",
        "**Effect** = macro F1 with every rule minus macro F1 without this rule: positive, the "
        "rule helps on that fold; `0`, the rule changes no scored code there (or changes codes "
        "in both directions that cancel); `-`, no task to score. *Held-out* is the mean effect "
        "on the folds the rule was not written from, when its record names folds (`all folds` "
        "and `before the folds` leave none). *Codes* is how many codes the whole corpus loses "
        "without the rule (negative: gains); *changed* how many (resolution, paragraph, task, "
        "modality, mission) rows differ.",
        "",
    ]
    header = (
        "| rule | since | written from | fold 1 | fold 2 | fold 3 | fold 4 | fold 5 | mean | "
        "pooled | held-out | partiality | v1.2 | text | modality | codes | changed |"
    )
    for family in FAMILIES:
        part = [r for r in rows if r["family"] == family]
        if not part:
            continue
        out += [f"## {family}", "", header, "|" + "---|" * 17]
        for r in part:
            cells = [
                f"`{r['rule']}`", r["since"], r["written_from"],
                *(_fmt(r["folds"][f]) for f in _FOLDS),
                _fmt(r["mean"]), _fmt(r["pooled"]), _fmt(r["held_out"]), _fmt(r["partiality"]),
                _fmt(r["v1.2"]), _fmt(r["text"]), _fmt(r["modality"]),
                f"{r['codes']:,}", f"{r['changed']:,}",
            ]  # fmt: skip
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    main()
