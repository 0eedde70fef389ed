"""The UN's yearly tables "Meetings conducted by the Security Council" (1946-2022).

Data flow: each ``meetings/html/scact<YYYY>_table_en.html`` holds one table with a two-row
header; :func:`load_meetings` reads them all into ``meetings`` (one row per meeting, the date
completed with the year of the file) and parses every outcome cell into ``meeting_decisions``
(one row per resolution, failed draft or presidential statement), with the vote tally split
into yes/no/abstain where the table gives one (``15-0-0``).

Quirks handled: 2020 is split between ``scact2020_table_en.html`` (to 12 March) and
``scact2020_covid_table_en.html`` (videoconferences from 30 March, whose title says "2021" and
whose columns differ); several decisions can share one cell; tallies are written ``14-0-1``,
``adopted unanimously`` or ``without vote``; veto cells name the vetoing members
(``vetoed by USSR``, ``vetoed by UK and USA``); some cells glue words (``Draft
resolutionS/2017/172vetoed by China``).
"""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path

import pandas as pd

from peaceops.sources.base import SourceError, require
from peaceops.sources.countries import PERMANENT_MEMBER_NAMES

logger = logging.getLogger(__name__)

MEETINGS_DIR = "meetings/html"
FILE_PATTERN = re.compile(r"scact(\d{4})(_covid)?_table_en\.html")

_TALLY = r"(\d{1,2})\s*-\s*(\d{1,2})\s*-\s*(\d{1,2})"
RESOLUTION_ITEM = re.compile(
    rf"S/RES/(\d+)\s*\((\d{{4}})\)\s*(?:{_TALLY}|(adopted unanimously|without vote))",
    re.IGNORECASE,
)
FAILED_ITEM = re.compile(
    rf"(?:Draft\s*resolution\s*)?(S/(?:PV\.)?[\d/]+(?:/Rev\.\d+)?)\s*"
    rf"(vetoed by\s*([A-Za-z ,]+?)|not adopted)\s*{_TALLY}",
    re.IGNORECASE,
)
PRST_ITEM = re.compile(r"S/PRST/\d{4}/\d+|S/(?:PV\.)?\d+\s*\(PRST\)")


def _read_table(path: Path) -> pd.DataFrame:
    try:
        tables = pd.read_html(io.StringIO(path.read_text(encoding="utf-8")))
    except (ValueError, UnicodeDecodeError) as exc:
        raise SourceError(path, f"no readable meetings table ({exc})") from exc
    table = tables[0]
    if isinstance(table.columns, pd.MultiIndex):
        table.columns = [str(c[1]) for c in table.columns]
    table.columns = [re.sub(r"\s+", " ", str(c)).strip() for c in table.columns]
    return table


def _column(table: pd.DataFrame, path: Path, *needles: str) -> pd.Series:
    for col in table.columns:
        if all(n.lower() in col.lower() for n in needles) and "letter" not in col.lower():
            return table[col]
    raise SourceError(path, f"no column containing {needles!r} (found {list(table.columns)})")


def _veto_members(text: str) -> str:
    names = [
        re.sub(r"^the\s+", "", n.strip(), flags=re.IGNORECASE)
        for n in re.split(r"\s*(?:,|\band\b)\s*", text.strip())
    ]
    return ",".join(sorted(PERMANENT_MEMBER_NAMES.get(n, n) for n in names if n))


def parse_outcome(cell: str) -> list[dict]:
    """Parse one outcome cell into decision records (resolutions, failed drafts, PRSTs)."""
    decisions: list[dict] = []
    text = re.sub(r"\s+", " ", cell)
    for m in RESOLUTION_ITEM.finditer(text):
        tally = m.group(3) is not None
        decisions.append(
            {
                "kind": "resolution",
                "symbol": f"S/RES/{m.group(1)} ({m.group(2)})",
                "resolution": int(m.group(1)),
                "resolution_year": int(m.group(2)),
                "outcome": "adopted",
                "yes": int(m.group(3)) if tally else None,
                "no": int(m.group(4)) if tally else None,
                "abstain": int(m.group(5)) if tally else None,
                "tally_text": m.group(0)[m.group(0).index(")") + 1 :].strip(),
                "vetoed_by": None,
            }
        )
    for m in FAILED_ITEM.finditer(text):
        vetoed = m.group(2).lower().startswith("vetoed")
        decisions.append(
            {
                "kind": "draft",
                "symbol": m.group(1),
                "resolution": None,
                "resolution_year": None,
                "outcome": "vetoed" if vetoed else "failed",
                "yes": int(m.group(4)),
                "no": int(m.group(5)),
                "abstain": int(m.group(6)),
                "tally_text": f"{m.group(4)}-{m.group(5)}-{m.group(6)}",
                "vetoed_by": _veto_members(m.group(3)) if vetoed else None,
            }
        )
    for m in PRST_ITEM.finditer(text):
        decisions.append(
            {
                "kind": "presidential_statement",
                "symbol": m.group(0),
                "resolution": None,
                "resolution_year": None,
                "outcome": "adopted",
                "yes": None,
                "no": None,
                "abstain": None,
                "tally_text": None,
                "vetoed_by": None,
            }
        )
    return decisions


def load_meetings(data_dir: Path) -> dict[str, pd.DataFrame]:
    """Load all yearly meeting tables into ``meetings`` and ``meeting_decisions``."""
    folder = require(data_dir, MEETINGS_DIR)
    files = sorted(p for p in folder.iterdir() if FILE_PATTERN.fullmatch(p.name))
    if not files:
        raise SourceError(folder, "no scact<YYYY>_table_en.html files found")
    meetings, decisions = [], []
    for path in files:
        year = int(FILE_PATTERN.fullmatch(path.name).group(1))
        table = _read_table(path)
        record = _column(table, path, "meeting").astype("string").str.strip()
        day = _column(table, path, "date").astype("string").str.strip()
        topic = _column(table, path, "topic").astype("string").str.strip()
        outcome = _column(table, path, "outcome").astype("string").fillna("")
        date = pd.to_datetime(day + f" {year}", format="%d %B %Y", errors="coerce")
        keep = date.notna()  # drops notes rows such as "Document links will work once ..."
        frame = pd.DataFrame(
            {
                "year": year,
                "meeting_record": record.where(record != "--"),
                "meeting": pd.to_numeric(
                    record.str.extract(r"S/PV\.(\d+)", expand=False), errors="coerce"
                ).astype("Int64"),
                "date": date.dt.date,
                "topic": topic,
                "outcome_text": outcome.str.replace(r"\s+", " ", regex=True).str.strip(),
                "source_file": path.name,
            }
        )[keep]
        meetings.append(frame)
        for row in frame.itertuples(index=False):
            for decision in parse_outcome(row.outcome_text):
                decisions.append(
                    {
                        "year": year,
                        "meeting_record": row.meeting_record,
                        "meeting": row.meeting,
                        "date": row.date,
                        "topic": row.topic,
                        **decision,
                    }
                )
    meetings_frame = pd.concat(meetings, ignore_index=True)
    decisions_frame = pd.DataFrame(decisions)
    for col in ("resolution", "resolution_year", "yes", "no", "abstain", "meeting"):
        decisions_frame[col] = decisions_frame[col].astype("Int64")
    return {"meetings": meetings_frame, "meeting_decisions": decisions_frame}
