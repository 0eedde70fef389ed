"""Report commands: each writes one self-contained HTML file.

``report mission``, ``resolution``, ``compare`` and ``council``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from peaceops.cli.common import (
    DbOption,
    ForceOption,
    check_output,
    counter,
    err,
    errors,
    open_db,
    out,
)

report_app = typer.Typer(
    help="Write self-contained HTML reports (open offline).", no_args_is_help=True
)


#: Where reports go unless -o says otherwise (#30: beside the demo's, never the working folder).
REPORTS = Path("out")


def _save(html: str, path: Path, *, force: bool, db: Path | None) -> None:
    """Write a report (see ``write_report``) and say where it is and how to open it."""
    from peaceops.report import write_report

    written = write_report(html, path, force=force, db=db)
    err.print(f"wrote {written}")
    out.print(f"open it in a browser: file://{written.resolve()}")


@report_app.command("mission")
def report_mission(
    acronym: Annotated[str, typer.Argument(help="Mission acronym, e.g. MINUSMA.")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="HTML file (default: out/<MISSION>.html).")
    ] = None,
    seeds: Annotated[
        int, typer.Option(help="Simulated runs of the fan chart (0: no simulation).")
    ] = 100,
    force: ForceOption = False,
    db: DbOption = None,
) -> None:
    """A mission's mandate timeline, impartiality, strength, votes, simulation and sources."""
    from peaceops.errors import UsageError
    from peaceops.report import mission_report

    with errors():
        if seeds < 0:
            raise UsageError(f"--seeds must be 0 or more, got {seeds}")
        output = output or REPORTS / f"{acronym.upper()}.html"
        check_output(output, force=force, db=db)  # before the work (#27)
        with open_db(db) as database, counter("simulated runs") as progress:
            html = mission_report(database, acronym, seeds=seeds, progress=progress)
        _save(html, output, force=force, db=db)


@report_app.command("resolution")
def report_resolution(
    number: Annotated[str, typer.Argument(help="Resolution number, e.g. 2098.")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="HTML file (default: out/S-RES-<N>.html).")
    ] = None,
    force: ForceOption = False,
    db: DbOption = None,
) -> None:
    """A resolution's paragraphs with every code, target and Chapter VII span highlighted."""
    from peaceops.report import resolution_report
    from peaceops.store.queries import parse_resolution_ref

    with errors():
        output = output or REPORTS / f"S-RES-{parse_resolution_ref(number)}.html"
        check_output(output, force=force, db=db)
        with open_db(db) as database:
            html = resolution_report(database, number)
        _save(html, output, force=force, db=db)


@report_app.command("compare")
def report_compare(
    acronyms: Annotated[list[str], typer.Argument(help="Missions, e.g. MINUSMA MONUSCO UNAMA.")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="HTML file (default: out/compare.html).")
    ] = None,
    force: ForceOption = False,
    db: DbOption = None,
) -> None:
    """Missions side by side: impartiality, partial tasks and consent events."""
    from peaceops.report import comparison_report

    with errors():
        output = output or REPORTS / "compare.html"
        check_output(output, force=force, db=db)
        with open_db(db) as database:
            html = comparison_report(database, acronyms)
        _save(html, output, force=force, db=db)


@report_app.command("council")
def report_council(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="HTML file (default: out/council.html).")
    ] = None,
    year_from: Annotated[
        int | None, typer.Option("--from", help="First year (default: the first of the data).")
    ] = None,
    year_to: Annotated[
        int | None, typer.Option("--to", help="Last year (default: the last of the data).")
    ] = None,
    force: ForceOption = False,
    db: DbOption = None,
) -> None:
    """The Council as a whole: unanimity and vetoes per year, votes by member, vetoes by topic."""
    from peaceops.report import council_report

    with errors():
        output = output or REPORTS / "council.html"
        check_output(output, force=force, db=db)
        with open_db(db) as database:
            html = council_report(database, year_from, year_to)
        _save(html, output, force=force, db=db)
