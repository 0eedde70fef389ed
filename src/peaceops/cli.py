"""The ``peaceops`` command line: one command per job, each a thin shell over a library call.

Commands parse their options, call one function of ``peaceops.store`` / ``peaceops.sources``,
and render the result with Rich (or as one JSON document on stdout with ``--json``). Errors
from the library (missing files, unknown resolutions, bad SQL) are printed on stderr with what
to do, and the command exits with a non-zero status.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from peaceops import __version__

app = typer.Typer(
    name="peaceops",
    help="The UN collective-security system, computable: build and query the knowledge base.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
show_app = typer.Typer(help="Show one resolution or mission.", no_args_is_help=True)
data_app = typer.Typer(help="Get and check the raw data.", no_args_is_help=True)
app.add_typer(show_app, name="show")
app.add_typer(data_app, name="data")
explain_app = typer.Typer(
    help="Explain the Charter rules that apply to a resolution.", no_args_is_help=True
)
app.add_typer(explain_app, name="explain")
votes_app = typer.Typer(
    help="Check the Article 27 rules against the Council's record.", no_args_is_help=True
)
app.add_typer(votes_app, name="votes")
validate_app = typer.Typer(
    help="Validate a layer against the record (the simulation: `validate sim`).",
    no_args_is_help=True,
)
app.add_typer(validate_app, name="validate")

out = Console()
err = Console(stderr=True)

DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="Database file (default: $PEACEOPS_DB, else the user data dir)."),
]
DataDirOption = Annotated[
    Path | None,
    typer.Option(
        "--data-dir", help="Data directory (default: $PEACEOPS_DATA, else ../shared/data)."
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]


class ExitError(Exception):
    """Raised by commands to stop with a message and an exit code."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


@contextmanager
def _errors() -> Iterator[None]:
    """Turn library errors into a red message on stderr and a non-zero exit."""
    from peaceops.sources import SourceError
    from peaceops.store import DatabaseError
    from peaceops.store.queries import NotFound

    try:
        yield
    except (SourceError, DatabaseError, NotFound, ValueError, ExitError) as exc:
        err.print(f"[bold red]error:[/] {exc}", highlight=False, markup=True, soft_wrap=True)
        raise typer.Exit(getattr(exc, "code", 1) if isinstance(exc, ExitError) else 1) from None


def _strict(value: Any) -> Any:
    """Replace NaN (pandas' missing value) by None, so the output is strict JSON."""
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, dict):
        return {k: _strict(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_strict(v) for v in value]
    return value


def _print_json(document: Any) -> None:
    text = json.dumps(_strict(document), ensure_ascii=False, indent=2, default=str, allow_nan=False)
    sys.stdout.write(text + "\n")


@contextmanager
def _counter(label: str, *, rate: str | None = None) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr; yields the ``progress(done, total)`` callback the library takes.

    With ``rate`` (a unit such as ``"runs"``), the bar also shows the rate since the first call
    (a resumed job starts counting from what was already done).
    """
    import time

    columns = [SpinnerColumn(), TextColumn(label), BarColumn()]
    columns.append(TextColumn("{task.completed}/{task.total}"))
    if rate is not None:
        columns.append(TextColumn("{task.fields[rate]}"))
    with Progress(*columns, TimeElapsedColumn(), console=err) as progress:
        task = progress.add_task(label, total=None, rate="")
        started, first = time.perf_counter(), None

        def advance(done: int, total: int) -> None:
            nonlocal first
            fields = {}
            if rate is not None:
                first = done if first is None else first
                elapsed = time.perf_counter() - started
                fields["rate"] = f"{(done - first) / elapsed:.1f} {rate}/s" if elapsed > 0 else ""
            progress.update(task, completed=done, total=total, **fields)

        yield advance


def _write_file(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` (folders created), or stop with a clear error."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ExitError(f"cannot write {path}: {exc}") from exc


def _open(db: Path | None, *, sandboxed: bool = False):
    from peaceops.store import Database

    return Database(db, read_only=True, sandboxed=sandboxed)


@app.command()
def build(
    data_dir: DataDirOption = None,
    db: DbOption = None,
    allow_missing: Annotated[
        bool, typer.Option(help="Build without sources whose files are missing.")
    ] = False,
) -> None:
    """Build the knowledge base from the data directory and the curated registry."""
    from peaceops.sources import SOURCES, resolve_data_dir
    from peaceops.store import build as build_db
    from peaceops.store import default_db_path

    with _errors():
        data = resolve_data_dir(data_dir)
        target = db or default_db_path()
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description:<20}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
            console=err,
            transient=False,
        ) as progress:
            task = progress.add_task("starting", total=len(SOURCES) + 3)

            def step(name: str) -> None:
                progress.update(task, description=name, advance=0 if name == SOURCES[0].name else 1)

            report = build_db(data, target, allow_missing=allow_missing, progress=step)
            progress.update(task, description="done", completed=len(SOURCES) + 3)
        _print_summary(report)


def _print_summary(report: Any) -> None:
    table = Table(title=f"Built {report.path} in {report.seconds:.1f} s", title_justify="left")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, count in sorted(report.counts.items()):
        table.add_row(name, f"{count:,}")
    out.print(table)
    if report.missing_sources:
        err.print(f"[yellow]missing sources:[/] {', '.join(report.missing_sources)}")


@app.command()
def status(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Counts per table, missing sources, and which resolutions have no text."""
    from peaceops.store.queries import status as status_query

    with _errors(), _open(db) as database:
        document = status_query(database)
    if as_json:
        _print_json(document)
        return
    res = document["resolutions"]
    out.print(f"[bold]{document['database']}[/] built {document['built_at']}")
    out.print(
        f"resolutions: {res['total']:,} ({res['with_text']:,} with text, "
        f"{len(res['without_text']):,} without: {_ranges(res['without_text'])})"
    )
    out.print(
        f"votes: {document['votes']['member_votes']:,} member votes on "
        f"{document['votes']['drafts']:,} drafts"
    )
    m = document["missions"]
    out.print(
        f"missions: {m['pko']} peacekeeping, {m['spm']} special political, {m['regional']} regional"
    )
    out.print(
        f"actors: {document['actors']}, events: {document['events']}, "
        f"data issues repaired or flagged: {document['data_issues']}"
    )
    missing = document["missing_sources"]
    out.print(f"missing sources: {', '.join(missing) if missing else 'none'}")
    coding = document["coding"]
    failed = ", ".join(f"{f['resolution']} ({f['reason']})" for f in coding["unsegmentable"])
    out.print(
        f"coded: {coding['coded']:,} resolutions, {coding['codes']:,} codes; "
        f"not segmentable: {failed or 'none'}"
    )
    table = Table("table", "rows")
    for name, count in sorted(document["tables"].items()):
        table.add_row(name, f"{count:,}")
    out.print(table)


def _cell(value: object) -> str:
    """A table cell: empty for NULL (None, NaN, NA), else at most 80 characters."""
    try:
        if value is None or bool(value != value):
            return ""
    except (TypeError, ValueError):  # arrays
        pass
    return str(value)[:80]


def _ranges(numbers: list[int]) -> str:
    """Compress ``[1, 2, 3, 7]`` to ``1-3, 7``."""
    parts: list[str] = []
    for n in numbers:
        if parts and parts[-1][1] == n - 1:
            parts[-1] = (parts[-1][0], n)
        else:
            parts.append((n, n))
    return ", ".join(f"{a}-{b}" if a != b else f"{a}" for a, b in parts) or "none"


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
    from peaceops.store.queries import resolution, resolution_codes

    if codes:
        with _errors(), _open(db) as database:
            document = resolution_codes(database, number)
            text = database.scalar(
                "SELECT text FROM resolutions WHERE number = ?", [document["resolution"]]
            )
        if as_json:
            _print_json({k: v for k, v in document.items() if k != "paragraphs"})
        else:
            _render_codes(document, text)
        return
    with _errors(), _open(db) as database:
        document = resolution(database, number)
    if as_json:
        _print_json(document)
        return
    out.print(f"[bold]{document['symbol']}[/]  adopted {document['date']}  ({document['title']})")
    vote = document["vote"]
    if vote:
        out.print(f"vote: {vote['yes']}-{vote['no']}-{vote['abstain']} ({vote['source']})")
    for m in document["missions"]:
        out.print(f"mission: {m['acronym']} ({m['role']})")
    if document["text"] is None:
        out.print("[yellow]no text in the data directory[/] (drop it into resolutions/texts/)")
    else:
        out.print(f"[dim]text: {document['text_source']} ({document['text_path']})[/]")
        out.print(document["text"], highlight=False, markup=False)


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
        with _errors(), _open(db) as database:
            document = mission_mandates(database, acronym)
        if as_json:
            _print_json(document)
        else:
            _render_mandates(document)
        return
    with _errors(), _open(db) as database:
        document = mission(database, acronym)
    if as_json:
        _print_json(document)
        return
    out.print(f"[bold]{document['acronym']}[/] {document['name']} ({document['type']})")
    out.print(
        f"host: {', '.join(document['hosts_iso3'])}  "
        f"{document['start']} - {document['end'] or 'active'}"
    )
    if document["predecessor"] or document["successor"]:
        out.print(
            f"predecessor: {document['predecessor'] or '-'}  "
            f"successor: {document['successor'] or '-'}"
        )
    table = Table("resolution", "date", "role", "note", title="Resolutions", title_justify="left")
    for r in document["resolutions"]:
        table.add_row(f"{r['number']} ({r['year']})", r["date"] or "", r["role"], r["note"] or "")
    out.print(table)
    if document["events"]:
        events = Table("date", "type", "actor", "event", title="Events", title_justify="left")
        for e in document["events"]:
            events.add_row(e["date"], e["type"], e["actor_id"] or "", e["description"] or "")
        out.print(events)


def _render_codes(document: dict, text: str | None) -> None:
    from rich.text import Text

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
        f"[bold]S/RES/{number}[/]: {basis}; Article 39 determination: "
        f"{'yes' if document['article_39'] else 'no'}; impartiality index: "
        f"{'n/a' if index is None else f'{index:.2f}'}"
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
                f"{i['task']}/{i['modality']}"
                if "modality" in i
                else f"target:{i['group']}" + (" (inferred)" if i.get("inferred") else "")
                for i in spans
            }
        )
        out.print(
            Text(f"{p['label']}: ", style="bold cyan") + Text(", ".join(labels), style="cyan")
        )
        out.print(body)


def _render_mandates(document: dict) -> None:
    out.print(f"[bold]{document['mission']}[/] {document['name']}")
    years = Table(
        "year",
        "resolution in force",
        "partial",
        "even-handed",
        "index",
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
        )
    out.print(years)
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
        changes.add_row(str(r["resolution"]), r["task"], r["status"], modality)
    out.print(changes)
    out.print("[dim]carried-forward tasks are not listed; use --json for every row[/]")


@app.command()
def code(
    numbers: Annotated[
        list[str] | None, typer.Argument(help="Resolutions to code (default: all with text).")
    ] = None,
    db: DbOption = None,
    workers: Annotated[int | None, typer.Option(help="Worker processes (default: CPUs).")] = None,
) -> None:
    """Run the mandate coder on stored resolutions and recompute the measures."""
    from peaceops.coding.run import code_resolutions
    from peaceops.measures import compute_measures
    from peaceops.store import Database
    from peaceops.store.queries import parse_resolution_ref

    with _errors():
        wanted = [parse_resolution_ref(n) for n in numbers] if numbers else None
        database = Database(db, read_only=False)
        try:
            with _counter("coding") as progress:
                report = code_resolutions(
                    database.conn, numbers=wanted, workers=workers, progress=progress
                )
            compute_measures(database.conn)
        finally:
            database.close()
    out.print(
        f"coded {report.resolutions:,} resolutions in {report.seconds:.1f} s: "
        f"{report.codes:,} codes, {report.targets:,} group mentions, "
        f"{report.failures} not segmentable (see `peaceops status`)"
    )


@app.command()
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

    with _errors():
        if fmt not in ("pema", "dpa2010"):
            raise ValueError(f"unknown format {fmt!r}; use pema or dpa2010")
        if halves:
            if fmt != "pema":
                raise ValueError("--halves scores PEMA gold only (--format pema)")
            _evaluate_halves(gold, level, report, db, data_dir, as_json)
            return
        with _open(db) as database:
            codes = database.execute("SELECT * FROM codes")
            if fmt == "pema":
                if gold is None:
                    from peaceops.sources import resolve_data_dir

                    gold = resolve_data_dir(data_dir) / "mandates/pema-dev" / ev.DEFAULT_GOLD
                gold_codes = ev.read_pema_gold(gold)
                paragraphs = database.execute(
                    'SELECT p.*, substr(r.text, p.start + 1, p."end" - p.start) AS text '
                    "FROM paragraphs p JOIN resolutions r ON r.number = p.resolution"
                )
                result = ev.evaluate_pema(codes, gold_codes, level=level, paragraphs=paragraphs)
            else:
                from peaceops.coding.taxonomy import dpa_crosswalk

                if gold is not None:
                    from peaceops.sources.mandates import load_dpa2010

                    components = load_dpa2010(_dpa_dir(gold))["dpa2010_components"]
                else:
                    components = database.execute("SELECT * FROM dpa2010_components")
                result = ev.evaluate_dpa2010(
                    codes, components, dpa_crosswalk(), ev.dpa_mission_resolutions(database)
                )
    if report is not None:
        result.write_disagreements(report)
    if as_json:
        _print_json(
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
        title=f"{fmt} ({result.level} level) vs {_coder_name()}",
        title_justify="left",
    )
    for row in result.per_task.sort_values("f1").itertuples(index=False):
        table.add_row(
            row.task, str(int(row.support)), _pct(row.precision), _pct(row.recall), _pct(row.f1)
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

    if gold is None:
        from peaceops.sources import resolve_data_dir

        gold_codes = ev.combined_pema_gold(resolve_data_dir(data_dir) / "mandates/pema-dev")
    else:
        gold_codes = ev.read_pema_gold(gold)
    with _open(db) as database:
        codes = database.execute("SELECT * FROM codes")
        texts = database.execute("SELECT DISTINCT resolution FROM paragraphs")["resolution"]
    results = ev.evaluate_halves(codes, gold_codes, texts=texts, level=level)
    halves = ev.split_halves(gold_codes)
    missions = {**halves, "all": sorted(m for half in halves.values() for m in half)}
    if report is not None:
        results["development"].write_disagreements(report)
    if as_json:
        _print_json(
            {
                "gold": str(gold) if gold else "pema v1.2 + raw_v2 (combined)",
                "coder": _coder_name(),
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
        title=f"held-out protocol ({level} level, {len(ev.PEMA_TASKS)} PEMA tasks) "
        f"vs {_coder_name()}",
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


def _coder_name() -> str:
    from peaceops.coding.coder import CODER

    return CODER


def _pct(value: float) -> str:
    return "n/a" if value != value else f"{value:.2f}"  # NaN: no prediction or no gold


def _dpa_dir(path: Path) -> Path:
    """A data directory holding the given matrix file under mandates/dpa-2010/origdata.xls."""
    import shutil
    import tempfile

    if path.is_dir():
        return path
    folder = Path(tempfile.mkdtemp(prefix="peaceops-dpa-"))
    (folder / "mandates/dpa-2010").mkdir(parents=True)
    shutil.copy(path, folder / "mandates/dpa-2010/origdata.xls")
    return folder


@explain_app.command("resolution")
def explain_resolution_command(
    number: Annotated[str, typer.Argument(help="Resolution number, e.g. 1973.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Every rule that fired for a resolution: instruments, R2P pillars, with evidence."""
    from rich.markup import escape

    from peaceops.doctrine import explain_resolution
    from peaceops.store.queries import parse_resolution_ref

    with _errors(), _open(db) as database:
        document = explain_resolution(database, parse_resolution_ref(number))
    if as_json:
        _print_json(document)
        return
    out.print(
        f"[bold]S/RES/{document['resolution']}[/]: instruments: "
        f"{', '.join(document['instruments']) or 'none'}; R2P pillars: "
        f"{', '.join(document['r2p_pillars']) or 'none'}"
    )
    for fired in document["rules"]:
        out.print(f"[cyan]{fired['id']}[/] -> {fired['conclusion']}")
        for ev in fired["evidence"][:4]:
            quote = " ".join(ev["quote"].split())
            out.print(f"    [{ev['start']}:{ev['end']}] {escape(quote[:160])}", highlight=False)
    for skipped in document.get("not_applied", []):
        out.print(f"[dim]not applied: {skipped['id']} ({skipped['reason']})[/]")


@app.command()
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

    with _errors():
        if seeds < 1:
            raise ExitError(f"--seeds must be at least 1 (got {seeds})")
        with _open(db) as database:
            document = run_simulation(
                database, mission, seed=seed, seeds=seeds, counterfactual=counterfactual
            )
    if as_json:
        _print_json(document)
        return
    legitimacy = document["legitimacy"]
    out.print(
        f"[bold]{document['mission']}[/] ({document['seeds']} runs from seed {seed}"
        f"{', ' + counterfactual if counterfactual else ''}): forced exit in "
        f"{document['p_forced_exit']:.0%} of runs "
        f"(median {document['median_exit_date'] or 'n/a'}); "
        f"talks collapse in {document['p_talks_collapse']:.0%}; legitimacy "
        f"{legitimacy['start']:.2f} -> {legitimacy['end']:.2f}"
    )


@app.command()
def sweep(
    file: Annotated[Path, typer.Argument(help="A sweep file (TOML); see docs/sim.md.")],
    out_dir: Annotated[
        Path, typer.Option("--out", help="Output folder (partitioned Parquet).")
    ] = Path("out/sweep"),
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
    scheduler: Annotated[
        str | None,
        typer.Option(
            help="A Dask distributed scheduler, tcp://HOST:PORT: run on its workers instead "
            "(they must see --out)."
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Run a declarative sweep; results stream to Parquet, an interrupted sweep resumes."""
    from peaceops.sim.sweep import load_sweep, run_sweep

    with _errors():
        spec = load_sweep(file)
        with _open(db) as database, _counter("runs", rate="runs") as progress:
            report = run_sweep(
                database, spec, out_dir, workers=workers, scheduler=scheduler, progress=progress
            )
    rate = (report.runs / report.seconds) if report.seconds else 0.0
    out.print(
        f"{report.runs} runs in {report.seconds:.1f} s ({rate:.1f}/s), {report.skipped} "
        f"already done; results in {report.out_dir}"
    )


@app.command()
def sensitivity(
    file: Annotated[Path, typer.Argument(help="A sensitivity file (TOML); see docs/sim.md.")],
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Also write the JSON report here.")
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Global sensitivity (SALib Sobol or Morris) of the simulation's outputs to parameters."""
    from peaceops.sim.sensitivity import load_sensitivity, run_sensitivity

    with _errors():
        spec = load_sensitivity(file)
        with _open(db) as database, _counter("sample points") as progress:
            report = run_sensitivity(database, spec, workers=workers, progress=progress)
        document = report.to_dict()
        if output is not None:
            _write_file(output, json.dumps(_strict(document), indent=2, allow_nan=False) + "\n")
    if as_json:
        _print_json(document)
        return
    columns = report.index_columns()
    for name, result in document["outputs"].items():
        table = Table(
            title=f"{spec.method.capitalize()} indices of {name} ({spec.mission}; "
            f"{report.points} points x {spec.replicates} runs; range {result['min']:.3g} to "
            f"{result['max']:.3g})"
        )
        table.add_column("parameter")
        for column in columns:
            table.add_column(column, justify="right")
        key = "ST" if spec.method == "sobol" else "mu_star"  # total effect first
        ranked = sorted(result["parameters"].items(), key=lambda item: -(item[1][key] or 0.0))
        for parameter, values in ranked:
            table.add_row(parameter, *(_number(values[c]) for c in columns))
        out.print(table)
        if result["constant"]:
            out.print(f"  {name} does not vary over the sample: no indices.")
    out.print(f"{report.runs} runs in {report.seconds:.1f} s")


@validate_app.command("sim")
def validate_sim(
    seeds: Annotated[int, typer.Option(help="Runs per mission and counterfactual.")] = 100,
    seed: Annotated[int, typer.Option(help="Seed of the first run.")] = 0,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
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
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Pattern-oriented validation of the simulation: calibration missions and out of sample."""
    from peaceops.sim.validate import validate

    with _errors():
        with _open(db) as database, _counter("missions x counterfactuals") as progress:
            report = validate(
                database,
                seeds=seeds,
                base_seed=seed,
                workers=workers,
                out_of_sample=mission or None,
                progress=progress,
            )
        if markdown is not None:
            _write_file(markdown, report.to_markdown())
    if as_json:
        _print_json(report.to_dict())
        return
    table = Table(title=f"Patterns ({seeds} runs each, seeds {seed}..{seed + seeds - 1})")
    for column in ("pattern", "mission", "share of runs", "rule", "holds"):
        table.add_column(column)
    for result in report.patterns:
        table.add_row(
            result.pattern.id,
            result.pattern.mission,
            f"{result.share:.2f}",
            result.pattern.rule,
            "[green]yes[/]" if result.holds else "[red]no[/]",
        )
    out.print(table)
    summary = report.summary()
    if summary["missions"]:
        out.print(
            f"Out of sample: {summary['missions']} missions ({summary['ended']} ended, "
            f"{summary['recorded_forced_exits']} forced out in the record); Brier score of "
            f"p_forced_exit {_number(summary['brier_forced_exit'])}; runs ending as recorded "
            f"{_number(summary['mean_match'])} on average."
        )
    if markdown is not None:
        out.print(f"Report written to {markdown}")


def _number(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


StatesOption = Annotated[str | None, typer.Option(help="ISO3 codes or names, comma-separated.")]


@app.command()
def vote(
    on: Annotated[str, typer.Option("--date", help="Date of the vote, YYYY-MM-DD.")],
    yes: StatesOption = None,
    no: StatesOption = None,
    abstain: StatesOption = None,
    absent: StatesOption = None,
    not_participating: StatesOption = None,
    procedural: Annotated[bool, typer.Option(help="A procedural matter (Art. 27(2)).")] = False,
    as_json: JsonOption = False,
) -> None:
    """Decide a hypothetical vote under Article 27 as in force on its date."""
    from datetime import date as Date  # noqa: N812

    from peaceops.doctrine.voting import Ballot, VoteError, decide, parse_states

    with _errors():
        try:
            when = Date.fromisoformat(on)
        except ValueError:
            raise ExitError(f"--date {on!r} is not a date; use YYYY-MM-DD") from None
        try:
            ballot = Ballot(
                when,
                yes=parse_states(yes),
                no=parse_states(no),
                abstain=parse_states(abstain),
                absent=parse_states(absent),
                not_participating=parse_states(not_participating),
                procedural=procedural,
            )
            outcome = decide(ballot)
        except VoteError as exc:
            raise ExitError(str(exc)) from None
    if as_json:
        _print_json(outcome.to_json())
        return
    vetoed = f" by {', '.join(outcome.vetoed_by)}" if outcome.vetoed_by else ""
    out.print(f"[bold]{outcome.outcome}{vetoed}[/] ({outcome.rule}): {outcome.explanation}")


@votes_app.command("check")
def votes_check(
    db: DbOption = None,
    report: Annotated[
        Path | None, typer.Option(help="Write every decision and mismatch here (CSV).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Decide every recorded vote again and report agreement and every mismatch's cause."""
    from peaceops.doctrine.record import check_record

    with _errors(), _open(db) as database:
        result = check_record(database.conn)
    if report is not None:
        report.parent.mkdir(parents=True, exist_ok=True)
        result.rows.to_csv(report, index=False)
    document = result.summary()
    if as_json:
        _print_json(document)
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
            m["source"],
            str(m["item"]),
            m["date"],
            m["recorded"],
            str(m["computed"]),
            m["tally"],
            f"[{m['cause_kind']}] {m['cause']}",
        )
    out.print(table)


@app.command()
def sql(
    query: Annotated[str, typer.Argument(help="A read-only SQL query.")],
    db: DbOption = None,
    as_json: JsonOption = False,
    limit: Annotated[int, typer.Option(help="Show at most this many rows (table output).")] = 50,
) -> None:
    """Run a read-only SQL query against the knowledge base (writes are refused)."""
    from peaceops.store import DatabaseError

    with _errors(), _open(db, sandboxed=True) as database:
        try:
            frame = database.execute(query)
        except DatabaseError as exc:
            message = str(exc)
            if "read-only" in message or "attached in read-only mode" in message:
                message = f"the SQL console is read-only ({message})"
            raise ExitError(message) from None
    if as_json:
        _print_json(json.loads(frame.to_json(orient="records", date_format="iso")))
        return
    table = Table(*[str(c) for c in frame.columns])
    for row in frame.head(limit).itertuples(index=False):
        table.add_row(*[_cell(v) for v in row])
    out.print(table)
    if len(frame) > limit:
        err.print(f"[dim]{len(frame) - limit:,} more rows; use --json or --limit[/]")


@app.command()
def export(
    table: Annotated[str, typer.Argument(help="Table to export (see `peaceops status`).")],
    fmt: Annotated[str, typer.Option("--format", help="csv, parquet or dta (Stata).")] = "csv",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Output file.")] = None,
    db: DbOption = None,
) -> None:
    """Export a table as CSV, Parquet or Stata .dta."""
    from peaceops.store.export import export_table

    with _errors(), _open(db) as database:
        path = export_table(database, table, fmt=fmt, output=output)
    err.print(f"wrote {path}")


@data_app.command("fetch")
def data_fetch(
    dest: Annotated[
        Path | None, typer.Option(help="Where to put the data (default: the data dir).")
    ] = None,
    base_url: Annotated[
        str | None, typer.Option(help="A mirror laid out like the data directory.")
    ] = None,
    only: Annotated[
        list[str] | None, typer.Option(help="Only paths starting with this prefix.")
    ] = None,
) -> None:
    """Download every source file from its public home and check its SHA-256."""
    import os

    from peaceops.sources.base import ENV_DATA_DIR
    from peaceops.sources.fetch import fetch_data

    target = dest or Path(os.environ.get(ENV_DATA_DIR) or Path.cwd().parent / "shared" / "data")
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        console=err,
    ) as progress:
        task = progress.add_task("fetching", total=None)

        def step(path: str, done: int, total: int) -> None:
            progress.update(task, description=path[-40:], completed=done, total=total)

        report = fetch_data(target, base_url=base_url, only=only, progress=step)
    _report_files(report.results, f"fetched into {target}")
    if not report.ok:
        raise typer.Exit(1)


@data_app.command("verify")
def data_verify(data_dir: DataDirOption = None) -> None:
    """Check the data directory against the pinned SHA-256 of every file."""
    from peaceops.sources import resolve_data_dir
    from peaceops.sources.fetch import verify_data

    with _errors():
        results = verify_data(resolve_data_dir(data_dir))
    _report_files(results, "verified")
    if any(r.status not in ("ok", "present", "derived") for r in results):
        raise typer.Exit(1)


def _report_files(results: Any, verb: str) -> None:
    counts: dict[str, int] = {}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    out.print(f"{verb}: " + ", ".join(f"{n} {s}" for s, n in sorted(counts.items())))
    for r in results:
        if r.status not in ("ok", "present"):
            err.print(f"[yellow]{r.status}[/] {r.path}: {r.detail}", highlight=False)


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
