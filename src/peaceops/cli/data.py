"""``peaceops data``: fetch and verify the data directory, and fetch resolution texts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, Progress, TextColumn

from peaceops.cli.common import (
    DataDirOption,
    DbOption,
    data_app,
    err,
    errors,
    line,
    out,
    plain,
    warn,
)


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
    texts: Annotated[
        str | None,
        typer.Option(
            "--texts",
            help="Instead: download these resolutions' English PDFs from the UN Digital Library "
            "and add them to the knowledge base, e.g. 2295-2300,2364.",
        ),
    ] = None,
    delay: Annotated[
        float, typer.Option(help="--texts: seconds between two requests (be polite).", min=0)
    ] = 1.0,
    replace: Annotated[
        bool, typer.Option("--replace", help="--texts: also replace texts already stored.")
    ] = False,
    undl_url: Annotated[
        str | None, typer.Option(help="--texts: a mirror of the UN Digital Library (host).")
    ] = None,
    follow_other_hosts: Annotated[
        bool,
        typer.Option(
            "--follow-other-hosts",
            help="Follow redirects to other hosts (by default only to the same host; only "
            "http and https are ever followed).",
        ),
    ] = False,
    db: DbOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Download every source file from its public home and check its SHA-256.

    With --texts: download resolutions' texts from the UN Digital Library and add them.
    Each request and each --texts run has a deadline (PEACEOPS_FETCH_REQUEST_SECONDS,
    PEACEOPS_FETCH_TOTAL_SECONDS); see docs/reliability.md.
    """
    import os

    if texts is not None:
        _fetch_texts(texts, delay, replace, undl_url, follow_other_hosts, db, data_dir)
        return

    from peaceops.sources.base import ENV_DATA_DIR
    from peaceops.sources.fetch import fetch_data
    from peaceops.store.outputs import check_output_folder

    target = dest or Path(os.environ.get(ENV_DATA_DIR) or Path.cwd().parent / "shared" / "data")
    with errors():  # the data directory is its target; never the store or the texts (#27)
        check_output_folder(target, db=db, data=False)
    with (
        errors(),
        Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            console=err,
        ) as progress,
    ):
        task = progress.add_task("fetching", total=None)

        def step(path: str, done: int, total: int) -> None:
            progress.update(task, description=path[-40:], completed=done, total=total)

        report = fetch_data(
            target, base_url=base_url, only=only, other_hosts=follow_other_hosts, progress=step
        )
    _report_files(report.results, f"fetched into {target}")
    if not report.ok:
        raise typer.Exit(1)


def _fetch_texts(
    spec: str,
    delay: float,
    replace: bool,
    undl_url: str | None,
    other_hosts: bool,
    db: Any,
    data_dir: Any,
) -> None:
    from peaceops.pipeline.texts import fetch_and_add
    from peaceops.sources import resolve_data_dir
    from peaceops.sources.undl import parse_numbers
    from peaceops.store import default_db_path

    with errors():
        numbers = parse_numbers(spec)
        with Progress(
            TextColumn("{task.description}"), BarColumn(),
            TextColumn("{task.completed}/{task.total}"), console=err,
        ) as progress:  # fmt: skip
            task = progress.add_task("fetching", total=len(numbers))

            def step(number: int, done: int, total: int) -> None:
                progress.update(task, description=f"S/RES/{number}", completed=done)

            report = fetch_and_add(
                db or default_db_path(), numbers, resolve_data_dir(data_dir),
                base_url=undl_url, delay=delay, replace=replace, other_hosts=other_hosts,
                progress=step,
            )  # fmt: skip
    counts: dict[str, int] = {}
    for f in report.fetched:
        counts[f.status] = counts.get(f.status, 0) + 1
    out.print(
        f"{len(numbers)} resolutions: {len(report.stored)} already had a text, "
        + ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
        + " (downloads)"
    )
    for r in report.added:
        out.print(plain(f"S/RES/{r.number} ({r.year}): {r.status}, {r.codes_after} codes"))
    for f in report.failed:
        warn("failed", plain(f"S/RES/{f['number']} ({f['step']}): {f['detail']}"))
    if report.failed:
        out.print(line((f"{len(report.failed)} failed; run the same command again to retry "
                        "them (what arrived is kept)", "yellow")))  # fmt: skip
        raise typer.Exit(1)


@data_app.command("verify")
def data_verify(data_dir: DataDirOption = None) -> None:
    """Check the data directory against the pinned SHA-256 of every file."""
    from peaceops.sources import resolve_data_dir
    from peaceops.sources.fetch import verify_data

    with errors():
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
            warn(r.status, f"{r.path}: {r.detail}")
