"""Trial of the learned task proposer (issue #32): the folds with and without it.

Usage::

    .venv/bin/python scripts/learned_trial.py --db /tmp/po.duckdb --data-dir ../shared/data \\
        --output docs/coder-trials/learned.md

For each outer fold of :func:`peaceops.coding.crossval.read_folds` (lockbox missions dropped)
the proposer is fitted without the fold's missions, its C and threshold chosen on the inner
folds (:func:`peaceops.coding.learned.fit_fold`). Three coders are scored exactly as
``peaceops evaluate --folds`` scores the stored codes: the rules alone, rules + proposer as the
nested choice decides (which may be "propose nothing"), and rules + proposer forced to propose
(the inner folds' best C and threshold, "nothing" not allowed), to show what proposing does.
The lockbox is neither trained on nor scored here.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pandas as pd

from peaceops.coding.crossval import cited_in_text, cross_validate, read_folds, read_golds
from peaceops.coding.learned import LEARNED_BASE, fit_fold
from peaceops.coding.learned_features import LOCKBOX, paragraph_units, read_corpus
from peaceops.store.database import Database

SWEEP = (0.3, 0.5, 0.7, 0.9)  # thresholds at which the forced proposer's effect is counted
_ROWS = [  # (definition, level, group)
    ("raw_v2", "resolution", "all"),
    ("raw_v2", "resolution", "partiality"),
    ("v1.2", "resolution", "all"),
    ("raw_v2_text", "resolution", "all"),
    ("raw_v2", "modality", "all"),
    ("raw_v2", "modality", "partiality"),
]


def _units(codes: pd.DataFrame, gold: pd.DataFrame) -> tuple[int, int]:
    """(recovered misses, added false positives) of proposals on gold's resolutions."""
    own = gold[gold["task"].notna() & ~gold["inherited"].astype(bool)]
    truth = set(zip(own["resolution"], own["task"], strict=True))
    mine = codes[codes["resolution"].isin(set(gold["resolution"]))]
    pairs = set(zip(mine["resolution"], mine["task"], strict=True))
    return len(pairs & truth), len(pairs - truth)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    db = Database(args.db)
    started = time.perf_counter()
    corpus = read_corpus(db)
    read_seconds = time.perf_counter() - started
    folds = read_folds()  # the development folds: the lockbox is in none
    golds = read_golds(args.data_dir / "mandates" / "pema-dev")
    golds = {name: g[~g["mission"].isin(LOCKBOX)] for name, g in golds.items()}
    paragraphs = db.execute("SELECT resolution, label FROM paragraphs")
    scored = dict(golds, raw_v2_text=cited_in_text(golds["raw_v2_text"], paragraphs))
    texts = paragraphs["resolution"].unique()

    models, proposals, record, sweep = {}, {}, [], []
    for fold, group in folds.groupby("fold"):
        held_out = sorted(group["mission"])
        model = models[fold] = fit_fold(
            corpus, golds["raw_v2"], held_out, folds=folds, seed=args.seed, propose_nothing=False
        )
        assert not (set(model.missions) & (LOCKBOX | set(held_out)))
        tic = time.perf_counter()
        proposed = proposals[fold] = model.propose(corpus)
        code_seconds = time.perf_counter() - tic
        best = max(v for k, v in model.inner.items() if k != "rules")
        nested = best > model.inner["rules"]
        fold_gold = golds["raw_v2"][golds["raw_v2"]["mission"].isin(held_out)]
        tp, fp = _units(proposed, fold_gold)
        units = paragraph_units(corpus, fold_gold["resolution"].unique(), coded_only=True)
        row = {"fold": int(fold)}
        for t in SWEEP:
            at = model.proposer.propose(units, corpus.texts, corpus.paragraphs, threshold=t)
            row[f"p >= {t}"] = "{} / {} / {}".format(len(at), *_units(at, fold_gold))
        sweep.append(row)
        record.append(
            {"fold": int(fold), "missions": ", ".join(held_out),
             "train missions": len(model.missions), "train resolutions": len(model.resolutions),
             "inner rules": model.inner["rules"], "inner best": best, "C": model.C,
             "threshold": model.threshold, "nested": "propose" if nested else "nothing",
             "proposals": len(proposed[proposed["resolution"].isin(fold_gold["resolution"])]),
             "recovered": tp, "added fp": fp, "fit s": model.seconds, "code all s": code_seconds}
        )  # fmt: skip

    def codes_of(kind: str):
        def codes(held_out: list[str]) -> pd.DataFrame:
            fold = int(folds.loc[folds["mission"] == held_out[0], "fold"].iloc[0])
            keep = kind == "forced" or record[fold - 1]["nested"] == "propose"
            if not keep or proposals[fold].empty:
                return corpus.codes
            return pd.concat([corpus.codes, proposals[fold]], ignore_index=True)

        return codes

    results = {
        kind: cross_validate(codes_of(kind), scored, folds=folds, texts=texts, coder=kind)
        for kind in ("rules", "nested", "forced")
    }
    tic = time.perf_counter()
    paragraph_units(corpus, corpus.codes["resolution"].unique())
    units_seconds = time.perf_counter() - tic
    args.output.write_text(
        _document(
            results,
            pd.DataFrame(record),
            pd.DataFrame(sweep),
            read_seconds,
            units_seconds,
            corpus.rules,
        ),
        encoding="utf-8",
    )


def _figures(results: dict) -> pd.DataFrame:
    rows = []
    for kind, cv in results.items():
        frame = pd.concat([cv.per_fold, cv.pooled], ignore_index=True)
        for (definition, level, group), part in frame.groupby(["definition", "level", "group"]):
            if (definition, level, group) not in _ROWS:
                continue
            values = {str(f): v for f, v in zip(part["fold"], part["macro_f1"], strict=True)}
            folds = [values.get(str(k), float("nan")) for k in range(1, 6)]
            rows.append({"definition": definition, "level": level, "group": group,
                         "coder": kind, **{f"fold {k}": v for k, v in zip(range(1, 6), folds,
                                                                            strict=True)},
                         "mean": pd.Series(folds).mean(), "pooled": values.get("all")})  # fmt: skip
    table = pd.DataFrame(rows)
    order = {key: i for i, key in enumerate(_ROWS)}
    table["order"] = [
        order[(d, lv, g)] for d, lv, g in table[["definition", "level", "group"]].values
    ]
    table["kind"] = table["coder"].map({"rules": 0, "nested": 1, "forced": 2})
    return table.sort_values(["order", "kind"]).drop(columns=["order", "kind"])


def _markdown(frame: pd.DataFrame, digits: int = 3) -> str:
    def cell(value) -> str:
        if isinstance(value, float):
            return "—" if pd.isna(value) else f"{value:.{digits}f}"
        return str(value)

    lines = ["| " + " | ".join(frame.columns) + " |", "|" + "---|" * len(frame.columns)]
    lines += [
        "| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)
    ]
    return "\n".join(lines)


def _document(results, record, sweep, read_seconds, units_seconds, rules) -> str:
    figures = _figures(results)
    raw = figures[(figures["definition"] == "raw_v2") & (figures["level"] == "resolution")
                  & (figures["group"] == "all")].set_index("coder")  # fmt: skip
    changes = {
        kind: [raw.loc[kind, f"fold {k}"] - raw.loc["rules", f"fold {k}"] for k in range(1, 6)]
        for kind in ("nested", "forced")
    }
    verdict = {
        kind: "gains on every fold" if all(c > 0 for c in ch) else
        f"does not gain on every fold (changes {', '.join(f'{c:+.3f}' for c in ch)})"
        for kind, ch in changes.items()
    }  # fmt: skip
    chose = record["nested"].tolist()
    conclusion = (
        f"The nested choice proposes nothing on {chose.count('nothing')} of {len(chose)} "
        "folds: on the training missions' inner folds every (C, threshold) scored below the "
        "rules alone. "
        + ("Rules + proposer are the rules, so the proposer **is not kept** (it gains on no "
           "fold; the lockbox cannot change that)."
           if chose.count("nothing") == len(chose) else
           "See the table for the folds where it proposes.")
    )  # fmt: skip
    return f"""# Trial: a learned task proposer beside the rules (#32)

Generated by `scripts/learned_trial.py`; do not edit by hand. Proposer
`{LEARNED_BASE}` (`peaceops.coding.learned`) standing on rules `{rules}`.

## Decision rule (written before the figures)

The proposer is **kept only if it gains on the lockbox AND on every outer fold** (raw_v2,
resolution level, all tasks: the target figure). The folds are reported here; the lockbox
(11 sealed missions, `src/peaceops/coding/lockbox.csv`) is scored once, by someone else, with
`peaceops.coding.learned.lockbox_codes`, and added to docs/evaluation.md.

## Scoring the lockbox (once)

```python
from peaceops.coding.crossval import cross_validate, read_golds
from peaceops.coding.learned import lockbox_codes

golds = read_golds(pema_dir)          # all of pema-dev; the fit drops the lockbox itself
codes = lockbox_codes(db, golds)      # rules + proposals, fitted on the 23 dev missions
```

then score `codes` on the lockbox missions as the rules' codes are scored (one fold of the 11
missions). When the inner folds choose to propose nothing, `codes` are the rules' codes.

## Protocol

- Outer folds: `crossval.read_folds()` without the lockbox missions (23 missions in 5 folds).
  For outer fold k the proposer is fitted only on the other folds' missions; a resolution that
  gold codes for a held-out or lockbox mission is never a training resolution, and
  `TaskProposer.fit` refuses units of those missions.
- Unit: a top-level paragraph with all its sub-paragraphs (`30(a)(ii)` belongs to `30`);
  label: the raw_v2 tasks whose gold cells cite its number (cells citing another document
  are not labels).
- Features: TF-IDF of words and word pairs of the unit's text, and the rules' signals as words
  (tasks the rules coded there, their modalities, whether the mission is named or generic,
  the Council's verb, strength markers, has sub-paragraphs, length bucket).
- Model: one logistic regression per task (liblinear, class weights balanced, seeded),
  tasks with at least 3 labelled units.
- Combination: the rules decide addressee and modality. A task is proposed only for a unit the
  rules coded for a mission, for that mission, and only when the rules coded the task nowhere
  in the resolution. Modality: the task's default in tasks.yaml, else the rules' modality in
  that paragraph. Evidence: the clause with the task's heaviest terms (`text[start:end] ==
  quote`).
- Nested choice: C in (0.3, 1, 3) and threshold in 0.5 … 0.99, and "propose nothing", chosen
  by raw_v2 macro F1 of rules + proposals on the training missions' out-of-fold units (inner
  folds = the other outer folds). `nested` below is that choice; `forced` leaves out "propose
  nothing" and takes the inner folds' best C and threshold, to show what proposing does.

## Verdict on the folds

{conclusion}

- nested: {verdict["nested"]}.
- forced: {verdict["forced"]}.

## Macro F1 per outer fold (rules alone vs rules + proposer)

{_markdown(figures)}

## Per fold: what the inner folds chose, what the proposer did, how long it took

`inner rules` / `inner best`: raw_v2 macro F1 on the training missions' out-of-fold units, of
the rules alone and of the best (C, threshold) with proposals; `C`, `threshold`: that best
choice (what `forced` uses); `nested`: what the nested choice is (propose only when the best
beats the rules alone). `proposals`, `recovered`, `added fp`: the forced proposer's codes on
the fold's gold resolutions, and the (resolution, task) units among them that the gold has
(misses recovered: the rules had coded none of these tasks in that resolution) and that it
has not (false positives added). `fit s`: the fold's fit, inner folds included; `code all s`:
proposing over every text the fold's model was not trained on.

{_markdown(record)}

What the forced proposer (each fold's C) would add on the fold's held-out resolutions at
lower thresholds than the inner folds chose: proposals, misses recovered, false positives
added ((resolution, task) units), as "proposals / recovered / added fp".

{_markdown(sweep)}

## What else was tried (not kept)

Diagnostics on the training missions only (out-of-fold units of the inner folds of outer
folds 1 and 3; no held-out and no lockbox mission), counting proposals (resolution, task) at a
probability threshold and how many the raw_v2 gold has:

| variant | proposals at p >= 0.5 | in gold | at p >= 0.8 | in gold |
|---|---|---|---|---|
| as kept: all units, class weights balanced | 307 | 16 | 111 | 4 |
| + wordllama 0.4.0.post1 embeddings (256 d, weights shipped in the wheel) | 260 | 16 | 95 | 6 |

and on outer fold 1's training missions alone: class weights not balanced: 14 proposals at
p >= 0.5, none in gold; trained on coded units only: 81, 5 in gold; trained on the residue
(gold tasks minus those the rules coded in the resolution): 5, none in gold.

- **wordllama** (`pip download wordllama==0.4.0.post1`): its weights
  (`wordllama/weights/l2_supercat_256.safetensors`, 16 MB) and tokenizer ship inside the wheel,
  but `WordLlama.load()` looks for the tokenizer in `wordllama/tokenizer/` (the wheel has
  `tokenizers/`) and then downloads it; `WordLlama.load(cache_dir=Path(wordllama.__file__).parent,
  disable_download=True)` loads both offline in about 1 s. The embeddings did not measurably
  help (above), so they are left out; `TaskProposer(embed=...)` takes any such function.
- **Why so few**: on the development missions (lockbox excluded) the rules miss 165 raw_v2
  (resolution, task) units; only 42 of them are cited in a paragraph the rules coded for the
  mission (the only place the proposer may add), 60 in a paragraph with no rule code (16 of
  those addressed to the mission by the rules' address rules), 33 cite a paragraph number the
  stored text lacks and 30 another document. What PEMA codes there is mostly inferred, not
  said: "Reconcil" from "facilitate this dialogue between the Government and all relevant
  political actors" (S/RES/1840 ¶7), "StateAuthority" from support to the border committee
  (S/RES/1870 ¶17).

Reading the store's texts, paragraphs and rule codes: {read_seconds:.2f} s. Building the
units of every coded text: {units_seconds:.2f} s; proposing over every text with a fitted
model (`code all s`, units included) is the extra cost over the rules' coding.
"""


if __name__ == "__main__":
    main()
