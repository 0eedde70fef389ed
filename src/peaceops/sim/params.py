"""Parameters of the mechanism model: one table of (name, default, low, high, reason).

Data flow: ``PARAMETER_TABLE`` is the single source of every default and bound; ``Params`` (a
frozen dataclass) takes its defaults from the table and validates every value against the
table's bounds when constructed, so a bad value fails before any run starts. Sweeps will build
``Params`` from a mapping with :meth:`Params.from_mapping`; ``docs/sim.md`` shows the table.

Units: time is in months, probabilities are per month, states (legitimacy, consent, trust,
violence, availability) lie in [0, 1]. Section numbers in the reasons refer to Peter (2023),
"Global Fragmentation and Collective Security Instruments", ../shared/paper.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from peaceops.errors import ParameterError

PARAMS_VERSION = "peaceops.mechanism-params.v3"


class Parameter(NamedTuple):
    """One row of the parameter table.

    Attributes:
        name: the field of :class:`Params`.
        default: the value used unless a run sets another (an ``int`` for integer parameters).
        low: the smallest valid value.
        high: the largest valid value.
        reason: why the default and the range, with the paper passage behind them.
    """

    name: str
    default: float | int
    low: float | int
    high: float | int
    reason: str


P = Parameter
# fmt: off
PARAMETER_TABLE: tuple[Parameter, ...] = (
    # -- legitimacy and perceived impartiality (mission) --
    P("legitimacy_initial", 0.7, 0.1, 1.0,
      "a new mission starts with the authority of the instrument ('the legitimacy of UN "
      "peacekeeping rests on this doctrine', s.2), below 1 since mandates always had a 'liberal"
      " bias' (s.2)"),
    P("weight_impartiality", 0.6, 0.0, 1.0,
      "authority rests more on perceived impartiality, its 'oxygen' (s.2), than on force: "
      "peacekeeping 'is not the most effective military force' (s.2)"),
    P("legitimacy_rate", 0.05, 0.005, 0.5,
      "moral authority is a slow stock, eroded 'over the last decade' (s.1); 0.05 a month is a "
      "half-life of about a year"),
    P("legitimacy_noise", 0.01, 0.0, 0.1,
      "monthly shocks (incidents, media) the model does not represent; small next to the drift"),
    P("perception_rate", 0.1, 0.01, 1.0,
      "parties read a new mandate within months: M23 left the Kampala talks soon after the "
      "Intervention Brigade was decided (s.4)"),
    P("impartiality_default", 0.95, 0.0, 1.0,
      "index used where the coder has none (no text): the mean of the coded mission-years is "
      "0.96 (coder v5)"),
    P("penalty_stabilization", 0.25, 0.0, 0.6,
      "stabilization is a 'qualitative' switch that 'moved UN peacekeeping closer to peace "
      "enforcement' (s.4), more than one more term in the index"),
    P("penalty_offensive", 0.2, 0.0, 0.6,
      "offensive tasks make 'the UN one of the combatants' (s.4)"),
    P("penalty_named_target", 0.15, 0.0, 0.6,
      "times the share of active groups named as targets: 'labelling these actors as the ones "
      "to neutralize' abandons even-handedness (s.4)"),
    # -- performance (mission) --
    P("performance_base", 0.5, 0.0, 1.0,
      "neutral prior: half of what a mission is expected to deliver"),
    P("performance_capacity", 0.4, 0.0, 1.0,
      "strength makes protection possible, but peacekeepers 'were never going to be the most "
      "effective fighting force' (s.4)"),
    P("strength_half", 5000, 500, 50000,
      "uniformed personnel at which capacity is one half; MINUSMA and MONUSCO deployed "
      "10,000-20,000 (capacity 0.7-0.8)"),
    P("capacity_default", 0.5, 0.0, 1.0,
      "capacity of a peacekeeping operation without personnel data (the IPI series covers "
      "1990-2017)"),
    P("spm_capacity", 0.3, 0.0, 1.0,
      "a special political mission delivers through 'daily mediation and humanitarian "
      "assistance' (s.4), not troops"),
    P("performance_violence", 0.5, 0.0, 2.0,
      "violence that persists reads as failure: missions 'were unable to eliminate the broader "
      "threats' (s.4)"),
    P("expectation_robust", 1.0, 0.0, 3.0,
      "'the robust nature and an offensive mandate ... raised expectations of protection' "
      "(s.4): with a fully robust mandate the same violence costs twice as much"),
    P("denial_cost", 0.03, 0.0, 0.3,
      "performance lost per access denial or expulsion in the month: denials prevent "
      "'monitoring and prevention, both required for human protection' (s.5)"),
    P("protest_cost", 0.03, 0.0, 0.3,
      "performance lost per protest: with a hostile population the 'ability to engage in other "
      "protection tasks ... became compromised' (s.4)"),
    # -- armed groups --
    P("hostility_mean", 0.5, 0.05, 0.95,
      "no group-level violence series for most hosts (UCDP GED only for the CAR in the "
      "knowledge base): a neutral prior"),
    P("hostility_concentration", 4.0, 1.0, 50.0,
      "groups differ widely: Beta(2, 2) at the defaults"),
    P("violence_rate", 0.2, 0.01, 1.0,
      "violence follows a group's situation within a few months"),
    P("violence_noise", 0.05, 0.0, 0.3,
      "month-to-month variation of fighting not otherwise modelled"),
    P("talks_damping", 0.6, 0.0, 1.0,
      "groups in talks fight less: 'local-level mediation and brokering of ceasefires' is a "
      "core task (s.4)"),
    P("suppression", 0.3, 0.0, 1.0,
      "offensive operations bring 'a few tactical wins' (s.4) but cannot 'eliminate non-state "
      "armed groups militarily' (s.4)"),
    P("talks_initial", 0.3, 0.0, 1.0,
      "prior share of groups already in a peace process when they enter the scenario"),
    P("talks_join_rate", 0.05, 0.0, 0.5,
      "times legitimacy: a mission convenes talks as an 'honest broker' (s.4)"),
    P("talks_exit_base", 0.01, 0.0, 0.2,
      "talks break down for reasons outside the model"),
    P("talks_exit_offensive", 0.03, 0.0, 0.3,
      "with an offensive mandate the mission is 'seen as siding with the government "
      "authorities' (s.4)"),
    P("talks_exit_target", 0.15, 0.0, 1.0,
      "'M23—who was listed as one of the groups to be neutralized—left the Kampala talks' (s.4)"),
    P("talks_exit_legitimacy", 0.03, 0.0, 0.3,
      "times lost legitimacy: missions 'lost their moral authority and their ability to act as "
      "honest brokers and convene negotiations' (s.4)"),
    P("sanction_talks_block", 0.7, 0.0, 1.0,
      "groups listed under sanctions rarely join talks: listing armed groups as terrorists "
      "'hurts negotiations' (Haspelslagh 2021, cited s.4)"),
    # -- population --
    P("trust_initial", 0.6, 0.0, 1.0,
      "a mission arrives with some credit among the population"),
    P("trust_rate", 0.1, 0.01, 1.0,
      "public opinion moves within months"),
    P("trust_noise", 0.02, 0.0, 0.2,
      "rumour and events not otherwise modelled"),
    P("trust_base", 0.3, 0.0, 1.0,
      "trust a mission keeps whatever it does"),
    P("trust_legitimacy", 0.5, 0.0, 1.5,
      "legitimacy feeds trust: the mission's symbol of an 'impartial actor' (s.5)"),
    P("trust_unmet", 0.4, 0.0, 2.0,
      "times exposure, violence and expectations: missions met 'resistance from the local "
      "population when these expectations were not met' (s.4)"),
    P("trust_host", 0.2, 0.0, 1.0,
      "times lost consent: 'host governments ... have also been able to delegitimize UN "
      "operations' (s.5)"),
    P("protest_threshold", 0.35, 0.05, 0.9,
      "trust below which a segment protests"),
    P("protest_rate", 0.3, 0.0, 1.0,
      "monthly protest probability at zero trust: MONUSCO's July 2022 protests 'in several "
      "cities' (s.4)"),
    # -- host government --
    P("consent_initial", 0.8, 0.1, 1.0,
      "'Local governments were initially receptive to such support' (s.4)"),
    P("consent_rate", 0.08, 0.005, 0.5,
      "governments revise their stance over months, not weeks"),
    P("consent_noise", 0.02, 0.0, 0.2,
      "domestic politics not otherwise modelled (coups, elections)"),
    P("consent_base", 0.3, 0.0, 1.0,
      "consent a host keeps whatever the mission does (aid, recognition)"),
    P("consent_legitimacy", 0.5, 0.0, 1.5,
      "moral authority lets the mission 'induce deference' (s.2)"),
    P("consent_trust", 0.2, 0.0, 1.0,
      "governments follow the public mood about the mission"),
    P("consent_frustration", 0.5, 0.0, 2.0,
      "times a partial mandate and violence: 'the unwillingness of UN peacekeepers to support "
      "host governments unconditionally ... turned host authorities against them too' (s.4)"),
    P("consent_partner", 0.6, 0.0, 2.0,
      "times reliance on an alternative partner: hosts 'can maintain that they are swapping one"
      " partial actor with another' (s.5)"),
    P("partner_uptake", 0.2, 0.0, 1.0,
      "monthly rate at which the host turns to an available partner, faster as consent falls "
      "('Mali started seeking other partners', s.4); calibrated on MINUSMA, MONUSCO and UNAMA "
      "only (0.1 before; scripts/calibrate_sim.py, docs/sim.md 'Calibration')"),
    P("denial_rate", 0.3, 0.0, 1.0,
      "monthly access-denial probability at zero consent: missions 'received a high number of "
      "so-called denials of request' (s.4)"),
    P("denial_partner", 1.0, 0.0, 3.0,
      "Mali refused access 'to sites where its joint operations with the Wagner Group likely "
      "involved mass human rights abuses' (s.4)"),
    P("sofa_rate", 0.15, 0.0, 1.0,
      "monthly probability of a status-of-forces violation at zero consent (times lost consent "
      "squared)"),
    P("expulsion_rate", 0.1, 0.0, 1.0,
      "monthly probability of expelling mission officials at zero consent (times lost consent "
      "cubed: a last resort)"),
    P("regime_shock", 0.5, 0.0, 1.0,
      "consent a new government (coup, change of regime) withdraws from a mission it sees as "
      "wholly partial, times 1 - perceived impartiality: UNAMA, 'perceived as impartial', "
      "stayed after the Taliban's return (s.5); set from the paper, not calibrated"),
    P("withdrawal_threshold", 0.3, 0.05, 0.6,
      "consent below which a host considers asking the mission to leave"),
    P("withdrawal_rate", 0.3, 0.0, 1.0,
      "monthly probability of a withdrawal request at zero consent with full reliance on a "
      "partner; calibrated on MINUSMA, MONUSCO and UNAMA only (0.15 before; "
      "scripts/calibrate_sim.py, docs/sim.md 'Calibration')"),
    P("withdrawal_alone", 0.2, 0.0, 1.0,
      "relative propensity to ask without another provider: the alternative partner 'is "
      "supporting them in their fight against non-state threats' (s.5)"),
    # -- alternative partner --
    P("partner_base", 0.3, 0.0, 1.0,
      "availability of a present partner with a united Council"),
    P("partner_fragmentation", 1.5, 0.0, 5.0,
      "'accelerated and exposed due to global fragmentation, as host governments have options "
      "between third-party peace and security providers' (s.1)"),
    # -- Council --
    P("mandate_period", 12, 1, 36,
      "months between mandate reviews; most mandates run a year (MINUSMA's were renewed each "
      "June)"),
    P("termination_base", 0.4, 0.0, 1.0,
      "probability a united Council ends the mission at a review after a withdrawal request: "
      "consent is a principle of peacekeeping (s.2)"),
    P("termination_fragmentation", 1.0, 0.0, 3.0,
      "a divided Council cannot press the host to reconsider: fragmentation is 'facilitating "
      "the resistance against UN missions' (s.5)"),
    P("council_pressure", 0.2, 0.0, 0.5,
      "consent regained when a united Council declines a request and negotiates (times 1 - "
      "fragmentation)"),
    P("drawdown_months", 6, 0, 24,
      "months from the decision to end a mission to its departure: MINUSMA's mandate ended on "
      "30 June 2023, its withdrawal on 31 December (S/RES/2690)"),
    P("completion_violence", 0.15, 0.0, 1.0,
      "violence below which a month counts as calm for completing the mandate"),
    P("completion_consent", 0.5, 0.0, 1.0,
      "consent a host must still give for the Council to call a mandate completed"),
    P("completion_months", 24, 1, 120,
      "consecutive calm months before the Council may call a mandate completed"),
    P("completion_rate", 0.5, 0.0, 1.0,
      "probability the Council ends a completed mandate at a review"),
)
# fmt: on
del P

DEFAULTS: dict[str, float | int] = {p.name: p.default for p in PARAMETER_TABLE}
_BY_NAME: dict[str, Parameter] = {p.name: p for p in PARAMETER_TABLE}

#: Population segments (name, exposure to armed-group violence, protest propensity, reason).
#: Structure, not parameters: the model's trust and protest rates above act on all three.
SEGMENTS: tuple[tuple[str, float, float, str], ...] = (
    ("urban", 0.3, 1.0, "capital and towns, where protests happen (Goma, Bamako), less exposed"),
    ("conflict_zone", 1.0, 0.5, "areas where armed groups operate and protection is tested"),
    ("displaced", 0.8, 0.3, "people in or near protection sites, who depend on the mission"),
)


@dataclass(frozen=True)
class Params:
    """The mechanism model's parameters; defaults, bounds and reasons in ``PARAMETER_TABLE``.

    Construction validates every value: a value that is not a finite number, an integer
    parameter given a fraction, or a value outside its bounds raises ``ParameterError`` naming
    the parameter and its bounds.
    """

    legitimacy_initial: float = DEFAULTS["legitimacy_initial"]
    weight_impartiality: float = DEFAULTS["weight_impartiality"]
    legitimacy_rate: float = DEFAULTS["legitimacy_rate"]
    legitimacy_noise: float = DEFAULTS["legitimacy_noise"]
    perception_rate: float = DEFAULTS["perception_rate"]
    impartiality_default: float = DEFAULTS["impartiality_default"]
    penalty_stabilization: float = DEFAULTS["penalty_stabilization"]
    penalty_offensive: float = DEFAULTS["penalty_offensive"]
    penalty_named_target: float = DEFAULTS["penalty_named_target"]
    performance_base: float = DEFAULTS["performance_base"]
    performance_capacity: float = DEFAULTS["performance_capacity"]
    strength_half: int = DEFAULTS["strength_half"]
    capacity_default: float = DEFAULTS["capacity_default"]
    spm_capacity: float = DEFAULTS["spm_capacity"]
    performance_violence: float = DEFAULTS["performance_violence"]
    expectation_robust: float = DEFAULTS["expectation_robust"]
    denial_cost: float = DEFAULTS["denial_cost"]
    protest_cost: float = DEFAULTS["protest_cost"]
    hostility_mean: float = DEFAULTS["hostility_mean"]
    hostility_concentration: float = DEFAULTS["hostility_concentration"]
    violence_rate: float = DEFAULTS["violence_rate"]
    violence_noise: float = DEFAULTS["violence_noise"]
    talks_damping: float = DEFAULTS["talks_damping"]
    suppression: float = DEFAULTS["suppression"]
    talks_initial: float = DEFAULTS["talks_initial"]
    talks_join_rate: float = DEFAULTS["talks_join_rate"]
    talks_exit_base: float = DEFAULTS["talks_exit_base"]
    talks_exit_offensive: float = DEFAULTS["talks_exit_offensive"]
    talks_exit_target: float = DEFAULTS["talks_exit_target"]
    talks_exit_legitimacy: float = DEFAULTS["talks_exit_legitimacy"]
    sanction_talks_block: float = DEFAULTS["sanction_talks_block"]
    trust_initial: float = DEFAULTS["trust_initial"]
    trust_rate: float = DEFAULTS["trust_rate"]
    trust_noise: float = DEFAULTS["trust_noise"]
    trust_base: float = DEFAULTS["trust_base"]
    trust_legitimacy: float = DEFAULTS["trust_legitimacy"]
    trust_unmet: float = DEFAULTS["trust_unmet"]
    trust_host: float = DEFAULTS["trust_host"]
    protest_threshold: float = DEFAULTS["protest_threshold"]
    protest_rate: float = DEFAULTS["protest_rate"]
    consent_initial: float = DEFAULTS["consent_initial"]
    consent_rate: float = DEFAULTS["consent_rate"]
    consent_noise: float = DEFAULTS["consent_noise"]
    consent_base: float = DEFAULTS["consent_base"]
    consent_legitimacy: float = DEFAULTS["consent_legitimacy"]
    consent_trust: float = DEFAULTS["consent_trust"]
    consent_frustration: float = DEFAULTS["consent_frustration"]
    consent_partner: float = DEFAULTS["consent_partner"]
    partner_uptake: float = DEFAULTS["partner_uptake"]
    denial_rate: float = DEFAULTS["denial_rate"]
    denial_partner: float = DEFAULTS["denial_partner"]
    sofa_rate: float = DEFAULTS["sofa_rate"]
    expulsion_rate: float = DEFAULTS["expulsion_rate"]
    regime_shock: float = DEFAULTS["regime_shock"]
    withdrawal_threshold: float = DEFAULTS["withdrawal_threshold"]
    withdrawal_rate: float = DEFAULTS["withdrawal_rate"]
    withdrawal_alone: float = DEFAULTS["withdrawal_alone"]
    partner_base: float = DEFAULTS["partner_base"]
    partner_fragmentation: float = DEFAULTS["partner_fragmentation"]
    mandate_period: int = DEFAULTS["mandate_period"]
    termination_base: float = DEFAULTS["termination_base"]
    termination_fragmentation: float = DEFAULTS["termination_fragmentation"]
    council_pressure: float = DEFAULTS["council_pressure"]
    drawdown_months: int = DEFAULTS["drawdown_months"]
    completion_violence: float = DEFAULTS["completion_violence"]
    completion_consent: float = DEFAULTS["completion_consent"]
    completion_months: int = DEFAULTS["completion_months"]
    completion_rate: float = DEFAULTS["completion_rate"]

    def __post_init__(self) -> None:
        for name, parameter in _BY_NAME.items():
            _validate(parameter, getattr(self, name))

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> Params:
        """Build from a mapping of overrides; unknown names raise ``ParameterError``."""
        unknown = sorted(set(values) - set(_BY_NAME))
        if unknown:
            raise ParameterError(
                f"unknown parameter(s) {', '.join(unknown)}; valid names are in "
                f"peaceops.sim.PARAMETER_TABLE: {', '.join(sorted(_BY_NAME))}"
            )
        return cls(**values)

    def replace(self, **changes: Any) -> Params:
        """A copy with ``changes`` applied (validated like a new instance)."""
        return self.from_mapping({**self.to_dict(), **changes})

    def to_dict(self) -> dict[str, float | int]:
        """The values by name, in table order."""
        return {name: getattr(self, name) for name in _BY_NAME}


def _validate(parameter: Parameter, value: Any) -> None:
    bounds = f"[{parameter.low}, {parameter.high}]"
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ParameterError(
            f"parameter {parameter.name} must be a finite number in {bounds}, got {value!r}"
        )
    if isinstance(parameter.default, int) and value != int(value):
        raise ParameterError(
            f"parameter {parameter.name} must be a whole number in {bounds}, got {value!r}"
        )
    if not parameter.low <= value <= parameter.high:
        raise ParameterError(
            f"parameter {parameter.name}={value!r} is outside its bounds {bounds} "
            f"({parameter.reason})"
        )


_FIELDS = {f.name for f in dataclasses.fields(Params)}
if set(_BY_NAME) != _FIELDS:  # pragma: no cover - guards edits to one side only
    raise RuntimeError(f"Params and PARAMETER_TABLE disagree: {sorted(_FIELDS ^ set(_BY_NAME))}")


def parameters_markdown() -> str:
    """The parameter table as Markdown (docs/sim.md embeds it; a test keeps them in sync)."""
    lines = ["| name | default | low | high | reason |", "|---|---|---|---|---|"]
    for p in PARAMETER_TABLE:
        reason = p.reason.replace("|", "\\|")
        lines.append(f"| `{p.name}` | {p.default} | {p.low} | {p.high} | {reason} |")
    return "\n".join(lines) + "\n"
