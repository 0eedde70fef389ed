"""Simulation commands: ``simulate``, ``sweep``, ``sensitivity`` and ``validate sim``.

Every parallel command takes ``--workers`` and ``--scheduler`` and runs through the one
executor (:mod:`peaceops.parallel`), with the same output whichever is used.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from peaceops.cli.common import (
    DbOption,
    ForceOption,
    JsonOption,
    SchedulerOption,
    WorkersOption,
    app,
    check_output,
    counter,
    errors,
    line,
    number,
    open_db,
    out,
    print_json,
    to_json,
    validate_app,
    write_file,
)
from peaceops.errors import UsageError


@app.command(rich_help_panel="Simulation")
def simulate(
    mission: Annotated[str, typer.Argument(help="Mission acronym, e.g. MINUSMA.")],
    seed: Annotated[int, typer.Option(help="Seed of the first run.")] = 0,
    seeds: Annotated[int, typer.Option(help="Number of runs (seeds seed, seed+1, ...).")] = 1,
    counterfactual: Annotated[
        str | None,
        typer.Option(
            help="no-stabilization, no-alternative-partner, unified-council, "
            "divided-council or spm."
        ),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Simulate the paper's mechanism for a mission built from the knowledge base."""
    from peaceops.sim import simulate as run_simulation

    with errors():
        if seeds < 1:
            raise UsageError(f"--seeds must be at least 1 (got {seeds})")
        with open_db(db) as database, counter("simulated runs") as progress:
            document = run_simulation(
                database,
                mission,
                seed=seed,
                seeds=seeds,
                counterfactual=counterfactual,
                progress=progress,
            )
    if as_json:
        print_json(document)
        return
    legitimacy = document["legitimacy"]
    # a mission that became another (#18): how many runs handed over to it
    handover = (
        f"handover to {document['successor']} ({document['handover']}) in "
        f"{document['p_handover']:.0%}; "
        if document["handover"]
        else ""
    )
    out.print(
        line(
            (document["mission"], "bold"),
            f" ({document['seeds']} simulated runs from seed {seed}"
            f"{', ' + counterfactual if counterfactual else ''}): forced exit in "
            f"{document['p_forced_exit']:.0%} of runs "
            f"(median {document['median_exit_date'] or 'n/a'}); {handover}"
            f"talks collapse in {document['p_talks_collapse']:.0%}; legitimacy "
            f"{legitimacy['start']:.2f} -> {legitimacy['end']:.2f}",
        )
    )


@app.command(rich_help_panel="Simulation")
def sweep(
    file: Annotated[Path, typer.Argument(help="A sweep file (TOML); see docs/sim.md.")],
    out_dir: Annotated[
        Path, typer.Option("--out", help="Output folder (partitioned Parquet).")
    ] = Path("out/sweep"),
    workers: WorkersOption = 1,
    scheduler: SchedulerOption = None,
    db: DbOption = None,
) -> None:
    """Run a declarative sweep; results stream to Parquet, an interrupted sweep resumes."""
    from peaceops.sim.sweep import load_sweep, run_sweep
    from peaceops.store.outputs import check_output_folder

    with errors():
        check_output_folder(out_dir, db=db)  # never the store, the data or the texts (#27)
        spec = load_sweep(file)
        with open_db(db) as database, counter("runs", rate="runs") as progress:
            report = run_sweep(
                database, spec, out_dir, workers=workers, scheduler=scheduler, progress=progress
            )
    rate = (report.runs / report.seconds) if report.seconds else 0.0
    out.print(
        f"{report.runs} runs in {report.seconds:.1f} s ({rate:.1f}/s), {report.skipped} "
        f"already done; results in {report.out_dir}"
    )


@app.command(rich_help_panel="Simulation")
def sensitivity(
    file: Annotated[Path, typer.Argument(help="A sensitivity file (TOML); see docs/sim.md.")],
    workers: WorkersOption = 1,
    scheduler: SchedulerOption = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Also write the JSON report here.")
    ] = None,
    force: ForceOption = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Global sensitivity (SALib Sobol or Morris) of the simulation's outputs to parameters."""
    from peaceops.sim.sensitivity import load_sensitivity, run_sensitivity

    with errors():
        check_output(output, force=force, db=db)
        spec = load_sensitivity(file)
        with open_db(db) as database, counter("sample points") as progress:
            report = run_sensitivity(
                database, spec, workers=workers, scheduler=scheduler, progress=progress
            )
        document = report.to_dict()
        if output is not None:
            write_file(output, to_json(document) + "\n", force=force, db=db)
    if as_json:
        print_json(document)
        return
    columns = report.index_columns()
    for name, result in document["outputs"].items():
        table = Table(
            title=f"{spec.method.capitalize()} indices of {name} ({spec.mission}; "
            f"{report.points} points x {spec.replicates} simulated runs; range "
            f"{result['min']:.3g} to {result['max']:.3g})"
        )
        table.add_column("parameter")
        for column in columns:
            table.add_column(column, justify="right")
        key = "ST" if spec.method == "sobol" else "mu_star"  # total effect first
        ranked = sorted(result["parameters"].items(), key=lambda item: -(item[1][key] or 0.0))
        for parameter, values in ranked:
            table.add_row(parameter, *(number(values[c]) for c in columns))
        out.print(table)
        if result["constant"]:
            out.print(f"  {name} does not vary over the sample: no indices.")
    out.print(f"{report.runs} runs in {report.seconds:.1f} s")


@validate_app.command("sim")
def validate_sim(
    seeds: Annotated[int, typer.Option(help="Runs per mission and counterfactual.")] = 100,
    seed: Annotated[int, typer.Option(help="Seed of the first run.")] = 0,
    workers: WorkersOption = 1,
    scheduler: SchedulerOption = None,
    mission: Annotated[
        list[str] | None,
        typer.Option(
            "--out-of-sample",
            help="Score only these out-of-sample missions (repeatable; default: every mission "
            "with a complete history).",
        ),
    ] = None,
    markdown: Annotated[
        Path | None, typer.Option(help="Also write the report as Markdown to this file.")
    ] = None,
    force: ForceOption = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Pattern-oriented validation of the simulation: calibration missions and out of sample."""
    from peaceops.sim.validate import validate

    with errors():
        check_output(markdown, force=force, db=db)
        with open_db(db) as database, counter("missions x counterfactuals") as progress:
            report = validate(
                database,
                seeds=seeds,
                base_seed=seed,
                workers=workers,
                scheduler=scheduler,
                out_of_sample=mission or None,
                progress=progress,
            )
        if markdown is not None:
            write_file(markdown, report.to_markdown(), force=force, db=db)
    if as_json:
        print_json(report.to_dict())
        return
    table = Table(
        title=f"Patterns (shares of {seeds} simulated runs each, seeds {seed}..{seed + seeds - 1})"
    )
    for column in ("pattern", "mission", "share of runs", "rule", "holds"):
        table.add_column(column)
    for result in report.patterns:
        table.add_row(
            result.pattern.id,
            result.pattern.mission,
            f"{result.share:.2f}",
            result.pattern.rule,
            line(("yes", "green")) if result.holds else line(("no", "red")),
        )
    out.print(table)
    summary = report.summary()
    if summary["missions"]:
        out.print(
            f"Out of sample: {summary['missions']} missions ({summary['ended']} ended, "
            f"{summary['recorded_forced_exits']} forced out in the record); Brier score of "
            f"p_forced_exit {number(summary['brier_forced_exit'])}; runs ending as recorded "
            f"{number(summary['mean_match'])} on average; AUC of p_forced_exit, forced out "
            f"({summary['auc_forced_out_missions']}) vs kept consent "
            f"({summary['auc_consent_kept_missions']}): {number(summary['auc_forced_out'])} "
            f"({summary['auc_level']:.0%} interval {number(summary['auc_low'])}-"
            f"{number(summary['auc_high'])})."
        )
    if markdown is not None:
        out.print(f"Report written to {markdown}")
