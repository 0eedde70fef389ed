"""Every limit a user can change, in one table of ``(name, default, help)``.

A setting is read from the environment variable ``PEACEOPS_<NAME>`` (upper case) when set,
else its default. The command line and the library read them through :func:`setting`;
``docs/reliability.md`` lists them, and a test checks that it lists every one (STYLE 14).

The bounds exist so that no input a user types (a sweep file, a seed count, an SQL query)
can exhaust the machine or run without end; each is far above what the documented analyses
need, and each error message says which setting raises it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from peaceops.errors import UsageError

__all__ = ["SETTINGS", "Setting", "setting"]


@dataclass(frozen=True)
class Setting:
    """One limit: its name, default value and what it bounds."""

    name: str
    default: int | str
    help: str

    @property
    def env(self) -> str:
        """The environment variable that overrides the default."""
        return f"PEACEOPS_{self.name.upper()}"


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "sql_timeout_seconds",
        60,
        "Seconds a query of the SQL console may run before it is interrupted (0: no limit).",
    ),
    Setting(
        "sql_memory_limit",
        "4GB",
        "Memory a query of the SQL console may use (a DuckDB size: 512MB, 4GB, ...).",
    ),
    Setting(
        "max_runs",
        1_000_000,
        "Most runs a sweep or a sensitivity analysis may hold (parameter values x replicates).",
    ),
    Setting("max_seeds", 100_000, "Most seeds (runs) of `simulate` and `validate sim`."),
    Setting("max_months", 1_200, "Most months a simulated run may last (100 years)."),
    Setting("max_seed", 2**31 - 1, "Largest seed a run may use (seeds are 0 to this)."),
    Setting("max_resamples", 10_000, "Most bootstrap refits of `forecast` (its --resamples)."),
    Setting("web_max_seeds", 200, "Most runs of one simulation job of the web explorer."),
    Setting("web_job_seconds", 300, "Seconds a simulation job of the web explorer may run."),
    Setting("web_jobs_per_client", 2, "Simulation jobs one client may have waiting or running."),
    Setting("web_jobs_waiting", 8, "Simulation jobs the explorer holds waiting or running."),
    Setting("web_jobs_running", 1, "Simulation jobs the explorer runs at once (one process each)."),
    Setting(
        "web_request_seconds",
        10,
        "Seconds a client of the web explorer has to send a whole request (head and body).",
    ),
    Setting(
        "web_max_connections",
        1_000,
        "Connections the web explorer keeps open; past it, the oldest idle or slow one closes.",
    ),
    Setting(
        "web_forwarded_allow_ips",
        "",
        "Proxies whose X-Forwarded-For the web explorer trusts (comma-separated; empty: none).",
    ),
    Setting(
        "fetch_request_seconds",
        120,
        "Seconds one download request of `data fetch` may take, body included (0: no limit).",
    ),
    Setting(
        "fetch_total_seconds",
        7_200,
        "Seconds one `data fetch --texts` run may take; the numbers left then fail (0: no limit).",
    ),
    Setting(
        "fetch_retry_after_max",
        60,
        "Longest Retry-After (seconds) `data fetch --texts` waits; a longer one fails the server.",
    ),
    Setting("pdf_max_pages", 500, "Most pages of a PDF read as a resolution's text."),
    Setting("pdf_seconds", 60, "Seconds reading the text of one PDF may take (0: no limit)."),
)
_BY_NAME = {s.name: s for s in SETTINGS}


def setting(name: str) -> int | str:
    """The value of a setting: ``$PEACEOPS_<NAME>`` if set, else the default.

    Raises:
        UsageError: the environment variable does not hold a value of the setting's type.
    """
    spec = _BY_NAME[name]
    raw = os.environ.get(spec.env)
    if raw is None or raw == "":
        return spec.default
    if isinstance(spec.default, int):
        try:
            value = int(raw)
        except ValueError:
            raise UsageError(f"${spec.env}={raw!r} is not a whole number") from None
        if value < 0:
            raise UsageError(f"${spec.env}={raw!r} must not be negative")
        return value
    return raw
