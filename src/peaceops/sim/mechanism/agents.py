"""The agents of the mechanism model and the passages of Peter (2023) each one implements.

Data flow: every agent reads the month's inputs (``model.inputs``, built from the scenario)
and the states other agents left last month, updates its own state, and records what it did
in ``model.events`` (counts for the month). The model steps them in a fixed order: Council,
partner, mission, armed groups, population, host (``peaceops.sim.mechanism.model``).

All states lie in [0, 1]. All randomness goes through ``model.random`` (draws of events and
monthly noise) and ``model.rng`` (the groups' hostility), both seeded by the model.

Sections (s.2, s.4, s.5) refer to Peter (2023), "Global Fragmentation and Collective Security
Instruments: Weakening the Liberal International Order From Within", ../shared/paper.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

if TYPE_CHECKING:
    from peaceops.sim.mechanism.model import MechanismModel


def clip(value: float) -> float:
    """``value`` limited to [0, 1]."""
    return 0.0 if value < 0.0 else 1.0 if value > 1.0 else value


class Council(mesa.Agent):
    """The Security Council: changes mandates as the record did, reviews, renews or ends them.

    Mandate changes are inputs (the resolutions of the record) and stop once the Council has
    decided to end the mission: later resolutions of the record belong to a world in which
    the mission stayed. Every ``mandate_period`` months the Council reviews the mission:

    * after a withdrawal request it ends the mission with probability
      ``termination_base + termination_fragmentation * fragmentation``, because consent is one
      of the principles of peacekeeping ("consent, impartiality, and non-use of force", s.2)
      and a divided Council cannot press the host to reconsider ("Global fragmentation is
      facilitating the resistance against UN missions", s.5); otherwise it negotiates, which
      restores some consent and withdraws the request (model assumption);
    * after ``completion_months`` calm months with consent it may call the mandate completed;
    * otherwise it renews.

    In the month the mission's successor starts (an input, ``Scenario.handover``, #18), an
    active mission hands over to it and ends at once (cause ``handover``): a transition is not
    a forced exit. A mission the Council has already ended keeps its end.

    Attributes:
        fragmentation: the month's fragmentation level (input).
        renewals: reviews that renewed the mandate.
    """

    def __init__(self, model: MechanismModel) -> None:
        super().__init__(model)
        self.fragmentation = 0.0
        self.renewals = 0

    def step(self) -> None:
        """Apply the record's mandate change of the month, then review if one is due."""
        model = self.model
        month = model.month
        self.fragmentation = model.inputs.fragmentation[month]
        mission = model.mission
        if mission.status != "active":
            return
        if month == model.inputs.handover:
            mission.hand_over()
            return
        if model.inputs.mandate_change[month]:
            mission.apply_mandate(month)
            if month > 0:
                model.events["mandate_changes"] += 1
        if month > 0 and month % int(model.params.mandate_period) == 0:
            self._review()

    def _review(self) -> None:
        model, params = self.model, self.model.params
        host, mission = model.host, model.mission
        if host.withdrawal_requested:
            p_end = params.termination_base + params.termination_fragmentation * self.fragmentation
            if model.random.random() < p_end:
                mission.begin_withdrawal("forced_exit")
                return
            host.consent = clip(host.consent + params.council_pressure * (1 - self.fragmentation))
            host.withdrawal_requested = False
        elif (
            model.calm_months >= params.completion_months
            and host.consent >= params.completion_consent
            and model.random.random() < params.completion_rate
        ):
            mission.begin_withdrawal("completed")
            return
        self.renewals += 1


class AlternativePartner(mesa.Agent):
    """The security partners outside the Council's endorsement, as one provider.

    Presence is an input (``partner_presence``); availability rises with fragmentation
    because "the West is no longer the only credible security provider alongside a UN
    mission" (s.4) and the trend is "accelerated and exposed due to global fragmentation, as
    host governments have options between third-party peace and security providers" (s.1).

    Attributes:
        present: a partner is in the host country this month (input).
        availability: ``present * (partner_base + partner_fragmentation * fragmentation)``.
    """

    def __init__(self, model: MechanismModel) -> None:
        super().__init__(model)
        self.present = False
        self.availability = 0.0

    def step(self) -> None:
        """Update presence and availability for the month."""
        model, params = self.model, self.model.params
        self.present = model.inputs.partner_present[model.month]
        level = params.partner_base + params.partner_fragmentation * model.council.fragmentation
        self.availability = clip(level) if self.present else 0.0


class Mission(mesa.Agent):
    """The UN mission: its mandate, capacity, perceived impartiality, performance, legitimacy.

    Legitimacy is the mission's moral authority: peacekeeping's "ability to be perceived as a
    useful tool and induce deference relies on its moral authority" and perceived
    impartiality is its "oxygen" (s.2). It moves toward a weighted mean of perceived
    impartiality and performance.

    * Perceived impartiality follows the mandate's impartiality index, less penalties for
      stabilization ("the switch away from defensive POC and towards offensive action ... was
      a qualitative one", s.4), offensive tasks ("making the UN one of the combatants", s.4)
      and named targets ("labelling these actors as the ones to neutralize", s.4).
    * Performance is capacity against violence, where robust mandates raise expectations
      ("the robust nature and an offensive mandate of UN peacekeeping raised expectations of
      protection", s.4), and falls with access denials and protests, which keep the mission
      from "monitoring and prevention" (s.5) and "other protection tasks" (s.4).

    Attributes:
        kind: ``pko``, ``spm`` or ``regional``.
        status: ``active``, ``withdrawing`` (the Council has ended it) or ``ended``.
        end_cause: ``completed`` or ``forced_exit`` once the Council has ended it, ``handover``
            once its successor has taken over.
        decision_month: month of the Council's decision to end it (or of the handover).
        exit_month: month of departure (decision + ``drawdown_months``; the handover month).
    """

    def __init__(self, model: MechanismModel, *, kind: str) -> None:
        super().__init__(model)
        params = model.params
        self.kind = kind
        self.status = "active"
        self.end_cause: str | None = None
        self.decision_month: int | None = None
        self.exit_month: int | None = None
        self.index = params.impartiality_default
        self.chapter_vii = False
        self.stabilization = False
        self.offensive = False
        self.targets: frozenset[str] = frozenset()
        self.capacity = 0.0
        self.robust = 0.0
        self.expectations = 1.0
        self.perceived_impartiality = params.impartiality_default
        self.performance = params.performance_base
        self.legitimacy = params.legitimacy_initial

    def apply_mandate(self, month: int) -> None:
        """Put the mandate in force at ``month`` (called by the Council)."""
        inputs = self.model.inputs
        index = inputs.index[month]
        self.index = self.model.params.impartiality_default if index is None else index
        self.chapter_vii = inputs.chapter_vii[month]
        self.stabilization = inputs.stabilization[month]
        self.offensive = inputs.offensive[month]
        self.targets = inputs.targets[month]

    def begin_withdrawal(self, cause: str) -> None:
        """The Council has ended the mission: it leaves after ``drawdown_months``."""
        month = self.model.month
        self.status = "withdrawing"
        self.end_cause = cause
        self.decision_month = month
        self.exit_month = month + int(self.model.params.drawdown_months)

    def hand_over(self) -> None:
        """The successor takes over this month: the mission ends now, with no drawdown."""
        month = self.model.month
        self.status = "ended"
        self.end_cause = "handover"
        self.decision_month = self.exit_month = month

    def step(self) -> None:
        """Update capacity, perceptions and legitimacy from last month's world."""
        model, params = self.model, self.model.params
        month = model.month
        if self.status == "withdrawing" and month >= self.exit_month:
            self.status = "ended"
        if self.kind == "spm":
            # an SPM works through "daily mediation and humanitarian assistance" (s.4)
            self.capacity = params.spm_capacity
        else:
            uniformed = model.inputs.uniformed[month]
            if uniformed is None:
                self.capacity = params.capacity_default
            else:
                size = uniformed / (uniformed + params.strength_half)
                self.capacity = size * model.inputs.fill[month]
        self.robust = (self.chapter_vii + self.stabilization + self.offensive) / 3
        self.expectations = 1 + params.expectation_robust * self.robust
        groups = model.active_groups
        target_share = (
            sum(g.actor_id in self.targets for g in groups) / len(groups) if groups else 0.0
        )
        impartiality = clip(
            self.index
            - params.penalty_stabilization * self.stabilization
            - params.penalty_offensive * self.offensive
            - params.penalty_named_target * target_share
        )
        obstruction = model.last_events["access_denials"] + model.last_events["expulsions"]
        performance = clip(
            params.performance_base
            + params.performance_capacity * self.capacity
            - params.performance_violence * model.violence * self.expectations
            - params.denial_cost * obstruction
            - params.protest_cost * model.last_events["protests"]
        )
        rate = params.perception_rate
        self.perceived_impartiality += rate * (impartiality - self.perceived_impartiality)
        self.performance += rate * (performance - self.performance)
        target = (
            params.weight_impartiality * self.perceived_impartiality
            + (1 - params.weight_impartiality) * self.performance
        )
        noise = model.random.gauss(0.0, params.legitimacy_noise) if params.legitimacy_noise else 0.0
        self.legitimacy = clip(
            self.legitimacy + params.legitimacy_rate * (target - self.legitimacy) + noise
        )


class ArmedGroup(mesa.Agent):
    """An armed group: violence, and participation in talks the mission convenes.

    * Joining talks needs an honest broker: the chance rises with legitimacy, is nil for a
      group the mandate names as a target and low for one listed under sanctions (missions
      "lost their moral authority and their ability to act as honest brokers and convene
      negotiations (Haspelslagh, 2021)", s.4).
    * Leaving talks: more likely under an offensive mandate (the mission "seen as siding with
      the government authorities", s.4), much more for a named target ("M23—who was listed as
      one of the groups to be neutralized—left the Kampala talks", s.4), and as legitimacy
      falls.
    * Violence follows the group's hostility, damped in talks and, a little, by offensive
      operations ("a few tactical wins", but "not able to eliminate non-state armed groups
      militarily", s.4).

    Attributes:
        actor_id: the registry id.
        hostility: the group's propensity to fight, drawn once from a Beta distribution.
        active: the group exists this year (input: the registry's active years).
        in_talks: the group takes part in talks.
        violence: the group's violence this month.
    """

    def __init__(
        self,
        model: MechanismModel,
        *,
        actor_id: str,
        active_from: int | None,
        active_to: int | None,
        sanctioned_month: int | None,
    ) -> None:
        super().__init__(model)
        params = model.params
        self.actor_id = actor_id
        self.active_from = active_from
        self.active_to = active_to
        self.sanctioned_month = sanctioned_month
        a = params.hostility_mean * params.hostility_concentration
        b = (1 - params.hostility_mean) * params.hostility_concentration
        self.hostility = float(model.rng.beta(a, b))
        self.active = False
        self.in_talks = False
        self.violence = 0.0

    def _sanctioned(self, month: int) -> bool:
        return self.sanctioned_month is not None and month >= self.sanctioned_month

    def step(self) -> None:
        """Enter or leave the scenario, move in or out of talks, and fight."""
        model, params = self.model, self.model.params
        month = model.month
        year = model.inputs.years[month]
        active = (self.active_from is None or self.active_from <= year) and (
            self.active_to is None or year <= self.active_to
        )
        if not active:
            self.active = self.in_talks = False
            self.violence = 0.0
            return
        mission = model.mission
        targeted = self.actor_id in mission.targets
        block = params.sanction_talks_block if self._sanctioned(month) else 0.0
        if not self.active:  # the group enters the scenario
            self.active = True
            self.in_talks = model.random.random() < params.talks_initial * (1 - block)
            self.violence = self.hostility
        if self.in_talks:
            p_exit = (
                params.talks_exit_base
                + params.talks_exit_offensive * mission.offensive
                + params.talks_exit_target * targeted
                + params.talks_exit_legitimacy * (1 - mission.legitimacy)
            )
            if model.random.random() < p_exit:
                self.in_talks = False
                model.record_talks_exit()
        elif not targeted:
            p_join = params.talks_join_rate * mission.legitimacy * (1 - block)
            if model.random.random() < p_join:
                self.in_talks = True
                model.events["talks_entries"] += 1
        suppression = params.suppression * mission.capacity * mission.offensive
        target = self.hostility * (1 - params.talks_damping * self.in_talks) * (1 - suppression)
        noise = model.random.gauss(0.0, params.violence_noise) if params.violence_noise else 0.0
        self.violence = clip(
            self.violence + params.violence_rate * (target - self.violence) + noise
        )


class PopulationSegment(mesa.Agent):
    """A segment of the host population: trust in the mission, and protests.

    Trust rises with legitimacy and falls when protection expectations are not met ("all
    these missions meeting resistance from the local population when these expectations were
    not met", s.4) and as the host turns against the mission ("host governments ... have also
    been able to delegitimize UN operations", s.5). Below ``protest_threshold`` a segment may
    protest (MONUSCO's "July 2022 protests occurring in several cities", s.4).

    Attributes:
        name: the segment (``params.SEGMENTS``).
        exposure: exposure to armed-group violence.
        propensity: protest propensity.
        trust: trust in the mission.
    """

    def __init__(self, model: MechanismModel, *, name: str, exposure: float, propensity: float):
        super().__init__(model)
        self.name = name
        self.exposure = exposure
        self.propensity = propensity
        self.trust = model.params.trust_initial

    def step(self) -> None:
        """Update trust and maybe protest."""
        model, params = self.model, self.model.params
        mission = model.mission
        target = clip(
            params.trust_base
            + params.trust_legitimacy * mission.legitimacy
            - params.trust_unmet * self.exposure * model.violence * mission.expectations
            - params.trust_host * (1 - model.host.consent)
        )
        noise = model.random.gauss(0.0, params.trust_noise) if params.trust_noise else 0.0
        self.trust = clip(self.trust + params.trust_rate * (target - self.trust) + noise)
        if self.trust < params.protest_threshold:
            shortfall = (params.protest_threshold - self.trust) / params.protest_threshold
            if model.random.random() < params.protest_rate * self.propensity * shortfall:
                model.events["protests"] += 1


class HostGovernment(mesa.Agent):
    """The host government: consent, reliance on an alternative partner, and its actions.

    Consent moves toward a level set by the mission's legitimacy, public trust, frustration
    with a partial mandate that does not end the violence ("the unwillingness of UN
    peacekeepers to support host governments unconditionally in their military efforts
    against all non-state actors turned host authorities against them too", s.4) and reliance
    on an alternative partner ("host governments can maintain that they are swapping one
    partial actor with another", s.5). Reliance grows toward the partner's availability,
    faster as consent falls ("Mali started seeking other partners", s.4).

    A coup or change of regime (an input) cuts consent by
    ``regime_shock * (1 - perceived impartiality)``: a new government re-judges the mission,
    and one "perceived as impartial" keeps its place (UNAMA after the Taliban's return, s.5)
    where one seen as a side does not (Mali's military authorities after 2020-21, s.4).

    Actions, each a monthly draw: access denials, more frequent with a partner ("Mali
    refusing to grant access to sites where its joint operations with the Wagner Group likely
    involved mass human rights abuses", s.4); status-of-forces violations; expulsions of
    mission officials; and, below ``withdrawal_threshold``, a request that the mission leave,
    much likelier with another provider ("at least the second partial actor is supporting
    them in their fight against non-state threats", s.5).

    Attributes:
        consent: the host's consent to the mission.
        partner_reliance: how far the host relies on the alternative partner.
        withdrawal_requested: a request to leave is pending before the Council.
        requests: withdrawal requests made so far.
        first_request_month: month of the first request.
    """

    def __init__(self, model: MechanismModel) -> None:
        super().__init__(model)
        self.consent = model.params.consent_initial
        self.partner_reliance = 0.0
        self.withdrawal_requested = False
        self.requests = 0
        self.first_request_month: int | None = None

    def step(self) -> None:
        """Update reliance and consent, then act."""
        model, params = self.model, self.model.params
        mission, random = model.mission, model.random
        availability = model.partner.availability
        gap = availability - self.partner_reliance
        speed = params.partner_uptake * ((1 - self.consent) if gap > 0 else 1.0)
        self.partner_reliance = clip(self.partner_reliance + speed * gap)
        partial = max(mission.stabilization, mission.offensive)
        target = clip(
            params.consent_base
            + params.consent_legitimacy * mission.legitimacy
            + params.consent_trust * model.trust
            - params.consent_frustration * partial * model.violence
            - params.consent_partner * self.partner_reliance
        )
        noise = model.random.gauss(0.0, params.consent_noise) if params.consent_noise else 0.0
        self.consent = clip(self.consent + params.consent_rate * (target - self.consent) + noise)
        if model.inputs.regime_change[model.month]:
            # a new government re-judges the mission: it keeps its consent to one it sees as
            # impartial and withdraws it from one it sees as a side
            self.consent = clip(
                self.consent - params.regime_shock * (1 - mission.perceived_impartiality)
            )
        if mission.status == "ended":
            return
        lost = 1 - self.consent
        denial = params.denial_rate * lost * (1 + params.denial_partner * self.partner_reliance)
        if random.random() < denial:
            model.events["access_denials"] += 1
        if random.random() < params.sofa_rate * lost**2:
            model.events["sofa_violations"] += 1
        if random.random() < params.expulsion_rate * lost**3:
            model.events["expulsions"] += 1
        if (
            mission.status == "active"
            and not self.withdrawal_requested
            and self.consent < params.withdrawal_threshold
        ):
            shortfall = (params.withdrawal_threshold - self.consent) / params.withdrawal_threshold
            alternative = params.withdrawal_alone + (1 - params.withdrawal_alone) * (
                self.partner_reliance
            )
            if random.random() < params.withdrawal_rate * shortfall * alternative:
                self.withdrawal_requested = True
                self.requests += 1
                if self.first_request_month is None:
                    self.first_request_month = model.month
                model.events["withdrawal_requests"] += 1
