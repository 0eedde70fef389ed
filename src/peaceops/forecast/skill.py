"""Skill scores of the backtest, as forecasting experts report them (#31).

Data flow: the backtest's pooled forecasts (one row per origin and mission at risk: ``mission``,
``origin``, ``outcome``, ``event_date`` and one probability column per model) -->

* :func:`brier`, :func:`log_loss`, :func:`auc`, :func:`reliability` - the proper scores and
  the reliability bins (with :func:`wilson` intervals of the observed share);
  :func:`difference_interval` - the Brier difference of two models with a bootstrap interval
  over missions;
* :func:`brier_skill` - 1 - Brier(model) / Brier(base rate), with a percentile interval from
  resampling whole missions (a mission's forecasts stay together; seeded);
* :func:`top_k` - for each event, the rank of its mission among those at risk at its last origin
  before the event (1 = the highest probability), and how many events were in the top k, as
  the Early Warning Project reports;
* :func:`event_table` - for each event, its probability and rank at every origin in the
  ``window`` months before it.

Ranks are competition ranks over the missions at risk at that origin: a tie shares the best
rank of its group, so a model that gives everyone the same probability ranks every mission 1
and is told apart by the count of missions tied (``tied``), never credited with a hit it did
not make (``hit`` needs a rank within k *and* fewer than k missions at or above it).
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

#: The k of the top-k hit rates.
TOP_K = (3, 5)
#: Reliability bins of the forecast probability.
BINS = (0.0, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 1.0)
_EPS = 1e-6


# -- proper scores -------------------------------------------------------------------------------


def brier(p: np.ndarray, y: np.ndarray) -> float:
    """Mean squared error of probabilities ``p`` against outcomes ``y`` (0/1)."""
    return float(np.mean((p - y) ** 2))


def log_loss(p: np.ndarray, y: np.ndarray) -> float:
    """Mean negative log-likelihood (probabilities clipped to [1e-6, 1 - 1e-6])."""
    p = np.clip(p, _EPS, 1 - _EPS)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def auc(p: np.ndarray, y: np.ndarray) -> float | None:
    """Area under the ROC curve (ties count half); None without both outcomes."""
    if len(set(y.tolist())) < 2:
        return None
    return float(roc_auc_score(y, p))


def wilson(events: int, n: int, *, z: float = 1.959964) -> tuple[float | None, float | None]:
    """The Wilson score interval (95%) of a share of ``events`` in ``n``; (None, None) if empty.

    Unlike the normal approximation it stays inside [0, 1] and is not empty at 0 events, which
    is what most reliability bins hold.
    """
    if n == 0:
        return None, None
    share = events / n
    centre = (share + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(share * (1 - share) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return float(max(0.0, centre - half)), float(min(1.0, centre + half))


def reliability(p: np.ndarray, y: np.ndarray) -> list[dict]:
    """Per probability bin: forecasts, mean forecast, observed share (95% interval), events.

    The interval (``observed_low``, ``observed_high``) is Wilson's over the bin's forecasts,
    which treats them as independent: a mission's forecasts are not, so it is a lower bound on
    the uncertainty.
    """
    out = []
    for lo, hi in pairwise(BINS):
        inside = (p >= lo) & ((p < hi) | (hi == BINS[-1]))
        n = int(inside.sum())
        events = int(y[inside].sum())
        low, high = wilson(events, n)
        out.append(
            {
                "bin": f"{lo:g}-{hi:g}",
                "forecasts": n,
                "mean_forecast": float(p[inside].mean()) if n else None,
                "observed": float(y[inside].mean()) if n else None,
                "observed_low": low,
                "observed_high": high,
                "events": events,
            }
        )
    return out


def difference_interval(
    frame: pd.DataFrame, model: str, baseline: str, *, resamples: int, seed: int
) -> tuple[float, float, float]:  # a mission's forecasts are resampled together
    """Brier(model) - Brier(baseline), with a 95% bootstrap interval over missions."""
    y = frame["outcome"].to_numpy(dtype=float)
    loss = (frame[model].to_numpy() - y) ** 2 - (frame[baseline].to_numpy() - y) ** 2
    by_mission = pd.Series(loss).groupby(frame["mission"].to_numpy()).agg(["sum", "count"])
    sums, counts = by_mission["sum"].to_numpy(), by_mission["count"].to_numpy()
    rng = np.random.default_rng(seed)
    draws = np.empty(resamples)
    for b in range(resamples):
        k = rng.integers(0, len(sums), len(sums))
        draws[b] = sums[k].sum() / counts[k].sum()
    low, high = np.quantile(draws, [0.025, 0.975])
    return float(loss.mean()), float(low), float(high)


def _per_mission(frame: pd.DataFrame, column: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per mission: the sum of the model's squared errors, the base rate's, and the count."""
    y = frame["outcome"].to_numpy(dtype=float)
    errors = pd.DataFrame(
        {
            "model": (frame[column].to_numpy(dtype=float) - y) ** 2,
            "base": (frame["base_rate"].to_numpy(dtype=float) - y) ** 2,
            "mission": frame["mission"].to_numpy(),
        }
    ).groupby("mission", sort=True)
    sums = errors.sum()
    return sums["model"].to_numpy(), sums["base"].to_numpy(), errors.size().to_numpy()


def brier_skill(
    frame: pd.DataFrame, column: str, *, resamples: int = 1000, seed: int = 0, level: float = 0.95
) -> dict:
    """1 - Brier(``column``) / Brier(base rate), with a mission-bootstrap interval.

    Positive: the model beats the base rate; 0: no better; negative: worse.
    """
    model, base, _ = _per_mission(frame, column)
    if base.sum() == 0:  # no event and a zero base rate: skill is undefined
        return {"brier_skill": None, "low": None, "high": None}
    point = 1.0 - model.sum() / base.sum()
    rng = np.random.default_rng(seed)
    draws = []
    for _ in range(resamples):
        k = rng.integers(0, len(model), len(model))
        if base[k].sum() > 0:
            draws.append(1.0 - model[k].sum() / base[k].sum())
    tail = (1 - level) / 2
    low, high = np.quantile(draws, [tail, 1 - tail]) if draws else (None, None)
    return {
        "brier_skill": float(point),
        "low": None if low is None else float(low),
        "high": None if high is None else float(high),
    }


def _ranked(at_origin: pd.DataFrame, column: str) -> pd.DataFrame:
    """The missions at risk at one origin with their competition rank and ties."""
    p = at_origin[column].to_numpy(dtype=float)
    ranks = np.array([int((p > v).sum()) + 1 for v in p])
    at_or_above = np.array([int((p >= v).sum()) for v in p])
    return at_origin.assign(rank=ranks, at_or_above=at_or_above)


def event_table(frame: pd.DataFrame, columns: list[str], *, window: int = 24) -> list[dict]:
    """For each event: its probability and rank under each model at each origin before it.

    The origins are those in the ``window`` months before the event; the last of them is the
    one whose 12-month window holds the event.
    """
    out = []
    events = frame[frame["outcome"] == 1].drop_duplicates("mission")
    for event in events.itertuples(index=False):
        happened = pd.Timestamp(event.event_date)
        earliest = happened - pd.DateOffset(months=window)
        origins = sorted(
            o
            for o in frame.loc[frame["mission"] == event.mission, "origin"].unique()
            if earliest <= o < happened
        )
        rows = []
        for origin in origins:
            at = frame[frame["origin"] == origin]
            row = {"origin": pd.Timestamp(origin).date().isoformat(), "at_risk": len(at)}
            for column in columns:
                ranked = _ranked(at, column)
                mine = ranked[ranked["mission"] == event.mission].iloc[0]
                row[column] = {
                    "probability": float(mine[column]),
                    "rank": int(mine["rank"]),
                    "tied": int(mine["at_or_above"] - mine["rank"] + 1),
                }
            rows.append(row)
        out.append(
            {
                "mission": event.mission,
                "event_date": happened.date().isoformat(),
                "origins": rows,
            }
        )
    return out


def top_k(events: list[dict], column: str, ks: tuple[int, ...] = TOP_K) -> dict:
    """How many events were in the model's top k at their last origin before the event.

    An event counts as a hit only if its mission ranks within k and fewer than k+1 missions
    are at or above its probability (a tie that spans past k is no hit).
    """
    last = [e["origins"][-1][column] for e in events if e["origins"]]
    result = {
        "events": len(last),
        "mean_rank": float(np.mean([r["rank"] for r in last])) if last else None,
    }
    for k in ks:
        hits = sum(r["rank"] <= k and r["rank"] + r["tied"] - 1 <= k for r in last)
        result[f"top_{k}"] = hits
        result[f"top_{k}_rate"] = hits / len(last) if last else None
    return result


__all__ = [
    "BINS",
    "TOP_K",
    "auc",
    "brier",
    "brier_skill",
    "difference_interval",
    "event_table",
    "log_loss",
    "reliability",
    "top_k",
    "wilson",
]
