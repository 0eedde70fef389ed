"""Allow ``python -m peaceops``; also the ``peaceops`` console script (:func:`main`).

It does a little more than call ``cli()``, so that Ctrl-C, whenever it comes, ends with one
line on stderr and status 130, never a traceback or a crash (#27): while the modules are
imported (Ctrl-C is held until they are), while Typer parses, or in a command; a second Ctrl-C
while the first is handled is ignored.
"""

import os
import signal
import sys

_INTERRUPTED = "error: interrupted; nothing was changed\n"


def _interrupt_once(signum, frame):
    """Raise KeyboardInterrupt once; further Ctrl-C wait for the first to be handled."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise KeyboardInterrupt


def main() -> None:
    """Import and run the command line (see the module doc)."""
    # Ctrl-C is held while the modules are imported: a KeyboardInterrupt raised inside
    # DuckDB's native module while it registers its types aborts the process (a "Critical
    # nanobind error", status -6). DuckDB is imported here, with the command line, for that.
    held: list[int] = []
    signal.signal(signal.SIGINT, lambda signum, frame: held.append(signum))
    import duckdb  # noqa: F401 - imported while Ctrl-C is held (see above)

    from peaceops.cli import cli
    from peaceops.cli.common import interrupt_reported

    if held:
        sys.stderr.write(_INTERRUPTED)
        sys.stderr.flush()
        os._exit(130)  # nothing has run yet
    signal.signal(signal.SIGINT, _interrupt_once)
    try:
        cli()
    except SystemExit as exc:
        if exc.code == 130:
            # Typer turns a Ctrl-C outside the commands' error handling into a silent 130
            _leave_interrupted(interrupt_reported())
        # the command is done: a Ctrl-C now must not end a finished command by SIGINT (-2)
        # while the interpreter shuts down (it restores SIGINT's default for a Python
        # handler, but leaves an ignored signal ignored)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        raise
    except KeyboardInterrupt:
        _leave_interrupted(interrupt_reported())


def _leave_interrupted(reported: bool) -> None:
    """Exit 130 with one line (said once).

    Every ``finally`` has run by now (the stores' temporary files are gone); ``os._exit``
    because an interpreter that took the Ctrl-C inside some module may otherwise end itself by
    SIGINT (-2) despite ``sys.exit(130)``.
    """
    if not reported:
        sys.stderr.write(_INTERRUPTED)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(130)


if __name__ == "__main__":
    main()
