"""Forecast v2 (#31): the backtest at 6, 12 and 24 months.

Hand cases for the label (an event counts only inside its horizon), a leakage check for the
longest horizon (no training label reads an event after the origin, and without the rule one
would), then the backtest's document over three origins on the real knowledge base.
"""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from peaceops.cli import app
from peaceops.forecast.backtest import ABLATIONS, _split, backtest
from peaceops.forecast.horizons import HORIZONS, relabel
from peaceops.forecast.model import fit
from peaceops.forecast.panel import FEATURE_NAMES, load_snapshot, panel

pytestmark = pytest.mark.issue(31)


def _rows(events: list[str | None]) -> pd.DataFrame:
    """One month start (2010-01-01) per row, each with its own event date."""
    return pd.DataFrame(
        {
            "mission": [f"M{k}" for k in range(len(events))],
            "date": pd.to_datetime(["2010-01-01"] * len(events)).astype("datetime64[ns]"),
            "event_date": pd.to_datetime(events).astype("datetime64[ns]"),
            "outcome": 0,
        }
    )


def test_an_event_counts_only_inside_its_horizon():
    rows = _rows([None, "2010-01-01", "2010-06-30", "2010-07-01", "2010-07-02", "2010-12-31",
                  "2011-01-01", "2011-01-02", "2012-01-01", "2012-01-02"])  # fmt: skip
    got = {months: relabel(rows, months)["outcome"].tolist() for months in HORIZONS}
    # no event; the month start itself (already out of the risk set); inside 6; the 6-month
    # window's last day; past it; inside 12; the 12-month window's last day; past it; the
    # 24-month window's last day; past it
    assert got[6] == [0, 0, 1, 1, 0, 0, 0, 0, 0, 0]
    assert got[12] == [0, 0, 1, 1, 1, 1, 1, 0, 0, 0]
    assert got[24] == [0, 0, 1, 1, 1, 1, 1, 1, 1, 0]
    closes = relabel(rows, 24)["outcome_known_on"].iloc[0]
    assert closes == pd.Timestamp("2012-01-01")
    with pytest.raises(ValueError, match="at least one month"):
        relabel(rows, 0)


@pytest.fixture(scope="module")
def rows(db):
    return panel(load_snapshot(db), start=date(1990, 1, 1), end=date(2011, 12, 1))


def test_the_24_month_training_labels_read_no_event_after_the_origin(rows):
    origin = pd.Timestamp(2010, 1, 1)
    forgotten = rows.assign(
        event_date=rows["event_date"].where(rows["event_date"] <= origin)
    )  # every event after the origin unknown, as it was at the origin
    train, test = _split(relabel(rows, 24), origin)
    blind, _ = _split(relabel(forgotten, 24), origin)
    assert train["outcome"].tolist() == blind["outcome"].tolist()
    assert np.allclose(fit(train, FEATURE_NAMES).predict(test),
                       fit(blind, FEATURE_NAMES).predict(test))  # fmt: skip
    # the rule matters: months before the origin whose window was still open would have read
    # MINURCAT's request (January 2010) and UNMIN's (September 2010)
    naive = relabel(rows, 24)
    naive = naive[naive["date"] < origin]
    peeked = naive.loc[naive["outcome"] == 1, "mission"].unique()
    assert {"MINURCAT", "UNMIN"} <= set(peeked)
    assert not {"MINURCAT", "UNMIN"} & set(train.loc[train["outcome"] == 1, "mission"])


@pytest.fixture(scope="module")
def short(db):
    return backtest(db, first=2009, last=2011, resamples=50)


def test_each_horizon_counts_only_events_inside_it(short):
    frames = short.horizons
    assert sorted(frames) == list(HORIZONS)
    for months, frame in frames.items():
        hit = frame[frame["outcome"] == 1]
        assert (hit["event_date"] > hit["origin"]).all()
        closes = hit["origin"] + pd.DateOffset(months=months)
        assert (hit["event_date"] <= closes).all(), months
    events = {}
    for months, frame in frames.items():
        hit = frame[frame["outcome"] == 1]
        events[months] = set(zip(hit["mission"], hit["origin"].dt.year, strict=True))
    # UNMIN's request (September 2010): in the 12-month window from 2010, not the 6-month one
    assert ("UNMIN", 2010) in events[12] and ("UNMIN", 2010) not in events[6]
    # MINURCAT's (January 2010): in the 24-month window from 2009 only
    assert ("MINURCAT", 2009) in events[24] and ("MINURCAT", 2009) not in events[12]
    assert events[6] <= events[12] <= events[24]


def test_the_12_month_horizon_is_the_backtest_itself(short):
    doc = short.to_dict()
    twelve = doc["horizons"]["12"]
    assert twelve["forecasts"] == doc["forecasts"] and twelve["event_count"] == doc["event_count"]
    for model in ("hazard", "mandate_blind", "base_rate"):
        assert twelve["models"][model]["brier"] == pytest.approx(doc["scores"][model]["brier"])
    assert twelve["models"]["hazard"]["brier_skill"] == pytest.approx(
        doc["scores"]["hazard"]["brier_skill"]
    )
    assert twelve["models"]["hazard"]["top_k"] == doc["top_k"]["hazard"]


def test_every_horizon_has_every_score(short):
    doc = short.to_dict()
    assert set(doc["horizons"]) == {"6", "12", "24"}
    for key, h in doc["horizons"].items():
        assert h["horizon_months"] == int(key)
        d = h["mandate_features"]  # the hazard model's Brier minus the mandate-blind one's
        assert d["low"] <= d["difference"] <= d["high"]
        assert set(h["ablations"]) == set(ABLATIONS)
        for name, s in {**h["models"], **h["ablations"]}.items():
            assert {"brier", "log_loss", "auc", "top_k"} <= set(s), (key, name)
            if name != "base_rate":
                low, high = s["brier_skill_interval"]
                assert low <= s["brier_skill"] <= high
        assert h["event_count"] == len(
            short.horizons[int(key)].query("outcome == 1")
        )  # the document counts the frame it scored
    # a 24-month model is its own fit, not the 12-month one
    f12, f24 = short.horizons[12], short.horizons[24]
    assert not np.allclose(f12["hazard"].to_numpy(), f24["hazard"].to_numpy())
    assert (f24["base_rate"] > f12["base_rate"]).all()  # twice the window, more events per row


def test_cli_backtest_json_and_page_have_the_horizons(built_db, tmp_path):
    result = CliRunner().invoke(
        app,
        ["forecast", "backtest", "--first", "2010", "--last", "2011", "--sim-seeds", "0",
         "--json", "--db", str(built_db)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert set(doc["horizons"]) == {"6", "12", "24"}
    assert "brier_skill" in doc["scores"]["hazard"]  # the 12-month keys stay where they were
    assert isinstance(doc["events"], list) and doc["ablations"]
    page = tmp_path / "forecast.md"
    made = CliRunner().invoke(
        app,
        ["forecast", "backtest", "--first", "2010", "--last", "2011", "--sim-seeds", "0",
         "--as-of", "2012-01-01", "--markdown", str(page), "--db", str(built_db)],
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    text = page.read_text(encoding="utf-8")
    assert "### Horizons: 6, 12 and 24 months" in text
    assert "| 24 months |" in text and "by horizon: 6 months: skill" in text
