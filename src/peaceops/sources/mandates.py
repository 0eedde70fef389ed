"""Mandates: the DPA 2010 mandate matrix, the UN Mandate Registry, and PEMA's hand codes.

Data flow (paths relative to the data directory; tables in migration
``0002_personnel_events_mandates``):

* ``dpa2010`` -- ``mandates/dpa-2010/origdata.xls`` -> ``dpa2010_missions`` (one row per
  mission column) and ``dpa2010_components`` (one row per non-empty cell: mission x component).
* ``mandate_registry`` -- ``missions/un-mandates-registry/`` ``pkm2026/all_mandates.csv``,
  ``ppb2027/all_mandates.csv``, ``peacekeeping_mission_budgets.csv`` and ``entity_details.csv``
  -> ``mandate_registry_pkm2026``, ``mandate_registry_ppb2027``, ``mission_budgets`` and
  ``un_entities``: every column kept as text under its snake_case name (``Entity-Long`` ->
  ``entity_long``, ``CEB Member?`` -> ``ceb_member``), empty cells NULL; ``budget_cycle`` is an
  integer. Programme numbers stay text because the file writes them as they are printed.
* ``pema`` -- ``mandates/pema-dev/*.csv`` (three releases) -> ``pema_codes`` (long form: one row
  per non-empty task cell) and ``pema_resolutions`` (one row per resolution, mission and
  release: date and the renewal/adjustment flags).

DPA 2010 matrix (``DRAFT VERSION 2 JUL 2010``), quirks handled:

* Row 0 holds the title and 24 mission headings (``MONUSCO   as of 1 JUL 2010``); the acronym is
  the heading's first word. The rows ``# of Mandate components``, ``Lead entity``, ``Mandate
  Source``, ``Latest decision`` and ``Length of the current mandate`` are found by their label
  in column 0, not by position; the components are the rows after them.
* Column 1 is empty in the heading rows but holds sub-components: ``Human Rights`` /
  ``Promote and protect``, ``Capacity building``, ... The group name is written once, so it is
  carried down while column 1 has a label. ``component_group`` is that group (NULL for
  stand-alone components) and ``component`` the row's own label, both without the trailing
  mission count (``[16]``), which is kept as ``label``.
* Cells that hold only blanks are empty. ``Chapter VII`` cells are ``Yes``/``No`` with detail.
* ``resolutions`` lists the S/RES numbers a cell cites (see :func:`resolution_numbers`):
  ``Res. 1925 OP12 (a)``, ``Resolutions 1590 (2005), 1663 (2006)``, ``Resolutions1829 (2008)``,
  ``1925 2010)`` (a lost parenthesis) are resolutions; paragraph numbers (``OP 17``, ``PP12``,
  ``par. 55``, ``Para. 81 (d), 75 (1990)``), document symbols (``S/2007/307/Rev.1``,
  ``S/PRST/2009/5``, ``S/21360``) and dates (``21 December 2009``) are not.
* The xls is read with calamine (the default of :func:`~peaceops.sources.base.read_excel`): it
  yields the same 77 x 26 frame as ``engine="xlrd"``, whose use pandas 3 deprecates with a
  warning (an error under ``filterwarnings = error``).

PEMA (gold data for evaluating a coder: loaded as it is, nothing recoded):

* Releases are named after their files without ``_dev``: ``pema_raw_v2``, ``pema_feb22_v1.2``,
  ``pema_website_v4``. Their layouts differ: the date column is ``Date2`` (``28-Mar-13``),
  ``Date`` (``28/03/2013``) or ``date`` (``28mar2013``, empty in places); v1.2 adds
  ``Mandate_MinorAdjustment`` and a bare ``UseOfForce`` column (no modality); raw_v2 has
  ``Comments``; website_v4 writes every name in lower case.
* ``Signature`` carries noise (``S/RES/728 ``, ``S/RES/2410 (2018)``); the number is extracted.
* ``variable`` is the column as the release spells it; ``task`` is the same name with the
  capitals of the raw_v2/v1.2 spelling restored (``civprotect_security`` ->
  ``CivProtect_Security``), so that releases can be compared; ``stem`` and ``modality`` split
  it at the underscore. Spelling differences between releases (v1.2 ``RefugeesIDPs``,
  ``PartyAssistance``) are kept.
* Empty cells and ``0`` mean "not coded" (README) and are dropped. ``paragraphs`` is the cell
  text (``12b, 15d``). website_v4 spells each cell out (``Mandated in previous resolution in
  S/RES/797 paragraph(s) 2``): ``paragraphs`` is then the part after ``paragraph(s)``,
  ``source_resolution`` the resolution cited and ``inherited`` true for "previous"; in the
  other releases the paragraphs are the coded resolution's own (``inherited`` false).
* Releases disagree (e.g. S/RES/2098 ``OffensOper``); nothing is reconciled here.

Mission acronyms go through :func:`peaceops.sources.personnel.normalize_missions`: PEMA's
``UNOMOZ`` is ONUMOZ and ``UNCSPG`` UNPSG (the UN's spelling); ``UNOSOM I`` is kept.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from peaceops.sources.base import (
    ISSUE_COLUMNS,
    Source,
    SourceError,
    check_columns,
    read_csv,
    read_excel,
    require,
)
from peaceops.sources.common import (
    alias_issues,
    iso3_from_names,
    normalize_missions,
    parsing,
    snake_case,
)

logger = logging.getLogger(__name__)

DPA_FILE = "mandates/dpa-2010/origdata.xls"
REGISTRY_FILES = {
    "mandate_registry_pkm2026": "missions/un-mandates-registry/pkm2026/all_mandates.csv",
    "mandate_registry_ppb2027": "missions/un-mandates-registry/ppb2027/all_mandates.csv",
    "mission_budgets": "missions/un-mandates-registry/peacekeeping_mission_budgets.csv",
    "un_entities": "missions/un-mandates-registry/entity_details.csv",
}
REGISTRY_COLUMNS = {
    "mandate_registry_pkm2026": [
        "Origin Document",
        "Entity",
        "Description",
        "Symbol",
        "Full Document Symbol",
        "Source",
    ],
    "mandate_registry_ppb2027": [
        "Origin Document",
        "Entity",
        "Programme",
        "Description",
        "Symbol",
        "Full Document Symbol",
        "Source",
    ],
    "mission_budgets": ["short_name", "full_name", "document_symbol", "budget_cycle"],
    "un_entities": ["Entity-Long", "Entity", "Group", "UN Principal Organ", "Category"],
}
PEMA_FILES = {
    "pema_raw_v2": "mandates/pema-dev/pema_raw_v2_dev.csv",
    "pema_feb22_v1.2": "mandates/pema-dev/pema_feb22_v1.2_dev.csv",
    "pema_website_v4": "mandates/pema-dev/pema_website_v4_dev.csv",
}
PEMA_META = {
    "signature",
    "namepko",
    "country",
    "year",
    "date",
    "date2",
    "comments",
    "mandate_renewal",
    "mandate_minoradjustment",
    "mandate_completeadjustment",
}

_DPA_LABELS = {
    "component_count": "# of Mandate components",
    "lead_entity": "Lead entity",
    "mandate_source": "Mandate Source",
    "latest_decision": "Latest decision",
    "mandate_length": "Length of the current mandate",
}
_SPELLED_OUT = r"^Mandated in (current|previous) resolution in S/RES/(\d+) paragraph\(s\) (.*)$"
_RESOLUTION_LIST = pd.ArrowDtype(pa.list_(pa.int32()))
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_TOKEN = re.compile(
    rf"""(?ix)
    (?P<symbol>\b(?:S/)?PRST/\d{{4}}/\d+|\bS/\d+(?:/[\w.]+)*|\bA/RES/[\d/]+)
  | (?P<res>\bS/RES/|\bres(?:olutions?)?\.?(?=[\s,]*\d))
  | (?P<para>\b[OP]P(?=\s*\d)|\bpar(?:a(?:graph)?s?)?\.?(?=\s*\d))
  | (?P<date>\b\d{{1,2}}\s+(?:{_MONTHS})\b)
  | (?P<number>(?<!\d)\d{{1,4}}(?!\d))(?P<year>\s*\(?\s*(?:19|20)\d\d\s*\))?
  | (?P<stop>;)
    """
)


def resolution_numbers(text: object) -> list[int]:
    """Return the S/RES numbers cited in a DPA matrix cell, in order of first mention.

    A number is a resolution when the last keyword before it is ``Res``/``Resolution(s)``/
    ``S/RES/`` (lists continue: ``Resolutions 425 (1978) 426 (1978)``), or when it stands
    before any keyword and is followed by a year (``1883 (2009)``). After ``OP``, ``PP``,
    ``par.``, ``Para.`` or a document symbol, numbers are paragraphs; ``;`` ends a list.
    """
    if not isinstance(text, str):
        return []
    found: list[int] = []
    state = None
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup if match.lastgroup != "year" else "number"
        if kind in ("symbol", "para"):
            state = "other"
        elif kind == "res":
            state = "res"
        elif kind == "stop":
            state = None
        elif kind == "number" and (state == "res" or (state is None and match["year"])):
            number = int(match["number"])
            if number not in found:
                found.append(number)
    return found


def _resolution_lists(texts: pd.Series) -> pd.Series:
    return pd.Series(texts.map(resolution_numbers), index=texts.index, dtype=_RESOLUTION_LIST)


def _strip(values: pd.Series) -> pd.Series:
    return values.astype("string").str.strip()


def _clean_label(labels: pd.Series) -> pd.Series:
    text = labels.astype("string").str.replace(r"\s+", " ", regex=True).str.strip()
    return text.str.replace(r"\s*\[[^\]]*\]$", "", regex=True)


def load_dpa2010(data_dir: Path) -> dict[str, pd.DataFrame]:
    """Load the DPA mandate matrix of July 2010 (24 missions x mandate components)."""
    path = require(data_dir, DPA_FILE)
    sheet = read_excel(path, header=None)
    if sheet.shape[0] < 8 or sheet.shape[1] < 3:
        raise SourceError(path, f"unexpected layout: the sheet is only {sheet.shape}")
    labels = sheet.iloc[:, 0].astype("string").str.strip()
    rows = {}
    for name, label in _DPA_LABELS.items():
        hits = labels.index[labels == label]
        if hits.empty:
            raise SourceError(path, f"unexpected layout: no row labelled {label!r} in column A")
        rows[name] = hits[0]
    headings = sheet.iloc[0, 2:].astype("string").str.strip()
    headings = headings[headings.notna() & (headings != "")]
    if headings.empty:
        raise SourceError(path, "unexpected layout: no mission headings in row 1")
    with parsing(path):
        cells = sheet.loc[:, headings.index].astype("string").apply(lambda col: col.str.strip())
        cells = cells.mask(cells == "")
        mission = headings.str.split().str[0].str.upper()
        missions = pd.DataFrame({"mission": mission.to_numpy(), "heading": headings.to_numpy()})
        for name, row in rows.items():
            missions[name] = cells.loc[row].to_numpy()
        missions["component_count"] = pd.to_numeric(missions["component_count"]).astype("Int64")
        missions["mandate_resolutions"] = _resolution_lists(missions["mandate_source"])
        latest = missions["latest_decision"].map(resolution_numbers).astype(object).str[0]
        missions["latest_resolution"] = pd.to_numeric(latest).astype("Int64")

        body = sheet.loc[max(rows.values()) + 1 :]
        own, sub = _clean_label(body.iloc[:, 0]), _clean_label(body.iloc[:, 1])
        group = own.ffill().where(sub.notna())
        components = pd.DataFrame(
            {
                "row": (body.index + 1).astype("int64"),  # the spreadsheet's row number
                "component_group": group,
                "component": sub.fillna(own),
                "label": _strip(body.iloc[:, 1]).fillna(_strip(body.iloc[:, 0])),
            }
        )
        block = cells.loc[body.index].set_axis(mission.to_numpy(), axis=1)
        long = block.stack().dropna().rename_axis(["index", "mission"]).rename("cell_text")
        long = long.reset_index()
    if components["component"].isna().any():
        raise SourceError(path, "unexpected layout: a component row has no label")
    long = long.join(components, on="index").drop(columns="index")
    long["mission"] = long["mission"].astype("string")
    long["resolutions"] = _resolution_lists(long["cell_text"])
    order = ["mission", "row", "component_group", "component", "label", "cell_text", "resolutions"]
    return {"dpa2010_missions": missions, "dpa2010_components": long[order]}


def load_mandate_registry(data_dir: Path) -> dict[str, pd.DataFrame]:
    """Load the UN Mandate Registry extracts (peacekeeping budgets 2026, programme budget 2027)."""
    tables = {}
    for table, relative in REGISTRY_FILES.items():
        path = require(data_dir, relative)
        raw = read_csv(path, dtype=str)
        check_columns(raw, path, REGISTRY_COLUMNS[table])
        if raw.empty:
            raise SourceError(path, "holds no rows")
        frame = raw.rename(columns=snake_case(list(raw.columns))).apply(lambda col: col.str.strip())
        frame = frame.mask(frame == "").astype("string")
        if table == "mission_budgets":
            with parsing(path):
                frame["budget_cycle"] = pd.to_numeric(frame["budget_cycle"]).astype("Int64")
        tables[table] = frame
    return tables


def _pema_dates(values: pd.Series, path: Path) -> pd.Series:
    text = values.astype("string").str.strip().mask(lambda s: s == "")
    dates = pd.to_datetime(text, format="%d-%b-%y", errors="coerce")
    for fmt in ("%d/%m/%Y", "%d%b%Y"):
        dates = dates.fillna(pd.to_datetime(text, format=fmt, errors="coerce"))
    bad = text.notna() & dates.isna()
    if bad.any():
        raise SourceError(path, f"unreadable date {text[bad].iloc[0]!r}")
    return dates


def _text(raw: pd.DataFrame, lower: dict[str, str], name: str) -> pd.Series:
    """The stripped text of an optional column (by lower-case name); empty and absent are NA."""
    if name not in lower:
        return pd.Series(pd.NA, index=raw.index, dtype="string")
    text = raw[lower[name]].astype("string").str.strip()
    return text.mask(text == "")


def pema_release(release: str, path: Path, spelling: dict[str, str]) -> tuple[pd.DataFrame, ...]:
    """Return the resolution table, the long table of codes, and the ``data_issues`` rows."""
    raw = read_csv(path, dtype=str, keep_default_na=False)
    lower = {column.lower(): column for column in raw.columns}
    check_columns(raw.rename(columns=str.lower), path, ["signature", "namepko", "year"])
    date_column = next((lower[c] for c in ("date2", "date") if c in lower), None)
    if date_column is None:
        raise SourceError(path, "unexpected layout: no date column (Date2, Date or date)")
    number = _text(raw, lower, "signature").str.extract(r"^S/RES/(\d+)\b", expand=False)
    if raw.empty or number.isna().any():
        bad = raw.loc[number.isna(), lower["signature"]].head(1).tolist()
        raise SourceError(path, f"Signature must read S/RES/<number>; found {bad}")
    with parsing(path):
        keys = pd.DataFrame(
            {
                "release": pd.Series(release, index=raw.index, dtype="string"),
                "resolution": pd.to_numeric(number).astype("Int64"),
                "year": pd.to_numeric(_text(raw, lower, "year")).astype("Int64"),
                "mission": normalize_missions(raw[lower["namepko"]]),
            }
        )
        meta = keys.assign(
            date=_pema_dates(raw[date_column], path),
            country=_text(raw, lower, "country"),
            comments=_text(raw, lower, "comments"),
        )
        for flag in ("renewal", "minor_adjustment", "complete_adjustment"):
            values = _text(raw, lower, f"mandate_{flag.replace('_', '')}")
            meta[f"mandate_{flag}"] = pd.to_numeric(values).astype("Int64").astype("boolean")
        meta["country_iso3"] = iso3_from_names(meta["country"])

        tasks = [c for c in raw.columns if c.lower() not in PEMA_META]
        # numpy rather than melt: 160 string columns melt slowly; keep non-empty, non-0 cells
        values = np.char.strip(raw[tasks].to_numpy(dtype=str))
        row, col = np.nonzero((values != "") & (values != "0"))
        long = keys.iloc[row].reset_index(drop=True)
        long["variable"] = pd.array(np.asarray(tasks)[col], dtype="string")
        long["cell_text"] = pd.array(values[row, col], dtype="string")
        canonical = {task: spelling.get(task.lower(), task) for task in tasks}
        long["task"] = long["variable"].map(canonical).astype("string")
        parts = long["task"].str.split("_", n=1, expand=True).reindex(columns=[0, 1])
        long["stem"], long["modality"] = parts[0], parts[1]
        # website_v4: "Mandated in previous resolution in S/RES/797 paragraph(s) 2"
        spelled = long["cell_text"].str.extract(_SPELLED_OUT)
        website_style = long["cell_text"].str.startswith("Mandated")
        malformed = website_style & spelled[0].isna()
        inherited = spelled[0].map({"previous": True, "current": False}).astype("boolean")
        long["inherited"] = inherited.fillna(False).mask(malformed)
        long["source_resolution"] = (
            pd.to_numeric(spelled[1]).astype("Int64").fillna(long["resolution"].mask(website_style))
        )
        long["paragraphs"] = spelled[2].fillna(long["cell_text"]).astype("string")
    if malformed.any():
        logger.warning("%s: %d spelled-out cells not understood", path, malformed.sum())
    issues = pd.DataFrame(alias_issues(f"pema ({release})", raw[lower["namepko"]]))
    return meta, long, issues.reindex(columns=ISSUE_COLUMNS)


def load_pema(data_dir: Path) -> dict[str, pd.DataFrame]:
    """Load the three PEMA releases (34 development missions) in long form."""
    paths = {release: require(data_dir, rel) for release, rel in PEMA_FILES.items()}
    # Capitalised spellings of task names, to restore them in website_v4's lower-case columns.
    spelling: dict[str, str] = {}
    for release in ("pema_feb22_v1.2", "pema_raw_v2"):  # raw_v2 wins where both spell a task
        header = read_csv(paths[release], nrows=0).columns
        spelling |= {column.lower(): column for column in header}
    metas, codes, issues = zip(
        *(pema_release(release, path, spelling) for release, path in paths.items()), strict=True
    )
    columns = [
        "release",
        "resolution",
        "year",
        "mission",
        "variable",
        "task",
        "stem",
        "modality",
        "paragraphs",
        "cell_text",
        "inherited",
        "source_resolution",
    ]
    meta_columns = [
        "release",
        "resolution",
        "year",
        "date",
        "mission",
        "country",
        "country_iso3",
        "mandate_renewal",
        "mandate_minor_adjustment",
        "mandate_complete_adjustment",
        "comments",
    ]
    return {
        "pema_codes": pd.concat(codes, ignore_index=True)[columns],
        "pema_resolutions": pd.concat(metas, ignore_index=True)[meta_columns],
        "data_issues": pd.concat(issues, ignore_index=True).astype("string"),
    }


SOURCES: list[Source] = [
    Source(
        "dpa2010",
        "DPA Security Council Practices branch: mandate components of 24 missions, July 2010",
        (DPA_FILE,),
        load_dpa2010,
        ("dpa2010_missions", "dpa2010_components"),
    ),
    Source(
        "mandate_registry",
        "UN Mandate Registry: mandates behind the 2026 peacekeeping and 2027 programme budgets",
        tuple(REGISTRY_FILES.values()),
        load_mandate_registry,
        tuple(REGISTRY_FILES),
    ),
    Source(
        "pema",
        "PEMA hand codes of peacekeeping mandates, three releases (34 development missions)",
        tuple(PEMA_FILES.values()),
        load_pema,
        ("pema_codes", "pema_resolutions", "data_issues"),
    ),
]
