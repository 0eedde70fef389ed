"""Forecast v2 (#31): skill scores, top-k, the per-event table and the ablations.

Hand cases first (each score can come out either way), then the backtest's document on the real
knowledge base over a few origins.
"""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from peaceops.cli import app
from peaceops.forecast.backtest import ABLATIONS, backtest
from peaceops.forecast.panel import MANDATE_FEATURES
from peaceops.forecast.skill import brier_skill, event_table, top_k

pytestmark = pytest.mark.issue(31)


def _frame(model: list[float], base: float = 0.2) -> pd.DataFrame:
    """Two origins, five missions each; mission E has its event in the second origin's window."""
    origins = [pd.Timestamp(2010, 1, 1)] * 5 + [pd.Timestamp(2011, 1, 1)] * 5
    missions = list("ABCDE") * 2
    outcome = [0] * 9 + [1]
    return pd.DataFrame(
        {
            "origin": origins,
            "mission": missions,
            "outcome": outcome,
            "event_date": [pd.NaT] * 9 + [pd.Timestamp(2011, 6, 1)],
            "model": model,
            "base_rate": [base] * 10,
        }
    )


def test_brier_skill_comes_out_either_way():
    perfect = brier_skill(_frame([0.0] * 9 + [1.0]), "model", resamples=200)
    assert perfect["brier_skill"] == pytest.approx(1.0)
    same = brier_skill(_frame([0.2] * 10), "model", resamples=200)
    assert same["brier_skill"] == pytest.approx(0.0)
    worse = brier_skill(_frame([0.9] * 9 + [0.0]), "model", resamples=200)
    assert worse["brier_skill"] < 0
    assert worse["low"] <= worse["brier_skill"] <= worse["high"]
    # seeded: the same interval twice
    assert brier_skill(_frame([0.9] * 9 + [0.0]), "model", resamples=200) == worse


def test_ranks_top_k_and_ties():
    # E ranked first at its last origin: a top-3 hit
    frame = _frame([0.1] * 5 + [0.1, 0.2, 0.3, 0.4, 0.9])
    events = event_table(frame, ["model", "base_rate"])
    assert [e["mission"] for e in events] == ["E"]
    last = events[0]["origins"][-1]
    assert last["origin"] == "2011-01-01" and last["at_risk"] == 5
    assert last["model"] == {"probability": 0.9, "rank": 1, "tied": 1}
    assert top_k(events, "model")["top_3"] == 1
    # the base rate ties everyone: rank 1, tied 5, never a hit
    assert last["base_rate"]["rank"] == 1 and last["base_rate"]["tied"] == 5
    assert top_k(events, "base_rate")["top_3"] == 0
    # E ranked last: no hit
    low = event_table(_frame([0.1] * 5 + [0.5, 0.6, 0.7, 0.8, 0.01]), ["model"])
    assert low[0]["origins"][-1]["model"]["rank"] == 5
    assert top_k(low, "model") == {
        "events": 1, "mean_rank": 5.0, "top_3": 0, "top_3_rate": 0.0, "top_5": 1, "top_5_rate": 1.0
    }  # fmt: skip
    # both origins lie in the 24 months before the event
    assert [o["origin"] for o in events[0]["origins"]] == ["2010-01-01", "2011-01-01"]


@pytest.fixture(scope="module")
def short(db):
    return backtest(db, first=2009, last=2011, resamples=50)


def test_the_backtest_document_has_skill_events_and_ablations(short):
    doc = short.to_dict()
    for model in ("hazard", "mandate_blind"):
        score = doc["scores"][model]
        assert "brier_skill" in score and len(score["brier_skill_interval"]) == 2
    assert "brier_skill" not in doc["scores"]["base_rate"]  # skill is against it
    assert [a["ablation"] for a in doc["ablations"]] == list(ABLATIONS)
    only = next(a for a in doc["ablations"] if a["ablation"] == "mandate_only")
    assert tuple(only["features"]) == MANDATE_FEATURES
    consent = next(a for a in doc["ablations"] if a["ablation"] == "no_consent_events")
    assert not {"consent_events", "consent_events_12m"} & set(consent["features"])
    assert doc["event_count"] == len(doc["events"]) >= 2
    for event in doc["events"]:
        for origin in event["origins"]:
            assert 1 <= origin["hazard"]["rank"] <= origin["at_risk"]
            assert 0 <= origin["hazard"]["probability"] <= 1
    assert set(doc["top_k"]) >= {"hazard", "mandate_blind", "base_rate"}
    # the ablation columns are their own fits, not copies of the hazard model
    f = short.forecasts
    assert not f["ablation:mandate_only"].equals(f["hazard"])


# -- the prospective record: archive and score -------------------------------------------------


def _archive(built_db, directory, as_of: str, *extra: str):
    return CliRunner().invoke(
        app,
        ["forecast", "--as-of", as_of, "--resamples", "0", "--archive", str(directory),
         "--db", str(built_db), *extra],
    )  # fmt: skip


def test_archive_and_score_round_trip(built_db, tmp_path):
    archive = tmp_path / "forecasts"
    made = _archive(built_db, archive, "2023-01-01")
    assert made.exit_code == 0, made.output
    document = json.loads((archive / "forecast-2023-01-01.json").read_text(encoding="utf-8"))
    assert document["as_of"] == "2023-01-01" and document["model"].startswith("peaceops.forecast")
    assert len(document["inputs_sha256"]) == 64 and "model output" in document["kind"]
    # a second time: refused without --force, the file unchanged
    before = (archive / "forecast-2023-01-01.json").read_bytes()
    again = _archive(built_db, archive, "2023-01-01")
    assert again.exit_code != 0 and "--force" in again.output
    assert (archive / "forecast-2023-01-01.json").read_bytes() == before
    assert _archive(built_db, archive, "2025-06-30").exit_code == 0
    scored = CliRunner().invoke(
        app, ["forecast", "score", str(archive), "--json", "--db", str(built_db)]
    )
    assert scored.exit_code == 0, scored.output
    result = {a["as_of"]: a for a in json.loads(scored.stdout)["archives"]}
    # 2023: the window has closed; Mali's request (June 2023) is an event, scored
    early = result["2023-01-01"]
    assert early["pending"] == 0 and early["resolved"] == early["forecasts"]
    assert "MINUSMA" in {m["mission"] for m in early["missions"] if m["status"] == "event"}
    assert early["brier"] is not None and 0 <= early["brier"] <= 1
    # 2025-06-30: nothing known after it yet: every forecast pending, none scored as a miss
    late = result["2025-06-30"]
    assert late["resolved"] == 0 and late["brier"] is None


def test_score_refuses_what_is_not_an_archive(built_db, tmp_path):
    def score(directory):
        return CliRunner().invoke(app, ["forecast", "score", str(directory), "--db", str(built_db)])

    assert "not a directory" in score(tmp_path / "nowhere").output
    assert "no forecast-" in score(tmp_path).output
    (tmp_path / "forecast-bad.json").write_text("{not json", encoding="utf-8")
    assert "not a JSON forecast archive" in score(tmp_path).output
    (tmp_path / "forecast-bad.json").write_text('{"archive": "other"}', encoding="utf-8")
    assert "not a forecast archive" in score(tmp_path).output
    (tmp_path / "forecast-bad.json").write_text(" " * 6_000_000, encoding="utf-8")
    assert "larger than" in score(tmp_path).output


def test_archive_never_replaces_the_store(built_db, tmp_path):
    store = tmp_path / "kb.duckdb"
    store.write_bytes(built_db.read_bytes())
    # a directory that resolves to where the store is, with the store's own name as the archive
    link = tmp_path / "forecast-2023-01-01.json"
    link.symlink_to(store)
    before = store.read_bytes()
    result = _archive(store, tmp_path, "2023-01-01", "--force")
    assert result.exit_code != 0
    assert store.read_bytes() == before
    assert _archive(built_db, tmp_path / "a", "2023-01-01", "--mission", "MINUSMA").exit_code != 0


def test_drivers_on_old_data_are_named():
    from datetime import date as day

    from peaceops.forecast.outlook import MissionForecast, stale_features

    coverage = {"fatalities": day(2015, 12, 31), "personnel": day(2024, 12, 31)}
    carried = ["log_fatalities_12m", "log_strength", "partial_terms"]
    found = stale_features(coverage, day(2025, 6, 30), carried, day(2014, 5, 27))
    assert found == {"log_fatalities_12m", "partial_terms"}  # personnel is recent
    assert stale_features(coverage, day(2016, 6, 30), carried, day(2014, 5, 27)) == set()
    both = MissionForecast("X", 0.1, 0.0, 0.2, [{"feature": "partial_terms"}], [], "",
                           ["partial_terms"])  # fmt: skip
    assert both.all_drivers_stale
    assert not MissionForecast("X", 0.1, 0.0, 0.2, [], [], "", []).all_drivers_stale


def test_the_forecast_names_drivers_on_old_texts(db):
    from peaceops.forecast.outlook import forecast

    result = {m.mission: m for m in forecast(db, date(2025, 6, 30), resamples=0).missions}
    # UNMISS's last mandate with a text is S/RES/2406 (March 2018): its Chapter VII driver
    assert "chapter_vii" in result["UNMISS"].stale_drivers
    doc = forecast(db, date(2025, 6, 30), resamples=0).to_dict()
    assert all("stale_drivers" in m and "all_drivers_stale" in m for m in doc["missions"])


def test_reliability_bins_have_wilson_intervals():
    from peaceops.forecast.skill import reliability, wilson

    assert wilson(0, 0) == (None, None)
    low, high = wilson(0, 10)
    assert low == 0 and high == pytest.approx(0.2775, abs=1e-4)  # no event: not an empty interval
    low, high = wilson(10, 10)
    assert low == pytest.approx(0.7225, abs=1e-4) and high == pytest.approx(1)
    low, high = wilson(5, 10)
    assert low == pytest.approx(1 - high)
    # more forecasts, a narrower interval around the same share
    assert np.subtract(*wilson(50, 100)[::-1]) < np.subtract(*wilson(5, 10)[::-1])
    bins = reliability(np.array([0.001] * 8 + [0.3, 0.3]), np.array([0] * 7 + [1, 1, 0]))
    for b in bins:
        if b["forecasts"]:
            assert b["observed_low"] <= b["observed"] <= b["observed_high"]
        else:
            assert b["observed_low"] is None and b["observed_high"] is None
