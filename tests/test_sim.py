"""The mechanism model on the real knowledge base: scenarios, determinism, errors."""

import dataclasses
import gc
import math
import weakref
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from peaceops.errors import ParameterError, SimError
from peaceops.sim import (
    COUNTERFACTUALS,
    END_CAUSES,
    EVENT_TYPES,
    PARAMETER_TABLE,
    MechanismModel,
    Params,
    ScenarioError,
    apply_counterfactual,
    load_scenario,
    run_model,
    run_one,
    simulate,
)
from peaceops.sim.mechanism.model import add_months
from peaceops.sim.params import parameters_markdown
from peaceops.store import Database

DOCS = Path(__file__).resolve().parents[1] / "docs"
MISSIONS = ["MINUSMA", "MONUSCO", "UNAMA", "UNMISS", "MINUSCA"]
#: The keys of the `simulate` summary the issue names (docs/sim.md).
SUMMARY_KEYS = {
    "mission",
    "seeds",
    "p_forced_exit",
    "median_exit_date",
    "p_talks_collapse",
    "legitimacy",
    "counterfactual",
}
STATES = ["legitimacy", "perceived_impartiality", "performance", "consent", "trust", "violence"]


@pytest.fixture(scope="module")
def minusma(db):
    return load_scenario(db, "MINUSMA")


@pytest.fixture(scope="module")
def monuc(db):
    """MONUC, which became MONUSCO on 1 July 2010 (a transition in mission_ends)."""
    return load_scenario(db, "MONUC")


def _copy_store(db, folder: Path) -> Path:
    """A writable copy of the session's knowledge base, for tests that change a table."""
    copy = folder / "kb.duckdb"
    with duckdb.connect(str(copy)) as conn:
        conn.execute(f"ATTACH '{db.path}' AS src (READ_ONLY)")
        conn.execute("COPY FROM DATABASE src TO kb")
    return copy


@pytest.mark.parametrize("mission", MISSIONS)
def test_every_paper_mission_runs_a_few_steps_with_a_fixed_seed(db, mission):
    scenario = load_scenario(db, mission)
    frame = run_one(scenario, 11, months=6)
    assert len(frame) == 6
    assert frame["date"].iloc[0] == scenario.start.replace(day=1).isoformat()
    for column in STATES:
        assert frame[column].between(0, 1).all(), column
    assert set(EVENT_TYPES) <= set(frame.columns)
    assert frame.equals(run_one(scenario, 11, months=6))


def test_scenario_is_built_from_the_knowledge_base_without_outcomes(minusma):
    assert minusma.kind == "pko"
    assert minusma.hosts == ("MLI",)
    # the terminating resolution (S/RES/2690) is an outcome, never an input
    assert 2690 not in {m.resolution for m in minusma.mandates}
    assert all(m.stabilization for m in minusma.mandates)
    assert {"jnim", "cma"} <= {g.actor_id for g in minusma.groups}
    wagner = [p for p in minusma.alternative_partners if p.actor_id == "wagner"]
    assert wagner and wagner[0].start.isoformat() == "2021-12-01"
    # France operated alongside the mission with the Council's welcome: not an alternative
    assert "barkhane" not in {p.actor_id for p in minusma.alternative_partners}


def test_regime_changes_are_the_only_events_read(db, minusma, tmp_path):
    from peaceops.sim.scenario import SHOCK_EVENTS

    assert minusma.regime_changes == (date(2020, 8, 18), date(2021, 5, 24))
    assert load_scenario(db, "UNAMA").regime_changes == (date(2021, 8, 15),)
    assert load_scenario(db, "MONUSCO").regime_changes == ()
    # outcome events (withdrawal request, expulsions, talks exits ...) change nothing
    copy = _copy_store(db, tmp_path)
    with duckdb.connect(str(copy)) as conn:
        conn.execute("DELETE FROM events WHERE NOT list_contains(?, type)", [list(SHOCK_EVENTS)])

    with Database(copy) as stripped:
        assert load_scenario(stripped, "MINUSMA") == minusma


def test_a_regime_change_cuts_consent_by_the_partiality_the_new_government_sees(minusma):
    import dataclasses
    from datetime import date

    calm = dataclasses.replace(minusma, regime_changes=())
    shocked = dataclasses.replace(minusma, regime_changes=(date(2014, 6, 15),))
    params = Params(regime_shock=0.8)
    before = run_one(calm, 5, params, months=20)
    after = run_one(shocked, 5, params, months=20)
    month = 14  # June 2014, MINUSMA started in April 2013
    assert after["date"].iloc[month] == "2014-06-01"
    assert list(after["regime_change"]) == [k == month for k in range(20)]
    pd.testing.assert_frame_equal(
        before.iloc[:month].drop(columns="regime_change"),
        after.iloc[:month].drop(columns="regime_change"),
    )
    cut = 0.8 * (1 - after["perceived_impartiality"].iloc[month])
    expected = max(0.0, before["consent"].iloc[month] - cut)
    assert after["consent"].iloc[month] == pytest.approx(expected)
    assert cut > 0.1  # MINUSMA's stabilization mandate: the new government sees a side


def test_the_recorded_end_is_never_read_by_the_model(minusma):
    without = dataclasses.replace(minusma, recorded_end=None)
    pd.testing.assert_frame_equal(run_one(minusma, 5), run_one(without, 5))


def test_the_end_registry_is_read_for_the_successor_only(db, monuc, tmp_path):
    missions = ["MONUC", "UNAMSIL", "UNAMID", "UNMIS", "MINUSMA", "UNAMA"]
    before = {m: load_scenario(db, m) for m in missions}
    assert monuc.successor == "MONUSCO"
    assert monuc.handover == load_scenario(db, "MONUSCO").start
    assert before["MINUSMA"].successor is None and before["MINUSMA"].handover is None
    copy = _copy_store(db, tmp_path)
    # every other column of the end registry changed: outcome, dates, request, citation
    with duckdb.connect(str(copy)) as conn:
        conn.execute(
            "UPDATE mission_ends SET outcome = CASE WHEN outcome = 'active' THEN "
            "'host_withdrew_consent' ELSE 'active' END, end_date = DATE '1950-01-01', "
            "end_precision = 'year', host_request_date = DATE '1949-06-01', "
            "citation = 'changed', note = 'changed'"
        )
    with Database(copy) as changed:
        assert {m: load_scenario(changed, m) for m in missions} == before
    # the successor is read: without it there is no handover, and a successor that started
    # before the mission gives none either
    with duckdb.connect(str(copy)) as conn:
        conn.execute("UPDATE mission_ends SET successor = NULL WHERE acronym = 'MONUC'")
        conn.execute("UPDATE mission_ends SET successor = 'MINURSO' WHERE acronym = 'UNAMSIL'")
    with Database(copy) as changed:
        assert load_scenario(changed, "MONUC") == dataclasses.replace(
            monuc, successor=None, handover=None
        )
        unamsil = load_scenario(changed, "UNAMSIL")
        assert (unamsil.successor, unamsil.handover) == ("MINURSO", None)


@pytest.mark.issue(18)
def test_issue18_a_transition_ends_as_a_handover_never_a_forced_exit_after_it(monuc):
    handover = monuc.handover.replace(day=1).isoformat()
    alone = dataclasses.replace(monuc, successor=None, handover=None)
    causes = []
    for seed in range(8):
        model = run_model(monuc, seed)
        outcome = model.outcome()
        causes.append(outcome["end_cause"])
        assert outcome["end_cause"] != "ongoing"
        if outcome["end_cause"] != "handover":  # decided before the handover, kept
            assert outcome["decision_date"] < handover
            continue
        assert outcome["decision_date"] == outcome["exit_date"] == handover
        frame = model.datacollector.get_model_vars_dataframe()
        assert frame["date"].iloc[-1] == handover
        assert frame["status"].iloc[-1] == "ended"
        # up to the handover the run is the run without a successor, draw for draw
        pd.testing.assert_frame_equal(frame.iloc[:-1], run_one(alone, seed).iloc[: len(frame) - 1])
    assert "handover" in causes


def test_a_run_forced_out_before_the_handover_stays_a_forced_exit(monuc):
    params = Params(withdrawal_rate=1.0, withdrawal_alone=1.0, withdrawal_threshold=0.6)
    params = params.replace(consent_initial=0.1, termination_base=1.0, drawdown_months=0)
    early = run_model(monuc, 0, params).outcome()
    assert early["end_cause"] == "forced_exit"
    assert early["exit_date"] < monuc.handover.isoformat()
    # decided before the handover, still withdrawing when the successor starts: kept
    decided = date.fromisoformat(early["decision_date"])
    soon = dataclasses.replace(monuc, handover=add_months(decided, 1))
    late = run_model(soon, 0, params.replace(drawdown_months=6)).outcome()
    assert late["end_cause"] == "forced_exit"
    assert late["decision_date"] == early["decision_date"]
    assert late["exit_date"] == add_months(decided, 6).isoformat()


def test_same_seed_gives_identical_frames_and_byte_identical_parquet(minusma, tmp_path):
    first, second = run_one(minusma, 42), run_one(minusma, 42)
    pd.testing.assert_frame_equal(first, second)
    paths = [tmp_path / "a.parquet", tmp_path / "b.parquet"]
    for frame, path in zip((first, second), paths, strict=True):
        pq.write_table(pa.Table.from_pandas(frame), path)
    assert paths[0].read_bytes() == paths[1].read_bytes()


def test_a_finished_model_can_be_garbage_collected(minusma):
    # Mesa 3.3.1 keeps models alive through Agent._ids (mesa/mesa#3179); sweeps need them freed
    model = run_model(minusma, 0, months=3)
    ref = weakref.ref(model)
    del model
    gc.collect()
    assert ref() is None


def test_different_seeds_give_different_runs(minusma):
    assert not run_one(minusma, 1).equals(run_one(minusma, 2))


def test_a_run_stops_when_the_mission_has_left(minusma):
    params = Params(withdrawal_rate=1.0, withdrawal_alone=1.0, withdrawal_threshold=0.6)
    params = params.replace(consent_initial=0.1, termination_base=1.0, drawdown_months=0)
    model = MechanismModel(minusma, params=params, seed=0).run()
    outcome = model.outcome()
    assert outcome["end_cause"] == "forced_exit"
    assert outcome["first_request_date"] <= outcome["exit_date"]
    frame = model.datacollector.get_model_vars_dataframe()
    assert frame["status"].iloc[-1] == "ended"
    assert frame["withdrawal_requests"].sum() >= 1


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("legitimacy_rate", 2.0, r"legitimacy_rate=2.0 is outside its bounds \[0.005, 0.5\]"),
        ("partner_base", -0.1, r"partner_base=-0.1 is outside its bounds \[0.0, 1.0\]"),
        ("mandate_period", 2.5, r"mandate_period must be a whole number in \[1, 36\]"),
        ("consent_initial", math.nan, r"consent_initial must be a finite number in \[0.1, 1.0\]"),
        ("withdrawal_rate", "0.1", r"withdrawal_rate must be a finite number"),
        ("drawdown_months", True, r"drawdown_months must be a finite number"),
    ],
)
def test_out_of_range_parameters_name_the_parameter_and_its_bounds(name, value, message):
    with pytest.raises(ParameterError, match=message):
        Params(**{name: value})


def test_unknown_parameter_names_are_refused():
    with pytest.raises(ParameterError, match=r"unknown parameter.*legitimacy_speed"):
        Params.from_mapping({"legitimacy_speed": 0.1})


def test_every_parameter_has_bounds_around_its_default_and_a_reason():
    for parameter in PARAMETER_TABLE:
        assert parameter.low <= parameter.default <= parameter.high, parameter.name
        assert len(parameter.reason) > 20, parameter.name
    assert Params().to_dict() == {p.name: p.default for p in PARAMETER_TABLE}


def test_unknown_mission_is_a_clear_error(db):
    with pytest.raises(ScenarioError, match=r"unknown mission 'MINUSM'; did you mean MINUSMA"):
        load_scenario(db, "MINUSM")
    with pytest.raises(ScenarioError, match="unknown mission"):
        simulate(db, "NO-SUCH-MISSION")


def test_missions_are_found_in_any_case(db):
    assert load_scenario(db, "unama").mission == "UNAMA"


def test_unknown_counterfactual_lists_the_valid_ones(db, minusma):
    with pytest.raises(ScenarioError, match="valid ones are: divided-council, no-alternative"):
        apply_counterfactual(minusma, "no-wagner")
    with pytest.raises(ScenarioError, match="unknown counterfactual"):
        simulate(db, "MINUSMA", counterfactual="no-wagner")


def test_no_alternative_partner_removes_the_partner(minusma):
    baseline = run_one(minusma, 3)
    assert baseline.loc[baseline["date"] >= "2022-01-01", "partner_present"].all()
    changed = apply_counterfactual(minusma, "no-alternative-partner")
    assert changed.alternative_partners == ()
    assert changed.counterfactual == "no-alternative-partner"
    frame = run_one(changed, 3)
    assert not frame["partner_present"].any()
    assert (frame["partner_reliance"] == 0).all()


def test_counterfactuals_change_what_they_say(minusma):
    record = dict(minusma.fragmentation)
    unified = apply_counterfactual(minusma, "unified-council")
    assert all(level == 0 for _, level in unified.fragmentation)
    divided = apply_counterfactual(minusma, "divided-council")
    assert all(level >= record[year] for year, level in divided.fragmentation)
    calm = apply_counterfactual(minusma, "no-stabilization")
    assert not any(m.stabilization or m.offensive or m.targets for m in calm.mandates)
    assert all(m.chapter_vii for m in calm.mandates)
    spm = apply_counterfactual(minusma, "spm")
    assert spm.kind == "spm"
    assert not any(m.chapter_vii or m.stabilization for m in spm.mandates)
    assert all(s.uniformed == 0 for s in spm.strength)
    assert set(COUNTERFACTUALS) == {
        "no-stabilization",
        "no-alternative-partner",
        "unified-council",
        "divided-council",
        "spm",
    }


def test_simulate_returns_the_documented_summary(db):
    summary = simulate(db, "UNAMA", seed=7, seeds=3, months=24)
    assert set(summary) >= SUMMARY_KEYS
    assert summary["mission"] == "UNAMA"
    assert summary["seeds"] == 3
    assert summary["base_seed"] == 7
    assert 0 <= summary["p_forced_exit"] <= 1
    assert set(summary["legitimacy"]) == {"start", "end"}
    assert summary["counterfactual"] is None
    assert summary == simulate(db, "UNAMA", seed=7, seeds=3, months=24)


def test_simulate_counts_every_end_cause(db):
    summary = simulate(db, "MONUC", seed=3, seeds=4)
    assert tuple(summary["end_causes"]) == END_CAUSES
    assert sum(summary["end_causes"].values()) == 4
    assert summary["p_handover"] == summary["end_causes"]["handover"] / 4
    assert (summary["successor"], summary["handover"]) == ("MONUSCO", "2010-07-01")
    alone = simulate(db, "MINUSMA", seed=3, seeds=2, months=12)
    assert (alone["successor"], alone["handover"], alone["p_handover"]) == (None, None, 0.0)


def test_simulate_refuses_zero_seeds(db):
    with pytest.raises(SimError, match="seeds must be at least 1"):
        simulate(db, "UNAMA", seeds=0)


@pytest.mark.parametrize("parameter", [p.name for p in PARAMETER_TABLE])
def test_every_parameter_is_documented(parameter):
    assert f"`{parameter}`" in (DOCS / "sim.md").read_text(encoding="utf-8")


def test_the_documented_parameter_table_is_the_code_table():
    text = (DOCS / "sim.md").read_text(encoding="utf-8")
    documented = text.split("<!-- parameters:start -->\n", 1)[1].split("<!-- parameters:end -->")[0]
    assert documented == parameters_markdown()


def test_simulate_command_json_and_errors(built_db):
    import json

    from typer.testing import CliRunner

    from peaceops.cli import app

    runner = CliRunner()
    ok = runner.invoke(
        app, ["simulate", "MINUSMA", "--seeds", "3", "--json", "--db", str(built_db)]
    )
    assert ok.exit_code == 0, ok.output
    doc = json.loads(ok.stdout)
    assert set(doc) >= SUMMARY_KEYS
    assert doc["seeds"] == 3 and 0 <= doc["p_forced_exit"] <= 1
    again = runner.invoke(
        app, ["simulate", "MINUSMA", "--seeds", "3", "--json", "--db", str(built_db)]
    )
    assert again.stdout == ok.stdout
    for args, needle in [
        (["simulate", "MINUSM"], "did you mean MINUSMA"),
        (["simulate", "UNAMA", "--counterfactual", "foo"], "valid ones are"),
        (["simulate", "UNAMA", "--seeds", "0"], "at least 1"),
    ]:
        bad = runner.invoke(app, [*args, "--db", str(built_db)])
        assert bad.exit_code == 1, args
        assert needle in bad.stderr
