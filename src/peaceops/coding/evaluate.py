"""Evaluate the mandate coder against expert codes: PEMA files and the DPA 2010 matrix.

Data flow: ``read_pema_gold`` reads any PEMA-format CSV with the knowledge base's parser
(:mod:`peaceops.sources.mandates`), spells task stems as raw_v2 does and splits each cell into
normalised paragraph labels -> gold (long form). ``evaluate_pema(codes, gold, level=...)`` and
``evaluate_dpa2010(codes, dpa2010_components, crosswalk, mission_resolutions)`` reduce both sides
to sets of units -- (resolution, task), (resolution, task, paragraph number) or (mission, task)
-- and count per task agreement (tp), units only the coder has ("extra", fp) and units only the
gold has ("missed", fn) -> :class:`EvaluationReport`, whose ``disagreements`` hold one row per
fp/fn with the gold's paragraphs and the coder's paragraphs, spans and quotes.
DOCS: docs/evaluation.md
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from peaceops.coding.records import MODALITIES
from peaceops.coding.taxonomy import PEMA_STEMS
from peaceops.sources.base import SourceError
from peaceops.sources.mandates import _PEMA_META, _pema_release

if TYPE_CHECKING:
    from peaceops.store.database import Database

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
_PEMA_REPORT = ["resolution", "mission", "task", "paragraph", "kind", "gold_modalities",
                "gold_paragraphs", "gold_inherited_from", "coder_modalities", "coder_paragraphs",
                "coder_spans", "coder_quotes"]
# fmt: on
#: PEMA's 41 task stems in the raw_v2 spelling (one list: the taxonomy's).
PEMA_TASKS = PEMA_STEMS
#: Other releases' spellings of a stem -> the raw_v2 spelling.
STEM_ALIASES = {"RefugeesIDPs": "RefugeeIDPs", "PartyAssistance": "PolPartyAssist"}
#: Last resolution adopted before the DPA matrix's date (S/RES/1934, 30 June 2010).
DPA2010_LAST_RESOLUTION = 1934
LEVELS = ("resolution", "paragraph", "modality")

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
_CODE_FIELDS = ("paragraph", "modality", "start", "end", "quote")
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


class PemaFormatError(SourceError, ValueError):
    """A gold file is not in PEMA's format; the message names the file and the fix."""


def _detect_release(path: Path, columns: list[str]) -> str:
    """Name the release whose layout ``columns`` follow; ``"pema"`` for other PEMA files."""
    tasks = [c for c in columns if c.lower() in _SPELLING]
    if not tasks:
        raise PemaFormatError(path, "not PEMA-shaped: no <Task>_<Modality> columns", hint=_HINT)
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
        PemaFormatError: (a ``ValueError``) naming the file, when it is not PEMA-shaped.
    """
    path = Path(path)
    try:
        columns = list(pd.read_csv(path, nrows=0, dtype=str).columns)
        release = _detect_release(path, columns)
        meta, long, _ = _pema_release(release, path, _SPELLING)
    except PemaFormatError:
        raise
    except SourceError as exc:
        raise PemaFormatError(path, exc.problem, hint=_HINT) from exc
    except (ValueError, UnicodeDecodeError, OSError) as exc:  # reading the header
        raise PemaFormatError(path, f"cannot be read as CSV ({exc})", hint=_HINT) from exc
    ignored = [c for c in columns if c.lower() not in _SPELLING and c.lower() not in _PEMA_META]
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


@dataclass(frozen=True, eq=False)
class EvaluationReport:
    """Agreement between the coder and a gold standard at one level.

    Attributes:
        level: ``"resolution"``, ``"paragraph"`` or ``"dpa2010"``.
        per_task: task, tp, fp, fn, precision, recall, f1, support (gold units); at the
            paragraph level also exact_tp, exact_fp, exact_fn, exact_f1 (exact labels).
        macro_f1: mean F1 over tasks with units in the gold or the predictions (NaN if none).
        micro_f1: F1 of the pooled counts (NaN if there are no units at all).
        disagreements: one row per fp ("extra") or fn ("missed") unit, with the evidence.
        exact_macro_f1: paragraph level only: macro F1 on exact labels (``12(b)``).
        exact_micro_f1: paragraph level only: micro F1 on exact labels.
        notes: what was left out of the scope, and why.
    """

    level: str
    per_task: pd.DataFrame
    macro_f1: float
    micro_f1: float
    disagreements: pd.DataFrame
    exact_macro_f1: float | None = None
    exact_micro_f1: float | None = None
    notes: tuple[str, ...] = ()

    def to_json(self) -> dict:
        """Return a JSON-ready summary with the per-task table (NaN becomes None)."""
        names = ("macro_f1", "micro_f1", "exact_macro_f1", "exact_micro_f1")
        scores = {name: getattr(self, name) for name in names}
        totals = self.per_task[["tp", "fp", "fn"]].sum()
        return {
            "level": self.level,
            **{name: None if pd.isna(value) else value for name, value in scores.items()},
            "units": {name: int(value) for name, value in totals.items()},
            "disagreements": len(self.disagreements),
            "notes": list(self.notes),
            "per_task": json.loads(self.per_task.to_json(orient="records")),
        }

    def write_disagreements(self, path: Path) -> None:
        """Write the disagreements as CSV, or as a Markdown table if ``path`` ends with .md."""
        path, frame = Path(path), self.disagreements
        if path.suffix.lower() != ".md":
            frame.to_csv(path, index=False)
            return
        text = frame.astype("string").fillna("")
        text = text.apply(lambda c: c.str.replace(r"\s+", " ", regex=True).str.replace("|", r"\|"))
        lines = ["| " + " | ".join(frame.columns) + " |", "|" + "---|" * len(frame.columns)]
        lines += ["| " + " | ".join(row) + " |" for row in text.itertuples(index=False)]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _compare(gold: pd.DataFrame, pred: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Outer-join the two unit sets; ``kind`` is tp, missed (fn) or extra (fp)."""
    gold, pred = gold[keys].drop_duplicates(), pred[keys].drop_duplicates()
    units = gold.merge(pred, how="outer", indicator=True)
    kinds = {"both": "tp", "left_only": "missed", "right_only": "extra"}
    return units.assign(kind=units.pop("_merge").map(kinds).astype(str))


def _scores(units: pd.DataFrame) -> tuple[pd.DataFrame, float, float]:
    """Per-task counts and scores, macro F1 and micro F1 of compared units."""
    counts = pd.crosstab(units["task"], units["kind"]).reindex(columns=["tp", "extra", "missed"])
    table = counts.fillna(0).astype("int64").set_axis(["tp", "fp", "fn"], axis=1)
    tp, fp, fn = table["tp"], table["fp"], table["fn"]
    precision, recall = (tp / (tp + fp)).fillna(0.0), (tp / (tp + fn)).fillna(0.0)
    f1 = (2 * precision * recall / (precision + recall)).fillna(0.0)
    table = table.assign(precision=precision, recall=recall, f1=f1, support=tp + fn)
    table = table.rename_axis(index="task", columns=None).reset_index().sort_values("task")
    pooled = 2 * tp.sum() + fp.sum() + fn.sum()
    micro = float(2 * tp.sum() / pooled) if pooled else float("nan")
    macro = float(table["f1"].mean()) if len(table) else float("nan")
    return table.reset_index(drop=True), macro, micro


def _join(values: pd.Series, sep: str = ", ") -> str:
    return sep.join(dict.fromkeys(values.dropna().astype(str)))


def _ordered(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Sort so that joined evidence does not depend on row order; 9 comes before 12(b)."""
    columns = list(dict.fromkeys(columns))
    padded = (
        frame[columns]
        .astype("string")
        .apply(lambda column: column.str.replace(r"\d+", lambda m: m[0].zfill(12), regex=True))
    )
    return frame.loc[padded.sort_values(columns).index]


def _evidence(pred: pd.DataFrame, keys: list[str], *, cite: bool = False) -> pd.DataFrame:
    """The coder's modalities, paragraphs, spans and quotes, joined per unit."""
    pred = _ordered(pred, [*keys, "resolution", "paragraph", "start", "end", "modality", "quote"])
    prefix = pred["resolution"].astype(str) + " " if cite else ""
    spans = prefix + pred["start"].astype("string") + "-" + pred["end"].astype("string")
    frame = pred[keys].assign(
        coder_modalities=pred["modality"],
        coder_paragraphs=prefix + pred["paragraph"].astype("string"),
        coder_spans=spans,
    )
    quotes = pred.groupby(keys)["quote"].agg(_join, sep=" | ")
    return frame.groupby(keys).agg(_join).assign(coder_quotes=quotes).reset_index()


def _prepare_codes(codes: pd.DataFrame) -> pd.DataFrame:
    """Check the codes, add missing optional columns and normalise their paragraph labels."""
    missing = [c for c in ("resolution", "task") if c not in codes.columns]
    if missing:
        raise ValueError(f"codes lack the columns {missing}: one row per Code record expected")
    codes = codes.reindex(columns=list(dict.fromkeys([*codes.columns, *_CODE_FIELDS])))
    normal = {}
    for label in codes["paragraph"].dropna().astype(str).unique():
        try:
            # "7(a)-2": the segmenter's second paragraph labelled 7(a) (markers out of sequence)
            normal[label] = normalise_paragraph(re.sub(r"-\d+$", "", label))
        except ValueError:
            logger.warning("coder paragraph %r is no label; left out of paragraph units", label)
    paragraph = codes["paragraph"].map(normal, na_action="ignore").astype("string")
    return codes.assign(paragraph=paragraph, resolution=codes["resolution"].astype("int64"))


def evaluate_pema(
    codes: pd.DataFrame,
    gold: pd.DataFrame,
    *,
    level: str = "resolution",
    tasks: Iterable[str] | None = None,
    paragraphs: pd.DataFrame | None = None,
    texts: Iterable[int] | None = None,
) -> EvaluationReport:
    """Compare codes with PEMA gold (:func:`read_pema_gold`) on the gold's resolutions.

    Args:
        codes: one row per code (the :class:`~peaceops.coding.records.Code` fields; at least
            ``resolution``, ``task`` and, for the paragraph level, ``paragraph``).
        gold: the gold frame; inherited (website_v4 "previous resolution") cells are left out.
        level: ``"resolution"`` (unit: resolution x task, any modality), ``"paragraph"``
            (unit: resolution x task x top-level paragraph; exact labels reported as well) or
            ``"modality"`` (unit: resolution x task x modality).
        tasks: the tasks to score; default ``gold.attrs["tasks"]`` (the file's columns), else
            :data:`PEMA_TASKS`.
        paragraphs: segmented paragraphs (resolution, label, start, end, text), to add the
            gold paragraphs' spans and texts to the disagreements.
        texts: the resolutions whose text the coder read; gold resolutions outside them are
            left out of the scope and named in ``notes`` (a coder cannot read a text the store
            does not have). Default: the resolutions of ``paragraphs`` when it is given, else
            every gold resolution.

    Raises:
        ValueError: for an unknown level, or codes without resolution and task columns.
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
    scope = list(tasks or gold.attrs.get("tasks") or PEMA_TASKS)
    codes, notes = _prepare_codes(codes), []
    if texts is None and paragraphs is not None:
        texts = paragraphs["resolution"]
    if texts is not None:
        gold, unread = _with_text(gold, texts)
        if unread:
            notes.append(
                f"{len(unread)} gold resolutions have no text to code and are left out: "
                + ", ".join(f"S/RES/{n}" for n in unread)
            )
    pred = codes[codes["resolution"].isin(gold["resolution"]) & codes["task"].isin(scope)]
    own = gold[gold["task"].isin(scope) & ~gold["inherited"].astype(bool)]
    keys, exact = ["resolution", "task"], (None, None, None)
    if level == "paragraph":
        # a pair whose gold cites only another document's paragraphs (or none) has no
        # paragraph units: it is left out on both sides, not scored as the coder's "extra"
        cited = own[own["paragraph"].notna() & own["document"].isna()]
        pairs = (
            own[keys]
            .drop_duplicates()
            .merge(cited[keys].drop_duplicates(), indicator=True, how="left")
        )
        dropped = pairs.loc[pairs["_merge"] == "left_only", keys]
        if len(dropped):
            notes.append(
                f"{len(dropped)} gold (resolution, task) pairs cite no paragraph of "
                "the resolution itself: left out at the paragraph level"
            )
        pred = pred[pred["paragraph"].notna()].merge(dropped, how="left", indicator=True)
        pred = pred[pred.pop("_merge") == "left_only"]
        own, pred = (
            f.assign(number=f["paragraph"].str.extract(r"^(p?\d+)")[0]) for f in (cited, pred)
        )
        exact = _scores(_compare(own, pred, [*keys, "paragraph"]))
        keys = [*keys, "number"]
    elif level == "modality":
        # a unit is (resolution, task, modality): PEMA's Monitor / Assist / Security /
        # Encouraged, several per task when the resolution gives several
        own, pred = (f.assign(unit_modality=f["modality"]) for f in (own, pred))
        keys = [*keys, "unit_modality"]
    units = _compare(own, pred, keys)
    per_task, macro, micro = _scores(units)
    if exact[0] is not None:
        columns = exact[0].set_index("task")[["tp", "fp", "fn", "f1"]].add_prefix("exact_")
        per_task = per_task.join(columns, on="task")
    wrong = units[units["kind"] != "tp"]
    own, pred = (frame.merge(wrong[keys], on=keys) for frame in (own, pred))  # evidence needed
    own = _ordered(own, [*keys, "paragraph", "document", "modality"])
    cited = own["paragraph"].fillna("?") + (" (" + own["document"] + ")").fillna("")
    gold_side = (
        own.assign(gold_paragraphs=cited)
        .groupby(keys)
        .agg(gold_modalities=("modality", _join), gold_paragraphs=("gold_paragraphs", _join))
    )
    inherited = gold[gold["inherited"].astype(bool)].merge(wrong[["resolution", "task"]])
    gold_from = inherited.groupby(["resolution", "task"])["source_resolution"].agg(_join)
    report = (
        wrong.join(gold_side, on=keys)
        .join(gold_from.rename("gold_inherited_from"), on=["resolution", "task"])
        .merge(_evidence(pred, keys), on=keys, how="left")
    )
    report["mission"] = report["resolution"].map(gold.groupby("resolution")["mission"].agg(_join))
    columns = _PEMA_REPORT
    if paragraphs is not None:
        report = report.merge(_gold_spans(own, paragraphs, keys), on=keys, how="left")
        columns = [*columns, "gold_spans", "gold_text"]
    if level == "modality":
        columns = [*columns[:4], "modality", *columns[4:]]
    report = report.sort_values([*keys, "kind"])
    report = report.rename(columns={"number": "paragraph", "unit_modality": "modality"})
    report = report.reindex(columns=columns).reset_index(drop=True)
    return EvaluationReport(level, per_task, macro, micro, report, *exact[1:], tuple(notes))


#: The two halves of the held-out protocol (docs/evaluation.md), in split order.
HALVES = ("development", "held-out")


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


def split_halves(gold: pd.DataFrame) -> dict[str, list[str]]:
    """The gold's missions, sorted by name, alternating between :data:`HALVES`.

    The first mission goes to the development half. The split depends on the mission names
    only, so it is fixed before any rule is changed and the same for every coder.
    """
    missions = sorted(gold["mission"].dropna().unique())
    return {half: missions[i :: len(HALVES)] for i, half in enumerate(HALVES)}


def evaluate_halves(
    codes: pd.DataFrame,
    gold: pd.DataFrame,
    *,
    texts: Iterable[int] | None = None,
    level: str = "resolution",
) -> dict[str, EvaluationReport]:
    """Score the coder on each half of :func:`split_halves` and on all missions.

    All :data:`PEMA_TASKS` are scored, at the resolution-task level unless ``level`` says
    otherwise, as in docs/evaluation.md. Returns ``{"development": ..., "held-out": ...,
    "all": ...}``.
    """
    texts = None if texts is None else list(texts)
    halves = split_halves(gold)
    scopes = {**halves, "all": [m for half in halves.values() for m in half]}
    return {
        name: evaluate_pema(
            codes, gold[gold["mission"].isin(missions)], level=level, tasks=PEMA_TASKS, texts=texts
        )
        for name, missions in scopes.items()
    }


def _with_text(gold: pd.DataFrame, texts: Iterable[int]) -> tuple[pd.DataFrame, list[int]]:
    """The gold rows of resolutions in ``texts``, and the numbers of the others (sorted)."""
    readable = {int(n) for n in texts}
    unread = sorted({int(n) for n in gold["resolution"]} - readable)
    return gold[gold["resolution"].isin(readable)], unread


def _gold_spans(own: pd.DataFrame, paragraphs: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Spans and texts of the gold paragraphs in a segmentation, joined per unit."""
    segments = paragraphs[["resolution", "label", "start", "end", "text"]]
    found = own.merge(
        segments, left_on=["resolution", "paragraph"], right_on=["resolution", "label"]
    )
    spans = found["paragraph"] + " " + found["start"].astype(str) + "-" + found["end"].astype(str)
    found = found.assign(gold_spans=spans, gold_text=found["text"].astype(str)).groupby(keys)
    texts = found["gold_text"].agg(_join, sep=" | ")
    return found["gold_spans"].agg(_join).to_frame().assign(gold_text=texts).reset_index()


def evaluate_dpa2010(
    codes: pd.DataFrame,
    components: pd.DataFrame,
    crosswalk: Mapping[str, str],
    mission_resolutions: Mapping[str, Iterable[int]],
    *,
    until: int = DPA2010_LAST_RESOLUTION,
) -> EvaluationReport:
    """Compare codes with the DPA mandate matrix of July 2010 at the (mission, task) level.

    Args:
        codes: one row per code (Code fields).
        components: ``dpa2010_components`` (mission, component_group, component, cell_text).
        crosswalk: component -> task stem; a key is a component (``"DDR"``) or a group and a
            component (``"SSR / Police"``), the latter taking precedence. Unmapped components
            are not scored, nor are cells reading "No".
        mission_resolutions: mission -> resolution numbers (registry ``mission_resolutions``);
            the coder side of a mission is the union of the codes of those up to ``until``.
        until: last resolution number counted (default: S/RES/1934 of 30 June 2010).
    """
    codes, crosswalk = _prepare_codes(codes), dict(crosswalk)
    qualified = components["component_group"].astype("string") + " / " + components["component"]
    task = qualified.map(crosswalk).fillna(components["component"].map(crosswalk))
    absent = components["cell_text"].astype(str).str.match(r"(?i)\s*no\b")
    gold = components.assign(task=task.astype("string"))[task.notna() & ~absent]
    pairs = pd.DataFrame(
        [(m, int(r)) for m, numbers in mission_resolutions.items() for r in numbers if r <= until],
        columns=["mission", "resolution"],
    )
    skipped = sorted(set(components["mission"]) - set(pairs["mission"]))
    gold = gold[~gold["mission"].isin(skipped)]
    pred = codes.merge(pairs[pairs["mission"].isin(components["mission"])], on="resolution")
    pred = pred[pred["task"].isin(list(crosswalk.values()))]
    keys = ["mission", "task"]
    units = _compare(gold, pred, keys)
    per_task, macro, micro = _scores(units)
    wrong = units[units["kind"] != "tp"]
    cells = gold.merge(wrong[keys], on=keys)
    cells = cells.assign(gold_components=cells["component"] + ": " + cells["cell_text"].astype(str))
    report = (
        wrong.join(cells.groupby(keys)["gold_components"].agg(_join, sep=" | "), on=keys)
        .merge(_evidence(pred.merge(wrong[keys], on=keys), keys, cite=True), on=keys, how="left")
        .sort_values([*keys, "kind"], ignore_index=True)
    )
    note = f"missions with no resolution up to S/RES/{until}, left out: {', '.join(skipped)}"
    return EvaluationReport(
        "dpa2010", per_task, macro, micro, report, notes=(note,) * bool(skipped)
    )


def dpa_mission_resolutions(db: Database, *, until: int = DPA2010_LAST_RESOLUTION) -> dict:
    """Resolutions whose tasks were in force for each DPA 2010 mission on 2 July 2010.

    From the mandate inheritance of the knowledge base: the state of each mission after its
    last resolution up to ``until``, and the resolutions that last stated each task in it;
    plus the resolutions the matrix itself cites as the mandate's sources.
    """
    rows = db.rows(
        "WITH last AS (SELECT mission, max(resolution) AS resolution FROM mandate_inheritance "
        "WHERE resolution <= ? GROUP BY mission) "
        "SELECT m.mission, m.source_resolution FROM mandate_inheritance m JOIN last USING "
        "(mission, resolution) WHERE m.status <> 'dropped' AND m.source_resolution IS NOT NULL",
        [until],
    )
    mapping: dict[str, set[int]] = {}
    for row in rows:
        mapping.setdefault(row["mission"], set()).add(int(row["source_resolution"]))
    for row in db.rows("SELECT mission, mandate_resolutions FROM dpa2010_missions"):
        cited = [int(n) for n in (row["mandate_resolutions"] or []) if int(n) <= until]
        mapping.setdefault(row["mission"], set()).update(cited)
    return mapping
