"""The mechanism model of Peter (2023): a Mesa model of one UN mission (see Readme.md)."""

from peaceops.sim.mechanism.model import (
    EVENT_TYPES,
    MODEL_VERSION,
    REPORTERS,
    Inputs,
    MechanismModel,
    build_inputs,
)

__all__ = ["EVENT_TYPES", "MODEL_VERSION", "REPORTERS", "Inputs", "MechanismModel", "build_inputs"]
