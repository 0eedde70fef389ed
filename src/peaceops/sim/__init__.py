"""Simulation: Peter (2023)'s mechanism as a Mesa model, with scenarios from the knowledge base.

Data flow: ``load_scenario`` reads one mission's inputs from the store (``scenario``),
``apply_counterfactual`` changes them, ``MechanismModel`` (``mechanism/``) runs them month by
month with ``Params`` (``params``), and ``run_one`` / ``simulate`` (``run``) return a monthly
DataFrame or a summary over seeds. See docs/sim.md.
"""

from peaceops.sim.mechanism import EVENT_TYPES, MODEL_VERSION, MechanismModel
from peaceops.sim.params import PARAMETER_TABLE, PARAMS_VERSION, Parameter, Params
from peaceops.sim.run import END_CAUSES, run_model, run_one, simulate, summarize
from peaceops.sim.scenario import (
    COUNTERFACTUALS,
    Scenario,
    ScenarioError,
    apply_counterfactual,
    load_scenario,
)

__all__ = [
    "COUNTERFACTUALS",
    "END_CAUSES",
    "EVENT_TYPES",
    "MODEL_VERSION",
    "PARAMETER_TABLE",
    "PARAMS_VERSION",
    "MechanismModel",
    "Parameter",
    "Params",
    "Scenario",
    "ScenarioError",
    "apply_counterfactual",
    "load_scenario",
    "run_model",
    "run_one",
    "simulate",
    "summarize",
]
