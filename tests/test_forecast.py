"""The forecast of host-forced exits (#18): panel, leakage, model, scores, backtest, forecast."""

from __future__ import annotations

from datetime import date

import duckdb
import numpy as np
import pandas as pd
import pytest

from peaceops.errors import ForecastError
from peaceops.forecast.backtest import (
    BLIND_FEATURES,
    _split,
    auc,
    backtest,
    brier,
    log_loss,
    reliability,
)
from peaceops.forecast.model import MIN_EVENTS, fit
from peaceops.forecast.outlook import forecast
from peaceops.forecast.panel import FEATURE_NAMES, MANDATE_FEATURES, load_snapshot, panel
from peaceops.forecast.truncate import KEPT, PLAN, truncate_store
from peaceops.store import Database


@pytest.fixture(scope="module")
def snapshot(db):
    return load_snapshot(db)


@pytest.fixture(scope="module")
def rows(snapshot):
    return panel(snapshot, start=date(1948, 1, 1), end=date(2025, 6, 1))


# -- leakage -----------------------------------------------------------------------------------


@pytest.mark.parametrize("origin", [date(2010, 1, 1), date(2023, 1, 1), date(2023, 7, 1)])
def test_features_on_a_store_cut_at_the_origin_are_identical(built_db, rows, tmp_path, origin):
    """No feature of a month reads a row dated after it: cut the store, get the same panel."""
    cut = truncate_store(built_db, tmp_path / "cut.duckdb", origin)
    with Database(cut, read_only=True) as small:
        before = panel(load_snapshot(small), start=date(1948, 1, 1), end=origin)
    full = rows[rows["date"] <= pd.Timestamp(origin)]
    columns = ["mission", "date", *FEATURE_NAMES, "resolution", "strength_known", "carried"]
    left = full[columns].sort_values(["mission", "date"]).reset_index(drop=True)
    right = before[columns].sort_values(["mission", "date"]).reset_index(drop=True)
    assert len(left) > 500
    pd.testing.assert_frame_equal(left, right, check_dtype=False)


def test_the_cut_store_knows_nothing_after_the_origin(built_db, tmp_path):
    origin = date(2020, 1, 1)
    cut = truncate_store(built_db, tmp_path / "cut.duckdb", origin)
    with Database(cut, read_only=True) as small:
        assert small.scalar("SELECT max(coalesce(date, make_date(year, 12, 31))) FROM resolutions")
        assert small.scalar("SELECT count(*) FROM resolutions WHERE date > ?", [origin]) == 0
        assert small.scalar("SELECT count(*) FROM codes WHERE resolution > 2600") == 0
        assert small.scalar("SELECT count(*) FROM events WHERE date > ?", [origin]) == 0
        row = small.rows("SELECT * FROM mission_ends WHERE acronym = 'MINUSMA'")[0]
        assert row["outcome"] == "active"
        assert row["end_date"] is None and row["host_request_date"] is None
        assert small.scalar("SELECT count(*) FROM missions WHERE acronym = 'UNITAMS'") == 0
        # a request made before the origin stays known (#28: BNUB's, UNAMID has none)
        assert small.scalar(
            "SELECT host_request_date FROM mission_ends WHERE acronym = 'BNUB'"
        ) == date(2014, 1, 28)
    with Database(built_db, read_only=True) as full:
        assert full.scalar("SELECT count(*) FROM events WHERE date > ?", [origin]) > 0


def test_a_table_neither_cut_nor_kept_is_refused(built_db, tmp_path):
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(built_db.read_bytes())
    conn = duckdb.connect(str(copy))
    conn.execute("CREATE TABLE new_dated_thing (day DATE)")
    conn.close()
    with pytest.raises(ForecastError, match=r"new_dated_thing.*PLAN or KEPT"):
        truncate_store(copy, tmp_path / "cut.duckdb", date(2010, 1, 1))


def test_every_table_of_the_store_is_cut_or_kept(db):
    assert set(db.tables()) <= set(PLAN) | KEPT
    assert not set(PLAN) & KEPT


# -- the panel ---------------------------------------------------------------------------------


def test_at_risk_months_end_at_the_host_request(rows):
    minusma = rows[rows["mission"] == "MINUSMA"]
    assert minusma["date"].max() == pd.Timestamp(2023, 6, 1)  # request of 16 June 2023
    positive = minusma.loc[minusma["outcome"] == 1, "date"]
    assert positive.min() == pd.Timestamp(2022, 7, 1) and len(positive) == 12
    monusco = rows[rows["mission"] == "MONUSCO"]
    assert monusco["date"].max() == pd.Timestamp(2023, 9, 1)
    # a mission that ended without a host request is never positive
    assert rows.loc[rows["mission"] == "MONUC", "outcome"].sum() == 0
    # #28: UNAMID's 2014 note asked for an exit strategy, not to leave: a transition without a
    # request is at risk to its end and never positive; UNPROFOR, a transition whose host
    # (Croatia) asked it to leave on 12 January 1995, is positive and leaves the risk set then
    unamid = rows[rows["mission"] == "UNAMID"]
    assert unamid["outcome"].sum() == 0
    unprofor = rows[rows["mission"] == "UNPROFOR"]
    assert unprofor["date"].max() == pd.Timestamp(1995, 1, 1)


def test_mandate_features_follow_the_texts(rows):
    minusma = rows[(rows["mission"] == "MINUSMA") & (rows["date"] == pd.Timestamp(2014, 1, 1))]
    row = minusma.iloc[0]
    assert row["resolution"] == 2100
    assert row["stabilization"] == 1 and row["chapter_vii"] == 1
    assert row["partial_terms"] > 0
    # a renewal without text in the data carries its codes from the last text, and says so
    later = rows[(rows["mission"] == "MINUSMA") & (rows["date"] == pd.Timestamp(2019, 1, 1))]
    assert "partial_terms" in later.iloc[0]["carried"]


def test_sources_that_end_are_carried_and_marked(rows, snapshot):
    last = pd.Timestamp(snapshot.coverage["fatalities"])
    after = rows[rows["date"] > last + pd.Timedelta(days=120)]
    assert after["carried"].str.contains("log_fatalities_12m").all()
    before = rows[rows["date"] <= last]
    assert not before["carried"].str.contains("log_fatalities_12m").any()


def test_a_panel_that_ends_before_it_starts(snapshot):
    with pytest.raises(ForecastError, match="ends"):
        panel(snapshot, start=date(2010, 1, 1), end=date(2009, 1, 1))


# -- the model ---------------------------------------------------------------------------------


def test_training_rows_have_closed_outcome_windows(rows):
    origin = pd.Timestamp(2015, 1, 1)
    train, test = _split(rows, origin)
    assert (train["outcome_known_on"] <= origin).all()
    assert (test["date"] == origin).all()
    assert set(test["mission"]) >= {"MINUSMA", "MONUSCO", "UNMISS", "UNAMA"}


def test_fit_is_deterministic_and_explains_itself(rows):
    train, test = _split(rows, pd.Timestamp(2020, 1, 1))
    a, b = fit(train, FEATURE_NAMES), fit(train, FEATURE_NAMES)
    assert not a.fallback and a.events >= MIN_EVENTS
    np.testing.assert_array_equal(a.coef, b.coef)
    p = a.predict(test)
    logit = a.intercept + a.contributions(test).sum(axis=1).to_numpy()
    np.testing.assert_allclose(p, 1 / (1 + np.exp(-logit)))


def test_too_few_events_fall_back_to_the_base_rate(rows):
    # #28 added UNPROFOR's 1995 request: with UNEF I and UNAMIR, three missions with an event
    # before 2000 (MIN_EVENTS), so the cut is 1990, when UNEF I (1967) is the only one
    train, test = _split(rows, pd.Timestamp(1990, 1, 1))
    model = fit(train, FEATURE_NAMES)
    assert model.events < MIN_EVENTS and model.fallback
    assert (model.predict(test) == train["outcome"].mean()).all()


def test_the_blind_model_reads_no_text():
    assert not set(BLIND_FEATURES) & set(MANDATE_FEATURES)
    assert set(BLIND_FEATURES) | set(MANDATE_FEATURES) == set(FEATURE_NAMES)


def test_scores_on_hand_cases():
    y = np.array([0, 0, 1, 1])
    assert brier(np.array([0, 0, 1, 1.0]), y) == 0
    assert brier(np.array([0.5] * 4), y) == 0.25
    assert auc(np.array([0.1, 0.2, 0.8, 0.9]), y) == 1
    assert auc(np.array([0.9, 0.8, 0.2, 0.1]), y) == 0
    assert auc(np.array([0.5] * 4), y) == 0.5
    assert auc(np.array([0.5] * 4), np.zeros(4)) is None
    assert log_loss(np.array([0.5] * 4), y) == pytest.approx(np.log(2))
    bins = reliability(np.array([0.001, 0.001, 0.3, 0.3]), y)
    top = [b for b in bins if b["forecasts"] == 2 and b["mean_forecast"] == 0.3]
    assert top and top[0]["observed"] == 1.0


# -- backtest and forecast ---------------------------------------------------------------------


def test_backtest_with_the_simulation_baseline(db):
    report = backtest(db, first=2009, last=2011, sim_seeds=3, resamples=50)
    f = report.forecasts
    assert set(f["origin"].dt.year) == {2009, 2010, 2011}
    assert f["outcome"].sum() >= 2  # MINURCAT (2010), UNMIN (2010), UNMIS (2011)
    assert f["simulation"].notna().any()
    assert f["simulation"].dropna().between(0, 1).all()
    # calibrated on MINUSMA, MONUSCO and UNAMA: never scored on them (#31)
    calibrated = f["mission"].isin(["MINUSMA", "MONUSCO", "UNAMA"])
    assert calibrated.any() and f.loc[calibrated, "simulation"].isna().all()
    doc = report.to_dict()
    assert doc["simulation"]["seeds"] == 3
    assert {"hazard", "mandate_blind", "base_rate"} <= set(doc["scores"])
    assert doc["simulation"]["forecasts"] == int(f["simulation"].notna().sum())
    assert backtest(db, first=2009, last=2011, resamples=50).forecasts["hazard"].equals(f["hazard"])


def test_bad_origins_are_refused(db):
    with pytest.raises(ForecastError, match="before the first"):
        backtest(db, first=2010, last=2005)
    with pytest.raises(ForecastError, match="between 1950"):
        forecast(db, date(2999, 1, 1))


def test_forecast_on_2025_06_30(db):
    result = forecast(db, date(2025, 6, 30), resamples=20)
    names = [m.mission for m in result.missions]
    assert {"UNMISS", "MINUSCA", "UNAMA", "UNIFIL"} <= set(names)
    asked = {r["mission"] for r in result.requested}
    assert {"MONUSCO", "UNAMI"} <= asked and not asked & set(names)
    for m in result.missions:
        assert 0 <= m.low <= m.high <= 1 and 0 < m.probability < 1
        assert len(m.drivers) <= 3
    doc = result.to_dict()
    assert "not observed" in doc["kind"]
    assert any(m["carried_forward"] for m in doc["missions"])


# -- the command line --------------------------------------------------------------------------


def _cli(*args):
    from typer.testing import CliRunner

    from peaceops.cli import app

    return CliRunner().invoke(app, [str(a) for a in args])


def test_cli_forecast_json(built_db):
    import json

    result = _cli("forecast", "--as-of", "2025-06-30", "--mission", "UNMISS", "--resamples",
                  "10", "--json", "--db", built_db)  # fmt: skip
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert [m["mission"] for m in doc["missions"]] == ["UNMISS"]
    assert doc["missions"][0]["carried_forward"]  # personnel ended in 2017: marked
    assert "not observed" in doc["kind"]


def test_cli_forecast_table_and_bad_input(built_db):
    result = _cli("forecast", "--as-of", "2025-06-30", "--resamples", "0", "--db", built_db)
    assert result.exit_code == 0, result.output
    assert "model output, not" in result.output and "MONUSCO: the host asked" in result.output
    bad = _cli("forecast", "--as-of", "30/06/2025", "--db", built_db)
    assert bad.exit_code == 1 and "YYYY-MM-DD" in bad.output
    gone = _cli("forecast", "--as-of", "2025-06-30", "--mission", "MINUSMA", "--db", built_db)
    assert gone.exit_code == 1 and "not at risk" in gone.output


def test_cli_backtest_writes_the_page(built_db, tmp_path):
    page = tmp_path / "forecast.md"
    result = _cli("forecast", "backtest", "--first", "2009", "--last", "2011", "--sim-seeds",
                  "2", "--as-of", "2012-01-01", "--markdown", page, "--db", built_db)  # fmt: skip
    assert result.exit_code == 0, result.output
    text = page.read_text(encoding="utf-8")
    assert "model output, not an observation" in text and "forecast-reliability.svg" in text
    assert "## Forecast on 2012-01-01" in text and "Other specifications tried" in text
    assert (tmp_path / "forecast-reliability.svg").read_text().lstrip().startswith("<svg")
