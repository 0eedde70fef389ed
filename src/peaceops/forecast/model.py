"""The discrete-time hazard model: regularised logistic regression on the mission-month panel.

Data flow::

    panel rows whose outcome window had closed --fit(features)--> HazardModel
        (features standardised on the training rows; L2-penalised logistic regression, the
        estimator of scikit-learn's LogisticRegression(C), with a penalty fixed before any
        backtest, ``C``; solved by Newton's method, deterministic)
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
    # the penalised maximum-likelihood fit (what scikit-learn's lbfgs LogisticRegression(C)
    # estimates, solved by Newton's method to 1e-10 without importing scikit-learn: #31)
    with threadpool_limits(limits=1):
        theta, converged = _weighted_fits(
            x, y.astype(float), np.ones((1, len(y))), c, start=np.zeros(len(features) + 1),
            active=np.ones(1, dtype=bool),
        )  # fmt: skip
    if not converged[0]:
        raise ForecastError("the hazard model did not converge (a bug: please report it)")
    raw = theta[0, 1:]
    return HazardModel(
        features=tuple(features),
        mean=mean,
        scale=scale,
        coef=raw * scale,  # standardised coefficients
        intercept=float(theta[0, 0] + mean @ raw),
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


def _weighted_fits(
    x: np.ndarray,
    y: np.ndarray,
    weights: np.ndarray,
    c: float,
    *,
    start: np.ndarray,
    active: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Penalised logistic fits for many row weightings at once (one per row of ``weights``).

    Each fit is the model :func:`fit` estimates on the rows repeated as often as their weight
    (a bootstrap resample): features standardised on those rows, then ``0.5 |beta|^2 + c *
    sum(weight * log-loss)`` minimised, the intercept unpenalised. It is solved in the raw
    features, where the penalty on ``gamma = beta / scale`` is ``0.5 sum((scale * gamma)^2)``,
    by Newton's method on every fit together: the Hessians are one matrix product over the
    rows' outer products, each step shortened until it lowers the objective. Only the ``active``
    fits are solved. Returns the raw-space parameters (intercept first) and a mask of the fits
    that converged (the others are refitted one by one by the caller).
    """
    n, d = x.shape
    design = np.hstack([np.ones((n, 1)), x])
    outer = (design[:, :, None] * design[:, None, :]).reshape(n, (d + 1) ** 2)
    total = weights.sum(axis=1, keepdims=True)
    mean = weights @ x / total
    var = np.maximum(weights @ (x * x) / total - mean**2, 0.0)
    scale = np.sqrt(var)
    scale[var <= 1e-12 * np.maximum(1.0, mean**2)] = 1.0
    penalty = np.zeros((len(weights), d + 1))
    penalty[:, 1:] = scale**2
    theta = np.repeat(start[None, :], len(weights), axis=0)
    done = ~active.copy()

    def objective(candidate: np.ndarray, fits: np.ndarray) -> np.ndarray:
        eta = candidate @ design.T
        loss = (weights[fits] * (np.logaddexp(0.0, eta) - y * eta)).sum(axis=1)
        return c * loss + 0.5 * (penalty[fits] * candidate**2).sum(axis=1)

    for _ in range(100):
        live = np.flatnonzero(~done)
        if not len(live):
            break
        w, now = weights[live], theta[live]
        p = 1.0 / (1.0 + np.exp(-np.clip(now @ design.T, -500, 500)))  # fits x rows
        gradient = c * ((w * (p - y)) @ design) + penalty[live] * now
        hessian = (c * (w * p * (1 - p)) @ outer).reshape(-1, d + 1, d + 1)
        hessian[:, np.arange(d + 1), np.arange(d + 1)] += penalty[live] + 1e-12
        step = np.linalg.solve(hessian, gradient[:, :, None])[:, :, 0]
        small = np.abs(step).max(axis=1) < 1e-10
        # the full Newton step, unless a long one raises the objective: then 1/2, 1/4, ...
        # (Armijo; short steps are in Newton's quadratic region and need no check)
        length = np.ones(len(live))
        risky = np.flatnonzero(~small & (np.abs(step).max(axis=1) > 0.1))
        if len(risky):
            at, move = now[risky], step[risky]
            current = objective(at, live[risky])
            slope = (gradient[risky] * move).sum(axis=1)
            for _ in range(30):
                trial = objective(at - length[risky, None] * move, live[risky])
                bad = trial > current - 1e-4 * length[risky] * slope + 1e-12 * np.abs(current)
                if not bad.any():
                    break
                length[risky[bad]] /= 2
        theta[live] = now - length[:, None] * step
        done[live] = small | (np.abs(length[:, None] * step).max(axis=1) < 1e-10)
    return theta, done & np.isfinite(theta).all(axis=1)


def bootstrap(
    train: pd.DataFrame,
    rows: pd.DataFrame,
    features: tuple[str, ...],
    *,
    resamples: int = 200,
    seed: int = 0,
    level: float = 0.9,
    fitted: HazardModel | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Percentile interval of each row's probability over refits on resampled missions.

    ``fitted`` is the model fitted on all of ``train`` (fitted here when not given): the refits
    start from it.

    Missions (not months) are drawn with replacement, so a mission's months stay together. A
    resample is the training rows weighted by how often their mission was drawn; the refits run
    together (:func:`_weighted_fits`, #31: ``peaceops forecast`` in seconds), and a resample with
    fewer than ``MIN_EVENTS`` missions forced out predicts its base rate, as :func:`fit` does.

    Raises:
        UsageError: ``resamples`` or ``seed`` out of bounds (:func:`check_resamples`).
    """
    check_resamples(resamples, seed)
    rng = np.random.default_rng(seed)
    missions = train["mission"].unique()
    index = {m: k for k, m in enumerate(missions)}
    of_row = train["mission"].map(index).to_numpy(dtype=int)
    counts = np.zeros((resamples, len(missions)))
    for b in range(resamples):  # the same draws, in the same order, as one refit at a time
        chosen = rng.choice(missions, size=len(missions), replace=True)
        np.add.at(counts[b], [index[m] for m in chosen], 1.0)
    weights = counts[:, of_row]
    x = train[list(features)].to_numpy(dtype=float)
    y = train["outcome"].to_numpy(dtype=float)
    event_missions = np.zeros(len(missions), dtype=bool)
    event_missions[np.unique(of_row[y == 1])] = True
    events = (counts[:, event_missions] > 0).sum(axis=1)
    base = (weights @ y) / weights.sum(axis=1)
    full = fitted or fit(train, features)
    start = np.zeros(len(features) + 1)
    if not full.fallback:
        start[1:] = full.coef / full.scale
        start[0] = full.intercept - full.mean @ start[1:]
    with threadpool_limits(limits=1):
        theta, converged = _weighted_fits(
            x, y, weights, C, start=start, active=events >= MIN_EVENTS
        )
    target = rows[list(features)].to_numpy(dtype=float)
    draws = 1.0 / (1.0 + np.exp(-(theta[:, :1] + theta[:, 1:] @ target.T)))
    for b in np.flatnonzero(~converged & (events >= MIN_EVENTS)):  # never seen; kept exact
        chosen = np.repeat(np.arange(len(missions)), counts[b].astype(int))
        sample = pd.concat([train[of_row == k] for k in chosen], ignore_index=True)
        draws[b] = fit(sample, features).predict(rows)
    fallback = events < MIN_EVENTS
    draws[fallback] = base[fallback, None]
    tail = (1 - level) / 2
    return np.quantile(draws, tail, axis=0), np.quantile(draws, 1 - tail, axis=0)
