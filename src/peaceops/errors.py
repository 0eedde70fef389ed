"""Every error peaceops raises on purpose, in one place: a base class and one class per layer.

A ``PeaceopsError`` is a problem the user can fix (a missing file, an unknown resolution, a bad
parameter): its message says what went wrong and what to do, and the command line prints it
as one plain line on stderr and exits with status 1. Anything else that escapes is a bug and
surfaces with its traceback. No class here subclasses ``ValueError`` just to be caught: code
that wants to handle a peaceops problem catches the class of the layer it calls.

Hierarchy::

    PeaceopsError
    ├── UsageError           a command-line option or argument that cannot be used as given
    ├── ExecutorError        the executor cannot run work (bad worker count, no Dask scheduler)
    ├── SourceError          sources: a data file missing, unreadable or in the wrong layout
    │   ├── RegistryError    registry: a curated file of the package is malformed
    │   └── GoldFormatError  coding: an expert-code (PEMA) file is not in a known layout
    ├── StoreError           store
    │   ├── DatabaseError    the database is missing, unreadable, busy, or a query failed
    │   └── NotFound         an unknown resolution, mission or table (with suggestions)
    ├── CodingError          coding: bad coder input (taxonomy, labels, levels, resolutions)
    │   └── TaxonomyError
    ├── DoctrineError        doctrine
    │   ├── VoteError        a ballot that cannot be decided as given
    │   └── RuleError        a rule set that cannot be built
    ├── SimError             sim
    │   ├── ScenarioError    a mission without the history a scenario needs
    │   ├── ParameterError   a parameter name or value outside its bounds
    │   ├── SweepError       a sweep file or sweep that cannot run
    │   ├── SensitivityError a sensitivity file or analysis that cannot run
    │   └── ValidationError  a validation that cannot run as asked
    └── ForecastError        forecast: a date, range or store the forecast cannot use
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "CodingError",
    "DatabaseError",
    "DoctrineError",
    "ExecutorError",
    "ForecastError",
    "GoldFormatError",
    "NotFound",
    "ParameterError",
    "PeaceopsError",
    "RegistryError",
    "RuleError",
    "ScenarioError",
    "SensitivityError",
    "SimError",
    "SourceError",
    "StoreError",
    "SweepError",
    "TaxonomyError",
    "UsageError",
    "ValidationError",
    "VoteError",
]


class PeaceopsError(Exception):
    """A problem the user can fix; the message says what went wrong and what to do."""


class UsageError(PeaceopsError):
    """A command-line option or argument that cannot be used as given."""


class ExecutorError(PeaceopsError):
    """Work cannot be run as asked: a bad worker count or an unreachable Dask scheduler."""


class SourceError(PeaceopsError):
    """A source file is missing, unreadable or not in the expected layout.

    The message always names the file and says what to do about it.

    Args:
        path: the file or folder at fault.
        problem: what is wrong with it.
        hint: what to do (default: restore the file from its source).
    """

    def __init__(self, path: Path | str, problem: str, *, hint: str | None = None) -> None:
        self.path = Path(path)
        self.problem = problem
        self.hint = hint or (
            "Restore the file from its source (see the data README, or run "
            "`peaceops data fetch`), or point --data-dir / PEACEOPS_DATA at a complete copy."
        )
        super().__init__(f"{self.path}: {problem}. {self.hint}")


class RegistryError(SourceError):
    """A curated registry file has a bad row; the message names file, row and column."""

    def __init__(self, path: Path | str, row: int | None, problem: str) -> None:
        where = f"row {row}: " if row is not None else ""
        super().__init__(
            path, where + problem, hint="Fix the row in the registry file and rebuild."
        )


class GoldFormatError(SourceError):
    """An expert-code file (PEMA) is not in a layout the reader knows."""


class StoreError(PeaceopsError):
    """A problem of the knowledge base."""


class DatabaseError(StoreError):
    """The database is missing, unreadable, busy, or a query against it failed."""


class NotFound(StoreError):  # noqa: N818 - reads better at call sites than NotFoundError
    """An unknown resolution, mission or table; ``suggestions`` holds the nearest matches."""

    def __init__(self, message: str, suggestions: list[str] | None = None) -> None:
        self.suggestions = list(suggestions or [])
        hint = f" Did you mean: {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(message + hint)


class CodingError(PeaceopsError):
    """Bad input to the coder or its evaluation (labels, levels, resolutions, spans)."""


class TaxonomyError(CodingError):
    """The task taxonomy file is malformed."""


class DoctrineError(PeaceopsError):
    """A problem of the Charter rules."""


class VoteError(DoctrineError):
    """A ballot that cannot be decided: unknown states, a state voting twice, a bad date."""


class RuleError(DoctrineError):
    """A rule set that cannot be built (duplicate ids, unknown conclusions)."""


class SimError(PeaceopsError):
    """A problem of the simulation layer."""


class ScenarioError(SimError):
    """A mission that has no scenario (unknown, or without the history a scenario needs)."""


class ParameterError(SimError):
    """A simulation parameter that is unknown or outside its bounds."""


class SweepError(SimError):
    """A sweep file or sweep cannot be run: the message names the file, the problem and a fix."""


class SensitivityError(SimError):
    """A sensitivity file or analysis cannot be run: the message says what to change."""


class ValidationError(SimError):
    """A validation of the simulation that cannot run as asked (seeds, workers, missions)."""


class ForecastError(PeaceopsError):
    """A forecast or backtest that cannot run as asked (dates, origins, a store without data)."""
