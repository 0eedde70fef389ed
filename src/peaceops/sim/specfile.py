"""What sweep and sensitivity files share: reading TOML, the head table, whole numbers, names.

Both file kinds (``peaceops.sim.sweep``, ``peaceops.sim.sensitivity``) are TOML with one head
table (``[sweep]`` or ``[sensitivity]``: mission, seeds, months, counterfactual, ...) and a
``[parameters]`` table. The checks here raise the caller's error class through a ``fail``
callable, so every message names the file and says what to do, before any run starts.
"""

from __future__ import annotations

import difflib
import math
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from peaceops.sim.params import PARAMETER_TABLE, Parameter
from peaceops.sim.scenario import COUNTERFACTUALS

Fail = Callable[[str], ValueError]
PARAMETERS: dict[str, Parameter] = {p.name: p for p in PARAMETER_TABLE}


def read_toml(path: Path | str, error: type[ValueError], kind: str, module: str) -> dict:
    """Parse the TOML file ``path``; an unreadable or malformed file raises ``error``.

    Args:
        path: the file.
        error: the exception class to raise (a ``ValueError``).
        kind: what the file is, for messages ("sweep file").
        module: where its format is documented, for messages.
    """
    path = Path(path)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise error(f"{path}: cannot read the {kind} ({exc})") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise error(
            f"{path}: not valid TOML ({exc}). Fix the syntax; the format is in {module}'s "
            "docstring and docs/sim.md"
        ) from exc


def head_table(document: dict, head: str, keys: tuple[str, ...], fail: Fail) -> dict:
    """The ``[head]`` table, checked: only ``[head]`` and ``[parameters]``, known keys, a mission.

    The mission is returned stripped under ``"mission"``.
    """
    extra = sorted(set(document) - {head, "parameters"})
    if extra:
        raise fail(f"unknown table(s) {', '.join(extra)}; use [{head}] and [parameters]")
    table = document.get(head)
    if not isinstance(table, dict):
        raise fail(f'no [{head}] table; add one with at least mission = "ACRONYM"')
    unknown = sorted(set(table) - set(keys))
    if unknown:
        raise fail(f"unknown key(s) {', '.join(unknown)} in [{head}]; valid: {', '.join(keys)}")
    mission = table.get("mission")
    if not isinstance(mission, str) or not mission.strip():
        raise fail(f'[{head}] has no mission; add mission = "ACRONYM" (a registry acronym)')
    return {**table, "mission": mission.strip()}


def whole(value: Any, key: str, fail: Fail, *, minimum: int | None = None) -> int:
    """``value`` as a whole number (not a bool), at least ``minimum`` if given."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise fail(f"{key} must be a whole number, got {value!r}")
    if minimum is not None and value < minimum:
        raise fail(f"{key} must be at least {minimum}, got {value}")
    return value


def months_or_none(value: Any, fail: Fail) -> int | None:
    """The optional ``months`` key: None (the scenario's horizon) or at least 1."""
    return None if value is None else whole(value, "months", fail, minimum=1)


def counterfactual_or_none(value: Any, fail: Fail) -> str | None:
    """The optional ``counterfactual`` key: None (the record) or a known name."""
    if value is not None and value not in COUNTERFACTUALS:
        raise fail(
            f"unknown counterfactual {value!r}; valid ones are: "
            f"{', '.join(sorted(COUNTERFACTUALS))} (or leave it out for the record)"
        )
    return value


def parameter(name: str, fail: Fail) -> Parameter:
    """The parameter called ``name``, or an error that suggests the nearest names."""
    found = PARAMETERS.get(name)
    if found is None:
        close = difflib.get_close_matches(name, list(PARAMETERS), n=3)
        hint = f"did you mean {', '.join(close)}? " if close else ""
        raise fail(
            f"unknown parameter {name!r}; {hint}valid parameters (peaceops.sim.PARAMETER_TABLE): "
            f"{', '.join(sorted(PARAMETERS))}"
        )
    return found


def finite_number(value: Any) -> bool:
    """True for an int or float (not a bool) that is finite."""
    return not isinstance(value, bool) and isinstance(value, int | float) and math.isfinite(value)
