"""Measures computed from the coded mandates: impartiality and mandate inheritance."""

from peaceops.measures.compute import compute_measures
from peaceops.measures.fragmentation import FRAGMENTATION_VERSION, compute_fragmentation
from peaceops.measures.impartiality import (
    INDEX_VERSION,
    impartiality_terms,
    index_from_terms,
    state_index,
)
from peaceops.measures.inheritance import INHERITANCE_VERSION, inherit, mission_years

__all__ = [
    "FRAGMENTATION_VERSION",
    "INDEX_VERSION",
    "INHERITANCE_VERSION",
    "compute_fragmentation",
    "compute_measures",
    "impartiality_terms",
    "index_from_terms",
    "inherit",
    "mission_years",
    "state_index",
]
