"""Export a table of the knowledge base as CSV, Parquet or Stata .dta.

Data flow: the table is read as Arrow (list columns joined with ``;`` for CSV and Stata, kept as
lists in Parquet) and written by pyarrow (CSV, Parquet) or pandas (Stata) to a temporary file
beside the output, which then replaces it atomically. No path is ever formatted into SQL.

The format comes from ``fmt`` or the output's extension (``.csv``, ``.parquet``, ``.dta``);
when both are given they must agree. An existing output is replaced only with ``force``, and
never when it is the knowledge base itself. Stata files are version 118: texts longer than
Stata's 2,045-byte ``str`` become ``strL``, DATE columns become Stata daily dates (``%td``),
every variable is labelled from the data dictionary (``store/dictionary.csv``), and columns
named with a Stata reserved word (``end``) get a trailing underscore, which the label says.
"""

from __future__ import annotations

import csv
import difflib
import os
from functools import cache
from importlib import resources
from pathlib import Path

import pandas as pd

from peaceops.errors import NotFound, UsageError
from peaceops.store.database import Database
from peaceops.store.files import unique_temp
from peaceops.store.outputs import check_output

FORMATS = ("csv", "parquet", "dta")
#: Stata's limits: variable labels and plain ``str`` variables.
STATA_LABEL_CHARS = 80
STATA_STR_BYTES = 2045


@cache
def dictionary() -> dict[tuple[str, str], str]:
    """``(table, column) -> label`` of every column (the data dictionary)."""
    text = (resources.files("peaceops.store") / "dictionary.csv").read_text("utf-8")
    return {(r["table"], r["column"]): r["label"] for r in csv.DictReader(text.splitlines())}


def export_format(output: Path | None, fmt: str | None) -> str:
    """The format to write: ``fmt``, else the output's extension, else ``csv``.

    Raises:
        UsageError: an unknown format or extension, or ``fmt`` and the extension disagree.
    """
    if fmt is not None and fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    suffix = output.suffix.lower().lstrip(".") if output is not None else ""
    if suffix and suffix not in FORMATS:
        if fmt is None:
            raise UsageError(
                f"cannot tell the format of {output} from its extension; name the file "
                f"*.csv, *.parquet or *.dta, or pass --format"
            )
        raise UsageError(
            f"--format {fmt} but {output} ends in .{suffix}; name the file *.{fmt} so that "
            "what opens it knows what it holds"
        )
    if fmt is not None and suffix and suffix != fmt:
        raise UsageError(f"--format {fmt} disagrees with the extension of {output} (.{suffix})")
    return fmt or suffix or "csv"


def export_table(
    db: Database,
    table: str,
    *,
    fmt: str | None = None,
    output: Path | None = None,
    force: bool = False,
) -> Path:
    """Write ``table`` to ``output`` (default ``<table>.<fmt>``) and return the path.

    Raises:
        NotFound: the table does not exist.
        UsageError: a bad format (see :func:`export_format`), an output that is a folder or
            the knowledge base, an existing output without ``force``, or a write that fails.
    """
    output = Path(output) if output is not None else None
    if output is not None:
        check_output(output, force=True, db=db.path)  # protected paths, before any work
    fmt = export_format(output, fmt)
    tables = db.tables()
    if table not in tables:
        raise NotFound(f"no table {table!r}.", difflib.get_close_matches(table, tables, n=3))
    output = output or Path(f"{table}.{fmt}")
    _check_output(db, output, force=force)
    columns = db.rows(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? "
        "AND table_schema = 'main' ORDER BY ordinal_position",
        [table],
    )
    select = ", ".join(
        f'array_to_string("{c["column_name"]}", \';\') AS "{c["column_name"]}"'
        if c["data_type"].endswith("[]") and fmt != "parquet"
        else f'"{c["column_name"]}"'
        for c in columns
    )
    dates = [c["column_name"] for c in columns if c["data_type"] == "DATE"]
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create the folder of {output}: {exc}") from exc
    tmp = unique_temp(output, "part")
    try:
        data = db.arrow(f'SELECT {select} FROM "{table}"')
        if fmt == "csv":
            import pyarrow.csv as pacsv

            pacsv.write_csv(data, tmp)
        elif fmt == "parquet":
            import pyarrow.parquet as pq

            pq.write_table(data, tmp)
        else:
            _write_stata(data.to_pandas(), table, dates, tmp)
        _check_output(db, output, force=force)  # nothing protected swapped in meanwhile
        os.replace(tmp, output)
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)
    return output


def _check_output(db: Database, output: Path, *, force: bool) -> None:
    check_output(output, force=force, db=db.path)  # the one rule of every output (#27)


def _write_stata(frame: pd.DataFrame, table: str, dates: list[str], path: Path) -> None:
    strl = [
        c
        for c in frame.columns
        if frame[c].dtype.kind in "OT" or str(frame[c].dtype) in ("string", "str")
    ]
    for col in strl:
        frame[col] = frame[col].astype(object).where(frame[col].notna(), "")
    long_text = [
        c for c in strl if frame[c].map(lambda v: len(str(v).encode())).max() > STATA_STR_BYTES
    ]
    for col in frame.columns:
        if str(frame[col].dtype) == "boolean" or frame[col].dtype == bool:
            frame[col] = frame[col].astype("Int8")
    for col in dates:
        frame[col] = pd.to_datetime(frame[col])
    renamed = _stata_names(list(frame.columns))
    labels = {}
    for column in frame.columns:
        label = dictionary().get((table, column), column)
        if column in renamed:
            label = f"{label} (named {column} in the database)"
        labels[renamed.get(column, column)] = _truncate(label)
    frame = frame.rename(columns=renamed)
    frame.to_stata(
        path,
        write_index=False,
        version=118,
        convert_strl=[renamed.get(c, c) for c in long_text],
        convert_dates={renamed.get(c, c): "td" for c in dates},
        variable_labels=labels,
    )


def _truncate(label: str) -> str:
    """A label within Stata's 80 characters (cut at a word, with an ellipsis)."""
    if len(label) <= STATA_LABEL_CHARS:
        return label
    return label[: STATA_LABEL_CHARS - 1].rsplit(" ", 1)[0] + "…"


def _stata_names(columns: list[str]) -> dict[str, str]:
    """Map column names Stata cannot use (reserved words such as ``end``) to ``name_``."""
    from pandas.io.stata import StataParser  # the reserved-word list pandas itself checks

    reserved = StataParser().RESERVED_WORDS
    return {c: f"{c}_" for c in columns if c in reserved}
