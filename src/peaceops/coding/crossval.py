"""Leave-missions-out cross-validation of the mandate coder against PEMA (issue #16).

The 34 missions of pema-dev were split into :data:`K` folds of whole missions. The split is
stored in ``folds.csv`` beside this module and was fixed before any rule of coder v6 was
changed: :func:`assign_folds` is the procedure that made it (a snake draft of the missions by
their number of raw_v2 resolution rows, largest first, ties by name), and a test checks that
the stored file is what the procedure gives on the real data.

Since #32, 11 of the 34 are sealed in a **lockbox** (``lockbox.csv``, :func:`read_lockbox`):
whole missions no rule is written from, scored once per release of the coder
(:mod:`peaceops.coding.lockbox`) and never shown disagreement by disagreement.
:func:`read_folds` leaves them out, so that every fold figure is over the 23 development
missions only.

Every figure is given per fold, as the mean and spread over folds, and pooled over all
missions. Two definitions of macro F1 at the resolution-task level (and the same at the
modality level), as :data:`DEFINITIONS` says:

- ``v1.2``: PEMA v1.2 as gold (the 18 African missions, so some folds have few of them),
  every task with a unit in the gold or the codes;
- ``raw_v2``: PEMA raw_v2 as gold, only tasks with at least 5 gold units in the scored
  missions. This is how the coder is measured on PEMA missions it has never seen.

A third, ``raw_v2_text``, is a diagnostic and not a target: raw_v2 as gold, but only its cells
that cite a paragraph of the resolution's own stored text (not a paragraph of a report of the
Secretary-General, nor one the stored text lacks), tasks with at least 5 such units. It tells
how far the coder is from what a reader of the text alone can find.

``partiality`` is the same macro F1 over :data:`PARTIALITY_TASKS` only: the PEMA tasks the
impartiality index counts as partial or even-handed, and ``StateAuthority`` (partial when the
mission secures it). :func:`release_agreement` scores PEMA's releases against each other the
same way, on the resolutions both code: the ceiling a coder can hope for.

``codes`` may depend on the fold: pass a callable ``codes(held_out_missions) -> DataFrame``
when a component is fitted (it must not see the held-out missions while fitting).
DOCS: docs/evaluation.md
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from peaceops.coding.evaluate import PARTIALITY_TASKS, evaluate_pema
from peaceops.coding.pema import DEFAULT_GOLD, PEMA_TASKS, pema_as_codes, read_pema_gold
from peaceops.errors import CodingError

if TYPE_CHECKING:
    from peaceops.store.database import Database

__all__ = [
    "DEFINITIONS",
    "FOLDS_FILE",
    "LOCKBOX_FILE",
    "PARTIALITY_TASKS",
    "CrossValidation",
    "Definition",
    "K",
    "assign_folds",
    "cited_in_text",
    "cross_validate",
    "cross_validate_stored",
    "read_folds",
    "read_golds",
    "read_lockbox",
    "release_agreement",
]

#: Number of folds.
K = 5
#: The stored fold assignment (mission, fold), fixed before coder v6.
FOLDS_FILE = Path(__file__).with_name("folds.csv")
#: The sealed missions (mission, chosen, coder at the time), chosen on 2026-12-07 (#32).
LOCKBOX_FILE = Path(__file__).with_name("lockbox.csv")
_LEVELS = ("resolution", "modality")


@dataclass(frozen=True)
class Definition:
    """One way to score: which release is gold and which tasks count in the macro F1."""

    name: str
    release_file: str
    min_support: int
    description: str
    #: only gold cells citing the resolution's own text (:func:`cited_in_text`)
    own_text: bool = False


DEFINITIONS = (
    Definition(
        "raw_v2", "pema_raw_v2_dev.csv", 5, "PEMA raw_v2 as gold, tasks with >= 5 gold units"
    ),
    Definition("v1.2", DEFAULT_GOLD, 0, "PEMA v1.2 as gold, every task"),
    Definition(
        "raw_v2_text",
        "pema_raw_v2_dev.csv",
        5,
        "PEMA raw_v2 as gold, only cells citing a paragraph of the resolution's own text, "
        "tasks with >= 5 such units (a diagnostic, not a target)",
        own_text=True,
    ),
)
_RELEASE_PAIRS = (  # (gold definition, release read as codes)
    ("raw_v2", "pema_feb22_v1.2_dev.csv"),
    ("raw_v2", "pema_website_v4_dev.csv"),
    ("v1.2", "pema_raw_v2_dev.csv"),
    ("v1.2", "pema_website_v4_dev.csv"),
)


def assign_folds(gold: pd.DataFrame, k: int = K) -> pd.DataFrame:
    """The procedure behind ``folds.csv``: missions by resolution rows, drafted in a snake.

    The largest mission goes to fold 1, the next to fold 2, ..., the k-th to fold k, the
    (k+1)-th to fold k again and back, so that folds hold similar numbers of resolutions.
    """
    rows = gold.drop_duplicates(["mission", "resolution"]).groupby("mission").size()
    order = sorted(rows.index, key=lambda m: (-int(rows[m]), m))
    snake = [*range(1, k + 1), *range(k, 0, -1)]
    folds = pd.DataFrame(
        {"mission": order, "fold": [snake[i % (2 * k)] for i in range(len(order))]}
    )
    return folds.sort_values(["fold", "mission"]).reset_index(drop=True)


def read_lockbox(path: Path = LOCKBOX_FILE) -> list[str]:
    """The sealed missions of pema-dev (#32), sorted: no fold, no rule, no disagreement list."""
    try:
        box = pd.read_csv(path, dtype="string")
    except (OSError, ValueError) as exc:
        raise CodingError(f"{path}: cannot read the lockbox ({exc})") from exc
    if list(box.columns) != ["mission", "chosen", "coder"] or box["mission"].isna().any():
        raise CodingError(f"{path}: expected columns mission,chosen,coder, one mission a row")
    if box["mission"].duplicated().any():
        raise CodingError(f"{path}: a mission is listed twice")
    return sorted(box["mission"])


def read_folds(path: Path = FOLDS_FILE, *, lockbox: Path | None = LOCKBOX_FILE) -> pd.DataFrame:
    """The development folds: the stored assignment (folds 1..K) without the lockbox missions.

    ``lockbox=None`` gives the assignment as stored (all 34 missions), as it was made.
    """
    folds = pd.read_csv(path, dtype={"mission": "string", "fold": "int64"})
    if list(folds.columns) != ["mission", "fold"] or folds["mission"].duplicated().any():
        raise CodingError(f"{path}: expected one row per mission with columns mission,fold")
    if lockbox is not None:
        folds = folds[~folds["mission"].isin(read_lockbox(lockbox))].reset_index(drop=True)
    return folds


def read_golds(pema_dir: Path) -> dict[str, pd.DataFrame]:
    """The gold of each :data:`DEFINITIONS` entry, read from a pema-dev directory (each file once).

    ``raw_v2_text`` is raw_v2 whole here: :func:`cited_in_text` narrows it to the cells a
    stored text supports (:func:`cross_validate_stored` does).
    """
    read: dict[str, pd.DataFrame] = {}
    for d in DEFINITIONS:
        if d.release_file not in read:
            read[d.release_file] = read_pema_gold(Path(pema_dir) / d.release_file)
    return {d.name: read[d.release_file] for d in DEFINITIONS}


def cited_in_text(gold: pd.DataFrame, paragraphs: pd.DataFrame) -> pd.DataFrame:
    """The gold cells that cite a paragraph of the resolution's own text.

    A cell citing a paragraph of another document (a report of the Secretary-General), or a
    paragraph number the stored text does not have (PEMA read it from the report the
    resolution approves), is left out; inherited cells stay (they are never scored).

    Args:
        gold: a :func:`read_pema_gold` frame.
        paragraphs: the stored paragraphs (resolution, label).
    """
    number = gold["paragraph"].astype("string").str.extract(r"^(p?\d+)", expand=False)
    labels = paragraphs["label"].astype("string").str.extract(r"^(p?\d+)", expand=False)
    known = set(zip(paragraphs["resolution"].astype("int64"), labels, strict=True))
    cites = pd.Series(
        [(int(r), n) in known for r, n in zip(gold["resolution"], number.fillna(""), strict=True)],
        index=gold.index,
    )
    kept = gold[gold["inherited"].astype(bool) | (gold["document"].isna() & cites)]
    kept.attrs = gold.attrs
    return kept


def _score_rows(
    codes: pd.DataFrame, gold: pd.DataFrame, definition: Definition, texts: list[int] | None
) -> list[dict]:
    rows = []
    for level in _LEVELS:
        report = evaluate_pema(codes, gold, level=level, tasks=PEMA_TASKS, texts=texts)
        kept = report.per_task[report.per_task["support"] >= definition.min_support]["task"]
        for group, tasks in (("all", kept), ("partiality", kept[kept.isin(PARTIALITY_TASKS)])):
            rows.append({"definition": definition.name, "level": level, "group": group,
                         "macro_f1": report.group_macro_f1(tasks), "tasks": len(tasks),
                         "micro_f1": report.micro_f1})  # fmt: skip
    return rows


@dataclass(frozen=True)
class CrossValidation:
    """Per-fold and pooled figures of one coder (or one PEMA release read as codes).

    Attributes:
        coder: the coder's name (or the release's).
        per_fold: definition, level, group, fold, missions, macro_f1, tasks, micro_f1.
        pooled: the same over all missions at once (fold = "all").
    """

    coder: str
    per_fold: pd.DataFrame
    pooled: pd.DataFrame

    def summary(self) -> pd.DataFrame:
        """Mean, standard deviation, min and max over folds, and the pooled figure."""
        keys = ["definition", "level", "group"]
        stats = self.per_fold.groupby(keys, sort=False)["macro_f1"].agg(
            mean="mean", sd="std", low="min", high="max", folds="count"
        )
        pooled = self.pooled.set_index(keys)["macro_f1"].rename("pooled")
        return stats.join(pooled).reset_index()

    def to_json(self) -> dict:
        """Return the summary and the per-fold rows, JSON-ready (NaN becomes None)."""

        def records(frame: pd.DataFrame) -> list[dict]:
            return json.loads(frame.to_json(orient="records"))

        return {"coder": self.coder, "summary": records(self.summary()),
                "per_fold": records(self.per_fold)}  # fmt: skip


def cross_validate(
    codes: pd.DataFrame | Callable[[list[str]], pd.DataFrame],
    golds: Mapping[str, pd.DataFrame],
    *,
    folds: pd.DataFrame | None = None,
    texts: Iterable[int] | None = None,
    coder: str = "",
) -> CrossValidation:
    """Score ``codes`` on each fold's missions under every definition in ``golds``.

    Args:
        codes: the codes (rows of the ``codes`` table), or a callable that returns the codes
            of a model fitted without the given held-out missions.
        golds: gold per definition name (:func:`read_golds`).
        folds: the fold assignment (default: :func:`read_folds`).
        texts: resolutions with a text to code; gold resolutions outside are left out.
        coder: the name recorded with the figures.
    """
    folds = read_folds() if folds is None else folds
    texts = None if texts is None else [int(n) for n in texts]
    by_name = {d.name: d for d in DEFINITIONS}
    unknown = set(golds) - set(by_name)
    if unknown:
        raise CodingError(f"unknown definitions {sorted(unknown)}; use {sorted(by_name)}")
    rows, parts = [], []
    for fold, group in folds.groupby("fold"):
        held_out = sorted(group["mission"])
        fold_codes = codes(held_out) if callable(codes) else codes
        for name, gold in golds.items():
            scoped = gold[gold["mission"].isin(held_out)]
            if scoped.empty:
                continue
            for row in _score_rows(fold_codes, scoped, by_name[name], texts):
                rows.append({**row, "fold": int(fold), "missions": ", ".join(held_out)})
        if callable(codes):  # pooled: each resolution coded by the model that did not see it
            own = pd.concat(
                [g.loc[g["mission"].isin(held_out), "resolution"] for g in golds.values()]
            )
            parts.append(fold_codes[fold_codes["resolution"].isin(own)])
    pooled_codes = pd.concat(parts, ignore_index=True) if callable(codes) else codes
    pooled = [
        {**row, "fold": "all"}
        for name, gold in golds.items()
        for row in _score_rows(
            pooled_codes, gold[gold["mission"].isin(folds["mission"])], by_name[name], texts
        )
    ]
    return CrossValidation(coder, pd.DataFrame(rows), pd.DataFrame(pooled))


def release_agreement(
    pema_dir: Path,
    *,
    folds: pd.DataFrame | None = None,
    golds: Mapping[str, pd.DataFrame] | None = None,
) -> list[CrossValidation]:
    """PEMA's releases scored against each other, fold by fold, on the rows both code.

    ``golds`` (:func:`read_golds`) saves reading those releases again.
    """
    pema_dir = Path(pema_dir)
    golds = read_golds(pema_dir) if golds is None else golds
    releases = {d.release_file: golds[d.name] for d in DEFINITIONS if not d.own_text}
    results = []
    for name, release in _RELEASE_PAIRS:
        if release not in releases:
            releases[release] = read_pema_gold(pema_dir / release)
        other = releases[release]
        common = golds[name][["mission", "resolution"]].merge(
            other[["mission", "resolution"]].drop_duplicates()
        )
        gold = golds[name].merge(common.drop_duplicates())
        gold.attrs = golds[name].attrs
        codes = pema_as_codes(other[other["resolution"].isin(common["resolution"])])
        label = f"{other.attrs.get('release', release)} vs {name}"
        results.append(cross_validate(codes, {name: gold}, folds=folds, coder=label))
    return results


def cross_validate_stored(
    db: Database, golds: Mapping[str, pd.DataFrame], *, codes: pd.DataFrame | None = None
) -> CrossValidation:
    """:func:`cross_validate` on the codes stored in ``db`` (one coder, the stored one).

    ``codes`` (rows of the ``codes`` table, e.g. made in memory by an ablation,
    :mod:`peaceops.coding.ablation`) replaces the stored codes; the stored paragraphs still
    decide which resolutions have a text.
    """
    if codes is None:
        codes = db.execute("SELECT * FROM codes")
    paragraphs = db.execute("SELECT resolution, label FROM paragraphs")
    texts = paragraphs["resolution"].unique()
    own_text = {d.name for d in DEFINITIONS if d.own_text}
    golds = {
        name: cited_in_text(gold, paragraphs) if name in own_text else gold
        for name, gold in golds.items()
    }
    name = str(codes["coder"].iloc[0]) if len(codes) else "no codes"
    return cross_validate(codes, golds, texts=texts, coder=name)
