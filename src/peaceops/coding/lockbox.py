"""The lockbox (#32): pema-dev missions no rule is written from, scored once per coder release.

The folds were used to choose the coder's rules, so their figures flatter it (docs/evaluation.md).
The lockbox is the figure that cannot: 11 whole missions of pema-dev (``lockbox.csv``,
:func:`peaceops.coding.crossval.read_lockbox`), chosen on 2026-12-07 as the missions none of whose
resolutions any rule, task pattern or example of the coder quotes (a test keeps it so).
The protocol:

- the lockbox missions are in no fold (:func:`~peaceops.coding.crossval.read_folds` leaves
  them out), and nothing fitted may see them (:mod:`peaceops.coding.learned` refuses them);
- they are scored pooled (no folds), with a 95% interval from resampling whole missions;
- what is shown is the macro F1 of each definition and level, and how far PEMA's own releases
  agree on the same missions: never a disagreement, a task's F1 or one of their resolutions;
- a release's figure is written once to a record (``src/peaceops/coding/lockbox-record.csv``,
  :func:`record_score`); a second score of the same coder version is refused.

They are clean only from their choice on: every pema-dev mission was in view while coder v1-v8
were written (their codes were checked against all 34 in v6), though none was a rule's source.
DOCS: docs/evaluation.md
"""

from __future__ import annotations

import dataclasses
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from peaceops.coding.crossval import (
    DEFINITIONS,
    PARTIALITY_TASKS,
    CrossValidation,
    cited_in_text,
    cross_validate_stored,
    read_golds,
    read_lockbox,
    release_agreement,
)
from peaceops.coding.evaluate import evaluate_pema
from peaceops.coding.pema import PEMA_TASKS
from peaceops.errors import CodingError

if TYPE_CHECKING:
    from peaceops.store.database import Database

__all__ = [
    "DRAWS",
    "RECORD",
    "RECORD_COLUMNS",
    "LockboxScore",
    "check_unscored",
    "quality",
    "quality_line",
    "read_record",
    "record_score",
    "score_lockbox",
    "score_stored",
]

#: Mission resamples behind each interval.
DRAWS = 2000
#: The columns of a lockbox record (one row per coder release, definition, level and group).
RECORD_COLUMNS = [
    "scored", "coder", "definition", "level", "group", "folds_mean", "macro_f1", "low", "high",
    "tasks", "missions", "resolutions",
]  # fmt: skip
#: The project's record: every release scored, beside its development folds' mean.
RECORD = Path(__file__).with_name("lockbox-record.csv")
_LEVELS = ("resolution", "modality")


@dataclass(frozen=True)
class LockboxScore:
    """The lockbox figures of one coder.

    Attributes:
        coder: the coder's version (``codes.coder``).
        figures: definition, level, group, macro_f1, low, high (95% interval over mission
            resamples), tasks (in the macro).
        missions: the lockbox missions with a gold row (names are public: ``lockbox.csv``).
        resolutions: their gold resolutions with a stored text.
        releases: PEMA's releases scored against each other on the same missions (pooled):
            coder (the pair), definition, level, group, macro_f1.
        folds: the same coder's development folds (definition, level, group, folds_mean:
            the mean over folds), when known; the record keeps them side by side.
    """

    coder: str
    figures: pd.DataFrame
    missions: tuple[str, ...]
    resolutions: int
    releases: pd.DataFrame
    folds: pd.DataFrame | None = None

    def headline(self) -> float:
        """raw_v2 macro F1 at the resolution level, all tasks: the figure of issue #32."""
        row = self.figures.query(
            "definition == 'raw_v2' and level == 'resolution' and group == 'all'"
        )
        return float(row["macro_f1"].iloc[0]) if len(row) else float("nan")

    def to_json(self) -> dict:
        """JSON-ready (NaN becomes None)."""

        def records(frame: pd.DataFrame) -> list[dict]:
            return json.loads(frame.to_json(orient="records"))

        return {"coder": self.coder, "missions": list(self.missions),
                "resolutions": self.resolutions, "figures": records(self.figures),
                "release_agreement": records(self.releases)}  # fmt: skip


def _task_counts(
    codes: pd.DataFrame, gold: pd.DataFrame, missions: list[str], level: str, texts: list[int]
) -> np.ndarray:
    """tp, fp, fn per mission and task: an array (missions, PEMA_TASKS, 3)."""
    counts = np.zeros((len(missions), len(PEMA_TASKS), 3))
    index = {t: i for i, t in enumerate(PEMA_TASKS)}
    for m, mission in enumerate(missions):
        own = gold[gold["mission"] == mission]
        if own.empty:
            continue
        table = evaluate_pema(codes, own, level=level, tasks=PEMA_TASKS, texts=texts).per_task
        for row in table.itertuples(index=False):
            counts[m, index[row.task]] = (row.tp, row.fp, row.fn)
    return counts


def _scored(counts: np.ndarray, tasks: np.ndarray, min_support: int) -> np.ndarray:
    """The tasks a macro F1 counts: a unit in the gold or the codes, ``min_support`` gold units."""
    tp, fp, fn = counts[..., 0], counts[..., 1], counts[..., 2]
    return (tp + fp + fn > 0) & (tp + fn >= min_support) & tasks


def _macro(counts: np.ndarray, tasks: np.ndarray, min_support: int) -> np.ndarray:
    """Macro F1 of summed counts (..., tasks, 3) over the ``tasks`` mask, as evaluate_pema.

    A task counts when it has a unit in the gold or the codes and ``min_support`` gold units.
    """
    tp, fp, fn = counts[..., 0], counts[..., 1], counts[..., 2]
    with np.errstate(invalid="ignore", divide="ignore"):
        f1 = np.where(tp > 0, 2 * tp / (2 * tp + fp + fn), 0.0)
    scored = _scored(counts, tasks, min_support)
    n = scored.sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, (f1 * scored).sum(axis=-1) / n, np.nan)


def score_lockbox(
    codes: pd.DataFrame,
    golds: Mapping[str, pd.DataFrame],
    *,
    paragraphs: pd.DataFrame,
    pema_dir: Path | None = None,
    lockbox: list[str] | None = None,
    draws: int = DRAWS,
    seed: int = 0,
) -> LockboxScore:
    """Score ``codes`` on the lockbox missions under every definition, pooled, with intervals.

    Args:
        codes: the coder's codes (rows of the ``codes`` table), for every text.
        golds: gold per definition name (:func:`~peaceops.coding.crossval.read_golds`).
        paragraphs: the stored paragraphs (resolution, label): which resolutions have a text,
            and which gold cells cite the resolution's own text (raw_v2_text).
        pema_dir: pema-dev, to score PEMA's releases against each other on the lockbox.
        lockbox: the sealed missions (default :func:`read_lockbox`).
        draws: the mission resamples behind each 95% interval.
        seed: their seed.
    """
    missions = sorted(lockbox if lockbox is not None else read_lockbox())
    texts = sorted({int(n) for n in paragraphs["resolution"]})
    by_name = {d.name: d for d in DEFINITIONS}
    rng = np.random.default_rng(seed)
    present = sorted(
        {m for g in golds.values() for m in g.loc[g["mission"].isin(missions), "mission"]}
    )
    if not present:
        raise CodingError("no gold row belongs to a lockbox mission: check the gold files")
    samples = rng.integers(0, len(present), size=(draws, len(present)))
    partial = np.isin(np.array(PEMA_TASKS), list(PARTIALITY_TASKS))
    rows, resolutions = [], set()
    for name, gold in golds.items():
        definition = by_name[name]
        gold = cited_in_text(gold, paragraphs) if definition.own_text else gold
        gold = gold[gold["mission"].isin(present)]
        resolutions |= set(gold.loc[gold["resolution"].isin(texts), "resolution"].astype(int))
        for level in _LEVELS:
            counts = _task_counts(codes, gold, present, level, texts)
            whole, resampled = counts.sum(axis=0), counts[samples].sum(axis=1)
            for group, mask in (("all", np.ones_like(partial)), ("partiality", partial)):
                point = float(_macro(whole, mask, definition.min_support))
                spread = _macro(resampled, mask, definition.min_support)
                spread = spread[~np.isnan(spread)]
                tasks = int(_scored(whole, mask, definition.min_support).sum())
                low, high = np.quantile(spread, [0.025, 0.975]) if len(spread) else (np.nan, np.nan)
                rows.append({"definition": name, "level": level, "group": group,
                             "macro_f1": point, "low": float(low), "high": float(high),
                             "tasks": tasks})  # fmt: skip
    coder = str(codes["coder"].iloc[0]) if len(codes) else "no codes"
    releases = pd.DataFrame(columns=["coder", "definition", "level", "group", "macro_f1"])
    if pema_dir is not None:
        folds = pd.DataFrame({"mission": present, "fold": 0})
        plain = {d.name: golds[d.name] for d in DEFINITIONS if not d.own_text and d.name in golds}
        agreement: list[CrossValidation] = release_agreement(pema_dir, folds=folds, golds=plain)
        releases = pd.concat(
            [cv.pooled.assign(coder=cv.coder) for cv in agreement], ignore_index=True
        )[["coder", "definition", "level", "group", "macro_f1"]]
    return LockboxScore(coder, pd.DataFrame(rows), tuple(present), len(resolutions), releases)


def score_stored(db: Database, pema_dir: Path, *, record: Path | None = None) -> LockboxScore:
    """:func:`score_lockbox` of the codes stored in ``db``, with pema-dev's releases.

    With ``record``, a coder version already in it is refused before the work
    (:func:`check_unscored`).
    """
    codes = db.execute("SELECT * FROM codes")
    if record is not None:
        check_unscored(record, str(codes["coder"].iloc[0]) if len(codes) else "no codes")
    paragraphs = db.execute("SELECT resolution, label FROM paragraphs")
    golds = read_golds(pema_dir)
    score = score_lockbox(codes, golds, paragraphs=paragraphs, pema_dir=pema_dir)
    folds = cross_validate_stored(db, golds, codes=codes).summary()
    folds = folds.rename(columns={"mean": "folds_mean"})
    return dataclasses.replace(score, folds=folds[["definition", "level", "group", "folds_mean"]])


def read_record(path: Path) -> pd.DataFrame:
    """A lockbox record (empty when ``path`` does not exist).

    Raises:
        CodingError: the file is not a lockbox record (other columns, unreadable).
    """
    path = Path(path)
    if not path.exists():
        return pd.DataFrame(columns=RECORD_COLUMNS)
    try:
        record = pd.read_csv(path, dtype={"coder": "string", "scored": "string"})
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise CodingError(f"{path}: not a lockbox record ({exc}); name a new file") from exc
    if list(record.columns) != RECORD_COLUMNS:
        raise CodingError(
            f"{path}: not a lockbox record (columns {', '.join(map(str, record.columns))}, "
            f"expected {', '.join(RECORD_COLUMNS)}); name a new file or the project's record"
        )
    return record


def check_unscored(path: Path, coder: str) -> pd.DataFrame:
    """The record at ``path``, after checking that it does not hold ``coder`` yet.

    Raises:
        CodingError: ``path`` is not a lockbox record, or already holds this coder: a release
            is scored once (a changed rule set gets a new version, and its own rows).
    """
    record = read_record(path)
    if (record["coder"] == coder).any():
        first = record[record["coder"] == coder]["scored"].iloc[0]
        raise CodingError(
            f"{coder} was scored on the lockbox on {first} ({path}); a release is scored "
            "once. Change the rules (the version follows) before scoring again"
        )
    return record


def record_score(path: Path, score: LockboxScore, scored: str) -> str:
    """The record at ``path`` with ``score``'s rows added, as CSV text (the caller writes it).

    Raises:
        CodingError: as :func:`check_unscored`.
    """
    record = check_unscored(path, score.coder)
    figures = score.figures
    keys = ["definition", "level", "group"]
    folds = score.folds if score.folds is not None else figures[keys].assign(folds_mean=np.nan)
    rows = figures.merge(folds, on=keys, how="left").assign(
        scored=scored, coder=score.coder, missions=len(score.missions),
        resolutions=score.resolutions,
    )[RECORD_COLUMNS]  # fmt: skip
    frames = [f for f in (record, rows) if len(f)]
    buffer = io.StringIO()
    pd.concat(frames, ignore_index=True).to_csv(buffer, index=False, float_format="%.4f")
    return buffer.getvalue()


def quality(coder: str, record: Path | None = None) -> dict | None:
    """How ``coder`` measured against PEMA, from the record: None when it was never scored.

    The target figure (raw_v2 macro F1, resolution level, all tasks): ``folds_mean`` (the
    development folds), ``lockbox`` with ``low``/``high`` (its 95% interval), ``missions``,
    ``scored`` (the date). For the pages and reports that show a code's coder.
    """
    try:
        table = read_record(RECORD if record is None else record)
    except CodingError:
        return None
    rows = table[(table["coder"] == coder) & (table["definition"] == "raw_v2")
                 & (table["level"] == "resolution") & (table["group"] == "all")]  # fmt: skip
    if rows.empty:
        return None
    row = rows.iloc[-1]
    return {"coder": coder, "folds_mean": float(row["folds_mean"]),
            "lockbox": float(row["macro_f1"]), "low": float(row["low"]),
            "high": float(row["high"]), "missions": int(row["missions"]),
            "scored": str(row["scored"])}  # fmt: skip


def quality_line(coder: str, record: Path | None = None) -> str:
    """One sentence on how far to trust ``coder``'s codes, for pages and reports (#32)."""
    q = quality(coder, record)
    if q is None:
        return (
            "This coder version has not been scored on the lockbox of sealed missions yet: "
            "its accuracy on missions nobody has read is unknown (docs/evaluation.md)."
        )
    return (
        "Against PEMA's expert codes (raw_v2 macro F1, resolution level) it scores "
        f"{q['folds_mean']:.2f} on the development missions its rules were written from, and "
        f"{q['lockbox']:.2f} (95% interval {q['low']:.2f}-{q['high']:.2f}) on {q['missions']} "
        "sealed missions no rule was written from: read single codes with that in mind "
        "(docs/evaluation.md)."
    )
