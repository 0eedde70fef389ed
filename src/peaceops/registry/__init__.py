"""Curated, cited facts: missions, their resolutions, actors, partners and events.

The files live in ``peaceops/registry/data``; every row carries a citation (a resolution
symbol, a UN document symbol or a published source). See ``docs/registry.md``.
"""

from peaceops.registry.loader import (
    ACTOR_KINDS,
    EVENT_TYPES,
    MISSION_TYPES,
    RESOLUTION_ROLES,
    RegistryError,
    load_registry,
    registry_dir,
)

__all__ = [
    "ACTOR_KINDS",
    "EVENT_TYPES",
    "MISSION_TYPES",
    "RESOLUTION_ROLES",
    "RegistryError",
    "load_registry",
    "registry_dir",
]
