"""``peaceops forecast``: the 12-month probability of a host-forced exit, and its backtest."""

from __future__ import annotations

from datetime import date
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
    counter,
    errors,
    open_db,
    out,
    print_json,
    working,
    write_file,
)
from peaceops.errors import UsageError

forecast_app = typer.Typer(
    help="Early warning: each active mission's 12-month probability that its host forces it "
    "out, with the features that move it (a model output, not an observation).",
    no_args_is_help=False,
)
app.add_typer(forecast_app, name="forecast", rich_help_panel="Simulation")

AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Forecast as of this date (YYYY-MM-DD); default: the last vote in the store.",
    ),
]


def _date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--as-of {text!r} is not a date: write YYYY-MM-DD") from None


def _print_forecast(result) -> None:
    from peaceops.forecast.names import carried_text, feature_name
    from peaceops.forecast.outlook import STALE_YEARS

    table = Table(
        title=f"Host-forced exit within 12 months, as of {result.as_of} (model output, not "
        f"observed; features as of {result.month})"
    )
    for column in ("mission", "probability", "90% interval", "drivers (log-odds)", "note"):
        table.add_column(column)
    for m in result.missions:
        drivers = "; ".join(f"{feature_name(d['feature'])} = {d['value']:.3g} "
                            f"({d['log_odds']:+.2f})" for d in m.drivers) or "-"  # fmt: skip
        note = "carried: " + carried_text(m.carried) if m.carried else ""
        if m.strength_basis == "geopko_yearly":  # never shown as if IPI's monthly counts (#28)
            note = "; ".join(filter(None, [note, "strength: Geo-PKO yearly troops"]))
        if m.all_drivers_stale:  # said prominently (#31)
            note = "; ".join(filter(None, [f"EVERY DRIVER RESTS ON DATA OLDER THAN {STALE_YEARS} "
                                           "YEARS", note]))  # fmt: skip
        elif m.stale_drivers:
            note = "; ".join(
                filter(None, [note, "old data: " + ", ".join(map(feature_name, m.stale_drivers))])
            )
        table.add_row(m.mission, f"{m.probability:.3f}", f"{m.low:.3f}-{m.high:.3f}", drivers, note)
    out.print(table)
    for r in result.requested:
        out.print(
            f"{r['mission']}: the host asked it to leave on {r['host_request_date']} "
            "(no longer at risk of a first request; not forecast)"
        )
    fit = (
        "too few events: base rate"
        if result.fallback
        else f"{result.training_events} missions forced out"
    )
    out.print(
        f"Fitted on {result.training_rows} mission-months ({fit}); base rate "
        f"{result.base_rate:.4f} per month-window. 'carried': some features come from sources "
        "that ended earlier (see docs/forecast.md)."
    )


@forecast_app.callback(invoke_without_command=True)
def forecast(
    ctx: typer.Context,
    as_of: AsOfOption = None,
    mission: Annotated[
        list[str] | None, typer.Option(help="Only these missions (repeatable).")
    ] = None,
    resamples: Annotated[
        int, typer.Option(help="Bootstrap refits for the intervals (0: none).")
    ] = 200,
    seed: Annotated[int, typer.Option(help="Seed of the bootstrap.")] = 0,
    archive: Annotated[
        Path | None,
        typer.Option(
            help="Also archive the forecast in this directory (forecast-<as-of>.json: the "
            "as-of date, the model, a hash of the data read), to score it later with "
            "'peaceops forecast score DIR'."
        ),
    ] = None,
    force: ForceOption = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Forecast every mission at risk: probability, interval, drivers."""
    if ctx.invoked_subcommand is not None:
        return
    from peaceops.forecast.archive import archive_document, archive_name
    from peaceops.forecast.model import check_resamples
    from peaceops.forecast.outlook import forecast as run
    from peaceops.forecast.outlook import record_end
    from peaceops.forecast.panel import load_snapshot
    from peaceops.jsonable import to_json

    with errors():
        check_resamples(resamples, seed)  # before the data are read (#27)
        if archive is not None and mission:
            raise UsageError("--archive keeps whole forecasts: drop --mission")
        if archive is not None:  # never the store, the data or the texts (#27)
            from peaceops.store.outputs import check_output_folder

            check_output_folder(archive, db=db)
        with open_db(db) as database:
            day = _date(as_of) or record_end(database)
            target = None if archive is None else archive / archive_name(day)
            check_output(target, force=force, db=db)  # before the work (#27)
            with working("fitting the hazard model and its 90% intervals"):
                snapshot = load_snapshot(database)
                result = run(database, day, missions=mission or None, resamples=resamples,
                             seed=seed, snapshot=snapshot)  # fmt: skip
            if target is not None:
                document = archive_document(database, result, snapshot, date.today())
                target.parent.mkdir(parents=True, exist_ok=True)
                write_file(target, to_json(document) + "\n", force=force, db=db)
                out.print(f"archived {target}")
        if mission:
            missing = sorted(set(mission) - {m.mission for m in result.missions})
            if missing:
                raise UsageError(
                    f"not at risk on {day}: {', '.join(missing)} (not begun, ended, host already "
                    "asked, or not a UN mission); `peaceops forecast` lists those at risk"
                )
    from peaceops.forecast.summary import backtest_summary, skill_line

    line = skill_line(backtest_summary())  # the backtest's skill beside every forecast (#31)
    if as_json:
        print_json({**result.to_dict(), "skill": line})
        return
    _print_forecast(result)
    out.print(line)


@forecast_app.command("score")
def score(
    directory: Annotated[Path, typer.Argument(help="A directory of archived forecasts.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Score every archived forecast against the outcomes known now (Brier, hits, pending)."""
    from peaceops.forecast.archive import score_archive

    with errors(), open_db(db) as database:
        result = score_archive(database, directory)
    if as_json:
        print_json(result)
        return
    table = Table(title=f"Archived forecasts scored on {result['scored_on']} (model outputs "
                  "against the record)")  # fmt: skip
    for column in ("as of", "model", "forecasts", "resolved", "pending", "events", "Brier",
                   "top 3", "top 5"):  # fmt: skip
        table.add_column(column)
    for a in result["archives"]:
        brier = "-" if a["brier"] is None else f"{a['brier']:.5f}"
        table.add_row(a["as_of"], str(a["model"]), str(a["forecasts"]), str(a["resolved"]),
                      str(a["pending"]), str(a["events"]), brier, str(a["top_3"]),
                      str(a["top_5"]))  # fmt: skip
    out.print(table)


@forecast_app.command("backtest")
def backtest(
    first: Annotated[int, typer.Option(help="Year of the first origin (1 January).")] = 1995,
    last: Annotated[int, typer.Option(help="Year of the last origin.")] = 2023,
    sim_seeds: Annotated[
        int, typer.Option(help="Simulation runs per mission and origin (0: no simulation).")
    ] = 20,
    as_of: AsOfOption = None,
    markdown: Annotated[
        Path | None,
        typer.Option(
            help="Write the page here, with its diagram beside it (docs/forecast.md is made "
            "with --markdown docs/forecast.md --force)."
        ),
    ] = None,
    summary: Annotated[
        Path | None,
        typer.Option(
            help="Also write the machine-readable skill summary here (JSON: each model's "
            "scores, Brier skill with its interval, whether it beats the base rate and whether "
            "the mandate features add skill); the packaged one is "
            "src/peaceops/forecast/backtest-summary.json, written with docs/forecast.md."
        ),
    ] = None,
    force: ForceOption = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Rolling-origin backtest against the base rate, a mandate-blind model and the simulation."""
    from peaceops.forecast.backtest import backtest as run
    from peaceops.forecast.document import markdown as page
    from peaceops.forecast.outlook import forecast as today
    from peaceops.forecast.outlook import record_end
    from peaceops.report.figures import reliability

    with errors():
        if sim_seeds < 0:
            raise UsageError(f"--sim-seeds must be 0 or more, got {sim_seeds}")
        outputs = [] if markdown is None else [markdown, _figure_path(markdown)]
        outputs += [] if summary is None else [summary]
        for path in outputs:  # every output, before the work (#27)
            check_output(path, force=force, db=db)
        if len({p.resolve() for p in outputs}) < len(outputs):
            raise UsageError("--summary and --markdown (or its diagram, "
                             f"{_figure_path(markdown).name}) must be different files")  # fmt: skip
        with open_db(db) as database, counter("origins") as progress:
            report = run(database, first=first, last=last, sim_seeds=sim_seeds, progress=progress)
            day = _date(as_of) or record_end(database)
            now = today(database, day)
            store_hash = _store_hash(database) if summary is not None else None
        doc = report.to_dict()
        if summary is not None:
            from peaceops.forecast.summary import summary_document
            from peaceops.jsonable import to_json

            document = summary_document(doc, store_hash=store_hash)
            write_file(summary, to_json(document) + "\n", force=force, db=db)
        if markdown is not None:
            svg, _ = reliability(
                doc["reliability"],
                title=f"Hazard model, origins {first}-{last}: {doc['forecasts']} forecasts, "
                f"{doc['event_count']} events",
            )
            figure = _figure_path(markdown)
            write_file(figure, svg + "\n", force=force, db=db)
            write_file(markdown, page(report, now, figure=figure.name), force=force, db=db)
    if as_json:
        print_json(doc)
        return
    title = f"Backtest {first}-{last}: {doc['forecasts']} forecasts, {doc['event_count']} events"
    table = Table(title=f"{title} (model outputs scored against the record)")
    for column in ("model", "Brier", "log loss", "AUC", "baseline - hazard Brier (95%)"):
        table.add_column(column)
    for name, s in doc["scores"].items():
        d = doc["brier_difference"].get(name)
        diff = (
            "-"
            if d is None
            else (f"{-d['difference']:+.5f} ({-d['high']:+.5f} to {-d['low']:+.5f})")
        )
        auc = "-" if s["auc"] is None else f"{s['auc']:.3f}"
        table.add_row(name, f"{s['brier']:.5f}", f"{s['log_loss']:.4f}", auc, diff)
    out.print(table)
    _print_horizons(doc["horizons"])
    if markdown is not None:
        out.print(f"wrote {markdown} and its reliability diagram")
    if summary is not None:
        out.print(f"wrote {summary}")


def _store_hash(database) -> str:
    """The content identity of the data the backtest read (the archive's ``inputs_sha256``)."""
    from peaceops.forecast.archive import inputs_sha256
    from peaceops.forecast.panel import load_snapshot

    return inputs_sha256(load_snapshot(database))


def _print_horizons(horizons: dict) -> None:
    """Brier skill against the base rate at each horizon (#31), with its interval."""
    table = Table(title="Brier skill against the base rate by horizon (95% interval over "
                  "missions; positive: better than the base rate)")  # fmt: skip
    models = [m for m in ("hazard", "mandate_blind", "competing_risks")
              if any(m in h["models"] for h in horizons.values())]  # fmt: skip
    for column in ("horizon", "forecasts", "events", *models):
        table.add_column(column)
    for key, h in horizons.items():
        cells = []
        for m in models:
            s = h["models"].get(m)
            if s is None or s.get("brier_skill") is None:
                cells.append("-")
                continue
            low, high = s["brier_skill_interval"]
            cells.append(f"{s['brier_skill']:+.3f} ({low:+.3f} to {high:+.3f})")
        table.add_row(f"{key} months", str(h["forecasts"]), str(h["event_count"]), *cells)
    out.print(table)


def _figure_path(markdown: Path) -> Path:
    """The reliability diagram written beside the page."""
    return markdown.with_name(markdown.stem + "-reliability.svg")
