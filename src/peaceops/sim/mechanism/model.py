"""The mechanism model: Peter (2023)'s causal argument as a monthly agent-based model.

Source: Mateja Peter, "Global Fragmentation and Collective Security Instruments: Weakening
the Liberal International Order From Within", *Politics and Governance* (2023),
../shared/paper. The paper argues in prose; every equation here is this project's reading of
it, and the docstrings of ``agents.py`` quote the passage each mechanism implements.

Data flow::

    Scenario (peaceops.sim.scenario)          inputs only: mandates, strength, groups,
        |  build_inputs()                      partners, fragmentation, successor
        v
    Inputs: one value per month               index, Chapter VII, stabilization, offensive,
        |                                      targets, strength, partner present, fragmentation,
        |                                      regime change; the handover month
        v
    MechanismModel.step(), monthly:           Council -> partner -> mission -> armed groups
        |                                      -> population -> host (agents.py)
        v
    DataCollector (REPORTERS)                 one row a month: states and the month's events
    MechanismModel.outcome()                  how the mission ended, when, talks collapse

Outcomes - access denials, status-of-forces violations, talks exits, protests, withdrawal
requests, expulsions, the mission's end and how it ended - are produced by the agents and are
never read from the knowledge base. A run stops when the mission has left or at the horizon.
A mission that became another (``Scenario.successor``, #18) hands over in the month its
successor starts: a run still active then ends with cause ``handover``, and the story goes on
as the successor's own scenario. The handover is an input, like the record's mandate changes;
a run forced out or completed before it keeps its own end.

Deviations from the paper, and why:

* The paper names no magnitudes; every rate is a parameter with a range
  (``peaceops.sim.params``), set from the paper's reasoning, not fitted to outcomes.
* Violence is endogenous with a neutral prior for each group's hostility, because the
  knowledge base has no conflict-event series for most hosts.
* Coups and changes of regime (Mali 2020 and 2021, Afghanistan 2021) are exogenous inputs
  (``Scenario.regime_changes``, from the ``events`` table's shock types only): the new
  government re-judges the mission and cuts its consent the more, the less impartial it sees
  the mission (model v2). The paper names them as context; why they break some missions and
  not others is its argument (UNAMA "perceived as impartial", s.5).
"""

from __future__ import annotations

import bisect
from collections import deque
from dataclasses import dataclass
from datetime import date

import mesa
from mesa import DataCollector
from mesa.agent import AgentSet

from peaceops.errors import SimError
from peaceops.settings import setting
from peaceops.sim.mechanism.agents import (
    AlternativePartner,
    ArmedGroup,
    Council,
    HostGovernment,
    Mission,
    PopulationSegment,
)
from peaceops.sim.params import SEGMENTS, Params
from peaceops.sim.scenario import Scenario

#: v3 (#18): a mission with a successor hands over at the successor's start (cause
#: ``handover``); runs of missions without a successor are those of v2, draw for draw.
MODEL_VERSION = "peaceops.mechanism.v3"
EVENT_TYPES = (
    "access_denials",
    "sofa_violations",
    "expulsions",
    "protests",
    "talks_exits",
    "talks_entries",
    "withdrawal_requests",
    "mandate_changes",
)
#: Talks collapse (an outcome definition, not a parameter): no group is left in talks and at
#: least this many groups left them within the window.
TALKS_COLLAPSE_EXITS = 2
TALKS_COLLAPSE_WINDOW = 12


def add_months(day: date, months: int) -> date:
    """The first day of the month ``months`` after ``day``'s month."""
    total = day.year * 12 + day.month - 1 + months
    return date(total // 12, total % 12 + 1, 1)


def horizon_months(scenario: Scenario) -> int:
    """Months from the scenario's start month to its horizon's month, both included."""
    start, horizon = scenario.start, scenario.horizon
    return (horizon.year - start.year) * 12 + horizon.month - start.month + 1


@dataclass(frozen=True)
class Inputs:
    """The scenario as one value a month (lists indexed by month, 0 = the start month)."""

    dates: list[date]
    years: list[int]
    index: list[float | None]
    chapter_vii: list[bool]
    stabilization: list[bool]
    offensive: list[bool]
    targets: list[frozenset[str]]
    mandate_change: list[int]
    uniformed: list[int | None]
    fill: list[float]
    partner_present: list[bool]
    fragmentation: list[float]
    regime_change: list[bool]
    #: month of the handover to the successor (None: no successor, or not within the months)
    handover: int | None = None

    @property
    def months(self) -> int:
        """Number of months."""
        return len(self.dates)


def build_inputs(scenario: Scenario, *, months: int | None = None) -> Inputs:
    """Monthly inputs from the scenario's start month to its horizon (or ``months`` months).

    A mandate applies from the month of its adoption; before the first one, the first one.
    Strength carries the last known month forward (and the first one back); a mission without
    personnel data has ``uniformed`` None. Fragmentation is the year's level, the nearest
    recorded year outside the record. The handover is the month of the successor's start.
    """
    first = date(scenario.start.year, scenario.start.month, 1)
    if months is None:
        months = horizon_months(scenario)
    most = int(setting("max_months"))
    if not 1 <= months <= most:
        raise SimError(
            f"months must be between 1 and {most:,}, got {months:,} (the limit is "
            "$PEACEOPS_MAX_MONTHS, see docs/reliability.md)"
        )
    dates = [add_months(first, k) for k in range(months)]
    ends = [add_months(first, k + 1) for k in range(months)]  # exclusive month ends

    mandates = scenario.mandates
    mandate_dates = [m.date for m in mandates]
    in_force = []
    for end in ends:
        i = bisect.bisect_left(mandate_dates, end) - 1
        in_force.append(mandates[max(i, 0)] if mandates else None)
    change = [0] * months
    for k, mandate in enumerate(in_force):
        if mandate is not None and (k == 0 or mandate is not in_force[k - 1]):
            change[k] = mandate.resolution

    strength = scenario.strength
    strength_dates = [s.date for s in strength]
    # the last authorized strength known at each point (authorizations stop before deployments)
    authorized: list[int | None] = []
    for point in strength:
        authorized.append(point.authorized or (authorized[-1] if authorized else None))
    uniformed: list[int | None] = []
    fill: list[float] = []
    for end in ends:
        if not strength:
            uniformed.append(None)
            fill.append(1.0)
            continue
        i = max(bisect.bisect_left(strength_dates, end) - 1, 0)
        ceiling = authorized[i]
        uniformed.append(strength[i].uniformed)
        fill.append(min(1.0, strength[i].uniformed / ceiling) if ceiling else 1.0)

    partners = scenario.alternative_partners
    present = [
        any(p.start < end and (p.end is None or p.end >= start) for p in partners)
        for start, end in zip(dates, ends, strict=True)
    ]

    levels = dict(scenario.fragmentation)
    years = sorted(levels)

    def level(year: int) -> float:
        if not years:
            return 0.0
        # the latest recorded year not after ``year`` (the first one before the record)
        return levels[years[max(bisect.bisect_right(years, year) - 1, 0)]]

    return Inputs(
        dates=dates,
        years=[d.year for d in dates],
        index=[m.index if m else None for m in in_force],
        chapter_vii=[bool(m and m.chapter_vii) for m in in_force],
        stabilization=[bool(m and m.stabilization) for m in in_force],
        offensive=[bool(m and m.offensive) for m in in_force],
        targets=[frozenset(m.targets) if m else frozenset() for m in in_force],
        mandate_change=change,
        uniformed=uniformed,
        fill=fill,
        partner_present=present,
        fragmentation=[level(d.year) for d in dates],
        regime_change=[
            any(start <= day < end for day in scenario.regime_changes)
            for start, end in zip(dates, ends, strict=True)
        ],
        handover=_handover_month(scenario, first, months),
    )


def _handover_month(scenario: Scenario, first: date, months: int) -> int | None:
    if scenario.handover is None:
        return None
    month = (scenario.handover.year - first.year) * 12 + scenario.handover.month - first.month
    return month if 0 <= month < months else None


REPORTERS = {
    "date": lambda m: m.inputs.dates[m.month].isoformat(),
    "month": "month",
    "status": lambda m: m.mission.status,
    "legitimacy": lambda m: m.mission.legitimacy,
    "perceived_impartiality": lambda m: m.mission.perceived_impartiality,
    "performance": lambda m: m.mission.performance,
    "capacity": lambda m: m.mission.capacity,
    "impartiality_index": lambda m: m.mission.index,
    "stabilization": lambda m: m.mission.stabilization,
    "offensive": lambda m: m.mission.offensive,
    "consent": lambda m: m.host.consent,
    "partner_reliance": lambda m: m.host.partner_reliance,
    "partner_present": lambda m: m.partner.present,
    "partner_availability": lambda m: m.partner.availability,
    "fragmentation": lambda m: m.council.fragmentation,
    "regime_change": lambda m: m.inputs.regime_change[m.month],
    "trust": "trust",
    "trust_min": "trust_min",
    "violence": "violence",
    "groups_active": lambda m: len(m.active_groups),
    "groups_in_talks": "groups_in_talks",
    **{name: (lambda m, name=name: m.events[name]) for name in EVENT_TYPES},
}


class _ScalarCollector(DataCollector):
    """A DataCollector for model reporters that return immutable scalars.

    Deviation from Mesa: ``DataCollector.collect`` deep-copies every value it records, which
    costs a third of a run here; every reporter of ``REPORTERS`` returns a number, bool or
    string, so the copy is skipped. Agent reporters are not used.
    """

    def collect(self, model: mesa.Model) -> None:
        """Record one row of every model reporter."""
        for name, reporter in self.model_reporters.items():
            value = getattr(model, reporter) if isinstance(reporter, str) else reporter(model)
            self.model_vars[name].append(value)


class MechanismModel(mesa.Model):
    """Peter (2023)'s mechanism for one mission: mandate -> impartiality -> legitimacy -> consent.

    Args:
        scenario: the mission's inputs (``peaceops.sim.load_scenario``).
        params: the parameters; default ``Params()``.
        months: months to simulate; default from the start month to the scenario's horizon.
        seed: seed of ``self.random`` and ``self.rng``; the same seed gives the same run.

    Attributes:
        council, partner, mission, host: the single agents.
        groups: the armed groups (an ``AgentSet``, in actor-id order).
        segments: the population segments (an ``AgentSet``).
        datacollector: the monthly series (``REPORTERS``).
    """

    def __init__(
        self,
        scenario: Scenario,
        *,
        params: Params | None = None,
        months: int | None = None,
        seed: int | None = None,
    ) -> None:
        super().__init__(seed=seed)
        self.scenario = scenario
        self.params = params if params is not None else Params()
        self.inputs = build_inputs(scenario, months=months)
        self.month = 0
        self.events = dict.fromkeys(EVENT_TYPES, 0)
        self.last_events = dict.fromkeys(EVENT_TYPES, 0)
        self.totals = dict.fromkeys(EVENT_TYPES, 0)
        self.violence = 0.0
        self.trust = self.trust_min = self.params.trust_initial
        self.groups_in_talks = 0
        self.calm_months = 0
        self.talks_collapse_month: int | None = None
        self._recent_exits: deque[int] = deque()
        self.active_groups: list[ArmedGroup] = []

        # agents are created in a fixed order, so the seed fixes every draw
        self.council = Council(self)
        self.partner = AlternativePartner(self)
        self.mission = Mission(self, kind=scenario.kind)
        self.host = HostGovernment(self)
        start = self.inputs.dates[0]
        self.groups = AgentSet(
            [
                ArmedGroup(
                    self,
                    actor_id=g.actor_id,
                    active_from=g.active_from,
                    active_to=g.active_to,
                    sanctioned_month=(
                        None
                        if g.sanctioned_from is None
                        else (g.sanctioned_from.year - start.year) * 12
                        + g.sanctioned_from.month
                        - start.month
                    ),
                )
                for g in scenario.groups
            ],
            random=self.random,
        )
        self.segments = AgentSet(
            [
                PopulationSegment(self, name=name, exposure=exposure, propensity=propensity)
                for name, exposure, propensity, _ in SEGMENTS
            ],
            random=self.random,
        )
        self.datacollector = _ScalarCollector(model_reporters=REPORTERS)
        # Mesa 3.3.1 keeps every model alive in the class-level id counter Agent._ids, so a
        # sweep's memory grows with its runs (mesa/mesa#3179, fixed after 3.3.1 by #3180).
        # All agents exist by now and none is added later, so the counter can go.
        mesa.Agent._ids.pop(self, None)

    def record_talks_exit(self) -> None:
        """Count a group's exit from talks (called by the group)."""
        self.events["talks_exits"] += 1
        self._recent_exits.append(self.month)

    def step(self) -> None:
        """Advance one month."""
        self.month = self.steps - 1  # Mesa counts steps from 1
        self.last_events, self.events = self.events, dict.fromkeys(EVENT_TYPES, 0)
        self.council.step()
        self.partner.step()
        self.mission.step()
        self.groups.do("step")
        self.active_groups = [g for g in self.groups if g.active]
        active = self.active_groups
        self.violence = sum(g.violence for g in active) / len(active) if active else 0.0
        self.groups_in_talks = sum(g.in_talks for g in active)
        self.segments.do("step")
        trusts = [s.trust for s in self.segments]
        self.trust = sum(trusts) / len(trusts)
        self.trust_min = min(trusts)
        self.host.step()
        self._update_counters()
        self.datacollector.collect(self)
        if self.mission.status == "ended" or self.month >= self.inputs.months - 1:
            self.running = False

    def _update_counters(self) -> None:
        for name, count in self.events.items():
            self.totals[name] += count
        calm = self.violence < self.params.completion_violence
        self.calm_months = self.calm_months + 1 if calm else 0
        while self._recent_exits and self._recent_exits[0] <= self.month - TALKS_COLLAPSE_WINDOW:
            self._recent_exits.popleft()
        if (
            self.talks_collapse_month is None
            and self.groups_in_talks == 0
            and len(self._recent_exits) >= TALKS_COLLAPSE_EXITS
        ):
            self.talks_collapse_month = self.month

    def run(self) -> MechanismModel:
        """Step until the mission has left or the horizon is reached; return ``self``."""
        while self.running:
            self.step()
        return self

    def outcome(self) -> dict:
        """How the run ended: end cause, dates, talks collapse, legitimacy, event totals.

        ``end_cause`` is ``forced_exit`` (the host asked the mission to leave and the Council
        ended it), ``completed`` (the Council ended a completed mandate), ``handover`` (the
        mission was still active when its successor started, ``Scenario.handover``: it left
        that month, as the successor) or ``ongoing`` (the mission was still deployed at the
        horizon). A decision taken before the horizon counts even if the departure
        (``exit_date``) falls after it.
        """
        mission, start = self.mission, self.inputs.dates[0]
        series = self.datacollector.model_vars["legitimacy"]

        def when(month: int | None) -> str | None:
            return None if month is None else add_months(start, month).isoformat()

        return {
            "end_cause": mission.end_cause or "ongoing",
            "decision_date": when(mission.decision_month),
            "exit_date": when(mission.exit_month),
            "first_request_date": when(self.host.first_request_month),
            "talks_collapse_date": when(self.talks_collapse_month),
            "legitimacy_start": series[0] if series else None,
            "legitimacy_end": series[-1] if series else None,
            "months": len(series),
            **{f"total_{name}": count for name, count in self.totals.items()},
        }
