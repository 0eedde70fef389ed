"""Coding commands: ``code``, ``evaluate`` (against expert codes), ``add`` (new texts, coded)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from peaceops.cli.common import (
    DataDirOption,
    DbOption,
    JsonOption,
    app,
    counter,
    errors,
    line,
    number,
    open_db,
    out,
    plain,
    print_json,
)
from peaceops.errors import UsageError


@app.command(rich_help_panel="Mandate coding")
def code(
    numbers: Annotated[
        list[str] | None, typer.Argument(help="Resolutions to code (default: all with text).")
    ] = None,
    db: DbOption = None,
    workers: Annotated[int | None, typer.Option(help="Worker processes (default: CPUs).")] = None,
) -> None:
    """Run the mandate coder on stored resolutions and recompute the measures."""
    from peaceops.pipeline import recode
    from peaceops.store import default_db_path

    with errors(), counter("coding") as progress:
        report = recode(db or default_db_path(), numbers, workers=workers, progress=progress)
    out.print(
        f"coded {report.resolutions:,} resolutions in {report.seconds:.1f} s: "
        f"{report.codes:,} codes, {report.targets:,} group mentions, "
        f"{report.failures} not segmentable (see `peaceops status`)"
    )


@app.command(rich_help_panel="Mandate coding")
def evaluate(
    gold: Annotated[
        Path | None,
        typer.Option(
            help="Expert codes: a PEMA-format CSV, or the DPA 2010 matrix (default: "
            "the pema-dev v1.2 file / the matrix in the knowledge base)."
        ),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="pema or dpa2010.")] = "pema",
    level: Annotated[
        str, typer.Option(help="resolution, paragraph or modality (PEMA only).")
    ] = "resolution",
    report: Annotated[
        Path | None, typer.Option(help="Write every disagreement here (.csv or .md).")
    ] = None,
    halves: Annotated[
        bool,
        typer.Option(
            "--halves",
            help="The held-out protocol of docs/evaluation.md: score the development and "
            "held-out halves of the gold's missions at --level (default gold: PEMA v1.2 with "
            "raw_v2's other missions); --report then writes the development half's "
            "disagreements only.",
        ),
    ] = False,
    db: DbOption = None,
    data_dir: DataDirOption = None,
    as_json: JsonOption = False,
) -> None:
    """Compare the coder with expert codes: per-task precision, recall and F1, macro F1."""
    from peaceops.coding import evaluate as ev
    from peaceops.coding.coder import CODER
    from peaceops.sources import resolve_data_dir

    with errors():
        if fmt not in ("pema", "dpa2010"):
            raise UsageError(f"unknown format {fmt!r}; use pema or dpa2010")
        if halves:
            if fmt != "pema":
                raise UsageError("--halves scores PEMA gold only (--format pema)")
            _evaluate_halves(gold, level, report, db, data_dir, as_json)
            return
        with open_db(db) as database:
            if fmt == "pema":
                if gold is None:
                    gold = resolve_data_dir(data_dir) / "mandates/pema-dev" / ev.DEFAULT_GOLD
                result = ev.evaluate_stored_pema(database, gold, level=level)
            else:
                result = ev.evaluate_stored_dpa2010(database, gold)
        if report is not None:
            result.write_disagreements(report)
    if as_json:
        print_json(
            {
                **result.to_json(),
                "gold": str(gold) if gold else "dpa2010 (knowledge base)",
                "report": str(report) if report else None,
            }
        )
        return
    table = Table(
        "task",
        "support",
        "precision",
        "recall",
        "F1",
        title=f"{fmt} ({result.level} level) vs {CODER}",
        title_justify="left",
    )
    for row in result.per_task.sort_values("f1").itertuples(index=False):
        table.add_row(
            row.task,
            str(int(row.support)),
            number(row.precision),
            number(row.recall),
            number(row.f1),
        )
    out.print(table)
    out.print(
        f"macro F1 {result.macro_f1:.3f}, micro F1 {result.micro_f1:.3f}; "
        f"{len(result.disagreements):,} disagreements"
        + (f" written to {report}" if report else " (write them with --report FILE)")
    )


def _evaluate_halves(
    gold: Path | None,
    level: str,
    report: Path | None,
    db: Path | None,
    data_dir: Path | None,
    as_json: bool,
) -> None:
    """``evaluate --halves``: the development / held-out scores of docs/evaluation.md."""
    from peaceops.coding import evaluate as ev
    from peaceops.coding.coder import CODER
    from peaceops.sources import resolve_data_dir

    if gold is None:
        gold_codes = ev.combined_pema_gold(resolve_data_dir(data_dir) / "mandates/pema-dev")
    else:
        gold_codes = ev.read_pema_gold(gold)
    with open_db(db) as database:
        results, missions = ev.evaluate_stored_halves(database, gold_codes, level=level)
    if report is not None:
        results["development"].write_disagreements(report)
    if as_json:
        print_json(
            {
                "gold": str(gold) if gold else "pema v1.2 + raw_v2 (combined)",
                "coder": CODER,
                "report": str(report) if report else None,
                "halves": {
                    name: {**result.to_json(), "missions": missions[name]}
                    for name, result in results.items()
                },
            }
        )
        return
    table = Table(
        "half", "missions", "macro F1", "micro F1", "units (tp/fp/fn)",
        title=f"held-out protocol ({level} level, {len(ev.PEMA_TASKS)} PEMA tasks) vs {CODER}",
        title_justify="left",
    )  # fmt: skip
    for name, result in results.items():
        units = result.per_task[["tp", "fp", "fn"]].sum()
        table.add_row(
            name,
            str(len(missions[name])),
            f"{result.macro_f1:.3f}",
            f"{result.micro_f1:.3f}",
            "/".join(str(int(units[k])) for k in ("tp", "fp", "fn")),
        )
    out.print(table)
    out.print(f"development: {', '.join(missions['development'])}")
    out.print(f"held-out: {', '.join(missions['held-out'])}")
    if report is not None:
        out.print(f"development half's disagreements written to {report}")


@app.command(rich_help_panel="Mandate coding")
def add(
    files: Annotated[
        list[Path], typer.Argument(help="Texts (.txt) or PDFs of adopted resolutions.")
    ],
    resolution: Annotated[
        int | None,
        typer.Option(
            "--resolution", "-r", help="The resolution's number (when its text lacks it)."
        ),
    ] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Replace a stored text that differs.")
    ] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Add resolution texts (.txt or the UN's PDF): store, code, measure, show what changed.

    Several files are added together: all of them, or none.
    """
    from dataclasses import asdict

    from peaceops.pipeline.add import add_texts
    from peaceops.store import default_db_path

    with errors():
        results = add_texts(db or default_db_path(), files, resolution=resolution,
                            replace=replace)  # fmt: skip
    if as_json:
        print_json([asdict(r) for r in results])
        return
    for r in results:
        out.print(line((f"S/RES/{r.number} ({r.year})", "bold"), f": {r.status} ({r.path})"))
        if r.status == "unchanged":
            out.print(line(("the same text is stored; nothing changed", "dim")))
            continue
        out.print(f"codes: {r.codes_before} -> {r.codes_after}")
        for c in r.codes:
            quote = " ".join(c["quote"].split())[:70]
            out.print(plain(f"  ¶{c['paragraph']} {c['task']}/{c['modality']} "
                            f"({c['partiality']}): {quote}"))  # fmt: skip
        for mission, change in r.missions.items():
            out.print(line((mission, "bold"), f": {len(change['inheritance_after'])} tasks "
                           f"in force after S/RES/{r.number}"))  # fmt: skip
            for year, v in change["index_years_changed"].items():
                was = v["before"] or {}
                now = v["after"] or {}
                out.print(plain(f"  {year}: index {number(was.get('index'))} "
                                f"({was.get('basis', '-')}) -> {number(now.get('index'))} "
                                f"({now.get('basis', '-')})"))  # fmt: skip
