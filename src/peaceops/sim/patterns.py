"""The patterns the mechanism model must reproduce, and how runs are measured against them.

Data flow: a validation run (:mod:`peaceops.sim.validate`) keeps a :class:`RunStats` per run;
:func:`measure_patterns` turns the runs of the calibration missions (and their
counterfactuals) into one :class:`PatternResult` per pattern of :data:`PATTERNS`: the share of
runs that reproduce it, and whether it holds by the pattern's stated rule (never tuned per
run). The patterns are what the paper and the record show; each names its evidence.
DOCS: docs/sim.md
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

#: The paper's turn to stabilization in the DRC: S/RES/2098 (28 March 2013).
MONUSCO_TURN = date(2013, 3, 1)
#: The window in which MINUSMA was forced out (withdrawal request June 2023, S/RES/2690).
MINUSMA_WINDOW = (date(2021, 1, 1), date(2024, 12, 31))
#: UNAMA must survive the Taliban's return (August 2021) to the end of the record.
UNAMA_REGIME_CHANGE = date(2021, 8, 1)


@dataclass(frozen=True)
class RunStats:
    """What validation needs from one run.

    Attributes:
        seed: the run's seed.
        end_cause: ``forced_exit``, ``completed``, ``handover`` or ``ongoing``
            (``peaceops.sim.run.END_CAUSES``).
        exit_date: departure date (forced exit, completion or handover), if any.
        decision_date: date of the Council's decision to end the mission, if any.
        first_request_date: the host's first withdrawal request, if any.
        exits_before, exits_after: talks exits before / from ``split`` (month start).
        group_months_before, group_months_after: group-months at risk of leaving talks (groups
            in talks at the end of the previous month) in the same periods.
    """

    seed: int
    end_cause: str
    exit_date: str | None
    decision_date: str | None
    first_request_date: str | None
    exits_before: int
    exits_after: int
    group_months_before: int
    group_months_after: int

    def exit_rate(self, period: str) -> float | None:
        """Talks exits per 100 group-months in talks ``before`` or ``after`` the split."""
        exits, months = (
            (self.exits_before, self.group_months_before)
            if period == "before"
            else (self.exits_after, self.group_months_after)
        )
        return 100.0 * exits / months if months else None


@dataclass(frozen=True)
class Pattern:
    """A pattern of the paper or the record the model should reproduce.

    Attributes:
        id: a short stable name.
        mission: the calibration mission it is measured on.
        statement: the pattern in words.
        evidence: the passage of the paper or the record behind it.
        measure: how a run (or a pair of runs) counts as reproducing it.
        rule: when the pattern holds, from the shares.
    """

    id: str
    mission: str
    statement: str
    evidence: str
    measure: str
    rule: str


PATTERNS: tuple[Pattern, ...] = (
    Pattern(
        "minusma-forced-out",
        "MINUSMA",
        "MINUSMA's host consent collapses and the mission is forced out in 2021-2024 when the "
        "alternative partner is present, and much less often without it.",
        "Mali asked for MINUSMA's withdrawal on 16 June 2023 (events table; S/RES/2690 (2023)); "
        "'host governments have options between third-party peace and security providers' "
        "(s.1); Russian/Wagner forces in Mali from December 2021 (partner_presence).",
        "a run reproduces it if the host asked the mission to leave and it left (forced exit) "
        "with a departure between 2021-01-01 and 2024-12-31; measured on the record and on "
        "the no-alternative-partner counterfactual with the same seeds.",
        "share (record) >= 0.5 and share (no-alternative-partner) <= half of it",
    ),
    Pattern(
        "monusco-talks-exits-after-2013",
        "MONUSCO",
        "MONUSCO's armed groups leave talks more often after the 2013 stabilization turn "
        "(S/RES/2098) than before it.",
        "'M23—who was listed as one of the groups to be neutralized—left the Kampala talks' "
        "(s.4); the Intervention Brigade, S/RES/2098 (2013).",
        "a run reproduces it if its rate of leaving talks (exits per group-month in talks) is "
        "higher from March 2013 on than from the mission's start (July 2010) to February 2013.",
        "share >= 0.5",
    ),
    Pattern(
        "unama-survives-2021",
        "UNAMA",
        "UNAMA, a special political mission without stabilization tasks, survives the 2021 "
        "change of regime in Afghanistan.",
        "UNAMA was renewed after August 2021 (S/RES/2626 (2022)) and is deployed at the end of "
        "the record; the paper contrasts it with MINUSMA (s.5).",
        "a run reproduces it if the mission is not forced out (no forced exit decided up to "
        "the end of the record, June 2025); the Taliban's takeover of 15 August 2021 enters "
        "the run as a change of regime (a shock to consent).",
        "share >= 0.8",
    ),
    Pattern(
        "counterfactual-no-stabilization",
        "MINUSMA",
        "Without stabilization, offensive tasks and named targets, MINUSMA is forced out less "
        "often.",
        "the switch to stabilization cost missions their impartiality and moral authority (s.4).",
        "p_forced_exit under no-stabilization compared with the record, same seeds; the share "
        "is of seeds in which the counterfactual averts or delays the record's forced exit.",
        "p_forced_exit (counterfactual) < p_forced_exit (record)",
    ),
    Pattern(
        "counterfactual-spm",
        "MINUSMA",
        "A special political mission instead of a peacekeeping operation is forced out less often.",
        "UNAMA (an SPM) survived where MINUSMA did not (s.5).",
        "as above, under the spm counterfactual.",
        "p_forced_exit (counterfactual) < p_forced_exit (record)",
    ),
    Pattern(
        "counterfactual-unified-council",
        "MINUSMA",
        "A unified Council (no fragmentation) makes a forced exit less likely.",
        "fragmentation 'accelerated and exposed' the host's options (s.1).",
        "as above, under the unified-council counterfactual.",
        "p_forced_exit (counterfactual) < p_forced_exit (record)",
    ),
    Pattern(
        "counterfactual-divided-council",
        "MINUSMA",
        "A more divided Council makes a forced exit at least as likely.",
        "fragmentation 'accelerated and exposed' the host's options (s.1).",
        "as above, under the divided-council counterfactual; the share is of seeds in which "
        "the counterfactual brings a forced exit forward or causes one.",
        "p_forced_exit (counterfactual) >= p_forced_exit (record)",
    ),
)


@dataclass
class PatternResult:
    """One pattern's measured shares and whether it holds."""

    pattern: Pattern
    share: float
    holds: bool
    figures: dict[str, float | None] = field(default_factory=dict)


def _forced_in_window(run: RunStats) -> bool:
    low, high = (d.isoformat() for d in MINUSMA_WINDOW)
    return run.end_cause == "forced_exit" and low <= (run.exit_date or "") <= high


def p_forced(runs: list[RunStats]) -> float:
    """Share of ``runs`` that ended in a forced exit."""
    return sum(r.end_cause == "forced_exit" for r in runs) / len(runs)


def _exit_key(run: RunStats) -> float:
    """Months to a forced exit's decision, infinity without one (for paired comparisons)."""
    if run.end_cause != "forced_exit" or run.decision_date is None:
        return float("inf")
    day = date.fromisoformat(run.decision_date)
    return day.year * 12 + day.month


def mean_or_none(values: Iterable[float | None]) -> float | None:
    """The mean of the values that are not None; None when there are none."""
    kept = [v for v in values if v is not None]
    return sum(kept) / len(kept) if kept else None


def measure_patterns(runs: dict[tuple[str, str | None], list[RunStats]]) -> list[PatternResult]:
    """Measure every pattern of :data:`PATTERNS` on runs keyed by (mission, counterfactual)."""
    by_id = {p.id: p for p in PATTERNS}
    results = []

    record = runs[("MINUSMA", None)]
    no_partner = runs[("MINUSMA", "no-alternative-partner")]
    with_share = sum(map(_forced_in_window, record)) / len(record)
    without_share = sum(map(_forced_in_window, no_partner)) / len(no_partner)
    results.append(
        PatternResult(
            by_id["minusma-forced-out"],
            share=with_share,
            holds=with_share >= 0.5 and without_share <= with_share / 2,
            figures={
                "share_no_alternative_partner": without_share,
                "p_forced_exit": p_forced(record),
                "p_forced_exit_no_alternative_partner": p_forced(no_partner),
            },
        )
    )

    monusco = runs[("MONUSCO", None)]
    rated = [
        (r.exit_rate("before"), r.exit_rate("after"))
        for r in monusco
        if r.exit_rate("before") is not None and r.exit_rate("after") is not None
    ]
    share = sum(after > before for before, after in rated) / len(monusco)
    results.append(
        PatternResult(
            by_id["monusco-talks-exits-after-2013"],
            share=share,
            holds=share >= 0.5,
            figures={
                "exits_per_100_group_months_in_talks_before": mean_or_none(b for b, _ in rated),
                "exits_per_100_group_months_in_talks_after": mean_or_none(a for _, a in rated),
            },
        )
    )

    unama = runs[("UNAMA", None)]
    survives = sum(r.end_cause != "forced_exit" for r in unama) / len(unama)
    results.append(
        PatternResult(
            by_id["unama-survives-2021"],
            share=survives,
            holds=survives >= 0.8,
            figures={"p_forced_exit": p_forced(unama)},
        )
    )

    base = p_forced(record)
    for name, lower in (
        ("no-stabilization", True),
        ("spm", True),
        ("unified-council", True),
        ("divided-council", False),
    ):
        changed = runs[("MINUSMA", name)]
        p = p_forced(changed)
        if lower:  # averts or delays the record's forced exit
            moved = sum(
                _exit_key(c) > _exit_key(r)
                for r, c in zip(record, changed, strict=True)
                if r.end_cause == "forced_exit"
            )
        else:  # causes or brings forward a forced exit
            moved = sum(_exit_key(c) < _exit_key(r) for r, c in zip(record, changed, strict=True))
        results.append(
            PatternResult(
                by_id[f"counterfactual-{name}"],
                share=moved / len(record),
                holds=p < base if lower else p >= base,
                figures={"p_forced_exit_record": base, "p_forced_exit_counterfactual": p},
            )
        )
    return results
