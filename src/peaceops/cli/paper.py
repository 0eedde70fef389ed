"""``peaceops paper``: the empirical claims of Peter (2023), tested against the data."""

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
    err,
    errors,
    open_db,
    out,
    plain,
    print_json,
    working,
    write_file,
)

_STYLES = {"supported": "green", "partly supported": "yellow", "contradicted": "red"}


@app.command(rich_help_panel="Reports")
def paper(
    claims: Annotated[
        list[int] | None, typer.Option("--claim", "-c", help="Test only this claim (repeat).")
    ] = None,
    html: Annotated[
        Path | None, typer.Option("--html", help="Also write the table as self-contained HTML.")
    ] = None,
    markdown: Annotated[
        Path | None,
        typer.Option("--markdown", help="Also write the table as Markdown (docs/paper-claims.md)."),
    ] = None,
    force: ForceOption = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Test each empirical claim of the paper against the data: evidence and a verdict."""
    from peaceops.claims import claims_markdown, run_claims
    from peaceops.report import paper_report, write_report
    from peaceops.report.views import claims_document
    from peaceops.store.queries import status

    with errors():
        for path in (html, markdown):  # before the work: never the store, never silently (#27)
            check_output(path, force=force, db=db)
        with open_db(db) as database:
            # all claims: as the build kept them (#30), else run now (about 5 s)
            with working("testing the claims"):
                document = run_claims(database, claims) if claims else claims_document(database)
            built_at = status(database)["built_at"]
        if html is not None:
            written = write_report(
                paper_report(document, built_at=built_at), html, force=force, db=db
            )
            err.print(f"wrote {written}")
        if markdown is not None:
            write_file(markdown, claims_markdown(document), force=force, db=db)
            err.print(f"wrote {markdown}")
    if as_json:
        print_json(document)
        return
    table = Table(title="Peter (2023): the claims, tested against the data", show_lines=True)
    for column in ("#", "claim", "found", "verdict"):
        table.add_column(column, overflow="fold")
    for row in document["claims"]:
        found = row["summary"] + (f"\nmissing: {'; '.join(row['missing'][:4])}"
                                  if row["missing"] else "")  # fmt: skip
        verdict = plain(row["verdict"])
        verdict.stylize(_STYLES.get(row["verdict"], "dim"))
        said = f"{row['quote'][:160]} ({row['section']})\ntested as: {row['tested']}"
        table.add_row(plain(row["number"]), plain(said), plain(found), verdict)
    out.print(table)
