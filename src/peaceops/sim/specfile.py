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

from peaceops.errors import PeaceopsError
from peaceops.settings import setting
from peaceops.sim.params import PARAMETER_TABLE, Parameter
from peaceops.sim.scenario import COUNTERFACTUALS

Fail = Callable[[str], PeaceopsError]
PARAMETERS: dict[str, Parameter] = {p.name: p for p in PARAMETER_TABLE}


def read_toml(path: Path | str, error: type[PeaceopsError], kind: str, module: str) -> dict:
    """Parse the TOML file ``path``; an unreadable or malformed file raises ``error``.

    Args:
        path: the file.
        error: the exception class to raise (a ``PeaceopsError``).
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


def whole(
    value: Any,
    key: str,
    fail: Fail,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    limit: str | None = None,
) -> int:
    """``value`` as a whole number (not a bool), within ``minimum`` and ``maximum`` if given.

    ``limit`` names the setting (``peaceops.settings``) that ``maximum`` comes from, so the
    message can say how to raise it.
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise fail(f"{key} must be a whole number, got {value!r}")
    if minimum is not None and value < minimum:
        raise fail(f"{key} must be at least {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise fail(f"{key} must be at most {maximum:,}, got {value:,}" + _raise_hint(limit))
    return value


def _raise_hint(limit: str | None) -> str:
    return (
        f" (the limit is ${'PEACEOPS_' + limit.upper()}, see docs/reliability.md)" if limit else ""
    )


def check_runs(runs: int, fail: Fail) -> None:
    """Refuse a job of more runs than the ``max_runs`` setting, before any run."""
    maximum = int(setting("max_runs"))
    if runs > maximum:
        raise fail(
            f"{runs:,} runs is more than the {maximum:,} allowed; sweep fewer values or "
            f"replicates" + _raise_hint("max_runs")
        )


def seeds_within(first: int, count: int, key: str, fail: Fail) -> None:
    """Refuse seeds ``first .. first + count - 1`` beyond the ``max_seed`` setting."""
    maximum = int(setting("max_seed"))
    if first + count - 1 > maximum:
        raise fail(
            f"{key} {first:,} with {count:,} runs reaches seed {first + count - 1:,}, above the "
            f"largest seed {maximum:,}; choose a smaller {key}" + _raise_hint("max_seed")
        )


def months_or_none(value: Any, fail: Fail) -> int | None:
    """The optional ``months`` key: None (the scenario's horizon) or at least 1."""
    if value is None:
        return None
    maximum = int(setting("max_months"))
    return whole(value, "months", fail, minimum=1, maximum=maximum, limit="max_months")


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
