"""``peaceops serve``: the web explorer on uvicorn (read-only; Ctrl-C stops it)."""

from __future__ import annotations

from typing import Annotated

import typer

from peaceops.cli.common import DbOption, app, err, errors, out


@app.command(rich_help_panel="Reports")
def serve(
    host: Annotated[
        str, typer.Option(help="Address to listen on (127.0.0.1: this machine only).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    db: DbOption = None,
) -> None:
    """Start the web explorer: missions, resolutions with evidence, votes, comparisons, runs."""
    import uvicorn

    from peaceops.store import default_db_path
    from peaceops.web import create_app

    with errors():
        application = create_app(db or default_db_path())
    out.print(f"peaceops explorer at http://{host}:{port}/  (API docs: /api/docs; Ctrl-C stops)")
    err.print(f"serving {db or default_db_path()} read-only")
    # h11, not httptools: httptools answers an overlong request line with a bare "Invalid HTTP
    # request", before the app can say what is wrong (benchmarks/bench_web.py measures h11).
    # h11 likewise refuses a request head over 16 kB that arrives in several pieces, closing
    # the connection (a reset, or a bare 400, depending on timing); heads up to 256 kB are
    # read, so the app's own limit answers 414 with its message.
    uvicorn.run(
        application,
        host=host,
        port=port,
        http="h11",
        h11_max_incomplete_event_size=256 * 1024,
        log_level="warning",
        access_log=False,
    )
