"""Export a table of the knowledge base as CSV, Parquet or Stata .dta.

CSV and Parquet are written by DuckDB's ``COPY``; Stata files by pandas (version 118, so long
texts become strL and names may be Unicode); columns named with a Stata reserved word (``end``)
get a trailing underscore and a variable label saying so. List columns are joined with ``;``
for CSV and Stata, kept as lists in Parquet.
"""

from __future__ import annotations

from pathlib import Path

from peaceops.store.database import Database
from peaceops.store.queries import NotFound

FORMATS = ("csv", "parquet", "dta")


def export_table(db: Database, table: str, *, fmt: str = "csv", output: Path | None = None) -> Path:
    """Write ``table`` to ``output`` (default ``<table>.<fmt>``) and return the path.

    Raises:
        NotFound: the table does not exist.
        ValueError: the format is not one of :data:`FORMATS`.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    tables = db.tables()
    if table not in tables:
        import difflib

        raise NotFound(f"no table {table!r}.", difflib.get_close_matches(table, tables, n=3))
    output = Path(output or f"{table}.{fmt}")
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(output.name + ".part")
    columns = db.rows(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? "
        "ORDER BY ordinal_position",
        [table],
    )
    select = ", ".join(
        f'array_to_string("{c["column_name"]}", \';\') AS "{c["column_name"]}"'
        if c["data_type"].endswith("[]") and fmt != "parquet"
        else f'"{c["column_name"]}"'
        for c in columns
    )
    if fmt in ("csv", "parquet"):
        options = "FORMAT csv, HEADER" if fmt == "csv" else "FORMAT parquet"
        db.conn.execute(f"COPY (SELECT {select} FROM \"{table}\") TO '{tmp}' ({options})")
    else:
        frame = db.execute(f'SELECT {select} FROM "{table}"')
        strl = [
            c
            for c in frame.columns
            if frame[c].dtype.kind in "OT" or str(frame[c].dtype) in ("string", "str")
        ]
        for col in strl:
            frame[col] = frame[col].astype(object).where(frame[col].notna(), "")
        long_text = [c for c in strl if frame[c].map(len).max() > 2045]
        for col in frame.columns:
            if str(frame[col].dtype) == "boolean" or frame[col].dtype == bool:
                frame[col] = frame[col].astype("Int8")
        renamed = _stata_names(list(frame.columns))
        frame = frame.rename(columns=renamed)
        labels = {new: f"{old} (renamed: a Stata reserved word)" for old, new in renamed.items()}
        long_text = [renamed.get(c, c) for c in long_text]
        frame.to_stata(
            tmp, write_index=False, version=118, convert_strl=long_text, variable_labels=labels
        )
    tmp.replace(output)
    return output


def _stata_names(columns: list[str]) -> dict[str, str]:
    """Map column names Stata cannot use (reserved words such as ``end``) to ``name_``."""
    from pandas.io.stata import StataParser  # the reserved-word list pandas itself checks

    reserved = StataParser().RESERVED_WORDS
    return {c: f"{c}_" for c in columns if c in reserved}
