"""Month arithmetic of the forecast panel, vectorised over mission-months (#31).

``_shift`` moves dates by calendar months as ``pd.DateOffset`` does; ``_count_in`` counts (or
sums) dated rows in a trailing window; ``_personnel_effective`` decides, for each month, which
date the strength series is read at (its own, or its last row where the series had ended);
``_clock_starts`` gives each mission the start of its unbroken UN lineage (its clock).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: A source whose last row is older than this at a month start has stopped (its series ended,
#: not the mission's activity): its features are carried forward from its last month, and marked.
STALE_AFTER = np.timedelta64(92, "D")

#: How long a strength figure stays current: a monthly one as :data:`STALE_AFTER`, a yearly one
#: (dated 31 December) through the next year and the same margin.
FRESH_FOR = {"ipi_monthly": STALE_AFTER, "geopko_yearly": np.timedelta64(365, "D") + STALE_AFTER}


def strength_series(strength: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The strength series' dates in order and how long each row stays current.

    The panel computes it once and reads it for every mission (:func:`_personnel_effective`).
    """
    order = strength.sort_values("date", kind="stable")
    return (order["date"].to_numpy(),
            order["basis"].map(FRESH_FOR).to_numpy(dtype="timedelta64[ns]"))  # fmt: skip


def _personnel_effective(
    series: tuple[np.ndarray, np.ndarray], at: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_effective` for the personnel series, which changes cadence where IPI stops.

    At each month start the source's latest row on or before it (any mission) decides: if that
    row is older than its basis stays current, the series had ended then, and the month reads
    the series as of that row (marked carried). Only rows dated before the month are read, so a
    store cut at an origin gives the same answer. ``series`` is :func:`strength_series`.
    """
    dates, fresh = series
    if not len(dates):
        return at, np.zeros(len(at), dtype=bool)
    k = np.searchsorted(dates, at, side="right") - 1
    seen = k >= 0
    last = dates[np.clip(k, 0, None)]
    stale = seen & (at > last + fresh[np.clip(k, 0, None)])
    return np.where(stale, last, at), stale


def _count_in(dates: np.ndarray, at: np.ndarray, months: int | None, weights=None) -> np.ndarray:
    """For each ``at``: the number (or weight) of sorted ``dates`` in (at - months, at]."""
    dates = np.sort(dates) if weights is None else dates
    cum = np.concatenate(
        [[0.0], np.cumsum(weights if weights is not None else np.ones(len(dates)))]
    )
    hi = np.searchsorted(dates, at, side="right")
    if months is None:
        return cum[hi]
    lo = np.searchsorted(dates, _shift(at, -months), side="right")
    return cum[hi] - cum[lo]


def _shift(days: np.ndarray, months: int) -> np.ndarray:
    """``days`` moved by ``months`` calendar months, as ``pd.DateOffset(months=...)`` does.

    The day of the month is kept, or clipped to the new month's last day (31 March - 1 month
    is 28 or 29 February); the time of day is kept. Vectorised: the panel calls it for every
    mission-month (#31: ``peaceops forecast`` in seconds).
    """
    days = np.asarray(days, dtype="datetime64[ns]")
    month = days.astype("datetime64[M]")
    into = days - month.astype("datetime64[ns]")  # time since the month began
    day = into.astype("timedelta64[D]")
    moved = month + np.timedelta64(months, "M")
    length = (moved + np.timedelta64(1, "M")).astype("datetime64[D]") - moved.astype(
        "datetime64[D]"
    )
    clipped = np.minimum(day, length - np.timedelta64(1, "D"))
    return moved.astype("datetime64[ns]") + clipped + (into - day.astype("timedelta64[ns]"))


#: A successor keeps its predecessor's clock when it began within this long of the
#: predecessor's end (MONUC ended 30 June 2010, MONUSCO began 1 July 2010).
LINEAGE_GAP = pd.Timedelta(days=366)


def _clock_starts(missions: pd.DataFrame) -> pd.Series:
    """Each mission's clock: the start of the earliest UN mission of its unbroken lineage.

    A successor keeps its predecessor's clock (MONUC -> MONUSCO: the Council's relationship
    with the host did not restart in 2010) when the predecessor is a UN peacekeeping operation
    or political mission of the registry and ended at most :data:`LINEAGE_GAP` before the
    successor began; regional forces (AFISMA before MINUSMA) start no UN clock.
    """
    by_name = {m.acronym: m for m in missions.itertuples(index=False)}
    out = []
    for m in missions.itertuples(index=False):
        clock, seen, current = m.start, {m.acronym}, m
        while isinstance(current.predecessor, str) and current.predecessor in by_name:
            before = by_name[current.predecessor]
            if before.acronym in seen or pd.isna(before.end):
                break
            if current.start - before.end > LINEAGE_GAP:
                break
            seen.add(before.acronym)
            clock, current = min(clock, before.start), before
        out.append(clock)
    return pd.Series(out, index=missions.index, dtype="datetime64[ns]")
