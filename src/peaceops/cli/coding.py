"""Coding commands: ``code``, ``evaluate`` (against expert codes), ``add`` (new texts, coded)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.table import Table

from peaceops.cli.common import (
    DataDirOption,
    DbOption,
    ForceOption,
    JsonOption,
    app,
    check_output,
    counter,
    errors,
    fail_interrupted,
    line,
    number,
    open_db,
    out,
    plain,
    print_json,
    working,
    write_file,
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
    force: ForceOption = False,
    folds: Annotated[
        bool,
        typer.Option(
            "--folds",
            help="Leave-missions-out cross-validation (docs/evaluation.md): macro F1 per fold "
            "of whole missions, mean, spread and pooled, with PEMA raw_v2 (tasks with >= 5 "
            "units) and v1.2 (all tasks) as gold, and the diagnostic raw_v2_text (raw_v2's "
            "cells that cite the resolution's own paragraphs), for all tasks and the "
            "partiality tasks, at the resolution and modality levels; and PEMA's releases "
            "scored against each other the same way.",
        ),
    ] = False,
    without: Annotated[
        list[str] | None,
        typer.Option(
            "--without",
            metavar="RULE",
            help="With --folds: measure a rule by ablation, coding every text again (in "
            "memory, nothing stored) without it and showing each fold's scores with and "
            "without it. Repeat to leave several out together; a family name (e.g. scope) "
            "leaves out all of its rules. See --rules for the names.",
        ),
    ] = None,
    rules: Annotated[
        bool, typer.Option("--rules", help="List the coder's rules (names for --without).")
    ] = False,
    lockbox: Annotated[
        bool,
        typer.Option(
            "--lockbox",
            help="Score the stored codes once on the lockbox (docs/evaluation.md): the 11 "
            "sealed pema-dev missions no rule is written from, pooled, with 95% intervals "
            "over mission resamples and PEMA's own release agreement beside them. Only the "
            "macro figures are shown, never a disagreement. Needs --record.",
        ),
    ] = False,
    record: Annotated[
        Path | None,
        typer.Option(
            help="With --lockbox: the record the figures are added to (the project's is "
            "src/peaceops/coding/lockbox-record.csv). A coder version already in it is "
            "refused: a release is scored once."
        ),
    ] = None,
    db: DbOption = None,
    data_dir: DataDirOption = None,
    as_json: JsonOption = False,
) -> None:
    """Compare the coder with expert codes: per-task precision, recall and F1, macro F1."""
    from peaceops.coding import evaluate as ev
    from peaceops.coding.coder import CODER
    from peaceops.sources import resolve_data_dir

    with errors():
        if rules:
            if folds or without or gold is not None or report is not None:
                raise UsageError("--rules lists the coder's rules: use it alone (or with --json)")
            _list_rules(as_json)
            return
        if fmt not in ("pema", "dpa2010"):
            raise UsageError(f"unknown format {fmt!r}; use pema or dpa2010")
        if record is not None and not lockbox:
            raise UsageError("--record keeps a lockbox score: add --lockbox")
        if lockbox:
            if folds or without or gold is not None or report is not None or fmt != "pema":
                raise UsageError(
                    "--lockbox scores the stored codes on the sealed missions with pema-dev's "
                    "releases: use it with --record FILE only (and --db, --data-dir, --json)"
                )
            if record is None:
                raise UsageError(
                    "--lockbox needs --record FILE (the project's record is "
                    "src/peaceops/coding/lockbox-record.csv): a release is scored once, and its "
                    "figures kept"
                )
            check_output(record, force=True, db=db, data_dir=data_dir)  # appended to
            _evaluate_lockbox(db, data_dir, record, as_json)
            return
        if without and not folds:
            raise UsageError(
                "--without measures a rule by ablation on the folds: add --folds "
                "(and see `peaceops evaluate --rules` for the names)"
            )
        if without:
            from peaceops.coding.rules import RuleSet

            RuleSet.without(without)  # an unknown name fails before any work
        check_output(report, force=force, db=db, data_dir=data_dir)  # before the work (#27)
        if folds:
            if fmt != "pema" or gold is not None or report is not None or level != "resolution":
                raise UsageError(
                    "--folds scores the stored codes against pema-dev's releases, at the "
                    "resolution and modality levels: drop --format, --gold, --level and --report"
                )
            if without:
                _evaluate_ablation(db, data_dir, without, as_json)
            else:
                _evaluate_folds(db, data_dir, as_json)
            return
        with open_db(db) as database:
            if fmt == "pema":
                if gold is None:
                    gold = resolve_data_dir(data_dir) / "mandates/pema-dev" / ev.DEFAULT_GOLD
                from peaceops.coding.crossval import read_lockbox

                result = ev.evaluate_stored_pema(
                    database, gold, level=level, leave_out=read_lockbox()
                )
            else:
                result = ev.evaluate_stored_dpa2010(database, gold)
        if report is not None:
            write_file(report, result.disagreements_text(report), force=force, db=db,
                       data_dir=data_dir)  # fmt: skip
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
    for note in result.notes:
        out.print(f"note: {note}")
    partiality = result.group_macro_f1(ev.PARTIALITY_TASKS)
    group = f", partiality tasks {partiality:.3f}" if fmt == "pema" else ""
    out.print(
        f"macro F1 {result.macro_f1:.3f}, micro F1 {result.micro_f1:.3f}{group}; "
        f"{len(result.disagreements):,} disagreements"
        + (f" written to {report}" if report else " (write them with --report FILE)")
    )


def _evaluate_folds(db: Path | None, data_dir: Path | None, as_json: bool) -> None:
    """``evaluate --folds``: the leave-missions-out figures of docs/evaluation.md."""
    from peaceops.coding import crossval
    from peaceops.sources import resolve_data_dir

    pema_dir = resolve_data_dir(data_dir) / "mandates/pema-dev"
    # reading the gold, scoring the stored codes, scoring PEMA's releases: 15-40 s (#30)
    with counter("gold, coder, PEMA releases") as progress:
        progress(0, 3)
        golds = crossval.read_golds(pema_dir)
        progress(1, 3)
        with open_db(db) as database:
            result = crossval.cross_validate_stored(database, golds)
        progress(2, 3)
        releases = crossval.release_agreement(pema_dir, golds=golds)
        progress(3, 3)
    if as_json:
        print_json(
            {
                **result.to_json(),
                "folds": json.loads(crossval.read_folds().to_json(orient="records")),
                "definitions": {d.name: d.description for d in crossval.DEFINITIONS},
                "partiality_tasks": list(crossval.PARTIALITY_TASKS),
                "release_agreement": [r.to_json() for r in releases],
            }
        )
        return
    for cv in (result, *releases):
        table = Table(
            "gold", "level", "tasks", "mean", "sd", "range", "pooled",
            title=f"{cv.coder}: leave-missions-out macro F1, {crossval.K} folds",
            title_justify="left",
        )  # fmt: skip
        rows = cv.summary()
        if cv is not result:
            rows = rows[rows["level"] == "resolution"]
        for row in rows.itertuples(index=False):
            table.add_row(
                row.definition, row.level, row.group, f"{row.mean:.3f}", f"{row.sd:.3f}",
                f"{row.low:.3f}-{row.high:.3f}", f"{row.pooled:.3f}",
            )  # fmt: skip
        out.print(table)
        for row in rows[rows["folds"] < crossval.K].itertuples(index=False):
            out.print(
                f"  {row.definition} {row.level} {row.group}: {row.folds} of {crossval.K} folds "
                "have a task to score"
            )
    out.print(
        "gold raw_v2: tasks with >= 5 gold units; v1.2: every task; raw_v2_text: raw_v2's cells "
        "that cite a paragraph of the resolution's own text (a diagnostic, not a target). "
        "partiality: " + ", ".join(crossval.PARTIALITY_TASKS)
    )


def _evaluate_lockbox(db: Path | None, data_dir: Path | None, record: Path, as_json: bool) -> None:
    """``evaluate --lockbox --record FILE``: the sealed missions' figures, once per release."""
    import datetime

    from peaceops.coding.lockbox import record_score, score_stored
    from peaceops.sources import resolve_data_dir

    pema_dir = resolve_data_dir(data_dir) / "mandates/pema-dev"
    with open_db(db) as database, working("scoring the lockbox"):
        # a file that is no record, or one that holds this coder, is refused before the work
        score = score_stored(database, pema_dir, record=record)
    today = datetime.datetime.now(datetime.UTC).date().isoformat()
    text = record_score(record, score, today)
    write_file(record, text, force=True, db=db, data_dir=data_dir)
    if as_json:
        print_json({**score.to_json(), "record": str(record)})
        return
    table = Table(
        "gold", "level", "tasks", "folds", "lockbox", "95% interval", "PEMA low",
        title=f"{score.coder}: lockbox of {len(score.missions)} missions, "
        f"{score.resolutions} resolutions with a text, pooled",
        title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True,
    )  # fmt: skip
    releases, keys = score.releases, ["definition", "level", "group"]
    folds = score.folds.set_index(keys)["folds_mean"] if score.folds is not None else {}
    for row in score.figures.itertuples(index=False):
        pema = releases.loc[
            (releases["definition"] == row.definition) & (releases["level"] == row.level)
            & (releases["group"] == row.group), "macro_f1"
        ]  # fmt: skip
        table.add_row(
            row.definition, row.level, f"{row.group} {row.tasks}",
            _score(folds.get((row.definition, row.level, row.group))),
            _score(row.macro_f1), f"{_score(row.low)}-{_score(row.high)}",
            f"{pema.min():.3f}" if len(pema) else "-",
        )  # fmt: skip
    out.print(table)
    out.print(
        "tasks: how many the macro F1 counts; folds: the mean of the development folds "
        "(evaluate --folds); PEMA low: how far PEMA's own releases agree on the lockbox "
        "missions (the lowest pair; all pairs: --json). "
        f"Recorded in {record}; this coder version cannot be scored on the lockbox again. "
        "Missions: " + ", ".join(score.missions)
    )


def _list_rules(as_json: bool) -> None:
    """``evaluate --rules``: every registered rule of the coder, by family."""
    from peaceops.coding.coder import CODER
    from peaceops.coding.rules import REGISTRY

    if as_json:
        print_json(
            {
                "coder": CODER,
                "rules": [
                    {"name": r.name, "id": r.id, "family": r.family, "version": r.version,
                     "since": r.since, "written_from": r.written_from, "summary": r.summary,
                     "doc": r.doc}
                    for r in REGISTRY.values()
                ],
            }
        )  # fmt: skip
        return
    table = Table(
        "rule", "version", "since", "written from", "what it does",
        title=f"{CODER}: {len(REGISTRY)} rules", title_justify="left",
    )  # fmt: skip
    for r in REGISTRY.values():
        table.add_row(
            r.name, f"v{r.version}", r.since, r.written_from.split(" (", 1)[0], plain(r.summary)
        )
    out.print(table)
    out.print(
        "leave rules out with `peaceops evaluate --folds --without RULE` (a family name "
        "leaves out all of its rules); docs/coder-trials/ holds each rule's record"
    )


def _evaluate_ablation(
    db: Path | None, data_dir: Path | None, without: list[str], as_json: bool
) -> None:
    """``evaluate --folds --without RULE``: the folds' scores with and without the rules."""
    from peaceops.coding import crossval
    from peaceops.coding.ablation import ablate
    from peaceops.sources import resolve_data_dir

    pema_dir = resolve_data_dir(data_dir) / "mandates/pema-dev"
    golds = crossval.read_golds(pema_dir)
    with open_db(db) as database, counter("coding without " + ", ".join(without)) as progress:
        result = ablate(database, golds, without, progress=progress)
    if as_json:
        print_json(result.to_json())
        return
    folds = [str(f) for f in range(1, crossval.K + 1)]
    summary = result.summary()
    table = Table(
        "gold", "level", "tasks", "with", "without", "change", "pooled change",
        title=f"without {', '.join(result.without)}: leave-missions-out macro F1, mean of "
        f"{crossval.K} folds ({result.full.coder} -> {result.ablated.coder})",
        title_justify="left",
    )  # fmt: skip
    for row in summary.itertuples(index=False):
        table.add_row(
            row.definition, row.level, row.group, _score(row.mean_with),
            _score(row.mean_without), _change(row.mean_change), _change(row.pooled_change),
        )  # fmt: skip
    out.print(table)
    per_fold = Table(
        "gold", "level", "tasks", *folds,
        title="change on each fold (without - with)", title_justify="left",
    )  # fmt: skip
    for row in summary.itertuples(index=False):
        per_fold.add_row(
            row.definition, row.level, row.group,
            *(_change(row.fold_changes.get(f)) for f in folds),
        )  # fmt: skip
    out.print(per_fold)
    out.print(
        "a rule whose removal lowers a fold's score helped there; each fold's scores with and "
        "without: --json (per_fold)"
    )


def _score(value: float | None) -> str:
    return "-" if value is None or value != value else f"{value:.3f}"


def _change(value: float | None) -> str:
    if value is None or value != value:  # NaN: no task to score on that fold
        return "-"
    return f"{value:+.3f}"


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

    from peaceops.pipeline.add import AddInterrupted, add_texts
    from peaceops.store import default_db_path

    with errors():
        try:
            with working("storing, coding and measuring"):
                results = add_texts(db or default_db_path(), files, resolution=resolution,
                                    replace=replace)  # fmt: skip
        except AddInterrupted as exc:  # one line and 130: was the change made? (#27)
            if exc.changed:
                done = ", ".join(f"S/RES/{r.number} ({r.year}) {r.status}" for r in exc.results)
                fail_interrupted(f"interrupted after the change was made: {done}")
            else:
                fail_interrupted(
                    "interrupted; the knowledge base and the texts folder were not changed"
                )
            raise typer.Exit(130) from None
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
