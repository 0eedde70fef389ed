"""Forecast v2 (#31): the backtest's skill, machine-readable, and the line beside each forecast.

Hand documents first (each verdict can come out either way), then the reader against missing,
broken and hostile files, the packaged summary against docs/forecast.md, and the command line:
``forecast backtest --summary`` (never over an existing file without --force, never the page
it writes beside, never a folder) and ``forecast`` printing the line.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peaceops.cli import app
from peaceops.forecast import summary as summary_module
from peaceops.forecast.document import _mandate_section
from peaceops.forecast.model import MODEL_VERSION
from peaceops.forecast.summary import (
    SUMMARY_PATH,
    SUMMARY_VERSION,
    backtest_summary,
    skill_line,
    summary_document,
)

pytestmark = pytest.mark.issue(31)
ROOT = Path(__file__).resolve().parents[1]


def _doc(skill: tuple[float, float, float], blind: tuple[float, float, float]) -> dict:
    """A backtest document with the hazard model's skill and its Brier minus the blind one's."""
    value, low, high = skill
    hazard = {"brier": 0.019, "log_loss": 0.1, "auc": 0.43, "brier_skill": value,
              "brier_skill_interval": [low, high]}  # fmt: skip
    return {
        "model": MODEL_VERSION,
        "panel": "p",
        "horizon_months": 12,
        "origins": list(range(1995, 2024)),
        "forecasts": 718,
        "event_count": 10,
        "missions_with_event": ["MINUSMA"],
        "scores": {
            "hazard": hazard,
            "base_rate": {"brier": 0.0138, "log_loss": 0.08, "auc": 0.3},
        },
        "top_k": {"hazard": {"events": 10, "top_3": 1, "top_5": 3}},
        "brier_difference": {
            "mandate_blind": dict(zip(("difference", "low", "high"), blind, strict=True))
        },
        "horizons": {
            "6": {
                "forecasts": 718,
                "event_count": 5,
                "models": {"hazard": hazard},
                "mandate_features": dict(zip(("difference", "low", "high"), blind, strict=True)),
            }
        },
        "bootstrap": {"resamples": 1000, "seed": 0, "level": 0.95},
    }


def test_the_verdicts_follow_the_intervals():
    worse = summary_document(_doc((-0.397, -1.408, -0.035), (0.0028, 0.0006, 0.0061)),
                             store_hash="a" * 64)  # fmt: skip
    assert (
        worse["beats_base_rate"] is False and worse["models"]["hazard"]["beats_base_rate"] is False
    )
    assert worse["models"]["hazard"]["brier_skill"] == {
        "value": -0.397, "low": -1.408, "high": -0.035, "level": 0.95
    }  # fmt: skip
    assert worse["mandate_features_add_skill"]["value"] is False
    assert worse["horizons"]["6"]["models"]["hazard"]["beats_base_rate"] is False
    # a positive interval beats the base rate; a Brier difference below 0 throughout: mandate
    # features add skill
    better = summary_document(_doc((0.2, 0.05, 0.3), (-0.004, -0.006, -0.001)), store_hash="b")
    assert better["beats_base_rate"] is True and better["mandate_features_add_skill"]["value"]
    assert better["horizons"]["6"]["mandate_features_add_skill"]["value"] is True
    assert worse["horizons"]["6"]["mandate_features_add_skill"]["value"] is False
    assert better["mandate_features_add_skill"]["high"] == -0.001
    # a positive point whose interval crosses 0 is no demonstrated gain
    unsure = summary_document(_doc((0.1, -0.2, 0.3), (-0.002, -0.005, 0.001)), store_hash="c")
    assert unsure["beats_base_rate"] is False and not unsure["mandate_features_add_skill"]["value"]
    for key in ("generated_at", "store_hash", "model_version", "forecasts", "events", "source"):
        assert key in worse
    assert worse["source"] == "docs/forecast.md" and worse["summary"] == SUMMARY_VERSION
    with pytest.raises(ValueError, match="no hazard model"):
        summary_document({"scores": {}}, store_hash="x")


def test_the_closing_note_says_plainly_whether_the_mandate_features_add_skill():
    helps = "\n".join(_mandate_section(_doc((0, -1, 1), (-0.004, -0.006, -0.001))))
    assert "**Plainly: they add skill at 6 months.**" in helps
    hurts = "\n".join(_mandate_section(_doc((0, -1, 1), (0.003, 0.001, 0.006))))
    assert "they add skill at no horizon, and make the forecast worse at 6 months" in hurts
    unsure = "\n".join(_mandate_section(_doc((0, -1, 1), (0.001, -0.001, 0.004))))
    assert "they add skill at no horizon.**" in unsure and "no demonstrated difference" in unsure


def test_the_skill_line_is_one_plain_sentence():
    worse = summary_document(_doc((-0.397, -1.408, -0.035), (0, -1, 1)), store_hash="a")
    assert skill_line(worse) == (
        "Backtest 1995\u20132023, 12-month horizon: Brier skill \u22120.40 (95% CI \u22121.41 to "
        "\u22120.04) against the base rate; the model does not beat the base rate. "
        "See docs/forecast.md."
    )
    better = summary_document(_doc((0.2, 0.05, 0.3), (0, -1, 1)), store_hash="a")
    assert "Brier skill 0.20 (95% CI 0.05 to 0.30)" in skill_line(better)
    assert "the model beats the base rate" in skill_line(better)
    assert "not available" in skill_line(None)


def test_the_reader_returns_none_for_what_is_not_a_summary(tmp_path, caplog):
    assert backtest_summary(tmp_path / "missing.json") is None
    bad = tmp_path / "bad.json"
    cases = {
        "{not json": "cannot read",
        '{"summary": "other"}': "not a backtest summary",
        json.dumps({"summary": SUMMARY_VERSION, "models": {}}): "lacks",
        json.dumps([1, 2]): "not a backtest summary",
        " " * 1_100_000: "larger than",
    }
    for text, message in cases.items():
        bad.write_text(text, encoding="utf-8")
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="peaceops.forecast.summary"):
            assert backtest_summary(bad) is None
        assert message in caplog.text, text[:30]
    bad.write_bytes(b"\xff\xfe\x00")
    assert backtest_summary(bad) is None
    good = tmp_path / "good.json"
    document = summary_document(_doc((-0.4, -1.4, -0.04), (0, -1, 1)), store_hash="a")
    good.write_text(json.dumps(document), encoding="utf-8")
    assert backtest_summary(good) == document


def test_the_packaged_summary_matches_the_page():
    packaged = backtest_summary()
    assert packaged is not None, f"{SUMMARY_PATH} is missing or malformed"
    assert SUMMARY_PATH.parent == Path(summary_module.__file__).parent
    assert packaged["model_version"] == MODEL_VERSION
    assert re.fullmatch(r"[0-9a-f]{64}", packaged["store_hash"])
    assert set(packaged["horizons"]) == {"6", "12", "24"}
    assert {"hazard", "competing_risks", "mandate_blind", "base_rate"} <= set(packaged["models"])
    assert isinstance(packaged["mandate_features_add_skill"]["value"], bool)
    page = (ROOT / "docs" / "forecast.md").read_text(encoding="utf-8")
    skill = packaged["models"]["hazard"]["brier_skill"]
    cell = f"{skill['value']:+.3f} ({skill['low']:+.3f} to {skill['high']:+.3f})"
    assert cell in page, "docs/forecast.md and the packaged summary come from different runs"
    assert f"**{packaged['forecasts']} forecasts**" in page


def _backtest(built_db, *extra):
    return CliRunner().invoke(
        app,
        ["forecast", "backtest", "--first", "2010", "--last", "2011", "--sim-seeds", "0",
         "--db", str(built_db), *[str(e) for e in extra]],
    )  # fmt: skip


def test_cli_writes_the_summary_and_never_over_what_it_should_not(built_db, tmp_path):
    from peaceops.forecast.archive import inputs_sha256
    from peaceops.forecast.panel import load_snapshot
    from peaceops.store import Database

    target = tmp_path / "out" / "summary.json"
    made = _backtest(built_db, "--summary", target)
    assert made.exit_code == 0, made.output
    written = backtest_summary(target)
    assert written is not None and written["origins"] == [2010, 2011]
    with Database(built_db, read_only=True) as db:
        assert written["store_hash"] == inputs_sha256(load_snapshot(db))
    before = target.read_bytes()
    again = _backtest(built_db, "--summary", target)
    assert again.exit_code == 1 and "--force" in again.output
    assert target.read_bytes() == before
    # the page, its diagram and the summary are three files
    page = tmp_path / "page.md"
    for clash in (page, tmp_path / "page-reliability.svg"):
        refused = _backtest(built_db, "--markdown", page, "--summary", clash, "--force")
        assert refused.exit_code == 1 and "different files" in refused.output
        assert not page.exists()
    folder = _backtest(built_db, "--summary", tmp_path)
    assert folder.exit_code == 1 and "folder" in folder.output
    store = _backtest(built_db, "--summary", built_db, "--force")
    assert store.exit_code == 1 and "cannot be an output" in store.output
    forced = _backtest(built_db, "--summary", target, "--force")
    assert forced.exit_code == 0, forced.output
    assert backtest_summary(target)["generated_at"] >= written["generated_at"]


def test_cli_forecast_prints_its_skill(built_db, monkeypatch, tmp_path):
    args = ["forecast", "--as-of", "2025-06-30", "--resamples", "0", "--db", str(built_db)]
    table = CliRunner().invoke(app, args)
    assert table.exit_code == 0, table.output
    assert "Brier skill" in table.output and "base rate" in table.output
    doc = json.loads(CliRunner().invoke(app, [*args, "--json"]).stdout)
    assert doc["skill"] == skill_line(backtest_summary())
    assert doc["skill"].startswith("Backtest 1995")
    # without a summary the line says so, never silently nothing
    monkeypatch.setattr(summary_module, "SUMMARY_PATH", tmp_path / "none.json")
    bare = json.loads(CliRunner().invoke(app, [*args, "--json"]).stdout)
    assert "not available" in bare["skill"]
