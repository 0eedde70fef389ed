"""What every command module shares: the Typer apps, consoles, options, errors and output.

Commands are thin: they parse their options, call one function of a lower layer, and render
its result with Rich (or as one JSON document on stdout with ``--json``). A
:class:`~peaceops.errors.PeaceopsError` becomes one plain line on stderr and exit status 1
(:func:`errors`); anything else is a bug and surfaces with its traceback. Messages are printed
as plain text, never as Rich markup, so brackets in a message survive (see #13).
"""

from __future__ import annotations

import re
import signal
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.text import Text

from peaceops.errors import PeaceopsError
from peaceops.jsonable import to_json

app = typer.Typer(
    name="peaceops",
    help="The UN collective-security system, computable: build and query the knowledge base.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
show_app = typer.Typer(help="Show one resolution or mission.", no_args_is_help=True)
data_app = typer.Typer(help="Get and check the raw data.", no_args_is_help=True)
explain_app = typer.Typer(
    help="Explain the Charter rules that apply to a resolution.", no_args_is_help=True
)
votes_app = typer.Typer(
    help="Check the Article 27 rules against the Council's record.", no_args_is_help=True
)
validate_app = typer.Typer(
    help="Validate a layer against the record (the simulation: `validate sim`).",
    no_args_is_help=True,
)
app.add_typer(show_app, name="show", rich_help_panel="Knowledge base")
app.add_typer(data_app, name="data", rich_help_panel="Knowledge base")
app.add_typer(explain_app, name="explain", rich_help_panel="Charter rules")
app.add_typer(votes_app, name="votes", rich_help_panel="Charter rules")
app.add_typer(validate_app, name="validate", rich_help_panel="Simulation")

#: Control characters a terminal would act on (ESC, OSC, BEL, ...): shown as U+FFFD, one for one,
#: so that no text, quote or file name can clear the screen or retitle the terminal (#27).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def safe(value: object) -> str:
    """``str(value)`` with every control character but tab and newline shown as U+FFFD."""
    return _CONTROL.sub("\ufffd", str(value))


class _SafeConsole(Console):
    """A Rich console that never writes a control character it was given (see :func:`safe`).

    Strings (also table cells) pass through :meth:`render_str`; :class:`~rich.text.Text`
    objects are copied with their characters replaced one for one, so their styles stay put.
    """

    def render_str(self, text: str, **kwargs: Any) -> Text:
        return super().render_str(safe(text), **kwargs)

    def print(self, *objects: Any, **kwargs: Any) -> None:
        super().print(*(_safe_renderable(o) for o in objects), **kwargs)


def _safe_renderable(value: Any) -> Any:
    if isinstance(value, Text) and _CONTROL.search(value.plain):
        value = value.copy()
        value.plain = safe(value.plain)
    return value


out = _SafeConsole(markup=False, highlight=False)  # data is printed as given, never as markup
err = _SafeConsole(stderr=True, markup=False, highlight=False)

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
ForceOption = Annotated[
    bool,
    typer.Option(
        "--force", help="Replace existing output files (never the knowledge base or the data)."
    ),
]
WorkersOption = Annotated[int, typer.Option(help="Worker processes.")]
SchedulerOption = Annotated[
    str | None,
    typer.Option(
        help="A Dask distributed scheduler, tcp://HOST:PORT: run on its workers instead of "
        "local processes (they must have peaceops installed and see any output folder)."
    ),
]


def fail(message: str) -> None:
    """Print ``error: message`` on stderr as plain text (never markup)."""
    err.print(Text("error: ", style="bold red") + Text(str(message)), soft_wrap=True)


_REPORTED: list[str] = []  # the one line said about a Ctrl-C, once said (#27)


def fail_interrupted(message: str) -> None:
    """Say, once, what a Ctrl-C left behind; further Ctrl-C are ignored from now on."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if not _REPORTED:
        _REPORTED.append(message)
        fail(message)


def interrupt_reported() -> bool:
    """Whether :func:`fail_interrupted` has said its line (``python -m peaceops`` asks)."""
    return bool(_REPORTED)


def warn(label: str, message: str) -> None:
    """Print ``label message`` on stderr, the label in yellow, the message as plain text."""
    err.print(Text(f"{label} ", style="yellow") + Text(str(message)), soft_wrap=True)


@contextmanager
def errors() -> Iterator[None]:
    """Turn a peaceops error into one plain line on stderr and exit status 1.

    Anything else is a bug: it is left to surface with its traceback. Ctrl-C stops with
    status 130 and a one-line message.
    """
    try:
        yield
    except PeaceopsError as exc:
        fail(str(exc))
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        fail_interrupted("interrupted; nothing was changed by the unfinished step")
        raise typer.Exit(130) from None
    except Exception as exc:
        from peaceops.store.database import is_interrupt

        if not is_interrupt(exc):  # Ctrl-C reached a running DuckDB query (#27, #28)
            raise
        fail_interrupted("interrupted; nothing was changed by the unfinished step")
        raise typer.Exit(130) from None


def print_json(document: Any) -> None:
    """Write the document as one JSON document on stdout."""
    sys.stdout.write(to_json(document) + "\n")


@contextmanager
def working(label: str) -> Iterator[None]:
    """A spinner on stderr with the time elapsed, for a step of seconds with no parts to count.

    #30: every command that takes over 2 s shows that it is working.
    """
    with Progress(SpinnerColumn(), TextColumn(label), TimeElapsedColumn(), console=err,
                  transient=True) as progress:  # fmt: skip
        progress.add_task(label, total=None)
        yield


@contextmanager
def counter(label: str, *, rate: str | None = None) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr; yields the ``progress(done, total)`` callback the library takes.

    With ``rate`` (a unit such as ``"runs"``), the bar also shows the rate since the first call
    (a resumed job starts counting from what was already done).
    """
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


def check_output(
    path: Path | None, *, force: bool, db: Path | None = None, data_dir: Path | None = None
) -> None:
    """Refuse an output path before any work (the rule of :mod:`peaceops.store.outputs`)."""
    from peaceops.store.outputs import check_output as check

    if path is not None:
        check(path, force=force, db=db, data_dir=data_dir)


def write_file(
    path: Path, text: str, *, force: bool, db: Path | None = None, data_dir: Path | None = None
) -> Path:
    """Write ``text`` to ``path`` atomically (the rule of :mod:`peaceops.store.outputs`, #27).

    Never a protected file; an existing one only with ``force``.
    """
    from peaceops.store.outputs import write_output

    return write_output(path, text, force=force, db=db, data_dir=data_dir)


def open_db(db: Path | None, *, sandboxed: bool = False):
    """The knowledge base, read-only (and without file access when ``sandboxed``)."""
    from peaceops.store import Database

    return Database(db, read_only=True, sandboxed=sandboxed)


def cell(value: object) -> str:
    """A table cell: empty for NULL (None, NaN, NA), else at most 80 characters."""
    try:
        if value is None or bool(value != value):
            return ""
    except (TypeError, ValueError):  # arrays
        pass
    return str(value)[:80]


def number(value: float | None) -> str:
    """A share or score with two decimals, ``n/a`` for None or NaN."""
    return "n/a" if value is None or value != value else f"{value:.2f}"


def plain(value: object) -> Text:
    """A table cell or line printed as given (no markup, no highlighting, no control codes)."""
    return Text("" if value is None else safe(value))


def line(*parts: str | tuple[str, str]) -> Text:
    """One line of plain text; a ``(text, style)`` part is styled (e.g. ``"bold"``)."""
    text = Text()
    for part in parts:
        if isinstance(part, tuple):
            text.append(str(part[0]), style=part[1])
        else:
            text.append(str(part))
    return text
