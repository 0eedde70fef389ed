"""Allow ``python -m peaceops``; also the ``peaceops`` console script (:func:`main`).

It does a little more than call ``cli()``, so that Ctrl-C, whenever it comes, ends with one
line on stderr and status 130, never a traceback (#27): while the modules are imported, while
Typer parses, or in a command; a second Ctrl-C while the first is handled is ignored.
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
    signal.signal(signal.SIGINT, _interrupt_once)
    try:
        from peaceops.cli import cli
        from peaceops.cli.common import interrupt_reported
    except KeyboardInterrupt:
        sys.stderr.write(_INTERRUPTED)
        sys.stderr.flush()
        # nothing has run yet; an interrupted import can leave the interpreter to end by
        # SIGINT (status -2) despite sys.exit, so leave at once
        os._exit(130)
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
