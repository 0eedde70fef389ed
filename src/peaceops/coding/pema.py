"""Read expert mandate codes in PEMA's format into one long form, whatever the release.

Data flow: :func:`read_pema_gold` reads any PEMA-format CSV with the knowledge base's parser
(:func:`peaceops.sources.mandates.pema_release`), spells task stems as raw_v2 does and splits
each cell into normalised paragraph labels (:func:`split_pema_cell`,
:func:`normalise_paragraph`) -> gold in long form (:data:`GOLD_COLUMNS`). :func:`pema_as_codes`
turns gold into codes (to compare releases with each other); :func:`combined_pema_gold` is the
gold of the held-out protocol. The scoring itself is in :mod:`peaceops.coding.evaluate`.
DOCS: docs/evaluation.md
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pandas as pd

from peaceops.coding.records import MODALITIES
from peaceops.coding.taxonomy import PEMA_STEMS
from peaceops.errors import GoldFormatError, SourceError
from peaceops.sources.mandates import PEMA_META, pema_release

__all__ = [
    "DEFAULT_GOLD",
    "GOLD_COLUMNS",
    "PEMA_RELEASES",
    "PEMA_TASKS",
    "STEM_ALIASES",
    "combined_pema_gold",
    "normalise_paragraph",
    "pema_as_codes",
    "read_pema_gold",
    "split_pema_cell",
]

logger = logging.getLogger(__name__)

#: File name -> release id (as in the knowledge base's ``pema_codes.release``).
PEMA_RELEASES = {
    "pema_raw_v2_dev.csv": "pema_raw_v2",
    "pema_feb22_v1.2_dev.csv": "pema_feb22_v1.2",
    "pema_website_v4_dev.csv": "pema_website_v4",
}
#: The release used as gold by default: the published one (see docs/evaluation.md).
DEFAULT_GOLD = "pema_feb22_v1.2_dev.csv"
# fmt: off
GOLD_COLUMNS = ["release", "mission", "resolution", "year", "task", "modality", "paragraph",
                "document", "inherited", "source_resolution", "cell_text"]
# fmt: on
#: PEMA's 41 task stems in the raw_v2 spelling (one list: the taxonomy's).
PEMA_TASKS = PEMA_STEMS
#: Other releases' spellings of a stem -> the raw_v2 spelling.
STEM_ALIASES = {"RefugeesIDPs": "RefugeeIDPs", "PartyAssistance": "PolPartyAssist"}

# lower-case column name -> canonical "<Stem>_<Modality>"; v1.2's bare UseOfForce column is
# raw_v2's UseOfForce_Security (the mission itself is authorised to use force)
_SPELLING = {
    f"{stem}_{modality}".lower(): f"{STEM_ALIASES.get(stem, stem)}_{modality}"
    for stem in (*PEMA_TASKS, *STEM_ALIASES)
    for modality in MODALITIES
} | {"useofforce": "UseOfForce_Security"}
_ROMAN = re.compile(r"x{0,3}(?:ix|iv|v?i{0,3})")
_LABEL = re.compile(r"(?P<pre>pp?\.?\s*)?(?P<number>\d+)(?P<rest>[a-z().\s]*)")
_PREFIX = re.compile(r"^(?:op|para(?:graph)?s?\.?|par\.)\s*")
_EXCEL_TIME = re.compile(r"(?i)^(\d{1,2}):00(?::00)?\s*([ap])\.?m\.?$")  # "3 a" read as 3 AM
_COMMENT = re.compile(r"\((?!\s*S/)[^)]*\w\s+\w[^)]*\)")  # "(refers to peace agreement)"
_PIECES = re.compile(r"(;|\+|\(\s*S/[^)]*\))")
_NUMBER = re.compile(r"^p?\d+")
_HINT = (
    "Pass a PEMA-format CSV: Signature (S/RES/n), NamePKO, Year, a date column (Date2, Date or "
    "date) and <Task>_<Modality> columns whose cells list paragraphs (see docs/evaluation.md)."
)


def normalise_paragraph(label: str) -> str:
    """Return a paragraph label in the segmenter's style: ``"12(b)(i)"``, ``"12"``, ``"p3"``.

    ``"12b"``, ``"12 (b)"``, ``"12 b"``, ``"12B"`` -> ``"12(b)"``; ``"12a(i)"`` -> ``"12(a)(i)"``;
    ``"3ci"`` -> ``"3(c)(i)"``; ``"7 II c)"`` -> ``"7(ii)(c)"``; ``"OP12"``, ``"para. 12"`` ->
    ``"12"``; preamble ``"p.3"``, ``"PP3"`` -> ``"p3"``. A run of letters is one marker when it is
    a single letter or a roman numeral, else a letter followed by a roman numeral.

    Raises:
        ValueError: if ``label`` is not a paragraph label.
    """
    match = _LABEL.fullmatch(_PREFIX.sub("", str(label).strip().lower()))
    if match is None:
        raise ValueError(f"not a paragraph label: {label!r}")
    markers = []
    for run in re.findall(r"[a-z]+", match["rest"]):
        if len(run) == 1 or _ROMAN.fullmatch(run):
            markers.append(run)
        elif _ROMAN.fullmatch(run[1:]):
            markers += [run[0], run[1:]]
        else:
            raise ValueError(f"not a paragraph label: {label!r} ({run!r} is no sub-paragraph)")
    prefix = "p" if match["pre"] else ""
    return prefix + str(int(match["number"])) + "".join(f"({m})" for m in markers)


def split_pema_cell(text: str) -> list[tuple[str | None, str | None]]:
    """Split a PEMA cell into ``(label, document)`` pairs, in order.

    ``document`` is the symbol of another document whose paragraph is cited
    (``"67 (S/24578)"``), else None. The symbol applies to the token just before it, or to
    every token after a ``+`` / "referring to" (``"4 + 9, 31 (S/24800)"``: 4 is the
    resolution's, 9 and 31 the report's). A bare letter continues the previous number
    (``"20 a, b"`` -> 20(a), 20(b)); Excel's times are undone (``"3:00 AM"`` -> 3(a)); ``?`` and
    comments are dropped. A token that is no label gives ``(None, None)``.
    """
    text = re.sub(r"(?i)\breferring to\b", "+", _COMMENT.sub(" ", str(text)).replace("?", " "))
    found: list[list[str | None]] = []
    pending: list[list[str | None]] = []
    after_plus, number = False, None
    for piece in _PIECES.split(text):
        if piece in (";", "+"):
            pending, after_plus = [], piece == "+"
        elif piece.startswith("("):
            for entry in pending if after_plus else pending[-1:]:
                entry[1] = re.sub(r"\s+", "", piece[1:-1])
            pending, after_plus = [], False
        else:
            for raw in piece.split(","):
                token = _EXCEL_TIME.sub(lambda m: m[1] + m[2].lower(), raw.strip())
                if number and re.fullmatch(r"[A-Za-z]+\)?", token):
                    token = f"{number} {token}"
                try:
                    label = normalise_paragraph(token) if token else None
                except ValueError:
                    label = None
                if label:
                    number = _NUMBER.match(label)[0]
                if token:
                    found.append([label, None])
                    pending.append(found[-1])
    return [(label, document) for label, document in found]


def _detect_release(path: Path, columns: list[str]) -> str:
    """Name the release whose layout ``columns`` follow; ``"pema"`` for other PEMA files."""
    tasks = [c for c in columns if c.lower() in _SPELLING]
    if not tasks:
        raise GoldFormatError(path, "not PEMA-shaped: no <Task>_<Modality> columns", hint=_HINT)
    if all(c == c.lower() for c in tasks):
        return "pema_website_v4"
    if "UseOfForce" in tasks or any(c.split("_")[0] in STEM_ALIASES for c in tasks):
        return "pema_feb22_v1.2"
    return "pema_raw_v2" if {"Date2", "Comments"} & set(columns) else "pema"


def read_pema_gold(path: Path) -> pd.DataFrame:
    """Read a PEMA-format file into long form: one row per paragraph of each coded cell.

    Columns are :data:`GOLD_COLUMNS`: ``task`` is the raw_v2 stem, ``paragraph`` a normalised
    label (NA when the cell gives none), ``document`` the symbol when the paragraph is another
    document's, ``inherited`` marks website_v4 "previous resolution" cells. A resolution row
    with no coded cell appears once with ``task`` NA, so that it stays in scope. ``attrs``
    holds ``release`` (detected from the columns), ``rows`` (data rows) and ``tasks`` (stems
    the file has columns for).

    Raises:
        GoldFormatError: naming the file, when it is not PEMA-shaped.
    """
    path = Path(path)
    try:
        columns = list(pd.read_csv(path, nrows=0, dtype=str).columns)
        release = _detect_release(path, columns)
        meta, long, _ = pema_release(release, path, _SPELLING)
    except GoldFormatError:
        raise
    except SourceError as exc:
        raise GoldFormatError(path, exc.problem, hint=_HINT) from exc
    except (ValueError, UnicodeDecodeError, OSError) as exc:  # reading the header
        raise GoldFormatError(path, f"cannot be read as CSV ({exc})", hint=_HINT) from exc
    ignored = [c for c in columns if c.lower() not in _SPELLING and c.lower() not in PEMA_META]
    if ignored:
        logger.warning("%s: columns %s are not PEMA task columns; ignored", path, ignored)
    if repeated := meta.duplicated(["mission", "resolution"]).sum():
        logger.warning("%s: %d repeated resolution rows; their cells are merged", path, repeated)
    long = long[long["task"].isin(list(_SPELLING.values()))].reset_index(drop=True)
    cells = long["paragraphs"].astype(str)
    parsed = {cell: split_pema_cell(cell) or [(None, None)] for cell in cells.unique()}
    long = long.assign(pair=cells.map(parsed)).explode("pair", ignore_index=True)
    pairs = pd.DataFrame(long["pair"].tolist(), columns=["paragraph", "document"])
    unread = long["paragraphs"][pairs["paragraph"].isna() & long["paragraphs"].str.contains(r"\d")]
    if len(unread):
        logger.warning("%s: %d tokens are no paragraph, e.g. %r", path, len(unread), unread.iloc[0])
    gold = long.assign(
        task=long["stem"],
        paragraph=pairs["paragraph"].astype("string"),
        document=pairs["document"].astype("string"),
        inherited=long["inherited"].fillna(False).astype(bool),
    )
    keys = ["mission", "resolution"]
    coded = meta[keys].merge(gold[keys].drop_duplicates(), how="left", indicator=True)
    empty = meta[(coded["_merge"] == "left_only").to_numpy()].drop_duplicates(keys)
    gold = pd.concat([gold, empty.assign(inherited=False)], ignore_index=True)
    gold = gold.reindex(columns=GOLD_COLUMNS).astype({"resolution": "int64", "task": "string"})
    gold = gold.sort_values(["resolution", "mission", "task", "modality"], kind="stable")
    gold = gold.reset_index(drop=True)
    tasks = sorted({_SPELLING[c.lower()].split("_")[0] for c in columns if c.lower() in _SPELLING})
    gold.attrs = {"release": release, "rows": len(meta), "tasks": tuple(tasks)}
    return gold


def pema_as_codes(gold: pd.DataFrame, *, coder: str = "pema") -> pd.DataFrame:
    """Turn gold into codes (own cells only), e.g. to compare two releases with each other.

    Paragraphs of other documents become NA: the cell still codes the task.
    """
    own = gold[gold["task"].notna() & ~gold["inherited"]]
    paragraph = own["paragraph"].where(own["document"].isna())
    codes = own[["resolution", "task", "modality"]].assign(paragraph=paragraph, start=pd.NA)
    return codes.assign(end=pd.NA, quote=own["cell_text"], coder=coder).reset_index(drop=True)


def combined_pema_gold(pema_dir: Path) -> pd.DataFrame:
    """The gold of the held-out protocol: v1.2's resolutions, then raw_v2's other ones.

    v1.2 covers the 18 African missions of pema-dev and raw_v2 the other 16 (docs/evaluation.md
    says why). The frame is scored on all :data:`PEMA_TASKS`; ``attrs["release"]`` is
    ``"pema_combined"``.
    """
    pema_dir = Path(pema_dir)
    v12 = read_pema_gold(pema_dir / DEFAULT_GOLD)
    raw = read_pema_gold(pema_dir / "pema_raw_v2_dev.csv")
    combined = pd.concat([v12, raw[~raw["resolution"].isin(v12["resolution"])]], ignore_index=True)
    rows = len(combined.drop_duplicates(["mission", "resolution"]))
    combined.attrs = {"release": "pema_combined", "rows": rows, "tasks": tuple(PEMA_TASKS)}
    return combined
