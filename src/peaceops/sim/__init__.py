"""Simulation: Peter (2023)'s mechanism as a Mesa model, with scenarios from the knowledge base.

Data flow: ``load_scenario`` reads one mission's inputs from the store (``scenario``),
``apply_counterfactual`` changes them, ``MechanismModel`` (``mechanism/``) runs them month by
month with ``Params`` (``params``), and ``run_one`` / ``simulate`` (``run``) return a monthly
DataFrame or a summary over seeds. See docs/sim.md.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

#: Where each public name lives. Imported on first use (PEP 562): reading a scenario's
#: constants (the forecast panel) must not import Mesa (#31: ``peaceops forecast`` in seconds).
_WHERE = {
    "EVENT_TYPES": "mechanism", "MODEL_VERSION": "mechanism", "MechanismModel": "mechanism",
    "PARAMETER_TABLE": "params", "PARAMS_VERSION": "params", "Parameter": "params",
    "Params": "params", "END_CAUSES": "run", "run_model": "run", "run_one": "run",
    "simulate": "run", "summarize": "run", "COUNTERFACTUALS": "scenario",
    "Scenario": "scenario", "ScenarioError": "scenario", "apply_counterfactual": "scenario",
    "load_scenario": "scenario",
}  # fmt: skip

if TYPE_CHECKING:  # pragma: no cover - for type checkers and readers
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


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(f"peaceops.sim.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'peaceops.sim' has no attribute {name!r}")


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
