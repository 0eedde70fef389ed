"""The discrete-time hazard model: regularised logistic regression on the mission-month panel.

Data flow::

    panel rows whose outcome window had closed --fit(features)--> HazardModel
        (features standardised on the training rows; scikit-learn's L2 logistic regression with
        a penalty fixed before any backtest, ``C``; deterministic lbfgs)
    HazardModel.predict(rows) -> 12-month probabilities
    HazardModel.contributions(rows) -> per feature: coefficient x standardised value (log-odds
        away from an average training month), the drivers printed with each forecast
    bootstrap(train, rows, ...) -> percentile interval from refits on missions resampled with
        replacement (seeded)

With fewer than ``MIN_EVENTS`` missions forced out among the training rows the model cannot be
estimated and predicts the training base rate instead (``fallback``), and says so.

Example::

    model = fit(train, FEATURE_NAMES)
    p = model.predict(test)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from peaceops.errors import ForecastError, UsageError
from peaceops.settings import setting

MODEL_VERSION = "peaceops.forecast.hazard.v1"
#: Inverse L2 penalty, fixed before the backtest (strong: a handful of events, ~18 features).
C = 0.05
#: Fewest distinct missions with the outcome among training rows to fit a model at all.
MIN_EVENTS = 3


@dataclass(frozen=True)
class HazardModel:
    """A fitted model (or its base-rate fallback) and what it was fitted on."""

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    base_rate: float
    rows: int
    events: int  # distinct missions with the outcome among the training rows
    fallback: bool

    def _z(self, rows: pd.DataFrame) -> np.ndarray:
        return (rows[list(self.features)].to_numpy(dtype=float) - self.mean) / self.scale

    def predict(self, rows: pd.DataFrame) -> np.ndarray:
        """12-month probability of a host-forced exit for each row."""
        if self.fallback:
            return np.full(len(rows), self.base_rate)
        logit = self.intercept + self._z(rows) @ self.coef
        return 1.0 / (1.0 + np.exp(-logit))

    def contributions(self, rows: pd.DataFrame) -> pd.DataFrame:
        """Log-odds each feature adds for each row, relative to the training rows' average."""
        values = (
            np.zeros((len(rows), len(self.features)))
            if self.fallback
            else (self._z(rows) * self.coef)
        )
        return pd.DataFrame(values, columns=list(self.features), index=rows.index)


def fit(train: pd.DataFrame, features: tuple[str, ...], *, c: float = C) -> HazardModel:
    """Fit the hazard model on ``train`` (panel rows with ``outcome``).

    Raises:
        ForecastError: no training rows.
    """
    if train.empty:
        raise ForecastError("no training rows: the forecast needs mission-months before the origin")
    y = train["outcome"].to_numpy(dtype=int)
    x = train[list(features)].to_numpy(dtype=float)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    events = int(train.loc[train["outcome"] == 1, "mission"].nunique())
    base_rate = float(y.mean())
    if events < MIN_EVENTS:
        zeros = np.zeros(len(features))
        return HazardModel(features, mean, scale, zeros, 0.0, base_rate, len(y), events, True)
    model = LogisticRegression(C=c, solver="lbfgs", max_iter=5000, tol=1e-8)
    # one BLAS thread: a fit this small is ten times slower when its threads fight (measured)
    with threadpool_limits(limits=1):
        model.fit((x - mean) / scale, y)
    return HazardModel(
        features=tuple(features),
        mean=mean,
        scale=scale,
        coef=model.coef_[0].copy(),
        intercept=float(model.intercept_[0]),
        base_rate=base_rate,
        rows=len(y),
        events=events,
        fallback=False,
    )


def check_resamples(resamples: int, seed: int = 0) -> None:
    """Refuse a bootstrap of fewer than 0 or more than ``max_resamples`` refits, or a bad seed.

    Every refit fits the model again: 100,000,000 of them ran until killed (#27).

    Raises:
        UsageError: the count or the seed is out of bounds; the message names the setting.
    """
    most, top = int(setting("max_resamples")), int(setting("max_seed"))
    if not 0 <= resamples <= most:
        raise UsageError(
            f"--resamples must be between 0 and {most:,} (bootstrap refits), got {resamples:,}; "
            "raise the bound with $PEACEOPS_MAX_RESAMPLES if you need more"
        )
    if not 0 <= seed <= top:
        raise UsageError(f"--seed must be between 0 and {top:,}, got {seed:,}")


def bootstrap(
    train: pd.DataFrame,
    rows: pd.DataFrame,
    features: tuple[str, ...],
    *,
    resamples: int = 200,
    seed: int = 0,
    level: float = 0.9,
) -> tuple[np.ndarray, np.ndarray]:
    """Percentile interval of each row's probability over refits on resampled missions.

    Missions (not months) are drawn with replacement, so a mission's months stay together.

    Raises:
        UsageError: ``resamples`` or ``seed`` out of bounds (:func:`check_resamples`).
    """
    check_resamples(resamples, seed)
    rng = np.random.default_rng(seed)
    missions = train["mission"].unique()
    groups = dict(list(train.groupby("mission", sort=True)))
    draws = np.empty((resamples, len(rows)))
    for b in range(resamples):
        chosen = rng.choice(missions, size=len(missions), replace=True)
        sample = pd.concat([groups[m] for m in chosen], ignore_index=True)
        draws[b] = fit(sample, features).predict(rows)
    tail = (1 - level) / 2
    return np.quantile(draws, tail, axis=0), np.quantile(draws, 1 - tail, axis=0)
