"""Trial of a learned scorer over the rule coder's codes, under leave-missions-out (issue #16).

The rules propose (resolution, task) units with their evidence spans; a logistic regression
keeps or drops each unit. It is fitted once per fold on the other folds' missions, with PEMA
raw_v2 as the label (a unit is positive when raw_v2 codes the task in that resolution), and
scored by ``peaceops.coding.crossval`` on the fold's own missions. Kept units keep every code
(and span) the rules gave them, so the scorer can only remove codes.

Features, by ``--features``:

- ``rules``: the task (one-hot), how many paragraphs give it, the least paragraph depth, the
  shares of its codes in the Encouraged / Security / Monitor modalities, which Council verbs
  give it, and the resolution's number of operative paragraphs, tasks and coded paragraphs.
- ``embedding``: the task (one-hot), the log number of codes, and the mean sentence embedding
  of the words around each code (``--window`` characters before the match, 60 after, inside
  the paragraph), from wordllama's bundled 256-dimension model. wordllama is not a dependency
  of peaceops: ``pip install wordllama==0.4.0.post1`` to run this; its loader looks for the
  tokenizer in a folder the wheel does not ship it in and then tries the network, so the
  weights and tokenizer are read here from the wheel's own files.

Prints the per-fold summary of the scorer and of the rules alone. Deterministic (lbfgs).

    .venv/bin/python scripts/scorer_trial.py --db out/peaceops.duckdb --features rules \\
        --C 1 --threshold 0.15
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression

from peaceops.coding.crossval import cross_validate, read_golds
from peaceops.coding.pema import PEMA_TASKS
from peaceops.sources import resolve_data_dir
from peaceops.store import Database

_VERBS = ("requests", "decides", "authorizes", "calls upon", "encourages", "urges")


def _rule_features(codes: pd.DataFrame, paragraphs: pd.DataFrame) -> pd.DataFrame:
    operative = paragraphs[paragraphs["kind"] == "operative"].groupby("resolution").size()
    codes = codes.merge(
        paragraphs[["resolution", "label", "depth"]].rename(columns={"label": "paragraph"}),
        how="left",
    )
    by_res = codes.groupby("resolution")
    grouped = codes.groupby(["resolution", "task"])
    units = pd.DataFrame(
        {
            "paragraphs": np.log1p(grouped["paragraph"].nunique()),
            "depth": grouped["depth"].min(),
            **{
                f"share_{m}": grouped["modality"].agg(lambda s, m=m: (s == m).mean())
                for m in ("Encouraged", "Security", "Monitor")
            },
            **{
                f"verb_{v}": grouped["verb"].agg(lambda s, v=v: float((s.str.lower() == v).any()))
                for v in _VERBS
            },
        }
    ).reset_index()
    resolution = pd.DataFrame(
        {
            "operative": np.log1p(operative),
            "tasks": np.log1p(by_res["task"].nunique()),
            "coded_paragraphs": np.log1p(by_res["paragraph"].nunique()),
        }
    )
    return units.join(resolution, on="resolution").fillna(0.0)


def _embedding_features(
    codes: pd.DataFrame, paragraphs: pd.DataFrame, texts: dict[int, str], window: int
) -> pd.DataFrame:
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer
    from wordllama import __file__ as package
    from wordllama.inference import WordLlamaInference

    root = Path(package).parent
    weights = load_file(str(root / "weights/l2_supercat_256.safetensors"))["embedding.weight"]
    tokenizer = Tokenizer.from_file(str(root / "tokenizers/l2_supercat_tokenizer_config.json"))
    model = WordLlamaInference(weights, tokenizer)
    spans = paragraphs[["resolution", "label", "start", "end"]].rename(
        columns={"label": "paragraph", "start": "p_start", "end": "p_end"}
    )
    codes = codes.merge(spans, how="left").reset_index(drop=True)
    contexts = [
        texts[r][max(int(ps), s - window) : min(int(pe), e + 60)]
        for r, ps, pe, s, e in zip(
            codes["resolution"],
            codes["p_start"],
            codes["p_end"],
            codes["start"],
            codes["end"],
            strict=True,
        )
    ]
    vectors = pd.DataFrame(np.asarray(model.embed(contexts), dtype=float) * 10)
    vectors[["resolution", "task"]] = codes[["resolution", "task"]]
    units = vectors.groupby(["resolution", "task"]).mean()
    units["codes"] = np.log1p(codes.groupby(["resolution", "task"]).size())
    units.columns = units.columns.astype(str)
    return units.reset_index()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, default=Path("out/peaceops.duckdb"))
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--features", choices=["rules", "embedding"], default="rules")
    parser.add_argument("--C", type=float, default=1.0)
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--window", type=int, default=200)
    args = parser.parse_args()
    logging.disable(logging.WARNING)

    db = Database(args.db)
    codes = db.execute("SELECT * FROM codes")
    codes = codes[codes["task"].isin(PEMA_TASKS)]  # the others are not scored
    paragraphs = db.execute("SELECT * FROM paragraphs")
    read = paragraphs["resolution"].unique()
    golds = read_golds(resolve_data_dir(args.data_dir) / "mandates/pema-dev")
    if args.features == "rules":
        units = _rule_features(codes, paragraphs)
    else:
        texts = dict(db.tuples("SELECT number, text FROM resolutions WHERE text IS NOT NULL"))
        units = _embedding_features(codes, paragraphs, texts, args.window)
    tasks = pd.get_dummies(pd.Categorical(units["task"], categories=PEMA_TASKS)).astype(float)
    matrix = np.hstack([units.drop(columns=["resolution", "task"]).to_numpy(float), tasks])
    matrix = (matrix - matrix.mean(0)) / (matrix.std(0) + 1e-9)

    raw = golds["raw_v2"]
    positive = raw[raw["task"].notna() & ~raw["inherited"]][["resolution", "task"]]
    labelled = (
        units[["resolution", "task"]]
        .reset_index()
        .merge(raw.drop_duplicates(["mission", "resolution"])[["resolution", "mission"]])
        .merge(positive.drop_duplicates().assign(y=1), how="left")
        .fillna({"y": 0})
    )
    labelled = labelled[labelled["resolution"].isin(read)]

    def fitted(held_out: list[str]) -> pd.DataFrame:
        train = labelled[~labelled["mission"].isin(held_out)]
        model = LogisticRegression(C=args.C, max_iter=5000)
        model.fit(matrix[train["index"]], train["y"])
        keep = model.predict_proba(matrix)[:, 1] >= args.threshold
        return codes.merge(units.loc[keep, ["resolution", "task"]])

    scored = cross_validate(fitted, golds, texts=read, coder="scorer").summary()
    rules = cross_validate(codes, golds, texts=read, coder="rules").summary()
    scored[["rules_mean", "rules_pooled"]] = rules[["mean", "pooled"]]
    print(f"features={args.features} C={args.C} threshold={args.threshold}")
    print(scored.round(4).to_string(index=False))


if __name__ == "__main__":
    main()
