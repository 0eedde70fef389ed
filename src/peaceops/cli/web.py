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
    from peaceops.store import default_db_path
    from peaceops.web import create_app
    from peaceops.web.server import serve as serve_app
    from peaceops.web.server import server_options

    with errors():
        application = create_app(db or default_db_path())
        options = server_options()  # a bad setting is a clear error, before listening
    out.print(f"peaceops explorer at http://{host}:{port}/  (API docs: /api/docs; Ctrl-C stops)")
    err.print(f"serving {db or default_db_path()} read-only")
    serve_app(application, host=host, port=port, options=options)  # limits: web.server (#27)
