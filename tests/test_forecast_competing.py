"""Forecast v2 (#31): competing risks. A completion is a competing outcome, not a silent 0.

Hand cases for the month outcomes, the cumulative incidence and the fit (each can come out
either way), the training months' labels at an origin read nothing after it, then the model in
the backtest's document over three origins of the real knowledge base.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from peaceops.errors import ForecastError
from peaceops.forecast.backtest import backtest
from peaceops.forecast.competing import (
    EXIT,
    NONE,
    OTHER_END,
    CompetingModel,
    ended_otherwise,
    fit_competing,
    month_known_on,
    month_outcomes,
)
from peaceops.forecast.document import _competing_verdict
from peaceops.forecast.model import MIN_EVENTS
from peaceops.forecast.panel import FEATURE_NAMES, load_snapshot, panel

pytestmark = pytest.mark.issue(31)
T = pd.Timestamp


def _rows(cases: list[tuple[str, str, str | None]]) -> pd.DataFrame:
    """(mission, month start, forced-exit date) per row."""
    return pd.DataFrame(
        {
            "mission": [c[0] for c in cases],
            "date": pd.to_datetime([c[1] for c in cases]).astype("datetime64[ns]"),
            "event_date": pd.to_datetime([c[2] for c in cases]).astype("datetime64[ns]"),
        }
    )


def test_each_month_is_forced_out_ended_otherwise_or_neither():
    ends = {"DONE": T("2010-02-01"), "LATE": T("2010-02-02"), "UNMEE": T("2008-07-31")}
    rows = _rows([
        ("GOES_ON", "2010-01-01", None),
        ("DONE", "2010-01-01", None),  # ends on the next month start: this month
        ("LATE", "2010-01-01", None),  # ends a day into the next month: not this month
        ("LATE", "2010-02-01", None),
        ("ASKED", "2010-01-01", "2010-01-15"),
        ("UNMEE", "2008-07-01", "2008-07-31"),  # forced out at its end: the exit wins
    ])  # fmt: skip
    assert month_outcomes(rows, ends).tolist() == [NONE, OTHER_END, NONE, OTHER_END, EXIT, EXIT]
    assert month_known_on(rows)[0] == np.datetime64("2010-02-01")
    window = ended_otherwise(rows, ends, 12)
    assert window.tolist() == [False, True, True, True, False, False]
    assert not ended_otherwise(rows.iloc[[2]], {"LATE": T("2011-06-01")}, 12).any()
    assert ended_otherwise(rows.iloc[[2]], {"LATE": T("2011-06-01")}, 24).all()


def _fallback(rates: tuple[float, float, float]) -> CompetingModel:
    empty = np.zeros(0)
    return CompetingModel((), empty, empty, np.zeros((3, 0)), np.zeros(3), np.array(rates),
                          100, 0, True)  # fmt: skip


def test_the_other_ends_lower_the_incidence_of_a_forced_exit():
    rows = _rows([("A", "2010-01-01", None)])
    model = _fallback((0.90, 0.02, 0.08))
    # month by month: survive both risks, then be forced out
    by_month = sum(0.90**k * 0.02 for k in range(12))
    assert model.incidence(rows, 12)[0] == pytest.approx(by_month)
    assert model.incidence(rows, 12, competing=False)[0] == pytest.approx(1 - 0.98**12)
    assert model.incidence(rows, 12)[0] < model.incidence(rows, 12, competing=False)[0]
    # no other end: the competition changes nothing
    alone = _fallback((0.98, 0.02, 0.0))
    assert alone.incidence(rows, 12)[0] == pytest.approx(
        alone.incidence(rows, 12, competing=False)[0]
    )
    assert model.incidence(rows, 24)[0] > model.incidence(rows, 12)[0] > model.incidence(rows, 6)[0]


def _synthetic(exits: int) -> tuple[pd.DataFrame, np.ndarray]:
    """40 missions x 60 months; a high ``x`` makes a forced exit likely, a low one a completion."""
    rng = np.random.default_rng(0)
    n = 40 * 60
    x = rng.normal(size=n)
    outcome = np.zeros(n, dtype=int)
    outcome[np.argsort(-x)[:exits]] = EXIT
    outcome[np.argsort(x)[:30]] = OTHER_END
    frame = pd.DataFrame({"mission": np.repeat([f"M{k}" for k in range(40)], 60), "x": x})
    return frame.assign(**dict.fromkeys(FEATURE_NAMES, 0.0)), outcome


def test_the_fit_finds_the_direction_and_falls_back_with_too_few_events():
    frame, outcome = _synthetic(exits=12)
    model = fit_competing(frame, outcome, ("x",))
    assert not model.fallback and model.events >= MIN_EVENTS
    probe = pd.DataFrame({"x": [-2.0, 0.0, 2.0]})
    p = model.month_probabilities(probe)
    assert np.allclose(p.sum(axis=1), 1)
    assert p[0, EXIT] < p[1, EXIT] < p[2, EXIT]
    assert p[0, OTHER_END] > p[2, OTHER_END]
    few, outcome_few = _synthetic(exits=MIN_EVENTS - 1)
    fallback = fit_competing(few, outcome_few, ("x",))
    assert fallback.fallback
    assert np.allclose(fallback.month_probabilities(probe), np.bincount(outcome_few) / len(few))
    with pytest.raises(ForecastError, match="no training rows"):
        fit_competing(frame.iloc[0:0], outcome[:0], ("x",))


def test_the_training_months_read_nothing_after_the_origin(db):
    snapshot = load_snapshot(db)
    rows = panel(snapshot, start=date(1990, 1, 1), end=date(2011, 12, 1))
    ends = dict(zip(snapshot.missions["acronym"], snapshot.missions["end"], strict=True))
    origin = T("2010-01-01")
    seen = (month_known_on(rows) <= origin) & (rows["date"] < origin).to_numpy()
    known = month_outcomes(rows[seen], ends)
    # the events and ends after the origin unknown, as they were then
    cut = {m: (e if pd.notna(e) and e <= origin else pd.NaT) for m, e in ends.items()}
    past = rows.assign(event_date=rows["event_date"].where(rows["event_date"] <= origin))
    assert month_outcomes(past[seen], cut).tolist() == known.tolist()
    # the rule matters: the month of the origin itself would read MINURCAT's request
    at = rows["date"] == origin
    assert EXIT in month_outcomes(rows[at], ends)
    assert EXIT not in month_outcomes(past[at], cut)


@pytest.fixture(scope="module")
def short(db):
    return backtest(db, first=2009, last=2011, resamples=50)


def test_the_backtest_scores_it_beside_the_hazard_model(short):
    doc = short.to_dict()
    assert "competing_risks" in doc["scores"] and "competing_risks" in doc["top_k"]
    assert "competing_risks" in doc["brier_difference"]
    for key, h in doc["horizons"].items():
        score = h["models"]["competing_risks"]
        assert {"brier", "log_loss", "auc", "brier_skill", "top_k"} <= set(score), key
        assert h["competition"]["mean_probability"] <= h["competition"][
            "mean_probability_ignoring_other_ends"]  # fmt: skip
    # UNOMIG ended in June 2009 (the Council did not renew it): a 0 for the binary model's
    # 2009 window, a competing end here
    f12 = short.horizons[12]
    other = f12[f12["other_end"]]
    ended = set(zip(other["mission"], other["origin"], strict=True))
    assert ("UNOMIG", T("2009-01-01")) in ended
    assert doc["horizons"]["12"]["competition"]["ended_otherwise"] == len(ended)
    assert f12["competing_risks"].between(0, 1).all()
    assert "competing_weak_penalty" in {t["trial"] for t in doc["trials"]}


def _verdict_doc(low: float) -> dict:
    score = {
        "brier": 0.01,
        "auc": 0.6,
        "brier_skill": low + 0.05,
        "brier_skill_interval": [low, low + 0.1],
        "top_k": {"top_3": 1, "events": 4},
    }
    worse = {**score, "brier_skill_interval": [-0.5, -0.1]}
    competition = {"reduction": 0.05, "brier": 0.01, "brier_ignoring_other_ends": 0.0101}
    h = {
        "models": {"hazard": worse, "competing_risks": score},
        "ablations": {},
        "competition": competition,
    }
    difference = {"difference": 0.002, "low": 0.001, "high": 0.003}
    return {"horizons": {"12": h}, "brier_difference": {"competing_risks": difference}}


def test_the_verdict_follows_the_intervals():
    assert "It beats the base rate at 12 months" in _competing_verdict(_verdict_doc(0.01))
    against = _competing_verdict(_verdict_doc(-0.2))
    assert "no horizon" in against and "not the conclusion" in against
    assert "competing-risks model scores better" in against
