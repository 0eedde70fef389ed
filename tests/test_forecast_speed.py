"""``peaceops forecast`` in seconds (#31): the same estimates, computed faster.

The speed itself is measured by ``benchmarks/bench_forecast.py`` (``make bench``), never here.
These tests pin what the faster code must keep: the point fit is scikit-learn's estimator, the
vectorised bootstrap gives the refits one at a time would, the vectorised date arithmetic is
pandas', and reading the forecast's inputs imports neither Mesa nor scikit-learn.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import numpy as np
import pandas as pd
import pytest

from peaceops.forecast.model import C, bootstrap, fit
from peaceops.forecast.panel import FEATURE_NAMES, _shift, load_snapshot, month_start, panel

pytestmark = pytest.mark.issue(31)


@pytest.fixture(scope="module")
def rows(db):
    return panel(load_snapshot(db), start=date(1948, 1, 1), end=date(2025, 6, 1))


@pytest.fixture(scope="module")
def split(rows):
    month = month_start(date(2015, 1, 1))
    train = rows[(rows["outcome_known_on"] <= pd.Timestamp(month)) & (rows["date"] < month)]
    return train, rows[rows["date"] == month]


def test_the_point_fit_is_scikit_learns_estimator(split):
    from sklearn.linear_model import LogisticRegression

    train, test = split
    model = fit(train, FEATURE_NAMES)
    assert not model.fallback
    x = train[list(FEATURE_NAMES)].to_numpy(dtype=float)
    reference = LogisticRegression(C=C, solver="lbfgs", max_iter=5000, tol=1e-10)
    reference.fit((x - model.mean) / model.scale, train["outcome"].to_numpy(dtype=int))
    np.testing.assert_allclose(model.coef, reference.coef_[0], rtol=1e-4, atol=1e-6)
    z = (test[list(FEATURE_NAMES)].to_numpy(dtype=float) - model.mean) / model.scale
    np.testing.assert_allclose(model.predict(test), reference.predict_proba(z)[:, 1], rtol=1e-4)


def test_the_vectorised_bootstrap_equals_refits_one_at_a_time(split):
    train, test = split
    resamples, seed = 8, 3
    low, high = bootstrap(train, test, FEATURE_NAMES, resamples=resamples, seed=seed)
    # the refits one at a time, on the missions drawn the same way
    rng = np.random.default_rng(seed)
    missions = train["mission"].unique()
    groups = dict(list(train.groupby("mission", sort=True)))
    draws = np.empty((resamples, len(test)))
    for b in range(resamples):
        chosen = rng.choice(missions, size=len(missions), replace=True)
        sample = pd.concat([groups[m] for m in chosen], ignore_index=True)
        draws[b] = fit(sample, FEATURE_NAMES).predict(test)
    np.testing.assert_allclose(low, np.quantile(draws, 0.05, axis=0), rtol=1e-5, atol=1e-9)
    np.testing.assert_allclose(high, np.quantile(draws, 0.95, axis=0), rtol=1e-5, atol=1e-9)


def test_month_arithmetic_is_pandas():
    days = pd.to_datetime(
        ["2016-12-31", "2020-03-31", "2019-01-31", "2024-02-29", "2010-05-15 13:00:00"],
        format="ISO8601",
    ).to_numpy()
    for months in (-24, -12, -3, -1, 0, 1, 12):
        expected = (pd.DatetimeIndex(days) + pd.DateOffset(months=months)).to_numpy()
        assert (_shift(days, months) == expected).all(), months


def test_a_mandate_with_text_is_not_marked_carried(rows):
    # BINUCA's first months read S/RES/2031, which has a text: nothing of the mandate is
    # carried (the old panel flagged every month of a mission that began before its first
    # mandate row, through a bitwise not on an object column)
    binuca = rows[(rows["mission"] == "BINUCA") & (rows["date"] == pd.Timestamp(2012, 1, 1))]
    assert binuca["resolution"].iloc[0] == 2031
    assert "partial_terms" not in binuca["carried"].iloc[0]


def test_reading_the_forecast_imports_neither_mesa_nor_scikit_learn():
    code = (
        "import sys; import peaceops.forecast.outlook, peaceops.forecast.archive; "
        "print(sorted(m for m in ('mesa', 'sklearn') if m in sys.modules))"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert found.returncode == 0, found.stderr
    assert found.stdout.strip() == "[]"


def test_a_successor_keeps_its_predecessors_clock(db):
    missions = load_snapshot(db).missions.set_index("acronym")
    assert missions.loc["MONUSCO", "clock_start"] == missions.loc["MONUC", "start"]
    # UNAMIS (2004) -> UNMIS (2005) -> UNMISS (2011): one clock
    assert missions.loc["UNMISS", "clock_start"] == missions.loc["UNMIS", "clock_start"]
    assert missions.loc["UNMIS", "clock_start"] < missions.loc["UNMIS", "start"]
    # a regional force before it starts no UN clock
    assert missions.loc["MINUSMA", "clock_start"] == missions.loc["MINUSMA", "start"]


def test_the_clock_breaks_where_the_lineage_does():
    from peaceops.forecast.months import _clock_starts

    frame = pd.DataFrame(
        {
            "acronym": ["A", "B", "C"],
            "start": pd.to_datetime(["2000-01-01", "2005-01-01", "2007-03-01"]),
            "end": pd.to_datetime(["2004-12-31", "2007-01-01", None]),
            "predecessor": [None, "A", "B"],
        }
    )
    assert list(_clock_starts(frame)) == [pd.Timestamp("2000-01-01")] * 3
    frame.loc[1, "end"] = pd.Timestamp("2005-06-01")  # C began 21 months after B ended
    assert list(_clock_starts(frame))[2] == pd.Timestamp("2007-03-01")
