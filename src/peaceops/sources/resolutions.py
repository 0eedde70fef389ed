"""Resolution texts and dates.

Data flow: the file names of ``resolutions/texts``, ``resolutions/cr-unsc-gold`` and
``resolutions/texts-post2015`` give the set of resolutions with text; ``all_resolutions_date.dta``
gives the adoption dates of S/RES/1-2259. :func:`load_resolution_texts` reads every file once,
decodes it (UTF-8, else cp1252, per file: the collection mixes both, see the data README), and
picks one text per resolution in this order of preference:

1. ``cr-unsc-gold`` - hand-corrected OCR (S/RES/1-899, 902, 1445, 1454);
2. ``texts`` - the PVS collection (S/RES/1-2259) and any later text a user drops in;
3. ``texts-post2015`` - adopted-draft texts from UNBench (no heading, no oral revisions);

and, before all three, the texts a user added with ``peaceops add``
(:mod:`peaceops.sources.added`, outside the data directory).

Every text row records which collection it came from (``text_source``), the file it was read
from and the encoding used, so a reader can always tell a draft from an official text.
Dates for resolutions after 2259 come from the votes and meeting tables (``peaceops.store``
merges them).
"""

from __future__ import annotations

import logging
import re
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from peaceops.sources.base import (
    ISSUE_COLUMNS,
    SourceError,
    check_columns,
    decode_text,
    read_stata,
    require,
)

logger = logging.getLogger(__name__)

#: Text collections, most trusted first: (folder, source name, file-name pattern).
TEXT_COLLECTIONS = (
    ("resolutions/cr-unsc-gold", "cr-unsc-gold", re.compile(r"S_RES_(\d{4})_(\d{4})_EN_GOLD\.txt")),
    ("resolutions/texts", "pvs-texts", re.compile(r"S-RES-(\d+)\((\d{4})\)\.txt")),
    ("resolutions/texts-post2015", "unbench-draft", re.compile(r"S-RES-(\d+)\((\d{4})\)\.txt")),
)

DATES_FILE = "resolutions/all_resolutions_date.dta"

# Control characters other than tab, newline, form feed and carriage return (NUL above all)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Mojibake that appears when UTF-8 bytes are decoded as cp1252 ("CÃ´te"); its presence after
# decoding means a file was double-encoded upstream and must be reported, not stored.
_MOJIBAKE = re.compile("[ÃÂ][\u0080-\u00bf\u2018-\u203a]")


_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
#: The adoption line of the official texts: "Adopted by the Security Council at its 6943rd
#: meeting, on 28 March 2013" (PVS) or "of 28 January 1982" (CR-UNSC headings).
ADOPTION_DATE = re.compile(
    rf"(?:Adopted by the Security Council at its [\w ,.-]*?meeting,?\s+on|^of)\s+"
    rf"(\d{{1,2}})\s+({_MONTHS})\s*,?\s+(\d{{4}})",
    re.MULTILINE,
)


def adoption_date(text: str) -> date | None:
    """Return the adoption date stated in the first 1,500 characters of a text, if any."""
    match = ADOPTION_DATE.search(text[:1500])
    if not match:
        return None
    try:
        return datetime.strptime(" ".join(match.groups()), "%d %B %Y").date()
    except ValueError:
        return None


def symbol(number: int, year: int) -> str:
    """Return the canonical symbol of a resolution, e.g. ``S/RES/2098 (2013)``."""
    return f"S/RES/{number} ({year})"


def _clean_text(text: str, path: Path, issues: list[dict]) -> str:
    """Remove control characters (NUL and the like) and record undecodable bytes, as issues.

    A text with NUL or stray control bytes is a damaged file: the characters are removed (so
    that every stored span still selects its quote) and the repair is written to
    ``data_issues``, never passed over in silence (see #13).
    """
    item = path.name
    controls = _CONTROL.findall(text)
    if controls:
        kinds = ", ".join(sorted({f"U+{ord(c):04X}" for c in controls}))
        issues.append(
            {
                "source": "resolution_texts",
                "item": item,
                "issue": f"{len(controls)} control characters ({kinds}) in the text",
                "action": "removed",
            }
        )
        text = _CONTROL.sub("", text)
    replaced = text.count("\ufffd")
    if replaced:
        issues.append(
            {
                "source": "resolution_texts",
                "item": item,
                "issue": f"{replaced} bytes that no encoding defines (shown as U+FFFD)",
                "action": "kept as U+FFFD; check the file against the UN's text",
            }
        )
    return text


def _read_collection(
    folder: Path, source: str, pattern: re.Pattern[str], issues: list[dict]
) -> list[dict]:
    rows = []
    for path in sorted(folder.iterdir()):
        match = pattern.fullmatch(path.name)
        if not match:
            continue
        raw = path.read_bytes()
        if not raw.strip(b" \t\r\n\x00"):
            raise SourceError(path, "resolution text file is empty")
        text, encoding = decode_text(raw)
        if _MOJIBAKE.search(text):
            raise SourceError(path, "text looks double-encoded (mojibake such as 'Ã´')")
        text = _clean_text(text, path, issues)
        rows.append(
            {
                "number": int(match.group(1)),
                "year": int(match.group(2)),
                "text": text.replace("\r\n", "\n"),
                "text_source": source,
                "text_path": str(path.relative_to(folder.parent.parent)),
                "encoding": encoding,
            }
        )
    return rows


def load_resolution_texts(data_dir: Path) -> dict[str, pd.DataFrame]:
    """Read all resolution texts; one row per (resolution, collection).

    Returns:
        ``resolution_texts``: every text found, with ``preferred`` marking the one used.
    """
    from peaceops.sources.added import SOURCE, load_added_texts

    rows: list[dict] = []
    issues: list[dict] = []
    for folder, source, pattern in TEXT_COLLECTIONS:
        rows.extend(_read_collection(require(data_dir, folder), source, pattern, issues))
    rows.extend(load_added_texts(issues=issues))  # `peaceops add`: preferred over the data dir's
    texts = pd.DataFrame(rows)
    rank = {source: i + 1 for i, (_, source, _) in enumerate(TEXT_COLLECTIONS)} | {SOURCE: 0}
    texts["rank"] = texts["text_source"].map(rank)
    texts = texts.sort_values(["number", "rank"], kind="stable").reset_index(drop=True)
    texts["preferred"] = ~texts.duplicated("number", keep="first")
    # Two PVS files carry the wrong year in their names (S/RES/231 is of 1966, 376 of 1975);
    # keep the files, record the disagreement; the store takes the year from the adoption date.
    years = texts.groupby("number")["year"].nunique()
    issues += [
        {
            "source": "resolution_texts",
            "item": symbol(int(n), int(texts.loc[texts["number"] == n, "year"].iloc[0])),
            "issue": "text files disagree on the year: "
            + ", ".join(
                f"{r.text_path} says {r.year}" for r in texts[texts["number"] == n].itertuples()
            ),
            "action": "year taken from the adoption date",
        }
        for n in years[years > 1].index
    ]
    texts["n_chars"] = texts["text"].str.len()
    texts["stated_date"] = texts["text"].map(adoption_date)
    texts = texts.drop(columns="rank")
    return {"resolution_texts": texts, "data_issues": pd.DataFrame(issues, columns=ISSUE_COLUMNS)}


def load_resolution_dates(data_dir: Path) -> dict[str, pd.DataFrame]:
    """Read the adoption dates of S/RES/1-2259 (PVS replication data).

    Returns:
        ``resolution_dates``: number, year, date.
    """
    path = require(data_dir, DATES_FILE)
    frame = read_stata(path)
    check_columns(frame, path, ["resolution", "year", "date_string"])
    dates = pd.DataFrame(
        {
            "number": frame["resolution"].astype("Int64"),
            "year": frame["year"].astype("Int64"),
            "date": pd.to_datetime(frame["date_string"], format="%Y-%m-%d", errors="coerce"),
        }
    )
    if dates["number"].isna().any():
        raise SourceError(path, "some rows have no resolution number")
    # S/RES/2179-2195 (2014) have no date here ("NA"); the store fills them from the texts'
    # adoption lines and the meeting tables, so they are flagged, not dropped.
    undated = dates.loc[dates["date"].isna(), "number"].tolist()
    issues = pd.DataFrame(
        [
            {
                "source": "resolution_dates",
                "item": f"S/RES/{n}",
                "issue": "no adoption date in all_resolutions_date.dta",
                "action": "date taken from the text, the meeting tables or the votes",
            }
            for n in undated
        ],
        columns=ISSUE_COLUMNS,
    )
    dates["date"] = dates["date"].dt.date
    return {"resolution_dates": dates, "data_issues": issues}
