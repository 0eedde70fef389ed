"""Knowledge-base commands: build, status, show, sql, export, data fetch and verify.

Each command calls one function of ``peaceops.pipeline``, ``peaceops.store`` or
``peaceops.sources`` and renders what it returns (see :mod:`peaceops.cli.common`).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from peaceops.cli.common import (
    DataDirOption,
    DbOption,
    JsonOption,
    app,
    cell,
    err,
    errors,
    line,
    open_db,
    out,
    plain,
    print_json,
    show_app,
    warn,
)
from peaceops.errors import DatabaseError, UsageError


@app.command(rich_help_panel="Knowledge base")
def build(
    data_dir: DataDirOption = None,
    db: DbOption = None,
    allow_missing: Annotated[
        bool, typer.Option(help="Build without sources whose files are missing.")
    ] = False,
) -> None:
    """Build the knowledge base from the data directory and the curated registry."""
    from peaceops.pipeline import STEPS
    from peaceops.pipeline import build as build_db
    from peaceops.sources import SOURCES, resolve_data_dir
    from peaceops.store import default_db_path

    with errors():
        data = resolve_data_dir(data_dir)
        target = db or default_db_path()
        steps = len(SOURCES) + len(STEPS)
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description:<20}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
            console=err,
            transient=False,
        ) as progress:
            task = progress.add_task("starting", total=steps)

            def step(name: str) -> None:
                progress.update(task, description=name, advance=0 if name == SOURCES[0].name else 1)

            def draw(database) -> None:  # the figures, kept in the store (#30)
                from peaceops.report.views import draw_views

                draw_views(database, workers=os.cpu_count() or 1)

            report = build_db(data, target, allow_missing=allow_missing, progress=step, finish=draw)
            progress.update(task, description="done", completed=steps)
    table = Table(title=f"Built {report.path} in {report.seconds:.1f} s", title_justify="left")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, count in sorted(report.counts.items()):
        table.add_row(name, f"{count:,}")
    out.print(table)
    if report.missing_sources:
        warn("missing sources:", ", ".join(report.missing_sources))


@show_app.command("resolution")
def show_resolution(
    number: Annotated[
        str, typer.Argument(help="Resolution number, e.g. 2098 or 'S/RES/2098 (2013)'.")
    ],
    db: DbOption = None,
    as_json: JsonOption = False,
    codes: Annotated[
        bool, typer.Option("--codes", help="Show the coded paragraphs with their evidence.")
    ] = False,
) -> None:
    """Show a resolution: date, title, vote and full text (or, with --codes, its coding)."""
    from peaceops.store.queries import resolution, resolution_codes, resolution_text

    if codes:
        with errors(), open_db(db) as database:
            document = resolution_codes(database, number)
            text = resolution_text(database, document["resolution"])
        if as_json:
            print_json({k: v for k, v in document.items() if k != "paragraphs"})
        else:
            _render_codes(document, text)
        return
    with errors(), open_db(db) as database:
        document = resolution(database, number)
    if as_json:
        print_json(document)
        return
    out.print(
        line((document["symbol"], "bold"), f"  adopted {document['date']}  ({document['title']})")
    )
    vote = document["vote"]
    if vote:
        out.print(f"vote: {vote['yes']}-{vote['no']}-{vote['abstain']} ({vote['source']})")
    for m in document["missions"]:
        out.print(f"mission: {m['acronym']} ({m['role']})")
    if document["text"] is None:
        out.print(
            line(
                ("no text in the data directory", "yellow"),
                " (drop it into resolutions/texts/)",
            )
        )
    else:
        out.print(line((f"text: {document['text_source']} ({document['text_path']})", "dim")))
        out.print(document["text"])


@show_app.command("mission")
def show_mission(
    acronym: Annotated[str, typer.Argument(help="Mission acronym, e.g. MINUSMA.")],
    db: DbOption = None,
    as_json: JsonOption = False,
    mandates: Annotated[
        bool, typer.Option("--mandates", help="Show mandate inheritance and the index per year.")
    ] = False,
) -> None:
    """Show a mission: host, dates, resolutions, events; or its mandate history."""
    from peaceops.store.queries import mission, mission_mandates

    if mandates:
        with errors(), open_db(db) as database:
            document = mission_mandates(database, acronym)
        if as_json:
            print_json(document)
        else:
            _render_mandates(document)
        return
    with errors(), open_db(db) as database:
        document = mission(database, acronym)
    if as_json:
        print_json(document)
        return
    out.print(line((document["acronym"], "bold"), f" {document['name']} ({document['type']})"))
    out.print(
        f"host: {', '.join(document['hosts_iso3'])}  "
        f"{document['start']} - {document['end'] or 'active'}"
    )
    if document["predecessor"] or document["successor"]:
        out.print(
            f"predecessor: {document['predecessor'] or '-'}  "
            f"successor: {document['successor'] or '-'}"
        )
    table = Table("resolution", "date", "role", "standing", "source", "note",
                  title="Mandate history", title_justify="left")  # fmt: skip
    for r in document["resolutions"]:
        text = "" if r.get("has_text") else " (no text)"
        table.add_row(
            plain(f"{r['number']} ({r['year']}){text}"),
            plain(r["date"]),
            plain(r["role"] + (f" ({', '.join(r['acts'])})" if r.get("acts") else "")),
            plain(r["standing"]),
            plain(r["source"]),
            plain(r.get("note")),
        )
    out.print(table)
    if document["events"]:
        events = Table("date", "type", "actor", "event", title="Events", title_justify="left")
        for e in document["events"]:
            events.add_row(
                plain(e["date"]), plain(e["type"]), plain(e["actor_id"]), plain(e["description"])
            )
        out.print(events)


def _render_codes(document: dict, text: str | None) -> None:
    number = document["resolution"]
    if document["unsegmentable"]:
        out.print(f"S/RES/{number}: not segmented ({document['unsegmentable']})")
        return
    if not document["coded"]:
        out.print(f"S/RES/{number} has no text to code")
        return
    ch = document["chapter_vii"]
    basis = (
        "Chapter VII for the operative part"
        if ch["operative"]
        else f"Chapter VII for paragraphs {', '.join(ch['paragraphs'])}"
        if ch["paragraphs"]
        else "no Chapter VII basis"
    )
    index = document["impartiality"]
    out.print(
        line(
            (f"S/RES/{number}", "bold"),
            f": {basis}; Article 39 determination: "
            f"{'yes' if document['article_39'] else 'no'}; impartiality index: "
            f"{'n/a' if index is None else f'{index:.2f}'}",
        )
    )
    by_paragraph: dict[str, list[dict]] = {}
    for c in document["codes"]:
        by_paragraph.setdefault(c["paragraph"], []).append(c)
    for t in document["targets"]:
        if t["relation"] == "target":
            by_paragraph.setdefault(t["paragraph"], []).append({**t, "task": "target"})
    for p in document["paragraphs"]:
        spans = by_paragraph.get(p["label"])
        if not spans or text is None:
            continue
        body = Text(text[p["start"] : p["end"]])
        for item in spans:
            body.stylize("bold reverse", item["start"] - p["start"], item["end"] - p["start"])
        labels = sorted(
            {
                f"{i['task']}/{i['modality']}" + (f" ({i['mission']})" if i.get("mission") else "")
                if "modality" in i
                else f"target:{i['group']}" + (" (inferred)" if i.get("inferred") else "")
                for i in spans
            }
        )
        out.print(line((f"{p['label']}: ", "bold cyan"), (", ".join(labels), "cyan")))
        out.print(body)


_BASIS = {"coded": "coded", "carried_forward": "carried from", "no_codes": "no text"}


def _render_mandates(document: dict) -> None:
    out.print(line((document["mission"], "bold"), f" {document['name']}"))
    years = Table(
        "year",
        "resolution in force",
        "partial",
        "even-handed",
        "index",
        "basis",
        title="Impartiality index per year",
        title_justify="left",
    )
    for y in document["impartiality"]:
        index = "n/a" if y["index"] is None else f"{y['index']:.2f}"
        years.add_row(
            str(y["year"]),
            str(y["resolution"]),
            str(y["partial_terms"]),
            str(y["evenhanded_terms"]),
            index,
            _BASIS[y["basis"]] + (f" {y['source_resolution']}" if y["source_resolution"] else ""),
            style="dim" if y["basis"] != "coded" else None,
        )
    out.print(years)
    for y in document["impartiality"]:
        if y["basis"] != "coded":
            out.print(f"{y['year']}: {y['basis_note']}", soft_wrap=True)
    coverage = document["coverage"]
    out.print(
        f"{coverage['years']} mission-years: {coverage['coded']} rest on a coded text in force, "
        f"{coverage['carried_forward']} on codes carried forward past resolutions without "
        f"text, {coverage['no_codes']} on no codes at all",
        soft_wrap=True,
    )
    changes = Table(
        "resolution",
        "task",
        "status",
        "modality",
        title="Mandate inheritance",
        title_justify="left",
    )
    for r in document["inheritance"]:
        if r["status"] == "carried":
            continue
        modality = f"{r['modality_before'] or '-'} -> {r['modality_after'] or '-'}"
        changes.add_row(plain(r["resolution"]), plain(r["task"]), plain(r["status"]), modality)
    out.print(changes)
    out.print(line(("carried-forward tasks are not listed; use --json for every row", "dim")))


@app.command(rich_help_panel="Knowledge base")
def sql(
    query: Annotated[str, typer.Argument(help="A read-only SQL query.")],
    db: DbOption = None,
    as_json: JsonOption = False,
    limit: Annotated[int, typer.Option(help="Show at most this many rows (table output).")] = 50,
) -> None:
    """Run a read-only SQL query (no writes, no file access; time and memory bounded)."""
    from peaceops.settings import setting

    with errors(), open_db(db, sandboxed=True) as database:
        try:
            frame = database.execute_bounded(query, timeout=setting("sql_timeout_seconds"))
        except DatabaseError as exc:
            message = str(exc)
            if "read-only" in message or "attached in read-only mode" in message:
                message = f"the SQL console is read-only ({message})"
            raise UsageError(message) from None
    if as_json:
        print_json(json.loads(frame.to_json(orient="records", date_format="iso")))
        return
    dates = [c for c in frame.columns if _is_date(frame[c])]
    table = Table(*[str(c) for c in frame.columns])
    for row in frame.head(limit).itertuples(index=False):
        table.add_row(
            *[
                plain(_date(v) if c in dates else cell(v))
                for c, v in zip(frame.columns, row, strict=True)
            ]
        )
    out.print(table)
    if len(frame) > limit:
        err.print(line((f"{len(frame) - limit:,} more rows; use --json or --limit", "dim")))


def _is_date(column: Any) -> bool:
    """A datetime column whose values are all midnights: a DATE in the database."""
    import pandas as pd

    if not pd.api.types.is_datetime64_any_dtype(column):
        return False
    values = column.dropna()
    return bool(len(values)) and bool((values == values.dt.normalize()).all())


def _date(value: Any) -> str:
    return "" if value is None or value != value else str(value)[:10]


@app.command(rich_help_panel="Knowledge base")
def export(
    table: Annotated[str, typer.Argument(help="Table to export (see `peaceops status`).")],
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="csv, parquet or dta (Stata); default: the output's extension, else csv.",
        ),
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Output file.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
    db: DbOption = None,
) -> None:
    """Export a table as CSV, Parquet or Stata .dta (format from the file's extension)."""
    from peaceops.store.export import export_table

    with errors(), open_db(db) as database:
        path = export_table(database, table, fmt=fmt, output=output, force=force)
    err.print(f"wrote {path}")
