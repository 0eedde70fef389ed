"""The validation report of the simulation: its figures, JSON document and Markdown page.

:class:`ValidationReport` holds what :func:`peaceops.sim.validate.validate` measured: the
patterns on the calibration missions, a calibration table, and every out-of-sample mission
(:class:`OutOfSample`) compared with its recorded end. ``to_dict`` gives the JSON document
of ``peaceops validate sim --json``; ``to_markdown`` the page ``docs/sim-validation.md``. Every
figure in it is simulated (shares of runs), and the page says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from peaceops import __version__
from peaceops.sim.mechanism import MODEL_VERSION
from peaceops.sim.params import PARAMS_VERSION
from peaceops.sim.patterns import PatternResult
from peaceops.sim.patterns import mean_or_none as _mean

VALIDATION_VERSION = "peaceops.sim-validation.v1"
CALIBRATION_MISSIONS = ("MINUSMA", "MONUSCO", "UNAMA")
#: Out of sample, a simulated end "on time" departs within this many months of the record's.
TIMING_TOLERANCE_MONTHS = 24


@dataclass
class OutOfSample:
    """One out-of-sample mission: the record and the runs' outcomes.

    Attributes:
        mission: the acronym.
        kind: ``pko`` or ``spm``.
        recorded_end: the registry's end date (None: still deployed).
        recorded_cause: ``forced_exit`` (ended after a withdrawal request in the events
            table), ``completed`` (ended otherwise) or ``ongoing``.
        shares: share of runs by end cause.
        match: share of runs whose end cause is the recorded one.
        match_timed: share of runs whose end cause is the recorded one and, for a mission that
            ended, whose departure falls within ``TIMING_TOLERANCE_MONTHS`` of the recorded end.
        median_end: the (lower) median departure over runs that ended, if any.
    """

    mission: str
    kind: str
    recorded_end: str | None
    recorded_cause: str
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
        ``..._recorded_other``: mean p_forced_exit of missions forced out in the record and of
        the others (discrimination); ``mean_match``: mean share of runs ending as recorded;
        ``mean_match_timed``: the same, departing within the tolerance of the recorded end.
        """
        ended = [m for m in self.out_of_sample if m.recorded_cause != "ongoing"]
        forced = [m.shares["forced_exit"] for m in self.out_of_sample if _forced(m)]
        other = [m.shares["forced_exit"] for m in self.out_of_sample if not _forced(m)]
        return {
            "missions": len(self.out_of_sample),
            "ended": len(ended),
            "recorded_forced_exits": len(forced),
            "brier_forced_exit": _mean(
                (m.shares["forced_exit"] - float(_forced(m))) ** 2 for m in ended
            ),
            "p_forced_exit_recorded_forced": _mean(forced),
            "p_forced_exit_recorded_other": _mean(other),
            "mean_match": _mean(m.match for m in self.out_of_sample),
            "mean_match_timed": _mean(m.match_timed for m in self.out_of_sample),
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
            "p_ongoing |",
            "|---|---|---|---|---|---|",
        ]
        for mission, row in doc["calibration"].items():
            lines.append(
                f"| {mission} | {_fmt(row['p_forced_exit'])} | {row['median_exit'] or '-'} | "
                f"{_fmt(row['p_withdrawal_request'])} | {_fmt(row['p_completed'])} | "
                f"{_fmt(row['p_ongoing'])} |"
            )
        summary = doc["out_of_sample_summary"]
        lines += [
            "",
            "## Out of sample: every other mission with a complete history",
            "",
            f"{summary['missions']} missions ({summary['ended']} ended, "
            f"{summary['recorded_forced_exits']} forced out in the record). Brier score of "
            f"p_forced_exit against the recorded forced exit, over ended missions: "
            f"{_fmt(summary['brier_forced_exit'])}. Mean p_forced_exit of missions forced out "
            f"in the record: {_fmt(summary['p_forced_exit_recorded_forced'])}; of the others: "
            f"{_fmt(summary['p_forced_exit_recorded_other'])}. Mean share of runs that end as "
            f"the record did: {_fmt(summary['mean_match'])}; and that also depart within "
            f"{TIMING_TOLERANCE_MONTHS} months of the recorded end: "
            f"{_fmt(summary['mean_match_timed'])}. The model runs every mission to the end of "
            "the record (June 2025) and knows nothing of successor missions or of mandates "
            "ended by transitions, so a mission that ended otherwise than by completion or "
            "expulsion is often simulated long past its end.",
            "",
            "| mission | kind | recorded end | recorded cause | p_forced_exit | p_completed | "
            "p_ongoing | runs ending as recorded | ... and on time | median simulated end |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        for m in doc["out_of_sample"]:
            s = m["shares"]
            lines.append(
                f"| {m['mission']} | {m['kind']} | {m['recorded_end'] or '-'} | "
                f"{m['recorded_cause']} | {_fmt(s['forced_exit'])} | {_fmt(s['completed'])} | "
                f"{_fmt(s['ongoing'])} | {_fmt(m['match'])} | {_fmt(m['match_timed'])} | "
                f"{m['median_end'] or '-'} |"
            )
        return "\n".join(lines) + "\n"


def _forced(m: OutOfSample) -> bool:
    return m.recorded_cause == "forced_exit"


def _round(value: float | str | None) -> float | str | None:
    return round(value, 4) if isinstance(value, float) else value


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"
