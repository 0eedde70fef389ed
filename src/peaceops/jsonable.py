"""Documents as strict JSON: the one serialisation of the CLI's ``--json`` and the web API.

Both faces print the same documents (``store.queries``, ``store.browse``, the simulation's
summaries) through :func:`to_json`, so ``peaceops show mission X --json`` and
``GET /api/missions/X`` are byte-for-byte the same document.
"""

from __future__ import annotations

import json
from typing import Any


def strict(value: Any) -> Any:
    """Replace NaN (pandas' missing value) by None, so the output is strict JSON."""
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, dict):
        return {k: strict(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [strict(v) for v in value]
    return value


def to_json(document: Any) -> str:
    """The document as strict, indented JSON (NaN as null, non-ASCII kept)."""
    return json.dumps(strict(document), ensure_ascii=False, indent=2, default=str, allow_nan=False)
