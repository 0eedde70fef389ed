"""A learned component that proposes tasks the rules miss (issue #32), fitted fold by fold.

Data flow: the paragraph units of :mod:`peaceops.coding.learned_features` (top-level
paragraphs with the rules' signals) of the training missions' resolutions, labelled with the
PEMA tasks their gold cells cite, train :class:`TaskProposer`: TF-IDF words and word pairs
plus the rules' signal words -> one logistic regression per task (class weights balanced).
:func:`fit_fold` fits it for one outer fold of :func:`peaceops.coding.crossval.read_folds`:
its regularisation and probability threshold are chosen on **inner** folds (the other outer
folds, each held out in turn from the training missions: nested), by the raw_v2 macro F1 of
rules plus proposals on the training missions' out-of-fold units; "propose nothing" is one of
the choices. The model is then fitted on all training missions. :func:`learned_codes` returns
the rule codes of every text plus the proposals for every resolution it was not trained on:
the ``codes`` callable of :func:`peaceops.coding.crossval.cross_validate`.

The combination: the rules decide who is addressed and how. The proposer only adds a task
to a unit the rules already coded for a mission (a paragraph with at least one rule code), for
that mission, when the rules coded the task nowhere in the resolution; the code's modality is
the task's default in coding/tasks.yaml, else the rules' modality in that paragraph; its
evidence is the clause of the paragraph that carries the task's heaviest terms; its coder is
:data:`LEARNED` (``peaceops.learned_tasks.v1+<rules hash>``).

Evaluation hygiene: no lockbox mission (:data:`~peaceops.coding.learned_features.LOCKBOX`) and
no held-out mission is ever in a training set (:meth:`TaskProposer.fit` refuses them), nor any
resolution that gold codes for one of them. Everything is seeded; nothing is fetched.
DOCS: docs/coder-trials/learned.md
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import scipy.sparse as sp

from peaceops.coding.crossval import DEFINITIONS, read_folds
from peaceops.coding.evaluate import evaluate_pema
from peaceops.coding.learned_features import (
    LOCKBOX,
    Corpus,
    clauses,
    gold_labels,
    paragraph_units,
    read_corpus,
)
from peaceops.coding.pema import PEMA_TASKS
from peaceops.coding.run import CODE_COLUMNS
from peaceops.coding.taxonomy import TASK_BY_STEM
from peaceops.errors import CodingError

if TYPE_CHECKING:
    from peaceops.store.database import Database

__all__ = [
    "C_GRID",
    "LEARNED_BASE",
    "THRESHOLDS",
    "FoldModel",
    "TaskProposer",
    "fit_fold",
    "learned_codes",
    "learned_name",
    "lockbox_codes",
]

logger = logging.getLogger(__name__)

#: the proposer's own version; the rules' hash is appended (:func:`learned_name`)
LEARNED_BASE = "peaceops.learned_tasks.v1"
#: regularisation strengths tried on the inner folds
C_GRID = (0.3, 1.0, 3.0)
#: probability thresholds tried on the inner folds ("propose nothing" is tried as well)
THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98, 0.99)
_MIN_POSITIVES = 3  # a task is learned only with this many labelled units in training
#: raw_v2: tasks with this many gold units count in the macro F1 (crossval's definition)
_MIN_SUPPORT = next(d.min_support for d in DEFINITIONS if d.name == "raw_v2")


def learned_name(rules: str) -> str:
    """The coder name of proposals standing on rule set ``rules``: ``...v1+0584e318``."""
    return f"{LEARNED_BASE}+{rules.rsplit('+', 1)[-1]}"


class TaskProposer:
    """A paragraph-level multi-label task classifier (one logistic regression per task).

    Attributes:
        tasks: the tasks it learned (those with enough labelled units).
        name: the coder name its codes carry.
        missions: the missions whose gold it was fitted on.
    """

    def __init__(
        self,
        *,
        C: float = 1.0,  # noqa: N803 (scikit-learn's name)
        seed: int = 0,
        class_weight: str | None = "balanced",
        embed: Callable[[list[str]], np.ndarray] | None = None,
    ) -> None:
        self.C, self.seed, self.class_weight, self.embed = C, seed, class_weight, embed
        self.tasks: tuple[str, ...] = ()
        self.missions: frozenset[str] = frozenset()
        self.name = LEARNED_BASE

    def fit(
        self,
        units: pd.DataFrame,
        labels: Sequence[frozenset[str]],
        *,
        held_out: Iterable[str] = (),
        rules: str = "",
    ) -> TaskProposer:
        """Fit on ``units`` (:func:`paragraph_units` plus a ``mission`` column: whose gold).

        Raises:
            CodingError: a unit of a lockbox or held-out mission (training must not see
                them), or no task with enough labelled units.
        """
        from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        missions = frozenset(units["mission"].astype(str))
        sealed = missions & (LOCKBOX | frozenset(held_out))
        if sealed:
            raise CodingError(
                f"training units of {sorted(sealed)}: lockbox and held-out missions may not be "
                "trained on; drop them from the training set (see learned.fit_fold)"
            )
        counts = pd.Series([t for ts in labels for t in ts], dtype="string").value_counts()
        self.tasks = tuple(  # and one unit without: a task on every unit is nothing to learn
            t for t in PEMA_TASKS if _MIN_POSITIVES <= counts.get(t, 0) < len(labels)
        )
        if not self.tasks:
            raise CodingError(f"no task has {_MIN_POSITIVES} labelled units to learn from")
        self._words = TfidfVectorizer(
            ngram_range=(1, 2), min_df=2, max_features=20_000, sublinear_tf=True,
            dtype=np.float64,
        )  # fmt: skip
        self._signals = CountVectorizer(
            token_pattern=r"\S+",  # noqa: S106 (a pattern, no password)
            lowercase=False,
            binary=True,
            dtype=np.float64,
        )
        self._words.fit(units["text"])
        self._signals.fit(units["signals"])
        x = self._features(units)
        self._models = []
        for task in self.tasks:
            y = np.fromiter((task in ts for ts in labels), dtype=bool, count=len(labels))
            model = LogisticRegression(
                C=self.C, class_weight=self.class_weight, solver="liblinear", random_state=self.seed
            )
            self._models.append(model.fit(x, y))
        self._coef = np.vstack([m.coef_[0, : len(self._words.vocabulary_)] for m in self._models])
        self.missions = missions
        self.name = learned_name(rules) if rules else LEARNED_BASE
        return self

    def _features(self, units: pd.DataFrame) -> sp.csr_matrix:
        parts = [self._words.transform(units["text"]), self._signals.transform(units["signals"])]
        if self.embed is not None:  # dense vectors of a static embedding (optional, see doc)
            parts.append(sp.csr_matrix(self.embed(list(units["text"]))))
        return sp.hstack(parts, format="csr")

    def predict_proba(self, units: pd.DataFrame) -> np.ndarray:
        """Probability of each of :attr:`tasks` (columns) for each unit (rows)."""
        if not self.tasks:
            raise RuntimeError("call TaskProposer.fit(...) before predict_proba()")
        if len(units) == 0:
            return np.zeros((0, len(self.tasks)))
        x = self._features(units)
        return np.column_stack([m.predict_proba(x)[:, 1] for m in self._models])

    def propose(
        self,
        units: pd.DataFrame,
        texts: Mapping[int, str],
        paragraphs: pd.DataFrame,
        *,
        threshold: float,
        proba: np.ndarray | None = None,
    ) -> pd.DataFrame:
        """The codes proposed for ``units`` at ``threshold`` (rows of the ``codes`` table).

        Only units the rules coded (``coded``), once per mission the rules name there, and only
        tasks the rules coded nowhere in the resolution.
        """
        gated = units[units["coded"].to_numpy(bool)]
        proba = self.predict_proba(gated) if proba is None else proba[units["coded"].to_numpy(bool)]
        wanted = []
        for i, j in zip(*np.nonzero(proba >= threshold), strict=True):
            task = self.tasks[j]
            if task not in gated["tasks"].iat[i]:
                wanted.append((i, j))
        return self._codes(gated, wanted, texts, paragraphs)

    def _codes(self, gated, wanted, texts, paragraphs) -> pd.DataFrame:
        """Codes for (unit row, task column) pairs, each with its evidence clause."""
        rows = []
        pieces = []  # (pair index, clause start, clause end)
        for k, (i, _) in enumerate(wanted):
            unit = gated.iloc[i]
            text = texts[int(unit["resolution"])]
            pieces += [(k, a, b) for a, b in clauses(text, int(unit["start"]), int(unit["end"]))]
        if not pieces:
            return pd.DataFrame(columns=CODE_COLUMNS)
        quotes = [texts[int(gated["resolution"].iat[wanted[k][0]])][a:b] for k, a, b in pieces]
        scores = self._words.transform(quotes)
        best: dict[int, tuple[float, int, int]] = {}
        for n, (k, a, b) in enumerate(pieces):
            row = scores.getrow(n)
            weight = float(row.data @ self._coef[wanted[k][1], row.indices])
            if k not in best or weight > best[k][0]:
                best[k] = (weight, a, b)
        labels = _leaf_labels(paragraphs, gated["resolution"].unique())
        for k, (i, j) in enumerate(wanted):
            unit, task = gated.iloc[i], self.tasks[j]
            _, start, end = best[k]
            number = int(unit["resolution"])
            modality = TASK_BY_STEM[task].modality
            if modality is None:
                modality = unit["modality"] if pd.notna(unit["modality"]) else "Assist"
            label = _leaf(labels.get(number, []), start) or unit["label"]
            for mission in unit["missions"] or ("",):
                rows.append((number, label, task, modality, unit["verb"], list(unit["strength"]),
                             start, end, texts[number][start:end], TASK_BY_STEM[task].partiality,
                             self.name, mission or None))  # fmt: skip
        return pd.DataFrame(rows, columns=CODE_COLUMNS)


def _leaf_labels(paragraphs: pd.DataFrame, numbers) -> dict[int, list[tuple[int, int, str]]]:
    part = paragraphs[paragraphs["resolution"].isin(list(numbers))]
    out: dict[int, list[tuple[int, int, str]]] = {}
    for r, s, e, label in zip(part["resolution"], part["start"], part["end"], part["label"],
                              strict=True):  # fmt: skip
        out.setdefault(int(r), []).append((int(s), int(e), str(label)))
    return out


def _leaf(spans: list[tuple[int, int, str]], at: int) -> str | None:
    """The innermost stored paragraph holding offset ``at`` (the shortest span holding it)."""
    holding = [(e - s, label) for s, e, label in spans if s <= at < e]
    return min(holding)[1] if holding else None


@dataclass
class FoldModel:
    """One outer fold's proposer, with what was chosen on its inner folds and how long it took.

    Attributes:
        held_out: the missions the model never saw.
        missions: the missions it was trained on.
        resolutions: the resolutions it was trained on.
        proposer: the fitted :class:`TaskProposer`, or None when the inner folds chose to
            propose nothing.
        C: the chosen regularisation strength.
        threshold: the chosen probability threshold (infinite: propose nothing).
        inner: inner-fold raw_v2 macro F1 per (C, threshold), and of the rules alone.
        seconds: fit time (inner folds included).
    """

    held_out: tuple[str, ...]
    missions: tuple[str, ...]
    resolutions: frozenset[int]
    proposer: TaskProposer | None
    C: float
    threshold: float
    inner: dict = field(default_factory=dict)
    seconds: float = 0.0

    def propose(self, corpus: Corpus, units: pd.DataFrame | None = None) -> pd.DataFrame:
        """Proposals for every coded unit of the resolutions the model was not trained on."""
        if units is None:
            coded = corpus.codes["resolution"].unique()
            numbers = [n for n in coded if n not in self.resolutions]
            units = paragraph_units(corpus, numbers, coded_only=True)
        else:
            units = units[~units["resolution"].isin(self.resolutions)]
        if self.proposer is None:
            return pd.DataFrame(columns=CODE_COLUMNS)
        units = units[units["coded"].to_numpy(bool)]
        return self.proposer.propose(
            units, corpus.texts, corpus.paragraphs, threshold=self.threshold
        )


def _raw_v2(gold: pd.DataFrame) -> pd.DataFrame:
    if isinstance(gold, Mapping):
        gold = gold["raw_v2"]
    return gold


def _training(
    corpus: Corpus, gold: pd.DataFrame, missions: Iterable[str], sealed: Iterable[str]
) -> tuple[pd.DataFrame, list[frozenset[str]]]:
    """The labelled units of ``missions``' resolutions; none of a resolution ``sealed`` touch."""
    missions, sealed = set(missions), set(sealed) | LOCKBOX
    if missions & sealed:
        raise CodingError(f"missions {sorted(missions & sealed)} are sealed for this fit")
    touched = set(gold.loc[gold["mission"].isin(sealed), "resolution"])
    rows = gold[gold["mission"].isin(missions) & ~gold["resolution"].isin(touched)]
    owner = rows.drop_duplicates("resolution").set_index("resolution")["mission"]
    numbers = [n for n in owner.index if int(n) in corpus.texts]
    units = paragraph_units(corpus, numbers)
    units["mission"] = units["resolution"].map(owner).astype(str)
    return units, gold_labels(units, rows)


def _macro_f1(codes: pd.DataFrame, gold: pd.DataFrame, texts: Iterable[int]) -> float:
    """raw_v2's figure: resolution-level macro F1 over tasks with >= 5 gold units."""
    report = evaluate_pema(codes, gold, level="resolution", tasks=PEMA_TASKS, texts=texts)
    kept = report.per_task[report.per_task["support"] >= _MIN_SUPPORT]["task"]
    return report.group_macro_f1(kept)


def fit_fold(
    corpus: Corpus,
    gold: pd.DataFrame,
    held_out: Iterable[str],
    *,
    folds: pd.DataFrame | None = None,
    seed: int = 0,
    c_grid: Sequence[float] = C_GRID,
    thresholds: Sequence[float] = THRESHOLDS,
    propose_nothing: bool = True,
) -> FoldModel:
    """Fit the proposer without ``held_out``, C and threshold chosen on inner folds.

    The inner folds are the outer folds of ``folds`` (default :func:`read_folds`, lockbox
    dropped) restricted to the training missions; each inner fold's units are predicted by a
    model fitted on the others, and the (C, threshold) whose rules-plus-proposals score best on
    those out-of-fold units is kept (ties: the higher threshold, then the smaller C).

    Args:
        corpus: :func:`read_corpus`.
        gold: PEMA raw_v2 gold (:func:`peaceops.coding.pema.read_pema_gold`) or
            :func:`~peaceops.coding.crossval.read_golds`' mapping.
        held_out: the missions the model must not see.
        folds: the fold assignment.
        seed: the seed of every fit.
        c_grid: regularisation strengths to try.
        thresholds: thresholds to try.
        propose_nothing: whether "no proposals" (the rules alone) is one of the choices;
            False forces the best (C, threshold), to see what proposing does.
    """
    started = time.perf_counter()
    gold = _raw_v2(gold)
    held_out = tuple(sorted(set(held_out)))
    folds = read_folds() if folds is None else folds
    folds = folds[~folds["mission"].isin(LOCKBOX | set(held_out))]
    train = sorted(set(folds["mission"]) & set(gold["mission"].dropna()))
    units, labels = _training(corpus, gold, train, held_out)
    gold_train = gold[
        gold["mission"].isin(train) & gold["resolution"].isin(set(units["resolution"]))
    ]
    texts = list(corpus.texts)
    rule_codes = corpus.codes[corpus.codes["resolution"].isin(set(units["resolution"]))]
    inner: dict = {"rules": _macro_f1(rule_codes, gold_train, texts)}
    # out-of-fold probabilities of every training unit, per C
    mission_fold = dict(zip(folds["mission"], folds["fold"], strict=True))
    unit_fold = units["mission"].map(mission_fold).to_numpy()
    for c in c_grid:
        parts = []
        for k in sorted(set(unit_fold)):
            fit_rows = unit_fold != k
            proposer = TaskProposer(C=c, seed=seed).fit(
                units[fit_rows], [lab for lab, f in zip(labels, fit_rows, strict=True) if f],
                held_out=[*held_out, *units.loc[~fit_rows, "mission"].unique()],
                rules=corpus.rules,
            )  # fmt: skip
            parts.append((proposer, units[~fit_rows & units["coded"].to_numpy(bool)]))
        for t in thresholds:
            proposals = [
                p.propose(u, corpus.texts, corpus.paragraphs, threshold=t) for p, u in parts
            ]
            codes = pd.concat([rule_codes, *proposals], ignore_index=True)
            inner[(c, t)] = _macro_f1(codes, gold_train, texts)
    chosen, threshold = _choose(inner, propose_nothing=propose_nothing)
    proposer = None
    if chosen is not None:
        proposer = TaskProposer(C=chosen, seed=seed).fit(
            units, labels, held_out=held_out, rules=corpus.rules
        )
    return FoldModel(
        held_out, tuple(train), frozenset(int(n) for n in units["resolution"]), proposer,
        chosen if chosen is not None else float("nan"), threshold, inner,
        time.perf_counter() - started,
    )  # fmt: skip


def _choose(inner: dict, *, propose_nothing: bool) -> tuple[float | None, float]:
    """The best (C, threshold) of the inner folds; (None, inf) when the rules alone win.

    Ties go to the higher threshold, then the smaller C (fewer proposals, more regularised).
    """
    score, t, _, c = max((v, k[1], -k[0], k[0]) for k, v in inner.items() if k != "rules")
    if propose_nothing and inner["rules"] >= score:
        return None, float("inf")
    return c, t


def learned_codes(
    db: Database | Corpus,
    golds: pd.DataFrame | Mapping[str, pd.DataFrame],
    held_out: Iterable[str],
    *,
    seed: int = 0,
    folds: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Rule codes of every text plus the proposals of a model fitted without ``held_out``.

    The ``codes`` callable of :func:`peaceops.coding.crossval.cross_validate`:
    ``cross_validate(lambda held_out: learned_codes(corpus, golds, held_out), golds, ...)``.
    Proposals are made for every resolution the model was not trained on.
    """
    corpus = db if isinstance(db, Corpus) else read_corpus(db)
    model = fit_fold(corpus, golds, held_out, folds=folds, seed=seed)
    logger.info("learned proposer without %s: C=%s threshold=%s", model.held_out, model.C,
                model.threshold)  # fmt: skip
    proposed = model.propose(corpus)
    if proposed.empty:  # the inner folds chose to propose nothing: the rules' codes
        return corpus.codes.copy()
    return pd.concat([corpus.codes, proposed], ignore_index=True)


def lockbox_codes(
    db: Database | Corpus, golds: pd.DataFrame | Mapping[str, pd.DataFrame], *, seed: int = 0
) -> pd.DataFrame:
    """The codes to score the lockbox with, once: fitted on every pema-dev mission but those."""
    return learned_codes(db, golds, sorted(LOCKBOX), seed=seed)
