"""Forecast horizons (#31): the backtest scored 6, 12 and 24 months ahead.

Data flow::

    panel rows (labelled for 12 months) --relabel(rows, months)--> the same rows and features,
        ``outcome`` 1 when the host-forced exit falls in (month start, month start + months]
        and ``outcome_known_on`` the day that window closes
    the backtest fits each model at each origin on the rows whose window had closed by then
        (features from before the origin, as at 12 months) --> one frame of forecasts per horizon
    --horizon_scores--> per model: Brier, log loss, AUC, Brier skill against the base rate (with
        its mission-bootstrap interval) and top-3/top-5 hits at the last origin whose window holds
        the event

Each horizon has its own model, fitted on its own label (a direct forecast, as VIEWS fits one
model per step ahead). The origins are the same at every horizon (1 January of each year), so a
6-month forecast can only see an event of January to June: an event in November is, correctly, a
non-event of every 6-month forecast, and the 6-month backtest has fewer events than the 12-month
one. A forecast is scored only once its window has closed in the record.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from peaceops.forecast.months import _shift
from peaceops.forecast.skill import auc, brier, brier_skill, event_table, log_loss, top_k

#: The horizons of the backtest, in months (#31); 12 is the forecast's own (``HORIZON_MONTHS``).
HORIZONS = (6, 12, 24)


def relabel(rows: pd.DataFrame, months: int) -> pd.DataFrame:
    """``rows`` with ``outcome`` and ``outcome_known_on`` for a window of ``months``.

    The features and the risk set are unchanged: only the label and the day it is known move.

    Raises:
        ValueError: ``months`` is not a positive number of months.
    """
    if months < 1:
        raise ValueError(f"a horizon is at least one month, got {months}")
    at = rows["date"].to_numpy(dtype="datetime64[ns]")
    closes = _shift(at, months)
    event = rows["event_date"].to_numpy(dtype="datetime64[ns]")
    inside = (event > at) & (event <= closes)  # NaT (no event) compares False
    return rows.assign(outcome=inside.astype(int), outcome_known_on=closes)


def horizon_scores(
    frame: pd.DataFrame, columns: dict[str, str], *, months: int, resamples: int, seed: int
) -> dict[str, dict]:
    """Each column's scores over the forecasts of one horizon, keyed by the names given.

    ``frame`` holds ``mission``, ``origin``, ``outcome`` (for this horizon), ``event_date``,
    ``base_rate`` and the columns; ``columns`` maps a name to its column. Top-k reads each event
    at the last origin whose ``months`` window holds it.
    """
    y = frame["outcome"].to_numpy(dtype=float)
    events = event_table(frame, list(columns.values()), window=months)
    out = {}
    for name, column in columns.items():
        p = frame[column].to_numpy(dtype=float)
        score: dict = {"brier": brier(p, y), "log_loss": log_loss(p, y), "auc": auc(p, y)}
        if column != "base_rate":
            found = brier_skill(frame, column, resamples=resamples, seed=seed)
            score["brier_skill"] = found["brier_skill"]
            score["brier_skill_interval"] = [found["low"], found["high"]]
        score["top_k"] = top_k(events, column)
        out[name] = score
    return out


def horizon_summary(frame: pd.DataFrame, *, fallback_origins: int) -> dict:
    """How many forecasts and events one horizon's backtest holds, and from which origins."""
    origins = sorted({pd.Timestamp(o).year for o in frame["origin"]})
    return {
        "forecasts": len(frame),
        "event_count": int(np.sum(frame["outcome"].to_numpy())),
        "missions_with_event": sorted(frame.loc[frame["outcome"] == 1, "mission"].unique()),
        "origins": [origins[0], origins[-1]] if origins else [],
        "fallback_origins": fallback_origins,
    }


__all__ = ["HORIZONS", "horizon_scores", "horizon_summary", "relabel"]
