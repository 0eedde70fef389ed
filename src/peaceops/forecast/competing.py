"""Competing risks (#31): in each month a mission is forced out, ends otherwise, or goes on.

Data flow::

    panel rows + each mission's end (``Snapshot.missions``) --month_outcomes--> per
        mission-month: 1 the host-forced exit falls within the month (the panel's event, read
        from the corrected end registry), 2 the mission ended otherwise within it (completed,
        transition to a successor, ended by the Council, other), 0 neither
    the months that had passed by the origin --fit_competing--> CompetingModel: a multinomial
        discrete-time model, scikit-learn's LogisticRegression (lbfgs, multinomial) with the
        hazard model's L2 penalty ``C`` on features standardised on the training months
    CompetingModel.incidence(rows, months) --> the cumulative incidence of a host-forced exit
        within ``months``: sum over k < months of (1 - p_exit - p_other)^k * p_exit, the month's
        probabilities held at the origin's features (as the hazard model holds them)

The binary hazard model labels a mission that completes inside its window 0 for every month of
that window: a completion is silently a non-event. Here a completion ends the mission's time at
risk, so a mission likely to end soon has less time in which to be forced out. The backtest
scores the forced-exit incidence beside the binary model (``competing_risks``).

With fewer than ``MIN_EVENTS`` missions forced out among the training months the model is not
fitted and predicts the months' shares of each outcome (``fallback``), as :func:`fit` does.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from peaceops.errors import ForecastError
from peaceops.forecast.model import MIN_EVENTS, C
from peaceops.forecast.months import _shift

#: The month outcomes: still at risk a month later, forced out, ended otherwise.
NONE, EXIT, OTHER_END = 0, 1, 2
COMPETING_VERSION = "peaceops.forecast.competing.v1"
#: The backtest's column of the same model's forced-exit probability with the other ends
#: ignored (a diagnostic: what counting them as competing outcomes changes, never scored).
IGNORING_OTHER_ENDS = "competing_risks:ignoring_other_ends"


def month_outcomes(rows: pd.DataFrame, ends: dict[str, pd.Timestamp]) -> np.ndarray:
    """Each panel row's month outcome (:data:`EXIT`, :data:`OTHER_END` or :data:`NONE`).

    A month runs from its start (exclusive) to the next month start (inclusive), as the panel's
    window does. The host-forced exit wins a month in which both fall (UNMEE's end is its exit).
    ``ends`` maps a mission to its end (missing or NaT: not ended).
    """
    at = rows["date"].to_numpy(dtype="datetime64[ns]")
    closes = _shift(at, 1)
    event = rows["event_date"].to_numpy(dtype="datetime64[ns]")
    end = pd.to_datetime(rows["mission"].map(ends)).to_numpy(dtype="datetime64[ns]")
    out = np.full(len(rows), NONE, dtype=int)
    out[(end > at) & (end <= closes)] = OTHER_END  # NaT compares False
    out[(event > at) & (event <= closes)] = EXIT
    return out


def ended_otherwise(rows: pd.DataFrame, ends: dict[str, pd.Timestamp], months: int) -> np.ndarray:
    """Whether each row's mission ended otherwise than forced out within ``months``.

    These are the forecasts a binary window model counts as non-events although the mission
    was no longer there to be forced out (silent censoring).
    """
    at = rows["date"].to_numpy(dtype="datetime64[ns]")
    end = pd.to_datetime(rows["mission"].map(ends)).to_numpy(dtype="datetime64[ns]")
    event = rows["event_date"].to_numpy(dtype="datetime64[ns]")
    forced_first = event <= end  # NaT compares False: no forced exit
    return (end > at) & (end <= _shift(at, months)) & ~forced_first


def competition_effect(frame: pd.DataFrame) -> dict:
    """What treating the other ends as competing outcomes changes in one horizon's forecasts.

    ``frame`` holds ``competing_risks``, :data:`IGNORING_OTHER_ENDS`, ``outcome`` and
    ``other_end`` (:func:`ended_otherwise`). Returns the forecasts whose mission ended otherwise
    inside the window (and their missions), the mean forced-exit probability with and without
    the competition, the share by which it lowers the probabilities (overall and at most) and
    both Brier scores.
    """
    if frame.empty or IGNORING_OTHER_ENDS not in frame:
        return {}
    with_ = frame["competing_risks"].to_numpy(dtype=float)
    without = frame[IGNORING_OTHER_ENDS].to_numpy(dtype=float)
    y = frame["outcome"].to_numpy(dtype=float)
    other = frame["other_end"].to_numpy(dtype=bool)
    positive = without > 0
    return {
        "ended_otherwise": int(other.sum()),
        "missions_ended_otherwise": int(frame.loc[other, "mission"].nunique()),
        "mean_probability": float(with_.mean()),
        "mean_probability_ignoring_other_ends": float(without.mean()),
        "reduction": float(1 - with_.sum() / without.sum()) if without.sum() else 0.0,
        "max_reduction": float((1 - with_[positive] / without[positive]).max())
        if positive.any()
        else 0.0,
        "brier": float(np.mean((with_ - y) ** 2)),
        "brier_ignoring_other_ends": float(np.mean((without - y) ** 2)),
    }


def month_known_on(rows: pd.DataFrame) -> np.ndarray:
    """The day each row's month outcome is known: the next month start."""
    return _shift(rows["date"].to_numpy(dtype="datetime64[ns]"), 1)


@dataclass(frozen=True)
class CompetingModel:
    """A fitted multinomial month model (or its fallback) and what it was fitted on."""

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray  # (3, features): rows NONE, EXIT, OTHER_END
    intercept: np.ndarray  # (3,)
    rates: np.ndarray  # (3,): the training months' share of each outcome
    rows: int
    events: int  # distinct missions forced out among the training months
    fallback: bool

    def month_probabilities(self, rows: pd.DataFrame) -> np.ndarray:
        """Each row's probabilities of (none, exit, other end) within one month."""
        if self.fallback:
            return np.repeat(self.rates[None, :], len(rows), axis=0)
        z = (rows[list(self.features)].to_numpy(dtype=float) - self.mean) / self.scale
        logits = z @ self.coef.T + self.intercept
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        return p / p.sum(axis=1, keepdims=True)

    def incidence(self, rows: pd.DataFrame, months: int, *, competing: bool = True) -> np.ndarray:
        """The probability of a host-forced exit within ``months`` (cumulative incidence).

        ``competing=False`` ignores the other ends (as if no mission ever completed): the
        difference between the two is what treating completions as competing outcomes changes.
        """
        p = self.month_probabilities(rows)
        exit_ = p[:, EXIT]
        leave = np.clip(exit_ + (p[:, OTHER_END] if competing else 0.0), 1e-300, 1.0)
        return exit_ / leave * (1.0 - (1.0 - leave) ** months)


def fit_competing(
    train: pd.DataFrame, outcomes: np.ndarray, features: tuple[str, ...], *, c: float = C
) -> CompetingModel:
    """Fit the month model on ``train`` with its month ``outcomes`` (:func:`month_outcomes`).

    Raises:
        ForecastError: no training rows, or the fit did not converge.
    """
    if train.empty:
        raise ForecastError("no training rows: the forecast needs mission-months before the origin")
    x = train[list(features)].to_numpy(dtype=float)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    rates = np.bincount(outcomes, minlength=3)[:3] / len(outcomes)
    events = int(train.loc[outcomes == EXIT, "mission"].nunique())
    coef, intercept = np.zeros((3, len(features))), np.zeros(3)
    if events < MIN_EVENTS or (rates > 0).sum() < 3:
        return CompetingModel(tuple(features), mean, scale, coef, intercept, rates, len(x),
                              events, True)  # fmt: skip
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression

    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        try:
            model = LogisticRegression(C=c, max_iter=2000).fit((x - mean) / scale, outcomes)
        except ConvergenceWarning as exc:
            raise ForecastError(f"the competing-risks model did not converge: {exc}") from exc
    order = [list(model.classes_).index(k) for k in (NONE, EXIT, OTHER_END)]
    return CompetingModel(
        features=tuple(features),
        mean=mean,
        scale=scale,
        coef=model.coef_[order],
        intercept=model.intercept_[order],
        rates=rates,
        rows=len(x),
        events=events,
        fallback=False,
    )


__all__ = [
    "COMPETING_VERSION",
    "EXIT",
    "IGNORING_OTHER_ENDS",
    "NONE",
    "OTHER_END",
    "CompetingModel",
    "competition_effect",
    "ended_otherwise",
    "fit_competing",
    "month_known_on",
    "month_outcomes",
]
