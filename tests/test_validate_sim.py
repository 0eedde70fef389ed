"""Pattern-oriented validation of the simulation: rules, scoring, the documented report."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from peaceops.errors import ValidationError
from peaceops.sim import END_CAUSES, MODEL_VERSION, PARAMS_VERSION, load_scenario
from peaceops.sim.patterns import measure_patterns
from peaceops.sim.validate import (
    CALIBRATION_MISSIONS,
    PATTERNS,
    RecordedEnd,
    RunStats,
    _score,
    auc,
    auc_interval,
    complete_history,
    recorded_ends,
    validate,
)
from peaceops.sim.validation_report import OutOfSample, ValidationReport

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _run(seed: int, cause: str = "ongoing", exit_date: str | None = None, **rates) -> RunStats:
    decision = exit_date
    return RunStats(
        seed=seed,
        end_cause=cause,
        exit_date=exit_date,
        decision_date=decision,
        first_request_date=decision if cause == "forced_exit" else None,
        exits_before=rates.get("exits_before", 0),
        exits_after=rates.get("exits_after", 0),
        group_months_before=rates.get("months_before", 10),
        group_months_after=rates.get("months_after", 10),
    )


def _runs(**overrides: list[RunStats]) -> dict:
    """Synthetic runs for every (mission, counterfactual) the patterns read."""
    quiet = [_run(s) for s in range(4)]
    runs = {
        ("MINUSMA", None): quiet,
        ("MINUSMA", "no-alternative-partner"): quiet,
        ("MINUSMA", "no-stabilization"): quiet,
        ("MINUSMA", "spm"): quiet,
        ("MINUSMA", "unified-council"): quiet,
        ("MINUSMA", "divided-council"): quiet,
        ("MONUSCO", None): quiet,
        ("UNAMA", None): quiet,
    }
    for key, value in overrides.items():
        mission, _, counterfactual = key.partition("__")
        runs[(mission, counterfactual.replace("_", "-") or None)] = value
    return runs


def _by_id(results) -> dict:
    return {r.pattern.id: r for r in results}


def test_minusma_pattern_needs_the_window_and_the_partner_contrast() -> None:
    forced = [_run(s, "forced_exit", "2023-12-01") for s in range(4)]
    late = [_run(s, "forced_exit", "2025-10-01") for s in range(4)]
    holds = _by_id(measure_patterns(_runs(MINUSMA=forced)))["minusma-forced-out"]
    assert holds.share == 1.0 and holds.holds
    # forced out, but after the window: the pattern fails
    assert not _by_id(measure_patterns(_runs(MINUSMA=late)))["minusma-forced-out"].holds
    # as often without the partner: the contrast fails
    both = measure_patterns(_runs(MINUSMA=forced, MINUSMA__no_alternative_partner=forced))
    assert not _by_id(both)["minusma-forced-out"].holds


def test_monusco_pattern_compares_hazards_and_unama_survival() -> None:
    rising = [_run(s, exits_before=1, exits_after=3) for s in range(4)]
    falling = [_run(s, exits_before=3, exits_after=1) for s in range(4)]
    assert _by_id(measure_patterns(_runs(MONUSCO=rising)))["monusco-talks-exits-after-2013"].holds
    result = _by_id(measure_patterns(_runs(MONUSCO=falling)))["monusco-talks-exits-after-2013"]
    assert result.share == 0.0 and not result.holds
    expelled = [_run(s, "forced_exit", "2022-01-01") for s in range(4)]
    assert not _by_id(measure_patterns(_runs(UNAMA=expelled)))["unama-survives-2021"].holds


def test_counterfactual_patterns_are_paired_by_seed() -> None:
    record = [_run(s, "forced_exit", "2023-06-01") for s in range(4)]
    delayed = [_run(0, "forced_exit", "2024-06-01")] + [_run(s) for s in range(1, 4)]
    results = _by_id(measure_patterns(_runs(MINUSMA=record, MINUSMA__no_stabilization=delayed)))
    averted = results["counterfactual-no-stabilization"]
    assert averted.share == 1.0 and averted.holds  # every seed delayed or averted
    # a counterfactual that changes nothing does not hold (strictly lower is required)
    same = _by_id(measure_patterns(_runs(MINUSMA=record, MINUSMA__spm=record)))[
        "counterfactual-spm"
    ]
    assert same.share == 0.0 and not same.holds
    # divided council: as likely is enough
    divided = _by_id(measure_patterns(_runs(MINUSMA=record, MINUSMA__divided_council=record)))
    assert divided["counterfactual-divided-council"].holds


def test_out_of_sample_scoring_with_timing() -> None:
    runs = [
        _run(0, "forced_exit", "2010-06-01"),
        _run(1, "forced_exit", "2015-01-01"),  # right cause, five years late
        _run(2, "completed", "2010-06-01"),
        _run(3),
    ]
    recorded = RecordedEnd(
        end="2010-12-31",
        cause="forced_exit",
        outcome="host_withdrew_consent",
        host_request="2010-01-15",
        forced_out=True,
    )
    scored = _score("MINURCAT", "pko", runs, recorded)
    assert scored.shares == {
        "completed": 0.25,
        "forced_exit": 0.5,
        "handover": 0.0,
        "ongoing": 0.25,
    }
    assert scored.match == 0.5
    assert scored.match_timed == 0.25
    assert scored.median_end == "2010-06-01"
    assert scored.forced_out and scored.recorded_outcome == "host_withdrew_consent"


def test_a_handover_is_scored_as_a_handover() -> None:
    runs = [_run(0, "handover", "2010-07-01"), _run(1, "forced_exit", "2005-01-01")]
    recorded = RecordedEnd("2010-06-30", "handover", "transition", None, forced_out=False)
    scored = _score("MONUC", "pko", runs, recorded)
    assert scored.shares["handover"] == scored.match == scored.match_timed == 0.5


@pytest.mark.parametrize(
    ("positives", "negatives", "expected"),
    [
        ([0.9, 0.8], [0.1, 0.0, 0.2], 1.0),  # perfect separation
        ([0.1, 0.0], [0.9, 0.8, 0.5], 0.0),  # reversed
        ([0.0, 0.0], [0.0, 0.0, 0.0], 0.5),  # all tied: chance
        ([0.5, 0.2], [0.2, 0.1], 0.875),  # (1 + 1 + 0.5 + 1) / 4: a tie counts half
        ([0.3], [0.3, 0.1, 0.6, 0.3], 0.5),  # (0.5 + 1 + 0 + 0.5) / 4
    ],
)
def test_auc_is_the_share_of_pairs_ranked_right(positives, negatives, expected) -> None:
    assert auc(positives, negatives) == pytest.approx(expected)


def test_auc_needs_both_groups_and_its_interval_is_seeded() -> None:
    assert auc([], [0.1]) is None and auc([0.1], []) is None
    assert auc_interval([0.2], []) is None
    assert auc_interval([0.9, 0.8], [0.1, 0.2, 0.3]) == (1.0, 1.0)
    positives = [0.9, 0.4, 0.35, 0.0, 0.7, 0.2]
    negatives = [0.0, 0.5, 0.1, 0.0, 0.2, 0.3, 0.05, 0.6]
    low, high = auc_interval(positives, negatives)
    assert 0.0 <= low <= auc(positives, negatives) <= high <= 1.0
    assert auc_interval(positives, negatives) == (low, high)  # same seed, same interval
    assert auc_interval(positives, negatives, seed=1) != (low, high)


def _scored(mission: str, p_forced: float, cause: str, *, forced_out: bool) -> OutOfSample:
    shares = dict.fromkeys(END_CAUSES, 0.0) | {"forced_exit": p_forced, "ongoing": 1 - p_forced}
    return OutOfSample(
        mission=mission,
        kind="pko",
        recorded_end=None if cause == "ongoing" else "2010-01-01",
        recorded_cause=cause,
        recorded_outcome="active",
        host_request=None,
        forced_out=forced_out,
        shares=shares,
        match=0.0,
        match_timed=0.0,
        median_end=None,
    )


def test_the_report_gives_the_auc_its_interval_and_counts() -> None:
    missions = [
        _scored("A", 0.8, "forced_exit", forced_out=True),
        _scored("B", 0.3, "ongoing", forced_out=True),  # asked to leave, still deployed
        _scored("C", 0.3, "completed", forced_out=False),
        _scored("D", 0.0, "handover", forced_out=False),
        _scored("E", 0.0, "ongoing", forced_out=False),
    ]
    report = ValidationReport(
        seeds=1, base_seed=0, patterns=[], calibration={}, out_of_sample=missions
    )
    summary = report.summary()
    assert summary["auc_forced_out"] == auc([0.8, 0.3], [0.3, 0.0, 0.0])
    assert (summary["auc_low"], summary["auc_high"]) == auc_interval([0.8, 0.3], [0.3, 0.0, 0.0])
    assert (summary["auc_forced_out_missions"], summary["auc_consent_kept_missions"]) == (2, 3)
    assert (summary["recorded_forced_exits"], summary["recorded_handovers"]) == (1, 1)
    text = report.to_markdown()
    assert "**Discrimination.** AUC of p_forced_exit between 2 missions" in text
    assert "The evidence is thin: 2 forced-out missions, 6 pairs" in text
    assert report.to_dict()["out_of_sample_summary"]["auc_forced_out"] == round(
        summary["auc_forced_out"], 4
    )
    none = ValidationReport(
        seeds=1, base_seed=0, patterns=[], calibration={}, out_of_sample=missions[2:]
    )
    assert none.summary()["auc_forced_out"] is None
    assert "No AUC" in none.to_markdown()


@pytest.mark.issue(18)
def test_issue18_recorded_ends_come_from_the_end_registry(db) -> None:
    scenarios = [load_scenario(db, m) for m in ("MONUC", "MINURCAT", "UNAMID", "UNMISS", "UNAMI")]
    recorded = recorded_ends(db, scenarios)
    assert recorded["MONUC"].cause == "handover" and not recorded["MONUC"].forced_out
    assert recorded["MONUC"].end == "2010-06-30"
    assert recorded["MINURCAT"].cause == "forced_exit" and recorded["MINURCAT"].forced_out
    # UNAMID handed over to UNITAMS; #28: Sudan's 2014 note asked for an exit strategy, not
    # that it leave, so it has no host request and kept the host's consent
    assert recorded["UNAMID"].cause == "handover" and not recorded["UNAMID"].forced_out
    assert recorded["UNAMID"].host_request is None
    assert recorded["UNMISS"].cause == "ongoing" and not recorded["UNMISS"].forced_out
    assert recorded["UNAMI"].cause == "ongoing" and recorded["UNAMI"].forced_out


def test_the_calibration_missions_have_no_successor(db) -> None:
    """So #18's handover leaves their runs, and the patterns, as they were."""
    for mission in CALIBRATION_MISSIONS:
        scenario = load_scenario(db, mission)
        assert (scenario.successor, scenario.handover) == (None, None), mission


@pytest.mark.slow
def test_validate_on_the_knowledge_base(db, dask_cluster) -> None:
    with pytest.raises(ValidationError, match="calibration missions"):
        validate(db, seeds=1, out_of_sample=["UNMISS", "unama"])
    with pytest.raises(ValidationError, match="seeds"):
        validate(db, seeds=0)
    missions = ["MINURCAT", "MONUC", "UNMISS"]
    report = validate(db, seeds=4, out_of_sample=["minurcat", "monuc", "UNMISS"])
    document = report.to_dict()
    assert [p["id"] for p in document["patterns"]] == [p.id for p in PATTERNS]
    assert set(document["calibration"]) == set(CALIBRATION_MISSIONS)
    recorded = {m["mission"]: m["recorded_cause"] for m in document["out_of_sample"]}
    assert recorded == {"MINURCAT": "forced_exit", "MONUC": "handover", "UNMISS": "ongoing"}
    summary = document["out_of_sample_summary"]
    assert (summary["auc_forced_out_missions"], summary["auc_consent_kept_missions"]) == (1, 2)
    assert summary["auc_low"] <= summary["auc_forced_out"] <= summary["auc_high"]
    assert document["model_version"] == MODEL_VERSION
    json.dumps(document, allow_nan=False)
    # same seeds, same report, whatever the worker count
    again = validate(db, seeds=4, out_of_sample=missions, workers=2)
    assert again.to_dict() == document
    assert again.to_markdown() == report.to_markdown()
    cluster = validate(
        db, seeds=4, out_of_sample=missions, scheduler=dask_cluster.scheduler_address
    )
    assert cluster.to_dict() == document


@pytest.mark.slow
def test_complete_history_excludes_nothing_the_paper_needs(db) -> None:
    missions = complete_history(db)
    assert set(CALIBRATION_MISSIONS) <= set(missions)
    assert {"MINUSCA", "UNMISS", "MINURCAT"} <= set(missions)
    assert missions == sorted(missions)


def _documented_shares() -> dict[str, float]:
    text = (DOCS / "sim-validation.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| ([a-z0-9-]+) \| [A-Z]+ \| ([0-9.]+) \|", text, flags=re.M)
    return {pattern: float(share) for pattern, share in rows}


def test_the_validation_report_in_docs_is_for_this_model() -> None:
    text = (DOCS / "sim-validation.md").read_text(encoding="utf-8")
    assert f"Model `{MODEL_VERSION}`, parameters `{PARAMS_VERSION}`" in text
    seeds = int(re.search(r"--seeds (\d+)", text).group(1))
    assert seeds >= 100
    assert set(_documented_shares()) == {p.id for p in PATTERNS}
    assert "**Discrimination.** AUC of p_forced_exit" in text


@pytest.mark.slow
def test_the_documented_pattern_shares_are_what_the_model_gives(db) -> None:
    """Recompute the calibration patterns (100 seeds) and compare with docs/sim-validation.md."""
    report = validate(db, seeds=100, out_of_sample=[], workers=2)
    measured = {r.pattern.id: round(r.share, 2) for r in report.patterns}
    assert measured == _documented_shares(), (
        "docs/sim-validation.md is stale (the coder, the model or its parameters changed): "
        "rebuild the knowledge base and regenerate it with `peaceops validate sim --seeds 100 "
        "--workers 2 --markdown docs/sim-validation.md`"
    )
    assert all(r.holds for r in report.patterns), [r.pattern.id for r in report.patterns]


def test_validate_command(built_db, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from peaceops.cli import app

    runner = CliRunner()
    markdown = tmp_path / "report" / "validation.md"
    result = runner.invoke(
        app,
        [
            "validate",
            "sim",
            "--seeds",
            "2",
            "--out-of-sample",
            "UNMISS",
            "--markdown",
            str(markdown),
            "--json",
            "--db",
            str(built_db),
        ],
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["seeds"] == 2
    assert [m["mission"] for m in document["out_of_sample"]] == ["UNMISS"]
    assert markdown.read_text(encoding="utf-8").startswith("# Validation of the mechanism model")
    bad = runner.invoke(
        app, ["validate", "sim", "--out-of-sample", "MINUSMA", "--db", str(built_db)]
    )
    assert bad.exit_code == 1
    assert "calibration missions" in bad.stderr
