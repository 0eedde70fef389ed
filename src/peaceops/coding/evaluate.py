"""Evaluate the mandate coder against expert codes: PEMA files and the DPA 2010 matrix.

Data flow: gold comes from :mod:`peaceops.coding.pema` (any PEMA-format CSV, long form) or the
knowledge base's ``dpa2010_components``. ``evaluate_pema(codes, gold, level=...)`` and
``evaluate_dpa2010(codes, dpa2010_components, crosswalk, mission_resolutions)`` reduce both sides
to sets of units -- (resolution, task), (resolution, task, paragraph number) or (mission, task)
-- and count per task agreement (tp), units only the coder has ("extra", fp) and units only the
gold has ("missed", fn) -> :class:`EvaluationReport`, whose ``disagreements`` hold one row per
fp/fn with the gold's paragraphs and the coder's paragraphs, spans and quotes.
DOCS: docs/evaluation.md
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import re
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from peaceops.coding.pema import (
    DEFAULT_GOLD,
    GOLD_COLUMNS,
    PEMA_RELEASES,
    PEMA_TASKS,
    combined_pema_gold,
    normalise_paragraph,
    pema_as_codes,
    read_pema_gold,
    split_pema_cell,
)
from peaceops.coding.records import designator
from peaceops.coding.taxonomy import TASK_BY_STEM
from peaceops.errors import CodingError
from peaceops.store.outputs import write_output

if TYPE_CHECKING:
    from peaceops.store.database import Database

logger = logging.getLogger(__name__)

__all__ = [
    "DEFAULT_GOLD",
    "DPA2010_LAST_RESOLUTION",
    "GOLD_COLUMNS",
    "LEVELS",
    "PARTIALITY_TASKS",
    "PEMA_RELEASES",
    "PEMA_TASKS",
    "EvaluationReport",
    "combined_pema_gold",
    "dpa_mission_resolutions",
    "evaluate_dpa2010",
    "evaluate_pema",
    "evaluate_stored_dpa2010",
    "evaluate_stored_pema",
    "normalise_paragraph",
    "pema_as_codes",
    "read_pema_gold",
    "split_pema_cell",
]

#: PEMA tasks behind the impartiality index: partial or even-handed in the taxonomy, and
#: StateAuthority (partial when the mission secures it, see peaceops.measures.impartiality).
PARTIALITY_TASKS = tuple(
    t for t in PEMA_TASKS if TASK_BY_STEM[t].partiality != "neutral" or t == "StateAuthority"
)
#: Last resolution adopted before the DPA matrix's date (S/RES/1934, 30 June 2010).
DPA2010_LAST_RESOLUTION = 1934
LEVELS = ("resolution", "paragraph", "modality")
_CODE_FIELDS = ("paragraph", "modality", "start", "end", "quote", "mission")
# fmt: off
_PEMA_REPORT = ["resolution", "mission", "task", "paragraph", "kind", "gold_modalities",
                "gold_paragraphs", "gold_inherited_from", "coder_modalities", "coder_paragraphs",
                "coder_spans", "coder_quotes"]
# fmt: on


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
        scores["partiality_macro_f1"] = self.group_macro_f1(PARTIALITY_TASKS)
        return {
            "level": self.level,
            **{name: None if pd.isna(value) else value for name, value in scores.items()},
            "units": {name: int(value) for name, value in totals.items()},
            "disagreements": len(self.disagreements),
            "notes": list(self.notes),
            "per_task": json.loads(self.per_task.to_json(orient="records")),
        }

    def group_macro_f1(self, tasks: Iterable[str], *, min_support: int = 0) -> float:
        """Macro F1 over ``tasks`` only (those with ``min_support`` gold units; NaN if none)."""
        table = self.per_task[self.per_task["task"].isin(list(tasks))]
        table = table[table["support"] >= min_support]
        return float(table["f1"].mean()) if len(table) else float("nan")

    def disagreements_text(self, path: Path) -> str:
        """The disagreements as CSV, or as a Markdown table if ``path`` ends with .md."""
        frame = self.disagreements
        if Path(path).suffix.lower() != ".md":
            return frame.to_csv(index=False)
        text = frame.astype("string").fillna("")
        text = text.apply(lambda c: c.str.replace(r"\s+", " ", regex=True).str.replace("|", r"\|"))
        lines = ["| " + " | ".join(frame.columns) + " |", "|" + "---|" * len(frame.columns)]
        lines += ["| " + " | ".join(row) + " |" for row in text.itertuples(index=False)]
        return "\n".join(lines) + "\n"

    def write_disagreements(self, path: Path, *, force: bool = False) -> Path:
        """Write :meth:`disagreements_text` to ``path`` (the rule of every output, #27)."""
        return write_output(path, self.disagreements_text(path), force=force)


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
        raise CodingError(f"codes lack the columns {missing}: one row per Code record expected")
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


def _addressed_to_gold(pred: pd.DataFrame, gold: pd.DataFrame) -> pd.Series:
    """False for codes addressed by name to a force the gold does not code in that resolution.

    "Urges Member States to provide support to ECOMOG to enable it to carry out ... the
    disarmament of the Liberian factions" is ECOMOG's task, not UNOMIL's; a code addressed
    generically ("the Mission", NA) counts for every mission. Names are compared as
    :func:`~peaceops.coding.records.designator` writes them ("UNOSOM" for PEMA's "UNOSOM II").
    """
    named_gold = gold[gold["mission"].notna()]
    coded = {
        (int(r), designator(str(m)))
        for r, m in zip(named_gold["resolution"], named_gold["mission"], strict=True)
    }
    named = pred["mission"].astype("string")
    return named.isna() | pd.Series(
        [(int(r), m) in coded for r, m in zip(pred["resolution"], named, strict=True)],
        index=pred.index,
    )


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
        CodingError: for an unknown level, or codes without resolution and task columns.
    """
    if level not in LEVELS:
        raise CodingError(f"level must be one of {LEVELS}, not {level!r}")
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
    pred = pred[_addressed_to_gold(pred, gold)]
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
    # the matrix is a mission's whole mandate, predecessors' included (MONUSCO's holds MONUC's
    # tasks), so the addressee of a code is not used here, unlike evaluate_pema
    unnamed = codes.drop(columns=["mission"], errors="ignore")
    pred = unnamed.merge(pairs[pairs["mission"].isin(components["mission"])], on="resolution")
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


# -- against the knowledge base -----------------------------------------------------------------


def evaluate_stored_pema(
    db: Database, gold: Path, *, level: str = "resolution", leave_out: Iterable[str] = ()
) -> EvaluationReport:
    """Score the codes stored in ``db`` against the PEMA-format file ``gold`` at ``level``.

    ``leave_out`` names missions whose gold rows are not scored (the lockbox of #32: their
    disagreements are never listed); ``notes`` says how many were.

    Raises:
        GoldFormatError: ``gold`` is not a PEMA-format file.
        CodingError: an unknown level.
    """
    gold_codes = read_pema_gold(gold)
    sealed, attrs = gold_codes["mission"].isin(list(leave_out)), gold_codes.attrs
    left = sorted(gold_codes.loc[sealed, "mission"].unique())
    gold_codes = gold_codes[~sealed]
    gold_codes.attrs = attrs
    codes = db.execute("SELECT * FROM codes")
    paragraphs = db.execute(
        'SELECT p.*, substr(r.text, p.start + 1, p."end" - p.start) AS text '
        "FROM paragraphs p JOIN resolutions r ON r.number = p.resolution"
    )
    report = evaluate_pema(codes, gold_codes, level=level, paragraphs=paragraphs)
    note = f"{len(left)} lockbox missions left out ({', '.join(left)}): they are scored only by "
    note += "`peaceops evaluate --lockbox`, once per release of the coder (#32)"
    return dataclasses.replace(report, notes=(*report.notes, note)) if left else report


def evaluate_stored_dpa2010(db: Database, matrix: Path | None = None) -> EvaluationReport:
    """Score the stored codes against the DPA 2010 matrix (the stored one, or ``matrix``).

    ``matrix`` is the matrix file (``origdata.xls``) or a data directory holding it.
    """
    from peaceops.coding.taxonomy import dpa_crosswalk

    if matrix is None:
        components = db.execute("SELECT * FROM dpa2010_components")
    else:
        from peaceops.sources.mandates import load_dpa2010

        with _dpa_dir(Path(matrix)) as folder:
            components = load_dpa2010(folder)["dpa2010_components"]
    codes = db.execute("SELECT * FROM codes")
    return evaluate_dpa2010(codes, components, dpa_crosswalk(), dpa_mission_resolutions(db))


@contextlib.contextmanager
def _dpa_dir(path: Path) -> Iterator[Path]:
    """A data directory holding the matrix file under mandates/dpa-2010/origdata.xls."""
    if path.is_dir():
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="peaceops-dpa-") as tmp:
        folder = Path(tmp)
        (folder / "mandates/dpa-2010").mkdir(parents=True)
        (folder / "mandates/dpa-2010/origdata.xls").symlink_to(path.resolve())
        yield folder
