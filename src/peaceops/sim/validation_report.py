"""The validation report of the simulation: its figures, JSON document and Markdown page.

:class:`ValidationReport` holds what :func:`peaceops.sim.validate.validate` measured: the
patterns on the calibration missions, a calibration table, and every out-of-sample mission
(:class:`OutOfSample`) compared with its recorded end, and how well p_forced_exit separates
the missions the host forced out from those that kept its consent (:func:`auc`, with a
bootstrap interval over missions, :func:`auc_interval`). ``to_dict`` gives the JSON document
of ``peaceops validate sim --json``; ``to_markdown`` the page ``docs/sim-validation.md``. Every
figure in it is simulated (shares of runs), and the page says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from peaceops import __version__
from peaceops.sim.mechanism import MODEL_VERSION
from peaceops.sim.params import PARAMS_VERSION
from peaceops.sim.patterns import PatternResult
from peaceops.sim.patterns import mean_or_none as _mean

#: v2 (#18): the record's ends from ``mission_ends`` (handover for a transition), and the AUC.
VALIDATION_VERSION = "peaceops.sim-validation.v2"
CALIBRATION_MISSIONS = ("MINUSMA", "MONUSCO", "UNAMA")
#: Out of sample, a simulated end "on time" departs within this many months of the record's.
TIMING_TOLERANCE_MONTHS = 24
#: The AUC's bootstrap: resamples, seed (fixed, so the report is reproducible) and level.
AUC_RESAMPLES = 1000
AUC_SEED = 0
AUC_LEVEL = 0.90
#: Below this many forced-out missions the report calls the AUC's evidence thin.
THIN_EVIDENCE = 10


def auc(positives: Sequence[float], negatives: Sequence[float]) -> float | None:
    """Area under the ROC curve: the chance a positive scores above a negative.

    The Mann-Whitney statistic over every (positive, negative) pair divided by the number of
    pairs; a tie counts half. 1 is perfect separation, 0 perfectly reversed, 0.5 no better
    than chance.

    Args:
        positives: the scores of the positive class (here: missions forced out).
        negatives: the scores of the negative class (missions that kept consent).

    Returns:
        The AUC, or None when either class is empty.
    """
    if len(positives) == 0 or len(negatives) == 0:
        return None
    pos = np.asarray(positives, dtype=float)[:, None]
    neg = np.asarray(negatives, dtype=float)[None, :]
    return float(((pos > neg).sum() + 0.5 * (pos == neg).sum()) / (pos.size * neg.size))


def auc_interval(
    positives: Sequence[float],
    negatives: Sequence[float],
    *,
    resamples: int = AUC_RESAMPLES,
    seed: int = AUC_SEED,
    level: float = AUC_LEVEL,
) -> tuple[float, float] | None:
    """Percentile bootstrap interval of :func:`auc` over the scored units (missions).

    Each resample draws, with replacement, as many positives from the positives and as many
    negatives from the negatives as there are (a stratified bootstrap: with a handful of
    positives, a pooled one would often draw none and have no AUC).

    Args:
        positives: the scores of the positive class.
        negatives: the scores of the negative class.
        resamples: the number of bootstrap resamples.
        seed: the seed of the generator (``numpy.random.default_rng``).
        level: the interval's coverage, e.g. 0.9 for the 5th to the 95th percentile.

    Returns:
        (low, high), or None when either class is empty.
    """
    if len(positives) == 0 or len(negatives) == 0:
        return None
    rng = np.random.default_rng(seed)
    pos, neg = np.asarray(positives, dtype=float), np.asarray(negatives, dtype=float)
    values = [
        auc(rng.choice(pos, size=pos.size), rng.choice(neg, size=neg.size))
        for _ in range(resamples)
    ]
    low, high = np.quantile(np.asarray(values, dtype=float), [(1 - level) / 2, (1 + level) / 2])
    return float(low), float(high)


@dataclass
class OutOfSample:
    """One out-of-sample mission: the record and the runs' outcomes.

    Attributes:
        mission: the acronym.
        kind: ``pko`` or ``spm``.
        recorded_end: the end registry's end date (``mission_ends.end_date``; None: still
            deployed).
        recorded_cause: the record's end in the model's terms (``RECORDED_CAUSES`` of
            ``peaceops.sim.validate``): ``forced_exit`` (the host withdrew its consent or
            restricted the mission out), ``handover`` (a transition to a successor),
            ``completed`` (ended otherwise) or ``ongoing``.
        recorded_outcome: the end registry's category (``mission_ends.outcome``).
        host_request: the host's request to withdraw, if the registry has one.
        forced_out: the host forced the mission out or asked it to leave (the AUC's positive
            class); False: it kept the host's consent.
        shares: share of runs by end cause (``END_CAUSES``).
        match: share of runs whose end cause is the recorded one.
        match_timed: share of runs whose end cause is the recorded one and, for a mission that
            ended, whose departure falls within ``TIMING_TOLERANCE_MONTHS`` of the recorded end.
        median_end: the (lower) median departure over runs that ended, if any.
    """

    mission: str
    kind: str
    recorded_end: str | None
    recorded_cause: str
    recorded_outcome: str
    host_request: str | None
    forced_out: bool
    shares: dict[str, float]
    match: float
    match_timed: float
    median_end: str | None


@dataclass
class ValidationReport:
    """Everything ``validate`` measured; ``to_dict`` and ``to_markdown`` render it."""

    seeds: int
    base_seed: int
    patterns: list[PatternResult]
    calibration: dict[str, dict[str, float | str | None]]
    out_of_sample: list[OutOfSample]

    def summary(self) -> dict[str, float | int | None]:
        """Aggregate out-of-sample scores.

        ``brier_forced_exit``: mean squared error of p_forced_exit against the recorded forced
        exit (1/0) over ended missions; ``p_forced_exit_recorded_forced`` and
        ``..._recorded_other``: mean p_forced_exit of missions whose recorded cause is a forced
        exit and of the others; ``recorded_handovers``: missions that ended in a transition;
        ``auc_forced_out``: the AUC (:func:`auc`) of p_forced_exit between missions forced out
        in the record (``OutOfSample.forced_out``: the host withdrew its consent, restricted
        the mission out, or asked it to leave) and the others, which kept the host's consent,
        with ``auc_low`` and ``auc_high`` its bootstrap interval (``AUC_LEVEL``, over
        missions) and ``auc_forced_out_missions`` and ``auc_consent_kept_missions`` the counts;
        ``mean_match``: mean share of runs ending as recorded; ``mean_match_timed``: the same,
        departing within the tolerance of the recorded end.
        """
        missions = self.out_of_sample
        ended = [m for m in missions if m.recorded_cause != "ongoing"]
        forced = [m.shares["forced_exit"] for m in missions if _forced(m)]
        other = [m.shares["forced_exit"] for m in missions if not _forced(m)]
        pushed = [m.shares["forced_exit"] for m in missions if m.forced_out]
        kept = [m.shares["forced_exit"] for m in missions if not m.forced_out]
        interval = auc_interval(pushed, kept)
        return {
            "missions": len(missions),
            "ended": len(ended),
            "recorded_forced_exits": len(forced),
            "recorded_handovers": sum(m.recorded_cause == "handover" for m in missions),
            "brier_forced_exit": _mean(
                (m.shares["forced_exit"] - float(_forced(m))) ** 2 for m in ended
            ),
            "p_forced_exit_recorded_forced": _mean(forced),
            "p_forced_exit_recorded_other": _mean(other),
            "auc_forced_out": auc(pushed, kept),
            "auc_low": interval[0] if interval else None,
            "auc_high": interval[1] if interval else None,
            "auc_level": AUC_LEVEL,
            "auc_resamples": AUC_RESAMPLES,
            "auc_seed": AUC_SEED,
            "auc_forced_out_missions": len(pushed),
            "auc_consent_kept_missions": len(kept),
            "mean_match": _mean(m.match for m in missions),
            "mean_match_timed": _mean(m.match_timed for m in missions),
        }

    def to_dict(self) -> dict:
        """A JSON-ready document."""
        return {
            "validation_version": VALIDATION_VERSION,
            "peaceops_version": __version__,
            "model_version": MODEL_VERSION,
            "params_version": PARAMS_VERSION,
            "seeds": self.seeds,
            "base_seed": self.base_seed,
            "patterns": [
                {
                    "id": r.pattern.id,
                    "mission": r.pattern.mission,
                    "statement": r.pattern.statement,
                    "rule": r.pattern.rule,
                    "share": round(r.share, 4),
                    "holds": r.holds,
                    "figures": {k: _round(v) for k, v in r.figures.items()},
                }
                for r in self.patterns
            ],
            "calibration": {
                m: {k: _round(v) for k, v in row.items()} for m, row in self.calibration.items()
            },
            "out_of_sample": [
                {
                    "mission": m.mission,
                    "kind": m.kind,
                    "recorded_end": m.recorded_end,
                    "recorded_cause": m.recorded_cause,
                    "recorded_outcome": m.recorded_outcome,
                    "host_request": m.host_request,
                    "forced_out": m.forced_out,
                    "shares": {k: round(v, 4) for k, v in m.shares.items()},
                    "match": round(m.match, 4),
                    "match_timed": round(m.match_timed, 4),
                    "median_end": m.median_end,
                }
                for m in self.out_of_sample
            ],
            "out_of_sample_summary": {k: _round(v) for k, v in self.summary().items()},
        }

    def to_markdown(self) -> str:
        """The report as Markdown (``docs/sim-validation.md`` is this, generated)."""
        doc = self.to_dict()
        lines = [
            "# Validation of the mechanism model",
            "",
            "Generated by `peaceops validate sim --seeds "
            f"{self.seeds} --markdown docs/sim-validation.md`; do not edit by hand. "
            f"Model `{MODEL_VERSION}`, parameters `{PARAMS_VERSION}` (defaults), seeds "
            f"{self.base_seed}..{self.base_seed + self.seeds - 1}. How the patterns are measured "
            "and why: docs/sim.md, section Validation.",
            "",
            "## Patterns (calibration missions: " + ", ".join(CALIBRATION_MISSIONS) + ")",
            "",
            "| pattern | mission | share of runs | rule | holds | figures |",
            "|---|---|---|---|---|---|",
        ]
        for p in doc["patterns"]:
            figures = ", ".join(f"{k} {_fmt(v)}" for k, v in p["figures"].items())
            lines.append(
                f"| {p['id']} | {p['mission']} | {p['share']:.2f} | {p['rule']} | "
                f"{'yes' if p['holds'] else '**no**'} | {figures} |"
            )
        lines += ["", "Each pattern:", ""]
        for r in self.patterns:
            lines.append(
                f"- **{r.pattern.id}**: {r.pattern.statement} Evidence: {r.pattern.evidence} "
                f"Measure: {r.pattern.measure}"
            )
        lines += [
            "",
            "## Calibration missions (record, no counterfactual)",
            "",
            "| mission | p_forced_exit | median exit | p_withdrawal_request | p_completed | "
            "p_handover | p_ongoing |",
            "|---|---|---|---|---|---|---|",
        ]
        for mission, row in doc["calibration"].items():
            lines.append(
                f"| {mission} | {_fmt(row['p_forced_exit'])} | {row['median_exit'] or '-'} | "
                f"{_fmt(row['p_withdrawal_request'])} | {_fmt(row['p_completed'])} | "
                f"{_fmt(row['p_handover'])} | {_fmt(row['p_ongoing'])} |"
            )
        summary = doc["out_of_sample_summary"]
        lines += [
            "",
            "## Out of sample: every other mission with a complete history",
            "",
            f"{summary['missions']} missions ({summary['ended']} ended: "
            f"{summary['recorded_forced_exits']} forced out and "
            f"{summary['recorded_handovers']} handed over to a successor in the record). The "
            "record is the end registry `mission_ends` (docs/mission-ends.md), read after the "
            "runs: a transition is a handover, the host's withdrawal of consent or restrictions "
            "a forced exit, any other end a completion. Brier score of p_forced_exit against "
            "the recorded forced exit, over ended missions: "
            f"{_fmt(summary['brier_forced_exit'])}. Mean p_forced_exit of missions forced out "
            f"in the record: {_fmt(summary['p_forced_exit_recorded_forced'])}; of the others: "
            f"{_fmt(summary['p_forced_exit_recorded_other'])}. Mean share of runs that end as "
            f"the record did: {_fmt(summary['mean_match'])}; and that also depart within "
            f"{TIMING_TOLERANCE_MONTHS} months of the recorded end: "
            f"{_fmt(summary['mean_match_timed'])}. The model reads one column of the end "
            "registry, the successor: a mission that became another hands over in the month "
            "the successor starts (runs still active then end as `handover`, and the story "
            "goes on as the successor's own scenario); every other mission runs to the end of "
            "the record (June 2025) unless the simulated Council ends it.",
            "",
            "**Discrimination.** " + _discrimination(summary),
            "",
            "| mission | kind | recorded end | registry outcome | host request | forced out "
            "(AUC) | recorded cause | p_forced_exit | p_completed | p_handover | p_ongoing | "
            "runs ending as recorded | ... and on time | median simulated end |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for m in doc["out_of_sample"]:
            s = m["shares"]
            lines.append(
                f"| {m['mission']} | {m['kind']} | {m['recorded_end'] or '-'} | "
                f"{m['recorded_outcome']} | {m['host_request'] or '-'} | "
                f"{'yes' if m['forced_out'] else 'no'} | {m['recorded_cause']} | "
                f"{_fmt(s['forced_exit'])} | {_fmt(s['completed'])} | {_fmt(s['handover'])} | "
                f"{_fmt(s['ongoing'])} | {_fmt(m['match'])} | {_fmt(m['match_timed'])} | "
                f"{m['median_end'] or '-'} |"
            )
        return "\n".join(lines) + "\n"


def _discrimination(summary: dict) -> str:
    """The AUC paragraph of the report, with a sentence on how thin its evidence is."""
    pushed, kept = summary["auc_forced_out_missions"], summary["auc_consent_kept_missions"]
    groups = (
        f"{pushed} missions the host forced out or asked to leave (registry outcome "
        "host_withdrew_consent or host_restrictions, or a recorded host request) and "
        f"{kept} that kept its consent"
    )
    if summary["auc_forced_out"] is None:
        return f"No AUC: the out-of-sample missions are {groups}; both groups are needed."
    level = round(100 * summary["auc_level"])
    low, high = summary["auc_low"], summary["auc_high"]
    chance = "includes 0.5 (chance) and " if low <= 0.5 <= high else ""
    return (
        f"AUC of p_forced_exit between {groups}: {_fmt(summary['auc_forced_out'])} "
        f"({level}% interval {_fmt(low)}-{_fmt(high)}, bootstrap over missions within each "
        f"group, {summary['auc_resamples']:,} resamples, seed {summary['auc_seed']}; ties "
        f"count half, so 0.5 is chance). "
        f"{'The evidence is thin' if pushed < THIN_EVIDENCE else 'On the evidence'}: "
        f"{pushed} forced-out missions, {pushed * kept} pairs, and a single forced-out "
        f"mission moves the AUC by up to {1 / pushed:.2f}. The interval {chance}only "
        "resamples these missions, whose runs share the default parameters and seeds: it says "
        "how fragile the figure is, not how the model would fare on other missions."
    )


def _forced(m: OutOfSample) -> bool:
    return m.recorded_cause == "forced_exit"


def _round(value: float | str | None) -> float | str | None:
    return round(value, 4) if isinstance(value, float) else value


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"
