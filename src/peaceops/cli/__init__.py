"""The ``peaceops`` command line: a Typer app whose commands live in one module per layer.

* :mod:`peaceops.cli.kb` - build, show, sql, export
* :mod:`peaceops.cli.status` - status (counts, coverage, mandate links)
* :mod:`peaceops.cli.data` - data fetch (the data directory, or --texts) / verify
* :mod:`peaceops.cli.coding` - code, evaluate
* :mod:`peaceops.cli.doctrine` - vote, votes check, explain resolution
* :mod:`peaceops.cli.sim` - simulate, sweep, sensitivity, validate sim
* :mod:`peaceops.cli.forecast` - forecast, forecast backtest
* :mod:`peaceops.cli.report` - report mission, resolution, compare, council
* :mod:`peaceops.cli.web` - serve (the web explorer)
* :mod:`peaceops.cli.paper` - paper (the paper's claims, tested)

Commands are thin (no SQL here: a test greps for it); what they share is in
:mod:`peaceops.cli.common`. New faces (report, paper, serve) get a module of their own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import typer

from peaceops import __version__
from peaceops.cli import (  # noqa: F401 - registers the commands
    coding,
    data,
    doctrine,
    forecast,
    kb,
    paper,
    sim,
    status,
    web,
)
from peaceops.cli.common import app, out
from peaceops.cli.report import report_app

__all__ = ["app", "cli"]

app.add_typer(report_app, name="report", rich_help_panel="Reports")


def _version_callback(value: bool) -> None:
    if value:
        out.print(f"peaceops {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version_callback, is_eager=True, help="Show the version."
        ),
    ] = False,
) -> None:
    """The UN collective-security system, computable."""


cli: Callable[[], None] = app
