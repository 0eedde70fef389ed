"""Doctrine commands: ``vote`` (Article 27), ``votes check`` and ``explain resolution``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from peaceops.cli.common import (
    DbOption,
    ForceOption,
    JsonOption,
    app,
    check_output,
    errors,
    explain_app,
    line,
    open_db,
    out,
    plain,
    print_json,
    votes_app,
    write_file,
)
from peaceops.errors import UsageError

StatesOption = Annotated[
    str | None, typer.Option(help="ISO3 codes or exact country names, comma-separated.")
]


@app.command(rich_help_panel="Charter rules")
def vote(
    on: Annotated[str, typer.Option("--date", help="Date of the vote, YYYY-MM-DD.")],
    yes: StatesOption = None,
    no: StatesOption = None,
    abstain: StatesOption = None,
    absent: StatesOption = None,
    not_participating: StatesOption = None,
    procedural: Annotated[bool, typer.Option(help="A procedural matter (Art. 27(2)).")] = False,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            help="Knowledge base whose Council membership checks the voters (default: "
            "$PEACEOPS_DB, else the user data dir, if it exists).",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Decide a hypothetical vote under Article 27 as in force on its date."""
    from datetime import date as Date  # noqa: N812

    from peaceops.doctrine.record import council_members_on
    from peaceops.doctrine.voting import Ballot, decide, parse_states
    from peaceops.store import default_db_path

    with errors():
        try:
            when = Date.fromisoformat(on)
        except ValueError:
            raise UsageError(f"--date {on!r} is not a date; use YYYY-MM-DD") from None
        ballot = Ballot(
            when,
            yes=parse_states(yes),
            no=parse_states(no),
            abstain=parse_states(abstain),
            absent=parse_states(absent),
            not_participating=parse_states(not_participating),
            procedural=procedural,
        )
        members = None
        path = db or default_db_path()
        if db is not None or path.exists():
            with open_db(path) as database:
                members = council_members_on(database, when)
        outcome = decide(ballot, members=members)
    if as_json:
        print_json(outcome.to_json())
        return
    vetoed = f" by {', '.join(outcome.vetoed_by)}" if outcome.vetoed_by else ""
    out.print(
        line((f"{outcome.outcome}{vetoed}", "bold"), f" ({outcome.rule}): {outcome.explanation}")
    )
    if outcome.not_voting:
        out.print(f"members who cast no vote (counted as absent): {', '.join(outcome.not_voting)}")
    elif outcome.not_voting is None:
        out.print(
            line(
                (
                    f"membership on {when} unknown to the knowledge base: only the permanent "
                    "members were checked",
                    "dim",
                )
            )
        )


@votes_app.command("check")
def votes_check(
    db: DbOption = None,
    report: Annotated[
        Path | None, typer.Option(help="Write every decision and mismatch here (CSV).")
    ] = None,
    force: ForceOption = False,
    as_json: JsonOption = False,
) -> None:
    """Decide every recorded vote again and report agreement and every mismatch's cause."""
    from peaceops.doctrine.record import check_record

    with errors():
        check_output(report, force=force, db=db)  # before the work (#27)
        with open_db(db) as database:
            result = check_record(database)
        if report is not None:
            write_file(report, result.csv_text(), force=force, db=db)
    document = result.summary()
    if as_json:
        print_json(document)
        return
    for source, stats in document["by_source"].items():
        out.print(
            f"{source}: {stats['agree']:,} of {stats['drafts']:,} decisions agree "
            f"({stats['agreement']:.1%})"
        )
    table = Table(
        "source",
        "item",
        "date",
        "recorded",
        "computed",
        "tally",
        "cause",
        title=f"{len(document['mismatches'])} mismatches, {document['unexplained']} unexplained",
        title_justify="left",
    )
    for m in document["mismatches"]:
        table.add_row(
            plain(m["source"]),
            plain(m["item"]),
            plain(m["date"]),
            plain(m["recorded"]),
            plain(m["computed"]),
            plain(m["tally"]),
            plain(f"[{m['cause_kind']}] {m['cause']}"),
        )
    out.print(table)


@explain_app.command("resolution")
def explain_resolution_command(
    number: Annotated[str, typer.Argument(help="Resolution number, e.g. 1973.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Every rule that fired for a resolution: instruments, R2P pillars, with evidence."""
    from peaceops.doctrine import explain_resolution

    with errors(), open_db(db) as database:
        document = explain_resolution(database, number)
    if as_json:
        print_json(document)
        return
    out.print(
        line(
            (f"S/RES/{document['resolution']}", "bold"),
            f": instruments: {', '.join(document['instruments']) or 'none'}; R2P pillars: "
            f"{', '.join(document['r2p_pillars']) or 'none'}",
        )
    )
    for fired in document["rules"]:
        out.print(line((fired["id"], "cyan"), f" -> {fired['conclusion']}"))
        for ev in fired["evidence"][:4]:
            quote = " ".join(ev["quote"].split())
            out.print(f"    [{ev['start']}:{ev['end']}] {quote[:160]}")
    for skipped in document.get("not_applied", []):
        out.print(line((f"not applied: {skipped['id']} ({skipped['reason']})", "dim")))
